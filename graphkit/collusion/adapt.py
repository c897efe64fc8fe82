"""Scoring a market the model never saw: the unseen-market default, and adapting to a few labels.

Two situations of a commission that screens its own market with a model trained on others'
(:class:`~graphkit.collusion.scorer.CollusionScorer`):

* **No label of its own** (:func:`unseen_choice`, :func:`unseen_risk`). The trained-elsewhere model and the
  label-free score (:class:`~graphkit.collusion.unsupervised.LabelFreeScorer`) are both available;
  :data:`UNSEEN_DEFAULT` says which ``score-bids`` uses. ``"blend"`` is the mean of the two risks after each
  is turned into the tender's percentile within its market. ``"guarded"`` (the default) decides per market,
  from the market's own bids and no label, whether the model has carried over: the label-free risk is what
  the theory of bid rigging predicts for this market's tenders (each screen in the direction the literature
  gives it), so a model whose risk ranks the tenders against it or independently of it (Spearman correlation
  at or below :data:`AGREE_MIN` = 0) has learned, on other markets, relations that do not hold here, and the
  tenders are scored by the screens alone. A model that ranks them like the screens joins them as one more
  family: its within-market percentile weighs what one family of the label-free score weighs there
  (:func:`model_weight`, 1 / (families + 1)), since it is one more opinion learned elsewhere, not a
  measurement of this market. The rules are a sign and a count, not fitted numbers; ``python
  bench/collusion_eval.py --unseen`` prints the correlation, what each market was scored by and the ROC AUC
  of every choice leave one market out (README, tender collusion: unseen markets). Measured there: the
  guarded default falls back to the screens in Italy (correlation −0.09) and adds the model in the USA,
  Switzerland and Japan (+0.26, +0.40, +0.27); its worst shortfall from the better of model and label-free
  is 0.023 (Switzerland, where the model leads), against 0.036 for the label-free score, 0.140 for the
  half-and-half blend and 0.303 for the model (scikit-learn 1.9.1; the bench prints the versions it ran; its
  figures no longer depend on the SIMD code numpy picks; with the model's seeds 1-3 the guarded shortfall is
  0.036-0.044). It is not within 0.02 on every market. The weight of one family was chosen after the half-and-half blend
  had been measured on these four markets (README).
* **A few confirmed tenders** (:class:`AdaptedScorer`, ``graphkit collusion adapt``). Each market's
  cartel leaves its own trace (the bench's direction tables: a screen that marks collusion in one
  market marks competition in another), so a handful of the market's own labels are best spent
  learning *which way each screen points here*: a class-balanced logistic regression on the unseen-market
  default's risk, the label-free risk, the trained-elsewhere model's within-market percentile and the
  oriented within-market percentiles of every screen
  (:func:`~graphkit.collusion.unsupervised.oriented_percentiles`), fitted on the labelled tenders only.
  All the market's tenders, labelled or not, are the reference of the percentiles. Its L2 penalty pulls
  the weights towards the unseen-market default (weight 1 on it, 0 on the rest), not towards 0: ten labels
  that happen to disagree with each other then leave the ranking near the default instead of reordering
  the market on noise. ``python bench/collusion_eval.py --unseen`` prints the learning curve of both priors
  on the same draws (README, tender collusion: a few labels). With no label the adapted scorer is the
  unseen-market default.

Example
-------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"market": "m", "n_bids": 5.0, "CV": rng.random(300), "SPD": rng.random(300)})
>>> y = np.where(np.arange(300) < 40, (X["CV"] > 0.5).astype(int), -1)  # 40 labelled, the rest -1
>>> a = AdaptedScorer().fit(X, y)
>>> risk = a.predict_proba(X)[:, 1]
>>> bool(risk[X["CV"] > 0.5].mean() > risk[X["CV"] <= 0.5].mean())  # learned: here a high CV is collusive
True
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from graphkit.collusion.features import identical_bids_of
from graphkit.collusion.scorer import TRUSTED, CollusionScorer, load_trusted
from graphkit.collusion.unsupervised import DIRECTIONS, SINGLE_BID, LabelFreeScorer, spearman, unscorable

__all__ = [
    "UNSEEN_DEFAULT",
    "UNSEEN_CHOICES",
    "AGREE_MIN",
    "within_market_percentile",
    "estimate_share",
    "agreement",
    "unseen_choice",
    "unseen_risk",
    "unseen_thresholds",
    "model_weight",
    "AdaptedScorer",
    "PROFILE",
    "DRIFT_MAX",
    "market_profile",
    "ks_distance",
    "drift",
    "load_any",
]

#: what ``score-bids --model M`` uses for a market M was not trained on (module doc, :func:`unseen_choice`)
UNSEEN_DEFAULT = "guarded"
UNSEEN_CHOICES: tuple[str, ...] = ("label-free", "model", "blend", "guarded")
#: "guarded" blends only where the model's risk and the label-free risk rank the market's tenders with a
#: Spearman correlation above this: a sign, not a fitted number (a model that ranks against, or
#: independently of, the theory-oriented screens in a new market shows no sign of having transferred)
AGREE_MIN = 0.0
#: confirmed tenders of each outcome an adapted model needs before its threshold is the one that best separates
#: them; with fewer, an in-sample optimum over a handful of labels is noise (with 5 collusive and 10 competitive
#: tenders the lowest of the tied best thresholds flagged 84 % of the Ohio market), so the threshold is the
#: median of the market's adapted risks, the label-free rule (flag the upper half: balanced accuracy at least
#: 0.75 for a perfect ranking whatever the share of rigged tenders; graphkit.collusion.unsupervised, Threshold)
THRESHOLD_LABELS_MIN = 20


def estimate_share(risk_labelled, y_labelled, risk_market, *, threshold: float | None = None) -> float:
    """The market's share of collusive tenders that its confirmed tenders and its risks imply (adjusted count).

    A commission confirms the tenders it chose to look at, about as many collusive as competitive ones, so the
    labels' own share says nothing of the market's. Among the confirmed tenders of each outcome the share above a
    threshold estimates how often a collusive (``tpr``) and a competitive tender (``fpr``) lies above it, whatever
    the labels' balance; the market's share above it, ``q``, is ``p * tpr + (1 - p) * fpr``, so the market's share
    ``p = (q - fpr) / (tpr - fpr)``, clipped to [0, 1] (Forman 2008, adjusted classify and count; Saerens, Latinne
    & Decaestecker 2002 on priors that differ between a training sample and the data). ``NaN`` where the confirmed
    tenders do not separate (``tpr <= fpr``). The confirmed tenders were fitted on, so ``tpr - fpr`` is read
    optimistically, and with a few of each outcome their rates are noisy and the estimate with them: ``python
    bench/adapted_threshold.py`` prints it against the true share (from 20 confirmed tenders of each outcome it put
    Japan's 11 % at 20 % on average, anywhere from 0 % to 50 % over five draws), which is why ``adapt`` does not
    print it.

    Parameters
    ----------
    risk_labelled, y_labelled : array-like
        Risk and outcome (1/0) of the confirmed tenders.
    risk_market : array-like
        Risk of every scored tender of the market.
    threshold : float, optional
        Where to count; default the median of the market's risks.

    Returns
    -------
    float

    Example
    -------
    >>> estimate_share([0.9, 0.8, 0.7, 0.2, 0.1, 0.3], [1, 1, 1, 0, 0, 0], [0.9, 0.8, 0.1, 0.2, 0.3, 0.2, 0.1, 0.25])
    0.25
    """
    r, y = np.asarray(risk_labelled, dtype=float), np.asarray(y_labelled, dtype=int)
    rm = np.asarray(risk_market, dtype=float)
    rm = rm[np.isfinite(rm)]
    if not len(rm) or not (y == 1).any() or not (y == 0).any():
        return float("nan")
    t = float(np.median(rm)) if threshold is None else float(threshold)
    tpr, fpr, q = float((r[y == 1] > t).mean()), float((r[y == 0] > t).mean()), float((rm > t).mean())
    if tpr <= fpr:
        return float("nan")
    return float(np.clip((q - fpr) / (tpr - fpr), 0.0, 1.0))


def within_market_percentile(risk: np.ndarray, market: np.ndarray) -> np.ndarray:
    """Mid-rank percentile of each risk among its market's (``NaN`` stays ``NaN``)."""
    s = pd.Series(np.asarray(risk, dtype=float))
    return s.groupby(pd.Series(np.asarray(market, dtype=object)).astype(str).to_numpy()).rank(pct=True).to_numpy()


def _markets(features: pd.DataFrame) -> np.ndarray:
    if "market" in features.columns:
        return features["market"].astype(str).to_numpy()
    return np.full(len(features), "all", dtype=object)


def agreement(model_risk: np.ndarray, label_free_risk: np.ndarray, market: np.ndarray) -> dict[str, float]:
    """Per market, the Spearman correlation of the model's and the label-free risk (no label is read).

    Parameters
    ----------
    model_risk, label_free_risk : ndarray
        The two risks of the same tenders.
    market : ndarray
        Market of each tender.

    Returns
    -------
    dict
        Market -> correlation over its tenders that both score (``NaN`` with fewer than 3 such tenders or
        a constant risk).
    """
    a, b = np.asarray(model_risk, dtype=float), np.asarray(label_free_risk, dtype=float)
    market = np.asarray(market, dtype=object).astype(str)
    out = {}
    for m in pd.unique(market):
        ok = (market == m) & np.isfinite(a) & np.isfinite(b)
        out[str(m)] = spearman(a[ok], b[ok])
    return out


def unseen_choice(
    features: pd.DataFrame,
    model: CollusionScorer | None,
    *,
    how: str = UNSEEN_DEFAULT,
    label_free: LabelFreeScorer | None = None,
    label_free_risk: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, tuple[float, str]]]:
    """Risk of each tender of markets ``model`` was not trained on, and what each market was scored by.

    Parameters
    ----------
    features : DataFrame
        Tender feature frame of the market(s) to score.
    model : CollusionScorer or None
        The trained-elsewhere model (``None``: label-free only).
    how : {"label-free", "model", "blend", "guarded"}
        ``"blend"``: the mean of the model's and the label-free score's within-market percentiles;
        ``"guarded"``: in a market where the two rank its tenders alike (Spearman correlation above
        :data:`AGREE_MIN`), the weighted mean with the model's percentile weighing what one family of the
        label-free score weighs (:func:`model_weight`); the label-free score alone where they do not (module doc).
    label_free : LabelFreeScorer, optional
        Fitted label-free scorer; default one fitted on ``features``.
    label_free_risk : ndarray, optional
        That scorer's risk of ``features`` where the caller already has it (e.g. from its ``explain``).

    Returns
    -------
    risk : ndarray
        In [0, 1]; ``NaN`` for a tender without a label-free risk (one bid: no screen), whatever scored its
        market (:func:`unscorable`): the model's percentile alone would rank a lone bid against the others.
    used : dict
        Market -> (Spearman correlation of model and label-free risk, ``NaN`` without a model; what scored it:
        "label-free", "model" or "blend").
    """
    if how not in UNSEEN_CHOICES:
        raise ValueError(f"how must be one of {', '.join(UNSEEN_CHOICES)}, not {how!r}")
    if how == "model" and model is None:
        raise ValueError("how='model' needs a model")
    market = _markets(features)
    m_risk = model.predict_proba(features)[:, 1] if model is not None else None
    if how == "model":
        return _combine(market, m_risk, None, how)
    lf = label_free if label_free is not None else LabelFreeScorer().fit(features)
    r = label_free_risk if label_free_risk is not None else lf.predict_proba(features)[:, 1]
    return _combine(market, m_risk, r, how, lf)


