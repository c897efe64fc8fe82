// name: paths/links_among (embedded store)
// Ladybug spells type(r) label(r).
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
MATCH (a)-[r:__TYPES__]->(b)
RETURN a.id AS start_id, r.id AS link, label(r) AS type, b.id AS end_id, r.src_file AS src_file, r.src_row AS src_row
