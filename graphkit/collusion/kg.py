"""Collusion risk on the knowledge graph: tenders, bidders and bidder communities, each with reasons.

The scores combine the statistical screens of each tender's bids
(:mod:`graphkit.collusion.screens`) with what only the graph knows: who shares
a phone, an account or a bid-document with whom, which bidders form a community,
and whether the winner rotates inside it.  No label is learnt here: every score
is a fixed, documented combination of evidence, so that it means the same on any
store and an analyst can retrace it.

Tender evidence (each in [0, 1]) and its weight
-----------------------------------------------

============== ====== ===========================================================================
term           weight what it measures
============== ====== ===========================================================================
``screens``    0.6    bids unusually close together: the coefficient of variation (CV) against
                      the CV of the other tenders of the same category in the store (the market),
                      as a robust z-score of log CV; 0 at z ≥ −1, 1 at z ≤ −3 (needs ≥ 3 bids)
``cover_bids`` 0.6    losing bids 0.5-3% above the winning price: share of losing bids in that
                      band, halved when only one is
``shared_ids`` 0.7    bidders sharing identifiers (registry ones; bid-document, bond and agent ones
                      on their bids in this tender): per shared value (phone, account, person…),
                      (bidders holding it / bidders) × (those bidders / all bidders holding it
                      anywhere) × signal strength (the bidder-graph weight / 3, at most 1);
                      combined over values as 1 − ∏(1 − s)
``rotation``   0.5    the bidders of this tender in its dominant community meet again (tenders
                      with at least two thirds of them) and take turns winning:
                      min(1, (meetings − 1) / 4) × share won by them × distinct winners / possible
``community``  0.3    (bidders from the dominant community / bidders) × (of that community's
                      members, the share bidding here): high for a small community bidding
                      together, low for a bid inside a large ordinary one
============== ====== ===========================================================================

The tender's risk is ``1 − ∏(1 − weight × evidence)`` (a noisy-or: each term alone
can raise it, none can lower it), a score in [0, 1] rather than a calibrated
probability.  Its reasons are the terms with the largest ``weight × evidence``,
in words.  A tender of one bid has no risk (``NaN``, not 0: no term can read one bid, and a 0 would rank
it least risky), the reason "single bid" and ``single_bid`` True, so an analyst filters lone bidders, a
red flag of their own in Chinese procurement, rather than finding them at the bottom; the same rule as
``score-bids`` (:func:`graphkit.collusion.unsupervised.unscorable`).  Bidders and communities read such a
tender as risk 0, as before.

Community and bidder scores
---------------------------
A community (two members or more) scores ``1 − (1 − 0.7 e_ids)(1 − 0.5 e_rot)(1 − 0.6 e_tenders)``:
``e_ids`` the share of member pairs linked by a shared identifier, ``e_rot`` the repeated
meetings of its members (median tenders in common per co-bidding pair, ``min(1, (m − 1)/4)``)
times the share of their joint tenders a member won times the evenness of the winners, and
``e_tenders`` the mean risk of its joint tenders (tenders with two or more members making
at least half of the bids).  A bidder scores the larger of its community's risk and the mean
risk of its two riskiest tenders, a tender counting half when the bidder is an outsider there (neither in
the tender's dominant community group nor sharing an identifier with another of its bidders).

Example
-------
>>> from graphkit.stores import open_store  # doctest: +SKIP
>>> s = score_store(open_store("embedded:city.db"))  # doctest: +SKIP
>>> s.tenders[["risk", "reasons"]].head()  # doctest: +SKIP
>>> from graphkit.reports import write_collusion_reports  # doctest: +SKIP
>>> write_collusion_reports(s, "out/collusion")  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from graphkit.collusion.bidder_graph import (
    BID_SIGNALS,
    REGISTRY_SIGNALS,
    SIGNAL_WORDS,
    WEIGHTS,
    BidderGraph,
    build_bidder_graph,
    sorted_tuples,
)
from graphkit.collusion.communities import Partition, detect
from graphkit.collusion.words import bilingual

if TYPE_CHECKING:  # pragma: no cover
    from graphkit.stores.base import GraphStore

__all__ = [
    "TENDER_TERMS",
    "COVER_BAND",
    "KGScores",
    "NoBids",
    "score_store",
    "score_bidder_graph",
    "SCORE_STEPS",
    "evaluate_store",
]

#: weight of each tender evidence term in the noisy-or
TENDER_TERMS: dict[str, float] = {
    "screens": 0.6,
    "cover_bids": 0.6,
    "shared_ids": 0.7,
    "rotation": 0.5,
    "community": 0.3,
}
#: a losing bid this far above the winning price (as a fraction) is a cover bid
COVER_BAND: tuple[float, float] = (0.005, 0.03)
#: communities' evidence weights
COMMUNITY_TERMS: dict[str, float] = {"shared_ids": 0.7, "rotation": 0.5, "tenders": 0.6}
#: community detection defaults of the knowledge-graph scores (see :func:`score_store`)
REFINE: float = 0.3
MAX_SIZE: int = 100
MIN_MARKET = 30  # tenders a category needs to be its own market for the CV screen
N_REASONS = 3


@dataclass
class KGScores:
    """Scores of one knowledge graph.

    Attributes
    ----------
    tenders : DataFrame
        Indexed by tender id: ``risk`` (empty for a single bid), ``reasons``, ``single_bid``, the evidence terms
        ``e_<term>``, ``n_bids``, ``winner`` (credit code), ``winner_name``, the screens (``CV`` …),
        ``community``, ``cover_bids``…
    bidders : DataFrame
        Indexed by credit code: ``risk``, ``reasons``, ``name``, ``community``, ``bids``, ``wins``…
    communities : DataFrame
        Indexed by community id (communities of two or more): ``risk``, ``reasons``, ``size``, ``members``,
        ``method``, ``params``…
    graph : BidderGraph
    partition : Partition
    """

    tenders: pd.DataFrame
    bidders: pd.DataFrame
    communities: pd.DataFrame
    graph: BidderGraph
    partition: Partition


# ---------------------------------------------------------------------------------------------- entry points
class NoBids(ValueError):
    """A store with no bid to score."""


def score_store(
    store: GraphStore,
    *,
    method: str = "leiden",
    seed: int = 0,
    resolution: float = 1.0,
    refine: float | None = REFINE,
    max_size: int | None = MAX_SIZE,
    weights: Mapping[str, float] | None = None,
    max_holders: int = 50,
    progress: Callable[[str], None] | None = None,
) -> KGScores:
    """Build the bidder graph of a store, find its communities, score tenders, bidders and communities.

    Parameters
    ----------
    store : GraphStore
    method, seed, resolution, refine, max_size :
        Passed to :func:`graphkit.collusion.communities.detect`.  By default a community is split again
        when its own subgraph splits with modularity ≥ 0.3, and always when it has more than 100 members:
        on a large city, modularity alone merges small cartels into communities of a thousand ordinary
        bidders of the same trade (``python bench/collusion_graph.py`` shows the effect).
    weights, max_holders :
        Passed to :func:`graphkit.collusion.bidder_graph.build_bidder_graph`.
    progress : callable, optional
        Called with the name of each step as it starts (the CLI drives a progress bar with it).
    """
    step = progress or (lambda name: None)
    bg = build_bidder_graph(store, weights=weights, max_holders=max_holders, progress=step)
    if bg.bids.empty:  # said, not a pandas error about an empty frame several steps on
        raise NoBids(
            "the store holds no bids: load the procurement department's tenders and bids (tenders.csv, bids.csv) "
            "with `graphkit load`, or score a bid table with `graphkit collusion score-bids FILE`"
        )
    step("communities")
    part = detect(
        bg.igraph(attributes=False), method=method, seed=seed, resolution=resolution, refine=refine, max_size=max_size
    )
    return score_bidder_graph(bg, part, progress=step)


#: the steps of :func:`score_bidder_graph`, each named to ``progress`` as it starts (a million-person city's
#: scores take minutes: one step had been silent 150 s)
SCORE_STEPS = ("tender screens", "shared identifiers", "tender reasons", "community scores", "bidder scores", "words")


def score_bidder_graph(
    bg: BidderGraph, partition: Partition, *, progress: Callable[[str], None] | None = None
) -> KGScores:
    """Score the tenders, bidders and communities of a bidder graph partitioned into communities; ``progress``
    is called with each of :data:`SCORE_STEPS` as it starts."""
    step = progress or (lambda name: None)
    step(SCORE_STEPS[0])
    bids = _bid_frame(bg.bids)
    tenders = _tender_frame(bids)
    tenders = tenders.join(_screens(bids), how="left")
    ev = pd.DataFrame(index=tenders.index)
    ev["e_screens"], tenders["market_cv"], tenders["cv_z"] = _screen_evidence(tenders)
    cover = _cover_bids(bids, tenders)
    tenders = tenders.join(cover)
    ev["e_cover_bids"] = _cover_evidence(tenders)
    step(SCORE_STEPS[1])
    ids = _shared_ids(bids, bg)
    ev["e_shared_ids"] = ids["e"].reindex(tenders.index).fillna(0.0)
    comm = _tender_communities(bids, tenders, partition)
    tenders = tenders.join(comm)
    ev["e_community"] = tenders["e_comm"].fillna(0.0)
    ev["e_rotation"] = tenders["e_rot"].fillna(0.0)
    tenders = tenders.drop(columns=["e_comm", "e_rot"])
    contrib = pd.DataFrame({t: w * ev[f"e_{t}"] for t, w in TENDER_TERMS.items()})
    tenders["single_bid"] = tenders["n_bids"] < 2
    # one bid: no term reads it; no risk rather than 0, which would rank it least risky (module doc)
    tenders["risk"] = (1 - (1 - contrib).prod(axis=1)).where(~tenders["single_bid"])
    tenders = tenders.join(ev)
    step(SCORE_STEPS[2])
    tenders["reasons"] = _tender_reasons(tenders, contrib, ids)
    if "name" in bg.companies.columns:
        tenders.insert(
            tenders.columns.get_loc("winner") + 1, "winner_name", tenders["winner"].map(bg.companies["name"])
        )
    tenders = tenders.sort_values(["risk", "n_bids"], ascending=[False, False], kind="stable", na_position="last")
    # bidders and communities read a single bid as risk 0, as before the rule above
    scored = tenders.assign(risk=tenders["risk"].fillna(0.0))
    step(SCORE_STEPS[3])
    communities = _score_communities(bg, partition, bids, scored)
    linked = ids["linked"].to_dict() if "linked" in ids else {}
    step(SCORE_STEPS[4])
    bidders = _score_bidders(bg, partition, bids, scored, communities, linked)
    step(SCORE_STEPS[5])
    front = ["risk", "reasons", "single_bid"]
    # reasons in Chinese, the English kept last as reasons_en (graphkit.collusion.words)
    return KGScores(
        tenders=bilingual(tenders[front + [c for c in tenders.columns if c not in front]]),
        bidders=bilingual(bidders),
        communities=bilingual(communities),
        graph=bg,
        partition=partition,
    )


# ---------------------------------------------------------------------------------------------- frames
def _bid_frame(bids: pd.DataFrame) -> pd.DataFrame:
    b = pd.DataFrame(
        {
            "tender": bids["tender"].astype(str),
            "company": bids["company"].astype(str),
            "price": pd.to_numeric(bids["price"], errors="coerce"),
        }
    )
    b["is_winner"] = bids["is_winner"].fillna(False).astype(bool) if "is_winner" in bids else False
    for c in ("company_name", "category", "publish_date", "budget"):
        b[c] = bids[c].values if c in bids else pd.NA
    return b


def _tender_frame(bids: pd.DataFrame) -> pd.DataFrame:
    g = bids.groupby("tender", sort=True)
    t = pd.DataFrame(
        {
            "n_bids": g.size().astype(int),
            "category": g["category"].first(),
            "publish_date": g["publish_date"].first(),
            "budget": g["budget"].first(),
        }
    )
    w = bids[bids["is_winner"]]
    nw = w.groupby("tender").size()
    one = w[w["tender"].map(nw) == 1].set_index("tender")
    t["winner"] = one["company"].reindex(t.index)
    t["win_price"] = one["price"].reindex(t.index)
    return t


def _screens(bids: pd.DataFrame) -> pd.DataFrame:
    """The seven screens of every tender (:mod:`graphkit.collusion.screens`), indexed by tender."""
    from graphkit.collusion.screens import SCREENS, tender_screens

    b = bids[bids["price"].notna()]
    return tender_screens(b, tender="tender", bid="price")[list(SCREENS)]


def _robust_z(x: pd.Series) -> pd.Series:
    med = x.median()
    mad = 1.4826 * (x - med).abs().median()
    return (x - med) / mad if mad and mad > 0 else pd.Series(0.0, index=x.index)


def _screen_evidence(t: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    cv = pd.to_numeric(t["CV"], errors="coerce") if "CV" in t else pd.Series(np.nan, index=t.index)
    ok = (t["n_bids"] >= 3) & (cv > 0)
    logcv = np.log(cv.where(ok))
    z = pd.Series(np.nan, index=t.index)
    market = pd.Series(np.nan, index=t.index)
    cat = t["category"].astype("string").fillna("")
    sizes = cat[ok].value_counts()
    big = set(sizes[sizes >= MIN_MARKET].index)
    group = cat.where(cat.isin(big), "\x00all")
    for key, idx in group[ok].groupby(group[ok]).groups.items():
        ref = logcv[ok] if key == "\x00all" else logcv[idx]
        med, mad = ref.median(), 1.4826 * (ref - ref.median()).abs().median()
        z[idx] = (logcv[idx] - med) / mad if mad > 0 else 0.0
        market[idx] = math.exp(med)
    e = ((-z - 1) / 2).clip(0, 1).fillna(0.0)
    return e, market, z


def _cover_bids(bids: pd.DataFrame, t: pd.DataFrame) -> pd.DataFrame:
    b = bids.merge(t[["win_price", "winner"]], left_on="tender", right_index=True)
    b = b[b["win_price"].notna() & ~b["is_winner"]]
    gap = b["price"] / b["win_price"] - 1
    b = b.assign(cover=(gap >= COVER_BAND[0]) & (gap <= COVER_BAND[1]))
    g = b.groupby("tender")
    return (
        pd.DataFrame({"losers": g.size(), "cover_bids": g["cover"].sum().astype(int)})
        .reindex(t.index)
        .fillna(0)
        .astype(int)
    )


def _cover_evidence(t: pd.DataFrame) -> pd.Series:
    share = (t["cover_bids"] / t["losers"].where(t["losers"] > 0)).fillna(0.0)
    return share * np.minimum(1.0, t["cover_bids"] / 2)


def _shared_ids(bids: pd.DataFrame, bg: BidderGraph) -> pd.DataFrame:
    """Per tender: evidence ``e`` and the shared values behind it (``items``: list of (k, n_bids, signal))."""
    tb = bids[["tender", "company"]].drop_duplicates()
    n = tb.groupby("tender").size().rename("n")
    if bg.identifiers.empty:
        return pd.DataFrame({"e": pd.Series(dtype=float), "items": pd.Series(dtype=object)})
    m = _shared_rows(tb, bg)
    k = m.groupby(["tender", "signal", "value"]).agg(k=("company", "size"), holders=("holders", "first")).reset_index()
    if k.empty:
        return pd.DataFrame({"e": pd.Series(dtype=float), "items": pd.Series(dtype=object)})
    linked = sorted_tuples(m, ["tender"], "company", unique=True)
    k["n"] = k["tender"].map(n)
    strength = k["signal"].map(lambda s: min(1.0, bg.weights.get(s, WEIGHTS[s]) / 3))
    k["s"] = (k["k"] / k["n"]) * (k["k"] / k["holders"]) * strength
    party = k["signal"].isin(["legal_rep", "shareholder", "executive", "agent"])
    k["entity"] = np.where(party, "party:" + k["value"], k["signal"] + ":" + k["value"])
    best = k.sort_values("s", ascending=False, kind="stable").drop_duplicates(["tender", "entity"])
    e = 1 - (1 - best["s"]).groupby(best["tender"]).prod()
    # what to say: per signal, the largest group of bidders sharing one value
    say = k.sort_values(["k", "s"], ascending=False, kind="stable").drop_duplicates(["tender", "signal"])
    items = say.groupby("tender").apply(
        lambda d: list(zip(d["k"], d["n"], d["signal"], d["s"], strict=True)), include_groups=False
    )
    return pd.DataFrame({"e": e, "items": items, "linked": linked})


def _shared_rows(tb: pd.DataFrame, bg: BidderGraph) -> pd.DataFrame:
    """``tender, company, signal, value, holders``: each bidder of a tender (``tb``) that holds a value another of
    the tender's bidders holds too. Registry identifiers belong to the company; bid-document, bond and agent
    identifiers to the bid itself, so only this tender's bids count for them. Values over the holders' cap are not
    in ``bg.identifiers``, and are left out.

    Worked out on integer codes: a million-person city's bidders hold millions of (tender, identifier) rows, of which
    a few thousand are shared, and as frames of text (the bids merged with the registry, a frame per bid signal,
    their concatenation, the test for duplicates) they had taken 900 MiB, ``collusion score``'s peak. Only the shared
    rows are made text again."""
    idf = bg.identifiers
    # a value one bidder alone holds (most phones and addresses) is never two bidders of a tender's
    idf = idf[idf["holders"] >= 2]
    sig_code, signals = pd.factorize(idf["signal"])
    val_code, values = pd.factorize(idf["value"])
    signals, values = pd.Index(signals), pd.Index(values)
    n_sig = len(signals)
    key = val_code.astype(np.int64) * n_sig + sig_code  # one integer per (signal, value)
    holders = pd.Series(idf["holders"].to_numpy(dtype=float), index=key)
    holders = holders[~holders.index.duplicated()]
    nt = len(tb)
    tender_code, tenders = pd.factorize(pd.concat([tb["tender"], bg.bids["tender"].astype(str)], ignore_index=True))
    company_code, companies = pd.factorize(
        pd.concat([tb["company"], bg.bids["company"].astype(str)], ignore_index=True)
    )
    tenders, companies = pd.Index(tenders), pd.Index(companies)
    # registry identifiers: each (tender, bidder) with every value the bidder holds in the registry
    reg = idf["signal"].isin(REGISTRY_SIGNALS).to_numpy()
    owner = companies.get_indexer(idf["company"].to_numpy()[reg])
    parts = [
        pd.DataFrame({"t": tender_code[:nt], "c": company_code[:nt]}).merge(
            pd.DataFrame({"c": owner, "i": key[reg]})[owner >= 0], on="c"
        )
    ]
    # bid identifiers: each bid's own values, where they are a bidder identifier (under the cap)
    for s in BID_SIGNALS:
        code = signals.get_indexer([s])[0]
        if s not in bg.bids or code < 0:
            continue
        col = bg.bids[s]
        at = np.flatnonzero(col.notna().to_numpy())
        text = col.iloc[at].astype(str).str.strip().to_numpy()
        v = values.get_indexer(text)
        at, i = at[v >= 0], v[v >= 0].astype(np.int64) * n_sig + code
        parts.append(pd.DataFrame({"t": tender_code[nt + at], "c": company_code[nt + at], "i": i}))
    m = pd.concat(parts, ignore_index=True).drop_duplicates()
    m = m[m["i"].isin(holders.index)]
    # only values two or more of a tender's bidders hold count: the others (nearly all) are left out before grouping
    pair = m["t"].to_numpy(dtype=np.int64) * (len(values) * n_sig) + m["i"].to_numpy()
    m = m[pd.Series(pair).duplicated(keep=False).to_numpy()]
    i = m["i"].to_numpy()
    return pd.DataFrame(
        {
            "tender": tenders.take(m["t"].to_numpy()),
            "company": companies.take(m["c"].to_numpy()),
            "signal": signals.take(i % n_sig),
            "value": values.take(i // n_sig),
            "holders": holders.reindex(i).to_numpy(),
        }
    )


def _tender_communities(bids: pd.DataFrame, t: pd.DataFrame, part: Partition) -> pd.DataFrame:
    """Dominant community per tender, the community evidence and the rotation evidence."""
    memb = part.membership
    size = {c.id: len(c) for c in part.communities}
    b = bids[["tender", "company"]].drop_duplicates()
    b = b.assign(comm=b["company"].map(memb))
    cnt = b.groupby(["tender", "comm"]).size().rename("k").reset_index()
    cnt["size"] = cnt["comm"].map(size)
    top = (
        cnt.sort_values(["tender", "k", "size"], ascending=[True, False, True], kind="stable")
        .drop_duplicates("tender")
        .set_index("tender")
    )
    out = pd.DataFrame(index=t.index)
    out["community"] = top["comm"].reindex(t.index)
    out["community_size"] = top["size"].reindex(t.index)
    out["community_bidders"] = top["k"].reindex(t.index)
    k, n, sz = out["community_bidders"], t["n_bids"], out["community_size"]
    out["e_comm"] = ((k / n) * (k / sz)).where(k >= 2, 0.0).fillna(0.0)
    # rotation: the group = this tender's bidders in its dominant community
    tenders_of = b.groupby("company")["tender"].agg(list).to_dict()
    winner = t["winner"].to_dict()
    when = t["publish_date"].to_dict()
    group_rows = b[b["comm"].values == out["community"].reindex(b["tender"]).values]
    groups = group_rows.groupby("tender")["company"].agg(tuple)
    rot = {}
    for tender, g in groups.items():
        if len(g) < 2:
            continue
        need = max(2, math.ceil(2 * len(g) / 3))
        seen: dict[str, int] = {}
        for c in g:
            for x in tenders_of[c]:
                seen[x] = seen.get(x, 0) + 1
        joint = sorted((x for x, v in seen.items() if v >= need), key=lambda x: (str(when.get(x)), x))
        gs = set(g)
        wins = [winner.get(x) for x in joint if winner.get(x) in gs]
        distinct = len(set(wins))
        changes = sum(1 for a, c in itertools.pairwise(wins) if a != c)
        possible = max(1, min(len(g), len(joint)))
        e = min(1.0, (len(joint) - 1) / 4) * (len(wins) / len(joint)) * (distinct / possible)
        rot[tender] = (len(g), len(joint), len(wins), distinct, changes, e)
    r = pd.DataFrame.from_dict(
        rot,
        orient="index",
        columns=["group", "joint_tenders", "group_wins", "distinct_winners", "winner_changes", "e_rot"],
    )
    return out.join(r)


# ---------------------------------------------------------------------------------------------- reasons
def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _n(k: int, word: str, plural: str | None = None) -> str:
    """``1 tender``, ``2 tenders``."""
    return f"{k} {word}" if k == 1 else f"{k} {plural or word + 's'}"


def _tender_reasons(t: pd.DataFrame, contrib: pd.DataFrame, ids: pd.DataFrame) -> pd.Series:
    items = ids["items"].to_dict() if "items" in ids else {}
    out = {}
    rows = t.to_dict("index")
    terms, values = list(contrib.columns), contrib.to_numpy(dtype=float)
    # each tender's terms, largest first (ties in column order, as a stable sort_values per row had them): one
    # sort of the whole table, not a Series sorted per tender
    order = np.argsort(-values, axis=1, kind="stable")
    for tender, vals, idx in zip(contrib.index, values, order, strict=True):
        r = rows[tender]
        said = []
        for j in idx:
            if vals[j] < 0.05 or len(said) >= N_REASONS:
                break
            said.append(_say_tender(terms[j], r, items.get(tender, [])))
        if r["n_bids"] < 2:
            said = ["single bid"]
        out[tender] = "; ".join(said)
    return pd.Series(out).reindex(t.index).fillna("")


def _say_tender(term: str, r: dict, items: list) -> str:
    n = int(r["n_bids"])
    if term == "screens":
        cat = r.get("category")
        where = f"{cat} tenders" if isinstance(cat, str) and cat else "tenders"
        return f"bids unusually close: CV {_pct(r['CV'])} vs {_pct(r['market_cv'])} typical of {where} here"
    if term == "cover_bids":
        return (
            f"{int(r['cover_bids'])} of {_n(int(r['losers']), 'losing bid')} priced "
            f"{_pct(COVER_BAND[0])}-{_pct(COVER_BAND[1])} above the winning price"
        )
    if term == "shared_ids":
        parts = [
            f"{k} of {nn} bidders share one {SIGNAL_WORDS[s]}"
            for k, nn, s, _ in sorted(items, key=lambda x: (-x[3], -x[0]))[:2]
        ]
        return "; ".join(parts) if parts else f"bidders share identifiers ({n} bids)"
    if term == "rotation":
        return (
            f"winner rotates: {int(r['group'])} of its bidders met in {int(r['joint_tenders'])} tenders and won "
            f"{int(r['group_wins'])}, {_n(int(r['distinct_winners']), 'different winner')}, the winner changed "
            f"{_n(int(r['winner_changes']), 'time')}"
        )
    if term == "community":
        return (
            f"{int(r['community_bidders'])} of {n} bidders belong to one bidder community "
            f"of {int(r['community_size'])} companies (community {int(r['community'])})"
        )
    raise KeyError(term)


# ---------------------------------------------------------------------------------------------- communities
def _score_communities(bg: BidderGraph, part: Partition, bids: pd.DataFrame, t: pd.DataFrame) -> pd.DataFrame:
    e = bg.edges
    memb = part.membership
    ca, cb = e["a"].map(memb), e["b"].map(memb)
    inside = e[ca.values == cb.values].assign(comm=ca[ca.values == cb.values].values)
    idsig = inside["signals"].map(lambda s: tuple(x for x in s if x != "co_bid"))
    names = bg.companies["name"].to_dict()
    b = bids[["tender", "company"]].drop_duplicates()
    b = b.assign(comm=b["company"].map(memb))
    per = b.groupby(["tender", "comm"]).size().rename("k").reset_index()
    per["n"] = per["tender"].map(t["n_bids"])
    joint = per[(per["k"] >= 2) & (2 * per["k"] >= per["n"])]
    joint_by = joint.groupby("comm")["tender"].agg(list).to_dict()
    risk_of, winner = t["risk"].to_dict(), t["winner"].to_dict()
    # each community's edges found once (positions in the table's order), not by testing every edge inside a
    # community for each community: that test took most of this step at a million persons (thousands of
    # communities × 600,000 edges)
    at = inside.groupby("comm", sort=False).indices
    none = np.array([], dtype=np.intp)
    sigs, meetings = idsig.tolist(), inside["tenders"].to_numpy()
    rows = []
    for c in part.communities:
        if len(c) < 2:
            continue
        m = set(c.members)
        pos = at.get(c.id, none)
        pairs = len(c) * (len(c) - 1) // 2
        sig = [sigs[i] for i in pos]
        id_pairs = sum(1 for x in sig if len(x) > 0)
        counts: dict[str, int] = {}
        for s in sig:
            for x in s:
                counts[x] = counts.get(x, 0) + 1
        meet = meetings[pos]
        meet = meet[meet > 0]
        med_meet = float(np.median(meet)) if len(meet) else 0.0
        jt = joint_by.get(c.id, [])
        wins = [winner.get(x) for x in jt if winner.get(x) in m]
        distinct = len(set(wins))
        e_ids = id_pairs / pairs
        e_rot = 0.0
        if len(jt) >= 3:
            e_rot = min(1.0, (med_meet - 1) / 4) * (len(wins) / len(jt)) * (distinct / min(len(c), len(jt)))
        jr = sorted((risk_of[x] for x in jt), reverse=True)
        e_ten = float(np.mean(jr)) if jr else 0.0
        contrib = {
            "shared_ids": COMMUNITY_TERMS["shared_ids"] * e_ids,
            "rotation": COMMUNITY_TERMS["rotation"] * max(0.0, e_rot),
            "tenders": COMMUNITY_TERMS["tenders"] * e_ten,
        }
        risk = 1 - math.prod(1 - v for v in contrib.values())
        said = []
        for term, v in sorted(contrib.items(), key=lambda kv: -kv[1]):
            if v < 0.05:
                break
            if term == "shared_ids":
                top = ", ".join(
                    f"{SIGNAL_WORDS[s]} ({_n(v_, 'pair')})"
                    for s, v_ in sorted(counts.items(), key=lambda kv: (-kv[1], -bg.weights[kv[0]], kv[0]))[:3]
                )
                said.append(f"{id_pairs} of {pairs} member pairs share identifiers: {top}")
            elif term == "rotation":
                said.append(
                    f"members bid together in {len(jt)} tenders and won {len(wins)}, "
                    f"{distinct} different winners; a typical pair met in {med_meet:g} tenders"
                )
            else:
                hi = sum(1 for x in jr if x >= 0.5)
                said.append(f"{hi} of its {len(jt)} joint tenders score risk ≥ 0.5 (mean {e_ten:.2f})")
        rows.append(
            {
                "community": c.id,
                "risk": risk,
                "reasons": "; ".join(said),
                "size": len(c),
                "members": " ".join(c.members),
                "member_names": "、".join(str(names.get(x, "")) for x in c.members),
                "identifier_pairs": id_pairs,
                "pairs": pairs,
                "signals": json.dumps(counts, sort_keys=True),
                "median_meetings": med_meet,
                "joint_tenders": len(jt),
                "member_wins": len(wins),
                "distinct_winners": distinct,
                "e_shared_ids": e_ids,
                "e_rotation": e_rot,
                "e_tenders": e_ten,
                "method": c.method,
                "params": json.dumps(dict(c.params), sort_keys=True),
            }
        )
    cols = [
        "community",
        "risk",
        "reasons",
        "size",
        "members",
        "member_names",
        "identifier_pairs",
        "pairs",
        "signals",
        "median_meetings",
        "joint_tenders",
        "member_wins",
        "distinct_winners",
        "e_shared_ids",
        "e_rotation",
        "e_tenders",
        "method",
        "params",
    ]
    out = pd.DataFrame(rows, columns=cols).set_index("community")
    return out.sort_values(["risk", "size"], ascending=[False, False], kind="stable")


# ---------------------------------------------------------------------------------------------- bidders
def _score_bidders(
    bg: BidderGraph,
    part: Partition,
    bids: pd.DataFrame,
    t: pd.DataFrame,
    comms: pd.DataFrame,
    linked: Mapping[str, tuple],
) -> pd.DataFrame:
    co = bg.companies.copy()
    co["community"] = co.index.map(part.membership)
    co["community_size"] = co["community"].map({c.id: len(c) for c in part.communities})
    co["community_risk"] = co["community"].map(comms["risk"]).fillna(0.0)
    b = bids[["tender", "company", "price", "is_winner"]].merge(
        t[["risk", "win_price", "community", "community_bidders"]], left_on="tender", right_index=True
    )
    # a bidder takes part in a tender's risk when it is in the tender's dominant community group or shares
    # an identifier with another of its bidders; an outsider to both counts half the tender's risk
    in_group = (b["company"].map(part.membership) == b["community"]) & (b["community_bidders"] >= 2)
    pairs = {(x, c) for x, cs in linked.items() for c in cs}
    in_ids = pd.Series([(x, c) in pairs for x, c in zip(b["tender"], b["company"], strict=True)], index=b.index)
    b["part_risk"] = b["risk"] * np.where(in_group | in_ids, 1.0, 0.5)
    # the mean of each bidder's two riskiest: one sort and two grouped passes, not a Python call per bidder
    top2 = (
        b.sort_values("part_risk", ascending=False, kind="stable")
        .groupby("company")
        .head(2)
        .groupby("company")["part_risk"]
        .mean()
    )
    co["tender_risk"] = top2.reindex(co.index).fillna(0.0)
    co["risky_tenders"] = b[b["risk"] >= 0.5].groupby("company").size().reindex(co.index).fillna(0).astype(int)
    co["max_tender_risk"] = b.groupby("company")["risk"].max().reindex(co.index).fillna(0.0)
    gap = b["price"] / b["win_price"] - 1
    cov = b[~b["is_winner"] & (gap >= COVER_BAND[0]) & (gap <= COVER_BAND[1])]
    co["cover_bids"] = cov.groupby("company").size().reindex(co.index).fillna(0).astype(int)
    # identifier partners among the companies it bid against
    e = bg.edges[(bg.edges["tenders"] > 0) & (bg.edges["signals"].map(len) > 1)]
    partners: dict[str, set] = {}
    sigs: dict[str, set] = {}
    for a, c, s in zip(e["a"], e["b"], e["signals"], strict=True):
        for x, y in ((a, c), (c, a)):
            partners.setdefault(x, set()).add(y)
            sigs.setdefault(x, set()).update(z for z in s if z != "co_bid")
    co["linked_cobidders"] = [len(partners.get(x, ())) for x in co.index]
    co["risk"] = np.maximum(co["community_risk"], co["tender_risk"])
    reasons = []
    for cid, r in zip(co.index, co.to_dict("records"), strict=True):  # iterrows made a Series of every row
        said = []
        if r["community_risk"] >= 0.3:
            said.append(
                f"member of bidder community {int(r['community'])} ({int(r['community_size'])} companies, "
                f"risk {r['community_risk']:.2f})"
            )
        if r["risky_tenders"]:
            said.append(
                f"bid in {_n(int(r['risky_tenders']), 'tender')} scoring risk ≥ 0.5 "
                f"(highest {r['max_tender_risk']:.2f})"
            )
        if r["linked_cobidders"]:
            words = ", ".join(SIGNAL_WORDS[s] for s in sorted(sigs[cid]))
            said.append(f"shares {words} with {_n(int(r['linked_cobidders']), 'company', 'companies')} it bid against")
        if r["cover_bids"]:
            said.append(
                f"{_n(int(r['cover_bids']), 'losing bid')} {_pct(COVER_BAND[0])}-{_pct(COVER_BAND[1])} above the winner"
            )
        reasons.append("; ".join(said))
    co["reasons"] = reasons
    co.index.name = "company"
    front = ["risk", "reasons", "name"]
    co = co[front + [c for c in co.columns if c not in front]]
    return co.sort_values(["risk", "bids"], ascending=[False, False], kind="stable")


# ---------------------------------------------------------------------------------------------- evidence
def community_subgraph(scores: KGScores, store: GraphStore, communities: list[int]):
    """The knowledge-graph evidence of some communities as a networkx MultiDiGraph: members (each with its
    ``community`` and bidder ``risk``), the registry identifiers (phone, address, people, accounts) two members
    share, and the members' bids in tenders where two or more of them bid."""
    bg = scores.graph
    ids: list[str] = []
    bids = bg.bids
    for cid in communities:
        members = list(scores.partition.communities[int(cid)].members)
        ids += members
        idf = bg.identifiers[bg.identifiers["company"].isin(members)]
        shared = idf[idf.duplicated(["signal", "value"], keep=False)]
        keep = shared[~shared["signal"].isin(["ip", "mac", "doc_hash", "doc_author"])]
        ids += keep["value"].tolist()
        mb = bids[bids["company"].isin(members)]
        per = mb.groupby("tender")["company"].nunique()
        tenders = per[per >= 2].index
        jb = mb[mb["tender"].isin(tenders)]
        ids += tenders.tolist() + jb["bid"].astype(str).tolist() if "bid" in jb else tenders.tolist()
    g = store.subgraph(sorted(dict.fromkeys(ids)))
    # each member's community and risk on its node, so Gephi or yEd can colour the companies
    memb, risk = scores.partition.membership, scores.bidders["risk"]
    for cid in communities:
        for m in scores.partition.communities[int(cid)].members:
            if m in g:
                g.nodes[m]["community"] = int(memb.get(m, cid))
                if m in risk.index:
                    g.nodes[m]["risk"] = round(float(risk[m]), 4)
    return g


