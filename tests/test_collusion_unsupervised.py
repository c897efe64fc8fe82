"""The label-free screen score, the unseen-market default and `graphkit collusion adapt`."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from collusion_data import make_bids

from graphkit.cli import main
from graphkit.cli.collusion import FACTS, read_scores
from graphkit.collusion.adapt import AdaptedScorer, estimate_share, load_any, unseen_risk
from graphkit.collusion.features import tender_features
from graphkit.collusion.unsupervised import (
    DIRECTIONS,
    FAMILIES,
    LabelFreeScorer,
    oriented_percentiles,
    score_label_free,
)
from graphkit.collusion.words import COLUMN_NOTES
from loaders.bids import frame_to_bids


def _features(df: pd.DataFrame, **kw) -> pd.DataFrame:
    return tender_features(frame_to_bids(df.astype(str), file="m.csv", **kw).bids)


@pytest.fixture(scope="module")
def feats():
    return _features(make_bids(200, seed=3))


def test_every_screen_has_a_direction_and_a_family():
    in_families = [s for f in FAMILIES.values() for s in f]
    assert sorted(in_families) == sorted(DIRECTIONS) and len(in_families) == len(set(in_families))
    assert set(DIRECTIONS.values()) == {-1, 1}


def test_fit_reads_no_label(feats):
    y = np.random.default_rng(0).integers(0, 2, len(feats))
    a = LabelFreeScorer().fit(feats).predict_proba(feats)[:, 1]
    b = LabelFreeScorer().fit(feats, y).predict_proba(feats)[:, 1]
    c = LabelFreeScorer().fit(feats, 1 - y).predict_proba(feats)[:, 1]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize("screen", sorted(DIRECTIONS))
def test_each_screen_points_the_way_the_literature_says(screen):
    """Moving one screen in its stated direction raises the risk; the other way lowers it."""
    rng = np.random.default_rng(1)
    n = 200
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, screen: rng.normal(size=n)})
    s = LabelFreeScorer().fit(X)
    risk = s.predict_proba(X)[:, 1]
    hi, lo = X[screen].idxmax(), X[screen].idxmin()
    if DIRECTIONS[screen] > 0:
        assert risk[hi] > risk[lo]
    else:
        assert risk[lo] > risk[hi]


def test_the_priority_tier_is_the_riskiest_five_percent_of_each_market():
    """The median rule flags half of every market (Japan: 540 of 1,080), no list to start from. The priority tier
    (优先复核) is the riskiest 5 % of each market's scored tenders, rounded up (at least one), with no second
    condition: a tender whose risk is high from one family alone is in it (the Tukey-fence rule asked for two
    families and dropped it). Ties at the cut go to the tender earlier in the input; flagged stays the median rule."""
    from graphkit.collusion.unsupervised import PRIORITY_CAP

    rng = np.random.default_rng(5)
    n = 200
    X = pd.DataFrame(
        {"market": "m", "n_bids": 5.0, **{s: rng.normal(size=n) for s in ("CV", "SPD", "KURT", "DIFFP", "RD")}}
    )
    X.loc[1, ["CV", "SPD", "KURT"]] = [-9.0, -9.0, 9.0]  # one family only (variance), every screen at its extreme
    X.loc[2, "n_bids"] = 1.0  # unscored: never in the tier
    s = LabelFreeScorer().fit(X)
    risk = s.predict_proba(X)[:, 1]
    tier = s.priority(X)
    assert np.isnan(risk[2]) and tier[2] == 0
    scored = int(np.isfinite(risk).sum())
    k = int(np.ceil(PRIORITY_CAP * scored))
    assert scored == n - 1 and tier.sum() == k == 10
    top = np.argsort(-np.nan_to_num(risk, nan=-1.0), kind="stable")[:k]
    assert sorted(np.flatnonzero(tier)) == sorted(top) and tier[1] == 1, (risk[1], tier[1])
    assert risk[tier == 1].min() >= np.nanmax(risk[tier == 0])
    assert s.predict(X).sum() == scored // 2  # the median rule unchanged
    # a tie at the cut: the same risk for every tender, so the input's first k are kept; per market, at least one
    flat = np.full(n, 0.5)
    flat[2] = np.nan
    assert list(np.flatnonzero(s.priority(X, flat))) == [0, 1, 3, 4, 5, 6, 7, 8, 9, 10]
    Y = X.assign(market=["m"] * (n - 3) + ["small"] * 3)
    assert s.priority(Y, flat)[-3:].tolist() == [1, 0, 0]
    t = score_label_free(X, s)
    assert list(t.columns[:4]) == ["tender", "risk", "flagged", "priority"] and t["priority"].sum() == 10


def test_the_tier_and_the_order_do_not_depend_on_the_file_s_row_order():
    """Ties at the tier's cut went to the tender that came first in the file: the same bids sorted another way (by
    bidder, by date, as another export writes them) put another tender in 优先复核. Equal risks are now cut by the
    tender's id (natural order), and the rows come out in the same order whatever the file's."""
    df = make_bids(61, seed=3)
    df = pd.concat([df, df.assign(Tender=df["Tender"] + 1000)], ignore_index=True)  # each tender's bids twice
    a = score_label_free(_features(df))
    b = score_label_free(_features(df.sample(frac=1, random_state=1)))
    pd.testing.assert_frame_equal(a, b)
    tier = a[a["priority"] == 1]
    assert len(tier) == 7  # 5 % of 122, rounded up: the cut falls inside a pair of equal risks
    cut = a["risk"].iloc[len(tier)]
    assert tier["risk"].iloc[-1] == cut and a["tender"].iloc[len(tier)] == str(int(tier["tender"].iloc[-1]) + 1000)


def test_ranked_within_the_band_of_bids_and_the_market():
    """A CV that is low for 12 bids but ordinary for 3 is read against 12-bid tenders; markets apart."""
    rng = np.random.default_rng(2)
    rows = []
    for m, scale in (("a", 1.0), ("b", 10.0)):
        for nb, cv in ((3, 0.02), (12, 0.10)):
            for _ in range(60):
                rows.append({"market": m, "n_bids": nb, "CV": scale * cv * rng.lognormal(0, 0.2)})
    X = pd.DataFrame(rows)
    X.loc[len(X)] = {"market": "a", "n_bids": 12, "CV": 0.05}  # low for 12 bids, high for 3
    risk = LabelFreeScorer().fit(X).predict_proba(X)[:, 1]
    assert risk[-1] > 0.95
    # market b's values are 10x market a's: its ranking is its own
    a = X["market"] == "a"
    assert abs(risk[~a].mean() - risk[a.to_numpy()][:-1].mean()) < 0.05


def test_default_threshold_flags_the_upper_half():
    rng = np.random.default_rng(3)
    cv = np.r_[rng.normal(0.08, 0.01, 300), rng.normal(0.01, 0.002, 100)]
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": cv})
    s = LabelFreeScorer().fit(X)
    assert s.threshold_["m"] == 0.5
    assert s.threshold_rule_["m"] == "median (the upper half of the market)"
    assert s.predict(X).mean() == pytest.approx(0.5, abs=0.01)
    assert s.predict(X)[300:].all()  # the tight quarter is in the upper half


def test_mixture_threshold_finds_a_separate_group_and_falls_back_to_the_median():
    rng = np.random.default_rng(3)
    cv = np.r_[rng.normal(0.08, 0.01, 300), rng.normal(0.01, 0.002, 100)]  # a tight quarter
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": cv})
    s = LabelFreeScorer(threshold="mixture").fit(X)
    flagged = s.predict(X).astype(bool)
    assert flagged[300:].mean() > 0.95 and flagged[:300].mean() < 0.05
    assert s.threshold_rule_["m"] == "two-component mixture of the market's scores"
    one = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.normal(0.08, 0.01, 400)})
    s1 = LabelFreeScorer(threshold="mixture").fit(one)
    assert s1.threshold_["m"] == 0.5
    assert s1.threshold_rule_["m"] == "median (the scores show no second group)"
    # one skewed group: two Gaussians fit it better by BIC, but they overlap (Ashman's D <= 2): no split
    skew = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.gamma(3.0, 1.0, 2000)})
    sk = LabelFreeScorer(threshold="mixture").fit(skew)
    assert sk.threshold_["m"] == 0.5
    assert sk.threshold_rule_["m"].startswith("median (the mixture's two groups overlap: Ashman's D")
    few = LabelFreeScorer(threshold="mixture").fit(one.head(20))
    assert few.threshold_["m"] == 0.5 and few.threshold_rule_["m"].startswith("median (fewer than 50")
    top = LabelFreeScorer(threshold=0.1).fit(one)
    assert top.predict(one).mean() == pytest.approx(0.1, abs=0.01)
    assert top.threshold_rule_["m"] == "top 10% of the market"
    with pytest.raises(ValueError, match="'median', 'mixture' or a share"):
        LabelFreeScorer(threshold="half").fit(one)


def _regime(n: int = 400, seed: int = 5) -> pd.DataFrame:
    """Tenders over four years; in the first two the cartel's tenders (most of them) have a tight CV."""
    rng = np.random.default_rng(seed)
    days = np.sort(rng.uniform(0, 4 * 365, n))
    cartel_years = days < 2 * 365
    cv = np.where(cartel_years & (rng.random(n) < 0.7), rng.normal(0.03, 0.01, n), rng.normal(0.08, 0.02, n))
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": np.abs(cv), "tender_days": days})
    X.index = [f"m|{i}" for i in range(n)]
    return X


