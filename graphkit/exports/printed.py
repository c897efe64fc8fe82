"""Case files for print: PDF on A4 pages, PNG and SVG, Chinese set in Noto Sans CJK SC.

Page 1 (PDF) or the top of the image (PNG, SVG): the header (case number, what was asked, who exported it
and when, whether identifiers are masked), the drawing, and the legend (node kinds with their colour and
shape, relationship kinds, both in Chinese from the model's titles, with counts, and what was folded). Then
the appendix: every relationship the drawing stands for (a folded node's too), numbered as on the drawing,
with its source file and line — on the following A4 pages of a PDF, under the drawing in an image. A folded
node ("24 工资发放") is drawn larger, its links dashed and labelled with the range of appendix rows they hold.
PDF and PNG carry a diagonal watermark with the case number, the exporter and the time on every page.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
from pathlib import Path

import matplotlib
import networkx as nx
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

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
from graphkit.model import Model
from graphkit.viz import (
    _MARKERS,
    LINK_LABEL,
    LINK_PT,
    NAME_PT,
    NAMED_NODES,
    _draw_loops,
    _fixed_frame,
    _place_captions,
    apart,
    cjk_font,
    edge_caption,
    key_rows,
    key_title,
    label_links,
    layout_positions,
    link_lines,
    node_key,
)

__all__ = [
    "write_printed",
    "watermark_page",
    "page_header",
    "header_height",
    "subject_lines",
    "legend_text",
    "A4",
    "ROWS_PER_PAGE",
    "LINK_LABEL",
    "NAMED_NODES",
    "NAME_PT",
    "node_key",
    "key_rows",
]

#: A4 portrait, inches
A4 = (8.27, 11.69)
#: appendix rows on one A4 page
ROWS_PER_PAGE = 62
#: most links numbered on the drawing itself (beyond, the appendix alone numbers them)
NUMBERED_LINKS = 80
_ROW_H = 0.16  # inches per appendix row
#: where the key's columns start (fractions of the page's width): number, name (key), kind; two such halves a page
KEY_COLUMNS = (0.04, 0.09, 0.38)
_KEY_NAME_W = 50  # a name (key) in the key, in half-em units at 6 pt (0.29 of the page)
#: where the appendix's columns start (fractions of the page's width): number, source, relationship, target,
#: source file and row; the last ends at the right margin
APPENDIX_COLUMNS = (0.04, 0.09, 0.36, 0.54, 0.80, 0.96)
# what fits in a column, in half-em units measured with the font's own advances (:func:`_units`): the column's
# width at 6 pt less a gutter of about 1.5 em and 4% for the pixels a PNG rounds glyphs up to (a name ran into
# the source file:row column of a PNG: 154.5 pt of text in a column of 154.8)
_END_W = 46  # source and target (0.27 and 0.26 of the page)
_TYPE_W = 30  # relationship (0.18)
_FILE_W = 26  # source file and line (0.16)
_NOTE_H = 0.115  # inches per line of a note under the legend (6.5 pt, line spacing 1.3)
#: legend entries in one column
LEGEND_ROWS = 9
_LEGEND_HEAD = 0.17  # inches from the legend's top to its column headings (under the 8.5 pt title)
_LEGEND_FIRST = 0.36  # inches from the legend's top to the middle of its first entry (under the 7 pt headings)
_LEGEND_STEP = 0.16  # inches from one legend entry to the next
#: half-em units at the legend's 6 pt across its whole width (0.92 of A4's width); a column's share of it is its room
_LEGEND_UNITS = 0.92 * A4[0] * 72 / 3
#: a note's line, in half-em units (a CJK character is two) at 6.5 pt across the page
NOTE_WIDTH = 160
#: a header's subject line, in half-em units at 8.5 pt across the page (0.92 of A4's width, 547 pt, less a margin)
SUBJECT_WIDTH = 124
#: most lines a header gives the subject (a case file of many entities and paths); past it the last is cut
SUBJECT_LINES = 4
_SUBJECT_STEP = 0.16  # inches from one subject line to the next (8.5 pt, line spacing 1.35)
_WATERMARK = "#b03a2e"


def _cut(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _node_text(text: str, n: int = 18) -> str:
    r"""A node's caption under its mark: up to ``n`` characters a line; a name of words (Latin, Cyrillic, Arabic
    script) broken between words onto two lines and cut after a whole word (``Frau Dr. Irene`` /
    ``Nierstenhöfer``, where it read ``Frau Dr. Irene Ni…``); a name with no spaces (Chinese, a key) cut at ``n``.

    >>> _node_text("Frau Dr. Irene Nierstenhöfer"), _node_text("张家港市教育局2023年审计服务采购项目")
    ('Frau Dr. Irene\nNierstenhöfer', '张家港市教育局2023年审计服务采…')
    >>> _node_text("Economico Fundos de Investimento - Sociedade Gestora")
    'Economico Fundos\nde Investimento …'
    """
    text = " ".join(str(text).split())
    if len(text) <= n or " " not in text:
        return _cut(text, n)
    return "\n".join(textwrap.wrap(text, n, max_lines=2, placeholder=" …"))


@functools.lru_cache(maxsize=1)
def _advances() -> dict[int, float]:
    """Every character's advance in Noto Sans CJK SC, in half-em units (fontTools, read once)."""
    from fontTools.ttLib import TTFont

    from graphkit.viz import cjk_font_file

    with TTFont(str(cjk_font_file()), lazy=True) as font:
        hmtx, em = font["hmtx"], font["head"].unitsPerEm
        return {c: 2 * hmtx[glyph][0] / em for c, glyph in font.getBestCmap().items()}


