"""Anomaly scoring and pre-portraits (预画像): what no collision model describes.

- :mod:`graphkit.risk.tables` — the flat tables read from ``queries/risk/*.cypher``;
- :mod:`graphkit.risk.features` — :class:`GraphFeatures`, one row per unit, person or company;
- :mod:`graphkit.risk.scorer` — :class:`AnomalyScorer`, 0-100 risk with factors in Chinese and English;
- :mod:`graphkit.risk.portrait` — the data of a unit's or a person's pre-portrait (rendering is a face's job).
"""

from graphkit.risk.features import FEATURES
from graphkit.risk.tables import read_tables

__all__ = ["FEATURES", "AnomalyScorer", "GraphFeatures", "read_tables"]


def __getattr__(name: str):
    # the two estimators import scikit-learn (a second or more): only when asked for
    if name == "GraphFeatures":
        from graphkit.risk.transformer import GraphFeatures

        return GraphFeatures
    if name == "AnomalyScorer":
        from graphkit.risk.scorer import AnomalyScorer

        return AnomalyScorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
