"""Turn the integer city into source tables of strings, in the form the contracts expect.

Sequential identifiers (tender ids, transaction numbers, ...) are assigned
after each table is put in its natural order (by date or time), so planted
rows are interleaved with the background and their ids reveal nothing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import vocab as V
from .business import EXEC_TITLES, METHODS
from .codes import PLATE_CHARS, hex_of, int_str, join, vocab_take
from .people import GIVEN, POST_LIST, RELS, ROLES, UNIT_KINDS, K
from .vehicles import (
    BRAND_NAMES,
    GOODS,
    OWNER_TYPES,
    PLACE_CATS,
    PLATE_PREFIXES,
    VEHICLE_KINDS,
)
from .welfare import BENEFIT_KINDS, HOTLINE_STATUS, INVOICE_CATS, LETTER_ABBR, PURPOSES
from .world import NA32, NA64, City

__all__ = ["BUILDERS", "SOURCE_OF", "Ctx", "prepare", "protect", "resolve_truth"]

#: source kind (contract stem) → internal table
SOURCE_OF = {
    "household": "persons",
    "family": "family",
    "units": "units",
    "roster": "roster",
    "companies": "companies",
    "shareholders": "shareholders",
    "executives": "executives",
    "social_insurance": "social_insurance",
    "licences": "licences",
    "tenders": "tenders",
    "bids": "bids",
    "contracts": "contracts",
    "vehicles": "vehicles",
    "fuel_cards": "fuel_cards",
    "fuel_transactions": "fuel_tx",
    "gps_stops": "gps",
    "parking_whitelist": "whitelist",
    "parking_records": "parking",
    "payments": "payments",
    "benefits": "benefits",
    "custody": "custody",
    "village_labour": "labour",
    "receptions": "receptions",
    "invoices": "invoices",
    "hotline": "hotline",
}


# -- value helpers -------------------------------------------------------------------------------------------------


def dstr(days: np.ndarray) -> pa.Array:
    days = np.asarray(days)
    mask = days == NA32
    return pa.array(np.where(mask, 0, days).astype(np.int32), pa.date32(), mask=mask).cast(pa.string())


def tstr(secs: np.ndarray) -> pa.Array:
    secs = np.asarray(secs, dtype=np.int64)
    mask = secs == NA64
    return pa.array(np.where(mask, 0, secs), pa.timestamp("s"), mask=mask).cast(pa.string())


def mstr(months: np.ndarray) -> pa.Array:
    d = np.asarray(months, np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int32)
    return pc.utf8_slice_codeunits(dstr(d), 0, 7)


def num(x: np.ndarray) -> pa.Array:
    x = np.asarray(x, dtype=np.float64)
    return pa.array(np.round(x, 2), pa.float64(), mask=np.isnan(x))


def opt_int(x: np.ndarray, na) -> pa.Array:
    x = np.asarray(x)
    return pa.array(x.astype(np.int64), pa.int64(), mask=x == na)


def pick(keys: pa.Array, idx: np.ndarray) -> pa.Array:
    """Keys by row index; negative index → null."""
    return vocab_take(keys, np.asarray(idx, dtype=np.int64))


def party(types: np.ndarray, idx: np.ndarray, persons: pa.Array, companies: pa.Array, units: pa.Array) -> pa.Array:
    types = np.asarray(types)
    idx = np.asarray(idx, dtype=np.int64)
    out = pa.nulls(len(idx), pa.string())
    for t, keys in ((0, persons), (1, companies), (2, units)):
        m = types == t
        if m.any():
            sel = pick(keys, np.where(m, idx, 0))
            out = pc.if_else(pa.array(m), sel, out)
    return out


def land(numbers: np.ndarray, area: str = V.AREA_CODE) -> pa.Array:
    return join(area + "-", int_str(numbers))


def phone_str(numbers: np.ndarray) -> pa.Array:
    """Mobiles (11 digits) as they are; 8-digit numbers as 0512 landlines; 0 → null."""
    n = np.asarray(numbers, dtype=np.int64)
    mob = int_str(np.where(n >= 10**10, n, 0))
    ll = land(np.where(n < 10**10, n, 0))
    out = pc.if_else(pa.array(n >= 10**10), mob, ll)
    return pc.if_else(pa.array(n <= 0), pa.scalar(None, pa.string()), out)


def ip_str(ip: np.ndarray) -> pa.Array:
    ip = np.asarray(ip, dtype=np.int64)
    parts = [int_str((ip >> s) & 255) for s in (24, 16, 8, 0)]
    return pc.binary_join_element_wise(*parts, ".")


def mac_str(mac: np.ndarray) -> pa.Array:
    mac = np.asarray(mac, dtype=np.int64)
    raw = np.stack([(mac >> (8 * (5 - j))) & 255 for j in range(6)], axis=1).astype(np.uint8)
    return hex_of(raw, upper=True, sep="-")


def hash_str(h1: np.ndarray, h2: np.ndarray) -> pa.Array:
    raw = np.concatenate(
        [np.asarray(h1, ">i8").view(np.uint8).reshape(-1, 8), np.asarray(h2, ">i8").view(np.uint8).reshape(-1, 8)],
        axis=1,
    )
    return hex_of(raw)


def seq_ids(prefix: str, order_pos: np.ndarray, width: int, year: np.ndarray | None = None) -> pa.Array:
    """Sequential ids by final position (1-based); optional year inserted after the prefix."""
    s = int_str(order_pos + 1, width)
    if year is None:
        return join(prefix, s)
    return join(prefix, int_str(year), s)


def year_of(days: np.ndarray) -> np.ndarray:
    d = np.asarray(days, dtype=np.int64)
    return d.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def positions(order: np.ndarray) -> np.ndarray:
    """order (final position → row) → pos (row → final position)."""
    pos = np.empty(len(order), dtype=np.int64)
    pos[order] = np.arange(len(order))
    return pos


# -- materialisation -----------------------------------------------------------------------------------------------

#: sequential keys: entity kind → (table, prefix, digits, year column)
SEQ = {
    "tender": ("tenders", "SZZB", 6, "publish"),
    "bid": ("bids", "TB", 9, None),
    "contract": ("contracts", "HT", 7, "signed"),
    "txn": ("fuel_tx", "JY", 10, None),
    "stop": ("gps", "GPS", 10, None),
    "record": ("parking", "PR", 10, None),
    "payment": ("payments", "ZF", 10, None),
    "benefit": ("benefits", "FF", 10, None),
    "labour": ("labour", "LW", 9, None),
    "reception": ("receptions", "JD", 8, None),
    "ticket": ("hotline", "GD", 10, None),
}


class Ctx:
    """What every table writer needs: master keys, final row orders, truth entities."""

    def __init__(self, city: City, seed: int):
        self.city = city
        self.t = city.t
        self.seed = seed
        self.keys: dict[str, pa.Array] = {}
        self.order: dict[str, np.ndarray] = {}
        self.pos: dict[str, np.ndarray] = {}

    def rng(self, name: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, 3, sum(name.encode()) * 131 + len(name)])

    def seq(self, kind: str, rows: np.ndarray) -> pa.Array:
        table, prefix, width, ycol = SEQ[kind]
        pos = self.pos[table][rows]
        year = None if ycol is None else year_of(self.t[table][ycol][rows])
        return seq_ids(prefix, pos, width, year)

    def key(self, kind: str, idx: int) -> str:
        if kind == "phone":
            n = int(idx)
            return str(n) if n >= 10**10 else f"{V.AREA_CODE}-{n}"
        if kind in SEQ:
            return self.seq(kind, np.array([idx]))[0].as_py()
        return self.keys[kind][int(idx)].as_py()


def prepare(city: City, seed: int) -> Ctx:
    """Master keys, row orders and positions of every table."""
    from .codes import id_numbers, self_check
    from .world import ymd

    c = Ctx(city, seed)
    t = city.t
    p, u, co, vt = t["persons"], t["units"], t["companies"], t["vehicles"]
    P = id_numbers(p["region"], ymd(p["birth"]), p["seq"])
    U = city.extra["unit_id"]
    Cc = city.extra["company_id_pool"].take(pa.array(co["pool"]))
    self_check(P, Cc)
    body = vt["body"].astype(np.int64)
    chars = np.frombuffer(PLATE_CHARS.encode(), dtype=np.uint8)
    digs = np.empty((len(vt), 6), dtype=np.int64)
    b = body.copy()
    for j in range(5, -1, -1):
        digs[:, j] = b % 34
        b //= 34
    six = pa.array(chars[digs].astype(np.uint8).view("S6").ravel()).cast(pa.string())
    plate_body = pc.if_else(pa.array(vt["ev"]), six, pc.utf8_slice_codeunits(six, 1, 6))
    Vp = join(vocab_take(PLATE_PREFIXES, vt["prov"]), "·", plate_body)
    names = join(
        vocab_take(pa.array([s for s, _ in V.SURNAMES]), p["sur"]),
        vocab_take(GIVEN, p["g1"]),
        vocab_take(pa.array(GIVEN + [""]), np.where(p["g2"] < 0, len(GIVEN), p["g2"])),
    )
    c.keys.update(person=P, unit=U, company=Cc, vehicle=Vp, names=names)

    # orders
    def by(name, *cols):
        tab = t[name]
        return np.lexsort((c.rng(name).random(len(tab)),) + tuple(tab[x] for x in cols))

    order = c.order
    order["persons"] = c.rng("persons").permutation(len(p))
    order["units"] = np.arange(len(u))
    order["companies"] = by("companies", "reg")
    order["vehicles"] = c.rng("vehicles").permutation(len(vt))
    order["family"] = c.rng("family").permutation(len(t["family"]))
    order["roster"] = np.lexsort((t["roster"]["start"], t["roster"]["unit"]))
    c_pos = positions(order["companies"])
    order["shareholders"] = np.argsort(c_pos[t["shareholders"]["company"]], kind="stable")
    order["executives"] = np.argsort(c_pos[t["executives"]["company"]], kind="stable")
    for name, col in (
        ("social_insurance", "start"),
        ("licences", "issued"),
        ("tenders", "publish"),
        ("contracts", "signed"),
        ("fuel_tx", "time"),
        ("gps", "time"),
        ("whitelist", "start"),
        ("parking", "entry"),
        ("payments", "date"),
        ("custody", "start"),
        ("labour", "start"),
        ("invoices", "date"),
        ("receptions", "date"),
        ("hotline", "time"),
    ):
        order[name] = by(name, col)
    order["benefits"] = by("benefits", "kind", "month")
    order["fuel_cards"] = c.rng("fuel_cards").permutation(len(t["fuel_cards"]))
    t_pos = positions(order["tenders"])
    bd = t["bids"]
    order["bids"] = np.lexsort((bd["submit"], t_pos[bd["tender"]]))
    order["lots"] = np.arange(len(t["lots"]))
    for name in order:
        c.pos[name] = positions(order[name])
    # fully materialised keys that other tables refer to
    tn = t["tenders"]
    c.keys["tender"] = c.seq("tender", np.arange(len(tn)))
    c.keys["tender_title"] = join(
        pick(pa.array(u["name"].tolist()), tn["unit"]),
        int_str(year_of(tn["publish"])),
        "年",
        _project(tn["cat"], tn["proj"]),
    )
    iv = t["invoices"]
    c.keys["invoice"] = join(int_str(year_of(iv["date"]) % 100, 2), "3220", int_str(c.pos["invoices"] + 1, 14))
    c.keys["card"] = int_str(t["fuel_cards"]["no"])
    c.keys["lot"] = seq_ids("TC", np.arange(len(t["lots"])), 5)
    pl = t["places"]
    c.keys["place"] = seq_ids("PL", c.rng("places").permutation(len(pl)), 7)
    c.keys["place_name"] = pa.array(pl["name"].tolist())
    c.keys["place_city"] = vocab_take([V.CITY] + [x[0] for x in V.OTHER_CITIES], pl["city"])
    li = t["licences"]
    reg4 = np.array([int(str(r)[:4]) for r in li["region"]], dtype=np.int64)
    c.keys["licence"] = join(
        "1",
        int_str(reg4, 4),
        int_str(year_of(li["issued"]), 4),
        int_str(li["kind"] + 1, 1),
        int_str(2 - p["male"][li["person"]].astype(np.int64), 1),
        int_str(li["no"], 6),
    )
    # household address prefixes by residence unit
    roads = city.extra["roads"]
    unit_road = c.rng("unit_road").integers(0, len(roads), len(u))
    dist_name = [V.DISTRICTS[d][0] if d >= 0 else "" for d in u["district"]]
    town = [u["func"][x] if x >= 0 else "" for x in u["parent"]]
    is_vil = u["kind"] == K["village"]
    c.keys["res_prefix"] = pa.array(
        [
            f"{V.CITY}{d}{t_}{f}村" if v else f"{V.CITY}{d}{t_}{roads[r]}"
            for d, t_, f, v, r in zip(dist_name, town, u["func"], is_vil, unit_road, strict=True)
        ]
    )
    for k, v in c.keys.items():
        if isinstance(v, pa.ChunkedArray):
            c.keys[k] = v.combine_chunks()
    c.ents = _truth_entities(city)
    return c


# -- one builder per source kind: (ctx, rows in final order) → {column: strings} ---------------------------------


def _household(c: Ctx, rows):
    p, u = c.t["persons"], c.t["units"]
    head = p["head"][rows]
    res = p["res"][head]
    pre = vocab_take(c.keys["res_prefix"], res)
    a, bb, cc = p["a"][head], p["b"][head], p["c"][head]
    addr_v = join(pre, int_str(a % 12 + 1), "组", int_str(bb), "号")
    addr_c = join(pre, int_str(bb), "号", int_str(a), "幢", int_str(cc), "室")
    is_vil = u["kind"][res] == K["village"]
    return {
        "id_number": pick(c.keys["person"], rows),
        "name": pick(c.keys["names"], rows),
        "gender": vocab_take(["女", "男"], p["male"][rows].astype(np.int64)),
        "birth_date": dstr(p["birth"][rows]),
        "address": pc.if_else(pa.array(is_vil), addr_v, addr_c),
        "phone": phone_str(p["phone"][rows]),
    }


def _units(c: Ctx, rows):
    u = c.t["units"]
    U = c.keys["unit"]
    return {
        "unit_id": pick(U, rows),
        "name": pa.array(u["name"][rows].tolist()),
        "kind": vocab_take(UNIT_KINDS, u["kind"][rows]),
        "parent_unit_id": pick(U, u["parent"][rows]),
        "jurisdiction": pa.array(u["juris"][rows].tolist()),
        "address": pa.array(u["addr"][rows].tolist()),
        "phone": land(u["phone"][rows]),
    }


def _companies(c: Ctx, rows):
    co = c.t["companies"].take(rows)
    roads = c.city.extra["roads"]
    short = [d[0][:-1] if len(d[0]) > 2 else d[0] for d in V.DISTRICTS]
    cprefix = np.where(
        co["prefix"] == 0, "苏州", np.where(co["prefix"] == 1, "江苏", np.array(short, dtype=object)[co["district"]])
    )
    tc = V.TRADE_CHARS + [""]
    cname = join(
        pa.array(cprefix.tolist()),
        vocab_take(tc, co["t1"]),
        vocab_take(tc, co["t2"]),
        vocab_take(tc, np.where(co["t3"] < 0, len(tc) - 1, co["t3"])),
        vocab_take([s for s, _, _ in V.INDUSTRIES], co["ind"]),
    )
    own = join(
        V.CITY,
        vocab_take([d[0] for d in V.DISTRICTS], co["district"]),
        vocab_take(roads, co["road"]),
        int_str(co["a"]),
        "号",
        int_str(co["b"]),
        "幢",
        int_str(co["c"]),
        "室",
    )
    park_addr = c.city.extra["park_addr"]
    caddr = pc.if_else(
        pa.array(co["park"] >= 0), vocab_take(pa.array(park_addr.tolist()), np.maximum(co["park"], 0)), own
    )
    return {
        "credit_code": pick(c.keys["company"], rows),
        "name": cname,
        "status": vocab_take(V.STATUS_COMPANY, co["status"]),
        "registered_date": dstr(co["reg"]),
        "registered_capital": num(co["capital"]),
        "address": caddr,
        "phone": phone_str(co["phone"]),
        "legal_rep_id": pick(c.keys["person"], co["rep"]),
    }


def _party(c: Ctx, types, idx):
    return party(types, idx, c.keys["person"], c.keys["company"], c.keys["unit"])


def _vehicles(c: Ctx, rows):
    vt = c.t["vehicles"].take(rows)
    return {
        "plate": pick(c.keys["vehicle"], rows),
        "kind": vocab_take(VEHICLE_KINDS, vt["kind"]),
        "owner_type": vocab_take(OWNER_TYPES, vt["otype"]),
        "owner_id": _party(c, vt["otype"], vt["owner"]),
        "tank_capacity": num(vt["cap"]),
        "brand": vocab_take(BRAND_NAMES, vt["brand"]),
    }


def _family(c: Ctx, rows):
    fa = c.t["family"].take(rows)
    P = c.keys["person"]
    return {
        "id_number": pick(P, fa["a"]),
        "relative_id_number": pick(P, fa["b"]),
        "relationship": vocab_take(RELS, fa["rel"]),
    }


_POST = pa.array([x[0] for x in POST_LIST])
_RANK = pa.array([x[1] or None for x in POST_LIST], pa.string())


def _roster(c: Ctx, rows):
    ro = c.t["roster"].take(rows)
    return {
        "id_number": pick(c.keys["person"], ro["person"]),
        "name": pick(c.keys["names"], ro["person"]),
        "unit_id": pick(c.keys["unit"], ro["unit"]),
        "post": vocab_take(_POST, ro["post"]),
        "rank": vocab_take(_RANK, ro["post"]),
        "role": vocab_take(ROLES, ro["role"]),
        "start_date": dstr(ro["start"]),
        "end_date": dstr(ro["end"]),
    }


def _shareholders(c: Ctx, rows):
    sh = c.t["shareholders"].take(rows)
    return {
        "credit_code": pick(c.keys["company"], sh["company"]),
        "holder_type": vocab_take(OWNER_TYPES, sh["htype"]),
        "holder_id": _party(c, sh["htype"], sh["holder"]),
        "percent": num(sh["pct"]),
    }


def _executives(c: Ctx, rows):
    ex = c.t["executives"].take(rows)
    return {
        "credit_code": pick(c.keys["company"], ex["company"]),
        "id_number": pick(c.keys["person"], ex["person"]),
        "title": vocab_take(EXEC_TITLES, ex["title"]),
    }


def _social_insurance(c: Ctx, rows):
    si = c.t["social_insurance"].take(rows)
    return {
        "id_number": pick(c.keys["person"], si["person"]),
        "employer_id": pick(c.keys["company"], si["company"]),
        "start_date": dstr(si["start"]),
        "end_date": dstr(si["end"]),
    }


def _licences(c: Ctx, rows):
    li = c.t["licences"].take(rows)
    return {
        "licence_no": pick(c.keys["licence"], rows),
        "id_number": pick(c.keys["person"], li["person"]),
        "kind": vocab_take(["lawyer", "legal_agent", "bid_agent"], li["kind"]),
        "firm_credit_code": pick(c.keys["company"], li["firm"]),
        "region": pa.array(li["region"].tolist(), pa.string()),
        "issued_date": dstr(li["issued"]),
        "expiry_date": dstr(li["expiry"]),
    }


def _tenders(c: Ctx, rows):
    tn = c.t["tenders"].take(rows)
    return {
        "tender_id": pick(c.keys["tender"], rows),
        "title": pick(c.keys["tender_title"], rows),
        "unit_id": pick(c.keys["unit"], tn["unit"]),
        "method": vocab_take(METHODS, tn["method"]),
        "budget": num(tn["budget"]),
        "publish_date": dstr(tn["publish"]),
        "close_date": dstr(tn["close"]),
        "category": vocab_take(["工程", "货物", "服务"], tn["cat"]),
    }


def _bids(c: Ctx, rows):
    bd = c.t["bids"].take(rows)
    bond = bd["bond"]
    return {
        "bid_id": c.seq("bid", rows),
        "tender_id": pick(c.keys["tender"], bd["tender"]),
        "credit_code": pick(c.keys["company"], bd["company"]),
        "price": num(bd["price"]),
        "currency": pa.nulls(len(rows), pa.string()),  # the city's bids are priced in yuan: 币种 left blank
        "rank": opt_int(bd["rank"], -1),
        "is_winner": pa.array(bd["win"].astype(np.int8)),
        "submit_time": tstr(bd["submit"]),
        "ip": ip_str(bd["ip"]),
        "mac": mac_str(bd["mac"]),
        "doc_hash": hash_str(bd["h1"], bd["h2"]),
        "doc_author": pick(c.keys["names"], bd["author"]),
        "bond_account": pc.if_else(pa.array(bond < 0), pa.scalar(None, pa.string()), int_str(np.maximum(bond, 0))),
        "agent_id": pick(c.keys["person"], bd["agent"]),
    }


def _contracts(c: Ctx, rows):
    ct = c.t["contracts"].take(rows)
    has_t = ct["tender"] >= 0
    title = pc.if_else(
        pa.array(has_t),
        join(pick(c.keys["tender_title"], np.where(has_t, ct["tender"], 0)), "合同"),
        join(_project(ct["cat"], ct["proj"]), "合同"),
    )
    title = pc.replace_substring(title, "项目合同", "合同")
    return {
        "contract_id": c.seq("contract", rows),
        "unit_id": pick(c.keys["unit"], ct["unit"]),
        "credit_code": pick(c.keys["company"], ct["company"]),
        "tender_id": pick(c.keys["tender"], ct["tender"]),
        "title": title,
        "amount": num(ct["amount"]),
        "signed_date": dstr(ct["signed"]),
        "method": vocab_take(METHODS, ct["method"]),
    }


def _fuel_cards(c: Ctx, rows):
    fc = c.t["fuel_cards"].take(rows)
    return {
        "card_no": pick(c.keys["card"], rows),
        "unit_id": pick(c.keys["unit"], fc["unit"]),
        "plate": pick(c.keys["vehicle"], fc["vehicle"]),
        "status": vocab_take(V.FUEL_CARD_STATUS, fc["status"]),
    }


def _fuel_tx(c: Ctx, rows):
    ft = c.t["fuel_tx"].take(rows)
    return {
        "txn_id": c.seq("txn", rows),
        "card_no": pick(c.keys["card"], ft["card"]),
        "time": tstr(ft["time"]),
        "station": pick(c.keys["place_name"], ft["station"]),
        "city": pick(c.keys["place_city"], ft["station"]),
        "litres": num(ft["litres"]),
        "amount": num(ft["amount"]),
        "goods": vocab_take(GOODS, ft["goods"]),
        "plate": pick(c.keys["vehicle"], ft["plate"]),
    }


def _gps(c: Ctx, rows):
    g = c.t["gps"].take(rows)
    return {
        "stop_id": c.seq("stop", rows),
        "plate": pick(c.keys["vehicle"], g["vehicle"]),
        "place_id": pick(c.keys["place"], g["place"]),
        "place_name": pick(c.keys["place_name"], g["place"]),
        "category": vocab_take(PLACE_CATS, c.t["places"]["cat"][g["place"]]),
        "city": pick(c.keys["place_city"], g["place"]),
        "time": tstr(g["time"]),
        "duration_min": num(g["dur"]),
    }


def _whitelist(c: Ctx, rows):
    wl = c.t["whitelist"].take(rows)
    lots = c.t["lots"]
    return {
        "lot_id": pick(c.keys["lot"], wl["lot"]),
        "lot_name": pick(pa.array(lots["name"].tolist()), wl["lot"]),
        "public": pa.array(lots["public"][wl["lot"]].astype(np.int8)),
        "plate": pick(c.keys["vehicle"], wl["vehicle"]),
        "start_date": dstr(wl["start"]),
        "end_date": dstr(wl["end"]),
        "approved_by": pick(c.keys["names"], wl["approver"]),
    }


def _parking(c: Ctx, rows):
    pk = c.t["parking"].take(rows)
    return {
        "record_id": c.seq("record", rows),
        "lot_id": pick(c.keys["lot"], pk["lot"]),
        "plate": pick(c.keys["vehicle"], pk["vehicle"]),
        "entry_time": tstr(pk["entry"]),
        "exit_time": tstr(pk["exit"]),
        "fee": num(pk["fee"]),
        "exempt": pa.array(pk["exempt"].astype(np.int8)),
    }


def _payments(c: Ctx, rows):
    pm = c.t["payments"].take(rows)
    acct = {0: c.t["persons"]["account"], 1: c.t["companies"]["account"], 2: c.t["units"]["account"]}

    def account(types, idx):
        out = np.zeros(len(idx), dtype=np.int64)
        for k_, arr in acct.items():
            m = types == k_
            out[m] = arr[idx[m]]
        return int_str(out)

    return {
        "payment_id": c.seq("payment", rows),
        "payer_type": vocab_take(OWNER_TYPES, pm["ptype"]),
        "payer_id": _party(c, pm["ptype"], pm["payer"]),
        "payee_type": vocab_take(OWNER_TYPES, pm["qtype"]),
        "payee_id": _party(c, pm["qtype"], pm["payee"]),
        "payer_account": account(pm["ptype"], pm["payer"]),
        "payee_account": account(pm["qtype"], pm["payee"]),
        "amount": num(pm["amount"]),
        "date": dstr(pm["date"]),
        "purpose": vocab_take(PURPOSES, pm["purpose"]),
    }


def _benefits(c: Ctx, rows):
    bn = c.t["benefits"].take(rows)
    return {
        "benefit_id": c.seq("benefit", rows),
        "id_number": pick(c.keys["person"], bn["person"]),
        "kind": vocab_take(BENEFIT_KINDS, bn["kind"]),
        "period": mstr(bn["month"]),
        "amount": num(bn["amount"]),
        "paying_unit_id": pick(c.keys["unit"], bn["unit"]),
        "approver_id": pick(c.keys["person"], bn["approver"]),
    }


def _custody(c: Ctx, rows):
    cu = c.t["custody"].take(rows)
    return {
        "id_number": pick(c.keys["person"], cu["person"]),
        "facility_id": pick(c.keys["unit"], cu["facility"]),
        "start_date": dstr(cu["start"]),
        "end_date": dstr(cu["end"]),
    }


def _labour(c: Ctx, rows):
    lb = c.t["labour"].take(rows)
    return {
        "payment_id": c.seq("labour", rows),
        "worker_id": pick(c.keys["person"], lb["worker"]),
        "village_id": pick(c.keys["unit"], lb["village"]),
        "work_start": dstr(lb["start"]),
        "work_end": dstr(lb["end"]),
        "days": num(lb["days"]),
        "amount": num(lb["amount"]),
        "approver_id": pick(c.keys["person"], lb["approver"]),
    }


def _invoices(c: Ctx, rows):
    iv = c.t["invoices"].take(rows)
    return {
        "invoice_no": pick(c.keys["invoice"], rows),
        "seller_credit_code": pick(c.keys["company"], iv["seller"]),
        "buyer_unit_id": pick(c.keys["unit"], iv["buyer"]),
        "date": dstr(iv["date"]),
        "amount": num(iv["amount"]),
        "category": vocab_take(INVOICE_CATS, iv["cat"]),
    }


def _receptions(c: Ctx, rows):
    rc = c.t["receptions"].take(rows)
    letter = join(
        vocab_take(LETTER_ABBR, np.maximum(rc["letter_abbr"], 0)),
        "〔",
        int_str(rc["letter_year"]),
        "〕",
        int_str(rc["letter_n"]),
        "号",
    )
    letter = pc.if_else(pa.array(rc["letter_abbr"] < 0), pa.scalar(None, pa.string()), letter)
    return {
        "reception_id": c.seq("reception", rows),
        "unit_id": pick(c.keys["unit"], rc["unit"]),
        "date": dstr(rc["date"]),
        "amount": num(rc["amount"]),
        "guests": pa.array(rc["guests"].astype(np.int64)),
        "letter_no": letter,
        "invoice_no": pick(c.keys["invoice"], rc["invoice"]),
        "approver_id": pick(c.keys["person"], rc["approver"]),
    }


def _hotline(c: Ctx, rows):
    hl = c.t["hotline"].take(rows)
    return {
        "ticket_id": c.seq("ticket", rows),
        "caller_phone": phone_str(hl["phone"]),
        "community_id": pick(c.keys["unit"], hl["community"]),
        "handling_unit_id": pick(c.keys["unit"], hl["handler"]),
        "created_at": tstr(hl["time"]),
        "category": vocab_take(V.HOTLINE_CATEGORIES, hl["cat"]),
        "status": vocab_take(HOTLINE_STATUS, hl["status"]),
    }


BUILDERS = {
    "household": _household,
    "units": _units,
    "companies": _companies,
    "vehicles": _vehicles,
    "family": _family,
    "roster": _roster,
    "shareholders": _shareholders,
    "executives": _executives,
    "social_insurance": _social_insurance,
    "licences": _licences,
    "tenders": _tenders,
    "bids": _bids,
    "contracts": _contracts,
    "fuel_cards": _fuel_cards,
    "fuel_transactions": _fuel_tx,
    "gps_stops": _gps,
    "parking_whitelist": _whitelist,
    "parking_records": _parking,
    "payments": _payments,
    "benefits": _benefits,
    "custody": _custody,
    "village_labour": _labour,
    "invoices": _invoices,
    "receptions": _receptions,
    "hotline": _hotline,
}


def protect(c: Ctx, kind: str) -> np.ndarray:
    """Rows (original order) that dirty rows must not touch: scheme rows and rows naming a truth entity."""
    t = c.t
    ents = c.ents

    def hit(k: str, idx) -> np.ndarray:
        s = ents.get(k)
        idx = np.asarray(idx, dtype=np.int64)
        if not s:
            return np.zeros(len(idx), dtype=bool)
        return np.isin(idx, np.fromiter(s, dtype=np.int64))

    def poly(types, idx):
        types = np.asarray(types)
        return (
            hit("person", np.where(types == 0, idx, -1))
            | hit("company", np.where(types == 1, idx, -1))
            | hit("unit", np.where(types == 2, idx, -1))
        )

    name = SOURCE_OF[kind]
    tab = t[name]
    n = len(tab)
    m = tab["_flag"] != 0
    ar = np.arange(n)
    refs = {
        "household": [("person", ar)],
        "units": [("unit", ar), ("unit", tab["parent"])] if name == "units" else [],
        "companies": [("company", ar), ("person", tab["rep"])] if name == "companies" else [],
        "vehicles": [("vehicle", ar)],
        "family": [("person", tab["a"]), ("person", tab["b"])] if name == "family" else [],
    }.get(kind)
    if refs is None:
        cols = {
            "roster": [("person", "person"), ("unit", "unit")],
            "shareholders": [("company", "company")],
            "executives": [("company", "company"), ("person", "person")],
            "social_insurance": [("person", "person"), ("company", "company")],
            "licences": [("person", "person"), ("company", "firm")],
            "tenders": [("unit", "unit")],
            "bids": [("tender", "tender"), ("company", "company"), ("person", "agent")],
            "contracts": [("company", "company"), ("unit", "unit"), ("tender", "tender")],
            "fuel_cards": [("unit", "unit"), ("vehicle", "vehicle")],
            "fuel_transactions": [("card", "card"), ("vehicle", "plate")],
            "gps_stops": [("vehicle", "vehicle")],
            "parking_whitelist": [("vehicle", "vehicle"), ("lot", "lot")],
            "parking_records": [("vehicle", "vehicle"), ("lot", "lot")],
            "payments": [],
            "benefits": [("person", "person"), ("unit", "unit"), ("person", "approver")],
            "custody": [("person", "person"), ("unit", "facility")],
            "village_labour": [("person", "worker"), ("unit", "village"), ("person", "approver")],
            "invoices": [("company", "seller"), ("unit", "buyer")],
            "receptions": [("unit", "unit"), ("invoice", "invoice"), ("person", "approver")],
            "hotline": [("unit", "community"), ("unit", "handler")],
        }[kind]
        refs = [(k, tab[col]) for k, col in cols]
    self_kind = {
        "licences": "licence",
        "tenders": "tender",
        "bids": "bid",
        "contracts": "contract",
        "fuel_cards": "card",
        "fuel_transactions": "txn",
        "gps_stops": "stop",
        "parking_records": "record",
        "payments": "payment",
        "benefits": "benefit",
        "village_labour": "labour",
        "invoices": "invoice",
        "receptions": "reception",
        "hotline": "ticket",
    }.get(kind)
    if self_kind:
        refs.append((self_kind, ar))
    for k, idx in refs:
        m = m | hit(k, idx)
    if kind == "shareholders":
        m |= poly(tab["htype"], tab["holder"])
    if kind == "vehicles":
        m |= poly(tab["otype"], tab["owner"])
    if kind == "payments":
        m |= poly(tab["ptype"], tab["payer"]) | poly(tab["qtype"], tab["payee"])
    if kind == "hotline":
        m |= np.isin(tab["phone"], np.fromiter(ents.get("phone", set()) or {-1}, dtype=np.int64))
    return m


def _project(cat: np.ndarray, proj: np.ndarray) -> pa.Array:
    flat, offs = [], []
    for c in ("works", "goods", "services"):
        offs.append(len(flat))
        flat.extend(V.PROJECTS[c])
    offs = np.array(offs)
    cat = np.clip(np.asarray(cat, np.int64), 0, 2)
    return vocab_take(flat, offs[cat] + np.asarray(proj, np.int64))


def _truth_entities(city: City) -> dict[str, set]:
    out: dict[str, set] = {}
    for rec in city.truth.instances + city.truth.decoys:
        for kind, idx in rec["entities"]:
            out.setdefault(kind, set()).add(int(idx))
    return out


#: entity kinds keyed on relationships (STOPPED_AT, PARKED_AT): listed in ``detail`` under these names
EDGE_KEYS = {"stop": "stop_ids", "record": "parking_record_ids"}


def resolve_truth(c: Ctx) -> dict:
    """Truth records with entities as natural keys (normalised as in the files)."""
    city = c.city
    recs = city.truth.instances + city.truth.decoys
    implicated = [_implicated(city, rec["entities"]) for rec in recs]
    wanted: dict[str, set] = {}
    for rec, (units, persons) in zip(recs, implicated, strict=True):
        for k, i in [*rec["entities"], *(("unit", u) for u in units), *(("person", q) for q in persons)]:
            wanted.setdefault(k, set()).add(int(i))
    lookup: dict[tuple[str, int], str] = {}
    for k, idx in wanted.items():
        idx = np.array(sorted(idx), dtype=np.int64)
        if k == "phone":
            vals = [c.key("phone", i) for i in idx.tolist()]
        elif k in SEQ:
            vals = c.seq(k, idx).to_pylist()
        else:
            vals = c.keys[k].take(pa.array(idx)).to_pylist()
        lookup.update(zip(((k, i) for i in idx.tolist()), vals, strict=True))

    def conv(rec, implicated):
        # GPS stops and parking records are relationships in the graph, not nodes: they go to the detail
        ents = [(k, i) for k, i in rec["entities"] if k not in EDGE_KEYS]
        units, persons = implicated
        detail = _jsonable(rec["detail"])
        for k, field in EDGE_KEYS.items():
            keys = [lookup[(kk, int(i))] for kk, i in rec["entities"] if kk == k]
            if keys:
                detail[field] = keys
        return {
            "scheme": rec["scheme"],
            "entities": [lookup[(k, int(i))] for k, i in ents],
            "types": [k for k, _ in ents],
            "modelled": bool(rec.get("modelled", True)),
            "units": [lookup[("unit", u)] for u in units],
            "persons": [lookup[("person", q)] for q in persons],
            "detail": detail,
        }

    ni = len(city.truth.instances)
    return {
        "seed": city.seed,
        "scale": city.scale,
        "instances": [conv(r, m) for r, m in zip(city.truth.instances, implicated[:ni], strict=True)],
        "decoys": [conv(r, m) for r, m in zip(city.truth.decoys, implicated[ni:], strict=True)],
    }


def _implicated(city: City, entities: list[tuple[str, object]]) -> tuple[list[int], list[int]]:
    """The units and persons an instance implicates: its unit and person entities, plus the unit that holds
    its fuel card, issued its tender, signed its contract, claimed its reception, paid its labour fee or owns its
    official vehicle, and the person who owns its private vehicle or holds its licence."""
    units: list[int] = []
    persons: list[int] = []
    t = city.t
    for k, i in entities:
        i = int(i)
        if k == "unit":
            units.append(i)
        elif k == "person":
            persons.append(i)
        elif k == "card":
            units.append(int(t["fuel_cards"]["unit"][i]))
        elif k == "tender":
            units.append(int(t["tenders"]["unit"][i]))
        elif k == "contract":
            units.append(int(t["contracts"]["unit"][i]))
        elif k == "reception":
            units.append(int(t["receptions"]["unit"][i]))
        elif k == "labour":
            units.append(int(t["labour"]["village"][i]))
        elif k == "licence":
            persons.append(int(t["licences"]["person"][i]))
        elif k == "vehicle":
            v = t["vehicles"]
            (units if int(v["otype"][i]) == 2 else persons if int(v["otype"][i]) == 0 else []).append(
                int(v["owner"][i])
            )
    return list(dict.fromkeys(units)), list(dict.fromkeys(persons))


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    return x
