// id: judge_relative_lawyer
// title_zh: 法官近亲属在其所在法院辖区执业（律师/法律服务工作者）
// title_en: A judge's close relative practises law in the judge's court's jurisdiction
// detects: >
//   A judge in post at a court whose close relative (one family tie) holds a lawyer's or legal-service
//   worker's licence for the court's jurisdiction (the judges' recusal rule: no spouse or child practising law in the
//   jurisdiction of the judge's court).
//   A city-level court (jurisdiction ending in 00, e.g. 320500) covers the districts of its city (3205xx).
// params:
//   relationships: {default: [spouse, parent, child, sibling], doc: "what the licence holder is to the judge (family.relationship vocabulary)"}
//   licence_kinds: {default: [lawyer, legal_agent], doc: licence kinds that practise before a court (licences.kind)}
//   judge_roles: {default: [judge], doc: roster roles (staff categories) screened}
//   red_relationships: {default: [spouse, child], doc: relationships that make the hit red (the recusal rule names spouse and children)}
// needs: [roster, units, family, licences]
// level: red when the licence holder is one of red_relationships; orange otherwise
// level_zh: 红色：执业律师与法官的关系属 red_relationships；其余为橙色
// scheme: judge_relative_lawyer
// roles: 4
// match: licence
MATCH (j:Person)-[e:EMPLOYED_BY]->(ct:Organization)
WHERE ct.kind = 'court' AND e.role IN $judge_roles AND e.end_date IS NULL
MATCH (j)-[f:FAMILY]-(r:Person)-[:HOLDS_LICENCE]->(l:Licence)
WHERE r <> j AND l.kind IN $licence_kinds
  AND (l.region = ct.jurisdiction
       OR (ct.jurisdiction ENDS WITH '00' AND left(l.region, 4) = left(ct.jurisdiction, 4)))
OPTIONAL MATCH (j)-[fo:FAMILY]->(r)
OPTIONAL MATCH (j)<-[fi:FAMILY]-(r)
WITH j, e, ct, f, r, l,
     coalesce(fo.relationship, CASE fi.relationship WHEN 'parent' THEN 'child' WHEN 'child' THEN 'parent'
                                    ELSE fi.relationship END) AS rel
WHERE rel IN $relationships
OPTIONAL MATCH (l)-[:LICENCE_AT]->(firm:Company)
WITH j, e, ct, r, l, min(rel) AS rel, collect(DISTINCT f.src_file + ':' + toString(f.src_row)) AS src_fam,
     collect(firm.id) AS fid, collect(CASE WHEN firm.id IS NULL THEN NULL ELSE 'company' END) AS ftype,
     min(firm.name) AS firm_name
RETURN l.id + '|' + j.id AS key,
       CASE WHEN rel IN $red_relationships THEN 'red' ELSE 'orange' END AS level,
       [j.id, r.id, ct.id, l.id] + fid AS entities,
       ['person', 'person', 'unit', 'licence'] + ftype AS types,
       j.name + ' (' + coalesce(e.post, 'judge') + ', ' + ct.name + ', jurisdiction ' + ct.jurisdiction + ') — ' +
       rel + ' ' + r.name + ' holds ' + l.kind + ' licence ' + l.id + ' for region ' + l.region +
       CASE WHEN firm_name IS NULL THEN '' ELSE ' at ' + firm_name END AS summary,
       ct.name + coalesce(e.post, '法官') + j.name + '（辖区' + ct.jurisdiction + '）的' + CASE rel WHEN 'spouse' THEN '配偶'
           WHEN 'parent' THEN '父母' WHEN 'child' THEN '子女' WHEN 'sibling' THEN '兄弟姐妹' WHEN 'in_law' THEN '姻亲'
           WHEN 'other' THEN '其他亲属' ELSE rel END + r.name +
       '持有' + CASE l.kind WHEN 'lawyer' THEN '律师' WHEN 'legal_agent' THEN '基层法律服务工作者' ELSE l.kind END +
       '执业证，执业证号 ' + l.id + '，执业地区' + l.region +
       CASE WHEN firm_name IS NULL THEN '' ELSE '，执业机构' + firm_name END AS summary_zh,
       [e.src_file + ':' + toString(e.src_row)] + src_fam + [l.src_file + ':' + toString(l.src_row)] AS sources
ORDER BY key
