"""The synthetic city generator: determinism, contract conformance, valid keys, refs, schemes, dirt."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from graphkit.model import types as T
from graphkit.synth import HOLIDAYS, SCHEME_NAMES, UNMODELLED, generate, is_working_day
from graphkit.synth.codes import credit_codes, id_numbers
from graphkit.synth.verify import verify
from loaders.contracts import Column, load_contracts

CONTRACTS = load_contracts()
LABEL_FILE = {
    "Person": ("household", "id_number"),
    "Organization": ("units", "unit_id"),
    "Company": ("companies", "credit_code"),
    "Tender": ("tenders", "tender_id"),
    "FuelCard": ("fuel_cards", "card_no"),
    "Invoice": ("invoices", "invoice_no"),
    "Vehicle": ("vehicles", "plate"),
}
PARTY = {"person": "Person", "company": "Company", "organization": "Organization"}


def read(d: Path, kind: str) -> tuple[list[str], list[dict]]:
    """Header and rows (dicts keyed by the contract's English column names)."""
    with open(d / f"{kind}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    names = list(CONTRACTS[kind].columns)
    return rows[0], [dict(zip(names, r, strict=True)) for r in rows[1:]]


def problem(ctype: str, spec: Column, v: str) -> str | None:
    """Why a raw value breaks its column type (None when fine); values must already be normalised."""
    if v == "":
        return "missing" if spec.required else None
    try:
        if ctype == "id_number" and T.normalize_id_number(v) != v:
            return "not normalised"
        if ctype == "credit_code" and T.normalize_credit_code(v) != v:
            return "not normalised"
        if ctype == "plate" and T.normalize_plate(v) != v:
            return "not normalised"
        if ctype == "phone" and T.normalize_phone(v) != v:
            return "not normalised"
        if ctype == "person_name" and T.normalize_person_name(v) != v:
            return "not normalised"
        if ctype == "name" and T.normalize_name(v) != v:
            return "not normalised"
        if ctype == "date" and (len(v) != 10 or date.fromisoformat(v) is None):
            return "bad date"
        if ctype == "datetime":
            datetime.strptime(v, "%Y-%m-%d %H:%M:%S")
        if ctype == "amount":
            if not re.fullmatch(r"\d+(\.\d{1,2})?", v):
                return "not a plain non-negative decimal"
            if spec.max is not None and float(v) > spec.max:
                return "above max"
        if ctype == "int":
            int(v)
        if ctype == "bool" and v not in ("0", "1"):
            return "not 0/1"
        if ctype == "enum" and v not in spec.values:
            return "not an enum value"
        if ctype == "party" and not (T.is_valid_id_number(v) or T.is_valid_credit_code(v)):
            return "neither ID number nor credit code"
    except ValueError as e:
        return str(e)
    return None


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    d = tmp_path_factory.mktemp("clean")
    return d, generate(d, scale=2000, seed=5, dirty_rate=0)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    d = tmp_path_factory.mktemp("dirty")
    return d, generate(d, scale=2000, seed=6, dirty_rate=0.03)


@pytest.fixture(scope="module")
def city10k(tmp_path_factory):
    d = tmp_path_factory.mktemp("city10k")
    return d, generate(d, scale=10000, seed=11)


def digests(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    generate(tmp_path / "a", scale=1000, seed=3)
    generate(tmp_path / "b", scale=1000, seed=3)
    generate(tmp_path / "c", scale=1000, seed=4)
    a, b, c = digests(tmp_path / "a"), digests(tmp_path / "b"), digests(tmp_path / "c")
    assert len(a) == len(CONTRACTS) + 2
    assert a == b
    assert a["household.csv"] != c["household.csv"] and a["truth.json"] != c["truth.json"]


def test_every_contract_file_has_exactly_the_zh_headers(clean):
    d, summary = clean
    assert sorted(summary["rows"]) == sorted(CONTRACTS)
    for kind, spec in CONTRACTS.items():
        raw = (d / f"{kind}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), kind
        header, rows = read(d, kind)
        assert header == [c.zh for c in spec.columns.values()], kind
        assert len(rows) == summary["rows"][kind] > 0, kind
    assert summary["rows"]["household"] == 2000


def test_clean_city_every_value_validates(clean):
    d, _ = clean
    for kind, spec in CONTRACTS.items():
        _, rows = read(d, kind)
        bad = []
        for i, r in enumerate(rows):
            for col, cs in spec.columns.items():
                why = problem(cs.type, cs, r[col])
                if why:
                    bad.append((i + 2, col, r[col], why))
        assert bad == [], (kind, bad[:5])


def test_identifier_prefixes_and_forms(clean):
    d, _ = clean
    _, units = read(d, "units")
    prefix = {
        "government": "11",
        "court": "11",
        "procuratorate": "11",
        "prison": "11",
        "party": "11",
        "village": "54",
        "community": "54",
        "agency": "12",
        "school": "12",
        "hospital": "12",
    }
    assert all(u["unit_id"].startswith(prefix[u["kind"]]) for u in units)
    _, companies = read(d, "companies")
    assert all(c["credit_code"].startswith("91") for c in companies)
    _, vehicles = read(d, "vehicles")
    local = [v for v in vehicles if v["plate"].startswith("苏E·")]
    assert len(local) > 0.7 * len(vehicles)
    assert all(re.fullmatch(r"\d{11}|0\d{2,3}-\d{7,8}", p["phone"]) for p in read(d, "household")[1] if p["phone"])
    _, people = read(d, "household")
    surnames = Counter(p["name"][0] for p in people)
    assert {s for s, _ in surnames.most_common(6)} & {"王", "李", "张", "刘", "陈"}
    assert all(1 <= len(p["name"]) - 1 <= 3 for p in people)


def _keysets(d: Path) -> dict[str, set]:
    out = {}
    for label, (kind, col) in LABEL_FILE.items():
        _, rows = read(d, kind)
        out[label] = {r[col] for r in rows if r[col]}
    return out


def test_master_keys_unique_and_refs_resolve(clean):
    d, _ = clean
    keys = _keysets(d)
    for label, (kind, col) in LABEL_FILE.items():
        _, rows = read(d, kind)
        assert len(rows) == len(keys[label]), f"{kind}.{col} is not unique"
    for kind, spec in CONTRACTS.items():
        _, rows = read(d, kind)
        for col, cs in spec.columns.items():
            if cs.ref is not None:
                dangling = {r[col] for r in rows if r[col]} - keys[cs.ref]
                assert not dangling, (kind, col, sorted(dangling)[:3])
            if cs.type == "party":
                for r in rows:
                    assert r[col] in keys[PARTY[r[cs.label_column]]], (kind, col, r)


def test_each_person_s_sex_is_the_id_number_s_sex_digit(clean):
    """The household file's 性别 is what its 公民身份号码's 17th digit says (odd 男, even 女): the loader leaves out a
    sex that contradicts it, so a generator writing one would plant a typo in every such row."""
    d, _ = clean
    _, rows = read(d, "household")
    assert len(rows) >= 2000
    said = Counter(r["gender"] for r in rows)
    assert said["男"] > 500 and said["女"] > 500
    assert [r for r in rows if r["gender"] != ("男" if int(r["id_number"][16]) % 2 else "女")] == []


def test_dirty_rows_are_listed_and_everything_else_is_clean(dirty):
    d, summary = dirty
    doc = json.loads((d / "dirty.json").read_text(encoding="utf-8"))
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    entities = {e for rec in truth["instances"] + truth["decoys"] for e in rec["entities"]}
    seen_kinds = set()
    for kind, spec in CONTRACTS.items():
        _, rows = read(d, kind)
        info = doc["files"][kind]
        assert info["rows"] == len(rows)
        zh_to_col = {c.zh: name for name, c in spec.columns.items()}
        listed = {}
        for dk, items in info["dirty"].items():
            seen_kinds.add(dk)
            for row, zh in items:
                listed[row] = (dk, zh_to_col.get(zh))
        assert sum(info["counts"].values()) == len(listed)
        if len(rows) >= 400:
            assert 0.01 * len(rows) <= len(listed) <= 0.06 * len(rows), (kind, len(listed), len(rows))
        raw_rows = {i + 2: r for i, r in enumerate(rows)}
        lines = Counter(tuple(r.values()) for r in rows)
        for rownum, r in raw_rows.items():
            if rownum not in listed:
                for col, cs in spec.columns.items():
                    assert problem(cs.type, cs, r[col]) is None, (kind, rownum, col, r[col])
                continue
            dk, col = listed[rownum]
            if dk in doc["error_kinds"]:
                assert not (set(r.values()) & entities), (kind, rownum, "dirty row names a truth entity")
                if dk == "duplicate":
                    assert lines[tuple(r.values())] >= 2, (kind, rownum)
                else:
                    assert problem(spec.columns[col].type, spec.columns[col], r[col]), (kind, rownum, dk)
            else:  # fixable: broken as written, fine once normalised
                cs = spec.columns[col]
                norm = {
                    "id_number": T.normalize_id_number,
                    "credit_code": T.normalize_credit_code,
                    "plate": T.normalize_plate,
                    "phone": T.normalize_phone,
                    "name": T.normalize_name,
                }[cs.type]
                fixed = norm(r[col])
                assert fixed != r[col], (kind, rownum, col)
                assert problem(cs.type, cs, fixed) is None, (kind, rownum, col, r[col])
    assert {
        "duplicate",
        "missing_required",
        "bad_id_check",
        "bad_credit_check",
        "bad_date",
        "negative_amount",
        "bad_plate",
        "fullwidth",
        "name_space",
        "phone_format",
        "plate_format",
    } <= seen_kinds
    assert summary["dirty"]["household"] == doc["files"]["household"]["counts"]


def test_every_scheme_planted_with_decoys_and_only_there(city10k):
    d, summary = city10k
    assert set(summary["planted"]) == set(SCHEME_NAMES) | set(UNMODELLED)
    assert all(n >= 5 for n in summary["planted"].values()), summary["planted"]
    assert all(n >= 1 for n in summary["decoys"].values()), summary["decoys"]
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    assert Counter(r["scheme"] for r in truth["instances"]) == Counter(summary["planted"])
    report = verify(d)
    assert set(report) == set(SCHEME_NAMES)
    for scheme, r in report.items():
        assert r["missed"] == [], (scheme, r)
        assert r["unexpected"] == [], (scheme, r)
        assert r["decoys_hit"] == [], (scheme, r)


def test_truth_entities_appear_normalised_in_the_files(city10k):
    d, _ = city10k
    values = set()
    for kind in CONTRACTS:
        _, rows = read(d, kind)
        for r in rows:
            values.update(r.values())
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    for rec in truth["instances"] + truth["decoys"]:
        assert len(rec["entities"]) == len(rec["types"])
        missing = [e for e in rec["entities"] if e not in values]
        assert missing == [], (rec["scheme"], missing)


def test_background_looks_competitive(city10k):
    d, _ = city10k
    _, bids = read(d, "bids")
    _, tenders = read(d, "tenders")
    by_t: dict[str, list[float]] = {}
    for b in bids:  # dirty rows (blank or negative prices) aside
        if b["price"] and float(b["price"]) > 0:
            by_t.setdefault(b["tender_id"], []).append(float(b["price"]))
    open_t = [t["tender_id"] for t in tenders if t["method"] == "open"]
    sizes = Counter(len(by_t.get(t, [])) for t in open_t)
    assert sum(v for k, v in sizes.items() if 3 <= k <= 8) > 0.9 * len(open_t)
    cvs = [np.std(p) / np.mean(p) for t in open_t if len(p := by_t.get(t, [])) >= 3]
    assert 0.04 < float(np.median(cvs)) < 0.12
    _, fuel = read(d, "fuel_transactions")
    assert sum(f["city"] == "苏州市" for f in fuel) > 0.95 * len(fuel)


def test_parquet_has_the_same_columns(tmp_path):
    s = generate(tmp_path, scale=1000, seed=2, fmt="parquet", dirty_rate=0)
    for kind, spec in CONTRACTS.items():
        t = pq.read_table(tmp_path / f"{kind}.parquet")
        assert t.column_names == [c.zh for c in spec.columns.values()]
        assert t.num_rows == s["rows"][kind]


def test_holiday_calendar():
    for d in (
        "2023-01-01",
        "2023-01-22",
        "2023-04-05",
        "2023-05-01",
        "2023-06-22",
        "2023-09-29",
        "2023-10-03",
        "2024-01-01",
        "2024-02-10",
        "2024-04-04",
        "2024-05-01",
        "2024-06-10",
        "2024-09-17",
        "2024-10-07",
    ):
        assert date.fromisoformat(d) in HOLIDAYS, d
    assert date(2023, 3, 15) not in HOLIDAYS
    assert is_working_day(date(2023, 1, 28)) and is_working_day(date(2024, 9, 29))  # 调休 Saturdays/Sundays
    assert not is_working_day(date(2024, 3, 2)) and is_working_day(date(2024, 3, 4))


def test_vectorised_check_characters_match_the_reference():
    rng = np.random.default_rng(0)
    n = 2000
    ids = id_numbers(
        rng.integers(110000, 659999, n), rng.integers(1930, 2020, n) * 10000 + 101, rng.integers(0, 1000, n)
    ).to_pylist()
    assert all(T.id_number_check(s[:17]) == s[17] for s in ids)
    codes = credit_codes(
        rng.integers(0, 10, (n, 2)), rng.integers(110000, 659999, n), rng.integers(0, 31, (n, 9))
    ).to_pylist()
    assert all(T.credit_code_check(s[:17]) == s[17] for s in codes)


def test_rate_sets_the_instances_per_scheme(tmp_path):
    from graphkit.synth import instances_per_scheme

    assert instances_per_scheme(100_000) == 50 and instances_per_scheme(100_000, 0.1) == 1
    summary = generate(tmp_path / "sparse", scale=4000, seed=3, dirty_rate=0, rate=0.1)
    assert summary["rate"] == 0.1
    assert set(summary["planted"]) == set(SCHEME_NAMES) | set(UNMODELLED)
    assert set(summary["planted"].values()) == {1} and set(summary["decoys"].values()) == {1}
    truth = json.loads((tmp_path / "sparse" / "truth.json").read_text(encoding="utf-8"))
    assert len(truth["instances"]) == len(SCHEME_NAMES) + len(UNMODELLED)
    report = verify(tmp_path / "sparse")
    assert all(not r["missed"] and not r["unexpected"] and not r["decoys_hit"] for r in report.values()), report
    with pytest.raises(ValueError):
        generate(tmp_path, scale=4000, seed=3, rate=0)


def test_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, scale=10, seed=1)
    with pytest.raises(ValueError):
        generate(tmp_path, scale=1000, seed=1, fmt="xlsx")


def test_planter_sample_draws_in_batches_and_keeps_the_city():
    """A million-person synth spent most of its 208 s in Planter.sample drawing one candidate per call while
    looking for a rare one (bench/workflow.py; cProfile at 300,000 persons: 22 s of 88 in sample itself). It now
    draws in batches and winds the generator back: the same candidate and the same generator state after, as
    one draw at a time gives, with a few calls to the generator instead of one per try."""
    from types import SimpleNamespace

    from graphkit.synth.plant import Planter, Skip

    class Counting:
        def __init__(self, seed):
            self.g, self.calls = np.random.default_rng(seed), 0

        @property
        def bit_generator(self):
            return self.g.bit_generator

        def integers(self, *a, **k):
            self.calls += 1
            return self.g.integers(*a, **k)

    arr = np.arange(100_000, 200_000)
    for seed, rare in ((1, 0.0005), (2, 0.05), (3, 1.0)):
        want = set(np.random.default_rng(99).choice(arr, max(1, int(rare * len(arr))), replace=False).tolist())
        one = np.random.default_rng(seed)  # the definition: one draw per try, up to 3000
        expect = next((x for x in (int(arr[one.integers(len(arr))]) for _ in range(3000)) if x in want), None)
        rng = Counting(seed)
        try:
            got = Planter.sample(SimpleNamespace(rng=rng), arr, want.__contains__)
        except Skip:
            got = None
        if expect is not None:
            assert got == expect
            assert rng.g.integers(1 << 40) == one.integers(1 << 40)  # the generator where one-at-a-time left it
            assert rng.calls <= 12, rng.calls  # before: one call per try (up to 3,000)


def test_a_units_head_holds_the_post_that_unit_has(clean):
    """The head of every administrative unit had its post drawn from one list (局长, 主任, 副局长 …): the demo's
    桃源镇人民政府 had a 局长. A town government's head is 镇长, a bureau's 局长, a detention house's 所长, and no unit
    but a bureau has a 局长."""
    d, _ = clean
    _, units = read(d, "units")
    name = {u["unit_id"]: u["name"] for u in units}
    _, roster = read(d, "roster")
    posts = [(name[r["unit_id"]], r["post"]) for r in roster if r["unit_id"] in name]
    assert len(posts) == len(roster)
    assert [x for x in posts if x[1] in ("局长", "副局长") and not x[0].endswith("局")] == []
    assert [x for x in posts if x[1] == "镇长" and not x[0].endswith("镇人民政府")] == []
    assert any(n.endswith("镇人民政府") and p == "镇长" for n, p in posts), posts[:20]
    assert any(n.endswith("看守所") and p == "所长" for n, p in posts)
