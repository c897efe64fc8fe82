// id: fuel_over_capacity
// title_zh: 加油量超过油箱容积
// title_en: Fuel-card fill larger than the vehicle's tank
// detects: >
//   A fuel-card fill whose litres exceed the tank capacity (times a tolerance) of the vehicle fuelled: the
//   plate recorded at the pump, or the card's bound vehicle when no plate (or no capacity) was recorded.
//   More fuel than the tank holds went into jerrycans or another car (a private car kept on public money; fuel money taken).
// params:
//   tolerance: {default: 1.0, doc: share of the tank capacity a single fill may reach before it is flagged}
// needs: [fuel_transactions, fuel_cards, vehicles]
// level: red when the largest fill exceeds 1.3 × the tank; orange when it exceeds 1.1 × the tank; yellow otherwise
// level_zh: 红色：最大一次加油量超过油箱容积的 1.3 倍；橙色：超过 1.1 倍；其余为黄色
// scheme: fuel_over_capacity
// roles: 2
// match: card
MATCH (t:FuelTransaction)-[:CHARGED_TO]->(c:FuelCard)
WHERE t.litres IS NOT NULL
OPTIONAL MATCH (t)-[:FUELLED]->(pump:Vehicle)
OPTIONAL MATCH (c)-[:CARD_FOR]->(bound:Vehicle)
WITH t, c, pump, bound, pump.tank_capacity IS NOT NULL AS at_pump
WITH t, c,
     CASE WHEN at_pump THEN pump.id ELSE bound.id END AS plate,
     CASE WHEN at_pump THEN pump.tank_capacity ELSE bound.tank_capacity END AS tank,
     CASE WHEN at_pump THEN pump.src_file + ':' + toString(pump.src_row)
          ELSE bound.src_file + ':' + toString(bound.src_row) END AS link
WHERE tank > 0 AND t.litres > $tolerance * tank
MATCH (c)-[:CARD_HELD_BY]->(u:Organization)
WITH c, u, count(t) AS fills, max(t.litres / tank) AS worst, max(t.litres) AS most, min(tank) AS tank,
     collect(DISTINCT {e: plate, t: 'vehicle'}) + collect({e: t.id, t: 'txn'}) AS found,
     collect(DISTINCT link) + collect(t.src_file + ':' + toString(t.src_row)) AS srcs
WITH c, fills, worst,
     [{e: c.id, t: 'card'}, {e: u.id, t: 'unit'}] + found AS ents,
     u.name + ' fuel card ' + c.id + ': ' + toString(fills) + ' fill(s) above the tank, the largest '
       + toString(toInteger(round(most, 0))) + ' L into a ' + toString(toInteger(round(tank, 0))) + ' L tank ('
       + '{share:' + toString(100.0 * worst) + '})' AS summary,
     u.name + '加油卡' + c.id + '有' + toString(fills) + '次加油量超过油箱容积，最多一次向'
       + toString(toInteger(round(tank, 0))) + '升油箱加油' + toString(toInteger(round(most, 0))) + '升（达容积的'
       + '{share:' + toString(100.0 * worst) + '}）' AS summary_zh,
     [c.src_file + ':' + toString(c.src_row)] + srcs AS sources
UNWIND ents AS x
WITH c, worst, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN c.id AS key,
       CASE WHEN worst > 1.3 THEN 'red' WHEN worst > 1.1 THEN 'orange' ELSE 'yellow' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
