// name: privacy/public_keys
// title: 公开的车牌与地址 Plates and addresses shown in clear although their label is personal
// description: >
//   A Vehicle's plate and an Address are personal data (nodes.yaml `personal: plate | address`), masked in every
//   face (graphkit.model.mask), except the ones this query returns. An official vehicle: kind official,
//   enforcement or special (公务 / 执法执勤 / 特种, the register's 车辆性质) and registered to no person; its plate is
//   on the street and an investigator needs it. A registered address: the address of a company (住所, public in
//   the business registry) or of a unit that no person is linked to by any relationship (a person's 住址 /
//   户籍地址 at the same place keeps it masked). A vehicle of kind private or of no known kind, and an address
//   known from a person only, stay masked.
// mode: read
// params: {}
// returns: [label, id]
MATCH (v:Vehicle)
WHERE v.kind IN ['official', 'enforcement', 'special'] AND NOT EXISTS { MATCH (v)-[:REGISTERED_TO]->(:Person) }
RETURN 'Vehicle' AS label, v.id AS id
UNION
MATCH (:Company)-[:HAS_ADDRESS]->(a:Address)
WHERE NOT EXISTS { MATCH (:Person)--(a) }
RETURN 'Address' AS label, a.id AS id
UNION
MATCH (:Organization)-[:HAS_ADDRESS]->(a:Address)
WHERE NOT EXISTS { MATCH (:Person)--(a) }
RETURN 'Address' AS label, a.id AS id
