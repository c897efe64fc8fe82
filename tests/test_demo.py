"""``graphkit demo`` end to end at the smallest scale: every product of the demo is written and linked."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.cli.collusion import read_scores


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """``graphkit demo`` run once for the module (it takes most of the module's time), in the console's default
    language, into a folder holding an earlier run's files: the folder and the command's result."""
    out = tmp_path_factory.mktemp("demo") / "out"
    for stale in ("inspection/portrait_A.pdf", "visuals/x_9.html", "case_files/path_9.pdf"):  # an earlier run's
        (out / stale).parent.mkdir(parents=True, exist_ok=True)
        (out / stale).write_text("of another seed", encoding="utf-8")
    return out, CliRunner().invoke(main, ["demo", "--out", str(out), "--scale", "1000", "--seed", "7"])


def test_demo_writes_a_folder_a_person_can_open(demo):
    out, res = demo
    assert res.exit_code == 0, res.output
    for step in range(1, 10):
        assert f"{step}/9 " in res.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert not any((out / stale).exists() for stale in ("inspection/portrait_A.pdf", "visuals/x_9.html"))
    assert not (out / "case_files/path_9.pdf").exists()
    for name in (
        "graph.db.quarantine.csv",
        "load_report.json",
        "stats.json",
        "model.md",
        "warnings.csv",
        "graph.db.ledger.sqlite",
        "collusion/tenders.csv",
        "collusion/communities.html",
        "collusion/bid_screens.csv",
        "inspection/units.csv",
    ):
        assert (out / name).exists(), name
    for href in re.findall(r"href='([^']+)'|href=\"([^\"]+)\"", page):
        href = href[0] or href[1]
        if href.startswith("#"):  # the list of who finds what: a section of the page
            assert f"id='{href[1:]}'" in page, href
            continue
        assert (out / href).exists(), out / href
    # each of the four users is pointed to their sections
    for who in ("调查人员", "巡察组", "分析人员", "案件承办人"):
        assert re.search(rf"<li><b>{who}</b>：<a href='#", page), who
    # warnings: every planted scheme of the city shows up as a model with hits
    truth = json.loads((out / "city" / "truth.json").read_text(encoding="utf-8"))
    with open(out / "warnings.csv", encoding="utf-8-sig") as f:
        table = list(csv.DictReader(f))
    models_hit = {r["model"] for r in table}
    from graphkit.rules import catalog, get

    schemes = {i["scheme"] for i in truth["instances"]}
    assert {m.id for m in catalog() if m.scheme in schemes} <= models_hit
    # a planted ring is drawn with what makes it one, as its warning's evidence is: the bids and the identifiers
    # its companies share, not the awards alone (it had been drawn as 7 "won" links between 13 entities)
    ring = next(i for i in truth["instances"] if i["scheme"] == "bid_rigging")
    m = re.search(r"bid_rigging_1\.html'>.*?（(\d+) 个实体，(\d+) 条关系）", page)
    tenders = ring["types"].count("tender")
    assert m and int(m[1]) > len(ring["entities"]) and int(m[2]) >= 2 * tenders + len(ring["entities"]), m
    drawn = (out / "visuals" / "bid_rigging_1.html").read_text(encoding="utf-8")
    # its bids in the legend, in Chinese alone (viz.legend_html), laid out, not left to the physics
    assert re.search(r"投标 \(\d+\)", drawn) and re.search(r'"x": -?\d', drawn)
    # a line with no room for its caption has its number, as print numbers it, keyed under the legend (41 of its 70
    # links had been left unlabelled, where its PDF numbered them)
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", drawn, re.S).group(1))
    numbered = sorted(int(e["caption"][1:-1]) for e in edges if re.fullmatch(r"\[\d+\]", e.get("caption") or ""))
    key = re.search(r"<ul class='gk-key'>(.*?)</ul>", drawn, re.S)
    keyed = [int(n) for n in re.findall(r"<li>\[(\d+)\] [^<]+ — [^<]+：[^<]+</li>", key.group(1))] if key else []
    assert numbered and numbered == keyed == list(range(1, len(numbered) + 1)), (numbered, keyed)
    left = re.search(r"(\d+) 条关系线过密", drawn)
    assert int(left[1] if left else 0) < len(numbered), (left, len(numbered))
    # fewer of its lines run through a name (54 had, every name under its mark): some set above (viz.name_sides)
    from graphkit.viz import names_crossed

    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", drawn, re.S).group(1))
    at = {n["id"]: (n["x"], n["y"]) for n in nodes if "x" in n}
    names = {n["id"]: n["label"] for n in nodes}
    above = {n["id"] for n in nodes if n.get("font", {}).get("vadjust", 0) < 0}
    lines = [(e["from"], e["to"]) for e in edges if e["from"] != e["to"]]
    assert above and names_crossed(at, names, lines, above=above) < names_crossed(at, names, lines), above
    # the investigator reads it in Chinese first; the columns a script read keep their meaning, English included
    assert list(table[0]) == [
        "id",
        "model",
        "model_zh",
        "level_zh",
        "status_zh",
        "summary_zh",
        "level",
        "status",
        "summary",
    ]
    words = {"red": "红色", "orange": "橙色", "yellow": "黄色"}
    for r in table:
        assert r["model_zh"] == get(r["model"]).title_zh and r["level_zh"] == words[r["level"]]
        assert (r["status"], r["status_zh"]) == ("generated", "待核查")
        assert re.search(r"[\u4e00-\u9fff]{6}", r["summary_zh"]) and re.search(
            r"(?<![A-Za-z])[a-z]{3,} [a-z]{2,}", r["summary"]
        )
    # summaries masked in both languages, as warnings list masks them: no ID number in clear (prisoner_paid,
    # subsidy_ineligible and village_labour_overpay name the person by it)
    from graphkit.model.types import is_valid_id_number

    named = [r for r in table if r["model"] in ("prisoner_paid", "village_labour_overpay")]
    assert named and all("**********" in r["summary_zh"] and "**********" in r["summary"] for r in named)
    assert not any(
        is_valid_id_number(x) for r in table for x in re.findall(r"\d{17}[\dX]", r["summary_zh"] + r["summary"])
    )
    assert "数据碰撞模型预警" in page and "<th>红色</th>" in page and get("bid_rigging").title_zh in page
    # explained paths cite a source row per hop, in Chinese as the investigator files them
    assert "公职人员 → 中标企业" in page and "Official → winning company" not in page
    assert re.search(r"〔family\.csv 第\d+行〕", page) and re.search(r"（公职人员，[^）]+） — [^ ]+为 — ", page)
    assert "[family.csv line" not in page
    pdfs = sorted((out / "case_files").glob("path_*.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF") for p in pdfs) and "case_files/path_1.pdf" in page
    assert (
        "风险最高的投标人社区" in page
        and "<th>社区</th><th>风险</th>" in page
        and "riskiest bidder communities" not in page
    )
    # the inspection team's section: the ranking `graphkit rank` gives, and the top unit's portrait, audited
    import pandas as pd

    spec = f"embedded:{out / 'graph.db'}"
    from graphkit.cli.risk import read_ranking

    # headed in Chinese as the console speaks, as score-bids' files are (it had English headers); read by key
    head = (out / "inspection" / "units.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("名次,统一社会信用代码,名称,风险,"), head
    units = read_ranking(out / "inspection" / "units.csv", dtype={"credit_code": str})
    res = CliRunner().invoke(main, ["rank", "--kind", "unit", "--store", spec, "--top", "5", "--json"])
    assert res.exit_code == 0, res.output
    ranked = json.loads(res.stdout)
    assert [r["id"] for r in ranked] == units["credit_code"].head(len(ranked)).tolist()
    assert [r["risk"] for r in ranked] == units["risk"].head(len(ranked)).tolist()
    # the places as `rank` gives them, tied units sharing the first of theirs (the file numbered them 1, 2, 3 …)
    res = CliRunner().invoke(main, ["rank", "--kind", "unit", "--store", spec, "--top", str(len(units)), "--json"])
    every = {r["id"]: r["rank"] for r in json.loads(res.stdout)}
    assert units["rank"].tolist() == [every[u] for u in units["credit_code"]]
    assert units["rank"].duplicated().any(), "units with no sign tie"
    # a warning factor names the warnings it counts, as rank says it (the file said 未核销红色预警 2 条 and not which)
    named = {r["id"]: "；".join(f["text"] for f in r["factors"]) for r in json.loads(res.stdout)}
    warned = units[units["factors"].str.contains("未核销", na=False)]
    assert len(warned) and all("（其中 " in f for f in warned["factors"]), warned["factors"].head()
    assert units.set_index("credit_code")["factors"].fillna("").to_dict() == named
    # and as a workbook whose credit codes stay text: Excel opens the CSV's all-digit ones as numbers rounded past
    # the 15th digit (113205830953740547 → 1.13206E+17); the page links it
    from openpyxl import load_workbook

    book = load_workbook(out / "inspection" / "units.xlsx", read_only=True)
    rows = list(book["单位"].iter_rows(values_only=True))
    book.close()
    codes = [r[rows[0].index("统一社会信用代码")] for r in rows[1:]]
    assert codes == units["credit_code"].tolist() and all(isinstance(c, str) for c in codes)
    assert any(c.isdigit() for c in codes), "an all-digit credit code, which Excel would round"
    assert "href='inspection/units.xlsx'" in page
    top = units["credit_code"].iloc[0]
    pdf = out / "inspection" / f"portrait_{top}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and f"inspection/portrait_{top}.pdf" in page
    # its HTML names who exported it, as its PDF does (the page said 单位 · 未编案卷号 · 生成于 … and no one)
    assert "导出人 " in (out / "inspection" / f"portrait_{top}.html").read_text(encoding="utf-8")
    res = CliRunner().invoke(main, ["audit", "show", "--store", spec, "--json"])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]  # one record a line
    assert any(r["command"] == "portrait" and r["params"].get("unit") == top for r in records), records
    # every step that stands for a command is on record, as that command records it: the portrait alone was
    demo = [r for r in records if r["params"].get("via") == "demo"]
    assert {"load", "models run", "export", "portrait"} <= {r["command"] for r in demo}
    exported = {f.rsplit("/", 1)[-1] for r in demo if r["command"] == "export" for f in r["params"]["files"]}
    assert exported == {p.name for p in pdfs}
    # whose data each case file shows, as `graphkit export` records it (the demo's records named no one, and
    # `audit show --about` missed them): the official at the path's start among them
    paths = [r["params"] for r in demo if r["command"] == "export"]
    assert paths and all(p["persons"] and p["path"][0] in p["persons"] for p in paths), paths
    # the bid records screened with no label: every bid row read is used or quarantined; the rigged tenders
    # (looked up only after scoring) rank high
    # headed in Chinese as score-bids' file (标段, 风险, 预警 …), read by key
    assert pd.read_csv(out / "collusion" / "bid_screens.csv", nrows=0).columns[:3].tolist() == ["标段", "风险", "预警"]
    screens = read_scores(out / "collusion" / "bid_screens.csv")
    quarantined = pd.read_csv(out / "collusion" / "bid_screens.quarantine.csv")
    with open(out / "city" / "bids.csv", encoding="utf-8-sig") as f:
        rows = sum(1 for _ in csv.reader(f)) - 1
    m = re.search(r"读取投标记录 ([\d,]+) 行，([\d,]+) 行因故剔除", page)
    assert m and int(m[1].replace(",", "")) == rows and int(m[2].replace(",", "")) == len(quarantined) > 0
    m = re.search(r"(\d+) 个中 (\d+) 个被标记，评分标段上的 ROC AUC ([\d.]+)", page)
    rigged = {
        e
        for i in truth["instances"]
        if i["scheme"] == "bid_rigging"
        for e, t in zip(i["entities"], i["types"], strict=True)
        if t == "tender"
    }
    flagged = set(screens.loc[screens["flagged"] == 1, "tender"].astype(str))
    assert m and int(m[1]) == len(rigged) > 0 and int(m[2]) == len(rigged & flagged)
    assert int(m[2]) >= 0.8 * len(rigged) and float(m[3]) >= 0.8
    # the analyst reads the screens' reasons in Chinese on the page, as bid_screens.csv gives them (the page had
    # shown the English: "risk in the top 1 % of this market's tenders; …")
    section = page.split("id='screens'", 1)[1].split("<h2", 1)[0]
    cells = re.findall(r"<td style='text-align:left'>([^<]*)</td>", section)
    assert len(cells) == 8 and all(re.search(r"[\u4e00-\u9fff]{4}", c) for c in cells), cells
    assert not any("this market" in c for c in cells)
    assert set(html.unescape(c) for c in cells) <= set(screens["reasons"].astype(str))


def test_the_notebooks_on_the_demos_store_list_what_its_load_refused(demo, tmp_path, monkeypatch, capsys):
    """The demo says how to open the notebooks on its store, and notebook 01 there lists the rows its load refused:
    the demo wrote them to out/quarantine.csv, not beside its store where `graphkit load` writes them and 01 looks,
    so 01 said "库旁没有隔离文件" of a load that had refused hundreds of rows."""
    from graphkit.notebook import open_city

    out, res = demo
    assert res.exit_code == 0, res.output
    assert f"在 JupyterLab 中用笔记本和工作台调查这个库：graphkit lab --store embedded:{out / 'graph.db'}" in res.output
    refused = json.loads((out / "load_report.json").read_text(encoding="utf-8"))["totals"]["quarantined"]
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{out / 'graph.db'}")
    monkeypatch.delenv("GRAPHKIT_QUARANTINE", raising=False)
    city = open_city("city01", work=tmp_path / "nb")
    try:
        shown = city.quarantined(3)
    finally:
        city.store.close()
    assert refused > 3 and len(shown) == 3, shown
    assert capsys.readouterr().out.startswith(f"加载共隔离 {refused:,} 行，下表列出前 3 行；"), refused


def test_the_demos_visuals_place_every_node_and_write_no_name_over_another(demo):
    """Each ``visuals/*.html`` gives every node its place (a person's node, its key masked in the page, had none:
    vis-network put the official anywhere, and in ``relative_wins_tender_1hop_1.html`` over another's name), and no
    node's name, as the page writes it (inside a box-shaped mark, else under the mark), meets another's or a mark."""
    from graphkit.viz import caption_width

    out, res = demo
    assert res.exit_code == 0, res.output
    inside = {"box", "ellipse", "database", "circle", "text"}  # vis-network writes these shapes' labels in them
    pages = sorted((out / "visuals").glob("*.html"))
    assert pages
    for page in pages:
        nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page.read_text("utf-8"), re.S)[1])
        assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in nodes), page.name
        boxes, marks = [], []
        for n in nodes:
            x, y, w = n["x"], n["y"], caption_width(n["label"], 14) / 2
            if n.get("shape", "dot") in inside:  # the name in the mark: the mark is its box
                boxes.append((x - w - 5, y - 13, x + w + 5, y + 13))
                continue
            boxes.append((x - w, y + 27, x + w, y + 46))  # under a mark of vis-network's size (25 px)
            marks.append((len(boxes) - 1, (x - 25, y - 25, x + 25, y + 25)))

        def meet(a, b) -> bool:
            return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])

        names = [n["label"] for n in nodes]
        over = [
            (names[i], names[j])
            for i in range(len(boxes))
            for j in range(i + 1, len(boxes))
            if meet(boxes[i], boxes[j])
        ]
        assert not over, (page.name, over)
        covered = [(names[i], names[j]) for i, a in enumerate(boxes) for j, m in marks if i != j and meet(a, m)]
        assert not covered, (page.name, covered)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make sysdeps")
def test_the_demos_path_case_files_run_from_the_official_on_the_left(demo):
    """Each ``case_files/path_N.pdf`` is a case file as ``path --export`` writes one (case number, page numbers,
    legend, appendix), its official drawn left of the company, as the explanation beside it reads (hop 1 first):
    the first had drawn the official on the right."""
    out, res = demo
    assert res.exit_code == 0, res.output
    pdfs = sorted((out / "case_files").glob("path_*.pdf"))
    assert pdfs
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = text.replace(" ", "")  # (-raw sets no space between CJK characters, nor in "1 / 2")
        assert "案卷号演示-" in text and re.search(r"^1/\d+$", text, re.M) and "图例" in text, pdf
        assert "附录" in text, pdf
        # in Chinese alone (it read 关系图谱 case-file graph, 图例 legend, 企业 Company (1), → 亲属 FAMILY (1))
        for english in ("case-file", "legend", "appendix", "nodes", "Company", "Person", "FAMILY", "SHAREHOLDER"):
            assert english not in text, (english, pdf)
        box = subprocess.run(
            ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        subject = html.unescape(re.search(r'<meta name="Subject" content="([^"]*)"', box)[1])
        official, company = re.match(r"路径 (\S+?)（", subject)[1], subject.rsplit(" — ", 1)[1]
        words = [
            (float(m[1]), m[3])
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', box)
            if float(m[2]) > 80  # the drawing, below the header that names both
        ]
        x = {w: a for a, w in words if w in (official, company)}
        assert set(x) == {official, company}, (pdf, official, company)
        assert x[official] < x[company], pdf


def test_the_demo_page_and_steps_read_chinese_first(demo):
    """The page a commission opens first: headings, prose and planted schemes in Chinese alone (each heading had
    its English after it: 调查人员 investigator, 加载 Load, 模型 model, 无 none …), and the console's nine steps
    say what they do in Chinese."""
    out, res = demo
    assert res.exit_code == 0, res.output
    steps = [ln for ln in res.output.splitlines() if re.match(r"\d/9 ", ln)]
    assert len(steps) == 9 and all(re.match(r"\d/9 [\u4e00-\u9fff]{2,}", ln) for ln in steps), steps
    # and in Chinese only (each said it twice, in Chinese then in English, whatever --lang said)
    english = r"\b(synthesising|loading|read|drawing|running|explaining|scoring|ranking|screening|warnings|units)\b"
    assert not [ln for ln in res.output.splitlines() if re.search(english, ln)], res.output
    # the closing line too (it read "open …/index.html")
    assert res.output.strip().splitlines()[-1] == f"完成：用浏览器打开 {out / 'index.html'} 查看结果", res.output
    page = (out / "index.html").read_text(encoding="utf-8")
    heads = [h for _, h in re.findall(r"<(h[12]|th|title|b)(?:\s[^>]*)?>(.*?)</\1>", page, re.S)]
    assert len(heads) > 20, heads
    for h in heads:  # Chinese alone: no English word beside it (ROC AUC, a model's id in <code> are no headings)
        assert not re.search(r"[A-Za-z]{3,}", h.replace("graphkit ", "")), h
    assert "<li>无 none</li>" not in page and '<html lang="zh">' in page
    from graphkit.rules import get
    from graphkit.synth.unmodelled import UNMODELLED_ZH

    schemes = page.split("id='schemes'", 1)[1].split("<h2", 1)[0]
    assert get("fuel_holiday").title_zh in schemes and UNMODELLED_ZH["ghost_consultant"] in schemes
    assert "entities" not in schemes and "个实体" in schemes
    # the graph's counts by the model's Chinese names, each label or type beside (it listed Person, WON … alone)
    graph = page.split("<h2 id='graph'>图谱</h2>", 1)[1]
    assert "<tr><td>自然人</td><td style='text-align:left'><code>Person</code></td>" in graph, graph
    assert "<tr><td>中标</td><td style='text-align:left'><code>WON</code></td>" in graph, graph


def test_a_path_the_demo_cannot_explain_names_the_official_masked(tmp_path, monkeypatch):
    """The demo said "no path 3205…  → …: …" with the official's ID number in clear when a path was not found."""
    import graphkit.paths
    from graphkit.cli.demo import _explain_planted

    official = "320583198403157459"  # a valid ID number (its check digit)

    def refuse(store, a, b, **kw):
        raise graphkit.paths.PathError(f"no node with key {a!r}")

    monkeypatch.setattr(graphkit.paths, "shortest_path", refuse)
    truth = {
        "instances": [
            {
                "scheme": "relative_wins_tender_1hop",
                "entities": [official, "91320500MA1XXXXXX1"],
                "types": ["person", "company"],
            }
        ]
    }
    said: list[str] = []
    assert _explain_planted(None, truth, said.append, tmp_path) == []
    assert len(said) == 2 and "无路径" in said[1] and official not in said[1] and "3205" in said[1]


def test_the_demo_steps_read_english_under_lang_en(tmp_path, monkeypatch):
    """``graphkit demo --lang en``: the step lines in English alone (they were Chinese and English at once whatever
    ``--lang`` said), as the line a Ctrl-C ends with; Chinese alone by default. Stopped at its first step (the
    whole demo in English would cost a second run of the module's demo)."""
    import graphkit.synth as synth

    def stopped(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(synth, "generate", stopped)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["demo", "--out", str(out), "--scale", "1000", "--lang", "en"])
    assert r.exit_code == 130, r.output
    assert [ln for ln in r.output.splitlines() if ln] == [
        f"1/9 synthesising a city of 1,000 persons (seed 7) into {out / 'city'}",
        f"interrupted (Ctrl-C): the demo stopped half way: {out} holds part of it and no index.html; run "
        f"`graphkit demo --out {out}` again to make it whole",
    ], r.output
    r = CliRunner().invoke(main, ["demo", "--out", str(out), "--scale", "1000"], env={"GRAPHKIT_LANG": None})
    assert r.exit_code == 130 and r.output.strip().splitlines()[0] == (
        f"1/9 合成城市：1,000 人（随机种子 7），写入 {out / 'city'}"
    ), r.output


def test_the_demo_says_on_the_console_how_long_it_took_as_its_page_does(demo):
    """The page said ``用时 … 秒`` and the console nothing of it: the line before the closing one gives the page's
    figure, in the console's language (Chinese by default; ``graphkit.cli.demo.took_line``'s English under
    ``--lang en``, not run here: a second demo run costs minutes)."""
    out, res = demo
    assert res.exit_code == 0, res.output
    page = (out / "index.html").read_text(encoding="utf-8")
    seconds = re.search(r"<p>用时 ([\d.]+) 秒。", page)
    assert seconds, page[:2000]
    assert res.output.strip().splitlines()[-2] == f"演示用时 {seconds.group(1)} 秒", res.output
    from graphkit.cli.demo import took_line

    assert took_line(float(seconds.group(1)), "en") == f"the demo took {seconds.group(1)} s"


def test_the_demo_page_reads_english_alone_under_lang_en(tmp_path, monkeypatch):
    """``graphkit demo --lang en``: its page's prose had stayed Chinese under English headings (用时 … 秒。源数据表在
    city/ …, 全部预警见 …, the tables' 名次 / 单位 / 风险, 文件 / 读取 / 入库 …). Laid out here from a few rows (a
    second demo run costs minutes): no Chinese character on it but the data's (a unit's name)."""
    from pathlib import Path
    from types import SimpleNamespace

    import pandas as pd

    import graphkit.cli.common as common
    from graphkit.cli.demo import _index

    monkeypatch.setattr(common, "_CONSOLE_LANG", ["en"])
    report = SimpleNamespace(
        files=[SimpleNamespace(file="persons.csv", read=3, loaded=2, quarantined=1)],
        totals=lambda: {"read": 3, "loaded": 2, "quarantined": 1},
    )
    counts = {"nodes": {"Person": 2}, "relationships": {"WON": 1}}
    warnings = pd.DataFrame(
        [{"model": "fuel_holiday", "level": "red", "summary": "a car fuelled on a holiday", "summary_zh": "节假日加油"}]
    )
    unit = "常熟市农业农村局"
    inspection = {
        "units": pd.DataFrame(
            [{"rank": 1, "name": unit, "credit_code": "11320581001090901E", "risk": 99.8, "peers": "government"}]
        ).assign(factors="2 open red warnings"),
        "name": unit,
        "html": Path("inspection/p.html"),
        "pdf": Path("inspection/p.pdf"),
    }
    top = pd.DataFrame(
        [{"tender": "T1", "risk": 0.9, "reasons": "报价接近", "reasons_en": "close prices", "planted": True}]
    )
    screens = {
        **dict.fromkeys(("read", "quarantined", "scored", "flagged", "unscored", "single"), 1),
        **{"rigged": 1, "rigged_flagged": 1, "auc": 1.0, "context": ["bids"], "top": top},
    }
    collusion = pd.DataFrame([{"risk": 0.8, "reasons": "shared phone"}])
    page = _index(
        tmp_path,
        report,
        counts,
        [("fuel_holiday", Path("visuals/fuel_holiday.html"), 3, 2)],
        [],
        12.3,
        1000,
        7,
        warnings=warnings,
        collusion=collusion,
        inspection=inspection,
        screens=screens,
    ).read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S)).replace(unit, "")
    chinese = re.findall(r"[^\x00-\u2fff]*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][^<\n]*", text)
    assert not chinese, chinese
    assert "Took 12.3 s" in page and "units ranked, and a pre-portrait" in page
    # a model by its English words, its id beside them (it was the id alone)
    from graphkit.rules.words import model_words_en

    assert model_words_en("fuel_holiday") in page and "<code>fuel_holiday</code>" in page


def test_the_demo_says_factors_and_community_reasons_in_english_under_lang_en(tmp_path, monkeypatch):
    """``graphkit demo --lang en``: ``units.csv``'s factors, the page's first-factor column and the communities'
    reasons had stayed Chinese (a factor's ``text``, a community's ``reasons``) where the English was at hand
    (``text_en``, ``reasons_en``). Laid out from a few rows (a second demo run costs minutes)."""
    from pathlib import Path
    from types import SimpleNamespace

    import pandas as pd

    import graphkit.cli.common as common
    from graphkit.cli.demo import _factor_words, _index

    fs = [
        {"text": "未核销红色预警 2 条", "text_en": "2 open red warnings"},
        {"text": "招标项目 9 个", "text_en": "9 tenders"},
    ]
    assert _factor_words(fs) == "未核销红色预警 2 条；招标项目 9 个"  # Chinese by default, as before
    monkeypatch.setattr(common, "_CONSOLE_LANG", ["en"])
    assert _factor_words(fs) == "2 open red warnings; 9 tenders"
    report = SimpleNamespace(files=[], totals=lambda: {"read": 0, "loaded": 0, "quarantined": 0})
    unit = "常熟市农业农村局"
    inspection = {
        "units": pd.DataFrame(
            [{"rank": 1, "name": unit, "credit_code": "11320581001090901E", "risk": 99.8, "peers": "government"}]
        ).assign(factors=_factor_words(fs)),
        "name": unit,
        "html": Path("inspection/p.html"),
        "pdf": Path("inspection/p.pdf"),
    }
    collusion = pd.DataFrame([{"risk": 0.8, "reasons": "共用电话", "reasons_en": "a shared phone"}])
    page = _index(
        tmp_path,
        report,
        {"nodes": {}, "relationships": {}},
        [],
        [],
        1.0,
        10,
        1,
        collusion=collusion,
        inspection=inspection,
    ).read_text(encoding="utf-8")
    assert "a shared phone" in page and "共用电话" not in page
    assert ">2 open red warnings<" in page and "9 tenders" not in page  # the first factor alone
    assert "未核销" not in page


def test_the_demos_units_workbook_notes_read_one_language(monkeypatch):
    """``inspection/units.xlsx``'s notes sheet had been Chinese under ``--lang en`` (内容 全部单位按异常风险排名 …):
    its rows in the console's language alone."""
    import graphkit.cli.common as common
    from graphkit.cli.demo import _units_notes

    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    zh = _units_notes()
    assert zh[0][0] == "内容" and all(cjk.search(note) for _, note in zh)
    monkeypatch.setattr(common, "_CONSOLE_LANG", ["en"])
    en = _units_notes()
    assert len(en) == len(zh) and [k for k, _ in en[1:]] == [k for k, _ in zh[1:]]
    assert not [x for row in en for x in row if cjk.search(x)], en


def test_the_demos_paths_read_english_under_lang_en(demo, tmp_path, monkeypatch):
    """The page's official → company paths (and their case files' numbers) had stayed Chinese under ``--lang en``
    (胡颖菲（公职人员，常熟市民政局） — 子女为 — …, 案卷号 演示-1): each link and citation worded in the console's
    language, the names as they are."""
    import graphkit.cli.common as common
    from graphkit.cli.demo import _explain_planted
    from graphkit.stores.embedded import EmbeddedStore

    out, res = demo
    assert res.exit_code == 0, res.output
    shutil.copy(out / "graph.db", tmp_path / "graph.db")  # (its audit log and case files apart from the demo's)
    truth = json.loads((out / "city" / "truth.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(common, "_CONSOLE_LANG", ["en"])
    store = EmbeddedStore(tmp_path / "graph.db", read_only=True)
    try:
        found = _explain_planted(store, truth, lambda *a, **k: None, tmp_path)
    finally:
        store.close()
    assert found
    cjk = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
    for line, hops, _ in found:
        for said in [line, *hops]:
            parts = said.split(" — ")
            links = parts[1::2]  # A — link — B — link — C: the links between the names
            assert links and not [x for x in links if cjk.search(x)], said
            assert "公职人员" not in said and "第" not in said.rsplit(" — ", 1)[-1][-8:], said
        assert all(re.search(r"\[\S+\.csv lines? \d", h) for h in hops), hops


def _identifiers(city) -> tuple[dict[str, str], set[str]]:
    """Every value of the demo city's source tables that the model declares an identifier, value → ``table.column``:
    a column the contracts type as an identifier (ID number, phone, account, plate), or that holds the key of a label
    whose key is personal (nodes.yaml ``personal:``: a person, a fuel card, a licence …), credit codes aside (a
    party column names a company or a person); and the ``table.column`` names swept."""
    from graphkit.model import Model
    from graphkit.model.types import is_valid_credit_code
    from loaders.contracts import load_contracts

    personal = {n for n, spec in Model.default().labels.items() if spec.personal}
    raw: dict[str, str] = {}
    swept: set[str] = set()
    for name, src in load_contracts().items():
        cols = {c.name for c in src.columns.values() if c.type in ("id_number", "phone", "account", "plate")}
        cols |= {c.name for c in src.columns.values() if c.ref in personal}
        cols |= {n.key for n in src.nodes if n.label in personal}
        cols |= {end.column for e in src.edges for end in (e.source, e.target) if set(end.labels()) & personal}
        header = {h: c.name for c in src.columns.values() for h in (c.name, c.zh) if h}
        if not (city / f"{name}.csv").exists():
            continue
        swept |= {f"{name}.{c}" for c in cols}
        with (city / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for h, v in row.items():
                    v = (v or "").strip()
                    if header.get(h) in cols and len(v) >= 6 and not is_valid_credit_code(v):
                        raw.setdefault(v, f"{name}.{header[h]}")
    return raw, swept


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make sysdeps")
def test_no_identifier_the_model_declares_is_in_clear_on_the_demo_page_or_a_case_file(demo):
    """The demo page printed five fuel card numbers and a lawyer's licence number in clear: neither key was declared
    personal, so no face masked them. Every identifier value of the city's tables (read from the CSVs, not from the
    store) is looked for in the page, its visuals, the pre-portrait (HTML and PDF) and the path case files; only a
    plate or an address the store holds public (an official car) may be there."""
    from graphkit.stores import open_store

    out, res = demo
    assert res.exit_code == 0, res.output
    raw, swept = _identifiers(out / "city")
    assert {"fuel_cards.card_no", "licences.licence_no", "roster.id_number", "vehicles.plate"} <= swept, swept
    store = open_store(f"embedded:{out / 'graph.db'}")
    try:
        public = store.public_keys()
    finally:
        store.close()
    faces = {"index.html": html.unescape((out / "index.html").read_text(encoding="utf-8"))}
    for p in [*sorted(out.glob("inspection/*.html")), *sorted(out.glob("visuals/*.html"))]:
        faces[str(p.relative_to(out))] = html.unescape(p.read_text(encoding="utf-8"))
    pdfs = [*sorted(out.glob("case_files/*.pdf")), *sorted(out.glob("inspection/*.pdf"))]
    assert any(p.parent.name == "case_files" for p in pdfs), pdfs
    assert any(p.suffix == ".html" for p in out.glob("inspection/*"))
    for p in pdfs:
        faces[str(p.relative_to(out))] = subprocess.run(
            ["pdftotext", str(p), "-"], capture_output=True, text=True, check=True
        ).stdout
    token = re.compile(r"[\u4e00-\u9fff]?[0-9A-Za-z·]{5,}")  # a plate keeps its province character
    clear = []
    for face, text in faces.items():
        found = set(token.findall(text))
        found |= {t[1:] for t in found if not t[0].isascii()}
        clear += sorted(f"{raw[v]} in {face}" for v in found if v in raw and v not in public)
    assert not clear, clear[:20]


def test_no_face_of_the_demo_runs_a_letter_number_into_a_citation(demo):
    """A letter number is written in the brackets a citation stands in (苏建函〔2023〕63号): the pre-portrait's
    receptions printed ``苏建函〔2023〕63号〔receptions.csv 第58行〕``, the two run together. The letter is named
    (公函 …) and the citation set apart from it, on the page and in its PDF."""
    out, res = demo
    assert res.exit_code == 0, res.output
    faces = [html.unescape(p.read_text(encoding="utf-8")) for p in sorted(out.glob("inspection/*.html"))]
    if shutil.which("pdftotext"):
        faces += [
            subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout
            for p in sorted(out.glob("inspection/*.pdf"))
        ]
    letter = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
    assert any(letter.search(t) for t in faces), "the pre-portrait lists no reception with a letter"
    for t in faces:
        assert not re.search(letter.pattern + r"〔", t), re.search(letter.pattern + r"〔.{0,30}", t).group(0)
        assert all(t[m.start() - 3 : m.start()] == "公函 " for m in letter.finditer(t)), letter.findall(t)[:3]


def test_the_demos_maps_and_portrait_read_english_under_lang_en(demo, tmp_path, monkeypatch):
    """``graphkit demo --lang en`` drew its planted schemes' maps (visuals/) and wrote the riskiest unit's
    pre-portrait, HTML and PDF, in Chinese alone (图例, 悬停节点或关系看详情与来源行, 一、基本情况, 预画像): both in
    English now, the names as they are. Drawn again from the module's demo store into another folder."""
    import graphkit.cli.common as common
    from graphkit.cli.demo import _draw_schemes, _inspect
    from graphkit.stores.embedded import EmbeddedStore

    out, _ = demo
    truth = json.loads((out / "city" / "truth.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(common, "_CONSOLE_LANG", ["en"])
    for folder in ("visuals", "inspection"):
        (tmp_path / folder).mkdir()
    store = EmbeddedStore(out / "graph.db", read_only=True)
    try:
        visuals = _draw_schemes(store, truth, tmp_path)
        inspection = _inspect(store, out / "graph.db", tmp_path, lambda *_: None)
    finally:
        store.close()
    ours = re.compile(r"图例|节点|关系（|悬停|个实体|条关系|预画像|基本情况|风险评分|未编案卷号|数据来源|关系图")
    assert len(visuals) >= 20

    def shown(path) -> str:  # a page's words, not its scripts' (the drawing library's own Chinese strings)
        page = re.sub(r"srcdoc=(['\"]).*?\1", " ", path.read_text(encoding="utf-8"), flags=re.S)  # a framed map's
        return re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)

    for _, path, _, _ in visuals:
        page = shown(tmp_path / path)
        assert not ours.findall(page), (path, sorted(set(ours.findall(page))))
        assert " entities, " in page, path
    page = shown(tmp_path / inspection["html"])
    assert not ours.findall(page), sorted(set(ours.findall(page)))
    printed = subprocess.run(["pdftotext", tmp_path / inspection["pdf"], "-"], capture_output=True, text=True).stdout
    assert "Pre-portrait" in printed and not ours.findall(printed), sorted(set(ours.findall(printed)))


def test_every_face_of_the_demo_cites_a_record_one_way(demo):
    """A record is cited 〔family.csv 第2行〕 on every face (:func:`graphkit.model.citation`): the page's paths, the
    pre-portrait, the drawings' hover texts and the case files; never in round brackets (``（family.csv 第2058行）``,
    as the page's paths had been read to cite) nor after a colon (``source: family.csv line 2``)."""
    out, res = demo
    assert res.exit_code == 0, res.output
    faces = {"index.html": html.unescape((out / "index.html").read_text(encoding="utf-8"))}
    for p in [*sorted(out.glob("inspection/*.html")), *sorted(out.glob("visuals/*.html"))]:
        faces[str(p.relative_to(out))] = html.unescape(p.read_text(encoding="utf-8"))
    if shutil.which("pdftotext"):
        for p in [*sorted(out.glob("case_files/*.pdf")), *sorted(out.glob("inspection/*.pdf"))]:
            faces[str(p.relative_to(out))] = subprocess.run(
                ["pdftotext", str(p), "-"], capture_output=True, text=True, check=True
            ).stdout
    one = re.compile(r"〔[^〔〕]*\.(?:csv|xlsx)[^〔〕]* 第\d[\d、]*行[^〔〕]*〕")
    other = re.compile(
        r"[（(][^（）()\n]*\.(?:csv|xlsx)[^（）()\n]* 第\d[\d、]*行[^（）()\n]*[）)]"
        r"|来源[:：] ?\S+\.csv|source: \S+\.csv"
    )
    assert one.search(faces["index.html"]), "the page cites no record"
    assert any(one.search(t) for f, t in faces.items() if f.startswith("inspection/")), "the portrait cites none"
    for face, text in faces.items():
        assert not other.search(text), (face, other.search(text).group(0))
