"""Reference collisions over a generated directory: is every planted scheme there, and only it?

Each detector is the plainest reading of the scheme (a few pandas joins over
the written files, dirty rows dropped as ``dirty.json`` lists them, keys
normalised with :mod:`graphkit.model.types`).  :func:`verify` compares what
they find with ``truth.json``: every planted instance must be found, no decoy
and nothing from the background may be.  Detection models must of course do
better than these rules on real data; here they prove the generator plants
what it says and nothing by accident.

Example
-------
>>> import tempfile
>>> from graphkit.synth import generate
>>> from graphkit.synth.verify import verify
>>> with tempfile.TemporaryDirectory() as d:
...     _ = generate(d, scale=3000, seed=3)
...     report = verify(d)
>>> all(r["missed"] == [] and r["unexpected"] == [] for r in report.values())
True
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.model import types as T
from graphkit.model.calendar import HOLIDAYS, is_working_day
from loaders.contracts import load_contracts

__all__ = ["DETECTORS", "KEY_TYPE", "load", "verify"]

CITY = "苏州市"
#: the entity type each scheme is compared on
KEY_TYPE = {
    "relative_wins_tender_1hop": "tender",
    "relative_wins_tender_2hop": "tender",
    "relative_wins_tender_executive": "tender",
    "ex_official_joins_winner": "tender",
    "judge_relative_lawyer": "licence",
    "fuel_over_capacity": "card",
    "fuel_gps_mismatch": "card",
    "fuel_holiday": "card",
    "fuel_out_of_city": "card",
    "fuel_non_fuel_goods": "card",
    "fuel_private_plate": "card",
    "privileged_vehicle": "vehicle",
    "prisoner_paid": "person",
    "subsidy_ineligible": "person",
    "village_labour_overpay": "person",
    "vehicle_sensitive_place": "vehicle",
    "banquet_no_letter": "reception",
    "hotline_manipulation": "unit",
    "direct_award_share": "unit",
    "split_contracts": "contract",
    "single_bid_tender": "tender",
    "short_bid_window": "tender",
    "bid_rigging": "company",
}
_NORM = {
    "id_number": T.normalize_id_number,
    "credit_code": T.normalize_credit_code,
    "plate": T.normalize_plate,
    "phone": T.normalize_phone,
    "name": T.normalize_name,
    "person_name": T.normalize_person_name,
}


def load(out_dir) -> dict[str, pd.DataFrame]:
    """Every source file as a DataFrame with the contracts' English column names, error rows dropped."""
    out = Path(out_dir)
    contracts = load_contracts()
    dirty = json.loads((out / "dirty.json").read_text(encoding="utf-8"))
    frames = {}
    for kind, spec in contracts.items():
        path = out / f"{kind}.csv"
        if path.exists():
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            df = pd.read_parquet(out / f"{kind}.parquet")
            df = df.astype(object).where(df.notna(), "").astype(str)
        df.columns = list(spec.columns)
        info = dirty["files"].get(kind, {}).get("dirty", {})
        drop = [r - 2 for k, rows in info.items() if k in dirty["error_kinds"] for r, _ in rows]
        df = df.drop(index=drop).reset_index(drop=True)
        fixed = {r - 2 for k, rows in info.items() if k not in dirty["error_kinds"] for r, _ in rows}
        for col, c in spec.columns.items():
            f = _NORM.get(c.type)
            if f is not None and fixed:
                df[col] = [f(v) or "" for v in df[col]]
        df = df.replace("", np.nan)
        frames[kind] = df
    return frames


def _num(s):
    return pd.to_numeric(s, errors="coerce")


def _undirected(fam: pd.DataFrame) -> pd.DataFrame:
    a = fam[["id_number", "relative_id_number"]].rename(columns={"id_number": "a", "relative_id_number": "b"})
    b = a.rename(columns={"a": "b", "b": "a"})
    return pd.concat([a, b], ignore_index=True).drop_duplicates()


