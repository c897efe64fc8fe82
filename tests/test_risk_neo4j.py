"""Risk queries on Neo4j: the canonical text is what Neo4j gets (recording driver), and on a real Neo4j (the
session's, ``tests/conftest.py``) the same tables, features and scores as from the embedded store on the fixture
city. (The ranking, portraits and case exports on the 10,000-person city: ``tests/test_parity_neo4j.py``.)"""

from __future__ import annotations

import pandas as pd
import pytest
from neo4j import RoutingControl
from test_neo4j_store import make_store

from graphkit.risk.features import GraphFeatures
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
def test_tables_and_features_are_the_same_on_neo4j_and_embedded(city, tmp_path, neo4j_empty):
    """Same rows in the same order with the same dtypes (dates as datetime64 from both), so every feature
    and every score is the same to the last bit."""
    from graphkit.risk.scorer import AnomalyScorer
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.stores.neo4j import Neo4jStore
    from loaders.engine import load_dir

    neo = Neo4jStore.from_env(neo4j_empty.uri)
    try:
        neo.create_schema()
        load_dir(city, neo)
        with EmbeddedStore(tmp_path / "g.db") as emb:
            emb.create_schema()
            load_dir(city, emb)
            a, b = read_tables(neo), read_tables(emb)
    finally:
        if neo4j_empty.owned:
            neo4j_empty.wipe()
        neo.close()
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)
    assert str(a["contracts"]["signed_date"].dtype) == "datetime64[us]" and len(a["contracts"])
    for kind in ("unit", "person", "company"):
        fa, fb = GraphFeatures(kind=kind).fit_transform(a), GraphFeatures(kind=kind).fit_transform(b)
        pd.testing.assert_frame_equal(fa, fb, check_exact=True, obj=kind)
        ra = AnomalyScorer(kind=kind, warnings=False).fit(fa).risk(fa)
        rb = AnomalyScorer(kind=kind, warnings=False).fit(fb).risk(fb)
        pd.testing.assert_series_equal(ra, rb, check_exact=True, obj=kind)


def test_without_a_ledger_a_neo4j_store_is_not_ranked_as_if_nothing_were_warned():
    """`rank` and `portrait` on Neo4j without --ledger read no warnings and said so nowhere (the portrait
    printed 'no warnings in the ledger', the ranking moved); `warnings list` stopped with the reason."""
    import click

    from graphkit.cli.risk import _warnings

    with pytest.raises(
        click.UsageError,
        match=r"不是嵌入式库：请给出台账的路径（--ledger 路径，或设一次 GRAPHKIT_LEDGER=路径）；或加 --no-warnings",
    ):
        _warnings("neo4j://127.0.0.1:7687", None)


@pytest.mark.neo4j
def test_a_team_names_its_ledger_once_with_graphkit_ledger(city, tmp_path, neo4j_empty, monkeypatch):
    """A Neo4j store has no folder for its ledger: every command (`models run`, `rank`, `portrait`, `warnings
    list`) stopped for want of ``--ledger`` though the notebooks read ``GRAPHKIT_LEDGER``. The command line reads it
    too, and gives what ``--ledger`` gives."""
    import json

    from click.testing import CliRunner

    from graphkit.cli import main

    monkeypatch.setenv("GRAPHKIT_AUDIT", str(tmp_path / "team.audit.jsonl"))
    monkeypatch.delenv("GRAPHKIT_LEDGER", raising=False)
    ledger = tmp_path / "team.ledger.sqlite"
    uri = neo4j_empty.uri

    def cli(*args: str, env: dict | None = None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    try:
        assert cli("load", str(city), "--store", uri, "--quarantine", str(tmp_path / "q.csv")).exit_code == 0
        refused = cli("models", "run", "--store", uri)
        assert refused.exit_code == 2 and "设一次 GRAPHKIT_LEDGER=路径" in refused.output, refused.output
        named = {"GRAPHKIT_LEDGER": str(ledger)}
        run = cli("models", "run", "--store", uri, env=named)
        assert run.exit_code == 0 and ledger.is_file(), run.output
        listed = cli("warnings", "list", "--store", uri, "--json", env=named)
        given = cli("warnings", "list", "--store", uri, "--json", "--ledger", str(ledger))
        assert listed.exit_code == 0 and listed.stdout == given.stdout, listed.output
        assert len(json.loads(listed.stdout)) > 0
        ranked = cli("rank", "--kind", "unit", "--store", uri, "--json", "--no-cache", env=named)
        given = cli("rank", "--kind", "unit", "--store", uri, "--json", "--no-cache", "--ledger", str(ledger))
        assert ranked.exit_code == 0 and ranked.stdout == given.stdout, ranked.output
        assert "no ledger" not in ranked.stderr
    finally:
        if neo4j_empty.owned:
            neo4j_empty.wipe()
