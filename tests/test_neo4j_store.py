"""Unit tests of the Cypher that :class:`Neo4jStore` builds and how it sends it.

A recording fake stands in for the driver, as the graphdatascience client
tests its generated Cypher: it records ``(query, params, database, routing)``
for every ``execute_query`` and answers counts and id look-ups from the ids
it has seen merged.  It is used only to test query building; the store's
behaviour against a real server is tested in ``test_neo4j_integration.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from neo4j import RoutingControl

from graphkit.model import Model, ModelError
from graphkit.model.keys import link_id
from graphkit.stores import open_store
from graphkit.stores.base import StoreError
from graphkit.stores.neo4j import Neo4jStore, routing_for

MODEL = Model.default()
DB = "graphkit_test"  # not the server default: every call must name it


# ------------------------------------------------------------------ the fake
@dataclass
class Call:
    query: str
    params: dict[str, Any]
    database: str | None
    routing: RoutingControl


class FakeResult:
    """Just enough of ``neo4j.Result`` for a result transformer: ``keys()`` and records."""

    def __init__(self, keys: list[str], rows: list[dict[str, Any]]) -> None:
        self._keys, self._rows = keys, rows

    def keys(self) -> list[str]:
        return list(self._keys)

    def __iter__(self):
        for row in self._rows:
            yield neo4j.Record({k: row.get(k) for k in self._keys})


_MERGE_NODE = re.compile(r"(?:MERGE|CREATE) \(n:(\w+) \{id: row\.id\b")
_MERGE_REL = re.compile(r"(?:MERGE|CREATE) \(a\)-\[r:(\w+) \{id: row\.id\b")
_PATTERN = re.compile(r"^MATCH (?:\(n:(\w+)\)|\(\)-\[n:(\w+)\]->\(\))")


class RecordingDriver:
    """A fake ``neo4j.Driver`` that records every ``execute_query`` call.

    Counts and ``n.id IN $ids`` look-ups are answered from the ids merged so far
    (``stored``); ``answers`` maps a query prefix to canned rows (or ``(keys, rows)``)."""

    def __init__(
        self, *, answers: dict[str, list[dict]] | None = None, fail: Callable[[str], Exception | None] | None = None
    ) -> None:
        self.calls: list[Call] = []
        self.stored: dict[str, set[str]] = {}
        self.answers = answers or {}
        self.fail = fail
        self.closed = False

    def execute_query(
        self, query_, parameters_=None, routing_=RoutingControl.WRITE, database_=None, result_transformer_=None, **kw
    ):
        assert not kw, f"unexpected execute_query arguments {kw}"
        params = dict(parameters_ or {})
        self.calls.append(Call(query_, params, database_, routing_))
        if self.fail and (exc := self.fail(query_)):
            raise exc
        keys, rows = self._answer(query_, params)
        return result_transformer_(FakeResult(keys, rows))

    def _answer(self, query: str, params: dict) -> tuple[list[str], list[dict]]:
        for prefix, answer in self.answers.items():
            if query.startswith(prefix):  # rows, or (keys, rows) to answer with no rows
                keys, rows = answer if isinstance(answer, tuple) else ((list(answer[0]) if answer else []), answer)
                return keys, rows
        if m := (_MERGE_NODE.search(query) or _MERGE_REL.search(query)):
            self.stored.setdefault(m.group(1), set()).update(r["id"] for r in params["rows"])
            return (["written"], [{"written": len(params["rows"])}]) if "written" in query else ([], [])
        if m := _PATTERN.match(query):
            ids = self.stored.get(m.group(1) or m.group(2), set())
            if query.endswith("RETURN count(n) AS n"):
                return ["n"], [{"n": len(ids)}]
            if "WHERE n.id IN $ids RETURN n.id AS id" in query:
                return ["id"], [{"id": i} for i in params["ids"] if i in ids]
        return [], []

    def close(self) -> None:
        self.closed = True

    # helpers for assertions
    def writes(self) -> list[Call]:
        return [c for c in self.calls if "MERGE" in c.query or "CREATE (" in c.query]


def make_store(batch_size: int = 10_000, **kw: Any) -> tuple[Neo4jStore, RecordingDriver]:
    driver = RecordingDriver(**kw)
    return Neo4jStore("neo4j://fake:7687", None, database=DB, batch_size=batch_size, driver=driver), driver


def people(n: int, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [f"p{i:03d}" for i in range(start, start + n)], "name": [f"name {i}" for i in range(start, start + n)]}
    )


# ------------------------------------------------------------------ schema
def test_create_schema_runs_exactly_the_model_ddl_as_writes():
    store, driver = make_store()
    store.create_schema()
    ddl = MODEL.neo4j_ddl()
    assert len(driver.calls) == len(ddl)
    assert [c.query for c in driver.calls] == ddl
    assert {c.routing for c in driver.calls} == {RoutingControl.WRITE}
    assert {c.database for c in driver.calls} == {DB}


# ------------------------------------------------------------------ nodes
PERSON_PROPS = [p for p in MODEL.arrow_schema("Person").names if p != "id"]


def test_node_load_creates_new_ids_in_chunks_of_batch_size():
    store, driver = make_store(batch_size=10)
    assert store.upsert_nodes("Person", people(25)) == 25
    writes = driver.writes()
    assert len(writes) == 3
    assert [len(c.params["rows"]) for c in writes] == [10, 10, 5]
    props = ", ".join(f"{p}: row.{p}" for p in PERSON_PROPS)
    assert {c.query for c in writes} == {f"UNWIND $rows AS row CREATE (n:Person {{id: row.id, {props}}})"}
    assert {c.routing for c in writes} == {RoutingControl.WRITE}
    assert [r["id"] for c in writes for r in c.params["rows"]] == people(25)["id"].tolist()
    # every model property travels, nulls as None (CREATE stores no property for a null)
    assert writes[0].params["rows"][0] == {**dict.fromkeys(PERSON_PROPS), "id": "p000", "name": "name 0"}


def test_node_load_with_write_merge_merges_on_id():
    driver = RecordingDriver()
    store = Neo4jStore("neo4j://fake:7687", None, database=DB, batch_size=10, write="merge", driver=driver)
    assert store.upsert_nodes("Person", people(25)) == 25
    writes = driver.writes()
    assert [len(c.params["rows"]) for c in writes] == [10, 10, 5]
    assert {c.query for c in writes} == {"UNWIND $rows AS row MERGE (n:Person {id: row.id}) SET n += row.props"}
    assert writes[0].params["rows"][0] == {"id": "p000", "props": {"name": "name 0"}}


def test_batches_go_out_from_several_workers():
    driver = RecordingDriver()
    store = Neo4jStore("neo4j://fake:7687", None, database=DB, batch_size=10, workers=3, driver=driver)
    assert store.upsert_nodes("Person", people(95)) == 95
    writes = driver.writes()
    assert sorted(len(c.params["rows"]) for c in writes) == [5] + [10] * 9
    assert sorted(r["id"] for c in writes for r in c.params["rows"]) == people(95)["id"].tolist()
    with pytest.raises(ValueError, match="workers"):
        Neo4jStore("neo4j://fake:7687", None, workers=0, driver=driver)
    with pytest.raises(ValueError, match="write must be"):
        Neo4jStore("neo4j://fake:7687", None, write="upsert", driver=driver)


def test_every_call_names_the_database_and_reads_route_to_readers():
    store, driver = make_store(batch_size=4)
    store.upsert_nodes("Person", people(6))
    store.upsert_nodes("Company", pd.DataFrame({"id": ["c1"], "name": ["甲公司"]}))
    store.upsert_edges("EMPLOYED_BY", "Person", "Company", pd.DataFrame({"id": ["e1"], "from": ["p000"], "to": ["c1"]}))
    store.upsert_nodes("Person", people(3, start=5))  # overlaps: existing ids looked up
    store.counts()
    driver.answers["MATCH (n:Person) WHERE n.id IN $ids RETURN"] = [
        {"label": "Person", "eid": "4:x:0", "props": {"id": "p000", "name": "name 0"}}
    ]
    store.subgraph(["p000"])
    assert driver.calls
    assert {c.database for c in driver.calls} == {DB}
    reads = [c for c in driver.calls if c not in driver.writes()]
    assert {c.routing for c in reads} == {RoutingControl.READ}
    assert {c.routing for c in driver.writes()} == {RoutingControl.WRITE}
    kinds = {c.query.split(" RETURN ")[-1] for c in reads}
    assert {"count(n) AS n", "n.id AS id"} <= kinds  # counts and id look-ups were among them


def test_dates_and_datetimes_are_sent_as_python_values_and_nulls_as_none():
    store, driver = make_store()
    when = dt.datetime(2023, 5, 6, 7, 8, 9)
    bids = pd.DataFrame(
        {
            "id": ["b1", "b2"],
            "price": [1.5, float("nan")],
            "rank": [1, None],
            "is_winner": [True, None],
            "submit_time": [when, None],
        }
    )
    store.upsert_nodes("Bid", bids)
    rows = driver.writes()[0].params["rows"]
    assert len(rows) == 2

    def given(row):  # CREATE stores no property for a null, so None is "not stored"
        return {k: v for k, v in row.items() if v is not None and k != "id"}

    assert given(rows[0]) == {"price": 1.5, "rank": 1, "is_winner": True, "submit_time": when}
    assert type(rows[0]["submit_time"]) is dt.datetime
    assert given(rows[1]) == {}  # NaN and None alike: no property rather than a null
    store.upsert_nodes(
        "Person", pd.DataFrame({"id": ["p1"], "name": ["李娜"], "birth_date": [dt.date(1970, 1, 2)], "gender": [None]})
    )
    props = given(driver.writes()[-1].params["rows"][0])
    assert props == {"name": "李娜", "birth_date": dt.date(1970, 1, 2)}
    assert type(props["birth_date"]) is dt.date


def test_rows_already_stored_are_not_sent_again():
    store, driver = make_store(batch_size=10)
    driver.stored["Person"] = {"p000", "p003"}
    assert store.upsert_nodes("Person", people(5)) == 3
    lookups = [c for c in driver.calls if c.query.endswith("RETURN n.id AS id")]
    assert len(lookups) == 1
    assert lookups[0].query == "MATCH (n:Person) WHERE n.id IN $ids RETURN n.id AS id"
    assert lookups[0].params == {"ids": people(5)["id"].tolist()}
    assert lookups[0].routing == RoutingControl.READ
    assert [r["id"] for r in driver.writes()[0].params["rows"]] == ["p001", "p002", "p004"]
    # a second identical load sends no write at all
    n_writes = len(driver.writes())
    assert store.upsert_nodes("Person", people(5)) == 0
    assert len(driver.writes()) == n_writes


def test_existing_id_lookups_are_chunked_by_batch_size():
    store, driver = make_store(batch_size=10)
    driver.stored["Person"] = {"p000"}
    store.upsert_nodes("Person", people(25))
    lookups = [c for c in driver.calls if c.query.endswith("RETURN n.id AS id")]
    assert [len(c.params["ids"]) for c in lookups] == [10, 10, 5]
    assert [len(c.params["rows"]) for c in driver.writes()] == [10, 10, 4]


# ------------------------------------------------------------------ edges
def test_edge_load_matches_both_ends_by_label_and_merges_on_id():
    store, driver = make_store(batch_size=2)
    edges = pd.DataFrame(
        {
            "id": ["f1", "f2", "f3"],
            "from": ["p1", "p2", "p3"],
            "to": ["p2", "p3", "p1"],
            "relationship": ["spouse", None, "sibling"],
        }
    )
    assert store.upsert_edges("FAMILY", "Person", "Person", edges) == 3
    writes = driver.writes()
    assert [len(c.params["rows"]) for c in writes] == [2, 1]
    props = [p for p in MODEL.arrow_schema("FAMILY").names if p != "id"]
    assert writes[0].query == (
        "UNWIND $rows AS row MATCH (a:Person) WHERE a.id = row.from "
        "MATCH (b:Person) WHERE b.id = row.to "
        f"CREATE (a)-[r:FAMILY {{id: row.id, {', '.join(f'{p}: row.{p}' for p in props)}}}]->(b) "
        "RETURN count(r) AS written"
    )
    nulls = dict.fromkeys(props)
    assert writes[0].params["rows"] == [  # the natural keys go in as their 64-bit ids
        {"from": "p1", "to": "p2", "id": link_id("f1"), **nulls, "relationship": "spouse"},
        {"from": "p2", "to": "p3", "id": link_id("f2"), **nulls},
    ]
    driver.stored["FAMILY"] = {link_id("f1")}
    n = len(driver.writes())
    assert store.upsert_edges("FAMILY", "Person", "Person", edges) == 2
    assert [r["id"] for c in driver.writes()[n:] for r in c.params["rows"]] == [link_id("f2"), link_id("f3")]
    lookups = [c for c in driver.calls if c.query == "MATCH ()-[n:FAMILY]->() WHERE n.id IN $ids RETURN n.id AS id"]
    assert len(lookups) == 2 and {c.routing for c in lookups} == {RoutingControl.READ}


def test_edges_whose_endpoints_are_missing_are_reported():
    store, driver = make_store(answers={"UNWIND $rows AS row MATCH (a:Person)": [{"written": 1}]})
    edges = pd.DataFrame({"id": ["f1", "f2"], "from": ["p1", "p2"], "to": ["p2", "nobody"]})
    with pytest.raises(StoreError, match="1 of 2 relationships not written"):
        store.upsert_edges("FAMILY", "Person", "Person", edges)


def test_edge_pair_must_be_declared_in_the_model():
    store, driver = make_store()
    edges = pd.DataFrame({"id": ["x"], "from": ["c1"], "to": ["p1"]})
    with pytest.raises(ModelError):
        store.upsert_edges("FAMILY", "Company", "Person", edges)
    with pytest.raises(ModelError):
        store._bulk_edges("FAMILY", "Company", "Person", store._conform("FAMILY", edges, edge=True))
    assert driver.calls == []


# ------------------------------------------------------------------ names
@pytest.mark.parametrize("label", ["Nope", "person", "FAMILY", "Person) DETACH DELETE (m", "Person`"])
def test_unknown_labels_are_rejected_before_any_query_is_sent(label):
    store, driver = make_store()
    table = pa.table({"id": ["x"]})
    with pytest.raises(StoreError, match="unknown label"):
        store._bulk_nodes(label, table)
    with pytest.raises(StoreError, match="unknown label"):
        store._count("node", label)
    with pytest.raises(StoreError, match="unknown label"):
        store._existing_ids("node", label, ["x"])
    with pytest.raises((StoreError, ModelError)):
        store.upsert_nodes(label, pd.DataFrame({"id": ["x"]}))
    assert driver.calls == []


@pytest.mark.parametrize("rtype", ["KNOWS", "family", "Person", "FAMILY]->() DETACH DELETE n //"])
def test_unknown_relationship_types_are_rejected(rtype):
    store, driver = make_store()
    with pytest.raises(StoreError, match="unknown relationship type"):
        store._count("rel", rtype)
    with pytest.raises(StoreError, match="unknown relationship type"):
        store._bulk_edges(rtype, "Person", "Person", pa.table({"id": ["x"], "from": ["a"], "to": ["b"]}))
    assert driver.calls == []


def test_rows_without_an_id_are_refused():
    store, driver = make_store()
    with pytest.raises(StoreError, match="no 'id'"):
        store.upsert_nodes("Person", pd.DataFrame({"id": ["p1", None], "name": ["a", "b"]}))
    assert driver.writes() == []


# ------------------------------------------------------------------ reads
def test_counts_cover_every_label_and_type_with_read_routing():
    store, driver = make_store()
    driver.stored["Person"] = {"a", "b"}
    driver.stored["FAMILY"] = {"f"}
    counts = store.counts()
    assert counts["nodes"]["Person"] == 2 and counts["relationships"]["FAMILY"] == 1
    assert sum(counts["nodes"].values()) == 2 and sum(counts["relationships"].values()) == 1
    assert len(driver.calls) == len(MODEL.labels) + len(MODEL.relationships)
    assert {c.routing for c in driver.calls} == {RoutingControl.READ}
    assert "MATCH (n:Person) RETURN count(n) AS n" in [c.query for c in driver.calls]
    assert "MATCH ()-[n:FAMILY]->() RETURN count(n) AS n" in [c.query for c in driver.calls]


def test_subgraph_reads_nodes_by_label_then_relationships_among_them():
    born = neo4j.time.Date(1970, 1, 2)
    store, driver = make_store(
        answers={
            "MATCH (n:Person) WHERE n.id IN $ids": [
                {"label": "Person", "eid": "4:db:1", "props": {"id": "p1", "name": "张伟", "birth_date": born}},
                {"label": "Person", "eid": "4:db:2", "props": {"id": "p2", "name": "王芳"}},
            ],
            "MATCH (a)-[r]->(b)": [
                {
                    "type": "FAMILY",
                    "source": "p1",
                    "target": "p2",
                    "props": {"id": "f1", "relationship": "spouse", "src_file": "family.xlsx", "src_row": 3},
                },
            ],
        }
    )
    g = store.subgraph(["p1", "p2", "p1"])
    assert isinstance(g, nx.MultiDiGraph)
    assert sorted(g.nodes) == ["p1", "p2"]
    assert g.nodes["p1"] == {"name": "张伟", "birth_date": dt.date(1970, 1, 2), "label": "Person"}
    assert type(g.nodes["p1"]["birth_date"]) is dt.date
    assert list(g.edges(keys=True, data=True)) == [
        (
            "p1",
            "p2",
            "f1",
            {"id": "f1", "relationship": "spouse", "src_file": "family.xlsx", "src_row": 3, "type": "FAMILY"},
        )
    ]
    node_call, rel_call = driver.calls
    assert node_call.params == {"ids": ["p1", "p2"]}
    assert node_call.query.count(" UNION ") == len(MODEL.labels) - 1
    assert "labels(n)[0] AS label" in node_call.query
    assert rel_call.params == {"eids": ["4:db:1", "4:db:2"]}
    assert "type(r) AS type" in rel_call.query
    assert {c.routing for c in driver.calls} == {RoutingControl.READ}


def test_subgraph_of_nothing_sends_nothing():
    store, driver = make_store()
    assert store.subgraph([]).number_of_nodes() == 0
    assert store.subgraph(["absent"]).number_of_nodes() == 0
    assert len(driver.calls) == 1  # the node look-up; no relationship query without nodes


def test_run_returns_a_dataframe_with_columns_even_when_empty():
    store, driver = make_store(answers={"RETURN 1": [{"one": 1, "d": neo4j.time.Date(2020, 2, 29)}]})
    df = store.run("RETURN 1 AS one, date('2020-02-29') AS d")
    assert list(df.columns) == ["one", "d"] and df["one"].tolist() == [1]
    # dates as datetime64[us], as the embedded store returns them (not datetime.date objects in an object column)
    assert str(df["d"].dtype) == "datetime64[us]" and df["d"].tolist() == [pd.Timestamp(2020, 2, 29)]
    driver.answers["MATCH (x) RETURN"] = (["id"], [])
    empty = store.run("MATCH (x) RETURN x.id AS id")
    assert isinstance(empty, pd.DataFrame) and empty.empty and list(empty.columns) == ["id"]


def test_a_query_read_in_pieces_on_the_embedded_store_is_one_statement_streamed_on_neo4j():
    """``collusion/bids`` was read 5,000 tenders at a time on both stores, for the embedded store's buffer pool:
    on Neo4j 58 statements at a million persons after one for the keys, and all of it read again when a piece's
    column types differed. Neo4j is sent the query once over every tender; the driver streams its records."""
    from graphkit.collusion.bidder_graph import read_bids

    row = {"tender": "T1", "bid": "B1", "company": "C1", "price": 1.0}
    store, driver = make_store(answers={"// name: collusion/bids": [row]})
    got = read_bids(store)
    assert [c.params for c in driver.calls] == [{"from_tender": "", "to_tender": "", "to_end": True}]
    assert driver.calls[0].routing == RoutingControl.READ and got["tender"].tolist() == ["T1"]


def test_date_columns_are_datetime64_like_the_embedded_stores_and_other_columns_are_kept():
    rows = [
        {"d": neo4j.time.Date(2024, 1, 31), "t": neo4j.time.DateTime(2024, 1, 31, 9, 30), "s": "2024-01-31", "n": 1},
        {"d": None, "t": None, "s": None, "n": 2},
    ]
    store, _ = make_store(answers={"MATCH (c:Contract)": (["d", "t", "s", "n"], rows)})
    df = store.run("MATCH (c:Contract) RETURN c.signed_date AS d, c.t AS t, c.s AS s, c.n AS n")
    assert df.dtypes.astype(str).to_dict() == {"d": "datetime64[us]", "t": "datetime64[us]", "s": "str", "n": "int64"}
    assert df["d"].iloc[0] == pd.Timestamp(2024, 1, 31) and df["d"].isna().iloc[1]
    assert (df["d"].iloc[0] - pd.Timestamp(2024, 1, 1)).days == 30  # date arithmetic, as on embedded frames
    mixed, _ = make_store(answers={"RETURN": (["x"], [{"x": dt.date(2024, 1, 1)}, {"x": "not a date"}])})
    assert mixed.run("RETURN 1 AS x")["x"].tolist() == [dt.date(2024, 1, 1), "not a date"]  # left alone


def test_a_read_only_store_sends_every_statement_as_a_read_so_the_server_refuses_writes():
    driver = RecordingDriver()
    store = Neo4jStore("neo4j://fake:7687", None, database=DB, read_only=True, driver=driver)
    store.create_schema()
    store.upsert_nodes("Person", people(3))
    store.run("// mode: write\nMATCH (n:Person) SET n.x = 1")
    store.rows("CREATE (:Person {id: 'p9'})")
    store.counts()
    assert driver.writes() and {c.routing for c in driver.calls} == {RoutingControl.READ}


def test_rows_returns_plain_tuples_in_return_order_through_the_same_call():
    store, driver = make_store(
        answers={
            "UNWIND $ids": (
                ["node", "links", "born"],
                [
                    {"node": "p1", "links": 3, "born": neo4j.time.Date(1975, 3, 12)},
                    {"node": "p2", "links": 0, "born": None},
                ],
            )
        }
    )
    q = "UNWIND $ids AS x MATCH (a:Person {id: x}) RETURN x AS node, 3 AS links, a.birth_date AS born"
    assert store.rows(q, ids=["p1", "p2"]) == [("p1", 3, dt.date(1975, 3, 12)), ("p2", 0, None)]
    call = driver.calls[-1]
    assert (call.query, call.params, call.database, call.routing) == (q, {"ids": ["p1", "p2"]}, DB, RoutingControl.READ)
    assert store.rows("MATCH (n:Person {id: $id}) SET n.name = $name", id="p1", name="x") == []
    assert driver.calls[-1].routing == RoutingControl.WRITE
    err = neo4j.exceptions.ClientError("Invalid input 'RETRUN'")
    failing, _ = make_store(fail=lambda q: err)
    with pytest.raises(StoreError, match=r"Neo4jStore: .*RETRUN.* — in query: RETURN 1 AS one"):
        failing.rows("RETURN 1 AS one")


@pytest.mark.parametrize(
    ("query", "routing"),
    [
        ("MATCH (n:Person) RETURN n.id AS id", RoutingControl.READ),
        ("MATCH (n:Person) WHERE n.name = 'CREATE' RETURN n.offset AS x, `SET` AS y", RoutingControl.READ),
        ("// CREATE nothing\nMATCH (n) RETURN n.set AS x", RoutingControl.READ),
        ("CALL db.labels() YIELD label RETURN label", RoutingControl.READ),
        ("CALL gds.pageRank.stream('g') YIELD nodeId RETURN nodeId", RoutingControl.READ),
        ("MATCH (n:Person {id: $id}) SET n.name = $name", RoutingControl.WRITE),
        ("MATCH (n) DETACH DELETE n", RoutingControl.WRITE),
        ("merge (n:Person {id: $id})", RoutingControl.WRITE),
        ("CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'SET n.x = 1', {})", RoutingControl.WRITE),
        ("CALL gds.pageRank.write('g', {writeProperty: 'pr'})", RoutingControl.WRITE),
        ("// name: x\n// mode: read\nCALL gds.graph.project('g', 'Person', '*')", RoutingControl.READ),
        ("// mode: write\nMATCH (n) RETURN n", RoutingControl.WRITE),
    ],
)
def test_queries_run_directly_are_routed_by_what_they_do(query, routing):
    assert routing_for(query) == routing
    store, driver = make_store()
    store.run(query, id="x")
    assert driver.calls[-1].routing == routing and driver.calls[-1].database == DB
    assert driver.calls[-1].params == {"id": "x"}


def test_write_batches_rows_and_routes_to_the_writer():
    store, driver = make_store()
    rows = [{"id": f"p{i}", "props": {}} for i in range(7)]
    q = "UNWIND $rows AS row MERGE (n:Person {id: row.id}) SET n += row.props"
    assert store.write(q, rows, batch_size=3) == 7
    assert [len(c.params["rows"]) for c in driver.calls] == [3, 3, 1]
    assert {c.routing for c in driver.calls} == {RoutingControl.WRITE}


# ------------------------------------------------------------------ errors and lifecycle
def test_driver_errors_are_wrapped_with_the_query():
    err = neo4j.exceptions.ClientError("Variable `x` not defined")
    store, driver = make_store(fail=lambda q: err)
    expected = r"Neo4jStore: .*not defined.* — in query: MATCH \(n:Person\) RETURN count"
    with pytest.raises(StoreError, match=expected) as info:
        store.counts()
    assert info.value.__cause__ is err


@pytest.mark.parametrize(
    "err",
    [
        neo4j.exceptions.ServiceUnavailable("Unable to retrieve routing information"),
        neo4j.exceptions.SessionExpired("Failed to read from defunct connection"),
    ],
)
def test_a_server_lost_during_a_command_is_one_sentence(err):
    """A server stopped once the command had begun: the driver's own words with the query (``Neo4jStore: Unable to
    retrieve routing information — in query: MATCH (n:Thing) RETURN count(n) AS n``, under ``加载失败（…）``) were
    all a user read; now one sentence names the server and asks whether it still runs, in Chinese on the console."""
    from graphkit.rules.words import refusal_zh as zh
    from graphkit.stores.base import StoreUnavailable

    store, _ = make_store(fail=lambda q: err)
    with pytest.raises(StoreUnavailable) as info:
        store.counts()
    said = str(info.value)
    assert said == f"lost Neo4j at neo4j://fake:7687 during the command: {err}; is it still running?"
    assert "in query" not in said and info.value.__cause__ is err
    assert zh(said).startswith("命令进行中失去了 neo4j://fake:7687 上的 Neo4j（"), zh(said)
    assert zh(said).endswith("）；它还在运行吗？")


def test_the_drivers_retry_lines_about_a_lost_server_are_not_printed(caplog):
    """The driver logged each retry and each failed routing look-up (``WARNING neo4j.session: Transaction failed
    and will be retried in 17.75s (Unable to retrieve routing information)``, ``ERROR neo4j.pool: Unable to
    retrieve routing information``), nine English lines above the command's own sentence; -vv still shows them."""
    import logging

    import graphkit.stores.neo4j  # noqa: F401  (puts the filter in place)

    with caplog.at_level(logging.WARNING):
        logging.getLogger("neo4j.session").warning(
            "Transaction failed and will be retried in %ss (%s)", 1.7, "Unable to retrieve routing information"
        )
        logging.getLogger("neo4j.pool").error("Unable to retrieve routing information")
        logging.getLogger("neo4j.pool").error("something else went wrong")
    assert [r.getMessage() for r in caplog.records] == ["something else went wrong"]
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("neo4j.pool").error("Unable to retrieve routing information")
    assert caplog.records[-1].getMessage() == "Unable to retrieve routing information"


