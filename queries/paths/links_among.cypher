// name: paths/links_among
// title: The links among a set of entities (the evidence of a warning)
// description: >
//   Every link that starts at one of $ids (nodes of label __LABEL__), with its end and provenance.  The
//   caller (graphkit.paths.links_among) runs it once per label with that label's keys and keeps the links
//   ending at another entity of the set, in a Python set: `WHERE b.id IN $ids` here scanned the list for
//   every link, and every label's branch looked up every key; a million-person city's 12,000 warnings
//   (95,000 entities) took minutes.
// mode: read
// template: {__LABEL__: a model label, __TYPES__: the model relationship types out of __LABEL__ into a label of the set}
// params:
//   ids: {type: "list<string>", doc: natural keys of the set's entities of label __LABEL__}
// returns: [start_id, link, type, end_id, src_file, src_row]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
MATCH (a)-[r:__TYPES__]->(b)
RETURN a.id AS start_id, r.id AS link, type(r) AS type, b.id AS end_id, r.src_file AS src_file, r.src_row AS src_row
