// name: risk/tenders
// title: 招标 Every tender with its issuer, number of bids and winner
// description: >
//   One row per Tender: issuing unit, method, category, budget, publication and closing dates, bids, winner;
//   the tender's source row and the files its bids and its award were read from.
// mode: read
// params: {}
// returns: [tender, unit, method, category, budget, publish_date, close_date, bids, winner, src_file, src_row, bids_files, won_file, won_row]
MATCH (t:Tender)-[:ISSUED_BY]->(u:Organization)
OPTIONAL MATCH (b:Bid)-[:BID_FOR]->(t)
WITH t, u, count(b) AS bids, collect(DISTINCT b.src_file) AS bid_files
OPTIONAL MATCH (c:Company)-[w:WON]->(t)
RETURN t.id AS tender, u.id AS unit, t.method AS method, t.category AS category, t.budget AS budget,
       t.publish_date AS publish_date, t.close_date AS close_date, bids, c.id AS winner,
       t.src_file AS src_file, t.src_row AS src_row, bid_files AS bids_files, w.src_file AS won_file,
       w.src_row AS won_row
