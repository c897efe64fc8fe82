// id: banquet_no_letter
// title_zh: 无公函接待、超标准接待（吃公函）
// title_en: Reception without an official letter, or above the per-guest standard
// detects: >
//   An official reception expense claimed without the inviting unit's official letter and/or costing more
//   per guest than the standard (the official reception rules: no letter, no reception; no reception above the
//   standard), with the restaurant's tax invoice
//   behind it.
// params:
//   max_per_guest: {default: 150, doc: "standard (yuan per guest) above which a reception is over standard"}
// needs: [receptions, invoices]
// level: red when there is no letter and the cost is over standard; orange when there is no letter; yellow when only over standard
// level_zh: 红色：无公函且超标准；橙色：无公函；黄色：仅超标准
// scheme: banquet_no_letter
// roles: 2
// match: reception
MATCH (x:ReceptionExpense)-[:CLAIMED_BY]->(u:Organization)
WITH x, u, (x.letter_no IS NULL OR trim(x.letter_no) = '') AS no_letter,
     CASE WHEN x.guests > 0 THEN x.amount / x.guests ELSE NULL END AS per_guest
WHERE no_letter OR per_guest > $max_per_guest
// one aggregation per kind of party, so that each id list and its type list stay parallel
// (collect(DISTINCT 'invoice') would give one type for two invoices)
OPTIONAL MATCH (x)-[:SUPPORTED_BY]->(i:Invoice)
WITH DISTINCT x, u, no_letter, per_guest, i
WITH x, u, no_letter, per_guest, per_guest > $max_per_guest AS over,
     collect(i.id) AS iid, collect(CASE WHEN i.id IS NULL THEN NULL ELSE 'invoice' END) AS itype,
     collect(CASE WHEN i.id IS NULL THEN NULL ELSE i.src_file + ':' + toString(i.src_row) END) AS src_i
OPTIONAL MATCH (x)-[:SUPPORTED_BY]->(:Invoice)-[:SOLD_BY]->(s:Company)
WITH DISTINCT x, u, no_letter, per_guest, over, iid, itype, src_i, s
WITH x, u, no_letter, per_guest, over, iid, itype, src_i,
     collect(s.id) AS sid, collect(CASE WHEN s.id IS NULL THEN NULL ELSE 'company' END) AS stype, min(s.name) AS seller
OPTIONAL MATCH (x)-[:APPROVED_BY]->(a:Person)
WITH DISTINCT x, u, no_letter, per_guest, over, iid, itype, src_i, sid, stype, seller, a
WITH x, u, no_letter, per_guest, over, iid, itype, src_i, sid, stype, seller,
     collect(a.id) AS aid, collect(CASE WHEN a.id IS NULL THEN NULL ELSE 'person' END) AS atype, min(a.name) AS approver
RETURN x.id AS key,
       CASE WHEN no_letter AND over THEN 'red' WHEN no_letter THEN 'orange' ELSE 'yellow' END AS level,
       [x.id, u.id] + iid + sid + aid AS entities,
       ['reception', 'unit'] + itype + stype + atype AS types,
       u.name + ' reception ' + x.id + ' on ' + toString(x.date) + ': ' + '{money:' + toString(x.amount) + '}' + ' for ' +
       coalesce(toString(x.guests), '?') + ' guests' +
       CASE WHEN per_guest IS NULL THEN '' ELSE ' (' + '{money:' + toString(per_guest) + '}' + ' per guest)' END +
       CASE WHEN no_letter THEN ', no official letter' ELSE '' END +
       CASE WHEN over THEN ', over the ' + '{money:' + toString($max_per_guest) + '}' + ' standard' ELSE '' END +
       CASE WHEN seller IS NULL THEN '' ELSE '; invoiced by ' + seller END +
       CASE WHEN approver IS NULL THEN '' ELSE '; approved by ' + approver END AS summary,
       u.name + toString(x.date) + '公务接待' + x.id + '，花费' + '{money:' + toString(x.amount) + '}' + '，接待' +
       coalesce(toString(x.guests), '?') + '人' +
       CASE WHEN per_guest IS NULL THEN '' ELSE '（人均' + '{money:' + toString(per_guest) + '}' + '）' END +
       CASE WHEN no_letter THEN '，无公函' ELSE '' END +
       CASE WHEN over THEN '，超过人均' + '{money:' + toString($max_per_guest) + '}' + '的接待标准' ELSE '' END +
       CASE WHEN seller IS NULL THEN '' ELSE '；开票方' + seller END +
       CASE WHEN approver IS NULL THEN '' ELSE '；审批人' + approver END AS summary_zh,
       [x.src_file + ':' + toString(x.src_row)] + src_i AS sources
ORDER BY key