def test_from_env_reads_user_password_and_database(monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "alice")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    monkeypatch.setenv("NEO4J_DATABASE", "cases")
    fake = RecordingDriver()
    store = Neo4jStore.from_env("neo4j://db.example:7687", driver=fake, batch_size=7)
    assert (store.uri, store.database, store.batch_size) == ("neo4j://db.example:7687", "cases", 7)
    store.counts()
    assert {c.database for c in fake.calls} == {"cases"}
    store.close()
    assert not fake.closed  # a driver handed in belongs to the caller
    via_seam = open_store("bolt://db.example:7687", driver=fake, database="other")
    assert isinstance(via_seam, Neo4jStore) and via_seam.database == "other"


def test_from_env_creates_one_driver_without_connecting(monkeypatch):
    monkeypatch.delenv("NEO4J_USER", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    seen = []
    real = neo4j.GraphDatabase.driver

    def spy(uri, *, auth=None, **config):
        seen.append((uri, auth))
        return real(uri, auth=auth, **config)

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", spy)
    store = Neo4jStore.from_env("neo4j://localhost:7687")
    assert seen == [("neo4j://localhost:7687", ("neo4j", "pw"))]
    assert store.database == "neo4j"
    assert isinstance(store._driver, neo4j.Driver)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


@pytest.mark.parametrize("scheme", ["neo4j", "bolt"])
def test_a_server_that_is_down_is_one_clear_line_at_open(scheme, monkeypatch):
    """open_store connects once with a short timeout: a closed port is a StoreUnavailable saying where and
    why at once (it was ~30 s of the driver's retry warnings and a traceback at the first query); the CLI
    prints that one line and exits 1."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    from graphkit.stores import StoreUnavailable

    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    uri = f"{scheme}://127.0.0.1:{_closed_port()}"
    t0 = time.perf_counter()
    with pytest.raises(StoreUnavailable, match=rf"cannot reach Neo4j at {uri}: .*Connection refused.*is it running\?"):
        open_store(uri, read_only=True)
    assert time.perf_counter() - t0 < 5
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run(
        [sys.executable, "-c", "from graphkit.cli import main; main()", "rank", "--store", uri],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
    )
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"错误：连不上 {uri} 的 Neo4j（"), r.stderr
    assert lines[0].endswith("它在运行吗？") and r.stdout == ""


@pytest.fixture
def silent_port():
    """A port that accepts every TCP connection and never says a byte (not Neo4j, a hung server, a proxy)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # closed at the end of the test
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


@pytest.mark.parametrize("scheme,timeout", [("neo4j", None), ("bolt", "1")])
def test_a_port_that_never_answers_fails_fast_in_one_sentence(scheme, timeout, silent_port, monkeypatch):
    """A port that took the connection and never answered the Bolt handshake held every command ~61 s (the
    driver's connection_acquisition_timeout, 60 s by default) before "Unable to retrieve routing information".
    The acquisition is now bounded by twice the connection timeout (10 s by default, ``NEO4J_CONNECTION_TIMEOUT``
    otherwise: the bolt case sets 1 s and waits 2, the default's 10 s once is enough for the suite), and the error
    is one sentence naming the address and how long it waited, never the password: Chinese on the console by default,
    English under ``--lang en`` (the store's text, which was Chinese under both)."""
    import time

    from click.testing import CliRunner

    from graphkit.cli import main
    from graphkit.rules.words import refusal_zh
    from graphkit.stores import StoreUnavailable

    if timeout is None:
        monkeypatch.delenv("NEO4J_CONNECTION_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("NEO4J_CONNECTION_TIMEOUT", timeout)
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw")
    uri = f"{scheme}://127.0.0.1:{silent_port}"
    t0 = time.perf_counter()
    with pytest.raises(StoreUnavailable) as err:
        open_store(uri, read_only=True)
    assert time.perf_counter() - t0 < 15
    said = str(err.value)
    wait = 10 if timeout is None else 2 * int(timeout)
    assert said.startswith(f"cannot connect to Neo4j at {uri}: no answer in {wait} s"), said
    assert refusal_zh(said).startswith(f"无法连接 {uri} 上的 Neo4j：{wait} 秒内没有应答"), said
    assert "s3cret-pw" not in said and "\n" not in said
    if timeout is not None:  # English on the console under --lang en (it was Chinese under both)
        r = CliRunner().invoke(main, ["stats", "--store", uri, "--lang", "en"])
        assert r.exit_code == 1 and r.output.strip().splitlines() == [f"Error: {said}"], r.output


@pytest.fixture
def driver_configs(monkeypatch) -> list[dict]:
    """The configuration of every Neo4j driver created while the test runs (the real driver is still made)."""
    seen: list[dict] = []
    real = neo4j.GraphDatabase.driver

    def spy(uri, *, auth=None, **config):
        seen.append(config)
        return real(uri, auth=auth, **config)

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", spy)
    return seen


def test_from_env_sets_a_short_connection_timeout(monkeypatch, driver_configs):
    from graphkit.stores.neo4j import CONNECTION_TIMEOUT

    seen = driver_configs
    monkeypatch.delenv("NEO4J_CONNECTION_TIMEOUT", raising=False)
    Neo4jStore.from_env("neo4j://localhost:7687").close()
    monkeypatch.setenv("NEO4J_CONNECTION_TIMEOUT", "2.5")
    Neo4jStore.from_env("neo4j://localhost:7687").close()
    assert [c["connection_timeout"] for c in seen] == [CONNECTION_TIMEOUT, 2.5]
    assert [c["connection_acquisition_timeout"] for c in seen] == [2 * CONNECTION_TIMEOUT, 5.0]


def test_the_driver_asks_the_server_for_no_notifications(driver_configs):
    """The driver logs every server notification as a WARNING (``neo4j.notifications``): a property no node
    has yet gave ~10 lines per ``find``; the embedded store prints none, so the store asks for none."""
    seen = driver_configs
    Neo4jStore("neo4j://localhost:7687", None).close()
    assert seen == [{"notifications_min_severity": neo4j.NotificationMinimumSeverity.OFF}]


def test_a_bad_uri_is_a_store_error():
    with pytest.raises(StoreError, match="cannot create a Neo4j driver"):
        Neo4jStore("http://localhost:7474", None)


@pytest.mark.parametrize("uri", ["neo4j://neo4j:s3cret-pw@127.0.0.1:7687", "bolt+s://ops:s3cret-pw@db.example:7687/x"])
def test_a_password_in_the_uri_is_refused_and_never_repeated(uri):
    """``neo4j://user:password@host`` was passed to the driver, which refused it with a message holding the whole
    URI: ``graphkit stats`` printed the password twice (``cannot open store neo4j://neo4j:…@…``). The spec is
    refused before any driver is made, naming the user and the environment variables, not the password."""
    import subprocess
    import sys
    from pathlib import Path

    from graphkit.stores import StoreSpec

    with pytest.raises(ValueError, match="NEO4J_PASSWORD") as err:
        StoreSpec.parse(uri)
    assert "s3cret-pw" not in str(err.value)
    with pytest.raises(ValueError) as err:
        open_store(uri)
    assert "s3cret-pw" not in str(err.value)
    r = subprocess.run(
        [sys.executable, "-c", "from graphkit.cli import main; main()", "stats", "--store", uri],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=60,
    )
    assert r.returncode == 2 and "s3cret-pw" not in r.stdout + r.stderr, r.stderr
    assert "NEO4J_USER 和 NEO4J_PASSWORD" in r.stderr, r.stderr  # in Chinese by default


def test_bad_arguments():
    with pytest.raises(ValueError):
        Neo4jStore("neo4j://x", None, driver=RecordingDriver(), batch_size=0)
    with pytest.raises(ValueError):
        Neo4jStore("neo4j://x", None, driver=RecordingDriver(), database="")


# ------------------------------------------------------------------ property
@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=60),
    batch_size=st.integers(min_value=1, max_value=30),
    nulls=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_batch_size_does_not_change_what_is_sent(n, batch_size, nulls):
    frame = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "name": [None if nulls[i] else f"n{i}" for i in range(n)],
            "birth_date": pd.Series([dt.date(1950 + i, 1, 1) for i in range(n)], dtype=object),
        }
    )
    sent = {}
    for bs in (batch_size, 10_000):
        store, driver = make_store(batch_size=bs)
        assert store.upsert_nodes("Person", frame) == n
        writes = driver.writes()
        assert len(writes) == math.ceil(n / bs)
        assert all(1 <= len(c.params["rows"]) <= bs for c in writes)
        sent[bs] = [row for c in writes for row in c.params["rows"]]
    assert len(sent[batch_size]) == len(sent[10_000]) == n
    assert sent[batch_size] == sent[10_000]
    assert [r["id"] for r in sent[batch_size]] == frame["id"].tolist()


