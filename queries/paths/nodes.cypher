// name: paths/nodes
// title: Nodes of one label with all their properties
// mode: read
// template: {__LABEL__: a model label}
// params:
//   ids: {type: "list<string>", doc: natural keys}
// returns: [node]
UNWIND $ids AS x
MATCH (n:__LABEL__ {id: x})
RETURN n {.*} AS node
