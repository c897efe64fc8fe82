// id: subsidy_ineligible
// title_zh: 不符合条件人员领取低保
// title_en: Minimum living allowance paid to the ineligible
// detects: >
//   A recipient of one of kinds (the minimum living allowance, dibao, by default) who is legal representative or shareholder of a company whose
//   registration status is one of active_statuses, who owns a registered vehicle, or who is a relative of the
//   official who approved the payment (favouring relatives and friends: an allowance granted by favour or connection).
// params:
//   kinds: {default: [dibao], doc: benefit kinds that are means-tested}
//   active_statuses: {default: [存续, 在业], doc: company registration statuses that count as a going business}
// needs: [benefits, companies, shareholders, vehicles, family]
// level: red when the approver is a relative of the recipient; orange when the recipient owns a company or a vehicle
// level_zh: 红色：审批人是领取人的亲属；橙色：领取人名下有企业或车辆
// scheme: subsidy_ineligible
// match: person
MATCH (b:Benefit)-[:PAID_TO]->(p:Person)
WHERE b.kind IN $kinds
OPTIONAL MATCH (b)-[:APPROVED_BY]->(a:Person)
// The approver's tie to the recipient apart from the approver: in one optional pattern Ladybug built every family
// tie of the city both ways (1,076 MiB at a million persons). An approver counts only with a tie (fam.id below).
OPTIONAL MATCH (a)-[fam:FAMILY]-(p)
WITH p, count(DISTINCT b) AS months,
     collect(DISTINCT {e: b.id, t: 'benefit'}) AS benefits,
     collect(DISTINCT b.src_file + ':' + toString(b.src_row)) AS bsrc,
     collect(DISTINCT CASE WHEN fam.id IS NULL THEN NULL ELSE {e: a.id, t: 'person'} END) AS approvers,
     collect(DISTINCT CASE WHEN fam.id IS NULL THEN NULL ELSE fam.src_file + ':' + toString(fam.src_row) END) AS fsrc,
     min(CASE WHEN fam.id IS NULL THEN NULL ELSE a.name + ' (' + fam.relationship + ')' END) AS approver,
     min(CASE WHEN fam.id IS NULL THEN NULL ELSE a.name + '（' + CASE fam.relationship WHEN 'spouse' THEN '配偶'
         WHEN 'parent' THEN '父母' WHEN 'child' THEN '子女'
                                 WHEN 'sibling' THEN '兄弟姐妹' WHEN 'in_law' THEN '姻亲' WHEN 'other' THEN '其他亲属'
                                 ELSE fam.relationship END + '）' END) AS approver_zh,
     min(b.kind) AS kind
OPTIONAL MATCH (p)-[own:LEGAL_REP_OF|SHAREHOLDER_OF]->(co:Company)
WHERE co.status IN $active_statuses
WITH p, months, benefits, bsrc, approvers, fsrc, approver, approver_zh, kind,
     collect(DISTINCT CASE WHEN co.id IS NULL THEN NULL ELSE {e: co.id, t: 'company'} END) AS companies,
     collect(DISTINCT CASE WHEN own.id IS NULL THEN NULL ELSE own.src_file + ':' + toString(own.src_row) END) AS osrc,
     min(co.name) AS company
OPTIONAL MATCH (v:Vehicle)-[:REGISTERED_TO]->(p)
WITH p, months, benefits, bsrc, approvers, fsrc, approver, approver_zh, kind, companies, osrc, company,
     collect(DISTINCT CASE WHEN v.id IS NULL THEN NULL ELSE {e: v.id, t: 'vehicle'} END) AS vehicles,
     collect(DISTINCT CASE WHEN v.id IS NULL THEN NULL ELSE v.src_file + ':' + toString(v.src_row) END) AS vsrc,
     min(CASE WHEN v.id IS NULL THEN NULL ELSE v.id + ' ' + coalesce(v.brand, '') END) AS vehicle
WHERE size(approvers) + size(companies) + size(vehicles) > 0
WITH p, months, size(approvers) > 0 AS by_relative,
     [{e: p.id, t: 'person'}] + approvers + companies + vehicles + benefits AS ents,
     CASE WHEN approver IS NULL THEN '' ELSE 'approved by a relative, ' + approver END AS why1,
     CASE WHEN company IS NULL THEN '' ELSE 'running ' + company END AS why2,
     CASE WHEN vehicle IS NULL THEN '' ELSE 'owning car ' + vehicle END AS why3,
     p.name + '（' + p.id + '）领取' + CASE kind WHEN 'dibao' THEN '低保' WHEN 'pension' THEN '养老金' WHEN 'salary' THEN '工资'
         WHEN 'subsidy' THEN '补贴' ELSE kind END + toString(months) + '笔，而'
       + CASE WHEN approver_zh IS NULL THEN '' ELSE '审批人系其亲属' + approver_zh END
       + CASE WHEN approver_zh IS NOT NULL AND company IS NOT NULL THEN '；' ELSE '' END
       + CASE WHEN company IS NULL THEN '' ELSE '本人系在营企业' + company + '的法定代表人或股东' END
       + CASE WHEN (approver_zh IS NOT NULL OR company IS NOT NULL) AND vehicle IS NOT NULL THEN '；' ELSE '' END
       + CASE WHEN vehicle IS NULL THEN '' ELSE '名下登记有车辆' + vehicle END AS summary_zh,
     fsrc + osrc + vsrc + bsrc AS sources
WITH p, by_relative, ents, sources, summary_zh,
     p.name + ' (' + p.id + ') drew ' + toString(months) + ' payment(s) while ' + why1
       + CASE WHEN why1 <> '' AND why2 <> '' THEN '; ' ELSE '' END + why2
       + CASE WHEN why1 + why2 <> '' AND why3 <> '' THEN '; ' ELSE '' END + why3 AS summary
UNWIND ents AS x
WITH p, by_relative, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN p.id AS key, CASE WHEN by_relative THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
