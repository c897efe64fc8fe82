"""Case-file exports (案卷导出): one subgraph, a case number, who exported it and when, in seven formats.

:func:`write_case_file` writes a graph as

* ``html`` — one self-contained page (vis.js inline, a subset of Noto Sans CJK SC embedded as a base64
  ``@font-face``), with the header, a legend and the appendix (:mod:`graphkit.exports.html`);
* ``pdf`` (A4 pages), ``png``, ``svg`` — a drawing for print with the header, a legend in Chinese from the
  model's titles, a watermark (PDF and PNG) naming the case, exporter and time, and the appendix
  (:mod:`graphkit.exports.printed`);
* ``graphml``, ``gexf`` — typed attributes for Gephi, yEd, Cytoscape; ``json`` — networkx node-link data
  with the model's attribute names (:mod:`graphkit.exports.data`).

Identifiers (ID numbers, phones, bank accounts) are masked by :func:`graphkit.model.mask.mask_graph` unless
the caller passes ``masked=False`` (the command line requires ``--unmask --reason`` and records it in the
audit log). Drawings show at most :data:`MAX_DRAWN` nodes, nearest the seeds first; the legend and the
appendix say what was left out and which command gives all of it.

The appendix lists every relationship shown: number, source, relationship, target, source file and row.
:func:`appendix` gives the same rows as data, so tests can compare a file against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import networkx as nx

from graphkit.model import Model
from graphkit.model.mask import mask_graph, mask_text

__all__ = [
    "CaseInfo",
    "ExportResult",
    "FORMATS",
    "MAX_DRAWN",
    "appendix",
    "drawn_part",
    "legend_entries",
    "link_numbers",
    "caption",
    "left_out_note",
    "write_case_file",
    "zh_title",
]

FORMATS = ("html", "pdf", "png", "svg", "graphml", "gexf", "json")
VISUAL = ("html", "pdf", "png", "svg")
#: most nodes a drawing shows (an A4 page stays legible up to this)
MAX_DRAWN = 200


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
    """

    case: str
    by: str
    at: str = field(default_factory=lambda: datetime.now().astimezone().isoformat(timespec="seconds"))
    subject: str = ""
    rerun: str = ""
    masked: bool = True
    reason: str | None = None

    @property
    def stamp(self) -> str:
        """The watermark's text: case, exporter and time."""
        return f"案卷号 {self.case} · {self.by} · {self.at[:16].replace('T', ' ')}"

    @property
    def privacy(self) -> str:
        """One line on masking."""
        if self.masked:
            return "个人信息（身份证号、电话、银行账号）已脱敏"
        return f"未脱敏（原因：{self.reason}），已记入审计日志"


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
        Nodes and relationships in the file (drawn ones for a visual format).
    left_out_nodes, left_out_links : int
        Nodes and relationships of the graph a drawing left out (0 for data formats).
    """

    path: Path
    format: str
    nodes: int
    links: int
    left_out_nodes: int = 0
    left_out_links: int = 0


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
    return g.subgraph([v for v, _ in order[:limit]]).copy()


def caption(node: str, attrs: dict) -> str:
    """A node's caption: its ``caption`` property declared in nodes.yaml (name, title, address …), else its key."""
    return Model.default().caption(attrs.get("label", ""), attrs, node)


def appendix(g: nx.MultiDiGraph, model: Model | None = None) -> list[dict]:
    """One row per relationship of ``g``: ``no``, ``source``, ``type``, ``type_zh``, ``target``, ``src_file``,
    ``src_row`` (numbered as the drawings number them).

    Parameters
    ----------
    g : networkx.MultiDiGraph
    model : Model, optional

    Returns
    -------
    list of dict
    """
    model = model or Model.default()
    rows = []
    for i, (u, v, a) in enumerate(sorted(g.edges(data=True), key=_edge_order), start=1):
        t = a.get("type", "")
        rows.append(
            {
                "no": i,
                "source": f"{caption(u, g.nodes[u])} ({u})" if caption(u, g.nodes[u]) != str(u) else str(u),
                "type": t,
                "type_zh": zh_title(model.relationships[t].title) if t in model.relationships else t,
                "target": f"{caption(v, g.nodes[v])} ({v})" if caption(v, g.nodes[v]) != str(v) else str(v),
                "src_file": a.get("src_file") or "?",
                "src_row": a.get("src_row") if a.get("src_row") is not None else "?",
            }
        )
    return rows


