"""Companies, shareholders, executives, social insurance, licences, tenders, bids, contracts."""

from __future__ import annotations

import numpy as np

from . import vocab as V
from .codes import credit_codes, unique_ints
from .people import RELS, UNIT_KINDS, K  # noqa: F401
from .world import D1, NA32, NA64, REF, YEAR, City, Tab, day_of

__all__ = [
    "CATS",
    "EXEC_TITLES",
    "METHODS",
    "SPARE_COMPANIES",
    "bid_identity",
    "build_companies",
    "build_company_people",
    "build_licences",
    "build_tenders",
    "new_company",
    "price_bids",
]

CATS = ["works", "goods", "services", "restaurant", "law", "agency", "other"]
C = {c: i for i, c in enumerate(CATS)}
METHODS = ["open", "invited", "direct"]
EXEC_TITLES = V.EXEC_TITLES + ["执行董事兼总经理"]
STATUS_ACTIVE = (0, 1)  # 存续, 在业
IND_CAT = np.array([C[c] for _, c, _ in V.INDUSTRIES], dtype=np.int8)
THRESHOLD = 1_000_000.0  # tender threshold (元)
PROJ_LEN = np.array([len(V.PROJECTS[c]) for c in ("works", "goods", "services")])


def SPARE_COMPANIES(scale: int) -> int:
    return 60 * max(1, round(5 * scale / 10000)) + 200


def _adults(city: City, lo: float, hi: float) -> np.ndarray:
    age = (REF - city.persons["birth"]) / YEAR
    return np.flatnonzero((age >= lo) & (age < hi))


