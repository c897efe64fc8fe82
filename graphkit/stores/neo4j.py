"""Neo4j 5 behind the store seam, through the official ``neo4j`` Python driver.

One long-lived :class:`neo4j.Driver` per store; every statement goes through
``Driver.execute_query`` with ``$params``, an explicit ``database_`` and an
explicit ``routing_`` (``READ`` for counts, id look-ups and subgraphs,
``WRITE`` for loads and DDL).  ``execute_query`` runs each statement in a
managed transaction that the driver retries on transient errors; a failed
transaction is rolled back whole, so a retried batch never writes twice.
The bulk hooks get only rows whose ``id`` the seam found new and ``CREATE``
them with the model's properties spelled out (``write="merge"``: ``MERGE`` on
``id``, idempotent past the seam's filter, slower; ``bench/neo4j_load.py``
measures both).

Labels and relationship types are spliced into query text only after they
have been checked against the model; values always travel as parameters.

Statements sent to Neo4j are linted offline with Neo4j's own parser in
``tests/test_cypher_lint.py`` (see :mod:`graphkit.stores.cypherlint`); the
integration tests in ``tests/test_neo4j_integration.py`` run against a real
server when ``NEO4J_URI`` is set (``docker/README.md``).
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa
from neo4j import GraphDatabase, NotificationMinimumSeverity, Query, RoutingControl

from graphkit.model import Model
from graphkit.stores.base import GraphStore, StoreError, StoreUnavailable, chunks

__all__ = ["Neo4jStore", "routing_for", "CONNECTION_TIMEOUT", "QUERY_TIMEOUT"]

#: seconds to establish a connection (the driver's default is 30): a server that is down or out of reach is
#: said at once instead of after half a minute of retries; ``NEO4J_CONNECTION_TIMEOUT`` overrides it
CONNECTION_TIMEOUT = 5.0
#: the driver's ``connection_acquisition_timeout`` as a multiple of the connection timeout: it bounds the whole
#: getting of a connection, the Bolt handshake included. A port that accepts the TCP connection and never answers
#: (not Neo4j, a hung server, a proxy) held every command for the driver's default 60 s before failing
ACQUISITION_FACTOR = 2.0
#: seconds a statement may run once the session is open (``NEO4J_QUERY_TIMEOUT`` overrides it): the server ends a
#: transaction that runs longer (the driver's transaction timeout, ``neo4j.Query(timeout=…)``), and the store stops
#: waiting for an answer a little after that (:func:`answer_wait`), since a server that hangs after the handshake
#: (a stopped JVM, a stalled proxy) answers nothing, not even that it ended the transaction. The connection
#: timeout bounds only the handshake: a query that never returned held a command forever
QUERY_TIMEOUT = 300.0
#: seconds past the query timeout the store still waits for the server's answer (:func:`answer_wait`)
ANSWER_GRACE = 10.0
#: what the server answers when it ended a transaction that ran past its timeout (the client's or its own
#: ``db.transaction.timeout``)
TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOut"
#: what Neo4j answers once a user's password was refused too many times in a row
#: (``dbms.security.auth_max_failed_attempts``, 3 by default; locked ``dbms.security.auth_lock_time``, 5 s), even to
#: the right password; the driver raises it as a plain ClientError
RATE_LIMITED = "Neo.ClientError.Security.AuthenticationRateLimit"
#: the database named does not exist on the server (``NEO4J_DATABASE``)
NO_DATABASE = "Neo.ClientError.Database.DatabaseNotFound"
#: a write to a database the server keeps read-only (``server.databases.read_only``)
READ_ONLY_DATABASE = "Neo.ClientError.General.WriteOnReadOnlyAccessDatabase"

#: routing chosen by a hook for the statement it is about to run; ``None`` lets
#: :func:`routing_for` decide (queries handed to the public ``run``).
_ROUTING: contextvars.ContextVar[RoutingControl | None] = contextvars.ContextVar("graphkit_neo4j_routing", default=None)

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_MODE_HEADER = re.compile(r"^\s*//\s*mode\s*:\s*(read|write)\b", re.IGNORECASE | re.MULTILINE)
_STRIP = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.DOTALL)
_WRITE_CLAUSE = re.compile(
    r"(?<![\w.$])(CREATE|MERGE|SET|DELETE|REMOVE|DROP|FOREACH|INSERT|ALTER|RENAME|GRANT|DENY|REVOKE"
    r"|LOAD\s+CSV)(?!\w)",
    re.IGNORECASE,
)
_PROCEDURE = re.compile(r"(?<![\w.$])CALL\s+([A-Za-z_][\w.]*)\s*(?:\(|YIELD|$)", re.IGNORECASE)
_READ_PROCEDURE = re.compile(r"^(db|dbms)\.|\.(stream|stats|estimate)$", re.IGNORECASE)


def routing_for(query: str) -> RoutingControl:
    """``RoutingControl.READ`` or ``WRITE`` for a query handed to :meth:`Neo4jStore.run`.

    A ``// mode: read`` or ``// mode: write`` header line (as query files carry)
    decides.  Otherwise the query is READ unless, outside comments, strings and
    backticked names, it has a writing clause or calls a procedure that is not
    known to read (``db.*``, ``dbms.*``, ``*.stream``, ``*.stats``,
    ``*.estimate``).  Doubt routes to WRITE, which is always allowed.

    Example
    -------
    >>> routing_for("MATCH (n:Person) RETURN count(n) AS n").name
    'READ'
    >>> routing_for("MATCH (n:Person) SET n.name = $name").name
    'WRITE'
    >>> routing_for("// mode: read\\nCALL gds.graph.project('g', 'Person', '*')").name
    'READ'
    """
    header = _MODE_HEADER.search(query)
    if header:
        return RoutingControl.READ if header.group(1).lower() == "read" else RoutingControl.WRITE
    body = _STRIP.sub(" ", query)
    if _WRITE_CLAUSE.search(body):
        return RoutingControl.WRITE
    for proc in _PROCEDURE.findall(body):
        if not _READ_PROCEDURE.search(proc):
            return RoutingControl.WRITE
    return RoutingControl.READ


def _native(value: Any) -> Any:
    """Driver values to plain Python: ``neo4j.time`` types to ``datetime``, recursively."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None and type(value).__module__.startswith("neo4j.time"):
        return to_native()
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _to_frame(result: Any) -> pd.DataFrame:
    """Result transformer: the records of a ``neo4j.Result`` as a DataFrame (columns kept when empty).

    Columns of dates become ``datetime64[us]``, as the embedded store returns them (pandas keeps
    ``datetime.date`` objects as ``object``; ``datetime`` values already become ``datetime64[us]``), so that
    ``.dt``, date arithmetic and comparisons work the same on frames from either store.
    """
    keys = list(result.keys())
    rows = [[_native(v) for v in record.values()] for record in result]
    return _dates_as_datetime64(pd.DataFrame(rows, columns=keys))


