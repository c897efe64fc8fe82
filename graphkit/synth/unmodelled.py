"""Schemes that no collision model describes, planted to measure anomaly scoring (``graphkit.risk``).

Four families, each with look-alike decoys, recorded in ``truth.json`` with ``"modelled": false``:

* ``consultancy_kickback`` — a unit's staff member has a relative who owns a holding company that holds a
  consultancy run by a nominee (staff → FAMILY → relative → SHAREHOLDER_OF → holding → SHAREHOLDER_OF →
  consultancy: three hops); the unit pays the consultancy through 3-5 direct service contracts. No tender
  is involved, so no relative-wins-tender model sees it.  Decoy: the same structure, paid by a unit where
  nobody within two family ties of the relative works.
* ``overpriced_supplier`` — a unit buys one kind of service from one supplier 3-5 times at 3.5-6 × what
  units pay for that kind of service directly (every contract stays below the split-contract band).
  Decoy: a large unit buying the same kind of service from one supplier 6-9 times at ordinary prices.
* ``ghost_consultant`` — a person with no post, no company and no contract is paid 服务费 by 3-5 units
  that do not employ him.  Decoy: a consultant who runs a consultancy that holds a contract with each unit
  that pays him (a contract per payment).
* ``fuel_excess`` — an official car's card fills 1.6-2.2 × as often as its class, every fill ordinary
  (working day, fill window, local station, under the tank, the bound plate at the pump).  Decoy: a car
  that fills as often and whose GPS log shows as many more trips.

:func:`plant_unmodelled` runs after the modelled schemes are planted (and before contract invoices and
payments are derived from the contracts); :func:`plant_payments` runs after the payments table is built.
"""

from __future__ import annotations

import numpy as np

from .business import PROJ_LEN
from .plant import Planter, Skip, instances_per_scheme, plant_schemes
from .schemes.procurement import _other_issuer
from .welfare import PURPOSES
from .world import D0, D1, DECOY, NA32, PLANTED, YEAR, City, day_of

__all__ = ["UNMODELLED", "UNMODELLED_ZH", "plant_payments", "plant_unmodelled"]

#: the scheme families no model in ``queries/models/`` targets
UNMODELLED: tuple[str, ...] = ("consultancy_kickback", "overpriced_supplier", "ghost_consultant", "fuel_excess")
#: what a reader calls them (the models' ``title_zh`` names the modelled schemes)
UNMODELLED_ZH: dict[str, str] = {
    "consultancy_kickback": "单位向工作人员亲属间接控股的咨询公司直接发包服务（三跳，无招标）",
    "overpriced_supplier": "同一供应商同类服务价格远高于同类单位",
    "ghost_consultant": "无任职、无企业、无合同的人员领取多家单位服务费",
    "fuel_excess": "公务车加油频次远高于同类车辆",
}
SERVICES = 2  # business.CATS index of "services"


def _add(city: City, scheme: str, ents: list[tuple[str, object]], detail: dict, *, decoy: bool) -> None:
    rec = {"scheme": scheme, "entities": list(ents), "detail": dict(detail), "modelled": False}
    (city.truth.decoys if decoy else city.truth.instances).append(rec)


def _direct_safe(pl: Planter, u: int, extra: int) -> bool:
    """Adding ``extra`` direct contracts keeps the unit well below the direct-award-share model's band."""
    n, d = int(pl.n_contracts[u]), int(pl.n_direct[u])
    return (d + extra) / max(n + extra, 1) < 0.6 or n + extra < 12


def _service_day(pl: Planter) -> int:
    return pl.workday(D0 + 20, D1 - 200)


def _clean_company(pl: Planter, cat: int, u: int) -> int:
    co = pl.c.companies
    return pl.sample(
        pl.pools[cat],
        lambda x: (
            int(co["_flag"][x]) == 0
            and x not in pl.used_c
            and (u, x) not in pl.conflicted
            and (u, x) not in pl.contracted
            and int(co["reg"][x]) < D0 - 60
        ),
    )


