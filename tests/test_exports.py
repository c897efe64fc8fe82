"""``graphkit export``: case files in seven formats for a planted official's 2-hop neighbourhood in the synthetic
city — counts that match the appendix, no raw ID number or mobile in any file unless unmasked (and then
audited), a PDF whose first page shows Chinese, the case number and the watermark, and an HTML file that
draws a graph in headless Chromium with the network off and asks for nothing outside itself."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import matplotlib.figure
import matplotlib.image
import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from graphkit.audit import AuditLog, audit_path_for
from graphkit.cli import main
from graphkit.exports import FORMATS, CaseInfo, drawing, legend_entries, write_case_file
from graphkit.model.mask import mask
from graphkit.model.types import is_valid_id_number

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
HTMLCHECK = ROOT / "tools" / "htmlcheck"
CASE = "苏纪2024-017"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make sysdeps")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A 1,000-person synthetic city, loaded; the official of the planted relative_wins_tender_1hop scheme."""
    root = tmp_path_factory.mktemp("exports")
    assert run("synth", "--scale", "1000", "--seed", "7", "--out", str(root / "city")).exit_code == 0
    spec = f"embedded:{root / 'c.db'}"
    assert run("load", str(root / "city"), "--store", spec).exit_code == 0
    truth = json.loads((root / "city" / "truth.json").read_text(encoding="utf-8"))
    planted = next(i for i in truth["instances"] if i["scheme"] == "relative_wins_tender_1hop")
    official = planted["entities"][planted["types"].index("person")]
    ids, mobiles = set(), set()
    for f in (root / "city").glob("*.csv"):
        text = f.read_text(encoding="utf-8-sig")
        ids |= {m for m in re.findall(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])", text) if is_valid_id_number(m)}
        mobiles |= set(re.findall(r"(?<!\d)1[3-9]\d{9}(?!\d)", text))
    assert official in ids and len(mobiles) > 100
    return {"root": root, "spec": spec, "official": official, "ids": ids, "mobiles": mobiles}


def _export(city, fmt, *extra, out=None):
    out = out or city["root"] / "out" / f"case.{fmt}"
    r = run(
        "export",
        "--store",
        city["spec"],
        "--entity",
        city["official"],
        "--hops",
        "2",
        "--format",
        fmt,
        "--case",
        CASE,
        "--by",
        "王科长",
        "--out",
        str(out),
        *extra,
    )
    assert r.exit_code == 0, r.output
    return out


def _text(path: Path) -> str:
    """What a reader of the file can get out of it: the PDF's text by pdftotext, any other file's bytes."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return path.read_bytes().decode("utf-8", errors="replace")


def _reading(pdf: Path, *pages: int) -> str:
    """A PDF's text in the order it was set (``pdftotext -raw``: lines whole, no space around CJK), of the
    given pages (first, last) or all."""
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    cmd = ["pdftotext", "-raw", *span, str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _raw(city, text: str) -> set[str]:
    """The source tables' ID numbers and mobiles that appear in clear in ``text``."""
    found = set(re.findall(r"\d{17}[\dX]", text)) & city["ids"]
    digits = re.findall(r"\d{11}", text.replace("-", "").replace(" ", ""))
    return found | (set(digits) & city["mobiles"])


@pytest.fixture(scope="module")
def masked(city):
    return {fmt: _export(city, fmt) for fmt in FORMATS}


@needs_poppler
def test_no_export_holds_a_raw_id_number_or_mobile(city, masked):
    for fmt, path in masked.items():
        text = _text(path)
        assert not _raw(city, text), (fmt, sorted(_raw(city, text))[:3])
    pdf = _text(masked["pdf"])
    assert city["official"][:4] + "*" * 10 + city["official"][-4:] in pdf  # masked, not dropped


@needs_poppler
def test_unmasked_they_appear_and_the_audit_log_has_the_record(city):
    log = AuditLog(audit_path_for(city["spec"]))
    before = len(log)
    for fmt in ("pdf", "html", "graphml", "gexf", "json"):
        out = city["root"] / "clear" / f"case.{fmt}"
        _export(city, fmt, "--unmask", "--reason", "立案审查需核对身份", "--purpose", "第三室立案", out=out)
        assert city["official"] in _raw(city, _text(out)), fmt
    recs = list(log)[before:]
    assert len(recs) == 5 and all(r["command"] == "export" and r["unmasked"] for r in recs)
    assert {r["reason"] for r in recs} == {"立案审查需核对身份"} and recs[0]["who"] == "王科长"
    assert recs[0]["params"]["case"] == CASE and recs[0]["purpose"] == "第三室立案" and recs[0]["result"] > 10
    assert log.verify().ok


