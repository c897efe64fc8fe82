"""Conduct: judges' relatives practising in their courts, banquets without an official letter, hotline manipulation.

Each ``s_*`` function plants one instance (``decoy=False``) or one look-alike decoy, or raises
:class:`~graphkit.synth.plant.Skip` when the city has no room for it.
"""

from __future__ import annotations

import numpy as np

from .. import vocab as V
from ..business import (
    STATUS_ACTIVE,
    C,
)
from ..people import K
from ..plant import (
    LAWYER,
    Planter,
    _cached,
)
from ..welfare import residents
from ..world import (
    D0,
    D1,
    DECOY,
    NA32,
    PLANTED,
    YEAR,
    day_of,
)


def s_judge_relative_lawyer(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    j, court = pl.official("judge_relative_lawyer", kinds=(K["court"],), roles=("judge",), level=1)
    juris = str(c.units["juris"][court])
    r, rel = pl.relative(j, ("spouse", "child", "sibling", "parent"), flag=flag, lo=25, hi=66)
    codes = [code for _, code, _, _ in V.DISTRICTS]
    if decoy:
        if rng.random() < 0.5:
            region = str(rng.choice([x for x in codes if x != juris]))
        else:
            region = str(rng.choice([code for _, _, code, _ in V.OTHER_CITIES]))
    else:
        region = juris
    co = c.companies
    firms = _cached(
        c, "law_firms", lambda: np.flatnonzero((co["cat"] == C["law"]) & np.isin(co["status"], STATUS_ACTIVE))
    )
    by_region = _cached(
        c, "law_firms_by_region", lambda: {code: firms[co["district"][firms] == d] for d, code in enumerate(codes)}
    )
    local = by_region.get(region, [])
    firm = (
        int(rng.choice(local)) if len(local) else (int(rng.choice(firms)) if len(firms) and region in codes else NA32)
    )
    while True:
        no = int(rng.integers(10**6))
        if no not in pl.licence_nos:
            pl.licence_nos.add(no)
            break
    issued = int(max(day_of("2003-01-01"), c.persons["birth"][r] + 26 * YEAR) + rng.integers(0, 2000))
    issued = min(issued, day_of("2024-06-30"))
    lic = int(
        c.licences.add(
            flag=flag,
            person=r,
            kind=LAWYER,
            firm=firm,
            region=region,
            issued=issued,
            expiry=day_of("2025-05-31"),
            no=no,
        )[0]
    )
    ents = [("person", j), ("person", r), ("unit", court), ("licence", lic)]
    if firm >= 0:
        c.social_insurance.add(flag=flag, person=r, company=firm, start=issued)
        ents.append(("company", firm))
    c.truth.add(
        "judge_relative_lawyer", ents, {"relationship": rel, "jurisdiction": juris, "region": region}, decoy=decoy
    )


def s_banquet_no_letter(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    u = pl.sample(pl.hosts, lambda x: True)
    co = c.companies
    rest = _cached(
        c, "restaurants", lambda: np.flatnonzero((co["cat"] == C["restaurant"]) & np.isin(co["status"], STATUS_ACTIVE))
    )
    seller = int(rng.choice(rest))
    variant = "within_standard_with_letter" if decoy else str(rng.choice(["no_letter", "over_standard", "both"]))
    offs = pl.officials_at.get(u, [])
    appr = int(rng.choice(offs)) if offs else NA32
    ents = [("unit", u), ("company", seller)]
    per_guest = []
    for _ in range(int(rng.integers(1, 4))):
        day = pl.workday()
        guests = int(rng.integers(20, 31)) if decoy else int(rng.integers(3, 13))
        per = float(rng.uniform(120, 145)) if (decoy or variant == "no_letter") else float(rng.uniform(200, 600))
        amount = round(guests * per, 2)
        per_guest.append(round(per, 2))
        inv = int(c.invoices.add(flag=flag, seller=seller, buyer=u, date=day, amount=amount, cat=0)[0])
        no_letter = not decoy and variant in ("no_letter", "both")
        year = 1970 + int(np.datetime64(day, "D").astype("datetime64[Y]").astype(np.int64))
        rec = int(
            c.receptions.add(
                flag=flag,
                unit=u,
                date=day,
                amount=amount,
                guests=guests,
                letter_abbr=-1 if no_letter else int(rng.integers(0, 12)),
                letter_year=year,
                letter_n=int(rng.integers(1, 300)),
                invoice=inv,
                approver=appr,
            )[0]
        )
        ents += [("reception", rec), ("invoice", inv)]
    c.truth.add(
        "banquet_no_letter", ents, {"variant": variant, "per_guest": per_guest, "standard_per_guest": 150}, decoy=decoy
    )


def _tickets(pl: Planter, phone: int, community: int, statuses: list[int], *, flag: int) -> list[int]:
    rng = pl.rng
    c = pl.c
    n = len(statuses)
    day = rng.integers(D0, D1 - 60, n).astype(np.int64)
    t = day * 86400 + rng.integers(8 * 3600, 21 * 3600, n)
    parent = int(c.units["parent"][community])
    handler = np.where(rng.random(n) < 0.7, community, parent if parent >= 0 else community)
    return c.hotline.add(
        flag=flag,
        phone=np.full(n, phone, np.int64),
        community=community,
        handler=handler,
        time=t,
        cat=rng.integers(0, len(V.HOTLINE_CATEGORIES), n),
        status=np.array(statuses, dtype=np.int8),
    ).tolist()


def _background_tickets(pl: Planter, community: int, n: int) -> None:
    """Ordinary one-off tickets of a community (background: each caller once)."""
    rng = pl.rng
    if n <= 0:
        return
    pl.c.hotline.add(
        flag=0,
        phone=np.array([pl.fresh_phone() for _ in range(n)], dtype=np.int64),
        community=community,
        handler=community,
        time=rng.integers(D0, D1, n) * 86400 + rng.integers(8 * 3600, 21 * 3600, n),
        cat=rng.integers(0, len(V.HOTLINE_CATEGORIES), n),
        status=rng.choice(3, size=n, p=[0.05, 0.75, 0.20]),
    )


def s_hotline_manipulation(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    comms = _cached(c, "communities", lambda: np.flatnonzero(c.units["kind"] == K["community"]))
    k = pl.unit_once("hotline", comms)
    off, order = residents(c)
    callers = _cached(c, "hotline_callers", lambda: set(c.hotline["phone"].tolist()))
    who = order[off[k] : off[k + 1]]
    who = who[(c.persons["phone"][who] > 0) & ~pl.used[who]]
    phones_res = [ph for ph in c.persons["phone"][who].tolist() if ph not in callers]
    ents = [("unit", k)]
    if decoy:
        ph = phones_res[0] if phones_res else pl.fresh_phone()
        n = int(rng.integers(8, 13))
        statuses = rng.choice(3, size=n, p=[0.15, 0.5, 0.35]).tolist()
        statuses[0], statuses[1] = 2, 0
        rows = _tickets(pl, ph, k, statuses, flag=flag)
        ents += [("phone", ph)] + [("ticket", r) for r in rows]
        _background_tickets(pl, k, int(n * rng.uniform(4, 8)))
        c.truth.add("hotline_manipulation", ents, {"kind": "frequent genuine caller, mixed status"}, decoy=True)
        return
    n_ph = int(rng.integers(3, 5))
    phones = []
    total = 0
    for j in range(n_ph):
        ph = phones_res[j] if j < len(phones_res) and rng.random() < 0.5 else pl.fresh_phone()
        phones.append(ph)
        cnt = int(rng.integers(4, 10))
        total += cnt
        rows = _tickets(pl, ph, k, [1] * cnt, flag=flag)
        ents += [("phone", ph)] + [("ticket", r) for r in rows]
    existing = int(pl.n_tickets[k])
    share = float(rng.uniform(0.12, 0.3))
    want_other = int(total / share) - total
    if want_other > existing:
        _background_tickets(pl, k, want_other - existing)
    others = max(existing, want_other)
    c.truth.add(
        "hotline_manipulation",
        ents,
        {"phones": len(phones), "tickets": total, "share": round(total / (total + others), 3)},
        decoy=False,
    )
