"""What a relationship's string ``id`` costs in Ladybug's COPY.

    python bench/copy_rel_ids.py                  # 1,000,000 persons, 1,100,000 FAMILY relationships
    python bench/copy_rel_ids.py --persons 100000

Persons are copied into a fresh store, then the same FAMILY relationships
(``from``, ``to``, ``relationship``, provenance) with their ``id``
(``FAMILY|from|to|relationship``, as the loaders write it) or with that column
null, each in its own store and bulk session, the checkpoint included.  Wall
and CPU seconds (all threads) of the relationship COPY and checkpoint.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    import pyarrow as pa
    from graphkit.stores.embedded import EmbeddedStore

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    ids = [f"3205{i:014d}" for i in range(a.persons)]
    persons = pa.table({"id": ids, "name": ids})
    n_rels = a.persons * 11 // 10
    kinds = ["spouse", "parent", "child", "sibling", "in_law"]
    src = [ids[rnd.randrange(a.persons)] for _ in range(n_rels)]
    dst = [ids[rnd.randrange(a.persons)] for _ in range(n_rels)]
    rel = [kinds[rnd.randrange(len(kinds))] for _ in range(n_rels)]
    rel_ids = [f"FAMILY|{s}|{d}|{k}" for s, d, k in zip(src, dst, rel)]
    base = {"from": src, "to": dst, "relationship": rel, "src_file": ["family.csv"] * n_rels,
            "src_row": list(range(2, n_rels + 2))}
    print(f"{a.persons:,} persons, {n_rels:,} FAMILY relationships")
    for label, table in (("with id", pa.table({**base, "id": rel_ids})),
                         ("id null", pa.table({**base, "id": pa.nulls(n_rels, pa.string())}))):
        with tempfile.TemporaryDirectory() as d, EmbeddedStore(Path(d) / "g.db") as store:
            store.create_schema()
            with store.bulk():
                store._bulk_nodes("Person", store._conform("Person", persons))
            conformed = store._conform("FAMILY", table, edge=True)
            t0, c0 = time.perf_counter(), _cpu()
            with store.bulk():
                store._bulk_edges("FAMILY", "Person", "Person", conformed)
            print(f"  {label:<8} COPY + checkpoint {time.perf_counter() - t0:6.2f} s, CPU {_cpu() - c0:6.2f} s")


if __name__ == "__main__":
    main()