def test_period_context_reads_the_regime_of_the_surrounding_year():
    X = _regime()
    s = LabelFreeScorer().fit(X)
    assert s.context_ == ["period"]
    D = oriented_percentiles(X, s)
    early = X["tender_days"].to_numpy() < 365  # well inside the cartel years
    late = X["tender_days"].to_numpy() > 3 * 365
    assert D.loc[early, "period"].min() > D.loc[late, "period"].max()
    # the same ordinary CV is riskier among the cartel years' tenders than after them
    ordinary = (X["CV"] - 0.08).abs().to_numpy() < 0.01
    risk = s.predict_proba(X)[:, 1]
    assert risk[ordinary & early].mean() > risk[ordinary & late].mean() + 0.1
    plain = LabelFreeScorer(context=False).fit(X)
    assert plain.context_ == []
    np.testing.assert_array_equal(
        plain.predict_proba(X)[:, 1], LabelFreeScorer().fit(X.drop(columns="tender_days")).predict_proba(X)[:, 1]
    )


def test_a_tender_is_left_out_of_its_own_context():
    """A fitted tender's period context is the mean screen score of the *other* tenders of its year; a new
    tender (a key not fitted) reads them all."""
    X = _regime(60)
    s = LabelFreeScorer().fit(X)
    own = LabelFreeScorer(context=False).fit(X).decision_function(X)  # the screens-only scores
    market = X["market"].to_numpy(dtype=object)
    got = s._context_raw(X, market)["period"].to_numpy()
    d = X["tender_days"].to_numpy()
    for i in (0, 17, 59):
        near = np.abs(d - d[i]) <= 182.5
        others = near & (np.arange(len(X)) != i)
        assert got[i] == pytest.approx(own[others].mean())
    new = X.iloc[[17]].set_axis(["m|not-fitted"])
    near = np.abs(d - d[17]) <= 182.5
    assert s._context_raw(new, market[:1])["period"].iloc[0] == pytest.approx(own[near].mean())


def test_a_new_tender_reads_every_fitted_tender_of_its_period():
    X = _regime()
    s = LabelFreeScorer().fit(X)
    new = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": [0.08, 0.08], "tender_days": [100.0, 1300.0]})
    new.index = ["m|new-early", "m|new-late"]
    risk = s.predict_proba(new)[:, 1]
    assert risk[0] > risk[1]
    one = pd.DataFrame({"market": "m", "n_bids": 1.0, "CV": [np.nan], "tender_days": [100.0]}, index=["m|single"])
    assert np.isnan(s.predict_proba(one)[0, 1])  # one bid stays unscored whatever its period says


def test_bidders_context_reads_the_firms_other_tenders():
    from graphkit.collusion.features import BIDDER_SEP

    rng = np.random.default_rng(6)
    rows = []
    for i in range(300):
        cartel = i % 3 == 0
        firms = ["A", "B", "C"] if cartel else list(rng.choice([f"f{k}" for k in range(30)], 3, replace=False))
        cv = rng.normal(0.03, 0.005) if cartel else rng.normal(0.08, 0.02)
        rows.append({"market": "m", "n_bids": 3.0, "CV": abs(cv), "bidders": BIDDER_SEP.join(firms)})
    X = pd.DataFrame(rows, index=[f"m|{i}" for i in range(300)])
    X.loc["m|probe"] = {"market": "m", "n_bids": 3.0, "CV": 0.08, "bidders": BIDDER_SEP.join(["A", "B", "f1"])}
    X.loc["m|other"] = {"market": "m", "n_bids": 3.0, "CV": 0.08, "bidders": BIDDER_SEP.join(["f2", "f3", "f4"])}
    s = LabelFreeScorer().fit(X)
    assert s.context_ == ["bidders"]
    risk, reasons = s.explain(X)
    assert risk[-2] > risk[-1]
    flagged = [r for r, k in zip(reasons, X.index, strict=True) if k == "m|probe"][0]
    assert "its bidders' other tenders look collusion-like on the screens" in flagged


def _segments(n: int = 300, seed: int = 8) -> pd.DataFrame:
    """Three kinds of work; in kind "A" a cartel compresses the bids of most tenders."""
    rng = np.random.default_rng(seed)
    seg = np.array(["A", "B", "C"])[np.arange(n) % 3]
    rigged = (seg == "A") & (rng.random(n) < 0.8)
    cv = np.where(rigged, rng.normal(0.03, 0.008, n), rng.normal(0.08, 0.02, n))
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": np.abs(cv), "segment": seg})
    X.index = [f"m|{i}" for i in range(n)]
    return X


def test_segment_context_reads_the_other_tenders_of_the_same_kind_of_work():
    """Ranked within its segment, a tender of the cartel's kind of work looks ordinary among its own kind;
    the segment context says what that kind of work looks like next to the market's others."""
    from graphkit.collusion.unsupervised import segment_clustering

    X = _segments()
    s = LabelFreeScorer().fit(X)
    assert s.context_ == ["segment"] and s.context_used_ == {"m": ["segment"]}
    assert s.context_rho_["segment\x1fm"] > 0
    D = oriented_percentiles(X, s)
    a = (X["segment"] == "A").to_numpy()
    assert D.loc[a, "segment"].min() > D.loc[~a, "segment"].max()
    # a tender as ordinary as can be within its kind of work is riskier in the cartel's kind than in another
    own = LabelFreeScorer(context=False).fit(X).decision_function(X)
    middle = np.abs(own) < 0.1
    risk = s.predict_proba(X)[:, 1]
    assert (middle & a).sum() > 10 and (middle & ~a).sum() > 10
    assert risk[middle & a].mean() > risk[middle & ~a].mean() + 0.2
    _, reasons = s.explain(X)
    said = "the other tenders of its segment A look collusion-like on the screens (1st of this market's 3 segments)"
    assert any(said in r for r, k in zip(reasons, a, strict=True) if k) and not any(said in r for r in reasons[1::3])
    # leave-one-out: a fitted tender reads the other tenders of its segment, scored within the band only
    whole = LabelFreeScorer(context=False, segment=False).fit(X).decision_function(X)
    got = s._context_raw(X, X["market"].to_numpy(dtype=object))["segment"].to_numpy()
    for i in (0, 4, 299):
        same = (X["segment"].to_numpy() == X["segment"].iloc[i]) & (np.arange(len(X)) != i)
        assert got[i] == pytest.approx(whole[same].mean())
    icc, p = segment_clustering(whole, X["segment"].to_numpy())
    assert icc == pytest.approx(s.context_rho_["segment\x1fm"]) and icc > 0.2 and p < 1e-6


def test_segment_clustering_sees_segments_apart_where_the_leave_one_out_rank_correlation_does_not():
    """Three kinds of work, one a little apart: within each, the leave-one-out mean falls as the tender's own
    value rises, which the rank correlation reads; the analysis of variance weighs the difference of the
    means against the spread within the kinds."""
    from graphkit.collusion.unsupervised import segment_clustering, spearman

    rng = np.random.default_rng(0)
    g = np.repeat([0, 1, 2], 500)
    apart = rng.normal(np.array([0.3, 0.0, 0.0])[g], 1.0)
    s = pd.Series(apart).groupby(g)
    loo = ((s.transform("sum") - apart) / (s.transform("count") - 1)).to_numpy()
    icc, p = segment_clustering(apart, g)
    assert spearman(apart, loo) < 0 < icc and p < 0.001
    alike = [segment_clustering(rng.normal(0.0, 1.0, len(g)), g) for _ in range(40)]
    assert sum(p < 0.05 for _, p in alike) <= 6  # about 5 % of markets whose kinds do not differ
    assert sum(icc > 0 for icc, _ in alike) >= 8  # while a sign alone would count far more of them
    assert all(np.isnan(v) for v in segment_clustering(np.ones(6), g[:6] * 0 + np.r_[0, 0, 0, 1, 1, 1]))
    assert all(np.isnan(v) for v in segment_clustering(np.r_[1.0, 2.0, 3.0], np.r_[0, 0, 0]))


def test_segment_context_left_out_where_segments_look_alike_or_there_is_one():
    rng = np.random.default_rng(9)
    X = _segments()
    X["CV"] = np.abs(rng.normal(0.08, 0.02, len(X)))  # no kind of work differs
    s = LabelFreeScorer().fit(X)
    assert s.context_ == ["segment"] and s.context_used_ == {}
    np.testing.assert_allclose(s.predict_proba(X)[:, 1], LabelFreeScorer(context=False).fit(X).predict_proba(X)[:, 1])
    one = _segments().assign(segment="A")
    assert LabelFreeScorer().fit(one).context_ == []
    assert LabelFreeScorer(segment=False).fit(_segments()).context_ == []