def _roles(f, executives=True) -> pd.DataFrame:
    co = f["companies"]
    sh = f["shareholders"]
    parts = [
        pd.DataFrame({"p": co["legal_rep_id"], "c": co["credit_code"], "role": "legal_rep"}),
        pd.DataFrame(
            {
                "p": sh.loc[sh["holder_type"] == "person", "holder_id"],
                "c": sh.loc[sh["holder_type"] == "person", "credit_code"],
                "role": "shareholder",
            }
        ),
    ]
    if executives:
        ex = f["executives"]
        parts.append(pd.DataFrame({"p": ex["id_number"], "c": ex["credit_code"], "role": "executive"}))
    return pd.concat(parts, ignore_index=True).dropna()


def _wins(f) -> pd.DataFrame:
    b = f["bids"]
    w = b[b["is_winner"] == "1"][["tender_id", "credit_code"]]
    return w.merge(f["tenders"][["tender_id", "unit_id", "publish_date"]], on="tender_id")


def _relative_tenders(f, *, hop: int, roles: set[str], exclude_roles: set[str] = frozenset()) -> set:
    r = f["roster"]
    ros = r[r["end_date"].isna()][["id_number", "unit_id"]].rename(columns={"id_number": "o", "unit_id": "u"})
    fam = _undirected(f["family"])
    h1 = ros.merge(fam, left_on="o", right_on="a")[["o", "u", "b"]].rename(columns={"b": "r"})
    if hop == 2:
        h2 = h1.merge(fam, left_on="r", right_on="a")[["o", "u", "b"]].rename(columns={"b": "r2"})
        h2 = h2[h2["r2"] != h2["o"]]
        direct = set(zip(h1["o"], h1["r"], strict=True))
        h2 = h2[[(o, x) not in direct for o, x in zip(h2["o"], h2["r2"], strict=True)]]
        rel = h2.rename(columns={"r2": "r"})
    else:
        rel = h1
    ro = _roles(f)
    got = rel.merge(ro[ro["role"].isin(roles)], left_on="r", right_on="p")
    if exclude_roles:
        other = ro[ro["role"].isin(exclude_roles)][["p", "c"]].assign(x=1)
        got = got.merge(other, on=["p", "c"], how="left")
        got = got[got["x"].isna()]
    hits = got.merge(_wins(f), left_on=["u", "c"], right_on=["unit_id", "credit_code"])
    return set(hits["tender_id"])


def d_relative_1hop(f):
    return _relative_tenders(f, hop=1, roles={"legal_rep", "shareholder"})


def d_relative_2hop(f):
    return _relative_tenders(f, hop=2, roles={"legal_rep", "shareholder"})


def d_relative_exec(f):
    return _relative_tenders(f, hop=1, roles={"executive"}, exclude_roles={"legal_rep", "shareholder"})


def d_ex_official(f):
    r = f["roster"]
    ended = r[r["end_date"].notna()][["id_number", "unit_id", "end_date"]]
    ro = _roles(f)[["p", "c"]]
    si = f["social_insurance"][["id_number", "employer_id"]].rename(columns={"id_number": "p", "employer_id": "c"})
    links = pd.concat([ro, si], ignore_index=True)
    got = ended.merge(links, left_on="id_number", right_on="p")
    hits = got.merge(_wins(f), left_on=["unit_id", "c"], right_on=["unit_id", "credit_code"])
    hits = hits[hits["publish_date"] > hits["end_date"]]
    return set(hits["tender_id"])


def d_judge(f):
    r = f["roster"]
    j = r[(r["role"] == "judge") & r["end_date"].isna()][["id_number", "unit_id"]]
    j = j.merge(f["units"][["unit_id", "jurisdiction"]], on="unit_id")
    rel = j.merge(_undirected(f["family"]), left_on="id_number", right_on="a")
    lic = f["licences"]
    lic = lic[lic["kind"] == "lawyer"]
    hits = rel.merge(lic, left_on=["b", "jurisdiction"], right_on=["id_number", "region"])
    return set(hits["licence_no"])


def _fuel(f):
    tx = f["fuel_transactions"].merge(
        f["fuel_cards"][["card_no", "plate"]].rename(columns={"plate": "bound"}), on="card_no", how="left"
    )
    tx["t"] = pd.to_datetime(tx["time"])
    return tx


