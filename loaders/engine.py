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
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from graphkit.stores.base import GraphStore
from loaders.contracts import EdgeMap, Endpoint, Source, load_contracts
from loaders.report import FileReport, LoadError, LoadReport, Quarantined
from loaders.validate import check_column

log = logging.getLogger("graphkit.loaders")

__all__ = ["load", "load_dir", "find_sources", "read_table", "LoadError"]

EXTENSIONS = (".csv", ".xlsx", ".xls", ".parquet")


@dataclass
class _Job:
    path: Path
    source: Source
    header: list[str]


# ----------------------------------------------------------------- reading
def read_header(path: Path) -> list[str]:
    """Column headers of a table file, without reading the rows."""
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq
            return list(pq.read_schema(path).names)
        if path.suffix in (".xlsx", ".xls"):
            return [str(c) for c in pd.read_excel(path, nrows=0, dtype=str).columns]
        with path.open(encoding="utf-8-sig") as fh:
            first = fh.readline()
        import csv
        return [h.strip() for h in next(csv.reader([first]))] if first.strip() else []
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise LoadError(f"{path}: cannot read the file ({exc})") from exc
    except Exception as exc:  # parquet/xlsx readers raise their own types
        raise LoadError(f"{path}: cannot read the file ({type(exc).__name__}: {exc})") from exc


def read_table(path: Path) -> pd.DataFrame:
    """All cells as strings (empty → null), headers stripped."""
    try:
        if path.suffix == ".parquet":
            df = pd.read_parquet(path)
            df = df.astype(object).where(df.notna(), None)
            df = df.map(lambda v: None if v is None else str(v))
        elif path.suffix in (".xlsx", ".xls"):
            df = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            import pyarrow as pa
            import pyarrow.csv as pacsv
            names = read_header(path)
            tbl = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(encoding="utf8", column_names=names, skip_rows=1),
                convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False),
                parse_options=pacsv.ParseOptions(newlines_in_values=True))
            df = tbl.to_pandas()
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(f"{path}: cannot read the file ({type(exc).__name__}: {exc})") from exc
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    return df


def find_sources(folder: Path) -> tuple[list[tuple[Path, Source]], list[Path]]:
    """Files in ``folder`` matched to contracts by name (``household.csv``,
    ``household_2024.xlsx`` …), in load order; and the table files no contract matches."""
    contracts = load_contracts()
    matched, unknown = [], []
    for path in sorted(Path(folder).iterdir()):
        if path.suffix.lower() not in EXTENSIONS or path.name.startswith((".", "~$")):
            continue
        stem = path.stem.lower()
        src = contracts.get(stem) or next((s for n, s in contracts.items()
                                           if re.fullmatch(rf"{n}[_\-.].+", stem)), None)
        (matched.append((path, src)) if src else unknown.append(path))
    order = list(contracts)
    matched.sort(key=lambda ps: (order.index(ps[1].name), ps[0].name))
    return matched, unknown


def _preflight(path: Path, source: Source) -> _Job:
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    header = read_header(path)
    aliases = source.header_aliases()
    canon = [aliases.get(h.strip().lstrip("\ufeff")) for h in header]
    missing = [c for c in source.required_columns if c.name not in canon]
    if missing:
        c = missing[0]
        more = f" (and {', '.join(m.name for m in missing[1:])})" if len(missing) > 1 else ""
        raise LoadError(f"{path}: required column '{c.name}' ({c.zh}) is missing{more}; "
                        f"the file has {', '.join(header) or 'no header'}")
    return _Job(path, source, header)