def _rows(city, name: str) -> list[list[str]]:
    with (city["root"] / "city" / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))[1:]


def _export_of(city, entity: str, fmt: str, out: Path, *extra: str) -> Path:
    r = run(
        "export", "--store", city["spec"], "--entity", entity, "--hops", "1", "--case", CASE, "--out", str(out), *extra
    )
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def private_life(city):
    """An official on the roster with a private car registered to them and a home address (住址), both from the
    source tables; the official car of a unit, and a company with its registered address (住所)."""
    homes = {r[0]: r[4] for r in _rows(city, "household.csv") if r[4]}
    officials = {r[0] for r in _rows(city, "roster.csv") if r[5] == "official"}
    vehicles = _rows(city, "vehicles.csv")
    who, plate = next(
        (r[3], r[0]) for r in vehicles if r[1:3] == ["private", "person"] and r[3] in officials and r[3] in homes
    )
    unit, official_car = next((r[3], r[0]) for r in vehicles if r[1:3] == ["official", "organization"])
    home_places = set(homes.values())
    company, seat = next((r[0], r[5]) for r in _rows(city, "companies.csv") if r[5] and r[5] not in home_places)
    return {
        "who": who,
        "plate": plate,
        "home": homes[who],
        "unit": unit,
        "official_car": official_car,
        "company": company,
        "seat": seat,
    }


@needs_poppler
def test_an_officials_private_car_and_home_address_are_in_no_export(city, private_life, tmp_path):
    """PIPL: a private car's plate and a home address are personal information: masked in the bytes of every
    format and in the PDF's text (苏E·***45, 苏州市姑苏区****); ``--unmask --reason`` shows them."""
    p = private_life
    plate, home = p["plate"], p["home"]
    masked_plate, masked_home = mask(plate, "plate"), mask(home, "address")  # 苏E·***45, 苏州市常熟市****
    street = home[len(masked_home) - 4 :]  # what is hidden: below the district
    assert masked_home.endswith("****") and len(street) > 5 and masked_plate.startswith(plate[:2])
    files = {fmt: _export_of(city, p["who"], fmt, tmp_path / f"private.{fmt}") for fmt in FORMATS}
    for fmt, path in files.items():
        text = _text(path)
        assert plate not in text and plate.replace("·", "") not in text and plate[-5:] not in text, fmt
        assert home not in text and street not in text, fmt
    for fmt in ("pdf", "html", "svg", "graphml", "gexf", "json"):
        text = _text(files[fmt])
        assert masked_plate in text and masked_home in text, fmt
    assert "私家车牌、住址、加油卡号、律师证号已脱敏" in _text(files["pdf"])  # the note names plates and homes masked
    for fmt in ("pdf", "graphml"):
        out = _export_of(city, p["who"], fmt, tmp_path / f"clear.{fmt}", "--unmask", "--reason", "核对车辆住址")
        text = _text(out)
        assert plate in text and home in text, fmt


@needs_poppler
def test_an_official_car_and_a_companys_registered_address_stay_in_clear(city, private_life, tmp_path):
    """What is public stays: an official vehicle's plate (on the street; an investigator needs it), a company's
    registered address (public in the business registry)."""
    p = private_life
    for fmt in ("pdf", "graphml"):
        assert p["official_car"] in _text(_export_of(city, p["unit"], fmt, tmp_path / f"unit.{fmt}")), fmt
        assert p["seat"] in _text(_export_of(city, p["company"], fmt, tmp_path / f"company.{fmt}")), fmt


@needs_poppler
def test_graphml_and_gexf_give_the_counts_of_the_appendix(city, masked):
    pdf = _reading(masked["pdf"])
    m = re.search(r"图中全部 ?(\d+) ?条关系及其来源（(\d+) ?个节点", pdf)
    assert m, pdf[:500]
    links, nodes = int(m.group(1)), int(m.group(2))
    g = nx.read_graphml(masked["graphml"], force_multigraph=True)
    assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, links)
    assert (g.graph["nodes"], g.graph["relationships"], g.graph["case"]) == (nodes, links, CASE)
    gx = nx.read_gexf(masked["gexf"])
    assert (gx.number_of_nodes(), gx.number_of_edges()) == (nodes, links)
    # typed attributes: numbers stay numbers, the model's names are kept (GEXF: kind / relationship)
    assert {type(d["src_row"]) for *_, d in g.edges(data=True)} == {int}
    assert {d["kind"] for _, d in gx.nodes(data=True)} >= {"Person"}
    data = json.loads(masked["json"].read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["links"])) == (nodes, links)
    assert {"label", "name"} <= set(data["nodes"][0]) and {"type", "src_file", "src_row"} <= set(data["links"][0])


