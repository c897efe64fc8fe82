"""CPU seconds of linting one batch of Cypher texts in one Node process against one per core (``lint(...,
processes=N)``), and of a Node process that lints one text (the linter loaded and warmed up once).

    PYTHONPATH=$PWD python bench/lint_processes.py --processes 1 --every 3     # a third of the test module's texts
    PYTHONPATH=$PWD python bench/lint_processes.py --processes 2 --every 3

The texts are those ``tests/test_cypher_lint.py`` lints in its one batch (the model's DDL, every statement the Neo4j
store sends, every query file), every ``--every``-th of them. CPU is the Node processes' (user + sys, reaped
children of this process); run the two settings side by side so that the machine's load weighs on both alike.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--processes", type=int, default=None, help="Node processes at most (default: one per core)")
    ap.add_argument("--every", type=int, default=1, help="lint every N-th text of the module's batch")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    import test_cypher_lint as t

    from graphkit.stores.cypherlint import lint, lintable, model_schema

    texts = list(
        dict.fromkeys(
            [*t.DDL, *t.store_statements(), *(lintable(p.read_text(encoding="utf-8")) for p in t.QUERY_FILES)]
        )
    )[:: args.every]
    schema = model_schema(t.MODEL)
    c0, w0 = children_cpu(), time.perf_counter()
    lint(["RETURN 1"], schema=schema)
    c1, w1 = children_cpu(), time.perf_counter()
    lint(texts, schema=schema, processes=args.processes)
    c2, w2 = children_cpu(), time.perf_counter()
    print(f"one text: {c1 - c0:.1f} CPU s ({w1 - w0:.0f} s wall)")
    print(f"{len(texts)} texts, processes={args.processes}: {c2 - c1:.1f} CPU s ({w2 - w1:.0f} s wall)")


if __name__ == "__main__":
    main()
