// id: privileged_vehicle
// title_zh: 特权车（公职人员及亲属私车免费停放）
// title_en: "Privileged car: officials' or relatives' private cars parked free"
// detects: >
//   A private car registered to a serving roster member (official, judge, prosecutor, staff, village cadre) or to
//   a relative of one that is on a public car park's free whitelist, or was let out of a car park free of charge
//   (exempt exit): a privilege nobody may grant a private car (a privileged car).
// params: {}
// needs: [vehicles, parking_whitelist, parking_records, roster, family]
// level: red when the car is both whitelisted at a public car park and let out free; orange for one of the two
// level_zh: 红色：车辆既在公共停车场白名单上又被免费放行；二者有其一为橙色
// scheme: privileged_vehicle
// roles: 2
// match: vehicle
MATCH (v:Vehicle)-[reg:REGISTERED_TO]->(owner:Person)
WHERE v.kind = 'private'
OPTIONAL MATCH (v)-[w:WHITELISTED_AT]->(wl:ParkingLot)
WHERE wl.public = true
WITH v, reg, owner, count(w) AS listed,
     collect(DISTINCT CASE WHEN wl.id IS NULL THEN NULL ELSE {e: wl.id, t: 'lot'} END) AS wlots,
     collect(CASE WHEN w.id IS NULL THEN NULL ELSE w.src_file + ':' + toString(w.src_row) END) AS wsrc,
     min(wl.name) AS wname
OPTIONAL MATCH (v)-[pk:PARKED_AT]->(xl:ParkingLot)
WHERE pk.exempt = true
WITH v, reg, owner, listed, wlots, wsrc, wname, count(pk) AS free_exits, sum(coalesce(pk.fee, 0.0)) AS waived,
     collect(DISTINCT CASE WHEN xl.id IS NULL THEN NULL ELSE {e: xl.id, t: 'lot'} END) AS xlots,
     collect(CASE WHEN pk.id IS NULL THEN NULL ELSE pk.src_file + ':' + toString(pk.src_row) END) AS xsrc
WHERE listed > 0 OR free_exits > 0
OPTIONAL MATCH (owner)-[e1:EMPLOYED_BY]->(u1:Organization)
WHERE e1.end_date IS NULL
OPTIONAL MATCH (owner)-[f:FAMILY]-(m:Person)-[e2:EMPLOYED_BY]->(u2:Organization)
WHERE e2.end_date IS NULL
WITH v, reg, owner, listed, wlots, wsrc, wname, free_exits, waived, xlots, xsrc, e1, u1, f, m, e2, u2
WHERE e1.id IS NOT NULL OR e2.id IS NOT NULL
WITH v, reg, owner, listed, wlots, wsrc, wname, free_exits, waived, xlots, xsrc,
     collect(DISTINCT CASE WHEN m.id IS NULL THEN NULL ELSE {e: m.id, t: 'person'} END)
       + collect(DISTINCT CASE WHEN u1.id IS NULL THEN NULL ELSE {e: u1.id, t: 'unit'} END)
       + collect(DISTINCT CASE WHEN u2.id IS NULL THEN NULL ELSE {e: u2.id, t: 'unit'} END) AS found,
     collect(DISTINCT CASE WHEN e1.id IS NULL THEN NULL ELSE e1.src_file + ':' + toString(e1.src_row) END)
       + collect(DISTINCT CASE WHEN f.id IS NULL THEN NULL ELSE f.src_file + ':' + toString(f.src_row) END)
       + collect(DISTINCT CASE WHEN e2.id IS NULL THEN NULL ELSE e2.src_file + ':' + toString(e2.src_row) END)
       AS rsrc,
     min(CASE WHEN e1.id IS NULL THEN NULL ELSE u1.name END) AS own_unit,
     min(CASE WHEN e2.id IS NULL THEN NULL ELSE m.name + ' (' + u2.name + ')' END) AS relative_of,
     min(CASE WHEN e2.id IS NULL THEN NULL ELSE u2.name + m.name END) AS relative_of_zh,
     size(collect(DISTINCT CASE WHEN e2.id IS NULL THEN NULL ELSE m.id END)) AS relatives
// an owner in post who is also a relative of someone in post is said to be both: the warning counts for both
// units (a court's portrait listed one whose summary named the owner's own unit alone, not the court's
// president whose spouse the owner is); several such relatives: the first and how many
WITH v, listed, free_exits,
     [{e: v.id, t: 'vehicle'}, {e: owner.id, t: 'person'}] + found + wlots + xlots AS ents,
     'private car ' + v.id + ' of ' + owner.name
       + CASE WHEN own_unit IS NULL THEN '' ELSE ' (' + own_unit + ')' END
       + CASE WHEN relative_of IS NULL THEN '' ELSE ', relative of ' + relative_of
           + CASE WHEN relatives > 1 THEN ' and ' + toString(relatives - 1) + ' more' ELSE '' END END + ': '
       + CASE WHEN listed > 0 THEN 'on the free whitelist of ' + wname
           + CASE WHEN free_exits > 0 THEN ' and ' ELSE '' END ELSE '' END
       + CASE WHEN free_exits > 0 THEN toString(free_exits) + ' free exit(s) waiving '
           + '{money:' + toString(waived) + '}' ELSE '' END AS summary,
     '私家车' + v.id + '（车主' + owner.name
       + CASE WHEN own_unit IS NULL THEN '' ELSE '，' + own_unit + '职工' END
       + CASE WHEN relative_of_zh IS NULL THEN ''
           ELSE CASE WHEN own_unit IS NULL THEN '，系' ELSE '，亦系' END + relative_of_zh
             + CASE WHEN relatives > 1 THEN '等' + toString(relatives) + '人' ELSE '' END + '的亲属' END + '）'
       + CASE WHEN listed > 0 THEN '列入' + wname + '免费白名单' + CASE WHEN free_exits > 0 THEN '，' ELSE '' END
         ELSE '' END
       + CASE WHEN free_exits > 0 THEN '免费出场' + toString(free_exits) + '次，免收停车费'
           + '{money:' + toString(waived) + '}' ELSE '' END AS summary_zh,
     [v.src_file + ':' + toString(v.src_row)] + rsrc + wsrc + xsrc AS sources
// the vehicle and its owner first (roles: 2); a relative, unit or car park met twice is listed once by the
// model runner (graphkit.rules.catalog.canonical_entities), so no DISTINCT here: it lost the order on Ladybug
UNWIND ents AS x
WITH v, listed, free_exits, summary, summary_zh, sources, collect(x.e) AS entities, collect(x.t) AS types
RETURN v.id AS key, CASE WHEN listed > 0 AND free_exits > 0 THEN 'red' ELSE 'orange' END AS level,
       entities, types, summary, summary_zh, sources
ORDER BY key
