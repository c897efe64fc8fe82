// name: paths/degree (embedded store)
// An undirected match meets a link from a node to itself twice in Ladybug 0.22 and once in Neo4j: the links
// that start and end at the node are counted again and taken off (as in degrees.embedded.cypher).
MATCH (a:__LABEL__ {id: $id})
OPTIONAL MATCH (a)-[r:__TYPES__]-()
WITH a, count(r) AS n
OPTIONAL MATCH (a)-[l:__TYPES__]->(a)
WITH n, count(l) AS loops
RETURN n - loops AS links
