"""Graph stores behind one seam: :class:`EmbeddedStore` (default) and :class:`Neo4jStore`.

A store is named by a *store spec*, parsed in one place (:class:`StoreSpec`): ``embedded:PATH`` for the
in-process Ladybug store, ``neo4j://HOST:PORT`` (or ``bolt://…``, ``neo4j+s://…``) for a Neo4j server.
Files kept beside an embedded store (the warning ledger, the quarantine, the audit log) are named from
the spec with :meth:`StoreSpec.beside`.

Example
-------
>>> spec = StoreSpec.parse("embedded:city.db")
>>> spec.kind, str(spec.beside(".ledger.sqlite"))
('embedded', 'city.db.ledger.sqlite')
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from graphkit.stores.base import GraphStore, StoreError, StoreUnavailable

__all__ = ["GraphStore", "StoreError", "StoreUnavailable", "StoreSpec", "open_store"]

_NEO4J_SCHEMES = ("neo4j", "bolt", "neo4j+s", "bolt+s", "neo4j+ssc", "bolt+ssc")
#: a Neo4j database name (Neo4j 5: an ASCII letter, then letters, digits, dots and dashes; 3-63 characters)
_DATABASE = re.compile(r"^[A-Za-z][A-Za-z0-9.-]{2,62}$")


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value.

    Parameters
    ----------
    kind : {"embedded", "neo4j"}
        Which store.
    target : str
        The embedded store's path, or the Neo4j URI (without a database's path).
    database : str or None
        The Neo4j database the URI names by its path (``neo4j://host:7687/cases``); ``None`` leaves it to
        ``NEO4J_DATABASE`` (``neo4j`` by default).
    """

    kind: str
    target: str
    database: str | None = None

    @classmethod
    def parse(cls, spec: str) -> StoreSpec:
        """Parse ``embedded:PATH`` or ``neo4j://HOST:PORT[/DATABASE]`` (``bolt://``, ``+s``, ``+ssc`` variants).

        A Neo4j URI's path names the database (``neo4j://host:7687/cases``), as ``NEO4J_DATABASE`` does; a
        routing context after ``?`` is kept for the driver.

        Raises
        ------
        ValueError
            For anything else, saying what is accepted; for a Neo4j URI with a user or password in it
            (``neo4j://neo4j:secret@host``), without repeating the password; for a path that is no database
            name (``/a/b``, ``/x y``).
        """
        text = str(spec).strip()
        if text.startswith("embedded:") and len(text) > len("embedded:"):
            return cls("embedded", text[len("embedded:") :])
        if text.split("://", 1)[0] in _NEO4J_SCHEMES and "://" in text:
            scheme, rest = text.split("://", 1)
            userinfo, at, host = rest.split("/", 1)[0].rpartition("@")
            user, colon, _ = userinfo.partition(":")
            if at:  # neo4j://user:password@host: said without the password, which every message would repeat
                raise ValueError(
                    f"store spec {scheme}://{user}{':…' if colon else ''}@{host}: a user or password in the URI is "
                    f"not accepted (it would be printed and logged); use {scheme}://{host} and set NEO4J_USER and "
                    "NEO4J_PASSWORD in the environment"
                )
            hostport, slash, tail = rest.partition("/")
            path, question, query = tail.partition("?")
            if not slash or not path:  # neo4j://host:7687, neo4j://host:7687/, neo4j://host:7687/?policy=eu
                return cls("neo4j", f"{scheme}://{hostport}{question}{query}")
            if not _DATABASE.match(path):
                raise ValueError(
                    f"store spec {spec!r}: the path after {scheme}://{hostport}/ names the database, and {path!r} is "
                    "no Neo4j database name (a letter, then letters, digits, dots or dashes; 3 to 63 characters)"
                )
            return cls("neo4j", f"{scheme}://{hostport}{question}{query}", path)
        raise ValueError(f"store spec {spec!r}: use embedded:PATH or neo4j://HOST:PORT")

    @property
    def path(self) -> Path | None:
        """The embedded store's path; ``None`` for Neo4j."""
        return Path(self.target) if self.kind == "embedded" else None

    def beside(self, suffix: str, default: str | Path | None = None) -> Path:
        """A file kept beside the store: ``PATH + suffix`` for an embedded store.

        Parameters
        ----------
        suffix : str
            Such as ``".ledger.sqlite"`` or ``".quarantine.csv"``.
        default : str or Path, optional
            The file to use for a Neo4j store, which has no folder of its own.

        Raises
        ------
        ValueError
            For a Neo4j store when no default is given.
        """
        if self.kind == "embedded":
            return Path(self.target + suffix)
        if default is None:
            raise ValueError(f"store {self.target!r} is not embedded: give the path of its {suffix.strip('.')} file")
        return Path(default)

    def neo4j_database(self) -> str:
        """The database a Neo4j store opens: the URI's path, else ``NEO4J_DATABASE``, else ``neo4j``.

        Raises
        ------
        ValueError
            When the URI's path and ``NEO4J_DATABASE`` name two different databases (which one was meant?).
        """
        env = os.environ.get("NEO4J_DATABASE") or None
        if self.database and env and env != self.database:
            raise ValueError(
                f"the URI names database {self.database!r} but NEO4J_DATABASE names {env!r}: name one "
                "(or the same in both)"
            )
        return self.database or env or "neo4j"

    def __str__(self) -> str:
        if self.kind == "embedded":
            return f"embedded:{self.target}"
        if not self.database:
            return self.target
        uri, question, query = self.target.partition("?")
        return f"{uri}/{self.database}{question}{query}"


def open_store(spec: str | StoreSpec, **kw) -> GraphStore:
    """Open a store from a ``--store`` spec: ``embedded:PATH`` or ``neo4j://HOST:PORT`` / ``bolt://…``.

    Neo4j credentials come from ``NEO4J_USER`` / ``NEO4J_PASSWORD`` and the
    database from the URI's path or ``NEO4J_DATABASE`` (default ``neo4j``; the two naming different ones is
    refused). ``read_only=True`` opens the embedded store
    read-only and runs every Neo4j statement in a READ transaction, which the server refuses to write in.
    A Neo4j store is connected to once when it is opened (within ``NEO4J_CONNECTION_TIMEOUT`` seconds, 5 by
    default), so that a server that is down is one :class:`StoreUnavailable` here and not the driver's retries
    at the first query; every statement after that is bounded by ``NEO4J_QUERY_TIMEOUT`` (300 s by default: the
    server ends the transaction, and the store stops waiting 10 s after that for a server that hangs).

    Parameters
    ----------
    spec : str or StoreSpec
        Which store.
    **kw
        Passed to the store's constructor.

    Returns
    -------
    GraphStore
        The open store.
    """
    s = spec if isinstance(spec, StoreSpec) else StoreSpec.parse(spec)
    if s.kind == "embedded":
        from graphkit.stores.embedded import EmbeddedStore

        return EmbeddedStore(s.target, **kw)
    from graphkit.stores.neo4j import Neo4jStore

    store = Neo4jStore.from_env(str(s), **kw)
    if kw.get("driver") is None:  # a driver handed in (a test's fake) is the caller's to check
        try:
            store.verify()
        except StoreError:
            store.close()
            raise
    return store
