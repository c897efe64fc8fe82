"""Custody, benefits, village labour, receptions and invoices, hotline tickets, payments."""

from __future__ import annotations

import numpy as np

from . import vocab as V
from .business import STATUS_ACTIVE, C
from .codes import unique_ints
from .people import K, R
from .world import D0, D1, NA32, REF, YEAR, City, Tab, day_of, month_index, month_start

__all__ = [
    "BENEFIT_KINDS",
    "HOTLINE_STATUS",
    "INVOICE_CATS",
    "LETTER_ABBR",
    "M0",
    "M1",
    "PURPOSES",
    "build_benefits",
    "build_contract_invoices",
    "build_custody",
    "build_hotline",
    "build_labour",
    "build_payments",
    "build_receptions",
    "cadres_of",
    "ineligible_for_dibao",
    "residents",
]

BENEFIT_KINDS = ["dibao", "pension", "salary", "subsidy"]
HOTLINE_STATUS = ["open", "resolved", "unresolved"]
PURPOSES = ["合同款", "工程进度款", "货款", "差旅费报销", "劳务费", "工资", "服务费"]
INVOICE_CATS = ["餐饮服务", "建筑服务", "货物", "现代服务", "烟酒", "住宿服务"]
LETTER_ABBR = [
    "苏发改函",
    "苏建函",
    "苏交函",
    "宁政办函",
    "锡住建函",
    "沪建管函",
    "杭城管函",
    "苏财函",
    "常政办函",
    "苏民函",
    "通水函",
    "嘉政函",
]
M0 = int(month_index(np.array([D0]))[0])
M1 = int(month_index(np.array([D1]))[0])


def build_custody(city: City) -> None:
    rng = city.rng
    p = city.persons
    u = city.units
    age = (REF - p["birth"]) / YEAR
    roster_people = np.unique(city.roster["person"])
    cand = np.flatnonzero((age >= 20) & (age < 70))
    cand = cand[~np.isin(cand, roster_people)]
    n = max(5, int(0.0012 * city.scale))
    people = rng.choice(cand, size=min(n, len(cand)), replace=False).astype(np.int32)
    prisons = np.flatnonzero((u["kind"] == K["prison"]) & (u["func"] == "监狱"))
    jails = np.flatnonzero((u["kind"] == K["prison"]) & (u["func"] == "看守所"))
    start = rng.integers(day_of("2016-01-01"), day_of("2024-10-31"), len(people))
    length = (np.exp(rng.normal(np.log(2 * YEAR), 0.8, len(people)))).clip(100, 10 * YEAR).astype(np.int64)
    end = start + length
    open_ = end > day_of("2025-03-01")
    pre = (length > 365) & (rng.random(len(people)) < 0.3)
    t = Tab(
        person=people,
        facility=np.zeros(len(people), np.int32),
        start=start.astype(np.int32),
        end=np.where(open_, NA32, end).astype(np.int32),
    )
    fac = np.where(
        pre | (length > 365),
        prisons[rng.integers(0, len(prisons), len(people))],
        jails[rng.integers(0, len(jails), len(people))],
    )
    transfer = start + rng.integers(60, 300, len(people))
    t["facility"] = fac.astype(np.int32)
    t["start"] = np.where(pre, transfer + 1, start).astype(np.int32)
    t.add(
        person=people[pre],
        facility=jails[rng.integers(0, len(jails), int(pre.sum()))],
        start=start[pre].astype(np.int32),
        end=transfer[pre].astype(np.int32),
    )
    city.t["custody"] = t


def residents(city: City):
    """CSR of persons by residence unit."""
    if "residents" not in city.extra:
        res = city.persons["res"]
        o = np.argsort(res, kind="stable")
        off = np.zeros(len(city.units) + 1, dtype=np.int64)
        np.cumsum(np.bincount(res, minlength=len(city.units)), out=off[1:])
        city.extra["residents"] = (off, o)
    return city.extra["residents"]


