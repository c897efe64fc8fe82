"""Procurement schemes: officials' relatives winning tenders, ex-officials joining winners, direct awards, split
contracts, single bids, short bidding windows, and bid-rigging rings.

Each ``s_*`` function plants one instance (``decoy=False``) or one look-alike decoy, or raises
:class:`~graphkit.synth.plant.Skip` when the city has no room for it.
"""

from __future__ import annotations

import math

import numpy as np

from .. import vocab as V
from ..business import (
    CATS,
    EXEC_TITLES,
    PROJ_LEN,
)
from ..people import POST_IDX, K, R
from ..plant import (
    ISSUER_KINDS,
    Planter,
    Skip,
    _cached,
    _iso,
)
from ..world import (
    D0,
    D1,
    DECOY,
    PLANTED,
    YEAR,
    City,
    day_of,
)


def _rel_company(pl: Planter, relative: int, cat: int, flag: int, publish_before: int) -> tuple[int, str]:
    rng = pl.rng
    reg = int(publish_before - rng.uniform(1, 6) * YEAR)
    if rng.random() < 0.5:
        return pl.company(rep=relative, cat=CATS[cat], flag=flag, reg=reg), "legal_rep"
    rep = pl.person(28, 62)
    share = round(float(rng.uniform(30, 70)), 2)
    return pl.company(
        rep=rep, cat=CATS[cat], flag=flag, reg=reg, holders=[(rep, round(100 - share, 2)), (relative, share)]
    ), "shareholder"


def _other_issuer(pl: Planter, not_unit: int, near: int | None = None) -> int:
    """An issuing unit other than ``not_unit``; with ``near``, one where nobody within two family hops
    of person ``near`` holds (or held) a post, so that a decoy award is not a real conflict by accident."""
    if near is None:
        return pl.sample(pl.issuers, lambda u: u != not_unit)
    ring = {near}
    for q, _ in pl.ties_of(near):
        ring.add(q)
        ring.update(q2 for q2, _ in pl.ties_of(q))
    r = pl.c.roster
    people = np.asarray(r["person"])
    taken = set(np.asarray(r["unit"])[np.isin(people, np.fromiter(ring, dtype=people.dtype))].tolist())
    return pl.sample(pl.issuers, lambda u: u != not_unit and u not in taken)


