// id: relative_wins_tender_2hop
// title_zh: 公职人员二度亲属（如配偶的兄弟姐妹）任职或持股的企业中标本单位项目
// title_en: A relative two family ties away from an official (e.g. the spouse's sibling) runs, owns or manages the company that won the official's unit's tender
// detects: >
//   A person on a unit's roster whose post had not ended when a tender of that unit was published, and a person
//   two family ties away (not tied to the official directly: the spouse's sibling, a sibling's spouse, a
//   child's spouse ...) who is the legal representative, a shareholder or an executive of the company that won
//   the tender. Legal representative, shareholding and executive title are all given in the summary.
// params:
//   relationships: {default: [spouse, parent, child, sibling, in_law], doc: "family ties (family.relationship vocabulary) that may make up the two-tie path"}
//   roster_roles: {default: [official, judge, prosecutor, village_cadre, staff], doc: roster roles (staff categories) whose relatives are screened}
//   major_share: {default: 50, doc: "shareholding (%) from which a shareholder relative makes the hit orange"}
// needs: [roster, family, companies, shareholders, executives, tenders, bids, contracts]
// level: orange when the relative is the legal representative or holds at least major_share %; yellow for a smaller holding or an executive post only
// level_zh: 橙色：亲属任法定代表人或持股不低于 major_share%；持股较少或仅任高管为黄色
// scheme: relative_wins_tender_2hop
// roles: 6
// match: tender
MATCH (:Organization)<-[e0:EMPLOYED_BY]-(o:Person)
WHERE e0.role IN $roster_roles
WITH DISTINCT o
// The roster's persons once each, their relatives two ties away, the companies those relatives are tied to, and
// only then the tenders: led by the tenders, a million-person city expanded two family ties from every (tender,
// roster person) pair and tested all of it against the company (29 s of CPU, 3.3 GB); read this way 6 s, 1.4 GB.
MATCH (o)-[f1:FAMILY]-(x:Person)-[f2:FAMILY]-(r:Person)
WHERE r <> o AND x <> o AND x <> r AND f1 <> f2
  AND NOT EXISTS { MATCH (o)-[:FAMILY]-(r) }
WITH o, f1, x, f2, r
MATCH (r)-[:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF]->(c:Company)
WITH DISTINCT o, f1, x, f2, r, c
MATCH (c)-[w:WON]->(t:Tender)-[:ISSUED_BY]->(u:Organization)
WITH o, f1, x, f2, r, c, w, t, u
MATCH (u)<-[e:EMPLOYED_BY]-(o)
WHERE e.role IN $roster_roles AND (e.end_date IS NULL OR e.end_date >= t.publish_date)
OPTIONAL MATCH (o)-[a1:FAMILY]->(x)
OPTIONAL MATCH (o)<-[b1:FAMILY]-(x)
OPTIONAL MATCH (x)-[a2:FAMILY]->(r)
OPTIONAL MATCH (x)<-[b2:FAMILY]-(r)
WITH c, w, t, u, e, o, f1, x, f2, r,
     coalesce(a1.relationship, CASE b1.relationship WHEN 'parent' THEN 'child' WHEN 'child' THEN 'parent'
                                    ELSE b1.relationship END) AS rel1,
     coalesce(a2.relationship, CASE b2.relationship WHEN 'parent' THEN 'child' WHEN 'child' THEN 'parent'
                                    ELSE b2.relationship END) AS rel2
WHERE rel1 IN $relationships AND rel2 IN $relationships
WITH c, w, t, u, e, o, x, r, min(rel1 + ' ' + x.name + ', whose ' + rel2) AS via1,
     min(CASE rel1 WHEN 'spouse' THEN '配偶' WHEN 'parent' THEN '父母' WHEN 'child' THEN '子女'
              WHEN 'sibling' THEN '兄弟姐妹' WHEN 'in_law' THEN '姻亲' WHEN 'other' THEN '其他亲属' ELSE rel1 END + x.name + '的'
         + CASE rel2 WHEN 'spouse' THEN '配偶' WHEN 'parent' THEN '父母' WHEN 'child' THEN '子女'
              WHEN 'sibling' THEN '兄弟姐妹' WHEN 'in_law' THEN '姻亲' WHEN 'other' THEN '其他亲属' ELSE rel2 END) AS via1_zh,
     collect(DISTINCT f1.src_file + ':' + toString(f1.src_row)) + collect(DISTINCT f2.src_file + ':' + toString(f2.src_row)) AS src1
