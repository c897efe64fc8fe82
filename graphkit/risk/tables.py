"""What anomaly scoring reads from a store: flat tables from ``queries/risk/*.cypher``.

Each query returns plain rows (edge lists and per-entity aggregates), the same text on both stores; every
feature is then computed in pandas, so the Neo4j store and the embedded store give the same answer.

Example
-------
>>> t = read_tables(store)  # doctest: +SKIP
>>> t["contracts"].columns[:4].tolist()  # doctest: +SKIP
['contract', 'unit', 'company', 'company_name']
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.stores.base import GraphStore

__all__ = [
    "CACHE_KEY",
    "cached_tables",
    "COLUMNS",
    "PROVENANCE",
    "QUERIES",
    "UNIT_QUERIES",
    "in_order",
    "read_tables",
    "source_files",
    "store_stamp",
    "typed",
]

#: the key of a tables dict that holds its cache folder, when it was read through one
CACHE_KEY = "_cache"

#: every query under ``queries/risk/`` and the table it fills
QUERIES: tuple[str, ...] = (
    "units",
    "posts",
    "family",
    "shareholders",
    "directors",
    "contracts",
    "tenders",
    "bidders",
    "person_payments",
    "fuel_cards",
    "vehicle_stops",
    "receptions",
    "hotline",
    "persons",
    "companies",
)
#: the type of every column of every table, as the queries' ``RETURN`` gives it (``str``, ``int``, ``float``,
#: ``bool``, ``date``): a column is cast to it (:func:`typed`) on either store, for the values cannot always show it
#: (no rows, or only nulls: Neo4j sends no types, and Ladybug gives ``object`` or ``float64`` there)
COLUMNS: dict[str, dict[str, str]] = {
    name: dict(item.split(":") for item in spec.split())
    for name, spec in {
        "units": "unit:str name:str kind:str jurisdiction:str staff:int src_file:str src_row:int",
        "posts": "person:str unit:str role:str post:str start_date:date end_date:date src_file:str src_row:int",
        "family": "a:str b:str relationship:str src_file:str src_row:int",
        "shareholders": "holder:str holder_label:str company:str percent:float src_file:str src_row:int",
        "directors": "person:str company:str role:str title:str src_file:str src_row:int",
        "contracts": "contract:str unit:str company:str company_name:str amount:float method:str title:str "
        "signed_date:date tender:str src_file:str src_row:int",
        "tenders": "tender:str unit:str method:str category:str budget:float publish_date:date close_date:date "
        "bids:int winner:str src_file:str src_row:int bids_files:files won_file:str won_row:int",
        "bidders": "tender:str company:str is_winner:bool src_file:str src_row:int",
        "person_payments": "payment:str unit:str person:str amount:float date:date purpose:str src_file:str "
        "src_row:int",
        "fuel_cards": "card:str unit:str vehicle:str vehicle_kind:str tank_capacity:float brand:str fills:int "
        "litres:float amount:float held_file:str held_row:int for_file:str for_row:int vehicle_file:str "
        "vehicle_row:int fills_files:files",
        "vehicle_stops": "vehicle:str unit:str vehicle_kind:str tank_capacity:float stops:int stops_files:files",
        "receptions": "reception:str unit:str date:date amount:float guests:int letter_no:str src_file:str src_row:int",
        "hotline": "ticket:str unit:str status:str phone:str created_at:date src_file:str src_row:int",
        "persons": "person:str name:str src_file:str src_row:int",
        "companies": "company:str name:str status:str registered_date:date src_file:str src_row:int",
    }.items()
}
#: how the cached copies' rows are ordered (:func:`in_order`) and what they carry (every table its rows' source
#: files, :data:`PROVENANCE`); copies written before are read again from the store
ROWS = "typed, sorted, sources, provenance"
#: the columns that say which source file a table's rows came from: ``src_file`` (with ``src_row``), a
#: ``*_file`` (one row of a linked record) or a ``*_files`` list (``collect(DISTINCT x.src_file)``, the records
#: counted into the row); every table of :data:`COLUMNS` has one (``tests/test_risk.py``), so whatever is
#: computed from a table's rows can say where it came from (:func:`source_files`)
PROVENANCE = ("src_file", "_file", "_files")
#: what unit features and a unit's portrait need (no person, company or bid listing)
UNIT_QUERIES: tuple[str, ...] = tuple(q for q in QUERIES if q not in ("persons", "companies", "bidders"))


def typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table ``name`` with its columns of the types :data:`COLUMNS` gives: ``str`` (nulls NaN), ``int``
    (``int64``; ``float64`` when a value is null), ``float``, ``bool`` (``object`` when a value is null) and
    ``date`` (``datetime64[us]``, dates and timestamps alike) and ``files`` (a list of file names, as
    ``collect(DISTINCT …)`` gives it in an engine's own order: the names sorted, joined by ``;``). Columns not
    listed are kept as they are.

    Example
    -------
    >>> empty = typed(pd.DataFrame({"company": [], "name": [], "status": [], "registered_date": []}), "companies")
    >>> empty.dtypes.astype(str).tolist()
    ['str', 'str', 'str', 'datetime64[us]']
    >>> typed(pd.DataFrame({"tender": ["T1"], "company": ["C1"], "is_winner": [None]}), "bidders")["is_winner"].dtype
    dtype('O')
    """
    df = df.copy()
    for col, kind in COLUMNS.get(name, {}).items():
        if col not in df.columns:
            continue
        values, nulls = df[col], df[col].isna().any()
        if kind == "date":
            df[col] = values.astype("datetime64[us]")
        elif kind == "int":
            df[col] = values.astype("float64" if nulls else "int64")
        elif kind == "float":
            df[col] = values.astype("float64")
        elif kind == "bool":
            df[col] = values.astype(object if nulls else "bool")
        elif kind == "files":
            df[col] = values.map(_files).astype("str")
        else:
            df[col] = values.astype("str")
    return df


