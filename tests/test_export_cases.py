"""Case files are about the entity asked for, hold all of it or say what they leave out, and are written
the same way by ``export``, ``neighbours --export`` and ``path --export`` — on the fixture city plus two
namesakes 何露 (born 1952 and 1989) and one 雷婉 (whose pinyin 雷宛 shares)."""

from __future__ import annotations

import copy
import hashlib
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from fixture_city import A_DORM, C1, HUB, P1, P2, TABLES, U1, pid, write_city

from graphkit.audit import AuditLog, audit_path_for
from graphkit.cli import main
from graphkit.exports import CaseInfo, write_case_file

CASE = "苏纪2024-017"
UNIT = "苏州市城建局"  # U1's name
HE1, HE2, LEI = pid("32058119520301001"), pid("32058319890302002"), pid("32050719750304003")
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make sysdeps")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    root = tmp_path_factory.mktemp("cases")
    tables = copy.deepcopy(TABLES)
    row = tables["household"][0]
    for key, name, born in ((HE2, "何露", "1989-03-02"), (HE1, "何露", "1952-03-01"), (LEI, "雷婉", "1975-03-04")):
        tables["household"].append({**row, "公民身份号码": key, "姓名": name, "出生日期": born, "联系电话": ""})
    # the unit's car stopped at its office: a Place named as the unit (苏州市城建局)
    stop = tables["gps_stops"][0]
    tables["gps_stops"].append({**stop, "stop_id": "G2", "place_id": "PL2", "place_name": UNIT, "category": "office"})
    city = write_city(root / "city", tables)
    s = f"embedded:{root / 'c.db'}"
    assert run("load", city, "--store", s).exit_code == 0
    return s


def export(spec, out, *args):
    return run("export", "--store", spec, "--case", CASE, "--by", "王科长", "--out", out, *args)


def test_a_name_that_matches_only_by_pinyin_is_refused_with_its_candidates(spec, tmp_path):
    r = export(spec, tmp_path / "x.json", "--entity", "雷宛")
    assert r.exit_code == 2 and not (tmp_path / "x.json").exists()
    assert "没有名称恰为 '雷宛' 的实体；相近的名称如下" in r.output and "雷婉" in r.output and LEI not in r.output
    assert export(spec, tmp_path / "x.json", "--entity", "雷婉").exit_code == 0
    assert export(spec, tmp_path / "t.json", "--entity", "張偉").exit_code == 0  # 繁/简 is the same name
    g = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert g["graph"]["seeds"] == [P1[:4] + "*" * 10 + P1[-4:]]


def test_namesakes_get_numbered_handles_that_pick_them(spec, tmp_path):
    r = export(spec, tmp_path / "x.json", "--entity", "何露")
    assert r.exit_code == 2 and not (tmp_path / "x.json").exists()
    lines = [ln for ln in r.output.splitlines() if ln.strip().startswith("何露#")]
    assert len(lines) == 2 and HE1 not in r.output and HE2 not in r.output
    born = {ln.split()[0]: re.search(r"\b(19\d\d)\b", ln).group(1) for ln in lines}
    assert sorted(born) == ["何露#1", "何露#2"] and sorted(born.values()) == ["1952", "1989"]
    for handle, year in born.items():  # each handle exports the namesake listed with it, every time
        out = tmp_path / f"{handle}.json"
        assert export(spec, out, "--entity", handle).exit_code == 0
        seed = next(n for n in json.loads(out.read_text("utf-8"))["nodes"] if n["hop"] == 0)
        assert str(seed["birth_date"]).startswith(year)
    r = export(spec, tmp_path / "x.json", "--entity", "何露#3")
    assert r.exit_code == 2 and "'何露#3'：'何露' 指向 2 个实体，只有 #1 至 #2" in r.output, r.output
    # neighbours and path take the handle too, and list the same handles
    assert run("neighbours", "何露#2", "--store", spec).exit_code == 0
    assert "何露#1" in run("path", "何露", "张伟", "--store", spec).output


