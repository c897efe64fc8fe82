"""A hand-drawn fixture graph for model tests: nodes and relationships, each with a source file and
spreadsheet row (header = row 1), ready for ``store.upsert_nodes`` / ``upsert_edges``."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import count


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
        self.edges[key].append({"from": a, "to": b, "id": f"{rtype}|{a}|{b}|{len(self.edges[key])}",
                                "src_file": file, "src_row": next(self.rows[file]), **props})

    def sources(self) -> set[str]:
        rows = [r for rs in self.nodes.values() for r in rs] + [r for rs in self.edges.values() for r in rs]
        return {f"{r['src_file']}:{r['src_row']}" for r in rows}
