// name: paths/all_shortest_paths
// title: Every shortest path between two entities
// description: >
//   As paths/shortest_path, but all paths of the shortest length (parallel links give paths of their
//   own), at most $limit of them.
// mode: read
// template: {__SOURCE__: label of source, __TARGET__: label of target, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   source: {type: string, doc: natural key of the first entity}
//   target: {type: string, doc: natural key of the second entity}
//   max_hops: {type: int, doc: "longest path wanted, 1..10"}
//   limit: {type: int, doc: most paths returned}
// returns: [nodes, links]
MATCH (a:__SOURCE__ {id: $source})
MATCH (b:__TARGET__ {id: $target})
MATCH p = allShortestPaths((a)-[:__TYPES__*..10]-(b))
WITH p
WHERE length(p) <= $max_hops
RETURN [n IN nodes(p) | n {.*, label: labels(n)[0]}] AS nodes,
       [r IN relationships(p) | r {.*, type: type(r), start: startNode(r).id, end: endNode(r).id}] AS links
LIMIT $limit
