// name: risk/companies
// title: 企业 Every company's credit code, name and status
// description: One row per Company.
// mode: read
// params: {}
// returns: [company, name, status, registered_date]
MATCH (c:Company)
RETURN c.id AS company, c.name AS name, c.status AS status, c.registered_date AS registered_date
