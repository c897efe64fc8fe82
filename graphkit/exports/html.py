"""The case file as one self-contained HTML page.

pyvis draws the graph with vis.js inlined (``cdn_resources="in_line"``); the few CDN links pyvis adds for
optional menus are removed, so the page requests nothing outside itself. vis.js draws on a canvas with the
fonts the page has: a subset of Noto Sans CJK SC (from the ``mplfonts`` package, SIL Open Font Licence)
holding exactly the characters the page shows is embedded as a base64 ``@font-face`` (fontTools
subsetting, WOFF), so Chinese never shows as boxes on a machine without CJK fonts. Above the graph: the
header (case number, what was asked, exporter, time, masking); under it the legend and the appendix table
(every relationship the drawing stands for, a folded node's too, with its source file and line). Folded nodes
("24 工资发放", :func:`graphkit.exports.drawing`) are drawn larger, their links dashed and labelled with the
range of appendix rows they hold.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Collection
from pathlib import Path

from graphkit.exports import (
    CaseInfo,
    Drawing,
    appendix_heading,
    caption,
    drawn_counts,
    folded_mark,
    folded_note,
    left_out_note,
    legend_entries,
    unlabelled_note,
    word,
)
from graphkit.model import Model, citation
from graphkit.viz import (
    NAME_HALO,
    PAGE_FONT,
    edge_caption,
    link_props,
    name_lift,
    name_sides,
    page_positions,
    place_labels,
    tooltip,
)

__all__ = ["write_html", "font_face", "edge_labels", "label_box", "FONT_FAMILY"]

FONT_FAMILY = "GraphkitCJK"


def font_face(text: str) -> str:
    """A CSS ``@font-face`` rule embedding the subset of Noto Sans CJK SC that sets ``text``.

    Parameters
    ----------
    text : str
        Every character the page shows (ASCII is always included).

    Returns
    -------
    str
        ``@font-face { font-family: GraphkitCJK; src: url(data:font/woff;base64,…) }``.
    """
    from graphkit.fonts import subset_font

    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)} | set("·…→—（）：；，。、")
    data = base64.b64encode(subset_font(chars, flavor="woff")).decode("ascii")
    return f"@font-face {{ font-family: {FONT_FAMILY}; src: url(data:font/woff;base64,{data}) format('woff'); }}"


_CSS = """
body {{ font-family: {family}, sans-serif; margin: 16px; color: #222; }}
header {{ display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #ccc; }}
header h1 {{ font-size: 20px; margin: 4px 0; }}
header .case {{ font-size: 18px; font-weight: bold; }}
.meta {{ font-size: 13px; color: #444; margin: 6px 0; }}
.note {{ color: #b00020; font-size: 13px; }}
#mynetwork {{ border: 1px solid #ddd; }}
.legend span.sw {{ display: inline-block; width: 11px; height: 11px; border: 1px solid #333; margin-right: 4px; }}
.legend li {{ display: inline-block; margin-right: 14px; font-size: 13px; }}
table.appendix {{ border-collapse: collapse; font-size: 12px; }}
table.appendix td, table.appendix th {{ border: 1px solid #ddd; padding: 2px 6px; text-align: left; }}
"""


#: an edge label's font size and a node caption's, in vis-network's pixels
EDGE_FONT = 10
NODE_FONT = PAGE_FONT
#: how near (vis-network pixels) another line may come to a link's label: a label where two lines cross, or beside
#: another line, reads as that line's
CLEAR_PX = 4.0
#: how far beside its line a label set off it may be (pixels from the line to the label's near edge), nearest first:
#: the printed drawings' (:data:`graphkit.viz._BESIDE`, points) in a 10 px label's proportion to a 7.5 pt one
BESIDE_PX = (5.0, 11.0, 17.0, 25.0)
#: a link label's height as vis-network's canvas sets it (its margin of two pixels about it included)
LABEL_H = EDGE_FONT * 1.2 + 4


def _text_px(text: str, size: float) -> float:
    """About how wide vis-network draws ``text`` at ``size`` px: a CJK character a full em, any other about 0.6."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in str(text))


def label_box(x: float, y: float, text: str, size: float = EDGE_FONT) -> tuple[float, float, float, float]:
    """The box ``(x0, y0, x1, y1)`` of a label centred on ``(x, y)`` as vis-network draws a link's (a margin of
    two pixels about it)."""
    w, h = _text_px(text, size) + 4, size * 1.2 + 4
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def beside_box(a, b, share: float, side: int, gap: float, w: float, h: float = LABEL_H) -> tuple[tuple, tuple]:
    """Where a label ``w`` by ``h`` set beside its line from ``a`` to ``b`` goes, as the page draws it
    (:data:`LABELS_JS`, whatever the line's ends are now: a node dragged): the leader from the point ``share`` of the
    way along the line, ``gap`` out along the line's normal on ``side`` (1: left of the way from ``a`` to ``b`` with
    y up, as :func:`graphkit.viz.place_labels` turns it), and the label's middle out along it until its edge meets
    the leader's end. Returns ((x0, y0, x1, y1) of the leader, (x, y) of the label's middle).

    >>> beside_box((0, 0), (100, 0), 0.5, 1, 5.0, 20.0)
    ((50.0, 0.0, 50.0, 5.0), (50.0, 13.0))
    """
    (x0, y0), (x1, y1) = a, b
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx, ny = side * -(y1 - y0) / length, side * (x1 - x0) / length
    px, py = x0 + share * (x1 - x0), y0 + share * (y1 - y0)
    ex, ey = px + nx * gap, py + ny * gap
    reach = min(w / 2 / abs(nx) if nx else math.inf, h / 2 / abs(ny) if ny else math.inf)
    return (px, py, ex, ey), (ex + nx * reach, ey + ny * reach)


def edge_labels(
    lines: list[tuple], at: dict, captions: dict[str, str], sizes: dict[str, float], *, above: Collection = ()
) -> list[tuple[str, float, tuple[int, float] | None]]:
    """The label each straight line of an HTML case file gets and where along it (a share of the way from its start),
    placed by the printed drawings' rule (:func:`graphkit.viz.place_labels`): on its own line where no other line
    comes within :data:`CLEAR_PX` of it and it covers no node, caption or other label; first its numbers
    (``[3,40]``) for every line that has room, then, where there is room, the numbers with the links' names
    (``投标 198.5 万元 [3]``); a line with no room on itself has its numbers beside it (:data:`BESIDE_PX`), tied to
    it by a leader, as the printed drawings set them; ``''`` for a line with no room even so (the page says how many;
    the tooltip and the appendix still give them). The labels had sat at the lines' middles, where vis-network writes
    a link's label, and a middle where two lines cross read as either line's; the page draws them where they are
    placed, on their lines (or on their leaders) as a node is dragged (:data:`LABELS_JS`). A bid ring's 40 lines
    between four companies and nine tenders had 8 unlabelled in the HTML, where the PDF set them beside their lines
    on leaders.

    Parameters
    ----------
    lines : list of (start, end, numbers, full)
    at : dict
        Node → ``(x, y)`` in pixels (:func:`graphkit.viz.page_positions`); empty when vis-network lays it out,
        and then every line gets its full label, at its middle.
    captions, sizes : dict
        Node (as text) → its caption, and its marker's half size in pixels (a caption is drawn under the marker).
    above : collection, optional
        The nodes (as text) whose captions are drawn above their markers (:func:`graphkit.viz.name_sides`).

    Returns
    -------
    list of (label, share of the way, leader)
        ``leader``: None for a label on its line, else (side, gap) of the label set beside it (:func:`beside_box`).
    """
    import numpy as np

    if not at:
        return [(full, 0.5, None) for *_, full in lines]
    taken = []
    for v, (x, y) in at.items():
        r = sizes.get(str(v), 25)
        taken.append((x - r, y - r, x + r, y + r))
        w = _text_px(captions.get(str(v), ""), NODE_FONT)
        if str(v) in above:
            taken.append((x - w / 2, y - r - NODE_FONT * 1.3 - 4, x + w / 2, y - r))
        else:
            taken.append((x - w / 2, y + r, x + w / 2, y + r + NODE_FONT * 1.3))
    drawn = [i for i, (u, v, *_) in enumerate(lines) if u != v and u in at and v in at]
    said: list[tuple[str, float, tuple[int, float] | None]] = [
        ("", 0.5, None) if i in set(drawn) else (lines[i][3], 0.5, None) for i in range(len(lines))
    ]  # a loop: vis draws it
    curves = [np.array([at[lines[i][0]], at[lines[i][1]]], dtype=float) for i in drawn]
    placed = place_labels(
        curves,
        [(lines[i][2], lines[i][3]) for i in drawn],
        lambda text: (_text_px(text, EDGE_FONT) + 4, EDGE_FONT * 1.2 + 4),
        taken,
        clear=CLEAR_PX,
        gaps=BESIDE_PX,
    )
    for k, (text, (x, y), leader) in placed.items():
        (x0, y0), (x1, y1) = curves[k]
        length2 = (x1 - x0) ** 2 + (y1 - y0) ** 2 or 1.0
        if leader is None:
            said[drawn[k]] = (text, round(((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / length2, 4), None)
            continue
        (px, py), (ex, ey) = leader  # the leader's dot on the line, its end at the label's edge
        share = ((px - x0) * (x1 - x0) + (py - y0) * (y1 - y0)) / length2
        side = 1 if (ex - px) * -(y1 - y0) + (ey - py) * (x1 - x0) > 0 else -1
        said[drawn[k]] = (text, round(share, 6), (side, round(math.hypot(ex - px, ey - py), 3)))
    return said


#: the page's rule for a label set beside its line (:func:`beside_box`, the same arithmetic): ``at`` the share of the
#: way to the leader's dot, ``lead`` (side, gap), ``w`` by ``h`` the label; the leader and the label's middle
BESIDE_JS = """function besideBox(a, b, at, lead, w, h) {
  var len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  var nx = lead[0] * -(b.y - a.y) / len, ny = lead[0] * (b.x - a.x) / len;
  var px = a.x + at * (b.x - a.x), py = a.y + at * (b.y - a.y);
  var ex = px + nx * lead[1], ey = py + ny * lead[1];
  var reach = Math.min(nx ? w / 2 / Math.abs(nx) : Infinity, ny ? h / 2 / Math.abs(ny) : Infinity);
  return { leader: [px, py, ex, ey], x: ex + nx * reach, y: ey + ny * reach };
}"""

#: draws each link's label where :func:`edge_labels` placed it (``caption`` at ``at``, a share of the way along its
#: line), over a white ground that breaks the line, after vis-network has drawn the graph: on its line still when a
#: node is dragged; a label set beside its line (``lead``) at the end of a thin leader from a dot on the line, as the
#: printed drawings tie it (:func:`graphkit.viz.label_links`), both following the line when a node is dragged
LABELS_JS = (
    """<script>
(function () {
  if (!window.network || !window.edges) { return; }
  """
    + BESIDE_JS
    + """
  network.on("afterDrawing", function (ctx) {
    var pos = network.getPositions();
    ctx.save();
    ctx.font = "%dpx %s, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    edges.get().forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (!e.caption || !a || !b) { return; }
      var x = a.x + e.at * (b.x - a.x), y = a.y + e.at * (b.y - a.y);
      var w = ctx.measureText(e.caption).width + 4;
      if (e.lead) {
        var put = besideBox(a, b, e.at, e.lead, w, %d);
        ctx.strokeStyle = "#444444";
        ctx.lineWidth = 0.8;
        ctx.beginPath();
        ctx.moveTo(put.leader[0], put.leader[1]);
        ctx.lineTo(put.leader[2], put.leader[3]);
        ctx.stroke();
        ctx.fillStyle = "#444444";
        ctx.beginPath();
        ctx.arc(put.leader[0], put.leader[1], 1.8, 0, 2 * Math.PI);
        ctx.fill();
        x = put.x;
        y = put.y;
      }
      ctx.fillStyle = "white";
      ctx.fillRect(x - w / 2, y - %d, w, %d);
      ctx.fillStyle = "#343434";
      ctx.fillText(e.caption, x, y);
    });
    ctx.restore();
  });
  network.redraw();
})();
</script>"""
)


def _overlap(a: tuple, b: tuple) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def write_html(d: Drawing, path: str | Path, info: CaseInfo, *, model: Model) -> Path:
    """Write the HTML case file of a drawing.

    Parameters
    ----------
    d : Drawing
        What is drawn (:func:`graphkit.exports.drawing`): the legend says what it folds and leaves out of the
        whole graph, the appendix lists every relationship it stands for.
    path : str or Path
    info : CaseInfo
    model : Model

    Returns
    -------
    Path
    """
    from pyvis.network import Network

    esc = html.escape
    g, shown, rows = d.whole, d.shown, d.rows
    lang = info.lang
    kinds, types = legend_entries(shown, model, lang)
    font = {"face": f"{FONT_FAMILY}, sans-serif", "size": NODE_FONT}
    net = Network(height="640px", width="100%", directed=True, cdn_resources="in_line", heading="")
    shown_text: list[str] = []
    # laid out as the printed drawing's captions are read and the demo's pages laid out (evenly spaced,
    # graphkit.viz.layout_positions), the physics off: left to vis-network's physics, a unit with its contracts,
    # invoices and payments was packed into a ball, their captions over one another
    # a path's start on the left; a bid ring in rows, as printed, the same way up (a ring's tenders had been at the
    # head of the HTML page, at the foot of the PDF's drawing); no caption over another (page_positions)
    at = page_positions(
        d.drawn,
        ends=d.drawn.graph.get("path_ends"),
        rows=True,
        captions={v: caption(v, a, lang) for v, a in d.drawn.nodes(data=True)},
    )
    # a name a line runs through set above its mark where fewer run there, on a white halo, as html_page sets them
    names = {v: caption(v, a, lang) for v, a in d.drawn.nodes(data=True)}
    above = name_sides(at, names, [(u, v) for u, v in d.drawn.edges() if u != v])
    for v, a in d.drawn.nodes(data=True):
        label = a.get("label", "")
        style = model.style(label) if label in model.labels else {"color": "#999999", "shape": "dot"}
        cap = caption(v, a, lang)
        if a.get("folded"):
            title = (
                f"{label} {v}\n{cap}: {a['folded']} nodes folded into one, each in the appendix"
                if lang == "en"
                else f"{label} {v}\n{cap}：{a['folded']} 个节点归并为一个，逐条见附录"
            )
        else:  # its kind in the file's language, as the widgets' tooltips say it (it read "Person 3205…"; and
            # 自然人 … 来源: … 第2行 in an English file)
            title = tooltip(v, a, model=model, lang=lang, unmask=not info.masked)
        shown_text += [cap, title]
        size = {"size": 30} if a.get("folded") else {}
        if v in at:
            size |= {"x": at[v][0], "y": at[v][1]}
        named = {**font, **NAME_HALO} | ({"vadjust": name_lift(30 if a.get("folded") else 25)} if v in above else {})
        net.add_node(str(v), label=cap, title=title, color=style["color"], shape=style["shape"], font=named, **size)
    # the links of one pair of nodes drawn as one straight line, their numbers side by side (a winner's bid and
    # award had been drawn one over the other); each line's label where it has room (:func:`edge_labels`)
    lines: dict[tuple, list[tuple]] = {}
    for u, v, k, a in d.drawn.edges(keys=True, data=True):
        pair = (u, v, k) if u == v else tuple(sorted((u, v), key=str))  # a loop alone, as vis-network draws it
        lines.setdefault(pair, []).append((u, v, a, d.labels.get((u, v, k), "")))
    drawn_lines = []
    for links in lines.values():
        parts, titles = [], []
        for _u, _v, a, no in links:
            if a.get("type") == "FOLDED":
                titles.append(
                    f"[{no}] folded: {a.get('count', '')} relationships, each in the appendix, nos. {no}"
                    if lang == "en"
                    else f"[{no}] 归并：{a.get('count', '')} 条关系，逐条见附录第 {no} 条"
                )
                parts.append((no, ""))
                continue
            props = link_props(a, model=model)  # an amount as money (806.4 万元), as every face writes it
            # the link's name in the case's language, as the legend, the appendix and the PDF's reader say it (it read
            # HAS_ADDRESS; under lang="en" 亲属·配偶 beside an English legend)
            said = edge_caption(a, model=model, lang=lang) or a.get("type", "")
            # cited as the printed case file and the portrait cite it (来源〔family.csv 第2行〕, it was
            # 来源：family.csv …; source [family.csv line 2], it was source: family.csv line 2)
            cite = ("source " if lang == "en" else "来源") + citation(a.get("src_file"), a.get("src_row"), lang)
            titles.append(f"[{no}] {said} {a.get('type', '')} {props}\n{cite}")
            parts.append((no, said))
        numbers = f"[{','.join(no for no, _ in parts)}]"
        full = ("; " if lang == "en" else "；").join(f"{said} [{no}]" if said else f"[{no}]" for no, said in parts)
        drawn_lines.append((links, numbers, full, "\n".join(titles)))
        shown_text += [full, *titles]
    said_labels = edge_labels(
        [(links[0][0], links[0][1], numbers, full) for links, numbers, full, _ in drawn_lines],
        at,
        {str(v): caption(v, a, lang) for v, a in d.drawn.nodes(data=True)},
        {str(v): 30 if a.get("folded") else 25 for v, a in d.drawn.nodes(data=True)},
        above={str(v) for v in above},
    )
    merged = sum(len(links) > 1 for links, *_ in drawn_lines)
    dropped = sum(not x for x, *_ in said_labels)
    for (links, _numbers, _full, title), (label, share, lead) in zip(drawn_lines, said_labels, strict=True):
        u, v = links[0][0], links[0][1]
        ways = {(x, y) for x, y, *_ in links}
        extra = {"dashes": True} if all(a.get("type") == "FOLDED" for _, _, a, _ in links) else {}
        if len(ways) > 1:
            extra["arrows"] = "to, from"
        if u != v and at:
            # straight, its label drawn where edge_labels placed it on the line (LABELS_JS), not by vis at its middle
            extra["smooth"] = False
            extra |= {"caption": label, "at": share} if label else {}
            extra |= {"lead": list(lead)} if label and lead else {}
            label = ""
        net.add_edge(str(u), str(v), label=label, title=title, font={**font, "size": EDGE_FONT}, **extra)
    if at:
        net.toggle_physics(False)
    page = net.generate_html()
    page = re.sub(r"<(?:link|script)[^>]+(?:cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com)[^>]*>(?:</script>)?", "", page)
    note = left_out_note(g, shown, info, drawn=d.drawn.number_of_nodes())
    labelled = unlabelled_note(dropped, merged, lang)
    counts = drawn_counts(d, lang)
    stop = "." if lang == "en" else "。"
    folds = folded_note(d, model, lang)
    legend = "".join(
        f"<li><span class='sw' style='background:{esc(style['color'])}'></span>{esc(name)} ({cnt})</li>"
        for _lab, name, cnt, style in kinds
    )
    legend_links = "".join(f"<li>→ {esc(name)} ({cnt})</li>" for _t, name, cnt in types)
    table = "".join(
        "<tr>"
        + "".join(
            f"<td>{esc(str(x))}</td>"
            for x in (
                r["no"],
                r["source"] + (folded_mark(r, lang) if r["folded_end"] == "source" else ""),
                r["type_en"] if lang == "en" else r["type_zh"],
                r["target"] + (folded_mark(r, lang) if r["folded_end"] == "target" else ""),
                r["where_en"] if lang == "en" else r["where"],
            )
        )
        + "</tr>"
        for r in rows
    )
    folded = sum(a["folded"] for a in d.folds.values())
    heading = appendix_heading(len(rows), shown.number_of_nodes(), folded, len(d.folds), lang)
    heads = "".join(f"<th>{word(k, lang)}</th>" for k in ("no", "source", "relationship", "target", "where"))
    head = (
        f"<header><h1>{word('title', lang)}</h1><span class='case'>{esc(info.case_line)}</span></header>"
        f"<div class='meta'>{esc(info.subject)}</div>"
        f"<div class='meta'>{esc(info.meta_line)}</div>"
    )
    tail = (
        f"<section class='legend'><h3>{word('legend', lang)}</h3><div>{word('nodes', lang)}</div><ul>{legend}</ul>"
        f"<div>{word('links', lang)}</div><ul>{legend_links}</ul>"
        f"<p>{esc(counts)}{stop}</p>"
        + (f"<p>{esc(folds)}</p>" if folds else "")
        + (f"<p>{esc(labelled)}{stop}</p>" if labelled else "")
        + (f"<p class='note'>{esc(note)}</p>" if note else "")
        + "".join(f"<p class='note'>{esc(x)}</p>" for x in info.omitted)
        + f"</section><section><h3>{esc(heading)}</h3><table class='appendix'><tr>{heads}</tr>{table}</table></section>"
    )
    visible = re.sub(r"<[^>]+>", "", head + tail) + "".join(shown_text)
    style = "<style>" + font_face(visible) + _CSS.format(family=FONT_FAMILY) + "</style>"
    redraw = (
        "<script>document.fonts.load('14px "
        + FONT_FAMILY
        + "', "
        + json.dumps("".join(sorted(set(visible)))[:400])
        + ").then(function () { if (window.network) { network.redraw(); } });</script>"
    )
    # pyvis's empty headings out (the case file's own header says what it is), and a title for the browser's tab and
    # a document system's list: the case number, never an identifier (the page had none: the tab showed its path)
    page = re.sub(r"<center>\s*<h1></h1>\s*</center>", "", page)
    title = f"<title>{esc(info.case_line)} · {word('title', lang)}</title>"
    page = page.replace("</head>", title + style + "</head>", 1)
    page = page.replace("<body>", "<body>" + head, 1)
    labels_js = LABELS_JS % (EDGE_FONT, FONT_FAMILY, LABEL_H, LABEL_H / 2, LABEL_H)
    page = page.replace("</body>", tail + labels_js + redraw + "</body>", 1)
    Path(path).write_text(page, encoding="utf-8")
    return Path(path)
