"""The data-collision model library (数据碰撞模型) and the warning ledger.

One Cypher file per model in ``queries/models/`` with a YAML header (:mod:`graphkit.rules.catalog`);
:func:`run_all` runs them on a store and returns hits; :class:`~graphkit.rules.ledger.Ledger` keeps the
warnings and their closed loop (generated → dispatched → verified → rectified).

Example
-------
>>> from graphkit.rules import catalog
>>> len(catalog()) >= 23
True
"""

from graphkit.rules.catalog import (
    HIT_COLUMNS,
    LEVELS,
    MODEL_DIR,
    SPECIAL_DEFAULTS,
    ModelError,
    ModelSpec,
    body_params,
    catalog,
    get,
    parse_header,
    run,
    run_all,
)

__all__ = [
    "HIT_COLUMNS",
    "LEVELS",
    "MODEL_DIR",
    "SPECIAL_DEFAULTS",
    "ModelError",
    "ModelSpec",
    "body_params",
    "catalog",
    "get",
    "parse_header",
    "run",
    "run_all",
]