def test_a_failed_atomic_block_deletes_what_it_created_and_only_that():
    store, driver = make_store(batch_size=2)
    driver.stored["Person"] = {"p000"}
    with pytest.raises(RuntimeError, match="file 20"), store.atomic():
        assert store.upsert_nodes("Person", people(3)) == 2  # p000 was there: not created, not deleted
        store.upsert_edges(
            "FAMILY", "Person", "Person", pd.DataFrame({"from": ["p001"], "to": ["p002"], "id": ["FAMILY|p001|p002"]})
        )
        raise RuntimeError("file 20 is unreadable")
    deletes = [c for c in driver.calls if "DELETE" in c.query]
    assert all(c.routing == RoutingControl.WRITE and c.database == DB for c in deletes)
    assert [re.sub(r"\s+", " ", c.query) for c in deletes] == [
        "UNWIND $rows AS id MATCH ()-[n:FAMILY]->() WHERE n.id = id DELETE n",
        "UNWIND $rows AS id MATCH (n:Person) WHERE n.id = id DETACH DELETE n",
    ]
    assert deletes[0].params["rows"] == [link_id("FAMILY|p001|p002")]
    assert [d.params["rows"] for d in deletes[1:]] == [["p001", "p002"]]  # relationships first; p000 stays


def test_a_ctrl_c_while_a_statement_waits_leaves_its_connection_behind():
    """Ctrl-C while the store waits for a server's answer: the statement's thread still holds its connection, so
    closing the store must not wait on it (it is closed in the background, :meth:`Neo4jStore.close`). The store
    marked only a statement that timed out so; after a Ctrl-C, ``graphkit stats`` on a hung server waited in the
    driver's close with nothing said (CI, 2026-12-07)."""
    import signal
    import threading

    release = threading.Event()
    store, driver = make_store()
    store.query_timeout = 60.0
    answered = driver.execute_query
    driver.execute_query = lambda *a, **kw: (release.wait(), answered(*a, **kw))[1]  # a server that hangs

    def ctrl_c(*_):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGALRM, ctrl_c)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(KeyboardInterrupt):
            store.run("MATCH (n) RETURN count(n) AS n")
        assert store._hung
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
        release.set()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_second_ctrl_c_waits_until_the_undo_is_done(monkeypatch, capsys, lang):
    """Ctrl-C in a Neo4j load takes back what it created; a second Ctrl-C while that is done stopped the undo half
    way, the relationships deleted and the nodes left (half a load in the store). It is held until the undo ends,
    and the line saying so is in the console's language (it was Chinese under ``--lang en``)."""
    import os
    import signal

    from graphkit import progress

    store, driver = make_store(batch_size=2)
    real, calls = store._delete, []

    def delete(kind, name, ids):
        calls.append(kind)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C again
        return real(kind, name, ids)

    monkeypatch.setattr(store, "_delete", delete)
    with progress.speaking(lang), pytest.raises(KeyboardInterrupt), store.atomic():
        store.upsert_nodes("Person", people(3))
        store.upsert_edges(
            "FAMILY", "Person", "Person", pd.DataFrame({"from": ["p001"], "to": ["p002"], "id": ["FAMILY|p001|p002"]})
        )
        raise KeyboardInterrupt
    deletes = [c for c in driver.calls if "DELETE" in c.query]
    assert calls == ["rel", "node"] and len(deletes) == 3, calls  # the relationship, then the nodes in 2 batches
    said = {
        "zh": "正在撤回本次加载：库恢复原样后 Ctrl-C 才生效",
        "en": "taking the load back; Ctrl-C takes effect once the store is as it was",
    }
    assert capsys.readouterr().err.strip().splitlines() == [said[lang]]


