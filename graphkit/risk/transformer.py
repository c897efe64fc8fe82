"""The scikit-learn transformer of :mod:`graphkit.risk.features` (kept apart so that importing the features
does not import scikit-learn; ``from graphkit.risk.features import GraphFeatures`` still works)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from graphkit.risk.features import _BUILDERS, FEATURES, KINDS
from graphkit.risk.tables import QUERIES, UNIT_QUERIES, read_tables
from graphkit.stores.base import GraphStore

__all__ = ["GraphFeatures"]


class GraphFeatures(TransformerMixin, BaseEstimator):
    """Turn a store into one row per unit, person or company with named features.

    Parameters
    ----------
    kind : {"unit", "person", "company"}
        Which entities make the rows.
    warnings : list of dict, optional
        Ledger warnings (:meth:`graphkit.rules.ledger.Ledger.warnings`); without them the warning features are 0.
    collusion : object, optional
        Collusion scores of the same store (:class:`graphkit.collusion.kg.KGScores`, or anything with
        ``tenders`` and ``bidders`` frames holding a ``risk`` column) for the ``collusion_exposure`` feature;
        without them it is 0.  The command line computes them with ``graphkit rank --collusion``.
    progress : callable, optional
        Called with the name of each part of the features as it starts (persons: ``PERSON_STEPS`` of
        :mod:`graphkit.risk.features`); the command line shows it on its bar.

    Attributes
    ----------
    feature_names_out_ : list of str
        The feature columns (``name``, ``peer`` and the context columns come first in the output).

    Examples
    --------
    >>> X = GraphFeatures(kind="unit").fit_transform(store)  # doctest: +SKIP
    >>> X[["peer", "linked_spend_share", "price_premium"]].head()  # doctest: +SKIP
    """

    def __init__(self, kind: str = "unit", *, warnings: list[dict] | None = None, collusion=None, progress=None):
        self.kind = kind
        self.warnings = warnings
        self.collusion = collusion
        self.progress = progress

    def fit(self, X=None, y=None):
        """Check the parameters; nothing is learnt.

        Parameters
        ----------
        X : GraphStore or dict of DataFrame, ignored
        y : ignored

        Returns
        -------
        self
        """
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        self.feature_names_out_ = [f.name for f in FEATURES[self.kind]]
        return self

    def transform(self, X) -> pd.DataFrame:
        """Features of every entity of ``kind``.

        Parameters
        ----------
        X : GraphStore or dict of DataFrame
            A store, or the tables :func:`graphkit.risk.tables.read_tables` read from one.

        Returns
        -------
        DataFrame
            Indexed by natural key; ``name``, ``peer``, context columns, then the features.
        """
        if not hasattr(self, "feature_names_out_"):
            self.fit()
        tables = X
        if isinstance(X, GraphStore):
            tables = read_tables(X, UNIT_QUERIES if self.kind == "unit" else QUERIES)
        kg = self.collusion
        if kg is None:
            coll = None
        elif self.kind == "unit":
            coll = kg.tenders["risk"]
        else:
            coll = kg.bidders["risk"]
        return _BUILDERS[self.kind](tables, warnings=self.warnings, collusion=coll, progress=self.progress)

    def get_feature_names_out(self, input_features=None):
        """The feature columns, in order."""
        return np.asarray([f.name for f in FEATURES[self.kind]], dtype=object)
