// id: short_bid_window
// title_zh: 招标公告期过短（等标期不足）
// title_en: Bidding window shorter than the legal minimum
// detects: >
//   An open tender whose bids closed less than min_days after it was published (Article 24 of the Bidding Law: at least
//   20 days from the tender documents to the bid deadline), which favours a bidder who knew in advance.
// params:
//   min_days: {default: 20, doc: "shortest lawful window (days from publication to close)"}
//   red_days: {default: 10, doc: a window shorter than this is red}
//   methods: {default: [open], doc: tender methods (procurement methods) the minimum applies to}
// needs: [tenders, bids, contracts]
// level: red when the window is shorter than red_days; orange otherwise
// level_zh: 红色：投标期短于 red_days 天；其余为橙色
// scheme: short_bid_window
// roles: 2
// match: tender
MATCH (t:Tender)-[:ISSUED_BY]->(i:Organization)
WHERE t.method IN $methods AND t.close_date < t.publish_date + duration({days: $min_days})
// one hit per tender: a tender with two issuers (a tender id that two sources reuse) is named by the issuer
// with the smallest id, on either store (one row per issuer made two hits with the same key)
WITH t, min(i.id) AS uid
MATCH (t)-[:ISSUED_BY]->(u:Organization {id: uid})
OPTIONAL MATCH (c:Company)-[w:WON]->(t)
WITH t, u, collect(c.id) AS cid, collect(CASE WHEN c.id IS NULL THEN NULL ELSE 'company' END) AS ctype,
     min(c.name) AS winner,
     collect(CASE WHEN w.id IS NULL THEN NULL ELSE w.src_file + ':' + toString(w.src_row) END) AS src_w
OPTIONAL MATCH (b:Bid)-[:BID_FOR]->(t)
WITH t, u, cid, ctype, winner, src_w, count(b) AS bids
RETURN t.id AS key,
       CASE WHEN t.close_date < t.publish_date + duration({days: $red_days}) THEN 'red' ELSE 'orange' END AS level,
       [t.id, u.id] + cid AS entities,
       ['tender', 'unit'] + ctype AS types,
       u.name + ' published ' + t.method + ' tender ' + t.id + ' (' + coalesce(t.title, '') + ') on ' +
       toString(t.publish_date) + ' and closed it on ' + toString(t.close_date) + ', under ' + toString($min_days) +
       ' days; ' + toString(bids) + ' bids' + CASE WHEN winner IS NULL THEN '' ELSE ', won by ' + winner END AS summary,
       u.name + '于' + toString(t.publish_date) + '发布' + CASE t.method WHEN 'open' THEN '公开招标'
           WHEN 'invited' THEN '邀请招标' WHEN 'direct' THEN '直接发包' ELSE t.method END + '项目' + t.id + '（'
           + coalesce(t.title, '') +
       '），' + toString(t.close_date) + '即截止投标，等标期不足' + toString($min_days) + '天；共收到投标' + toString(bids) +
       '份' + CASE WHEN winner IS NULL THEN '' ELSE '，由' + winner + '中标' END AS summary_zh,
       [t.src_file + ':' + toString(t.src_row)] + src_w AS sources
ORDER BY key
