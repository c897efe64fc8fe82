"""The models' queries at another checkout against this one's, interleaved in one process on one store.

    python bench/model_queries_ab.py --old ../base/queries --store embedded:W/city.db
    python bench/model_queries_ab.py --old ../base/queries --store embedded:W/city.db --rounds 3 \\
        --model subsidy_ineligible --model privileged_vehicle

A model's query alone is seconds of a ``models run`` of minutes (its evidence step, the ledger, the process), and
two runs of the command one after the other on a shared machine differ by more than a query's change. This sends
each model's query text as the old checkout's ``queries/models/ID.cypher`` has it and as this one has it, the
order flipping every round, each with the model's default parameters, and prints the CPU seconds of the process
for each (``ru_utime + ru_stime``: Ladybug's threads included, which the load does not move) and whether both
texts gave the same hits (:func:`graphkit.rules.catalog.run`, its sorting and wording included).
"""

from __future__ import annotations

import argparse
import importlib
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit.stores import open_store  # noqa: E402

catalog = importlib.import_module("graphkit.rules.catalog")  # the module (graphkit.rules.catalog is its function)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, type=Path, help="the other checkout's queries/ folder")
    ap.add_argument("--store", required=True, help="a store spec, e.g. embedded:W/city.db")
    ap.add_argument("--model", action="append", default=[], help="a model id (repeat) [default: every model]")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    specs = [m for m in catalog.catalog() if not args.model or m.id in args.model]
    store = open_store(args.store, read_only=True)
    new_text = catalog._text
    print(f"{'model':<32} {'old cpu s':>10} {'new cpu s':>10}  same hits")
    totals = [0.0, 0.0]
    try:
        for spec in specs:
            old_text = (args.old / "models" / f"{spec.id}.cypher").read_text(encoding="utf-8")
            texts = {"old": lambda store, spec, t=old_text: t, "new": new_text}
            cpu = {"old": 0.0, "new": 0.0}
            hits = {}
            for r in range(args.rounds):
                for side in ("old", "new") if r % 2 == 0 else ("new", "old"):
                    catalog._text = texts[side]
                    t0 = _cpu()
                    hits[side] = catalog.run(store, spec)
                    cpu[side] += _cpu() - t0
            catalog._text = new_text
            same = hits["old"].equals(hits["new"])
            old, new = cpu["old"] / args.rounds, cpu["new"] / args.rounds
            totals[0] += old
            totals[1] += new
            print(f"{spec.id:<32} {old:10.2f} {new:10.2f}  {same}", flush=True)
    finally:
        catalog._text = new_text
        store.close()
    print(f"{'all (mean of the rounds)':<32} {totals[0]:10.2f} {totals[1]:10.2f}")


if __name__ == "__main__":
    main()
