"""Neo4jStore against a real Neo4j 5: the in-process server the test session starts
(``tools/neo4j/run.sh``, see ``tests/conftest.py``), or the one at ``NEO4J_URI`` when set:

    NEO4J_URI=neo4j://localhost:7687 NEO4J_PASSWORD=… pytest -m neo4j

Every id created here starts with a per-run prefix and is deleted at the end
(``DETACH DELETE``), so the tests can run against a database holding other
data; counts are compared as differences from a baseline.  The constraints and
indexes of ``create_schema`` are the model's own and are left in place.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from types import SimpleNamespace

import pandas as pd
import pytest

from graphkit.model.keys import link_id
from graphkit.stores import base
from graphkit.stores.base import StoreError
from graphkit.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

PREFIX = f"gk-it-{uuid.uuid4().hex[:10]}-"


def _id(name: str) -> str:
    return PREFIX + name


PEOPLE = pd.DataFrame(
    {
        "id": [_id("p1"), _id("p2"), _id("p3"), _id("p4"), _id("p5")],
        "name": ["张伟", "王芳", "李娜", "刘洋", "陈静"],
        "birth_date": pd.Series(
            [dt.date(1970, 1, 2), dt.date(1972, 3, 4), None, dt.date(1980, 5, 6), None], dtype=object
        ),
        "gender": ["男", "女", None, "男", "女"],
    }
)
COMPANIES = pd.DataFrame(
    {
        "id": [_id("c1"), _id("c2")],
        "name": ["甲建设有限公司", "乙贸易有限公司"],
        "registered_capital": [1_000_000.0, None],
    }
)
FAMILY = pd.DataFrame(
    {
        "id": [_id("f1"), _id("f2")],
        "from": [_id("p1"), _id("p3")],
        "to": [_id("p2"), _id("p4")],
        "relationship": ["spouse", "sibling"],
    }
)
EMPLOYED = pd.DataFrame(
    {
        "id": [_id("e1"), _id("e2"), _id("e3")],
        "from": [_id("p2"), _id("p4"), _id("p5")],
        "to": [_id("c1"), _id("c1"), _id("c2")],
        "post": ["经理", None, "会计"],
        "start_date": pd.Series([dt.date(2015, 7, 1), None, dt.date(2019, 1, 1)], dtype=object),
    }
)


def _load(store: Neo4jStore) -> list[int]:
    return [
        store.upsert_nodes("Person", PEOPLE),
        store.upsert_nodes("Company", COMPANIES),
        store.upsert_edges("FAMILY", "Person", "Person", FAMILY),
        store.upsert_edges("EMPLOYED_BY", "Person", "Company", EMPLOYED),
    ]


def _delta(after: dict, before: dict) -> dict:
    return {
        kind: {k: after[kind][k] - before[kind][k] for k in after[kind] if after[kind][k] != before[kind][k]}
        for kind in after
    }


@pytest.fixture(scope="module")
def store(neo4j_server):
    s = Neo4jStore.from_env(neo4j_server.uri, batch_size=2)  # small batches: several transactions
    try:
        s.create_schema()
        s.create_schema()  # idempotent
        yield s
    finally:
        try:
            s.run("MATCH (n) WHERE n.id STARTS WITH $prefix DETACH DELETE n", prefix=PREFIX)
        finally:
            s.close()


@pytest.fixture(scope="module")
def loaded(store):
    before = store.counts()
    first = _load(store)
    return before, first, store.counts()


def test_the_sessions_own_server_registers_no_apoc_procedure(neo4j_server):
    """The session's server started with APOC's procedures, registered at every start (CPU of each start) for no
    query that calls one (``test_neo4j_store.test_graphkit_calls_no_apoc_procedure``)."""
    if not neo4j_server.owned:
        pytest.skip(f"{neo4j_server.uri} is not this session's server: it has the plugins its team gave it")
    with neo4j_server.driver() as d:
        found = d.execute_query(
            "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc.' RETURN count(*) AS n", database_="neo4j"
        ).records[0]["n"]
    assert found == 0, found


def test_schema_constraints_and_indexes_exist(store):
    constraints = set(store.run("SHOW CONSTRAINTS YIELD name RETURN name")["name"])
    indexes = set(store.run("SHOW INDEXES YIELD name RETURN name")["name"])
    assert {"person_id", "company_id"} <= constraints
    assert {"person_name", "rel_family_id", "rel_employed_by_id"} <= indexes


def test_a_load_writes_every_row_once(loaded):
    before, first, after = loaded
    assert first == [5, 2, 2, 3]
    assert _delta(after, before) == {
        "nodes": {"Person": 5, "Company": 2},
        "relationships": {"FAMILY": 2, "EMPLOYED_BY": 3},
    }


def test_loading_again_changes_nothing(store, loaded):
    _, _, after = loaded
    assert _load(store) == [0, 0, 0, 0]
    assert store.counts() == after
    # write="merge": the MERGE statements themselves are idempotent, even past the id filter
    merging = Neo4jStore.from_env(store.uri, write="merge", batch_size=2)
    try:
        merging._bulk_nodes("Person", merging._conform("Person", PEOPLE))
        merging._bulk_edges("FAMILY", "Person", "Person", merging._conform("FAMILY", FAMILY, edge=True))
    finally:
        merging.close()
    assert store.counts() == after
    # write="create" (the default): a node CREATEd past the filter is refused by the id constraint, whole batch
    with pytest.raises(StoreError, match="already exists with label `Person`"):
        store._bulk_nodes("Person", store._conform("Person", PEOPLE))
    assert store.counts() == after


def test_subgraph_reads_back_what_was_loaded(store, loaded):
    ids = PEOPLE["id"].tolist() + COMPANIES["id"].tolist()
    g = store.subgraph(ids)
    assert sorted(g.nodes) == sorted(ids)
    assert g.number_of_edges() == len(FAMILY) + len(EMPLOYED)
    assert g.nodes[_id("p1")] == {"label": "Person", "name": "张伟", "birth_date": dt.date(1970, 1, 2), "gender": "男"}
    assert g.nodes[_id("p3")] == {"label": "Person", "name": "李娜"}  # nulls were not stored
    assert g.nodes[_id("c1")] == {"label": "Company", "name": "甲建设有限公司", "registered_capital": 1_000_000.0}
    # relationship ids are the 64-bit link_id of the natural key (graphkit/model/keys.py)
    e1 = g.get_edge_data(_id("p2"), _id("c1"), key=link_id(_id("e1")))
    assert e1 == {"id": link_id(_id("e1")), "type": "EMPLOYED_BY", "post": "经理", "start_date": dt.date(2015, 7, 1)}
    f2 = g.get_edge_data(_id("p3"), _id("p4"), key=link_id(_id("f2")))
    assert f2 == {"id": link_id(_id("f2")), "type": "FAMILY", "relationship": "sibling"}


def test_subgraph_properties_come_in_the_model_order(store, loaded):
    """Neo4j's ``properties(n)`` has no order of its own: a hover text listed a person's birth date before
    the name here and after it on the embedded store. The seam puts them in the model's order, nodes as asked."""
    ids = [_id("p3"), _id("c1"), _id("p1"), _id("p2")]
    g = store.subgraph(ids)
    assert list(g) == ids
    assert list(g.nodes[_id("p1")]) == ["label", "name", "birth_date", "gender"]
    e1 = g.get_edge_data(_id("p2"), _id("c1"), key=link_id(_id("e1")))
    assert list(e1) == ["type", "id", "post", "start_date"]


