"""Why the loaders COPY instead of MERGE on the embedded store.

    python bench/store_write.py --rows 20000 50000 100000

Loads N persons into a fresh Ladybug store twice: bulk ``COPY`` from Arrow
(what EmbeddedStore.upsert_nodes does) and ``UNWIND $rows … MERGE`` in
batches of 10,000 (what a Neo4j-style loader would do).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def people(n: int) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"{i:018d}" for i in range(n)], "name": ["张伟"] * n})


def main() -> None:
    from graphkit.stores.embedded import EmbeddedStore

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    a = ap.parse_args()
    print(f"{'rows':>9} {'COPY s':>8} {'MERGE s':>8}")
    for n in a.rows:
        df = people(n)
        with tempfile.TemporaryDirectory() as d:
            with EmbeddedStore(Path(d) / "a.db") as s:
                s.create_schema()
                t0 = time.perf_counter()
                s.upsert_nodes("Person", df)
                copy_s = time.perf_counter() - t0
            with EmbeddedStore(Path(d) / "b.db") as s:
                s.create_schema()
                t0 = time.perf_counter()
                s.write(
                    "UNWIND $rows AS r MERGE (p:Person {id: r.id}) SET p.name = r.name",
                    df.to_dict("records"),
                    batch_size=10_000,
                )
                merge_s = time.perf_counter() - t0
        print(f"{n:>9,} {copy_s:>8.2f} {merge_s:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
