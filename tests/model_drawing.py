"""A hand-drawn fixture graph for model tests: nodes and relationships, each with a source file and
spreadsheet row (header = row 1), ready for ``store.upsert_nodes`` / ``upsert_edges``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import count
from pathlib import Path

import networkx as nx
import pandas as pd


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


class Drawing:
    """Nodes and relationships of the fixture, each with a source file and spreadsheet row."""

    def __init__(self) -> None:
        self.nodes: dict[str, list[dict]] = defaultdict(list)
        self.edges: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.rows: dict[str, count] = defaultdict(lambda: count(2))
        self.label: dict[str, str] = {}

    def node(self, label: str, id_: str, file: str, **props) -> str:
        assert id_ not in self.label, id_
        self.label[id_] = label
        self.nodes[label].append({"id": id_, "src_file": file, "src_row": next(self.rows[file]), **props})
        return id_

    def edge(self, rtype: str, a: str, b: str, file: str, **props) -> None:
        key = (rtype, self.label[a], self.label[b])
        self.edges[key].append(
            {
                "from": a,
                "to": b,
                "id": f"{rtype}|{a}|{b}|{len(self.edges[key])}",
                "src_file": file,
                "src_row": next(self.rows[file]),
                **props,
            }
        )

    def sources(self) -> set[str]:
        rows = [r for rs in self.nodes.values() for r in rs] + [r for rs in self.edges.values() for r in rs]
        return {f"{r['src_file']}:{r['src_row']}" for r in rows}

    def store(self, path: Path):
        """An embedded store at ``path`` holding the drawing."""
        from graphkit.stores.embedded import EmbeddedStore

        store = EmbeddedStore(path)
        store.create_schema()
        for label, rows in self.nodes.items():
            store.upsert_nodes(label, pd.DataFrame(rows))
        for (rtype, source, target), rows in self.edges.items():
            store.upsert_edges(rtype, source, target, pd.DataFrame(rows))
        return store


def whole_graph(store) -> nx.MultiDiGraph:
    """Every node of the store and the relationships among them (what the reference readings walk)."""
    return store.subgraph(store.run("MATCH (n) RETURN n.id AS id")["id"].tolist())


def nodes_of(g: nx.MultiDiGraph, label: str) -> list[tuple[str, dict]]:
    return [(n, a) for n, a in g.nodes(data=True) if a["label"] == label]
