// name: paths/links_by_id (embedded store)
// label(r) / label(b) for type(r) / labels(b)[0]; direction by id(a) = struct_extract(r, '_SRC')
// (see links.embedded.cypher).
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-(b)
WHERE r.id IN $links
RETURN a.id AS node, r.id AS link, label(r) AS type, id(a) = struct_extract(r, '_SRC') AS out,
       b.id AS other, label(b) AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
