// name: risk/hotline
// title: 12345 工单 Hotline tickets with the community they concern and the calling phone
// description: One row per HotlineTicket that concerns an Organization: status, the phone it was filed from, its source row.
// mode: read
// params: {}
// returns: [ticket, unit, status, phone, created_at, src_file, src_row]
MATCH (h:HotlineTicket)-[:CONCERNS]->(u:Organization)
OPTIONAL MATCH (h)-[:FILED_FROM]->(ph:Phone)
RETURN h.id AS ticket, u.id AS unit, h.status AS status, ph.id AS phone, h.created_at AS created_at,
       h.src_file AS src_file, h.src_row AS src_row
