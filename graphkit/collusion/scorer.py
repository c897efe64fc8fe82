"""``CollusionScorer``: a scikit-learn classifier of tenders, with reasons an analyst reads.

Input is the tender feature frame of :func:`graphkit.collusion.features.tender_features` (one row per
tender: ``market``, the seven screens, subgroup screens, behavioural features). The scorer

* **normalises within a market**: every screen, subgroup screen, the number of bids, the bid level and
  the PTE ratios become the tender's percentile within its own market (``normalise="rank"``; or a
  robust z-score, ``"zscore"``; or raw values, ``"none"``). A CV of 2 % is unremarkable among Swiss
  road works and striking among Italian ones; the percentile reads the same in both. A market with
  fewer than ``min_market_tenders`` tenders in the frame is measured against the distribution stored
  at training time for that market (by name), or against all training markets pooled;
* keeps the behavioural features that mean the same everywhere (identical prices, equal price steps,
  cover bids, winners who are not the lowest bid, losers who never win, turn-taking among repeat
  co-bidders) as they are;
* with ``bidder_history=True`` (default) and bidder ids, remembers how often each bidder of a market
  sat in a tender labelled collusive in that market's training data (a record like a commission's list
  of firms found in rigged tenders before) and gives each tender the share of its bidders with such a
  record (:data:`PRIOR`). Firm ids are the market's own: firm 371 of one market's file is not firm 371
  of another's, so a market the model was not trained on gets no record. Within the training data these
  are computed out-of-fold, so no tender sees its
  own label. They only help where the same firms bid again; ``bench/collusion_eval.py`` reports
  figures with and without them, and on bidder-disjoint splits;
* with ``segment="Contract_type"`` (a column of the bid tables naming the kind of contract or work),
  remembers how often each segment's training tenders were labelled collusive within their market
  and gives each tender its segment's rate (:data:`SEGMENT`; smoothed towards the market's rate). A
  segment with fewer than :data:`SEGMENT_MIN` training tenders, or none, gets the market's rate. The
  rate is one value per segment, the same in training and in scoring, so it cannot tell a tender's
  label apart from its segment's neighbours' (out-of-fold rates would: a fold with more collusive
  tenders than usual sees a lower rate from the other folds, and the trees learn that). A commission
  knows which kinds of work its past cartels shared out; the reason reads "Contract_type 1: 874 of
  901 training tenders of this kind were collusive (97%)";
* learns a :class:`~sklearn.ensemble.HistGradientBoostingClassifier` (class-balanced; missing values
  are native, so a market without bidder ids or PTE is scored all the same);
* chooses the decision threshold on the *training* data only: out-of-fold probabilities of a
  stratified ``cv``-fold split, threshold maximising balanced accuracy;
* explains each score: exact path attributions of the trees (:meth:`CollusionScorer.contributions`)
  summed per group of features (CV, spread, cover bids, rotation …); the groups that raise the risk
  most become sentences ("CV 0.9% vs market 6.0%", "winner and rival 17 met in 12 tenders and one of
  the two won 11 (6 and 5)"); a tender below the threshold gets "looks competitive: " and what
  lowered its risk. A tender with a single bid is scored here and its first reason is "single bid";
  :func:`score_tenders` (what ``score-bids`` writes) leaves its risk empty, as every mode does: no screen
  compares one bid (:func:`~graphkit.collusion.unsupervised.unscorable`). A tender whose bids are all equal
  says "all N bids identical" first, also when the model, trained on other markets, reads it as competitive.
  The walk reads the fitted trees (``model_._predictors``, a scikit-learn internal); the tests check
  that the attributions add up to the model's own log-odds, so a change there cannot pass unseen.

Model files are written with `skops <https://skops.readthedocs.io>`_ (``save`` / ``load``), not
pickle/joblib: a model file travels between teams, and loading a pickle runs whatever code it holds.
skops loads only the types it is told to trust; :func:`load` trusts this module's class and the
scikit-learn and NumPy types the model is made of, and refuses a file that contains anything else.

Example
-------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"market": "m", "CV": rng.random(200), "n_bids": rng.integers(1, 9, 200).astype(float)})
>>> y = (X["CV"] < 0.3).astype(int)
>>> s = CollusionScorer(max_iter=50, cv=3).fit(X, y)
>>> bool(s.predict_proba(X)[:, 1][y == 1].mean() > s.predict_proba(X)[:, 1][y == 0].mean())
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import assert_all_finite, check_is_fitted, column_or_1d, validate_data

from graphkit.collusion.features import BIDDER_SEP, HISTORY_FEATURES, PROFILE_FEATURES, identical_bids
from graphkit.collusion.screens import SCREENS, subgroup_columns

__all__ = [
    "CollusionScorer",
    "NORMALISED",
    "UNIVERSAL",
    "PRIOR",
    "SEGMENT",
    "FORBIDDEN",
    "REASON_GROUPS",
    "load",
    "score_tenders",
]

#: compared within a market (percentile or robust z-score)
#: (``pair_meetings`` and ``bidder_volume_*`` count tenders, which grow with the size of the table;
#: ``bidder_markup`` depends on the auction format)
NORMALISED: tuple[str, ...] = (
    *SCREENS,
    *subgroup_columns(),
    "n_bids",
    "bid_level",
    "win_pte",
    "mean_pte",
    "pair_meetings",
    "bidder_volume_mean",
    "bidder_volume_max",
    "bidder_volume_min",
    "bidder_markup",
)
#: mean the same in every market: used as they are
UNIVERSAL: tuple[str, ...] = (
    "tie_share",
    "ap_share",
    "ap_run",
    "cover_1pct",
    "cover_3pct",
    "winner_rank",
    "above_pte_share",
    "unlisted_bids",
    *(f for f in HISTORY_FEATURES if f != "pair_meetings"),
    *(f for f in PROFILE_FEATURES if not f.startswith(("bidder_volume", "bidder_markup"))),
)
#: the bidders' record in the training tenders (``bidder_history=True``): learned at fit time from the
#: training labels of *other* tenders (out-of-fold within the training data), never the tender's own
PRIOR: tuple[str, ...] = ("prior_known", "prior_rate_mean", "prior_rate_max", "prior_members", "prior_winner_rate")
#: the segment's record in the training tenders (``segment=...``)
SEGMENT: tuple[str, ...] = ("segment_rate",)
#: training tenders a segment needs for a rate of its own (below: the market's rate). With 30, a
#: tender's own label moves its segment's rate by at most 1/32.
SEGMENT_MIN = 30
#: never features: ids, dates, labels (the scorer refuses a frame that would feed them)
FORBIDDEN: frozenset[str] = frozenset(
    {"Tender", "tender", "key", "Date", "date", "Collusive_competitor", "Collusive_competitor_original", "label", "y"}
)

#: reason group -> feature columns it covers
REASON_GROUPS: dict[str, tuple[str, ...]] = {
    "cv": ("CV",),
    "spread": ("SPD",),
    "diffp": ("DIFFP",),
    "rd": ("RD",),
    "shape": ("KURT", "SKEW"),
    "ks": ("KSTEST",),
    "subgroup": tuple(subgroup_columns()),
    "n_bids": ("n_bids",),
    "level": ("bid_level",),
    "pte": ("win_pte", "mean_pte", "above_pte_share"),
    "unlisted": ("unlisted_bids",),
    "ties": ("tie_share",),
    "progression": ("ap_share", "ap_run"),
    "cover": ("cover_1pct", "cover_3pct"),
    "winner_rank": ("winner_rank",),
    "never_win": ("never_win_share", "loser_win_rate"),
    "win_rate": ("winner_win_rate",),
    "rotation": ("pair_repeat_share", "pair_meetings", "rot_both_won", "rot_evenness", "rot_inside"),
    "profile": PROFILE_FEATURES,
    "history": PRIOR,
    "segment": SEGMENT,
}
_Q = np.linspace(0.0, 1.0, 201)


_ROW_COLUMNS = (
    "never_win_n",
    "top_pair_joint",
    "top_pair_inside",
    "top_pair_w_winner",
    "top_pair_w_rival",
    "top_pair_rival",
    "winner_bidder",
)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class _Row:
    """Read-only view of one tender's values by column name (missing names give NaN)."""

    __slots__ = ("_vals", "_col", "_i")

    def __init__(self, vals, col: dict, i: int | None = None) -> None:
        self._vals, self._col, self._i = vals, col, i

    @classmethod
    def of(cls, arrays: dict, i: int) -> _Row | None:
        return cls(arrays, None, i) if arrays else None

    def get(self, name: str, default=np.nan):
        if self._col is None:  # dict of column arrays, row i
            a = self._vals.get(name)
            return default if a is None else a[self._i]
        j = self._col.get(name)
        return default if j is None else self._vals[j]

    def __getitem__(self, name: str):
        return self.get(name)


