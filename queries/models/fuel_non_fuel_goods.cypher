// id: fuel_non_fuel_goods
// title_zh: 加油卡购买非油品
// title_en: Non-fuel goods bought on a fuel card
// detects: >
//   Purchases on an official fuel card whose goods category is one of goods (cigarettes, food, liquor by
//   default) instead of fuel: the card pays for private consumption (cigarettes and liquor bought on a fuel card).
// params:
//   goods: {default: [cigarettes, food, liquor], doc: goods categories a fuel card must not buy}
//   red_amount: {default: 1000, doc: total spent on such goods (yuan) from which a card is red}
// needs: [fuel_transactions, fuel_cards]
// level: red when the card's non-fuel purchases total at least red_amount; orange otherwise
// level_zh: 红色：该卡购买非油品合计不低于 red_amount；其余为橙色
// scheme: fuel_non_fuel_goods
// roles: 2
// match: card
MATCH (t:FuelTransaction)-[:CHARGED_TO]->(c:FuelCard)
WHERE t.goods IN $goods
MATCH (c)-[:CARD_HELD_BY]->(u:Organization)
OPTIONAL MATCH (c)-[:CARD_FOR]->(v:Vehicle)
WITH c, u, count(t) AS buys, sum(t.amount) AS spent, min(t.goods) AS g1, max(t.goods) AS g2,
     collect(DISTINCT CASE WHEN v.id IS NULL THEN NULL ELSE {e: v.id, t: 'vehicle'} END) AS vehicles,
     collect({e: t.id, t: 'txn'}) AS txns, collect(t.src_file + ':' + toString(t.src_row)) AS srcs
WITH c, spent,
     [{e: c.id, t: 'card'}, {e: u.id, t: 'unit'}] + vehicles + txns AS ents,
     u.name + ' fuel card ' + c.id + ': ' + toString(buys) + ' purchase(s) of non-fuel goods ('
       + g1 + CASE WHEN g2 <> g1 THEN ' … ' + g2 ELSE '' END + ') for '
       + '{money:' + toString(spent) + '}' AS summary,
     u.name + '加油卡' + c.id + '购买非油品' + toString(buys) + '次（' + CASE g1 WHEN 'cigarettes' THEN '香烟'
         WHEN 'liquor' THEN '酒类' WHEN 'food' THEN '食品' WHEN 'other' THEN '其他商品' ELSE g1 END
       + CASE WHEN g2 <> g1 THEN '……' + CASE g2 WHEN 'cigarettes' THEN '香烟' WHEN 'liquor' THEN '酒类'
           WHEN 'food' THEN '食品' WHEN 'other' THEN '其他商品' ELSE g2 END ELSE '' END + '），共'
       + '{money:' + toString(spent) + '}' AS summary_zh,
     [c.src_file + ':' + toString(c.src_row)] + srcs AS sources
UNWIND ents AS x
WITH c, spent, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN c.id AS key, CASE WHEN spent >= $red_amount THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
