"""One seam to the database.

:class:`GraphStore` has final public methods (``run``, ``rows``, ``write``,
``create_schema``, ``upsert_nodes``, ``upsert_edges``, ``counts``,
``subgraph``, ``query``) that do logging, batching, deduplication and error
wrapping; a backend implements a handful of hooks (``_execute``, ``_rows``,
``_schema_statements``, ``_bulk_nodes``, ``_bulk_edges``, ``_existing_ids``,
``_subgraph_rows``).  The model is the only source of labels and relationship
types, so no Cypher here is built from user input.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model import Model
from graphkit.model.keys import link_ids

log = logging.getLogger("graphkit.store")


def _query_dir(root: Path | None = None) -> Path:
    """The Cypher files: the checkout's own ``queries/`` when graphkit is imported from a source checkout (``root``,
    the folder holding the ``graphkit`` package, is a repository whose pyproject.toml names the project graphkit),
    else the data of the ``graphkit.queries`` package (``queries/`` of the repository, mapped into the wheel by
    pyproject.toml). Looked up as files, not imported as code.

    The editable install maps ``graphkit.queries`` to the folder it was installed from: a second checkout or a
    worktree run with ``PYTHONPATH`` read the first one's Cypher silently (a suite run from a clone failed 35 tests
    this way, and a query edited in a worktree was not the one run). An installed graphkit has no pyproject.toml
    beside its package, so a ``queries`` folder of another distribution in site-packages (PyPI has one of that
    name) is never taken for its own.
    """
    root = Path(__file__).resolve().parents[2] if root is None else Path(root)
    if _is_checkout(root):
        return (root / "queries").resolve()
    from importlib.resources import files

    return Path(str(files("graphkit.queries"))).resolve()


def _is_checkout(root: Path) -> bool:
    """Whether ``root`` is a graphkit source checkout: its pyproject.toml names the project graphkit and its
    ``queries/`` is the Cypher package (``__init__.py`` beside the query folders)."""
    import tomllib

    project = root / "pyproject.toml"
    if not (project.is_file() and (root / "queries" / "__init__.py").is_file()):
        return False
    try:
        name = tomllib.loads(project.read_text(encoding="utf-8")).get("project", {}).get("name")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return name == "graphkit"


QUERY_DIR = _query_dir()


@dataclass(frozen=True)
class Pieces:
    """How a query's rows can be read a range of keys at a time: its header's ``pieces`` mapping.

    ``keys`` names the query that gives every key in the store's order (column ``id``); the query reads the keys
    from ``$<from>`` and before ``$<to>``, or to the last with ``$<to_end>`` true. Read in ranges cut at the keys
    that query gave, in order, the pieces follow one another in the query's own ``ORDER BY`` when it sorts by the
    key first.

    Example
    -------
    >>> p = Pieces.of("// pieces: {keys: collusion/tender_keys, from: a, to: b, to_end: e}\\nMATCH (n) RETURN n")
    >>> p.everything(), p.between("T1", None)
    ({'a': '', 'b': '', 'e': True}, {'a': 'T1', 'b': '', 'e': True})
    """

    keys: str
    start: str
    stop: str
    to_end: str

    @property
    def names(self) -> set[str]:
        """The range's parameters."""
        return {self.start, self.stop, self.to_end}

    def between(self, lo: str, hi: str | None) -> dict[str, Any]:
        """The parameters of the keys from ``lo`` ('' from the first) and before ``hi`` (None: to the last)."""
        return {self.start: lo, self.stop: hi or "", self.to_end: hi is None}

    def everything(self) -> dict[str, Any]:
        """The parameters of every key."""
        return self.between("", None)

    @staticmethod
    def of(text: str, name: str = "<text>") -> Pieces | None:
        """The ``pieces`` a query's header declares, or None (most queries: one quick look for the word)."""
        if "// pieces:" not in text:
            return None
        import yaml

        from graphkit.model import YAML_LOADER

        head = []
        for line in text.splitlines():
            if not line.startswith("//"):
                break
            head.append(line[3:] if line.startswith("// ") else line[2:])
        try:
            got = (yaml.load("\n".join(head), Loader=YAML_LOADER) or {}).get("pieces")
        except (yaml.YAMLError, AttributeError) as exc:
            raise StoreError(f"{name}: its header is not a YAML mapping: {exc}") from exc
        if not isinstance(got, dict) or {"keys", "from", "to", "to_end"} - got.keys():
            raise StoreError(f"{name}: its header's pieces needs keys, from, to and to_end, not {got!r}")
        return Pieces(str(got["keys"]), str(got["from"]), str(got["to"]), str(got["to_end"]))


