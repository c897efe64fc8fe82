"""``AnomalyScorer``: 0-100 risk from robust per-peer-group deviations, with the factors in words.

How a score is made
-------------------
1. For each feature and each peer group (a unit's kind and size band; persons: staff or not; companies:
   one group), the median and the median absolute deviation (MAD) are learnt in ``fit``.  A group of fewer
   than ``min_peers`` members is compared with a coarser one: a unit's kind across its size bands
   (``court|small`` of 4 units → ``court|*``, every court) when that kind has ``min_peers`` units, else the
   whole city (``*``).  :meth:`AnomalyScorer.comparison` says which group a peer group is compared with and
   how large each is, and the factors name it (``同类单位中位数``, ``各规模法院中位数``, ``全市单位中位数``).
2. A value's deviation is ``z = (x − peer median) / scale`` (for a feature whose norm is zero by rule,
   :attr:`graphkit.risk.features.Feature.absolute`, ``z = x / min_scale``), with ``scale`` the largest of 1.4826 × the
   peer MAD, 1.4826 × the global MAD and the feature's ``min_scale`` (:class:`graphkit.risk.features.Feature`:
   zero-inflated features have no spread, so the floor says what a meaningful difference is).  Only the
   unusual direction counts (every feature is oriented so that higher is more unusual): z is clipped to
   ``[0, z_max]`` (6 by default: ``bench/risk_eval.py --z-max 6 10`` measures it against 10; a cap keeps one
   extreme factor from outweighing several clear ones).  The ledger's warning counts are neither compared
   with the peers (a group whose median unit has one red warning made 2 and 7 alike) nor clipped so: counted
   from zero per fact (3.), the first warning of a level counts its full z (red 6, orange 4, yellow 2), and each
   further one of the same fact half what the one before added, ``z₁ × (2 − 2^(1−n))``: more warnings always
   count more (one model's two reds 9, six reds 11.8), and a fact's level never counts more than twice its
   first warning. A warning verified true (an investigator confirmed it in the ledger) counts its level's
   points and, on top, ``warnings_verified``, per fact as the open warnings: the first of a fact 4, each further
   one of the same fact half the last (4, 6, 7 …), those of distinct facts in full (4 + 4).
3. One fact counts once. The anomaly features are grouped by the fact they read
   (:data:`graphkit.risk.features.FAMILIES`, declared beside the features: one contract to a relative's company
   moves ``linked_spend_share``, ``linked_suppliers``, ``staff_family_tender_wins`` and
   ``staff_family_business`` at once, and had scored 6 + 4 + 2 … where there is one finding), and a family
   counts at its largest deviation. The anomaly part is the weighted sum of the ``top`` largest family
   deviations (weights 1, ½, ¼ …): one extreme fact makes an entity stand out, several make it stand out more.
   The ledger's warnings (open warnings by level, verified ones; ``warnings=True``) are added in full on top: a
   model's hit is evidence of another kind, so it adds to what the statistics say rather than competing with
   them for the top places (one open red warning adds 6, an orange 4, a yellow 2; more add less and less, see
   2.). A warning whose model rests on a family's fact (``relative_wins_tender_*`` on the staff-linked
   companies, ``banquet_no_letter`` on the receptions: :attr:`graphkit.risk.features.Family.models`) counts
   that fact once, at the larger of its warning points and the family's deviation, in the warnings part, and
   the family leaves the anomaly part's competition: a statistic and a warning on one fact are not added up.
   A model whose warnings rest on no family's fact (``prisoner_paid``, ``fuel_holiday`` …) is a fact of its
   own (``warnings_red@model:prisoner_paid``, :func:`graphkit.risk.features.model_column`): two such models'
   reds count 6 + 6, as a red on a family's fact and one such red do, and one model's two reds on one entity
   count as that model's, 9 (they had counted by level, all such models together: two reds 9, whichever models).
   This follows the OECD/JRC *Handbook on Constructing Composite Indicators* (2008): indicators that measure
   one dimension, added with their own weights, give that dimension the sum of their weights (double
   counting), so correlated indicators are grouped and the group weighted once; and the corruption risk
   indices of public procurement (Fazekas, Tóth and King 2016), whose red flags each read a distinct element
   of a tender (a single bid, a short notice period), which count apart.  With ``iforest`` > 0, an Isolation
   Forest fitted on the z matrix adds ``iforest × z_max × (its anomaly score rank in [0, 1])``;
   ``bench/risk_eval.py`` measures both and the default is what measured best.
4. ``risk`` is the share of the fitted entities whose anomaly score is below the entity's, times 100: a risk
   of 97 is more unusual than 97 % of the units scored.  It is rounded to as many decimals as keep one
   entity's step visible (:attr:`AnomalyScorer.decimals_`: 1 up to 1,000 entities, 2 up to 10,000, 3 beyond),
   so that no entity reads 100 and two entities of different scores never read the same risk.

Labels
------
When the ledger holds verified outcomes, ``fit(X, y)`` takes ``y`` = 1 (true positive), 0 (false positive)
or NaN (not verified).  Each feature's weight becomes ``0.5 + 1.5 × max(0, 2 AUC − 1)`` where AUC is how
well the feature alone ranks the labelled entities; with fewer than ``min_labels`` of either class the
weights stay 1.

Example
-------
>>> X = GraphFeatures(kind="unit").fit_transform(store)  # doctest: +SKIP
>>> scorer = AnomalyScorer(kind="unit").fit(X)  # doctest: +SKIP
>>> scorer.risk(X).sort_values(ascending=False).head()  # doctest: +SKIP
>>> scorer.factors(X.iloc[:1])[0][0]["text"]  # doctest: +SKIP
'本单位 31% 的采购额流向职工及其亲属关联企业（3 跳以内），同类单位中位数 2%'
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from graphkit.model import Model
from graphkit.risk.features import (
    FEATURES,
    KINDS,
    LEVELS,
    MODEL_MARK,
    Feature,
    families,
    family_column,
    format_value,
    model_column,
    number_words,
)

__all__ = [
    "AnomalyScorer",
    "with_ties",
    "format_value",
    "fallback_words_zh",
    "peer_name_en",
    "peer_name_zh",
    "staff_words",
    "UNIT_KIND_ZH",
]

MAD_K = 1.4826
#: the key of the whole city as a comparison group (:meth:`AnomalyScorer.comparison`)
CITY = "*"
#: the median's phrase before ``{m}`` in a factor's template (Chinese, English), replaced when the entity is
#: compared with a coarser group than its own
_MEDIAN_ZH = re.compile(r"(同类单位|同类)?中位数 \{m\}")
_MEDIAN_EN = re.compile(r"(peer )?median \{m\}")


def warning_z(count, unit_z: float):
    """The z of ``count`` open warnings of one level whose first counts ``unit_z``: each further warning adds
    half what the one before added, ``unit_z × (2 − 2^(1−count))``, so more always count more and a level
    counts at most twice its first.

    Example
    -------
    >>> [round(float(warning_z(n, 6.0)), 2) for n in (0, 1, 2, 6)]
    [0.0, 6.0, 9.0, 11.81]
    """
    c = np.asarray(count, dtype=float)
    return np.where(c > 0, unit_z * (2.0 - np.exp2(1.0 - np.maximum(c, 1.0))), 0.0)


#: a unit's kind in Chinese: the names the model declares for ``Organization.kind``'s values (graphkit/model/nodes.yaml,
#: :meth:`graphkit.model.Model.value_name`), read once there as every face reads them
UNIT_KIND_ZH = dict(Model.default().labels["Organization"].properties["kind"].value_names)
#: a unit's size band: its kind's units cut at the thirds of their staff in this city
#: (:func:`graphkit.risk.features._size_band`), so a band is named by how its staff compare with its kind's here:
#: 大规模 had named the demo's top third of government units, of 1-3 staff, as if they were large
BAND_ZH = {"small": "人数较少", "mid": "人数居中", "large": "人数较多"}
#: the same bands in English words (a portrait under --lang en had named its group by its key, government|large)
BAND_EN = {"small": "fewer staff", "mid": "middling staff", "large": "more staff"}
#: how the size bands are made, said once under a list that names them
BANDS_NOTE_ZH = (
    "人数分组：按在职人数在本市同类单位中的三分位点分为人数较少、居中、较多三组，是同类单位之间的相对比较，"
    "不代表单位规模大小；人数相同者同组，各组未必一样多；同类不足 9 个单位或在职人数不足 3 种的不分组"
)
BANDS_NOTE_EN = (
    "size: a kind's units cut at the thirds of their staff in this city (small, mid, large: relative to the kind's "
    "units here, not an absolute size; equal staff in one band, so bands may differ in size); a kind of fewer "
    "than 9 units, or of staff counts with fewer than 3 values, is not split"
)
_PERSON_PEER_ZH = {"staff": "在职人员", "other": "非在职人员"}
_PERSON_PEER_EN = {"staff": "staff", "other": "persons holding no post"}


def peer_name_zh(peer: str, kind: str = "unit") -> str:
    """A peer group's key in Chinese words, as an inspection team reads it: ``government|large`` is
    ``政府部门·人数较多``, ``hospital|all`` (a kind not split by size) ``医院``, ``court|*`` (a kind across its size
    bands) ``法院（各规模）``, ``*`` ``全市``; a person's ``staff`` is ``在职人员``; a company's ``all``
    ``全部企业``. A key outside the vocabulary reads as itself.

    >>> [peer_name_zh(p) for p in ("government|large", "hospital|all", "court|*", "*")]
    ['政府部门·人数较多', '医院', '法院（各规模）', '全市']
    >>> peer_name_zh("staff", "person"), peer_name_zh("all", "company")
    ('在职人员', '全部企业')
    """
    return _peer_name(peer, kind, "zh")


def peer_name_en(peer: str, kind: str = "unit") -> str:
    """A peer group's key in English words, as :func:`peer_name_zh` says it in Chinese: ``government|large`` is
    ``government, more staff`` (政府部门·人数较多), ``court|*`` ``court, all sizes``, ``*`` ``the whole city``; a
    person's ``staff`` is ``staff``; a company's ``all`` ``all companies``.

    >>> [peer_name_en(p) for p in ("government|large", "hospital|all", "court|*", "*")]
    ['government, more staff', 'hospital', 'court, all sizes', 'the whole city']
    >>> peer_name_en("other", "person"), peer_name_en("all", "company")
    ('persons holding no post', 'all companies')
    """
    return _peer_name(peer, kind, "en")


#: the words :func:`_peer_name` puts a peer group's key in: the whole city, all companies, a person's groups, the size
#: bands, and a unit kind across its sizes (``{}``: the kind's name)
_PEER_WORDS = {
    "zh": {"city": "全市", "companies": "全部企业", "all sizes": "{}（各规模）", "band": "{}·{}"},
    "en": {"city": "the whole city", "companies": "all companies", "all sizes": "{}, all sizes", "band": "{}, {}"},
}


def _peer_name(peer: str, kind: str, lang: str) -> str:
    """A peer group's key in ``lang``'s words (:func:`peer_name_zh`, :func:`peer_name_en`): one rule, two tables."""
    words, zh = _PEER_WORDS[lang], lang == "zh"
    peer = str(peer)
    if peer == CITY:
        return words["city"]
    if kind == "person":
        return (_PERSON_PEER_ZH if zh else _PERSON_PEER_EN).get(peer, peer)
    if kind == "company":
        return words["companies"] if peer == "all" else peer
    unit_kind, _, band = peer.partition("|")
    name = UNIT_KIND_ZH.get(unit_kind, unit_kind) if zh else unit_kind
    bands = BAND_ZH if zh else BAND_EN
    if band == "*":
        return words["all sizes"].format(name)
    return words["band"].format(name, bands[band]) if band in bands else name


def staff_words(span: tuple[int, int] | None) -> str:
    """``，在职 1–3 人``: a size band's staff in this city, after its size (empty without one).

    >>> staff_words((1, 3)), staff_words((5, 5)), staff_words(None)
    ('，在职 1–3 人', '，在职 5 人', '')
    """
    if not span:
        return ""
    lo, hi = span
    return f"，在职 {lo}–{hi} 人" if lo != hi else f"，在职 {lo} 人"


def fallback_words_zh(
    fallback: str,
    group: str,
    size: int,
    peer: str,
    peer_size: int,
    min_peers: int,
    *,
    noun: str = "个单位",
    one: str = "个",
    kind: str = "unit",
) -> tuple[str, str]:
    """In Chinese, the group a too-small peer group is compared with and why: ``("全市 400 个单位", "（同类
    法院·人数较少 仅 4 个，不足 8 个）")``, or ``法院全部 12 个单位`` for its kind (``fallback``: "city" or
    "kind", ``group``: ``KIND|*``). One wording for :meth:`AnomalyScorer.comparison_words` (the Risk panel,
    ``rank``) and the pre-portrait (:mod:`graphkit.portrait_render`).

    >>> fallback_words_zh("kind", "court|*", 12, "court|small", 4, 8)
    ('法院全部 12 个单位', '（同类 法院·人数较少 仅 4 个，不足 8 个）')
    """
    unit_kind = group[:-2]
    head = (
        f"全市 {size:,} {noun}"
        if fallback == "city"
        else f"{UNIT_KIND_ZH.get(unit_kind, unit_kind + ' 类')}全部 {size:,} {noun}"
    )
    return head, f"（同类 {peer_name_zh(peer, kind)} 仅 {peer_size:,} {one}，不足 {min_peers} {one}）"


def with_ties(score: pd.Series, top: int | None) -> pd.Index:
    """The index of ``score``, highest first (ties in their order), cut after ``top`` and after every row tied
    with the last one kept: a cut between equal scores drops one of them for no reason the reader is told.

    Example
    -------
    >>> list(with_ties(pd.Series([3.0, 2.0, 2.0, 1.0], index=list("abcd")), 2))
    ['a', 'b', 'c']

    A score of 0 (nothing found) is no place to be tied at: a quiet city's ``--top 10`` would list every entity.

    >>> list(with_ties(pd.Series([3.0, 0.0, 0.0, 0.0], index=list("abcd")), 2))
    ['a', 'b']
    """
    order = score.sort_values(ascending=False, kind="stable")
    if top is None or top >= len(order):
        return order.index
    if top <= 0:
        return order.index[:0]
    last = order.iloc[top - 1]
    if not last > 0:
        return order.index[:top]
    return order.index[: top + int((order.iloc[top:] == last).sum())]


#: the ledger's counts per fact (:meth:`AnomalyScorer._ledger`): the open warnings by level, then those verified true
_LEDGER_SLICES = (*LEVELS, "verified")


class AnomalyScorer(BaseEstimator):
    """Unsupervised anomaly scoring of graph features against peer groups, with factors in words.

    Parameters
    ----------
    kind : {"unit", "person", "company"}
        Which features of :data:`graphkit.risk.features.FEATURES` to use.
    warnings : bool
        Use the ledger's warning features (False: anomaly features only, ``graphkit rank --no-warnings``).
    top : int
        How many of the largest deviations make the score.
    z_max : float
        Cap of one feature's deviation.
    min_peers : int
        Smallest peer group compared within itself.
    iforest : float
        Weight of the Isolation Forest term (0 leaves it out).
    n_estimators : int
        Trees of the Isolation Forest.
    min_labels : int
        Labelled entities of each class needed before labels change the weights.
    random_state : int
        Seed of the Isolation Forest.

    Attributes
    ----------
    features_ : list of str
        Feature columns used.
    peer_median_, peer_scale_ : DataFrame
        Per comparison group (index: a peer group of ``min_peers`` or more, or ``KIND|*``) and feature (columns).
    reference_ : dict
        Peer group → the group it is compared with (itself, ``KIND|*``, or ``*`` for the whole city).
    peer_size_, group_size_ : dict
        Fitted entities per peer group and per comparison group.
    decimals_ : int
        Decimals of ``risk`` (module doc, 4.).
    global_median_, global_scale_ : Series
    weights_ : Series
        Per feature (1 unless labels were given).
    labels_ : dict
        The labels ``fit`` was given: ``true`` and ``false`` (how many of each) and ``used`` (whether there were
        ``min_labels`` of each, so that they changed the weights).
    train_scores_ : ndarray
        Sorted anomaly scores of the fitted entities (for ``risk``).
    iforest_ : IsolationForest or None
    """

    def __init__(
        self,
        kind: str = "unit",
        *,
        warnings: bool = True,
        top: int = 3,
        z_max: float = 6.0,
        min_peers: int = 8,
        iforest: float = 0.0,
        n_estimators: int = 200,
        min_labels: int = 5,
        random_state: int = 0,
    ):
        self.kind = kind
        self.warnings = warnings
        self.top = top
        self.z_max = z_max
        self.min_peers = min_peers
        self.iforest = iforest
        self.n_estimators = n_estimators
        self.min_labels = min_labels
        self.random_state = random_state

    # ------------------------------------------------------------------ learning
    def _specs(self) -> list[Feature]:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        return [f for f in FEATURES[self.kind] if self.warnings or not f.warnings]

    def _matrix(self, X: pd.DataFrame) -> pd.DataFrame:
        missing = [c for c in self.features_ if c not in X.columns]
        if missing:
            raise ValueError(f"X lacks feature column(s) {', '.join(missing)}")
        return X[self.features_].astype(float).fillna(0.0)

    def fit(self, X: pd.DataFrame, y=None):
        """Learn peer medians and scales (and, with labels, feature weights).

        Parameters
        ----------
        X : DataFrame
            Output of :class:`graphkit.risk.features.GraphFeatures` (a ``peer`` column and the features).
        y : array-like, optional
            1 verified true, 0 verified false, NaN unknown (see the module doc).

        Returns
        -------
        self
        """
        specs = self._specs()
        self.features_ = [f.name for f in specs]
        self.specs_ = {f.name: f for f in specs}
        M = self._matrix(X)
        peer = self._peer(X)
        floor = pd.Series({f.name: f.min_scale for f in specs})
        self.global_median_ = M.median()
        self.global_scale_ = np.maximum(MAD_K * (M - self.global_median_).abs().median(), floor)
        sizes = peer.value_counts()
        self.peer_size_ = {str(k): int(v) for k, v in sizes.items()}
        kind_of = peer.str.split("|").str[0]
        kind_sizes = kind_of[peer.str.contains("|", regex=False)].value_counts()
        # each peer group → the group it is compared with: itself, else its kind across size bands, else the city
        self.reference_ = {}
        for g, n in self.peer_size_.items():
            kind = g.split("|")[0] if "|" in g else None
            if n >= self.min_peers:
                self.reference_[g] = g
            elif kind is not None and kind_sizes.get(kind, 0) >= self.min_peers:
                self.reference_[g] = f"{kind}|*"
            else:
                self.reference_[g] = CITY
        # a size band's staff, to say what 人数较多 means in this city (in the demo's roster 1-3 posts)
        self.staff_range_ = {}
        if "staff" in X.columns:
            staff = pd.to_numeric(X["staff"], errors="coerce")
            for g, v in staff.groupby(peer):
                if str(g).split("|")[-1] in BAND_ZH and v.notna().any():
                    self.staff_range_[str(g)] = (int(v.min()), int(v.max()))
        self.group_size_ = {CITY: len(M)}
        meds, mads = {}, {}
        for ref in sorted(set(self.reference_.values()) - {CITY}):
            rows = M[peer == ref] if not ref.endswith("|*") else M[kind_of == ref[:-2]]
            self.group_size_[ref] = len(rows)
            meds[ref] = rows.median()
            mads[ref] = (rows - meds[ref]).abs().median()
        self.peer_median_ = pd.DataFrame(meds).T.reindex(columns=self.features_)
        mad = pd.DataFrame(mads).T.reindex(columns=self.features_)
        self.peer_scale_ = (MAD_K * mad).clip(lower=self.global_scale_, axis=1)
        self.weights_ = pd.Series(1.0, index=self.features_)
        self.labels_ = {"true": 0, "false": 0, "used": False}
        # one fact, one count: the anomaly features by the fact they read (graphkit.risk.features.FAMILIES)
        cols = {c: j for j, c in enumerate(c for c in self.features_ if not self.specs_[c].warnings)}
        self.families_ = [f for f in families(self.kind) if any(c in cols for c in f.features)]
        self.family_columns_ = [np.array([cols[c] for c in f.features if c in cols]) for f in self.families_]
        self.family_of_ = {c: f.name for f in self.families_ for c in f.features if c in cols}
        # the families some model's warnings rest on (the ledger's counts are kept for these alone)
        self.modelled_ = np.array([j for j, f in enumerate(self.families_) if f.models], dtype=int)
        L = self._ledger(X)
        Z = self._z(M, peer, L)
        if y is not None:
            self._learn_weights(Z, pd.Series(np.asarray(y, dtype=float), index=X.index))
        if self.iforest > 0:
            from sklearn.ensemble import IsolationForest  # imported when used: it costs a portrait 0.4 s

            self.iforest_ = IsolationForest(n_estimators=self.n_estimators, random_state=self.random_state).fit(
                Z.to_numpy()
            )
            self.iforest_train_ = np.sort(-self.iforest_.score_samples(Z.to_numpy()))
        else:
            self.iforest_ = None
        self.train_scores_ = np.sort(self._combine(Z, L))
        self.decimals_ = max(1, math.ceil(math.log10(max(len(M), 1)) - 2))
        return self

    def _learn_weights(self, Z: pd.DataFrame, y: pd.Series) -> None:
        from sklearn.metrics import roc_auc_score

        known = y.notna()
        yk = y[known]
        n_true, n_false = int((yk == 1).sum()), int((yk == 0).sum())
        self.labels_ = {"true": n_true, "false": n_false, "used": False}
        if n_true < self.min_labels or n_false < self.min_labels:
            return
        self.labels_["used"] = True
        for c in self.features_:
            zc = Z.loc[known, c]
            auc = roc_auc_score(yk, zc) if zc.nunique() > 1 else 0.5
            self.weights_[c] = 0.5 + 1.5 * max(0.0, 2 * auc - 1)

    def _peer(self, X: pd.DataFrame) -> pd.Series:
        if "peer" in X.columns:
            return X["peer"].astype(str).fillna("all")
        return pd.Series("all", index=X.index)

    def comparison(self, peer: str) -> dict:
        """What an entity of peer group ``peer`` is compared with.

        Returns
        -------
        dict
            ``peer`` and ``peer_size`` (its own group and how many were fitted in it), ``group`` and ``size``
            (the group compared with: ``peer`` itself, ``KIND|*`` for its kind across size bands, ``*`` for
            the whole city) and ``fallback`` (None, ``"kind"`` or ``"city"``).
        """
        check_is_fitted(self, "train_scores_")
        peer = str(peer)
        ref = self.reference_.get(peer, CITY)
        return {
            "peer": peer,
            "peer_size": int(self.peer_size_.get(peer, 0)),
            "group": ref,
            "size": int(self.group_size_[ref]),
            "fallback": None if ref == peer else ("city" if ref == CITY else "kind"),
        }

    def comparison_words(self, peer: str, *, short: bool = False, lang: str | None = None) -> str:
        """The group an entity of peer group ``peer`` is compared with, in words (Chinese · English): its own
        peer group and its size, else its kind across size bands or the whole city (``*``) and why.

        ``short``: the group alone (``全市 whole city``, ``court 类 all court``, or the peer group), for a list.
        ``lang``: the Chinese half alone (``zh``) or the English half alone (``en``), for a console that reads one.
        """
        c = self.comparison(peer)
        zh = {"unit": "个单位", "person": "人", "company": "家企业"}[self.kind]
        one = {"unit": "个", "person": "人", "company": "家"}[self.kind]
        en = {"unit": "units", "person": "persons", "company": "companies"}[self.kind]
        group, size = c["group"], c["size"]
        name = peer_name_zh(group, self.kind)
        if c["fallback"] is None:
            span = staff_words(getattr(self, "staff_range_", {}).get(group))
            # the group in words in English too, as peer_name_en says it (it had read the key, government|mid)
            name_en = peer_name_en(group, self.kind)
            if short:
                return name_en if lang == "en" else name
            zh_said, en_said = f"同类 {name}（{size:,} {zh}{span}）", f"its peer group {name_en} ({size:,} {en})"
        else:
            kind = group[:-2]
            if short:
                zh_said, en_said = ("全市", "whole city") if c["fallback"] == "city" else (name, f"all {kind}")
            else:
                head, why = fallback_words_zh(
                    c["fallback"],
                    group,
                    size,
                    c["peer"],
                    c["peer_size"],
                    self.min_peers,
                    noun=zh,
                    one=one,
                    kind=self.kind,
                )
                en_head = f"the whole city ({size:,} {en})" if c["fallback"] == "city" else f"all {size:,} {kind} {en}"
                peers = (
                    f"its peer group {peer_name_en(c['peer'], self.kind)} has {c['peer_size']:,}, "
                    f"fewer than {self.min_peers}"
                )
                zh_said, en_said = head + why, f"{en_head} ({peers})"
                if lang is None:  # as before: the Chinese reason follows the English head too
                    return f"{head} · {en_head}{why} ({peers})"
        if lang == "zh":
            return zh_said
        if lang == "en":
            return en_said
        return f"{zh_said} {en_said}" if short else f"{zh_said}· {en_said}"

    def _refs(self, X: pd.DataFrame) -> pd.Series:
        return self._peer(X).map(lambda g: self.reference_.get(g, CITY))

    def _reference(self, X: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per row: the median and the scale it is compared with (its peer group's, its kind's, or everyone's)."""
        ref = self._refs(X)
        known = ref != CITY
        med = pd.DataFrame(np.tile(self.global_median_.to_numpy(), (len(X), 1)), index=X.index, columns=self.features_)
        scale = pd.DataFrame(np.tile(self.global_scale_.to_numpy(), (len(X), 1)), index=X.index, columns=self.features_)
        if known.any():
            med.loc[known] = self.peer_median_.loc[ref[known]].to_numpy()
            scale.loc[known] = self.peer_scale_.loc[ref[known]].to_numpy()
        return med, scale

    def _z(self, M: pd.DataFrame, peer: pd.Series, L: np.ndarray | None = None) -> pd.DataFrame:
        med, scale = self._reference(pd.DataFrame({"peer": peer}, index=M.index))
        absolute = [c for c in self.features_ if self.specs_[c].absolute]
        if absolute:  # the norm is zero by rule: deviation from 0 in units of the feature's min_scale
            med[absolute] = 0.0
            scale[absolute] = np.array([self.specs_[c].min_scale for c in absolute])
        raw = ((M - med) / scale).clip(lower=0)
        Z = raw.clip(upper=self.z_max)
        for c in self.features_:
            if self.specs_[c].warnings:  # counts from zero: more always count more, up to twice the first
                lvl = c.removeprefix("warnings_")
                if L is not None and lvl in _LEDGER_SLICES:  # per fact (_ledger): distinct facts add in full
                    Z[c] = warning_z(L[:, :, _LEDGER_SLICES.index(lvl)], 1.0 / self.specs_[c].min_scale).sum(axis=1)
                else:
                    Z[c] = warning_z(M[c].clip(lower=0).to_numpy(), 1.0 / self.specs_[c].min_scale)
        return Z

    def _models(self, X: pd.DataFrame) -> list[str]:
        """The models of no family whose warnings ``X`` counts apart (``warnings_red@model:prisoner_paid`` …,
        :func:`graphkit.risk.features.model_column`), sorted: the order of their rows in :meth:`_ledger`."""
        if not self.warnings:
            return []
        return sorted({c.split(MODEL_MARK, 1)[1] for c in X.columns if isinstance(c, str) and MODEL_MARK in c})

    def _ledger(self, X: pd.DataFrame) -> np.ndarray:
        """Open warnings per row, fact and level (rows × (1 + modelled families + models) × (levels + verified)):
        ``[:, 0]`` those counted by level alone (a warning naming no model, or a column ``X`` lacks), ``[:, 1 + i]``
        those of ``families_[modelled_[i]]``'s models (``warnings_red@conflict`` …), then one row per model of no
        family (:meth:`_models`, ``warnings_red@model:prisoner_paid`` …): each is a fact of its own. The last slice
        (``verified``, :data:`_LEDGER_SLICES`) counts the warnings verified true per fact alike
        (``warnings_verified@conflict`` …), so that their points, as the open ones', halve within a fact and add in
        full across facts (they had halved across all of an entity's facts: two facts confirmed counted 4 + 2)."""
        n = len(X)
        models = self._models(X)
        F = len(self.modelled_)
        out = np.zeros((n, 1 + F + len(models), len(_LEDGER_SLICES)))
        if not self.warnings:
            return out
        for k, lvl in enumerate(_LEDGER_SLICES):
            if f"warnings_{lvl}" not in X.columns:  # (a matrix without the verified count: none verified)
                continue
            total = pd.to_numeric(X[f"warnings_{lvl}"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
            rest = total.copy()
            cols = [family_column(lvl, self.families_[j].name) for j in self.modelled_]
            cols += [model_column(lvl, m) for m in models]
            for i, col in enumerate(cols):
                if col in X.columns:
                    c = pd.to_numeric(X[col], errors="coerce").fillna(0.0).to_numpy(dtype=float)
                    out[:, 1 + i, k] = c
                    rest -= c
            out[:, 0, k] = np.clip(rest, 0.0, None)
        return out

    def _level_points(self, counts: np.ndarray) -> np.ndarray:
        """Warning points of counts by level (``[..., level]``): per level ``warning_z`` times the level's weight."""
        pts = np.zeros(counts.shape[:-1])
        for k, lvl in enumerate(LEVELS):
            c = f"warnings_{lvl}"
            pts = pts + self.weights_[c] * warning_z(counts[..., k], 1.0 / self.specs_[c].min_scale)
        return pts

    def _facts(self, Z: pd.DataFrame, L: np.ndarray) -> dict[str, np.ndarray]:
        """Per row and family: ``z`` (its largest weighted deviation), ``column`` (the feature giving it) and
        ``points`` (the warning points of its models' warnings); per row and model of no family (``L``'s rows
        after the families', :meth:`_models`) ``model_points``; ``rest`` the points of the warnings counted by
        level alone, ``verified`` those of the warnings verified true (on top of their level's), and ``other``
        the sum of the three."""
        anomaly = [c for c in Z.columns if not self.specs_[c].warnings]
        W = Z[anomaly].to_numpy() * self.weights_.reindex(anomaly).to_numpy()
        n = len(Z)
        fz = np.zeros((n, len(self.families_)))
        arg = np.zeros((n, len(self.families_)), dtype=int)
        for j, idx in enumerate(self.family_columns_):
            sub = W[:, idx]
            a = np.argmax(sub, axis=1) if len(idx) else np.zeros(n, dtype=int)
            arg[:, j] = idx[a]
            fz[:, j] = sub[np.arange(n), a]
        F = len(self.modelled_)
        points = np.zeros_like(fz)
        if self.warnings and F:
            points[:, self.modelled_] = self._level_points(L[:, 1 : 1 + F, :])
        rest, verified = np.zeros(n), np.zeros(n)
        model_points = np.zeros((n, max(L.shape[1] - 1 - F, 0)))
        if self.warnings:
            rest = self._level_points(L[:, 0, :])
            if model_points.shape[1]:
                model_points = self._level_points(L[:, 1 + F :, :])
            if "warnings_verified" in Z.columns:
                verified = self.weights_["warnings_verified"] * Z["warnings_verified"].to_numpy()
        return {
            "z": fz,
            "column": arg,
            "points": points,
            "model_points": model_points,
            "rest": rest,
            "verified": verified,
            "other": rest + model_points.sum(axis=1) + verified,
            "anomaly": np.array(anomaly),
        }

    def _parts(self, Z: pd.DataFrame, L: np.ndarray) -> dict[str, np.ndarray]:
        f = self._facts(Z, L)
        fz, points = f["z"], f["points"]
        warned = points > 0
        # one fact, one count: a family counts once, at its largest deviation; the three largest of the families
        # no warning covers make the anomaly part, weighted 1, ½, ¼
        free = np.where(warned, 0.0, fz)
        top = -np.sort(-free, axis=1)[:, : self.top]
        parts = {"anomaly": top @ (0.5 ** np.arange(top.shape[1]))}
        # a model's hit is evidence of another kind than an unusual statistic, so the warnings add in full rather
        # than competing for the top places; a warning on a family's fact counts that fact once, at the larger of
        # its points and the family's deviation (not once as a warning and again as a statistic)
        parts["warnings"] = f["other"] + np.where(warned, np.maximum(points, fz), 0.0).sum(axis=1)
        if self.iforest_ is not None:
            a = -self.iforest_.score_samples(Z.to_numpy())
            parts["iforest"] = (
                self.iforest
                * self.z_max
                * np.searchsorted(self.iforest_train_, a, side="right")
                / len(self.iforest_train_)
            )
        return parts

    def _combine(self, Z: pd.DataFrame, L: np.ndarray) -> np.ndarray:
        return sum(self._parts(Z, L).values())

    # ------------------------------------------------------------------ scoring
    def deviations(self, X: pd.DataFrame) -> pd.DataFrame:
        """The clipped robust z of every feature (rows of ``X``, columns ``features_``)."""
        check_is_fitted(self, "train_scores_")
        return self._z(self._matrix(X), self._peer(X), self._ledger(X))

    def anomaly_score(self, X: pd.DataFrame) -> pd.Series:
        """The combined deviation (higher = more unusual)."""
        return pd.Series(self._combine(self.deviations(X), self._ledger(X)), index=X.index)

    def score_parts(self, X: pd.DataFrame) -> pd.DataFrame:
        """The anomaly score and its parts: ``anomaly`` (the weighted top deviations of the facts no warning
        covers), ``warnings`` (the ledger's, each warned fact once) and, with ``iforest``, ``iforest``; ``score``
        is their sum, :meth:`anomaly_score`."""
        parts = pd.DataFrame(self._parts(self.deviations(X), self._ledger(X)), index=X.index)
        parts["score"] = parts.sum(axis=1)
        return parts

    def anomaly_terms(self, X: pd.DataFrame) -> list[list[dict]]:
        """Per row, the terms of its ``anomaly`` part, largest first: ``family`` (the fact, :data:`graphkit.risk.
        features.FAMILIES`), ``feature`` (its feature of the largest deviation), ``z`` (that deviation, times its
        learnt weight after ``fit(X, y)``) and ``times`` (1, ½, ¼ …): the ``top`` largest deviations of the
        facts no warning covers, one per fact, each weighted half the one before, so that a reader can add up
        the part.

        Example
        -------
        >>> scorer.anomaly_terms(X.iloc[:1])  # doctest: +SKIP
        [[{'family': 'conflict', 'feature': 'linked_spend_share', 'z': 6.0, 'times': 1.0}, ...]]
        """
        f = self._facts(self.deviations(X), self._ledger(X))
        fz = np.where(f["points"] > 0, 0.0, f["z"])
        out = []
        for i in range(len(fz)):
            order = np.argsort(-fz[i], kind="stable")[: self.top]
            out.append(
                [
                    {
                        "family": self.families_[j].name,
                        "feature": str(f["anomaly"][f["column"][i, j]]),
                        "z": round(float(fz[i, j]), 4),
                        "times": 0.5**k,
                    }
                    for k, j in enumerate(order)
                    if fz[i, j] > 0
                ]
            )
        return out

    def warning_terms(self, X: pd.DataFrame) -> list[list[dict]]:
        """Per row, the terms of its ``warnings`` part: for each fact a warning covers, ``family``, ``points``
        (its models' warning points), ``z`` (the family's largest deviation, ``feature`` giving it) and
        ``counted`` (the larger of the two: the fact counted once); then each model of no family that warned of
        the row (``family`` None, ``model`` its id, ``points`` = ``counted``: a fact of its own); then, when there
        are any, the warnings counted by level alone (``family`` and ``model`` None) and the points the warnings
        verified true add on top of their level's (``verified`` True). The terms add up to the part.

        Example
        -------
        >>> scorer.warning_terms(X.iloc[:1])  # doctest: +SKIP
        [[{'family': 'conflict', 'points': 6.0, 'z': 6.0, 'feature': 'linked_spend_share', 'counted': 6.0}]]
        """
        f = self._facts(self.deviations(X), self._ledger(X))
        models = self._models(X)

        def alone(points: float, **key) -> dict:
            p = round(float(points), 4)
            return {"family": None, **key, "points": p, "z": 0.0, "feature": None, "counted": p}

        out = []
        for i in range(len(X)):
            terms = [
                {
                    "family": fam.name,
                    "points": round(float(f["points"][i, j]), 4),
                    "z": round(float(f["z"][i, j]), 4),
                    "feature": str(f["anomaly"][f["column"][i, j]]),
                    "counted": round(float(max(f["points"][i, j], f["z"][i, j])), 4),
                }
                for j, fam in enumerate(self.families_)
                if f["points"][i, j] > 0
            ]
            terms += [alone(p, model=m) for m, p in zip(models, f["model_points"][i], strict=True) if p > 0]
            if f["rest"][i] > 0:
                terms.append(alone(f["rest"][i], model=None))
            if f["verified"][i] > 0:
                terms.append(alone(f["verified"][i], model=None, verified=True))
            out.append(terms)
        return out

    def family_words(self, name: str | None) -> tuple[str, str]:
        """A family's fact in words (Chinese, English); None: the warnings of no family."""
        for f in self.families_:
            if f.name == name:
                return f.zh, f.en
        return "其他预警", "other warnings"

    def score_samples(self, X: pd.DataFrame) -> np.ndarray:
        """Opposite of the anomaly score (sklearn's convention: lower is more abnormal)."""
        return -self.anomaly_score(X).to_numpy()

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Negative for the 10 % most unusual of the fitted entities, positive otherwise."""
        check_is_fitted(self, "train_scores_")
        cut = float(np.quantile(self.train_scores_, 0.9))
        return cut - self.anomaly_score(X).to_numpy()

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """-1 for an outlier (``decision_function`` < 0), 1 otherwise."""
        return np.where(self.decision_function(X) < 0, -1, 1)

    def risk(self, X: pd.DataFrame) -> pd.Series:
        """0-100: the share of fitted entities less unusual than each row, times 100, rounded to ``decimals_``
        (one entity's step stays visible: the most unusual of 10,000 reads 99.99, not 100.0)."""
        s = self.anomaly_score(X).to_numpy()
        return pd.Series(np.round(self.percentile(s), self.decimals_), index=X.index, name="risk")

    def ranking(self, X: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
        """The riskiest rows of ``X`` first, as an inspection team reads a ranking (``graphkit rank``'s columns, in
        Chinese): 名次 (tied rows share the first of their places), 名称, 对照组 (the group compared with in words,
        :meth:`comparison_words`: ``政府部门·人数较多``, not the key ``government|large``), 风险 (0-100), 等级 (红色 /
        橙色 / 一般, the portrait's level: :func:`graphkit.risk.portrait.risk_levels`; notebook 04's table had none
        where rank and the Risk tab show it), 得分 = 异常 + 预警; ``top`` rows and those tied with the last of them
        (all when None): three units tied 9th, a top 10 had shown two and left the third out unsaid. A notebook had
        shown the peer group's key and English headers where the console said 政府部门·人数较多.

        Example
        -------
        >>> scorer.ranking(X, top=10)  # doctest: +SKIP
        """
        from graphkit.risk.portrait import RISK_LEVEL_ZH, risk_levels  # the portrait's rule, as rank shows it

        score = self.anomaly_score(X)
        order = with_ties(score, top)
        rank = score.rank(ascending=False, method="min").astype(int)
        parts = self.score_parts(X.loc[order])
        risk = self.risk(X.loc[order])
        levels = risk_levels(self, X, order, risk, score)
        names = X.loc[order, "name"] if "name" in X.columns else pd.Series("", index=order)
        peers = self._peer(X.loc[order])
        return pd.DataFrame(
            {
                "名次": rank.loc[order],
                "名称": names.where(names.map(lambda v: isinstance(v, str)), ""),
                "对照组": [self.comparison_words(p, short=True, lang="zh") for p in peers],
                "风险": risk,
                "等级": [RISK_LEVEL_ZH[levels[i]] for i in order],
                "得分": parts["score"].round(2),
                "异常": parts["anomaly"].round(2),
                "预警": parts["warnings"].round(2),
                # with an Isolation Forest its term too, so that the parts add up to 得分
                **({"孤立森林": parts["iforest"].round(2)} if "iforest" in parts else {}),
            },
            index=pd.Index(order, name="编号"),
        )

    def below(self, scores) -> np.ndarray:
        """How many fitted entities have an anomaly score below each of ``scores``."""
        check_is_fitted(self, "train_scores_")
        return np.searchsorted(self.train_scores_, np.asarray(scores, dtype=float), side="left")

    def percentile(self, scores) -> np.ndarray:
        """Unrounded ``risk`` of anomaly scores (0 for a score of 0)."""
        s = np.asarray(scores, dtype=float)
        return np.where(s <= 0, 0.0, 100.0 * self.below(s) / max(len(self.train_scores_), 1))

    def median_words(self, spec: Feature, ref: str, peer: str) -> tuple[str, str]:
        """The factor templates of ``spec`` (Chinese, English) naming the median of ``ref``, the group an entity
        of peer group ``peer`` is compared with: a unit's feature's own words for its peer group (同类单位中位数), a
        person's group by name (``在职人员中位数``), ``全市企业中位数`` for a company, else ``各规模法院中位数`` /
        ``median of court units`` (its kind across size bands) or ``全市单位中位数`` / ``city median`` (everyone)."""
        noun = {"unit": "单位", "person": "人员", "company": "企业"}[self.kind]
        if ref == peer and self.kind == "unit":
            return spec.zh, spec.en
        if ref == peer:
            # a person's or company's own group by name: 亲属关系 4 条，中位数 2 had not said whose median
            zh, en = (
                (f"{peer_name_zh(peer, 'person')}中位数 {{m}}", f"median of {_PERSON_PEER_EN.get(peer, peer)} {{m}}")
                if self.kind == "person"
                else ("全市企业中位数 {m}", "median of the city's companies {m}")
            )
        elif ref == CITY:
            zh, en = f"全市{noun}中位数 {{m}}", "city median {m}"
        else:
            kind = ref[:-2]
            zh, en = (
                f"各规模{UNIT_KIND_ZH.get(kind, kind + ' 类' + noun)}中位数 {{m}}",
                f"median of {kind} {self.kind}s {{m}}",
            )
        return _MEDIAN_ZH.sub(zh, spec.zh, count=1), _MEDIAN_EN.sub(en, spec.en, count=1)

    def factors(self, X: pd.DataFrame, *, top: int = 3, min_z: float = 1.0) -> list[list[dict]]:
        """Per row, the features that deviate most (z ≥ ``min_z``), with their value, peer median and text.

        Returns
        -------
        list of list of dict
            ``feature``, ``fmt`` (how its values read: :func:`format_value`), ``value``, ``peer_median``,
            ``z``, ``text`` (Chinese), ``text_en``.
        """
        Z = self.deviations(X)
        med, _ = self._reference(X)
        refs, peers = self._refs(X).to_numpy(), self._peer(X).to_numpy()
        M = self._matrix(X)
        W = (Z * self.weights_).to_numpy()
        zv, mv, medv = Z.to_numpy(), M.to_numpy(), med[list(Z.columns)].to_numpy()
        specs = [self.specs_[c] for c in Z.columns]
        out = []
        for i in range(len(X)):
            items = []
            for j in np.argsort(-W[i], kind="stable"):  # largest first, ties in column order
                if len(items) >= top or zv[i, j] < min_z:
                    break
                spec = specs[j]
                v, m = float(mv[i, j]), float(medv[i, j])
                zh, en = self.median_words(spec, refs[i], peers[i])
                items.append(
                    {
                        "feature": spec.name,
                        "fmt": spec.fmt,
                        "value": round(v, 4),
                        "peer_median": round(m, 4),
                        "z": round(float(zv[i, j]), 2),
                        # the fact it reads (graphkit.risk.features.FAMILIES): a fact counts once in the score
                        "family": self.family_of_.get(spec.name),
                        "text": zh.format(v=format_value(v, spec.fmt), m=format_value(m, spec.fmt)),
                        "text_en": en.format(
                            v=format_value(v, spec.fmt, "en"), m=format_value(m, spec.fmt, "en"), **number_words(v)
                        ),
                    }
                )
            out.append(items)
        return out
