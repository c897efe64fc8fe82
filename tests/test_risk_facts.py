"""One fact, one count in the risk score (:data:`graphkit.risk.features.FAMILIES`).

A single contract to a relative's company scored ``linked_spend_share`` (6), ``staff_family_tender_wins`` (4),
``linked_suppliers`` (2) and the warning on that contract 6 more: an inspector reading the score believed four
findings where there was one. The features that read one fact now count once, at their largest deviation, and
a warning on that fact counts it once with them, at the larger of the two. Hand-made feature matrices with
exact expected scores; the portrait's lines add up to the score shown, the Isolation Forest's term included.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from graphkit.risk.features import FAMILIES, FEATURES, families, family_column, warning_counts
from graphkit.risk.scorer import AnomalyScorer


def _quiet_units(n: int = 40) -> pd.DataFrame:
    """``n`` government units of one peer group with every feature at the ordinary level (all 0 or 1)."""
    cols = [f.name for f in FEATURES["unit"]]
    X = pd.DataFrame(0.0, index=[f"u{i}" for i in range(n)], columns=cols)
    for c in ("price_premium", "fuel_ratio", "fuel_unexplained"):  # ratios: 1 is ordinary
        X[c] = 1.0
    X["peer"] = "government|mid"
    X["name"] = X.index
    return X


def _red(model: str, unit: str, outcome: str | None = None) -> dict:
    """A ledger record of a red warning of ``model`` on ``unit`` (``outcome`` ``true_positive``: verified)."""
    return {"model": model, "entities": [unit], "types": ["unit"], "level": "red", "outcome": outcome}


def _scored_with(warnings: list[dict]) -> tuple[pd.DataFrame, AnomalyScorer]:
    """Quiet units (:func:`_quiet_units`) with ``warnings``' counts, and a scorer fitted on them."""
    X = _quiet_units()
    counts = warning_counts(warnings, _NO_RECORDS, "unit")
    for c in counts.columns:
        X[c] = counts[c].reindex(X.index).fillna(0.0)
    return X, AnomalyScorer(kind="unit").fit(X)


def _one_relative_contract(X: pd.DataFrame, unit: str) -> None:
    """One contract (half the unit's spend) to a relative's company, won at the unit's own tender."""
    X.loc[unit, ["linked_spend_share", "linked_suppliers", "staff_family_business", "staff_family_tender_wins"]] = [
        0.5,
        1.0,
        1.0,
        1.0,
    ]


def test_every_feature_is_in_one_family_and_every_family_model_exists():
    from graphkit.rules import get

    for kind in ("unit", "person", "company"):
        names = [f.name for f in FEATURES[kind] if not f.warnings]
        declared = [n for fam in FAMILIES[kind] for n in fam.features]
        assert sorted(declared) == sorted(names), kind  # each anomaly feature in exactly one declared family
        assert len({fam.name for fam in families(kind)}) == len(families(kind))
        for fam in FAMILIES[kind]:
            assert fam.zh and fam.en
            for m in fam.models:
                assert get(m).id == m


