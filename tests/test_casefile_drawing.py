"""A case officer's drawings read on paper: a path runs from its start on the left to its end on the right in every
drawn format, and a dense drawing's link labels never lie one over another (PDF, PNG, SVG and HTML)."""

from __future__ import annotations

import copy
import functools
import json
import math
import re
import shutil
import subprocess
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from fixture_city import C1, P1, TABLES, write_city

from graphkit.cli import main
from graphkit.exports import CaseInfo, drawing, write_case_file

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make sysdeps")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    root = tmp_path_factory.mktemp("drawing")
    city = write_city(root / "city", copy.deepcopy(TABLES))
    s = f"embedded:{root / 'c.db'}"
    assert run("load", city, "--store", s).exit_code == 0
    return s


def caption_x(pdf: Path, text: str) -> float:
    """Where the drawing on a PDF's first page writes ``text`` (a node's caption): the left of the word, below
    the header (which names the path's ends too)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = [
        float(m[1])
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', out)
        if m[3] == text and float(m[2]) > 80
    ]
    assert len(found) == 1, (text, found)
    return found[0]


def html_positions(page: str) -> tuple[list[dict], list[dict]]:
    """The nodes and links an HTML case file gives vis-network (positions, labels)."""
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)[1])
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page, re.S)[1])
    return nodes, edges


@needs_poppler
@pytest.mark.parametrize("ends", [("张伟", C1), (C1, "张伟")], ids=["official-first", "company-first"])
def test_a_paths_case_file_runs_from_its_start_on_the_left(spec, tmp_path, ends):
    """``path --export``: in the PDF (and so the PNG and SVG, one drawing) and the HTML, the path's start is drawn
    left of its end, whichever way it is asked for; the numbered explanation reads so (hop 1 first)."""
    pdf, page = tmp_path / "p.pdf", tmp_path / "p.html"
    r = run("path", *ends, "--store", spec, "--case", "苏纪2024-017", "--export", pdf, "--export", page)
    assert r.exit_code == 0, r.output
    names = {"张伟": "张伟", C1: "某某建设有限公司"}
    start, end = names[ends[0]], names[ends[1]]
    assert caption_x(pdf, start) < caption_x(pdf, end)
    nodes, _ = html_positions(page.read_text("utf-8"))
    x = {n["label"]: n["x"] for n in nodes}
    assert x[start] < x[end] and x[start] == min(x.values()) and x[end] == max(x.values())


@needs_poppler
def test_a_path_through_two_routes_is_drawn_in_columns_from_start_to_end(tmp_path):
    """Two shortest paths together (``path --all``): every node between the ends, the start leftmost, the end
    rightmost, each hop a column, so the drawing reads left to right as the explanation does."""
    from graphkit.viz import layout_positions

    g = nx.MultiDiGraph(path_ends=[["E", "S"]])
    for v, lab in (("S", "Person"), ("A", "Person"), ("B", "Person"), ("E", "Company")):
        g.add_node(v, label=lab, name=v, hop=0 if v in "SE" else 1)
    for u, v in (("S", "A"), ("S", "B"), ("A", "E"), ("B", "E")):
        g.add_edge(u, v, type="FAMILY" if v != "E" else "SHAREHOLDER_OF", src_file="f.csv", src_row=2)
    xy = layout_positions(g, ends=g.graph["path_ends"])
    assert xy["E"][0] < xy["A"][0] == xy["B"][0] < xy["S"][0] and xy["A"][1] != xy["B"][1]
    # the same bytes from run to run (no date in the file to differ): the layout is fixed
    info = CaseInfo("苏纪2024-017", "王科长", at="2024-05-01T10:00:00+08:00")
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    write_case_file(g, a, info)
    write_case_file(g, b, info)
    assert a.read_bytes() == b.read_bytes()


def bid_ring() -> nx.MultiDiGraph:
    """A bid-rigging warning's evidence as ``warnings show --export`` draws it: four companies bidding on nine
    tenders (35 bids, 9 awards), with the phone, address, bank accounts and people they share."""
    g = nx.MultiDiGraph()
    cos = [f"9132058{i}MA{i}X7QEA{i}" for i in range(4)]
    for i, c in enumerate(cos):
        g.add_node(c, label="Company", name=f"江苏{'锦盛辉德昌辉辉辉'[2 * i : 2 * i + 2]}建设工程有限公司", hop=0)
    for t in range(9):
        tid = f"SZZB20240001{t:02d}"
        g.add_node(tid, label="Tender", name=f"苏州市第{t + 1}局2024年道路改造工程", hop=1)
        for i, c in enumerate(cos):
            if (t + i) % 9 != 8:
                g.add_edge(c, tid, type="BID", price=1_000_000 + 10_000 * (7 * t + i), src_file="bids.csv", src_row=t)
        g.add_edge(cos[t % 4], tid, type="WON", src_file="bids.csv", src_row=100 + t)
    g.add_node("0512-66881234", label="Phone", hop=1)
    g.add_node("苏州市常熟市太仓大道850号", label="Address", hop=1)
    for i, c in enumerate(cos):
        g.add_edge(c, "0512-66881234", type="HAS_PHONE", src_file="companies.csv", src_row=i)
        g.add_edge(c, "苏州市常熟市太仓大道850号", type="HAS_ADDRESS", src_file="companies.csv", src_row=i)
        acct = f"62220212345678{i:04d}"
        g.add_node(acct, label="BankAccount", hop=1)
        g.add_edge(c, acct, type="HAS_ACCOUNT", src_file="accounts.csv", src_row=i)
        g.add_edge(c, acct, type="BOND_PAID_FROM", src_file="bonds.csv", src_row=i)
    return g


def test_a_dense_warnings_printed_link_numbers_never_lie_one_over_another():
    """The printed case file (PDF, PNG, SVG: one drawing) of a dense warning: no link's label covers another's or a
    node's caption; every link is numbered or the page says how many are not."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from graphkit.exports.printed import A4, _first_page
    from graphkit.model import Model
    from graphkit.viz import cjk_font

    g = bid_ring()
    d = drawing(g)
    assert d.drawn.number_of_edges() > 50
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4)
        _first_page(fig, d, CaseInfo("苏纪2024-017", "王科长"), Model.default(), A4[1])
        renderer = FigureCanvasAgg(fig).get_renderer()
        ax = max(fig.axes, key=lambda a: len(a.texts))  # the drawing (the legend has a few)
        labels = [t for t in ax.texts if not isinstance(t, Annotation) and t.get_visible() and t.get_text()]
        captions = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        said = " ".join(t.get_text() for t in fig.texts)
    assert len(labels) > 30
    assert not [(a.get_text(), b.get_text()) for a, b in combinations(labels, 2) if _hit(a, b, renderer)]
    assert not [(t.get_text(), c.get_text()) for t in labels for c in captions if _hit(t, c, renderer)], (
        "a link's label over a node's caption"
    )
    # nor a node's caption another's, each under its own mark: the marks stand apart by their captions' width or a
    # caption's height (a ring's companies, alike in their links, had been drawn one on another)
    assert not [(a.get_text(), b.get_text()) for a, b in combinations(captions, 2) if _hit(a, b, renderer)]
    at = [(c.get_text(), *ax.transData.transform(c.xy), c.get_window_extent(renderer)) for c in captions]
    close = [
        (a, b)
        for (a, xa, ya, ba), (b, xb, yb, bb) in combinations(at, 2)
        if abs(xa - xb) < (ba.width + bb.width) / 2 * 0.9 and abs(ya - yb) < max(ba.height, bb.height) * 2
    ]
    assert not close, close
    numbered = {x for t in labels for x in re.findall(r"^\d+", t.get_text())}
    if len(numbered) < d.drawn.number_of_edges():
        assert f"图中 {d.drawn.number_of_edges() - len(numbered)} 条关系线过密，未标编号" in said
    assert boxes


