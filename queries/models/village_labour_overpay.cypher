// id: village_labour_overpay
// title_zh: 村级劳务费违规发放
// title_en: Village labour fees paid to cadres, twice for the same days, or to workers in custody
// detects: >
//   A village labour payment to a worker who (a) was on the paying village's roster (a village cadre) during the
//   work, already salaried for it; (b) was paid by another labour payment for overlapping work days; or (c) was
//   in custody during the work days (false claims, double payments, labour fees paid to cadres).
// params: {}
// needs: [village_labour, roster, custody]
// level: red when the worker was in custody during the work or is a cadre of the paying village; orange when only work days overlap
// level_zh: 红色：务工期间该人在羁押中，或是付款村的村干部；仅务工日期重叠为橙色
// scheme: village_labour_overpay
// match: person
MATCH (l:LabourPayment)-[:PAID_TO]->(w:Person)
MATCH (l)-[:PAID_BY]->(v:Organization)
OPTIONAL MATCH (w)-[e:EMPLOYED_BY]->(v)
WHERE (e.start_date IS NULL OR e.start_date <= l.work_end) AND (e.end_date IS NULL OR e.end_date >= l.work_start)
OPTIONAL MATCH (w)<-[:PAID_TO]-(l2:LabourPayment)
WHERE l2.id <> l.id AND l2.work_start <= l.work_end AND l.work_start <= l2.work_end
OPTIONAL MATCH (w)-[cu:IN_CUSTODY]->(f:Organization)
WHERE cu.start_date <= l.work_end AND (cu.end_date IS NULL OR cu.end_date >= l.work_start)
WITH w, l, v, e, l2, cu, f
WHERE e.id IS NOT NULL OR l2.id IS NOT NULL OR cu.id IS NOT NULL
WITH w, max(CASE WHEN e.id IS NULL THEN 0 ELSE 1 END) AS cadre, max(CASE WHEN l2.id IS NULL THEN 0 ELSE 1 END) AS overlap,
     max(CASE WHEN cu.id IS NULL THEN 0 ELSE 1 END) AS custody, count(DISTINCT l) AS payments,
     collect(DISTINCT {e: v.id, t: 'unit'})
       + collect(DISTINCT CASE WHEN f.id IS NULL THEN NULL ELSE {e: f.id, t: 'unit'} END)
       + collect(DISTINCT {e: l.id, t: 'labour'}) AS found,
     collect(DISTINCT CASE WHEN e.id IS NULL THEN NULL ELSE e.src_file + ':' + toString(e.src_row) END)
       + collect(DISTINCT CASE WHEN cu.id IS NULL THEN NULL ELSE cu.src_file + ':' + toString(cu.src_row) END)
       + collect(DISTINCT l.src_file + ':' + toString(l.src_row)) AS sources,
     min(v.name) AS village, min(toString(l.work_start)) AS first
WITH w, cadre, overlap, custody, sources,
     [{e: w.id, t: 'person'}] + found AS ents,
     w.name + ' (' + w.id + ') drew ' + toString(payments) + ' labour payment(s) from ' + village + ' from ' + first
       + ' while ' + CASE WHEN cadre = 1 THEN 'a cadre of the village' ELSE '' END
       + CASE WHEN cadre = 1 AND overlap + custody > 0 THEN '; ' ELSE '' END
       + CASE WHEN overlap = 1 THEN 'paid twice for the same days' ELSE '' END
       + CASE WHEN overlap = 1 AND custody = 1 THEN '; ' ELSE '' END
       + CASE WHEN custody = 1 THEN 'in custody' ELSE '' END AS summary,
     w.name + '（' + w.id + '）自' + first + '起从' + village + '领取劳务费' + toString(payments) + '笔，'
       + CASE WHEN cadre = 1 THEN '期间系该村干部' ELSE '' END
       + CASE WHEN cadre = 1 AND overlap + custody > 0 THEN '；' ELSE '' END
       + CASE WHEN overlap = 1 THEN '同一时段重复领取' ELSE '' END
       + CASE WHEN overlap = 1 AND custody = 1 THEN '；' ELSE '' END
       + CASE WHEN custody = 1 THEN '期间处于羁押状态' ELSE '' END AS summary_zh
UNWIND ents AS x
WITH w, cadre, custody, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN w.id AS key, CASE WHEN cadre = 1 OR custody = 1 THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
