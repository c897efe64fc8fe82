"""Loaders: source tables (CSV, XLSX, Parquet, FollowTheMoney) into a graph store.

Each kind of table a department exports has a contract in ``loaders/sources/*.yaml``
(:mod:`loaders.contracts`); :mod:`loaders.engine` validates, resolves and quarantines rows and writes the
rest in bulk; :mod:`loaders.ftm` imports FollowTheMoney entities; :mod:`loaders.bids` reads labelled bid
tables for the tender-collusion scorer.
"""
