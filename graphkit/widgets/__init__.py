"""Jupyter panels on a store, one module per panel, sharing a selection and an audit identity.

* :class:`Explorer` (``explorer``) — find, neighbourhood grown in place, path explained, export;
* :class:`Warnings` (``warnings``) — the ledger as a table, a warning's evidence drawn, its status changed;
* :class:`Collusion` (``collusion``) — bidder communities by risk, one drawn, its tenders with screens;
* :class:`Risk` (``risk``) — units, persons, companies ranked against peers with factor bars; pre-portraits;
* :class:`Workbench` (``workbench``) — the panels as tabs with one selection and one identity (who, why).

The graph in every panel is :class:`~graphkit.widgets.graph.GraphView` (vis-network, inline, clickable).
No panel computes anything itself: each calls :mod:`graphkit.search`, :mod:`graphkit.paths`,
:mod:`graphkit.rules.ledger`, :mod:`graphkit.evidence` and :mod:`graphkit.collusion`.

>>> from graphkit.widgets import Workbench      # doctest: +SKIP
>>> Workbench(store)                            # doctest: +SKIP
"""

from graphkit.widgets.base import Identity, Panel, Selection
from graphkit.widgets.collusion import Collusion
from graphkit.widgets.explorer import Explorer
from graphkit.widgets.graph import GraphView
from graphkit.widgets.risk import Risk
from graphkit.widgets.warnings import Warnings
from graphkit.widgets.workbench import Workbench

__all__ = ["Explorer", "Warnings", "Collusion", "Risk", "Workbench", "GraphView", "Selection", "Identity", "Panel"]
