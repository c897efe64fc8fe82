"""A label-free tender risk: published bid-rigging screens, oriented by theory, ranked within the market.

A commission that starts screening its own tenders has no convicted cartel to learn from. The
screens of the literature were designed for that case: each has a direction that the theory of bid
rigging gives it, and each means something only next to the *same market's* other tenders (a CV of
2 % is unremarkable among Swiss road works and striking among Italian ones). :class:`LabelFreeScorer`
therefore fits nothing on labels. Its ``fit`` stores, per market, the distribution of every screen
(within the tender's number-of-bids band, and within its segment, e.g. contract type, where the table
names one); a tender's value on a screen becomes its robust z-score in that reference (or its mid-rank
percentile, ``standardise="rank"``), turned towards collusion by the screen's direction; the combined
score is the mean of these (each *family* of screens weighs the same, and so does each *context* family:
what the market's other tenders of the same period, and of the same bidders, show), and the risk is the
tender's percentile among its market's combined scores.

Directions (:data:`DIRECTIONS`; ``-1``: collusion lowers the screen, ``+1``: raises it)

=================  ===  =====================================================================================
screen             dir  why (source)
=================  ===  =====================================================================================
``CV``             −1   cover bids are placed close together: the variance of the bids falls
                        (Abrantes-Metz et al. 2006 variance screen; Imhof 2018; Huber & Imhof 2019)
``SPD``            −1   the support of the bids shrinks, so the spread (highest − lowest) / lowest falls
                        (Imhof 2018; Huber & Imhof 2019)
``KURT``           +1   bids concentrate: a peaked distribution, higher kurtosis (Imhof 2018; Huber &
                        Imhof 2019)
``DIFFP``          +1   without side payments the designated winner sits apart below the cover bids: the
                        gap between the two lowest bids grows (Imhof 2018; Huber & Imhof 2019)
``RD``             +1   that gap relative to the spread of the losing bids (relative distance) grows
                        (Imhof, Karagök & Rutz 2018; Imhof 2018)
``SKEW``           −1   a low winner under a tight cluster of covers: negatively skewed bids (Imhof 2018;
                        Huber & Imhof 2019)
``KSTEST``         +1   the same pattern makes the bids less uniform over their range: a larger
                        Kolmogorov-Smirnov distance to the uniform (Huber & Imhof 2019)
``sub_CV_min``     −1   an *incomplete* cartel still leaves a tight group of 3-4 bids: the smallest CV
                        over subgroups falls (Wallimann, Imhof & Huber 2022)
``sub_RD_max``     +1   and the largest relative distance over subgroups grows (Wallimann, Imhof & Huber
                        2022)
``tie_share``      +1   identical prices (OECD 2009, Guidelines for fighting bid rigging)
``win_pte``        +1   the winning bid close to, or above, the buyer's estimate: collusion raises prices
                        (OECD 2009; Ishii 2009 on Japanese public works)
``pair_meetings``  +1   the same firms meet tender after tender (OECD 2009; Imhof & Wallimann 2021,
                        bidder coalitions; Conley & Decarolis 2016)
``rot_both_won``   +1   repeat co-bidders take turns winning: bid rotation (OECD 2009; Porter & Zona
                        1993; Ishii 2009)
=================  ===  =====================================================================================

Families (:data:`FAMILIES`): *variance* (CV, SPD, KURT), *cover* (DIFFP, RD, SKEW, KSTEST), *subgroup*
(sub_CV_min, sub_RD_max), *conduct* (tie_share, win_pte, pair_meetings, rot_both_won; the last three
need a pre-tender estimate, bidder ids and winners, and are skipped where a table has none). A
screen that is undefined for a tender (too few bids, all bids equal) is left out of its mean.

Context (:data:`CONTEXT`, ``context=True``). One tender's screens are noisy; a cartel is not one tender.
It is a *regime* that lasts years and ends when it is found out, and a *group of firms* that bid in many
tenders. Two further families read the screens of the market's other tenders, still without a label:

* ``period``: the mean screen score (the families above) of the market's other tenders within
  :data:`PERIOD_DAYS` days before or after the tender (one year centred on it; the table's ``Date``, read
  as :func:`~graphkit.collusion.features.date_days` says). The variance screen was built as a screen over
  time (Abrantes-Metz, Froeb, Geweke & Taylor 2006: prices' variance falls while the conspiracy runs),
  Ticino's cartel shows as a break in the screens when it ended (Imhof 2018), and a change of regime is
  what cartel detection looks for (Harrington 2008).
* ``bidders``: for each of the tender's bidders, the mean screen score of the other tenders it bid in,
  averaged over the bidders. A cartel is a durable group of firms (Porter & Zona 1993; Imhof & Wallimann
  2021 screen bidder coalitions across tenders), so the tenders of its members share its pattern.
* ``segment`` (where the table names a segment, e.g. contract type, and ``segment=True``): the mean screen
  score of the other tenders of the same segment, each ranked within its band of bids but *not* within its
  segment. Ranking within the segment makes kinds of work comparable, and so also hides a kind of work that
  a cartel holds as a whole (the Swiss road-works cartels of the shared data each covered a line of work
  in a region: Imhof 2018; Huber & Imhof 2019); this family puts that back as what one family weighs.
  It counts only where the segments' scores differ beyond chance (:func:`segment_clustering`: the
  intraclass correlation above 0 and the one-way analysis of variance at :data:`SEGMENT_P`). That test
  cannot tell a kind of work whose bids are tight by nature (standard products, few specialised firms) from
  one a cartel holds; this is why the family weighs no more than one family, and why its reason names the
  segment for the investigator to judge. With a few segments the evidence is thin:
  ``python bench/collusion_eval.py --unseen`` shows that in Switzerland (three contract types) the family's
  ROC AUC is within the range chance gives it.

A fitted tender leaves itself out of these means (a tender is recognised by its key, the frame's index); a
context reading fewer than :data:`CONTEXT_MIN` other tenders (other bids of its bidders) is left out for
that tender. A period or bidders context counts in a market only where tenders resemble their neighbours:
the rank correlation of the tenders' own screen scores and their context's must be positive
(:data:`CONTEXT_RHO_MIN`, the sign of the spatial-autocorrelation test, Moran 1950; the segment context has
its own test, above), and beyond chance: in a permutation test the tenders' screen scores are shuffled
among the market's tenders of the same band of bids, dates and bidders kept, :data:`CONTEXT_DRAWS` times,
and the observed correlation must be among the top :data:`CONTEXT_P` of them (:func:`context_p`;
``context_p_``). Without clustering a leave-one-out mean is, if anything,
pulled *against* the tender's own score (every tender of a year, or of a firm present everywhere, reads the
same sum less itself), and standardising it would feed the tender's own screens back reversed; this is what
happens where a file gives one date for all tenders, or one firm bids in all of them. How far it is pulled
depends on how the market's tenders spread over days and firms, which is why the shuffles, not a fixed
bound, say what chance gives. The sign alone let chance decide: in 20 markets drawn with no cartel
(``tests/test_collusion_unsupervised.py``) it let the period context count in 2 and the bidders context in
15; the test, in 0 and 9. The bidders context still counts in many markets without a cartel because the
conduct screens (firms meeting again, turn-taking) are the bidders' own: tenders that share a pair of firms
that met often by chance share them too. Read without the conduct screens it would count about as often as
chance allows, and lose what it says where the firms' meetings are the signal (the Ohio milk market: the
bench's single-screen table), so it reads them. Each context that
counts is a robust z-score within the market and weighs what one screen family weighs. The tender's own
screens decide whether it has a risk at all: a tender of one bid stays unscored whatever its context says.
``python bench/collusion_eval.py --unseen`` prints, per market, the screens-only score next to the one with
context, and each context family against chance: its ROC AUC when every tender's screens are swapped with
another tender's of the same band (dates and bidders kept). Collusive tenders cluster in time and by firm,
so chance alone moves these families far more than a single screen; a family is only evidence where it
stands out of that range.

Strata. Screens move with the number of bids mechanically (the spread of 12 bids is wider than that
of 3 whatever the firms do), so a tender is ranked among its market's tenders of the same band of
bids (:data:`BANDS`) and, with ``segment=True`` and a ``segment`` column, of the same segment. A
stratum with fewer than ``min_stratum`` values of a screen falls back to a coarser one: market and
band, market and segment, then the whole market.

Format. The cover screens (DIFFP, RD, SKEW, KSTEST and the subgroups' largest relative distance,
:data:`LOWEST_WINS_SCREENS`) read the designated winner as the *lowest* bid, set apart below a tight group
of covers: they presume the contract goes to the lowest price. Where it does not, as in the Italian
average-bid auctions (the contract goes to the bid closest to a trimmed mean of the bids, so cartels move
that mean with many coordinated bids rather than leave a gap under their winner: Conley & Decarolis 2016),
their direction has no basis. So where the table names winners (the ``Winner`` column: award, not a
collusion label) and in fewer than :data:`LOWEST_WINS_MIN` of a market's tenders the winner is the lowest
bid (``winner_rank`` 0), those screens are left out for that market; the variance, subgroup-CV and conduct
screens, which do not depend on who wins, stay. ``lowest_wins_`` records the share per market.

Tenders that cannot be scored. A tender with one bid has no price screen: risk ``NaN``, reason
"single bid". All bids equal: the screens that need a spread are undefined and the tender is ranked
on the rest (a CV of 0 is the lowest of its market), with the reason "all N bids identical" first.

Threshold. No label chooses it either. ``threshold="median"`` (default) flags the upper half of each
market. Balanced accuracy (the mean of the share of collusive tenders flagged and of competitive ones
not flagged) is what a flag is judged by when the share of rigged tenders is unknown, and the median is
the safe choice for it: with a perfect ranking, flagging half gives a balanced accuracy of at least 0.75
whatever that share (all collusive tenders flagged when they are under half, no competitive one flagged
when they are over half); and in the binormal picture the threshold that maximises balanced accuracy
(where both classes are equally likely) flags between 28 % and 72 % of a market at ROC AUC 0.8 whatever
the prevalence, the nearer half the weaker the score, where balanced accuracy changes slowly with the
threshold. ``threshold="mixture"`` fits a two-component Gaussian
mixture to the market's combined scores (``sklearn.mixture.GaussianMixture``) and flags the tenders the
upper component more likely holds, where the scores show a separate group: at least
:data:`MIXTURE_MIN` tenders, a BIC lower than one Gaussian's, and groups apart by Ashman's D above
:data:`ASHMAN_MIN` (Ashman, Bird & Zepf 1994: below 2 a two-Gaussian fit describes a skewed or
heavy-tailed single group, not two); else the median. The guard is not proof: two Gaussians side by side
also fit one flat group (a beta-shaped one) with D above 2, and scores clipped at the z-score's bound pile
up into a narrow "group"; so the mixture is an option and the median the default. A number ``q`` in (0, 1)
flags the top ``q`` share of each market. ``python bench/collusion_eval.py --unseen`` prints the balanced
accuracy of both rules on each market (README).

Priority tier (优先复核). Half of a market flagged is no list to start from: Japan's 1,080 tenders give 540
flags. :meth:`LabelFreeScorer.priority` names the short list an analyst opens first: the riskiest
:data:`PRIORITY_CAP` (5 %) of each market's scored tenders, rounded up, so at least one where a market has a
scored tender. The risk already combines the screen families; 5 % is a review team's workload bound, not a
fitted number, and no label chose it. Ties at the cut are settled by the tender's id in natural order (``T2``
before ``T10``, ``9`` before ``10``; :func:`risk_order`), never by the rows' order in the input: the cut had kept
whichever of two equal risks came first in the file, so the same bids sorted another way gave another tier. The
tier is taken on the risk as written (:data:`RISK_DECIMALS`, four), so two rows that read the same risk are cut by
their ids too. :func:`rank_scores` gives any mode's scores (a model's, on its own market or a new one, an adapted
model's) the same tier on the risk it writes. What it is not: a prediction that its tenders are rigged; ``flagged``
and its median rule stay as they are (balanced accuracy is defined on them).

A stricter rule was tried first, fixed before measuring: risk in the market's top decile *and* at least two
screen families (variance, cover, subgroup, conduct) each with a screen beyond Tukey's outlier fence (1.5
interquartile ranges beyond the quartile, on the collusion side), capped at 5 %. On the four shared markets it
was less precise than the same number of riskiest tenders on three and equal on the fourth (precision, the
tier's size in brackets, against the same number by risk alone): USA 0.357 (70) against 0.400, Italy 0.500 (2)
against 0.500, Japan 0.152 (33) against 0.303, Switzerland 0.724 (152) against 0.829. A second filter on top
of the risk removed good tenders everywhere, so it was dropped; it was not tuned, and no other share or
condition was tried. ``python bench/collusion_eval.py --unseen --label-free-only`` prints the tier's size and
the share of collusive tenders in it against the market's base rate on the labelled markets (README, tender
collusion).

Example
-------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.random(100), "SPD": rng.random(100)})
>>> s = LabelFreeScorer().fit(X)
>>> risk = s.predict_proba(X)[:, 1]
>>> bool(risk[X["CV"].idxmin()] > risk[X["CV"].idxmax()])
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from graphkit.collusion.features import identical_bids_of
from graphkit.collusion.screens import SCREEN_NAMES
from graphkit.model import record_unit

__all__ = [
    "DIRECTIONS",
    "FAMILIES",
    "BANDS",
    "MIXTURE_MIN",
    "ASHMAN_MIN",
    "LOWEST_WINS_SCREENS",
    "LOWEST_WINS_MIN",
    "CONTEXT",
    "PERIOD_DAYS",
    "CONTEXT_MIN",
    "CONTEXT_RHO_MIN",
    "CONTEXT_P",
    "CONTEXT_DRAWS",
    "LabelFreeScorer",
    "oriented_percentiles",
    "spearman",
    "context_p",
    "segment_clustering",
    "score_label_free",
    "cover_note",
    "unscorable",
    "SINGLE_BID",
    "PRIORITY_CAP",
    "priority_rule",
    "RISK_DECIMALS",
    "risk_order",
    "priority_tier",
    "rank_scores",
]

#: screen -> direction collusion moves it (module doc has the sources)
DIRECTIONS: dict[str, int] = {
    "CV": -1,
    "SPD": -1,
    "KURT": +1,
    "DIFFP": +1,
    "RD": +1,
    "SKEW": -1,
    "KSTEST": +1,
    "sub_CV_min": -1,
    "sub_RD_max": +1,
    "tie_share": +1,
    "win_pte": +1,
    "pair_meetings": +1,
    "rot_both_won": +1,
}
#: family -> its screens; each family weighs the same in the combined score
FAMILIES: dict[str, tuple[str, ...]] = {
    "variance": ("CV", "SPD", "KURT"),
    "cover": ("DIFFP", "RD", "SKEW", "KSTEST"),
    "subgroup": ("sub_CV_min", "sub_RD_max"),
    "conduct": ("tie_share", "win_pte", "pair_meetings", "rot_both_won"),
}
#: screens whose direction presumes the lowest bid wins (the designated winner's bid sits apart *below*
#: the cover bids); left out in a market where the winner is usually not the lowest bid (module doc, Format)
LOWEST_WINS_SCREENS: tuple[str, ...] = ("DIFFP", "RD", "SKEW", "KSTEST", "sub_RD_max")
#: share of a market's tenders (with a known winner) in which the winner is the lowest bid, below which the
#: market is read as not awarding to the lowest price
LOWEST_WINS_MIN = 0.5
#: the priority tier (module doc, Priority tier): the riskiest this share of each market's scored tenders
#: (rounded up), a review team's workload bound
PRIORITY_CAP = 0.05
#: a risk as score-bids writes it, to this many decimals: two risks equal as written are equal for the priority tier
RISK_DECIMALS = 4
#: bands of the number of bids (lower bounds); a tender is ranked among tenders of its band
BANDS: tuple[int, ...] = (2, 3, 4, 5, 7, 10, 15, 25, 50)
#: tenders a market needs before its threshold comes from a mixture rather than its median
MIXTURE_MIN = 50
#: a two-component mixture's groups must be this far apart (Ashman's D) before its split is the threshold
ASHMAN_MIN = 2.0
#: context families (module doc, Context): what the market's *other* tenders say about a tender
CONTEXT: tuple[str, ...] = ("period", "bidders", "segment")
#: the period context reads the market's tenders this many days before or after the tender (a year
#: centred on it)
PERIOD_DAYS = 182.5
#: other tenders (for ``bidders``: other bids of the tender's bidders) a context needs to count for a tender
CONTEXT_MIN = 5
#: a context counts in a market only where the tenders' own screen scores and their context's are positively
#: rank-correlated (module doc, Context): a sign, not a fitted number
CONTEXT_RHO_MIN = 0.0
#: ... and where that correlation is beyond chance: a Monte Carlo permutation test (the market's screen scores
#: shuffled among its tenders of the same band of bids, dates and bidders kept) at the conventional 5 %, with
#: 99 shuffles (Besag & Diggle 1977), as the segment context's analysis of variance is (:data:`SEGMENT_P`)
CONTEXT_P = 0.05
CONTEXT_DRAWS = 99
#: the segment context counts in a market only where its segments' screen scores differ at this level of the
#: one-way analysis of variance (:func:`segment_clustering`; the conventional 5 %, not fitted): with a few
#: segments, a sign alone would count in half the markets whose kinds of work do not differ
SEGMENT_P = 0.05
#: the reason of a tender of one bid in every mode (:func:`unscorable`)
SINGLE_BID = "single bid"
#: values of a screen (or of the combined score) within this relative distance are one value when ranked
#: (:meth:`LabelFreeScorer._percentile`): a float's rounding, not the bids, sets the 16th significant digit
TIE_RTOL = 1e-12
_IQR_SD = 1.349  # interquartile range of the standard normal
_Z_CLIP = 4.0  # a robust z-score counts up to this far from the median (one outlier does not decide)
_SEP = "\x1f"
_LABELS = SCREEN_NAMES  # (graphkit.collusion.screens: the Chinese reasons read them without sklearn)
_PERCENT = {"CV", "SPD", "DIFFP", "sub_CV_min", "tie_share", "win_pte", "rot_both_won"}


def _segments(X: pd.DataFrame) -> np.ndarray:
    """Each row's segment as text ("" where the frame has none, or the row's is missing)."""
    if "segment" not in X.columns:
        return np.full(len(X), "", dtype=object)
    return X["segment"].astype(object).where(X["segment"].notna(), "").astype(str).to_numpy(dtype=object)


def _sum_count(keys: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct keys (as text), and the sum and count of the scores under each."""
    agg = (
        pd.Series(np.asarray(scores, dtype=float))
        .groupby(np.asarray(keys).astype(str), sort=True)
        .agg(["sum", "count"])
    )
    return (
        np.asarray(agg.index.astype(str), dtype=str),
        agg["sum"].to_numpy(dtype=float),
        agg["count"].to_numpy(dtype=float),
    )