def test_family_count_says_what_the_combined_score_averages():
    X = _segments()
    s = LabelFreeScorer().fit(X)
    assert s.family_count("m") == 2  # the variance family (CV) and the segment context
    assert LabelFreeScorer(context=False).fit(X).family_count("m") == 1
    assert s.family_count("elsewhere") == 0


def test_reasons_name_the_value_and_its_place_in_the_market(feats):
    r = score_label_free(feats)
    top = r.iloc[0]["reasons"]
    assert top.startswith("risk in the top") and "% of this market's tenders with" in top
    assert r["reasons"].str.startswith("looks competitive").any()


def _bad_file() -> pd.DataFrame:
    df = make_bids(150, seed=4).astype(str)
    extra = [
        # a tender whose bids all lack a value
        *({"Tender": "nobid", "Bid_value": "", "Competitors": f"F{i}", "Winner": "0"} for i in range(3)),
        # one bid only
        {"Tender": "lone", "Bid_value": "1000", "Competitors": "F1", "Winner": "1"},
        # equal bids
        *(
            {"Tender": "equal", "Bid_value": "5000", "Competitors": f"F{i}", "Winner": str(int(i == 0))}
            for i in range(4)
        ),
        # zero and negative values only
        {"Tender": "nonpos", "Bid_value": "0", "Competitors": "F1", "Winner": "1"},
        {"Tender": "nonpos", "Bid_value": "-3", "Competitors": "F2", "Winner": "0"},
        # one negative value among good ones
        {"Tender": "partial", "Bid_value": "-7", "Competitors": "F1", "Winner": "0"},
        *(
            {
                "Tender": "partial",
                "Bid_value": str(900 + 40 * i),
                "Competitors": f"F{i + 2}",
                "Winner": str(int(i == 0)),
            }
            for i in range(3)
        ),
    ]
    return pd.concat([df.drop(columns=["Date"]), pd.DataFrame(extra)], ignore_index=True).fillna("")


def _score(tmp_path, df, *extra):
    src = tmp_path / "city.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "risk.csv"
    res = CliRunner().invoke(main, ["collusion", "score-bids", "--lang", "en", str(src), "--out", str(out), *extra])
    assert res.exit_code == 0, res.output
    return pd.read_csv(out, dtype={"tender": str}), res.output


def test_score_bids_without_a_model_gives_the_unscorable_tenders_their_reason(tmp_path):
    df = _bad_file()
    t, output = _score(tmp_path, df)
    by = t.set_index("tender")
    assert "from the screens alone (no model, no label; each read next to its bidders' other tenders" in output
    assert "city.csv line" in output  # quarantined lines are reported with file and line
    assert by.loc["nobid", "reasons_en"].startswith("no usable bid: 3 bids quarantined (bid is not a number, lines")
    assert np.isnan(by.loc["nobid", "risk"])
    assert by.loc["nonpos", "reasons_en"].startswith("no usable bid: 2 bids quarantined (bid must be a positive")
    assert by.loc["lone", "reasons_en"].startswith("single bid") and np.isnan(by.loc["lone", "risk"])
    assert "all 4 bids identical" in by.loc["equal", "reasons_en"] and 0 <= by.loc["equal", "risk"] <= 1
    assert by.loc["partial", "reasons_en"].startswith("1 of 4 bids quarantined (bid must be a positive finite amount")
    assert "scored on the other 3" in by.loc["partial", "reasons_en"] and 0 <= by.loc["partial", "risk"] <= 1
    assert by.loc["nobid", "reasons"].startswith("无可用报价：3 份报价均被隔离（第 ")  # the Chinese beside it
    rest = t[~t["tender"].isin(["nobid", "nonpos", "lone"])]
    assert rest["risk"].between(0, 1).all() and len(rest) == 150 + 2
    # every tender of the file is in the output: scored, or with the reason it is not
    assert set(t["tender"]) == set(df["Tender"])


def test_score_bids_risks_identical_with_the_label_shuffled_or_removed(tmp_path):
    df = make_bids(150, seed=6)
    a, _ = _score(tmp_path, df)
    shuffled = df.assign(Collusive_competitor=np.random.default_rng(0).permutation(df["Collusive_competitor"]))
    b, _ = _score(tmp_path, shuffled)
    c, _ = _score(tmp_path, df.drop(columns=["Collusive_competitor"]))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    # with a segment column (and so its context family) too; the kind of work follows the label here, so a
    # score that read the label through the segment would show it
    seg = df.assign(Contract_type=np.where(df["Collusive_competitor"] == 1, "road", "school"))
    a, out = _score(tmp_path, seg, "--segment", "Contract_type")
    assert "segment in city" in out  # the segment family was read and tested (here it does not count)
    b, _ = _score(
        tmp_path,
        seg.assign(Collusive_competitor=np.random.default_rng(1).permutation(seg["Collusive_competitor"])),
        "--segment",
        "Contract_type",
    )
    c, _ = _score(tmp_path, seg.drop(columns=["Collusive_competitor"]), "--segment", "Contract_type")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_score_bids_ranks_within_a_segment_when_named(tmp_path):
    df = make_bids(200, seed=8)
    df["Contract_type"] = (df["Tender"] % 2).astype(str)
    t, _ = _score(tmp_path, df, "--segment", "Contract_type")
    assert t["reasons_en"].str.contains("of segment 0|of segment 1").any()
    assert t["reasons"].str.contains("合同类型 0 的标段|合同类型 1 的标段").any()
    # without --segment, the column was said to be unread and nothing more: the option that would use it is named,
    # the column found by its values (one per tender, few), whatever its header; a bidder's attribute (several
    # values in a tender) is not; nor is a period of time (Japan's "Period investigation by JFTC", pre-inspection and
    # post-amendment, had been offered as a segment): values that split the tenders by date, or years
    other = df.drop(columns="Contract_type").assign(
        **{
            "K 7": df["Tender"] % 3 + 1,
            "Form": np.arange(len(df)) % 3,
            "Stage": np.where(df["Tender"] < 90, "pre-inspection", "post-amendment"),
            "Year": np.where(df["Tender"] < 120, 2019, 2020),
        }
    )
    _, out = _score(tmp_path, other)
    hints = [line for line in out.splitlines() if line.startswith("hint:")]
    assert hints == [
        "hint: city.csv: column K 7 looks like the tenders' kind (3 values: 1, 2, 3; the same on every bid of a "
        "tender): if it is the contract type, --segment 'K 7' uses it"
    ], out


# ---------------------------------------------------------------------------------------- adapt
def test_adapted_scorer_learns_which_way_a_screen_points_here():
    """In this market a *high* CV goes with collusion, against the literature: 40 labels teach it."""
    rng = np.random.default_rng(5)
    n = 400
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.random(n), "SPD": rng.random(n)})
    truth = (X["CV"] > 0.6).astype(int).to_numpy()
    unlabelled = np.full(n, -1)
    base = AdaptedScorer().fit(X, unlabelled).predict_proba(X)[:, 1]
    assert np.corrcoef(base, truth)[0, 1] < 0  # label-free: low CV is the risk
    y = unlabelled.copy()
    y[:40] = truth[:40]
    a = AdaptedScorer().fit(X, y)
    risk = a.predict_proba(X)[:, 1]
    assert np.corrcoef(risk[40:], truth[40:])[0, 1] > 0.5
    assert a.weights()["CV"] < 0  # the oriented CV (low = +1) weighs against collusion here
    again = AdaptedScorer(label_free=a.label_free_).fit(X, y, design=a.design(X))
    np.testing.assert_allclose(again.predict_proba(X, design=a.design(X))[:, 1], risk)
    risk2, reasons = a.explain(X.head(3))
    np.testing.assert_allclose(risk2, risk[:3])
    assert all("adapted to 40 confirmed tenders" in r for r in reasons)


def test_an_adapted_threshold_needs_enough_labels_of_each_outcome():
    """With 5 collusive and 10 competitive confirmed tenders the in-sample best threshold is noise (the lowest of
    the tied ones flagged 84 % of the Ohio market): below THRESHOLD_LABELS_MIN of each the threshold is the
    median of the market's adapted risks (half flagged); with enough, the best on the labels, and the middle of
    tied thresholds, not the lowest."""
    from graphkit.collusion.adapt import THRESHOLD_LABELS_MIN

    rng = np.random.default_rng(6)
    n = 600
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.random(n), "SPD": rng.random(n)})
    truth = (X["CV"] < 0.2).astype(int).to_numpy()
    y = np.full(n, -1)
    few = np.r_[np.flatnonzero(truth == 1)[:5], np.flatnonzero(truth == 0)[:10]]
    y[few] = truth[few]
    a = AdaptedScorer().fit(X, y)
    flagged = a.predict(X).mean()
    assert 0.45 <= flagged <= 0.55 and "median" in a.threshold_rule_
    y = np.full(n, -1)
    many = np.r_[np.flatnonzero(truth == 1)[:THRESHOLD_LABELS_MIN], np.flatnonzero(truth == 0)[:60]]
    y[many] = truth[many]
    b = AdaptedScorer().fit(X, y)
    assert "best balanced accuracy" in b.threshold_rule_
    assert b.predict(X).mean() < 0.45  # about the collusive share (20 %), not half


