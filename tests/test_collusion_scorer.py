"""CollusionScorer on small hand-made markets: sklearn contract, learning, reasons, single bids, persistence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from collusion_data import make_bids, make_segment_bids
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import roc_auc_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from graphkit.collusion.features import tender_features
from graphkit.collusion.scorer import PRIOR, CollusionScorer, _firm_stats, _history, load, score_tenders
from loaders.bids import frame_to_bids, tender_labels

FAST = dict(max_iter=40, cv=3)


def _table(df: pd.DataFrame, name: str = "m.csv"):
    t = frame_to_bids(df.astype(str), file=name, with_label=True)
    f = tender_features(t.bids)
    return f, tender_labels(t.bids).reindex(f.index).astype(int)


@pytest.fixture(scope="module")
def data():
    """Two markets in different currencies (×1 and ×1000), each split into earlier / later tenders."""
    tr_a, y_a = _table(make_bids(160, seed=1), "a.csv")
    tr_b, y_b = _table(make_bids(160, seed=2, scale=1e9), "b.csv")
    te, y_te = _table(make_bids(80, seed=3, first_tender=500), "a.csv")
    return pd.concat([tr_a, tr_b]), pd.concat([y_a, y_b]), te, y_te


@pytest.fixture(scope="module")
def fitted(data):
    X, y, _, _ = data
    return CollusionScorer(**FAST).fit(X, y)


@parametrize_with_checks([CollusionScorer(max_iter=10, cv=0)], expected_failed_checks=lambda est: {})
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_sklearn_contract(data, fitted):
    X, y, te, _ = data
    s = CollusionScorer(**FAST)
    assert s.get_params()["normalise"] == "rank" and s.set_params(n_reasons=2).n_reasons == 2
    with pytest.raises(NotFittedError):
        s.predict_proba(te)
    c = clone(fitted)
    assert not hasattr(c, "model_") and c.get_params() == fitted.get_params()
    p = fitted.predict_proba(te)
    assert p.shape == (len(te), 2) and np.allclose(p.sum(axis=1), 1) and ((p >= 0) & (p <= 1)).all()
    assert list(fitted.classes_) == [0, 1]
    assert ((fitted.decision_function(te) > 0) == (fitted.predict(te) == 1)).all()
    assert 0 < fitted.threshold_ < 1
    assert set(PRIOR) <= set(fitted.columns_)


def test_learns_planted_collusion_and_reads_later_tenders(data, fitted):
    _, _, te, y_te = data
    risk = fitted.predict_proba(te)[:, 1]
    assert roc_auc_score(y_te, risk) >= 0.95
    bare = CollusionScorer(bidder_history=False, **FAST).fit(*data[:2])
    assert not set(PRIOR) & set(bare.columns_)
    assert roc_auc_score(y_te, bare.predict_proba(te)[:, 1]) >= 0.95


def test_contributions_add_up_to_the_risk(data, fitted):
    """Path attributions are exact: bias + sum of contributions is the model's log-odds."""
    _, _, te, _ = data
    risk, c = fitted.contributions(te)
    assert list(c.columns) == fitted.columns_ and len(c) == len(te)
    assert np.allclose(risk, fitted.predict_proba(te)[:, 1], atol=1e-12)
    logit = np.log(risk / (1 - risk))
    bias = logit - c.to_numpy().sum(axis=1)
    assert np.allclose(bias, bias[0], atol=1e-9)  # the same intercept for every tender
    assert (c.loc[:, ~fitted.used_] == 0).all().all()


def test_contributions_average_zero_over_the_training_tenders():
    """Each node's expected value is the count-weighted mean of its children, so over the tenders the
    trees were grown on every input's contribution averages to zero: what pushes one tender up pushes
    another down. (The nodes' depth is unsigned: negating it to walk deepest first once wrapped around,
    the root was averaged before its children and each tree's root feature carried a constant offset,
    enough to give "looks competitive" as the reason of a 97 %-collusive contract type.)"""
    X, y = _table(make_segment_bids(400, seed=1))  # noisy labels: the trees' own node values differ
    _, c = CollusionScorer(**FAST).fit(X, y).contributions(X)
    assert np.abs(c.to_numpy().mean(axis=0)).max() < 1e-9


