// name: paths/ball (embedded store only)
// title: Every node within __MAX_HOPS__ links of an entity, with its distance
// description: >
//   One side of the meet-in-the-middle shortest-path search graphkit.paths runs on Ladybug, whose
//   [* SHORTEST] is a breadth-first search from the source only: between two entities more than a few
//   hops apart it visits everything within the hop limit (about 226,000 nodes within 6 hops of a person
//   at 100,000 persons).  Two balls of about half the radius, one around each end, grown until they
//   meet, are usually a few hundred nodes.  Neo4j's shortestPath() already searches from both ends, so
//   there is no Neo4j text: on Neo4j graphkit.paths runs paths/shortest_path directly.  At most $limit
//   rows: a ball that reaches the limit is too large, and the search falls back to paths/shortest_path.
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered), __MAX_HOPS__: radius}
// params:
//   id: {type: string, doc: natural key of the centre}
//   limit: {type: int, doc: most rows}
// returns: [id, label, d]
MATCH (a:__LABEL__ {id: $id})-[e:__TYPES__* SHORTEST 1..__MAX_HOPS__]-(x)
RETURN x.id AS id, label(x) AS label, length(e) AS d
LIMIT $limit
