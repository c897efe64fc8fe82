"""``models run`` step by step in one process, as the command runs them: each model, then the evidence step.

    python bench/models_steps.py embedded:/path/city.db
    python bench/models_steps.py embedded:/path/city.db --model bid_rigging --model split_contracts
    python bench/models_steps.py embedded:/path/city.db --dump /tmp/hits.jsonl   # every hit and its evidence

Per step: the process's CPU seconds in it (all threads, ``ru_utime + ru_stime``: two shared cores move the wall,
not this), the resident memory after it (``VmRSS``) and the step's own peak (``VmHWM`` after the peak was reset at
the step's start by writing 5 to ``/proc/self/clear_refs``; Arrow's and Ladybug's memory included, which
tracemalloc does not see), MiB, and on an embedded store the part of it Ladybug counts as its buffer pool's after
the step (``CALL bm_info()``: the store's pages read and the queries' hash tables not yet given back). The store
is opened read-only as the command opens it, and let go of after each model as ``run_all`` does; nothing is
written to the ledger. ``--dump`` writes each hit (model, key, level, entities, types, both summaries, sources)
with its evidence links as the ledger would keep them, one JSON line each, in the order of the hits: compare two
versions' dumps with ``cmp`` (same warnings, same evidence).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collusion_steps import _cpu, _mem  # noqa: E402 - the same /proc and rusage readers as the collusion steps' bench


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:  # 5: reset the peak resident set size (VmHWM) to the current
        f.write("5")


def _pool(store) -> str:
    """Ladybug's buffer pool in use, MiB (``CALL bm_info()``), or '' on another store."""
    if getattr(store, "dialect", "") != "embedded":
        return ""
    res = store._conn.execute("CALL bm_info() RETURN mem_usage")
    try:
        return f"{int(res.get_next()[0]) // 2**20:,d}"
    finally:
        res.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", help="embedded:PATH or neo4j://…")
    ap.add_argument("--model", action="append", default=[], help="a model id (repeat) [default: every model]")
    ap.add_argument("--dump", type=Path, help="write every hit and its evidence here, one JSON line each")
    a = ap.parse_args()
    from graphkit.cli.common import open_for_reading
    from graphkit.rules.catalog import catalog, get, run
    from graphkit.rules.ledger import evidence_links

    t0, cpu0 = time.perf_counter(), _cpu()
    store = open_for_reading(a.store)
    print(f"{'step':<32} {'cpu s':>8} {'rss MiB':>8} {'peak MiB':>9} {'pool MiB':>9} {'hits':>7}", flush=True)

    def line(name: str, cpu: float, hits: int | str = "") -> None:
        m = _mem()
        print(f"{name:<32} {cpu:8.2f} {m['VmRSS']:8,d} {m['VmHWM']:9,d} {_pool(store):>9} {hits:>7}", flush=True)

    line("open", _cpu() - cpu0)
    specs = [get(i) for i in a.model] if a.model else catalog()
    frames = []
    import pandas as pd

    for spec in specs:
        _reset_peak()
        c = _cpu()
        frames.append(run(store, spec))
        store.let_go()  # as run_all does after each model
        line(spec.id, _cpu() - c, len(frames[-1]))
    hits = pd.concat(frames, ignore_index=True)
    _reset_peak()
    c = _cpu()
    links = evidence_links(store, hits) if len(hits) else {}
    line("evidence", _cpu() - c, sum(len(v) for v in links.values()))
    if a.dump:
        with a.dump.open("w", encoding="utf-8") as f:
            for pos, row in enumerate(hits.to_dict("records")):
                f.write(json.dumps({**row, "evidence": links.get(pos, [])}, ensure_ascii=False, default=str) + "\n")
    store.close()
    m = _mem()
    print(f"total wall {time.perf_counter() - t0:.1f} s, cpu {_cpu():.1f} s, rss at end {m['VmRSS']:,} MiB")


if __name__ == "__main__":
    main()