def cadres_of(city: City) -> dict[int, list[int]]:
    """unit → active village cadres (person rows)."""
    if "cadres" not in city.extra:
        r = city.roster
        m = (r["role"] == R["village_cadre"]) & (r["end"] == NA32)
        d: dict[int, list[int]] = {}
        for person, unit in zip(r["person"][m].tolist(), r["unit"][m].tolist(), strict=True):
            d.setdefault(unit, []).append(person)
        city.extra["cadres"] = d
    return city.extra["cadres"]


def ineligible_for_dibao(city: City) -> np.ndarray:
    """Persons who must never get dibao in the background: company roles, vehicle owners, custody, E1."""
    n = len(city.persons)
    bad = city.extra["E1"].copy()
    bad[city.companies["rep"]] = True
    sh = city.shareholders
    bad[sh["holder"][sh["htype"] == 0]] = True
    bad[city.executives["person"]] = True
    vt = city.vehicles
    bad[vt["owner"][vt["otype"] == 0]] = True
    bad[city.custody["person"]] = True
    return bad[:n]


def _one(rng: np.random.Generator, people: list[int]) -> int:
    """A random member of ``people`` (NA when empty)."""
    return people[rng.integers(len(people))] if people else NA32


def _expand_months(rng, person, m_from, m_to):
    k = np.maximum(m_to - m_from + 1, 0)
    rows = np.repeat(np.arange(len(person)), k)
    month = m_from[rows] + (np.arange(len(rows)) - np.repeat(np.cumsum(k) - k, k))
    return rows, month


def build_benefits(city: City) -> None:
    rng = city.rng
    p = city.persons
    n = len(p)
    age = (REF - p["birth"]) / YEAR
    in_custody = np.zeros(n, dtype=bool)
    in_custody[city.custody["person"]] = True
    ubf = city.extra["unit_by_func"]
    city_mz = ubf[(-1, "民政局")]
    city_rs = ubf[(-1, "人力资源和社会保障局")]
    dist = city.units["district"][p["res"]]
    mz = np.array([ubf.get((d, "民政局"), city_mz) for d in range(len(V.DISTRICTS))])
    parts = []
    # 低保
    bad = ineligible_for_dibao(city)
    cand = np.flatnonzero(~bad & (age >= 18))
    nd = min(max(10, int(0.01 * n)), len(cand))
    rec = rng.choice(cand, size=nd, replace=False).astype(np.int32)
    m_from = np.maximum(M0 + rng.integers(-12, 24, nd), M0)
    m_to = np.minimum(m_from + rng.integers(6, 25, nd), M1)
    rows, month = _expand_months(rng, rec, m_from, m_to)
    base = np.round(rng.uniform(300, 1095, nd), 0)
    cad = cadres_of(city)
    appr = np.array([_one(rng, cad.get(int(x), [])) for x in p["res"][rec]], dtype=np.int32)
    parts.append(
        dict(
            person=rec[rows],
            kind=np.zeros(len(rows), np.int8),
            month=month.astype(np.int32),
            amount=base[rows],
            unit=mz[dist[rec[rows]]].astype(np.int32),
            approver=appr[rows],
        )
    )
    # pensions
    cand = np.flatnonzero((age >= 60) & ~in_custody)
    npn = min(int(0.03 * n), len(cand))
    rec = rng.choice(cand, size=npn, replace=False).astype(np.int32)
    rows, month = _expand_months(rng, rec, np.full(npn, M0), np.full(npn, M1))
    base = rng.uniform(2000, 6500, npn)
    amt = np.round(base[rows] * np.where(month >= M0 + 12, 1.03, 1.0), 2)
    parts.append(
        dict(
            person=rec[rows],
            kind=np.ones(len(rows), np.int8),
            month=month.astype(np.int32),
            amount=amt,
            unit=np.full(len(rows), city_rs, np.int32),
            approver=np.full(len(rows), NA32),
        )
    )
    # salaries of the roster
    r = city.roster
    s_m = np.maximum(month_index(r["start"]), M0)
    e_m = np.where(r["end"] == NA32, M1, np.minimum(month_index(np.where(r["end"] == NA32, D1, r["end"])), M1))
    rows, month = _expand_months(rng, r["person"], s_m, e_m)
    role = r["role"][rows]
    level = np.where(role == R["village_cadre"], 5500, np.where(role == R["staff"], 7000, 10000))
    pay = np.round(level * rng.uniform(0.9, 1.4, len(r))[rows], 2)
    parts.append(
        dict(
            person=r["person"][rows],
            kind=np.full(len(rows), 2, np.int8),
            month=month.astype(np.int32),
            amount=pay,
            unit=r["unit"][rows],
            approver=np.full(len(rows), NA32),
        )
    )
    # 高龄补贴, quarterly
    cand = np.flatnonzero((age >= 80) & ~in_custody & (rng.random(n) < 0.5))
    q_months = np.arange(M0 + 2, M1 + 1, 3)
    rows = np.repeat(np.arange(len(cand)), len(q_months))
    month = np.tile(q_months, len(cand))
    amt = np.where(age[cand] >= 90, 300.0, np.where(age[cand] >= 85, 200.0, 100.0)) * 3
    parts.append(
        dict(
            person=cand[rows].astype(np.int32),
            kind=np.full(len(rows), 3, np.int8),
            month=month.astype(np.int32),
            amount=amt[rows],
            unit=mz[dist[cand[rows]]].astype(np.int32),
            approver=np.full(len(rows), NA32),
        )
    )
    cols = {k: np.concatenate([pp[k] for pp in parts]) for k in parts[0]}
    city.t["benefits"] = Tab(**cols)


