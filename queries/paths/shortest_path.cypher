// name: paths/shortest_path
// title: One shortest path between two entities
// description: >
//   Relationships are followed in either direction, only of the allowed types, at most $max_hops of
//   them.  Neo4j takes no parameter as a variable-length bound, so the pattern carries the ceiling
//   (10, graphkit.paths.SHORTEST_CEILING) and the length is cut after the search (WITH … WHERE, so
//   Neo4j never falls back to an exhaustive search); the embedded override writes the bound itself.
// mode: read
// template: {__SOURCE__: label of source, __TARGET__: label of target, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   source: {type: string, doc: natural key of the first entity}
//   target: {type: string, doc: natural key of the second entity}
//   max_hops: {type: int, doc: "longest path wanted, 1..10"}
// returns: [nodes, links]
MATCH (a:__SOURCE__ {id: $source})
MATCH (b:__TARGET__ {id: $target})
MATCH p = shortestPath((a)-[:__TYPES__*..10]-(b))
WITH p
WHERE length(p) <= $max_hops
RETURN [n IN nodes(p) | n {.*, label: labels(n)[0]}] AS nodes,
       [r IN relationships(p) | r {.*, type: type(r), start: startNode(r).id, end: endNode(r).id}] AS links