def model_weight(label_free: LabelFreeScorer | None, market: str) -> float:
    """Weight of the trained-elsewhere model's percentile where ``"guarded"`` blends it: what one family of the
    label-free score weighs in the market, 1 / (its families + 1); one half without a fitted label-free scorer."""
    k = label_free.family_count(market) if label_free is not None else 1
    return 1.0 / (max(k, 1) + 1)


def _combine(
    market: np.ndarray, m_risk: np.ndarray | None, r: np.ndarray | None, how: str, lf: LabelFreeScorer | None = None
) -> tuple[np.ndarray, dict[str, tuple[float, str]]]:
    """:func:`unseen_choice` from the model's and the label-free risks already computed (``lf``: the label-free
    scorer, whose families set the model's weight in ``"guarded"``)."""
    names = [str(m) for m in pd.unique(market)]
    if how == "model":
        return m_risk, {m: (float("nan"), "model") for m in names}
    if m_risk is None or how == "label-free":
        rho = agreement(m_risk, r, market) if m_risk is not None else {m: float("nan") for m in names}
        return r, {m: (rho[m], "label-free") for m in names}
    rho = agreement(m_risk, r, market)
    used = {m: (rho[m], "blend" if how == "blend" or rho[m] > AGREE_MIN else "label-free") for m in names}
    pm = within_market_percentile(m_risk, market)
    w = np.full(len(market), 0.5)
    if how == "guarded":
        for m in names:
            w[market == m] = model_weight(lf, m)
    blend = np.where(np.isnan(r), np.nan, w * pm + (1 - w) * r)  # no screen, no risk (unscorable)
    blended = np.array([used[m][1] == "blend" for m in market], dtype=bool)
    return np.where(blended, blend, r), used


