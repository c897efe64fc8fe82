// name: search/named_aliases
// title: The nodes with other name values (aliases) that hold one of some spellings, or a middle dot written otherwise
// description: >
//   One branch per label with an aliases property (__LABEL__), joined with UNION ALL.  The aliases value
//   holds the other names joined by newlines; graphkit.search splits them and compares each exactly.
// mode: read
// template: {__LABEL__: a model label with an aliases property}
// params:
//   names: {type: "list<string>", doc: the spellings looked up (exact text)}
//   unusual: {type: string, doc: "regular expression of an aliases value the name index rewrites (another middle dot)"}
// returns: [id, label, name, aliases]
MATCH (n:__LABEL__)
WHERE n.aliases IS NOT NULL AND (any(w IN $names WHERE n.aliases CONTAINS w) OR n.aliases =~ $unusual)
RETURN n.id AS id, '__LABEL__' AS label, n.name AS name, n.aliases AS aliases
