"""Case-file exports (案卷导出): one subgraph, a case number, who exported it and when, in seven formats.

:func:`write_case_file` writes a graph as

* ``html`` — one self-contained page (vis.js inline, a subset of Noto Sans CJK SC embedded as a base64
  ``@font-face``), with the header, a legend and the appendix (:mod:`graphkit.exports.html`);
* ``pdf`` (A4 pages), ``png``, ``svg`` — a drawing for print with the header, a legend in Chinese from the
  model's titles, a watermark (PDF and PNG) naming the case, exporter and time, and the appendix
  (:mod:`graphkit.exports.printed`);
* ``graphml``, ``gexf`` — typed attributes for Gephi, yEd, Cytoscape; ``json`` — networkx node-link data
  with the model's attribute names (:mod:`graphkit.exports.data`).

Identifiers (ID numbers, phones, bank accounts, fuel cards, licence numbers, private plates, home addresses) are
masked by :func:`graphkit.model.mask.mask_graph` unless the caller passes ``masked=False`` (the command line requires
``--unmask --reason`` and records it in the audit log). A drawing folds low-information leaves as the Explorer
widget does, with the same function (:func:`graphkit.evidence.fold`: an official's 24 salary rows become one
node "24 工资发放"), then shows at most :data:`MAX_DRAWN` nodes, nearest the seeds first (:func:`drawing`); the
legend and the appendix say what was folded, what was left out and which command gives all of it. GraphML, GEXF
and JSON are never folded: they hold every node and relationship of the graph.

The appendix lists every relationship the drawing stands for, folded ones included: number, source,
relationship, target, source file and line; a folded node's relationships are numbered together, and its
links on the drawing carry their range (``57–80``). :func:`appendix` gives the same rows as data, so tests
can compare a file against it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx

from graphkit.evidence import SYNTHETIC_TYPES, fold
from graphkit.model import Model, provenance
from graphkit.model.clock import now_iso, shown
from graphkit.model.mask import mask_graph, mask_keys_in, mask_node_key, mask_text, masked_kinds, personal_nodes
from graphkit.stores.base import induced
from graphkit.viz import edge_detail, kind_counts, plain_caption

__all__ = [
    "CaseInfo",
    "Drawing",
    "ExportResult",
    "FORMATS",
    "MAX_DRAWN",
    "Progress",
    "appendix",
    "appendix_heading",
    "drawing",
    "drawn_counts",
    "graph_counts",
    "drawn_part",
    "folded_note",
    "hubs_note",
    "hubs_named",
    "omitted_notes",
    "legend_entries",
    "link_labels",
    "caption",
    "left_out_note",
    "folded_mark",
    "neighbourhood_subject",
    "path_subject",
    "unlabelled_note",
    "write_case_file",
    "zh_title",
    "WORDS",
    "word",
]

FORMATS = ("html", "pdf", "png", "svg", "graphml", "gexf", "json")
VISUAL = ("html", "pdf", "png", "svg")
#: most nodes a drawing shows (an A4 page stays legible up to this)
MAX_DRAWN = 200
#: how a writer reports its steps: ``progress(done, total, what)`` before each step (``done`` of ``total`` steps
#: finished, ``what`` starts) and once at the end (``done == total``); ``total`` may grow once a step knows how
#: many follow (a PDF's pages are counted after the drawing is folded)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CaseInfo:
    """What a case file says about itself.

    Parameters
    ----------
    case : str
        The case number (案卷号).
    by : str
        Who exported it.
    at : str, optional
        When (ISO 8601); now when omitted.
    subject : str, optional
        What was asked, in words (``张伟 (3205**********0011): 2-hop neighbourhood``).
    rerun : str, optional
        The command that gives the whole graph (named where a drawing leaves nodes out).
    masked : bool, default True
        Whether identifiers are masked.
    reason : str, optional
        Why they are shown in clear (when not masked).
    omitted : tuple of str, optional
        What the graph itself leaves out, in words (a hub's links past ``--max-links``, hubs not expanded,
        the other pages of a neighbourhood): every format says it (drawings in red under the legend, data
        formats in their metadata), as the console does.
    seeds : tuple of str, optional
        The keys of every entity asked for (the data formats' ``seeds``).
    lang : {"zh", "en"}, default "zh"
        The reader's language (the console's ``--lang``): every line the file says of itself (its case number or
        that it has none, who exported it and when, the masking, the counts, what it leaves out) in it alone.
    """

    case: str
    by: str
    at: str = field(default_factory=now_iso)  # in the office's zone (GRAPHKIT_TZ), with its offset
    subject: str = ""
    rerun: str = ""
    masked: bool = True
    reason: str | None = None
    omitted: tuple[str, ...] = ()
    seeds: tuple[str, ...] = ()
    lang: str = "zh"

    @property
    def case_line(self) -> str:
        """``案卷号 …``, or that there is none (a case file or a portrait written without ``--case``), in the reader's
        language alone (:func:`word`; under ``lang="en"`` it had read ``未编案卷号 no case number``, and
        ``案卷号 …`` before an English page).

        >>> CaseInfo("", "王科长").case_line, CaseInfo("", "王科长", lang="en").case_line
        ('未编案卷号', 'No case number')
        >>> CaseInfo("苏纪2024-017", "王科长").case_line, CaseInfo("苏纪2024-017", "王科长", lang="en").case_line
        ('案卷号 苏纪2024-017', 'Case no. 苏纪2024-017')
        """
        if self.case:
            return f"{word('case', self.lang)} {self.case}"
        return word("no_case", self.lang)

    @property
    def stamp(self) -> str:
        """The watermark's text: case, exporter and time."""
        return f"{self.case_line} · {self.by} · {self.shown_at[:16]}"

    @property
    def shown_at(self) -> str:
        """When, as printed: in the office's zone with its offset (``2026-12-07 17:00:00+08:00``,
        :func:`graphkit.model.clock.shown`), whatever zone the server keeps."""
        return shown(self.at)

    @property
    def privacy(self) -> str:
        """One line on masking, in the reader's language."""
        if self.lang == "en":
            if self.masked:
                return f"{masked_kinds('en')} masked; birth year only"
            return f"Not masked (reason: {self.reason}), recorded in the audit log"
        if self.masked:
            return f"{masked_kinds()}已脱敏，出生日期只留年份"
        return f"未脱敏（原因：{self.reason}），已记入审计日志"

    @property
    def meta_line(self) -> str:
        """The header's line under the subject: who exported it, when, and the masking (:attr:`privacy`), in the
        reader's language alone (under ``lang="en"`` it had read ``导出人 … 导出时间 …`` and the Chinese masking note).

        >>> CaseInfo("", "王科长", at="2026-12-07T17:00:00+08:00", lang="en").meta_line.split(" · ")[0]
        'Exported by 王科长, 2026-12-07 17:00:00+08:00'
        """
        if self.lang == "en":  # as short as the Chinese: the page's header has one line for it
            return f"{word('by', 'en')} {self.by}, {self.shown_at} · {self.privacy}"
        return f"{word('by')} {self.by}　{word('at')} {self.shown_at}　{self.privacy}"


