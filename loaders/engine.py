"""The loader engine: every source kind is a contract (``loaders/sources/*.yaml``)
run through the same steps.

1. **read** CSV / XLSX / Parquet as strings; headers may be the English
   column names or the Chinese ones departments export;
2. **preflight** every file before anything is written: an unreadable file or
   a missing required column raises :class:`LoadError` naming file and column,
   and the store is left untouched;
3. **validate and normalise** each column (check digits, dates, amounts,
   plates, phones, full-width → half-width); a bad row goes to the quarantine
   with file, row, column, value and reason, and never stops the load;
4. **resolve** entities by natural key (ID number, credit code, plate …)
   across sources and against the store: a reference to a key that exists
   nowhere is quarantined, a second row with the same key is quarantined as a
   duplicate of the first;
5. **write** only objects whose keys are new, in bulk, through the store seam,
   so a reload is idempotent and fast.

Counts reconcile per file: read = loaded + quarantined.

Columns travel as Arrow arrays from the CSV reader to the store's ``COPY``; the
writes of one file run in a background thread (inside a
:meth:`GraphStore.bulk` session) while the next file is validated.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model import provenance
from graphkit.model.keys import link_ids
from graphkit.model.mask import mask, mask_key, mask_text
from graphkit.model.types import is_valid_credit_code, is_valid_id_number
from graphkit.stores.base import GraphStore, NotTakenBack, ctrl_c_check, ctrl_c_recorded, is_in, say_load_stopping
from loaders.contracts import (
    HEADER_UNITS,
    OWN_UNIT,
    Column,
    EdgeMap,
    Endpoint,
    NodeMap,
    Source,
    load_contracts,
    scale_decimals,
    split_header,
)
from loaders.read import (
    EXCEL_DIGITS_LOST,
    IDENTIFIER_TYPES,
    layout_rows,
    one_parse,
    read_header,
    rounded_identifiers,
    sheet_parts,
)
from loaders.read import read_table as _read
from loaders.report import Dropped, FileReport, LoadError, LoadReport, Quarantined, lines_of
from loaders.validate import (
    ARROW_TYPES,
    check_column,
    decimal_marks,
    excel_error_cells,
    excel_text_cells,
    invisible_cells,
    no_value_cells,
    percent_shares,
    plain_cells,
    scatter,
    with_decimal_comma,
    zoned_cells,
)

log = logging.getLogger("graphkit.loaders")

__all__ = ["load", "load_dir", "find_sources", "read_table", "read_header", "LoadError"]

EXTENSIONS = (".csv", ".xlsx", ".xls", ".parquet")
#: text files read as tables (comma or tab separated) when their name is a table's: Excel's "Unicode text" export
#: is a tab-separated UTF-16 ``household.txt``; any other ``.txt`` is no table (a readme)
TEXT_TABLES = (".tsv", ".txt")

#: how many validated files may wait for the writer thread while the next one is validated (1: the
#: writer finishes file N before file N+1 is handed over, and idles whenever N+1 takes longer to validate)
AHEAD = 3


@dataclass
class _Job:
    path: Path
    source: Source
    header: list[str]
    sheet: str | None = None  # a workbook's sheet to read (default: the first)
    part: str | None = None  # the name the report and the quarantine give it (household.xlsx[2024]; default the file's)
    notes: tuple[str, ...] = ()  # what the reader left out of the workbook that a person should know (填表说明)

    @property
    def name(self) -> str:
        return self.part or self.path.name


# ----------------------------------------------------------------- reading
def read_table(path: Path, source: Source | None = None, *, encoding: str | None = None) -> pa.Table:
    """All cells of a file as strings (empty cells as empty strings or nulls), headers stripped;
    lines that cannot be read as rows are left out (:func:`loaders.read.read_table` says which)."""
    return _read(path, source, encoding=encoding).table


def find_sources(
    folder: Path, contracts: dict[str, Source] | None = None
) -> tuple[list[tuple[Path, Source]], list[Path]]:
    """Files in ``folder`` matched to contracts (``contracts``, default :func:`load_contracts`) by name
    (``household.csv``, ``household_2024.xlsx`` …), in load order; and the table files no contract matches."""
    contracts = contracts or load_contracts()
    matched, unknown = [], []
    for path in sorted(Path(folder).iterdir()):
        suffix = path.suffix.lower()
        if suffix not in EXTENSIONS + TEXT_TABLES or path.name.startswith((".", "~$")):
            continue
        stem = path.stem.lower()
        src = contracts.get(stem) or next(
            (s for n, s in contracts.items() if re.fullmatch(rf"{n}[_\-.].+", stem)), None
        )
        if src:
            matched.append((path, src))
        elif suffix in EXTENSIONS:
            unknown.append(path)
    order = list(contracts)
    matched.sort(key=lambda ps: (order.index(ps[1].name), ps[0].name))
    return matched, unknown


def guess_source(path: Path, contracts: dict[str, Source] | None = None) -> tuple[Source | None, list[str]]:
    """The contract a table file's headers name when its file name names none (``2024年公职人员名册(组织部).csv``
    holding 公民身份号码, 姓名, 单位代码 …): the one whose required columns are all there and which reads the most of
    its headers, at least half of them; ``None`` when no contract does, or two read as many (then their names, for
    the message). An unreadable file is ``None`` too (it is named as skipped).

    >>> from loaders.contracts import load_contracts
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "公职人员名册.csv")
    >>> with open(f, "w", encoding="utf-8") as h:
    ...     _ = h.write("公民身份号码,姓名,单位代码,职务,职级,任职日期\\n")
    >>> guess_source(Path(f))[0].name
    'roster'
    """
    contracts = contracts or load_contracts()
    try:
        header, _ = read_header(path)
    except LoadError:
        return None, []
    header = [h for h in header if str(h).strip()]
    fits: list[tuple[int, str]] = []
    for name, src in contracts.items():
        canon = {m[0] for h in header if (m := src.match_header(h))}
        if canon and all(c.name in canon for c in src.required_columns) and 2 * len(canon) >= len(header):
            fits.append((len(canon), name))
    if not fits:
        return None, []
    fits.sort(reverse=True)
    best = [n for k, n in fits if k == fits[0][0]]
    return (contracts[best[0]], best) if len(best) == 1 else (None, best)


def _preflight(
    path: Path, source: Source, encoding: str | None = None, sheet: str | None = None, part: str | None = None
) -> _Job:
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    header, _ = read_header(path, encoding=encoding, sheet=sheet, source=source)
    source = source.for_header(header)  # 手机号码 read as 联系电话 only where the file has no 联系电话
    canon = [(source.match_header(h) or (None, 1.0))[0] for h in header]
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        key = canon[i] or h
        if not h:
            continue
        if key in seen and canon[i] is None:  # a column the contract does not read, twice (备注, 备注): both unread
            continue
        if key in seen:
            j = seen[key]
            same = header[j] == h
            raise LoadError(
                f"{path}: header '{header[j]}' (column {j + 1}) and header '{h}' (column {i + 1}) "
                + ("are the same" if same else f"both name column '{key}'")
                + ": keep one of them"
            )
        seen[key] = i
    for i, h in enumerate(header):  # 注册资本(万美元): money in a unit that is not yuan is refused by name
        col = source.named(h) if h and canon[i] is None else None
        if col is not None and col.type == "amount":
            raise LoadError(
                f"{path}: header '{mask_text(h)}' names a unit that is not one of {', '.join(HEADER_UNITS)} (column "
                f"{i + 1}, the contract's '{col.name}', {col.zh}): convert its amounts"
            )
    missing = [c for c in source.required_columns if c.name not in canon]
    if missing:
        c = missing[0]
        more = f" (and {', '.join(m.name for m in missing[1:])})" if len(missing) > 1 else ""
        base = split_header(c.zh or c.name)[0]
        unit = [h for h in header if split_header(h)[0] == base]  # the column, in a unit that is not yuan
        hint = (
            f"; header '{unit[0]}' names a unit that is not one of {', '.join(HEADER_UNITS)}: convert its amounts"
            if unit
            else ""
        )
        if encoding and any("\ufffd" in h for h in header) and path.suffix.lower() in TEXT_TABLES + (".csv",):
            from loaders.read import detect_encoding

            found, _ = detect_encoding(path.read_bytes()[: 1 << 16])
            hint += (
                f"; its header does not read as {encoding} (characters lost, shown �): it reads as {found}, "
                "which the load finds by itself without --encoding"
            )
        has = mask_text(", ".join(header))
        codes = [mask_text(h) for h in header if h and mask_text(h) != h]
        if codes:
            # an export of the data alone (no header line): its first record was listed as "the file's columns",
            # with a --column hint that cannot help, and its home address in clear
            raise LoadError(
                f"{path}: required column '{c.name}' ({c.zh}) is missing{more}; the file has no header line: its "
                f"first line is a record (it holds {codes[0]}); write the {source.name} table's header above it "
                "(graphkit model docs lists it)"
            )
        if any(sum(source.named(x.strip()) is not None for x in h.split("，")) >= 2 for h in header):
            # typed with an input method's full-width comma: refused with a --column hint that cannot help
            raise LoadError(
                f"{path}: required column '{c.name}' ({c.zh}) is missing{more}; its header is separated by full-width "
                "commas (，), which a CSV is not split at: replace them with commas (,) and save the file again"
            )
        # a header of other words (工作单位 for 单位代码): graphkit load --column reads it as the column
        if any(header):
            has += f"; where one of them holds it, say which: --column {source.name}.HEADER={c.name}"
        raise LoadError(
            f"{path}: required column '{c.name}' ({c.zh}) is missing{more}{hint}; the file has {has or 'no header'}"
        )
    return _Job(path, source, header, sheet, part)


# ----------------------------------------------------------------- loading
def _in_unit(values: pa.Array, cells: pa.Array, factor: float, column_unit: float = 1.0) -> pa.Array:
    """Amounts in the column's own unit (``column_unit`` yuan: 1 for 合同金额(元), 10⁴ for 注册资本(万元)): plain
    numbers × ``factor`` (what the header's unit is worth in the column's); a cell that names its own unit
    (12.5万元, 1200元) was read in yuan, so ÷ ``column_unit`` (12.5万元 under 注册资本(万元) is 12.5, not 125,000)."""
    own = _np(pc.match_substring_regex(cells, OWN_UNIT))
    scale = pa.array(np.where(own, 1.0 / column_unit, factor))
    digits = max(scale_decimals(factor), scale_decimals(1.0 / column_unit))
    return pc.round(pc.multiply(values, scale), digits)  # no binary noise: 0.013456, not …0001


def _np(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow array as numpy, null → False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _valid(a: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.is_valid(a).to_numpy(zero_copy_only=False)


def _const(value: object, n: int) -> pa.Array:
    """``n`` copies of one value, as a dictionary array (the store casts it to the model's type)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value]))


def _repeats(keys: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """None when the keys (no nulls) are unique; else a code per key and, per code, its first position."""
    enc = pc.dictionary_encode(keys)
    if len(enc.dictionary) == len(keys):
        return None
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    # codes are handed out in order of first appearance: a key is new where its code passes every earlier one
    seen = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    first = np.flatnonzero(codes > seen)  # first[c] is where code c first appears
    return codes, first


def _unique_ids(table: pa.Table) -> pa.Table:
    """The first row of each ``id``."""
    rep = _repeats(table["id"].combine_chunks())
    return table if rep is None else table.take(pa.array(np.sort(rep[1])))


def waited(f: Future) -> object:
    """``f.result()``, with a Ctrl-C the load recorded meanwhile raised as it waits (:class:`ctrl_c_recorded`):
    a write takes seconds, and the load's Ctrl-C is raised only where the load asks."""
    with ctrl_c_recorded() as ctrl_c:
        while True:
            ctrl_c.check()
            try:
                return f.result(timeout=0.05)
            except TimeoutError:
                continue


class _Writer:
    """Runs the store writes in one background thread, in the order they were submitted.

    Ladybug's ``COPY`` releases the GIL while it works (and the Neo4j driver while it waits
    on its socket), so the next file is validated while the previous one is written.
    ``drain`` waits for every write submitted so far and re-raises the first error; ``close``
    cancels the writes not started yet and waits for the one under way."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphkit-write")
        self._futures: list[Future] = []

    def submit(self, fn, *args) -> Future:
        f = self._pool.submit(fn, *args)
        self._futures.append(f)
        return f

    def drain(self) -> None:
        try:
            for f in self._futures:
                waited(f)
        finally:
            self._futures = [f for f in self._futures if not f.done()]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Validated:
    """A file's report and its writes: (label or type, store method, arguments), in order."""

    report: FileReport
    writes: list[tuple[str, object, tuple]]
    futures: list[tuple[str, Future]] = field(default_factory=list)

    def submit(self, writer: _Writer) -> None:
        self.futures = [(name, writer.submit(fn, *args)) for name, fn, args in self.writes]
        self.writes = []

    def settle(self) -> FileReport:
        """The report, with what the (finished) writes created."""
        for name, f in self.futures:
            self.report.created[name] += waited(f)
        self.report.created = +self.report.created
        fr = self.report
        log.info(
            "%s: read %d, loaded %d, quarantined %d, created %s",
            fr.file,
            fr.read,
            fr.loaded,
            fr.quarantined,
            dict(fr.created),
        )
        return fr


class _Loader:
    def __init__(self, store: GraphStore, writer: _Writer, encoding: str | None = None) -> None:
        self.store = store
        self.writer = writer
        self.encoding = encoding

        self.known: dict[str, list[pa.Array]] = {}  # label -> keys seen in this load or confirmed in the store
        self.names: dict[str, list[tuple[pa.Array, pa.Array]]] = {}  # label -> (keys, names) this load wrote
        self.pending: dict[str, list[pa.Array]] = {}  # label -> keys the file being loaded creates
        self._lookup: dict[str, pa.Array] = {}  # label -> known + pending keys, concatenated once
        # (label, key) -> where its own row was quarantined ("household.csv line 2"): a later row naming that key
        # is told why it is unknown, not "not in its source table"
        self._refused: dict[tuple[str, str], str] = {}
        # labels the store held nodes of when the load began: only those can hold keys this load has not seen
        self.stored_before = {lab for lab in store.model.labels if store.count(lab)}
        # label -> digit-only code key without its leading zeros -> (the key as loaded, its file): 00031 and 31
        self._zeroless: dict[str, dict[str, tuple[str, str]]] = {}

    def zero_twins(self, label: str, keys: pa.Array, fname: str, header: str) -> list[str]:
        """A warning where digit-only code keys of ``label`` in this load differ only in leading zeros (停车场编号
        00031 in a CSV, 31 in a workbook that held it as a number): two nodes the department may mean as one, kept
        apart and said, never merged by a guess."""
        seen = self._zeroless.setdefault(label, {})
        digits = keys.filter(pc.fill_null(pc.match_substring_regex(keys.cast(pa.string()), r"^[0-9]+$"), False))
        pairs = []
        for v in dict.fromkeys(digits.to_pylist()):
            first = seen.setdefault(v.lstrip("0") or "0", (v, fname))
            if first[0] != v:
                pairs.append(f"{mask_text(v)} ({fname}) and {mask_text(first[0])} ({first[1]})")
        if not pairs:
            return []
        more = f" and {len(pairs) - 3:,} more" if len(pairs) > 3 else ""
        return [
            f"{fname}: {header} {'; '.join(pairs[:3])}{more} differ only in leading zeros: kept as {len(pairs) * 2:,} "
            f"{label} nodes where the department may mean {len(pairs):,} (a spreadsheet drops a number's leading "
            "zeros: keep the column as text, or correct one file, and load again)"
        ]

    def learn(self, label: str, keys: pa.Array) -> None:
        self.known.setdefault(label, []).append(keys)
        self._lookup.pop(label, None)

    def _keys(self, label: str) -> pa.Array | None:
        if label not in self._lookup:
            chunks = self.known.get(label, []) + self.pending.get(label, [])
            if not chunks:
                return None
            self._lookup[label] = pa.concat_arrays([c.cast(pa.string()) for c in chunks])
        return self._lookup[label]

    def exists(self, label: str, keys: pa.Array) -> np.ndarray:
        """Which keys (no nulls) exist: loaded in this run, created by this file, or already in the store."""
        known = self._keys(label)
        mask = np.zeros(len(keys), dtype=bool) if known is None else is_in(keys, known)
        if label in self.stored_before and not mask.all():
            ask = pc.unique(keys.filter(pa.array(~mask))).to_pylist()
            self.writer.drain()  # the store is asked from this thread only when no write is under way
            found = self.store.existing_ids(label, ask)
            if found:
                found_arr = pa.array(sorted(found), pa.string())
                self.learn(label, found_arr)
                mask |= _np(pc.is_in(keys, value_set=found_arr))
        return mask

    @staticmethod
    def _decimal_mark(cells: pa.Array, name: str, col: Column, fr: FileReport, refuse) -> pa.Array:
        """The numbers of a ``;``-separated file's column as its decimal mark says (:func:`decimal_marks`): read
        with a decimal comma (``1.234,50`` = 1234.50, named in the file's notes) where its values show one and
        none a decimal point; the values that read two ways (``1.234``) where the column does not say which are
        not guessed: refused (``refuse``: the row quarantined, or the optional value dropped) and left out."""
        marks = decimal_marks(cells)
        if marks.mark == ",":
            fr.decimal_comma.append(f"{col.zh or name} ({marks.commas:,} value{'s' if marks.commas > 1 else ''})")
            return with_decimal_comma(cells)
        if not marks.ambiguous:
            return cells
        why = "both decimal commas and decimal points" if marks.commas else "no decimal comma or decimal point"
        refuse(
            {
                p: f"{v.strip()!r} in a ';'-separated file reads two ways ({v.strip()} with a thousands point, as a "
                f"spreadsheet set to a European locale writes, or a decimal point) and its column shows {why}: "
                "not guessed"
                for p, v in marks.ambiguous.items()
            },
            name,
        )
        gone = np.zeros(len(cells), dtype=bool)
        gone[list(marks.ambiguous)] = True
        return pc.if_else(pa.array(gone), pa.scalar(None, pa.string()), cells)

    def run(self, job: _Job, report: LoadReport) -> _Validated:
        src, path, fname = job.source, job.path, job.name
        fr = FileReport(file=fname, source=src.name, sheets=list(job.notes))
        rt = _read(path, src, encoding=self.encoding, sheet=job.sheet)
        fr.encoding = rt.encoding
        fr.title = mask_text(" / ".join(rt.title)) or None  # an export's title may name its clerk's ID or phone
        fr.merged = rt.merged
        fr.form = rt.form
        fr.padding = rt.padding
        fr.hidden, fr.filtered, fr.hidden_columns = rt.hidden, rt.filtered, [mask_text(h) for h in rt.hidden_columns]
        fr.separator = rt.separator if rt.separator not in (None, ",") else None
        if rt.header_lines:
            fr.header = f"{rt.header_lines[0]}–{rt.header_lines[1]}: " + mask_text(", ".join(rt.table.column_names))
        report.warnings += rt.notes
        rt, fr.numbered_blank = _without_numbered_blank_rows(rt, src)
        table = rt.table
        raw: dict[str, pa.Array] = {}
        headers: dict[str, str] = {}  # column -> its header as the file writes it (the quarantine names it so)
        lost: dict[str, dict[int, str]] = {}  # column -> cells whose value was lost before the file came
        unit: dict[str, float] = {}  # column -> what one unit of its plain numbers is worth (合同金额(万元): 10⁴)
        for name, column in zip(table.column_names, table.columns, strict=True):
            # 单位：万元 in a title above the header: money whose header names no unit is in it
            canon, factor = src.match_header(name, rt.title_unit) or (None, 1.0)
            if canon is not None and canon not in raw:  # preflight refused duplicated headers
                headers[canon] = str(name).strip().lstrip("\ufeff")
                if mapped := src.mapped(name):  # read by a header mapping (--column), said in the notes
                    fr.mapped[mapped[0]] = canon
                raw[canon] = column.combine_chunks()
                unit[canon] = factor
                if name in rt.cell_errors:
                    lost[canon] = rt.cell_errors[name]
        for canon in raw:  # ="3205…" and '3205… (kept as text for Excel); 无, 暂无, 不详, -, / for "no value"
            ctrl_c_check()  # a Ctrl-C stops the load between the columns of a file (a large one takes seconds)
            plain = plain_cells(raw[canon])  # none of what the passes below look for but "no value": one pass
            if not plain:
                raw[canon], unseen = invisible_cells(raw[canon])  # a zero-width space pasted with a value
                if unseen:
                    fr.invisible[mask_text(headers[canon])] = unseen
                raw[canon], as_text = excel_text_cells(raw[canon])
                if as_text:
                    fr.excel_text[mask_text(headers[canon])] = as_text
            raw[canon], said = no_value_cells(raw[canon], src.columns[canon])
            if said:
                fr.no_value[mask_text(headers[canon])] = said
            for p, why in () if plain else excel_error_cells(raw[canon]).items():  # #REF!: a failed formula
                lost.setdefault(canon, {}).setdefault(p, why)
        # what the file holds that the contract does not read, and what the contract reads that the file lacks:
        # said, never dropped silently (a 籍贯 column, a missing 联系电话 column)
        fr.unread = [
            mask_text(h) for h in table.column_names if h.strip() and src.match_header(h, rt.title_unit) is None
        ]
        for j, h in enumerate(table.column_names):
            if h.strip():
                continue
            # a column with no header that holds values (a header cell merged over it, a name never typed)
            column = table.column(j)
            blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(column), ""), True)
            held = len(column) - (pc.sum(blank).as_py() or 0)
            if held:
                fr.unread.append(f"column {j + 1} (no header; values in {held:,} row{'s' if held > 1 else ''})")
        fr.absent = [c.zh or c.name for c in src.columns.values() if c.name not in raw and not c.required]
        n = table.num_rows
        fr.read = n + len(rt.faults)
        lines = rt.lines
        ctrl_c_check()
        layout = layout_rows(table, rt.title)  # 合计, 注：…, the header or title again: no record
        del table
        if fr.read == 0:
            report.warnings.append(f"{fname}: the {src.name} table has a header but no data rows")

        vals: dict[str, pa.Array] = {}
        bad: dict[int, tuple[str, str]] = {}  # row position -> (column, reason): the first wins
        droppable = _droppable(src)
        droppable_refs = _droppable_refs(src)

        def flag(errors: dict[int, str], column: str) -> None:
            for p, reason in errors.items():
                if p not in bad:
                    bad[p] = (column, reason)

        drops: dict[str, dict[int, str]] = {}  # column -> bad optional values left out, by row position

        def drop(errors: dict[int, str], column: str) -> None:
            """A bad value in an optional column: the value goes, the row stays."""
            if errors:
                drops.setdefault(column, {}).update(errors)

        for p, (header, what, _) in layout.items():  # refused first, each with its own reason
            bad[p] = ((src.match_header(header) or (header,))[0], f"{what}, not a record")

        def ok_rows() -> np.ndarray:
            ok = np.ones(n, dtype=bool)
            if bad:
                ok[np.fromiter(bad, dtype=np.int64, count=len(bad))] = False
            return ok

        for name, col in src.columns.items():
            ctrl_c_check()
            if name not in raw:
                vals[name] = pa.nulls(n, ARROW_TYPES[col.type])
                continue
            cells = raw[name]
            if col.type in ("id_number", "credit_code", "account", "party"):  # written in full after a number's trip
                for p, why in rounded_identifiers(cells).items():
                    lost.setdefault(name, {}).setdefault(p, why)
            if name in lost:  # never validate what Excel rounded: it may pass a check digit by chance
                gone = np.zeros(n, dtype=bool)
                gone[list(lost[name])] = True
                cells = pc.if_else(pa.array(gone), pa.scalar(None, pa.string()), cells)
                (drop if name in droppable else flag)(lost[name], name)
            if col.type == "party":
                continue
            if rt.separator == ";" and col.type in ("amount", "int"):
                cells = self._decimal_mark(cells, name, col, fr, flag if name not in droppable else drop)
            vals[name], errors = check_column(cells, col)
            if col.type in ("date", "datetime") and (zoned := zoned_cells(cells)):  # …Z read in Beijing time: said
                fr.zoned[mask_text(headers[name])] = zoned
            column_unit = (
                HEADER_UNITS.get(split_header(col.zh)[1] or "元", 1.0) if col.type == "amount" and col.zh else 1.0
            )
            if unit.get(name, 1.0) != 1.0 or column_unit != 1.0:
                vals[name] = _in_unit(vals[name], cells, unit.get(name, 1.0), column_unit)
            if col.type in IDENTIFIER_TYPES and errors:
                _excel_reasons(errors, cells)
            if col.type == "amount" and split_header(col.zh or "")[1] == "%":  # 持股比例(%): 0.6 may be 60 %
                shares = percent_shares(vals[name], cells, _share_groups(src, name, vals))
                vals[name] = shares.values
                if shares.fractions:
                    fr.fractions[mask_text(headers[name])] = shares.fractions
                errors = {**shares.refused, **errors}
            if name in droppable:
                drop({p: r for p, r in errors.items() if p not in lost.get(name, {})}, name)
            else:
                flag(errors, name)
        for name, col in src.columns.items():  # party ids: type picked by another column
            if col.type != "party" or name not in raw:
                continue
            kinds = vals[col.label_column]
            cells = raw[name]
            if name in lost:
                gone = np.zeros(n, dtype=bool)
                gone[list(lost[name])] = True
                cells = pc.if_else(pa.array(gone), pa.scalar(None, pa.string()), cells)
            parts = []
            for kind, typ in (("person", "id_number"), ("company", "credit_code"), ("organization", "credit_code")):
                pos = np.flatnonzero(_np(pc.equal(kinds, kind)))
                if len(pos):
                    sub = cells.take(pa.array(pos))
                    v, errors = check_column(sub, _as_type(col, typ))
                    _excel_reasons(errors, sub)
                    parts.append((pos, v))
                    flag({int(pos[p]): r for p, r in errors.items()}, name)
            vals[name] = scatter(n, pa.string(), parts)
            if col.required:
                missing = ~_valid(vals[name]) & _valid(kinds)
                flag(dict.fromkeys(np.flatnonzero(missing).tolist(), "required value is missing"), name)
        # a 出生日期 that is not the birth date its row's 公民身份号码 holds, a 性别 that is not the sex its digit
        # holds: one of the two mistyped, said at its cell
        for name, errors, what in [
            *((nm, e, "birth date") for nm, e in _birth_dates(src, vals, raw, headers, ok_rows())),
            *((nm, e, "sex") for nm, e in _sexes(src, vals, raw, headers, ok_rows())),
        ]:
            gone = np.zeros(n, dtype=bool)
            gone[list(errors)] = True
            vals[name] = pc.if_else(pa.array(gone), pa.scalar(None, vals[name].type), vals[name])
            (drop if name in droppable else flag)(errors, name)
            col = src.columns[name]
            key = headers.get(col.born or col.sex) or src.columns[col.born or col.sex].zh
            report.warnings.append(  # a typo in a person's identity: --strict refuses it, as the commission asks
                f"{fname}: {headers.get(name) or col.zh} is not the {what} the row's {key} holds in "
                f"{len(errors):,} row(s) ({lines_of(fname, [int(lines[p]) for p in errors])}): the "
                f"{'date' if what == 'birth date' else 'value'} left out, one of the two mistyped: correct the file"
            )
        ok = ok_rows()

        # duplicates of the file's primary key: a later valid row with the key of an earlier valid row; a row
        # that lost a bad optional value gives way to a complete row with the same key
        pkey = self._primary_key(src, vals)
        if pkey is not None:
            cand = np.flatnonzero(ok & _valid(pkey))
            if drops:
                lossy = np.zeros(n, dtype=bool)
                for errors in drops.values():
                    lossy[list(errors)] = True
                cand = cand[np.argsort(lossy[cand], kind="stable")]
            rep = _repeats(pkey.take(pa.array(cand)))
            if rep is not None:
                codes, first = rep
                dup = np.ones(len(cand), dtype=bool)
                dup[first] = False
                rows = cand[dup].tolist()
                firsts = cand[first[codes[dup]]].tolist()
                flag(
                    {p: f"duplicate of {lines_of(fname, [int(lines[f])])}" for p, f in zip(rows, firsts, strict=True)},
                    self._primary_column(src),
                )
                ok = ok_rows()

        # references: every edge endpoint not created by this file must exist;
        # keys this file itself creates (valid rows) count as known (e.g. a parent unit)
        created_here = {(nm.label, nm.key) for nm in src.nodes}
        for nm in src.nodes:
            keys = vals[nm.key].filter(pa.array(ok & _valid(vals[nm.key])))
            self.pending.setdefault(nm.label, []).append(keys)
            self._lookup.pop(nm.label, None)
        checks: dict[tuple[str, str], np.ndarray] = {}  # (label, column) -> rows that refer to that label
        for name, col in src.columns.items():
            if col.ref and (col.ref, name) not in created_here:
                checks[(col.ref, name)] = np.ones(n, dtype=bool)
        for e in src.edges:
            for end in (e.source, e.target):
                if end.label and ((end.label, end.column) in created_here or src.columns[end.column].ref):
                    continue
                for label, m in _endpoint_rows(end, vals):
                    if (label, end.column) not in created_here:
                        checks[(label, end.column)] = checks.get((label, end.column), False) | m
        ctrl_c_check()
        for column, errors in self._check_refs(checks, vals, ok):
            flag(errors, column)
        for column, errors in self._to_itself(src, vals, ok):
            if column in droppable_refs:  # an optional reference to the row itself (上级单位 the unit's own code):
                # the reference goes, the row and its entity stay, said as a value left out
                gone = np.zeros(n, dtype=bool)
                gone[list(errors)] = True
                vals[column] = pc.if_else(pa.array(gone), pa.scalar(None, vals[column].type), vals[column])
                drop(errors, column)
            else:
                flag(errors, column)
        ok = ok_rows()
        for label in self.pending:
            self._lookup.pop(label, None)
        self.pending.clear()
        # one link per source (a bid's bidder, a payment's payer): a row naming another target for a source an
        # earlier file or load stored would add a second link the store never takes back
        for column, errors in self._one_per_source(src, vals, ok, lines):
            flag(errors, column)
        ok = ok_rows()
        # a roster's 姓名 against the name its 公民身份号码 is registered under: a post must not go to another person
        for column, errors in self._names_match(src, vals, ok):
            flag(errors, column)
        ok = ok_rows()
        # a register row for a person or company already stored under another name: left as stored, and said
        self._renamed(src, vals, ok, fr)

        ctrl_c_check()
        # quarantine, in line order, with the cell (or the line) as it was read; reasons masked
        cells: dict[int, object] = {}
        for column in {c for c, _ in bad.values()} & raw.keys():
            pos = [p for p, (c, _) in bad.items() if c == column]
            cells.update(zip(pos, raw[column].take(pa.array(pos, pa.int64())).to_pylist(), strict=True))
        entries = []
        for f in rt.faults:
            column = (src.match_header(f.column) or (f.column,))[0]
            header = headers.get(column, f.column if column != f.column else "")
            entries.append(Quarantined(fname, f.line, column, f.value, mask_text(f.reason), header))
        for p, (_, _, cell) in layout.items():
            cells.setdefault(p, cell)
        for p in sorted(bad):
            column, reason = bad[p]
            v = cells.get(p)
            kind = src.columns[column].type if column in src.columns else None
            entries.append(
                Quarantined(
                    fname,
                    int(lines[p]),
                    str(column),
                    "" if v is None else str(v),
                    _safe(reason, v, kind),
                    headers.get(column, ""),
                )
            )
        entries.sort(key=lambda q: q.row)
        report.quarantine.extend(entries)
        for nm in src.nodes:  # a refused row whose own key is sound: the rows that name it later say where it went
            if nm.master and bad:
                pos = np.fromiter(sorted(bad), dtype=np.int64, count=len(bad))
                for p, k in zip(pos.tolist(), vals[nm.key].take(pa.array(pos)).to_pylist(), strict=True):
                    if k is not None:
                        self._refused.setdefault((nm.label, str(k)), provenance(fname, int(lines[p])))
        dropped = []  # values left out of rows that loaded
        for column, errors in drops.items():
            kept = {p: r for p, r in errors.items() if ok[p]}
            if not kept:
                continue
            pos = np.fromiter(kept, dtype=np.int64, count=len(kept))
            kind = src.columns[column].type
            values = raw[column].take(pa.array(pos)).to_pylist()
            for p, v in zip(pos.tolist(), values, strict=True):
                v = "" if v is None else str(v)
                dropped.append(
                    Dropped(fname, int(lines[p]), column, v, _safe(kept[p], v, kind), headers.get(column, ""))
                )
            fr.dropped[column] += len(kept)
        report.dropped.extend(sorted(dropped, key=lambda d: (d.row, d.column)))
        fr.quarantined = len(bad) + len(rt.faults)
        fr.loaded = n - len(bad)
        raw.clear()  # the raw cells are no longer needed
        keep = np.flatnonzero(ok)
        if len(keep) < n:
            sel = pa.array(keep)
            vals = {k: v.take(sel) for k, v in vals.items() if k in src.mapped_columns}
        rows = pa.array(lines[keep], pa.int64())

        # nodes, then edges: written in this order once the previous file's writes are done.
        # The valid rows' primary keys are unique (duplicates were refused): the master node's ids,
        # the first edge's ids in a file without one, and ids that contain the master key (unless a
        # key can hold the '|' separator and does) skip a dedupe pass.
        master = next((nm.key for nm in src.nodes if nm.master), None)
        writes: list[tuple[str, object, tuple]] = []
        ctrl_c_check()
        for nm in src.nodes:
            frame = self._node_table(nm, vals, rows, fname)
            frame = frame if nm.key == master else _unique_ids(frame)
            if src.columns[nm.key].type == "code":
                key = src.columns[nm.key]
                header = headers.get(nm.key) or key.zh or key.name
                report.warnings += self.zero_twins(nm.label, frame["id"].combine_chunks(), fname, header)
            self.learn(nm.label, frame["id"].combine_chunks())
            if "name" in frame.column_names:
                self.names.setdefault(nm.label, []).append(
                    (frame["id"].combine_chunks().cast(pa.string()), frame["name"].combine_chunks().cast(pa.string()))
                )
            writes.append((nm.label, self.store.upsert_nodes, (nm.label, frame)))
        for e in src.edges:
            cols = e.key or (e.source.column, e.target.column)
            unique = (master is None and e is src.edges[0]) or (
                master in cols
                and not any(
                    _may_hold_separator(src.columns[c]) and pc.any(pc.match_substring(vals[c], "|")).as_py()
                    for c in cols
                )
            )
            for (a, b), frame in self._edge_tables(e, vals, rows, fname):
                frame = frame if unique else _unique_ids(frame)
                writes.append((e.type, self.store.upsert_edges, (e.type, a, b, frame)))
        return _Validated(fr, writes)

    def _to_itself(self, src: Source, vals: dict[str, pa.Array], ok: np.ndarray) -> list[tuple[str, dict[int, str]]]:
        """For each link of a type declared ``to_itself: false``: reasons for the valid rows with the same key at
        both ends (a 公民身份号码 copied into 亲属身份号码), which would store a person as their own relative."""
        out = []
        for e in src.edges:
            rel = self.store.model.relationships.get(e.type)
            if rel is None or rel.to_itself or e.source.column == e.target.column:
                continue
            a, b = vals[e.source.column], vals[e.target.column]
            same = (
                ok
                & _valid(a)
                & _valid(b)
                & _np(pc.fill_null(pc.equal(a.cast(pa.string()), b.cast(pa.string())), False))
            )
            if e.when:
                same &= _np(pc.fill_null(vals[e.when].cast(pa.bool_()), False))
            if same.any():
                cols = src.columns
                one, other = (cols[c].zh or c for c in (e.source.column, e.target.column))
                what = f"{e.type} ({rel.zh})" if rel.zh else e.type
                reason = (
                    f"{other} is the row's own {one}: a {what} link joins two different entities, not one to itself"
                )
                out.append((e.target.column, dict.fromkeys(np.flatnonzero(same).tolist(), reason)))
        return out

    def _one_per_source(
        self, src: Source, vals: dict[str, pa.Array], ok: np.ndarray, lines: np.ndarray
    ) -> list[tuple[str, dict[int, str]]]:
        """For each relationship of a ``one_per_source`` type the file's master node starts: reasons for the valid
        rows whose source is already stored (an earlier file or load) with a link of that type to another
        target.  A row that repeats the stored link exactly passes (loading a file twice changes nothing)."""
        master = next((nm for nm in src.nodes if nm.master), None)
        if master is None:
            return []
        out = []
        for e in src.edges:
            rel = self.store.model.relationships.get(e.type)
            if rel is None or not rel.one_per_source or e.source.column != master.key or e.source.label is None:
                continue
            label = e.source.label
            if label not in self.stored_before and not self.known.get(label):
                continue
            keys, targets = vals[master.key], vals[e.target.column]
            use = ok & _valid(keys) & _valid(targets)
            if e.when:
                use &= _np(pc.fill_null(vals[e.when].cast(pa.bool_()), False))
            pos = np.flatnonzero(use)
            if not len(pos):
                continue
            self.writer.drain()  # links of earlier files are written before they are read
            new_ids = link_ids(_edge_ids(e, vals).take(pa.array(pos)))
            fresh = ~self.store.stored_links(e.type, new_ids)  # a link stored as it is passes
            pos, new_ids = pos[fresh], new_ids.filter(pa.array(fresh))
            if not len(pos):
                continue
            sub = keys.take(pa.array(pos)).cast(pa.string())
            stored = self.exists(label, sub)
            if not stored.any():
                continue
            pos, sub, new_ids = pos[stored], sub.filter(pa.array(stored)), new_ids.filter(pa.array(stored))
            have = self.store.links_from(label, e.type, pc.unique(sub).to_pylist())
            if have.empty:
                continue
            by_key: dict[str, list[tuple[int, str, object]]] = {}
            for k, rid, f, r in have[["id", "rid", "file", "row"]].itertuples(index=False):
                by_key.setdefault(str(k), []).append((int(rid), str(f), r))
            zh = src.columns[e.target.column].zh or e.target.column
            errors = {}
            for p, k, nid in zip(pos.tolist(), sub.to_pylist(), new_ids.to_pylist(), strict=True):
                links = by_key.get(k, [])
                if links and all(rid != nid for rid, _, _ in links):
                    _, f, r = links[0]
                    shown = mask_key(label, k, self.store.model)
                    errors[p] = (
                        f"{label} {shown} is already loaded from {provenance(f, r)} with another {zh}: one {e.type} "
                        f"per {label}; the stored one is kept"
                    )
            if errors:
                out.append((e.target.column, errors))
        return out

    def _registered_names(self, label: str, keys: pa.Array) -> pa.Array:
        """The ``name`` each key's node has (null where none is known): from this load's files, else the store."""
        names = pa.nulls(len(keys), pa.string())
        if chunks := self.names.get(label):
            ids = pa.concat_arrays([k for k, _ in chunks])
            idx = pc.index_in(keys, value_set=ids)
            names = pc.take(pa.concat_arrays([v for _, v in chunks]), idx)
        ask = pc.unique(keys.filter(pc.is_null(names))).to_pylist()
        if ask and label in self.stored_before:
            self.writer.drain()
            got = self.store.node_values(label, "name", None if len(ask) > 1_000 else ask)  # a scan beats a long IN
            if not got.empty:
                stored = pa.table({"id": got["id"].astype(str).tolist(), "name": got["value"].tolist()})
                idx = pc.index_in(keys, value_set=stored["id"].combine_chunks().cast(pa.string()))
                names = pc.coalesce(names, pc.take(stored["name"].combine_chunks().cast(pa.string()), idx))
        return names

    def _renamed(self, src: Source, vals: dict[str, pa.Array], ok: np.ndarray, fr: FileReport) -> None:
        """Count (``fr.renamed``) the valid rows of a master table whose entity an earlier file or load stored under
        another name (a second household file giving an ID number another 姓名): the store keeps what it holds,
        so the load must say it rather than count the row as loaded and drop its name."""
        nm = next((n for n in src.nodes if n.master and isinstance(n.properties.get("name"), str)), None)
        if nm is None or (nm.label not in self.stored_before and not self.names.get(nm.label)):
            return
        column = nm.properties["name"]
        pos = np.flatnonzero(ok & _valid(vals[nm.key]) & _valid(vals[column]))
        if not len(pos):
            return
        keys = vals[nm.key].take(pa.array(pos)).cast(pa.string())
        stored = self.exists(nm.label, keys)
        if not stored.any():
            return
        keys = keys.filter(pa.array(stored))
        given = vals[column].take(pa.array(pos[stored])).cast(pa.string())
        known = self._registered_names(nm.label, keys)
        n = sum(
            1
            for g, r in zip(given.to_pylist(), known.to_pylist(), strict=True)
            if r is not None and g != r and not _same_name(g, r)
        )
        if n:
            fr.renamed[nm.label] += n

    def _names_match(self, src: Source, vals: dict[str, pa.Array], ok: np.ndarray) -> list[tuple[str, dict[int, str]]]:
        """For each column that ``names`` another's entity (a roster's 姓名 and its 公民身份号码): reasons for the
        valid rows whose name is not the one that entity is registered under (spaces, middle dots and 繁/简
        aside), so a post is not given to another person by a wrong ID number."""
        out = []
        for c in src.columns.values():
            if c.names is None:
                continue
            key = src.columns[c.names]
            pos = np.flatnonzero(ok & _valid(vals[c.name]) & _valid(vals[c.names]))
            if not len(pos):
                continue
            sel = pa.array(pos)
            keys = vals[c.names].take(sel).cast(pa.string())
            given = vals[c.name].take(sel).cast(pa.string())
            known = self._registered_names(key.ref, keys)
            differ = _np(pc.fill_null(pc.not_equal(given, known), False))
            if not differ.any():
                continue
            errors = {}
            for p, k, g, r in zip(
                pos[differ].tolist(),
                keys.filter(pa.array(differ)).to_pylist(),
                given.filter(pa.array(differ)).to_pylist(),
                known.filter(pa.array(differ)).to_pylist(),
                strict=True,
            ):
                if _same_name(g, r):
                    continue
                who = f"{key.zh or key.name} {mask_key(key.ref, k, self.store.model)}"
                errors[p] = (
                    f"{c.zh or c.name} {g} is not the name {who} is registered under ({r}): "
                    "the row would be given to another person"
                )
            if errors:
                out.append((c.name, errors))
        return out

    def _check_refs(
        self, checks: dict[tuple[str, str], np.ndarray], vals: dict[str, pa.Array], ok: np.ndarray
    ) -> list[tuple[str, dict[int, str]]]:
        """For each (label, column) check, in order: reasons for the valid rows whose key exists nowhere.

        The keys of every check against one label are looked up together (one hash of the known keys)."""
        found: dict[tuple[str, str], tuple[np.ndarray, pa.Array, np.ndarray]] = {}
        by_label: dict[str, list[tuple[str, str]]] = {}
        for label, column in checks:
            by_label.setdefault(label, []).append((label, column))
        for label, group in by_label.items():
            parts = []
            for key in group:
                pos = np.flatnonzero(checks[key] & ok & _valid(vals[key[1]]))
                parts.append((key, pos, vals[key[1]].take(pa.array(pos))))
            if not any(len(pos) for _, pos, _ in parts):
                continue
            exists = self.exists(label, pa.concat_arrays([sub.cast(pa.string()) for _, _, sub in parts]))
            start = 0
            for key, pos, sub in parts:
                found[key] = (pos, sub, exists[start : start + len(pos)])
                start += len(pos)
        out = []
        for key in checks:
            if key not in found:
                continue
            pos, sub, exists = found[key]
            missing = ~exists
            if missing.any():
                raw_values = sub.filter(pa.array(missing)).to_pylist()
                first = self._none_yet(key[0])
                reasons = {}
                for p, v in zip(pos[missing].tolist(), raw_values, strict=True):
                    shown = mask_key(key[0], v, self.store.model)
                    where = self._refused.get((key[0], str(v)))
                    reasons[p] = (
                        f"unknown {key[0]} {shown}: its own row, {where}, was quarantined (see there)"
                        if where
                        else f"unknown {key[0]} {shown} (not in its source table nor in the store{first})"
                    )
                out.append((key[1], reasons))
        return out

    def _none_yet(self, label: str) -> str:
        """``; no Person is loaded yet: load household first, or with this file`` where no entity of ``label`` is in
        the store, in this load or in the file (a roster loaded alone into a new store: each of its rows had been
        refused as naming a person no table holds, and nothing said which table makes persons); else ``""``."""
        if label in self.stored_before or any(len(c) for c in self.known.get(label, []) + self.pending.get(label, [])):
            return ""
        makers = [s.name for s in load_contracts().values() if any(n.master and n.label == label for n in s.nodes)]
        if not makers:
            return ""
        return f"; no {label} is loaded yet: load {makers[0]} first, or with this file"

    @staticmethod
    def _primary_column(src: Source) -> str:
        m = next((n for n in src.nodes if n.master), None)
        if m:
            return m.key
        return (src.edges[0].key or (src.edges[0].source.column,))[0]

    @staticmethod
    def _primary_key(src: Source, vals: dict[str, pa.Array]) -> pa.Array | None:
        m = next((n for n in src.nodes if n.master), None)
        if m:
            return vals[m.key]
        if not src.edges:
            return None
        return _edge_ids(src.edges[0], vals)

    @staticmethod
    def _node_table(n: NodeMap, good: dict[str, pa.Array], rows: pa.Array, file: str) -> pa.Table:
        keys = good[n.key]
        present = _valid(keys)
        sel = None if present.all() else pa.array(np.flatnonzero(present))

        def pick(a: pa.Array) -> pa.Array:
            return a if sel is None else a.take(sel)

        k = int(present.sum())
        data = {"id": pick(keys)}
        for prop, source in n.properties.items():
            data[prop] = _const(source["value"], k) if isinstance(source, dict) else pick(good[source])
        data["src_file"] = _const(file, k)
        data["src_row"] = pick(rows)
        return pa.table(data)

    @staticmethod
    def _edge_tables(e: EdgeMap, good: dict[str, pa.Array], rows: pa.Array, file: str):
        ids = _edge_ids(e, good)
        base = _valid(good[e.source.column]) & _valid(good[e.target.column])
        if e.when:
            base &= _np(good[e.when].cast(pa.bool_()))
        for a, ma in _endpoint_rows(e.source, good):
            for b, mb in _endpoint_rows(e.target, good):
                m = base & ma & mb
                if not m.any():
                    continue
                sel = pa.array(np.flatnonzero(m))
                data = {
                    "from": good[e.source.column].take(sel),
                    "to": good[e.target.column].take(sel),
                    "id": ids.take(sel),
                }
                for prop, source in e.properties.items():
                    data[prop] = (
                        _const(source["value"], len(sel)) if isinstance(source, dict) else good[source].take(sel)
                    )
                data["src_file"] = _const(file, len(sel))
                data["src_row"] = rows.take(sel)
                yield (a, b), pa.table(data)


