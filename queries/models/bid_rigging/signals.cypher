// name: models/bid_rigging/signals
// title: 围标串标第二步：企业对共用的身份信息 Bid rigging, step 2: the identifiers a pair of companies shares
// description: >
//   For each pair the screen kept ($rows from models/bid_rigging/pairs), which identifiers the two companies share:
//   phone, registered address, a legal representative or shareholder, and in one tender a bid-document author,
//   IP, MAC or file hash, a bond account or a bidding agent; the pairs that share at least min_signals kinds.
//   Each kind is a pattern that exists or not (EXISTS): no pair's matches are counted, or held, to say so.
// mode: read
// params:
//   rows: {type: "list<map>", doc: "the pairs of companies the screen kept: {a, b} credit codes"}
//   min_signals: {type: int, doc: shared identifiers two companies need}
// returns: [a, b, signals, phone, address, person, bid_doc, bond, agent]
UNWIND $rows AS r
// no aggregation here: Ladybug 0.22 fails ("Cannot evaluate expression with type VARIABLE") on one after a node
// looked up by a key from $rows; the pairs are grouped by the model's own query, before it looks a company up
MATCH (a:Company {id: r.a})
MATCH (b:Company {id: r.b})
WITH a, b,
     EXISTS {
       MATCH (a)<-[sx:SUBMITTED_BY]-(x:Bid)-[fx:BID_FOR]->(:Tender)<-[fy:BID_FOR]-(y:Bid)-[sy:SUBMITTED_BY]->(b)
       WHERE sx <> sy AND fx <> fy AND (x.ip = y.ip OR x.mac = y.mac OR x.doc_author = y.doc_author OR x.doc_hash = y.doc_hash)
     } AS bid_doc,
     EXISTS { MATCH (a)-[pa:HAS_PHONE]->(:Phone)<-[pb:HAS_PHONE]-(b) WHERE pa <> pb } AS phone,
     EXISTS { MATCH (a)-[da:HAS_ADDRESS]->(:Address)<-[db:HAS_ADDRESS]-(b) WHERE da <> db } AS address,
     EXISTS {
       MATCH (a)<-[ra:LEGAL_REP_OF|SHAREHOLDER_OF]-(:Person)-[rb:LEGAL_REP_OF|SHAREHOLDER_OF]->(b)
       WHERE ra <> rb
     } AS person,
     EXISTS {
       MATCH (a)<-[sx:SUBMITTED_BY]-(x:Bid)-[kx:BOND_PAID_FROM]->(:BankAccount)<-[ky:BOND_PAID_FROM]-(y:Bid)-[sy:SUBMITTED_BY]->(b),
             (x)-[fx:BID_FOR]->(:Tender)<-[fy:BID_FOR]-(y)
       WHERE sx <> sy AND kx <> ky AND fx <> fy
     } AS bond,
     EXISTS {
       MATCH (a)<-[sx:SUBMITTED_BY]-(x:Bid)-[gx:BID_AGENT]->(:Person)<-[gy:BID_AGENT]-(y:Bid)-[sy:SUBMITTED_BY]->(b),
             (x)-[fx:BID_FOR]->(:Tender)<-[fy:BID_FOR]-(y)
       WHERE sx <> sy AND gx <> gy AND fx <> fy
     } AS agent
WITH a, b, bid_doc, phone, address, person, bond, agent,
     CASE WHEN phone THEN 1 ELSE 0 END + CASE WHEN address THEN 1 ELSE 0 END + CASE WHEN person THEN 1 ELSE 0 END +
     CASE WHEN bid_doc THEN 1 ELSE 0 END + CASE WHEN bond THEN 1 ELSE 0 END + CASE WHEN agent THEN 1 ELSE 0 END AS signals
WHERE signals >= $min_signals
RETURN a.id AS a, b.id AS b, signals, phone, address, person, bid_doc, bond, agent
