// name: search/phone_holders
// title: Who has a phone number
// description: One branch per label that can hold a phone (__LABEL__), joined with UNION ALL.
// mode: read
// template: {__LABEL__: a model label}
// params:
//   phone: {type: string, doc: normalised phone number (the Phone node's id)}
// returns: [id, label, name]
MATCH (x:__LABEL__)-[:HAS_PHONE]->(p:Phone {id: $phone})
RETURN x.id AS id, '__LABEL__' AS label, x.name AS name
