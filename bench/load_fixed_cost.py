"""A load's fixed cost: CPU seconds and Ladybug statements of loading the tests' fixture city (tests/fixture_city.py,
~100 rows in 25 files) into a fresh embedded store, what most loader tests and a user's small folder pay per load.

    python bench/load_fixed_cost.py                          # this checkout, 7 loads
    python bench/load_fixed_cost.py --old ../main --new .    # two checkouts, runs interleaved (old, new, old, …)

Each checkout runs in its own process (its own code and fixture city first on ``sys.path``), loads the city once
to warm up (imports, first parse), then ``--loads`` times into a fresh store each; printed: the median and lowest
CPU seconds (user + system, all threads: ``time.process_time``) per load and the statements sent to Ladybug per load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _measure(loads: int, tree: Path) -> dict:
    sys.path[:0] = [str(tree), str(tree / "tests")]
    from fixture_city import write_city
    from ladybug import connection as lbc

    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir

    sent = [0]
    run = lbc.Connection._execute_with_pybind

    def counted(self, *args, **kwargs):
        sent[0] += 1
        return run(self, *args, **kwargs)

    lbc.Connection._execute_with_pybind = counted
    with tempfile.TemporaryDirectory() as tmp:
        city = write_city(Path(tmp) / "city")
        cpu, statements = [], []
        for i in range(loads + 1):
            sent[0] = 0
            start = time.process_time()
            with EmbeddedStore(Path(tmp) / f"g{i}.db") as store:
                load_dir(city, store)
            if i:  # the first load warms up
                cpu.append(time.process_time() - start)
                statements.append(sent[0])
    return {"cpu": cpu, "statements": statements}


def _run(tree: Path, loads: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", str(loads), "--tree", str(tree)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode:
        raise SystemExit(f"{tree}: {proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, help="a checkout to compare with (the commit before the change)")
    ap.add_argument("--new", type=Path, default=ROOT, help="the checkout with the change (default: this one)")
    ap.add_argument("--loads", type=int, default=7, help="loads per process, after one to warm up")
    ap.add_argument("--rounds", type=int, default=3, help="processes per checkout, interleaved with the other's")
    ap.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure is not None:
        print(json.dumps(_measure(a.measure, a.tree)))
        return
    trees = {"old": a.old, "new": a.new} if a.old else {"new": a.new}
    got: dict[str, dict[str, list]] = {k: {"cpu": [], "statements": []} for k in trees}
    for _ in range(a.rounds):
        for name, tree in trees.items():
            r = _run(tree.resolve(), a.loads)
            got[name]["cpu"] += r["cpu"]
            got[name]["statements"] += r["statements"]
    for name, r in got.items():
        print(
            f"{name} ({trees[name]}): {len(r['cpu'])} loads of the fixture city, CPU s per load median "
            f"{statistics.median(r['cpu']):.3f}, lowest {min(r['cpu']):.3f}; Ladybug statements per load "
            f"{statistics.median(r['statements']):.0f}"
        )
    if a.old:
        old, new = statistics.median(got["old"]["cpu"]), statistics.median(got["new"]["cpu"])
        print(f"new/old CPU per load: {new / old:.2f} ({old - new:+.3f} s saved per load)")


if __name__ == "__main__":
    main()