WITH c, w, t, u, e, o, r, min(via1) AS via, min(via1_zh) AS via_zh, min(x.id) AS x1, collect(x.id) AS xid,
     collect('person') AS xtype, collect(src1) AS srcs
UNWIND srcs AS src1
UNWIND src1 AS src
WITH c, w, t, u, e, o, r, via, via_zh, x1, xid, xtype, collect(DISTINCT src) AS src_fam
OPTIONAL MATCH (r)-[lr:LEGAL_REP_OF]->(c)
WITH c, w, t, u, e, o, r, via, via_zh, x1, xid, xtype, src_fam,
     collect(CASE WHEN lr.id IS NULL THEN NULL ELSE lr.src_file + ':' + toString(lr.src_row) END) AS src_lr
OPTIONAL MATCH (r)-[sh:SHAREHOLDER_OF]->(c)
WITH c, w, t, u, e, o, r, via, via_zh, x1, xid, xtype, src_fam, src_lr, sum(sh.percent) AS pct,
     collect(CASE WHEN sh.id IS NULL THEN NULL ELSE sh.src_file + ':' + toString(sh.src_row) END) AS src_sh
OPTIONAL MATCH (r)-[ex:EXECUTIVE_OF]->(c)
WITH c, w, t, u, e, o, r, via, via_zh, x1, xid, xtype, src_fam, src_lr, pct, src_sh, min(ex.title) AS title,
     collect(CASE WHEN ex.id IS NULL THEN NULL ELSE ex.src_file + ':' + toString(ex.src_row) END) AS src_ex
OPTIONAL MATCH (c)<-[:AWARDED_TO]-(k:Contract)-[:UNDER_TENDER]->(t)
WITH c, w, t, u, e, o, r, via, via_zh, x1, xid, xtype, src_fam, src_lr, pct, src_sh, title, src_ex,
     collect(k.id) AS kid, collect(CASE WHEN k.id IS NULL THEN NULL ELSE 'contract' END) AS ktype,
     collect(CASE WHEN k.id IS NULL THEN NULL ELSE k.src_file + ':' + toString(k.src_row) END) AS src_k
WITH c, w, t, u, e, o, r, via, via_zh, x1, xid, xtype, src_fam, src_lr, pct, src_sh, title, src_ex, kid, ktype, src_k,
     CASE WHEN size(src_lr) > 0 THEN 'legal representative' ELSE '' END +
     CASE WHEN size(src_lr) > 0 AND size(src_sh) > 0 THEN ' and ' ELSE '' END +
     CASE WHEN size(src_sh) > 0 THEN '{share:' + toString(pct) + '} shareholder' ELSE '' END AS owns,
     CASE WHEN size(src_lr) > 0 THEN '法定代表人' ELSE '' END +
     CASE WHEN size(src_lr) > 0 AND size(src_sh) > 0 THEN '兼' ELSE '' END +
     CASE WHEN size(src_sh) > 0 THEN '股东（持股{share:' + toString(pct) + '}）' ELSE '' END AS owns_zh
RETURN t.id + '|' + o.id + '|' + r.id AS key,
       CASE WHEN size(src_lr) > 0 OR pct >= $major_share THEN 'orange' ELSE 'yellow' END AS level,
       [o.id, x1, r.id, c.id, u.id, t.id] + xid + kid AS entities,
       ['person', 'person', 'person', 'company', 'unit', 'tender'] + xtype + ktype AS types,
       o.name + ' (' + coalesce(e.post, e.role) + ', ' + u.name + ') — ' + via + ' ' + r.name + ' — ' +
       CASE WHEN owns = '' THEN coalesce(title, 'executive') ELSE owns END +
       ' of ' + c.name + ' — won tender ' + t.id + ' (' + coalesce(t.title, '') + ') issued by ' + u.name AS summary,
       u.name + coalesce(e.post, CASE e.role WHEN 'official' THEN '领导干部' WHEN 'judge' THEN '法官'
                                      WHEN 'prosecutor' THEN '检察官' WHEN 'village_cadre' THEN '村干部'
                                      WHEN 'staff' THEN '工作人员' ELSE e.role END)
       + o.name + '的' + via_zh + r.name + '系' + c.name +
       CASE WHEN owns_zh = '' THEN coalesce(title, '高管') ELSE owns_zh END +
       '，该公司中标该单位发布的招标项目' + t.id + '（' + coalesce(t.title, '') + '）' AS summary_zh,
       [e.src_file + ':' + toString(e.src_row)] + src_fam + src_lr + src_sh + src_ex +
       [w.src_file + ':' + toString(w.src_row), t.src_file + ':' + toString(t.src_row)] + src_k AS sources
ORDER BY key
