// name: risk/persons
// title: 自然人 Every person's ID number and name
// description: One row per Person.
// mode: read
// params: {}
// returns: [person, name]
MATCH (p:Person)
RETURN p.id AS person, p.name AS name
