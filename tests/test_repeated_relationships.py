"""One relationship bound twice in one MATCH: Neo4j never does it (relationship isomorphism), Ladybug 0.22
does unless the query says otherwise (it has no setting for fixed-length patterns;
``recursive_pattern_semantic`` governs variable-length ones).  Every query names the two patterns of a type it
uses twice and says ``r1 <> r2`` (:func:`graphkit.stores.dialect.repeated_relationships` finds the ones that
do not), so both stores give Neo4j's answer.

The graph: a bid id that two sources reuse with two companies gives one Bid two SUBMITTED_BY links and one
BID_FOR link; without ``fa <> fb`` the embedded store paired that bid with itself in ``bid_rigging`` and saw
the two companies bid together.  A tender with two issuers gave ``short_bid_window`` two rows of one key,
and the hit kept whichever row the store returned first.
"""

from __future__ import annotations

import pandas as pd
import pytest
from model_drawing import Drawing, d

from graphkit import rules as models
from graphkit.stores.base import QUERY_DIR
from graphkit.stores.dialect import repeated_relationships

A, B, C, D = "91320500CLASH0001A", "91320500CLASH0002B", "91320500PAIR00001C", "91320500PAIR00002D"


def draw() -> Drawing:
    g = Drawing()
    for cid in (A, B, C, D):
        g.node("Company", cid, "companies.csv", name=f"公司{cid[-2:]}", status="存续")
    for uid in ("U2", "U1"):
        g.node("Organization", uid, "units.csv", name=f"单位{uid}", kind="government", jurisdiction="320500")
    n = 0

    def tender(tid: str) -> str:
        g.node("Tender", tid, "tenders.csv", title=tid, method="open", budget=1e6, publish_date=d("2024-01-01"))
        return tid

    def bid(tid: str, *companies: str) -> None:
        nonlocal n
        n += 1
        bid_id = f"BID{n:03d}"
        g.node("Bid", bid_id, "bids.csv", price=100.0, ip="10.0.0.1")
        g.edge("BID_FOR", bid_id, tid, "bids.csv")
        for c in companies:  # two companies: the second source's row under a reused bid id
            g.edge("SUBMITTED_BY", bid_id, c, "bids.csv")

    for i in range(4):  # A and B only ever share one bid per tender: no two bids, no collusion
        t = tender(f"TA{i}")
        bid(t, A, B)
        g.edge("WON", A if i % 2 else B, t, "bids.csv", price=100.0)
    for i in range(4):  # C and D bid against each other four times, same IP, taking turns: a hit
        t = tender(f"TC{i}")
        bid(t, C)
        bid(t, D)
        g.edge("WON", C if i % 2 else D, t, "bids.csv", price=100.0)
    # a tender id two sources reuse: two issuers (U2 stored first), a window of 5 days
    g.node(
        "Tender",
        "TW",
        "tenders.csv",
        title="TW",
        method="open",
        budget=1e6,
        publish_date=d("2024-03-01"),
        close_date=d("2024-03-06"),
    )
    g.edge("ISSUED_BY", "TW", "U2", "tenders.csv")
    g.edge("ISSUED_BY", "TW", "U1", "tenders.csv")
    return g


def fill(store, g: Drawing):
    store.create_schema()
    for label, rows in g.nodes.items():
        store.upsert_nodes(label, pd.DataFrame(rows))
    for (rtype, source, target), rows in g.edges.items():
        store.upsert_edges(rtype, source, target, pd.DataFrame(rows))
    return store


#: the first MATCH of bid_rigging, counted: pairs of (company, bid) per tender under Neo4j's semantics
PAIRS = (
    "MATCH (a:Company)<-[sa:SUBMITTED_BY]-(ba:Bid)-[fa:BID_FOR]->(t:Tender)<-[fb:BID_FOR]-(bb:Bid)"
    "-[sb:SUBMITTED_BY]->(b:Company) WHERE a <> b AND fa <> fb AND sa <> sb RETURN count(*) AS n"
)


