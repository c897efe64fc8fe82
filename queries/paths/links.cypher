// name: paths/links
// title: The link count of some nodes, and the links of those that are not hubs
// description: >
//   One level of a neighbourhood in one query.  For each node of label __LABEL__ in $ids: how many links
//   it has (of the allowed types), and, when that is at most $cap, one row per link with its id, type,
//   provenance, whether the node is its start, and the node at the other end.  A hub (more than $cap
//   links) gives one row with its count and no link; so does a node without links.  The key lookup is
//   followed by OPTIONAL MATCH, which keeps Ladybug on an index-nested-loop plan (a plain MATCH there
//   scans every relationship table).  graphkit.paths runs it once per label: one stable text per label
//   is prepared once by Ladybug, where unions of varying label sets would each be compiled anew.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   ids: {type: "list<string>", doc: natural keys of the nodes to expand}
//   cap: {type: int, doc: most links listed per node (the page size)}
// returns: [node, links, link, type, out, other, other_label, other_name, src_file, src_row]
UNWIND $ids AS x
MATCH (a0:__LABEL__ {id: x})
OPTIONAL MATCH (a0)-[r0:__TYPES__]-()
WITH x, count(r0) AS n
OPTIONAL MATCH (a:__LABEL__ {id: x}) WHERE n <= $cap
OPTIONAL MATCH (a)-[r:__TYPES__]-(b)
RETURN x AS node, n AS links, r.id AS link, type(r) AS type, startNode(r) = a AS out,
       b.id AS other, labels(b)[0] AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