def _rare_cartel_market(n: int = 1000, share: float = 0.12, seed: int = 21):
    """A market where 12 % of the tenders are rigged and the screens separate them only partly (as in Japan, 11 %),
    and a commission's confirmed tenders: 25 collusive and 25 competitive, as it chose them to investigate."""
    rng = np.random.default_rng(seed)
    truth = (rng.random(n) < share).astype(int)
    X = pd.DataFrame(
        {"market": "m", "n_bids": 5.0, "CV": rng.normal(0, 1, n) - 1.2 * truth, "SPD": rng.normal(0, 1, n)}
    )
    y = np.full(n, -1)
    pick = np.r_[rng.choice(np.flatnonzero(truth == 1), 25, replace=False), np.flatnonzero(truth == 0)[:25]]
    y[pick] = truth[pick]
    return X, y, truth


def test_an_adapted_flag_records_the_share_of_the_market_it_takes():
    """With 25 collusive and 25 competitive confirmed tenders of a market where 12 % are rigged, the threshold of
    best balanced accuracy flags far more than 12 % (it weighs each outcome by its share, not by the market's): the
    model records how many it flags."""
    for seed in (21, 22, 23):
        X, y, truth = _rare_cartel_market(seed=seed)
        a = AdaptedScorer().fit(X, y)
        assert "best balanced accuracy" in a.threshold_rule_
        flagged = a.predict(X)
        assert a.n_scored_ == len(X) and a.n_flagged_ == int(flagged.sum())
        assert a.flagged_share_ == pytest.approx(flagged.mean())
        assert a.flagged_share_ > 2 * truth.mean()  # the flag is not the market's share


def test_the_share_estimate_does_not_read_the_labels_balance():
    """The adjusted count reads each outcome's rate above the threshold among the confirmed tenders, so it finds the
    market's share (12 %) whether the commission confirmed as many of each outcome or three times more competitive
    ones; the labels' own share (one half, one quarter) is not it."""
    rng = np.random.default_rng(3)
    n = 200_000
    truth = (rng.random(n) < 0.12).astype(int)
    r = rng.normal(0, 1, n) + 1.0 * truth
    pos, neg = np.flatnonzero(truth == 1), np.flatnonzero(truth == 0)
    for k0 in (10_000, 30_000):  # many, as the estimate's error is the labels' (the bench: at 20 of each it is wide)
        pick = np.r_[rng.choice(pos, 10_000, replace=False), rng.choice(neg, k0, replace=False)]
        assert estimate_share(r[pick], truth[pick], r) == pytest.approx(truth.mean(), abs=0.04)
    assert np.isnan(estimate_share(r[pos[:10]], np.r_[np.ones(5), np.zeros(5)], r))  # no separation: no estimate


def test_an_adapted_flag_takes_the_share_given():
    """``flag_share=q`` flags the riskiest q of the market's tenders when adapted, said in its rule; a share outside
    (0, 1) is refused."""
    X, y, _ = _rare_cartel_market()
    a = AdaptedScorer(flag_share=0.12).fit(X, y)
    assert a.predict(X).mean() == pytest.approx(0.12, abs=0.002)
    rule = "the top 12% of the market's adapted risks when adapted (1,000 tenders; the share given)"
    assert a.threshold_rule_ == rule
    b = AdaptedScorer().fit(X, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X))  # the risks are the same: the cut moved
    with pytest.raises(ValueError, match="flag_share must be a share between 0 and 1"):
        AdaptedScorer(flag_share=1.5).fit(X, y)


def test_logistic_towards_zero_is_scikit_learns():
    """The hand-written objective (needed for a prior other than 0) solves scikit-learn's problem at prior 0."""
    from sklearn.linear_model import LogisticRegression

    from graphkit.collusion.adapt import _fit_logistic

    rng = np.random.default_rng(1)
    Z = rng.normal(size=(60, 4))
    y = (Z[:, 0] - Z[:, 2] + rng.normal(size=60) > 0.8).astype(float)
    b0, w = _fit_logistic(Z, y, np.zeros(4), 0.3)
    ref = LogisticRegression(C=0.3, class_weight="balanced", max_iter=1000, tol=1e-8).fit(Z, y)
    np.testing.assert_allclose(w, ref.coef_.ravel(), atol=1e-4)
    assert abs(b0 - ref.intercept_[0]) < 1e-4
    _, w1 = _fit_logistic(Z, y, np.array([5.0, 0, 0, 0]), 0.3)
    assert w1[0] > w[0] + 1  # a prior of 5 on the first input pulls its weight up


def test_a_few_uninformative_labels_leave_the_default_ranking_mostly_in_place():
    """Ten confirmed tenders whose labels carry no information: with the prior at the unseen-market default,
    the adapted ranking stays near the default in most draws; an L2 prior towards 0 lets them reorder it."""
    rng = np.random.default_rng(3)
    n = 300
    X = pd.DataFrame(
        {"market": "m", "n_bids": 5.0, "CV": rng.random(n), "SPD": rng.random(n), "KURT": rng.normal(size=n)}
    )
    default = AdaptedScorer().fit(X, np.full(n, -1)).predict_proba(X)[:, 1]
    rho = {"default": [], "zero": []}
    for seed in range(20):
        r = np.random.default_rng(seed)
        y = np.full(n, -1)
        y[r.choice(n, 10, replace=False)] = r.permutation([0] * 5 + [1] * 5)
        for prior in rho:
            risk = AdaptedScorer(prior=prior).fit(X, y).predict_proba(X)[:, 1]
            rho[prior].append(pd.Series(risk).corr(pd.Series(default), method="spearman"))
    assert np.median(rho["default"]) > 0.95
    assert np.median(rho["default"]) > np.median(rho["zero"]) + 0.3
    with pytest.raises(ValueError, match="prior must be"):
        AdaptedScorer(prior="flat").fit(X, np.full(n, -1))


def test_unseen_risk_blend_is_the_mean_of_the_two_percentiles(feats):
    class Fixed:
        def predict_proba(self, X):
            r = np.linspace(0, 1, len(X))
            return np.column_stack([1 - r, r])

    lf = LabelFreeScorer().fit(feats)
    blend = unseen_risk(feats, Fixed(), how="blend", label_free=lf)
    r = lf.predict_proba(feats)[:, 1]
    pm = pd.Series(np.linspace(0, 1, len(feats))).rank(pct=True).to_numpy()
    np.testing.assert_allclose(blend, np.where(np.isnan(r), np.nan, (pm + r) / 2))
    np.testing.assert_array_equal(unseen_risk(feats, None, how="label-free", label_free=lf), r)


def test_guarded_blends_only_where_the_model_ranks_like_the_screens(feats):
    """The guarded default reads no label: it compares the two risks in the market itself."""
    from graphkit.collusion.adapt import agreement, unseen_choice, within_market_percentile

    lf = LabelFreeScorer().fit(feats)
    r = lf.predict_proba(feats)[:, 1]

    class Like:  # ranks the tenders as the screens do
        def predict_proba(self, X):
            v = np.nan_to_num(r, nan=0.5)
            return np.column_stack([1 - v, v])

    class Against:  # ranks them the other way round
        def predict_proba(self, X):
            v = 1 - np.nan_to_num(r, nan=0.5)
            return np.column_stack([1 - v, v])

    risk, used = unseen_choice(feats, Against(), how="guarded", label_free=lf)
    (m,) = used
    assert used[m][0] < -0.9 and used[m][1] == "label-free"
    np.testing.assert_array_equal(risk, r)
    risk, used = unseen_choice(feats, Like(), how="guarded", label_free=lf)
    assert used[m][0] > 0.9 and used[m][1] == "blend"
    # the model weighs what one family of the label-free score weighs there; "blend" gives it half
    k = lf.family_count(m)
    assert k >= 3
    pm = within_market_percentile(Like().predict_proba(feats)[:, 1], feats["market"].to_numpy())
    ok = np.isfinite(r)
    np.testing.assert_allclose(risk[ok], (pm[ok] + k * r[ok]) / (k + 1))
    half = unseen_risk(feats, Like(), how="blend", label_free=lf)
    np.testing.assert_allclose(half[ok], (pm[ok] + r[ok]) / 2)
    # "blend" blends whatever the correlation; no model: label-free
    _, used = unseen_choice(feats, Against(), how="blend", label_free=lf)
    assert used[m][1] == "blend"
    risk, used = unseen_choice(feats, None, how="guarded", label_free=lf)
    assert used[m][1] == "label-free" and np.isnan(used[m][0])
    np.testing.assert_array_equal(risk, r)
    # too few tenders to compare: no correlation, so no blend
    assert np.isnan(agreement(np.array([0.1, 0.2]), np.array([0.3, 0.1]), np.array(["a", "a"]))["a"])
    with pytest.raises(ValueError, match="how must be one of"):
        unseen_choice(feats, Like(), how="vote", label_free=lf)


