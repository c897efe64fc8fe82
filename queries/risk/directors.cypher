// name: risk/directors
// title: 法定代表人与高管 Who represents or manages which company
// description: One row per LEGAL_REP_OF (role legal_rep) or EXECUTIVE_OF (role executive, with its title) link.
// mode: read
// params: {}
// returns: [person, company, role, title, src_file, src_row]
MATCH (p:Person)-[r:LEGAL_REP_OF]->(c:Company)
RETURN p.id AS person, c.id AS company, 'legal_rep' AS role, '法定代表人' AS title,
       r.src_file AS src_file, r.src_row AS src_row
UNION ALL
MATCH (p:Person)-[r:EXECUTIVE_OF]->(c:Company)
RETURN p.id AS person, c.id AS company, 'executive' AS role, r.title AS title,
       r.src_file AS src_file, r.src_row AS src_row