def test_a_successful_atomic_block_deletes_nothing():
    store, driver = make_store()
    with store.atomic():
        store.upsert_nodes("Person", people(2))
    assert not [c for c in driver.calls if "DELETE" in c.query]


@pytest.mark.neo4j
def test_a_user_locked_after_wrong_passwords_is_told_so_not_to_start_the_server(
    neo4j_server, neo4j_own_user, monkeypatch
):
    """Three wrong passwords in a row and Neo4j locks the user for a few seconds, refusing even the right one
    with AuthenticationRateLimit, a plain ClientError in the driver. That was said as "cannot reach Neo4j … is
    it running?". It names the lock and the password. (A user of its own: a locked ``neo4j`` failed the other
    tests' connections on the session's server.)"""
    from graphkit.stores import StoreUnavailable

    user, right = neo4j_own_user
    monkeypatch.setenv("NEO4J_USER", user)
    said = []
    for pw in ["wrong-password-1"] * 4 + [right]:
        monkeypatch.setenv("NEO4J_PASSWORD", pw)
        with pytest.raises(StoreUnavailable) as err:
            open_store(neo4j_server.uri, read_only=True)
        said.append(str(err.value))
    assert all(s.startswith(f"Neo4j at {neo4j_server.uri} refused user '{user}'") for s in said[:3]), said
    for s in said[3:]:
        assert s.startswith(f"Neo4j at {neo4j_server.uri} locks user '{user}' for a few seconds"), s
        assert "NEO4J_PASSWORD" in s and "is it running" not in s and right not in s, s