def test_cover_screens_left_out_where_the_lowest_bid_does_not_win():
    """An average-bid market (winner rarely the lowest bid): DIFFP, RD, SKEW, KSTEST carry no direction there;
    a lowest-price market in the same frame keeps them."""
    from graphkit.collusion.unsupervised import LOWEST_WINS_SCREENS

    rng = np.random.default_rng(4)
    n = 120
    rows = []
    for m, wr in (("aba", 0.4), ("fpa", 0.0)):
        rows.append(
            pd.DataFrame(
                {
                    "market": m,
                    "n_bids": 6.0,
                    "winner_rank": wr,
                    **{c: rng.normal(size=n) for c in ("CV", "SPD", "DIFFP", "RD", "SKEW", "KSTEST")},
                }
            )
        )
    X = pd.concat(rows, ignore_index=True)
    s = LabelFreeScorer().fit(X)
    assert s.lowest_wins_ == {"aba": 0.0, "fpa": 1.0}
    D = oriented_percentiles(X, s)
    aba = (X["market"] == "aba").to_numpy()
    cover = [c for c in LOWEST_WINS_SCREENS if c in D.columns]
    assert D.loc[aba, cover].isna().all().all() and D.loc[~aba, cover].notna().all().all()
    # the aba market's risk does not move with its cover screens; the fpa market's does
    Y = X.copy()
    Y.loc[aba, "DIFFP"] = rng.normal(size=aba.sum())
    Y.loc[~aba, "DIFFP"] = rng.normal(size=(~aba).sum())
    r0, r1 = s.predict_proba(X)[:, 1], LabelFreeScorer().fit(Y).predict_proba(Y)[:, 1]
    np.testing.assert_array_equal(r0[aba], r1[aba])
    assert not np.array_equal(r0[~aba], r1[~aba])
    _, reasons = s.explain(X[aba].head(20))
    assert not any("two lowest bids apart" in t for t in reasons)
    # no winner column: nothing is left out
    assert LabelFreeScorer().fit(X.drop(columns="winner_rank")).lowest_wins_ == {}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("adapt")
    make_bids(150, seed=1).to_csv(d / "market_a.csv", index=False)
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "train",
            "--lang",
            "en",
            "--bids",
            str(d / "market_a.csv"),
            "--out",
            str(d / "m.skops"),
            "--max-iter",
            "40",
        ],
    )
    assert res.exit_code == 0, res.output
    return d


def test_score_bids_on_an_unseen_market_says_what_it_uses(trained, tmp_path):
    from graphkit.collusion.adapt import UNSEEN_DEFAULT

    src = tmp_path / "newcity.csv"
    make_bids(120, seed=9).drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    out = tmp_path / "o.csv"
    res = CliRunner().invoke(
        main,
        ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(trained / "m.skops"), "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "is not one the model was trained on" in res.output
    assert "(README, section 'Tender collusion (围标串标)', paragraph 'Unseen markets with a model')" in res.output
    word = {
        "model": "by the model all the same",
        "label-free": "label-free screen score instead",
        "blend": "mean of",
        "guarded": "if the two rank its tenders alike",
    }
    assert word[UNSEEN_DEFAULT] in res.output
    if UNSEEN_DEFAULT == "guarded":
        assert "market 'newcity': the model's risk and the label-free screen score rank its tenders with" in res.output
        # the closing line says what scored the tenders: it said "with the model" where the guard had left the
        # model out and the label-free score alone had scored every tender
        alone = "scored by the label-free screen score alone" in res.output
        *closing, tier = res.output.strip().splitlines()[-2:]  # the priority tier's line last, in every mode
        closing = closing[0]
        assert tier.startswith("priority tier: 6 of 120 scored tenders")
        assert closing.startswith("scored ") and not re.match(r"scored [\d,]+ tenders with the model", closing)
        said = "by the label-free screen score alone" if alone else "by the label-free screen score with the model as"
        assert said in closing, closing
    t = pd.read_csv(out)
    assert len(t) == 120


def test_a_model_that_gives_a_new_market_one_risk_is_said_so(trained, tmp_path, monkeypatch):
    """A model trained with the bidders' record gave every tender of a new market the same risk (8.37e-05 on
    Japan, trained on the USA): the console said "cannot be compared (fewer than 3 tenders both score)" and "the
    model ranks the tenders unlike the screens", where 1,080 tenders scored and the model ranked none."""
    from graphkit.collusion.scorer import CollusionScorer

    def one_risk(self, X):
        return np.column_stack([np.full(len(X), 1 - 8.37e-05), np.full(len(X), 8.37e-05)])

    def one_reason(self, X, progress=None):
        return np.full(len(X), 8.37e-05), ["model" for _ in range(len(X))]

    monkeypatch.setattr(CollusionScorer, "predict_proba", one_risk)
    monkeypatch.setattr(CollusionScorer, "explain", one_reason)
    src = tmp_path / "newcity.csv"
    make_bids(120, seed=9).drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "score-bids",
            "--lang",
            "en",
            str(src),
            "--model",
            str(trained / "m.skops"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "cannot be compared: the model gives all 120 tenders the same risk (" in res.output
    assert "fewer than 3 tenders both score" not in res.output
    assert "(the model does not rank the tenders as the screens do)" in res.output.strip().splitlines()[-2]


def test_score_bids_with_a_model_reads_the_segment_for_the_unseen_markets_label_free_score(trained, tmp_path):
    """`--segment` serves the label-free score of a market the model was not trained on, as without a model;
    a column the user names must be there, and it cannot contradict the model's own."""
    df = make_bids(240, seed=12).drop(columns=["Collusive_competitor"])
    tenders = df["Tender"].drop_duplicates().to_numpy()
    kind = dict(zip(tenders, np.array(["road", "bridge", "school"])[np.arange(len(tenders)) % 3], strict=True))
    src = tmp_path / "newcity.csv"
    df.assign(Contract_type=df["Tender"].map(kind)).to_csv(src, index=False)
    out = tmp_path / "o.csv"
    model = str(trained / "m.skops")
    args = ["collusion", "score-bids", "--lang", "en", str(src), "--model", model, "--out", str(out)]
    res = CliRunner().invoke(main, [*args, "--segment", "Contract_type"])
    assert res.exit_code == 0, res.output
    assert "market 'newcity': the model's risk and the label-free screen score rank its tenders with" in res.output
    assert "label-free score reads" in res.output
    t = pd.read_csv(out)
    assert len(t) == 240 and t["reasons_en"].str.contains("of segment ").any()
    res = CliRunner().invoke(main, [*args, "--segment", "Kind"])
    assert res.exit_code != 0 and "Kind" in res.output


def test_adapt_then_score_bids_with_the_adapted_model(trained, tmp_path):
    df = make_bids(200, seed=10)
    src = tmp_path / "newcity.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    lab = df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(30)
    lab.to_csv(tmp_path / "confirmed.csv", index=False)
    m2 = tmp_path / "adapted.skops"
    args = ["collusion", "adapt", "--lang", "en", "--bids", str(src), "--labels", str(tmp_path / "confirmed.csv")]
    res = CliRunner().invoke(main, [*args, "--model", str(trained / "m.skops"), "--out", str(m2)])
    assert res.exit_code == 0, res.output
    assert f"from 30 confirmed tenders ({int(lab['Collusive_competitor'].sum())} collusive)" in res.output
    assert isinstance(load_any(m2), AdaptedScorer)
    # score-bids' own file, its first 30 tenders checked and a label column added, is a labels file: under --lang en
    # its column 'tender' (adapt had refused it: no 'Tender'), by default its header 标段, which the reader takes
    # for Tender as it takes 是否串标 for the label (no second run: the headers are what differs)
    from loaders.bids import LABEL, header

    assert header(COLUMN_NOTES["tender"][0]) == "Tender" and header("是否串标") == LABEL
    said = pd.Series(lab["Collusive_competitor"].astype(str).to_numpy(), index=lab["Tender"].astype(str))
    scores = tmp_path / "scores.csv"
    res = CliRunner().invoke(main, ["collusion", "score-bids", "--lang", "en", str(src), "--out", str(scores)])
    assert res.exit_code == 0, res.output
    back = pd.read_csv(scores, encoding="utf-8-sig", dtype=str)
    back = back[back["tender"].isin(said.index)]
    back[LABEL] = back["tender"].map(said)
    back.to_csv(tmp_path / "checked.csv", index=False, encoding="utf-8-sig")
    res = CliRunner().invoke(
        main, [*args[:-1], str(tmp_path / "checked.csv"), "--model", str(trained / "m.skops"), "--out", str(m2)]
    )
    assert res.exit_code == 0 and "from 30 confirmed tenders" in res.output, res.output
    out = tmp_path / "o.csv"
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(m2), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out)
    assert len(t) == 200 and t["reasons_en"].str.contains("adapted to 30 confirmed tenders").all()
    assert t["reasons"].str.contains("按本市场 30 个已核实标段调整").all()
    # a renamed copy of the file names no market (no market column, no --market): it had been refused for its
    # name alone ("adapted to market 'newcity', not 'copy'"); it is scored as the model's market, saying so, with
    # the same risks
    copy = tmp_path / "copy.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(copy, index=False)
    again = tmp_path / "again.csv"
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(copy), "--model", str(m2), "--out", str(again)]
    )
    assert res.exit_code == 0, res.output
    assert "copy.csv names no market (no market column, no --market): scored as market 'newcity'" in res.output
    pd.testing.assert_frame_equal(pd.read_csv(again), t)
    # another market's bids under no market's name (most of them rigged): scored as the model's market, but not
    # known to be its tenders, so flagged above the median of the file's own risks, the upper half, as the line
    # says; newcity's threshold had flagged most of the file and called itself "本市场调整后风险的中位数"
    elsewhere = tmp_path / "unnamed.csv"
    make_bids(200, seed=12, collusive_share=0.8).drop(columns=["Collusive_competitor"]).to_csv(elsewhere, index=False)
    for lang, said in (
        (
            "en",
            r"flagged above the threshold 0\.\d{3} \(median of this file's adapted risks \(it names no market: the ",
        ),
        (
            "zh",
            r"个标记为可疑，高于阈值 0\.\d{3}（本文件调整后风险的中位数（文件未指明市场：取本文件风险较高的一半））",
        ),
    ):
        res = CliRunner().invoke(
            main, ["collusion", "score-bids", "--lang", lang, str(elsewhere), "--model", str(m2), "--out", str(again)]
        )
        assert res.exit_code == 0 and re.search(said, res.output), res.output
        u = read_scores(again)
        assert u["flagged"].sum() == u["risk"].notna().sum() // 2, res.output
    # ... and its label-free part read within the file itself, as an unseen market's is: a market where the highest
    # bid wins leaves the cover screens out, where it had kept newcity's decision (the lowest bid wins there), and its
    # screens are placed among its own tenders, not newcity's (AdaptedScorer.in_own_market). The bar ends on its
    # last step, where it had ended on "4/4 [features]"
    high = make_bids(200, seed=12, collusive_share=0.8).drop(columns=["Collusive_competitor"])
    high["Winner"] = (high["Bid_value"] == high.groupby("Tender")["Bid_value"].transform("max")).astype(int)
    high.to_csv(elsewhere, index=False)
    res = CliRunner(env={"GRAPHKIT_PROGRESS": "bar"}).invoke(
        main, ["collusion", "score-bids", str(elsewhere), "--model", str(m2), "--out", str(again)]
    )
    assert res.exit_code == 0, res.output
    assert "市场 'newcity' 未采用陪标筛查指标 DIFFP" in res.output, res.output
    assert re.search(r"4/4 \[[^\]\r\n]*写入\]", res.output) and not re.search(r"4/4 \[[^\]\r\n]*特征\]", res.output)
    f = tender_features(frame_to_bids(high.astype(str), file="unnamed.csv", market="newcity").bids)
    want = np.round(load_any(m2).in_own_market(f).predict_proba(f)[:, 1], 4)
    before = np.round(load_any(m2).predict_proba(f)[:, 1], 4)
    u = read_scores(again)
    got = u.set_index(u["tender"].astype(str))["risk"].reindex(f["tender"].astype(str)).to_numpy(dtype=float)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    assert np.nanmax(np.abs(want - before)) > 0.05
    # the model's own market keeps the threshold set when adapted, said as what it is: the median of the tenders
    # adapt read, not of the file scored
    res = CliRunner().invoke(main, ["collusion", "score-bids", str(src), "--model", str(m2), "--out", str(again)])
    assert re.search(r"高于阈值 0\.\d{3}（(调整时本市场 [\d,]+ 个标段调整后风险的中位数|已核实标段上)", res.output), (
        res.output
    )
    # a market the data or --market names is another market: refused by name, not scored with the wrong weights
    named = tmp_path / "elsewhere.csv"
    df.drop(columns=["Collusive_competitor"]).assign(market="elsewhere").to_csv(named, index=False)
    for src_, extra in ((named, []), (copy, ["--market", "other"])):
        res = CliRunner().invoke(
            main, ["collusion", "score-bids", "--lang", "en", str(src_), "--model", str(m2), "--out", str(out), *extra]
        )
        assert res.exit_code != 0 and "this model was adapted to market 'newcity', and " in res.output, res.output
        assert "--market 'newcity'" in res.output and ("its market column" if not extra else "(--market)") in res.output
        zh = CliRunner().invoke(
            main, ["collusion", "score-bids", str(src_), "--model", str(m2), "--out", str(out), *extra]
        )  # in Chinese, by default
        assert zh.exit_code != 0 and "本模型是针对市场 'newcity' 调整的，而 " in zh.output, zh.output
        assert ("（其市场列）" if not extra else "（--market）") in zh.output and "请加 --market 'newcity'" in zh.output