# -- consultancy kickback ----------------------------------------------------------------------------------------
def s_consultancy_kickback(pl: Planter, decoy: bool) -> None:
    """Staff → relative → holding company → consultancy paid by the staff member's unit (three hops)."""
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    o, u = pl.official("consultancy_kickback", roles=("official", "staff"))
    r, rel = pl.relative(o, rels=("spouse", "sibling", "child"), flag=flag, lo=25, hi=66)
    reg_h = int(day_of("2021-06-30") - rng.uniform(1, 6) * YEAR)
    keeper = pl.person(30, 65)
    holding = pl.company(rep=keeper, cat="other", flag=flag, reg=reg_h, holders=[(r, 100.0)])
    nominee = pl.person(28, 62)
    pct = round(float(rng.uniform(70, 95)), 2)
    consult = pl.company(
        rep=nominee, cat="services", flag=flag, reg=reg_h + int(rng.integers(60, 400)), holders=[(nominee, 100 - pct)]
    )
    pl.c.shareholders.add(flag=flag, company=consult, htype=1, holder=holding, pct=pct)
    payer = _other_issuer(pl, u, near=r) if decoy else u
    n = int(rng.integers(3, 6))
    if not _direct_safe(pl, payer, n):
        raise Skip("unit would reach the direct-award band")
    proj = int(rng.integers(PROJ_LEN[SERVICES]))
    ents: list[tuple[str, object]] = [
        ("person", o),
        ("person", r),
        ("person", nominee),
        ("company", holding),
        ("company", consult),
        ("unit", payer),
    ]
    amounts = []
    for _ in range(n):
        a = round(float(np.exp(rng.normal(np.log(1.8e5), 0.35))), 2)
        a = min(a, 6.0e5)
        amounts.append(a)
        ents.append(
            ("contract", pl.direct_contract(payer, consult, a, _service_day(pl), flag=flag, cat=SERVICES, proj=proj))
        )
    detail = {
        "relationship": rel,
        "hops": 3,
        "path": "staff-FAMILY-relative-SHAREHOLDER_OF-holding-SHAREHOLDER_OF-consultancy",
    }
    detail["holding_percent"] = pct
    detail["amounts"] = amounts
    if decoy:
        ents.append(("unit", u))
        detail["decoy"] = "paid by another unit"
    _add(pl.c, "consultancy_kickback", ents, detail, decoy=decoy)


# -- overpriced supplier -----------------------------------------------------------------------------------------
def _service_median(pl: Planter) -> float:
    con = pl.c.contracts
    m = (con["tender"] < 0) & (con["cat"] == SERVICES) & (con["_flag"] == 0)
    return float(np.median(con["amount"][m])) if m.any() else 1.2e5


def s_overpriced_supplier(pl: Planter, decoy: bool) -> None:
    """One supplier paid several times well above what units pay for the same kind of service."""
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    n = int(rng.integers(6, 10)) if decoy else int(rng.integers(3, 6))
    staff = pl.c.extra.setdefault("unmodelled_staff", np.bincount(pl.c.roster["unit"], minlength=len(pl.c.units)))
    big = np.quantile(staff[pl.issuers], 0.75)
    u = pl.unit_once(
        "overpriced_supplier",
        pl.issuers,
        lambda x: _direct_safe(pl, x, n) and (staff[x] >= big if decoy else True),
    )
    comp = _clean_company(pl, SERVICES, u)
    pl.used_c.add(comp)
    proj = int(rng.integers(PROJ_LEN[SERVICES]))
    med = _service_median(pl)
    factor = 1.0 if decoy else float(rng.uniform(3.5, 6.0))
    ents: list[tuple[str, object]] = [("unit", u), ("company", comp), ("person", int(pl.c.companies["rep"][comp]))]
    amounts = []
    for _ in range(n):
        a = med * factor * float(np.exp(rng.normal(0, 0.3 if decoy else 0.12)))
        a = round(float(np.clip(a, 2e4, 8.2e5)), 2)
        amounts.append(a)
        ents.append(("contract", pl.direct_contract(u, comp, a, _service_day(pl), flag=flag, cat=SERVICES, proj=proj)))
    _add(
        pl.c,
        "overpriced_supplier",
        ents,
        {"category_median": round(med, 2), "factor": round(factor, 2), "amounts": amounts},
        decoy=decoy,
    )


# -- fuel excess -------------------------------------------------------------------------------------------------
def s_fuel_excess(pl: Planter, decoy: bool) -> None:
    """Many more ordinary fills than the car's class; the decoy's GPS log shows the extra driving."""
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    taken = c.extra.setdefault(
        "unmodelled_cards_taken", set(np.unique(c.fuel_tx["card"][c.fuel_tx["_flag"] != 0]).tolist())
    )
    per_card = c.extra.setdefault("unmodelled_fills", np.bincount(c.fuel_tx["card"], minlength=len(c.fuel_cards)))
    card, v, u = pl.card("fuel_excess", kinds=("official",), pred=lambda i, v, u: i not in taken)
    taken.add(card)
    base = int(per_card[card])
    extra = int(round(base * float(rng.uniform(0.6, 1.2)))) + 8
    cap = float(c.vehicles["cap"][v])
    ents: list[tuple[str, object]] = [("card", card), ("vehicle", v), ("unit", u)]
    for _ in range(extra):
        d = pl.free_day(v, no_stops=True)
        litres = round(cap * float(rng.uniform(0.45, 0.85)), 2)
        pl.tx(card, pl.fill_time(d), pl.station(u), litres, flag=flag, plate=v)
    if decoy:  # the extra driving shows in the GPS log: ordinary stops on working days, in office hours
        office = c.extra["office_place"]
        for _ in range(2 * extra):
            d = pl.workday()
            t = d * 86400 + int(rng.integers(9 * 3600, 15 * 3600))
            place = int(office[int(rng.integers(len(office)))])
            pl.stop(v, place, t, float(np.exp(rng.normal(np.log(50), 0.5)).clip(10, 90)), flag=flag)
    _add(c, "fuel_excess", ents, {"fills_before": base, "extra_fills": extra, "tank": cap}, decoy=decoy)


