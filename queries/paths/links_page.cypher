// name: paths/links_page
// title: One page of a hub's links
// description: >
//   The links of one node ordered by relationship type, the other end's id and the link id, one page
//   ($skip, $limit) at a time, so a node with thousands of links is expanded a page at a time.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   id: {type: string, doc: natural key of the hub}
//   skip: {type: int, doc: links before the page (page number × page size)}
//   limit: {type: int, doc: page size}
// returns: [node, link, type, out, other, other_label, other_name, src_file, src_row]
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-(b)
WITH a, r, b
ORDER BY type(r), b.id, r.id
SKIP $skip LIMIT $limit
RETURN a.id AS node, r.id AS link, type(r) AS type, startNode(r) = a AS out,
       b.id AS other, labels(b)[0] AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
