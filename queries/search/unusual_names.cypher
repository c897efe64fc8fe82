// name: search/unusual_names
// title: The named nodes whose name is not in the form loaders store (padded with white space, another middle dot)
// description: >
//   One branch per label with a name (__LABEL__), joined with UNION ALL.  Such a name can equal a query in
//   the name index without being equal to it as stored, so graphkit.search reads these few once per store
//   and compares them with every exact lookup.
// mode: read
// template: {__LABEL__: a model label with a name property}
// params:
//   unusual: {type: string, doc: regular expression of a name the name index rewrites or strips}
// returns: [id, label, name]
MATCH (n:__LABEL__)
WHERE n.name =~ $unusual
RETURN n.id AS id, '__LABEL__' AS label, n.name AS name
