"""Parity of the two stores on a real Neo4j: the scale-10,000 synthetic city (seed 7) loaded by ``graphkit
load`` into Neo4j (the session's in-process server, see ``tests/conftest.py``) and by the same loader into the
embedded store (a copy of the run's one load of it, ``tests/shared_city.py``) must answer every reader the same.

The city is generated and loaded once per module. Each reader of the graph is one function in
:data:`READERS`, registered with :func:`reader`: it takes a store and the module's sample and returns
a plain, order-free value (sets, sorted lists, dicts); :func:`test_same_answer_from_both_stores` runs
it on both stores and compares. A new reader (the risk ranking, a portrait's sections, a case export)
is one more decorated function.

A difference is a bug in one store or in ``graphkit/stores/dialect.py``, never a tolerance here.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytestmark = pytest.mark.neo4j

SCALE, SEED = 10_000, 7
#: entity pairs for paths, seeds for neighbourhoods
SAMPLES = 50


def graphkit(*args: str) -> str:
    """``graphkit ARGS``, the command line a user runs, in this process (click's runner: starting an interpreter
    for each of the module's commands took a CPU second each); its standard output. The environment carries
    NEO4J_URI / USER / PASSWORD; the process's umask is restored after (the command sets it)."""
    from click.testing import CliRunner

    from graphkit.cli import main

    mask = os.umask(0o022)
    os.umask(mask)
    try:
        done = CliRunner().invoke(main, list(args))
    finally:
        os.umask(mask)
    said = f"{done.output[-3000:]}{done.exception!r}"
    assert done.exit_code == 0, f"graphkit {' '.join(args)} exited {done.exit_code}:\n{said}"
    return done.stdout


def graphkit_each(loaded: dict, *args: str) -> dict[str, str]:
    """``graphkit ARGS --store SPEC`` for each store (``{store}`` in an argument is the store's name); stdout by
    store name."""
    return {
        name: graphkit(*(a.replace("{store}", name) for a in args), "--store", v["spec"]) for name, v in loaded.items()
    }


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module", autouse=True)
def audit_log(tmp_path_factory):
    """The commands' audit records (a Neo4j store's go to the working folder by default) in a temporary file."""
    patch = pytest.MonkeyPatch()
    patch.setenv("GRAPHKIT_AUDIT", str(tmp_path_factory.mktemp("audit") / "graphkit.audit.jsonl"))
    yield
    patch.undo()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The city's folder, generated once for the run (``tests/shared_city.py``): read, never written."""
    from shared_city import generated_city

    return generated_city(tmp_path_factory, SCALE, SEED)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """Where the module's stores, quarantines and reports go."""
    return tmp_path_factory.mktemp("parity")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, city, work, neo4j_server):
    """Both stores loaded from the same folder, their reports and quarantines as ``graphkit load --report
    --quarantine`` writes them: Neo4j by ``graphkit load`` (the database emptied first; a server named by NEO4J_URI
    that holds data skips), the embedded store a copy of the one the run loads from that folder once
    (``tests/shared_city.py``: ``test_paths``, ``test_collusion_graph`` and ``test_synth_load`` read it; a second
    load of the 10,000-person city here was the same store again). The city stays in Neo4j: the session's own
    server is stopped, its temporary database removed, at the session's end, and this module runs last of the
    Neo4j tests (``tests/conftest.py``); a test that needs the database empty wipes it first (``neo4j_empty``)."""
    from shared_city import loaded_city

    if neo4j_server.owned:
        neo4j_server.wipe()
    elif neo4j_server.node_count():
        pytest.skip(f"the Neo4j database at {neo4j_server.uri} is not empty; the parity tests need it empty")
    out = {}
    quarantine, report = work / "neo4j.quarantine.csv", work / "neo4j.report.json"
    graphkit("load", str(city), "--store", neo4j_server.uri, "--quarantine", str(quarantine), "--report", str(report))
    out["neo4j"] = {"spec": neo4j_server.uri, "quarantine": quarantine, "report": json.loads(report.read_text("utf-8"))}
    folder, db, rep, _ = loaded_city(tmp_path_factory, SCALE, SEED, work / "city.db")
    assert folder == city
    # what `graphkit load` writes after load_dir: the quarantine (graphkit/cli/load.py, _write_after) and the report
    quarantine, report = work / "embedded.quarantine.csv", work / "embedded.report.json"
    rep.write_quarantine(quarantine)
    report.write_text(rep.to_json(), encoding="utf-8")
    out["embedded"] = {"spec": f"embedded:{db}", "quarantine": quarantine, "report": json.loads(rep.to_json())}
    return {name: out[name] for name in ("embedded", "neo4j")}


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


@reader("case file: a 2-hop neighbourhood with every property (with_properties, a query per label)")
def _case_file_properties(store, sample) -> dict:
    from graphkit.paths import whole_neighbourhood, with_properties

    return {seed: _graph(with_properties(store, whole_neighbourhood(store, seed, hops=2))) for seed in sample["seeds"]}


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


