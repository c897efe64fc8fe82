// name: risk/receptions
// title: 公务接待 Reception expenses per unit
// description: One row per ReceptionExpense: the claiming unit, date, amount, guests and letter number.
// mode: read
// params: {}
// returns: [reception, unit, date, amount, guests, letter_no, src_file, src_row]
MATCH (r:ReceptionExpense)-[:CLAIMED_BY]->(u:Organization)
RETURN r.id AS reception, u.id AS unit, r.date AS date, r.amount AS amount, r.guests AS guests,
       r.letter_no AS letter_no, r.src_file AS src_file, r.src_row AS src_row
