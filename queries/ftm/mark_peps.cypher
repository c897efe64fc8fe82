// name: ftm/mark_peps
// title: Persons who hold a public post are politically exposed
// description: >
//   After an FtM import: a person with a HOLDS_POSITION link (an FtM Occupancy) gets pep = true, also
//   when the person and the post came in different files or loads.
// mode: write
// returns: [marked]
MATCH (p:Person)-[:HOLDS_POSITION]->(:Position)
WHERE p.pep IS NULL OR p.pep = false
SET p.pep = true
RETURN count(p) AS marked