def test_one_contract_to_a_relatives_company_counts_once():
    """Four conflict-of-interest features and the warning on the same contract: one fact, counted once."""
    X = _quiet_units()
    _one_relative_contract(X, "u0")
    sc = AnomalyScorer(kind="unit").fit(X)
    z = sc.deviations(X).loc["u0"]
    assert z["linked_spend_share"] == 6.0 and z["staff_family_tender_wins"] == 4.0  # still four deviations
    parts = sc.score_parts(X).loc["u0"]
    # before: 6 + 4×½ + 2×¼ = 8.5 from one contract
    assert parts["anomaly"] == pytest.approx(6.0) and parts["warnings"] == 0.0
    assert sc.anomaly_terms(X.loc[["u0"]])[0] == [
        {"family": "conflict", "feature": "linked_spend_share", "z": 6.0, "times": 1.0}
    ]
    # the relative_wins_tender warning on that contract: the fact counts once, at max(6 points, 6 deviation)
    W = X.copy()
    W.loc["u0", "warnings_red"] = 1.0
    W[family_column("red", "conflict")] = 0.0
    W.loc["u0", family_column("red", "conflict")] = 1.0
    sw = AnomalyScorer(kind="unit").fit(W)
    p = sw.score_parts(W).loc["u0"]
    assert (p["anomaly"], p["warnings"], p["score"]) == pytest.approx((0.0, 6.0, 6.0))  # before: 8.5 + 6 = 14.5
    assert sw.warning_terms(W.loc[["u0"]])[0] == [
        {"family": "conflict", "points": 6.0, "z": 6.0, "feature": "linked_spend_share", "counted": 6.0}
    ]
    # a warning of another fact still adds in full: a red fuel warning (a model of no family here) on top
    V = W.copy()
    V.loc["u0", "warnings_red"] = 2.0
    assert AnomalyScorer(kind="unit").fit(V).score_parts(V).loc["u0", "warnings"] == pytest.approx(12.0)


def test_a_banquet_warning_and_the_reception_features_count_once():
    """Receptions without a letter and above standard, and the banquet_no_letter warning on them."""
    X = _quiet_units()
    X["reception_per_guest"] = 150.0
    X.loc["u1", ["reception_per_guest", "reception_no_letter_share"]] = [400.0, 0.6]
    X["warnings_yellow"] = 0.0
    X.loc["u1", "warnings_yellow"] = 1.0
    X[family_column("yellow", "receptions")] = 0.0
    X.loc["u1", family_column("yellow", "receptions")] = 1.0
    sc = AnomalyScorer(kind="unit").fit(X)
    z = sc.deviations(X).loc["u1"]
    assert z["reception_per_guest"] == 6.0 and z["reception_no_letter_share"] == 6.0
    p = sc.score_parts(X).loc["u1"]
    # before: 6 + 6×½ (two reception features) + 2 (the yellow warning on the same receptions) = 11
    assert (p["anomaly"], p["warnings"]) == pytest.approx((0.0, 6.0))


def test_the_score_never_falls_when_a_warning_is_added():
    rng = np.random.default_rng(3)
    X = _quiet_units(60)
    for c in ("linked_spend_share", "direct_share", "hotline_tickets", "reception_per_guest", "supplier_hhi"):
        X[c] = rng.gamma(1.0, 0.2 if "share" in c or c == "supplier_hhi" else 40.0, len(X))
    fams = [f.name for f in FAMILIES["unit"] if f.models]
    for fam in fams:
        X[family_column("orange", fam)] = 0.0
    base = AnomalyScorer(kind="unit").fit(X)
    s0 = base.anomaly_score(X)
    for fam in fams:
        W = X.copy()
        W["warnings_orange"] = 1.0
        W[family_column("orange", fam)] = 1.0
        s1 = pd.Series(base._combine(base.deviations(W), base._ledger(W)), index=W.index)
        assert (s1 >= s0 - 1e-9).all(), fam
        assert (s1 >= s0 + 4.0 - 1e-9).sum() >= 1  # adds its 4 where its fact was ordinary


def test_warning_counts_split_by_the_fact_their_model_rests_on():
    t = {"posts": pd.DataFrame(columns=["person", "unit", "end_date"])}
    warnings = [
        {"model": "relative_wins_tender_1hop", "entities": ["P1"], "types": ["person"], "level": "red"},
        {"model": "prisoner_paid", "entities": ["P1"], "types": ["person"], "level": "red"},
        {"model": "relative_wins_tender_2hop", "entities": ["P2"], "types": ["person"], "level": "orange"},
    ]
    c = warning_counts(warnings, t, "person")
    assert c.loc["P1", "warnings_red"] == 2.0 and c.loc["P1", family_column("red", "conflict")] == 1.0
    assert c.loc["P2", family_column("orange", "conflict")] == 1.0 and c.loc["P2", "warnings_red"] == 0.0


