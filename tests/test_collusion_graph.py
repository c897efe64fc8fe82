"""Bidder graph, communities and knowledge-graph collusion scores.

A hand-drawn bidder world on the fixture city (exact edges, weights and signals), determinism and
provenance of communities, and the acceptance check on the synthetic city at scale 10,000: every planted
bid-rigging ring inside one community with ≥ 90% of its members, ring tenders above decoy tenders with
ROC AUC ≥ 0.95 (seed 7 here; seeds 8 and 9 under ``-m slow``; ``python bench/collusion_graph.py --eval``).
"""

from __future__ import annotations

import copy
import json
import math
import re

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fixture_city import C1, C2, C3, C4, C5, P5, TABLES, U1, write_city
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.collusion import communities as comm_mod
from graphkit.collusion.bidder_graph import SIGNALS, WEIGHTS, BidderGraph, build_bidder_graph, sorted_tuples
from graphkit.collusion.communities import detect
from graphkit.collusion.kg import SCORE_STEPS, evaluate_store, score_bidder_graph, score_store
from graphkit.collusion.words import column_note
from graphkit.reports import read_collusion_report, write_collusion_reports
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import load_dir

# ------------------------------------------------------------------------------------------------ fixture
# The fixture city's companies: C1, C2, C3 share an address (A_SHARED) and an executive (P5); P5 is also
# the bid agent of C1 and C2 in T2.  T1's two bids (C1, C2) came from one IP and MAC, one author "admin",
# and one bond account.  C4 (a law firm) never bids.  Tenders:
#   T1: C1 wins 980,000; C2 990,000            (fixture's own bids)
#   T2: C1 wins 500,000; C2 505,000 (1% above: a cover bid); C3 540,000
#   T3: C3 wins 300,000; C5 330,000
T2 = {
    "tender_id": "T2",
    "title": "新村道路工程",
    "unit_id": U1,
    "method": "open",
    "budget": "600000",
    "publish_date": "2024-03-01",
    "close_date": "2024-03-25",
    "category": "工程",
}
T3 = {
    **T2,
    "tender_id": "T3",
    "title": "办公楼维修",
    "budget": "350000",
    "publish_date": "2024-05-01",
    "close_date": "2024-05-25",
}
_BLANK = {
    "rank": "",
    "submit_time": "",
    "ip": "",
    "mac": "",
    "doc_hash": "",
    "doc_author": "",
    "bond_account": "",
    "agent_id": "",
}


def _bid(bid: str, tender: str, company: str, price: str, win: bool, **kw: str) -> dict:
    return {
        "bid_id": bid,
        "tender_id": tender,
        "credit_code": company,
        "price": price,
        "is_winner": "1" if win else "0",
        **_BLANK,
        **kw,
    }


def bidder_tables() -> dict[str, list[dict]]:
    tables = copy.deepcopy(TABLES)
    tables["tenders"] += [T2, T3]
    order = list(tables["bids"][0])
    extra = [
        _bid("B3", "T2", C1, "500000", True, agent_id=P5),
        _bid("B4", "T2", C2, "505000", False, agent_id=P5),
        _bid("B5", "T2", C3, "540000", False),
        _bid("B6", "T3", C3, "300000", True),
        _bid("B7", "T3", C5, "330000", False),
    ]
    tables["bids"] += [{k: b[k] for k in order} for b in extra]
    return tables


#: exact expected edges: (a, b) -> (weight, tenders in common, signals, {signal: weight})
EXPECTED = {
    # co-bid: T1 (2 bidders) 1.0 + T2 (3 bidders) 0.5; address shared by 3: 1.0/2; P5 is executive of three
    # (1.5/2) and agent of both (3.0/1): one person, counted once at the agent's weight; ip 2, mac 3,
    # author 1, bond 4
    tuple(sorted((C1, C2))): (
        15.0,
        2,
        ("co_bid", "address", "executive", "mac", "ip", "doc_author", "bond_account", "agent"),
        {
            "co_bid": 1.5,
            "address": 0.5,
            "executive": 0.0,
            "agent": 3.0,
            "ip": 2.0,
            "mac": 3.0,
            "doc_author": 1.0,
            "bond_account": 4.0,
        },
    ),
    tuple(sorted((C1, C3))): (
        1.75,
        1,
        ("co_bid", "address", "executive"),
        {"co_bid": 0.5, "address": 0.5, "executive": 0.75},
    ),
    tuple(sorted((C2, C3))): (
        1.75,
        1,
        ("co_bid", "address", "executive"),
        {"co_bid": 0.5, "address": 0.5, "executive": 0.75},
    ),
    tuple(sorted((C3, C5))): (1.0, 1, ("co_bid",), {"co_bid": 1.0}),
}


@pytest.fixture(scope="module")
def bidder_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("bidders")
    city = write_city(root / "city", bidder_tables())
    store = EmbeddedStore(root / "g.db")
    report, unknown = load_dir(city, store)
    assert unknown == [] and report.quarantine == []
    yield store
    store.close()


@pytest.fixture(scope="module")
def bg(bidder_store) -> BidderGraph:
    return build_bidder_graph(bidder_store)


# ------------------------------------------------------------------------------------------------ bidder graph
def test_bidders_are_the_companies_that_bid(bg):
    assert sorted(bg.companies.index) == sorted([C1, C2, C3, C5])
    assert C4 not in bg.companies.index
    assert bg.companies.loc[C1, ["bids", "wins"]].tolist() == [2, 2]
    assert bg.companies.loc[C3, ["bids", "wins"]].tolist() == [2, 1]
    assert bg.companies.loc[C1, "name"] == "某某建设有限公司"


def test_edges_weights_and_signals_are_exact(bg):
    got = {(r.a, r.b): r for r in bg.edges.itertuples()}
    assert len(bg.edges) == len(EXPECTED)
    assert set(got) == set(EXPECTED)
    for pair, (weight, tenders, signals, parts) in EXPECTED.items():
        row = got[pair]
        assert row.weight == pytest.approx(weight), pair
        assert row.tenders == tenders, pair
        assert row.signals == signals, pair
        for s in SIGNALS:
            assert getattr(row, f"w_{s}") == pytest.approx(parts.get(s, 0.0)), (pair, s)
        assert row.weight == pytest.approx(sum(getattr(row, f"w_{s}") for s in SIGNALS))


