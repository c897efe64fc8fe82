// name: paths/link_props (embedded store)
// Ladybug has no map projection (r {.*}); the relationship itself comes back as a dict of its properties.
UNWIND $ids AS x
MATCH (a:__LABEL__ {id: x})-[r:__TYPES__]->()
RETURN r.id AS link, r AS props