def test_adapt_reports_unusable_label_rows(trained, tmp_path):
    df = make_bids(40, seed=11)
    src = tmp_path / "c.csv"
    df.to_csv(src, index=False)
    bad = pd.DataFrame({"Tender": [df["Tender"].iloc[0], 99999], "Collusive_competitor": ["maybe", "1"]})
    bad.to_csv(tmp_path / "l.csv", index=False)
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "adapt",
            "--lang",
            "en",
            "--bids",
            str(src),
            "--labels",
            str(tmp_path / "l.csv"),
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert res.exit_code != 0
    assert "l.csv line 2, column Collusive_competitor: 'maybe' is not 0 or 1" in res.output
    assert "l.csv line 3, column Tender: no such tender in the bid file" in res.output


def test_adapt_says_how_much_of_the_market_it_flags_and_that_it_is_not_the_share_of_cartels(tmp_path):
    """20 collusive and 20 competitive confirmed tenders of a market where about 15 % are rigged: adapt said its
    threshold and rule only, and the threshold flagged about half the market unsaid. It says how many tenders it
    flags, that balanced accuracy (not the share of rigged tenders) sets it, that the confirmed tenders' balance does
    not tell that share either, and the priority tier; ``--flag-share 0.15`` flags the riskiest 15 %, in English and
    in Chinese."""
    df = make_bids(300, seed=31, collusive_share=0.15)
    src = tmp_path / "m.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    t = df.drop_duplicates("Tender")
    lab = pd.concat([t[t["Collusive_competitor"] == 1].head(20), t[t["Collusive_competitor"] == 0].head(20)])
    lab[["Tender", "Collusive_competitor"]].to_csv(tmp_path / "confirmed.csv", index=False)
    out = tmp_path / "a.skops"
    args = ["collusion", "adapt", "--bids", str(src), "--labels", str(tmp_path / "confirmed.csv"), "--out", str(out)]
    res = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert res.exit_code == 0, res.output
    a = load_any(out)
    f = tender_features(frame_to_bids(df.drop(columns=["Collusive_competitor"]).astype(str), file="m.csv").bids)
    k, n = int(a.predict(f).sum()), len(f)
    assert f"flags {k:,} of the market's {n:,} scored tenders ({k / n:.0%}): a flag counts" in res.output, res.output
    assert "no estimate of it; nor do the confirmed tenders tell that share (their own, 20 of 40," in res.output
    assert "the priority tier, the riskiest 5 %, is the list to start from" in res.output
    assert "--flag-share Q flags the riskiest share Q instead" in res.output
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert f"按此阈值标记本市场已评分的 {n:,} 个标段中的 {k:,} 个（{k / n:.0%}）" in res.output, res.output
    assert "优先复核（风险最高的 5%）是应先查看的名单" in res.output
    res = CliRunner().invoke(main, [*args, "--lang", "en", "--flag-share", "0.15"])
    assert res.exit_code == 0, res.output
    k = int(load_any(out).predict(f).sum())
    assert abs(k - 0.15 * n) <= 1 and f"flags {k:,} of the market's {n:,} scored tenders" in res.output
    assert "the top 15% of the market's adapted risks when adapted" in res.output
    assert "the share given with --flag-share" in res.output and "instead" not in res.output
    res = CliRunner().invoke(main, [*args, "--flag-share", "0.15"])
    assert "调整时本市场 300 个标段中调整后风险最高的 15%（给定的份额）" in res.output, res.output
    res = CliRunner().invoke(main, [*args, "--lang", "en", "--flag-share", "1"])
    assert res.exit_code != 0 and "--flag-share" in res.output


