// name: search/named
// title: The named nodes whose name is one of some spellings (an exact name looked up without the name index)
// description: >
//   One branch per label with a name (__LABEL__), joined with UNION ALL.  An equality on n.name, so Neo4j
//   seeks its range index on the name; graphkit.search asks it for a name as typed and its 繁/简 spellings.
// mode: read
// template: {__LABEL__: a model label with a name property}
// params:
//   names: {type: "list<string>", doc: the spellings looked up (exact text)}
// returns: [id, label, name]
MATCH (n:__LABEL__)
WHERE n.name IN $names
RETURN n.id AS id, '__LABEL__' AS label, n.name AS name