def _dates_as_datetime64(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns whose values are all ``datetime.date`` (or null) as ``datetime64[us]``; the rest kept.

    Example
    -------
    >>> from datetime import date
    >>> df = _dates_as_datetime64(pd.DataFrame({"d": [date(2024, 3, 1), None], "s": ["a", None]}))
    >>> df.dtypes.astype(str).to_dict()
    {'d': 'datetime64[us]', 's': 'str'}
    """
    for col in df.columns[[dtype == "object" for dtype in df.dtypes]]:
        values = df[col].dropna()
        if values.empty or type(values.iloc[0]) is not date:  # a datetime is a date: ask for the type itself
            continue
        if all(type(v) is date for v in values):
            df[col] = df[col].astype("datetime64[us]")
    return df


def _to_rows(result: Any) -> list[tuple]:
    """Result transformer: the records of a ``neo4j.Result`` as tuples of plain Python values."""
    return [tuple(_native(v) for v in record.values()) for record in result]


def _py(value: Any) -> Any:
    """A value from ``pa.Table.to_pylist`` as the driver wants it (Timestamps to datetime)."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what lies under it (causes, contexts, an exception group's members), nearest first."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        e = todo.pop(0)
        seen.append(e)
        todo += [c for c in (e.__cause__, e.__context__) if c is not None and c not in seen]
        todo += [c for c in getattr(e, "exceptions", ()) if c not in seen]
    return seen


def _why(exc: BaseException) -> str:
    """The driver's message on one line, with the socket's reason when it is buried in the causes
    (``Unable to retrieve routing information ([Errno 111] Connection refused)``)."""
    text = " ".join(str(exc).split())
    for e in _causes(exc):
        m = re.search(r"\(reason (.+)\)\s*$", str(e))
        if m and m.group(1) not in text:
            return f"{text} ({m.group(1)})"
    return text


class _Retried(logging.Filter):
    """Drops the driver's own log lines about a server it lost (``Transaction failed and will be retried in
    17.8s (Unable to retrieve routing information)``, ``Unable to retrieve routing information``): English,
    printed above the command's own sentence, which says it once (``lost Neo4j at … during the command``).
    ``graphkit -vv`` (DEBUG) keeps them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            return True
        text = str(record.msg)
        return not ("will be retried" in text or "routing information" in text)


for _name in ("neo4j.pool", "neo4j.session", "neo4j.io"):
    logging.getLogger(_name).addFilter(_Retried())


def answer_wait(query_timeout: float) -> float:
    """Seconds the store waits for any answer to a statement bounded by ``query_timeout``: the timeout, then
    :data:`ANSWER_GRACE` more for the server's own refusal of the transaction it ended (the server looks for
    transactions past their timeout every 2 s, ``db.transaction.monitor.check.interval``).

    >>> answer_wait(300), answer_wait(1)
    (310.0, 11.0)
    """
    return float(query_timeout) + ANSWER_GRACE


def _timed_out(exc: BaseException) -> bool:
    """Whether the socket under the driver's error timed out (no answer), rather than being refused."""
    return any(isinstance(e, TimeoutError) for e in _causes(exc))


