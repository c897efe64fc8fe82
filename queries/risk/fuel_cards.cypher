// name: risk/fuel_cards
// title: 加油卡用量 Each fuel card's fills, litres and amount, with its unit and bound vehicle
// description: >
//   One row per FuelCard held by a unit: its bound vehicle (kind, tank, brand) if any, and the number of
//   transactions, the litres and the amount charged to it. The sums are rounded to 6 decimals (the data carry
//   2): each engine adds in its own order, and the last digits of a floating-point sum would differ.
// mode: read
// params: {}
// returns: [card, unit, vehicle, vehicle_kind, tank_capacity, brand, fills, litres, amount]
MATCH (f:FuelCard)-[:CARD_HELD_BY]->(u:Organization)
OPTIONAL MATCH (f)-[:CARD_FOR]->(v:Vehicle)
OPTIONAL MATCH (x:FuelTransaction)-[:CHARGED_TO]->(f)
RETURN f.id AS card, u.id AS unit, v.id AS vehicle, v.kind AS vehicle_kind, v.tank_capacity AS tank_capacity,
       v.brand AS brand, count(x) AS fills, round(sum(x.litres), 6) AS litres, round(sum(x.amount), 6) AS amount
