"""The order in which ``make test`` hands the suite's groups to its workers (``tests/conftest.py``'s scheduler for
pytest-xdist), checked on xdist's own scheduler with two stand-in workers."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import pytest_collection_modifyitems, pytest_xdist_make_scheduler, xdist_group_of


class Worker:
    """What the scheduler asks of a worker: the tests it is sent (indexes into its collection)."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False
        self.sent: list[list[int]] = []

    def send_runtest_some(self, indexes: list[int]) -> None:
        self.sent.append(list(indexes))

    def shutdown(self) -> None:
        self.shutting_down = True


def _collection(counts: dict[str, int]) -> list[str]:
    """The node ids of ``counts`` tests per module, in the order the suite's collection hook leaves them."""
    items = [
        SimpleNamespace(nodeid=f"tests/{module}.py::test_{i}", module=SimpleNamespace(__name__=module))
        for module, n in sorted(counts.items())
        for i in range(n)
    ]
    pytest_collection_modifyitems(None, items)
    return [item.nodeid for item in items]


def test_each_worker_starts_on_one_of_the_two_longest_groups_and_the_rest_follows_by_size():
    """xdist's scheduler sorts the groups by their number of tests (its ``--loadscope-reorder``, on by default):
    the suite's Neo4j group (305 tests) went out third, after test_paths (926 quick tests) and test_cypher_lint
    (422), and the notebooks (12 tests, minutes in JupyterLab and nbclient) 34th of 58 groups, near the end, so the
    Neo4j worker started late and the notebooks ran in a tail. Each worker now starts on one of them."""
    counts = {
        "test_paths": 926,
        "test_cypher_lint": 422,
        "test_wheel": 1,
        "test_browser": 1,
        "test_notebooks": 11,
        "test_parity_neo4j": 2,
        "test_neo4j_store": 43,
        "test_loaders_robust": 103,
    }
    ids = _collection(counts)
    config = SimpleNamespace(getvalue=lambda name: ["2*popen"], option=SimpleNamespace(loadscopereorder=True))
    sched = pytest_xdist_make_scheduler(config, None)
    workers = [Worker("gw0"), Worker("gw1")]
    for w in workers:
        sched.add_node(w)
    for w in workers:
        sched.add_node_collection(w, ids)
    sched.schedule()

    def groups(w: Worker) -> list[str]:
        return [xdist_group_of(ids[batch[0]].split("/")[1].split(".py")[0]) for batch in w.sent]

    assert [groups(w)[0] for w in workers] == ["neo4j", "notebooks"], [groups(w) for w in workers]
    # a group goes out whole, the parity city's module last in the Neo4j group, the browser before the notebooks
    neo4j = [ids[i] for i in workers[0].sent[0]]
    assert len(neo4j) == 45 and neo4j[-2:] == [f"tests/test_parity_neo4j.py::test_{i}" for i in (0, 1)]
    assert ids[workers[1].sent[0][0]] == "tests/test_browser.py::test_0" and len(workers[1].sent[0]) == 12
    # the rest waits, by size as xdist orders it, for the first worker near the end of its group
    assert [len(w.sent) for w in workers] == [1, 1]
    assert list(sched.workqueue) == ["test_paths", "test_cypher_lint", "test_loaders_robust", "test_wheel"]


def test_the_bench_sums_each_groups_durations_and_schedules_them_in_order():
    """``bench/suite_groups.py`` reads a ``--durations=0`` report into seconds per group (every Neo4j module in one)
    and the wall time of handing the groups out in an order."""
    from bench_modules import load_bench

    bench = load_bench("suite_groups")
    log = """============================= slowest durations =============================
30.00s setup    tests/test_parity_neo4j.py::test_same_answer_from_both_stores[paths]
12.50s call     tests/test_neo4j_store.py::test_a
2.00s teardown tests/test_neo4j_store.py::test_a
9.00s call     tests/test_browser.py::test_notebooks_in_jupyterlab
1.00s call     tests/test_notebooks.py::test_notebook_is_stripped_and_runs_twice[01_quickstart.ipynb]
4.00s call     tests/test_paths.py::test_neighbourhood_equals_networkx[batched-A-1-None-50-0]
(120 durations < 0.005s hidden.  Use -vv to show these durations.)
"""
    seconds = bench.group_seconds(log)
    assert seconds == {"neo4j": 44.5, "notebooks": 10.0, "test_paths": 4.0}
    assert bench.wall(["neo4j", "notebooks", "test_paths"], seconds, 2) == (
        44.5,
        [["neo4j"], ["notebooks", "test_paths"]],
    )
    # the long group last: a worker waits for it
    assert bench.wall(["test_paths", "notebooks", "neo4j"], seconds, 2)[0] == 48.5


