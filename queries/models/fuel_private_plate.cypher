// id: fuel_private_plate
// title_zh: 公务加油卡给私家车加油
// title_en: Official fuel card fuels a private car of the unit's staff or their relatives
// detects: >
//   A fill whose pump plate is a private car (not the card's bound vehicle) registered to a roster member of
//   the card-holding unit, or to a relative of one, who had not left the unit by the day of the fill (a private car kept on public money).
//   The roster's start date is the appointment to the current post, not arrival at the unit, so it is not used.
// params: {}
// needs: [fuel_transactions, fuel_cards, vehicles, roster, family]
// level: red when a car belongs to a roster member of the unit; orange when only to a relative of one
// level_zh: 红色：车辆属于本单位在册人员；橙色：仅属于其亲属
// scheme: fuel_private_plate
// roles: 2
// match: card
MATCH (t:FuelTransaction)-[:FUELLED]->(pv:Vehicle)-[:REGISTERED_TO]->(owner:Person)
WHERE pv.kind = 'private'
MATCH (t)-[:CHARGED_TO]->(c:FuelCard)-[:CARD_HELD_BY]->(u:Organization)
WHERE NOT EXISTS { MATCH (c)-[:CARD_FOR]->(pv) }
OPTIONAL MATCH (owner)-[e1:EMPLOYED_BY]->(u)
WHERE e1.end_date IS NULL OR e1.end_date >= date(t.time)
OPTIONAL MATCH (owner)-[f:FAMILY]-(m:Person)-[e2:EMPLOYED_BY]->(u)
WHERE e2.end_date IS NULL OR e2.end_date >= date(t.time)
WITH t, pv, owner, c, u, e1, f, m, e2
WHERE e1.id IS NOT NULL OR e2.id IS NOT NULL
WITH c, u, count(DISTINCT t) AS fills, max(CASE WHEN e1.id IS NULL THEN 0 ELSE 1 END) AS by_member,
     collect(DISTINCT {e: pv.id, t: 'vehicle'}) + collect(DISTINCT {e: owner.id, t: 'person'})
       + collect(DISTINCT CASE WHEN m.id IS NULL THEN NULL ELSE {e: m.id, t: 'person'} END)
       + collect(DISTINCT {e: t.id, t: 'txn'}) AS found,
     collect(DISTINCT pv.src_file + ':' + toString(pv.src_row))
       + collect(DISTINCT CASE WHEN e1.id IS NULL THEN NULL ELSE e1.src_file + ':' + toString(e1.src_row) END)
       + collect(DISTINCT CASE WHEN f.id IS NULL THEN NULL ELSE f.src_file + ':' + toString(f.src_row) END)
       + collect(DISTINCT CASE WHEN e2.id IS NULL THEN NULL ELSE e2.src_file + ':' + toString(e2.src_row) END)
       + collect(DISTINCT t.src_file + ':' + toString(t.src_row)) AS srcs,
     min(pv.id + ' of ' + owner.name + CASE WHEN e1.id IS NULL THEN ', relative of ' + m.name ELSE '' END) AS example,
     min(pv.id + '（车主' + owner.name + CASE WHEN e1.id IS NULL THEN '，系本单位职工' + m.name + '的亲属' ELSE '，本单位职工' END
         + '）') AS example_zh
WITH c, by_member,
     [{e: c.id, t: 'card'}, {e: u.id, t: 'unit'}] + found AS ents,
     u.name + ' fuel card ' + c.id + ' fuelled private car(s) of its own staff or their family ' + toString(fills)
       + ' time(s), e.g. ' + example AS summary,
     u.name + '加油卡' + c.id + '为本单位职工或其亲属的私家车加油' + toString(fills) + '次，如' + example_zh AS summary_zh,
     [c.src_file + ':' + toString(c.src_row)] + srcs AS sources
UNWIND ents AS x
WITH c, by_member, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN c.id AS key, CASE WHEN by_member = 1 THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
