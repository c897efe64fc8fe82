"""The embedded (Ladybug) store behind the GraphStore seam."""

from __future__ import annotations

import datetime as dt
import hashlib

import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest
from fixture_city import C1, P1, P2, TABLES, U1
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.model.keys import link_id
from graphkit.stores import StoreError, open_store
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import load_dir


def test_schema_is_idempotent_and_counts_list_everything(store):
    store.create_schema()
    c = store.counts()
    assert set(c["nodes"]) == set(store.model.labels) and set(c["relationships"]) == set(store.model.relationships)
    assert sum(c["nodes"].values()) == 0


def test_upsert_skips_known_ids(store):
    df = pd.DataFrame({"id": ["a", "b"], "name": ["甲", "乙"], "birth_date": [dt.date(1980, 1, 1), None]})
    assert store.upsert_nodes("Person", df) == 2
    assert store.upsert_nodes("Person", pd.DataFrame({"id": ["b", "c"], "name": ["乙", "丙"]})) == 1
    assert store.counts()["nodes"]["Person"] == 3
    e = pd.DataFrame({"from": ["a"], "to": ["b"], "id": ["FAMILY|a|b"], "relationship": ["spouse"]})
    assert store.upsert_edges("FAMILY", "Person", "Person", e) == 1
    assert store.upsert_edges("FAMILY", "Person", "Person", e) == 0
    # the natural key is stored as its 64-bit id; giving that id instead is the same link
    assert store.rows("MATCH ()-[r:FAMILY]->() RETURN r.id") == [(link_id("FAMILY|a|b"),)]
    assert store.upsert_edges("FAMILY", "Person", "Person", e.assign(id=[link_id("FAMILY|a|b")])) == 0


def test_a_store_with_string_relationship_ids_must_be_rebuilt(tmp_path):
    """Before relationship ids were hashed, stores kept the key string: such a store says to rebuild it."""
    with EmbeddedStore(tmp_path / "old.db") as old:
        for statement in old.model.embedded_ddl():
            old.run(
                statement.replace("id INT64", "id STRING") if "TABLE IF NOT EXISTS FAMILY(" in statement else statement
            )
        old.upsert_nodes("Person", pd.DataFrame({"id": ["a", "b"]}))
        old.run("MATCH (a:Person {id: 'a'}), (b:Person {id: 'b'}) CREATE (a)-[:FAMILY {id: 'FAMILY|a|b'}]->(b)")
        with pytest.raises(StoreError, match="relationship ids of FAMILY are string.*rebuild it"):
            old.upsert_edges("FAMILY", "Person", "Person", pd.DataFrame({"from": ["b"], "to": ["a"], "id": ["x"]}))


def test_seam_refuses_what_the_model_does_not_declare(store):
    with pytest.raises(Exception, match="does not join"):
        store.upsert_edges("FAMILY", "Person", "Company", pd.DataFrame({"from": [], "to": [], "id": []}))
    with pytest.raises(StoreError, match="not properties"):
        store.upsert_nodes("Person", pd.DataFrame({"id": ["x"], "shoe_size": [42]}))
    with pytest.raises(StoreError, match="in query"):
        store.run("MATCH (n:Nope) RETURN n")


def test_subgraph_is_a_multidigraph_with_labels_and_provenance(loaded_city):
    store = loaded_city[1]
    g = store.subgraph([P1, P2, C1, U1, "T1"])
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes[P1]["label"] == "Person" and g.nodes[P1]["name"] == "张伟"
    types = sorted(d["type"] for _, _, d in g.edges(data=True))
    assert types == ["EMPLOYED_BY", "FAMILY", "ISSUED_BY", "LEGAL_REP_OF", "SHAREHOLDER_OF", "WON"]
    assert all(d["src_file"].endswith(".csv") and d["src_row"] >= 2 for _, _, d in g.edges(data=True))
    g1 = store.subgraph([P1], hops=1)
    assert set(g1.nodes) >= {P1, P2, U1}
    assert len(store.subgraph([])) == 0


