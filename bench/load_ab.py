"""Load speed of two checkouts on one city, runs interleaved (old, new, old, new, …) on a shared machine.

    git worktree add --detach ../base a0aa778
    python bench/load_ab.py --old ../base --new . --scale 1000000 --runs 3

The city is synthesised once (by the new checkout) and every load goes into a fresh embedded store through
each checkout's own ``bench/load.py --phase load`` (its own process, its own code).  Printed per run: wall
seconds, rows/s and the 1-minute load average just before it; then the median of each and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def _load(tree: Path, city: Path, db: Path) -> dict:
    for p in (db, Path(f"{db}.wal")):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    proc = subprocess.run(
        [sys.executable, str(tree / "bench" / "load.py"), "--phase", "load", str(city), str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise SystemExit(f"load by {tree} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True, help="checkout of the commit before the change")
    ap.add_argument("--new", type=Path, required=True, help="checkout with the change")
    ap.add_argument("--scale", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="loads per checkout")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write every run here")
    a = ap.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="graphkit-ab-"))
    city = work / f"city-{a.scale}"
    if not (city / "household.csv").exists():
        subprocess.run(
            [
                sys.executable,
                str(a.new / "bench" / "load.py"),
                "--phase",
                "synth",
                str(city),
                str(a.scale),
                str(a.seed),
            ],
            check=True,
            capture_output=True,
        )
    runs = []
    for i in range(a.runs):
        for name, tree in (("old", a.old), ("new", a.new)):
            load_avg = os.getloadavg()[0]
            r = _load(tree.resolve(), city, work / f"{name}.db")
            row = {
                "checkout": name,
                "run": i + 1,
                "load_average": round(load_avg, 2),
                "seconds": round(r["seconds"], 2),
                "cpu_seconds": round(r["cpu_seconds"], 2),
                "rows_per_second": round(r["read"] / r["seconds"]),
                "read": r["read"],
                "quarantined": r["quarantined"],
                "nodes": r["nodes"],
                "relationships": r["relationships"],
                "peak_mib": round(r["peak_mib"]),
            }
            runs.append(row)
            print(
                f"{name} #{i + 1}: {row['seconds']:7.2f} s  CPU {row['cpu_seconds']:7.2f} s  "
                f"{row['rows_per_second']:>9,} rows/s  "
                f"load average {row['load_average']:.1f}  quarantined {row['quarantined']:,}  "
                f"nodes {row['nodes']:,}  relationships {row['relationships']:,}",
                flush=True,
            )
    med = {n: statistics.median(r["seconds"] for r in runs if r["checkout"] == n) for n in ("old", "new")}
    cpu = {n: statistics.median(r["cpu_seconds"] for r in runs if r["checkout"] == n) for n in ("old", "new")}
    print(
        f"median of {a.runs}: old {med['old']:.2f} s, new {med['new']:.2f} s; "
        f"new / old = {med['new'] / med['old']:.3f} ({100 * (med['new'] / med['old'] - 1):+.1f} %)"
    )
    print(
        f"median CPU of {a.runs}: old {cpu['old']:.2f} s, new {cpu['new']:.2f} s; "
        f"new / old = {cpu['new'] / cpu['old']:.3f} ({100 * (cpu['new'] / cpu['old'] - 1):+.1f} %)"
    )
    if a.json:
        a.json.write_text(json.dumps({"runs": runs, "median_seconds": med, "median_cpu_seconds": cpu}, indent=2))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
