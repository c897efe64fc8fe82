// name: collusion/tender_keys
// title: 招标项目编号 Every tender's key, in order
// description: >
//   The key of every tender, in the store's order of keys: collusion/bids is read a range of these keys at a time
//   on the embedded store (its header's pieces).
// mode: read
// params: {}
// returns: [id]
MATCH (t:Tender)
RETURN t.id AS id
ORDER BY id
