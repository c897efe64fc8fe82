"""Welfare schemes: prisoners still paid, subsidies to the ineligible, village labour overpayment.

Each ``s_*`` function plants one instance (``decoy=False``) or one look-alike decoy, or raises
:class:`~graphkit.synth.plant.Skip` when the city has no room for it.
"""

from __future__ import annotations

import numpy as np

from .. import vocab as V
from ..people import POST_IDX, K, R
from ..plant import (
    Planter,
    Skip,
    _cached,
    _iso,
)
from ..vehicles import new_vehicle
from ..welfare import M0, M1, cadres_of, residents
from ..world import (
    D0,
    D1,
    DECOY,
    NA32,
    PLANTED,
    day_of,
    month_index,
    month_start,
)


def _benefit_rows(
    pl: Planter, person: int, kind: int, months: list[int], amount: float, unit: int, *, flag: int, approver: int = NA32
) -> list[int]:
    rows = pl.c.benefits.add(
        flag=flag,
        person=np.full(len(months), person),
        kind=kind,
        month=np.array(months, dtype=np.int32),
        amount=amount,
        unit=unit,
        approver=approver,
    )
    return rows.tolist()


def _prison(pl: Planter) -> int:
    prisons = _cached(pl.c, "prisons", lambda: np.flatnonzero(pl.c.units["kind"] == K["prison"]))
    return int(pl.rng.choice(prisons))


