// name: paths/locate
// title: Which of these ids are nodes of one label
// description: >
//   Looks the ids up by primary key in one label.  graphkit.paths renders one branch per candidate
//   label (__LABEL__, a label of the model) and joins them with UNION ALL.
// mode: read
// template: {__LABEL__: a model label}
// params:
//   ids: {type: "list<string>", doc: natural keys}
// returns: [id, label]
UNWIND $ids AS x
MATCH (n:__LABEL__ {id: x})
RETURN n.id AS id, '__LABEL__' AS label
