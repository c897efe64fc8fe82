"""The suite's CPU seconds by test, module and group: a measure that other work on the machine changes little,
where ``--durations`` (wall) doubles or triples under load.

    python bench/suite_cpu.py run                    # the suite as `make test` runs it (-n auto --dist loadscope)
    python bench/suite_cpu.py run -- tests/test_risk.py -n 0
    python bench/suite_cpu.py report cpu.tsv --top 40

``run`` runs pytest with this file as a plugin (``-p suite_cpu``) and writes one row per test to ``cpu.tsv`` (or
``--out``): the worker, the test's node id, its wall seconds, and its CPU seconds (user + sys) from the start of
its setup to the end of its teardown, counted in three parts: the test process itself; the processes it started
(those still running, and those it waited for, through ``os.times()``'s children fields); and the Java processes
whose command line names the worker's temporary folder (the session's Neo4j server and any other a test starts:
``tools/neo4j/run.sh`` detaches them with ``setsid``, so they are no process's child). A module's CPU is the sum of
its tests'; a test that only waits (on a server, a browser, a ``sleep``) shows wall seconds and few CPU seconds.
CPU spent between tests (a module fixture's teardown after its last test, the session's start) is counted in the
next test on that worker, or not at all after the last one.

``report`` prints the groups (``tests/conftest.py``'s unit of work on a worker), the modules and the tests that
took most CPU, and the whole run's CPU against its wall time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """The fields of ``/proc/PID/stat`` after the command's name: state, ppid, … (``proc(5)``, from field 3)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()


def _stat_cpu(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK


def _pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _tree(pid: int) -> set[int]:
    """``pid``'s descendants, from /proc (each process's parent)."""
    parent: dict[int, list[int]] = defaultdict(list)
    for child in _pids():
        try:
            parent[int(_stat(child)[1])].append(child)
        except (OSError, ValueError, IndexError):
            continue
    out, todo = set(), [pid]
    while todo:
        for child in parent.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _marked_java(marker: str) -> set[int]:
    out = set()
    for pid in _pids():
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"java" in cmd and marker.encode() in cmd:
            out.add(pid)
    return out


class CpuClock:
    """CPU seconds of this process, its reaped children, its live descendants and the Java processes naming
    ``marker`` on their command line. Those Java processes are read every half second by a thread of their own
    and keep their last reading after they end (a server a test starts and stops within it is no child of the
    test's process: its CPU would otherwise be lost); what one spends in its last half second is."""

    def __init__(self, marker: str | None):
        self.marker = marker
        self.java: dict[int, float] = {}
        self._lock = threading.Lock()
        if marker:
            threading.Thread(target=self._watch, daemon=True, name="suite_cpu").start()

    def _sample(self) -> None:
        java = _marked_java(self.marker)
        if java:
            java -= _tree(os.getpid())  # descendants are read with the others, and reaped into os.times()
        for pid in java:
            try:
                cpu = _stat_cpu(pid)
            except (OSError, ValueError, IndexError):
                continue
            with self._lock:
                self.java[pid] = cpu

    def _watch(self) -> None:
        while True:
            self._sample()
            time.sleep(0.5)

    def read(self) -> dict[int, float]:
        t = os.times()
        out = {0: t.user + t.system + t.children_user + t.children_system}
        for pid in _tree(os.getpid()):
            try:
                out[pid] = _stat_cpu(pid)
            except (OSError, ValueError, IndexError):
                continue
        if self.marker:
            self._sample()
            with self._lock:
                out.update({-pid: cpu for pid, cpu in self.java.items()})
        return out


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU between two readings: a process in both counts its growth, one only in ``after`` all it spent; one only
    in ``before`` has ended, and what it spent reached key 0 if this process waited for it."""
    return sum(v - before.get(pid, 0.0) for pid, v in after.items())


# ---- the pytest plugin (``-p suite_cpu``) ---------------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption("--cpu-out", default=None, help="suite_cpu: the file the per-test CPU rows are appended to")


_state: dict = {}


def pytest_sessionstart(session):
    out = session.config.getoption("--cpu-out")
    if not out or (session.config.getoption("dist", "no") != "no" and not hasattr(session.config, "workerinput")):
        return  # the controller of several workers runs no test
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base = session.config._tmp_path_factory.getbasetemp()  # the worker's own folder (popen-gwN)
    _state.update(out=out, worker=worker, clock=CpuClock(str(base)))
    _state["last"] = _state["clock"].read()
    _state["t"] = time.perf_counter()


def pytest_runtest_logfinish(nodeid, location):
    if "clock" not in _state:
        return
    now = _state["clock"].read()
    spent = _spent(_state["last"], now)
    wall = time.perf_counter() - _state["t"]
    with open(_state["out"], "a", encoding="utf-8") as f:
        f.write(f"{_state['worker']}\t{nodeid}\t{wall:.3f}\t{spent:.3f}\n")
    _state["last"] = _state["clock"].read()  # reading /proc is not the next test's
    _state["t"] = time.perf_counter()


# ---- report ------------------------------------------------------------------------------------------------------


def report(path: Path, top: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import xdist_group_of

    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        worker, nodeid, wall, cpu = line.split("\t")
        rows.append((worker, nodeid, float(wall), float(cpu)))
    by_module: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    by_group: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    by_worker: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for worker, nodeid, wall, cpu in rows:
        module = nodeid.split("::", 1)[0]
        for table, key in ((by_module, module), (by_group, xdist_group_of(Path(module).stem)), (by_worker, worker)):
            table[key][0] += cpu
            table[key][1] += wall
            table[key][2] += 1
    total = sum(r[3] for r in rows)
    print(f"{len(rows)} tests, {total:.0f} CPU s in all ({total / 60:.1f} min)")
    for title, table in (("workers", by_worker), ("groups", by_group), ("modules", by_module)):
        print(f"\n{title}: CPU s, wall s, tests")
        for key, (cpu, wall, n) in sorted(table.items(), key=lambda kv: -kv[1][0])[:top]:
            print(f"  {cpu:8.1f} {wall:8.1f} {n:5d}  {key}")
    print("\ntests: CPU s, wall s")
    for _, nodeid, wall, cpu in sorted(rows, key=lambda r: -r[3])[:top]:
        print(f"  {cpu:8.2f} {wall:8.2f}  {nodeid}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the suite with the plugin, then report")
    run.add_argument("--out", type=Path, default=Path("cpu.tsv"))
    run.add_argument("--top", type=int, default=30)
    run.add_argument("pytest_args", nargs="*", help="after --: pytest's arguments (default: -n auto --dist loadscope)")
    rep = sub.add_parser("report", help="report a file `run` wrote")
    rep.add_argument("path", type=Path)
    rep.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    if args.cmd == "report":
        report(args.path, args.top)
        return
    out = args.out.resolve()
    out.unlink(missing_ok=True)
    pytest_args = args.pytest_args or ["-n", "auto", "--dist", "loadscope"]
    path = [str(ROOT / "bench"), os.environ.get("PYTHONPATH")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p)}
    t0, c0 = time.perf_counter(), os.times()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "suite_cpu", f"--cpu-out={out}", "-q", *pytest_args], cwd=ROOT, env=env
    )
    c1 = os.times()
    wall = time.perf_counter() - t0
    cpu = c1.children_user + c1.children_system - c0.children_user - c0.children_system
    print(f"\npytest exit {done.returncode}: {wall:.0f} s wall, {cpu:.0f} CPU s of its process tree (reaped)\n")
    report(out, args.top)
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
