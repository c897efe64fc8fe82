"""How long a case officer waits for one case file: ``graphkit export`` in each format, two code trees side by side.

    python bench/export_speed.py --store embedded:CITY.db --entity KEY
    python bench/export_speed.py --store embedded:CITY.db --entity KEY --old /tmp/old --repeat 3

Runs the CLI (``python -m graphkit export --entity KEY --hops 2``) once per format (pdf, png, svg, html,
graphml) and ``neighbours --export`` (PDF), each in a fresh process with ``PYTHONPATH`` set to the tree
measured (this checkout; with --old also another, e.g. ``git archive BASE | tar -x -C /tmp/old``), and
prints the median wall-clock and CPU seconds of --repeat runs as a table. Files go to a temporary folder; the audit
log too (``GRAPHKIT_AUDIT``), so the store's own log is not written. The store is only read.
Wall-clock includes starting Python and importing graphkit (~1.5 s), as the officer waits for it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("pdf", "png", "svg", "html", "graphml")


def run(tree: Path, args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds and the stdout of one CLI run with ``tree`` first on the path (it must succeed;
    ``bench/name_lookup.py`` times its commands with it too)."""
    env = {**env, "PYTHONPATH": os.pathsep.join([str(tree), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    t, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([sys.executable, "-m", "graphkit", *args], env=env, cwd=tree, capture_output=True, text=True)
    wall, used = time.perf_counter() - t, _children_cpu() - cpu
    if done.returncode:
        raise SystemExit(f"{tree}: graphkit {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return wall, used, done.stdout


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes: on a shared machine the wall-clock
    time includes waiting for a core, the CPU time does not."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="--store spec, e.g. embedded:city.db")
    ap.add_argument("--entity", required=True, help="the subject: a key, an identifier or an exact name")
    ap.add_argument("--hops", type=int, default=2)
    ap.add_argument("--case", default="苏纪2026-099")
    ap.add_argument("--old", type=Path, help="another code tree to time side by side (before/after)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the median is printed")
    a = ap.parse_args()
    trees = {"new": Path(__file__).resolve().parent.parent}
    if a.old:
        trees = {"old": a.old.resolve(), **trees}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GRAPHKIT_AUDIT": str(Path(tmp) / "audit.jsonl")}
        common = ["--store", a.store, "--entity", a.entity, "--hops", str(a.hops), "--case", a.case]
        jobs = {f"export {f}": ["export", *common, "--out", f"{tmp}/F.{f}"] for f in FORMATS}
        jobs["neighbours --export pdf"] = [
            "neighbours",
            "--store",
            a.store,
            a.entity,
            "--hops",
            str(a.hops),
            "--export",
            f"{tmp}/N.pdf",
            "--case",
            a.case,
        ]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; seconds, wall-clock (CPU)")
        print(f"{'what':<26}" + "".join(f"{name:>16}" for name in trees))
        for what, args in jobs.items():
            cells = []
            for t in trees.values():
                runs = [run(t, args, env) for _ in range(a.repeat)]
                wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
                cells.append(f"{wall:.1f} ({cpu:.1f})")
            print(f"{what:<26}" + "".join(f"{c:>16}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
