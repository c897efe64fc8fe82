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

import pandas as pd

from graphkit.stores.base import GraphStore

__all__ = ["CACHE_KEY", "QUERIES", "UNIT_QUERIES", "read_tables", "store_stamp"]

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
#: what unit features and a unit's portrait need (no person, company or bid listing)
UNIT_QUERIES: tuple[str, ...] = tuple(q for q in QUERIES if q not in ("persons", "companies", "bidders"))


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
        mark = folder / "stamp.json"
        fresh = mark.exists() and json.loads(mark.read_text(encoding="utf-8")).get("stamp") == stamp
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
        out[name] = store.query(f"risk/{name}")
        if copy is not None:
            folder.mkdir(parents=True, exist_ok=True)
            out[name].to_parquet(copy, index=False)
            (folder / "stamp.json").write_text(json.dumps({"stamp": stamp}), encoding="utf-8")
    return out