def build_labour(city: City) -> None:
    rng = city.rng
    p = city.persons
    age = (REF - p["birth"]) / YEAR
    cad = cadres_of(city)
    off, order = residents(city)
    ok_person = (age >= 25) & (age < 70)
    ok_person[np.unique(city.roster["person"])] = False
    ok_person[city.custody["person"]] = False
    villages = np.array(
        sorted(u for u in cad if city.units["kind"][u] in (K["village"], K["community"]) and off[u + 1] > off[u]),
        dtype=np.int64,
    )
    k = rng.poisson(16 * city.density, len(villages))
    vil = np.repeat(villages, k)
    m = len(vil)
    size = off[vil + 1] - off[vil]
    worker = order[off[vil] + (rng.random(m) * size).astype(np.int64)]
    month = rng.integers(M0, M1 + 1, m)
    keep = ok_person[worker]
    key = worker.astype(np.int64) * 1000 + (month - M0)
    _, first = np.unique(key, return_index=True)
    uniq = np.zeros(m, dtype=bool)
    uniq[first] = True
    keep &= uniq
    vil, worker, month = vil[keep], worker[keep], month[keep]
    m = len(vil)
    ms = month_start(month)
    start = ms + rng.integers(0, 18, m)
    days = rng.integers(2, 11, m)
    end = start + days - 1
    rate = rng.choice([150, 180, 200, 220, 260], m)
    appr = np.array([cad[int(v)][rng.integers(len(cad[int(v)]))] for v in vil], dtype=np.int32)
    city.t["labour"] = Tab(
        worker=worker.astype(np.int32),
        village=vil.astype(np.int32),
        start=start.astype(np.int32),
        end=end.astype(np.int32),
        days=days.astype(np.float64),
        amount=(days * rate).astype(np.float64),
        approver=appr,
    )


