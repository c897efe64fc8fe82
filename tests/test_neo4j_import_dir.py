"""``graphkit load … --neo4j-import-dir DIR``: header + CSV files for ``neo4j-admin database import full``.

The files are checked against the embedded store loaded from the same city, then imported for real with
the importer from the same Maven artifacts (``tools/neo4j/run.sh import``, ``org.neo4j:neo4j-import-tool``
5.26.12), the database started, its schema made, and its counts compared.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BRIEF_JVM, NEO4J_RUN, neo4j_start

from graphkit.stores.embedded import EmbeddedStore
from graphkit.stores.import_dir import Neo4jImportDir
from loaders.engine import load_dir

GRAPHKIT = Path(sys.executable).with_name("graphkit")


#: a title that spans two lines (the loaders fold line breaks in source cells, so it is written here): the
#: one file holding it is read as multi-line, every other file not
TITLE = "道路养护\n二期"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    from fixture_city import write_city

    base = tmp_path_factory.mktemp("import-dir")
    write_city(base / "city")
    return base


@pytest.fixture(scope="module")
def import_dir(work):
    """The fixture city as ``graphkit load --neo4j-import-dir`` writes it (once for the module; tests that
    change the import write their own files beside it)."""
    out = work / "import"
    done = subprocess.run(
        [str(GRAPHKIT), "load", str(work / "city"), "--neo4j-import-dir", str(out), "--report", str(work / "r.json")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def embedded_counts(work):
    with EmbeddedStore(work / "g.db") as s:
        load_dir(work / "city", s)
        return s.counts()


def _data_rows(files: list[Path]) -> int:
    rows = 0
    for p in files:
        with p.open(encoding="utf-8", newline="") as f:
            rows += sum(1 for _ in csv.reader(f)) - 1
    return rows


def test_files_hold_what_the_store_would(import_dir, embedded_counts):
    for label, n in embedded_counts["nodes"].items():
        files = sorted((import_dir / "nodes").glob(f"{label}.*.csv"))
        assert _data_rows(files) == n, label
        for f in files:
            assert f.read_text("utf-8").splitlines()[0].startswith(f'"id:ID({label})"')
    for rtype, n in embedded_counts["relationships"].items():
        files = sorted((import_dir / "relationships").glob(f"{rtype}.*.csv"))
        assert _data_rows(files) == n, rtype
    args = (import_dir / "import.args").read_text("utf-8").splitlines()
    groups = [a.split("=", 2)[-1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    listed = {Path(p) for g in groups for p in g.split(",")}
    written = [*(import_dir / "nodes").glob("*.csv"), *(import_dir / "relationships").glob("*.csv")]
    assert listed == {p.resolve() for p in written}
    # the loaders fold line breaks, so no file is read as multi-line: the importer reads them all in parallel
    assert not [a for a in args if a.startswith("--multiline")]
    assert (import_dir / "quarantine.csv").exists()  # the load's quarantine, beside (not an import file)
    assert "CREATE CONSTRAINT person_id" in (import_dir / "schema.cypher").read_text("utf-8")


def test_the_load_says_it_wrote_files_and_what_to_do_with_them(work, tmp_path, monkeypatch):
    """The load into an import folder ended "created N nodes and relationships", as into a store, and said nothing
    of importing them or of schema.cypher: a database imported and started that way had no constraint and no index
    (0 constraints where a load into a store makes 24), and no command said so."""
    monkeypatch.setenv("GRAPHKIT_LANG", "en")  # the load console's English words
    out = tmp_path / "import"
    done = subprocess.run(
        [str(GRAPHKIT), "load", str(work / "city"), "--neo4j-import-dir", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "\ncreated " not in "\n" + done.stdout
    assert re.search(r"wrote [\d,]+ nodes and [\d,]+ relationships into import files", done.stdout), done.stdout
    said = [line for line in done.stderr.splitlines() if line.startswith("next: ")]
    assert len(said) == 1, done.stderr
    assert f"@{out / 'import.args'} neo4j" in said[0] and f"run {out / 'schema.cypher'} once" in said[0], said[0]


def test_an_earlier_import_is_not_mixed_in(import_dir):
    from graphkit.stores.base import StoreError

    with pytest.raises(StoreError, match="already holds files"):
        Neo4jImportDir(import_dir)


@pytest.mark.neo4j
def test_neo4j_admin_imports_it_and_the_server_counts_the_same(import_dir, embedded_counts, tmp_path, neo4j_server):
    import pandas as pd

    from graphkit.stores.neo4j import Neo4jStore

    # one more file, with a value on two lines: named in --multiline-fields (format v2); the import reads
    # import.args with it added, written beside the module's
    extra = pd.DataFrame({"id": ["T-ML"], "title": [TITLE]})
    with Neo4jImportDir(tmp_path / "extra") as more:
        more.upsert_nodes("Tender", extra)
    args = (import_dir / "import.args").read_text("utf-8").splitlines()
    more_args = (tmp_path / "extra" / "import.args").read_text("utf-8").splitlines()
    tender = next(i for i, a in enumerate(args) if a.startswith("--nodes=Tender="))
    args[tender] += "," + next(a for a in more_args if a.startswith("--nodes=Tender=")).split("=", 2)[2]
    args = [a for a in more_args if a.startswith("--multiline")] + args
    (tmp_path / "import.args").write_text("\n".join(args) + "\n", "utf-8")
    expected = json.loads(json.dumps(embedded_counts))
    expected["nodes"]["Tender"] += 1

    env = {**os.environ, **BRIEF_JVM, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": neo4j_server.password or "graphkit-test"}
    data, run_dir, here = tmp_path / "data", tmp_path / "run", tmp_path / "here"
    here.mkdir()
    done = subprocess.run(
        [str(NEO4J_RUN), "import", "--data", str(data), str(tmp_path / "import.args")],
        env=env,
        capture_output=True,
        text=True,
        cwd=here,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # neo4j-admin's report goes into the data folder, not the folder it was run from (an empty import.report
    # had been committed at the repository's root)
    assert (data / "import.report").is_file() and not list(here.iterdir())
    started = subprocess.run(
        neo4j_start(run_dir, "--data", str(data)),
        env=env,
        capture_output=True,
        text=True,
    )
    assert started.returncode == 0, started.stderr
    try:
        uri = started.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")
        store = Neo4jStore(uri, ("neo4j", env["NEO4J_PASSWORD"]))
        try:
            store.create_schema()
            assert json.dumps(store.counts(), sort_keys=True) == json.dumps(expected, sort_keys=True)
            sample = store.run("MATCH (b:Bid {id: 'B1'}) RETURN b.submit_time AS t, b.price AS p, b.is_winner AS w")
            assert sample.to_dict("records")[0]["w"] is True
            assert store.run("MATCH (t:Tender {id: 'T-ML'}) RETURN t.title AS t")["t"].tolist() == [TITLE]
        finally:
            store.close()
    finally:
        subprocess.run([str(NEO4J_RUN), "stop", "--run-dir", str(run_dir)], env=env, capture_output=True)


def test_files_without_line_breaks_are_not_read_as_multi_line(tmp_path):
    import pandas as pd

    with Neo4jImportDir(tmp_path / "import") as out:
        out.upsert_nodes("Tender", pd.DataFrame({"id": ["T-1", "T-2"], "title": ["一期", None]}))
    args = (tmp_path / "import" / "import.args").read_text("utf-8").splitlines()
    assert not [a for a in args if a.startswith("--multiline")]
    with Neo4jImportDir(tmp_path / "again") as out:
        out.upsert_nodes("Tender", pd.DataFrame({"id": ["T-1"], "title": ["一期\r二期"]}))
    args = (tmp_path / "again" / "import.args").read_text("utf-8").splitlines()
    assert f"--multiline-fields={(tmp_path / 'again' / 'nodes' / 'Tender.0.csv').resolve()}" in args
