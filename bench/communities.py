"""Community detection: python-igraph against networkx on one random graph, or on a store's bidder graph.

    python bench/communities.py --nodes 100000 --edges 1000000
    python bench/communities.py --store embedded:city.db      # the bidder graph of a loaded city

A planted-partition graph (communities of 50 nodes, 80% of edges inside), or with ``--store`` the
weighted bidder graph of :mod:`graphkit.collusion.bidder_graph`; prints wall time and modularity for
igraph multilevel (Louvain), igraph Leiden (modularity objective, 2 iterations) and networkx Louvain.
Peak memory per method, on the scale-1,000,000 city: ``python bench/collusion_graph.py``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    import igraph as ig
    import networkx as nx

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--store", default=None, help="embedded:PATH: use the bidder graph of this store instead")
    a = ap.parse_args()
    if a.store:
        return bidder_graph(a.store, a.seed)
    rng = np.random.default_rng(a.seed)
    size = 50
    u = rng.integers(0, a.nodes, a.edges)
    inside = rng.random(a.edges) < 0.8
    v = np.where(inside, (u // size) * size + rng.integers(0, size, a.edges), rng.integers(0, a.nodes, a.edges))
    v = np.minimum(v, a.nodes - 1)
    keep = u != v
    edges = np.unique(np.sort(np.stack([u[keep], v[keep]], axis=1), axis=1), axis=0)
    g = ig.Graph(n=a.nodes, edges=edges.tolist())
    print(f"graph: {g.vcount():,} nodes, {g.ecount():,} edges")
    ig.set_random_number_generator(__import__("random").Random(a.seed))
    t0 = time.perf_counter()
    ml = g.community_multilevel()
    print(f"igraph multilevel       {time.perf_counter() - t0:7.1f} s  modularity {ml.modularity:.3f}")
    t0 = time.perf_counter()
    ld = g.community_leiden(objective_function="modularity", n_iterations=2)
    print(f"igraph Leiden (2 iter.) {time.perf_counter() - t0:7.1f} s  modularity {g.modularity(ld.membership):.3f}")
    h = nx.Graph()
    h.add_nodes_from(range(a.nodes))
    h.add_edges_from(edges.tolist())
    t0 = time.perf_counter()
    parts = nx.community.louvain_communities(h, seed=a.seed)
    print(
        f"networkx Louvain        {time.perf_counter() - t0:7.1f} s  modularity {nx.community.modularity(h, parts):.3f}"
    )


def bidder_graph(spec: str, seed: int) -> None:
    """The three methods on the weighted bidder graph of a store (through graphkit.collusion.communities)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from graphkit.collusion.bidder_graph import build_bidder_graph
    from graphkit.collusion.communities import detect
    from graphkit.stores import open_store

    store = open_store(spec)
    t0 = time.perf_counter()
    bg = build_bidder_graph(store)
    store.close()
    g, h = bg.igraph(), bg.networkx()
    print(f"bidder graph: {g.vcount():,} bidders, {g.ecount():,} weighted edges ({time.perf_counter() - t0:.1f} s)")
    for label, graph, kw in (
        ("igraph multilevel", g, {"method": "multilevel"}),
        ("igraph Leiden (2 iter.)", g, {"method": "leiden", "n_iterations": 2}),
        ("igraph Leiden (stable)", g, {"method": "leiden"}),
        ("networkx Louvain", h, {"method": "louvain_nx"}),
    ):
        t0 = time.perf_counter()
        p = detect(graph, seed=seed, **kw)
        print(f"{label:<24}{time.perf_counter() - t0:7.2f} s  modularity {p.modularity:.3f}  {len(p):,} communities")


if __name__ == "__main__":
    main()
