"""Relationship paths: neighbourhoods with a hub cap, shortest and simple paths, and their explanation.

Every query lives in ``queries/paths/`` (Neo4j text canonical, ``NAME.embedded.cypher`` beside it where
Ladybug needs other text).  Labels, relationship types and variable-length bounds cannot be Cypher
parameters (Neo4j 5.26 plans dynamic labels as a scan of every node), so the files are *templates* with
tokens, filled only with names the model declares and integers checked here — never with user text:

``__LABEL__``, ``__SOURCE__``, ``__TARGET__``
    a node label of the model (the key lookup then uses the label's primary-key index);
``:__TYPES__``
    ``:A|B`` for the relationship types asked for, each checked against the model, or removed when
    every type is allowed;
``__MAX_HOPS__``
    the hop bound of a variable-length pattern (the embedded overrides, and the Neo4j text of
    ``simple_paths``, whose search would otherwise run to the ceiling whatever ``max_hops``; the Neo4j
    shortest-path texts carry a fixed ceiling and cut with ``$max_hops``, which costs nothing there);
``__LIMIT__``
    a row limit (embedded overrides only; the Neo4j text says ``LIMIT $limit``, which Ladybug plans
    about eight times slower than a literal).

Queries whose first node can have any of several labels are rendered once per label: ``locate`` and
``links_among`` join the copies with ``UNION ALL``.  A neighbourhood is expanded a level at a time,
per label, since Ladybug prepares each distinct text once per connection and the same per-label text
comes back level after level, where unions of varying label sets would each be compiled anew.  A
label's few nodes (at most :data:`ALONE`) are expanded one by one with ``node_links`` (at most a page
and one more link; ``degree`` counts a hub), because for one node a key lookup followed by a match
runs as nested loops, about half the work of ``links``, which takes a list of keys (``UNWIND``) and is
used for more.
Rows come back through :meth:`GraphStore.rows` as tuples: a DataFrame per query cost as much as the
query.

Relationships are followed in either direction.  Of several equally short paths, and under a limit, the
paths are chosen and listed in :func:`path_order` (fewer links; then hubs last: the most links of a node
between the ends, then the product of those nodes' link counts; then the node keys along the path, then the
link ids), ordered in Python, so that both stores give the same path, subset and order.

A *hub* is a node with more links (of the allowed types) than ``page_size``: a neighbourhood lists a hub's
links a page at a time, ordered by link id —
the seed's page ``page`` (or the page after a cursor), and no links of any other hub met on the way
(its total is reported so the investigator can open it with ``neighbourhood(hub, hops=1, page=…)``).

Dialect notes, measured on Ladybug 0.22: ``start_node(r)`` on an undirected match returns the matched
end, so the direction comes from ``id(a) = struct_extract(r, '_SRC')`` — which costs a third of a
one-node query, so ``node_links`` leaves it null there and the model tells it wherever the two ends have
different labels (``out_links`` lists the links a node starts for the rest: FAMILY, PART_OF, a company
holding shares in a company); ``* ACYCLIC`` on an undirected
pattern repeats nodes, so simple paths are ``* TRAIL`` filtered with ``is_acyclic(p)``; ``EXISTS {}``
subqueries cost milliseconds of compilation each.

Example
-------
>>> from graphkit.stores import open_store
>>> store = open_store("embedded:city.db", read_only=True)                     # doctest: +SKIP
>>> g = neighbourhood(store, "320508197503120011", hops=2, types=["FAMILY", "SHAREHOLDER_OF"])  # doctest: +SKIP
>>> p = shortest_path(store, "320508197503120011", "91320500MA00000014")          # doctest: +SKIP
>>> print("\\n".join(explain(p, store=store)))                                   # doctest: +SKIP
张伟（公职人员，苏州市城建局） — 配偶为 — 李娜〔family.csv 第2行〕
李娜 — 持股60% — 某某建设有限公司〔shareholders.csv 第2行〕
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.model import Model, citation
from graphkit.model.types import is_valid_credit_code, is_valid_id_number, normalize_phone, normalize_plate
from graphkit.stores.base import GraphStore

__all__ = [
    "Node",
    "Link",
    "Path",
    "PathError",
    "PageOutOfRange",
    "FIRST_LINK",
    "render",
    "query",
    "check_types",
    "locate",
    "resolve",
    "MEET_IN_THE_MIDDLE",
    "BALL_LIMIT",
    "ALONE",
    "neighbourhood",
    "whole_neighbourhood",
    "with_properties",
    "paid_to",
    "MAX_LINKS",
    "shortest_path",
    "shortest_paths",
    "simple_paths",
    "links_among",
    "explain",
    "path_line",
    "SHORTEST_CEILING",
    "SIMPLE_CEILING",
    "PATH_FETCH",
    "path_order",
    "degrees",
]

#: the hop ceiling written in the Neo4j text of shortest_path / all_shortest_paths
SHORTEST_CEILING = 10
#: the most hops simple_paths takes (its bound is written into the text on both stores)
SIMPLE_CEILING = 6

_TOKEN = re.compile(r"__[A-Z][A-Z_]*?__")


class PathError(ValueError):
    """An entity is unknown, a relationship type is not in the model, or an option is out of range."""


class PageOutOfRange(PathError):
    """A page past the last page of a node's links: ``page`` (counting from 0, as asked), ``pages``, ``total``."""

    def __init__(self, message: str, *, page: int, pages: int, total: int) -> None:
        super().__init__(message)
        self.page, self.pages, self.total = page, pages, total


# ---------------------------------------------------------------- values
@dataclass(frozen=True)
class Node:
    """A node: natural key, label, and its properties (provenance included)."""

    id: str
    label: str
    properties: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str | None:
        """The node's name, title or full address, whichever it has."""
        p = self.properties
        return p.get("name") or p.get("title") or p.get("full")


@dataclass(frozen=True)
class Link:
    """A relationship, in its stored direction, with the source row it was loaded from.

    ``id`` is the stored 64-bit id (:func:`graphkit.model.keys.link_id` of the natural key)."""

    id: int
    type: str
    start: str
    end: str
    src_file: str | None = None
    src_row: int | None = None
    properties: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def source(self) -> str:
        """``file:row`` of the record behind the link."""
        return f"{self.src_file}:{self.src_row}"


@dataclass(frozen=True)
class Path:
    """Nodes from source to target and the links between consecutive nodes."""

    nodes: tuple[Node, ...]
    links: tuple[Link, ...]

    def __post_init__(self) -> None:
        if len(self.nodes) != len(self.links) + 1:
            raise PathError(
                f"a path of {len(self.links)} links needs {len(self.links) + 1} nodes, got {len(self.nodes)}"
            )
        for i, link in enumerate(self.links):
            ends = {self.nodes[i].id, self.nodes[i + 1].id}
            if {link.start, link.end} != ends:
                raise PathError(f"link {link.id} does not join {self.nodes[i].id} and {self.nodes[i + 1].id}")

    def __len__(self) -> int:
        return len(self.links)

    @property
    def ids(self) -> tuple[str, ...]:
        """The node ids along the path, start to end."""
        return tuple(n.id for n in self.nodes)

    @property
    def link_ids(self) -> tuple[int, ...]:
        """The relationship ids along the path, start to end."""
        return tuple(lk.id for lk in self.links)

    def graph(self) -> nx.MultiDiGraph:
        """The path as a networkx graph (node and edge attributes as :meth:`GraphStore.subgraph` gives); its start
        and end in ``g.graph["path_ends"]`` (``[[start, end]]``), so a drawing puts the start on the left, the end on
        the right (:func:`graphkit.viz.layout_positions`), as the numbered explanation reads."""
        g = nx.MultiDiGraph()
        if len(self.nodes) > 1:
            g.graph["path_ends"] = [[self.nodes[0].id, self.nodes[-1].id]]
        for n in self.nodes:
            g.add_node(n.id, label=n.label, **{k: v for k, v in n.properties.items() if k not in ("id", "label")})
        for lk in self.links:
            g.add_edge(
                lk.start,
                lk.end,
                key=lk.id,
                id=lk.id,
                type=lk.type,
                src_file=lk.src_file,
                src_row=lk.src_row,
                **{k: v for k, v in lk.properties.items() if k not in ("id", "type", "src_file", "src_row")},
            )
        return g


