"""docker/neo4j_roles.py on the real server, and the read-only server that stands in for roles on Community.

The session's server is Neo4j Community: the script creates both users, reports the server's refusal of
``GRANT ROLE`` and exits 3; the analyst can log in and read. A second in-process server, restarted with
``run.sh start --read-only --data DIR`` (``server.databases.read_only=neo4j``) on a database written
before, is where the analyst reads and cannot write.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import NEO4J_RUN, ROOT
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError

pytestmark = pytest.mark.neo4j

SCRIPT = ROOT / "docker" / "neo4j_roles.py"
PASSWORDS = {"GRAPHKIT_ANALYST_PASSWORD": "analyst-pass-1", "GRAPHKIT_LOADER_PASSWORD": "loader-pass-1"}


def roles(uri: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--uri", uri], env={**env, **PASSWORDS}, capture_output=True, text=True
    )


def edition(uri: str, auth: tuple[str, str]) -> str:
    with GraphDatabase.driver(uri, auth=auth) as d:
        return d.execute_query("CALL dbms.components() YIELD edition RETURN edition").records[0]["edition"]


def test_roles_script_creates_the_users_and_says_what_community_cannot(neo4j_server):
    done = roles(neo4j_server.uri, dict(os.environ))
    admin = (neo4j_server.user, neo4j_server.password)
    assert "user analyst (analyst) ready" in done.stdout and "user loader (loader) ready" in done.stdout
    with GraphDatabase.driver(neo4j_server.uri, auth=("analyst", PASSWORDS["GRAPHKIT_ANALYST_PASSWORD"])) as d:
        assert d.execute_query("MATCH (n) RETURN count(n) AS n", database_="neo4j").records[0]["n"] >= 0
    if edition(neo4j_server.uri, admin) == "community":
        assert done.returncode == 3, done.stderr
        assert "Neo.ClientError.Statement.UnsupportedAdministrationCommand" in done.stderr
        assert "Unsupported administration command: GRANT ROLE reader TO analyst" in done.stderr
    else:  # Enterprise: the built-in roles hold
        assert done.returncode == 0, done.stderr
        with GraphDatabase.driver(neo4j_server.uri, auth=("analyst", PASSWORDS["GRAPHKIT_ANALYST_PASSWORD"])) as d:
            with pytest.raises(ClientError):
                d.execute_query("CREATE (:Person {id: 'gk-roles-probe'})", database_="neo4j")


@pytest.fixture(scope="module")
def read_only_server(neo4j_server, tmp_path_factory):
    """A second in-process server on a database written first (one node), then restarted read-only: a
    database must exist before it can be served read-only (a new one is reported unavailable)."""
    if not neo4j_server.owned:
        pytest.skip("the read-only server is started in-process; NEO4J_URI names a server of its own")
    data = tmp_path_factory.mktemp("neo4j-ro-data")
    env = {**os.environ, "NEO4J_USER": neo4j_server.user, "NEO4J_PASSWORD": neo4j_server.password}

    def start(run_dir, *flags) -> str:
        cmd = [str(NEO4J_RUN), "start", "--data", str(data), "--run-dir", str(run_dir), *flags]
        started = subprocess.run(cmd, env=env, capture_output=True, text=True)
        assert started.returncode == 0, started.stderr
        return started.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")

    def stop(run_dir) -> None:
        subprocess.run([str(NEO4J_RUN), "stop", "--run-dir", str(run_dir)], env=env, capture_output=True)

    writable = tmp_path_factory.mktemp("neo4j-w")
    try:
        with GraphDatabase.driver(start(writable), auth=(neo4j_server.user, neo4j_server.password)) as d:
            d.execute_query("CREATE (:Person {id: 'gk-roles-p1'})", database_="neo4j")
    finally:
        stop(writable)
    read_only = tmp_path_factory.mktemp("neo4j-ro")
    try:
        yield start(read_only, "--read-only"), env
    finally:
        stop(read_only)


def test_on_a_read_only_server_the_analyst_reads_and_cannot_write(read_only_server):
    uri, env = read_only_server
    assert roles(uri, env).returncode == 3  # users can still be created: the system database stays writable
    with GraphDatabase.driver(uri, auth=("analyst", PASSWORDS["GRAPHKIT_ANALYST_PASSWORD"])) as d:
        assert (
            d.execute_query("MATCH (n:Person) RETURN n.id AS id", database_="neo4j").records[0]["id"] == "gk-roles-p1"
        )
        with pytest.raises(ClientError) as info:
            d.execute_query("CREATE (:Person {id: 'gk-roles-probe'})", database_="neo4j")
    assert info.value.code == "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"