def test_edges_keep_the_evidence(bg):
    e = bg.pair(C2, C1)
    assert e is not None and e["a"] == min(C1, C2)
    assert e["evidence"]["co_bid"] == ("T1", "T2")
    assert e["evidence"]["agent"] == (P5,) and e["evidence"]["executive"] == (P5,)
    assert e["evidence"]["ip"] == ("10.0.0.8",)
    assert e["evidence"]["doc_author"] == ("admin",)
    assert e["evidence"]["address"] == ("苏州市工业园区星湖街328号",)
    assert bg.pair(C1, C5) is None
    # holders are counted among bidders: the address is held by three of them
    addr = bg.identifiers[bg.identifiers["signal"] == "address"]
    assert sorted(addr["company"]) == sorted([C1, C2, C3]) and set(addr["holders"]) == {3}


def test_igraph_and_networkx_views_agree(bg):
    g = bg.igraph()
    assert isinstance(g, ig.Graph) and not g.is_directed()
    assert sorted(g.vs["name"]) == sorted(bg.companies.index)
    assert g.vcount() == 4 and g.ecount() == 4
    h = bg.networkx()
    assert isinstance(h, nx.Graph) and h.number_of_nodes() == 4 and h.number_of_edges() == 4
    for e in g.es:
        a, b = g.vs[e.source]["name"], g.vs[e.target]["name"]
        assert h[a][b]["weight"] == pytest.approx(e["weight"])
        assert tuple(h[a][b]["signals"]) == tuple(e["signals"]) == EXPECTED[tuple(sorted((a, b)))][2]
    assert h.nodes[C1]["company_name"] == "某某建设有限公司"


def test_weights_override_and_holder_cap(bg):
    base = bg.bids
    idf = bg.identifiers[["company", "signal", "value"]]
    idf = idf[idf["signal"].isin(["phone", "address", "legal_rep", "shareholder", "executive"])]
    no_cobid = BidderGraph.from_frames(base, idf, weights={"co_bid": 0})
    assert (C3, C5) not in {(r.a, r.b) for r in no_cobid.edges.itertuples()}
    assert set(no_cobid.edges["w_co_bid"]) == {0.0}
    capped = BidderGraph.from_frames(base, idf, max_holders=2)  # address and P5-as-executive are held by 3
    assert set(capped.dropped["signal"]) == {"address", "executive"}
    assert capped.pair(C1, C3)["signals"] == ("co_bid",)
    with pytest.raises(ValueError, match="unknown signal"):
        BidderGraph.from_frames(base, idf, weights={"fax": 1.0})
    with pytest.raises(ValueError, match="lack column"):
        BidderGraph.from_frames(base.drop(columns=["tender"]), idf)


def test_doc_example_of_the_weighting():
    bids = pd.DataFrame({"tender": ["T1", "T1", "T1", "T2", "T2"], "company": ["A", "B", "C", "A", "B"]})
    ids = pd.DataFrame({"company": ["A", "B", "C"], "signal": "phone", "value": "0512-1"})
    bg = BidderGraph.from_frames(bids, ids)
    ab = bg.pair("A", "B")
    # T1 has three bidders (1/2 each pair) and T2 two (1): 1.5; the phone is held by three (2.0/2)
    assert ab["w_co_bid"] == pytest.approx(1.5) and ab["w_phone"] == pytest.approx(1.0)
    assert bg.pair("A", "C")["weight"] == pytest.approx(0.5 + 1.0)
    assert WEIGHTS["bond_account"] > WEIGHTS["address"]


_COMPANIES = [f"C{i}" for i in range(6)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bids=st.lists(
        st.tuples(
            st.sampled_from(["T1", "T2", "T3", "T4"]),
            st.sampled_from(_COMPANIES),
            st.sampled_from(["", "ip1", "ip2"]),
            st.sampled_from(["", "acct1", "acct2"]),
        ),
        min_size=2,
        max_size=18,
    ),
    ids=st.lists(
        st.tuples(
            st.sampled_from(_COMPANIES),
            st.sampled_from(["phone", "address", "executive", "legal_rep"]),
            st.sampled_from(["v1", "v2", "v3"]),
        ),
        max_size=10,
    ),
    perm=st.permutations(_COMPANIES),
    seed=st.integers(0, 1000),
)
def test_bidder_graph_ignores_row_order_and_names(bids, ids, perm, seed):
    """Shuffling the rows or renaming the companies changes nothing but the names; weights add up."""
    b = pd.DataFrame(bids, columns=["tender", "company", "ip", "bond_account"]).drop_duplicates(["tender", "company"])
    i = pd.DataFrame(ids, columns=["company", "signal", "value"])
    ref = BidderGraph.from_frames(b, i)
    shuffled = BidderGraph.from_frames(b.sample(frac=1, random_state=seed), i.sample(frac=1, random_state=seed))
    cols = ["a", "b", "weight", "tenders", "signals", *(f"w_{s}" for s in SIGNALS)]
    assert ref.edges[cols].to_dict("records") == shuffled.edges[cols].to_dict("records")
    rename = dict(zip(_COMPANIES, [f"X{p}" for p in perm], strict=True))
    renamed = BidderGraph.from_frames(
        b.assign(company=b["company"].map(rename)), i.assign(company=i["company"].map(rename))
    )
    back = {
        tuple(sorted((rename[r.a], rename[r.b]))): (round(r.weight, 9), r.tenders, r.signals)
        for r in ref.edges.itertuples()
    }
    got = {(r.a, r.b): (round(r.weight, 9), r.tenders, r.signals) for r in renamed.edges.itertuples()}
    assert got == back
    parts = ref.edges[[f"w_{s}" for s in SIGNALS]].sum(axis=1)
    assert np.allclose(parts, ref.edges["weight"]) and (ref.edges["weight"] > 0).all()
    # every bidder gets at most one co_bid weight per tender it bid in
    per = (
        pd.concat(
            [
                ref.edges[["a", "w_co_bid"]].rename(columns={"a": "c"}),
                ref.edges[["b", "w_co_bid"]].rename(columns={"b": "c"}),
            ]
        )
        .groupby("c")["w_co_bid"]
        .sum()
    )
    nbids = b.groupby("company").size()
    assert all(per[c] <= nbids[c] * WEIGHTS["co_bid"] + 1e-9 for c in per.index)