# ---------------------------------------------------------------------------------------------- evaluation
def _roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    return float(roc_auc_score(y, np.r_[pos, neg]))


def evaluate_store(
    store: GraphStore,
    truth: Mapping[str, Any],
    *,
    method: str = "leiden",
    seed: int = 0,
    resolution: float = 1.0,
    refine: float | None = REFINE,
    max_size: int | None = MAX_SIZE,
    scores: KGScores | None = None,
) -> dict[str, Any]:
    """Measure the scores of a loaded synthetic city against its ``truth.json``.

    Returns ring-by-ring matches (best community, share of members it holds, its size), ring recall
    (rings with ≥ 90% of members in one community), member-company recall (members in their ring's best
    community), and the ROC AUC of ring tenders against decoy tenders (``bid_rigging`` decoys plus every
    other scored tender)."""
    elapsed = None
    if scores is None:
        t0 = time.perf_counter()
        scores = score_store(store, method=method, seed=seed, resolution=resolution, refine=refine, max_size=max_size)
        elapsed = time.perf_counter() - t0

    def parts(inst: Mapping[str, Any], kind: str) -> list[str]:
        return [e for e, ty in zip(inst["entities"], inst["types"], strict=True) if ty == kind]

    rings = [i for i in truth["instances"] if i["scheme"] == "bid_rigging"]
    decoys = [i for i in truth.get("decoys", []) if i["scheme"] == "bid_rigging"]
    memb = scores.partition.membership
    sizes = {c.id: len(c) for c in scores.partition.communities}
    out_rings, found_members, all_members = [], 0, 0
    ring_tenders: set[str] = set()
    for r in rings:
        members, tenders = parts(r, "company"), parts(r, "tender")
        ring_tenders.update(tenders)
        comms = pd.Series([memb.get(m) for m in members]).dropna().astype(int)
        best, held = (
            (int(comms.value_counts().index[0]), int(comms.value_counts().iloc[0])) if len(comms) else (None, 0)
        )
        found_members += held
        all_members += len(members)
        out_rings.append(
            {
                "members": members,
                "tenders": tenders,
                "signals": r.get("detail", {}).get("signals"),
                "community": best,
                "community_size": sizes.get(best),
                "share": held / len(members),
                "exact": held == len(members) == sizes.get(best),
                "community_risk": float(scores.communities["risk"].get(best, 0.0)) if best is not None else 0.0,
                "tender_risk_min": float(scores.tenders["risk"].fillna(0.0).reindex(tenders).min()),
            }
        )
    decoy_tenders = {x for d in decoys for x in parts(d, "tender")}
    risk = scores.tenders["risk"].fillna(0.0)  # a single bid ranks as before the "no risk" rule (module doc)
    pos = risk.reindex(sorted(ring_tenders)).dropna().to_numpy()
    neg_ids = sorted(set(risk.index) - ring_tenders)
    neg = risk.reindex(neg_ids).to_numpy()
    dec = risk.reindex(sorted(decoy_tenders)).dropna().to_numpy()
    # ablations: the same noisy-or with the bid-value terms only, and with the graph terms only
    ablation = {}
    for name, terms in (
        ("bids_only", ("screens", "cover_bids")),
        ("graph_only", ("shared_ids", "rotation", "community")),
    ):
        ev = scores.tenders
        part = 1 - np.prod([1 - TENDER_TERMS[x] * ev[f"e_{x}"].to_numpy() for x in terms], axis=0)
        r_ = pd.Series(part, index=ev.index)
        p_, n_ = r_.reindex(sorted(ring_tenders)).dropna().to_numpy(), r_.reindex(neg_ids).to_numpy()
        ablation[f"roc_auc_{name}"] = _roc_auc(p_, n_) if len(p_) and len(n_) else float("nan")
    found = sum(1 for r in out_rings if r["share"] >= 0.9)
    return {
        "rings": out_rings,
        "ring_recall": found / len(rings) if rings else float("nan"),
        "rings_found": found,
        "rings_planted": len(rings),
        "rings_exact": sum(1 for r in out_rings if r["exact"]),
        "ring_community_size_max": max((r["community_size"] or 0 for r in out_rings), default=0),
        "member_recall": found_members / all_members if all_members else float("nan"),
        "roc_auc": _roc_auc(pos, neg) if len(pos) and len(neg) else float("nan"),
        "roc_auc_vs_planted_decoys": _roc_auc(pos, dec) if len(pos) and len(dec) else float("nan"),
        **ablation,
        "ring_tenders": int(len(pos)),
        "ring_tenders_unscored": len(ring_tenders) - int(len(pos)),
        "negative_tenders": int(len(neg)),
        "decoy_tenders": int(len(dec)),
        "communities": len(scores.partition),
        "modularity": scores.partition.modularity,
        "method": scores.partition.method,
        "params": dict(scores.partition.params),
        "bidders": int(len(scores.graph.companies)),
        "edges": int(len(scores.graph.edges)),
        "score_seconds": elapsed,
    }