def test_a_unit_named_as_the_place_of_its_building_is_taken_as_portrait_takes_it(spec, tmp_path):
    """``graphkit export --entity 苏州市城建局`` was refused (the name names 2 entities) where ``graphkit portrait
    --unit`` and notebook 05 took the unit: the unit is taken, the Place named in a note with the handle that
    picks it; neighbours reads the name so too."""
    r = export(spec, tmp_path / "u.json", "--entity", UNIT, "--hops", "1")
    assert r.exit_code == 0, r.output
    seed = next(n for n in json.loads((tmp_path / "u.json").read_text("utf-8"))["nodes"] if n["hop"] == 0)
    assert seed["id"] == U1
    said = f"注意：'{UNIT}' 还指向另外 1 个实体：{UNIT}#2（场所）；已取单位 {UNIT}#1，如要其他实体请用其指称"
    assert said in r.output, r.output
    r = export(spec, tmp_path / "p.json", "--entity", f"{UNIT}#2", "--hops", "1", "--lang", "en")
    assert r.exit_code == 0 and "also names" not in r.output, r.output
    seed = next(n for n in json.loads((tmp_path / "p.json").read_text("utf-8"))["nodes"] if n["hop"] == 0)
    assert seed["id"] == "PL2"
    r = run("neighbours", UNIT, "--store", spec, "--hops", "1", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert f"note: '{UNIT}' also names 1 other entity: {UNIT}#2 (place); the unit {UNIT}#1 is taken" in r.output


@needs_poppler
def test_a_hub_subject_holds_all_its_links_or_every_format_names_the_rest(spec, tmp_path):
    base = ("--entity", A_DORM, "--hops", "1", "--page-size", "10")
    r = export(spec, tmp_path / "all.json", *base)
    data = json.loads((tmp_path / "all.json").read_text("utf-8"))
    assert r.exit_code == 0 and len(data["links"]) == len(HUB) == 30 and data["graph"]["omitted"] == []
    outs = {fmt: tmp_path / f"cut.{fmt}" for fmt in ("json", "pdf", "html", "graphml", "gexf", "svg")}
    for out in outs.values():
        r = export(spec, out, *base, "--max-links", "25")
        assert r.exit_code == 0 and "30 条关系" in r.output and "另 5 条" in r.output, r.output
    data = json.loads(outs["json"].read_text("utf-8"))
    assert len(data["links"]) == 25 and len(data["nodes"]) == 26
    (note,) = data["graph"]["omitted"]
    assert "前 25 条" in note and "另 5 条" in note
    assert "另5条" in pdf_text(outs["pdf"]).replace(" ", "")
    assert "另 5 条" in outs["html"].read_text("utf-8")  # (the SVG sets its text as paths: drawn, not searchable)
    assert json.loads(nx.read_graphml(outs["graphml"]).graph["omitted"]) == [note]
    meta = json.loads(ET.parse(outs["gexf"]).getroot().find("{*}meta/{*}description").text)
    assert meta["omitted"] == [note]


def test_gexf_carries_the_case_in_its_meta(spec, tmp_path):
    out = tmp_path / "case.gexf"
    assert export(spec, out, "--entity", "张伟").exit_code == 0
    meta = ET.parse(out).getroot().find("{*}meta")
    assert meta.find("{*}creator").text == "graphkit" and meta.find("{*}keywords").text == CASE
    info = json.loads(meta.find("{*}description").text)
    assert (info["case"], info["exported_by"], info["masked"]) == (CASE, "王科长", True)
    assert meta.get("lastmodifieddate") == info["exported_at"][:10]
    assert out.read_text("utf-8").count(CASE) >= 2 and P1 not in out.read_text("utf-8")
    g = nx.read_gexf(out)
    assert info["nodes"] == g.number_of_nodes() and info["relationships"] == g.number_of_edges()


def test_every_path_pair_is_in_the_file(spec, tmp_path):
    """Each path asked is in the file and its subject, in the console's language alone (it read ``路径 path …：1 条
    最短路径`` in either, and ``2 度关系 2-hop neighbourhood``)."""
    out = tmp_path / "p.json"
    asked = ("--path", "张伟", "李娜", "--path", "李娜", C1, "--entity", "张伟", "--hops", "1")
    r = export(spec, out, *asked, "--types", "FAMILY,SHAREHOLDER_OF")
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text("utf-8"))
    assert sorted({lk["type"] for lk in data["links"]}) == ["FAMILY", "SHAREHOLDER_OF"]
    subject = data["graph"]["subject"]
    assert len(data["graph"]["seeds"]) == 3 and subject.count("路径 ") == 2 and subject.count("条最短路径") == 2
    assert "张伟 (" in subject and ": 1 度关系" in subject and not re.findall("[A-Za-z]{4,}", subject), subject
    r = export(spec, out, *asked, "--types", "FAMILY,SHAREHOLDER_OF", "--lang", "en")
    assert r.exit_code == 0, r.output
    subject = json.loads(out.read_text("utf-8"))["graph"]["subject"]
    assert subject.count("path ") == 2 and subject.count(" shortest path") == 2, subject
    assert ": 1-hop neighbourhood" in subject and "路径" not in subject and "度关系" not in subject, subject