def test_subgraph_order_is_the_asked_ids_and_the_model(loaded_city):
    """What a drawing or a file is made of comes in one order on every store: nodes as asked (then each hop's
    new neighbours by key), links by their ends' places, properties as the model declares them. The store gave
    its own order (a tender before the person asked first, a tender's src_file before its title; Neo4j any), so
    the same path's hover texts read differently on the two stores."""
    store = loaded_city[1]
    asked = [P1, P2, C1, U1, "T1"]
    g = store.subgraph(asked)
    assert list(g) == asked
    for v, a in g.nodes(data=True):
        declared = [p for p in store.model.labels[a["label"]].all_properties if p in a]
        assert list(a) == ["label", *declared], (v, list(a))
    place = {v: i for i, v in enumerate(asked)}
    ends = [(place[u], place[v], a["type"]) for u, v, a in g.edges(data=True)]
    assert ends == sorted(ends), ends
    for *_, a in g.edges(data=True):
        declared = [p for p in store.model.relationships[a["type"]].all_properties if p in a]
        assert list(a) == ["type", *declared], list(a)
    g1 = store.subgraph([C1], hops=1)
    assert list(g1)[0] == C1 and list(g1)[1:] == sorted(list(g1)[1:])


def _whole_store_rows(store, ids):
    """The subgraph's rows as the whole-store reading gives them (the definition): every node table asked for
    the ids, every relationship tested at both ends."""
    nodes = [
        {**{k: v for k, v in n.items() if not k.startswith("_") and v is not None}, "label": n["_LABEL"]}
        for n in store.run("MATCH (n) WHERE n.id IN $ids RETURN n", ids=ids)["n"]
    ]
    res = store.run("MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids RETURN a.id AS s, b.id AS t, r", ids=ids)
    edges = [
        {**{k: v for k, v in r.items() if not k.startswith("_") and v is not None}, "type": r["_LABEL"]}
        | {"source": s, "target": t}
        for s, t, r in res[["s", "t", "r"]].itertuples(index=False, name=None)
    ]
    return nodes, edges


def test_subgraph_reads_its_nodes_by_key_and_the_links_out_of_them_not_every_table(loaded_city, monkeypatch):
    """``collusion score`` draws its riskiest communities (communities.graphml) from ``store.subgraph``: on the
    embedded store it asked every node table for the ids and tested every relationship of the store at both ends
    (``MATCH (n) WHERE n.id IN $ids``, ``MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids``), most of a
    minute at a million persons. Each query now starts at a labelled node looked up by key; the same nodes and
    links as that whole-store reading, for any set of ids. So do a neighbourhood's (``subgraph(hops=1)``, a
    warning's evidence): the same neighbours as ``MATCH (a)-[]-(b) WHERE a.id IN $ids``."""
    import random
    import re

    from graphkit.stores import embedded

    store = loaded_city[1]
    every = sorted(store.run("MATCH (n) RETURN n.id AS id")["id"])
    sent: list[str] = []
    framed: list[str] = []
    for hook, into in (("_execute", framed), ("_rows", sent)):  # run() and rows()
        real = getattr(store, hook)
        monkeypatch.setattr(store, hook, lambda q, p, real=real, into=into: into.append(q) or real(q, p))
    assert len(store.subgraph([P1, P2, C1, U1, "T1"]).edges) == 6  # the six of the test above
    # and a neighbourhood (a warning's evidence: hops=1), which asked ``MATCH (a)-[]-(b) WHERE a.id IN $ids``
    assert set(store.subgraph([P1], hops=1)) >= {P1, P2, U1}
    assert sent and not [q for q in sent if re.search(r"MATCH \(\w+\)", q)], sent
    # each label's lookup a light rows() read: through run() (a DataFrame and every thread for each of the model's
    # labels) it was most of a warning's evidence once the neighbourhood no longer scanned the store
    assert framed == [], framed
    monkeypatch.undo()

    def canon(rows):
        return sorted(repr(sorted(r.items())) for r in rows)

    rng = random.Random(7)
    for by_key in (embedded.SUBGRAPH_BY_KEY, 2):  # a node at a time, and a label's links in one pass
        monkeypatch.setattr(embedded, "SUBGRAPH_BY_KEY", by_key)
        for asked in [[P1], [P1, P2, C1, U1, "T1", "nowhere"], every, *(rng.sample(every, k) for k in (3, 10, 30))]:
            nodes, edges = store._subgraph_rows(asked)
            want_nodes, want_edges = _whole_store_rows(store, asked)
            assert len(nodes) == len(want_nodes) and canon(nodes) == canon(want_nodes)
            assert len(edges) == len(want_edges) and canon(edges) == canon(want_edges)
            whole = store.run("MATCH (a)-[]-(b) WHERE a.id IN $ids RETURN DISTINCT b.id AS id", ids=asked)["id"]
            assert store._neighbours(asked) == sorted(whole)
    assert len(_whole_store_rows(store, every)[1]) > 10  # the fixture has links to compare