def d_fuel_over(f):
    tx = _fuel(f).merge(
        f["vehicles"][["plate", "tank_capacity"]], left_on="bound", right_on="plate", suffixes=("", "_v")
    )
    return set(tx.loc[_num(tx["litres"]) > _num(tx["tank_capacity"]), "card_no"])


def d_fuel_goods(f):
    tx = f["fuel_transactions"]
    return set(tx.loc[tx["goods"].isin(["cigarettes", "food", "liquor"]), "card_no"])


def d_fuel_holiday(f):
    tx = _fuel(f).merge(f["vehicles"][["plate", "kind"]], left_on="bound", right_on="plate", suffixes=("", "_v"))
    tx = tx[(tx["kind"] == "official") & (tx["goods"] == "fuel")]
    hol = tx[[d in HOLIDAYS for d in tx["t"].dt.date]]
    n = hol.groupby("card_no").size()
    return set(n[n >= 2].index)


def _stops(f):
    g = f["gps_stops"].copy()
    g["t"] = pd.to_datetime(g["time"])
    g["end"] = g["t"] + pd.to_timedelta(_num(g["duration_min"]), unit="min")
    g["day"] = g["t"].dt.date
    return g


def d_fuel_out(f):
    tx = _fuel(f)
    tx = tx[tx["city"] != CITY].copy()
    tx["day"] = tx["t"].dt.date
    g = _stops(f)
    there = set(zip(g["plate"], g["city"], g["day"], strict=True))
    tx = tx[[(b, c, d) not in there for b, c, d in zip(tx["bound"], tx["city"], tx["day"], strict=True)]]
    return set(tx["card_no"])


def d_fuel_gps(f, minutes: int = 30):
    tx = _fuel(f)
    tx = tx[tx["bound"].notna() & (tx["goods"] == "fuel")]
    g = _stops(f)
    m = tx.merge(g[["plate", "t", "end", "place_name"]], left_on="bound", right_on="plate", suffixes=("", "_g"))
    w = pd.Timedelta(minutes=minutes)
    near = (m["t_g"] <= m["t"] + w) & (m["end"] >= m["t"] - w)
    bad = m[near & (m["place_name"] != m["station"])]
    return set(bad["card_no"])


def d_fuel_private(f):
    tx = _fuel(f)
    v = f["vehicles"][["plate", "kind"]]
    tx = tx.merge(v, on="plate", how="left")
    return set(tx.loc[tx["plate"].notna() & (tx["plate"] != tx["bound"]) & (tx["kind"] == "private"), "card_no"])


def _supervised(f) -> set:
    r = f["roster"]
    off = set(r.loc[r["end_date"].isna(), "id_number"])
    fam = _undirected(f["family"])
    return off | set(fam.loc[fam["a"].isin(off), "b"])


def d_privileged(f):
    v = f["vehicles"]
    priv = v[(v["kind"] == "private") & v["owner_id"].isin(_supervised(f))]
    wl = f["parking_whitelist"]
    pr = f["parking_records"]
    flagged = set(wl.loc[wl["public"] == "1", "plate"]) | set(pr.loc[pr["exempt"] == "1", "plate"])
    return set(priv["plate"]) & flagged


def d_prisoner(f):
    b = f["benefits"].merge(f["custody"], on="id_number")
    ms = pd.to_datetime(b["period"] + "-01")
    me = ms + pd.offsets.MonthEnd(0)
    s = pd.to_datetime(b["start_date"])
    e = pd.to_datetime(b["end_date"]).fillna(pd.Timestamp("2100-01-01"))
    return set(b.loc[(ms > s) & (me <= e), "id_number"])


def d_subsidy(f):
    b = f["benefits"]
    d = b[b["kind"] == "dibao"]
    co = f["companies"]
    active = set(co.loc[co["status"].isin(["存续", "在业"]), "credit_code"])
    ro = _roles(f, executives=False)
    owners = set(ro.loc[ro["c"].isin(active) & ro["role"].isin(["legal_rep", "shareholder"]), "p"])
    v = f["vehicles"]
    car = set(v.loc[(v["kind"] == "private") & (v["owner_type"] == "person"), "owner_id"])
    fam = _undirected(f["family"])
    rel = set(zip(fam["a"], fam["b"], strict=True))
    by_rel = {p for p, a in zip(d["id_number"], d["approver_id"], strict=True) if (p, a) in rel}
    return (set(d["id_number"]) & (owners | car)) | by_rel