def test_subgraph_hops_reach_neighbours(store, loaded):
    g = store.subgraph([_id("p2")], hops=1)
    assert sorted(g.nodes) == sorted([_id("p2"), _id("p1"), _id("c1")])
    assert g.number_of_edges() == 2


def test_query_file_round_trip(store, loaded, tmp_path, monkeypatch):
    monkeypatch.setattr(base, "QUERY_DIR", tmp_path)
    (tmp_path / "colleagues.cypher").write_text(
        "// name: colleagues\n// mode: read\n// params: company: string\n// returns: id\n"
        "MATCH (p:Person)-[:EMPLOYED_BY]->(c:Company {id: $company})\nRETURN p.id AS id ORDER BY id\n",
        encoding="utf-8",
    )
    df = store.query("colleagues", company=_id("c1"))
    assert df["id"].tolist() == [_id("p2"), _id("p4")]
    # a NAME.neo4j.cypher override wins over NAME.cypher
    (tmp_path / "colleagues.neo4j.cypher").write_text(
        "// mode: read\nMATCH (p:Person)-[:EMPLOYED_BY]->(:Company {id: $company})\nRETURN count(p) AS n\n",
        encoding="utf-8",
    )
    assert store.query("colleagues", {"company": _id("c1")})["n"].tolist() == [2]


