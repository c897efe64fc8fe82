"""docker/neo4j_roles.py on the real server, and the read-only server that stands in for roles on Community.

The session's server is Neo4j Community: the script creates both users, reports the server's refusal of
``GRANT ROLE`` and exits 3; the analyst can log in and read. (The read-only server that stands in for
roles on Community, ``run.sh start --read-only``, has no test yet: see docker/README.md.)
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT
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
