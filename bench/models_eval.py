"""Evaluate the data-collision model library against the synthetic city's ground truth.

    python bench/models_eval.py                                  # scales 10,000 and 100,000, seeds 7 8 9
    python bench/models_eval.py --scales 10000 --seeds 7 --models split_contracts bid_rigging
    python bench/models_eval.py --json bench/models_eval.json

For each scale and seed the city is generated and loaded into an embedded store once and cached under
``--dir`` (default ``$GRAPHKIT_BENCH_DIR`` or ``/tmp/graphkit-bench``), keyed by a fingerprint of the
generator, loaders and graph model: a re-run only runs the models, and warns when the cache was built from other
sources (``--rebuild`` regenerates).  Every model of the catalogue
(``queries/models/*.cypher``) runs with its header defaults.

Matching (the rule in the model-library spec): a hit matches a ``truth.json`` instance of the model's
``scheme`` when one of the hit's entities of the header's ``match`` type equals one of the instance's
entities of that type.  Recall = instances matched / instances; precision = hits that match an instance /
hits (a hit on a decoy or on the background counts against it).  The summary table gives, per model and
scale, the minimum over seeds.  The library's wall time is the time to run every selected model one after
the other on one store (after a warm-up query that opens the store), printed per seed at the largest scale.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: what decides whether a cached city and store are still valid
FINGERPRINT_SOURCES = ("graphkit/synth", "graphkit/model", "loaders", "graphkit/stores/embedded.py")


def default_dir() -> Path:
    return Path(os.environ.get("GRAPHKIT_BENCH_DIR") or "/tmp/graphkit-bench")


def fingerprint() -> str:
    """Hash of the generator, the model and the loaders (a change rebuilds the cached cities)."""
    h = hashlib.sha256()
    for rel in FINGERPRINT_SOURCES:
        p = ROOT / rel
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".yaml", ".yml") and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(ROOT)).encode())
                h.update(f.read_bytes())
    import ladybug

    h.update(getattr(ladybug, "__version__", "?").encode())
    return h.hexdigest()[:16]


@contextlib.contextmanager
def _lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove(p: Path) -> None:
    if p.is_dir():
        shutil.rmtree(p)
    elif p.exists():
        p.unlink()


def prepare(
    base: Path, scale: int, seed: int, *, rebuild: bool = False, log=print, rate: float = 5.0
) -> tuple[Path, Path]:
    """The generated city folder and the loaded embedded store for (scale, seed), built if missing; ``rate``:
    planted instances of each scheme per 10,000 persons (``generate(rate=…)``; other than 5, the city's name
    says it: ``city-100000-s7-r0.1``).

    A cached city is reused even when the generator, model or loaders changed since it was built (other work
    in progress must not wipe the cache); a warning names the difference and ``rebuild=True`` regenerates.
    A build goes to temporary names first, so a failed build leaves the old cache in place."""
    name = f"city-{scale}-s{seed}" + ("" if rate == 5.0 else f"-r{rate:g}")
    city, db, marker = base / name, base / f"{name}.db", base / f"{name}.ready.json"
    fp = fingerprint()
    with _lock(base / f"{name}.lock"):
        if not rebuild and marker.exists() and db.exists() and (city / "truth.json").exists():
            info = json.loads(marker.read_text())
            if info.get("fingerprint") != fp:
                log(
                    f"  warning: {name} was built from other generator/loader sources "
                    f"({info.get('fingerprint')} != {fp}); pass --rebuild to regenerate it"
                )
            return city, db
        from graphkit.stores.embedded import EmbeddedStore
        from graphkit.synth import generate
        from loaders.engine import load_dir

        tmp_city, tmp_db = base / f"{name}.building", base / f"{name}.building.db"
        for p in (tmp_city, tmp_db, Path(str(tmp_db) + ".wal")):
            _remove(p)
        t0 = time.perf_counter()
        generate(tmp_city, scale=scale, seed=seed, rate=rate)
        t1 = time.perf_counter()
        store = EmbeddedStore(tmp_db)
        try:
            load_dir(tmp_city, store)
        finally:
            store.close()
        t2 = time.perf_counter()
        for p in (marker, city, db, Path(str(db) + ".wal")):
            _remove(p)
        tmp_city.rename(city)
        tmp_db.rename(db)
        if Path(str(tmp_db) + ".wal").exists():
            Path(str(tmp_db) + ".wal").rename(Path(str(db) + ".wal"))
        log(f"  built {name}: synth {t1 - t0:.1f} s, load {t2 - t1:.1f} s")
        marker.write_text(
            json.dumps(
                {
                    "fingerprint": fp,
                    "scale": scale,
                    "seed": seed,
                    "rate": rate,
                    "synth_seconds": round(t1 - t0, 2),
                    "load_seconds": round(t2 - t1, 2),
                }
            )
        )
    return city, db


# ----------------------------------------------------------------------------------------------- scoring
def entities_of(entities: list[str], types: list[str], kind: str) -> set[str]:
    return {e for e, t in zip(entities, types, strict=True) if t == kind}


def score(hits, instances: list[dict], scheme: str, match: str) -> dict:
    """Recall and precision of one model's hits against the planted instances of its scheme."""
    planted = [entities_of(r["entities"], r["types"], match) for r in instances if r["scheme"] == scheme]
    matched = [False] * len(planted)
    good = 0
    unmatched_keys = []
    for key, ents, types in zip(hits["key"], hits["entities"], hits["types"], strict=True):
        mine = entities_of(ents, types, match)
        hit = False
        for i, inst in enumerate(planted):
            if mine & inst:
                matched[i] = True
                hit = True
        good += hit
        if not hit:
            unmatched_keys.append(key)
    n = len(hits)
    return {
        "instances": len(planted),
        "found": sum(matched),
        "hits": n,
        "true_hits": good,
        "recall": sum(matched) / len(planted) if planted else None,
        "precision": good / n if n else None,
        "missed": [sorted(inst) for inst, m in zip(planted, matched, strict=True) if not m],
        "false_hits": unmatched_keys,
    }


