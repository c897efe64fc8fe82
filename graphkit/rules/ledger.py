"""The warning ledger: what the collision models raised, and the closed loop each warning goes through.

A warning is one hit of one model.  Its id is stable — ``W`` and twelve hex digits of the SHA-1 of the
model id and the hit's key — so running a model again finds the same warning: its evidence, level and
``last_seen`` are refreshed, its status never goes back.  Status moves

    generated → dispatched (to whom) → verified (true or false positive, by whom, with a comment)
              → rectified (true positives only)

and every change is kept with who and when in a history table; a dispatched warning may be dispatched
again to someone else.  Verified outcomes are what later scoring learns from (:meth:`Ledger.outcomes`).

The ledger is an SQLite file beside the store (``<store path>.ledger.sqlite`` for ``embedded:PATH``),
so it survives restarts and travels with the case.

A warning keeps its model's summary in English (``summary``) and in Chinese (``summary_zh``, what every face
shows first).  A ledger written before ``summary_zh`` existed gains the column the first time it is opened for
writing (:data:`_COLUMNS_ADDED`); its warnings have no Chinese summary (``None``: a face shows the English one)
until the models run again and refresh them.  Opened read-only, such a ledger is read as it is.

Example
-------
>>> led = Ledger(tmp / "c.db.ledger.sqlite")                                             # doctest: +SKIP
>>> led.record(hits, by="graphkit models run")                                           # doctest: +SKIP
{'new': 5, 'seen_again': 0}
>>> led.update("W1a2b3c4d5e6f", status="dispatched", by="王科长", to="第三监督检查室")      # doctest: +SKIP
>>> led.update("W1a2b3c4d5e6f", status="verified", outcome="true_positive", by="李主任",
...            comment="核实属实，已立案")                                                  # doctest: +SKIP
>>> led.outcomes()[["id", "model", "outcome"]]                                           # doctest: +SKIP
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.model import ENTITY_TYPES
from graphkit.model.clock import now_iso

__all__ = [
    "Ledger",
    "LedgerError",
    "LoopRefused",
    "loop_refusal",
    "warning_id",
    "default_path",
    "STATUSES",
    "OUTCOMES",
    "LEVELS",
    "TRANSITIONS",
    "TYPE_LABELS",
    "evidence_links",
]

STATUSES = ("generated", "dispatched", "verified", "rectified")
OUTCOMES = ("true_positive", "false_positive")
LEVELS = ("red", "orange", "yellow")
#: which status may follow which
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "generated": ("dispatched",),
    "dispatched": ("dispatched", "verified"),
    "verified": ("rectified",),
    "rectified": (),
}
#: truth.json's entity types → the model's labels (for the evidence links among a hit's entities)
TYPE_LABELS = ENTITY_TYPES

_SCHEMA = """
CREATE TABLE IF NOT EXISTS warnings (
    id         TEXT PRIMARY KEY,
    model      TEXT NOT NULL,
    key        TEXT NOT NULL,
    level      TEXT NOT NULL,
    status     TEXT NOT NULL,
    assignee   TEXT,
    outcome    TEXT,
    summary    TEXT,
    summary_zh TEXT,
    entities   TEXT NOT NULL,
    types      TEXT NOT NULL,
    evidence   TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    seen       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (model, key)
);
CREATE TABLE IF NOT EXISTS history (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    warning_id TEXT NOT NULL REFERENCES warnings(id),
    at         TEXT NOT NULL,
    by         TEXT NOT NULL,
    previous   TEXT,
    status     TEXT NOT NULL,
    assignee   TEXT,
    outcome    TEXT,
    comment    TEXT
);
CREATE INDEX IF NOT EXISTS history_warning ON history (warning_id, seq);
CREATE TABLE IF NOT EXISTS runs (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    by      TEXT NOT NULL,
    store   TEXT,
    models  TEXT NOT NULL,
    hits    INTEGER NOT NULL,
    new     INTEGER NOT NULL,
    seconds REAL
);
"""


class LedgerError(ValueError):
    """An unknown warning, a transition the closed loop does not allow, or a missing who/whom/outcome."""


class LoopRefused(LedgerError):
    """A change the closed loop forbids, asked in full (a rectified warning dispatched again, a false positive
    rectified, a verified outcome changed): the faces record the attempt as refused in the audit log, as a viewer's
    is; a change merely incomplete (no --to, no --comment) or a warning unknown is a plain :class:`LedgerError`."""


def loop_refusal(wid: str, now: str, status: str) -> str:
    """Why the closed loop refuses warning ``wid``, now ``now``, becoming ``status`` (a :class:`LoopRefused`'s text,
    as the audit log keeps it and :func:`graphkit.rules.words.refusal_zh` says it in Chinese).

    Example
    -------
    >>> loop_refusal("W1", "rectified", "dispatched")
    'warning W1 is rectified: it cannot become dispatched (next: nothing, the loop is closed)'
    """
    allowed = TRANSITIONS[now]
    nxt = ", ".join(allowed) or "nothing, the loop is closed"
    return f"warning {wid} is {now}: it cannot become {status} (next: {nxt})"


def warning_id(model: str, key: str) -> str:
    """The stable id of a model's hit: ``W`` + 12 hex digits of SHA-1(model, key).

    Example
    -------
    >>> warning_id("single_bid_tender", "SZZB2023000412")
    'Wb7dd2f17fbff'
    """
    return "W" + hashlib.sha1(f"{model}\x1f{key}".encode()).hexdigest()[:12]


def default_path(store_spec: str) -> Path:
    """``<store path>.ledger.sqlite`` for an embedded store; a Neo4j store needs an explicit path."""
    from graphkit.stores import StoreSpec

    spec = StoreSpec.parse(store_spec)
    if spec.kind == "embedded":
        return spec.beside(".ledger.sqlite")
    raise LedgerError(
        f"store {store_spec!r} is not embedded: give the ledger's path (--ledger PATH, or GRAPHKIT_LEDGER=PATH once)"
    )


def _locked(fn: Callable) -> Callable:
    """Run a method holding the ledger's lock: one connection, shared by every thread, used by one at a time."""

    @functools.wraps(fn)
    def run(self, *args, **kwargs):
        with self._lock:
            return fn(self, *args, **kwargs)

    return run


