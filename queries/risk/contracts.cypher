// name: risk/contracts
// title: 采购合同 Every contract with its buyer, supplier and tender
// description: >
//   One row per Contract: the contracting unit, the supplier, amount, method, title (the kind of purchase is
//   read from it), signing date and the tender it was awarded under, if any.
// mode: read
// params: {}
// returns: [contract, unit, company, company_name, amount, method, title, signed_date, tender, src_file, src_row]
MATCH (k:Contract)-[:CONTRACTED_BY]->(u:Organization)
MATCH (k)-[:AWARDED_TO]->(c:Company)
OPTIONAL MATCH (k)-[:UNDER_TENDER]->(t:Tender)
RETURN k.id AS contract, u.id AS unit, c.id AS company, c.name AS company_name, k.amount AS amount,
       k.method AS method, k.title AS title, k.signed_date AS signed_date, t.id AS tender,
       k.src_file AS src_file, k.src_row AS src_row
