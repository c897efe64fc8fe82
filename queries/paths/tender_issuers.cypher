// name: paths/tender_issuers
// title: The unit that issued each tender (for explanations)
// mode: read
// params:
//   ids: {type: "list<string>", doc: tender ids}
// returns: [id, unit]
UNWIND $ids AS x
MATCH (t:Tender {id: x})-[:ISSUED_BY]->(u:Organization)
RETURN t.id AS id, u.name AS unit