@pytest.mark.neo4j
def test_a_database_the_server_does_not_have_is_one_line_at_open(neo4j_server, monkeypatch):
    """``NEO4J_DATABASE`` naming no database passed the connection check and failed at the first query with the
    driver's text (``{neo4j_code: …DatabaseNotFound} … {gql_status_description: … unexpected error … See debug
    log}``) and that query. It is now said when the store is opened, naming the variable."""
    import subprocess
    import sys
    from pathlib import Path

    from graphkit.stores import StoreUnavailable

    monkeypatch.setenv("NEO4J_DATABASE", "nosuchdb")
    with pytest.raises(StoreUnavailable) as err:
        open_store(neo4j_server.uri, read_only=True)
    said = str(err.value)
    assert said == (
        f"Neo4j at {neo4j_server.uri} has no database 'nosuchdb' (the store's /DATABASE or NEO4J_DATABASE names it; "
        "neo4j by default)"
    )
    r = subprocess.run(
        [sys.executable, "-c", "from graphkit.cli import main; main()", "stats", "--store", neo4j_server.uri],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=60,
    )
    assert r.returncode == 1, r.stderr
    assert r.stderr.strip() == (
        f"错误：{neo4j_server.uri} 的 Neo4j 没有数据库 'nosuchdb'（数据库名由库地址的 /数据库名 或 "
        "NEO4J_DATABASE 给出，默认 neo4j）"
    )