_SCIENTIFIC = re.compile(r"^\s*\d(\.\d+)?[eE]\+?\d+\s*$")


def _excel_reasons(errors: dict[int, str], cells: pa.Array) -> None:
    """An identifier refused because it reads as ``3.20582E+17`` lost its digits in Excel: say so."""
    pos = list(errors)
    for p, v in zip(pos, cells.take(pa.array(pos, pa.int64())).to_pylist(), strict=True):
        if v is not None and _SCIENTIFIC.match(v):
            errors[p] = EXCEL_DIGITS_LOST


#: column types whose values are personal identifiers, and how they are masked
_PERSONAL = {"id_number": "id_number", "party": "id_number", "phone": "phone", "account": "account"}


def _against_id(
    src: Source,
    vals: dict[str, pa.Array],
    raw: dict[str, pa.Array],
    headers: dict[str, str],
    ok: np.ndarray,
    key: str,
    held_of: Callable[[pa.Array], pa.Array],
    said: Callable[..., str],
) -> list[tuple[str, dict[int, str]]]:
    """For each column whose contract key ``key`` (``born``, ``sex``) names an ID-number column: reasons for the
    valid rows whose value is not the one the ID number holds (``held_of`` of the numbers), worded by ``said(name,
    id_name, value, held, number, shown, first)``, the number masked (``shown``; ``first``: the file wrote a
    15-digit number, shown as written, which has no check digit). The rows compared are those with both values;
    a row lacking either is no mismatch (it had stopped the load: the mismatched rows were taken from the whole
    column, not from the rows compared)."""
    out = []
    for c in src.columns.values():
        id_col = getattr(c, key)
        if id_col is None or c.name not in raw or id_col not in raw:
            continue
        ids, values = vals[id_col], vals[c.name]
        pos = np.flatnonzero(ok & _valid(ids) & _valid(values))
        if not len(pos):
            continue
        sel = pa.array(pos)
        ids, values, held = ids.take(sel), values.take(sel), held_of(ids.take(sel))
        differ = _np(pc.not_equal(held, values.cast(held.type)))
        if not differ.any():
            continue
        name = headers.get(c.name) or c.zh or c.name
        id_name = headers.get(id_col) or src.columns[id_col].zh or id_col
        errors = {}
        which = pa.array(differ)
        for p, k, was, v, h in zip(
            pos[differ].tolist(),
            ids.filter(which).to_pylist(),
            raw[id_col].take(pa.array(pos[differ])).to_pylist(),
            values.filter(which).to_pylist(),
            held.filter(which).to_pylist(),
            strict=True,
        ):
            written = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(was)))
            first = len(written) == 15  # shown as the file writes it, not as upgraded
            errors[p] = said(name, id_name, v, h, k, mask(written if first else k, "id_number"), first)
        out.append((c.name, errors))
    return out


