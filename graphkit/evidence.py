"""Evidence graphs: what a warning or a bidder community rests on, shaped to be drawn.

* :func:`warning_graph` — a warning's entities, the stored links among them, and what joins them that the
  model looked at: identifiers two of its companies share (phone, address, legal representative,
  shareholder, and on their bids the agent and the bond account), the bids (folded into one
  company → tender link per bid, carrying its price), and every link whose source row the warning cites
  (the GPS stop of a fuel anomaly). A bid-rigging ring is drawn as a ring, an official's relative chain
  with its tender, a fuel anomaly with its card, vehicle, transaction (station) and GPS stop.
* :func:`community_graph` — a bidder community from the collusion scores: one node per company, the
  co-bidding of each pair as one weighted link (the number of tenders both bid in, never one node per
  bid), and each identifier two members share as one node linked to its holders.
* :func:`fold` — low-information nodes (salary and benefit rows, payments, fuel transactions …) of the
  same kind hanging off the same node are folded into one node ("24 工资发放": rows of a label with a
  ``fold_by`` property in nodes.yaml, a Benefit's ``kind``, are folded by it and named by it), whose
  ``members`` list what it holds; :func:`unfold` puts them back.

Every graph is a networkx ``MultiDiGraph`` keyed by natural key, as :meth:`GraphStore.subgraph` gives; the
synthetic links carry ``type`` ``BID`` (a folded bid), ``CO_BID`` or ``SHARED`` and their source rows.

Example
-------
>>> from graphkit.rules.ledger import Ledger                        # doctest: +SKIP
>>> w = Ledger("c.db.ledger.sqlite").get("W1a2b3c4d5e6f")      # doctest: +SKIP
>>> g = warning_graph(store, w)                                # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from graphkit.model import Model
from graphkit.stores.base import induced

if TYPE_CHECKING:  # pragma: no cover
    from graphkit.collusion.kg import KGScores
    from graphkit.stores.base import GraphStore

__all__ = ["warning_graph", "community_graph", "fold", "unfold", "LOW_INFORMATION", "SYNTHETIC_TYPES", "FOLD_AT"]

#: labels whose nodes say little one by one (a salary row, a payment): folded when many hang off one node
LOW_INFORMATION = ("Benefit", "Payment", "LabourPayment", "FuelTransaction", "Invoice", "ReceptionExpense", "Bid")
#: fold a kind hanging off one node when there are at least this many
FOLD_AT = 5
#: link types drawn but not stored (made here, and PAID by a portrait's map): (Chinese, English) names
SYNTHETIC_TYPES = {
    "BID": ("投标", "bid"),
    "CO_BID": ("共同投标", "bid together"),
    "SHARED": ("共用", "shares"),
    "FOLDED": ("归并", "folded"),
    "PAID": ("付款", "paid"),
}
#: which neighbours of a warning's entities may join it (identifiers, bids, people and places)
_JOINERS = ("Phone", "Address", "BankAccount", "Person", "Company", "Bid", "Place", "Tender")
#: entity labels whose neighbours are looked at (a unit's are its whole staff: never)
_EXPAND = ("Company", "Tender", "Person", "Vehicle", "FuelCard", "FuelTransaction", "Bid", "Contract")
#: bidder-graph signals → label of the shared value's node
_SIGNAL_LABELS = {
    "phone": "Phone",
    "address": "Address",
    "legal_rep": "Person",
    "shareholder": "Person",
    "executive": "Person",
    "bond_account": "BankAccount",
    "agent": "Person",
    # the bid documents' own traces (no node of the model holds them: drawn as kinds of their own, named by what
    # they are): a community's reasons cited the same upload machine and author, and the drawing showed neither
    "doc_hash": "投标文件 bid document",
    "doc_author": "投标文件作者 document author",
    "mac": "上传设备 upload device",
    "ip": "上传 IP upload IP",
}
#: what a shared bid-document trace is, in the drawing's caption
_TRACE_WORDS = {
    "doc_hash": "相同文件哈希 same file hash",
    "doc_author": "文件作者 author",
    "mac": "MAC 地址",
    "ip": "IP 地址",
}


def _typed_entities(warning: Mapping[str, Any]) -> dict[str, str]:
    from graphkit.rules.ledger import TYPE_LABELS

    out = {}
    for e, t in zip(warning["entities"], warning["types"], strict=True):
        if t in TYPE_LABELS:
            out[str(e)] = TYPE_LABELS[t]
    return out


def _sources(warning: Mapping[str, Any]) -> set[tuple[str, int]]:
    out = set()
    for s in warning.get("evidence", {}).get("sources", []):
        f, _, r = str(s).rpartition(":")
        if f and r.isdigit():
            out.add((f, int(r)))
    return out


def warning_graph(store: GraphStore, warning: Mapping[str, Any]) -> nx.MultiDiGraph:
    """The evidence of one ledger warning as a graph (see the module doc).

    Parameters
    ----------
    store : GraphStore
        The store the warning was raised on.
    warning : mapping
        A warning as :meth:`graphkit.rules.ledger.Ledger.get` returns it (``entities``, ``types``, ``evidence``).

    Returns
    -------
    networkx.MultiDiGraph
        ``graph["warning"]`` holds the warning id, ``graph["entities"]`` its entities; nodes outside them
        carry ``joins`` (how many of its entities they touch); bids are folded into ``BID`` links.
    """
    ents = _typed_entities(warning)
    cited = _sources(warning)
    expand = [e for e, lab in ents.items() if lab in _EXPAND]
    around = store.subgraph(list(ents))
    if expand:
        around = nx.compose(store.subgraph(expand, hops=1), around)
    keep = set(ents) & set(around)
    touches: dict[str, set[str]] = defaultdict(set)
    for u, v, a in around.edges(data=True):
        for x, y in ((u, v), (v, u)):
            if x in ents and y not in ents:
                touches[y].add(x)
        if (a.get("src_file"), a.get("src_row")) in cited:
            keep.update((u, v))
    for n, who in touches.items():
        if len(who) >= 2 and around.nodes[n].get("label") in _JOINERS:
            keep.add(n)
    # identifiers on the kept bids (agent, bond account) that two or more of the entities' bids share
    # in the graph's order, not the set's (a string's hash differs from one process to the next, and so did
    # the drawing of the same warning)
    bids = [n for n in around if n in keep and around.nodes[n].get("label") == "Bid"]
    if bids:
        on_bids = store.subgraph(bids, hops=1)
        holders: dict[str, set[str]] = defaultdict(set)
        for u, v, a in on_bids.edges(data=True):
            if a.get("type") in ("BID_AGENT", "BOND_PAID_FROM"):
                holders[v].add(u)
        extra = [n for n, bs in holders.items() if len(bs) >= 2]
        around = nx.compose(around, induced(on_bids, bids + extra))
        keep.update(extra)
    g = induced(around, keep)
    g.graph.update(warning=warning.get("id"), entities=list(ents))
    for n in g:
        g.nodes[n]["entity"] = n in ents
        if n not in ents:
            g.nodes[n]["joins"] = len(touches.get(n, ()))
    return _fold_bids(g)


def _fold_bids(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Each Bid node becomes one ``BID`` link company → tender (price, winner, source row of the bid); an
    agent or bond account on the bid links to the company instead, naming the tender."""
    bids = [n for n, a in g.nodes(data=True) if a.get("label") == "Bid"]
    for b in bids:
        ba = g.nodes[b]
        company = next((v for _, v, a in g.out_edges(b, data=True) if a.get("type") == "SUBMITTED_BY"), None)
        tender = next((v for _, v, a in g.out_edges(b, data=True) if a.get("type") == "BID_FOR"), None)
        if company is None or tender is None:
            continue
        src = next(a for _, v, a in g.out_edges(b, data=True) if v == company)
        g.add_edge(
            company,
            tender,
            key=f"bid:{b}",
            id=f"bid:{b}",
            type="BID",
            bid=b,
            price=ba.get("price"),
            is_winner=ba.get("is_winner"),
            src_file=src.get("src_file"),
            src_row=src.get("src_row"),
        )
        for _, v, a in list(g.out_edges(b, data=True)):
            if a.get("type") in ("BID_AGENT", "BOND_PAID_FROM"):
                key = f"{a['type']}:{company}:{v}"  # one link per company and agent/account, counting its bids
                if g.has_edge(company, v, key=key):
                    d = g.edges[company, v, key]
                    d["bids"] += 1
                    d["tenders"] = sorted({*d["tenders"], tender})
                else:
                    g.add_edge(company, v, key=key, **{**a, "id": key, "bids": 1, "tenders": [tender]})
        g.remove_node(b)
    return g


