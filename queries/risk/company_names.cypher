// name: risk/company_names
// title: 企业名称 Names of some companies
// description: The name and status of each company whose credit code is given.
// mode: read
// params:
//   ids: {type: "list<string>", doc: credit codes}
// returns: [company, name, status]
UNWIND $ids AS x
MATCH (c:Company {id: x})
RETURN c.id AS company, c.name AS name, c.status AS status
