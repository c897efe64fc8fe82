// name: paths/links
// title: Every link of some nodes (of the allowed relationship types), either direction
// description: >
//   One row per link and end: the node expanded, the link (id, type, provenance), whether the node is
//   the link's start, and the node at the other end.  One branch per label (__LABEL__), UNION ALL.
//   A node without links gives one row whose link is null.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   ids: {type: "list<string>", doc: natural keys of the nodes to expand}
// returns: [node, link, type, out, other, other_label, other_name, src_file, src_row]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r:__TYPES__]-(b)
RETURN a.id AS node, r.id AS link, type(r) AS type, startNode(r) = a AS out,
       b.id AS other, labels(b)[0] AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