@pytest.mark.neo4j
def test_the_uris_path_names_the_database_as_neo4j_database_does(neo4j_server, monkeypatch):
    """``--store neo4j://host:7687/extra`` opened the database ``neo4j`` and said nothing of ``/extra``: the path
    now names the database (the server's answer for one it lacks is the one NEO4J_DATABASE gets), the default
    database by its name opens, and the two naming different databases is refused before any connection."""
    from graphkit.stores import StoreUnavailable

    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    with pytest.raises(StoreUnavailable, match=r"has no database 'nosuchdb' \(the store's /DATABASE"):
        open_store(f"{neo4j_server.uri}/nosuchdb", read_only=True)
    store = open_store(f"{neo4j_server.uri}/neo4j", read_only=True)
    try:
        assert store.database == "neo4j" and store.uri == neo4j_server.uri
    finally:
        store.close()
    monkeypatch.setenv("NEO4J_DATABASE", "other")
    with pytest.raises(ValueError, match="names database 'neo4j' but NEO4J_DATABASE names 'other'"):
        open_store(f"{neo4j_server.uri}/neo4j", read_only=True)


@pytest.mark.parametrize(
    ("text", "target", "database"),
    [
        ("neo4j://db.example:7687", "neo4j://db.example:7687", None),
        ("neo4j://db.example:7687/", "neo4j://db.example:7687", None),
        ("neo4j://db.example:7687/cases", "neo4j://db.example:7687", "cases"),
        ("bolt+s://db.example:7687/case-2024.b", "bolt+s://db.example:7687", "case-2024.b"),
        ("neo4j://db.example:7687/cases?policy=eu", "neo4j://db.example:7687?policy=eu", "cases"),
    ],
)
def test_a_neo4j_specs_path_is_its_database_and_the_spec_reads_back(text, target, database):
    from graphkit.stores import StoreSpec

    spec = StoreSpec.parse(text)
    assert (spec.kind, spec.target, spec.database) == ("neo4j", target, database)
    assert StoreSpec.parse(str(spec)) == spec  # GRAPHKIT_STORE handed to the notebooks keeps the database


