from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from tqdm import tqdm

# no tqdm monitor thread in the tests either (library calls open bars without the CLI): its race with bars of
# other threads ("Set changed size during iteration", tqdm/tqdm#481) failed a test as an unhandled thread exception
tqdm.monitor_interval = 0

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# xdist runs a worker per core, and scikit-learn's gradient boosting (OpenMP) and OpenBLAS start a thread per core
# in each worker, which spin against the other workers' (test_collusion_segment, test_collusion_scorer and
# test_collusion_unsupervised on 2 workers: 97 s, 66 s with one thread each). Each worker gets its share of the
# cores, set before those libraries load (subprocesses, notebook kernels included, inherit it); a value already
# in the environment is kept.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(_var, str(max(1, (os.cpu_count() or 1) // _WORKERS)))
sys.path.insert(0, str(Path(__file__).parent))

#: starts and stops Neo4j Community in-process (tools/neo4j/README.md)
NEO4J_RUN = ROOT / "tools" / "neo4j" / "run.sh"
#: JVM options for a Neo4j a test starts for seconds (``run.sh import``, a second server it stops again): the JIT's
#: quick compiler only. The optimising one (C2) takes a third of a start's CPU and never pays back in a JVM that
#: lives so briefly (``python bench/neo4j_cpu.py tests/test_bulk_handles.py``: the server's CPU 52.0 s by default,
#: 29.5 s with C1 only). The session's server keeps the default: on the parity tests' 10,000-person city its
#: queries took 55.8 s of CPU with C2 and 96.5 s without, the run 210 s against 241 s (``python
#: bench/neo4j_cpu.py tests/test_parity_neo4j.py tests/test_risk_neo4j.py``).
BRIEF_JVM = {"NEO4J_JVM_OPTS": os.environ.get("NEO4J_JVM_OPTS", "-XX:TieredStopAtLevel=1")}


def neo4j_start(run_dir: Path, *more: str) -> list[str]:
    """``run.sh start`` of a Neo4j the tests start: without APOC (``--no-plugins``), which graphkit never calls
    (``test_neo4j_integration``): registering its procedures was CPU of every start (``python
    bench/neo4j_start.py``)."""
    return [str(NEO4J_RUN), "start", "--no-plugins", "--run-dir", str(run_dir), *more]


#: the password of the tests' own Neo4j (``run.sh``'s default); a server named by NEO4J_URI uses NEO4J_PASSWORD
NEO4J_TEST_PASSWORD = "graphkit-test"


@pytest.fixture
def store(tmp_path):
    from graphkit.stores.embedded import EmbeddedStore

    s = EmbeddedStore(tmp_path / "g.db")
    s.create_schema()
    yield s
    s.close()


@pytest.fixture
def city(tmp_path):
    from fixture_city import write_city

    return write_city(tmp_path / "city")


@pytest.fixture(scope="session")
def _city_loaded_once(tmp_path_factory):
    """The fixture city loaded into an embedded store once per worker (closed): its folder, the store's folder and
    name, and the load's ``(report, unknown)`` pickled, for :func:`loaded_city`."""
    import pickle

    from fixture_city import write_city

    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir

    root = tmp_path_factory.mktemp("city_loaded_once")
    folder = write_city(root / "city")
    s = EmbeddedStore(root / "g.db")
    try:
        loaded = load_dir(folder, s)
    finally:
        s.close()
    return folder, root, "g.db", pickle.dumps(loaded)


def copy_loaded_city(once, db: Path) -> Path:
    """``db``, a copy of the store :func:`_city_loaded_once` loaded (closed: the caller opens it)."""
    _, root, name, _ = once
    db.parent.mkdir(parents=True, exist_ok=True)
    for part in root.iterdir():  # the store and whatever Ladybug keeps beside it
        if part.name.startswith(name):
            copy = shutil.copytree if part.is_dir() else shutil.copy2
            copy(part, db.parent / (db.name + part.name[len(name) :]))
    return db


@pytest.fixture
def loaded_city(tmp_path, _city_loaded_once):
    """``(city, store, report, unknown)``: the fixture city's folder (shared: read, never write it) and a copy of its
    one load of the worker, open, the test's own to read or change, with that load's report. A test that only reads
    what ``load_dir(city, store)`` made took a load of its own (1.3 CPU s; a copy and an open take 0.25)."""
    import pickle

    from graphkit.stores.embedded import EmbeddedStore

    s = EmbeddedStore(copy_loaded_city(_city_loaded_once, tmp_path / "loaded_city" / "g.db"))
    report, unknown = pickle.loads(_city_loaded_once[3])
    yield _city_loaded_once[0], s, report, unknown
    s.close()