def _hit(a, b, renderer) -> bool:
    x, y = a.get_window_extent(renderer), b.get_window_extent(renderer)
    return min(x.x1, y.x1) > max(x.x0, y.x0) and min(x.y1, y.y1) > max(x.y0, y.y0)


def test_a_dense_warnings_html_link_labels_never_lie_one_over_another(tmp_path):
    """The HTML case file of the same warning: each straight line's label (drawn by the page at its share ``at`` of
    the way along its line) covers no other label and no node, and no other line passes within 3 pt of it: at the
    lines' middles, where vis-network writes a link's label, 10 labels sat where two lines crossed and read as
    either's. Parallel links (a winner's bid and award) are one line with both numbers, and the page says so and how
    many lines went unlabelled."""
    import numpy as np

    from graphkit.viz import crosses

    def label_box(x: float, y: float, text: str) -> tuple:  # as the page sets a 10 px label (CJK a full em)
        w = sum(10 if ord(ch) >= 0x2E80 else 6 for ch in text) + 4
        return (x - w / 2, y - 8, x + w / 2, y + 8)

    page = tmp_path / "w.html"
    write_case_file(bid_ring(), page, CaseInfo("苏纪2024-017", "王科长"))
    text = page.read_text("utf-8")
    nodes, edges = html_positions(text)
    at = {n["id"]: (n["x"], n["y"]) for n in nodes}
    boxes, crossed = [], []
    lines = [(at[e["from"]], at[e["to"]]) for e in edges if e["from"] != e["to"]]
    for e in edges:
        said, share = e.get("caption") or e.get("label"), e.get("at", 0.5)  # (vis-network writes a label at 0.5)
        if said and e["from"] != e["to"]:
            (x0, y0), (x1, y1) = at[e["from"]], at[e["to"]]
            box = label_box(x0 + share * (x1 - x0), y0 + share * (y1 - y0), said)
            if e.get("lead"):  # set beside its line on a leader, as the page draws it
                from graphkit.exports.html import beside_box

                box = label_box(*beside_box((x0, y0), (x1, y1), share, *e["lead"], box[2] - box[0])[1], said)
            boxes.append((said, box))
            grown = tuple(np.add(box, (-3, -3, 3, 3)))
            if any(crosses(grown, ln) for ln in lines if ln != ((x0, y0), (x1, y1))):
                crossed.append(said)
    assert len(boxes) > 10
    assert not crossed, crossed
    over = [(a, b) for (a, p), (b, q) in combinations(boxes, 2) if _overlap(p, q)]
    assert not over, over[:5]
    marks = [(n["label"], (n["x"] - 25, n["y"] - 25, n["x"] + 25, n["y"] + 25)) for n in nodes]
    assert not [(a, b) for a, p in boxes for b, q in marks if _overlap(p, q)]
    # a winner's bid and award (and any two links of one pair): one line, numbered together, and the page says so
    pairs: dict = {}
    for u, v in drawing(bid_ring()).drawn.edges():
        pairs[frozenset((u, v))] = pairs.get(frozenset((u, v)), 0) + 1
    merged = sum(n > 1 for n in pairs.values())
    assert merged >= 9 and len(edges) == len(pairs)
    assert 'network.on("afterDrawing"' in text  # the page draws the labels placed
    assert f"图中 {merged} 条连线各代表同两点间的多条关系" in text
    assert "62220212345678" not in text  # the bank accounts masked, in the tooltips too


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


@needs_poppler
def test_no_identifier_in_clear_in_any_layer_of_a_printed_case_file(spec, tmp_path):
    """pdftotext, the PDF's metadata, the PNG's text chunks, the SVG and the HTML (title, tooltips) of a path's case
    file: the official's ID number nowhere in clear."""
    files = [tmp_path / f"p.{x}" for x in ("pdf", "png", "svg", "html")]
    r = run("path", "张伟", C1, "--store", spec, "--case", "苏纪2024-017", *[a for f in files for a in ("--export", f)])
    assert r.exit_code == 0, r.output
    text = subprocess.run(["pdftotext", str(files[0]), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(files[0])], capture_output=True, text=True, check=True).stdout
    assert P1 not in text and P1 not in info and "张伟" in text
    for f in files:
        assert P1.encode() not in f.read_bytes(), f
        assert P1 not in f.name
    # the HTML's title (a browser's tab, a document system's list) names the case, and no empty heading is left
    page = files[3].read_text("utf-8")
    assert "<title>案卷号 苏纪2024-017 · 关系图谱</title>" in page and "<h1></h1>" not in page


