// name: models/bid_rigging/pairs
// title: 围标串标第一步：共同投标且报价接近的企业对 Bid rigging, step 1: pairs of companies bidding together in lockstep
// description: >
//   Every ordered pair of companies that bid in the same tenders at least min_tenders times with prices within
//   cover_margin of each other in at least min_close_share of them: the screen of bid_rigging, run on its own so
//   that what it holds (1.2 million pairs of bids at a million persons) is given back before the pairs' identifiers
//   are compared (graphkit.rules.run hands these rows to the next step as $rows).
// mode: read
// params:
//   min_tenders: {type: int, doc: tenders two companies must have bid in together}
//   cover_margin: {type: float, doc: relative price difference under which two bids in a tender count as lockstep}
//   min_close_share: {type: float, doc: share of their common tenders in which the two bids are that close}
// returns: [a, b]
MATCH (a:Company)<-[sa:SUBMITTED_BY]-(ba:Bid)-[fa:BID_FOR]->(t:Tender)<-[fb:BID_FOR]-(bb:Bid)-[sb:SUBMITTED_BY]->(b:Company)
WHERE a <> b AND fa <> fb AND sa <> sb
// each MATCH names the two links of a type it uses twice and says they differ (fa <> fb …): Neo4j never binds
// one relationship twice in a MATCH, Ladybug does unless told (graphkit.stores.dialect.repeated_relationships).
WITH a, b, count(*) AS n,
     sum(CASE WHEN abs(ba.price - bb.price) <= $cover_margin * CASE WHEN ba.price < bb.price THEN ba.price ELSE bb.price END
              THEN 1 ELSE 0 END) AS close
WHERE n >= $min_tenders AND close >= $min_close_share * n
RETURN a.id AS a, b.id AS b
