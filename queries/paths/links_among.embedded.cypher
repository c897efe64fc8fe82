// name: paths/links_among (embedded store)
// Ladybug spells type(r) label(r).
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r]->(b)
WITH a, r, b
WHERE b.id IN $ids
RETURN a.id AS start_id, r.id AS link, label(r) AS type, b.id AS end_id, r.src_file AS src_file, r.src_row AS src_row