class Neo4jStore(GraphStore):
    """A Neo4j 5 database reached with the official driver.

    Parameters
    ----------
    uri : str
        ``neo4j://host:7687`` (routing) or ``bolt://host:7687`` (direct).
    auth : tuple of (str, str) or None
        User and password, or ``None`` for a server without authentication.
    database : str, default ``"neo4j"``
        Named on every call (``database_``), never left to the server's default.
    model : Model, optional
        The graph model; :meth:`Model.default` when omitted.
    batch_size : int, default 10_000
        Rows per ``UNWIND $rows`` statement (one transaction each) and ids per ``IN $ids`` look-up.
    write : {"create", "merge"}, default ``"create"``
        How the bulk hooks write rows whose ids :meth:`upsert_nodes` / :meth:`upsert_edges` found new:
        ``CREATE`` with the model's properties spelled out (no ``MERGE`` look-up, no ``Eager``
        operator; the node-id uniqueness constraints still refuse a duplicate node), or ``MERGE`` on
        ``id`` with ``SET += props`` (idempotent even for rows already stored; slower).
    workers : int, default 1
        Batches of one label or relationship type sent at once from this many threads (each its own
        transaction; a deadlock between two of them is a transient error the driver retries).
    read_only : bool, default False
        Run every statement, loads and DDL included, in a READ transaction (``routing_=READ``), so that
        the server itself refuses any write (``Neo.ClientError.Statement.AccessMode``) whatever the
        query says: what ``graphkit --read-only`` (the viewer role) and every reading command open.
        Protection against mistakes, not against a user who writes with their own driver: that needs
        a read-only database or, on Enterprise, a ``reader`` role (``docker/README.md``).
    driver : neo4j.Driver, optional
        A driver to use instead of creating one (tests pass a recording fake).
        The store closes only a driver it created.
    connection_timeout : float, optional
        Seconds to establish a connection (the driver's ``connection_timeout``), and twice that to get one with
        its Bolt handshake answered (``connection_acquisition_timeout``); the driver's defaults (30 s, 60 s)
        when None.
    query_timeout : float, optional
        Seconds a statement may run: the server ends its transaction after that (``neo4j.Query(timeout=…)``), and
        the store gives up waiting for an answer :func:`answer_wait` seconds after it was sent (a server that
        hangs answers nothing); either is one :class:`StoreUnavailable` sentence naming the address. None: no
        bound (the server's own ``db.transaction.timeout``); :meth:`from_env` gives :data:`QUERY_TIMEOUT`.

    Example
    -------
    >>> import os
    >>> s = Neo4jStore.from_env(os.environ["NEO4J_URI"])  # doctest: +SKIP
    >>> s.create_schema()  # doctest: +SKIP
    >>> s.upsert_nodes("Person", pd.DataFrame({"id": ["110105194912310020"], "name": ["张伟"]}))  # doctest: +SKIP
    1
    >>> s.counts()["nodes"]["Person"]  # doctest: +SKIP
    1
    >>> s.close()  # doctest: +SKIP
    """

    dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None,
        *,
        database: str = "neo4j",
        model: Model | None = None,
        batch_size: int = 10_000,
        write: str = "create",
        workers: int = 1,
        read_only: bool = False,
        driver: Any = None,
        connection_timeout: float | None = None,
        query_timeout: float | None = None,
    ) -> None:
        super().__init__(model)
        if query_timeout is not None and not float(query_timeout) > 0:
            raise ValueError(f"query_timeout must be a positive number of seconds, not {query_timeout!r}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        if write not in ("create", "merge"):
            raise ValueError(f"write must be 'create' or 'merge', not {write!r}")
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if not database:
            raise ValueError("database must be named")
        self.uri = uri
        self.database = database
        self._user = auth[0] if auth else None  # said when the server refuses it; the password never is
        self.batch_size = int(batch_size)
        self.write_mode = write
        self.workers = int(workers)
        self.read_only = bool(read_only)
        self._owns_driver = driver is None
        #: seconds the driver waits for a connection whose handshake is answered (said when none is)
        self._wait = 60.0 if connection_timeout is None else ACQUISITION_FACTOR * float(connection_timeout)
        self.query_timeout = None if query_timeout is None else float(query_timeout)
        #: a statement found no answer in time: its thread still waits on the connection, which ``close`` leaves
        self._hung = False
        if driver is None:
            timeout = (
                {}
                if connection_timeout is None
                else {
                    "connection_timeout": float(connection_timeout),
                    "connection_acquisition_timeout": ACQUISITION_FACTOR * float(connection_timeout),
                }
            )
            try:  # creating a driver does not connect; the first query does (or verify)
                # no server notifications: the driver logs each one as a WARNING (a property no node has yet,
                # e.g. ``aliases`` before an FtM import, gave ~10 lines per ``find`` and 40 per ``path --simple``)
                # that the embedded store never prints; the query files are linted against the model instead
                driver = GraphDatabase.driver(
                    uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF, **timeout
                )
            except Exception as exc:  # ConfigurationError, ValueError on a bad URI
                raise StoreError(f"cannot create a Neo4j driver for {uri}: {exc}") from exc
        self._driver = driver

    @classmethod
    def from_env(cls, spec: str, **kw: Any) -> Neo4jStore:
        """Open ``spec`` (a ``neo4j://`` or ``bolt://`` URI) with settings from the environment.

        ``NEO4J_USER`` (default ``neo4j``) and ``NEO4J_PASSWORD`` give the
        credentials (no password: no authentication), the URI's path or ``NEO4J_DATABASE``
        (default ``neo4j``) the database (:meth:`graphkit.stores.StoreSpec.neo4j_database`); keywords
        override and pass through to :class:`Neo4jStore`.

        Example
        -------
        >>> s = Neo4jStore.from_env("neo4j://localhost:7687", batch_size=5_000)  # doctest: +SKIP
        """
        from graphkit.stores import StoreSpec

        parsed = StoreSpec.parse(spec)  # the URI's path names the database, as NEO4J_DATABASE does
        if parsed.kind != "neo4j":
            raise ValueError(f"{spec!r} is not a Neo4j URI (neo4j://HOST:PORT[/DATABASE])")
        spec = parsed.target
        password = os.environ.get("NEO4J_PASSWORD")
        auth = (os.environ.get("NEO4J_USER") or "neo4j", password) if password else None
        if "database" not in kw:
            kw["database"] = parsed.neo4j_database()
        if kw.get("driver") is None:
            kw.setdefault("connection_timeout", float(os.environ.get("NEO4J_CONNECTION_TIMEOUT") or CONNECTION_TIMEOUT))
            kw.setdefault("query_timeout", _seconds("NEO4J_QUERY_TIMEOUT", QUERY_TIMEOUT))
        return cls(spec, kw.pop("auth", auth), **kw)

    def verify(self) -> None:
        """Connect once (``Driver.verify_connectivity``: one attempt, no retries) so that a server that is down
        or refuses the credentials is one clear error when the store is opened, not half a minute of the
        driver's retry warnings and a traceback at the first query.

        Raises
        ------
        StoreUnavailable
            The server cannot be reached, or it refuses the credentials.
        """
        import logging

        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        log = logging.getLogger("neo4j")
        level = log.level
        log.setLevel(logging.CRITICAL)  # the pool logs the failure as an ERROR before raising it: said once, below
        try:
            self._driver.verify_connectivity()  # no keywords: those are a preview feature that warns
            # the database too: one that does not exist was the driver's text at the first query
            self._bounded(
                lambda: self._driver.execute_query(
                    self._query("RETURN 1"), database_=self.database, routing_=RoutingControl.READ
                )
            )
        except AuthError as exc:
            # the server's own sentence (``exc.message``), not the driver's text with its GQL status codes
            said = " ".join(str(getattr(exc, "message", None) or exc).split())
            if self._user is None:
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} asks for a user and password and none was given: set NEO4J_PASSWORD "
                    f"(and NEO4J_USER, neo4j by default) in the environment ({said})"
                ) from exc
            raise StoreUnavailable(
                f"Neo4j at {self.uri} refused user {self._user!r} and the password in NEO4J_PASSWORD: {said}"
            ) from exc
        except (DriverError, Neo4jError, OSError) as exc:
            if getattr(exc, "code", None) == RATE_LIMITED:  # a ClientError, not an AuthError, in the driver
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} locks user {self._user!r} for a few seconds: the password was refused "
                    "too many times in a row (the server's dbms.security.auth_max_failed_attempts); check "
                    "NEO4J_PASSWORD and try again"
                ) from exc
            plain = self._plainly(exc)
            if plain is not None:
                raise StoreUnavailable(plain) from exc
            if _timed_out(exc):  # the port took the connection (or the network swallowed it) and nothing answered
                raise StoreUnavailable(
                    f"cannot connect to Neo4j at {self.uri}: no answer in {self._wait:g} s (it may not be Neo4j there, "
                    "the server may hang, or the network is down; NEO4J_CONNECTION_TIMEOUT sets the wait)"
                ) from exc
            raise StoreUnavailable(f"cannot reach Neo4j at {self.uri}: {_why(exc)}; is it running?") from exc
        finally:
            log.setLevel(level)

    def _plainly(self, exc: BaseException) -> str | None:
        code = getattr(exc, "code", None)
        if code == NO_DATABASE:
            return (
                f"Neo4j at {self.uri} has no database {self.database!r} (the store's /DATABASE or NEO4J_DATABASE "
                "names it; neo4j by default)"
            )
        if code == READ_ONLY_DATABASE:
            return (
                f"Neo4j at {self.uri} keeps database {self.database!r} read-only: it can be read, not written "
                "(the server's server.databases.read_only); load into it where it is writable"
            )
        return None

    # ------------------------------------------------------------ hooks
    def _execute(self, query: str, params: dict[str, Any]) -> pd.DataFrame:
        return self._send_one(query, params, _to_frame)

    def _rows(self, query: str, params: dict[str, Any]) -> list[tuple]:
        return self._send_one(query, params, _to_rows)

    def _send_one(self, query: str, params: dict[str, Any], transform: Callable[[Any], Any]) -> Any:
        """One statement through ``execute_query``, bounded by :attr:`query_timeout` (:meth:`_bounded`)."""
        routing, text = self._routing(query), self._query(query)  # the hook's routing is read in this thread
        try:
            return self._bounded(
                lambda: self._driver.execute_query(
                    text, params, routing_=routing, database_=self.database, result_transformer_=transform
                )
            )
        except Exception as exc:
            from neo4j.exceptions import ServiceUnavailable, SessionExpired

            if isinstance(exc, ServiceUnavailable | SessionExpired):
                # the server went away once the command had begun (stopped, restarted, network cut): the driver
                # retried for half a minute, then raised its own words with the query, a traceback's worth of them
                raise StoreUnavailable(
                    f"lost Neo4j at {self.uri} during the command: {_why(exc)}; is it still running?"
                ) from exc
            if str(getattr(exc, "code", "")).startswith(TIMED_OUT):
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} did not finish the query in {self.query_timeout:g} s and the server ended it "
                    "(the graph too large, the server too busy, or the query itself too slow; NEO4J_QUERY_TIMEOUT "
                    "sets the wait)"
                ) from exc
            raise

    def _query(self, text: str) -> str | Query:
        """``text`` with the transaction timeout (:attr:`query_timeout`) for the server; as it is without one."""
        return text if self.query_timeout is None else Query(text, timeout=self.query_timeout)

    def _bounded(self, call: Callable[[], Any]) -> Any:
        """``call()``, waited for at most :func:`answer_wait` seconds (no bound without :attr:`query_timeout`).

        The driver waits on the socket with no timeout once the handshake is done; a server that stops answering
        (a stopped JVM, a stalled proxy) never ends the transaction it was asked to end, so the call runs in a
        daemon thread and the store stops waiting for it: that thread, and the connection it holds, are left
        behind (the process can still exit; :meth:`close` does not wait for them)."""
        if self.query_timeout is None:
            return call()
        box: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                box["out"] = call()
            except BaseException as exc:  # handed to the caller's thread, raised there
                box["exc"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="neo4j-query", daemon=True).start()
        wait = answer_wait(self.query_timeout)
        try:
            answered = done.wait(wait)
        except BaseException:  # Ctrl-C while waiting: the statement's thread still holds its connection
            if not done.is_set():
                # close() must not wait on it: a Ctrl-C on a hung server left the command hanging with nothing said,
                # the driver's close waiting on that connection (CI, 2026-12-07, on a loaded machine)
                self._hung = True
            raise
        if not answered:
            self._hung = True
            raise StoreUnavailable(
                f"Neo4j at {self.uri} gave no answer in {wait:g} s: the query was given up (the session was open; "
                "the server may hang, or the network is down; NEO4J_QUERY_TIMEOUT sets the wait)"
            )
        if "exc" in box:
            raise box["exc"]
        return box["out"]

    def _routing(self, query: str) -> RoutingControl:
        """READ for a read-only store; else the hook's choice or :func:`routing_for`."""
        if self.read_only:
            return RoutingControl.READ
        return _ROUTING.get() or routing_for(query)

    def _schema_statements(self) -> list[str]:
        return self.model.neo4j_ddl()

    def _bulk_nodes(self, label: str, table: pa.Table) -> None:
        label = self._label(label)
        _require_ids(label, table)
        if self.write_mode == "merge":
            query = f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
            self._send(query, [_row(r) for r in table.to_pylist()])
            return
        query = f"UNWIND $rows AS row CREATE (n:{label} {_props_map(table.column_names, ())})"
        self._send(query, _flat_rows(table))

    def _bulk_edges(self, rtype: str, source: str, target: str, table: pa.Table) -> None:
        rtype = self._rtype(rtype)
        source, target = self._label(source), self._label(target)
        self.model.check_pair(rtype, source, target)
        _require_ids(rtype, table, ("id", "from", "to"))
        ends = f"UNWIND $rows AS row MATCH (a:{source}) WHERE a.id = row.from MATCH (b:{target}) WHERE b.id = row.to "
        if self.write_mode == "merge":
            query = f"{ends}MERGE (a)-[r:{rtype} {{id: row.id}}]->(b) SET r += row.props RETURN count(r) AS written"
            rows = [_row(r, edge=True) for r in table.to_pylist()]
        else:
            props = _props_map(table.column_names, ("from", "to"))
            query = f"{ends}CREATE (a)-[r:{rtype} {props}]->(b) RETURN count(r) AS written"
            rows = _flat_rows(table)
        missing = 0
        for sent, df in self._send(query, rows):
            written = int(df["written"].iloc[0]) if not df.empty else 0
            missing += sent - written
        if missing:
            raise StoreError(
                f"{rtype} {source}→{target}: {missing} of {len(rows)} relationships "
                f"not written because an endpoint node is missing (load nodes first)"
            )

    def _send(self, query: str, rows: list[dict]) -> list[tuple[int, pd.DataFrame]]:
        """Write ``rows`` in batches of :attr:`batch_size`, one transaction each, from :attr:`workers` threads;
        return (rows sent, result) per batch."""
        batches = list(chunks(rows, self.batch_size))
        if self.workers == 1 or len(batches) == 1:
            return [(len(b), self._write(query, list(b))) for b in batches]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.workers, thread_name_prefix="neo4j-write") as pool:
            results = list(pool.map(lambda b: self._write(query, list(b)), batches))
        return [(len(b), df) for b, df in zip(batches, results, strict=True)]

    def _delete(self, kind: str, name: str, ids: pa.Array) -> None:
        tail = "DETACH DELETE n" if kind == "node" else "DELETE n"
        query = f"UNWIND $rows AS id {self._pattern(kind, name)} WHERE n.id = id {tail}"
        for batch in chunks(ids.to_pylist(), self.batch_size):
            self._write(query, list(batch))

    def _existing_ids(self, kind: str, name: str, ids: list) -> set:
        query = f"{self._pattern(kind, name)} WHERE n.id IN $ids RETURN n.id AS id"
        seen: set = set()
        for batch in chunks(ids, self.batch_size):
            df = self._read(query, ids=list(batch))
            if not df.empty:
                seen.update(df["id"])
        return seen

    def _count(self, kind: str, name: str) -> int:
        df = self._read(f"{self._pattern(kind, name)} RETURN count(n) AS n")
        return int(df["n"].iloc[0]) if not df.empty else 0

    def _subgraph_rows(self, ids: list[str]) -> tuple[list[dict], list[dict]]:
        if not ids:
            return [], []
        # one index seek per model label (``n.id`` is unique per label), not a scan of every node
        node_query = " UNION ".join(
            f"MATCH (n:{self._label(lab)}) WHERE n.id IN $ids "
            f"RETURN labels(n)[0] AS label, elementId(n) AS eid, properties(n) AS props"
            for lab in self.model.labels
        )
        found = self._read(node_query, ids=ids)
        nodes, eids = [], []
        for rec in found.to_dict("records"):
            nodes.append({**rec["props"], "label": rec["label"]})
            eids.append(rec["eid"])
        if not eids:
            return nodes, []
        rels = self._read(
            "MATCH (a)-[r]->(b) WHERE elementId(a) IN $eids AND elementId(b) IN $eids "
            "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props",
            eids=list(dict.fromkeys(eids)),
        )
        edges = [
            {**rec["props"], "type": rec["type"], "source": rec["source"], "target": rec["target"]}
            for rec in rels.to_dict("records")
        ]
        return nodes, edges

    def close(self) -> None:
        """Close the driver (only one this store created)."""
        driver, self._driver = getattr(self, "_driver", None), None
        if driver is None or not self._owns_driver:
            return
        if not getattr(self, "_hung", False):
            driver.close()
            return
        # a statement got no answer: its thread still holds a connection to a server that may never answer, and
        # closing the pool could wait on it. Closed in the background, waited for a moment only
        closing = threading.Thread(target=driver.close, name="neo4j-close", daemon=True)
        closing.start()
        closing.join(min(self.query_timeout or 5.0, 5.0))

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------- helpers
    def _read(self, query: str, **params: Any) -> pd.DataFrame:
        return self._routed(RoutingControl.READ, query, params)

    def _write(self, query: str, rows: list[dict]) -> pd.DataFrame:
        return self._routed(RoutingControl.WRITE, query, {"rows": rows})

    def _routed(self, routing: RoutingControl, query: str, params: dict[str, Any]) -> pd.DataFrame:
        if self._driver is None:
            raise StoreError("Neo4jStore is closed")
        token = _ROUTING.set(routing)
        try:  # through the seam's run: logging and error wrapping
            return self.run(query, params)
        finally:
            _ROUTING.reset(token)

    def _label(self, name: str) -> str:
        if name not in self.model.labels or not _NAME.match(name):
            raise StoreError(f"unknown label {name!r}; the model has {', '.join(self.model.labels)}")
        return name

    def _rtype(self, name: str) -> str:
        if name not in self.model.relationships or not _NAME.match(name):
            raise StoreError(f"unknown relationship type {name!r}; the model has {', '.join(self.model.relationships)}")
        return name

    def _pattern(self, kind: str, name: str) -> str:
        if kind == "node":
            return f"MATCH (n:{self._label(name)})"
        if kind == "rel":
            return f"MATCH ()-[n:{self._rtype(name)}]->()"
        raise StoreError(f"kind must be 'node' or 'rel', not {kind!r}")


