"""Subgraph visuals: self-contained HTML (pyvis, vis.js inlined, no network needed).

Nodes are coloured and shaped by label from the model; every edge's tooltip
names its source file and row, so a printed visual still cites its evidence.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx

from graphkit.model import Model

__all__ = ["to_html", "node_caption"]

_CAPTION = {"Person": "name", "Organization": "name", "Company": "name", "Tender": "title", "Place": "name",
            "ParkingLot": "name", "Address": "full"}


def node_caption(node_id: str, attrs: dict) -> str:
    """What a node shows: a name where the model has one, else its key."""
    prop = _CAPTION.get(attrs.get("label", ""))
    return str(attrs.get(prop) or node_id)


def to_html(g: nx.MultiDiGraph, path: str | Path, *, title: str = "", model: Model | None = None,
            height: str = "720px") -> Path:
    """Write ``g`` as one self-contained HTML file and return its path.

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
    from pyvis.network import Network

    model = model or Model.default()
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading="")
    for n, a in g.nodes(data=True):
        label = a.get("label", "")
        style = model.style(label) if label in model.labels else {"color": "#999999", "shape": "dot"}
        tip = "\n".join(f"{k}: {v}" for k, v in a.items() if v not in (None, ""))
        net.add_node(str(n), label=node_caption(n, a), title=f"{label} {n}\n{tip}", color=style["color"],
                     shape=style["shape"])
    for u, v, a in g.edges(data=True):
        src = f"{a.get('src_file', '?')} row {a.get('src_row', '?')}"
        props = ", ".join(f"{k}={val}" for k, val in a.items()
                          if k not in ("type", "id", "src_file", "src_row") and val not in (None, ""))
        net.add_edge(str(u), str(v), label=a.get("type", ""), title=f"{a.get('type', '')} {props}\nsource: {src}")
    page = net.generate_html()
    # drop the CDN links pyvis adds for its optional menus: the graph itself is inlined
    page = re.sub(r'<(?:link|script)[^>]+cdn\.jsdelivr\.net[^>]*>(?:</script>)?', "", page)
    if title:
        page = page.replace("<body>", f"<body><h2 style='font-family:sans-serif'>{html.escape(title)}</h2>", 1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
