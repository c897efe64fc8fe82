"""Vehicles, fuel cards and transactions, GPS places and stops, car parks."""

from __future__ import annotations

import numpy as np

from . import vocab as V
from .codes import PLATE_CHARS, unique_ints
from .people import K
from .world import D0, D1, NA32, REF, YEAR, City, Tab, day_of

__all__ = [
    "BRAND_NAMES",
    "FILL_WINDOWS",
    "GOODS",
    "PLACE_CATS",
    "PLATE_PREFIXES",
    "VEHICLE_KINDS",
    "build_fuel",
    "build_gps",
    "build_parking",
    "build_places",
    "build_vehicles",
    "fuel_price",
    "new_vehicle",
]

VEHICLE_KINDS = ["official", "private", "enforcement", "special"]
VK = {k: i for i, k in enumerate(VEHICLE_KINDS)}
OWNER_TYPES = ["person", "company", "organization"]
PLATE_PREFIXES = [V.PLATE_PREFIX] + [p for _, p, _, _ in V.OTHER_CITIES] + ["皖K", "皖N", "豫P", "鲁Q", "赣C"]
PLACE_CATS = list(V.PLACE_PATTERNS)
PC = {c: i for i, c in enumerate(PLACE_CATS)}
GOODS = ["fuel", "cigarettes", "food", "liquor", "other"]
BRAND_NAMES = [b for b, _, _, _ in V.BRANDS] + V.EV_BRANDS
BRAND_CAP = np.array([c for _, c, _, _ in V.BRANDS] + [np.nan] * len(V.EV_BRANDS))
_N_FUEL_BRANDS = len(V.BRANDS)
#: fill times (seconds of the day) of background transactions: early morning and evening
FILL_WINDOWS = ((int(6.83 * 3600), int(8.33 * 3600)), (int(17.5 * 3600), int(19.5 * 3600)))
#: background GPS stops start and end inside office hours
STOP_WINDOW = (9 * 3600, int(16.5 * 3600), int(16.92 * 3600))
ENFORCEMENT_FUNCS = {
    "城市管理局",
    "公安局",
    "交通运输局",
    "市场监督管理局",
    "生态环境局",
    "水务局",
    "农业农村局",
    "应急管理局",
    "自然资源和规划局",
}


def fuel_price(days: np.ndarray) -> np.ndarray:
    """Price of 92# petrol (元/升) on a day."""
    d = np.asarray(days, dtype=np.float64)
    return np.round(7.75 + 0.25 * np.sin(2 * np.pi * (d - D0) / 180.0) - np.where(d >= day_of("2024-01-01"), 0.1, 0), 2)


def _plate_bodies(rng: np.random.Generator, n: int, ev: np.ndarray) -> np.ndarray:
    """int64 codes of plate bodies (base 34 over PLATE_CHARS, 6 places; 5-char bodies use the low 5)."""
    letters = np.arange(10, 34)
    ch = np.where(rng.random((n, 5)) < 0.86, rng.integers(0, 10, (n, 5)), letters[rng.integers(0, 24, (n, 5))])
    too_many = (ch >= 10).sum(axis=1) > 2
    ch[too_many, :3] = rng.integers(0, 10, (int(too_many.sum()), 3))
    ch[ev] = rng.integers(0, 10, (int(ev.sum()), 5))
    code = np.zeros(n, dtype=np.int64)
    for j in range(5):
        code = code * 34 + ch[:, j]
    dj = np.where(rng.random(n) < 0.7, PLATE_CHARS.index("D"), PLATE_CHARS.index("F"))
    code = np.where(ev, dj * 34**5 + code, code)
    return code


def plate_key(prov, ev, body) -> np.ndarray:
    return (np.asarray(prov, np.int64) * 2 + np.asarray(ev, np.int64)) * 34**6 + np.asarray(body, np.int64)