def test_a_warning_factor_names_no_peer_median():
    """`未核销红色预警 1 条，同类中位数 1` read as a comparison with the peers: the count is scored from zero."""
    X = _quiet_units()
    X["warnings_red"] = 1.0  # every unit has one: the median is 1
    X.loc["u3", "warnings_red"] = 2.0
    sc = AnomalyScorer(kind="unit").fit(X)
    [f] = [f for f in sc.factors(X.loc[["u3"]])[0] if f["feature"] == "warnings_red"]
    assert f["text"] == "未核销红色预警 2 条，按条数计分、不与同类比较", f["text"]
    assert "中位数" not in f["text"] and "median" not in f["text_en"]


def _headline(line: str) -> tuple[float, list[float]]:
    m = re.search(r"得分 ([\d.]+) = (.+?)）", line)
    assert m, line
    return float(m.group(1)), [float(x) for x in re.findall(r"[\d.]+", m.group(2))]


def test_the_portrait_headline_and_its_arithmetic_add_up_with_the_isolation_forest():
    """With ``iforest`` on, the headline said 得分 = 异常 + 预警 and left the forest's term out of the sum."""
    from graphkit.portrait_render import _risk_lines, speak
    from graphkit.risk.portrait import _scores

    rng = np.random.default_rng(5)
    X = _quiet_units(60)
    for c in ("direct_share", "hotline_tickets", "supplier_hhi", "single_bid_share"):
        X[c] = rng.gamma(1.0, 0.3, len(X))
    _one_relative_contract(X, "u0")
    X.loc["u0", "warnings_red"] = 1.0
    X[family_column("red", "conflict")] = 0.0
    X.loc["u0", family_column("red", "conflict")] = 1.0
    X.loc["u0", "warnings_yellow"] = 1.0
    for sc in (AnomalyScorer(kind="unit", iforest=0.5).fit(X), AnomalyScorer(kind="unit").fit(X)):
        got = _scores(X, "unit", ["u0", "u1"], True, sc)
        for r in got.values():
            lines = [speak(t) for _, t in _risk_lines({"kind": "unit", "risk": r, "use_warnings": True})]
            score, terms = _headline(lines[0])
            assert score == pytest.approx(r["score"], abs=0.005)
            assert sum(terms) == pytest.approx(score, abs=0.02), lines[0]
            assert ("孤立森林" in lines[0]) == (sc.iforest > 0)
            [method] = [t for t in lines if t.startswith("得分算法")]
            w = re.search(r"预警 = 各项预警事实的计分相加（(.+?) = ([\d.]+)）", method)
            assert w and float(w.group(2)) == pytest.approx(r["parts"]["warnings"], abs=0.005), method
            counted = 0.0
            for term in w.group(1).split(" + "):  # a warned fact: its count, then the two it is the larger of
                pair = re.search(r" ([\d.]+)（预警 ([\d.]+)、偏离 ([\d.]+) 取较大者）$", term)
                if pair:
                    assert float(pair.group(1)) == max(float(pair.group(2)), float(pair.group(3))), term
                counted += float(pair.group(1) if pair else term.split()[-1])
            assert counted == pytest.approx(r["parts"]["warnings"], abs=0.02), method
            if sc.iforest > 0:
                assert f"另加孤立森林 {r['parts']['iforest']:.2f}" in method
    r = got["u0"]
    assert r["parts"]["warnings"] == pytest.approx(6.0 + 2.0)  # the conflict once (6), the yellow of no family 2
    lines = [speak(t) for _, t in _risk_lines({"kind": "unit", "risk": r, "use_warnings": True})]
    # the factors of the same fact after its first say they are not counted again
    same = [t for t in lines if "不另计" in t]
    assert same and all("职工及亲属关联企业" in t for t in same)
    assert any("此项事实另有模型预警" in t for t in lines)


