"""bench/collusion_eval.py: the bid-level truth is read from the row each bid came from (also when rows
before it were quarantined), the bid-level features, and the per-segment breakdown of the period split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bench_modules import load_bench


@pytest.fixture(scope="module")
def E():
    return load_bench("collusion_eval")


def write_market(E, folder: Path) -> Path:
    """A USA-named file: tender A (3 bids), a malformed row, tenders B and C (2 bids each); truth 1 on
    firms 7 and 8."""
    rows = [
        ("A", "100", "7", 1, 1),
        ("A", "103", "8", 0, 1),
        ("A", "110", "9", 0, 0),
        ("B", "not a number", "7", 0, 1),
        ("B", "50", "9", 1, 0),
        ("B", "55", "7", 0, 1),
        ("C", "200", "7", 1, 1),
        ("C", "220", "8", 0, 1),
    ]
    f = pd.DataFrame(rows, columns=["Tender", "Bid_value", "Competitors", "Winner", "Collusive_competitor_original"])
    f.assign(Collusive_competitor=1).to_csv(folder / E.MARKETS["USA"], index=False)
    return folder


def test_bid_truth_follows_source_rows_past_a_quarantined_row(E, tmp_path):
    data = write_market(E, tmp_path)
    bids = E.read_bids(data / E.MARKETS["USA"], market="USA", with_label=True).bids
    assert len(bids) == 7  # the malformed row is left out
    truth = E.bid_truth("USA", data, bids)
    assert list(zip(bids["bidder"], truth, strict=True)) == [
        ("7", 1),
        ("8", 1),
        ("9", 0),
        ("9", 0),
        ("7", 1),
        ("7", 1),
        ("8", 1),
    ]


def test_bid_features_by_hand(E, tmp_path):
    data = write_market(E, tmp_path)
    bids = E.read_bids(data / E.MARKETS["USA"], market="USA").bids
    f = E.bid_features(bids)
    np.testing.assert_allclose(f["bid rank in tender"], [0, 0.5, 1, 0, 1, 0, 1])
    np.testing.assert_allclose(f["above lowest bid"], [0, 0.03, 0.10, 0, 0.10, 0, 0.10])
    np.testing.assert_allclose(f["bids in tender"], [3, 3, 3, 2, 2, 2, 2])
    # firm 7 bids A, B, C and wins A and C; firm 8 bids A and C; firm 9 bids A and B and wins B
    np.testing.assert_allclose(f["firm: tenders bid"], [3, 2, 2, 2, 3, 3, 2])
    np.testing.assert_allclose(f["firm: win rate"], [2 / 3, 0, 0.5, 0.5, 2 / 3, 2 / 3, 0])
    # 7 meets 8 twice and 9 twice in its 3 tenders; 8 meets 7 in both of its; 9 meets 7 in both of its
    np.testing.assert_allclose(f["firm: top partner share"], [2 / 3, 1, 1, 1, 2 / 3, 2 / 3, 1])


def test_bid_directions_by_hand(E, tmp_path):
    data = write_market(E, tmp_path)
    (data / E.MARKETS["Switzerland"]).write_bytes((data / E.MARKETS["USA"]).read_bytes())
    bids = E.read_bids(data / E.MARKETS["USA"], market="USA").bids
    many = pd.concat([bids.assign(key=bids["key"] + f"/{i}") for i in range(10)])  # 30 bids at least
    d = E.bid_directions({"USA": many, "Switzerland": many.drop(columns="bidder")}, data).rename(
        columns={"Switzerland": "no ids"}
    )
    # cartel bids sit in tenders of 3, 3, 2, 2, 2 bids; firm 9's in tenders of 3 and 2: of the 10 pairs,
    # 2 won by the cartel bid (3 > 2), 5 ties (0.5 each), 3 lost
    assert d.loc["bids in tender", "USA"] == pytest.approx(0.45)
    # cartel firm 7 (3 bids) meets its top partner in 2/3 of its tenders, cartel firm 8 (2 bids) and
    # firm 9 (2 bids) in all: 6 pairs lost, 4 ties
    assert d.loc["firm: top partner share", "USA"] == pytest.approx(0.2)
    assert d.loc[["firm: tenders bid", "firm: win rate", "firm: top partner share"], "no ids"].isna().all()


def test_per_segment_breakdown(E):
    test = pd.DataFrame({"key": ["t1", "t1", "t2", "t3", "t4", "t5"], "segment": ["1", "1", "1", "2", "2", "2"]})
    risk = pd.Series([0.9, 0.2, 0.1, 0.8, 0.05], index=["t1", "t2", "t3", "t4", "t5"])
    y = np.array([1, 0, 0, 1, 1])
    d = E.per_segment(test, y, risk)
    assert d.loc["1"].tolist() == [2, 1, 1.0]
    assert d.loc["2", "tenders"] == 3 and d.loc["2", "collusive"] == 2
    assert d.loc["2", "ROC AUC"] == pytest.approx(0.5)  # 0.8 and 0.3 collusive, 0.1 not: 1 of the 2 pairs


def test_another_labelled_market_joins_with_file(E, tmp_path, monkeypatch):
    """--file NAME=PATH: read like the shared markets (its Contract_type as the segment); without bid-level
    truth it is left out of the bid-direction table; a malformed spec is refused."""
    src = write_market(E, tmp_path) / E.MARKETS["USA"]
    extra = tmp_path / "kept_aside.csv"
    pd.read_csv(src).drop(columns="Collusive_competitor_original").assign(Contract_type="road").to_csv(
        extra, index=False
    )
    monkeypatch.setattr(E, "EXTRA", {"Aside": extra})
    bids = E.load_market("Aside", tmp_path / "no such folder")
    assert len(bids) == 7 and set(bids["market"]) == {"Aside"}
    assert set(bids["segment"]) == {"road"}
    d = E.bid_directions({"Aside": bids}, tmp_path)
    assert "Aside" not in d.columns
    assert E.main(["--unseen", "--file", "no-equals-sign"]) == 2


def test_context_chance_separates_a_real_regime_from_the_grouping_alone(E):
    """The period family of a market whose cartel years show in the screens stands out of the chance range
    (screens swapped within a band, dates kept); the same dates with screens that carry nothing do not."""
    rng = np.random.default_rng(4)
    n = 400
    days = np.sort(rng.uniform(0, 4 * 365, n))
    y = (days < 2 * 365).astype(int)
    cv = np.where(y == 1, rng.normal(0.05, 0.015, n), rng.normal(0.08, 0.015, n))
    f = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": np.abs(cv), "tender_days": days})
    f.index = [f"m|{i}" for i in range(n)]
    multi = np.ones(n, dtype=bool)
    real = E.context_chance(f, y, multi, draws=20, seed=0)["period"]
    assert real["counts"] and real["rho"] > 0
    assert real["observed"] > 0.9 and real["share_at_least"] == 0 and real["p95"] < real["observed"]
    noise = f.assign(CV=np.abs(rng.normal(0.08, 0.015, n)))
    none = E.context_chance(noise, y, multi, draws=20, seed=0)["period"]
    assert none["p05"] <= none["observed"] <= none["p95"] or none["share_at_least"] > 0.05


def test_a_cached_model_is_reused_only_for_the_same_training_markets_and_files(E, tmp_path, monkeypatch):
    """--models-dir: a rerun with another market added (--file), or another file under the same name, must not
    read a model trained on something else."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("Tender,Bid_value\n1,10\n")
    b.write_text("Tender,Bid_value\n1,10\n")
    monkeypatch.setattr(E, "EXTRA", {"A": a, "B": b})
    name = E.model_cache_name(["A", "B"], 0, tmp_path)
    assert name == E.model_cache_name(["B", "A"], 0, tmp_path)  # the order the markets were given in is no matter
    assert name.startswith("trained_on_A+B_seed0_") and name.endswith(".skops")
    assert E.model_cache_name(["A"], 0, tmp_path) != name
    assert E.model_cache_name(["A", "B"], 1, tmp_path) != name
    assert E.model_cache_name(["A", "B"], 0, tmp_path, history=True) != name  # --bidder-history: another model
    b.write_text("Tender,Bid_value\n1,10\n2,20\n")  # another file under the name B
    assert E.model_cache_name(["A", "B"], 0, tmp_path) != name


