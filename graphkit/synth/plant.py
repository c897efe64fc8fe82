"""Plant every scheme (with known ground truth) and its decoys into the city.

Each scheme function plants one instance (or one decoy) and records it in
``city.truth`` with its entities as ``(kind, index)`` references; the writer
turns them into the natural keys of the output files.  Scheme rows carry
``_flag`` 1 (planted) or 2 (decoy) so that dirty rows never touch them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from . import vocab as V
from .business import (
    CATS,
    EXEC_TITLES,
    PROJ_LEN,
    STATUS_ACTIVE,
    C,
    bid_identity,
    new_company,
    price_bids,
    rank_bids,
    submit_times,
)
from .people import INV_REL, POST_IDX, RELS, K, R, family_csr
from .vehicles import FILL_WINDOWS, GOODS, VK, fuel_price, new_vehicle, places_of
from .welfare import M0, M1, cadres_of, residents
from .world import (
    D0,
    D1,
    DECOY,
    NA32,
    PLANTED,
    REF,
    YEAR,
    City,
    day_of,
    month_index,
    month_start,
)

__all__ = ["SCHEMES", "plant_all"]

REL = {r: i for i, r in enumerate(RELS)}
ISSUER_KINDS = (K["government"], K["agency"], K["school"], K["hospital"])
HOST_KINDS = (K["government"], K["party"], K["court"], K["procuratorate"], K["agency"])
LAWYER = 0


class Skip(Exception):
    """No suitable entities left for this instance (tiny cities)."""


class Planter:
    def __init__(self, city: City):
        self.c = city
        self.rng = city.rng
        p = city.persons
        n = len(p)
        self.n = n
        self.age = ((REF - p["birth"]) / YEAR).astype(np.float64)
        self.used = np.zeros(n, dtype=bool)
        self.used_c: set[int] = set()
        #: vehicles / cards used, per scheme (a vehicle may serve several schemes, on different days)
        self.used_v: dict[str, set[int]] = {}
        self.used_card: dict[str, set[int]] = {}
        self.used_u: dict[str, set[int]] = {}
        self.used_off: dict[str, set[int]] = {}
        roster = np.zeros(n, dtype=bool)
        roster[city.roster["person"]] = True
        custody = np.zeros(n, dtype=bool)
        custody[city.custody["person"]] = True
        role = np.zeros(n, dtype=bool)
        role[city.companies["rep"]] = True
        sh = city.shareholders
        role[sh["holder"][sh["htype"] == 0]] = True
        role[city.executives["person"]] = True
        lic = np.zeros(n, dtype=bool)
        lic[city.licences["person"]] = True
        ben = np.zeros(n, dtype=bool)
        ben[city.benefits["person"]] = True
        owner = np.zeros(n, dtype=bool)
        vt = city.vehicles
        owner[vt["owner"][vt["otype"] == 0]] = True
        labour = np.zeros(n, dtype=bool)
        labour[city.labour["worker"]] = True
        self.roster_p = roster
        self.custody_p = custody
        #: may be used as an official's relative
        self.rel_ok = ~(roster | custody | role | lic | ben)
        self.csr = family_csr(city)
        off, dst, _ = self.csr
        e1 = city.extra["E1"]
        src = np.repeat(np.arange(n), np.diff(off))
        e2 = e1.copy()
        e2[dst[e1[src]]] = True
        #: may be used as a fresh person, unconnected to anyone on the roster within two family hops
        self.fresh_ok = self.rel_ok & ~e2 & ~owner & ~labour
        self.ties: dict[int, list[tuple[int, int]]] = {}
        self.tie_log: list[tuple[int, int]] = []
        from .checks import relative_company_pairs

        pairs = relative_company_pairs(city)
        self.conflicted = set(zip(pairs["unit"].tolist(), pairs["company"].tolist(), strict=True))
        con = city.contracts
        self.n_contracts = np.bincount(con["unit"], minlength=len(city.units))
        self.n_direct = np.bincount(con["unit"][con["method"] == 2], minlength=len(city.units))
        self.n_tickets = np.bincount(city.hotline["community"], minlength=len(city.units))
        g = city.gps
        gd = g["time"] // 86400
        #: (vehicle, day) keys with background GPS stops / fills, sorted for searchsorted
        self.stop_keys = np.unique(g["vehicle"].astype(np.int64) * 100000 + gd)
        ft = city.fuel_tx
        self.fill_keys = np.unique(city.extra["tx_vehicle"].astype(np.int64) * 100000 + ft["time"] // 86400)
        self.busy: set[int] = set()
        nonwork = np.isin(gd, city.nonworking)
        self.nonwork_stop = set(zip(g["vehicle"][nonwork].tolist(), gd[nonwork].tolist(), strict=True))
        b = city.bids
        self.bid_order = np.argsort(b["tender"], kind="stable")
        self.bid_off = np.zeros(len(city.tenders) + 1, dtype=np.int64)
        np.cumsum(np.bincount(b["tender"], minlength=len(city.tenders)), out=self.bid_off[1:])
        r = city.roster
        act = r["end"] == NA32
        self.act_rows = np.flatnonzero(act)
        self.officials_at: dict[int, list[int]] = {}
        #: every active roster member by unit, officials first
        self.staff_at: dict[int, list[int]] = {}
        #: (person, unit) → start of the active post
        self.since = dict(
            zip(
                zip(r["person"][act].tolist(), r["unit"][act].tolist(), strict=True),
                r["start"][act].tolist(),
                strict=True,
            )
        )
        for person, unit, role_ in zip(
            r["person"][act].tolist(), r["unit"][act].tolist(), r["role"][act].tolist(), strict=True
        ):
            if role_ == R["official"]:
                self.officials_at.setdefault(unit, []).append(person)
            self.staff_at.setdefault(unit, []).append(person)
        self.licence_nos = set(city.licences["no"].tolist())
        self.contracted = set(zip(city.contracts["unit"].tolist(), city.contracts["company"].tolist(), strict=True))
        co = city.companies
        active = np.isin(co["status"], STATUS_ACTIVE)
        self.pools = [np.flatnonzero(active & (co["cat"] == c)) for c in range(3)]
        u = city.units
        self.issuers = np.flatnonzero(np.isin(u["kind"], ISSUER_KINDS))
        self.hosts = np.flatnonzero(np.isin(u["kind"], HOST_KINDS))
        self.public_lots = np.flatnonzero(city.lots["public"])
        self.phones_taken = set(city.persons["phone"][city.persons["phone"] > 0].tolist())

    # -- sampling ---------------------------------------------------------------------------------------------------
    def sample(self, arr: np.ndarray, ok: Callable[[int], bool], tries: int = 3000) -> int:
        if len(arr) == 0:
            raise Skip("empty candidate list")
        rng = self.rng
        for _ in range(tries):
            x = int(arr[rng.integers(len(arr))])
            if ok(x):
                return x
        for x in arr[rng.integers(0, len(arr), min(len(arr), 20000))].tolist():
            if ok(int(x)):
                return int(x)
        raise Skip("no candidate satisfies the constraints")

    def person(
        self,
        lo: float = 25,
        hi: float = 60,
        *,
        male: bool | None = None,
        fresh: bool = True,
        extra: Callable[[int], bool] | None = None,
    ) -> int:
        mask = self.fresh_ok if fresh else self.rel_ok
        males = self.c.persons["male"]

        def ok(i):
            return (
                mask[i]
                and not self.used[i]
                and lo <= self.age[i] < hi
                and (male is None or bool(males[i]) == male)
                and (extra is None or extra(i))
            )

        for _ in range(50):
            for i in self.rng.integers(0, self.n, 1000).tolist():
                if ok(i):
                    self.used[i] = True
                    return i
        raise Skip("no person satisfies the constraints")

    def filler(self, lo: float, hi: float, *, fresh: bool = True) -> int:
        """A bystander (supervisor, employee): fresh if possible, else anyone off the roster."""
        if fresh:
            try:
                return self.person(lo, hi)
            except Skip:
                pass
        return self.person(lo, hi, fresh=False)

    def unit_once(self, tag: str, arr: np.ndarray, ok: Callable[[int], bool] = lambda u: True) -> int:
        used = self.used_u.setdefault(tag, set())
        u = self.sample(arr, lambda x: x not in used and ok(x))
        used.add(u)
        return u

    def official(
        self, tag: str, kinds=ISSUER_KINDS, roles=("official",), *, level: int | None = None
    ) -> tuple[int, int]:
        """An active roster member (not yet used by scheme ``tag``) and the unit."""
        r = self.c.roster
        u = self.c.units
        rs = [R[x] for x in roles]
        used = self.used_off.setdefault(tag, set())

        def ok(row):
            person = int(r["person"][row])
            unit = int(r["unit"][row])
            return (
                person not in used
                and not self.used[person]
                and int(r["role"][row]) in rs
                and int(u["kind"][unit]) in kinds
                and (level is None or int(u["level"][unit]) == level)
                and not self.custody_p[person]
                and 28 <= self.age[person] < 60
            )

        row = self.sample(self.act_rows, ok)
        person = int(r["person"][row])
        used.add(person)
        return person, int(r["unit"][row])

    # -- families ---------------------------------------------------------------------------------------------------
    def ties_of(self, person: int) -> list[tuple[int, int]]:
        off, dst, rel = self.csr
        out = [(int(dst[j]), int(rel[j])) for j in range(off[person], off[person + 1])]
        return out + self.ties.get(person, [])

    def add_tie(self, a: int, b: int, rel_b_to_a: int, flag: int) -> None:
        if self.rng.random() < 0.5:
            self.c.family.add(flag=flag, a=a, b=b, rel=rel_b_to_a)
        else:
            self.c.family.add(flag=flag, a=b, b=a, rel=INV_REL[rel_b_to_a])
        self.ties.setdefault(a, []).append((b, rel_b_to_a))
        self.ties.setdefault(b, []).append((a, int(INV_REL[rel_b_to_a])))
        self.tie_log += [(a, b), (b, a)]

    def relative(
        self,
        person: int,
        rels=("spouse", "child", "sibling"),
        *,
        flag: int,
        lo: float = 22,
        hi: float = 68,
        avoid: set[int] | None = None,
    ) -> tuple[int, str]:
        avoid = avoid or set()
        codes = {REL[r] for r in rels}
        cands = [
            (q, r)
            for q, r in self.ties_of(person)
            if r in codes and self.rel_ok[q] and not self.used[q] and lo <= self.age[q] < hi and q not in avoid
        ]
        if cands:
            q, r = cands[self.rng.integers(len(cands))]
            self.used[q] = True
            return q, RELS[r]
        order = list(rels)
        self.rng.shuffle(order)
        for rel in order:
            try:
                q = self.create_relative(person, rel, flag=flag, lo=lo, hi=hi, avoid=avoid)
                return q, rel
            except Skip:
                continue
        raise Skip("no relative")

    def create_relative(self, person: int, rel: str, *, flag: int, lo: float, hi: float, avoid: set[int]) -> int:
        a = self.age[person]
        p = self.c.persons
        male = bool(p["male"][person])
        ties = self.ties_of(person)
        if rel == "spouse":
            if any(r == REL["spouse"] for _, r in ties):
                raise Skip("already married")
            span = (max(lo, a - 5), min(hi, a + 5))
            q = self.person(
                *span,
                male=not male,
                extra=lambda i: not any(r == REL["spouse"] for _, r in self.ties_of(i)) and i not in avoid,
            )
        elif rel == "child":
            span = (max(lo, a - 36), min(hi, a - 23))
            if span[0] >= span[1]:
                raise Skip("too young for an adult child")
            q = self.person(*span, extra=lambda i: i not in avoid)
            if male:
                p["sur"][q] = p["sur"][person]
        elif rel == "parent":
            span = (max(lo, a + 23), min(hi, a + 36))
            if span[0] >= span[1]:
                raise Skip("parent too old")
            q = self.person(*span, extra=lambda i: i not in avoid)
        else:
            span = (max(lo, a - 8), min(hi, a + 8))
            q = self.person(*span, extra=lambda i: i not in avoid)
            p["sur"][q] = p["sur"][person]
        self.add_tie(person, q, REL[rel], flag)
        return q

    # -- companies --------------------------------------------------------------------------------------------------
    def company(
        self,
        *,
        rep: int,
        cat: str,
        flag: int,
        holders: list[tuple[int, float]] | None = None,
        reg: int | None = None,
        status: int = 0,
        district: int | None = None,
        **over,
    ) -> int:
        c = self.c
        if reg is None:
            reg = int(day_of("2022-06-30") - self.rng.uniform(1, 12) * YEAR)
        ci = new_company(c, flag=flag, rep=rep, cat=cat, reg=reg, status=status, district=district, **over)
        self.used_c.add(ci)
        merged: dict[int, float] = {}  # one row per holder: the same person twice sums up
        for h, pct in holders or [(rep, 100.0)]:
            merged[h] = merged.get(h, 0.0) + pct
        for h, pct in merged.items():
            c.shareholders.add(flag=flag, company=ci, htype=0, holder=h, pct=round(pct, 2))
        c.executives.add(flag=flag, company=ci, person=rep, title=len(EXEC_TITLES) - 1)
        sup = self.filler(25, 65)
        c.executives.add(flag=flag, company=ci, person=sup, title=EXEC_TITLES.index("监事"))
        for _ in range(int(self.rng.integers(0, 4))):
            e = self.filler(20, 58, fresh=False)
            c.social_insurance.add(flag=flag, person=e, company=ci, start=int(reg + self.rng.integers(30, 700)))
        return ci

    def bg_company(
        self, cat: int, *, before: int, avoid_unit: int | None = None, exclude=(), award_unit: int | None = None
    ) -> int:
        """A background company; ``award_unit``: it will win there, so no roster conflict with that unit."""
        co = self.c.companies

        def ok(x):
            return (
                x not in self.used_c
                and x not in exclude
                and int(co["reg"][x]) < before - 60
                and (avoid_unit is None or (avoid_unit, x) not in self.contracted)
                and (award_unit is None or (award_unit, x) not in self.conflicted)
                and (avoid_unit is None or (avoid_unit, x) not in self.conflicted)
            )

        return self.sample(self.pools[cat], ok)

    def tender_companies(self, t: int) -> np.ndarray:
        b = self.c.bids
        return b["company"][self.bid_order[self.bid_off[t] : self.bid_off[t + 1]]]

    # -- procurement ------------------------------------------------------------------------------------------------
    def tender(
        self,
        unit: int,
        cat: int,
        *,
        flag: int,
        method: int = 0,
        publish: int | None = None,
        window: int | None = None,
        budget: float | None = None,
        earliest: int = D0,
    ) -> int:
        rng = self.rng
        work = self.c.working
        if publish is None:
            lo = np.searchsorted(work, max(earliest, D0))
            hi = np.searchsorted(work, D1 - 75)
            if lo >= hi:
                raise Skip("no publish date left")
            publish = int(work[rng.integers(lo, hi)])
        if window is None:
            window = int(rng.integers(20, 46)) if method == 0 else int(rng.integers(10, 26))
            close = int(work[min(np.searchsorted(work, publish + window), len(work) - 1)])
        else:
            close = publish + window
        if budget is None:
            budget = (
                float(np.exp(rng.normal(np.log(3e6), 0.9)).clip(1.25e6, 8e7))
                if method == 0
                else float(np.exp(rng.uniform(np.log(2e5), np.log(8.8e5))))
            )
        budget = round(budget / 100) * 100
        proj = int(rng.integers(PROJ_LEN[cat]))
        return int(
            self.c.tenders.add(
                flag=flag, unit=unit, cat=cat, method=method, budget=budget, publish=publish, close=close, proj=proj
            )[0]
        )

    def contract(self, tender: int, company: int, amount: float, *, flag: int) -> int:
        t = self.c.tenders
        signed = int(t["close"][tender]) + int(self.rng.integers(7, 31))
        self.contracted.add((int(t["unit"][tender]), company))
        self.n_contracts[int(t["unit"][tender])] += 1
        self.n_direct[int(t["unit"][tender])] += int(t["method"][tender]) == 2
        return int(
            self.c.contracts.add(
                flag=flag,
                unit=t["unit"][tender],
                company=company,
                tender=tender,
                amount=amount,
                signed=signed,
                method=t["method"][tender],
                cat=t["cat"][tender],
                proj=t["proj"][tender],
            )[0]
        )

    def compete(
        self,
        tender: int,
        winner: int,
        *,
        flag: int,
        others: int | None = None,
        extra: list[int] = (),
        winner_wins: bool = True,
    ) -> tuple[list[int], int | None]:
        """Normal competition won by ``winner``; returns (bid rows, contract row)."""
        c = self.c
        rng = self.rng
        t = c.tenders
        cat = int(t["cat"][tender])
        pub = int(t["publish"][tender])
        k = int(rng.integers(2, 6)) if others is None else others
        comps = [winner] + list(extra)
        for _ in range(k):
            comps.append(self.bg_company(cat, before=pub, exclude=set(comps)))
        return self.bids(tender, comps, flag=flag, winner=winner if winner_wins else None)

    def bids(
        self, tender: int, comps: list[int], *, flag: int, winner: int | None, prices=None, ident: dict | None = None
    ) -> tuple[list[int], int | None]:
        c = self.c
        rng = self.rng
        t = c.tenders
        m = len(comps)
        budget = np.array([t["budget"][tender]])
        tt = np.zeros(m, dtype=np.int64)
        if prices is None:
            prices = price_bids(rng, budget, tt)
            ranks = rank_bids(rng, tt, prices, budget)
            order = np.argsort(ranks)
            comps_sorted = list(comps)
            if winner is not None:
                rest = [x for x in comps if x != winner]
                rng.shuffle(rest)
                comps_sorted = [winner] + rest
            else:
                comps_sorted = list(rng.permutation(comps))
            comp_of_slot = np.empty(m, dtype=np.int64)
            comp_of_slot[order] = comps_sorted
            comps = comp_of_slot.tolist()
        else:
            prices = np.asarray(prices, dtype=np.float64)
            ranks = (np.argsort(np.argsort(prices)) + 1).astype(np.int16)
        comps_arr = np.array(comps, dtype=np.int64)
        idn = bid_identity(c, comps_arr)
        if ident:
            for key, v in ident.items():
                idn[key] = np.asarray(v) if np.ndim(v) else np.full(m, v, dtype=idn[key].dtype)
        if int(t["method"][tender]) == 2:
            idn["bond"] = np.full(m, np.iinfo(np.int64).min)
        sub = submit_times(rng, np.full(m, t["publish"][tender]), np.full(m, t["close"][tender]))
        win = np.zeros(m, dtype=np.int8)
        if winner is not None:
            win[int(np.argmin(ranks))] = 1
        rows = c.bids.add(
            flag=flag, tender=tender, company=comps_arr, price=prices, rank=ranks, win=win, submit=sub, **idn
        )
        con = None
        if winner is not None:
            wi = int(np.argmin(ranks))
            con = self.contract(tender, int(comps_arr[wi]), float(prices[wi]), flag=flag)
        return rows.tolist(), con

    def direct_contract(
        self, unit: int, company: int, amount: float, signed: int, *, flag: int, cat: int = 0, proj: int | None = None
    ) -> int:
        self.contracted.add((unit, company))
        self.n_contracts[unit] += 1
        self.n_direct[unit] += 1
        if proj is None:
            proj = int(self.rng.integers(PROJ_LEN[cat]))
        return int(
            self.c.contracts.add(
                flag=flag,
                unit=unit,
                company=company,
                amount=round(amount, 2),
                signed=signed,
                method=2,
                cat=cat,
                proj=proj,
            )[0]
        )

    # -- vehicles ---------------------------------------------------------------------------------------------------
    def card(
        self,
        tag: str,
        *,
        kinds=("official", "enforcement"),
        need_official: bool = False,
        pred: Callable[[int, int, int], bool] | None = None,
    ) -> tuple[int, int, int]:
        fc = self.c.fuel_cards
        vt = self.c.vehicles
        cards = _cached(self.c, "bound_cards", lambda: np.flatnonzero(fc["vehicle"] >= 0))
        vk = {VK[k] for k in kinds}
        used_card = self.used_card.setdefault(tag, set())
        used_v = self.used_v.setdefault(tag, set())

        def ok(i):
            v = int(fc["vehicle"][i])
            return (
                i not in used_card
                and v not in used_v
                and int(vt["kind"][v]) in vk
                and (not need_official or self.staff_at.get(int(fc["unit"][i])))
                and (pred is None or pred(i, v, int(fc["unit"][i])))
            )

        i = self.sample(cards, ok)
        v = int(fc["vehicle"][i])
        used_card.add(i)
        used_v.add(v)
        return i, v, int(fc["unit"][i])

    def official_vehicle(self, tag: str) -> tuple[int, int]:
        vt = self.c.vehicles
        cand = _cached(
            self.c, "official_vehicles", lambda: np.flatnonzero((vt["otype"] == 2) & (vt["kind"] == VK["official"]))
        )
        used_v = self.used_v.setdefault(tag, set())
        v = self.sample(cand, lambda x: x not in used_v)
        used_v.add(v)
        return v, int(vt["owner"][v])

    def station(self, unit: int | None = None, cty: int = 0) -> int:
        if cty:
            return int(self.rng.choice(places_of(self.c, "gas_station", cty=cty)))
        d = int(self.c.units["district"][unit]) if unit is not None else -1
        if d < 0:
            d = int(self.rng.integers(len(V.DISTRICTS)))
        return int(self.rng.choice(places_of(self.c, "gas_station", district=d)))

    def has(self, keys: np.ndarray, v: int, day: int) -> bool:
        k = v * 100000 + int(day)
        i = np.searchsorted(keys, k)
        return (i < len(keys) and keys[i] == k) or k in self.busy

    def free_day(self, v: int, days: np.ndarray | None = None, *, no_stops: bool = False) -> int:
        """A day (working day by default) when vehicle ``v`` has no fill (and no GPS stop) yet."""
        days = self.c.working if days is None else days
        for _ in range(500):
            d = int(days[self.rng.integers(len(days))])
            if not self.has(self.fill_keys, v, d) and not (no_stops and self.has(self.stop_keys, v, d)):
                self.busy.add(v * 100000 + d)
                return d
        raise Skip("no free day")

    def fill_time(self, day: int) -> int:
        w = FILL_WINDOWS[int(self.rng.integers(2))]
        return int(day) * 86400 + int(self.rng.integers(w[0], w[1]))

    def tx(
        self,
        card: int,
        t: int,
        station: int,
        litres: float | None,
        *,
        flag: int,
        plate: int | None,
        goods: str = "fuel",
        amount: float | None = None,
    ) -> int:
        day = t // 86400
        bound = int(self.c.fuel_cards["vehicle"][card])
        for v in (bound, plate):
            if v is not None and v >= 0:
                self.busy.add(int(v) * 100000 + int(day))
        if amount is None:
            amount = round(litres * float(fuel_price(np.array([day]))[0]), 2)
        return int(
            self.c.fuel_tx.add(
                flag=flag,
                card=card,
                time=t,
                station=station,
                litres=np.nan if litres is None else round(litres, 2),
                amount=amount,
                goods=GOODS.index(goods),
                plate=NA32 if plate is None else plate,
            )[0]
        )

    def stop(self, vehicle: int, place: int, t: int, dur: float, *, flag: int) -> int:
        self.busy.add(int(vehicle) * 100000 + int(t // 86400))
        return int(self.c.gps.add(flag=flag, vehicle=vehicle, place=place, time=t, dur=round(dur, 1))[0])

    def workday(self, lo: int = D0, hi: int = D1) -> int:
        w = self.c.working
        a, b = np.searchsorted(w, lo), np.searchsorted(w, hi)
        return int(w[self.rng.integers(a, b)])

    def fresh_phone(self) -> int:
        while True:
            ph = int(self.rng.choice([176, 177, 178, 166])) * 10**8 + int(self.rng.integers(10**8))
            if ph not in self.phones_taken:
                self.phones_taken.add(ph)
                return ph


# ---------------------------------------------------------------------------------------------------------------------
# schemes: each function plants one instance (decoy=False) or one decoy and returns nothing


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


# -- fuel cards --------------------------------------------------------------------------------------------------------


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


# -- welfare -----------------------------------------------------------------------------------------------------------


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


# -- official vehicles, receptions, hotline ----------------------------------------------------------------------------


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


# -- procurement red flags ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------------------------

SCHEMES: dict[str, Callable[[Planter, bool], None]] = {
    "bid_rigging": s_bid_rigging,  # first: it needs the most unconnected people
    "relative_wins_tender_1hop": s_relative_wins_tender_1hop,
    "relative_wins_tender_2hop": s_relative_wins_tender_2hop,
    "relative_wins_tender_executive": s_relative_wins_tender_executive,
    "ex_official_joins_winner": s_ex_official_joins_winner,
    "judge_relative_lawyer": s_judge_relative_lawyer,
    "fuel_over_capacity": s_fuel_over_capacity,
    "fuel_gps_mismatch": s_fuel_gps_mismatch,
    "fuel_holiday": s_fuel_holiday,
    "fuel_out_of_city": s_fuel_out_of_city,
    "fuel_non_fuel_goods": s_fuel_non_fuel_goods,
    "fuel_private_plate": s_fuel_private_plate,
    "privileged_vehicle": s_privileged_vehicle,
    "prisoner_paid": s_prisoner_paid,
    "subsidy_ineligible": s_subsidy_ineligible,
    "village_labour_overpay": s_village_labour_overpay,
    "vehicle_sensitive_place": s_vehicle_sensitive_place,
    "banquet_no_letter": s_banquet_no_letter,
    "hotline_manipulation": s_hotline_manipulation,
    "split_contracts": s_split_contracts,
    "single_bid_tender": s_single_bid_tender,
    "short_bid_window": s_short_bid_window,
    "direct_award_share": s_direct_award_share,  # last: later awards would dilute the share
}


def instances_per_scheme(scale: int) -> int:
    """5 per 10,000 persons (at least one)."""
    return max(1, round(5 * scale / 10000))


def _cached(city: City, key: str, make: Callable[[], object]):
    """city.extra[key], computed once."""
    if key not in city.extra:
        city.extra[key] = make()
    return city.extra[key]


def _undo_ties(pl: Planter, n_log: int) -> None:
    while len(pl.tie_log) > n_log:
        a, b = pl.tie_log.pop()
        lst = pl.ties.get(a, [])
        for i in range(len(lst) - 1, -1, -1):
            if lst[i][0] == b:
                del lst[i]
                break


def plant_all(city: City) -> dict[str, dict[str, int]]:
    """Plant every scheme and its decoys; returns counts per scheme."""
    pl = Planter(city)
    n = instances_per_scheme(city.scale)
    counts: dict[str, dict[str, int]] = {}
    for name, fn in SCHEMES.items():
        got = {"instances": 0, "decoys": 0, "skipped": 0}
        for decoy in (False, True):
            for _ in range(n):
                for _attempt in range(8):
                    snapshot = _lengths(city)
                    n_log = len(pl.tie_log)
                    try:
                        fn(pl, decoy)
                        got["decoys" if decoy else "instances"] += 1
                        break
                    except Skip:
                        _truncate(city, snapshot)
                        _undo_ties(pl, n_log)
                else:
                    got["skipped"] += 1
        counts[name] = got
    return counts


def _lengths(city: City) -> dict[str, int]:
    return {k: len(t) for k, t in city.t.items()} | {"_truth": (len(city.truth.instances), len(city.truth.decoys))}


def _truncate(city: City, snap: dict) -> None:
    """Undo the rows a skipped instance appended."""
    for k, t in city.t.items():
        t.truncate(snap.get(k, len(t)))
    ni, nd = snap["_truth"]
    del city.truth.instances[ni:]
    del city.truth.decoys[nd:]


def _dedupe(ents: list[tuple[str, object]]) -> list[tuple[str, object]]:
    seen = set()
    out = []
    for e in ents:
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def _iso(day: int) -> str:
    return str(np.datetime64(int(day), "D"))
