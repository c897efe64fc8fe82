"""Opening the Warnings tab on a store: CPU seconds and the store queries it runs.

    PYTHONPATH=$PWD python bench/warnings_tab_open.py --store DB [--ledger L] [--opens 2]

``DB`` is an embedded store (``graphkit synth`` then ``graphkit load`` and ``graphkit models run``: the ledger
beside it, ``DB.ledger.sqlite``, unless ``--ledger``). In one process, after the imports, opens the tab
(:class:`graphkit.widgets.Warnings`) ``--opens`` times on the same store object (a second open is a second tab
or workbench on it), then picks a unit in the unit filter of the last one: a unit whose warnings reach it through
one of its records where there is one. Prints JSON: the store's persons and the ledger's warnings; per open the
CPU seconds (``time.process_time``: this process, the embedded store's threads included), the wall-clock
seconds and the named queries
run (``store.query``); the same for the first use of the unit filter. The code measured is the ``graphkit``
that ``PYTHONPATH`` names (another tree's for a before/after).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="the embedded store's path")
    ap.add_argument("--ledger", default=None)
    ap.add_argument("--opens", type=int, default=2)
    args = ap.parse_args()

    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.widgets import Warnings

    store = EmbeddedStore(Path(args.store), read_only=True)
    ledger = args.ledger or f"{args.store}.ledger.sqlite"
    ran: list[str] = []
    query = store.query

    def counted(name, *a, **kw):
        ran.append(name)
        return query(name, *a, **kw)

    store.query = counted  # type: ignore[method-assign]
    persons = int(store.run("MATCH (p:Person) RETURN count(p) AS n")["n"][0])
    out: dict = {"store": args.store, "persons": persons, "opens": []}
    w = None
    for _ in range(args.opens):
        ran.clear()
        t0, w0 = time.process_time(), time.perf_counter()
        w = Warnings(store, ledger)
        cpu, wall = time.process_time() - t0, time.perf_counter() - w0
        out["opens"].append({"cpu_s": round(cpu, 3), "wall_s": round(wall, 3), "queries": list(ran)})
    assert w is not None
    out["warnings"] = len(w.frame)
    units = [v for _, v in w.unit_filter.options[1:]]
    via = [u for u in units if any(u in r for r in w.frame["via"])] if len(w.frame) else []
    ran.clear()
    t0 = time.process_time()
    if units:
        w.unit_filter.value = (via or units)[0]
    out["unit_filter"] = {
        "unit_reached_through_a_record": bool(via),
        "cpu_s": round(time.process_time() - t0, 3),
        "queries": list(ran),
        "shown": len(w.shown()),
    }
    store.close()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
