// id: bid_rigging
// title_zh: 围标串标：共同投标、身份信息关联、报价规律性接近、轮流中标
// title_en: Bid rigging - companies that bid together, share identities, price their bids in lockstep and take turns to win
// detects: >
//   Companies that bid in the same tenders at least min_tenders times, whose prices lie within cover_margin of
//   each other in at least min_close_share of those tenders (cover bids: prices that differ by a regular pattern), that share at
//   least min_signals identifiers (Article 40 of the Bidding Law's implementing regulations): phone, registered address, a person who is legal
//   representative or shareholder of both, and - in the same tender - bid-document author, IP, MAC or file hash,
//   bond account or bidding agent; and among whom at least min_winners different companies won (taking turns to win).
//   One hit per group, named by its smallest credit code; the group is that company and every partner that
//   passes the screen with it. Community detection over the bidder graph is graphkit.collusion.
// params:
//   min_tenders: {default: 4, doc: tenders two companies must have bid in together}
//   cover_margin: {default: 0.035, doc: "relative price difference (of the lower price) under which two bids in a tender count as lockstep"}
//   min_close_share: {default: 0.8, doc: share of their common tenders in which the two bids are that close}
//   min_signals: {default: 1, doc: shared identifiers two companies need}
//   min_winners: {default: 2, doc: different winners the group needs in its common tenders (rotation)}
// needs: [bids, tenders, companies, shareholders]
// level: red when some pair of the group shares at least two kinds of identifier; orange otherwise
// level_zh: 红色：团伙中有一对企业共用至少两类身份信息；其余为橙色
// scheme: bid_rigging
// match: company
// steps: [models/bid_rigging/pairs, models/bid_rigging/signals]
UNWIND $rows AS r
// the steps (graphkit.rules.run): the screen's pairs (models/bid_rigging/pairs), then the identifiers each pair
// shares (models/bid_rigging/signals), here as $rows; each ran on its own and gave back what it held (at a million
// persons the query in one piece held all three: 2.2 GB, bench/models_steps.py)
WITH r.a AS aid, r.b AS bid, r.signals AS signals, r.phone AS phone, r.address AS address, r.person AS person,
     r.bid_doc AS bid_doc, r.bond AS bond, r.agent AS agent
WITH aid, collect(bid) AS partners, collect('company') AS ptypes, min(bid) AS first_partner, max(signals) AS top_signals,
     max(CASE WHEN phone THEN 1 ELSE 0 END) AS phone, max(CASE WHEN address THEN 1 ELSE 0 END) AS address,
     max(CASE WHEN person THEN 1 ELSE 0 END) AS person, max(CASE WHEN bid_doc THEN 1 ELSE 0 END) AS bid_doc,
     max(CASE WHEN bond THEN 1 ELSE 0 END) AS bond, max(CASE WHEN agent THEN 1 ELSE 0 END) AS agent
WHERE aid < first_partner
// a group is named by its smallest credit code: the company whose partners are all after it
MATCH (a:Company {id: aid})
MATCH (a)<-[sa:SUBMITTED_BY]-(ba:Bid)-[fa:BID_FOR]->(t:Tender)
WITH a, partners, ptypes, top_signals, phone, address, person, bid_doc, bond, agent, sa, ba, fa, t
// each partner looked up by its key, and its bids in the group's own tenders: not every pair of bids again
UNWIND partners AS pid
MATCH (m:Company {id: pid})
MATCH (t)<-[fm:BID_FOR]-(bm:Bid)-[sm:SUBMITTED_BY]->(m)
WHERE fa <> fm AND sa <> sm
WITH a, partners, ptypes, top_signals, phone, address, person, bid_doc, bond, agent, t,
     ba.src_file + ':' + toString(ba.src_row) AS own_src, collect(bm.src_file + ':' + toString(bm.src_row)) AS bid_src
OPTIONAL MATCH (w:Company)-[:WON]->(t)
WHERE w.id = a.id OR w.id IN partners
WITH a, partners, ptypes, top_signals, phone, address, person, bid_doc, bond, agent,
     collect(t.id) AS tids, collect('tender') AS ttypes, collect(DISTINCT w.id) AS winners,
     collect([own_src] + bid_src) AS srcs
WHERE size(winners) >= $min_winners
UNWIND srcs AS bid_src
UNWIND bid_src AS src
WITH a, partners, ptypes, top_signals, phone, address, person, bid_doc, bond, agent, tids, ttypes, winners,
     collect(DISTINCT src) AS sources
WITH a, partners, ptypes, top_signals, tids, ttypes, winners, sources,
     CASE WHEN phone = 1 THEN 'phone, ' ELSE '' END + CASE WHEN address = 1 THEN 'address, ' ELSE '' END +
     CASE WHEN person = 1 THEN 'legal representative or shareholder, ' ELSE '' END +
     CASE WHEN bid_doc = 1 THEN 'bid-document author/IP/MAC/hash, ' ELSE '' END +
     CASE WHEN bond = 1 THEN 'bond account, ' ELSE '' END + CASE WHEN agent = 1 THEN 'bidding agent, ' ELSE '' END AS shared,
     CASE WHEN phone = 1 THEN '电话、' ELSE '' END + CASE WHEN address = 1 THEN '注册地址、' ELSE '' END +
     CASE WHEN person = 1 THEN '法定代表人或股东、' ELSE '' END +
     CASE WHEN bid_doc = 1 THEN '投标文件制作人/IP/MAC/文件哈希、' ELSE '' END +
     CASE WHEN bond = 1 THEN '保证金账户、' ELSE '' END + CASE WHEN agent = 1 THEN '投标代理人、' ELSE '' END AS shared_zh
RETURN a.id AS key,
       CASE WHEN top_signals >= 2 THEN 'red' ELSE 'orange' END AS level,
       [a.id] + partners + tids AS entities,
       ['company'] + ptypes + ttypes AS types,
       a.name + ' and ' + toString(size(partners)) + ' other compan' + CASE WHEN size(partners) = 1 THEN 'y' ELSE 'ies' END +
       ' bid together in ' + toString(size(tids)) + ' tenders with prices within ' +
       toString(toInteger(round(1000 * $cover_margin, 0)) / 10) + '.' + toString(toInteger(round(1000 * $cover_margin, 0)) % 10) +
       '% of each other, ' + toString(size(winners)) +
       ' of them winning in turn; shared ' + left(shared, size(shared) - 2) AS summary,
       a.name + '等' + toString(size(partners) + 1) + '家公司在' + toString(size(tids)) + '个标段中共同投标，报价相差不超过' +
       toString(toInteger(round(1000 * $cover_margin, 0)) / 10) + '.' + toString(toInteger(round(1000 * $cover_margin, 0)) % 10) +
       '%，其中' + toString(size(winners)) + '家轮流中标；共用' + left(shared_zh, size(shared_zh) - 1) AS summary_zh,
       sources
ORDER BY key
