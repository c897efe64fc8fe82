"""The default store: Ladybug (the maintained fork of Kùzu), in-process and on disk.

Bulk loads go through ``COPY <table> FROM <arrow table>``; ``UNWIND … MERGE``
grows quadratically, so the seam deduplicates in Arrow and copies only rows
whose keys are new.  Inside a :meth:`~GraphStore.bulk` session the store
checkpoints once at the end instead of after every ``COPY``, and keeps the
counts and ids of the tables it writes instead of asking for them again.

The file format changes between Ladybug versions: the version is pinned in
``pyproject.toml`` and a store is always rebuildable from the source tables.
Back up with :meth:`EmbeddedStore.backup` (``COPY … TO`` per table), since
``EXPORT DATABASE`` fails when one relationship type joins several label pairs.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model import Model
from graphkit.stores.base import GraphStore, Pieces, StoreError, is_in, keeps_ctrl_c
from graphkit.stores.dialect import to_ladybug

#: the Ladybug text of a query sent through rows(), kept: hot paths send the same few texts again and again
_ladybug_text = lru_cache(maxsize=1024)(to_ladybug)


#: a bulk session counts the relationships of a store of at most this many nodes in one statement
#: (:meth:`EmbeddedStore._all_counts`), a larger store's a table at a time as the load writes them
COUNT_RELS_AT_ONCE = 200_000


@dataclass
class _Ids:
    """The ids of one table (as Arrow chunks) and the row count they belong to."""

    chunks: list[pa.Array]
    count: int
    type: pa.DataType = field(default_factory=pa.string)
    _all: pa.Array | None = field(default=None, repr=False)

    def add(self, ids: pa.Array | pa.ChunkedArray) -> None:
        self.chunks.append(ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids)
        self.count += len(ids)
        self._all = None

    def array(self) -> pa.Array:
        if self._all is None:
            self._all = pa.concat_arrays(self.chunks) if self.chunks else pa.array([], self.type)
            self.chunks = [self._all]
        return self._all

    def contains(self, ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
        return is_in(ids, self.array())


#: a parameter list longer than this makes a :meth:`EmbeddedStore.rows` statement a one-off (:func:`_one_off`): the
#: links out of a label's evidence nodes, a set's links; a neighbourhood page's 50 keys stay prepared (bench/paths.py)
ONE_OFF_LIST = 100


#: a subgraph reads the links out of its nodes of a label a node at a time (a prepared primary-key lookup, about a
#: millisecond) up to this many nodes, and every link out of the label in one pass above it
SUBGRAPH_BY_KEY = 2_000


#: a query declared readable in pieces (``pieces`` in its header: ``collusion/bids``) is read this many keys at a time
#: (:meth:`EmbeddedStore._read_whole`): Ladybug holds a query's whole result, and each ``OPTIONAL MATCH``'s rows on the
#: way, in its buffer pool, whose pages the process keeps once they are taken. Read at once, a million-person city's
#: 284,000 bids took most of the 1.3 GB that ``collusion score``'s step "reading the store" added
#: (``python bench/collusion_steps.py``), under the rest of the command's peak
KEYS_PER_PIECE = 5_000


def joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames of one query's pieces, one after the other, as the one reading of all of them gives it.

    ``get_as_df`` types a column by the values it holds: a piece with no value in a text column gives ``object``
    where the others give ``str``, one with a null in a whole-number column ``float64``. Concatenated, a column the
    pieces typed differently is ``object`` where the one reading types it by all the values: it is typed again from
    them (``str`` for text and nulls); numbers and dates concatenate as the one reading gives them. Empty pieces are
    left out (their columns are typed by nothing); none but empty: the last.

    Example
    -------
    >>> a = pd.DataFrame({"s": pd.Series([None], dtype=object), "n": [1.0]})
    >>> b = pd.DataFrame({"s": ["x"], "n": [2]})
    >>> joined([a, b]).dtypes.astype(str).to_dict()
    {'s': 'str', 'n': 'float64'}
    """
    full = [f for f in frames if len(f)]
    if len(full) <= 1:
        return full[0] if full else frames[-1]
    out = pd.concat(full, ignore_index=True)
    for col in out.columns:
        if out[col].dtype == object and any(f[col].dtype != full[0][col].dtype for f in full[1:]):
            out[col] = pd.Series(out[col].to_numpy(dtype=object), index=out.index)
    return out