def evaluate(db: Path, city: Path, model_ids: list[str]) -> tuple[dict[str, dict], float]:
    """Run the models on one store; return scores per model and the wall time of the whole run."""
    from graphkit import rules as M
    from graphkit.stores.embedded import EmbeddedStore

    truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
    store = EmbeddedStore(db, read_only=True)
    try:
        store.run("MATCH (n:Organization) RETURN count(n) AS n")  # open the store before timing
        t0 = time.perf_counter()
        hits, seconds = M.run_all(store, model_ids)
        wall = time.perf_counter() - t0
    finally:
        store.close()
    out = {}
    for mid in model_ids:
        spec = M.get(mid)
        mine = hits[hits["model"] == mid]
        s = score(mine, truth["instances"], spec.scheme, spec.match)
        s["seconds"] = round(seconds[mid], 3)
        s["scheme"] = spec.scheme
        out[mid] = s
    return out, wall


def _fmt(x) -> str:
    return "   -" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 8, 9])
    ap.add_argument("--models", nargs="+", default=None, help="model ids (default: the whole catalogue)")
    ap.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="cache of generated cities and stores (default $GRAPHKIT_BENCH_DIR or /tmp/graphkit-bench)",
    )
    ap.add_argument("--rebuild", action="store_true", help="regenerate and reload the cities even if cached")
    ap.add_argument("--json", type=Path, default=None, help="write every figure here")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed instances and false hits")
    a = ap.parse_args(argv)

    from graphkit import rules as M

    ids = a.models or [m.id for m in M.catalog()]
    for mid in ids:
        M.get(mid)  # unknown ids fail here, before any city is built
    base = (a.dir or default_dir()).resolve()
    results: list[dict] = []
    walls: list[dict] = []
    for scale in a.scales:
        for seed in a.seeds:
            print(f"scale {scale:,} seed {seed}", flush=True)
            city, db = prepare(base, scale, seed, rebuild=a.rebuild)
            scores, wall = evaluate(db, city, ids)
            walls.append({"scale": scale, "seed": seed, "seconds": round(wall, 2), "models": len(ids)})
            print(f"  {'model':<32} {'inst':>5} {'found':>5} {'hits':>5} {'recall':>6} {'prec':>6} {'s':>7}")
            for mid, s in scores.items():
                print(
                    f"  {mid:<32} {s['instances']:>5} {s['found']:>5} {s['hits']:>5} {_fmt(s['recall']):>6} "
                    f"{_fmt(s['precision']):>6} {s['seconds']:>7.2f}"
                )
                if a.verbose and (s["missed"] or s["false_hits"]):
                    for m in s["missed"]:
                        print(f"      missed  {m}")
                    for k in s["false_hits"][:20]:
                        print(f"      false   {k}")
                results.append({"scale": scale, "seed": seed, "model": mid, **s})
            print(f"  whole library: {wall:.2f} s for {len(ids)} models", flush=True)

    print("\nSummary (minimum over seeds " + ", ".join(map(str, a.seeds)) + ")")
    head = f"| {'model':<32} |" + "".join(f" recall {s // 1000}k | precision {s // 1000}k |" for s in a.scales)
    print(head)
    print("|" + "-" * 34 + "|" + "".join("---------:|-------------:|" for _ in a.scales))
    failing = []
    summary = []
    for mid in ids:
        row = {"model": mid}
        cells = []
        for scale in a.scales:
            rs = [r for r in results if r["model"] == mid and r["scale"] == scale]
            rec = [r["recall"] for r in rs if r["recall"] is not None]
            pre = [r["precision"] if r["precision"] is not None else 0.0 for r in rs]
            rmin, pmin = (min(rec) if rec else None), (min(pre) if pre else None)
            row[f"recall_{scale}"], row[f"precision_{scale}"] = rmin, pmin
            cells.append(f" {_fmt(rmin):>9} | {_fmt(pmin):>12} |")
            if rmin is None or rmin < 0.95 or pmin is None or pmin < 0.90:
                failing.append((mid, scale))
        summary.append(row)
        print(f"| {mid:<32} |" + "".join(cells))
    top = max(a.scales)
    tw = [w for w in walls if w["scale"] == top]
    if tw:
        print(
            f"\nWhole library at {top:,} persons ({len(ids)} models): "
            + ", ".join(f"seed {w['seed']} {w['seconds']:.1f} s" for w in tw)
            + f"; max {max(w['seconds'] for w in tw):.1f} s"
        )
    if failing:
        print("\nBelow target (recall ≥ 0.95, precision ≥ 0.90): " + ", ".join(f"{m} at {s:,}" for m, s in failing))
    if a.json:
        a.json.write_text(
            json.dumps({"results": results, "summary": summary, "wall": walls}, indent=2, ensure_ascii=False),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
