"""Reading the tables departments send: encodings, broken lines, Excel cells.

Every file is read into one :class:`RawTable`: its cells as strings (Arrow), the line (CSV) or
spreadsheet row (XLSX) each data row came from, the lines that could not be read as a row (with the
reason), and the cells whose value was lost before the file reached us.

**Encodings.**  A byte-order mark decides (UTF-8, UTF-16, UTF-32); otherwise text that is valid UTF-8 is
UTF-8 (also with a stray byte on a few lines, which are faults: :func:`_mostly_utf8`), and anything else
is identified by ``charset-normalizer``, with GB18030 (the superset of GBK and GB2312, the default of
Chinese Excel and many government systems) as the Chinese answer and the fallback.
``encoding=`` overrides the detection.

**Broken lines are row faults.**  CSV is read with Arrow's parser; when it meets a line with too many or
too few fields, an unbalanced quote, a field longer than :data:`MAX_FIELD` bytes, bytes that are not
text in the file's encoding, or line breaks inside values, the file is read again line by line: each
faulty line becomes a :class:`LineFault` (line number, column when one is to blame, reason) and every
other line loads.  A quoted value may span lines (at most :data:`MAX_SPAN`); a quote that is never
closed faults its own line only.

**Headers and separators.**  Given a contract, the header is the row (or pair of rows: a group heading row over
the column names, names split over two rows, a units row （万元） under them) among the first few that names the
most of the contract's columns (:func:`_find_header`); the rows above it are title lines, whatever they hold, and
no data row keeps another line number than its own.  A CSV is comma- or tab-separated, or ``;``- or
``|``-separated where that splits its header into more of the contract's columns (:func:`_csv_head`).  Without a
contract (the bid reader): a comma or a tab, the header below title lines of one value each.

**Excel.**  ID numbers, credit codes, phones, accounts and plates are read as text whatever the cell
type; a number cell holding one of them that cannot be exact (Excel keeps 15 significant digits: a number
of 16 digits or more, a 16-digit bank card as much as an 18-digit ID number shown as ``3.20582E+17``) is a
cell fault "identifier stored as a number in Excel: digits lost".  Date cells, and numbers in date columns (Excel
date serials), become ISO dates. A hidden or very hidden sheet is not read (a stale copy Excel does not show);
the notes name it with its rows.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import math
import re
import sys
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from struct import error as struct_error
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model.mask import mask_text
from graphkit.stores.base import ctrl_c_check, ctrl_c_recorded
from loaders.contracts import Source, split_header
from loaders.report import LoadError
from loaders.validate import _np  # a boolean Arrow array as numpy, null → False

__all__ = [
    "RawTable",
    "LineFault",
    "Sheet",
    "sheets",
    "sheet_parts",
    "detect_encoding",
    "read_header",
    "read_table",
    "MAX_FIELD",
    "MAX_SPAN",
    "EXCEL_DIGITS_LOST",
    "NUMBER_DIGITS_LOST",
    "EXCEL_TEXT_HINT",
    "NUMBER_TEXT_HINT",
    "ROUNDED_FLOAT",
    "ROUNDED_ZEROS",
    "rounded_identifiers",
    "IDENTIFIER_TYPES",
    "TOTALS_WORDS",
    "FOOTER",
    "totals_rows",
    "footer_rows",
    "header_rows",
    "title_rows",
    "layout_rows",
]

#: the longest field a CSV line may hold, in bytes: 1 MiB, well above the 32,767 characters of an Excel cell
MAX_FIELD = 1 << 20
#: the most physical lines one quoted value may span before its opening quote is taken as unbalanced
MAX_SPAN = 50
#: how to fix an identifier column Excel held as numbers (the reasons below end with it): the file has lost the
#: digits, so only the source or a column typed as text gives them back
EXCEL_TEXT_HINT = (
    "re-export the column as text from the source system, or set the column's format to Text in Excel before the "
    "numbers are typed or pasted: the lost digits are not in this file"
)
#: how to fix an identifier column a program wrote as numbers
NUMBER_TEXT_HINT = "write the column as text in the program that made the file: the lost digits are not in this file"
#: the reason given for an identifier whose digits Excel rounded away
EXCEL_DIGITS_LOST = f"identifier stored as a number in Excel: digits lost ({EXCEL_TEXT_HINT})"
#: the reason given for an identifier a Parquet file holds as a float of more than 15 digits
NUMBER_DIGITS_LOST = f"identifier stored as a number: digits lost ({NUMBER_TEXT_HINT})"
#: a month typed 2024.10 in an Excel cell of General format is the number 2024.1, which is also January
EXCEL_MONTH_TWO_WAYS = "month stored as a number in Excel: {v} reads as {y}-01 and as {y}-10, not guessed"
#: the reason for a formula cell whose value was never saved (a workbook a program wrote, never calculated)
FORMULA_NOT_CALCULATED = (
    "a formula with no value saved (a workbook written by a program and never calculated): open it in Excel or WPS "
    "and save it again"
)
#: contract column types that are identifiers: read as text, never as numbers
IDENTIFIER_TYPES = frozenset({"id_number", "credit_code", "phone", "account", "plate", "party"})
#: how much of a faulty line the quarantine keeps
_SHOWN = 300
_SAMPLE = 1 << 20


def _mark_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: each byte ``b`` that is not text becomes U+DC00 + ``b``, a lone surrogate no text
    holds (``surrogateescape`` cannot take bytes below 0x80, which a cut UTF-16 file ends with). A line holding
    one is a fault; :func:`_escaped` writes them as ``\\xNN`` (a surrogate cannot be written as UTF-8)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(0xDC00 + b) for b in exc.object[exc.start : exc.end]), exc.end


_MARKED = re.compile("[\udc00-\udcff]")


def _escaped(text: str) -> str:
    """``text`` with the bytes :func:`_mark_undecodable` marked written as ``\\xNN``.

    >>> _escaped("张" + chr(0xDCFF) + ",1")
    '张\\\\xff,1'
    """
    return _MARKED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def _undecodable(record: str, encoding: str) -> str:
    """The reason for a line holding marked bytes: which bytes, where in the line (a character offset)."""
    found = list(_MARKED.finditer(record))
    first = found[0]
    shown = " ".join(f"\\x{ord(m.group()) - 0xDC00:02x}" for m in found[:5]) + (" …" if len(found) > 5 else "")
    return (
        f"undecodable byte{'s' if len(found) > 1 else ''} {shown}: not {encoding} text "
        f"(at character {first.start() + 1} of the line)"
    )


codecs.register_error("graphkit-mark", _mark_undecodable)
_Text = TypeVar("_Text", str, bytes)
_CHINESE = {"gb2312", "gbk", "gb18030", "hz", "cp936", "iso2022_cn", "iso2022_jp_2"}
_KOREAN = {"cp949", "euc_kr", "johab", "iso2022_kr"}
_HANJA = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class LineFault:
    """A line of a file that could not be read as a row."""

    line: int  # physical line (CSV, header = line 1) or spreadsheet row (XLSX)
    column: str  # the header of the field to blame, or "" for the whole line
    value: str  # the line as read (cut to a few hundred characters)
    reason: str  # never holds an identifier in clear


@dataclass
class RawTable:
    """A file's cells as strings, with where each row came from and what could not be read.

    ``lines[i]`` is the line (CSV) or spreadsheet row (XLSX) of data row ``i``; ``faults`` are the
    lines that are not rows; ``cell_errors[header][i]`` is a reason data row ``i``'s cell in that
    column cannot be used (Excel numbers that lost digits).  Rows read = ``num_rows + len(faults)``.
    """

    table: pa.Table
    lines: np.ndarray
    encoding: str | None = None
    faults: list[LineFault] = field(default_factory=list)
    cell_errors: dict[str, dict[int, str]] = field(default_factory=dict)
    #: what the reader left out as a whole, for the report's warnings (the other sheets of a workbook)
    notes: list[str] = field(default_factory=list)
    #: title lines above the header that were skipped (a merged title cell, "单位：万元"), as read
    title: list[str] = field(default_factory=list)
    #: merged cell ranges below the header whose value was given to every row they cover (a spreadsheet)
    merged: int = 0
    #: the field separator a CSV was read with ("," "\t" ";" "|"); None for a workbook or Parquet
    separator: str | None = None
    #: the first and last line (CSV) or spreadsheet row of a header written over two rows, else None
    header_lines: tuple[int, int] | None = None
    #: the spreadsheet rows of data rows Excel hides (by hand, or filtered out), read as the others; an ``.xlsx``
    hidden: list[int] = field(default_factory=list)
    #: whether the sheet has a filter set (自动筛选 with a condition): its hidden rows are rows it filters out
    filtered: bool = False
    #: the headers of columns Excel hides that hold a value, read as the others; an ``.xlsx``
    hidden_columns: list[str] = field(default_factory=list)
    #: how a CSV was read where not in one encoding (a GB18030 export appended to a UTF-8 one), else None
    form: str | None = None
    #: NUL bytes padding the end of a CSV (a system writing to a fixed block size), left out: no row
    padding: int = 0

    @property
    def title_unit(self) -> str | None:
        """The unit of amounts a title line declares (单位：万元 → "万元"; :func:`title_unit`)."""
        return title_unit(self.title)

    @property
    def num_rows(self) -> int:
        """Data rows read as rows (faulty lines excluded)."""
        return self.table.num_rows


# ----------------------------------------------------------------- encodings
def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise LoadError(f"unknown encoding {name!r}") from None


def detect_encoding(data: bytes) -> tuple[str, int]:
    """The encoding of a text file's bytes and the length of its byte-order mark.

    Parameters
    ----------
    data : bytes
        The file's bytes (the first megabyte decides unless it is all ASCII).

    Returns
    -------
    (str, int)
        A Python codec name (``utf-8``, ``gb18030``, ``utf-16-le`` …) and how many bytes of BOM to skip.

    Example
    -------
    >>> detect_encoding("姓名,公民身份号码\\n".encode("gbk"))
    ('gb18030', 0)
    >>> detect_encoding("标段编号,投标报价,开标日期\\n1,100,2003-04-17\\n".encode("gbk"))  # reads as Korean too
    ('gb18030', 0)
    >>> detect_encoding(codecs.BOM_UTF8 + "姓名".encode())
    ('utf-8', 3)
    """
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return name, len(bom)
    sample = data[:_SAMPLE]
    if sample.isascii() and len(data) > len(sample):
        sample = data  # nothing to tell from an ASCII start: look at the whole file
    if _is_utf8(sample) or _mostly_utf8(sample):
        return "utf-8", 0
    if _second_export(data, "gb18030") == "utf-8":  # a GBK export, a UTF-8 one after it: the first decides
        return "gb18030", 0
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import is_multi_byte_encoding

    matches = from_bytes(sample)
    best = matches.best()
    if best is not None and _codec(best.encoding) in _KOREAN and _HANJA.search(str(best)):
        # GBK's common hanzi (是 CA C7, 中 D6 D0) fall in KS X 1001's hanja rows: a Korean reading of a Chinese table
        # mixes hanja into its hangul (是 → 角), which a Korean table of today does not
        chinese = next((m for m in matches if _is_chinese(m.encoding)), None)
        best = chinese or best
    for m in matches if best is not None else ():
        # a short GBK table also reads as Korean CP949 (the byte ranges overlap), and charset-normalizer may rank
        # that first: a Chinese reading it accepted wins where it reads as a more coherent language (its language
        # model), or as coherent and with no more "chaos" (the departments write Chinese); a Korean text, whose
        # Chinese reading is more chaotic and no more coherent, stays Korean
        more = m.coherence > best.coherence
        if _is_chinese(m.encoding) and (more or (m.coherence == best.coherence and m.chaos <= best.chaos)):
            best = m
            break
    name = _codec(best.encoding) if best is not None else "gb18030"
    if best is not None and not is_multi_byte_encoding(best.encoding) and _reads_as_chinese(sample):
        # a table whose only Chinese is a few names or 男/女 among ASCII codes and dates: charset-normalizer, with
        # too little text to judge a language by, ranks a Latin code page first (cp1250, hp-roman8), and every
        # name loaded as mojibake (朱镕基 as Öě鍵ů) with nothing said
        name = "gb18030"
    if _is_chinese(name):
        name = "gb18030"  # the superset of GBK and GB2312: decodes every file they encode
    return name, 0


_WIDE = re.compile(r"[^\x00-\x7f]+")
_HIGH = re.compile(rb"[\x80-\xff]+")


def _reads_as_chinese(sample: bytes) -> bool:
    """Whether bytes a single-byte code page would also read decode wholly as GB18030 into Chinese: at least half
    of their characters that are not ASCII in GB2312 (the hanzi and the full-width punctuation of everyday text,
    which a GBK export of names is nearly all), the rest no error. A Latin-1 or CP1250 text that happens to decode
    as GB18030 gives GBK's rarer characters (an accented letter before an ASCII one: é + t is 閠), next to none of
    GB2312's, whose two bytes are both above 0xA0.

    >>> _reads_as_chinese(b"id,name\\n1,ZHANG WEI\\n2," + "朱镕基".encode("gbk") + b"\\n")
    True
    >>> _reads_as_chinese("id,name\\n1,Société Générale\\n".encode("latin-1"))
    False
    """
    wide_lines, end = [], -1  # the lines that are not ASCII: a whole file may be asked
    for m in _HIGH.finditer(sample):
        if m.start() < end:
            continue
        end = sample.find(b"\n", m.end())
        end = len(sample) if end < 0 else end
        wide_lines.append(sample[sample.rfind(b"\n", 0, m.start()) + 1 : end])
    lines = b"\n".join(wide_lines)
    try:
        text = lines.decode("gb18030")
    except UnicodeDecodeError as exc:
        if not (exc.reason == "incomplete multibyte sequence" and exc.start >= len(lines) - 3):
            return False
        text = lines[: exc.start].decode("gb18030")  # a sample cut inside a character
    wide = "".join(_WIDE.findall(text))
    if not wide:
        return False
    # GB2312's characters are two bytes of 0xA1 or more each: a "?" is one character it lacks
    rare = wide.encode("gb2312", errors="replace").count(b"?")
    return 2 * (len(wide) - rare) >= len(wide)


#: the first lines of a file looked at for a header an export in another encoding writes again
_HEAD_LINES = 7


def _second_export(data: bytes, encoding: str) -> str | None:
    """The other encoding (UTF-8 or GB18030) of an export joined after the first one of ``data`` in ``encoding``
    (``copy /b a.csv+b.csv`` of two systems' exports), told by one of the first lines (the header, a title) that is
    not ASCII written again further on in the other encoding, at the start of a line (after a byte-order mark, or
    none). ``None``: no such line. A GBK part then a UTF-8 part whose Chinese runs all hold an even number of
    characters decodes wholly as GB18030 (UTF-8's bytes pair up as GB18030's, 公民身份号码 as 鍏皯韬唤鍙风爜): no
    undecodable byte says where the second part starts, and every one of its rows had loaded as mojibake.

    >>> gbk, utf8 = "公民身份号码,姓名\\r\\n1,张三\\r\\n".encode("gbk"), "公民身份号码,姓名\\r\\n2,李四\\r\\n".encode()
    >>> _second_export(gbk + utf8, "gb18030"), _second_export(utf8 + gbk, "utf-8"), _second_export(gbk, "gb18030")
    ('utf-8', 'gb18030', None)
    """
    other = {"utf-8": "gb18030", "gb18030": "utf-8"}.get(encoding)
    if other is None:
        return None
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    for line in data[start : start + 64 * 1024].split(b"\n")[:_HEAD_LINES]:
        line = line.rstrip(b"\r")
        if line.isascii():
            continue
        try:
            again = line.decode(encoding).encode(other)
        except (UnicodeDecodeError, UnicodeEncodeError):
            continue
        at = data.find(again, start + len(line))
        while at > 0:
            if data[:at].endswith((b"\n", b"\n" + codecs.BOM_UTF8)):
                return other
            at = data.find(again, at + 1)
    return None


def _line_starts(data: bytes, line: bytes) -> list[int]:
    """The offsets of the lines of ``data`` after its first that are ``line`` (after a UTF-8 byte-order mark, or
    none; a CR before the line feed aside)."""
    out = []
    for lead in (b"\n", b"\n" + codecs.BOM_UTF8):
        at = data.find(lead + line)
        while at >= 0:
            end = at + len(lead) + len(line)
            if data[end : end + 1] in (b"", b"\n") or data[end : end + 2] in (b"\r", b"\r\n"):
                out.append(at + 1)
            at = data.find(lead + line, at + 1)
    return sorted(out)


def _part_encoding(part: bytes) -> str | None:
    """The encoding of one export's bytes: UTF-8 where at least as many of its lines that are not ASCII are valid
    UTF-8 as are GB18030 only (a line or two with a stray byte stays UTF-8 and is faulted, each at its line), GB18030
    where more are; ``None`` for a part all in ASCII. A GBK line of Chinese is next to never valid UTF-8, while a
    UTF-8 line often decodes as GB18030 too (as mojibake): UTF-8 is asked first."""
    utf8 = gbk = 0
    for line in part.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
            continue
        except UnicodeDecodeError:
            pass
        try:
            line.decode("gb18030")
            gbk += 1
        except UnicodeDecodeError:
            continue
    return "utf-8" if utf8 and utf8 >= gbk else "gb18030" if gbk else None


def _ascii_header_parts(data: bytes, encoding: str) -> list[tuple[int, str]] | None:
    """Exports joined in one file (``copy /b a.csv+b.csv``), one in UTF-8 and one in GB18030, under a header all in
    ASCII (``id_number,name,amount``: a system naming its columns in English) written again at the start of each:
    ``[(byte offset, encoding)]`` of each part from the header, in the encoding its bytes decode in
    (:func:`_part_encoding`), or ``None`` where the header is not written again or every part is in one encoding.
    The header is the same bytes in both encodings: :func:`_second_export`, which looks for a header written again
    in the other encoding, cannot tell where the second starts (every line of it had been refused as undecodable, or
    the file read in the second part's encoding with the first part's lines refused).

    >>> gbk, utf8 = "id,name\\r\\n1,张三\\r\\n".encode("gbk"), "id,name\\r\\n2,李四\\r\\n".encode()
    >>> _ascii_header_parts(gbk + utf8, "gb18030"), _ascii_header_parts(gbk + gbk, "gb18030")
    ([(0, 'gb18030'), (17, 'utf-8')], None)
    """
    if encoding not in ("utf-8", "gb18030") or data.isascii():
        return None
    for line in data[: 64 * 1024].split(b"\n")[:_HEAD_LINES]:
        line = line.rstrip(b"\r")
        if not line.isascii() or not re.search(rb"[^,\t;| ][,\t;|]", line):
            continue
        again = _line_starts(data, line)
        if again:
            break
    else:
        return None
    bounds = [0, *again, len(data)]
    parts = [(a, _part_encoding(data[a:b])) for a, b in itertools.pairwise(bounds)]
    if len({e for _, e in parts if e}) < 2:
        return None
    first = next(e for _, e in parts if e)
    return [(a, e or first) for a, e in parts]


def _is_chinese(encoding: str) -> bool:
    name = _codec(encoding)
    return name in _CHINESE or name.replace("-", "_") in _CHINESE


def _is_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # a sample (or a file) cut inside a character is still UTF-8: its last line is the fault
        return exc.reason == "unexpected end of data" and exc.start >= len(sample) - 3


#: a UTF-8 file may hold this many lines that are not UTF-8 (a stray byte typed or pasted in) and still be UTF-8
STRAY_LINES = 3


def _mostly_utf8(sample: bytes) -> bool:
    """Whether text that is not all valid UTF-8 is still a UTF-8 file with a few damaged lines: its header line is
    UTF-8, at most :data:`STRAY_LINES` lines (or one line in a thousand, for a long file) are not, and at least ten
    times as many lines hold valid multi-byte UTF-8 text (Chinese in UTF-8: the evidence; a GBK file's Chinese lines
    are nearly all invalid UTF-8). The damaged lines are then faults, each with its line and byte, rather than the
    whole file read as GB18030 (a garbled header).

    >>> body = "".join(f"{i},张{i}\\n" for i in range(40)).encode()
    >>> _mostly_utf8(b"id,name\\n" + body + b"99,\\xe9\\n"), _mostly_utf8("id,name\\n张,1\\n".encode("gbk"))
    (True, False)
    """
    lines = sample.split(b"\n")
    if len(sample) >= _SAMPLE and len(lines) > 1:
        lines = lines[:-1]  # cut by the sample's end
    bad = good = 0
    for i, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            if i == 0:
                return False
            bad += 1
            continue
        good += not line.isascii()
    return 0 < bad <= max(STRAY_LINES, len(lines) // 1000) and good >= 10 * bad


def _decoded(data: bytes, encoding: str | None) -> tuple[str, int]:
    if encoding:
        name = _codec(encoding)
        bom = next(
            (
                len(b)
                for b, n in (
                    (codecs.BOM_UTF8, "utf-8"),
                    (codecs.BOM_UTF16_LE, "utf-16"),
                    (codecs.BOM_UTF16_BE, "utf-16"),
                )
                if data.startswith(b) and name.startswith(n)
            ),
            0,
        )
        return name, bom
    return detect_encoding(data)


# ----------------------------------------------------------------- header
def _split_header(line: str, sep: str = ",") -> list[str]:
    line = line.rstrip("\r\n")
    if not line.strip():
        return []
    return [_escaped(h.strip().lstrip("\ufeff")) for h in next(csv.reader([line], delimiter=sep))]


def separator(head: str) -> str:
    """The field separator of a CSV text from its first lines (``head``): a tab where they hold more tabs than
    commas (Excel's "Unicode text" export, a ``.tsv``, a ``.csv`` saved from it), else a comma.

    >>> separator("姓名\\t住址\\n张伟\\t苏州市1号,2幢\\n"), separator("a,b\\n1,2\\n")
    ('\\t', ',')
    """
    lines = io.StringIO(head, newline="").readlines()[: MAX_TITLE + 1]
    tabs, commas = sum(x.count("\t") for x in lines), sum(x.count(",") for x in lines)
    return "\t" if tabs > commas else ","


#: at most this many title lines above a header are skipped
MAX_TITLE = 5


def _values(row) -> list[str]:
    return [str(v).strip() for v in row if v is not None and str(v).strip()]


def _title_lines(rows: list) -> int:
    """How many leading rows are a title above the header: rows holding at most one value (a merged title cell,
    "单位：万元", a date line), followed by a row of two values or more (the header). 0 when the rows after them
    hold one value too (a one-column table) or no header follows within :data:`MAX_TITLE` rows.

    >>> _title_lines([["某市2023年招标投标明细表", "", ""], ["单位：万元"], ["标段编号", "投标报价"], ["1", "98"]])
    2
    >>> _title_lines([["name"], ["张伟"], ["李娜"]]), _title_lines([["a", "b"], ["1", "2"]])
    (0, 0)
    """
    k = 0
    while k < min(len(rows), MAX_TITLE) and len(_values(rows[k])) <= 1:
        k += 1
    return k if k < len(rows) and len(_values(rows[k])) >= 2 else 0


#: a header cell → the contract column it names, or None (:func:`matcher`)
Match = Callable[[str], "str | None"]
#: a cell of a units row under a header: a unit in brackets, （万元）, (元), (%)
_UNIT_CELL = re.compile(r"^[(（][^()（）]+[)）]$")


def matcher(source: Source | None) -> Match | None:
    """The contract column a header cell names, whatever unit its bracket gives (:meth:`Source.named`)."""
    if source is None:
        return None

    def match(h: str) -> str | None:
        col = source.named(h) if h else None
        return col.name if col is not None else None

    return match


def _texts(row) -> list[str]:
    return ["" if v is None else str(v).strip().lstrip("\ufeff") for v in row]


def _two_rows(upper, lower, match: Match) -> list[str] | None:
    """The column names of a header written over two rows (``upper`` above ``lower``), or None where ``lower`` is no
    part of a header (a data row: a value under a column name that with it names no column).

    Per column: the two cells joined where they name a column together (公民身份 over 号码, a column name over its
    unit (万元) in a units row); else the lower cell where it names one, or stands under an empty cell (a group
    heading, 基本信息 or 联系方式, merged over the names of its columns); else the upper cell over an empty one (a
    name merged down over both rows).

    >>> from loaders.contracts import load_contracts
    >>> m = matcher(load_contracts()["household"])
    >>> _two_rows(["基本信息", "", "联系方式"], ["公民身份号码", "姓名", "联系电话"], m)
    ['公民身份号码', '姓名', '联系电话']
    >>> _two_rows(["公民身份", "姓名"], ["号码", ""], m), _two_rows(["公民身份号码", "姓名"], ["3205…", "张伟"], m)
    (['公民身份号码', '姓名'], None)
    """
    a, b = _texts(upper), _texts(lower)
    n = max(len(a), len(b))
    a, b = a + [""] * (n - len(a)), b + [""] * (n - len(b))
    names, used = [], False
    for x, y in zip(a, b, strict=True):
        if not y:
            names.append(x)
            continue
        if x and (match(x + y) or _UNIT_CELL.match(unicodedata.normalize("NFKC", y))):
            names.append(x + y)
        elif not x or match(y):
            names.append(y)
        else:
            return None
        used = True
    return names if used else None


def _named_columns(names: list[str], match: Match) -> int:
    return len({m for m in map(match, names) if m})


def _find_header(rows: list, match: Match | None) -> tuple[int, int, list[str]]:
    """Where the header of a table's first ``rows`` is: ``(title rows above it, header rows (1 or 2), column
    names)``.

    With a contract (``match``), the header is the row, or pair of rows (:func:`_two_rows`), among the first
    :data:`MAX_TITLE` + 2 that names the most of its columns; on a tie the first (the header written again lower
    down is a row of the table), and of those starting there or a row below, the one reaching lower (a units row
    under the names is part of the header), then one row over two (a group heading row above the names is a title
    line).
    The rows above it are title lines, whatever they hold (填报单位：某某局 and 填报日期：2024-05-01 in two cells).
    Where no row names a column, and without a contract: the first row after the title lines of one value
    (:func:`_title_lines`), so that the missing-column error shows what the file has.

    >>> from loaders.contracts import load_contracts
    >>> m = matcher(load_contracts()["household"])
    >>> rows = [["某区户籍登记表"], ["填报单位：某某局", "", "填报日期：2024-05-01"], ["姓名", "公民身份号码"]]
    >>> rows += [["张伟", "3"]]
    >>> _find_header(rows, m), _find_header(rows, None)
    ((2, 1, ['姓名', '公民身份号码']), (1, 1, ['填报单位：某某局', '', '填报日期：2024-05-01']))
    """
    best = None
    if match is not None:
        cands = []
        for k in range(min(len(rows), MAX_TITLE + 1)):
            found = [(1, _texts(rows[k]))]
            if k + 1 < len(rows) and (two := _two_rows(rows[k], rows[k + 1], match)):
                found.append((2, two))
            for h, names in found:
                if named := _named_columns(names, match):
                    cands.append((named, k, h, names))
        if cands:
            most = max(c[0] for c in cands)
            first = min(c[1] for c in cands if c[0] == most)
            # the header written again further down (an export printed page by page) is a row of the table, not
            # the header: only the candidates where the first one starts (or the row below it) are compared
            near = [c for c in cands if c[0] == most and c[1] <= first + 1]
            best = max(near, key=lambda c: (c[1] + c[2], -c[2]))
    if best is not None:
        return best[1], best[2], best[3]
    k = _title_lines(rows)
    return k, 1, _texts(rows[k]) if k < len(rows) else []


def title_unit(title: list[str]) -> str | None:
    """The unit of amounts a table's title lines declare ("单位：万元", "金额单位:元", "（单位：万元）"), else None.

    >>> title_unit(["某市2023年采购合同台账", "单位：万元"]), title_unit(["某市2023年采购合同台账"])
    ('万元', None)
    """
    for line in title:
        m = re.search(r"单位\s*[:：]\s*(百万元|千元|万元|亿元|元)", unicodedata.normalize("NFKC", line))
        if m:
            return m.group(1)
    return None


def is_workbook(path: Path) -> bool:
    """Whether ``path`` (an ``.xlsx`` or ``.xls`` by its name) holds a workbook, or text a reporting system saved
    under that name: a tab- or comma-separated table, read as one (False). A web page (an HTML table: many systems'
    "导出Excel") or an XML Spreadsheet 2003 raises :class:`LoadError` saying what it is and how to save it, where
    the reader had failed on "Invalid OLE (signature \\x3c\\x68…)". Any other name: False."""
    if path.suffix.lower() not in (".xlsx", ".xls"):
        return False
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or not head:  # zip (.xlsx) or OLE (.xls)
        return True
    name, bom = detect_encoding(head)
    text = head[bom:].decode(name, errors="replace").lstrip().lower()
    if text.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or "<table" in text:
        raise LoadError(
            "a web page (an HTML table) saved under an Excel name, not a workbook: open it in Excel or WPS and "
            "save it as .xlsx (or CSV), then load that"
        )
    if text.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise LoadError("an XML Spreadsheet 2003, not a workbook: open it in Excel or WPS and save it as .xlsx")
    if "\x00" in text:  # binary of some other kind: the workbook reader says what it is not
        return True
    return False


def read_header(
    path: Path, *, encoding: str | None = None, sheet: str | None = None, source: Source | None = None
) -> tuple[list[str], str | None]:
    """Column headers of a table file (without reading the rows) and the encoding it is read with (``sheet``: the
    worksheet of a workbook, default the first; ``source``: the contract whose column names find the header row,
    :func:`_find_header`, and a ``;`` or ``|`` separator, :func:`_csv_head`).

    Raises
    ------
    LoadError
        The file cannot be read; the message names it (and never prints an identifier).
    """
    path = Path(path)
    try:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names), None
        if is_workbook(path):
            return list(_xls_rows(path, header_only=True, sheet=sheet, match=matcher(source))[0]), None
        with path.open("rb") as fh:
            head = fh.read(_SAMPLE)
        name, bom = _decoded(head, encoding) if encoding else detect_encoding(head)
        if not encoding and head.isascii() and len(head) == _SAMPLE:
            name, bom = detect_encoding(path.read_bytes())
        text = head[bom:].decode(name, errors="replace")
        return _csv_head(text[: 64 * 1024], matcher(source)).names, name
    except LoadError as exc:
        raise LoadError(f"{path}: {exc}") from None
    except Exception as exc:  # every reader raises its own types
        raise LoadError(f"{path}: cannot read the file ({type(exc).__name__}: {mask_text(exc)})") from exc


# ----------------------------------------------------------------- CSV
class _Faulty(Exception):
    """Arrow's fast reader met a line it cannot take: read the file line by line."""


def _fast_csv(utf8: bytes, names: list[str], sep: str = ",") -> pa.Table:
    """Arrow's parser, when every line is a row: else :class:`_Faulty`."""
    import pyarrow.csv as pacsv

    # a quote opened on the last line and never closed is read to the end of the file (with the final line
    # break, if any, in its value) and leaves the row count right: an odd number of quote marks sends the file
    # to the careful reader, which faults that line (a value spanning lines elsewhere changes the count)
    if utf8.count(b'"') % 2:
        raise _Faulty("unbalanced quote")
    # a line of separators only (``,,,,,``: an empty spreadsheet row saved as CSV) is a blank line, which Arrow
    # would read as a row of empty values: the careful reader leaves it out as it leaves out an empty line
    s, blank = re.escape(sep.encode()), rb'[ \t"' + re.escape(sep.encode()) + rb"]*"
    if re.search(rb"\n" + blank + s + blank + rb"\r?(?:\n|$)", utf8):
        raise _Faulty("separator-only line")
    last = utf8[utf8.rfind(b"\n", 0, len(utf8) - 1) + 1 :]
    try:  # a file cut inside a character
        last.decode("utf-8")
    except UnicodeDecodeError:
        raise _Faulty("not UTF-8 at the end") from None
    faults: list[object] = []

    def handler(row) -> str:
        faults.append(row)
        return "skip"

    # Arrow hands a bad line to the handler as text: a bad line that is not UTF-8 fails before the handler
    # runs, as an "unraisable" exception; it means the same: read line by line
    hook = sys.unraisablehook
    sys.unraisablehook = faults.append
    # a Ctrl-C during the read is Python's, raised as it ends (ctrl_c_recorded: read_csv put pyarrow's own SIGINT
    # handler in place of Python's for the read, which dropped one that landed as the read ended, in every command
    # that reads a table: load, collusion train, score-bids, adapt); in a load, the load's own, raised where it asks
    try:
        with ctrl_c_recorded():
            tbl = pacsv.read_csv(
                pa.BufferReader(utf8),
                # a row longer than a block fails ("straddles two block boundaries"): so does any oversized field
                read_options=pacsv.ReadOptions(
                    encoding="utf8", column_names=names, skip_rows=1, block_size=max(MAX_FIELD, 1 << 10)
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True, invalid_row_handler=handler),
            )
    except (pa.ArrowException, UnicodeDecodeError) as exc:
        raise _Faulty(str(exc)) from None
    finally:
        sys.unraisablehook = hook
    if faults:
        raise _Faulty("invalid rows")
    # each line a row: line breaks inside values or blank lines would shift the line numbers
    lines = utf8.count(b"\n") + (0 if utf8.endswith(b"\n") else 1)
    if tbl.num_rows != lines - 1:
        raise _Faulty("line numbers")
    return tbl


def _shown(text: str) -> str:
    text = _escaped(text.rstrip("\r\n"))
    return text if len(text) <= _SHOWN else text[:_SHOWN] + f"… ({len(text.encode('utf-8', 'replace')):,} bytes)"


def _careful_csv(
    text: str, names: list[str], encoding: str, sep: str = ","
) -> tuple[pa.Table, np.ndarray, list[LineFault]]:
    """Read line by line: faulty lines out, every other line in."""
    lines = io.StringIO(text, newline="").readlines()
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 8 * MAX_FIELD))  # oversized fields are measured below, not refused by csv
    try:
        return _careful_lines(lines, names, encoding, sep)
    finally:
        csv.field_size_limit(limit)


