// name: paths/page_ids
// title: One page of a hub's links: their ids
// description: >
//   A node's links ordered by link id, one page at a time: either $skip links from the start (page
//   number × page size) or the links after the id $after (the cursor of the previous page), at most
//   $limit.  Only link ids are sorted, never whole rows (sorting the rows of a 73,000-link hub costs
//   several times more); paths/links_by_id then fetches the page.  DISTINCT: Ladybug meets a link from a
//   node to itself twice on an undirected match.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   id: {type: string, doc: natural key of the hub}
//   after: {type: int, doc: "the last link id of the previous page, or -2^63 (below every id) for the start"}
//   skip: {type: int, doc: links skipped after $after}
//   limit: {type: int, doc: page size}
// returns: [link]
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-()
WHERE r.id > $after
WITH DISTINCT r.id AS link
ORDER BY link
SKIP $skip LIMIT $limit
RETURN link
