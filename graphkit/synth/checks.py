"""Reference collisions on the in-memory city, used to keep the background clean.

These are deliberately simple joins: they find every (unit, company) pair
where someone on the unit's roster has a relative (one or two family hops)
who is a shareholder, legal representative or executive of the company.  The
generator removes such pairs from the background awards before it plants the
schemes, so every awarded conflict of interest in the output is a planted one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .people import family_csr
from .world import D0, NA32, City

__all__ = ["company_roles", "conflicted_awards", "relative_company_pairs", "sanitize_awards"]


def company_roles(city: City, *, executives: bool = True) -> pd.DataFrame:
    """person → company with the role: legal_rep, shareholder, executive."""
    co = city.companies
    sh = city.shareholders
    m = sh["htype"] == 0
    parts = [
        pd.DataFrame({"person": co["rep"], "company": np.arange(len(co)), "role": "legal_rep"}),
        pd.DataFrame({"person": sh["holder"][m], "company": sh["company"][m], "role": "shareholder"}),
    ]
    if executives:
        ex = city.executives
        parts.append(pd.DataFrame({"person": ex["person"], "company": ex["company"], "role": "executive"}))
    out = pd.concat(parts, ignore_index=True)
    out["person"] = out["person"].astype(np.int64)
    out["company"] = out["company"].astype(np.int64)
    return out


def relative_company_pairs(city: City, *, hops: int = 2, executives: bool = True) -> pd.DataFrame:
    """(unit, company, official, relative, hop, role) for roster people active in the observation window."""
    r = city.roster
    act = (r["end"] == NA32) | (r["end"] >= D0)
    ros = pd.DataFrame({"official": r["person"][act].astype(np.int64), "unit": r["unit"][act].astype(np.int64)})
    off, dst, _ = family_csr(city)
    src = np.repeat(np.arange(len(off) - 1), np.diff(off))
    pairs = pd.DataFrame({"a": src, "b": dst})
    roles = company_roles(city, executives=executives)
    holders = np.unique(roles["person"].to_numpy())
    hop1 = ros.merge(pairs, left_on="official", right_on="a")[["official", "unit", "b"]].rename(columns={"b": "r1"})
    found = [hop1[hop1["r1"].isin(holders)].rename(columns={"r1": "relative"}).assign(hop=1)]
    if hops >= 2:
        p2 = pairs[pairs["b"].isin(holders)]
        hop2 = hop1.merge(p2, left_on="r1", right_on="a")[["official", "unit", "b"]].rename(columns={"b": "relative"})
        hop2 = hop2[hop2["relative"] != hop2["official"]]
        found.append(hop2.assign(hop=2))
    rel = pd.concat(found, ignore_index=True)
    out = rel.merge(roles, left_on="relative", right_on="person")
    out = out.sort_values("hop").drop_duplicates(["unit", "company", "official", "relative", "role"])
    return out[["unit", "company", "official", "relative", "hop", "role"]].reset_index(drop=True)


def conflicted_awards(city: City, *, hops: int = 2, executives: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Winning bids and tender-less contracts whose (unit, company) pair is conflicted."""
    pairs = relative_company_pairs(city, hops=hops, executives=executives)[["unit", "company"]].drop_duplicates()
    b = city.bids
    w = np.flatnonzero(b["win"] == 1)
    wins = pd.DataFrame(
        {"bid": w, "tender": b["tender"][w].astype(np.int64), "company": b["company"][w].astype(np.int64)}
    )
    wins["unit"] = city.tenders["unit"][wins["tender"].to_numpy()].astype(np.int64)
    bad_bids = wins.merge(pairs, on=["unit", "company"])
    con = city.contracts
    d = np.flatnonzero(con["tender"] < 0)
    direct = pd.DataFrame(
        {"contract": d, "unit": con["unit"][d].astype(np.int64), "company": con["company"][d].astype(np.int64)}
    )
    bad_con = direct.merge(pairs, on=["unit", "company"])
    return bad_bids, bad_con


def sanitize_awards(city: City, rounds: int = 8, *, only_background: bool = False) -> int:
    """Give conflicted background awards to other companies; returns how many were changed."""
    rng = city.rng
    co = city.companies
    b = city.bids
    con = city.contracts
    changed = 0
    active = np.isin(co["status"], (0, 1))
    pools = [np.flatnonzero(active & (co["cat"] == c)) for c in range(3)]
    for _ in range(rounds):
        bad_bids, bad_con = conflicted_awards(city)
        if only_background:
            bad_bids = bad_bids[b["_flag"][bad_bids["bid"].to_numpy()] == 0]
            bad_con = bad_con[con["_flag"][bad_con["contract"].to_numpy()] == 0]
        if bad_bids.empty and bad_con.empty:
            return changed
        comp = b["company"]
        # bids and contracts of the tenders concerned
        tenders = set(bad_bids["tender"].tolist())
        in_t = np.flatnonzero(np.isin(b["tender"], list(tenders)))
        bidders: dict[int, set[int]] = {}
        for row in in_t.tolist():
            bidders.setdefault(int(b["tender"][row]), set()).add(int(comp[row]))
        con_rows: dict[int, list[int]] = {}
        for row in np.flatnonzero(np.isin(con["tender"], list(tenders))).tolist():
            con_rows.setdefault(int(con["tender"][row]), []).append(row)
        for bid, tender in zip(bad_bids["bid"].to_numpy(), bad_bids["tender"].to_numpy(), strict=True):
            taken = bidders[int(tender)]
            pool = pools[int(city.tenders["cat"][tender])]
            for _ in range(50):
                c = int(pool[rng.integers(len(pool))])
                if c not in taken:
                    break
            taken.add(c)
            comp[bid] = c
            for k, src in (("ip", "ip"), ("mac", "mac"), ("author", "author"), ("bond", "account"), ("agent", "agent")):
                if k == "bond" and b["bond"][bid] < 0:
                    continue
                b[k][bid] = co[src][c]
            for cr in con_rows.get(int(tender), []):
                con["company"][cr] = c
            changed += 1
        for ci in bad_con["contract"].to_numpy():
            pool = pools[min(int(con["cat"][ci]), 2)]
            con["company"][ci] = int(pool[rng.integers(len(pool))])
            changed += 1
    raise RuntimeError("could not remove conflicted awards from the background")