@dataclass(frozen=True)
class ExportResult:
    """What :func:`write_case_file` wrote.

    Attributes
    ----------
    path : Path
        The file.
    format : str
        One of :data:`FORMATS`.
    nodes, links : int
        Nodes and relationships in the file (for a visual format: those the drawing stands for, folded ones
        included, as its appendix lists them).
    left_out_nodes, left_out_links : int
        Nodes and relationships of the graph a drawing left out (0 for data formats).
    folded_nodes, folds : int
        Nodes a drawing folded, and the folded nodes drawn for them (0 for data formats).
    """

    path: Path
    format: str
    nodes: int
    links: int
    left_out_nodes: int = 0
    left_out_links: int = 0
    folded_nodes: int = 0
    folds: int = 0


#: what a case file's pages call their parts, in Chinese and in English: each said in the reader's language alone
#: (:func:`word`); the case files had set the English beside the Chinese (关系图谱 case-file graph, 图例 legend,
#: 节点 nodes, 附录 appendix, 编号 no …) on a Chinese reader's page
WORDS: dict[str, tuple[str, str]] = {
    "title": ("关系图谱", "Case-file graph"),
    "legend": ("图例", "Legend"),
    "nodes": ("节点", "Nodes"),
    "links": ("关系", "Relationships"),
    "appendix": ("附录", "Appendix"),
    "key": ("节点编号表", "Key to numbered nodes"),
    "no": ("编号", "No."),
    "source": ("起点", "Source"),
    "relationship": ("关系", "Relationship"),
    "target": ("终点", "Target"),
    "where": ("来源", "Source file, line/row"),
    "kind": ("类别", "Kind"),
    "name_key": ("名称（标识）", "Name (key)"),
    "empty": ("（空图）", "(empty graph)"),
    "case": ("案卷号", "Case no."),
    "no_case": ("未编案卷号", "No case number"),
    "by": ("导出人", "Exported by"),
    "at": ("导出时间", "Exported at"),
    "see_appendix": (
        "每条关系的来源文件与行号见附录（编号同图中）",
        "each relationship's source file and line are in the appendix, numbered as in the drawing",
    ),
}


def word(key: str, lang: str = "zh") -> str:
    """What a case file calls one of its parts (:data:`WORDS`) in ``lang`` alone.

    >>> word("legend"), word("legend", "en")
    ('图例', 'Legend')
    """
    zh, en = WORDS[key]
    return en if lang == "en" else zh


def appendix_heading(rows: int, nodes: int, folded: int = 0, folds: int = 0, lang: str = "zh") -> str:
    """The appendix's heading: how many relationships it lists, over how many nodes, how many folded.

    >>> appendix_heading(3, 4)
    '附录：图中全部 3 条关系及其来源（4 个节点）'
    >>> appendix_heading(3, 4, 2, 1, "en")
    'Appendix: all 3 relationships drawn and their sources (4 nodes, 2 of them folded into 1 drawn)'
    """
    if lang == "en":
        tail = f", {folded} of them folded into {folds} drawn" if folded else ""
        return f"Appendix: all {rows} relationships drawn and their sources ({nodes} nodes{tail})"
    tail = f"，其中 {folded} 个归并为图中 {folds} 个节点" if folded else ""
    return f"附录：图中全部 {rows} 条关系及其来源（{nodes} 个节点{tail}）"