# ---------------------------------------------------------------- templates
def check_types(model: Model, types: Iterable[str] | str | None) -> list[str] | None:
    """Relationship types checked against the model (``None`` = every type)."""
    if types is None:
        return None
    if isinstance(types, str):
        types = [t for t in re.split(r"[,\s|]+", types) if t]
    out = list(dict.fromkeys(types))
    if not out:
        return None
    unknown = [t for t in out if t not in model.relationships]
    if unknown:
        raise PathError(
            f"unknown relationship type(s) {', '.join(map(repr, unknown))}; the model has "
            f"{', '.join(model.relationships)}"
        )
    return out


def render(
    text: str,
    model: Model,
    *,
    labels: Mapping[str, str] | None = None,
    types: Sequence[str] | None = None,
    max_hops: int | None = None,
    limit: int | None = None,
) -> str:
    """Fill a path template's tokens with model names and a checked integer.

    ``labels`` maps a token name (``"LABEL"``, ``"SOURCE"``, ``"TARGET"``) to a model label.

    Example
    -------
    >>> render("MATCH (a:__LABEL__)-[r:__TYPES__]-(b) RETURN a", Model.default(), labels={"LABEL": "Person"})
    'MATCH (a:Person)-[r]-(b) RETURN a'
    >>> render("MATCH (a)-[:__TYPES__*1..__MAX_HOPS__]-(b)", Model.default(), types=["FAMILY", "WON"], max_hops=3)
    'MATCH (a)-[:FAMILY|WON*1..3]-(b)'
    """
    for token, label in (labels or {}).items():
        if label not in model.labels:
            raise PathError(f"unknown label {label!r}; the model has {', '.join(model.labels)}")
        text = text.replace(f"__{token}__", label)
    checked = check_types(model, types)
    text = text.replace(":__TYPES__", ":" + "|".join(checked) if checked else "")
    if "__MAX_HOPS__" in text:
        if not isinstance(max_hops, int) or isinstance(max_hops, bool) or max_hops < 1:
            raise PathError(f"max_hops must be a positive integer, got {max_hops!r}")
        text = text.replace("__MAX_HOPS__", str(max_hops))
    if "__LIMIT__" in text:
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise PathError(f"limit must be a positive integer, got {limit!r}")
        text = text.replace("__LIMIT__", str(limit))
    left = _TOKEN.findall("\n".join(lk for lk in text.splitlines() if not lk.lstrip().startswith("//")))
    if left:
        raise PathError(f"template tokens left unfilled: {sorted(set(left))}")
    return text


_TEXTS: dict[tuple, str] = {}


def query(
    store: GraphStore,
    name: str,
    *,
    labels: Mapping[str, str] | None = None,
    union: Iterable[str] | None = None,
    types: Sequence[str] | None = None,
    max_hops: int | None = None,
    limit: int | None = None,
) -> str:
    """The text of ``queries/NAME`` (or the store's override), comments dropped, tokens filled.

    ``union`` renders the query once per label (token ``__LABEL__``) and joins the copies with
    UNION ALL; labels are sorted, so the same set gives the same text and Ladybug reuses the statement
    it prepared (compiling a union of several labels costs more than running it).  Rendered texts are
    kept, so a query file is read and checked once per process."""
    key = (
        store.dialect,
        id(store.model),
        name,
        tuple(sorted((labels or {}).items())),
        tuple(sorted(set(union))) if union is not None else None,
        tuple(types) if types else None,
        max_hops,
        limit,
    )
    text = _TEXTS.get(key)
    if text is None:
        body = _body(store.query_text(name))
        if union is not None:
            text = "\nUNION ALL\n".join(
                render(
                    body,
                    store.model,
                    labels={**(labels or {}), "LABEL": lab},
                    types=types,
                    max_hops=max_hops,
                    limit=limit,
                )
                for lab in key[4]
            )
        else:
            text = render(body, store.model, labels=labels, types=types, max_hops=max_hops, limit=limit)
        _TEXTS[key] = text
    return text


def _body(text: str) -> str:
    return "\n".join(lk for lk in text.splitlines() if not lk.lstrip().startswith("//"))


