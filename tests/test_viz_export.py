"""Case-file exports: PNG, SVG and PDF with Chinese text that renders, GraphML that keeps every attribute,
the suffix choosing the format, and the CLI's --export."""

from __future__ import annotations

import json
import re
import warnings

import matplotlib
import networkx as nx
import numpy as np
import pytest

from graphkit.viz import CITED_LINKS, FORMATS, citations, cjk_font, export, to_graphml, to_image


@pytest.fixture()
def g():
    g = nx.MultiDiGraph(seed="110105194912310020", hubs={"苏州市城建局": 73})
    g.add_node("110105194912310020", label="Person", name="张伟", hop=0)
    g.add_node("110105195003150041", label="Person", name="李娜", hop=1)
    g.add_node("91320500MA1X0000X1", label="Company", name="某某建设有限公司", hop=2, tags=["围标", "挂靠"])
    g.add_node("T1", label="Tender", title="人民路改造工程", hop=3, budget=np.float64(1.2e6), note=None)
    g.add_edge(
        "110105194912310020",
        "110105195003150041",
        key=1,
        type="FAMILY",
        relation="spouse",
        src_file="family.csv",
        src_row=2,
    )
    g.add_edge(
        "110105195003150041",
        "91320500MA1X0000X1",
        key=2,
        type="SHAREHOLDER_OF",
        percent=60.0,
        src_file="shareholders.csv",
        src_row=2,
    )
    g.add_edge(
        "110105195003150041",
        "91320500MA1X0000X1",
        key=3,
        type="LEGAL_REP_OF",
        percent="n/a",
        src_file="legal_reps.csv",
        src_row=7,
    )
    g.add_edge("91320500MA1X0000X1", "T1", key=-4, type="WON", src_file="bids.csv", src_row=2)
    return g


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_print_formats_render_chinese_without_a_missing_glyph(g, tmp_path, suffix):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for tofu
        p = to_image(g, tmp_path / f"case{suffix}", title="张伟: 配偶持股的公司中标")
    data = p.read_bytes()
    assert len(data) > 2_000
    if suffix == ".pdf":
        assert data.startswith(b"%PDF") and b"NotoSansCJK" in data  # the CJK font travels in the file
    if suffix == ".svg":
        assert "张伟: 配偶持股的公司中标" in data.decode("utf-8")  # the title, as metadata
    if suffix == ".png":
        img = matplotlib.image.imread(p)
        assert img.shape[0] > 500 and (img[..., :3] < 0.5).any()  # something dark was drawn


def test_without_the_cjk_font_the_same_text_is_tofu(tmp_path):
    """The check above can fail: DejaVu Sans alone has no 张, and matplotlib says so."""
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}), warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fig = Figure()
        fig.text(0.5, 0.5, "张伟")
        fig.savefig(tmp_path / "tofu.png")
    assert any("missing from font" in str(x.message) for x in w)
    assert cjk_font() == "Noto Sans CJK SC"


def test_a_drawing_cites_each_link_source(g):
    lines = citations(g, lang="en")
    # the caption a crowded drawing numbers, in English under en (it kept the Chinese 亲属, 中标), its type beside it
    assert lines[0] == "[1] 张伟 → 李娜: family FAMILY [family.csv line 2]"
    assert lines[-1].startswith("[4] 某某建设有限公司 → 人民路改造工程: ") and lines[-1].endswith(
        " WON [bids.csv line 2]"
    )
    assert not re.search("[\u4e00-\u9fff]", lines[-1].split(": ", 1)[1]), lines[-1]
    # in Chinese by default, as the drawing's captions and the path's explanation are (a case file's page)
    lines = citations(g)
    assert lines[0] == "[1] 张伟 → 李娜：亲属〔family.csv 第2行〕"  # its Chinese name alone (it added FAMILY)
    assert lines[-1] == "[4] 某某建设有限公司 → 人民路改造工程：中标〔bids.csv 第2行〕"
    assert len(lines) == g.number_of_edges() <= CITED_LINKS


def test_graphml_keeps_every_attribute(g, tmp_path):
    back = nx.read_graphml(to_graphml(g, tmp_path / "case.graphml", unmask=True), force_multigraph=True)
    assert back.number_of_nodes() == 4 and back.number_of_edges() == 4
    assert back.nodes["110105194912310020"]["name"] == "张伟"
    masked = nx.read_graphml(to_graphml(g, tmp_path / "masked.graphml"), force_multigraph=True)
    assert masked.nodes["1101**********0020"]["name"] == "张伟" and "110105194912310020" not in masked
    assert back.nodes["91320500MA1X0000X1"]["tags"] == '["围标", "挂靠"]'
    assert back.nodes["T1"]["budget"] == 1.2e6 and "note" not in back.nodes["T1"]
    e = {d["type"]: d for _, _, d in back.edges(data=True)}
    assert e["FAMILY"]["src_file"] == "family.csv" and e["FAMILY"]["src_row"] == 2
    assert e["SHAREHOLDER_OF"]["percent"] == "60.0" and e["LEGAL_REP_OF"]["percent"] == "n/a"  # mixed: text
    assert back.graph["hubs"] == '{"苏州市城建局": 73}'