@needs_poppler
def test_the_drawing_folds_salary_rows_and_the_appendix_still_lists_every_one(masked):
    """The official's and relatives' salary rows (Benefit) are drawn as a few "N 工资发放" nodes (folded by kind,
    named by it: never as relief), as the Explorer folds them; the legend calls the label 发放记录; the data
    formats keep every row, and the appendix cites each relationship's file and row."""
    g = nx.read_graphml(masked["graphml"], force_multigraph=True)
    benefits = {v for v, a in g.nodes(data=True) if a["label"] == "Benefit"}
    assert len(benefits) >= 20
    pdf = _reading(masked["pdf"])
    m = re.search(r"其中 ?(\d+) ?个归并为图中 ?(\d+) ?个节点", pdf)
    assert m, pdf[:500]
    folded, folds = int(m.group(1)), int(m.group(2))
    assert folded == len(benefits) and 0 < folds <= 5
    first = _reading(masked["pdf"], 1)
    kinds = {a.get("kind") for v, a in g.nodes(data=True) if v in benefits}
    named = {"salary": "工资发放", "dibao": "低保发放", "pension": "养老金发放", "subsidy": "补贴发放"}
    # a folded node's caption, wherever it is placed clear of the links (a link's number may stand on its line)
    folds_of = re.findall(r"(?:^|\s)(\d+) ?(工资发放|低保发放|养老金发放|补贴发放|发放记录)(?=\s|$)", first, re.M)
    counts = [int(n) for n, _ in folds_of]  # each folded node: how many it holds, and of what kind
    assert len(counts) == folds and sum(counts) == folded, counts
    assert {k for _, k in folds_of} <= {named[k] for k in kinds}
    assert "救助" not in first and re.search(r"发放记录 ?\(\d+\)", first)
    drawn = re.search(r"图中绘出 ?(\d+) ?个节点", first)
    assert drawn and int(drawn.group(1)) == g.number_of_nodes() - folded + folds
    # nothing lost: the appendix holds every relationship's source file and row, the folded ones marked
    cited = Counter(re.findall(r"([A-Za-z0-9_]+\.csv) ?第(\d+)行", pdf))  # as the path's explanation cites a line
    assert cited == Counter((a["src_file"], str(a["src_row"])) for *_, a in g.edges(data=True))
    in_folds = sum(1 for u, v in g.edges() if u in benefits or v in benefits)
    assert pdf.count("［归入") == in_folds > 0
    page = masked["html"].read_text(encoding="utf-8")
    assert page.count("［归入") == in_folds and re.search(r"\d+ 工资发放", page) and "救助" not in page


def test_a_folded_node_stands_for_its_rows_in_the_drawing_and_the_appendix(tmp_path):
    """30 salary rows of one person paid by one unit: one folded node of 30, its two links numbered with the
    ranges of the 60 appendix rows they stand for; without folding, 32 nodes drawn."""
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    g.add_node("u", label="Organization", name="苏州市民政局", hop=1)
    g.add_edge("p", "u", type="EMPLOYED_BY", src_file="staff.csv", src_row=2)
    for i in range(30):
        g.add_node(f"b{i:02d}", label="Benefit", kind="salary", hop=1)
        g.add_edge(f"b{i:02d}", "p", type="PAID_TO", src_file="benefits.csv", src_row=i + 2)
        g.add_edge(f"b{i:02d}", "u", type="PAID_BY", src_file="benefits.csv", src_row=i + 2)
    d = drawing(g)
    assert (d.drawn.number_of_nodes(), d.shown.number_of_nodes(), len(d.rows)) == (3, 32, 61)
    ((fid, f),) = d.folds.items()
    assert f["folded"] == 30 and f["hop"] == 1
    assert [r["no"] for r in d.rows] == list(range(1, 62)) and not d.rows[0]["folded_in"]
    assert {r["folded_in"] for r in d.rows[1:]} == {"30 工资发放"}
    assert {r["folded_end"] for r in d.rows[1:]} == {"source"}
    assert sorted(lab for (u, v, _), lab in d.labels.items() if v == fid) == ["2–31", "32–61"]
    r = write_case_file(g, tmp_path / "c.pdf", CaseInfo(CASE, "王科长"))
    assert (r.nodes, r.links, r.folded_nodes, r.folds) == (32, 61, 30, 1)
    assert drawing(g, folded=False).drawn.number_of_nodes() == 32
    r = write_case_file(g, tmp_path / "c.graphml", CaseInfo(CASE, "王科长"))
    assert (r.nodes, r.links, r.folded_nodes) == (32, 61, 0)


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "html", "svg", "pdf"])
def test_a_subject_keyed_by_a_passport_number_is_masked_in_the_title_and_the_seeds(tmp_path, fmt):
    """A foreigner's person key is a passport number, not an ID number's form: the drawing masked the node
    (E123*5678) while the case file's title, its seeds and the rerun command gave it in clear."""
    from test_export_cases import pdf_text

    g = nx.MultiDiGraph()
    g.add_node("E12345678", label="Person", name="John Smith", hop=0)
    g.add_node("u", label="Organization", name="苏州市民政局", hop=1)
    g.add_edge("E12345678", "u", type="EMPLOYED_BY", src_file="staff.csv", src_row=2)
    g.graph["seeds"] = ["E12345678"]
    info = CaseInfo(
        CASE,
        "王科长",
        subject="John Smith (E12345678): 1 度关系 1-hop neighbourhood",
        rerun="graphkit export --entity E12345678 --hops 1",
        seeds=("E12345678",),
    )
    out = tmp_path / f"c.{fmt}"
    write_case_file(g, out, info)
    text = pdf_text(out) if fmt == "pdf" else out.read_text(encoding="utf-8")
    assert "E12345678" not in text
    if fmt in ("json", "pdf"):
        assert "E123*5678" in text
    unmasked = write_case_file(g, tmp_path / f"u.{fmt}", CaseInfo(CASE, "王科长", subject=info.subject, masked=False))
    assert unmasked is not None and (fmt == "pdf" or "E12345678" in (tmp_path / f"u.{fmt}").read_text("utf-8"))


