// name: paths/links (embedded store)
// Ladybug spells type(r) label(r) and labels(b)[0] label(b) (its lists are 1-based), and on an undirected
// match start_node(r) is the matched end, not the stored start: the direction is tested with EXISTS.
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r:__TYPES__]-(b)
RETURN a.id AS node, r.id AS link, label(r) AS type, EXISTS { MATCH (a)-[g]->(b) WHERE g.id = r.id } AS out,
       b.id AS other, label(b) AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
