// name: risk/persons
// title: 自然人 Every person's ID number and name
// description: One row per Person, with its source row.
// mode: read
// params: {}
// returns: [person, name, src_file, src_row]
MATCH (p:Person)
RETURN p.id AS person, p.name AS name, p.src_file AS src_file, p.src_row AS src_row