def community_graph(scores: KGScores, community: int, *, tenders: bool = False) -> nx.MultiDiGraph:
    """One bidder community: companies, their co-bidding as weighted links, the identifiers they share.

    Parameters
    ----------
    scores : KGScores
        :func:`graphkit.collusion.kg.score_store`'s result.
    community : int
        A community id (an index of ``scores.communities``).
    tenders : bool, default False
        Also draw the tenders where two or more members bid (each member's bid one ``BID`` link).

    Returns
    -------
    networkx.MultiDiGraph
        Company nodes (``name``, ``risk``, ``bids``, ``wins``); ``CO_BID`` links with ``weight`` and
        ``tenders`` (tenders both bid in); a node per shared value (phone, address, person, account) with a
        ``SHARED`` link from each member holding it (``signal`` names how).
    """
    part = scores.partition
    if int(community) not in {c.id for c in part.communities}:
        raise KeyError(f"no community {community!r} (the partition has {len(part.communities)})")
    members = list(part.communities[int(community)].members)
    bg = scores.graph
    g = nx.MultiDiGraph(community=int(community))
    bidders = scores.bidders
    for m in members:
        row = bidders.loc[m] if m in bidders.index else None
        g.add_node(
            m,
            label="Company",
            name=None if row is None else row.get("name"),
            risk=None if row is None else float(row["risk"]),
            bids=None if row is None else _int(row.get("bids")),
            wins=None if row is None else _int(row.get("wins")),
        )
    inside = set(members)
    e = bg.edges[bg.edges["a"].isin(inside) & bg.edges["b"].isin(inside)]
    for a, b, n, w in zip(e["a"], e["b"], e["tenders"], e["weight"], strict=True):
        if n > 0:
            g.add_edge(a, b, key=f"co:{a}:{b}", type="CO_BID", tenders=int(n), weight=float(w))
    idf = bg.identifiers[bg.identifiers["company"].isin(inside)]
    idf = idf[idf["signal"].isin(list(_SIGNAL_LABELS))]
    for (signal, value), grp in idf.groupby(["signal", "value"], sort=True):
        holders = sorted(set(grp["company"]))
        if len(holders) < 2:
            continue
        node = str(value)
        if node not in g:  # a shared person by name (a bid agent, a legal representative), as the Explorer shows one
            name = bg.holder_names.get(node)
            if signal in _TRACE_WORDS:
                name = f"{_TRACE_WORDS[signal]} {node}"
            g.add_node(node, label=_SIGNAL_LABELS[signal], name=name, signal=signal)
        for h in holders:
            g.add_edge(h, node, key=f"{signal}:{h}:{node}", type="SHARED", signal=signal)
    if tenders:
        b = bg.bids[bg.bids["company"].astype(str).isin(inside)]
        per = b.groupby("tender")["company"].nunique()
        for t, c, price in zip(b["tender"], b["company"], b["price"], strict=True):
            if per.get(t, 0) >= 2:
                g.add_node(str(t), label="Tender")
                g.add_edge(str(c), str(t), key=f"bid:{c}:{t}", type="BID", price=price)
    return g


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def fold(
    g: nx.MultiDiGraph,
    *,
    labels: Iterable[str] = LOW_INFORMATION,
    at: int = FOLD_AT,
    keep: Iterable[str] = (),
    model: Model | None = None,
) -> nx.MultiDiGraph:
    """Fold low-information nodes of one kind that hang off the same nodes into a single node.

    Nodes of a label in ``labels`` (with one to three neighbours) are folded in two passes, each group only
    when it holds at least ``at`` nodes; ``keep`` are never folded. Nodes of a label with a ``fold_by``
    property in the model (a Benefit's ``kind``) are folded only with nodes of the same value: an official's
    salary rows never share a node with relief paid to a relative.

    1. nodes with the same neighbours (a person's 24 salary rows, each linked to the person and the paying
       unit) become one node linked to those neighbours;
    2. of the nodes left, those sharing one neighbour (a unit's benefit rows, each paid to another
       colleague) become one node linked to that neighbour and to each member's other neighbours, so
       every recipient stays linked.

    Returns
    -------
    networkx.MultiDiGraph
        A copy; each folded node has ``label`` (the kind), ``folded`` (how many), ``members`` (their ids),
        the ``fold_by`` property's value its members share (``kind: salary``) where the label has one,
        ``anchors`` (the nodes they hang off), ``hop`` (the least of its members', when they have one)
        and one ``FOLDED`` link to each anchor, with ``count`` (how many members that anchor links to).
    """
    kinds = set(labels)
    keep = set(keep)
    model = model or Model.default()

    def kind(n: str) -> tuple:
        """A node's label and, where the model folds its label by a property, that property's value."""
        a = g.nodes[n]
        spec = model.labels.get(a["label"])
        by = spec.fold_by if spec is not None else None
        return (a["label"], by, None if by is None else a.get(by))

    und = g.to_undirected(as_view=True)
    nbrs_of: dict[str, frozenset] = {}
    for n, a in g.nodes(data=True):
        if a.get("label") not in kinds or n in keep:
            continue
        nbrs = frozenset(set(und.neighbors(n)) - {n})
        if 0 < len(nbrs) <= 3:
            nbrs_of[n] = nbrs
    groups: dict[tuple, list[str]] = defaultdict(list)
    for n, nbrs in nbrs_of.items():
        groups[(nbrs, kind(n))].append(n)
    chosen = [(k, members) for (_, k), members in groups.items() if len(members) >= at]
    # second pass: what is left, grouped by the neighbour most of its kind share (ties: the smallest id)
    left = [n for (_, _k), members in groups.items() if len(members) < at for n in members]
    shared: dict[tuple, int] = defaultdict(int)
    for n in left:
        for m in nbrs_of[n]:
            shared[(kind(n), m)] += 1
    hubs: dict[tuple, list[str]] = defaultdict(list)
    for n in left:
        k = kind(n)
        hub = min(nbrs_of[n], key=lambda m: (-shared[(k, m)], str(m)))
        hubs[(k, hub)].append(n)
    chosen += [(k, members) for (k, _hub), members in hubs.items() if len(members) >= at]
    out = g.copy()
    for (label, by, value), members in chosen:
        fid = f"folded:{label}:{min(members)}"
        count: dict = defaultdict(int)
        for m in members:
            for a in nbrs_of[m]:
                count[a] += 1
        out.remove_nodes_from(members)
        out.add_node(fid, label=label, folded=len(members), members=sorted(members), anchors=sorted(count, key=str))
        if by is not None and value is not None:
            out.nodes[fid][by] = value
        hops = [g.nodes[m]["hop"] for m in members if g.nodes[m].get("hop") is not None]
        if hops:  # as near the seeds as its nearest member (drawings keep the nearest nodes first)
            out.nodes[fid]["hop"] = min(hops)
        for anchor in sorted(count, key=str):
            out.add_edge(anchor, fid, key=f"{fid}:{anchor}", id=f"{fid}:{anchor}", type="FOLDED", count=count[anchor])
    return out


def unfold(folded: nx.MultiDiGraph, full: nx.MultiDiGraph, node: str) -> nx.MultiDiGraph:
    """Put a folded node's members back (from ``full``, the graph before :func:`fold`)."""
    a = folded.nodes[node]
    members = a.get("members")
    if not members:
        raise KeyError(f"{node!r} is not a folded node")
    out = folded.copy()
    out.remove_node(node)
    for m in members:
        out.add_node(m, **full.nodes[m])
    for u, v, k, d in full.edges(members, keys=True, data=True):
        if u in out and v in out:
            out.add_edge(u, v, key=k, **d)
    for u, v, k, d in full.in_edges(members, keys=True, data=True):
        if u in out and v in out and not out.has_edge(u, v, key=k):
            out.add_edge(u, v, key=k, **d)
    return out