def unseen_risk(
    features: pd.DataFrame,
    model: CollusionScorer | None,
    *,
    how: str = UNSEEN_DEFAULT,
    label_free: LabelFreeScorer | None = None,
) -> np.ndarray:
    """Risk of each tender of a market ``model`` was not trained on (:func:`unseen_choice` without the record).

    Parameters
    ----------
    features : DataFrame
        Tender feature frame of the market(s) to score.
    model : CollusionScorer or None
        The trained-elsewhere model (``None``: label-free only).
    how : {"label-free", "model", "blend", "guarded"}
        Which score (:func:`unseen_choice`).
    label_free : LabelFreeScorer, optional
        Fitted label-free scorer; default one fitted on ``features``.

    Returns
    -------
    ndarray
        Risk in [0, 1].
    """
    return unseen_choice(features, model, how=how, label_free=label_free)[0]


def unseen_thresholds(
    risk: np.ndarray, market: np.ndarray, used: dict[str, tuple[float, str]], label_free: LabelFreeScorer
) -> dict[str, tuple[float, str]]:
    """Per market, the threshold of :func:`unseen_choice`'s risk and how it was set: the label-free rule on the
    risk the market is scored by.

    Where a market is scored by the label-free score alone, its threshold is the label-free scorer's. Where the
    model joins it (``"blend"``), the label-free threshold is a share of the market (the risk is a percentile:
    the median rule, 0.5, flags the upper half), so the combined risk is cut at the same quantile of the market's
    combined risks: the label-free threshold applied to the combined risk had flagged another share than the rule
    says (the combined risk's median is not 0.5).

    Parameters
    ----------
    risk : ndarray
        :func:`unseen_choice`'s risk (``NaN`` for an unscored tender).
    market : ndarray
        Market of each tender.
    used : dict
        :func:`unseen_choice`'s record: market -> (correlation, what scored it).
    label_free : LabelFreeScorer
        The fitted label-free scorer whose thresholds the label-free score uses.

    Returns
    -------
    dict
        Market -> (threshold, rule in words).

    Example
    -------
    >>> lf = LabelFreeScorer().fit(pd.DataFrame({"n_bids": 5.0, "CV": np.linspace(0, 1, 11)}))
    >>> t, rule = unseen_thresholds(np.linspace(0.2, 0.4, 11), np.full(11, "all"), {"all": (0.3, "blend")}, lf)["all"]
    >>> round(t, 6), rule
    (0.3, "median of the market's combined risks (the upper half of the market)")
    """
    risk = np.asarray(risk, dtype=float)
    market = np.asarray(market, dtype=object).astype(str)
    rules = getattr(label_free, "threshold_rule_", {})
    out = {}
    for m, (_, what) in used.items():
        t = float(label_free.threshold_.get(m, 0.5))
        rule = rules.get(m, "set without labels")
        r = risk[(market == m) & np.isfinite(risk)]
        if what == "label-free" or not len(r):
            out[m] = (t, rule)
            continue
        cut = float(np.quantile(r, t))
        if rule.startswith("median"):
            out[m] = (cut, "median of the market's combined risks (the upper half of the market)")
        else:
            out[m] = (cut, f"the label-free rule's share of the market, the top {1 - t:.0%}, on the combined risks")
    return out


