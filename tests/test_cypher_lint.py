"""Everything sent to Neo4j is checked by Neo4j's own parser, offline.

Linted with ``@neo4j-cypher/language-support`` (``tools/cypherlint``) against
a schema built from the model: the DDL of :meth:`Model.neo4j_ddl`, every
statement :class:`Neo4jStore` generates for loads, id look-ups, counts and
subgraphs (captured through a recording driver), and every
``queries/**/*.cypher`` except ``*.embedded.cypher``.

These tests FAIL (they do not skip) when the linter is not installed: run
``npm ci --prefix tools/cypherlint``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import neo4j
import pandas as pd
import pytest

from graphkit.model import Model
from graphkit.stores import cypherlint
from graphkit.stores.cypherlint import (
    CypherLintError,
    errors,
    format_diagnostic,
    lint,
    lint_files,
    lintable,
    model_schema,
    query_files,
)
from graphkit.stores.neo4j import Neo4jStore

MODEL = Model.default()
DDL = MODEL.neo4j_ddl()
QUERY_FILES = query_files()
BROKEN = "MATCH (n RETURN n"


# ----------------------------------------------------- statements the store sends
class _Result:
    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def keys(self) -> list[str]:
        return list(self.rows[0]) if self.rows else []

    def __iter__(self):
        return (neo4j.Record(r) for r in self.rows)


class _CapturingDriver:
    """Records query texts; answers so that every code path of the store runs
    (counts of 1, so existing ids are looked up; one node found by subgraph)."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def execute_query(self, query_, parameters_=None, routing_=None, database_=None, result_transformer_=None):
        self.queries.append(query_)
        params = parameters_ or {}
        if query_.endswith("RETURN count(n) AS n"):
            rows = [{"n": 1}]
        elif query_.endswith("RETURN count(r) AS written"):
            rows = [{"written": len(params["rows"])}]
        elif "elementId(n) AS eid" in query_:
            rows = [{"label": "Person", "eid": "4:x:1", "props": {"id": "p1"}}]
        elif query_.startswith("MATCH (a)-[]-(b)"):
            rows = [{"id": "c1"}]
        else:
            rows = []
        return result_transformer_(_Result(rows))

    def close(self) -> None:
        pass


def _value(typ: str, i: int):
    import datetime as dt

    return {
        "string": f"v{i}",
        "int": i,
        "float": i + 0.5,
        "bool": True,
        "date": dt.date(2020, 1, 1 + i % 28),
        "datetime": dt.datetime(2020, 1, 1, 12, i % 60),
    }[typ]


PAIRS_PER_TYPE = 6


@functools.cache
def store_statements() -> tuple[str, ...]:
    """Every distinct statement a small load of every label and relationship pair sends.

    A relationship type joining many label pairs (the FtM importer's generic ``FTM_LINK`` / ``FTM_REF`` join
    every pair of FtM labels: 121 each) is linted on its first :data:`PAIRS_PER_TYPE` pairs: the statement
    is built by the same code for every pair and differs only in the two labels, and linting all of them
    would double the time of the whole lint."""
    driver = _CapturingDriver()
    store = Neo4jStore("neo4j://capture:7687", None, driver=driver, batch_size=2)
    store.create_schema()
    for lab in MODEL.labels.values():
        frame = pd.DataFrame([{p.name: _value(p.type, i) for p in lab.all_properties.values()} for i in range(3)])
        frame["id"] = [f"{lab.name}-{i}" for i in range(3)]
        store.upsert_nodes(lab.name, frame)
    for rel in MODEL.relationships.values():
        for source, target in rel.between[:PAIRS_PER_TYPE]:
            rows = [{p.name: _value(p.type, i) for p in rel.all_properties.values()} for i in range(3)]
            frame = pd.DataFrame(rows)
            frame["id"] = [f"{rel.name}-{source}-{target}-{i}" for i in range(3)]
            frame["from"] = [f"{source}-{i}" for i in range(3)]
            frame["to"] = [f"{target}-{i}" for i in range(3)]
            store.upsert_edges(rel.name, source, target, frame)
    store.counts()
    store.subgraph(["p1"], hops=1)
    ddl = set(DDL)
    return tuple(q for q in dict.fromkeys(driver.queries) if q not in ddl)


# ----------------------------------------------------- one Node run for everything
#: texts the tests of the linter itself read with the model's schema, linted in the module's one batch
MULTI_STATEMENT = "// mode: read\nMATCH (n:Person)\nRETURN n.id AS id;\nMATCH (m:Company RETURN m"
CLEAN, UNKNOWN, BAD_PATH = (
    "MATCH (n:Person)-[:FAMILY]->(m:Person) RETURN n.name, m.birth_date",
    "MATCH (n:Persn)-[:KNOWS]->(m) RETURN n.nmae",
    "MATCH (c:Company)-[:FAMILY]->(p:Person) RETURN c",
)
WITH_PARAMETER = "MATCH (n:Person) WHERE n.id IN $ids RETURN n.id AS id"