@reader("neighbours: each payment record's payee (paths.paid_to, a paths/links query per label)")
def _paid_to(store, sample) -> dict:
    from graphkit.paths import paid_to

    rows = {}
    for label in ("Benefit", "LabourPayment"):  # the labels PAID_TO starts from (relationships.yaml)
        for (key,) in store.rows(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id LIMIT 300", {}):
            rows[key] = label
    return paid_to(store, rows)


def _path(p) -> tuple:
    return (len(p), p.ids, tuple((lk.id, lk.type, lk.start, lk.end, lk.src_file, lk.src_row) for lk in p.links))


@reader("paths: every shortest path in order (length, hops, evidence rows, explanation in Chinese, English); one path")
def _paths(store, sample) -> dict:
    from graphkit.paths import explain, path_line, shortest_path, shortest_paths

    def said(p, lang: str) -> tuple:
        return (path_line(p, store=store, lang=lang), *explain(p, store=store, lang=lang))

    out = {}
    for a, b in sample["pairs"]:
        found = shortest_paths(store, a, b, max_hops=4)
        one = shortest_path(store, a, b, max_hops=4)
        out[(a, b)] = ([(_path(p), said(p, "zh"), said(p, "en")) for p in found], one and _path(one))
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
        # a single-bid tender's risk is NaN, and NaN != NaN: compared as None
        "tenders": s.tenders.sort_index()[["risk", "reasons", "community"]]
        .astype(object)
        .where(s.tenders.sort_index()[["risk", "reasons", "community"]].notna(), None)
        .to_dict("index"),
        "bidders": s.bidders.sort_index()[["risk", "reasons", "community"]].to_dict("index"),
    }


@reader("privacy: the plates and addresses shown in clear (official vehicles, registered addresses)")
def _public_keys(store, sample) -> dict:
    from graphkit.model.types import normalize_plate

    def is_plate(k: str) -> bool:
        try:
            return normalize_plate(k) == k
        except ValueError:
            return False

    keys = store.public_keys()
    plates = sorted(k for k in keys if is_plate(k))
    assert plates and len(plates) < len(keys), "both official plates and registered addresses are compared"
    return {"plates": plates, "addresses": sorted(keys - set(plates))}


@reader("search: names resolved exactly, by the store (search/named) and then by the name index, alike")
def _exact_names(store, sample) -> dict:
    import dataclasses

    from graphkit import search
    from graphkit.paths import PathError, locate

    names = sorted({n.name for n in locate(store, sample["seeds"]).values() if n.name})
    # a shortened name is carried by no one exactly, so it builds the whole index each time (some 20 s a store
    # on a slow host): one of them
    queries = names + [search._s2t(n) for n in names] + [n[:-1] for n in names[:1]]

    def answer(q: str) -> tuple:
        try:
            r: Any = dataclasses.astuple(search.resolve_exact(store, q))
        except PathError as exc:
            c = getattr(exc, "candidates", None)
            r = (type(exc).__name__, str(exc), None if c is None else c.fillna("").to_dict("records"))
        return r, search.exact_matches(store, q).to_dict("records")

    search._INDEXES.pop(store, None)  # no index yet: the store answers what it can by equality
    by_store = {}
    for q in queries:
        by_store[q] = answer(q)
        search._INDEXES.pop(store, None)
    search.refresh(store)
    by_index = {q: answer(q) for q in queries}
    assert by_store == by_index
    return by_store


# ---------------------------------------------------------------------------------------------- tests
@reader("warnings tab: the unit owning each record a warning may name, read once per store (owners_of)")
def _record_owners(store, sample) -> dict:
    from graphkit.widgets.warnings import owners_of

    first = owners_of(store)
    assert owners_of(store) is first  # read once per store: a second tab on it runs no query
    return first


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


def _models():
    from graphkit import rules as models

    return models.catalog()


def _hits(store, spec) -> pd.DataFrame:
    """A model's warnings keyed by its match entity; entity lists as sorted (key, type) pairs; the summary in
    English and in Chinese (what every face shows first), each word for word; the evidence links the ledger keeps,
    with the figures ``warnings show`` writes beside them (the share held, the price won, the kinship)."""
    from graphkit import rules as models
    from graphkit.rules.ledger import evidence_links

    hits = models.run(store, spec)
    links = evidence_links(store, hits) if len(hits) else {}
    out = hits[["key", "level", "summary", "summary_zh"]].astype(str)
    out["evidence"] = [json.dumps(links[i], sort_keys=True, ensure_ascii=False) for i in range(len(hits))]
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


# ------------------------------------------------------------------ risk ranking, portraits, case exports
#: how far two floats computed from the same rows may differ (the tables are equal to the bit, see below)
TOL = 1e-9


