"""The in-memory synthetic city: column tables of integers, built with numpy.

Every table is a :class:`Tab` of equal-length numpy columns.  References are
row indices into the master tables (``persons``, ``units``, ``companies``,
``vehicles``, ...); dates are day numbers (int32), datetimes are seconds since
1970 (int64), enums are small-int codes.  Missing values use sentinels
(:data:`NA32`, :data:`NA64`, ``-1`` for small codes, ``NaN`` for floats).  Strings
are produced only when the city is written (:mod:`graphkit.synth.output`).

Each row carries ``_flag``: 0 background, 1 planted scheme, 2 decoy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from graphkit.model import calendar as cal

__all__ = ["BACKGROUND", "D0", "D1", "DECOY", "NA32", "NA64", "PLANTED", "REF", "City", "Tab"]

NA32 = np.int32(np.iinfo(np.int32).min)
NA64 = np.int64(np.iinfo(np.int64).min)
BACKGROUND, PLANTED, DECOY = 0, 1, 2

#: the observation window of activity tables
D0 = cal.day_number(date(2023, 1, 1))
D1 = cal.day_number(date(2024, 12, 31))
#: reference day for ages
REF = D1
YEAR = 365.25


def _default(dtype: np.dtype):
    if dtype.kind == "f":
        return np.nan
    if dtype.kind == "b":
        return False
    if dtype.kind in "iu":
        if dtype.itemsize <= 2:
            return -1
        return np.iinfo(dtype).min
    return None


_MISSING = object()


class Tab:
    """A column table with amortised appends (capacity doubling).

    ``tab[name]`` is a writable view of the current rows; take a fresh view
    after appending, an old one may point at the previous buffer.

    >>> t = Tab(a=np.array([1, 2], np.int32), b=np.array([0.5, 1.5]))
    >>> rows = t.add(a=[7, 8, 9])
    >>> rows.tolist(), len(t), t["b"][2:].tolist()
    ([2, 3, 4], 5, [nan, nan, nan])
    """

    def __init__(self, **cols):
        if "_flag" not in cols:
            n = len(next(iter(cols.values()))) if cols else 0
            cols["_flag"] = np.zeros(n, dtype=np.int8)
        self._buf: dict[str, np.ndarray] = {k: np.asarray(v) for k, v in cols.items()}
        lens = {len(v) for v in self._buf.values()}
        if len(lens) > 1:
            raise ValueError(f"columns of unequal length: { {k: len(v) for k, v in self._buf.items()} }")
        self._n = lens.pop() if lens else 0

    def __len__(self) -> int:
        return self._n

    @property
    def columns(self) -> list[str]:
        return list(self._buf)

    def __getitem__(self, name: str) -> np.ndarray:
        return self._buf[name][: self._n]

    def __setitem__(self, name: str, values) -> None:
        values = np.asarray(values)
        if len(values) != self._n:
            raise ValueError(f"column {name} has {len(values)} values for {self._n} rows")
        self._buf[name] = values

    def truncate(self, n: int) -> None:
        """Forget rows from ``n`` on."""
        self._n = min(self._n, n)

    def _reserve(self, m: int) -> None:
        need = self._n + m
        for k, buf in self._buf.items():
            if len(buf) < need:
                cap = max(need, len(buf) + max(len(buf) // 8, 64))
                nb = np.empty(cap, dtype=buf.dtype)
                nb[: self._n] = buf[: self._n]
                self._buf[k] = nb

    def add(self, flag: int = BACKGROUND, **vals) -> np.ndarray:
        """Append rows; scalars broadcast; missing columns get their null value.  Returns the new row indices."""
        m = 1
        for v in vals.values():
            if isinstance(v, (list, tuple, np.ndarray)) and np.ndim(v) > 0:
                m = len(v)
                break
        if m == 0:
            return np.zeros(0, dtype=np.int64)
        bufs = self._buf
        for k in vals:
            if k not in bufs:
                raise KeyError(f"unknown column {k!r}")
        if "_flag" not in vals:
            vals["_flag"] = flag
        a = self._n
        b = a + m
        if len(bufs["_flag"]) < b:
            self._reserve(m)
            bufs = self._buf
        for k, buf in bufs.items():
            v = vals.get(k, _MISSING)
            if v is _MISSING:
                buf[a:b] = _default(buf.dtype)
            elif buf.dtype.kind == "O" and isinstance(v, (list, tuple, np.ndarray)):
                buf[a:b] = list(v)
            else:
                buf[a:b] = v
        self._n = b
        return np.arange(a, b)

    def take(self, idx: np.ndarray) -> dict[str, np.ndarray]:
        return {k: self[k][idx] for k in self._buf}


@dataclass
class Truth:
    """Planted instances and decoys, with entities as (kind, index) references."""

    instances: list[dict] = field(default_factory=list)
    decoys: list[dict] = field(default_factory=list)

    def add(
        self, scheme: str, entities: list[tuple[str, object]], detail: dict | None = None, *, decoy: bool = False
    ) -> None:
        (self.decoys if decoy else self.instances).append(
            {"scheme": scheme, "entities": list(entities), "detail": dict(detail or {})}
        )


@dataclass
class City:
    """Everything generated: master tables, source tables, truth."""

    scale: int
    seed: int
    rng: np.random.Generator
    rate: float = 5.0  # instances of each scheme per 10,000 persons (graphkit.synth.plant.RATE)
    t: dict[str, Tab] = field(default_factory=dict)  # all tables by name
    truth: Truth = field(default_factory=Truth)
    extra: dict = field(default_factory=dict)  # lookups shared between steps

    def __getattr__(self, name: str) -> Tab:
        t = self.__dict__.get("t")
        if t is not None and name in t:
            return t[name]
        raise AttributeError(name)

    # -- shared helpers -------------------------------------------------
    @property
    def density(self) -> float:
        """Persons per unit relative to 200, clipped to [0.3, 1]: small cities have a floor of units,
        so per-unit activity (fleets, receptions, labour) is thinned there."""
        return float(np.clip(self.scale / (200.0 * len(self.units)), 0.3, 1.0))

    def age_years(self, person_idx) -> np.ndarray:
        return (REF - self.persons["birth"][person_idx]) / YEAR

    @property
    def working(self) -> np.ndarray:
        if "working" not in self.extra:
            self.extra["working"] = cal.working_days(cal.from_day_number(D0), cal.from_day_number(D1))
        return self.extra["working"]

    @property
    def holidays(self) -> np.ndarray:
        if "holidays" not in self.extra:
            self.extra["holidays"] = cal.holiday_days(cal.from_day_number(D0), cal.from_day_number(D1))
        return self.extra["holidays"]

    @property
    def nonworking(self) -> np.ndarray:
        if "nonworking" not in self.extra:
            self.extra["nonworking"] = cal.non_working_days(cal.from_day_number(D0), cal.from_day_number(D1))
        return self.extra["nonworking"]


def ymd(days: np.ndarray) -> np.ndarray:
    """Day numbers → YYYYMMDD ints."""
    dt = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    y = dt.astype("datetime64[Y]").astype(np.int64) + 1970
    m = dt.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (dt - dt.astype("datetime64[M]")).astype(np.int64) + 1
    return y * 10000 + m * 100 + d


def month_index(days: np.ndarray) -> np.ndarray:
    """Day numbers → months since 1970-01 (int)."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(months: np.ndarray) -> np.ndarray:
    """Months since 1970-01 → day number of the first day."""
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def day_of(d: str) -> int:
    return cal.day_number(date.fromisoformat(d))


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday (1970-01-01 was a Thursday)."""
    return (np.asarray(days, dtype=np.int64) + 3) % 7
