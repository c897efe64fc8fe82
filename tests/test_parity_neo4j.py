"""Parity of the two stores on a real Neo4j: the scale-10,000 synthetic city (seed 7) loaded by the same
``graphkit load`` into the embedded store and into Neo4j (the session's in-process server, see
``tests/conftest.py``) must answer every reader the same.

The city is generated and loaded once per module. Each reader of the graph is one function in
:data:`READERS`, registered with :func:`reader`: it takes a store and the module's sample and returns
a plain, order-free value (sets, sorted lists, dicts); :func:`test_same_answer_from_both_stores` runs
it on both stores and compares. A new reader (the risk ranking, a portrait's sections, a case export)
is one more decorated function.

A difference is a bug in one store or in ``graphkit/stores/dialect.py``, never a tolerance here.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytestmark = pytest.mark.neo4j

SCALE, SEED = 10_000, 7
#: entity pairs for paths, seeds for neighbourhoods
SAMPLES = 50
GRAPHKIT = Path(sys.executable).with_name("graphkit")


def graphkit(*args: str) -> str:
    """Run the ``graphkit`` command line (the environment carries NEO4J_URI / USER / PASSWORD)."""
    done = subprocess.run([str(GRAPHKIT), *args], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"graphkit {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def city(tmp_path_factory):
    from graphkit.synth import generate

    out = tmp_path_factory.mktemp("parity") / "city"
    generate(out, scale=SCALE, seed=SEED)
    return out


@pytest.fixture(scope="module")
def loaded(city, neo4j_server):
    """Both stores loaded by ``graphkit load`` from the same folder; the Neo4j database emptied first
    (a server named by NEO4J_URI that holds data skips) and again at the end."""
    if neo4j_server.owned:
        neo4j_server.wipe()
    elif neo4j_server.node_count():
        pytest.skip(f"the Neo4j database at {neo4j_server.uri} is not empty; the parity tests need it empty")
    work = city.parent
    specs = {"embedded": f"embedded:{work / 'city.db'}", "neo4j": neo4j_server.uri}
    out = {}
    for name, spec in specs.items():
        quarantine, report = work / f"{name}.quarantine.csv", work / f"{name}.report.json"
        graphkit("load", str(city), "--store", spec, "--quarantine", str(quarantine), "--report", str(report))
        out[name] = {"spec": spec, "quarantine": quarantine, "report": json.loads(report.read_text("utf-8"))}
    yield out
    if neo4j_server.owned:
        neo4j_server.wipe()


@pytest.fixture(scope="module")
def stores(loaded):
    from graphkit.stores import open_store

    opened = {name: open_store(v["spec"]) for name, v in loaded.items()}
    yield opened
    for s in opened.values():
        s.close()


@pytest.fixture(scope="module")
def sample(city):
    """Seeds and entity pairs drawn (seeded) from the city's planted instances and decoys: entities that
    are linked, hubs among them (units, tenders), so paths exist and pages are needed."""
    truth = json.loads((city / "truth.json").read_text("utf-8"))
    groups = [g["entities"] for g in truth["instances"] + truth.get("decoys", []) if len(g["entities"]) >= 2]
    rng = random.Random(SEED)
    picked = rng.sample(groups, min(SAMPLES, len(groups)))
    pairs = [(g[0], g[-1]) for g in picked]
    seeds = sorted({e for g in picked for e in g[:2]})[:SAMPLES]
    return {"pairs": pairs, "seeds": seeds}


# ---------------------------------------------------------------------------------------------- readers
READERS: dict[str, Callable[[Any, dict], Any]] = {}


def reader(name: str) -> Callable:
    """Register ``fn(store, sample) -> comparable value`` as a reader both stores must answer alike."""

    def register(fn: Callable[[Any, dict], Any]) -> Callable[[Any, dict], Any]:
        READERS[name] = fn
        return fn

    return register


def _graph(g) -> dict:
    """A networkx graph as an order-free value: node attributes, edges by key, graph attributes."""
    return {
        "graph": dict(g.graph),
        "nodes": {n: dict(a) for n, a in g.nodes(data=True)},
        "edges": sorted((u, v, k, tuple(sorted(a.items()))) for u, v, k, a in g.edges(keys=True, data=True)),
    }


@reader("neighbours: first page, next page by number and by cursor (hub cap 20)")
def _neighbours(store, sample) -> dict:
    from graphkit.paths import neighbourhood

    out = {}
    for seed in sample["seeds"]:
        first = neighbourhood(store, seed, hops=2, page_size=20)
        pages = {"first": _graph(first)}
        if first.graph["next_after"] is not None:
            pages["page 1"] = _graph(neighbourhood(store, seed, hops=2, page_size=20, page=1))
            pages["after"] = _graph(neighbourhood(store, seed, hops=2, page_size=20, after=first.graph["next_after"]))
        out[seed] = pages
    return out


def _path(p) -> tuple:
    return (len(p), p.ids, tuple((lk.id, lk.type, lk.start, lk.end, lk.src_file, lk.src_row) for lk in p.links))


@reader("paths: every shortest path (length, hops, evidence rows) and its explanation")
def _paths(store, sample) -> dict:
    from graphkit.paths import explain, shortest_paths

    out = {}
    for a, b in sample["pairs"]:
        found = shortest_paths(store, a, b, max_hops=4)
        out[(a, b)] = sorted((_path(p), tuple(explain(p, store=store))) for p in found)
    return out


@reader("collusion: bidder graph and communities (Leiden, seed 0)")
def _collusion(store, sample) -> dict:
    from graphkit.collusion.kg import score_store

    s = score_store(store, seed=0)
    edges = s.graph.edges.copy()
    edges["signals"] = edges["signals"].map(tuple)
    edges["evidence"] = edges["evidence"].map(lambda d: tuple(sorted((k, tuple(sorted(v))) for k, v in d.items())))
    return {
        "companies": s.graph.companies.sort_index().to_dict("index"),
        "edges": edges.sort_values(["a", "b"]).reset_index(drop=True).to_dict("records"),
        "communities": sorted(tuple(sorted(c.members)) for c in s.partition.communities),
        "community_scores": s.communities.sort_index()[["risk", "reasons", "size"]].to_dict("index"),
        "tenders": s.tenders.sort_index()[["risk", "reasons", "community"]].to_dict("index"),
        "bidders": s.bidders.sort_index()[["risk", "reasons", "community"]].to_dict("index"),
    }


# ---------------------------------------------------------------------------------------------- tests
def test_stats_json_identical(loaded):
    stats = {name: json.loads(graphkit("stats", "--store", v["spec"], "--json")) for name, v in loaded.items()}
    assert sum(stats["neo4j"]["nodes"].values()) > 50_000  # the city really is in Neo4j
    assert stats["neo4j"] == stats["embedded"]


def test_load_reports_and_quarantine_identical(loaded):
    emb, neo = loaded["embedded"]["report"], loaded["neo4j"]["report"]
    assert neo == emb
    q_emb = pd.read_csv(loaded["embedded"]["quarantine"], dtype=str, keep_default_na=False)
    q_neo = pd.read_csv(loaded["neo4j"]["quarantine"], dtype=str, keep_default_na=False)
    assert len(q_neo) > 0
    pd.testing.assert_frame_equal(q_neo, q_emb)


def test_loading_twice_into_neo4j_changes_no_count(loaded, city):
    spec = loaded["neo4j"]["spec"]
    before = json.loads(graphkit("stats", "--store", spec, "--json"))
    again = city.parent / "again.report.json"
    quarantine = city.parent / "again.quarantine.csv"
    graphkit("load", str(city), "--store", spec, "--quarantine", str(quarantine), "--report", str(again))
    assert json.loads(graphkit("stats", "--store", spec, "--json")) == before
    report = json.loads(again.read_text("utf-8"))
    first = loaded["neo4j"]["report"]
    assert [(f["file"], f["read"], f["loaded"], f["quarantined"]) for f in report["files"]] == [
        (f["file"], f["read"], f["loaded"], f["quarantined"]) for f in first["files"]
    ]
    assert not any(sum(f["created"].values()) for f in report["files"])  # nothing new the second time
    assert quarantine.read_bytes() == loaded["neo4j"]["quarantine"].read_bytes()


def _models():
    from graphkit import rules as models

    return models.catalog()


def _hits(store, spec) -> pd.DataFrame:
    """A model's warnings keyed by its match entity; entity lists as sorted (key, type) pairs."""
    from graphkit import rules as models

    hits = models.run(store, spec)
    out = hits[["key", "level", "summary"]].astype(str)
    out["sources"] = [str(sorted(s)) for s in hits["sources"]]
    out["entities"] = [
        str(sorted(zip(e, t, strict=True))) for e, t in zip(hits["entities"], hits["types"], strict=True)
    ]
    return out.sort_values("key").reset_index(drop=True)


