// name: risk/person_payments
// title: 单位向个人付款 Payments from government units to persons
// description: One row per Payment whose payer is an Organization and whose beneficiary is a Person.
// mode: read
// params: {}
// returns: [payment, unit, person, amount, date, purpose, src_file, src_row]
MATCH (u:Organization)<-[:PAYER]-(p:Payment)-[:BENEFICIARY]->(q:Person)
RETURN p.id AS payment, u.id AS unit, q.id AS person, p.amount AS amount, p.date AS date, p.purpose AS purpose,
       p.src_file AS src_file, p.src_row AS src_row
