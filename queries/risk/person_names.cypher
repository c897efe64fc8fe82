// name: risk/person_names
// title: 姓名 Names of some persons
// description: The name of each person whose ID number is given.
// mode: read
// params:
//   ids: {type: "list<string>", doc: ID numbers}
// returns: [person, name]
UNWIND $ids AS x
MATCH (p:Person {id: x})
RETURN p.id AS person, p.name AS name
