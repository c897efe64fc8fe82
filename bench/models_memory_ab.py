"""``graphkit models run`` of another checkout against this one's on one store: peak memory, CPU, same warnings.

    python bench/models_memory_ab.py --old ../base --store embedded:W/city.db
    python bench/models_memory_ab.py --old ../base --store embedded:W/city.db --rounds 2 --model bid_rigging

Each side is the command a user types, each run in its own process (``python -m graphkit models run --store S
--ledger L --lang en``, ``PYTHONPATH`` the checkout: its code and its ``queries/``), into a fresh ledger of its
own; the sides alternate, the order flipping every round. Per run: the process's peak resident memory
(``ru_maxrss`` from ``wait4``: Ladybug's buffer pool and Arrow included), its CPU seconds (``ru_utime +
ru_stime``, all threads: two shared cores move the wall, not this), the wall, and a digest of the ledger's
warnings (``id, model, key, level, summary, summary_zh, entities, types, evidence`` of each, in id order): the
same digest is the same warnings with the same evidence.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = "id, model, key, level, summary, summary_zh, entities, types, evidence"


def digest(ledger: Path) -> tuple[int, str]:
    """The number of warnings in the ledger file and a digest of their contents."""
    con = sqlite3.connect(ledger)
    try:
        rows = con.execute(f"SELECT {COLUMNS} FROM warnings ORDER BY id").fetchall()
    finally:
        con.close()
    h = hashlib.sha256()
    for r in rows:
        h.update(repr(r).encode())
    return len(rows), h.hexdigest()[:12]


def run_side(checkout: Path, store: str, models: list[str], ledger: Path) -> dict:
    """One ``models run`` of ``checkout`` in its own process: peak MiB, CPU s, wall s, warnings, digest."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    args = [sys.executable, "-m", "graphkit", "models", "run", "--store", store, "--ledger", str(ledger), "--lang"]
    args += ["en", *(x for m in models for x in ("--model", m))]
    log = ledger.with_suffix(".log")
    t0 = time.perf_counter()
    with log.open("wb") as fh:  # output to a file, so the child is reaped by wait4 (with its usage), not by Popen
        proc = subprocess.Popen(args, cwd=checkout, env=env, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    out = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        sys.stderr.write(out[-3000:])
        raise SystemExit(f"{checkout}: models run failed (exit {proc.returncode})")
    n, d = digest(ledger)
    return {
        "peak": usage.ru_maxrss // 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": wall,
        "warnings": n,
        "digest": d,
        "tail": out.strip().splitlines()[-1],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", required=True, type=Path, help="the other checkout (its graphkit/ and queries/)")
    ap.add_argument("--new", type=Path, default=Path(__file__).resolve().parents[1], help="[default: this one]")
    ap.add_argument("--store", required=True, help="a store spec, e.g. embedded:W/city.db")
    ap.add_argument("--model", action="append", default=[], help="a model id (repeat) [default: every model]")
    ap.add_argument("--rounds", type=int, default=1)
    a = ap.parse_args()
    sides = {"old": a.old.resolve(), "new": a.new.resolve()}
    print(f"old {sides['old']}\nnew {sides['new']}\nstore {a.store}", flush=True)
    print(f"{'round':>5} {'side':<4} {'peak MiB':>9} {'cpu s':>8} {'wall s':>8} {'warnings':>9} {'digest':>13}")
    with tempfile.TemporaryDirectory(prefix="models-memory-ab-") as tmp:
        for r in range(a.rounds):
            for side in ("old", "new") if r % 2 == 0 else ("new", "old"):
                res = run_side(sides[side], a.store, a.model, Path(tmp) / f"{side}-{r}.ledger.sqlite")
                print(
                    f"{r + 1:>5} {side:<4} {res['peak']:9,d} {res['cpu']:8.1f} {res['wall']:8.1f} "
                    f"{res['warnings']:9,d} {res['digest']:>13}",
                    flush=True,
                )
    with open("/proc/loadavg") as f:
        print("load average at the end:", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