#: why one of the two is the likelier typo: an 18-digit number's check digit catches a digit mistyped in it
_NO_CHECK_DIGIT = "the 15-digit number has no check digit: check both"


def _birth_dates(
    src: Source, vals: dict[str, pa.Array], raw: dict[str, pa.Array], headers: dict[str, str], ok: np.ndarray
) -> list[tuple[str, dict[int, str]]]:
    """For each date column ``born`` of an ID-number column (a household's 出生日期 of its 公民身份号码): reasons for
    the valid rows whose date is not the birth date the ID number holds (its digits 7-14; a 15-digit number's
    YYMMDD, read as 19YY), the ID number masked. An 18-digit number's check digit catches a digit mistyped in it,
    so there the date is the likelier typo; a 15-digit number has no check digit, and either may be wrong.

    >>> from datetime import date
    >>> from loaders.contracts import load_contracts
    >>> ids = pa.array(["110105194912310021", "110105194912310021", None])
    >>> born = {"id_number": ids, "birth_date": pa.array([date(1949, 12, 30), None, date(1950, 1, 1)], pa.date32())}
    >>> [reason for _, errors in _birth_dates(load_contracts()["household"], born, born, {}, np.ones(3, bool))
    ...  for reason in errors.values()][0].split(": ")[0]
    "出生日期 1949-12-30 is not the birth date in 公民身份号码 '1101**********0021' (1949-12-31)"
    """

    def held_of(ids: pa.Array) -> pa.Array:
        digits = pc.utf8_slice_codeunits(ids.cast(pa.string()), 6, 14)
        return pc.strptime(digits, "%Y%m%d", "s").cast(pa.date32())

    def said(name, id_name, d, h, k, shown, first) -> str:
        why = _NO_CHECK_DIGIT if first else "the number's check digit holds: the date is the likelier typo"
        return (
            f"{name} {d.isoformat()} is not the birth date in {id_name} {shown!r} ({h.isoformat()}): one of the two "
            f"is mistyped ({why})"
        )

    return _against_id(src, vals, raw, headers, ok, "born", held_of, said)


