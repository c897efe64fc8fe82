// name: paths/person_peps
// title: Politically exposed persons among some persons, with the posts they hold (for explanations)
// description: Each PEP (an FtM import's pep flag) with its posts (HOLDS_POSITION), current ones first.
// mode: read
// params:
//   ids: {type: "list<string>", doc: person ids}
// returns: [id, post, end_date]
UNWIND $ids AS x
MATCH (p:Person {id: x})
WHERE p.pep = true
OPTIONAL MATCH (p)-[h:HOLDS_POSITION]->(pos:Position)
RETURN p.id AS id, pos.name AS post, h.end_date AS end_date
ORDER BY id, end_date IS NULL DESC
