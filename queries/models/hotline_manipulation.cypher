// id: hotline_manipulation
// title_zh: 12345 热线少数号码集中来电且均"已解决"（刷单）
// title_en: A few phone numbers file a large share of a community's hotline tickets, all closed as resolved
// detects: >
//   A community (or other unit the tickets concern) where at least min_phones numbers each filed at least
//   min_tickets tickets, every one of them closed in one of statuses, and these numbers together filed at least
//   min_share of all the community's tickets (one case in Haidian: 4 numbers, 14.5% of the tickets) — tickets filed to
//   inflate the resolution rate. A genuine frequent caller has tickets left open or unresolved.
// params:
//   min_tickets: {default: 4, doc: tickets a number must have filed about the community}
//   statuses: {default: [resolved], doc: "statuses every ticket of such a number has (the ticket's handling status)"}
//   min_phones: {default: 2, doc: numbers needed (a few, not one frequent caller)}
//   min_share: {default: 0.1, doc: share of the community's tickets these numbers filed}
//   red_share: {default: 0.2, doc: share from which the hit is red}
// needs: [hotline]
// level: red when the numbers filed at least red_share of the tickets; orange otherwise
// level_zh: 红色：这些号码提交的工单占比不低于 red_share；其余为橙色
// scheme: hotline_manipulation
// match: unit
MATCH (u:Organization)<-[:CONCERNS]-(h:HotlineTicket)-[:FILED_FROM]->(ph:Phone)
WITH u, ph, count(h) AS n, sum(CASE WHEN h.status IN $statuses THEN 1 ELSE 0 END) AS closed,
     collect(h.src_file + ':' + toString(h.src_row)) AS src_h, collect(h.id) AS ids_h
WHERE n >= $min_tickets AND closed = n
WITH u, collect(ph.id) AS phones, collect('phone') AS ptype, sum(n) AS flagged, collect(src_h) AS srcs,
     collect(ids_h) AS tickets
WHERE size(phones) >= $min_phones
MATCH (u)<-[:CONCERNS]-(h:HotlineTicket)
WITH u, phones, ptype, flagged, srcs, tickets, count(h) AS total
WHERE toFloat(flagged) / total >= $min_share
UNWIND srcs AS src_h
UNWIND src_h AS src
WITH u, phones, ptype, flagged, total, tickets, collect(src) AS sources
UNWIND tickets AS ids_h
UNWIND ids_h AS t
WITH u, phones, ptype, flagged, total, sources, collect(t) AS ticket_ids, collect('ticket') AS ttype
RETURN u.id AS key,
       CASE WHEN toFloat(flagged) / total >= $red_share THEN 'red' ELSE 'orange' END AS level,
       [u.id] + phones + ticket_ids AS entities,
       ['unit'] + ptype + ttype AS types,
       toString(size(phones)) + ' numbers filed ' + toString(flagged) + ' of the ' + toString(total) +
       ' hotline tickets about ' + u.name + ' (' + '{share:' + toString(100.0 * flagged / total) + '}' +
       '), every ticket closed' AS summary,
       toString(size(phones)) + '个号码拨打了涉及' + u.name + '的' + toString(total) + '件12345热线工单中的' +
       toString(flagged) + '件（占' + '{share:' + toString(100.0 * flagged / total) + '}' + '），且均已办结' AS summary_zh,
       sources
ORDER BY key
