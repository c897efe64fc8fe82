"""Graph stores behind one seam: :class:`EmbeddedStore` (default) and :class:`Neo4jStore`."""

from __future__ import annotations

from graphkit.stores.base import GraphStore, StoreError

__all__ = ["GraphStore", "StoreError", "open_store"]


def open_store(spec: str, **kw) -> GraphStore:
    """Open a store from a ``--store`` spec: ``embedded:PATH`` or ``neo4j://HOST:PORT`` / ``bolt://…``.

    Neo4j credentials come from ``NEO4J_USER`` / ``NEO4J_PASSWORD`` and the
    database from ``NEO4J_DATABASE`` (default ``neo4j``)."""
    if spec.startswith("embedded:"):
        from graphkit.stores.embedded import EmbeddedStore

        return EmbeddedStore(spec[len("embedded:") :], **kw)
    if spec.split("://", 1)[0] in ("neo4j", "bolt", "neo4j+s", "bolt+s", "neo4j+ssc", "bolt+ssc"):
        from graphkit.stores.neo4j import Neo4jStore

        return Neo4jStore.from_env(spec, **kw)
    raise ValueError(f"store spec {spec!r}: use embedded:PATH or neo4j://HOST:PORT")