def test_a_person_in_two_roles_of_equal_weight_is_booked_to_one_role_whatever_the_rows_order():
    """P is the legal representative of C0, C1 and C2 (3 / 2 = 1.5 to each pair) and an executive of C0 and C1 (1.5
    / 1): one person, counted once per pair at the strongest role, a tie. It went to the role whose row came first,
    and the registry's rows come in the store's order (another on Neo4j, another read in pieces): the pair's
    w_legal_rep and w_executive changed with it. The first role in SIGNALS takes it."""
    bids = pd.DataFrame({"tender": ["T1", "T1", "T1"], "company": ["C0", "C1", "C2"]})
    rows = [("C0", "legal_rep", "P"), ("C1", "legal_rep", "P"), ("C2", "legal_rep", "P")]
    rows += [("C0", "executive", "P"), ("C1", "executive", "P")]
    got = []
    for order in (rows, rows[::-1], rows[3:] + rows[:3]):
        e = BidderGraph.from_frames(bids, pd.DataFrame(order, columns=["company", "signal", "value"])).edges
        pair = e[(e["a"] == "C0") & (e["b"] == "C1")].iloc[0]
        got.append((pair["w_legal_rep"], pair["w_executive"], pair["weight"], pair["signals"]))
    assert got == [(1.5, 0.0, 2.0, ("co_bid", "legal_rep", "executive"))] * 3


# ------------------------------------------------------------------------------------------------ communities
def _planted(n_groups: int = 12, size: int = 8, seed: int = 3) -> ig.Graph:
    rng = np.random.default_rng(seed)
    n = n_groups * size
    edges = set()
    for i in range(n):
        for j in range(i + 1, n):
            p = 0.6 if i // size == j // size else 0.01
            if rng.random() < p:
                edges.add((i, j))
    g = ig.Graph(n=n, edges=sorted(edges))
    g.vs["name"] = [f"c{i:03d}" for i in range(n)]
    g.es["weight"] = [1.0 + (i % 3) for i in range(g.ecount())]
    return g


@pytest.mark.parametrize("method", ["leiden", "multilevel", "louvain_nx"])
def test_communities_are_deterministic_for_a_seed(method):
    g = _planted()
    a, b = detect(g, method=method, seed=11), detect(g, method=method, seed=11)
    assert a.membership == b.membership
    assert [c.members for c in a.communities] == [c.members for c in b.communities]
    # a partition: every node exactly once
    members = [m for c in a.communities for m in c.members]
    assert len(members) == g.vcount() and sorted(members) == sorted(g.vs["name"])
    assert a.sizes() == sorted(a.sizes(), reverse=True)
    assert 8 <= len(a) <= 16 and a.modularity > 0.6


_SCRIPT = """
import hashlib, json, sys
sys.path.insert(0, {tests!r})
from test_collusion_graph import _planted, _ring_of_cliques
from graphkit.collusion.communities import detect
out = []
for g in (_planted(), _ring_of_cliques()):
    for method in ("leiden", "multilevel", "louvain_nx"):
        for kw in ({{}}, {{"refine": 0.3}}, {{"max_size": 5}}):
            p = detect(g, method=method, seed=4, **kw)
            out.append(hashlib.sha1(json.dumps(sorted(p.membership.items())).encode()).hexdigest())
print(json.dumps(out))
"""


def test_communities_do_not_depend_on_the_process_hash_seed():
    """Python salts string hashes per process; the same seed must still give the same partition."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = _SCRIPT.format(tests=str(Path(__file__).parent))
    runs = []
    for salt in ("1", "7"):
        env = {**os.environ, "PYTHONHASHSEED": salt}
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        runs.append(json.loads(proc.stdout))
    assert len(runs[0]) == 18 and runs[0] == runs[1]


def test_method_and_parameters_are_recorded():
    g = _planted()
    p = detect(g, method="leiden", seed=5, resolution=0.8)
    assert p.method == "leiden"
    assert p.params == {
        "seed": 5,
        "resolution": 0.8,
        "weights": "weight",
        "objective_function": "modularity",
        "n_iterations": -1,
        "beta": 0.01,
        "library": "igraph",
    }
    assert all(c.method == "leiden" and c.params == p.params for c in p.communities)
    m = detect(g, method="multilevel", seed=5)
    assert m.method == "multilevel" and m.params["library"] == "igraph" and "objective_function" not in m.params
    nxp = detect(nx.karate_club_graph(), method="louvain_nx", seed=5)
    assert nxp.method == "louvain_nx" and nxp.params["library"] == "networkx" and nxp.params["weights"] == "weight"


def test_modularity_objective_is_explicit():
    """igraph's own default (CPM at resolution 1) puts nearly every node alone; ours does not."""
    g = _planted()
    cpm = g.community_leiden()  # unweighted, CPM, resolution 1
    assert len(cpm) > 0.5 * g.vcount()
    ours = detect(g, method="leiden", seed=1, weights=None)
    assert ours.params["objective_function"] == "modularity" and len(ours) < 0.2 * g.vcount()


def _ring_of_cliques(n: int = 30, k: int = 5) -> ig.Graph:
    edges = [(c * k + i, c * k + j) for c in range(n) for i in range(k) for j in range(i + 1, k)]
    edges += [(c * k, ((c + 1) % n) * k + 1) for c in range(n)]
    g = ig.Graph(n=n * k, edges=edges)
    g.vs["name"] = [f"q{c:02d}{i}" for c in range(n) for i in range(k)]
    return g


@pytest.mark.parametrize("method", ["leiden", "multilevel", "louvain_nx"])
def test_refine_undoes_the_resolution_limit(method):
    """A ring of 30 five-cliques: modularity merges neighbouring cliques (Fortunato & Barthélemy 2007);
    splitting each community again on its own subgraph gives back the cliques, and never splits one."""
    g = _ring_of_cliques()
    plain = detect(g, method=method, seed=4)
    assert max(plain.sizes()) >= 10
    fine = detect(g, method=method, seed=4, refine=0.3)
    assert fine.sizes() == [5] * 30
    assert {tuple(sorted({m[:3] for m in c.members})) for c in fine.communities} == {(f"q{c:02d}",) for c in range(30)}
    assert fine.params["refine"] == 0.3 and fine.params["max_size"] is None
    capped = detect(_planted(), method=method, seed=4, max_size=5)
    assert max(capped.sizes()) <= 5 and capped.params["max_size"] == 5


def test_networkx_fallback_without_igraph(monkeypatch):
    monkeypatch.setattr(comm_mod, "have_igraph", lambda: False)
    h = _planted().to_networkx()
    h = nx.relabel_nodes(h, {i: d["name"] for i, d in h.nodes(data=True)})
    p = detect(h, method="leiden", seed=2)
    assert p.method == "louvain_nx" and p.params["requested"] == "leiden"
    assert "igraph" in p.params["fallback"] and p.params["library"] == "networkx"
    assert sorted(p.membership) == sorted(h.nodes)
    with pytest.raises(ValueError, match="method must be one of"):
        detect(h, method="cpm")