def test_goal_line_counts_markets_meeting_both_figures(E, capsys):
    """The goal needs both figures: a market at ROC AUC 0.85 with balanced accuracy 0.70 does not meet it."""
    rows = [
        {"market": "A", "label-free": 0.85, "label-free bal. acc.": 0.78, "guarded": 0.70, "guarded bal. acc.": 0.76},
        {"market": "B", "label-free": 0.85, "label-free bal. acc.": 0.70, "guarded": 0.81, "guarded bal. acc.": 0.75},
        {"market": "C", "label-free": 0.79, "label-free bal. acc.": 0.80, "guarded": 0.80, "guarded bal. acc.": 0.80},
    ]
    E.print_goal(rows)
    lines = capsys.readouterr().out.strip().splitlines()
    assert "label-free meets it in 1 of 3 markets (A 0.850 / 0.780, B 0.850 / 0.700, C 0.790 / 0.800)" in lines[0]
    assert "default (guarded, with the model) meets it in 2 of 3 markets" in lines[1]
    E.print_goal([{k: v for k, v in r.items() if not k.startswith("guarded")} for r in rows])  # --label-free-only
    assert len(capsys.readouterr().out.strip().splitlines()) == 1


def test_other_defaults_band_level_speaks_only_between_bands(E):
    """'band level' adds to the label-free risk one value per band of bids (the model's mean percentile there),
    so within a band it ranks the tenders exactly as the label-free score does; 'weight w' mixes the two."""
    from graphkit.collusion.unsupervised import LabelFreeScorer

    rng = np.random.default_rng(3)
    n = 400
    f = pd.DataFrame(
        {"market": "m", "n_bids": rng.choice([2.0, 3.0, 5.0, 8.0], n), "CV": rng.random(n), "SPD": rng.random(n)},
        index=[f"t{i}" for i in range(n)],
    )
    lf = LabelFreeScorer().fit(f)
    r_lf = lf.predict_proba(f)[:, 1]
    r_model = rng.random(n)
    out = E.other_defaults(f, lf, r_lf, r_model)
    w = E.model_weight(lf, "m")
    extra = (out["band level"] - (1 - w) * r_lf) / w
    band = E._band(f["n_bids"].to_numpy())
    per_band = pd.Series(extra).groupby(band).agg(["min", "max"])
    assert np.allclose(per_band["min"], per_band["max"])  # one value per band
    assert per_band["min"].nunique() == 4  # and the bands differ, as the model's percentiles do
    pm = pd.Series(r_model).rank(pct=True).to_numpy()
    assert np.allclose(out["weight 0.2"], 0.8 * r_lf + 0.2 * pm)


def test_adapted_drift_bench_splits_a_market_into_halves_no_tender_on_both_sides():
    """bench/adapted_drift.py's same-market checks keep a profile of one half and check the other: by date the
    earlier tenders against the later (the tender's median date, whatever the row order), by id alternate tenders in
    id order (numeric: 10 after 9); every bid of a tender on one side only."""
    drift = load_bench("adapted_drift")
    t = [3, 3, 1, 1, 10, 10, 2, 9, 9, 4]
    bids = pd.DataFrame(
        {
            "tender": [str(x) for x in t],
            "key": [f"m|{x}" for x in t],
            "date": [30, 30, 10, 10, 5, 5, 20, 40, 40, 60],
            "bid": 1.0,
        }
    )
    early, late = drift.halves(bids, "date")
    assert set(early["tender"]) == {"10", "1", "2"} and set(late["tender"]) == {"3", "9", "4"}
    even, odd = drift.halves(bids, "id")
    assert set(even["tender"]) == {"1", "3", "9"} and set(odd["tender"]) == {"2", "4", "10"}
    assert len(early) + len(late) == len(even) + len(odd) == len(bids)
