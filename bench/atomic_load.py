"""What all-or-nothing costs the embedded store: a staging copy swapped in vs one Ladybug transaction.

    python bench/atomic_load.py --scale 100000

Loads one synthetic city three ways, each into a fresh store and then again on top of a loaded store
(the second load writes nothing new but pays the staging copy), and prints wall seconds:

- ``staging``: what ``graphkit load`` does (``EmbeddedStore.atomic``: copy of the store file when it exists,
  load into the copy, rename over the store);
- ``transaction``: one ``BEGIN TRANSACTION … COMMIT`` around the whole load (no checkpoint until the end);
- ``none``: no all-or-nothing at all (the loader's writes straight into the store), for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _store(mode: str, db: str):
    from graphkit.stores.base import GraphStore
    from graphkit.stores.embedded import EmbeddedStore

    class Tx(EmbeddedStore):
        @contextmanager
        def atomic(self):
            self._checkpoint_every = 1 << 62  # no checkpoint inside the transaction
            self._conn.execute("BEGIN TRANSACTION")
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            self._conn.execute("CHECKPOINT")

        def _begin_bulk(self):
            self._counts = {}
            self._since_checkpoint = 0

        def _end_bulk(self):
            self._counts = None
            self._ids.clear()

    class Plain(EmbeddedStore):
        atomic = GraphStore.atomic  # the undo log, which records ids only (never used: nothing fails)

    return {"staging": EmbeddedStore, "transaction": Tx, "none": Plain}[mode](db)


def phase(mode: str, city: str, db: str) -> dict:
    from loaders.engine import load_dir

    t0 = time.perf_counter()
    with _store(mode, db) as s:
        report, _ = load_dir(city, s)
        seconds = time.perf_counter() - t0
        n = sum(s.counts()["nodes"].values())
    return {"seconds": round(seconds, 2), "read": report.totals()["read"], "nodes": n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--phase", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        print(json.dumps(phase(*a.phase)))
        return
    from graphkit.synth import generate

    work = Path(tempfile.mkdtemp(prefix="graphkit-atomic-"))
    city = work / "city"
    generate(city, scale=a.scale, seed=a.seed)
    print(f"scale {a.scale:,}, load average {os.getloadavg()[0]:.1f}")
    for mode in ("none", "staging", "transaction"):
        db = work / f"{mode}.db"
        for run in ("fresh store", "loaded store"):
            out = subprocess.run(
                [sys.executable, __file__, "--phase", mode, str(city), str(db)], capture_output=True, text=True
            )
            if out.returncode:
                print(f"{mode:<12} {run:<13} failed: {out.stderr.strip().splitlines()[-1]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            size = db.stat().st_size / 2**20 if db.exists() else 0
            print(f"{mode:<12} {run:<13} {r['seconds']:>7.2f} s  store {size:,.0f} MiB  nodes {r['nodes']:,}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
