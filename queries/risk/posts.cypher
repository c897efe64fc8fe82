// name: risk/posts
// title: 任职 Every post held in a government unit
// description: One row per EMPLOYED_BY link from a person to an Organization (roster), ended or not.
// mode: read
// params: {}
// returns: [person, unit, role, post, start_date, end_date, src_file, src_row]
MATCH (p:Person)-[e:EMPLOYED_BY]->(u:Organization)
RETURN p.id AS person, u.id AS unit, e.role AS role, e.post AS post, e.start_date AS start_date,
       e.end_date AS end_date, e.src_file AS src_file, e.src_row AS src_row