@needs_poppler
def test_neighbours_and_path_export_write_audited_case_files(spec, tmp_path):
    log = AuditLog(audit_path_for(spec))
    before = len(log)
    n = run(
        "neighbours",
        A_DORM,
        "--store",
        spec,
        "--hops",
        "1",
        "--page-size",
        "10",
        "--case",
        CASE,
        "--by",
        "王科长",
        "--export",
        tmp_path / "n.pdf",
        "--export",
        tmp_path / "n.html",
    )
    assert n.exit_code == 0, n.output
    text = pdf_text(tmp_path / "n.pdf").replace(" ", "")
    assert f"案卷号{CASE}" in text and "王科长" in text and "已脱敏" in text and "附录" in text
    assert "第1/3页" in text  # the page of the hub's links the file holds, said in the file
    page = (tmp_path / "n.html").read_text("utf-8")
    assert "<h3>图例</h3>" in page and "第 1/3 页" in page
    # its headings in Chinese alone (they read 关系图谱 case-file graph, 图例 legend, 附录 appendix, 编号 no …)
    heads = re.findall(r"<(h1|h3|th)>(.*?)</\1>", page)
    assert len(heads) >= 8 and not [h for _, h in heads if re.search(r"[A-Za-z]{2,}", h)], heads
    legend = re.search(r"<section class='legend'>.*?</section>", page, re.S).group(0)
    assert not re.findall(r"<li>[^<]*[A-Za-z]{2,}", re.sub(r"<span[^>]*></span>", "", legend)), legend
    p = run("path", "张伟", C1, "--store", spec, "--case", CASE, "--export", tmp_path / "p.pdf")
    assert p.exit_code == 0 and f"案卷号{CASE}" in pdf_text(tmp_path / "p.pdf").replace(" ", "")
    recs = [r for r in list(log)[before:] if r["command"] == "export"]
    assert [r["params"]["via"] for r in recs] == ["neighbours", "path"]
    assert recs[0]["params"]["files"] == [str(tmp_path / "n.pdf"), str(tmp_path / "n.html")]
    assert recs[0]["params"]["case"] == CASE and recs[0]["who"] == "王科长"
    assert run("neighbours", "雷宛", "--store", spec, "--export", tmp_path / "z.pdf").exit_code == 2


def test_an_export_record_holds_the_sha256_and_size_of_each_file_written(spec, tmp_path):
    """A case file is tied to its record: ``sha256sum`` of the file equals the recorded value, ``audit show``
    prints it beside the file, and the chain stays whole."""
    log = AuditLog(audit_path_for(spec))
    before = len(log)
    for fmt in ("pdf", "graphml"):
        assert export(spec, tmp_path / f"d.{fmt}", "--entity", "张伟").exit_code == 0
    recs = [r for r in list(log)[before:] if r["command"] == "export"]
    assert len(recs) == 2
    for rec in recs:
        (f,) = rec["params"]["files"]
        data = Path(f).read_bytes()
        assert rec["params"]["sha256"] == [hashlib.sha256(data).hexdigest()]
        assert rec["params"]["bytes"] == [len(data)]
    assert log.verify().ok
    shown = run("audit", "show", "--store", spec, "--command", "export").output
    assert f"sha256 {recs[-1]['params']['sha256'][0]}" in shown


