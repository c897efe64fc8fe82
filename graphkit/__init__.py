"""graphkit: a graph-native investigation workbench for supervision (数据碰撞).

The few names a notebook needs, imported on first use (``import graphkit`` itself loads nothing heavy):

==================  ====================================================================
name                what it is
==================  ====================================================================
``open_store``      open a store from a spec: ``embedded:PATH`` or ``neo4j://HOST:PORT``
``load``            load a folder of source tables into a store (:func:`loaders.engine.load_dir`)
``Model``           the graph model declared in ``graphkit/model/*.yaml``
``search``          find entities by name (繁/简, pinyin), ID number, credit code, plate, phone
``paths``           neighbourhoods and shortest paths, each hop explained with its source row
``rules``           the data-collision models and the warning ledger (also as ``models``)
``collusion``       tender-collusion screens, scorer and bidder communities
``risk``            anomaly features, ``AnomalyScorer`` and pre-portrait data (预画像)
``mask``            the one masking function: ID numbers, phones, accounts, fuel cards, licences, plates, addresses
``Explorer``        the Jupyter panel: find → neighbourhood → path → export
``AuditLog``        the hash-chained audit log beside a store (``audit_path_for(spec)`` names it)
``write_case_file`` a case file (html, pdf, png, svg, graphml, gexf, json), masked, with legend and appendix
==================  ====================================================================

Example
-------
A five-line session on a synthetic city (``graphkit synth --out city``)::

    import graphkit as gk
    store = gk.open_store("embedded:city.db")
    report, _ = gk.load("city", store)
    hits, _ = gk.rules.run_all(store)
    gk.Explorer(store)
"""

from __future__ import annotations

# nothing imported here but for type checkers: the ``graphkit`` script imports this package before its Ctrl-C
# handling starts (graphkit.__main__.run), and a Ctrl-C while typing and pathlib loaded (10-20 ms) ended with
# Python's traceback of the import
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from graphkit.stores import GraphStore
    from loaders.report import LoadReport

__all__ = [
    "open_store",
    "load",
    "Model",
    "search",
    "paths",
    "rules",
    "models",
    "collusion",
    "risk",
    "mask",
    "Explorer",
    "AuditLog",
    "audit_path_for",
    "write_case_file",
]

_LAZY = {
    "open_store": ("graphkit.stores", "open_store"),
    "Model": ("graphkit.model", "Model"),
    "search": ("graphkit.search", None),
    "paths": ("graphkit.paths", None),
    "rules": ("graphkit.rules", None),
    "models": ("graphkit.rules", None),
    "collusion": ("graphkit.collusion", None),
    "risk": ("graphkit.risk", None),
    "mask": ("graphkit.model.mask", "mask"),
    "Explorer": ("graphkit.widgets", "Explorer"),
    "AuditLog": ("graphkit.audit", "AuditLog"),
    "audit_path_for": ("graphkit.audit", "audit_path_for"),
    "write_case_file": ("graphkit.exports", "write_case_file"),
}


def load(source: str | Path, store: GraphStore, *, progress: bool = False) -> tuple[LoadReport, list[Path]]:
    """Load every source table in a folder into a store.

    Parameters
    ----------
    source : str or Path
        A folder of CSV, XLSX or Parquet tables named after their source contract (``household.csv`` …).
    store : GraphStore
        An open store (:func:`open_store`).
    progress : bool
        Show a progress bar.

    Returns
    -------
    (LoadReport, list of Path)
        Per file: rows read, loaded and quarantined; and the files no contract matched.
    """
    from loaders.engine import load_dir

    return load_dir(source, store, progress=progress)


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'graphkit' has no attribute {name!r}") from None
    import importlib

    mod = importlib.import_module(module)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
