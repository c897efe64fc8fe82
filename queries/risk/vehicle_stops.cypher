// name: risk/vehicle_stops
// title: 公车轨迹 GPS stops per vehicle registered to a unit
// description: >
//   One row per Vehicle registered to an Organization, with its number of GPS stops and the files they were
//   read from.
// mode: read
// params: {}
// returns: [vehicle, unit, vehicle_kind, tank_capacity, stops, stops_files]
MATCH (v:Vehicle)-[:REGISTERED_TO]->(u:Organization)
OPTIONAL MATCH (v)-[s:STOPPED_AT]->(:Place)
RETURN v.id AS vehicle, u.id AS unit, v.kind AS vehicle_kind, v.tank_capacity AS tank_capacity, count(s) AS stops,
       collect(DISTINCT s.src_file) AS stops_files
