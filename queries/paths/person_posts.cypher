// name: paths/person_posts
// title: Posts of some persons (for explanations)
// description: Each person's posts in government units, current ones first.
// mode: read
// params:
//   ids: {type: "list<string>", doc: ID numbers}
// returns: [id, role, post, unit, end_date]
UNWIND $ids AS x
MATCH (p:Person {id: x})-[e:EMPLOYED_BY]->(u:Organization)
RETURN p.id AS id, e.role AS role, e.post AS post, u.name AS unit, e.end_date AS end_date
ORDER BY id, end_date IS NULL DESC, e.start_date DESC
