// name: paths/simple_paths
// title: Every simple path (no node twice) between two entities, up to k hops
// description: >
//   Shortest first, at most $limit.  Neo4j's variable-length patterns never repeat a relationship; the
//   WHERE clause also keeps nodes from repeating.  The pattern carries the ceiling (6,
//   graphkit.paths.SIMPLE_CEILING) and $max_hops cuts it; the embedded override writes the bound itself.
// mode: read
// template: {__SOURCE__: label of source, __TARGET__: label of target, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   source: {type: string, doc: natural key of the first entity}
//   target: {type: string, doc: natural key of the second entity}
//   max_hops: {type: int, doc: "longest path wanted, 1..6"}
//   limit: {type: int, doc: most paths returned}
// returns: [nodes, links]
MATCH (a:__SOURCE__ {id: $source})
MATCH (b:__TARGET__ {id: $target})
MATCH p = (a)-[:__TYPES__*1..6]-(b)
WHERE length(p) <= $max_hops AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
RETURN [n IN nodes(p) | n {.*, label: labels(n)[0]}] AS nodes,
       [r IN relationships(p) | r {.*, type: type(r), start: startNode(r).id, end: endNode(r).id}] AS links
ORDER BY length(p)
LIMIT $limit
