// id: split_contracts
// title_zh: 化整为零规避招标（拆分合同）
// title_en: Contracts split to stay just under the tender threshold
// detects: >
//   At least min_count contracts awarded directly by one unit to one company, each just under the amount from
//   which a tender is required (at least threshold × (1 − band), below threshold), signed within window_days of
//   one another: one purchase cut into pieces to avoid tendering (one purchase split up to evade tendering). One hit per unit and
//   company lists every contract that falls in such a window.
// params:
//   threshold: {default: 1000000, doc: "amount (yuan) from which a tender is required"}
//   band: {default: 0.1, doc: "how far under the threshold (as a share of it) a contract counts as just under"}
//   window_days: {default: 30, doc: days within which the pieces are signed}
//   min_count: {default: 3, doc: contracts needed in one window}
//   direct_methods: {default: [direct], doc: contract methods (procurement methods) that count as direct awards}
// needs: [contracts]
// level: red when the contracts in windows together reach four or more; orange for three
// level_zh: 红色：时间窗内合同合计四份及以上；三份为橙色
// scheme: split_contracts
// roles: 2
// match: contract
MATCH (u:Organization)<-[:CONTRACTED_BY]-(k1:Contract)-[:AWARDED_TO]->(c:Company)
WHERE k1.method IN $direct_methods AND k1.amount >= $threshold * (1.0 - $band) AND k1.amount < $threshold
MATCH (u)<-[:CONTRACTED_BY]-(k2:Contract)-[:AWARDED_TO]->(c)
WHERE k2.method IN $direct_methods AND k2.amount >= $threshold * (1.0 - $band) AND k2.amount < $threshold
  AND k2.signed_date >= k1.signed_date AND k2.signed_date <= k1.signed_date + duration({days: $window_days})
WITH u, c, k1, collect(k2.id) AS window
WHERE size(window) >= $min_count
UNWIND window AS kid
WITH DISTINCT u, c, kid
MATCH (k:Contract {id: kid})
WITH u, c, count(k) AS n, sum(k.amount) AS total, min(k.id) AS first, min(k.signed_date) AS since,
     max(k.signed_date) AS until, collect(k.id) AS kid, collect('contract') AS ktype,
     collect(k.src_file + ':' + toString(k.src_row)) AS src_k
RETURN u.id + '|' + c.id + '|' + first AS key,
       CASE WHEN n >= 4 THEN 'red' ELSE 'orange' END AS level,
       [u.id, c.id] + kid AS entities,
       ['unit', 'company'] + ktype AS types,
       u.name + ' awarded ' + toString(n) + ' direct contracts to ' + c.name + ' between ' + toString(since) +
       ' and ' + toString(until) + ', each just under ' + '{money:' + toString($threshold) + '}' + ', together ' +
       '{money:' + toString(total) + '}' AS summary,
       u.name + '于' + toString(since) + '至' + toString(until) + '间向' + c.name + '直接发包合同' + toString(n) +
       '份，每份均略低于' + '{money:' + toString($threshold) + '}' + '，合计' + '{money:' + toString(total) + '}'
       AS summary_zh,
       src_k AS sources
ORDER BY key
