"""Create graphkit's two Neo4j users: an analyst who reads and a loader who writes.

    NEO4J_USER=neo4j NEO4J_PASSWORD=… GRAPHKIT_ANALYST_PASSWORD=… GRAPHKIT_LOADER_PASSWORD=… \\
        python docker/neo4j_roles.py --uri neo4j://localhost:7687

Both users are created (or their passwords reset) with ``CREATE USER … IF NOT EXISTS``. On Neo4j
Enterprise the analyst then gets the built-in role ``reader`` and the loader ``architect`` (read,
write, and the indexes and constraints ``graphkit load`` creates); exit status 0.

Neo4j Community has no roles: every user may read and write. There the script creates the users,
prints the server's own answer to ``GRANT ROLE`` and exits with status 3, so that nobody takes the
analyst for read-only. On Community the analyst reads from a server whose ``neo4j`` database is
read-only (``server.databases.read_only=neo4j``: ``tools/neo4j/run.sh start --read-only`` or
``docker/compose.readonly.yml``); see ``docker/README.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError

#: exit status when the users exist but the edition cannot restrict them (Community)
NO_ROLES = 3
ROLES = {"analyst": "reader", "loader": "architect"}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def main(argv: list[str] | None = None) -> int:
    """Create the analyst and loader users and grant their roles; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--uri", default=os.environ.get("NEO4J_URI", "neo4j://localhost:7687"))
    ap.add_argument("--analyst", default="analyst", help="name of the read-only user [analyst]")
    ap.add_argument("--loader", default="loader", help="name of the loading user [loader]")
    args = ap.parse_args(argv)
    admin = (os.environ.get("NEO4J_USER") or "neo4j", os.environ.get("NEO4J_PASSWORD") or "")
    users = {"analyst": args.analyst, "loader": args.loader}
    passwords = {kind: os.environ.get(f"GRAPHKIT_{kind.upper()}_PASSWORD") or "" for kind in users}
    for kind, name in users.items():
        if not _NAME.match(name):
            ap.error(f"--{kind} must be letters, digits and _ only")
        if len(passwords[kind]) < 8:
            ap.error(f"set GRAPHKIT_{kind.upper()}_PASSWORD (8 characters or more)")
    with GraphDatabase.driver(args.uri, auth=admin) as driver:

        def system(query: str, **params):
            return driver.execute_query(query, params, database_="system").records

        edition = driver.execute_query("CALL dbms.components() YIELD edition RETURN edition", database_="system")
        edition = edition.records[0]["edition"]
        existing = {r["user"] for r in system("SHOW USERS YIELD user RETURN user")}
        for kind, name in users.items():
            # names are checked above; passwords travel as parameters
            if name not in existing:
                system(f"CREATE USER {name} SET PASSWORD $pw CHANGE NOT REQUIRED", pw=passwords[kind])
            else:
                try:
                    system(f"ALTER USER {name} SET PASSWORD $pw CHANGE NOT REQUIRED", pw=passwords[kind])
                except Neo4jError as exc:  # Neo4j refuses to "change" a password to itself
                    if "cannot be the same" not in (exc.message or ""):
                        raise
            print(f"user {name} ({kind}) ready")
        for kind, name in users.items():
            try:
                system(f"GRANT ROLE {ROLES[kind]} TO {name}")
            except Neo4jError as exc:
                print(
                    f"Neo4j {edition} refused GRANT ROLE {ROLES[kind]} TO {name}: {exc.code}: {exc.message}\n"
                    f"Every user of this server may read and write. For a read-only analyst, serve the data from "
                    f"a server whose neo4j database is read-only (server.databases.read_only=neo4j; "
                    f"see docker/README.md).",
                    file=sys.stderr,
                )
                return NO_ROLES
            print(f"granted {ROLES[kind]} to {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