def _careful_lines(
    lines: list[str], names: list[str], encoding: str, sep: str = ","
) -> tuple[pa.Table, np.ndarray, list[LineFault]]:
    ncols = len(names)
    rows: list[list[str]] = []
    where: list[int] = []
    faults: list[LineFault] = []
    # the last line refused for its count of fields, its fault and that count: with the next, one broken record?
    short, short_fields = None, 0
    i = 1  # lines[0] is the header
    asked = 0  # the line at which a Ctrl-C was last looked for: a load stops between blocks of lines
    while i < len(lines):
        if i - asked >= 20_000:
            ctrl_c_check()
            asked = i
        start = i
        line = lines[i]
        if not line.strip() or _separators_only(line, sep):
            i += 1
            continue
        record, fields, error = line, None, None
        span = 1
        whole = False  # the next line is a record of its own: the quote is not a value going on
        joined = ""
        while True:
            try:
                fields = next(csv.reader(io.StringIO(record, newline=""), strict=True, delimiter=sep), [])
                error = None
                break
            except csv.Error as exc:
                error = str(exc)
                if (
                    "unexpected end of data" not in error
                    or span >= MAX_SPAN
                    or start + span >= len(lines)
                    or len(record) > 2 * MAX_FIELD
                ):
                    break
                whole = _whole_record(lines[start + span], names, sep)
                if whole:
                    break
                record += lines[start + span]  # a quoted value going on on the next line
                span += 1
        if error is None and span > 1 and len(fields) != ncols and _fitted(fields, names) is None:
            # the quote closed lines later, but the joined lines are no record: the quote that opened on the
            # first line is the fault, and each line after it is judged on its own (a record that fits the header
            # as a line does, its empty trailing fields aside, is one: under ``联系电话,,`` it had been refused)
            error, joined = (
                "unexpected end of data",
                f" on its line (joined with the next {span - 1} it holds {len(fields)} fields, not {ncols})",
            )
        if error is not None:
            unbalanced = "unexpected end of data" in error
            faults.append(
                LineFault(
                    start + 1,
                    "",
                    _shown(line),
                    "unbalanced quote: a quoted value is never closed"
                    + (" on its line (the next line is a record of its own)" if whole else joined)
                    if unbalanced
                    else _badly_quoted(error),
                )
            )
            i = start + 1  # only the line that opened the quote is lost
            continue
        i = start + span
        if "\udc00" <= max(record) and _MARKED.search(record):
            faults.append(LineFault(start + 1, "", _shown(record), _undecodable(record, encoding)))
            continue
        if len(fields) != ncols:
            fit = _fitted(fields, names) or _layout_line(fields, ncols)
            if fit is None and _header_again(lines[i] if i < len(lines) else "", names, sep):
                # a page's title above the header written again (two exports, or pages, run together)
                faults.append(
                    LineFault(
                        start + 1, "", _shown(record), "a title line above the header written again, not a record"
                    )
                )
                continue
            if fit is None:
                why = f"{len(fields)} fields where the header has {ncols}"
                if faults and short == (start, faults[-1]) and short_fields + len(fields) - 1 == ncols:
                    # one record broken over two lines by a line break inside a value that was not quoted
                    join = "a line break inside a value that was not quoted: quote the value, or join the two lines"
                    faults[-1] = replace(faults[-1], reason=f"{faults[-1].reason}; with line {start + 1} it makes one "
                                         f"record ({join})")  # fmt: skip
                    why += f"; with line {start} it makes one record ({join})"
                faults.append(LineFault(start + 1, "", _shown(record), why))
                short, short_fields = (start + 1, faults[-1]), len(fields)
                continue
            fields = fit
        big = next((j for j, f in enumerate(fields) if len(f) > MAX_FIELD // 4 and len(f.encode()) > MAX_FIELD), None)
        if big is not None:
            size = len(fields[big].encode())
            faults.append(
                LineFault(
                    start + 1,
                    names[big],
                    _shown(record),
                    f"field of {size:,} bytes, longer than the {MAX_FIELD:,} bytes a field may hold",
                )
            )
            continue
        rows.append(fields)
        where.append(start + 1)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    tbl = pa.Table.from_arrays([pa.array(list(c), pa.string()) for c in columns], names=names)
    return tbl, np.asarray(where, dtype=np.int64), faults


def _badly_quoted(error: str) -> str:
    """A line's quoting fault in words: Python's csv says ``'<sep>' expected after '"'`` (a raw tab in the reason)
    for a quote inside a quoted value that is not doubled.

    >>> _badly_quoted("',' expected after '\\"'").split(": ")[1]
    'a quote inside a quoted value is not doubled ("" for one), so text follows the quote that closes it'
    """
    if re.fullmatch(r"'.' expected after '\"'", error, flags=re.S):
        return (
            'badly quoted field: a quote inside a quoted value is not doubled ("" for one), so text follows the '
            "quote that closes it"
        )
    return f"badly quoted field ({error})"


def _separators_only(line: str, sep: str) -> bool:
    """Whether ``line`` holds separators, blanks and empty quotes only (``,,,,``, ``"","",``): a spreadsheet's empty
    row saved as CSV, a blank line like an empty one, not a record with every value missing."""
    return sep in line and not line.strip().replace(sep, "").replace('"', "").strip()


def _fitted(fields: list[str], names: list[str]) -> list[str] | None:
    """A line's ``fields`` fitted to the header's ``names`` where they differ only by empty fields at the end: a line
    with more fields whose extra ones are empty (``…,139,,``: a blank merged cell Excel wrote a comma for), or one with
    fewer under a header whose last names are empty (a header cell merged over three columns, ``联系电话,,``). None
    where a value or a column name would be lost.

    >>> _fitted(["1", "张", "", ""], ["id", "name"]), _fitted(["1"], ["id", "", ""]), _fitted(["1", "x"], ["id"])
    (['1', '张'], ['1', '', ''], None)
    """
    n = len(names)
    if len(fields) > n and not any(f.strip() for f in fields[n:]):
        return fields[:n]
    if len(fields) < n and not any(h.strip() for h in names[len(fields) :]):
        return fields + [""] * (n - len(fields))
    return None


def _layout_line(fields: list[str], ncols: int) -> list[str] | None:
    """A short line that is a notes or a totals line under the table, padded to the header's ``ncols`` fields; None
    for any other line. ``制表人：张三`` alone on a line (a CSV written by a program that drops the empty fields after
    the last value) is the row a workbook holds as one cell and empty ones after it: read the same way, a notes row
    (:func:`footer_rows`) or a totals row (:func:`totals_rows`) that :func:`layout_rows` names, not a broken record.

    >>> _layout_line(["制表人：张三"], 4), _layout_line(["合计", "1200"], 3), _layout_line(["T9", "100"], 3)
    (['制表人：张三', '', '', ''], ['合计', '1200', ''], None)
    """
    if len(fields) >= ncols:
        return None
    cells = [unicodedata.normalize("NFKC", f) for f in fields if f.strip()]
    if not cells:
        return None
    note = all(re.match(FOOTER, c) for c in cells)  # every value a note, as footer_rows reads a row
    total = any(totals_word(c) for c in cells)  # a totals cell, as totals_rows reads one
    return fields + [""] * (ncols - len(fields)) if note or total else None


def _header_again(line: str, names: list[str], sep: str = ",") -> bool:
    """Whether ``line`` writes the header ``names`` again (NFKC, whitespace and a byte-order mark aside).

    >>> _header_again(" 姓名 ,电话\\r\\n", ["姓名", "电话"]), _header_again("张三,139\\n", ["姓名", "电话"])
    (True, False)
    """

    def bare(v: str) -> str:
        return re.sub(r"[\s\ufeff]", "", unicodedata.normalize("NFKC", v))

    try:
        fields = next(csv.reader(io.StringIO(line, newline=""), delimiter=sep), [])
    except csv.Error:
        return False
    return len(names) > 1 and [bare(f) for f in fields] == [bare(n) for n in names]


def _whole_record(line: str, names: list[str], sep: str = ",") -> bool:
    """Whether ``line`` on its own is a complete record of the header's ``names`` (no quote left open; empty
    fields at the end aside, as :func:`_fitted` fits a line).

    A quoted value may hold line breaks (RFC 4180: an address on two lines), and the lines it goes on to are
    fragments (``2幢101室",138…``: two fields of six). A line that is a whole record is a row of its own: a quote
    left open on the line above must not swallow it (its fields would slide into the open value, the next closing
    quote lines later ending one row that mixes several persons). Tables of one or two columns are exempt: any
    fragment is a whole record there."""
    ncols = len(names)
    if ncols < 3 or not line.strip():
        return False
    try:
        fields = next(csv.reader(io.StringIO(line, newline=""), strict=True, delimiter=sep), [])
    except csv.Error:
        return False
    return len(fields) == ncols or _fitted(fields, names) is not None


#: the separators other than the comma and the tab read where the contract's column names say so
OTHER_SEPARATORS = (";", "|")


@dataclass(frozen=True)
class _Head:
    """Where a CSV text's header is (:func:`_csv_head`)."""

    sep: str
    title: int  # title lines above the header
    rows: int  # lines the header takes (1, or 2: :func:`_two_rows`)
    names: list[str]
    title_lines: list[str]  # the title lines' values, each line's joined by a space

    @property
    def skip(self) -> int:
        """Lines before the header's last line (the line the parsers take as the header)."""
        return self.title + self.rows - 1


def _csv_head(first: str, match: Match | None = None) -> _Head:
    """The separator, title lines and header of a CSV text from its first lines (``first``).

    Without a contract (``match``): a tab or a comma (:func:`separator`), the header below the title lines of one
    value each (:func:`_title_lines`). With one, the header is found by the contract's column names
    (:func:`_find_header`), and a semicolon or a pipe (:data:`OTHER_SEPARATORS`) is the separator where it splits a
    header into more of the contract's columns than the comma (or tab) does. (``csv.Sniffer`` gives up on the
    files here: "Could not determine delimiter" for a ``;`` file with a title line above its header.)

    >>> from loaders.contracts import load_contracts
    >>> h = _csv_head("某区户籍登记表\\n姓名;公民身份号码\\n张伟;3\\n", matcher(load_contracts()["household"]))
    >>> h.sep, h.title, h.names, _csv_head("姓名;公民身份号码\\n张伟;3\\n").sep
    (';', 1, ['姓名', '公民身份号码'], ',')
    """
    lines = io.StringIO(first, newline="").readlines()[: MAX_TITLE + 2]
    best = None
    for sep in (separator(first), *(OTHER_SEPARATORS if match is not None else ())):
        rows = [_split_header(x, sep) for x in lines]
        k, h, names = _find_header(rows, match)
        if h == 2:  # the lower line's fields (a group heading's line may run on with empty fields)
            names = names[: len(rows[k + 1])]
        score = _named_columns(names, match) if match is not None else 0
        if best is None or score > best[0]:
            title = [" ".join(_values(r)) for r in rows[:k] if _values(r)]
            best = (score, _Head(sep, k, h, names, title))
    return best[1]


def _lf_lines(text: _Text) -> _Text:
    """``text`` with each line ended by a line feed where every line ends with a CR alone (old Mac files): each CR
    ends a line, so the line numbers stay those of the file. Any other text is returned as it is (a CR alone in a
    file of LF or CRLF line ends is a line end to the careful reader too).

    >>> _lf_lines("a,b\\r1,2\\r"), _lf_lines(b"a,b\\r\\n1,2\\r\\n")
    ('a,b\\n1,2\\n', b'a,b\\r\\n1,2\\r\\n')
    """
    cr, lf = ("\r", "\n") if isinstance(text, str) else (b"\r", b"\n")
    return text.replace(cr, lf) if cr in text and lf not in text else text  # type: ignore[arg-type]


def _without_eof_mark(text: _Text) -> _Text:
    """``text`` without a DOS end-of-file mark (Ctrl-Z, 0x1A) at its end, alone or followed by line breaks: old
    DOS and Windows tools end a file with it; it is no row.

    >>> _without_eof_mark("a,b\\r\\n1,2\\r\\n\\x1a"), _without_eof_mark(b"a,b\\n1,2\\n\\x1a\\n")
    ('a,b\\r\\n1,2\\r\\n', b'a,b\\n1,2\\n')
    """
    eof, breaks = ("\x1a", "\r\n") if isinstance(text, str) else (b"\x1a", b"\r\n")
    body = text.rstrip(breaks)  # type: ignore[arg-type]
    return body.rstrip(eof) if body.endswith(eof) else text  # type: ignore[arg-type]


def _without_nul_padding(data: bytes) -> tuple[bytes, int]:
    """``data`` without the NUL bytes that pad its end (a system writing a file to a fixed block size, a copy cut
    short and padded), and how many: no row, where they had been one line quarantined ("1 fields where the header
    has 6"). A NUL inside a line is the cell's (:data:`loaders.validate.INVISIBLE` takes it out); a UTF-16 or
    UTF-32 file's own zero bytes at its end are given back by :func:`_unit_aligned`.

    >>> _without_nul_padding(b"a,b\\r\\n1,2\\r\\n" + bytes(6)), _without_nul_padding(b"a,b\\n")
    ((b'a,b\\r\\n1,2\\r\\n', 6), (b'a,b\\n', 0))
    """
    if not data.endswith(b"\x00"):
        return data, 0
    body = data.rstrip(b"\x00")
    return body, len(data) - len(body)


def _unit_aligned(data: bytes, padding: int, encoding: str) -> tuple[bytes, int]:
    """``data`` with the zero bytes :func:`_without_nul_padding` took that belong to its last character given back
    (a UTF-16-LE line feed is ``0A 00``), and the padding less them.

    >>> _unit_aligned(b"\\xff\\xfea\\x00\\n", 7, "utf-16-le"), _unit_aligned(b"a\\n", 6, "utf-8")
    ((b'\\xff\\xfea\\x00\\n\\x00', 6), (b'a\\n', 6))
    """
    unit = 4 if "32" in encoding else 2 if "16" in encoding else 1
    short = min(-len(data) % unit, padding)
    return data + bytes(short), padding - short


def _plain(text: _Text) -> _Text:
    """A CSV text as the parsers take it: no end-of-file mark (:func:`_without_eof_mark`), LF line ends for a file
    of CR-ended lines (:func:`_lf_lines`)."""
    return _lf_lines(_without_eof_mark(text))


def _read_csv(path: Path, encoding: str | None, match: Match | None = None) -> RawTable:
    data, padding = _without_nul_padding(path.read_bytes())
    name, bom = _decoded(data, encoding)
    if padding and encoding is None and not bom and len(data) % 2:
        # UTF-16-LE with no byte-order mark (a system's "Unicode" export) ends in its line feed's zero byte, which
        # the padding took: the bytes left, one short of whole characters, had been read as GB18030 (every row
        # quarantined, the header mojibake)
        wide, _ = detect_encoding(data + b"\x00")
        name = wide if wide.startswith(("utf-16", "utf-32")) else name
    data, padding = _unit_aligned(data, padding, name)
    text = None
    form = None
    # exports in UTF-8 and GB18030 joined under a header in ASCII, the same bytes in both: each part read in its own
    parts = _ascii_header_parts(data[bom:], name) if encoding is None else None
    # a UTF-8 export after a GBK one may decode as GB18030 with no byte left over (a GBK part after a UTF-8 one
    # does not: its bytes are marked, below); looked for in GB18030 files only (one search of the bytes)
    joined = _second_export(data, name) if name == "gb18030" and not parts else None
    if parts:
        utf8 = None
        body = data[bom:]
        ends = [a for a, _ in parts[1:]] + [len(body)]
        text = _plain(
            "".join(body[a:b].decode(e, errors="graphkit-mark") for (a, e), b in zip(parts, ends, strict=True))
        )
        name = parts[0][1]
        later = [(body.count(b"\n", 0, a) + 1, e) for a, e in parts[1:] if e != name]
        other = later[0][1]
        form = (
            f"exports joined in two encodings: {other} from line(s) {', '.join(str(n) for n, _ in later)} (the "
            f"header written again, in ASCII: the lines after it decode as {other} only), {name} before"
        )
    elif joined:
        utf8 = None
    elif name == "utf-8":
        utf8 = _plain(data)  # Arrow skips a UTF-8 BOM itself: no copy of the file without it
    else:
        try:
            text = _plain(data[bom:].decode(name))
            utf8 = text.encode("utf-8")
        except UnicodeDecodeError:
            utf8 = None
    if utf8 is not None:
        head = _csv_head(utf8[: 64 * 1024].decode("utf-8", errors="replace").lstrip("\ufeff"), match)
        off = 0
        for _ in range(head.skip):  # the header's last line is line skip + 1: Arrow reads from there
            off = utf8.index(b"\n", off) + 1
        try:
            tbl = _fast_csv(utf8[off:], head.names, head.sep)
            first = 2 + head.skip
            lines = np.arange(first, tbl.num_rows + first, dtype=np.int64)
            return RawTable(tbl, lines, name, padding=padding, **_csv_said(head))
        except _Faulty:
            pass
    if text is None:
        text = _plain(data[bom:].decode(name, errors="graphkit-mark"))
    head = _csv_head(text[: 64 * 1024], match)
    if head.skip:
        text = "".join(io.StringIO(text, newline="").readlines()[head.skip :])
    other = {"utf-8": "gb18030", "gb18030": "utf-8"}.get(name)
    if other and not parts and (joined or _MARKED.search(text)):
        text, starts = _appended_export(text, head.names, head.sep, name, other)
        if starts:
            form = (
                f"exports joined in two encodings: {other} from line(s) "
                + ", ".join(str(n + head.skip) for n in starts)
                + f" (the header written again in {other}), {name} before"
            )
    tbl, lines, faults = _careful_csv(text, head.names, name, head.sep)
    if head.skip:
        lines = lines + head.skip
        faults = [LineFault(f.line + head.skip, f.column, f.value, f.reason) for f in faults]
    return RawTable(tbl, lines, name, faults, form=form, padding=padding, **_csv_said(head))


def _unmarked(text: str, encoding: str) -> bytes:
    """The bytes ``text`` was decoded from in ``encoding``, each byte :func:`_mark_undecodable` marked as it was
    (an ASCII byte too, which ``surrogateescape`` cannot give back).

    >>> _unmarked("张" + chr(0xDCB7) + chr(0xDC2C) + "1", "gb18030")
    b'\\xd5\\xc5\\xb7,1'
    """
    return b"".join(
        bytes([ord(part) - 0xDC00]) if _MARKED.fullmatch(part) else part.encode(encoding)
        for part in re.split("([\udc00-\udcff])", text)
        if part
    )


def _appended_export(
    text: str, names: list[str], sep: str = ",", encoding: str = "utf-8", other: str = "gb18030"
) -> tuple[str, list[int]]:
    """A file in ``encoding`` with an export in ``other`` appended to it (``copy /b a.csv+b.csv`` of two systems'
    exports, UTF-8 and GB18030 either way round): ``text`` (decoded as ``encoding``, bytes that are not marked)
    with the lines of each part in ``other`` read in it, and the lines (the header line is 1) where such a part
    starts. A part starts at a line that reads in ``other`` as the header written again, and ends at the header
    written again in ``encoding``: every line of it had been refused as
    "undecodable bytes". A line marked elsewhere stays marked (one bad byte quarantines its line, as before)."""
    lines = io.StringIO(text, newline="").readlines()
    starts, part = [], False
    for i, line in enumerate(lines):
        if i and _header_again(line, names, sep):  # the header again in the file's encoding: a part of it
            part = False
            continue
        # a line of the other export may read as text in this encoding too (UTF-8 read as GB18030: 鍏皯韬): any
        # line with the header's fields is asked whether it is the header in the other encoding
        if not (part or _MARKED.search(line) or line.count(sep) == len(names) - 1):
            continue
        try:
            read = _unmarked(line, encoding).decode(other)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if not part and _header_again(read, names, sep):
            part = True
            starts.append(i + 1)
        if part:
            lines[i] = read
    return ("".join(lines), starts) if starts else (text, [])


def _csv_said(head: _Head) -> dict:
    """What a CSV's reader says of its layout: title lines, separator, the lines of a header of two."""
    return {
        "title": head.title_lines,
        "separator": head.sep,
        "header_lines": (head.title + 1, head.title + 2) if head.rows == 2 else None,
    }


# ----------------------------------------------------------------- Excel
@dataclass(frozen=True)
class Sheet:
    """A worksheet of a workbook: its title, header and number of data rows (rows after the header that hold a
    value), and whether Excel hides it (hidden or very hidden: never read, named in the notes)."""

    title: str
    header: tuple[str, ...]
    rows: int
    hidden: bool = False


def _header_of(first: tuple) -> list[str]:
    header = ["" if h is None else str(h).strip() for h in first]
    while header and not header[-1]:
        header.pop()
    return header


def sheets(path: Path, source: Source | None = None) -> list[Sheet]:
    """The worksheets of an ``.xlsx`` or ``.xls`` file in order (a CSV or Parquet file: one unnamed sheet); each
    sheet's header found by the column names of ``source``, a contract, where given (:func:`_find_header`).

    Example
    -------
    >>> import openpyxl, tempfile
    >>> wb = openpyxl.Workbook(); wb.active.title = "2023"; wb.active.append(["标段编号", "投标报价"])
    >>> wb.active.append(["1", 100]); p = Path(tempfile.mkdtemp()) / "b.xlsx"; wb.save(p)
    >>> sheets(p)
    [Sheet(title='2023', header=('标段编号', '投标报价'), rows=1, hidden=False)]
    """
    path = Path(path)
    if not is_workbook(path):
        return [Sheet("", (), -1)]
    with _workbook(path, xls=_legacy(path)) as wb:
        return _sheets(path, wb, matcher(source))


def _sheets(path: Path, wb, match: Match | None = None) -> list[Sheet]:
    hidden = _hidden_titles(wb)
    out = []
    for title in wb.sheet_names:
        header, rows, *_ = _xls_rows(path, sheet=title, book=wb, match=match)
        out.append(Sheet(title, tuple(header), len(rows), title in hidden))
    return out


def _hidden_titles(wb) -> set[str]:
    """The titles of a workbook's hidden and very hidden sheets (python-calamine's sheet metadata, ``.xlsx`` and
    ``.xls`` alike)."""
    from python_calamine import SheetVisibleEnum

    return {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}


def _first_visible(wb) -> str:
    """The title of a workbook's first sheet Excel shows (its first sheet where all are hidden)."""
    hidden = _hidden_titles(wb)
    return next((t for t in wb.sheet_names if t not in hidden), wb.sheet_names[0])


def _legacy(path: Path) -> bool:
    """Whether a workbook is a legacy ``.xls`` (not a zip, whatever its name), read by xlrd alone: its sheets listed
    and its header found by the reader that reads its rows (:func:`_workbook`)."""
    import zipfile

    return not zipfile.is_zipfile(path)


class _Kept(threading.local):
    depth = 0  # how many :func:`one_parse` are open (in this thread)
    key: tuple | None = None  # the file of the legacy .xls kept: (path, size, time written)
    book = None  # its xlrd book, its sheets as parsed


_KEPT = _Kept()


@contextlib.contextmanager
def one_parse():
    """Within it, the legacy ``.xls`` last opened by xlrd is kept open, its sheets as parsed, so a load that lists its
    sheets, finds each sheet's header and reads its rows parses the file once (xlrd parses a sheet of 60,000 rows in
    half a CPU second); released at its end or when another workbook is opened. Usable as a decorator."""
    _KEPT.depth += 1
    try:
        yield
    finally:
        _KEPT.depth -= 1
        if not _KEPT.depth:
            _release_kept()


def _release_kept() -> None:
    if _KEPT.book is not None:
        _KEPT.book.release_resources()
    _KEPT.key = _KEPT.book = None


@contextlib.contextmanager
def _workbook(path: Path, *, xls: bool = False):
    """A workbook opened once for every sheet read of it, closed after: by python-calamine, or with ``xls`` a legacy
    ``.xls`` by xlrd alone (:class:`_XlsBook`), whose cells' formats, hidden rows and filter python-calamine does not
    give, so the file is parsed once, not by both (calamine where xlrd cannot read it, with why: :class:`_Said`);
    within :func:`one_parse`, kept open for the next reading of the same file."""
    from python_calamine import CalamineWorkbook

    said: list[str] = []
    if xls:
        st = Path(path).stat()
        key = (str(Path(path).resolve()), st.st_size, st.st_mtime_ns)
        if _KEPT.depth and _KEPT.key == key:
            yield _XlsBook(_KEPT.book)
            return
        book = _xlrd_book(path, said)
        if book is not None:
            if _KEPT.depth:
                _release_kept()
                _KEPT.key, _KEPT.book = key, book
                yield _XlsBook(book)
                return
            try:
                yield _XlsBook(book)
            finally:
                book.release_resources()
            return
    wb = CalamineWorkbook.from_path(str(path))
    try:
        yield _Said(wb, said) if xls else wb
    finally:
        wb.close()


class _Said:
    """python-calamine's workbook of an ``.xls`` xlrd could not read, and why (``said``)."""

    def __init__(self, wb, said: list[str]) -> None:
        self._wb, self.said = wb, said

    def __getattr__(self, name: str):
        return getattr(self._wb, name)


def _xlrd_book(path: Path, said: list[str]):
    """A legacy ``.xls`` opened by xlrd with its formatting information (cell formats, hidden rows, merged cells), its
    sheets read on demand; ``None`` where xlrd cannot read it (``said`` then gets why)."""
    import xlrd

    try:
        return xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError, KeyError, IndexError, struct_error) as exc:
        said.append(f"xlrd: {exc}")
        return None


@dataclass
class _XlsSheetMeta:
    name: str
    visible: object


class _XlsSheet:
    """A sheet of :class:`_XlsBook` as python-calamine shows one: its cells as Python values (text, a float, a bool,
    a date or time for a date cell, an error as Excel writes it, ``""`` for an empty cell)."""

    def __init__(self, book, ws) -> None:
        self.book, self.ws, self.name, self.start = book, ws, ws.name, (0, 0)
        # xlrd: (first row, row after the last, first column, column after the last); calamine: inclusive corners
        self.merged_cell_ranges = [((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in ws.merged_cells]

    def to_python(self, skip_empty_area: bool = False):
        import xlrd

        ws, mode = self.ws, self.book.datemode
        # the cells as converted, kept with the book: a load's listing, header and read of one sheet convert it once
        # (a book kept open by :func:`one_parse`; the rows are new lists each time)
        kept = self.book.__dict__.setdefault("_graphkit_columns", {})
        if ws.name in kept:
            cols = kept[ws.name]
            return [list(row) for row in zip(*cols, strict=True)] if cols else [[] for _ in range(ws.nrows)]
        empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
        special = {xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR}
        half = timedelta(microseconds=500_000)
        cols = []
        for c in range(ws.ncols):  # column by column: most hold text and numbers only, taken as xlrd gives them
            values, types = ws.col_values(c), ws.col_types(c)
            if not special.isdisjoint(types):
                values = list(values)
                for r, t in enumerate(types):
                    if t in empty or t == xlrd.XL_CELL_TEXT or t == xlrd.XL_CELL_NUMBER:
                        continue
                    v = values[r]
                    if t == xlrd.XL_CELL_DATE:
                        try:
                            d = xlrd.xldate.xldate_as_datetime(v, mode)
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            continue  # a number a date format cannot show: the number
                        d = (d + half).replace(microsecond=0)  # 08:29:59.999997 of a float day: 08:30:00, as shown
                        values[r] = d.time() if 0 <= v < 1 else d
                    elif t == xlrd.XL_CELL_BOOLEAN:
                        values[r] = bool(v)
                    elif t == xlrd.XL_CELL_ERROR:
                        values[r] = xlrd.error_text_from_code.get(v, "#N/A")
            cols.append(values)
        kept[ws.name] = cols
        # rows as wide as the sheet, an empty cell "", as calamine gives them
        return [list(row) for row in zip(*cols, strict=True)] if cols else [[] for _ in range(ws.nrows)]


class _XlsBook:
    """A legacy ``.xls`` opened by xlrd (:func:`_xlrd_book`), shown as python-calamine's workbook to the code that
    reads a sheet's rows (:func:`_xls_rows`), and its xlrd ``book`` for what calamine does not say
    (:func:`_xls_sheet_info`)."""

    def __init__(self, book) -> None:
        from python_calamine import SheetVisibleEnum

        self.book = book
        self.sheet_names = book.sheet_names()
        shown = {0: SheetVisibleEnum.Visible, 1: SheetVisibleEnum.Hidden}
        self.sheets_metadata = [
            _XlsSheetMeta(n, shown.get(v, SheetVisibleEnum.VeryHidden))
            for n, v in zip(self.sheet_names, book._sheet_visibility, strict=True)
        ]

    def get_sheet_by_name(self, name: str) -> _XlsSheet:
        return _XlsSheet(self.book, self.book.sheet_by_name(name))


def sheet_parts(
    path: Path, column, source: Source | None = None
) -> tuple[list[tuple[str, str | None]], list[str], list[str]]:
    """The sheets of a workbook to read one by one, as ``(name in the report, sheet)``, warnings on the sheets
    left out that may hold records, and notes on the sheets of instructions left out (:func:`_instructions`:
    填表说明, 目录, 封面, which hold no record and had failed ``--strict`` as a sheet of other columns).

    Where several sheets hold rows under the same columns (``column`` maps a header to the column it names: a
    register a sheet a month, bids a sheet a year), each is read, and with ``source`` so is every sheet that is a
    table of it (:func:`_holds_table`: a quarter that added 备注); a sheet with other columns (a summary) is named
    in the notes with its rows; each part is named ``file[sheet]`` where there are several, else as the file. A
    workbook with one sheet of rows: that sheet (an instructions sheet before it is no reason to read nothing);
    any other file: the file and ``None``. A hidden or very hidden sheet is never read: the notes name it with
    its rows (:func:`_hidden_notes`). ``source``: the contract whose column names find each sheet's header (a
    title line that differs sheet to sheet, 填报日期, does not make their columns differ)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xls") or not path.exists():
        return [(path.name, None)], [], []
    try:
        book = sheets(path, source)
    except Exception:  # not a workbook after all: the reader names the file and says why
        return [(path.name, None)], [], []
    held = [sh for sh in book if sh.rows > 0 and not sh.hidden]
    hidden = [sh for sh in book if sh.rows > 0 and sh.hidden]
    if len(held) <= 1:
        shown = held[0] if held else next((sh for sh in book if not sh.hidden), None)
        return (
            [(path.name, shown.title if shown else None)],
            _hidden_notes(path, held[0] if held else None, hidden, column),
            [],
        )
    # the first sheet that is a table (two named columns or more), not a sheet of instructions above it
    ref = next((sh for sh in held if sum(1 for h in sh.header if h) >= 2), held[0])
    first = [column(h) for h in ref.header]
    same = [sh for sh in held if [column(h) for h in sh.header] == first]
    if source is not None:  # a sheet that is a table of the contract: a later quarter that added 备注 or dropped an
        # optional column, or wrote the columns in another order, loads under its own header (its notes say what)
        ref = next((sh for sh in held if _holds_table(source, sh.header)), ref)
        same = [sh for sh in held if sh is ref or _holds_table(source, sh.header)]
    other = [sh for sh in held if sh not in same and not _instructions(sh)]
    told = [sh for sh in held if sh not in same and _instructions(sh)]
    several = len(same) > 1
    parts = [(f"{path.name}[{mask_text(sh.title)}]" if several else path.name, sh.title) for sh in same]
    said = (
        [
            f"{path.name}: sheet(s) of instructions not read as records: "
            + ", ".join(f"{_named(sh)} ({sh.rows + any(sh.header):,} lines)" for sh in told)
        ]
        if told
        else []
    )
    return parts, _left_out(path, ref, other) + _hidden_notes(path, ref, hidden, column), said


#: words a workbook's sheet of instructions is titled with (填表说明, 填报须知, 目录, 封面, 指标解释)
INSTRUCTION_WORDS = ("说明", "须知", "目录", "封面", "指引", "指标解释", "填报要求", "instruction", "readme", "cover")


def _instructions(sh: Sheet) -> bool:
    """Whether a sheet is titled as one of instructions (:data:`INSTRUCTION_WORDS`, full-width or not); asked only
    of sheets that are no table of the contract, so a register titled 说明 that is one still loads.

    >>> [_instructions(Sheet(t, ("",), 3)) for t in ("填表说明", "目录", "ReadMe", "汇总", "2024年")]
    [True, True, True, False, False]
    """
    title = unicodedata.normalize("NFKC", sh.title).lower()
    return any(w in title for w in INSTRUCTION_WORDS)


def _holds_table(source: Source, header: tuple[str, ...]) -> bool:
    """Whether a sheet's ``header`` heads a table of ``source``: every required column, and most of its named
    headers the contract's (as a file is matched to a contract by its headers)."""
    named = [h for h in header if h and str(h).strip()]
    canon = {m[0] for h in named if (m := source.match_header(h))}
    return all(c.name in canon for c in source.required_columns) and 2 * len(canon) >= len(named) > 0


def _hidden_notes(path: Path, ref: Sheet | None, hidden: list[Sheet], column=lambda h: h) -> list[str]:
    """A note per hidden sheet holding rows (``hidden``): not read, with its rows; to unhide it loads it where it
    has the columns of the sheet read (``ref``), else it holds other columns."""
    first = [column(h) for h in ref.header] if ref is not None else None
    notes = []
    for sh in hidden:
        same = first is None or [column(h) for h in sh.header] == first
        why = "unhide it to load it" if same or ref is None else f"it holds other columns than sheet {_named(ref)}"
        notes.append(f"{path.name}: sheet {_named(sh)} is hidden and was not read ({_rows(sh.rows)}); {why}")
    return notes


def _left_out(path: Path, ref: Sheet, other: list[Sheet]) -> list[str]:
    return (
        [
            f"{path.name}: {len(other)} sheet(s) hold rows under other columns than sheet {_named(ref)} and "
            f"were not read: {', '.join(f'{_named(sh)} ({_rows(sh.rows)})' for sh in other)} (save each as its "
            "own file)"
        ]
        if other
        else []
    )


def _named(sheet: Sheet | str) -> str:
    """A sheet's title as a note quotes it, identifiers masked (a sheet a person, titled with their ID number).

    >>> _named("2023年"), _named("110101199003074477王五")
    ("'2023年'", "'1101**********4477王五'")
    """
    return repr(mask_text(sheet.title if isinstance(sheet, Sheet) else sheet))


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


def _other_sheets(path: Path, read: str, book: list[Sheet]) -> list[str]:
    """A note naming the workbook's sheets (``book``) other than ``read`` that hold a data row (not read), and one
    per hidden sheet holding rows (:func:`_hidden_notes`)."""
    held = [f"{_named(sh)} ({_rows(sh.rows)})" for sh in book if sh.title != read and sh.rows > 0 and not sh.hidden]
    ref = next((sh for sh in book if sh.title == read), None)
    hidden = _hidden_notes(path, ref, [sh for sh in book if sh.title != read and sh.rows > 0 and sh.hidden])
    if not held:
        return hidden
    return [
        f"{path.name}: only its first sheet {_named(read)} was read; {len(held)} other sheet(s) hold rows and were "
        f"not: {', '.join(held)} (save each sheet as its own file to read it)"
    ] + hidden


def _take_header(
    rows, start: int, match: Match | None = None
) -> tuple[list[str], list[str], int, object, tuple | None]:
    """A sheet's header (:func:`_find_header`): ``(header, title lines, spreadsheet row of the first data row, the
    remaining rows, the first and last row of a header of two rows or None)``; ``start`` is the spreadsheet row of
    the first of ``rows``."""
    it = iter(rows)
    buf = list(itertools.islice(it, MAX_TITLE + 2))
    k, h, names = _find_header(buf, match)
    header = _header_of(tuple(None if v == "" else v for v in names))
    title = [" ".join(_values(r)) for r in buf[:k] if _values(r)]
    span = (start + k, start + k + 1) if h == 2 else None
    return header, title, start + k + h, itertools.chain(buf[k + h :], it), span


def _xlsx_epoch(path: Path) -> int:
    """1904 where an ``.xlsx`` workbook counts its date serials from 1904 (old Mac Excel), else 1900."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml")
    return 1904 if re.search(rb"date1904=\"(1|true)\"", book) else 1900


def _xls_rows(
    path: Path, *, header_only: bool = False, sheet: str | None = None, book=None, match: Match | None = None
) -> tuple[list[str], list[tuple[int, tuple]], str, list[str], tuple | None]:
    """A sheet of an ``.xlsx`` or ``.xls`` workbook (``book``, else opened here), read by python-calamine (faster
    than openpyxl: ``python bench/xlsx_read.py``): ``(header, [(spreadsheet row, cells)], sheet name, title
    lines, the rows of a header of two)``, blank rows left out; ``match``: a contract's header names
    (:func:`_find_header`). Cells come typed (numbers, dates, text), so :func:`_cell` applies the
    identifier and date checks."""
    if book is None:
        with _workbook(path, xls=_legacy(path)) as wb:
            return _xls_rows(path, header_only=header_only, sheet=sheet, book=wb, match=match)
    if sheet is not None and sheet not in book.sheet_names:
        raise LoadError(f"no sheet {_named(sheet)} (the workbook has {', '.join(map(_named, book.sheet_names))})")
    ws = book.get_sheet_by_name(sheet if sheet is not None else _first_visible(book))
    first_row = (ws.start or (0, 0))[0] + 1  # the spreadsheet row of the first row calamine returns
    it = iter(ws.to_python(skip_empty_area=False))
    for _ in range(first_row - 1):  # rows above the used range
        next(it, None)
    header, title, first, it, span = _take_header(it, first_row, match)
    if header_only:
        return header, [], ws.name, title, span
    out = []
    for r, row in enumerate(it, start=first):
        cells = tuple(None if v == "" else v for v in row)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        out.append((r, cells))
    return header, out, ws.name, title, span


def _iso(v: datetime | date | time) -> str:
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d") if v.time() == time(0) else v.strftime("%Y-%m-%d %H:%M:%S")
    return v.isoformat()


def _serial(v: float, epoch: int, with_time: bool) -> str | None:
    """An Excel date serial as an ISO date (or date-time); None when it is not one."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    if not (1 <= v < 2_958_466) or isinstance(v, bool):
        return None
    d = from_excel(v, CALENDAR_MAC_1904 if epoch == 1904 else CALENDAR_WINDOWS_1900)
    if isinstance(d, datetime) and not with_time:
        return d.strftime("%Y-%m-%d")
    return _iso(d)


def _cell(v: object, typ: str | None, epoch: int) -> tuple[str, str | None]:
    """A cell as text for a column of contract type ``typ``, and a reason when its value was lost."""
    if v is None:
        return "", None
    if isinstance(v, str):
        return v, None
    if isinstance(v, bool):
        return ("true" if v else "false"), None
    if isinstance(v, datetime | date | time):
        return _iso(v), None
    if isinstance(v, int | float):
        if typ in IDENTIFIER_TYPES:
            # Excel keeps 15 significant digits: a whole number of up to 15 digits is exact (an 11-digit phone);
            # one of 16 or more (a bank card, an ID number) lost its last digits, even when the file shows them
            if math.isfinite(v) and float(v).is_integer() and abs(v) < 10**15:
                return str(int(v)), None
            return (repr(v) if isinstance(v, float) else str(v)), EXCEL_DIGITS_LOST
        if typ == "month" and math.isfinite(v):
            if not float(v).is_integer():  # 2024.3 is March (2024.30 is no month) but 2024.1 may have been 2024.10
                text = repr(float(v))
                two_ways = re.fullmatch(r"(\d{4})\.1", text)
                return text, EXCEL_MONTH_TWO_WAYS.format(v=text, y=two_ways.group(1)) if two_ways else None
            if not 190001 <= v <= 210012:  # 202403 is the month as digits; a smaller number is a date serial
                s = _serial(float(v), epoch, False)
                if s is not None:
                    return s, None
        if typ in ("date", "datetime") and math.isfinite(v):
            s = _serial(float(v), epoch, typ == "datetime")
            if s is not None:
                return s, None
        if isinstance(v, float) and v.is_integer() and abs(v) <= 2**53:
            return str(int(v)), None
        return (repr(v) if isinstance(v, float) else str(v)), None
    return str(v), None


def _read_xlsx(path: Path, source: Source | None, sheet: str | None = None) -> RawTable:
    """An ``.xlsx`` sheet (python-calamine) or a legacy ``.xls`` one (xlrd alone), every cell through :func:`_cell`."""
    xlsx = not _legacy(path)  # else a legacy .xls (whatever its name), read by xlrd alone
    # one opening for the rows, the other sheets, the merged ranges and (.xls) the cells' formats and hidden rows
    with _workbook(path, xls=not xlsx) as wb:
        match = matcher(source)
        header, rows, name, title, span = _xls_rows(path, sheet=sheet, book=wb, match=match)
        notes = _other_sheets(path, name, _sheets(path, wb, match)) if sheet is None else []
        merged = wb.get_sheet_by_name(name).merged_cell_ranges or []
        if not xlsx:
            info = _xls_sheet_info(wb, path, name, set().union(*_format_columns(source, header)))
    rows, filled = _fill_merged(rows, [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in merged])
    # values right of the last named column (a header cell merged over them, a name never typed): columns with no
    # header, which the load names in its notes, rather than cells dropped without a word
    width = len(header)
    for _, row in rows:
        if len(row) > width and any(v is not None and str(v).strip() for v in row[width:]):
            width = max(j + 1 for j, v in enumerate(row) if v is not None and str(v).strip())
    header = header + [""] * (width - len(header))
    types = [source.columns[m[0]].type if source and (m := source.match_header(h)) else None for h in header]
    ncols = len(header)
    percent, padded = _format_columns(source, header)
    xml = _sheet_xml(path, name) if xlsx else None  # an .xlsx (whatever its name)
    if xml is not None:
        epoch = _xlsx_epoch(path)
        formats = _cell_formats(path, name, xml, percent | padded) if percent or padded else {}
        hidden, hidden_cols, filtered = _hidden_rows(xml)
    else:  # a legacy .xls: its formats, hidden rows, filter and date system, by xlrd as it read the cells
        formats, hidden, hidden_cols, epoch, said, filtered = info
        notes += said
    uncalculated = _uncalculated(xml) if xml is not None else set()
    cols: list[list[str]] = [[] for _ in range(ncols)]
    cell_errors: dict[str, dict[int, str]] = {}
    for i, (line, row) in enumerate(rows):
        for j in range(ncols):
            v = row[j] if j < len(row) else None
            if (
                formats
                and (code := formats.get((line, j + 1)))
                and isinstance(v, int | float)
                and not isinstance(v, bool)
            ):
                if j + 1 in percent and _percent_format(code):
                    v = round(v * 100, 10)  # 0.6 shown as 60%: the percentage
                elif j + 1 in padded and float(v).is_integer() and 0 <= v < 10**15:
                    v = str(int(v)).zfill(_zero_width(code))  # 31 shown as 00000031: the code Excel shows
            text, err = _cell(v, types[j], epoch)
            if v is None and uncalculated and (line, j + 1) in uncalculated:
                err = FORMULA_NOT_CALCULATED  # not an empty cell: a value no one calculated
            cols[j].append(text)
            if err:
                cell_errors.setdefault(header[j], {})[i] = err
    tbl = pa.Table.from_arrays([pa.array(c, pa.string()) for c in cols], names=header)
    lines = np.asarray([r for r, _ in rows], dtype=np.int64)
    return RawTable(
        tbl,
        lines,
        None,
        [],
        cell_errors,
        notes,
        title,
        filled,
        header_lines=span,
        hidden=sorted(hidden & set(lines.tolist())),
        filtered=filtered,
        hidden_columns=[header[j - 1] or f"column {j}" for j in sorted(hidden_cols) if j <= ncols and any(cols[j - 1])],
    )


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_FILTER = re.compile(rb"<(?:\w+:)?filterColumn\b")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _sheet_xml(path: Path, title: str, part: str | None = None) -> bytes | None:
    """The XML of the ``.xlsx`` sheet titled ``title`` (or of the package's ``part``, ``xl/styles.xml``); ``None``
    where it cannot be found."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree as ET

    ns = _NS
    try:
        with zipfile.ZipFile(path) as z:
            if part is not None:
                return z.read(part)
            book = ET.fromstring(z.read("xl/workbook.xml"))
            rid = next(
                sh.get(f"{{{ns['r']}}}id") for sh in book.iterfind("m:sheets/m:sheet", ns) if sh.get("name") == title
            )
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target") for r in rels.iterfind("p:Relationship", ns) if r.get("Id") == rid)
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return z.read(target)
    except (KeyError, StopIteration, ET.ParseError, zipfile.BadZipFile, OSError):
        return None


_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")


def _percent_format(code: str | None) -> bool:
    """Whether an Excel number format shows a number as a percentage: a ``%`` outside quoted text and escapes
    (``0%``, ``0.00%``; not ``0.0"%"``, which writes the number itself with a % after it).

    >>> _percent_format("0.00%"), _percent_format('0.0"%"'), _percent_format("General"), _percent_format(None)
    (True, False, False, False)
    """
    return bool(code) and "%" in re.sub(r'"[^"]*"|\\.', "", code)  # type: ignore[arg-type]


def _zero_width(code: str | None) -> int:
    """The digits an Excel number format pads a whole number to with zeros (``00000000`` → 8: an invoice number 31
    shown as 00000031), else 0.

    >>> _zero_width("00000000"), _zero_width("0"), _zero_width("0.00"), _zero_width(None)
    (8, 0, 0, 0)
    """
    first = (code or "").split(";")[0]
    return len(first) if re.fullmatch(r"0{2,}", first) else 0


def _changes_reading(code: str | None) -> bool:
    """Whether a number format changes what a cell's number reads as: a percentage (:func:`_percent_format`) or
    zeros padding a code (:func:`_zero_width`)."""
    return _percent_format(code) or _zero_width(code) > 0


def _cell_formats(path: Path, title: str, data: bytes, columns: set[int]) -> dict[tuple[int, int], str]:
    """The number formats of the cells (row, column, from 1) of ``columns`` in the ``.xlsx`` sheet titled ``title``
    (its XML ``data``) that change what their number reads as (:func:`_changes_reading`): a percentage (0.6 shown
    60%: a 持股比例(%) read as 0.6 is a hundred times too small) or zeros padding a code (31 shown 00000031: an
    invoice number read as 31 is another number). python-calamine gives the number, not its format: the sheet's
    styles are read from the package (an ``.xls`` sheet's by xlrd: :func:`_xls_sheet_info`)."""
    from xml.etree import ElementTree as ET

    styles = _sheet_xml(path, title, "xl/styles.xml")
    if styles is None:
        return {}
    try:
        root = ET.fromstring(styles)
    except ET.ParseError:
        return {}
    m = _NS["m"]
    codes = {9: "0%", 10: "0.00%"} | {
        int(f.get("numFmtId", -1)): f.get("formatCode", "")
        for f in root.iterfind(f"{{{m}}}numFmts/{{{m}}}numFmt")
        if _changes_reading(f.get("formatCode"))
    }
    xfs = root.find(f"{{{m}}}cellXfs")
    by_style = {
        str(i).encode(): codes[int(xf.get("numFmtId", 0))]
        for i, xf in enumerate(xfs or ())
        if int(xf.get("numFmtId", 0)) in codes
    }
    if not by_style:
        return {}
    out = {}
    for c in _CELL_TAG.finditer(data):
        attrs = c.group(1)
        style = re.search(rb'\bs="(\d+)"', attrs)
        ref = re.search(rb'\br="([A-Z]+)(\d+)"', attrs)
        if style is None or ref is None or style.group(1) not in by_style:
            continue
        col = 0
        for ch in ref.group(1):
            col = col * 26 + ch - 64
        if col in columns:
            out[(int(ref.group(2)), col)] = by_style[style.group(1)]
    return out


def _format_columns(source: Source | None, header: list[str]) -> tuple[set[int], set[int]]:
    """The columns (from 1) whose cells' number formats change what they read as: a percent column (持股比例(%),
    whose cells Excel formats as percentages hold 0.6 for 60%) and the codes and identifiers (Excel shows them
    zero-padded, format 00000000, holding the number without its zeros)."""
    percent, padded = set(), set()
    for j, h in enumerate(header):
        m = source.match_header(h) if source else None
        if m is None:
            continue
        col = source.columns[m[0]]  # type: ignore[union-attr]
        if col.type == "amount" and split_header(col.zh or "")[1] == "%":
            percent.add(j + 1)
        if col.type in IDENTIFIER_TYPES or col.type == "code":
            padded.add(j + 1)
    return percent, padded


def _xls_sheet_info(
    wb, path: Path, title: str, columns: set[int]
) -> tuple[dict[tuple[int, int], str], set[int], set[int], int, list[str], bool]:
    """What python-calamine does not say of a legacy ``.xls`` sheet (BIFF, Excel 97-2003), read by xlrd with its
    formatting information: the formats of the number cells of ``columns`` that change what they read as
    (:func:`_cell_formats`: each cell's XF record, ``Sheet.cell_xf_index``, names by ``format_key`` a
    ``Book.format_map`` entry holding the format string, the built-in 9 and 10 being ``0%`` and ``0.00%``), the
    rows and columns hidden (``rowinfo_map``,
    ``colinfo_map``; from 1), the date system (``Book.datemode``: 1904 for old Mac Excel, whose serials count from
    1904), what the load should say and whether a filter is set on the sheet (:func:`_xls_filtered`: its hidden rows
    are filtered out). A workbook xlrd cannot read (calamine could) gives nothing, and a warning
    where a percent column's cells are read as the fractions they hold."""
    import xlrd

    book = getattr(wb, "book", None)  # the xlrd book that read the cells (:class:`_XlsBook`), else calamine read them
    if book is None:
        why = "; ".join(getattr(wb, "said", None) or ["xlrd cannot read it"])
        said = (
            [
                f"{path.name}: the number formats of its cells cannot be read ({why}): a share Excel shows as "
                "60% is read as the 0.6 it holds; save the workbook as .xlsx"
            ]
            if columns
            else []
        )
        return {}, set(), set(), 1900, said, False
    ws = book.sheet_by_name(title)
    codes = {
        x: fmt.format_str
        for x, xf in enumerate(book.xf_list)
        if (fmt := book.format_map.get(xf.format_key)) is not None and _changes_reading(fmt.format_str)
    }
    formats = {}
    for r in range(ws.nrows) if codes else ():
        for c in columns:
            if c <= ws.ncols and ws.cell_type(r, c - 1) == xlrd.XL_CELL_NUMBER:
                if (code := codes.get(ws.cell_xf_index(r, c - 1))) is not None:
                    formats[(r + 1, c)] = code
    rows = {r + 1 for r, info in ws.rowinfo_map.items() if info.hidden}
    cols = {c + 1 for c, info in ws.colinfo_map.items() if info.hidden}
    filtered = _xls_filtered(book, book.sheet_names().index(title))
    return formats, rows, cols, 1904 if book.datemode == 1 else 1900, [], filtered


#: BIFF records of a sheet that say a filter is set on it: FILTERMODE (its rows are filtered) and AUTOFILTER (a
#: column's condition); a sheet's own records run from its BOF to its EOF, a chart's BOF … EOF nested among them
_XLS_FILTER, _XLS_BOF, _XLS_EOF = {0x009B, 0x009E}, {0x0809, 0x0409, 0x0209, 0x0009}, 0x000A


def _xls_filtered(book, index: int) -> bool:
    """Whether the ``index``-th sheet of a legacy ``.xls`` (an xlrd ``Book`` opened ``on_demand``, its stream still
    held) has a filter set (筛选: :data:`_XLS_FILTER`), as ``<filterColumn>`` says it of an ``.xlsx`` sheet: its
    hidden rows are then rows the filter leaves out, which xlrd reads as hidden and says no more of."""
    import struct

    mem, pos = book.mem, book._sh_abs_posn[index]
    if mem is None or pos < 0:  # an Excel 4 workbook's sheet: no position known
        return False
    depth, end = 0, len(mem)
    while pos + 4 <= end:
        code, length = struct.unpack_from("<HH", mem, pos)
        pos += 4 + length
        if code in _XLS_BOF:
            depth += 1
        elif code == _XLS_EOF:
            depth -= 1
            if depth <= 0:
                return False
        elif depth == 1 and code in _XLS_FILTER:
            return True
    return False


_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)


def _uncalculated(data: bytes) -> set[tuple[int, int]]:
    """The cells (row, column, from 1) of an ``.xlsx`` sheet's XML that hold a formula and no value saved for it: a
    workbook a program wrote (Apache POI, openpyxl) and nothing calculated (Excel calculates on opening and saves
    the values; a reader does not). python-calamine reads such a cell as empty. A formula whose saved value is an
    empty text (``t="str"``, ``<v></v>``) is an empty cell.

    >>> _uncalculated(b'<row r="2"><c r="B2"><f>1000*2</f><v /></c><c r="C2"><f>A2</f></c><c r="D2"><f>A2</f>'
    ...               b'<v>7</v></c><c r="E2" t="str"><f>""</f><v></v></c></row>') == {(2, 2), (2, 3)}
    True
    """
    if b"f>" not in data and b"f/>" not in data and b"<f " not in data:
        return set()
    out = set()
    for m in _FORMULA_CELL.finditer(data):
        attrs = m.group(1)
        if m.group(2) and re.search(rb'\bt="str"', attrs):
            continue
        ref = re.search(rb'\br="([A-Z]+)(\d+)"', attrs)
        if ref is None:
            continue
        col = 0
        for ch in ref.group(1):
            col = col * 26 + ch - 64
        out.add((int(ref.group(2)), col))
    return out


def _hidden_rows(data: bytes) -> tuple[set[int], set[int], bool]:
    """The spreadsheet rows an ``.xlsx`` sheet's XML (``data``) hides (``<row hidden="1">``: hidden by hand, or
    filtered out by a filter, 筛选), the columns it hides (``<col min max hidden="1">``, from 1) and whether a
    filter with a condition is set on it: python-calamine reads every row and column and says none of it, so a
    row the clerk hid loaded with nothing said."""
    if b"hidden" not in data:
        return set(), set(), False
    hides = re.compile(rb'\bhidden="(1|true)"')
    hidden, r = set(), 0
    for m in _ROW_TAG.finditer(data):
        attrs = m.group(1)
        at = re.search(rb'\br="(\d+)"', attrs)
        r = int(at.group(1)) if at else r + 1
        if hides.search(attrs):
            hidden.add(r)
    cols = set()
    head = data[: data.find(b"sheetData")]  # <cols> comes before the rows
    for m in _COL_TAG.finditer(head):
        span = re.search(rb'\bmin="(\d+)"[^>]*\bmax="(\d+)"', m.group(1))
        if span and hides.search(m.group(1)):
            cols.update(range(int(span.group(1)), min(int(span.group(2)), 16384) + 1))
    return hidden, cols, _FILTER.search(data) is not None


def _fill_merged(rows: list[tuple[int, tuple]], ranges) -> tuple[list[tuple[int, tuple]], int]:
    """``ranges``: merged cell ranges (first row, first column, last row, last column), spreadsheet rows from 1,
    columns from 0, as python-calamine gives them (openpyxl's read-only mode does not). Give every cell a range
    covers the value of its top-left cell (a tender id merged over its bids'
    rows, a unit's name over its staff): Excel shows the value on each of those rows, the file holds it once.
    Ranges in the title or header rows are left alone. Returns the rows and how many ranges were filled."""
    at = {r: i for i, (r, _) in enumerate(rows)}
    out = [(r, list(row)) for r, row in rows]
    filled = 0
    for r0, c0, r1, c1 in ranges:
        top = at.get(r0)
        if top is None or c0 >= len(out[top][1]) or out[top][1][c0] is None:
            continue  # above the data (a merged title or header), or nothing to give
        value = out[top][1][c0]
        for r in range(r0, r1 + 1):
            i = at.get(r)
            if i is None:
                continue
            row = out[i][1]
            for c in range(c0, min(c1 + 1, len(row))):
                if (r, c) != (r0, c0) and (row[c] is None or row[c] == ""):
                    row[c] = value
        filled += 1
    return [(r, tuple(row)) for r, row in out], filled


def _string_table(df, types: list[str | None] | None = None) -> tuple[pa.Table, dict[str, dict[int, str]]]:
    """Every cell as a string; None and NaN as nulls (duplicate headers are kept); and the cells whose value was lost.

    ``types``: each column's contract type.  A float in an identifier or code column (what pandas writes for a
    phone column with blanks, ``13912345678.0``) reads as its digits when it is a whole number of at most 15
    digits (a float holds those exactly); a longer one (an ID number, a bank card) lost its last digits and is a
    cell error, as in Excel.  A float with a fraction keeps it, and the column's type refuses it.
    """
    arrays, lost = [], {}
    for i in range(df.shape[1]):
        typ = types[i] if types else None
        ident = typ in IDENTIFIER_TYPES or typ == "code"
        out: list[str | None] = []
        for j, v in enumerate(df.iloc[:, i].tolist()):
            if v is None or v != v:
                out.append(None)
            elif ident and isinstance(v, float) and math.isfinite(v) and v.is_integer():
                if abs(v) < 10**15:
                    out.append(str(int(v)))
                else:
                    out.append(repr(v))
                    lost.setdefault(str(df.columns[i]), {})[j] = NUMBER_DIGITS_LOST
            else:
                out.append(str(v))
        arrays.append(pa.array(out, pa.string()))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in df.columns]), lost


#: why a written identifier is refused where its column shows it went through a number (:func:`rounded_identifiers`)
ROUNDED_ZEROS = (
    "identifier stored as a number in Excel: digits lost ({k} of the column's {n} numbers of 16-19 digits end in 000, "
    "Excel's 15 significant digits; " + EXCEL_TEXT_HINT + ")"
)
ROUNDED_FLOAT = (
    "identifier stored as a number: digits lost ({k} of the column's {n} numbers of 17-19 digits are a binary "
    "float's value, as a real column's few are; " + NUMBER_TEXT_HINT + ")"
)


def rounded_identifiers(values: pa.Array) -> dict[int, str]:
    """Identifiers written out in full whose column shows they went through a number: position → reason.

    A column of 18-digit ID numbers (credit codes, bank cards) that Excel held as numbers and saved in full keeps 15
    significant digits (``320583195909117000``); one a program read as floats and wrote as integers holds the
    float's value (``320583195909116992``). One such value in ten passes its check digit by chance and would load
    as a person who is not the one the department meant. Per value nothing tells; per column the pattern does: where
    at least two of its numbers of 16-19 digits, and a fifth of them, end in 000 (a real ID number does so about one
    time in a thousand), those are Excel's; where at least five of those above 2⁵⁶, and half of them, are exactly a
    float64 (a real one about one time in sixteen at most), those are a float's.

    >>> rounded_identifiers(pa.array(["320583195909117000", "430524197410239000", "32050819650505005X"]))[0][:39]
    'identifier stored as a number in Excel:'
    >>> rounded_identifiers(pa.array(["320583195909117143", "430524197410239293", "511321199007182015"]))
    {}
    """
    cells = pc.utf8_trim_whitespace(values.cast(pa.string()))
    pos = np.flatnonzero(_np(pc.match_substring_regex(cells, r"^[0-9]{16,19}$")))
    out: dict[int, str] = {}
    if len(pos) < 2:
        return out
    digits = cells.take(pa.array(pos))
    zeros = _np(pc.ends_with(digits, "000"))
    if zeros.sum() >= 2 and 5 * zeros.sum() >= len(pos):
        why = ROUNDED_ZEROS.format(k=int(zeros.sum()), n=len(pos))
        out.update(dict.fromkeys(pos[zeros].tolist(), why))
    nums = pc.cast(digits, pa.uint64()).to_numpy(zero_copy_only=False)
    big = nums >= np.uint64(1 << 56)  # below, floats are 1-8 apart and a real number is often one
    exact = big & (nums.astype(np.float64).astype(np.uint64) == nums)
    if big.sum() >= 5 and 2 * exact.sum() >= big.sum():
        why = ROUNDED_FLOAT.format(k=int(exact.sum()), n=int(big.sum()))
        for p in pos[exact].tolist():
            out.setdefault(p, why)
    return out


def scientific_identifiers(values: pa.Array) -> np.ndarray:
    """Which text values of an identifier column are numbers in scientific notation (``3.20582E+17``):
    a CSV that went through Excel, whose digits are lost."""
    return pc.fill_null(pc.match_substring_regex(values, r"^\s*\d(\.\d+)?[eE]\+?\d+\s*$"), False).to_numpy(
        zero_copy_only=False
    )


#: what a totals row says in its first cells (合计, 总 计:, 小计)
TOTALS_WORDS = ("合计", "总计", "小计", "共计", "总合计")
#: a totals cell after NFKC, without spaces or colons: the word, maybe after 本页/本表 … and before its figure
#: (合计：20人, 总计（3笔）, 本页小计, 合计 1,200.50元), which had been read as a record's ID number or name
_TOTALS_CELL = (
    r"^(?:本页|本表|本月|本期|本年|全部|以上)?(" + "|".join(sorted(TOTALS_WORDS, key=len, reverse=True)) + r")"
    r"(?:\(?[0-9,.]*(?:万元|元|人|户|条|项|笔|个|份|件|次|辆|家|名|张)?\)?)$"
)


def totals_word(cell: str) -> str | None:
    """The totals word of a cell that says a row sums the others, else ``None``.

    >>> totals_word("合 计"), totals_word("合计：20人"), totals_word("总计（3笔）"), totals_word("本页小计")
    ('合计', '合计', '总计', '小计')
    >>> totals_word("合计金额"), totals_word("张合计"), totals_word("20")
    (None, None, None)
    """
    m = re.match(_TOTALS_CELL, re.sub(r"[\s:]", "", unicodedata.normalize("NFKC", cell)))
    return m.group(1) if m else None


def totals_rows(table: pa.Table, first: int | None = None) -> dict[int, tuple[str, str, str]]:
    """Rows with a cell that is a totals word (合计, 总计, 小计, 共计; spaces and a colon aside, with its figure:
    :func:`totals_word`), in any column
    (or the ``first`` ones): row position → (header, word, the cell as read).  Such a row sums the others; it is
    not a record. Any column: an export that fills the project's number on its 合计 row writes the word under
    投标人, and that row was read as one more bid, by a bidder named 合计."""
    out: dict[int, tuple[str, str, str]] = {}
    for j, header in enumerate(table.column_names[:first]):
        cells = table.column(j).combine_chunks()  # by position: two columns may share a header
        if not pa.types.is_string(cells.type):
            continue
        bare = pc.replace_substring_regex(pc.utf8_normalize(cells, "NFKC"), r"[\s:]", "")
        for p in np.flatnonzero(_np(pc.match_substring_regex(bare, _TOTALS_CELL))).tolist():
            out.setdefault(p, (header, totals_word(cells[p].as_py()), cells[p].as_py()))
    return out


#: a digit and a space as :data:`FOOTER` reads them in the cells as written (Arrow's RE2 reads ``\d`` and ``\s`` as
#: ASCII only): full-width digits (第１页 共３页) and the ideographic space too, as a Chinese input method types them
_D, _S = "[0-9０-９]", "[\\s\u3000]"
#: what a notes row below a table starts its cells with: 注：…, 注1：…, 说明：…, 制表人：…, 审核人：…
FOOTER = (
    rf"^{_S}*(?:(注{_S}*{_D}*|备注|说明|填表说明|数据来源|资料来源|制表人?|填表人|填报人|审核人?|负责人|经办人|制表日期|填报日期"
    rf"|打印日期|制表时间|打印时间|导出日期|导出时间){_S}*[:：]"
    # a printed export's page marks (第1页 共3页, Page 1 of 3) and a form's 以下空白 ("blank below") under its last line
    rf"|(?:第{_S}*{_D}+{_S}*页{_S}*[,，/／]?{_S}*(?:共{_S}*{_D}+{_S}*页)?"
    rf"|共{_S}*{_D}+{_S}*页{_S}*[,，/／]?{_S}*第{_S}*{_D}+{_S}*页"
    rf"|(?i:page){_S}*{_D}+{_S}*(?i:of){_S}*{_D}+){_S}*$|[-—－=*{_S[1:-1]}]*(以下空白|此处空白|以下无内容)[-—－=*{_S[1:-1]}]*$)"
)


def _footer_word(cell: str) -> str | None:
    """What a notes cell (:data:`FOOTER`) is: its word (制表人, 以下空白), 页码 for a page mark, None for no note.

    >>> [_footer_word(c) for c in ("制表人：王某", "第 1 页，共 3 页", "-- 以下空白 --", "王某")]
    ['制表人', '页码', '以下空白', None]
    """
    m = re.match(FOOTER, unicodedata.normalize("NFKC", cell))
    if m is None:
        return None
    return re.sub(r"\s", "", m.group(1) or m.group(2) or "页码")


def footer_rows(table: pa.Table) -> dict[int, tuple[str, str, str]]:
    """Rows whose every non-empty cell (one at least) is a note (:data:`FOOTER`: 注：本表数据截至…, 制表人：王某 and
    审核人：李某 in two cells, a note merged across the row): row position → (header, word, the first such cell).
    Such a row says something of the table; it is not a record."""
    if not table.num_rows or not table.num_columns:
        return {}
    # the rows whose first cell is a note or empty (few, in a table of records), then their other cells
    rows = np.arange(table.num_rows)
    ok, first = None, None
    for j, cells in enumerate(table.columns):
        cells = cells.combine_chunks()
        if not pa.types.is_string(cells.type):
            return {}
        if j:
            cells = cells.take(pa.array(rows))
        note = _np(pc.match_substring_regex(cells, FOOTER))
        empty = _np(pc.equal(pc.utf8_trim_whitespace(pc.fill_null(cells, "")), ""))
        if ok is None:
            keep = np.flatnonzero(note | empty)
            rows, ok, first = rows[keep], np.ones(len(keep), dtype=bool), np.where(note[keep], 0, -1)
            if not len(rows):
                return {}
            continue
        ok &= note | empty
        first = np.where((first < 0) & note, j, first)
    out = {}
    for i in np.flatnonzero(ok & (first >= 0)).tolist():
        p = int(rows[i])
        header = table.column_names[first[i]]
        cell = table.column(int(first[i]))[p].as_py()
        out[p] = (header, _footer_word(cell) or "注", cell)
    return out


def _bare(cells: pa.Array) -> pa.Array:
    """Text cells as compared with a header or a title line: NFKC, no whitespace, no byte-order mark (the header
    of a second UTF-8 export appended to the first starts with one)."""
    return pc.replace_substring_regex(pc.utf8_normalize(cells, "NFKC"), r"[\s\x{feff}]", "")


def header_rows(table: pa.Table) -> dict[int, tuple[str, str, str]]:
    """Rows that write the header again (an export printed page by page repeats it): every non-empty cell equals
    its column's header (NFKC, spaces aside), and at least two do: row position → (header, "表头", the cell).
    Such a row names the columns; it is not a record."""
    if table.num_rows == 0 or table.num_columns < 2:
        return {}
    if not pa.types.is_string(table.column(0).type):
        return {}
    # such a row's first cell is empty or the first header: only those rows are read whole
    head0 = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(table.column_names[0])).lstrip("\ufeff"))
    bare0 = pc.fill_null(_bare(table.column(0).combine_chunks()), "")
    rows = np.flatnonzero(_np(pc.is_in(bare0, pa.array(["", head0], pa.string()))))
    if not len(rows):
        return {}
    full, table = table, table.take(pa.array(rows))
    same = np.ones(table.num_rows, dtype=bool)
    hits = np.zeros(table.num_rows, dtype=np.int64)
    first = np.full(table.num_rows, -1, dtype=np.int64)
    for j, (name, cells) in enumerate(zip(table.column_names, table.columns, strict=True)):
        cells = cells.combine_chunks()
        if not pa.types.is_string(cells.type):
            return {}
        bare = pc.fill_null(_bare(cells), "")
        head = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(name)).lstrip("\ufeff"))
        hit = _np(pc.equal(bare, head)) & (head != "")
        empty = _np(pc.equal(bare, ""))
        same &= hit | empty
        hits += hit
        first = np.where((first < 0) & hit, j, first)
    out = {}
    for p in np.flatnonzero(same & (hits >= 2)).tolist():
        j = int(first[p])
        out[int(rows[p])] = (full.column_names[j], "表头", table.column(j)[p].as_py())
    return out