def _nested_env(root) -> dict[str, str]:
    """The environment of a pytest run inside a test: bench/ importable, and none of xdist's worker variables, which a
    worker of ``make test`` (``-n auto``) passed on: the inner run took itself for worker gw0 and its rows said so
    (``test_suite_cpu_tells_a_test_that_waits_from_one_that_works`` failed in every run on several workers)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")}
    return {**env, "PYTHONPATH": os.pathsep.join((str(root / "bench"), str(root)))}


def test_suite_cpu_tells_a_test_that_waits_from_one_that_works(tmp_path):
    """``bench/suite_cpu.py``'s rows gave wall and CPU alone: on a machine shared with other work, a test queued for
    a core looked like one that waited (``graphkit demo``: 95 s of wall for 26 CPU s, none of it waiting). Each row
    now says the seconds its processes queued for a core and the Java servers' share of its CPU, and the report the
    seconds it waited: wall less CPU less queued."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (tmp_path / "test_two.py").write_text(
        "import time\n\n"
        "def test_sleeps():\n    time.sleep(0.6)\n\n"
        "def test_works():\n    t = time.process_time()\n    while time.process_time() - t < 0.6:\n        pass\n",
        encoding="utf-8",
    )
    out = tmp_path / "cpu.tsv"
    env = _nested_env(root)
    args = ["-p", "suite_cpu", f"--cpu-out={out}", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "test_two.py"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split("\t")[1]: line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()}
    assert sorted(rows) == ["test_two.py::test_sleeps", "test_two.py::test_works"], rows
    for name, row in rows.items():
        assert len(row) == 6 and row[0] == "main", row
        wall, cpu, java, queued = map(float, row[2:])
        assert java == 0 and queued >= 0, row
        if name.endswith("sleeps"):
            assert cpu < 0.3 and wall - cpu - queued >= 0.5, row
        else:
            assert cpu >= 0.6 and wall - cpu - queued < 0.3, row
    report = subprocess.run(
        [sys.executable, str(root / "bench" / "suite_cpu.py"), "report", str(out)], capture_output=True, text=True
    )
    assert report.returncode == 0, report.stderr
    waited = report.stdout.split("tests that waited most: waited s, wall s, CPU s, queued s\n")[1].splitlines()
    assert waited[0].split()[-1] == "test_two.py::test_sleeps", report.stdout


def test_suite_cpu_counts_a_process_living_across_tests_once(tmp_path):
    """A process a module's fixture started and stopped after its last test (the browser module's JupyterLab, its
    kernels) was counted as it ran, then again in full in the test where it ended, once waited for: the browser
    module's last test showed 100 CPU s where it spent 33. And a process its child had waited for (a kernel
    JupyterLab stopped) was counted only when the child ended. Here a module's child waits for a grandchild that
    burns 0.5 CPU s, burns 0.5 itself and lives on through the module's two tests: both in the first, once."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5:\n    pass\n"
    (tmp_path / "burn.py").write_text(burn, encoding="utf-8")
    (tmp_path / "child.py").write_text(
        "import runpy, subprocess, sys, time\n"
        "subprocess.run([sys.executable, sys.argv[2]], check=True)\n"  # the grandchild, waited for
        "runpy.run_path(sys.argv[2])\n"
        "open(sys.argv[1], 'w').close()\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    (tmp_path / "test_lives_on.py").write_text(
        "import subprocess, sys, time\nfrom pathlib import Path\nimport pytest\n\n"
        "HERE = Path(__file__).parent\n\n"
        "@pytest.fixture(scope='module')\n"
        "def child(tmp_path_factory):\n"
        "    ready = tmp_path_factory.mktemp('c') / 'ready'\n"
        "    proc = subprocess.Popen([sys.executable, str(HERE / 'child.py'), str(ready), str(HERE / 'burn.py')])\n"
        "    yield ready, proc\n"
        "    proc.terminate()\n"
        "    proc.wait()\n\n"
        "def test_first(child):\n"
        "    ready, proc = child\n"
        "    while not ready.exists():\n"
        "        assert proc.poll() is None\n"
        "        time.sleep(0.05)\n\n"
        "def test_second(child):\n"
        "    time.sleep(0.2)\n",
        encoding="utf-8",
    )
    out = tmp_path / "cpu.tsv"
    env = _nested_env(root)
    args = ["-p", "suite_cpu", f"--cpu-out={out}", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "test_lives_on.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split("\t")[1]: float(line.split("\t")[3]) for line in out.read_text(encoding="utf-8").splitlines()}
    first, second = rows["test_lives_on.py::test_first"], rows["test_lives_on.py::test_second"]
    assert first >= 0.95 and second < 0.3 and first + second < 1.4, rows


def test_suite_cpu_queued_seconds_never_fall_when_a_thread_ends(tmp_path):
    """``bench/suite_cpu.py``'s queued column went negative: a process's run delay was the sum over the threads
    alive at a reading, so a thread that had queued and then ended took its seconds out of the next reading (a Node
    linter's, a kernel's worker threads). Here a child pinned to one core runs three threads that queue for it, then
    ends them and lives on: the seconds they queued stay counted."""
    import subprocess
    import sys
    import time

    from bench_modules import load_bench

    suite_cpu = load_bench("suite_cpu")
    child = (
        "import hashlib, os, sys, threading, time\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "data = bytes(1 << 20)\n"
        "def burn():\n"  # hashing a big buffer lets go of the GIL: the threads queue for the core, not for the GIL
        "    t = time.monotonic()\n"
        "    while time.monotonic() - t < 1.5:\n"
        "        hashlib.sha256(data).digest()\n"
        "threads = [threading.Thread(target=burn) for _ in range(3)]\n"
        "for t in threads: t.start()\n"
        "print('started', flush=True)\n"
        "for t in threads: t.join()\n"
        "print('ended', flush=True)\n"
        "time.sleep(30)\n"
    )
    clock = suite_cpu.CpuClock(None)
    before = clock.read()[2]
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "started\n"
        time.sleep(1.0)
        during = clock.read()[2]
        assert proc.stdout.readline() == "ended\n"
        after = clock.read()[2]
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    assert suite_cpu._spent(before, during) >= 0.3, during  # three threads on one core: each queues 2/3 of a second
    assert suite_cpu._spent(during, after) >= 0, (during, after)