def source_files(df: pd.DataFrame) -> set[str]:
    """The source files ``df``'s rows came from: the values of its provenance columns (:data:`PROVENANCE`;
    a ``files`` column holds ``a.csv;b.csv``), nulls and blanks left out.

    Example
    -------
    >>> sorted(source_files(pd.DataFrame({"unit": ["U1", "U2"], "src_file": ["units.csv", None],
    ...                                   "fills_files": ["fuel_transactions.csv", ""]})))
    ['fuel_transactions.csv', 'units.csv']
    """
    out: set[str] = set()
    for col in df.columns:
        if col == "src_file" or col.endswith(PROVENANCE[1:]):
            for v in df[col].dropna().unique():
                out.update(f for f in (v.split(";") if isinstance(v, str) else _files(v).split(";")) if f)
    return out - {"nan", "None"}


def _files(v: Any) -> str:
    """A list of file names as one deterministic string (sorted, ``;``-joined); '' for none."""
    if isinstance(v, str):
        return v
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return ";".join(sorted({str(x) for x in v if x is not None and x == x and str(x)}))


def in_order(df: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by every column (nulls last; list or map columns not compared), indexed 0..n-1.

    A query without ``ORDER BY`` returns rows in each engine's own order, which is not the same in Neo4j and
    in the embedded store. Features sum and rank in pandas, so the order of the rows would show: floating-point
    sums that differ in the last digits, and ties (units with equal scores) listed in another order. Sorted,
    the tables are the same rows in the same order from either store, and what is computed from them is too.

    Example
    -------
    >>> in_order(pd.DataFrame({"unit": ["b", "a", "a"], "amount": [1.0, None, 2.0]})).to_dict("list")
    {'unit': ['a', 'a', 'b'], 'amount': [2.0, nan, 1.0]}
    """
    if df.empty:
        return df.reset_index(drop=True)
    keys = [
        c
        for c in df.columns
        if df[c].dtype != "object" or not df[c].map(lambda v: isinstance(v, (list, dict, tuple))).any()
    ]
    return df.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)


def store_stamp(store: GraphStore) -> str | None:
    """What identifies the state of an embedded store's files (size and modification time of the database
    file and its write-ahead log), or None for a store without files of its own (Neo4j)."""
    path = getattr(store, "path", None)
    if path is None:
        return None
    parts = []
    for p in (Path(path), Path(str(path) + ".wal")):
        if p.exists():
            st = p.stat()
            parts.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts) or None


def read_tables(
    store: GraphStore,
    names: Iterable[str] = QUERIES,
    *,
    progress: Callable[[str], None] | None = None,
    cache: str | Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Run the risk queries and return their rows by name.

    Parameters
    ----------
    store : GraphStore
        Any store of the seam.
    names : iterable of str
        Which of :data:`QUERIES` to run.
    progress : callable, optional
        Called with each query's name before it runs.
    cache : path, optional
        A folder of Parquet copies of the tables, kept for as long as the store's files do not change
        (:func:`store_stamp`): ``graphkit rank`` fills it and the portraits that follow read it instead of
        querying the store again; the tables derived from them (staff links, price ratios, fuel ratios:
        :func:`graphkit.risk.features.derived`) are kept there too.  Ignored for a store without files (Neo4j).

    Returns
    -------
    dict of DataFrame
        By query name; read through a cache, also the folder under :data:`CACHE_KEY`.
    """
    stamp = store_stamp(store) if cache is not None else None
    folder = Path(cache) if cache is not None else None
    fresh = False
    if stamp is not None and folder is not None:
        fresh = _fresh(folder, stamp)
        if not fresh and folder.exists():
            shutil.rmtree(folder)
    out: dict[str, pd.DataFrame] = {}
    if stamp is not None and folder is not None:
        out[CACHE_KEY] = folder  # type: ignore[assignment]  # where derived tables are kept too (features.derived)
    for name in names:
        if name not in QUERIES:
            raise ValueError(f"no risk query {name!r}; known: {', '.join(QUERIES)}")
        if progress:
            progress(name)
        copy = folder / f"{name}.parquet" if stamp is not None and folder is not None else None
        if fresh and copy is not None and copy.exists():
            out[name] = pd.read_parquet(copy)
            continue
        out[name] = in_order(typed(store.query(f"risk/{name}"), name))
        if copy is not None:
            folder.mkdir(parents=True, exist_ok=True)
            out[name].to_parquet(copy, index=False)
            (folder / "stamp.json").write_text(json.dumps({"stamp": stamp, "rows": ROWS}), encoding="utf-8")
    return out


