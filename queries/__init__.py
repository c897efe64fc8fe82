"""The Cypher files of graphkit, installed as the package data of ``graphkit.queries``.

The folder stays at the top of the repository (``queries/``); ``pyproject.toml`` maps it into the wheel as
``graphkit.queries`` so an installed graphkit finds its models and path queries
(:data:`graphkit.stores.base.QUERY_DIR`).
"""