#: a unit's records through which a warning reaches it: none here (the warnings below name the units themselves)
_NO_RECORDS = {
    t: pd.DataFrame(columns=[key, "unit"])
    for t, key in (
        ("tenders", "tender"),
        ("contracts", "contract"),
        ("fuel_cards", "card"),
        ("receptions", "reception"),
        ("vehicle_stops", "vehicle"),
    )
}


def test_warnings_of_no_feature_count_per_model_and_a_verified_one_adds_4():
    """Two red warnings of models no feature reads had counted 9 (by level, together), where a red on a feature's
    fact and one such red counted 12: the same two distinct facts, two sums. Each model is now a fact of its own
    (6 + 6); one model's two reds on one unit count as that model's (9); a verified one adds 4 on top, said on
    the portrait's line as 核实 +4."""
    from graphkit.portrait_render import _risk_lines, speak
    from graphkit.risk.portrait import _scores

    warnings = [
        _red("prisoner_paid", "u0"),
        _red("fuel_holiday", "u0"),  # two models no feature reads, two facts
        _red("prisoner_paid", "u1"),
        _red("prisoner_paid", "u1"),  # one model twice on one unit
        _red("relative_wins_tender_1hop", "u2"),
        _red("prisoner_paid", "u2"),  # a red on a feature's fact and one of no feature's
        _red("prisoner_paid", "u3", "true_positive"),  # verified: its red and 4 more
    ]
    X, sc = _scored_with(warnings)
    w = sc.score_parts(X)["warnings"]
    assert (w["u0"], w["u1"], w["u2"], w["u3"]) == pytest.approx((12.0, 9.0, 12.0, 10.0))
    terms = sc.warning_terms(X.loc[["u0", "u3"]])
    assert [(t["model"], t["counted"]) for t in terms[0]] == [("fuel_holiday", 6.0), ("prisoner_paid", 6.0)]
    assert [(t["model"], t.get("verified", False), t["counted"]) for t in terms[1]] == [
        ("prisoner_paid", False, 6.0),
        (None, True, 4.0),
    ]
    # the portrait names each model's term and the verified one's, and says the rule
    r = _scores(X, "unit", ["u0", "u3"], True, sc)
    method = {
        u: next(speak(t) for _, t in _risk_lines({"kind": "unit", "risk": r[u]}) if speak(t).startswith("得分算法"))
        for u in r
    }
    assert "节假日公车加油 6.0 + 服刑（羁押）人员仍领取养老金、工资或救助 6.0 = 12.00" in method["u0"], method["u0"]
    assert "服刑（羁押）人员仍领取养老金、工资或救助 6.0 + 核实 +4.0 = 10.00" in method["u3"], method["u3"]
    assert "不同模型的预警是不同事实，各自全计" in method["u0"] and "另加 4" in method["u0"]


def test_verified_warnings_add_per_fact_as_open_ones_do():
    """A warning verified true adds 4 on top of its level's points; two verified of distinct facts had added 4 + 2
    (halving across all of an entity's warnings), where their open points add in full (6 + 6), against the rule
    "distinct facts add in full, a further one of the same fact half the last". Per fact now: 4 + 4 across two
    facts, 4 + 2 within one."""
    from graphkit.risk.portrait import _scores

    def red(model, unit):
        return _red(model, unit, "true_positive")

    warnings = [
        red("prisoner_paid", "u0"),
        red("fuel_holiday", "u0"),  # two facts, both confirmed: 6 + 6, and 4 + 4 on top
        red("prisoner_paid", "u1"),
        red("prisoner_paid", "u1"),  # one fact confirmed twice: 9, and 4 + 2 on top
        red("relative_wins_tender_1hop", "u2"),
        red("prisoner_paid", "u2"),  # a family's fact and a model's own: 6 + 6, and 4 + 4
    ]
    X, sc = _scored_with(warnings)
    w = sc.score_parts(X)["warnings"]
    assert (w["u0"], w["u1"], w["u2"]) == pytest.approx((20.0, 15.0, 20.0))
    verified = [[t["counted"] for t in ts if t.get("verified")] for ts in sc.warning_terms(X.loc[["u0", "u1"]])]
    assert verified == [[8.0], [6.0]]
    r = _scores(X, "unit", ["u0"], True, sc)["u0"]
    assert r["score"] == pytest.approx(w["u0"] + r["parts"]["anomaly"], abs=0.01)