def _fresh(folder: Path, stamp: str) -> bool:
    """Whether the copies in ``folder`` were written for the store's files as they are (``stamp``) and the
    tables' present layout (:data:`ROWS`): the one rule :func:`read_tables` and :func:`cached_tables` read by."""
    mark = folder / "stamp.json"
    return mark.is_file() and json.loads(mark.read_text(encoding="utf-8")) == {"stamp": stamp, "rows": ROWS}


def cached_tables(store: GraphStore, names: Iterable[str], cache: str | Path) -> dict[str, pd.DataFrame] | None:
    """The tables ``names`` from the Parquet copies :func:`read_tables` keeps in ``cache`` (``graphkit rank``'s
    ``<store>.risk-cache``) when they are fresh for the store's files (:func:`store_stamp`), else None. It only
    reads: a stale or missing copy is neither dropped nor written (what a panel that must not write beside the
    store reads, falling back to the queries)."""
    stamp = store_stamp(store)
    folder = Path(cache)
    if stamp is None:
        return None
    try:
        if not _fresh(folder, stamp):
            return None
        names = list(names)
        if not all((folder / f"{n}.parquet").is_file() for n in names):
            return None
        return {n: pd.read_parquet(folder / f"{n}.parquet") for n in names}
    except (OSError, ValueError):  # a copy being rewritten by rank meanwhile: read the store instead
        return None


#: the date each dated table is filtered on by :func:`in_period` (the tender's publication, the contract's
#: signature, the payment, the reception, the hotline ticket's creation)
PERIOD_DATES = {
    "contracts": "signed_date",
    "tenders": "publish_date",
    "person_payments": "date",
    "receptions": "date",
    "hotline": "created_at",
}
#: tables whose rows carry no date of their own (totals over all time): :func:`in_period` keeps them whole
UNDATED = ("fuel_cards", "vehicle_stops")


