"""Named features from the graph: one row per government unit, per person and per company.

:class:`GraphFeatures` is a scikit-learn transformer: ``transform(store)`` (or the tables of
:func:`graphkit.risk.tables.read_tables`) returns a DataFrame indexed by the entity's natural key, with a
``peer`` column (the group an entity is compared with) and one column per feature of :data:`FEATURES`.
Every feature is oriented so that a higher value is the more unusual one; what each measures is in
:data:`FEATURES` (its Chinese and English text are what the scorer's factors say).

Links between staff and companies
---------------------------------
A company is *linked* to a unit when one of the unit's staff (a post that has not ended) reaches it in at
most three hops over family ties (either way), a person's shareholding, legal representation or executive
post, and a company's shareholding in another company (holder → held): staff → company; staff → relative
→ company; staff → relative → holding company → company; staff → relative → relative → company …
:func:`staff_links` lists every such (unit, company) pair with the staff member, the persons on the way and
the number of hops.

Example
-------
>>> X = GraphFeatures(kind="unit").transform(store)  # doctest: +SKIP
>>> X.loc["11320500061037427W", ["peer", "linked_spend_share"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit.model import money
from graphkit.risk.tables import CACHE_KEY

__all__ = [
    "VIA_ZH",
    "warned",
    "warnings_by_feature",
    "warning_words_zh",
    "warning_words_en",
    "named_warnings",
    "FEATURES",
    "FAMILIES",
    "Family",
    "families",
    "family_column",
    "model_column",
    "family_of_model",
    "Feature",
    "KINDS",
    "category_of",
    "format_value",
    "price_ratios",
    "staff_links",
    "person_links",
    "unit_features",
    "person_features",
    "company_features",
    "warning_counts",
    "derived",
    "ledger_labels",
]

KINDS = ("unit", "person", "company")
#: open-tender notice period below which a tender counts as short (days; the model's background is ≥ 20)
SHORT_WINDOW = 20
#: direct awards within this share below the tender threshold, repeated to one supplier within 30 days
SPLIT_BAND = (850_000.0, 1_000_000.0)
#: pseudo-observations of the city-wide share added to each unit's share (see :func:`shrunk_share`)
PRIOR_WEIGHT = 5.0
#: a person paid by at least this many units that neither employ him nor contract with his company
GHOST_MIN_UNITS = 3


@dataclass(frozen=True)
class Feature:
    """One named feature: what it measures and how a factor reads.

    Attributes
    ----------
    name : str
        Column name.
    kind : str
        ``unit``, ``person`` or ``company``.
    zh, en : str
        Templates of the factor's sentence; ``{v}`` is the value and ``{m}`` the peer median, formatted by ``fmt``.
    fmt : str
        ``pct`` (a share), ``money`` (元), ``count``, ``ratio`` (× of a reference) or ``num``.
    min_scale : float
        The smallest difference that counts as one unit of deviation (the robust z-score's floor), in the
        feature's own units: zero-inflated features have no spread among peers, so this says what a
        meaningful difference is.
    warnings : bool
        True for the features that come from the ledger (left out by ``--no-warnings``).
    absolute : bool
        The norm is zero by rule, not by what peers do (money to companies of one's own staff, persons paid
        with no post and no contract): the deviation is measured from 0 in units of ``min_scale``, so a
        practice shared by many peers still counts.  The factor still shows the peer median.
    """

    name: str
    kind: str
    zh: str
    en: str
    fmt: str
    min_scale: float
    warnings: bool = False
    absolute: bool = False


#: features whose norm is zero by rule (see :attr:`Feature.absolute`)
ABSOLUTE = {
    "linked_spend_share",
    "staff_family_tender_wins",
    "ghost_payees",
    "unrelated_person_payments",
    "conflict_amount",
    "fronts_linked_company",
    "payer_units_unrelated",
    "unrelated_payments",
    "linked_to_buyer_staff",
}


def number_words(value: float) -> dict[str, str]:
    """The words of an English factor sentence that follow its count: ``{s}``, ``{ies}`` (a noun's plural), ``{vs}``,
    ``{ves}`` (a verb's third person), ``{are}``: "1 open red warning", "2 open red warnings" (it read "1 open red
    warnings", "1 direct relatives hold").

    Example
    -------
    >>> "{v} direct relative{s} hold{vs} compan{ies}".format(v=1, **number_words(1))
    '1 direct relative holds company'
    >>> "{v} staff member{s} reach{ves}; {are}".format(v=2, **number_words(2))
    '2 staff members reach; are'
    """
    one = float(value) == 1.0
    return {
        "s": "" if one else "s",
        "ies": "y" if one else "ies",
        "vs": "s" if one else "",
        "ves": "es" if one else "",
        "are": "is" if one else "are",
    }


def _f(kind, name, fmt, min_scale, zh, en, warnings=False) -> Feature:
    return Feature(name, kind, zh, en, fmt, min_scale, warnings, name in ABSOLUTE)


_UNIT = [
    _f(
        "unit",
        "linked_spend_share",
        "pct",
        0.02,
        "本单位 {v} 的采购额流向职工及其亲属关联企业（3 跳以内），同类单位中位数 {m}",
        "{v} of the unit's procurement spend went to companies linked to its staff or their relatives "
        "(≤ 3 hops); peer median {m}",
    ),
    _f(
        "unit",
        "linked_suppliers",
        "count",
        0.5,
        "与本单位职工及其亲属关联的供应商 {v} 家，同类单位中位数 {m}",
        "{v} supplier{s} linked to the unit's staff or their relatives; peer median {m}",
    ),
    _f(
        "unit",
        "staff_family_business",
        "count",
        0.5,
        "{v} 名在职人员经亲属或所持企业（2-3 跳）关联企业（亲属任股东、法定代表人或高管），同类单位中位数 {m}",
        "{v} staff member{s} reach{ves} companies through relatives or their holdings (2-3 hops); peer median {m}",
    ),
    _f(
        "unit",
        "staff_family_tender_wins",
        "count",
        0.25,
        "职工及其亲属关联企业在本单位中标 {v} 次，同类单位中位数 {m}",
        "companies linked to the unit's staff or their relatives won {v} of the unit's own tenders; peer median {m}",
    ),
    _f(
        "unit",
        "supplier_hhi",
        "num",
        0.1,
        "供应商集中度（HHI，小样本按全市水平修正）{v}，同类单位中位数 {m}",
        "supplier concentration (HHI, small counts shrunk to the city's) {v}; peer median {m}",
    ),
    _f(
        "unit",
        "price_premium",
        "ratio",
        0.5,
        "向同一供应商采购同类项目的单价为全市同类采购中位数的 {v}，同类单位中位数 {m}",
        "paid one supplier {v} the city's median price for the same kind of purchase; peer median {m}",
    ),
    _f(
        "unit",
        "single_bid_share",
        "pct",
        0.05,
        "{v} 的公开招标仅一家投标（小样本按全市比例修正），同类单位中位数 {m}",
        "{v} of its open tenders had a single bid (small counts shrunk to the city rate); peer median {m}",
    ),
    _f(
        "unit",
        "direct_share",
        "pct",
        0.1,
        "直接采购占合同数 {v}（小样本按全市比例修正），同类单位中位数 {m}",
        "{v} of its contracts were awarded directly (small counts shrunk to the city rate); peer median {m}",
    ),
    _f(
        "unit",
        "split_share",
        "pct",
        0.05,
        "{v} 的直接采购合同金额略低于招标限额且 30 天内同一供应商重复，同类单位中位数 {m}",
        "{v} of its direct awards sit just under the tender threshold, repeated to one supplier within 30 days; "
        "peer median {m}",
    ),
    _f(
        "unit",
        "short_window_share",
        "pct",
        0.05,
        "{v} 的公开招标等标期不足 20 天（小样本按全市比例修正），同类单位中位数 {m}",
        "{v} of its open tenders gave bidders under 20 days (small counts shrunk); peer median {m}",
    ),
    _f(
        "unit",
        "fuel_ratio",
        "ratio",
        0.25,
        # in tanks' worth over every fill on record (not a year's): 单车年加油量 had said neither
        "单车加油量按箱数计（加油升数 ÷ 油箱容积）最高为同类车辆中位数的 {v}，同类单位中位数 {m}",
        "its thirstiest car drew {v} the median car of its class in tanks' worth (litres ÷ tank capacity); "
        "peer median {m}",
    ),
    _f(
        "unit",
        "fuel_unexplained",
        "ratio",
        0.25,
        "单车加油量按箱数计、扣除行驶量（GPS 停留次数）后仍为同类车辆中位数的 {v}，同类单位中位数 {m}",
        "a car's fuel in tanks' worth, after its GPS-recorded driving, {v} the median car of its class; "
        "peer median {m}",
    ),
    _f(
        "unit",
        "reception_per_guest",
        "money",
        30.0,
        "公务接待人均 {v}，同类单位中位数 {m}",
        "reception spending {v} per guest; peer median {m}",
    ),
    _f(
        "unit",
        "reception_no_letter_share",
        "pct",
        0.05,
        "{v} 的公务接待无公函（小样本按全市比例修正），同类单位中位数 {m}",
        "{v} of its receptions had no official letter (small counts shrunk); peer median {m}",
    ),
    _f(
        "unit",
        "hotline_tickets",
        "count",
        3.0,
        "12345 热线工单 {v} 件，同类单位中位数 {m}",
        "{v} 12345 hotline ticket{s}; peer median {m}",
    ),
    _f(
        "unit",
        "hotline_top_callers_share",
        "pct",
        0.05,
        "前三个来电号码占工单 {v}（小样本按全市比例修正），同类单位中位数 {m}",
        "the three most frequent callers filed {v} of its tickets; peer median {m}",
    ),
    _f(
        "unit",
        "hotline_resolved_share",
        "pct",
        0.05,
        "工单办结率 {v}（小样本按全市比例修正），同类单位中位数 {m}",
        "{v} of its tickets closed as resolved; peer median {m}",
    ),
    _f(
        "unit",
        "ghost_payees",
        "count",
        0.25,
        "向 {v} 名同时从多家无关单位领取报酬、且无合同依据的个人付款，同类单位中位数 {m}",
        "paid {v} person{s} who {are} also paid by several unrelated units with no contract behind it; peer median {m}",
    ),
    _f(
        "unit",
        "unrelated_person_payments",
        "money",
        10_000.0,
        "向非本单位人员且无合同依据的个人付款 {v}，同类单位中位数 {m}",
        "{v} paid to persons who hold no post there and have no contract with it; peer median {m}",
    ),
    _f(
        "unit",
        "collusion_exposure",
        "pct",
        0.1,
        "招标项目最高围标风险 {v}，同类单位中位数 {m}",
        "the riskiest of its tenders scores {v} for collusion; peer median {m}",
    ),
]
_PERSON = [
    _f(
        "person",
        "conflict_amount",
        "money",
        50_000.0,
        "处于“单位职工—亲属—关联企业—该单位付款”链条上，涉及金额 {v}，中位数 {m}",
        "on a staff → relative → company chain paid by the staff member's unit: {v}; median {m}",
    ),
    _f(
        "person",
        "fronts_linked_company",
        "count",
        0.25,
        "任 {v} 家与付款单位职工关联企业的法定代表人或高管，中位数 {m}",
        "legal representative or executive of {v} compan{ies} linked to the staff of a unit that pays them; median {m}",
    ),
    _f(
        "person",
        "payer_units_unrelated",
        "count",
        1.0,
        "从 {v} 家既不任职、也无合同关系的单位领取报酬，中位数 {m}",
        "paid by {v} unit{s} where the person holds no post and has no contract; median {m}",
    ),
    _f(
        "person",
        "unrelated_payments",
        "money",
        10_000.0,
        "来自无关单位的个人收款 {v}，中位数 {m}",
        "{v} received from units where the person holds no post and has no contract; median {m}",
    ),
    _f(
        "person",
        "relatives_in_business",
        "count",
        1.0,
        "{v} 名直接亲属在企业任股东、法定代表人或高管，中位数 {m}",
        "{v} direct relative{s} hold{vs}, represent{vs} or manage{vs} companies; median {m}",
    ),
    _f("person", "family_degree", "count", 2.0, "亲属关系 {v} 条，中位数 {m}", "{v} family tie{s}; median {m}"),
    _f(
        "person",
        "company_roles",
        "count",
        1.0,
        "在 {v} 家企业任股东、法定代表人或高管，中位数 {m}",
        "holds, represents or manages {v} compan{ies}; median {m}",
    ),
    _f(
        "person",
        "price_premium",
        "ratio",
        0.5,
        "所任职企业向单位供货价格为全市同类中位数的 {v}，中位数 {m}",
        "a company they represent charged {v} the city's median price for the same kind of purchase; median {m}",
    ),
    _f(
        "person",
        "collusion_exposure",
        "pct",
        0.1,
        "所任职企业围标风险 {v}，中位数 {m}",
        "collusion risk of the companies they hold or run: {v}; median {m}",
    ),
]
_COMPANY = [
    _f(
        "company",
        "linked_to_buyer_staff",
        "money",
        50_000.0,
        "与采购单位职工存在 3 跳以内关联且收款 {v}，中位数 {m}",
        "{v} received from units whose staff it is linked to (≤ 3 hops); median {m}",
    ),
    _f(
        "company",
        "price_premium",
        "ratio",
        0.5,
        "同类项目合同单价为全市中位数的 {v}，中位数 {m}",
        "charged {v} the city's median price for the same kind of purchase; median {m}",
    ),
    _f(
        "company",
        "units_paying",
        "count",
        1.0,
        "{v} 家单位与其签约，中位数 {m}",
        "contracts with {v} unit{s}; median {m}",
    ),
    _f("company", "contract_amount", "money", 200_000.0, "合同金额 {v}，中位数 {m}", "{v} in contracts; median {m}"),
    _f("company", "win_rate", "pct", 0.2, "中标率 {v}，中位数 {m}", "won {v} of its bids; median {m}"),
    _f(
        "company",
        "single_bid_wins",
        "count",
        0.5,
        "{v} 次独家投标中标，中位数 {m}",
        "won {v} tender{s} as the only bidder; median {m}",
    ),
    _f(
        "company",
        "co_bidders",
        "count",
        3.0,
        "共同投标企业 {v} 家（投标人网络度数），中位数 {m}",
        "bid alongside {v} other compan{ies} (degree in the bidder graph); median {m}",
    ),
    _f("company", "collusion_exposure", "pct", 0.1, "围标风险 {v}，中位数 {m}", "collusion risk {v}; median {m}"),
]
_WARN = []
for _kind in KINDS:
    # one open red warning counts as much as the most unusual statistic can (6 at the default z_max), orange 4,
    # yellow 2: the ledger's levels say how serious a model's hit is; each further one of a level adds half what
    # the one before added (graphkit.risk.scorer.warning_z). A count is not compared with the peers, so its factor
    # names no median: `同类中位数 1` had read as a comparison that the score does not make
    for _lvl, _zh, _scale in (("red", "红色", 1 / 6), ("orange", "橙色", 0.25), ("yellow", "黄色", 0.5)):
        _WARN.append(
            _f(
                _kind,
                f"warnings_{_lvl}",
                "count",
                _scale,
                f"未核销{_zh}预警 {{v}} 条，按条数计分、不与同类比较",
                f"{{v}} open {_lvl} warning{{s}}, scored by count, not against peers",
                warnings=True,
            )
        )
    _WARN.append(
        _f(
            _kind,
            "warnings_verified",
            "count",
            0.25,
            "经核实属实的预警 {v} 条，按条数计分、不与同类比较",
            "{v} warning{s} verified true, scored by count, not against peers",
            warnings=True,
        )
    )

#: every feature by kind, in column order
FEATURES: dict[str, list[Feature]] = {
    "unit": _UNIT + [w for w in _WARN if w.kind == "unit"],
    "person": _PERSON + [w for w in _WARN if w.kind == "person"],
    "company": _COMPANY + [w for w in _WARN if w.kind == "company"],
}


@dataclass(frozen=True)
class Family:
    """The features that read one fact, and the collision models whose warnings rest on that fact.

    One contract to a relative's company moves ``linked_spend_share``, ``linked_suppliers``,
    ``staff_family_tender_wins`` and ``staff_family_business`` at once, and a ``relative_wins_tender_*`` warning
    names that contract: four deviations and a warning, one finding. The scorer counts a family once, at the
    largest deviation of its features, and a family one of whose ``models`` warned of the entity once, at the
    larger of that deviation and those warnings' points (:mod:`graphkit.risk.scorer`). Features are put in one
    family when one record necessarily moves them all (a split contract is a direct award; a single-bid win is a
    win; 12345 tickets from a few numbers closed as resolved are one manipulation); features that read different
    properties of a record (a tender's single bid, its short notice period) are different facts and count apart,
    as each red flag does in a corruption risk index.

    Attributes
    ----------
    name : str
        Key (``conflict``), unique within its kind.
    kind : str
        ``unit``, ``person`` or ``company``.
    zh, en : str
        The fact in words, as a portrait names it.
    features : tuple of str
        The anomaly features that read it (each feature of a kind is in exactly one family).
    models : tuple of str
        The collision models (``graphkit.rules``) whose warnings are evidence of the same fact.
    """

    name: str
    kind: str
    zh: str
    en: str
    features: tuple[str, ...]
    models: tuple[str, ...] = ()


_RELATIVE_WINS = ("relative_wins_tender_1hop", "relative_wins_tender_2hop", "relative_wins_tender_executive")

#: the facts each kind's features read, declared once (:class:`Family`); a feature left out is its own family
FAMILIES: dict[str, list[Family]] = {
    "unit": [
        Family(
            "conflict",
            "unit",
            "职工及亲属关联企业（利益冲突）",
            "companies linked to staff or their relatives (conflict of interest)",
            ("linked_spend_share", "linked_suppliers", "staff_family_business", "staff_family_tender_wins"),
            _RELATIVE_WINS,
        ),
        Family("concentration", "unit", "供应商集中度", "supplier concentration", ("supplier_hhi",)),
        Family("price", "unit", "采购价格", "prices paid", ("price_premium",)),
        Family("single_bid", "unit", "独家投标", "single-bid tenders", ("single_bid_share",), ("single_bid_tender",)),
        Family(
            "direct",
            "unit",
            "直接采购（含拆分规避招标）",
            "direct awards (split ones included)",
            ("direct_share", "split_share"),
            ("direct_award_share", "split_contracts"),
        ),
        Family(
            "short_window",
            "unit",
            "等标期过短",
            "short bidding windows",
            ("short_window_share",),
            ("short_bid_window",),
        ),
        Family(
            "fuel",
            "unit",
            "车辆加油量",
            "fuel drawn by a car",
            ("fuel_ratio", "fuel_unexplained"),
            ("fuel_over_capacity",),
        ),
        Family(
            "receptions",
            "unit",
            "公务接待（无公函、超标准）",
            "receptions (no letter, above standard)",
            ("reception_per_guest", "reception_no_letter_share"),
            ("banquet_no_letter",),
        ),
        Family(
            "hotline",
            "unit",
            "12345 热线工单",
            "12345 hotline tickets",
            ("hotline_tickets", "hotline_top_callers_share", "hotline_resolved_share"),
            ("hotline_manipulation",),
        ),
        Family(
            "payments",
            "unit",
            "无任职、无合同的个人付款",
            "payments to persons with no post and no contract",
            ("ghost_payees", "unrelated_person_payments"),
        ),
        Family("collusion", "unit", "围标串标", "bid rigging", ("collusion_exposure",), ("bid_rigging",)),
    ],
    "person": [
        Family(
            "conflict",
            "person",
            "职工—亲属—关联企业链条（利益冲突）",
            "staff → relative → company chains (conflict of interest)",
            ("conflict_amount", "fronts_linked_company"),
            _RELATIVE_WINS,
        ),
        Family(
            "payments",
            "person",
            "无任职、无合同的收款",
            "payments with no post and no contract",
            ("payer_units_unrelated", "unrelated_payments"),
        ),
        Family(
            "family",
            "person",
            "亲属及其经商",
            "relatives and their business",
            ("relatives_in_business", "family_degree"),
        ),
        Family("roles", "person", "本人企业任职", "own company roles", ("company_roles",)),
        Family("price", "person", "供货价格", "prices charged", ("price_premium",)),
        Family("collusion", "person", "围标串标", "bid rigging", ("collusion_exposure",), ("bid_rigging",)),
    ],
    "company": [
        Family(
            "conflict",
            "company",
            "与采购单位职工关联（利益冲突）",
            "links to the buyer's staff (conflict of interest)",
            ("linked_to_buyer_staff",),
            _RELATIVE_WINS,
        ),
        Family("price", "company", "合同价格", "prices charged", ("price_premium",)),
        Family("units", "company", "签约单位数", "units contracting", ("units_paying",)),
        Family("amount", "company", "合同金额", "contract amount", ("contract_amount",)),
        Family(
            "wins",
            "company",
            "中标（含独家投标中标）",
            "wins (single-bid wins included)",
            ("win_rate", "single_bid_wins"),
            ("single_bid_tender",),
        ),
        Family(
            "collusion",
            "company",
            "围标串标（共同投标网络）",
            "bid rigging (the co-bidding network)",
            ("co_bidders", "collusion_exposure"),
            ("bid_rigging",),
        ),
    ],
}
#: the warning levels counted per family (``warnings_red@conflict`` …: :func:`warning_counts`)
LEVELS = ("red", "orange", "yellow")


def families(kind: str) -> list[Family]:
    """The families of ``kind``'s anomaly features: :data:`FAMILIES`, and a family of its own for a feature no
    family declares (its words those of the feature's name).

    Example
    -------
    >>> [f.name for f in families("unit")][:3]
    ['conflict', 'concentration', 'price']
    """
    declared = list(FAMILIES.get(kind, []))
    seen = {n for f in declared for n in f.features}
    for f in FEATURES[kind]:
        if not f.warnings and f.name not in seen:
            declared.append(Family(f.name, kind, f.name, f.name, (f.name,)))
    return declared


def family_column(level: str, family: str) -> str:
    """The column of open ``level`` warnings of a family's models: ``warnings_red@conflict``."""
    return f"warnings_{level}@{family}"


#: what :func:`model_column` puts between a level and a model's id
MODEL_MARK = "@model:"


def model_column(level: str, model: str) -> str:
    """The column of open ``level`` warnings of one model that rests on no family's fact (each such model's
    warnings are a fact of their own): ``warnings_red@model:prisoner_paid``."""
    return f"warnings_{level}{MODEL_MARK}{model}"


def family_of_model(kind: str) -> dict[str, str]:
    """Collision model → the family of ``kind`` whose fact its warnings rest on."""
    return {m: f.name for f in FAMILIES.get(kind, []) for m in f.models}


def format_value(v: float, fmt: str, lang: str = "zh") -> str:
    """A feature value as a reader sees it.

    Example
    -------
    >>> format_value(0.314, "pct"), format_value(123456.0, "money"), format_value(3.04, "ratio")
    ('31%', '12.3 万元', '3.0 倍')
    >>> format_value(123456.0, "money", "en"), format_value(3.04, "ratio", "en")
    ('¥123,456', '3.0×')
    """
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    if fmt == "pct":
        return f"{v:.0%}"
    if fmt == "money":  # yuan, as every face writes money (graphkit.model.money); English to the yuan
        return money(v, "CNY", "zh") if lang == "zh" else money(round(float(v)), "CNY")
    if fmt == "ratio":
        return f"{v:.1f} 倍" if lang == "zh" else f"{v:.1f}×"
    if fmt == "count":
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    return f"{v:.2f}"


# ------------------------------------------------------------------------------------------ helpers
def derived(tables: dict[str, pd.DataFrame], name: str, make) -> Any:
    """``make()`` computed once per tables dict (kept under the key ``"_derived"``): a portrait and the
    features share the staff links, price ratios and fuel ratios instead of computing them twice.  When the
    tables were read through a cache folder (:func:`graphkit.risk.tables.read_tables`), the result (a
    DataFrame or Series) is kept there as Parquet too, so the next command on the same store reads it."""
    memo = tables.setdefault("_derived", {})
    if name not in memo:
        folder = tables.get(CACHE_KEY)
        path = Path(folder) / f"derived-{name}.parquet" if folder is not None else None
        if path is not None and path.exists():
            memo[name] = _read_derived(path)
        else:
            memo[name] = make()
            if path is not None:
                _write_derived(memo[name], path)
    return memo[name]


def _write_derived(x: pd.DataFrame | pd.Series, path: Path) -> None:
    """Parquet of a derived table; a Series is kept as a one-column frame named ``__series__``, tuples as lists."""
    df = x.to_frame("__series__") if isinstance(x, pd.Series) else x
    tmp = path.with_suffix(".tmp")
    df.to_parquet(tmp)
    tmp.replace(path)  # whole or not at all: a concurrent reader never sees half a file


def _read_derived(path: Path) -> pd.DataFrame | pd.Series:
    df = pd.read_parquet(path)
    for c in df.columns:
        if df[c].dtype == object and len(df) and isinstance(df[c].iloc[0], np.ndarray):
            df[c] = [tuple(v) for v in df[c]]
    return df["__series__"].rename(None) if list(df.columns) == ["__series__"] else df


def category_of(titles: pd.Series) -> pd.Series:
    """The kind of purchase in a contract title: the unit and year (``…2023年``) and ``合同`` stripped.

    Example
    -------
    >>> category_of(pd.Series(["苏州市人民政府2023年道路改造工程合同", "物业管理服务合同"])).tolist()
    ['道路改造工程', '物业管理服务']
    """
    s = titles.fillna("").astype(str)
    s = s.str.replace(r"^.*?\d{4}年", "", regex=True).str.replace(r"(项目)?合同$", "", regex=True)
    return s.str.strip()


def price_ratios(contracts: pd.DataFrame, *, min_group: int = 5) -> pd.Series:
    """Each contract's amount over what *other* units paid for the same kind of purchase by the same route
    (the median of their contracts; direct awards apart from tendered contracts); NaN where fewer than
    ``min_group`` contracts of other units compare.  Leaving the unit's own contracts out keeps a unit that
    buys most of a rare kind from setting its own reference price."""
    if contracts.empty:
        return pd.Series(dtype=float)
    cat = category_of(contracts["title"])
    route = np.where(contracts["method"].astype(str) == "direct", "direct", "tendered")
    key = (cat + "|" + route).to_numpy()
    amount = contracts["amount"].to_numpy(dtype=float)
    unit = contracts["unit"].to_numpy()
    out = np.full(len(contracts), np.nan)
    for idx in _runs(key):
        vals = amount[idx]
        if np.isnan(vals).any():  # np.median's answer with a missing amount among the others: NaN
            for own in _runs(unit[idx]):
                if len(idx) - len(own) >= min_group:
                    out[idx[own]] = vals[own] / np.median(np.delete(vals, own))
            continue
        # the median of the others, from the kind's amounts sorted once: a unit's own contracts are positions
        # to skip (a median per unit over the whole kind had been units x contracts: 70 s at 1,000,000 persons)
        srt = np.argsort(vals, kind="stable")
        pos = np.empty(len(vals), dtype=np.int64)
        pos[srt] = np.arange(len(vals))
        ordered = vals[srt]
        for own in _runs(unit[idx]):
            n = len(idx) - len(own)
            if n < min_group:
                continue
            skip = np.sort(pos[own])
            lo, hi = _kth_left(skip, (n - 1) // 2), _kth_left(skip, n // 2)
            med = ordered[lo] if lo == hi else np.mean(ordered[[lo, hi]])
            out[idx[own]] = vals[own] / med
    return pd.Series(out, index=contracts.index)


def _runs(values: np.ndarray) -> list[np.ndarray]:
    """The positions of each distinct value of ``values``, one array per value (in sorted order)."""
    order = np.argsort(values, kind="stable")
    bounds = np.flatnonzero(np.r_[True, values[order][1:] != values[order][:-1], True])
    return [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _kth_left(skip: np.ndarray, k: int) -> int:
    """The position in a sorted array of its ``k``-th element (from 0) once the sorted positions ``skip`` are
    left out: the least ``j`` with ``j - (skipped up to j) == k`` and ``j`` not skipped."""
    j = k
    while True:
        nxt = k + int(np.searchsorted(skip, j, side="right"))
        if nxt == j:
            return j
        j = nxt


def shrunk_share(hits: pd.Series, n: pd.Series, *, prior: float = PRIOR_WEIGHT) -> pd.Series:
    """Share ``hits / n`` pulled towards the city-wide share by ``prior`` pseudo-observations, so that one direct
    award out of one contract does not read as a 100 % direct-award unit (empirical-Bayes shrinkage).

    Example
    -------
    >>> shrunk_share(pd.Series([1.0, 40.0]), pd.Series([1.0, 50.0]), prior=5).round(2).tolist()
    [0.84, 0.8]
    """
    n = n.astype(float)
    p0 = hits.sum() / n.sum() if n.sum() > 0 else 0.0
    return (hits + prior * p0) / (n + prior)


def _active_posts(posts: pd.DataFrame) -> pd.DataFrame:
    p = posts[posts["end_date"].isna()]
    return p[["person", "unit"]].drop_duplicates()


def _family_pairs(family: pd.DataFrame) -> pd.DataFrame:
    a = family[["a", "b"]].rename(columns={"a": "p", "b": "q"})
    return pd.concat([a, a.rename(columns={"p": "q", "q": "p"})], ignore_index=True).drop_duplicates()


def _person_company(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    sh = tables["shareholders"]
    ps = sh[sh["holder_label"] == "Person"][["holder", "company"]].rename(columns={"holder": "person"})
    ps = ps.assign(role="shareholder")
    dr = tables["directors"][["person", "company", "role"]]
    return pd.concat([ps, dr], ignore_index=True).drop_duplicates()


def staff_links(tables: dict[str, pd.DataFrame], *, max_hops: int = 3) -> pd.DataFrame:
    """Every company linked to a unit's staff within ``max_hops`` hops (see the module doc).

    Returns
    -------
    DataFrame
        Columns ``unit``, ``staff``, ``via`` (the persons between the staff member and the company, a tuple),
        ``holding`` (the holding company in between, or ``""``), ``company``, ``hops``; the shortest chain per
        (unit, staff, company).
    """
    return _chains(tables, _active_posts(tables["posts"]).rename(columns={"person": "staff"}), max_hops)


def person_links(tables: dict[str, pd.DataFrame], person: str, *, max_hops: int = 3) -> pd.DataFrame:
    """Every company ``person`` reaches within ``max_hops`` hops, as :func:`staff_links` counts them but from
    the person whatever posts they hold or held (a former official, someone with no post): their own company
    roles, their relatives', and the companies those hold.  A company the person and a relative both reach
    is listed once per relative (the relative's chain too), so every relative in business appears.

    Returns
    -------
    DataFrame
        The columns of :func:`staff_links`, ``unit`` empty and ``staff`` the person.

    Example
    -------
    >>> t = {"posts": pd.DataFrame(columns=["person", "unit", "end_date"]),
    ...      "family": pd.DataFrame({"a": ["P1"], "b": ["P2"], "relationship": ["spouse"]}),
    ...      "shareholders": pd.DataFrame({"holder": ["P2"], "holder_label": ["Person"], "company": ["C1"]}),
    ...      "directors": pd.DataFrame(columns=["person", "company", "role"])}
    >>> person_links(t, "P1")[["staff", "via", "company", "hops"]].to_dict("records")
    [{'staff': 'P1', 'via': ('P2',), 'company': 'C1', 'hops': 2}]
    """
    return _chains(tables, pd.DataFrame({"unit": [""], "staff": [person]}), max_hops, per_relative=True)


def _chains(
    tables: dict[str, pd.DataFrame], staff: pd.DataFrame, max_hops: int, *, per_relative: bool = False
) -> pd.DataFrame:
    """The shortest chain from each (unit, staff) row of ``staff`` to every company within ``max_hops`` (with
    ``per_relative``, the shortest through each first relative on the way, and the direct one)."""
    cols = ["unit", "staff", "via", "holding", "company", "hops"]
    if staff.empty:
        return pd.DataFrame(columns=cols)
    fam_t = tables["family"]
    pc_t = _person_company(tables)
    sh = tables["shareholders"]
    cc_t = sh[sh["holder_label"] == "Company"]
    # integer codes: joins on int64 are several times faster than on strings
    pcodes, people = pd.factorize(
        pd.concat([staff["staff"], fam_t["a"], fam_t["b"], pc_t["person"]], ignore_index=True).astype(object)
    )
    ccodes, firms = pd.factorize(
        pd.concat([pc_t["company"], cc_t["holder"], cc_t["company"]], ignore_index=True).astype(object)
    )
    n1, n2, n3 = len(staff), len(fam_t), len(fam_t)
    st = pd.DataFrame({"unit": staff["unit"].to_numpy(), "staff": pcodes[:n1]})
    fa = pd.DataFrame({"p": pcodes[n1 : n1 + n2], "q": pcodes[n1 + n2 : n1 + n2 + n3]})
    fam = pd.concat([fa, fa.rename(columns={"p": "q", "q": "p"})], ignore_index=True).drop_duplicates()
    pc = pd.DataFrame({"p": pcodes[n1 + n2 + n3 :], "company": ccodes[: len(pc_t)]}).drop_duplicates()
    m = len(pc_t)
    cc = pd.DataFrame({"holder": ccodes[m : m + len(cc_t)], "held": ccodes[m + len(cc_t) :]}).drop_duplicates()
    # persons reachable from each staff member: 0, 1 and 2 family ties (v1, v2: the relatives on the way)
    zero = st.assign(p=st["staff"], v1=-1, v2=-1, d=0)
    one = st.merge(fam, left_on="staff", right_on="p")[["unit", "staff", "q"]].rename(columns={"q": "p"})
    one = one[one["p"] != one["staff"]]
    one = one.assign(v1=one["p"], v2=-1, d=1)
    chains = [zero, one]
    if max_hops >= 3:
        two = one[["unit", "staff", "p"]].merge(fam, on="p")
        two = two[(two["q"] != two["staff"]) & (two["q"] != two["p"])]
        chains.append(
            pd.DataFrame(
                {"unit": two["unit"], "staff": two["staff"], "p": two["q"], "v1": two["p"], "v2": two["q"], "d": 2}
            )
        )
    reach = pd.concat(chains, ignore_index=True)
    direct = reach.merge(pc, on="p")
    direct = direct.assign(holding=-1, hops=direct["d"] + 1)
    keep = ["unit", "staff", "v1", "v2", "holding", "company", "hops"]
    held = direct[direct["hops"] < max_hops].merge(cc, left_on="company", right_on="holder")
    held = held.assign(holding=held["company"], company=held["held"], hops=held["hops"] + 1)
    links = pd.concat([direct[keep], held[keep]], ignore_index=True)
    links = links[links["hops"] <= max_hops]
    key = ["unit", "staff", "company"] + (["v1"] if per_relative else [])
    links = links.sort_values("hops", kind="stable").drop_duplicates(key)
    people = np.asarray(people, dtype=object)
    firms = np.asarray(firms, dtype=object)
    v1 = links["v1"].to_numpy()
    v2 = links["v2"].to_numpy()
    via = [
        () if a < 0 else ((people[a],) if b < 0 else (people[a], people[b]))
        for a, b in zip(v1.tolist(), v2.tolist(), strict=True)
    ]
    hold = links["holding"].to_numpy()
    links = pd.DataFrame(
        {
            "unit": links["unit"].to_numpy(),
            "staff": people[links["staff"].to_numpy()],
            "via": via,
            "holding": np.where(hold >= 0, firms[np.maximum(hold, 0)], ""),
            "company": firms[links["company"].to_numpy()],
            "hops": links["hops"].to_numpy(),
        }
    )
    return links.reset_index(drop=True)


#: how a warning reaches a unit: through one of the unit's own records, in Chinese (``warned``'s third value)
VIA_ZH = {
    "tender": "本单位的招标项目",
    "contract": "本单位的合同",
    "card": "本单位的加油卡",
    "reception": "本单位的公务接待",
    "vehicle": "本单位的车辆",
}
#: the same in English (``graphkit warnings list --entity --lang en``)
VIA_EN = {
    "tender": "the unit's tender",
    "contract": "the unit's contract",
    "card": "the unit's fuel card",
    "reception": "the unit's reception",
    "vehicle": "the unit's vehicle",
}


def warned(warnings: list[dict] | None, tables: dict[str, pd.DataFrame], kind: str) -> list[tuple[str, dict, str]]:
    """Each (entity of ``kind``, warning, how) that a warning counts for, as :func:`warning_counts` counts
    them: ``how`` is ``kind`` itself when the entity is one of the warning's own, else the type of the unit's
    record that it names (``tender``, ``contract``, ``card``, ``reception``, ``vehicle``; a 围标串标 warning
    names tenders, and counts for the unit that issued them). A warning verified false is left out; an
    entity is counted once per warning (by its own entity first)."""
    owner = record_owners(tables) if kind == "unit" else {}
    out = []
    for w in warnings or []:
        if w.get("outcome") == "false_positive":
            continue
        out += [(e, w, how) for e, how in reached(w, owner, kind).items()]
    return out


#: the risk tables that say which unit owns a record a warning may name (:func:`record_owners`)
OWNER_TABLES = ("tenders", "contracts", "fuel_cards", "receptions", "vehicle_stops")


def record_owners(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Record type (``tender``, ``contract``, ``card``, ``reception``, ``vehicle``) → record key → the unit that
    owns it (the issuer, buyer, card holder, claimant or owner), from the tables :data:`OWNER_TABLES` names."""
    pairs = {
        "tender": ("tenders", "tender"),
        "contract": ("contracts", "contract"),
        "card": ("fuel_cards", "card"),
        "reception": ("receptions", "reception"),
        "vehicle": ("vehicle_stops", "vehicle"),
    }
    return {t: dict(zip(tables[n][c], tables[n]["unit"], strict=True)) for t, (n, c) in pairs.items()}


def reached(w: dict, owner: dict[str, dict[str, str]], kind: str) -> dict[str, str]:
    """The entities of ``kind`` that warning ``w`` counts for, each with how (:func:`warned`): ``kind`` for one
    of the warning's own entities, else the type of the unit's record it names (``owner``: :func:`record_owners`,
    empty for a person or a company). What ``graphkit warnings list --entity`` lists a unit's warnings by, so
    that it lists every warning ``rank`` and the portrait count for the unit."""
    mine: dict[str, str] = {}
    for e, t in zip(w["entities"], w["types"], strict=True):
        if t == kind:
            mine[e] = kind
        elif t in owner and e in owner[t]:
            mine.setdefault(owner[t][e], t)
    return mine


def warning_words_zh(found: list[tuple[dict, str]]) -> str:
    """Which warnings a warning factor counts, in Chinese: ``围标串标 2 条（经本单位的招标项目）、公车私用 1 条``
    for the (warning, how) pairs of one entity and level (:func:`warned`), by model, most first; a model is
    named by its Chinese title (its id when the catalogue has no such model)."""
    from graphkit.rules import ModelError, get

    def title(model: str) -> str:
        try:
            return get(model).title_zh
        except ModelError:
            return model

    return "、".join(
        f"{title(model)} {n} 条" + (f"（经{VIA_ZH[how]}）" if how in VIA_ZH else "")
        for model, how, n in _warning_counts(found)
    )


def _warning_counts(found: list[tuple[dict, str]]) -> list[tuple[str, str, int]]:
    """(model, how, count) of a warning factor's (warning, how) pairs, most first, then by model and how: the order
    both languages name them in."""
    from collections import Counter

    counts = Counter((w.get("model", ""), how) for w, how in found)
    return [(model, how, n) for (model, how), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def warning_words_en(found: list[tuple[dict, str]]) -> str:
    """Which warnings a warning factor counts, in English: ``bid rigging 2 via the unit's tender; official car
    fuelled on statutory holidays 1``, as :func:`warning_words_zh` says them in Chinese (same order); a model is
    named by its English words (:func:`graphkit.rules.words.model_words_en`; its id when the catalogue has no such
    model). The English factor had said the bare count where the Chinese named the warnings."""
    from graphkit.rules.words import model_words_en

    return "; ".join(
        f"{model_words_en(model) or model} {n}" + (f" via {VIA_EN[how]}" if how in VIA_EN else "")
        for model, how, n in _warning_counts(found)
    )


def warnings_by_feature(
    warnings: list[dict] | None, tables: dict[str, pd.DataFrame], kind: str
) -> dict[tuple[str, str], list[tuple[dict, str]]]:
    """(entity, warning feature) → the (warning, how) pairs the feature counts for the entity (:func:`warned`):
    ``warnings_red`` … by level as :func:`warning_counts` counts them, ``warnings_verified`` those verified
    true. What a warning factor names in words (:func:`warning_words_zh`) on the console and in the portrait."""
    out: dict[tuple[str, str], list[tuple[dict, str]]] = {}
    for e, w, how in warned(warnings, tables, kind):
        out.setdefault((e, f"warnings_{w['level']}"), []).append((w, how))
        if w.get("outcome") == "true_positive":
            out.setdefault((e, "warnings_verified"), []).append((w, how))
    return out


def named_warnings(factors: list[list[dict]], ids, which: dict) -> list[list[dict]]:
    """``factors`` (:meth:`graphkit.risk.AnomalyScorer.factors` of the rows ``ids``) with each warning factor naming
    the warnings it counts (``which``: :func:`warnings_by_feature`): ``未核销红色预警 1 条，同类中位数 0（其中
    围标串标 1 条（经本单位的招标项目））``, as ``graphkit rank`` and the portrait say it (notebook 04 said the bare
    count), and its ``text_en`` the same in English (:func:`warning_words_en`: ``… (of which bid rigging 1 via the
    unit's tender)``; it had said the bare count). The factors' texts are changed in place, and the list returned.

    Example
    -------
    >>> named_warnings(scorer.factors(X.loc[ids]), ids, warnings_by_feature(warnings, tables, "unit"))  # doctest: +SKIP
    """
    if not which:
        return factors
    for i, fs in zip(ids, factors, strict=True):
        for f in fs:
            found = which.get((i, f["feature"]))
            if found:
                f["text"] = f"{f['text']}（其中 {warning_words_zh(found)}）"
                if "text_en" in f:
                    f["text_en"] = f"{f['text_en']} (of which {warning_words_en(found)})"
    return factors


def warning_counts(warnings: list[dict] | None, tables: dict[str, pd.DataFrame], kind: str) -> pd.DataFrame:
    """Open warnings by level and verified-true warnings per entity of ``kind``.

    A warning counts for a unit when one of its entities is the unit, or a tender, contract, fuel card,
    reception or vehicle of the unit (the issuer, buyer, card holder, claimant or owner); for a person or
    a company when the person or company is one of its entities. A warning verified as a false positive is
    not counted.

    Besides the counts by level (``warnings_red`` …) and ``warnings_verified``, ``warnings_red@conflict`` …
    count the open warnings of each level whose model rests on the fact of a :class:`Family` of ``kind``
    (:data:`FAMILIES`: a ``relative_wins_tender_1hop`` warning and the unit's ``linked_spend_share`` are one
    finding), so that the scorer counts that fact once; and ``warnings_red@model:prisoner_paid`` …
    (:func:`model_column`) those of each model that rests on no family's fact, one column per level and model
    found, so that the scorer counts each such model's warnings as a fact of its own (two models' warnings add
    in full, one model's repeated warnings as that model's).
    """
    fam = family_of_model(kind)
    # the open warnings by level per family, and those verified true per family (the scorer counts both per fact)
    per_family = [
        family_column(lvl, f.name) for f in FAMILIES.get(kind, []) if f.models for lvl in (*LEVELS, "verified")
    ]
    cols = ["warnings_red", "warnings_orange", "warnings_yellow", "warnings_verified", *per_family]
    if not warnings:
        return pd.DataFrame(columns=cols, dtype=float)
    rows = []
    for e, w, _ in warned(warnings, tables, kind):
        model = str(w.get("model") or "")
        # a family's key, or a model's own key ("": a warning naming no model, counted by its level alone)
        key = fam.get(model) or (MODEL_MARK + model if model else "")
        rows.append((e, w["level"], w.get("outcome") == "true_positive", key))
    if not rows:
        return pd.DataFrame(columns=cols, dtype=float)
    df = pd.DataFrame(rows, columns=["id", "level", "verified", "family"])
    out = pd.crosstab(df["id"], df["level"]).reindex(columns=["red", "orange", "yellow"], fill_value=0)
    out.columns = cols[:3]
    out["warnings_verified"] = df.groupby("id")["verified"].sum()
    mapped = df[(df["family"] != "") & df["level"].isin(LEVELS)]
    own = sorted({f[len(MODEL_MARK) :] for f in mapped["family"] if f.startswith(MODEL_MARK)})
    cols += [model_column(lvl, m) for m in own for lvl in (*LEVELS, "verified")]
    if len(mapped):
        sep = pd.Series(np.where(mapped["family"].str.startswith(MODEL_MARK), "", "@"), index=mapped.index)
        ver = mapped[mapped["verified"]]
        opened = "warnings_" + mapped["level"] + sep + mapped["family"]
        labels = pd.concat([opened, "warnings_verified" + sep[ver.index] + ver["family"]])
        by = pd.crosstab(pd.concat([mapped["id"], ver["id"]]).to_numpy(), labels.to_numpy())
        out = out.join(by.reindex(columns=cols[4:], fill_value=0), how="left")
    return out.reindex(columns=cols).fillna(0.0).astype(float)


def ledger_labels(
    warnings: list[dict] | None, tables: dict[str, pd.DataFrame], kind: str, index: pd.Index
) -> pd.Series:
    """Labels for :meth:`graphkit.risk.scorer.AnomalyScorer.fit` from verified warnings: 1 for an entity of
    a warning verified true, 0 for one whose warnings were all verified false, NaN otherwise."""
    true_ = warning_counts([w for w in warnings or [] if w.get("outcome") == "true_positive"], tables, kind)
    false_ = warning_counts(
        [dict(w, outcome=None) for w in warnings or [] if w.get("outcome") == "false_positive"], tables, kind
    )
    y = pd.Series(np.nan, index=index)
    y[y.index.isin(false_.index)] = 0.0
    y[y.index.isin(true_.index)] = 1.0
    return y


def _size_band(staff: pd.Series, kind: pd.Series) -> pd.Series:
    """small / mid / large by staff within each kind (terciles; one band for a kind of fewer than 9 units)."""
    band = pd.Series("all", index=staff.index)
    for _, idx in staff.groupby(kind).groups.items():
        s = staff.loc[idx]
        if len(s) < 9 or s.nunique() < 3:
            continue
        q1, q2 = s.quantile([1 / 3, 2 / 3])
        band.loc[idx] = np.where(s <= q1, "small", np.where(s <= q2, "mid", "large"))
    return band


# ------------------------------------------------------------------------------------------ per kind
def _ghosts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Unit → person payments with no post and no contract behind them, per (unit, person)."""
    pay = tables["person_payments"]
    if pay.empty:
        return pd.DataFrame(columns=["unit", "person", "amount", "n"])
    posts = tables["posts"][["person", "unit"]].drop_duplicates().assign(post=True)
    pc = _person_company(tables)
    basis = (
        (tables["contracts"][["unit", "company"]].drop_duplicates().merge(pc, on="company")[["unit", "person"]])
        .drop_duplicates()
        .assign(basis=True)
    )
    g = pay.groupby(["unit", "person"], as_index=False).agg(amount=("amount", "sum"), n=("amount", "size"))
    g = g.merge(posts, on=["unit", "person"], how="left").merge(basis, on=["unit", "person"], how="left")
    return g[g["post"].isna() & g["basis"].isna()][["unit", "person", "amount", "n"]]


def _ratios(tables: dict[str, pd.DataFrame]) -> pd.Series:
    return derived(tables, "price_ratios", lambda: price_ratios(tables["contracts"]))


def _fuel(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per bound card: litres against the median car of its class, and against its GPS-recorded driving."""
    fc = tables["fuel_cards"]
    fc = fc[fc["vehicle"].notna() & (fc["fills"] > 0)].copy()
    if fc.empty:
        return pd.DataFrame(columns=["unit", "card", "vehicle", "fuel_ratio", "fuel_unexplained", "litres"])
    stops = tables["vehicle_stops"].set_index("vehicle")["stops"]
    fc["stops"] = fc["vehicle"].map(stops).fillna(0).astype(float)
    # tanks' worth drawn, against the median car of the same kind: a bigger tank is not a thirstier car
    tanks = fc["litres"] / fc["tank_capacity"].where(fc["tank_capacity"] > 0)
    fc["cls"] = fc["vehicle_kind"].fillna("?")
    fc["fuel_ratio"] = (tanks / tanks.groupby(fc["cls"]).transform("median")).fillna(1.0)
    smed = fc.groupby("cls")["stops"].transform("median")
    driving = (fc["stops"] / smed.where(smed > 0)).fillna(1.0).clip(lower=1.0)
    fc["fuel_unexplained"] = fc["fuel_ratio"] / driving
    return fc[["unit", "card", "vehicle", "fuel_ratio", "fuel_unexplained", "litres"]]


def _pair_premium(contracts: pd.DataFrame, ratios: pd.Series, *, by: str) -> pd.Series:
    """Per ``by`` (unit or company): the largest median price ratio over its (unit, supplier, kind) groups
    of two or more contracts."""
    c = contracts.assign(ratio=ratios, cat=category_of(contracts["title"]))
    c = c[c["ratio"].notna()]
    g = c.groupby(["unit", "company", "cat"])["ratio"].agg(["median", "size"]).reset_index()
    g = g[g["size"] >= 2]
    return g.groupby(by)["median"].max()


def unit_features(
    tables: dict[str, pd.DataFrame],
    *,
    warnings: list[dict] | None = None,
    collusion: pd.Series | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """One row per unit (see :data:`FEATURES`); ``collusion``: tender risk by tender id (optional)."""
    u = tables["units"].drop_duplicates("unit").set_index("unit")
    out = pd.DataFrame(index=u.index)
    out.index.name = "id"
    out["name"] = u["name"]
    out["unit_kind"] = u["kind"].fillna("other")
    out["staff"] = u["staff"].astype(float)
    out["peer"] = out["unit_kind"] + "|" + _size_band(out["staff"], out["unit_kind"])
    con = tables["contracts"]
    spend = con.groupby("unit")["amount"].sum()
    out["spend"] = spend.reindex(out.index).fillna(0.0)
    out["contracts"] = con.groupby("unit").size().reindex(out.index).fillna(0).astype(float)
    # staff links
    links = derived(tables, "staff_links", lambda: staff_links(tables))
    pairs = links[["unit", "company"]].drop_duplicates()
    paid = con.merge(pairs, on=["unit", "company"])
    lsp = paid.groupby("unit")["amount"].sum().reindex(out.index).fillna(0.0)
    out["linked_spend_share"] = (lsp / out["spend"].where(out["spend"] > 0)).fillna(0.0)
    out["linked_suppliers"] = paid.groupby("unit")["company"].nunique().reindex(out.index).fillna(0).astype(float)
    fam_links = links[links["hops"] >= 2]
    out["staff_family_business"] = (
        fam_links.groupby("unit")["staff"].nunique().reindex(out.index).fillna(0).astype(float)
    )
    # wins at the unit's own tenders only: a relative's company winning another unit's tender is no conflict
    won = tables["tenders"].dropna(subset=["winner"])[["unit", "winner"]].rename(columns={"winner": "company"})
    own = won.merge(links[["unit", "company"]].drop_duplicates(), on=["unit", "company"])
    out["staff_family_tender_wins"] = own.groupby("unit").size().reindex(out.index).fillna(0).astype(float)
    # procurement profile
    by_sup = con.groupby(["unit", "company"])["amount"].sum()
    share = by_sup / by_sup.groupby(level=0).transform("sum")
    # one contract is one supplier's whole spend (HHI 1) and no contract read as HHI 0, so a unit that bought
    # once stood out at the cap against a peer median of units that never bought: the HHI is pulled towards
    # the city's (contract-weighted) HHI by PRIOR_WEIGHT contracts, as the shares are
    hhi = (share**2).groupby(level=0).sum().reindex(out.index).fillna(0.0)
    out["supplier_hhi"] = shrunk_share(hhi * out["contracts"], out["contracts"])
    out["price_premium"] = _pair_premium(con, _ratios(tables), by="unit").reindex(out.index).fillna(1.0).clip(lower=1.0)
    t = tables["tenders"]
    open_t = t[t["method"] == "open"]
    single = ((open_t["bids"] == 1) & open_t["winner"].notna()).groupby(open_t["unit"]).sum()
    n_open = open_t.groupby("unit").size()
    out["single_bid_share"] = _share(single, n_open, out.index)
    out["direct_share"] = _share((con["method"] == "direct").groupby(con["unit"]).sum(), out["contracts"], out.index)
    n_direct = (con["method"] == "direct").groupby(con["unit"]).sum()
    out["split_share"] = _share(_split_share(con), n_direct, out.index)
    window = (open_t["close_date"] - open_t["publish_date"]).dt.days
    out["short_window_share"] = _share((window < SHORT_WINDOW).groupby(open_t["unit"]).sum(), n_open, out.index)
    # vehicles
    fuel = derived(tables, "fuel", lambda: _fuel(tables))
    out["fuel_ratio"] = fuel.groupby("unit")["fuel_ratio"].max().reindex(out.index).fillna(1.0).clip(lower=1.0)
    out["fuel_unexplained"] = (
        fuel.groupby("unit")["fuel_unexplained"].max().reindex(out.index).fillna(1.0).clip(lower=1.0)
    )
    # receptions
    rc = tables["receptions"]
    agg = rc.groupby("unit").agg(amount=("amount", "sum"), guests=("guests", "sum"), n=("amount", "size"))
    per_guest = (agg["amount"] / agg["guests"].where(agg["guests"] > 0)).reindex(out.index)
    out["reception_per_guest"] = per_guest.fillna(per_guest.median() if per_guest.notna().any() else 0.0)
    no_letter = rc["letter_no"].isna() | (rc["letter_no"].astype(str).str.strip() == "")
    out["reception_no_letter_share"] = _share(no_letter.groupby(rc["unit"]).sum(), agg["n"], out.index)
    # hotline
    h = tables["hotline"]
    out["hotline_tickets"] = h.groupby("unit").size().reindex(out.index).fillna(0).astype(float)
    calls = h.dropna(subset=["phone"]).groupby(["unit", "phone"]).size().sort_values(ascending=False, kind="stable")
    top3 = calls[calls.groupby(level=0).cumcount() < 3].groupby(level=0).sum()
    out["hotline_top_callers_share"] = _share(top3, out["hotline_tickets"], out.index)
    out["hotline_resolved_share"] = _share(
        (h["status"] == "resolved").groupby(h["unit"]).sum(), out["hotline_tickets"], out.index
    )
    # persons paid by the unit
    gh = _ghosts(tables)
    payers = gh.groupby("person")["unit"].nunique()
    ghosts = gh[gh["person"].map(payers) >= GHOST_MIN_UNITS]
    out["ghost_payees"] = ghosts.groupby("unit")["person"].nunique().reindex(out.index).fillna(0).astype(float)
    out["unrelated_person_payments"] = gh.groupby("unit")["amount"].sum().reindex(out.index).fillna(0.0)
    # collusion
    if collusion is not None and len(collusion):
        tr = t.assign(r=t["tender"].map(collusion)).groupby("unit")["r"].max()
        out["collusion_exposure"] = tr.reindex(out.index).fillna(0.0)
    else:
        out["collusion_exposure"] = 0.0
    return _add_warnings(out, warning_counts(warnings, tables, "unit"), "unit")


def _share(hits: pd.Series, n: pd.Series, index: pd.Index) -> pd.Series:
    """Shrunk share per unit of ``index`` (0 hits of 0 gives the city-wide share)."""
    n = n.reindex(index).fillna(0.0).astype(float)
    hits = hits.reindex(index).fillna(0.0).astype(float)
    return shrunk_share(hits, n)


def _split_share(con: pd.DataFrame) -> pd.Series:
    d = con[(con["method"] == "direct") & con["amount"].between(*SPLIT_BAND, inclusive="left")]
    if d.empty:
        return pd.Series(dtype=float)
    d = d.sort_values("signed_date")
    gap = d.groupby(["unit", "company"])["signed_date"].diff().dt.days
    gap_next = d.groupby(["unit", "company"])["signed_date"].diff(-1).dt.days.abs()
    near = (gap <= 30) | (gap_next <= 30)
    return near.groupby(d["unit"]).sum()


def _add_warnings(out: pd.DataFrame, counts: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``out`` with the ledger's counts (:func:`warning_counts`): by level and verified as the last features, and
    by level (and verified) per family's and model's warnings among the context columns, before the features
    (the features stay the last columns). Joined at once: inserted one by one, a ledger of many models made
    pandas warn of a fragmented frame."""
    first = out.columns.get_loc(FEATURES[kind][0].name)
    values = counts.reindex(out.index).fillna(0.0).astype(float)
    context = [c for c in counts.columns if "@" in c]
    last = [c for c in counts.columns if "@" not in c]
    for c in last:
        if c in out.columns:  # a feature's column already there: its values, in its place
            out[c] = values[c]
    new = [c for c in last if c not in out.columns]
    return pd.concat([out.iloc[:, :first], values[context], out.iloc[:, first:], values[new]], axis=1)


def _conflicts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Staff links whose unit paid the company: one row per (unit, staff, company) with the amount paid."""
    links = derived(tables, "staff_links", lambda: staff_links(tables))
    paid = tables["contracts"].groupby(["unit", "company"], as_index=False)["amount"].sum()
    return links.merge(paid, on=["unit", "company"])


#: the parts of :func:`person_features`, each named to its ``progress`` as it starts (a million persons' features
#: took a minute and a half under one name), and how a Chinese reader reads them
PERSON_STEPS = (
    "persons",
    "conflicts of interest",
    "payments without basis",
    "family and companies",
    "prices",
    "warnings",
)
STEP_ZH = {
    "persons": "人员",
    "conflicts of interest": "利益冲突",
    "payments without basis": "无依据付款",
    "family and companies": "亲属与企业",
    "prices": "价格",
    "warnings": "预警",
}


def person_features(
    tables: dict[str, pd.DataFrame],
    *,
    warnings: list[dict] | None = None,
    collusion: pd.Series | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """One row per person (see :data:`FEATURES`); ``collusion``: bidder risk by credit code (optional);
    ``progress`` is called with each of :data:`PERSON_STEPS` as it starts."""
    step = progress or (lambda name: None)
    step(PERSON_STEPS[0])
    persons = tables["persons"].drop_duplicates("person").set_index("person")
    out = pd.DataFrame(index=persons.index)
    out.index.name = "id"
    out["name"] = persons["name"]
    active = _active_posts(tables["posts"])
    out["peer"] = np.where(out.index.isin(active["person"]), "staff", "other")
    step(PERSON_STEPS[1])
    conf = _conflicts(tables)
    on_path = pd.concat(
        [
            conf[["staff", "amount", "unit", "company"]].rename(columns={"staff": "person"}),
            conf.explode("via")
            .dropna(subset=["via"])[["via", "amount", "unit", "company"]]
            .rename(columns={"via": "person"}),
        ],
        ignore_index=True,
    ).drop_duplicates(["person", "unit", "company"])
    out["conflict_amount"] = on_path.groupby("person")["amount"].sum().reindex(out.index).fillna(0.0)
    dr = tables["directors"]
    fronts = dr.merge(conf[["company"]].drop_duplicates(), on="company")
    fronts = fronts[~fronts["person"].isin(on_path["person"])]
    out["fronts_linked_company"] = (
        fronts.groupby("person")["company"].nunique().reindex(out.index).fillna(0).astype(float)
    )
    step(PERSON_STEPS[2])
    gh = _ghosts(tables)
    out["payer_units_unrelated"] = gh.groupby("person")["unit"].nunique().reindex(out.index).fillna(0).astype(float)
    out["unrelated_payments"] = gh.groupby("person")["amount"].sum().reindex(out.index).fillna(0.0)
    step(PERSON_STEPS[3])
    fam = _family_pairs(tables["family"])
    pc = _person_company(tables)
    holders = set(pc["person"])
    rel = fam[fam["q"].isin(holders)]
    out["relatives_in_business"] = rel.groupby("p")["q"].nunique().reindex(out.index).fillna(0).astype(float)
    out["family_degree"] = fam.groupby("p")["q"].nunique().reindex(out.index).fillna(0).astype(float)
    out["company_roles"] = pc.groupby("person")["company"].nunique().reindex(out.index).fillna(0).astype(float)
    step(PERSON_STEPS[4])
    prem = _pair_premium(tables["contracts"], _ratios(tables), by="company")
    reps = dr[dr["role"] == "legal_rep"]
    out["price_premium"] = (
        reps.assign(p=reps["company"].map(prem)).groupby("person")["p"].max().reindex(out.index).fillna(1.0)
    ).clip(lower=1.0)
    if collusion is not None and len(collusion):
        cr = pc.assign(r=pc["company"].map(collusion)).groupby("person")["r"].max()
        out["collusion_exposure"] = cr.reindex(out.index).fillna(0.0)
    else:
        out["collusion_exposure"] = 0.0
    step(PERSON_STEPS[5])
    return _add_warnings(out, warning_counts(warnings, tables, "person"), "person")


def company_features(
    tables: dict[str, pd.DataFrame],
    *,
    warnings: list[dict] | None = None,
    collusion: pd.Series | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """One row per company (see :data:`FEATURES`); ``collusion``: bidder risk by credit code (optional)."""
    comp = tables["companies"].drop_duplicates("company").set_index("company")
    out = pd.DataFrame(index=comp.index)
    out.index.name = "id"
    out["name"] = comp["name"]
    out["peer"] = "all"
    conf = _conflicts(tables)
    out["linked_to_buyer_staff"] = (
        conf.drop_duplicates(["unit", "company"]).groupby("company")["amount"].sum().reindex(out.index).fillna(0.0)
    )
    prem = _pair_premium(tables["contracts"], _ratios(tables), by="company")
    out["price_premium"] = prem.reindex(out.index).fillna(1.0).clip(lower=1.0)
    con = tables["contracts"]
    out["units_paying"] = con.groupby("company")["unit"].nunique().reindex(out.index).fillna(0).astype(float)
    out["contract_amount"] = con.groupby("company")["amount"].sum().reindex(out.index).fillna(0.0)
    b = tables["bidders"]
    nb = b.groupby("company").size()
    nw = b[b["is_winner"].fillna(False).astype(bool)].groupby("company").size()
    out["win_rate"] = (nw.reindex(nb.index).fillna(0) / nb).where(nb >= 3).reindex(out.index).fillna(0.0)
    t = tables["tenders"]
    sb = t[(t["bids"] == 1) & t["winner"].notna()].groupby("winner").size()
    out["single_bid_wins"] = sb.reindex(out.index).fillna(0).astype(float)
    pairs = b[["tender", "company"]].merge(b[["tender", "company"]], on="tender")
    pairs = pairs[pairs["company_x"] != pairs["company_y"]]
    out["co_bidders"] = pairs.groupby("company_x")["company_y"].nunique().reindex(out.index).fillna(0).astype(float)
    if collusion is not None and len(collusion):
        out["collusion_exposure"] = collusion.reindex(out.index).fillna(0.0)
    else:
        out["collusion_exposure"] = 0.0
    return _add_warnings(out, warning_counts(warnings, tables, "company"), "company")


_BUILDERS = {"unit": unit_features, "person": person_features, "company": company_features}


def __getattr__(name: str):
    # GraphFeatures is a scikit-learn transformer and importing scikit-learn takes a second or more (it imports
    # scipy.stats): it lives in graphkit.risk.transformer and is imported when asked for, so that a portrait
    # drawn from the ranking's kept scores (graphkit.risk.portrait) never imports scikit-learn
    if name == "GraphFeatures":
        from graphkit.risk.transformer import GraphFeatures

        return GraphFeatures
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