@lru_cache(maxsize=1)
def _connection_class() -> type:
    """``ladybug.Connection`` that loses no Ctrl-C and that a Ctrl-C never leaves waiting for ever when it closes.

    Its ``execute`` raises a Ctrl-C pressed while Ladybug's binding checks the SIGINT handler before a query, which
    was dropped there, the command running on to its end (:func:`graphkit.stores.base.lost_interrupts_raised`).

    Ladybug counts the calls in flight on a connection (``_tracks_call``: up as a call starts, down in a
    ``finally`` as it ends), and ``close()`` waits until none is. A Ctrl-C is raised in the main thread wherever
    Python next looks for one, inside that bookkeeping too: after the count went up and before the ``try`` whose
    ``finally`` takes it down, or in the ``finally`` before it does. The count then keeps a call that has ended,
    and ``close()`` waited for it for ever: ``graphkit load``, Ctrl-C'd, hung in the store's close with nothing said
    (once in ten runs of ``tests/test_interrupt.py``). Only the main thread receives signals, so only its calls are
    ever cut short: the calls in flight on other threads (the load's writer) are counted here as well (``_elsewhere``,
    up before Ladybug's count and down after it), and ``close()`` on the main thread, which is in no call of its own
    then, first takes off Ladybug's count what exceeds them, and this thread's entries from Ladybug's list of the
    calls it is in (one left there made ``close()`` refuse: "cannot be called from a call on the same
    connection")."""
    import functools
    import threading

    import ladybug
    from ladybug import connection as lbc

    # the wrapper of each call Ladybug counts in flight (None: a Ladybug that counts none, or not so; the test of a
    # Ctrl-C in that count, in tests/test_interrupt.py, says whether its close still waits)
    tracks = getattr(lbc, "_tracks_call", None)
    counted = tracks(lambda self: None).__code__ if tracks is not None else None
    elsewhere = threading.Lock()

    def also_counted(call: Any) -> Any:
        @functools.wraps(call)
        def counted_call(self: Any, *args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() == threading.main_thread().ident:
                return call(self, *args, **kwargs)
            with elsewhere:
                self._elsewhere += 1
            try:
                return call(self, *args, **kwargs)
            finally:
                with elsewhere:
                    self._elsewhere -= 1

        return counted_call

    class Connection(ladybug.Connection):
        #: the calls in flight on threads other than the main one
        _elsewhere = 0
        execute = keeps_ctrl_c(ladybug.Connection.execute)

        def close(self) -> None:
            if counted is not None and threading.get_ident() == threading.main_thread().ident:
                with self._calls:
                    cut_short = self._calls_in_flight - self._elsewhere
                    if cut_short > 0:
                        self._calls_in_flight -= cut_short
                stack = lbc._active_stack()
                stack[:] = [c for c in stack if c is not self]
            super().close()

    for name, call in vars(ladybug.Connection).items():
        if counted is not None and getattr(call, "__code__", None) is counted:
            setattr(Connection, name, also_counted(getattr(Connection, name)))
    return Connection


#: a read-only store whose buffer pool holds more than this after a big read gives it back
#: (:meth:`EmbeddedStore.let_go`)
LET_GO_ABOVE = 256 * 2**20


def _prepared(conn: Any) -> set | None:
    """The keys of the statements ``conn`` holds prepared (None where the connection keeps no such cache).

    Ladybug 0.22's ``Connection.execute`` prepares every query that has parameters once and keeps the prepared
    statement in a dict of its own (``_pybind_implicit_prepared_cache``) until the connection closes; a statement
    keeps what its last run allocated in the buffer pool (hash tables, the result). ``graphkit models run`` at a
    million persons held its 23 models' and the evidence step's runs at once: 12 GB, killed by the kernel."""
    cache = getattr(conn, "_pybind_implicit_prepared_cache", None)
    return None if cache is None else set(cache)


def _let_go(conn: Any, kept: set | None) -> None:
    """Drop (and close) the statements ``conn`` prepared since :func:`_prepared` returned ``kept``: their memory
    goes back to the buffer pool for the next query instead of staying held by the connection."""
    if kept is None:
        return
    cache = conn._pybind_implicit_prepared_cache
    with conn._prepared_cache_lock:
        for key in [k for k in cache if k not in kept]:
            statement = cache.pop(key)
            close = getattr(statement, "close", None)  # the C-API's statement; pybind's is freed with its last ref
            if callable(close):
                close()


def _one_off(params: dict[str, Any]) -> bool:
    """Whether a statement's parameters hold a list longer than :data:`ONE_OFF_LIST`."""
    return any(isinstance(v, list | tuple) and len(v) > ONE_OFF_LIST for v in params.values())


def _added(stmt: str) -> str:
    """What a schema statement adds, in words: ``Vehicle.name`` for ``ALTER TABLE Vehicle ADD name STRING``,
    the table's name for a ``CREATE … TABLE``."""
    words = stmt.split()
    return f"{words[2]}.{words[4]}" if words[0] == "ALTER" else _ddl_table(stmt)


def _ddl_table(stmt: str) -> str:
    """The name of the table a ``CREATE NODE/REL TABLE IF NOT EXISTS`` creates."""
    return stmt.split(" IF NOT EXISTS ")[1].split("(")[0]


class EmbeddedStore(GraphStore):
    """A Ladybug database at ``path`` (created on first use).

    ``read_only`` opens it to read; a store built by an older model is then given the columns the model has
    since declared (once, as its owner), unless ``upgrade`` is False (a viewer's read), which refuses it
    instead, saying what is missing and who can add it.

    Example
    -------
    >>> import tempfile, os
    >>> s = EmbeddedStore(os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> s.create_schema()
    >>> s.upsert_nodes("Person", pd.DataFrame({"id": ["110105194912310020"], "name": ["张伟"]}))
    1
    >>> s.counts()["nodes"]["Person"]
    1
    >>> s.close()
    """

    dialect = "embedded"

    def __init__(
        self,
        path: str | Path,
        model: Model | None = None,
        *,
        read_only: bool = False,
        buffer_pool_size: int = 0,
        upgrade: bool = True,
    ) -> None:
        super().__init__(model)
        self.path = Path(path)
        self._read_only = read_only
        self._upgrade = upgrade
        self._buffer_pool_size = buffer_pool_size
        # the file the connection is open on: ``path``, or a staging copy inside :meth:`atomic`
        self._open_path = self.path
        self._db = self._connection = None
        self._closed = False  # set by close(): a later use is refused, not silently reopened
        #: what :meth:`create_schema` added to a store built by an older model (``ALTER TABLE …``)
        self.upgraded: list[str] = []
        self._threads = os.cpu_count() or 1
        # ids per table, from the last full scan plus what the seam inserted since, and the
        # count they belong to: a count that moved otherwise (a write through run()) forces a rescan
        self._ids: dict[tuple[str, str], _Ids] = {}
        # inside a bulk session: row counts per table, kept up to date by the seam's own writes
        self._counts: dict[tuple[str, str], int] | None = None
        # pages written since the last checkpoint stay in the buffer pool (Ladybug's default: about 80% of
        # memory), which a large load would fill: a bulk session checkpoints after this many bytes of COPY input
        pool = buffer_pool_size or int(0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
        self._checkpoint_every = pool // 8
        self._since_checkpoint = 0
        if read_only:  # a reader opens at once, so that a path with no store is said plainly
            self._open()
            tables = self._conn.execute("CALL show_tables() RETURN name")
            try:
                empty = not tables.has_next()
            finally:
                tables.close()
            if empty:
                self.close()
                raise StoreError(
                    f"{self.path} holds no graph (no tables): it is not a loaded store; "
                    f"load one with `graphkit load SOURCE_DIR --store embedded:{self.path}`"
                )
            if self._missing_schema():
                self._upgrade_for_reading()

    def _open(self) -> None:
        """Open the database file (created on first use unless read-only)."""
        import ladybug

        path = self._open_path
        if self._read_only and not path.exists():
            raise StoreError(f"no store at {path}: load one with `graphkit load SOURCE_DIR --store embedded:{path}`")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(str(path), read_only=self._read_only, buffer_pool_size=self._buffer_pool_size)
        except RuntimeError as exc:
            raise StoreError(f"cannot open embedded store {path}: {exc}") from exc
        self._connection = _connection_class()(self._db)
        self._threads = int(getattr(self._connection, "num_threads", 0) or os.cpu_count() or 1)

    @property
    def _conn(self):
        """The connection, opened on first use (a store that is never written creates no file); a store
        the user closed is refused with a plain message, not an AttributeError from inside."""
        if self._connection is None:
            if self._closed:
                raise StoreError(f"{self.path}: the store is closed; open it again (EmbeddedStore(path))")
            self._open()
        return self._connection

    # ------------------------------------------------------------ hooks

    @keeps_ctrl_c  # the query result's __del__, when the hook returns, runs Python too (lost_interrupts_raised)
    def _execute(self, query: str, params: dict[str, Any]) -> pd.DataFrame:
        query = to_ladybug(query)
        conn = self._conn
        kept = _prepared(conn)
        try:
            res = conn.execute(query, params) if params else conn.execute(query)
            if isinstance(res, list):  # several statements
                res = res[-1]
            try:
                return res.get_as_df()
            finally:
                res.close()
        finally:
            # an analytic read (a model, a portrait's table) is run once: its statement, and the memory its
            # run took, let go now rather than when the connection closes (see _let_go)
            _let_go(conn, kept)

    @keeps_ctrl_c
    def _rows(self, query: str, params: dict[str, Any]) -> list[tuple]:
        # QueryResult.get_all(): no DataFrame, whose construction costs as much as a small query; and one
        # thread: handing a query of a few dozen rows to the pool costs more than it saves, the more so
        # when the cores are busy (bench/paths.py, 3-hop neighbourhoods 5-25 % faster at load 4.6-4.9)
        query = _ladybug_text(query)
        conn = self._conn
        # a statement bound to a long list (the evidence of 12,000 warnings, a set's links) is a one-off read of
        # a set: let go like an analytic read's; the hot paths' small statements stay prepared for the next call
        kept = _prepared(conn) if _one_off(params) else None
        conn.set_max_threads_for_exec(1)
        try:
            res = conn.execute(query, params) if params else conn.execute(query)
        finally:
            conn.set_max_threads_for_exec(self._threads)
        try:
            if isinstance(res, list):  # several statements
                res = res[-1]
            try:
                return [tuple(row) for row in res.get_all()]
            finally:
                res.close()
        finally:
            if kept is not None:
                _let_go(conn, kept)

    def _read_whole(self, text: str, params: dict[str, Any], pieces: Pieces) -> pd.DataFrame:
        """A query readable in pieces, :data:`KEYS_PER_PIECE` keys at a time (at once when it has no more keys):
        the ranges are cut at keys the store itself sorted (the ``keys`` query), so that the pieces, each in the
        query's order, follow one another in it. The same frame as one reading of all the keys (:func:`joined`)."""
        keys = self.query(pieces.keys)["id"].tolist()
        if len(keys) <= KEYS_PER_PIECE:
            return super()._read_whole(text, params, pieces)
        cuts = ["", *keys[KEYS_PER_PIECE::KEYS_PER_PIECE]]
        return joined(
            [self.run(text, params, **pieces.between(lo, hi)) for lo, hi in zip(cuts, [*cuts[1:], None], strict=True)]
        )

    def _schema_statements(self) -> list[str]:
        return self.model.embedded_ddl()

    def create_schema(self) -> None:
        """Create the model's tables, and add to tables a store built by an older model the columns the model
        has since declared (``ALTER TABLE … ADD``, null in the rows already there): an upgraded graphkit
        reads and loads a store it built before. Idempotent.

        Only the tables the store lacks are created (``CALL show_tables()`` once, not a statement per table)."""
        tables = self._table_names()
        for stmt in self._schema_statements():
            if _ddl_table(stmt) not in tables:
                self.run(stmt)
        for stmt in self._missing_columns(tables):
            self._conn.execute(stmt)
            self.upgraded.append(stmt)

    def _table_names(self) -> set[str]:
        res = self._conn.execute("CALL show_tables() RETURN name")
        try:
            return {row[0] for row in res.get_all()}
        finally:
            res.close()

    def _missing_schema(self) -> list[str]:
        """``ALTER TABLE … ADD`` for every column the model declares that a table of this store lacks, and
        ``CREATE … TABLE`` for a table it lacks (empty for a store built by this model)."""
        tables = self._table_names()
        out = [stmt for stmt in self._schema_statements() if _ddl_table(stmt) not in tables]
        return out + self._missing_columns(tables)

    def _missing_columns(self, tables: set[str]) -> list[str]:
        """``ALTER TABLE … ADD`` for every column the model declares that one of ``tables`` (those the store
        holds) lacks."""
        out = []
        for name, cols in self.model.embedded_columns().items():
            if name not in tables:
                continue
            res = self._conn.execute(f"CALL table_info('{name}') RETURN name")
            try:
                have = {row[0] for row in res.get_all()}
            finally:
                res.close()
            out += [f"ALTER TABLE {name} ADD {col} {typ}" for col, typ in cols if col not in have]
        return out

    def _upgrade_for_reading(self) -> None:
        """A store built by an older model, opened to read: add what the model has since declared (once,
        writable, then read-only again), or say what is missing when the file cannot be written."""
        missing = self._missing_schema()
        self.close()
        self._closed = False
        if not self._upgrade:  # a viewer's read: the store is not changed, not even its schema
            raise StoreError(
                f"{self.path} was built by an older graphkit and lacks what the model has since declared "
                f"({', '.join(_added(m) for m in missing[:5])}{' …' if len(missing) > 5 else ''}); a read-only "
                f"user does not change a store, not even to add them: ask an analyst to open it once "
                f"(`graphkit stats --store embedded:{self.path}`)"
            )
        if not os.access(self.path, os.W_OK):
            raise StoreError(
                f"{self.path} was built by an older graphkit and lacks what the model has since declared "
                f"({', '.join(_added(m) for m in missing[:5])}{' …' if len(missing) > 5 else ''}), and this user "
                f"cannot write it to add them: open it once as its owner (`graphkit stats --store "
                f"embedded:{self.path}`)"
            )
        self._read_only = False
        try:
            self._open()
            self.create_schema()
            self._conn.execute("CHECKPOINT")
        finally:
            self.close()
            self._closed = False
            self._read_only = True
        self._open()

    def _bulk_nodes(self, label: str, table: pa.Table) -> None:
        # Ladybug 0.22 hangs in a multi-threaded COPY of a few hundred thousand non-ASCII primary
        # keys (Chinese addresses, tender numbers); one thread copies them correctly.
        single = table.num_rows > 50_000 and not pc.all(pc.string_is_ascii(table["id"])).as_py()
        if single:
            self._conn.set_max_threads_for_exec(1)
        try:
            self._copy(label, table, "")
        finally:
            if single:
                self._conn.set_max_threads_for_exec(self._threads)
        self._remember("node", label, table)

    def _bulk_edges(self, rtype: str, source: str, target: str, table: pa.Table) -> None:
        self._copy(rtype, table, f" (from='{source}', to='{target}')")
        self._remember("rel", rtype, table)

    def _remember(self, kind: str, name: str, table: pa.Table) -> None:
        key = (kind, name)
        if self._counts is not None and key in self._counts:
            self._counts[key] += table.num_rows
        cached = self._ids.get(key)
        if cached is not None:
            cached.add(table["id"])
        elif self._count(kind, name) == table.num_rows:  # the table was empty: we know every id in it
            self._ids[key] = _Ids([], 0, table.schema.field("id").type)
            self._ids[key].add(table["id"])

    def _begin_bulk(self) -> None:
        self._conn.execute("CALL auto_checkpoint=false")
        self._counts = self._all_counts()
        self._since_checkpoint = 0

    def _all_counts(self) -> dict[tuple[str, str], int]:
        """The rows of every node table, and of every relationship table of a store of at most
        :data:`COUNT_RELS_AT_ONCE` nodes, in one statement each (a table with none, or none yet: 0): a load asked
        Ladybug to count each of its 73 tables, 3 ms a relationship table however small, a tenth of the CPU of a
        small city's load. A larger store's relationship tables are counted when the load first writes each (a
        load of one file into a city does not scan every relationship of it)."""
        counts = {("node", label): 0 for label in self.model.labels}
        counts.update((("node", t), int(n)) for t, n in self._rows("MATCH (n) RETURN label(n), count(*)", {}))
        if sum(counts.values()) <= COUNT_RELS_AT_ONCE:
            counts.update({("rel", rtype): 0 for rtype in self.model.relationships})
            counts.update((("rel", t), int(n)) for t, n in self._rows("MATCH ()-[r]->() RETURN label(r), count(*)", {}))
        return counts

    def _end_bulk(self) -> None:
        self._counts = None
        self._ids.clear()  # a scan rebuilds them when needed; they would only hold memory
        try:
            self._conn.execute("CHECKPOINT")
        finally:
            self._conn.execute("CALL auto_checkpoint=true")

    def _copy(self, name: str, table: pa.Table, options: str) -> None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise StoreError(f"bad table name {name!r}")
        _copy_source = table  # noqa: F841 - referenced by name in the COPY statement
        conn = self._conn
        kept = _prepared(conn)
        try:
            conn.execute(f"COPY {name} FROM _copy_source{options}")
        except RuntimeError as exc:
            raise StoreError(f"COPY into {name} failed: {exc}") from exc
        finally:  # Ladybug prepares the COPY with the table as a parameter: the statement would keep it
            _let_go(conn, kept)
        if self._counts is not None:  # in a bulk session: checkpoint before the buffer pool fills
            # a column takes pages even where it is null (FtM columns on Person): count at least 32 bytes a cell
            self._since_checkpoint += max(table.nbytes, 32 * table.num_rows * table.num_columns)
            if self._since_checkpoint > self._checkpoint_every:
                self._conn.execute("CHECKPOINT")
                self._since_checkpoint = 0

    def _id_cache(self, kind: str, name: str) -> _Ids:
        """Every id of a table: kept since the last scan, or scanned now (and kept for the next file)."""
        key = (kind, name)
        cached = self._ids.get(key)
        if cached is None or cached.count != self._count(kind, name):
            pattern = f"MATCH (n:{name})" if kind == "node" else f"MATCH ()-[n:{name}]->()"
            res = self._conn.execute(f"{pattern} RETURN n.id AS id")
            try:
                stored = res.get_as_arrow()["id"].combine_chunks()
            finally:
                res.close()
            typ = pa.string() if kind == "node" else pa.int64()
            if kind == "rel" and not pa.types.is_integer(stored.type) and len(stored):
                raise StoreError(
                    f"{self.path}: relationship ids of {name} are {stored.type}, not the 64-bit ids "
                    f"this graphkit stores (graphkit.model.keys): the store was built by an older "
                    f"version; rebuild it from the source tables"
                )
            cached = self._ids[key] = _Ids([stored.cast(typ)], len(stored), typ)
        return cached

    def _stored_mask(self, kind: str, name: str, ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
        return self._id_cache(kind, name).contains(ids)

    def _existing_ids(self, kind: str, name: str, ids: list) -> set:
        cached = self._ids.get((kind, name))
        if (cached is not None and cached.count == self._count(kind, name)) or len(ids) > 5_000:
            # a scan beats a huge IN list; keep it for the next file
            arr = pa.array(ids, pa.string() if kind == "node" else pa.int64())
            return set(arr.filter(pa.array(self._id_cache(kind, name).contains(arr))).to_pylist())
        pattern = f"MATCH (n:{name})" if kind == "node" else f"MATCH ()-[n:{name}]->()"
        df = self.run(f"{pattern} WHERE n.id IN $ids RETURN n.id AS id", ids=ids)
        return set(df["id"]) if not df.empty else set()

    def _count(self, kind: str, name: str) -> int:
        key = (kind, name)
        if self._counts is not None and key in self._counts:
            return self._counts[key]
        pattern = f"MATCH (n:{name})" if kind == "node" else f"MATCH ()-[n:{name}]->()"
        df = self.run(f"{pattern} RETURN count(n) AS n")
        n = int(df["n"].iloc[0])
        if self._counts is not None:
            self._counts[key] = n
        return n

    def _subgraph_rows(self, ids: list[str]) -> tuple[list[dict], list[dict]]:
        # Each label's nodes by primary key, then the links out of each node found, kept where they end among
        # the ids. ``MATCH (n) WHERE n.id IN $ids`` and ``MATCH (a)-[r]->(b) WHERE a.id IN $ids
        # AND b.id IN $ids`` had Ladybug read every node table and every relationship of the store: a few
        # dozen communities' evidence (collusion score's communities.graphml) took most of a minute at a million
        # persons. The same nodes and links.
        if not ids:
            return [], []
        among = set(ids)
        nodes, found = [], {}
        for label in self.model.labels:
            for (n,) in self.rows(f"UNWIND $ids AS x MATCH (n:{label} {{id: x}}) RETURN n", ids=ids):
                d = {k: v for k, v in n.items() if not k.startswith("_") and v is not None}
                d["label"] = n["_LABEL"]
                nodes.append(d)
                found.setdefault(label, []).append(d["id"])
        edges = []
        for label, keys in found.items():
            if len(keys) > SUBGRAPH_BY_KEY:  # most of a label (a whole small store): its links read in one pass
                res = self.run(f"MATCH (a:{label})-[r]->(b) RETURN a.id AS source, b.id AS target, r")
                starts = set(keys)
                out = (
                    (source, target, r)
                    for source, target, r in res[["source", "target", "r"]].itertuples(index=False, name=None)
                    if source in starts
                )
            else:  # a key at a time: bound to one value, the start is a primary-key lookup and the statement stays
                # prepared for the next key; with a list (UNWIND, IN) Ladybug joined against every link of the label
                text = f"MATCH (a:{label} {{id: $x}})-[r]->(b) RETURN b.id AS target, r"
                out = ((source, target, r) for source in keys for target, r in self.rows(text, x=source))
            for source, target, r in out:
                if target not in among:
                    continue
                d = {k: v for k, v in r.items() if not k.startswith("_") and v is not None}
                d.update(type=r["_LABEL"], source=source, target=target)
                edges.append(d)
        return nodes, edges

    def _neighbours(self, ids: list[str]) -> list[str]:
        # Each node looked up by key in its own label, then its links read out of it both ways, as
        # _subgraph_rows reads them: the generic ``MATCH (a)-[]-(b) WHERE a.id IN $ids`` had Ladybug scan every
        # node table and every relationship of the store at each call (a warning's evidence: subgraph(hops=1)).
        # The same neighbours.
        if not ids:
            return []
        out: set[str] = set()
        for label in self.model.labels:
            keys = [k for (k,) in self.rows(f"UNWIND $ids AS x MATCH (n:{label} {{id: x}}) RETURN n.id", ids=ids)]
            if len(keys) > SUBGRAPH_BY_KEY:  # most of a label: its links read in one pass
                starts = set(keys)
                out.update(b for a, b in self.rows(f"MATCH (a:{label})-[]-(b) RETURN a.id, b.id") if a in starts)
            else:  # a key at a time: a primary-key lookup, the statement kept prepared for the next key
                text = f"MATCH (a:{label} {{id: $x}})-[]-(b) RETURN DISTINCT b.id"
                for x in keys:
                    out.update(b for (b,) in self.rows(text, x=x))
        return sorted(out)

    def let_go(self) -> bool:
        """Close a read-only store's database when Ladybug's buffer pool holds more than :data:`LET_GO_ABOVE`
        bytes; the next read opens it again (0.1 CPU s at a million persons). Ladybug keeps every page a query
        read, and the pages its hash tables took, in the pool until the database closes (its limit is 80 % of
        the machine's memory, never reached): at a million persons ``bid_rigging`` left 1.9 GB there, under
        every model after it and the evidence step (``python bench/models_steps.py``, its ``pool MiB``).
        A writable store, or one inside :meth:`bulk` or :meth:`atomic`, is left as it is."""
        if not self._read_only or self._connection is None or self._counts is not None or self._open_path != self.path:
            return False
        if self.pool_in_use() <= LET_GO_ABOVE:
            return False
        self._release()
        return True

    def pool_in_use(self) -> int:
        """Bytes of Ladybug's buffer pool in use (``CALL bm_info()``): pages read and kept, queries' work."""
        res = self._conn.execute("CALL bm_info() RETURN mem_usage")
        try:
            return int(res.get_next()[0])
        finally:
            res.close()

    def close(self) -> None:
        """Close the connection and the database; a later use is refused ("the store is closed")."""
        self._release()
        self._closed = True

    def _release(self) -> None:
        """Close the connection and the database file; the next use opens them again (:meth:`atomic`
        moves between the store and its staging copy this way)."""
        conn, db = getattr(self, "_connection", None), getattr(self, "_db", None)
        if conn is not None:
            conn.close()
            self._connection = None
        if db is not None:
            db.close()
            self._db = None

    @contextmanager
    def atomic(self) -> Iterator[EmbeddedStore]:
        """All or nothing: writes go to a staging copy of the store, swapped in when the block ends well.

        On an error (or an interrupt) the staging copy is deleted and the store is as it was; a process
        killed inside the block leaves the store as it was too (a stale staging file is removed by the
        next load).  A store that did not exist is not created unless the block ends well.  Cost: a
        copy of the store file when it exists (none for a new store)."""
        if self._read_only:
            raise StoreError(f"{self.path} is open read-only")
        if self._open_path != self.path:  # nested: the outer block's staging copy, committed or deleted by it
            yield self
            return
        self._release()
        final = self.path
        staging = final.with_name(final.name + ".loading")
        for p in (staging, Path(str(staging) + ".wal")):
            p.unlink(missing_ok=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            shutil.copyfile(final, staging)
            wal = Path(str(final) + ".wal")
            if wal.exists():  # a WAL left by a crash belongs to the store: replayed when the copy opens
                shutil.copyfile(wal, Path(str(staging) + ".wal"))
        self._open_path = staging
        self._ids.clear()
        try:
            yield self
            self._release()  # checkpoints: the staging file is complete
            os.replace(staging, final)
            Path(str(final) + ".wal").unlink(missing_ok=True)
        finally:
            self._release()
            self._open_path = final
            self._ids.clear()
            for p in (staging, Path(str(staging) + ".wal")):
                p.unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------- extras
    def backup(self, folder: str | Path) -> list[Path]:
        """Write every table to ``folder`` as Parquet with ``COPY … TO`` (one file per table)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for lab in self.model.labels:
            p = folder / f"{lab}.parquet"
            self._conn.execute(f"COPY (MATCH (n:{lab}) RETURN n.*) TO '{p}'")
            out.append(p)
        for rel in self.model.relationships:
            p = folder / f"{rel}.parquet"
            self._conn.execute(
                f"COPY (MATCH (a)-[r:{rel}]->(b) RETURN label(a) AS from_label, a.id AS from, "
                f"label(b) AS to_label, b.id AS to, r.*) TO '{p}'"
            )
            out.append(p)
        return out


def remove_store(path: str | Path) -> None:
    """Delete an embedded store (its file or folder and its WAL) so it is rebuilt from the tables.

    Parameters
    ----------
    path : str or Path
        The store's path (what follows ``embedded:`` in a store spec).
    """
    path = Path(path)
    for p in (path, path.with_name(path.name + ".wal")):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