def test_export_picks_the_format_by_suffix(g, tmp_path):
    for suffix in sorted(FORMATS):
        assert export(g, tmp_path / f"x{suffix}", title="t").stat().st_size > 0
    assert "vis-network" in (tmp_path / "x.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"cannot export to '.docx' \(use .graphml, .htm, .html, .pdf, .png, .svg\)"):
        export(g, tmp_path / "x.docx")


def test_an_empty_graph_still_draws(tmp_path):
    assert to_image(nx.MultiDiGraph(), tmp_path / "e.png", title="无结果").exists()


def test_svg_drawing_is_text_in_the_given_font_with_masked_keys():
    """``to_svg``: one marker per node shaped by the model, captions and link numbers as text, personal
    keys masked unless asked, and a legend of the kinds drawn."""
    import networkx as nx

    from graphkit.viz import to_svg

    g = nx.MultiDiGraph()
    g.add_node("320102199003074512", label="Person")
    g.add_node("91320000MA1XXXXX0X", label="Company", name="苏州宏远建设有限公司")
    g.add_edge("320102199003074512", "91320000MA1XXXXX0X", type="SHAREHOLDER_OF", src_file="s.csv", src_row=3)
    svg = to_svg(g, font_family="MyFont")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and 'font-family="MyFont, sans-serif"' in svg
    assert "320102199003074512" not in svg and "3201**********4512" in svg
    assert "苏州宏远建设有限公司" in svg and "[1]" in svg
    assert svg.count("<polygon") + svg.count("<circle") + svg.count("<rect") == 4  # two nodes, two in the legend
    assert "320102199003074512" in to_svg(g, unmask=True)
    assert to_svg(nx.MultiDiGraph()).endswith("</svg>")


def test_graphml_is_the_same_bytes_whatever_order_the_graph_was_built_in(tmp_path):
    """Node order and attribute order changed the file (key ids d19-d23 swapped between two runs)."""
    import datetime

    def build(order):
        g = nx.MultiDiGraph()
        for n in order:
            attrs = {"label": "Company", "name": f"公司{n}", "risk": 0.5, "registered_date": datetime.date(2002, 7, 3)}
            if n == "c":
                attrs = dict([*reversed(list(attrs.items())), ("community", 1)])
            g.add_node(n, **attrs)
        for u, v in (("a", "b"), ("b", "c"), ("c", "a")) if order[0] == "a" else (("c", "a"), ("b", "c"), ("a", "b")):
            g.add_edge(u, v, key=f"{u}{v}", type="CO_BID", tenders=2, src_file="bids.csv", src_row=3)
        return g

    p1 = to_graphml(build(["a", "b", "c"]), tmp_path / "1.graphml", unmask=True)
    p2 = to_graphml(build(["c", "b", "a"]), tmp_path / "2.graphml", unmask=True)
    assert p1.read_bytes() == p2.read_bytes()
    back = nx.read_graphml(p1)
    assert back.nodes["a"]["registered_date"] == "2002-07-03"  # ISO text, not '"2002-07-03"'


def test_tooltips_round_numbers_before_masking():
    """A float written with all its digits was then masked as a bank account: 'risk: 0.9715********5611' (the
    line reads 风险: 0.97 in Chinese, written into the page's JSON escaped)."""
    import json

    from graphkit.viz import html_page

    g = nx.MultiDiGraph()
    g.add_node("91320000MA1X2Y3Z4A", label="Company", name="某某建设有限公司", risk=0.9715283745611)
    g.add_node("91320000MA1X2Y3Z5B", label="Company", name="某某工程有限公司", risk=0.12)
    g.add_edge("91320000MA1X2Y3Z4A", "91320000MA1X2Y3Z5B", type="CO_BID", tenders=3, weight=1.2345678901234)
    page = html_page(g)
    assert json.dumps("风险: 0.97")[1:-1] in page and "0.9715" not in page and "weight=1.23" in page


def test_a_graph_page_has_a_legend_of_its_colours_shapes_and_link_kinds():
    """communities.html (``graphkit collusion score``) drew orange diamonds, blue, green and brown dots, wide links
    captioned 共同投标 ×9 and links with no caption, and nothing on the page said what any of them meant. The page
    now sets a legend beside the graph: each kind of node with its colour, shape and count, each kind of link with
    what it means, in Chinese with the English, inside the page (no request out of it)."""
    import re

    from graphkit.model import Model
    from graphkit.viz import html_page

    c1, c2, phone = "91320000MA1X2Y3Z4A", "91320000MA1X2Y3Z5B", "13812345678"
    g = nx.MultiDiGraph()
    g.add_node(c1, label="Company", name="某某建设有限公司")
    g.add_node(c2, label="Company", name="某某工程有限公司")
    g.add_node(phone, label="Phone", signal="phone")
    g.add_edge(c1, c2, type="CO_BID", tenders=9, weight=12.5)
    g.add_edge(c1, phone, type="SHARED", signal="phone")
    g.add_edge(c2, phone, type="SHARED", signal="phone")
    page = html_page(g)
    found = re.findall(r"<aside class='gk-legend'>.*?</aside>", page, flags=re.S)
    assert len(found) == 1, "no legend on the page"
    legend = found[0]
    assert page.index('id="mynetwork"') < page.index(legend)  # beside the graph, in its card
    text = re.sub(r"<[^>]+>", " ", legend)
    model = Model.default()
    for label, n, mark in (("Company", 2, "<polygon"), ("Phone", 1, "<circle")):
        entry = next(li for li in re.findall(r"<li>.*?</li>", legend) if model.display_name(label) in li)
        assert model.style(label)["color"] in entry and mark in entry and f"({n})" in entry, entry
    assert "企业 (2)" in text and "电话" in text
    assert "共同投标 (1)" in text and "共用 (2)" in text
    assert "无文字的线" in text  # what a link drawn with no words means
    assert "线越粗" in text  # a wider co-bidding link weighs more
    # in Chinese alone under the Chinese default (it read 图例 legend, 企业 company (2), hover for details …)
    assert not re.search(r"[A-Za-z]{3,}", text), text
    assert "http" not in legend
    en = re.sub(r"<[^>]+>", " ", re.findall(r"<aside class='gk-legend'>.*?</aside>", html_page(g, lang="en"))[0])
    assert "company (2)" in en and "bid together (1)" in en and "without a caption" in en
    assert not re.search(r"[\u4e00-\u9fff]", en), en  # in English alone under lang="en"


def _node_centres(svg: str) -> list[tuple[float, float]]:
    import re

    # the nodes' circles (r 9 or 6); the legend's are smaller
    found = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    return [(float(x), float(y)) for x, y, r in found if float(r) >= 6]


def test_a_graph_of_two_nodes_is_drawn_near_the_middle_not_across_the_page(tmp_path):
    """Two nodes were pulled to opposite corners of the page (a link a page's diagonal long, in a case file of a
    sanctioned person and his one sanction); they now sit near the middle, as far apart as nodes of a larger
    graph would be. In the inline SVG and in matplotlib's drawing (the case file's and ``to_image``'s axes)."""
    from matplotlib.figure import Figure

    from graphkit.exports.printed import _draw
    from graphkit.model import Model
    from graphkit.viz import spread, to_svg

    g = nx.MultiDiGraph([("p1", "p2", {"type": "RELATIVE_OF"})])
    for v in g:
        g.nodes[v]["label"] = "Person"
    width, height = 900, int(900 * 0.72)
    (x0, y0), (x1, y1) = _node_centres(to_svg(g, width=width))
    assert np.hypot(x1 - x0, y1 - y0) < 0.5 * np.hypot(width, height)
    assert abs((x0 + x1) / 2 - width / 2) < 1 and abs((y0 + y1) / 2 - height / 2) < 1
    big = nx.MultiDiGraph(nx.path_graph(20))
    for v in big:
        big.nodes[v]["label"] = "Person"
    xs = [x for x, _ in _node_centres(to_svg(big, width=width))]
    assert max(xs) - min(xs) > 0.8 * width  # 16 nodes or more still fill the drawing
    for graph in (g, big):
        ax = Figure().add_subplot()
        _draw(ax, graph, Model.default(), {})
        pts = np.vstack([c.get_offsets() for c in ax.collections])
        span = np.ptp(pts, axis=0).max() / np.diff(ax.get_xlim())[0]
        assert span < 0.5 if graph is g else span > 0.7, span
    assert spread(2) < spread(9) < spread(16) == spread(400) == 1.0


def _looped() -> nx.MultiDiGraph:
    """A company holding its own shares twice over (two rows), and one shareholder."""
    g = nx.MultiDiGraph()
    g.add_node("91320500MA1X0000X1", label="Company", name="某某建设有限公司")
    g.add_node("110105195003150041", label="Person", name="李娜")
    g.add_edge("110105195003150041", "91320500MA1X0000X1", type="SHAREHOLDER_OF", src_file="s.csv", src_row=2)
    for row in (3, 4):
        g.add_edge("91320500MA1X0000X1", "91320500MA1X0000X1", type="SHAREHOLDER_OF", src_file="s.csv", src_row=row)
    return g


def test_a_link_from_a_node_to_itself_is_drawn_as_a_loop_in_every_drawing(tmp_path):
    """A company holding its own shares was listed in the appendix but not drawn: matplotlib's arrow from a point
    to itself has no length and the SVG path had none either; the link's caption sat on the node. Each link to
    itself is now a loop beside its node, the second wider than the first, in the inline SVG, in the printed
    case file's drawing and in ``to_image``."""
    import re

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from graphkit.exports.printed import _draw
    from graphkit.model import Model
    from graphkit.viz import to_svg

    g = _looped()
    svg = to_svg(g)
    links = re.findall(r'<path d="([^"]+)" fill="none" stroke="#8a8a8a"', svg)
    assert len(links) == g.number_of_edges()
    points = [np.array(re.findall(r"(-?[\d.]+),(-?[\d.]+)", d), dtype=float) for d in links]
    extents = sorted(np.ptp(p, axis=0).max() for p in points)
    assert extents[0] > 20, extents  # the loops' control points reach out from the node, no link is a point
    # the printed case file's axes: every link an arrow of some length on the page
    numbered = {(u, v, k): str(i) for i, (u, v, k) in enumerate(g.edges(keys=True), start=1)}
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure()
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        _draw(ax, g, Model.default(), numbered)
        fig.canvas.draw()  # places the annotations' arrows
    renderer = fig.canvas.get_renderer()
    arrows = [a.arrow_patch for a in ax.texts if getattr(a, "arrow_patch", None) is not None] + list(ax.patches)
    sizes = sorted(max(b.width, b.height) for b in (a.get_window_extent(renderer) for a in arrows))
    assert len(sizes) == g.number_of_edges() and sizes[0] > 10, sizes
    numbers = {t.get_text() for t in ax.texts}
    loops = "\n".join(i for (u, v, _), i in numbered.items() if u == v)
    assert loops in numbers and len(loops) == 3  # both loops' numbers beside them, one a line
    # vis-network (the HTML case file, the widgets) draws a node's loops one over the other unless told apart
    from graphkit.viz import to_html
    from graphkit.widgets.graph import vis_items

    sizes = [e.get("selfReference", {}).get("size", 20) for e in vis_items(g)[1] if e["from"] == e["to"]]
    assert sorted(sizes) == [20, 38]
    page = to_html(g, tmp_path / "g.html").read_text(encoding="utf-8")
    assert page.count('"selfReference": {"size": 38}') == 1
    # to_image: a lone company's loop stands above it (its caption is below), grey where the old drawing had
    # nothing but white
    from PIL import Image

    alone = nx.MultiDiGraph()
    alone.add_node("91320500MA1X0000X1", label="Company", name="某某建设有限公司")
    alone.add_edge("91320500MA1X0000X1", "91320500MA1X0000X1", type="SHAREHOLDER_OF", src_file="s.csv", src_row=3)
    rgb = np.asarray(Image.open(to_image(alone, tmp_path / "a.png", dpi=200)).convert("RGB"), dtype=int)
    h, w, _ = rgb.shape
    orange = (rgb[..., 0] > 200) & (rgb[..., 1] > 90) & (rgb[..., 1] < 160) & (rgb[..., 2] < 60)
    orange[:, : w // 5] = False  # not the legend's marker
    ys, xs = np.nonzero(orange)
    cy, cx = ys.mean(), xs.mean()
    grey = (np.ptp(rgb, axis=2) < 12) & (rgb[..., 0] > 100) & (rgb[..., 0] < 180)
    gy, gx = np.nonzero(grey)
    above = (cy - gy > 45) & (cy - gy < 200) & (np.abs(gx - cx) < 120)
    assert above.sum() > 100, above.sum()


def test_a_case_file_names_the_kinship_and_the_share_of_each_link():
    """The case file's appendix and drawing said only 亲属 FAMILY and 股东 SHAREHOLDER_OF, where the console said
    "parent of", "spouse of" and "100% shareholder of": a case officer could not tell the tie from the file."""
    from graphkit.exports import appendix
    from graphkit.viz import edge_caption

    g = nx.MultiDiGraph()
    for k, name in (("P1", "陈春"), ("P2", "陈勇"), ("P3", "于宇鹏")):
        g.add_node(k, label="Person", name=name)
    g.add_node("C1", label="Company", name="某某建设有限公司")
    g.add_edge("P1", "P2", type="FAMILY", relationship="parent", src_file="family.csv", src_row=3)
    g.add_edge("P1", "P3", type="FAMILY", relationship="spouse", src_file="family.csv", src_row=2)
    g.add_edge("P3", "C1", type="SHAREHOLDER_OF", percent=60.0, src_file="shareholders.csv", src_row=2)
    rows = {(r["source"].split(" ")[0], r["target"].split(" ")[0]): r["type_zh"] for r in appendix(g)}
    assert rows == {
        ("陈春", "陈勇"): "亲属·父母",
        ("陈春", "于宇鹏"): "亲属·配偶",
        ("于宇鹏", "某某建设有限公司"): "股东 60%",
    }
    assert edge_caption({"type": "FAMILY", "relationship": "spouse"}, lang="en").endswith("(spouse)")


def test_a_crowded_drawing_numbers_its_links_instead_of_writing_over_the_captions(tmp_path, monkeypatch):
    """A portrait's map (a unit, its fuel cards and their cars: a star of short links with long captions) had
    加油卡持卡单位 [4] written across a card's number and the unit's name. A label that would cover a caption, a
    marker or another label is now beside its line on a leader (:func:`graphkit.viz.place_labels`), else its number
    alone, the numbered list under the drawing giving its caption; a label with room (two nodes far apart) stays
    whole."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

    import graphkit.viz as viz

    seen = {}
    real = Figure.savefig

    def keep(fig, *args, **kwargs):  # the drawing as placed, before it is written
        ax = fig.axes[0]
        renderer = FigureCanvasAgg(fig).get_renderer()
        captions = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()]
        labels = [t for t in ax.texts if not isinstance(t, Annotation) and t.get_visible() and t.get_text()]
        boxes = [c.get_window_extent(renderer) for c in captions]
        seen["over"] = [t.get_text() for t in labels if any(t.get_window_extent(renderer).overlaps(b) for b in boxes)]
        seen["labels"] = [t.get_text() for t in labels]
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    # the captions left under their nodes, where the star's labels would cover them (the captions move clear of the
    # links first, :func:`viz._place_captions`: a caption with no free spot still meets them)
    monkeypatch.setattr(viz, "_place_captions", lambda *a, **k: 0)
    unit = "11320500065240391Y"
    g = nx.MultiDiGraph()
    g.add_node(unit, label="Organization", name="苏州市城市管理局")
    for k in range(4):
        card, car = f"100011320052159443{k}", f"苏E·4{k}6ES"
        g.add_node(card, label="FuelCard")
        g.add_node(car, label="Vehicle", kind="official")
        g.add_edge(card, unit, type="CARD_HELD_BY", src_file="fuel_cards.csv", src_row=2 + k)
        g.add_edge(card, car, type="CARD_FOR", src_file="fuel_cards.csv", src_row=2 + k)
    to_image(g, tmp_path / "star.png", unmask=True)
    assert seen["labels"] and not seen["over"], seen
    # each link labelled: its caption on its line, or beside it on a leader where the line has no room, else its number
    assert len(seen["labels"]) == 8 and all(re.search(r"\[\d+\]$", x) for x in seen["labels"]), seen
    assert "：加油卡持卡单位〔" in "\n".join(citations(g))  # the caption a number stands for
    pair = nx.MultiDiGraph()
    pair.add_node("110105194912310020", label="Person", name="张伟")
    pair.add_node("110105195001010027", label="Person", name="李娜")
    pair.add_edge("110105194912310020", "110105195001010027", type="FAMILY", relationship="spouse", src_row=2)
    to_image(pair, tmp_path / "pair.png", unmask=True)
    assert seen["labels"] == ["亲属·配偶 [1]"] and not seen["over"], seen


def _holder() -> nx.MultiDiGraph:
    """A person's map: the person holding shares in eight companies with long names, and four siblings each an
    executive of a company (the demo's 罗静嘉 has six companies and relatives' ones)."""
    names = "博鑫宏明嘉优明众锦明晟达新海安安"
    g = nx.MultiDiGraph()
    person = "370827198209127787"
    g.add_node(person, label="Person", name="罗静嘉")
    for k in range(8):
        g.add_node(f"C{k}", label="Company", name=f"太仓{names[2 * k : 2 * k + 2]}装饰工程有限公司")
        g.add_edge(person, f"C{k}", type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=2 + k)
    for k in range(4):
        g.add_node(f"R{k}", label="Person", name=f"罗{'一二三四'[k]}")
        g.add_edge(person, f"R{k}", type="FAMILY", relationship="sibling", src_file="family.csv", src_row=2 + k)
        g.add_node(f"D{k}", label="Company", name=f"苏州{names[2 * k : 2 * k + 2]}科技有限公司")
        g.add_edge(f"R{k}", f"D{k}", type="EXECUTIVE_OF", src_file="executives.csv", src_row=2 + k)
    return g


def test_a_persons_map_writes_no_company_name_over_another(tmp_path, monkeypatch):
    """A person's map had the names of the companies the person holds written one over another (only the links'
    labels were decluttered). A caption that would cover another caption or a marker now goes above, beside or
    further from its node, in the PDF's drawing (matplotlib) and in the HTML's (SVG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import graphkit.viz as viz

    seen = {}

    def spy(fig, captions, markers, gap, *links):  # noqa: ANN001
        renderer = FigureCanvasAgg(fig).get_renderer()

        def overlapping():
            boxes = [c.get_window_extent(renderer) for c in captions]
            return sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])

        seen["before"] = overlapping()
        seen["moved"] = real(fig, captions, markers, gap, *links)
        seen["after"] = overlapping()
        return seen["moved"]

    real = viz._place_captions
    monkeypatch.setattr(viz, "_place_captions", spy)
    # the nodes left where the layout put them (to_image pushes apart marks whose names would meet, viz.apart, before
    # the names are placed): the names placed clear of each other from there
    monkeypatch.setattr(viz, "apart", lambda ax, g, pos, *_: pos)
    to_image(_holder(), tmp_path / "holder.png", unmask=True)
    assert seen["before"] > 0 and seen["moved"] > 0 and seen["after"] == 0, seen
    svg = viz.to_svg(_holder(), unmask=True)
    boxes = [
        viz._svg_text_box(float(x), float(y), t, 10, a)
        for x, y, a, t in re.findall(
            r'<text x="([\d.-]+)" y="([\d.-]+)" font-size="10" text-anchor="(\w+)"[^>]*>([^<]+)<', svg
        )
    ]
    assert len(boxes) == 17
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if viz._overlap(a, b)]