def title_rows(table: pa.Table, title: list[str]) -> dict[int, tuple[str, str, str]]:
    """Rows that write a title line of the table again (an export printed page by page repeats its title above
    the header): the row's values, joined, are one of the ``title`` lines (NFKC, spaces aside): row position →
    (header of its first value, "标题", that value). Such a row names the table; it is not a record."""
    said = {re.sub(r"\s", "", unicodedata.normalize("NFKC", t)) for t in title} - {""}
    if not said or table.num_rows == 0 or not pa.types.is_string(table.column(0).type):
        return {}
    # such a row's first cell is empty or the start of a title line: only those rows are read whole
    starts = {t[:k] for t in said for k in range(len(t) + 1)}
    bare0 = pc.fill_null(_bare(table.column(0).combine_chunks()), "")
    rows = np.flatnonzero(_np(pc.is_in(bare0, pa.array(sorted(starts), pa.string()))))
    if not len(rows):
        return {}
    full, table = table, table.take(pa.array(rows))
    joined = None
    first = np.full(table.num_rows, -1, dtype=np.int64)
    for j, cells in enumerate(table.columns):
        cells = cells.combine_chunks()
        if not pa.types.is_string(cells.type):
            return {}
        bare = pc.fill_null(_bare(cells), "")
        first = np.where((first < 0) & ~_np(pc.equal(bare, "")), j, first)
        joined = bare if joined is None else pc.binary_join_element_wise(joined, bare, "")
    hit = _np(pc.is_in(joined, pa.array(sorted(said), pa.string())))
    return {
        int(rows[p]): (full.column_names[int(first[p])], "标题", table.column(int(first[p]))[p].as_py())
        for p in np.flatnonzero(hit & (first >= 0)).tolist()
    }