@pytest.fixture(scope="session")
def notebook_out(tmp_path_factory):
    """The folder the notebooks write to (``GRAPHKIT_NOTEBOOK_OUT``) for the whole session: the browser test
    runs them in JupyterLab there, then ``test_notebooks`` runs them again in the same folder, so every
    notebook runs twice over one folder (its second run finds the first one's store, ledger and files)."""
    return tmp_path_factory.mktemp("notebook_out")


def notebooks_ran(folder: Path) -> set[str]:
    """The notebooks (file names) that ran without error in ``folder`` this session."""
    path = folder / "ran.json"
    return set(json.loads(path.read_text("utf-8"))) if path.exists() else set()


def notebook_ran(folder: Path, names: list[str]) -> None:
    """Record that the notebooks ``names`` ran without error in ``folder``."""
    (folder / "ran.json").write_text(json.dumps(sorted(notebooks_ran(folder) | set(names))), "utf-8")


@dataclass(frozen=True)
class Neo4jServer:
    """The Neo4j the ``neo4j``-marked tests run against.

    ``owned`` is true for the server this test session started (a temporary database the
    tests may wipe), false for one named by ``NEO4J_URI`` (tests must not wipe it)."""

    uri: str
    user: str
    password: str | None
    owned: bool

    def driver(self):
        """A new driver for this server (the caller closes it)."""
        from neo4j import GraphDatabase

        return GraphDatabase.driver(self.uri, auth=(self.user, self.password) if self.password else None)

    def node_count(self) -> int:
        """Nodes in the ``neo4j`` database."""
        with self.driver() as d:
            return d.execute_query("MATCH (n) RETURN count(n) AS n", database_="neo4j").records[0]["n"]

    def wipe(self) -> None:
        """Delete every node and relationship (constraints and indexes stay), in batches."""
        if not self.owned:
            raise RuntimeError(f"will not wipe {self.uri}: this test session did not start it")
        with self.driver() as d, d.session(database="neo4j") as s:
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def _no_neo4j(reason: str) -> None:
    """Skip (a machine without Java or Maven) but fail in CI, where the Neo4j tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the Neo4j tests: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j for the session: the one at ``NEO4J_URI`` if set, else Neo4j Community 5.26 started
    in-process by ``tools/neo4j/run.sh`` (built with Maven on first use) and stopped at the end.

    Sets ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` for the session, so ``open_store`` and the
    CLI reach it. Skipped with the reason where Java 17 or Maven is missing (failed in CI)."""
    if os.environ.get("NEO4J_URI"):
        yield Neo4jServer(
            os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER") or "neo4j", os.environ.get("NEO4J_PASSWORD"), False
        )
        return
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        _no_neo4j(f"no {' or '.join(missing)} on PATH: Neo4j is started in-process with Java 17 and Maven")
    run_dir = tmp_path_factory.mktemp("neo4j")
    user, password = "neo4j", os.environ.get("NEO4J_PASSWORD") or NEO4J_TEST_PASSWORD
    env = {**os.environ, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
    started = subprocess.run(neo4j_start(run_dir), env=env, capture_output=True, text=True, timeout=900)
    if started.returncode:
        subprocess.run([str(NEO4J_RUN), "stop", "--run-dir", str(run_dir)], env=env, capture_output=True, timeout=120)
        tail = "\n".join((started.stdout + started.stderr).splitlines()[-30:])
        if "Java 17 or newer is needed" in started.stderr:
            _no_neo4j(started.stderr.strip())
        pytest.fail(f"tools/neo4j/run.sh start failed:\n{tail}", pytrace=False)
    uri = started.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")
    patch = pytest.MonkeyPatch()
    patch.setenv("NEO4J_URI", uri)
    patch.setenv("NEO4J_USER", user)
    patch.setenv("NEO4J_PASSWORD", password)
    try:
        yield Neo4jServer(uri, user, password, True)
    finally:
        patch.undo()
        subprocess.run([str(NEO4J_RUN), "stop", "--run-dir", str(run_dir)], env=env, capture_output=True, timeout=120)


@pytest.fixture(autouse=True)
def _neo4j_marked(request):
    """Every ``neo4j``-marked test gets the session's server (or its skip reason)."""
    if request.node.get_closest_marker("neo4j") is not None:
        request.getfixturevalue("neo4j_server")


@pytest.fixture
def neo4j_empty(neo4j_server):
    """The server's database emptied before the test (only the session's own server; a server named by
    NEO4J_URI that holds data skips the test instead)."""
    if neo4j_server.owned:
        neo4j_server.wipe()
    elif neo4j_server.node_count():
        pytest.skip(f"the Neo4j database at {neo4j_server.uri} is not empty; this test needs it empty")
    return neo4j_server


@pytest.fixture
def neo4j_own_user(neo4j_server):
    """(user, password) of a user of the test's own on the session's server, dropped after it. Three wrong
    passwords in a row lock a user for a few seconds (``dbms.security.auth_max_failed_attempts``): a test that
    sends wrong ones as ``neo4j`` failed the connections of the tests running beside it (CI, 2026-12-02)."""
    import uuid

    user, password = f"gk_user_{uuid.uuid4().hex[:8]}", "the-right-pw-1"
    with neo4j_server.driver() as d:
        create = f"CREATE USER {user} SET PASSWORD $pw CHANGE NOT REQUIRED"
        d.execute_query(create, {"pw": password}, database_="system")
    yield user, password
    with neo4j_server.driver() as d:
        d.execute_query(f"DROP USER {user}", database_="system")


#: modules run one after the other on one worker when the suite runs on several (pytest-xdist): the browser
#: test and the notebooks share the session's notebook folder
_GROUPS = {"test_browser": "notebooks", "test_notebooks": "notebooks"}


@functools.cache
def _neo4j_modules() -> frozenset[str]:
    """The test modules with a Neo4j-marked test (read from their text: the scheduler runs before any
    collection)."""
    here = Path(__file__).parent
    return frozenset(p.stem for p in here.glob("test_*.py") if "mark.neo4j" in p.read_text(encoding="utf-8"))


def xdist_group_of(module: str) -> str:
    """The unit of work a module belongs to: ``neo4j`` for every module with a Neo4j test (one worker,
    one server), ``notebooks`` for the browser test and the notebooks, else the module itself (its module
    fixtures, a city or a store, are built once)."""
    return "neo4j" if module in _neo4j_modules() else _GROUPS.get(module, module)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's scheduler, by :func:`xdist_group_of`: each group goes to one worker as a whole, the longest
    (Neo4j, notebooks) first. xdist's own ``loadgroup`` cannot do it under pytest 9.2: it renames node ids
    through an attribute pytest no longer reads, and so it spreads a module over workers."""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group_of(Path(nodeid.split("::", 1)[0]).stem)

    # the groups go out in the collection's order (pytest_collection_modifyitems below). xdist's own reorder (on by
    # default) sorts them by their number of tests instead: the Neo4j group went out third, after test_paths and
    # test_cypher_lint (926 and 422 quick tests), and the notebooks 34th of 58 groups (12 tests, minutes long)
    config.option.loadscopereorder = False
    return GroupScheduling(config, log)


#: modules run last in their group: the parity tests leave their 10,000-person city in the session's Neo4j
#: (wiping it takes seconds; the server's temporary database goes at the session's end, and any test that needs
#: the database empty wipes it first: ``neo4j_empty``)
_LAST = frozenset({"test_parity_neo4j"})


def pytest_collection_modifyitems(config, items):
    """The two longest groups (Neo4j, notebooks) first, so that each worker starts on one of them and the rest
    fills in after, the groups with more tests first (xdist's own order); :data:`_LAST` last in its group. A
    stable sort: within a group and within a module, the order stays the collection's."""
    first = {"neo4j": 0, "notebooks": 1}

    def module(item) -> str:  # a doctest item (``--doctest-modules``) has no ``module``: its file's stem
        return item.module.__name__ if getattr(item, "module", None) is not None else item.path.stem

    sizes = Counter(xdist_group_of(module(item)) for item in items)

    def key(item):
        group = xdist_group_of(module(item))
        rank = first.get(group, 2)
        return rank, -sizes[group] if rank == 2 else 0, group, module(item) in _LAST

    items.sort(key=key)


@pytest.fixture
def cli():
    """``graphkit ARGS`` in-process (click's runner), arguments as strings; the process's umask restored after
    (the command sets it)."""
    from graphkit.cli import main

    mask = os.umask(0o022)
    os.umask(mask)
    runner = CliRunner()
    yield lambda *args: runner.invoke(main, [str(a) for a in args])
    os.umask(mask)


@pytest.fixture
def ctrl_c_as_at_a_terminal():
    """SIGINT as a terminal gives it while the test runs: Python's handler (KeyboardInterrupt) in this process, and
    the default in a command the test starts (Python puts its handler in place as it starts).

    A pytest started in the background by a script (``pytest … &``, ``nohup pytest … &``: the shell has it ignore
    SIGINT, so that a Ctrl-C at the script's terminal does not stop it) ran these tests with SIGINT ignored, and so
    did the commands they started: the SIGINT a test sent was dropped, the command ran to its end and exited 0 (the
    Ctrl-C tests failed under ``pytest -n 3``, put down to CPU contention); a worker where an earlier test had run a
    notebook passed them (nbclient's event loop leaves Python's handler in place). The tests that send SIGINT use
    this fixture."""
    import signal

    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if before is not None:  # None: a handler not put in place from Python, which Python cannot put back
            signal.signal(signal.SIGINT, before)