def test_refuses_ids_dates_and_labels_as_features(data):
    X, y, _, _ = data
    for col in ("Date", "Tender", "Collusive_competitor", "label"):
        with pytest.raises(ValueError, match="never be features"):
            CollusionScorer(**FAST).fit(X.assign(**{col: 1.0}), y)


def test_reasons_in_words_and_single_bid(data, fitted):
    _, _, te, y_te = data
    lone = make_bids(3, seed=9, first_tender=900)
    lone = lone[lone["Tender"] == 900].head(1)  # one tender with one bid
    f1, _ = _table(lone, "a.csv")
    both = pd.concat([te, f1])
    risk, reasons = fitted.explain(both)
    assert len(risk) == len(reasons) == len(both)
    assert ((risk >= 0) & (risk <= 1)).all()
    assert reasons[-1].split("; ")[0] == "single bid"
    assert all(r and isinstance(r, str) for r in reasons)
    # planted rings: tight bids, cover bids just above the winner, turn-taking: said in an analyst's words
    top = np.argsort(-risk[:-1])[:10]
    said = " ".join(reasons[i] for i in top)
    assert any(w in said for w in ("CV", "spread", "above the winner", "met in", "tightest", "collusive before"))
    assert all(len(reasons[i].split("; ")) <= fitted.n_reasons for i in range(len(reasons)))
    # below the threshold the reasons say what makes the tender look competitive
    low = [reasons[i] for i in range(len(both) - 1) if risk[i] <= fitted.threshold_]
    assert low and all(r.startswith("looks competitive: ") or r == "nothing unusual for its market" for r in low)
    high = [reasons[i] for i in range(len(both) - 1) if risk[i] > fitted.threshold_]
    assert high and not any(r.startswith(("looks competitive", "nothing unusual")) for r in high)
    out = score_tenders(both, fitted)
    assert list(out.columns) == ["tender", "risk", "reasons"] and len(out) == len(both)
    assert out["risk"].dropna().is_monotonic_decreasing
    # what score-bids writes: a single bid has no risk (no screen compares one bid), last, with its reason
    assert np.isnan(out["risk"].iloc[-1]) and out["reasons"].iloc[-1] == "single bid"
    assert out["risk"].iloc[:-1].notna().all()


def test_single_bid_alone_does_not_crash(fitted):
    f, _ = _table(pd.DataFrame({"Tender": [1], "Bid_value": [1000.0], "Collusive_competitor": [0]}), "x.csv")
    risk, reasons = fitted.explain(f)
    assert 0 <= risk[0] <= 1 and reasons[0].startswith("single bid")


def test_currency_does_not_change_risk(data, fitted):
    """Screens are scale-free and levels are compared within a market: pricing a market in another
    currency leaves every risk unchanged."""
    df = make_bids(80, seed=3, first_tender=500)
    a, _ = _table(df, "a.csv")
    b, _ = _table(df.assign(Bid_value=df["Bid_value"] * 1000), "a.csv")
    assert np.allclose(fitted.predict_proba(a), fitted.predict_proba(b), atol=1e-12)


def test_small_market_uses_stored_distribution(data, fitted):
    _, _, te, _ = data
    few = te.head(5)
    assert len(few) < fitted.min_market_tenders
    p = fitted.predict_proba(few)[:, 1]
    assert np.isfinite(p).all()
    # five tenders cannot rank each other: each screen is placed in market "a"'s training distribution
    X = data[0]
    F, market, _ = fitted._inputs(few)
    Z, _ = fitted._normalise(F, market)
    j = fitted.columns_.index("CV")
    train_cv = X.loc[X["market"] == "a", "CV"].dropna().to_numpy()
    expected = [(train_cv < v).mean() for v in few["CV"]]
    assert np.allclose(Z[:, j], expected, atol=0.011)