def _ordinal(k: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _band(n: np.ndarray) -> np.ndarray:
    """Band label of each number of bids ('' below 2)."""
    n = np.asarray(n, dtype=float)
    edges = np.asarray(BANDS, dtype=float)
    idx = np.searchsorted(edges, n, side="right") - 1
    labels = []
    for i in range(len(edges)):
        lo = int(edges[i])
        hi = int(edges[i + 1]) - 1 if i + 1 < len(edges) else None
        labels.append(f"{lo}" if hi == lo else (f"{lo}-{hi}" if hi is not None else f"{lo}+"))
    lab = np.array([""] + labels, dtype=object)
    return lab[np.where(np.isfinite(n) & (idx >= 0), idx + 1, 0)]


def _value(screen: str, v: float) -> str:
    if not np.isfinite(v):
        return "n/a"
    if screen in _PERCENT:
        a = abs(v) * 100
        return (
            "0 %"
            if a == 0
            else (f"{v * 100:.0f} %" if a >= 10 else f"{v * 100:.1f} %" if a >= 1 else f"{v * 100:.2g} %")
        )
    return f"{v:.2f}"


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman correlation (``NaN`` with fewer than 3 pairs or a constant side)."""
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def _period_means(days: np.ndarray):
    """For tenders on ``days``: a function of their scores giving each tender the mean score of the others within
    :data:`PERIOD_DAYS` (``NaN`` below :data:`CONTEXT_MIN` of them), what the period context reads at fit time."""
    order = np.argsort(days, kind="stable")
    d = days[order]
    lo = np.searchsorted(d, days - PERIOD_DAYS, side="left")
    hi = np.searchsorted(d, days + PERIOD_DAYS, side="right")
    cnt = hi - lo - 1

    def means(scores: np.ndarray) -> np.ndarray:
        cs = np.r_[0.0, np.cumsum(scores[order])]
        return np.where(cnt >= CONTEXT_MIN, (cs[hi] - cs[lo] - scores) / np.maximum(cnt, 1), np.nan)

    return means


def _bidder_means(row: np.ndarray, bidder: np.ndarray, n: int):
    """For ``n`` tenders and their (``row``, ``bidder`` code) pairs: a function of their scores giving each tender
    the mean over its bidders of the mean score of the bidder's other tenders (``NaN`` where they are fewer than
    :data:`CONTEXT_MIN`), what the bidders context reads at fit time."""
    k = int(bidder.max()) + 1 if len(bidder) else 0
    others = np.bincount(bidder, minlength=k)[bidder] - 1.0
    has = others > 0
    per_row = np.bincount(row, weights=has, minlength=n)
    read = np.bincount(row, weights=np.where(has, others, 0.0), minlength=n)

    def means(scores: np.ndarray) -> np.ndarray:
        tot = np.bincount(bidder, weights=scores[row], minlength=k)[bidder] - scores[row]
        m = np.bincount(row, weights=np.where(has, tot / np.where(has, others, 1.0), 0.0), minlength=n)
        return np.where((per_row > 0) & (read >= CONTEXT_MIN), m / np.maximum(per_row, 1), np.nan)

    return means


def context_p(scores: np.ndarray, means, band: np.ndarray, rng: np.random.Generator, draws: int = CONTEXT_DRAWS):
    """Monte Carlo p-value of the rank correlation of tenders' ``scores`` and their context ``means(scores)``: the
    share of ``draws`` shuffles of the scores among tenders of the same ``band`` (the context's dates or bidders
    kept) whose correlation is at least as high, the observed one counted among them ((1 + hits) / (1 + draws)).

    Without clustering a leave-one-out mean correlates *negatively* with the tender's own score, and by how much
    depends on how the tenders are spread over days or firms; the shuffles measure it for this market."""
    from scipy.stats import rankdata

    def rho(x: np.ndarray) -> float:
        v = means(x)
        ok = np.isfinite(v)
        if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(v[ok]) == 0:
            return float("nan")
        return float(np.corrcoef(rankdata(x[ok]), rankdata(v[ok]))[0, 1])

    observed = rho(scores)
    if not np.isfinite(observed):
        return float("nan")
    groups = [np.flatnonzero(band == b) for b in pd.unique(band)]
    hits = 0
    for _ in range(draws):
        perm = np.arange(len(scores))
        for g in groups:
            perm[g] = g[rng.permutation(len(g))]
        hits += rho(scores[perm]) >= observed
    return (1 + hits) / (1 + draws)


def segment_clustering(x: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
    """How much tenders of the same segment resemble each other: the intraclass correlation ICC(1) of ``x``
    by ``groups`` and the p-value of the one-way analysis of variance (the F-test that the groups' means
    are equal; Fisher 1925, ``scipy.stats.f_oneway``).

    The leave-one-out mean of a few large groups is, within each group, a decreasing function of the
    tender's own value, so the rank correlation the other contexts use reads that reversal where the
    groups differ by little next to the spread within them; the analysis of variance weighs the difference
    of the means against that spread. ``(NaN, NaN)`` with fewer than two groups of two values.
    """
    from scipy.stats import f_oneway

    x = np.asarray(x, dtype=float)
    groups = np.asarray(groups).astype(str)
    parts = [x[groups == g] for g in pd.unique(groups)]
    parts = [p for p in parts if len(p) >= 2]
    if len(parts) < 2 or not np.ptp(np.concatenate(parts)) > 0:
        return float("nan"), float("nan")
    test = f_oneway(*parts)
    n = np.array([len(p) for p in parts], dtype=float)
    n0 = (n.sum() - (n**2).sum() / n.sum()) / (len(n) - 1)  # the mean group size, unequal groups (Snedecor)
    f = float(test.statistic)
    # ICC(1) = (MSB − MSW) / (MSB + (n0 − 1) MSW), with F = MSB / MSW
    icc = (f - 1) / (f + n0 - 1) if np.isfinite(f) else (1.0 if f == np.inf else float("nan"))
    return float(icc), float(test.pvalue)


class LabelFreeScorer(ClassifierMixin, BaseEstimator):
    """Tender collusion risk from screens oriented by theory and ranked within the market; no labels.

    Parameters
    ----------
    screens : tuple of str or None
        Screens to use (default: every key of :data:`DIRECTIONS`); each must be in :data:`DIRECTIONS`.
    segment : bool
        Rank within the tender's segment too, where ``X`` has a ``segment`` column.
    standardise : {"zscore", "rank"}
        How a screen is put on one scale within its stratum before the mean: a robust z-score
        ((value − median) / (IQR / 1.349), clipped at ±4) keeps how *far* out a tender is, and so
        whether a group of tenders stands apart (what the mixture threshold looks for); the
        percentile rank keeps only the order. Reasons always quote the percentile.
    min_stratum : int
        Values of a screen a stratum needs to be a reference (else the next coarser stratum).
    threshold : "median", "mixture" or float
        How the decision threshold is set per market without labels (module doc): the market's median, a
        Gaussian mixture of the combined scores where they show a separate group, or the share ``q`` of
        each market's tenders to flag.
    n_reasons : int
        Screens named in each tender's reasons.
    context : bool
        Add the context families (module doc, Context) where ``X`` has what they read: ``tender_days``
        for ``period``, ``bidders`` for ``bidders``.
    random_state : int
        Seed of the mixture.

    Attributes
    ----------
    screens_ : list of str
        Screens used (those in ``X`` at fit time).
    reference_ : dict
        Stratum key (market, band, segment joined by a unit separator; empty parts are coarser
        strata) -> screen -> sorted array of the screen's values there.
    combined_ : dict
        Market -> sorted combined scores of its tenders (the risk is the percentile among them).
    threshold_ : dict
        Market -> risk above which :meth:`predict` says collusive.
    threshold_rule_ : dict
        Market -> how its threshold was set (the mixture, or the median and why).
    lowest_wins_ : dict
        Market -> share of its tenders with a known winner in which the winner is the lowest bid (markets
        without winners are absent); below :data:`LOWEST_WINS_MIN` the cover screens are left out there.
    winners_known_ : dict
        Market -> how many of its tenders (two bids or more) have a known winner: what ``lowest_wins_`` is a
        share of.
    context_ : list of str
        Context families used (those of :data:`CONTEXT` whose columns ``X`` had at fit time).
    own_keys_, own_scores_ : ndarray
        The fit tenders' keys (``X``'s index as text, sorted) and their screens-only combined scores: what a
        fit tender leaves out of its own context.
    own_market_scores_ : ndarray
        Where the segment context is read: the same scores ranked within the band but not the segment, in the
        order of :attr:`own_keys_` (what a fit tender leaves out of its segment context); else empty.
    context_ref_ : dict
        ``"period<US>market"`` -> {"days", "scores"} of the market's fit tenders sorted by day;
        ``"bidders<US>market"`` -> {"bidder" (sorted ids), "sum", "count"} of each bidder's scores over its
        fit tenders; ``"segment<US>market"`` -> {"segment" (sorted), "sum", "count"} of each segment's
        :attr:`own_market_scores_` (``<US>``: the unit separator).
    context_scale_ : dict
        ``"context<US>market"`` -> {"median", "scale", "values" (sorted)} of the context over the market's fit
        tenders; only where the context counts there (:attr:`context_rho_`).
    context_rho_ : dict
        ``"context<US>market"`` -> Spearman correlation of the fit tenders' own screen scores and their
        context's (for ``segment``: the intraclass correlation of :func:`segment_clustering`, which also needs
        the analysis of variance's p below :data:`SEGMENT_P`); the context counts in the market only above
        :data:`CONTEXT_RHO_MIN`, and where :attr:`context_p_` is at most :data:`CONTEXT_P`.
    context_p_ : dict
        ``"context<US>market"`` -> the permutation test's p of that correlation (:func:`context_p`; ``NaN`` where
        the correlation is not positive, so not tested; for ``segment``: the analysis of variance's p).
    context_used_ : dict
        Market -> the context families that count there.
    classes_ : ndarray
        ``[0, 1]``.
    """

    def __init__(
        self,
        *,
        screens: tuple[str, ...] | None = None,
        segment: bool = True,
        standardise: str = "zscore",
        min_stratum: int = 30,
        threshold: str | float = "median",
        n_reasons: int = 3,
        context: bool = True,
        random_state: int = 0,
    ) -> None:
        self.screens = screens
        self.segment = segment
        self.standardise = standardise
        self.min_stratum = min_stratum
        self.threshold = threshold
        self.n_reasons = n_reasons
        self.context = context
        self.random_state = random_state

    # ------------------------------------------------------------------ strata
    def _frame(self, X) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
        """Screens frame, market, band and segment of each row."""
        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                "LabelFreeScorer reads a tender feature frame (graphkit.collusion.features.tender_features)"
            )
        if "n_bids" not in X.columns:
            raise ValueError("the tender frame needs an 'n_bids' column")
        n = len(X)
        market = X["market"].astype(str).to_numpy(dtype=object) if "market" in X.columns else np.full(n, "all", object)
        band = _band(X["n_bids"].to_numpy(dtype=float))
        seg = _segments(X) if self.segment else np.full(n, "", dtype=object)
        screens = getattr(self, "screens_", None)
        if screens is None:
            wanted = list(self.screens) if self.screens is not None else list(DIRECTIONS)
            bad = [s for s in wanted if s not in DIRECTIONS]
            if bad:
                raise ValueError(f"no direction is known for {', '.join(bad)} (see DIRECTIONS)")
            screens = [s for s in wanted if s in X.columns]
        F = pd.DataFrame(
            {
                s: pd.to_numeric(X[s], errors="coerce").to_numpy(dtype=float) if s in X.columns else np.nan
                for s in screens
            },
            index=X.index,
        )
        F = F.where(np.isfinite(F), np.nan)
        single = X["n_bids"].to_numpy(dtype=float) < 2
        F.loc[single, :] = np.nan  # one bid: nothing to compare, whatever a column says
        cover = [c for c in LOWEST_WINS_SCREENS if c in F.columns]
        for m, share in getattr(self, "lowest_wins_", {}).items():
            if share < LOWEST_WINS_MIN and cover:
                F.loc[market == m, cover] = np.nan  # not a lowest-price award: the cover screens mean nothing
        return F, market, band, seg

    @staticmethod
    def _lowest_wins(X: pd.DataFrame) -> tuple[dict[str, float], dict[str, int]]:
        """Market -> share of its tenders with a known winner (two bids or more) won by the lowest bid, and
        market -> how many such tenders it has."""
        if "winner_rank" not in X.columns:
            return {}, {}
        wr = pd.to_numeric(X["winner_rank"], errors="coerce").to_numpy(dtype=float)
        market = X["market"].astype(str).to_numpy() if "market" in X.columns else np.full(len(X), "all")
        ok = np.isfinite(wr)
        share, known = {}, {}
        for m in pd.unique(market[ok]):
            w = wr[ok & (market == m)]
            share[str(m)], known[str(m)] = float((w == 0).mean()), len(w)
        return share, known

    @staticmethod
    def _keys(market, band, seg) -> list[np.ndarray]:
        """Stratum keys from finest to coarsest."""
        m = pd.Series(market, dtype=object).astype(str)
        b = pd.Series(band, dtype=object).astype(str)
        s = pd.Series(seg, dtype=object).astype(str)
        return [
            (m + _SEP + b + _SEP + s).to_numpy(dtype=object),
            (m + _SEP + b + _SEP).to_numpy(dtype=object),
            (m + _SEP + _SEP + s).to_numpy(dtype=object),
            (m + _SEP + _SEP).to_numpy(dtype=object),
        ]

    # ------------------------------------------------------------------ fit
    def fit(self, X, y=None) -> LabelFreeScorer:
        """Store each market's screen distributions (per stratum) and combined scores; ``y`` is ignored.

        Parameters
        ----------
        X : DataFrame
            Tender feature frame (:func:`~graphkit.collusion.features.tender_features`).
        y : ignored
            Accepted for the scikit-learn API; never read.

        Returns
        -------
        self
        """
        if self.standardise not in ("zscore", "rank"):
            raise ValueError(f"standardise must be 'zscore' or 'rank', not {self.standardise!r}")
        if not (isinstance(self.threshold, str) and self.threshold in ("median", "mixture")):
            try:
                q = float(self.threshold)
            except (TypeError, ValueError):
                q = float("nan")
            if not 0 < q < 1:
                raise ValueError(f"threshold must be 'median', 'mixture' or a share in (0, 1), not {self.threshold!r}")
        self.screens_ = None
        self.lowest_wins_, self.winners_known_ = self._lowest_wins(X)
        F, market, band, seg = self._frame(X)
        self.screens_ = list(F.columns)
        if not self.screens_:
            raise ValueError(f"the frame has none of the screens {', '.join(DIRECTIONS)}")
        ref: dict[str, dict[str, np.ndarray]] = {}
        for keys in self._keys(market, band, seg):
            codes, uniq = pd.factorize(pd.Series(keys, dtype=object), sort=False)
            for s in self.screens_:
                v = F[s].to_numpy()
                ok = ~np.isnan(v)
                if not ok.any():
                    continue
                order = np.lexsort((v[ok], codes[ok]))
                cv, vv = codes[ok][order], v[ok][order]
                bounds = np.flatnonzero(np.r_[True, cv[1:] != cv[:-1], True])
                for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                    if b - a >= self.min_stratum or uniq[cv[a]].endswith(_SEP + _SEP):
                        ref.setdefault(uniq[cv[a]], {})[s] = vv[a:b].copy()
        self.reference_ = ref
        self.classes_ = np.array([0, 1])
        own, _, have = self._screen_combined(F, market, band, seg)
        raw = self._fit_context(X, market, own, F, band, seg)
        comb, _ = self._with_context(X, market, own, have, (None, None, None), F, raw=raw)
        self.combined_ = {}
        self.threshold_ = {}
        self.threshold_rule_ = {}
        for m in pd.unique(market):
            c = comb[(market == m) & ~np.isnan(comb)]
            self.combined_[str(m)] = np.sort(c)
            self.threshold_[str(m)], self.threshold_rule_[str(m)] = self._choose_threshold(np.sort(c))
        return self

    def _choose_threshold(self, c: np.ndarray) -> tuple[float, str]:
        """Risk threshold of one market from its combined scores (module doc), no labels, and how it was set."""
        if len(c) == 0:
            return 0.5, "median (no scored tender)"
        if not isinstance(self.threshold, str):
            return 1.0 - float(self.threshold), f"top {float(self.threshold):.0%} of the market"
        if self.threshold == "median":
            return 0.5, "median (the upper half of the market)"
        if len(c) < MIXTURE_MIN or np.ptp(c) == 0:
            return 0.5, f"median (fewer than {MIXTURE_MIN} tenders to look for a second group)"
        from sklearn.mixture import GaussianMixture

        x = c.reshape(-1, 1)
        gm = GaussianMixture(2, random_state=self.random_state, n_init=3).fit(x)
        one = GaussianMixture(1, random_state=self.random_state).fit(x)
        if gm.bic(x) >= one.bic(x):  # one group describes the scores as well: no separate group to flag
            return 0.5, "median (the scores show no second group)"
        mu = gm.means_.ravel()
        sd = np.sqrt(gm.covariances_.ravel())
        ashman = float(np.sqrt(2) * abs(mu[0] - mu[1]) / np.sqrt(sd[0] ** 2 + sd[1] ** 2))
        if ashman <= ASHMAN_MIN:
            return 0.5, f"median (the mixture's two groups overlap: Ashman's D {ashman:.1f}, not above {ASHMAN_MIN:g})"
        hi = int(np.argmax(mu))
        grid = np.linspace(c[0], c[-1], 512)
        post = gm.predict_proba(grid.reshape(-1, 1))[:, hi]
        inside = (grid > mu.min()) & (grid < mu.max())
        if not inside.any():
            return 0.5, "median (the mixture's two groups do not overlap the scores)"
        cut = grid[inside][np.argmin(np.abs(post[inside] - 0.5))]
        return float(self._percentile(c, np.array([cut]))[0]), "two-component mixture of the market's scores"

    @staticmethod
    def _percentile(sorted_ref: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Mid-rank percentile of each value in a sorted reference, in (0, 1); values within a relative
        :data:`TIE_RTOL` of each other are ties. Twelve lots of the same four firms at the same relative prices
        have one CV in exact arithmetic, but computed from other amounts it differs in the 17th digit, and the
        lots read 'lowest 4 %' to 'lowest 18 %', risks 0.89 to 0.76, ordered by rounding noise."""
        tol = TIE_RTOL * np.abs(v)
        lo = np.searchsorted(sorted_ref, v - tol, side="left")
        hi = np.searchsorted(sorted_ref, v + tol, side="right")
        return (lo + hi) / 2 / len(sorted_ref)

    # ------------------------------------------------------------------ transform
    def _oriented(self, F, market, band, seg) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Percentile of each screen in its stratum, the oriented deviation in [-1, 1] and the stratum used."""
        n = len(F)
        P = pd.DataFrame(np.nan, index=F.index, columns=self.screens_)
        D = P.copy()
        where = pd.DataFrame("", index=F.index, columns=self.screens_, dtype=object)
        levels = self._keys(market, band, seg)
        for s in self.screens_:
            v = F[s].to_numpy()
            todo = ~np.isnan(v)
            p = np.full(n, np.nan)
            z = np.full(n, np.nan)
            w = np.full(n, "", dtype=object)
            for keys in levels:
                if not todo.any():
                    break
                for k in pd.unique(keys[todo]):
                    r = self.reference_.get(k, {}).get(s)
                    if r is None or len(r) == 0:
                        continue
                    rows = todo & (keys == k)
                    p[rows] = self._percentile(r, v[rows])
                    q1, med, q3 = np.quantile(r, [0.25, 0.5, 0.75])
                    scale = (q3 - q1) / _IQR_SD
                    if not scale > 0:  # half the stratum or more share one value: spread from the rest
                        mad = np.median(np.abs(r - med)) * 1.4826
                        scale = mad if mad > 0 else (np.std(r) if np.std(r) > 0 else 1.0)
                    z[rows] = (v[rows] - med) / scale
                    w[rows] = k
                    todo &= ~rows
            P[s] = p
            where[s] = w
            if self.standardise == "rank":
                D[s] = DIRECTIONS[s] * (2 * p - 1)
            else:
                D[s] = DIRECTIONS[s] * np.clip(z, -_Z_CLIP, _Z_CLIP) / _Z_CLIP
        return P, D, where

    def _screen_combined(self, F, market, band, seg) -> tuple[np.ndarray, tuple, np.ndarray]:
        """Mean over the screen families of the oriented screens, its parts, and the families each tender has."""
        P, D, where = self._oriented(F, market, band, seg)
        fam = []
        for screens in FAMILIES.values():
            cols = [s for s in screens if s in D.columns]
            if cols:
                block = D[cols].to_numpy()
                k = (~np.isnan(block)).sum(axis=1)
                fam.append(
                    np.where(k > 0, np.where(np.isnan(block), 0.0, block).sum(axis=1) / np.maximum(k, 1), np.nan)
                )
        A = np.vstack(fam).T
        have = (~np.isnan(A)).sum(axis=1)
        total = np.where(np.isnan(A), 0.0, A).sum(axis=1)
        comb = np.where(have > 0, total / np.maximum(have, 1), np.nan)
        return comb, (P, D, where), have

    # ------------------------------------------------------------------ context
    def _fit_context(
        self, X: pd.DataFrame, market: np.ndarray, own: np.ndarray, F: pd.DataFrame, band: np.ndarray, seg: np.ndarray
    ) -> pd.DataFrame | None:
        """Store the fit tenders' screen scores by day, by bidder and by segment, then each context's scale per
        market; return the fit tenders' raw contexts (``None`` without context)."""
        self.context_ = []
        keys = np.asarray(X.index.astype(str), dtype=str)
        order = np.argsort(keys, kind="stable")
        k, sc = keys[order], np.asarray(own, dtype=float)[order]
        dup = np.r_[k[1:] == k[:-1], False] | np.r_[False, k[1:] == k[:-1]]  # a key used twice names no tender
        self.own_keys_, self.own_scores_ = k[~dup], sc[~dup]
        # the segment context compares segments, so it reads scores ranked within the band but not the segment
        segmented = self.context and bool((seg != "").any()) and len(pd.unique(seg[seg != ""])) > 1
        whole = self._screen_combined(F, market, band, np.full(len(F), "", dtype=object))[0] if segmented else own
        self.own_market_scores_ = np.asarray(whole, dtype=float)[order][~dup] if segmented else np.empty(0)
        self.context_ref_ = {}
        self.context_scale_ = {}
        self.context_rho_ = {}
        self.context_p_ = {}
        self.context_used_ = {}
        if not self.context:
            return None
        ok = np.isfinite(own)
        if "tender_days" in X.columns:
            days = pd.to_numeric(X["tender_days"], errors="coerce").to_numpy(dtype=float)
            if np.isfinite(days[ok]).any():
                self.context_.append("period")
                for m in pd.unique(market):
                    rows = ok & (market == m) & np.isfinite(days)
                    order = np.argsort(days[rows], kind="stable")
                    self.context_ref_["period" + _SEP + str(m)] = {
                        "days": days[rows][order],
                        "scores": own[rows][order],
                    }
        if "bidders" in X.columns and X["bidders"].notna().any():
            self.context_.append("bidders")
            pairs = self._bidder_pairs(X, market)
            pairs = pairs.assign(score=own[pairs["row"].to_numpy()])
            pairs = pairs[np.isfinite(pairs["score"].to_numpy())]
            for m, g in pairs.groupby("market", sort=False):
                ids, tot, cnt = _sum_count(g["bidder"].to_numpy(), g["score"].to_numpy())
                self.context_ref_["bidders" + _SEP + str(m)] = {"bidder": ids, "sum": tot, "count": cnt}
        if segmented:
            self.context_.append("segment")
            scored = np.isfinite(whole) & (seg != "")
            for m in pd.unique(market):
                rows = scored & (market == m)
                ids, tot, cnt = _sum_count(seg[rows], whole[rows])
                self.context_ref_["segment" + _SEP + str(m)] = {"segment": ids, "sum": tot, "count": cnt}
        raw = self._context_raw(X, market)
        for ci, c in enumerate(self.context_):
            v = raw[c].to_numpy()
            x = whole if c == "segment" else own
            for mi, m in enumerate(pd.unique(market)):
                rows = (market == m) & np.isfinite(v) & np.isfinite(x)
                if c == "segment":
                    rho, p = segment_clustering(x[rows], seg[rows])
                    counts = rho > CONTEXT_RHO_MIN and p < SEGMENT_P
                else:
                    rho = spearman(x[rows], v[rows])
                    p = float("nan")
                    if rho > CONTEXT_RHO_MIN:
                        rng = np.random.default_rng([self.random_state, ci, mi])
                        p = self._context_p(X, c, ok & (market == m), own, band, rng)
                    counts = rho > CONTEXT_RHO_MIN and p <= CONTEXT_P
                self.context_rho_[c + _SEP + str(m)] = rho
                self.context_p_[c + _SEP + str(m)] = float(p)
                if not counts:  # neighbours do not resemble the tender here: no context
                    continue
                r = np.sort(v[(market == m) & np.isfinite(v)])
                if len(r) == 0:
                    continue
                self.context_used_.setdefault(str(m), []).append(c)
                q1, med, q3 = np.quantile(r, [0.25, 0.5, 0.75])
                scale = (q3 - q1) / _IQR_SD
                if not scale > 0:
                    scale = float(np.std(r)) if np.std(r) > 0 else 1.0
                self.context_scale_[c + _SEP + str(m)] = {"median": float(med), "scale": float(scale), "values": r}
        return raw

    def _context_p(self, X: pd.DataFrame, c: str, fit: np.ndarray, own: np.ndarray, band, rng) -> float:
        """:func:`context_p` of context ``c`` over the market's fit tenders ``fit`` (a mask of ``X``'s rows)."""
        rows = np.flatnonzero(fit)
        if c == "period":
            days = pd.to_numeric(X["tender_days"], errors="coerce").to_numpy(dtype=float)[rows]
            rows = rows[np.isfinite(days)]
            means = _period_means(days[np.isfinite(days)])
        else:
            pairs = self._bidder_pairs(X.iloc[rows], np.full(len(rows), "", dtype=object))
            means = _bidder_means(
                pairs["row"].to_numpy(dtype=np.int64), pd.factorize(pairs["bidder"])[0].astype(np.int64), len(rows)
            )
        return context_p(np.asarray(own, dtype=float)[rows], means, np.asarray(band, dtype=object)[rows], rng)

    def _own(self, X: pd.DataFrame, whole_market: bool = False) -> np.ndarray:
        """Each row's screens-only score at fit time (``NaN`` for a tender that was not fitted); ``whole_market``:
        the score ranked within the band but not the segment (what the segment context reads)."""
        keys = np.asarray(X.index.astype(str), dtype=str)
        k = self.own_keys_
        scores = self.own_market_scores_ if whole_market else self.own_scores_
        if len(k) == 0 or len(scores) != len(k):
            return np.full(len(keys), np.nan)
        pos = np.clip(np.searchsorted(k, keys), 0, len(k) - 1)
        return np.where(k[pos] == keys, scores[pos], np.nan)

    @staticmethod
    def _bidder_pairs(X: pd.DataFrame, market: np.ndarray) -> pd.DataFrame:
        """One row per (tender row, bidder): ``row`` (position in ``X``), ``market``, ``bidder``."""
        from graphkit.collusion.features import BIDDER_SEP

        b = X["bidders"]
        has = b.notna().to_numpy()
        ex = pd.Series(b.to_numpy(dtype=object)[has], index=np.flatnonzero(has)).astype(str).str.split(BIDDER_SEP)
        ex = ex.explode()
        rows = ex.index.to_numpy(dtype=int)
        return pd.DataFrame({"row": rows, "market": market[rows].astype(str), "bidder": ex.to_numpy(dtype=object)})

    def _context_raw(self, X: pd.DataFrame, market: np.ndarray) -> pd.DataFrame:
        """Each context's raw value per tender: the mean screen score of the other tenders it reads.

        A tender that was fitted (its key in :attr:`own_keys_`) leaves itself out; ``NaN`` where fewer than
        :data:`CONTEXT_MIN` other tenders are read."""
        n = len(X)
        out = pd.DataFrame(index=X.index)
        mine = self._own(X)
        self_in = np.isfinite(mine)
        if "period" in self.context_:
            days = (
                pd.to_numeric(X["tender_days"], errors="coerce").to_numpy(dtype=float)
                if "tender_days" in X.columns
                else np.full(n, np.nan)
            )
            v = np.full(n, np.nan)
            for m in pd.unique(market):
                ref = self.context_ref_.get("period" + _SEP + str(m))
                rows = np.flatnonzero((market == m) & np.isfinite(days))
                if ref is None or len(rows) == 0:
                    continue
                d = ref["days"]
                cs = np.r_[0.0, np.cumsum(ref["scores"])]
                lo = np.searchsorted(d, days[rows] - PERIOD_DAYS, side="left")
                hi = np.searchsorted(d, days[rows] + PERIOD_DAYS, side="right")
                tot = cs[hi] - cs[lo] - np.where(self_in[rows], mine[rows], 0.0)
                cnt = (hi - lo) - self_in[rows]
                v[rows] = np.where(cnt >= CONTEXT_MIN, tot / np.maximum(cnt, 1), np.nan)
            out["period"] = v
        if "bidders" in self.context_:
            v = np.full(n, np.nan)
            if "bidders" in X.columns and X["bidders"].notna().any():
                pairs = self._bidder_pairs(X, market)
                parts = []
                for m, g in pairs.groupby("market", sort=False):
                    ref = self.context_ref_.get("bidders" + _SEP + str(m))
                    if ref is None or len(ref["bidder"]) == 0:
                        continue
                    ids = np.asarray(g["bidder"].to_numpy(), dtype=str)
                    pos = np.clip(np.searchsorted(ref["bidder"], ids), 0, len(ref["bidder"]) - 1)
                    known = ref["bidder"][pos] == ids
                    parts.append(
                        pd.DataFrame(
                            {
                                "row": g["row"].to_numpy()[known],
                                "sum": ref["sum"][pos][known],
                                "count": ref["count"][pos][known],
                            }
                        )
                    )
                if parts:
                    p = pd.concat(parts, ignore_index=True).dropna()
                    r = p["row"].to_numpy(dtype=int)
                    p["sum"] -= np.where(self_in[r], mine[r], 0.0)
                    p["count"] -= self_in[r]
                    p = p[p["count"].to_numpy() > 0]
                    p = p.assign(mean=p["sum"] / p["count"])
                    g = p.groupby("row").agg(mean=("mean", "mean"), n=("count", "sum"))
                    ok = g["n"].to_numpy() >= CONTEXT_MIN
                    v[g.index.to_numpy(dtype=int)[ok]] = g["mean"].to_numpy()[ok]
            out["bidders"] = v
        if "segment" in self.context_:
            v = np.full(n, np.nan)
            if "segment" in X.columns:
                seg = _segments(X).astype(str)
                mine_w = self._own(X, whole_market=True)
                in_w = np.isfinite(mine_w)
                for m in pd.unique(market):
                    ref = self.context_ref_.get("segment" + _SEP + str(m))
                    rows = np.flatnonzero((market == m) & (seg != ""))
                    if ref is None or len(ref["segment"]) == 0 or len(rows) == 0:
                        continue
                    pos = np.clip(np.searchsorted(ref["segment"], seg[rows]), 0, len(ref["segment"]) - 1)
                    known = ref["segment"][pos] == seg[rows]
                    tot = np.where(known, ref["sum"][pos], 0.0) - np.where(in_w[rows], mine_w[rows], 0.0)
                    cnt = np.where(known, ref["count"][pos], 0.0) - in_w[rows]
                    v[rows] = np.where(known & (cnt >= CONTEXT_MIN), tot / np.maximum(cnt, 1), np.nan)
            out["segment"] = v
        return out

    def _with_context(self, X, market, own, have, parts, F, raw=None) -> tuple[np.ndarray, tuple]:
        """The combined score with the context families, and the parts extended by them (``raw``: the
        contexts of ``X`` when already computed)."""
        P, D, where = parts
        ctx = getattr(self, "context_", [])
        if not ctx:
            return own, parts
        if raw is None:
            raw = self._context_raw(X, market)
        total = np.where(have > 0, np.nan_to_num(own) * have, 0.0)
        k = have.astype(float).copy()
        cP = pd.DataFrame(np.nan, index=X.index, columns=ctx)
        cD = cP.copy()
        for c in ctx:
            v = raw[c].to_numpy()
            z = np.full(len(v), np.nan)
            p = np.full(len(v), np.nan)
            for m in pd.unique(market):
                sc = self.context_scale_.get(c + _SEP + str(m))
                rows = (market == m) & np.isfinite(v)
                if sc is None or not rows.any():
                    continue
                med, scale, ref = sc["median"], sc["scale"], sc["values"]
                z[rows] = np.clip((v[rows] - med) / scale, -_Z_CLIP, _Z_CLIP) / _Z_CLIP
                p[rows] = self._percentile(ref, v[rows])
            if self.standardise == "rank":
                z = 2 * p - 1
            use = np.isfinite(z) & (have > 0)
            total += np.where(use, z, 0.0)
            k += use
            cD[c] = np.where(use, z, np.nan)
            cP[c] = np.where(use, p, np.nan)
        comb = np.where(have > 0, total / np.maximum(k, 1), np.nan)
        if P is None:
            return comb, parts
        stratum = market.astype(str) + _SEP + _SEP
        segs = _segments(X)
        cw = pd.DataFrame(
            {c: np.where(cD[c].notna(), stratum + (segs if c == "segment" else ""), "") for c in ctx}, index=X.index
        )
        cF = raw[ctx].set_axis(F.index)
        return comb, (
            pd.concat([P, cP.set_axis(P.index)], axis=1),
            pd.concat([D, cD.set_axis(D.index)], axis=1),
            pd.concat([where, cw.set_axis(where.index)], axis=1),
            pd.concat([F, cF], axis=1),
        )

    def _risk(self, X) -> tuple[np.ndarray, np.ndarray, tuple, tuple]:
        check_is_fitted(self, "reference_")
        F, market, band, seg = self._frame(X)
        own, parts, have = self._screen_combined(F, market, band, seg)
        comb, ext = self._with_context(X, market, own, have, parts, F)
        if len(ext) == 4:  # context families added: their columns join the screens' for the reasons
            parts, F = ext[:3], ext[3]
        risk = np.full(len(F), np.nan)
        for m in pd.unique(market):
            rows = (market == m) & ~np.isnan(comb)
            ref = self.combined_.get(str(m))
            if ref is None or len(ref) == 0:  # a market not seen at fit time: its own tenders are the reference
                ref = np.sort(comb[rows])
            if len(ref):
                risk[rows] = self._percentile(ref, comb[rows])
        return risk, comb, parts, (F, market, band, seg)

    def predict_proba(self, X) -> np.ndarray:
        """``(n, 2)`` array; column 1 is the risk (percentile of the combined score in the market).

        A tender with no screen (one bid) has ``NaN`` in both columns.
        """
        risk = self._risk(X)[0]
        return np.column_stack([1 - risk, risk])

    def decision_function(self, X) -> np.ndarray:
        """The combined score: mean over the screen families and the context families that count, in [-1, 1]."""
        return self._risk(X)[1]

    def family_count(self, market: str) -> int:
        """Families the market's combined score averages: the screen families with a screen fitted there, and
        the context families that count there (0 for a market not seen at fit time)."""
        check_is_fitted(self, "reference_")
        ref = self.reference_.get(str(market) + _SEP + _SEP, {})
        screens = sum(any(s in ref for s in cols) for cols in FAMILIES.values())
        return int(screens + (len(self.context_used_.get(str(market), [])) if screens else 0))

    def cover_left_out(self) -> dict[str, float]:
        """Markets whose cover screens (:data:`LOWEST_WINS_SCREENS`) are left out, each with the share of its
        tenders (with a known winner) that the lowest bid wins, below :data:`LOWEST_WINS_MIN` (module doc,
        Format); empty where none is, or where no cover screen was read."""
        check_is_fitted(self, "reference_")
        if not any(c in self.screens_ for c in LOWEST_WINS_SCREENS):
            return {}
        return {m: share for m, share in self.lowest_wins_.items() if share < LOWEST_WINS_MIN}

    def thresholds(self, X) -> np.ndarray:
        """Each row's market threshold (0.5 for a market not seen at fit time)."""
        check_is_fitted(self, "threshold_")
        market = X["market"].astype(str).to_numpy() if "market" in X.columns else np.full(len(X), "all")
        return np.array([self.threshold_.get(m, 0.5) for m in market], dtype=float)

    def predict(self, X) -> np.ndarray:
        """1 where the risk is above the market's threshold; 0 otherwise (also for an unscored tender)."""
        risk = self.predict_proba(X)[:, 1]
        return (np.nan_to_num(risk, nan=-1.0) > self.thresholds(X)).astype(int)

    # ------------------------------------------------------------------ priority tier
    def priority(self, X, risk: np.ndarray | None = None) -> np.ndarray:
        """1 for the tenders of the priority tier (优先复核; module doc, Priority tier), 0 otherwise: the riskiest
        :data:`PRIORITY_CAP` of each market's scored tenders, rounded up (at least one where the market has a
        scored tender); an unscored tender (no risk) is never in it. Ties at the cut go by the tender's id
        (:func:`priority_tier`), so the tier does not depend on the order of ``X``'s rows.

        ``risk``: the tenders' risk if already computed (:meth:`predict_proba` column 1)."""
        if risk is None:
            risk = self.predict_proba(X)[:, 1]
        tender = X["tender"] if "tender" in X.columns else X.index
        return priority_tier(risk, tender, X["market"] if "market" in X.columns else None)

    # ------------------------------------------------------------------ reasons
    def explain(self, X) -> tuple[np.ndarray, list[str]]:
        """Risk of every tender and its reasons, most collusion-like screens first.

        Returns
        -------
        risk : ndarray
            As :meth:`predict_proba` column 1.
        reasons : list of str
            "CV 1.2 %, lowest 5 % of this market's tenders with 4 bids; …"; "single bid" for a tender of
            one bid (:func:`unscorable`); a tender below its market's threshold starts with
            "looks competitive:" and names the screens that lowered it.
        """
        risk, _, (P, D, where), (F, market, band, seg) = self._risk(X)
        thr = self.thresholds(X)
        nb = X["n_bids"].to_numpy(dtype=float)
        same = identical_bids_of(X)
        Pv, Dv, Wv, Fv = P.to_numpy(), D.to_numpy(), where.to_numpy(), F.to_numpy()
        names = list(D.columns)
        places = self._segment_places() if "segment" in names else None
        out = []
        for i in range(len(X)):
            if not nb[i] >= 2:
                out.append(SINGLE_BID)
                continue
            head = [same[i]] if same[i] else []
            if not np.isfinite(risk[i]):
                out.append("; ".join([*head, "no screen defined for this tender"]))
                continue
            flagged = risk[i] > thr[i]
            d = Dv[i]
            ok = np.flatnonzero(~np.isnan(d))
            order = ok[np.argsort(-d[ok] if flagged else d[ok], kind="stable")][: self.n_reasons]
            parts = [self._sentence(names[j], Fv[i, j], Pv[i, j], Wv[i, j], places) for j in order]
            lead = f"risk in the top {max(1, round((1 - risk[i]) * 100))} % of this market's tenders"
            if flagged:
                out.append("; ".join([*head, lead, *parts]))
            else:
                out.append("looks competitive: " + "; ".join([*head, *parts]))
        return risk, out

    def _segment_places(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(market, segment) -> its place among the market's segments by the mean screen score of their fit
        tenders (1: the most collusion-like), and how many segments the market has."""
        out = {}
        for key, ref in getattr(self, "context_ref_", {}).items():
            c, m = key.split(_SEP, 1)
            if c == "segment":
                order = ref["segment"][np.argsort(-ref["sum"] / np.maximum(ref["count"], 1), kind="stable")]
                out |= {(m, str(g)): (i + 1, len(order)) for i, g in enumerate(order)}
        return out

    @staticmethod
    def _sentence(screen: str, v: float, p: float, key: str, places: dict | None = None) -> str:
        low = p <= 0.5
        share = max(1, round((p if low else 1 - p) * 100))
        if screen == "segment" and places:
            m, _, seg = (key.split(_SEP) + ["", ""])[:3]
            if (m, seg) in places:
                place, of = places[(m, seg)]
                look = "look competitive" if low else "look collusion-like"
                where = f"{_ordinal(place)} of this market's {of} segments"
                return f"the other tenders of its segment {seg} {look} on the screens ({where})"
        if screen in CONTEXT:
            look = "look competitive" if low else "look collusion-like"
            rank = f"{'lowest' if low else 'highest'} {share} %"
            return f"{_LABELS[screen]} {look} on the screens ({rank} of this market's tenders)"
        _, b, s = (key.split(_SEP) + ["", ""])[:3]
        where = "this market's tenders"
        if b:
            where += f" with {b} bids"
        if s:
            where += f" of segment {s}"
        return f"{_LABELS[screen]} {_value(screen, v)}, {'lowest' if low else 'highest'} {share} % of {where}"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.classifier_tags.multi_class = False
        tags.target_tags.required = False
        return tags


def _natural(tender: str) -> tuple:
    """A tender id's natural sort key: its runs of digits by their number (``T2`` before ``T10``), the id itself
    last (``07`` and ``7`` apart)."""
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", tender) if p)
    return parts, tender


def risk_order(risk, tender, market=None) -> np.ndarray:
    """The positions of the tenders riskiest first, an unscored one (no risk) after every scored one; risks equal
    as written (:data:`RISK_DECIMALS`) by the market, then the tender's id in natural order (``T2`` before
    ``T10``): the order, and the priority tier's cut, depend on the tenders, never on the rows' order in the input
    (module doc, Priority tier).

    >>> risk_order([0.5, 0.9, 0.5, np.nan, 0.50001], ["T10", "T1", "T2", "T3", "T9"]).tolist()
    [1, 2, 4, 0, 3]
    """
    risk = np.round(np.asarray(risk, dtype=float), RISK_DECIMALS)
    by_market = np.zeros(len(risk), dtype=int)
    if market is not None:  # markets by name (np.unique sorts them), not by where each first appears
        by_market = np.unique(np.asarray(market).astype(str), return_inverse=True)[1].ravel()
    # the ids' natural order only where it decides (a tie): sorting 200,000 ids by it took seconds
    tied = np.flatnonzero(pd.DataFrame({"m": by_market, "r": risk}).duplicated(keep=False).to_numpy())
    by_name = np.zeros(len(risk), dtype=int)
    if len(tied):
        ids = np.asarray(tender, dtype=object)[tied]
        rank = {t: k for k, t in enumerate(sorted({str(t) for t in ids}, key=_natural))}
        by_name[tied] = [rank[str(t)] for t in ids]
    return np.lexsort((by_name, by_market, np.where(np.isfinite(risk), -risk, np.inf)))


def priority_tier(risk, tender, market=None, *, order: np.ndarray | None = None) -> np.ndarray:
    """1 for the tenders of the priority tier (优先复核; module doc, Priority tier), 0 otherwise: in each market the
    riskiest :data:`PRIORITY_CAP` of its scored tenders (rounded up, at least one where it has one) in
    :func:`risk_order` (``order``, if already computed), equal risks at the cut by the tender's id; an unscored
    tender (no risk) is never in it.

    >>> priority_tier([0.9, 0.5, 0.9, np.nan], ["T3", "T1", "T2", "T4"]).tolist()
    [0, 0, 1, 0]
    """
    risk = np.asarray(risk, dtype=float)
    market = np.full(len(risk), "") if market is None else np.asarray(market).astype(str)
    out = np.zeros(len(risk), dtype=int)
    order = risk_order(risk, tender, market) if order is None else order
    for m in pd.unique(market):
        cand = order[(market[order] == m) & np.isfinite(risk[order])]
        out[cand[: int(np.ceil(PRIORITY_CAP * len(cand)))]] = 1
    return out


def rank_scores(result: pd.DataFrame) -> pd.DataFrame:
    """Scores of any mode (``tender``, ``risk``, ``flagged``; ``market`` where there are several) riskiest first in
    :func:`risk_order`, each scored row with its ``priority`` (:func:`priority_tier` on the risk as written) after
    ``flagged``; the unscored rows (no risk) after them, in their order, never in the tier."""
    market = result["market"] if "market" in result.columns else None
    order = risk_order(result["risk"], result["tender"], market)
    out = result.drop(columns="priority", errors="ignore")
    at = out.columns.get_loc("flagged") + 1 if "flagged" in out.columns else len(out.columns)
    out.insert(at, "priority", priority_tier(result["risk"], result["tender"], market, order=order))
    scored = out["risk"].notna().to_numpy()
    order = np.concatenate([order[scored[order]], np.flatnonzero(~scored)])
    return out.iloc[order].reset_index(drop=True)


def priority_rule(lang: str = "en") -> str:
    """The priority tier's rule in words (module doc, Priority tier), for the console's closing lines and a
    workbook's notes; ``lang="zh"``: in Chinese.

    >>> priority_rule()[:47]
    "the riskiest 5 % of the market's scored tenders"
    """
    cap = f"{PRIORITY_CAP * 100:.0f}"
    if lang == "zh":
        return (
            f"本市场已评分标段中风险最高的 {cap}%（向上取整，至少 1 个；风险相同者按标段编号的自然顺序取前，与文件的"
            f"行序无关）；按风险排序。"
            f"{cap}% 是复核组的工作量上限，不是用标签选定的，也不是串标的判定"
        )
    return (
        f"the riskiest {cap} % of the market's scored tenders (rounded up, at least one; equal risks by the tender's "
        f"id in natural order, whatever the file's row order); ordered by risk. The {cap} % is a review team's "
        f"workload bound, chosen by no label, and no finding of collusion"
    )


def cover_note(scorer: LabelFreeScorer, markets: Iterable[str] | None = None, lang: str = "en") -> str | None:
    """One line saying which cover screens the label-free score left out, where and why: the share of the market's
    tenders the lowest bid wins (:meth:`LabelFreeScorer.cover_left_out`), and the screens it ranks on instead;
    ``None`` where none was left out (of ``markets``, default all); ``lang="zh"``: in Chinese, for the console.

    >>> X = pd.DataFrame({"market": "it", "n_bids": 5.0, "winner_rank": [0.0, 0.5, 1.0, 0.25] * 10,
    ...                   "CV": np.arange(40.0), "DIFFP": np.arange(40.0) % 7})
    >>> print(cover_note(LabelFreeScorer().fit(X)))  # doctest: +ELLIPSIS
    cover screens DIFFP left out in market 'it', where the lowest bid wins 10 of 40 tenders with a known winner ...
    """
    left = scorer.cover_left_out()
    if markets is not None:
        wanted = {str(m) for m in markets}
        left = {m: v for m, v in left.items() if m in wanted}
    if not left:
        return None
    cover = ", ".join(c for c in LOWEST_WINS_SCREENS if c in scorer.screens_)
    where = " and ".join(f"{m!r}" for m in left)
    known = getattr(scorer, "winners_known_", {})  # a scorer saved before it was kept has only the shares
    rest = sorted(
        {c for m in left for c in scorer.reference_.get(m + _SEP + _SEP, {}) if c not in LOWEST_WINS_SCREENS},
        key=list(DIRECTIONS).index,
    )
    if lang == "zh":
        from graphkit.collusion.words import listed

        cover = listed(c for c in LOWEST_WINS_SCREENS if c in scorer.screens_)
        if all(m in known for m in left):
            wins = "、".join(
                f"{round(v * known[m]):,} 个（共 {known[m]:,} 个，{v * 100:.0f}%）" for m, v in left.items()
            )
        else:
            wins = "、".join(f"{v * 100:.0f}%" for v in left.values())
        return (
            f"市场 {where.replace(' and ', '、')} 未采用陪标筛查指标 {cover}："
            f"已知中标人的标段中，最低价中标的只有 {wins}，"
            f"低于 {LOWEST_WINS_MIN * 100:.0f}%，不是最低价中标，中标价明显低于其他报价在此说明不了什么；"
            f"改按 {listed(rest) or '无其他筛查指标'} 排序"
        )
    if all(m in known for m in left):
        counts = " and ".join(f"{round(v * known[m]):,} of {known[m]:,}" for m, v in left.items())
        wins = f"{counts} tenders with a known winner ({' and '.join(f'{v * 100:.0f} %' for v in left.values())}; "
    else:
        wins = f"{' and '.join(f'{v * 100:.0f} %' for v in left.values())} of the tenders with a known winner ("
    return (
        f"cover screens {cover} left out in market{'s' if len(left) > 1 else ''} {where}, where the lowest bid wins "
        f"{wins}below {LOWEST_WINS_MIN * 100:.0f} %: not a lowest-price award, so a winning bid set apart below the "
        f"others means nothing there); ranked on {', '.join(rest) or 'no other screen'} instead"
    )


def unscorable(features: pd.DataFrame) -> np.ndarray:
    """Tenders no mode scores: fewer than two bids, so no screen compares them. One rule for the label-free
    score, a model on a market it was not trained on, an adapted model and a model on its own market (what
    ``score-bids`` writes): risk empty, never flagged, reason :data:`SINGLE_BID` (README, tender collusion).
    A lone bidder is a red flag of its own in Chinese procurement, but not one the bid screens can read.

    >>> unscorable(pd.DataFrame({"n_bids": [1.0, 2.0, 5.0]})).tolist()
    [True, False, False]
    """
    return ~(features["n_bids"].to_numpy(dtype=float) >= 2)


def oriented_percentiles(X: pd.DataFrame, scorer: LabelFreeScorer | None = None) -> pd.DataFrame:
    """Each screen's (and context family's) oriented standardised value in [-1, 1] (+1: most collusion-like)
    per tender; columns :attr:`LabelFreeScorer.screens_` then :attr:`LabelFreeScorer.context_`.

    Parameters
    ----------
    X : DataFrame
        Tender feature frame.
    scorer : LabelFreeScorer, optional
        A fitted scorer; default one fitted on ``X`` itself.
    """
    s = scorer if scorer is not None else LabelFreeScorer().fit(X)
    return s._risk(X)[2][1]


def score_label_free(features: pd.DataFrame, scorer: LabelFreeScorer | None = None) -> pd.DataFrame:
    """One row per tender: ``tender``, ``risk`` (empty for a tender of one bid), ``flagged``, ``priority`` (the
    priority tier, :meth:`LabelFreeScorer.priority`), ``reasons``.

    Parameters
    ----------
    features : DataFrame
        Tender feature frame of one or more markets.
    scorer : LabelFreeScorer, optional
        Default: one fitted on ``features`` (each market ranked among its own tenders).
    """
    s = scorer if scorer is not None else LabelFreeScorer().fit(features)
    risk, reasons = s.explain(features)
    out = pd.DataFrame(
        {
            "tender": features["tender"].to_numpy() if "tender" in features.columns else features.index.to_numpy(),
            "risk": np.round(risk, RISK_DECIMALS),
            "flagged": (np.nan_to_num(risk, nan=-1.0) > s.thresholds(features)).astype(int),
            "reasons": reasons,
        }
    )
    if "market" in features.columns:
        out.insert(0, "market", features["market"].to_numpy())
    out = rank_scores(out)  # the tier per market, on the risk as written; the order free of the input's
    if "market" in features.columns and features["market"].nunique() <= 1:
        out = out.drop(columns="market")
    return out


def note_dropped(result: pd.DataFrame, features: pd.DataFrame, dropped: pd.DataFrame) -> pd.DataFrame:
    """Say, next to each tender's score, which of its bids were quarantined; add the tenders that lost all.

    Parameters
    ----------
    result : DataFrame
        Scores with ``tender`` (and ``market`` when there are several), ``risk`` and ``reasons``.
    features : DataFrame
        The tender feature frame scored (index: tender key; ``market``, ``n_bids``).
    dropped : DataFrame
        :attr:`loaders.bids.BidTable.dropped`: quarantined bids of known tenders.

    Returns
    -------
    DataFrame
        ``result`` with the reasons of tenders that lost bids prefixed ("1 of 4 bids quarantined (bid is
        not a number, line 7); scored on the other 3"), and one row (risk empty) per tender with no usable
        bid ("no usable bid: 2 bids quarantined (…)"), at the end.
    """
    if dropped is None or dropped.empty:
        return result
    one_market = features["market"].iloc[0] if len(features) and "market" in features.columns else None
    g = dropped.groupby("key", sort=False)
    info = g.agg(market=("market", "first"), tender=("tender", "first"), n=("src_row", "size"))
    info["why"] = g.apply(
        lambda d: "; ".join(
            f"{r}, {unit}{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows[:5]))}{' …' if len(rows) > 5 else ''}"
            for r, rows, unit in (
                (r, list(x["src_row"]), record_unit(x["src_file"].iloc[0]))  # a CSV's line, a workbook's row
                for r, x in d.groupby("reason", sort=False)
            )
        ),
        include_groups=False,
    )
    market = result["market"].astype(str) if "market" in result.columns else pd.Series(one_market, index=result.index)
    key = market.astype(str) + "|" + result["tender"].astype(str)
    nb = features["n_bids"] if "n_bids" in features.columns else pd.Series(dtype=float)
    out = result.copy()
    hit = key.isin(info.index).to_numpy()
    if hit.any():
        k = key[hit]
        n_ok = nb.reindex(k).to_numpy(dtype=float)
        n_bad = info["n"].reindex(k).to_numpy()
        why = info["why"].reindex(k).to_numpy()
        pre = [
            f"{b} of {int(o) + b} bids quarantined ({w}); scored on the other {int(o)}"
            for o, b, w in zip(n_ok, n_bad, why, strict=True)
        ]
        out.loc[hit, "reasons"] = [p + "; " + r for p, r in zip(pre, out.loc[hit, "reasons"], strict=True)]
    lost = info[~info.index.isin(features.index)]
    if len(lost):
        add = pd.DataFrame(
            {
                "tender": lost["tender"].to_numpy(),
                "risk": np.nan,
                "reasons": [
                    f"no usable bid: {n} bid{'s' if n > 1 else ''} quarantined ({w})"
                    for n, w in zip(lost["n"], lost["why"], strict=True)
                ],
            }
        )
        if "market" in out.columns:
            add.insert(0, "market", lost["market"].to_numpy())
        for c in out.columns:
            if c not in add.columns:
                add[c] = 0 if c in ("flagged", "priority") else np.nan
        out = pd.concat([out, add[out.columns]], ignore_index=True)
    return out