def test_backup_writes_every_table(loaded_city, tmp_path):
    store = loaded_city[1]
    files = store.backup(tmp_path / "bak")
    assert len(files) == len(store.model.labels) + len(store.model.relationships)
    assert pq.read_table(tmp_path / "bak" / "Person.parquet").num_rows == len(TABLES["household"])
    assert pq.read_table(tmp_path / "bak" / "SHAREHOLDER_OF.parquet").num_rows == 2


def test_open_store_specs(tmp_path):
    s = open_store(f"embedded:{tmp_path / 'x.db'}")
    assert isinstance(s, EmbeddedStore)
    s.close()
    with pytest.raises(ValueError, match="embedded:PATH"):
        open_store("sqlite:///x")


names = st.text(alphabet="张王李赵刘陈杨黄伟娜强敏芳", min_size=1, max_size=4)
people = st.lists(
    st.tuples(
        st.text("0123456789", min_size=6, max_size=6),
        names,
        st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2020, 1, 1))),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda t: t[0],
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=people, split=st.integers(0, 30))
def test_load_then_read_back_is_identity_whatever_the_batches(tmp_path_factory, rows, split):
    df = pd.DataFrame(rows, columns=["id", "name", "birth_date"])
    with EmbeddedStore(tmp_path_factory.mktemp("h") / "g.db") as s:
        s.create_schema()
        k = split % (len(df) + 1)
        n = s.upsert_nodes("Person", df.iloc[:k]) + s.upsert_nodes("Person", df.iloc[k:]) + s.upsert_nodes("Person", df)
        assert n == len(df)
        back = s.run("MATCH (p:Person) RETURN p.id AS id, p.name AS name, p.birth_date AS birth_date ORDER BY id")
    exp = df.sort_values("id").reset_index(drop=True)
    assert back["id"].tolist() == exp["id"].tolist() and back["name"].tolist() == exp["name"].tolist()
    got = [None if pd.isna(x) else pd.Timestamp(x).date() for x in back["birth_date"]]
    assert got == exp["birth_date"].tolist()