def _sexes(
    src: Source, vals: dict[str, pa.Array], raw: dict[str, pa.Array], headers: dict[str, str], ok: np.ndarray
) -> list[tuple[str, dict[int, str]]]:
    """For each 男/女 column ``sex`` of an ID-number column (a household's 性别 of its 公民身份号码): reasons for the
    valid rows whose sex is not the one the ID number's sex digit holds (GB 11643: the 17th digit, the 15th of a
    15-digit number; odd 男, even 女), the ID number masked. As for a birth date, an 18-digit number's check digit
    catches a digit mistyped in it, so there the 性别 is the likelier typo; a 15-digit number has no check digit.

    >>> from loaders.contracts import load_contracts
    >>> ids = pa.array(["110105194912310021", None, "110105194912310021"])
    >>> sex = {"id_number": ids, "gender": pa.array(["男", "女", None])}
    >>> [reason for _, errors in _sexes(load_contracts()["household"], sex, sex, {}, np.ones(3, bool))
    ...  for reason in errors.values()][0].split(": ")[0]
    "性别 男 is not the sex in 公民身份号码 '1101**********0021' (its 17th digit 2 is 女)"
    """

    def held_of(ids: pa.Array) -> pa.Array:
        digit = pc.cast(pc.utf8_slice_codeunits(ids.cast(pa.string()), 16, 17), pa.int8())
        return pc.if_else(pc.equal(pc.bit_wise_and(digit, pa.scalar(1, pa.int8())), 1), "男", "女")

    def said(name, id_name, s, h, k, shown, first) -> str:
        why = _NO_CHECK_DIGIT if first else f"the number's check digit holds: the {name} is the likelier typo"
        return (
            f"{name} {s} is not the sex in {id_name} {shown!r} (its {15 if first else 17}th digit {k[16]} is {h}): "
            f"one of the two is mistyped ({why})"
        )

    return _against_id(src, vals, raw, headers, ok, "sex", held_of, said)


