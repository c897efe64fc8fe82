// id: relative_wins_tender_executive
// title_zh: 公职人员近亲属任高管（非法定代表人、非股东）的企业中标本单位项目
// title_en: An official's close relative is an executive (neither legal representative nor shareholder) of the company that won the official's unit's tender
// detects: >
//   A person on a unit's roster whose post had not ended when a tender of that unit was published, and whose
//   relative (one family tie) is a director, supervisor or manager (key personnel: director, supervisor, manager, chief financial officer ...) of the
//   company that won the tender without being its legal representative or a shareholder — the relative who
//   is kept off the ownership records (legal representatives, listed as executive director and general manager too, are the model
//   relative_wins_tender_1hop).
// params:
//   relationships: {default: [spouse, parent, child, sibling, in_law], doc: "what the relative is to the official (family.relationship vocabulary)"}
//   roster_roles: {default: [official, judge, prosecutor, village_cadre, staff], doc: roster roles (staff categories) whose relatives are screened}
//   senior_titles: {default: [董事长, 执行董事, 总经理, 经理, 董事, 副总经理, 财务负责人], doc: executive titles that make the hit orange (others, e.g. a supervisor, yellow)}
// needs: [roster, family, companies, shareholders, executives, tenders, bids, contracts]
// level: orange when the relative's title is one of senior_titles; yellow otherwise
// level_zh: 橙色：亲属职务属 senior_titles；其余为黄色
// scheme: relative_wins_tender_executive
// roles: 5
// match: tender
MATCH (:Organization)<-[e0:EMPLOYED_BY]-(o:Person)
WHERE e0.role IN $roster_roles
WITH DISTINCT o
// The roster's persons once each, their relatives' executive posts, the tenders those companies won, and the
// tender's roster apart from the tender: led by the tenders, the query paired every tender with every person on
// the issuing unit's roster and expanded each pair's family ties (4.2 s of CPU and 1,019 MiB at a million persons).
MATCH (o)-[f:FAMILY]-(r:Person)-[ex:EXECUTIVE_OF]->(c:Company)
WHERE r <> o AND NOT EXISTS { MATCH (r)-[:LEGAL_REP_OF]->(c) } AND NOT EXISTS { MATCH (r)-[:SHAREHOLDER_OF]->(c) }
WITH o, f, r, ex, c
MATCH (c)-[w:WON]->(t:Tender)-[:ISSUED_BY]->(u:Organization)
WITH o, f, r, ex, c, w, t, u
MATCH (u)<-[e:EMPLOYED_BY]-(o)
WHERE e.role IN $roster_roles AND (e.end_date IS NULL OR e.end_date >= t.publish_date)
OPTIONAL MATCH (o)-[fo:FAMILY]->(r)
OPTIONAL MATCH (o)<-[fi:FAMILY]-(r)
WITH c, w, t, u, e, o, f, r, ex,
     coalesce(fo.relationship, CASE fi.relationship WHEN 'parent' THEN 'child' WHEN 'child' THEN 'parent'
                                    ELSE fi.relationship END) AS rel
WHERE rel IN $relationships
WITH c, w, t, u, e, o, r, min(rel) AS rel,
     collect(DISTINCT f.src_file + ':' + toString(f.src_row)) AS src_fam,
     collect(DISTINCT coalesce(ex.title, 'executive')) AS titles, min(coalesce(ex.title, 'executive')) AS title,
     collect(DISTINCT ex.src_file + ':' + toString(ex.src_row)) AS src_ex,
     max(CASE WHEN ex.title IN $senior_titles THEN 1 ELSE 0 END) AS senior
OPTIONAL MATCH (c)<-[:AWARDED_TO]-(k:Contract)-[:UNDER_TENDER]->(t)
WITH c, w, t, u, e, o, r, rel, src_fam, titles, title, src_ex, senior,
     collect(k.id) AS kid, collect(CASE WHEN k.id IS NULL THEN NULL ELSE 'contract' END) AS ktype,
     collect(CASE WHEN k.id IS NULL THEN NULL ELSE k.src_file + ':' + toString(k.src_row) END) AS src_k
RETURN t.id + '|' + o.id + '|' + r.id AS key,
       CASE WHEN senior = 1 THEN 'orange' ELSE 'yellow' END AS level,
       [o.id, r.id, c.id, u.id, t.id] + kid AS entities,
       ['person', 'person', 'company', 'unit', 'tender'] + ktype AS types,
       o.name + ' (' + coalesce(e.post, e.role) + ', ' + u.name + ') — ' + rel + ' ' + r.name + ' — ' +
       CASE WHEN size(titles) = 1 THEN title ELSE 'executive (' + toString(size(titles)) + ' titles)' END +
       ' (neither legal representative nor shareholder) of ' + c.name + ' — won tender ' + t.id + ' (' +
       coalesce(t.title, '') + ') issued by ' + u.name AS summary,
       u.name + coalesce(e.post, CASE e.role WHEN 'official' THEN '领导干部' WHEN 'judge' THEN '法官'
                                      WHEN 'prosecutor' THEN '检察官' WHEN 'village_cadre' THEN '村干部'
                                      WHEN 'staff' THEN '工作人员' ELSE e.role END)
       + o.name + '的' + CASE rel WHEN 'spouse' THEN '配偶' WHEN 'parent' THEN '父母' WHEN 'child' THEN '子女'
                         WHEN 'sibling' THEN '兄弟姐妹' WHEN 'in_law' THEN '姻亲' WHEN 'other' THEN '其他亲属' ELSE rel END
       + r.name + '任' + c.name +
       CASE WHEN size(titles) > 1 THEN '高管（' + toString(size(titles)) + '个职务）'
            WHEN title = 'executive' THEN '高管' ELSE title END +
       '（非法定代表人、非股东）' +
       '，该公司中标该单位发布的招标项目' + t.id + '（' + coalesce(t.title, '') + '）' AS summary_zh,
       [e.src_file + ':' + toString(e.src_row)] + src_fam + src_ex +
       [w.src_file + ':' + toString(w.src_row), t.src_file + ':' + toString(t.src_row)] + src_k AS sources
ORDER BY key
