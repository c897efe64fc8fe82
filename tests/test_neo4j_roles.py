"""docker/neo4j_roles.py on the real server, and what stands in for roles on Neo4j Community.

The session's server is Neo4j Community: the script creates both users, reports the server's refusal of
``GRANT ROLE`` and exits 3; the analyst can log in and read.

Two things refuse writes on Community, both checked here on a real server:

- a **read-only database** (``server.databases.read_only=neo4j``, ``tools/neo4j/run.sh start --read-only``):
  a second in-process server on its own data folder, holding the fixture city (imported offline with
  ``neo4j-admin``), started read-only. Every user reads and nobody writes; ``graphkit stats`` works there and
  ``graphkit load`` stops with one line.
- a **viewer's store** (``open_store(uri, read_only=True)``, what ``graphkit --read-only`` and every reading
  command open): each statement goes in a READ transaction, and the session's own (writable) server
  refuses to write in it. That guards against mistakes, not against a user with a driver of their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import BRIEF_JVM, NEO4J_RUN, ROOT, neo4j_start
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError

pytestmark = pytest.mark.neo4j

SCRIPT = ROOT / "docker" / "neo4j_roles.py"
GRAPHKIT = Path(sys.executable).with_name("graphkit")
PASSWORDS = {"GRAPHKIT_ANALYST_PASSWORD": "analyst-pass-1", "GRAPHKIT_LOADER_PASSWORD": "loader-pass-1"}
ANALYST = ("analyst", PASSWORDS["GRAPHKIT_ANALYST_PASSWORD"])
#: what Neo4j 5.26 answers a write to a database in server.databases.read_only
READ_ONLY_DATABASE = "Neo.ClientError.General.WriteOnReadOnlyAccessDatabase"
#: what it answers a write in a transaction opened with READ access
READ_ACCESS = "Neo.ClientError.Statement.AccessMode"


def roles(uri: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--uri", uri], env={**env, **PASSWORDS}, capture_output=True, text=True
    )


def edition(uri: str, auth: tuple[str, str]) -> str:
    with GraphDatabase.driver(uri, auth=auth) as d:
        return d.execute_query("CALL dbms.components() YIELD edition RETURN edition").records[0]["edition"]


def graphkit(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(GRAPHKIT), *args], env=env, capture_output=True, text=True, timeout=600)


def test_roles_script_creates_the_users_and_says_what_community_cannot(neo4j_server):
    done = roles(neo4j_server.uri, dict(os.environ))
    admin = (neo4j_server.user, neo4j_server.password)
    assert "user analyst (analyst) ready" in done.stdout and "user loader (loader) ready" in done.stdout
    with GraphDatabase.driver(neo4j_server.uri, auth=ANALYST) as d:
        assert d.execute_query("MATCH (n) RETURN count(n) AS n", database_="neo4j").records[0]["n"] >= 0
    if edition(neo4j_server.uri, admin) == "community":
        assert done.returncode == 3, done.stderr
        assert "Neo.ClientError.Statement.UnsupportedAdministrationCommand" in done.stderr
        assert "Unsupported administration command: GRANT ROLE reader TO analyst" in done.stderr
    else:  # Enterprise: the built-in roles hold
        assert done.returncode == 0, done.stderr
        with GraphDatabase.driver(neo4j_server.uri, auth=ANALYST) as d:
            with pytest.raises(ClientError):
                d.execute_query("CREATE (:Person {id: 'gk-roles-probe'})", database_="neo4j")


# ------------------------------------------------------------------------------- a viewer's store
def test_a_viewers_store_is_refused_writes_by_the_server(neo4j_server):
    """``read_only=True`` sends every statement as a read; the (writable) server refuses the writes."""
    from graphkit.stores import StoreError, open_store

    probe = "gk-viewer-probe"
    viewer = open_store(neo4j_server.uri, read_only=True)
    try:
        assert viewer.run("MATCH (n) RETURN count(n) AS n")["n"].iloc[0] >= 0  # reads work
        with pytest.raises(StoreError, match=READ_ACCESS):
            viewer.run("CREATE (:Person {id: $id})", id=probe)
        with pytest.raises(StoreError, match=READ_ACCESS):
            viewer.upsert_nodes("Person", pd.DataFrame({"id": [probe], "name": ["x"]}))
        with pytest.raises(StoreError, match=READ_ACCESS):
            viewer.create_schema()
    finally:
        viewer.close()
    with neo4j_server.driver() as d:
        assert not d.execute_query("MATCH (n {id: $id}) RETURN n", {"id": probe}, database_="neo4j").records


# ------------------------------------------------------------------------------- a read-only database
@pytest.fixture(scope="module")
def read_only_server(neo4j_server, tmp_path_factory):
    """A second in-process server on its own data folder, started read-only on a database written before (a
    new database served read-only is reported unavailable): the fixture city as ``graphkit load
    --neo4j-import-dir`` writes it, imported by ``neo4j-admin database import full`` (``run.sh import``), the
    way a large graph is built offline before analysts read it. Then the roles script makes the users (the
    system database stays writable). One server start, not two: a start costs tens of seconds here."""
    from fixture_city import write_city

    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir

    if not neo4j_server.owned:
        pytest.skip("the read-only server is started in-process; NEO4J_URI names a server of its own")
    base = tmp_path_factory.mktemp("neo4j-ro")
    city = write_city(base / "city")
    data, run_dir = base / "data", base / "run"
    env = {**os.environ, **BRIEF_JVM, "NEO4J_USER": neo4j_server.user, "NEO4J_PASSWORD": neo4j_server.password}
    env.pop("NEO4J_URI", None)  # the session's server is not this one
    env["GRAPHKIT_AUDIT"] = str(base / "graphkit.audit.jsonl")
    seconds: dict[str, float] = {}

    def timed(step: str, cmd: list[str]) -> subprocess.CompletedProcess:
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        seconds[step] = time.perf_counter() - t0
        assert done.returncode == 0, f"{step}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done

    timed("import files", [str(GRAPHKIT), "load", str(city), "--neo4j-import-dir", str(base / "import")])
    timed("neo4j-admin import", [str(NEO4J_RUN), "import", "--data", str(data), str(base / "import" / "import.args")])
    with EmbeddedStore(base / "g.db") as emb:
        emb.create_schema()
        load_dir(city, emb)
        counts = emb.counts()
    try:
        started = timed("start --read-only", neo4j_start(run_dir, "--read-only", "--data", str(data)))
        uri = started.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")
        made = roles(uri, env)
        assert "user analyst (analyst) ready" in made.stdout, made.stderr
        yield SimpleNamespace(uri=uri, env=env, city=city, stats=counts, seconds=seconds)
    finally:
        subprocess.run([str(NEO4J_RUN), "stop", "--run-dir", str(run_dir)], env=env, capture_output=True, timeout=180)


def test_on_a_read_only_database_every_user_reads_and_none_writes(read_only_server, neo4j_server):
    uri = read_only_server.uri
    admin = (neo4j_server.user, neo4j_server.password)
    for auth in (ANALYST, admin):
        with GraphDatabase.driver(uri, auth=auth) as d:
            persons = d.execute_query("MATCH (p:Person) RETURN count(p) AS n", database_="neo4j").records[0]["n"]
            assert persons == read_only_server.stats["nodes"]["Person"] > 0
            with pytest.raises(ClientError) as refused:
                d.execute_query("CREATE (:Person {id: 'gk-roles-probe'})", database_="neo4j")
            assert refused.value.code == READ_ONLY_DATABASE
            assert "read-only" in refused.value.message
    # the system database stays writable: users can still be managed there (the script runs again)
    assert roles(uri, read_only_server.env).returncode == (3 if edition(uri, admin) == "community" else 0)
    # what the fixture costs the suite
    print(f"read-only server: {', '.join(f'{k} {v:.1f} s' for k, v in read_only_server.seconds.items())}")


def test_graphkit_reads_a_read_only_database_and_a_load_stops_with_one_line(read_only_server):
    from fixture_city import TABLES as FIXTURE
    from fixture_city import write_city

    from graphkit.model.types import id_number_check

    env = {**read_only_server.env, "NEO4J_USER": ANALYST[0], "NEO4J_PASSWORD": ANALYST[1]}
    stats = graphkit(env, "stats", "--store", read_only_server.uri, "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout) == read_only_server.stats
    # a person the store does not hold, so that the load has something to write
    first17 = "32050819900101001"
    person = dict(FIXTURE["household"][0], 公民身份号码=first17 + id_number_check(first17), 姓名="新人")
    extra = write_city(read_only_server.city.parent / "extra", {"household": [person]})
    quarantine = extra.parent / "extra.quarantine.csv"
    earlier = "file,line,reason\nhousehold.csv,7,an earlier load's refused row\n"
    quarantine.write_text(earlier, encoding="utf-8")
    # the load console's English words (--lang en)
    load = graphkit(
        env, "load", str(extra), "--store", read_only_server.uri, "--quarantine", str(quarantine), "--lang", "en"
    )
    assert load.returncode != 0
    assert "Traceback" not in load.stderr
    errors = [line for line in load.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "read-only" in errors[0], load.stderr
    # the server's sentence for it, not the driver's text (gql_status, "unexpected error … see debug log") and the
    # constraint statement it refused
    assert f"Neo4j at {read_only_server.uri} keeps database 'neo4j' read-only" in errors[0], errors[0]
    assert "gql_status" not in load.stderr and "in query" not in load.stderr, load.stderr
    # nothing was read: the earlier load's quarantine stays in place, not renamed and replaced by an empty one
    assert quarantine.read_text(encoding="utf-8") == earlier
    assert sorted(p.name for p in quarantine.parent.glob("extra.quarantine*")) == [quarantine.name]
    assert f"quarantine unchanged: {quarantine}" in load.stderr, load.stderr
    print(f"graphkit load on a read-only database: {errors[0]}")
