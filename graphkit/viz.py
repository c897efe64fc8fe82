"""Subgraph visuals for the case file: self-contained HTML, PNG, SVG, PDF and GraphML.

* HTML (:func:`to_html`): pyvis with vis.js inlined, no network needed; every edge's tooltip names
  its source file and line (a workbook's row), and a legend in the page says what colours, shapes and links
  mean.
* PNG, SVG, PDF (:func:`to_image`): a drawing for print. Chinese text is set in Noto Sans CJK SC
  (SIL Open Font Licence), taken from the ``mplfonts`` package, so names render on a machine without
  CJK fonts. A graph of up to :data:`CITED_LINKS` links numbers each link and lists under the drawing
  the source file and line of each: a printed visual still cites its evidence.
* GraphML (:func:`to_graphml`): every attribute kept (lists and mappings as JSON text) for Gephi,
  yEd, Cytoscape or i2.

:func:`export` picks the format from the file's suffix. Nodes are coloured and shaped by label from
the model in every format.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.evidence import SYNTHETIC_TYPES
from graphkit.model import Model, citation, money, share
from graphkit.model.mask import mask_caption, mask_graph, mask_key, mask_node_key, mask_record, mask_text

__all__ = [
    "to_html",
    "html_page",
    "to_image",
    "layout_positions",
    "page_positions",
    "path_columns",
    "caption_width",
    "unpile",
    "apart",
    "plain_caption",
    "node_key",
    "key_rows",
    "key_lines",
    "key_title",
    "NAMED_NODES",
    "NAME_PT",
    "PAGE_FONT",
    "to_svg",
    "to_graphml",
    "export",
    "citations",
    "cjk_font",
    "cjk_font_file",
    "node_caption",
    "edge_caption",
    "tooltip",
    "legend_html",
    "display_value",
    "money_value",
    "link_props",
    "FORMATS",
    "spread",
    "loop_angles",
    "vis_loop",
    "label_links",
    "place_labels",
    "link_curve",
    "LINK_PT",
    "LINK_LABEL",
    "LINK_LEADER",
    "CAPTION_LEADER",
    "FAR_SPOT",
    "caption_leader",
    "needs_leader",
]

#: file suffix -> what writes it
FORMATS = {".html": "HTML", ".htm": "HTML", ".png": "image", ".svg": "image", ".pdf": "image", ".graphml": "GraphML"}
#: most links a drawing numbers and cites (source file and row) under itself
CITED_LINKS = 40
FONT_FILE = "NotoSansCJKsc-Regular.otf"


def spread(n: int) -> float:
    """Share of a drawing's width and height a graph of ``n`` nodes is laid out over: a few nodes stay near the
    middle at about the distance many nodes keep, instead of being pulled to opposite corners of the page
    (two nodes a page's diagonal apart); 16 nodes or more fill it.

    >>> [round(spread(n), 2) for n in (1, 2, 4, 9, 16, 400)]
    [0.25, 0.35, 0.5, 0.75, 1.0, 1.0]
    """
    return min(1.0, 0.25 * math.sqrt(max(n, 1)))


def _fixed_frame(ax, pos: dict, n: int, margin: float) -> dict:
    """``pos`` (a networkx layout, centred, the largest coordinate 1) shrunk by :func:`spread` in an axes whose
    limits stay those a full layout gets, so a small graph is drawn small in the middle; a graph of 16 nodes or
    more is returned as it is and the axes fits it (``margin``)."""
    s = spread(n)
    if s >= 1.0:
        ax.margins(margin)
        return pos
    lim = 1.0 + 2 * margin
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    return {v: (float(p[0]) * s, float(p[1]) * s) for v, p in pos.items()}


def vis_loop(u, v, seen: dict) -> dict:
    """vis-network options of a link from ``u`` to ``v``: a node's second, third … link to itself drawn as a
    wider loop than the one before (vis-network draws them all the same size, one over the other); ``seen``
    counts each node's loops so far.

    >>> seen = {}
    >>> [vis_loop("a", "a", seen), vis_loop("a", "b", seen), vis_loop("a", "a", seen)]
    [{}, {}, {'selfReference': {'size': 38}}]
    """
    if u != v:
        return {}
    k = seen[u] = seen.get(u, -1) + 1
    return {"selfReference": {"size": 20 + 18 * k}} if k else {}


def loop_angles(pos: dict, g: nx.MultiDiGraph, *, caption: float = -math.pi / 2) -> dict:
    """Direction (radians, in ``pos``'s own frame) in which to draw the links of each node that links to itself
    (a company holding its own shares): the middle of the widest gap between the directions of its other links
    and of its caption (``caption``: below the node where y grows upwards; ``pi / 2`` where it grows downwards,
    as in SVG), so the loop sits clear of them.

    >>> g = nx.MultiDiGraph([("a", "a"), ("a", "b"), ("a", "c")])
    >>> round(loop_angles({"a": (0, 0), "b": (1, 0), "c": (0, 1)}, g)["a"], 2)  # b east, c north, caption south
    3.14
    >>> round(loop_angles({"a": (0, 0)}, nx.MultiDiGraph([("a", "a")]))["a"], 2)  # alone: opposite its caption
    1.57
    """
    out = {}
    for v in {u for u, w in g.edges() if u == w}:
        x, y = pos[v]
        others = {w for w in nx.all_neighbors(g, v) if w != v}
        angles = [math.atan2(pos[w][1] - y, pos[w][0] - x) for w in others if tuple(pos[w]) != (x, y)]
        angles = sorted({math.atan2(math.sin(a), math.cos(a)) for a in [*angles, caption]})
        gaps = [(angles[(i + 1) % len(angles)] - a) % (2 * math.pi) or 2 * math.pi for i, a in enumerate(angles)]
        i = max(range(len(gaps)), key=gaps.__getitem__)
        mid = angles[i] + gaps[i] / 2
        out[v] = math.atan2(math.sin(mid), math.cos(mid))
    return out


def _loop(angle: float, r: float, reach: float) -> list[tuple[float, float]]:
    """Start, two control points and end of a cubic curve leaving a node of radius ``r`` and coming back to it,
    pointing at ``angle``, ``reach`` from its centre at the control points (any unit, the centre at 0, 0)."""

    def at(d: float, a: float) -> tuple[float, float]:
        return d * math.cos(a), d * math.sin(a)

    return [at(r, angle - 0.5), at(reach, angle - 0.62), at(reach, angle + 0.62), at(r, angle + 0.5)]


_MARKERS = {
    "dot": "o",
    "circle": "o",
    "ellipse": "o",
    "box": "s",
    "square": "s",
    "database": "s",
    "diamond": "D",
    "triangle": "^",
    "triangleDown": "v",
    "star": "*",
    "hexagon": "h",
}
_font: str | None = None
#: link types drawn but not stored (graphkit.evidence): (Chinese, English)
SYNTHETIC = SYNTHETIC_TYPES
#: what a drawn-only link (:data:`SYNTHETIC`) means, for a page's legend: (Chinese, English)
SYNTHETIC_MEANING = {
    "BID": ("企业投标该项目", "the company bid for the tender"),
    "CO_BID": ("两家企业投过同一批标，×N 为共同投标的项目数", "both bid in the same tenders, ×N of them"),
    "SHARED": (
        "无文字的线：企业与图中另一企业共用线端的电话、地址、人员或账户",
        "the line without a caption: the company shares the phone, address, person or account it ends at",
    ),
    "FOLDED": ("多个同类节点归并为一个", "nodes of one kind folded into one"),
    "PAID": ("单位按合同向企业付款（合计金额）", "the unit paid the company under its contracts (the total)"),
}
#: a FAMILY link's kinship in the words of a family register (loaders/vocabularies.yaml, kinship: the first word)
KINSHIP_ZH = {
    "spouse": "配偶",
    "parent": "父母",
    "child": "子女",
    "sibling": "兄弟姐妹",
    "in_law": "姻亲",
    "other": "其他亲属",
}


def node_caption(
    node_id: str, attrs: dict, *, model: Model | None = None, lang: str = "zh", unmask: bool = False
) -> str:
    """What a node shows: a name where the model has one (its caption property, else its ``name`` where the label
    declares a caption: a tender with its name alone had been captioned by its key, SZZB…), else its key, masked when
    the key is personal (an ID number, phone or bank account: :func:`graphkit.model.mask.mask_key`). A folded node
    (:func:`graphkit.evidence.fold`) shows how many it holds and their kind, by the value it was folded by
    where the model names it (``24 工资发放``), else by its label (``24 发放记录``)."""
    label = attrs.get("label", "")
    model = model or Model.default()
    if attrs.get("folded"):
        spec = model.labels.get(label)
        named = model.kind_name(label, attrs.get(spec.fold_by)) if spec is not None and spec.fold_by else None
        kind = named if named and lang == "zh" else model.display_name(label, lang) if spec is not None else label
        if lang == "en" and spec is not None and attrs["folded"] != 1:  # 24 payment records (it read 24 payment record)
            kind = _plural_noun(kind)
        return f"{attrs['folded']} {kind}"
    if label == "FuelTransaction" and attrs.get("station"):
        return f"{attrs['station']} {str(attrs.get('time') or '')[:16]}".strip()
    shown = model.caption(label, attrs, node_id, lang)  # its name where it has no title (a tender from a ring's bids)
    if shown != str(node_id):  # an address's text (a home address, in any script) is masked as its key is
        return shown if unmask or label not in model.labels else mask_caption(label, node_id, shown, model)
    if unmask or label not in model.labels:
        return str(node_id)
    return mask_key(label, node_id, model)


#: the kinds of node a community's drawing adds that the model has none of: a bid document's traces
#: (:data:`graphkit.evidence._SIGNAL_LABELS`, their label as it is in the graph), in (Chinese, English)
TRACE_KINDS: dict[str, tuple[str, str]] = {
    "投标文件 bid document": ("投标文件", "bid document"),
    "投标文件作者 document author": ("投标文件作者", "document author"),
    "上传设备 upload device": ("上传设备", "upload device"),
    "上传 IP upload IP": ("上传 IP", "upload IP"),
}


def kind_word(label: str, lang: str = "zh", model: Model | None = None) -> str:
    """A kind of node as a legend or a hover text names it, in ``lang`` alone: the model's name for its labels, a
    bid document's trace by :data:`TRACE_KINDS` (a community's legend under ``lang="en"`` read 投标文件作者 document
    author), any other label as it is.

    >>> kind_word("Company"), kind_word("Company", "en"), kind_word("投标文件作者 document author", "en")
    ('企业', 'company', 'document author')
    """
    model = model or Model.default()
    if label in model.labels:
        return model.display_name(label, lang)
    if label in TRACE_KINDS:
        return TRACE_KINDS[label][0 if lang == "zh" else 1]
    return label


def _plural_noun(noun: str) -> str:
    """An English noun of the model (:meth:`graphkit.model.Model.display_name`) in the plural: its last word's.

    >>> [_plural_noun(x) for x in ("payment record", "company", "address", "FtM entity", "car park")]
    ['payment records', 'companies', 'addresses', 'FtM entities', 'car parks']
    """
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def edge_caption(attrs: dict, *, model: Model | None = None, lang: str = "zh") -> str:
    """What a link shows: its type's name from the model (Chinese by default, ``lang="en"`` English), with
    :func:`edge_detail` (the share of a shareholding, the kinship of a family link, a count)."""
    model = model or Model.default()
    t = attrs.get("type", "")
    if t == "SHARED":  # the shared value's node says what it is; the link says only that it is shared
        return ""
    if t in SYNTHETIC:
        name = SYNTHETIC[t][0 if lang == "zh" else 1]
    elif t in model.relationships:
        name = model.display_name(t, lang)
    else:
        name = str(t)
    return name + edge_detail(attrs, lang=lang, model=model)


#: the amount a drawn-only link (:data:`SYNTHETIC`) carries: a portrait's PAID its total, a folded BID its price
_SYNTHETIC_MONEY = {"PAID": "amount", "BID": "price"}


def money_value(name: str, prop: str, attrs: Mapping[str, Any], *, model: Model | None = None, lang: str = "zh"):
    """A node's or link's property as money (:func:`graphkit.model.money`, ``806.4 万元``; ``lang="en"``
    ``¥8,063,659.17``) when it is an amount: declared so in the model (``money:``), or a drawn-only link's
    (:data:`_SYNTHETIC_MONEY`); else None. A case file and a hover text had written ``8,063,659.17`` with no
    currency, where the portrait wrote ``806.4 万元``.

    >>> money_value("PAID", "amount", {"amount": 8063659.17}), money_value("Contract", "amount", {"amount": 980000.0})
    ('806.4 万元', '98.0 万元')
    >>> money_value("FAMILY", "relationship", {"relationship": "spouse"}) is None
    True
    """
    model = model or Model.default()
    shown = model.money_text(name, prop, attrs, lang)
    if shown is None and _SYNTHETIC_MONEY.get(name) == prop and attrs.get(prop) is not None:
        cur = attrs.get("currency")
        shown = money(attrs[prop], cur if isinstance(cur, str) and cur.strip() else "CNY", lang)
    return shown


def edge_detail(attrs: dict, *, lang: str = "zh", model: Model | None = None) -> str:
    """What a link's own values add to its type's name: `` 60%`` for a shareholding, ``·配偶`` (`` (spouse)``) for
    a family link (the far end's kinship to the near end, as the family register writes it: a case file said only
    亲属, where the console said "spouse of"), `` ×3`` for co-bidding tenders or an agent's bids, the amount of
    a payment, a contract or a winning bid (`` 806.4 万元``: :func:`money_value`); else ``""``.

    >>> edge_detail({"type": "FAMILY", "relationship": "spouse"}), edge_detail({"type": "SHAREHOLDER_OF", "percent": 6})
    ('·配偶', ' 6%')
    >>> paid = {"type": "PAID", "amount": 8063659.17}
    >>> edge_detail(paid), edge_detail(paid, lang="en")
    (' 806.4 万元', ' ¥8,063,659.17')
    """
    t = attrs.get("type", "")
    if t == "SHAREHOLDER_OF" and attrs.get("percent") is not None:  # as path and the portrait write it
        return f" {share(attrs['percent'], lang)}"
    if t == "FAMILY" and (attrs.get("relationship") or attrs.get("relationship_text")):
        rel = attrs.get("relationship")
        word = (KINSHIP_ZH if lang == "zh" else {}).get(rel) or attrs.get("relationship_text") or rel
        return f"·{word}" if lang == "zh" else f" ({word})"
    if t == "CO_BID" and attrs.get("tenders"):
        return f" ×{attrs['tenders']}"
    if t in ("BID_AGENT", "BOND_PAID_FROM") and (attrs.get("bids") or 0) > 1:
        return f" ×{attrs['bids']}"
    for prop in ("amount", "price"):
        shown = money_value(t, prop, attrs, model=model, lang=lang)
        if shown:
            return f" {shown}"
    return ""


def tenure(attrs: Mapping[str, Any], *, lang: str = "zh") -> str:
    """A post's holding as a warning's evidence lists it: the post and, where the roster gives them, its start and its
    end (``·处长（2012-03-01—2022-06-30，已离任）``; ``lang="en"``: `` (处长, 2012-03-01 to 2022-06-30, left)``);
    ``""`` for any other link, or a post with neither. `warnings show` of the ex-official model had listed the
    post as ``—任职/参保→`` alone beside a summary saying when the official left.

    >>> tenure({"type": "EMPLOYED_BY", "post": "处长", "start_date": "2012-03-01", "end_date": "2022-06-30"})
    '·处长（2012-03-01—2022-06-30，已离任）'
    >>> tenure({"type": "EMPLOYED_BY", "post": "处长", "end_date": "2022-06-30"}, lang="en")
    ' (处长, to 2022-06-30, left)'
    >>> tenure({"type": "EMPLOYED_BY", "post": "局长", "start_date": "2016-01-01"}), tenure({"type": "WON"})
    ('·局长（2016-01-01 至今）', '')
    """
    if attrs.get("type") != "EMPLOYED_BY":
        return ""
    post, since, until = (str(attrs[k]) if attrs.get(k) else "" for k in ("post", "start_date", "end_date"))
    zh = lang == "zh"
    if until:
        when = f"{since}—{until}，已离任" if zh else f"{since + ' ' if since else ''}to {until}, left"
        when = when if since or not zh else f"至{until}，已离任"
    else:
        when = (f"{since} 至今" if zh else f"since {since}") if since else ""
    if zh:
        return (f"·{post}" if post else "") + (f"（{when}）" if when else "")
    said = ", ".join(x for x in (post, when) if x)
    return f" ({said})" if said else ""


def evidence_detail(link: Mapping[str, Any], *, lang: str = "zh", model: Model | None = None) -> str:
    """What a warning's evidence link adds to its type's name, as ``graphkit warnings show`` and the Warnings tab
    list it: its figures (:func:`edge_detail`: the share held, the price won) and a post's holding
    (:func:`tenure`), from the link's ``type`` and the ``figures`` the ledger kept."""
    attrs = {"type": link["type"], **(link.get("figures") or {})}
    return edge_detail(attrs, lang=lang, model=model) + tenure(attrs, lang=lang)


def display_value(v: Any) -> Any:
    """A value as a tooltip shows it: a float rounded for reading (0.97, 12.35, 1,234,568), so it is never
    written with 16 digits that the masking then takes for a bank account (``0.9715********5611``); anything
    else as it is.

    >>> [display_value(v) for v in (0.9715283745611, 3.0, 12.3456, 1234567.891, 7, "x", True)]
    ['0.97', '3', '12.35', '1,234,568', 7, 'x', True]
    """
    if not isinstance(v, float) and type(v).__name__ not in ("float16", "float32", "float64", "longdouble"):
        return v
    f = float(v)
    if not math.isfinite(f):
        return v
    if abs(f) >= 1000:
        return f"{f:,.0f}"
    return f"{f:.2f}".rstrip("0").rstrip(".")


def link_props(attrs: Mapping[str, Any], *, model: Model | None = None, lang: str = "zh") -> str:
    """A link's own values for its hover text, ``key=value`` comma-separated, an amount as money
    (:func:`money_value`: ``amount=806.4 万元``, where it read ``amount=8063659.17``), a float rounded
    (:func:`display_value`); its type, key and source row are said apart.

    >>> link_props({"type": "PAID", "amount": 8063659.17, "src_row": 3, "weight": 1.23456})
    'amount=806.4 万元, weight=1.23'
    >>> link_props({"type": "SHAREHOLDER_OF", "percent": 50.8472})
    'percent=50.85%'
    """
    t = attrs.get("type", "")
    model = model or Model.default()

    def shown(k: str, v: Any) -> Any:
        figure = money_value(t, k, attrs, model=model, lang=lang) or model.share_text(t, k, attrs, lang)
        return figure or display_value(v)

    return ", ".join(
        f"{k}={shown(k, v)}"
        for k, v in attrs.items()
        if k not in ("type", "id", "src_file", "src_row") and v not in (None, "")
    )


#: what a hover text calls the attributes a neighbourhood adds to a node (:func:`graphkit.paths.neighbourhood`)
_DRAWN_ZH = {"hop": "距中心层数", "links": "关系数", "hub": "枢纽（关系过多，分页展开）", "name": "名称"}
#: … and those a bidder graph adds (:mod:`graphkit.collusion`): a company's risk, bids and wins, a shared
#: identifier's signal, a link's tenders in common and weight
_DRAWN_ZH |= {"risk": "风险", "bids": "投标次数", "wins": "中标次数", "signal": "共用标识"}
_DRAWN_ZH |= {"tenders": "共同投标标段", "weight": "权重", "count": "次数"}


def _drawn_value(k: str, v: Any) -> Any:
    """A drawn attribute's value in Chinese: a bidder graph's signal in words (agent: 投标代理人), true and false
    as 是 and 否, a float rounded (:func:`display_value`)."""
    if k == "signal":
        from graphkit.collusion.bidder_graph import SIGNAL_WORDS
        from graphkit.collusion.words import SIGNAL_ZH

        return SIGNAL_ZH.get(SIGNAL_WORDS.get(str(v), str(v)), v)
    return "是" if v is True else "否" if v is False else display_value(v)


def link_title(attrs: Mapping[str, Any], *, lang: str = "zh") -> str:
    """A link's hover text: its source row (``来源〔household.csv 第12行〕``, as every face cites a record;
    ``lang="en"``: ``source [household.csv line 12]``, where it was bare), else what a bidder graph's link carries
    (its signal, tenders in common, weight), in ``lang``."""
    if attrs.get("src_file"):
        return _source_said(attrs, lang)
    keys = [k for k in ("signal", "tenders", "weight", "count") if attrs.get(k)]
    if lang != "zh":
        return " ".join(f"{k}: {attrs[k]}" for k in keys)
    return " ".join(f"{_DRAWN_ZH[k]}: {_drawn_value(k, attrs[k])}" for k in keys)


def tooltip(node_id: str, attrs: dict, *, model: Model | None = None, lang: str = "zh", unmask: bool = False) -> str:
    """A node's hover text: kind, key and properties, every identifier masked and a birth date cut to its year
    (:func:`graphkit.model.mask.mask_record`: beside a masked ID number the whole date rebuilds it) unless
    ``unmask``. In Chinese (``lang="zh"``) the properties are named as the model names them (``出生日期``), the
    neighbourhood's own attributes in words (``距中心层数``, ``关系数``; a hub said only when it is one), true and
    false as 是 and 否, and a folded node says how many rows it holds, not its internal key and anchors' keys."""
    model = model or Model.default()
    if not unmask:
        attrs = mask_record(attrs, key=node_id)
    label = attrs.get("label", "")
    kind = kind_word(label, lang, model)
    key = mask_node_key(label, node_id, model) if label in model.labels and not unmask else str(node_id)
    zh = lang == "zh"
    if zh and attrs.get("folded"):
        head = f"{kind} {attrs['folded']} 条（已归并，点击展开）"
        skip = ("label", "members", "folded", "anchors")
    else:
        head, skip = f"{kind} {key}", ("label", "members")
    cited = None
    if zh and attrs.get("src_file"):  # one line, as a path's hop cites its row: 来源〔household.csv 第12行〕
        cited = _source_said(attrs, "zh")
        attrs = {k: v for k, v in attrs.items() if k not in ("src_file", "src_row")}

    def named(k: str, v: Any) -> str | None:
        cash = money_value(label, k, attrs, model=model, lang=lang)
        if not zh:
            return f"{k}: {cash or display_value(v)}"
        if k == "hub" and not v:
            return None
        name = model.property_name(label, k)
        name = _DRAWN_ZH.get(k, k) if name == k else name
        return f"{name}: {cash or _drawn_value(k, v)}"

    lines = [head] + [
        x for k, v in attrs.items() if k not in skip and v not in (None, "") for x in [named(k, v)] if x is not None
    ]
    lines += [cited] if cited else []
    # a public key (a unit's fuel card) stays as the caption shows it; free text would mask it as an account
    keep = frozenset({key}) if key == str(node_id) else frozenset()
    return "\n".join(lines) if unmask else mask_text("\n".join(lines), keep=keep)


#: the legend of :func:`html_page`: a column right of the graph, as high as the graph at most (pyvis's own style
#: floats the graph; the card lays both out side by side instead)
_LEGEND_CSS = (
    ".card { display: flex; align-items: flex-start; gap: 10px; }"
    " .card #mynetwork { float: none; flex: 1 1 auto; min-width: 0; }"
    " .gk-legend { flex: 0 0 270px; max-height: {height}; overflow: auto; box-sizing: border-box;"
    " border: 1px solid lightgray; padding: 6px 10px; font-size: 12px; line-height: 1.5; color: #222; }"
    " .gk-legend .title { font-weight: bold; font-size: 13px; }"
    " .gk-legend ul { list-style: none; margin: 0 0 4px 0; padding: 0; }"
    " .gk-legend li { margin: 2px 0; }"
    " .gk-legend svg { vertical-align: middle; margin-right: 5px; }"
    " .gk-legend .head { color: #555; margin-top: 6px; }"
    " .gk-legend .en { color: #777; }"
)


def named_keys(
    store: Any,
    keys: Any,
    *,
    labels: dict[str, str] | None = None,
    unmask: bool = False,
    model: Model | None = None,
    lang: str = "zh",
) -> dict[str, str]:
    """Each key as a list shows an entity: the name the store gives it, as a drawing captions it
    (:func:`node_caption`: a home address's text masked), beside its key as every face shows it
    (:func:`~graphkit.model.mask.mask_node_key`): ``张伟 (3205**********3414)``; the key alone where the store has
    nothing else to show. ``labels``: the label of a key the caller knows (a warning's typed entities), for one
    the store has not got. Masked unless ``unmask``. The Warnings tab and `warnings show` read evidence so. A name
    the model writes from figures (a contract's amount) in ``lang``: under ``lang="en"`` it read ``98.0 万元 (K1)``."""
    from graphkit.paths import locate

    model = model or Model.default()
    labels = labels or {}
    keys = list(dict.fromkeys(str(k) for k in keys))
    nodes = locate(store, keys)
    out = {}
    for k in keys:
        node = nodes.get(k)
        label = node.label if node is not None else labels.get(k, "")
        key = k if unmask else mask_node_key(label, k, model)
        name = (
            node_caption(k, {"label": label, **node.properties}, model=model, lang=lang, unmask=unmask)
            if node is not None
            else None
        )
        shown = f"{name} ({key})" if name and name not in (k, key) else key
        # a key its label shows in clear (an invoice's number) stays so: free text would mask its digits again
        out[k] = shown if unmask else mask_text(shown, keep={k} if key == k else frozenset())
    return out


def kind_counts(g: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """How many nodes of each label and links of each type ``g`` has (a legend's counts: :func:`legend_html`,
    :func:`graphkit.exports.legend_entries`)."""
    kinds = Counter(str(a.get("label", "")) for _, a in g.nodes(data=True))
    types = Counter(str(a.get("type", "")) for *_, a in g.edges(data=True))
    return dict(kinds), dict(types)


def legend_html(g: nx.MultiDiGraph, *, model: Model | None = None, lang: str = "zh") -> str:
    """The legend :func:`html_page` sets beside the graph: each kind of node drawn with its colour and shape,
    name and count; each kind of link with its name, what a link drawn only in the picture means (a company's
    unlabelled link to a phone it shares, co-bidding's ×N), and its count; that a wider link weighs more; and that
    hovering shows details and source rows. In Chinese alone, the names as the model gives them (``lang="en"``:
    English alone); it had set the English beside the Chinese (图例 legend, 企业 company (4), an English sentence under
    what 付款 means) on a Chinese page.

    Example
    -------
    >>> g = nx.MultiDiGraph([("c1", "c2", {"type": "CO_BID", "tenders": 3, "weight": 2.0})])
    >>> g.add_nodes_from(["c1", "c2"], label="Company")
    >>> box = legend_html(g)
    >>> "企业 (2)" in box and "共同投标 (1)" in box and "线越粗" in box and "company" not in box
    True
    >>> "company (2)" in legend_html(g, lang="en") and "企业" not in legend_html(g, lang="en")
    True
    """
    model = model or Model.default()
    zh = lang == "zh"
    esc = html.escape
    kinds, types = kind_counts(g)
    rows = [f"<aside class='gk-legend'><div class='title'>{'图例' if zh else 'Legend'}</div>"]
    if kinds:
        rows.append(f"<div class='head'>{'节点' if zh else 'nodes'}</div><ul>")
        for label, n in sorted(kinds.items()):
            style = _style(model, label)
            name = kind_word(label, lang, model) or "?"
            mark = _shape_svg(style.get("shape", "dot"), 8, 8, 5, style["color"])
            rows.append(f"<li><svg width='16' height='16'>{mark}</svg>{esc(name)} ({n:,})</li>")
        rows.append("</ul>")
    if types:
        weighted = any(a.get("weight") for *_, a in g.edges(data=True))
        head = "links (arrow from start to end, in the start's colour)"
        head = "关系（箭头由起点指向终点，线色同起点）" if zh else head
        rows.append(f"<div class='head'>{head}</div><ul>")
        line = (
            "<svg width='30' height='10'><line x1='1' y1='5' x2='23' y2='5' stroke='#8a8a8a' stroke-width='1.5'/>"
            "<path d='M22,1 L29,5 L22,9 z' fill='#8a8a8a'/></svg>"
        )
        for t, n in sorted(types.items()):
            if t in SYNTHETIC:
                name = SYNTHETIC[t][0 if zh else 1]
                means = SYNTHETIC_MEANING.get(t)
                said = "" if not means else f"：{esc(means[0])}" if zh else f": {esc(means[1])}"
            elif t in model.relationships:
                name = model.display_name(t, lang)
                said = ""
            else:
                name, said = t or "?", ""
            rows.append(f"<li>{line}{esc(name)} ({n:,}){said}</li>")
        rows.append("</ul>")
        if weighted:
            rows.append(f"<div class='head'>{'线越粗，关系权重越大' if zh else 'wider: more weight'}</div>")
    rows.append(
        "<div class='head'>悬停节点或关系看详情与来源行</div>"
        if zh
        else "<div class='head'>hover for details and source rows</div>"
    )
    rows.append("</aside>")
    return "".join(rows)


def to_html(
    g: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str = "",
    model: Model | None = None,
    height: str = "720px",
    lang: str = "zh",
    unmask: bool = False,
    **layout: Any,
) -> Path:
    """Write ``g`` as one self-contained HTML file and return its path (identifiers masked unless ``unmask``;
    ``layout``: :func:`html_page`'s ``positions``, ``marks`` and ``legend_extra``).

    Example
    -------
    >>> import networkx as nx, tempfile, os
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p1", label="Person", name="张伟")
    >>> g.add_node("c1", label="Company", name="某某建设有限公司")
    >>> _ = g.add_edge("p1", "c1", type="SHAREHOLDER_OF", percent=60.0, src_file="shareholders.csv", src_row=2)
    >>> p = to_html(g, os.path.join(tempfile.mkdtemp(), "g.html"), title="demo")
    >>> import json; json.dumps("张伟") in p.read_text(encoding="utf-8")   # labels are JSON-escaped
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page = html_page(g, title=title, model=model, height=height, lang=lang, unmask=unmask, **layout)
    path.write_text(page, encoding="utf-8")
    return path


def html_page(
    g: nx.MultiDiGraph,
    *,
    title: str = "",
    model: Model | None = None,
    height: str = "720px",
    lang: str = "zh",
    unmask: bool = False,
    font: tuple[str, Callable[[str], str]] | None = None,
    positions: Mapping[Any, tuple[float, float]] | None = None,
    marks: Sequence[tuple] = (),
    legend_extra: str = "",
) -> str:
    """The self-contained HTML page of :func:`to_html`, as text (for a notebook's iframe).

    Captions and link names are Chinese from the model (``lang="en"``: English); a link with a ``weight`` is
    drawn wider. A legend (:func:`legend_html`) right of the graph says what the colours, shapes
    and links mean. Identifiers are masked (:func:`graphkit.model.mask.mask_graph`) unless ``unmask``; the
    characters shown are set in an embedded subset of Noto Sans CJK SC (:func:`graphkit.exports.html.font_face`),
    so Chinese never shows as boxes. ``font``: (family, function from the text shown to its ``@font-face``
    rule) instead, for a page embedded in another that subsets the font once for both. ``positions``: where
    each node of ``g`` is drawn, by its key in ``g`` (masked or not), in the page's pixels, y down
    (:func:`page_positions`: as the printed drawing, the same way up), the physics simulation off so the layout
    stays as given, and each link's label placed as the HTML case file's (:func:`_page_link_labels`: on its line
    clear of the names, marks and other lines, else beside it on a leader; the legend counts those with no room);
    ``marks``: (text, x, y) or
    (text, x, y, font size) captions drawn on the page among the nodes (a community's number);
    ``legend_extra``: HTML put at the top of the legend."""
    from pyvis.network import Network

    from graphkit.exports.html import EDGE_FONT, FONT_FAMILY, LABEL_H, LABELS_JS, font_face

    family, face_of = font or (FONT_FAMILY, font_face)
    model = model or Model.default()
    if not unmask:
        masked = mask_graph(g, model)
        if positions is not None:  # given by the caller's keys: a person's node, its key masked, had been left
            # unplaced (vis-network put it anywhere, over another); mask_graph keeps the nodes' order
            renamed = dict(zip(g.nodes, masked.nodes, strict=True))
            positions = {renamed[v]: xy for v, xy in positions.items() if v in renamed}
        g, title = masked, mask_text(title)
    if positions is None and g.graph.get("path_ends"):  # a path (notebook 05's) from its start on the left
        positions = page_positions(g, ends=g.graph["path_ends"])
    font = {"face": f"{family}, sans-serif"}
    shown = [title]
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading="")
    captions = {n: node_caption(n, a, model=model, lang=lang, unmask=unmask) for n, a in g.nodes(data=True)}
    # a name a line runs through set above its mark where fewer run there (name_sides), on a white halo as printed
    above = set() if positions is None else name_sides(positions, captions, [(u, v) for u, v in g.edges() if u != v])
    for n, a in g.nodes(data=True):
        style = _style(model, a.get("label", ""))
        caption = captions[n]
        tip = tooltip(n, a, model=model, lang=lang, unmask=unmask)
        shown += [caption, tip]
        at = {} if positions is None or n not in positions else {"x": positions[n][0], "y": positions[n][1]}
        named = {**font, **NAME_HALO} | ({"vadjust": name_lift()} if n in above else {})
        net.add_node(str(n), label=caption, title=tip, color=style["color"], shape=style["shape"], font=named, **at)
    for i, (text, x, y, *size) in enumerate(marks):
        shown.append(text)
        big = {**font, "size": size[0] if size else 30, "color": "#b22222", "strokeWidth": 4, "strokeColor": "#ffffff"}
        net.add_node(f"\x1fmark{i}", label=text, shape="text", x=x, y=y, font=big, physics=False, title=text)
    loops: dict = {}
    edges = list(g.edges(data=True))
    said = [edge_caption(a, model=model, lang=lang) for *_, a in edges]
    placed, dropped, numbered = _page_link_labels(
        g, edges, said, positions, model=model, lang=lang, unmask=unmask, above=above
    )
    for (u, v, a), label, put in zip(edges, said, placed, strict=True):
        props = link_props(a, model=model, lang=lang)
        extra = {"value": float(a["weight"])} if a.get("weight") else {}
        extra.update(vis_loop(u, v, loops))
        tip = f"{a.get('type', '')} {props}\n" + _source_said(a, lang)
        tip = tip if unmask else mask_text(tip)
        shown += [label, tip]
        if put is not None:  # straight, its label where place_labels put it (LABELS_JS), not by vis at its middle
            text, share, lead = put
            extra["smooth"] = False
            extra |= {"caption": text, "at": share} if text else {}
            extra |= {"lead": list(lead)} if text and lead else {}
            label = ""
        net.add_edge(str(u), str(v), label=label, title=tip, font=font, **extra)
    if positions is not None:
        net.toggle_physics(False)
    page = net.generate_html()
    # drop the CDN links pyvis adds for its optional menus: the graph itself is inlined
    page = re.sub(r"<(?:link|script)[^>]+cdn\.jsdelivr\.net[^>]*>(?:</script>)?", "", page)
    legend = legend_html(g, model=model, lang=lang)
    if legend_extra:
        legend = legend.replace("</div>", "</div>" + legend_extra, 1)  # after the legend's title
    if numbered:  # the lines with room for their number alone, keyed as a printed drawing's list keys them
        head = "只标编号的关系（线上编号）" if lang == "zh" else "links numbered on the drawing"
        rows = "".join(f"<li>{html.escape(line if unmask else mask_text(line))}</li>" for line in numbered)
        legend = legend.replace("</aside>", f"<div class='head'>{head}</div><ul class='gk-key'>{rows}</ul></aside>", 1)
    if dropped:  # how many lines had no room for their label (their hover text gives it)
        note = f"{dropped} 条关系线过密，未标注，悬停可见" if lang == "zh" else f"{dropped} links too dense to label"
        legend = legend.replace("</aside>", f"<div class='head'>{html.escape(note)}</div></aside>", 1)
    shown.append(html.unescape(re.sub(r"<[^>]+>", "", legend)))
    # right of the graph, inside its card (after the heading when pyvis names no network div)
    at = '<div id="mynetwork" class="card-body"></div>'
    page = page.replace(at, at + legend, 1) if at in page else page.replace("<body>", "<body>" + legend, 1)
    css = _LEGEND_CSS.replace("{height}", height)
    style = f"<style>{face_of(''.join(shown))} body {{ font-family: {family}, sans-serif; }} {css}</style>"
    redraw = (
        f"<script>document.fonts.load('14px {family}').then(function () "
        "{ if (window.network) { network.redraw(); } });</script>"
    )
    page = page.replace("</head>", style + "</head>", 1).replace("</body>", redraw + "</body>", 1)
    if any(put is not None for put in placed):
        page = page.replace("</body>", LABELS_JS % (EDGE_FONT, family, LABEL_H, LABEL_H / 2, LABEL_H) + "</body>", 1)
    if title:
        page = page.replace("<body>", f"<body><h2>{html.escape(title)}</h2>", 1)
    return page


def _page_link_labels(
    g: nx.MultiDiGraph,
    edges: list[tuple],
    said: list[str],
    positions: Mapping[Any, tuple[float, float]] | None,
    *,
    model: Model,
    lang: str,
    unmask: bool,
    above: Collection = (),
) -> tuple[list[tuple[str, float, tuple | None] | None], int, list[str]]:
    """Where :func:`html_page` writes each link's label (``said``) when the nodes have fixed ``positions``: by the
    printed drawings' rule, as the HTML case file places its own (:func:`graphkit.exports.html.edge_labels`, which
    calls :func:`place_labels`): on its own line clear of the other lines, the nodes' marks and names and the other
    labels, else beside it on a leader, else nowhere (its hover text still gives it). The links of one pair of nodes
    are one straight line, their captions joined (``投标 740.1 万元；中标``) on the pair's first link, as the case file
    draws them (vis-network wrote each at its curve's middle, over a company's name in a bid ring). Per link (label,
    share of the way along its line, leader), ``""`` on a pair's other links and on a line with no room, or None for
    a link vis-network draws and labels itself (a loop, a page without positions); how many lines had no room; and
    the key to the lines numbered: a line with no room for its caption has its number (``[3]``), as a printed
    drawing numbers it, the numbers counted 1, 2, … over those lines alone, and the key (``[3] 甲公司 — 乙公司：投标
    740.1 万元``) lists them under the legend (the demo's bid ring had left 41 of its 70 lines unlabelled, where its
    PDF numbered them). vis-network had written every label at its line's middle, over a node's name where the line
    passed one (the demo portrait's 付款 806.4 万元 over 常熟华达工程咨询有限公司)."""
    from graphkit.exports.html import edge_labels

    out: list[tuple[str, float, tuple | None] | None] = [None] * len(edges)
    if positions is None:
        return out, 0, []
    pairs: dict[frozenset, list[int]] = {}
    for i, (u, v, _) in enumerate(edges):
        if u != v and u in positions and v in positions:
            pairs.setdefault(frozenset((u, v)), []).append(i)
    lines, firsts = [], []
    for links in pairs.values():
        # joined in the page's language (``; `` under en: a bid ring's key read won ¥4,073,075.16；bid …)
        text = ("；" if lang == "zh" else "; ").join(dict.fromkeys(said[i] for i in links if said[i]))
        u, v, _ = edges[links[0]]
        lines.append((u, v, f"[{len(lines) + 1}]" if text else "", text))  # its number where its caption has no room
        firsts.append(links[0])
        for i in links[1:]:
            out[i] = ("", 0.5, None)  # under the pair's first link, on the same straight line
    captions = {str(n): node_caption(n, a, model=model, lang=lang, unmask=unmask) for n, a in g.nodes(data=True)}
    got = edge_labels(lines, dict(positions), captions, {str(n): 25.0 for n in g.nodes}, above={str(n) for n in above})
    key: list[str] = []
    sep = "：" if lang == "zh" else ": "
    for i, (u, v, number, text), put in zip(firsts, lines, got, strict=True):
        if number and put[0] == number:  # its number alone: counted again over the numbered lines (never wider)
            no = f"[{len(key) + 1}]"
            put = (no, *put[1:])
            key.append(f"{no} {captions[str(u)]} — {captions[str(v)]}{sep}{text}")
        out[i] = put
    return out, sum(1 for (*_, text), put in zip(lines, got, strict=True) if text and not put[0]), key


# ---------------------------------------------------------------------------------------------------
# print formats
# ---------------------------------------------------------------------------------------------------
def cjk_font_file() -> Path:
    """The Noto Sans CJK SC file of the ``mplfonts`` package (the package itself is not imported)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "PNG/SVG/PDF export needs the mplfonts package for its Chinese font "
            "(Noto Sans CJK SC): pip install mplfonts"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    if not path.exists():
        raise RuntimeError(f"{path}: the Chinese font is missing from the mplfonts package (reinstall it)")
    return path


def cjk_font() -> str:
    """Register Noto Sans CJK SC (from the ``mplfonts`` package's font folder) with matplotlib once and
    return its family name. The package is not imported: only its font file is read."""
    global _font
    if _font is not None:
        return _font
    from matplotlib import font_manager

    path = cjk_font_file()
    font_manager.fontManager.addfont(str(path))
    _font = font_manager.FontProperties(fname=str(path)).get_name()
    return _font


def _style(model: Model, label: str) -> dict:
    """Colour and shape of a label from the model; grey dots for a label the model does not know."""
    return model.style(label) if label in model.labels else {"color": "#999999", "shape": "dot"}


def _source_said(a: Mapping[str, Any], lang: str = "zh") -> str:
    """A hover text's source line, in the one form every face cites a record (:func:`graphkit.model.citation`):
    ``来源〔family.csv 第2行〕``, ``lang="en"``: ``source [family.csv line 2]`` (it read ``source: family.csv line 2``).

    >>> a = {"src_file": "family.csv", "src_row": 2}
    >>> _source_said(a), _source_said(a, "en")
    ('来源〔family.csv 第2行〕', 'source [family.csv line 2]')
    """
    return ("来源" if lang == "zh" else "source ") + citation(a.get("src_file"), a.get("src_row"), lang)


def citations(g: nx.MultiDiGraph, *, lang: str = "zh") -> list[str]:
    """One line per link, numbered as :func:`to_image` numbers them, with the link's caption (a drawing too
    crowded for it shows the number alone), in Chinese as the drawing's captions are, the relationship by its
    Chinese name alone (a portrait's list had said ``付款 98.0 万元 PAID``), its source cited as a path's
    explanation cites a hop (:func:`graphkit.paths.explain`; it had followed a comma, bare):
    ``[1] 张伟 → 李娜：亲属·配偶〔family.csv 第2行〕``; ``lang="en"``, its type beside it:
    ``[1] 张伟 → 李娜: family (spouse) FAMILY [family.csv line 2]`` (the caption in English: it had kept the Chinese
    one in an English portrait)."""
    colon, gap = ("：", "") if lang == "zh" else (": ", " ")
    out = []
    for i, (u, v, a) in enumerate(g.edges(data=True), start=1):
        kind = a.get("type", "")
        caption = edge_caption(a, lang=lang)
        if lang == "zh":  # a link without a caption (a company's SHARED phone) by its type's Chinese name: 共用
            said = caption or (SYNTHETIC[kind][0] if kind in SYNTHETIC else str(kind))
        else:
            said = f"{caption} {kind}" if caption and caption != kind else kind
        out.append(
            f"[{i}] {node_caption(u, g.nodes[u], lang=lang)} → {node_caption(v, g.nodes[v], lang=lang)}"
            f"{colon}{said}{gap}{citation(a.get('src_file'), a.get('src_row'), lang)}"
        )
    return out


#: where a node's caption may go, in order of preference, as (dx, dy) in units of the marker's half side plus a
#: gap (y up), and the caption's alignment: below, above, right, left, the four corners, then further below and
#: above and further in the corners
CAPTION_SPOTS = (
    ((0, -1), "center", "top"),
    ((0, 1), "center", "bottom"),
    ((1, 0), "left", "center"),
    ((-1, 0), "right", "center"),
    ((0.8, -0.8), "left", "top"),
    ((-0.8, -0.8), "right", "top"),
    ((0.8, 0.8), "left", "bottom"),
    ((-0.8, 0.8), "right", "bottom"),
    ((0, -2.6), "center", "top"),
    ((0, 2.6), "center", "bottom"),
    ((2.2, -2.2), "left", "top"),
    ((-2.2, -2.2), "right", "top"),
    ((2.2, 2.2), "left", "bottom"),
    ((-2.2, 2.2), "right", "bottom"),
)


#: the first of :data:`CAPTION_SPOTS` that is away from its node (further below, above, in the corners): a caption put
#: there is tied to its node by a leader (:func:`caption_leader`), as a link's label set beside its line is
FAR_SPOT = 8
#: the gid of the leader from a node to its caption set away from it, on a matplotlib drawing (tests find it by it)
CAPTION_LEADER = "caption-leader"


def caption_leader(
    centre: tuple[float, float], r: float, box: tuple
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The leader from a node's mark (centre ``centre``, ``r`` from it to the mark's edge) to its caption's box
    ``(x0, y0, x1, y1)`` set away from it: from the mark's edge to the nearest point of the box, on the straight line
    between them. A name set two lines away from its mark in a dense drawing, with none, read as any near node's.

    >>> caption_leader((0, 0), 5, (-10, 20, 10, 30))
    ((0.0, 5.0), (0.0, 20.0))
    """
    x, y = centre
    nx_, ny_ = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    d = math.hypot(nx_ - x, ny_ - y) or 1.0
    return (float(x + (nx_ - x) / d * r), float(y + (ny_ - y) / d * r)), (float(nx_), float(ny_))


def needs_leader(spot: int, box: tuple, own: int, centres: Sequence[tuple[float, float]]) -> bool:
    """Whether a node's caption placed at ``box`` (the ``spot``-th of :data:`CAPTION_SPOTS`) needs a leader to its
    mark: set away from it (:data:`FAR_SPOT` on), or nearer another node's mark than its own (``centres``: every
    node's, its own the ``own``-th), where a reader takes it for that node's name.

    >>> needs_leader(0, (-5, 2, 5, 6), 0, [(0, 0), (0, 30)]), needs_leader(0, (-5, 2, 5, 6), 0, [(0, 0), (0, 5)])
    (False, True)
    """
    if spot >= FAR_SPOT:
        return True
    import numpy as np

    c = np.asarray(centres, dtype=float).reshape(-1, 2)
    dx = np.maximum(np.maximum(box[0] - c[:, 0], c[:, 0] - box[2]), 0.0)
    dy = np.maximum(np.maximum(box[1] - c[:, 1], c[:, 1] - box[3]), 0.0)
    d = np.hypot(dx, dy)
    return bool((np.delete(d, own) < d[own]).any())


def _overlap(a: tuple, b: tuple) -> float:
    """The area two boxes ``(x0, y0, x1, y1)`` share (0 when they do not touch)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def crosses(box: tuple, line: tuple) -> bool:
    """Whether the segment ``line`` ``((x0, y0), (x1, y1))`` passes through the box ``(x0, y0, x1, y1)``
    (Liang-Barsky clipping).

    >>> crosses((0, 0, 10, 4), ((5, -5), (5, 9))), crosses((0, 0, 10, 4), ((12, -5), (12, 9)))
    (True, False)
    """
    (ax, ay), (bx, by) = line
    dx, dy = bx - ax, by - ay
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, ax - box[0]), (dx, box[2] - ax), (-dy, ay - box[1]), (dy, box[3] - ay)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def free_spot(
    candidates: list[tuple], taken: list[tuple], lines: Sequence[tuple] = (), inside: tuple | None = None
) -> int:
    """The index of the first of ``candidates`` (boxes ``(x0, y0, x1, y1)``) that overlaps none of ``taken`` and
    is crossed by none of ``lines`` (segments ``((x0, y0), (x1, y1))``: the links), else of the best in this order:
    the least of it off the page (``inside``), the least of ``taken`` covered, the fewest links through it. Where a
    caption goes so that it covers no other caption, no marker and no link; a line under it (on its white ground)
    stays readable, a name over another does not: a hub's employees had their names set one over another where
    the spots clear of each other each had many of its links through them (a link counted as a quarter of a box).

    >>> free_spot([(0, 0, 10, 10), (0, 20, 10, 30)], [(5, 5, 15, 15)])
    1
    >>> free_spot([(0, 0, 10, 10), (0, 0, 4, 4)], [(5, 5, 15, 15)])
    1
    >>> free_spot([(0, 0, 10, 10), (20, 0, 30, 10)], [], [((5, -5), (5, 15))])
    1
    >>> free_spot([(-5, 0, 5, 10), (0, 0, 10, 10)], [], inside=(0, 0, 100, 100))  # not off the page
    1
    """

    import numpy as np

    box = np.asarray(candidates, dtype=float).reshape(-1, 4)

    def shared(others) -> Any:
        """The area each candidate shares with each of ``others`` (rows x0, y0, x1, y1)."""
        o = np.asarray(others, dtype=float).reshape(-1, 4)
        w = np.minimum(box[:, None, 2], o[None, :, 2]) - np.maximum(box[:, None, 0], o[None, :, 0])
        h = np.minimum(box[:, None, 3], o[None, :, 3]) - np.maximum(box[:, None, 1], o[None, :, 1])
        return np.where((w > 0) & (h > 0), w * h, 0.0)

    area = (box[:, 2] - box[:, 0]) * (box[:, 3] - box[:, 1])
    # a caption past ``inside`` (the page) is cut off: worse than covering another caption
    off = area - shared([inside])[:, 0] if inside is not None else np.zeros(len(box))
    # a caption over another or a marker is unreadable; a line under a caption (on its white ground) is not (all at
    # once: one by one, the captions of a drawing of 150 nodes took 3 of its 7 s)
    cover = shared(taken).sum(1)
    segs = np.asarray(lines, dtype=float).reshape(-1, 4)
    cut = _clip_hits(box[:, None, :], segs[None, :, :]).sum(1) if len(segs) else np.zeros(len(box), dtype=int)
    costs = [(float(a), float(b), int(c)) for a, b, c in zip(off, cover, cut, strict=True)]
    return next((i for i, c in enumerate(costs) if not any(c)), min(range(len(costs)), key=costs.__getitem__))


def link_lines(ax, pos: Mapping, g: nx.MultiDiGraph) -> list[tuple]:
    """The links of a matplotlib drawing of ``g`` as straight segments in display units, for :func:`free_spot`: a
    straight link from end to end, a bent one (parallel links, ``arc3`` bending ``0.18`` per pair as the drawings
    bend them) in two halves through its middle; a link to itself is none (it keeps clear of the caption)."""
    ax.get_xlim(), ax.get_ylim()  # the limits settled (autoscaled): display units read before are a unit square's
    seen: dict[tuple, int] = {}
    out = []
    for u, v in g.edges():
        k = seen[(u, v)] = seen.get((u, v), -1) + 1
        if u == v:
            continue
        (x0, y0), (x1, y1) = pos[u], pos[v]
        rad = 0.0 if k == 0 else 0.18 * ((k + 1) // 2) * (1 if k % 2 else -1)
        mid = ((x0 + x1) / 2 + rad * (y1 - y0) / 2, (y0 + y1) / 2 - rad * (x1 - x0) / 2)
        a, m, b = (tuple(ax.transData.transform(p)) for p in ((x0, y0), mid, (x1, y1)))
        out += [(a, b)] if rad == 0.0 else [(a, m), (m, b)]
    return out


#: the type size, in points, of the list of links under a drawing (:func:`to_image`): 小六 (6.5 pt), as a printed
#: table's small print; it was 5.5 pt
CITE_PT = 6.5
#: the type size, in points, of a link's label on a printed drawing (a case file's first page, a portrait's map):
#: 六号 (7.5 pt), the smallest of the Chinese type sizes whose strokes stay apart on a printed A4 page. They were
#: set at 5 pt (八号), where 投标 and 中标 ran together on paper; GB/T 9704 sets a document's body at 三号 (16 pt).
LINK_PT = 7.5
#: the gid of a link's label on a matplotlib drawing, and of the leader that ties a label set beside its link to it
#: (tests find them by it)
LINK_LABEL = "link-label"
LINK_LEADER = "link-leader"
#: how near (points) another line may come to a link's label, or to where a leader meets its link: a number
#: nearer a crossing reads as the other line's
CLEAR_PT = 3.0
#: where along its link a label may sit (0 its start, 1 its end), its middle first, then outwards by 4 % of its length
#: to 6 % from either end (it stopped at 14 %: a printed bid ring with its tenders' titles left 3 of its 57 links
#: unnumbered, where the last stretch of each long line, by its tender, was clear)
ON_LINK = (0.5, *(round(0.5 + s * 0.04 * k, 2) for k in range(1, 12) for s in (-1, 1)))
#: how far beside its link a label set off it may be (points from the link to the label's near edge), nearest first
_BESIDE = (4.0, 8.0, 13.0, 19.0)


def link_curve(ax, p0, p1, rad: float = 0.0, steps: int = 24):
    """Points along a link drawn from ``p0`` to ``p1`` (data units) with matplotlib's ``arc3,rad=rad`` (a quadratic
    curve whose control point is ``rad`` times the link's length off its middle, in display space, as matplotlib
    bends it), in display units: an array of ``steps + 1`` rows (x, y)."""
    import numpy as np

    a, b = ax.transData.transform(p0), ax.transData.transform(p1)
    c = (a + b) / 2 + rad * np.array([b[1] - a[1], -(b[0] - a[0])])
    t = np.linspace(0.0, 1.0, steps + 1)[:, None]
    return (1 - t) ** 2 * a + 2 * t * (1 - t) * c + t**2 * b


def _clip_hits(box, seg) -> Any:
    """Which segments pass through which boxes (Liang-Barsky clipping), elementwise over numpy's broadcasting:
    ``box`` and ``seg`` arrays (or tuples) whose last axis is x0, y0, x1, y1."""
    import numpy as np

    box, seg = np.asarray(box, dtype=float), np.asarray(seg, dtype=float)
    x0, y0 = seg[..., 0], seg[..., 1]
    dx, dy = seg[..., 2] - x0, seg[..., 3] - y0
    shape = np.broadcast(box[..., 0], x0).shape
    lo, hi, ok = np.zeros(shape), np.ones(shape), np.ones(shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x0 - box[..., 0]), (dx, box[..., 2] - x0), (-dy, y0 - box[..., 1]), (dy, box[..., 3] - y0)):
            p, q = np.broadcast_arrays(p, q)
            flat = p == 0
            ok &= ~(flat & (q < 0))
            t = np.where(flat, 0.0, q / np.where(flat, 1.0, p))
            lo = np.where(~flat & (p < 0), np.maximum(lo, t), lo)
            hi = np.where(~flat & (p > 0), np.minimum(hi, t), hi)
    return ok & (lo <= hi)


def _segments_cut(a, b, seg) -> Any:
    """Which of the segments ``seg`` (rows x0, y0, x1, y1) the segment from ``a`` to ``b`` crosses."""
    import numpy as np

    def side(px, py, qx, qy, rx, ry):
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1 = side(seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3], a[0], a[1])
    d2 = side(seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3], b[0], b[1])
    d3 = side(a[0], a[1], b[0], b[1], seg[:, 0], seg[:, 1])
    d4 = side(a[0], a[1], b[0], b[1], seg[:, 2], seg[:, 3])
    return (np.sign(d1) != np.sign(d2)) & (np.sign(d3) != np.sign(d4))


def _near(p, seg, clear: float) -> Any:
    """Which of the segments ``seg`` pass within ``clear`` of the point ``p``."""
    import numpy as np

    a, d = seg[:, :2], seg[:, 2:] - seg[:, :2]
    t = np.clip(((p - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0.0, 1.0)
    return np.hypot(*(a + t[:, None] * d - p).T) < clear


#: a box that meets nothing (:func:`place_labels` frees a label's spot so)
_NOWHERE = (-1e9, -1e9, -1e9 + 1.0, -1e9 + 1.0)


def place_labels(
    curves: Sequence[Any],
    labels: Sequence[tuple[str, str]],
    measure: Callable[[str], tuple[float, float]],
    taken: Sequence[tuple],
    *,
    clear: float,
    gaps: Sequence[float] = (),
) -> dict[int, tuple[str, tuple[float, float], tuple | None]]:
    """Where each link's label goes so that a reader of the printed page can tell which line it belongs to, as i2's
    and yEd's charts set an edge's label: on its own line, at the first of :data:`ON_LINK` where no other line comes
    within ``clear`` of it (never at or beside a crossing) and it covers nothing in ``taken`` (nodes' captions and
    markers) and no other label; where its line has no such spot, beside it, ``gaps`` away, tied to it by a leader
    (as Graphviz's ``decorate``) that starts where no other line is within ``clear`` and crosses no line, label or
    caption; else nowhere (the caller says how many: the appendix lists the link by its ends). Numbers first, every
    link's that finds room; then, where its line has room, the number with the link's caption; last, where its line
    has none, the number with the caption beside it on a leader (``gaps``), in place of the number alone on the line (a
    portrait's map had 付款 links, their amounts long, numbered [1] with no caption, where shorter ones had theirs).

    Any frame of units will do, the same for all arguments (a figure's pixels, an SVG's user units).
    ``curves``: per link, the points it is drawn through (an array of rows x, y; every link drawn, an unlabelled one
    too: the others keep clear of it); ``labels``: per link, (number, number with caption), the number ``""`` for a
    link with none; ``measure``: a text's width and height, its margin included. Returns, per label placed, (its
    text, its middle, the leader's ends or None).

    Example
    -------
    >>> import numpy as np
    >>> a = np.array([[0.0, 0.0], [100.0, 0.0]])    # two lines crossing at their middles
    >>> b = np.array([[50.0, -50.0], [50.0, 50.0]])
    >>> at = place_labels([a, b], [("1", "1"), ("2", "2")], lambda s: (6.0, 8.0), [], clear=3.0)
    >>> [(text, xy) for text, xy, _ in at.values()]   # each on its own line, off the crossing
    [('1', (42.0, 0.0)), ('2', (50.0, -8.0))]
    """
    import numpy as np

    held = np.array([tuple(b) for b in taken], dtype=float).reshape(-1, 4)  # captions, markers, then labels
    curves = [np.asarray(c, dtype=float) for c in curves]
    owner = np.concatenate([np.full(len(c) - 1, i) for i, c in enumerate(curves)]) if curves else np.zeros(0, int)
    segs = np.concatenate([np.hstack([c[:-1], c[1:]]) for c in curves]) if curves else np.zeros((0, 4))
    xs, ys = segs[:, [0, 2]], segs[:, [1, 3]]
    span = np.column_stack([xs.min(1), ys.min(1), xs.max(1), ys.max(1)])  # each segment's box
    leaders = np.zeros((0, 4))  # (from, to) of each leader drawn

    def covers(box: tuple, skip: int | None = None) -> bool:
        """Whether ``box`` overlaps anything held (but the ``skip``-th)."""
        hit = (np.minimum(held[:, 2], box[2]) > np.maximum(held[:, 0], box[0])) & (
            np.minimum(held[:, 3], box[3]) > np.maximum(held[:, 1], box[1])
        )
        if skip is not None:
            hit[skip] = False
        return bool(hit.any())

    pieces = [((a, b), (c, d)) for a, b, c, d in segs.tolist()]

    def lines_in(box: tuple, own: int | None) -> bool:
        """Whether a line (but link ``own``'s) passes through ``box``: the segments whose own box meets it, clipped
        one by one (a few at most: faster than clipping them all at once)."""
        near = (span[:, 2] >= box[0]) & (span[:, 0] <= box[2]) & (span[:, 3] >= box[1]) & (span[:, 1] <= box[3])
        if own is not None:
            near &= owner != own
        return any(crosses(box, pieces[j]) for j in np.flatnonzero(near).tolist())

    def free(box: tuple, own: int | None, skip: int | None = None) -> bool:
        """Nothing held under ``box``, no leader through it, no line (but its own) within ``clear`` of it."""
        if covers(box, skip) or any(crosses(box, ((a, b), (c, d))) for a, b, c, d in leaders.tolist()):
            return False
        return not lines_in((box[0] - clear, box[1] - clear, box[2] + clear, box[3] + clear), own)

    def spots(i: int):
        """The points of :data:`ON_LINK` along link ``i``, by its length (a bent link's points are not evenly
        spaced), each with the index of the point after it."""
        curve = curves[i]
        steps = np.hypot(*np.diff(curve, axis=0).T)
        along = np.concatenate([[0.0], np.cumsum(steps)])
        for f in ON_LINK:
            k = min(max(int(np.searchsorted(along, f * along[-1])), 1), len(curve) - 1)
            yield k, curve[k - 1] + (curve[k] - curve[k - 1]) * ((f * along[-1] - along[k - 1]) / (steps[k - 1] or 1.0))

    def on_line(i: int, text: str, skip: int | None = None) -> tuple | None:
        w, h = measure(text)
        for _, (x, y) in spots(i):
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if free(box, i, skip):
                return (float(x), float(y)), box
        return None

    def beside(i: int, text: str) -> tuple | None:
        nonlocal leaders
        w, h = measure(text)
        curve = curves[i]
        grown = held + np.array([-clear, -clear, clear, clear])
        for k, p in spots(i):
            if _near(p, segs[owner != i], clear).any():  # the leader's dot where no other line is near
                continue
            d = curve[k] - curve[k - 1]
            d = d / (np.hypot(*d) or 1.0)
            for gap in gaps:
                for s in (1.0, -1.0):
                    n = s * np.array([-d[1], d[0]])
                    end = p + n * gap
                    # the box's middle out along ``n`` from ``end``, so that its edge is where the leader ends
                    reach = min(w / 2 / abs(n[0]) if n[0] else np.inf, h / 2 / abs(n[1]) if n[1] else np.inf)
                    x, y = end + n * reach
                    box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                    if not free(box, None):
                        continue
                    line = np.array([p[0], p[1], end[0], end[1]])
                    # the leader crossing no other line and no leader, it and its dot clear of everything held
                    if (_segments_cut(p, end, segs) & (owner != i)).any() or _clip_hits(grown, line).any():
                        continue
                    if len(leaders) and _segments_cut(p, end, leaders).any():
                        continue
                    leaders = np.vstack([leaders, line])
                    return (float(x), float(y)), box, ((float(p[0]), float(p[1])), (float(end[0]), float(end[1])))
        return None

    out: dict[int, tuple[str, tuple[float, float], tuple | None]] = {}
    where: dict[int, int] = {}  # label -> its row in ``held``
    for i, (no, _) in enumerate(labels):
        got = on_line(i, no) if no else None
        if got is not None:
            out[i], where[i] = (no, got[0], None), len(held)
            held = np.vstack([held, got[1]])
    for i, (no, _) in enumerate(labels):
        if no and i not in out:
            got = beside(i, no)
            if got is not None:
                out[i], where[i] = (no, got[0], got[2]), len(held)
                held = np.vstack([held, got[1]])
    for i, (no, full) in enumerate(labels):  # the caption too, where its own line has room for it
        if i not in out or out[i][2] is not None or full == no:
            continue
        got = on_line(i, full, skip=where[i])
        if got is not None:
            out[i] = (full, got[0], None)
            held[where[i]] = got[1]
    for i, (_no, full) in enumerate(labels):  # else the caption beside its line on a leader, its number's spot freed
        if not gaps or i not in out or out[i][2] is not None or out[i][0] == full:
            continue
        kept = held[where[i]].copy()
        held[where[i]] = _NOWHERE
        got = beside(i, full)
        if got is not None:
            out[i] = (full, got[0], got[2])
            held[where[i]] = got[1]
        else:
            held[where[i]] = kept
    return out


def label_links(ax, labels: Sequence[tuple], captions: Sequence = (), markers: Sequence = (), *, size=LINK_PT) -> int:
    """Label the links of a matplotlib drawing where a reader of the printed page can tell which line each label
    belongs to (:func:`place_labels`): on its own line, on a white ground that breaks the line (it runs into the
    label and out of it), clear of crossings, captions, markers and other labels; else beside it on a leader (a thin
    line ending in a dot on the link); else left off. Set in ``size`` points (:data:`LINK_PT`). Returns how many
    numbers were left off.

    ``labels``: (number, number with caption, start, end, bend) per link, ends in data units, ``bend`` matplotlib's
    ``arc3`` ``rad`` as the link is drawn; every link drawn must be listed (one with the number ``""`` is only a
    line the others keep clear of). ``captions``: the nodes' caption texts; ``markers``: ((axes, (x, y) in data
    units), half the marker's side in points) per node. Their numbers had been placed clear of the captions and of
    one another only: in a bid ring's 76 links a number sat where two lines crossed, as near the one as the other,
    in 5 pt type.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.lines import Line2D

    fig = ax.figure
    ax.get_xlim(), ax.get_ylim()  # the limits settled (autoscaled) before anything is placed in display units
    renderer = FigureCanvasAgg(fig).get_renderer()
    pt = fig.dpi / 72
    pad = 1.0 * pt  # a point between two texts: text that touches reads as one
    taken: list[tuple] = []
    for c in captions:
        b = c.get_window_extent(renderer)
        taken.append((b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad))
    for (a, (x, y)), half in markers:
        cx, cy = a.transData.transform((x, y))
        r = half * pt + pad
        taken.append((cx - r, cy - r, cx + r, cy + r))
    for legend in fig.legends:  # (to_image's, above the drawing)
        b = legend.get_window_extent(renderer)
        taken.append((b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad))
    # all around the drawing's frame: a label past it ran off the page (a printed ring's 31 投标 152.0 万元 cut at 万)
    frame, far = ax.get_window_extent(renderer), 1e7
    taken += [
        (-far, -far, frame.x0, far),
        (frame.x1, -far, far, far),
        (-far, -far, far, frame.y0),
        (-far, frame.y1, far, far),
    ]
    probe = ax.text(0, 0, "", fontsize=size)
    sizes: dict[str, tuple[float, float]] = {}

    def measure(text: str) -> tuple[float, float]:
        if text not in sizes:
            probe.set_text(text)
            b = probe.get_window_extent(renderer)
            sizes[text] = (b.width + 2 * pad, b.height + 2 * pad)
        return sizes[text]

    curves = [link_curve(ax, p0, p1, rad) for *_, p0, p1, rad in labels]
    texts = [(no, full) for no, full, *_ in labels]
    at = place_labels(curves, texts, measure, taken, clear=CLEAR_PT * pt, gaps=[g * pt for g in _BESIDE])
    probe.remove()
    to_data = ax.transData.inverted()
    for text, xy, leader in at.values():
        ax.text(
            *to_data.transform(xy),
            text,
            fontsize=size,
            color="#333333",
            ha="center",
            va="center",
            zorder=3.5,
            gid=LINK_LABEL,
            bbox=dict(boxstyle="square,pad=0.12", fc="white", ec="none"),
        )
        if leader is not None:
            (x0, y0), (x1, y1) = to_data.transform(leader)
            ax.add_artist(
                Line2D(
                    [x0, x1],
                    [y0, y1],
                    lw=0.5,
                    color="#444444",
                    marker="o",
                    markersize=2.0,
                    markevery=[0],
                    zorder=3,
                    gid=LINK_LEADER,
                    transform=ax.transData,
                )
            )
    return sum(1 for i, (no, *_) in enumerate(labels) if no and i not in at)


def _place_captions(fig, captions: list, markers: list, gap: float, lines: Sequence[tuple] = ()) -> int:
    """Move each node's caption (an annotation under its marker) that would cover an earlier caption or a marker,
    or that a link would cross, to the first of :data:`CAPTION_SPOTS` where it covers none (else where it covers
    least); returns how many moved. ``markers``: ((axes, (x, y) in data units), half the marker's side in points)
    per node, in the captions' order; ``lines``: the links in display units (:func:`link_lines`). A person's map
    had the names of the companies the person holds written one over another, and a unit's map its name under
    the links to its suppliers. A caption set away from its node, or nearer another node's mark than its own
    (:func:`needs_leader`), is tied to its mark by a thin leader (:func:`caption_leader`, gid :data:`CAPTION_LEADER`);
    a legend on the figure (``fig.legends``) is kept clear of."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.lines import Line2D

    renderer = FigureCanvasAgg(fig).get_renderer()
    pt = fig.dpi / 72
    for (ax, _), _ in markers:  # the limits settled (autoscaled) before anything is measured in display units: read
        ax.get_xlim(), ax.get_ylim()  # before, a big drawing's outer captions measured as empty, placed anywhere
    pad = 2 * fig.dpi / 72
    edge = 0.02 * fig.bbox.width  # a printer's margin
    page = (fig.bbox.x0 + edge, fig.bbox.y0, fig.bbox.x1 - edge, fig.bbox.y1)
    taken = []
    for (ax, (x, y)), half in markers:
        cx, cy = ax.transData.transform((x, y))
        r = half * fig.dpi / 72 + pad
        taken.append((cx - r, cy - r, cx + r, cy + r))
    centres = [((a[0] + a[2]) / 2, (a[1] + a[3]) / 2) for a in taken]
    for legend in fig.legends:  # a legend set on the figure (to_image's, above the drawing) is no place for a name
        b = legend.get_window_extent(renderer)
        taken.append((b.x0, b.y0, b.x1, b.y1))
    moved = 0
    for k, (caption, ((ax, xy), half)) in enumerate(zip(captions, markers, strict=True)):
        boxes = []
        for (dx, dy), ha, va in CAPTION_SPOTS:
            caption.xyann = (dx * (half + gap), dy * (half + gap))
            caption.set_ha(ha)
            caption.set_va(va)
            b = caption.get_window_extent(renderer).padded(pad)
            boxes.append((b.x0, b.y0, b.x1, b.y1))
        # its own marker is no obstacle; the page's edge is (a name left of a node at the edge was cut off)
        i = free_spot(boxes, taken[:k] + taken[k + 1 :], lines, inside=page)
        (dx, dy), ha, va = CAPTION_SPOTS[i]
        caption.xyann = (dx * (half + gap), dy * (half + gap))
        caption.set_ha(ha)
        caption.set_va(va)
        # on a white ground, as the SVG's captions have a white halo: a hub's name with links on every side, where
        # no spot is free, stays readable over the line that still crosses it (a box, not a path effect: a PDF's
        # captions drawn as paths could no longer be searched or read back)
        caption.set_bbox(dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))
        taken.append(boxes[i])
        moved += i > 0
        # away from its node, or nearer another's mark: a leader from its mark to it, or it reads as another's name
        if needs_leader(i, boxes[i], k, centres):
            b = caption.get_window_extent(renderer)
            centre = tuple(ax.transData.transform(xy))
            ends = ax.transData.inverted().transform(caption_leader(centre, half * pt + 1, (b.x0, b.y0, b.x1, b.y1)))
            ax.add_artist(
                Line2D(*ends.T, lw=0.4, color="#666666", zorder=3.9, gid=CAPTION_LEADER, transform=ax.transData)
            )
    return moved


def layout_positions(
    g: nx.Graph,
    *,
    seed: int = 0,
    scale: float = 1.0,
    ends: Sequence[Sequence[Any]] | None = None,
    rows: bool = False,
) -> dict[Any, tuple[float, float]]:
    """Where a drawing puts each node, in units of about ±1: with ``rows`` (the case files, printed and HTML), a
    graph whose every link joins a seed to another node (a bid ring's companies and their tenders) in rows
    (:func:`two_sides`); evenly spaced (Kamada-Kawai) for any other connected graph of 3-150 nodes, so there is room
    for the captions; a seeded spring layout otherwise. The
    static images (:func:`to_image`) and the case files (:mod:`graphkit.exports`) are laid out so; times ``scale``
    (pixels), the same positions fix an HTML page's layout (:func:`html_page`'s ``positions``) where the physics
    would pack a dense graph into a ball.

    ``ends``: a path's start and end (``[[start, end], …]``, as :meth:`graphkit.paths.Path.graph` puts them in
    ``g.graph["path_ends"]``; the first pair found in ``g`` counts): the start is drawn on the left and the end on
    the right, as the path's numbered explanation reads. A graph made only of routes between the two (one path or
    several) is drawn in columns, each node as far right as its share of the way from start to end
    (:func:`path_columns`); any other graph is laid out as above and turned about the start until the end lies
    level on its right. The case-file drawing of a path had put the official on the right and the company on
    the left, against the explanation beside it (hop 1 first).

    Example
    -------
    >>> g = nx.path_graph(3)
    >>> sorted(layout_positions(g))
    [0, 1, 2]
    >>> xy = layout_positions(nx.path_graph(["c", "b", "a"]), ends=[["a", "c"]])
    >>> [round(xy[v][0], 2) for v in "abc"], {round(xy[v][1], 2) for v in "abc"}
    ([-1.0, 0.0, 1.0], {0.0})
    """
    simple = nx.Graph(g.to_undirected(as_view=True)) if g.is_directed() else nx.Graph(g)
    n = simple.number_of_nodes()
    pair = next(((s, t) for s, t in ends or () if s in simple and t in simple and s != t), None)
    if pair is not None:
        columns = path_columns(simple, *pair)
        if columns is not None:
            return {v: (x * scale, y * scale) for v, (x, y) in columns.items()}
    sides = two_sides(simple) if rows and pair is None else None
    if sides is not None:
        return {v: (x * scale, y * scale) for v, (x, y) in sides.items()}
    if 2 < n <= 150 and nx.is_connected(simple):  # evenly spaced: room for the captions
        pos = nx.kamada_kawai_layout(simple)
    else:
        pos = nx.spring_layout(simple, seed=seed) if n else {}
    xy = {v: (float(x), float(y)) for v, (x, y) in pos.items()}
    if pair is not None:
        xy = _start_left(xy, *pair)
    return {v: (x * scale, y * scale) for v, (x, y) in xy.items()}


#: a node caption's type size on an HTML page, in vis-network's pixels (its default)
PAGE_FONT = 14


def page_positions(
    g: nx.Graph,
    *,
    ends: Sequence[Sequence[Any]] | None = None,
    rows: bool = False,
    captions: Mapping[Any, str] | None = None,
    seed: int = 0,
    layout: Mapping[Any, tuple[float, float]] | None = None,
) -> dict[Any, tuple[float, float]]:
    """Where an HTML page (:func:`html_page`'s ``positions``, the HTML case file) draws each node, in vis-network's
    pixels: the printed drawing's layout (:func:`layout_positions`, ``ends`` and ``rows`` as there) spread over 120 px
    times the square root of the number of nodes (300 px at least), turned over, since the page's y grows downwards
    where the printed page's grows upwards, so that both read the same way up; then the nodes whose captions
    (``captions``, by default :func:`node_caption`; :data:`PAGE_FONT` px under each mark) would meet pushed apart
    (:func:`unpile`). The demo's and the portrait's pages had been drawn upside down against the printed drawings of
    the same graph, and two names one over another. ``layout``: :func:`layout_positions` of ``g`` where the caller
    has it already (the portrait's static map), so the same graph is not laid out twice.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(g, "Person", "label")
    >>> up, down = layout_positions(g), page_positions(g)
    >>> [(up[v][1] > up["b"][1]) == (down[v][1] < down["b"][1]) for v in "ac"]
    [True, True]
    """
    n = g.number_of_nodes()
    scale = max(120.0 * n**0.5, 300.0)
    if layout is None:
        layout = layout_positions(g, seed=seed, ends=ends, rows=rows)
    at = {v: (x * scale, -y * scale) for v, (x, y) in layout.items()}
    if 1 < len(at) < 200:  # no caption over another (a ring's companies had their names written one over another)
        if captions is None:
            captions = {v: node_caption(v, a) for v, a in g.nodes(data=True)}
        at = unpile(at, dict(captions), size=PAGE_FONT, height=70.0)
    return at


def two_sides(g: nx.Graph) -> dict[Any, tuple[float, float]] | None:
    """Positions of a graph whose every link joins one of its seeds (``hop`` 0: a bid ring's companies) to one of
    the other nodes (the tenders they bid on, the phone, address and accounts they share), in three rows: the
    seeds across the middle, the others' largest kind (the tenders) across the foot, the rest across the top; each
    row in the order of its neighbours' places (fewer crossings). Each band is as tall as its share of the
    crossings, about its links to the power 1.5, within 0.2-0.8 of the height: a ring's 41 bids and awards had been
    laid out in a ball with its other links (Kamada-Kawai), 12 of its 57 links with no room for their numbers on
    the printed page, none in these rows. None for any other graph: a link between two seeds or two others (the
    graph is no such two-sided one), fewer than two seeds or eight nodes, or not connected.

    >>> g = nx.Graph([(c, t) for c in "ab" for t in "uvwxyz"] + [("a", "p"), ("b", "p")])
    >>> nx.set_node_attributes(g, {v: 0 if v in "ab" else 1 for v in g}, "hop")
    >>> nx.set_node_attributes(g, {v: "Phone" if v == "p" else "Tender" for v in g}, "label")
    >>> xy = two_sides(g)
    >>> sorted({round(y, 2) for v, (x, y) in xy.items()}), xy["p"][1]
    ([-1.0, 0.6, 1.0], 1.0)
    """
    seeds = [v for v, a in g.nodes(data=True) if a.get("hop") == 0]
    if len(seeds) < 2 or g.number_of_nodes() < 8 or not nx.is_connected(g):
        return None
    inner = set(seeds)
    if any((u in inner) == (v in inner) for u, v in g.edges()):  # a link among the seeds, or among the others
        return None
    kinds: dict[str, list] = {}
    for v in sorted((v for v in g if v not in inner), key=str):
        kinds.setdefault(str(g.nodes[v].get("label", "")), []).append(v)
    big = max(sorted(kinds), key=lambda k: len(kinds[k]))
    foot = kinds.pop(big)
    top = [v for k in sorted(kinds) for v in kinds[k]]
    if not top:  # one kind: half of it each side
        foot, top = foot[: (len(foot) + 1) // 2], foot[(len(foot) + 1) // 2 :]
    rows = [foot, sorted(seeds, key=str), top]
    x: dict[Any, float] = {}

    def spread(row: list) -> None:
        for i, v in enumerate(row):
            x[v] = -1.0 + 2.0 * i / (len(row) - 1) if len(row) > 1 else 0.0

    for row in rows:
        spread(row)
    for _ in range(2):  # each row in the order of its neighbours' places in the others (barycentres)
        for row in (rows[1], rows[0], rows[2]):
            row.sort(key=lambda v: (sum(x[w] for w in g[v]) / max(len(g[v]), 1), str(v)))
            spread(row)
    # the seeds' row nearer the band with fewer links: crossings grow faster than links
    low, high = (sum(1 for u, v in g.edges() if u in set(r) or v in set(r)) ** 1.5 for r in (foot, top))
    mid = min(max(2 * low / (low + high) - 1, -0.6), 0.6) if low + high else 0.0
    ys = (-1.0, mid, 1.0)
    return {v: (x[v], y) for y, row in zip(ys, rows, strict=True) for v in row}


def path_columns(g: nx.Graph, start: Any, end: Any) -> dict[Any, tuple[float, float]] | None:
    """Positions of a graph made of routes from ``start`` to ``end`` (one path, or the union of several): each node
    at ``x`` its share of the way (hops from the start over hops from the start plus hops to the end), from -1 (the
    start) to 1 (the end); the nodes of one column stacked evenly about ``y = 0``, in the order of their neighbours
    to the left (fewer crossings), then by key. None when a node lies on no route between the two (a
    neighbourhood drawn with the path: :func:`layout_positions` turns it instead).

    >>> g = nx.Graph([("s", "a"), ("a", "t"), ("s", "b"), ("b", "t")])
    >>> sorted((v, x, y) for v, (x, y) in path_columns(g, "s", "t").items())
    [('a', 0.0, 0.25), ('b', 0.0, -0.25), ('s', -1.0, 0.0), ('t', 1.0, 0.0)]
    """
    if start not in g or end not in g or start == end:
        return None
    ds = nx.single_source_shortest_path_length(g, start)
    dt = nx.single_source_shortest_path_length(g, end)
    if any(v not in ds or v not in dt for v in g):
        return None
    # a node lies on a route when it shares a block with the start and the end joined (a leaf hanging off a route,
    # or a neighbourhood drawn with it, does not)
    joined = nx.Graph(g)
    joined.add_edge(start, end)
    if not any(start in b and end in b and len(b) == len(g) for b in nx.biconnected_components(joined)):
        return None
    span = ds[end]  # hops from start to end
    share = {v: ds[v] / (ds[v] + dt[v]) for v in g}
    cols: dict[float, list] = {}
    for v in g:
        cols.setdefault(round(share[v], 9), []).append(v)
    step = 2.0 / max(span, 1)  # a hop's width: the rows of a column are half of it apart
    y: dict[Any, float] = {}
    for f in sorted(cols):

        def left(v: Any) -> float:
            near = [y[w] for w in g[v] if w in y]
            return -sum(near) / len(near) if near else 0.0

        vs = sorted(cols[f], key=lambda v: (left(v), str(v)))
        for i, v in enumerate(vs):
            y[v] = ((len(vs) - 1) / 2 - i) * step / 2
    return {v: (2 * share[v] - 1, y[v]) for v in g}


def _start_left(xy: dict[Any, tuple[float, float]], start: Any, end: Any) -> dict[Any, tuple[float, float]]:
    """``xy`` turned about its centre so that ``end`` lies level on the right of ``start`` (distances kept), then
    scaled back into ±1, as the widgets turn a path's layout (:func:`graphkit.widgets.graph.layout`)."""
    (x0, y0), (x1, y1) = xy[start], xy[end]
    a = -math.atan2(y1 - y0, x1 - x0)
    c, s = math.cos(a), math.sin(a)
    turned = {k: (x * c - y * s, x * s + y * c) for k, (x, y) in xy.items()}
    big = max((max(abs(x), abs(y)) for x, y in turned.values()), default=1.0) or 1.0
    return {k: (x / big, y / big) for k, (x, y) in turned.items()}


def caption_width(text: str, size: float = 12.0) -> float:
    """About how wide ``text`` is drawn at ``size`` px: a CJK character a full em, anything else about 0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in str(text))


#: how far (px) vis-network draws a node's name below its mark's edge, and how tall a line of it is, in units of
#: the font's size (:func:`name_box`, :func:`name_sides`)
_NAME_GAP, _NAME_LINE = 4.0, 1.3
#: a node's name on an HTML page drawn on a white outline, as printed names are: a line under it is broken there
NAME_HALO = {"strokeWidth": 3, "strokeColor": "#ffffff"}


def name_lift(r: float = 25.0, size: float = PAGE_FONT) -> float:
    """vis-network's ``font.vadjust`` (px) that sets a node's name above its mark (``r`` its half size): it draws the
    name's top half a line and 4 px below the mark's edge; above, the name's foot is :data:`_NAME_GAP` over it."""
    return -(2 * r + 0.5 * size + 4 + size + _NAME_GAP)


def name_box(x: float, y: float, text: str, *, r: float = 25.0, size: float = PAGE_FONT, above: bool = False) -> tuple:
    """The box of a node's name on an HTML page: under its mark (``r`` its half size), as vis-network draws it, or
    above it (``above``, :func:`name_sides`).

    >>> name_box(0, 0, "张伟", size=10), name_box(0, 0, "张伟", size=10, above=True)
    ((-10.0, 29.0, 10.0, 42.0), (-10.0, -42.0, 10.0, -29.0))
    """
    w, h = caption_width(text, size), _NAME_LINE * size
    if above:
        return (x - w / 2, y - r - _NAME_GAP - h, x + w / 2, y - r - _NAME_GAP)
    return (x - w / 2, y + r + _NAME_GAP, x + w / 2, y + r + _NAME_GAP + h)


def names_crossed(
    at: Mapping[Any, tuple[float, float]],
    captions: Mapping[Any, str],
    lines: Sequence[tuple[Any, Any]],
    *,
    above: Collection = (),
    r: float = 25.0,
) -> int:
    """How many times a line runs through a node's name on an HTML page (its own lines aside): the pairs (name,
    line) where the line ``(start, end)``, straight between the nodes' places ``at``, crosses the name's box
    (:func:`name_box`, above its mark for the nodes in ``above``). A name a line runs through reads badly.

    >>> at = {"a": (0, 0), "b": (0, 100), "c": (-60, 40), "d": (60, 40)}
    >>> names_crossed(at, {"a": "甲公司", "b": "乙", "c": "丙", "d": "丁"}, [("a", "b"), ("c", "d")])
    1
    """
    out = 0
    for v, (x, y) in at.items():
        box = name_box(x, y, captions.get(v, ""), r=r, above=v in above)
        out += sum(1 for u, w in lines if v not in (u, w) and u in at and w in at and crosses(box, (at[u], at[w])))
    return out


def name_sides(
    at: Mapping[Any, tuple[float, float]],
    captions: Mapping[Any, str],
    lines: Sequence[tuple[Any, Any]],
    *,
    r: float = 25.0,
) -> set:
    """The nodes whose names an HTML page sets above their marks: where a line runs through the name under the mark
    and fewer run through it above, the box above covering no other node's mark or name (as placed so far). The
    demo's bid ring had its tenders' names under their marks, where the bids of the companies below them ran through
    them (:func:`names_crossed` counts them)."""
    above: set = set()
    boxes = {v: name_box(x, y, captions.get(v, ""), r=r) for v, (x, y) in at.items()}
    marks = [(x - r, y - r, x + r, y + r) for x, y in at.values()]

    def crossed(box: tuple, v: Any) -> int:
        return sum(1 for u, w in lines if v not in (u, w) and u in at and w in at and crosses(box, (at[u], at[w])))

    for v, (x, y) in at.items():
        below = crossed(boxes[v], v)
        if not below:
            continue
        up = name_box(x, y, captions.get(v, ""), r=r, above=True)
        if crossed(up, v) >= below:
            continue
        if any(_overlap(up, m) for m in marks) or any(_overlap(up, b) for k, b in boxes.items() if k != v):
            continue
        above.add(v)
        boxes[v] = up
    return above


def unpile(
    xy: dict[str, tuple[float, float]],
    captions: dict[str, str],
    *,
    pad: float = 8.0,
    rounds: int = 200,
    size: float = 12.0,
    height: float = 40.0,
) -> dict[str, tuple[float, float]]:
    """``xy`` with the nodes whose boxes (the node and its caption under it, :func:`caption_width` wide at ``size``
    px, ``height`` px high)
    overlap pushed apart, each pair along the axis it overlaps least, until none does (or ``rounds`` ran out). A
    dense community's companies had been drawn with their long names over each other (the Explorer's view, and
    the HTML case file: :mod:`graphkit.exports.html`)."""
    import numpy as np

    keys = list(xy)
    pos = np.array([xy[k] for k in keys], dtype=float)
    half_w = np.array([max(caption_width(captions.get(k, ""), size), 26.0) / 2 + pad / 2 for k in keys])
    half_h = np.full(len(keys), height / 2 + pad / 2)
    order = np.arange(len(keys))
    for _ in range(rounds):
        d = pos[None, :, :] - pos[:, None, :]  # d[i, j] = pos[j] - pos[i]
        ox = half_w[:, None] + half_w[None, :] - np.abs(d[..., 0])
        oy = half_h[:, None] + half_h[None, :] - np.abs(d[..., 1])
        hit = (ox > 0) & (oy > 0) & (order[:, None] != order[None, :])
        if not hit.any():
            break
        # push j away from i (and i from j, by symmetry) by half the overlap along the axis it is least
        sx = np.where(d[..., 0] == 0, np.where(order[None, :] > order[:, None], 1.0, -1.0), np.sign(d[..., 0]))
        sy = np.where(d[..., 1] == 0, np.where(order[None, :] > order[:, None], 1.0, -1.0), np.sign(d[..., 1]))
        along_y = oy <= ox
        push = np.zeros_like(d)
        push[..., 0] = np.where(hit & ~along_y, sx * ox / 2, 0.0)
        push[..., 1] = np.where(hit & along_y, sy * oy / 2, 0.0)
        pos += push.sum(axis=0)  # each node moved by the pushes on it (half of each overlap: the other half its own)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, pos, strict=True)}


#: most nodes a drawing names: the type of a name on paper is :data:`NAME_PT`, and an A4 drawing holds about 60 names
#: so set; beyond, the nodes that matter are named (:func:`node_key`) and the others carry a number (``#17``) in
#: the same type, their names in the key to numbered nodes after the drawing
NAMED_NODES = 60
#: the type of a node's name or number on a printed drawing: the smallest in which Chinese stays legible on paper
NAME_PT = 7.0


def plain_caption(node: Any, attrs: dict, lang: str = "zh") -> str:
    """A node's caption as the case files write it (:func:`graphkit.exports.caption`), the key as it is in the graph
    (a masked graph's masked): its ``caption`` property declared in nodes.yaml (name, title, address …), else its key;
    a folded node says how many it holds and their kind (``24 工资发放``: :func:`node_caption`). In ``lang`` alone:
    an English case file's amounts and folded nodes had been captioned in Chinese (``98.0 万元``, ``24 工资发放``).

    >>> plain_caption("K1", {"label": "Contract", "amount": 980000.0}), plain_caption(
    ...     "K1", {"label": "Contract", "amount": 980000.0}, "en")
    ('98.0 万元', '¥980,000')
    """
    if attrs.get("folded"):
        return node_caption(node, attrs, lang=lang)
    return Model.default().caption(attrs.get("label", ""), attrs, node, lang)


def _on_routes(g: nx.MultiDiGraph) -> set:
    """The nodes on a shortest route between a path's two ends (``g.graph["path_ends"]``), each pair found in
    ``g``."""
    simple = nx.Graph(g.to_undirected(as_view=True))
    out: set = set()
    for pair in g.graph.get("path_ends") or ():
        s, t = (pair[0], pair[1]) if len(pair) == 2 else (None, None)
        if s not in simple or t not in simple or s == t:
            continue
        ds = nx.single_source_shortest_path_length(simple, s)
        if t not in ds:
            continue
        dt = nx.single_source_shortest_path_length(simple, t)
        out.update(v for v in ds if v in dt and ds[v] + dt[v] == ds[t])
    return out


def node_key(g: nx.MultiDiGraph, named: int = NAMED_NODES) -> dict:
    """Which nodes of a drawing carry a number (``#1`` …) in place of their name: none up to ``named`` nodes; beyond,
    every node but the ``named`` that matter most, numbered by distance from the subject, kind and name (so the key
    to numbered nodes reads in groups).

    The nodes named, first to last: the subject and the entities of a warning (``hop`` 0, ``entity``) and a path's
    ends, the nodes on the path's shortest routes, then by distance from the subject (``hop``), those with a name
    before those known by their key alone (a phone), most links first.
    A drawing of 100-200 nodes had set every name in 6 or 4.5 pt, which no one reads on paper.

    >>> g = nx.MultiDiGraph([("s", f"p{k}") for k in range(5)])
    >>> g.nodes["s"]["hop"] = 0
    >>> node_key(g, named=3)
    {'p2': '#1', 'p3': '#2', 'p4': '#3'}
    """
    if g.number_of_nodes() <= named:
        return {}
    routes = _on_routes(g)
    ends = {x for pair in g.graph.get("path_ends") or () for x in pair}

    def hop(v) -> float:
        h = g.nodes[v].get("hop")
        return float(h) if isinstance(h, int | float) else math.inf

    def rank(v) -> tuple:
        a = g.nodes[v]
        first = 0 if a.get("hop") == 0 or a.get("entity") or v in ends else 1 if v in routes else 2
        # a node named by a name before one known by its key alone (a phone, an account: its caption is its key)
        return (first, hop(v), plain_caption(v, a) == str(v), -g.degree(v), str(v))

    keep = set(sorted(g, key=rank)[:named])
    rest = sorted(
        (v for v in g if v not in keep),
        key=lambda v: (hop(v), str(g.nodes[v].get("label", "")), plain_caption(v, g.nodes[v]), str(v)),
    )
    return {v: f"#{i}" for i, v in enumerate(rest, start=1)}


def key_rows(g: nx.MultiDiGraph, key: dict, model: Model | None = None, lang: str = "zh") -> list[tuple[str, str, str]]:
    """The key to a drawing's numbered nodes (:func:`node_key`), in their order: (number, name and key as the
    appendix writes a node, kind), in ``lang`` alone (an English case file's key had its kinds in Chinese)."""
    model = model or Model.default()
    out = []
    for v, no in sorted(key.items(), key=lambda x: int(x[1][1:])):
        a = g.nodes[v]
        name = plain_caption(v, a, lang)
        label = str(a.get("label", ""))
        kind = kind_word(label, lang, model)
        out.append((no, f"{name} ({v})" if name != str(v) else str(v), kind))
    return out


def key_title(numbered: int, drawn: int, lang: str = "zh") -> str:
    """The heading of the key to a drawing's numbered nodes (:func:`node_key`), ``numbered`` of the ``drawn``, in
    ``lang`` alone (it had read 节点编号表 key：… to a Chinese reader).

    >>> key_title(90, 150)
    '节点编号表：图中只标编号的 90 个节点（共绘 150 个节点，其余 60 个写出名称）'
    >>> key_title(90, 150, "en")
    'Key: the 90 nodes numbered on the drawing (150 drawn, the other 60 named)'
    """
    if lang == "en":
        return f"Key: the {numbered} nodes numbered on the drawing ({drawn} drawn, the other {drawn - numbered} named)"
    return f"节点编号表：图中只标编号的 {numbered} 个节点（共绘 {drawn} 个节点，其余 {drawn - numbered} 个写出名称）"


def key_lines(g: nx.MultiDiGraph, key: dict, *, model: Model | None = None, lang: str = "zh") -> list[str]:
    """The key to a drawing's numbered nodes as lines of text (its heading, then ``#1 name (key) kind`` a line, as
    :func:`key_rows` gives them): what a drawing by :func:`to_image` sets under itself, or hands its page
    (``listed``), in ``lang`` alone (a portrait's map under ``--lang en`` had keyed its nodes in Chinese). Empty when
    no node is numbered."""
    if not key:
        return []
    rows = key_rows(g, key, model, lang)
    gap = "　" if lang == "zh" else "  "
    return [key_title(len(rows), g.number_of_nodes(), lang)] + [gap.join(row) for row in rows]


def crowded_note(dropped: int, lang: str = "zh") -> str:
    """What a drawing says under itself of the ``dropped`` links it had no room to number, in ``lang`` alone.

    >>> crowded_note(3), crowded_note(3, "en")
    ('图中 3 条关系线过密，未标编号，见下列各条', '3 links too crowded to number on the drawing: see the list below')
    """
    if lang == "en":
        return f"{dropped} link{'' if dropped == 1 else 's'} too crowded to number on the drawing: see the list below"
    return f"图中 {dropped} 条关系线过密，未标编号，见下列各条"


def apart(ax, g: nx.MultiDiGraph, pos: dict, size: float, fs: float, texts: dict) -> dict:
    """``pos`` (about ±1) with the nodes whose marks and captions would cover one another pushed apart, measured in
    points on the drawing's axes (:func:`unpile`, as the HTML case file and the widgets do), then scaled
    back into ±1: a bid ring's four companies, alike in their links, had been drawn one on another, their names
    over each other. A path's columns keep their order (it is pushed apart only where captions meet). ``texts``: what
    is written under each node (its name, or its number in the key)."""
    if not 1 < len(pos) < 200:
        return pos
    box = ax.get_position()
    fig = ax.figure
    sx = box.width * fig.get_figwidth() * 72 / 2.32  # points per unit, the axes' margins as drawn
    sy = box.height * fig.get_figheight() * 72 / 2.32
    names = {v: texts[v].split("\n")[0] for v in g}
    at = {v: (x * sx, y * sy) for v, (x, y) in pos.items()}
    # a node's box: its mark and its caption under it, as wide as its caption at ``fs`` (a CJK character an em)
    at = unpile(at, names, size=fs, height=math.sqrt(size) + 2.6 * fs, pad=4.0)
    big = max(max(abs(x) / sx, abs(y) / sy) for x, y in at.values()) or 1.0
    return {v: (x / sx / big, y / sy / big) for v, (x, y) in at.items()}


def _column(fig, x: float, y: float, lines: list[str]) -> None:
    """A column of small lines under a drawing (its cited links, its key to numbered nodes), top left at (x, y)."""
    fig.text(x, y, "\n".join(lines), ha="left", va="top", fontsize=CITE_PT, color="#333333", linespacing=1.45)


def to_image(
    g: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str = "",
    model: Model | None = None,
    seed: int = 0,
    dpi: int = 200,
    unmask: bool = False,
    width: float | None = None,
    listed: list[str] | None = None,
    lang: str = "zh",
) -> Path:
    """Draw ``g`` to a PNG, SVG or PDF file (by suffix) and return its path (identifiers masked unless
    ``unmask``). ``width``: the drawing's width in inches where it is put on a page at that width (a portrait's
    map, across an A4 page), so its type prints at the size it is set in; by default 6 to 28 inches, by its number of
    nodes. ``listed``: a list that receives the lines under the drawing (how many numbers were left off, then each
    link's source) in place of drawing them, for a page that sets them where it has room (the portrait's PDF: a long
    list drawn into the image made it taller, and the image was shrunk to fit its page). ``lang``: the drawing's
    words, its legend, captions, list (:func:`citations`) and key (:func:`key_lines`), in that language alone (a
    portrait under ``--lang en`` had listed its links in Chinese alone, and its map's legend and link captions kept
    their Chinese).

    The layout is networkx's spring layout with ``seed``: the same graph draws the same way. Nodes
    carry their caption (:func:`node_caption`), links their type; with at most :data:`CITED_LINKS`
    links each is numbered and its source file and line listed under the drawing. Each link's label sits on its
    own line clear of the others, or beside it on a leader (:func:`label_links`); the numbers with no room are
    counted above the list.

    Example
    -------
    >>> import networkx as nx, tempfile, os
    >>> g = nx.MultiDiGraph([("p1", "c1", {"type": "SHAREHOLDER_OF", "src_file": "shareholders.csv", "src_row": 2})])
    >>> to_image(g, os.path.join(tempfile.mkdtemp(), "g.pdf"), title="张伟").stat().st_size > 0
    True
    """
    import matplotlib
    from matplotlib.figure import Figure

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"{path}: to_image writes .png, .svg or .pdf, not {path.suffix or 'a file without suffix'}")
    model = model or Model.default()
    if not unmask:
        g, title = mask_graph(g, model), mask_text(title)
    family = cjk_font()
    n, m = g.number_of_nodes(), g.number_of_edges()
    cite = 0 < m <= CITED_LINKS
    side = width or min(max(6.0, 1.6 * math.sqrt(max(n, 1))), 28.0)
    cited = citations(g, lang=lang) if cite else []
    # the list under the drawing in two columns where its longest line fits half the width (a line of one column
    # ran into the other's), else in one
    one = len(cited) <= 10 or max(caption_width(x, CITE_PT) for x in cited) / 72 > 0.47 * side
    row = CITE_PT * 1.5 / 72  # inches from one line of the list to the next (its line spacing is 1.45)
    cite_h = (len(cited) + 1 if one else math.ceil(len(cited) / 2) + 1) * row if cite else 0.0  # and a count's line
    # past :data:`NAMED_NODES` nodes the ones that matter named, the others numbered (#1 …) in the same 7 pt, their
    # names in the key under the drawing, as the case files print them (:func:`node_key`): every name of up to 200
    # nodes had been set in 7 pt, one over another past about 60
    small = n <= 200
    key = node_key(g) if small else {}
    keyed = key_lines(g, key, model=model, lang=lang)
    widest = max((caption_width(x, CITE_PT) / 72 for x in keyed[1:]), default=0.0)
    key_cols = max(1, min(4, int(0.96 * side / (widest + 0.2)))) if keyed else 1
    key_h = (math.ceil((len(keyed) - 1) / key_cols) + 1.5) * row if keyed else 0.0  # its heading, its rows
    if listed is not None:  # the page sets the list and the key
        cite_h = key_h = 0.0
    notes = cite_h + key_h
    # a drawing of numbered nodes as tall as it is wide: 150 marks and their names or numbers in 7 pt across a page
    # the legend in a band of its own above the drawing, in as many columns as fit its width: set inside the drawing's
    # top left corner, it had covered the marks and names there (a bid ring's bank account)
    kinds = [f"{kind_word(k, lang, model)} ({c})" for k, c in sorted(kind_counts(g)[0].items())]
    widest = max((caption_width(x, 7) / 72 + 0.4 for x in kinds), default=1.0)  # its mark and the gap after it too
    legend_cols = max(1, min(len(kinds), int(0.96 * side / widest)))
    band = math.ceil(len(kinds) / legend_cols) * 7 * 1.5 / 72 + 0.08 if kinds else 0.0
    height = side * (1.0 if key else 0.72) + notes + band
    with matplotlib.rc_context(
        {"font.family": [family, "DejaVu Sans"], "svg.fonttype": "path", "pdf.fonttype": 3}
    ):  # Type 3: Type 42 cannot carry a CFF-flavoured .otf
        fig = Figure(figsize=(side, height))
        # room for the title: a long one wraps at about the figure's width, in smaller type
        lines = len(textwrap.wrap(title, width=int(side * 7))) if title else 0
        top = 1 - (0.35 + 0.17 * lines) / height if title else 1.0
        ax = fig.add_axes((0.02, notes / height + 0.01, 0.96, top - (band + notes) / height - 0.02))
        ax.set_axis_off()
        # marks past :data:`NAMED_NODES` nodes as small as the case files' (:mod:`graphkit.exports.printed`)
        size = 260 if n <= 30 else 120 if n <= NAMED_NODES else 90 if n <= 100 else 40 if n <= 200 else 30
        texts = (
            {v: key.get(v) or node_caption(v, a, model=model, lang=lang) for v, a in g.nodes(data=True)}
            if small
            else {}
        )
        pos = layout_positions(g, seed=seed)
        if small:  # no mark or name over another, as the case files push them apart (:func:`apart`)
            pos = apart(ax, g, pos, size, NAME_PT, texts)
        # a few nodes drawn near the middle, unless their links need the room (many links between few nodes)
        pos = _fixed_frame(ax, pos, max(n, m), 0.12)
        dropped = 0
        by_label: dict[str, list] = {}
        for v, a in g.nodes(data=True):
            by_label.setdefault(a.get("label", ""), []).append(v)
        # links first, under the nodes; parallel links bend apart
        seen: dict[tuple, int] = {}
        edge_texts: list = []  # (number, number with caption, start, end, bend) of each link, for label_links
        loops = []  # links to themselves (_draw_loops), drawn once the nodes have scaled the axes
        for i, (u, v, a) in enumerate(g.edges(data=True), start=1):
            k = seen[(u, v)] = seen.get((u, v), -1) + 1
            if u == v:
                text = edge_caption(a, model=model, lang=lang) + (f" [{i}]" if cite else "") if small else ""
                loops.append((u, k, text, "-"))
                continue
            rad = 0.0 if k == 0 else 0.18 * ((k + 1) // 2) * (1 if k % 2 else -1)
            ax.annotate(
                "",
                xy=pos[v],
                xytext=pos[u],
                zorder=1,
                arrowprops=dict(
                    arrowstyle="-|>", color="#8a8a8a", lw=0.8, shrinkA=7, shrinkB=7, connectionstyle=f"arc3,rad={rad}"
                ),
            )
            if small:  # its number, or its caption where the links are not numbered (label_links)
                text = edge_caption(a, model=model, lang=lang)
                no = f"[{i}]" if cite else text
                edge_texts.append((no, f"{text} {no}" if cite and text else no, pos[u], pos[v], rad))
        for label, vs in sorted(by_label.items()):
            style = _style(model, label)
            ax.scatter(
                [pos[v][0] for v in vs],
                [pos[v][1] for v in vs],
                s=size,
                c=style["color"],
                marker=_MARKERS.get(style.get("shape", "dot"), "o"),
                edgecolors="#333333",
                linewidths=0.5,
                zorder=2,
                label=f"{kind_word(label, lang, model)} ({len(vs)})",
            )
        if loops:
            _draw_loops(ax, pos, g, loops, size)
        if n:  # above the drawing (the names and the links' labels are placed clear of it too)
            fig.legend(
                *ax.get_legend_handles_labels(),
                loc="upper left",
                bbox_to_anchor=(0.02, top),
                ncol=legend_cols,
                fontsize=7,
                frameon=False,
                markerscale=0.6,
                borderaxespad=0.0,
                handletextpad=0.3,
                columnspacing=1.2,
            )
        if small:
            captions = []
            for v in g.nodes:
                caption = ax.annotate(
                    texts[v],
                    xy=pos[v],
                    xytext=(0, -(math.sqrt(size) / 2 + 3)),
                    textcoords="offset points",
                    fontsize=NAME_PT,
                    ha="center",
                    va="top",
                    zorder=4,
                )
                captions.append(caption)
            half = math.sqrt(size) / 2
            markers = [((ax, pos[v]), half) for v in g.nodes]
            _place_captions(fig, captions, markers, 3, link_lines(ax, pos, g))
            dropped = label_links(ax, edge_texts, captions, markers)
        if title:  # a long title (a whole explained path) wraps at about the figure's width, smaller
            long = len(title) > side * 7
            fig.text(
                0.5,
                1 - 0.25 / height,
                textwrap.fill(title, width=int(side * 7)),
                ha="center",
                va="top" if long else "center",
                fontsize=9 if long else 12,
            )
        if cite:
            lines = list(cited)
            if dropped:  # how many numbers had no room, said first (the list names those links)
                lines.insert(0, crowded_note(dropped, lang))
            if listed is not None:
                listed.extend(lines)
                lines = []
            half = len(lines) if one else math.ceil(len(lines) / 2)
            for col, chunk in enumerate((lines[:half], lines[half:])):
                _column(fig, 0.02 + 0.49 * col, cite_h / height, chunk)
        elif m:
            fig.text(
                0.02,
                0.005 + notes / height,
                f"共 {m:,} 条关系，各条的来源文件与行号见 HTML、GraphML 导出"
                if lang == "zh"
                else f"{m:,} links: their source files and rows are in the HTML and GraphML exports",
                fontsize=6,
                color="#555555",
            )
        if listed is not None:
            listed.extend(keyed)
        elif keyed:  # the key to numbered nodes under the drawing (above its list of links), in columns
            fig.text(0.02, notes / height, keyed[0], ha="left", va="top", fontsize=CITE_PT, color="#333333")
            per = math.ceil((len(keyed) - 1) / key_cols)
            for col in range(key_cols):
                chunk = keyed[1 + col * per : 1 + (col + 1) * per]
                _column(fig, 0.02 + 0.96 / key_cols * col, (notes - 1.2 * row) / height, chunk)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"Title": title} if title else {}
        if fmt == "pdf":
            meta["Creator"] = "graphkit"
        # "tight" grows the page to whatever a long caption or source line needs instead of cutting it
        fig.savefig(path, dpi=dpi, metadata=meta or None, bbox_inches="tight", pad_inches=0.2)
    return path


def _draw_loops(
    ax, pos: dict, g: nx.MultiDiGraph, loops: list, size: float, *, fontsize: float = LINK_PT, lw: float = 0.8, scale=10
) -> None:
    """Links from a node to itself in a matplotlib drawing (:func:`to_image`, the printed case file): a loop
    beside the node, clear of its other links and its caption (:func:`loop_angles`), the k-th one wider than the
    one before; their captions, one line each, beyond the widest.

    ``loops`` holds (node, k, caption or ``""``, line style) per link; ``size`` is the nodes' marker size
    (points squared), ``scale`` the arrow head's."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import ScaledTranslation

    ax.autoscale_view()
    shown = {v: tuple(ax.transData.transform(p)) for v, p in pos.items()}  # angles as they will look
    angles = loop_angles(shown, g)
    r = math.sqrt(size) / 2 / 72 + 0.03  # inches: the marker's radius and a gap
    captions: dict = {}
    for v, k, text, ls in loops:
        reach = max(0.34, 3.4 * r) + 0.12 * k
        start, c1, c2, end = _loop(angles[v], r, reach)
        at = ax.figure.dpi_scale_trans + ScaledTranslation(*pos[v], ax.transData)  # inches from the node's centre
        curve = MplPath([start, c1, c2, end], [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4])
        ax.add_patch(
            FancyArrowPatch(
                path=curve, transform=at, arrowstyle="-|>", mutation_scale=scale, color="#8a8a8a", lw=lw, ls=ls
            )
        )
        far = 0.25 * r * math.cos(0.5) + 0.75 * reach * math.cos(0.62)  # the curve's far end
        entry = captions.setdefault(v, [0.0, []])
        entry[0] = max(entry[0], far)
        if text:
            entry[1].append(text)
    for v, (far, lines) in captions.items():
        if not lines:
            continue
        c, s = math.cos(angles[v]), math.sin(angles[v])
        ax.annotate(
            "\n".join(lines),
            xy=pos[v],
            xytext=((far + 0.03) * 72 * c, (far + 0.03) * 72 * s),
            textcoords="offset points",
            fontsize=fontsize,
            color="#555555",
            ha="left" if c > 0.35 else "right" if c < -0.35 else "center",
            va="bottom" if s > 0.35 else "top" if s < -0.35 else "center",
            zorder=3,
            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7),
        )


def _shape_svg(shape: str, x: float, y: float, r: float, fill: str) -> str:
    """One node marker in SVG, shaped as the model's style says (a circle for a shape not listed)."""
    common = f'fill="{fill}" stroke="#333" stroke-width="0.6"'
    if shape in ("box", "square", "database"):
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {common}/>'
    corners: list[tuple[float, float]] = []
    if shape == "diamond":
        corners = [(0, -1.25), (1.25, 0), (0, 1.25), (-1.25, 0)]
    elif shape in ("triangle", "triangleDown"):
        sign = 1 if shape == "triangle" else -1
        corners = [(0, -1.3 * sign), (1.15, 0.75 * sign), (-1.15, 0.75 * sign)]
    elif shape == "star":
        corners = [
            (
                (1.4 if i % 2 == 0 else 0.6) * math.sin(i * math.pi / 5),
                -(1.4 if i % 2 == 0 else 0.6) * math.cos(i * math.pi / 5),
            )
            for i in range(10)
        ]
    elif shape == "hexagon":
        corners = [(1.15 * math.cos(i * math.pi / 3), 1.15 * math.sin(i * math.pi / 3)) for i in range(6)]
    if corners:
        pts = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in corners)
        return f'<polygon points="{pts}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'


def to_svg(
    g: nx.MultiDiGraph,
    *,
    model: Model | None = None,
    seed: int = 0,
    unmask: bool = False,
    font_family: str = "",
    width: int = 900,
    layout: Mapping[Any, tuple[float, float]] | None = None,
    lang: str = "zh",
) -> str:
    """Draw ``g`` as an SVG element to put inside an HTML page, without matplotlib: the page's own font
    (``font_family``, e.g. an embedded ``@font-face``) sets the Chinese, and the text stays text (a
    browser finds it, a printed PDF keeps it searchable).

    Nodes are coloured and shaped by label from the model and carry their caption (:func:`node_caption`); past
    :data:`NAMED_NODES` nodes the ones that matter are named and the others carry a number (``#17``), their names in
    the key under the drawing (:func:`node_key`, :func:`key_lines`), as the printed map's. Links carry their type
    and, with at most :data:`CITED_LINKS` links, the number :func:`citations` gives them. Laid out as the printed
    map (:func:`layout_positions` with ``seed``; ``layout``: those positions by ``g``'s keys where the caller has them
    already, the portrait laying out its map once for this drawing and its interactive one), the same way up, marks
    and captions pushed apart (:func:`unpile`). Identifiers are masked unless ``unmask``. ``lang``: the links' captions'
    language (an English portrait's map had captioned its links in Chinese).

    Returns
    -------
    str
        ``<svg …>…</svg>`` (an empty drawing for an empty graph).

    Example
    -------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("p1", "c1", {"type": "SHAREHOLDER_OF"})])
    >>> to_svg(g).startswith("<svg")
    True
    """
    model = model or Model.default()
    if not unmask:
        masked = mask_graph(g, model)
        if layout is not None:  # by the caller's keys; mask_graph keeps the nodes' order
            renamed = dict(zip(g.nodes, masked.nodes, strict=True))
            layout = {renamed[v]: xy for v, xy in layout.items() if v in renamed}
        g = masked
    n, m = g.number_of_nodes(), g.number_of_edges()
    cite = 0 < m <= CITED_LINKS
    shown = n <= 200
    # past :data:`NAMED_NODES` the nodes that matter named, the others numbered (#1 …), their names in the key under
    # the drawing, as the printed map (:func:`to_image`) and the case files do: every name of up to 200 had been set
    key = node_key(g) if shown else {}
    names = {v: key.get(v) or node_caption(v, a, model=model, unmask=unmask) for v, a in g.nodes(data=True)}
    height = int(width * (1.0 if key else 0.72))  # as tall as wide with numbered nodes, as the printed map
    pad, r = 70.0, 9.0 if n <= NAMED_NODES else 6.0
    # laid out as the printed map of the same graph (:func:`layout_positions`), turned over (SVG's y grows downwards)
    pos = {v: (x, -y) for v, (x, y) in (layout if layout is not None else layout_positions(g, seed=seed)).items()}
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    sx = (width - 2 * pad) / ((max(xs) - min(xs)) or 1.0)
    sy = (height - 2 * pad) / ((max(ys) - min(ys)) or 1.0)
    if spread(n) < 1:  # a few nodes near the middle, as far apart as many would be (spread)
        half = spread(n) / 2
        at = {
            v: (width / 2 + p[0] * half * (width - 2 * pad), height / 2 + p[1] * half * (height - 2 * pad))
            for v, p in pos.items()
        }
    else:
        at = {
            v: (
                pad + (p[0] - min(xs)) * sx if len(xs) > 1 else width / 2,
                pad + (p[1] - min(ys)) * sy if len(ys) > 1 else height / 2,
            )
            for v, p in pos.items()
        }
    if shown and 1 < n < 200:  # no mark or caption over another, as the printed map pushes them apart (apart)
        at = unpile(at, {v: names[v] for v in at}, size=10.0, height=2 * r + 16, pad=4.0)
    seen: dict[tuple, int] = {}
    paths, labels, nodes = [], [], []
    curves: list[list] = []  # each link's points, and its number and caption (place_labels)
    texts: list[tuple[str, str]] = []
    angles = loop_angles(at, g, caption=math.pi / 2)  # y grows downwards
    looped: dict = {}  # node -> [distance of the widest loop's far end, its captions]
    taken = [(x - r - 2, y - r - 2, x + r + 2, y + r + 2) for x, y in at.values()]  # the markers
    boxes = list(taken)  # everything drawn, for the drawing's extent
    # node captions first, each where it covers no marker and no earlier caption and no link crosses it
    # (CAPTION_SPOTS, y down here; a link as the straight line between its ends)
    links = [(at[u], at[v]) for u, v in g.edges() if u != v]
    captions = {}
    centres = [at[v] for v in g.nodes]
    for k, v in enumerate(g.nodes):
        if not shown:
            break
        text = names[v]
        x, y = at[v]
        spots = []
        for (dx, dy), ha, va in CAPTION_SPOTS:
            anchor = {"center": "middle", "left": "start", "right": "end"}[ha]
            tx, ty = x + dx * (r + 3), y - dy * (r + 3)
            base = ty + 10 if va == "top" else ty - 3 if va == "bottom" else ty + 3.5
            spots.append((tx, base, anchor, _svg_text_box(tx, base, text, 10, anchor)))
        pick = free_spot([b for *_, b in spots], taken[:k] + taken[k + 1 :], links)
        captions[v] = (text, *spots[pick][:3])
        taken.append(spots[pick][3])
        # away from its node, or nearer another's mark: a leader from its mark to it (as the printed drawings')
        if needs_leader(pick, spots[pick][3], k, centres):
            (ax_, ay), (bx, by) = caption_leader((x, y), r + 1, spots[pick][3])
            labels.append(
                f'<line class="gk-caption-leader" x1="{ax_:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
                'stroke="#666" stroke-width="0.5"/>'
            )
    for i, (u, v, a) in enumerate(g.edges(data=True), start=1):
        k = seen[(u, v)] = seen.get((u, v), -1) + 1
        if u == v:  # a link to itself: a loop beside the node, clear of its other links (loop_angles)
            reach = 4.2 * r + 16 * k
            (sx, sy), (ax_, ay), (bx, by), (ex, ey) = _loop(angles[u], r + 2, reach)
            x, y = at[u]
            paths.append(
                f'<path d="M{x + sx:.1f},{y + sy:.1f} C{x + ax_:.1f},{y + ay:.1f} {x + bx:.1f},{y + by:.1f} '
                f'{x + ex:.1f},{y + ey:.1f}" fill="none" stroke="#8a8a8a" stroke-width="0.9" '
                'marker-end="url(#gk-arrow)"/>'
            )
            boxes.append((x - reach, y - reach, x + reach, y + reach))
            far = 0.25 * (r + 2) * math.cos(0.5) + 0.75 * reach * math.cos(0.62)
            entry = looped.setdefault(u, [0.0, []])
            entry[0] = max(entry[0], far)
            entry[1].append(edge_caption(a, model=model, lang=lang) + (f" [{i}]" if cite else ""))
            continue
        bend = 0.0 if k == 0 else 0.18 * ((k + 1) // 2) * (1 if k % 2 else -1)
        (x0, y0), (x1, y1) = at[u], at[v]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        # stop short of the markers at both ends
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        x0, y0, x1, y1 = x0 + ux * (r + 2), y0 + uy * (r + 2), x1 - ux * (r + 3), y1 - uy * (r + 3)
        cx, cy = (x0 + x1) / 2 + bend * (y1 - y0), (y0 + y1) / 2 - bend * (x1 - x0)
        paths.append(
            f'<path d="M{x0:.1f},{y0:.1f} Q{cx:.1f},{cy:.1f} {x1:.1f},{y1:.1f}" fill="none" stroke="#8a8a8a" '
            'stroke-width="0.9" marker-end="url(#gk-arrow)"/>'
        )
        if shown:  # placed once every link is drawn (place_labels): its number, or its caption unnumbered
            text = edge_caption(a, model=model, lang=lang)
            no = f"[{i}]" if cite else text
            ts = [k / 16 for k in range(17)]
            curves.append(
                [
                    (
                        (1 - t) ** 2 * x0 + 2 * t * (1 - t) * cx + t**2 * x1,
                        (1 - t) ** 2 * y0 + 2 * t * (1 - t) * cy + t**2 * y1,
                    )
                    for t in ts
                ]
            )
            texts.append((no, f"{text} {no}" if cite and text else no))
    dropped = 0
    if shown and curves:  # on its own line clear of the others, else beside it on a leader (as the PDF's)

        def measure(text: str) -> tuple[float, float]:
            b = _svg_text_box(0, 0, text, 8, "middle")
            return b[2] - b[0] + 3, 1.3 * 8 + 2

        put = place_labels(curves, texts, measure, taken, clear=3.0, gaps=_BESIDE)
        dropped = sum(1 for i, (no, _) in enumerate(texts) if no and i not in put)
        for text, (mx, my), leader in put.values():
            box = _svg_text_box(mx, my + 2.8, text, 8, "middle")
            taken.append(box)
            # on a white ground that breaks its line, as the printed drawings' labels
            labels.append(  # (paths, not rect and circle: those are the nodes' markers)
                f'<path d="M{box[0] - 1:.1f},{box[1] - 0.5:.1f} h{box[2] - box[0] + 2:.1f} v{box[3] - box[1] + 1:.1f} '
                f'h{box[0] - box[2] - 2:.1f} z" fill="#fff"/>'
            )
            if leader is not None:
                (ax_, ay), (bx, by) = leader
                labels.append(
                    f'<path d="M{ax_:.1f},{ay:.1f} L{bx:.1f},{by:.1f}" stroke="#444" stroke-width="0.5"/>'
                    f'<path d="M{ax_ - 1.2:.1f},{ay:.1f} a1.2,1.2 0 1,0 2.4,0 a1.2,1.2 0 1,0 -2.4,0" fill="#444"/>'
                )
            labels.append(
                f'<text x="{mx:.1f}" y="{my + 2.8:.1f}" font-size="8" fill="#333" text-anchor="middle" '
                f'stroke="#fff" stroke-width="3" paint-order="stroke">{html.escape(text)}</text>'
            )
    if shown:
        for v, (far, lines) in looped.items():
            c, s_ = math.cos(angles[v]), math.sin(angles[v])
            x, y = at[v][0] + (far + 4) * c, at[v][1] + (far + 4) * s_
            anchor = "start" if c > 0.35 else "end" if c < -0.35 else "middle"
            top = y - (len(lines) - 1) * 10 if s_ < -0.35 else y + 8 if s_ > 0.35 else y - (len(lines) - 1) * 5 + 3
            for j, line in enumerate(lines):
                boxes.append(_svg_text_box(x, top + 10 * j, line, 8, anchor))
                labels.append(
                    f'<text x="{x:.1f}" y="{top + 10 * j:.1f}" font-size="8" fill="#555" text-anchor="{anchor}" '
                    f'stroke="#fff" stroke-width="2.5" paint-order="stroke">{html.escape(line)}</text>'
                )
    for v, a in g.nodes(data=True):
        label = a.get("label", "")
        style = _style(model, label)
        x, y = at[v]
        kind = kind_word(label, lang, model)
        nodes.append(
            f"<g><title>{html.escape(kind)}</title>{_shape_svg(style.get('shape', 'dot'), x, y, r, style['color'])}"
        )
        if v in captions:
            text, tx, ty, anchor = captions[v]
            nodes.append(
                f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="10" text-anchor="{anchor}" stroke="#fff" '
                f'stroke-width="2.5" paint-order="stroke">{html.escape(text)}</text>'
            )
        nodes.append("</g>")
    # the drawing's extent: what is drawn and a margin, the legend in a row of its own above it (a graph of a few
    # nodes had been drawn small in the middle of a 900 × 648 box, most of the figure left empty)
    boxes += taken
    x0 = min((b[0] for b in boxes), default=0.0) - 12
    x1 = max((b[2] for b in boxes), default=float(width)) + 12
    y1 = max((b[3] for b in boxes), default=float(height)) + 12
    if dropped:  # how many numbers had no room, under the drawing (the list under it names those links)
        note = crowded_note(dropped, lang)
        labels.append(f'<text x="{x0 + 12:.1f}" y="{y1 + 2:.1f}" font-size="9" fill="#333">{html.escape(note)}</text>')
        x1 = max(x1, _svg_text_box(x0 + 12, 0, note, 9, "start")[2] + 12)
        y1 += 16
    keyed = key_lines(g, key, model=model, lang=lang)
    if keyed:  # the key to numbered nodes under the drawing (:func:`key_lines`), its rows in columns
        labels.append(
            f'<text x="{x0 + 12:.1f}" y="{y1 + 2:.1f}" font-size="9" fill="#333">{html.escape(keyed[0])}</text>'
        )
        x1 = max(x1, _svg_text_box(x0 + 12, 0, keyed[0], 9, "start")[2] + 12)
        widest = max(_svg_text_box(0, 0, x, 9, "start")[2] for x in keyed[1:]) + 16
        cols = max(1, min(4, int((x1 - x0 - 24) // widest)))
        per = math.ceil((len(keyed) - 1) / cols)
        for j, line in enumerate(keyed[1:]):
            kx, ky = x0 + 12 + widest * (j // per), y1 + 16 + 12 * (j % per)
            labels.append(f'<text x="{kx:.1f}" y="{ky:.1f}" font-size="9" fill="#333">{html.escape(line)}</text>')
        x1 = max(x1, x0 + 12 + widest * cols)
        y1 += 18 + 12 * per
    legend, lx, ly = [], x0 + 12, 0.0
    for label, count in sorted(kind_counts(g)[0].items()):
        style = _style(model, label)
        kind = f"{kind_word(label, lang, model)} ({count})"
        w = _svg_text_box(0, 0, kind, 10, "start")[2] + 28
        if lx + w > x1 and lx > x0 + 12:  # the row is full: the next one under it
            lx, ly = x0 + 12, ly + 15
        legend.append((lx, ly, style, kind))
        lx += w
    y0 = min((b[1] for b in boxes), default=0.0) - 12 - (ly + 22 if legend else 0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:.0f} {y0:.0f} {x1 - x0:.0f} {y1 - y0:.0f}" '
        f'width="100%" style="max-width:{x1 - x0:.0f}px;display:block;margin:0 auto" '
        f'font-family="{html.escape(font_family + ", " if font_family else "")}sans-serif" role="img">',
        '<defs><marker id="gk-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a8a8a"/></marker></defs>',
    ]
    for lx, ly, style, kind in legend:  # the legend, top left
        out.append(_shape_svg(style.get("shape", "dot"), lx, y0 + 12 + ly, 4.5, style["color"]))
        out.append(f'<text x="{lx + 10:.0f}" y="{y0 + 16 + ly:.0f}" font-size="10">{html.escape(kind)}</text>')
    out += paths + labels + nodes
    out.append("</svg>")
    return "".join(out)


def _svg_text_box(x: float, y: float, text: str, size: float, anchor: str) -> tuple[float, float, float, float]:
    """The box SVG text at ``(x, y)`` (its baseline) covers, its width estimated from its characters (a Chinese
    one as wide as the type is high, another about 0.6 of it): to place captions where they cover none other.

    >>> _svg_text_box(100, 50, "张伟 [3]", 10, "middle")
    (78.4, 40, 121.6, 53.0)
    """
    w = sum(size if unicodedata.east_asian_width(c) in "WF" else 0.58 * size for c in text)
    left = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
    return (round(left, 1), y - size, round(left + w, 1), y + 0.3 * size)


def _plain(v: Any) -> Any:
    """A value GraphML can hold: numbers, text and booleans as they are, a date or time as its ISO text
    (``2002-07-03``, not ``"2002-07-03"`` in quotes), anything else as JSON text."""
    if hasattr(v, "isoformat") and not isinstance(v, (str, bytes)):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (TypeError, ValueError):
            pass
    if isinstance(v, (bool, int, float, str)):
        return v
    return json.dumps(v, ensure_ascii=False, default=str)


def _attrs(items: list[dict]) -> list[dict]:
    """Per element, its attributes without missing values; a key holding values of more than one type
    across elements becomes text everywhere (GraphML declares one type per key)."""
    out = [
        {k: _plain(v) for k, v in d.items() if v is not None and not (isinstance(v, float) and math.isnan(v))}
        for d in items
    ]
    kinds: dict[str, set] = {}
    for d in out:
        for k, v in d.items():
            kinds.setdefault(k, set()).add(type(v))
    mixed = {k for k, t in kinds.items() if len(t) > 1}
    return [{k: (str(v) if k in mixed else v) for k, v in d.items()} for d in out] if mixed else out


def to_graphml(g: nx.MultiDiGraph, path: str | Path, *, unmask: bool = False) -> Path:
    """Write ``g`` as GraphML (UTF-8) and return its path; see :func:`_attrs` for how values are kept.
    Identifiers are masked unless ``unmask``. The same graph writes the same bytes whatever order its nodes,
    links and attributes were added in: nodes, links (by ends and key) and each one's attributes are sorted, so
    the attribute keys' ids (``d0``, ``d1`` …) are stable too.

    Example
    -------
    >>> import networkx as nx, tempfile, os
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p1", label="Person", name="张伟", hop=0)
    >>> _ = g.add_edge("p1", "p1", type="KNOWS", src_row=2, tags=["a", "b"])
    >>> back = nx.read_graphml(to_graphml(g, os.path.join(tempfile.mkdtemp(), "g.graphml"), unmask=True))
    >>> back.nodes["p1"]["name"], next(iter(back.edges(data=True)))[2]["tags"]
    ('张伟', '["a", "b"]')
    """
    path = Path(path)
    if not unmask:
        g = mask_graph(g)
    h = nx.MultiDiGraph()
    h.graph.update(sorted(_attrs([dict(g.graph)])[0].items()))
    nodes = sorted(g.nodes(data=True), key=lambda x: str(x[0]))
    for (v, _), a in zip(nodes, _attrs([a for _, a in nodes]), strict=True):
        h.add_node(str(v), **dict(sorted(a.items())))
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for (u, v, k, _), a in zip(edges, _attrs([a for *_, a in edges]), strict=True):
        h.add_edge(str(u), str(v), key=str(k), **dict(sorted(a.items())))
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(h, path, encoding="utf-8")
    return path


def export(
    g: nx.MultiDiGraph, path: str | Path, *, title: str = "", model: Model | None = None, unmask: bool = False
) -> Path:
    """Write ``g`` in the format its suffix names (:data:`FORMATS`) and return the path (identifiers masked
    unless ``unmask``; the caller records an unmask in the audit log)."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(
            f"{path}: cannot export to {path.suffix or 'a file without suffix'!r} "
            f"(use {', '.join(sorted(set(FORMATS)))})"
        )
    if kind == "HTML":
        return to_html(g, path, title=title, model=model, unmask=unmask)
    if kind == "image":
        return to_image(g, path, title=title, model=model, unmask=unmask)
    return to_graphml(g, path, unmask=unmask)