def test_adapt_reads_labels_as_a_commission_writes_them(tmp_path):
    """Chinese headers and 是/否 give the same adapted weights as Tender / 0-1; a broken line is named by its line."""
    df = make_bids(120, seed=12)
    src = tmp_path / "c.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    lab = df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(30)
    lab.to_csv(tmp_path / "plain.csv", index=False)
    cn = pd.DataFrame({"标段编号": lab["Tender"], "围标串标": np.where(lab["Collusive_competitor"] == 1, "是", "否")})
    cn.to_csv(tmp_path / "cn.csv", index=False, encoding="gbk")
    weights = {}
    for name in ("plain", "cn"):
        out = tmp_path / f"{name}.skops"
        args = [
            "collusion",
            "adapt",
            "--lang",
            "en",
            "--bids",
            str(src),
            "--labels",
            str(tmp_path / f"{name}.csv"),
            "--out",
            str(out),
        ]
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
        weights[name] = load_any(out).weights()
    pd.testing.assert_series_equal(weights["plain"], weights["cn"])
    broken = tmp_path / "broken.csv"
    broken.write_text((tmp_path / "plain.csv").read_text() + "5,1,one field too many\n", encoding="utf-8")
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "adapt",
            "--lang",
            "en",
            "--bids",
            str(src),
            "--labels",
            str(broken),
            "--out",
            str(tmp_path / "b"),
        ],
    )
    assert res.exit_code != 0 and "broken.csv line 32:" in res.output


def test_an_adapted_model_of_the_first_version_asks_to_be_rebuilt():
    """Files of the first version hold a scikit-learn LogisticRegression and no coef_: a clear error, not a crash."""
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.random(60), "SPD": rng.random(60)})
    y = np.full(60, -1)
    y[:10] = [0, 1] * 5
    a = AdaptedScorer().fit(X, y)
    del a.coef_
    with pytest.raises(ValueError, match="run `graphkit collusion adapt` again"):
        a.predict_proba(X)


def test_dates_are_read_in_days_whatever_unit_the_file_used():
    from graphkit.collusion.features import date_days

    np.testing.assert_allclose(date_days(np.array([1980.0, 1990.0])), [1980 * 365.25, 1990 * 365.25])
    np.testing.assert_allclose(date_days(np.array([366.0, 732.0, np.nan])), [366.0, 732.0, np.nan])  # day index
    np.testing.assert_allclose(date_days(np.array([1.0505376e9])), [1.0505376e9 / 86400])  # Unix seconds
    np.testing.assert_allclose(date_days(np.array([1.0505376e12])), [1.0505376e12 / 86_400_000])  # milliseconds
    np.testing.assert_allclose(date_days(np.array([44000.5])), [44000.5])  # an Excel serial date
    df = make_bids(40, seed=2)
    df["Date"] = np.where(df["Tender"].astype(int) % 2 == 0, "2021-03-01", "2022-03-01")
    f = _features(df)
    assert set(np.round(f["tender_days"].unique())) == {18687.0, 19052.0}  # days since 1970
    assert "tender_days" not in _features(make_bids(40, seed=2).drop(columns="Date", errors="ignore")).columns


def test_a_context_counts_only_where_tenders_resemble_their_neighbours():
    """One date for every tender, or one firm in every tender: the leave-one-out mean is the market's sum
    less the tender itself, the tender's own score reversed; such a context is read but does not count."""
    from graphkit.collusion.features import BIDDER_SEP

    X = _regime(300)
    flat = X.assign(tender_days=100.0, bidders="ONE" + BIDDER_SEP + "ANOTHER")
    s = LabelFreeScorer().fit(flat)
    assert s.context_ == ["period", "bidders"]
    assert s.context_rho_["period\x1fm"] < -0.9 and s.context_rho_["bidders\x1fm"] < -0.9
    assert s.context_used_ == {}
    plain = LabelFreeScorer(context=False).fit(flat)
    np.testing.assert_array_equal(s.predict_proba(flat), plain.predict_proba(flat))
    # the regime's own dates do resemble: there it counts
    r = LabelFreeScorer().fit(X)
    assert r.context_rho_["period\x1fm"] > 0.3 and r.context_used_ == {"m": ["period"]}


def _no_cartel(seed: int, tenders: int = 300, firms: int = 40) -> pd.DataFrame:
    """A market with no cartel: every tender's bids, bidders and day drawn independently."""
    rng = np.random.default_rng(seed)
    n = rng.integers(2, 9, tenders)
    t = np.repeat(np.arange(tenders), n)
    day = (pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1000, tenders), unit="D")).strftime("%Y-%m-%d")
    raw = pd.DataFrame(
        {
            "Tender": t,
            "Bid_value": np.round(rng.lognormal(12, 0.05, n.sum()), 2),
            "Competitors": rng.integers(0, firms, n.sum()),
            "Date": day.to_numpy()[t],
        }
    )
    raw["Winner"] = (raw.groupby("Tender")["Bid_value"].transform("min") == raw["Bid_value"]).astype(int)
    return _features(raw)


def test_a_context_that_resembles_its_neighbours_no_more_than_chance_does_not_count():
    """The sign of the correlation alone let a context count wherever chance made it positive. The permutation
    test (screens shuffled among tenders of as many bids, dates and bidders kept) keeps those beyond chance.
    In 20 markets with no cartel the period context no longer counts anywhere (the sign let 2 through). The
    bidders context still counts in 9 (the sign: 15): the conduct screens are the bidders' own, so tenders
    that share a pair of firms which met often by chance share them too, a structure the shuffles break;
    README, a market with no labelled past."""
    sign = {"period": 0, "bidders": 0}
    tested = {"period": 0, "bidders": 0}
    for seed in range(20):
        s = LabelFreeScorer().fit(_no_cartel(seed))
        for c in sign:
            rho, p = s.context_rho_[f"{c}\x1fm"], s.context_p_[f"{c}\x1fm"]
            assert np.isnan(p) == (not rho > 0)  # tested only where the sign would have counted it
            sign[c] += rho > 0
            tested[c] += p <= 0.05
            assert (c in s.context_used_.get("m", [])) == (rho > 0 and p <= 0.05)
    assert (sign, tested) == ({"period": 2, "bidders": 15}, {"period": 0, "bidders": 9})  # the figures README gives
    r = LabelFreeScorer().fit(_regime(300))
    assert r.context_p_["period\x1fm"] == pytest.approx(0.01) and r.context_used_ == {"m": ["period"]}


def test_the_permutation_test_reads_the_contexts_the_scorer_reads():
    """The shuffles' statistic is the scorer's own: the leave-one-out means that count for the test are those
    `_context_raw` gives the fitted tenders, period and bidders alike."""
    from graphkit.collusion.unsupervised import _bidder_means, _period_means

    f = _no_cartel(3)
    s = LabelFreeScorer().fit(f)
    own = s._own(f)
    raw = s._context_raw(f, f["market"].to_numpy(dtype=object))
    ok = np.isfinite(own)
    days = f["tender_days"].to_numpy(dtype=float)[ok]
    np.testing.assert_allclose(_period_means(days)(own[ok]), raw["period"].to_numpy()[ok], rtol=1e-12)
    pairs = s._bidder_pairs(f[ok], np.full(int(ok.sum()), "", dtype=object))
    means = _bidder_means(pairs["row"].to_numpy(), pd.factorize(pairs["bidder"])[0], int(ok.sum()))
    np.testing.assert_allclose(means(own[ok]), raw["bidders"].to_numpy()[ok], rtol=1e-12)


# ------------------------------------------------------------------------- tenders no mode scores
def test_a_single_bid_has_no_risk_in_the_unseen_default_nor_the_adapted_model(feats):
    """One rule in every mode: a tender of one bid has no screen, so no risk and no flag; the model's
    percentile alone (the blend's old fallback) or the adapted weights must not rank it."""
    from graphkit.collusion.adapt import unseen_choice

    class Fixed:
        def predict_proba(self, X):
            r = np.linspace(0, 1, len(X))
            return np.column_stack([1 - r, r])

    lone = feats.iloc[[0]].copy()
    lone.index = ["m|lone"]
    lone["tender"], lone["n_bids"] = "lone", 1.0
    lone.loc[:, [c for c in lone.columns if c not in ("market", "tender", "n_bids")]] = np.nan
    X = pd.concat([feats, lone])
    for how in ("blend", "guarded", "label-free"):
        risk, _ = unseen_choice(X, Fixed(), how=how)
        assert np.isnan(risk[-1]) and np.isfinite(risk[:-1]).all(), how
    y = np.full(len(X), -1)
    y[:30] = (X["CV"].to_numpy()[:30] < np.median(X["CV"])).astype(int)
    y[-1] = 1  # a confirmed single bid: nothing to learn from, left out of the fit
    a = AdaptedScorer().fit(X, y)
    assert a.n_labelled_ == 30 and a.n_unscorable_labels_ == 1
    risk, reasons = a.explain(X)
    assert np.isnan(risk[-1]) and reasons[-1] == "single bid" and a.predict(X)[-1] == 0
    assert np.isfinite(risk[:-1]).all()