def parse_period(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``2024``, ``2024-03``, ``2024-01-01..2024-06-30`` (or ``2024-01..2024-06``) as the first and the last day.

    >>> [str(d.date()) for d in parse_period("2024")]
    ['2024-01-01', '2024-12-31']
    >>> [str(d.date()) for d in parse_period("2024-02")]
    ['2024-02-01', '2024-02-29']
    >>> [str(d.date()) for d in parse_period("2023-07..2024-06")]
    ['2023-07-01', '2024-06-30']
    """

    def bounds(part: str) -> tuple[pd.Timestamp, pd.Timestamp]:
        part = part.strip()
        digits = part.replace("-", "")
        if not digits.isdigit() or len(digits) not in (4, 6, 8):
            raise ValueError(f"{part!r} is not a year (2024), a month (2024-03) or a day (2024-03-15)")
        if len(digits) == 4:
            p = pd.Period(digits, freq="Y")
        elif len(digits) == 6:
            p = pd.Period(f"{digits[:4]}-{digits[4:]}", freq="M")
        else:
            p = pd.Period(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}", freq="D")
        return p.start_time.normalize(), p.end_time.normalize()

    first, _, last = str(text).partition("..")
    start, end = bounds(first)
    if last:
        end = bounds(last)[1]
    if end < start:
        raise ValueError(f"{text!r}: the period ends before it starts")
    return start, end


def in_period(tables: dict[str, Any], start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
    """The tables as they stood in one period, for comparing a unit's risk between two (``rank --period``):
    dated rows (:data:`PERIOD_DATES`) from ``start`` to ``end`` inclusive; posts held at some time in it, a post
    still held at its end counting as current, one left within it as former; every other table whole (the
    registries, and :data:`UNDATED`, whose rows are totals with no date). A new dict, without the cache
    folder and the derived tables of ``tables``, which are of all time."""
    out: dict[str, Any] = {}
    for name, df in tables.items():
        if not isinstance(df, pd.DataFrame):
            continue  # the cache folder and the derived tables: of all time
        if name in PERIOD_DATES:
            d = pd.to_datetime(df[PERIOD_DATES[name]])
            df = df[(d >= start) & (d <= end)]
        elif name == "posts":
            began = pd.to_datetime(df["start_date"])
            ended = pd.to_datetime(df["end_date"])
            df = df[(began.isna() | (began <= end)) & (ended.isna() | (ended >= start))].copy()
            df.loc[pd.to_datetime(df["end_date"]) > end, "end_date"] = pd.NaT  # held at the period's end
        out[name] = df.reset_index(drop=True)
    return out


#: a warning's entity types that are records of a dated table (:data:`PERIOD_DATES`): the table and its key
DATED_TYPES = {
    "tender": ("tenders", "tender"),
    "contract": ("contracts", "contract"),
    "reception": ("receptions", "reception"),
    "ticket": ("hotline", "ticket"),
    "payment": ("person_payments", "payment"),
}


def warnings_in_period(warnings: list[dict] | None, period: dict[str, Any]) -> tuple[list[dict], int, int]:
    """The ledger's warnings that belong to a period (``period``: :func:`in_period`'s tables): those naming a
    record of it (a tender, contract, reception, hotline ticket or payment dated in it). A warning naming no
    dated record (a fuel card's, a vehicle's, a registry's) cannot be placed in time and is left out, as is one
    whose dated records all fall outside: counting them in every period made two periods' scores alike.
    Returns the warnings kept, how many were undated, how many fell outside."""
    ids = {t: set(period[table][key].astype(str)) for t, (table, key) in DATED_TYPES.items() if table in period}
    kept, undated, outside = [], 0, 0
    for w in warnings or []:
        dated = [(str(e), t) for e, t in zip(w.get("entities", []), w.get("types", []), strict=False) if t in ids]
        if not dated:
            undated += 1
        elif any(e in ids[t] for e, t in dated):
            kept.append(w)
        else:
            outside += 1
    return kept, undated, outside
