// name: paths/links (embedded store)
// label(r) / label(b) for type(r) / labels(b)[0].  On an undirected match Ladybug's start_node(r) is the
// matched end, not the stored start, but the relationship's _SRC is right: the direction is
// id(a) = struct_extract(r, '_SRC').  The match also meets a link from a node to itself twice (Neo4j once):
// graphkit.paths keeps one row of each and counts the rows (a node left out for it is read on its own).
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})
OPTIONAL MATCH (a)-[r0:__TYPES__]-()
WITH x, a, count(r0) AS n
WHERE n <= $cap
OPTIONAL MATCH (a)-[r:__TYPES__]-(b)
RETURN x AS node, r.id AS link, label(r) AS type, id(a) = struct_extract(r, '_SRC') AS out,
       b.id AS other, label(b) AS other_label, coalesce(b.name, b.title, b.full) AS other_name,
       r.src_file AS src_file, r.src_row AS src_row, n AS links