def d_labour(f):
    lb = f["village_labour"].copy()
    lb["s"] = pd.to_datetime(lb["work_start"])
    lb["e"] = pd.to_datetime(lb["work_end"])
    r = f["roster"]
    cad = r[r["role"] == "village_cadre"].copy()
    m = lb.merge(cad, left_on=["worker_id", "village_id"], right_on=["id_number", "unit_id"])
    rs = pd.to_datetime(m["start_date"])
    re_ = pd.to_datetime(m["end_date"]).fillna(pd.Timestamp("2100-01-01"))
    found = set(m.loc[(rs <= m["s"]) & (re_ >= m["s"]), "worker_id"])
    x = lb.merge(lb, on="worker_id")
    x = x[x["payment_id_x"] < x["payment_id_y"]]
    found |= set(x.loc[(x["s_x"] <= x["e_y"]) & (x["s_y"] <= x["e_x"]), "worker_id"])
    cu = lb.merge(f["custody"], left_on="worker_id", right_on="id_number")
    cs = pd.to_datetime(cu["start_date"])
    ce = pd.to_datetime(cu["end_date"]).fillna(pd.Timestamp("2100-01-01"))
    found |= set(cu.loc[(cu["s"] <= ce) & (cu["e"] >= cs), "worker_id"])
    return found


def d_sensitive(f):
    g = _stops(f).merge(f["vehicles"][["plate", "kind"]], on="plate")
    g = g[g["kind"] == "official"]
    hol = np.array([d in HOLIDAYS for d in g["day"]])
    off = np.array([not is_working_day(d) for d in g["day"]])
    bad = (g["category"].isin(["hotel", "scenic", "club"]).to_numpy() & hol) | ((g["city"] != CITY).to_numpy() & off)
    return set(g.loc[bad, "plate"])


def d_banquet(f):
    r = f["receptions"]
    per = _num(r["amount"]) / _num(r["guests"])
    return set(r.loc[r["letter_no"].isna() | (per > 150), "reception_id"])


def d_hotline(f, min_tickets: int = 4, share: float = 0.10):
    h = f["hotline"]
    tot = h.groupby("community_id").size()
    g = h.groupby(["community_id", "caller_phone"]).agg(
        n=("ticket_id", "size"), ok=("status", lambda s: (s == "resolved").all())
    )
    g = g[(g["n"] >= min_tickets) & g["ok"]].reset_index()
    agg = g.groupby("community_id").agg(phones=("caller_phone", "size"), n=("n", "sum"))
    agg["share"] = agg["n"] / tot.reindex(agg.index)
    return set(agg[(agg["phones"] >= 3) & (agg["share"] >= share)].index)


def d_split(f, low=900_000, high=1_000_000, window=60):
    c = f["contracts"].copy()
    c["a"] = _num(c["amount"])
    c = c[(c["a"] >= low) & (c["a"] < high)].copy()
    c["d"] = pd.to_datetime(c["signed_date"])
    found = set()
    for _, grp in c.groupby(["unit_id", "credit_code"]):
        if len(grp) < 3:
            continue
        grp = grp.sort_values("d")
        days = grp["d"].to_numpy()
        for i in range(len(grp) - 2):
            if (days[i + 2] - days[i]) <= np.timedelta64(window, "D"):
                found |= set(grp["contract_id"])
    return found


def d_single_bid(f):
    t = f["tenders"]
    b = f["bids"]
    n = b.groupby("tender_id").size()
    won = set(b.loc[b["is_winner"] == "1", "tender_id"])
    op = t[t["method"] == "open"]
    return {x for x in op["tender_id"] if n.get(x, 0) == 1 and x in won}