def build_receptions(city: City) -> None:
    rng = city.rng
    u = city.units
    co = city.companies
    host = np.flatnonzero(
        np.isin(u["kind"], [K["government"], K["party"], K["court"], K["procuratorate"], K["agency"]])
    )
    r = city.roster
    staff = np.bincount(r["unit"][r["end"] == NA32], minlength=len(u)).astype(float)
    k = rng.poisson(city.density * (4 + 0.3 * staff[host]))
    unit = np.repeat(host, k)
    m = len(unit)
    work = city.working
    day = work[rng.integers(0, len(work), m)].astype(np.int32)
    guests = rng.integers(3, 16, m)
    per = rng.uniform(60, 145, m)
    amount = np.round(guests * per, 2)
    restaurants = np.flatnonzero((co["cat"] == C["restaurant"]) & np.isin(co["status"], STATUS_ACTIVE))
    seller = restaurants[rng.integers(0, len(restaurants), m)].astype(np.int32)
    inv = Tab(seller=seller, buyer=unit.astype(np.int32), date=day, amount=amount, cat=np.zeros(m, dtype=np.int8))
    # officials who approve
    r = city.roster
    act = (r["end"] == NA32) & (r["role"] == R["official"])
    boss = {}
    for person, un in zip(r["person"][act].tolist(), r["unit"][act].tolist(), strict=True):
        boss.setdefault(un, []).append(person)
    appr = np.array([_one(rng, boss.get(int(x), [])) for x in unit], dtype=np.int32)
    year = (1970 + day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)).astype(np.int16)
    city.t["receptions"] = Tab(
        unit=unit.astype(np.int32),
        date=day,
        amount=amount,
        guests=guests.astype(np.int16),
        letter_abbr=rng.integers(0, len(LETTER_ABBR), m).astype(np.int8),
        letter_year=year,
        letter_n=rng.integers(1, 300, m).astype(np.int16),
        invoice=np.arange(m, dtype=np.int32),
        approver=appr,
    )
    city.t["invoices"] = inv


def build_contract_invoices(city: City) -> None:
    """One tax invoice per contract (run after planting, so planted contracts look like the others)."""
    rng = city.rng
    con = city.contracts
    nc = len(con)
    cat_of = np.array([INVOICE_CATS.index(x) for x in ("建筑服务", "货物", "现代服务")])
    ccat = cat_of[np.clip(con["cat"], 0, 2)]
    city.invoices.add(
        seller=con["company"],
        buyer=con["unit"],
        date=np.minimum(con["signed"].astype(np.int64) + rng.integers(20, 120, nc), D1).astype(np.int32),
        amount=con["amount"],
        cat=ccat.astype(np.int8),
        _flag=con["_flag"],
    )


def build_hotline(city: City) -> None:
    rng = city.rng
    p = city.persons
    u = city.units
    n = max(200, int(0.1 * city.scale))
    with_phone = np.flatnonzero(p["phone"] > 0)
    resident = rng.random(n) < 0.85
    caller = with_phone[rng.integers(0, len(with_phone), n)]
    phone = p["phone"][caller].copy()
    comm_units = np.flatnonzero(np.isin(u["kind"], [K["community"], K["village"]]))
    community = np.where(resident, p["res"][caller], comm_units[rng.integers(0, len(comm_units), n)])
    taken = p["phone"][with_phone]
    fresh = unique_ints(rng, n, 0, 10**8, exclude=None)
    fresh = np.array([139, 158, 187, 150, 133])[rng.integers(0, 5, n)] * 10**8 + fresh
    fresh = np.where(np.isin(fresh, taken), fresh + 1, fresh)
    phone = np.where(resident, phone, fresh)
    # background callers file at most one ticket per community
    key = phone.astype(np.int64) * 100000 + community
    _, first = np.unique(key, return_index=True)
    dup = np.ones(n, dtype=bool)
    dup[first] = False
    more = unique_ints(rng, int(dup.sum()), 0, 10**8)
    phone[dup] = 176 * 10**8 + more
    cat = rng.integers(0, len(V.HOTLINE_CATEGORIES), n).astype(np.int8)
    ubf = city.extra["unit_by_func"]
    parent = u["parent"][community]
    dist = u["district"][community]
    bureau_of_cat = [
        "城市管理局",
        "城市管理局",
        "住房和城乡建设局",
        "交通运输局",
        "城市管理局",
        "水务局",
        "民政局",
        "城市管理局",
        "城市管理局",
        "民政局",
        "住房和城乡建设局",
        "教育局",
    ]
    nd = len(V.DISTRICTS)
    table = np.array([[ubf.get((d, b), ubf[(-1, b)]) for b in bureau_of_cat] for d in range(-1, nd)])
    bureau = table[dist.astype(np.int64) + 1, cat]
    r = rng.random(n)
    handler = np.where(r < 0.35, community, np.where((r < 0.75) & (parent >= 0), parent, bureau)).astype(np.int32)
    day = rng.integers(D0, D1 + 1, n).astype(np.int64)
    t = day * 86400 + rng.integers(7 * 3600, 22 * 3600, n)
    status = rng.choice(3, size=n, p=[0.10, 0.72, 0.18]).astype(np.int8)
    status[(status == 0) & (day < D1 - 60)] = 1
    city.t["hotline"] = Tab(
        phone=phone.astype(np.int64),
        community=community.astype(np.int32),
        handler=handler,
        time=t,
        cat=cat,
        status=status,
    )