# ----------------------------------------------------------------- loading
class _Loader:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.known: dict[str, set[str]] = {}      # label -> keys seen in this load or confirmed in the store
        self.pending: dict[str, set[str]] = {}    # label -> keys the file being loaded creates
        self._index: dict[str, pd.Index] = {}     # label -> known keys, hashed once for lookups

    def learn(self, label: str, keys) -> None:
        self.known.setdefault(label, set()).update(keys)
        self._index.pop(label, None)

    def exists(self, label: str, keys: pd.Series) -> pd.Series:
        """Which keys exist (loaded in this run, or already in the store)."""
        if label not in self._index:
            self._index[label] = pd.Index(list(self.known.get(label, ())), dtype=object)
        mask = pd.Series(self._index[label].get_indexer(keys.astype(object)) >= 0, index=keys.index)
        if self.pending.get(label):
            mask |= keys.isin(self.pending[label])
        ask = keys[~mask & keys.notna()].unique().tolist()
        if ask:
            found = self.store.existing_ids(label, ask)
            if found:
                self.learn(label, found)
                mask |= keys.isin(found)
        return mask

    def run(self, job: _Job, report: LoadReport) -> FileReport:
        src, path = job.source, job.path
        fr = FileReport(file=path.name, source=src.name)
        raw = read_table(path)
        aliases = src.header_aliases()
        raw = raw.rename(columns={c: aliases[c] for c in raw.columns if c in aliases})
        raw = raw[[c for c in raw.columns if c in src.columns]]
        raw = raw.loc[:, ~raw.columns.duplicated()]
        fr.read = len(raw)
        raw.index = pd.RangeIndex(2, 2 + len(raw))         # spreadsheet row numbers

        vals: dict[str, pd.Series] = {}
        reason = pd.Series(None, index=raw.index, dtype=object)
        bad_col = pd.Series(None, index=raw.index, dtype=object)

        def flag(errors: pd.Series, column: str) -> None:
            new = errors.notna() & reason.isna()
            reason[new] = errors[new]
            bad_col[new] = column

        for name, col in src.columns.items():
            if name not in raw.columns:
                vals[name] = pd.Series(None, index=raw.index, dtype=object)
                continue
            if col.type == "party":
                continue
            v, e = check_column(raw[name], col)
            vals[name] = v
            flag(e, name)
        for name, col in src.columns.items():       # party ids: type picked by another column
            if col.type != "party" or name not in raw.columns:
                continue
            kinds = vals[col.label_column]
            out = pd.Series(None, index=raw.index, dtype=object)
            for kind, typ in (("person", "id_number"), ("company", "credit_code"), ("organization", "credit_code")):
                m = kinds == kind
                if m.any():
                    v, e = check_column(raw.loc[m, name], _as_type(col, typ))
                    out[m] = v
                    flag(e.reindex(raw.index), name)
            if col.required:
                flag(pd.Series("required value is missing", index=raw.index).where(out.isna() & kinds.notna()), name)
            vals[name] = out
        ok = reason.isna()

        # duplicates of the file's primary key
        pkey = self._primary_key(src, vals)
        if pkey is not None:
            dup = ok & pkey.notna() & pkey.duplicated(keep="first") & pkey.where(ok).duplicated(keep="first")
            if dup.any():
                first = pkey[ok & ~pkey.duplicated(keep="first")]
                first_row = pd.Series(first.index, index=first.values)
                msg = "duplicate of row " + pkey[dup].map(first_row).astype("Int64").astype(str)
                flag(msg.reindex(raw.index), self._primary_column(src))
                ok = reason.isna()

        # references: every edge endpoint not created by this file must exist;
        # keys this file itself creates (valid rows) count as known (e.g. a parent unit)
        created_here = {(n.label, n.key) for n in src.nodes}
        for n in src.nodes:
            self.pending.setdefault(n.label, set()).update(vals[n.key][ok].dropna())
        for name, col in src.columns.items():
            if col.ref and (col.ref, name) not in created_here:
                self._check_ref(col.ref, vals[name], ok, flag, name)
                ok = reason.isna()
        for e in src.edges:
            for end in (e.source, e.target):
                if end.label and ((end.label, end.column) in created_here or src.columns[end.column].ref):
                    continue
                for label, m in _endpoint_rows(end, vals):
                    if (label, end.column) not in created_here:
                        self._check_ref(label, vals[end.column].where(m), ok, flag, end.column)
                        ok = reason.isna()

        # quarantine
        bad = ~ok
        for row in raw.index[bad]:
            c = bad_col[row]
            v = raw.at[row, c] if c in raw.columns else None
            report.quarantine.append(Quarantined(path.name, int(row), str(c), "" if v is None else str(v),
                                                 str(reason[row])))
        fr.quarantined = int(bad.sum())
        fr.loaded = int(ok.sum())
        self.pending.clear()
        good = {k: v[ok] for k, v in vals.items()}
        rows = raw.index[ok]

        # write nodes, then edges
        for n in src.nodes:
            frame = self._node_frame(n, good, rows, path.name)
            frame = frame.drop_duplicates("id", keep="first")
            fr.created[n.label] += self.store.upsert_nodes(n.label, frame)
            self.learn(n.label, frame["id"])
        for e in src.edges:
            for (a, b), frame in self._edge_frames(e, good, rows, path.name):
                fr.created[e.type] += self.store.upsert_edges(e.type, a, b, frame)
        fr.created = +fr.created
        return fr

    def _check_ref(self, label: str, keys: pd.Series, ok: pd.Series, flag, column: str) -> None:
        present = ok & keys.notna()
        if not present.any():
            return
        exists = self.exists(label, keys[present])
        missing = exists[~exists].index
        if len(missing):
            msg = pd.Series(f"unknown {label} ", index=missing) + keys[missing].astype(str) + \
                " (not in its source table nor in the store)"
            flag(msg.reindex(ok.index), column)

    @staticmethod
    def _primary_column(src: Source) -> str:
        m = next((n for n in src.nodes if n.master), None)
        if m:
            return m.key
        return (src.edges[0].key or (src.edges[0].source.column,))[0]

    @staticmethod
    def _primary_key(src: Source, vals: dict[str, pd.Series]) -> pd.Series | None:
        m = next((n for n in src.nodes if n.master), None)
        if m:
            return vals[m.key]
        if not src.edges:
            return None
        return _edge_ids(src.edges[0], vals)

    @staticmethod
    def _node_frame(n, good: dict[str, pd.Series], rows: pd.Index, file: str) -> pd.DataFrame:
        keys = good[n.key]
        m = keys.notna()
        data = {"id": keys[m].astype(str)}
        for prop, source in n.properties.items():
            data[prop] = (pd.Series(source["value"], index=keys.index)[m] if isinstance(source, dict)
                          else good[source][m])
        data["src_file"] = pd.Series(file, index=keys.index)[m]
        data["src_row"] = pd.Series(rows, index=keys.index)[m]
        return pd.DataFrame(data).reset_index(drop=True)

    @staticmethod
    def _edge_frames(e: EdgeMap, good: dict[str, pd.Series], rows: pd.Index, file: str):
        ids = _edge_ids(e, good)
        base = good[e.source.column].notna() & good[e.target.column].notna()
        if e.when:
            base &= good[e.when].fillna(False).astype(bool)
        for a, ma in _endpoint_rows(e.source, good):
            for b, mb in _endpoint_rows(e.target, good):
                m = base & ma & mb
                if not m.any():
                    continue
                data = {"from": good[e.source.column][m].astype(str), "to": good[e.target.column][m].astype(str),
                        "id": ids[m]}
                for prop, source in e.properties.items():
                    data[prop] = (pd.Series(source["value"], index=m.index)[m] if isinstance(source, dict)
                                  else good[source][m])
                data["src_file"] = pd.Series(file, index=m.index)[m]
                data["src_row"] = pd.Series(rows, index=m.index)[m]
                frame = pd.DataFrame(data).drop_duplicates("id", keep="first").reset_index(drop=True)
                yield (a, b), frame


