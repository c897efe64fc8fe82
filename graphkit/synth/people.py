"""Units, persons, families and the civil-servant roster."""

from __future__ import annotations

import numpy as np

from . import vocab as V
from .world import NA32, REF, YEAR, City, Tab, day_of, ymd

__all__ = [
    "POST_LIST",
    "RELS",
    "ROLES",
    "UNIT_KINDS",
    "build_family",
    "build_persons",
    "build_roster",
    "build_units",
    "family_csr",
    "relatives",
]

UNIT_KINDS = [
    "government",
    "court",
    "procuratorate",
    "village",
    "community",
    "prison",
    "agency",
    "party",
    "hospital",
    "school",
    "other",
]
K = {k: i for i, k in enumerate(UNIT_KINDS)}
ROLES = ["official", "judge", "prosecutor", "village_cadre", "staff"]
R = {k: i for i, k in enumerate(ROLES)}
RELS = ["spouse", "parent", "child", "sibling", "in_law"]
INV_REL = np.array([0, 2, 1, 3, 4], dtype=np.int8)  # what a is to b, given what b is to a

_EXTRA_POSTS = {
    "school": [("校长", "正科级"), ("副校长", "副科级")],
    "school_staff": [("教师", "专业技术人员")],
    "hospital": [("院长", "正科级"), ("副院长", "副科级")],
    "hospital_staff": [("医师", "专业技术人员")],
    # the head of an administrative unit by what the unit is (:func:`_head_posts`): a town government had a 局长
    "head": [
        ("市长", "正厅级"),
        ("区长", "正处级"),
        ("市长", "正处级"),
        ("镇长", "正科级"),
        ("主任", "正科级"),
        ("局长", "正处级"),
        ("局长", "正科级"),
        ("主任", "正处级"),
        ("处长", "正处级"),
        ("处长", "正科级"),
        ("部长", "正处级"),
        ("书记", "正处级"),
        ("书记", "正科级"),
        ("监狱长", "正处级"),
        ("所长", "正科级"),
    ],
}
POST_GROUPS: dict[str, list[tuple[str, str]]] = {**V.POSTS, **_EXTRA_POSTS}
POST_LIST: list[tuple[str, str]] = []
POST_IDX: dict[str, np.ndarray] = {}
for _g, _posts in POST_GROUPS.items():
    POST_IDX[_g] = np.arange(len(POST_LIST), len(POST_LIST) + len(_posts))
    POST_LIST.extend(_posts)