def s_relative_wins_tender_1hop(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    o, u = pl.official("relative_wins_tender_1hop")
    cat = int(rng.integers(3))
    t_unit = u
    kind = "relative"
    if decoy and rng.random() < 0.5:
        # an unrelated person with the official's surname wins the official's unit's tender
        sur = pl.c.persons["sur"]
        head = pl.c.persons["head"]
        r = pl.person(28, 62, extra=lambda i: sur[i] == sur[o] and head[i] != head[o])
        rel, kind = None, "same_surname"
    else:
        r, rel = pl.relative(o, flag=flag)
        if decoy:
            t_unit = _other_issuer(pl, u, near=r)
    t = pl.tender(t_unit, cat, flag=flag)
    c, role = _rel_company(pl, r, cat, flag, int(pl.c.tenders["publish"][t]))
    _, con = pl.compete(t, c, flag=flag)
    ents = [("person", o), ("person", r), ("company", c), ("unit", u), ("tender", t), ("contract", con)]
    if decoy:
        ents.append(("unit", t_unit))
    pl.c.truth.add(
        "relative_wins_tender_1hop", ents, {"relationship": rel, "role": role, "hops": 1, "decoy": kind}, decoy=decoy
    )


def s_relative_wins_tender_2hop(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    o, u = pl.official("relative_wins_tender_2hop")
    r1, rel1 = pl.relative(o, ("spouse", "sibling", "child"), flag=flag)
    direct = {q for q, _ in pl.ties_of(o)} | {o}
    r2, rel2 = pl.relative(r1, ("sibling", "spouse", "parent", "child"), flag=flag, avoid=direct)
    cat = int(rng.integers(3))
    t_unit = _other_issuer(pl, u, near=r2) if decoy else u
    t = pl.tender(t_unit, cat, flag=flag)
    c, role = _rel_company(pl, r2, cat, flag, int(pl.c.tenders["publish"][t]))
    _, con = pl.compete(t, c, flag=flag)
    ents = [
        ("person", o),
        ("person", r1),
        ("person", r2),
        ("company", c),
        ("unit", u),
        ("tender", t),
        ("contract", con),
    ]
    pl.c.truth.add("relative_wins_tender_2hop", ents, {"path": [rel1, rel2], "role": role, "hops": 2}, decoy=decoy)


def s_relative_wins_tender_executive(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    o, u = pl.official("relative_wins_tender_executive")
    r, rel = pl.relative(o, flag=flag)
    cat = int(rng.integers(3))
    t_unit = _other_issuer(pl, u, near=r) if decoy else u
    t = pl.tender(t_unit, cat, flag=flag)
    c = pl.bg_company(cat, before=int(pl.c.tenders["publish"][t]), avoid_unit=u, award_unit=t_unit)
    pl.used_c.add(c)
    title = EXEC_TITLES.index(str(rng.choice(["监事", "副总经理", "财务负责人", "董事"])))
    pl.c.executives.add(flag=flag, company=c, person=r, title=title)
    _, con = pl.compete(t, c, flag=flag)
    pl.c.truth.add(
        "relative_wins_tender_executive",
        [("person", o), ("person", r), ("company", c), ("unit", u), ("tender", t), ("contract", con)],
        {"relationship": rel, "title": EXEC_TITLES[title]},
        decoy=decoy,
    )


def s_ex_official_joins_winner(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    u = pl.sample(pl.issuers, lambda x: True)
    x = pl.filler(45, 62)
    start = int(day_of("2005-01-01") + rng.integers(0, 10 * 365))
    left = int(day_of("2020-06-01") + rng.integers(0, 940))
    post = int(rng.choice(POST_IDX["official"]))
    c.roster.add(flag=flag, person=x, unit=u, post=post, role=R["official"], start=start, end=left)
    variant = str(rng.choice(["executive", "employee", "shareholder"]))
    cat = int(rng.integers(3))
    joined = left + int(rng.integers(30, 200))
    if variant == "shareholder":
        rep = pl.person(28, 62)
        share = round(float(rng.uniform(30, 60)), 2)
        co = pl.company(
            rep=rep, cat=CATS[cat], flag=flag, reg=joined, holders=[(rep, round(100 - share, 2)), (x, share)]
        )
    else:
        t_unit = _other_issuer(pl, u) if decoy else u
        co = pl.bg_company(cat, before=joined, avoid_unit=u, award_unit=t_unit)
        pl.used_c.add(co)
        if variant == "executive":
            c.executives.add(flag=flag, company=co, person=x, title=EXEC_TITLES.index("副总经理"))
        else:
            c.social_insurance.add(flag=flag, person=x, company=co, start=joined)
    if variant == "shareholder":
        t_unit = _other_issuer(pl, u) if decoy else u
    t = pl.tender(t_unit, cat, flag=flag, earliest=joined + 60)
    _, con = pl.compete(t, co, flag=flag)
    c.truth.add(
        "ex_official_joins_winner",
        [("person", x), ("unit", u), ("company", co), ("tender", t), ("contract", con)],
        {"variant": variant, "left": _iso(left), "joined": _iso(joined)},
        decoy=decoy,
    )


def _direct_amount(pl: Planter, median: float = 5e5) -> float:
    while True:
        a = float(np.exp(pl.rng.normal(np.log(median), 0.8)))
        if 2e4 <= a <= 6e6 and not (8.5e5 <= a < 1.05e6):
            return round(a, 2)


def s_direct_award_share(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    c = pl.c
    counts, direct = pl.n_contracts, pl.n_direct
    cand = _cached(
        c, "direct_share_units", lambda: np.flatnonzero(np.isin(c.units["kind"], ISSUER_KINDS + (K["village"],)))
    )
    u = pl.unit_once("procurement_unit", cand, lambda x: counts[x] <= 25 and x not in pl.used_u.get("split", ()))
    target = 0.5 if decoy else float(rng.uniform(0.8, 0.95))
    need = max(4 if decoy else 15 - int(counts[u]), math.ceil((target * counts[u] - direct[u]) / (1 - target)))
    ents = [("unit", u)]
    active = _cached(c, "bidding_companies", lambda: np.concatenate(pl.pools))
    for _ in range(need):
        comp = pl.sample(active, lambda x: (u, x) not in pl.conflicted)
        cat = int(c.companies["cat"][comp])
        amount = _direct_amount(pl, 8e4 if decoy else 6e5)
        ents.append(("contract", pl.direct_contract(u, comp, amount, pl.workday(), flag=flag, cat=min(cat, 2))))
    tot = counts[u] + need
    c.truth.add(
        "direct_award_share",
        ents,
        {
            "direct_contracts": int(direct[u] + need),
            "contracts": int(tot),
            "share_by_number": round((direct[u] + need) / tot, 3),
        },
        decoy=decoy,
    )


def s_split_contracts(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    u = pl.unit_once("split", pl.issuers)
    comp = pl.bg_company(0, before=D0, avoid_unit=u)
    pl.used_c.add(comp)
    n = 1 if decoy else int(rng.integers(3, 6))
    d0 = pl.workday(D0, D1 - 40)
    days = sorted(rng.choice(np.arange(d0, d0 + 30), size=n, replace=False).tolist())
    proj = int(rng.integers(PROJ_LEN[0]))
    ents = [("unit", u), ("company", comp)]
    amounts = []
    for d in days:
        a = round(float(rng.uniform(9.0e5, 9.99e5)) / 100) * 100
        amounts.append(a)
        ents.append(("contract", pl.direct_contract(u, comp, a, int(d), flag=flag, cat=0, proj=proj)))
    pl.c.truth.add(
        "split_contracts",
        ents,
        {"threshold": 1_000_000, "amounts": amounts, "window_days": int(days[-1] - days[0])},
        decoy=decoy,
    )


def s_single_bid_tender(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    u = pl.sample(pl.issuers, lambda x: True)
    cat = int(rng.integers(3))
    t = pl.tender(u, cat, flag=flag)
    comp = pl.bg_company(cat, before=int(pl.c.tenders["publish"][t]), award_unit=u)
    ents = [("tender", t), ("unit", u), ("company", comp)]
    if decoy:  # the single bid failed the tender (流标) and it was tendered again
        pl.bids(t, [comp], flag=flag, winner=None)
        t2 = pl.tender(
            u, cat, flag=flag, earliest=int(pl.c.tenders["close"][t]) + 10, budget=float(pl.c.tenders["budget"][t])
        )
        pl.compete(t2, pl.bg_company(cat, before=int(pl.c.tenders["publish"][t2]), award_unit=u), flag=flag)
        ents.append(("tender", t2))
    else:
        _, con = pl.bids(t, [comp], flag=flag, winner=comp)
        ents.append(("contract", con))
    pl.c.truth.add("single_bid_tender", ents, {"method": "open"}, decoy=decoy)


def s_short_bid_window(pl: Planter, decoy: bool) -> None:
    flag = DECOY if decoy else PLANTED
    rng = pl.rng
    u = pl.sample(pl.issuers, lambda x: True)
    cat = int(rng.integers(3))
    if decoy:
        method, window = (0, 20) if rng.random() < 0.5 else (1, int(rng.integers(5, 9)))
    else:
        method, window = 0, int(rng.integers(3, 8))
    t = pl.tender(u, cat, flag=flag, method=method, window=window)
    comp = pl.bg_company(cat, before=int(pl.c.tenders["publish"][t]), award_unit=u)
    _, con = pl.compete(t, comp, flag=flag, others=int(rng.integers(2, 5)))
    pl.c.truth.add(
        "short_bid_window",
        [("tender", t), ("unit", u), ("company", comp), ("contract", con)],
        {"window_days": window, "method": ["open", "invited", "direct"][method]},
        decoy=decoy,
    )


SIGNALS = ["phone", "address", "legal_rep", "shareholder", "bid_doc", "bond_account", "agent"]


def s_bid_rigging(pl: Planter, decoy: bool) -> None:
    if decoy:
        return _cobid_decoy(pl)
    rng = pl.rng
    c = pl.c
    co = c.companies
    k = int(rng.integers(3, 7))
    cat = int(rng.choice(3, p=[0.6, 0.2, 0.2]))
    district = int(rng.integers(len(V.DISTRICTS)))
    signals = sorted(rng.choice(SIGNALS, size=int(rng.integers(2, 5)), replace=False).tolist())
    members = []
    boss = pl.person(35, 60)
    for i in range(k):
        rep = boss if ("legal_rep" in signals and i == 1) else pl.person(28, 62)
        holders = [(rep, 100.0)]
        if "shareholder" in signals and rep != boss:  # the boss as rep already holds it all
            p_ = round(float(rng.uniform(10, 40)), 2)
            holders = [(rep, round(100 - p_, 2)), (boss, p_)]
        if "legal_rep" in signals and i == 0:
            rep = boss
            holders = [(boss, 100.0)]
        members.append(
            pl.company(
                rep=rep,
                cat=CATS[cat],
                flag=PLANTED,
                district=district,
                reg=int(day_of("2014-01-01") + rng.integers(0, 2500)),
            )
        )
        ci = members[-1]
        if holders != [(rep, 100.0)]:
            # replace the default 100% holding
            sh = c.shareholders
            last = len(sh) - 1
            sh["holder"][last] = holders[0][0]
            sh["pct"][last] = holders[0][1]
            for h, pc_ in holders[1:]:
                sh.add(flag=PLANTED, company=ci, htype=0, holder=h, pct=pc_)
    m0 = members[0]
    if "phone" in signals:
        for m in members[1:]:
            co["phone"][m] = co["phone"][m0]
    if "address" in signals:
        for col in ("park", "road", "a", "b", "c", "district"):
            for m in members[1:]:
                co[col][m] = co[col][m0]
    shared_author = int(pl.person(25, 55))
    agent = int(pl.person(25, 55))
    # the ring's tenders
    n_t = int(rng.integers(6, 10))
    issuers = pl.issuers[np.isin(c.units["district"][pl.issuers], [district, -1])]
    if len(issuers) == 0:
        issuers = pl.issuers
    order = rng.permutation(k)
    tenders = []
    sit_out = int(rng.integers(n_t)) if k > 3 else -1
    for j in range(n_t):
        u = int(rng.choice(issuers))
        t = pl.tender(u, cat, flag=PLANTED)
        tenders.append(t)
        win = members[int(order[j % k])]
        part = list(members)
        if j == sit_out:  # one member sits one tender out
            part.remove(int(rng.choice([m for m in members if m != win])))
        budget = float(c.tenders["budget"][t])
        wp = budget * float(rng.uniform(0.90, 0.97))
        prices = [wp if m == win else wp * (1 + float(rng.uniform(0.005, 0.03))) for m in part]
        comps = list(part)
        if rng.random() < 0.4:  # an outsider who bids high
            comps.append(pl.bg_company(cat, before=int(c.tenders["publish"][t]), exclude=set(members)))
            prices.append(min(wp * (1 + float(rng.uniform(0.05, 0.12))), budget * 0.998))
        ident = {}
        mm = np.array(comps)
        is_member = np.isin(mm, members)
        if "bid_doc" in signals:
            ident["author"] = np.where(is_member, shared_author, co["author"][mm])
            ident["ip"] = np.where(is_member, co["ip"][m0], co["ip"][mm])
            ident["mac"] = np.where(is_member, co["mac"][m0], co["mac"][mm])
            h1 = rng.integers(0, 2**62, len(comps), dtype=np.int64)
            h2 = rng.integers(0, 2**62, len(comps), dtype=np.int64)
            cover = np.flatnonzero(is_member & (mm != win))
            if len(cover) >= 2:  # two cover bids made from the same file
                h1[cover[1]], h2[cover[1]] = h1[cover[0]], h2[cover[0]]
            ident["h1"], ident["h2"] = h1, h2
        if "bond_account" in signals:
            ident["bond"] = np.where(is_member, c.persons["account"][boss], co["account"][mm])
        if "agent" in signals:
            ident["agent"] = np.where(is_member, agent, co["agent"][mm])
        pl.bids(t, comps, flag=PLANTED, winner=win, prices=np.round(prices, 2), ident=ident)
    # ring members also bid on their own in a few ordinary tenders
    b = c.bids
    bg = _cached(
        c,
        "bg_open_losing_bids",
        lambda: np.flatnonzero((b["_flag"] == 0) & (b["win"] == 0) & (c.tenders["method"][b["tender"]] == 0)),
    )
    for m in members:
        for _ in range(int(rng.integers(1, 3))):
            try:
                bid = pl.sample(
                    bg,
                    lambda x, m=m: (
                        c.tenders["cat"][b["tender"][x]] == cat
                        and int(b["company"][x]) not in pl.used_c
                        and not np.any(pl.tender_companies(int(b["tender"][x])) == m)
                    ),
                    tries=300,
                )
            except Skip:
                break
            b["company"][bid] = m
            for key, src in (
                ("ip", "ip"),
                ("mac", "mac"),
                ("author", "author"),
                ("bond", "account"),
                ("agent", "agent"),
            ):
                if key == "bond" and b["bond"][bid] < 0:
                    continue
                b[key][bid] = co[src][m]
    ents = [("company", m) for m in members] + [("tender", t) for t in tenders]
    c.truth.add(
        "bid_rigging",
        ents,
        {
            "members": k,
            "tenders": n_t,
            "signals": signals,
            "winners": [int(members.index(int(m))) for m in [members[int(order[j % k])] for j in range(n_t)]],
        },
        decoy=False,
    )


def _park_members(city: City, pool: np.ndarray) -> list[list[int]]:
    """Companies of ``pool`` grouped by business park (parks with at least three), registered before 2023."""
    co = city.companies
    cand = pool[(co["park"][pool] >= 0) & (co["reg"][pool] < D0 - 60)]
    groups: dict[int, list[int]] = {}
    for x, pk in zip(cand.tolist(), co["park"][cand].tolist(), strict=True):
        groups.setdefault(pk, []).append(x)
    return [g for _, g in sorted(groups.items()) if len(g) >= 3]


def _cobid_decoy(pl: Planter) -> None:
    rng = pl.rng
    c = pl.c
    cat = int(rng.integers(3))
    kind = "business_park"
    park_members: list[int] = []
    if rng.random() < 0.5:
        by_park = _cached(c, f"park_members_{cat}", lambda: _park_members(c, pl.pools[cat]))
        for _ in range(20):
            if not by_park:
                break
            members = by_park[int(rng.integers(len(by_park)))]
            free = [x for x in members if x not in pl.used_c]
            if len(free) >= 3:
                park_members = [int(x) for x in rng.permutation(free)[: int(rng.integers(3, 5))]]
                break
    if not park_members:
        kind = "frequent_cobidders"
        park_members = []
        for _ in range(int(rng.integers(3, 5))):
            park_members.append(pl.bg_company(cat, before=D0, exclude=set(park_members)))
    for m in park_members:
        pl.used_c.add(int(m))
    n_t = int(rng.integers(2, 5)) if kind == "business_park" else int(rng.integers(5, 8))
    tenders = []
    for _ in range(n_t):
        u = int(rng.choice(pl.issuers))
        t = pl.tender(u, cat, flag=DECOY)
        tenders.append(t)
        winner = int(rng.choice(park_members))
        if (u, winner) in pl.conflicted:
            winner = next((int(m) for m in park_members if (u, int(m)) not in pl.conflicted), winner)
        pl.compete(
            t, winner, flag=DECOY, others=int(rng.integers(1, 3)), extra=[int(m) for m in park_members if m != winner]
        )
    c.truth.add(
        "bid_rigging",
        [("company", int(m)) for m in park_members] + [("tender", t) for t in tenders],
        {"kind": kind},
        decoy=True,
    )
