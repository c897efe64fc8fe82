"""Bidder graph, community detection and knowledge-graph collusion scores on the synthetic city.

    python bench/collusion_graph.py --eval                      # targets at scale 10,000, seeds 7 8 9
    python bench/collusion_graph.py --scale 1000000 --seed 7    # the scale-1,000,000 city (about 8 GiB)
    python bench/collusion_graph.py --scale 100000 --workdir W  # keeps W/city-100000.db, reused next time

``--eval`` synthesises and loads each city and prints, per seed, what issue 4 asks of the
scale-10,000 city: planted bid-rigging rings found inside one community with ≥ 90% of their members,
member-company recall, and the ROC AUC of ring tenders against every other tender (and against the
planted look-alike decoys alone), plus the same AUC with bid-value terms only and graph terms only.

The scale run builds the city in one process (synth, load), the bidder graph in another (saved as
Parquet), then runs each community-detection method in its own process so that its peak memory
(``ru_maxrss``) is its own: the RSS before detection (Python, libraries and the graph) and the peak
are both printed.  Last, the whole ``graphkit collusion score`` pipeline (graph, communities, scores)
and its evaluation against truth.json, again in its own process.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from graphkit.collusion.kg import MAX_SIZE, REFINE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

METHODS = [
    ("leiden", None, None),
    ("multilevel", None, None),
    ("louvain_nx", None, None),
    ("leiden", 0.3, 100),
    ("multilevel", 0.3, 100),
]


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------------------------------------ phases
def phase_city(city: str, db: str, scale: str, seed: str) -> dict:
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.synth import generate
    from loaders.engine import load_dir

    t0 = time.perf_counter()
    generate(city, scale=int(scale), seed=int(seed))
    t1 = time.perf_counter()
    with EmbeddedStore(db) as store:
        load_dir(city, store)
    return {"synth_seconds": t1 - t0, "load_seconds": time.perf_counter() - t1}


def phase_graph(db: str, out: str) -> dict:
    import pandas as pd

    from graphkit.collusion.bidder_graph import build_bidder_graph
    from graphkit.stores.embedded import EmbeddedStore

    t0 = time.perf_counter()
    with EmbeddedStore(db, read_only=True) as store:
        t_open = time.perf_counter()
        bg = build_bidder_graph(store)
    t1 = time.perf_counter()
    bg.edges[["a", "b", "weight"]].to_parquet(Path(out) / "edges.parquet")
    pd.DataFrame({"name": bg.companies.index}).to_parquet(Path(out) / "nodes.parquet")
    sig = bg.edges["signals"].map(lambda s: [x for x in s if x != "co_bid"])
    return {
        "seconds": t1 - t_open,
        "open_seconds": t_open - t0,
        "bidders": len(bg.companies),
        "edges": len(bg.edges),
        "edges_with_identifiers": int((sig.map(len) > 0).sum()),
        "bids": len(bg.bids),
        "dropped_values": len(bg.dropped),
    }


def phase_detect(folder: str, method: str, refine: str, max_size: str, seed: str) -> dict:
    import igraph as ig
    import pandas as pd

    from graphkit.collusion.communities import detect

    nodes = pd.read_parquet(Path(folder) / "nodes.parquet")["name"].tolist()
    e = pd.read_parquet(Path(folder) / "edges.parquet")
    if method == "louvain_nx":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(nodes)
        g.add_weighted_edges_from(e[["a", "b", "weight"]].itertuples(index=False, name=None))
    else:
        pos = {n: i for i, n in enumerate(nodes)}
        g = ig.Graph(n=len(nodes), edges=list(zip(e["a"].map(pos), e["b"].map(pos), strict=True)))
        g.vs["name"] = nodes
        g.es["weight"] = e["weight"].tolist()
    del e
    before = _rss_mib()
    t0 = time.perf_counter()
    p = detect(
        g,
        method=method,
        seed=int(seed),
        refine=None if refine == "-" else float(refine),
        max_size=None if max_size == "-" else int(max_size),
    )
    sizes = p.sizes()
    return {
        "seconds": time.perf_counter() - t0,
        "rss_before_mib": before,
        "modularity": p.modularity,
        "communities": len(p),
        "largest": sizes[0] if sizes else 0,
        "of_two_or_more": sum(1 for s in sizes if s >= 2),
    }


def phase_score(db: str, city: str, seed: str) -> dict:
    from graphkit.collusion.kg import evaluate_store, score_store
    from graphkit.stores.embedded import EmbeddedStore

    truth = json.loads((Path(city) / "truth.json").read_text(encoding="utf-8"))
    with EmbeddedStore(db, read_only=True) as store:
        t0 = time.perf_counter()
        scores = score_store(store, seed=int(seed))
        seconds = time.perf_counter() - t0
        res = evaluate_store(store, truth, scores=scores)
    res.pop("rings")
    res["score_seconds"] = seconds
    res["tenders_scored"] = len(scores.tenders)
    return res


PHASES = {"city": phase_city, "graph": phase_graph, "detect": phase_detect, "score": phase_score}


def run_phase(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"phase {args[0]} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------ runs
def evaluate_city(
    scale: int = 10_000,
    seed: int = 7,
    *,
    workdir: str | Path | None = None,
    method: str = "leiden",
    community_seed: int = 0,
    resolution: float = 1.0,
    refine: float | None = REFINE,
    max_size: int | None = MAX_SIZE,
) -> dict[str, Any]:
    """Synthesise a city, load it into a fresh embedded store, score it and measure against the truth.

    Parameters
    ----------
    scale, seed :
        Passed to :func:`graphkit.synth.generate`.
    workdir : path, optional
        Where the city and the store go (a temporary folder, removed afterwards, when omitted).
    method, community_seed, resolution, refine, max_size :
        Community detection settings (see :func:`graphkit.collusion.kg.score_store`).

    Example
    -------
    >>> r = evaluate_city(scale=10_000, seed=7)  # doctest: +SKIP
    >>> r["ring_recall"], r["roc_auc"] >= 0.95  # doctest: +SKIP
    (1.0, True)
    """
    from graphkit.collusion.kg import evaluate_store
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.synth import generate
    from loaders.engine import load_dir

    with tempfile.TemporaryDirectory(prefix="graphkit-city-") as tmp:
        root = Path(workdir) if workdir is not None else Path(tmp)
        city = root / f"city_{scale}_{seed}"
        generate(city, scale=scale, seed=seed)
        truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
        store = EmbeddedStore(root / f"city_{scale}_{seed}.db")
        try:
            load_dir(city, store)
            res = evaluate_store(
                store,
                truth,
                method=method,
                seed=community_seed,
                resolution=resolution,
                refine=refine,
                max_size=max_size,
            )
        finally:
            store.close()
    res.update(scale=scale, seed=seed)
    return res


def run_eval(scale: int, seeds: list[int], community_seed: int) -> list[dict]:
    print(
        f"{'seed':>4} {'rings':>5} {'found':>5} {'exact':>5} {'max size':>8} {'members':>7} {'AUC':>6} "
        f"{'AUC decoys':>10} {'AUC bids':>8} {'AUC graph':>9} {'ring t.':>7} {'other t.':>8}"
    )
    out = []
    for seed in seeds:
        r = evaluate_city(scale=scale, seed=seed, community_seed=community_seed)
        out.append(r)
        print(
            f"{seed:>4} {r['rings_planted']:>5} {r['rings_found']:>5} {r['rings_exact']:>5} "
            f"{r['ring_community_size_max']:>8} {r['member_recall']:>7.3f} {r['roc_auc']:>6.4f} "
            f"{r['roc_auc_vs_planted_decoys']:>10.4f} {r['roc_auc_bids_only']:>8.4f} "
            f"{r['roc_auc_graph_only']:>9.4f} {r['ring_tenders']:>7} {r['negative_tenders']:>8}",
            flush=True,
        )
        for ring in r["rings"]:
            if ring["share"] < 0.9:
                print(
                    f"     ring {ring['members']} split: {ring['share']:.0%} in community of {ring['community_size']}"
                )
    return out


def run_scale(scale: int, seed: int, work: Path, community_seed: int, *, keep: bool) -> dict:
    city, db = work / f"city-{scale}", work / f"city-{scale}.db"
    res: dict = {"scale": scale, "seed": seed}
    if db.exists():
        print(f"reusing {db}")
    else:
        shutil.rmtree(city, ignore_errors=True)
        c = run_phase("city", str(city), str(db), str(scale), str(seed))
        res["city"] = c
        print(
            f"city: synth {c['synth_seconds']:.1f} s, load {c['load_seconds']:.1f} s, peak {c['peak_mib']:,.0f} MiB",
            flush=True,
        )
    gdir = Path(tempfile.mkdtemp(prefix="bidder-graph-", dir=work))
    g = run_phase("graph", str(db), str(gdir))
    res["graph"] = g
    print(
        f"bidder graph: {g['bidders']:,} bidders, {g['edges']:,} edges ({g['edges_with_identifiers']:,} with shared "
        f"identifiers) from {g['bids']:,} bids in {g['seconds']:.1f} s (store opened in {g['open_seconds']:.1f} s), "
        f"peak {g['peak_mib']:,.0f} MiB",
        flush=True,
    )
    print(
        f"{'method':<12} {'refine':>6} {'max':>4} {'seconds':>8} {'modularity':>10} {'communities':>11} "
        f"{'≥2':>6} {'largest':>7} {'RSS before':>10} {'peak MiB':>8}"
    )
    res["detect"] = []
    for method, refine, max_size in METHODS:
        d = run_phase(
            "detect",
            str(gdir),
            method,
            "-" if refine is None else str(refine),
            "-" if max_size is None else str(max_size),
            str(community_seed),
        )
        d.update(method=method, refine=refine, max_size=max_size)
        res["detect"].append(d)
        print(
            f"{method:<12} {refine if refine is not None else '-':>6} {max_size if max_size is not None else '-':>4} "
            f"{d['seconds']:>8.2f} {d['modularity']:>10.3f} {d['communities']:>11,} {d['of_two_or_more']:>6,} "
            f"{d['largest']:>7,} {d['rss_before_mib']:>10,.0f} {d['peak_mib']:>8,.0f}",
            flush=True,
        )
    shutil.rmtree(gdir, ignore_errors=True)
    s = run_phase("score", str(db), str(city), str(community_seed))
    res["score"] = s
    print(
        f"graphkit collusion score pipeline: {s['tenders_scored']:,} tenders in {s['score_seconds']:.1f} s, "
        f"peak {s['peak_mib']:,.0f} MiB; rings {s['rings_found']}/{s['rings_planted']} found "
        f"({s['rings_exact']} exactly, largest community holding a ring {s['ring_community_size_max']}), "
        f"member recall {s['member_recall']:.3f}, ROC AUC {s['roc_auc']:.4f} "
        f"(vs planted decoys {s['roc_auc_vs_planted_decoys']:.4f}; bids only {s['roc_auc_bids_only']:.4f}, "
        f"graph only {s['roc_auc_graph_only']:.4f})",
        flush=True,
    )
    if not keep:
        shutil.rmtree(city, ignore_errors=True)
        for p in (db, Path(str(db) + ".wal")):
            if p.exists():
                p.unlink() if p.is_file() else shutil.rmtree(p)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", action="store_true", help="evaluate at --scale (default 10,000) for --seeds")
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 8, 9])
    ap.add_argument("--scale", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--community-seed", type=int, default=0)
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where the city and store go and stay, reused by the next run (default: a temp dir)",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        kind, *rest = a.phase
        out = PHASES[kind](*rest)
        out["peak_mib"] = _peak_mib()
        print(json.dumps(out, default=str))
        return
    if a.eval:
        results = run_eval(a.scale or 10_000, a.seeds, a.community_seed)
    else:
        work = a.workdir or Path(tempfile.mkdtemp(prefix="graphkit-bench-"))
        work.mkdir(parents=True, exist_ok=True)
        results = run_scale(a.scale or 1_000_000, a.seed, work, a.community_seed, keep=a.workdir is not None)
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
    if a.json:
        a.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
