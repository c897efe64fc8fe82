"""`graphkit collusion train` and `score-bids` end to end on small files, malformed rows included."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from collusion_data import MARKET_FILES, SHARED_MARKETS, make_bids

from graphkit.cli import main
from graphkit.cli.collusion import CURRENCY_UNSAID_ANY, FACTS, read_scores
from graphkit.collusion.adapt import UNSEEN_DEFAULT


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    d = tmp_path_factory.mktemp("train")
    make_bids(150, seed=1).to_csv(d / "market_a.csv", index=False)
    make_bids(150, seed=2, scale=3e4).to_csv(d / "market_b.csv", index=False)
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "train",
            "--bids",
            str(d / "market_a.csv"),
            str(d / "market_b.csv"),
            "--out",
            str(d / "model.skops"),
            "--max-iter",
            "60",
        ],
    )
    assert res.exit_code == 0, res.output
    # the console in Chinese (no --lang): each market's tenders and collusive tenders as the files count them
    for name in ("market_a", "market_b"):
        k = int(pd.read_csv(d / f"{name}.csv").groupby("Tender")["Collusive_competitor"].max().sum())
        assert f"\n  {name}：150 个标段，其中串标 {k} 个\n" in res.output, res.output
    path = re.escape(str(d / "model.skops"))
    assert re.search(rf"^模型：{path}（阈值 \d\.\d{{3}}，按训练数据选定；\d+ 个特征）$", res.output, re.M), res.output
    assert re.search(r"^从 2 个文件读取 1,5\d\d 条报价：采用 1,5\d\d 条，隔离 0 条（", res.output, re.M), res.output
    return d / "model.skops"


@pytest.mark.parametrize("cmd", [["collusion"], ["collusion", "train"], ["collusion", "score-bids"]])
def test_help(cmd):
    res = CliRunner().invoke(main, [*cmd, "--help"])
    assert res.exit_code == 0 and "用法" in res.output


def test_score_bids_reports_malformed_rows_and_scores_the_rest(tmp_path, model):
    df = make_bids(60, seed=5, first_tender=1000).drop(columns=["Collusive_competitor"])
    df["Ignored column"] = "x"  # anything not in the format is ignored
    df = df.astype(str)
    df.loc[2, "Bid_value"] = "abc"  # spreadsheet row 4
    df.loc[5, "Tender"] = ""  # spreadsheet row 7
    df.loc[9, "Bid_value"] = "-5"  # spreadsheet row 11
    lone = pd.DataFrame(
        [
            {
                "Tender": "single-1",
                "Date": "1",
                "Competitors": "F1",
                "Winner": "1",
                "Bid_value": "123456.5",
                "Ignored column": "y",
            }
        ]
    )
    df = pd.concat([df, lone], ignore_index=True)
    src = tmp_path / "bids.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "tenders.csv"
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(model), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "bids.csv line 4, column Bid_value: bid is not a number" in res.output
    assert "bids.csv line 7, column Tender: tender id is missing" in res.output
    assert "bids.csv line 11, column Bid_value: bid must be a positive finite amount" in res.output
    assert f"read {len(df):,} bids from 1 file(s): {len(df) - 3:,} used, 3 quarantined" in res.output
    q = pd.read_csv(tmp_path / "tenders.csv.quarantine.csv")
    assert list(q.columns) == ["file", "line", "column", "value", "reason"]
    assert sorted(q["line"]) == [4, 7, 11] and set(q["file"]) == {"bids.csv"}
    t = pd.read_csv(out, dtype={"tender": str})
    en = read_scores(out, dtype={"tender": str})  # as a reader takes it (中标价币种's phrase in either language)
    # bids.csv is a market the model was not trained on: scored by the unseen-market default
    if UNSEEN_DEFAULT == "model":
        assert list(t.columns) == ["tender", "risk", "reasons", *FACTS, "reasons_en"]
    else:  # the reasons in Chinese, the English last (reasons_en), every other column where it was; the priority
        # tier after flagged, as without a model
        assert list(t.columns) == ["tender", "risk", "flagged", "priority", "reasons", *FACTS, "reasons_en"]
    scored = t["risk"].notna() | t["reasons_en"].str.startswith("single bid")
    assert scored.all() and t["risk"].dropna().between(0, 1).all() and t["reasons"].str.len().gt(0).all()
    kept = df.drop(index=[2, 5, 9])
    assert set(t["tender"]) == set(kept["Tender"]) and len(t) == kept["Tender"].nunique()
    assert t.loc[t["tender"] == "single-1", "reasons_en"].iloc[0].startswith("single bid")
    assert t.loc[t["tender"] == "single-1", "reasons"].iloc[0].startswith("单一报价")
    # the same in Chinese, by default: each malformed line, the bids read, the unseen market; the file the same
    zh = CliRunner().invoke(main, ["collusion", "score-bids", str(src), "--model", str(model), "--out", str(out)])
    assert zh.exit_code == 0, zh.output
    assert "bids.csv 第 4 行，Bid_value 列：报价不是数字（'abc'），该行未用" in zh.output
    assert (
        "bids.csv 第 7 行，Tender 列：缺标段编号" in zh.output
        and "bids.csv 第 11 行，Bid_value 列：报价须为正数" in zh.output
    )
    assert f"从 1 个文件读取 {len(df):,} 条报价：采用 {len(df) - 3:,} 条，隔离 3 条" in zh.output
    assert "市场 'bids' 不是模型训练过的市场（'market_a'、'market_b'）" in zh.output
    assert "注意：bids.csv：未读取的列：Ignored column" in zh.output
    # the flagged line gives the unseen market's threshold, its value and rule, where it had said none; the model
    # joins the screens here, and the threshold is the median of that combined risk, so the upper half is flagged:
    # the label-free threshold (0.5) had been applied to it, calling the label-free rule what flagged another share
    if UNSEEN_DEFAULT != "model":
        assert "风险取无标签筛查评分，并以模型的百分位作为又一个指标族" in zh.output  # blended: what is tested here
        assert re.search(
            r"个标记为可疑，高于所在市场的阈值（模型未训练过的市场；bids：风险 0\.\d{3}，"
            r"本市场综合风险（无标签评分并入模型）的中位数（本市场风险较高的一半））",
            zh.output,
        )
        assert re.search(
            r"flagged above its market's threshold \(unseen market; bids 0\.\d{3}, median of the market's combined "
            r"risks \(the upper half of the market\)\)",
            res.output,
        )
        assert t["flagged"].sum() == t["risk"].notna().sum() // 2 == 30
    # the README pointer in the reader's language: the English section's name inside a Chinese sentence
    assert "见 README 的“Tender collusion (围标串标)”一节中“Unseen markets with a model”一段" in zh.output
    assert "README，tender collusion" not in zh.output
    assert "(README, section 'Tender collusion (围标串标)', paragraph 'Unseen markets with a model')" in res.output
    # the same values, headed in Chinese (the keys under --lang en): read back by key, the same frame
    assert list(pd.read_csv(out, nrows=0).columns[:3]) == ["标段", "风险", "预警"]
    assert read_scores(out, dtype={"tender": str}).equals(en)


def test_score_bids_needs_the_required_columns(tmp_path, model):
    src = tmp_path / "no_bids.csv"
    pd.DataFrame({"Tender": [1, 2], "Price": [3.0, 4.0]}).to_csv(src, index=False)
    res = CliRunner().invoke(
        main,
        ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(model), "--out", str(tmp_path / "o.csv")],
    )
    assert res.exit_code != 0
    assert "no_bids.csv: missing required column 'Bid_value'" in res.output
    # and the headers it would have read: a Chinese export learns that 投标报价 is the bid (only English was named)
    assert "headers read: Bid_value as Bid_value or 投标报价 or 报价" in res.output


def test_score_bids_refuses_a_file_that_is_not_a_model(tmp_path):
    src = tmp_path / "b.csv"
    make_bids(5, seed=1).to_csv(src, index=False)
    fake = tmp_path / "fake.skops"
    fake.write_text("hello", encoding="utf-8")
    res = CliRunner().invoke(
        main,
        ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(fake), "--out", str(tmp_path / "o.csv")],
    )
    assert res.exit_code != 0 and "not a graphkit collusion model file" in res.output


def test_train_needs_labels(tmp_path):
    src = tmp_path / "unlabelled.csv"
    make_bids(20, seed=1).drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    res = CliRunner().invoke(
        main, ["collusion", "train", "--lang", "en", "--bids", str(src), "--out", str(tmp_path / "m.skops")]
    )
    assert res.exit_code != 0 and "missing required column 'Collusive_competitor'" in res.output


def test_score_bids_reads_chinese_headers(tmp_path, model):
    df = make_bids(40, seed=7, first_tender=3000).drop(columns=["Collusive_competitor"])
    df = df.rename(
        columns={
            "Tender": "招标编号",
            "Bid_value": "投标报价",
            "Competitors": "投标人",
            "Winner": "是否中标",
            "Date": "开标日期",
        }
    )
    df["招标编号"] = "苏财采2024-" + df["招标编号"].astype(str)
    src = tmp_path / "投标.csv"
    df.to_csv(src, index=False, encoding="utf-8-sig")
    out = tmp_path / "结果.csv"
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(model), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    t = pd.read_csv(out, encoding="utf-8")
    assert len(t) == 40 and t["tender"].str.startswith("苏财采2024-").all()


def test_bidder_record_applies_within_its_market_only(tmp_path, model):
    later = make_bids(80, seed=7, first_tender=500).drop(columns=["Collusive_competitor"])
    src = tmp_path / "later.csv"
    later.to_csv(src, index=False)

    def score(*extra):
        out = tmp_path / "t.csv"
        res = CliRunner().invoke(
            main,
            ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(model), "--out", str(out), *extra],
        )
        assert res.exit_code == 0, res.output
        return res.output, pd.read_csv(out, dtype={"tender": str}).set_index("tender")

    text, alone = score()  # market 'later': the ring's ids R1-R4 name no firm the model has seen
    assert (
        "market 'later' is not one the model was trained on ('market_a', 'market_b'): its bidders are "
        "scored without the model's record of them"
    ) in text and "--market NAME" in text
    assert "a model trained with --no-bidder-history is the one the bench measures there" in text
    assert not alone["reasons_en"].str.contains("found collusive").any()
    text, _ = score("--market", "market_a")  # a later file of market_a: the ring's record is read
    assert "is not one the model was trained on" not in text
    # what the model reads: the share of each tender's bidders with a record
    from graphkit.collusion.features import tender_features
    from graphkit.collusion.scorer import load
    from loaders.bids import read_bids

    s = load(model)
    for name, expect_known in (("later", False), ("market_a", True)):
        F, _, _ = s._inputs(tender_features(read_bids(src, market=name).bids))
        assert bool(F["prior_known"].max() > 0) == expect_known, name


def test_a_model_whose_bidder_record_is_not_per_market_is_refused(tmp_path, model):
    from graphkit.collusion.scorer import load

    s = load(model)
    s.firm_stats_["firms"] = [f.split("\x1f")[1] for f in s.firm_stats_["firms"]]  # as older files held them
    path = s.save(tmp_path / "old.skops")
    make_bids(40, seed=8).drop(columns=["Collusive_competitor"]).to_csv(tmp_path / "b.csv", index=False)
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "score-bids",
            "--lang",
            "en",
            str(tmp_path / "b.csv"),
            "--model",
            str(path),
            "--out",
            str(tmp_path / "t.csv"),
        ],
    )
    assert res.exit_code != 0 and "not kept per market" in res.output and "train it again" in res.output


def test_a_market_the_model_never_saw_is_named_even_without_records(tmp_path):
    make_bids(120, seed=1).to_csv(tmp_path / "old.csv", index=False)
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "train",
            "--lang",
            "en",
            "--bids",
            str(tmp_path / "old.csv"),
            "--no-bidder-history",
            "--out",
            str(tmp_path / "m.skops"),
            "--max-iter",
            "30",
        ],
    )
    assert res.exit_code == 0, res.output
    make_bids(60, seed=2).drop(columns=["Collusive_competitor"]).to_csv(tmp_path / "new.csv", index=False)
    for extra, warned in (((), True), (("--market", "old"), False)):
        res = CliRunner().invoke(
            main,
            [
                "collusion",
                "score-bids",
                "--lang",
                "en",
                str(tmp_path / "new.csv"),
                "--model",
                str(tmp_path / "m.skops"),
                "--out",
                str(tmp_path / "t.csv"),
                *extra,
            ],
        )
        assert res.exit_code == 0, res.output
        assert (
            "market 'new' is not one the model was trained on ('old'): A model learned on other markets "
            "carries poorly" in res.output
        ) is warned
        assert "scored without the model's record" not in res.output
        assert "--no-bidder-history is the one" not in res.output  # this model learned no bidders' record


def test_train_shows_each_fit_and_warnings_stay_off_the_progress_bar(tmp_path, model):
    import re

    d = tmp_path
    make_bids(80, seed=3).to_csv(d / "m.csv", index=False)
    # the bar as a terminal shows it (off a terminal graphkit draws none: tests/test_progress.py)
    res = CliRunner(env={"GRAPHKIT_PROGRESS": "bar"}).invoke(
        main,
        [
            "collusion",
            "train",
            "--lang",
            "en",
            "--bids",
            str(d / "m.csv"),
            "--out",
            str(d / "x.skops"),
            "--max-iter",
            "5",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "fitting model 1 of 6" in res.output and "fitting threshold fold 5 of 5" in res.output
    # the bar moves one step per model fitted (reading, features, 6 fits, saving), where it stood at 2 of 4
    # through every fit, the long part
    counts = set(re.findall(r"\| ?(\d+)/9 \[", res.output))
    assert {str(k) for k in range(2, 10)} <= counts, counts
    assert "features of 80 tenders" in res.output
    assert "  m: 80 tenders, " in res.output and re.search(r"model: .*x\.skops \(threshold ", res.output)
    src = d / "newcity.csv"
    make_bids(60, seed=4).drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    res = CliRunner(env={"GRAPHKIT_PROGRESS": "bar"}).invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(src), "--model", str(model), "--out", str(d / "o.csv")]
    )
    assert res.exit_code == 0, res.output
    # the warning starts its own line (tqdm.write clears the bar first), never after the bar's "…reading]"
    pieces = re.split(r"[\r\n]", res.output)
    assert any(p.startswith("market 'newcity' is not one the model was trained on") for p in pieces), res.output
    # its README pointer by the README's own titles (it had read "README, tender collusion: unseen markets")
    said = "(README, section 'Tender collusion (围标串标)', paragraph 'Unseen markets with a model')"
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert said in res.output and "\n## Tender collusion (围标串标)\n" in readme, res.output
    assert "**Unseen markets with a model**" in readme
    # in Chinese (by default) the bar and the warning alike, the warning still on its own line
    zh = CliRunner(env={"GRAPHKIT_PROGRESS": "bar"}).invoke(
        main, ["collusion", "score-bids", str(src), "--model", str(model), "--out", str(d / "o.csv")]
    )
    assert zh.exit_code == 0, zh.output
    assert "串标评分:" in zh.output and "评分与理由" in zh.output and "reading" not in zh.output, zh.output
    assert any(p.startswith("市场 'newcity' 不是模型训练过的市场") for p in re.split(r"[\r\n]", zh.output))


def test_adapt_reads_a_commission_s_label_file_and_names_what_it_lacks(tmp_path):
    """A commission's list of confirmed tenders heads its column 是否围标串标 (or 是否串标, 串通投标): it was refused as
    'missing column Collusive_competitor', with no word of the Chinese names it takes or of the columns it found."""
    df = make_bids(60, seed=12)
    src = tmp_path / "c.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    lab = df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(20)
    yes = lab["Collusive_competitor"].map({1: "是", 0: "否"})
    for head in ("是否围标串标", "是否串标", "串通投标"):
        pd.DataFrame({"标段编号": lab["Tender"], head: yes, "认定依据": "纪委核查"}).to_csv(
            tmp_path / "l.csv", index=False, encoding="gbk"
        )
        args = [
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
        ]
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
        assert "from 20 confirmed tenders" in res.output
    pd.DataFrame({"标段编号": lab["Tender"], "核查结论": yes}).to_csv(tmp_path / "l.csv", index=False, encoding="gbk")
    res = CliRunner().invoke(main, args)
    assert res.exit_code != 0
    assert "l.csv: missing column 'Collusive_competitor' (or 围标串标/是否围标串标/" in res.output
    assert "found 标段编号, 核查结论" in res.output


def test_adapt_says_which_way_a_screen_s_own_value_points(tmp_path, monkeypatch):
    """The adapted weights are on the oriented screens (higher is more collusive by the literature), and adapt
    worded a weight's sign as the raw value's: a positive weight on the CV, which collusion lowers, read
    '变异系数（CV，越高越可疑）' / 'CV up', the opposite of what the market had shown. It now says which way the
    screen's own value points (notebook 03's table too: ``graphkit.notebook.screen_weights``)."""
    from graphkit.collusion.adapt import AdaptedScorer
    from graphkit.collusion.words import SCREEN_ZH
    from graphkit.notebook import screen_weights

    fixed = pd.Series({"default": 1.0, "label-free": 0.2, "CV": 0.9, "RD": 0.5, "period": -0.3})
    monkeypatch.setattr(AdaptedScorer, "weights", lambda self: fixed)
    df = make_bids(60, seed=12)
    src = tmp_path / "c.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(20).to_csv(tmp_path / "l.csv", index=False)
    args = ["collusion", "adapt", "--bids", str(src), "--labels", str(tmp_path / "l.csv"), "--out", str(tmp_path / "m")]
    zh = CliRunner().invoke(main, args)
    assert zh.exit_code == 0, zh.output
    assert f"{SCREEN_ZH['CV']}（CV，越低越可疑）" in zh.output, zh.output
    assert f"{SCREEN_ZH['RD']}（RD，越高越可疑）" in zh.output and "（period，越低越可疑）" in zh.output, zh.output
    en = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert "CV lower is riskier, RD higher is riskier, period lower is riskier" in en.output, en.output
    table = screen_weights(AdaptedScorer(), top=3)
    assert table["方向"].tolist() == ["越低越可疑", "越高越可疑", "越低越可疑"], table


def test_a_small_file_says_its_context_was_left_out_for_too_few_tenders(tmp_path):
    """Two tenders cannot show whether tenders resemble their neighbours: the console says so, not '+nan'."""
    p = tmp_path / "bids.csv"
    pd.DataFrame(
        {"Tender": [1, 1, 2, 2], "Bid_value": [100, 103, 50, 55], "Date": ["2003-05-08"] * 2 + ["2003-05-09"] * 2}
    ).to_csv(p, index=False)
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 0, res.output
    assert "too few tenders to tell whether they resemble their neighbours" in res.output
    assert "+nan" not in res.output


def test_adapt_reads_labels_of_tenders_named_by_project_and_lot(tmp_path):
    """Bids and labels both name a tender by 项目编号 and 标段编号: the label file was read as two Tender columns."""
    df = make_bids(60, seed=12)
    src = tmp_path / "c.csv"
    bids = df.drop(columns=["Collusive_competitor"]).rename(columns={"Tender": "标段编号"})
    bids.insert(0, "项目编号", "XM-2024-" + (bids["标段编号"].astype(int) % 7).astype(str))
    bids.to_csv(src, index=False)
    lab = bids.drop_duplicates("标段编号")[["项目编号", "标段编号"]].head(20)
    lab["是否串标"] = df.drop_duplicates("Tender")["Collusive_competitor"].head(20).map({1: "是", 0: "否"}).to_numpy()
    lab.to_csv(tmp_path / "l.csv", index=False, encoding="gbk")
    args = [
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
    ]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "from 20 confirmed tenders" in res.output


def test_a_context_left_out_by_the_permutation_test_is_said_with_its_p(tmp_path):
    """A market with no cartel whose bidders context is positive by chance: left out, and the console gives the
    correlation and the test's p (it said only the sign, which here would have let it count)."""
    rng = np.random.default_rng(6)
    n = rng.integers(2, 9, 300)
    t = np.repeat(np.arange(300), n)
    day = (pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1000, 300), unit="D")).strftime("%Y-%m-%d")
    p = tmp_path / "city.csv"
    pd.DataFrame(
        {
            "Tender": t,
            "Bid_value": np.round(rng.lognormal(12, 0.05, n.sum()), 2),
            "Competitors": rng.integers(0, 40, n.sum()),
            "Date": day.to_numpy()[t],
        }
    ).to_csv(p, index=False)
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 0, res.output
    said = re.search(r"bidders in city \+(0\.\d\d), p (0\.\d\d)", res.output)
    assert said and float(said.group(2)) > 0.05, res.output
    assert "tenders do not resemble their neighbours' beyond chance" in res.output