@pytest.mark.parametrize("text", ["neo4j://db.example:7687/a/b", "neo4j://db.example:7687/x y", "bolt://h:7687/ab"])
def test_a_neo4j_path_that_is_no_database_name_is_refused(text):
    from graphkit.stores import StoreSpec

    with pytest.raises(ValueError, match="names the database"):
        StoreSpec.parse(text)


def test_the_uris_database_and_neo4j_database_must_agree(monkeypatch, driver_configs):
    monkeypatch.setenv("NEO4J_DATABASE", "cases")
    with pytest.raises(ValueError, match="names database 'extra' but NEO4J_DATABASE names 'cases'"):
        open_store("neo4j://127.0.0.1:7687/extra")
    assert driver_configs == []  # refused before any driver was made
    store = Neo4jStore.from_env("neo4j://127.0.0.1:7687")
    assert store.database == "cases"
    store.close()


def test_from_env_reads_the_database_from_the_uri_too(monkeypatch, driver_configs):
    """``Neo4jStore.from_env`` (the benches call it with a URI) passed ``neo4j://host:7687/cases`` to the driver,
    which ignored the path: the database ``neo4j`` was used. It reads the path as open_store does."""
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    store = Neo4jStore.from_env("neo4j://127.0.0.1:7687/cases")
    assert (store.uri, store.database) == ("neo4j://127.0.0.1:7687", "cases")
    store.close()
    with pytest.raises(ValueError, match="not a Neo4j URI"):
        Neo4jStore.from_env("embedded:x.db")