def _as_type(col, typ):
    from dataclasses import replace
    return replace(col, type=typ, required=False)


def _edge_ids(e: EdgeMap, vals: dict[str, pd.Series]) -> pd.Series:
    cols = e.key or (e.source.column, e.target.column)
    parts = [vals[c].astype(str).where(vals[c].notna(), "") for c in cols]
    out = pd.Series(e.type, index=parts[0].index)
    for p in parts:
        out = out + "|" + p
    return out


def _endpoint_rows(end: Endpoint, vals: dict[str, pd.Series]) -> Iterable[tuple[str, pd.Series]]:
    if end.label:
        yield end.label, pd.Series(True, index=vals[end.column].index)
        return
    kinds = vals[end.label_column]
    for kind, label in end.label_map.items():
        yield label, (kinds == kind).fillna(False).astype(bool)


# ----------------------------------------------------------------- public
def load(paths: Iterable[tuple[Path, Source]], store: GraphStore, *, progress: bool = False) -> LoadReport:
    """Load (file, contract) pairs into ``store``; raise :class:`LoadError` before any
    write if a file is unreadable or lacks a required column."""
    jobs = [_preflight(Path(p), s) for p, s in paths]
    store.create_schema()
    report = LoadReport()
    loader = _Loader(store)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(jobs), unit="file", desc="load")
    for job in jobs:
        if bar:
            bar.set_postfix_str(job.path.name)
        fr = loader.run(job, report)
        report.files.append(fr)
        log.info("%s: read %d, loaded %d, quarantined %d, created %s", fr.file, fr.read, fr.loaded,
                 fr.quarantined, dict(fr.created))
        if bar:
            bar.update()
    if bar:
        bar.close()
    return report


def load_dir(folder: str | Path, store: GraphStore, *, progress: bool = False) -> tuple[LoadReport, list[Path]]:
    """Load every table in ``folder`` that a contract matches; return the report and the files no contract matched."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LoadError(f"{folder}: not a folder")
    matched, unknown = find_sources(folder)
    return load(matched, store, progress=progress), unknown