def _now() -> str:
    return now_iso()  # the office's zone (GRAPHKIT_TZ), with its offset


def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


#: the tables of a ledger (an SQLite file without ``warnings`` is not one)
_TABLES = ("warnings", "history", "runs")
#: columns of ``warnings`` added after ledgers were first written (name → SQL type): an older ledger gains them,
#: empty, when it is opened for writing
_COLUMNS_ADDED = {"summary_zh": "TEXT"}


class Ledger:
    """Warnings and their history in an SQLite file (created on first use, unless ``read_only``).

    Parameters
    ----------
    path : str or Path
        The SQLite file.
    clock : callable, optional
        Returns the timestamp written for a change (ISO 8601 with the local offset by default).
    read_only : bool
        Open an existing ledger to read it (SQLite ``mode=ro``): nothing is created or written, and a missing
        file or one that is not a ledger is a :class:`LedgerError`.

    A ledger may be used from any thread (a notebook's widget handlers run on another thread than the cell
    that opened it, JupyterLab 4.6's subshells): its one connection is opened with ``check_same_thread=False``
    and every use holds the ledger's lock, so a transaction is never interleaved with another thread's.

    Raises
    ------
    LedgerError
        ``read_only`` and no file at ``path``; a file that is not an SQLite database; an SQLite database
        with tables of its own but no ledger in it (it is not written into).

    Example
    -------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> try:
    ...     Ledger(folder / "typo.sqlite", read_only=True)
    ... except LedgerError as exc:
    ...     print(str(exc).replace(str(folder), "…"))
    no ledger at …/typo.sqlite
    >>> _ = (folder / "load.json").write_text("{}")
    >>> try:
    ...     Ledger(folder / "load.json", read_only=True)
    ... except LedgerError as exc:
    ...     print(str(exc).replace(str(folder), "…"))
    …/load.json is not a warning ledger (not an SQLite database: file is not a database)
    >>> sorted(p.name for p in folder.iterdir())  # nothing was created
    ['load.json']
    """

    def __init__(self, path: str | Path, *, clock: Callable[[], str] | None = None, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._clock = clock or _now
        self._db = None
        self._lock = threading.RLock()
        if read_only:
            if not self.path.is_file():
                raise LedgerError(f"no ledger at {self.path}")
            uri = self.path.resolve().as_uri() + "?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit mode: every change is one explicit BEGIN IMMEDIATE … COMMIT (see _tx)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        try:
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "warnings" not in tables and (read_only or tables - {"sqlite_sequence"}):
                what = f"its tables are {', '.join(sorted(tables))}" if tables else "it is empty"
                raise LedgerError(f"{self.path} is not a warning ledger ({what})")
            if not read_only and not set(_TABLES) <= tables:
                self._db.executescript(_SCHEMA)
            if not read_only:
                self._add_columns()
            if not read_only:
                self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:  # "file is not a database" and kin: a JSON file, a Parquet file
            self.close()
            raise LedgerError(f"{self.path} is not a warning ledger (not an SQLite database: {exc})") from exc
        except LedgerError:
            self.close()
            raise

    # ------------------------------------------------------------ plumbing
    @_locked
    def close(self) -> None:
        """Close the SQLite connection (the ledger can be used as a context manager instead)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _columns(self) -> set[str]:
        return {r[1] for r in self._db.execute("PRAGMA table_info(warnings)")}

    def _add_columns(self) -> None:
        """Give a ledger of an older graphkit the columns added since (:data:`_COLUMNS_ADDED`), in one write
        transaction that looks again once it holds the lock: two processes opening the same old ledger at once
        add each column once."""
        if set(_COLUMNS_ADDED) <= self._columns():
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            have = self._columns()
            for name, kind in _COLUMNS_ADDED.items():
                if name not in have:
                    self._db.execute(f"ALTER TABLE warnings ADD COLUMN {name} {kind}")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with ``BEGIN IMMEDIATE``: the write lock is held from the first
        read, so a status read and the change made from it are one step (two processes changing the same
        warning take turns, and the second sees the first's change)."""
        if self.read_only:
            raise LedgerError(f"the ledger {self.path} was opened read-only")
        with self._lock:  # and no other thread uses the connection until COMMIT or ROLLBACK
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @_locked
    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM warnings").fetchone()[0])

    # ------------------------------------------------------------ writing
    @_locked
    def record(
        self,
        hits: pd.DataFrame,
        *,
        by: str,
        links: Mapping[int, list[dict]] | None = None,
        store: str | None = None,
        seconds: float | None = None,
    ) -> dict[str, int]:
        """Write a run's hits (columns ``model``, ``key``, ``level``, ``entities``, ``types``, ``summary``,
        ``summary_zh``, ``sources``, as :func:`graphkit.rules.run_all` returns them; hits without
        ``summary_zh`` are written without a Chinese summary).

        A hit whose warning exists refreshes its level, summaries, entities and evidence and its
        ``last_seen``; its status and history stay.  ``links`` maps a hit's row position to the links
        among its entities (:func:`evidence_links`).  Returns ``{"new": n, "seen_again": m}``."""
        by = _text(by)
        if not by:
            raise LedgerError("record() needs who ran the models (by=...)")
        need = {"model", "key", "level", "entities", "types", "summary", "sources"}
        missing = need - set(hits.columns)
        if missing:
            raise LedgerError(f"hits lack column(s) {', '.join(sorted(missing))}")
        bad = sorted(set(hits["level"]) - set(LEVELS))
        if bad:
            raise LedgerError(f"levels must be one of {LEVELS}, got {bad}")
        at = self._clock()
        new = again = 0
        with self._tx() as db:
            for pos, row in enumerate(hits.itertuples(index=False)):
                wid = warning_id(row.model, str(row.key))
                entities, types = [str(x) for x in row.entities], [str(x) for x in row.types]
                evidence = {
                    "nodes": [{"id": e, "type": t} for e, t in zip(entities, types, strict=True)],
                    "links": list((links or {}).get(pos, [])),
                    "sources": [str(s) for s in row.sources],
                }
                cur = db.execute("SELECT id FROM warnings WHERE id = ?", (wid,)).fetchone()
                values = (
                    row.level,
                    row.summary,
                    _text(getattr(row, "summary_zh", None)),
                    json.dumps(entities, ensure_ascii=False),
                    json.dumps(types, ensure_ascii=False),
                    json.dumps(evidence, ensure_ascii=False),
                )
                if cur is None:
                    db.execute(
                        "INSERT INTO warnings (id, model, key, level, summary, summary_zh, entities, types, "
                        "evidence, status, first_seen, last_seen) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'generated', ?, ?)",
                        (wid, row.model, str(row.key), *values, at, at),
                    )
                    db.execute(
                        "INSERT INTO history (warning_id, at, by, previous, status, comment) "
                        "VALUES (?, ?, ?, NULL, 'generated', ?)",
                        (wid, at, by, f"raised by model {row.model}"),
                    )
                    new += 1
                else:
                    db.execute(
                        "UPDATE warnings SET level = ?, summary = ?, summary_zh = ?, entities = ?, types = ?, "
                        "evidence = ?, last_seen = ?, seen = seen + 1 WHERE id = ?",
                        (*values, at, wid),
                    )
                    again += 1
            db.execute(
                "INSERT INTO runs (at, by, store, models, hits, new, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (at, by, store, json.dumps(sorted(set(hits["model"]))), len(hits), new, seconds),
            )
        return {"new": new, "seen_again": again}

    @_locked
    def update(
        self,
        wid: str,
        *,
        status: str,
        by: str,
        comment: str | None = None,
        to: str | None = None,
        outcome: str | None = None,
    ) -> dict[str, Any]:
        """Move a warning along the closed loop; the change is kept with who and when.

        ``dispatched`` needs ``to`` (whom); ``verified`` needs ``outcome`` (true_positive /
        false_positive) and a ``comment``; ``rectified`` is for verified true positives."""
        by, comment, to = _text(by), _text(comment), _text(to)
        if status not in STATUSES:
            raise LedgerError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        if not by:
            raise LedgerError("every change needs who made it (--by)")
        with self._tx() as db:
            cur = db.execute("SELECT status, assignee, outcome FROM warnings WHERE id = ?", (wid,)).fetchone()
            if cur is None:
                raise LedgerError(f"no warning {wid!r} in {self.path}")
            if status not in TRANSITIONS[cur["status"]]:
                raise LoopRefused(loop_refusal(wid, cur["status"], status))
            assignee, result = cur["assignee"], cur["outcome"]
            if status == "dispatched":
                if not to:
                    raise LedgerError("dispatching needs whom it goes to (--to)")
                if outcome:
                    raise LedgerError("an outcome is given when a warning is verified, not dispatched")
                assignee = to
            elif status == "verified":
                if outcome not in OUTCOMES:
                    raise LedgerError(f"verifying needs the outcome, one of {', '.join(OUTCOMES)} (--outcome)")
                if not comment:
                    raise LedgerError("verifying needs a comment saying what was found (--comment)")
                result = outcome
            elif status == "rectified":
                if result != "true_positive":
                    raise LoopRefused(f"warning {wid} was verified a {result}: only true positives are rectified")
                if outcome and outcome != result:
                    raise LoopRefused("rectifying does not change the verified outcome")
            if to and status != "dispatched":
                raise LedgerError("--to is for dispatching")
            at = self._clock()
            # compare and set: the change holds only if the status is still the one it was made from
            cur_set = db.execute(
                "UPDATE warnings SET status = ?, assignee = ?, outcome = ? WHERE id = ? AND status = ?",
                (status, assignee, result, wid, cur["status"]),
            )
            if cur_set.rowcount != 1:
                raise LedgerError(f"warning {wid} changed meanwhile (it is no longer {cur['status']}): look again")
            db.execute(
                "INSERT INTO history (warning_id, at, by, previous, status, assignee, outcome, comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    wid,
                    at,
                    by,
                    cur["status"],
                    status,
                    to if status == "dispatched" else None,
                    outcome if status == "verified" else None,
                    comment,
                ),
            )
        return self.get(wid)

    # ------------------------------------------------------------ reading
    @_locked
    def history(self, wid: str) -> list[dict[str, Any]]:
        """A warning's status changes, oldest first: when, by whom, from and to which status, to whom,
        outcome, comment."""
        rows = self._db.execute(
            "SELECT at, by, previous, status, assignee, outcome, comment FROM history "
            "WHERE warning_id = ? ORDER BY seq",
            (wid,),
        ).fetchall()
        return [
            {
                "at": r["at"],
                "by": r["by"],
                "from": r["previous"],
                "to": r["status"],
                "assignee": r["assignee"],
                "outcome": r["outcome"],
                "comment": r["comment"],
            }
            for r in rows
        ]

    def _warning(self, r: sqlite3.Row, history: bool) -> dict[str, Any]:
        out = {
            "id": r["id"],
            "model": r["model"],
            "key": r["key"],
            "level": r["level"],
            "status": r["status"],
            "assignee": r["assignee"],
            "outcome": r["outcome"],
            "summary": r["summary"],
            # None: a warning of a ledger written before Chinese summaries (a face shows the English one)
            "summary_zh": r["summary_zh"] if "summary_zh" in r.keys() else None,
            "entities": json.loads(r["entities"]),
            "types": json.loads(r["types"]),
            "evidence": json.loads(r["evidence"]),
            "first_seen": r["first_seen"],
            "last_seen": r["last_seen"],
            "seen": r["seen"],
        }
        if history:
            out["history"] = self.history(r["id"])
        return out

    @_locked
    def get(self, wid: str) -> dict[str, Any]:
        """One warning with its evidence and history."""
        r = self._db.execute("SELECT * FROM warnings WHERE id = ?", (wid,)).fetchone()
        if r is None:
            raise LedgerError(f"no warning {wid!r} in {self.path}")
        return self._warning(r, True)

    @_locked
    def warnings(
        self,
        *,
        status: Iterable[str] | str | None = None,
        level: Iterable[str] | str | None = None,
        model: Iterable[str] | str | None = None,
        history: bool = True,
    ) -> list[dict[str, Any]]:
        """Warnings, red first, then by model and key; filters take one value or several."""
        where, args = [], []
        for col, val, known in (("status", status, STATUSES), ("level", level, LEVELS), ("model", model, None)):
            vals = [val] if isinstance(val, str) else list(val or [])
            if not vals:
                continue
            if known:
                bad = [v for v in vals if v not in known]
                if bad:
                    raise LedgerError(f"{col} must be among {', '.join(known)}, got {', '.join(bad)}")
            where.append(f"{col} IN ({', '.join('?' * len(vals))})")
            args += vals
        sql = (
            "SELECT * FROM warnings"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY CASE level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END, model, key"
        )
        return [self._warning(r, history) for r in self._db.execute(sql, args).fetchall()]

    @_locked
    def outcomes(self) -> pd.DataFrame:
        """Every verified warning with its outcome, who verified it, when and why (for later scoring)."""
        rows = self._db.execute(
            "SELECT w.id, w.model, w.key, w.level, w.status, w.outcome, w.entities, w.types, "
            "h.by AS verified_by, h.at AS verified_at, h.comment "
            "FROM warnings w JOIN history h ON h.warning_id = w.id AND h.status = 'verified' "
            "WHERE w.outcome IS NOT NULL AND h.seq = (SELECT max(seq) FROM history x "
            "WHERE x.warning_id = w.id AND x.status = 'verified') ORDER BY h.seq"
        ).fetchall()
        cols = [
            "id",
            "model",
            "key",
            "level",
            "status",
            "outcome",
            "entities",
            "types",
            "verified_by",
            "verified_at",
            "comment",
        ]
        df = pd.DataFrame([dict(r) for r in rows], columns=cols)
        for c in ("entities", "types"):
            df[c] = df[c].map(json.loads)
        return df

    @_locked
    def runs(self) -> pd.DataFrame:
        """One row per recorded run: when, who, which store and models, hits, new warnings, seconds."""
        rows = self._db.execute("SELECT * FROM runs ORDER BY id").fetchall()
        return pd.DataFrame(
            [dict(r) for r in rows], columns=["id", "at", "by", "store", "models", "hits", "new", "seconds"]
        )


