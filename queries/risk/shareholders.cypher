// name: risk/shareholders
// title: 股东 Who holds shares in which company (persons and companies)
// description: >
//   One row per SHAREHOLDER_OF link into a company, with its percent; holder_label says whether the holder
//   is a Person or a Company (a holding company).
// mode: read
// params: {}
// returns: [holder, holder_label, company, percent, src_file, src_row]
MATCH (p:Person)-[r:SHAREHOLDER_OF]->(c:Company)
RETURN p.id AS holder, 'Person' AS holder_label, c.id AS company, r.percent AS percent,
       r.src_file AS src_file, r.src_row AS src_row
UNION ALL
MATCH (h:Company)-[r:SHAREHOLDER_OF]->(c:Company)
RETURN h.id AS holder, 'Company' AS holder_label, c.id AS company, r.percent AS percent,
       r.src_file AS src_file, r.src_row AS src_row