def test_a_caption_is_never_placed_off_the_page():
    """A node at the page's left edge with its neighbours below, above and right of it: its caption goes where it
    covers one of them rather than off the page (a residents' committee's name, set left of a node at the edge of a
    neighbourhood's PDF, had been cut off: 街道主中社区居民委…)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from graphkit.viz import _place_captions, cjk_font

    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=(4, 4))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        pos = {"A": (0.02, 0.5), "below": (0.02, 0.44), "above": (0.02, 0.56), "right": (0.2, 0.5)}
        captions, markers = [], []
        for v, xy in pos.items():
            ax.scatter(*xy, s=60)
            name = "苏州市相城区黄桥街道主中社区居民委员会" if v == "A" else "某某"
            captions.append(ax.annotate(name, xy=xy, xytext=(0, -6), textcoords="offset points", fontsize=6))
            markers.append(((ax, xy), 4))
        order = [3, 1, 2, 0]  # the neighbours' captions placed first
        _place_captions(fig, [captions[i] for i in order], [markers[i] for i in order], 2)
        box = captions[0].get_window_extent(FigureCanvasAgg(fig).get_renderer())
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (box.x0, box.x1)


def test_a_paths_html_page_from_a_notebook_runs_from_its_start_on_the_left(tmp_path):
    """``city.path(…, html=…)`` (notebook 05) writes the path with :func:`graphkit.viz.to_html`: laid out from its start
    on the left to its end on the right, the start's masked key found in the masked graph (it was left to the
    physics, any way round)."""
    from fixture_city import P2

    from graphkit.viz import to_html

    g = nx.MultiDiGraph(path_ends=[[C1, P1]])
    g.add_node(P1, label="Person", name="张伟")
    g.add_node(P2, label="Person", name="李娜")
    g.add_node(C1, label="Company", name="某某建设有限公司")
    g.add_edge(P1, P2, type="FAMILY", src_file="family.csv", src_row=2)
    g.add_edge(P2, C1, type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=2)
    page = to_html(g, tmp_path / "p.html", title="路径").read_text("utf-8")
    nodes, _ = html_positions(page)
    x = {n["label"]: n.get("x") for n in nodes}
    assert None not in x.values(), x
    assert x["某某建设有限公司"] < x["李娜"] < x["张伟"] and P1 not in page


#: how near (points) another line may come to a link's label, or to where its leader meets its link, on paper
CLEAR = 2.5


def _dense(line, step: float = 0.5):
    """Points every ``step`` pixels along a polyline (rows x, y)."""
    import numpy as np

    out = [line[:1]]
    for a, b in zip(line[:-1], line[1:], strict=True):
        k = max(1, int(np.hypot(*(b - a)) / step))
        out.append(a + (b - a) * np.linspace(0, 1, k + 1)[1:, None])
    return np.concatenate(out)


def faults(lines: dict, labels: list[tuple[str, str, tuple]], leaders: list, clear: float, unit: float) -> list[str]:
    """What a reader of a printed drawing could misread: each label ((text, its link's number, its box x0, y0, x1,
    y1)) must sit on its own line (``lines``: number -> points along the stroke as drawn) with no other line within
    ``clear`` of it, or, off every line, be tied to its own line by a leader (``leaders``: (start, end), the end at
    the label's edge) that starts on it where no other line is within ``clear`` and crosses no other line. ``unit``:
    a point in these units."""
    import numpy as np

    out = []
    every = np.concatenate(list(lines.values()))

    def near(points, grow: float, box: tuple) -> bool:
        x0, y0, x1, y1 = box
        return bool(
            (
                (points[:, 0] > x0 - grow)
                & (points[:, 0] < x1 + grow)
                & (points[:, 1] > y0 - grow)
                & (points[:, 1] < y1 + grow)
            ).any()
        )

    for text, no, box in labels:
        others = np.concatenate([p for k, p in lines.items() if k != no])
        within = functools.partial(near, box=box)

        own = lines[no]
        tie = [ld for ld in leaders if within(np.asarray(ld[1:]), 2 * unit)]
        if within(own, 0) and not tie:
            if within(others, clear):
                out.append(f"{text}: another line within {clear / unit:g} pt of it")
            continue
        if not tie:
            out.append(f"{text}: off its line with no leader to it")
            continue
        start, end = (np.asarray(p, dtype=float) for p in tie[0])
        if np.hypot(*(own - start).T).min() > 1.5 * unit:
            out.append(f"{text}: its leader does not start on its own line")
        if np.hypot(*(others - start).T).min() < clear:
            out.append(f"{text}: its leader starts by another line")
        lead = _dense(np.array([start, end]))[2:]
        if min(np.hypot(*(others - p).T).min() for p in lead) < 0.5 * unit:
            out.append(f"{text}: its leader crosses another line")
        if within(every, 0):
            out.append(f"{text}: a line through it")
    return out


def label_faults(fig, ax, numbers: list[str], number_of) -> tuple[list[str], int, list[float]]:
    """:func:`faults` of a matplotlib drawing, measured on what is drawn: each link's line is its arrow's stroke (the
    annotations without text, in the order of the links ``numbers`` lists, loops left out), each label a visible
    text that is no node's caption (``number_of`` reads its link's number from it), a leader a two-point line.
    Returns the faults, how many labels were checked, and their type sizes."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.lines import Line2D
    from matplotlib.text import Annotation

    from graphkit.viz import LINK_LEADER

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    pt = fig.dpi / 72
    arrows = [t for t in ax.texts if isinstance(t, Annotation) and not t.get_text() and t.arrow_patch is not None]
    assert len(arrows) == len(numbers), (len(arrows), len(numbers))
    lines = {
        no: _dense(a.arrow_patch.get_path().to_polygons(closed_only=False)[0])
        for no, a in zip(numbers, arrows, strict=True)
    }
    leaders = [ln for ln in ax.get_children() if isinstance(ln, Line2D) and ln.get_gid() == LINK_LEADER]
    leaders = [ax.transData.transform(np.column_stack(ln.get_data())) for ln in leaders]
    texts = [t for t in ax.texts if not isinstance(t, Annotation) and t.get_visible() and t.get_text()]
    labels = [(t.get_text(), number_of(t.get_text()), tuple(t.get_window_extent(renderer).extents)) for t in texts]
    return faults(lines, labels, leaders, CLEAR * pt, pt), len(texts), [t.get_fontsize() for t in texts]


def test_a_dense_warnings_printed_link_numbers_are_each_on_their_own_line_and_legible():
    """A bid ring's 57 links on the case file's first page, read on paper: each link's number sits on its own line
    with no other line within 2.5 pt (never at a crossing, where it reads as the other line's), or beside it on a
    leader from its line; in type of 7.5 pt or more (六号: the labels were 5 pt, 八号, where 投标 and 中标 ran
    together on paper); every link numbered (12 of the 57 had found no room)."""
    import matplotlib
    from matplotlib.figure import Figure

    from graphkit.exports.printed import A4, _first_page
    from graphkit.model import Model
    from graphkit.viz import cjk_font

    g = bid_ring()
    for _, a in g.nodes(data=True):
        if a["label"] == "Tender":  # known by their keys alone, short and drawn in a row: a ring whose tenders are
            del a["name"]  # named is drawn as the titled one is (the next test: at most one left unnumbered)
    d = drawing(g)
    numbers = [d.labels[(u, v, k)] for u, v, k in d.drawn.edges(keys=True) if u != v]
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4)
        _first_page(fig, d, CaseInfo("苏纪2024-017", "王科长"), Model.default(), A4[1])
        ax = max(fig.axes, key=lambda a: len(a.texts))
        faults, checked, sizes = label_faults(fig, ax, numbers, lambda text: text.split(" ")[0])
        said = " ".join(t.get_text() for t in fig.texts)
    assert not faults, faults
    assert min(sizes) >= 7.5, sorted(set(sizes))
    # every number placed: laid out in rows (companies across the middle, tenders across the foot: viz.two_sides)
    # where the ring had been a ball, 12 of its 57 numbers found no room
    assert checked == len(numbers), (checked, len(numbers))
    assert "未标编号" not in said