def evidence_links(
    store: Any, hits: pd.DataFrame, *, progress: Callable[[str], None] | None = None
) -> dict[int, list[dict]]:
    """For each hit (by row position), the stored links among its entities, with their source rows.

    One read for all hits (:func:`graphkit.paths.links_among` over every entity of every hit: a query per
    label); each hit keeps the links whose two ends are both its own entities, found from its own entities'
    links (matching every link against every hit had been hits × links: bench/workflow.py's models run at a
    million persons was killed after 6 minutes in it)."""
    from graphkit.paths import links_among

    pairs = []
    per_hit: list[set[str]] = []
    for entities, types in zip(hits["entities"], hits["types"], strict=True):
        mine = set()
        for e, t in zip(entities, types, strict=True):
            if t in TYPE_LABELS:
                pairs.append((TYPE_LABELS[t], str(e)))
                mine.add(str(e))
        per_hit.append(mine)
    links = links_among(store, pairs, progress=progress, properties=FIGURES) if pairs else []
    leaving: dict[str, list] = {}  # each entity's links out, in id order: a hit looks at its own entities' only
    for lk in links:
        leaving.setdefault(lk.start, []).append(lk)
    out: dict[int, list[dict]] = {}
    for pos, mine in enumerate(per_hit):
        own = sorted((lk for e in mine for lk in leaving.get(e, ()) if lk.end in mine), key=lambda lk: lk.id)
        out[pos] = [_evidence_link(lk) for lk in own]
    return out


