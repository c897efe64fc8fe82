// name: paths/nodes (embedded store)
// Ladybug has no map projection (n {.*}); the node itself comes back as a dict of its properties.
UNWIND $ids AS x
MATCH (n:__LABEL__ {id: x})
RETURN n AS node
