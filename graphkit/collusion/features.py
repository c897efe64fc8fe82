"""Behavioural features of tenders: what the bids and the bidders do, beyond the price dispersion screens.

Every feature is a share, a ratio or a count that means the same in any market and any currency, so a
model trained on some markets can read them in another. None uses the tender id or the date.

Price pattern (bid values and ``winner`` / ``pte`` when present)
    ``n_bids``; ``tie_share`` (share of bids equal to another bid of the tender); ``ap_share`` (share of
    consecutive gaps between sorted bids equal to the previous gap — an arithmetic progression of
    prices) and ``ap_run`` (most bids in one such progression, / n); ``cover_1pct`` and ``cover_3pct``
    (share of losing bids at most 1 % / 3 % above the winning bid: cover bids just above the winner);
    ``winner_rank`` (0 = the winner is the lowest bid, 1 = the highest); ``win_pte``, ``mean_pte``,
    ``above_pte_share`` (bids relative to the pre-tender estimate); ``unlisted_bids`` (share of the
    reported ``number_bids`` missing from the table).

Bidder history (``bidder`` present; the features of wins also need ``winner``), counted over the table scored
    ``never_win_share`` (share of losing bidders who bid at least 3 times in the table and never won:
    perennial cover bidders); ``loser_win_rate`` (mean win rate of the losing bidders);
    ``winner_win_rate`` (the winner's win rate in its other tenders); ``pair_repeat_share`` (share of
    pairs of bidders who also met in at least 2 other tenders); ``pair_meetings`` (mean log number
    of tenders a pair met in); among repeat pairs: ``rot_both_won`` (share of pairs in which each firm
    won some of their joint tenders: turn-taking), ``rot_evenness`` (1 − |wᵢ−wⱼ|/(wᵢ+wⱼ), how even the
    split of their wins is) and ``rot_inside`` (share of their joint tenders won by one of the two:
    no outsider ever wins).

Bidder profiles (``bidder`` present), each bidder summarised over the table, then over the tender's bidders
    ``bidder_volume_mean`` / ``_max`` / ``_min`` (log of the number of tenders each bidder entered),
    ``bidder_markup`` (how far above the lowest bid the bidders usually are), ``bidder_rank`` (their
    usual place in the ranking, 0 = lowest, 1 = highest), ``bidder_win_rate_mean`` / ``_max``: who is
    bidding, described by what the bidders do everywhere rather than by their ids.

For the analyst's sentences the frame also carries, per tender, the winner's most frequent rival in
it: ``top_pair_joint`` (tenders they met in), ``top_pair_inside`` (of which one of the two won) and
``top_pair_w_winner`` / ``top_pair_w_rival`` (their wins), and ``never_win_n``.

Example
-------
>>> import pandas as pd
>>> bids = pd.DataFrame({"key": list("aaabbb"), "bid": [100, 101, 102, 100, 120, 150],
...                      "bidder": list("xyzxyz"), "winner": [1, 0, 0, 0, 1, 0]})
>>> f = behaviour_features(bids)
>>> float(f.loc["a", "ap_share"]), float(f.loc["a", "cover_1pct"]), float(f.loc["b", "winner_rank"])
(1.0, 0.5, 0.5)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "PRICE_FEATURES",
    "HISTORY_FEATURES",
    "PROFILE_FEATURES",
    "REASON_COLUMNS",
    "BIDDER_SEP",
    "behaviour_features",
    "tender_features",
    "tender_segments",
    "date_days",
    "identical_bids",
    "identical_bids_of",
]

PRICE_FEATURES: tuple[str, ...] = (
    "n_bids",
    "tie_share",
    "ap_share",
    "ap_run",
    "cover_1pct",
    "cover_3pct",
    "winner_rank",
    "win_pte",
    "mean_pte",
    "above_pte_share",
    "unlisted_bids",
)
HISTORY_FEATURES: tuple[str, ...] = (
    "never_win_share",
    "loser_win_rate",
    "winner_win_rate",
    "pair_repeat_share",
    "pair_meetings",
    "rot_both_won",
    "rot_evenness",
    "rot_inside",
)
PROFILE_FEATURES: tuple[str, ...] = (
    "bidder_volume_mean",
    "bidder_volume_max",
    "bidder_volume_min",
    "bidder_markup",
    "bidder_rank",
    "bidder_win_rate_mean",
    "bidder_win_rate_max",
)
REASON_COLUMNS: tuple[str, ...] = (
    "never_win_n",
    "top_pair_joint",
    "top_pair_inside",
    "top_pair_w_winner",
    "top_pair_w_rival",
    "winner_bidder",
    "top_pair_rival",
)
BIDDER_SEP = "\x1f"  # joins bidder ids in the ``bidders`` column
REPEAT = 3  # a pair is a "repeat" pair when it met in at least REPEAT tenders (this one and 2 others)
NEVER_WIN_MIN = 3  # bids needed before "never wins" means anything


def _sorted_layout(key: pd.Series, bid: np.ndarray):
    codes, keys = pd.factorize(key, sort=False)
    order = np.lexsort((bid, codes))
    counts = np.bincount(codes, minlength=len(keys))
    starts = np.zeros(len(keys), dtype=np.int64)
    starts[1:] = np.cumsum(counts)[:-1]
    return codes, keys, order, counts, starts


def behaviour_features(bids: pd.DataFrame, *, key: str = "key") -> pd.DataFrame:
    """Behavioural features per tender of a normalised bid table (see :mod:`loaders.bids`).

    Parameters
    ----------
    bids : DataFrame
        One row per bid with ``key`` and ``bid``; ``winner``, ``bidder`` and ``pte`` are used when present.
    key : str, keyword-only
        Tender key column.

    Returns
    -------
    DataFrame indexed by tender key (first-appearance order) with :data:`PRICE_FEATURES`,
    :data:`HISTORY_FEATURES` and :data:`REASON_COLUMNS`; ``NaN`` where a feature cannot be computed
    (no bidder ids, no winner flagged, one bid).
    """
    bid = bids["bid"].to_numpy(dtype=float)
    codes, keys, order, counts, starts = _sorted_layout(bids[key], bid)
    T = len(keys)
    out: dict[str, np.ndarray] = {"n_bids": counts.astype(float)}
    b = bid[order]
    c = codes[order]
    first = np.zeros(len(b), dtype=bool)
    first[starts[counts > 0]] = True
    pos = np.arange(len(b)) - starts[c]  # 0-based rank within tender (ascending)

    # --- ties and arithmetic progressions
    prev_same = np.zeros(len(b), dtype=bool)
    prev_same[1:] = (b[1:] == b[:-1]) & (c[1:] == c[:-1])
    tie_row = prev_same.copy()
    tie_row[:-1] |= prev_same[1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["tie_share"] = np.where(counts > 1, np.bincount(c, weights=tie_row, minlength=T) / counts, np.nan)
        gap = np.full(len(b), np.nan)
        gap[1:] = np.where(c[1:] == c[:-1], b[1:] - b[:-1], np.nan)
        scale = np.maximum(np.abs(b), 1.0)
        same_gap = np.zeros(len(b), dtype=bool)
        same_gap[1:] = (np.abs(gap[1:] - gap[:-1]) <= 1e-9 * scale[1:]) & (gap[1:] > 0) & (c[1:] == c[:-1])
        n_gaps = np.maximum(counts - 2, 0)
        out["ap_share"] = np.where(
            n_gaps > 0, np.bincount(c, weights=same_gap, minlength=T) / np.maximum(n_gaps, 1), np.nan
        )
        # longest run of equal gaps: run length of consecutive same_gap flags, +2 bids
        cs = np.cumsum(same_gap)
        run = (cs - np.maximum.accumulate(np.where(same_gap, 0, cs))).astype(float)
        longest = np.zeros(T)
        np.maximum.at(longest, c, run)
        out["ap_run"] = np.where(counts >= 3, np.where(longest > 0, longest + 2, 0) / counts, np.nan)

    # --- winner position and cover bids
    if "winner" in bids.columns:
        w = bids["winner"].to_numpy(dtype=float)[order]
        is_w = w == 1
        has_w = np.bincount(c, weights=is_w, minlength=T) > 0
        wbid = np.full(T, np.nan)
        wpos = np.full(T, np.nan)
        wi = np.flatnonzero(is_w)
        # first flagged winner per tender (files flag one; two flags → the lower bid, rows are sorted)
        wi = wi[np.unique(c[wi], return_index=True)[1]]
        wbid[c[wi]] = b[wi]
        wpos[c[wi]] = pos[wi]
    else:
        is_w = np.zeros(len(b), dtype=bool)
        has_w = np.zeros(T, dtype=bool)
        wbid = np.full(T, np.nan)
        wpos = np.full(T, np.nan)
    ref = np.where(has_w, wbid, b[starts])  # the winning bid, or the lowest when unknown
    with np.errstate(invalid="ignore", divide="ignore"):
        out["winner_rank"] = np.where(has_w & (counts > 1), wpos / np.maximum(counts - 1, 1), np.nan)
        rel = b / ref[c] - 1.0
        loser = np.where(has_w[c], ~is_w, pos > 0)
        nl = np.bincount(c, weights=loser, minlength=T)
        for pct, name in ((0.01, "cover_1pct"), (0.03, "cover_3pct")):
            hit = loser & (rel >= 0) & (rel <= pct + 1e-9)
            out[name] = np.where(nl > 0, np.bincount(c, weights=hit, minlength=T) / np.maximum(nl, 1), np.nan)
        if "pte" in bids.columns:
            pte = bids["pte"].to_numpy(dtype=float)[order]
            ok = np.isfinite(pte) & (pte > 0)
            npte = np.bincount(c, weights=ok, minlength=T)
            ratio = np.where(ok, b / np.where(ok, pte, 1.0), 0.0)
            out["mean_pte"] = np.where(
                npte > 0, np.bincount(c, weights=ratio, minlength=T) / np.maximum(npte, 1), np.nan
            )
            out["above_pte_share"] = np.where(
                npte > 0, np.bincount(c, weights=ok & (ratio > 1), minlength=T) / np.maximum(npte, 1), np.nan
            )
            pte_t = np.full(T, np.nan)
            pte_t[c[ok]] = pte[ok]
            out["win_pte"] = ref / pte_t
        else:
            for name in ("win_pte", "mean_pte", "above_pte_share"):
                out[name] = np.full(T, np.nan)

    if "number_bids" in bids.columns:
        nb = np.full(T, np.nan)
        nb[c[first]] = bids["number_bids"].to_numpy(dtype=float)[order][first]
        with np.errstate(invalid="ignore", divide="ignore"):
            out["unlisted_bids"] = np.where(nb > 0, np.clip(nb - counts, 0, None) / nb, np.nan)
    else:
        out["unlisted_bids"] = np.full(T, np.nan)

    # --- bidder history
    hist = {name: np.full(T, np.nan) for name in HISTORY_FEATURES + REASON_COLUMNS}
    if "bidder" in bids.columns and bids["bidder"].notna().any():
        # who meets whom needs bidder ids only; who wins needs a winner flagged (a bid-opening record
        # lists every bid before the award): without one the win-based features stay NaN
        fcode, firms = pd.factorize(bids["bidder"].to_numpy()[order], sort=False)  # -1 = missing id
        F = len(firms)
        known = fcode >= 0
        # one row per (tender, firm): a firm bidding twice in a tender counts once
        tf = np.unique(c[known].astype(np.int64) * (F + 1) + fcode[known])
        tf_t, tf_f = tf // (F + 1), tf % (F + 1)
        bids_f = np.bincount(tf_f, minlength=F).astype(float)
        win_firm = np.full(T, -1, dtype=np.int64)
        wk = is_w & known
        win_firm[c[wk]] = fcode[wk]
        wins_f = np.bincount(win_firm[win_firm >= 0], minlength=F).astype(float)
        # losers of each tender (tender-firm rows that are not the winner)
        lose_row = tf_f != win_firm[tf_t]
        lt, lf = tf_t[lose_row], tf_f[lose_row]
        lt_has = has_w[lt]
        lt, lf = lt[lt_has], lf[lt_has]
        never = (wins_f[lf] == 0) & (bids_f[lf] >= NEVER_WIN_MIN)
        nlos = np.bincount(lt, minlength=T).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            hist["never_win_n"] = np.where(has_w, np.bincount(lt, weights=never, minlength=T), np.nan)
            hist["never_win_share"] = np.where(has_w & (nlos > 0), hist["never_win_n"] / np.maximum(nlos, 1), np.nan)
            hist["loser_win_rate"] = np.where(
                has_w & (nlos > 0),
                np.bincount(lt, weights=wins_f[lf] / bids_f[lf], minlength=T) / np.maximum(nlos, 1),
                np.nan,
            )
            wf = win_firm
            okw = wf >= 0
            loo = np.full(T, np.nan)
            others = bids_f[wf[okw]] - 1
            loo[okw] = np.where(others > 0, (wins_f[wf[okw]] - 1) / np.maximum(others, 1), np.nan)
            hist["winner_win_rate"] = loo
        _pair_features(tf_t, tf_f, F, T, win_firm, has_w, hist)
        hist["winner_bidder"] = np.where(win_firm >= 0, win_firm, -1).astype(float)
        out["_firms"] = firms
    frame = pd.DataFrame({name: out[name] for name in PRICE_FEATURES}, index=keys)
    for name in HISTORY_FEATURES + REASON_COLUMNS:
        frame[name] = hist[name]
    prof = _profiles(bids, key)
    for name in PROFILE_FEATURES:
        frame[name] = prof[name].reindex(keys).to_numpy() if prof is not None else np.nan
    if "_firms" in out:
        firms = np.asarray(out["_firms"], dtype=object)
        for col in ("winner_bidder", "top_pair_rival"):
            v = frame[col].to_numpy()
            ok = np.isfinite(v) & (v >= 0)
            lab = np.full(len(v), None, dtype=object)
            lab[ok] = firms[v[ok].astype(np.int64)]
            frame[col] = lab
    else:
        frame["winner_bidder"] = None
        frame["top_pair_rival"] = None
    frame.index.name = key
    return frame


def _profiles(bids: pd.DataFrame, key: str) -> pd.DataFrame | None:
    """:data:`PROFILE_FEATURES` per tender (None without bidder ids)."""
    if "bidder" not in bids.columns or not bids["bidder"].notna().any():
        return None
    b = bids.loc[bids["bidder"].notna(), [key, "bidder", "bid"] + (["winner"] if "winner" in bids.columns else [])]
    g = b.groupby(key, sort=False)["bid"]
    n = g.transform("size").to_numpy(dtype=float)
    low = g.transform("min").to_numpy(dtype=float)
    rank = (g.rank(method="average").to_numpy() - 1) / np.where(n > 1, n - 1, np.nan)
    per = pd.DataFrame(
        {
            "bidder": b["bidder"].to_numpy(),
            key: b[key].to_numpy(),
            "markup": b["bid"].to_numpy(dtype=float) / low - 1,
            "rank": rank,
            "win": (b["winner"].to_numpy(dtype=float) == 1) if "winner" in b.columns else np.nan,
        }
    )
    f = per.groupby("bidder", sort=False).agg(
        tenders=(key, "nunique"), markup=("markup", "mean"), rank=("rank", "mean"), wins=("win", "sum")
    )
    f["volume"] = np.log(f["tenders"])
    f["win_rate"] = f["wins"] / f["tenders"] if "winner" in b.columns else np.nan
    j = per[[key, "bidder"]].join(f[["volume", "markup", "rank", "win_rate"]], on="bidder")
    a = j.groupby(key, sort=False).agg(
        bidder_volume_mean=("volume", "mean"),
        bidder_volume_max=("volume", "max"),
        bidder_volume_min=("volume", "min"),
        bidder_markup=("markup", "mean"),
        bidder_rank=("rank", "mean"),
        bidder_win_rate_mean=("win_rate", "mean"),
        bidder_win_rate_max=("win_rate", "max"),
    )
    return a


def _pair_features(
    tf_t: np.ndarray,
    tf_f: np.ndarray,
    F: int,
    T: int,
    win_firm: np.ndarray,
    has_w: np.ndarray,
    hist: dict[str, np.ndarray],
) -> None:
    """Pairs of bidders per tender (all of them), their meetings and wins; summarised per tender."""
    cnt = np.bincount(tf_t, minlength=T)
    st = np.zeros(T, dtype=np.int64)
    st[1:] = np.cumsum(cnt)[:-1]
    pt_list, lo_list, hi_list = [], [], []
    for n in np.unique(cnt):
        if n < 2:
            continue
        grp = np.flatnonzero(cnt == n)
        mat = tf_f[st[grp][:, None] + np.arange(n)[None, :]]  # firms of each tender (sorted codes)
        i, j = np.triu_indices(n, 1)
        lo_list.append(mat[:, i].ravel())
        hi_list.append(mat[:, j].ravel())
        pt_list.append(np.repeat(grp, len(i)))
    if not pt_list:
        return
    pt = np.concatenate(pt_list)
    lo = np.concatenate(lo_list).astype(np.int64)
    hi = np.concatenate(hi_list).astype(np.int64)
    code = lo * F + hi
    uniq, inv = np.unique(code, return_inverse=True)
    meet = np.bincount(inv).astype(float)
    wf = win_firm[pt]
    w_lo = np.bincount(inv, weights=(wf == lo)).astype(float)
    w_hi = np.bincount(inv, weights=(wf == hi)).astype(float)
    # a tender with no winner flagged cannot count wins; its meetings still count
    decided = np.bincount(inv, weights=has_w[pt]).astype(float)
    m = meet[inv]
    rep = m >= REPEAT
    npairs = np.bincount(pt, minlength=T).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        hist["pair_repeat_share"] = np.where(
            npairs > 0, np.bincount(pt, weights=rep, minlength=T) / np.maximum(npairs, 1), np.nan
        )
        hist["pair_meetings"] = np.where(
            npairs > 0, np.bincount(pt, weights=np.log(m), minlength=T) / np.maximum(npairs, 1), np.nan
        )
    if not has_w.any():  # no winner flagged in the table: turn-taking cannot be read
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        a, bb, d = w_lo[inv], w_hi[inv], decided[inv]
        nrep = np.bincount(pt, weights=rep, minlength=T)
        both = rep & (a > 0) & (bb > 0)
        hist["rot_both_won"] = np.where(
            nrep > 0, np.bincount(pt, weights=both, minlength=T) / np.maximum(nrep, 1), np.nan
        )
        won = rep & (a + bb > 0)
        even = np.where(won, 1 - np.abs(a - bb) / np.where(won, a + bb, 1), 0.0)
        nwon = np.bincount(pt, weights=won, minlength=T)
        hist["rot_evenness"] = np.where(
            nwon > 0, np.bincount(pt, weights=even, minlength=T) / np.maximum(nwon, 1), np.nan
        )
        inside = np.where(rep & (d > 0), (a + bb) / np.where(d > 0, d, 1), 0.0)
        nd = np.bincount(pt, weights=rep & (d > 0), minlength=T)
        hist["rot_inside"] = np.where(nd > 0, np.bincount(pt, weights=inside, minlength=T) / np.maximum(nd, 1), np.nan)
        # the winner's most frequent rival in this tender
        wpair = (wf >= 0) & ((lo == wf) | (hi == wf))
        idx = np.flatnonzero(wpair)
        if len(idx):
            order = np.lexsort((-m[idx], pt[idx]))
            idx = idx[order]
            firstp = np.unique(pt[idx], return_index=True)[1]
            best = idx[firstp]
            t = pt[best]
            hist["top_pair_joint"][t] = m[best]
            hist["top_pair_inside"][t] = a[best] + bb[best]
            win_is_lo = lo[best] == wf[best]
            hist["top_pair_w_winner"][t] = np.where(win_is_lo, a[best], bb[best])
            hist["top_pair_w_rival"][t] = np.where(win_is_lo, bb[best], a[best])
            hist["top_pair_rival"][t] = np.where(win_is_lo, hi[best], lo[best]).astype(float)


def tender_features(
    bids: pd.DataFrame, *, subgroups: bool = True, max_subsets: int = 500, random_state: int = 0
) -> pd.DataFrame:
    """Everything the scorer reads about each tender: market, screens, subgroup screens, behaviour.

    Parameters
    ----------
    bids : DataFrame
        A normalised bid table (:func:`loaders.bids.read_bids`): ``key``, ``bid`` and
        optionally ``market``, ``tender``, ``bidder``, ``winner``, ``pte``.
    subgroups : bool
        Add :func:`~graphkit.collusion.screens.subgroup_screens` (the slowest part).
    max_subsets, random_state
        Passed to the subgroup screens.

    Returns
    -------
    DataFrame indexed by tender key: ``market``, ``tender``, the seven screens, ``bid_level`` (mean
    bid, in the market's currency: only ever compared within a market), ``sub_*``,
    :data:`PRICE_FEATURES`, :data:`HISTORY_FEATURES`, :data:`REASON_COLUMNS` and, with bidder ids,
    ``bidders`` (the tender's bidder ids joined by :data:`BIDDER_SEP`, for the scorer's record of
    bidders found in collusive tenders before; never a feature itself) and, where the bids carry one,
    ``segment`` (the tender's contract type or category, its most frequent value among the tender's
    bids; for the scorer's record of segments, never a feature itself) and, where the bids carry a
    ``date``, ``tender_days`` (the tender's date in days, :func:`date_days`; for the label-free score's
    period context, never a feature itself).

    Example
    -------
    >>> bids = pd.DataFrame({"key": ["a", "a", "a", "b"], "bid": [10.0, 10.1, 10.2, 7.0]})
    >>> f = tender_features(bids)
    >>> f.loc["b", "market"], int(f.loc["b", "n_bids"])
    ('all', 1)
    """
    from graphkit.collusion.screens import SCREENS, subgroup_screens, tender_screens

    if "key" not in bids.columns:
        raise KeyError("the bid table needs a 'key' column (read it with loaders.bids.read_bids)")
    first = bids.drop_duplicates("key").set_index("key")
    sc = tender_screens(bids, tender="key", bid="bid")
    out = pd.DataFrame(index=sc.index)
    out["market"] = first["market"].reindex(out.index).astype(str) if "market" in bids.columns else "all"
    out["tender"] = (
        first["tender"].reindex(out.index).astype(str) if "tender" in bids.columns else out.index.astype(str)
    )
    for s in SCREENS:
        out[s] = sc[s]
    out["bid_level"] = bids.groupby("key", sort=False)["bid"].mean().reindex(out.index)
    if subgroups:
        sub = subgroup_screens(bids, tender="key", bid="bid", max_subsets=max_subsets, random_state=random_state)
        out = out.join(sub)
    beh = behaviour_features(bids, key="key")
    out = out.join(beh)
    if "bidder" in bids.columns and bids["bidder"].notna().any():
        ids = (
            bids[["key", "bidder"]]
            .dropna()
            .astype({"bidder": str})
            .drop_duplicates()
            .sort_values(["key", "bidder"], kind="stable")
        )
        keys = ids["key"].to_numpy()
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        joined = np.add.reduceat((ids["bidder"] + BIDDER_SEP).to_numpy(dtype=object), starts)
        out["bidders"] = pd.Series([j[:-1] for j in joined], index=keys[starts]).reindex(out.index)
    if "segment" in bids.columns and bids["segment"].notna().any():
        out["segment"] = tender_segments(bids).reindex(out.index)
    if "date" in bids.columns:
        when = pd.to_numeric(bids["date"], errors="coerce")
        if when.notna().any():
            first = when.groupby(bids["key"], sort=False).median().reindex(out.index)
            out["tender_days"] = date_days(first.to_numpy(dtype=float))
    out.index.name = "key"
    return out


def date_days(values: np.ndarray) -> np.ndarray:
    """Dates as read by :func:`loaders.bids.read_bids` (numbers as the source gave them) in days.

    The unit is read from the whole column, not value by value: whole numbers all between 1900 and 2100
    are years (a year's tenders share one date); values above 10¹¹ are Unix milliseconds and above 10⁸
    Unix seconds (parsed dates arrive as seconds); anything else is a day count (a day index, or an
    Excel serial date).

    Example
    -------
    >>> date_days(np.array([1980.0, 1981.0])).tolist()
    [723195.0, 723560.25]
    >>> float(date_days(np.array([86400.0 * 20000, np.nan]))[0])
    20000.0
    """
    v = np.asarray(values, dtype=float)
    f = v[np.isfinite(v)]
    if len(f) == 0:
        return v
    if f.min() >= 1900 and f.max() <= 2100 and np.all(f == np.round(f)):
        return v * 365.25
    if f.max() > 1e11:
        return v / 86_400_000.0
    if f.max() > 1e8:
        return v / 86_400.0
    return v


def identical_bids(n_bids: float, tie_share: float, cv: float) -> str | None:
    """The reason every mode of the collusion scores gives first for a tender of two bids or more whose bids
    all have one price (every bid tied, or a CV of 0): ``"all N bids identical"``; ``None`` otherwise.

    >>> identical_bids(4.0, 1.0, 0.0), identical_bids(4.0, 0.5, 0.02), identical_bids(1.0, float("nan"), 0.0)
    ('all 4 bids identical', None, None)
    """
    if not n_bids >= 2:
        return None
    if (np.isfinite(tie_share) and tie_share >= 1) or (np.isfinite(cv) and cv == 0):
        return f"all {int(n_bids)} bids identical"
    return None


def identical_bids_of(X: pd.DataFrame) -> list[str | None]:
    """:func:`identical_bids` for each tender of a feature frame (``n_bids``, and ``tie_share`` and ``CV``
    where it has them).

    >>> identical_bids_of(pd.DataFrame({"n_bids": [3.0, 2.0], "CV": [0.0, 0.1]}))
    ['all 3 bids identical', None]
    """
    nan = np.full(len(X), np.nan)
    nb = X["n_bids"].to_numpy(dtype=float)
    tie = X["tie_share"].to_numpy(dtype=float) if "tie_share" in X.columns else nan
    cv = X["CV"].to_numpy(dtype=float) if "CV" in X.columns else nan
    return [identical_bids(n, t, c) for n, t, c in zip(nb, tie, cv, strict=True)]


def tender_segments(bids: pd.DataFrame) -> pd.Series:
    """Tender key -> its segment: the most frequent value of the bids' ``segment`` column (ties: the
    smallest); tenders without one are left out."""
    seg = bids[["key", "segment"]].dropna()
    top = (
        seg.groupby(["key", "segment"], sort=True)
        .size()
        .reset_index(name="n")
        .sort_values(["key", "n"], ascending=[True, False], kind="stable")
        .drop_duplicates("key")
    )
    return top.set_index("key")["segment"].astype(str)
