"""Vectorised builders for identifiers and strings (numpy → Arrow).

Check characters use the weights of :mod:`graphkit.model.types`; the scalar
functions there (``id_number_check``, ``credit_code_check``) stay the
reference and :func:`self_check` compares both on a sample of every run.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model import types as T

__all__ = [
    "CREDIT_ALPHABET_IDX",
    "PLATE_CHARS",
    "ascii_strings",
    "credit_codes",
    "digits",
    "hex_of",
    "hex_strings",
    "id_numbers",
    "int_str",
    "join",
    "self_check",
    "unique_ints",
    "vocab_take",
]

_ID_W = np.array(T._ID_WEIGHTS, dtype=np.int64)
_ID_C = np.frombuffer(T._ID_CHECK.encode(), dtype=np.uint8)
_CR_W = np.array(T._CREDIT_WEIGHTS, dtype=np.int64)
_CR_A = np.frombuffer(T.CREDIT_ALPHABET.encode(), dtype=np.uint8)
#: character → index in the credit-code alphabet
CREDIT_ALPHABET_IDX = {c: i for i, c in enumerate(T.CREDIT_ALPHABET)}
#: characters allowed after the plate letter (no I, no O)
PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def ascii_strings(codes: np.ndarray) -> pa.Array:
    """(n, k) uint8 ASCII codes → Arrow string array of n k-character strings."""
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    n, k = codes.shape
    if n == 0:
        return pa.array([], pa.string())
    arr = pa.array(codes.view(f"S{k}").ravel())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.string())


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative ints → (n, width) digit array (most significant first)."""
    v = np.asarray(values, dtype=np.int64).copy()
    out = np.empty((len(v), width), dtype=np.uint8)
    for j in range(width - 1, -1, -1):
        out[:, j] = v % 10
        v //= 10
    return out


def int_str(values: np.ndarray, width: int = 0) -> pa.Array:
    """Ints → decimal strings, zero-padded to ``width`` when given."""
    if width:
        return ascii_strings(digits(values, width) + 48)
    return pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string())


def id_numbers(region: np.ndarray, ymd: np.ndarray, seq: np.ndarray, *, bad_check: bool = False) -> pa.Array:
    """18-character ID numbers from region code (6 digits), birth date YYYYMMDD and sequence (3 digits)."""
    prefix = np.asarray(region, np.int64) * 10**11 + np.asarray(ymd, np.int64) * 1000 + np.asarray(seq, np.int64)
    d = digits(prefix, 17)
    chk = (d.astype(np.int64) @ _ID_W) % 11
    if bad_check:
        chk = (chk + 1 + (prefix % 10)) % 11
    out = np.empty((len(prefix), 18), dtype=np.uint8)
    out[:, :17] = d + 48
    out[:, 17] = _ID_C[chk]
    return ascii_strings(out)


def credit_codes(head: np.ndarray, region: np.ndarray, body: np.ndarray, *, bad_check: bool = False) -> pa.Array:
    """Unified social credit codes.

    head: (n, 2) alphabet indices (e.g. "91" → [9, 1]); region: 6-digit ints;
    body: (n, 9) alphabet indices of the organisation code part.
    """
    n = len(region)
    idx = np.empty((n, 17), dtype=np.int64)
    idx[:, :2] = head
    idx[:, 2:8] = digits(region, 6)
    idx[:, 8:] = body
    chk = (31 - (idx @ _CR_W) % 31) % 31
    if bad_check:
        chk = (chk + 1 + idx[:, 16] % 7) % 31
    out = np.empty((n, 18), dtype=np.uint8)
    out[:, :17] = _CR_A[idx]
    out[:, 17] = _CR_A[chk]
    return ascii_strings(out)


def unique_ints(
    rng: np.random.Generator, n: int, low: int, high: int, *, exclude: np.ndarray | None = None
) -> np.ndarray:
    """n distinct random ints in [low, high), in random order, none in ``exclude``."""
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    if high - low < n * 2:
        raise ValueError(f"range [{low}, {high}) too small for {n} distinct values")
    got = np.zeros(0, dtype=np.int64)
    while len(got) < n:
        extra = rng.integers(low, high, size=int((n - len(got)) * 1.05) + 16, dtype=np.int64)
        got = np.concatenate([got, extra])
        _, first = np.unique(got, return_index=True)
        keep = np.zeros(len(got), dtype=bool)
        keep[first] = True
        if exclude is not None and len(exclude):
            keep &= ~np.isin(got, exclude)
        got = got[keep]
    return got[:n]


def hex_strings(rng: np.random.Generator, n: int, nbytes: int, *, upper: bool = False, sep: str = "") -> pa.Array:
    """Random hexadecimal strings of ``nbytes`` bytes (optionally ``sep`` between bytes)."""
    raw = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8)
    return hex_of(raw, upper=upper, sep=sep)


def hex_of(raw: np.ndarray, *, upper: bool = False, sep: str = "") -> pa.Array:
    table = np.frombuffer((b"0123456789ABCDEF" if upper else b"0123456789abcdef"), dtype=np.uint8)
    n, nb = raw.shape
    step = 2 + len(sep)
    width = nb * step - len(sep)
    out = np.empty((n, width), dtype=np.uint8)
    for j in range(nb):
        out[:, j * step] = table[raw[:, j] >> 4]
        out[:, j * step + 1] = table[raw[:, j] & 15]
        if sep and j < nb - 1:
            out[:, j * step + 2] = ord(sep)
    return ascii_strings(out)


def join(*parts, null_handling: str = "emit_null") -> pa.Array:
    """Element-wise concatenation of string arrays / scalars."""
    return pc.binary_join_element_wise(*parts, "", null_handling=null_handling)


def vocab_take(vocab, idx: np.ndarray) -> pa.Array:
    """Strings picked from a vocabulary by index (negative index → null)."""
    idx = np.asarray(idx)
    if isinstance(vocab, pa.ChunkedArray):
        vocab = vocab.combine_chunks()
    arr = vocab if isinstance(vocab, pa.Array) else pa.array(list(vocab), pa.string())
    mask = idx < 0
    if mask.any():
        return arr.take(pa.array(np.where(mask, 0, idx), mask=mask))
    return arr.take(pa.array(idx))


def self_check(ids: pa.Array, codes: pa.Array, k: int = 500) -> None:
    """Compare vectorised check characters with the scalar reference functions."""
    for arr, check in ((ids, T.id_number_check), (codes, T.credit_code_check)):
        step = max(1, len(arr) // k)
        for s in (
            arr.to_pylist()[::step]
            if len(arr) <= 5 * k
            else arr.take(pa.array(np.arange(0, len(arr), step))).to_pylist()
        ):
            if s is not None and check(s[:17]) != s[17]:
                raise AssertionError(f"vectorised check character disagrees with {check.__name__} for {s}")
