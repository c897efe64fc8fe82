// name: paths/node_links
// title: Every link of one node
// description: >
//   The rows of paths/links_by_id for every link of node $id (of the allowed types).  graphkit.paths
//   expands a node alone with paths/degree then this, which for one node is about half the work of
//   paths/links (its key lookup and count run as nested loops, where UNWIND makes them joins).
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   id: {type: string, doc: natural key of the node}
// returns: [node, link, type, out, other, other_label, other_name, src_file, src_row]
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-(b)
RETURN a.id AS node, r.id AS link, type(r) AS type, startNode(r) = a AS out,
       b.id AS other, labels(b)[0] AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
