"""Neighbourhood latency of ``graphkit/paths.py`` at another revision against the working tree's, interleaved.

    python bench/paths_ab.py --rev 9a267a1                  # 20,000 persons, seed 7, 40 persons, 3 rounds
    python bench/paths_ab.py --rev HEAD~1 --scale 100000 --json ab.json

On a machine whose speed drifts from minute to minute, two runs of ``bench/paths.py`` one after the other
differ by more than a small change does (medians of one code 32-54 ms in four runs of an hour here). This
runs both versions in one process on one store, call by call: for each of --samples random persons the 3-hop
neighbourhood (page 50) by the old module, then by the new (the order flips every round), and five times the
middle page of the node with the most links; CPU time per call (``time.process_time``).

The old module is ``git show REV:graphkit/paths.py`` loaded beside the working one: both read the working
tree's ``queries/`` (a change to a query file is measured only through the code that sends it). The city
and its store are the ones ``bench/paths.py`` builds under --work (built here when missing).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from graphkit import paths as new  # noqa: E402
from graphkit.stores.embedded import EmbeddedStore  # noqa: E402


def old_module(rev: str):
    """``graphkit/paths.py`` at ``rev``, imported as ``graphkit.paths_at_rev``."""
    text = subprocess.run(
        ["git", "show", f"{rev}:graphkit/paths.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "paths_at_rev.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("graphkit.paths_at_rev", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def cpu_ms(fn, *args, **kw) -> float:
    start = time.process_time()
    fn(*args, **kw)
    return (time.process_time() - start) * 1000


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", required=True, help="the revision to compare with (git)")
    ap.add_argument("--scale", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path("/tmp/graphkit-bench/paths"))
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    args = ap.parse_args(argv)
    from paths import build  # bench/paths.py: the same city and store

    args.work.mkdir(parents=True, exist_ok=True)
    _, db = build(args.work, args.scale, args.seed)
    old = old_module(args.rev)
    versions = {args.rev: old, "working tree": new}
    store = EmbeddedStore(db, read_only=True)
    try:
        people = [r[0] for r in store.rows("MATCH (p:Person) RETURN p.id AS id ORDER BY id", {})]
        sample = random.Random(args.seed).sample(people, min(args.samples, len(people)))
        (hub, links), *_ = store.rows(
            "MATCH (n)-[r]-() WITH n, count(r) AS links RETURN n.id AS id, links ORDER BY links DESC LIMIT 1", {}
        )
        middle = max(0, links // 50 // 2)
        for m in versions.values():  # warm-up: each query text prepared once per connection
            for x in sample[:5]:
                m.neighbourhood(store, x, hops=3)
            m.neighbourhood(store, hub, hops=1, page=middle)
        hood: dict[str, list[float]] = {k: [] for k in versions}
        page: dict[str, list[float]] = {k: [] for k in versions}
        order = list(versions.items())
        for rnd in range(args.rounds):
            pair = order if rnd % 2 == 0 else order[::-1]
            for x in sample:
                for name, m in pair:
                    hood[name].append(cpu_ms(m.neighbourhood, store, x, hops=3))
            for _ in range(5):
                for name, m in pair:
                    page[name].append(cpu_ms(m.neighbourhood, store, hub, hops=1, page=middle))
    finally:
        store.close()
    out = {
        "scale": args.scale,
        "seed": args.seed,
        "samples": len(sample),
        "rounds": args.rounds,
        "hub_links": links,
        "versions": {
            name: {
                "3-hop median CPU ms": round(statistics.median(hood[name]), 2),
                "3-hop total CPU s": round(sum(hood[name]) / 1000, 2),
                "hub page median CPU ms": round(statistics.median(page[name]), 2),
            }
            for name in versions
        },
    }
    print(f"## Neighbourhoods at {args.scale:,} persons, {len(sample)} persons × {args.rounds} rounds, interleaved")
    print()
    print("| code | 3-hop median CPU ms | 3-hop total CPU s | hub page median CPU ms |")
    print("|---|---:|---:|---:|")
    for name, v in out["versions"].items():
        print(f"| {name} | {v['3-hop median CPU ms']} | {v['3-hop total CPU s']} | {v['hub page median CPU ms']} |")
    print(f"\nhub: {hub} ({links:,} links), page {middle}")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
