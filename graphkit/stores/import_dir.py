"""A folder of CSV files for ``neo4j-admin database import full``, written behind the store seam.

``graphkit load SRC --neo4j-import-dir DIR`` runs the same loader (validation, entity resolution,
quarantine) as a load into a store, and writes what it would have written as header + CSV files:

* ``nodes/<Label>.<n>.csv``: ``id:ID(<Label>)`` then the model's properties typed for the importer
  (``name``, ``birth_date:date``, ``amount:double``, ``rank:long``, ``is_winner:boolean``,
  ``time:localdatetime``); one id space per label, as node ids are unique per label;
* ``relationships/<TYPE>.<Source>.<Target>.<n>.csv``: ``:START_ID(<Source>)``, ``:END_ID(<Target>)``,
  ``id:long`` (the 64-bit id of the natural key, as the stores keep it), then the properties;
* ``import.args``: the importer's arguments, one a line (``neo4j-admin database import full
  @DIR/import.args neo4j``), every file listed; the files holding a value with a line break are named
  in ``--multiline-fields`` (format v2), so that the importer reads every other file in parallel
  (``--multiline-fields=true`` would read every file on one thread, line by line);
* ``schema.cypher``: the model's constraints and indexes, to run once the database has started.

A null is an empty unquoted field (no property), an empty string ``""``. The seam's duplicate filter
works on the ids written so far, so a key is written once. Nothing here can be queried: the folder is
only written (``python bench/neo4j_load.py`` and ``tests/test_neo4j_import_dir.py`` import it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from graphkit.model import Model
from graphkit.stores.base import GraphStore, StoreError, is_in

__all__ = ["Neo4jImportDir"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _import_type(t: pa.DataType) -> tuple[str, Any]:
    """The importer's type suffix for an Arrow type, and the Arrow type written."""
    if pa.types.is_integer(t):
        return ":long", t
    if pa.types.is_floating(t):
        return ":double", t
    if pa.types.is_boolean(t):
        return ":boolean", t
    if pa.types.is_date(t):
        return ":date", t
    if pa.types.is_timestamp(t):
        return ":localdatetime", pa.string()
    return "", t


