// name: risk/tenders
// title: 招标 Every tender with its issuer, number of bids and winner
// description: One row per Tender: issuing unit, method, category, budget, publication and closing dates, bids, winner.
// mode: read
// params: {}
// returns: [tender, unit, method, category, budget, publish_date, close_date, bids, winner]
MATCH (t:Tender)-[:ISSUED_BY]->(u:Organization)
OPTIONAL MATCH (b:Bid)-[:BID_FOR]->(t)
WITH t, u, count(b) AS bids
OPTIONAL MATCH (c:Company)-[:WON]->(t)
RETURN t.id AS tender, u.id AS unit, t.method AS method, t.category AS category, t.budget AS budget,
       t.publish_date AS publish_date, t.close_date AS close_date, bids, c.id AS winner