def zh_title(title: str) -> str:
    """The Chinese part of a model title (``'亲属 family tie (person → relative)'`` → ``'亲属'``).

    Parameters
    ----------
    title : str
        A label's or relationship's ``title`` from the model YAML.

    Returns
    -------
    str
        The words before the first space, or the whole title.
    """
    return title.split(" ", 1)[0] if title else title


def drawn_part(g: nx.MultiDiGraph, limit: int = MAX_DRAWN) -> nx.MultiDiGraph:
    """The part of ``g`` a drawing shows: all of it up to ``limit`` nodes, else the ``limit`` nodes nearest
    the seeds (by ``hop``, then label and key) and the links among them.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    limit : int, default :data:`MAX_DRAWN`

    Returns
    -------
    networkx.MultiDiGraph
        ``g`` itself, or a copy of the part.
    """
    if g.number_of_nodes() <= limit:
        return g
    order = sorted(g.nodes(data=True), key=lambda x: (x[1].get("hop") or 0, str(x[1].get("label", "")), str(x[0])))
    return induced(g, [v for v, _ in order[:limit]])


def caption(node: str, attrs: dict, lang: str = "zh") -> str:
    """A node's caption: its ``caption`` property declared in nodes.yaml (name, title, address …), else its key;
    a folded node says how many it holds and their kind (``24 工资发放``, as the widgets say it:
    :func:`graphkit.viz.node_caption`). The drawings' own (:func:`graphkit.viz.plain_caption`), which numbers the
    nodes of a crowded drawing by it; in ``lang`` alone (an English file's amounts read ``98.0 万元``)."""
    return plain_caption(node, attrs, lang)


@dataclass(frozen=True)
class Drawing:
    """What a visual format shows of a graph (:func:`drawing`).

    Attributes
    ----------
    whole : networkx.MultiDiGraph
        The graph exported.
    drawn : networkx.MultiDiGraph
        The graph as drawn: low-information leaves folded (:func:`graphkit.evidence.fold`), at most
        ``max_drawn`` nodes, nearest the seeds first.
    shown : networkx.MultiDiGraph
        The part of ``whole`` the drawing stands for: its nodes, the members of its folded nodes and the
        relationships among them (what the legend counts and the appendix lists).
    rows : list of dict
        The appendix (:func:`appendix` of ``shown`` numbered along ``drawn``).
    labels : dict
        ``(u, v, key)`` of a link of ``drawn`` → the number printed on it (``"7"``, or ``"57–80"`` for the
        relationships a folded link stands for).
    """

    whole: nx.MultiDiGraph
    drawn: nx.MultiDiGraph
    shown: nx.MultiDiGraph
    rows: list[dict]
    labels: dict[tuple, str]

    @property
    def folds(self) -> dict[str, dict]:
        """The folded nodes drawn: id → attributes (``folded``, ``members``, ``anchors``)."""
        return {v: a for v, a in self.drawn.nodes(data=True) if a.get("folded")}


def drawing(
    g: nx.MultiDiGraph,
    max_drawn: int = MAX_DRAWN,
    *,
    model: Model | None = None,
    folded: bool = True,
    lang: str = "zh",
) -> Drawing:
    """What a drawing of ``g`` shows: leaves folded as the Explorer folds them, the nodes nearest the seeds.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The graph exported (its seeds, ``hop`` 0, are never folded).
    max_drawn : int, default :data:`MAX_DRAWN`
        Most nodes drawn (a folded node counts as one).
    model : Model, optional
    folded : bool, default True
        Fold low-information leaves (:func:`graphkit.evidence.fold`); False draws every node.
    lang : {"zh", "en"}, default "zh"
        The case file's language: the appendix names its nodes in it (:func:`appendix`).

    Returns
    -------
    Drawing
    """
    model = model or Model.default()
    seeds = [v for v, a in g.nodes(data=True) if a.get("hop") == 0]
    drawn = drawn_part(fold(g, keep=seeds, model=model) if folded else g, max_drawn)
    keep: list = []
    for v, a in drawn.nodes(data=True):
        keep.extend(a["members"] if a.get("folded") else [v])
    shown = g if len(keep) == g.number_of_nodes() else induced(g, keep)
    rows = appendix(shown, model, drawn=drawn, lang=lang)
    return Drawing(g, drawn, shown, rows, link_labels(shown, drawn))