def _page(pdf: Path, out: Path) -> np.ndarray:
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)], check=True
    )
    return matplotlib.image.imread(str(out) + ".png")[..., :3]


@needs_poppler
def test_pdf_first_page_shows_chinese_the_case_number_and_the_watermark(city, masked, tmp_path):
    first = _reading(masked["pdf"], 1)
    # pdftotext puts a space between set strings only by its own gap rule, so the space is optional
    assert "关系图谱" in first and re.search(f"案卷号 ?{CASE}", first) and "图例" in first and "自然人" in first
    fonts = subprocess.run(["pdffonts", str(masked["pdf"])], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts  # the glyphs come from the embedded CJK font (matplotlib errors on a missing one)
    info = subprocess.run(["pdfinfo", str(masked["pdf"])], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    # the watermark by pixels: the same page drawn without it differs in reddish pixels all over the page
    from graphkit.exports.printed import write_printed

    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    g.add_node("c", label="Company", name="某某建设有限公司", hop=1)
    g.add_edge("p", "c", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=2)
    info = CaseInfo(CASE, "王科长", at="2024-05-01T10:00:00+08:00")
    d = drawing(g)
    a = _page(write_printed(d, tmp_path / "with.pdf", info, fmt="pdf"), tmp_path / "with")
    b = _page(write_printed(d, tmp_path / "without.pdf", info, fmt="pdf", watermark=False), tmp_path / "without")
    diff = np.abs(a - b).sum(axis=2) > 0.05
    assert diff.mean() > 0.01
    reddish = (a[..., 0] > a[..., 1] + 0.03) & (a[..., 0] > a[..., 2] + 0.03)
    assert (reddish & diff).sum() > 0.5 * diff.sum()
    h, w = diff.shape
    assert all(diff[i * h // 2 : (i + 1) * h // 2, j * w // 2 : (j + 1) * w // 2].any() for i in (0, 1) for j in (0, 1))
    # …and the masked page itself: mostly white, with dark text and drawing
    page = _page(masked["pdf"], tmp_path / "case")
    assert page.std() > 0.05 and (page.sum(axis=2) < 1.0).mean() > 0.002


def test_a_large_graph_says_what_was_left_out(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("hub", label="Organization", name="苏州市城建局", hop=0)
    for i in range(260):
        g.add_node(f"c{i}", label="Company", name=f"公司{i}", hop=1 + i // 100)
        g.add_edge(f"c{i}", "hub", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=i + 2)
    info = CaseInfo(CASE, "王科长", rerun="graphkit export --store embedded:c.db --entity hub --format graphml")
    r = write_case_file(g, tmp_path / "big.html", info)
    assert (r.nodes, r.left_out_nodes, r.left_out_links) == (200, 61, 61)
    page = (tmp_path / "big.html").read_text(encoding="utf-8")
    assert "另有 61 个节点、61 条关系未绘出" in page and "--format graphml" in page
    r = write_case_file(g, tmp_path / "big.graphml", info)
    assert (r.nodes, r.links) == (261, 260)


@pytest.mark.skipif(
    not CHROMIUM.exists() or not (HTMLCHECK / "node_modules").exists() or not shutil.which("node"),
    reason="needs /usr/bin/chromium (make sysdeps) and tools/htmlcheck/node_modules (make lint-deps)",
)
def test_html_draws_offline_and_asks_for_nothing_outside_itself(masked, tmp_path):
    page = masked["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@font-face" in page and "data:font/woff;base64," in page
    shot = tmp_path / "shot.png"
    out = subprocess.run(
        ["node", str(HTMLCHECK / "check.mjs"), str(masked["html"]), str(shot), str(CHROMIUM)],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["outside"] == [] and res["errors"] == [] and res["fontOk"], res
    img = matplotlib.image.imread(shot)[..., :3]
    c = res["canvas"]
    canvas = img[int(c["y"]) : int(c["y"] + c["height"]), int(c["x"]) : int(c["x"] + c["width"])]
    assert canvas.size and canvas.var() > 0.002  # nodes and links drawn, not a blank canvas
    assert (np.abs(canvas - canvas.mean(axis=(0, 1))).sum(axis=2) > 0.3).mean() > 0.005


def test_csv_reader_is_the_source_of_truth_for_mobiles():
    """The mobile pattern the tests grep for is the one the masking covers."""
    from graphkit.model.mask import mask_text

    rows = list(csv.reader(["张伟,13800000001,+86 138-0000-0002"]))
    assert "13800000001" not in mask_text(",".join(rows[0])) and "138****0001" in mask_text(rows[0][1])


@pytest.mark.parametrize("kinds", [1, 2, 5, 12], ids=lambda n: f"{n}_kinds")
def test_the_legend_headings_never_run_into_its_entries(kinds):
    """A case file of a few kinds (the path an investigator exports: two persons and a company) had the
    legend's column headings drawn over its title and first entries; none of its texts overlap now."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from graphkit.exports.printed import A4, _first_page
    from graphkit.model import Model

    model = Model.default()
    labels = [lab for lab in model.labels if lab not in ("Person",)][: kinds - 1]
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    types = list(model.relationships)
    for i, lab in enumerate(labels):
        g.add_node(f"n{i}", label=lab, name=f"节点{i}", hop=1)
        g.add_edge("p", f"n{i}", type=types[i % len(types)], src_file="t.csv", src_row=i + 2)
    if not labels:
        g.add_node("q", label="Person", name="李娜", hop=1)
        g.add_edge("p", "q", type="FAMILY", src_file="family.csv", src_row=2)
    from graphkit.viz import cjk_font

    fig = matplotlib.figure.Figure(figsize=A4)
    canvas = FigureCanvasAgg(fig)
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):  # as write_printed sets it
        _first_page(fig, drawing(g), CaseInfo(CASE, "王科长", at="2024-05-01T10:00:00+08:00"), model, A4[1])
        canvas.draw()
    renderer = canvas.get_renderer()
    legend = next(ax for ax in fig.axes if any(t.get_text() == "图例" for t in ax.texts))
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in legend.texts if t.get_text()]
    assert len(boxes) >= 4, boxes
    clashes = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if ba.overlaps(bb)]
    assert not clashes, clashes
    # in Chinese alone (it read 图例 legend, 节点 nodes, 企业 Company (1), → 亲属 FAMILY (1)); English alone under en
    assert not [a for a, _ in boxes if re.search(r"[A-Za-z]{2,}", a)], boxes
    if kinds == 2:
        fig = matplotlib.figure.Figure(figsize=A4)
        canvas = FigureCanvasAgg(fig)
        with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
            _first_page(fig, drawing(g), CaseInfo(CASE, "王科长", lang="en"), model, A4[1])
            canvas.draw()
        legend = next(ax for ax in fig.axes if any(t.get_text() == "Legend" for t in ax.texts))
        said = [t.get_text() for t in legend.texts if t.get_text()]
        assert "Nodes" in said and "Relationships" in said and not [t for t in said if re.search("[一-龥]", t)], said
        assert "Case-file graph" in [t.get_text() for t in fig.texts], [t.get_text() for t in fig.texts]
        # the header in English alone (it said 导出人 … 导出时间 … and the Chinese masking note), ending in the page
        (meta,) = [t for t in fig.texts if t.get_text().startswith("Exported by 王科长, ")]
        assert "masked" in meta.get_text() and meta.get_window_extent(canvas.get_renderer()).x1 < fig.bbox.width * 0.97


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_a_graph_read_with_its_properties_in_another_order_exports_the_same_bytes(tmp_path, fmt):
    """Neo4j and Ladybug return an object's properties in different orders: the JSON's keys and the GraphML's key
    ids followed them, so one case read from the two stores gave files of equal content and different bytes."""
    import networkx as nx

    from graphkit.exports import CaseInfo
    from graphkit.exports.data import write_data

    def graph(order):
        g = nx.MultiDiGraph()
        nodes = {"p": {"label": "Person", "name": "张伟", "gender": "男", "hop": 0}, "u": {"label": "Org", "hop": 1}}
        for v, a in nodes.items():
            g.add_node(v, **dict(sorted(a.items(), reverse=order)))
        e = {"type": "EMPLOYED_BY", "src_file": "roster.csv", "src_row": 2, "post": "科员"}
        g.add_edge("p", "u", key="7", **dict(sorted(e.items(), reverse=order)))
        return g

    info = CaseInfo("苏纪2026-001", "王科长", at="2026-12-03T09:00:00+08:00")
    a = write_data(graph(False), tmp_path / f"a.{fmt}", info, fmt=fmt).read_bytes()
    b = write_data(graph(True), tmp_path / f"b.{fmt}", info, fmt=fmt).read_bytes()
    assert a == b


def test_every_legend_entry_keeps_its_count_however_many_kinds():
    """With 30 relationship kinds (a unit's 3 hops) the legend's four columns cut entries by their number of
    characters, so most lost their count (``→ 发放单位 PAID_B…``); each keeps it now, its name cut first,
    and ends before the next column."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from graphkit.exports.printed import A4, _first_page
    from graphkit.model import Model
    from graphkit.viz import cjk_font

    model = Model.default()
    types = list(model.relationships)[:30]
    labels = list(model.labels)[:14]
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    for i, t in enumerate(types):
        g.add_node(f"n{i}", label=labels[i % len(labels)], name=f"节点{i}", hop=1)
        for j in range(i % 3 + 1):
            g.add_edge("p", f"n{i}", type=t, src_file="t.csv", src_row=10 * i + j + 2)
    fig = matplotlib.figure.Figure(figsize=A4)
    canvas = FigureCanvasAgg(fig)
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        _first_page(fig, drawing(g, folded=False), CaseInfo(CASE, "王科长"), model, A4[1])
        canvas.draw()
    renderer = canvas.get_renderer()
    legend = next(ax for ax in fig.axes if any(t.get_text() == "图例" for t in ax.texts))
    entries = [t for t in legend.texts if re.search(r"\(\d+\)$", t.get_text())]
    links = [t for t in legend.texts if t.get_text().startswith("→")]
    assert len(links) == len(types) and all(t in entries for t in links), [t.get_text() for t in links]
    assert len(entries) == len(types) + len({labels[i % len(labels)] for i in range(len(types))} | {"Person"})
    _, said = legend_entries(drawing(g, folded=False).shown, model)
    assert [tuple(t.get_text()[2:].rsplit(" ", 1)) for t in links] == [(zh, f"({cnt})") for _, zh, cnt in said]
    assert {cnt for _, _, cnt in said} == {1, 2, 3}
    # each kind by its Chinese name, as the HTML pages' legend gives it (a GPS stop read → GPS, its title's first word)
    assert "→ GPS 停留 (2)" in [t.get_text() for t in links]
    boxes = sorted((t.get_window_extent(renderer) for t in entries), key=lambda b: (round(b.y0), b.x0))
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert not clashes and max(b.x1 for b in boxes) < fig.bbox.width * 0.97


def test_an_html_case_file_names_its_links_in_chinese(tmp_path):
    """The HTML case file labelled each link with its type's code (``HAS_ADDRESS [11]``, ``FAMILY [4]``) and cited
    its source in English (``source: family.csv line 2``) while its legend, appendix and the PDF said them in
    Chinese; it says ``亲属·配偶 [1]`` and ``来源〔family.csv 第2行〕`` now (cited as the PDF cites it), the code
    kept in the tooltip."""
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    g.add_node("q", label="Person", name="李娜", hop=1)
    g.add_node("c", label="Company", name="某某建设有限公司", hop=1)
    g.add_edge("p", "q", type="FAMILY", relationship="spouse", src_file="family.csv", src_row=2)
    g.add_edge("q", "c", type="SHAREHOLDER_OF", percent=60, src_file="shareholders.csv", src_row=3)
    out = write_case_file(g, tmp_path / "c.html", CaseInfo(CASE, "王科长")).path
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", out.read_text(encoding="utf-8")).group(1))
    said = sorted((e.get("caption") or e["label"], e["title"].splitlines()[-1]) for e in edges)
    assert said == [
        ("亲属·配偶 [1]", "来源〔family.csv 第2行〕"),
        ("股东 60% [2]", "来源〔shareholders.csv 第3行〕"),
    ], said
    assert all(("FAMILY" in e["title"]) != ("SHAREHOLDER_OF" in e["title"]) for e in edges)


def test_an_html_case_files_node_tooltip_names_its_kind_in_chinese(tmp_path):
    """A node's hover text began with its label's code (``Person 3205…``); it names its kind as the widgets do
    (``自然人 3205…``), identifiers still masked."""
    g = nx.MultiDiGraph()
    g.add_node("320505198509233414", label="Person", name="张伟", birth_date="1985-09-23", hop=0)
    g.add_node("91320500MA00000010", label="Company", name="某某建设有限公司", hop=1)
    g.add_edge("320505198509233414", "91320500MA00000010", type="LEGAL_REP_OF", src_file="companies.csv", src_row=2)
    page = write_case_file(g, tmp_path / "c.html", CaseInfo(CASE, "王科长")).path.read_text(encoding="utf-8")
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page).group(1))
    tips = sorted(n["title"].splitlines()[0] for n in nodes)
    assert tips == ["企业 91320500MA00000010", "自然人 3205**********3414"], tips
    assert "320505198509233414" not in page and "1985-09-23" not in page


@needs_poppler
def test_a_pdf_says_what_was_asked_and_who_exported_it_in_its_metadata(tmp_path):
    """A document system listing the PDF saw only its title (案卷号 …): its subject (masked as on the page) and its
    exporter are in the metadata too, and in a PNG's text chunks."""
    g = nx.MultiDiGraph()
    g.add_node("320505198509233414", label="Person", name="张伟", hop=0)
    g.add_node("q", label="Person", name="李娜", hop=1)
    g.add_edge("320505198509233414", "q", type="FAMILY", src_file="family.csv", src_row=2)
    info = CaseInfo(CASE, "王科长", subject="张伟 (320505198509233414): 1 度关系", seeds=("320505198509233414",))
    pdf = write_case_file(g, tmp_path / "c.pdf", info).path
    meta = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+案卷号 苏纪2024-017$", meta, re.M) and re.search(r"^Author:\s+王科长$", meta, re.M)
    assert re.search(r"^Subject:\s+张伟 \(3205\*+3414\): 1 度关系$", meta, re.M), meta
    from PIL import Image

    png = write_case_file(g, tmp_path / "c.png", info).path
    with Image.open(png) as im:
        assert im.text["Author"] == "王科长" and im.text["Description"] == "张伟 (3205**********3414): 1 度关系"


def test_a_case_file_says_the_time_of_its_office_on_a_server_set_to_utc(tmp_path, monkeypatch):
    """On a server set to UTC a case file said ``导出时间 2026-12-07 09:00:00+00:00`` for an export made at 17:00 in
    Nanjing: every format says the office's time (``GRAPHKIT_TZ``, China's by default) with its offset."""
    import time

    from graphkit.exports.printed import A4, page_header

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("GRAPHKIT_TZ", raising=False)
    time.tzset()
    try:
        assert CaseInfo(CASE, "王科长").at.endswith("+08:00")  # made now, in the office's zone
        info = CaseInfo(CASE, "王科长", at="2026-12-07T09:00:00+00:00")  # (kept in UTC: read in China's)
        fig = matplotlib.figure.Figure(figsize=A4)
        page_header(fig, info, A4[1], 0.0, "关系图谱")
        assert any("导出时间 2026-12-07 17:00:00+08:00" in t.get_text() for t in fig.texts)
        assert info.stamp.endswith("王科长 · 2026-12-07 17:00")  # the watermark's
        g = nx.MultiDiGraph()
        g.add_node("p", label="Person", name="张伟", hop=0)
        g.add_node("q", label="Person", name="李娜", hop=1)
        g.add_edge("p", "q", type="FAMILY", src_file="family.csv", src_row=2)
        page = write_case_file(g, tmp_path / "c.html", info).path.read_text(encoding="utf-8")
        assert "导出时间 2026-12-07 17:00:00+08:00" in page and "+00:00" not in page
        monkeypatch.setenv("GRAPHKIT_TZ", "Asia/Urumqi")  # another office's
        assert info.shown_at == "2026-12-07 15:00:00+06:00"
        monkeypatch.setenv("GRAPHKIT_TZ", "Mars/Olympus")
        with pytest.raises(ValueError, match="GRAPHKIT_TZ='Mars/Olympus'"):
            CaseInfo(CASE, "王科长")
    finally:
        monkeypatch.undo()
        time.tzset()


def _one_language_case(tmp_path, lang: str) -> tuple[str, list[dict]]:
    """A small case file in ``lang``: its header and notes as the HTML page says them, and its appendix's rows."""
    from graphkit.exports import omitted_notes

    g = nx.MultiDiGraph(seed="p", hops=2, page_size=50, hubs={"c": 103})
    g.add_node("p", label="Person", name="张伟", hop=0)
    g.add_node("q", label="Person", name="李娜", hop=1)
    g.add_node("c", label="Company", name="某某建设有限公司", hop=1)
    g.add_node("SZZB2023000010", label="Tender", name="某河道整治工程", hop=2)  # its name alone, as a ring's bids
    g.add_edge("p", "q", type="FAMILY", relationship="spouse", src_file="family.csv", src_row=2)
    g.add_edge("q", "c", type="SHAREHOLDER_OF", percent=60, src_file="shareholders.csv", src_row=3)
    g.add_edge("c", "SZZB2023000010", type="WON", src_file="awards.csv", src_row=4)
    for i in range(3):  # past max_drawn: the drawing leaves them out and says so
        g.add_node(f"d{i}", label="Company", name=f"其他{i}公司", hop=3)
        g.add_edge("c", f"d{i}", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=5 + i)
    info = CaseInfo("", "王科长", omitted=tuple(omitted_notes(g, lang=lang)), lang=lang)
    page = write_case_file(g, tmp_path / f"c_{lang}.html", info, max_drawn=4).path.read_text(encoding="utf-8")
    parts = r"<header>.*?</div>\s*<div class='meta'>.*?</div>|<section class='legend'>.*?</section>"
    said = re.findall(parts, page, re.S)
    assert len(said) == 2, said
    return re.sub(r"<[^>]+>", " ", " ".join(said)), drawing(g, 4).rows


def test_a_case_file_says_what_it_is_in_its_readers_language_alone(tmp_path):
    """Under ``lang="en"`` a case file's header still said 未编案卷号 no case number, 导出人 … 导出时间 … and the
    Chinese masking note, its counts 共 … 个节点, what the drawing left out and what the file left out (a hub not
    expanded) in Chinese with English after it, its appendix FAMILY without the kinship (亲属·配偶 in Chinese) and its
    source as family.csv 第2行, its lines 亲属·配偶 [1]; a tender with its name alone was listed by its key, SZZB…,
    where the drawing named it."""
    en, rows = _one_language_case(tmp_path, "en")
    names = ("张伟", "李娜", "某某建设有限公司", "某河道整治工程", "王科长", "其他0公司", "其他1公司", "其他2公司")
    bare = en
    for name in names:
        bare = bare.replace(name, "")
    assert not re.findall(r"[\u4e00-\u9fff]+", bare), re.findall(r"[\u4e00-\u9fff]+.{0,20}", bare)
    for part in ("No case number", "Exported by 王科长, 20", " masked; ", "7 nodes and 6 relationships", "left out"):
        assert part in en, (part, en)
    assert "103 links; open one with graphkit neighbours" in en, en
    zh, _ = _one_language_case(tmp_path, "zh")
    assert "未编案卷号" in zh and "导出人 王科长" in zh and "已脱敏" in zh and "103 条" in zh, zh
    for english in ("no case number", "Exported", "not expanded", "left out", "nodes and", "hub"):
        assert english not in zh, (english, zh)
    by_type = {r["type"]: r for r in rows}
    assert by_type["FAMILY"]["type_en"] == "FAMILY (spouse)" and by_type["FAMILY"]["type_zh"] == "亲属·配偶"
    assert by_type["FAMILY"]["where_en"] == "family.csv line 2" and by_type["FAMILY"]["where"] == "family.csv 第2行"
    assert by_type["WON"]["target"] == "某河道整治工程 (SZZB2023000010)", by_type["WON"]
    page = (tmp_path / "c_en.html").read_text(encoding="utf-8")
    assert "<td>FAMILY (spouse)</td>" in page and "<td>family.csv line 2</td>" in page
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page).group(1))
    said = sorted((e.get("caption") or e["label"], e["title"].splitlines()[-1]) for e in edges if e.get("title"))
    assert ("family (spouse) [1]", "source [family.csv line 2]") in said, said  # as every face cites a record
