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
