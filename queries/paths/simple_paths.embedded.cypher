// name: paths/simple_paths (embedded store)
// Ladybug's variable-length patterns are walks unless told otherwise, and in Ladybug 0.22 `* ACYCLIC` on an
// undirected pattern still repeats nodes (measured: A-B-C-B-C between A and C).  `* TRAIL` repeats no
// link; is_acyclic(p) then drops trails that pass a node twice, leaving the simple paths.
// __MAX_HOPS__ written by graphkit.paths.
MATCH p = (a:__SOURCE__ {id: $source})-[e:__TYPES__* TRAIL 1..__MAX_HOPS__]-(b:__TARGET__ {id: $target})
WHERE is_acyclic(p)
RETURN nodes(p) AS nodes, rels(p) AS links
ORDER BY length(e)
LIMIT $limit
