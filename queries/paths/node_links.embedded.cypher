// name: paths/node_links (embedded store)
// label(r) / label(b) for type(r) / labels(b)[0].  out is left null: reading a link's stored
// direction here (id(a) = struct_extract(r, '_SRC'), see links.embedded.cypher) costs a third of the
// query, and graphkit.paths knows it from the model wherever the two ends have different labels (it
// asks paths/out_links for the rest).  The limit is written into the text (__LIMIT__, page size + 1):
// Ladybug 0.22 runs this query about eight times slower with LIMIT $limit than with a literal.
MATCH (a:__LABEL__ {id: $id})-[r:__TYPES__]-(b)
RETURN a.id AS node, r.id AS link, label(r) AS type, NULL AS out,
       b.id AS other, label(b) AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row
LIMIT __LIMIT__
