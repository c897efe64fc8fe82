// id: prisoner_paid
// title_zh: 服刑（羁押）人员仍领取养老金、工资或救助
// title_en: Pension, salary or benefit paid for months spent in custody
// detects: >
//   A payment of one of kinds (pension, salary, minimum living allowance, subsidy) whose month lies wholly inside a custody period
//   of the person paid (from the first of the month on or after entry until release or, with no release date,
//   still inside): benefits that should have been suspended (benefits drawn while serving a sentence; pay for no work).  A period not written YYYY-MM is
//   left out.
// params:
//   kinds: {default: [dibao, pension, salary, subsidy], doc: benefit kinds that must stop while a person is in custody}
//   red_months: {default: 6, doc: months paid in custody from which a hit is red}
// needs: [benefits, custody]
// level: red when at least red_months months were paid in custody; orange otherwise
// level_zh: 红色：羁押期间发放的月数不少于 red_months；其余为橙色
// scheme: prisoner_paid
// match: person
MATCH (p:Person)-[cu:IN_CUSTODY]->(f:Organization)
MATCH (b:Benefit)-[:PAID_TO]->(p)
WHERE b.kind IN $kinds AND b.period =~ '[0-9]{4}-(0[1-9]|1[0-2])'
WITH p, cu, f, b, date(b.period + '-01') AS month
WHERE month >= cu.start_date AND (cu.end_date IS NULL OR month + duration({months: 1}) <= cu.end_date)
WITH p, count(DISTINCT b.period) AS months, sum(b.amount) AS paid, min(b.kind) AS kind1, max(b.kind) AS kind2,
     min(b.period) AS first, max(b.period) AS last,
     collect(DISTINCT {e: f.id, t: 'unit'}) AS facilities, collect(DISTINCT {e: b.id, t: 'benefit'}) AS benefits,
     collect(DISTINCT cu.src_file + ':' + toString(cu.src_row))
       + collect(DISTINCT b.src_file + ':' + toString(b.src_row)) AS sources
WITH p, months, sources,
     [{e: p.id, t: 'person'}] + facilities + benefits AS ents,
     p.name + ' (' + p.id + ') was paid ' + '{money:' + toString(paid) + '}' + ' ('
       + CASE WHEN kind1 = kind2 THEN kind1 ELSE kind1 + ' and ' + kind2 END + ') for ' + toString(months)
       + ' month(s) in custody, ' + first + ' to ' + last AS summary,
     p.name + '（' + p.id + '）羁押期间仍领取'
       + CASE kind1 WHEN 'dibao' THEN '低保' WHEN 'pension' THEN '养老金' WHEN 'salary' THEN '工资'
                    WHEN 'subsidy' THEN '补贴' ELSE kind1 END
       + CASE WHEN kind1 = kind2 THEN ''
              ELSE '和' + CASE kind2 WHEN 'dibao' THEN '低保' WHEN 'pension' THEN '养老金' WHEN 'salary' THEN '工资'
                                     WHEN 'subsidy' THEN '补贴' ELSE kind2 END END
       + toString(months) + '个月（' + first + '至' + last + '），共' + '{money:' + toString(paid) + '}'
       AS summary_zh
UNWIND ents AS x
WITH p, months, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN p.id AS key, CASE WHEN months >= $red_months THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