def _seconds(name: str, default: float) -> float:
    """A positive number of seconds from the environment variable ``name``, else ``default``."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise StoreError(f"{name}={raw!r} is not a positive number of seconds")
    return value


def _row(record: dict[str, Any], *, edge: bool = False) -> dict[str, Any]:
    """``{id, props}`` (edges also ``from``, ``to``) with null properties dropped."""
    skip = ("id", "from", "to") if edge else ("id",)
    out: dict[str, Any] = {"id": record["id"]}
    if edge:
        out["from"], out["to"] = record["from"], record["to"]
    out["props"] = {k: _py(v) for k, v in record.items() if k not in skip and v is not None}
    return out


def _props_map(columns: list[str], skip: tuple[str, ...]) -> str:
    """``{id: row.id, name: row.name, …}``: every model property a row carries (a null one is not stored)."""
    names = [c for c in columns if c not in skip]
    for name in names:
        if not _NAME.match(name):
            raise StoreError(f"property name {name!r} cannot be written to Neo4j")
    return "{" + ", ".join(f"{n}: row.{n}" for n in names) + "}"


def _flat_rows(table: pa.Table) -> list[dict[str, Any]]:
    """One dict per row with every column (nulls as ``None``), built column by column."""
    names = table.column_names
    columns = [table[n].to_pylist() for n in names]  # Arrow gives date, datetime, int, float, str
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _require_ids(name: str, table: pa.Table, columns: tuple[str, ...] = ("id",)) -> None:
    """MERGE on a null key fails mid-load; refuse such rows before anything is sent."""
    for col in columns:
        nulls = table[col].null_count
        if nulls:
            raise StoreError(f"{name}: {nulls} row(s) have no {col!r}")
