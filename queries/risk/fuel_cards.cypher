// name: risk/fuel_cards
// title: 加油卡用量 Each fuel card's fills, litres and amount, with its unit and bound vehicle
// description: >
//   One row per FuelCard held by a unit: its bound vehicle (kind, tank, brand) if any, and the number of
//   transactions, the litres and the amount charged to it. The sums are rounded to 6 decimals (the data carry
//   2): each engine adds in its own order, and the last digits of a floating-point sum would differ.
//   The sources of what a portrait shows: the source rows of the card's CARD_HELD_BY and CARD_FOR links and
//   of the vehicle, and the files its transactions were read from.
// mode: read
// params: {}
// returns: [card, unit, vehicle, vehicle_kind, tank_capacity, brand, fills, litres, amount, held_file, held_row, for_file, for_row, vehicle_file, vehicle_row, fills_files]
MATCH (f:FuelCard)-[h:CARD_HELD_BY]->(u:Organization)
OPTIONAL MATCH (f)-[b:CARD_FOR]->(v:Vehicle)
OPTIONAL MATCH (x:FuelTransaction)-[:CHARGED_TO]->(f)
RETURN f.id AS card, u.id AS unit, v.id AS vehicle, v.kind AS vehicle_kind, v.tank_capacity AS tank_capacity,
       v.brand AS brand, count(x) AS fills, round(sum(x.litres), 6) AS litres, round(sum(x.amount), 6) AS amount,
       h.src_file AS held_file, h.src_row AS held_row, b.src_file AS for_file, b.src_row AS for_row,
       v.src_file AS vehicle_file, v.src_row AS vehicle_row, collect(DISTINCT x.src_file) AS fills_files