def appendix(
    g: nx.MultiDiGraph, model: Model | None = None, *, drawn: nx.MultiDiGraph | None = None, lang: str = "zh"
) -> list[dict]:
    """One row per relationship of ``g``: ``no``, ``source``, ``type``, ``type_zh``, ``type_en`` (the type's code
    with its detail, ``FAMILY (spouse)``), ``target``, ``src_file``, ``src_row``, ``where`` (``family.csv 第2行``, a
    workbook's row too: :func:`graphkit.model.provenance` in Chinese) and ``where_en`` (``family.csv line 2``),
    ``folded_in`` and ``folded_end`` (numbered as the drawings number them).

    Parameters
    ----------
    g : networkx.MultiDiGraph
    model : Model, optional
    drawn : networkx.MultiDiGraph, optional
        The drawing of ``g`` with folded nodes (:func:`drawing`): a relationship of a folded node's member
        comes after the others, with the relationships of the same folded node and anchor; its
        ``folded_in`` is the folded node's caption (``"24 工资发放"``) and ``folded_end`` says which end
        is the member (``"source"`` or ``"target"``); both ``""`` for the others.
    lang : {"zh", "en"}, default "zh"
        The language of the nodes' captions in ``source``, ``target`` and ``folded_in`` (an amount, a folded node:
        ``98.0 万元``, ``24 工资发放``; ``lang="en"``: ``¥980,000``, ``24 payments``).

    Returns
    -------
    list of dict
    """
    model = model or Model.default()
    rows = []
    for i, (u, v, _k, a, fid) in enumerate(_numbered(g, drawn), start=1):
        t = a.get("type", "")
        rows.append(
            {
                "no": i,
                "source": _named(u, g.nodes[u], lang),
                "type": t,
                # with the share of a shareholding and the kinship of a family link (股东 91.42%, 亲属·配偶)
                # a drawn-only link (a bid folded into a link, a unit's payments) in Chinese too, not its code
                "type_zh": (
                    zh_title(model.relationships[t].title)
                    if t in model.relationships
                    else SYNTHETIC_TYPES[t][0]
                    if t in SYNTHETIC_TYPES
                    else t
                )
                + edge_detail(a, model=model),
                # the English page's: the code with the same detail (FAMILY (spouse), SHAREHOLDER_OF 91.42%); it
                # showed the code alone
                "type_en": t + edge_detail(a, lang="en", model=model),
                "target": _named(v, g.nodes[v], lang),
                "src_file": a.get("src_file") or "?",
                "src_row": a.get("src_row") if a.get("src_row") is not None else "?",
                # in Chinese as the rest of the page (family.csv 第2行), as the path's explanation cites it
                "where": provenance(a.get("src_file"), a.get("src_row"), "zh"),
                "where_en": provenance(a.get("src_file"), a.get("src_row"), "en"),  # family.csv line 2
                "folded_in": caption(fid, drawn.nodes[fid], lang) if fid is not None else "",
                "folded_end": "" if fid is None else "source" if u in drawn.nodes[fid]["members"] else "target",
            }
        )
    return rows


def _named(node, attrs: dict, lang: str) -> str:
    """A node as the appendix writes it: ``caption (key)``, the key alone where it is its caption."""
    said = caption(node, attrs, lang)
    return f"{said} ({node})" if said != str(node) else str(node)


def link_labels(g: nx.MultiDiGraph, drawn: nx.MultiDiGraph | None = None) -> dict[tuple, str]:
    """``(u, v, key)`` of a link drawn → its number in :func:`appendix` (drawings print the same number).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The graph the appendix lists.
    drawn : networkx.MultiDiGraph, optional
        Its drawing with folded nodes: a link between an anchor and a folded node gets the range of the
        relationships it stands for (``"57–80"``).

    Returns
    -------
    dict
    """
    labels: dict[tuple, str] = {}
    spans: dict[tuple, list[int]] = {}
    for i, (u, v, k, _a, fid) in enumerate(_numbered(g, drawn), start=1):
        if fid is None:
            labels[(u, v, k)] = str(i)
        else:
            spans.setdefault((fid, _anchor(u, v, drawn.nodes[fid])), []).append(i)
    for u, v, k, a in drawn.edges(keys=True, data=True) if drawn is not None else ():
        if a.get("type") == "FOLDED":
            nos = spans.get((v, u)) or spans.get((u, v)) or []
            if nos:
                labels[(u, v, k)] = str(nos[0]) if len(nos) == 1 else f"{nos[0]}–{nos[-1]}"
    return labels


def _anchor(u, v, folded: dict):
    """The end of a member's relationship that is not the member (the node the folded node hangs off)."""
    return v if u in folded["members"] else u


def _numbered(g: nx.MultiDiGraph, drawn: nx.MultiDiGraph | None) -> list[tuple]:
    """``(u, v, key, attrs, folded node or None)`` for every relationship of ``g``, in appendix order: the
    relationships drawn as themselves by type, then each folded node's by anchor and type."""
    member_of: dict = {}
    for fid, a in drawn.nodes(data=True) if drawn is not None else ():
        for m in a.get("members") or ():
            member_of[m] = fid
    out = []
    for u, v, k, a in g.edges(keys=True, data=True):
        fid = member_of.get(u, member_of.get(v))
        group = ("",) if fid is None else (str(fid), str(_anchor(u, v, drawn.nodes[fid])))
        out.append(((fid is not None, *group, *_edge_order((u, v, a))), (u, v, k, a, fid)))
    return [e for _, e in sorted(out, key=lambda x: x[0])]


def _edge_order(e: tuple) -> tuple:
    u, v, a = e
    return (str(a.get("type", "")), str(u), str(v), str(a.get("src_file", "")), a.get("src_row") or 0)


