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

from collections.abc import Callable, Iterable

import pandas as pd

from graphkit.stores.base import GraphStore

__all__ = ["QUERIES", "UNIT_QUERIES", "read_tables"]

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


def read_tables(
    store: GraphStore, names: Iterable[str] = QUERIES, *, progress: Callable[[str], None] | None = None
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

    Returns
    -------
    dict of DataFrame
    """
    out: dict[str, pd.DataFrame] = {}
    for name in names:
        if name not in QUERIES:
            raise ValueError(f"no risk query {name!r}; known: {', '.join(QUERIES)}")
        if progress:
            progress(name)
        out[name] = store.query(f"risk/{name}")
    return out
