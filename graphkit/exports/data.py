"""Case files as data: GraphML and GEXF with typed attributes (networkx writers), JSON node-link.

Every file carries the case in its graph attributes (``case``, ``exported_by``, ``exported_at``, ``masked``,
``reason``, ``subject``, ``seeds``, ``omitted``, ``nodes``, ``relationships``), so a file read back tells what
it is, how much it holds and what it leaves out. GraphML keeps them as graph ``<data>``; GEXF has no graph
attributes (networkx drops them), so they go in its ``<meta>``: ``<creator>graphkit</creator>``,
``<keywords>`` the case number, ``<description>`` the attributes as one JSON object, ``lastmodifieddate``
the export date (GEXF 1.2).

* GraphML keeps the model's attribute names; a key holding values of more than one type becomes text
  (GraphML declares one type per key); lists and mappings become JSON text.
* GEXF: Gephi shows a node's ``label`` as its caption, so the node's kind is ``kind`` and ``label`` is its
  name; an edge's ``type`` is Gephi's edge type, so the relationship is ``relationship`` (and ``label``).
* JSON: ``networkx.node_link_data`` with ``"edges": "links"``; attribute names as in the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from graphkit.model import Model

__all__ = ["write_data", "case_attrs"]


def case_attrs(g: nx.MultiDiGraph, info) -> dict:
    """The graph attributes a data file carries about its case.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    info : graphkit.exports.CaseInfo

    Returns
    -------
    dict
    """
    return {
        "case": info.case,
        "exported_by": info.by,
        "exported_at": info.at,
        "subject": info.subject,
        "seeds": list(info.seeds),
        "omitted": list(info.omitted),
        "masked": info.masked,
        "reason": info.reason or "",
        "nodes": g.number_of_nodes(),
        "relationships": g.number_of_edges(),
    }


def _flat(attrs: dict) -> dict:
    """Graph attributes GraphML can hold: lists as JSON text."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for k, v in attrs.items()}


def _gexf(h: nx.MultiDiGraph, path: Path, attrs: dict) -> None:
    """Write GEXF 1.2 with the case in ``<meta>`` (networkx's writer keeps no graph attribute)."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    w = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = w.xml.find("meta")
    meta.set("lastmodifieddate", str(attrs["exported_at"])[:10])
    meta.find("creator").text = "graphkit"
    SubElement(meta, "keywords").text = str(attrs["case"])
    SubElement(meta, "description").text = json.dumps(attrs, ensure_ascii=False)
    w.add_graph(h)
    w.write(path)


def _ordered(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` with every node's and relationship's attributes in name order: a store returns an object's properties
    in its own order (Neo4j's differs from Ladybug's), which set the order of the JSON's keys and the GraphML's key
    ids (``d54``), so one graph read from the two stores gave files equal in content and different in bytes."""
    h = g.__class__()
    h.graph.update(g.graph)
    h.add_nodes_from((v, dict(sorted(a.items()))) for v, a in g.nodes(data=True))
    h.add_edges_from((u, v, k, dict(sorted(a.items()))) for u, v, k, a in g.edges(keys=True, data=True))
    return h


def _typed(g: nx.MultiDiGraph, info, *, gexf: bool) -> nx.MultiDiGraph:
    from graphkit.exports import caption
    from graphkit.viz import _attrs  # one rule for typed attribute values, shared with viz.to_graphml

    h = nx.MultiDiGraph()
    h.graph.update(_flat(case_attrs(g, info)))
    nodes = list(g.nodes(data=True))
    for (v, a0), a in zip(nodes, _attrs([a for _, a in nodes]), strict=True):
        if gexf:
            a = {("kind" if k == "label" else k): val for k, val in a.items()}
            a["label"] = caption(v, a0, getattr(info, "lang", "zh"))
        h.add_node(str(v), **a)
    edges = list(g.edges(keys=True, data=True))
    for (u, v, k, _), a in zip(edges, _attrs([a for *_, a in edges]), strict=True):
        if gexf:
            a = {("relationship" if key == "type" else key): val for key, val in a.items() if key != "id"}
            a["label"] = a.get("relationship", "")
            h.add_edge(str(u), str(v), key=str(k), id=str(k), **a)
        else:
            h.add_edge(str(u), str(v), key=str(k), **a)
    return h


def write_data(g: nx.MultiDiGraph, path: str | Path, info, *, fmt: str, model: Model | None = None) -> Path:
    """Write ``g`` as ``graphml``, ``gexf`` or ``json`` (already masked by the caller when it should be).

    Parameters
    ----------
    g : networkx.MultiDiGraph
    path : str or Path
    info : graphkit.exports.CaseInfo
    fmt : {"graphml", "gexf", "json"}
    model : Model, optional
        Unused; kept for one signature across writers.

    Returns
    -------
    Path
    """
    path = Path(path)
    g = _ordered(g)
    if fmt == "graphml":
        nx.write_graphml(_typed(g, info, gexf=False), path, encoding="utf-8")
    elif fmt == "gexf":
        _gexf(_typed(g, info, gexf=True), path, case_attrs(g, info))
    elif fmt == "json":
        data = nx.node_link_data(g, edges="links")
        data["graph"] = {**json.loads(json.dumps(data.get("graph", {}), default=str)), **case_attrs(g, info)}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    else:
        raise ValueError(f"{path}: {fmt!r} is not a data format (graphml, gexf, json)")
    return path