def test_the_svg_map_is_as_large_as_its_drawing(tmp_path):
    """The HTML portrait's static map of a few nodes was a 900 × 648 box with the graph small in its middle, most
    of it empty: the SVG's box is now what is drawn (markers, captions, labels) and a margin, the legend in a row
    above it, and it is shown no wider than it is drawn."""
    from graphkit.viz import to_svg

    g = nx.MultiDiGraph([("110105194912310020", "110105195001010027", {"type": "FAMILY", "relationship": "spouse"})])
    for v in g:
        g.nodes[v].update(label="Person", name="张伟")
    svg = to_svg(g, unmask=True)
    x0, y0, w, h = map(float, re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"', svg).groups())
    (ax, ay), (bx, by) = _node_centres(svg)
    assert w * h < 0.1 * 900 * 648, (w, h)  # it was the whole 900 × 648
    assert x0 <= min(ax, bx) - 9 and x0 + w >= max(ax, bx) + 9 and y0 + h >= max(ay, by) + 20
    assert f"max-width:{w:.0f}px" in svg


def test_money_is_written_in_yuan_with_one_formatter_in_captions_links_hover_texts_and_the_appendix():
    """A case file captioned a contract ``8,063,659.17`` and a reception ``2,248.20`` with no currency, the hover
    text read ``金额: 8,063,659``, and a portrait's map drew 付款 with no amount though its legend promised the total,
    where the portrait's own text wrote ``806.4 万元``: every face now writes money with graphkit.model.money."""
    import json

    from graphkit.exports import appendix, caption
    from graphkit.model import money
    from graphkit.portrait_render import _money
    from graphkit.risk.features import format_value
    from graphkit.viz import edge_caption, html_page, node_caption, tooltip

    g = nx.MultiDiGraph()
    g.add_node("HT20230000112", label="Contract", amount=8063659.17, signed_date="2023-11-11")
    g.add_node("JD00000057", label="ReceptionExpense", amount=2248.2, date="2023-05-24", guests=8)
    g.add_node("913205814511112691", label="Company", name="常熟华达工程咨询有限公司")
    g.add_node("11320509025040352J", label="Organization", name="苏州市吴江区桃源镇人民政府")
    g.add_edge("HT20230000112", "913205814511112691", type="AWARDED_TO", amount=8063659.17, src_file="c.csv", src_row=2)
    g.add_edge("11320509025040352J", "913205814511112691", type="PAID", amount=8063659.17, src_file="c.csv", src_row=2)
    assert money(8063659.17, "CNY", "zh") == "806.4 万元" == format_value(8063659.17, "money")
    # the pre-portrait exact, its amounts listed under their totals (test_money_totals.py)
    assert _money(8063659.17) == money(8063659.17, "CNY", "zh", exact=True) == "8,063,659.17 元"
    assert node_caption("HT20230000112", g.nodes["HT20230000112"]) == "806.4 万元"
    assert caption("JD00000057", g.nodes["JD00000057"]) == "2,248.20 元 2023-05-24"
    assert node_caption("JD00000057", g.nodes["JD00000057"], lang="en") == "¥2,248.20 2023-05-24"
    assert edge_caption(g.edges["11320509025040352J", "913205814511112691", 0]) == "付款 806.4 万元"
    assert "金额: 806.4 万元" in tooltip("HT20230000112", g.nodes["HT20230000112"]).splitlines()
    rows = {r["type"]: r["type_zh"] for r in appendix(g)}
    assert rows["AWARDED_TO"].endswith(" 806.4 万元") and rows["PAID"] == "付款 806.4 万元", rows
    assert "806.4 万元" in "\n".join(citations(g))
    page = html_page(g)
    assert json.dumps("amount=806.4 万元")[1:-1] in page and "8063659" not in page
    # a currency the record names is kept: an FtM payment in euros is no yuan
    assert node_caption("p", {"label": "Payment", "amount": 113969.15, "currency": "EUR"}) == "€113,969.15"


def _unit_map() -> nx.MultiDiGraph:
    """A unit's map as a portrait draws it: the unit paid six suppliers, holds a fuel card for a car, and employs an
    official whose spouse's child holds one of the suppliers (the demo's 苏州市吴江区桃源镇人民政府)."""
    unit = "11320509025040352J"
    g = nx.MultiDiGraph()
    g.add_node(unit, label="Organization", name="苏州市吴江区桃源镇人民政府")
    for k, name in enumerate(
        ("常熟华达工程咨询", "吴江通致环保科技", "苏州远源电子科技", "吴江致瑞贸易", "苏州恒安建设")
    ):
        g.add_node(f"C{k}", label="Company", name=f"{name}有限公司")
        g.add_edge(unit, f"C{k}", type="PAID", amount=1e6 * (k + 1), src_file="contracts.csv", src_row=2 + k)
    g.add_node("1000113200778945120", label="FuelCard")
    g.add_node("苏E·94W96", label="Vehicle", kind="official")
    g.add_edge("1000113200778945120", unit, type="CARD_HELD_BY", src_file="fuel_cards.csv", src_row=35)
    g.add_edge("1000113200778945120", "苏E·94W96", type="CARD_FOR", src_file="fuel_cards.csv", src_row=35)
    for k, name in enumerate(("常永", "赵玲颖", "潘思瑶")):
        g.add_node(f"P{k}", label="Person", name=name)
    g.add_edge("P0", unit, type="EMPLOYED_BY", src_file="roster.csv", src_row=89)
    g.add_edge("P0", "P1", type="FAMILY", relationship="spouse", src_file="family.csv", src_row=2763)
    g.add_edge("P1", "P2", type="FAMILY", relationship="child", src_file="family.csv", src_row=3304)
    g.add_edge("P2", "C0", type="SHAREHOLDER_OF", percent=100.0, src_file="shareholders.csv", src_row=220)
    return g


def _crossed_captions(fig, ax) -> list[str]:
    """The node captions of a matplotlib drawing that a link's line passes through (the links are the arrows
    drawn from data point to data point, the captions the annotations offset from their node)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.path import Path as MPath
    from matplotlib.text import Annotation

    renderer = FigureCanvasAgg(fig).get_renderer()
    notes = [t for t in ax.texts if isinstance(t, Annotation)]
    links = [ax.transData.transform([t.xyann, t.xy]) for t in notes if not t.get_text() and t.arrow_patch is not None]
    out = []
    for t in notes:
        if t.get_text() and t.anncoords == "offset points":
            box = t.get_window_extent(renderer)
            if any(MPath(seg).intersects_bbox(box, filled=False) for seg in links):
                out.append(t.get_text())
    return out


def _haloed(fig, ax, texts: list[str]) -> bool:
    """Whether each of these captions is written on a white ground (the line under it hidden), as text still."""
    return all(
        t.get_bbox_patch() is not None and tuple(t.get_bbox_patch().get_facecolor()[:3]) == (1.0, 1.0, 1.0)
        for t in ax.texts
        if t.get_text() in texts
    )


def test_no_link_is_drawn_across_a_node_s_caption(tmp_path, monkeypatch):
    """A unit's map and a case file wrote the unit's name and the suppliers' under the lines of the links (the
    captions went below each node whatever crossed them; the case file's drawing moved none): a caption now goes
    where no link crosses it, in the portrait's map (viz.to_image), the case file's drawing and the HTML's SVG;
    a hub's, with links on every side, where it is crossed least and on a white ground (the SVG's have a halo)."""
    import graphkit.viz as viz
    from graphkit.exports.printed import _draw
    from graphkit.model import Model

    g = _unit_map()
    seen = {}
    real = viz._place_captions

    def spy(fig, captions, markers, gap, *rest):  # noqa: ANN001
        seen["before"] = _crossed_captions(fig, captions[0].axes)
        moved = real(fig, captions, markers, gap, *rest)
        seen["after"] = _crossed_captions(fig, captions[0].axes)
        seen["haloed"] = _haloed(fig, captions[0].axes, seen["after"])
        return moved

    monkeypatch.setattr(viz, "_place_captions", spy)
    to_image(g, tmp_path / "unit.png", unmask=True)
    assert len(seen["before"]) >= 3 and seen["after"] == ["苏州市吴江区桃源镇人民政府"] and seen["haloed"], seen
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=(8, 6))
        ax = fig.add_axes((0.04, 0.04, 0.92, 0.92))
        _draw(ax, g, Model.default(), {})
        crossed = _crossed_captions(fig, ax)
    assert len(crossed) <= 1 and _haloed(fig, ax, crossed), crossed
    # the SVG: no link's straight line through a caption's box but the hub's
    svg = viz.to_svg(g, unmask=True)
    boxes = {
        t: viz._svg_text_box(float(x), float(y), t, 10, a)
        for x, y, a, t in re.findall(
            r'<text x="([\d.-]+)" y="([\d.-]+)" font-size="10" text-anchor="(\w+)"[^>]*>([^<]+)<', svg
        )
    }
    assert len(boxes) == g.number_of_nodes()
    ends = re.findall(r'<path d="M([\d.-]+),([\d.-]+) Q[\d.,-]+ ([\d.-]+),([\d.-]+)"', svg)
    assert len(ends) == g.number_of_edges()
    from matplotlib.path import Path as MPath
    from matplotlib.transforms import Bbox

    lines = [MPath([(float(a), float(b)), (float(c), float(d))]) for a, b, c, d in ends]
    crossed = [
        t for t, b in boxes.items() if any(p.intersects_bbox(Bbox.from_extents(*b), filled=False) for p in lines)
    ]
    assert len(crossed) <= 1, crossed


def test_the_html_case_file_s_hover_texts_write_money_as_the_page_does(tmp_path):
    """The HTML case file's link hover read ``amount=8063659.17`` (its own copy of the props line, apart from the
    graph page's): both now go through viz.link_props, an amount as money."""
    import json

    from graphkit.exports import CaseInfo, write_case_file

    g = nx.MultiDiGraph()
    g.add_node("HT20230000112", label="Contract", amount=8063659.17)
    g.add_node("913205814511112691", label="Company", name="常熟华达工程咨询有限公司")
    g.add_edge("HT20230000112", "913205814511112691", type="AWARDED_TO", amount=8063659.17, src_file="c.csv", src_row=2)
    page = write_case_file(g, tmp_path / "c.html", CaseInfo(case="巡2024-03", by="王科长")).path.read_text(
        encoding="utf-8"
    )
    assert json.dumps("amount=806.4 万元")[1:-1] in page and "8063659" not in page


