"""The synthetic city rewritten in the departments' forms (tests/departments.py) loads like the clean one:
no more quarantined rows, the same warnings from every collision model."""

from __future__ import annotations

import pytest
from departments import rewrite_city

from graphkit.rules.catalog import run_all
from graphkit.stores.embedded import EmbeddedStore
from graphkit.synth import generate
from loaders.engine import load_dir


def warnings_of(city, db):
    with EmbeddedStore(db) as s:
        report, _ = load_dir(city, s)
        hits, _ = run_all(s)
    keys = sorted(zip(hits["model"], hits["key"].astype(str), hits["level"], strict=True))
    return report, keys


@pytest.mark.parametrize("seed", [7])
def test_departments_forms_load_like_the_clean_city(tmp_path, seed):
    clean = tmp_path / "clean"
    generate(clean, scale=2_000, seed=seed)
    forms = tmp_path / "forms"
    changed = rewrite_city(clean, forms)
    assert sum(changed.values()) > 10_000
    assert "２" in (forms / "fuel_transactions.csv").read_text(encoding="utf-8")
    texts = [f.read_text(encoding="utf-8") for f in forms.glob("*.csv")]
    assert sum("单位：元" in t for t in texts) >= 5 and sum("（元）" in t for t in texts) >= 5
    r1, w1 = warnings_of(clean, tmp_path / "a.db")
    r2, w2 = warnings_of(forms, tmp_path / "b.db")
    assert r2.totals()["quarantined"] <= r1.totals()["quarantined"]
    assert r2.totals() == r1.totals()
    assert sum(f.title is not None for f in r2.files) >= 5  # the titles were found and skipped
    assert len(w1) > 20 and w2 == w1
    assert {m for m, _, _ in w1} >= {"single_bid_tender", "direct_award_share", "fuel_holiday"}