def test_different_seeds_may_differ_but_each_is_stable(bg):
    for seed in (0, 1, 2):
        a, b = detect(bg, seed=seed), detect(bg, seed=seed)
        assert a.membership == b.membership
        assert set(a.membership) == set(bg.companies.index)


# ------------------------------------------------------------------------------------------------ scores
def test_fixture_tender_scores_are_explained(bidder_store, bg):
    s = score_bidder_graph(bg, detect(bg, seed=0))
    t = s.tenders
    assert sorted(t.index) == ["T1", "T2", "T3"]
    t2 = t.loc["T2"]
    assert (t2["n_bids"], t2["winner"], t2["cover_bids"], t2["losers"]) == (3, C1, 1, 2)
    # shared identifiers in T2: the address (3 of 3 bidders, held by 3, strength 1/3) and P5, executive of all
    # three (strength 0.5) and agent of two (2/3 × 1 × 1): one person, counted once at 2/3
    assert t2["e_shared_ids"] == pytest.approx(1 - (1 - 1 / 3) * (1 - 2 / 3))
    assert t2["e_cover_bids"] == pytest.approx(0.5 * 0.5)
    assert "2 of 3 bidders share one bid agent" in t2["reasons_en"]  # the English, as before: reasons is Chinese
    assert "1 of 2 losing bids priced 0.5%-3.0% above the winning price" in t2["reasons_en"]
    assert "3 家投标人中 2 家共用同一投标代理人" in t2["reasons"]
    assert 0 <= t["risk"].min() and t["risk"].max() <= 1
    assert t["risk"].is_monotonic_decreasing
    assert set(s.bidders.index) == {C1, C2, C3, C5}
    assert list(s.bidders.columns[:3]) == ["risk", "reasons", "name"]
    # each column's note (the notes sheet, the Collusion tab's tooltips) says what it holds in its own file:
    # bidders.csv's bids is a company's count, which the note had called the tender's (该标段的有效报价份数)
    assert s.bidders["bids"].to_dict() == bg.bids.groupby("company").size().to_dict()
    for of, frame in (("tenders", t), ("bidders", s.bidders), ("communities", s.communities)):
        keys = [frame.index.name, *frame.columns]
        assert [k for k in keys if not column_note(k, of)] == [], of
        if of != "tenders":  # a row here is a company or a community, not a tender
            said = {k: column_note(k, of) for k in keys if re.search(r"该标段|单一报价的标段", column_note(k, of))}
            assert said == {}, (of, said)


def test_score_cli_writes_reports(bidder_store, tmp_path):
    from graphkit.cli import main

    db = bidder_store.path
    # the module's store holds the database open: score a copy loaded the same way
    root = tmp_path / "x"
    city = write_city(root / "city", bidder_tables())
    with EmbeddedStore(root / "g.db") as st:
        load_dir(city, st)
    res = CliRunner().invoke(
        main,
        ["collusion", "score", "--store", f"embedded:{root / 'g.db'}", "--out", str(tmp_path / "out"), "--top", "2"],
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith("3 个标段（") and db.exists()
    # each file headed in Chinese, as score-bids' (they had the keys while score-bids' had Chinese): every column by
    # its one Chinese name, read back by key
    for name in ("tenders", "bidders", "communities"):
        heads = pd.read_csv(tmp_path / "out" / f"{name}.csv", nrows=0, encoding="utf-8-sig").columns.tolist()
        assert all(re.search(r"[\u4e00-\u9fff]", h) for h in heads) and len(set(heads)) == len(heads), heads
    t = read_collusion_report(tmp_path / "out" / "tenders.csv")
    assert list(t.columns[:3]) == ["tender", "risk", "reasons"] and len(t) == 3
    b = read_collusion_report(tmp_path / "out" / "bidders.csv")
    assert "某某建设有限公司" in set(b["name"])
    c = read_collusion_report(tmp_path / "out" / "communities.csv")
    assert {"risk", "reasons", "members", "method", "params"} <= set(c.columns)
    assert all(json.loads(p)["seed"] == 0 for p in c["params"])
    page = (tmp_path / "out" / "communities.html").read_text(encoding="utf-8")
    assert "某某建设有限公司" in page or json.dumps("某某建设有限公司") in page
    assert re.search(r"<h2>围标风险最高的 \d+ 个投标人社区", page) and "bidder communities" not in page  # Chinese alone
    import networkx as nx

    gm = nx.read_graphml(tmp_path / "out" / "communities.graphml", force_multigraph=True)
    assert "某某建设有限公司" in {d.get("name") for _, d in gm.nodes(data=True)}
    assert all("src_row" in d for *_, d in gm.edges(data=True))
    bad = CliRunner().invoke(main, ["collusion", "score", "--store", "nowhere:x", "--out", str(tmp_path / "o2")])
    assert bad.exit_code != 0 and "embedded:路径" in bad.output  # the store's spelling, said in Chinese


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["t1", "t2", "t10", None]), st.sampled_from(["x", "y"]), st.sampled_from("甲乙丙ab")),
        max_size=30,
    ),
    unique=st.booleans(),
)
def test_sorted_tuples_are_the_groupby_lambda_they_replace(rows, unique):
    """``sorted_tuples`` gives what ``groupby(by)[col].agg(lambda v: tuple(sorted(...)))`` gave: the same groups
    in the same order, the same tuples, missing keys dropped."""
    f = pd.DataFrame(rows, columns=["k1", "k2", "v"]).astype({"k1": "string[pyarrow]", "v": "string[pyarrow]"})
    for by in (["k1"], ["k1", "k2"]):
        got = sorted_tuples(f, by, "v", unique=unique)
        want = f.groupby(by)["v"].agg(lambda v: tuple(sorted(set(v) if unique else v)))
        assert len(got) == len(want)
        # (pandas hands back a one-group result's tuple as a list)
        assert list(got.index) == list(want.index) and list(got) == [tuple(v) for v in want]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bids=st.lists(
        st.tuples(
            st.sampled_from(["T1", "T2", "T3"]),
            st.sampled_from(_COMPANIES),
            st.sampled_from([None, "", " ip1", "ip1", "v1"]),
            st.sampled_from([None, "a1", "a2"]),
        ),
        min_size=2,
        max_size=24,
    ),
    ids=st.lists(
        st.tuples(
            st.sampled_from(_COMPANIES),
            st.sampled_from(["phone", "address", "legal_rep", "executive"]),
            st.sampled_from(["v1", "v2", "a1", "ip1"]),
        ),
        max_size=16,
    ),
    cap=st.integers(2, 5),
)
def test_shared_identifiers_are_each_tenders_values_two_of_its_bidders_hold(bids, ids, cap):
    """The step 共用标识 (shared identifiers) now works on integer codes, where frames of text of every (tender,
    identifier) row had taken 900 MiB at a million persons: the rows it keeps are, for each tender, the bidders
    holding a value another of its bidders holds, by the rule read plainly: a registry value when the company holds
    it, a bid value when its bid in that tender carries it (stripped), never a value held by more than ``cap``
    bidders; and the scores built on them are those of the same rows grouped as before."""
    from graphkit.collusion.bidder_graph import BID_SIGNALS
    from graphkit.collusion.kg import _bid_frame, _shared_ids, _shared_rows

    b = pd.DataFrame(bids, columns=["tender", "company", "ip", "bond_account"]).assign(price=100.0)
    bg = BidderGraph.from_frames(b, pd.DataFrame(ids, columns=["company", "signal", "value"]), max_holders=cap)
    kept = {(s, v): int(h) for s, v, h in bg.identifiers[["signal", "value", "holders"]].itertuples(index=False)}
    holds: dict[tuple[str, str, str], set[str]] = {}
    bidders = set(zip(bg.bids["tender"], bg.bids["company"], strict=True))
    for c, s, v, _ in bg.identifiers.itertuples(index=False, name=None):
        for t in sorted(t for t, c_ in bidders if c_ == c and s not in BID_SIGNALS):
            holds.setdefault((t, s, v), set()).add(c)
    for row in bg.bids.itertuples(index=False):
        for s in ("ip", "bond_account"):
            v = getattr(row, s)
            if isinstance(v, str) and v.strip() and (s, v.strip()) in kept:
                holds.setdefault((row.tender, s, v.strip()), set()).add(row.company)
    want = {(t, c, s, v, kept[(s, v)]) for (t, s, v), cs in holds.items() if len(cs) >= 2 for c in cs}
    tb = _bid_frame(bg.bids)[["tender", "company"]].drop_duplicates()
    got = _shared_rows(tb, bg)
    assert len(got) == len(want)
    assert set(got.itertuples(index=False, name=None)) == want
    ids_ = _shared_ids(_bid_frame(bg.bids), bg)
    assert set(ids_.index) == {t for t, *_ in want}
    assert all(ids_["linked"][t] == tuple(sorted({c for t_, c, *_ in want if t_ == t})) for t in ids_.index)