def test_the_html_case_file_is_laid_out_evenly_not_by_the_physics(tmp_path):
    """The HTML case file was left to vis-network's physics, which packed a unit with its contracts, invoices and
    payments into a ball, captions over one another: each node now has its place (viz.layout_positions, as the
    demo's pages and the portrait's map), the physics off."""
    from graphkit.exports import CaseInfo, write_case_file

    g = _unit_map()
    page = write_case_file(g, tmp_path / "c.html", CaseInfo(case="巡2024-03", by="王科长")).path.read_text(
        encoding="utf-8"
    )
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1))
    assert len(nodes) == g.number_of_nodes()
    assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in nodes)
    assert re.search(r'"physics":\s*\{\s*"enabled":\s*false', page)


def test_a_path_s_chinese_sentence_writes_a_payment_in_yuan_as_the_other_faces():
    """``path`` (Chinese) named a payment ``支付 ¥2,419,097.75 2023-09-17`` where the portrait and the case file
    write ``241.9 万元``; English keeps ``¥2,419,097.75``, and a payment in euros its sign in either."""
    from graphkit.paths import Node, _describe, _describe_zh

    pay = Node("ZF0000000228", "Payment", {"amount": 2419097.75, "currency": "CNY", "date": "2023-09-17"})
    assert _describe_zh(pay, {}, {}) == "支付 241.9 万元 2023-09-17"
    assert _describe(pay, {}, {}, lang="en") == "payment ¥2,419,097.75 2023-09-17"
    eur = Node("f4fc", "Payment", {"amount": 100000.0, "currency": "EUR", "date": "2011-12-29"})
    assert _describe_zh(eur, {}, {}) == "支付 €100,000 2011-12-29"


