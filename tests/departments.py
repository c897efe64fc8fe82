"""The synthetic city written the way departments write it: the same facts, other forms.

:func:`rewrite_city` copies a city folder (any seed, any scale) and rewrites, by each file's contract:

- date-times as ``2023年7月5日 08:30:00``, ``20230705 08:30:00`` or in full-width digits
  (``２０２３－０７－０５　０８：３０：００``), in turn;
- dates as ``2023年7月5日``, ``20230705`` or ``2023/07/05``, in turn;
- amounts as ``￥1,200.50`` (full-width yen sign U+FFE5, thousands separators), in full-width digits
  (``１２００．５０``) or as ``1200.50元``, in turn;
- headers with full-width brackets (``合同金额（元）``), and every other file with a title above its header, as
  Chinese Excel exports them (a merged title cell and ``单位：元``).

Values that are not in the canonical form (the city's planted dirty values) are left as they are, so the
rewritten city must load with no more quarantined rows than the original and give the same warnings.

    python tests/departments.py CITY OUT
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_FULL = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ".": "．", ",": "，", "-": "－", ":": "："})
_DT = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
_D = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_AMOUNT = re.compile(r"^(\d+)(\.\d+)?$")


def _datetime(v: str, i: int) -> str:
    m = _DT.match(v)
    if not m:
        return v
    y, mo, d, hh, mi, ss = m.groups()
    form = i % 3
    if form == 0:
        return f"{int(y)}年{int(mo)}月{int(d)}日 {hh}:{mi}:{ss}"
    if form == 1:
        return f"{y}{mo}{d} {hh}:{mi}:{ss}"
    return v.translate(_FULL).replace(" ", "\u3000")


def _date(v: str, i: int) -> str:
    m = _D.match(v)
    if not m:
        return v
    y, mo, d = m.groups()
    return (f"{int(y)}年{int(mo)}月{int(d)}日", f"{y}{mo}{d}", f"{y}/{mo}/{d}")[i % 3]


def _amount(v: str, i: int) -> str:
    m = _AMOUNT.match(v)
    if not m:
        return v
    whole, frac = m.group(1), m.group(2) or ""
    form = i % 3
    if form == 0:
        return f"￥{int(whole):,}{frac}"
    if form == 1:
        return (whole + frac).translate(_FULL)
    return f"{whole}{frac}元"


_REWRITE = {"datetime": _datetime, "date": _date, "amount": _amount}


def rewrite_city(city: str | Path, out: str | Path) -> dict[str, int]:
    """Copy ``city`` to ``out`` with dates, date-times and amounts in the departments' forms.

    Returns the number of values rewritten per file (headers and title lines not counted)."""
    from loaders.engine import find_sources

    city, out = Path(city), Path(out)
    shutil.copytree(city, out, dirs_exist_ok=True)
    matched, _ = find_sources(city)
    changed: dict[str, int] = {}
    for k, (path, src) in enumerate(matched):
        if path.suffix != ".csv":
            continue
        aliases = src.header_aliases()
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        header = rows[0]
        fns = {j: _REWRITE.get(src.columns[aliases[h]].type) for j, h in enumerate(header) if h in aliases}
        fns = {j: f for j, f in fns.items() if f is not None}
        n = 0
        for i, row in enumerate(rows[1:]):
            for j, fn in fns.items():
                if j < len(row) and row[j]:
                    new = fn(row[j], i + j)
                    n += new != row[j]
                    row[j] = new
        rows[0] = [h.replace("(", "（").replace(")", "）") for h in header]
        width = len(header)
        title = [[f"{src.title} 明细表"] + [""] * (width - 1), ["单位：元"] + [""] * (width - 1)] if k % 2 else []
        with (out / path.name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([*title, *rows])
        changed[path.name] = n
    return changed


if __name__ == "__main__":
    print(rewrite_city(sys.argv[1], sys.argv[2]))
