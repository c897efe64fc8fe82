// name: paths/simple_paths
// title: Every simple path (no node twice) between two entities, up to k hops
// description: >
//   Shortest first, at most $limit.  Neo4j's variable-length patterns never repeat a relationship; the
//   WHERE clause also keeps nodes from repeating.  Neo4j takes no parameter as a variable-length bound, so
//   graphkit.paths writes __MAX_HOPS__ (an integer it has checked, 1..graphkit.paths.SIMPLE_CEILING), as
//   the embedded override does: the search stops at max_hops (a fixed *1..6 cut afterwards by $max_hops
//   took 4-40 s on a 2,000-person city whatever max_hops was).
// mode: read
// template: {__SOURCE__: label of source, __TARGET__: label of target, __TYPES__: model relationship types (removed when unfiltered), __MAX_HOPS__: longest path wanted (1..6)}
// params:
//   source: {type: string, doc: natural key of the first entity}
//   target: {type: string, doc: natural key of the second entity}
//   limit: {type: int, doc: most paths returned}
// returns: [nodes, links]
MATCH (a:__SOURCE__ {id: $source})
MATCH (b:__TARGET__ {id: $target})
MATCH p = (a)-[:__TYPES__*1..__MAX_HOPS__]-(b)
WHERE all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
RETURN [n IN nodes(p) | n {.*, label: labels(n)[0]}] AS nodes,
       [r IN relationships(p) | r {.*, type: type(r), start: startNode(r).id, end: endNode(r).id}] AS links
ORDER BY length(p)
LIMIT $limit
