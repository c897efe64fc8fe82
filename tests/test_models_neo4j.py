"""The model library on Neo4j: what :func:`graphkit.rules.run` sends (recording driver), and, when
``NEO4J_URI`` is set, the same answers from a real Neo4j as from the embedded store on the fixture city.

The integration test loads the hand-drawn fixture city (``tests/fixture_city.py``) into the Neo4j
database and needs that database empty (it is a graph of natural keys, so it cannot be told apart
from other data); it reports itself skipped otherwise.
"""

from __future__ import annotations

import os

import pandas as pd
import pytest
from neo4j import RoutingControl
from test_neo4j_store import make_store

from graphkit import rules as models

SPECS = models.catalog()


@pytest.mark.parametrize("spec", SPECS, ids=[m.id for m in SPECS])
def test_neo4j_gets_the_canonical_text_with_every_parameter(spec):
    store, driver = make_store(answers={"//": (models.HIT_COLUMNS, [])})
    hits = models.run(store, spec)
    assert hits.empty and list(hits.columns) == ["model", *models.HIT_COLUMNS]
    [call] = driver.calls
    assert call.query == spec.path.read_text(encoding="utf-8")  # no override, no rewriting
    assert call.routing == RoutingControl.READ
    assert set(call.params) == set(spec.params)
    for name, value in spec.defaults().items():
        assert call.params[name] == value


def test_parameters_given_override_the_defaults():
    spec = models.get("single_bid_tender")
    store, driver = make_store(answers={"//": (models.HIT_COLUMNS, [])})
    models.run(store, spec, {"big_budget": 5})
    assert driver.calls[0].params["big_budget"] == 5
    assert driver.calls[0].params["methods"] == spec.defaults()["methods"]


def test_hits_are_normalised_and_deduplicated_by_key():
    rows = [
        {
            "key": "T1",
            "level": "red",
            "entities": ["T1", "U1"],
            "types": ["tender", "unit"],
            "summary": "s",
            "sources": ["tenders.csv:2"],
        }
    ] * 2
    store, _ = make_store(answers={"//": (models.HIT_COLUMNS, rows)})
    hits = models.run(store, "single_bid_tender")
    assert len(hits) == 1 and hits.loc[0, "entities"] == ["T1", "U1"]


def test_a_bad_level_is_an_error_naming_the_model():
    rows = [{"key": "T1", "level": "purple", "entities": [], "types": [], "summary": "", "sources": []}]
    store, _ = make_store(answers={"//": (models.HIT_COLUMNS, rows)})
    with pytest.raises(models.ModelError, match="single_bid_tender: level must be one of"):
        models.run(store, "single_bid_tender")


def _norm(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits comparable across stores: entity lists as sorted (key, type) pairs (collect() order is undefined)."""
    out = hits[["key", "level", "sources"]].astype(str)
    out["entities"] = [
        str(sorted(zip(e, t, strict=True))) for e, t in zip(hits["entities"], hits["types"], strict=True)
    ]
    return out.sort_values("key").reset_index(drop=True)


@pytest.mark.neo4j
@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI not set")
def test_every_model_answers_the_same_on_neo4j_and_embedded(city, tmp_path):
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
        for spec in SPECS:
            a, b = models.run(neo, spec), models.run(emb, spec)
            pd.testing.assert_frame_equal(_norm(a), _norm(b), obj=spec.id)
        emb.close()
    finally:
        neo.run("MATCH (n) DETACH DELETE n")
        neo.close()