def _page_nodes(page: str) -> list[dict]:
    return json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1))


def test_an_html_page_places_every_node_the_same_way_up_as_the_printed_drawing():
    """The demo's pages and the portrait's interactive map (:func:`graphkit.viz.html_page` with ``positions``) had
    their persons unplaced (their keys masked in the page, the positions given by the keys in clear: vis-network put
    the official anywhere, over another's name), and the rest upside down against the printed drawing of the same
    graph (the page's y grows downwards). Every node now has its place, the drawing reads the same way up as printed
    (:func:`graphkit.viz.page_positions`), and no caption meets another."""
    from graphkit.viz import _overlap, caption_width, html_page, layout_positions, page_positions

    g = nx.relabel_nodes(_unit_map(), {f"P{k}": f"32058219800101{k:03d}2" for k in range(3)})
    nodes = _page_nodes(html_page(g, positions=page_positions(g)))
    assert len(nodes) == g.number_of_nodes()
    assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in nodes), nodes
    assert not [n for n in nodes if "3205821980010" in n["id"]], "a key in clear"
    # the page's y down, the printed drawing's up (matplotlib): the same nodes high and low on both
    printed = [y for _, y in layout_positions(g).values()]  # (mask_graph keeps the nodes' order)
    assert np.corrcoef(printed, [-n["y"] for n in nodes])[0, 1] > 0.9
    half = {n["id"]: caption_width(n["label"], 14) / 2 for n in nodes}
    # each caption under its mark (vis-network's dot, 14 px type)
    boxes = [(n["x"] - half[n["id"]], n["y"] + 10, n["x"] + half[n["id"]], n["y"] + 28) for n in nodes]
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)]


