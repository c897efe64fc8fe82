"""Where the time of a load into the embedded store goes, stage by stage.

    python bench/load_stages.py --scale 100000            # synth a city into a temp dir, then one timed load
    python bench/load_stages.py --city DIR [--repeat 3]    # an existing city (the store is rebuilt each time)

The loader reads and validates file N+1 in the main thread while a writer thread
COPYs earlier files into Ladybug (at most ``loaders.engine.AHEAD`` files queued), so
the stages of the two threads overlap; the wall time of the load is about setup +
the longer of the two + the final checkpoint.

Main thread:  read (CSV → Arrow), validate (check_column), references (keys
              that must exist), frames (duplicates, node and edge tables, the
              rest of _Loader.run), wait (for the writer, when the queue is
              full or at the end).
Writer:       prepare (model types, ids already stored: upsert_* minus COPY),
              COPY nodes, COPY rels (Ladybug, which runs its own threads).
End:          checkpoint (one, when the bulk session ends).

Per stage: wall seconds and the CPU seconds of the thread that ran it (Ladybug's
own threads are only in the process total).

--floor also keeps every table the load hands to COPY (as Arrow files), then
writes them again into a fresh store with nothing else to do: the same COPYs in
the same order, in one bulk session, and the final checkpoint.  That time is
the floor of a load of this city on this machine whatever the loader does.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAGES = ("read", "validate", "references", "frames", "wait", "prepare", "COPY nodes", "COPY rels", "checkpoint")


class Timer:
    """Wraps methods to add their wall and thread-CPU time to a stage; nested stages are subtracted."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self._local = threading.local()

    def wrap(self, owner, attr: str, stage: str) -> None:
        fn = getattr(owner, attr)
        timer = self

        def timed(*args, **kwargs):
            stack = getattr(timer._local, "stack", None)
            if stack is None:
                stack = timer._local.stack = []
            w0, c0 = time.perf_counter(), time.thread_time()
            stack.append([0.0, 0.0])  # time spent in nested timed calls
            try:
                return fn(*args, **kwargs)
            finally:
                inner_w, inner_c = stack.pop()
                w, c = time.perf_counter() - w0, time.thread_time() - c0
                timer.wall[stage] += w - inner_w
                timer.cpu[stage] += c - inner_c
                if stack:
                    stack[-1][0] += w
                    stack[-1][1] += c

        setattr(owner, attr, timed)


def instrument() -> Timer:
    import loaders.engine as engine
    from graphkit.stores.base import GraphStore
    from graphkit.stores.embedded import EmbeddedStore

    t = Timer()
    t.wrap(engine, "read_table", "read")
    t.wrap(engine, "check_column", "validate")
    t.wrap(engine._Loader, "_check_refs", "references")
    t.wrap(engine._Loader, "run", "frames")  # what run does besides the stages above
    t.wrap(engine._Writer, "drain", "wait")
    t.wrap(engine._Validated, "settle", "wait")  # waits for a file's writes before the queue takes more
    t.wrap(GraphStore, "upsert_nodes", "prepare")
    t.wrap(GraphStore, "upsert_edges", "prepare")
    t.wrap(EmbeddedStore, "_bulk_nodes", "COPY nodes")
    t.wrap(EmbeddedStore, "_bulk_edges", "COPY rels")
    t.wrap(EmbeddedStore, "_end_bulk", "checkpoint")
    return t


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def one_load(city: Path, db: Path, timer: Timer) -> dict:
    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir

    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink() if p.is_file() else shutil.rmtree(p)
    timer.wall.clear()
    timer.cpu.clear()
    t0, c0 = time.perf_counter(), _cpu()
    with EmbeddedStore(db) as store:
        report, _ = load_dir(city, store)
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    stages = {s: (timer.wall[s], timer.cpu[s]) for s in STAGES}
    main = sum(timer.wall[s] for s in ("read", "validate", "references", "frames", "wait"))
    stages["setup"] = (seconds - main - timer.wall["checkpoint"], None)
    return {"seconds": seconds, "cpu": cpu, "read": report.totals()["read"], "stages": stages}