class Neo4jImportDir(GraphStore):
    """Writes ``neo4j-admin database import full`` input into ``folder`` (see the module's doc).

    Parameters
    ----------
    folder : str or Path
        Created if missing; must hold no earlier import (``nodes/`` or ``relationships/``).
    model : Model, optional

    Example
    -------
    >>> from loaders.engine import load_dir  # doctest: +SKIP
    >>> with Neo4jImportDir("import") as out:  # doctest: +SKIP
    ...     load_dir("city", out)
    """

    queryable = False  # written, never queried: FtM files (which resolve references in the store) are refused

    dialect = "neo4j"

    def __init__(self, folder: str | Path, model: Model | None = None) -> None:
        super().__init__(model)
        self.folder = Path(folder)
        for sub in ("nodes", "relationships"):
            d = self.folder / sub
            if d.exists() and any(d.iterdir()):
                raise StoreError(f"{d} already holds files; give an empty folder for a new import")
            d.mkdir(parents=True, exist_ok=True)
        self._ids: dict[tuple[str, str], list[pa.Array]] = {}
        # (option, group) → files; one group per label and per (type, source, target): the importer reads a
        # group's header from its first file only, and the id spaces of the ends differ between pairs
        self._files: dict[tuple[str, str], list[Path]] = {}
        #: files with a value that spans lines (the importer reads them on one thread)
        self._multiline: list[Path] = []

    @contextmanager
    def atomic(self) -> Iterator[Neo4jImportDir]:
        """Nothing to take back: the folder is files, not a store, and a load that fails or is stopped leaves them
        incomplete (``graphkit load --neo4j-import-dir`` removes a folder it made, and says so of one the user
        had). The seam's undo log answered a Ctrl-C or a failed file with ``Neo4jImportDir cannot undo a write``,
        which hid the error (and ended a Ctrl-C as a failed load, exit code 2)."""
        yield self

    # ------------------------------------------------------------ hooks
    def _execute(self, query: str, params: dict[str, Any]) -> pd.DataFrame:
        raise StoreError("a neo4j-admin import folder is written, not queried")

    def _schema_statements(self) -> list[str]:
        (self.folder / "schema.cypher").write_text(";\n".join(self.model.neo4j_ddl()) + ";\n", encoding="utf-8")
        return []

    def _write_csv(self, path: Path, table: pa.Table, head: list[str]) -> None:
        cols, names = [], []
        multiline = False
        for name, col in zip(table.column_names, table.columns, strict=True):
            suffix, typ = _import_type(col.type)
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                multiline = multiline or bool(pc.any(pc.match_substring_regex(col, r"[\r\n]")).as_py())
            if pa.types.is_timestamp(col.type):
                col = pc.strftime(col, format="%Y-%m-%dT%H:%M:%S")
            cols.append(col.cast(typ))
            names.append(head.pop(0) if head else f"{name}{suffix}")
        pacsv.write_csv(pa.Table.from_arrays(cols, names=names), path)
        if multiline:
            self._multiline.append(path)

    def _remember(self, kind: str, name: str, ids: pa.Array | pa.ChunkedArray) -> None:
        chunk = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
        self._ids.setdefault((kind, name), []).append(chunk)

    def _bulk_nodes(self, label: str, table: pa.Table) -> None:
        if not _NAME.match(label):
            raise StoreError(f"label {label!r} cannot be a file name")
        files = self._files.setdefault((f"--nodes={label}", label), [])
        path = self.folder / "nodes" / f"{label}.{len(files)}.csv"
        self._write_csv(path, table, [f"id:ID({label})"])
        files.append(path)
        self._remember("node", label, table["id"])

    def _bulk_edges(self, rtype: str, source: str, target: str, table: pa.Table) -> None:
        if not all(_NAME.match(n) for n in (rtype, source, target)):
            raise StoreError(f"{rtype} {source}→{target} cannot be a file name")
        for end, label in (("from", source), ("to", target)):
            known = self._stored("node", label)
            missing = len(table) - int(is_in(table[end], known).sum()) if known is not None else len(table)
            if missing:
                raise StoreError(
                    f"{rtype} {source}→{target}: {missing} of {len(table)} relationships "
                    f"not written because an endpoint node is missing (load nodes first)"
                )
        files = self._files.setdefault((f"--relationships={rtype}", f"{rtype}.{source}.{target}"), [])
        path = self.folder / "relationships" / f"{rtype}.{source}.{target}.{len(files)}.csv"
        self._write_csv(path, table, [f":START_ID({source})", f":END_ID({target})", "id:long"])
        files.append(path)
        self._remember("rel", rtype, table["id"])

    def _stored(self, kind: str, name: str) -> pa.Array | None:
        chunks = self._ids.get((kind, name))
        return pa.concat_arrays(chunks) if chunks else None

    def _existing_ids(self, kind: str, name: str, ids: list) -> set:
        known = self._stored(kind, name)
        if known is None:
            return set()
        arr = pa.array(ids, known.type)
        return set(arr.filter(pa.array(is_in(arr, known))).to_pylist())

    def _count(self, kind: str, name: str) -> int:
        known = self._stored(kind, name)
        return 0 if known is None else len(known)

    def _subgraph_rows(self, ids: list[str]) -> tuple[list[dict], list[dict]]:
        raise StoreError("a neo4j-admin import folder is written, not queried")

    def _end_bulk(self) -> None:
        self.write_args()

    def write_args(self) -> Path:
        """Write ``import.args`` (every file, one option a line) and return its path."""

        def listed(paths: list[Path]) -> str:
            return ",".join(str(p.resolve()) for p in paths)

        lines = [
            *(
                ["--multiline-fields-format=v2", f"--multiline-fields={listed(self._multiline)}"]
                if self._multiline
                else []
            ),
            "--auto-skip-subsequent-headers=true",
            *(f"{opt}={listed(paths)}" for (opt, _), paths in self._files.items()),
        ]
        path = self.folder / "import.args"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def __enter__(self) -> Neo4jImportDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.write_args()
