"""The model library on Neo4j: what :func:`graphkit.rules.run` sends (recording driver), and the
same answers from a real Neo4j (the session's in-process server, ``tests/conftest.py``) as from the
embedded store on the fixture city.

The integration test loads the hand-drawn fixture city (``tests/fixture_city.py``) into the Neo4j
database and needs that database empty (it is a graph of natural keys, so it cannot be told apart
from other data): the session's own server is wiped first; a server named by ``NEO4J_URI`` that holds
data skips the test.
"""

from __future__ import annotations

import pandas as pd
import pytest
from neo4j import RoutingControl
from test_neo4j_store import make_store

from graphkit import rules as models
from graphkit.rules import body_params
from graphkit.stores.base import QUERY_DIR

SPECS = models.catalog()


@pytest.mark.parametrize("spec", SPECS, ids=[m.id for m in SPECS])
def test_neo4j_gets_the_canonical_text_with_every_parameter(spec):
    store, driver = make_store(answers={"//": (models.HIT_COLUMNS, [])})
    hits = models.run(store, spec)
    assert hits.empty and list(hits.columns) == ["model", *models.HIT_COLUMNS]
    # a model in steps (bid_rigging) sends its first step's text, whose rows (none here) it would hand on
    first = (QUERY_DIR / f"{spec.steps[0]}.cypher") if spec.steps else spec.path
    [call] = driver.calls
    assert call.query == first.read_text(encoding="utf-8")  # no override, no rewriting
    assert call.routing == RoutingControl.READ
    assert set(call.params) == (set(spec.params) & body_params(call.query) if spec.steps else set(spec.params))
    for name, value in spec.defaults().items():
        assert call.params.get(name, value) == value


def test_a_model_in_steps_hands_each_step_s_rows_to_the_next():
    """``bid_rigging`` in one query held its screen's hash tables under the rest of it (2.2 GB at a million persons,
    ``bench/models_steps.py``): its steps run one after another, each given the rows of the one before as
    ``$rows`` and the parameters it uses, the model's own query last; every text the canonical one."""
    spec = models.get("bid_rigging")
    pair = {"a": "C1", "b": "C2"}
    signals = {**pair, "signals": 2, "phone": True, "address": True, "person": False, "bid_doc": False}
    texts = [(QUERY_DIR / f"{n}.cypher").read_text(encoding="utf-8") for n in spec.steps]
    texts.append(spec.path.read_text(encoding="utf-8"))
    answers = {
        texts[0]: [pair],
        texts[1]: [{**signals, "bond": False, "agent": False}],
        texts[2]: (models.HIT_COLUMNS, []),
    }
    store, driver = make_store(answers=answers)
    models.run(store, spec, {"min_signals": 2})
    assert [c.query for c in driver.calls] == texts
    assert [set(c.params) for c in driver.calls] == [
        {"min_tenders", "cover_margin", "min_close_share"},
        {"rows", "min_signals"},
        {"rows", "cover_margin", "min_winners"},
    ]
    assert driver.calls[1].params["rows"] == [pair] and driver.calls[1].params["min_signals"] == 2
    assert driver.calls[2].params["rows"] == [{**signals, "bond": False, "agent": False}]


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
            "summary_zh": "概要",
            "sources": ["tenders.csv:2"],
        }
    ] * 2
    store, _ = make_store(answers={"//": (models.HIT_COLUMNS, rows)})
    hits = models.run(store, "single_bid_tender")
    assert len(hits) == 1 and hits.loc[0, "entities"] == ["T1", "U1"]


def test_a_hit_s_collected_records_come_in_one_order_whatever_order_the_store_returns():
    """Ladybug and Neo4j return one card's transactions (collect()) in different orders, so `warnings list`
    and the ledger differed between stores: the roles keep the query's order, the records after them are
    listed by type and key, each once."""
    spec = models.get("fuel_holiday")  # roles: card, vehicle, unit
    assert spec.roles == 3
    heads = (["C1", "V1", "U1"], ["card", "vehicle", "unit"])
    tails = [(["X9", "X2", "X5"], ["txn"] * 3), (["X5", "X9", "X2", "X9"], ["txn"] * 4)]
    got = []
    for ents, types in tails:
        row = {"key": "C1", "level": "red", "entities": heads[0] + ents, "types": heads[1] + types}
        row = {**row, "summary": "s", "summary_zh": "概要", "sources": []}
        store, _ = make_store(answers={"//": (models.HIT_COLUMNS, [row])})
        got.append(models.run(store, spec).loc[0, ["entities", "types"]].tolist())
    assert got[0] == got[1] == [["C1", "V1", "U1", "X2", "X5", "X9"], ["card", "vehicle", "unit"] + ["txn"] * 3]


def test_a_bad_level_is_an_error_naming_the_model():
    rows = [
        {"key": "T1", "level": "purple", "entities": [], "types": [], "summary": "", "summary_zh": "", "sources": []}
    ]
    store, _ = make_store(answers={"//": (models.HIT_COLUMNS, rows)})
    with pytest.raises(models.ModelError, match="single_bid_tender: level must be one of"):
        models.run(store, "single_bid_tender")


def _norm(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits comparable across stores: the entity lists as given, in order (the runner's order is the same on
    every store: roles first, collected records by type and key; `warnings list` shows that order), and the
    summaries word for word, the Chinese one as the English one (each face shows the Chinese first)."""
    out = hits[["key", "level", "summary", "summary_zh", "sources"]].astype(str)
    out["entities"] = [str(list(zip(e, t, strict=True))) for e, t in zip(hits["entities"], hits["types"], strict=True)]
    return out.sort_values("key").reset_index(drop=True)


@pytest.mark.neo4j
def test_every_model_answers_the_same_on_neo4j_and_embedded(city, tmp_path, neo4j_empty):
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.stores.neo4j import Neo4jStore
    from loaders.engine import load_dir

    neo = Neo4jStore.from_env(neo4j_empty.uri)
    try:
        neo.create_schema()
        load_dir(city, neo)
        emb = EmbeddedStore(tmp_path / "g.db")
        emb.create_schema()
        load_dir(city, emb)
        for spec in SPECS:
            a, b = models.run(neo, spec), models.run(emb, spec)
            pd.testing.assert_frame_equal(_norm(a), _norm(b), obj=spec.id)
        # the warnings' evidence links too (links_among a label at a time, ends kept in Python)
        from graphkit.rules import run_all
        from graphkit.rules.ledger import evidence_links

        hits = run_all(emb)[0]
        assert len(hits) > 0
        on_emb, on_neo = evidence_links(emb, hits), evidence_links(neo, hits)
        assert len(on_emb) == len(on_neo) == len(hits) and sum(map(len, on_emb.values())) > 0
        assert on_emb == on_neo
        emb.close()
    finally:
        neo.run("MATCH (n) DETACH DELETE n")
        neo.close()
