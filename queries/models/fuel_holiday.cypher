// id: fuel_holiday
// title_zh: 节假日公车加油
// title_en: Official car fuelled on statutory holidays
// detects: >
//   Fuel fills on statutory holidays charged to the fuel card of an official car (the card's bound vehicle,
//   or for a pool card the official vehicle at the pump), at least min_fills of them: the car or the card
//   is used privately on days off (an official car in private use on holidays).
// params:
//   holidays: {default: "@holidays", doc: statutory days off (the whole blocks of days off) as dates}
//   min_fills: {default: 2, doc: holiday fills on one card from which it is flagged}
// needs: [fuel_transactions, fuel_cards, vehicles]
// level: red when the card has at least twice min_fills holiday fills; orange otherwise
// level_zh: 红色：该卡节假日加油次数不少于 min_fills 的两倍；其余为橙色
// scheme: fuel_holiday
// roles: 3
// match: card
MATCH (t:FuelTransaction)-[:CHARGED_TO]->(c:FuelCard)
WHERE coalesce(t.goods, 'fuel') = 'fuel' AND date(t.time) IN $holidays
OPTIONAL MATCH (c)-[:CARD_FOR]->(bound:Vehicle)
OPTIONAL MATCH (t)-[:FUELLED]->(pump:Vehicle)
WITH t, c, CASE WHEN bound.id IS NULL THEN pump.id ELSE bound.id END AS v,
     CASE WHEN bound.id IS NULL THEN pump.kind ELSE bound.kind END AS kind
WHERE kind = 'official'
WITH c, v, count(t) AS fills, collect({e: t.id, t: 'txn'}) AS txns,
     collect(t.src_file + ':' + toString(t.src_row)) AS srcs, min(date(t.time)) AS first, max(date(t.time)) AS last
WHERE fills >= $min_fills
MATCH (c)-[:CARD_HELD_BY]->(u:Organization)
WITH c, fills,
     [{e: c.id, t: 'card'}, {e: v, t: 'vehicle'}, {e: u.id, t: 'unit'}] + txns AS ents,
     u.name + ' official car ' + v + ' (card ' + c.id + '): ' + toString(fills) + ' fills on statutory holidays, '
       + toString(first) + ' to ' + toString(last) AS summary,
     u.name + '公务车' + v + '（加油卡' + c.id + '）' + toString(first) + '至' + toString(last) + '间在法定节假日加油'
       + toString(fills) + '次' AS summary_zh,
     [c.src_file + ':' + toString(c.src_row)] + srcs AS sources
UNWIND ents AS x
WITH c, fills, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN c.id AS key, CASE WHEN fills >= 2 * $min_fills THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
