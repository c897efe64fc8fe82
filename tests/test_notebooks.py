"""Notebooks hold no logic; they run top to bottom on synthetic data, twice in the same folder.

The folder is the session's ``notebook_out`` (``tests/conftest.py``): when the browser test has run a notebook
there in JupyterLab, the run here is its second; otherwise it runs twice here. A second run is the part that
works on a store or folder (``notebook_parts.store_part``); 03's is a Run All without the cartel data, which
stops where its Part 2 asks for that data, after Part 1 (the store) has run and shown the communities."""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

import nbformat
import networkx as nx
import pytest
from notebook_parts import PART_2

from graphkit.model.types import is_valid_id_number

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_notebooks_per_role_are_there():
    names = [p.stem for p in NOTEBOOKS]
    assert names[:5] == [
        "01_quickstart",
        "02_relationship_explorer",
        "03_tender_collusion",
        "04_pre_portrait",
        "05_case_export",
    ], names


def test_the_readme_table_has_a_row_per_notebook_saying_who_it_is_for():
    """The README's notebook table (section 'The Jupyter workbench') stopped at 03: 04 and 05 had no row. Each
    notebook has one, its role as the notebook's title gives it."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The Jupyter workbench", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", section, re.M)}
    assert sorted(rows) == [p.stem for p in NOTEBOOKS], sorted(rows)
    for p in NOTEBOOKS:
        title = nbformat.read(p, as_version=4).cells[0].source.splitlines()[0]
        role = re.search(r"\(([^()]+)\)\s*$", title)
        assert role is None or role.group(1).split(" (")[0] in rows[p.stem], (p.stem, title, rows[p.stem])


def test_the_notebooks_that_keep_warnings_say_who_writes_the_ledger():
    """02 and 04 run the models into the ledger beside the store, signed by GRAPHKIT_USER, on any store but a
    viewer's (``City.ledger``); 04 told an investigator on their own store "你的库的台账只读取，从不写入" while it
    wrote to it. Each says what its cell does: who signs, and that a viewer alone only reads."""
    for p in NOTEBOOKS:
        if p.stem not in ("02_relationship_explorer", "04_pre_portrait"):
            continue
        cells = nbformat.read(p, as_version=4).cells
        at = next(i for i, c in enumerate(cells) if re.search(r"city\.(ledger|warnings)\(\)", c.source))
        said = cells[at - 1].source + cells[at].source
        assert "GRAPHKIT_USER" in said and "viewer" in said and "你的库" not in said, (p.stem, said)


#: a Chinese character (CJK unified ideographs)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def test_notebook_04_sets_the_isolation_forest_and_the_portraits_language_in_one_parameter_cell():
    """Notebook 04 had no Isolation Forest setting (`rank`/`portrait --iforest W`) and wrote its portraits with an
    English line under each Chinese one whatever GRAPHKIT_LANG said: one parameter cell sets both, and the ranking,
    the portrait, their records and the Risk panel read them."""
    nb = nbformat.read(next(p for p in NOTEBOOKS if p.stem == "04_pre_portrait"), as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and re.search(r"^IFOREST = 0\.0$", params[0].source, re.M)
    assert re.search(r"^LANG = notebook_lang\(\)$", params[0].source, re.M)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and c is not params[0])
    assert code.count("iforest=IFOREST") == 3 and code.count('"iforest": IFOREST') == 2, code
    assert code.count("lang=LANG") == 2, code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_reads_chinese_first(path):
    """The investigators, analysts and case officers who open the notebooks are Chinese; every title, heading, text
    and comment read English ("# 01 · Quickstart: build a city …", "# the rows as read, identifiers masked …").
    Each markdown cell's first line starts in Chinese (after its ``#`` and number; an English name may follow, as
    the demo page's ``数据碰撞模型预警 Warnings``), and each code comment says something in Chinese."""
    nb = nbformat.read(path, as_version=4)
    english = [
        c.source.splitlines()[0]
        for c in nb.cells
        if c.cell_type == "markdown" and not _HAN.match(re.sub(r"^[#\s\d·]*", "", c.source.splitlines()[0]))
    ]
    assert not english, english
    comments = [
        m.group(1) for c in nb.cells if c.cell_type == "code" for m in re.finditer(r"(?:^|\s)#\s(.*)$", c.source, re.M)
    ]
    assert comments and not [t for t in comments if not _HAN.search(t)], comments