def test_graphkit_calls_no_apoc_procedure():
    """The tests' Neo4j starts without APOC (``run.sh start --no-plugins``, ``tests/conftest.py``): nothing graphkit
    sends may call one, or the tests would pass where a team's server answers otherwise."""
    root = Path(__file__).resolve().parents[1]
    texts = [*(root / "graphkit").rglob("*.py"), *(root / "loaders").rglob("*.py"), *(root / "queries").rglob("*")]
    calls = [str(p.relative_to(root)) for p in texts if p.is_file() and "apoc." in p.read_text(encoding="utf-8")]
    assert calls == [], calls


def test_a_load_whose_server_goes_away_does_not_say_the_store_is_as_it_was(city, monkeypatch):
    """Neo4j stopped half way through ``graphkit load``: the files written before were committed (one transaction
    per batch) and the undo could not delete them (the server gone), yet the command said 加载失败（Neo4jStore:
    Unable to retrieve routing information — in query: …）；库保持原样 and 未写入任何内容：库保持原样 (exit 2), the
    audit record ``rolled_back``. It now says that the store may hold part of the load and how to finish it."""
    from click.testing import CliRunner

    import graphkit.cli.load as cli_load
    from graphkit.cli import main

    lost = neo4j.exceptions.ServiceUnavailable("Unable to retrieve routing information")
    state = {"writes": 0}

    def fail(query: str) -> Exception | None:
        if "CREATE (" in query and "CONSTRAINT" not in query:
            state["writes"] += 1
        return lost if state["writes"] > 3 else None  # three batches committed, then nothing answers

    store, driver = make_store(fail=fail)
    monkeypatch.setattr(cli_load, "open_store", lambda spec: store)
    monkeypatch.chdir(city.parent)
    r = CliRunner().invoke(main, ["load", str(city), "--store", "neo4j://fake:7687"])
    assert r.exit_code == 2, r.output
    assert any("DELETE" in c.query for c in driver.calls), "the undo was tried"
    assert "库保持原样" not in r.output and "未写入任何内容" not in r.output, r.output
    assert "错误：加载失败（" in r.output, r.output
    assert "命令进行中失去了 neo4j://fake:7687 上的 Neo4j（取不到路由信息）" in r.output, r.output
    partial = "已写入的部分无法撤回：库中可能留有本次加载的一部分；请在库恢复应答后重新加载同样的文件"
    assert partial in r.output, r.output
    assert "库中可能留有本次加载的一部分（无法撤回）" in r.output, r.output
    assert "in query" not in r.output and "lost Neo4j" not in r.output, r.output
    audit = [json.loads(line) for line in (city.parent / "graphkit.audit.jsonl").read_text("utf-8").splitlines()]
    assert audit[-1]["params"]["rolled_back"] is False, audit[-1]


def test_a_file_whose_writes_failed_is_still_in_the_load_report(city):
    """The file whose writes the server failed was taken off the queue before its writes were waited for, so the
    failed load's table left it out: household.csv (3,024 rows read, 24 quarantined) was missing from the table and
    its total while the quarantine listed its rows. Every file read is in the report."""
    from loaders.engine import LoadError, load_dir

    lost = neo4j.exceptions.ServiceUnavailable("Unable to retrieve routing information")
    store, _ = make_store(fail=lambda q: lost if "CREATE (" in q and "CONSTRAINT" not in q else None)
    with pytest.raises(LoadError) as info:
        load_dir(city, store)
    rep = info.value.report
    names = [f.file for f in rep.files]
    # the first file's writes are the ones that failed: it was read (and its rows counted) all the same
    assert names[0] == "household.csv" and rep.files[0].read > 0, names
    assert len(names) == len(set(names)) and all(not f.created for f in rep.files)
    assert {q.file for q in rep.quarantine} <= set(names), names
    assert rep.totals()["read"] == sum(f.read for f in rep.files)