class StoreError(RuntimeError):
    """A query or write failed; the message names the query and the backend."""


class NotTakenBack(StoreError):
    """A block of :meth:`GraphStore.atomic` failed, and what it had written could not be deleted again (the server
    went away): the store may hold part of it. The message is the block's own error; ``undo_error`` is why the
    undo failed."""

    def __init__(self, message: str, undo_error: BaseException) -> None:
        super().__init__(message)
        self.undo_error = undo_error


class StoreUnavailable(StoreError):
    """The database server cannot be reached or refuses the credentials (said when the store is opened).

    In a notebook the cell shows its message alone: the sentence says what to do, and a traceback of the
    driver's internals (20-30 lines) buried it."""

    #: the sentence as the reader reads it, where a face says it in another language than the store's own words
    #: (a notebook under the Chinese console: :func:`graphkit.notebook.open_city`); None: the message itself
    said: str | None = None

    def _render_traceback_(self) -> list[str]:  # IPython shows these lines instead of a traceback
        return [f"{type(self).__name__}: {self.said or self}"]


def is_in(keys: pa.Array | pa.ChunkedArray, known: pa.Array) -> np.ndarray:
    """Which ``keys`` are in ``known``, as numpy booleans (null → False).

    Arrow builds a hash table of the value set on every call and probes are cheap, so
    when the keys are far fewer the value set is narrowed to the keys present first."""
    if 4 * len(keys) < len(known):
        known = known.filter(pc.is_in(known, value_set=pc.unique(keys)))
    return pc.fill_null(pc.is_in(keys, value_set=known), False).to_numpy(zero_copy_only=False)


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


