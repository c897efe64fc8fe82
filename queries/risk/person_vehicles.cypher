// name: risk/person_vehicles
// title: 个人车辆 Vehicles registered to some persons
// description: >
//   Each vehicle registered to one of the given persons: its free car-park whitelists, its parking records and
//   how many of them were let out free of charge, with the source row of the registration and the files the
//   whitelists and the parking records were read from.
// mode: read
// params:
//   ids: {type: "list<string>", doc: ID numbers}
// returns: [person, vehicle, vehicle_kind, lots, parked, parked_free, src_file, src_row, whitelist_files, parking_files]
UNWIND $ids AS x
MATCH (v:Vehicle)-[r:REGISTERED_TO]->(p:Person {id: x})
OPTIONAL MATCH (v)-[w:WHITELISTED_AT]->(l:ParkingLot)
WITH p, v, r, count(l) AS lots, collect(DISTINCT w.src_file) AS whitelist_files
OPTIONAL MATCH (v)-[k:PARKED_AT]->(:ParkingLot)
RETURN p.id AS person, v.id AS vehicle, v.kind AS vehicle_kind, lots, count(k) AS parked,
       sum(CASE WHEN k.exempt = true THEN 1 ELSE 0 END) AS parked_free, r.src_file AS src_file, r.src_row AS src_row,
       whitelist_files, collect(DISTINCT k.src_file) AS parking_files
ORDER BY person, vehicle
