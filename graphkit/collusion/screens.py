"""Statistical bid screens per tender, from the bid values alone.

The seven screens of Imhof (2017) and Huber & Imhof (2019), computed on the bids of one tender sorted
ascending, :math:`b_1 \\le b_2 \\le \\dots \\le b_n`, with mean :math:`\\mu` and sample standard deviation
:math:`\\sigma` (``ddof=1``):

========  ====================================================================  ==========
screen    definition                                                            needs
========  ====================================================================  ==========
CV        :math:`\\sigma / \\mu` (coefficient of variation)                       n ≥ 2
SPD       :math:`(b_n - b_1) / b_1` (spread)                                     n ≥ 1
DIFFP     :math:`(b_2 - b_1) / b_1` (percent difference of the two lowest)       n ≥ 2
RD        :math:`(b_2 - b_1) / \\sigma_{\\text{losing}}`, σ of :math:`b_2..b_n`     n ≥ 3
KURT      sample excess kurtosis, bias-corrected (pandas ``kurt``, scipy G2)     n ≥ 4
SKEW      sample skewness, bias-corrected (pandas ``skew``, scipy G1)            n ≥ 3
KSTEST    Kolmogorov-Smirnov statistic of the bids against the uniform           n ≥ 2
          distribution on :math:`[b_1, b_n]`
========  ====================================================================  ==========

A screen that is undefined (too few bids, all bids equal, σ of the losing bids 0) is ``NaN``; the
published files of García Rodríguez et al. (2022) write 0 there instead (see
``tests/test_collusion_screens.py``, which checks every value of the four shared markets).

Everything is vectorised: tenders are bucketed by their number of bids and each bucket is one dense
``(tenders, n)`` matrix, so 100,000 tenders take well under a second.

Subgroup screens (:func:`subgroup_screens`) look for incomplete cartels, after Imhof & Wallimann (2021):
the same screens over every subset of 3 and of 4 bids of a tender, summarised per tender by their
mean, median, minimum and maximum. A tender of n bids has C(n,3)+C(n,4) subsets; above
``max_subsets`` (default 500, i.e. exact up to n = 11) the enumeration is capped: every window of 3
and of 4 *neighbouring* bids in sorted order (where cover bids sit) is kept and the rest of the budget
is a seeded random sample of subsets. The sampled positions are drawn once per tender size, so a
tender's summary does not depend on which other tenders are scored with it.

Example
-------
>>> import pandas as pd
>>> bids = pd.DataFrame({"tender": ["a"] * 4 + ["b"] * 2, "bid": [100, 101, 102, 130, 50, 60]})
>>> s = tender_screens(bids)
>>> round(float(s.loc["a", "DIFFP"]), 4), round(float(s.loc["b", "SPD"]), 4)
(0.01, 0.2)
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd

__all__ = [
    "SCREENS",
    "SCREEN_NAMES",
    "screens_matrix",
    "tender_screens",
    "subgroup_screens",
    "SUBGROUP_STATS",
    "subgroup_columns",
]

#: a spread below this fraction of the mean is rounding error (equal bids)
_ROUNDING = 64 * np.finfo(float).eps

SCREENS: tuple[str, ...] = ("CV", "SPD", "DIFFP", "RD", "KURT", "SKEW", "KSTEST")
SUBGROUP_STATS: tuple[str, ...] = ("mean", "median", "min", "max")
#: English name of each screen and context of the label-free score (:mod:`graphkit.collusion.unsupervised`), as
#: its reasons say them; here, where :mod:`graphkit.collusion.words` reads them to put any reason in Chinese without
#: importing scikit-learn (seconds of ``collusion score``'s step 中文理由 went to that import)
SCREEN_NAMES: dict[str, str] = {
    "CV": "CV",
    "SPD": "spread of bids",
    "KURT": "kurtosis",
    "DIFFP": "two lowest bids apart by",
    "RD": "gap of the two lowest bids / spread of the losing bids",
    "SKEW": "skewness",
    "KSTEST": "KS distance to uniform",
    "sub_CV_min": "tightest 3-4 bids have CV",
    "sub_RD_max": "largest relative distance in a 3-4 bid subgroup",
    "tie_share": "share of bids identical in price",
    "win_pte": "winning bid / pre-tender estimate",
    "pair_meetings": "bidder pairs' meetings (mean log tenders)",
    "rot_both_won": "share of repeat co-bidder pairs that both won",
    "period": "the tenders within half a year of it",
    "bidders": "its bidders' other tenders",
    "segment": "the other tenders of its segment",
}


def screens_matrix(x: np.ndarray) -> dict[str, np.ndarray]:
    """The seven screens for each row of ``x``, a ``(m, n)`` array of bids sorted ascending per row.

    Returns a dict screen -> ``(m,)`` float array; ``NaN`` where a screen is undefined.
    """
    x = np.asarray(x, dtype=float)
    m, n = x.shape
    nan = np.full(m, np.nan)
    out: dict[str, np.ndarray] = {}
    if n == 0:
        return {s: nan.copy() for s in SCREENS}
    lo, hi = x[:, 0], x[:, -1]
    rng = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        out["SPD"] = rng / lo
        if n < 2:
            for s in ("CV", "DIFFP", "RD", "KURT", "SKEW", "KSTEST"):
                out[s] = nan.copy()
            return {s: out[s] for s in SCREENS}
        mean = x.mean(axis=1)
        dev = x - mean[:, None]
        d2 = dev * dev
        m2 = d2.sum(axis=1)
        sd = np.sqrt(m2 / (n - 1))
        out["CV"] = sd / mean
        delta = x[:, 1] - lo
        out["DIFFP"] = delta / lo
        if n >= 3:
            los = x[:, 1:]
            los_dev = los - los.mean(axis=1)[:, None]
            sd_los = np.sqrt((los_dev * los_dev).sum(axis=1) / (n - 2))
            spread = sd_los > _ROUNDING * np.abs(los.mean(axis=1))
            out["RD"] = np.where(spread, delta / np.where(spread, sd_los, 1.0), np.nan)
        else:
            out["RD"] = nan.copy()
        var_b = m2 / n  # biased moments, as scipy's G1 / G2 start from
        # equal bids whose mean is off by a rounding error have no spread, not a huge skewness
        pos = np.sqrt(var_b) > _ROUNDING * np.abs(mean)
        safe = np.where(pos, var_b, 1.0)
        if n >= 3:
            # safe * sqrt(safe), not safe**1.5: sqrt and * are correctly rounded on every CPU, numpy's pow is not
            # (its AVX-512 code differs in the last bit, which moved the trained model's splits between machines)
            g1 = (d2 * dev).sum(axis=1) / n / (safe * np.sqrt(safe))
            out["SKEW"] = np.where(pos, g1 * np.sqrt(n * (n - 1.0)) / (n - 2.0), np.nan)
        else:
            out["SKEW"] = nan.copy()
        if n >= 4:
            g2 = (d2 * d2).sum(axis=1) / n / (safe * safe) - 3.0
            out["KURT"] = np.where(pos, ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)), np.nan)
        else:
            out["KURT"] = nan.copy()
        f = (x - lo[:, None]) / np.where(rng > 0, rng, 1.0)[:, None]
        i = np.arange(1, n + 1, dtype=float)
        d = np.maximum((i / n - f).max(axis=1), (f - (i - 1) / n).max(axis=1))
        out["KSTEST"] = np.where(rng > 0, d, np.nan)
    return {s: out[s] for s in SCREENS}


def _buckets(bids: pd.DataFrame, tender: str, bid: str):
    """Yield (tender keys, sorted (T, n) bid matrix) for each number of bids n present."""
    b = bids[[tender, bid]]
    codes, keys = pd.factorize(b[tender], sort=False)
    vals = b[bid].to_numpy(dtype=float)
    order = np.lexsort((vals, codes))
    codes, vals = codes[order], vals[order]
    counts = np.bincount(codes, minlength=len(keys))
    starts = np.zeros(len(keys), dtype=np.int64)
    starts[1:] = np.cumsum(counts)[:-1]
    for n in np.unique(counts):
        grp = np.flatnonzero(counts == n)
        idx = starts[grp][:, None] + np.arange(n)[None, :]
        yield keys[grp], vals[idx]


def tender_screens(bids: pd.DataFrame, *, tender: str = "tender", bid: str = "bid") -> pd.DataFrame:
    """Screens of every tender in a table of bids (one row per bid).

    Parameters
    ----------
    bids : DataFrame
        One row per bid, with a tender key column and a numeric bid column.
    tender, bid : str, keyword-only
        Column names.

    Returns
    -------
    DataFrame indexed by tender (in order of first appearance), columns ``n_bids`` and :data:`SCREENS`.

    Example
    -------
    >>> bids = pd.DataFrame({"tender": [1, 1, 1], "bid": [10.0, 11.0, 12.0]})
    >>> round(float(tender_screens(bids).loc[1, "CV"]), 4)
    0.0909
    """
    parts = []
    for keys, x in _buckets(bids, tender, bid):
        cols = screens_matrix(x)
        parts.append(pd.DataFrame({"n_bids": np.full(len(keys), x.shape[1]), **cols}, index=keys))
    if not parts:
        return pd.DataFrame(columns=["n_bids", *SCREENS], index=pd.Index([], name=tender))
    out = pd.concat(parts)
    order = pd.unique(bids[tender])
    out = out.reindex(order)
    out.index.name = tender
    return out


@lru_cache(maxsize=512)
def _subset_positions(n: int, k: int, budget: int, seed: int) -> np.ndarray:
    """Index sets (rows) of size k into n sorted bids: all of them, or a capped set (see module doc)."""
    total = comb(n, k)
    if total <= budget:
        return np.array(list(combinations(range(n), k)), dtype=np.int64).reshape(-1, k)
    windows = np.arange(n - k + 1)[:, None] + np.arange(k)[None, :]
    rng = np.random.default_rng([seed, n, k])
    want = max(budget - len(windows), 0)
    seen = {tuple(r) for r in windows}
    picked = []
    while len(picked) < want:
        cand = np.sort(rng.random((2 * (want - len(picked)) + 8, n)).argsort(axis=1)[:, :k], axis=1)
        for r in map(tuple, cand):
            if r not in seen:
                seen.add(r)
                picked.append(r)
                if len(picked) == want:
                    break
    rows = np.vstack([windows, np.array(picked, dtype=np.int64).reshape(-1, k)])
    return rows


def subgroup_columns(sizes: tuple[int, ...] = (3, 4)) -> list[str]:
    """Column names produced by :func:`subgroup_screens`."""
    return [f"sub_{s}_{st}" for s in SCREENS if not (s == "KURT" and max(sizes) < 4) for st in SUBGROUP_STATS]


def subgroup_screens(
    bids: pd.DataFrame,
    *,
    tender: str = "tender",
    bid: str = "bid",
    sizes: tuple[int, ...] = (3, 4),
    max_subsets: int = 500,
    random_state: int = 0,
) -> pd.DataFrame:
    """Screens over subsets of 3 and 4 bids of each tender, summarised by mean, median, min and max.

    A cartel that does not include every bidder still leaves a tight, evenly spaced group of bids;
    the minimum CV or the maximum RD over subsets finds it where whole-tender screens are diluted by
    competitors (Imhof & Wallimann 2021).

    Parameters
    ----------
    bids : DataFrame
        One row per bid.
    tender, bid : str, keyword-only
        Column names.
    sizes : tuple of int
        Subset sizes (KURT needs 4 bids, so only size-4 subsets contribute to it).
    max_subsets : int
        Budget per tender *and size* split evenly over ``sizes``; at or below it every subset is
        enumerated, above it windows of neighbouring bids plus a seeded random sample (module doc).
    random_state : int
        Seed of the sample for large tenders.

    Returns
    -------
    DataFrame indexed by tender, columns ``sub_<SCREEN>_<stat>``; tenders with fewer bids than the
    smallest size have ``NaN``.

    Example
    -------
    >>> bids = pd.DataFrame({"tender": ["t"] * 5, "bid": [100, 100.5, 101, 120, 140]})
    >>> round(float(subgroup_screens(bids).loc["t", "sub_CV_min"]), 4)
    0.005
    """
    cols = subgroup_columns(sizes)
    per_size = max(1, max_subsets // len(sizes))
    parts = []
    for keys, x in _buckets(bids, tender, bid):
        t, n = x.shape
        collected: dict[str, list[np.ndarray]] = {s: [] for s in SCREENS}
        for k in sizes:
            if n < k:
                continue
            pos = _subset_positions(n, k, per_size, random_state)
            sub = x[:, pos].reshape(-1, k)  # (t * subsets, k), rows stay sorted
            sc = screens_matrix(sub)
            for s in SCREENS:
                if s == "KURT" and k < 4:
                    continue
                collected[s].append(sc[s].reshape(t, len(pos)))
        data = {}
        for s in SCREENS:
            if s == "KURT" and max(sizes) < 4:
                continue
            if collected[s]:
                a = np.concatenate(collected[s], axis=1)
                a = np.where(np.isfinite(a), a, np.nan)
                ok = ~np.isnan(a).all(axis=1)
                with np.errstate(all="ignore"):
                    safe = np.where(ok[:, None], a, 0.0)
                    data[f"sub_{s}_mean"] = np.where(ok, np.nanmean(safe, axis=1), np.nan)
                    data[f"sub_{s}_median"] = np.where(ok, np.nanmedian(safe, axis=1), np.nan)
                    data[f"sub_{s}_min"] = np.where(ok, np.nanmin(safe, axis=1), np.nan)
                    data[f"sub_{s}_max"] = np.where(ok, np.nanmax(safe, axis=1), np.nan)
            else:
                for st in SUBGROUP_STATS:
                    data[f"sub_{s}_{st}"] = np.full(t, np.nan)
        parts.append(pd.DataFrame(data, index=keys, columns=cols))
    if not parts:
        return pd.DataFrame(columns=cols, index=pd.Index([], name=tender))
    out = pd.concat(parts).reindex(pd.unique(bids[tender]))
    out.index.name = tender
    return out
