"""The bidder graph: companies linked by co-bidding and by identifiers they share.

Two bidders are linked when they bid in the same tenders (co-bidding) or when
the registry and the bid records show them sharing something that competitors
should not share.  China's 招标投标法实施条例 (art. 40) deems bids collusive
when different bidders' documents were prepared by the same person, their bid
business was handled by the same person, their documents are identical or mixed
up, or their bid bonds came from the same account; art. 39 and the courts add
common control (same legal representative, shareholders, executives) and
common contact details.  Each of those is a *signal*:

============== ===== ==================================================================
signal         weight  what the two companies share (source)
============== ===== ==================================================================
``co_bid``       1.0 a tender both bid in (bids); see below for the per-tender share
``phone``        2.0 the registered phone number (companies)
``address``      1.0 the registered address (companies) — business parks make it weak
``legal_rep``    3.0 the legal representative (companies)
``shareholder``  2.0 a shareholder: person, company or unit (shareholders)
``executive``    1.5 a director, supervisor or manager (executives)
``doc_hash``     4.0 an identical bid-document file (bids; art. 40 (四)(五))
``mac``          3.0 the MAC address the bid document was uploaded from (bids)
``ip``           2.0 the IP address the bid document was uploaded from (bids)
``doc_author``   1.0 the bid document's author name (bids; art. 40 (一); names collide)
``bond_account`` 4.0 the account the bid bond was paid from (bids; art. 40 (六))
``agent``        3.0 the agent who handled the bid (bids; art. 40 (二))
============== ===== ==================================================================

How much one shared value weighs falls with how many bidders hold it, so that
an address shared by the 30 tenants of a business park, or a state shareholder
of many companies, does not glue them together: a value held by ``n`` bidders
adds ``weight / (n - 1)`` to each of their pairs (every holder gets at most
``weight`` in total from one value, Newman's collaboration weighting).  Values
held by more than ``max_holders`` bidders are dropped as not identifying.  A
tender with ``n`` bidders likewise adds ``co_bid / (n - 1)`` to each pair of its
bidders, so every bid a company makes is worth ``co_bid`` spread over its
competitors, and companies that meet again and again pile up weight.

One person can link a pair through several roles (legal representative *and*
executive *and* agent): the pair keeps every signal by name, but the person
counts once, at the strongest of their roles.  The edge weight is the co-bid
weight plus the sum over shared values.

Example
-------
>>> import pandas as pd
>>> bids = pd.DataFrame({"tender": ["T1", "T1", "T2", "T2"], "company": ["A", "B", "A", "B"],
...                      "price": [100.0, 101.0, 200.0, 203.0]})
>>> ids = pd.DataFrame({"company": ["A", "B"], "signal": ["phone", "phone"], "value": ["0512-1", "0512-1"]})
>>> bg = BidderGraph.from_frames(bids, ids)
>>> bg.edges[["a", "b", "weight", "tenders", "signals"]].to_dict("records")
[{'a': 'A', 'b': 'B', 'weight': 4.0, 'tenders': 2, 'signals': ('co_bid', 'phone')}]
>>> g = bg.igraph()
>>> g.vcount(), g.ecount(), g.es[0]["weight"]
(2, 1, 4.0)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import igraph as ig
    import networkx as nx

    from graphkit.stores.base import GraphStore

__all__ = [
    "WEIGHTS",
    "SIGNALS",
    "IDENTIFIER_SIGNALS",
    "BID_SIGNALS",
    "REGISTRY_SIGNALS",
    "SIGNAL_WORDS",
    "BidderGraph",
    "build_bidder_graph",
    "read_bids",
    "sorted_tuples",
    "bidder_graph",
]

log = logging.getLogger("graphkit.collusion")

#: Default weight of each signal (see the module docstring for why).
WEIGHTS: dict[str, float] = {
    "co_bid": 1.0,
    "phone": 2.0,
    "address": 1.0,
    "legal_rep": 3.0,
    "shareholder": 2.0,
    "executive": 1.5,
    "doc_hash": 4.0,
    "mac": 3.0,
    "ip": 2.0,
    "doc_author": 1.0,
    "bond_account": 4.0,
    "agent": 3.0,
}
#: signals read from the business registry (query ``collusion/company_identifiers``)
REGISTRY_SIGNALS: tuple[str, ...] = ("phone", "address", "legal_rep", "shareholder", "executive")
#: signals read from the bid records (query ``collusion/bids``)
BID_SIGNALS: tuple[str, ...] = ("doc_hash", "mac", "ip", "doc_author", "bond_account", "agent")
IDENTIFIER_SIGNALS: tuple[str, ...] = REGISTRY_SIGNALS + BID_SIGNALS
SIGNALS: tuple[str, ...] = ("co_bid",) + IDENTIFIER_SIGNALS

#: What a signal's value is, in words (singular) — for reasons an analyst reads.
SIGNAL_WORDS: dict[str, str] = {
    "co_bid": "tender",
    "phone": "phone number",
    "address": "registered address",
    "legal_rep": "legal representative",
    "shareholder": "shareholder",
    "executive": "executive",
    "doc_hash": "bid-document file (same hash)",
    "mac": "bid-upload MAC address",
    "ip": "bid-upload IP address",
    "doc_author": "bid-document author",
    "bond_account": "bid-bond paying account",
    "agent": "bid agent",
}

#: The entity a value names: one party reached through several roles counts once per pair.  Shareholders
#: may be companies or units too; their credit codes never collide with ID numbers, so one namespace serves.
_ENTITY = {"legal_rep": "party", "shareholder": "party", "executive": "party", "agent": "party"}


@dataclass
class BidderGraph:
    """Bidders, their weighted links and the evidence behind each link.

    Attributes
    ----------
    companies : DataFrame
        One row per bidder, indexed by credit code: ``name``, ``bids``, ``wins``.
    edges : DataFrame
        One row per linked pair (``a`` < ``b``): ``weight``, ``tenders`` (tenders in common),
        ``cobid_weight``, ``signals`` (tuple of signal names, sorted as :data:`SIGNALS`),
        ``evidence`` (dict signal → tuple of shared values; for ``co_bid`` the tenders) and one
        ``w_<signal>`` column per signal.
    bids : DataFrame
        The bids the graph was built from (query ``collusion/bids`` or the frame given).
    identifiers : DataFrame
        ``company, signal, value, holders``: every identifier of a bidder and how many bidders hold it.
    dropped : DataFrame
        ``signal, value, holders`` of values held by more than ``max_holders`` bidders (not used).
    weights : dict
        The signal weights used.
    max_holders : int
    holder_names : dict
        A shared value → the name of the person or company it is (a legal representative, a shareholder, an
        executive, a bid agent), where the frames give one: what a drawing of the shared value is captioned with.
    """

    companies: pd.DataFrame
    edges: pd.DataFrame
    bids: pd.DataFrame
    identifiers: pd.DataFrame
    dropped: pd.DataFrame
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    max_holders: int = 50
    holder_names: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ building
    @classmethod
    def from_frames(
        cls,
        bids: pd.DataFrame,
        identifiers: pd.DataFrame | None = None,
        *,
        weights: Mapping[str, float] | None = None,
        max_holders: int = 50,
    ) -> BidderGraph:
        """Build from a bid table and a registry-identifier table.

        Parameters
        ----------
        bids : DataFrame
            One row per bid; needs ``tender`` and ``company``; used when present: ``company_name``,
            ``is_winner`` and the bid-level signal columns ``doc_hash, mac, ip, doc_author, bond_account,
            agent`` (empty values are ignored).
        identifiers : DataFrame, optional
            ``company, signal, value`` rows for the registry signals (:data:`REGISTRY_SIGNALS`).
        weights : mapping, optional
            Overrides of :data:`WEIGHTS` (a weight of 0 drops the signal).
        max_holders : int
            Values held by more bidders than this are dropped as not identifying.
        """
        w = dict(WEIGHTS)
        if weights:
            unknown = set(weights) - set(WEIGHTS)
            if unknown:
                raise ValueError(f"unknown signal(s) {sorted(unknown)}; known: {', '.join(SIGNALS)}")
            w.update({k: float(v) for k, v in weights.items()})
        if any(v < 0 for v in w.values()):
            raise ValueError("signal weights must be non-negative")
        if max_holders < 2:
            raise ValueError("max_holders must be at least 2")
        missing = {"tender", "company"} - set(bids.columns)
        if missing:
            raise ValueError(f"bids lack column(s) {sorted(missing)}")
        bids = bids.reset_index(drop=True)
        companies = _companies(bids)
        ident = _identifier_rows(bids, identifiers, set(companies.index))
        ident, dropped = _count_holders(ident, max_holders)
        parts = [_cobid_pairs(bids, w["co_bid"])] if w["co_bid"] > 0 else []
        parts.append(_identifier_pairs(ident, w))
        edges = _edges(parts)
        return cls(
            companies=companies,
            edges=edges,
            bids=bids,
            identifiers=ident,
            dropped=dropped,
            weights=w,
            max_holders=max_holders,
            holder_names=_holder_names(bids, identifiers),
        )

    # ------------------------------------------------------------ views
    @property
    def signals(self) -> tuple[str, ...]:
        """The signals the graph weighs, in the order of :data:`SIGNALS`."""
        return SIGNALS

    def igraph(self, *, attributes: bool = True) -> ig.Graph:
        """An undirected weighted :class:`igraph.Graph`, one vertex per bidder.

        Vertex attributes: ``name`` (credit code), ``company_name``, ``bids``, ``wins``; edge attributes:
        ``weight``, ``tenders``, ``signals`` (list), ``evidence`` (dict) and ``w_<signal>``. ``attributes=False``:
        ``name`` and ``weight`` alone, what community detection reads (:func:`graphkit.collusion.kg.score_store`;
        the others were built for 600,000 edges at a million persons and copied into every subgraph it splits)."""
        import igraph as ig

        names = self.companies.index.tolist()
        pos = {n: i for i, n in enumerate(names)}
        e = self.edges
        g = ig.Graph(n=len(names), edges=list(zip(e["a"].map(pos).tolist(), e["b"].map(pos).tolist(), strict=True)))
        g.vs["name"] = names
        if not attributes:
            g.es["weight"] = e["weight"].tolist()
            return g
        g.vs["company_name"] = self.companies["name"].tolist()
        g.vs["bids"] = self.companies["bids"].tolist()
        g.vs["wins"] = self.companies["wins"].tolist()
        g.es["weight"] = e["weight"].tolist()
        g.es["tenders"] = e["tenders"].tolist()
        g.es["signals"] = [list(s) for s in e["signals"]]
        g.es["evidence"] = e["evidence"].tolist()
        for s in SIGNALS:
            g.es[f"w_{s}"] = e[f"w_{s}"].tolist()
        return g

    def networkx(self) -> nx.Graph:
        """The same graph as an undirected :class:`networkx.Graph` keyed by credit code."""
        import networkx as nx

        g = nx.Graph()
        for cid, row in self.companies.iterrows():
            g.add_node(cid, company_name=row["name"], bids=int(row["bids"]), wins=int(row["wins"]))
        cols = ["weight", "tenders", "signals", "evidence", *(f"w_{s}" for s in SIGNALS)]
        for a, b, *vals in self.edges[["a", "b", *cols]].itertuples(index=False, name=None):
            attrs = dict(zip(cols, vals, strict=True))
            attrs["signals"] = list(attrs["signals"])
            g.add_edge(a, b, **attrs)
        return g

    def pair(self, a: str, b: str) -> dict[str, Any] | None:
        """The edge between two bidders as a dict, or None."""
        a, b = sorted((a, b))
        hit = self.edges[(self.edges["a"] == a) & (self.edges["b"] == b)]
        return None if hit.empty else hit.iloc[0].to_dict()


# ------------------------------------------------------------------ store
def build_bidder_graph(
    store: GraphStore,
    *,
    weights: Mapping[str, float] | None = None,
    max_holders: int = 50,
    progress: Callable[[str], None] | None = None,
) -> BidderGraph:
    """Read bids and registry identifiers from a store and build the bidder graph; ``progress`` is called with
    ``reading the store`` and ``bidder links`` as each starts.

    Runs ``queries/collusion/bids.cypher`` (:func:`read_bids`) and ``queries/collusion/company_identifiers.cypher``.

    Example
    -------
    >>> from graphkit.stores import open_store  # doctest: +SKIP
    >>> bg = build_bidder_graph(open_store("embedded:city.db"))  # doctest: +SKIP
    >>> g = bg.igraph()  # doctest: +SKIP
    """
    step = progress or (lambda name: None)
    step("reading the store")
    bids = read_bids(store)
    identifiers = store.query("collusion/company_identifiers")
    step("bidder links")
    return BidderGraph.from_frames(bids, identifiers, weights=weights, max_holders=max_holders)


def read_bids(store: GraphStore) -> pd.DataFrame:
    """Every bid (query ``collusion/bids``), in the query's order (tender, bid): read as the store reads a large
    query best (the embedded store a range of tenders at a time, :meth:`graphkit.stores.base.GraphStore.query`)."""
    return store.query("collusion/bids")


def bidder_graph(
    store: GraphStore, *, kind: str = "igraph", weights: Mapping[str, float] | None = None, max_holders: int = 50
) -> ig.Graph | nx.Graph:
    """The bidder graph of a store as an igraph ``Graph`` (``kind="igraph"``) or networkx ``Graph``."""
    if kind not in ("igraph", "networkx"):
        raise ValueError(f"kind must be 'igraph' or 'networkx', not {kind!r}")
    bg = build_bidder_graph(store, weights=weights, max_holders=max_holders)
    return bg.igraph() if kind == "igraph" else bg.networkx()


# ------------------------------------------------------------------ internals
def _present(s: pd.Series) -> pd.Series:
    return s.notna() & (s.astype("string").str.strip().fillna("") != "")


def _companies(bids: pd.DataFrame) -> pd.DataFrame:
    win = bids["is_winner"].fillna(False).astype(bool) if "is_winner" in bids else pd.Series(False, index=bids.index)
    name = bids["company_name"] if "company_name" in bids else pd.Series(pd.NA, index=bids.index, dtype="string")
    out = pd.DataFrame({"company": bids["company"].astype(str), "name": name.astype("string"), "win": win})
    g = out.groupby("company", sort=True)
    return pd.DataFrame({"name": g["name"].first(), "bids": g.size().astype(int), "wins": g["win"].sum().astype(int)})


def _identifier_rows(bids: pd.DataFrame, identifiers: pd.DataFrame | None, bidders: set[str]) -> pd.DataFrame:
    rows = []
    for s in BID_SIGNALS:
        if s in bids:
            m = _present(bids[s])
            rows.append(
                pd.DataFrame(
                    {
                        "company": bids.loc[m, "company"].astype(str),
                        "signal": s,
                        "value": bids.loc[m, s].astype(str).str.strip(),
                    }
                )
            )
    if identifiers is not None and len(identifiers):
        missing = {"company", "signal", "value"} - set(identifiers.columns)
        if missing:
            raise ValueError(f"identifiers lack column(s) {sorted(missing)}")
        unknown = set(identifiers["signal"]) - set(REGISTRY_SIGNALS)
        if unknown:
            raise ValueError(f"unknown registry signal(s) {sorted(unknown)}; known: {', '.join(REGISTRY_SIGNALS)}")
        m = _present(identifiers["value"]) & identifiers["company"].astype(str).isin(bidders)
        sub = identifiers.loc[m, ["company", "signal", "value"]]
        rows.append(
            pd.DataFrame(
                {
                    "company": sub["company"].astype(str),
                    "signal": sub["signal"].astype(str),
                    "value": sub["value"].astype(str).str.strip(),
                }
            )
        )
    if not rows:
        return pd.DataFrame(
            {"company": pd.Series(dtype=str), "signal": pd.Series(dtype=str), "value": pd.Series(dtype=str)}
        )
    return pd.concat(rows, ignore_index=True).drop_duplicates().reset_index(drop=True)


def _holder_names(bids: pd.DataFrame, identifiers: pd.DataFrame | None) -> dict[str, str]:
    """Value → name of the person or company it is, from the registry's ``name`` and the bids' ``agent_name``."""
    pairs = []
    if identifiers is not None and "name" in identifiers:
        pairs.append(identifiers[["value", "name"]])
    if "agent" in bids and "agent_name" in bids:
        pairs.append(bids[["agent", "agent_name"]].set_axis(["value", "name"], axis=1))
    out: dict[str, str] = {}
    for frame in pairs:
        ok = _present(frame["value"]) & _present(frame["name"])
        for v, n in zip(frame.loc[ok, "value"].astype(str).str.strip(), frame.loc[ok, "name"].astype(str), strict=True):
            out.setdefault(v, n)
    return out


def _count_holders(ident: pd.DataFrame, max_holders: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    ident = ident.copy()
    ident["holders"] = ident.groupby(["signal", "value"])["company"].transform("size").astype(int)
    over = ident["holders"] > max_holders
    dropped = (
        ident.loc[over, ["signal", "value", "holders"]]
        .drop_duplicates()
        .sort_values(["holders", "signal", "value"], ascending=[False, True, True])
        .reset_index(drop=True)
    )
    if len(dropped):
        log.info("bidder graph: %d identifier values held by more than %d bidders dropped", len(dropped), max_holders)
    return ident.loc[~over].reset_index(drop=True), dropped


def _pairs(frame: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """All unordered pairs a < b of ``company`` within each group (rows must be unique per group and company)."""
    sub = frame[frame.groupby(group)["company"].transform("size") > 1]
    m = sub.merge(sub, on=group, suffixes=("_a", "_b"))
    return m[m["company_a"] < m["company_b"]].rename(columns={"company_a": "a", "company_b": "b"})


def sorted_tuples(frame: pd.DataFrame, by: list[str], col: str, *, unique: bool = False) -> pd.Series:
    """``frame.groupby(by)[col].agg(lambda v: tuple(sorted(set(v) if unique else v)))`` without a Python call
    per group: one sort, then each group's slice of a list (a million-person city has hundreds of thousands of
    groups, and the lambda took most of ``collusion score``'s bidder graph).  Groups in ``groupby``'s order,
    rows with a missing key dropped as it drops them.

    >>> f = pd.DataFrame({"a": ["x", "y", "x", "x"], "v": ["2", "1", "1", "2"]})
    >>> sorted_tuples(f, ["a"], "v").to_dict(), sorted_tuples(f, ["a"], "v", unique=True).to_dict()
    ({'x': ('1', '2', '2'), 'y': ('1',)}, {'x': ('1', '2'), 'y': ('1',)})
    """
    f = frame[[*by, col]].dropna(subset=by)
    if unique:
        f = f.drop_duplicates()
    f = f.sort_values([*by, col], kind="stable")
    group = f.groupby(by, sort=False).ngroup().to_numpy()
    starts = np.flatnonzero(np.diff(group, prepend=-1)).tolist()
    ends = [*starts[1:], len(group)] if starts else []
    values = f[col].tolist()
    keys = f[by].iloc[starts]
    index = pd.Index(keys[by[0]], name=by[0]) if len(by) == 1 else pd.MultiIndex.from_frame(keys)
    return pd.Series([tuple(values[a:b]) for a, b in zip(starts, ends, strict=True)], index=index, name=col)


def _cobid_pairs(bids: pd.DataFrame, weight: float) -> pd.DataFrame:
    tb = bids[["tender", "company"]].astype(str).drop_duplicates()
    tb["n"] = tb.groupby("tender")["company"].transform("size")
    p = _pairs(tb, ["tender"])
    p["share"] = weight / (p["n_a"] - 1)
    g = p.groupby(["a", "b"], sort=False).agg(tenders=("tender", "size"), w_co_bid=("share", "sum")).reset_index()
    common = sorted_tuples(p, ["a", "b"], "tender")
    g["common"] = common.reindex(pd.MultiIndex.from_frame(g[["a", "b"]])).to_numpy()
    return g


def _identifier_pairs(ident: pd.DataFrame, w: Mapping[str, float]) -> pd.DataFrame:
    cols = ["a", "b", "signal", "value", "entity", "w"]
    if ident.empty:
        return pd.DataFrame(columns=cols)
    ident = ident[ident["signal"].map(w).fillna(0) > 0]
    p = _pairs(ident.rename(columns={"holders": "n"}), ["signal", "value"])
    if p.empty:
        return pd.DataFrame(columns=cols)
    p = p.rename(columns={"n_a": "n"})
    p["w"] = p["signal"].map(w).astype(float) / (p["n"] - 1)
    p["entity"] = p["signal"].map(_ENTITY).fillna(p["signal"]) + ":" + p["value"]
    return p[cols]


def _edges(parts: list[pd.DataFrame]) -> pd.DataFrame:
    cobid = parts[0] if len(parts) == 2 else None
    ip = parts[-1]
    # one entity per pair counts once, at its strongest role; its weight is booked to that role's signal. Two roles
    # of equal weight (a legal representative of three bidders is one of two as an executive: 3/2 = 1.5/1) go to
    # the first in SIGNALS, not to the first row: the registry's rows come in the store's order, which differs
    # between stores and between readings in pieces. Sorted by weight, each pair's values of a signal are summed in
    # one order whatever the rows' (equal weights commute)
    if len(ip):
        rank = ip["signal"].map({s: i for i, s in enumerate(SIGNALS)})
        best = (
            ip.assign(rank=rank)
            .sort_values(["w", "rank"], ascending=[False, True], kind="stable")
            .drop_duplicates(["a", "b", "entity"])
        )
        wcols = best.pivot_table(index=["a", "b"], columns="signal", values="w", aggfunc="sum", fill_value=0.0)
        ev = sorted_tuples(ip, ["a", "b", "signal"], "value", unique=True)
        evidence: dict[tuple[str, str], dict[str, tuple]] = {}
        for (a, b, s), vals in ev.items():
            evidence.setdefault((a, b), {})[s] = vals
        wcols.columns = [f"w_{c}" for c in wcols.columns]
        wcols = wcols.reset_index()
        wcols["evidence"] = [evidence[(a, b)] for a, b in zip(wcols["a"], wcols["b"], strict=True)]
    else:
        wcols = pd.DataFrame(columns=["a", "b", "evidence"])
    if cobid is not None and len(cobid):
        e = cobid.merge(wcols, on=["a", "b"], how="outer")
        e["evidence"] = [
            ({"co_bid": c} if isinstance(c, tuple) else {}) | (x if isinstance(x, dict) else {})
            for c, x in zip(e["common"], e["evidence"], strict=True)
        ]
        e = e.drop(columns=["common"])
    else:
        e = wcols.copy()
        e["tenders"] = 0
        e["w_co_bid"] = 0.0
    for s in SIGNALS:
        c = f"w_{s}"
        e[c] = e[c].astype(float).fillna(0.0) if c in e else 0.0
    e["tenders"] = e["tenders"].fillna(0).astype(int)
    e["cobid_weight"] = e["w_co_bid"]
    e["weight"] = e[[f"w_{s}" for s in SIGNALS]].sum(axis=1)
    e["signals"] = [tuple(s for s in SIGNALS if s in ev) for ev in e["evidence"]]
    e = e[e["weight"] > 0].sort_values(["a", "b"]).reset_index(drop=True)
    return e[["a", "b", "weight", "tenders", "cobid_weight", "signals", "evidence", *(f"w_{s}" for s in SIGNALS)]]