@functools.cache
def _linted() -> dict[str, list[dict]]:
    """Diagnostics for every text under test, linted in one batch by one Node process (raises if the linter is
    missing). One process per core had each load the linter and warm it up again, where the other core runs another
    worker's tests (a third of this batch, side by side: 22.9 CPU s in one process, 30.1 in two;
    ``bench/lint_processes.py``), and the tests of the linter itself each started one more (1.5 CPU s each). One
    process takes twice the wall time of two on an idle machine: it is given 30 minutes where a call has 10 (on this
    machine at load 26, the two processes of one per core had not finished in 10 either)."""
    texts = list(
        dict.fromkeys(
            [
                *DDL,
                *store_statements(),
                *(lintable(p.read_text(encoding="utf-8")) for p in QUERY_FILES),
                *(BROKEN, MULTI_STATEMENT, CLEAN, UNKNOWN, BAD_PATH, WITH_PARAMETER),
            ]
        )
    )
    return dict(zip(texts, lint(texts, schema=model_schema(MODEL), processes=1, timeout=1800), strict=True))


def diagnostics(text: str) -> list[dict]:
    return _linted()[text]


def _report(where: str, diags: list[dict]) -> str:
    return "\n".join(format_diagnostic(where, d) for d in diags)


# ----------------------------------------------------- the linter itself
def test_linter_is_installed():
    modules = cypherlint.TOOL_DIR / "node_modules" / cypherlint.PACKAGE
    assert modules.exists(), (
        f"{cypherlint.PACKAGE} is not installed in tools/cypherlint: run `npm ci --prefix tools/cypherlint`"
    )


def test_a_broken_query_is_reported_as_an_error():
    errs = errors(diagnostics(BROKEN))
    assert len(errs) >= 1
    assert (errs[0]["line"], errs[0]["column"]) == (1, 10)
    assert (errs[0]["start"], errs[0]["end"]) == (9, 15)
    assert "RETURN" in errs[0]["message"]


def test_positions_point_into_multi_statement_texts():
    errs = errors(diagnostics(MULTI_STATEMENT))
    assert len(errs) >= 1 and errs[0]["line"] == 4
    assert MULTI_STATEMENT[errs[0]["start"] : errs[0]["end"]] == "RETURN"


def test_names_missing_from_the_model_are_warnings_not_errors():
    clean, unknown, bad_path = (diagnostics(t) for t in (CLEAN, UNKNOWN, BAD_PATH))
    assert clean == []
    assert errors(unknown) == []
    missing = sorted(d["message"].split(" is not present")[0] for d in unknown if "is not present" in d["message"])
    assert missing == ["Label Persn", "Relationship type KNOWS", "nmae"]
    assert {d["severity"] for d in unknown} == {"warning"}
    assert errors(bad_path) == [] and len(bad_path) >= 1  # FAMILY joins Person → Person only
    # without a schema nothing is known, so nothing is flagged
    assert lint(["MATCH (n:Persn) RETURN n.nmae"], schema={}) == [[]]


def test_parameters_are_not_errors_unless_the_schema_declares_them():
    q = WITH_PARAMETER
    assert diagnostics(q) == []
    (diags,) = lint([q], schema={**model_schema(MODEL), "parameters": {"other": 1}})
    assert [d["message"] for d in errors(diags)] == ["Parameter $ids is not defined."]
    assert lint([q], schema={**model_schema(MODEL), "parameters": {"ids": []}}) == [[]]


def test_lint_of_nothing_starts_no_process(monkeypatch):
    monkeypatch.setattr(cypherlint.subprocess, "Popen", None)  # would raise if called
    assert lint([]) == []


def test_lint_files_and_the_file_selection(tmp_path):
    (tmp_path / "sub").mkdir()
    good = tmp_path / "sub" / "people.cypher"
    good.write_text("// name: people\nMATCH (n:Person) RETURN n.id AS id\n", encoding="utf-8")
    override = tmp_path / "people.neo4j.cypher"
    override.write_text("MATCH (n:Person RETURN n\n", encoding="utf-8")
    (tmp_path / "people.embedded.cypher").write_text("MATCH (n:Person) RETURN n.* \n", encoding="utf-8")
    assert query_files(tmp_path) == [override, good]
    out = lint_files(query_files(tmp_path))
    assert list(out) == [override, good]
    assert out[good] == [] and len(errors(out[override])) >= 1
    line = format_diagnostic(str(override), errors(out[override])[0])
    assert re.match(rf"{re.escape(str(override))}:1:\d+: error: ", line)


def test_cli_exits_nonzero_on_errors(tmp_path, capsys):
    bad = tmp_path / "bad.cypher"
    bad.write_text(BROKEN, encoding="utf-8")
    assert cypherlint.main([str(bad)]) == 1
    assert f"{bad}:1:10: error:" in capsys.readouterr().out


