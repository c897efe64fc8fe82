// name: paths/degrees
// title: How many links some nodes have
// description: >
//   For each node of label __LABEL__ in $ids, the number of its links (of the allowed types), counted
//   without reading them.  graphkit.paths asks it for the hubs that paths/links leaves out.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   ids: {type: "list<string>", doc: natural keys of the nodes}
// returns: [node, links]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r:__TYPES__]-()
RETURN x AS node, count(r) AS links