# -- ghost consultant (contracts now, payments after the payments table exists) ----------------------------------
def s_ghost_consultant(pl: Planter, decoy: bool) -> None:
    """Choose the consultant and the paying units; a decoy's consultancy gets a contract with each."""
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    person = pl.person(32, 66)
    k = int(rng.integers(3, 6))
    payers: list[int] = []
    for _ in range(k):
        payers.append(pl.sample(pl.hosts, lambda x: x not in payers and _direct_safe(pl, x, 1)))
    plan = {"person": person, "payers": payers, "flag": flag, "contracts": [], "company": None}
    if decoy:
        reg = int(day_of("2021-01-01") - rng.uniform(1, 8) * YEAR)
        firm = pl.company(rep=person, cat="services", flag=flag, reg=reg)
        plan["company"] = firm
        for u in payers:
            a = round(float(rng.uniform(2e4, 8e4)), 2)
            plan["contracts"].append(pl.direct_contract(u, firm, a, _service_day(pl), flag=flag, cat=SERVICES))
    c.extra.setdefault("ghost_plan", []).append(plan)


def plant_payments(city: City) -> None:
    """Add the ghost consultants' payments (after ``build_payments``) and record their truth."""
    rng = city.rng
    pm = city.payments
    con = city.contracts
    fee = PURPOSES.index("服务费")
    for plan in city.extra.pop("ghost_plan", []):
        flag = plan["flag"]
        ents: list[tuple[str, object]] = [("person", plan["person"])]
        if plan["company"] is not None:
            ents.append(("company", plan["company"]))
        total = 0.0
        for j, u in enumerate(plan["payers"]):
            if plan["contracts"]:
                ci = plan["contracts"][j]
                amounts = [float(con["amount"][ci])]
                days = [min(int(con["signed"][ci]) + int(rng.integers(10, 40)), D1)]
                ents.append(("contract", ci))
            else:
                m = int(rng.integers(1, 3))
                amounts = [round(float(rng.uniform(2e4, 8e4)), 2) for _ in range(m)]
                days = [int(d) for d in rng.choice(city.working, m)]
            rows = pm.add(
                flag=flag,
                ptype=np.full(len(amounts), 2, np.int8),
                payer=np.full(len(amounts), u, np.int32),
                qtype=np.zeros(len(amounts), np.int8),
                payee=np.full(len(amounts), plan["person"], np.int32),
                amount=np.round(amounts, 2),
                date=np.array(days, np.int32),
                purpose=np.full(len(amounts), fee, np.int8),
            )
            total += float(sum(amounts))
            ents.append(("unit", u))
            ents += [("payment", int(x)) for x in rows.tolist()]
        detail = {"paying_units": len(plan["payers"]), "total": round(total, 2)}
        if plan["company"] is not None:
            detail["decoy"] = "a consultancy with a contract per payment"
        _add(city, "ghost_consultant", ents, detail, decoy=flag == DECOY)


SCHEMES = {
    "consultancy_kickback": s_consultancy_kickback,
    "overpriced_supplier": s_overpriced_supplier,
    "fuel_excess": s_fuel_excess,
    "ghost_consultant": s_ghost_consultant,
}


def plant_unmodelled(city: City) -> dict[str, dict[str, int]]:
    """Plant every unmodelled scheme and its decoys (ghost consultants' payments come later); counts per scheme."""
    ft, fc = city.fuel_tx, city.fuel_cards
    tv = city.extra["tx_vehicle"]
    later = np.arange(
        len(tv), len(ft)
    )  # fills planted since the background: the plate at the pump, else the card's car
    plate = ft["plate"][later]
    veh = np.where(plate != NA32, plate, fc["vehicle"][ft["card"][later]])
    city.extra["tx_vehicle"] = np.concatenate([tv, veh.astype(tv.dtype)])
    pl = Planter(city)
    co = city.companies
    pl.used_c.update(np.flatnonzero(co["_flag"] != 0).tolist())
    pl.used[np.unique(city.roster["person"][city.roster["_flag"] != 0])] = True
    counts = plant_schemes(pl, SCHEMES, instances_per_scheme(city.scale, city.rate), extra_lists=("ghost_plan",))
    city.extra["plant_counts"].update(counts)
    return counts