def legend_entries(g: nx.MultiDiGraph, model: Model | None = None, lang: str = "zh") -> tuple[list[tuple], list[tuple]]:
    """The node kinds and relationship kinds present in ``g``.

    Returns
    -------
    (nodes, links)
        ``nodes``: ``(label, name, count, style)``; ``links``: ``(type, name, count)``; both sorted by label/type;
        each name in ``lang`` alone (the model's Chinese title, ``lang="en"``: its English name), as the legends
        print them (``企业 (1)``; they had printed ``企业 Company (1)``, ``→ 亲属 FAMILY (1)``).
    """
    model = model or Model.default()
    kinds, types = kind_counts(g)

    def name(x: str, specs: dict) -> str:  # as the HTML pages' legend names it (viz.legend_html: display_name)
        if x not in specs:
            return x
        if lang == "en" or x in model.labels or getattr(specs[x], "zh", None):
            return model.display_name(x, "en" if lang == "en" else "zh")
        return zh_title(specs[x].title)  # a relationship with no Chinese name: its title's (担任职务)

    nodes = [
        (
            lab,
            name(lab, model.labels),
            n,
            model.style(lab) if lab in model.labels else {"color": "#999999", "shape": "dot"},
        )
        for lab, n in sorted(kinds.items())
    ]
    links = [(t, name(t, model.relationships), n) for t, n in sorted(types.items())]
    return nodes, links


#: hubs a case file's note names (more are counted, and every data format marks each one ``hub``)
HUBS_NAMED = 20


def hubs_named(g: nx.MultiDiGraph, unit: str = "条", *, expanded: Collection[str] = ()) -> list[str]:
    """The hubs of a neighbourhood (:func:`graphkit.paths.neighbourhood`) listed but not expanded, the most
    linked first, each as ``name (key) N unit`` (``key N unit`` when it has no name): what :func:`hubs_note`
    and the Explorer's status line name. ``expanded``: keys whose neighbourhoods the same case file holds as
    well (its other ``--entity``), which are no hub left out of it.

    Example
    -------
    >>> g = nx.MultiDiGraph(seed="u", hubs={"p": 154, "c": 60, "u": 9})
    >>> g.add_node("p", name="某区政府"); g.add_node("c")
    >>> hubs_named(g, "links")
    ['某区政府 (p) 154 links', 'c 60 links']
    """
    seed = g.graph.get("seed")
    hubs = sorted(
        ((h, n) for h, n in (g.graph.get("hubs") or {}).items() if h != seed and h not in expanded),
        key=lambda x: (-x[1], x[0]),
    )

    def named(h: str, n: int) -> str:
        name = g.nodes[h].get("name") if h in g else None
        return f"{name} ({h}) {n} {unit}" if name not in (None, "", h) else f"{h} {n} {unit}"

    return [named(h, n) for h, n in hubs]


def hubs_note(g: nx.MultiDiGraph, *, expanded: Collection[str] = (), lang: str = "zh") -> str:
    """The hubs of a neighbourhood (:func:`graphkit.paths.neighbourhood`) listed but not expanded, each named
    with its number of links, the most linked first ('' when none): what a case file leaves out of them.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        With ``seed``, ``hubs`` (key → links), ``hops`` and ``page_size`` in ``g.graph``.
    expanded : collection of str, optional
        Keys whose neighbourhoods the case file holds too (its other entities): not named as left out.
    lang : {"zh", "en"}, default "zh"
        In that language alone, the console's as the case file's (:attr:`CaseInfo.lang`): ``--lang en`` had printed
        the Chinese, and a case file had set the English after the Chinese whatever its reader's language.

    Returns
    -------
    str

    Example
    -------
    >>> g = nx.MultiDiGraph(seed="u", hops=2, page_size=50, hubs={"p": 154, "c": 60})
    >>> g.add_node("u", name="某局"); g.add_node("p", name="某区政府"); g.add_node("c")
    >>> hubs_note(g).split("：")[1].split("；")[0]
    '某区政府 (p) 154 条、c 60 条'
    >>> hubs_note(g, lang="en").split(": ", 1)[1]
    '2 hubs within 2 hops (more than --page-size 50 links) listed, their links not expanded: 某区政府 (p) 154 links, \
c 60 links; open one with graphkit neighbours or export it as --entity'
    """
    seed = g.graph.get("seed")
    hubs = hubs_named(g, "条" if lang != "en" else "links", expanded=expanded)
    if not hubs:
        return ""
    attrs = g.nodes[seed] if seed in g else {}
    who = f"{attrs.get('name') or seed} ({seed})" if attrs.get("name") not in (None, seed) else str(seed)
    more = len(hubs) - HUBS_NAMED
    hops, size = g.graph.get("hops"), g.graph.get("page_size")
    if lang == "en":
        rest = f", and {more} more (the nodes whose hub is true in GraphML, GEXF, JSON)" if more > 0 else ""
        return (
            f"{who}: {len(hubs)} hub{'s' if len(hubs) > 1 else ''}{f' within {hops} hops' if hops else ''}"
            f"{f' (more than --page-size {size} links)' if size else ''} listed, "
            f"{'their' if len(hubs) > 1 else 'its'} links not expanded: "
            f"{', '.join(hubs[:HUBS_NAMED])}{rest}; open one with graphkit neighbours or export it as --entity"
        )
    rest = f"，另 {more} 个见 GraphML、GEXF、JSON 中 hub 为真的节点" if more > 0 else ""
    zh = (
        f"{who} 的{f' {hops} 度' if hops else ''}范围内有 {len(hubs)} 个枢纽节点"
        f"{f'（关系多于 --page-size {size} 条）' if size else ''}只列出、其关系未展开："
        f"{'、'.join(hubs[:HUBS_NAMED])}{rest}"
    )
    return zh + "；可用 graphkit neighbours 查看其中一个，或把它作为 --entity 导出"