def capture(folder: Path):
    """Make EmbeddedStore write every table it COPYs to ``folder`` too; returns the list it fills
    (file, table, source label, target label) and a function that puts EmbeddedStore back."""
    import pyarrow.ipc as ipc

    from graphkit.stores.embedded import EmbeddedStore

    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, str, str, str]] = []
    nodes, edges = EmbeddedStore._bulk_nodes, EmbeddedStore._bulk_edges

    def keep(table, *what) -> None:
        path = folder / f"{len(written):04d}.arrow"
        with ipc.new_file(path, table.schema) as w:
            w.write_table(table)
        written.append((str(path), *what))

    def bulk_nodes(self, label, table):
        keep(table, label, "", "")
        return nodes(self, label, table)

    def bulk_edges(self, rtype, source, target, table):
        keep(table, rtype, source, target)
        return edges(self, rtype, source, target, table)

    def restore() -> None:
        EmbeddedStore._bulk_nodes, EmbeddedStore._bulk_edges = nodes, edges

    EmbeddedStore._bulk_nodes, EmbeddedStore._bulk_edges = bulk_nodes, bulk_edges
    return written, restore


def replay(written: list[tuple[str, str, str, str]], db: Path) -> tuple[float, float]:
    """COPY the kept tables into a fresh store in one bulk session (checkpoint included): wall, CPU."""
    import pyarrow.ipc as ipc

    from graphkit.stores.embedded import EmbeddedStore

    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink() if p.is_file() else shutil.rmtree(p)
    with EmbeddedStore(db) as store:
        store.create_schema()
        t0, c0 = time.perf_counter(), _cpu()
        with store.bulk():
            for path, name, source, target in written:
                table = ipc.open_file(path).read_all()
                if source:
                    store._bulk_edges(name, source, target, table)
                else:
                    store._bulk_nodes(name, table)
        return time.perf_counter() - t0, _cpu() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", type=Path, help="a synthetic city (default: synth one at --scale)")
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--floor", action="store_true", help="then time the same COPYs alone (see above)")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="graphkit-stages-"))
    try:
        city = a.city
        if city is None:
            from graphkit.synth import generate

            city = work / "city"
            generate(city, scale=a.scale, seed=a.seed)
        timer = instrument()
        runs = [one_load(city, work / "g.db", timer) for _ in range(a.repeat)]
        floor = None
        if a.floor:
            written, restore = capture(work / "tables")
            try:
                one_load(city, work / "g.db", Timer())
            finally:
                restore()
            floor = replay(written, work / "floor.db")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'stage':<12}" + "".join(f"{'run ' + str(i + 1):>18}" for i in range(len(runs))))
    for s in ("setup",) + STAGES:
        cells = []
        for r in runs:
            w, c = r["stages"][s]
            cells.append(f"{w:>8.2f} s" + (f" {c:>6.2f} cpu" if c is not None else " " * 11))
        print(f"{s:<12}" + "".join(f"{c:>18}" for c in cells))
    print(f"{'load':<12}" + "".join(f"{r['seconds']:>8.2f} s {r['cpu']:>6.2f} cpu" for r in runs))
    rates = [r["read"] / r["seconds"] for r in runs]
    print(
        f"rows read {runs[0]['read']:,}; rows/s "
        + ", ".join(f"{x:,.0f}" for x in rates)
        + (f"; best {max(rates):,.0f}, median {statistics.median(rates):,.0f}" if len(runs) > 1 else "")
    )
    if floor:
        print(
            f"floor: the same {len(written)} COPYs and the checkpoint alone: {floor[0]:.2f} s, {floor[1]:.2f} cpu "
            f"= {runs[0]['read'] / floor[0]:,.0f} rows/s at most"
        )


if __name__ == "__main__":
    main()
