"""What a load did: rows read, loaded and quarantined per file; nodes and
relationships created.  Counts always reconcile: read = loaded + quarantined."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graphkit.model import provenance, record_unit  # the one wording of a record's place, as every face cites it

__all__ = [
    "QUARANTINE_COLUMNS",
    "Quarantined",
    "Dropped",
    "FileReport",
    "LoadReport",
    "LoadError",
    "writable",
    "where",
    "lines_of",
]

_SURROGATE = re.compile("[\ud800-\udfff]")


def writable(text: object) -> str:
    """``text`` as a string UTF-8 can write: a lone surrogate (a byte the reader could not decode, marked as
    U+DC00 + byte) becomes ``\\xNN`` for such a byte, else U+FFFD. Writing the quarantine or the report runs after
    the store is committed, and must not fail on a value read from a damaged file.

    >>> writable("张" + chr(0xDCFF)), writable(3)
    ('张\\\\xff', '3')
    """
    text = str(text)
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(
        lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if "\udc00" <= m.group() <= "\udcff" else "\ufffd", text
    )


class LoadError(RuntimeError):
    """A load that cannot go on: a file is unreadable, lacks a required column or has a duplicated
    header (found before anything is written), or the load failed on the way.

    The message names the file (and the column) and prints no identifier in clear; the store is left
    as it was.  ``report`` holds what the load did before it failed (None when it failed in preflight).
    """

    def __init__(self, message: str, *, report: LoadReport | None = None) -> None:
        super().__init__(message)
        self.report = report


#: the quarantine file's header (:meth:`LoadReport.write_quarantine`); files written before name ``line`` ``row``
QUARANTINE_COLUMNS = ("file", "line", "column", "value", "reason")


@dataclass(frozen=True)
class Quarantined:
    """One bad row: where it is, which column, what was there and why it was refused."""

    file: str
    row: int  # where the record starts: a text file's line (the header is line 1) or a workbook's row (:func:`where`)
    column: str  # the contract's column (id_number), an FtM property, or "line" for a line that is no record
    value: str
    reason: str
    header: str = ""  # the column's header as the file writes it (公民身份号码, 身份证号码), where it has one

    @property
    def where(self) -> str:
        """``household.csv line 3, column 公民身份号码`` (:func:`where`)."""
        return where(self.file, self.row, self.header or self.column)


@dataclass(frozen=True)
class Dropped:
    """A bad value in an optional column: the value was left out, the row loaded."""

    file: str
    row: int
    column: str
    value: str
    reason: str
    header: str = ""  # the column's header as the file writes it, where it has one

    @property
    def where(self) -> str:
        """``household.csv line 3, column 出生日期`` (:func:`where`)."""
        return where(self.file, self.row, self.header or self.column)


def where(file: str, row: int, column: str) -> str:
    """A cell as a clerk finds it: the file, its line (a text file: the header is line 1) or row (a workbook's, a
    Parquet file's), and the column (the file's own header where it has one).

    >>> where("household.csv", 3, "公民身份号码"), where("户籍.xlsx", 7, ""), where("people.ftm.jsonl", 2, "line")
    ('household.csv line 3, column 公民身份号码', '户籍.xlsx row 7', 'people.ftm.jsonl line 2')
    """
    return provenance(file, row) + ("" if column in ("", "line") else f", column {column}")


#: lines or rows named where a message speaks of many (:func:`lines_of`); the rest are counted
LINES_SHOWN = 5


def lines_of(file: str, rows: Iterable[int], shown: int = LINES_SHOWN) -> str:
    """Some rows of ``file`` as :func:`where` names one: ``lines 4 and 7`` in a text file, ``rows …`` in a
    workbook (a sheet's name ``bids.xlsx[2024]`` too), in order, the first ``shown`` and then how many more.

    >>> lines_of("bids.csv", [7]), lines_of("bids.xlsx[2024]", [9, 4, 7]), lines_of("bids.csv", range(2, 12))
    ('line 7', 'rows 4, 7 and 9', 'lines 2, 3, 4, 5, 6 and 5 more')
    """
    rows = sorted(set(rows))
    unit = record_unit(file)
    if len(rows) == 1:
        return f"{unit} {rows[0]}"
    head = ", ".join(map(str, rows[:shown]))
    if len(rows) > shown:
        return f"{unit}s {head} and {len(rows) - shown:,} more"
    return f"{unit}s {', '.join(map(str, rows[:-1]))} and {rows[-1]}"


@dataclass
class FileReport:
    """What the load did with one file.

    ``read`` counts the data rows and the lines that could not be read as rows; ``dropped`` counts
    bad values left out of optional columns (per column) in rows that loaded."""

    file: str
    source: str  # source kind (contract name), e.g. "household"
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    created: Counter = field(default_factory=Counter)  # label / rel type -> new objects
    error: str | None = None
    encoding: str | None = None  # the text encoding the file was read with (CSV)
    title: str | None = None  # title lines above the header, skipped ("某市采购合同台账 / 单位：万元")
    merged: int = 0  # merged cell ranges below the header whose value every covered row took
    separator: str | None = None  # the field separator of a CSV that is not a comma ("\t", ";", "|")
    header: str | None = None  # a header over two lines or rows: "1–2: 公民身份号码, 姓名, …" (the names read)
    dropped: Counter = field(default_factory=Counter)  # column -> values dropped
    kept: Counter = field(default_factory=Counter)  # label / rel type -> entities already stored, left as stored
    form: str | None = None  # how the file was read when not one record per line ("a JSON array: …")
    renamed: Counter = field(default_factory=Counter)  # label -> rows for entities stored under another name
    unread: list[str] = field(default_factory=list)  # headers no column of the contract is read from
    # a bid table's unread columns that read like the tenders' kind, by their values (loaders.bids.segment_like):
    # (header, how many values, up to three of them, masked)
    segment_like: list[tuple[str, int, list[str]]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # optional columns of the contract the file does not have
    decimal_comma: list[str] = field(default_factory=list)  # columns of a ';' file read with a decimal comma
    no_value: Counter = field(default_factory=Counter)  # header -> cells saying "no value" (无, -, 不详), read as empty
    excel_text: Counter = field(default_factory=Counter)  # header -> cells written ="…" or '… for Excel, read as …
    invisible: Counter = field(default_factory=Counter)  # header -> cells that held a zero-width space (taken out)
    numbered_blank: int = 0  # a template's numbered empty rows (序号 only), left out as blank rows
    by_headers: bool = False  # matched to its contract by its headers (FtM: by its records), its name matching none
    named_as: str | None = None  # read as the contract a user named for it (--as roster=名册.xlsx)
    mapped: dict[str, str] = field(default_factory=dict)  # header mapped by a user (--column) -> column it was read as
    sheets: list[str] = field(default_factory=list)  # the workbook's sheets left out that hold no record (填表说明)
    hidden: list[int] = field(default_factory=list)  # spreadsheet rows Excel hides (by hand or a filter), read
    filtered: bool = False  # the sheet has a filter set (筛选): its hidden rows are the rows it filters out
    hidden_columns: list[str] = field(default_factory=list)  # headers of columns Excel hides, read as the others
    padding: int = 0  # NUL bytes padding the end of a CSV, left out (no row)
    fractions: Counter = field(default_factory=Counter)  # header -> shares written as fractions of one, read × 100
    zoned: Counter = field(default_factory=Counter)  # header -> times written in another zone (…Z), read in Beijing's

    def notes(self) -> list[str]:
        """What the reader did with the file that a person should know, not a fault: a title above the header
        skipped, merged cells filled, entities already in the store left as stored, the file read as a
        JSON array or statements (the command line prints them as ``note:`` lines)."""
        out = [f"{self.file}: title above the header skipped ({self.title})"] if self.title else []
        out += self.sheets
        if self.hidden:
            how = "filtered out or hidden" if self.filtered else "hidden"
            out.append(
                f"{self.file}: {len(self.hidden):,} row(s) {how} in Excel were read as every other row "
                f"({lines_of(self.file, self.hidden)})"
                + ("; the sheet has a filter set (筛选): clear it" if self.filtered else ": unhide them")
                + " to see every row the file holds"
            )
        if self.hidden_columns:
            out.append(
                f"{self.file}: column(s) hidden in Excel were read as every other column: "
                + ", ".join(self.hidden_columns)
            )
        if self.separator:
            shown = "tab" if self.separator == "\t" else repr(self.separator)
            out.append(f"{self.file}: columns separated by {shown}")
        if self.decimal_comma:
            out.append(
                f"{self.file}: decimal comma read in {', '.join(self.decimal_comma)} (a ';' file from a spreadsheet "
                "set to a European locale: 1.234,50 is 1234.50)"
            )
        for h, n in self.fractions.items():
            out.append(
                f"{self.file}: {h} read as fractions of one ({n:,} value(s): 0.6 is 60 %), no value in the column "
                "being above 1"
            )
        if self.named_as:
            out.append(f"{self.file}: read as the {self.source} table ({self.named_as})")
        if self.mapped:
            out.append(
                f"{self.file}: header(s) read as mapped (--column): "
                + ", ".join(f"{h} → {c}" for h, c in self.mapped.items())
            )
        if self.by_headers and self.source == "ftm":  # a plain x.json of FtM entities (loaders.ftm.holds_ftm)
            stem = self.file.removesuffix(".gz").rsplit(".", 1)[0]
            out.append(
                f"{self.file}: read as FtM entities by what it holds (objects with schema and properties); its name "
                f"does not say so: name it {stem}.ftm.json to say so"
            )
        elif self.by_headers:
            out.append(
                f"{self.file}: read as the {self.source} table by its headers (its name matches no table; name it "
                f"{self.source}_….csv to say so)"
            )
        if self.numbered_blank:
            out.append(
                f"{self.file}: {self.numbered_blank:,} numbered row(s) with nothing else (a template's empty lines) "
                "left out as blank rows"
            )
        if as_text := sum(self.excel_text.values()):
            which = ", ".join(f"{h} {n:,}" for h, n in self.excel_text.most_common())
            out.append(
                f'{self.file}: {as_text:,} cell(s) written as text for Excel (="…" or \'…) read as their value: {which}'
            )
        if unseen := sum(self.invisible.values()):
            which = ", ".join(f"{h} {n:,}" for h, n in self.invisible.most_common())
            out.append(
                f"{self.file}: {unseen:,} cell(s) held characters that show as nothing (a zero-width space, U+200B …) "
                f"taken out: {which}"
            )
        if zoned := sum(self.zoned.values()):
            which = ", ".join(f"{h} {n:,}" for h, n in self.zoned.most_common())
            out.append(
                f"{self.file}: {zoned:,} time(s) written in another time zone (…Z, +00:00) read in Beijing time "
                f"(UTC+8): {which}"
            )
        if said := sum(self.no_value.values()):
            which = ", ".join(f"{h} {n:,}" for h, n in self.no_value.most_common())
            says = '"no value" (无, 暂无, 不详, -, /, NULL)'
            out.append(f"{self.file}: {said:,} cell(s) saying {says} read as empty: {which}")
        if self.header:
            span, names = self.header.split(": ", 1)
            out.append(f"{self.file}: header read from two rows ({span}) as {names}")
        if self.merged:
            out.append(f"{self.file}: {self.merged:,} merged cell range(s) filled: each row takes the value")
        if self.form:
            out.append(f"{self.file}: read as {self.form}")
        if self.padding:
            out.append(f"{self.file}: {self.padding:,} NUL byte(s) padding the end of the file left out (no row)")
        if renamed := sum(self.renamed.values()):
            which = ", ".join(f"{n:,} {k}" for k, n in sorted(self.renamed.items()))
            out.append(
                f"{self.file}: {renamed:,} row(s) name an entity already in the store under another name ({which}): "
                "the stored name was kept (graphkit does not update stored entities: check which register is right)"
            )
        if self.unread:
            out.append(
                f"{self.file}: column(s) not read (the {self.source} contract has none of them): "
                + ", ".join(self.unread)
            )
        if self.absent:
            out.append(f"{self.file}: no column {', '.join(self.absent)}: nothing loaded for it")
        if kept := sum(self.kept.values()):
            which = ", ".join(f"{n:,} {k}" for k, n in sorted(self.kept.items()))
            out.append(
                f"{self.file}: {kept:,} {'entity' if kept == 1 else 'entities'} already in the store "
                f"{'was' if kept == 1 else 'were'} left as stored ({which}; graphkit does not update stored "
                "entities: load a newer release into a new store)"
            )
        return out

    @property
    def reconciles(self) -> bool:
        """Whether rows read = rows loaded + rows quarantined (or the file failed as a whole)."""
        return self.error is not None or self.read == self.loaded + self.quarantined


@dataclass
class LoadReport:
    """A whole load: per-file reports, the quarantined rows, the dropped values and the warnings.

    ``rolled_back`` is true when the load failed and the store was left as it was (``error`` says why);
    the files, quarantine and warnings are still those of the files read before it failed."""

    files: list[FileReport] = field(default_factory=list)
    quarantine: list[Quarantined] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: files of the folder known to hold no data, not read: name -> what each is (:func:`loaders.ftm.not_data`:
    #: ``documentation``, ``json``); a note, not a warning (``graphkit load --strict`` passes them)
    skipped: dict[str, str] = field(default_factory=dict)
    rolled_back: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        """No file failed and nothing was rolled back."""
        return not self.rolled_back and all(f.error is None for f in self.files)

    @property
    def clean(self) -> bool:
        """Ok, with no quarantined row and no warning (what ``graphkit load --strict`` asks)."""
        return self.ok and not self.quarantine and not self.warnings

    def totals(self) -> dict[str, int]:
        """Rows read, loaded and quarantined over all files."""
        return {k: sum(getattr(f, k) for f in self.files) for k in ("read", "loaded", "quarantined")}

    def created(self) -> Counter:
        """Nodes and relationships created, per label and type, over all files."""
        out: Counter = Counter()
        for f in self.files:
            out.update(f.created)
        return out

    def write_quarantine(self, path: str | Path) -> Path:
        """Write the quarantined rows as CSV (file, line, column, value, reason), UTF-8 with a byte-order mark so that
        Excel shows the Chinese in it (as every CSV written for people here). ``line`` is the number every message
        gives the record (:func:`where`): the line it starts on in a text file (the header is line 1; a quoted value
        over two lines counts both), the row in a workbook or Parquet file; it was headed ``row`` while the console
        said ``line 3`` of the same record. The column is named by the file's own
        header where it has one (公民身份号码, or the 身份证号码 the file wrote for it), as the clerk who corrects the
        file reads it; by the contract's name (or the FtM property) otherwise."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(QUARANTINE_COLUMNS)
            for q in self.quarantine:
                w.writerow([writable(x) for x in (q.file, q.row, q.header or q.column, q.value, q.reason)])
        return path

    def to_json(self) -> str:
        """The report as JSON: files, totals, created, warnings, the files skipped as no data, dropped values
        (masked), rolled_back, error."""
        from graphkit.model.mask import mask_text

        text = json.dumps(
            {
                "files": [
                    {
                        **asdict(f),
                        "created": dict(f.created),
                        "dropped": dict(f.dropped),
                        "kept": dict(f.kept),
                        "renamed": dict(f.renamed),
                        "no_value": dict(f.no_value),
                        "excel_text": dict(f.excel_text),
                        "invisible": dict(f.invisible),
                        "zoned": dict(f.zoned),
                    }
                    for f in self.files
                ],
                "totals": self.totals(),
                "created": dict(self.created()),
                "warnings": self.warnings,
                "skipped": self.skipped,
                "dropped": [
                    {
                        "file": d.file,
                        "row": d.row,
                        "column": d.column,
                        "value": mask_text(d.value),
                        "reason": mask_text(d.reason),
                    }
                    for d in self.dropped
                ],
                "rolled_back": self.rolled_back,
                "error": self.error,
            },
            ensure_ascii=False,
            indent=2,
        )
        # a value holding an undecodable byte: written as the JSON string of its writable form
        return _SURROGATE.sub(lambda m: json.dumps(writable(m.group()), ensure_ascii=False)[1:-1], text)
