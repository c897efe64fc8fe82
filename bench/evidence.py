"""A warning's evidence graph (``graphkit.evidence.warning_graph``, what ``warnings show``, the Warnings tab and the
demo draw) for each hit of one model, on a built store: CPU seconds, peak memory and a digest of the graphs.

    python bench/evidence.py embedded:/path/city.db [--model relative_wins_tender_1hop] [--limit 50]

Each hit is turned into the warning the ledger would hold (entities, types, the sources as evidence) and its
evidence drawn: ``store.subgraph`` of its entities, the neighbourhood (``hops=1``) of its persons, companies,
tenders …, then of its bids. The model's own query is run first and not counted. The digest (nodes, links and
their attributes in order) is the same for the same answers: compare it between two versions of graphkit on the
same store. CPU is the process's, all threads (``ru_utime + ru_stime``): two shared cores move the wall, not this.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", help="embedded:PATH or neo4j://…")
    ap.add_argument("--model", default="relative_wins_tender_1hop")
    ap.add_argument("--limit", type=int, default=50, help="the first N hits by key")
    a = ap.parse_args()
    from graphkit.evidence import warning_graph
    from graphkit.rules.catalog import run as run_model
    from graphkit.stores import open_store

    store = open_store(a.store, read_only=True)
    hits = run_model(store, a.model).sort_values("key").head(a.limit)
    warnings = [
        {"entities": list(h.entities), "types": list(h.types), "evidence": {"sources": list(h.sources)}}
        for h in hits.itertuples(index=False)
    ]
    digest = hashlib.sha1()
    t0, c0 = time.perf_counter(), _cpu()
    nodes = links = 0
    for w in warnings:
        g = warning_graph(store, w)
        nodes, links = nodes + g.number_of_nodes(), links + g.number_of_edges()
        digest.update(repr(list(g.nodes(data=True))).encode())
        digest.update(repr(list(g.edges(keys=True, data=True))).encode())
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"{a.model}: {len(warnings)} warnings' evidence, {nodes} nodes, {links} links; wall {wall:.2f} s, "
        f"cpu {cpu:.2f} s ({cpu / max(len(warnings), 1) * 1000:.0f} ms each), peak {peak:,} MiB, "
        f"digest {digest.hexdigest()[:12]}",
        flush=True,
    )
    store.close()


if __name__ == "__main__":
    main()