def test_adapt_leaves_a_totals_row_of_the_label_file_out_with_its_reason(tmp_path):
    """A commission's list of confirmed tenders, typed in Excel, ends with 合计 and 制表人：…: adapt refused it,
    "no such tender in the bid file" for the 合计 row."""
    df = make_bids(60, seed=12)
    src = tmp_path / "c.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    lab = df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(20).astype(str)
    lab = pd.concat([lab, pd.DataFrame([["合计", "7"], ["制表人：王某", ""]], columns=lab.columns)])
    lab.to_csv(tmp_path / "l.csv", index=False, encoding="gbk")
    args = [
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
    ]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "from 20 confirmed tenders" in res.output
    assert "l.csv line 22, column Tender: totals row (合计), not a label ('合计'); line left out" in res.output
    assert "l.csv line 23, column Tender: notes row (制表人), not a label" in res.output


def test_collusion_score_on_a_mistyped_or_bidless_store_is_one_sentence_and_makes_no_store(tmp_path):
    """A mistyped --store made an empty store at that path and stopped with a traceback ("Binder exception:
    Table Vehicle does not exist"); a store with no bid stopped with pandas' "'tender' is both an index level
    and a column label". Both are now said, and nothing is created."""
    from fixture_city import TABLES, write_city

    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir

    typo = tmp_path / "typo.db"
    r = CliRunner().invoke(main, ["collusion", "score", "--store", f"embedded:{typo}", "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    assert "没有库：先用 `graphkit load" in r.output and not typo.exists() and not list(tmp_path.glob("typo*"))
    with EmbeddedStore(tmp_path / "units.db") as s:
        load_dir(write_city(tmp_path / "c", {"units": TABLES["units"]}), s)
    r = CliRunner().invoke(
        main, ["collusion", "score", "--store", f"embedded:{tmp_path / 'units.db'}", "--out", str(tmp_path / "o")]
    )
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    # in Chinese under the Chinese console (it was English), with the commands that give it bids
    assert "：库中没有报价：请用 `graphkit load` 加载采购部门的招标项目和投标记录（tenders.csv、bids.csv）" in r.output
    assert "`graphkit collusion score-bids 文件`" in r.output, r.output
    r = CliRunner().invoke(
        main,
        ["collusion", "score", "--store", f"embedded:{tmp_path / 'units.db'}", "--out", str(tmp_path / "o")]
        + ["--lang", "en"],
    )
    assert "the store holds no bids: load the procurement department's tenders and bids" in r.output


def test_score_bids_names_the_cover_screens_it_leaves_out_and_why(tmp_path, model):
    """Where the lowest bid does not win (Italy's average-bid auctions), the label-free score leaves the cover
    screens out, and the console never said which or why. One line now names them and the share of tenders the
    lowest bid wins; a lowest-price market says nothing of it."""
    from collusion_data import MARKET_FILES, SHARED_MARKETS

    average = make_bids(80, seed=11)
    # the award to the second lowest bid, never the lowest: a market that does not award to the lowest price
    average["Winner"] = (average.groupby("Tender")["Bid_value"].rank(method="first") == 2).astype(int)
    average.drop(columns="Collusive_competitor").to_csv(tmp_path / "aba.csv", index=False)
    n = int((average.groupby("Tender").size() >= 2).sum())
    for how in ([], ["--model", str(model)]):  # label-free; a model on a market it never saw
        res = CliRunner().invoke(
            main,
            [
                "collusion",
                "score-bids",
                "--lang",
                "en",
                str(tmp_path / "aba.csv"),
                *how,
                "--out",
                str(tmp_path / "o.csv"),
            ],
        )
        assert res.exit_code == 0, res.output
        lines = [line for line in res.output.splitlines() if "cover screens" in line]
        assert len(lines) == 1, res.output
        assert lines[0].startswith("cover screens DIFFP, RD, SKEW, KSTEST, sub_RD_max left out in market 'aba', ")
        assert f"the lowest bid wins 0 of {n} tenders with a known winner (0 %; below 50 %" in lines[0], lines[0]
        assert "ranked on CV, SPD, KURT" in lines[0], lines[0]
    make_bids(80, seed=11).drop(columns="Collusive_competitor").to_csv(tmp_path / "fpa.csv", index=False)
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(tmp_path / "fpa.csv"), "--out", str(tmp_path / "f.csv")]
    )
    assert res.exit_code == 0 and "cover screens" not in res.output, res.output
    italy = SHARED_MARKETS / MARKET_FILES["Italy"]
    if not italy.exists():
        pytest.skip(f"shared labelled markets not found at {SHARED_MARKETS}")
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(italy), "--out", str(tmp_path / "it.csv")]
    )
    assert res.exit_code == 0, res.output
    line = next(line for line in res.output.splitlines() if "cover screens" in line)
    assert "left out in market 'DB_Collusion_Italy_processed', where the lowest bid wins 0 of 276 tenders" in line


def test_score_bids_writes_a_workbook_for_xlsx_and_refuses_another_suffix(tmp_path, model):
    """`--out scores.xlsx` wrote CSV text under the workbook's name, which Excel will not open; it now writes a
    workbook with the same rows as the CSV, in every mode, and refuses a suffix it cannot write before any work.
    Without a model its first sheet is the priority tier (优先复核), the riskiest first, where the analyst had a
    first sheet of every tender, half of them flagged; the headers are Chinese by default, the keys under --lang en."""
    from graphkit.cli.collusion import PRIORITY_SHEET, TENDERS_SHEET, read_scores
    from graphkit.cli.common import sheet_name

    df = make_bids(40, seed=7, first_tender=500).drop(columns=["Collusive_competitor"])
    df.to_csv(tmp_path / "city.csv", index=False)
    for extra, lang in (([], "zh"), (["--model", str(model)], "en")):
        outs = {}
        for suffix in ("csv", "xlsx"):
            outs[suffix] = CliRunner().invoke(
                main,
                [
                    "collusion",
                    "score-bids",
                    "--lang",
                    lang,
                    str(tmp_path / "city.csv"),
                    *extra,
                    "--out",
                    str(tmp_path / f"s.{suffix}"),
                ],
            )
            assert outs[suffix].exit_code == 0, outs[suffix].output
        assert (tmp_path / "s.xlsx").read_bytes()[:2] == b"PK"  # a zip: a real workbook
        a = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
        b = pd.read_excel(tmp_path / "s.xlsx", sheet_name=sheet_name(TENDERS_SHEET, lang), engine="openpyxl")
        pd.testing.assert_frame_equal(a, b, check_dtype=False)  # numbers as numbers (a CSV's text is its float's)
        pd.testing.assert_frame_equal(read_scores(tmp_path / "s.xlsx"), read_scores(tmp_path / "s.csv"))
        with pd.ExcelFile(tmp_path / "s.xlsx", engine="openpyxl") as book:
            sheets = book.sheet_names
        # its sheets named in the command's language alone (优先复核 priority, tenders, 说明 notes whatever --lang said)
        named = [sheet_name(x, lang) for x in (PRIORITY_SHEET, TENDERS_SHEET, "notes")]
        # a sheet 说明 (notes) names each column by its key, Chinese name and meaning (rank's sheet, same writer)
        notes = pd.read_excel(tmp_path / "s.xlsx", sheet_name=named[-1], engine="openpyxl")
        said = dict(zip(*(notes[c] for c in (["item", "note"] if lang == "en" else ["项目", "说明"])), strict=True))
        assert "winning_bid" in said
        if lang == "en":
            # one language a file: its rows had read 文件 file, 列名 columns, 风险：… under English headers
            cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
            assert not [x for x in (*said, *said.values()) if cjk.search(str(x))], said
            assert said["risk"].startswith("collusion risk 0-1") and said["reasons_en"].startswith("the same reasons")
            assert said["priority"].startswith("1: the short list") and "file" in said and "columns" in said
            assert said["priority tier"].startswith("priority tier: 2 of ")
            # a model's scores of a market it was not trained on have the tier too (they had none)
            assert sheets == named == ["priority", "tenders", "notes"] and a["priority"].sum() == 2
            assert set(a.columns) <= set(said) | {"market"} and a.columns[0] == "tender"
            continue
        assert list(a.columns[:5]) == ["标段", "风险", "预警", "优先复核", "理由"] and said["priority"].startswith(
            "优先复核："
        )
        tier = a[a["优先复核"] == 1]
        assert 1 <= len(tier) <= 2 and sheets == named == ["优先复核", "标段", "说明"]  # at most 5 % of 40
        first = pd.read_excel(tmp_path / "s.xlsx", sheet_name=0, engine="openpyxl")
        pd.testing.assert_frame_equal(first, tier.reset_index(drop=True), check_dtype=False)
        assert first["风险"].is_monotonic_decreasing and (first["风险"] > 0.9).all()
        assert said["risk"].startswith("风险：") and said["reasons"].startswith("理由：")
        assert said["reasons_en"].startswith("理由（英文）：") and "文件" in said and "file" not in said
        assert said["优先复核"].startswith(f"优先复核：{len(tier)} 个标段（已评分 40 个），见工作簿第一页")
        for out in outs.values():  # the closing lines say the tier's size, where it is and its rule
            assert f"优先复核：{len(tier)} 个标段（已评分 40 个）" in out.output and "风险最高的 5%" in out.output
    bad = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(tmp_path / "city.csv"), "--out", str(tmp_path / "s.txt")]
    )
    assert bad.exit_code == 2 and "written as .csv or .xlsx" in bad.output and not (tmp_path / "s.txt").exists()
    bad = CliRunner().invoke(
        main, ["collusion", "score-bids", str(tmp_path / "city.csv"), "--out", str(tmp_path / "s.txt")]
    )
    assert bad.exit_code == 2 and "s.txt：评分结果按后缀写成 .csv 或 .xlsx" in bad.output, bad.output


def test_train_says_in_chinese_that_it_needs_both_labels(tmp_path):
    src = tmp_path / "one.csv"
    make_bids(30, seed=3).assign(Collusive_competitor=0).to_csv(src, index=False)
    args = ["collusion", "train", "--bids", str(src), "--out", str(tmp_path / "m.skops"), "--max-iter", "5"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1 and "训练需要串标和非串标两种标段（只有标签 0）" in res.output, res.output
    en = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert "training needs both collusive and competitive tenders (found only label 0)" in en.output, en.output


@pytest.mark.skipif(not (SHARED_MARKETS / MARKET_FILES["USA"]).exists(), reason="../shared/data not present")
def test_score_bids_says_a_context_read_and_left_out_when_another_counts(tmp_path):
    """In the USA's file the bidders' context counts and the dates' does not (school years: their rank
    correlation with their neighbours is -0.03): the closing line said only 'each read next to its bidders'
    other tenders', so an analyst could not tell the dates had been read and dropped, nor why."""
    res = CliRunner().invoke(
        main,
        [
            "collusion",
            "score-bids",
            "--lang",
            "en",
            str(SHARED_MARKETS / MARKET_FILES["USA"]),
            "--out",
            str(tmp_path / "u.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if "each read next to" in x)
    assert "its bidders' other tenders (bidder ids)" in line
    assert "; period context read and left out: tenders do not resemble their neighbours' beyond chance" in line
    assert re.search(r"period in DB_Collusion_America_processed -0\.0\d", line), line


def test_each_scored_tender_says_its_bids_winner_and_bidders(tmp_path, model):
    """The scores held tender, risk, flagged and reasons only: no number of bids, winner, winning price or
    bidders, so an analyst joined every row back to the bid table by hand. Each row now says them."""
    df = make_bids(40, seed=9, first_tender=700).drop(columns=["Collusive_competitor"])
    whole = df["Tender"] % 2 == 0  # half the tenders priced in whole yuan, as most bid tables are
    df.loc[whole, "Bid_value"] = df.loc[whole, "Bid_value"].round(0) + 212_000_000
    df.to_csv(tmp_path / "city.csv", index=False)
    for extra in ([], ["--model", str(model)]):
        r = CliRunner().invoke(
            main,
            [
                "collusion",
                "score-bids",
                "--lang",
                "en",
                str(tmp_path / "city.csv"),
                *extra,
                "--out",
                str(tmp_path / "s.csv"),
            ],
        )
        assert r.exit_code == 0, r.output
        t = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig", dtype={"tender": str, "winner": str})
        assert list(t.columns)[-len(FACTS) - 1 :] == [*FACTS, "reasons_en"]
        text = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig", dtype=str).set_index("tender")["winning_bid"]
        for row in t.itertuples():
            mine = df[df["Tender"].astype(str) == row.tender].sort_values("Bid_value", kind="stable")
            assert row.bids == len(mine)
            won = mine[mine["Winner"] == 1]
            assert row.winner == str(won["Competitors"].iloc[0]) and row.winning_bid == pytest.approx(
                won["Bid_value"].iloc[0]
            )
            # written as the source had it: a whole amount as an integer (212000000.0 had been written)
            v = won["Bid_value"].iloc[0]
            assert text[row.tender] == (str(int(v)) if v == int(v) else str(round(v, 2))), (text[row.tender], v)
            assert row.bidders == "、".join(dict.fromkeys(mine["Competitors"].astype(str)))


def test_adapt_says_in_chinese_which_label_lines_cannot_be_used(tmp_path):
    """adapt's refusal of a label file named each line in English; in Chinese by default, the count that of the
    lines named, --lang en as before."""
    df = make_bids(40, seed=13)
    src = tmp_path / "c.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    lab = df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(12).astype(str)
    lab.iloc[3, 0] = "no-such-tender"  # file line 5
    lab.iloc[6, 1] = "maybe"  # file line 8
    lab.to_csv(tmp_path / "l.csv", index=False)
    args = ["collusion", "adapt", "--bids", str(src), "--labels", str(tmp_path / "l.csv"), "--out", str(tmp_path / "m")]
    res = CliRunner().invoke(main, args)
    assert res.exit_code != 0
    assert "2 行标签无法使用：" in res.output, res.output
    assert "l.csv 第 5 行，Tender 列：报价文件中没有这个标段" in res.output
    assert "l.csv 第 8 行，Collusive_competitor 列：'maybe' 不是 0 或 1（或 yes/no、是/否）" in res.output
    en = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert "2 label lines cannot be used:" in en.output and "l.csv line 5, column Tender: no such tender" in en.output


def test_score_bids_warns_when_a_file_said_to_be_the_adapted_market_looks_nothing_like_it(tmp_path):
    """A model adapted to a market scored any file given that market's name as that market's: another currency's
    amounts (a thousand times larger) were ranked against the market's reference and flagged above the threshold
    set there, in silence. adapt now keeps what the market's tenders look like (no label), and score-bids warns,
    with the figures, in the command's language, and scores such a file as an unseen market (its own upper half);
    a later file of the same market draws no warning and keeps the adapted threshold."""
    df = make_bids(120, seed=12)
    src = tmp_path / "city.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(30).to_csv(tmp_path / "l.csv", index=False)
    model = tmp_path / "m.skops"
    args = ["collusion", "adapt", "--bids", str(src), "--labels", str(tmp_path / "l.csv"), "--out", str(model)]
    res = CliRunner().invoke(main, [*args, "--market", "city", "--lang", "en"])
    assert res.exit_code == 0, res.output
    threshold = re.search(r"threshold (\d\.\d{3})", res.output)[1]

    later = make_bids(120, seed=13, first_tender=500).drop(columns=["Collusive_competitor"])
    later.to_csv(tmp_path / "later.csv", index=False)
    other = later.assign(Bid_value=later["Bid_value"] * 1000)  # another currency's amounts
    other.to_csv(tmp_path / "other.csv", index=False)

    def scored(name: str, lang: str) -> str:
        out = tmp_path / f"{name}.{lang}.csv"
        cmd = ["collusion", "score-bids", str(tmp_path / f"{name}.csv"), "--model", str(model), "--market", "city"]
        r = CliRunner().invoke(main, [*cmd, "--out", str(out), "--lang", lang])
        assert r.exit_code == 0, r.output
        return r.output

    same = scored("later", "en")
    assert "do not look like" not in same, same
    assert f"above the threshold {threshold} (" in same, same

    en = scored("other", "en")
    said = re.search(
        r"warning: other\.csv is said to be market 'city' \(--market\), but its tenders do not look [^\n]+", en
    )
    assert said, en
    line = said[0]
    # the figures: the file's median amount and the kept one, a thousand times apart, and the distance
    kept, mine = (
        float(v.replace(",", ""))
        for v in re.search(r"median bid of a tender ([\d,.]+) here, ([\d,.]+)", line).groups()[::-1]
    )
    assert 500 < mine / kept < 2000, line  # another seed's tenders: not exactly a thousand
    assert re.search(r"\(distance 1\.000\)", line), line
    assert "Scored as a market the model has not seen" in line and f"({threshold})" in line, line
    assert "median of this file's adapted risks (its tenders are unlike the market's" in en, en

    zh = scored("other", "zh")
    assert re.search(
        r"注意：other\.csv 指明为市场 'city'（--market），但其标段与模型调整时该市场的标段明显不同："
        r"标段报价中位数：本文件 ",
        zh,
    ), zh
    assert "按模型未见过的市场评分" in zh and "its tenders" not in zh, zh
    assert "其标段与该市场的明显不同：取本文件风险较高的一半" in zh, zh


def test_score_bids_says_the_currency_of_the_winning_bid_as_the_file_gives_it(tmp_path):
    """score-bids' 中标价 (winning price) had no currency or unit: a Japanese file's yen, a Swiss file's francs and a
    file headed 投标报价（万元）, read in yuan, all came out as bare numbers beside each other. Each row now says it
    in 中标价币种 (currency): 元 where the header names a yuan unit, the code written beside the amounts (CHF), and
    where the file says none, that its amounts are as in the file, in the file's language (同原文件…, under --lang en
    "as in the file (no currency given)")."""
    df = make_bids(40, seed=3).drop(columns=["Collusive_competitor"])
    plain = tmp_path / "plain.csv"
    df.to_csv(plain, index=False)
    wan = tmp_path / "wan.csv"
    df.assign(Bid_value=(df["Bid_value"] / 1e4).round(4)).rename(columns={"Bid_value": "投标报价（万元）"}).to_csv(
        wan, index=False
    )
    chf = tmp_path / "chf.csv"
    df.assign(Bid_value=[f"CHF {v:.2f}" for v in df["Bid_value"]]).to_csv(chf, index=False)

    def currency(src: Path, lang: str) -> tuple[set, pd.DataFrame]:
        out = tmp_path / f"{src.stem}.{lang}.csv"
        res = CliRunner().invoke(main, ["collusion", "score-bids", str(src), "--out", str(out), "--lang", lang])
        assert res.exit_code == 0, res.output
        t = read_scores(out)
        return set(t["currency"]), t

    zh, t = currency(plain, "zh")
    assert zh == {"同原文件（未注明币种）"}, zh
    assert "中标价币种" in pd.read_csv(tmp_path / "plain.zh.csv", encoding="utf-8-sig", nrows=0).columns
    assert list(t.columns).index("currency") == list(t.columns).index("winning_bid") + 1
    # under --lang en the phrase is English in the file (it was the Chinese in an English file); read_scores
    # takes either, as the one value, so an English file and a Chinese one read back alike
    assert currency(plain, "en")[0] == zh
    en = set(pd.read_csv(tmp_path / "plain.en.csv", encoding="utf-8-sig")["currency"])
    assert en == {"as in the file (no currency given)"}, en
    assert zh | en == CURRENCY_UNSAID_ANY
    said, t = currency(wan, "zh")
    assert said == {"元"}, said
    # an English file says yuan by its ISO code (it wrote 元 there), read back as the one value
    assert currency(wan, "en")[0] == {"元"}
    assert set(pd.read_csv(tmp_path / "wan.en.csv", encoding="utf-8-sig")["currency"]) == {"CNY"}
    won = df[df["Winner"] == 1].set_index(df[df["Winner"] == 1]["Tender"].astype(str))["Bid_value"]
    assert np.allclose(
        t.set_index(t["tender"].astype(str))["winning_bid"].astype(float),
        won.reindex(t["tender"].astype(str)),
        rtol=1e-6,
    )
    assert currency(chf, "en")[0] == {"CHF"}


def test_adapt_counts_its_confirmed_tenders_as_every_other_count_is_written(tmp_path):
    """A commission adapting with a market's whole list of confirmed tenders (a shared market's file passed as its
    own labels) read 'adapted to market … from 4175 confirmed tenders (3114 collusive)' beside '4,175 tenders' on the
    same line, and the Chinese reasons kept the English sentence of an adapted risk whose count had a thousands
    separator. Counts are written 1,100, in the console and the reasons, in both languages."""
    from graphkit.collusion.words import zh

    df = make_bids(1100, seed=5)
    src = tmp_path / "c.csv"
    df.to_csv(src, index=False)
    model = tmp_path / "m.skops"
    args = ["collusion", "adapt", "--bids", str(src), "--labels", str(src), "--out", str(model)]
    res = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert res.exit_code == 0, res.output
    n1 = df.drop_duplicates("Tender")["Collusive_competitor"].sum()
    assert f"from 1,100 confirmed tenders ({n1:,} collusive)" in res.output, res.output
    zh_res = CliRunner().invoke(main, args)
    assert "已按 1,100 个已核实标段" in zh_res.output, zh_res.output
    assert zh("adapted to 1,100 confirmed tenders of this market") == "按本市场 1,100 个已核实标段调整"


@pytest.mark.parametrize(
    "said",
    [
        "adapted to 30 confirmed tenders of this market",  # an adapted tender's reason
        "best balanced accuracy on the confirmed tenders",  # its threshold's rule, as adapt and score-bids say it
        "set on the confirmed tenders",
        "the label-free market threshold (no confirmed tenders of both outcomes)",
        "median of the market's adapted risks when adapted (1,100 tenders; fewer than 5 confirmed tenders of each "
        "outcome)",
    ],
)
def test_a_confirmed_tender_is_one_word_in_chinese_in_the_reasons_and_the_console(said):
    """`adapt` said 已核实 (verified) of the labelled tenders while the reasons of the tenders it scored said 已查实
    (proven, said of collusion found): the same tenders, one word, 已核实, as `adapt`'s own line says it."""
    from graphkit.collusion.words import rule_zh, zh

    text = zh(said) if said.startswith("adapted") else rule_zh(said)
    assert "已核实" in text and "查实" not in text, text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_label_of_a_tender_whose_bids_were_all_quarantined_says_so(tmp_path, lang):
    """A label of a tender every bid of which was quarantined was said to be of "no such tender in the bid file":
    it is in the file; its bids were quarantined, how many and where they are is said."""
    df = make_bids(60, seed=12)
    gone = df["Tender"].iloc[0]
    df["Bid_value"] = df["Bid_value"].astype(object)
    df.loc[df["Tender"] == gone, "Bid_value"] = "见附件"
    n = int((df["Tender"] == gone).sum())
    src = tmp_path / "c.csv"
    df.drop(columns=["Collusive_competitor"]).to_csv(src, index=False)
    df.drop_duplicates("Tender")[["Tender", "Collusive_competitor"]].head(20).to_csv(tmp_path / "l.csv", index=False)
    out = tmp_path / "m"
    args = ["collusion", "adapt", "--lang", lang, "--bids", str(src), "--labels", str(tmp_path / "l.csv")]
    res = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert res.exit_code != 0
    q = f"{out}.quarantine.csv"
    if lang == "en":
        assert f"Tender: in the bid file, but all {n} of its bids were quarantined (see {q})" in res.output
        assert "no such tender" not in res.output
    else:
        assert f"报价文件中有这个标段，但它的 {n} 条报价全部被隔离（见 {q}）" in res.output
        assert "报价文件中没有这个标段" not in res.output
    assert pd.read_csv(q)["value"].astype(str).str.contains("见附件").sum() == n
