// name: paths/shortest_path (embedded store)
// Ladybug: [* SHORTEST 1..k] instead of shortestPath(); the bound __MAX_HOPS__ is written by
// graphkit.paths (an integer it has checked).  nodes(p) / rels(p) come back as dicts with internal ids
// (_ID, _SRC, _DST) that graphkit.paths turns into natural keys.
MATCH p = (a:__SOURCE__ {id: $source})-[e:__TYPES__* SHORTEST 1..__MAX_HOPS__]-(b:__TARGET__ {id: $target})
RETURN nodes(p) AS nodes, rels(p) AS links
LIMIT 1
