// id: direct_award_share
// title_zh: 单位直接发包（直接采购）比例过高
// title_en: A unit awards too large a share of its contracts directly, without competition
// detects: >
//   A contracting unit with at least min_contracts contracts of which at least min_share (by number) were
//   awarded directly (procurement method direct: too many works awarded directly). The share by amount is given in the summary.
// params:
//   min_contracts: {default: 15, doc: contracts a unit needs before its share is judged}
//   min_share: {default: 0.75, doc: share of direct awards (by number of contracts) that raises a warning (three in four)}
//   direct_methods: {default: [direct], doc: contract methods (procurement methods) that count as direct awards}
//   red_share: {default: 0.9, doc: share from which the hit is red}
//   orange_share: {default: 0.8, doc: share from which the hit is orange}
// needs: [contracts, units]
// level: red when the direct share is at least red_share; orange from orange_share; yellow otherwise
// level_zh: 红色：直接发包比例不低于 red_share；橙色：不低于 orange_share；其余为黄色
// scheme: direct_award_share
// match: unit
MATCH (u:Organization)<-[:CONTRACTED_BY]-(k:Contract)
WITH u, count(k) AS n, sum(k.amount) AS amount,
     sum(CASE WHEN k.method IN $direct_methods THEN 1 ELSE 0 END) AS d,
     sum(CASE WHEN k.method IN $direct_methods THEN k.amount ELSE 0.0 END) AS d_amount
WHERE n >= $min_contracts AND toFloat(d) / n >= $min_share
WITH u, n, d, amount, d_amount, toFloat(d) / n AS share
MATCH (u)<-[:CONTRACTED_BY]-(k:Contract)
WHERE k.method IN $direct_methods
WITH u, n, d, amount, d_amount, share, collect(k.src_file + ':' + toString(k.src_row)) AS src_k,
     collect(k.id) AS direct, collect('contract') AS ktype
RETURN u.id AS key,
       CASE WHEN share >= $red_share THEN 'red' WHEN share >= $orange_share THEN 'orange' ELSE 'yellow' END AS level,
       [u.id] + direct AS entities,
       ['unit'] + ktype AS types,
       u.name + ' awarded ' + toString(d) + ' of its ' + toString(n) + ' contracts directly (' +
       '{share:' + toString(100.0 * share) + '} by number, ' +
       '{share:' + toString(100.0 * d_amount / CASE WHEN amount > 0 THEN amount ELSE 1.0 END) + '}' +
       ' of ' + '{money:' + toString(amount) + '}' + ' by amount)' AS summary,
       u.name + '签订合同' + toString(n) + '份，其中直接发包' + toString(d) + '份，数量占' +
       '{share:' + toString(100.0 * share) + '}，金额占' +
       '{share:' + toString(100.0 * d_amount / CASE WHEN amount > 0 THEN amount ELSE 1.0 END) + '}' +
       '（合同总额' + '{money:' + toString(amount) + '}' + '）' AS summary_zh,
       [u.src_file + ':' + toString(u.src_row)] + src_k AS sources
ORDER BY key