def answers(store) -> dict:
    rig = models.run(store, "bid_rigging")
    window = models.run(store, "short_bid_window")
    return {
        "pairs": int(store.run(PAIRS)["n"].iloc[0]),
        "bid_rigging": sorted(rig["key"]),
        "short_bid_window": window[["key", "entities", "types", "summary"]].to_dict("records"),
    }


#: what Neo4j answers (relationship isomorphism): C and D pair in their four tenders, both ways
EXPECTED = {
    "pairs": 8,
    "bid_rigging": [C],
    "short_bid_window": [
        {
            "key": "TW",
            "entities": ["TW", "U1"],
            "types": ["tender", "unit"],
            "summary": "单位U1 published open tender TW (TW) on 2024-03-01 and closed it on 2024-03-06, "
            "under 20 days; 0 bids",
        }
    ],
}


def test_no_query_lets_one_relationship_pair_with_itself():
    found = [
        (str(p.relative_to(QUERY_DIR)), v1, v2, clause[:120])
        for p in sorted(QUERY_DIR.rglob("*.cypher"))
        for clause, v1, v2 in repeated_relationships(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_repeated_relationships_reads_clauses_types_and_guards():
    q = "MATCH (a)-[:X]->(b)<-[:X]-(c) RETURN a"
    assert [(v1, v2) for _, v1, v2 in repeated_relationships(q)] == [(None, None)]
    # different types never bind one relationship; overlapping type sets and untyped patterns may
    assert repeated_relationships("MATCH (a)-[:X]->(b)<-[:Y]-(c) RETURN a") == []
    assert len(repeated_relationships("MATCH (a)-[:X|Y]->(b)<-[:Y|Z]-(c) RETURN a")) == 1
    assert len(repeated_relationships("MATCH (a)-[r]->(b)<-[:Y]-(c) RETURN a")) == 1
    # one clause across comma-separated patterns; the guard belongs to that clause's WHERE
    q = "OPTIONAL MATCH (a)-[r:X]->(b), (c)-[s:X]->(d) WHERE r <> s WITH a MATCH (a)-[u:X]->()<-[v:X]-() RETURN a"
    assert [(v1, v2) for _, v1, v2 in repeated_relationships(q)] == [("u", "v")]
    # two MATCH clauses are two scopes; a variable-length pattern is left to the path overrides
    assert repeated_relationships("MATCH (a)-[:X]->(b) MATCH (b)<-[:X]-(c) RETURN a") == []
    assert repeated_relationships("MATCH (a)-[:X*1..3]-(b)<-[:X]-(c) RETURN a") == []
    # strings and comments do not count
    assert repeated_relationships("MATCH (a)-[:X]->(b) WHERE a.s = '-[:X]-' // -[:X]-\nRETURN a") == []


def test_the_embedded_store_pairs_no_relationship_with_itself(tmp_path):
    from graphkit.stores.embedded import EmbeddedStore

    store = fill(EmbeddedStore(tmp_path / "g.db"), draw())
    try:
        assert answers(store) == EXPECTED
    finally:
        store.close()


def test_a_duplicated_key_keeps_the_same_row_whatever_order_the_store_returns():
    from test_neo4j_store import make_store

    rows = [
        {
            "key": "T1",
            "level": "orange",
            "entities": ["T1", u],
            "types": ["tender", "unit"],
            "summary": u,
            "summary_zh": u,
            "sources": [],
        }
        for u in ("U2", "U1")
    ]
    got = []
    for order in (rows, rows[::-1]):
        store, _ = make_store(answers={"//": (models.HIT_COLUMNS, order)})
        got.append(models.run(store, "short_bid_window").to_dict("records"))
    assert got[0] == got[1] and len(got[0]) == 1 and got[0][0]["entities"] == ["T1", "U1"]


@pytest.mark.neo4j
def test_neo4j_gives_the_same_answers(neo4j_empty, tmp_path):
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.stores.neo4j import Neo4jStore

    neo = Neo4jStore.from_env(neo4j_empty.uri)
    try:
        fill(neo, draw())
        emb = fill(EmbeddedStore(tmp_path / "g.db"), draw())
        assert answers(neo) == answers(emb) == EXPECTED
        emb.close()
    finally:
        neo.run("MATCH (n) DETACH DELETE n")
        neo.close()
