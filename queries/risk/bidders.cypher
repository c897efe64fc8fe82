// name: risk/bidders
// title: 投标人 Which company bid in which tender
// description: One row per bid: tender, bidding company, whether it won, the bid's source row.
// mode: read
// params: {}
// returns: [tender, company, is_winner, src_file, src_row]
MATCH (t:Tender)<-[:BID_FOR]-(b:Bid)-[:SUBMITTED_BY]->(c:Company)
RETURN t.id AS tender, c.id AS company, b.is_winner AS is_winner, b.src_file AS src_file, b.src_row AS src_row