def _nanquantiles(block: np.ndarray, qs) -> np.ndarray:
    """Quantiles of each column ignoring NaN; an all-NaN column gives NaN (without a warning)."""
    out = np.full((len(qs), block.shape[1]), np.nan)
    for j in range(block.shape[1]):
        v = block[:, j]
        v = v[~np.isnan(v)]
        if len(v):
            out[:, j] = np.quantile(v, qs)
    return out


def _pct(x: float) -> str:
    """0.009 -> '0.9%', 0.00012 -> '0.012%', 0.31 -> '31%'."""
    if not np.isfinite(x):
        return "n/a"
    a = abs(x) * 100
    if a == 0:
        return "0%"
    if a >= 10:
        return f"{x * 100:.0f}%"
    if a >= 1:
        return f"{x * 100:.1f}%"
    return f"{x * 100:.2g}%"


def _num(x: float, nd: int = 1) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:,.{nd}f}"


class CollusionScorer(ClassifierMixin, BaseEstimator):
    """Tender collusion risk from screens normalised within a market and behavioural features.

    Parameters
    ----------
    normalise : {"rank", "zscore", "none"}
        How :data:`NORMALISED` features are compared within a market.
    min_market_tenders : int
        A market with fewer tenders in the frame is compared with the stored training distribution.
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization
        Passed to :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
    bidder_history : bool
        Add :data:`PRIOR` features from the bidders' record in the training tenders (needs the
        ``bidders`` column of :func:`~graphkit.collusion.features.tender_features`).
    history_smoothing : float
        Pseudo-count pulling a bidder's (or a segment's) collusive-tender rate towards the training
        base rate (the market's, for a segment).
    segment : str or None
        Name of the source column holding each tender's segment (contract type, category of work).
        When set, add :data:`SEGMENT` from the segments' record in the training tenders (needs the
        ``segment`` column of :func:`~graphkit.collusion.features.tender_features`, read with
        ``read_bids(..., segment=...)``). The name is also how reasons call it.
    class_weight : "balanced" or None
        Weight classes inversely to their frequency.
    cv : int
        Folds for choosing the threshold on training data (0 or 1: threshold 0.5).
    n_reasons : int
        Reasons per tender in :meth:`explain`.
    min_contribution : float
        Smallest contribution to the log-odds of collusion (see :meth:`contributions`) that counts as
        a reason on its own (0.1 moves a risk near 0.5 by about 2.5 points).
    random_state : int
        Seed of the boosting and of the folds.

    Attributes
    ----------
    classes_ : ndarray
    feature_names_in_ : ndarray of str, when fitted on a DataFrame
    n_features_in_ : int
    base_columns_ : list of str
        Columns read from ``X``.
    columns_ : list of str
        Model inputs: ``base_columns_`` and, with a bidder record, :data:`PRIOR`; with a segment
        record, :data:`SEGMENT`.
    firm_stats_ : dict or None
        The bidder record: ``firms`` (market and firm id joined by a unit separator: an id names a firm
        within its market only), ``pos`` (collusive training tenders), ``tot`` (tenders).
    markets_ : list of str
        Markets the model was trained on (read from ``reference_``): a bidder's or a segment's record
        applies within its own market, so a frame of another market is scored without them.
    segment_stats_ : dict or None
        The segment record: ``keys`` (market and segment joined by a unit separator; a market's own
        row has an empty segment), ``pos`` (collusive training tenders), ``tot`` (tenders).
    base_rate_ : float
        Share of collusive tenders in the training data.
    normalised_ : list of bool
        Whether each of ``columns_`` is normalised within the market.
    model_ : HistGradientBoostingClassifier
    used_ : ndarray of bool
        Which of ``columns_`` had any value in training (the others are ignored).
    threshold_ : float
        Risk above which :meth:`predict` says collusive (chosen on training data).
    reference_ : dict
        Per training market (and ``"*"``, pooled): 201 quantiles of each normalised column.
    train_medians_ : ndarray
        Median of each model input over the training data (typical value of a raw column).
    """

    def __init__(
        self,
        *,
        normalise: str = "rank",
        min_market_tenders: int = 30,
        bidder_history: bool = True,
        history_smoothing: float = 2.0,
        segment: str | None = None,
        max_iter: int = 300,
        learning_rate: float = 0.05,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 20,
        l2_regularization: float = 1.0,
        class_weight: str | None = "balanced",
        cv: int = 5,
        n_reasons: int = 3,
        min_contribution: float = 0.1,
        random_state: int = 0,
    ) -> None:
        self.normalise = normalise
        self.min_market_tenders = min_market_tenders
        self.bidder_history = bidder_history
        self.history_smoothing = history_smoothing
        self.segment = segment
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.class_weight = class_weight
        self.cv = cv
        self.n_reasons = n_reasons
        self.min_contribution = min_contribution
        self.random_state = random_state

    # ------------------------------------------------------------------ input
    def _split(self, X, *, fitting: bool) -> tuple[pd.DataFrame, np.ndarray]:
        """Numeric feature frame (columns_ order when fitted) and market labels."""
        if isinstance(X, pd.DataFrame):
            bad = sorted(FORBIDDEN & set(map(str, X.columns)) - {"tender", "key"})
            if bad:
                raise ValueError(
                    f"refusing columns that must never be features: {', '.join(bad)} "
                    "(tender ids, dates and labels); pass the frame of tender_features()"
                )
            market = (
                X["market"].astype(str).to_numpy() if "market" in X.columns else np.full(len(X), "all", dtype=object)
            )
            if fitting:
                known = [c for c in (*NORMALISED, *UNIVERSAL) if c in X.columns]
                if not known:  # a plain numeric frame: every numeric column, raw
                    known = [
                        c for c in X.columns if c not in ("market", "tender") and pd.api.types.is_numeric_dtype(X[c])
                    ]
                cols = known
            else:
                cols = self.base_columns_
                missing = [c for c in cols if c not in X.columns]
                if missing:
                    raise ValueError(
                        f"the frame lacks columns the model was trained on: {', '.join(missing[:8])}"
                        + (" …" if len(missing) > 8 else "")
                    )
            if fitting:
                validate_data(
                    self, X[cols].to_numpy(dtype=float), reset=True, ensure_all_finite="allow-nan", ensure_min_samples=1
                )
                self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
                self.n_features_in_ = X.shape[1]
            elif X.shape[1] != self.n_features_in_ and not hasattr(self, "feature_names_in_"):
                raise ValueError(
                    f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                    f"{self.n_features_in_} features as input"
                )
            F = X[cols].apply(pd.to_numeric, errors="coerce").astype(float)
            return F, market
        arr = (
            validate_data(self, X, reset=fitting, ensure_all_finite="allow-nan", dtype=float)
            if not fitting
            else validate_data(self, X, reset=True, ensure_all_finite="allow-nan", dtype=float)
        )
        cols = [f"x{i}" for i in range(arr.shape[1])]
        return pd.DataFrame(arr, columns=cols), np.full(arr.shape[0], "all", dtype=object)

    def _markets(self, market: np.ndarray) -> tuple[np.ndarray, dict]:
        codes, names = pd.factorize(pd.Series(market, dtype=object), sort=False)
        return codes, {i: str(n) for i, n in enumerate(names)}

    def _normalise(self, F: pd.DataFrame, market: np.ndarray) -> tuple[np.ndarray, dict]:
        """Model matrix; and per market the raw medians of each column (for reasons)."""
        Z = F.to_numpy(dtype=float, copy=True)
        codes, names = self._markets(market)
        counts = np.bincount(codes, minlength=len(names))
        med: dict[str, np.ndarray] = {}
        norm_idx = [j for j, n in enumerate(self.normalised_) if n]
        for k, name in names.items():
            rows = np.flatnonzero(codes == k)
            own = counts[k] >= self.min_market_tenders
            ref = None if own else self.reference_.get(name, self.reference_["*"])
            block = F.iloc[rows].to_numpy(dtype=float)
            with np.errstate(all="ignore"):
                if own:
                    m = _nanquantiles(block, [0.5])[0]
                else:
                    tm = getattr(self, "train_medians_", None)
                    m = np.full(block.shape[1], np.nan) if tm is None else tm.copy()
                    m[norm_idx] = ref[100, :]
                med[name] = m
            if self.normalise == "none" or not norm_idx:
                continue
            sub = block[:, norm_idx]
            if own:
                if self.normalise == "rank":
                    r = pd.DataFrame(sub).rank(pct=True, method="average").to_numpy()
                    cnt = (~np.isnan(sub)).sum(axis=0)
                    out = np.where(np.isnan(sub), np.nan, r - 0.5 / np.maximum(cnt, 1))
                else:
                    out = self._z(sub, _nanquantiles(sub, [0.25, 0.5, 0.75]))
            else:
                if self.normalise == "rank":
                    out = np.full_like(sub, np.nan)
                    for j in range(sub.shape[1]):
                        q = ref[:, j]
                        if np.isnan(q).all():
                            continue
                        v = sub[:, j]
                        ok = ~np.isnan(v)
                        lo = np.searchsorted(q, v[ok], side="left")
                        hi = np.searchsorted(q, v[ok], side="right")
                        out[ok, j] = np.clip((lo + hi) / 2 / len(q), 0, 1)
                else:
                    out = self._z(sub, ref[[50, 100, 150], :])
            Z[np.ix_(rows, norm_idx)] = out
        return Z, med

    @staticmethod
    def _z(sub: np.ndarray, q: np.ndarray) -> np.ndarray:
        iqr = q[2] - q[0]
        iqr = np.where(np.isfinite(iqr) & (iqr > 0), iqr, np.nan)
        with np.errstate(all="ignore"):
            return np.clip((sub - q[1]) / iqr, -10, 10)

    # ------------------------------------------------------------------ fit / predict
    def fit(self, X, y, *, progress: Callable[[str], None] | None = None) -> CollusionScorer:
        """Learn from tender features ``X`` and tender labels ``y`` (1 = collusive).

        ``progress``: called with each of the ``cv + 1`` model fits as it starts ("model 1 of 6", then "threshold
        fold 1 of 5" …: the out-of-fold fits that choose the threshold), for a progress bar; the fits take
        about the same time each."""
        if self.normalise not in ("rank", "zscore", "none"):
            raise ValueError(f"normalise must be 'rank', 'zscore' or 'none', not {self.normalise!r}")
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        F, market = self._split(X, fitting=True)
        y = column_or_1d(np.asarray(y), warn=True)
        if y.dtype.kind in "fc":
            assert_all_finite(y, input_name="y")
        if len(y) != len(F):
            raise ValueError(f"y must be one label per tender ({len(F)}), got {len(y)}")
        kind = type_of_target(y, raise_unknown=True)
        if kind != "binary":
            if kind == "continuous":
                raise ValueError("Unknown label type: continuous. CollusionScorer needs binary labels (1 = collusive)")
            if len(np.unique(y)) == 1:
                raise ValueError("y has a single class; training needs collusive and competitive tenders")
            raise ValueError(f"Only binary classification is supported (collusive or not); got {kind} labels")
        self.classes_, yi = np.unique(y, return_inverse=True)
        self.base_columns_ = list(F.columns)
        self.firm_stats_ = None
        if (
            self.bidder_history
            and isinstance(X, pd.DataFrame)
            and "bidders" in X.columns
            and X["bidders"].notna().any()
        ):
            bidders = X["bidders"].reset_index(drop=True)
            winners = X["winner_bidder"].reset_index(drop=True) if "winner_bidder" in X.columns else None
            self.base_rate_ = float(yi.mean())
            pri = pd.DataFrame(index=range(len(F)), columns=list(PRIOR), dtype=float)
            folds = KFold(n_splits=5, shuffle=True, random_state=self.random_state) if len(F) >= 10 else None
            for tr, te in folds.split(F) if folds else [(np.arange(len(F)), np.arange(len(F)))]:
                stats = _firm_stats(bidders.iloc[tr], yi[tr], market[tr])
                pri.iloc[te] = _history(
                    bidders.iloc[te],
                    None if winners is None else winners.iloc[te],
                    stats,
                    self.base_rate_,
                    self.history_smoothing,
                    market[te],
                )[list(PRIOR)].to_numpy()
            self.firm_stats_ = _firm_stats(bidders, yi, market)
            F = pd.concat([F.reset_index(drop=True), pri.astype(float)], axis=1)
        self.segment_stats_ = None
        if self.segment is not None:
            if not isinstance(X, pd.DataFrame) or "segment" not in X.columns:
                raise ValueError(
                    f"segment={self.segment!r} needs the tender frame's 'segment' column: read the "
                    f"bids with read_bids(..., segment={self.segment!r}), then tender_features()"
                )
            rate = self._segment_training_rate(market, X["segment"].reset_index(drop=True), yi)
            F = pd.concat([F.reset_index(drop=True), pd.DataFrame({SEGMENT[0]: rate})], axis=1)
        self.columns_ = list(F.columns)
        self.normalised_ = [c in NORMALISED for c in self.columns_]
        # reference quantiles: per market and pooled
        self.reference_ = {}
        norm_cols = [c for c, n in zip(self.columns_, self.normalised_, strict=True) if n]
        if norm_cols:
            with np.errstate(all="ignore"):
                for name in [*pd.unique(pd.Series(market, dtype=object)), "*"]:
                    rows = np.ones(len(F), bool) if name == "*" else market == name
                    self.reference_[str(name)] = _nanquantiles(F.loc[rows, norm_cols].to_numpy(dtype=float), _Q)
        else:
            self.reference_["*"] = np.zeros((len(_Q), 0))
        Z, _ = self._normalise(F, market)
        self.train_medians_ = _nanquantiles(Z, [0.5])[0]
        # a column without a single value in training (no PTE in these markets) carries nothing
        self.used_ = ~np.isnan(Z).all(axis=0)
        Zu = Z[:, self.used_]
        counts = np.bincount(yi, minlength=2)
        folds = self.cv if self.cv >= 2 and counts.min() >= self.cv else 0
        say = progress or (lambda stage: None)
        say(f"model 1 of {folds + 1}")
        self.model_ = self._make_model().fit(Zu, yi)
        self.n_iter_ = self.model_.n_iter_
        self.threshold_ = self._choose_threshold(Zu, yi, say)
        return self

    @property
    def markets_(self) -> list[str]:
        """Markets the model was trained on (a bidder's or a segment's record applies within its market)."""
        check_is_fitted(self)
        return [k for k in self.reference_ if k != "*"]

    def _segment_training_rate(self, market: np.ndarray, seg: pd.Series, yi: np.ndarray) -> np.ndarray:
        """Store the segment record and return the training tenders' :data:`SEGMENT` column: the same
        value per segment as scoring gives (see the module doc for why not out-of-fold)."""
        self.segment_stats_ = _segment_stats(market, seg, yi)
        return _segment_record(market, seg, self.segment_stats_, self.history_smoothing)["rate"].to_numpy()

    def _make_model(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            class_weight=self.class_weight,
            early_stopping=False,
            random_state=self.random_state,
        )

    def _choose_threshold(self, Z: np.ndarray, yi: np.ndarray, say: Callable[[str], None] = lambda s: None) -> float:
        counts = np.bincount(yi, minlength=2)
        if self.cv < 2 or counts.min() < self.cv:
            return 0.5
        oof = np.zeros(len(yi))
        folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state)
        for k, (tr, te) in enumerate(folds.split(Z, yi), start=1):
            say(f"threshold fold {k} of {self.cv} (model {k + 1} of {self.cv + 1})")
            oof[te] = self._make_model().fit(Z[tr], yi[tr]).predict_proba(Z[te])[:, 1]
        order = np.argsort(-oof)
        p, yy = oof[order], yi[order]
        tp = np.cumsum(yy)
        fp = np.cumsum(1 - yy)
        bal = 0.5 * (tp / counts[1] + 1 - fp / counts[0])  # predict positive for the top k
        last = np.r_[p[1:] != p[:-1], True]  # only cut between distinct scores
        k = int(np.argmax(np.where(last, bal, -1)))
        nxt = p[k + 1] if k + 1 < len(p) else 0.0
        return float((p[k] + nxt) / 2)

    def _risk(self, Z: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(Z[:, self.used_])[:, 1]

    def _inputs(self, X) -> tuple[pd.DataFrame, np.ndarray, dict]:
        """Model inputs in ``columns_`` order, markets, and the details of the bidder record
        (``"history"``) and of the segment record (``"segment"``) for reasons."""
        F, market = self._split(X, fitting=False)
        hist = None
        details: dict[str, pd.DataFrame] = {}
        if self.firm_stats_ is not None:
            if len(self.firm_stats_["firms"]) and _KEY_SEP not in str(self.firm_stats_["firms"][0]):
                raise ValueError(
                    "this model's bidder record is not kept per market (a model file written by an "
                    "older graphkit, which matched firm ids across markets): train it again"
                )
            if "bidders" in X.columns:
                hist = _history(
                    X["bidders"].reset_index(drop=True),
                    X["winner_bidder"].reset_index(drop=True) if "winner_bidder" in X.columns else None,
                    self.firm_stats_,
                    self.base_rate_,
                    self.history_smoothing,
                    market,
                )
                pri = hist[list(PRIOR)]
            else:
                pri = pd.DataFrame(np.nan, index=range(len(F)), columns=list(PRIOR))
            F = pd.concat([F.reset_index(drop=True), pri.astype(float)], axis=1)
            if hist is not None:
                details["history"] = hist
        if getattr(self, "segment_stats_", None) is not None:
            seg = (
                X["segment"].reset_index(drop=True)
                if isinstance(X, pd.DataFrame) and "segment" in X.columns
                else pd.Series([None] * len(F), dtype=object)
            )  # segment unknown: the market's rate
            rec = _segment_record(market, seg, self.segment_stats_, self.history_smoothing)
            rec["name"] = self.segment
            F = pd.concat([F.reset_index(drop=True), rec[["rate"]].rename(columns={"rate": SEGMENT[0]})], axis=1)
            details["segment"] = rec
        return F, market, details

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities ``[competitive, collusive]`` per tender; column 1 is the risk in [0, 1]."""
        check_is_fitted(self)
        F, market, _ = self._inputs(X)
        Z, _ = self._normalise(F, market)
        p = self._risk(Z)
        return np.column_stack([1 - p, p])

    def decision_function(self, X) -> np.ndarray:
        """Log-odds of the risk minus log-odds of the threshold: > 0 means predicted collusive."""
        check_is_fitted(self)
        p = np.clip(self.predict_proba(X)[:, 1], 1e-9, 1 - 1e-9)
        t = min(max(self.threshold_, 1e-9), 1 - 1e-9)
        return np.log(p / (1 - p)) - math.log(t / (1 - t))

    def predict(self, X) -> np.ndarray:
        """Class per tender: ``classes_[1]`` (collusive) where the risk is above :attr:`threshold_`
        (the same as ``decision_function(X) > 0``)."""
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    # ------------------------------------------------------------------ reasons
    def contributions(self, X) -> tuple[np.ndarray, pd.DataFrame]:
        """Risk and, per tender, how much each model input moved its log-odds.

        Exact path attributions of the boosted trees (Saabas): walking each tree from the root to the
        tender's leaf, every split adds the change in the expected value below the node to the feature
        it split on. Per tender, ``bias + contributions.sum(axis=1)`` is the model's log-odds, so
        ``risk == expit(...)`` (checked in the tests). One walk over the trees, no re-prediction per
        feature: 100,000 tenders take seconds.

        Returns ``(risk, contributions)``; the frame has one column per entry of :attr:`columns_`.
        """
        check_is_fitted(self)
        F, market, _ = self._inputs(X)
        Z, _ = self._normalise(F, market)
        raw, c = self._walk(Z[:, self.used_])
        full = np.zeros((len(F), len(self.columns_)))
        full[:, self.used_] = c
        return _expit(raw), pd.DataFrame(full, columns=self.columns_, index=getattr(X, "index", None))

    def _walk(self, Zu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(log-odds, per-feature contributions) over the fitted trees; see :meth:`contributions`."""
        model = self.model_
        n, d = Zu.shape
        contrib = np.zeros((n, d))
        raw = np.full(n, float(np.ravel(model._baseline_prediction)[0]))
        for (tree,) in model._predictors:
            nodes = tree.nodes
            val = nodes["value"].astype(float)
            left, right = nodes["left"].astype(np.int64), nodes["right"].astype(np.int64)
            leaf = nodes["is_leaf"].astype(bool)
            cnt = nodes["count"].astype(float)
            # the expected value below an inner node is the count-weighted mean of its children (sklearn's
            # own inner-node values are not, with class weights), computed deepest nodes first; depth is
            # unsigned, so it is widened before it is negated
            for k in np.argsort(-nodes["depth"].astype(np.int64), kind="stable"):
                if not leaf[k]:
                    lk, rk = left[k], right[k]
                    val[k] = (cnt[lk] * val[lk] + cnt[rk] * val[rk]) / (cnt[lk] + cnt[rk])
            feat = nodes["feature_idx"].astype(np.int64)
            thr = nodes["num_threshold"].astype(float)
            mleft = nodes["missing_go_to_left"].astype(bool)
            cur = np.zeros(n, dtype=np.int64)
            active = np.arange(n) if not leaf[0] else np.arange(0)
            while len(active):
                c = cur[active]
                f = feat[c]
                x = Zu[active, f]
                nxt = np.where(np.where(np.isnan(x), mleft[c], x <= thr[c]), left[c], right[c])
                contrib[active, f] += val[nxt] - val[c]  # each row once per step: no clashes
                cur[active] = nxt
                active = active[~leaf[nxt]]
            raw += val[cur]
        return raw, contrib

    def explain(self, X, *, progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, list[str]]:
        """Risk and reasons per tender.

        Returns ``(risk, reasons)``: ``reasons[i]`` is one string in an analyst's words, factors joined
        by "; ". For a tender above :attr:`threshold_`, the groups of :data:`REASON_GROUPS` that raised
        its risk most (:meth:`contributions` summed per group); for one below, "looks competitive: "
        and the groups that lowered it most (or "nothing unusual for its market"). "single bid" comes
        first for a tender with one bid, "all N bids identical" for one whose bids are all equal (said
        before "looks competitive:" where the model reads the tender as competitive all the same: the
        identical prices are a fact about the tender, not a reason the model found for competition).
        """
        check_is_fitted(self)
        F, market, details = self._inputs(X)
        Z, med = self._normalise(F, market)
        raw_lo, c = self._walk(Z[:, self.used_])
        p = _expit(raw_lo)
        if progress:
            progress(1)
        n = len(F)
        col = {cname: j for j, cname in enumerate(self.columns_)}
        full = np.zeros((n, len(self.columns_)))
        full[:, self.used_] = c
        groups = {g: [col[cname] for cname in cs if cname in col] for g, cs in REASON_GROUPS.items()}
        groups = {g: js for g, js in groups.items() if js}
        if not groups:  # a plain numeric frame: one group per column
            groups = {cname: [j] for cname, j in col.items()}
        gnames = list(groups)
        contrib = np.column_stack([full[:, js].sum(axis=1) for js in groups.values()])
        raw = F.to_numpy(dtype=float)
        # a group says nothing about a tender where all its values are missing
        present = np.column_stack([~np.isnan(raw[:, js]).all(axis=1) for js in groups.values()])
        if "history" in groups and "history" in details:
            present[:, gnames.index("history")] = details["history"]["top"].notna().to_numpy()
        if "segment" in groups and "segment" in details:
            present[:, gnames.index("segment")] = details["segment"]["value"].notna().to_numpy()
        contrib = np.where(present, contrib, -np.inf)
        codes, names = self._markets(market)
        extra = {cname: X[cname].to_numpy() for cname in _ROW_COLUMNS if isinstance(X, pd.DataFrame) and cname in X}
        detail_cols = {g: {cname: d[cname].to_numpy() for cname in d.columns} for g, d in details.items()}
        reasons = []
        up = np.argsort(-contrib, axis=1)[:, : self.n_reasons + 2]
        down = np.argsort(np.where(np.isfinite(contrib), contrib, np.inf), axis=1)[:, : self.n_reasons + 2]
        nb = col.get("n_bids")
        for i in range(n):
            r = _Row(raw[i], col)
            m = _Row(med[names[codes[i]]], col)
            flagged = p[i] > self.threshold_
            said = ["single bid"] if nb is not None and raw[i, nb] == 1 else []
            n_i, tie_i, cv_i = r.get("n_bids"), r.get("tie_share"), r.get("CV")
            identical = identical_bids(n_i, tie_i, cv_i)
            if identical:
                said.append(identical)
            lead = len(said)
            # flagged: the groups that raise the risk most (below min_contribution only while nothing
            # clearer has been said: a high risk made of small signals names its largest);
            # not flagged: the groups that lower it most, after "looks competitive:"
            for gi in up[i] if flagged else down[i]:
                ci = contrib[i, gi] if flagged else -contrib[i, gi]
                if (
                    len(said) >= self.n_reasons
                    or not np.isfinite(ci)
                    or ci <= 0
                    or (ci < self.min_contribution and (len(said) > lead or not flagged))
                ):
                    break
                src = detail_cols.get(gnames[gi], extra)
                if gnames[gi] == "ties" and identical:
                    continue  # said first already
                text = _say(gnames[gi], r, m, _Row.of(src, i))
                if text and gnames[gi] == "ties" and not flagged:
                    text += ", which lowers this model's risk"  # read as competitive: say so, not as a plain fact
                if text and text not in said:
                    said.append(text)
            if not flagged:
                said = said[:lead] + (
                    ["looks competitive: " + "; ".join(said[lead:])]
                    if len(said) > lead
                    else []
                    if lead
                    else ["nothing unusual for its market"]
                )
            elif len(said) == lead:
                said.append("several small signals together")
            reasons.append("; ".join(said))
        return p, reasons

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the fitted scorer to ``path`` with skops (see module doc)."""
        import skops.io as sio

        check_is_fitted(self)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(self, path)
        return path

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.classifier_tags.multi_class = False  # collusive or not
        return tags


#: types a model file may contain; anything else is refused on load
TRUSTED: tuple[str, ...] = (
    "graphkit.collusion.scorer.CollusionScorer",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "numpy.bool_",
    "numpy.random._mt19937.MT19937",
    "numpy.random.mtrand.RandomState",
    "builtins.slice",
    "collections.OrderedDict",
)


def _explode(bidders: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(row position, bidder id) pairs of a ``bidders`` column."""
    s = bidders.reset_index(drop=True)
    ex = s.dropna().astype(str).str.split(BIDDER_SEP).explode()
    ex = ex[ex.notna() & (ex != "")]
    return ex.index.to_numpy(dtype=np.int64), ex.to_numpy(dtype=object)


def _firm_keys(market, row: np.ndarray, firm: np.ndarray) -> np.ndarray:
    """``market + SEP + firm id`` for each (row, firm) pair: a firm id names a firm within its market only
    (firm 371 of the Italian roads file is not firm 371 of the Japanese works file)."""
    m = np.asarray(market, dtype=object).astype(str)
    return (pd.Series(m[row], dtype=object) + _KEY_SEP + pd.Series(firm, dtype=object).astype(str)).to_numpy(
        dtype=object
    )


def _firm_stats(bidders: pd.Series, y: np.ndarray, market) -> dict:
    """Per bidder of a market (key ``market + SEP + id``): tenders labelled collusive (``pos``) and all
    tenders (``tot``) it bid in."""
    row, firm = _explode(bidders)
    y = np.asarray(y, dtype=float)
    codes, firms = pd.factorize(pd.Series(_firm_keys(market, row, firm), dtype=object), sort=True)
    tot = np.bincount(codes, minlength=len(firms)).astype(np.int64)
    pos = np.bincount(codes, weights=y[row], minlength=len(firms)).astype(np.int64)
    return {"firms": np.asarray(firms, dtype=str), "pos": pos, "tot": tot}


def _history(bidders: pd.Series, winners: pd.Series | None, stats: dict, base: float, a: float, market) -> pd.DataFrame:
    """:data:`PRIOR` per tender (``market``: each tender's market, whose firms' record it reads), plus the
    bidder with the worst record (``top``, ``top_pos``, ``top_tot``) and how many bidders have a record of
    mostly collusive tenders (``members``, of ``n``)."""
    n = len(bidders)
    row, firm = _explode(bidders)
    firms = pd.Index(stats["firms"])
    idx = firms.get_indexer(_firm_keys(market, row, firm))
    known = idx >= 0
    pos, tot = stats["pos"], stats["tot"]
    safe = np.where(known, idx, 0)
    rate = np.where(known, (pos[safe] + a * base) / (tot[safe] + a), np.nan)
    nb = np.bincount(row, minlength=n).astype(float)
    nk = np.bincount(row, weights=known, minlength=n)
    member = known & (rate >= 0.5)
    nm = np.bincount(row, weights=member, minlength=n)
    out = pd.DataFrame(index=range(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["prior_known"] = np.where(nb > 0, nk / np.maximum(nb, 1), np.nan)
        out["prior_rate_mean"] = np.where(
            nk > 0, np.bincount(row, weights=np.nan_to_num(rate), minlength=n) / np.maximum(nk, 1), np.nan
        )
        mx = np.full(n, np.nan)
        np.fmax.at(mx, row, rate)
        out["prior_rate_max"] = mx
        out["prior_members"] = np.where(nb > 0, nm / np.maximum(nb, 1), np.nan)
    wr = np.full(n, np.nan)
    if winners is not None:
        w = winners.reset_index(drop=True).to_numpy(dtype=object)
        has = pd.notna(w)
        wi = firms.get_indexer(_firm_keys(market, np.flatnonzero(has), w[has]))
        ok = wi >= 0
        vals = np.full(has.sum(), np.nan)
        vals[ok] = (pos[wi[ok]] + a * base) / (tot[wi[ok]] + a)
        wr[np.flatnonzero(has)] = vals
    out["prior_winner_rate"] = wr
    out["n"] = nb
    out["members"] = nm
    top = np.full(n, None, dtype=object)
    top_pos = np.full(n, np.nan)
    top_tot = np.full(n, np.nan)
    kk = np.flatnonzero(known)
    if len(kk):
        o = kk[np.lexsort((-rate[kk], row[kk]))]
        first = o[np.unique(row[o], return_index=True)[1]]
        top[row[first]] = firm[first]
        top_pos[row[first]] = pos[idx[first]]
        top_tot[row[first]] = tot[idx[first]]
    out["top"], out["top_pos"], out["top_tot"] = top, top_pos, top_tot
    return out


_KEY_SEP = "\x1f"  # joins a market and a segment or a firm id in the records' keys


def _segment_stats(market: np.ndarray, segment: pd.Series, y: np.ndarray) -> dict:
    """Collusive (``pos``) and all (``tot``) tenders per market and segment, and per market alone
    (key ``market + SEP``: the market's rate, what an unseen segment gets)."""
    m = pd.Series(np.asarray(market, dtype=object)).astype(str).reset_index(drop=True)
    seg = segment.reset_index(drop=True)
    y = np.asarray(y, dtype=float)
    has = seg.notna().to_numpy()
    keys = pd.concat([m[has] + _KEY_SEP + seg[has].astype(str), m + _KEY_SEP], ignore_index=True)
    yy = np.concatenate([y[has], y])
    codes, uniq = pd.factorize(keys, sort=True)
    return {
        "keys": np.asarray(uniq, dtype=str),
        "pos": np.bincount(codes, weights=yy, minlength=len(uniq)).round().astype(np.int64),
        "tot": np.bincount(codes, minlength=len(uniq)).astype(np.int64),
    }


def _segment_record(market: np.ndarray, segment: pd.Series, stats: dict, a: float) -> pd.DataFrame:
    """Per tender: ``rate`` (its segment's collusive rate in ``stats``, smoothed towards its market's;
    the market's for a missing segment or one with fewer than :data:`SEGMENT_MIN` tenders; the pooled
    rate for an unseen market), ``value`` (the segment), ``pos`` and ``tot`` (its segment's training
    tenders; 0 when unseen) and ``rated`` (whether the segment has a rate of its own)."""
    m = pd.Series(np.asarray(market, dtype=object)).astype(str).reset_index(drop=True)
    seg = segment.reset_index(drop=True)
    index = pd.Index(stats["keys"])
    pos, tot = stats["pos"], stats["tot"]
    market_rows = np.char.endswith(stats["keys"].astype(str), _KEY_SEP)
    pooled = pos[market_rows].sum() / max(tot[market_rows].sum(), 1)
    mi = index.get_indexer(m + _KEY_SEP)
    base = np.where(mi >= 0, pos[mi] / np.maximum(tot[mi], 1), pooled)
    has = seg.notna().to_numpy()
    si = np.full(len(m), -1)
    si[has] = index.get_indexer(m[has] + _KEY_SEP + seg[has].astype(str))
    sp = np.where(si >= 0, pos[si], 0)
    st = np.where(si >= 0, tot[si], 0)
    rated = st >= SEGMENT_MIN
    return pd.DataFrame(
        {
            "rate": np.where(rated, (sp + a * base) / (st + a), base),
            "value": seg.where(seg.notna(), None).astype(object),
            "pos": sp,
            "tot": st,
            "rated": rated,
        }
    )


def load_trusted(path: str | Path, trusted: tuple[str, ...]) -> object:
    """Read a skops model file, refusing one that holds any type outside ``trusted`` (no code runs).

    Parameters
    ----------
    path : str or Path
        The model file.
    trusted : tuple of str
        The fully qualified type names the file may hold.
    """
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such model file (train one with `graphkit collusion train`)")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises its own and zipfile's errors for a file that is not a model
        raise ValueError(f"{path}: not a graphkit collusion model file ({type(exc).__name__}: {exc})") from exc
    extra = sorted(set(untrusted) - set(trusted))
    if extra:
        raise ValueError(f"{path}: refusing to load types not known to be safe: {', '.join(extra)}")
    return sio.load(path, trusted=list(untrusted))


def load(path: str | Path) -> CollusionScorer:
    """Read a scorer written by :meth:`CollusionScorer.save`; refuse files holding untrusted types."""
    obj = load_trusted(path, TRUSTED)
    if not isinstance(obj, CollusionScorer):
        raise ValueError(f"{path}: holds a {type(obj).__name__}, not a CollusionScorer")
    return obj


def score_tenders(
    features: pd.DataFrame, scorer: CollusionScorer, *, progress: Callable[[int], None] | None = None
) -> pd.DataFrame:
    """One row per tender: ``tender``, ``risk`` in [0, 1], ``reasons`` (highest risk first).

    A tender of one bid has no risk (empty, last) and the reason "single bid", as in every mode of
    ``score-bids`` (:func:`~graphkit.collusion.unsupervised.unscorable`)."""
    from graphkit.collusion.unsupervised import SINGLE_BID, unscorable

    risk, reasons = scorer.explain(features, progress=progress)
    alone = unscorable(features) if "n_bids" in features.columns else np.zeros(len(risk), dtype=bool)
    risk = np.where(alone, np.nan, risk)
    reasons = [SINGLE_BID if a else r for a, r in zip(alone, reasons, strict=True)]
    out = pd.DataFrame(
        {
            "tender": features["tender"].to_numpy() if "tender" in features.columns else features.index.to_numpy(),
            "risk": np.round(risk, 4),
            "reasons": reasons,
        }
    )
    if "market" in features.columns and features["market"].nunique() > 1:
        out.insert(0, "market", features["market"].to_numpy())
    return out.sort_values("risk", ascending=False, kind="stable", na_position="last").reset_index(drop=True)


# ---------------------------------------------------------------------- words
def _say(group: str, r: dict, m: dict, row: pd.Series | None) -> str | None:
    """One sentence for a reason group, from the tender's raw values r and its market's medians m."""
    g = lambda c: r.get(c, np.nan)  # noqa: E731
    n = g("n_bids")
    if group == "cv":
        return f"CV {_pct(g('CV'))} vs market {_pct(m.get('CV', np.nan))}"
    if group == "spread":
        return f"spread of bids {_pct(g('SPD'))} vs market {_pct(m.get('SPD', np.nan))}"
    if group == "diffp":
        return f"two lowest bids {_pct(g('DIFFP'))} apart vs market {_pct(m.get('DIFFP', np.nan))}"
    if group == "rd":
        return (
            f"gap between the two lowest bids {_num(g('RD'))}× the spread of the losing bids "
            f"(market {_num(m.get('RD', np.nan))}×)"
        )
    if group == "shape":
        return (
            f"kurtosis {_num(g('KURT'))}, skewness {_num(g('SKEW'))} "
            f"(market {_num(m.get('KURT', np.nan))}, {_num(m.get('SKEW', np.nan))})"
        )
    if group == "ks":
        return f"KS statistic {_num(g('KSTEST'), 2)} vs market {_num(m.get('KSTEST', np.nan), 2)}"
    if group == "subgroup":
        return f"tightest 3-4 bids have CV {_pct(g('sub_CV_min'))} (market {_pct(m.get('sub_CV_min', np.nan))})"
    if group == "n_bids":
        return None if n == 1 else f"{_num(n, 0)} bids (market median {_num(m.get('n_bids', np.nan), 0)})"
    if group == "level":
        return f"mean bid {_num(g('bid_level'), 0)} (market median {_num(m.get('bid_level', np.nan), 0)})"
    if group == "pte":
        if np.isfinite(g("win_pte")):
            return (
                f"winning bid {_pct(g('win_pte'))} of the pre-tender estimate (market {_pct(m.get('win_pte', np.nan))})"
            )
        return None
    if group == "unlisted":
        u = g("unlisted_bids")
        if not np.isfinite(u) or u <= 0:
            return None
        return f"{_pct(u)} of the reported bids are missing from the table"
    if group == "ties":
        k = int(round(g("tie_share") * n)) if np.isfinite(g("tie_share")) else 0
        return f"{k} of {int(n)} bids identical in price" if k else None
    if group == "progression":
        k = int(round(g("ap_run") * n)) if np.isfinite(g("ap_run")) else 0
        return f"{k} bids in arithmetic progression (equal price steps)" if k >= 3 else None
    if group == "cover":
        nl = max(int(n) - 1, 0)
        for c, p in (("cover_1pct", "1%"), ("cover_3pct", "3%")):
            k = int(round(g(c) * nl)) if np.isfinite(g(c)) else 0
            if k:
                return f"{k} of {nl} losing bids within {p} above the winner"
        return "no losing bid within 3% above the winner" if nl else None
    if group == "winner_rank":
        wr = g("winner_rank")
        if not np.isfinite(wr):
            return None
        pos = int(round(wr * (n - 1))) + 1
        return "winner was the lowest bid" if pos == 1 else f"winner was not the lowest bid (rank {pos} of {int(n)})"
    if group == "never_win":
        k = row.get("never_win_n") if row is not None else np.nan
        if row is not None and pd.notna(k) and k > 0:
            return f"{int(k)} of {max(int(n) - 1, 0)} losing bidders never win (3+ bids each)"
        return f"losing bidders win {_pct(g('loser_win_rate'))} of their bids"
    if group == "win_rate":
        return f"winner wins {_pct(g('winner_win_rate'))} of its other bids"
    if group == "rotation":
        if row is not None and pd.notna(row.get("top_pair_joint")) and row.get("top_pair_joint", 0) >= 3:
            j, ins = int(row["top_pair_joint"]), int(row["top_pair_inside"])
            return (
                f"winner and rival {row.get('top_pair_rival')} met in {j} tenders and one of the two won "
                f"{ins} ({int(row['top_pair_w_winner'])} and {int(row['top_pair_w_rival'])})"
            )
        if np.isfinite(g("pair_repeat_share")):
            return f"{_pct(g('pair_repeat_share'))} of bidder pairs met in 2+ other tenders"
        return None
    if group == "profile":
        v, mv = g("bidder_volume_mean"), m.get("bidder_volume_mean", np.nan)
        if not np.isfinite(v):
            return None
        return (
            f"its bidders entered {math.exp(v):.0f} tenders each (geometric mean; market "
            f"{_num(math.exp(mv) if np.isfinite(mv) else np.nan, 0)}) and bid {_pct(g('bidder_markup'))} above "
            f"the lowest bid on average (market {_pct(m.get('bidder_markup', np.nan))})"
        )
    if group == "segment":
        if row is None or not pd.notna(row.get("value")):
            return None
        a, b = int(row["pos"]), int(row["tot"])
        what = f"{row.get('name') or 'segment'} {row['value']}"
        if b == 0:
            return f"{what}: no training tender of this kind (rated like its market)"
        if not row.get("rated"):
            return f"{what}: only {b} training tenders of this kind, {a} collusive (rated like its market)"
        return f"{what}: {a:,} of {b:,} training tenders of this kind were collusive ({_pct(a / b)})"
    if group == "history":
        if row is None or not pd.notna(row.get("top")):
            return None
        k, nn = int(row["members"]), int(row["n"])
        a, b = int(row["top_pos"]), int(row["top_tot"])
        if a == 0:
            return None
        if k:
            return (
                f"{k} of {nn} bidders were mostly in tenders found collusive before (bidder {row['top']}: {a} of {b})"
            )
        return f"bidder {row['top']} was in {a} of its {b} earlier tenders found collusive"
    v = g(group)
    return f"{group} {_num(v, 3)} vs market {_num(m.get(group, np.nan), 3)}"
