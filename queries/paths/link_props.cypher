// name: paths/link_props
// title: The links out of a set of nodes, with all their properties
// description: >
//   Every property of every link that starts at one of $ids (nodes of label __LABEL__): the links of a case
//   file or of a warning's evidence completed (graphkit.paths.with_properties, links_among). The caller keeps
//   the links it asks for, in a Python set: `WHERE r.id IN $links` here made Ladybug test the list against
//   every relationship of the label's tables, not only the links out of $ids (quadratic in the city: the evidence
//   step of models run). Anchored on the nodes' keys, so no store scans every relationship. __TYPES__: the types
//   whose properties are wanted (a warning's evidence keeps the share, the price and the kinship: reading every
//   type out of a warning's persons took the property columns of every table out of Person, links_among).
// mode: read
// template: {__LABEL__: a model label, __TYPES__: model relationship types (removed when unfiltered)}
// params:
//   ids: {type: "list<string>", doc: natural keys of the links' start nodes of label __LABEL__}
// returns: [link, props]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})-[r:__TYPES__]->()
RETURN r.id AS link, r {.*} AS props
