"""Plant every scheme (with known ground truth) and its decoys into the city.

This module holds the :class:`Planter` (what the schemes share: picking people, units, companies and
tenders not used by another scheme, recording truth) and :func:`plant_all`; the schemes themselves live
in :mod:`graphkit.synth.schemes`, one module per family. Each scheme function plants one instance (or
one decoy) and records it in
``city.truth`` with its entities as ``(kind, index)`` references; the writer
turns them into the natural keys of the output files.  Scheme rows carry
``_flag`` 1 (planted) or 2 (decoy) so that dirty rows never touch them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import vocab as V
from .business import (
    EXEC_TITLES,
    PROJ_LEN,
    STATUS_ACTIVE,
    bid_identity,
    new_company,
    price_bids,
    rank_bids,
    submit_times,
)
from .people import INV_REL, RELS, K, R, family_csr
from .vehicles import FILL_WINDOWS, GOODS, VK, fuel_price, places_of
from .world import (
    D0,
    D1,
    NA32,
    REF,
    YEAR,
    City,
    day_of,
)

__all__ = ["RATE", "Planter", "Skip", "plant_all", "instances_per_scheme"]

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
        # draws in growing batches: a batch of k draws is the k draws one at a time (numpy's Generator), so on a
        # hit the generator is wound back and moved on by exactly the draws used, and the city stays the same;
        # one draw per call had been most of a million-person synth (rarely met constraints: thousands of tries)
        start, done, size = rng.bit_generator.state, 0, 8
        while done < tries:
            size = min(size, tries - done)
            for i, x in enumerate(arr[rng.integers(len(arr), size=size)].tolist()):
                if ok(int(x)):
                    rng.bit_generator.state = start
                    rng.integers(len(arr), size=done + i + 1)
                    return int(x)
            done, size = done + size, size * 4
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


# ---------------------------------------------------------------------------------------------------------------------


#: instances (and as many decoys) of each scheme per 10,000 persons, unless ``generate(rate=…)`` says otherwise
RATE = 5.0


def instances_per_scheme(scale: int, rate: float = RATE) -> int:
    """``rate`` per 10,000 persons (at least one).

    >>> instances_per_scheme(100_000), instances_per_scheme(100_000, 0.1), instances_per_scheme(10_000, 0.1)
    (50, 1, 1)
    """
    return max(1, round(rate * scale / 10000))


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
    from .schemes import SCHEMES

    return plant_schemes(Planter(city), SCHEMES, instances_per_scheme(city.scale, city.rate))


def plant_schemes(
    pl: Planter,
    schemes: dict[str, Callable[[Planter, bool], None]],
    n: int,
    *,
    extra_lists: tuple[str, ...] = (),
) -> dict[str, dict[str, int]]:
    """Plant ``n`` instances and ``n`` decoys of each scheme, each tried up to 8 times; a try that raises
    :class:`Skip` is undone (rows, truth, ties, and the ``city.extra`` lists named in ``extra_lists``)."""
    city = pl.c
    counts: dict[str, dict[str, int]] = {}
    for name, fn in schemes.items():
        got = {"instances": 0, "decoys": 0, "skipped": 0}
        for decoy in (False, True):
            for _ in range(n):
                for _attempt in range(8):
                    snapshot = _lengths(city)
                    n_log = len(pl.tie_log)
                    n_extra = {k: len(city.extra.get(k, [])) for k in extra_lists}
                    try:
                        fn(pl, decoy)
                        got["decoys" if decoy else "instances"] += 1
                        break
                    except Skip:
                        _truncate(city, snapshot)
                        _undo_ties(pl, n_log)
                        for k, m in n_extra.items():
                            del city.extra.setdefault(k, [])[m:]
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