@lru_cache(maxsize=1024)
def _params_in(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$([A-Za-z_]\w*)", text))


def run_query(store: GraphStore, text: str, params: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame, with only the parameters the text uses (Ladybug refuses unused ones)."""
    used = _params_in(text)
    return store.run(text, {k: v for k, v in params.items() if k in used})


def _rows(store: GraphStore, text: str, params: dict[str, Any]) -> list[tuple]:
    """Rows as tuples in RETURN order (:meth:`GraphStore.rows`: no DataFrame, which costs as much as a
    small query), with only the parameters the text uses (Ladybug refuses unused ones)."""
    used = _params_in(text)
    return store.rows(text, {k: v for k, v in params.items() if k in used})


def _once(rows: list[tuple]) -> list[tuple]:
    """Rows of a node's links (node key first, link id second) with each link of a node once: an undirected
    match meets a link from a node to itself twice in Ladybug 0.22 and once in Neo4j."""
    seen: set[tuple] = set()
    out = []
    for row in rows:
        if row[1] is not None:
            if (row[0], row[1]) in seen:
                continue
            seen.add((row[0], row[1]))
        out.append(row)
    return out


# ---------------------------------------------------------------- entities
def candidate_labels(model: Model, key: str) -> list[str]:
    """Labels whose keys look like ``key`` (by format), most likely first; every label as a fallback."""
    first: list[str] = []
    if is_valid_id_number(key) and len(key) == 18:
        first.append("Person")
    if is_valid_credit_code(key):
        first += ["Company", "Organization"]
    try:
        if normalize_plate(key) == key:
            first.append("Vehicle")
    except ValueError:
        pass
    try:
        if normalize_phone(key) == key:
            first.append("Phone")
    except ValueError:
        pass
    first = [lk for lk in first if lk in model.labels]
    return first + [lk for lk in model.labels if lk not in first]


def _node_from(record: Mapping[str, Any], label: str | None, model: Model) -> Node:
    """A node from a store's record: Ladybug dicts carry ``_LABEL``/``_ID``, Neo4j maps a ``label``. Its
    properties in the model's order (Neo4j's map projection keeps none in particular)."""
    d = dict(record)
    lab = label or d.get("_LABEL") or d.get("label")
    props = {k: v for k, v in d.items() if not k.startswith("_") and k != "label" and v is not None and not _nan(v)}
    return Node(str(d["id"]), str(lab), model.in_order(str(lab), props))


def locate(store: GraphStore, ids: Iterable[str], *, likely: Sequence[str] | None = None) -> dict[str, Node]:
    """The nodes with these natural keys, whatever their label (an id found nowhere is left out).

    Keys are looked up first in the labels their format suggests (ID number → Person, credit code →
    Company or Organization, plate → Vehicle, phone → Phone), then in every other label. ``likely``: those
    first labels when the caller knows them for every key (ten thousand names of no identifier's form are all
    first looked up in the model's first label: :func:`candidate_labels` of each had taken seconds)."""
    wanted = [str(i) for i in dict.fromkeys(ids) if i is not None and str(i) != ""]
    labels: dict[str, str] = {}
    if likely is None:
        likely = list(dict.fromkeys(candidate_labels(store.model, k)[0] for k in wanted))
    likely = list(likely)
    _locate_in(store, likely, wanted, labels)
    missing = [k for k in wanted if k not in labels]
    if missing:
        _locate_in(store, [lk for lk in store.model.labels if lk not in likely], missing, labels)
    return fetch_nodes(store, {k: labels[k] for k in wanted if k in labels})


def _locate_in(store: GraphStore, labels: Sequence[str], keys: list[str], found: dict[str, str]) -> None:
    if not keys or not labels:
        return
    for key, label in _rows(store, query(store, "paths/locate", union=labels), {"ids": keys}):
        found.setdefault(str(key), str(label))


def fetch_nodes(store: GraphStore, labels: Mapping[str, str]) -> dict[str, Node]:
    """Nodes with all their properties, one query per label (``labels``: key → label)."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for key, lab in labels.items():
        by_label[lab].append(key)
    nodes: dict[str, Node] = {}
    for lab, keys in by_label.items():
        text = query(store, "paths/nodes", labels={"LABEL": lab})
        for (rec,) in _rows(store, text, {"ids": keys}):
            node = _node_from(rec, lab, store.model)
            nodes[node.id] = node
    return {k: nodes[k] for k in labels if k in nodes}


def resolve(store: GraphStore, entity: Any) -> Node:
    """A :class:`Node` for an entity given as a natural key, a ``(label, key)`` pair, or a Node."""
    if isinstance(entity, Node):
        return entity
    if isinstance(entity, tuple):
        if len(entity) != 2:
            raise PathError(f"an entity is a natural key or a (label, key) pair, got {entity!r}")
        label, key = entity
        if label not in store.model.labels:
            raise PathError(f"unknown label {label!r}; the model has {', '.join(store.model.labels)}")
        found = fetch_nodes(store, {str(key): label})
        if str(key) not in found:
            raise PathError(f"no {label} with id {key!r} in the store")
        return found[str(key)]
    if not isinstance(entity, str) or not entity:
        raise PathError(f"an entity is a natural key or a (label, key) pair, got {entity!r}")
    hit = locate(store, [entity])
    if entity not in hit:
        raise PathError(
            f"no node with id {entity!r} in the store (use graphkit.search.find to look it up "
            f"by name, ID number, credit code, plate or phone)"
        )
    return hit[entity]


# ---------------------------------------------------------------- neighbourhood
def _level(
    store: GraphStore, nodes: Mapping[str, str], types: list[str] | None, cap: int
) -> tuple[dict[str, int], list[tuple]]:
    """Link counts of some nodes (``nodes``: id → label), and the links of those with at most ``cap``.

    Per label: at most :data:`ALONE` nodes one by one (``paths/node_links``, at most ``cap`` + 1 links,
    then ``paths/degree`` for a hub); more in one ``paths/links`` query, which leaves hubs out, and
    ``paths/degrees`` counts the nodes it did not answer for.  Each label's texts are prepared once by
    Ladybug and reused, where a union over the level's varying set of labels would be compiled anew."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, label in nodes.items():
        by_label[label].append(node)
    counts: dict[str, int] = {}
    rows: list[tuple] = []
    for label in sorted(by_label):
        ids = by_label[label]
        if len(ids) <= ALONE:
            for node in ids:
                n, got = _node_links(store, node, label, types, cap)
                if n is None:  # a hub: count its links
                    got = _rows(store, query(store, "paths/degree", labels={"LABEL": label}, types=types), {"id": node})
                    counts[node] = got[0][0] if got else 0
                else:
                    counts[node] = n
                    rows += got
            continue
        got = _once(
            _rows(store, query(store, "paths/links", labels={"LABEL": label}, types=types), {"ids": ids, "cap": cap})
        )
        for row in got:  # counted from the rows: the query's count has a link to itself twice on Ladybug
            counts[row[0]] = counts.get(row[0], 0) + (row[1] is not None)
        rows += got
        hubs = [i for i in ids if i not in counts]
        if hubs:
            counted = dict(
                _rows(store, query(store, "paths/degrees", labels={"LABEL": label}, types=types), {"ids": hubs})
            )
            counts.update(counted)
            for node in hubs:  # left out only for a link to itself counted twice: no hub after all
                if counted.get(node, 0) <= cap:
                    _, got = _node_links(store, node, label, types, cap)
                    rows += got
    return counts, rows


def _ends(model: Model) -> dict[tuple[str, str, str], bool | None]:
    """(type, label here, label there) → whether a link of that type starts here, as the model says;
    ``None`` where both directions join those labels (a FAMILY tie, a unit part of a unit)."""
    known_model, ends = _ENDS.get(id(model), (None, None))
    if known_model is not model:
        ends = {}
        for name, rel in model.relationships.items():
            for start, end in rel.between:
                known = (end, start) not in rel.between
                ends[(name, start, end)] = True if known else None
                ends[(name, end, start)] = False if known else None
        _ENDS[id(model)] = (model, ends)
    return ends


_ENDS: dict[int, tuple[Model, dict[tuple[str, str, str], bool | None]]] = {}


def _node_links(
    store: GraphStore, node: str, label: str, types: list[str] | None, cap: int
) -> tuple[int | None, list[tuple]]:
    """The link count and the paths/links rows of one node, or ``(None, [])`` for a hub (more than ``cap``).

    At most ``cap`` + 1 links are read, so a hub costs a page of them and no count comes first (a count
    per node cost more than the pages of the few hubs).  Where the store leaves ``out`` null (the
    embedded store: reading a link's stored direction costs a third of the query), the model tells it
    from the labels at the two ends, and paths/out_links the direction of the links whose ends have the
    same label."""

    def read(limit: int) -> tuple[list[tuple], list[tuple]]:
        got = _rows(
            store,
            query(store, "paths/node_links", labels={"LABEL": label}, types=types, limit=limit),
            {"id": node, "limit": limit},
        )
        return got, _once(got)

    raw, rows = read(cap + 1)
    if len(raw) > cap >= len(rows):  # a link to itself, met twice, filled the page: room for every link twice
        raw, rows = read(2 * cap + 2)
    if len(rows) > cap:
        return None, []
    if all(row[3] is not None for row in rows):
        return len(rows), rows
    ends = _ends(store.model)
    same = sorted({row[2] for row in rows if row[3] is None and ends.get((row[2], label, row[5])) is None})
    starts = (
        {
            link
            for (link,) in _rows(
                store, query(store, "paths/out_links", labels={"LABEL": label}, types=same), {"id": node}
            )
        }
        if same
        else set()
    )
    out = []
    for row in rows:
        way = row[3]
        if way is None:
            way = ends.get((row[2], label, row[5]))
            if way is None:
                way = row[1] in starts
        out.append(row[:3] + (way,) + row[4:])
    return len(rows), out


#: below every link id (ids are signed 64-bit: graphkit.model.keys)
FIRST_LINK = -(2**63)


def _page(
    store: GraphStore, node: Node, types: list[str] | None, *, skip: int, after: int, size: int
) -> tuple[list[tuple], int | None]:
    """One page of a node's links ordered by link id, and the cursor of the next page (``None`` at the end)."""
    labels = {"LABEL": node.label}
    ids = [
        link
        for (link,) in _rows(
            store,
            query(store, "paths/page_ids", labels=labels, types=types),
            {"id": node.id, "after": after, "skip": skip, "limit": size + 1},
        )
    ]
    more, ids = len(ids) > size, ids[:size]
    rows = (
        _once(
            _rows(store, query(store, "paths/links_by_id", labels=labels, types=types), {"id": node.id, "links": ids})
        )
        if ids
        else []
    )
    return rows, (ids[-1] if more else None)


def _int(name: str, value: Any, low: int, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        raise PathError(f"{name} must be an integer {bound}, got {value!r}")
    return value


def neighbourhood(
    store: GraphStore,
    entity: Any,
    *,
    hops: int = 2,
    types: Iterable[str] | str | None = None,
    page_size: int = 50,
    page: int = 0,
    after: int | None = None,
) -> nx.MultiDiGraph:
    """The nodes within ``hops`` links of an entity, and the links that reach them, with a hub cap.

    Parameters
    ----------
    store : GraphStore
    entity : str or (label, str) or Node
        The seed: a natural key (ID number, credit code, plate, tender id …) or a ``(label, key)`` pair.
    hops : int, default 2
        Links followed out from the seed (1..6).
    types : list of str, optional
        Relationship types to follow (checked against the model); every type when omitted.
    page_size : int, default 50
        Most links listed per node.  A node with more is a hub: the seed's links are listed a page at a
        time, ordered by link id; any other hub is shown but not expanded (its ``links`` total tells).
    page : int, default 0
        Which page of the seed's links (0-based; ``graph.graph["pages"]`` tells how many).
    after : int, optional
        A cursor instead of a page number: list the page of links after this link id (the
        ``next_after`` of the previous page; :data:`FIRST_LINK` for the first page).  Cheaper than
        a far page number on a large hub.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by natural key with ``label``, ``name``, ``hop`` (distance found), ``links`` (count,
        for nodes that were expanded or counted) and ``hub``; edges keyed by link id with ``type``,
        ``src_file``, ``src_row``.  ``graph.graph`` holds ``seed``, ``hops``, ``types``, ``page_size``,
        ``page`` (``None`` with a cursor), ``pages``, ``next_page`` and ``next_after`` (``None`` on the last
        page), ``total`` (the seed's links) and ``hubs`` ({node: links}).

    Example
    -------
    >>> g = neighbourhood(store, "11320500MB0000001X", hops=1, page_size=25, page=2)  # doctest: +SKIP
    >>> g.graph["total"], g.graph["pages"], g.number_of_edges()                       # doctest: +SKIP
    (5632, 226, 25)
    >>> g = neighbourhood(store, "11320500MB0000001X", hops=1, after=g.graph["next_after"])  # doctest: +SKIP
    """
    hops = _int("hops", hops, 1, 6)
    page_size = _int("page_size", page_size, 1, 10_000)
    page = _int("page", page, 0)
    if after is not None and (not isinstance(after, int) or isinstance(after, bool) or page):
        raise PathError("give a page number or a cursor (after=<link id, an integer>), not both")
    tfilter = check_types(store.model, types)
    seed = resolve(store, entity)
    # one query per label and level: the links of each node that is no hub, with their count
    counts, rows = _level(store, {seed.id: seed.label}, tfilter, page_size)
    total = counts.get(seed.id, 0)
    pages = max(1, math.ceil(total / page_size))
    if page >= pages:
        raise PageOutOfRange(
            f"page={page} is past the last page: {seed.id} has {total} link(s), {pages} page(s) of {page_size} "
            f"(page counts from 0: 0 to {pages - 1})",
            page=page,
            pages=pages,
            total=total,
        )
    g = nx.MultiDiGraph(
        seed=seed.id,
        hops=hops,
        types=tfilter,
        page_size=page_size,
        page=None if after is not None else page,
        pages=pages,
        next_page=None,
        next_after=None,
        total=total,
        hubs={},
    )
    g.add_node(seed.id, label=seed.label, name=seed.name, hop=0, links=total, hub=total > page_size)
    if total > page_size or after is not None:
        if total > page_size:
            g.graph["hubs"][seed.id] = total
        rows, g.graph["next_after"] = _page(
            store,
            seed,
            tfilter,
            skip=0 if after is not None else page * page_size,
            after=FIRST_LINK if after is None else after,
            size=page_size,
        )
        if after is None and g.graph["next_after"] is not None:
            g.graph["next_page"] = page + 1
    frontier = _add_rows(g, rows, 1)
    for level in range(1, hops):
        counts, rows = _level(store, frontier, tfilter, page_size)
        for node in frontier:
            n = counts.get(node, 0)
            g.nodes[node]["links"] = n
            g.nodes[node]["hub"] = n > page_size
            if n > page_size:
                g.graph["hubs"][node] = n
        frontier = _add_rows(g, rows, level + 1)
    return g


#: most of the seed's own links :func:`whole_neighbourhood` takes (a case file names the rest)
MAX_LINKS = 500


def whole_neighbourhood(
    store: GraphStore,
    entity: Any,
    *,
    hops: int = 2,
    types: Iterable[str] | str | None = None,
    page_size: int = 50,
    max_links: int = MAX_LINKS,
) -> nx.MultiDiGraph:
    """The neighbourhood of an entity with all its own links, page after page, up to ``max_links`` of them.

    :func:`neighbourhood` gives one page of a hub seed's links; a case file must hold them all or say what
    it left out. The pages are read in link-id order and merged; the links past ``max_links`` are cut, with
    whatever was reached only through them, and each node's ``hop`` is its distance from the seed in the
    merged graph. Other hubs met on the way are still not expanded (``graph["hubs"]`` names them).

    Parameters
    ----------
    store : GraphStore
    entity : str or (label, str) or Node
    hops, types, page_size
        As for :func:`neighbourhood` (``page_size`` caps the nodes other than the seed).
    max_links : int, default :data:`MAX_LINKS`
        Most of the seed's own links taken.

    Returns
    -------
    networkx.MultiDiGraph
        As :func:`neighbourhood`, with ``graph["total"]`` the seed's links, ``graph["included"]`` those in
        the graph, ``graph["left_out"]`` the others (``total - included``), ``graph["max_links"]``, and
        ``graph["hubs"]`` the hubs other than the seed (not expanded).

    Example
    -------
    >>> g = whole_neighbourhood(store, "11320500061037427W", hops=1, max_links=80)  # doctest: +SKIP
    >>> g.graph["total"], g.graph["included"], g.graph["left_out"]                  # doctest: +SKIP
    (100, 80, 20)
    """
    max_links = _int("max_links", max_links, 1)
    part = neighbourhood(store, entity, hops=hops, types=types, page_size=page_size)
    seed, total = part.graph["seed"], part.graph["total"]
    g = nx.MultiDiGraph(part)
    g.graph = dict(part.graph)
    taken = sum(1 for _ in _own(g, seed))
    while part.graph["next_after"] is not None and taken < max_links:
        part = neighbourhood(store, entity, hops=hops, types=types, page_size=page_size, after=part.graph["next_after"])
        for v, a in part.nodes(data=True):
            if v in g:
                g.nodes[v]["hop"] = min(g.nodes[v].get("hop", hops), a.get("hop", hops))
                for k in ("links", "hub"):
                    if k in a:
                        g.nodes[v][k] = a[k]
            else:
                g.add_node(v, **a)
        for u, v, k, a in part.edges(keys=True, data=True):
            if not g.has_edge(u, v, key=k):
                g.add_edge(u, v, key=k, **a)
        g.graph["hubs"].update(part.graph["hubs"])
        taken = sum(1 for _ in _own(g, seed))
    own = sorted(_own(g, seed), key=lambda e: e[2])
    g.remove_edges_from(own[max_links:])
    dist = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), seed, cutoff=hops)
    g.remove_nodes_from([v for v in list(g) if v not in dist])
    for v, d in dist.items():
        g.nodes[v]["hop"] = d
    included = min(len(own), max_links)
    hubs = {k: n for k, n in g.graph["hubs"].items() if k != seed and k in g}
    g.graph.update(
        page=None,
        pages=1,
        next_page=None,
        next_after=None,
        total=total,
        included=included,
        left_out=total - included,
        max_links=max_links,
        hubs=hubs,
    )
    return g


def with_properties(store: GraphStore, g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` with every stored property of its nodes and links (amounts, dates, roles …) added where missing.

    :func:`neighbourhood` carries only what it needs to draw (label, name, provenance) where a path's nodes
    and links carry all their properties; a case file holds the same properties whichever way a node was
    reached. Attributes ``g`` already has (``hop``, ``hub`` …) are kept; no node or link is added.

    Parameters
    ----------
    store : GraphStore
    g : networkx.MultiDiGraph
        Nodes keyed by natural key, links keyed by link id.

    Returns
    -------
    networkx.MultiDiGraph
        ``g`` itself, completed.
    """
    if not g.number_of_nodes():
        return g
    # one query per label for the nodes (an index seek each) and for the links (the links out of their start
    # nodes, :func:`_props_out`): store.subgraph scanned every node and every relationship (1.3 s of a
    # 30,000-person city's case file of 407 nodes)
    labels = {v: a["label"] for v, a in g.nodes(data=True) if a.get("label") in store.model.labels}
    for v, node in fetch_nodes(store, labels).items():
        a = g.nodes[v]
        for k, val in node.properties.items():
            if k != "id" and a.get(k) is None:  # (the node's key is the graph's node)
                a[k] = val
    links = {int(k) for _, _, k in g.edges(keys=True) if isinstance(k, int | np.integer)}
    starts = {k: (labels[u], u) for u, _, k in g.edges(keys=True) if k in links and u in labels}
    if not starts:
        return g
    props = _props_out(store, starts)
    for _, _, k, a in g.edges(keys=True, data=True):
        for key, val in store.model.in_order(str(a.get("type")), props.get(k, {})).items():
            if a.get(key) is None:
                a[key] = val
    return g


#: most PAID_TO links read of one payment row (:func:`paid_to`): a row is paid to one person
_PAID_TO_CAP = 10


def paid_to(store: GraphStore, rows: Mapping[str, str]) -> dict[str, tuple[str, str | None]]:
    """The person each payment row was paid to, by its ``PAID_TO`` link (``rows``: key → label, a ``Benefit`` or
    a ``LabourPayment``): key → (the person's key, name); a row with no such link is left out.

    One ``paths/links`` query per label, as a level of :func:`neighbourhood` is read, so both stores answer alike.

    Example
    -------
    >>> paid_to(store, {"BEN1": "Benefit"})  # doctest: +SKIP
    {'BEN1': ('320508195505050071', '刘洋')}
    """
    _, got = _level(store, dict(rows), ["PAID_TO"], _PAID_TO_CAP)
    out: dict[str, tuple[str, str | None]] = {}
    for node, link, _type, _out, other, olabel, oname, *_ in sorted(got, key=lambda r: (str(r[0]), r[1] or 0)):
        if link is not None and olabel == "Person":
            out.setdefault(node, (other, oname))
    return out


def _nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _own(g: nx.MultiDiGraph, seed: str) -> Iterable[tuple]:
    """The seed's own links in ``g``: (u, v, key)."""
    yield from g.out_edges(seed, keys=True)
    yield from ((u, v, k) for u, v, k in g.in_edges(seed, keys=True) if u != seed)


def _add_rows(g: nx.MultiDiGraph, rows: Iterable[tuple], hop: int) -> dict[str, str]:
    """Add the links of ``rows`` (paths/links or paths/links_by_id rows) to ``g``; return the new nodes
    (id → label), found at distance ``hop``.

    Rows are taken in (node, link id) order, not the store's: the graph's nodes and edges, and so every
    output built from it (``neighbours --json``, exports), come in the same order from either store."""
    new: dict[str, str] = {}
    rows = sorted(rows, key=lambda row: (str(row[0]), -(2**63) if row[1] is None else int(row[1])))
    for node, link, rtype, out, other, olabel, oname, f, r, *_ in rows:
        if link is None:  # a node without links (OPTIONAL MATCH)
            continue
        if other not in g:
            g.add_node(other, label=olabel, name=oname, hop=hop)
            new[other] = olabel
        start, end = (node, other) if out else (other, node)
        if not g.has_edge(start, end, key=link):
            g.add_edge(start, end, key=link, id=link, type=rtype, src_file=f, src_row=None if r is None else int(r))
    return new


# ---------------------------------------------------------------- paths
def _path_from(nodes: Sequence[Mapping[str, Any]], links: Sequence[Mapping[str, Any]], model: Model) -> Path:
    """A :class:`Path` from a query row (Ladybug's node/rel dicts or Neo4j's map projections), properties in
    the model's order."""
    ns = [_node_from(n, None, model) for n in nodes]
    if nodes and "_ID" in nodes[0]:
        by_internal = {(n["_ID"]["table"], n["_ID"]["offset"]): str(n["id"]) for n in nodes}
        ls = []
        for r in links:
            props = {k: v for k, v in r.items() if not k.startswith("_") and v is not None}
            ls.append(
                Link(
                    int(r["id"]),
                    str(r["_LABEL"]),
                    by_internal[(r["_SRC"]["table"], r["_SRC"]["offset"])],
                    by_internal[(r["_DST"]["table"], r["_DST"]["offset"])],
                    props.get("src_file"),
                    props.get("src_row"),
                    model.in_order(str(r["_LABEL"]), props),
                )
            )
    else:
        ls = [
            Link(
                int(r["id"]),
                str(r["type"]),
                str(r["start"]),
                str(r["end"]),
                r.get("src_file"),
                r.get("src_row"),
                model.in_order(
                    str(r["type"]), {k: v for k, v in r.items() if k not in ("type", "start", "end") and v is not None}
                ),
            )
            for r in links
        ]
    return Path(tuple(ns), tuple(ls))


#: a label's frontier of at most this many nodes is expanded node by node (paths/degree, paths/node_links)
ALONE = 4

#: dialects whose shortest-path search runs from the source only, where graphkit meets in the middle
MEET_IN_THE_MIDDLE = ("embedded",)
#: most nodes a ball of the meet-in-the-middle search may hold before it falls back to one search
BALL_LIMIT = 5_000


def _paths(
    store: GraphStore,
    name: str,
    source: Any,
    target: Any,
    types: Any,
    max_hops: int,
    ceiling: int,
    limit: int | None = None,
) -> list[Path]:
    max_hops = _int("max_hops", max_hops, 1, ceiling)
    tfilter = check_types(store.model, types)
    if limit is not None:
        limit = _int("limit", limit, 1)
    a, b = resolve(store, source), resolve(store, target)
    if a.id == b.id:
        raise PathError(f"source and target are the same entity ({a.id})")
    if name != "paths/simple_paths" and store.dialect in MEET_IN_THE_MIDDLE and max_hops >= 3:
        found = _meet_in_the_middle(store, name, a, b, tfilter, max_hops, limit)
        if found is not None:
            return found
    return _direct(store, name, a, b, tfilter, max_hops, limit)


def _direct(
    store: GraphStore, name: str, a: Node, b: Node, tfilter: list[str] | None, max_hops: int, limit: int | None
) -> list[Path]:
    text = query(store, name, labels={"SOURCE": a.label, "TARGET": b.label}, types=tfilter, max_hops=max_hops)
    params: dict[str, Any] = {"source": a.id, "target": b.id, "max_hops": max_hops}
    if limit is not None:
        params["limit"] = limit
    return [_path_from(n, lk, store.model) for n, lk in _rows(store, text, params)]


def _ball(store: GraphStore, centre: Node, tfilter: list[str] | None, radius: int) -> dict[str, tuple[str, int]] | None:
    """Nodes within ``radius`` of ``centre`` → (label, distance); ``None`` when more than BALL_LIMIT."""
    text = query(store, "paths/ball", labels={"LABEL": centre.label}, types=tfilter, max_hops=radius)
    rows = _rows(store, text, {"id": centre.id, "limit": BALL_LIMIT + 1})
    if len(rows) > BALL_LIMIT:
        return None
    ball = {centre.id: (centre.label, 0)}
    for i, lab, d in rows:
        if i != centre.id:
            ball[i] = (lab, int(d))
    return ball


def _meet_in_the_middle(
    store: GraphStore, name: str, a: Node, b: Node, tfilter: list[str] | None, max_hops: int, limit: int | None
) -> list[Path] | None:
    """Shortest path(s) through the nodes where a ball around each end meets; ``None`` to fall back.

    With radii ka around ``a`` and kb around ``b``, every path of length L <= ka + kb has a node m at
    distance t = min(L, ka) from ``a`` and L - t <= kb from ``b``: the balls meet on every such path, the
    smallest d(a, m) + d(m, b) over the meeting nodes is the distance, and the shortest paths are the
    shortest a→m paths joined to the shortest m→b paths over the meeting nodes with d(a, m) = t and
    d(m, b) = L - t.  The balls start at radius 2 and the smaller one grows by a hop at a time until
    they meet or the radii add up to ``max_hops`` (the nearer the ends, the smaller the balls)."""
    ka, kb = min(2, max_hops - 1), min(2, max_hops - min(2, max_hops - 1))
    ball_a, ball_b = _ball(store, a, tfilter, ka), _ball(store, b, tfilter, kb)
    while True:
        if ball_a is None or ball_b is None:
            return None
        both = [m for m in ball_a if m in ball_b]
        if both:
            break
        if ka + kb >= max_hops:
            return []
        if len(ball_a) <= len(ball_b):
            ka += 1
            ball_a = _ball(store, a, tfilter, ka)
        else:
            kb += 1
            ball_b = _ball(store, b, tfilter, kb)
    length = min(ball_a[m][1] + ball_b[m][1] for m in both)
    t = min(length, ka)
    meet = sorted(m for m in both if ball_a[m][1] == t and ball_b[m][1] == length - t)
    paths_out: dict[tuple[str, ...], Path] = {}
    for m in meet:
        mid = Node(m, ball_a[m][0])
        heads = _direct(store, name, a, mid, tfilter, t, limit) if m != a.id else []
        tails = _direct(store, name, mid, b, tfilter, length - t, limit) if m != b.id else []
        for head in heads or [None]:
            for tail in tails or [None]:
                joined = _join(head, tail)
                paths_out.setdefault(joined.link_ids, joined)
                if name == "paths/shortest_path" or (limit is not None and len(paths_out) >= limit):
                    return list(paths_out.values())
    return list(paths_out.values())


def _join(head: Path | None, tail: Path | None) -> Path:
    if head is None or tail is None:
        return head or tail
    return Path(head.nodes + tail.nodes[1:], head.links + tail.links)


#: most candidate paths read from the store before they are ordered and cut (path_order); a search with more
#: candidates than this is cut by the store first, in its own order
PATH_FETCH = 10_000
#: most candidates :func:`shortest_path` reads for its one path: the ties of nearly every pair, and a cap for the
#: pairs joined through a hub by thousands of equally short paths (reading up to PATH_FETCH made the slowest of
#: 100 random pairs take 9-11 s, ``python bench/paths.py``); past it the store's first 200 are ordered
SHORTEST_FETCH = 200


def path_order(path: Path, degrees: Mapping[str, int]) -> tuple[int, int, int, tuple[str, ...], tuple[int, ...]]:
    """The order in which paths are chosen and listed, the same on every store: fewer links first; then, of
    equally short paths, those through smaller nodes: the most links any node between the two ends has (a path
    through a list document cited by hundreds of companies, or an address shared by hundreds, goes after one
    through a person who owns both ends), then the product of those nodes' link counts (the sum of their
    logarithms, kept exact as an integer); then the node keys along the path (start to end, compared as strings),
    then the link ids along it (parallel links).

    ``degrees`` maps each node between the ends to its number of links (of the types the search follows:
    :func:`degrees`).  Shortest first stays: no path is made longer to avoid a hub, equally short ones are only
    reordered, as Linkurious, Aleph and i2 weigh hubs down.

    Neither store defines which of several equally short paths ``shortestPath`` / ``* SHORTEST`` gives, nor the
    order of rows under a ``LIMIT``; so :func:`shortest_path`, :func:`shortest_paths` and :func:`simple_paths`
    read every candidate (up to :data:`PATH_FETCH`; :func:`shortest_path` up to :data:`SHORTEST_FETCH`), order
    them by this key in Python and then cut at ``limit``: one path, and one subset in one order, whatever the
    store.

    Example
    -------
    >>> a, b, c, h = Node("A", "Person"), Node("B", "Person"), Node("C", "Person"), Node("H", "Address")
    >>> p = Path((a, c), (Link(2, "FAMILY", "A", "C"),))
    >>> q = Path((a, b), (Link(9, "FAMILY", "A", "B"),))
    >>> [x.ids for x in sorted([p, q], key=lambda x: path_order(x, {}))]
    [('A', 'B'), ('A', 'C')]
    >>> via_h = Path((a, h, c), (Link(3, "HAS_ADDRESS", "A", "H"), Link(4, "HAS_ADDRESS", "C", "H")))
    >>> via_b = Path((a, b, c), (Link(9, "FAMILY", "A", "B"), Link(5, "FAMILY", "B", "C")))
    >>> [x.ids for x in sorted([via_h, via_b], key=lambda x: path_order(x, {"H": 300, "B": 4}))]
    [('A', 'B', 'C'), ('A', 'H', 'C')]
    """
    inner = [degrees[n] for n in path.ids[1:-1]]
    return (len(path.links), max(inner, default=0), math.prod(inner), path.ids, path.link_ids)


def degrees(store: GraphStore, nodes: Mapping[str, str], types: Sequence[str] | None = None) -> dict[str, int]:
    """The number of links (of ``types``, every type when omitted) of each node (``nodes``: key → label), one
    ``paths/degrees`` query per label; a key not stored is left out."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, label in nodes.items():
        by_label[label].append(node)
    out: dict[str, int] = {}
    for label in sorted(by_label):
        text = query(store, "paths/degrees", labels={"LABEL": label}, types=types)
        out.update((str(node), int(n)) for node, n in _rows(store, text, {"ids": by_label[label]}))
    return out


def _ordered(store: GraphStore, found: Sequence[Path], tfilter: list[str] | None) -> list[Path]:
    """``found`` in :func:`path_order`, with the link counts of the nodes between the ends read from the store
    (not read where every path goes through the same nodes: one path, or parallel links, as most pairs have)."""
    if len({p.ids for p in found}) < 2:
        return sorted(found, key=lambda p: p.link_ids)
    inner = {n.id: n.label for p in found for n in p.nodes[1:-1]}
    deg = degrees(store, inner, tfilter) if inner else {}
    return sorted(found, key=lambda p: path_order(p, deg))


def shortest_path(
    store: GraphStore, source: Any, target: Any, *, types: Iterable[str] | str | None = None, max_hops: int = 6
) -> Path | None:
    """One shortest path between two entities (either direction, allowed types, at most ``max_hops``).

    Returns ``None`` when no such path exists.  Of several shortest paths, the first in :func:`path_order`
    (the one through the smallest nodes; the same on every store); :func:`shortest_paths` gives them all.

    Example
    -------
    >>> p = shortest_path(store, official_id, company_code, max_hops=4)  # doctest: +SKIP
    >>> len(p), p.ids                                                     # doctest: +SKIP
    (2, ('3205…', '3205…', '9132…'))
    """
    tfilter = check_types(store.model, types)
    found = _paths(store, "paths/all_shortest_paths", source, target, types, max_hops, SHORTEST_CEILING, SHORTEST_FETCH)
    if len(found) >= SHORTEST_FETCH:  # the store's first candidates, in its own order: build the first
        built = _least_shortest(store, found[0].nodes[0], found[0].nodes[-1], tfilter, len(found[0].links))
        if built is not None:
            return built
    return _ordered(store, found, tfilter)[0] if found else None


#: most links of one node read when :func:`_least_shortest` lays out the shortest paths
NEXT_HOPS = 100_000


def _least_shortest(store: GraphStore, a: Node, b: Node, tfilter: list[str] | None, length: int) -> Path | None:
    """The first path of ``length`` links from ``a`` to ``b`` in :func:`path_order`, for pairs with more equally
    short paths than :data:`SHORTEST_FETCH`, where the candidates each store returns first differ (Ladybug's
    meeting nodes, Neo4j's rows under a LIMIT): one path on every store, without listing the paths.

    The nodes on shortest paths are laid out in layers by a search from both ends a level at a time (the side
    whose frontier has fewer links grows), stopping where the two searches' depths add up to ``length``: the
    last frontiers' common nodes are the middle layer, which is never expanded (a hub joining two pensioners is
    counted, not read), and each layer toward an end keeps the nodes linked to the layer next to it.  On those
    layers: the least possible largest link count between the ends; then, of the nodes with no more links, the
    least product of link counts; then, from ``a``, the least key that still completes such a path; then the
    least link id between each two nodes.  ``None`` (the caller orders the store's candidates) where a node on
    the way has more than :data:`NEXT_HOPS` links or the graph changed under the search."""
    labels = {a.id: a.label, b.id: b.label}
    dist: tuple[dict[str, int], dict[str, int]] = ({a.id: 0}, {b.id: 0})
    fronts, depth = [{a.id}, {b.id}], [0, 0]
    near: dict[str, dict[str, int]] = defaultdict(dict)  # node → {neighbour: least link id between them}
    deg: dict[str, int] = {}
    while depth[0] + depth[1] < length:
        deg.update(degrees(store, {n: labels[n] for f in fronts for n in f if n not in deg}, tfilter))
        side = 0 if sum(deg.get(n, 0) for n in fronts[0]) <= sum(deg.get(n, 0) for n in fronts[1]) else 1
        counts, rows = _level(store, {n: labels[n] for n in fronts[side]}, tfilter, NEXT_HOPS)
        if any(counts.get(n, 0) > NEXT_HOPS for n in fronts[side]):
            return None
        new: set[str] = set()
        for node, link, _type, _out, other, other_label, *_ in rows:
            if link is None:
                continue
            node, other, link = str(node), str(other), int(link)
            for u, v in ((node, other), (other, node)):
                if link < near[u].get(v, link + 1):
                    near[u][v] = link
            labels.setdefault(other, str(other_label))
            if other not in dist[side]:
                new.add(other)
        for n in new:
            dist[side][n] = depth[side] + 1
        fronts[side], depth[side] = new, depth[side] + 1
    # layers[i]: the nodes i links from a on a path of `length` links to b
    mid = depth[0]
    layers: list[set[str]] = [set() for _ in range(length + 1)]
    layers[mid] = fronts[0] & fronts[1]
    for i in range(mid - 1, -1, -1):
        layers[i] = {u for u, d in dist[0].items() if d == i and any(v in layers[i + 1] for v in near[u])}
    for i in range(mid + 1, length + 1):
        layers[i] = {w for w, d in dist[1].items() if d == length - i and any(v in layers[i - 1] for v in near[w])}
    if a.id not in layers[0] or b.id not in layers[length]:
        return None
    deg.update(degrees(store, {n: labels[n] for i in range(1, length) for n in layers[i] if n not in deg}, tfilter))

    def links_on(u: str, i: int) -> list[str]:
        return [v for v in near[u] if v in layers[i + 1]]

    def weight(v: str, i: int) -> int:
        return deg.get(v, 0) if 0 < i < length else 1

    # the least largest link count from each node to b, over the nodes after it and before b
    largest = {b.id: 0}
    for i in range(length - 1, -1, -1):
        for u in layers[i]:
            after = [max(weight(v, i + 1) if i + 1 < length else 0, largest[v]) for v in links_on(u, i) if v in largest]
            if after:
                largest[u] = min(after)
    if a.id not in largest:
        return None
    bound = largest[a.id]
    # the least product of link counts from each node (itself included) to b, through nodes of at most `bound`
    product = {b.id: 1}
    for i in range(length - 1, -1, -1):
        for u in layers[i]:
            after = [product[v] for v in links_on(u, i) if v in product]
            if after and (i == 0 or weight(u, i) <= bound):
                product[u] = weight(u, i) * min(after)
    best = product[a.id]
    nodes, done = [a.id], 1
    for i in range(length):
        nxt = min(v for v in links_on(nodes[-1], i) if v in product and done * product[v] == best)
        done *= weight(nxt, i + 1)
        nodes.append(nxt)
    hops = []
    for u, v in itertools.pairwise(nodes):
        u_, v_ = Node(u, labels[u]), Node(v, labels[v])
        found = _direct(store, "paths/all_shortest_paths", u_, v_, tfilter, 1, PATH_FETCH)
        if not found:
            return None
        hops.append(min(found, key=lambda p: p.link_ids))
    path = hops[0]
    for hop in hops[1:]:
        path = _join(path, hop)
    return path


def shortest_paths(
    store: GraphStore,
    source: Any,
    target: Any,
    *,
    types: Iterable[str] | str | None = None,
    max_hops: int = 6,
    limit: int = 100,
) -> list[Path]:
    """Every shortest path between two entities (parallel links make paths of their own), the first ``limit``
    in :func:`path_order`."""
    limit = _int("limit", limit, 1)
    found = _paths(store, "paths/all_shortest_paths", source, target, types, max_hops, SHORTEST_CEILING, PATH_FETCH)
    return _ordered(store, found, check_types(store.model, types))[:limit]


def simple_paths(
    store: GraphStore,
    source: Any,
    target: Any,
    *,
    types: Iterable[str] | str | None = None,
    max_hops: int = 4,
    limit: int = 1000,
) -> list[Path]:
    """Every simple path (no node twice) of at most ``max_hops`` links between two entities, the first
    ``limit`` in :func:`path_order` (shortest first)."""
    limit = _int("limit", limit, 1)
    found = _paths(store, "paths/simple_paths", source, target, types, max_hops, SIMPLE_CEILING, PATH_FETCH)
    return _ordered(store, found, check_types(store.model, types))[:limit]


def links_among(
    store: GraphStore,
    entities: Iterable[tuple[str, str]],
    *,
    progress: Callable[[str], None] | None = None,
    properties: bool | Collection[str] = False,
) -> list[Link]:
    """Every stored link whose two ends are both among ``entities`` (``(label, key)`` pairs).

    The evidence of a warning: for an official, a relative, a company and a tender, the family tie,
    the shareholding, the bid and the award that join them. ``properties=True``: each link with its stored
    properties too (:attr:`Link.properties`: the share held, the price won, the kinship), read for the links
    found only (``paths/link_props``, a query per label of their start nodes). A collection of property names:
    those of each link's stored properties only, read only for the links of a type the model gives one of them
    (the others' properties are empty): reading every property of every link out of a warning's persons had
    Ladybug take the property columns of every relationship table out of Person into its buffer pool (fuel
    transactions, payments, posts...), most of ``models run``'s peak at a million persons, for the share held and
    the kinship the ledger keeps (:data:`graphkit.rules.ledger.FIGURES`)."""
    pairs = list(dict.fromkeys((lab, str(key)) for lab, key in entities))
    for lab, _ in pairs:
        if lab not in store.model.labels:
            raise PathError(f"unknown label {lab!r}")
    if len(pairs) < 2:
        return []
    among = {k for _, k in pairs}  # the query returns every link out of its ids; a set keeps those ending among
    by_label: dict[str, list[str]] = {}
    for lab, key in pairs:
        by_label.setdefault(lab, []).append(key)
    rows = []
    for lab, ids in by_label.items():  # a label's own keys only: each key looked up once, not once per label
        if progress:
            progress(lab)
        # the types the model lets join this label to a label of the set only: every link out of a warning's
        # vehicles (their GPS stops), persons and companies had been read, and its end key sifted here
        types = sorted(
            rel.name
            for rel in store.model.relationships.values()
            if any(s == lab and t in by_label for s, t in rel.between)
        )
        if types:
            rows += _rows(store, query(store, "paths/links_among", union=[lab], types=types), {"ids": ids})
    out: dict[int, Link] = {}
    for start, link, rtype, end, f, r in rows:
        if link is None or str(end) not in among:
            continue
        out.setdefault(int(link), Link(int(link), str(rtype), str(start), str(end), f, None if r is None else int(r)))
    if properties is not False and out:
        label_of = {key: lab for lab, key in pairs}
        wanted = None if properties is True else frozenset(properties)
        typed = {  # the types whose links are read: every type, or those the model gives a wanted property
            t: store.model.relationship(t).properties.keys() & wanted if wanted is not None else None
            for t in {lk.type for lk in out.values()}
        }
        read = {lk.id: (label_of[lk.start], lk.start) for lk in out.values() if wanted is None or typed[lk.type]}
        types = None if wanted is None else {label_of[lk.start]: set() for lk in out.values()}
        if types is not None:
            for lk in out.values():
                if typed[lk.type]:
                    types[label_of[lk.start]].add(lk.type)
        props = _link_properties(store, read, types=types) if read else {}
        if wanted is not None:
            props = {i: {k: v for k, v in rec.items() if k in wanted} for i, rec in props.items()}
        out = {i: replace(lk, properties=props.get(i, {})) for i, lk in out.items()}
    return sorted(out.values(), key=lambda lk: lk.id)


def _link_properties(
    store: GraphStore, starts: Mapping[int, tuple[str, str]], *, types: Mapping[str, Collection[str]] | None = None
) -> dict[int, dict[str, Any]]:
    """The stored properties (provenance and the id aside) of each link id of ``starts``, given the label and key
    of its start node (:func:`_props_out`; ``types``: of a label's links those types only)."""
    return {
        link: {k: v for k, v in rec.items() if k not in ("id", "src_file", "src_row")}
        for link, rec in _props_out(store, starts, types=types).items()
    }


#: start nodes per ``paths/link_props`` query: the links out of them are read whole and sifted in Python
LINK_PROPS_CHUNK = 2_000


def _props_out(
    store: GraphStore, starts: Mapping[int, tuple[str, str]], *, types: Mapping[str, Collection[str]] | None = None
) -> dict[int, dict[str, Any]]:
    """Every property (the store's own ``_`` columns and empty values aside) of each link id of ``starts``, given
    the label and key of its start node; ``types`` (label → relationship types): the links out of a label's nodes
    of those types only are read (every type out of the label when None).

    ``paths/link_props`` reads the links out of a label's start nodes, :data:`LINK_PROPS_CHUNK` nodes a query, and
    the links asked for are kept here: a ``WHERE r.id IN $links`` in the query made Ladybug test the list against
    every relationship of the label's tables (quadratic in the city: the evidence of a million-person city's
    warnings took a quarter of an hour)."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for lab, key in dict.fromkeys(starts.values()):
        by_label[lab].append(key)
    out: dict[int, dict[str, Any]] = {}
    for lab in sorted(by_label):
        only = None if types is None else sorted(types.get(lab, ()))
        if only == []:
            continue
        text = query(store, "paths/link_props", union=[lab], types=only)
        keys = by_label[lab]
        for i in range(0, len(keys), LINK_PROPS_CHUNK):
            for link, rec in _rows(store, text, {"ids": keys[i : i + LINK_PROPS_CHUNK]}):
                if link is None or int(link) not in starts:
                    continue
                out[int(link)] = {
                    k: v for k, v in dict(rec).items() if not k.startswith("_") and v is not None and not _nan(v)
                }
    return out


# ---------------------------------------------------------------- explanations
def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise PathError(f"lang must be 'zh' or 'en', got {lang!r}")
    return lang


def _phrase(link: Link, forward: bool, lang: str = "zh") -> str:
    """How a hop reads: the phrase the model declares for the link's type and properties (``phrase_zh`` /
    ``say_zh`` in Chinese)."""
    return Model.default().phrase(link.type, link.properties, forward, lang)


def _role(role: Any, lang: str) -> str | None:
    """A post's role as a description names it: the model's Chinese name (``official`` → 公职人员), else in words."""
    if not isinstance(role, str):
        return None
    if lang == "zh":
        return Model.default().value_name("EMPLOYED_BY", "role", role) or role.replace("_", " ")
    return role.replace("_", " ")


def _context(store: GraphStore | None, path: Path, lang: str = "zh") -> tuple[dict[str, str], dict[str, str]]:
    """Posts of the persons and issuers of the tenders on a path (empty without a store), worded in ``lang``."""
    posts: dict[str, str] = {}
    issuers: dict[str, str] = {}
    if store is None:
        return posts, issuers
    zh = lang == "zh"
    persons = [n.id for n in path.nodes if n.label == "Person"]
    tenders = [n.id for n in path.nodes if n.label == "Tender"]
    if persons:
        df = store.query("paths/person_posts", {"ids": persons})
        for pid, role, _post, unit, end in df[["id", "role", "post", "unit", "end_date"]].itertuples(
            index=False, name=None
        ):
            if pid in posts:
                continue
            role = _role(role, lang)
            ended = end is not None and not pd.isna(end)
            former = ("原" if zh else "former ") if ended else ""
            bits = [b for b in (f"{former}{role}" if role else None, unit) if b]
            if bits:
                posts[pid] = ("，" if zh else ", ").join(bits)
        # politically exposed persons from outside data (FtM): "PEP, Member of the National Assembly"
        df = store.query("paths/person_peps", {"ids": [p for p in persons if p not in posts]})
        pep = "政治公众人物" if zh else "PEP"
        for pid, post, end in df[["id", "post", "end_date"]].itertuples(index=False, name=None):
            if pid not in posts:
                ended = end is not None and not pd.isna(end)
                former = ("原" if zh else "former ") if ended else ""
                posts[pid] = f"{former}{pep}{'，' if zh else ', '}{post}" if isinstance(post, str) else f"{former}{pep}"
    if tenders:
        df = store.query("paths/tender_issuers", {"ids": tenders})
        issuers = dict(zip(df["id"], df["unit"], strict=True))
    return posts, issuers


def _describe(
    node: Node, posts: Mapping[str, str], issuers: Mapping[str, str], *, issuer: bool = True, lang: str = "zh"
) -> str:
    if lang == "zh":
        return _describe_zh(node, posts, issuers, issuer=issuer)
    if node.label == "Person":
        name = node.name or node.id
        return f"{name} ({posts[node.id]})" if node.id in posts else name
    if node.label in ("Company", "Organization"):
        return node.name or node.id
    noun = Model.default().noun(node.label)
    if node.label == "Tender":
        title = f" ({node.properties['title']})" if node.properties.get("title") else ""
        by = f" issued by {issuers[node.id]}" if issuer and node.id in issuers else ""
        return f"tender {node.id}{title}{by}"
    if node.label == "Contract" and node.properties.get("title"):
        return f"contract {node.id} ({node.properties['title']})"
    if node.label in ("ParkingLot", "Place", "Position", "Thing") and node.name:
        return f"{noun} {node.name}"
    # a payment, an invoice … by its amount and date (``payment €100,000 2011-12-29``), its key when it has none
    return f"{noun} {Model.default().caption(node.label, dict(node.properties), node.id)}"


def _describe_zh(node: Node, posts: Mapping[str, str], issuers: Mapping[str, str], *, issuer: bool = True) -> str:
    """A node as a Chinese sentence names it: a person with the post in full-width brackets
    (``雷婉（公职人员，某街道办事处）``), a tender or anything else by the model's Chinese noun
    (``招标项目 T1（人民路改造工程，招标人：苏州市城建局）``, ``支付 €100,000 2011-12-29``)."""
    if node.label == "Person":
        name = node.name or node.id
        return f"{name}（{posts[node.id]}）" if node.id in posts else name
    if node.label in ("Company", "Organization"):
        return node.name or node.id
    noun = Model.default().noun(node.label, "zh")
    if node.label in ("Tender", "Contract"):
        bits = [str(node.properties["title"])] if node.properties.get("title") else []
        if node.label == "Tender" and issuer and node.id in issuers:
            bits.append(f"招标人：{issuers[node.id]}")
        return f"{noun} {node.id}" + (f"（{'，'.join(bits)}）" if bits else "")
    if node.label in ("ParkingLot", "Place", "Position", "Thing") and node.name:
        return f"{noun} {node.name}"
    # an amount in yuan as the Chinese faces write it (支付 241.9 万元 2023-09-17), another currency with its sign
    return f"{noun} {Model.default().caption(node.label, dict(node.properties), node.id, 'zh')}"


def explain(path: Path, *, store: GraphStore | None = None, lang: str = "zh") -> list[str]:
    """One readable sentence per hop, each citing the source file and row of its link: Chinese (the default), or
    English with ``lang="en"``.

    With a ``store``, persons are described by their post and unit and tenders by their issuer.  A Chinese hop
    reads as a predicate from left to right (``A — 子女为 — B``: B is A's child), the model's ``phrase_zh``, and
    cites its record as 第N行 (a text file's line, a workbook's row alike).

    Example
    -------
    >>> for line in explain(path, store=store): print(line)                   # doctest: +SKIP
    张伟（公职人员，苏州市城建局） — 配偶为 — 李娜〔family.csv 第2行〕
    李娜 — 持股60% — 某某建设有限公司〔shareholders.csv 第2行〕
    某某建设有限公司 — 中标（98.0 万元） — 招标项目 T1（人民路改造工程，招标人：苏州市城建局）〔bids.csv 第2行〕
    >>> for line in explain(path, store=store, lang="en"): print(line)        # doctest: +SKIP
    张伟 (official, 苏州市城建局) — spouse of — 李娜  [family.csv line 2]
    李娜 — 60% shareholder of — 某某建设有限公司  [shareholders.csv line 2]
    某某建设有限公司 — won (¥980,000) — tender T1 (人民路改造工程) issued by 苏州市城建局  [bids.csv row 2]
    """
    lang = _lang(lang)
    posts, issuers = _context(store, path, lang)
    out = []
    for i, link in enumerate(path.links):
        a, b = path.nodes[i], path.nodes[i + 1]
        forward = link.start == a.id
        own = link.type != "ISSUED_BY"  # a hop that is the issuing itself does not repeat the issuer
        left = _describe(a, posts, issuers, issuer=own, lang=lang)
        right = _describe(b, posts, issuers, issuer=own, lang=lang)
        where = citation(link.src_file, link.src_row, lang)  # the one form every face cites a record in
        out.append(f"{left} — {_phrase(link, forward, lang)} — {right}{'' if lang == 'zh' else '  '}{where}")
    return out


def path_line(path: Path, *, store: GraphStore | None = None, lang: str = "zh") -> str:
    """The whole path on one line: ``A — 配偶为 — B — 持股60% — C`` (``lang="en"``: ``A — spouse of — B — 60%
    shareholder of — C``)."""
    lang = _lang(lang)
    posts, issuers = _context(store, path, lang)
    issuing = {n for lk in path.links if lk.type == "ISSUED_BY" for n in (lk.start, lk.end)}
    parts = [_describe(path.nodes[0], posts, issuers, issuer=path.nodes[0].id not in issuing, lang=lang)]
    for i, link in enumerate(path.links):
        node = path.nodes[i + 1]
        parts += [
            _phrase(link, link.start == path.nodes[i].id, lang),
            _describe(node, posts, issuers, issuer=node.id not in issuing, lang=lang),
        ]
    return " — ".join(parts)
