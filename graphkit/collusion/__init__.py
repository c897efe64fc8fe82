"""Tender collusion (围标串标): bid screens, behavioural features, a scorer, bidder communities.

Modules, one topic each:

* ``bids``      — read bid tables (the shared data's column format), quarantine malformed rows;
* ``screens``   — per-tender statistical screens from bid values (Imhof; Huber & Imhof) and subgroup screens;
* ``features``  — behavioural features (winner rotation, cover bids, identical prices, PTE ratio);
* ``scorer``    — :class:`~graphkit.collusion.scorer.CollusionScorer`, a scikit-learn estimator with reasons;
* ``cli``       — the ``graphkit collusion`` command group;
* ``bidder_graph``, ``communities``, ``kg`` — the bidder graph from the knowledge graph and its communities.

Submodules are imported on use so that ``import graphkit.collusion`` stays cheap.
"""

from __future__ import annotations