def _safe(reason: str, value: object, kind: str | None) -> str:
    """A reason with the refused identifier masked (it may name the value it refuses); a party's credit code (a
    company paid, a shareholding unit) is public and left for :func:`mask_text`'s rule, never masked as an ID
    number: a party is masked as one only where it is not a valid credit code, or is a valid ID number too."""
    reason = str(reason)
    if value is not None and kind in _PERSONAL:
        for v in {str(value), str(value).strip()}:
            if v and not (kind == "party" and is_valid_credit_code(v) and not is_valid_id_number(v)):
                reason = reason.replace(v, mask(v, _PERSONAL[kind]))
    return mask_text(reason)


def _without_numbered_blank_rows(rt, src: Source):
    """A template's pre-numbered empty lines (序号 4, 5, 6 and nothing else) are blank rows, as ``,,,,`` is: left out
    of the rows read, and counted. A row qualifies when every column the contract reads is blank and every other
    cell holding a value holds a whole number; a 合计 or 制表人 row is text and stays a layout row."""
    table = rt.table
    read = [src.match_header(name, rt.title_unit) is not None for name in table.column_names]
    if not table.num_rows or all(read):  # (most files: every column read, nothing to look at)
        return rt, 0
    blank = np.ones(table.num_rows, dtype=bool)
    numbered = np.zeros(table.num_rows, dtype=bool)
    for is_read, column in sorted(zip(read, table.columns, strict=True), key=lambda x: x[0]):  # unread first
        if is_read and not numbered.any():
            return rt, 0
        cells = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))
        empty = ~_np(pc.greater(pc.utf8_length(cells), 0))
        if is_read:
            blank &= empty
        else:
            whole = _np(pc.match_substring_regex(pc.utf8_normalize(cells, "NFKC"), r"^[0-9]+(\.0)?$"))
            blank &= empty | whole
            numbered |= whole
    drop = blank & numbered
    if not drop.any():
        return rt, 0
    keep = ~drop
    new_pos = np.cumsum(keep) - 1
    errors = {h: {int(new_pos[p]): why for p, why in cells.items() if keep[p]} for h, cells in rt.cell_errors.items()}
    return replace(rt, table=table.filter(pa.array(keep)), lines=rt.lines[keep], cell_errors=errors), int(drop.sum())