#: what an adapted model keeps of its market's tenders (no label) to tell a later file of that market from another
#: market's: the scale of its amounts (log10 of each tender's median bid, in the file's own unit), the bids per
#: tender and three scale-free screens (coefficient of variation, spread, difference of the two lowest bids)
PROFILE: tuple[str, ...] = ("value", "n_bids", "CV", "SPD", "DIFFP")
#: a file whose tenders sit further than this from the adapted market's on one of :data:`PROFILE` (the
#: Kolmogorov-Smirnov distance: the largest gap between the two shares of tenders below a value) is not read as
#: that market's. One half is a round convention for a large shift, not fitted: at it, half of one side's tenders
#: lie where the other's do not; ``python bench/adapted_drift.py`` counts how often it fires on halves of one
#: market and on another market given the wrong name
DRIFT_MAX = 0.5
_QUANTILES = np.linspace(0.0, 1.0, 101)


def _per_tender(bids: pd.DataFrame, features: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each :data:`PROFILE` quantity of the tenders of ``features`` (``bids``: their bid table), finite values."""
    key = "key" if "key" in bids.columns and "key" in features.columns else "tender"
    med = pd.to_numeric(bids["bid"], errors="coerce").groupby(bids[key].astype(str)).median()
    med = med.reindex(features[key].astype(str)).to_numpy(dtype=float)
    out = {"value": np.log10(med[med > 0])}
    for q in PROFILE[1:]:
        v = pd.to_numeric(features[q], errors="coerce").to_numpy(dtype=float) if q in features.columns else []
        out[q] = np.asarray(v, dtype=float)
    return {q: v[np.isfinite(v)] for q, v in out.items()}


def market_profile(bids: pd.DataFrame, features: pd.DataFrame) -> dict[str, np.ndarray]:
    """What a model keeps of its market: the percentiles 0, 1, … 100 of each :data:`PROFILE` quantity over the
    market's tenders (no label is read; a quantity no tender has is left out).

    Parameters
    ----------
    bids : DataFrame
        The market's bid table (``tender`` or ``key``, ``bid``).
    features : DataFrame
        Its tender feature frame (:func:`~graphkit.collusion.features.tender_features`).

    Returns
    -------
    dict
        Quantity -> its 101 percentiles.
    """
    return {q: np.quantile(v, _QUANTILES) for q, v in _per_tender(bids, features).items() if len(v)}


def ks_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov-Smirnov distance: the largest gap between the shares of ``a`` and of ``b`` at or
    below a value (0: the same distribution; 1: no overlap).

    >>> ks_distance(np.arange(10), np.arange(10)), ks_distance(np.arange(10), np.arange(10) + 100)
    (0.0, 1.0)
    """
    a, b = np.sort(np.asarray(a, dtype=float)), np.sort(np.asarray(b, dtype=float))
    if not len(a) or not len(b):
        return float("nan")
    at = np.concatenate([a, b])
    fa = np.searchsorted(a, at, side="right") / len(a)
    fb = np.searchsorted(b, at, side="right") / len(b)
    return float(np.max(np.abs(fa - fb)))


def drift(profile: dict[str, np.ndarray], bids: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """How far a file's tenders sit from what a model kept of its market (:func:`market_profile`); no label.

    Parameters
    ----------
    profile : dict
        :func:`market_profile` of the adapted market.
    bids, features : DataFrame
        The file's bid table and tender feature frame.

    Returns
    -------
    DataFrame
        One row per quantity both have: ``distance`` (:func:`ks_distance` of the file's tenders and the kept
        percentiles), ``kept`` and ``file`` (the medians; ``value`` as an amount in the file's unit, not its
        log), ``drifted`` (distance above :data:`DRIFT_MAX`).

    Example
    -------
    >>> b = pd.DataFrame({"tender": np.repeat(np.arange(50), 4), "bid": np.tile([100.0, 101, 104, 110], 50)})
    >>> f = pd.DataFrame({"tender": np.arange(50), "n_bids": 4.0, "CV": 0.04, "SPD": 0.1, "DIFFP": 0.01})
    >>> d = drift(market_profile(b, f), b.assign(bid=b["bid"] * 1000), f)
    >>> r = d.loc["value"]
    >>> float(r["distance"]), round(float(r["kept"]), 1), round(float(r["file"]), 1), bool(r["drifted"])
    (1.0, 102.5, 102500.0, True)
    """
    mine = _per_tender(bids, features)
    rows = {}
    for q, kept in profile.items():
        v = mine.get(q, np.array([]))
        if not len(v):
            continue
        d = ks_distance(v, kept)
        k, f = float(np.median(kept)), float(np.median(v))
        if q == "value":
            k, f = float(10**k), float(10**f)
        rows[q] = {"distance": round(d, 4), "kept": k, "file": f, "drifted": bool(d > DRIFT_MAX)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["distance", "kept", "file", "drifted"])


def _fit_logistic(Z: np.ndarray, y: np.ndarray, prior: np.ndarray, C: float) -> tuple[float, np.ndarray]:
    """Class-balanced logistic regression whose weights are penalised towards ``prior``, not towards 0.

    Minimises ``sum_i w_i * logloss_i + |beta - prior|^2 / (2 C)`` (the intercept is not penalised; ``w_i``
    weighs each class as a whole the same, as scikit-learn's ``class_weight="balanced"``) with scipy's
    L-BFGS. scikit-learn's :class:`~sklearn.linear_model.LogisticRegression` shrinks towards 0 only; with a
    zero ``prior`` this is the same problem.

    Returns
    -------
    intercept : float
    coef : ndarray of shape (Z.shape[1],)
    """
    from scipy.optimize import minimize
    from scipy.special import expit

    n, p = Z.shape
    n1 = float(y.sum())
    w = np.where(y == 1, n / (2 * n1), n / (2 * (n - n1)))

    def loss(b: np.ndarray) -> tuple[float, np.ndarray]:
        eta = b[0] + Z @ b[1:]
        g = w * (expit(eta) - y)
        d = b[1:] - prior
        value = float(np.sum(w * (np.logaddexp(0.0, eta) - y * eta)) + d @ d / (2 * C))
        return value, np.r_[g.sum(), Z.T @ g + d / C]

    b0 = np.r_[0.0, prior]
    res = minimize(loss, b0, jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return float(res.x[0]), np.asarray(res.x[1:], dtype=float)


class AdaptedScorer(ClassifierMixin, BaseEstimator):
    """A trained-elsewhere model adapted to a new market with a few of its confirmed tenders.

    Parameters
    ----------
    base : CollusionScorer or None
        The model trained on other markets (``None``: start from the label-free score alone).
    label_free : LabelFreeScorer or None
        A label-free scorer already fitted on the market's tenders (reused as is; default: one is fitted
        on ``X`` in :meth:`fit`). It reads no label either way.
    C : float
        Inverse L2 strength of the logistic regression (small: stay close to the prior).
    how : {"label-free", "model", "blend", "guarded"}
        The unseen-market default the adaptation starts from (and falls back to without labels).
    prior : {"default", "zero"}
        Where the weights are pulled to. ``"default"``: weight 1 on the unseen-market default (its risk centred
        on 0, the design's first column) and 0 on every other input, so a handful of
        labels moves the ranking away from the default only as far as they agree on a direction, and no
        label at all leaves it there. ``"zero"``: every weight towards 0 (an ordinary L2 logistic regression,
        graphkit's first version; the bench prints both learning curves).
    flag_share : float or None
        With a share ``q`` in (0, 1), the threshold flags the riskiest ``q`` of the market's scored tenders when
        adapted (the share of rigged tenders the commission expects, or its review capacity), whatever the
        confirmed tenders' balance. ``None``: the threshold of balanced accuracy (``threshold_``), which flags a third
        to a half of a market or more whatever its share of rigged tenders (``python bench/adapted_threshold.py``).
    random_state : int
        Seed of the label-free threshold mixture.

    Attributes
    ----------
    label_free_ : LabelFreeScorer
        Fitted on every tender of ``X`` (labels never read).
    coef_ : ndarray or None
        Weight of each input (``None`` when fewer than two classes are labelled).
    intercept_ : float or None
    inputs_ : list of str
        Its inputs: ``default`` (the unseen-market default's risk, centred on 0),
        ``label-free`` (risk), ``model`` (the base model's within-market percentile; absent without a base)
        and the label-free score's oriented standardised screens and context families.
    market_ : list of str
        Markets of ``X`` (the adapted model applies to these).
    n_labelled_ : int
        Labelled tenders used.
    n_unscorable_labels_ : int
        Labelled tenders left out of the fit: one bid, no screen (:func:`~graphkit.collusion.unsupervised.unscorable`).
    threshold_ : float
        Risk above which :meth:`predict` says collusive: with at least :data:`THRESHOLD_LABELS_MIN` confirmed
        tenders of each outcome, the best balanced accuracy on them (the middle of tied thresholds); with fewer,
        the median of the market's adapted risks; without labels of both outcomes, the label-free threshold.
        With ``flag_share``, the riskiest share it gives. Balanced accuracy weighs each outcome by its own share,
        not by the market's, so this flag takes about as much of a market where 11 % of the tenders are rigged as of
        one where 75 % are: it says which tenders look more like the confirmed collusive ones than the competitive
        ones, not how many are rigged (the priority tier is the short list).
    threshold_rule_ : str
        Which of these set it, in words.
    n_scored_, n_flagged_, flagged_share_ : int, int, float
        The market's scored tenders when adapted, how many the threshold flags, and their ratio (``adapt`` says
        them).
    profile_ : dict
        What the model kept of its market's tenders (:meth:`keep_market`, :func:`market_profile`); absent until
        then.
    classes_ : ndarray
    """

    def __init__(
        self,
        *,
        base: CollusionScorer | None = None,
        label_free: LabelFreeScorer | None = None,
        C: float = 0.3,
        how: str = UNSEEN_DEFAULT,
        prior: str = "default",
        flag_share: float | None = None,
        random_state: int = 0,
    ) -> None:
        self.base = base
        self.label_free = label_free
        self.C = C
        self.how = how
        self.prior = prior
        self.flag_share = flag_share
        self.random_state = random_state

    def design(self, X: pd.DataFrame) -> np.ndarray:
        """The logistic regression's inputs for ``X`` (columns :attr:`inputs_`); no label is read.

        Parameters
        ----------
        X : DataFrame
            Tender feature frame of the adapted market.

        Returns
        -------
        ndarray of shape (n, len(inputs_))
        """
        market = _markets(X)
        lf, _, (_, D, _), _ = self.label_free_._risk(X)  # risk and oriented parts in one pass
        m_risk = self.base.predict_proba(X)[:, 1] if self.base is not None else None
        # percentiles already (the model's raw risk for "model")
        default = _combine(market, m_risk, lf, self.how, self.label_free_)[0]
        cols = [2 * np.nan_to_num(default, nan=0.5) - 1, 2 * np.nan_to_num(lf, nan=0.5) - 1]
        if m_risk is not None:
            pm = within_market_percentile(m_risk, market)
            cols.append(2 * np.nan_to_num(pm, nan=0.5) - 1)
        # a screen or context the label-free part does not read here (in_own_market: the file's own) sits at its
        # typical value, 0, as a missing value does
        none = np.zeros(len(X))
        cols += [D[s].fillna(0.0).to_numpy() if s in D.columns else none for s in self.inputs_[len(cols) :]]
        return np.column_stack(cols)

    def in_own_market(self, X: pd.DataFrame) -> AdaptedScorer:
        """This model for tenders not known to be the adapted market's: the same weights, its label-free part read
        within ``X``'s own market, as an unseen market's is.

        The label-free score is standardised within the market scored: its reference distributions, its date and
        bidder context and its cover-screen decision are the market's own. The adapted market's label-free scorer
        holds that market's; a file not known to be that market's (it names no market) had been ranked against
        them (an Italian file, whose lowest bid rarely wins, kept the cover screens when scored with a model
        adapted to Japan). Here the label-free scorer is refitted on ``X`` (no label is read) and the model's
        percentile is within ``X`` already; the weights learned from the adapted market's confirmed tenders apply
        to these inputs. A screen or context family ``X``'s label-free part leaves out weighs nothing (it sits at
        its typical value).

        Parameters
        ----------
        X : DataFrame
            Tender feature frame of the file scored (every tender: they are the reference).

        Returns
        -------
        AdaptedScorer
            A copy whose ``label_free_`` is fitted on ``X``; ``self`` is unchanged.
        """
        import copy

        from sklearn.base import clone

        check_is_fitted(self, "label_free_")
        own = copy.copy(self)
        own.label_free_ = clone(self.label_free_).fit(X)
        return own

    def keep_market(self, bids: pd.DataFrame, X: pd.DataFrame) -> AdaptedScorer:
        """Keep what the adapted market's tenders look like (:func:`market_profile`, no label) as ``profile_``, so a
        later file said to be that market's can be checked against it (:meth:`drift`).

        Parameters
        ----------
        bids : DataFrame
            The adapted market's bid table.
        X : DataFrame
            Its tender feature frame (the one :meth:`fit` read).

        Returns
        -------
        self
        """
        self.profile_ = market_profile(bids, X)
        return self

    def drift(self, bids: pd.DataFrame, X: pd.DataFrame) -> pd.DataFrame | None:
        """How far a file's tenders sit from the adapted market's (:func:`drift`); ``None`` for a model that kept
        nothing of its market (written by an earlier graphkit)."""
        profile = getattr(self, "profile_", None)
        return drift(profile, bids, X) if profile else None

    def fit(self, X: pd.DataFrame, y, *, design: np.ndarray | None = None) -> AdaptedScorer:
        """Fit on every tender of the new market ``X``; ``y`` is 1/0 for confirmed tenders, -1 (or NaN) for
        the rest.

        Parameters
        ----------
        X : DataFrame
            Tender feature frame of the new market (all its tenders: they are the reference).
        y : array-like
            Tender labels, -1 or NaN where unknown.
        design : ndarray, optional
            ``design(X)`` already computed by a scorer with the same ``base``, ``label_free`` and ``how`` (it
            does not depend on the labels; the learning-curve bench reuses it across draws).

        Returns
        -------
        self
        """
        if self.how not in UNSEEN_CHOICES:
            raise ValueError(f"how must be one of {', '.join(UNSEEN_CHOICES)}, not {self.how!r}")
        if self.prior not in ("default", "zero"):
            raise ValueError(f"prior must be 'default' or 'zero', not {self.prior!r}")
        if self.flag_share is not None and not 0 < float(self.flag_share) < 1:
            raise ValueError(f"flag_share must be a share between 0 and 1, not {self.flag_share!r}")
        y = pd.to_numeric(pd.Series(np.asarray(y, dtype=object)), errors="coerce").to_numpy(dtype=float)
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} tenders and y {len(y)} labels")
        self.label_free_ = (
            self.label_free if self.label_free is not None else LabelFreeScorer(random_state=self.random_state).fit(X)
        )
        self.inputs_ = [
            "default",
            "label-free",
            *(["model"] if self.base is not None else []),
            *self.label_free_.screens_,
            *getattr(self.label_free_, "context_", []),
        ]
        self.market_ = sorted(X["market"].astype(str).unique()) if "market" in X.columns else ["all"]
        self.classes_ = np.array([0, 1])
        lab = np.isin(y, [0.0, 1.0])
        # a confirmed tender of one bid has no screen to learn from (it is never scored either)
        self.n_unscorable_labels_ = int((lab & unscorable(X)).sum())
        lab &= ~unscorable(X)
        self.n_labelled_ = int(lab.sum())
        if lab.any() and len(np.unique(y[lab])) == 2:
            Z = self.design(X) if design is None else design
            if Z.shape[1] != len(self.inputs_):
                raise ValueError(f"design has {Z.shape[1]} columns, the inputs are {len(self.inputs_)}")
            prior = np.zeros(len(self.inputs_))
            if self.prior == "default":
                prior[0] = 1.0
            yl = y[lab].astype(int)
            self.intercept_, self.coef_ = _fit_logistic(Z[lab], yl.astype(float), prior, float(self.C))
            r = self._risk(Z[lab])
            scorable = ~unscorable(X)
            r_all = self._risk(Z[scorable]) if scorable.any() else r
            self._set_threshold(r, yl, r_all)
        else:
            self.intercept_, self.coef_ = None, None
            self.threshold_ = float(np.mean(list(self.label_free_.threshold_.values())))
            self.threshold_rule_ = "the label-free market threshold (no confirmed tenders of both outcomes)"
            self.flagged_share_ = float("nan")
            self.n_scored_, self.n_flagged_ = 0, 0
        return self

    def _set_threshold(self, r: np.ndarray, yl: np.ndarray, r_all: np.ndarray) -> None:
        """``threshold_``, its rule, ``n_scored_``, ``n_flagged_`` and ``flagged_share_`` from the confirmed
        tenders' risks ``r`` (outcomes ``yl``) and the market's scored tenders' risks ``r_all``."""
        n = len(r_all)
        if self.flag_share is not None:
            q = float(self.flag_share)
            self.threshold_ = float(np.quantile(r_all, 1 - q))
            self.threshold_rule_ = (
                f"the top {q:.0%} of the market's adapted risks when adapted ({n:,} tenders; the share given)"
            )
        elif min(int((yl == 1).sum()), int((yl == 0).sum())) < THRESHOLD_LABELS_MIN:
            self.threshold_ = float(np.median(r_all))
            # the tenders it was set on, said with it: a later file is flagged against this median, not its own
            self.threshold_rule_ = (
                f"median of the market's adapted risks when adapted ({n:,} tenders; fewer than "
                f"{THRESHOLD_LABELS_MIN} confirmed tenders of each outcome)"
            )
        else:
            cand = np.unique(r)
            best, lo, hi = -1.0, 0.5, 0.5
            for t in cand[:-1]:
                p = r > t
                ba = (p[yl == 1].mean() + (~p[yl == 0]).mean()) / 2
                if ba > best + 1e-12:
                    best, lo, hi = ba, float(t), float(t)
                elif abs(ba - best) <= 1e-12:
                    hi = float(t)  # thresholds tied at the best: their middle, not the lowest (which flags most)
            self.threshold_ = (lo + hi) / 2
            self.threshold_rule_ = "best balanced accuracy on the confirmed tenders"
        self.n_scored_, self.n_flagged_ = n, int((r_all > self.threshold_).sum())
        self.flagged_share_ = self.n_flagged_ / n if n else float("nan")

    def _risk(self, Z: np.ndarray) -> np.ndarray:
        from scipy.special import expit

        return expit(self.intercept_ + Z @ self.coef_)

    def predict_proba(self, X: pd.DataFrame, *, design: np.ndarray | None = None) -> np.ndarray:
        """``(n, 2)``; column 1 the adapted risk (the unseen-market default while no label was given); ``NaN``
        for a tender of one bid, which no screen scores (:func:`~graphkit.collusion.unsupervised.unscorable`).

        ``design``: :meth:`design` of ``X``, when already computed.
        """
        check_is_fitted(self, "label_free_")
        if not hasattr(self, "coef_"):
            raise ValueError(
                "this adapted model was written by an earlier graphkit (a plain logistic regression); run "
                "`graphkit collusion adapt` again to rebuild it"
            )
        if self.coef_ is None:
            r = unseen_risk(X, self.base, how=self.how, label_free=self.label_free_)
        else:
            r = self._risk(self.design(X) if design is None else design)
        r = np.where(unscorable(X), np.nan, r)
        return np.column_stack([1 - r, r])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """1 where the adapted risk is above :attr:`threshold_` (0 for a tender without a risk)."""
        return (np.nan_to_num(self.predict_proba(X)[:, 1], nan=-1.0) > self.threshold_).astype(int)

    def explain(self, X: pd.DataFrame, n_reasons: int = 3) -> tuple[np.ndarray, list[str]]:
        """Adapted risk and reasons: the inputs that raised (or, below the threshold, lowered) it most.

        An input's contribution to a tender's log-odds is its weight times the tender's value less the
        market's typical value (the median over the market's tenders of two or more bids): a screen that
        weighs against collusion here still *raises* the risk of a tender that sits low on it. Reasons are
        ordered by contribution and worded by its sign ("raises the risk here" / "lowers the risk here"),
        never by the weight's. "all N bids identical" comes first where it holds; a tender of one bid has no
        risk and the reason "single bid".

        Parameters
        ----------
        X : DataFrame
            Tender feature frame of the adapted market.
        n_reasons : int
            Inputs named per tender.

        Returns
        -------
        risk : ndarray
        reasons : list of str
        """
        lf = self.label_free_
        _, _, (P, _, where), (F, *_) = lf._risk(X)
        Z = self.design(X)
        risk = self.predict_proba(X, design=Z)[:, 1]
        w = self.coef_ if self.coef_ is not None else np.r_[1.0, np.zeros(Z.shape[1] - 1)]
        n_scores = 3 if self.base is not None else 2
        alone = unscorable(X)
        market = _markets(X)
        ref = np.zeros_like(Z)
        for m in pd.unique(market):
            rows = market == m
            ok = rows & ~alone
            ref[rows] = np.median(Z[ok], axis=0) if ok.any() else 0.0
        C = (Z - ref) * w
        same = identical_bids_of(X)
        Pv, Fv, Wv = P.to_numpy(), F.to_numpy(), where.to_numpy()
        col = {c: k for k, c in enumerate(P.columns)}
        lead = f"adapted to {self.n_labelled_:,} confirmed tenders of this market"
        what = ("unseen-market default", "label-free screen score", "model trained on other markets")
        out = []
        for i in range(len(X)):
            if alone[i]:
                out.append(SINGLE_BID)
                continue
            head = [same[i]] if same[i] else []
            if not np.isfinite(risk[i]):
                out.append("; ".join([*head, "no screen defined for this tender"]))
                continue
            flagged = risk[i] > self.threshold_
            parts = []
            for j in np.argsort(-C[i] if flagged else C[i], kind="stable"):
                c = C[i, j]
                if len(parts) >= n_reasons or (c <= 0 if flagged else c >= 0):
                    break
                if j < n_scores:
                    text = f"{what[j]}: {(Z[i, j] + 1) / 2:.0%} of the way up this market's tenders"
                else:
                    k = col.get(self.inputs_[j])
                    if k is None or np.isnan(Pv[i, k]):
                        continue
                    text = lf._sentence(self.inputs_[j], Fv[i, k], Pv[i, k], Wv[i, k])
                parts.append(f"{text} ({'raises' if c > 0 else 'lowers'} the risk here)")
            text = "; ".join([*head, lead, *parts])
            out.append(text if flagged else "looks competitive: " + text)
        return risk, out

    def weights(self) -> pd.Series:
        """The logistic weight of each input: on a screen's *oriented* score (:data:`DIRECTIONS`: higher is more
        collusive by the literature), so a positive weight says the literature's direction holds in this market;
        :func:`raw_direction` says which way the screen's own value points."""
        check_is_fitted(self, "label_free_")
        if self.coef_ is None:
            return pd.Series(np.nan, index=self.inputs_)
        return pd.Series(self.coef_, index=self.inputs_)

    def save(self, path: str | Path) -> Path:
        """Write with skops (see :mod:`graphkit.collusion.scorer`)."""
        import skops.io as sio

        check_is_fitted(self, "label_free_")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(self, path)
        return path

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.classifier_tags.multi_class = False
        return tags


#: types an adapted model file may hold besides a CollusionScorer's
TRUSTED_ADAPTED: tuple[str, ...] = (
    *TRUSTED,
    "graphkit.collusion.adapt.AdaptedScorer",
    "graphkit.collusion.unsupervised.LabelFreeScorer",
    "sklearn.linear_model._logistic.LogisticRegression",
)


def raw_direction(screen: str, weight: float) -> int:
    """Which way a screen's own value points in an adapted market: +1 where a higher value raises the risk, -1
    where a lower one does, 0 where it weighs nothing. The adapted weights are on the oriented scores
    (:meth:`AdaptedScorer.weights`), so a positive weight on the coefficient of variation, which collusion lowers,
    means a *lower* CV raises the risk (``adapt`` had said 越高越可疑 of it).

    >>> raw_direction("CV", 0.8), raw_direction("CV", -0.8), raw_direction("RD", 0.8), raw_direction("period", 0.5)
    (-1, 1, 1, 1)
    >>> raw_direction("SKEW", 0.0)
    0
    """
    if not np.isfinite(weight) or weight == 0:
        return 0
    return int(np.sign(weight)) * DIRECTIONS.get(screen, 1)


def load_any(path: str | Path) -> CollusionScorer | AdaptedScorer:
    """Read a model file of ``train`` (:class:`CollusionScorer`) or ``adapt`` (:class:`AdaptedScorer`);
    refuse a file holding any other type."""
    obj = load_trusted(path, TRUSTED_ADAPTED)
    if not isinstance(obj, CollusionScorer | AdaptedScorer):
        raise ValueError(f"{path}: holds a {type(obj).__name__}, not a graphkit collusion model")
    return obj
