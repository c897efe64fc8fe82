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

from dataclasses import dataclass
from pathlib import Path

from graphkit.stores.base import GraphStore, StoreError, StoreUnavailable

__all__ = ["GraphStore", "StoreError", "StoreUnavailable", "StoreSpec", "open_store"]

_NEO4J_SCHEMES = ("neo4j", "bolt", "neo4j+s", "bolt+s", "neo4j+ssc", "bolt+ssc")


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value.

    Parameters
    ----------
    kind : {"embedded", "neo4j"}
        Which store.
    target : str
        The embedded store's path, or the Neo4j URI.
    """

    kind: str
    target: str

    @classmethod
    def parse(cls, spec: str) -> StoreSpec:
        """Parse ``embedded:PATH`` or ``neo4j://HOST:PORT`` (``bolt://``, ``+s``, ``+ssc`` variants).

        Raises
        ------
        ValueError
            For anything else, saying what is accepted; for a Neo4j URI with a user or password in it
            (``neo4j://neo4j:secret@host``), without repeating the password.
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
            return cls("neo4j", text)
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

    def __str__(self) -> str:
        return f"embedded:{self.target}" if self.kind == "embedded" else self.target


def open_store(spec: str | StoreSpec, **kw) -> GraphStore:
    """Open a store from a ``--store`` spec: ``embedded:PATH`` or ``neo4j://HOST:PORT`` / ``bolt://…``.

    Neo4j credentials come from ``NEO4J_USER`` / ``NEO4J_PASSWORD`` and the
    database from ``NEO4J_DATABASE`` (default ``neo4j``). ``read_only=True`` opens the embedded store
    read-only and runs every Neo4j statement in a READ transaction, which the server refuses to write in.
    A Neo4j store is connected to once when it is opened (within ``NEO4J_CONNECTION_TIMEOUT`` seconds, 5 by
    default), so that a server that is down is one :class:`StoreUnavailable` here and not the driver's retries
    at the first query.

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

    store = Neo4jStore.from_env(s.target, **kw)
    if kw.get("driver") is None:  # a driver handed in (a test's fake) is the caller's to check
        try:
            store.verify()
        except StoreError:
            store.close()
            raise
    return store
