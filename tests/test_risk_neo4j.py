"""Risk queries on Neo4j: the canonical text is what Neo4j gets (recording driver), and, when ``NEO4J_URI``
is set, the same features from a real Neo4j as from the embedded store on the fixture city."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from neo4j import RoutingControl
from test_neo4j_store import make_store

from graphkit.risk.features import unit_features
from graphkit.risk.tables import QUERIES, read_tables
from graphkit.stores.base import QUERY_DIR


@pytest.mark.parametrize("name", QUERIES)
def test_neo4j_gets_the_canonical_risk_query(name):
    store, driver = make_store(answers={"//": ([], [])})
    store.query(f"risk/{name}")
    [call] = driver.calls
    assert call.query == (QUERY_DIR / "risk" / f"{name}.cypher").read_text(encoding="utf-8")
    assert call.routing == RoutingControl.READ


@pytest.mark.neo4j
@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI not set")
def test_unit_features_are_the_same_on_neo4j_and_embedded(city, tmp_path):
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.stores.neo4j import Neo4jStore
    from loaders.engine import load_dir

    neo = Neo4jStore.from_env(os.environ["NEO4J_URI"])
    try:
        if neo.run("MATCH (n) RETURN count(n) AS n")["n"].iloc[0]:
            pytest.skip("the Neo4j database is not empty; this test loads the fixture city into it")
        neo.create_schema()
        load_dir(city, neo)
        emb = EmbeddedStore(tmp_path / "g.db")
        emb.create_schema()
        load_dir(city, emb)
        a = unit_features(read_tables(neo)).sort_index()
        b = unit_features(read_tables(emb)).sort_index()
        emb.close()
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False)
    finally:
        neo.run("MATCH (n) DETACH DELETE n")
        neo.close()