def omitted_notes(g: nx.MultiDiGraph, *, expanded: Collection[str] = (), lang: str = "zh") -> list[str]:
    """What a neighbourhood from :func:`graphkit.paths.whole_neighbourhood` leaves out, in words (a case file's
    :attr:`CaseInfo.omitted`): the seed's links past ``max_links``, and the hubs met on the way that were listed
    but not expanded (:func:`hubs_note`), less those in ``expanded`` (the case file's other entities, whose
    neighbourhoods it holds). ``graphkit export`` and notebook 05 say it alike (the notebook's case file said
    nothing of a unit of 103 links it listed without its links). In ``lang`` alone, the file's
    (:attr:`CaseInfo.lang`) as the console's: the file had set its English after the Chinese, and notebook 05
    under ``GRAPHKIT_LANG=en`` printed the Chinese.

    Example
    -------
    >>> g = nx.MultiDiGraph(seed="p", hops=1, page_size=50, hubs={"u": 103}, total=3, included=3, max_links=500)
    >>> g.add_node("p", name="刘瑶"); g.add_node("u", name="苏州市数据局")
    >>> [x.split("：")[1].split("；")[0] for x in omitted_notes(g)], omitted_notes(g, expanded={"u"})
    (['苏州市数据局 (u) 103 条'], [])
    """
    seed = g.graph.get("seed")
    name = g.nodes[seed].get("name") if seed in g else None
    who = f"{name or seed} ({seed})"
    out = []
    left, total = g.graph.get("left_out", 0), g.graph.get("total", 0)
    if left:
        zh = (
            f"{who} 共有 {total} 条关系，案卷只收入按编号排序的前 {g.graph['included']} 条（--max-links "
            f"{g.graph['max_links']}），另 {left} 条及只经由它们到达的节点未收入"
        )
        if lang == "en":
            out.append(
                f"{who}: {left} of its {total} links left out; --max-links {total} takes them all (the case file "
                f"takes the first {g.graph['included']} by id, --max-links {g.graph['max_links']}; the nodes "
                "reached only through the others are left out too)"
            )
        else:
            out.append(zh + f"；--max-links {total} 可全部收入")
    hubs = hubs_note(g, expanded=expanded, lang=lang)  # each named (it named 5 and said 等 for the rest)
    if hubs:
        out.append(hubs)
    return out


def neighbourhood_subject(who: str, hops: int, lang: str = "zh") -> str:
    """What a case file of a neighbourhood was asked (:attr:`CaseInfo.subject`), in ``lang`` alone: the console's
    subjects read ``2 度关系 2-hop neighbourhood`` in either language.

    >>> neighbourhood_subject("张伟 (3205**********0011)", 2), neighbourhood_subject("张伟 (k)", 1, "en")
    ('张伟 (3205**********0011): 2 度关系', '张伟 (k): 1-hop neighbourhood')
    """
    return f"{who}: {hops}-hop neighbourhood" if lang == "en" else f"{who}: {hops} 度关系"


def path_subject(a: str, b: str, found: int, lang: str = "zh", *, shortest: bool = True) -> str:
    """What a case file of the paths between ``a`` and ``b`` was asked, in ``lang`` alone (it read ``路径 path …``
    in either language): ``found`` paths, the shortest ones unless ``shortest`` is False.

    >>> path_subject("张伟 (k1)", "李娜 (k2)", 1), path_subject("张伟 (k1)", "李娜 (k2)", 2, "en", shortest=False)
    ('路径 张伟 (k1) → 李娜 (k2): 1 条最短路径', 'path 张伟 (k1) → 李娜 (k2): 2 paths')
    """
    if lang == "en":
        return f"path {a} → {b}: {found} {'shortest ' if shortest else ''}path{'' if found == 1 else 's'}"
    return f"路径 {a} → {b}: {found} 条{'最短' if shortest else ''}路径"


def folded_mark(row: dict, lang: str = "zh") -> str:
    """What an appendix row's member end says of the folded node that holds it (``［归入 24 工资发放］``;
    ``lang="en"``: ``[folded into 24 工资发放]``)."""
    return f"[folded into {row['folded_in']}]" if lang == "en" else f"［归入 {row['folded_in']}］"