def test_a_link_whose_caption_has_no_room_on_its_line_has_it_beside_on_a_leader(tmp_path, monkeypatch):
    """A portrait's map (to_image, to_svg) numbered its 付款 links [1], [3] with no caption, the amount making the
    caption longer than the line had room for, where every shorter link had its caption: :func:`place_labels` sets
    such a caption beside its line on a leader, in place of the number alone, where there is room there."""
    from graphkit import viz

    line = np.array([[0.0, 0.0], [60.0, 0.0]])
    marks = [(-8.0, -8.0, 8.0, 8.0), (52.0, -8.0, 68.0, 8.0)]  # the caption on the line would cover them
    full = "付款 806.4 万元 [1]"
    (text, (x, y), leader), *_ = viz.place_labels(
        [line], [("[1]", full)], lambda s: (6.0 * len(s), 8.0), marks, clear=3.0, gaps=(4.0, 8.0)
    ).values()
    assert text == full and leader is not None and abs(y) >= 8.0 + 4.0, (text, x, y, leader)
    (dot, end) = leader
    assert dot[1] == 0.0 and 0.0 < dot[0] < 60.0  # from a dot on its line
    # on the portrait's unit map at to_image's own width: the links that had only their number
    got = []
    real = viz.place_labels
    monkeypatch.setattr(viz, "place_labels", lambda *a, **k: got.append(real(*a, **k)) or got[-1])
    viz.to_image(_unit_map(), tmp_path / "u.png", dpi=30)
    said = [t for t, _, _ in got[0].values()]
    assert "付款 100.0 万元 [1]" in said and "股东 100% [11]" in said, said