def test_score_store_names_every_step_of_its_scores(bidder_store):
    """A million-person city's scores took minutes with one step named: each part is named as it starts."""
    said: list[str] = []
    score_store(bidder_store, seed=0, progress=said.append)
    assert said == ["reading the store", "bidder links", "communities", *SCORE_STEPS]


def test_score_cli_shows_each_step_in_chinese(bidder_store, tmp_path, monkeypatch):
    from graphkit.cli import main

    monkeypatch.setenv("GRAPHKIT_PROGRESS", "bar")
    root = tmp_path / "x"
    with EmbeddedStore(root / "g.db") as st_:
        load_dir(write_city(root / "city", bidder_tables()), st_)
    res = CliRunner().invoke(main, ["collusion", "score", "--store", f"embedded:{root / 'g.db'}", "--out", str(root)])
    assert res.exit_code == 0, res.output
    for zh in (
        "读取数据库",
        "投标人关联",
        "社区发现",
        "标段筛查指标",
        "共用标识",
        "标段理由",
        "社区评分",
        "投标人评分",
        "报告：tenders.csv",
        "报告：bidders.csv",
        "报告：communities.csv",
        "报告：communities.html",
    ):
        assert zh in res.stderr, zh


def test_score_cli_s_bar_is_on_screen_before_the_store_opens(bidder_store, tmp_path, monkeypatch):
    """At 1,000,000 persons collusion score said nothing while it opened the store and read its public keys (up to
    50 s under load): its bar now starts first, on the step 打开数据库, and the store is opened under it."""
    import sys

    import graphkit.cli.common as common
    from graphkit.cli import main

    monkeypatch.setenv("GRAPHKIT_PROGRESS", "bar")
    root = tmp_path / "x"
    with EmbeddedStore(root / "g.db") as st_:
        load_dir(write_city(root / "city", bidder_tables()), st_)
    shown: list[str] = []
    opened = common.open_for_reading

    def spy(spec):  # what the screen held when the store was asked for
        sys.stderr.flush()
        shown.append(sys.stderr.buffer.getvalue().decode("utf-8"))
        return opened(spec)

    monkeypatch.setattr(common, "open_for_reading", spy)
    res = CliRunner().invoke(main, ["collusion", "score", "--store", f"embedded:{root / 'g.db'}", "--out", str(root)])
    assert res.exit_code == 0, res.output
    assert shown and "串标评分（知识图谱）" in shown[0] and "打开数据库" in shown[0], shown


# ------------------------------------------------------------------------------------------------ the city
@pytest.fixture(scope="module")
def city10k(tmp_path_factory):
    from shared_city import loaded_city

    root = tmp_path_factory.mktemp("city10k_collusion")
    folder, db, _, _ = loaded_city(tmp_path_factory, 10_000, 7, root / "C.db")
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    store = EmbeddedStore(db)
    yield store, truth, root
    store.close()


@pytest.fixture(scope="module")
def scores10k(city10k):
    """The city's collusion scores (seed 0), computed once for the tests that read them (they write nothing into
    them: each scoring of the 10,000-person city took seconds)."""
    return score_store(city10k[0], seed=0)


def _check_targets(res: dict) -> None:
    assert res["rings_planted"] >= 1
    low = [(r["members"], r["share"]) for r in res["rings"] if r["share"] < 0.9]
    assert low == [], f"rings split over communities: {low}"
    assert res["ring_recall"] == 1.0
    assert res["member_recall"] >= 0.9
    assert res["ring_tenders_unscored"] == 0 and res["ring_tenders"] >= 6 * res["rings_planted"]
    assert res["roc_auc"] >= 0.95, res["roc_auc"]