def _attributes(src: Source) -> frozenset[str]:
    """Optional columns that key a node of the row's own entity, as a property would (a household's 联系电话 or
    住址, a payment's account): the node has no other column, and its only relationships join it to a required key
    of the row.  A bad value there leaves out that node and its link, as an empty cell does, and keeps the row:
    a person is not lost for a phone written 512-6512345.

    >>> from loaders.contracts import load_contracts
    >>> sorted(_attributes(load_contracts()["household"])), sorted(_attributes(load_contracts()["roster"]))
    (['address', 'phone'], [])
    """
    out = set()
    for nm in src.nodes:
        c = src.columns[nm.key]
        if c.required or nm.master or c.label_column:
            continue
        if any(isinstance(v, str) and v != c.name for v in nm.properties.values()):
            continue
        ends = [(e, other) for e in src.edges for end, other in ((e.source, e.target), (e.target, e.source))
                if end.column == c.name]  # fmt: skip
        if ends and all(
            src.columns[other.column].required
            and c.name not in (e.key or ())
            and e.when != c.name
            and c.name not in (e.source.label_column, e.target.label_column)
            for e, other in ends
        ):
            out.add(c.name)
    return frozenset(out)


def _share_groups(src: Source, name: str, vals: dict[str, pa.Array]) -> pa.Array | None:
    """The entity each row's share (column ``name``, a property of a relationship: 持股比例 of SHAREHOLDER_OF) is a
    share of, where already validated: the relationship's target (the company); ``None`` where none is."""
    for e in src.edges:
        if name in (e.properties or {}).values() and e.target.column in vals:
            return vals[e.target.column]
    return None