def build_companies(city: City) -> None:
    rng = city.rng
    n_bg = max(200, city.scale // 20)
    n = n_bg + SPARE_COMPANIES(city.scale)
    iw = np.array([w for _, _, w in V.INDUSTRIES])
    ind = rng.choice(len(iw), size=n, p=iw / iw.sum()).astype(np.int8)
    cat = IND_CAT[ind]
    dshare = np.array([s for _, _, s, _ in V.DISTRICTS])
    district = rng.choice(len(dshare), size=n, p=dshare).astype(np.int8)
    # registration: skewed to recent years
    age_y = rng.exponential(6.0, n)
    age_y = np.where(age_y > 29, rng.uniform(5, 29, n), age_y)
    reg = (day_of("2024-09-30") - age_y * YEAR).astype(np.int32)
    status = rng.choice(4, size=n, p=[0.80, 0.10, 0.06, 0.04]).astype(np.int8)
    capital = np.round(np.exp(rng.normal(np.log(200), 1.0, n)) * np.where(cat == C["works"], 3, 1), 2).clip(3, 50000)
    nt = len(V.TRADE_CHARS)
    t1 = rng.integers(0, nt, n).astype(np.int8)
    t2 = rng.integers(0, nt, n).astype(np.int8)
    t3 = np.full(n, -1, dtype=np.int8)
    prefix = rng.choice(3, size=n, p=[0.4, 0.2, 0.4]).astype(np.int8)
    prefix[cat == C["law"]] = 1
    for _ in range(20):  # unique names
        key = (((prefix.astype(np.int64) * 64 + t1) * 64 + t2) * 64 + t3 + 1) * 64 + ind
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        t3[dup] = rng.integers(0, nt, int(dup.sum()))
        t2[dup] = rng.integers(0, nt, int(dup.sum()))
    # addresses: 20% registered at a business-park address shared by many companies
    n_parks = max(3, n // 150)
    park = np.where(rng.random(n) < 0.2, rng.integers(0, n_parks, n), -1).astype(np.int32)
    roads = city.extra["roads"]
    park_district = rng.choice(len(dshare), size=n_parks, p=dshare)
    park_addr = np.array(
        [
            f"{V.CITY}{V.DISTRICTS[park_district[i]][0]}{roads[rng.integers(len(roads))]}"
            f"{rng.integers(1, 600)}号{V.BUSINESS_PARKS[i % len(V.BUSINESS_PARKS)]}"
            for i in range(n_parks)
        ],
        dtype=object,
    )
    district = np.where(park >= 0, park_district[np.maximum(park, 0)], district).astype(np.int8)
    road = rng.integers(0, len(roads), n).astype(np.int16)
    # legal representatives: adults, never on the roster; some run several companies
    roster_people = np.unique(city.roster["person"])
    cand = _adults(city, 25, 70)
    cand = cand[~np.isin(cand, roster_people)]
    rep = cand[rng.integers(0, len(cand), n)].astype(np.int32)
    multi = rng.random(n) < 0.08
    rep[multi] = rep[rng.integers(0, n, int(multi.sum()))]
    # founded when the legal representative was an adult
    adult_at = city.persons["birth"][rep].astype(np.int64) + int(21 * YEAR)
    late = reg < adult_at
    reg[late] = np.minimum(adult_at[late] + rng.integers(0, 3 * 365, int(late.sum())), day_of("2024-09-30")).astype(
        np.int32
    )
    # phones: landline, or the legal representative's mobile
    unit_ph = city.units["phone"]
    land = unique_ints(rng, n, 50000000, 90000000, exclude=unit_ph)
    rep_phone = city.persons["phone"][rep]
    use_mobile = (rng.random(n) < 0.3) & (rep_phone > 0)
    phone = np.where(use_mobile, rep_phone, land)
    # credit codes: old organisation codes before 2016, "MA…" after
    new_style = reg >= day_of("2016-01-01")
    body = np.zeros((n, 9), dtype=np.int64)
    from .codes import CREDIT_ALPHABET_IDX

    vals = unique_ints(rng, n, 0, 31**7)
    body[:, 0] = CREDIT_ALPHABET_IDX["M"]
    body[:, 1] = CREDIT_ALPHABET_IDX["A"]
    v = vals.copy()
    for j in range(8, 1, -1):
        body[:, j] = v % 31
        v //= 31
    old = unique_ints(rng, n, 10**8, 8 * 10**8)
    for j in range(8, -1, -1):
        body[~new_style, j] = (old % 10)[~new_style]
        old //= 10
    head = np.tile(np.array([9, 1]), (n, 1))
    dcodes = np.array([int(c) for _, c, _, _ in V.DISTRICTS], dtype=np.int64)
    codes = credit_codes(head, dcodes[district], body)
    ip = unique_ints(rng, n, 0, 2**24)
    ip_net = np.array([58, 61, 114, 117, 121, 180, 218, 221, 222, 49], dtype=np.int64)
    ip = ip_net[rng.integers(0, len(ip_net), n)] * 2**24 + ip
    mac = unique_ints(rng, n, 2**40, 2**47)
    author = np.where(rng.random(n) < 0.4, rep, cand[rng.integers(0, len(cand), n)]).astype(np.int32)
    cols = dict(
        ind=ind,
        cat=cat,
        district=district,
        reg=reg,
        status=status,
        capital=capital,
        t1=t1,
        t2=t2,
        t3=t3,
        prefix=prefix,
        park=park,
        road=road,
        a=rng.integers(1, 999, n).astype(np.int16),
        b=rng.integers(1, 30, n).astype(np.int16),
        c=rng.integers(101, 2999, n).astype(np.int16),
        phone=phone.astype(np.int64),
        rep=rep,
        account=(3220000000000000000 + (np.arange(n, dtype=np.int64) * 2654435761 + 15485863) % 10**13),
        ip=ip,
        mac=mac,
        author=author,
        agent=rep.copy(),
        pool=np.arange(n, dtype=np.int32),
    )
    city.t["companies"] = Tab(**{k: v[:n_bg] for k, v in cols.items()})
    city.extra["company_spare"] = {k: v[n_bg:] for k, v in cols.items()}
    city.extra["company_spare_next"] = 0
    city.extra["company_id_pool"] = codes
    city.extra["park_addr"] = park_addr


def new_company(
    city: City,
    *,
    flag: int,
    rep: int | None = None,
    cat: str | None = None,
    district: int | None = None,
    reg: int | None = None,
    status: int = 0,
    **over,
) -> int:
    """Append a company from the spare pool (fresh, valid identifiers); returns its row."""
    sp = city.extra["company_spare"]
    i = city.extra["company_spare_next"]
    if i >= len(sp["pool"]):
        raise RuntimeError("spare company pool exhausted")
    city.extra["company_spare_next"] = i + 1
    row = {k: v[i] for k, v in sp.items()}
    if cat is not None:
        cands = np.flatnonzero(IND_CAT == C[cat])
        row["ind"] = cands[city.rng.integers(len(cands))]
        row["cat"] = C[cat]
    if district is not None:
        row["district"] = district
        row["park"] = -1
    if rep is not None:
        row["rep"] = rep
        row["author"] = rep
        row["agent"] = rep
        ph = city.persons["phone"][rep]
        if ph > 0 and city.rng.random() < 0.3:
            row["phone"] = ph
    if reg is not None:
        row["reg"] = reg
    row["status"] = status
    row.update(over)
    return int(city.companies.add(flag=flag, **row)[0])


def build_company_people(city: City) -> None:
    """Shareholders, executives and social-insurance employment of the background companies."""
    rng = city.rng
    co = city.companies
    n = len(co)
    roster_people = np.unique(city.roster["person"])
    cand = _adults(city, 22, 75)
    cand = cand[~np.isin(cand, roster_people)]
    # shareholders
    k = rng.choice([1, 2, 3, 4], size=n, p=[0.4, 0.35, 0.15, 0.10])
    comp = np.repeat(np.arange(n), k)
    pos = np.arange(len(comp)) - np.repeat(np.cumsum(k) - k, k)
    htype = np.zeros(len(comp), dtype=np.int8)
    holder = cand[rng.integers(0, len(cand), len(comp))].astype(np.int32)
    first = pos == 0
    is_rep_holder = first & (rng.random(len(comp)) < 0.85)
    holder[is_rep_holder] = co["rep"][comp[is_rep_holder]]
    # a few corporate / state shareholders
    r = rng.random(len(comp))
    corp = (pos > 0) & (r < 0.05)
    htype[corp] = 1
    holder[corp] = rng.integers(0, n, int(corp.sum()))
    holder[corp & (holder == comp)] = (holder[corp & (holder == comp)] + 1) % n
    state = (pos > 0) & (r > 0.985)
    htype[state] = 2
    gov_units = np.flatnonzero(np.isin(city.units["func"], ["财政局", "人民政府"]))
    holder[state] = gov_units[rng.integers(0, len(gov_units), int(state.sum()))]
    raw = rng.gamma(1.0, 1.0, len(comp)) + np.where(first, 1.5, 0.0)
    tot = np.bincount(comp, weights=raw, minlength=n)
    pct = np.round(raw / tot[comp] * 100, 2)
    # make each company's shares sum to exactly 100.00
    last = np.cumsum(k) - 1
    s = np.bincount(comp, weights=pct, minlength=n)
    pct[last] = np.round(pct[last] + (100 - s), 2)
    sh = Tab(company=comp.astype(np.int32), htype=htype, holder=holder, pct=pct)
    # de-duplicate (company, holder type, holder)
    key = (comp.astype(np.int64) * 3 + htype) * (len(city.persons) + n + 10) + holder
    _, keep = np.unique(key, return_index=True)
    if len(keep) < len(comp):
        keep = np.sort(keep)
        sh = Tab(**{c: sh[c][keep] for c in ("company", "htype", "holder", "pct")})
    city.t["shareholders"] = sh
    # executives: the legal representative plus a supervisor
    ex_comp = np.concatenate([np.arange(n), np.arange(n)])
    ex_person = np.concatenate([co["rep"], cand[rng.integers(0, len(cand), n)]]).astype(np.int32)
    ex_title = np.concatenate([np.full(n, len(EXEC_TITLES) - 1), np.full(n, EXEC_TITLES.index("监事"))]).astype(np.int8)
    more = np.flatnonzero(rng.random(n) < 0.25)
    ex_comp = np.concatenate([ex_comp, more])
    ex_person = np.concatenate([ex_person, cand[rng.integers(0, len(cand), len(more))]]).astype(np.int32)
    ex_title = np.concatenate(
        [ex_title, rng.choice([EXEC_TITLES.index(t) for t in ("副总经理", "财务负责人", "董事")], size=len(more))]
    ).astype(np.int8)
    ok = ~((np.arange(len(ex_comp)) >= n) & (ex_person == co["rep"][ex_comp]))
    city.t["executives"] = Tab(company=ex_comp[ok].astype(np.int32), person=ex_person[ok], title=ex_title[ok])
    # social insurance: ~12% of the population, heavy-tailed company sizes
    active = np.flatnonzero(np.isin(co["status"], STATUS_ACTIVE))
    size_w = rng.pareto(1.2, len(active)) + 1
    n_si = max(50, int(0.12 * city.scale))
    workers = _adults(city, 18, 60)
    workers = workers[~np.isin(workers, roster_people)]
    people = rng.choice(workers, size=min(n_si, len(workers)), replace=False).astype(np.int32)
    emp = active[rng.choice(len(active), size=len(people), p=size_w / size_w.sum())].astype(np.int32)
    birth = city.persons["birth"][people].astype(np.int64)
    lo = np.maximum.reduce(
        [co["reg"][emp].astype(np.int64), birth + int(18 * YEAR), np.full(len(people), day_of("2005-01-01"))]
    )
    hi = day_of("2024-10-31")
    start = (lo + rng.random(len(people)) * np.maximum(hi - lo, 1)).astype(np.int32)
    end = np.full(len(people), NA32, dtype=np.int32)
    changed = rng.random(len(people)) < 0.25
    span = hi - start.astype(np.int64)
    cut = (start + (rng.uniform(0.2, 0.9, len(people)) * span)).astype(np.int32)
    changed &= span > 120
    end[changed] = cut[changed]
    si = Tab(person=people, company=emp, start=start, end=end)
    idx = np.flatnonzero(changed)
    emp2 = active[rng.choice(len(active), size=len(idx), p=size_w / size_w.sum())].astype(np.int32)
    st2 = np.maximum(cut[idx].astype(np.int64) + rng.integers(10, 90, len(idx)), co["reg"][emp2]).astype(np.int32)
    ok = (emp2 != emp[idx]) & (st2 <= D1)
    si.add(person=people[idx][ok], company=emp2[ok], start=st2[ok])
    city.t["social_insurance"] = si
    # bid agent of each company: one of its insured employees, else the legal representative
    agent = co["agent"].copy()
    cur = np.flatnonzero(si["end"] == NA32)
    ce = si["company"][cur]
    u, firstpos = np.unique(ce, return_index=True)
    agent[u] = si["person"][cur][firstpos]
    co["agent"] = agent


def build_licences(city: City, excluded: np.ndarray) -> None:
    """Lawyers, basic legal workers and bid agents (``excluded`` people never hold one)."""
    rng = city.rng
    co = city.companies
    cand = _adults(city, 26, 65)
    cand = cand[~excluded[cand]]
    n_law = max(20, int(0.0008 * city.scale))
    n_agent = max(5, int(0.0002 * city.scale))
    n_bid = max(10, int(0.0004 * city.scale))
    total = n_law + n_agent + n_bid
    people = rng.choice(cand, size=min(total, len(cand)), replace=False).astype(np.int32)
    kind = np.concatenate([np.zeros(n_law), np.ones(n_agent), np.full(n_bid, 2)]).astype(np.int8)[: len(people)]
    firms = np.flatnonzero((co["cat"] == C["law"]) & np.isin(co["status"], STATUS_ACTIVE))
    agencies = np.flatnonzero((co["cat"] == C["agency"]) & np.isin(co["status"], STATUS_ACTIVE))
    firm = np.full(len(people), NA32, dtype=np.int32)
    if len(firms):
        m = kind == 0
        firm[m] = firms[rng.integers(0, len(firms), int(m.sum()))]
    if len(agencies):
        m = kind == 2
        firm[m] = agencies[rng.integers(0, len(agencies), int(m.sum()))]
    dcodes = np.array([c for _, c, _, _ in V.DISTRICTS], dtype=object)
    region = np.empty(len(people), dtype=object)
    has = firm >= 0
    region[has] = dcodes[co["district"][firm[has]]]
    region[~has] = dcodes[rng.integers(0, len(dcodes), int((~has).sum()))]
    away = (kind == 0) & (rng.random(len(people)) < 0.05)
    firm[away] = NA32
    others = np.array([c for _, _, c, _ in V.OTHER_CITIES], dtype=object)
    region[away] = others[rng.integers(0, len(others), int(away.sum()))]
    birth = city.persons["birth"][people].astype(np.int64)
    lo = np.maximum(birth + int(25 * YEAR), day_of("2000-01-01"))
    issued = (lo + rng.random(len(people)) * np.maximum(day_of("2024-06-30") - lo, 1)).astype(np.int32)
    expiry = np.full(len(people), day_of("2025-05-31"), dtype=np.int32)
    no = unique_ints(rng, len(people), 0, 10**6)
    city.t["licences"] = Tab(person=people, kind=kind, firm=firm, region=region, issued=issued, expiry=expiry, no=no)


# -- tenders, bids, contracts --------------------------------------------------------------------------------------


def issuer_weights(city: City) -> np.ndarray:
    kind = city.units["kind"]
    w = np.array(
        [
            {
                "government": 10,
                "agency": 8,
                "school": 2,
                "hospital": 3,
                "village": 1,
                "community": 0.5,
                "court": 0.5,
                "procuratorate": 0.5,
                "prison": 0.5,
                "party": 0.3,
                "other": 0.2,
            }[UNIT_KINDS[k]]
            for k in kind
        ]
    )
    w *= np.where(city.units["level"] == 0, 2.0, 1.0)
    w *= city.rng.gamma(1.5, 1.0, len(w))  # some units buy much more than others
    return w / w.sum()


def price_bids(
    rng: np.random.Generator, budget: np.ndarray, tender_of_bid: np.ndarray, base=None, sigma=None
) -> np.ndarray:
    """Competitive bids: tender-level discount, price spread CV 5-12%, never above the budget."""
    nt = len(budget)
    base = rng.uniform(0.78, 0.92, nt) if base is None else base
    sigma = rng.uniform(0.05, 0.10, nt) if sigma is None else sigma
    b = budget[tender_of_bid]
    mu = b * base[tender_of_bid]
    sd = sigma[tender_of_bid]
    price = mu * (1 + rng.normal(0, 1, len(tender_of_bid)) * sd)
    for _ in range(12):  # bids above the ceiling price are not admissible: draw again
        over = (price > b * 0.995) | (price < b * 0.5)
        if not over.any():
            break
        price[over] = mu[over] * (1 + rng.normal(0, 1, int(over.sum())) * sd[over])
    price = np.clip(price, b * 0.5, b * 0.995)
    return np.round(price, 2)


def rank_bids(
    rng: np.random.Generator, tender: np.ndarray, price: np.ndarray, budget: np.ndarray, noise: float = 0.03
) -> np.ndarray:
    """Rank within tender by evaluated score (price plus a quality-score noise); 1 = winner."""
    score = price / budget[tender] + rng.normal(0, noise, len(price))
    o = np.lexsort((score, tender))
    rank = np.empty(len(price), dtype=np.int16)
    t_sorted = tender[o]
    firstpos = np.r_[0, np.flatnonzero(np.diff(t_sorted)) + 1]
    starts = np.repeat(firstpos, np.diff(np.r_[firstpos, len(o)]))
    rank[o] = (np.arange(len(o)) - starts + 1).astype(np.int16)
    return rank


def bid_identity(city: City, company: np.ndarray) -> dict[str, np.ndarray]:
    """Bid-document metadata a company normally uses: its own IP, MAC, author, bond account, agent."""
    co = city.companies
    rng = city.rng
    m = len(company)
    agent = np.where(rng.random(m) < 0.55, co["agent"][company], NA32).astype(np.int32)
    return dict(
        ip=co["ip"][company],
        mac=co["mac"][company],
        author=co["author"][company],
        bond=co["account"][company],
        agent=agent,
        h1=rng.integers(0, 2**62, m, dtype=np.int64),
        h2=rng.integers(0, 2**62, m, dtype=np.int64),
    )


def submit_times(rng: np.random.Generator, publish: np.ndarray, close: np.ndarray) -> np.ndarray:
    window = np.maximum(close.astype(np.int64) - publish, 2)
    back = 1 + (rng.random(len(close)) * np.minimum(window - 1, 6)).astype(np.int64)
    day = close.astype(np.int64) - back
    sec = rng.integers(int(8.5 * 3600), int(17.5 * 3600), len(close))
    return day * 86400 + sec


def build_tenders(city: City) -> None:
    rng = city.rng
    co = city.companies
    n_t = max(100, city.scale // 20)
    iw = issuer_weights(city)
    unit = rng.choice(len(city.units), size=n_t, p=iw).astype(np.int32)
    cat = rng.choice(3, size=n_t, p=[0.45, 0.25, 0.30]).astype(np.int8)
    method = rng.choice(3, size=n_t, p=[0.75, 0.15, 0.10]).astype(np.int8)
    budget = np.where(
        method == 0,
        np.exp(rng.normal(np.log(3.0e6), 0.9, n_t)).clip(1.25e6, 8.0e7),
        np.exp(rng.uniform(np.log(2.0e5), np.log(8.8e5), n_t)),
    )
    budget = np.round(budget / 100) * 100
    work = city.working
    last = np.searchsorted(work, D1 - 45)
    publish = work[rng.integers(0, last, n_t)].astype(np.int32)
    window = np.where(
        method == 0,
        rng.integers(20, 46, n_t),
        np.where(method == 1, rng.integers(10, 26, n_t), rng.integers(3, 11, n_t)),
    )
    close = publish + window
    # move a weekend/holiday closing day to the next working day
    pos = np.searchsorted(work, close)
    close = work[np.minimum(pos, len(work) - 1)].astype(np.int32)
    proj = (rng.random(n_t) * PROJ_LEN[cat]).astype(np.int8)
    city.t["tenders"] = Tab(unit=unit, cat=cat, method=method, budget=budget, publish=publish, close=close, proj=proj)
    # bidders
    nb = np.where(
        method == 0,
        rng.choice(np.arange(3, 9), size=n_t, p=[0.18, 0.22, 0.2, 0.16, 0.13, 0.11]),
        np.where(method == 1, rng.integers(3, 6, n_t), 1),
    )
    tender = np.repeat(np.arange(n_t), nb)
    active = np.isin(co["status"], STATUS_ACTIVE)
    pools = [np.flatnonzero(active & (co["cat"] == c)) for c in range(3)]
    tcat = cat[tender]
    comp = np.zeros(len(tender), dtype=np.int64)
    todo = np.ones(len(tender), dtype=bool)
    for _ in range(30):
        for c in range(3):
            m = todo & (tcat == c)
            comp[m] = pools[c][rng.integers(0, len(pools[c]), int(m.sum()))]
        bad = co["reg"][comp] > publish[tender] - 30
        key = tender.astype(np.int64) * (len(co) + 1) + comp
        _, first = np.unique(key, return_index=True)
        dup = np.ones(len(key), dtype=bool)
        dup[first] = False
        todo = bad | dup
        if not todo.any():
            break
    keep = ~todo
    tender, comp = tender[keep], comp[keep]
    price = price_bids(rng, budget, tender)
    rank = rank_bids(rng, tender, price, budget)
    ident = bid_identity(city, comp)
    submit = submit_times(rng, publish[tender], close[tender])
    direct_t = method[tender] == 2
    ident["bond"] = np.where(direct_t, NA64, ident["bond"])
    city.t["bids"] = Tab(
        tender=tender.astype(np.int32),
        company=comp.astype(np.int32),
        price=price,
        rank=rank,
        win=(rank == 1).astype(np.int8),
        submit=submit,
        **ident,
    )
    # contracts for every awarded tender
    wins = np.flatnonzero(rank == 1)
    wt = tender[wins]
    signed = (close[wt] + rng.integers(7, 31, len(wt))).astype(np.int32)
    con = Tab(
        unit=unit[wt],
        company=comp[wins].astype(np.int32),
        tender=wt.astype(np.int32),
        amount=price[wins],
        signed=signed,
        method=method[wt],
        cat=cat[wt],
        proj=proj[wt],
    )
    # direct awards without a tender (below the threshold)
    n_d = int(0.4 * n_t)
    du = rng.choice(len(city.units), size=n_d, p=iw).astype(np.int32)
    dc_pool = np.flatnonzero(active & np.isin(co["cat"], [0, 1, 2, C["other"]]))
    dcomp = dc_pool[rng.integers(0, len(dc_pool), n_d)].astype(np.int32)
    dcat = np.minimum(co["cat"][dcomp], 1).astype(np.int8)
    dcat[co["cat"][dcomp] == 2] = 2
    amount = np.round(np.exp(rng.normal(np.log(1.2e5), 1.0, n_d)).clip(5000, 850000), 2)
    signed = work[rng.integers(0, len(work), n_d)].astype(np.int32)
    dproj = (rng.random(n_d) * PROJ_LEN[dcat]).astype(np.int8)
    con.add(unit=du, company=dcomp, amount=amount, signed=signed, method=np.full(n_d, 2, np.int8), cat=dcat, proj=dproj)
    city.t["contracts"] = con