def test_city_rings_are_communities_and_ring_tenders_rank_first(city10k, scores10k, tmp_path):
    store, truth, _ = city10k
    scores = scores10k
    res = evaluate_store(store, truth, scores=scores)
    _check_targets(res)
    assert res["decoy_tenders"] > 0 and res["roc_auc_vs_planted_decoys"] >= 0.95
    # the riskiest communities are the rings, with their reasons
    ring_sets = {frozenset(r["members"]) for r in res["rings"]}
    top = scores.communities.head(len(ring_sets))
    assert {frozenset(m.split()) for m in top["members"]} == ring_sets
    assert all("share identifiers" in r for r in top["reasons_en"]) and all("共用标识" in r for r in top["reasons"])
    # member companies rank above every other bidder
    members = {m for r in res["rings"] for m in r["members"]}
    y = scores.bidders.index.isin(list(members))
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(y, scores.bidders["risk"]) >= 0.95
    paths = write_collusion_reports(scores, tmp_path / "out", store=store, top=3)
    assert paths["html"].stat().st_size > 10_000


@pytest.mark.slow
@pytest.mark.parametrize("seed", [8, 9])
def test_city_targets_on_other_seeds(seed):
    from bench_modules import load_bench

    _check_targets(load_bench("collusion_graph").evaluate_city(scale=10_000, seed=seed))


def test_evaluation_counts_tenders_once(city10k):
    store, truth, _ = city10k
    res = evaluate_store(store, truth)
    n_scored = res["ring_tenders"] + res["negative_tenders"]
    scored = store.run("MATCH (t:Tender)<-[:BID_FOR]-(:Bid) RETURN count(DISTINCT t) AS n")["n"].iloc[0]
    assert n_scored == scored
    assert not math.isnan(res["roc_auc_bids_only"]) and not math.isnan(res["roc_auc_graph_only"])


def test_report_csvs_mask_text_columns_whatever_pandas_calls_them(tmp_path):
    """Under pandas 3 text columns have dtype ``str``, not ``object``; the reports masked only ``object``
    columns and so wrote ID numbers and phones in clear."""
    import pandas as pd

    frame = pd.DataFrame({"k": [1], "who": ["13812345678 320505198509233414"]}).set_index("k")
    frame["who"] = frame["who"].astype("string")  # pandas' own string dtype too
    scores = type("S", (), {"tenders": frame, "bidders": frame, "communities": frame.iloc[:0]})()
    paths = write_collusion_reports(scores, tmp_path / "r")
    text = paths["tenders"].read_text(encoding="utf-8-sig")
    assert "320505198509233414" not in text and "13812345678" not in text and "3205**********3414" in text


def test_report_csvs_mask_each_distinct_text_once_as_cell_by_cell(tmp_path, monkeypatch):
    """A million-person city's reports masked every text cell of every row with mask_text (eight patterns each),
    though names, categories and reasons repeat: each distinct text is masked once now, the files as before."""
    import pandas as pd

    import graphkit.model.mask as mask_module

    texts = ["13812345678 320505198509233414", "苏州某某建设有限公司", "shares agent 13900001111", "工程"]
    frame = pd.DataFrame(
        {"k": range(40), "who": [texts[i % 4] for i in range(40)], "what": [texts[(i + 1) % 2] for i in range(40)]}
    ).set_index("k")
    scores = type("S", (), {"tenders": frame, "bidders": frame.iloc[:0], "communities": frame.iloc[:0]})()
    expected = frame.reset_index().map(lambda v: mask_module.mask_text(v) if isinstance(v, str) else v)
    calls = []
    real = mask_module.mask_text
    monkeypatch.setattr(mask_module, "mask_text", lambda v, **kw: calls.append(v) or real(v, **kw))
    paths = write_collusion_reports(scores, tmp_path / "r")
    assert sorted(calls) == sorted(texts)  # each once
    got = pd.read_csv(paths["tenders"], encoding="utf-8-sig", dtype=str)
    assert got.drop(columns="k").values.tolist() == expected.drop(columns="k").values.tolist()


def test_report_csvs_write_money_to_the_fen_and_a_company_s_credit_code_in_clear(tmp_path):
    """``float_format="%.6g"`` wrote a winning bid of 7,701,889.24 as 7.70189e+06 (tens of yuan off above ten
    million, in notation a spreadsheet user does not read as money), and a credit code of digits only
    (913205091284002355) was masked as if it were an ID number, so three of 129 companies could not be joined
    to anything else graphkit writes."""
    import pandas as pd

    code = "913205091284002355"
    frame = pd.DataFrame(
        {"tender": ["T1"], "budget": [8287500.0], "win_price": [7701889.24], "winner": [code], "risk": [0.97164213]}
    ).set_index("tender")
    members = pd.DataFrame({"community": [3], "members": [f"{code} 91320581MA6XNAFD4Q"], "risk": [0.5]})
    bidders = pd.DataFrame({"company": [code], "reasons": ["shares agent 320505198509233414"]})
    scores = type("S", (), {"tenders": frame, "bidders": bidders.set_index("company"), "communities": members})()
    paths = write_collusion_reports(scores, tmp_path / "r")
    t = paths["tenders"].read_text(encoding="utf-8-sig")
    assert "7701889.24" in t and "8287500.0" in t and "e+06" not in t and "0.971642" in t
    assert code in t and code in paths["communities"].read_text(encoding="utf-8-sig")
    b = paths["bidders"].read_text(encoding="utf-8-sig")
    assert code in b and "320505198509233414" not in b  # the reasons are still masked


# ------------------------------------------------------------------------------------------------ single bids, reports
T4 = {**T2, "tender_id": "T4", "title": "单一来源维修", "budget": "210000"}


def _store_with_a_single_bid(root):
    tables = bidder_tables()
    tables["tenders"] += [T4]
    order = list(tables["bids"][0])
    tables["bids"] += [{k: b[k] for k in order} for b in [_bid("B8", "T4", C5, "200000", True)]]
    city = write_city(root / "city", tables)
    with EmbeddedStore(root / "g.db") as st:
        load_dir(city, st)
    return root / "g.db"


