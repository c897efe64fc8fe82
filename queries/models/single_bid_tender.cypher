// id: single_bid_tender
// title_zh: 公开招标仅一家投标即授标
// title_en: Open tender awarded on a single bid
// detects: >
//   An open tender that received exactly one bid and was still awarded (a contract under it or a WON link),
//   instead of being declared failed and re-tendered (a single-source purchase passed off as an open tender).
// params:
//   methods: {default: [open], doc: tender methods where a single bid is a red flag}
//   big_budget: {default: 1000000, doc: budget (yuan) from which a hit is red rather than orange}
// needs: [tenders, bids, contracts]
// level: red when the budget is at least big_budget; orange otherwise
// level_zh: 红色：预算不低于 big_budget；其余为橙色
// scheme: single_bid_tender
// roles: 3
// match: tender
MATCH (t:Tender)<-[:BID_FOR]-(b:Bid)
WHERE t.method IN $methods
WITH t, count(b) AS bids
WHERE bids = 1
MATCH (t)<-[:BID_FOR]-(b:Bid)
MATCH (c:Company)-[w:WON]->(t)
MATCH (t)-[:ISSUED_BY]->(u:Organization)
RETURN t.id AS key,
       CASE WHEN t.budget >= $big_budget THEN 'red' ELSE 'orange' END AS level,
       [t.id, u.id, c.id] AS entities,
       ['tender', 'unit', 'company'] AS types,
       u.name + ' awarded open tender ' + t.id + ' (' + t.title + ') to ' + c.name + ', its only bidder' AS summary,
       u.name + '公开招标项目' + t.id + '（' + t.title + '）仅' + c.name + '一家投标，仍授予其中标' AS summary_zh,
       [t.src_file + ':' + toString(t.src_row), b.src_file + ':' + toString(b.src_row),
        w.src_file + ':' + toString(w.src_row)] AS sources
ORDER BY key
