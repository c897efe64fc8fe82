// name: risk/family
// title: 亲属 Every family tie
// description: One row per FAMILY link (a → b, relationship = what b is to a); treat as undirected.
// mode: read
// params: {}
// returns: [a, b, relationship, src_file, src_row]
MATCH (x:Person)-[f:FAMILY]->(y:Person)
RETURN x.id AS a, y.id AS b, f.relationship AS relationship, f.src_file AS src_file, f.src_row AS src_row
