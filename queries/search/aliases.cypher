// name: search/aliases
// title: Every node of one label that has other name values (aliases, names in other scripts)
// mode: read
// template: {__LABEL__: a model label with an aliases property}
// returns: [id, name, aliases]
MATCH (n:__LABEL__)
WHERE n.aliases IS NOT NULL
RETURN n.id AS id, n.name AS name, n.aliases AS aliases