def _advance(ch: str) -> float:
    """A character's width in half-em units as Noto Sans CJK SC sets it (a CJK character 2, a digit 1.11, a
    capital up to 1.5); two for a character the font lacks."""
    return _advances().get(ord(ch), 2.0)


def _units(text: str) -> float:
    """Width of ``text`` in half-em units, measured with the font's advances (:func:`_advance`)."""
    return sum(_advance(c) for c in text)


def _fit(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to at most ``width`` half-em units (an appendix column's width), so a
    long Chinese name never runs into the next column."""
    text = str(text)
    if _units(text) <= width:
        return text
    out, w = "", 0.0
    for c in text:
        if w + _advance(c) > width - 2:  # (room for the ellipsis)
            break
        out += c
        w += _advance(c)
    if " " in out.strip() and text[len(out)] != " ":  # words: cut after a whole one, not in the middle of a name
        head = out.rstrip()[: out.rstrip().rfind(" ")].rstrip()
        out = head + " " if _units(head) >= width / 2 else out
    return out + "…"


def _fit_end(text: str, width: float) -> str:
    """An appendix end (``name (key)``) cut to ``width`` half-em units in its name, never in its key: the key
    is what names the node (``张家港市教育局2023年审计服… (SZZB2023000010)``)."""
    m = re.fullmatch(r"(.+) \(([^()]+)\)", str(text))
    if m is None or _units(text) <= width:
        return _fit(text, width)
    key = m[2]
    if _units(key) + 8 > width:  # a key too long for the column (an FtM id of 40-80 characters): head and tail
        key = _fit_middle(key, max(width / 2 - 2, width - _units(m[1]) - _advance(" ") - 2))
    return _fit(m[1], width - _units(key) - 2 - _advance(" ")) + f" ({key})"


def _fit_source(where: str, width: float) -> str:
    """Where a record is (``shareholders.csv 第12行``, :func:`graphkit.model.provenance`; ``… line 12`` in English)
    cut to ``width`` half-em units in its file's name, never in its line or row number, which finds the record."""
    m = re.fullmatch(r"(.+)( (?:(?:line|row)s? \S+|第\S+行))", str(where))
    if m is None or _units(where) <= width:
        return _fit(where, width)
    return _fit(m[1], width - _units(m[2])) + m[2]


def _fit_middle(key: str, width: float) -> str:
    """A key cut in its middle to ``width`` half-em units, its head and tail kept (``6d03aec7…88bc8``): enough to
    tell it from the others and to find it, where its end was cut off with the name's room.

    >>> _fit_middle("6d03aec76fdeec8f9697d8b19954ab6fc2568bc8", 20)
    '6d03aec7…c2568bc8'
    """
    if _units(key) <= width:
        return key
    head, tail, w = "", "", _advance("…")
    for i in range(len(key)):
        c = key[i // 2] if i % 2 == 0 else key[-(i // 2) - 1]
        if w + _advance(c) > width:
            break
        w += _advance(c)
        head, tail = (head + c, tail) if i % 2 == 0 else (head, c + tail)
    return head + "…" + tail


def watermark_page(fig: Figure, info: CaseInfo, height: float) -> None:
    """The stamp across the page, diagonally, every few inches down (case files and portraits)."""
    rows = max(2, int(height / 3.2))
    for i in range(rows):
        for x in (0.3, 0.75):
            fig.text(
                x,
                (i + 0.5) / rows,
                info.stamp,
                rotation=28,
                fontsize=15,
                color=_WATERMARK,
                alpha=0.16,
                ha="center",
                va="center",
                zorder=10,
            )


def subject_lines(subject: str, lines: int = SUBJECT_LINES, lang: str = "zh") -> list[str]:
    """What a case file was asked (:attr:`CaseInfo.subject`) in lines across a page header, measured with the font's
    own widths (:func:`_units`): each part (``；`` between entities and paths) starts a line where the one before
    is full, a part longer than a line is broken between words or CJK characters, and past ``lines`` the last
    line is cut (``…``). It was cut at 110 characters whatever their width: three entities and a path lost the
    path (``…；路径 pat…``), and a Chinese subject ran off the page.

    Under ``lang="en"`` the parts are joined by ``; `` (:func:`graphkit.cli.export`'s English subject), not ``；``.

    >>> subject_lines("张伟 (3205**********0011): 2 度关系")
    ['张伟 (3205**********0011): 2 度关系']
    >>> subject_lines("张伟 (k1): 1-hop neighbourhood; path 张伟 (k1) → 李娜 (k2): 1 shortest path", lang="en")
    ['张伟 (k1): 1-hop neighbourhood; path 张伟 (k1) → 李娜 (k2): 1 shortest path']
    """
    sep = "; " if lang == "en" else "；"
    out: list[str] = []
    for part in str(subject).split(sep):
        part = part.strip()
        if not part:
            continue
        if out and _units(out[-1] + sep + part) <= SUBJECT_WIDTH:
            out[-1] += sep + part
            continue
        if out:
            out[-1] += sep.rstrip()
        out += _measured_wrap(part, SUBJECT_WIDTH)
    if len(out) > lines:
        out = out[: lines - 1] + [_fit(" ".join(out[lines - 1 :]), SUBJECT_WIDTH)]
    return out or [""]


def _measured_wrap(text: str, width: float) -> list[str]:
    """``text`` in lines of at most ``width`` half-em units as the font sets them, broken at spaces or between CJK
    characters (a word longer than a line is cut into pieces)."""
    tokens = re.findall(r"[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|[\u2e80-\u9fff\uff00-\uffef]\s*|\s+", text)
    lines, cur = [], ""
    for t in tokens:
        if cur and _units((cur + t).rstrip()) > width:
            lines.append(cur.rstrip())
            cur = ""
        while _units(t.rstrip()) > width:  # a word longer than a line
            head = _fit(t, width)[:-1]
            lines.append(head)
            t = t[len(head) :]
        cur += t
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def header_height(info: CaseInfo, lines: int = SUBJECT_LINES) -> float:
    """Inches from a page's top to the foot of its header (:func:`page_header`): 1.0 with the subject on one
    line, :data:`_SUBJECT_STEP` more for each further line."""
    return 1.0 + _SUBJECT_STEP * (len(subject_lines(info.subject, lines, info.lang)) - 1)


def page_header(
    fig: Figure, info: CaseInfo, height: float, top: float, title: str, *, lines: int = SUBJECT_LINES
) -> float:
    """The header of every page: title and case number, the subject (on up to ``lines`` lines:
    :func:`subject_lines`), the exporter, the time and the masking. Returns its height in inches
    (:func:`header_height`)."""
    y = lambda inches: 1 - (top + inches) / height  # noqa: E731 (inches from the top of the block)
    fig.text(0.04, y(0.35), title, fontsize=13, va="baseline")
    fig.text(0.96, y(0.35), info.case_line, fontsize=12, ha="right", va="baseline")
    said = subject_lines(info.subject, lines, info.lang)
    for i, line in enumerate(said):
        fig.text(0.04, y(0.6 + _SUBJECT_STEP * i), line, fontsize=8.5, va="baseline")
    extra = _SUBJECT_STEP * (len(said) - 1)
    fig.text(
        0.04,
        y(0.82 + extra),
        info.meta_line,
        fontsize=7.5,
        va="baseline",
        color="#333333",
    )
    return 1.0 + extra


def _draw(ax, g: nx.MultiDiGraph, model: Model, numbers: dict, laid: dict | None = None, lang: str = "zh") -> int:
    """Nodes by kind (colour, shape), links as arrows, captions; links numbered when few, each label placed along
    its link where no other line comes near it and it covers no caption, marker or other label, else beside it on a
    leader (:func:`graphkit.viz.label_links`); folded nodes larger, their links dashed. Returns how many links'
    numbers found no room and were left off the drawing. ``laid``: where the layout is kept for a second drawing of
    the same graph (its spring or Kamada-Kawai layout is the slowest step of a page)."""
    n, m = g.number_of_nodes(), g.number_of_edges()
    ax.set_axis_off()
    if not n:
        ax.text(0.5, 0.5, word("empty", lang), ha="center", va="center", transform=ax.transAxes)
        return 0
    # laid out as the HTML case file is (evenly spaced, a path from its start on the left to its end on the right)
    if laid is None or "pos" not in laid:
        pos = layout_positions(g, ends=g.graph.get("path_ends"), rows=True)
        if laid is not None:
            laid["pos"] = pos
    else:
        pos = laid["pos"]
    size = 220 if n <= 30 else 90 if n <= 100 else 40
    # names in 7 pt (an official's two hops: they were 5 pt, 八号, smaller than the links' numbers and unreadable on
    # paper); past :data:`NAMED_NODES` the nodes that matter named, the others numbered in the same type (they were
    # 6 pt up to 100 nodes, 4.5 beyond)
    fs = NAME_PT
    key = node_key(g)
    texts = {v: key.get(v) or _node_text(caption(v, a, lang)) for v, a in g.nodes(data=True)}
    pos = apart(ax, g, pos, size, fs, texts)
    # a few nodes drawn near the middle, not pulled to the page's corners; a path across the page's width
    pos = _fixed_frame(ax, pos, max(n, 16) if g.graph.get("path_ends") else n, 0.08)
    seen: dict[tuple, int] = {}
    numbered = m <= NUMBERED_LINKS
    loops = []  # links to themselves (a company holding its own shares), drawn once the nodes have scaled the axes
    labels = []  # (number, number and caption, start, end, bend) of each link to label
    for u, v, k, a in g.edges(keys=True, data=True):
        j = seen[(u, v)] = seen.get((u, v), -1) + 1
        if u == v:
            text = numbers.get((u, v, k), "") if numbered else ""
            loops.append((u, j, text, "--" if a.get("type") == "FOLDED" else "-"))
            continue
        rad = 0.0 if j == 0 else 0.18 * ((j + 1) // 2) * (1 if j % 2 else -1)
        no = numbers.get((u, v, k), "")
        ax.annotate(
            "",
            xy=pos[v],
            xytext=pos[u],
            zorder=1,
            arrowprops=dict(
                arrowstyle="-|>",
                color="#8a8a8a",
                lw=0.6,
                ls="--" if a.get("type") == "FOLDED" else "-",
                shrinkA=5,
                shrinkB=5,
                mutation_scale=9,
                connectionstyle=f"arc3,rad={rad}",
            ),
        )
        if numbered:  # a link without a number still a line the labels keep clear of
            # in the case's language, as its legend (an English page's lines read 亲属·配偶 under → family)
            said = "" if a.get("type") == "FOLDED" or not no else edge_caption(a, model=model, lang=lang)
            labels.append((no, f"{no} {said}" if said else no, pos[u], pos[v], rad))
    by_label: dict[str, list] = {}
    for v, a in g.nodes(data=True):
        by_label.setdefault(a.get("label", ""), []).append(v)
    for label, vs in sorted(by_label.items()):
        style = model.style(label) if label in model.labels else {"color": "#999999", "shape": "dot"}
        ax.scatter(
            [pos[v][0] for v in vs],
            [pos[v][1] for v in vs],
            s=[size * 2.2 if g.nodes[v].get("folded") else size for v in vs],
            c=style["color"],
            marker=_MARKERS.get(style.get("shape", "dot"), "o"),
            edgecolors="#333333",
            linewidths=0.4,
            zorder=2,
        )
    if loops:
        _draw_loops(ax, pos, g, loops, size, fontsize=LINK_PT, lw=0.6, scale=9)
    captions, markers = [], []
    for v, a in g.nodes(data=True):
        big = 2.2 if a.get("folded") else 1
        half = math.sqrt(size * big) / 2
        captions.append(
            ax.annotate(
                texts[v],
                xy=pos[v],
                xytext=(0, -(half + 2)),
                textcoords="offset points",
                fontsize=fs * (1.15 if a.get("folded") else 1),
                ha="center",
                va="top",
                zorder=4,
            )
        )
        markers.append(((ax, pos[v]), half))
    # each caption where no link crosses it and it covers no other caption or marker (a unit's name had been
    # written under the lines to its suppliers)
    _place_captions(ax.figure, captions, markers, 2, link_lines(ax, pos, g))
    return label_links(ax, labels, captions, markers)


def _width(ch: str) -> int:
    """A character's width in half-em units (CJK and full-width forms are two)."""
    return 2 if ord(ch) >= 0x2E80 else 1


def _wrap(text: str, width: int = NOTE_WIDTH) -> list[str]:
    """``text`` in lines of at most ``width`` half-em units, broken between CJK characters or at spaces (a
    longer ASCII word is cut)."""
    tokens = re.findall(r"[\x00-\x7f]+?(?:\s+|$|(?=[^\x00-\x7f]))|[^\x00-\x7f]", text)
    lines, cur, w = [], "", 0
    for t in tokens:
        tw = sum(_width(c) for c in t.rstrip())
        if cur and w + tw > width:
            lines.append(cur.rstrip())
            cur, w = "", 0
        while tw > width:  # a word longer than a line
            lines.append(t[:width])
            t = t[width:]
            tw = sum(_width(c) for c in t.rstrip())
        cur += t
        w += sum(_width(c) for c in t)
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _notes(d: Drawing, info: CaseInfo, model: Model) -> list[tuple[list[str], str]]:
    """The lines under the legend, each note wrapped, with its colour: the counts (the whole graph, what the
    drawing shows and stands for), what was folded, what the drawing leaves out, what the case file leaves
    out (``info.omitted``)."""
    g, shown = d.whole, d.shown
    en = info.lang == "en"
    counts = drawn_counts(d, info.lang) + ("; " if en else "；") + word("see_appendix", info.lang)
    counts += "." if en else "。"
    notes = [(counts, "#222222")]
    notes.append((folded_note(d, model, info.lang), "#333333"))
    notes.append((key_note(d.drawn, info.lang), "#222222"))
    notes.append((left_out_note(g, shown, info, drawn=d.drawn.number_of_nodes()), "#b00020"))
    notes += [(x, "#b00020") for x in info.omitted]
    return [(_wrap(n), c) for n, c in notes if n]


def key_note(g: nx.MultiDiGraph, lang: str = "zh") -> str:
    """What a drawing of more than :data:`NAMED_NODES` nodes says of its numbered nodes ('' when every node is named),
    in ``lang`` alone (the English had been set in the Chinese).

    >>> key_note(nx.MultiDiGraph([("s", f"p{k}") for k in range(61)]))[:46]
    '图中 2 个节点只标编号（#1–#2），名称、标识与类别见图后的节点编号表；写出名称的 60'
    """
    key = node_key(g)
    if not key:
        return ""
    if lang == "en":
        return (
            f"{len(key)} nodes are numbered (#1–#{len(key)}): their names, keys and kinds are in the key after the "
            f"drawing; the {g.number_of_nodes() - len(key)} nodes named are the case's subjects, those a warning "
            "names, those on a path and those nearest the subjects."
        )
    return (
        f"图中 {len(key)} 个节点只标编号（#1–#{len(key)}），名称、标识与类别见图后的节点编号表；"
        f"写出名称的 {g.number_of_nodes() - len(key)} 个节点为案件主体、预警所涉、路径上的节点及距主体最近者。"
    )


def _key_rows(
    fig: Figure, rows: list[tuple[str, str, str]], top: float, height: float, heading: str, lang: str = "zh"
) -> None:
    """The key to numbered nodes from ``top`` inches down, one :data:`_ROW_H` a row, in two halves side by side (the
    first half of ``rows`` on the left), each in the columns :data:`KEY_COLUMNS` (number, name and key, kind)."""
    y = lambda inches: 1 - (top + inches) / height  # noqa: E731
    fig.text(0.04, y(0.0), heading, fontsize=8.5, va="top")
    half = math.ceil(len(rows) / 2)
    cells = []
    for side, chunk in enumerate((rows[:half], rows[half:])):
        x = [c + 0.48 * side for c in KEY_COLUMNS]
        if chunk:
            for cx, h in zip(x, (word("no", lang), word("name_key", lang), word("kind", lang)), strict=True):
                fig.text(cx, y(0.28), h, fontsize=6.5, va="top", color="#333333")
        for i, (no, name, kind) in enumerate(chunk):
            yy = y(0.28 + _ROW_H * (i + 1))
            cells += [(x[0], yy, no), (x[1], yy, _fit_end(name, _KEY_NAME_W)), (x[2], yy, _fit(kind, 14))]
    fig.add_artist(_Lines(cells, 6))


def _legend(fig: Figure, d: Drawing, model: Model, box, lang: str = "zh") -> None:
    """Node kinds (marker, 中文, label, count) and relationship kinds (中文, type, count) in columns, counted over
    what the drawing stands for (folded nodes' members included). Laid out in inches from the top of ``box``
    (the title, the column headings under it, then one entry every :data:`_LEGEND_STEP`), so the headings never
    run into the entries however few rows there are."""
    ax = fig.add_axes(box)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    height = box[3] * fig.get_figheight()  # inches
    y = lambda inches: 1 - inches / height  # noqa: E731
    kinds, types = legend_entries(d.shown, model, lang)
    node_cols = max(1, math.ceil(len(kinds) / LEGEND_ROWS))
    links_x = min(0.5, 0.24 * node_cols)
    ax.text(0, y(0.0), word("legend", lang), fontsize=8.5, va="top")
    ax.text(0.0, y(_LEGEND_HEAD), word("nodes", lang), fontsize=7, va="top", color="#333333")
    ax.text(links_x, y(_LEGEND_HEAD), word("links", lang), fontsize=7, va="top", color="#333333")
    for i, (_lab, name, cnt, style) in enumerate(kinds):
        x, yy = 0.24 * (i // LEGEND_ROWS), y(_LEGEND_FIRST + _LEGEND_STEP * (i % LEGEND_ROWS))
        ax.scatter(
            [x + 0.008],
            [yy],
            s=28,
            c=style["color"],
            marker=_MARKERS.get(style.get("shape", "dot"), "o"),
            edgecolors="#333333",
            linewidths=0.4,
            clip_on=False,
        )
        ax.text(x + 0.022, yy, legend_text(name, cnt, _LEGEND_UNITS * 0.218), fontsize=6, va="center")
    col = (1 - links_x) / max(1, math.ceil(len(types) / LEGEND_ROWS))
    for i, (_t, name, cnt) in enumerate(types):
        x, yy = links_x + col * (i // LEGEND_ROWS), y(_LEGEND_FIRST + _LEGEND_STEP * (i % LEGEND_ROWS))
        ax.text(x, yy, legend_text(f"→ {name}", cnt, _LEGEND_UNITS * col), fontsize=6, va="center")


def legend_text(name: str, count: int, width: float) -> str:
    """A legend entry (``发放单位 (24)``: the kind's name in the reader's language alone, as
    :func:`graphkit.exports.legend_entries` gives it) in a column ``width`` half-em units wide (at 6 pt, measured
    with the font's widths) with its count whole: the name is cut, never the count. Entries had been cut by their
    number of characters (``→ 发放单位 PAID_B…``), and the model's English name set beside the Chinese.

    >>> legend_text("→ 发放单位", 24, 40), legend_text("→ 法定代表人（公司）", 1, 20)
    ('→ 发放单位 (24)', '→ 法定代表人… (1)')
    """
    tail = f" ({count})"
    width -= 2  # a gutter before the next column
    if _units(name + tail) <= width:
        return name + tail
    return _fit(name, width - _units(tail)) + tail


class _Lines(Artist):
    """Lines of plain text at fixed places, drawn straight through the renderer: ``(x, top, text)`` in figure
    fractions, ``top`` the top of a CJK character (as ``va="top"`` puts it), one baseline per row.

    The appendix's thousands of cells as :class:`matplotlib.text.Text` objects cost a text layout each for
    their extent (to align them) on top of the drawing: 10.6 s of a 12.7 s PDF of 635 rows. Here the
    extent is measured once (a CJK character's ascent at this size) and every cell is drawn at its
    baseline; the text is the same text in the file (``pdftotext`` reads it, SVG paths spell it)."""

    def __init__(self, items: list[tuple[float, float, str]], size: float, color: str = "black") -> None:
        super().__init__()
        self.items = items
        self.prop = FontProperties(family=matplotlib.rcParams["font.family"], size=size)
        self.color = color
        self.set_zorder(3)  # as fig.text's

    def right_edges(self, renderer) -> list[float]:
        """Where each line ends (figure fraction), measured as the renderer sets it (what a column must hold)."""
        width = self.figure.bbox.width
        return [
            self.figure.transFigure.transform((x, 0))[0] / width
            + renderer.get_text_width_height_descent(text, self.prop, ismath=False)[0] / width
            for x, _, text in self.items
        ]

    def draw(self, renderer) -> None:
        """Every line at its baseline (the renderer's own text drawing, one call a line)."""
        if not self.get_visible() or not self.items:
            return
        _, h, d = renderer.get_text_width_height_descent("国", self.prop, ismath=False)
        ascent = h - d
        height = renderer.get_canvas_width_height()[1]
        to_px = self.figure.transFigure.transform
        gc = renderer.new_gc()
        gc.set_foreground(self.color)
        for x, top, text in self.items:
            px, py = to_px((x, top))
            py -= ascent
            renderer.draw_text(gc, px, height - py if renderer.flipy() else py, text, self.prop, 0.0)
        gc.restore()
        self.stale = False


def _appendix_rows(fig: Figure, rows: list[dict], top: float, height: float, heading: str, lang: str = "zh") -> None:
    """Appendix lines from ``top`` inches down (one :data:`_ROW_H` each), in five columns (:class:`_Lines`)."""
    y = lambda inches: 1 - (top + inches) / height  # noqa: E731
    fig.text(0.04, y(0.0), heading, fontsize=8.5, va="top")
    heads = tuple(word(k, lang) for k in ("no", "source", "relationship", "target", "where"))
    cols = list(zip(APPENDIX_COLUMNS[:5], heads, strict=True))
    for x, h in cols:
        fig.text(x, y(0.28), h, fontsize=6.5, va="top", color="#333333")
    cells = []
    x = APPENDIX_COLUMNS
    for i, r in enumerate(rows):
        yy = y(0.28 + _ROW_H * (i + 1))
        ends = {e: _fit_end(r[e], _END_W) for e in ("source", "target")}
        if r["folded_end"]:  # the member of a folded node: which node of the drawing holds it
            mark = folded_mark(r, lang)
            ends[r["folded_end"]] = _fit_end(r[r["folded_end"]], max(8, _END_W - _units(mark))) + mark
        cells += [
            (x[0], yy, str(r["no"])),
            (x[1], yy, ends["source"]),
            (x[2], yy, _fit(r["type_en"] if lang == "en" else r["type_zh"], _TYPE_W)),
            (x[3], yy, ends["target"]),
            (x[4], yy, _fit_source(r["where_en"] if lang == "en" else r["where"], _FILE_W)),
        ]
    fig.add_artist(_Lines(cells, 6))


def _first_page(fig: Figure, d: Drawing, info: CaseInfo, model: Model, height: float) -> None:
    """Header, drawing, legend and notes in the top :data:`A4` height of a figure ``height`` inches tall: the
    notes take the lines they need above the bottom margin, the legend sits on them and the drawing gets
    what is left (so no note runs off the page)."""
    head = page_header(fig, info, height, 0.0, word("title", info.lang))
    frac = lambda inches: inches / height  # noqa: E731
    notes = _notes(d, info, model)
    bottom = A4[1] - 0.35  # inches from the top: the lowest note line's bottom (the page number is below)
    top_notes = bottom - _NOTE_H * sum(len(lines) for lines, _ in notes) - 0.06 * (len(notes) - 1)
    y = top_notes
    for lines, colour in notes:
        fig.text(0.04, 1 - frac(y), "\n".join(lines), fontsize=6.5, va="top", color=colour, linespacing=1.3)
        y += _NOTE_H * len(lines) + 0.06
    kinds, types = legend_entries(d.shown, model)
    rows = max(1, min(LEGEND_ROWS, max(len(kinds), len(types))))
    legend_h = _LEGEND_FIRST + _LEGEND_STEP * (rows - 1) + 0.12  # the last entry's lower half
    legend_top = top_notes - 0.08 - legend_h
    _legend(fig, d, model, (0.04, 1 - frac(legend_top + legend_h), 0.92, frac(legend_h)), info.lang)
    draw_h = max(3.0, legend_top - 0.1 - head)
    ax = fig.add_axes((0.04, 1 - frac(head + draw_h), 0.92, frac(draw_h)))
    laid: dict = {}
    dropped = _draw(ax, d.drawn, model, d.labels, laid, info.lang)
    if dropped:  # drawn again over a line less, the line saying which numbers found no room
        fig.delaxes(ax)
        ax = fig.add_axes((0.04, 1 - frac(head + draw_h - _NOTE_H - 0.04), 0.92, frac(draw_h - _NOTE_H - 0.04)))
        dropped = _draw(ax, d.drawn, model, d.labels, laid, info.lang)
        said = unlabelled_note(dropped, lang=info.lang)
        fig.text(0.04, 1 - frac(head + draw_h), said, fontsize=6.5, va="bottom", color="#333333")


def key_heading(keyed: list, d: Drawing, lang: str = "zh") -> str:
    """The heading of the key to numbered nodes (:func:`graphkit.viz.key_title`)."""
    return key_title(len(keyed), d.drawn.number_of_nodes(), lang)


def _when(info: CaseInfo):
    """The export's time (:attr:`CaseInfo.at`) as a PDF's creation date (None when it is no ISO time)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(info.at)
    except ValueError:
        return None


def write_printed(
    d: Drawing,
    path: str | Path,
    info: CaseInfo,
    *,
    fmt: str,
    model: Model | None = None,
    watermark: bool | None = None,
    dpi: int = 150,
    progress=None,
) -> Path:
    """Write a drawing with header, legend and appendix.

    Parameters
    ----------
    d : Drawing
        What is drawn (:func:`graphkit.exports.drawing`): the legend says what it folds and leaves out of the
        whole graph, the appendix lists every relationship it stands for.
    path : str or Path
    info : CaseInfo
    fmt : {"pdf", "png", "svg"}
    model : Model, optional
    watermark : bool, optional
        Stamp every page (default: PDF and PNG yes, SVG no: it is the editable format).
    dpi : int, default 150
        Resolution of a PNG.
    progress : callable, optional
        ``progress(done, total, what)`` before each page of a PDF (the one drawing of a PNG or SVG) and at
        the end (:data:`graphkit.exports.Progress`).

    Returns
    -------
    Path
    """
    model = model or Model.default()
    path = Path(path)
    watermark = fmt in ("pdf", "png") if watermark is None else watermark
    rows = d.rows
    family = cjk_font()
    folded = sum(a["folded"] for a in d.folds.values())
    heading = appendix_heading(len(rows), d.shown.number_of_nodes(), folded, len(d.folds), info.lang)
    # the SVG's ids salted alike every time (they were random): one drawing, the same bytes
    rc = {"font.family": [family, "DejaVu Sans"], "svg.fonttype": "path", "pdf.fonttype": 3, "svg.hashsalt": "graphkit"}
    report = progress or (lambda done, total, what: None)
    with matplotlib.rc_context(rc):
        if fmt == "pdf":
            from matplotlib.backends.backend_pdf import PdfPages

            # a header of several subject lines leaves fewer rows a page (the appendix ran off the page's foot)
            head = header_height(info)
            fits = ROWS_PER_PAGE - math.ceil(round((head - 1.0) / _ROW_H, 6))
            pages = max(1, math.ceil(len(rows) / fits))
            per_page = max(1, math.ceil(len(rows) / pages))  # rows shared out: 63 rows are 32 + 31, not 62 + 1
            # the key to the numbered nodes after the drawing, two halves a page, before the appendix
            keyed = key_rows(d.drawn, node_key(d.drawn), model, info.lang)
            key_pages = math.ceil(len(keyed) / (2 * fits))
            key_per_page = math.ceil(len(keyed) / key_pages) if keyed else 0
            total = 1 + key_pages + (pages if rows else 0)
            # what a document system lists of the file: what was asked and who exported it, besides the case
            meta = {"Title": info.case_line, "Subject": info.subject, "Author": info.by, "Creator": "graphkit"}
            meta["CreationDate"] = _when(info)  # the export's time, as the header says it (not the clock's again)
            with PdfPages(path, metadata=meta) as pdf:
                report(0, total, f"page 1/{total}")
                fig = Figure(figsize=A4)
                _first_page(fig, d, info, model, A4[1])
                fig.text(0.96, 0.015, f"1 / {total}", fontsize=6.5, ha="right")
                if watermark:
                    watermark_page(fig, info, A4[1])
                pdf.savefig(fig)
                for p in range(key_pages):
                    report(p + 1, total, f"page {p + 2}/{total}")
                    fig = Figure(figsize=A4)
                    page_header(fig, info, A4[1], 0.0, word("key", info.lang))
                    chunk = keyed[p * key_per_page : (p + 1) * key_per_page]
                    _key_rows(fig, chunk, head + 0.15, A4[1], key_heading(keyed, d, info.lang), info.lang)
                    fig.text(0.96, 0.015, f"{p + 2} / {total}", fontsize=6.5, ha="right")
                    if watermark:
                        watermark_page(fig, info, A4[1])
                    pdf.savefig(fig)
                for p in range(pages if rows else 0):
                    no = p + 2 + key_pages
                    report(no - 1, total, f"page {no}/{total}")
                    fig = Figure(figsize=A4)
                    chunk = rows[p * per_page : (p + 1) * per_page]
                    page_header(fig, info, A4[1], 0.0, word("appendix", info.lang))
                    _appendix_rows(fig, chunk, head + 0.15, A4[1], heading, info.lang)
                    fig.text(0.96, 0.015, f"{no} / {total}", fontsize=6.5, ha="right")
                    if watermark:
                        watermark_page(fig, info, A4[1])
                    pdf.savefig(fig)
            report(total, total, "")
        elif fmt in ("png", "svg"):
            report(0, 1, f"draw {fmt}")
            keyed = key_rows(d.drawn, node_key(d.drawn), model, info.lang)
            key_h = 0.6 + _ROW_H * (math.ceil(len(keyed) / 2) + 2) if keyed else 0  # the key under the drawing
            height = A4[1] + key_h + (0.6 + _ROW_H * (len(rows) + 2) if rows else 0)
            fig = Figure(figsize=(A4[0], height))
            _first_page(fig, d, info, model, height)
            if keyed:
                _key_rows(fig, keyed, A4[1] + 0.1, height, key_heading(keyed, d, info.lang), info.lang)
            if rows:
                _appendix_rows(fig, rows, A4[1] + key_h + 0.1, height, heading, info.lang)
            if watermark:
                watermark_page(fig, info, height)
            meta = {"Title": info.case_line, "Description": info.subject}
            meta.update({"Author": info.by} if fmt == "png" else {"Creator": info.by})  # SVG: Dublin Core's creator
            if fmt == "svg":  # the export's time, as the header says it: one export, the same bytes
                meta["Date"] = info.at
            fig.savefig(path, dpi=dpi, metadata=meta)
            report(1, 1, "")
        else:
            raise ValueError(f"{path}: {fmt!r} is not a print format (pdf, png, svg)")
    return path