def link_numbers(g: nx.MultiDiGraph) -> dict[tuple, int]:
    """``(u, v, key)`` → the link's number in :func:`appendix` (drawings print the same number)."""
    keyed = sorted(g.edges(keys=True, data=True), key=lambda e: _edge_order((e[0], e[1], e[3])))
    return {(u, v, k): i for i, (u, v, k, _) in enumerate(keyed, start=1)}


def _edge_order(e: tuple) -> tuple:
    u, v, a = e
    return (str(a.get("type", "")), str(u), str(v), str(a.get("src_file", "")), a.get("src_row") or 0)


def legend_entries(g: nx.MultiDiGraph, model: Model | None = None) -> tuple[list[tuple], list[tuple]]:
    """The node kinds and relationship kinds present in ``g``.

    Returns
    -------
    (nodes, links)
        ``nodes``: ``(label, 中文, count, style)``; ``links``: ``(type, 中文, count)``; both sorted by label/type.
    """
    model = model or Model.default()
    kinds: dict[str, int] = {}
    for _, a in g.nodes(data=True):
        kinds[a.get("label", "")] = kinds.get(a.get("label", ""), 0) + 1
    types: dict[str, int] = {}
    for *_, a in g.edges(data=True):
        types[a.get("type", "")] = types.get(a.get("type", ""), 0) + 1
    nodes = [
        (
            lab,
            zh_title(model.labels[lab].title) if lab in model.labels else lab,
            n,
            model.style(lab) if lab in model.labels else {"color": "#999999", "shape": "dot"},
        )
        for lab, n in sorted(kinds.items())
    ]
    links = [
        (t, zh_title(model.relationships[t].title) if t in model.relationships else t, n)
        for t, n in sorted(types.items())
    ]
    return nodes, links


def left_out_note(g: nx.MultiDiGraph, shown: nx.MultiDiGraph, info: CaseInfo) -> str:
    """What a drawing leaves out and how to get it ('' when it shows everything)."""
    dn = g.number_of_nodes() - shown.number_of_nodes()
    dm = g.number_of_edges() - shown.number_of_edges()
    if not dn and not dm:
        return ""
    how = f"：{info.rerun}" if info.rerun else "：以 GraphML、GEXF 或 JSON 格式导出"
    return (
        f"图中仅绘出距查询对象最近的 {shown.number_of_nodes()} 个节点；另有 {dn} 个节点、{dm} 条关系未绘出"
        f"（{dn} nodes and {dm} relationships left out），全部数据{how}"
    )


def write_case_file(
    g: nx.MultiDiGraph,
    path: str | Path,
    info: CaseInfo,
    *,
    fmt: str | None = None,
    model: Model | None = None,
    max_drawn: int = MAX_DRAWN,
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
    if info.masked:
        g = mask_graph(g, model)
        info = CaseInfo(info.case, info.by, info.at, mask_text(info.subject), mask_text(info.rerun), True, info.reason)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in VISUAL:
        shown = drawn_part(g, max_drawn)
        if fmt == "html":
            from graphkit.exports.html import write_html

            write_html(g, shown, path, info, model=model)
        else:
            from graphkit.exports.printed import write_printed

            write_printed(g, shown, path, info, fmt=fmt, model=model)
        return ExportResult(
            path,
            fmt,
            shown.number_of_nodes(),
            shown.number_of_edges(),
            g.number_of_nodes() - shown.number_of_nodes(),
            g.number_of_edges() - shown.number_of_edges(),
        )
    from graphkit.exports.data import write_data

    write_data(g, path, info, fmt=fmt, model=model)
    return ExportResult(path, fmt, g.number_of_nodes(), g.number_of_edges())
