"""The CPU seconds of one start of the tests' Neo4j (``tools/neo4j/run.sh start``), with APOC and without
(``--no-plugins``), alternating, side by side on one machine.

    python bench/neo4j_start.py                      # two rounds: with APOC, then without, twice
    python bench/neo4j_start.py --rounds 3 --settle 20

Each start is timed to the URI ``run.sh`` prints (wall), the server's CPU read from ``/proc/PID/stat`` (user + sys,
all its threads) then, and again after a first query (``RETURN 1`` through the driver, as the first test sends) and
``--settle`` seconds more: the JIT's compiler threads keep working after Bolt answers, and that CPU is the start's
too. ``run.sh``'s own CPU (its polls) is left out. Then the server is stopped. A loaded machine changes the wall
times much, the CPU seconds little.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "tools" / "neo4j" / "run.sh"
TICK = os.sysconf("SC_CLK_TCK")
PASSWORD = "graphkit-test"


def cpu(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def once(plugins: bool, settle: float) -> tuple[float, float, float]:
    """(wall to the URI, the server's CPU then, its CPU after a first query and ``settle`` seconds)."""
    from neo4j import GraphDatabase

    env = {**os.environ, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": PASSWORD}
    with tempfile.TemporaryDirectory(prefix="neo4j-start-") as run_dir:
        args = [str(RUN), "start", "--run-dir", run_dir, *([] if plugins else ["--no-plugins"])]
        t0 = time.perf_counter()
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        pid = int(Path(run_dir, "neo4j.pid").read_text())
        try:
            ready = cpu(pid)
            uri = done.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")
            with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as d:
                d.execute_query("RETURN 1 AS one", database_="neo4j")
            time.sleep(settle)
            after = cpu(pid)
        finally:
            subprocess.run([str(RUN), "stop", "--run-dir", run_dir], env=env, capture_output=True, check=True)
    return wall, ready, after


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--settle", type=float, default=10.0, help="seconds after the first query before the last read")
    args = ap.parse_args()
    subprocess.run([str(RUN), "build"], check=True)
    for r in range(1, args.rounds + 1):
        for plugins in (True, False):
            wall, ready, after = once(plugins, args.settle)
            name = "with APOC   " if plugins else "--no-plugins"
            print(
                f"round {r} {name}: {wall:5.1f} s wall to the URI, server CPU {ready:5.1f} s then, "
                f"{after:5.1f} s after a first query and {args.settle:.0f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
