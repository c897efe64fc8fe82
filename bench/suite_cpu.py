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
next test on that worker, or not at all after the last one. A process that lives across tests (a module's JupyterLab,
a kernel, a server a fixture started) is counted as it goes: each live process with the CPU of the processes it
waited for (``/proc/PID/stat``'s children fields), and one that ended has what it had been counted with taken back, as
its whole CPU reaches its parent's children fields (or this process's) when it is waited for. Before, a process that
ended was counted again in full in the test where it ended: the module's JupyterLab and its five kernels added their
whole lives to the browser module's last test. A process that outlives its parent and is taken in by init is counted
until its parent ends, then taken back, the Java servers aside (they are read by their command line).

Two more columns tell waiting from sharing: the CPU seconds of those Java processes alone (a part of the CPU column:
``time`` and CI's user+sys leave them out), and the seconds the test's processes were ready to run but queued for a
core (Linux's run delay, ``/proc/PID/task/TID/schedstat``, of the test's process and the processes it started, not of
the Java servers: other work on the machine), read like the CPU. A test's wall less its CPU less its queued seconds is
what it waited (on a ``sleep``, a poll, a disk, a server's answer): under load the wall grows by the queued seconds,
not by the waited ones. The waited seconds are exact for a test whose work is one thread; where several threads or
processes work side by side they queue side by side too, and a negative figure says so; where a Java server works
(its queue left out) they are at most what the test waited, its server's queue included.

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


def _stat_cpu_waited(pid: int) -> float:
    """``pid``'s CPU with that of the children it waited for (utime, stime, cutime, cstime): a kernel JupyterLab
    started and stopped is in JupyterLab's figure from then on."""
    fields = _stat(pid)
    return sum(int(v) for v in fields[11:15]) / TICK


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


def _delays(pid: int) -> dict[tuple[int, int, int], float]:
    """Seconds each thread of ``pid`` has been ready to run and queued for a core (``schedstat``'s second field),
    keyed by the process, the thread and the thread's start (``stat``'s field 22: a thread id used again is another
    key). A thread's figure only grows; a process's sum over its live threads did not: it fell when a thread that had
    queued ended, and the queued column went negative."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
            start = int(stat[stat.rindex(")") + 2 :].split()[19])
            out[(pid, int(task.name), start)] = int((task / "schedstat").read_text().split()[1]) / 1e9
        except (OSError, ValueError, IndexError):
            continue
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
        # the last run delay read of every thread seen, by (process, thread, start): ended ones keep theirs
        self.delays: dict[tuple[int, int, int], float] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._watch, daemon=True, name="suite_cpu").start()

    def _sample(self) -> None:
        tree = _tree(os.getpid()) | {os.getpid()}
        java = _marked_java(self.marker) - tree if self.marker else set()
        for pid in java:  # descendants are read with the others, and reaped into os.times()
            try:
                cpu = _stat_cpu(pid)
            except (OSError, ValueError, IndexError):
                continue
            with self._lock:
                self.java[pid] = cpu
        # not a Java process's (a server starting is still a child of run.sh): its many threads queue side by side
        for pid in tree - _marked_java(""):
            try:
                delays = _delays(pid)
            except OSError:
                continue
            with self._lock:  # the largest: this thread and a read() may sample side by side and write in any order
                for key, delay in delays.items():
                    self.delays[key] = max(delay, self.delays.get(key, 0.0))

    def _watch(self) -> None:
        while True:
            self._sample()
            time.sleep(0.5)

    def read(self) -> tuple[dict[int, float], dict[int, float], dict[tuple[int, int, int], float]]:
        """CPU by process (0: this one and its reaped children), the Java processes' CPU, and run delay by thread."""
        t = os.times()
        out = {0: t.user + t.system + t.children_user + t.children_system}
        for pid in _tree(os.getpid()):
            try:
                out[pid] = _stat_cpu_waited(pid)
            except (OSError, ValueError, IndexError):
                continue
        self._sample()
        with self._lock:
            java = {-pid: cpu for pid, cpu in self.java.items()}
            out.update(java)
            return out, java, dict(self.delays)


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU between two readings: a process in both counts its growth, one only in ``after`` all it spent; one only
    in ``before`` has ended, and all it spent reached its parent's reading (key 0 if this process waited for it, a
    Java server's own key once ``run.sh`` left it), so what ``before`` had counted of it is taken back."""
    ended = sum(v for pid, v in before.items() if pid not in after)
    return sum(v - before.get(pid, 0.0) for pid, v in after.items()) - ended


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
    spent, java, queued = (_spent(before, after) for before, after in zip(_state["last"], now, strict=True))
    wall = time.perf_counter() - _state["t"]
    with open(_state["out"], "a", encoding="utf-8") as f:
        f.write(f"{_state['worker']}\t{nodeid}\t{wall:.3f}\t{spent:.3f}\t{java:.3f}\t{queued:.3f}\n")
    _state["last"] = _state["clock"].read()  # reading /proc is not the next test's
    _state["t"] = time.perf_counter()


# ---- report ------------------------------------------------------------------------------------------------------


def report(path: Path, top: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import xdist_group_of

    rows = []  # worker, node id, wall, CPU, Java CPU, queued (a file of four columns, written before: no last two)
    for line in path.read_text(encoding="utf-8").splitlines():
        worker, nodeid, *figures = line.split("\t")
        wall, cpu, java, queued = ([float(v) for v in figures] + [float("nan")] * 2)[:4]
        rows.append((worker, nodeid, wall, cpu, java, queued))
    tables: dict[str, dict[str, list[float]]] = {
        t: defaultdict(lambda: [0.0] * 5) for t in ("workers", "groups", "modules")
    }
    for worker, nodeid, wall, cpu, java, queued in rows:
        module = nodeid.split("::", 1)[0]
        keys = {"workers": worker, "groups": xdist_group_of(Path(module).stem), "modules": module}
        for title, key in keys.items():
            for i, v in enumerate((cpu, wall, 1, java, queued)):
                tables[title][key][i] += v
    total, java_all = sum(r[3] for r in rows), sum(r[4] for r in rows)
    print(f"{len(rows)} tests, {total:.0f} CPU s in all ({total / 60:.1f} min), of which {java_all:.0f} by Java")
    print("(waited: wall less CPU less queued for a core; nan for a file written without the last two columns)")
    for title, table in tables.items():
        print(f"\n{title}: CPU s, wall s, tests, Java CPU s, queued s, waited s")
        for key, (cpu, wall, n, java, queued) in sorted(table.items(), key=lambda kv: -kv[1][0])[:top]:
            print(f"  {cpu:8.1f} {wall:8.1f} {n:5.0f} {java:8.1f} {queued:8.1f} {wall - cpu - queued:8.1f}  {key}")
    print("\ntests: CPU s, wall s, Java CPU s, queued s, waited s")
    for _, nodeid, wall, cpu, java, queued in sorted(rows, key=lambda r: -r[3])[:top]:
        print(f"  {cpu:8.2f} {wall:8.2f} {java:8.2f} {queued:8.2f} {wall - cpu - queued:8.2f}  {nodeid}")
    waited = [r for r in rows if r[2] - r[3] - r[5] > 0]
    if waited:
        print("\ntests that waited most: waited s, wall s, CPU s, queued s")
        for _, nodeid, wall, cpu, _java, queued in sorted(waited, key=lambda r: -(r[2] - r[3] - r[5]))[:top]:
            print(f"  {wall - cpu - queued:8.2f} {wall:8.2f} {cpu:8.2f} {queued:8.2f}  {nodeid}")


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