@contextmanager
def held_interrupts(notice: Callable[[], None], done: Callable[[], None] | None = None) -> Iterator[None]:
    """Ctrl-C held back while the block runs, raised when it ends: ``notice()`` at the first one (a line saying why
    the command goes on), ``done()`` once the block has ended well, before the interrupt is raised. The undo of a
    failed or interrupted load (stopped half way, it would leave half a load in the store) and a command's files
    that must be written whole together (``graphkit.cli.common.finishing``) both hold it. Only the main thread
    receives signals: elsewhere the block runs as it is and ``done`` is not called."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    hit: list[int] = []

    def held(signum, frame) -> None:
        if not hit:
            notice()
        hit.append(signum)

    before = signal.signal(signal.SIGINT, held)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
    if done is not None:
        done()
    if hit:
        raise KeyboardInterrupt


class ctrl_c_recorded:  # a context manager, named as one used in a ``with``
    """A Ctrl-C recorded by Python for the whole block, raised where the block asks (:meth:`check`) and when it ends.

    A long job that stops at points of its own choosing (the load: between its files, while it waits for the store's
    writes) holds it. Without it, a Ctrl-C met the SIGINT handlers that libraries put in place of Python's for the
    length of a call made from the main thread while Python's handler is its default: pyarrow's ``read_csv``
    (``SignalStopHandler``) dropped one that landed as a file's read ended (it takes its handler away, then asks its
    own signal thread whether one came, which had not yet said so), and Ladybug's binding puts its own in place for
    each query. ``graphkit load`` then ran on to its end (exit 0) once in a few Ctrl-Cs on a busy machine
    (``python bench/ctrl_c_load.py``). Inside the block SIGINT goes to a Python handler of graphkit's that records it:
    Ladybug's binding puts its handler in place only over Python's default one, and pyarrow's are turned off
    (:func:`pyarrow.enable_signal_handlers`; on again, pyarrow's default, when the block ends). A query or a file's
    read under way when the Ctrl-C comes is finished first; a second Ctrl-C changes nothing. ``notice()``, if given, is
    called at the first Ctrl-C, at once (a line saying it was heard and when the job stops: the load's
    :func:`say_load_stopping`); a long step may ask between its own parts too (:func:`ctrl_c_check`).

    Taken only where SIGINT has Python's default handler, in the main thread (only it receives signals): elsewhere,
    or where the process has a handler of its own (SIGINT ignored in a background job, a notebook's kernel), the
    block runs as it is and :meth:`check` never raises. Nested, the inner block is the outer one.

    Example
    -------
    >>> with ctrl_c_recorded() as ctrl_c:
    ...     for part in ("a", "b"):
    ...         ctrl_c.check()  # KeyboardInterrupt here, between the parts, once a Ctrl-C came
    """

    _current: ctrl_c_recorded | None = None

    __slots__ = ("_before", "_notice", "_outer", "hits", "raised")

    def __init__(self, notice: Callable[[], None] | None = None) -> None:
        self._before: Any = None
        self._notice = notice
        self._outer: ctrl_c_recorded | None = None
        #: the Ctrl-Cs recorded; whether one was raised (by :meth:`check`)
        self.hits, self.raised = 0, False

    def __enter__(self) -> ctrl_c_recorded:
        import signal

        if ctrl_c_recorded._current is not None:
            self._outer = ctrl_c_recorded._current
            return self._outer
        if threading.get_ident() == threading.main_thread().ident and (
            signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._before = signal.signal(signal.SIGINT, self._record)
            pa.enable_signal_handlers(False)
            ctrl_c_recorded._current = self
        return self

    def _record(self, signum: int, frame: Any) -> None:
        self.hits += 1
        if self.hits == 1 and self._notice is not None:
            self._notice()

    def check(self) -> None:
        """Raise KeyboardInterrupt once a Ctrl-C was recorded (once: a later call after it returns)."""
        if self.hits and not self.raised:
            self.raised = True
            raise KeyboardInterrupt

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if self._outer is not None or self._before is None:
            return
        import signal

        ctrl_c_recorded._current = None
        signal.signal(signal.SIGINT, self._before)
        pa.enable_signal_handlers(True)
        if self.hits and not self.raised and not (kind is not None and issubclass(kind, KeyboardInterrupt)):
            self.raised = True
            raise KeyboardInterrupt from exc


def ctrl_c_check() -> None:
    """Raise the Ctrl-C recorded by the :class:`ctrl_c_recorded` block under way, if one came (else nothing): a point
    between the parts of a long step where it may stop (a load's file: its columns, its lines read one by one), so
    that a Ctrl-C does not wait for the whole file. Only in the main thread, where the block records it."""
    rec = ctrl_c_recorded._current
    if rec is not None and threading.get_ident() == threading.main_thread().ident:
        rec.check()


def say_load_stopping() -> None:
    """The line a load's Ctrl-C gets at once, on stderr (a progress bar cleared first) in the console's language: the
    load then finishes the part of a file under way (a column, a block of lines, a write) and is taken back; it said
    nothing until then, seconds on a large file."""
    from graphkit import progress

    en = "\nCtrl-C heard: the load stops once the part of the file under way is done and is taken back whole; a moment…"
    zh = "\n已收到 Ctrl-C：当前文件正在处理的这一部分完成后即停止，本次加载将整体撤回，请稍候…"
    progress.echo(en if progress.lang() == "en" else zh, err=True)


def _undoing() -> None:
    """The line a second Ctrl-C gets while a load is taken back, on stderr (a progress bar cleared first) in the
    console's language (:func:`graphkit.progress.lang`: ``--lang``, ``GRAPHKIT_LANG``): it was Chinese under
    ``--lang en`` too, as a log record (``WARNING graphkit.store: 正在撤回…``)."""
    from graphkit import progress

    en = "\ntaking the load back; Ctrl-C takes effect once the store is as it was"
    progress.echo(en if progress.lang() == "en" else "\n正在撤回本次加载：库恢复原样后 Ctrl-C 才生效", err=True)


class lost_interrupts_raised:  # a context manager, named as one used in a ``with``
    """A Ctrl-C that code called from C swallows while the block runs is raised once the block ends.

    Ladybug's binding calls Python before each query (``threading.main_thread()``, ``signal.getsignal``) to see
    whether it may put its own SIGINT handler in place for the query, and its ``QueryResult.__del__`` closes the
    result in Python; a Ctrl-C that Python delivers during either raises KeyboardInterrupt there, which is reported
    as unraisable (``Exception ignored in: 'checking the SIGINT handler before a query'`` and a traceback on stderr)
    and dropped: the command ran on to its end, as if no key had been pressed (``python bench/ctrl_c_lost.py``
    counts them). Python hands every such exception to :data:`sys.unraisablehook`; inside the block a
    KeyboardInterrupt given to it is kept (nothing printed) and raised when the block ends, from the block's own
    error if it ends in one. Other unraisable exceptions go to the hook as before. Only the main thread receives
    signals: elsewhere the block runs as it is (and leaves the process-wide hook alone).

    A class rather than a generator: it wraps every query of the embedded store, and costs half as much."""

    __slots__ = ("_before", "_lost")

    def __enter__(self) -> None:
        self._before = self._lost = None
        if threading.get_ident() == threading.main_thread().ident:
            self._before, self._lost = sys.unraisablehook, []
            sys.unraisablehook = self._hook

    def _hook(self, unraisable: Any) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            self._lost.append(unraisable.exc_value)
        else:
            self._before(unraisable)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if self._before is None:
            return
        sys.unraisablehook = self._before
        if self._lost and not (kind is not None and issubclass(kind, KeyboardInterrupt)):
            raise KeyboardInterrupt from exc


def keeps_ctrl_c(fn: Callable) -> Callable:
    """``fn`` run inside :class:`lost_interrupts_raised`: what it leaves to be freed when it returns (a query
    result, whose ``__del__`` runs Python) is freed inside the block too."""
    import functools

    @functools.wraps(fn)
    def kept(*args: Any, **kwargs: Any) -> Any:
        with lost_interrupts_raised():
            return fn(*args, **kwargs)

    return kept


def chunks(seq: Sequence, size: int) -> Iterator[Sequence]:
    """Consecutive slices of ``seq`` of at most ``size`` items."""
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


class GraphStore(ABC):
    """Abstract graph store.  Subclasses implement the ``_hooks`` only."""

    #: dialect name, used to pick ``queries/NAME.<dialect>.cypher`` overrides
    dialect: str = "neo4j"
    #: whether the store answers queries (a neo4j-admin import folder is only written)
    queryable: bool = True

    def __init__(self, model: Model | None = None) -> None:
        self.model = model or Model.default()
        #: inside :meth:`atomic` (undo log): (kind, name, ids) of every object the seam created
        self._undo: list[tuple[str, str, pa.Array]] | None = None

    # ------------------------------------------------------------ hooks
    @abstractmethod
    def _execute(self, query: str, params: dict[str, Any]) -> pd.DataFrame:
        """Run one statement, return its rows."""

    def _rows(self, query: str, params: dict[str, Any]) -> list[tuple]:
        """Run one statement, return its rows as tuples in ``RETURN`` order (nulls as ``None``).

        By default through :meth:`_execute`; a backend overrides it to skip the DataFrame."""
        df = self._execute(query, params)
        return list(df.astype(object).where(df.notna(), None).itertuples(index=False, name=None))

    @abstractmethod
    def _schema_statements(self) -> list[str]:
        """DDL derived from the model."""

    @abstractmethod
    def _bulk_nodes(self, label: str, table: pa.Table) -> None:
        """Insert rows whose ids are known to be new."""

    @abstractmethod
    def _bulk_edges(self, rtype: str, source: str, target: str, table: pa.Table) -> None:
        """Insert relationships (columns ``from``, ``to``, then properties) whose ids are new."""

    @abstractmethod
    def _existing_ids(self, kind: str, name: str, ids: list) -> set:
        """Which of ``ids`` are already stored for a label (kind ``node``, string ids) or a relationship
        type (``int`` ids)."""

    @abstractmethod
    def _count(self, kind: str, name: str) -> int:
        """Number of nodes of a label / relationships of a type."""

    @abstractmethod
    def _subgraph_rows(self, ids: list[str]) -> tuple[list[dict], list[dict]]:
        """Nodes (``label``, ``id``, properties…) with these ids and relationships
        (``type``, ``source``, ``target``, properties…) among them."""

    def close(self) -> None:  # pragma: no cover - trivial
        """Release the connection."""
        return None

    def let_go(self) -> bool:
        """Give back the memory the store's last reads left held in this process (a big read done, another to
        come: ``run_all`` between models); whether anything was given back. Nothing to do by default (a
        server's memory is the server's)."""
        return False

    def _plainly(self, exc: BaseException) -> str | None:
        """A backend's error that a user can act on (a read-only database, a database that does not exist) in
        one sentence, said instead of the driver's text and the query; ``None`` for every other error."""
        return None

    def _delete(self, kind: str, name: str, ids: pa.Array) -> None:
        """Delete the nodes (kind ``node``, with their relationships) or relationships (kind ``rel``)
        with these ids: how :meth:`atomic` undoes a load by default."""
        raise NotImplementedError(f"{type(self).__name__} cannot undo a write")

    def _begin_bulk(self) -> None:
        """Enter a bulk-load session (see :meth:`bulk`); nothing to do by default."""
        return None

    def _end_bulk(self) -> None:
        """Leave a bulk-load session: make its writes durable."""
        return None

    def _stored_mask(self, kind: str, name: str, ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Which of ``ids`` are stored (kind ``node`` or ``rel``); by default through :meth:`_existing_ids`."""
        seen = self._existing_ids(kind, name, ids.to_pylist())
        if not seen:
            return np.zeros(len(ids), dtype=bool)
        return is_in(ids, pa.array(list(seen), ids.type))

    # ---------------------------------------------------- final methods
    def run(self, query: str, params: dict[str, Any] | None = None, /, **kw: Any) -> pd.DataFrame:
        """Run a query with ``$params``; return a DataFrame."""
        return self._call(self._execute, query, {**(params or {}), **kw})

    def rows(self, query: str, params: dict[str, Any] | None = None, /, **kw: Any) -> list[tuple]:
        """Run a query with ``$params``; return its rows as tuples in ``RETURN`` order, nulls as ``None``.

        The light twin of :meth:`run` for code that sends many small queries (``graphkit.paths``):
        building a DataFrame costs about as much as running a query of a few dozen rows."""
        return self._call(self._rows, query, {**(params or {}), **kw})

    def _call(self, hook: Any, query: str, params: dict[str, Any]) -> Any:
        """Run ``hook(query, params)`` with logging and the driver's errors wrapped with the query."""
        t0 = time.perf_counter()
        try:
            out = hook(query, params)
        except StoreError:
            raise
        except Exception as exc:  # wrap the driver's error with the query
            plain = self._plainly(exc)
            if plain is not None:
                raise StoreError(plain) from exc
            first = " ".join(query.split())[:200]
            raise StoreError(f"{type(self).__name__}: {exc} — in query: {first}") from exc
        log.debug("%s rows in %.1f ms: %s", len(out), 1000 * (time.perf_counter() - t0), query[:80])
        return out

    def write(self, query: str, rows: Sequence[dict], *, batch_size: int = 10_000) -> int:
        """Run ``query`` once per batch with ``$rows`` bound to the batch; return rows written."""
        n = 0
        for batch in chunks(list(rows), batch_size):
            self.run(query, {"rows": list(batch)})
            n += len(batch)
        return n

    def create_schema(self) -> None:
        """Create tables / constraints / indexes from the model (idempotent)."""
        for stmt in self._schema_statements():
            self.run(stmt)

    def query(self, name: str, params: dict[str, Any] | None = None, /, **kw: Any) -> pd.DataFrame:
        """Run ``queries/NAME.cypher`` (or its ``NAME.<dialect>.cypher`` override).

        A query whose header declares ``pieces`` (a range of keys its rows can be read by: ``collusion/bids``) and
        whose range is not given is read whole, as the store reads a large query best (:meth:`_read_whole`)."""
        text = self.query_text(name)
        params = {**(params or {}), **kw}
        pieces = Pieces.of(text, name)
        if pieces is not None and not pieces.names & params.keys():
            return self._read_whole(text, params, pieces)
        return self.run(text, params)

    def _read_whole(self, text: str, params: dict[str, Any], pieces: Pieces) -> pd.DataFrame:
        """Every row of a query that can be read a range of keys at a time (``pieces`` in its header): by default
        one statement over every key, whose rows the backend streams (Neo4j's driver fetches them
        ``fetch_size`` records at a time); the embedded store reads a large one a range at a time."""
        return self.run(text, params, **pieces.everything())

    def query_text(self, name: str) -> str:
        """The text of ``queries/NAME.cypher``, or of its ``NAME.<dialect>.cypher`` override when there is one."""
        base = QUERY_DIR / name
        override = base.parent / f"{base.name}.{self.dialect}.cypher"
        path = override if override.exists() else base.parent / f"{base.name}.cypher"
        if not path.exists():
            raise StoreError(f"no query file {path}")
        return path.read_text(encoding="utf-8")

    def upsert_nodes(self, label: str, table: pa.Table | pd.DataFrame) -> int:
        """Insert the rows whose ``id`` is not yet stored; return how many were new.

        Rows must already be unique by ``id`` (the loaders resolve entities in
        pandas before they write)."""
        self.model.label(label)
        table = self._conform(label, table)
        table = self._only_new("node", label, table)
        if table.num_rows:
            self._bulk_nodes(label, table)
            if self._undo is not None:
                self._undo.append(("node", label, table["id"]))
        return table.num_rows

    def upsert_edges(self, rtype: str, source: str, target: str, table: pa.Table | pd.DataFrame) -> int:
        """Insert relationships whose ``id`` is new; columns ``from``, ``to``, then properties.

        ``id`` is the relationship's natural key (``TYPE|key1|key2…``), stored as its 64-bit
        :func:`~graphkit.model.keys.link_ids`, or that id already."""
        self.model.check_pair(rtype, source, target)
        table = self._conform(rtype, table, edge=True)
        table = self._only_new("rel", rtype, table)
        if table.num_rows:
            self._bulk_edges(rtype, source, target, table)
            if self._undo is not None:
                self._undo.append(("rel", rtype, table["id"]))
        return table.num_rows

    @contextmanager
    def bulk(self) -> Iterator[GraphStore]:
        """A bulk-load session: the loaders write through ``upsert_*`` inside it.

        The backend may defer durability work to the end of the session (the embedded
        store checkpoints once, at the end, instead of after every ``COPY``) and trust its
        own count of what it wrote, so write only through ``upsert_*`` inside it."""
        self._begin_bulk()
        try:
            yield self
        finally:
            self._end_bulk()

    @contextmanager
    def atomic(self) -> Iterator[GraphStore]:
        """All or nothing: when the block raises (or is interrupted), what it wrote is taken back.

        By default an undo log: every node and relationship ``upsert_*`` creates inside the block is
        recorded, and deleted again (relationships first) when the block fails, so the store holds what
        it held before.  Only objects the block created are deleted: ``upsert_*`` never changes an
        existing one.  A backend with a cheaper way (the embedded store's staging copy) overrides this."""
        if self._undo is not None:  # nested: the outer block decides
            yield self
            return
        self._undo = []
        try:
            yield self
        except BaseException as exc:
            undo, self._undo = self._undo, None
            # a second Ctrl-C would stop the undo half way and leave half a load
            with held_interrupts(_undoing):
                try:
                    for kind, name, ids in sorted(reversed(undo), key=lambda u: u[0] == "node"):
                        self._delete(kind, name, ids)
                except Exception as undo_exc:
                    if not isinstance(exc, Exception):
                        raise
                    # the server gone: what the block had committed stays, and whoever reports the failure must
                    # not say that the store is as it was (a load killed with Neo4j said 库保持原样 over 6,623 rows)
                    raise NotTakenBack(str(exc), undo_exc) from exc
            raise
        finally:
            self._undo = None

    def count(self, name: str) -> int:
        """Number of nodes of a label, or of relationships of a type."""
        if name in self.model.labels:
            return self._count("node", name)
        self.model.relationship(name)
        return self._count("rel", name)

    def public_keys(self) -> frozenset[str]:
        """The plates and addresses shown in clear although their label's key is personal (``personal: plate |
        address`` in nodes.yaml): an official vehicle's plate, a company's or unit's registered address that no
        person is linked to (``queries/privacy/public_keys.cypher``). Give them to
        :func:`graphkit.model.mask.known_public` (the command line does when it opens a store)."""
        if not (self._count("node", "Vehicle") or self._count("node", "Address")):
            return frozenset()
        got = self.query("privacy/public_keys")
        return frozenset(got["id"].astype(str)) if len(got) else frozenset()

    def existing_ids(self, label: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are stored as nodes of ``label``."""
        self.model.label(label)
        ids = list(ids)
        if not ids or self._count("node", label) == 0:
            return set()
        return self._existing_ids("node", label, ids)

    def stored_links(self, rtype: str, ids: pa.Array) -> np.ndarray:
        """Which of these relationship ids (64-bit :func:`~graphkit.model.keys.link_ids`) of ``rtype`` are
        stored, as a boolean mask."""
        self.model.relationship(rtype)
        if not len(ids) or self._count("rel", rtype) == 0:
            return np.zeros(len(ids), dtype=bool)
        return self._stored_mask("rel", rtype, ids)

    def links_from(self, label: str, rtype: str, ids: Sequence[str]) -> pd.DataFrame:
        """The stored ``rtype`` links that start at nodes of ``label`` with these ids: columns ``id`` (the node's),
        ``rid`` (the link's 64-bit id), ``file`` and ``row`` (its source row)."""
        self.model.label(label)
        self.model.relationship(rtype)
        return self.run(
            f"MATCH (a:{label})-[r:{rtype}]->() WHERE a.id IN $ids "
            "RETURN a.id AS id, r.id AS rid, r.src_file AS file, r.src_row AS row",
            ids=list(ids),
        )

    def node_values(self, label: str, prop: str, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Columns ``id`` and ``value``: property ``prop`` of the nodes of ``label`` with these ids (every node of
        the label when ``ids`` is None: one scan beats a long ``IN`` list)."""
        if prop not in self.model.label(label).properties:
            raise StoreError(f"{label} has no property {prop!r}")
        if ids is None:
            return self.run(f"MATCH (n:{label}) RETURN n.id AS id, n.{prop} AS value")
        return self.run(f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id, n.{prop} AS value", ids=list(ids))

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts per node label and relationship type (every one in the model, zeros included)."""
        return {
            "nodes": {lab: self.count(lab) for lab in self.model.labels},
            "relationships": {rel: self.count(rel) for rel in self.model.relationships},
        }

    def subgraph(self, ids: Iterable[str], *, hops: int = 0) -> nx.MultiDiGraph:
        """The nodes with these ids (plus ``hops`` neighbourhoods) and the relationships among them.

        Node keys are the natural ids; each node has a ``label`` attribute, each
        edge a ``type`` and its properties (provenance included).

        The same on every store, order included (a drawing's layout and a file written from it follow the
        order): nodes in the order of ``ids``, then each hop's new neighbours by key; links by their ends' places
        in that order, then type and id; properties in the model's order (:meth:`Model.in_order`), ``label`` or
        ``type`` first. Each store returned its own order: Neo4j's properties in none in particular, so one
        path's hover texts read differently on the two stores."""
        wanted = list(dict.fromkeys(ids))
        for _ in range(hops):
            seen = set(wanted)
            wanted += sorted({str(n) for n in self._neighbours(wanted)} - seen)
        nodes, edges = self._subgraph_rows(wanted)
        place = {k: i for i, k in enumerate(wanted)}
        g = nx.MultiDiGraph()
        for n in sorted(nodes, key=lambda n: place.get(n["id"], len(place))):
            props = {k: v for k, v in n.items() if k not in ("id", "label")}
            g.add_node(n["id"], label=n.get("label"), **self.model.in_order(n.get("label"), props))
        for e in sorted(
            edges,
            key=lambda e: (
                place.get(e["source"], len(place)),
                place.get(e["target"], len(place)),
                e["type"],
                str(e.get("id")),
            ),
        ):
            props = {k: v for k, v in e.items() if k not in ("source", "target", "type")}
            g.add_edge(
                e["source"], e["target"], key=e.get("id"), type=e["type"], **self.model.in_order(e["type"], props)
            )
        return g

    def _neighbours(self, ids: list[str]) -> list[str]:
        df = self.run("MATCH (a)-[]-(b) WHERE a.id IN $ids RETURN DISTINCT b.id AS id", ids=ids)
        return [] if df.empty else df["id"].tolist()

    # -------------------------------------------------------- helpers
    def _conform(self, name: str, table: pa.Table | pd.DataFrame, *, edge: bool = False) -> pa.Table:
        """Order and type columns as the model declares; absent properties become nulls."""
        schema = self.model.arrow_schema(name)
        if isinstance(table, pd.DataFrame):
            table = pa.Table.from_pandas(table, preserve_index=False)
        cols, fields = [], []
        if edge:
            for c in ("from", "to"):
                if c not in table.column_names:
                    raise StoreError(f"{name}: relationship table lacks column {c!r}")
                cols.append(table[c].cast(pa.string()))
                fields.append(pa.field(c, pa.string()))
        for f in schema:
            if edge and f.name == "id" and f.name in table.column_names and _is_text(table["id"].type):
                cols.append(link_ids(table["id"]))  # the natural key → its 64-bit id
            elif f.name in table.column_names:
                cols.append(table[f.name].cast(f.type))
            else:
                cols.append(pa.nulls(table.num_rows, f.type))
            fields.append(f)
        extra = set(table.column_names) - {f.name for f in fields}
        if extra:
            raise StoreError(f"{name}: columns {sorted(extra)} are not properties in the model")
        return pa.Table.from_arrays(cols, schema=pa.schema(fields))

    def _only_new(self, kind: str, name: str, table: pa.Table) -> pa.Table:
        if table.num_rows == 0 or self._count(kind, name) == 0:
            return table
        stored = self._stored_mask(kind, name, table["id"])
        if not stored.any():
            return table
        return table.filter(pa.array(~stored))


def induced(g: nx.MultiDiGraph, nodes: Iterable[Any]) -> nx.MultiDiGraph:
    """A copy of the part of ``g`` on ``nodes``, nodes and links in ``g``'s order.

    ``g.subgraph(nodes).copy()`` gives them in the order of a set of ``nodes``, which follows the strings'
    hashes and so changes from one Python process to the next: the same warning's evidence was drawn with
    another layout after each kernel restart (the layout follows the order), and so, by chance, differently
    on Neo4j and on the embedded store.

    Example
    -------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> list(induced(g, ["d", "b", "c"])), list(induced(g, {"d", "b", "c"}).edges())
    (['b', 'c', 'd'], [('b', 'c'), ('c', 'd')])
    """
    keep = set(nodes)
    out = g.__class__()
    out.graph.update(g.graph)
    out.add_nodes_from((n, dict(a)) for n, a in g.nodes(data=True) if n in keep)
    out.add_edges_from((u, v, k, dict(a)) for u, v, k, a in g.edges(keys=True, data=True) if u in keep and v in keep)
    return out