def _counted(n: int, noun: str) -> str:
    """``1 node``, ``2 nodes``: a count in an English note, singular for one."""
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def left_out_note(g: nx.MultiDiGraph, shown: nx.MultiDiGraph, info: CaseInfo, *, drawn: int | None = None) -> str:
    """What a drawing leaves out and how to get it ('' when it shows everything), in the case's language
    (:attr:`CaseInfo.lang`) alone (under ``lang="en"`` it had been the Chinese with an English count inside it).

    ``drawn``: the nodes drawn, folded nodes counted once (:attr:`Drawing.drawn`), when they stand for more of
    ``shown`` (it read 图中仅绘出…最近的 736 个节点 under a drawing of 200).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> left_out_note(g, g.subgraph("ab"), CaseInfo("", "王科长"))
    '图中仅绘出距查询对象最近的 2 个节点；另有 1 个节点、1 条关系未绘出，全部数据：以 GraphML、GEXF 或 JSON 格式导出'
    >>> left_out_note(g, g.subgraph("ab"), CaseInfo("", "王科长", lang="en"))[:80]
    'The drawing shows the 2 nodes nearest the subjects; 1 node and 1 relationship ar'
    """
    dn = g.number_of_nodes() - shown.number_of_nodes()
    dm = g.number_of_edges() - shown.number_of_edges()
    if not dn and not dm:
        return ""
    n = shown.number_of_nodes()
    if info.lang == "en":
        how = info.rerun or "export as GraphML, GEXF or JSON"
        what = f"{_counted(n, 'node')}" if drawn in (None, n) else f"{_counted(drawn, 'node')} (standing for {n})"
        return (
            f"The drawing shows the {what} nearest the subjects; {_counted(dn, 'node')} and "
            f"{_counted(dm, 'relationship')} are left out; all of it: {how}"
        )
    how = f"：{info.rerun}" if info.rerun else "：以 GraphML、GEXF 或 JSON 格式导出"
    what = f"{n} 个节点" if drawn in (None, n) else f"{drawn} 个节点（代表其中 {n} 个节点）"
    return f"图中仅绘出距查询对象最近的 {what}；另有 {dn} 个节点、{dm} 条关系未绘出，全部数据{how}"


