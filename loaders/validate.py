"""Vectorised validation and normalisation of source columns, in Arrow.

Each checker takes a column of raw strings (a ``pyarrow`` string array, nulls
or blanks for empty cells) and returns ``(values, errors)``: the normalised
values as an Arrow array of the model's type (string, ``date32``,
``timestamp[us]``, ``float64``, ``int64``, ``bool``) and a dict
``{row position: reason}`` for the bad values.

Values already in the canonical form (18 ASCII characters for an ID number,
``YYYY-MM-DD`` for a date, ``123.45`` for an amount …) are settled with
``pyarrow.compute`` and numpy.  Everything else — full-width forms, spaces,
other date forms, and the values the fast path refuses, so that the reason is
exact — goes through the scalar normalisers of :mod:`graphkit.model.types`
(or the pandas parsers for numbers and dates) once per distinct value.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model import types as T
from graphkit.model.mask import mask

__all__ = ["check_column", "scatter", "CHECKERS", "ARROW_TYPES", "Errors", "Checked"]

Errors = dict[int, str]
Checked = tuple[pa.Array, Errors]

#: Arrow type of a checked column, per contract value type (``party`` columns hold ids)
ARROW_TYPES: dict[str, pa.DataType] = {
    **{
        t: pa.string()
        for t in (
            "id_number",
            "credit_code",
            "plate",
            "phone",
            "name",
            "person_name",
            "address",
            "text",
            "code",
            "account",
            "enum",
            "month",
            "party",
        )
    },
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "amount": pa.float64(),
    "int": pa.int64(),
    "bool": pa.bool_(),
}

_ID_W = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_C = np.frombuffer(b"10X98765432", dtype=np.uint8)
_CC_W = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
_CC_LUT = np.full(256, -1, dtype=np.int8)
for _i, _ch in enumerate(T.CREDIT_ALPHABET):
    _CC_LUT[ord(_ch)] = _i
_CC_OK = _CC_LUT >= 0
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[ord("0") : ord("9") + 1] = True
_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)

# RE2 (pyarrow) classes.  _WS is exactly Python's ``\s`` on str (str.isspace): checked over every code point.
_WS = r"\t-\r\x{1c}-\x{1f}\x{85}\pZ"
_FOLD = rf"[{_WS}\x{{ff00}}-\x{{ffef}}]"  # whitespace or a full-width form (U+3000 is in \pZ)
_NAME_DOT = "[" + re.escape(T.NAME_DOTS.replace("·", "")) + "]"  # a middle dot written otherwise than ·
_PLATE_CANON = rf"^[{T.PROVINCE_ABBR}][A-HJ-NP-Z]·(?:[A-HJ-NP-Z0-9]{{5,6}}|[A-HJ-NP-Z0-9]{{4}}[挂学警领港澳])$"


# ----------------------------------------------------------------- helpers
def _strings(s: pa.Array | pa.ChunkedArray | pd.Series) -> pa.Array:
    if isinstance(s, pd.Series):
        s = pa.array([None if v is None or v != v else str(v) for v in s.tolist()], pa.string())
    if isinstance(s, pa.ChunkedArray):
        s = s.combine_chunks()
    return s if s.type == pa.string() else pc.cast(s, pa.string())


def _present(s: pa.Array) -> pa.Array:
    """Blank cells (empty or only whitespace: utf8_is_space is str.isspace) become null; others are kept."""
    s = _strings(s)
    blank = pc.or_(pc.equal(pc.binary_length(s), 0), pc.utf8_is_space(s))
    if not pc.any(blank).as_py():
        return s
    return pc.if_else(blank, pa.scalar(None, pa.string()), s)


#: what departments write in a cell for "no value" (无, 暂无, 不详, a dash or a slash, NULL from a database export),
#: compared after NFKC, trimmed and lower-cased: read as an empty cell, so a household row whose 联系电话 is 无 loads
#: its person as a row with no phone does (a bool column is left alone, and so is an enum value its vocabulary
#: lists)
NO_VALUE = (
    "无", "暂无", "没有", "不详", "未知", "空", "无数据", "无记录",
    "-", "--", "---", "—", "——", "–", "−", "―", "‐", "/", "//", "\\", "n/a", "na", "#n/a", "null", "none", "nil",
    "nan",
)  # fmt: skip


#: the forms a system writes to keep Excel from turning a long number into 3.20508E+17: the formula ="3205…" and a
#: leading ' or ` before the digits (Excel's own text prefix, kept as a character by many exports)
_EXCEL_TEXT = r'^\s*=\s*"([^"]*)"\s*$'
_TEXT_PREFIX = r"^\s*['`‘’]\s*([0-9][0-9A-Za-z\-]*)\s*$"


def excel_text_cells(cells: pa.Array) -> tuple[pa.Array, int]:
    """``cells`` with ``="…"`` and a ``'`` or `````` before digits taken off, and how many cells had them.

    >>> v, n = excel_text_cells(pa.array(['="320508198202020288"', "'91320500MA0000001X", "O'Neil", "1200", None]))
    >>> v.to_pylist(), n
    (['320508198202020288', '91320500MA0000001X', "O'Neil", '1200', None], 2)
    """
    cells = _strings(cells)
    # a cell is looked at only when it starts so (= or ＝ from a full-width keyboard, a quote mark): this runs on
    # every column of every load, and normalising every cell cost the load a sixth of its time
    if not pc.any(pc.match_substring_regex(cells, r"^\s*[=＝'`‘’＇｀]")).as_py():
        return cells, 0
    norm = pc.utf8_normalize(cells, "NFKC")
    said = pc.or_(pc.match_substring_regex(norm, _EXCEL_TEXT), pc.match_substring_regex(norm, _TEXT_PREFIX))
    n = int(pc.sum(said).as_py() or 0)
    if not n:
        return cells, 0
    out = pc.replace_substring_regex(pc.replace_substring_regex(norm, _EXCEL_TEXT, r"\1"), _TEXT_PREFIX, r"\1")
    return pc.if_else(said, out, cells), n


#: characters that show as nothing (zero-width space and joiners, word joiner, left-to-right and right-to-left marks,
#: a byte-order mark, a soft hyphen; control characters other than a tab or a line break, a NUL a system padded a
#: field with): pasted in from a web page or a chat message, never part of a value
INVISIBLE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{200b}-\x{200f}\x{2060}-\x{2064}\x{feff}\x{ad}]"


def invisible_cells(cells: pa.Array) -> tuple[pa.Array, int]:
    """``cells`` without the characters :data:`INVISIBLE` (an ID number pasted with a zero-width space before it
    was refused "not 18 characters of digits", and a name with one inside was another name), and how many cells held
    one.

    >>> v, n = invisible_cells(pa.array(["\u200b320508197503120018", "王\u200d强", "张伟\\x00", "138", None]))
    >>> v.to_pylist(), n
    (['320508197503120018', '王强', '张伟', '138', None], 3)
    """
    cells = _strings(cells)
    held = pc.match_substring_regex(cells, INVISIBLE)
    n = int(pc.sum(held).as_py() or 0)
    if not n:
        return cells, 0
    return pc.if_else(held, pc.replace_substring_regex(cells, INVISIBLE, ""), cells), n


def _written_forms(word: str) -> set[str]:
    """The forms a department writes ``word`` in: as is, upper- and title-case, and in full-width characters."""
    full = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
    cases = {word, word.upper(), word.title()}
    return cases | {w.translate(full) for w in cases}


#: :data:`NO_VALUE` in every form :func:`_written_forms` gives (ＮＵＬＬ, N/A, －), read without normalising a cell
_NO_VALUE_FORMS = tuple(sorted({f for w in NO_VALUE for f in _written_forms(w)}))
#: each form with the word it says (NFKC, lower-cased): a column whose vocabulary lists the word keeps it
_NO_VALUE_SAID = tuple((f, unicodedata.normalize("NFKC", f).lower()) for f in _NO_VALUE_FORMS)


@functools.lru_cache(maxsize=256)
def _no_value_words(listed: frozenset[str]) -> pa.Array:
    """The forms of :data:`NO_VALUE` read as no value in a column whose vocabulary lists ``listed``: computed once
    per vocabulary, not once per column of every file (13,000 normalisations a load of the fixture city)."""
    return pa.array([f for f, said in _NO_VALUE_SAID if said not in listed], pa.string())


#: a cell that :func:`invisible_cells`, :func:`excel_text_cells` or :func:`excel_error_cells` may change or refuse
#: holds one of these; :func:`plain_cells` looks for all of them in one pass
_NOT_PLAIN = INVISIBLE + r"|^\s*[=＝'`‘’＇｀]|#"


def plain_cells(cells: pa.Array) -> bool:
    """Whether no cell holds what :func:`invisible_cells`, :func:`excel_text_cells` or :func:`excel_error_cells`
    look for (an invisible character, ``="…"`` or a quote mark before digits, a ``#``): most columns of most files,
    whose three passes (seven Arrow calls a column, a tenth of a small load's own time) are then not needed.

    >>> plain_cells(pa.array(["张伟", "1200", None])), plain_cells(pa.array(["#REF!"]))
    (True, False)
    >>> plain_cells(pa.array(["\u200b3205"])), plain_cells(pa.array([' ＝"3205"']))
    (False, False)
    """
    return not pc.any(pc.match_substring_regex(_strings(cells), _NOT_PLAIN)).as_py()


#: what a cell holds when the formula that filled it failed, as Excel (and WPS) shows it and saves it in a CSV:
#: #REF! (the sheet it looked up was deleted), #VALUE!, #DIV/0!, #NAME? … (#N/A, a lookup that found nothing, is
#: read as no value: :data:`NO_VALUE`)
EXCEL_ERRORS = (
    "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
    "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA",
)  # fmt: skip
#: why such a cell is not read (a required value refuses its row, an optional one is left out)
EXCEL_ERROR = (
    "Excel formula error {v}: the formula that filled this cell failed, so the file holds no value here; correct it "
    "in the workbook and save again"
)


#: why a cell of ``#`` alone is not read: what Excel shows of a number or a date too wide for its column, and saves in a
#: CSV as it shows it (an invoice number formatted 00000000, a date in a narrow column)
EXCEL_HASHES = (
    "{v} is what Excel shows of a number or a date too wide for its column, and the file was saved as shown: its value "
    "is lost; widen the column in the workbook and save again"
)


def excel_error_cells(cells: pa.Array) -> dict[int, str]:
    """The cells holding an Excel formula's error (:data:`EXCEL_ERRORS`: ``#REF!``, ``#VALUE!``) or the ``########``
    Excel shows of a value too wide for its column (:data:`EXCEL_HASHES`), by position, and why they are not read:
    read as text, ``#REF!`` had loaded as a person's name or an address, every row whose formula failed sharing one
    Address node (two companies "at the same address"), and ``########`` as one invoice number for all.

    >>> got = excel_error_cells(pa.array(["苏州市人民路1号", "#REF!", " #VALUE! ", "#N/A", None, "#####"]))
    >>> {p: why.split(" ")[:3] for p, why in got.items()}
    {1: ['Excel', 'formula', 'error'], 2: ['Excel', 'formula', 'error'], 5: ['#####', 'is', 'what']}
    """
    cells = _strings(cells)
    if not pc.any(pc.fill_null(pc.match_substring(cells, "#"), False)).as_py():  # most columns: no # at all
        return {}
    trimmed = pc.utf8_trim_whitespace(pc.utf8_normalize(cells, "NFKC"))
    hit = np.flatnonzero(_np(pc.is_in(pc.utf8_upper(trimmed), pa.array(EXCEL_ERRORS))))
    out = {int(p): EXCEL_ERROR.format(v=trimmed[int(p)].as_py().upper()) for p in hit}
    hashes = np.flatnonzero(_np(pc.match_substring_regex(trimmed, r"^#{2,}$")))
    out.update({int(p): EXCEL_HASHES.format(v=trimmed[int(p)].as_py()) for p in hashes})
    return dict(sorted(out.items()))


def no_value_cells(cells: pa.Array, col) -> tuple[pa.Array, int]:
    """``cells`` with the cells that say "no value" (:data:`NO_VALUE`) as null, and how many there were.

    >>> from loaders.contracts import Column
    >>> v, n = no_value_cells(pa.array(["无", " － ", "13912345678", "N/A", None]), Column("phone", None, "phone"))
    >>> v.to_pylist(), n
    ([None, None, '13912345678', None, None], 3)
    """
    if col.type == "bool":
        return cells, 0
    words = _no_value_words(frozenset({*(col.values or ()), *(w for w, _ in col.words)}))
    cells = _strings(cells)
    # the trimmed cell against every form the words take (case, full-width): one hash lookup a cell, where
    # normalising and lower-casing every cell of every column cost the load a sixth of its time
    said = _np(pc.is_in(pc.utf8_trim_whitespace(cells), words))
    if not said.any():
        return cells, 0
    return pc.if_else(pa.array(said), pa.scalar(None, pa.string()), cells), int(said.sum())


def _np(mask: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null → False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _valid(a: pa.Array) -> np.ndarray:
    return pc.is_valid(a).to_numpy(zero_copy_only=False)


def _matches(s: pa.Array, pattern: str) -> np.ndarray:
    return _np(pc.match_substring_regex(s, pattern))


def _shaped(s: pa.Array, width: int, shape: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the values of exactly ``width`` bytes whose bytes pass ``shape``, and those bytes."""
    pos = np.flatnonzero(_np(pc.equal(pc.binary_length(s), width)))
    arr = _fixed_width(s.take(pa.array(pos)), width)
    keep = shape(arr)
    return pos[keep], arr[keep]


def _fixed_width(a: pa.Array, width: int) -> np.ndarray:
    """ASCII strings of exactly ``width`` bytes as a (n, width) uint8 matrix, without a copy."""
    a = pa.concat_arrays([a]) if a.offset else a
    offsets = np.frombuffer(a.buffers()[1], dtype=np.int32, count=len(a) + 1)
    data = np.frombuffer(a.buffers()[2], dtype=np.uint8) if a.buffers()[2] is not None else np.zeros(0, np.uint8)
    return data[offsets[0] : offsets[-1]].reshape(-1, width)


def _digits(arr: np.ndarray, start: int, stop: int) -> np.ndarray:
    out = np.zeros(len(arr), dtype=np.int64)
    for j in range(start, stop):
        out = out * 10 + (arr[:, j].astype(np.int64) - 48)
    return out


def _valid_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    month_ok = (m >= 1) & (m <= 12)
    dim = _DAYS[np.clip(m, 1, 12) - 1] + (leap & (m == 2))
    return (y >= 1) & month_ok & (d >= 1) & (d <= dim)


def _days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of valid (y, m, d)."""
    months = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64) + (d - 1)


def _reasons(errors: Errors, positions: np.ndarray, prefix: str, s: pa.Array, suffix: str = "") -> None:
    """``prefix + raw value + suffix`` as the reason of each row in ``positions``."""
    raw = s.take(pa.array(positions)).to_pylist()
    for p, v in zip(positions.tolist(), raw, strict=True):
        errors[p] = prefix + v + suffix


def _slow(s: pa.Array, needs: np.ndarray, fn: Callable[[object], object], errors: Errors) -> pa.Array:
    """Apply a per-value normaliser to the rows in ``needs``, once per distinct value."""
    if not needs.any():
        return s
    idx = np.flatnonzero(needs)
    sub = s.take(pa.array(idx))
    uniq = pc.unique(sub)
    results: list[object] = []
    failed: dict[int, str] = {}
    for i, v in enumerate(uniq.to_pylist()):
        try:
            results.append(fn(v))
        except ValueError as exc:
            results.append(None)
            failed[i] = str(exc)
    codes = pc.index_in(sub, value_set=uniq)
    mapped = pa.array(results, s.type).take(codes)
    if failed:
        codes_np = codes.to_numpy(zero_copy_only=False)
        hit = np.isin(codes_np, np.fromiter(failed, dtype=codes_np.dtype, count=len(failed)))
        for p, c in zip(idx[hit].tolist(), codes_np[hit].tolist(), strict=True):
            errors[p] = failed[c]
    return pc.replace_with_mask(s, pa.array(needs), mapped)


def scatter(n: int, typ: pa.DataType, parts: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """An array of ``n`` nulls with ``values`` placed at ``positions`` for each (positions, values) part."""
    take = np.zeros(n, dtype=np.int64)
    pieces, offset = [pa.nulls(1, typ)], 1
    for pos, vals in parts:
        take[pos] = offset + np.arange(len(pos))
        pieces.append(vals.cast(typ))
        offset += len(pos)
    return pa.concat_arrays(pieces).take(pa.array(take))


# ----------------------------------------------------------------- identifiers
def _check_digit_column(
    s: pa.Array,
    shape: Callable[[np.ndarray], np.ndarray],
    valid: Callable[[np.ndarray], np.ndarray],
    scalar: Callable[[object], object],
) -> Checked:
    """Fast path: 18 ASCII characters of the right classes, checked with numpy; the rest (and the
    failures, for an exact reason) through the scalar normaliser."""
    s = _present(s)
    errors: Errors = {}
    needs = _valid(s)
    pos, arr = _shaped(s, 18, shape)
    needs[pos[valid(arr)]] = False
    return _slow(s, needs, scalar, errors), errors


def _id_shape(arr: np.ndarray) -> np.ndarray:
    return _DIGIT[arr[:, :17]].all(axis=1) & (_DIGIT[arr[:, 17]] | (arr[:, 17] == ord("X")))


def _credit_shape(arr: np.ndarray) -> np.ndarray:
    return _CC_OK[arr].all(axis=1)


def _weighted(arr: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row sums of ``arr * weights``, a column at a time (faster than a 2-D product on small ints)."""
    total = np.zeros(len(arr), dtype=np.int64)
    for j, w in enumerate(weights.tolist()):
        total += arr[:, j].astype(np.int64) * w
    return total


def _id_digits_ok(arr: np.ndarray) -> np.ndarray:
    total = _weighted(arr[:, :17], _ID_W) - 48 * int(_ID_W.sum())
    good = _ID_C[total % 11] == arr[:, 17]
    return good & _valid_ymd(_digits(arr, 6, 10), _digits(arr, 10, 12), _digits(arr, 12, 14))


def _credit_ok(arr: np.ndarray) -> np.ndarray:
    vals = _CC_LUT[arr]
    total = _weighted(vals[:, :17], _CC_W)
    return (31 - total % 31) % 31 == vals[:, 17]


def check_id_number(s: pa.Array, col) -> Checked:
    return _check_digit_column(s, _id_shape, _id_digits_ok, T.normalize_id_number)


def check_credit_code(s: pa.Array, col) -> Checked:
    return _check_digit_column(s, _credit_shape, _credit_ok, T.normalize_credit_code)


# ----------------------------------------------------------------- text-like
def _by_value(fn: Callable[[object], object], fast_pattern: str | None = None):
    """Values that match ``fast_pattern`` (the normaliser's own output form) pass as they are."""

    def check(s: pa.Array, col) -> Checked:
        s = _present(s)
        errors: Errors = {}
        needs = _valid(s)
        if fast_pattern is not None:
            needs &= ~_matches(s, fast_pattern)
        return _slow(s, needs, fn, errors), errors

    return check


def _text_like(fn: Callable[[object], object], also: str | None = None):
    """Text without whitespace or full-width forms (nor a match of ``also``) passes as it is."""

    def check(s: pa.Array, col) -> Checked:
        s = _present(s)
        errors: Errors = {}
        needs = _matches(s, _FOLD)
        if also is not None:
            needs |= _matches(s, also)
        return _slow(s, needs, fn, errors), errors

    return check


def _code(v: object) -> str | None:
    t = T.normalize_text(v)
    return None if t is None else t.replace(" ", "")


def _account(v: object) -> str | None:
    t = _code(v)
    if t is None:
        return None
    t = t.replace("-", "")
    if not re.fullmatch(r"\d{8,30}", t):
        raise ValueError(f"account {mask(t, 'account')!r} is not 8-30 digits")
    return t


# ----------------------------------------------------------------- dates
# every form departments write a date or a date-time in, after full-width → half-width: a year, month and day
# separated by - / . or 年月日 (or run together), then optionally a time of day (: or 时分秒 or 点,
# seconds optional: 9时16分) after a space, a T or nothing.  One pattern for dates and date-times: a date column
# takes a date-time's day, a date-time column takes a bare date as midnight.
_DATE_TIME = re.compile(
    r"(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?|(?P<m2>\d{2})(?P<d2>\d{2}))"
    r"(?:(?:\s+|T|\s*)(?P<hh>\d{1,2})\s*[:时点]\s*(?P<mi>\d{1,2})(?:\s*[:分]\s*(?P<ss>\d{1,2})(?:\.\d+)?\s*秒?|\s*分)?\s*"
    r"|(?P<hh2>\d{2})(?P<mi2>\d{2})(?P<ss2>\d{2}))?"
)


#: a weekday written beside a date (2024年5月1日 星期三, 2024-05-01（周三）, 2024/5/1 礼拜三, 2024-05-01 Wed), after
#: full-width → half-width: left out once it agrees with the date (:func:`_parse_date_time`)
_WEEKDAY = re.compile(
    r"[(\[]?\s*(?:(?:星期|周|礼拜)(?P<zh>[一二三四五六日天])|(?P<en>(?i:mon|tue|wed|thu|fri|sat|sun))(?i:[a-z]*)\.?)"
    r"\s*[)\]]?,?"
)
_WEEKDAY_NUMBER = {**{c: i for i, c in enumerate("一二三四五六日")}, "天": 6}
_WEEKDAY_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: the zone after a date-time (2024-05-01T08:00:00+08:00, …Z, +0800, UTC+8, GMT+08:00): read in Beijing time
_ZONE = re.compile(r"\s*(?:(?P<utc>UTC|GMT)\s*)?(?:(?P<z>Z)|(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?$")
#: the offset of the time every department's date-times are in: China Standard Time (北京时间), UTC+8
BEIJING = 8 * 60
#: a time of day written on a twelve-hour clock (2024/3/14 下午1:30, as Chinese Excel's 上午/下午h"时"mm"分" shows and
#: saves it; 3/14/2024 1:30 PM): the word, before or after the time, and how it moves the hour
_MERIDIEM = re.compile(r"\s*(上午|下午|凌晨|早上|早晨|中午|晚上|傍晚|(?i:a\.?m\.?|p\.?m\.?))\s*")
_AFTERNOON = ("下午", "晚上", "傍晚")


#: a time as a system's database or API keeps it, seconds or milliseconds since 1970 (UTC), 2000 to 2099: 10 or 13
#: digits, a length no other form of a date has (20240501 is 8, 20240501083000 is 14), read in Beijing time
_UNIX = re.compile(r"[0-9]{10}(?:[0-9]{3})?")
_UNIX_SPAN = (946_684_800, 4_102_444_800)


class WeekdayMismatch(ValueError):
    """A date written with a weekday that is not its own (2024年5月2日 星期三: 2 May 2024 is a Thursday)."""


def _parse_date_time(v: str) -> tuple[int, int, int, int, int, int] | None:
    """(year, month, day, hour, minute, second) of a date or date-time in any of the forms above, ``None`` for none.

    A weekday written beside it (星期三, 周三, Wed) is left out where it is the date's own, else
    :class:`WeekdayMismatch` is raised: which of the two is the typo is not guessed. A date-time with its zone
    (``2024-05-01T08:00:00+08:00``, ``…Z``, ``UTC+8``) is read in Beijing time, the time the departments' other
    date-times are in: ``+08:00`` as written, ``2024-05-01T00:00:00Z`` as 2024-05-01 08:00:00; so is a time a
    system keeps as seconds or milliseconds since 1970 (:data:`_UNIX`: ``1714521600``). A time of day on a twelve-hour
    clock (下午1:05, 1:05 PM: :data:`_MERIDIEM`) is read on the twenty-four-hour one.

    >>> _parse_date_time("2024年5月1日 星期三"), _parse_date_time("2024-05-01T08:00:00+08:00")
    ((2024, 5, 1, 0, 0, 0), (2024, 5, 1, 8, 0, 0))
    >>> _parse_date_time("2024-04-30T16:30:00Z"), _parse_date_time("2024-05-01 (Wed) 09:15")
    ((2024, 5, 1, 0, 30, 0), (2024, 5, 1, 9, 15, 0))
    >>> _parse_date_time("1714521600"), _parse_date_time("1714521600000"), _parse_date_time("2024/3/4 下午1:05")
    ((2024, 5, 1, 8, 0, 0), (2024, 5, 1, 8, 0, 0), (2024, 3, 4, 13, 5, 0))
    """
    t = v.strip()
    if _UNIX.fullmatch(t):  # 1714521600 or 1714521600000: seconds (or milliseconds) since 1970 in UTC
        secs = int(t[:10])
        if not _UNIX_SPAN[0] <= secs < _UNIX_SPAN[1]:
            return None
        b = datetime(1970, 1, 1) + timedelta(seconds=secs, minutes=BEIJING)
        return (b.year, b.month, b.day, b.hour, b.minute, b.second)
    weekday = None
    if not t[:1].isdigit() or not t[-1:].isdigit() or re.search(r"[星周礼a-zA-Z]", t):
        days = list(_WEEKDAY.finditer(t))
        if len(days) == 1:
            w = days[0]
            weekday = _WEEKDAY_NUMBER[w["zh"]] if w["zh"] else _WEEKDAY_EN.index(w["en"][:3].lower())
            t = re.sub(r"\s+", " ", t[: w.start()] + " " + t[w.end() :]).strip()
    meridiem = None
    if re.search(r"[上下凌早中晚傍]|(?i:[ap]\.?m)", t):
        half = list(_MERIDIEM.finditer(t))
        if len(half) == 1:
            meridiem = half[0].group(1).lower().replace(".", "")
            t = (t[: half[0].start()] + " " + t[half[0].end() :]).strip()
    offset = None
    m = _DATE_TIME.fullmatch(t)
    if m is None:
        zone = _ZONE.search(t)
        if zone is not None and zone.start() < len(t) and (zone["z"] or zone["sign"] or zone["utc"]):
            head = t[: zone.start()]
            m = _DATE_TIME.fullmatch(head)
            if m is None or not (m["hh"] or m["hh2"]):  # a zone follows a time of day
                return None
            if zone["sign"]:
                hours, minutes = int(zone["h"]), int(zone["m"] or 0)
                # an offset as ISO 8601 writes one, after seconds or a T (08:30-09:30 is a span of time, no zone)
                iso = zone["utc"] or re.search(r"T|:\d{2}:\d{2}(?:\.\d+)?$", head)
                if not iso or hours > 14 or minutes not in (0, 15, 30, 45):
                    return None
                offset = (-1 if zone["sign"] == "-" else 1) * (hours * 60 + minutes)
            else:
                offset = 0
    if m is None:
        return None
    g = m.groupdict()
    hour = int(g["hh"] or g["hh2"] or 0)
    if meridiem is not None:
        if not (g["hh"] or g["hh2"]) or not 1 <= hour <= 12 and not (meridiem not in ("am", "上午") and hour > 12):
            return None  # 上午 with no time, or 上午0:30: not a twelve-hour time
        if meridiem in ("pm", *_AFTERNOON) and hour < 12 or meridiem == "中午" and hour < 11:
            hour += 12  # 下午1:30 is 13:30; 中午12点 is noon, 中午1点 13:00
        elif meridiem in ("am", "上午", "凌晨", "早上", "早晨") and hour == 12:
            hour = 0  # 12:30 AM, 凌晨12点半: half past midnight
    out = (
        int(g["y"]),
        int(g["m"] or g["m2"]),
        int(g["d"] or g["d2"]),
        hour,
        int(g["mi"] or g["mi2"] or 0),
        int(g["ss"] or g["ss2"] or 0),
    )
    try:
        written = datetime(*out)
    except ValueError:
        return out  # a day the calendar lacks: the caller refuses it as it is
    if weekday is not None and written.weekday() != weekday:
        raise WeekdayMismatch(
            f"{written:%Y-%m-%d} is a {written:%A} ({'星期' + '一二三四五六日'[written.weekday()]}), not the "
            f"{'星期' + '一二三四五六日'[weekday]} written beside it: the date or the weekday is wrong, not guessed"
        )
    if offset is not None and offset != BEIJING:
        b = written + timedelta(minutes=BEIJING - offset)
        out = (b.year, b.month, b.day, b.hour, b.minute, b.second)
    return out


#: a cell that may end in a time zone (Z, +00:00, UTC, GMT, full-width too): the cells :func:`zoned_cells` parses
_ZONED = r"(?i)(?:[zＺｚ]|[+\-＋－][0-9０-９]{1,2}(?:[:：]?[0-9０-９]{2})?|UTC|GMT|ＵＴＣ|ＧＭＴ)\s*$"


def zoned_cells(cells: pa.Array) -> int:
    """How many of a date or date-time column's cells were written in another time zone than Beijing's and read
    converted to Beijing time (:func:`_parse_date_time`: ``2024-04-30T16:30:00Z`` is 2024-05-01 00:30:00), which the
    load's notes say: a time read otherwise than written is never changed with nothing said.

    >>> zoned_cells(pa.array(["2024-04-30T16:30:00Z", "2024-05-01T08:00:00+08:00", "2024-05-01T08:00:00+00:00",
    ...                       "2024-05-01 08:30-09:30", "2024-05-01", None]))
    2
    """
    cells = _strings(cells)
    maybe = pc.fill_null(pc.match_substring_regex(cells, _ZONED), False)
    if not _np(maybe).any():
        return 0
    sub = cells.filter(maybe)
    uniq = pc.unique(sub)
    converted = []
    for v in uniq.to_pylist():
        t = unicodedata.normalize("NFKC", v).strip()
        zone = _ZONE.search(t)
        with contextlib.suppress(WeekdayMismatch):
            read = _parse_date_time(t)
            # read otherwise than the same time with no zone: converted (+08:00, Beijing's own, is read as written)
            if (
                read is not None
                and zone is not None
                and _DATE_TIME.fullmatch(t) is None  # 2024-05-01 is a date, no zone -01
                and read != _parse_date_time(t[: zone.start()].rstrip())
            ):
                converted.append(v)
    if not converted:
        return 0
    return int(pc.sum(pc.is_in(sub, value_set=pa.array(converted, pa.string()))).as_py() or 0)


def _date_shape(with_time: bool) -> Callable[[np.ndarray], np.ndarray]:
    digits = [0, 1, 2, 3, 5, 6, 8, 9] + ([11, 12, 14, 15, 17, 18] if with_time else [])
    marks = {4: "-", 7: "-"} | ({10: " ", 13: ":", 16: ":"} if with_time else {})

    def shape(arr: np.ndarray) -> np.ndarray:
        ok = _DIGIT[arr[:, digits]].all(axis=1)
        for j, ch in marks.items():
            ok &= arr[:, j] == ord(ch)
        return ok

    return shape


def _dates(s: pa.Array, *, with_time: bool) -> Checked:
    s = _present(s)
    n = len(s)
    errors: Errors = {}
    fmt, what = ("%Y-%m-%d %H:%M:%S", "date-time") if with_time else ("%Y-%m-%d", "date")
    unit = 86_400_000_000  # microseconds a day
    micros = np.zeros(n, dtype=np.int64)
    done = np.zeros(n, dtype=bool)  # parsed
    refused = np.zeros(n, dtype=bool)
    idx, arr = _shaped(s, 19 if with_time else 10, _date_shape(with_time))
    if len(idx):
        y, m, d = _digits(arr, 0, 4), _digits(arr, 5, 7), _digits(arr, 8, 10)
        calendar = _valid_ymd(y, m, d)
        ok = calendar & (y >= 1900) & (y <= 2100)
        if with_time:
            hh, mi, ss = _digits(arr, 11, 13), _digits(arr, 14, 16), _digits(arr, 17, 19)
            ok &= (hh < 24) & (mi < 60) & (ss < 60)
        days = _days(np.where(ok, y, 1970), np.where(ok, m, 1), np.where(ok, d, 1))
        value = days * unit
        if with_time:
            value = value + (hh * 3600 + mi * 60 + ss) * 1_000_000
        micros[idx[ok]] = value[ok]
        done[idx[ok]] = True
        # the canonical shape with a day the calendar lacks (2023-02-30): no other form reads it either
        bad = idx[~calendar]
        if len(bad):
            refused[bad] = True
            _reasons(errors, bad, f"not a {what} (", s, "); expected " + fmt.replace("%", ""))
    rest = _valid(s) & ~done & ~refused
    if rest.any():
        idx = np.flatnonzero(rest)
        sub = s.take(pa.array(idx))
        uniq = pc.unique(sub)
        texts = uniq.to_pylist()
        # full-width → half-width first (the canonical forms above hold none): ２０２３－０７－０５ is a date
        parts, mismatch = [], {}
        for k, v in enumerate(texts):
            try:
                parts.append(_parse_date_time(unicodedata.normalize("NFKC", v)))
            except WeekdayMismatch as exc:  # 2024年5月2日 星期三: which one is the typo is not guessed
                parts.append(None)
                mismatch[k] = f"{v}: {exc}"
        form = np.array([p is not None for p in parts], dtype=bool)
        ymd = np.array([p if p is not None else (1970, 1, 1, 0, 0, 0) for p in parts], dtype=np.int64).reshape(-1, 6)
        y, m, d, hh, mi, ss = ymd.T
        good_u = form & _valid_ymd(y, m, d) & (hh < 24) & (mi < 60) & (ss < 60)
        in_range = (y >= 1900) & (y <= 2100)
        value_u = _days(np.where(good_u, y, 1970), np.where(good_u, m, 1), np.where(good_u, d, 1)) * unit
        if with_time:
            value_u = value_u + (hh * 3600 + mi * 60 + ss) * 1_000_000
        expected = "); expected " + fmt.replace("%", "")
        reasons = [
            mismatch[k]
            if k in mismatch
            else "date out of range 1900-2100"
            if g
            else f"not a {what} ({v}{expected}{_serial_hint(v)}"
            for k, (v, g) in enumerate(zip(texts, good_u.tolist(), strict=True))
        ]
        good_u &= in_range
        codes = pc.index_in(sub, value_set=uniq).to_numpy(zero_copy_only=False)
        hit = good_u[codes]
        micros[idx[hit]] = value_u[codes[hit]]
        done[idx[hit]] = True
        for p, c in zip(idx[~hit].tolist(), codes[~hit].tolist(), strict=True):
            errors[p] = reasons[c]
    out = pa.array(micros, pa.timestamp("us"), mask=~done)
    if not with_time:
        out = pa.array((micros // unit).astype(np.int32), pa.date32(), mask=~done)
    return out, errors


#: a month as departments write one (2024-03, 2024/3, 2024.3, 2024年3月, 2024年3月份, 202403), after full-width →
#: half-width; a whole date or date-time (an Excel date cell under 发放期间) gives its month
_MONTH = re.compile(r"(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*(?:月份?)?|(?P<m2>\d{2}))")


def _month(v: object) -> str | None:
    """A month as ``YYYY-MM``, the form the models compare (``prisoner_paid`` reads ``b.period`` so).

    >>> _month("2024年3月"), _month("202403"), _month("2024.10"), _month("2024-03-01 00:00:00")
    ('2024-03', '2024-03', '2024-10', '2024-03')
    """
    t = T.normalize_text(v)
    if t is None:
        return None
    t = unicodedata.normalize("NFKC", t).strip()
    m = _MONTH.fullmatch(t)
    ym = (int(m.group("y")), int(m.group("m") or m.group("m2"))) if m else None
    full = None
    if ym is None:
        with contextlib.suppress(WeekdayMismatch):
            full = _parse_date_time(t)
    if full is not None:
        with contextlib.suppress(ValueError):  # a day the calendar lacks (2024-02-30) is no month either
            ym = (date(*full[:3]).year, full[1])
    if ym is None or not (1 <= ym[1] <= 12):
        raise ValueError(f"not a month ({t}); expected Y-m (2024-03)")
    if not 1900 <= ym[0] <= 2100:
        raise ValueError("month out of range 1900-2100")
    return f"{ym[0]:04d}-{ym[1]:02d}"


def _serial_hint(v: str) -> str:
    """What a number of days such as 45356 under a date heading is: a date Excel held as its serial and a CSV
    saved as the number (which calendar, 1900 or 1904, the CSV no longer says, so it is not guessed).

    >>> _serial_hint("45356")
    '; an Excel date serial? format the column as dates in the workbook and save again'
    >>> _serial_hint("45356.5") == _serial_hint("45356"), _serial_hint("2024")
    (True, '')
    """
    return (
        "; an Excel date serial? format the column as dates in the workbook and save again"
        if re.fullmatch(r"\s*[1-9]\d{4}(\.\d+)?\s*", v)
        else ""
    )


def check_date(s: pa.Array, col) -> Checked:
    return _dates(s, with_time=False)


def check_datetime(s: pa.Array, col) -> Checked:
    return _dates(s, with_time=True)


# ----------------------------------------------------------------- numbers, flags, enums
#: a comma followed by one or two digits at the end is a decimal comma (``1234,5``, ``1.234,56``, as European
#: spreadsheets write amounts); a comma before three digits is a thousands separator (``1,234``, ``1,200.50``)
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d{1,2}$")


#: the Chinese units an amount is written in: 万 (10⁴) and 亿 (10⁸), as in 12.5万元
_UNITS = {"万": "e4", "亿": "e8"}


#: the digits of an amount written in Chinese numerals: the capitals (大写) of finance, the common forms, 两
_CN_DIGITS = {
    **dict.fromkeys("零〇", 0),
    **dict.fromkeys("壹一", 1),
    **dict.fromkeys("贰貳二两兩", 2),
    **dict.fromkeys("叁參三", 3),
    **dict.fromkeys("肆四", 4),
    **dict.fromkeys("伍五", 5),
    **dict.fromkeys("陆陸六", 6),
    **dict.fromkeys("柒七", 7),
    **dict.fromkeys("捌八", 8),
    **dict.fromkeys("玖九", 9),
}
_CN_TENS = {**dict.fromkeys("拾十", 10), **dict.fromkeys("佰百", 100), **dict.fromkeys("仟千", 1000)}
_CN_BIG = {**dict.fromkeys("万萬", 10**4), **dict.fromkeys("亿億", 10**8)}
#: a Chinese numeral (not 万/亿 alone: 12.5万 is a number with its unit)
_CN_NUMERAL = re.compile(f"[{''.join(_CN_DIGITS)}{''.join(_CN_TENS)}]")
#: what a finance export writes around an amount: 人民币, RMB, CNY, （大写）, a final 整 or 正
_CN_AROUND = re.compile(
    r"^¥?(?:人民币|RMB|CNY)?[:：]?(?:[(（]?大写[)）]?[:：]?)?¥?|(?<=[元圆角分拾佰仟万萬亿億十百千0-9])[整正]$",
    re.IGNORECASE,
)


def _cn_integer(t: str) -> int | None:
    """A whole number in Chinese numerals (壹万贰仟, 三百零五, 十二, 1万2千), or ``None`` where it does not read as one:
    two digits with no unit between them (一二〇〇, which may be digits), a unit out of order (伍佰叁仟), a last digit
    with no unit after a unit above 拾 and no 零 before it (两万五, 一百五: said for 25,000 and 150, written 壹万零伍
    and 壹佰零伍 for 10,005 and 105: not guessed).

    >>> [_cn_integer(x) for x in ["壹仟零伍拾", "壹万零伍佰", "三十五", "壹万亿", "两万五", "一百五", "壹亿壹亿"]]
    [1050, 10500, 35, 1000000000000, None, None, None]
    """
    total, section, digit, last_big, last_ten, zero = 0, 0, None, None, None, False
    last_unit, zero_before = None, False  # the unit before the digit now held, and whether 零 came between
    for m in re.finditer(r"[0-9]+|.", t):
        ch = m.group()
        if ch.isdigit() or ch in _CN_DIGITS:
            if digit is not None:
                return None  # 一二: digits, not a numeral
            digit = int(ch) if ch.isdigit() else _CN_DIGITS[ch]
            if ch in "零〇":
                if zero:
                    return None
                digit, zero = None, True  # 零 only holds a place: 三百零五
            else:
                zero_before, zero = zero, False
        elif ch in _CN_TENS:
            unit = _CN_TENS[ch]
            if (last_ten is not None and unit >= last_ten) or (digit is None and (section or zero)):
                return None  # 伍佰叁仟, or 拾 with no digit after another unit (only 十二 may open on 拾)
            section += (1 if digit is None else digit) * unit
            digit, last_ten, zero, last_unit = None, unit, False, unit
        elif ch in _CN_BIG:
            unit = _CN_BIG[ch]
            section += digit or 0
            if not section and not (unit == 10**8 and total):
                return None  # 万 with nothing before it
            if unit == 10**8:
                if last_big == 10**8 and section:
                    return None  # 亿…亿
                total = (total + section) * unit
            else:
                if last_big == 10**4:
                    return None  # 万…万
                total += section * unit
            section, digit, last_big, last_ten, zero, last_unit = 0, None, unit, None, False, unit
        else:
            return None
    if digit is not None and last_unit is not None and last_unit > 10 and not zero_before:
        return None  # 两万五: 25,000 as said, 20,005 as read
    return total + section + (digit or 0)


#: said of an amount in Chinese numerals that reads as no one amount (伍佰叁仟元, 两万五): never guessed
CN_NOT_ONE = " (Chinese numerals that read as no one amount: not guessed; write it in digits)"


def chinese_amount(v: str) -> str | None:
    """An amount written in Chinese numerals as finance exports write it (壹万贰仟元整, 人民币叁拾万元, 伍佰元,
    叁佰元伍角, 壹拾元零伍分, 一万二千) as plain decimal text, exact to the fen; ``None`` where the text holds no
    Chinese numeral or does not read as one amount (壹贰元, 伍佰叁仟元, 叁角伍元), which is then no number.

    >>> [chinese_amount(x) for x in ["壹万贰仟元整", "伍佰元", "人民币叁拾万元", "叁佰元伍角", "壹拾元零伍分"]]
    ['12000', '500', '300000', '300.50', '10.05']
    >>> [chinese_amount(x) for x in ["一万二千"]]
    ['12000']
    >>> [chinese_amount(x) for x in ["壹亿贰仟万元", "两千零五十", "十二", "壹贰元", "伍佰叁仟元", "1200元"]]
    ['120000000', '2050', '12', None, None, None]
    """
    t = re.sub(r"\s", "", unicodedata.normalize("NFKC", v))
    t = _CN_AROUND.sub("", t)
    if not _CN_NUMERAL.search(t):
        return None
    whole, sep, cents = re.split("([元圆])", t, maxsplit=1) if re.search("[元圆]", t) else (t, "", "")
    fen = 0
    if cents:
        m = re.fullmatch(r"(?:[零〇])?(?:(?P<j>.)角)?(?:[零〇])?(?:(?P<f>.)分)?", cents)
        if m is None or not (m["j"] or m["f"]):
            return None
        for key, worth in (("j", 10), ("f", 1)):
            if m[key] is not None:
                d = m[key]
                if d not in _CN_DIGITS and not d.isdigit():
                    return None
                fen += worth * (int(d) if d.isdigit() else _CN_DIGITS[d])
    if not whole and not fen:
        return None
    n = _cn_integer(whole) if whole else 0
    if n is None:
        return None
    return f"{n}.{fen:02d}" if fen else str(n)


def number_text(v: str) -> str:
    """An amount as departments write it (``￥1,200.50``, ``1200元``, ``12.5万元``, full-width digits, a decimal
    comma ``1.234,56``, ``人民币1200元整``, Chinese numerals ``壹万贰仟元整``: :func:`chinese_amount`) as plain text
    that :func:`float` reads.

    >>> [number_text(x) for x in ["￥1,200.50", "１２００元", "1.234,56", "1234,5", "1,234", "12.5万元", "1.2亿"]]
    ['1200.50', '1200', '1234.56', '1234.5', '1234', '12.5e4', '1.2e8']
    >>> [number_text(x) for x in ["壹万贰仟元整", "人民币30万元", "RMB 1,200", "1200元整"]]
    ['12000', '30e4', '1200', '1200']
    """
    if (cn := chinese_amount(v)) is not None:
        return cn
    t = unicodedata.normalize("NFKC", v).strip()
    t = _CN_AROUND.sub("", re.sub(r"\s", "", t))  # 人民币, RMB, a final 整
    for ch in ("¥", "元", " "):
        t = t.replace(ch, "")
    exponent = ""
    if t[-1:] in _UNITS and t[:-1][-1:].isdigit():  # 12.5万 (ten thousand), 1.2亿 (a hundred million)
        t, exponent = t[:-1], _UNITS[t[-1]]
    if _DECIMAL_COMMA.match(t):
        return t.replace(".", "").replace(",", ".") + exponent
    return t.replace(",", "") + exponent


# which decimal mark a number shows (after number_text's clean-up of ¥, 元, spaces and 万/亿):
#: only a comma can be its decimal mark: ``1.234,5`` (a thousands point before it), ``12,5`` (one or two digits
#: after it), ``1,2345`` (four or more), ``1.234.567`` (several thousands points)
_COMMA_MARK = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+,\d+|\d+,(?:\d{1,2}|\d{4,})|\d{1,3}(?:\.\d{3}){2,})$")
#: only a point can be: ``1,234.5``, ``12.5``, ``1.2345``, ``1,234,567``
_POINT_MARK = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+\.\d+|\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:,\d{3}){2,})$")
#: either: ``1.234`` and ``1,234`` (1234 with a thousands mark, or a decimal with three places)
_EITHER_MARK = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")


@dataclass(frozen=True)
class DecimalMarks:
    """Which decimal mark the numbers of one column write, as :func:`decimal_marks` reads them.

    ``mark`` is ``","`` (a comma: ``1.234,50``), ``"."`` (a point) or ``None`` (no value shows which);
    ``ambiguous`` holds the row positions of values that read two ways (``1.234``: 1234 or 1.234) when the
    column does not say (its other values show no mark, or both marks), with the value; ``commas`` counts the
    values that show a comma mark."""

    mark: str | None
    ambiguous: dict[int, str]
    commas: int


def decimal_marks(s: pa.Array) -> DecimalMarks:
    """The decimal mark of a column of numbers from a ``;``-separated file (a spreadsheet set to a European
    locale writes ``;`` between fields and ``1.234,50`` for 1234.50): a comma when some values show a comma mark
    and none a point, a point when some show a point and none a comma; otherwise the values that read two ways
    (``1.234``, ``1,234``) are ambiguous and listed, never guessed.

    >>> decimal_marks(pa.array(["1.234,50", "12,5", "1.234", "300"]))
    DecimalMarks(mark=',', ambiguous={}, commas=2)
    >>> decimal_marks(pa.array(["1.234", "2.500", None])).ambiguous
    {0: '1.234', 1: '2.500'}
    >>> decimal_marks(pa.array(["12.5", "1.234"])).mark
    '.'
    """
    s = _present(s)
    counts = pc.value_counts(s.drop_null()) if s.null_count < len(s) else []
    commas, points, either = 0, 0, []
    for item in counts:  # each distinct value once: a file of a million rows has a few thousand amounts
        v, n = item["values"].as_py(), item["counts"].as_py()
        t = number_text_clean(v)
        if _COMMA_MARK.match(t):
            commas += n
        elif _POINT_MARK.match(t):
            points += n
        elif _EITHER_MARK.match(t):
            either.append(v)
    if commas and not points:
        return DecimalMarks(",", {}, commas)
    if points and not commas:
        return DecimalMarks(".", {}, 0)
    if not either:
        return DecimalMarks(None, {}, commas)
    at = np.flatnonzero(pc.fill_null(pc.is_in(s, value_set=pa.array(either, pa.string())), False).to_numpy(False))
    values = s.take(pa.array(at)).to_pylist()
    return DecimalMarks(None, dict(zip(at.tolist(), values, strict=True)), commas)


def with_decimal_comma(s: pa.Array) -> pa.Array:
    """Numbers written with a decimal comma (``1.234,50``) as :func:`number_text` reads them (``1234.50``).

    >>> with_decimal_comma(pa.array(["1.234,50", "12,5", "1,234", None])).to_pylist()
    ['1234.50', '12.5', '1.234', None]
    """
    return pc.replace_substring(pc.replace_substring(s, ".", ""), ",", ".")


def number_text_clean(v: str) -> str:
    """A number's text without what :func:`number_text` strips before it reads the marks (``￥``, ``元``,
    spaces, full-width forms, the unit 万 or 亿)."""
    t = _CN_AROUND.sub("", re.sub(r"\s", "", unicodedata.normalize("NFKC", v)))
    for ch in ("¥", "元", " "):
        t = t.replace(ch, "")
    if t[-1:] in _UNITS and t[:-1][-1:].isdigit():
        t = t[:-1]
    return t


#: a number as Excel writes one too wide for its column in scientific form (``1.23E+06``, ``5E+02``: an upper-case E,
#: a sign and two or three digits; a program writes ``1e-05``), which it saves in a CSV as it shows it
_EXCEL_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?E[+-][0-9]{2,3}")
#: the reason an amount in that form is refused: its other digits were lost before the file came
EXCEL_SCIENTIFIC = (
    "number in scientific form ({v}), as Excel shows a number too wide for its column: its other digits are lost; "
    "widen the column (or format it as a number) in the workbook and save again"
)


def excel_scientific(v: object) -> bool:
    """Whether a cell holds a number in Excel's scientific form (``1.23E+06``, ``５E+02``), whose other digits were
    lost before the file came (:data:`EXCEL_SCIENTIFIC`); a program's ``1e-05`` is no such cell.

    >>> [excel_scientific(v) for v in ("1.23E+06", " 5E+02 ", "1e-05", "1230000", None)]
    [True, True, False, False, False]
    """
    return v is not None and bool(_EXCEL_SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", str(v)).strip()))


def _numbers(s: pa.Array) -> tuple[np.ndarray, np.ndarray, Errors]:
    """Float values, which of them parsed, and 'not a number' reasons (infinite values refused, and a number in
    Excel's scientific form, ``1.23E+06``, whose digits were lost: :data:`EXCEL_SCIENTIFIC`)."""
    s = _present(s)
    n = len(s)
    errors: Errors = {}
    values = np.full(n, np.nan)
    fast = _matches(s, r"^[0-9]{1,15}(\.[0-9]{1,6})?$")
    if fast.any():
        idx = np.flatnonzero(fast)
        values[idx] = pc.cast(s.take(pa.array(idx)), pa.float64()).to_numpy(zero_copy_only=False)
    rest = _valid(s) & ~fast
    if rest.any():
        idx = np.flatnonzero(rest)
        sub = s.take(pa.array(idx))
        uniq = pc.unique(sub)
        raw = pd.Series(uniq.to_pylist(), dtype=object)
        txt = raw.map(number_text)
        parsed = np.array(pd.to_numeric(txt, errors="coerce"), dtype=float)
        infinite = np.isinf(parsed)
        parsed[infinite] = np.nan
        scientific = ~np.isnan(parsed) & raw.map(excel_scientific).to_numpy(dtype=bool)
        parsed[scientific] = np.nan
        codes = pc.index_in(sub, value_set=uniq).to_numpy(zero_copy_only=False)
        values[idx] = parsed[codes]
        for p, c in zip(idx.tolist(), codes.tolist(), strict=True):
            if infinite[c]:
                errors[p] = "not a finite number: " + raw[c]
            elif scientific[c]:
                errors[p] = EXCEL_SCIENTIFIC.format(v=raw[c])
            elif np.isnan(parsed[c]):
                errors[p] = "not a number: " + raw[c] + (CN_NOT_ONE if _CN_NUMERAL.search(str(raw[c])) else "")
    return values, ~np.isnan(values), errors


def _without_suffix(s: pa.Array, col) -> pa.Array:
    """Numbers of a column with ``suffixes`` (its own unit written in the cell: 45.2升, 60%, 3个工日) as the number.

    >>> from loaders.contracts import load_contracts
    >>> litres = load_contracts()["fuel_transactions"].columns["litres"]
    >>> _without_suffix(pa.array(["45.2升", " 45.2 L", "４５．２公升", "45.2", "升", None]), litres).to_pylist()
    ['45.2', '45.2', '45.2', '45.2', '升', None]
    """
    words = sorted(getattr(col, "suffixes", ()) or (), key=len, reverse=True)
    if not words:
        return s
    s = _strings(s)
    if not pc.any(pc.invert(pc.match_substring_regex(s, r"^[0-9.]*$"))).as_py():  # plain numbers: most columns
        return s
    pattern = r"^\s*([0-9][0-9.,]*)\s*(?:" + "|".join(re.escape(w) for w in words) + r")\s*$"
    norm = pc.utf8_normalize(s, "NFKC")
    said = pc.match_substring_regex(norm, pattern)
    if not pc.any(said).as_py():
        return s
    return pc.if_else(said, pc.replace_substring_regex(norm, pattern, r"\1"), s)


def check_amount(s: pa.Array, col) -> Checked:
    s = _without_suffix(s, col)
    values, ok, errors = _numbers(s)
    for p in np.flatnonzero(ok & (values < 0)).tolist():
        errors[p] = f"negative amount {values[p]}"
    if col is not None and col.max is not None:
        for p in np.flatnonzero(ok & (values > col.max)).tolist():
            errors[p] = f"above the maximum {col.max}: {values[p]}"
    if errors:
        ok[list(errors)] = False
    return pa.array(values, pa.float64(), mask=~ok), errors


def check_int(s: pa.Array, col) -> Checked:
    out, errors = check_amount(_without_suffix(s, col), None)
    values = out.to_numpy(zero_copy_only=False)
    ok = _valid(out)
    frac = ok & (values != np.round(values))
    for p in np.flatnonzero(frac).tolist():
        errors[p] = f"not a whole number: {values[p]}"
    ok &= ~frac
    return pa.array(np.where(ok, values, 0).astype(np.int64), pa.int64(), mask=~ok), errors


# a tick or a cross as a platform's export writes it: √/× in GBK files, ✓/✔/✗/✘ in workbooks
_TRUE = ["1", "true", "t", "yes", "y", "是", "√", "✓", "✔"]
_FALSE = ["0", "false", "f", "no", "n", "否", "×", "✗", "✘"]


def check_bool(s: pa.Array, col) -> Checked:
    s = _present(s)
    errors: Errors = {}
    low = pc.utf8_lower(pc.utf8_trim_whitespace(s))
    true, false = _np(pc.is_in(low, pa.array(_TRUE))), _np(pc.is_in(low, pa.array(_FALSE)))
    known = true | false
    bad = _valid(s) & ~known
    if bad.any():
        _reasons(errors, np.flatnonzero(bad), "not a yes/no value: ", s)
    return pa.array(true, pa.bool_(), mask=~known), errors


def check_enum(s: pa.Array, col) -> Checked:
    """One of the column's values, or a word its vocabulary lists for one (配偶 → spouse), NFKC and trimmed."""
    s = _present(s)
    errors: Errors = {}
    keys = [*col.values, *(w for w, _ in col.words)]
    canonical = pa.array([*col.values, *(c for _, c in col.words)], pa.string())
    trimmed = pc.utf8_trim_whitespace(pc.utf8_normalize(s, "NFKC"))
    codes = pc.index_in(trimmed, value_set=pa.array(keys, pa.string()))
    out = pc.take(canonical, codes)
    bad = _valid(s) & ~_valid(codes)
    if bad.any():
        _reasons(errors, np.flatnonzero(bad), "not one of " + "/".join(col.values) + ": ", s)
    return out, errors


CHECKERS: dict[str, Callable] = {
    "id_number": check_id_number,
    "credit_code": check_credit_code,
    "plate": _by_value(T.normalize_plate, _PLATE_CANON),
    "phone": _by_value(T.normalize_phone, r"^1[3-9][0-9]{9}$"),
    "name": _text_like(T.normalize_name, _NAME_DOT),
    "person_name": _text_like(T.normalize_person_name, _NAME_DOT),
    "address": _by_value(T.normalize_address, rf"^[^{_WS}\x{{ff00}}-\x{{ffef}}]+$"),
    "text": _text_like(T.normalize_text),
    "code": _by_value(_code, r"^[\x21-\x7e]+$"),
    "account": _by_value(_account, r"^[0-9]{8,30}$"),
    "date": check_date,
    "datetime": check_datetime,
    "month": _by_value(_month, r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
    "amount": check_amount,
    "int": check_int,
    "bool": check_bool,
    "enum": check_enum,
}


@dataclass
class Shares:
    """A percentage column (持股比例(%)) as :func:`percent_shares` reads it."""

    values: pa.Array  #: the percentages (float64, null where none)
    fractions: int = 0  #: values read as fractions of one (0.6 is 60), the column writing none above 1
    refused: dict[int, str] = field(default_factory=dict)  #: row position -> why its value is not read


#: a share's groups are the shares of one company: they add up to this where the file lists every holder
_WHOLE = 100.0


def percent_shares(values: pa.Array, cells: pa.Array, groups: pa.Array | None = None) -> Shares:
    """The values of a percentage column (持股比例(%): 60 is 60 %) read in the form the whole column writes.

    A system that keeps a share as a fraction of one exports 0.6 for 60 %: read as it is, every such share is a
    hundred times too small. As a column's decimal mark is decided (:func:`decimal_marks`), the column as a whole
    says which it writes: a value above 1, or a cell written with its ``%`` (``60%``, ``0.5%``), shows percentages;
    where none does, every value is a fraction of one and is read × 100 (``fractions`` counts them, for the
    load's note). Where a column shows percentages and also holds values of 1 or below (two exports joined: 0.6
    beside 60), such a value reads two ways, 0.6 % or 60 %, and is not guessed (``refused``), except where the
    shares of its company (``groups``, the company of each row) add up to 100 as written, which shows they are
    percentages (a holder of 0.5 % beside one of 99.5 %). 0 is 0 either way.

    >>> s = percent_shares(pa.array([0.6, 0.4, 1.0]), pa.array(["0.6", "0.4", "1"]))
    >>> s.values.to_pylist(), s.fractions
    ([60.0, 40.0, 100.0], 3)
    >>> s = percent_shares(pa.array([60.0, 0.4, 99.5, 0.5]), pa.array(["60", "0.4", "99.5", "0.5"]),
    ...                    pa.array(["A", "A", "B", "B"]))
    >>> s.values.to_pylist(), sorted(s.refused)
    ([60.0, None, 99.5, 0.5], [1])
    """
    v = pc.fill_null(pc.cast(values, pa.float64()), float("nan")).to_numpy(zero_copy_only=False).copy()
    low = np.isfinite(v) & (v > 0) & (v <= 1)
    if not low.any():
        return Shares(values)
    text = pc.utf8_normalize(pc.fill_null(_strings(cells), ""), "NFKC")
    signed = _np(pc.match_substring(text, "%"))
    shows = (np.isfinite(v) & (v > 1)) | signed  # a value above 1, or one written with its %
    low &= ~signed  # 0.5% is half of one per cent as written
    if not shows.any():
        v[low] = np.round(v[low] * 100, 10)  # 0.6 → 60, no binary noise (60.00000000000001)
        return Shares(pa.array(v, pa.float64(), mask=~np.isfinite(v)), fractions=int(low.sum()))
    keep = np.zeros(len(v), dtype=bool)
    if groups is not None:  # a company whose shares add up to 100 as written writes percentages, 0.5 among them
        g = pd.Series(np.where(np.isfinite(v), v, 0.0)).groupby(
            pd.Series(pc.cast(groups, pa.string()).to_pylist()), dropna=True
        )
        total = g.transform("sum").to_numpy()
        keep = np.abs(total - _WHOLE) <= 0.5
    refused_at = np.flatnonzero(low & ~keep)
    written = text.to_pylist()
    ex = written[int(np.flatnonzero(shows)[0])].strip()
    refused = {
        int(p): (
            f"{written[p].strip()} reads two ways in a column that also writes percentages above 1 (such as {ex}): "
            f"{v[p]:g} % or, as a fraction of one, {v[p] * 100:g} %; not guessed"
        )
        for p in refused_at
    }
    v[refused_at] = np.nan
    return Shares(pa.array(v, pa.float64(), mask=~np.isfinite(v)), refused=refused)


def check_column(s: pa.Array | pa.ChunkedArray | pd.Series, col) -> Checked:
    """Normalise and validate one column according to its contract ``col``.

    Returns the values (Arrow, typed as :data:`ARROW_TYPES` says; null where a value is
    missing or bad) and ``{row position: reason}`` for every refused value.

    Example
    -------
    >>> from loaders.contracts import Column
    >>> values, errors = check_column(pa.array(["11010519491231002x", "110105194912310021", ""]),
    ...                               Column("id", None, "id_number", required=True))
    >>> values.to_pylist(), errors[2]
    (['11010519491231002X', None, None], 'required value is missing')
    """
    s = _strings(s)
    values, errors = CHECKERS[col.type](s, col)
    if col.required:
        missing = ~_valid(values)
        for p in np.flatnonzero(missing).tolist():
            errors.setdefault(p, "required value is missing")
    return values, errors
