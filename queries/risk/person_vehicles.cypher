// name: risk/person_vehicles
// title: 个人车辆 Vehicles registered to some persons
// description: Each vehicle registered to one of the given persons, with its free car-park whitelists.
// mode: read
// params:
//   ids: {type: "list<string>", doc: ID numbers}
// returns: [person, vehicle, vehicle_kind, lots]
UNWIND $ids AS x
MATCH (v:Vehicle)-[:REGISTERED_TO]->(p:Person {id: x})
OPTIONAL MATCH (v)-[w:WHITELISTED_AT]->(l:ParkingLot)
RETURN p.id AS person, v.id AS vehicle, v.kind AS vehicle_kind, count(l) AS lots
