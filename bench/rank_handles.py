"""How long the handles of every person of a store take: one search per name (``search.handles``, what
``rank --kind person`` gave its listed rows) against one read of every name (``search.bulk_handles``, what it gives
every row of ``--out``), and whether they agree.

    graphkit demo --out /tmp/demo
    python bench/rank_handles.py --store embedded:/tmp/demo/graph.db                  # every person both ways
    python bench/rank_handles.py --store embedded:/tmp/big.db --one-by-one 1000      # a large store: a sample

Each way runs on a store object of its own, opened for it, with no name index built (as the command finds it).
The bulk way gives the handles of every person; the one-by-one way those of the first ``--one-by-one`` persons
(all by default), and its time for all of them is extrapolated from theirs (said so).  It exits 1 if the two
ways give any of those persons another handle.  Wall-clock seconds, after graphkit is imported, and the CPU
seconds of this process beside them (on shared cores the wall clock measures the neighbours too); ``--bulk-only``
times the bulk way alone (``--repeat N`` times), for comparing two versions of graphkit side by side:

    PYTHONPATH=/path/to/main python bench/rank_handles.py --store embedded:/tmp/c.db --bulk-only --repeat 3
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time

import pandas as pd


def persons(store) -> pd.DataFrame:
    from graphkit.paths import query, run_query

    found = run_query(store, query(store, "search/names", labels={"LABEL": "Person"}), {})
    found = found.sort_values("id", kind="stable").reset_index(drop=True)
    found.insert(0, "label", "Person")
    return found[["label", "id", "name"]]


def timed(spec: str, fn, found: pd.DataFrame) -> tuple[float, list[str], float]:
    """Wall seconds, the handles, CPU seconds of ``fn`` on a store opened for it."""
    from graphkit.stores import open_store

    store = open_store(spec, read_only=True)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(store, found)
        return time.perf_counter() - t0, out, time.process_time() - c0
    finally:
        store.close()


def main() -> None:
    from graphkit import search
    from graphkit.stores import open_store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="--store spec, e.g. embedded:/tmp/demo/graph.db")
    ap.add_argument("--one-by-one", type=int, default=0, help="persons searched one by one (default: all)")
    ap.add_argument("--bulk-only", action="store_true", help="time the bulk way alone")
    ap.add_argument("--repeat", type=int, default=1, help="times the bulk way runs (each on a fresh store)")
    a = ap.parse_args()
    store = open_store(a.store, read_only=True)
    try:
        found = persons(store)
    finally:
        store.close()
    n = len(found)
    sample = found if not a.one_by_one or a.one_by_one >= n else found.head(a.one_by_one)
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    print(f"{n:,} persons, {found['name'].nunique():,} names; {load}")
    search._converters()  # OpenCC's dictionaries loaded before the timing, as a second call finds them
    for _ in range(max(a.repeat, 1)):
        bulk_s, bulk, bulk_cpu = timed(a.store, search.bulk_handles, found)
        numbered = sum("#" in h for h in bulk)
        digest = hashlib.sha256("\n".join(bulk).encode()).hexdigest()[:16]
        print(
            f"bulk_handles, all {n:,}:{bulk_s:>24.1f} s  ({bulk_cpu:.2f} s CPU; {numbered:,} handles NAME#N; "
            f"sha256 {digest})"
        )
    if a.bulk_only:
        return
    one_s, one, _ = timed(a.store, search.handles, sample)
    if len(sample) == n:
        print(f"handles one by one, all {n:,}:{one_s:>17.1f} s  ({one_s / n * 1000:.1f} ms each)")
    else:
        print(
            f"handles one by one, first {len(sample):,}:{one_s:>14.1f} s  ({one_s / len(sample) * 1000:.1f} ms each; "
            f"all {n:,} would take some {one_s / len(sample) * n:,.0f} s)"
        )
    differ = [(i, b, o) for i, b, o in zip(sample["id"], bulk, one, strict=False) if b != o]
    print(f"same handles for the {len(sample):,} searched both ways: {'yes' if not differ else 'NO'}")
    for i, b, o in differ[:10]:
        print(f"  {i}: bulk {b!r}, one by one {o!r}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
