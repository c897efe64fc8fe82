// name: paths/degree
// title: How many links one node has
// description: >
//   The number of links (of the allowed types) of node $id, counted without reading them.
//   graphkit.paths asks it for a hub that paths/node_links found.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   id: {type: string, doc: natural key of the node}
// returns: [links]
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-()
RETURN count(r) AS links
