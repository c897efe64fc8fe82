// name: paths/links_among
// title: The links among a set of entities (the evidence of a warning)
// description: >
//   Every link that starts at one of $ids (nodes of label __LABEL__) and ends at another of $ids, with
//   its provenance.  One branch per label, UNION ALL.
// mode: read
// template: {__LABEL__: a model label}
// params:
//   ids: {type: "list<string>", doc: natural keys of every entity in the set (all labels)}
// returns: [start_id, link, type, end_id, src_file, src_row]
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r]->(b)
WITH a, r, b
WHERE b.id IN $ids
RETURN a.id AS start_id, r.id AS link, type(r) AS type, b.id AS end_id, r.src_file AS src_file, r.src_row AS src_row