def test_a_tender_with_its_name_alone_is_captioned_by_it_not_by_its_key():
    """A tender drawn from a bid ring's bids has its ``name`` alone, not the ``title`` nodes.yaml declares its caption:
    to_svg and to_image captioned it by its key (SZZB2024000001); it is captioned by its name, as the case files'
    and the widgets' captions read it (:meth:`graphkit.model.Model.caption`)."""
    from graphkit.viz import node_caption, to_svg

    g = nx.MultiDiGraph()
    g.add_node("91320500MA1X0000X1", label="Company", name="某某建设有限公司")
    g.add_node("SZZB2024000001", label="Tender", name="人民路改造工程")
    g.add_edge("91320500MA1X0000X1", "SZZB2024000001", type="BID", price=1.2e6)
    assert node_caption("SZZB2024000001", g.nodes["SZZB2024000001"]) == "人民路改造工程"
    captions = re.findall(r'font-size="10" text-anchor="\w+"[^>]*>([^<]+)</text>', to_svg(g))
    assert sorted(captions) == ["人民路改造工程", "某某建设有限公司"], captions


def test_an_html_page_writes_no_link_label_over_a_name_or_a_mark():
    """vis-network wrote each link's label at its line's middle, over a node's name where the line passed one (the
    demo portrait's interactive map: 付款 806.4 万元 over 常熟华达工程咨询有限公司). :func:`graphkit.viz.html_page`
    with fixed positions places them as the HTML case file does (:func:`graphkit.viz.place_labels`): each link
    labelled, on its line or on a leader beside it, over no node's mark or name and no other label; a pair's two
    links (a bid ring's bid and award) one line, their captions joined, as the case file draws them (vis-network wrote
    each at its curve's middle, over a company's name)."""
    from graphkit.exports.html import beside_box, label_box
    from graphkit.viz import _overlap, caption_width, html_page, page_positions

    g = _unit_map()
    g.add_edge("C1", "11320509025040352J", type="WON", tenders=2)  # and paid: two links of one pair
    page = html_page(g, positions=page_positions(g))
    nodes = _page_nodes(page)
    edges_of = re.compile(r"edges = new vis\.DataSet\((\[.*?\])\);", re.S)
    edges = json.loads(edges_of.search(page).group(1))
    at = {n["id"]: (n["x"], n["y"]) for n in nodes}
    taken = []
    for n in nodes:  # each mark (vis-network's 25 px) and its name under it (14 px)
        x, y, half = n["x"], n["y"], caption_width(n["label"], 14) / 2
        taken += [(n["label"], (x - 25, y - 25, x + 25, y + 25)), (n["label"], (x - half, y + 25, x + half, y + 44))]
    labels = []
    for e in edges:
        text = e.get("caption") or e.get("label")  # vis-network writes a "label" at the middle
        if not text:
            continue
        a, b, share = at[e["from"]], at[e["to"]], e.get("at", 0.5)
        mid = (a[0] + share * (b[0] - a[0]), a[1] + share * (b[1] - a[1]))
        if e.get("lead"):
            mid = beside_box(a, b, share, *e["lead"], label_box(0, 0, text)[2] * 2)[1]
        labels.append((text, label_box(*mid, text)))
    assert len(labels) == g.number_of_edges() - 1, [e for e in edges if not e.get("caption")]
    assert "付款 200.0 万元；中标" in [t for t, _ in labels]
    over = [(t, n) for t, box in labels for n, mark in taken if _overlap(box, mark)]
    assert not over, over
    assert not [(s, t) for i, (s, p) in enumerate(labels) for t, q in labels[i + 1 :] if _overlap(p, q)]
    assert 'network.on("afterDrawing"' in page  # the page draws them where placed
    # under lang="en" the pair's captions joined in English (the demo's bid ring read won ¥4,073,075.16；bid …)
    english = html_page(g, positions=page_positions(g), lang="en")
    said = [e.get("caption") or e.get("label") or "" for e in json.loads(edges_of.search(english).group(1))]
    assert "paid ¥2,000,000; won" in said and not [t for t in said if "；" in t], said


def test_an_html_page_sets_a_name_a_line_runs_through_above_its_mark_on_a_halo():
    """On the demo's pages lines ran through nodes' names (81 times over its 27 pages: a bid ring's bids through its
    tenders' names, vis-network drawing every name under its mark). A name a line runs through is set above its mark
    where fewer lines run there (:func:`graphkit.viz.name_sides`), and every name is drawn on a white outline, as a
    printed name is, so a line under it is broken there."""
    from graphkit.viz import html_page, names_crossed

    g = nx.MultiDiGraph()
    for k, name in (("a", "甲建设有限公司"), ("b", "乙公司"), ("c", "丙公司"), ("d", "丁公司")):
        g.add_node(k, label="Company", name=name)
    g.add_edge("a", "b", type="SHAREHOLDER_OF", percent=60.0)
    g.add_edge("c", "d", type="SHAREHOLDER_OF", percent=40.0)  # under a's mark, through its name
    at = {"a": (0.0, 0.0), "b": (0.0, 200.0), "c": (-200.0, 40.0), "d": (200.0, 40.0)}
    nodes = {n["id"]: n for n in _page_nodes(html_page(g, positions=at))}
    captions = {k: n["label"] for k, n in nodes.items()}
    above = {k for k, n in nodes.items() if n["font"].get("vadjust", 0) < 0}
    lines = [("a", "b"), ("c", "d")]
    assert names_crossed(at, captions, lines) == 1 and above == {"a"}, above
    assert names_crossed(at, captions, lines, above=above) == 0
    assert all(n["font"]["strokeWidth"] >= 2 and n["font"]["strokeColor"] == "#ffffff" for n in nodes.values())


