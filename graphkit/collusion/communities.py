"""Bidder communities: Leiden and Louvain through python-igraph, networkx as a fallback.

Every result carries the method and the parameters that made it, so a
community in a report can be made again.  Runs are seeded and deterministic:
igraph draws from a ``random.Random(seed)`` installed for the call (igraph's
default generator, Python's :mod:`random`, is put back afterwards); networkx takes ``seed``.

Methods
-------
``"leiden"``
    :meth:`igraph.Graph.community_leiden` with ``objective_function="modularity"`` set explicitly:
    igraph's default objective is CPM, which with the default resolution gives near-singleton
    communities.  ``n_iterations=-1`` iterates until the partition is stable.
``"multilevel"``
    :meth:`igraph.Graph.community_multilevel` (Louvain), the last level.
``"louvain_nx"``
    :func:`networkx.community.louvain_communities`; what ``"leiden"`` and ``"multilevel"`` fall back to
    when python-igraph is not installed (the result then says so in its ``method`` and ``params``).

``python bench/communities.py`` measured igraph about 14 times faster than networkx at equal modularity on a
planted-partition graph; on the bidder graph of the scale-1,000,000 city (34,633 bidders, 642,689 edges),
``python bench/collusion_graph.py`` measured igraph Leiden 2.2 s at modularity 0.635 against networkx
Louvain 21.7 s at 0.509 (multilevel 1.5 s, 0.509).

Example
-------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
>>> p = detect(g, method="leiden", seed=1)
>>> [c.members for c in p.communities]
[('a', 'b', 'c'), ('x', 'y', 'z')]
>>> p.method, p.params["objective_function"], p.params["seed"]
('leiden', 'modularity', 1)
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import igraph as ig
    import networkx as nx

    from graphkit.collusion.bidder_graph import BidderGraph

__all__ = ["METHODS", "Community", "Partition", "detect", "have_igraph"]

METHODS = ("leiden", "multilevel", "louvain_nx")


@dataclass(frozen=True)
class Community:
    """One community: its members (sorted node names) and what made it.

    Attributes
    ----------
    id : int
        0 for the largest community, then by size (ties: by first member).
    members : tuple of str
    method : str
        The method that actually ran (``"louvain_nx"`` when igraph was missing).
    params : dict
        Every parameter of the run (seed, resolution, weights attribute, iterations, objective…).
    """

    id: int
    members: tuple[str, ...]
    method: str
    params: Mapping[str, Any] = field(hash=False, compare=False)

    def __len__(self) -> int:
        return len(self.members)

    def __contains__(self, node: object) -> bool:
        return node in self.members


@dataclass
class Partition:
    """A partition of every node into communities.

    Attributes
    ----------
    communities : list of Community
        Largest first; every node is in exactly one (singletons included).
    membership : dict
        Node name → community id.
    method, params :
        As in :class:`Community`.
    modularity : float
        Weighted modularity (resolution 1) of the partition.
    """

    communities: list[Community]
    membership: dict[str, int]
    method: str
    params: dict[str, Any]
    modularity: float

    def __len__(self) -> int:
        return len(self.communities)

    def of(self, node: str) -> Community:
        """The community holding ``node``."""
        return self.communities[self.membership[node]]

    def sizes(self) -> list[int]:
        """Number of members of each community, in community order."""
        return [len(c) for c in self.communities]


def have_igraph() -> bool:
    """Whether python-igraph can be imported."""
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def _igraph_seed(seed: int) -> Iterator[None]:
    """igraph draws from ``random.Random(seed)`` inside the block, from its default
    (Python's :mod:`random` module) afterwards; igraph offers no way to read the current one."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def detect(
    graph: ig.Graph | nx.Graph | BidderGraph,
    *,
    method: str = "leiden",
    seed: int = 0,
    resolution: float = 1.0,
    weights: str | None = "weight",
    n_iterations: int = -1,
    beta: float = 0.01,
    refine: float | None = None,
    max_size: int | None = None,
    max_depth: int = 3,
) -> Partition:
    """Partition a graph into communities.

    Parameters
    ----------
    graph : igraph.Graph, networkx.Graph or BidderGraph
        Undirected; node names from the ``name`` vertex attribute (igraph) or the node keys (networkx).
    method : {"leiden", "multilevel", "louvain_nx"}
        See the module docstring.  Without python-igraph, the igraph methods fall back to ``"louvain_nx"``.
    seed : int
        Seed of the random generator; the same seed gives the same partition.
    resolution : float
        Modularity resolution (higher: smaller communities).
    weights : str or None
        Edge attribute holding the weights; None, or an attribute the graph lacks, for an unweighted run
        (``params["weights"]`` says which).
    n_iterations : int
        Leiden iterations; negative runs until stable.
    beta : float
        Leiden's randomness in the refinement step.
    refine : float, optional
        Partition every community again on its own subgraph (same method and seed) and keep the split when
        its modularity there is at least ``refine``; repeat on the parts, up to ``max_depth`` times.
        Modularity has a resolution limit: on a large graph it merges small tight groups (two cartels of
        five joined by a few bids, or a cartel and a business park) that their own subgraph tells apart,
        and a clique never splits (its best split has modularity ≤ 0).  ``None`` keeps the first partition.
    max_size : int, optional
        Communities larger than this are split again whatever the modularity of the split (a cartel
        hidden in a community of a thousand ordinary bidders is of no use to an analyst).
    max_depth : int
        How many times a community may be split again.

    Returns
    -------
    Partition

    Example
    -------
    >>> import igraph as ig
    >>> g = ig.Graph.Famous("Zachary")
    >>> a = detect(g, method="multilevel", seed=3)
    >>> b = detect(g, method="multilevel", seed=3)
    >>> a.membership == b.membership, a.params["weights"], len(a) > 1
    (True, None, True)
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if resolution <= 0:
        raise ValueError("resolution must be positive")
    from graphkit.collusion.bidder_graph import BidderGraph

    requested = method
    if isinstance(graph, BidderGraph):
        graph = graph.igraph() if have_igraph() else graph.networkx()
    if method != "louvain_nx" and not have_igraph():
        method = "louvain_nx"
    if not _has_weights(graph, weights):
        weights = None
    params: dict[str, Any] = {"seed": seed, "resolution": resolution, "weights": weights}
    if method != requested:
        params["requested"] = requested
        params["fallback"] = "python-igraph is not installed"
    if max_size is not None and max_size < 2:
        raise ValueError("max_size must be at least 2")
    again = refine is not None or max_size is not None
    if again:
        params.update(refine=refine, max_size=max_size, max_depth=max_depth)
    if method == "louvain_nx":
        import networkx as nx

        if not isinstance(graph, nx.Graph):
            graph = graph.to_networkx()
            graph = nx.relabel_nodes(graph, {i: d.get("name", i) for i, d in graph.nodes(data=True)})
        if graph.is_directed():
            raise ValueError("community detection needs an undirected graph")
        params.update(threshold=1e-7)
        names = list(graph.nodes)

        def run(h: Any) -> list[list]:
            # networkx keeps nodes and communities in sets (a small subgraph view iterates over one): with
            # string names their order, and so the result, would follow Python's per-process hash seed;
            # integer labels, given in sorted name order, hash the same in every process
            order = sorted(h.nodes, key=str)
            idx = {n: i for i, n in enumerate(order)}
            ih = nx.Graph()
            ih.add_nodes_from(range(len(order)))
            ih.add_edges_from(sorted((min(idx[u], idx[v]), max(idx[u], idx[v]), d) for u, v, d in h.edges(data=True)))
            return [
                [order[i] for i in sorted(p)]
                for p in nx.community.louvain_communities(
                    ih, weight=weights, resolution=resolution, seed=seed, threshold=1e-7
                )
            ]

        def sub(h: Any, members: list) -> Any:
            return h.subgraph(members)
    else:
        import igraph as ig

        if not isinstance(graph, ig.Graph):
            graph = ig.Graph.from_networkx(graph, vertex_attr_hashable="name")
        if graph.is_directed():
            raise ValueError("community detection needs an undirected graph")
        if "name" not in graph.vs.attributes():
            graph = graph.copy()
            graph.vs["name"] = [str(i) for i in range(graph.vcount())]
        names = graph.vs["name"]
        if method == "leiden":
            params.update(objective_function="modularity", n_iterations=n_iterations, beta=beta)
        else:
            params.update(return_levels=False)

        def run(h: Any) -> list[list]:
            w = _igraph_weights(h, weights)
            with _igraph_seed(seed):
                if method == "leiden":
                    cl = h.community_leiden(
                        objective_function="modularity",
                        weights=w,
                        resolution=resolution,
                        beta=beta,
                        n_iterations=n_iterations,
                    )
                else:
                    cl = h.community_multilevel(weights=w, resolution=resolution)
            vn = h.vs["name"]
            return [[vn[i] for i in c] for c in cl]

        index = {n: i for i, n in enumerate(names)}

        def sub(h: Any, members: list) -> Any:
            return graph.induced_subgraph([index[m] for m in members])

    groups = run(graph)
    todo = groups if again else []
    groups = [] if again else groups
    for depth in range(max_depth + 1):
        nxt = []
        for g in todo:
            parts = run(sub(graph, g)) if len(g) > 2 and depth < max_depth else [g]
            split = len(parts) > 1 and (
                (max_size is not None and len(g) > max_size)
                or (refine is not None and _modularity(sub(graph, g), _member_map(parts), weights) >= refine)
            )
            if split:
                nxt.extend(parts)
            else:
                groups.append(g)
        todo = nxt
        if not todo:
            break
    groups.extend(todo)
    params["library"] = "networkx" if method == "louvain_nx" else "igraph"
    return _partition(graph, names, groups, method, params, weights)


def _igraph_weights(g: ig.Graph, weights: str | None) -> Sequence[float] | None:
    if weights is None or weights not in g.es.attributes():
        return None
    w = g.es[weights]
    if any(x is None or x < 0 for x in w):
        raise ValueError(f"edge attribute {weights!r} must be a non-negative number on every edge")
    return w


def _has_weights(graph: Any, weights: str | None) -> bool:
    """Whether the graph carries the weight attribute (a graph without it is run unweighted, as networkx does)."""
    if weights is None:
        return False
    import networkx as nx

    if isinstance(graph, nx.Graph):
        return any(weights in d for _, _, d in graph.edges(data=True))
    return weights in graph.es.attributes()


def _member_map(groups: list[list]) -> dict[str, int]:
    return {str(n): i for i, g in enumerate(groups) for n in g}


def _partition(
    graph: Any, names: list, groups: list[list], method: str, params: dict[str, Any], weights: str | None
) -> Partition:
    groups = [sorted(str(n) for n in grp) for grp in groups if grp]
    groups.sort(key=lambda m: (-len(m), m[0]))
    frozen = dict(params)
    comms = [Community(i, tuple(m), method, frozen) for i, m in enumerate(groups)]
    membership = {n: c.id for c in comms for n in c.members}
    if len(membership) != len({str(n) for n in names}):
        raise RuntimeError("community detection did not place every node exactly once")
    return Partition(comms, membership, method, frozen, _modularity(graph, membership, weights))


def _modularity(graph: Any, membership: dict[str, int], weights: str | None) -> float:
    try:
        import igraph as ig
    except ImportError:
        ig = None
    if ig is not None and isinstance(graph, ig.Graph):
        if graph.ecount() == 0:
            return 0.0
        names = graph.vs["name"] if "name" in graph.vs.attributes() else [str(i) for i in range(graph.vcount())]
        w = _igraph_weights(graph, weights)
        return float(graph.modularity([membership[str(n)] for n in names], weights=w))
    import networkx as nx

    if graph.number_of_edges() == 0:
        return 0.0
    parts: dict[int, set] = {}
    for n in graph.nodes:
        parts.setdefault(membership[str(n)], set()).add(n)
    return float(nx.community.modularity(graph, list(parts.values()), weight=weights))