def build_vehicles(city: City) -> None:
    rng = city.rng
    p = city.persons
    u = city.units
    age = (REF - p["birth"]) / YEAR
    owners_p = np.flatnonzero((age >= 20) & (age < 76) & (rng.random(len(p)) < 0.28))
    co = city.companies
    owners_c = np.flatnonzero(rng.random(len(co)) < 0.3)
    owners_c = np.concatenate([owners_c, owners_c[rng.random(len(owners_c)) < 0.3]])
    # unit fleets
    kind = u["kind"]
    func = u["func"]
    f = city.density
    r = city.roster
    staff = np.bincount(r["unit"][r["end"] == NA32], minlength=len(u)).astype(float)
    n_off = rng.poisson(
        f
        * np.where(
            np.isin(kind, [K["government"], K["party"], K["agency"], K["court"], K["procuratorate"], K["prison"]]),
            1.5 + 1.5 * (u["level"] == 0) + 0.1 * staff,
            0.0,
        )
    ) + (rng.random(len(u)) < np.where(np.isin(kind, [K["village"], K["school"], K["community"]]), 0.25, 0))
    is_enf = np.array([f in ENFORCEMENT_FUNCS for f in func]) | np.isin(
        kind, [K["court"], K["procuratorate"], K["prison"]]
    )
    n_enf = rng.poisson(f * np.where(is_enf, 3.0 + 0.2 * staff, 0.0))
    n_spec = rng.poisson(f * np.where(kind == K["hospital"], 2.0, 0.0))
    unit_owner = np.concatenate(
        [np.repeat(np.arange(len(u)), n_off), np.repeat(np.arange(len(u)), n_enf), np.repeat(np.arange(len(u)), n_spec)]
    )
    unit_kind = np.concatenate(
        [
            np.full(n_off.sum(), VK["official"]),
            np.full(n_enf.sum(), VK["enforcement"]),
            np.full(n_spec.sum(), VK["special"]),
        ]
    )
    n_pv, n_cv, n_uv = len(owners_p), len(owners_c), len(unit_owner)
    n = n_pv + n_cv + n_uv
    vkind = np.concatenate([np.full(n_pv + n_cv, VK["private"]), unit_kind]).astype(np.int8)
    otype = np.concatenate([np.zeros(n_pv), np.ones(n_cv), np.full(n_uv, 2)]).astype(np.int8)
    owner = np.concatenate([owners_p, owners_c, unit_owner]).astype(np.int32)
    # brands
    bw_priv = np.array([b[2] for b in V.BRANDS])
    bw_off = np.array([b[3] for b in V.BRANDS])
    ev = rng.random(n) < np.where(vkind == VK["private"], 0.12, 0.04)
    brand = np.where(
        vkind == VK["private"],
        rng.choice(len(bw_priv), size=n, p=bw_priv / bw_priv.sum()),
        rng.choice(len(bw_off), size=n, p=bw_off / bw_off.sum()),
    )
    special = vkind == VK["special"]
    brand[special] = np.where(
        rng.random(int(special.sum())) < 0.5, BRAND_NAMES.index("依维柯"), BRAND_NAMES.index("江铃全顺")
    )
    ev &= ~special
    brand = np.where(ev, _N_FUEL_BRANDS + rng.integers(0, len(V.EV_BRANDS), n), brand).astype(np.int16)
    cap = BRAND_CAP[brand]
    # plates: local 苏E, some migrants keep their home plate
    prov = np.zeros(n, dtype=np.int8)
    migrant = np.zeros(n, dtype=bool)
    migrant[:n_pv] = ~np.isin(p["region"][owners_p] // 10000, [3205])
    away = migrant & (rng.random(n) < 0.35)
    prov[away] = rng.integers(1, len(PLATE_PREFIXES), int(away.sum()))
    body = _plate_bodies(rng, n, ev)
    for _ in range(30):
        key = plate_key(prov, ev, body)
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        body[dup] = _plate_bodies(rng, int(dup.sum()), ev[dup])
    city.t["vehicles"] = Tab(prov=prov, ev=ev, body=body, kind=vkind, otype=otype, owner=owner, cap=cap, brand=brand)


def new_vehicle(
    city: City, *, flag: int, kind: str, otype: int, owner: int, brand: int | None = None, prov: int = 0
) -> int:
    """Append a vehicle with a fresh plate; returns its row."""
    rng = city.rng
    vt = city.vehicles
    if brand is None:
        bw = np.array([b[2] for b in V.BRANDS])
        brand = int(rng.choice(len(bw), p=bw / bw.sum()))
    taken = city.extra.get("plate_keys")
    if taken is None:
        taken = set(plate_key(vt["prov"], vt["ev"], vt["body"]).tolist())
        city.extra["plate_keys"] = taken
    ev = brand >= _N_FUEL_BRANDS
    while True:
        body = int(_plate_bodies(rng, 1, np.array([ev]))[0])
        k = int(plate_key(prov, ev, body))
        if k not in taken:
            taken.add(k)
            break
    return int(
        vt.add(
            flag=flag,
            prov=prov,
            ev=ev,
            body=body,
            kind=VK[kind],
            otype=otype,
            owner=owner,
            cap=BRAND_CAP[brand],
            brand=brand,
        )[0]
    )


def build_places(city: City) -> None:
    rng = city.rng
    u = city.units
    nU = len(u)
    roads = city.extra["roads"]
    tc = V.TRADE_CHARS
    rows: list[tuple[int, int, int, str, int]] = []  # (cat, city, district, name, unit)
    names: set[str] = set()

    def add(cat: str, cty: int, d: int, unit: int = -1):
        pat = V.PLACE_PATTERNS[cat][rng.integers(len(V.PLACE_PATTERNS[cat]))]
        dn = V.DISTRICTS[d][0] if (cty == 0 and d >= 0) else ""
        dn = dn[:-1] if len(dn) > 2 else dn
        for _ in range(30):
            nm = pat.format(
                u=u["name"][unit] if unit >= 0 else "",
                r=roads[rng.integers(len(roads))],
                t=tc[rng.integers(len(tc))] + tc[rng.integers(len(tc))],
                d=dn,
            )
            if cty > 0:
                nm = V.OTHER_CITIES[cty - 1][0][:-1] + nm if cat != "office" else nm
            if nm not in names:
                break
        names.add(nm)
        rows.append((PC[cat], cty, d, nm, unit))
        return len(rows) - 1

    office = np.zeros(nU, dtype=np.int32)
    for i in range(nU):
        d = int(u["district"][i])
        office[i] = add("office", 0, max(d, 0), i)
    nd = len(V.DISTRICTS)
    per = {
        "gas_station": max(3, nU // 60),
        "restaurant": max(3, nU // 40),
        "hotel": max(2, nU // 80),
        "scenic": max(1, nU // 250),
        "club": max(2, nU // 150),
        "site": max(3, nU // 30),
        "residential": max(3, nU // 30),
        "hospital": max(1, nU // 120),
        "parking": max(2, nU // 60),
    }
    for d in range(nd):
        for cat, k in per.items():
            for _ in range(k):
                add(cat, 0, d)
    for s in V.SCENIC_REAL:
        rows.append((PC["scenic"], 0, int(rng.integers(nd)), s, -1))
    for ci in range(1, len(V.OTHER_CITIES) + 1):
        for cat, k in (("gas_station", 3), ("office", 3), ("restaurant", 2), ("hotel", 2), ("scenic", 1)):
            for _ in range(k):
                if cat == "office":
                    what = ["住房和城乡建设局", "交通运输局", "会议中心", "人民政府"][rng.integers(4)]
                    rows.append((PC["office"], ci, -1, f"{V.OTHER_CITIES[ci - 1][0]}{what}", -1))
                else:
                    add(cat, ci, -1)
    city.t["places"] = Tab(
        cat=np.array([r[0] for r in rows], dtype=np.int8),
        city=np.array([r[1] for r in rows], dtype=np.int8),
        district=np.array([r[2] for r in rows], dtype=np.int8),
        name=np.array([r[3] for r in rows], dtype=object),
        unit=np.array([r[4] for r in rows], dtype=np.int32),
    )
    city.extra["office_place"] = office


def places_of(city: City, cat: str, *, cty: int = 0, district: int | None = None) -> np.ndarray:
    pl = city.places
    key = (cat, cty, district)
    cache = city.extra.setdefault("places_of", {})
    if key not in cache:
        m = (pl["cat"] == PC[cat]) & (pl["city"] == cty)
        if district is not None:
            m &= pl["district"] == district
        cache[key] = np.flatnonzero(m)
    return cache[key]


def _fill_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    (a0, a1), (b0, b1) = FILL_WINDOWS
    morning = rng.random(n) < 0.4
    return np.where(morning, rng.integers(a0, a1, n), rng.integers(b0, b1, n))


def build_fuel(city: City) -> None:
    rng = city.rng
    vt = city.vehicles
    u = city.units
    unit_v = np.flatnonzero(vt["otype"] == 2)
    fuelled = unit_v[~vt["ev"][unit_v]]
    bound = fuelled[rng.random(len(fuelled)) < 0.95]
    # unbound pool cards for some units with several vehicles
    per_unit = np.bincount(vt["owner"][fuelled], minlength=len(u))
    pool_units = np.flatnonzero((per_unit >= 2) & (rng.random(len(u)) < 0.2))
    card_unit = np.concatenate([vt["owner"][bound], pool_units]).astype(np.int32)
    card_veh = np.concatenate([bound, np.full(len(pool_units), NA32)]).astype(np.int32)
    nc = len(card_unit)
    no = 1000113200000000000 + unique_ints(rng, nc, 0, 10**9)
    status = np.zeros(nc, dtype=np.int8)
    city.t["fuel_cards"] = Tab(unit=card_unit, vehicle=card_veh, no=no.astype(np.int64), status=status)
    # transactions
    lam = np.where(card_veh >= 0, np.where(vt["kind"][np.maximum(card_veh, 0)] == VK["enforcement"], 36, 26), 20)
    k = rng.poisson(lam)
    card = np.repeat(np.arange(nc), k)
    m = len(card)
    work = city.working
    day = work[rng.integers(0, len(work), m)].astype(np.int64)
    t = day * 86400 + _fill_seconds(rng, m)
    # which vehicle is at the pump
    veh = card_veh[card].copy()
    pool_tx = np.flatnonzero(veh < 0)
    if len(pool_tx):
        fleet = {}
        for v in fuelled:
            fleet.setdefault(int(vt["owner"][v]), []).append(int(v))
        uu = card_unit[card[pool_tx]]
        veh[pool_tx] = [fleet[int(x)][rng.integers(len(fleet[int(x)]))] for x in uu]
    # station: usually in the unit's district
    ud = u["district"][card_unit[card]].astype(np.int64)
    ud = np.where(ud < 0, rng.integers(0, len(V.DISTRICTS), m), ud)
    local = rng.random(m) < 0.7
    ud = np.where(local, ud, rng.integers(0, len(V.DISTRICTS), m))
    st_by_d = [places_of(city, "gas_station", district=d) for d in range(len(V.DISTRICTS))]
    station = np.array([0] * m, dtype=np.int32)
    r = rng.random(m)
    for d in range(len(V.DISTRICTS)):
        sel = ud == d
        station[sel] = st_by_d[d][(r[sel] * len(st_by_d[d])).astype(np.int64)]
    # one fill per vehicle and day
    key = veh.astype(np.int64) * 100000 + day
    _, first = np.unique(key, return_index=True)
    keep = np.sort(first)
    card, day, t, veh, station = card[keep], day[keep], t[keep], veh[keep], station[keep]
    m = len(card)
    cap = vt["cap"][veh]
    litres = np.round(cap * rng.uniform(0.35, 0.88, m), 2)
    amount = np.round(litres * fuel_price(day), 2)
    goods = np.zeros(m, dtype=np.int8)
    other = rng.random(m) < 0.02
    goods[other] = GOODS.index("other")
    litres[other] = np.nan
    amount[other] = np.round(rng.uniform(20, 200, int(other.sum())), 2)
    pump_plate = np.where(rng.random(m) < 0.92, veh, NA32).astype(np.int32)
    city.t["fuel_tx"] = Tab(
        card=card.astype(np.int32), time=t, station=station, litres=litres, amount=amount, goods=goods, plate=pump_plate
    )
    city.extra["tx_vehicle"] = veh  # the vehicle really fuelled (for GPS at the station)


def build_gps(city: City) -> None:
    rng = city.rng
    vt = city.vehicles
    gps_v = np.flatnonzero(vt["otype"] == 2)
    nv = len(gps_v)
    k = rng.poisson(50, nv)
    veh = np.repeat(gps_v, k)
    m = len(veh)
    work = city.working
    day = work[rng.integers(0, len(work), m)].astype(np.int64)
    s0, s1, s_end = STOP_WINDOW
    start = rng.integers(s0, s1, m)
    dur = np.exp(rng.normal(np.log(60), 0.7, m)).clip(10, None)
    dur = np.minimum(dur, (s_end - start) / 60.0)
    dur = np.round(dur, 1)
    unit = vt["owner"][veh]
    office = city.extra["office_place"]
    ud = city.units["district"][unit].astype(np.int64)
    ud = np.where(ud < 0, 0, ud)
    choice = rng.choice(8, size=m, p=[0.35, 0.2, 0.15, 0.08, 0.07, 0.05, 0.04, 0.06])
    place = office[unit].copy()
    other_off = office[rng.integers(0, len(office), m)]
    place = np.where(choice == 1, other_off, place)
    r = rng.random(m)
    for ci, cat in ((2, "site"), (3, "restaurant"), (4, "residential"), (5, "hospital"), (6, "hotel"), (7, "parking")):
        for d in range(len(V.DISTRICTS)):
            sel = (choice == ci) & (ud == d)
            cands = places_of(city, cat, district=d)
            if len(cands) == 0:
                cands = places_of(city, cat)
            place[sel] = cands[(r[sel] * len(cands)).astype(np.int64)]
    gps = Tab(vehicle=veh.astype(np.int32), place=place.astype(np.int32), time=day * 86400 + start, dur=dur)
    # stops at the station while fuelling
    tx = city.fuel_tx
    txv = city.extra["tx_vehicle"]
    fuel = (tx["goods"] == 0) & (rng.random(len(tx)) < 0.6)
    gps.add(
        vehicle=txv[fuel],
        place=tx["station"][fuel],
        time=tx["time"][fuel] - rng.integers(60, 360, int(fuel.sum())),
        dur=np.round(rng.uniform(5, 12, int(fuel.sum())), 1),
    )
    # business trips to other cities on working days (no routine stops in the city that day)
    off_v = gps_v[vt["kind"][gps_v] == VK["official"]]
    trips = off_v[rng.random(len(off_v)) < 0.04]
    trip_days = work[rng.integers(0, len(work), len(trips))].astype(np.int64)
    routine = gps["vehicle"].astype(np.int64) * 100000 + gps["time"] // 86400
    drop = np.isin(routine, trips.astype(np.int64) * 100000 + trip_days)
    if drop.any():
        keep = ~drop
        gps = Tab(**{k: gps[k][keep] for k in ("vehicle", "place", "time", "dur")})
    for v, d in zip(trips, trip_days, strict=True):
        ci = int(rng.integers(1, len(V.OTHER_CITIES) + 1))
        d = int(d)
        cands = np.concatenate([places_of(city, "office", cty=ci), places_of(city, "restaurant", cty=ci)])
        ns = int(rng.integers(2, 4))
        st = np.sort(rng.integers(10 * 3600, 15 * 3600, ns))
        gps.add(
            vehicle=np.full(ns, v),
            place=cands[rng.integers(0, len(cands), ns)],
            time=d * 86400 + st,
            dur=np.round(np.minimum(rng.uniform(30, 120, ns), (s_end - st) / 60.0), 1),
        )
    # holiday duty at the office
    duty = gps_v[rng.random(nv) < 0.015]
    hol = city.holidays
    dd = hol[rng.integers(0, len(hol), len(duty))].astype(np.int64)
    gps.add(
        vehicle=duty,
        place=office[vt["owner"][duty]],
        time=dd * 86400 + rng.integers(9 * 3600, 12 * 3600, len(duty)),
        dur=np.round(rng.uniform(30, 150, len(duty)), 1),
    )
    city.t["gps"] = gps


LOT_PATTERNS = ["{r}公共停车场", "{t}广场地下停车场", "{r}立体停车库", "{t}商业中心停车场", "{t}医院停车场"]


def build_parking(city: City) -> None:
    rng = city.rng
    u = city.units
    vt = city.vehicles
    roads = city.extra["roads"]
    tc = V.TRADE_CHARS
    n_pub = max(10, len(u) // 8)
    names, public, lot_unit = [], [], []
    for _ in range(n_pub):
        pat = LOT_PATTERNS[rng.integers(len(LOT_PATTERNS))]
        names.append(
            pat.format(r=roads[rng.integers(len(roads))], t=tc[rng.integers(len(tc))] + tc[rng.integers(len(tc))])
        )
        public.append(True)
        lot_unit.append(-1)
    unit_lots = np.flatnonzero(
        (u["level"] <= 1) & np.isin(u["kind"], [K["government"], K["court"], K["procuratorate"], K["party"]])
    )
    for i in unit_lots:
        names.append(f"{u['name'][i]}机关停车场")
        public.append(False)
        lot_unit.append(int(i))
    order = rng.permutation(len(names))
    lots = Tab(
        name=np.array(names, dtype=object)[order],
        public=np.array(public)[order],
        unit=np.array(lot_unit, dtype=np.int32)[order],
    )
    city.t["lots"] = lots
    pub_lots = np.flatnonzero(lots["public"])
    lot_of_unit = {int(x): i for i, x in enumerate(lots["unit"]) if x >= 0}
    # whitelists: unit lots list the unit's vehicles and staff's own cars; some unit vehicles at public lots
    unit_v = np.flatnonzero(vt["otype"] == 2)
    wl_lot, wl_veh = [], []
    for v in unit_v:
        lu = lot_of_unit.get(int(vt["owner"][v]))
        if lu is not None:
            wl_lot.append(lu)
            wl_veh.append(v)
    staff = city.roster
    active = staff["end"] == NA32
    pv = np.flatnonzero(vt["otype"] == 0)
    owner_to_v = dict(zip(vt["owner"][pv].tolist(), pv.tolist(), strict=True))
    for person, unit in zip(staff["person"][active], staff["unit"][active], strict=True):
        lu = lot_of_unit.get(int(unit))
        v = owner_to_v.get(int(person))
        if lu is not None and v is not None and rng.random() < 0.6:
            wl_lot.append(lu)
            wl_veh.append(v)
    legit_pub = unit_v[
        (rng.random(len(unit_v)) < 0.25)
        & np.isin(vt["kind"][unit_v], [VK["official"], VK["enforcement"], VK["special"]])
    ]
    wl_lot.extend(pub_lots[rng.integers(0, len(pub_lots), len(legit_pub))].tolist())
    wl_veh.extend(legit_pub.tolist())
    nw = len(wl_lot)
    start = (day_of("2022-01-01") + rng.integers(0, 900, nw)).astype(np.int32)
    end = (start + rng.choice([365, 730, 1095], nw) - 1).astype(np.int32)
    approver = rng.integers(0, len(city.persons), nw).astype(np.int32)
    city.t["whitelist"] = Tab(
        lot=np.array(wl_lot, dtype=np.int32),
        vehicle=np.array(wl_veh, dtype=np.int32),
        start=start,
        end=end,
        approver=approver,
    )
    # parking records at public lots
    n_rec = max(100, int(0.25 * city.scale))
    priv = np.flatnonzero(vt["kind"] == VK["private"])
    w = rng.pareto(1.5, len(priv)) + 1
    veh = priv[rng.choice(len(priv), size=n_rec, p=w / w.sum())]
    lot = pub_lots[rng.integers(0, len(pub_lots), n_rec)]
    day = rng.integers(D0, D1 + 1, n_rec).astype(np.int64)
    entry = day * 86400 + rng.integers(7 * 3600, 21 * 3600, n_rec)
    dur = np.exp(rng.normal(np.log(100), 0.9, n_rec)).clip(5, 720)
    rate = np.array([3, 4, 5, 6])[lot % 4]
    fee = np.where(dur <= 15, 0.0, np.minimum(np.ceil(dur / 60) * rate, 50.0))
    recs = Tab(
        lot=lot.astype(np.int32),
        vehicle=veh.astype(np.int32),
        entry=entry,
        exit=entry + (dur * 60).astype(np.int64),
        fee=fee,
        exempt=np.zeros(n_rec, dtype=np.int8),
    )
    # unit vehicles at public lots: free where whitelisted
    wl = city.whitelist
    pub_wl = np.isin(wl["lot"], pub_lots)
    pairs = list(zip(wl["vehicle"][pub_wl].tolist(), wl["lot"][pub_wl].tolist(), strict=True))
    n_off = max(10, int(0.02 * city.scale))
    ov = unit_v[rng.integers(0, len(unit_v), n_off)]
    ol = pub_lots[rng.integers(0, len(pub_lots), n_off)]
    if pairs:
        use = rng.random(n_off) < 0.5
        pick = rng.integers(0, len(pairs), n_off)
        ov = np.where(use, np.array([pairs[i][0] for i in pick]), ov)
        ol = np.where(use, np.array([pairs[i][1] for i in pick]), ol)
    listed = set(pairs)
    exempt = np.array([(int(a), int(b)) in listed for a, b in zip(ov, ol, strict=True)], dtype=np.int8)
    day = rng.choice(city.working, n_off).astype(np.int64)
    entry = day * 86400 + rng.integers(8 * 3600, 17 * 3600, n_off)
    dur = rng.uniform(20, 240, n_off)
    rate = np.array([3, 4, 5, 6])[ol % 4]
    recs.add(
        lot=ol,
        vehicle=ov,
        entry=entry,
        exit=entry + (dur * 60).astype(np.int64),
        fee=np.minimum(np.ceil(dur / 60) * rate, 50.0),
        exempt=exempt,
    )
    city.t["parking"] = recs
