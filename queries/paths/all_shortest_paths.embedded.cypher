// name: paths/all_shortest_paths (embedded store)
// Ladybug: [* ALL SHORTEST 1..k]; __MAX_HOPS__ written by graphkit.paths.
MATCH p = (a:__SOURCE__ {id: $source})-[e:__TYPES__* ALL SHORTEST 1..__MAX_HOPS__]-(b:__TARGET__ {id: $target})
RETURN nodes(p) AS nodes, rels(p) AS links
LIMIT $limit
