// name: risk/units
// title: 单位 Every government unit with its kind and the number of active posts (its size)
// description: >
//   One row per Organization: name, kind (单位类别), jurisdiction and the number of persons whose post there
//   has not ended. Kind and size make the peer groups of anomaly scoring.
// mode: read
// params: {}
// returns: [unit, name, kind, jurisdiction, staff, src_file, src_row]
MATCH (u:Organization)
OPTIONAL MATCH (p:Person)-[e:EMPLOYED_BY]->(u)
WHERE e.end_date IS NULL
RETURN u.id AS unit, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction, count(p) AS staff,
       u.src_file AS src_file, u.src_row AS src_row