def test_a_single_bid_tender_has_no_risk_and_a_single_bid_flag(tmp_path):
    """A tender of one bid is not 'least risky' (risk 0.0, at the bottom): it has no risk (empty), the reason
    "single bid" and single_bid True, for an analyst to filter; the winner is named beside its credit code."""
    from graphkit.cli import main

    db = _store_with_a_single_bid(tmp_path)
    with EmbeddedStore(db) as st:
        s = score_store(st)
        names = s.graph.companies["name"]
    t = s.tenders
    assert np.isnan(t.loc["T4", "risk"]) and t.loc["T4", "reasons_en"] == "single bid" and t.loc["T4", "single_bid"]
    assert t.loc["T4", "reasons"].startswith("单一报价")
    assert not t.drop(index="T4")["single_bid"].any() and t.drop(index="T4")["risk"].notna().all()
    assert t.index[-1] == "T4"  # after every scored tender, not ranked among them
    assert t.loc["T2", "winner"] == C1 and t.loc["T2", "winner_name"] == names[C1]
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["collusion", "score", "--store", f"embedded:{db}", "--out", str(out)])
    assert res.exit_code == 0, res.output
    csv = read_collusion_report(out / "tenders.csv").set_index("tender")
    # the closing line in Chinese (by default), its counts those of the file written, the column by its Chinese
    # header; --lang en as before
    risky, bidders = int((csv["risk"] >= 0.5).sum()), len(read_collusion_report(out / "bidders.csv"))
    assert (
        f"{len(csv):,} 个标段（风险 ≥ 0.5 的 {risky:,} 个；仅一家投标、不评风险的 1 个：见“单一报价”列），"
        f"{bidders:,} 家投标企业，两家以上的投标人社区 " in res.output
    ), res.output
    zh = {f: (out / f).read_bytes() for f in ("tenders.csv", "bidders.csv", "communities.csv")}
    zh_keys = {f: read_collusion_report(out / f, nrows=0).columns.tolist() for f in zh}
    zh_read = {f: read_collusion_report(out / f) for f in zh}
    # a yes/no column in the reader's words in a Chinese file (单一报价 had read True/False), read back as booleans
    assert pd.read_csv(out / "tenders.csv", encoding="utf-8-sig")["单一报价"].value_counts().to_dict() == {
        "否": 3,
        "是": 1,
    }
    assert csv["single_bid"].dtype == bool and csv["single_bid"].sum() == 1
    res = CliRunner().invoke(
        main, ["collusion", "score", "--store", f"embedded:{db}", "--out", str(out), "--lang", "en"]
    )
    assert res.exit_code == 0, res.output
    assert "4 tenders (" in res.output and "1 single-bid, no risk" in res.output
    # under --lang en each file is headed by the keys, as before, a yes/no column True/False; the rest of each file
    # the same bytes, and each reads back to the same frame
    for f, was in zh.items():
        head, _, rest = (out / f).read_bytes().partition(b"\n")
        zh_rest = was.partition(b"\n")[2].replace(",是,".encode(), b",True,").replace(",否,".encode(), b",False,")
        assert head.decode("utf-8-sig").strip().split(",") == zh_keys[f] and rest == zh_rest, f
        pd.testing.assert_frame_equal(read_collusion_report(out / f), zh_read[f])
    assert np.isnan(csv.loc["T4", "risk"]) and bool(csv.loc["T4", "single_bid"]) is True
    assert csv.loc["T4", "winner_name"] == names[C5]
    assert list(csv.columns[:3]) == ["risk", "reasons", "single_bid"]


def test_community_graphml_is_byte_identical_run_to_run_and_colours_companies(tmp_path):
    """Two runs write the same bytes (sorted nodes, links and attribute keys), company nodes carry their
    community and risk, and dates are plain ISO text."""
    from graphkit.cli import main

    db = _store_with_a_single_bid(tmp_path)
    for run in ("a", "b"):
        res = CliRunner().invoke(
            main, ["collusion", "score", "--store", f"embedded:{db}", "--out", str(tmp_path / run)]
        )
        assert res.exit_code == 0, res.output
    a, b = (tmp_path / r / "communities.graphml" for r in ("a", "b"))
    assert a.read_bytes() == b.read_bytes()
    gm = nx.read_graphml(a, force_multigraph=True)
    companies = {n: d for n, d in gm.nodes(data=True) if d.get("label") == "Company" and "community" in d}
    assert companies and all(0 <= d["risk"] <= 1 for d in companies.values())
    dates = [v for _, d in gm.nodes(data=True) for k, v in d.items() if k.endswith("_date")]
    assert dates and all(not str(v).startswith('"') for v in dates)
    res = CliRunner().invoke(main, ["collusion", "score", "--help"])
    assert "communities.graphml" in res.output


def test_communities_html_numbers_each_community_and_draws_the_riskiest_in_the_middle(city10k, scores10k, tmp_path):
    """communities.html drew the riskiest small communities at the edges (physics put the largest in the middle)
    and showed no community numbers, so a drawn cluster could not be matched to communities.csv. Each community
    is now captioned with its number and risk on the page, listed in the legend and named in its nodes' tooltips;
    the riskiest is drawn in the middle and the others around it, the layout fixed."""
    from graphkit.reports import community_page, write_collusion_reports

    store, _, _ = city10k
    scores = scores10k
    ids = [int(c) for c in scores.communities.index[:5]]
    assert len(ids) == 5
    view, positions, marks, legend = community_page(scores, ids)
    assert [m[0] for m in marks] == [f"#{c} 风险 {scores.communities.loc[c, 'risk']:.2f}" for c in ids]
    assert [int(x) for x in re.findall(r"<b>#(\d+)</b>", legend)] == ids  # riskiest first, as the CSV's rows
    part = scores.partition.membership

    def centre(c: int) -> float:  # how far the community's companies are drawn from the page's middle, on average
        xy = np.array([positions[n] for n in view if part.get(n) == c and view.nodes[n].get("label") == "Company"])
        return float(np.hypot(*xy.mean(axis=0)))

    assert centre(ids[0]) < min(centre(c) for c in ids[1:]) / 3, [centre(c) for c in ids]
    assert all(view.nodes[n]["community"] == f"#{part[n]}" for n in view if n in part)
    paths = write_collusion_reports(scores, tmp_path / "out", store=store, top=5)
    page = paths["html"].read_text(encoding="utf-8")
    for c in ids:
        assert json.dumps(f"#{c} 风险 {scores.communities.loc[c, 'risk']:.2f}") in page
        assert f"community: #{c}" in page or json.dumps(f"community: #{c}")[1:-1] in page
    assert '"physics": false' in page or '"enabled": false' in page  # the layout stays as drawn
    assert "社区（按风险从高到低" in page
    # its title and legend in Chinese alone (the title read 围标风险最高的 5 个投标人社区 Top 5 bidder communities by
    # collusion risk (leiden, seed 0), the legend's rows 风险 risk 0.94 · 6 家企业 companies)
    assert "围标风险最高的 5 个投标人社区（" in page, page[:2000]
    for english in ("bidder communities by", "risk 0.", "companies", "riskiest first", "centre"):
        assert english not in page, english


