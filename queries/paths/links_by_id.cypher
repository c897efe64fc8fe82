// name: paths/links_by_id
// title: Some links of one node, by link id
// description: The rows of paths/links for the links of node $id whose ids are in $links.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   id: {type: string, doc: natural key of the node}
//   links: {type: "list<int>", doc: link ids}
// returns: [node, link, type, out, other, other_label, other_name, src_file, src_row]
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-(b)
WHERE r.id IN $links
RETURN a.id AS node, r.id AS link, type(r) AS type, startNode(r) = a AS out,
       b.id AS other, labels(b)[0] AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
