// name: search/names
// title: Every named node of one label (the name index of graphkit.search)
// mode: read
// template: {__LABEL__: a model label with a name property}
// returns: [id, name]
MATCH (n:__LABEL__)
WHERE n.name IS NOT NULL
RETURN n.id AS id, n.name AS name