def test_communities_are_detected_on_names_and_weights_alone(bidder_store, bg, monkeypatch):
    """score_store handed community detection the bidder graph with every edge's evidence, signals and twelve
    signal weights (600,000 edges at a million persons), copied again into each community it split: it now gets
    the names and weights alone, and finds the same communities."""
    import graphkit.collusion.kg as kg

    seen = []

    def spy(graph, **kw):
        seen.append((sorted(graph.vs.attributes()), sorted(graph.es.attributes())))
        return detect(graph, **kw)

    monkeypatch.setattr(kg, "detect", spy)
    got = score_store(bidder_store, seed=0).partition
    assert seen == [(["name"], ["weight"])]
    want = detect(bg.igraph(), seed=0, refine=kg.REFINE, max_size=kg.MAX_SIZE)
    assert got.membership == want.membership and got.modularity == want.modularity
    assert [c.members for c in got.communities] == [c.members for c in want.communities]


def test_community_scores_read_each_community_s_own_edges(scores10k):
    """Each community's edges are found once (grouped), not by testing every inside edge for each community (most
    of the step 社区评分 at a million persons): its identifier pairs, signals and meetings are those of the edges
    whose two ends are its members."""
    s = scores10k
    e, memb = s.graph.edges, s.partition.membership
    c = s.communities
    assert len(c) > 10 and (c["identifier_pairs"] > 0).any() and (c["median_meetings"] > 0).any()
    for cid, row in c.iterrows():
        members = set(s.partition.communities[int(cid)].members)
        sub = e[e["a"].isin(members) & e["b"].isin(members)]
        assert all(memb[a] == cid for a in sub["a"])
        sig = [tuple(x for x in v if x != "co_bid") for v in sub["signals"]]
        counts: dict[str, int] = {}
        for v in sig:
            for x in v:
                counts[x] = counts.get(x, 0) + 1
        meet = sub.loc[sub["tenders"] > 0, "tenders"]
        assert row["identifier_pairs"] == sum(1 for v in sig if v), cid
        assert json.loads(row["signals"]) == counts, cid
        assert row["median_meetings"] == (float(meet.median()) if len(meet) else 0.0), cid


def test_score_cli_asks_the_store_s_public_keys_once(bidder_store, tmp_path, monkeypatch):
    """open_for_reading holds the store's public plates and addresses, and collusion score asked for them again (a
    query of seconds at a million persons)."""
    from graphkit.cli import main
    from graphkit.stores.base import GraphStore

    root = tmp_path / "x"
    with EmbeddedStore(root / "g.db") as st_:
        load_dir(write_city(root / "city", bidder_tables()), st_)
    asked = []
    real = GraphStore.public_keys
    monkeypatch.setattr(GraphStore, "public_keys", lambda self: asked.append(1) or real(self))
    res = CliRunner().invoke(main, ["collusion", "score", "--store", f"embedded:{root / 'g.db'}", "--out", str(root)])
    assert res.exit_code == 0, res.output
    assert len(asked) == 1


def test_bidder_tender_risk_is_the_mean_of_its_two_riskiest_tenders(scores10k):
    """A bidder's tender risk, now one sort and two grouped passes (a Python call per bidder before): the mean of
    the risk it takes part in (half the tender's as an outsider) of its two riskiest tenders, as the lambda read it."""
    s = scores10k
    t = s.tenders.assign(risk=s.tenders["risk"].fillna(0.0))
    b = (
        s.graph.bids[["tender", "company"]]
        .astype(str)
        .merge(t[["risk", "community", "community_bidders"]], left_on="tender", right_index=True)
    )
    from graphkit.collusion.kg import _bid_frame, _shared_ids

    ids = _shared_ids(_bid_frame(s.graph.bids), s.graph)
    linked = {(x, c) for x, cs in ids["linked"].dropna().items() for c in cs}
    full = (b["company"].map(s.partition.membership) == b["community"]) & (b["community_bidders"] >= 2)
    full |= pd.Series([(x, c) in linked for x, c in zip(b["tender"], b["company"], strict=True)], index=b.index)
    b["part"] = b["risk"] * np.where(full, 1.0, 0.5)
    want = (
        b.sort_values("part", ascending=False, kind="stable")
        .groupby("company")["part"]
        .agg(lambda r: float(r.head(2).mean()))
    )
    got = s.bidders["tender_risk"]
    assert len(want) == len(got) > 100 and (want > 0).any()
    assert (got.reindex(want.index) == want).all()


def test_bids_are_read_a_range_of_tenders_at_a_time_into_the_same_frame(city10k, monkeypatch):
    """``collusion/bids`` read at once held a million-person city's 284,000 bids, and each OPTIONAL MATCH's rows on
    the way, in Ladybug's buffer pool: 1.4 GB the process kept, most of ``collusion score``'s peak. The analytics asks
    the store for the query's rows; the embedded store reads it a range of tenders at a time (the header's pieces),
    into the same frame, row order and column types included, even where a piece's column holds no value (typed
    ``object`` by it, ``str`` by the one reading)."""
    from graphkit.collusion import bidder_graph
    from graphkit.stores import embedded

    store = city10k[0]
    whole = store.query("collusion/bids", from_tender="", to_tender="", to_end=True)
    asked = []
    real = store.run
    monkeypatch.setattr(store, "run", lambda q, *a, **kw: asked.append(kw.get("from_tender")) or real(q, *a, **kw))
    monkeypatch.setattr(embedded, "KEYS_PER_PIECE", 100)
    got = bidder_graph.read_bids(store)
    pieces = [k for k in asked if k is not None]
    assert len(pieces) > 3 and pieces[0] == "" and pieces == sorted(pieces)
    pd.testing.assert_frame_equal(got, whole)
    # a tender whose bids have no agent, read alone: that piece's agent column is object, the next piece's str
    agentless = whole.groupby("tender")["agent"].apply(lambda a: a.isna().all())
    assert whole["agent"].dtype == "str" and agentless.any() and not agentless.all()
    keys = store.query("collusion/tender_keys")["id"].tolist()
    i = keys.index(agentless[agentless].index[0])
    lo, mid, hi = keys[i], keys[i + 1], keys[min(i + 40, len(keys) - 1)]
    alone = store.query("collusion/bids", from_tender=lo, to_tender=mid, to_end=False)
    rest = store.query("collusion/bids", from_tender=mid, to_tender=hi, to_end=False)
    assert alone["agent"].dtype == object and rest["agent"].dtype == "str"
    both = store.query("collusion/bids", from_tender=lo, to_tender=hi, to_end=False)
    pd.testing.assert_frame_equal(embedded.joined([alone, rest]), both)
