// id: vehicle_sensitive_place
// title_zh: 公车节假日出入敏感场所或非工作日出城
// title_en: Official car at sensitive places on holidays, or out of the city on days off
// detects: >
//   A GPS stop of an official car (vehicle kind in vehicle_kinds) at a place whose category is one of categories
//   (hotels, scenic spots, clubs) on a statutory holiday, or at a place outside home_city on a non-working day
//   (a holiday, or a Saturday or Sunday that is not a make-up working day): private use of the car (an official car in private use).
// params:
//   categories: {default: [hotel, scenic, club], doc: place categories an official car has no business at on holidays}
//   holidays: {default: "@holidays", doc: statutory days off (the whole blocks of days off) as dates}
//   makeup_workdays: {default: "@makeup_workdays", doc: weekend days worked instead of holidays (make-up working days) as dates}
//   home_city: {default: 苏州市, doc: the city the units' cars belong to; stops elsewhere on days off count}
//   vehicle_kinds: {default: [official], doc: vehicle kinds (the vehicle's use) watched}
// needs: [gps_stops, vehicles]
// level: red when such stops fall on two or more days; orange for one day
// level_zh: 红色：此类停留发生在两天及以上；一天为橙色
// scheme: vehicle_sensitive_place
// roles: 2
// match: vehicle
MATCH (v:Vehicle)-[s:STOPPED_AT]->(p:Place)
WHERE v.kind IN $vehicle_kinds
WITH v, s, p, date(s.time) AS day, date(s.time).dayOfWeek AS dow
WITH v, s, p, day,
     p.category IN $categories AND day IN $holidays AS at_sensitive,
     p.city <> $home_city AND (day IN $holidays OR (dow >= 6 AND NOT day IN $makeup_workdays)) AS out_of_city
WHERE at_sensitive OR out_of_city
MATCH (v)-[:REGISTERED_TO]->(u:Organization)
WITH v, u, count(s) AS stops, count(DISTINCT day) AS days,
     min(toString(day) + ' ' + p.name) AS first, max(toString(day) + ' ' + p.name) AS last,
     collect(s.src_file + ':' + toString(s.src_row)) AS srcs
RETURN v.id AS key, CASE WHEN days >= 2 THEN 'red' ELSE 'orange' END AS level,
       [v.id, u.id] AS entities, ['vehicle', 'unit'] AS types,
       u.name + ' official car ' + v.id + ': ' + toString(stops) + ' stop(s) at sensitive places or out of town on '
         + toString(days) + ' day(s) off, ' + first + CASE WHEN days > 1 THEN ' … ' + last ELSE '' END AS summary,
       u.name + '公务车' + v.id + '在' + toString(days) + '个非工作日' + toString(stops) + '次出入敏感场所或出城，'
         + first + CASE WHEN days > 1 THEN '……' + last ELSE '' END AS summary_zh,
       [v.src_file + ':' + toString(v.src_row)] + srcs AS sources
ORDER BY key
