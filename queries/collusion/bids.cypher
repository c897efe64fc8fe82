// name: collusion/bids
// title: 投标明细 Every bid with its tender, bidder and bid-document identifiers
// description: >
//   One row per bid submitted by a company: the tender (budget, publish date, method, category), the bidder,
//   the price and outcome, and what identifies who prepared and paid for it — the bid document's IP, MAC,
//   file hash and author, the account the bid bond came from, the agent who handled it.  Feeds the bidder
//   graph (co-bidding, shared bid-document and bond identifiers) and the per-tender screens.  The tenders whose key
//   is from_tender or after and before to_tender (or to the last with to_end): store.query("collusion/bids") without
//   them reads every tender, the embedded store a range of tenders at a time (pieces; graphkit.stores.base.Pieces).
// mode: read
// params:
//   from_tender: {type: string, doc: "the first tender key of the range ('' from the first)"}
//   to_tender: {type: string, doc: the key the range stops before}
//   to_end: {type: boolean, doc: "true: to the last tender (to_tender not read)"}
// pieces: {keys: collusion/tender_keys, from: from_tender, to: to_tender, to_end: to_end}
// returns: [tender, budget, publish_date, method, category, bid, company, company_name, price, rank, is_winner,
//           ip, mac, doc_hash, doc_author, bond_account, agent, agent_name, src_file, src_row]
MATCH (t:Tender)<-[:BID_FOR]-(b:Bid)-[:SUBMITTED_BY]->(c:Company)
WHERE t.id >= $from_tender AND (t.id < $to_tender OR $to_end)
OPTIONAL MATCH (b)-[:BOND_PAID_FROM]->(a:BankAccount)
OPTIONAL MATCH (b)-[:BID_AGENT]->(p:Person)
RETURN t.id AS tender, t.budget AS budget, t.publish_date AS publish_date, t.method AS method,
       t.category AS category, b.id AS bid, c.id AS company, c.name AS company_name, b.price AS price,
       b.rank AS rank, b.is_winner AS is_winner, b.ip AS ip, b.mac AS mac, b.doc_hash AS doc_hash,
       b.doc_author AS doc_author, a.id AS bond_account, p.id AS agent, p.name AS agent_name, b.src_file AS src_file,
       b.src_row AS src_row
ORDER BY tender, bid
