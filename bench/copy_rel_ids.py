"""What a relationship's ``id`` costs in Ladybug's COPY: a string key against its 64-bit hash.

    python bench/copy_rel_ids.py                  # 1,000,000 persons, 1,100,000 FAMILY relationships
    python bench/copy_rel_ids.py --persons 100000

Persons are copied into a fresh database, then the same FAMILY relationships
(``from``, ``to``, ``relationship``, provenance) into a table whose ``id`` is
the natural key as a STRING (``FAMILY|from|to|relationship``, what the store
kept before), its :func:`graphkit.model.keys.link_ids` as an INT64 (what it
keeps now), or no id at all; each in its own database, checkpoint included.
Wall and CPU seconds (all threads) of the relationship COPY and checkpoint, and
the time to hash the keys.
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
    import ladybug
    import pyarrow as pa

    from graphkit.model.keys import link_ids

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    ids = [f"3205{i:014d}" for i in range(a.persons)]
    persons = pa.table({"id": ids, "name": ids})  # noqa: F841 - read by name: COPY Person FROM persons
    n_rels = a.persons * 11 // 10
    kinds = ["spouse", "parent", "child", "sibling", "in_law"]
    src = [ids[rnd.randrange(a.persons)] for _ in range(n_rels)]
    dst = [ids[rnd.randrange(a.persons)] for _ in range(n_rels)]
    rel = [kinds[rnd.randrange(len(kinds))] for _ in range(n_rels)]
    keys = pa.array([f"FAMILY|{s}|{d}|{k}" for s, d, k in zip(src, dst, rel, strict=True)])
    t0 = time.perf_counter()
    hashed = link_ids(keys)
    hashing = time.perf_counter() - t0
    base = {
        "from": src,
        "to": dst,
        "relationship": rel,
        "src_file": ["family.csv"] * n_rels,
        "src_row": list(range(2, n_rels + 2)),
    }
    cols = "relationship STRING, src_file STRING, src_row INT64"
    print(f"{a.persons:,} persons, {n_rels:,} FAMILY relationships; link_ids of the keys: {hashing:.2f} s", flush=True)
    for label, rels, id_col in (  # noqa: B007 - rels is read by name: COPY FAMILY FROM rels
        ("STRING key", pa.table({**base, "id": keys}), ", id STRING"),
        ("INT64 id", pa.table({**base, "id": hashed}), ", id INT64"),
        ("no id", pa.table(base), ""),
    ):
        with tempfile.TemporaryDirectory() as d:
            db = ladybug.Database(str(Path(d) / "g.db"))
            conn = ladybug.Connection(db)
            conn.execute("CREATE NODE TABLE Person(id STRING, name STRING, PRIMARY KEY(id))")
            conn.execute(f"CREATE REL TABLE FAMILY(FROM Person TO Person, {cols}{id_col})")
            conn.execute("CALL auto_checkpoint=false")
            conn.execute("COPY Person FROM persons")
            conn.execute("CHECKPOINT")
            t0, c0 = time.perf_counter(), _cpu()
            conn.execute("COPY FAMILY FROM rels")
            conn.execute("CHECKPOINT")
            print(f"  {label:<10} COPY + checkpoint {time.perf_counter() - t0:6.2f} s, CPU {_cpu() - c0:6.2f} s")
            conn.close()
            db.close()


if __name__ == "__main__":
    main()
