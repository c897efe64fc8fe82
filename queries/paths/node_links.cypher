// name: paths/node_links
// title: The links of one node, at most $limit of them
// description: >
//   The rows of paths/links_by_id for the links of node $id (of the allowed types), at most $limit.
//   graphkit.paths expands a label's few nodes one at a time with it, asking for a page and one more
//   link: a node that fills them is a hub, counted by paths/degree.  For one node a key lookup followed
//   by a match runs as nested loops, about half the work of paths/links (where UNWIND makes joins).
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   id: {type: string, doc: natural key of the node}
//   limit: {type: int, doc: most rows (page size + 1)}
// returns: [node, link, type, out, other, other_label, other_name, src_file, src_row]
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-(b)
RETURN a.id AS node, r.id AS link, type(r) AS type, startNode(r) = a AS out,
       b.id AS other, labels(b)[0] AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
LIMIT $limit
