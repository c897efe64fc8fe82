// name: paths/link_props
// title: Links with all their properties, by link id
// description: >
//   Every property of the links whose ids are in $links and that start at one of $ids (nodes of label
//   __LABEL__): a case file's links completed in one query (graphkit.paths.with_properties).  One branch
//   per label, UNION ALL; anchored on the nodes' keys, so no store scans every relationship.
// mode: read
// template: {__LABEL__: a model label}
// params:
//   ids: {type: "list<string>", doc: natural keys of the links' start nodes (all labels)}
//   links: {type: "list<int>", doc: link ids}
// returns: [link, props]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})-[r]->()
WHERE r.id IN $links
RETURN r.id AS link, r {.*} AS props