#: a link's own figures a warning's evidence keeps (``figures``), which every face writes beside the link's type
#: (:func:`graphkit.viz.edge_detail`: ``股东 50.85%``, ``中标 98.0 万元``, ``亲属·配偶``): ``warnings show`` had listed
#: the shareholding and the bid with neither the share nor the price the model used; a post with its dates
#: (:func:`graphkit.viz.tenure`: the ex-official model's post had been listed with no end date)
FIGURES = (
    "percent",
    "price",
    "amount",
    "currency",
    "relationship",
    "relationship_text",
    "post",
    "start_date",
    "end_date",
)


def _evidence_link(lk: Any) -> dict:
    """One evidence link as the ledger keeps it: id, type, ends, source, and its :data:`FIGURES` where it has any."""
    out = {"id": lk.id, "type": lk.type, "start": lk.start, "end": lk.end, "source": lk.source}
    props = getattr(lk, "properties", None) or {}
    figures = {k: _plain(props[k]) for k in FIGURES if props.get(k) is not None}
    if figures:
        out["figures"] = figures
    return out


def _plain(value: Any) -> Any:
    """A number, a text or a date as JSON keeps it (a NumPy scalar as Python's, a date as ISO text: Ladybug gives a
    ``datetime.date``, Neo4j a ``neo4j.time.Date``)."""
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value