def test_blank_case_numbers_and_mismatched_formats_are_refused(spec, tmp_path):
    for case in ("", "  "):
        r = run("export", "--store", spec, "--entity", "张伟", "--case", case, "--out", tmp_path / "x.pdf")
        assert r.exit_code == 2 and "案卷须有案卷号" in r.output, r.output
        r = run(
            "--lang", "en", "export", "--store", spec, "--entity", "张伟", "--case", case, "--out", tmp_path / "x.pdf"
        )
        assert r.exit_code == 2 and "case number" in r.output, r.output
    r = export(spec, tmp_path / "x.png", "--entity", "张伟", "--format", "pdf")
    assert r.exit_code == 2 and not (tmp_path / "x.png").exists()
    r = run("neighbours", "张伟", "--store", spec, "--case", " ", "--export", tmp_path / "y.pdf")
    assert r.exit_code == 2 and not (tmp_path / "y.pdf").exists()


@needs_poppler
def test_a_cut_drawing_counts_the_whole_and_the_drawn_and_says_so_on_the_page(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    for i in range(40):
        g.add_node(f"c{i}", label="Company", name=f"某某{i}公司", hop=1)
        g.add_edge("p", f"c{i}", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=i + 2)
    info = CaseInfo(CASE, "王科长", rerun="graphkit export --entity 张伟 --format graphml", omitted=("另一条说明",))
    write_case_file(g, tmp_path / "c.pdf", info, max_drawn=5)
    first = subprocess.run(
        ["pdftotext", "-raw", "-f", "1", "-l", "1", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True
    ).stdout.replace(" ", "")
    assert "共41个节点、40条关系；图中绘出5个节点，代表其中5个节点、4条关系" in first
    assert "另有36个节点、36条关系未绘出" in first and "另一条说明" in first  # on page 1, not below it


def test_the_rerun_hint_names_entities_as_the_user_can_type_them(spec, tmp_path):
    out = tmp_path / "h.html"
    assert export(spec, out, "--entity", P1, "--max-drawn", "2").exit_code == 0
    page = html.unescape(out.read_text("utf-8"))
    assert "--entity '张伟' " in page and "--entity 3205" not in page


def test_neighbourhood_nodes_carry_their_properties_and_the_graph_all_seeds(spec, tmp_path):
    out = tmp_path / "n.json"
    assert export(spec, out, "--entity", "张伟", "--entity", "孤立", "--hops", "1").exit_code == 0
    data = json.loads(out.read_text("utf-8"))
    spouse = next(n for n in data["nodes"] if n["id"] == P2[:4] + "*" * 10 + P2[-4:])
    assert spouse["hop"] == 1 and str(spouse["birth_date"]).startswith("1978") and spouse["gender"] == "女"
    assert len(data["graph"]["seeds"]) == 2
    assert all(lk.get("src_file") for lk in data["links"])
    roster = next(lk for lk in data["links"] if lk["type"] == "EMPLOYED_BY")
    assert roster["post"] == "局长"  # a link's properties too, reached through the neighbourhood


@needs_poppler
def test_a_long_name_in_the_appendix_is_cut_to_its_column(tmp_path):
    long = "苏州市姑苏区某某某某建设工程咨询服务管理有限责任公司第一分公司"  # 30 characters, 60 half-em units
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    g.add_node("c", label="Company", name=long, hop=1)
    g.add_edge("c", "p", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=2)
    write_case_file(g, tmp_path / "c.pdf", CaseInfo(CASE, "王科长"))
    appendix = subprocess.run(
        ["pdftotext", "-raw", "-f", "2", "-l", "2", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True
    ).stdout
    row = next(ln for ln in appendix.splitlines() if ln.startswith("1 "))
    assert long not in row and long[:16] in row and "…(c)" in row.replace(" ", ""), row  # cut in the name, not the key


def test_export_and_neighbours_export_show_their_progress_on_stderr(spec, tmp_path, monkeypatch):
    """Both sat silent for 7-16 s on a unit of a 30,000-person city: a bar on stderr, a step a PDF page."""
    monkeypatch.setenv("GRAPHKIT_PROGRESS", "bar")  # the bar as a terminal shows it (none off one: test_progress.py)
    r = export(spec, tmp_path / "e.pdf", "--entity", A_DORM, "--hops", "1")
    assert r.exit_code == 0, r.output
    # the bar in the console's language: 导出 …, 关系邻域 1/1, 页 1/2 (export, neighbourhood 1/1, page 1/2 in English)
    assert "导出:" in r.stderr and "关系邻域 1/1" in r.stderr and "页 1/" in r.stderr and "步/秒" in r.stderr, r.stderr
    assert "导出:" not in r.stdout and "已写出" in r.stdout  # the bar never on stdout
    # the line said while the bar runs starts a line of its own (the bar cleared first)
    assert all(not x.startswith("导出:") or "已写出" not in x for x in re.split(r"[\r\n]", r.stdout + r.stderr))
    assert "wrote" not in r.stdout, r.stdout  # the closing line in Chinese too (it said 'wrote …')
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    r = export(spec, tmp_path / "e2.pdf", "--entity", A_DORM, "--hops", "1")
    assert "export:" in r.stderr and "neighbourhood 1/1" in r.stderr and "page 1/" in r.stderr, r.stderr
    assert "wrote" in r.stdout and "已写出" not in r.stdout, r.stdout
    monkeypatch.delenv("GRAPHKIT_LANG")
    n = run("neighbours", A_DORM, "--store", spec, "--case", CASE, "--export", tmp_path / "n.svg")
    assert n.exit_code == 0 and "导出:" in n.stderr and "绘制 svg" in n.stderr, n.stderr
    head = f"已写出 {tmp_path / 'n.svg'}（svg，案卷号 {CASE}）："
    assert any(x.startswith(head) for x in re.split(r"[\r\n]", n.stderr)), n.stderr
    assert "wrote" not in n.stderr, n.stderr
    n = run("neighbours", A_DORM, "--store", spec, "--export", tmp_path / "n2.svg", "--lang", "en")
    assert any(x.startswith("wrote ") for x in re.split(r"[\r\n]", n.stderr)), n.stderr
    # no --case: the file says so in the console's language alone (CaseInfo.case_line: it read 未编案卷号 no case
    # number under --lang en)
    assert "<dc:title>No case number</dc:title>" in (tmp_path / "n2.svg").read_text(encoding="utf-8")
    p = run("path", "张伟", C1, "--store", spec, "--case", CASE, "--export", tmp_path / "p.html")
    assert p.exit_code == 0 and "写入 html" in p.stderr, p.stderr
    wrote = r"已写出 \S+p\.html（html，案卷号 \S+）：\d+ 个节点，\d+ 条关系；标识已遮蔽"
    assert any(re.fullmatch(wrote, x) for x in re.split(r"[\r\n]", p.output)), p.output


@needs_poppler
@pytest.mark.parametrize("links", [63, 66, 124])
def test_the_appendix_shares_its_rows_out_so_no_last_page_holds_a_few(tmp_path, links):
    """62 rows filled each appendix page and the rest went last: 朱宁卫's 66 relationships in a 30,000-person
    city left a page of 4, and 63 would leave one row alone on a page of its own."""
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    for i in range(links):
        g.add_node(f"c{i}", label="Company", name=f"某某{i}公司", hop=1)
        g.add_edge("p", f"c{i}", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=i + 2)
    from graphkit.exports.printed import NAMED_NODES

    write_case_file(g, tmp_path / "c.pdf", CaseInfo(CASE, "王科长"), folded=False)
    info = subprocess.run(["pdfinfo", str(tmp_path / "c.pdf")], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    key = int(links + 1 > NAMED_NODES)  # past 60 nodes the key to the numbered ones, a page of 124, comes first
    assert pages == 1 + key + -(-links // 62)  # as many appendix pages as before
    rows = []
    for n in range(2 + key, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(tmp_path / "c.pdf"), "-"],
            capture_output=True,
            text=True,
        ).stdout
        rows.append(sum(bool(re.match(r"\d+ 张伟", ln)) for ln in text.splitlines()))
    assert sum(rows) == links and max(rows) - min(rows) <= 1, rows


def test_every_hub_left_unexpanded_is_named_in_the_file(spec, tmp_path):
    """neighbours --export said "1 个枢纽节点只列出、其关系未展开" without saying which node; export named the first
    5 hubs and said 等 for the rest (a unit's 2 hops in a 30,000-person city: the 6th, 张家港市主恒中心小学 with
    53 links, was named nowhere)."""
    from graphkit.exports import omitted_notes

    n = run(
        "neighbours", HUB[0], "--store", spec, "--hops", "2", "--page-size", "10", "--case", CASE,
        "--export", tmp_path / "n.json",
    )  # fmt: skip
    assert n.exit_code == 0, n.output
    (note,) = json.loads((tmp_path / "n.json").read_text("utf-8"))["graph"]["omitted"]
    # the dormitory is 30 residents' home: its address is masked below the district (graphkit.model.mask)
    assert "苏州市姑苏区**** 30 条" in note and A_DORM not in note and "1 个枢纽节点" in note, note
    assert "not expanded" not in note, note  # in the file's language alone (its English had followed the Chinese)
    # the console says it in its own language alone: the Chinese had the file's English after it, and --lang en
    # printed the Chinese
    (said,) = [ln for ln in n.output.splitlines() if ln.startswith("案卷中未收入：")]
    assert "苏州市姑苏区**** 30 条；可用 graphkit neighbours 查看" in said and "not expanded" not in said, said
    en = run(
        "neighbours", HUB[0], "--store", spec, "--hops", "2", "--page-size", "10", "--case", CASE,
        "--export", tmp_path / "n.json", "--lang", "en",
    )  # fmt: skip
    (said,) = [ln for ln in en.output.splitlines() if ln.startswith("left out of the case file: ")]
    assert "1 hub within 2 hops (more than --page-size 10 links) listed, its links not expanded: " in said, said
    assert "苏州市姑苏区**** 30 links; open one with graphkit neighbours" in said and "枢纽" not in said, said
    (note,) = json.loads((tmp_path / "n.json").read_text("utf-8"))["graph"]["omitted"]  # the file's, as the console's
    assert note == said.removeprefix("left out of the case file: ") and "枢纽" not in note, note
    g = nx.MultiDiGraph(seed="u", hops=2, page_size=50)
    g.add_node("u", name="某局")
    g.graph["hubs"] = {f"h{i}": 100 - i for i in range(7)}
    for i in range(7):
        g.add_node(f"h{i}", name=f"枢纽{i}")
    (note,) = omitted_notes(g)
    assert all(f"枢纽{i} (h{i}) {100 - i} 条" in note for i in range(7)), note


def test_a_cut_drawing_of_folded_nodes_says_how_many_it_draws(tmp_path):
    """Under a drawing of 200 nodes standing for 736 the note read 图中仅绘出距查询对象最近的 736 个节点."""
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    g.add_node("u", label="Organization", name="某局", hop=1)
    g.add_edge("p", "u", type="EMPLOYED_BY", src_file="roster.csv", src_row=2)
    for i in range(24):  # a year's salary rows: one folded node
        g.add_node(f"b{i}", label="Benefit", kind="salary", hop=1)
        g.add_edge(f"b{i}", "p", type="PAID_TO", src_file="payroll.csv", src_row=i + 2)
        g.add_edge(f"b{i}", "u", type="PAID_BY", src_file="payroll.csv", src_row=i + 2)
    for i in range(10):
        g.add_node(f"c{i}", label="Company", name=f"某某{i}公司", hop=2)
        g.add_edge("u", f"c{i}", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=i + 2)
    out = write_case_file(g, tmp_path / "c.html", CaseInfo(CASE, "王科长"), max_drawn=4)
    assert out.folds == 1 and out.nodes == 27  # 4 drawn: p, u, the folded node and one company
    page = html.unescape(out.path.read_text("utf-8"))
    assert "图中仅绘出距查询对象最近的 4 个节点（代表其中 27 个节点）" in page, re.findall("图中仅绘出[^；]*", page)


def test_appendix_cells_end_before_the_next_column_and_keep_their_key(tmp_path):
    """Cells were cut by counting a Latin character as half an em (Noto Sans CJK sets a digit 0.56 em, a capital
    up to 0.75) right to the column's edge: in a PNG (pixels rounded up) a target ran into the source
    file:row column (`…(SZZB2023000010)bids.csv:37`), and a cut cell lost the end of its key."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from graphkit.exports.printed import A4, _appendix_rows
    from graphkit.viz import cjk_font

    columns = (0.04, 0.09, 0.36, 0.54, 0.80, 0.96)  # number, source, relationship, target, file and line; margin

    key = "(SZZB2023000010)"
    ends = [
        f"张家港市教育局2023年审计服务项目 {key}",
        f"苏州市姑苏区某某某某建设工程咨询服务管理有限责任公司第一分公司 {key}",
        "SZZB2023000010SZZB2023000010SZZB2023000010SZZB2023000010",
        "WWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMMWWWW",
    ]
    rows = [
        {
            "no": i + 1, "source": s, "type": "UNDER_TENDER", "type_zh": "合同所属招标", "target": s,
            "src_file": "fuel_transactions_2024_export.csv", "src_row": 123456, "folded_in": "", "folded_end": "",
            "where": "fuel_transactions_2024_export.csv line 123456",
        }
        for i, s in enumerate(ends)
    ]  # fmt: skip
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4, dpi=150)
        FigureCanvasAgg(fig)
        _appendix_rows(fig, rows, 0.5, A4[1], "附录")
        renderer = fig.canvas.get_renderer()
        (lines,) = fig.artists  # the rows' cells, drawn as one artist (the heads are texts)
        assert len(lines.items) == 5 * len(rows)
        for (x, _, text), right in zip(lines.items, lines.right_edges(renderer), strict=True):
            col = columns.index(round(x, 2))
            assert right < columns[col + 1] - 0.005, (text, right, columns[col + 1])
    texts = [text for _, _, text in lines.items]
    assert sum(x.endswith(f"… {key}") for x in texts) == 4, texts  # both long names cut in the name, as both ends


@needs_poppler
def test_a_long_subject_is_wrapped_in_the_header_never_cut(spec, tmp_path):
    """Two entities and a path: the header cut what was asked at 110 characters (``…；路径 pat…``), so the case
    file no longer said which path it holds; every part is on every page now, and the appendix still fits."""
    out = tmp_path / "c.pdf"
    r = export(
        spec, out, "--entity", "张伟", "--entity", "李娜", "--entity", "何露#1", "--path", "张伟", C1, "--hops", "1"
    )
    assert r.exit_code == 0, r.output
    pages = re.split("\f", pdf_text(out))
    said = [ln for ln in pages[0].splitlines() if "度关系" in ln or "路径" in ln]
    joined = "".join(said).replace(" ", "")
    for part in ("张伟(", "李娜(", "何露(", "路径张伟(", f"({C1}):", "条最短路径"):
        assert part in joined, (part, said)
    assert "…" not in joined, said
    assert all("条最短路径" in p.replace(" ", "") for p in pages[:-1] if p.strip()), "every page names the path"


def test_a_header_of_several_subject_lines_pushes_the_drawing_and_the_appendix_down(tmp_path):
    """Each subject line ends inside the page, and the drawing and the appendix start under the last one."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from graphkit.exports.printed import A4, header_height, page_header, subject_lines
    from graphkit.viz import cjk_font

    part = "苏州市相城区黄桥街道办事处 (11320507014975319H): 2 度关系 2-hop neighbourhood"
    info = CaseInfo(CASE, "王科长", subject="；".join([part] * 5))
    lines = subject_lines(info.subject)
    assert 2 < len(lines) <= 4 and header_height(info) > 1.0
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4, dpi=150)
        FigureCanvasAgg(fig)
        assert page_header(fig, info, A4[1], 0.0, "关系图谱 case-file graph") == pytest.approx(header_height(info))
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in fig.texts]
        assert all(b.x1 < fig.bbox.width * 0.97 for b in boxes), [b.x1 / fig.bbox.width for b in boxes]
        lowest = min(b.y0 for b in boxes)  # the exporter's line, under the subject's last line
        assert lowest > fig.bbox.height * (1 - header_height(info) / A4[1])
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    for i in range(62):
        g.add_node(f"c{i}", label="Company", name=f"某某{i}公司", hop=1)
        g.add_edge("p", f"c{i}", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=i + 2)
    write_case_file(g, tmp_path / "c.pdf", info, folded=False)
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True).stdout
    rows = [ln for ln in text.splitlines() if re.match(r"\d+ 张伟", ln)]
    assert len(rows) == 62  # all rows, none run off a page: a page holds fewer under a taller header


def test_an_export_record_names_each_file_by_where_it_is_not_as_typed(spec, tmp_path, monkeypatch):
    """``--out out/case.pdf`` was recorded as ``out/case.pdf``: the audit log did not say where the case file it
    ties by its SHA-256 is once read from another directory (``audit show`` printed the same relative name)."""
    monkeypatch.chdir(tmp_path)
    log = AuditLog(audit_path_for(spec))
    before = len(log)
    assert export(spec, Path("out") / "case.pdf", "--entity", "张伟").exit_code == 0
    r = run("neighbours", "张伟", "--store", spec, "--case", CASE, "--export", "n.graphml")
    assert r.exit_code == 0, r.output
    recs = [x for x in list(log)[before:] if x["command"] == "export"]
    assert [x["params"]["files"] for x in recs] == [
        [str((tmp_path / "out" / "case.pdf").resolve())],
        [str((tmp_path / "n.graphml").resolve())],
    ]
    assert log.verify().ok


def test_no_path_names_both_ends_by_name_and_masked_key(spec, tmp_path):
    """ "no path … between 3205**********0018 and 91320…" named a person by a masked key alone: which of the
    officer's entities was meant could not be read; each end is named as its node is now, on path and export."""
    r = run("path", "张伟", C1, "--store", spec, "--max-hops", "1")
    assert r.exit_code == 1 and re.search(r"^张伟 \(3205\*+\d{3}[\dX]\) 与 \S+ \(" + C1 + r"\) 之间没有 1 跳", r.output)
    assert P1 not in r.output, r.output
    e = export(spec, tmp_path / "n.pdf", "--path", "张伟", C1, "--max-hops", "1")
    assert e.exit_code == 1 and re.search(r"no path of at most 1 hop between 张伟 \(3205\*+", e.output), e.output
    assert f"({C1})" in e.output and P1 not in e.output


def test_the_console_counts_one_relationship_and_one_folded_node_in_the_singular(spec, tmp_path):
    """``wrote … 2 nodes, 1 relationships`` and ``drawn as 1 folded nodes`` read as the console's other counts
    do now (``1 relationship``)."""
    r = export(spec, tmp_path / "p.pdf", "--path", "张伟", "李娜", "--lang", "en")
    assert r.exit_code == 0 and re.search(r"wrote \S+ \(pdf, case \S+\): 2 nodes, 1 relationship;", r.output), r.output
    r = export(spec, tmp_path / "p.pdf", "--path", "张伟", "李娜")  # the Chinese console counts in Chinese
    assert r.exit_code == 0 and re.search(r"已写出 \S+（pdf，案卷号 \S+）：2 个节点，1 条关系；", r.output), r.output


def test_an_entity_met_as_a_hub_in_another_entitys_neighbourhood_is_not_named_as_left_out(spec, tmp_path):
    """张伟 and 李娜 exported together with a small --page-size: each said of the other "只列出、其关系未展开"
    although the file holds both neighbourhoods in full; a hub of neither entity is still named."""
    out = tmp_path / "two.json"
    r = export(spec, out, "--entity", "张伟", "--entity", "李娜", "--hops", "2", "--page-size", "1")
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    notes = doc["graph"]["omitted"]
    said = {n.split(" 的 ")[0].split(" (")[0]: n.split("：", 1)[1] for n in notes if "枢纽节点" in n}
    assert said, notes
    assert "李娜 (" not in said.get("张伟", "") and "张伟 (" not in said.get("李娜", ""), said
    alone = tmp_path / "one.json"
    assert export(spec, alone, "--entity", "张伟", "--hops", "2", "--page-size", "1").exit_code == 0
    (note,) = [n for n in json.loads(alone.read_text(encoding="utf-8"))["graph"]["omitted"] if "枢纽节点" in n]
    assert "李娜 (" in note, note  # exported alone, 张伟's neighbourhood does leave 李娜's links out
    # the console in English under --lang en (it printed the file's Chinese), the file's words as the console's
    # (CaseInfo.lang: they were the Chinese with English after it)
    r = export(spec, alone, "--entity", "张伟", "--hops", "2", "--page-size", "1", "--lang", "en")
    (said,) = [ln for ln in r.output.splitlines() if "hubs within 2 hops" in ln]
    assert said.startswith("left out of the case file: 张伟 (") and "李娜 (" in said and "条" not in said, said
    omitted = json.loads(alone.read_text(encoding="utf-8"))["graph"]["omitted"]
    assert said.removeprefix("left out of the case file: ") in omitted and "枢纽" not in str(omitted), omitted