@pytest.mark.parametrize("spec", _models(), ids=lambda m: m.id)
def test_every_model_gives_the_same_hits(stores, spec):
    emb, neo = _hits(stores["embedded"], spec), _hits(stores["neo4j"], spec)
    assert len(emb) > 0, f"{spec.id} finds nothing on the city: the comparison would prove nothing"
    pd.testing.assert_frame_equal(neo, emb, obj=spec.id)


@pytest.mark.parametrize("name", list(READERS))
def test_same_answer_from_both_stores(stores, sample, name):
    fn = READERS[name]
    emb, neo = fn(stores["embedded"], sample), fn(stores["neo4j"], sample)
    assert emb, f"{name}: nothing to compare"
    assert neo == emb


def test_ftm_sample_loads_into_neo4j_with_the_same_counts(stores):
    """Last: the FtM sample goes into both stores (both hold the city, so they stay alike)."""
    from loaders.ftm import SAMPLE, load_ftm

    before = {name: s.counts() for name, s in stores.items()}
    reports = {name: load_ftm(SAMPLE, s) for name, s in stores.items()}
    assert reports["neo4j"].totals() == reports["embedded"].totals() == {"read": 474, "loaded": 474, "quarantined": 0}
    delta = {}
    for name, s in stores.items():
        after = s.counts()
        delta[name] = {
            kind: {k: n - before[name][kind][k] for k, n in after[kind].items() if n != before[name][kind][k]}
            for kind in after
        }
    assert delta["neo4j"] == delta["embedded"]
    assert delta["neo4j"]["nodes"] == {"Payment": 290, "Company": 56, "Person": 22, "Organization": 17, "Address": 89}
    assert delta["neo4j"]["relationships"] == {"PAYER": 290, "BENEFICIARY": 290, "HAS_ADDRESS": 103}
