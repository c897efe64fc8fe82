// id: relative_wins_tender_1hop
// title_zh: 公职人员近亲属任法定代表人或股东的企业中标本单位项目
// title_en: An official's close relative is legal representative or shareholder of the company that won the official's unit's tender
// detects: >
//   A person on a unit's roster whose post had not ended when a tender of that unit was published, and whose
//   relative (one family tie: spouse, parent, child, sibling or in-law) is the legal representative or a
//   shareholder of the company that won the tender (an official meddling in tendering: a conflict of interest). The relative's role is in the
//   summary; executives who are neither legal representative nor shareholder are the model
//   relative_wins_tender_executive, relatives two ties away relative_wins_tender_2hop.
// params:
//   relationships: {default: [spouse, parent, child, sibling, in_law], doc: "what the relative is to the official (family.relationship vocabulary)"}
//   roster_roles: {default: [official, judge, prosecutor, village_cadre, staff], doc: roster roles (staff categories) whose relatives are screened}
//   major_share: {default: 50, doc: "shareholding (%) from which a shareholder relative alone makes the hit red"}
// needs: [roster, family, companies, shareholders, tenders, bids, contracts]
// level: red when the relative is the legal representative or holds at least major_share %; orange for a smaller holding
// level_zh: 红色：亲属任法定代表人或持股不低于 major_share%；持股较少为橙色
// scheme: relative_wins_tender_1hop
// roles: 5
// match: tender
MATCH (:Organization)<-[e0:EMPLOYED_BY]-(o:Person)
WHERE e0.role IN $roster_roles
WITH DISTINCT o
// The roster's persons once each, their relatives, the companies those relatives represent or hold, and only then
// the tenders, and the tender's roster apart from the tender: led by the tenders, the query paired every tender
// with every person on the issuing unit's roster and expanded each pair's family ties (515,398 rows at 300,000
// persons; 5.5 s of CPU and 1,443 MiB at a million, 0.7 s and 592 MiB read this way).
MATCH (o)-[f:FAMILY]-(r:Person)
WHERE r <> o
MATCH (r)-[:LEGAL_REP_OF|SHAREHOLDER_OF]->(c:Company)
WITH DISTINCT o, f, r, c
MATCH (c)-[w:WON]->(t:Tender)-[:ISSUED_BY]->(u:Organization)
WITH o, f, r, c, w, t, u
MATCH (u)<-[e:EMPLOYED_BY]-(o)
WHERE e.role IN $roster_roles AND (e.end_date IS NULL OR e.end_date >= t.publish_date)
OPTIONAL MATCH (o)-[fo:FAMILY]->(r)
OPTIONAL MATCH (o)<-[fi:FAMILY]-(r)
WITH c, w, t, u, e, o, f, r,
     coalesce(fo.relationship, CASE fi.relationship WHEN 'parent' THEN 'child' WHEN 'child' THEN 'parent'
                                    ELSE fi.relationship END) AS rel
WHERE rel IN $relationships
OPTIONAL MATCH (r)-[lr:LEGAL_REP_OF]->(c)
WITH c, w, t, u, e, o, f, r, rel,
     collect(CASE WHEN lr.id IS NULL THEN NULL ELSE lr.src_file + ':' + toString(lr.src_row) END) AS src_lr
OPTIONAL MATCH (r)-[sh:SHAREHOLDER_OF]->(c)
WITH c, w, t, u, e, o, f, r, rel, src_lr, sum(sh.percent) AS pct,
     collect(CASE WHEN sh.id IS NULL THEN NULL ELSE sh.src_file + ':' + toString(sh.src_row) END) AS src_sh
OPTIONAL MATCH (c)<-[:AWARDED_TO]-(k:Contract)-[:UNDER_TENDER]->(t)
WITH c, w, t, u, e, o, f, r, rel, src_lr, pct, src_sh,
     collect(k.id) AS kid, collect(CASE WHEN k.id IS NULL THEN NULL ELSE 'contract' END) AS ktype,
     collect(CASE WHEN k.id IS NULL THEN NULL ELSE k.src_file + ':' + toString(k.src_row) END) AS src_k
RETURN t.id + '|' + o.id + '|' + r.id AS key,
       CASE WHEN size(src_lr) > 0 OR pct >= $major_share THEN 'red' ELSE 'orange' END AS level,
       [o.id, r.id, c.id, u.id, t.id] + kid AS entities,
       ['person', 'person', 'company', 'unit', 'tender'] + ktype AS types,
       o.name + ' (' + coalesce(e.post, e.role) + ', ' + u.name + ') — ' + rel + ' ' + r.name + ' — ' +
       CASE WHEN size(src_sh) = 0 THEN 'legal representative'
            WHEN size(src_lr) = 0 THEN '{share:' + toString(pct) + '} shareholder'
            ELSE 'legal representative and {share:' + toString(pct) + '} shareholder' END +
       ' of ' + c.name + ' — won tender ' + t.id + ' (' + coalesce(t.title, '') + ') issued by ' + u.name AS summary,
       u.name + coalesce(e.post, CASE e.role WHEN 'official' THEN '领导干部' WHEN 'judge' THEN '法官'
                                      WHEN 'prosecutor' THEN '检察官' WHEN 'village_cadre' THEN '村干部'
                                      WHEN 'staff' THEN '工作人员' ELSE e.role END)
       + o.name + '的' + CASE rel WHEN 'spouse' THEN '配偶' WHEN 'parent' THEN '父母' WHEN 'child' THEN '子女'
                         WHEN 'sibling' THEN '兄弟姐妹' WHEN 'in_law' THEN '姻亲' WHEN 'other' THEN '其他亲属' ELSE rel END
       + r.name + '系' + c.name +
       CASE WHEN size(src_sh) = 0 THEN '法定代表人'
            WHEN size(src_lr) = 0 THEN '股东（持股{share:' + toString(pct) + '}）'
            ELSE '法定代表人兼股东（持股{share:' + toString(pct) + '}）' END +
       '，该公司中标该单位发布的招标项目' + t.id + '（' + coalesce(t.title, '') + '）' AS summary_zh,
       [e.src_file + ':' + toString(e.src_row), f.src_file + ':' + toString(f.src_row)] + src_lr + src_sh +
       [w.src_file + ':' + toString(w.src_row), t.src_file + ':' + toString(t.src_row)] + src_k AS sources
ORDER BY key
