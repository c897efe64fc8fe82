"""Chinese statutory holidays and working days (国务院办公厅放假安排), 2023-2025.

``HOLIDAYS`` holds every day off of a statutory holiday period (the whole
放假调休 block, including the weekend days inside it); ``MAKEUP_WORKDAYS``
the weekend days worked instead (调休上班).  A day is a working day when it is
a weekday that is not a holiday, or a make-up working day.

Example
-------
>>> from datetime import date
>>> date(2024, 10, 3) in HOLIDAYS
True
>>> HOLIDAY_NAMES[date(2023, 1, 22)]
'春节'
>>> is_working_day(date(2023, 1, 28))   # Saturday worked before 春节 ended
True
>>> is_working_day(date(2023, 3, 4))    # an ordinary Saturday
False
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

__all__ = [
    "HOLIDAYS",
    "HOLIDAY_NAMES",
    "MAKEUP_WORKDAYS",
    "day_number",
    "from_day_number",
    "holiday_days",
    "is_holiday",
    "is_working_day",
    "non_working_days",
    "working_days",
]


def _span(name: str, first: str, last: str) -> dict[date, str]:
    d0, d1 = date.fromisoformat(first), date.fromisoformat(last)
    return {d0 + timedelta(days=i): name for i in range((d1 - d0).days + 1)}


_PERIODS = [
    # 2023 (国办发明电〔2022〕16号)
    ("元旦", "2022-12-31", "2023-01-02"),
    ("春节", "2023-01-21", "2023-01-27"),
    ("清明", "2023-04-05", "2023-04-05"),
    ("劳动节", "2023-04-29", "2023-05-03"),
    ("端午", "2023-06-22", "2023-06-24"),
    ("中秋", "2023-09-29", "2023-09-29"),
    ("国庆", "2023-09-30", "2023-10-06"),
    # 2024 (国办发明电〔2023〕7号)
    ("元旦", "2023-12-30", "2024-01-01"),
    ("春节", "2024-02-10", "2024-02-17"),
    ("清明", "2024-04-04", "2024-04-06"),
    ("劳动节", "2024-05-01", "2024-05-05"),
    ("端午", "2024-06-08", "2024-06-10"),
    ("中秋", "2024-09-15", "2024-09-17"),
    ("国庆", "2024-10-01", "2024-10-07"),
    # 2025 (国办发明电〔2024〕12号)
    ("元旦", "2025-01-01", "2025-01-01"),
    ("春节", "2025-01-28", "2025-02-04"),
    ("清明", "2025-04-04", "2025-04-06"),
    ("劳动节", "2025-05-01", "2025-05-05"),
    ("端午", "2025-05-31", "2025-06-02"),
    ("国庆", "2025-10-01", "2025-10-08"),
]

#: date -> holiday name (元旦 春节 清明 劳动节 端午 中秋 国庆)
HOLIDAY_NAMES: dict[date, str] = {}
for _name, _a, _b in _PERIODS:
    HOLIDAY_NAMES.update(_span(_name, _a, _b))

#: every statutory day off (the whole 放假 block)
HOLIDAYS: frozenset[date] = frozenset(HOLIDAY_NAMES)

#: weekend days that are working days (调休上班)
MAKEUP_WORKDAYS: frozenset[date] = frozenset(
    date.fromisoformat(s)
    for s in [
        "2023-01-28",
        "2023-01-29",
        "2023-04-23",
        "2023-05-06",
        "2023-06-25",
        "2023-10-07",
        "2023-10-08",
        "2024-02-04",
        "2024-02-18",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    ]
)

_EPOCH = date(1970, 1, 1)


def is_holiday(d: date) -> bool:
    """True on a statutory holiday day off."""
    return d in HOLIDAYS


def is_working_day(d: date) -> bool:
    """True on a weekday that is not a holiday, or on a make-up working day."""
    if d in MAKEUP_WORKDAYS:
        return True
    return d.weekday() < 5 and d not in HOLIDAYS


def day_number(d: date) -> int:
    """Days since 1970-01-01 (numpy ``datetime64[D]`` / Arrow ``date32`` integer)."""
    return (d - _EPOCH).days


def from_day_number(n: int) -> date:
    """The date ``n`` days after the calendar epoch (the inverse of the day numbers the city uses)."""
    return _EPOCH + timedelta(days=int(n))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def working_days(first: date, last: date) -> np.ndarray:
    """Day numbers (int32) of the working days in [first, last]."""
    return np.array([day_number(d) for d in _days(first, last) if is_working_day(d)], dtype=np.int32)


def non_working_days(first: date, last: date) -> np.ndarray:
    """Day numbers of weekends and holidays (not make-up working days) in [first, last]."""
    return np.array([day_number(d) for d in _days(first, last) if not is_working_day(d)], dtype=np.int32)


def holiday_days(first: date, last: date) -> np.ndarray:
    """Day numbers of statutory holidays in [first, last]."""
    return np.array([day_number(d) for d in _days(first, last) if d in HOLIDAYS], dtype=np.int32)
