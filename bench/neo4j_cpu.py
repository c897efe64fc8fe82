"""The CPU seconds the tests' in-process Neo4j spends, by kind of thread, under each set of JVM options, side by side
in one run: the same test modules, the same machine, each option set in turn.

    python bench/neo4j_cpu.py tests/test_bulk_handles.py                       # default, then -XX:TieredStopAtLevel=1
    python bench/neo4j_cpu.py tests/test_models_neo4j.py --opts "" --opts "-XX:TieredStopAtLevel=1" --rounds 2

Each run is ``pytest -p no:xdist`` on the modules with ``NEO4J_JVM_OPTS`` set (``tools/neo4j/run.sh`` passes it to
the server and to neo4j-admin's importer) and a ``--basetemp`` of its own, so only the servers this run started are
read (their command line names that folder): every second, the CPU time of each of their threads from
``/proc/PID/task/*/stat``, the last reading kept. Threads are grouped by name (``C2 CompilerThre`` is the JIT's
optimising compiler, ``neo4j.BoltWorke`` runs the queries, ``java`` is the start-up). pytest's own CPU (user + sys,
its children included) is printed beside it. A machine shared with other work changes the wall times, not much
the CPU seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _java_pids(marker: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "java" in cmd and marker in cmd:
            pids.append(int(proc.name))
    return pids


def _threads(pid: int) -> dict[str, float]:
    """CPU seconds (user + sys) of each thread of ``pid``, keyed ``tid name``."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            name = (task / "comm").read_text().strip()
            stat = (task / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        out[f"{task.name} {name}"] = (int(fields[11]) + int(fields[12])) / tick
    return out


def _group(name: str) -> str:
    """A thread's kind: its name without the numbers that tell threads of one pool apart."""
    return re.sub(r"[#\-]?\d+$", "", name.split(" ", 1)[1]).strip()


def run_once(modules: list[str], opts: str) -> tuple[dict[str, float], float, float, str]:
    """(CPU by kind of thread, pytest's CPU, wall seconds, pytest's last line) for one run."""
    base = Path(tempfile.mkdtemp(prefix="neo4j-cpu-"))
    seen: dict[int, dict[str, float]] = {}
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.5):
            for pid in _java_pids(str(base)):
                now = _threads(pid)
                if now:
                    seen.setdefault(pid, {}).update(now)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    env = {**os.environ, "NEO4J_JVM_OPTS": opts}
    env.pop("NEO4J_URI", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q", f"--basetemp={base}"]
        + modules,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stop.set()
    watcher.join()
    shutil.rmtree(base, ignore_errors=True)
    by_kind: dict[str, float] = defaultdict(float)
    for threads in seen.values():
        for key, seconds in threads.items():
            by_kind[_group(key)] += seconds
    lines = [x for x in done.stdout.splitlines() if x.strip()]
    py = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dict(by_kind), py, wall, lines[-1] if lines else f"rc {done.returncode}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("modules", nargs="+", help="test modules (paths under the repository)")
    ap.add_argument("--opts", action="append", help="a set of JVM options (repeat; default: none, then C1 only)")
    ap.add_argument("--rounds", type=int, default=1, help="runs of each option set, interleaved (default 1)")
    ap.add_argument("--top", type=int, default=5, help="kinds of thread shown (default 5)")
    args = ap.parse_args(argv)
    option_sets = args.opts or ["", "-XX:TieredStopAtLevel=1"]
    for r in range(args.rounds):
        for opts in option_sets:
            kinds, py, wall, last = run_once(args.modules, opts)
            total = sum(kinds.values())
            print(f"round {r + 1}  NEO4J_JVM_OPTS={opts!r}: {last}")
            print(f"  Neo4j CPU {total:7.1f} s   pytest CPU {py:6.1f} s   wall {wall:6.1f} s")
            for kind, seconds in sorted(kinds.items(), key=lambda kv: -kv[1])[: args.top]:
                print(f"    {seconds:7.1f} s  {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