def _droppable(src: Source) -> frozenset[str]:
    """Optional columns whose bad value is dropped, keeping the row: those that only give a property
    (a birth date, a registered capital) or key a node of the row's own entity (:func:`_attributes`: a phone).
    A bad value in a column that is a key, an end of a relationship, part of a relationship's key, or picks a
    label or a condition refuses the row."""
    structural: set[str] = set()
    for c in src.columns.values():
        if c.label_column:
            structural.add(c.label_column)
    for nm in src.nodes:
        structural.add(nm.key)
    for e in src.edges:
        structural.update(e.key or ())
        if e.when:
            structural.add(e.when)
        for end in (e.source, e.target):
            structural.add(end.column)
            if end.label_column:
                structural.add(end.label_column)
    structural -= _attributes(src)
    return frozenset(c.name for c in src.columns.values() if not c.required and c.name not in structural)


def _droppable_refs(src: Source) -> frozenset[str]:
    """Optional columns that only name the far end of one relationship (上级单位代码 for PART_OF): a reference in
    one of them that may not be (the row's own key, for a type that never joins a node to itself) is left out
    and the row kept, as a bad optional value is; a required one, or one that is also a key, a label or a
    condition, refuses the row.

    >>> from loaders.contracts import load_contracts
    >>> sorted(_droppable_refs(load_contracts()["units"])), sorted(_droppable_refs(load_contracts()["family"]))
    (['parent_unit_id'], [])
    """
    other = {nm.key for nm in src.nodes}  # columns with another part in the row: keys, link keys, labels, conditions
    targets: Counter[str] = Counter()
    for e in src.edges:
        other.update(c for c in (*(e.key or ()), e.when, e.source.label_column, e.target.label_column, e.source.column))
        targets[e.target.column] += 1
    return frozenset(
        c.name
        for c in src.columns.values()
        if not c.required and not c.label_column and targets[c.name] == 1 and c.name not in other
    )


def _may_hold_separator(col: Column) -> bool:
    """Whether a checked value of this column can contain '|' (the canonical forms of ids, plates,
    phones, accounts, dates and numbers cannot)."""
    if col.type == "enum":
        return any("|" in v for v in col.values or ())
    return col.type in ("name", "person_name", "address", "text", "code")


def _as_type(col: Column, typ: str) -> Column:
    return replace(col, type=typ, required=False)


_NAME_MARKS = re.compile(r"[\s·•・.．‧]")


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name: spaces and middle dots aside, traditional characters read as simplified.

    >>> _same_name("阿依古丽•买买提", "阿依古丽·买买提"), _same_name("董慧曉", "董慧晓"), _same_name("杨芳佳", "董慧晓")
    (True, True, False)
    """
    a, b = _NAME_MARKS.sub("", a), _NAME_MARKS.sub("", b)
    if a == b:
        return True
    t2s = _t2s()
    return t2s.convert(a) == t2s.convert(b)


@functools.cache
def _t2s():
    """OpenCC's traditional → simplified converter, built once (it reads its dictionaries)."""
    from opencc import OpenCC

    return OpenCC("t2s")


def _edge_ids(e: EdgeMap, vals: dict[str, pa.Array]) -> pa.Array:
    """``TYPE|key1|key2…`` (empty where a key is missing; dates as YYYY-MM-DD)."""
    cols = e.key or (e.source.column, e.target.column)
    parts = [pc.fill_null(vals[c].cast(pa.string()), "") for c in cols]
    return pc.binary_join_element_wise(e.type, *parts, "|")


def _endpoint_rows(end: Endpoint, vals: dict[str, pa.Array]) -> Iterable[tuple[str, np.ndarray]]:
    if end.label:
        yield end.label, np.ones(len(vals[end.column]), dtype=bool)
        return
    kinds = vals[end.label_column]
    for kind, label in end.label_map.items():
        yield label, _np(pc.equal(kinds, kind))