def test_temporal_values_come_back_as_python_values(store):
    q = "RETURN date('2020-02-29') AS d, localdatetime('2021-03-04T05:06:07') AS t, 1 AS one"
    assert store.rows(q) == [(dt.date(2020, 2, 29), dt.datetime(2021, 3, 4, 5, 6, 7), 1)]
    df = store.run(q)  # frames: dates and datetimes as datetime64[us], as the embedded store gives them
    assert df.dtypes.astype(str).to_dict() == {"d": "datetime64[us]", "t": "datetime64[us]", "one": "int64"}
    assert df.to_dict("records") == [{"d": pd.Timestamp(2020, 2, 29), "t": pd.Timestamp(2021, 3, 4, 5, 6, 7), "one": 1}]


def test_edges_to_missing_nodes_are_reported(store, loaded):
    orphan = pd.DataFrame({"id": [_id("f-orphan")], "from": [_id("p1")], "to": [_id("nobody")]})
    with pytest.raises(StoreError, match="endpoint node is missing"):
        store.upsert_edges("FAMILY", "Person", "Person", orphan)


def test_a_missing_property_logs_no_notification(store, caplog):
    """Neo4j warns of a property key no node has (01N52); the store asks for no notifications, so none is
    logged (the driver logged each one as a WARNING on stderr, 40 lines per ``path --simple``)."""
    with caplog.at_level(logging.INFO):
        store.run("MATCH (p:Person) WHERE p.no_such_property_anywhere = true RETURN p.id AS id LIMIT 1")
    assert [r for r in caplog.records if r.name.startswith("neo4j") and r.levelno >= logging.WARNING] == []


def test_server_errors_are_wrapped(store):
    with pytest.raises(StoreError, match="in query: MATCH \\(n RETURN n"):
        store.run("MATCH (n RETURN n")


# ------------------------------------------------------------------ a server that stops answering
#: a read that runs for minutes on any server: ten billion rows of a cartesian product, counted
SLOW = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*) AS n"


def test_a_query_past_the_query_timeout_is_ended_by_the_server_in_one_sentence(neo4j_server, monkeypatch):
    """Once the session was open nothing bounded a statement (the connection timeout bounds the handshake): a
    read that ran for minutes held the command for minutes. Every statement now carries the transaction timeout
    ``NEO4J_QUERY_TIMEOUT`` (``neo4j.Query(timeout=…)``): the server ends it, and the store says so in one
    sentence naming the address (English in the store, Chinese on the console by default), never the password; the
    store keeps working."""
    import time

    from graphkit.rules.words import refusal_zh
    from graphkit.stores import StoreUnavailable, open_store

    monkeypatch.setenv("NEO4J_QUERY_TIMEOUT", "1")
    store = open_store(neo4j_server.uri, read_only=True)
    try:
        t0 = time.perf_counter()
        with pytest.raises(StoreUnavailable) as err:
            store.run(SLOW)
        assert time.perf_counter() - t0 < 11  # the server ended it (the store's own wait is 1 + 10 s)
        said = str(err.value)
        assert said.startswith(f"Neo4j at {neo4j_server.uri} did not finish the query in 1 s"), said
        assert refusal_zh(said).startswith(f"{neo4j_server.uri} 上的 Neo4j 在 1 秒内没有答完查询，服务器已中止它"), said
        assert "NEO4J_QUERY_TIMEOUT" in said and "\n" not in said
        assert not neo4j_server.password or neo4j_server.password not in said
        assert store.rows("RETURN 1 AS one") == [(1,)]
    finally:
        store.close()