def _close(a: Any, b: Any, where: str = "") -> None:
    """``a == b`` with floats within :data:`TOL`, through dicts and lists."""
    if isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, abs=TOL, nan_ok=True), where
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple) and isinstance(b, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


@pytest.fixture(scope="module")
def planted(city) -> dict:
    """The unit and official of the first planted 2-hop relative-wins-tender scheme (a relative's company wins
    the unit's tenders: the portrait's family business, procurement and graph sections all have rows), and a
    person paid by a unit (a planted ghost consultant: the person portrait's payments section)."""
    truth = json.loads((city / "truth.json").read_text("utf-8"))
    first = next(i for i in truth["instances"] if i["scheme"] == "relative_wins_tender_2hop" and i["persons"])
    paid = next(i for i in truth["instances"] if i["scheme"] == "ghost_consultant" and i["persons"])
    return {"unit": first["units"][0], "person": first["persons"][0], "paid": paid["persons"][0]}


@pytest.fixture(scope="module")
def risk_tables(stores) -> dict:
    from graphkit.risk import read_tables

    return {name: read_tables(s) for name, s in stores.items()}


def test_risk_tables_identical(risk_tables):
    """Same rows, same order, same dtypes (dates as datetime64 from Neo4j too), same values to the bit:
    everything computed from them is then the same."""
    emb, neo = risk_tables["embedded"], risk_tables["neo4j"]
    assert neo.keys() == emb.keys()
    for name in emb:
        assert len(emb[name]) > 0, f"{name}: no rows in the city"
        pd.testing.assert_frame_equal(neo[name], emb[name], check_exact=True, obj=name)


@pytest.mark.parametrize("kind", ["unit", "person", "company"])
def test_rank_json_identical(loaded, kind):
    """``graphkit rank --json``: the same entities in the same order (ties included), risks and factors."""
    # no ledger beside either store: warnings off on both (a Neo4j store without --ledger is refused)
    ranked = graphkit_each(loaded, "rank", "--kind", kind, "--json", "--top", "200", "--no-warnings")
    emb, neo = json.loads(ranked["embedded"]), json.loads(ranked["neo4j"])
    # 200, and those tied with the 200th (rank keeps a tie whole at its cut)
    assert len(emb) >= 200 and all(r["score"] == emb[199]["score"] for r in emb[200:]), len(emb)
    assert any(r["factors"] for r in emb)
    assert [r["id"] for r in neo] == [r["id"] for r in emb]
    _close(neo, emb, kind)


def _portrait(p: dict) -> dict:
    """A portrait's data sections, comparable: not when or from which store it was made; the graph as a value."""
    return {k: _graph(v) if k == "graph" else v for k, v in p.items() if k not in ("made_at", "store")}


@pytest.mark.parametrize("who", ["unit", "person", "paid"])
def test_portrait_sections_identical(stores, risk_tables, planted, who):
    from graphkit.risk.portrait import person_portrait, unit_portrait

    make = unit_portrait if who == "unit" else person_portrait
    out = {name: _portrait(make(s, planted[who], tables=risk_tables[name], warnings=[])) for name, s in stores.items()}
    emb, neo = out["embedded"], out["neo4j"]
    sections = {
        "unit": ("personnel", "family_business", "procurement", "graph"),
        "person": ("personnel", "family_business", "graph"),
        "paid": ("payments",),
    }
    for section in sections[who]:
        assert emb[section], f"{who} {planted[who]}: empty {section}, the comparison would prove little"
    _close(neo, emb, who)


def test_case_export_identical(loaded, planted, tmp_path):
    """``graphkit export --entity ID --hops 2``: the same JSON (but the time of export) and GraphML nodes and
    edges from either store, for the planted official (identifiers in clear, so no two nodes look alike)."""
    import networkx as nx

    files = {(name, fmt): tmp_path / name / f"case.{fmt}" for name in loaded for fmt in ("json", "graphml")}
    for name in loaded:
        (tmp_path / name).mkdir()
    for fmt in ("json", "graphml"):
        graphkit_each(
            loaded, "export", "--entity", planted["person"], "--hops", "2", "--format", fmt, "--case", "GK-PARITY",
            "--out", str(tmp_path / "{store}" / f"case.{fmt}"), "--unmask", "--reason", "store parity test",
        )  # fmt: skip

    def as_json(path: Path) -> dict:
        doc = json.loads(path.read_text("utf-8"))
        graph = {k: v for k, v in doc.pop("graph").items() if k not in ("exported_at", "rerun")}
        rows = {k: sorted(json.dumps(x, sort_keys=True, ensure_ascii=False) for x in v) for k, v in doc.items()
                if isinstance(v, list)}  # fmt: skip
        return {"graph": graph, **rows, **{k: v for k, v in doc.items() if not isinstance(v, list)}}

    emb, neo = as_json(files["embedded", "json"]), as_json(files["neo4j", "json"])
    assert emb["graph"]["nodes"] > 20 and emb["graph"]["relationships"] > 20
    assert neo == emb

    def as_sets(path: Path) -> tuple:
        g = nx.read_graphml(path, force_multigraph=True)
        nodes = {(n, tuple(sorted(a.items()))) for n, a in g.nodes(data=True)}
        edges = sorted((u, v, tuple(sorted(a.items()))) for u, v, a in g.edges(data=True))  # "id": the relationship's
        return nodes, edges, {k: v for k, v in g.graph.items() if k not in ("exported_at", "rerun")}

    assert as_sets(files["neo4j", "graphml"]) == as_sets(files["embedded", "graphml"])


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
