// name: risk/companies
// title: 企业 Every company's credit code, name and status
// description: One row per Company, with its source row.
// mode: read
// params: {}
// returns: [company, name, status, registered_date, src_file, src_row]
MATCH (c:Company)
RETURN c.id AS company, c.name AS name, c.status AS status, c.registered_date AS registered_date,
       c.src_file AS src_file, c.src_row AS src_row