@pytest.fixture
def stalling_proxy(neo4j_server):
    """A TCP proxy to the session's Neo4j (``bolt://127.0.0.1:PORT``, direct: no routing table sends the driver
    around it) that forwards the handshake, the login and ``RETURN 1``, and goes silent, the connection held
    open, from the first message that holds ``MATCH``: a server that hangs after the session opened. Its
    ``stalled`` event is set when that message arrived."""
    import socket
    import threading
    from urllib.parse import urlsplit

    target = urlsplit(neo4j_server.uri)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    any_stalled = threading.Event()

    def pipe(src: socket.socket, dst: socket.socket, stalled: threading.Event, watch: bool) -> None:
        try:
            while data := src.recv(65536):
                if watch and b"MATCH" in data:
                    stalled.set()
                    any_stalled.set()
                if stalled.is_set():
                    continue  # swallowed: nothing more reaches either end
                dst.sendall(data)
        except OSError:
            return

    def accept() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed at the end of the test
                return
            server = socket.create_connection((target.hostname, target.port))
            held.extend((client, server))
            stalled = threading.Event()
            threading.Thread(target=pipe, args=(client, server, stalled, True), daemon=True).start()
            threading.Thread(target=pipe, args=(server, client, stalled, False), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield SimpleNamespace(uri=f"bolt://127.0.0.1:{listener.getsockname()[1]}", stalled=any_stalled)
    listener.close()
    for s in held:
        s.close()


def test_a_server_that_stops_answering_mid_command_ends_the_command(stalling_proxy, neo4j_server, tmp_path):
    """A server that answered the handshake and then hung held ``graphkit stats`` forever: the driver waits on its
    socket with no timeout. The store stops waiting ``NEO4J_QUERY_TIMEOUT`` + 10 s after it sent the statement, and
    the command exits 1 with one Chinese sentence naming the address (never the password), no traceback."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    env = {**os.environ, "NEO4J_QUERY_TIMEOUT": "1", "GRAPHKIT_AUDIT": str(tmp_path / "audit.jsonl")}
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "graphkit", "stats", "--store", stalling_proxy.uri],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        timeout=90,
    )
    took = time.perf_counter() - t0
    assert r.returncode == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"错误：{stalling_proxy.uri} 上的 Neo4j 在 11 秒内没有应答，已放弃这条查询"), r.stderr
    assert "NEO4J_QUERY_TIMEOUT" in lines[0] and r.stdout == ""
    assert not neo4j_server.password or neo4j_server.password not in r.stderr
    assert 11 <= took < 60, took


@pytest.mark.usefixtures("ctrl_c_as_at_a_terminal")  # the command gets SIGINT as from a terminal
def test_ctrl_c_on_a_server_that_stopped_answering_ends_the_command(stalling_proxy, neo4j_server, tmp_path):
    """Ctrl-C while ``graphkit stats`` waits on a server that hung after the handshake: the command ends at once with
    one line and exit code 130 (closing the driver waited on the connection the hung statement still held)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    env = {**os.environ, "NEO4J_QUERY_TIMEOUT": "120", "GRAPHKIT_AUDIT": str(tmp_path / "audit.jsonl")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphkit", "stats", "--store", stalling_proxy.uri],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        env=env,
    )
    try:
        # the session opened, the statement sent, no answer: waited for, not slept on (a fixed 8 s sent the Ctrl-C
        # before the statement on a loaded machine: CI, 2026-12-07), then a moment for the driver to wait on it
        assert stalling_proxy.stalled.wait(120), "the command never sent its statement"
        time.sleep(0.5)
        assert proc.poll() is None
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:  # never left running: its pipes and the proxy's sockets, left open, failed later tests' warnings checks
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    took = time.perf_counter() - t0
    assert proc.returncode == 130, err
    last = err.strip().splitlines()[-1]
    assert last == "已中断（Ctrl-C）：没有改动也没有写出任何东西：库、台账和审计日志都和之前一样", err
    assert "Traceback" not in err and took < 10, (took, err)
