// name: paths/link_counts
// title: Number of links of each node (of the allowed relationship types), either direction
// description: >
//   The hub test of a neighbourhood: a node with more links than a page holds is a hub.  One branch per
//   label (__LABEL__) joined with UNION ALL; OPTIONAL MATCH after the key lookup keeps Ladybug on an
//   index-nested-loop plan (a plain MATCH there scans every relationship table).
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   ids: {type: "list<string>", doc: natural keys of the nodes to count}
// returns: [node, links]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r:__TYPES__]-()
RETURN a.id AS node, count(r) AS links