def test_bidder_record_never_sees_a_tenders_own_label():
    bidders = pd.Series(["A\x1fB", "A\x1fC", "D"])
    stats = _firm_stats(bidders, np.array([1, 0, 1]), np.array(["m", "m", "m"]))
    assert dict(zip(stats["firms"], stats["pos"], strict=True)) == {"m\x1fA": 1, "m\x1fB": 1, "m\x1fC": 0, "m\x1fD": 1}
    h = _history(
        pd.Series(["A\x1fE", "E", None, "A"]),
        pd.Series(["A", "E", None, "A"]),
        stats,
        base=0.5,
        a=2.0,
        market=np.array(["m", "m", "m", "other"]),
    )
    assert h.loc[0, "prior_known"] == 0.5 and h.loc[0, "prior_rate_max"] == pytest.approx((1 + 1) / (2 + 2))
    assert h.loc[0, "top"] == "A" and h.loc[0, "prior_winner_rate"] == pytest.approx(0.5)
    assert h.loc[1, "prior_known"] == 0 and np.isnan(h.loc[1, "prior_rate_max"])
    assert np.isnan(h.loc[2, "prior_known"])
    # firm A of another market is another firm: no record, and its win reads no rate
    assert h.loc[3, "prior_known"] == 0 and np.isnan(h.loc[3, "prior_winner_rate"]) and pd.isna(h.loc[3, "top"])
    # in fit, a firm seen in one tender only has no record when that tender is scored out-of-fold
    rows = [
        {"Tender": t, "Competitors": f"solo{t}", "Bid_value": 100 + t, "Collusive_competitor": t % 2} for t in range(40)
    ]
    X, y = _table(pd.DataFrame(rows))
    s = CollusionScorer(**FAST).fit(X, y)
    F, _, _ = s._inputs(X)
    assert (F["prior_known"] == 1).all()  # scoring after fit: every firm known …
    assert s.firm_stats_["tot"].max() == 1  # … but each from a single tender, its own, never used in fit


def test_persistence_round_trip_and_refusals(tmp_path, data, fitted):
    _, _, te, _ = data
    path = fitted.save(tmp_path / "m.skops")
    again = load(path)
    assert np.array_equal(fitted.predict_proba(te), again.predict_proba(te))
    assert again.get_params() == fitted.get_params() and again.threshold_ == fitted.threshold_
    from collections import Counter

    import skops.io as sio

    sio.dump({"x": Counter()}, tmp_path / "other.skops")
    with pytest.raises(ValueError, match="refusing|not a CollusionScorer"):
        load(tmp_path / "other.skops")
    (tmp_path / "junk.skops").write_text("not a model", encoding="utf-8")
    with pytest.raises(ValueError, match="not a graphkit collusion model"):
        load(tmp_path / "junk.skops")
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.skops")


def test_identical_bids_are_said_first_and_never_as_a_sign_of_competition(fitted):
    """The model, trained on other markets, may read identical prices as competitive; the reason says the fact
    first ("all 4 bids identical") and never lists the ties under "looks competitive" as if they were a sign
    of competition."""
    same = pd.DataFrame(
        {
            "Tender": [7] * 4,
            "Bid_value": [5000.0] * 4,
            "Competitors": ["F1", "F2", "F3", "F4"],
            "Winner": [1, 0, 0, 0],
            "Collusive_competitor": [0] * 4,
        }
    )
    f, _ = _table(same, "x.csv")
    risk, reasons = fitted.explain(f)
    assert reasons[0].startswith("all 4 bids identical")
    assert "identical in price" not in reasons[0]
    t2 = same.assign(Bid_value=[5000.0, 5000.0, 5300.0, 5600.0])
    f2, _ = _table(t2, "x.csv")
    r2, said = fitted.explain(f2)
    if r2[0] <= fitted.threshold_ and "identical in price" in said[0]:
        assert "identical in price, which lowers this model's risk" in said[0]


def test_fit_says_each_model_it_fits(data):
    """`collusion train` sat at "fitting" for minutes: fit reports each of its cv + 1 model fits."""
    X, y, _, _ = data
    stages: list[str] = []
    CollusionScorer(max_iter=10, cv=3).fit(X, y, progress=stages.append)
    assert stages == [
        "model 1 of 4",
        "threshold fold 1 of 3 (model 2 of 4)",
        "threshold fold 2 of 3 (model 3 of 4)",
        "threshold fold 3 of 3 (model 4 of 4)",
    ]