def d_short_window(f, days=20):
    t = f["tenders"]
    op = t[t["method"] == "open"]
    w = (pd.to_datetime(op["close_date"]) - pd.to_datetime(op["publish_date"])).dt.days
    return set(op.loc[w < days, "tender_id"])


def d_direct_share(f, min_contracts=15, share=0.75):
    c = f["contracts"]
    g = c.groupby("unit_id").agg(n=("contract_id", "size"), d=("method", lambda s: (s == "direct").sum()))
    g = g[g["n"] >= min_contracts]
    return set(g[g["d"] / g["n"] >= share].index)


def d_bid_rigging(f, min_tenders=5, margin=0.035):
    """Pairs of companies that both bid within ``margin`` of the lowest price in ≥ ``min_tenders`` tenders
    and in at least 80% of the tenders they both bid in."""
    b = f["bids"][["tender_id", "credit_code", "price"]].copy()
    b["p"] = _num(b["price"])
    low = b.groupby("tender_id")["p"].transform("min")
    b["near"] = b["p"] <= low * (1 + margin)
    pairs = b.merge(b, on="tender_id")
    pairs = pairs[pairs["credit_code_x"] < pairs["credit_code_y"]]
    pairs["both"] = pairs["near_x"] & pairs["near_y"]
    g = pairs.groupby(["credit_code_x", "credit_code_y"])["both"].agg(["sum", "size"])
    g = g[(g["sum"] >= min_tenders) & (g["sum"] >= 0.8 * g["size"])]
    return set(g.index.get_level_values(0)) | set(g.index.get_level_values(1))


DETECTORS = {
    "relative_wins_tender_1hop": d_relative_1hop,
    "relative_wins_tender_2hop": d_relative_2hop,
    "relative_wins_tender_executive": d_relative_exec,
    "ex_official_joins_winner": d_ex_official,
    "judge_relative_lawyer": d_judge,
    "fuel_over_capacity": d_fuel_over,
    "fuel_gps_mismatch": d_fuel_gps,
    "fuel_holiday": d_fuel_holiday,
    "fuel_out_of_city": d_fuel_out,
    "fuel_non_fuel_goods": d_fuel_goods,
    "fuel_private_plate": d_fuel_private,
    "privileged_vehicle": d_privileged,
    "prisoner_paid": d_prisoner,
    "subsidy_ineligible": d_subsidy,
    "village_labour_overpay": d_labour,
    "vehicle_sensitive_place": d_sensitive,
    "banquet_no_letter": d_banquet,
    "hotline_manipulation": d_hotline,
    "direct_award_share": d_direct_share,
    "split_contracts": d_split,
    "single_bid_tender": d_single_bid,
    "short_bid_window": d_short_window,
    "bid_rigging": d_bid_rigging,
}


def _keys(records: list[dict], scheme: str) -> set:
    kt = KEY_TYPE[scheme]
    out = set()
    for r in records:
        if r["scheme"] != scheme:
            continue
        ks = [e for e, t in zip(r["entities"], r["types"], strict=True) if t == kt]
        if scheme in ("prisoner_paid", "subsidy_ineligible", "village_labour_overpay"):
            ks = ks[:1]  # the person paid
        if scheme in ("hotline_manipulation", "direct_award_share"):
            ks = ks[:1]  # the community / the unit
        if scheme == "privileged_vehicle":
            ks = ks[-1:] if ks else ks
        out |= set(ks)
    return out


def verify(out_dir, schemes=None) -> dict[str, dict]:
    """Per scheme: planted, found, missed (planted not found), unexpected (found, not planted), decoys_hit."""
    truth = json.loads((Path(out_dir) / "truth.json").read_text(encoding="utf-8"))
    frames = load(out_dir)
    report = {}
    for scheme, det in DETECTORS.items():
        if schemes and scheme not in schemes:
            continue
        planted = _keys(truth["instances"], scheme)
        decoy = _keys(truth["decoys"], scheme) - planted
        found = set(det(frames))
        report[scheme] = {
            "planted": len(planted),
            "found": len(found),
            "missed": sorted(planted - found),
            "unexpected": sorted(found - planted - decoy),
            "decoys_hit": sorted(found & decoy),
        }
    return report
