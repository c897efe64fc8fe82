// name: paths/degrees (embedded store)
// An undirected match meets a link from a node to itself twice in Ladybug 0.22 and once in Neo4j: the links
// that start and end at the node are counted again and taken off, so both stores give the same count (one
// query; about the cost of count(r) alone on a hub of 73,000 links, where count(DISTINCT r.id) costs 14 times
// as much).
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r:__TYPES__]-()
WITH x, a, count(r) AS n
OPTIONAL MATCH (a)-[l:__TYPES__]->(a)
WITH x, n, count(l) AS loops
RETURN x AS node, n - loops AS links
