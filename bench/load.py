"""Load benchmark: synth + load of the synthetic city into the embedded store.

    python bench/load.py                         # scales 100,000 and 1,000,000 persons
    python bench/load.py --scales 10000 --json bench/load.json
    python bench/load.py --scales 100000 --repeat 5    # load the same city 5 times: each, best, median

Each phase runs in its own process so its peak memory (ru_maxrss) is its own.
Rows/s = source rows read (loaded + quarantined) / load wall time (checkpoints
included).  Load CPU = user + system seconds of the load's process,
all threads: on a machine whose cores are shared it moves less than the wall time.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def phase_synth(out: str, scale: int, seed: int) -> dict:
    from graphkit.synth import generate

    t0 = time.perf_counter()
    summary = generate(out, scale=scale, seed=seed)
    return {"seconds": time.perf_counter() - t0, "rows": sum(summary["rows"].values())}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def phase_load(src: str, db: str) -> dict:
    from graphkit.stores.embedded import EmbeddedStore
    from loaders.engine import load_dir

    t0, c0 = time.perf_counter(), _cpu()
    with EmbeddedStore(db) as store:
        report, _ = load_dir(src, store)
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
        counts = store.counts()
    t = report.totals()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "read": t["read"],
        "loaded": t["loaded"],
        "quarantined": t["quarantined"],
        "nodes": sum(counts["nodes"].values()),
        "relationships": sum(counts["relationships"].values()),
    }


def run_phase(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"phase {args[0]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--workdir", type=Path, default=None, help="where to write the city and store (default: a temp dir)"
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--repeat", type=int, default=1, help="load each city this many times (fresh store each time)")
    ap.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        kind, *rest = a.phase
        out = phase_synth(rest[0], int(rest[1]), int(rest[2])) if kind == "synth" else phase_load(rest[0], rest[1])
        out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return
    work = a.workdir or Path(tempfile.mkdtemp(prefix="graphkit-bench-"))
    results = []
    print(
        f"{'persons':>10} {'synth s':>8} {'synth MiB':>10} {'rows':>12} {'load s':>8} {'rows/s':>10} "
        f"{'load CPU s':>10} {'load MiB':>9} {'quarant.':>9} {'nodes':>11} {'rels':>11}"
    )
    for scale in a.scales:
        city, db = work / f"city-{scale}", work / f"city-{scale}.db"
        shutil.rmtree(city, ignore_errors=True)
        s = run_phase("synth", str(city), str(scale), str(a.seed))
        runs = []
        for _ in range(a.repeat):
            for p in (db, Path(str(db) + ".wal")):
                if p.exists():
                    p.unlink() if p.is_file() else shutil.rmtree(p)
            ld = run_phase("load", str(city), str(db))
            r = {
                "persons": scale,
                "synth_seconds": round(s["seconds"], 2),
                "synth_peak_mib": round(s["peak_mib"]),
                "rows_read": ld["read"],
                "load_seconds": round(ld["seconds"], 2),
                "rows_per_second": round(ld["read"] / ld["seconds"]),
                "load_cpu_seconds": round(ld["cpu_seconds"], 2),
                "load_peak_mib": round(ld["peak_mib"]),
                "quarantined": ld["quarantined"],
                "nodes": ld["nodes"],
                "relationships": ld["relationships"],
            }
            runs.append(r)
            print(
                f"{scale:>10,} {r['synth_seconds']:>8.1f} {r['synth_peak_mib']:>10,} {r['rows_read']:>12,} "
                f"{r['load_seconds']:>8.1f} {r['rows_per_second']:>10,} {r['load_cpu_seconds']:>10.1f} "
                f"{r['load_peak_mib']:>9,} {r['quarantined']:>9,} {r['nodes']:>11,} {r['relationships']:>11,}",
                flush=True,
            )
        if len(runs) > 1:
            rates = sorted(r["rows_per_second"] for r in runs)
            print(
                f"{scale:>10,}: best {rates[-1]:,} rows/s, median {statistics.median(rates):,.0f} rows/s "
                f"over {len(runs)} loads",
                flush=True,
            )
        results.extend(runs)
        shutil.rmtree(city, ignore_errors=True)
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
