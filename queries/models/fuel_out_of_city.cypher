// id: fuel_out_of_city
// title_zh: 异地加油且车辆未出城
// title_en: Fuel card used in another city where the car never was
// detects: >
//   A fill in a city other than home_city on a day when the vehicle fuelled (the plate at the pump, else the
//   card's bound vehicle) has no GPS stop in that city: no business trip explains it, so the card fuelled
//   another car or was used on a private trip (fuelled in another city).
// params:
//   home_city: {default: 苏州市, doc: the city the card-holding units work in}
// needs: [fuel_transactions, fuel_cards, gps_stops]
// level: red when the card has two or more such fills; orange for one
// level_zh: 红色：该卡此类加油两次及以上；一次为橙色
// scheme: fuel_out_of_city
// roles: 2
// match: card
MATCH (t:FuelTransaction)-[:CHARGED_TO]->(c:FuelCard)
WHERE t.city IS NOT NULL AND t.city <> $home_city
OPTIONAL MATCH (c)-[:CARD_FOR]->(bound:Vehicle)
OPTIONAL MATCH (t)-[:FUELLED]->(pump:Vehicle)
WITH t, c, coalesce(pump.id, bound.id) AS plate
OPTIONAL MATCH (v:Vehicle {id: plate})-[s:STOPPED_AT]->(p:Place)
WHERE p.city = t.city AND date(s.time) = date(t.time)
WITH t, c, plate, count(s) AS stops_there
WHERE stops_there = 0
MATCH (c)-[:CARD_HELD_BY]->(u:Organization)
WITH c, u, count(t) AS fills, collect({e: t.id, t: 'txn'}) AS txns,
     collect(DISTINCT CASE WHEN plate IS NULL THEN NULL ELSE {e: plate, t: 'vehicle'} END) AS vehicles,
     collect(t.src_file + ':' + toString(t.src_row)) AS srcs, min(t.city + ' ' + left(replace(toString(t.time), 'T', ' '), 16)) AS example,
     min(t.city + ' ' + left(replace(toString(t.time), 'T', ' '), 16)) AS example_zh
WITH c, fills,
     [{e: c.id, t: 'card'}, {e: u.id, t: 'unit'}] + vehicles + txns AS ents,
     u.name + ' fuel card ' + c.id + ': ' + toString(fills) + ' fill(s) outside ' + $home_city
       + ' with no GPS stop of the car there that day, e.g. ' + example AS summary,
     u.name + '加油卡' + c.id + '在' + $home_city + '以外加油' + toString(fills)
       + '次，车辆GPS当天未到过当地，如' + example_zh AS summary_zh,
     [c.src_file + ':' + toString(c.src_row)] + srcs AS sources
UNWIND ents AS x
WITH c, fills, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN c.id AS key, CASE WHEN fills >= 2 THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