def test_a_graph_pages_hover_texts_cite_a_record_as_the_printed_list_does():
    """The portrait's HTML map (and the case file's, the widgets') hovered ``来源：family.csv 第2行`` on a link and
    ``来源: household.csv 第3行`` on a node, bare, where the printed portrait and its list of links cite
    ``〔family.csv 第2行〕``: the hover texts now cite in the same brackets."""
    from graphkit.viz import html_page

    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", src_file="household.csv", src_row=3)
    g.add_node("q", label="Person", name="李娜")
    g.add_edge("p", "q", type="FAMILY", relationship="spouse", src_file="family.csv", src_row=2)
    page = html_page(g, title="")
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page).group(1))
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page).group(1))
    printed = re.search(r"〔[^〕]+〕", citations(g)[0]).group(0)
    assert printed == "〔family.csv 第2行〕"
    assert [e["title"].splitlines()[-1] for e in edges] == [f"来源{printed}"], edges
    tip = next(n["title"] for n in nodes if n["label"] == "张伟")
    assert tip.splitlines()[-1] == "来源〔household.csv 第3行〕", tip
    assert not re.search(r"来源[:：]", page)


def _drawn_words(monkeypatch) -> list[str]:
    """The words a figure holds as it is saved (its texts, legend and annotations): a PNG's words are pixels."""
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    said: list[str] = []
    save = Figure.savefig

    def savefig(fig, *args, **kwargs):
        said.extend(t.get_text() for t in fig.findobj(Text) if t.get_text())
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return said


@pytest.mark.parametrize("people", [4, 70])
def test_a_drawing_under_en_holds_no_chinese_word_of_its_own(tmp_path, monkeypatch, people):
    """A portrait's map under ``--lang en`` (viz.to_image, drawn into the PDF as a picture) kept its legend (人员,
    单位), its links' captions (任职, 付款), its key to numbered nodes (节点编号表) and its notes in Chinese; data
    written in Latin letters, the drawing now holds no Chinese word, and its Chinese one still does by default.
    ``people``: a few (each link captioned and listed), or past the named nodes (numbered, keyed, not listed)."""
    from graphkit.portrait_render import MAP_WIDTH

    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
    g = nx.MultiDiGraph()
    g.add_node("U1", label="Unit", name="City Works Bureau")
    g.add_node("C1", label="Company", name="Acme Build Co")
    g.add_edge("U1", "C1", type="PAID", amount=980000.0, src_file="payments.csv", src_row=2)
    g.add_node("F1", label="Benefit", folded=24, kind="salary")  # a folded node: 24 payment records
    g.add_edge("F1", "U1", type="PAID_BY", src_file="benefits.csv", src_row=3)
    for i in range(people):
        g.add_node(f"P{i}", label="Person", name=f"Person {i}")
        g.add_edge(f"P{i}", "U1", type="EMPLOYED_BY", src_file="roster.csv", src_row=i + 2)
    said = _drawn_words(monkeypatch)
    listed: list[str] = []
    to_image(g, tmp_path / "en.png", title="City Works Bureau", width=MAP_WIDTH, listed=listed, lang="en")
    words = said + listed
    assert len(said) > people // 10 and any("(" in w for w in said), said  # the legend's kinds and counts, at least
    chinese = sorted({w for w in words if cjk.search(w)})
    assert not chinese, chinese
    said.clear()
    listed.clear()
    to_image(g, tmp_path / "zh.png", title="City Works Bureau", width=MAP_WIDTH, listed=listed)
    assert any(cjk.search(w) for w in said + listed), said  # by default its words are Chinese


def test_a_contract_is_named_by_its_title_its_amount_in_its_detail():
    """contracts.csv names each contract (合同名称 → title), but the label declared no caption, so every drawing,
    case file and the explorer named a contract by its amount (16.0 万元), the same for any two of one price; it is
    named by its title and its amount now, and by its amount only where it has no title."""
    from graphkit.model import Model
    from graphkit.viz import node_caption, tooltip

    c = {"label": "Contract", "title": "绿化养护服务合同", "amount": 160338.48, "signed_date": "2023-01-03"}
    assert Model.default().labels["Contract"].caption == "title"
    # its amount beside its title: a case file's PDF shows a node's caption alone
    assert node_caption("HT20230000001", c) == "绿化养护服务合同 16.0 万元"
    assert node_caption("HT20230000001", c, lang="en") == "绿化养护服务合同 ¥160,338.48"
    assert "16.0 万元" in tooltip("HT20230000001", c) and "¥160,338" in tooltip("HT20230000001", c, lang="en")
    untitled = {k: v for k, v in c.items() if k != "title"}
    assert node_caption("HT20230000001", untitled) == "16.0 万元"


def test_a_bid_documents_traces_are_named_in_the_drawings_language():
    """A community's map draws the bid documents' traces its members share as kinds of their own, labelled
    ``投标文件作者 document author``: its legend under ``--lang en`` (communities.html of ``graphkit demo --lang en``)
    read 投标文件作者 document author (5). Each language names it alone now: the legend, the page and the hover."""
    from graphkit.viz import TRACE_KINDS, html_page, legend_html, tooltip

    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
    g = nx.MultiDiGraph()
    g.add_nodes_from(["C1", "C2"], label="Company", name="Acme")
    for i, label in enumerate(TRACE_KINDS):
        g.add_node(f"v{i}", label=label, signal="x")
        g.add_edge("C1", f"v{i}", type="SHARED", signal="x")
        g.add_edge("C2", f"v{i}", type="SHARED", signal="x")
    en = re.sub(r"<[^>]+>", " ", legend_html(g, lang="en"))
    assert not cjk.findall(en), cjk.findall(en)
    assert all(f"{e} (1)" in en for _, e in TRACE_KINDS.values()), en
    zh = re.sub(r"<[^>]+>", " ", legend_html(g))
    assert all(f"{z} (1)" in zh for z, _ in TRACE_KINDS.values()) and "document author" not in zh, zh
    assert tooltip("v1", dict(g.nodes["v1"]), lang="en").startswith("document author ")
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html_page(g, lang="en"), flags=re.S)
    assert "document author" in page and not cjk.findall(re.sub(r"<[^>]+>", " ", page))
