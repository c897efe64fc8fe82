// name: paths/links
// title: The links of some nodes that are not hubs, with their count
// description: >
//   One level of a neighbourhood in one query.  For each node of label __LABEL__ in $ids that has at
//   most $cap links (of the allowed types): one row per link with its id, type, provenance, whether the
//   node is its start, the node at the other end, and the node's link count; a node without links gives
//   one row with its count and no link.  A hub (more than $cap links) gives no row at all: it is dropped
//   before its links are expanded (Ladybug applies a WHERE on the OPTIONAL MATCH itself only after
//   expanding every link), and paths/degrees counts it.  The key lookup is followed by OPTIONAL MATCH,
//   which keeps Ladybug on an index-nested-loop plan (a plain MATCH there scans every relationship
//   table).  graphkit.paths runs it once per label: one stable text per label is prepared once by
//   Ladybug, where unions of varying label sets would each be compiled anew.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   ids: {type: "list<string>", doc: natural keys of the nodes to expand}
//   cap: {type: int, doc: most links listed per node (the page size)}
// returns: [node, link, type, out, other, other_label, other_name, src_file, src_row, links]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r0:__TYPES__]-()
WITH x, a, count(r0) AS n
WHERE n <= $cap
OPTIONAL MATCH (a)-[r:__TYPES__]-(b)
RETURN x AS node, r.id AS link, type(r) AS type, startNode(r) = a AS out,
       b.id AS other, labels(b)[0] AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row, n AS links