def test_copy_of_many_chinese_keys_does_not_hang(tmp_path):
    """Ladybug 0.22 hangs on a multi-threaded COPY of ~300k non-ASCII primary keys; the store
    copies those single-threaded.  Run in a child process so a hang fails instead of stalling."""
    import subprocess
    import sys

    code = f"""
import pandas as pd
from graphkit.stores.embedded import EmbeddedStore
keys = [f"苏州市姑苏区人民路{{i}}号{{i % 97}}室" for i in range(300_000)]
with EmbeddedStore({str(tmp_path / "zh.db")!r}) as s:
    s.create_schema()
    print(s.upsert_nodes("Address", pd.DataFrame({{"id": keys, "full": keys}})))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "300000"


@pytest.mark.slow  # 1.2 million rows; python bench/load.py loads 1 million persons
def test_a_bulk_session_checkpoints_before_the_buffer_pool_fills(tmp_path):
    """With checkpoints deferred, written pages stay in the buffer pool: a 256 MiB pool holds about
    800,000 new Person rows before Ladybug refuses to allocate; the session checkpoints on the way."""
    import pyarrow as pa

    with EmbeddedStore(tmp_path / "g.db", buffer_pool_size=256 << 20) as s:
        s.create_schema()
        with s.bulk():
            for b in range(12):
                ids = [f"{b:03d}{i:015d}" for i in range(100_000)]
                assert s.upsert_nodes("Person", pa.table({"id": ids, "name": ids})) == len(ids)
        assert s.count("Person") == 1_200_000


def test_an_analytic_read_gives_its_memory_back_to_the_next_query(tmp_path):
    """Ladybug 0.22's connection keeps every statement it prepared for a query with parameters, and each keeps
    what its last run allocated: ``graphkit models run`` at a million persons held its 23 models' runs at once
    (12 GB, killed by the kernel). A read through run() now lets its statement go: forty different sorts of
    50,000 rows fit in a 64 MiB pool, where the eighteenth had found the pool full."""
    n = 50_000
    with EmbeddedStore(tmp_path / "g.db", buffer_pool_size=64 << 20) as s:
        s.create_schema()
        ids = [f"p{i:07d}" for i in range(n)]
        names = [f"name {i % 977} {i}" for i in range(n)]
        s.upsert_nodes("Person", pd.DataFrame({"id": ids, "name": names}))
        top = sorted(names, reverse=True)
        for i in range(40):  # a text of its own each time, as each model is
            q = f"MATCH (a:Person) WHERE a.name <> $x RETURN a.id, a.name AS name ORDER BY name DESC LIMIT {i + 1}"
            df = s.run(q, {"x": "nobody"})
            assert df["name"].tolist() == top[: i + 1]
        # a one-off read of a long list lets go too; the hot paths' small statements stay prepared
        cache = s._conn._pybind_implicit_prepared_cache  # Ladybug 0.22's (graphkit.stores.embedded._prepared)
        small = "UNWIND $ids AS x MATCH (a:Person {id: x}) RETURN a.id AS id"
        assert s.rows(small, ids=ids[:3]) == [(k,) for k in ids[:3]]
        assert len(cache) == 1
        assert len(s.rows(small + " ORDER BY id", ids=ids[:5000])) == 5000
        assert len(cache) == 1
        s.run(small, {"ids": ids[:3]})  # the same text through run(): prepared before, kept
        assert len(cache) == 1


def test_a_store_built_by_an_older_model_gains_the_new_columns(tmp_path, city):
    """A store built before the model declared a property (here: Vehicle.name and FAMILY's FtM block, dropped
    again to stand for an older build) is read and loaded by the new model: opening it adds the columns, empty
    in the rows already there, and says what it added; a store its user cannot write says what is missing."""
    import os
    import stat

    from graphkit.stores.embedded import _added

    db = tmp_path / "old.db"
    s = EmbeddedStore(db)
    s.create_schema()
    load_dir(city, s)
    for stmt in ("ALTER TABLE Vehicle DROP name", "ALTER TABLE FAMILY DROP ftm_schema"):
        s.run(stmt)
    before = s.counts()
    s.close()
    r = EmbeddedStore(db, read_only=True)
    try:
        assert [_added(a) for a in r.upgraded] == ["Vehicle.name", "FAMILY.ftm_schema"]
        assert r.counts() == before
        assert r.run("MATCH (v:Vehicle) WHERE v.name IS NOT NULL RETURN count(v) AS n")["n"].iloc[0] == 0
    finally:
        r.close()
    r = EmbeddedStore(db, read_only=True)  # upgraded once: nothing more to add
    assert r.upgraded == []
    r.close()
    s = EmbeddedStore(db)
    s.run("ALTER TABLE Vehicle DROP name")
    s.close()
    mode = db.stat().st_mode
    if os.geteuid() != 0:  # root writes whatever the mode says
        db.chmod(stat.S_IRUSR)
        try:
            with pytest.raises(StoreError, match=r"older graphkit.*Vehicle\.name.*cannot write"):
                EmbeddedStore(db, read_only=True)
        finally:
            db.chmod(mode)


def test_a_viewer_does_not_upgrade_an_older_store_but_is_told_who_can(tmp_path, city):
    """A viewer's `rank` (GRAPHKIT_ROLE=viewer) added the new model's columns to a store built by an older
    graphkit: a read-only role changed the store's file. Now it is refused, saying what is missing and who can
    add it, and the file is not touched; the analyst's read upgrades it as before."""
    from click.testing import CliRunner

    from graphkit.cli import main

    db = tmp_path / "old.db"
    s = EmbeddedStore(db)
    s.create_schema()
    load_dir(city, s)
    s.run("ALTER TABLE Vehicle DROP name")
    s.close()
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    r = CliRunner(env={"GRAPHKIT_ROLE": "viewer"}).invoke(main, ["stats", "--store", f"embedded:{db}"])
    assert r.exit_code == 1, r.output
    assert "由较早版本的 graphkit 建成" in r.output and "Vehicle.name" in r.output
    assert "只读用户不改动库" in r.output and f"graphkit stats --store embedded:{db}" in r.output
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    r = CliRunner().invoke(main, ["stats", "--store", f"embedded:{db}"])
    assert r.exit_code == 0 and "已补上模型后来声明的部分（Vehicle.name" in r.output, r.output
