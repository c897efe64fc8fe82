"""The tender-collusion reasons in Chinese (graphkit/collusion/words.py): every sentence the scorers write is said
in Chinese with no English left, each screen named by its Chinese name with its abbreviation once, ratio screens
said as the multiple they are, and the English kept as ``reasons_en``."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from collusion_data import make_bids, make_segment_bids

from graphkit.collusion.words import COLUMN_NOTES, SCREEN_ZH, bilingual, headed, keyed, zh
from loaders.bids import frame_to_bids, tender_labels

#: Latin words a Chinese reason may keep: the screens' abbreviations, the file a bid came from, the tooling
#: names an analyst knows by them, and the test data's firm ids (R1, F12) and contract types
_KEPT = {*SCREEN_ZH, "KS", "MAC", "IP", "bids.csv", "csv", "Contract_type", "min", "max", "sub", "CV", "RD"}


def english_left(text: str) -> list[str]:
    """Words of three or more Latin letters in ``text`` that are not kept on purpose."""
    words = re.findall(r"[A-Za-z_][A-Za-z_.]{2,}", text)
    return [w for w in words if w not in _KEPT and not re.fullmatch(r"[RF]\d+", w)]


def _features(df: pd.DataFrame, name: str, segment: str | None = None):
    from graphkit.collusion.features import tender_features

    t = frame_to_bids(df.astype(str), file=name, with_label=True, segment=segment)
    f = tender_features(t.bids)
    return f, tender_labels(t.bids).reindex(f.index).astype(int)


#: the knowledge graph's sentences, as the demo city's tenders.csv, bidders.csv and communities.csv write them
KG = [
    "6 of 6 bidders share one bid agent; 6 of 6 bidders share one bid-bond paying account; 5 of 5 losing bids "
    "priced 0.5%-3.0% above the winning price; winner rotates: 6 of its bidders met in 7 tenders and won 7, 6 "
    "different winners, the winner changed 6 times",
    "bids unusually close: CV 0.8% vs 4.7% typical of 工程 tenders here; 2 of 4 bidders share one legal "
    "representative; 5 of 5 bidders belong to one bidder community of 25 companies (community 2)",
    "bidders share identifiers (3 bids); 1 of 1 losing bid priced 0.5%-3.0% above the winning price",
    "member of bidder community 3 (6 companies, risk 0.94); bid in 7 tenders scoring risk ≥ 0.5 (highest 0.97); "
    "shares bid agent, bid-bond paying account, bid-document author, executive, legal representative, shareholder "
    "with 5 companies it bid against; 6 losing bids 0.5%-3.0% above the winner",
    "bid in 1 tender scoring risk ≥ 0.5 (highest 0.69); shares registered address with 1 company it bid against; "
    "1 losing bid 0.5%-3.0% above the winner",
    "15 of 15 member pairs share identifiers: bid-bond paying account (15 pairs), bid agent (15 pairs), phone "
    "number (1 pair); 7 of its 7 joint tenders score risk ≥ 0.5 (mean 0.96); members bid together in 7 tenders "
    "and won 7, 6 different winners; a typical pair met in 7 tenders",
    "single bid",
    "1 of 5 bids quarantined (duplicate bid: same tender, bidder and price as bids.csv line 846, line 883); "
    "scored on the other 4; risk in the top 48 % of this market's tenders",
    "no usable bid: 3 bids quarantined (bid is not a number, lines 452, 453, 454)",
    "2 of 4 bids quarantined (bid withdrawn or disqualified, rows 3, 4; bid must be a positive finite amount, "
    "row 9); scored on the other 2",
]


@pytest.fixture(scope="module")
def every_reason():
    """Reasons of every scorer on small markets: the label-free score (with a segment), a model trained on
    labels (with its bidders' and segments' record, every reason group it can name), an adapted model."""
    from graphkit.collusion.adapt import AdaptedScorer
    from graphkit.collusion.scorer import CollusionScorer
    from graphkit.collusion.unsupervised import LabelFreeScorer

    X, y = _features(make_bids(160, seed=1), "a.csv")
    S, ys = _features(make_segment_bids(200, seed=1), "seg.csv", segment="Contract_type")
    said = list(LabelFreeScorer().fit(X).explain(X)[1]) + list(LabelFreeScorer().fit(S).explain(S)[1])
    model = CollusionScorer(n_reasons=20, min_contribution=0.0, max_iter=40, cv=3).fit(X, y)
    said += model.explain(X)[1]
    seg = CollusionScorer(bidder_history=False, segment="Contract_type", n_reasons=20, max_iter=40, cv=3)
    said += seg.fit(S, ys).explain(S)[1]
    labels = np.where(np.arange(len(y)) < 60, y.to_numpy(), -1)
    said += AdaptedScorer(base=model).fit(X, labels).explain(X)[1]
    return said


def test_every_reason_the_scorers_write_is_said_in_chinese(every_reason):
    """The reasons were English with internal names ("gap of the two lowest bids / spread of the losing bids
    57.83, highest 2 % of this market's tenders with 3 bids"); each is now said in Chinese, no English left."""
    assert len(every_reason) > 500
    left = {}
    for text in [*every_reason, *KG]:
        bad = english_left(zh(text))
        if bad:
            left[re.sub(r"[\d.,]+", "#", text)] = (text, zh(text), bad)
    assert not left, "\n".join(f"{c!r} -> {z!r} {b}" for c, z, b in list(left.values())[:20])


def test_each_screen_is_named_in_chinese_with_its_abbreviation_once():
    en = (
        "risk in the top 1 % of this market's tenders; CV 0.83 %, lowest 1 % of this market's tenders with 5-6 "
        "bids; CV 1.2 %, lowest 10 % of this market's tenders; spread of bids 5.1 %, lowest 1 % of this market's "
        "tenders with 7-9 bids; its bidders' other tenders look collusion-like on the screens (highest 6 % of this "
        "market's tenders)"
    )
    said = zh(en)
    assert said.startswith("风险居本市场标段前 1%；变异系数（CV）0.83%，在本市场 5-6 家投标的标段中属最低的 1%；"), said
    assert said.count("（CV）") == 1 and "变异系数 1.2%" in said and "报价极差率（SPD）5.1%" in said, said
    assert "其投标人参与的其他标段呈串标特征（在本市场标段中属最高的 6%）" in said, said
    assert zh("looks competitive: kurtosis -3.09, lowest 16 % of this market's tenders with 4 bids") == (
        "看似正常竞争：峰度（KURT）-3.09，在本市场 4 家投标的标段中属最低的 16%"
    )


def test_ratio_screens_are_said_as_the_multiple_they_are():
    """RD and sub_RD_max reach hundreds on 3-4-bid tenders ("largest relative distance in a 3-4 bid subgroup
    351.36"): said as how many times the other bids' spread the gap of the two lowest is, the score unchanged."""
    said = zh(
        "largest relative distance in a 3-4 bid subgroup 351.36, highest 1 % of this market's tenders with 3 bids"
    )
    assert "最低两价之差是其余报价标准差的 351 倍（其余报价几乎相同）" in said and "351.36" not in said, said
    assert said.startswith("3-4 家子组最大相对距离（sub_RD_max）351：某 3-4 家报价中，"), said
    small = zh("gap of the two lowest bids / spread of the losing bids 0.15, lowest 14 % of this market's tenders")
    assert "相对距离（RD）0.15：最低两价之差是其余报价标准差的 0.15 倍，" in small and "几乎相同" not in small, small
    model = zh("gap between the two lowest bids 57.8× the spread of the losing bids (market 1.2×)")
    assert model == "相对距离（RD）58：最低两价之差是其余报价标准差的 58 倍（其余报价几乎相同），本市场中位数 1.2 倍"


def test_the_english_is_kept_last_as_reasons_en_and_a_clause_no_rule_knows_stays_english():
    frame = pd.DataFrame({"tender": ["T1", "T2"], "risk": [0.9, np.nan], "reasons": ["single bid", None], "x": 1})
    out = bilingual(frame)
    assert list(out.columns) == ["tender", "risk", "reasons", "x", "reasons_en"]  # every other column in place
    assert out["reasons_en"].tolist()[0] == "single bid" and out["reasons"].iloc[0].startswith("单一报价")
    assert pd.isna(out["reasons"].iloc[1]) and bilingual(out) is out  # once only
    assert zh("something new; single bid") == "something new；单一报价（仅 1 家投标，无从比较）"


def test_every_column_the_outputs_write_is_named_in_chinese():
    from graphkit.cli.collusion import FACTS

    written = ["market", "tender", "risk", "flagged", "reasons", *FACTS, "reasons_en"]
    written += ["CV", "SPD", "DIFFP", "RD", "KURT", "SKEW", "KSTEST", "e_screens", "e_cover_bids", "e_shared_ids"]
    written += ["e_community", "e_rotation", "cover_bids", "community", "member_names", "e_tenders"]
    assert not [c for c in written if c not in COLUMN_NOTES]
    assert all(re.search(r"[\u4e00-\u9fff]", COLUMN_NOTES[c][0]) for c in written)
    # one vocabulary both ways: no two keys share a Chinese header (报价数 had named bids and n_bids, 中标价
    # winning_bid and win_price), so a file headed in Chinese reads back by key whichever output wrote it
    names = [name for name, _ in COLUMN_NOTES.values()]
    assert len(set(names)) == len(names) and not set(names) & set(COLUMN_NOTES)
    frame = pd.DataFrame([range(len(COLUMN_NOTES))], columns=list(COLUMN_NOTES))
    assert keyed(headed(frame)).equals(frame) and headed(frame, "en") is frame


@pytest.mark.parametrize(
    "rule",
    [
        "median (no scored tender)",
        "top 10% of the market",
        "median (the upper half of the market)",
        "median (fewer than 30 tenders to look for a second group)",
        "median (the scores show no second group)",
        "median (the mixture's two groups overlap: Ashman's D 1.4, not above 2)",
        "median (the mixture's two groups do not overlap the scores)",
        "two-component mixture of the market's scores",
        "median of the market's adapted risks (fewer than 20 confirmed tenders of each outcome)",
        "median of the market's adapted risks when adapted (1,080 tenders; fewer than 20 confirmed tenders of each "
        "outcome)",
        "median of this file's adapted risks (it names no market: the upper half of the file)",
        "median of this file's adapted risks (its tenders are unlike the market's: the upper half of the file)",
        "median of the market's combined risks (the upper half of the market)",
        "the label-free rule's share of the market, the top 12%, on the combined risks",
        "best balanced accuracy on the confirmed tenders",
        "the label-free market threshold (no confirmed tenders of both outcomes)",
    ],
)
def test_each_threshold_rule_the_scorers_write_reads_in_chinese_with_its_figures(rule):
    """score-bids' and adapt's closing lines say how a threshold was set; the console read the model's English."""
    from graphkit.collusion.words import rule_zh

    said = rule_zh(rule)
    assert not re.search(r"[A-Za-z]{3,}", said.replace("Ashman", "")), said
    assert re.findall(r"[\d.]+", said) == re.findall(r"[\d.]+", rule.replace("'s D", "")), said


def test_the_bid_reader_s_warnings_read_in_chinese():
    from graphkit.collusion.words import dropped_zh, read_note_zh

    assert read_note_zh("a.csv: column(s) not read: Site, CV and 2 more") == "a.csv：未读取的列：Site、CV，另有 2 列"
    assert read_note_zh("a.csv: column(s) not read: Site") == "a.csv：未读取的列：Site"
    assert dropped_zh("not a positive amount") == "不是正数金额"
    assert read_note_zh("a.csv: something new") == "a.csv: something new"  # unknown: as it is, not guessed at


def test_reasons_are_put_in_chinese_without_importing_scikit_learn():
    """``collusion score``'s step 中文理由 imported scikit-learn and SciPy (seconds of each run, most of that step)
    for the English names of the label-free screens: they live in :mod:`graphkit.collusion.screens` now, which the
    label-free scorer reads too."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from graphkit.collusion.words import zh\n"
        "said = zh('spread of bids 2.0 %, lowest 1 % of this market\\'s tenders with 3-4 bids')\n"
        "assert said.startswith('报价极差率'), said\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
    from graphkit.collusion.screens import SCREEN_NAMES
    from graphkit.collusion.unsupervised import _LABELS

    assert _LABELS is SCREEN_NAMES


def test_communities_are_headed_alike_on_every_face():
    """Notebook 03's table headed the communities 团伙 and 企业数 where communities.csv, communities.html and the
    Collusion tab say 社区 and 规模: each face heads them from the one table (:func:`headed`)."""
    from graphkit.notebook import community_table

    scored = pd.DataFrame(
        {"risk": [0.936152], "reasons": ["15 对成员全部共用标识"], "size": [6], "members": ["a b"]},
        index=pd.Index([3], name="community"),
    )
    shown = community_table(scored)
    written = headed(scored.reset_index())  # as write_collusion_reports heads communities.csv
    assert list(shown.columns) == [COLUMN_NOTES[k][0] for k in ("community", "risk", "size", "reasons")]
    assert set(shown.columns) <= set(written.columns) and shown.iloc[0].tolist() == [3, 0.94, 6, scored.iloc[0, 1]]
    assert list(community_table(scored, lang="en").columns) == ["risk", "size", "reasons"]


def test_a_chinese_console_line_lists_its_items_with_the_chinese_comma():
    """未读取的列：a, b、the cover-screen note's screens, 投标人 1492, … and the unseen-market warning's markets were
    listed with the English ", " in Chinese lines: one joiner per language (:func:`listed`), ", " under --lang en."""
    from types import SimpleNamespace

    from graphkit.cli.collusion import _unseen_zh
    from graphkit.collusion.unsupervised import LabelFreeScorer, cover_note
    from graphkit.collusion.words import listed, read_note_zh

    X = pd.DataFrame(
        {"market": "it", "n_bids": 5.0, "winner_rank": [0.0, 0.5, 1.0, 0.25] * 10, "CV": np.arange(40.0)}
        | {"SPD": np.arange(40.0) % 5, "DIFFP": np.arange(40.0) % 7, "RD": np.arange(40.0) % 3}
    )
    lf = LabelFreeScorer().fit(X)
    said = [
        read_note_zh("b.csv: column(s) not read: Site, Capital, CV and 3 more"),
        read_note_zh(
            "b.csv: 5 bidders bid twice or more at different prices in one tender (tender 144, bidder 1492, …); "
            "bids kept"
        ),
        cover_note(lf, lang="zh"),
        _unseen_zh(SimpleNamespace(firm_stats_=None, markets_=["ch", "jp"]), ["it", "us"], None),
    ]
    assert [s for s in said if ", " in s] == []
    assert said[0] == "b.csv：未读取的列：Site、Capital、CV，另有 3 列"
    assert "（如标段 144 的投标人 1492 等）" in said[1], said[1]
    assert "陪标筛查指标 DIFFP、RD：" in said[2] and "改按 CV、SPD 排序" in said[2], said[2]
    assert said[3].startswith("市场 'it'、'us' 不是模型训练过的市场（'ch'、'jp'）"), said[3]
    assert "DIFFP, RD left out" in cover_note(lf) and listed(["a", "b"], "en") == "a, b"


def test_every_column_note_has_its_english_alone():
    """An ``--lang en`` workbook's notes sheet said each column's Chinese name and meaning (风险：串标风险 0-1 …)
    under English headers: every column the notes know is said in English too, with no Chinese in it."""
    import re

    from graphkit.collusion.words import COLUMN_NOTES, COLUMN_NOTES_EN, column_notes

    assert set(COLUMN_NOTES_EN) == set(COLUMN_NOTES)
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    assert not [k for k, v in COLUMN_NOTES_EN.items() if cjk.search(v) or not v.strip()]
    keys = list(COLUMN_NOTES)
    assert [k for k, _ in column_notes(keys, lang="en")] == keys == [k for k, _ in column_notes(keys)]


def test_every_output_note_of_bidders_and_communities_has_its_english():
    """bidders.csv's and communities.csv's own notes (:data:`NOTES_OF`: a company's bids, a community's risk) had
    no English: under ``--lang en`` a bidder's ``bids`` read "the tender's valid bids". Each key of each output is
    said in both languages, the English with no Chinese, and what an English reader is told is the output's own."""
    import re

    from graphkit.collusion.words import COLUMN_NOTES_EN, NOTES_OF, NOTES_OF_EN, column_note, column_notes

    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
    assert sorted(NOTES_OF) == sorted(NOTES_OF_EN) == ["bidders", "communities"]
    for of, notes in NOTES_OF.items():
        assert sorted(NOTES_OF_EN[of]) == sorted(notes), of
        for key in notes:
            en = column_note(key, of, "en")
            assert en == NOTES_OF_EN[of][key] and en.strip() and not cjk.search(en), (of, key, en)
            assert en != COLUMN_NOTES_EN.get(key), (of, key)  # its own, not the tender's
            assert not re.search(r"\bthe tender's\b|single bid", en), (of, key, en)
        said = dict(column_notes(list(notes), of, "en"))
        assert said == {k: NOTES_OF_EN[of][k] for k in notes if k in COLUMN_NOTES_EN}, of