def test_adapted_reasons_are_what_raised_this_tenders_risk_worded_by_the_contribution():
    """Here a high CV goes with collusion (the literature's direction reversed): the oriented CV weighs
    against collusion, so a tender with a high CV has its risk *raised* by it. The reason must say so
    (contribution = weight x (value - market's typical value)), not follow the weight's sign; identical
    bids are said first."""
    rng = np.random.default_rng(5)
    n = 400
    X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.random(n) + 0.05, "SPD": rng.random(n) + 0.05})
    X["tie_share"] = 0.0
    X.loc[n - 1, ["CV", "SPD", "tie_share"]] = [0.0, 0.0, 1.0]  # all five bids equal
    truth = (X["CV"] > 0.6).astype(int).to_numpy()
    y = np.full(n, -1)
    y[:60] = truth[:60]
    a = AdaptedScorer().fit(X, y)
    assert a.weights()["CV"] < 0
    risk, reasons = a.explain(X)
    flagged = risk > a.threshold_
    top = int(np.nanargmax(np.where(X["CV"] > 0.9, risk, np.nan)))
    assert flagged[top] and "CV" in reasons[top]
    cv_part = next(p for p in reasons[top].split("; ") if p.startswith("CV"))
    assert cv_part.endswith("(raises the risk here)")
    for i in np.flatnonzero(flagged):
        assert "lowers the risk" not in reasons[i] and "weighs" not in reasons[i]
    for i in np.flatnonzero(~flagged):
        assert reasons[i].startswith("looks competitive: ") and "raises the risk" not in reasons[i]
    assert reasons[n - 1].removeprefix("looks competitive: ").startswith("all 5 bids identical; adapted to 60")


def _modes_file(d) -> pd.DataFrame:
    df = _bad_file()
    df.to_csv(d / "newcity.csv", index=False)
    return df


#: the closing line of score-bids in each language: scored, flagged, single-bid, without a usable bid
_CLOSING = {
    "en": r"scored ([\d,]+) tenders .*: ([\d,]+) flagged .*; ([\d,]+) single-bid and ([\d,]+) without a usable bid",
    "zh": r"^已评分 ([\d,]+) 个标段（.*）：([\d,]+) 个标记为可疑，.*；"
    r"([\d,]+) 个仅一家投标、([\d,]+) 个无可用报价，未评分",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["label-free", "unseen", "known", "adapted"])
def test_unscorable_tenders_have_no_risk_and_the_counts_add_up_in_every_mode(trained, tmp_path, mode, lang):
    """A single bid and a tender that lost every bid: risk empty, never flagged, with the reason, in every mode
    of score-bids; the closing line's counts add up to the rows written, in a Chinese sentence by default (with
    the file's path and the market's name as they are) and in English under --lang en."""

    df = _modes_file(tmp_path)
    src = tmp_path / "newcity.csv"
    args = ["collusion", "score-bids", "--lang", lang, str(src), "--out", str(tmp_path / "o.csv")]
    if mode in ("unseen", "known", "adapted"):
        args += ["--model", str(trained / "m.skops")]
    if mode == "known":
        args += ["--market", "market_a"]
    if mode == "adapted":
        lab = df[df["Tender"].isin([str(t) for t in range(40)] + ["lone"])].drop_duplicates("Tender")
        lab = lab.assign(Collusive_competitor=lab["Collusive_competitor"].replace("", "1"))
        lab[["Tender", "Collusive_competitor"]].to_csv(tmp_path / "l.csv", index=False)
        res = CliRunner().invoke(
            main,
            [
                "collusion",
                "adapt",
                "--lang",
                lang,
                "--bids",
                str(src),
                "--labels",
                str(tmp_path / "l.csv"),
                "--out",
                str(tmp_path / "a.skops"),
                "--model",
                str(trained / "m.skops"),
            ],
        )
        assert res.exit_code == 0, res.output
        if lang == "en":
            assert "1 confirmed tenders of one bid not used" in res.output and "from 40 confirmed tenders" in res.output
        else:
            assert "1 个仅一家投标的已核实标段未使用" in res.output
            n1 = int(lab.loc[lab["Tender"] != "lone", "Collusive_competitor"].eq("1").sum())  # lone: one bid, unused
            assert f"已按 40 个已核实标段（其中串标 {n1} 个）" in res.output, res.output
        args[args.index("--model") + 1] = str(tmp_path / "a.skops")
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    t = read_scores(tmp_path / "o.csv", dtype={"tender": str})
    by = t.set_index("tender")
    # every mode adds the priority tier (优先复核) after flagged: a model's scores had none, on a market it was not
    # trained on either, where the label-free score scores it
    keys = ["tender", "risk", "flagged", "priority", "reasons", *FACTS, "reasons_en"]
    assert list(t.columns) == keys
    # headed in Chinese by default (they had been the keys in every language), the keys under --lang en
    heads = list(pd.read_csv(tmp_path / "o.csv", nrows=0, encoding="utf-8-sig").columns)
    assert heads == (keys if lang == "en" else [COLUMN_NOTES[k][0] for k in keys]), heads
    assert (
        np.isnan(by.loc["lone", "risk"])
        and by.loc["lone", "flagged"] == 0
        and by.loc["lone", "reasons_en"] == "single bid"
    )
    for k in ("nobid", "nonpos"):
        assert (
            np.isnan(by.loc[k, "risk"])
            and by.loc[k, "flagged"] == 0
            and by.loc[k, "reasons_en"].startswith("no usable bid")
        )
    assert "all 4 bids identical" in by.loc["equal", "reasons_en"] and "4 家报价完全相同" in by.loc["equal", "reasons"]
    assert t["risk"].notna().sum() == len(t) - 3 and t.loc[t["risk"].isna(), "flagged"].eq(0).all()
    lines = res.output.strip().splitlines()
    line = next((x for x in lines if re.search(_CLOSING[lang], x)), lines[-1])
    m = re.search(_CLOSING[lang], line)
    assert m, line
    # the closing lines end with the priority tier: its size and its rule; the tier the riskiest 5 % of the scored
    k = int(t["priority"].sum())
    assert k == np.ceil(0.05 * (len(t) - 3)) and t["priority"].iloc[:k].all()  # the riskiest rows, written first
    said = (
        f"priority tier: {k} of {len(t) - 3} scored tenders"
        if lang == "en"
        else f"优先复核：{k} 个标段（已评分 {len(t) - 3} 个）"
    )
    assert lines[-1].startswith(said) and ("5 %" in lines[-1] if lang == "en" else "5%" in lines[-1]), lines[-1]
    scored, flagged, single, lost = (int(g.replace(",", "")) for g in m.groups())
    assert (scored, single, lost) == (len(t) - 3, 1, 2) and flagged == int(t["flagged"].sum())
    assert line.endswith(str(tmp_path / "o.csv"))
    if lang == "zh":  # a Chinese sentence: no English word left once the path and the markets' names are taken out
        words = line.replace(str(tmp_path / "o.csv"), "").replace("newcity", "").replace("market_a", "")
        assert not re.findall(r"[A-Za-z]{3,}", words), line
        if mode == "label-free":  # the market named before its threshold (风险 newcity 0.50 read as a risk "newcity")
            assert re.search(r"高于本市场的无标签阈值（newcity：风险 \d\.\d{3}，", line), line
    if mode == "label-free":  # three decimals, as on the model's path (风险 0.50 beside 0.500); the market named
        # before its threshold in English too ("risk newcity 0.50" read as a risk "newcity")
        assert re.search(r"newcity(: risk |：风险 )\d\.\d{3}[,，]", line), line


def test_tenders_with_the_same_relative_bids_get_the_same_percentile_and_risk():
    """Twelve lots of the same four firms at the same relative prices (amounts scaled per lot) have one CV in
    exact arithmetic, but computed from other amounts it differed in the 17th digit: the lots read 'lowest 4 %'
    to 'lowest 18 %' and risks 0.89 to 0.76, ordered by rounding noise. They are ties now."""
    df = make_bids(60, seed=11, collusive_share=0.0).drop(columns=["Collusive_competitor"])
    rows = []
    for k, scale in enumerate((1.0, 3.1, 7.3, 0.37, 11.9, 1.7)):
        for j, (firm, rel) in enumerate(zip(("R1", "R2", "R3", "R4"), (1.0, 1.004, 1.009, 1.013), strict=True)):
            rows.append(
                {
                    "Tender": 9000 + k,
                    "Date": 5_000_000 + 86_400 * k,
                    "Competitors": firm,
                    "Winner": int(j == 0),
                    "Bid_value": repr(123456.7 * scale * rel),
                }
            )
    df = pd.concat([df.astype(str), pd.DataFrame(rows).astype(str)], ignore_index=True)
    X = _features(df)
    ours = np.isin(X["tender"].astype(str), [str(t) for t in range(9000, 9006)])
    assert X.loc[ours, "CV"].nunique() > 1, "the CVs differ in their last digits, as computed"
    out = score_label_free(X)
    mine = out[out["tender"].astype(str).isin([str(t) for t in range(9000, 9006)])]
    assert len(mine) == 6 and mine["risk"].nunique() == 1, mine["risk"].tolist()
    cv = {m.group(0) for r in mine["reasons"] if (m := re.search(r"CV [^;]*?, lowest \d+ %", r))}
    assert len(cv) <= 1, cv