def test_a_small_citys_unit_with_red_warnings_is_not_said_ordinary():
    """The top of a 5-unit city is above 4 of them, risk 80, and the level needed risk 95 for red (85 for orange): the
    fixture city's unit with 5 open red warnings read 风险分 80.0（一般）. The score (warning points and capped
    deviations, a scale that does not depend on the number of peers) sets the level too: two red facts red, one
    orange; the portrait says the rule."""
    from graphkit.portrait_render import _risk_lines, speak
    from graphkit.risk.portrait import _scores

    models = ("prisoner_paid", "fuel_holiday", "banquet_no_letter", "fuel_private_plate", "privileged_vehicle")
    warnings = [_red(m, "u0") for m in models] + [_red("prisoner_paid", "u1")]
    X = _quiet_units(5)
    counts = warning_counts(warnings, _NO_RECORDS, "unit")
    for c in counts.columns:
        X[c] = counts[c].reindex(X.index).fillna(0.0)
    r = _scores(X, "unit", list(X.index), True, AnomalyScorer(kind="unit").fit(X))
    assert r["u0"]["risk"] == 80.0 and r["u0"]["score"] >= 30
    assert [r[u]["level"] for u in X.index] == ["red", "orange", "normal", "normal", "normal"]
    lines = [speak(t) for _, t in _risk_lines({"kind": "unit", "risk": r["u0"], "use_warnings": True})]
    assert lines[0].startswith("风险分 80.0 / 100（红色）"), lines[0]
    assert any(t.startswith("等级：") and "得分 ≥12" in t and "得分 ≥6" in t for t in lines), lines


def test_each_warning_factor_line_is_coloured_by_its_own_warnings_level():
    """Under a red unit an orange warning's factor line printed red (PDF and HTML alike read the line's style): the
    red level was the unit's, not the warning's. Each warning factor is now its own level's colour, a yellow one
    plain; a statistic's line is red where it is a red unit's deviation of 4 or more."""
    from graphkit.portrait_render import _risk_lines, speak
    from graphkit.risk.portrait import _scores

    def warning(model, level):
        return {"model": model, "entities": ["u0"], "types": ["unit"], "level": level, "outcome": None}

    warnings = [
        warning("prisoner_paid", "red"),
        warning("fuel_gps_mismatch", "orange"),
        warning("split_contracts", "orange"),
        warning("banquet_no_letter", "yellow"),
    ]
    X, sc = _scored_with(warnings)
    X.loc["u0", "hotline_tickets"] = 40.0  # a statistic far out: a red unit's deviation of 6
    r = _scores(X, "unit", ["u0"], True, sc)["u0"]
    assert r["level"] == "red", r
    lines = [(s, speak(t)) for s, t in _risk_lines({"kind": "unit", "risk": r, "use_warnings": True})]
    style = {t.split("，")[0]: s for s, t in lines if t.startswith("· ")}
    assert style["· 未核销红色预警 1 条"] == "red", style
    assert style["· 未核销橙色预警 2 条"] == "orange", style
    assert style["· 未核销黄色预警 1 条"] == "p", style
    assert [s for k, s in style.items() if "热线工单" in k] == ["red"], style