def layout_rows(table: pa.Table, title: list[str] = ()) -> dict[int, tuple[str, str, str]]:
    """Rows that belong to the table's layout, not its records: row position → (header of the cell that says so,
    what the row is, the cell). A totals row (:func:`totals_rows`: "totals row (合计)") first, then a notes row
    under the table (:func:`footer_rows`: "notes row (制表人)"), the header written again (:func:`header_rows`) and
    a ``title`` line written again (:func:`title_rows`), as an export printed page by page writes them."""
    out = {p: (h, f"totals row ({word})", cell) for p, (h, word, cell) in totals_rows(table).items()}
    ctrl_c_check()  # each pass reads the whole table: a load's Ctrl-C stops it between them
    for p, (h, word, cell) in footer_rows(table).items():
        out.setdefault(p, (h, f"notes row ({word})", cell))
    ctrl_c_check()
    for p, (h, _, cell) in header_rows(table).items():
        out.setdefault(p, (h, "the header written again", cell))
    ctrl_c_check()
    for p, (h, _, cell) in title_rows(table, list(title)).items():
        out.setdefault(p, (h, "the title written again", cell))
    return out


# ----------------------------------------------------------------- public
def read_table(
    path: Path, source: Source | None = None, *, encoding: str | None = None, sheet: str | None = None
) -> RawTable:
    """A table file's cells as strings, its faulty lines and lost cells (see the module doc).

    Parameters
    ----------
    path : Path
        A ``.csv`` (any encoding), ``.xlsx``, ``.xls`` or ``.parquet`` file.
    source : Source, optional
        The file's contract: tells which Excel columns hold identifiers and dates.
    encoding : str, optional
        The text encoding of a CSV file, instead of detecting it.
    sheet : str, optional
        The worksheet of an ``.xlsx`` or ``.xls`` file to read (:func:`sheets`). Without it the first sheet Excel
        shows is read (a hidden sheet never is) and the other sheets that hold rows are named in ``notes``.

    Raises
    ------
    LoadError
        The file cannot be read at all (missing, not a spreadsheet …).
    """
    path = Path(path)
    try:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            import pandas as pd

            df = pd.read_parquet(path)
            df = df.astype(object).where(df.notna(), None)
            matched = [source.match_header(str(h)) if source else None for h in df.columns]
            types = [source.columns[m[0]].type if source and m else None for m in matched]
            tbl, lost = _string_table(df, types)
            raw = RawTable(tbl, np.arange(2, tbl.num_rows + 2, dtype=np.int64), cell_errors=lost)
        elif is_workbook(path):
            raw = _read_xlsx(path, source, sheet)
        else:
            raw = _read_csv(path, encoding, matcher(source))
    except LoadError as exc:
        raise LoadError(f"{path}: {exc}") from None
    except Exception as exc:
        raise LoadError(f"{path}: cannot read the file ({type(exc).__name__}: {mask_text(exc)})") from exc
    raw.table = raw.table.rename_columns([str(c).strip().lstrip("\ufeff") for c in raw.table.column_names])
    return raw
