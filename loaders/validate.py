"""Vectorised validation and normalisation of source columns.

Each checker takes a column of raw strings (nulls for empty cells) and
returns ``(values, errors)``: the normalised values (typed for dates,
numbers, booleans) and a Series holding a reason where a value is bad, null
where it is fine.  Row-wise Python only runs on the values the fast path
cannot settle (non-ASCII, odd separators), so a million rows take seconds.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pandas as pd

from graphkit.model import types as T

__all__ = ["check_column", "CHECKERS"]

_ID_W = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_C = np.frombuffer(b"10X98765432", dtype=np.uint8)
_CC_ALPHA = T.CREDIT_ALPHABET
_CC_W = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
_CC_LUT = np.full(256, -1, dtype=np.int64)
for _i, _ch in enumerate(_CC_ALPHA):
    _CC_LUT[ord(_ch)] = _i
_NEEDS_FOLD = r"[^\x21-\x7e]|\s"          # anything but plain printable ASCII without spaces

Checked = tuple[pd.Series, pd.Series]


def _empty_errors(s: pd.Series) -> pd.Series:
    return pd.Series(None, index=s.index, dtype=object)


def _blank_to_null(s: pd.Series) -> pd.Series:
    s = s.astype(object)
    return s.where(s.notna() & (s.astype(str).str.strip() != ""), None)


def _slow(s: pd.Series, fn: Callable[[object], object], errors: pd.Series, mask: pd.Series) -> pd.Series:
    """Apply a per-value normaliser to the masked rows, once per distinct value."""
    if not mask.any():
        return s
    sub = s[mask]
    results: dict = {}
    for v in pd.unique(sub):
        try:
            results[v] = (fn(v), None)
        except ValueError as exc:
            results[v] = (None, str(exc))
    out = s.astype(object).copy()
    mapped = sub.map({v: r[0] for v, r in results.items()}).astype(object)
    out[mask] = mapped.where(mapped.notna(), None)
    errs = sub.map({v: r[1] for v, r in results.items() if r[1] is not None})
    bad = errs.notna()
    errors[bad[bad].index] = errs[bad]
    return out


def _fixed_width_digits(s: pd.Series, width: int) -> np.ndarray:
    return np.frombuffer("".join(s.tolist()).encode("ascii"), dtype=np.uint8).reshape(-1, width)


def _check_digit_column(s: pd.Series, pattern: str, valid: Callable[[np.ndarray], np.ndarray],
                        scalar: Callable[[object], object]) -> Checked:
    """Fast path: 18-character ASCII values checked with numpy; the rest (and the
    failures, for an exact reason) through the scalar normaliser."""
    s = _blank_to_null(s)
    errors = _empty_errors(s)
    present = s.notna()
    txt = s[present].astype(str)
    fast = txt.str.fullmatch(pattern)
    ok_idx = txt.index[fast]
    rest = present.copy()
    if len(ok_idx):
        good = valid(_fixed_width_digits(txt[fast], 18))
        rest[ok_idx[good]] = False
    return _slow(s, scalar, errors, rest), errors


def _id_digits_ok(arr: np.ndarray) -> np.ndarray:
    total = ((arr[:, :17] - 48).astype(np.int64) * _ID_W).sum(axis=1)
    good = _ID_C[total % 11] == arr[:, 17]
    born = np.ascontiguousarray(arr[:, 6:14]).view("S8").ravel().astype(str)
    return good & pd.to_datetime(born, format="%Y%m%d", errors="coerce").notna()


def _credit_ok(arr: np.ndarray) -> np.ndarray:
    vals = _CC_LUT[arr]
    total = (vals[:, :17] * _CC_W).sum(axis=1)
    return (31 - total % 31) % 31 == vals[:, 17]


def check_id_number(s: pd.Series, col) -> Checked:
    return _check_digit_column(s, r"[0-9]{17}[0-9X]", _id_digits_ok, T.normalize_id_number)


def check_credit_code(s: pd.Series, col) -> Checked:
    return _check_digit_column(s, r"[0-9A-HJ-NP-RTUW-Y]{18}", _credit_ok, T.normalize_credit_code)


def _by_value(fn: Callable[[object], object], fast_pattern: str | None = None):
    def check(s: pd.Series, col) -> Checked:
        s = _blank_to_null(s)
        errors = _empty_errors(s)
        present = s.notna()
        if fast_pattern is not None:
            needs = present & ~s.astype(str).str.fullmatch(fast_pattern).fillna(False).astype(bool)
        else:
            needs = present
        out = _slow(s, fn, errors, needs)
        return out, errors
    return check


def _text_like(fn: Callable[[object], object]):
    """Plain printable ASCII/CJK without spaces or full-width forms passes as is."""
    def check(s: pd.Series, col) -> Checked:
        s = _blank_to_null(s)
        errors = _empty_errors(s)
        present = s.notna()
        needs = present & s.astype(str).str.contains(r"[\s\uff00-\uffef\u3000]|^\s|\s$", regex=True).fillna(False)
        return _slow(s, fn, errors, needs.astype(bool)), errors
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
        raise ValueError(f"account {v!r} is not 8-30 digits")
    return t


def _parse_dates(s: pd.Series, fmt: str, alt: tuple[str, ...], what: str) -> Checked:
    s = _blank_to_null(s)
    errors = _empty_errors(s)
    present = s.notna()
    txt = s.astype(str).str.strip()
    out = pd.to_datetime(txt.where(present), format=fmt, errors="coerce")
    for f in alt:
        miss = present & out.isna()
        if not miss.any():
            break
        out[miss] = pd.to_datetime(txt[miss].map(T.normalize_text), format=f, errors="coerce")
    bad = present & out.isna()
    errors[bad] = "not a " + what + " (" + s[bad].astype(str) + "); expected " + fmt.replace("%", "")
    sane = out.notna() & ((out.dt.year < 1900) | (out.dt.year > 2100))
    errors[sane] = "date out of range 1900-2100"
    out[sane] = pd.NaT
    return out, errors


def check_date(s: pd.Series, col) -> Checked:
    out, errors = _parse_dates(s, "%Y-%m-%d", ("%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日",
                                               "%Y-%m-%d %H:%M:%S"), "date")
    return out.dt.normalize(), errors


def check_datetime(s: pd.Series, col) -> Checked:
    return _parse_dates(s, "%Y-%m-%d %H:%M:%S", ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M",
                                                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"), "date-time")


def check_amount(s: pd.Series, col) -> Checked:
    s = _blank_to_null(s)
    errors = _empty_errors(s)
    present = s.notna()
    txt = s.astype(str).str.replace(",", "", regex=False).str.replace("¥", "", regex=False).str.strip()
    out = pd.to_numeric(txt.where(present), errors="coerce").astype(float)
    bad = present & out.isna()
    errors[bad] = "not a number: " + s[bad].astype(str)
    neg = out < 0
    errors[neg] = "negative amount " + out[neg].astype(str)
    if col is not None and col.max is not None:
        big = out > col.max
        errors[big] = f"above the maximum {col.max}: " + out[big].astype(str)
    out[errors.notna()] = np.nan
    return out, errors


def check_int(s: pd.Series, col) -> Checked:
    out, errors = check_amount(s, None)
    frac = out.notna() & (out != out.round())
    errors[frac] = "not a whole number: " + out[frac].astype(str)
    out[frac] = np.nan
    return out.astype("Int64"), errors


_TRUE = {"1", "true", "t", "yes", "y", "是", "√"}
_FALSE = {"0", "false", "f", "no", "n", "否", "×"}


def check_bool(s: pd.Series, col) -> Checked:
    s = _blank_to_null(s)
    errors = _empty_errors(s)
    low = s.astype(str).str.strip().str.lower()
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[low.isin(_TRUE)] = True
    out[low.isin(_FALSE)] = False
    bad = s.notna() & out.isna()
    errors[bad] = "not a yes/no value: " + s[bad].astype(str)
    return out, errors


def check_enum(s: pd.Series, col) -> Checked:
    s = _blank_to_null(s)
    errors = _empty_errors(s)
    out = s.astype(str).str.strip().where(s.notna(), None)
    bad = s.notna() & ~out.isin(col.values)
    errors[bad] = "not one of " + "/".join(col.values) + ": " + s[bad].astype(str)
    out[bad] = None
    return out, errors


CHECKERS: dict[str, Callable] = {
    "id_number": check_id_number,
    "credit_code": check_credit_code,
    "plate": _by_value(T.normalize_plate),
    "phone": _by_value(T.normalize_phone, r"1[3-9][0-9]{9}"),
    "name": _text_like(T.normalize_name),
    "address": _by_value(T.normalize_address, r"[^\s\uff00-\uffef\u3000]+"),
    "text": _text_like(T.normalize_text),
    "code": _by_value(_code, r"[\x21-\x7e]+"),
    "account": _by_value(_account, r"[0-9]{8,30}"),
    "date": check_date,
    "datetime": check_datetime,
    "amount": check_amount,
    "int": check_int,
    "bool": check_bool,
    "enum": check_enum,
}


def check_column(s: pd.Series, col) -> Checked:
    """Normalise and validate one column according to its contract ``col``."""
    values, errors = CHECKERS[col.type](s, col)
    if col.required:
        missing = values.isna() & errors.isna()
        errors[missing] = "required value is missing"
    return values, errors
