"""Load benchmark of the two stores: the same synthetic city into the embedded store and into Neo4j.

    python bench/neo4j_load.py --scale 100000
    python bench/neo4j_load.py --scale 10000 --variants merge:10000:1 create:10000:1 create:50000:1 create:10000:2
    python bench/neo4j_load.py --scale 100000 --variants import create:10000:1 ceiling

Neo4j is Neo4j Community 5.26 in-process (``tools/neo4j/run.sh``), started here on a fresh temporary
database for every Neo4j load (so every load writes into an empty database whose constraints and indexes
``create_schema`` makes before the first row), unless ``NEO4J_URI`` names a server (then its database is
emptied between loads: only use one you may wipe). ``NEO4J_HEAP`` / ``NEO4J_PAGECACHE`` size it
(default here 4g / 2g).

A variant is ``WRITE:BATCH:WORKERS``: ``create`` or ``merge`` (:class:`graphkit.stores.neo4j.Neo4jStore`'s
``write``), rows per transaction, threads sending batches of one label or type at once; or ``import``: the
bulk route for a first load, timed end to end to a database that answers queries: the same loader writes
``neo4j-admin`` files (``graphkit load SRC --neo4j-import-dir DIR``), ``tools/neo4j/run.sh import`` runs
``neo4j-admin database import full`` on them, the server starts on the imported folder and
``create_schema`` makes the constraints and indexes (the server's start is in the time too).

``ceiling`` is no load: on a fresh server it times the server's own write rate on the simplest statements
(``UNWIND $rows CREATE`` of nodes of one label with an id constraint and five properties, then relationships
between them with an id index, 10,000 rows per transaction, as many nodes and relationships as the city's
load wrote, from one writer; a first round warms the JIT, the second is timed) and prints the source rows/s
that rate gives this city with a client that costs nothing: rows / (nodes / nodes per s + relationships /
relationships per s). It is one writer's rate, not a bound: loads with two writer threads have gone past it.

Every load runs the same loader (``loaders.engine.load_dir``) in its own process, so its peak memory
(ru_maxrss) is its own; rows/s = source rows read / load wall time. For Neo4j the server's peak resident
memory (VmHWM of the Java process, start-up included) is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUN = ROOT / "tools" / "neo4j" / "run.sh"


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def phase_load(src: str, spec: str, write: str, batch: int, workers: int) -> dict:
    """One load in this process; the result as a dict."""
    from loaders.engine import load_dir

    if spec.startswith("embedded:"):
        from graphkit.stores.embedded import EmbeddedStore

        store = EmbeddedStore(spec[len("embedded:") :])
    elif spec.startswith("import-dir:"):
        from graphkit.stores.import_dir import Neo4jImportDir

        store = Neo4jImportDir(Path(spec[len("import-dir:") :]))
    else:
        from graphkit.stores.neo4j import Neo4jStore

        store = Neo4jStore.from_env(spec, write=write, batch_size=batch, workers=workers)
    t0, c0 = time.perf_counter(), _cpu()
    try:
        report, _ = load_dir(src, store)
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
        counts = store.counts() if not spec.startswith("import-dir:") else {"nodes": {}, "relationships": {}}
    finally:
        store.close()
    t = report.totals()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "read": t["read"],
        "quarantined": t["quarantined"],
        "nodes": sum(counts["nodes"].values()),
        "relationships": sum(counts["relationships"].values()),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def import_load(src: str, work: Path, env: dict) -> tuple[dict, float | None]:
    """The ``import`` variant: loader → import files → neo4j-admin import → start → schema, timed whole."""
    out, data, run_dir = work / "import-files", work / "import-data", work / "run-import"
    t0 = time.perf_counter()
    r = run_phase(src, f"import-dir:{out}", "-", "0", "0")
    files = time.perf_counter() - t0
    done = subprocess.run(
        [str(RUN), "import", "--data", str(data), str(out / "import.args")], env=env, text=True, capture_output=True
    )
    if done.returncode:
        raise SystemExit(f"neo4j-admin import failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    imported = time.perf_counter() - t0
    with Server(run_dir, data=data) as server:
        from graphkit.stores.neo4j import Neo4jStore

        os.environ.update({k: env[k] for k in ("NEO4J_PASSWORD",)})
        store = Neo4jStore.from_env(server.uri)
        try:
            store.create_schema()
            seconds = time.perf_counter() - t0
            counts = store.counts()
        finally:
            store.close()
        server_mib = _hwm_mib(server.pid) if server.pid else None
    print(
        f"  import: files {files:.1f} s, neo4j-admin {imported - files:.1f} s, start + schema "
        f"{seconds - imported:.1f} s",
        flush=True,
    )
    r.update(seconds=seconds, nodes=sum(counts["nodes"].values()), relationships=sum(counts["relationships"].values()))
    return r, server_mib


def ceiling(uri: str, env: dict, rows: int, nodes: int, rels: int, batch: int = 10_000) -> dict:
    """The server's write rate on bare ``UNWIND … CREATE`` statements (see the module's doc)."""
    import random

    from neo4j import GraphDatabase

    rng = random.Random(7)

    def timed(d, query: str, make, n: int) -> float:
        batches = [[make(i) for i in range(start, min(n, start + batch))] for start in range(0, n, batch)]
        t0 = time.perf_counter()  # the rows are built before: only sending and writing them is timed
        for rows in batches:
            d.execute_query(query, {"rows": rows}, database_="neo4j")
        return time.perf_counter() - t0

    def node(i: int) -> dict:
        return {"id": f"N{i:09d}", "name": f"名{i}", "a": i, "b": i * 0.5, "c": "x" * 12, "d": i % 7}

    def rel(i: int) -> dict:
        return {"id": i, "from": f"N{rng.randrange(nodes):09d}", "to": f"N{rng.randrange(nodes):09d}", "w": i % 5}

    out = {}
    with GraphDatabase.driver(uri, auth=("neo4j", env["NEO4J_PASSWORD"])) as d:
        d.execute_query("CREATE CONSTRAINT ceiling_id IF NOT EXISTS FOR (n:Ceiling) REQUIRE n.id IS UNIQUE")
        d.execute_query("CREATE INDEX ceiling_rel_id IF NOT EXISTS FOR ()-[r:CEILING]-() ON (r.id)")
        for round_ in ("warm-up", "timed"):
            with d.session(database="neo4j") as s:
                s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
            node_s = timed(
                d, "UNWIND $rows AS row CREATE (:Ceiling {id: row.id, name: row.name, a: row.a, b: row.b, "
                "c: row.c, d: row.d})", node, nodes,
            )  # fmt: skip
            rel_s = timed(
                d, "UNWIND $rows AS row MATCH (a:Ceiling {id: row.from}) MATCH (b:Ceiling {id: row.to}) "
                "CREATE (a)-[:CEILING {id: row.id, w: row.w}]->(b)", rel, rels,
            )  # fmt: skip
            out[round_] = {"nodes_per_second": nodes / node_s, "relationships_per_second": rels / rel_s}
    timed_ = out["timed"]
    timed_["rows_per_second"] = rows / (nodes / timed_["nodes_per_second"] + rels / timed_["relationships_per_second"])
    return out


def run_phase(*args: str, env: dict | None = None) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False, env=env
    )
    if proc.returncode:
        raise SystemExit(f"load failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _hwm_mib(pid: int) -> float | None:
    """Peak resident memory of a process (VmHWM), MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Server:
    """A fresh in-process Neo4j (or the one at NEO4J_URI, emptied)."""

    def __init__(self, run_dir: Path, data: Path | None = None) -> None:
        self.run_dir, self.data = run_dir, data
        self.external = None if data else os.environ.get("NEO4J_URI")
        self.env = {
            **os.environ,
            "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD") or "graphkit-test",
            "NEO4J_HEAP": os.environ.get("NEO4J_HEAP") or "4g",
            "NEO4J_PAGECACHE": os.environ.get("NEO4J_PAGECACHE") or "2g",
        }

    def __enter__(self) -> Server:
        if self.external:
            self.uri, self.pid = self.external, None
            from neo4j import GraphDatabase

            user = os.environ.get("NEO4J_USER") or "neo4j"
            with GraphDatabase.driver(self.uri, auth=(user, self.env["NEO4J_PASSWORD"])) as d, d.session() as s:
                s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
            return self
        t0 = time.perf_counter()
        data = ["--data", str(self.data)] if self.data else []
        out = subprocess.run(
            [str(RUN), "start", "--run-dir", str(self.run_dir), *data], env=self.env, capture_output=True, text=True
        )
        if out.returncode:
            raise SystemExit(f"run.sh start failed:\n{out.stderr}")
        self.start_seconds = time.perf_counter() - t0
        self.uri = out.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")
        self.pid = int((self.run_dir / "neo4j.pid").read_text())
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.external:
            subprocess.run([str(RUN), "stop", "--run-dir", str(self.run_dir)], env=self.env, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--city", type=Path, default=None, help="a city folder already written (else synthesised)")
    ap.add_argument(
        "--variants",
        nargs="+",
        default=["create:10000:1"],
        help="WRITE:BATCH:WORKERS for Neo4j, import, or ceiling (after a load: its counts)",
    )
    ap.add_argument("--no-embedded", action="store_true", help="skip the embedded store's load")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        src, spec, write, batch, workers = a.phase
        print(json.dumps(phase_load(src, spec, write, int(batch), int(workers))))
        return
    work = Path(tempfile.mkdtemp(prefix="graphkit-neo4j-bench-"))
    try:
        city = a.city
        if city is None:
            from graphkit.synth import generate

            city = work / "city"
            generate(city, scale=a.scale, seed=a.seed)
        results = []
        print(
            f"{'store':<28}{'rows':>10}{'load s':>9}{'rows/s':>9}{'client MiB':>11}{'server MiB':>11}"
            f"{'nodes':>10}{'rels':>11}"
        )

        def show(name: str, r: dict, server_mib: float | None) -> None:
            rate = r["read"] / r["seconds"]
            srv = f"{server_mib:,.0f}" if server_mib else "-"
            print(
                f"{name:<28}{r['read']:>10,}{r['seconds']:>9.1f}{rate:>9,.0f}{r['peak_mib']:>11,.0f}{srv:>11}"
                f"{r['nodes']:>10,}{r['relationships']:>11,}",
                flush=True,
            )
            results.append({"store": name, **r, "rows_per_second": round(rate), "server_peak_mib": server_mib})

        if not a.no_embedded:
            show("embedded", run_phase(str(city), f"embedded:{work / 'city.db'}", "-", "0", "0"), None)
        for variant in a.variants:
            if variant == "ceiling":
                loads = [r for r in results if "read" in r]
                if not loads:
                    raise SystemExit("ceiling needs a load before it (its node and relationship counts)")
                last = loads[-1]
                with Server(work / "run-ceiling") as server:
                    c = ceiling(server.uri, server.env, last["read"], last["nodes"], last["relationships"])
                w, t = c["warm-up"], c["timed"]
                print(
                    f"  ceiling (bare UNWIND CREATE, {last['nodes']:,} nodes, {last['relationships']:,} rels): "
                    f"{t['nodes_per_second']:,.0f} nodes/s, {t['relationships_per_second']:,.0f} relationships/s "
                    f"(warm-up round {w['nodes_per_second']:,.0f} / {w['relationships_per_second']:,.0f}); "
                    f"{t['rows_per_second']:,.0f} source rows/s for this city from one writer with a free client",
                    flush=True,
                )
                results.append({"store": "neo4j ceiling", **c})
                continue
            if variant == "import":
                env = {**os.environ, "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD") or "graphkit-test"}
                r, server_mib = import_load(str(city), work, env)
                show("neo4j import (bulk)", r, server_mib)
                continue
            write, batch, workers = variant.split(":")
            with Server(work / f"run-{variant.replace(':', '-')}") as server:
                r = run_phase(str(city), server.uri, write, batch, workers, env=server.env)
                show(f"neo4j {variant}", r, _hwm_mib(server.pid) if server.pid else None)
        loadavg = os.getloadavg()
        print(f"load average during the run: {loadavg[0]:.1f} / {loadavg[1]:.1f} / {loadavg[2]:.1f} (1/5/15 min)")
        if a.json:
            a.json.write_text(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
