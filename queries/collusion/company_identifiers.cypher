// name: collusion/company_identifiers
// title: 企业登记标识 Registry identifiers of every company
// description: >
//   One row per (company, identifier) from the business registry: its phone, its registered address, its
//   legal representative, each shareholder (person, company or unit) and each executive.  Two bidders that
//   hold the same value are linked in the bidder graph. name: the holder's name where the value is a person or a
//   company (what a drawing of the shared value is captioned with), '' for a phone or an address.
// mode: read
// params: {}
// returns: [company, signal, value, name]
MATCH (c:Company)-[:HAS_PHONE]->(x:Phone)
RETURN c.id AS company, 'phone' AS signal, x.id AS value, '' AS name
UNION ALL
MATCH (c:Company)-[:HAS_ADDRESS]->(x:Address)
RETURN c.id AS company, 'address' AS signal, x.id AS value, '' AS name
UNION ALL
MATCH (x:Person)-[:LEGAL_REP_OF]->(c:Company)
RETURN c.id AS company, 'legal_rep' AS signal, x.id AS value, x.name AS name
UNION ALL
MATCH (x)-[:SHAREHOLDER_OF]->(c:Company)
RETURN c.id AS company, 'shareholder' AS signal, x.id AS value, x.name AS name
UNION ALL
MATCH (x:Person)-[:EXECUTIVE_OF]->(c:Company)
RETURN c.id AS company, 'executive' AS signal, x.id AS value, x.name AS name