def build_payments(city: City) -> None:
    rng = city.rng
    con = city.contracts
    co = city.companies
    # contract installments: organisation → company
    nc = len(con)
    k = np.where(con["amount"] < 2e5, 1, rng.integers(2, 4, nc))
    rows = np.repeat(np.arange(nc), k)
    i = np.arange(len(rows)) - np.repeat(np.cumsum(k) - k, k)
    share = np.where(
        k[rows] == 1,
        1.0,
        np.where(k[rows] == 2, np.where(i == 0, 0.3, 0.7), np.choose(np.minimum(i, 2), [0.3, 0.6, 0.1])),
    )
    date = con["signed"][rows].astype(np.int64) + 15 + i * rng.integers(60, 150, len(rows))
    ok = date <= D1
    rows, share, date, i = rows[ok], share[ok], date[ok], i[ok]
    purpose = np.where(con["cat"][rows] == 0, np.where(i == 0, 0, 1), 0).astype(np.int8)
    parts = [
        dict(
            ptype=np.full(len(rows), 2, np.int8),
            payer=con["unit"][rows],
            qtype=np.ones(len(rows), np.int8),
            payee=con["company"][rows],
            amount=np.round(con["amount"][rows] * share, 2),
            date=date.astype(np.int32),
            purpose=purpose,
            _flag=con["_flag"][rows],
        )
    ]
    n = city.scale
    active = np.flatnonzero(np.isin(co["status"], STATUS_ACTIVE))
    m = max(20, int(0.03 * n))
    a = active[rng.integers(0, len(active), m)]
    b = active[rng.integers(0, len(active), m)]
    ok = a != b
    parts.append(
        dict(
            ptype=np.ones(ok.sum(), np.int8),
            payer=a[ok].astype(np.int32),
            qtype=np.ones(ok.sum(), np.int8),
            payee=b[ok].astype(np.int32),
            amount=np.round(np.exp(rng.normal(np.log(5e4), 1.0, ok.sum())).clip(1000, 2e6), 2),
            date=rng.integers(D0, D1 + 1, ok.sum()).astype(np.int32),
            purpose=np.full(ok.sum(), 2, np.int8),
            _flag=np.zeros(ok.sum(), np.int8),
        )
    )
    r = city.roster
    act = np.flatnonzero(r["end"] == NA32)
    m = min(max(20, int(0.02 * n)), 3 * len(act))
    pick = act[rng.integers(0, len(act), m)]
    parts.append(
        dict(
            ptype=np.full(m, 2, np.int8),
            payer=r["unit"][pick],
            qtype=np.zeros(m, np.int8),
            payee=r["person"][pick],
            amount=np.round(rng.uniform(200, 5000, m), 2),
            date=rng.choice(city.working, m).astype(np.int32),
            purpose=np.full(m, 3, np.int8),
            _flag=np.zeros(m, np.int8),
        )
    )
    si = city.social_insurance
    m = min(max(20, int(0.02 * n)), len(si))
    pick = rng.integers(0, len(si), m)
    parts.append(
        dict(
            ptype=np.ones(m, np.int8),
            payer=si["company"][pick],
            qtype=np.zeros(m, np.int8),
            payee=si["person"][pick],
            amount=np.round(rng.uniform(3000, 15000, m), 2),
            date=rng.integers(D0, D1 + 1, m).astype(np.int32),
            purpose=rng.choice([4, 5], m).astype(np.int8),
            _flag=np.zeros(m, np.int8),
        )
    )
    cols = {kk: np.concatenate([pp[kk] for pp in parts]) for kk in parts[0]}
    city.t["payments"] = Tab(**cols)
