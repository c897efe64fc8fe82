"""Read bid tables (one row per bid) in the column format of the shared labelled markets.

Required columns: ``Tender`` (tender id) and ``Bid_value``. Used when present: ``Competitors`` (bidder
id), ``Date``, ``Winner`` (1 = winning bid), ``Pre-Tender Estimate (PTE)``, ``Number_bids``, ``market``
and, for training, the tender-level label ``Collusive_competitor``. One more column may be named as
the tender's *segment* (``segment="Contract_type"``: the kind of contract or work, a category the
scorer keeps a record of, see :class:`~graphkit.collusion.scorer.CollusionScorer`). Every other column
is ignored. Chinese headers that departments use are accepted as well (:data:`ALIASES`).

A row whose tender is missing or whose bid is not a positive number is *quarantined*: reported with
its file, spreadsheet row number (header = row 1), column, value and reason, and left out; the rest
are used. Per file, rows read = rows used + rows quarantined. A bad value in an optional column
(``Winner`` of 7, a PTE of "n/a") does not drop the bid: the value is treated as missing and counted
in :attr:`BidTable.warnings`, each such value with its line in the report's ``dropped``
(:class:`loaders.report.Dropped`). How a column is read is decided for the whole column, never value by value:
the decimal mark of the amounts (``123.456`` beside ``98.765,00`` is 123456: :func:`_num`) and the order of
a date's day and month (``08/05/2003`` beside ``17/04/2003`` is 8 May: :func:`_day_month_seconds`); where
nothing in the column tells, the reading taken is said in :attr:`LoadReport.warnings
<loaders.report.LoadReport>`.

The frame returned has one row per usable bid with the columns ``market, tender, key, bid`` and,
where the source has them, ``bidder, date, winner, pte, number_bids, label, segment``, plus provenance
``src_file, src_row``. ``key`` identifies a tender across files (``market`` + ``tender``).

Example
-------
>>> import pandas as pd
>>> t = frame_to_bids(pd.DataFrame({"Tender": ["1", "1", ""], "Bid_value": ["10", "x", "12"]}), file="demo.csv")
>>> len(t.bids), [(q.row, q.column) for q in t.report.quarantine]
(1, [(3, 'Bid_value'), (4, 'Tender')])
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from graphkit.model import provenance
from graphkit.model.types import normalize_name
from loaders.contracts import HEADER_UNITS, OWN_UNIT, scale_decimals, split_header, unit_factor
from loaders.read import RawTable, layout_rows, one_parse, scientific_identifiers, sheet_parts, title_unit
from loaders.read import read_table as read_any
from loaders.report import Dropped, FileReport, LoadError, LoadReport, Quarantined
from loaders.validate import (
    EXCEL_ERRORS,
    check_bool,
    check_datetime,
    decimal_marks,
    excel_scientific,
    number_text,
    number_text_clean,
)

__all__ = [
    "COLUMNS",
    "ALIASES",
    "read_flag",
    "header",
    "one_column_each",
    "summary_rows",
    "LABEL",
    "BidTable",
    "read_bids",
    "repeated_bids",
    "read_raw",
    "read_table",
    "frame_to_bids",
    "tender_labels",
    "LoadError",
]

#: source column -> internal column
COLUMNS: dict[str, str] = {
    "Tender": "tender",
    "Bid_value": "bid",
    "Competitors": "bidder",
    "Date": "date",
    "Winner": "winner",
    "Pre-Tender Estimate (PTE)": "pte",
    "Number_bids": "number_bids",
    "market": "market",
}
REQUIRED = ("Tender", "Bid_value")
LABEL = "Collusive_competitor"
#: Chinese headers accepted for the same columns (招标编号, 投标报价 …)
ALIASES: dict[str, str] = {
    "招标编号": "Tender",
    "项目编号": "Tender",
    "标段编号": "Tender",
    # a government procurement's lot (包号, 采购包): with the project's number beside it the tender is the pair
    "标段号": "Tender",
    "标段": "Tender",
    "包号": "Tender",
    "分包号": "Tender",
    "标包号": "Tender",
    "采购包": "Tender",
    "采购包号": "Tender",
    "包件号": "Tender",
    "投标报价": "Bid_value",
    "报价": "Bid_value",
    "投标金额": "Bid_value",
    "投标价": "Bid_value",
    "投标总价": "Bid_value",
    "报价金额": "Bid_value",
    "响应报价": "Bid_value",
    "最终报价": "Bid_value",  # 竞争性磋商: the offer after the last round, the one compared
    "投标人": "Competitors",
    "投标单位": "Competitors",
    "投标人名称": "Competitors",
    "投标单位名称": "Competitors",
    "投标人代码": "Competitors",
    "投标单位代码": "Competitors",
    "投标人统一社会信用代码": "Competitors",
    "统一社会信用代码": "Competitors",
    "供应商": "Competitors",
    "供应商名称": "Competitors",
    "投标供应商": "Competitors",
    "响应供应商": "Competitors",
    "供应商代码": "Competitors",
    "供应商统一社会信用代码": "Competitors",
    "开标日期": "Date",
    "开标时间": "Date",
    "递交时间": "Date",
    "投标时间": "Date",
    "投标文件递交时间": "Date",
    "日期": "Date",
    "中标": "Winner",
    "是否中标": "Winner",
    "是否成交": "Winner",
    "成交": "Winner",
    "是否中选": "Winner",
    "中标结果": "Winner",
    "成交结果": "Winner",
    "招标控制价": "Pre-Tender Estimate (PTE)",
    "控制价": "Pre-Tender Estimate (PTE)",
    "拦标价": "Pre-Tender Estimate (PTE)",
    "标底": "Pre-Tender Estimate (PTE)",
    "最高限价": "Pre-Tender Estimate (PTE)",
    "预算金额": "Pre-Tender Estimate (PTE)",
    "投标家数": "Number_bids",
    "市场": "market",
    "围标串标": LABEL,
    "是否围标串标": LABEL,
    "是否围标": LABEL,
    "是否串标": LABEL,
    "串通投标": LABEL,
    "是否串通投标": LABEL,
}


def header(c: object) -> str:
    """A source header as the reader names it: an alias (:data:`ALIASES`) also when written with full-width
    characters, spaces or its unit in brackets (投标报价(元), 投标报价（万元）, 控制价 (元)); else as given."""
    h = str(c).strip()
    if h in ALIASES:
        return ALIASES[h]
    return ALIASES.get(split_header(h)[0], h)


#: why a bid (or a PTE) written in Excel's scientific form is not read: 1.23E+06 is what Excel showed of 1,234,567
SCIENTIFIC = (
    "in scientific form ({v}), as Excel shows a number too wide for its column: its other digits were lost (widen "
    "the column in the workbook and save again)"
)
#: why a bid is refused whose tender id Excel turned into ``3.20582E+17``, and how to fix the column
TENDER_ID_DIGITS_LOST = (
    "tender id in scientific notation (its digits were lost in Excel: re-export the column as text from the source "
    "system, or set the column's format to Text in Excel before the ids are typed or pasted)"
)
#: why a bidder cell holding an Excel formula's error is read as no bidder (the bid kept)
NO_BIDDER = "an Excel formula's error (#REF!, #N/A …), not a bidder: the bid is scored without its bidder"
#: the same of a PTE, left out (each value is named with its line in the report's ``dropped``)
SCIENTIFIC_LEFT_OUT = (
    "in Excel's scientific form (1.23E+06 for 1,234,567): its other digits were lost (widen the column in the "
    "workbook and save again)"
)


def scientific_amounts(s: pd.Series) -> pd.Series:
    """Which cells of an amount column hold a number in Excel's scientific form (``1.23E+06``: its other digits
    lost, :func:`loaders.validate.excel_scientific`), which :func:`_num` would read as its rounded figure.

    >>> scientific_amounts(pd.Series(["1.23E+06", "1230000", "", None])).tolist()
    [True, False, False, False]
    """
    t = s.astype("string")
    has = t.str.contains("E", regex=False).fillna(False).to_numpy(dtype=bool)  # few cells: the others are numbers
    out = np.zeros(len(s), dtype=bool)
    if has.any():
        out[has] = [excel_scientific(v) for v in t[has]]
    return pd.Series(out, index=s.index)


def _amount(s: pd.Series, unit: float, notes: list[str] | None = None) -> pd.Series:
    """Amounts (:func:`_num`) in yuan: a plain number counts in the header's ``unit``; a cell that names its own
    unit (12.5万元, 1200元) is read in that unit, the header's notwithstanding; ``notes`` as :func:`_num`'s."""
    v = _num(s, notes)
    if unit == 1.0:
        return v
    own = s.astype("string").str.contains(OWN_UNIT, regex=True).fillna(False).to_numpy(dtype=bool)
    return (v * np.where(own, 1.0, unit)).round(scale_decimals(unit))  # no binary noise (0.013456, not …0001)


_DROPPED = ["market", "tender", "key", "src_file", "src_row", "reason"]


@dataclass
class BidTable:
    """Usable bids of one or more files, the load report (read / used / quarantined) and warnings."""

    bids: pd.DataFrame
    report: LoadReport = field(default_factory=LoadReport)
    warnings: Counter = field(default_factory=Counter)  # (file, column, reason) -> count
    #: quarantined bids whose tender is known: ``market, tender, key, src_file, src_row, reason``
    #: (so a tender that lost bids, or all of them, can say so next to its score)
    dropped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_DROPPED))
    #: what one plain number of each file's bid column is worth in yuan (万元: 10000), to show a bid as the file has it
    units: dict[str, float] = field(default_factory=dict)
    #: markets named after their file (no market column, or an empty cell of it, and no ``market`` given): a name
    #: that says nothing of the bids, so a copy renamed is another market by it alone
    by_file_name: frozenset = frozenset()
    #: the currency or unit each file's amounts are read in, as the file says it (:func:`bid_currency`): ``"元"``
    #: where its header, title or cells name a yuan unit (万元 …, converted to yuan), a code (CHF, EUR …) written
    #: beside its amounts, ``None`` where it says none (the amounts are as in the file)
    currency: dict[str, str | None] = field(default_factory=dict)

    @property
    def markets(self) -> list[str]:
        """The markets of the bids, in order of first appearance."""
        return list(pd.unique(self.bids["market"])) if len(self.bids) else []


#: a number written with thousands points and no decimals, after number_text_clean: 123.456, 1.234.567
_THOUSANDS_POINTS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
#: a number that reads two ways where nothing shows the column's decimal mark: 1.234 (1234, or 1.234)
_POINT_OR_THOUSANDS = re.compile(r"[+-]?\d{1,3}\.\d{3}")


#: a currency written beside an amount, as exports of other countries write it (CHF 1'234.50, 1 234,56 €, $1,234):
#: the bids of one tender are in one currency, and the screens compare them with each other only
_CURRENCY = re.compile(
    r"(?i)^(?:CHF|EUR|USD|JPY|GBP|RMB|CNY|S?Fr\.|[€$£])\s*|\s*(?:CHF|EUR|USD|JPY|GBP|RMB|CNY|€|[$£])$"
)
#: a thousands apostrophe between digits, as Swiss exports write it (1'234'567.50, 1’234.50)
_APOSTROPHE = re.compile(r"(?<=[0-9])['’](?=[0-9]{3})")


#: a currency written beside an amount, captured, and the code each way of writing it stands for
_CURRENCY_SAID = re.compile(
    r"(?i)^(CHF|EUR|USD|JPY|GBP|RMB|CNY|S?Fr\.|[€$£￥¥])|(CHF|EUR|USD|JPY|GBP|RMB|CNY|[€$£￥¥元圆]|万元|亿元)$"
)
_CURRENCY_CODE = {"FR.": "CHF", "SFR.": "CHF", "€": "EUR", "$": "USD", "£": "GBP", "RMB": "元", "CNY": "元"}
_CURRENCY_CODE |= {"￥": "元", "¥": "元", "元": "元", "圆": "元", "万元": "元", "亿元": "元"}


def bid_currency(s: pd.Series, header_unit: str | None = None) -> str | None:
    """The currency a bid column's amounts are in, as the file says it: ``"元"`` where the header (or the title
    above it) names a yuan unit (``header_unit``: 元, 万元 …; amounts are read in yuan) or the cells write one
    (￥, 万元, RMB); the code written beside the amounts (CHF 1'234.50, 1 234,56 €: CHF, EUR); several, joined
    with ``/``; ``None`` where nothing says (the amounts are as in the file).

    >>> bid_currency(pd.Series(["CHF 1'234.50", "1200"])), bid_currency(pd.Series(["12.5万元"]))
    ('CHF', '元')
    >>> bid_currency(pd.Series(["1 234,56 €", "$12"])), bid_currency(pd.Series(["1200"]), "万元")
    ('EUR/USD', '元')
    >>> bid_currency(pd.Series([1200.0, 13.5])) is None
    True
    """
    if header_unit is not None:
        return "元"
    t = s.dropna().astype("string").str.strip()
    if not len(t) or pd.api.types.is_numeric_dtype(s):
        return None
    found = [c for c in t.str.extract(_CURRENCY_SAID).to_numpy(dtype=object).ravel() if isinstance(c, str)]
    codes = dict.fromkeys(_CURRENCY_CODE.get(str(c).upper(), _CURRENCY_CODE.get(str(c), str(c).upper())) for c in found)
    return "/".join(codes) or None


def _plain_amount(v: str) -> str:
    """An amount's text without a currency written beside it and without thousands apostrophes."""
    t = unicodedata.normalize("NFKC", v).strip().replace("\u2019", "'")
    return _APOSTROPHE.sub("", _CURRENCY.sub("", t))


def _marked(texts: list[str], mark: str | None) -> list[str]:
    """:func:`loaders.validate.number_text` of each text, read in the column's decimal ``mark``.

    In a column that writes a decimal comma (``mark == ","``) a number of thousands points alone is read as
    such: ``123.456`` is 123456 and ``1.234.567`` is 1234567. ``1,234`` keeps number_text's reading (1234): a
    bid of three decimals is rare, and one slip (``12,5`` among ``12,345``) must not turn a column's thousands
    into decimals."""
    out = [number_text(v) for v in texts]
    if mark == ",":
        for i, v in enumerate(texts):
            c = number_text_clean(v)
            if _THOUSANDS_POINTS.fullmatch(c):
                unit = re.search(r"e\d+$", out[i])  # 万 / 亿, which number_text writes as e4 / e8
                out[i] = c.replace(".", "") + (unit.group(0) if unit else "")
    return out


def _num(s: pd.Series, notes: list[str] | None = None) -> pd.Series:
    """Strings to floats as the department loaders read amounts (:func:`loaders.validate.number_text`:
    thousands separators, ``￥``/``元``, full-width digits, a decimal comma), in the decimal mark the whole
    column shows; anything else → NaN.

    Read value by value, ``123.456`` is 123.456 even in a column of ``98.765,00`` and ``1.234.567,89`` that writes
    thousands with points: a bid a thousand times too small. Where some values are not plain numbers, the
    column's mark is read as the department loaders read a ``;``-separated file's
    (:func:`loaders.validate.decimal_marks`: a comma where some values show a comma mark and none a point), and
    the values written with thousands points alone are read in it (:func:`_marked`). Where nothing shows the
    mark and some values read two ways (``1.234``: 1234 or 1.234), they are read with a decimal point and
    ``notes`` says so.
    """
    t = s.astype("string").str.strip()
    # [0-9], not \d: \d also matches full-width digits (１２３４), which pandas cannot read and number_text can
    plain = t.str.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?").fillna(False).to_numpy(dtype=bool)
    given = t.notna().to_numpy(dtype=bool)
    mark, clean = ".", {}
    if (given & ~plain).any():  # some value has more than digits and a point: what mark does the column write?
        clean = {str(u): _plain_amount(str(u)) for u in pd.unique(t[given])}
        every = list(clean.values())
        mark = decimal_marks(pa.array(every, pa.string())).mark
        if mark == ",":  # a point is a thousands mark here: 123.456 is read with the others
            plain &= ~t.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
        elif mark is None and notes is not None:
            two = [v for v in every if _POINT_OR_THOUSANDS.fullmatch(number_text_clean(v))]
            if two:
                notes.append(
                    f"{len(two):,} value{'s' if len(two) > 1 else ''} such as {two[0]} "
                    f"{'are' if len(two) > 1 else 'is'} read with a decimal point ({number_text(two[0])}): "
                    f"no value in the column shows whether it writes thousands with points (1.234,56) or decimals "
                    f"(1,234.56)"
                )
    out = np.full(len(t), np.nan)
    out[plain] = pd.to_numeric(t[plain]).to_numpy(dtype=float)  # most cells: no need for the slow path
    rest = ~plain & given
    if rest.any():
        codes, uniq = pd.factorize(t[rest])  # number_text normalises full-width forms (，１２) itself
        text = pd.Series(_marked([clean[str(u)] for u in uniq], mark), dtype=object)
        parsed = pd.to_numeric(text.where(text != ""), errors="coerce").to_numpy(dtype=float)
        out[rest] = parsed[codes]
    return pd.Series(out, index=s.index, dtype=float)


def _category(s: pd.Series) -> pd.Series:
    """Category labels as text: stripped, numbers written one way (``1`` = ``1.0``); empty → missing."""
    t = s.astype("string").str.strip()
    num = pd.to_numeric(t, errors="coerce")
    whole = num.notna() & (num.abs() < 2**53) & (num == np.round(num))
    t = t.where(~whole, num.where(whole).astype("Int64").astype("string"))
    keep = (t.notna() & (t != "")).to_numpy(dtype=bool)
    return pd.Series(np.where(keep, t.to_numpy(dtype=object, na_value=None), None), index=s.index, dtype=object)


#: words a winner column holds besides 1/0 and the yes/no words the department loaders read (是/否, √/×, yes/no)
_WON = {
    **dict.fromkeys(("中标", "已中标", "成交", "已成交", "中选"), "1"),
    **dict.fromkeys(("未中标", "落标", "未成交", "未中选"), "0"),
}


def read_flag(s: pd.Series, words: dict[str, str] | None = None) -> pd.Series:
    """1 / 0 of a yes/no column (a winner, a label): numbers as given, or the yes/no words of
    :func:`loaders.validate.check_bool` (是/否, √/×, ✓/✗, yes/no, true/false), or ``words`` (text -> "1"/"0");
    anything else ``NaN`` (the caller counts it). A number other than 0 or 1 stays as given, for the caller
    to refuse."""
    w = _num(s)
    t = s.astype("string").str.strip()
    text = (w.isna() & t.fillna("").ne("")).to_numpy(dtype=bool)
    if text.any():
        codes, uniq = pd.factorize(t[text])
        said = [(words or {}).get(str(u), str(u)) for u in uniq]
        flags, _ = check_bool(pa.array(said, pa.string()), None)
        w.loc[text] = pd.Series(flags.to_pandas(), dtype="float").to_numpy()[codes]
    return w


def _seconds(texts: list[str], *, fallback: bool = True) -> np.ndarray:
    """Seconds since 1970 of each text read as the department loaders read a date or a date-time
    (:func:`loaders.validate.check_datetime`), else (``fallback``) by pandas' parser; ``NaN`` where neither reads it."""
    stamps, _ = check_datetime(pa.array(texts, pa.string()), None)
    us = pd.Series(stamps.to_pandas(), dtype="datetime64[us]")
    left = us.isna().to_numpy()
    if fallback and left.any():  # forms the department reader does not take: "Apr 17, 2003", "17 April 2003"
        other = pd.to_datetime(pd.Series(texts)[left], errors="coerce", format="mixed", utc=True)  # offsets → UTC
        us[left] = other.dt.tz_localize(None).to_numpy("datetime64[us]")
    return (us - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy(dtype=float)


#: a date written with the day and the month before the year (17/04/2003, 04/17/2003, 17.04.2003, 17-04-2003,
#: 17/04/03), with or without a time of day: which of the two comes first is decided for the whole column
_DAY_MONTH = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
#: a two-digit year below this is 20yy, from it 19yy (the POSIX rule of strptime's %y: 03 is 2003, 85 is 1985)
_CENTURY_PIVOT = 69


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _stamps(y: np.ndarray, m: np.ndarray, d: np.ndarray, found: list[re.Match]) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since 1970 of calendar dates, with the time of day :data:`_DAY_MONTH` found, and which are valid."""
    hh, mi, ss = (np.array([int(x[k] or 0) for x in found]) for k in (5, 6, 7))
    ts = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": d}), errors="coerce")
    ok = ts.notna().to_numpy() & (hh < 24) & (mi < 60) & (ss < 60)
    return (ts - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy(dtype=float) + hh * 3600 + mi * 60 + ss, ok


def _day_month_seconds(texts: list[str], notes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since 1970 of the texts written day and month before the year, and which texts are so written.

    Whether the day or the month comes first is one question for the whole column, not for each value:
    ``08/05/2003`` is 8 May in a column that also holds ``17/04/2003`` and 5 August in one that holds
    ``04/17/2003`` (read value by value, as pandas' parser does, the first would be 5 August and the second 17
    April in the same column). A number above 12 in first place shows the day comes first, in second place that
    the month does. Where no value tells, the day is read first, as most of the world writes a date, and a note
    says so; where the column shows both orders, the values that could be either are not read (``NaN``: counted
    as not a date) and a note says why. A two-digit year is 20yy below 69 and 19yy from it, and a note says so;
    where a two-digit form has a number above 31 in first place, the column writes the year first (99/04/17),
    and its two-digit forms are read year, month, day (03/04/17 is 17 April 2003). ``notes`` receives the notes.
    """
    out = np.full(len(texts), np.nan)
    form = np.zeros(len(texts), dtype=bool)
    hits = [
        (i, m) for i, t in enumerate(texts) if (m := _DAY_MONTH.fullmatch(unicodedata.normalize("NFKC", t).strip()))
    ]
    if not hits:
        return out, form
    idx = np.array([i for i, _ in hits])
    found = [m for _, m in hits]
    form[idx] = True
    a, b, c = (np.array([int(m[k]) for m in found]) for k in (1, 3, 4))
    short = np.array([len(m[4]) == 2 for m in found])
    y = np.where(short, np.where(c < _CENTURY_PIVOT, 2000 + c, 1900 + c), c)
    ymd = short & (short & (a > 31)).any()  # 99/04/17 shows the column's two-digit forms put the year first
    if ymd.any():
        secs, ok = _stamps(
            np.where(a < _CENTURY_PIVOT, 2000 + a, 1900 + a)[ymd], b[ymd], c[ymd], list(compress(found, ymd))
        )
        out[idx[ymd][ok]] = secs[ok]
        ex = texts[idx[ymd & (a <= 31)][0]] if (ymd & (a <= 31)).any() else texts[idx[ymd][0]]
        notes.append(
            f"dates such as {ex} are read year, month, day ({texts[idx[ymd & (a > 31)][0]]} shows the year comes "
            f"first), with a two-digit year below {_CENTURY_PIVOT} as 20yy and from it as 19yy"
        )
        rest = ~ymd
        idx, found, a, b, y, short = idx[rest], list(compress(found, rest)), a[rest], b[rest], y[rest], short[rest]
        if not len(idx):
            return out, form
    if short.any():
        notes.append(
            f"dates such as {texts[idx[short][0]]} have a two-digit year: below {_CENTURY_PIVOT} read as 20yy "
            f"(03 is 2003), from {_CENTURY_PIVOT} as 19yy (85 is 1985)"
        )
    day_first, month_first = bool((a > 12).any()), bool((b > 12).any())
    first = a > 12  # read day first: shown by the value itself, or by the column
    if day_first and month_first:
        either = (a <= 12) & (b <= 12)
        both = f"dates are written both day first ({texts[idx[a > 12][0]]}) and month first ({texts[idx[b > 12][0]]})"
        if either.any():
            n = int(either.sum())
            notes.append(f"{both}: {n:,} that could be either (such as {texts[idx[either][0]]}) are not read")
        else:
            notes.append(f"{both}; each is read by its number above 12")
        keep = ~either
    else:
        keep = np.ones(len(a), dtype=bool)
        first = np.full(len(a), not month_first)
        if not day_first and not month_first:
            ex = texts[idx[0]]
            notes.append(
                f"dates such as {ex} are read day first ({int(a[0])} {_MONTHS[b[0] - 1]} {y[0]}): no date in the "
                f"column has a number above 12 to tell the day from the month; write dates year first "
                f"({y[0]}-{b[0]:02d}-{a[0]:02d}) to be sure"
            )
    secs, ok = _stamps(y, np.where(first, b, a), np.where(first, a, b), found)
    ok &= keep
    out[idx[ok]] = secs[ok]
    return out, form


def _date(s: pd.Series, notes: list[str] | None = None) -> pd.Series:
    """Dates as numbers, in the unit :func:`graphkit.collusion.features.date_days` reads from the whole column.

    Numbers stay numbers (Unix time, a year, a day index, an Excel serial date), except a column whose numbers
    are all eight-digit calendar dates (``20030417``, as many Chinese systems export a date): those are
    ``YYYYMMDD`` and become seconds since 1970. Text is read as the department loaders read a date or a
    date-time (:func:`loaders.validate.check_datetime`: ``2003-04-17``, ``2003/4/17``, ``2003年4月17日``,
    ``2003.04.17``, full-width digits, with or without a time of day), else by pandas' parser
    (``Apr 17, 2003``), and becomes seconds since 1970; a date written day and month before the year (``17/04/2003``)
    is read in the order the whole column shows (:func:`_day_month_seconds`, whose notes go to ``notes``). Where
    some cells are dates read so, a number of the Excel
    serial range (18264-73050, 1950-2099) is a date cell that lost its format and becomes seconds too (45033 is
    2023-04-17); a column of numbers alone keeps them (a day index). What neither reads is missing (the caller
    counts it).
    """
    num = _num(s)
    f = num.dropna()
    if len(f) and (f == np.round(f)).all() and f.min() >= 19_000_101 and f.max() <= 21_001_231:
        codes, uniq = pd.factorize(f)
        compact = _seconds([str(int(u)) for u in uniq], fallback=False)
        if np.isfinite(compact).all():  # every one a calendar date: YYYYMMDD, not a count
            num.loc[f.index] = compact[codes]
    t = s.astype("string").str.strip()
    rest = (num.isna() & t.fillna("").ne("")).to_numpy(dtype=bool)
    if rest.any():
        given = num.notna().to_numpy(dtype=bool)
        codes, uniq = pd.factorize(t[rest])
        texts = [str(u) for u in uniq]
        secs, written = _day_month_seconds(texts, notes if notes is not None else [])
        other = ~written
        if other.any():  # the rest as the department loaders read a date, else pandas' parser
            secs[other] = _seconds([u for u, o in zip(texts, other, strict=True) if o])
        num.loc[rest] = secs[codes]
        # beside dates written out, a number of the Excel serial range is a date cell that lost its format (45033 =
        # 2023-04-17): as a number it would count as seconds since 1970 among the others' real dates
        serial = given & num.between(*_SERIALS).to_numpy(dtype=bool)
        if serial.any() and np.isfinite(num.to_numpy()[rest]).any():
            num.loc[serial] = (num[serial] - _EXCEL_EPOCH) * 86_400.0
    return num


#: Excel serial dates read as dates beside dates written out (1950-01-01 … 2099-12-31); 25569 is 1970-01-01
_SERIALS, _EXCEL_EPOCH = (18_264, 73_050), 25_569


#: headers of a column that says whether a bid stands (compared as :func:`loaders.contracts.split_header` writes them)
STATUS = ("投标状态", "状态", "评审结果", "评标结果", "审查结果", "资格审查结果", "是否有效", "有效性", "备注")
#: headers that number the rows or the bids, which no screen needs: not listed among the columns not read
ROW_NUMBERS = ("序号", "编号", "行号", "投标编号", "投标序号")
#: what such a column (or a price cell) writes of a bid that was withdrawn or disqualified
VOID = r"废标|无效|撤回|撤销|弃标|放弃|否决|不合格|未通过|取消"


def void_bids(raw: pd.DataFrame, named: dict[str, str] | None = None) -> pd.Series:
    """The column that says a bid was withdrawn or disqualified, per row (``None`` where none does).

    A status or remarks column (:data:`STATUS`: 投标状态 撤回, 评审结果 不合格, 备注 废标：…, 是否有效 否) or the price
    cell itself (``Bid_value`` 废标, 无效) that writes one of the words of :data:`VOID` marks the bid; the first such
    column names it. ``raw`` has the reader's column names (:func:`header`), ``named`` maps them to the file's.

    A remarks column (备注, free text) marks the bid only where the remark *opens* with such a word (废标：未按要求
    签字, 【无效标】…): a remark that mentions one in passing (无不合格记录, 曾放弃2019年项目) says nothing of this bid.

    >>> raw = pd.DataFrame({"Bid_value": ["10", "废标", "12", "13", "14"],
    ...                     "备注": ["", "", "无效标", "资格审查合格", "无不合格记录"]})
    >>> void_bids(raw).tolist()
    [None, 'Bid_value', '备注', None, None]
    """
    named = named or {c: c for c in raw.columns}
    out = np.full(len(raw), None, dtype=object)
    cols = ["Bid_value"] + [c for c in raw.columns if split_header(named.get(c, c))[0] in STATUS]
    for c in cols:
        t = raw[c].astype("string").str.strip().fillna("")
        if split_header(named.get(c, c))[0] == "备注":
            hit = t.str.match(rf"[\s\[【（(〔]*(?:{VOID})").to_numpy(dtype=bool)
        else:
            hit = t.str.contains(VOID, regex=True).to_numpy(dtype=bool)
        if split_header(named.get(c, c))[0] in ("是否有效", "有效性"):
            hit |= read_flag(raw[c]).eq(0.0).to_numpy(dtype=bool)  # 是否有效: 否
        out[hit & (out == None)] = c  # noqa: E711 (elementwise: the first column that says so)
    return pd.Series(out, index=raw.index, dtype=object)


def read_raw(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, RawTable]:
    """Every cell of a CSV, XLSX or Parquet file (``sheet`` of a workbook) as a string (empty cells as ""), and
    what the reader said of the file.

    The department loaders' reader (:func:`loaders.read.read_table`) does the reading: a CSV's encoding is
    detected (UTF-8 with or without BOM, GBK/GB18030, Big5, UTF-16 …, by charset-normalizer), a line with
    too many or too few fields or a broken quote is a fault to quarantine rather than a reason to refuse
    the file, and an XLSX's numbers keep their digits.

    Returns
    -------
    frame : DataFrame
        One row per readable data row, headers stripped.
    table : :class:`loaders.read.RawTable`
        Its ``lines`` (the file's line, CSV header = line 1, or spreadsheet row of each row of ``frame``),
        ``faults`` (lines that could not be read as rows: rows read = ``len(frame) + len(faults)``), ``notes``
        (what it left out as a whole: a workbook's other sheets), ``title`` (lines above the header: "某市投标明细表",
        "单位：万元") and ``merged`` (merged cell ranges it filled).
    """
    rt = read_any(Path(path), sheet=sheet)
    df = rt.table.to_pandas()
    df = df.astype(object).where(df.notna(), "")
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    return df, rt


def read_table(path: Path) -> pd.DataFrame:
    """Every cell of a CSV (any encoding), XLSX or Parquet file as a string; empty cells as "" (:func:`read_raw`)."""
    return read_raw(path)[0]


def summary_rows(
    raw: pd.DataFrame, title: list[str] = (), table: pa.Table | None = None
) -> dict[int, tuple[str, str, str]]:
    """Rows of ``raw`` (by position) that sum, annotate or head the bids rather than give one: a totals row (合计,
    小计), a notes row under the table (注：…, 制表人：…), or the header or a ``title`` line written again (an export
    printed page by page), as the department loaders read them (:func:`loaders.read.layout_rows`): position ->
    (the file's header of the cell that says so, the cell, the reason). ``table``: the same cells as the reader's
    Arrow table (:func:`read_raw`), where the caller has it; else built from ``raw``."""
    if not len(raw) or not len(raw.columns):
        return {}
    heads = [str(c) for c in raw.columns]
    if table is None:
        cols = [raw.iloc[:, j].astype("string").fillna("").to_numpy(dtype=object) for j in range(len(heads))]
        table = pa.Table.from_arrays([pa.array(c, pa.string()) for c in cols], names=heads)
    else:
        table = table.rename_columns(heads)  # the reader's headers, stripped as ``raw``'s
    return {
        p: (h, "" if cell is None else str(cell), f"{what}, not a bid")
        for p, (h, what, cell) in layout_rows(table, title).items()
    }


def _both(cols: list[str]) -> str:
    return f"{cols[0]} and {cols[1]} are both" if len(cols) == 2 else f"{', '.join(cols[:-1])} and {cols[-1]} are all"


#: where a table has several columns for one field, the one read, best first; the others are said and left unread.
#: A bidder's credit code names it once (its name may be written two ways, or shared by branches); the opening
#: date is the tender's, a bid's submission time its own (the project's own 投标记录 table, loaders/sources/bids.yaml,
#: has 投标人代码 and 递交时间)
PREFERRED: dict[str, tuple[str, ...]] = {
    "Competitors": (
        "投标人代码",
        "投标单位代码",
        "投标人统一社会信用代码",
        "供应商代码",
        "供应商统一社会信用代码",
        "统一社会信用代码",
        "Competitors",
    ),
    "Date": ("Date", "开标日期", "开标时间", "日期"),
}


#: a header of the lot (标段, 包) of a project: with a project or tender number beside it, the tender is the pair
_LOT = re.compile(r"标段|标包|包号|分包|包件|采购包")


def one_column_each(
    raw: pd.DataFrame, named: dict[str, str], file: str
) -> tuple[pd.DataFrame, dict[str, str], np.ndarray, list[str]]:
    """``raw`` with its columns renamed by :func:`header`, one column per name, ``named`` for the merged tender,
    which rows have a part of the tender in scientific notation, and what was left unread and why.

    A platform's bid-opening export names a tender by its project and its lot (项目编号 and 标段编号): the lot
    number repeats from project to project (标段 1 of every project), so the tender is the pair, written
    ``P1/B1``, the lot last. A row whose project number is empty has no tender (its lot alone would merge bids
    of several projects); an empty lot leaves the project's number. Two columns read as any other field (报价 and
    投标报价, 控制价 and 最高限价) are refused: which of the two is the bid cannot be told from their names. A
    header the reader reads as no field, written twice (备注 and 备注), is kept twice, the second as ``备注 (2)``:
    a remark in either can say the bid was withdrawn (:func:`void_bids`). A bidder's code beside its name (投标人代码
    and 投标人), or the opening date beside a submission time (开标日期 and 递交时间), is read and the other left, as
    :data:`PREFERRED` orders them, and said.
    """
    names = [header(c) for c in raw.columns]
    fields = set(COLUMNS) | {LABEL}
    seen: Counter = Counter()
    for i, n in enumerate(names):  # a column the reader does not read as a field, twice (备注, 备注): both kept
        seen[n] += 1
        if n not in fields and seen[n] > 1:
            names[i] = f"{n} ({seen[n]})"
            named = named | {names[i]: str(raw.columns[i])}
    notes: list[str] = []
    for n, order in PREFERRED.items():
        cols = [i for i, h in enumerate(names) if h == n]
        if len(cols) < 2:
            continue
        rank = {
            i: (order.index(b) if (b := split_header(str(raw.columns[i]).strip())[0]) in order else len(order))
            for i in cols
        }
        best = min(cols, key=lambda i: (rank[i], i))
        if sum(rank[i] == rank[best] for i in cols) > 1:
            continue  # no column is read before the others: refused below
        for i in cols:
            if i != best:
                names[i] = f"{raw.columns[i]} (not read)"
        left = ", ".join(str(raw.columns[i]) for i in cols if i != best)
        notes.append(f"{file}: {left} not read: {COLUMNS[n]} read from {raw.columns[best]}")
        named = named | {n: str(raw.columns[best])}
    counts = Counter(names)
    twice = sorted(n for n, k in counts.items() if k > 1 and n != "Tender")
    if twice:
        said = "; ".join(
            _both([str(c) for c, h in zip(raw.columns, names, strict=True) if h == n]) + f" read as {n}" for n in twice
        )
        raise LoadError(f"{file}: {said}; keep one of them, or rename the others")
    sci = np.zeros(len(raw), dtype=bool)
    if counts.get("Tender", 0) < 2:
        return raw.set_axis(names, axis=1), named, sci, notes
    parts = [c for c, h in zip(raw.columns, names, strict=True) if h == "Tender"]
    parts.sort(key=lambda c: bool(_LOT.search(str(c))))  # stable: the project (or tender) first, the lot last
    values = [raw[c].astype("string").str.strip().fillna("") for c in parts]
    for v in values:
        sci |= scientific_identifiers(pa.array(v, pa.string()))
    tender = values[0]
    for v in values[1:]:
        tender = tender.where((tender == "") | (v == ""), tender + "/" + v)
    rest = raw.loc[:, [h != "Tender" for h in names]]
    rest = rest.set_axis([h for h in names if h != "Tender"], axis=1)
    named = named | {"Tender": " + ".join(str(c) for c in parts)}
    return rest.assign(Tender=tender.to_numpy(dtype=object)), named, sci, notes


#: an unread column with this many values or fewer may be the tenders' kind (:func:`segment_like`)
SEGMENT_KINDS = 20
#: values of a yes/no flag: a column of these alone is a flag (a label, a status), not a kind of tender
_FLAG_VALUES = frozenset({"0", "1", "0.0", "1.0", "true", "false", "yes", "no", "y", "n", "是", "否"})


def segment_like(
    raw: pd.DataFrame, columns: Iterable, tender: str = "Tender", when: pd.Series | None = None
) -> list[tuple]:
    """Of ``columns`` of ``raw`` (one row per bid), those whose values read like the tenders' kind (a contract
    type, the segment a scorer can rank each tender within): filled on most bids, 2 to :data:`SEGMENT_KINDS`
    distinct values that are not a 0/1 flag, one value per tender (at most 1 % of the tenders show two), and each
    value held by two tenders or more. Decided by the values alone, whatever the header says: a contract type
    written as codes (1.0, 2.0, 3.0) reads like one, a bidder's legal form (one value per bidder, several in a
    tender) or a label (0/1) does not. Nor does a period of time, which the label-free score reads from the dates
    (its period family), not as a kind of work: values that are years or dates, or, given each row's date as a
    number (``when``, aligned with ``raw``), values that split the tenders by date, each value's tenders within a
    span of dates no other value's tenders enter (at most 1 % of the tenders do: pre-inspection before
    post-amendment in Japan's file had been offered as a segment). Each with how many values it has and up to three
    of them.

    >>> raw = pd.DataFrame({"Tender": list("aabbccdd"), "kind": ["1.0", "1.0", "2.0", "2.0"] * 2,
    ...                     "form": list("xyxyxyxy"), "label": list("01010101"), "year": ["2019"] * 4 + ["2020"] * 4,
    ...                     "phase": ["early"] * 4 + ["late"] * 4})
    >>> segment_like(raw, ["kind", "form", "label", "year", "phase"])
    [('kind', 2, ['1.0', '2.0']), ('phase', 2, ['early', 'late'])]
    >>> segment_like(raw, ["kind", "phase"], when=pd.Series([1, 1, 2, 2, 3, 3, 4, 4]))
    [('kind', 2, ['1.0', '2.0'])]
    """
    if tender not in raw.columns:
        return []
    t = raw[tender].astype("string").str.strip()
    days = None if when is None else pd.to_numeric(pd.Series(when), errors="coerce").reindex(raw.index)
    out = []
    for c in columns:
        v = raw[c].astype("string").str.strip()
        ok = (v.fillna("") != "") & (t.fillna("") != "")
        if ok.sum() < max(2, 0.5 * len(v)):
            continue
        kinds = pd.unique(v[ok])
        if not 2 <= len(kinds) <= SEGMENT_KINDS or {str(k).lower() for k in kinds} <= _FLAG_VALUES:
            continue
        per = pd.DataFrame({"t": t[ok].to_numpy(), "v": v[ok].to_numpy()}).drop_duplicates()
        tenders = per["t"].nunique()
        if per["t"].duplicated().sum() > 0.01 * tenders or (per["v"].value_counts() < 2).any():
            continue
        if _time_like(pd.Series(kinds, dtype="string")) or (
            days is not None and _splits_by_date(t[ok], v[ok], days[ok], tenders)
        ):
            continue
        out.append((c, len(kinds), sorted(map(str, kinds))[:3]))
    return out


def _time_like(kinds: pd.Series) -> bool:
    """Whether a column's distinct values are years (whole numbers 1900-2100) or dates (text the date reader
    reads: 2019-03, 2019年3月 …): a period of time, not a kind of tender."""
    num = _num(kinds)
    if num.notna().all():
        return bool(((num == np.round(num)) & num.between(1900, 2100)).all())
    return bool(num.isna().all() and _date(kinds).notna().all())


def _splits_by_date(t: pd.Series, v: pd.Series, days: pd.Series, tenders: int) -> bool:
    """Whether values ``v`` split the tenders ``t`` by their dates ``days``: at most 1 % of the tenders (with a
    date) fall strictly inside another value's span of dates (first to last)."""
    per = pd.DataFrame({"t": t.to_numpy(), "v": v.to_numpy(), "d": days.to_numpy(dtype=float)})
    per = per[np.isfinite(per["d"])].drop_duplicates(["t", "v"])
    if per["v"].nunique() < 2 or len(per) < 0.5 * tenders:
        return False
    span = per.groupby("v")["d"].agg(["min", "max"])
    inside = 0
    for value, (lo, hi) in span.iterrows():
        other = per[per["v"] != value]["d"]
        inside += int(((other > lo) & (other < hi)).sum())
    return inside <= 0.01 * len(per)


def frame_to_bids(
    raw: pd.DataFrame,
    *,
    file: str = "<frame>",
    market: str | None = None,
    with_label: bool = False,
    segment: str | None = None,
    segment_required: bool = True,
    lines: np.ndarray | None = None,
    faults: Iterable = (),
    title: Iterable[str] = (),
    merged: int = 0,
    table: pa.Table | None = None,
) -> BidTable:
    """Validate a table of strings (or values) and return the usable bids and the report.

    Parameters
    ----------
    raw : DataFrame
        One row per bid, source column names (:data:`COLUMNS`, :data:`ALIASES`).
    file : str
        Name used in the report and quarantine.
    market : str, optional
        Market of every row; default the ``market`` column when present, else the file's stem.
    with_label : bool
        Also read :data:`LABEL` (required then).
    segment : str, optional
        Column holding the tender's segment (contract type, category of work); required when given
        unless ``segment_required=False`` (then a file without it has no ``segment`` column).
        Read as text (``1``, ``1.0`` and `` 1`` are one segment); an empty cell is no segment.
    lines : ndarray, optional
        Source line of each row of ``raw`` (:func:`read_raw`); default row ``i`` is line ``i + 2``.
    faults : iterable of :class:`loaders.read.LineFault`
        Lines of the file that are not rows: quarantined, and counted as read.
    title, merged : optional
        The reader's title lines above the header (a unit they declare, 单位：万元, applies to amounts whose header
        names none) and the merged cell ranges it filled; both go to the file's report.
    table : pyarrow.Table, optional
        The reader's own table of the same cells (:func:`read_raw`), where the rows that are no bids (合计, the
        header again …: :func:`summary_rows`) are looked for; built from ``raw`` without it.

    Raises
    ------
    LoadError
        A required column is missing (the message names the file and the column).
    """
    title = list(title)
    said = title_unit(title)  # 单位：万元 above the header: the amounts whose header names no unit are in it
    # what one plain number of each column is worth in yuan; a bracket that is no money unit, "(PTE)", counts 1
    unit = {header(c): unit_factor(c, title=said) or 1.0 for c in raw.columns}
    named = {header(c): str(c) for c in raw.columns}  # a bad cell is named by the file's own header (投标报价(万元))
    summary = summary_rows(raw, title, table)
    raw, named, sci_part, unread = one_column_each(raw, named, file)
    if segment and not segment_required and segment not in raw.columns:
        segment = None
    need = REQUIRED + ((LABEL,) if with_label else ()) + ((segment,) if segment else ())
    missing = [c for c in need if c not in raw.columns]
    if missing:
        hint = ""
        if len(raw.columns) == 1:
            sep = next((d for d in (";", "\t", "|") if d in str(raw.columns[0])), None)
            if sep is not None:
                shown = "tab" if sep == "\t" else repr(sep)
                hint = f"; its columns seem to be separated by {shown}: save it as comma-separated CSV (or XLSX)"
        said = "; ".join(
            f"{c} as " + " or ".join([c, *[h for h, to in ALIASES.items() if to == c][:6]]) for c in missing
        )
        raise LoadError(
            f"{file}: missing required column {', '.join(repr(c) for c in missing)} "
            f"(a bid table needs {', '.join(need)}; found {', '.join(map(str, raw.columns)) or 'no columns'}; "
            f"headers read: {said}){hint}"
        )
    raw = raw.reset_index(drop=True)
    n = len(raw)
    faults = list(faults)
    line = np.arange(2, n + 2, dtype=np.int64) if lines is None else np.asarray(lines, dtype=np.int64)
    if len(line) != n:
        raise ValueError(f"{file}: {n} rows but {len(line)} line numbers")
    fr = FileReport(file=file, source="bids", read=n + len(faults), title=" / ".join(title) or None, merged=merged)
    rep = LoadReport(files=[fr])
    rep.warnings.extend(unread)  # 投标人 beside 投标人代码: which was read
    fields = {*COLUMNS, LABEL, segment}
    unread_keys = [
        c
        for c in raw.columns
        if c not in fields
        and not str(c).endswith("(not read)")
        and split_header(named.get(c, str(c)))[0] not in (*STATUS, *ROW_NUMBERS)
    ]
    left = [named.get(c, str(c)) for c in unread_keys]
    if left:  # said, as the department loaders say theirs: a 包号 the reader did not know merged the lots unseen
        # the first 12 and how many more; a 13th named rather than counted ("and 1 more" hid the Italian file's
        # Collusive_competitor_original, a label, with a count no shorter than its name)
        cut = 12 if len(left) > 13 else len(left)
        shown = ", ".join(left[:cut]) + (f" and {len(left) - cut} more" if len(left) > cut else "")
        rep.warnings.append(f"{file}: column(s) not read: {shown}")
    warnings: Counter = Counter()

    def left_out(column: str, hit: pd.Series, reason: str) -> None:
        """Bad values of an optional column (``hit``: by row of ``raw``), each left out and its bid kept: counted in
        ``warnings`` and named by its line in the report's ``dropped``, as the department loaders name theirs."""
        rows = np.flatnonzero(hit.reindex(raw.index, fill_value=False).to_numpy(dtype=bool))
        if not len(rows):
            return
        warnings[(file, named[column], reason)] += len(rows)
        fr.dropped[named[column]] += len(rows)
        cells = raw[column].to_numpy(dtype=object)
        rep.dropped.extend(
            Dropped(file, int(line[i]), column, "" if pd.isna(cells[i]) else str(cells[i]), reason, named[column])
            for i in rows
        )

    for f in faults:  # lines that are not rows (a broken quote, too many fields …): nothing to score
        rep.quarantine.append(Quarantined(file, int(f.line), str(f.column), str(f.value), str(f.reason)))

    tender = raw["Tender"].astype("string").str.strip()
    no_tender = tender.isna() | (tender == "") | tender.str.lower().isin(["nan", "none", "null"])
    # "3.20582E+17": an id that went through Excel as a number and lost its last digits; distinct tenders
    # would merge into one, so the bid is not scored
    sci = pd.Series(scientific_identifiers(pa.array(tender.fillna(""), pa.string())), index=raw.index) & ~no_tender
    sci |= pd.Series(sci_part, index=raw.index) & ~no_tender  # a project or lot number of the pair
    bad_tender = no_tender | sci
    read_as: list[str] = []
    bid = _amount(raw["Bid_value"], unit["Bid_value"], read_as)
    named_unit = split_header(named["Bid_value"])[1] or said  # 投标报价（万元）, or 单位：万元 above the header
    currency = bid_currency(raw["Bid_value"], named_unit if named_unit in HEADER_UNITS else None)
    rep.warnings.extend(f"{file}, column {named['Bid_value']}: {n}" for n in read_as)
    # 1.23E+06: Excel showed 1,234,567 so in a column too narrow and saved the CSV as shown; read, it was 1,230,000
    sci_bid = scientific_amounts(raw["Bid_value"])
    bid[sci_bid] = np.nan
    bad_bid = ~(np.isfinite(bid) & (bid > 0))
    reason = pd.Series("", index=raw.index, dtype=object)
    reason[bad_bid] = np.where(bid[bad_bid].isna(), "bid is not a number", "bid must be a positive finite amount")
    reason[sci_bid] = ["bid " + SCIENTIFIC.format(v=str(v).strip()) for v in raw.loc[sci_bid, "Bid_value"]]
    # a withdrawn or disqualified bid (废标, 无效标, 撤回 in a status or remarks column, or in the price cell): the
    # export lists it among the bids opened, but it is no offer that competed
    void_col = void_bids(raw, named)
    void = pd.Series(void_col.to_numpy() != None, index=raw.index)  # noqa: E711 (elementwise)
    reason[void] = "bid withdrawn or disqualified"  # the quarantine names the column and the cell that say so
    bad_bid = bad_bid | void
    lead = np.where(sci, TENDER_ID_DIGITS_LOST, "tender id is missing")
    reason[bad_tender] = lead[bad_tender.to_numpy()] + np.where(bad_bid[bad_tender], "; " + reason[bad_tender], "")
    bad = bad_tender | bad_bid
    bad.iloc[list(summary)] = True
    for i in np.flatnonzero(bad.to_numpy()):
        if i in summary:  # 合计 below the bids, 制表人：… under the table: no bid, whatever else the row lacks
            col, cell, why = summary[i]
            rep.quarantine.append(Quarantined(file, int(line[i]), col, cell, why))
            continue
        col = "Tender" if bad_tender.iat[i] else (void_col.iat[i] or "Bid_value")
        v = raw[col].iat[i]
        rep.quarantine.append(
            Quarantined(file, int(line[i]), named[col], "" if pd.isna(v) else str(v), str(reason.iat[i]))
        )
    ok = ~bad
    fr.quarantined = int(bad.sum()) + len(faults)
    fr.loaded = int(ok.sum())

    mk = market
    out = pd.DataFrame(index=raw.index[ok])
    if mk is None and "market" in raw.columns:
        m = raw.loc[ok, "market"].astype("string").str.strip()
        out["market"] = m.where(m.notna() & (m != ""), Path(file).stem).astype(str)
    else:
        out["market"] = mk if mk is not None else Path(file).stem
    out["tender"] = tender[ok].astype(str)
    out["key"] = out["market"] + "|" + out["tender"]
    out["bid"] = bid[ok]
    if "Competitors" in raw.columns:
        firm = raw.loc[ok, "Competitors"].astype("string").str.strip()
        # #REF!, #N/A: the lookup formula that filled the cell failed; read as a name, every such bid had one bidder,
        # who "met" the others tender after tender (the conduct screens)
        failed = firm.str.upper().isin([*EXCEL_ERRORS, "#N/A"]).fillna(False)
        left_out("Competitors", failed, NO_BIDDER)
        # one firm written two ways (中铁（北京） / 中铁(北京), full-width digits, stray spaces) is one bidder, as the
        # department loaders normalise a name (graphkit.model.types.normalize_name)
        codes, uniq = pd.factorize(firm.mask(failed, ""))  # as an empty cell: no bidder
        names = np.array([normalize_name(u) for u in uniq] + [None], dtype=object)
        out["bidder"] = names[codes]
    if "Date" in raw.columns:
        notes: list[str] = []
        d = _date(raw.loc[ok, "Date"], notes)
        rep.warnings.extend(f"{file}, column {named['Date']}: {n}" for n in notes)
        left_out("Date", d.isna() & raw.loc[ok, "Date"].astype("string").str.strip().fillna("").ne(""), "not a date")
        out["date"] = d
    if left:
        from graphkit.model.mask import mask_text

        # the values masked as they are kept: the report goes to the console and to JSON; a period of time (its
        # values split the tenders by date) is no kind of tender
        fr.segment_like = [
            (named.get(c, str(c)), k, [mask_text(v) for v in ex])
            for c, k, ex in segment_like(raw, unread_keys, when=out["date"] if "date" in out.columns else None)
        ]
    if "Winner" in raw.columns:
        w = read_flag(raw.loc[ok, "Winner"], _WON)
        given = raw.loc[ok, "Winner"].astype("string").str.strip().fillna("").ne("")
        badw = given & ~w.isin([0.0, 1.0])
        left_out("Winner", badw, "not 0 or 1 (or yes/no, 是/否, ✓/✗, 中标/未中标)")
        out["winner"] = w.where(~badw)
    if "Pre-Tender Estimate (PTE)" in raw.columns:
        read_as = []
        p = _amount(raw.loc[ok, "Pre-Tender Estimate (PTE)"], unit["Pre-Tender Estimate (PTE)"], read_as)
        rep.warnings.extend(f"{file}, column {named['Pre-Tender Estimate (PTE)']}: {n}" for n in read_as)
        sci_pte = scientific_amounts(raw.loc[ok, "Pre-Tender Estimate (PTE)"])
        p[sci_pte] = np.nan
        left_out("Pre-Tender Estimate (PTE)", sci_pte, SCIENTIFIC_LEFT_OUT)
        badp = p.notna() & ~(p > 0)
        nonnum = p.isna() & ~sci_pte
        nonnum &= raw.loc[ok, "Pre-Tender Estimate (PTE)"].astype("string").str.strip().fillna("").ne("")
        left_out("Pre-Tender Estimate (PTE)", badp | nonnum, "not a positive amount")
        out["pte"] = p.where(~badp)
    if "Number_bids" in raw.columns:
        out["number_bids"] = _num(raw.loc[ok, "Number_bids"])
    if with_label:
        lab = read_flag(raw.loc[ok, LABEL])
        badl = lab.isna() | ~lab.isin([0.0, 1.0])
        left_out(LABEL, badl, "label missing or not 0/1 (bid kept, tender label from its other bids)")
        out["label"] = lab.where(~badl)
    if segment:
        out["segment"] = _category(raw.loc[ok, segment])
    out["src_file"] = file
    out["src_row"] = line[out.index.to_numpy()]
    lost = (bad_bid & ~bad_tender).to_numpy()  # withdrawn and disqualified bids too
    lost[list(summary)] = False  # a totals or notes row is no bid its tender lost
    if mk is None and "market" in raw.columns:
        lm = raw.loc[lost, "market"].astype("string").str.strip()
        lm = lm.where(lm.notna() & (lm != ""), Path(file).stem).astype(str)
    else:
        lm = pd.Series(mk if mk is not None else Path(file).stem, index=raw.index[lost], dtype=object)
    dropped = pd.DataFrame(
        {
            "market": lm.to_numpy(dtype=object),
            "tender": tender[lost].astype(str).to_numpy(dtype=object),
            "src_file": file,
            "src_row": line[np.flatnonzero(lost)],
            "reason": reason[lost].to_numpy(dtype=object),
        }
    )
    dropped.insert(2, "key", dropped["market"] + "|" + dropped["tender"])
    named = frozenset({Path(file).stem}) if mk is None and (out["market"] == Path(file).stem).any() else frozenset()
    if (
        named
        and "market" in raw.columns
        and not (raw.loc[ok, "market"].astype("string").str.strip().fillna("") == "").any()
    ):
        named = frozenset()  # the column names it, whatever the file is called
    return BidTable(
        out.reset_index(drop=True), rep, warnings, dropped, {file: unit["Bid_value"]}, named, {file: currency}
    )


@one_parse()  # an .xls parsed once for its sheets' listing and every sheet's rows
def read_bids(
    paths: str | Path | Iterable[str | Path],
    *,
    market: str | None = None,
    with_label: bool = False,
    segment: str | None = None,
    segment_required: bool = True,
) -> BidTable:
    """Read one or more bid files (CSV, XLSX, Parquet); each file is its own market unless the file
    has a ``market`` column or ``market`` is given. ``with_label``, ``segment`` and
    ``segment_required``: see :func:`frame_to_bids`.

    Raises :class:`~loaders.report.LoadError` naming the file for an unreadable file or a missing
    required column.

    Example
    -------
    >>> shared = "../shared/data/collusion_garcia_rodriguez_2022"
    >>> t = read_bids(f"{shared}/DB_Collusion_Japan_processed.csv")  # doctest: +SKIP
    >>> t.report.totals()  # doctest: +SKIP
    {'read': 13515, 'loaded': 13515, 'quarantined': 0}
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    tables, notes = [], []
    for p in map(Path, paths):
        if not p.exists():
            raise LoadError(f"{p}: no such file")
        parts, left_out, said = sheet_parts(p, header)
        notes += left_out
        first = len(tables)
        for name, sheet in parts:
            raw, rt = read_raw(p, sheet)
            tables.append(
                frame_to_bids(
                    raw,
                    file=name,
                    title=rt.title,
                    merged=rt.merged,
                    market=market,
                    with_label=with_label,
                    segment=segment,
                    segment_required=segment_required,
                    lines=rt.lines,
                    faults=rt.faults,
                    table=rt.table,
                )
            )
            fr = tables[-1].report.files[0]  # rows and columns Excel hides, two encodings: said as a load says them
            fr.hidden, fr.filtered, fr.hidden_columns, fr.form = rt.hidden, rt.filtered, rt.hidden_columns, rt.form
        if said and len(tables) > first:  # the workbook's sheets of instructions: a note of its first part
            tables[first].report.files[0].sheets += said
    if not tables:
        raise LoadError("no bid file given")
    rep = LoadReport(
        files=[f for t in tables for f in t.report.files],
        quarantine=[q for t in tables for q in t.report.quarantine],
        dropped=[d for t in tables for d in t.report.dropped],  # bad optional values, each with its line
        warnings=[*notes, *(w for t in tables for w in t.report.warnings)],  # a file's own: how its dates read
    )
    warn: Counter = Counter()
    for t in tables:
        warn.update(t.warnings)
    bids = pd.concat([t.bids for t in tables], ignore_index=True) if len(tables) > 1 else tables[0].bids
    dropped = pd.concat([t.dropped for t in tables], ignore_index=True) if len(tables) > 1 else tables[0].dropped
    units = {f: u for t in tables for f, u in t.units.items()}
    named = frozenset().union(*(t.by_file_name for t in tables))
    currency = {f: c for t in tables for f, c in t.currency.items()}
    return repeated_bids(BidTable(bids, rep, warn, dropped, units, named, currency))


def repeated_bids(table: BidTable) -> BidTable:
    """Quarantine exact repeats of a bid; warn about a bidder bidding twice in one tender at different prices.

    An export that writes a row twice (the same tender, bidder and price) would count as a second bid and
    make the tender look rigged (two identical prices). The repeat is quarantined: its file and line, with
    the file and line of the row it repeats in the reason, across all files and sheets read together;
    the first row is kept. The same bidder twice in one tender with *different* prices is kept (a corrected
    bid, or two lots), and counted in :attr:`LoadReport.warnings <loaders.report.LoadReport>` per file with
    the first such tender. Rows without a bidder are never compared: two firms may bid the same price.

    Example
    -------
    >>> raw = pd.DataFrame({"Tender": ["1", "1", "1", "1"], "Competitors": ["A", "B", "A", "B"],
    ...                     "Bid_value": ["10", "11", "10", "12"]})
    >>> t = repeated_bids(frame_to_bids(raw, file="x.csv"))
    >>> len(t.bids), [(q.row, q.reason) for q in t.report.quarantine]
    (3, [(4, 'duplicate bid: same tender, bidder and price as x.csv line 2')])
    >>> t.report.warnings
    ['x.csv: 1 bidder bid twice or more at different prices in one tender (tender 1, bidder B); bids kept']
    """
    b = table.bids
    if b.empty or "bidder" not in b.columns:
        return table
    has = b["bidder"].notna().to_numpy()
    if not has.any():
        return table
    sub = b[has]
    same = ["key", "bidder", "bid"]
    dup = sub.duplicated(same, keep="first")
    rep = table.report
    keep = np.ones(len(b), dtype=bool)
    if dup.any():
        first = sub[~sub.duplicated(same, keep="first")].set_index(same)[["src_file", "src_row"]]
        rows = sub[dup]
        orig = first.reindex(pd.MultiIndex.from_frame(rows[same]))
        lost = []
        files = {f.file: f for f in rep.files}
        for (i, r), (of, orow) in zip(rows.iterrows(), orig.itertuples(index=False), strict=True):
            reason = f"duplicate bid: same tender, bidder and price as {provenance(of, int(orow))}"  # a CSV's line
            rep.quarantine.append(
                Quarantined(
                    str(r["src_file"]),
                    int(r["src_row"]),
                    "",  # no one cell: the tender, bidder and price together
                    # as the file writes it: in its unit (万元), rounded off the float noise of scaling to yuan
                    np.format_float_positional(
                        round(float(r["bid"]) / table.units.get(str(r["src_file"]), 1.0), 6), trim="-"
                    ),
                    reason,
                )
            )
            fr = files.get(str(r["src_file"]))
            if fr is not None:
                fr.loaded -= 1
                fr.quarantined += 1
            keep[b.index.get_loc(i)] = False
            lost.append((r["market"], r["tender"], r["key"], r["src_file"], int(r["src_row"]), reason))
        add = pd.DataFrame(lost, columns=_DROPPED)
        dropped = add if table.dropped.empty else pd.concat([table.dropped, add], ignore_index=True)
        table = BidTable(
            b[keep].reset_index(drop=True),
            rep,
            table.warnings,
            dropped,
            table.units,
            table.by_file_name,
            table.currency,
        )
        b = table.bids
        sub = b[b["bidder"].notna()]
    twice = sub[sub.duplicated(["key", "bidder"], keep=False)]
    if len(twice):
        for file, grp in twice.groupby("src_file", sort=False):
            pairs = grp.drop_duplicates(["key", "bidder"])
            n = len(pairs)
            ex = pairs.iloc[0]
            rep.warnings.append(
                f"{file}: {n:,} bidder{'s' if n > 1 else ''} bid twice or more at different prices in one tender "
                f"(tender {ex['tender']}, bidder {ex['bidder']}{', …' if n > 1 else ''}); bids kept"
            )
    return table


def tender_labels(bids: pd.DataFrame) -> pd.Series:
    """Tender-level label (max of ``label`` over the tender's bids), indexed by ``key``."""
    if "label" not in bids.columns:
        raise KeyError(f"no {LABEL!r} column was read (read the file with with_label=True)")
    return bids.groupby("key", sort=False)["label"].max()