def drawn_counts(d: Drawing, lang: str = "zh") -> str:
    """The graph's counts and the drawing's: ``共 48 个节点、71 条关系；图中绘出 5 个节点，代表其中 28 个节点、
    51 条关系`` (the second half only when the drawing stands for less than the whole graph); ``lang="en"``: in
    English alone (it had been the Chinese under an English page)."""
    g, shown = d.whole, d.shown
    whole = (shown.number_of_nodes(), shown.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    drawn = d.drawn.number_of_nodes()
    if lang == "en":
        text = f"{_counted(g.number_of_nodes(), 'node')} and {_counted(g.number_of_edges(), 'relationship')}"
        if whole:
            return f"{text}, {drawn} drawn"
        return (
            f"{text}; {drawn} drawn, standing for {_counted(shown.number_of_nodes(), 'node')} and "
            f"{_counted(shown.number_of_edges(), 'relationship')}"
        )
    text = f"共 {g.number_of_nodes()} 个节点、{g.number_of_edges()} 条关系"
    if whole:
        return f"{text}，图中绘出 {drawn} 个节点"
    stands = f"代表其中 {shown.number_of_nodes()} 个节点、{shown.number_of_edges()} 条关系"
    return f"{text}；图中绘出 {drawn} 个节点，{stands}"


def graph_counts(g: nx.MultiDiGraph, lang: str = "zh") -> str:
    """How many nodes and relationships a case file's graph holds, in ``lang`` alone: what notebook 05 prints beside
    the case's stamp (it printed ``节点 47 个，关系 80 条`` under ``GRAPHKIT_LANG=en``).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> graph_counts(g), graph_counts(g, "en"), graph_counts(g.subgraph("a"), "en")
    ('节点 3 个，关系 2 条', '3 nodes, 2 relationships', '1 node, 0 relationships')
    """
    if lang == "en":
        return f"{_counted(g.number_of_nodes(), 'node')}, {_counted(g.number_of_edges(), 'relationship')}"
    return f"节点 {g.number_of_nodes():,} 个，关系 {g.number_of_edges():,} 条"


def folded_note(d: Drawing, model: Model | None = None, lang: str = "zh") -> str:
    """What a drawing folded ('' when nothing): ``图中 3 个归并节点代表 55 个工资发放 …（附录第 57–111 条）``;
    ``lang="en"``: in English alone (the English had been set in the Chinese, ``（55 nodes folded into 3）``)."""
    folds = d.folds
    if not folds:
        return ""
    model = model or Model.default()
    kinds: dict[str, int] = {}
    for fid, a in folds.items():  # by what the folded node is called: 工资发放 and 低保发放 apart
        what_it_is = caption(fid, a, lang).split(" ", 1)[-1]
        kinds[what_it_is] = kinds.get(what_it_is, 0) + a["folded"]
    nos = [r["no"] for r in d.rows if r["folded_in"]]
    if lang == "en":
        return (
            f"{sum(kinds.values())} nodes folded into {len(folds)} drawn; their {len(nos)} relationships are "
            f"listed one by one in the appendix, nos. {min(nos)}–{max(nos)}; GraphML, GEXF and JSON do not fold"
        )
    what = "、".join(f"{n} 个{k}" for k, n in sorted(kinds.items()))
    return (
        f"图中 {len(folds)} 个归并节点代表 {what}，"
        f"其 {len(nos)} 条关系逐条列于附录第 {min(nos)}–{max(nos)} 条；GraphML、GEXF、JSON 不归并"
    )


def unlabelled_note(dropped: int, merged: int = 0, lang: str = "zh") -> str:
    """What a drawing says of its links' labels ('' when every link is labelled alone): how many links found no
    room for their numbers (too dense: the appendix lists them by their ends), and how many lines stand for
    several links between the same two nodes (their numbers side by side, ``[3,40]``). In ``lang`` alone.

    >>> unlabelled_note(0), unlabelled_note(0, 2)
    ('', '图中 2 条连线各代表同两点间的多条关系，编号并列（如 [3,40]）')
    >>> unlabelled_note(6)
    '图中 6 条关系线过密，未标编号，每条关系按起点、终点逐条列于附录'
    >>> unlabelled_note(6, lang="en")
    '6 links too dense to number: the appendix lists each by its ends'
    """
    said = []
    if lang == "en":
        if merged:
            said.append(f"{merged} lines each stand for several links between the same two nodes, numbers side by side")
        if dropped:
            said.append(f"{dropped} links too dense to number: the appendix lists each by its ends")
        return "; ".join(said)
    if merged:
        said.append(f"图中 {merged} 条连线各代表同两点间的多条关系，编号并列（如 [3,40]）")
    if dropped:
        said.append(
            f"{'' if said else '图中 '}{dropped} 条{'连线' if merged else '关系线'}过密，未标编号，"
            "每条关系按起点、终点逐条列于附录"
        )
    return "；".join(said)


def write_case_file(
    g: nx.MultiDiGraph,
    path: str | Path,
    info: CaseInfo,
    *,
    fmt: str | None = None,
    model: Model | None = None,
    max_drawn: int = MAX_DRAWN,
    folded: bool = True,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``g`` as a case file in ``fmt`` (by the suffix when omitted).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Nodes keyed by natural key with ``label`` (and ``name``, ``hop`` …), links with ``type``,
        ``src_file``, ``src_row`` (as :func:`graphkit.paths.neighbourhood` gives).
    path : str or Path
        The file to write.
    info : CaseInfo
        Case number, exporter, time, masking.
    fmt : str, optional
        One of :data:`FORMATS`.
    model : Model, optional
    max_drawn : int, default :data:`MAX_DRAWN`
        Most nodes drawn in a visual format.
    folded : bool, default True
        Fold low-information leaves in a drawing (:func:`drawing`); data formats are never folded.
    progress : callable, optional
        Told of each step (:data:`Progress`): masking, folding, then each page of a PDF or the one drawing of
        a PNG, SVG or HTML, or writing a data format (the command line's progress bar).

    Returns
    -------
    ExportResult

    Example
    -------
    >>> import networkx as nx, tempfile, os
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("110105194912310020", label="Person", name="张伟", hop=0)
    >>> g.add_node("91320500MA1X0000X1", label="Company", name="某某建设有限公司", hop=1)
    >>> _ = g.add_edge("110105194912310020", "91320500MA1X0000X1", type="SHAREHOLDER_OF", src_file="s.csv", src_row=2)
    >>> r = write_case_file(g, os.path.join(tempfile.mkdtemp(), "c.json"), CaseInfo("2024-17", "王科长"))
    >>> r.nodes, r.links, "110105194912310020" in r.path.read_text(encoding="utf-8")
    (2, 1, False)
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "htm":
        fmt = "html"
    if fmt not in FORMATS:
        raise ValueError(f"{path}: cannot export to {fmt!r} (use {', '.join(FORMATS)})")
    model = model or Model.default()
    report: Progress = progress or (lambda done, total, what: None)
    report(0, 3 if fmt in VISUAL else 2, "mask")
    if info.masked:
        # the subject's key as the drawing shows it, whatever its form (a passport number, an FtM id)
        keys = {str(s): g.nodes[s].get("label", "") for s in info.seeds if s in g}
        # and every person's key a note may name (a hub listed, its links not expanded): an FtM id was in clear
        keys.update(personal_nodes(g, model))
        # and a seed whose key is public by its type (an invoice's number, a credit code) in clear, as drawn
        public = frozenset(k for k, label in keys.items() if mask_node_key(label, k, model) == k)
        g = mask_graph(g, model)
        info = replace(
            info,
            subject=mask_text(mask_keys_in(info.subject, keys, model), keep=public),
            rerun=mask_text(mask_keys_in(info.rerun, keys, model), keep=public),
            omitted=tuple(mask_text(mask_keys_in(x, keys, model), keep=public) for x in info.omitted),
            seeds=tuple(mask_text(mask_keys_in(x, keys, model), keep=public) for x in info.seeds),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in VISUAL:
        report(1, 3, "fold")
        d = drawing(g, max_drawn, model=model, folded=folded, lang=info.lang)
        if fmt == "html":
            from graphkit.exports.html import write_html

            report(2, 3, "write html")
            write_html(d, path, info, model=model)
            report(3, 3, "")
        else:
            from graphkit.exports.printed import write_printed

            # the printed writer counts on from the two steps done (a PDF: one step a page)
            write_printed(d, path, info, fmt=fmt, model=model, progress=lambda n, t, w: report(2 + n, 2 + t, w))
        return ExportResult(
            path,
            fmt,
            d.shown.number_of_nodes(),
            d.shown.number_of_edges(),
            g.number_of_nodes() - d.shown.number_of_nodes(),
            g.number_of_edges() - d.shown.number_of_edges(),
            sum(a["folded"] for a in d.folds.values()),
            len(d.folds),
        )
    from graphkit.exports.data import write_data

    report(1, 2, f"write {fmt}")
    write_data(g, path, info, fmt=fmt, model=model)
    report(2, 2, "")
    return ExportResult(path, fmt, g.number_of_nodes(), g.number_of_edges())
