// id: fuel_gps_mismatch
// title_zh: 加油时车辆GPS不在加油站
// title_en: Fuel card used while the bound vehicle's GPS was elsewhere
// detects: >
//   A fuel fill on a card bound to a vehicle (the pump recorded that vehicle's plate, or no plate) while a GPS
//   stop of that vehicle overlapping the fill time ± window minutes was at a place other than the filling
//   station: the card fuelled something else (card and car apart: a private car kept on public money).
// params:
//   window: {default: 30, doc: minutes before and after the fill within which a GPS stop elsewhere counts}
// needs: [fuel_transactions, fuel_cards, gps_stops]
// level: red when the vehicle was stopped elsewhere at the very time of a fill; orange when only within the window
// level_zh: 红色：加油那一刻车辆正停在别处；橙色：仅在加油前后 window 分钟内停在别处
// scheme: fuel_gps_mismatch
// roles: 3
// match: card
MATCH (c:FuelCard)-[:CARD_FOR]->(v:Vehicle)-[s:STOPPED_AT]->(p:Place)
// each stop's end, and the window around it in which a fill counts, reckoned once a stop: a fill is compared
// with every stop of its vehicle (8.7 million pairs at a million persons), by its time alone
WITH c, v, s, p, s.time + duration({minutes: coalesce(s.duration_min, 0.0)}) AS s_end
WITH c, v, s, p, s_end, s.time - duration({minutes: $window}) AS s_lo, s_end + duration({minutes: $window}) AS s_hi
MATCH (t:FuelTransaction)-[:CHARGED_TO]->(c)
WHERE coalesce(t.goods, 'fuel') = 'fuel' AND t.time >= s_lo AND t.time <= s_hi
  AND p.name <> coalesce(t.station, '')
OPTIONAL MATCH (t)-[:FUELLED]->(pump:Vehicle)
WITH c, v, t, s, p, s_end, pump
WHERE pump.id IS NULL OR pump.id = v.id
WITH c, v, t, s, p, s.time <= t.time AND s_end >= t.time AS during
MATCH (c)-[:CARD_HELD_BY]->(u:Organization)
WITH c, v, u, count(DISTINCT t) AS fills, max(CASE WHEN during THEN 1 ELSE 0 END) AS at_fill,
     collect(DISTINCT {e: t.id, t: 'txn'}) AS txns,
     collect(DISTINCT t.src_file + ':' + toString(t.src_row)) + collect(DISTINCT s.src_file + ':' + toString(s.src_row))
       AS srcs,
     min(left(replace(toString(t.time), 'T', ' '), 16) + ' at ' + coalesce(t.station, '?') + ', GPS at ' + p.name)
       AS example,
     min(left(replace(toString(t.time), 'T', ' '), 16) + '在' + coalesce(t.station, '?') + '加油，车辆GPS却停在' + p.name) AS example_zh
WITH c, at_fill,
     [{e: c.id, t: 'card'}, {e: v.id, t: 'vehicle'}, {e: u.id, t: 'unit'}] + txns AS ents,
     u.name + ' fuel card ' + c.id + ' (' + v.id + '): ' + toString(fills)
       + ' fill(s) while its GPS stop was elsewhere, e.g. fill ' + example AS summary,
     u.name + '加油卡' + c.id + '（' + v.id + '）有' + toString(fills) + '次加油时车辆GPS停靠在别处，如'
       + example_zh AS summary_zh,
     [c.src_file + ':' + toString(c.src_row)] + srcs AS sources
UNWIND ents AS x
WITH c, at_fill, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN c.id AS key, CASE WHEN at_fill = 1 THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
