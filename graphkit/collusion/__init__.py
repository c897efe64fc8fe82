"""Tender collusion (围标串标): bid screens, behavioural features, a scorer, bidder communities.

Modules, one topic each:

* ``bids``      — read bid tables (the shared data's column format), quarantine malformed rows;
* ``screens``   — per-tender statistical screens from bid values (Imhof; Huber & Imhof) and subgroup screens;
* ``features``  — behavioural features (winner rotation, cover bids, identical prices, PTE ratio);
* ``scorer``    — :class:`~graphkit.collusion.scorer.CollusionScorer`, a scikit-learn estimator with reasons;
* ``unsupervised`` — :class:`~graphkit.collusion.unsupervised.LabelFreeScorer`: the screens oriented by the
  literature and ranked within the market, no label (a market with no labelled past);
* ``adapt``     — the unseen-market default and :class:`~graphkit.collusion.adapt.AdaptedScorer` (a few labels);
* ``cli``       — the ``graphkit collusion`` command group;
* ``bidder_graph``, ``communities``, ``kg`` — the bidder graph from the knowledge graph and its communities.

Submodules are imported on use so that ``import graphkit.collusion`` stays cheap.
"""

from __future__ import annotations
