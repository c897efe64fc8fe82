"""bench/models_eval.py: the matching rule behind every precision/recall figure, the city cache, and one
end-to-end run on a small city."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from bench_modules import load_bench

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def E():
    return load_bench("models_eval")


def hits(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [{"key": k, "entities": e, "types": t} for k, e, t in rows], columns=["key", "entities", "types"]
    )


TRUTH = [
    {
        "scheme": "split_contracts",
        "entities": ["U1", "C1", "K1", "K2", "K3"],
        "types": ["unit", "company", "contract", "contract", "contract"],
    },
    {
        "scheme": "split_contracts",
        "entities": ["U2", "C2", "K4", "K5", "K6"],
        "types": ["unit", "company", "contract", "contract", "contract"],
    },
    {
        "scheme": "split_contracts",
        "entities": ["U3", "C3", "K7", "K8", "K9"],
        "types": ["unit", "company", "contract", "contract", "contract"],
    },
    {"scheme": "direct_award_share", "entities": ["U9", "K99"], "types": ["unit", "contract"]},
]


def test_a_hit_matches_an_instance_through_an_entity_of_the_match_type(E):
    got = hits(
        ("a", ["U1", "C1", "K2", "K3"], ["unit", "company", "contract", "contract"]),  # instance 1
        ("b", ["U2", "C9", "K6"], ["unit", "company", "contract"]),  # instance 2
        ("c", ["U3", "C3"], ["unit", "company"]),  # right unit and company, but no contract named
        ("d", ["U9", "K99"], ["unit", "contract"]),  # an instance of another scheme
        ("e", ["K1"], ["unit"]),
    )  # the right key under the wrong type
    s = E.score(got, TRUTH, "split_contracts", "contract")
    assert (s["instances"], s["found"], s["hits"], s["true_hits"]) == (3, 2, 5, 2)
    assert s["recall"] == pytest.approx(2 / 3) and s["precision"] == pytest.approx(2 / 5)
    assert s["missed"] == [["K7", "K8", "K9"]]
    assert s["false_hits"] == ["c", "d", "e"]


def test_two_hits_on_one_instance_count_once_for_recall_and_twice_for_precision(E):
    got = hits(("a", ["K1"], ["contract"]), ("b", ["K2"], ["contract"]))
    s = E.score(got, TRUTH, "split_contracts", "contract")
    assert (s["found"], s["true_hits"], s["recall"], s["precision"]) == (1, 2, pytest.approx(1 / 3), 1.0)


def test_no_hits_and_no_instances(E):
    empty = hits()
    s = E.score(empty, TRUTH, "split_contracts", "contract")
    assert (s["recall"], s["precision"], s["hits"]) == (0.0, None, 0)
    s = E.score(empty, TRUTH, "bid_rigging", "company")
    assert (s["instances"], s["recall"]) == (0, None)


def test_the_city_cache_is_built_once_and_reused(E, tmp_path, monkeypatch):
    logs: list[str] = []
    city, db = E.prepare(tmp_path, 1000, 3, log=logs.append)
    marker = tmp_path / "city-1000-s3.ready.json"
    assert (city / "truth.json").exists() and db.exists() and marker.exists()
    assert len(logs) == 1 and logs[0].startswith("  built city-1000-s3")
    stamp = marker.stat().st_mtime_ns
    assert E.prepare(tmp_path, 1000, 3, log=logs.append) == (city, db)
    assert marker.stat().st_mtime_ns == stamp and len(logs) == 1  # reused, silently
    monkeypatch.setattr(E, "fingerprint", lambda: "changed")
    assert E.prepare(tmp_path, 1000, 3, log=logs.append) == (city, db)
    assert marker.stat().st_mtime_ns == stamp and "--rebuild" in logs[-1]  # reused, with a warning
    E.prepare(tmp_path, 1000, 3, rebuild=True, log=logs.append)
    assert json.loads(marker.read_text())["fingerprint"] == "changed"
    assert not list(tmp_path.glob("*.building*"))


def test_end_to_end_on_a_small_city(E, tmp_path, capsys):
    out = tmp_path / "eval.json"
    assert (
        E.main(
            [
                "--scales",
                "1000",
                "--seeds",
                "3",
                "--models",
                "single_bid_tender",
                "split_contracts",
                "--dir",
                str(tmp_path),
                "--json",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "| single_bid_tender" in printed and "Whole library at 1,000 persons (2 models)" in printed
    res = json.loads(out.read_text())
    assert [r["model"] for r in res["results"]] == ["single_bid_tender", "split_contracts"]
    for r in res["results"]:
        assert r["instances"] >= 1 and 0 <= r["recall"] <= 1 and r["seconds"] >= 0
    assert res["wall"][0]["models"] == 2 and res["wall"][0]["seconds"] > 0
    assert {s["model"] for s in res["summary"]} == {"single_bid_tender", "split_contracts"}


def test_unknown_model_is_refused_before_any_city_is_built(E, tmp_path):
    from graphkit.rules import ModelError

    with pytest.raises(ModelError, match="no model 'nope'"):
        E.main(["--models", "nope", "--dir", str(tmp_path)])
    assert list(tmp_path.iterdir()) == []