def test_a_missing_install_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(cypherlint, "TOOL_DIR", tmp_path)
    with pytest.raises(CypherLintError, match=r"npm ci --prefix tools/cypherlint"):
        lint(["RETURN 1"])
    monkeypatch.setattr(cypherlint.shutil, "which", lambda name: None)
    with pytest.raises(CypherLintError, match=r"Node\.js"):
        lint(["RETURN 1"])


# ----------------------------------------------------- what graphkit sends to Neo4j
def test_every_label_and_relationship_type_was_exercised():
    sent = " ".join(store_statements())
    for lab in MODEL.labels:
        assert f"CREATE (n:{lab} {{id: row.id" in sent
        assert f"MATCH (n:{lab}) WHERE n.id IN $ids RETURN n.id AS id" in sent
    for rel in MODEL.relationships.values():
        assert f"MATCH ()-[n:{rel.name}]->() WHERE n.id IN $ids RETURN n.id AS id" in sent
        for source, target in rel.between[:PAIRS_PER_TYPE]:
            assert (
                f"MATCH (a:{source}) WHERE a.id = row.from MATCH (b:{target}) WHERE b.id = row.to "
                f"CREATE (a)-[r:{rel.name} {{id: row.id" in sent
            )
    assert "elementId(a) IN $eids" in sent


@pytest.mark.parametrize("statement", DDL, ids=[f"ddl{i:03d}" for i in range(len(DDL))])
def test_ddl_statement_lints_clean(statement):
    diags = diagnostics(statement)
    assert errors(diags) == [], _report(statement, diags)
    assert diags == [], _report(statement, diags)  # not even a warning: every name is the model's


@pytest.mark.parametrize(
    "index", range(len(store_statements())), ids=[f"store{i:03d}" for i in range(len(store_statements()))]
)
def test_store_statement_lints_clean(index):
    statement = store_statements()[index]
    diags = diagnostics(statement)
    assert errors(diags) == [], _report(statement, diags)
    assert diags == [], _report(statement, diags)


def test_query_files_lint_without_error():
    """All of ``queries/**/*.cypher`` but ``*.embedded.cypher`` (passes on an empty folder)."""
    found = {p: diagnostics(lintable(p.read_text(encoding="utf-8"))) for p in QUERY_FILES}
    bad = {p: errors(d) for p, d in found.items() if errors(d)}
    assert bad == {}, "\n".join(_report(str(p), d) for p, d in bad.items())


if QUERY_FILES:  # one test per file, for readable reports (none while queries/ is empty)

    @pytest.mark.parametrize("path", QUERY_FILES, ids=[str(p.relative_to(p.parents[1])) for p in QUERY_FILES])
    def test_query_file_lints_without_error(path: Path):
        diags = diagnostics(lintable(path.read_text(encoding="utf-8")))
        assert errors(diags) == [], _report(str(path), diags)


def test_a_batch_split_over_processes_keeps_each_querys_diagnostics_in_place(monkeypatch):
    """A big batch goes to several Node processes (longest queries spread first): every answer comes back
    at its query's place."""
    monkeypatch.setattr(cypherlint, "MIN_PER_PROCESS", 1)
    monkeypatch.setattr(cypherlint.os, "cpu_count", lambda: 3)
    texts = ["MATCH (n:Person) RETURN n", BROKEN, "MATCH (n:Persn) RETURN n", "RETURN 1 AS one", BROKEN + " LIMIT 1"]
    out = lint(texts, schema=model_schema(MODEL))
    assert [bool(errors(d)) for d in out] == [False, True, False, False, True]
    assert out[2] and out[2][0]["severity"] == "warning" and "Persn" in out[2][0]["message"]
    assert out[0] == out[3] == []


def test_a_batch_can_be_kept_in_one_process(monkeypatch):
    """``processes=1`` lints a batch that would be split over the cores in one Node process (the linter loaded
    and warmed up once: ``bench/lint_processes.py``); ``processes=2`` in two at most.
    Node is not started here: each process is a stand-in that answers no diagnostic for each query it is given."""
    import json

    started = []

    class _Node:
        def __init__(self, args, stdin, **kw):
            self.n = len(json.load(stdin)["queries"])
            self.returncode = 0
            started.append(self.n)

        def communicate(self, timeout=None):
            return json.dumps([[]] * self.n), ""

        def poll(self):
            return 0

    monkeypatch.setattr(cypherlint.subprocess, "Popen", _Node)
    monkeypatch.setattr(cypherlint, "MIN_PER_PROCESS", 1)
    monkeypatch.setattr(cypherlint.os, "cpu_count", lambda: 3)
    texts = ["MATCH (n:Person) RETURN n", BROKEN, "RETURN 1 AS one"]
    for processes, parts in ((None, [1, 1, 1]), (1, [3]), (2, [2, 1]), (5, [1, 1, 1])):
        started.clear()
        assert lint(texts, processes=processes) == [[], [], []]
        assert sorted(started, reverse=True) == parts, processes
    for bad in (0, -1, 1.5, "2"):
        with pytest.raises(ValueError, match="processes must be a positive integer"):
            lint(texts, processes=bad)
