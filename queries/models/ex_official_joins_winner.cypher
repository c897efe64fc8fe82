// id: ex_official_joins_winner
// title_zh: 离职公职人员到原单位中标企业任职、持股
// title_en: A former official runs, owns or works for a company that wins tenders of the unit the official left
// detects: >
//   A roster post that has ended (the official left) and, after it ended and within window_days, a tender of that unit won by a
//   company the former post-holder is now tied to: legal representative, shareholder, executive, or insured
//   employee (insured through the company's social insurance) whose insurance had not ended before the post did (the revolving door: Article 107 of the Civil Servants Law). A person
//   back in a post at the unit when the tender was published is not a former official there.
// params:
//   window_days: {default: 1826, doc: days after leaving the post within which a won tender is screened}
//   strict_days: {default: 1095, doc: "days after leaving within which the hit is red (the 3-year bar on leaders taking such posts)"}
// needs: [roster, companies, shareholders, executives, social_insurance, tenders, bids, contracts]
// level: red when the former official is legal representative, shareholder or executive and the tender came within strict_days of leaving; orange otherwise (an employee, or later)
// level_zh: 红色：离职人员任法定代表人、股东或高管，且中标在离职后 strict_days 天内；其余为橙色（普通员工，或时间更晚）
// scheme: ex_official_joins_winner
// roles: 4
// match: tender
MATCH (p:Person)-[e:EMPLOYED_BY]->(u:Organization)<-[:ISSUED_BY]-(t:Tender)<-[w:WON]-(c:Company)
WHERE e.end_date IS NOT NULL AND t.publish_date > e.end_date
  AND t.publish_date <= e.end_date + duration({days: $window_days})
  AND (EXISTS { MATCH (p)-[:LEGAL_REP_OF]->(c) } OR EXISTS { MATCH (p)-[:SHAREHOLDER_OF]->(c) }
       OR EXISTS { MATCH (p)-[:EXECUTIVE_OF]->(c) }
       OR EXISTS { MATCH (p)-[j:EMPLOYED_BY]->(c) WHERE j.end_date IS NULL OR j.end_date >= e.end_date })
  AND NOT EXISTS { MATCH (p)-[now:EMPLOYED_BY]->(u)
                   WHERE now.start_date <= t.publish_date AND (now.end_date IS NULL OR now.end_date >= t.publish_date) }
WITH p, e, u, t, w, c, t.publish_date <= e.end_date + duration({days: $strict_days}) AS soon
OPTIONAL MATCH (p)-[lr:LEGAL_REP_OF]->(c)
WITH p, e, u, t, w, c, soon,
     collect(CASE WHEN lr.id IS NULL THEN NULL ELSE lr.src_file + ':' + toString(lr.src_row) END) AS src_lr
OPTIONAL MATCH (p)-[sh:SHAREHOLDER_OF]->(c)
WITH p, e, u, t, w, c, soon, src_lr, sum(sh.percent) AS pct,
     collect(CASE WHEN sh.id IS NULL THEN NULL ELSE sh.src_file + ':' + toString(sh.src_row) END) AS src_sh
OPTIONAL MATCH (p)-[ex:EXECUTIVE_OF]->(c)
WITH p, e, u, t, w, c, soon, src_lr, pct, src_sh, min(ex.title) AS title,
     collect(CASE WHEN ex.id IS NULL THEN NULL ELSE ex.src_file + ':' + toString(ex.src_row) END) AS src_ex
OPTIONAL MATCH (p)-[j:EMPLOYED_BY]->(c)
WHERE j.end_date IS NULL OR j.end_date >= e.end_date
WITH p, e, u, t, w, c, soon, src_lr, pct, src_sh, title, src_ex,
     collect(CASE WHEN j.id IS NULL THEN NULL ELSE j.src_file + ':' + toString(j.src_row) END) AS src_j
OPTIONAL MATCH (c)<-[:AWARDED_TO]-(k:Contract)-[:UNDER_TENDER]->(t)
WITH p, e, u, t, w, c, soon, src_lr, pct, src_sh, title, src_ex, src_j,
     collect(k.id) AS kid, collect(CASE WHEN k.id IS NULL THEN NULL ELSE 'contract' END) AS ktype,
     collect(CASE WHEN k.id IS NULL THEN NULL ELSE k.src_file + ':' + toString(k.src_row) END) AS src_k
WITH p, e, u, t, w, c, soon, src_lr, src_sh, src_ex, src_j, kid, ktype, src_k,
     CASE WHEN size(src_lr) > 0 THEN 'legal representative, ' ELSE '' END +
     CASE WHEN size(src_sh) > 0 THEN '{share:' + toString(pct) + '} shareholder, ' ELSE '' END +
     CASE WHEN size(src_ex) > 0 THEN coalesce(title, 'executive') + ', ' ELSE '' END +
     CASE WHEN size(src_j) > 0 THEN 'insured employee, ' ELSE '' END AS ties,
     CASE WHEN size(src_lr) > 0 THEN '法定代表人、' ELSE '' END +
     CASE WHEN size(src_sh) > 0 THEN '股东（持股{share:' + toString(pct) + '}）、' ELSE '' END +
     CASE WHEN size(src_ex) > 0 THEN coalesce(title, '高管') + '、' ELSE '' END +
     CASE WHEN size(src_j) > 0 THEN '参保职工、' ELSE '' END AS ties_zh
RETURN t.id + '|' + p.id AS key,
       CASE WHEN soon AND size(src_lr) + size(src_sh) + size(src_ex) > 0 THEN 'red' ELSE 'orange' END AS level,
       [p.id, u.id, c.id, t.id] + kid AS entities,
       ['person', 'unit', 'company', 'tender'] + ktype AS types,
       p.name + ' left ' + coalesce(e.post, 'a post') + ' at ' + u.name + ' on ' + toString(e.end_date) + '; now ' +
       left(ties, size(ties) - 2) + ' of ' + c.name + ', which won tender ' + t.id + ' (' + coalesce(t.title, '') + ') published by ' +
       u.name + ' on ' + toString(t.publish_date) AS summary,
       p.name + '于' + toString(e.end_date) + CASE WHEN e.post IS NULL THEN '离开' + u.name ELSE '离任' + u.name + e.post END +
       '，现为' + c.name + left(ties_zh, size(ties_zh) - 1) + '；该公司中标' + u.name + '于' + toString(t.publish_date) +
       '发布的招标项目' + t.id + '（' + coalesce(t.title, '') + '）' AS summary_zh,
       [e.src_file + ':' + toString(e.src_row)] + src_lr + src_sh + src_ex + src_j +
       [w.src_file + ':' + toString(w.src_row), t.src_file + ':' + toString(t.src_row)] + src_k AS sources
ORDER BY key