def test_the_fuel_factors_say_their_ratio_is_of_tanks_worth():
    """Section 二 said 单车年加油量最高为同类车辆中位数的 3.0 倍: not that the ratio is of tanks' worth (litres ÷ tank
    capacity, as section 五 counts it), and 年 where the figure is over every fill on record."""
    X = _quiet_units()
    X.loc["u0", ["fuel_ratio", "fuel_unexplained"]] = [3.0, 2.5]
    sc = AnomalyScorer(kind="unit").fit(X)
    said = {f["feature"]: f for f in sc.factors(X.loc[["u0"]])[0]}
    ratio, after = said["fuel_ratio"], said["fuel_unexplained"]
    assert ratio["text"].startswith("单车加油量按箱数计（加油升数 ÷ 油箱容积）最高为同类车辆中位数的 3.0 倍"), ratio
    assert "年" not in ratio["text"] and "tanks' worth (litres ÷ tank capacity)" in ratio["text_en"], ratio
    assert after["text"].startswith("单车加油量按箱数计、扣除行驶量（GPS 停留次数）后仍为同类车辆中位数的 2.5"), after
    assert "tanks' worth" in after["text_en"] and "after its GPS-recorded driving" in after["text_en"], after


def test_a_size_band_is_named_by_its_staff_against_its_kind_not_as_large():
    """The bands are the thirds of a kind's units by staff in this city: the demo's top third of government units,
    of 1-3 staff, was named 政府部门·大规模, and a team read a unit of one person as a large one. The band is named
    by how its staff compare with its kind's here (人数较多), beside its staff, and the note says it is relative."""
    from graphkit.risk.features import _size_band
    from graphkit.risk.scorer import BANDS_NOTE_ZH, peer_name_zh

    X = _quiet_units(30)
    X["staff"] = [0.0] * 12 + [1.0] * 9 + [3.0] * 9
    X["peer"] = "government|" + _size_band(X["staff"], pd.Series("government", index=X.index))
    sc = AnomalyScorer(kind="unit").fit(X)
    top = X.loc["u29", "peer"]
    assert top == "government|large" and sc.staff_range_[top] == (3, 3)
    said = sc.comparison_words(top, lang="zh")
    assert said == "同类 政府部门·人数较多（9 个单位，在职 3 人）", said
    assert [peer_name_zh(f"government|{b}") for b in ("small", "mid", "large")] == [
        "政府部门·人数较少",
        "政府部门·人数居中",
        "政府部门·人数较多",
    ]
    assert "规模" not in said and "相对比较" in BANDS_NOTE_ZH and "不代表单位规模大小" in BANDS_NOTE_ZH


def test_a_persons_factor_names_whose_median_it_is():
    """A person's factor said 亲属关系 4 条，中位数 2 and 涉及金额 806.4 万元，中位数 0 元: the median of whom was left
    to guess (a unit's says 同类单位中位数). A person's names its group (在职人员), a company's the city's companies."""
    cols = [f.name for f in FEATURES["person"]]
    X = pd.DataFrame(0.0, index=[f"p{i}" for i in range(40)], columns=cols)
    X["family_degree"] = 2.0
    X.loc["p0", "family_degree"] = 9.0
    X["peer"] = ["staff"] * 20 + ["other"] * 20
    X["name"] = X.index
    sc = AnomalyScorer(kind="person").fit(X)
    [f] = [f for f in sc.factors(X.loc[["p0"]])[0] if f["feature"] == "family_degree"]
    assert f["text"] == "亲属关系 9 条，在职人员中位数 2", f
    assert f["text_en"] == "9 family ties; median of staff 2", f
    C = pd.DataFrame(0.0, index=[f"c{i}" for i in range(40)], columns=[f.name for f in FEATURES["company"]])
    C.loc["c0", "win_rate"] = 0.9
    C["peer"], C["name"] = "all", C.index
    sc = AnomalyScorer(kind="company").fit(C)
    [f] = [f for f in sc.factors(C.loc[["c0"]])[0] if f["feature"] == "win_rate"]
    assert f["text"] == "中标率 90%，全市企业中位数 0%", f