def s_prisoner_paid(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    ubf = c.extra["unit_by_func"]
    kind = str(rng.choice(["pension", "salary", "dibao"]))
    if kind == "pension":
        x = pl.person(62, 85)
        unit, amount, code = ubf[(-1, "人力资源和社会保障局")], round(float(rng.uniform(2000, 6000)), 2), 1
    elif kind == "salary":
        x = pl.person(30, 55)
        unit = pl.sample(pl.issuers, lambda u: True)
        c.roster.add(
            flag=flag,
            person=x,
            unit=unit,
            post=int(rng.choice(POST_IDX["staff"])),
            role=R["staff"],
            start=int(day_of("2008-01-01") + rng.integers(0, 3650)),
        )
        amount, code = round(float(rng.uniform(6000, 9000)), 2), 2
    else:
        x = pl.person(25, 65)
        d = int(c.units["district"][c.persons["res"][x]])
        unit, amount, code = ubf.get((d, "民政局"), ubf[(-1, "民政局")]), float(rng.integers(400, 1095)), 0
    months = list(range(M0, M1 + 1))
    fac = _prison(pl)
    if decoy:
        if rng.random() < 0.5:  # released before the payments started
            start = int(day_of("2019-01-01") + rng.integers(0, 900))
            end = int(day_of("2022-06-30") + rng.integers(0, 150))
        else:  # payments stopped when the person went in
            start = int(day_of("2024-01-01") + rng.integers(0, 300))
            end = NA32
            months = [m for m in months if month_start(np.array([m + 1]))[0] <= start]
        inside = []
    else:
        start = int(day_of("2022-06-01") + rng.integers(0, 640))
        end = NA32 if rng.random() < 0.5 else start + int(rng.integers(300, 900))
        e = D1 + 400 if end == NA32 else end
        inside = [m for m in months if month_start(np.array([m]))[0] > start and month_start(np.array([m + 1]))[0] <= e]
        if len(inside) < 2:
            raise Skip("custody too short")
    c.custody.add(flag=flag, person=x, facility=fac, start=start, end=end)
    if kind == "dibao":
        cad = cadres_of(c).get(int(c.persons["res"][x]), [])
        appr = int(rng.choice(cad)) if cad else NA32
    else:
        appr = NA32
    rows = _benefit_rows(pl, x, code, months, amount, unit, flag=flag, approver=appr)
    paid_inside = [r for r, m in zip(rows, months, strict=True) if m in set(inside)]
    ents = [("person", x), ("unit", fac)] + [("benefit", r) for r in paid_inside]
    c.truth.add(
        "prisoner_paid",
        ents,
        {
            "kind": kind,
            "custody_start": _iso(start),
            "custody_end": None if end == NA32 else _iso(end),
            "months_in_custody": len(paid_inside),
        },
        decoy=decoy,
    )


def _village(pl: Planter, tag: str, min_cadres: int = 1) -> int:
    cad = cadres_of(pl.c)
    off, _ = residents(pl.c)
    vill = _cached(pl.c, "villages_with_cadres", lambda: np.array(sorted(cad), dtype=np.int64))
    return pl.unit_once(tag, vill, lambda u: len(cad[u]) >= min_cadres and off[u + 1] - off[u] >= 1)


def _resident(pl: Planter, v: int, lo: float, hi: float) -> int:
    off, order = residents(pl.c)
    arr = order[off[v] : off[v + 1]]

    def ok(i):
        return pl.fresh_ok[i] and not pl.used[i] and lo <= pl.age[i] < hi

    try:
        x = pl.sample(arr, ok, tries=200)
    except Skip:
        x = pl.person(lo, hi)
        pl.c.persons["res"][x] = v
        pl.c.persons["head"][x] = x
    pl.used[x] = True
    return x


def s_subsidy_ineligible(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    cad = cadres_of(c)
    v = _village(pl, "subsidy")
    ubf = c.extra["unit_by_func"]
    d = int(c.units["district"][v])
    payer = ubf.get((d, "民政局"), ubf[(-1, "民政局")])
    variant = (
        "deregistered_company" if decoy else str(rng.choice(["owns_company", "owns_vehicle", "relative_of_approver"]))
    )
    approver = int(rng.choice(cad[v]))
    ents = []
    detail: dict = {"variant": variant}
    if variant == "relative_of_approver":
        if pl.used[approver]:
            raise Skip("approver used")
        x, rel = pl.relative(approver, ("sibling", "child", "spouse", "parent"), flag=flag, lo=20, hi=75)
        c.persons["res"][x] = v
        c.persons["head"][x] = x
        detail["relationship"] = rel
        ents.append(("person", approver))
    else:
        x = _resident(pl, v, 25, 70)
    if variant in ("owns_company", "deregistered_company"):
        reg = (
            int(day_of("2005-01-01") + rng.integers(0, 2500))
            if decoy
            else int(day_of("2015-01-01") + rng.integers(0, 2500))
        )
        co = pl.company(
            rep=x, cat=str(rng.choice(["goods", "other", "services"])), flag=flag, reg=reg, status=2 if decoy else 0
        )
        ents.append(("company", co))
    elif variant == "owns_vehicle":
        bw = [
            b
            for b in range(len(V.BRANDS))
            if V.BRANDS[b][0] in ("奥迪A6L", "宝马3系", "奔驰C级", "丰田普拉多", "大众帕萨特", "本田雅阁")
        ]
        ents.append(("vehicle", new_vehicle(c, flag=flag, kind="private", otype=0, owner=x, brand=int(rng.choice(bw)))))
    m_from = M0 + int(rng.integers(0, 12))
    months = list(range(m_from, min(M1, m_from + int(rng.integers(6, 19))) + 1))
    rows = _benefit_rows(pl, x, 0, months, float(rng.integers(500, 1095)), payer, flag=flag, approver=approver)
    ents = [("person", x), ("unit", v)] + ents + [("benefit", r) for r in rows]
    c.truth.add("subsidy_ineligible", ents, detail, decoy=decoy)


def _labour(pl: Planter, worker: int, village: int, start: int, days: int, *, flag: int, approver: int) -> int:
    rate = float(pl.rng.choice([180, 200, 220, 260]))
    return int(
        pl.c.labour.add(
            flag=flag,
            worker=worker,
            village=village,
            start=start,
            end=start + days - 1,
            days=float(days),
            amount=days * rate,
            approver=approver,
        )[0]
    )


def s_village_labour_overpay(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    cad = cadres_of(c)
    variant = str(rng.choice(["cadre_paid", "overlapping_days", "custody_worker"]))
    v = _village(pl, "labour")
    appr = int(rng.choice(cad[v]))
    ents = [("unit", v)]
    detail: dict = {
        "variant": variant
        if not decoy
        else {
            "cadre_paid": "former_cadre",
            "overlapping_days": "adjacent_days",
            "custody_worker": "released_before_work",
        }[variant]
    }
    months = rng.choice(np.arange(M0, M1 + 1), size=4, replace=False)
    if variant == "cadre_paid":
        if decoy:  # a cadre who left before the work
            w = _resident(pl, v, 40, 65)
            c.roster.add(
                flag=flag,
                person=w,
                unit=v,
                post=int(POST_IDX["village_cadre"][-1]),
                role=R["village_cadre"],
                start=int(day_of("2012-01-01") + rng.integers(0, 2000)),
                end=int(day_of("2021-06-01") + rng.integers(0, 500)),
            )
        else:
            free = [p for p in cad[v] if not pl.used[p] and pl.since.get((p, v), D1) < D1 - 120]
            if not free:
                raise Skip("no free cadre")
            w = int(rng.choice(free))
            pl.used[w] = True
            others = [p for p in cad[v] if p != w]
            appr = int(rng.choice(others)) if others else w
            first = max(int(month_index(np.array([pl.since[(w, v)]]))[0]) + 1, M0)
            months = rng.choice(np.arange(first, M1 + 1), size=min(4, M1 + 1 - first), replace=False)
        for m in months[: int(rng.integers(2, 5))]:
            ents.append(
                (
                    "labour",
                    _labour(
                        pl,
                        w,
                        v,
                        int(month_start(np.array([m]))[0] + rng.integers(0, 15)),
                        int(rng.integers(5, 14)),
                        flag=flag,
                        approver=appr,
                    ),
                )
            )
    elif variant == "overlapping_days":
        w = _resident(pl, v, 25, 68)
        s = int(month_start(np.array([months[0]]))[0] + rng.integers(0, 8))
        d1 = int(rng.integers(10, 18))
        v2 = v
        if rng.random() < 0.5:
            try:
                v2 = _village(pl, "labour2")
            except Skip:
                v2 = v
        a2 = int(rng.choice(cad[v2]))
        ents.append(("labour", _labour(pl, w, v, s, d1, flag=flag, approver=appr)))
        s2 = s + d1 if decoy else s + int(rng.integers(2, d1 - 2))
        ents.append(("labour", _labour(pl, w, v2, s2, int(rng.integers(6, 14)), flag=flag, approver=a2)))
        if v2 != v:
            ents.append(("unit", v2))
    else:
        w = _resident(pl, v, 25, 65)
        fac = _prison(pl)
        if decoy:
            cs, ce = int(day_of("2019-01-01") + rng.integers(0, 900)), int(day_of("2022-06-01") + rng.integers(0, 180))
        else:
            cs = int(day_of("2022-09-01") + rng.integers(0, 400))
            ce = NA32 if rng.random() < 0.5 else cs + int(rng.integers(400, 800))
        c.custody.add(flag=flag, person=w, facility=fac, start=cs, end=ce)
        ents.append(("unit", fac))
        hi_ = D1 - 20 if ce == NA32 else min(ce - 20, D1 - 20)
        lo_ = max(cs + 10, D0) if not decoy else D0
        if hi_ <= lo_:
            raise Skip("custody window too short")
        for _ in range(int(rng.integers(1, 4))):
            st = int(rng.integers(lo_, hi_))
            ents.append(
                (
                    "labour",
                    _labour(pl, w, v, st, int(rng.integers(3, 10)) if not decoy else 5, flag=flag, approver=appr),
                )
            )
    ents.insert(0, ("person", w))
    c.truth.add("village_labour_overpay", ents, detail, decoy=decoy)
