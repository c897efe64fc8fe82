"""One shortest path between pairs joined by hundreds of equally short paths, on both stores.

    python bench/path_ties.py --neo4j neo4j://127.0.0.1:7687     # NEO4J_PASSWORD in the environment
    python bench/path_ties.py --neo4j URI --scale 5000 --seed 3 --pairs 5

Builds a synthetic city under --work (reused when present), loads it into an embedded store there and into
the (empty) Neo4j database given, and takes the first persons paid --min-payments times or more by one unit
(pensioners of one bureau: their pairs are joined by hundreds of 4-hop paths through the unit and its
payments).  For each consecutive pair, on each store: the number of equally short paths
(:func:`graphkit.paths.shortest_paths` up to PATH_FETCH), the time to read the first SHORTEST_FETCH of them
(what :func:`~graphkit.paths.shortest_path` read before it built such a path hop by hop), the time of
:func:`~graphkit.paths.shortest_path` itself, and whether both stores gave the same path.  The machine's load
average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit import paths  # noqa: E402
from graphkit.stores.embedded import EmbeddedStore  # noqa: E402
from graphkit.stores.neo4j import Neo4jStore  # noqa: E402
from graphkit.synth import generate  # noqa: E402
from loaders.engine import load_dir  # noqa: E402

PAID = (
    "MATCH (o:Organization)<-[:PAID_BY]-(b:Benefit)-[:PAID_TO]->(p:Person) "
    "WITH o.id AS unit, p.id AS person, count(b) AS n WHERE n >= $n "
    "RETURN unit, person ORDER BY unit, person"
)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--neo4j", required=True, help="URI of an empty Neo4j database (NEO4J_PASSWORD in the environment)")
    ap.add_argument("--scale", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--min-payments", type=int, default=10)
    ap.add_argument("--work", type=Path, default=Path("/tmp/graphkit-bench/path_ties"))
    args = ap.parse_args(argv)

    city, db = args.work / f"city_{args.scale}_{args.seed}", args.work / f"city_{args.scale}_{args.seed}.db"
    if not city.exists():
        generate(city, scale=args.scale, seed=args.seed)
    if not db.exists():
        with EmbeddedStore(db) as s:
            s.create_schema()
            load_dir(city, s)
    neo = Neo4jStore.from_env(args.neo4j)
    if neo.count("Person") == 0:
        neo.create_schema()
        load_dir(city, neo)
    emb = EmbeddedStore(db, read_only=True)
    try:
        rows = emb.run(PAID, n=args.min_payments)
        unit = rows["unit"].value_counts().idxmax()
        persons = rows[rows["unit"] == unit]["person"].tolist()[: args.pairs + 1]
        print(f"load average {os.getloadavg()[0]:.1f}; {len(persons)} persons paid by one unit")
        print("| pair | ties | store | first 200 read | shortest_path | same path on both |")
        print("|---|---:|---|---:|---:|---|")
        for i, (a, b) in enumerate(zip(persons, persons[1:], strict=False), 1):
            ties = len(paths.shortest_paths(emb, a, b, limit=paths.PATH_FETCH))
            got = {}
            for name, st in (("embedded", emb), ("neo4j", neo)):
                t = time.perf_counter()
                cap = paths.SHORTEST_FETCH
                paths._paths(st, "paths/all_shortest_paths", a, b, None, 6, paths.SHORTEST_CEILING, cap)
                first = time.perf_counter() - t
                t = time.perf_counter()
                p = paths.shortest_path(st, a, b)
                got[name] = ((p.ids, p.link_ids), first, time.perf_counter() - t)
            same = got["embedded"][0] == got["neo4j"][0]
            for name, (_, first, one) in got.items():
                print(f"| {i} | {ties:,} | {name} | {first:.2f} s | {one:.2f} s | {'yes' if same else 'NO'} |")
    finally:
        emb.close()
        neo.close()


if __name__ == "__main__":
    main()
