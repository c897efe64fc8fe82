"""Dirty rows, as real source tables have them.

Two families:

* **error** kinds are *extra* rows: a copy of an ordinary row with one value
  broken (or an exact duplicate).  The clean original stays in the file, so
  references still resolve; a loader should quarantine (or, for duplicates,
  drop) the extra row.
* **fixable** kinds change an ordinary row *in place* in a way the
  normalisers of :mod:`graphkit.model.types` undo (full-width digits, a space
  inside a name, phones such as ``+86 138-1234-5678``, plates such as
  ``苏e 12345``).  After normalisation the row equals the clean one.

Rows of planted schemes, decoys, and rows mentioning a truth entity are never
touched.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model.types import CREDIT_ALPHABET, id_number_check
from loaders.contracts import Source

__all__ = ["ERROR_KINDS", "FIXABLE_KINDS", "inject"]

ERROR_KINDS = (
    "bad_id_check",
    "bad_credit_check",
    "bad_date",
    "negative_amount",
    "bad_plate",
    "missing_required",
    "duplicate",
)
FIXABLE_KINDS = ("fullwidth", "name_space", "phone_format", "plate_format")
_WEIGHTS = {
    "duplicate": 2.0,
    "missing_required": 1.5,
    "bad_id_check": 1.0,
    "bad_credit_check": 1.0,
    "bad_date": 1.0,
    "negative_amount": 1.0,
    "bad_plate": 1.0,
    "fullwidth": 1.0,
    "name_space": 1.0,
    "phone_format": 1.0,
    "plate_format": 1.0,
}
_TYPES_FOR = {
    "bad_id_check": ("id_number",),
    "bad_credit_check": ("credit_code",),
    "bad_date": ("date", "datetime"),
    "negative_amount": ("amount",),
    "bad_plate": ("plate",),
    "fullwidth": ("id_number", "credit_code", "phone", "plate"),
    "name_space": ("name",),
    "phone_format": ("phone",),
    "plate_format": ("plate",),
}
_BAD_DATES = ["2023-02-30", "2024-13-01", "2023-00-15", "2023-04-31", "2023-02-29", "0000-00-00"]
_BAD_TIMES = ["2023-02-30 10:15:00", "2024-13-01 08:00:00", "2023-06-31 23:10:00", "2023-04-05 25:61:00"]


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ("0" <= ch <= "9" or "A" <= ch <= "Z") else ch for ch in s)


def _break(kind: str, value, ctype: str, rng: np.random.Generator):
    if kind == "bad_id_check":
        good = id_number_check(value[:17])
        return value[:17] + str(rng.choice([c for c in "0123456789X" if c != good]))
    if kind == "bad_credit_check":
        return value[:17] + str(rng.choice([c for c in CREDIT_ALPHABET if c != value[17]]))
    if kind == "bad_date":
        return str(rng.choice(_BAD_TIMES if ctype == "datetime" else _BAD_DATES))
    if kind == "negative_amount":
        return -abs(float(value)) if value else -100.0
    if kind == "bad_plate":
        return str(
            rng.choice([value[:-3], value.replace(value[1], "I", 1), value[2:].replace("·", ""), value + "88888"])
        )
    if kind == "fullwidth":
        return _fullwidth(value)
    if kind == "name_space":
        return value[0] + str(rng.choice([" ", "\u3000"])) + value[1:]
    if kind == "phone_format":
        if "-" in value:  # landline 0512-65123456
            area, num = value.split("-", 1)
            return str(rng.choice([f"({area}){num}", f"{area} {num[:4]} {num[4:]}", f"{area}{num}"]))
        return str(
            rng.choice(
                [
                    f"+86 {value[:3]}-{value[3:7]}-{value[7:]}",
                    f"{value[:3]} {value[3:7]} {value[7:]}",
                    f"0086{value}",
                    f"86-{value}",
                ]
            )
        )
    if kind == "plate_format":
        return str(rng.choice([value.replace("·", ""), value.replace("·", " ").lower(), value.replace("·", "-")]))
    raise ValueError(kind)


def _usable(kind: str, value) -> bool:
    if value is None:
        return False
    if kind == "name_space":
        return len(value) >= 2
    if kind in ("bad_id_check",):
        return len(value) == 18
    if kind == "bad_credit_check":
        return len(value) == 18
    return True


def inject(
    cols: dict[str, pa.Array],
    protect: np.ndarray,
    spec: Source,
    rng: np.random.Generator,
    rate: float,
    *,
    row_offset: int = 0,
) -> tuple[pa.Table, dict[str, list]]:
    """Return the table with dirty rows and {dirty kind: [[row number, column zh], ...]}.

    Row numbers count like a spreadsheet: the header is row 1, the first data row is row 2.
    """
    columns = spec.columns
    names = list(columns)
    table = pa.table({n: cols[n] for n in names})
    n = table.num_rows
    k = int(np.floor(rate * n + rng.random()))
    cand = np.flatnonzero(~protect)
    if k == 0 or len(cand) == 0:
        return table, {}
    by_type: dict[str, list[str]] = {}
    for name, c in columns.items():
        by_type.setdefault(c.type, []).append(name)
    required = [name for name, c in columns.items() if c.required]
    kinds = []
    for kind in ERROR_KINDS + FIXABLE_KINDS:
        if (
            kind == "duplicate"
            or (kind == "missing_required" and required)
            or kind in _TYPES_FOR
            and any(by_type.get(t) for t in _TYPES_FOR[kind])
        ):
            kinds.append(kind)
    w = np.array([_WEIGHTS[x] for x in kinds])
    counts = dict(zip(kinds, rng.multinomial(k, w / w.sum()).tolist(), strict=True))
    report: dict[str, list] = {}
    # fixable: in place, distinct rows
    fix_rows = rng.permutation(cand)
    cursor = 0
    changes: dict[str, dict[int, object]] = {}
    fixed_at: list[tuple[str, int, str]] = []
    for kind in FIXABLE_KINDS:
        want = counts.get(kind, 0)
        if not want:
            continue
        ccols = [c for t in _TYPES_FOR[kind] for c in by_type.get(t, [])]
        got = 0
        tries = 0
        while got < want and cursor < len(fix_rows) and tries < want * 20:
            tries += 1
            row = int(fix_rows[cursor])
            cursor += 1
            col = ccols[int(rng.integers(len(ccols)))]
            val = table.column(col)[row].as_py()
            if not _usable(kind, val) or row in changes.get(col, {}):
                continue
            new = _break(kind, val, columns[col].type, rng)
            if new == val:
                continue
            changes.setdefault(col, {})[row] = new
            fixed_at.append((kind, row, col))
            got += 1
    for col, ch in changes.items():
        mask = np.zeros(n, dtype=bool)
        rows = np.array(sorted(ch))
        mask[rows] = True
        repl = pa.array([ch[r] for r in rows], table.schema.field(col).type)
        table = table.set_column(
            names.index(col), col, pc.replace_with_mask(table.column(col).combine_chunks(), pa.array(mask), repl)
        )
    # errors: extra rows copied from ordinary rows
    extra_rows: list[dict] = []
    extra_info: list[tuple[str, str]] = []
    extra_src: list[int] = []
    for kind in ERROR_KINDS:
        want = counts.get(kind, 0)
        if not want:
            continue
        src = rng.choice(cand, size=want)
        base = table.take(pa.array(src)).to_pylist()
        for origin, rec in zip(src, base, strict=True):
            if kind == "duplicate":
                extra_rows.append(rec)
                extra_info.append((kind, ""))
                extra_src.append(int(origin))
                continue
            if kind == "missing_required":
                col = required[int(rng.integers(len(required)))]
                rec[col] = None
                extra_rows.append(rec)
                extra_info.append((kind, col))
                extra_src.append(-1)
                continue
            ccols = [c for t in _TYPES_FOR[kind] for c in by_type.get(t, []) if _usable(kind, rec.get(c))]
            if not ccols:
                continue
            col = ccols[int(rng.integers(len(ccols)))]
            rec[col] = _break(kind, rec[col], columns[col].type, rng)
            extra_rows.append(rec)
            extra_info.append((kind, col))
            extra_src.append(-1)
    # interleave the extra rows at random positions
    m = len(extra_rows)
    if m:
        schema = table.schema
        extra = pa.Table.from_pylist(extra_rows, schema=schema)
        # string columns broken into non-strings keep their type: amounts stay numbers, dates are strings
        full = pa.concat_tables([table, extra])
        # a duplicate lands after its original (a loader keeps the first occurrence); other errors anywhere
        origin = np.array(extra_src, dtype=np.int64)
        lo = np.where(origin >= 0, origin + 1, 0)
        slot = lo + (rng.random(m) * (n + 1 - lo)).astype(np.int64)
        key = np.concatenate([np.arange(n, dtype=np.int64) * 2 + 1, slot * 2])
        order = np.argsort(key, kind="stable")
        table = full.take(pa.array(order))
        final_pos = positions_of(order)
    else:
        final_pos = np.arange(n)
    for kind, row, col in fixed_at:
        report.setdefault(kind, []).append([int(final_pos[row]) + 2 + row_offset, columns[col].zh])
    for j, (kind, col) in enumerate(extra_info):
        report.setdefault(kind, []).append([int(final_pos[n + j]) + 2 + row_offset, columns[col].zh if col else None])
    for v in report.values():
        v.sort(key=lambda x: x[0])
    return table, report


def positions_of(order: np.ndarray) -> np.ndarray:
    pos = np.empty(len(order), dtype=np.int64)
    pos[order] = np.arange(len(order))
    return pos