def test_a_printed_ring_with_titled_tenders_numbers_its_links_inside_the_frame():
    """The same ring, its tenders captioned by their titles as a city's are (long: the tenders drawn in a stair, not a
    row): 3 of its 57 links found no room for their number, though the last stretch of each line, by its tender,
    was clear; and a label set right of the rightmost line ran off the page (31 投标 152.0 万元, cut at 万). At most
    one is left unnumbered now, and every label is inside the drawing's frame."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from graphkit.exports.printed import A4, _first_page
    from graphkit.model import Model
    from graphkit.viz import LINK_LABEL, cjk_font

    g = bid_ring()
    for _, a in g.nodes(data=True):
        if a["label"] == "Tender":
            a["title"] = a.pop("name")
    d = drawing(g)
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4)
        _first_page(fig, d, CaseInfo("苏纪2024-017", "王科长"), Model.default(), A4[1])
        renderer = FigureCanvasAgg(fig).get_renderer()
        ax = max(fig.axes, key=lambda a: len(a.texts))
        frame = ax.get_window_extent(renderer)
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_gid() == LINK_LABEL]
    said = " ".join(t.get_text() for t in fig.texts)
    left = re.search(r"(\d+) 条关系线过密", said)
    assert len(boxes) >= d.drawn.number_of_edges() - 1 and int(left[1] if left else 0) <= 1, (len(boxes), left)
    out = [t for t, b in boxes if b.x0 < frame.x0 or b.x1 > frame.x1 or b.y0 < frame.y0 or b.y1 > frame.y1]
    assert not out, out


def small_ring(companies: int = 4, tenders: int = 6) -> nx.MultiDiGraph:
    """Four companies each bidding on six tenders, one winning each (30 links, few enough for a map to number and
    cite every one): lines crossing everywhere between the two rows."""
    g = nx.MultiDiGraph()
    cos = [f"9132058{i}MA{i}X7QEA{i}" for i in range(companies)]
    for i, c in enumerate(cos):
        g.add_node(c, label="Company", name=f"江苏{'锦盛辉德昌辉'[i]}建设工程有限公司")
    for t in range(tenders):
        tid = f"SZZB20240001{t:02d}"
        g.add_node(tid, label="Tender", name=f"苏州市第{t + 1}局道路改造工程")
        for i, c in enumerate(cos):
            g.add_edge(c, tid, type="BID", price=1_000_000 + 10_000 * (7 * t + i), src_file="bids.csv", src_row=t)
        g.add_edge(cos[t % companies], tid, type="WON", src_file="bids.csv", src_row=100 + t)
    return g


def test_a_maps_link_numbers_are_each_on_their_own_line_and_legible(tmp_path, monkeypatch):
    """A portrait's map (:func:`graphkit.viz.to_image`, drawn into the portrait's PDF) labels its links as the case
    file does: each number on its own line clear of every other line, or beside it on a leader, in 7.5 pt or more;
    numbers left off counted above the list of links under the drawing. Its labels had been placed clear of the
    captions only, in 6 pt, a number where two lines crossed."""
    from matplotlib.figure import Figure

    from graphkit.viz import to_image

    g = small_ring()
    numbers = [str(i) for i, (u, v) in enumerate(g.edges(), start=1) if u != v]
    seen = []
    real = Figure.savefig

    def keep(fig, *args, **kwargs):  # measured as drawn, in the drawing's own fonts, before it is written
        seen.append(label_faults(fig, fig.axes[0], numbers, lambda text: re.search(r"\[(\d+)\]$", text)[1]))
        seen.append(" ".join(t.get_text() for t in fig.texts))
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    to_image(g, tmp_path / "map.png", unmask=True)
    (found, checked, sizes), said = seen
    assert not found, found
    assert min(sizes) >= 7.5, sorted(set(sizes))
    assert checked >= 0.5 * len(numbers), (checked, len(numbers))
    if checked < len(numbers):
        assert f"图中 {len(numbers) - checked} 条关系线过密，未标编号" in said


def test_a_portrait_pages_map_labels_each_link_on_its_own_line():
    """The SVG map of a portrait's HTML page (:func:`graphkit.viz.to_svg`) labels its links as the printed drawings
    do: each number on its own line clear of the other lines, or beside it on a leader; the numbers left off are
    counted under the drawing."""
    import numpy as np

    from graphkit.viz import to_svg

    g = small_ring()
    svg = to_svg(g, unmask=True)
    lines = {}
    curves = re.findall(r'<path d="M([\d.-]+),([\d.-]+) Q([\d.-]+),([\d.-]+) ([\d.-]+),([\d.-]+)" fill="none"', svg)
    assert len(curves) == g.number_of_edges()
    t = np.linspace(0, 1, 400)[:, None]
    for i, c in enumerate(curves, start=1):
        a, m, b = (np.array([float(c[k]), float(c[k + 1])]) for k in (0, 2, 4))
        lines[str(i)] = (1 - t) ** 2 * a + 2 * t * (1 - t) * m + t**2 * b
    labels = []
    for x, y, text in re.findall(r'<text x="([\d.-]+)" y="([\d.-]+)" font-size="8"[^>]*>([^<]+)</text>', svg):
        w = sum(8 if ord(ch) >= 0x2E80 else 0.58 * 8 for ch in text)
        box = (float(x) - w / 2, float(y) - 8, float(x) + w / 2, float(y) + 2.4)  # its baseline at y
        labels.append((text, re.search(r"\[(\d+)\]$", text)[1], box))
    leaders = [
        ((float(a), float(b)), (float(c), float(d)))
        for a, b, c, d in re.findall(r'<path d="M([\d.-]+),([\d.-]+) L([\d.-]+),([\d.-]+)"', svg)
    ]
    assert len(labels) >= 0.6 * len(curves), (len(labels), len(curves))
    found = faults(lines, labels, leaders, CLEAR, 1.0)
    assert not found, found
    if len(labels) < len(curves):
        assert f"图中 {len(curves) - len(labels)} 条关系线过密，未标编号" in svg


def test_a_portraits_map_is_drawn_at_the_width_it_is_printed():
    """The portrait PDF puts its map across the page (0.92 of A4's width): a map of 32 nodes had been drawn 9.5
    inches wide and shrunk onto it, its 7.5 pt numbers and 7 pt names printed at 5 pt. It is drawn at the page's
    width (its list of links is set by the page: test_risk's test of a long list)."""
    import io

    from PIL import Image

    from graphkit.portrait_render import MAP_DPI, _png

    g = nx.MultiDiGraph()
    g.add_node("U", label="Organization", name="张家港市教育局")
    for k in range(31):
        g.add_node(f"P{k}", label="Person", name=f"王{'一二三四五六七八九十'[k % 10]}{k}")
        g.add_edge(f"P{k}", "U", type="EMPLOYED_BY", src_file="roster.csv", src_row=2 + k)
    width = Image.open(io.BytesIO(_png(g, "张家港市教育局")[0])).size[0] / MAP_DPI
    assert width <= 0.92 * 8.27, width


def test_a_case_file_of_forty_nodes_prints_its_names_legibly():
    """An official's 2-hop case file draws 30-60 nodes: their names had been set in 5 pt (八号), smaller than the
    links' numbers beside them, unreadable on paper. Up to 60 nodes they are set as a small drawing's (7 pt), none
    over another."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from graphkit.exports.printed import A4, _first_page
    from graphkit.model import Model
    from graphkit.viz import cjk_font

    g = nx.MultiDiGraph()
    g.add_node("11320582MB0000000X", label="Organization", name="张家港市教育局", hop=0)
    for k in range(20):
        person, phone = f"3205821980010{k:04d}", f"1391234{k:04d}"
        g.add_node(person, label="Person", name=f"{'王李张刘陈杨黄赵周吴'[k % 10]}{'伟芳娜敏静'[k % 5]}{k}", hop=1)
        g.add_node(phone, label="Phone", hop=2)
        g.add_edge(person, "11320582MB0000000X", type="EMPLOYED_BY", src_file="roster.csv", src_row=2 + k)
        g.add_edge(person, phone, type="HAS_PHONE", src_file="persons.csv", src_row=2 + k)
    d = drawing(g)
    assert 30 < d.drawn.number_of_nodes() <= 60
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4)
        _first_page(fig, d, CaseInfo("苏纪2024-017", "王科长"), Model.default(), A4[1])
        renderer = FigureCanvasAgg(fig).get_renderer()
        ax = max(fig.axes, key=lambda a: len(a.texts))
        captions = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()]
        sizes = {t.get_fontsize() for t in captions}
        over = [(a.get_text(), b.get_text()) for a, b in combinations(captions, 2) if _hit(a, b, renderer)]
    assert len(captions) == d.drawn.number_of_nodes()
    assert min(sizes) >= 7, sizes
    assert not over, over


def two_hops(people: int = 20, companies: bool = False) -> nx.MultiDiGraph:
    """A unit (the subject, hop 0), its ``people`` employees (hop 1), each with a phone and, with ``companies``, a
    company of their own (hop 2)."""
    g = nx.MultiDiGraph()
    g.add_node("11320582MB0000000X", label="Organization", name="张家港市教育局", hop=0)
    for k in range(people):
        person, phone = f"3205821980010{k:04d}", f"1391234{k:04d}"
        g.add_node(person, label="Person", name=f"{'王李张刘陈杨黄赵周吴'[k % 10]}{'伟芳娜敏静'[k % 5]}{k}", hop=1)
        g.add_node(phone, label="Phone", hop=2)
        g.add_edge(person, "11320582MB0000000X", type="EMPLOYED_BY", src_file="roster.csv", src_row=2 + k)
        g.add_edge(person, phone, type="HAS_PHONE", src_file="persons.csv", src_row=2 + k)
        if companies:
            co = f"91320582MA{k:04d}XXXX"
            g.add_node(co, label="Company", name=f"张家港{'锦盛辉德昌'[k % 5]}{k}贸易有限公司", hop=2)
            g.add_edge(person, co, type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=2 + k)
    return g


def untied_captions(fig, ax) -> tuple[list[str], int]:
    """The node captions of a matplotlib drawing a reader could take for another node's: set away from their mark
    (more than 2.5 times as far as the nearest caption is from its own) or nearer another node's mark than their
    own, with no leader (gid :data:`graphkit.viz.CAPTION_LEADER`) from their own mark's edge to their box's edge.
    Returns them and how many captions needed a leader."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.lines import Line2D
    from matplotlib.text import Annotation

    from graphkit.viz import CAPTION_LEADER

    renderer = FigureCanvasAgg(fig).get_renderer()
    pt = fig.dpi / 72
    caps = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text() and t.anncoords == "offset points"]
    centres = [np.asarray(ax.transData.transform(t.xy)) for t in caps]
    boxes = [t.get_window_extent(renderer) for t in caps]
    ties = [ln for ln in ax.get_children() if isinstance(ln, Line2D) and ln.get_gid() == CAPTION_LEADER]
    ties = [ax.transData.transform(np.column_stack(ln.get_data())) for ln in ties]

    def dist(b, p) -> float:
        return float(np.hypot(max(b.x0 - p[0], p[0] - b.x1, 0.0), max(b.y0 - p[1], p[1] - b.y1, 0.0)))

    own = [dist(b, c) for b, c in zip(boxes, centres, strict=True)]
    out, needed = [], 0
    for i, (t, b, c) in enumerate(zip(caps, boxes, centres, strict=True)):
        others = [centres[j] for j in range(len(caps)) if j != i]
        if own[i] <= 2.5 * min(own) and min(dist(b, p) for p in others) >= own[i]:
            continue
        needed += 1
        tied = [
            (s, e)
            for s, e in ties
            if dist(b, e) < pt  # it ends on the caption's box
            and np.hypot(*(s - c)) < own[i]  # and starts by its own mark, nearer it than any other
            and np.hypot(*(s - c)) < min(np.hypot(*(s - p)) for p in others)
        ]
        if not tied:
            out.append(t.get_text())
    return out, needed


def test_a_printed_drawing_of_70_nodes_names_what_matters_in_7pt_and_keys_the_rest(tmp_path, monkeypatch):
    """A unit's two hops drawn with 61-100 nodes had every name in 6 pt (4.5 past 100), which no one reads on paper.
    Every name or number on the drawing is 7 pt or more, none over another; the subject and its 23 employees are
    named; the other nodes carry a number (#1 …) listed with their name and masked key in the key to numbered nodes
    on the page after the drawing, before the appendix; the first page says so."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from graphkit.exports.printed import NAMED_NODES, _Lines

    g = two_hops(23, companies=True)  # 70 nodes (a drawing of 200 is numbered alike, and slower to test)
    figs = []
    real = Figure.savefig

    def keep(fig, *args, **kwargs):  # measured as drawn, before each page is written
        figs.append(fig)
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    r = write_case_file(g, tmp_path / "big.pdf", CaseInfo("苏纪2024-017", "王科长"))
    assert r.nodes == 70
    first = figs[0]
    ax = max(first.axes, key=lambda a: len(a.texts))
    captions = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()]
    assert len(captions) == 70
    assert min(t.get_fontsize() for t in captions) >= 7, sorted({t.get_fontsize() for t in captions})
    drawn = [t.get_text() for t in captions]
    numbered = [x for x in drawn if re.fullmatch(r"#\d+", x)]
    assert len(drawn) - len(numbered) == NAMED_NODES
    assert {"张家港市教育局", "王伟0", "张娜22"} <= set(drawn)  # the subject and its employees by name
    renderer = FigureCanvasAgg(first).get_renderer()
    assert not [(a.get_text(), b.get_text()) for a, b in combinations(captions, 2) if _hit(a, b, renderer)]
    # a name set away from its mark, or nearer another's, tied to its own by a leader (it read as another node's)
    untied, needed = untied_captions(first, ax)
    assert not untied and needed, (untied, needed)
    said = " ".join(t.get_text() for t in first.texts)
    assert f"图中 {len(numbered)} 个节点只标编号（#1–#{len(numbered)}）" in said
    # page 2: the key, every number drawn with its node's name and masked key, then the appendix's pages
    key_page = figs[1]
    assert "节点编号表" in " ".join(t.get_text() for t in key_page.texts)
    cells = [text for a in key_page.artists if isinstance(a, _Lines) for _, _, text in a.items]
    keyed = dict(zip(cells[0::3], cells[1::3], strict=True))
    assert sorted(keyed, key=lambda x: int(x[1:])) == sorted(numbered, key=lambda x: int(x[1:]))
    # the nodes known by their key alone (phones, masked) numbered first, every company and person named
    assert "139****0022" in keyed.values() and all(re.fullmatch(r"139\*{4}\d{4}", x) for x in keyed.values())
    assert not [x for x in keyed.values() if re.search(r"1391234\d{4}", x)], "a phone in clear"
    assert "附录" in " ".join(t.get_text() for t in figs[2].texts)


def a_units_150() -> nx.MultiDiGraph:
    """A unit's two hops of 150 nodes: the unit, its 50 employees, their 50 companies and 49 phones."""
    g = two_hops(50, companies=True)
    g.remove_node("13912340049")
    assert g.number_of_nodes() == 150
    return g


def test_a_map_of_150_nodes_names_what_matters_in_7pt_and_keys_the_rest(tmp_path, monkeypatch):
    """A portrait's relationship map (:func:`graphkit.viz.to_image` at the width the portrait's PDF prints it, as
    ``portrait --max-drawn 150`` draws it) had every one of its 150 names in 7 pt, 36 pairs of texts one over another.
    It follows the case files' rule (:func:`graphkit.viz.node_key`): the 60 that matter named, the other 90 numbered
    (#1 …) in the same type, their names and masked keys in the key the page sets under the map; no two labels
    (names, numbers, links' labels) overlap, every one 7 pt or more as printed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation
    from PIL import Image

    from graphkit.exports.printed import A4, NAMED_NODES
    from graphkit.portrait_render import MAP_WIDTH
    from graphkit.viz import to_image

    seen = {}
    real = Figure.savefig

    def keep(fig, *args, **kwargs):  # measured as drawn, before it is written
        renderer = FigureCanvasAgg(fig).get_renderer()
        texts = [t for t in fig.axes[0].texts if t.get_visible() and t.get_text()]
        seen["texts"] = [(t.get_text(), t.get_window_extent(renderer), t.get_fontsize()) for t in texts]
        seen["captions"] = [t.get_text() for t in texts if isinstance(t, Annotation)]
        seen["untied"] = untied_captions(fig, fig.axes[0])
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    listed: list[str] = []  # as the portrait draws it (portrait_render._png), at a lower resolution (quicker)
    png = to_image(a_units_150(), tmp_path / "map.png", title="张家港市教育局", dpi=50, width=MAP_WIDTH, listed=listed)
    with Image.open(png) as img:
        printed = 0.92 * A4[0] / (img.size[0] / 50)  # the page sets the map 0.92 of A4 wide
    texts = seen["texts"]
    over = [(a, b) for (a, p, _), (b, q, _) in combinations(texts, 2) if p.overlaps(q)]
    assert not over, (len(over), over[:5])  # (36 pairs, every node named)
    assert min(size for *_, size in texts) * printed >= 7, (sorted({s for *_, s in texts}), printed)
    captions = seen["captions"]
    assert len(captions) == 150
    numbered = [x for x in captions if re.fullmatch(r"#\d+", x)]
    assert len(numbered) == 150 - NAMED_NODES
    assert {"张家港市教育局", "王伟0", "赵娜47"} <= set(captions)  # the unit and its employees by name
    # the key, set by the page under the map: every number drawn with its node's name and masked key, and kind
    assert "节点编号表：图中只标编号的 90 个节点（共绘 150 个节点，其余 60 个写出名称）" in listed
    keyed = {x.split("　")[0]: x for x in listed if re.match(r"#\d+　", x)}
    assert sorted(keyed) == sorted(numbered)
    assert "#90　139****0048　电话" in keyed.values()
    untied, needed = seen["untied"]  # a name away from its mark, or nearer another's, tied to its own
    assert not untied and needed, (untied, needed)
    assert not [x for x in listed if re.search(r"1391234\d{4}|3205821980010\d{4}", x)], "a key in clear"


def test_an_image_of_61_nodes_keys_its_numbered_node_under_the_drawing(tmp_path, monkeypatch):
    """A PNG by :func:`graphkit.viz.to_image` (``graphkit.viz.export``'s), at its own width: past 60 nodes the ones
    numbered are keyed under the drawing, above its note of links."""
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from graphkit.viz import to_image

    seen = []
    heading = "节点编号表：图中只标编号的 1 个节点（共绘 61 个节点，其余 60 个写出名称）"
    real = Figure.savefig

    def keep(fig, *args, **kwargs):
        drawn = [t.get_text() for t in fig.axes[0].texts if isinstance(t, Annotation) and t.get_text()]
        seen.append((drawn, fig.texts))
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    g = two_hops(20, companies=True)
    to_image(g, tmp_path / "x.png", title="张家港市教育局", dpi=40)
    (captions, under) = seen[0]
    assert len(captions) == 61 and captions.count("#1") == 1
    said = [t.get_text() for t in under]
    assert heading in said
    assert "#1　139****0019　电话" in "\n".join(said)  # the phone of the last employee: the least of the named
    # the key between the drawing and the foot's note, one over the other
    (note,) = [t for t in under if t.get_text().startswith("共 ")]
    (head,) = [t for t in under if t.get_text() == heading]
    assert note.get_position()[1] > head.get_position()[1]


def full_ring() -> nx.MultiDiGraph:
    """Four companies (the warning's, ``hop`` 0) each bidding on every one of nine tenders, sharing one phone: 40
    lines, crossing everywhere between the rows."""
    g = small_ring(4, 9)
    nx.set_node_attributes(g, 0, "hop")
    g.add_node("0512-66881234", label="Phone", hop=1)
    for t in range(9):
        g.nodes[f"SZZB20240001{t:02d}"]["hop"] = 1
    for i in range(4):
        g.add_edge(f"9132058{i}MA{i}X7QEA{i}", "0512-66881234", type="HAS_PHONE", src_file="co.csv", src_row=i)
    return g


def test_an_html_label_set_off_its_line_is_tied_to_it_by_a_leader(tmp_path):
    """The HTML case file sets a label where its line has no room beside it on a thin leader from a dot on its line,
    as the printed drawings do (:func:`graphkit.viz.place_labels`): 8 of a ring's 40 lines had gone unlabelled. Each
    label as the page draws it (:data:`graphkit.exports.html.LABELS_JS`) sits on its own line clear of the others,
    or on a leader from its line that starts where no other line is near and crosses none; no label over another or
    over a node."""
    import numpy as np

    page = tmp_path / "ring.html"
    write_case_file(full_ring(), page, CaseInfo("苏纪2024-017", "王科长"))
    text = page.read_text("utf-8")
    nodes, edges = html_positions(text)
    at = {n["id"]: (n["x"], n["y"]) for n in nodes}
    drawn = [e for e in edges if e["from"] != e["to"]]
    lines = {str(i): _dense(np.array([at[e["from"]], at[e["to"]]], dtype=float)) for i, e in enumerate(drawn)}
    labels, leaders = [], []
    for i, e in enumerate(drawn):
        if not e.get("caption"):
            continue
        w = sum(10 if ord(ch) >= 0x2E80 else 6 for ch in e["caption"]) + 4  # as the page sets a 10 px label
        a, b = at[e["from"]], at[e["to"]]
        if e.get("lead"):
            from graphkit.exports.html import beside_box

            (x0, y0, x1, y1), (x, y) = beside_box(a, b, e["at"], *e["lead"], w)
            leaders.append(((x0, y0), (x1, y1)))
        else:
            x, y = a[0] + e["at"] * (b[0] - a[0]), a[1] + e["at"] * (b[1] - a[1])
        labels.append((e["caption"], str(i), (x - w / 2, y - 8, x + w / 2, y + 8)))
    assert len(drawn) == 40
    assert len(labels) >= 37, len(labels)  # (32 on their lines alone)
    assert leaders, "no label set beside its line"
    assert "besideBox(a, b, e.at, e.lead," in text  # the page draws them so (a node dragged too)
    found = faults(lines, labels, leaders, 3.0, 1.0)
    assert not found, found
    boxes = [box for *_, box in labels]
    assert not [(a, b) for a, b in combinations(boxes, 2) if _overlap(a, b)]
    marks = [(n["x"] - 25, n["y"] - 25, n["x"] + 25, n["y"] + 25) for n in nodes]
    assert not [(a, b) for a in boxes for b in marks if _overlap(a, b)]
    assert f"{40 - len(labels)} 条连线过密，未标编号" in text if len(labels) < 40 else "未标编号" not in text


@pytest.mark.skipif(not shutil.which("node"), reason="node missing")
def test_an_html_leader_follows_its_line_when_a_node_is_dragged():
    """The page puts a label set beside its line by the same arithmetic as :func:`graphkit.exports.html.beside_box`,
    from the line's ends as they are (a node dragged): the leader starts on the line, square to it, on the side and
    at the gap placed, and ends at the label's edge."""
    from graphkit.exports.html import BESIDE_JS, beside_box

    cases = [
        ((0, 0), (100, 0), 0.5, [1, 5.0], 30),
        ((10, 20), (70, -60), 0.3, [-1, 11.0], 44),
        ((0, 0), (0, 90), 0.8, [1, 17.0], 24),
    ]
    calls = ",".join(
        f"besideBox({{x:{a[0]},y:{a[1]}}},{{x:{b[0]},y:{b[1]}}},{at},{json.dumps(lead)},{w},16)"
        for a, b, at, lead, w in cases
    )
    out = subprocess.run(
        ["node", "-e", BESIDE_JS + f"\nconsole.log(JSON.stringify([{calls}]));"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for got, (a, b, at, lead, w) in zip(json.loads(out), cases, strict=True):
        leader, (x, y) = beside_box(a, b, at, *lead, w)
        assert got["leader"] == pytest.approx(list(leader)) and (got["x"], got["y"]) == pytest.approx((x, y))
        (px, py, ex, ey), (dx, dy) = leader, (b[0] - a[0], b[1] - a[1])
        assert abs((ex - px) * dx + (ey - py) * dy) < 1e-9  # square to its line
        assert abs(dx * (py - a[1]) - dy * (px - a[0])) < 1e-9  # its dot on the line
        assert max(abs(x - ex) / (w / 2), abs(y - ey) / 8) == pytest.approx(1.0)  # at the label's edge


def test_a_rings_rows_run_the_same_way_up_in_the_html_and_the_printed_drawing(tmp_path):
    """A bid ring is drawn in rows (:func:`graphkit.viz.two_sides`): the companies across the middle, the tenders
    across the foot, the phone they share across the head, on the printed page; the HTML page had them upside down
    (its y grows downwards), the tenders at its head. Read from both: the same row at the head and at the foot."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from graphkit.exports.printed import A4, _first_page
    from graphkit.model import Model
    from graphkit.viz import cjk_font

    def kind(key: str) -> str:  # by its key, masked or not
        return "Tender" if key.startswith("SZZB") else "Company" if key.startswith("9132") else "Phone"

    g = full_ring()
    d = drawing(g)
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4)
        _first_page(fig, d, CaseInfo("苏纪2024-017", "王科长"), Model.default(), A4[1])
        FigureCanvasAgg(fig).get_renderer()
        ax = max(fig.axes, key=lambda a: len(a.texts))
        # each node's mark, as drawn (its caption's point), in the order of the drawn graph's nodes; y up on the page
        printed = [ax.transData.transform(t.xy)[1] for t in ax.texts if isinstance(t, Annotation) and t.get_text()]
    page = tmp_path / "ring.html"
    write_case_file(g, page, CaseInfo("苏纪2024-017", "王科长"))
    nodes, _ = html_positions(page.read_text("utf-8"))
    assert len(printed) == len(nodes) == 14
    # how far down the page each kind's row is: the printed drawing's y turned over, the HTML's as it is
    print_down = {kind(v): -y for v, y in zip(d.drawn.nodes, printed, strict=True)}
    html_down = {kind(n["id"]): n["y"] for n in nodes}
    rows = lambda down: sorted(down, key=down.get)  # noqa: E731  (the kinds from the head of the page to its foot)
    assert rows(print_down) == ["Phone", "Company", "Tender"], print_down
    assert rows(html_down) == rows(print_down), html_down


def test_a_portrait_pages_svg_map_of_70_nodes_names_what_matters_and_keys_the_rest():
    """The portrait's HTML map (:func:`graphkit.viz.to_svg`) named every node up to 200, where the printed map names
    the 60 that matter and numbers the rest: it follows the same rule (:func:`graphkit.viz.node_key`), the numbered
    nodes' names and masked keys in the key under the drawing; no caption over another or over a mark."""
    from graphkit.viz import NAMED_NODES, _overlap, _svg_text_box, to_svg

    g = two_hops(23, companies=True)  # 70 nodes
    svg = to_svg(g)
    found = re.findall(r'<text x="([\d.-]+)" y="([\d.-]+)" font-size="10" text-anchor="(\w+)"[^>]*>([^<]+)<', svg)
    captions = [t for *_, t in found]
    assert len(captions) == 70
    numbered = [x for x in captions if re.fullmatch(r"#\d+", x)]
    assert len(captions) - len(numbered) == NAMED_NODES
    assert {"张家港市教育局", "王伟0", "张娜22"} <= set(captions)  # the subject and its employees by name
    boxes = [_svg_text_box(float(x), float(y), t, 10, a) for x, y, a, t in found]
    assert not [(a, b) for a, b in combinations(boxes, 2) if _overlap(a, b)]
    marks = []  # each node's mark (a circle, a square, a polygon) as its box
    for shape in re.findall(r"<g><title>[^<]*</title>(<[^>]+>)", svg):
        xy = [float(v) for v in re.findall(r'(?:cx|cy|r|x|y|width|height)="([\d.-]+)"', shape)]
        pts = [tuple(map(float, p.split(","))) for p in re.findall(r"[\d.-]+,[\d.-]+", shape)]
        if pts:
            xs, ys = [x for x, _ in pts], [y for _, y in pts]
            marks.append((min(xs), min(ys), max(xs), max(ys)))
        elif shape.startswith("<circle"):
            marks.append((xy[0] - xy[2], xy[1] - xy[2], xy[0] + xy[2], xy[1] + xy[2]))
        else:
            marks.append((xy[0], xy[1], xy[0] + xy[2], xy[1] + xy[3]))
    assert len(marks) == 70
    # a name set away from its mark, or nearer another's, tied to its own by a leader from the mark's edge to its box
    centres = [((a + c) / 2, (b + d) / 2) for a, b, c, d in marks]
    ties = [
        tuple(map(float, t))
        for t in re.findall(
            r'class="gk-caption-leader" x1="([\d.-]+)" y1="([\d.-]+)" '
            r'x2="([\d.-]+)" y2="([\d.-]+)"',
            svg,
        )
    ]

    def dist(b, p) -> float:
        return math.hypot(max(b[0] - p[0], p[0] - b[2], 0.0), max(b[1] - p[1], p[1] - b[3], 0.0))

    own = [dist(b, c) for b, c in zip(boxes, centres, strict=True)]
    needed = 0
    for i, (b, c) in enumerate(zip(boxes, centres, strict=True)):
        others = centres[:i] + centres[i + 1 :]
        if own[i] <= 2.5 * min(own) and min(dist(b, p) for p in others) >= own[i]:
            continue
        needed += 1
        assert [
            t for t in ties if dist(b, t[2:]) < 0.5 and math.dist(t[:2], c) < min(math.dist(t[:2], p) for p in others)
        ], captions[i]
    assert needed
    assert not [(a, b) for a in boxes for b in marks if _overlap(a, b)]
    # the key under the drawing: every number with its node's masked key and kind, no phone in clear
    head = "节点编号表：图中只标编号的 10 个节点（共绘 70 个节点，其余 60 个写出名称）"
    assert head in svg
    keyed = re.findall(r'font-size="9" fill="#333">(#\d+)　([^<]+)</text>', svg)
    assert sorted(no for no, _ in keyed) == sorted(numbered)
    assert "139****0022　电话" in [x for _, x in keyed]
    assert not re.search(r"1391234\d{4}|3205821980010\d{4}", svg), "a key in clear"


def test_an_images_legend_covers_no_mark_name_or_label(tmp_path, monkeypatch):
    """:func:`graphkit.viz.to_image` set its legend in the drawing's top left corner, over whatever was drawn there (a
    bid ring's bank account and its masked number): it is set in a band of its own above the drawing, under the title,
    clear of every mark, name, link label and line."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    from graphkit.viz import crosses, to_image

    seen = {}
    real = Figure.savefig

    def keep(fig, *args, **kwargs):  # measured as drawn, before it is written
        renderer = FigureCanvasAgg(fig).get_renderer()
        ax = fig.axes[0]
        (legend,) = fig.legends or [ax.get_legend()]
        box = tuple(legend.get_window_extent(renderer).extents)
        pt = fig.dpi / 72
        marks = [  # each node's mark, as a box about its centre
            (x - r, y - r, x + r, y + r)
            for c in ax.collections
            for r in [np.sqrt(c.get_sizes()[0]) / 2 * pt]
            for x, y in ax.transData.transform(c.get_offsets())
        ]
        drawn = [tuple(t.get_window_extent(renderer).extents) for t in ax.texts if t.get_text()]
        links = [
            ax.transData.transform([a.xyann, a.xy]) for a in ax.texts if isinstance(a, Annotation) and not a.get_text()
        ]
        seen["over"] = [b for b in marks + drawn if _overlap(b, box)]
        seen["lines"] = sum(crosses(box, tuple(map(tuple, ends))) for ends in links)
        seen["title"] = [t.get_text() for t in fig.texts if _overlap(tuple(t.get_window_extent(renderer).extents), box)]
        seen["entries"] = [t.get_text() for t in legend.get_texts()]
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    to_image(bid_ring(), tmp_path / "ring.png", title="江苏锦盛建设工程有限公司等 4 家企业围标", dpi=40)
    assert len(seen["entries"]) == 5 and "企业 (4)" in seen["entries"], seen["entries"]
    assert not seen["over"] and not seen["lines"] and not seen["title"], seen