def _in_clear(nb) -> list[str]:
    """Valid ID numbers and mobile numbers shown in clear by an executed notebook: in its outputs (text, HTML,
    printed lines) and in its widgets' state (a text box filled in by a cell)."""
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            parts.append(o.get("text", "") if isinstance(o.get("text"), str) else "".join(o.get("text") or []))
            for mime in ("text/plain", "text/html"):
                v = o.get("data", {}).get(mime, "")
                parts.append(v if isinstance(v, str) else "".join(v))
    parts.append(json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False))
    text = "\n".join(parts)
    ids = [m for m in re.findall(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])", text) if is_valid_id_number(m)]
    return ids + re.findall(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])", text)


def _html_outputs(done) -> list[str]:
    """The HTML each cell of an executed notebook showed (tables as pandas renders them)."""
    outputs = [o for c in done.cells for o in c.get("outputs", [])]
    return [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]


def _part_2_reads_chinese(done) -> None:
    """Notebook 03's Part 2 (the cartel data scored) as an analyst reads it: each scored table headed 标段, 风险 and
    理由 with the reasons in Chinese, and its lines in Chinese. Its tables' reasons and its lines were English
    ("15 of 15 bidders were mostly in tenders found collusive before …", "540 training tenders …")."""
    part = done.cells[next(i for i, c in enumerate(done.cells) if c.source.startswith(PART_2)) :]
    tables = [o["data"]["text/html"] for c in part for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    scored = [t for t in tables if "理由" in t]
    assert len(scored) == 3 and all("<th>标段</th>" in t and "<th>风险</th>" in t for t in scored), tables
    printed = "".join(o.get("text", "") for c in part for o in c.get("outputs", []) if o.get("output_type") == "stream")
    shown = "\n".join(scored) + printed
    english = re.findall(r"[A-Za-z]+ (?:of|in|on|the|were|tenders?|bids?) [A-Za-z]+", shown)
    assert not english and "ROC AUC" in printed, english or printed
    # the screens that weigh most after the 20 confirmed tenders, each by its Chinese name (they were listed by key
    # alone: SKEW, period, …)
    (weights,) = [t for t in tables if "筛查指标" in t]
    named = re.findall(
        r"<td>([^<]*)</td>\s*<td>-?[\d.]+(?:e-?\d+)?</td>\s*<td>(越高越可疑|越低越可疑|不起作用)</td>", weights
    )
    assert len(named) == 5 and all(_HAN.search(n) and re.search(r"（\w+）$", n) for n, _ in named), weights


def _stops_where_part_2_asks_for_the_data(done, work: Path, started: int) -> None:
    """Without ../shared/data, Run All stopped at 03's first cell (it asked for the data there), and the
    knowledge graph's communities and the Collusion panel, which need no data, were never shown. The data is
    asked for where Part 2 starts, after Part 1 has run (``done``: notebook 03 run so, writing to ``work``, from
    the time ``started``)."""
    failed = next(
        i for i, c in enumerate(done.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))
    )
    part2 = next(i for i, c in enumerate(done.cells) if c.cell_type == "markdown" and c.source.startswith(PART_2))
    assert failed == part2 + 1, (failed, part2)
    panel = [c for c in done.cells[:part2] if "Collusion(store" in c.source]
    assert panel and panel[0].get("outputs"), "the Collusion panel is shown before Part 2 asks for the data"
    communities = work / "collusion" / "communities.csv"
    assert communities.is_file() and communities.stat().st_mtime_ns >= started, "written by this run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped_and_runs_twice(path, notebook_out, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    assert not any("def " in c.source or "class " in c.source for c in nb.cells if c.cell_type == "code"), (
        "logic belongs in graphkit, not in notebooks"
    )
    from conftest import notebook_ran, notebooks_ran
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from notebook_parts import store_part

    monkeypatch.setenv("GRAPHKIT_NOTEBOOK_OUT", str(notebook_out))
    monkeypatch.setenv("GRAPHKIT_SCALE", "1000")
    runs = (2,) if path.name in notebooks_ran(notebook_out) else (1, 2)
    for run in runs:  # a second run in the same folder finds the first one's store, ledger and files
        nb = nbformat.read(path, as_version=4)
        # 03's second run is a Run All without the cartel data: its Part 2 (minutes of training on that data, the
        # same as the first run's, here or in JupyterLab) stops at its first cell, after Part 1 (the store) ran
        no_data = run == 2 and path.stem == "03_tender_collusion"
        if no_data:
            monkeypatch.setenv("GRAPHKIT_COLLUSION_DATA", str(notebook_out / "nowhere"))
            monkeypatch.delenv("GRAPHKIT_LANG", raising=False)
            monkeypatch.delenv("GRAPHKIT_STORE", raising=False)
            started = time.time_ns()
        # the second run of the others leaves out what works on no store and no folder (store_part)
        done = store_part(nb) if run == 2 and not no_data else nb
        client = NotebookClient(
            done,
            timeout=600,  # per cell: the Swiss scorer of notebook 03 takes minutes on a loaded machine
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parents[1])}},
        )
        if no_data:
            with pytest.raises(CellExecutionError, match="带标签的串标数据不在这里"):  # in Chinese, as the cells around
                client.execute()
            _stops_where_part_2_asks_for_the_data(done, notebook_out, started)
        else:
            client.execute()
        errors = [o for c in done.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert len(errors) == no_data, f"run {run}: {errors}"
        shown = [o for c in done.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
        text = "".join(o["data"]["text/html"] for o in shown)
        assert "Traceback" not in text and "color:#b00020" not in text, f"run {run}: an error in a panel"
        clear = _in_clear(done)
        assert not clear, f"run {run}: identifiers in clear in the outputs or the widgets: {clear}"
        if run == 1 and path.stem == "03_tender_collusion":  # Part 2 runs in the first run only
            _part_2_reads_chinese(done)
        if path.stem == "03_tender_collusion":  # Part 1's communities headed in Chinese (risk, size, reasons)
            # under the headers communities.csv has (社区, 规模), where the table had said 团伙 and 企业数
            table = next(t for t in _html_outputs(done) if ">社区<" in t)
            assert ">规模<" in table and ">理由<" in table and ">reasons<" not in table, table
            assert "团伙" not in table and "企业数" not in table, table
    assert list(notebook_out.rglob("*.html")), "a notebook leaves a visual for the case file"
    if path.stem == "05_case_export":  # the case file's record, as `graphkit export` writes it: files and SHA-256
        from graphkit.audit import file_digest

        log = notebook_out / "city05.db.audit.jsonl"
        rec = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()][-1]
        assert rec["command"] == "export" and rec["params"]["formats"] == ["pdf", "html", "graphml"]
        assert rec["params"]["sha256"] == [file_digest(f)[0] for f in rec["params"]["files"]]
        assert rec["who"] != "案件承办人"  # GRAPHKIT_USER, else the login: not a placeholder
        assert all(Path(f).stat().st_mode & 0o077 == 0 for f in rec["params"]["files"])  # private, as the CLI's
        # what the file leaves out is said in it and in the record, as graphkit export says it: the notebook's
        # case file listed a unit of 103 links without them and said nothing (omitted [], seeds [])
        graphml = next(f for f in rec["params"]["files"] if f.endswith(".graphml"))
        g = nx.read_graphml(graphml)
        seeds, omitted = json.loads(g.graph["seeds"]), json.loads(g.graph["omitted"])
        hubs = [a["name"] for v, a in g.nodes(data=True) if a.get("hub") and v not in seeds]
        assert len(seeds) == 1 and hubs and rec["params"]["left_out"], (seeds, hubs, omitted)
        assert all(f"{h} (" in "".join(omitted) for h in hubs), (hubs, omitted)
        # whose data the file shows, as `graphkit export` records it (audit show --about finds the case file); the
        # file masks the ID numbers the record keeps
        from graphkit.model.mask import mask

        persons = sorted(v for v, a in g.nodes(data=True) if a.get("label") == "Person")
        kept = rec["params"].get("persons") or []
        assert persons and sorted(mask(k, "id_number") for k in kept) == persons, kept
        # the records read as `audit show --out` writes them for a review: Chinese headings, no NaN under 目的
        table = next(t for t in _html_outputs(done) if "涉及人员" in t)
        assert "操作人" in table and "NaN" not in table, table
        # the files written headed in Chinese, and the lines said in Chinese (they read "… 47 nodes, 80 links",
        # "path, format, nodes, links, left_out_nodes …", "3 records, chain whole; head …")
        files = next(t for t in _html_outputs(done) if "图中略去的节点" in t)
        assert ">文件</th>" in files and ">格式</th>" in files and "left_out" not in files, files
        said = "".join(o.get("text", "") for c in done.cells for o in c.get("outputs", []) if o.get("name") == "stdout")
        assert re.search(r"节点 \d+ 个，关系 \d+ 条", said) and "哈希链完整" in said, said
        assert not re.search(r"\b(nodes|links|records|chain)\b", said), said
    if path.stem == "01_quickstart":  # the quarantined rows: 10 shown, and how many in all and where they all are
        said = "".join(o.get("text", "") for c in done.cells for o in c.get("outputs", []) if o.get("name") == "stdout")
        line = re.search(
            r"^加载共隔离 ([\d,]+) 行（共读取 ([\d,]+) 行，加载 ([\d,]+) 行），下表列出前 10 行；"
            r"全部隔离行（标识未遮蔽）在 (\S+)$",
            said,
            re.M,
        )
        assert line, said
        quarantined, read, loaded = (int(line.group(k).replace(",", "")) for k in (1, 2, 3))
        with Path(line.group(4)).open(encoding="utf-8-sig", newline="") as fh:
            kept = list(csv.DictReader(fh))
        assert read == loaded + quarantined and len(kept) == quarantined > 10, (line.group(0), len(kept))
    if path.stem == "04_pre_portrait":  # the portrait's record names the persons it shows, as the CLI's does
        log = notebook_out / "city04.db.audit.jsonl"
        recs = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
        # (a list: the riskiest unit of the 1,000-person city, 常熟市农业农村局 since one fact counts once, has no
        # post on record, so its portrait shows no person; graphkit.audit.portrait_persons's example checks names)
        assert isinstance([r for r in recs if r["command"] == "portrait"][-1]["params"]["persons"], list)
        # every run's portrait kept, named by its unit: the notebook wrote portrait_top_unit.html on every run, over
        # the earlier one, whose record's SHA-256 then named no file
        from graphkit.audit import file_digest

        made = [r["params"] for r in recs if r["command"] == "portrait" and r["params"].get("via") == "notebook 04"]
        files = [f for m in made for f in m["files"]]
        assert len(made) >= 2 and len(set(files)) == len(files), files
        assert all(Path(f).name.startswith("portrait_") and "top_unit" not in f for f in files), files
        assert [file_digest(f)[0] for f in files] == [d for m in made for d in m["sha256"]], files
        # the factors' degree as the portrait writes it (偏离 2.3, 偏离 ≥6，封顶, 预警计分 6.0), not a bare 6.0
        table = next(t for t in _html_outputs(done) if "计分" in t and "因素" in t)
        assert re.search(r"<td>(偏离 (\d|≥6，封顶)|预警计分 \d)", table), table
        # a warning factor names the warnings it counts, as `graphkit rank` and the portrait do (it said the count)
        warned = re.findall(r"<td>(未核销[^<]*预警[^<]*)</td>\s*<td>预警计分", table)
        assert warned and all("（其中 " in w for w in warned), table
        # the portrait's line in Chinese (it read "portrait of … (risk 99.8, red) → …")
        said = "".join(o.get("text", "") for c in done.cells for o in c.get("outputs", []) if o.get("name") == "stdout")
        line = re.search(r"的预画像（风险 [\d.]+，(红色|橙色|一般)）已写入 ", said)  # a normal unit's had read normal
        assert line and "portrait of" not in said, said
        # the ranking's level (红色 / 橙色 / 一般) beside the risk, as `graphkit rank` and the Risk tab show it
        ranked = next(t for t in _html_outputs(done) if "<th>名次</th>" in t and "<th>对照组</th>" in t)
        assert "<th>等级</th>" in ranked and re.search(r"<td>(红色|橙色|一般)</td>", ranked), ranked
    notebook_ran(notebook_out, [path.name])


@pytest.fixture(scope="module")
def team_store(tmp_path_factory):
    """A team's store loaded before (the fixture city) with the quarantine ``graphkit load`` writes beside it:
    one refused row whose value is a valid ID number, shown masked."""
    from fixture_city import P1, write_city

    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir
    from loaders.report import LoadReport, Quarantined

    root = tmp_path_factory.mktemp("team")
    db = root / "store" / "team.db"
    s = EmbeddedStore(db)
    try:
        load_dir(write_city(root / "city"), s)
    finally:
        s.close()
    LoadReport(quarantine=[Quarantined("household.csv", 9, "公民身份号码", P1, "duplicate of row 2")]).write_quarantine(
        f"{db}.quarantine.csv"
    )
    return db


@pytest.mark.parametrize("stem", ["01_quickstart", "03_tender_collusion"])
def test_notebooks_01_and_03_show_the_store_a_team_names(stem, team_store, tmp_path, monkeypatch):
    """``GRAPHKIT_STORE`` named a team's store: notebooks 02, 04 and 05 showed it, while 01 (an investigator
    looking around) and 03 (an analyst scoring collusion) built a synthetic city of their own and showed that.
    They show the team's store, opened read-only: nothing generated or loaded, nothing beside the store changed;
    01 says the store was loaded before, lists the rows its load refused (masked) from the quarantine file
    beside it, counts the store and draws its first lead; 03 scores the store's bidder communities."""
    from fixture_city import C1, C2
    from nbclient import NotebookClient
    from notebook_parts import store_part, stub_collusion_data

    from graphkit.paths import resolve

    work = tmp_path / "work"
    beside = sorted(p.name for p in team_store.parent.iterdir())
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{team_store}")
    monkeypatch.delenv("GRAPHKIT_QUARANTINE", raising=False)
    monkeypatch.setenv("GRAPHKIT_NOTEBOOK_OUT", str(work))
    monkeypatch.setenv("GRAPHKIT_SCALE", "1000")  # (what a city built here would have: none is)
    monkeypatch.setenv("GRAPHKIT_COLLUSION_DATA", str(stub_collusion_data(tmp_path / "no_bids")))
    path = NOTEBOOKS[[p.stem for p in NOTEBOOKS].index(stem)]
    nb = store_part(nbformat.read(path, as_version=4))
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parents[1])}},
    ).execute()
    errors = [(o["ename"], o["evalue"]) for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, errors
    made = sorted(str(p.relative_to(work)) for p in work.rglob("*")) if work.exists() else []
    assert not [m for m in made if m.startswith("city") or ".db" in m], f"a city was built here: {made}"
    assert sorted(p.name for p in team_store.parent.iterdir()) == beside, "the team's store was changed"
    assert not _in_clear(nb)
    shown = {
        i: "".join(
            o.get("text", "") if isinstance(o.get("text"), str) else o.get("data", {}).get("text/plain", "")
            for o in c.get("outputs", [])
        )
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
    }
    text = "\n".join(shown.values())
    if stem == "01_quickstart":
        assert f"embedded:{team_store}：此前已加载的库" in text, text
        assert "与第 2 行重复" in text and "3205**********0018" in text, text
        # the fixture city's persons, not a synthetic city's: each kind by its Chinese name beside its label (the
        # table had listed the labels alone under a Chinese heading)
        assert re.search(r"^\d+\s+自然人\s+Person\s+38$", text, re.M), text
        # the lead drawn in the cell (the panels' view), where only its page's path was shown
        lead = next(c for c in nb.cells if "city.draw(" in c.source)
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in lead.outputs), lead.outputs
        assert "公职人员近亲属任法定代表人或股东的企业中标本单位项目：6 个实体，" in text, text
        assert (work / "case.html").is_file()
    else:
        from graphkit.stores.embedded import EmbeddedStore

        s = EmbeddedStore(team_store, read_only=True)
        try:
            names = {resolve(s, c).name for c in (C1, C2)}
        finally:
            s.close()
        # its one community: C1 and C2, who paid their bid bonds from one account (tests/fixture_city.py)
        communities = (work / "collusion" / "communities.csv").read_text(encoding="utf-8-sig")
        assert communities.count("\n") == 2 and "bid-bond" in communities, communities
        assert all(n in communities for n in names) and (work / "collusion" / "communities.html").is_file(), names


def test_notebook_05_counts_its_case_file_in_english_under_graphkit_lang_en(team_store, tmp_path, monkeypatch):
    """Notebook 05 on a team's store (the fixture city) under ``GRAPHKIT_LANG=en``: the line under the case says
    its counts in English as its stamp and subject (it printed ``节点 47 个，关系 80 条`` after an English subject)."""
    from nbclient import NotebookClient

    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{team_store}")
    monkeypatch.setenv("GRAPHKIT_NOTEBOOK_OUT", str(tmp_path / "work"))
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    path = NOTEBOOKS[[p.stem for p in NOTEBOOKS].index("05_case_export")]
    nb = nbformat.read(path, as_version=4)
    head = next(i for i, c in enumerate(nb.cells) if "print(f" in c.source and "info.stamp" in c.source)
    nb.cells = nb.cells[: head + 1]  # to the case's line: the export and the audit log are checked above
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parents[1])}}
    ).execute()
    said = "".join(o.get("text", "") for o in nb.cells[head].get("outputs", []) if o.get("name") == "stdout")
    assert re.search(r"hop neighbourhood · [\d,]+ nodes?, [\d,]+ relationships?$", said.strip()), said
    assert "节点" not in said and "关系" not in said, said