# ----------------------------------------------------------------- public
@one_parse()  # an .xls parsed once for its sheets, headers and rows
def load(
    paths: Iterable[tuple[Path, Source]],
    store: GraphStore,
    *,
    progress: bool | str = False,
    encoding: str | None = None,
) -> LoadReport:
    """Load (file, contract) pairs into ``store``, all or nothing.

    Every file is preflighted first: a file that is unreadable, lacks a required column or has a
    duplicated header raises :class:`LoadError` before anything is written (an embedded store that did
    not exist is not created).  The load then runs inside :meth:`GraphStore.atomic`: when it fails
    (an unreadable file, a failed write, an interrupt) the store is left as it was, and the
    :class:`LoadError` raised carries the report of the files done so far (``exc.report``, quarantine
    included) so it can still be written.

    Parameters
    ----------
    paths : iterable of (Path, Source)
        The files and their contracts, in load order.
    store : GraphStore
        Where the accepted rows go.
    progress : bool or str
        Show a progress bar, named ``progress`` when it is a str (the console's word: ``加载``), else ``load``.
    encoding : str, optional
        The text encoding of every CSV file, instead of detecting it per file.

    Returns
    -------
    LoadReport
        Per file: encoding, rows read, loaded, quarantined, values dropped, objects created; the
        quarantine and the warnings.
    """
    jobs, notes = [], []
    for p, s in paths:
        parts, left_out, said = sheet_parts(Path(p), lambda h, s=s: (s.match_header(h) or (h,))[0], s)
        notes += left_out
        jobs += [_preflight(Path(p), s, encoding, sheet, part) for part, sheet in parts]
        jobs[-len(parts)] = replace(jobs[-len(parts)], notes=tuple(said))  # said once, by the workbook's first part
    report = LoadReport(warnings=notes)
    bar = None
    if progress:
        from graphkit.progress import tqdm

        bar = tqdm(total=len(jobs), unit="file", desc=progress if isinstance(progress, str) else "load")
    current: _Job | None = None
    queued: deque[_Validated] = deque()  # submitted files, oldest first
    try:
        # a Ctrl-C is recorded while the load reads and writes, said at once (say_load_stopping), and raised between
        # its files and the parts of a file (ctrl_c_check), while it waits for the writes, or as the block ends,
        # where the store takes the load back (ctrl_c_recorded: pyarrow's handler of its own dropped one now and
        # then); outside it the store commits, when the line a Ctrl-C gets says so
        with store.atomic(), ctrl_c_recorded(say_load_stopping) as ctrl_c:
            store.create_schema()
            with store.bulk():
                writer = _Writer()
                try:  # the writes end before the session does
                    loader = _Loader(store, writer, encoding)
                    for job in jobs:
                        ctrl_c.check()
                        current = job
                        if bar:
                            bar.set_postfix_str(job.name)
                        validated = loader.run(job, report)  # validated while earlier files are written
                        ctrl_c.check()
                        # at most AHEAD files wait in the writer's queue: the writer has the next file ready
                        # when it finishes one, and memory holds a bounded number of validated files
                        while len(queued) >= AHEAD:  # taken off once settled: a file whose writes failed
                            report.files.append(queued[0].settle())  # is reported below with the rest
                            queued.popleft()
                        validated.submit(writer)
                        queued.append(validated)
                        if bar:
                            bar.update()
                    current = None
                    writer.drain()
                    while queued:
                        report.files.append(queued[0].settle())
                        queued.popleft()
                finally:
                    writer.close()
    except Exception as exc:
        where = current.name if current is not None else "writing"
        msg = mask_text(str(exc))
        report.rolled_back = not isinstance(exc, NotTakenBack)
        report.error = f"{where}: {msg}" if current is not None else msg
        for v in queued:  # validated, but their writes were taken back
            v.report.created.clear()
            report.files.append(v.report)
        if current is not None and all(f.file != current.name for f in report.files):
            report.files.append(FileReport(current.name, current.source.name, error=msg))
        if not report.rolled_back:  # what was written stays: the line must not say the store is as it was
            raise LoadError(
                f"the load failed ({report.error}); what it had written could not be taken back: the store may hold "
                "part of it; load the same files again once the store answers (only what is missing is written)",
                report=report,
            ) from exc
        raise LoadError(f"the load failed ({report.error}); the store is left as it was", report=report) from exc
    finally:
        if bar:
            bar.close()
    return report


@one_parse()  # an .xls named otherwise (公职人员名册.xls) read for its header too, parsed once with the rest
def load_dir(
    folder: str | Path | None,
    store: GraphStore,
    *,
    progress: bool | str = False,
    ftm: Iterable[str | Path] = (),
    encoding: str | None = None,
    named: Iterable[tuple[str | Path, Source]] = (),
    contracts: dict[str, Source] | None = None,
) -> tuple[LoadReport, list[Path]]:
    """Load every table in ``folder`` that a contract matches, and the files of ``named`` as the contract each is
    paired with whatever its name or headers (``graphkit load --as``), then the FtM entity files of ``folder`` and
    those in ``ftm`` (:func:`loaders.ftm.load_ftm`); return the report and the tables no contract matched.

    ``contracts`` (default :func:`load_contracts`) are those the folder's files are matched to: with header
    mappings (:func:`loaders.contracts.map_headers`, ``graphkit load --column``), a file is matched by its mapped
    headers too; a mapped header no file of its table has is named in ``report.warnings``.

    A file of another kind in the folder is named in ``report.warnings``; one known to hold no data
    (documentation, a JSON object that is no FtM entity: :func:`loaders.ftm.not_data`) in ``report.skipped``;
    a folder with nothing loadable (and no ``ftm`` file) raises :class:`LoadError` naming what it holds."""
    from loaders.ftm import is_ftm_file, sort_folder

    contracts = contracts or load_contracts()
    named = [(Path(p), s) for p, s in named]
    for p, _ in named:
        if not p.is_file():
            raise LoadError(f"{p}: no such file")
    chosen = {p.resolve() for p, _ in named}  # --as files in the folder too: read as said, not matched again
    matched, unknown, ftm_files, others, skipped = list(named), [], [], [], []
    by_headers: set[str] = set()
    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise LoadError(f"{folder}: not a folder")
        found, unknown = find_sources(folder, contracts)
        matched += [(p, s) for p, s in found if p.resolve() not in chosen]
        unknown = [p for p in unknown if p.resolve() not in chosen]
        for p in list(unknown):  # a file named otherwise (公职人员名册.csv), read by its headers where they say
            src, _ = guess_source(p, contracts)
            if src is not None:
                matched.append((p, src))
                unknown.remove(p)
                by_headers.add(p.name)
        ftm_files, others, skipped = sort_folder(folder, EXTENSIONS)
        by_headers |= {p.name for p in ftm_files if not is_ftm_file(p)}  # FtM by what it holds: said so
        # a table's name in .txt/.tsv; a --as file
        others = [p for p in others if p not in {m for m, _ in matched} and p.resolve() not in chosen]
    ftm_files += [Path(p) for p in ftm]
    if not matched and not ftm_files:
        held = ", ".join(p.name for p in unknown + others + [p for p, _ in skipped]) or "no files"
        raise LoadError(
            f"{folder}: nothing to load (tables {', '.join(EXTENSIONS)} named after a source table or with its "
            f"headers, or FtM entities): it holds {held}; name a table after its source (household.csv, "
            "roster_2024.xlsx …: `graphkit model docs` lists them and their headers) or say which it is "
            "(--as roster=FILE)"
        )
    for p in ftm_files:
        if not p.is_file():
            raise LoadError(f"{p}: no such FtM file")
    if ftm_files and not store.queryable:
        raise LoadError(
            f"FtM files ({', '.join(p.name for p in ftm_files)}) cannot go into a neo4j-admin import folder: FtM "
            "needs a store to resolve references; import the tables, start Neo4j, then load the FtM files into it"
        )
    order = list(contracts)
    matched.sort(key=lambda ps: (order.index(ps[1].name), ps[0].name))
    # the tables and the FtM files in one transaction: a failure or a Ctrl-C while the FtM entities were written
    # left the tables committed and part of the FtM set in the store
    with contextlib.ExitStack() as whole:
        if ftm_files:
            whole.enter_context(store.atomic())
            whole.enter_context(ctrl_c_recorded())  # as in load(): the tables' and the FtM files' Ctrl-C recorded
        report = _load_all(matched, named, by_headers, contracts, ftm_files, others, store, progress, encoding)
    report.skipped = {p.name: kind for p, kind in skipped}
    return report, unknown


def _load_all(matched, named, by_headers, contracts, ftm_files, others, store, progress, encoding) -> LoadReport:
    """:func:`load_dir`'s tables, then its FtM files, into ``store``; the report of both."""
    from loaders.ftm import load_ftm

    report = load(matched, store, progress=progress, encoding=encoding)
    as_said = {p.name: f"--as {s.name}={p}" for p, s in named}
    for f in report.files:
        if f.file.split("[")[0] in by_headers:
            f.by_headers = True
        f.named_as = as_said.get(f.file.split("[")[0])
    used = {(f.source, h) for f in report.files for h in f.mapped}
    report.warnings += [
        f"--column {s.name}.{h}={c}: no {s.name} file read has a header {h}"
        + ("" if any(ms.name == s.name for _, ms in matched) else f" (no {s.name} file was read)")
        for s in contracts.values()
        for h, c in s.headers
        if (s.name, h) not in used
    ]
    if ftm_files:  # one set: fragments merge and references resolve across the files, whatever their order
        with ctrl_c_recorded() as ctrl_c:  # load_dir's: a Ctrl-C recorded during the tables raised before FtM's
            ctrl_c.check()
        part = load_ftm(ftm_files, store, progress=progress)
        for f in part.files:  # a plain x.json read as FtM by what it holds (loaders.ftm.holds_ftm)
            f.by_headers = f.file in by_headers
        report.files += part.files
        report.quarantine += part.quarantine
        report.dropped += part.dropped
    report.warnings += [
        f"{p.name}: skipped, neither a table ({', '.join(EXTENSIONS)}) nor FtM entities" for p in others
    ]
    return report
