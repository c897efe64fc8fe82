"""Official vehicles and fuel cards: fuel over capacity, away from the GPS, on holidays, out of the city, non-fuel
goods, private plates; privileged vehicles on car-park whitelists; official cars at sensitive places.

Each ``s_*`` function plants one instance (``decoy=False``) or one look-alike decoy, or raises
:class:`~graphkit.synth.plant.Skip` when the city has no room for it.
"""

from __future__ import annotations

import math

import numpy as np

from .. import vocab as V
from ..people import K
from ..plant import (
    Planter,
    Skip,
    _cached,
    _dedupe,
    _iso,
)
from ..vehicles import new_vehicle, places_of
from ..world import (
    D0,
    D1,
    DECOY,
    PLANTED,
    day_of,
)


def _station_stop(pl: Planter, v: int, t: int, station: int, flag: int) -> int:
    return pl.stop(v, station, t - int(pl.rng.integers(60, 300)), float(pl.rng.uniform(5, 12)), flag=flag)


def s_fuel_over_capacity(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    card, v, u = pl.card("fuel_over_capacity")
    cap = float(pl.c.vehicles["cap"][v])
    ents = [("card", card), ("vehicle", v), ("unit", u)]
    litres_all = []
    for _ in range(int(rng.integers(1, 4))):
        t = pl.fill_time(pl.free_day(v))
        st = pl.station(u)
        litres = round(cap * (0.95 if decoy else float(rng.uniform(1.15, 1.6))), 2)
        litres_all.append(litres)
        ents.append(("txn", pl.tx(card, t, st, litres, flag=flag, plate=v)))
        _station_stop(pl, v, t, st, flag)
    pl.c.truth.add("fuel_over_capacity", ents, {"tank_capacity": cap, "litres": litres_all}, decoy=decoy)


def s_fuel_gps_mismatch(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    card, v, u = pl.card("fuel_gps_mismatch")
    cap = float(c.vehicles["cap"][v])
    ents = [("card", card), ("vehicle", v), ("unit", u)]
    d_unit = int(c.units["district"][u])
    for _ in range(int(rng.integers(1, 3))):
        t = pl.fill_time(pl.free_day(v))
        st = pl.station(u)
        st_d = int(c.places["district"][st])
        ents.append(("txn", pl.tx(card, t, st, cap * float(rng.uniform(0.4, 0.85)), flag=flag, plate=v)))
        others = [d for d in range(len(V.DISTRICTS)) if d not in (st_d, d_unit)]
        far = int(
            rng.choice(
                places_of(c, str(rng.choice(["site", "residential", "restaurant"])), district=int(rng.choice(others)))
            )
        )
        if decoy:
            _station_stop(pl, v, t, st, flag)
            ents.append(
                ("stop", pl.stop(v, far, t + int(rng.integers(45, 80)) * 60, float(rng.uniform(20, 60)), flag=flag))
            )
        else:
            ents.append(
                ("stop", pl.stop(v, far, t - int(rng.integers(-20, 25)) * 60, float(rng.uniform(40, 120)), flag=flag))
            )
    c.truth.add("fuel_gps_mismatch", ents, {"window_minutes": 30}, decoy=decoy)


def s_fuel_holiday(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    card, v, u = pl.card("fuel_holiday", kinds=("official",))
    cap = float(c.vehicles["cap"][v])
    hol = np.array([d for d in c.holidays.tolist() if (v, d) not in pl.nonwork_stop and not pl.has(pl.fill_keys, v, d)])
    days = rng.choice(hol, size=1 if decoy else int(rng.integers(3, 6)), replace=False)
    ents = [("card", card), ("vehicle", v), ("unit", u)]
    for d in sorted(days.tolist()):
        t = (
            int(d) * 86400 + int(rng.integers(int(12.5 * 3600), 15 * 3600))
            if decoy
            else pl.fill_time(int(d))
            if rng.random() < 0.5
            else int(d) * 86400 + int(rng.integers(9 * 3600, 18 * 3600))
        )
        st = pl.station(u)
        ents.append(("txn", pl.tx(card, t, st, cap * float(rng.uniform(0.5, 0.88)), flag=flag, plate=v)))
        if decoy:  # on duty: the car was at the office that day
            office = int(c.extra["office_place"][u])
            ents.append(
                (
                    "stop",
                    pl.stop(
                        v,
                        office,
                        int(d) * 86400 + 8 * 3600 + int(rng.integers(0, 1800)),
                        float(rng.uniform(60, 150)),
                        flag=flag,
                    ),
                )
            )
    c.truth.add("fuel_holiday", ents, {"dates": [_iso(int(d)) for d in sorted(days.tolist())]}, decoy=decoy)


def s_fuel_out_of_city(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    card, v, u = pl.card("fuel_out_of_city")
    cap = float(c.vehicles["cap"][v])
    cty = int(rng.integers(1, len(V.OTHER_CITIES) + 1))
    ents = [("card", card), ("vehicle", v), ("unit", u)]
    for _ in range(1 if decoy else int(rng.integers(2, 4))):
        if decoy:  # a business trip: GPS stops in that city the same day, then a fill on the way back
            day = pl.free_day(v, no_stops=True)
            cands = np.concatenate([places_of(c, "office", cty=cty), places_of(c, "restaurant", cty=cty)])
            for s in sorted(rng.integers(10 * 3600, 15 * 3600, 2).tolist()):
                ents.append(
                    ("stop", pl.stop(v, int(rng.choice(cands)), day * 86400 + s, float(rng.uniform(30, 90)), flag=flag))
                )
            t = day * 86400 + int(rng.integers(int(17.5 * 3600), 19 * 3600))
        else:
            t = pl.fill_time(
                pl.free_day(
                    v, _cached(pl.c, "not_holidays", lambda: np.setdiff1d(np.arange(D0, D1 + 1), pl.c.holidays))
                )
            )
        st = pl.station(cty=cty)
        ents.append(("txn", pl.tx(card, t, st, cap * float(rng.uniform(0.5, 0.88)), flag=flag, plate=v)))
        if decoy:
            _station_stop(pl, v, t, st, flag)
    c.truth.add("fuel_out_of_city", ents, {"city": V.OTHER_CITIES[cty - 1][0]}, decoy=decoy)


def s_fuel_non_fuel_goods(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    card, v, u = pl.card("fuel_non_fuel_goods")
    ents = [("card", card), ("vehicle", v), ("unit", u)]
    goods_all = []
    for _ in range(int(rng.integers(1, 3)) if decoy else int(rng.integers(2, 5))):
        t = pl.fill_time(pl.free_day(v))
        if decoy:
            goods, amount = "other", round(float(rng.uniform(30, 150)), 2)
        else:
            goods = str(rng.choice(["cigarettes", "food", "liquor"]))
            amount = round(
                float(
                    {
                        "cigarettes": rng.choice([450, 900, 1350, 230]) * 1.0,
                        "food": rng.uniform(120, 680),
                        "liquor": rng.choice([1499, 2998, 899, 599]) * 1.0,
                    }[goods]
                ),
                2,
            )
        goods_all.append(goods)
        ents.append(("txn", pl.tx(card, t, pl.station(u), None, flag=flag, plate=None, goods=goods, amount=amount)))
    pl.c.truth.add("fuel_non_fuel_goods", ents, {"goods": goods_all}, decoy=decoy)


def s_fuel_private_plate(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    vt = c.vehicles
    fleets = c.extra.get("fleets")
    if fleets is None:
        fleets = {}
        for x in np.flatnonzero((vt["otype"] == 2) & ~vt["ev"]).tolist():
            fleets.setdefault(int(vt["owner"][x]), []).append(x)
        c.extra["fleets"] = fleets
    card, v, u = pl.card(
        "fuel_private_plate",
        need_official=not decoy,
        pred=(lambda i, v_, u_: len(fleets.get(u_, [])) >= 2) if decoy else None,
    )
    ents = [("card", card), ("vehicle", v), ("unit", u)]
    detail = {}
    if decoy:
        fleet = [x for x in fleets.get(u, []) if x != v and x not in pl.used_v.setdefault("fuel_private_plate", set())]
        if not fleet:
            raise Skip("unit has a single vehicle")
        pv = int(rng.choice(fleet))
        pl.used_v["fuel_private_plate"].add(pv)
        detail["pump_vehicle"] = "another official vehicle of the unit"
    else:
        offs = [p for p in pl.staff_at[u] if not pl.used[p] and 25 <= pl.age[p] < 60]
        if not offs:
            raise Skip("no free official")
        o = int(rng.choice(offs))
        pl.used[o] = True
        owner = o
        if rng.random() < 0.4:
            owner, rel = pl.relative(o, flag=flag)
            ents.append(("person", owner))
            detail["owner"] = rel
        else:
            detail["owner"] = "official"
        pv = new_vehicle(c, flag=flag, kind="private", otype=0, owner=owner)
        ents.append(("person", o))
    ents.append(("vehicle", pv))
    cap = min(float(vt["cap"][pv]), float(vt["cap"][v]))
    for _ in range(int(rng.integers(2, 5))):
        t = pl.fill_time(pl.free_day(v))
        ents.append(("txn", pl.tx(card, t, pl.station(u), cap * float(rng.uniform(0.5, 0.85)), flag=flag, plate=pv)))
    c.truth.add("fuel_private_plate", ents, detail, decoy=decoy)


def s_privileged_vehicle(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    lots = pl.public_lots
    ents = []
    if decoy:
        v, u = pl.official_vehicle("privileged_vehicle")
        ents += [("vehicle", v), ("unit", u)]
        variant = "both"
        detail = {"vehicle": "official, registered to the unit"}
    else:
        o, u = pl.official("privileged_vehicle", kinds=tuple(range(len(K))))
        owner, rel = o, "official"
        if rng.random() < 0.4:
            owner, rel = pl.relative(o, flag=flag)
            ents.append(("person", owner))
        bw = [
            b
            for b in range(len(V.BRANDS))
            if V.BRANDS[b][0] in ("奥迪A6L", "宝马3系", "奔驰C级", "丰田凯美瑞", "大众帕萨特")
        ]
        v = new_vehicle(c, flag=flag, kind="private", otype=0, owner=owner, brand=int(rng.choice(bw)))
        ents += [("person", o), ("unit", u), ("vehicle", v)]
        variant = str(rng.choice(["whitelist", "exempt", "both"]))
        detail = {"owner": rel}
    lot = int(rng.choice(lots))
    if variant in ("whitelist", "both"):
        start = int(day_of("2022-03-01") + rng.integers(0, 700))
        c.whitelist.add(
            flag=flag,
            lot=lot,
            vehicle=v,
            start=start,
            end=start + int(rng.choice([365, 730])) - 1,
            approver=int(rng.integers(len(c.persons))),
        )
        ents.append(("lot", lot))
    if variant in ("exempt", "both"):
        for _ in range(int(rng.integers(2, 7))):
            lt = lot if (variant == "both" or rng.random() < 0.5) else int(rng.choice(lots))
            day = int(rng.integers(D0, D1))
            entry = day * 86400 + int(rng.integers(8 * 3600, 20 * 3600))
            dur = float(rng.uniform(60, 600))
            fee = min(math.ceil(dur / 60) * (3 + lt % 4), 50.0)
            ents.append(
                (
                    "record",
                    int(
                        c.parking.add(
                            flag=flag, lot=lt, vehicle=v, entry=entry, exit=entry + int(dur * 60), fee=fee, exempt=1
                        )[0]
                    ),
                )
            )
            ents.append(("lot", lt))
    detail["variant"] = variant
    c.truth.add("privileged_vehicle", _dedupe(ents), detail, decoy=decoy)


def s_vehicle_sensitive_place(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    v, u = pl.official_vehicle("vehicle_sensitive_place")
    variant = str(rng.choice(["holiday_sensitive_place", "out_of_city_holiday"]))
    ents = [("vehicle", v), ("unit", u)]
    if decoy:
        days = sorted({pl.free_day(v) for _ in range(int(rng.integers(2, 4)))})
    else:
        pool = c.holidays if variant == "holiday_sensitive_place" else c.nonworking
        pool = np.array([d for d in pool.tolist() if (v, d) not in pl.nonwork_stop and v * 100000 + d not in pl.busy])
        days = rng.choice(pool, size=int(rng.integers(2, 5)), replace=False).tolist()
    cty = int(rng.integers(1, len(V.OTHER_CITIES) + 1))
    cats = []
    for d in sorted(days):
        if variant == "holiday_sensitive_place":
            cat = str(rng.choice(["hotel", "scenic", "club"]) if not decoy else "hotel")
            place = int(rng.choice(places_of(c, cat)))
        else:
            cat = "out_of_city"
            place = int(
                rng.choice(
                    np.concatenate(
                        [
                            places_of(c, "hotel", cty=cty),
                            places_of(c, "scenic", cty=cty),
                            places_of(c, "restaurant", cty=cty),
                        ]
                    )
                )
            )
        cats.append(cat)
        if decoy:
            st = int(rng.integers(int(9.5 * 3600), 14 * 3600))
            dur = float(min(rng.uniform(60, 180), (16.9 * 3600 - st) / 60))
        else:
            st = int(rng.integers(10 * 3600, 21 * 3600))
            dur = float(rng.uniform(60, 300))
        ents.append(("stop", pl.stop(v, place, int(d) * 86400 + st, dur, flag=flag)))
    c.truth.add(
        "vehicle_sensitive_place",
        ents,
        {
            "variant": variant if not decoy else variant.replace("holiday", "working_day"),
            "dates": [_iso(int(d)) for d in sorted(days)],
            "categories": cats,
        },
        decoy=decoy,
    )