def _head_posts(names: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """The head's post (an index into :data:`POST_LIST`) of each administrative unit by its name and level: 市长 of
    the city government, 区长 (市长 of a county-level city) of a district's, 镇长 of a town's, 主任 of a street office
    or a centre, 局长 of a bureau, 处长, 部长, 书记 of a party committee, 监狱长, 所长 of a detention house. The
    roster had drawn the head's post from one list whatever the unit, and the demo's 桃源镇人民政府 had a 局长.

    >>> [POST_LIST[i][0] for i in _head_posts(np.array(["苏州市吴江区桃源镇人民政府", "苏州市财政局", "苏州市看守所"]),
    ...                                         np.array([2, 0, 0]))]
    ['镇长', '局长', '所长']
    """
    idx = {t: i for t, i in zip(POST_GROUPS["head"], POST_IDX["head"], strict=True)}

    def head(name: str, level: int) -> tuple[str, str]:
        top = level == 0
        if name.endswith("人民政府"):
            if top:
                return ("市长", "正厅级")
            if level == 1:
                return ("区长", "正处级") if name.endswith("区人民政府") else ("市长", "正处级")
            return ("镇长", "正科级")
        if name.endswith("监狱"):
            return ("监狱长", "正处级")
        if name.endswith("看守所"):
            return ("所长", "正科级")
        if name.endswith("局"):
            return ("局长", "正处级" if top else "正科级")
        if name.endswith("处") and not name.endswith("办事处"):
            return ("处长", "正处级" if top else "正科级")
        if name.endswith("部"):
            return ("部长", "正处级")
        if name.endswith("委员会"):
            return ("书记", "正处级" if top else "正科级")
        return ("主任", "正处级" if top else "正科级")  # a street office, a centre, a committee's office

    return np.array([idx[head(str(n), int(lv))] for n, lv in zip(names, levels, strict=True)], dtype=np.int16)


DISTRICT_BUREAUS = [
    "住房和城乡建设局",
    "城市管理局",
    "民政局",
    "财政局",
    "教育局",
    "交通运输局",
    "水务局",
    "农业农村局",
]


def _district_full(dname: str) -> str:
    return f"{V.CITY}{dname}" if dname.endswith("区") else dname


def _credit_body(rng: np.random.Generator, n: int, lead: str) -> np.ndarray:
    """(n, 9) alphabet indices: ``lead`` characters then random unique characters."""
    from .codes import CREDIT_ALPHABET_IDX, unique_ints

    rest = 9 - len(lead)
    space = 31**rest if lead[:1].isalpha() else 10**rest
    base = 31 if lead[:1].isalpha() else 10
    vals = unique_ints(rng, n, 0, space)
    out = np.empty((n, 9), dtype=np.int64)
    for j, c in enumerate(lead):
        out[:, j] = CREDIT_ALPHABET_IDX[c]
    for j in range(8, len(lead) - 1, -1):
        out[:, j] = vals % base
        vals //= base
    return out


def build_units(city: City) -> None:
    rng = city.rng
    n_target = max(400, city.scale // 200)
    rows: list[tuple] = []  # (kind, name, parent, district, juris, level, func)

    def add(kind, name, parent, district, juris, level, func=""):
        rows.append((K[kind], name, parent, district, juris, level, func))
        return len(rows) - 1

    city_gov = add("government", f"{V.CITY}人民政府", -1, -1, V.CITY_CODE, 0, "人民政府")
    for p in V.PARTY_UNITS:
        add("party", f"中共{V.CITY}{p}", city_gov, -1, V.CITY_CODE, 0, p)
    for b in V.BUREAUS:
        add("government", f"{V.CITY}{b}", city_gov, -1, V.CITY_CODE, 0, b)
    add("court", f"{V.CITY}中级人民法院", -1, -1, V.CITY_CODE, 0, "法院")
    add("procuratorate", f"{V.CITY}人民检察院", -1, -1, V.CITY_CODE, 0, "检察院")
    add("prison", "江苏省苏州监狱", -1, -1, V.CITY_CODE, 0, "监狱")
    add("prison", f"{V.CITY}看守所", -1, -1, V.CITY_CODE, 0, "看守所")
    for a in V.AGENCIES:
        add("agency", f"{V.CITY}{a}", city_gov, -1, V.CITY_CODE, 0, a)
    towns: list[tuple[int, int, str]] = []  # (unit row, district, town name)
    dist_gov = {}
    for d, (dname, dcode, _share, dtowns) in enumerate(V.DISTRICTS):
        full = _district_full(dname)
        g = add("government", f"{full}人民政府", city_gov, d, dcode, 1, "人民政府")
        dist_gov[d] = g
        for b in DISTRICT_BUREAUS:
            add("government", f"{full}{b}", g, d, dcode, 1, b)
        add("court", f"{full}人民法院", -1, d, dcode, 1, "法院")
        add("procuratorate", f"{full}人民检察院", -1, d, dcode, 1, "检察院")
        add("prison", f"{full}看守所", -1, d, dcode, 1, "看守所")
        add("party", f"中共{full}纪律检查委员会", g, d, dcode, 1, "纪律检查委员会")
        for t in dtowns:
            nm = f"{full}{t}人民政府" if t.endswith("镇") else f"{full}{t}办事处"
            towns.append((add("government", nm, g, d, dcode, 2, t), d, t))

    remaining = max(0, n_target - len(rows))
    kinds = ["village", "community", "school", "hospital", "agency"]
    counts = rng.multinomial(remaining, [0.45, 0.35, 0.11, 0.05, 0.04])
    dshare = np.array([s for _, _, s, _ in V.DISTRICTS])
    town_d = np.array([d for _, d, _ in towns])
    town_is_zhen = np.array([t.endswith("镇") for _, _, t in towns])
    used_names: set[str] = set()
    pc = V.PLACE_CHARS

    def vname(prefix: str) -> str:
        for _ in range(50):
            s = pc[rng.integers(len(pc))] + pc[rng.integers(len(pc))]
            if s[0] != s[1] and prefix + s not in used_names:
                used_names.add(prefix + s)
                return s
        s = pc[rng.integers(len(pc))] + pc[rng.integers(len(pc))] + str(len(used_names))
        used_names.add(prefix + s)
        return s

    def pick_town(prefer_zhen: bool) -> int:
        w = dshare[town_d] / np.bincount(town_d, minlength=len(V.DISTRICTS))[town_d]
        w = w * np.where(town_is_zhen == prefer_zhen, 1.0, 0.25)
        return int(rng.choice(len(towns), p=w / w.sum()))

    for kind, cnt in zip(kinds, counts, strict=True):
        for _ in range(int(cnt)):
            if kind in ("village", "community"):
                ti = pick_town(kind == "village")
                trow, d, t = towns[ti]
                dname, dcode = V.DISTRICTS[d][0], V.DISTRICTS[d][1]
                prefix = f"{_district_full(dname)}{t}"
                nm = vname(prefix)
                full = f"{prefix}{nm}村村民委员会" if kind == "village" else f"{prefix}{nm}社区居民委员会"
                add(kind, full, trow, d, dcode, 3, nm)
            else:
                d = int(rng.choice(len(V.DISTRICTS), p=dshare))
                dname, dcode = V.DISTRICTS[d][0], V.DISTRICTS[d][1]
                full = _district_full(dname)
                if kind == "school":
                    nm = vname(full + "s")
                    add(
                        kind,
                        f"{full}{nm}{V.SCHOOL_SUFFIX[rng.integers(len(V.SCHOOL_SUFFIX))]}",
                        dist_gov[d] + 1 + DISTRICT_BUREAUS.index("教育局"),
                        d,
                        dcode,
                        2,
                        nm,
                    )
                elif kind == "hospital":
                    nm = vname(full + "h")
                    add(
                        kind,
                        f"{full}{nm}{V.HOSPITAL_SUFFIX[rng.integers(len(V.HOSPITAL_SUFFIX))]}",
                        dist_gov[d],
                        d,
                        dcode,
                        2,
                        nm,
                    )
                else:
                    nm = vname(full + "a")
                    add(kind, f"{full}{nm}{V.AGENCIES[rng.integers(len(V.AGENCIES))]}", dist_gov[d], d, dcode, 2, nm)

    n = len(rows)
    kind = np.array([r[0] for r in rows], dtype=np.int8)
    district = np.array([r[3] for r in rows], dtype=np.int8)
    # identifiers
    from .codes import credit_codes, unique_ints

    head = np.zeros((n, 2), dtype=np.int64)
    is11 = np.isin(kind, [K["government"], K["court"], K["procuratorate"], K["prison"], K["party"]])
    is54 = np.isin(kind, [K["village"], K["community"]])
    head[:, 0] = np.where(is54, 5, 1)
    head[:, 1] = np.where(is11, 1, np.where(is54, 4, 2))
    region = np.array([int(r[4]) for r in rows], dtype=np.int64)
    body = np.where(is54[:, None], _credit_body(rng, n, "ME"), _credit_body(rng, n, "0"))
    ids = credit_codes(head, region, body)
    phones = unique_ints(rng, n, 50000000, 70000000)
    roads = _road_names(rng, 400)
    addr = []
    for r in rows:
        d = r[3]
        dn = "" if d < 0 else V.DISTRICTS[d][0]
        if r[0] in (K["village"],):
            addr.append(f"{V.CITY}{dn}{rows[r[2]][6]}{r[6]}村{rng.integers(1, 200)}号")
        else:
            addr.append(f"{V.CITY}{dn}{roads[rng.integers(len(roads))]}{rng.integers(1, 999)}号")
    city.t["units"] = Tab(
        kind=kind,
        district=district,
        parent=np.array([r[2] for r in rows], dtype=np.int32),
        level=np.array([r[5] for r in rows], dtype=np.int8),
        name=np.array([r[1] for r in rows], dtype=object),
        func=np.array([r[6] for r in rows], dtype=object),
        juris=np.array([r[4] for r in rows], dtype=object),
        addr=np.array(addr, dtype=object),
        phone=phones.astype(np.int64),
        account=(3210000000000000000 + (np.arange(n, dtype=np.int64) * 2654435761 + 7919) % 10**13),
    )
    city.extra["unit_id"] = ids
    city.extra["roads"] = roads
    # handy lookups
    func = city.units["func"]
    lookup = {}
    for i in range(n):
        lookup[(int(district[i]), func[i])] = i
    city.extra["unit_by_func"] = lookup


def _road_names(rng: np.random.Generator, n: int) -> list[str]:
    pc = V.PLACE_CHARS
    out = list(V.ROADS_NAMED)
    seen = set(out)
    while len(out) < n:
        s = pc[rng.integers(len(pc))] + pc[rng.integers(len(pc))] + V.ROAD_SUFFIX[rng.integers(len(V.ROAD_SUFFIX))]
        if s not in seen and s[0] != s[1]:
            seen.add(s)
            out.append(s)
    return out


_AGE_BANDS = np.array([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 100])
_AGE_W = np.array([4.0, 5.2, 5.5, 5.0, 5.2, 6.5, 8.5, 8.0, 7.0, 7.5, 8.5, 8.0, 6.0, 5.5, 4.5, 2.8, 1.8, 1.0, 0.5])
_MOBILE_PREFIX = np.array(
    [
        130,
        131,
        132,
        133,
        135,
        136,
        137,
        138,
        139,
        150,
        151,
        152,
        153,
        155,
        156,
        157,
        158,
        159,
        177,
        180,
        181,
        182,
        183,
        185,
        186,
        187,
        188,
        189,
        191,
        199,
    ],
    dtype=np.int64,
)
GIVEN = V.MALE_CHARS + V.FEMALE_CHARS


def _dedupe_ids(rng: np.random.Generator, region, ymd_b, seq, male) -> None:
    """Redraw the sequence number of later duplicates until every ID number is unique (in place)."""
    key = region * 10**11 + ymd_b * 1000 + seq
    o = np.argsort(key, kind="stable")
    ks = key[o]
    dup = np.r_[False, ks[1:] == ks[:-1]]
    redo = o[dup]
    taken = ks[~dup]
    extra = np.zeros(0, dtype=np.int64)
    for _ in range(100):
        if not len(redo):
            return
        seq[redo] = rng.integers(0, 500, len(redo)) * 2 + male[redo]
        nk = region[redo] * 10**11 + ymd_b[redo] * 1000 + seq[redo]
        pos = np.minimum(np.searchsorted(taken, nk), len(taken) - 1)
        bad = (taken[pos] == nk) | np.isin(nk, extra)
        _, first = np.unique(nk, return_index=True)
        again = np.ones(len(nk), dtype=bool)
        again[first] = False
        bad |= again
        extra = np.concatenate([extra, nk[~bad]])
        redo = redo[bad]
    raise RuntimeError("could not make ID numbers unique")  # pragma: no cover


def build_persons(city: City) -> None:
    rng = city.rng
    n = city.scale
    u = city.units
    res_units = np.flatnonzero(np.isin(u["kind"], [K["village"], K["community"]]))
    if len(res_units) == 0:
        res_units = np.flatnonzero(u["level"] >= 2)
    dshare = np.array([s for _, _, s, _ in V.DISTRICTS])
    rd = u["district"][res_units]
    cnt = np.bincount(rd, minlength=len(dshare)).astype(float)
    w = dshare[rd] / np.maximum(cnt[rd], 1)
    res = res_units[rng.choice(len(res_units), size=n, p=w / w.sum())].astype(np.int32)
    # ages
    band = rng.choice(len(_AGE_W), size=n, p=_AGE_W / _AGE_W.sum())
    age_days = (_AGE_BANDS[band] + rng.random(n) * (_AGE_BANDS[band + 1] - _AGE_BANDS[band])) * YEAR
    birth = (REF - age_days).astype(np.int32)
    male = rng.random(n) < 0.51
    # ID numbers: region + birth date + sequence (odd = male), unique
    dcodes = np.array([int(c) for _, c, _, _ in V.DISTRICTS], dtype=np.int64)
    dist = u["district"][res].astype(np.int64)
    region = dcodes[dist]
    other = rng.random(n)
    region = np.where(other < 0.05, dcodes[rng.integers(0, len(dcodes), n)], region)
    mig = np.array([int(c) for c in V.MIGRANT_REGIONS], dtype=np.int64)
    region = np.where(other > 0.76, mig[rng.integers(0, len(mig), n)], region)
    ymd_b = ymd(birth)
    seq = (rng.integers(0, 500, n) * 2 + male).astype(np.int64)
    _dedupe_ids(rng, region, ymd_b, seq, male)
    # names
    sw = np.array([w for _, w in V.SURNAMES])
    sur = rng.choice(len(sw), size=n, p=sw / sw.sum()).astype(np.int16)
    nm, nf = len(V.MALE_CHARS), len(V.FEMALE_CHARS)
    g1 = np.where(male, rng.integers(0, nm, n), nm + rng.integers(0, nf, n)).astype(np.int16)
    g2 = np.where(male, rng.integers(0, nm, n), nm + rng.integers(0, nf, n)).astype(np.int16)
    g2 = np.where((rng.random(n) < 0.3) | (g2 == g1), -1, g2).astype(np.int16)
    # phones
    age = (REF - birth) / YEAR
    p_phone = np.where(age < 12, 0.0, np.where(age < 18, 0.6, np.where(age >= 80, 0.6, 0.95)))
    has = rng.random(n) < p_phone
    k = np.zeros(n, dtype=np.int64)
    from .codes import unique_ints

    keys = unique_ints(rng, int(has.sum()), 0, len(_MOBILE_PREFIX) * 10**8)
    k[has] = _MOBILE_PREFIX[keys // 10**8] * 10**8 + keys % 10**8
    city.t["persons"] = Tab(
        sur=sur,
        g1=g1,
        g2=g2,
        male=male,
        birth=birth,
        region=region.astype(np.int32),
        seq=seq.astype(np.int16),
        res=res,
        head=np.arange(n, dtype=np.int32),
        phone=k,
        a=rng.integers(1, 60, n).astype(np.int16),
        b=rng.integers(1, 300, n).astype(np.int16),
        c=rng.integers(101, 2800, n).astype(np.int16),
        account=(6222020000000000000 + (np.arange(n, dtype=np.int64) * 2654435761 + 104729) % 10**12),
    )


def build_family(city: City) -> None:
    rng = city.rng
    p = city.persons
    n = len(p)
    birth = p["birth"].astype(np.int64)
    male = p["male"]
    age = (REF - birth) / YEAR
    y = YEAR
    m_idx = np.flatnonzero(male & (age >= 23))
    f_idx = np.flatnonzero(~male & (age >= 21))
    m_idx = m_idx[rng.random(len(m_idx)) < np.where(age[m_idx] >= 30, 0.85, 0.45)]
    f_idx = f_idx[rng.random(len(f_idx)) < np.where(age[f_idx] >= 28, 0.85, 0.45)]
    k = min(len(m_idx), len(f_idx))
    m_idx = np.sort(rng.choice(m_idx, size=k, replace=False)) if len(m_idx) > k else m_idx
    f_idx = np.sort(rng.choice(f_idx, size=k, replace=False)) if len(f_idx) > k else f_idx
    mk = birth[m_idx] + rng.normal(0, 2.0 * y, k)
    fk = birth[f_idx] - 2 * y + rng.normal(0, 2.0 * y, k)
    h = m_idx[np.argsort(mk, kind="stable")].astype(np.int64)
    w = f_idx[np.argsort(fk, kind="stable")].astype(np.int64)
    married = np.zeros(n, dtype=bool)
    married[h] = married[w] = True
    # children: each couple draws a family size, then children born when the mother was 20-38
    wbirth = birth[w]
    lam = np.where(wbirth < day_of("1960-01-01"), 2.2, np.where(wbirth < day_of("1975-01-01"), 1.4, 1.1))
    k_kids = rng.poisson(lam)
    couple = np.repeat(np.arange(len(w)), k_kids)
    by_birth = np.argsort(birth, kind="stable")
    sb = birth[by_birth]
    lo = np.searchsorted(sb, wbirth[couple] + 20 * y)
    hi = np.searchsorted(sb, wbirth[couple] + 38 * y)
    ok = hi > lo
    couple, lo, hi = couple[ok], lo[ok], hi[ok]
    kid = by_birth[lo + (rng.random(len(couple)) * (hi - lo)).astype(np.int64)]
    # a person is the child of one couple only
    shuffle = rng.permutation(len(kid))
    kid, couple = kid[shuffle], couple[shuffle]
    _, first = np.unique(kid, return_index=True)
    par = np.full(n, -1, dtype=np.int64)
    par[kid[first]] = couple[first]
    # spouses must not be siblings
    clash = (par[h] >= 0) & (par[h] == par[w])
    par[w[clash]] = -1
    # surnames follow the father, one generation per pass
    sur = p["sur"].copy()
    kids = np.flatnonzero(par >= 0)
    for _ in range(6):
        sur[kids] = sur[h[par[kids]]]
    p["sur"] = sur
    # households: wife and young unmarried children live with the husband
    head = np.arange(n, dtype=np.int64)
    head[w] = h
    young = kids[(age[kids] < 25) & ~married[kids]]
    head[young] = h[par[young]]
    p["head"] = head.astype(np.int32)
    res = p["res"].copy()
    res[:] = res[head]
    p["res"] = res
    # rows
    a_parts, b_parts, r_parts = [], [], []

    def emit(a, b, rel_ab, sym=True):
        """rel_ab: what b is to a; orientation randomised."""
        flip = rng.random(len(a)) < 0.5
        aa = np.where(flip, b, a)
        bb = np.where(flip, a, b)
        rr = np.where(flip, INV_REL[rel_ab], rel_ab) if not sym else np.broadcast_to(rel_ab, len(a))
        a_parts.append(aa)
        b_parts.append(bb)
        r_parts.append(np.asarray(rr, dtype=np.int8))

    emit(h, w, np.full(len(h), 0, np.int8))
    fathers = h[par[kids]]
    mothers = w[par[kids]]
    emit(kids, fathers, np.full(len(kids), 1, np.int8), sym=False)
    emit(kids, mothers, np.full(len(kids), 1, np.int8), sym=False)
    # siblings: same couple, consecutive (and one apart)
    so = kids[np.argsort(par[kids], kind="stable")]
    pp = par[so]
    same = pp[1:] == pp[:-1]
    emit(so[:-1][same], so[1:][same], np.full(int(same.sum()), 3, np.int8))
    # some in-law rows (wife ↔ husband's mother)
    hp = par[h]
    sel = (hp >= 0) & (rng.random(len(h)) < 0.15)
    emit(w[sel], w[hp[sel]], np.full(int(sel.sum()), 4, np.int8))
    city.t["family"] = Tab(
        a=np.concatenate(a_parts).astype(np.int32),
        b=np.concatenate(b_parts).astype(np.int32),
        rel=np.concatenate(r_parts).astype(np.int8),
    )
    city.extra["couples"] = (h, w)
    city.extra["parent_couple"] = par


def family_csr(city: City):
    """Undirected family adjacency: offsets, neighbours, what the neighbour is to the person."""
    f = city.family
    n = len(city.persons)
    src = np.concatenate([f["a"], f["b"]]).astype(np.int64)
    dst = np.concatenate([f["b"], f["a"]]).astype(np.int64)
    rel = np.concatenate([f["rel"], INV_REL[f["rel"]]]).astype(np.int8)
    o = np.argsort(src, kind="stable")
    src, dst, rel = src[o], dst[o], rel[o]
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=off[1:])
    return off, dst, rel


def relatives(csr, person: int, rels: tuple[int, ...] | None = None) -> list[tuple[int, int]]:
    off, dst, rel = csr
    out = []
    for j in range(off[person], off[person + 1]):
        if rels is None or rel[j] in rels:
            out.append((int(dst[j]), int(rel[j])))
    return out


_KIND_W = {
    "government": 10,
    "court": 12,
    "procuratorate": 8,
    "prison": 6,
    "party": 6,
    "agency": 4,
    "school": 3,
    "hospital": 3,
    "village": 4,
    "community": 4,
    "other": 1,
}


def build_roster(city: City) -> None:
    rng = city.rng
    u = city.units
    p = city.persons
    nU = len(u)
    n_r = max(150, int(0.035 * city.scale))
    kind = u["kind"]
    w = np.array([_KIND_W[UNIT_KINDS[k]] for k in kind], dtype=float)
    w *= np.where(u["level"] == 0, 1.8, 1.0)
    courts = kind == K["court"]
    counts = np.where(courts, max(3, city.scale // 2500), 0)
    rest = max(0, n_r - int(counts.sum()))
    counts = counts + rng.multinomial(rest, w / w.sum())
    age = (REF - p["birth"]) / YEAR
    cand = np.flatnonzero((age >= 25) & (age < 59))
    total = min(int(counts.sum()), len(cand))
    people = rng.choice(cand, size=total, replace=False)
    unit_of = np.repeat(np.arange(nU), counts)[:total]
    starts = np.zeros(nU + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    pos = np.arange(total) - starts[unit_of]
    k = kind[unit_of]
    r = rng.random(total)
    role = np.full(total, R["staff"], dtype=np.int8)
    post = np.zeros(total, dtype=np.int16)

    def choose(group: str, mask):
        idx = POST_IDX[group]
        return idx[rng.integers(0, len(idx), int(mask.sum()))]

    adm = np.isin(k, [K["government"], K["party"], K["agency"], K["prison"]])
    m = adm & (pos == 0)
    role[m], post[m] = R["official"], choose("leader", m)
    # (drawn as before, so the rest of the city is the same; the post then says what the unit is)
    post[m] = _head_posts(u["name"][unit_of[m]], u["level"][unit_of[m]])
    m = adm & (pos > 0) & (r < 0.4)
    role[m], post[m] = R["official"], choose("official", m)
    m = adm & (pos > 0) & (r >= 0.4)
    post[m] = choose("staff", m)
    m = k == K["court"]
    j = m & ((pos < 3) | (r < 0.65))
    role[j] = R["judge"]
    post[j] = choose("judge", j)
    post[m & ~j] = choose("court_staff", m & ~j)
    m = k == K["procuratorate"]
    j = m & ((pos == 0) | (r < 0.65))
    role[j] = R["prosecutor"]
    post[j] = choose("prosecutor", j)
    post[m & ~j] = choose("staff", m & ~j)
    for kk, g in ((K["school"], "school"), (K["hospital"], "hospital")):
        m = k == kk
        role[m & (pos == 0)] = R["official"]
        post[m & (pos == 0)] = choose(g, m & (pos == 0))
        post[m & (pos > 0)] = choose(g + "_staff", m & (pos > 0))
    for kk, g in ((K["village"], "village_cadre"), (K["community"], "community_cadre")):
        m = k == kk
        role[m] = R["village_cadre"]
        idx = POST_IDX[g]
        post[m] = idx[np.minimum(pos[m], len(idx) - 1)]
    birth = p["birth"][people].astype(np.int64)
    lo = np.maximum(birth + int(22 * YEAR), day_of("1995-01-01"))
    hi = day_of("2024-06-30")
    start = (lo + rng.random(total) * np.maximum(hi - lo, 1)).astype(np.int32)
    end = np.full(total, NA32, dtype=np.int32)
    left = rng.random(total) < 0.06
    end_days = start.astype(np.int64) + (rng.uniform(1, 10, total) * YEAR).astype(np.int64)
    end[left] = np.minimum(end_days[left], day_of("2024-12-20"))
    end[left] = np.maximum(end[left], start[left] + 200)
    rank_ = np.array([POST_LIST[i][1] for i in range(len(POST_LIST))], dtype=object)
    cols = dict(
        person=people.astype(np.int32), unit=unit_of.astype(np.int32), post=post, role=role, start=start, end=end
    )
    # earlier posts at another unit of the same kind (transfers)
    moved = np.flatnonzero(rng.random(total) < 0.05)
    prev_start = start[moved].astype(np.int64) - (rng.uniform(2, 8, len(moved)) * YEAR).astype(np.int64)
    ok = prev_start >= birth[moved] + int(22 * YEAR)
    moved, prev_start = moved[ok], prev_start[ok]
    same_kind = [np.flatnonzero(kind == kk) for kk in range(len(UNIT_KINDS))]
    prev_unit = np.array(
        [same_kind[kind[unit_of[i]]][rng.integers(len(same_kind[kind[unit_of[i]]]))] for i in moved], dtype=np.int32
    )
    tab = Tab(**cols)
    prev_post = post[moved].copy()
    was_head = np.isin(prev_post, POST_IDX["head"])  # a head before too: of that unit by what it is (no 镇长 of a 局)
    if was_head.any():
        prev_post[was_head] = _head_posts(u["name"][prev_unit[was_head]], u["level"][prev_unit[was_head]])
    tab.add(
        person=people[moved],
        unit=prev_unit,
        post=prev_post,
        role=role[moved],
        start=prev_start.astype(np.int32),
        end=(start[moved] - 1).astype(np.int32),
    )
    city.t["roster"] = tab
    city.extra["post_rank"] = rank_
