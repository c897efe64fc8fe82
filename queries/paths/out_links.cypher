// name: paths/out_links
// title: The links that start at one node
// description: >
//   The ids of the links (of the given types) stored with node $id as their start.  graphkit.paths asks
//   it on the embedded store for links whose two ends have the same label (FAMILY, PART_OF, a company
//   holding shares in a company), where the model cannot tell a link's direction.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types}
// params:
//   id: {type: string, doc: natural key of the node}
// returns: [link]
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]->()
RETURN r.id AS link
