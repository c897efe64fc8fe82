"""Evaluate anomaly scoring (``graphkit.risk``) against the synthetic city's planted schemes.

    python bench/risk_eval.py                                   # scales 10,000 and 100,000, seeds 7 8 9
    python bench/risk_eval.py --scales 10000 --seeds 7 --iforest 0 0.5
    python bench/risk_eval.py --json bench/risk_eval.json

Cities and stores are generated, loaded and cached as by ``bench/models_eval.py`` (same ``--dir``).  For
each scale and seed:

* **no warnings** (``graphkit rank --no-warnings``): the unit ranking's ROC AUC for the units of the
  unmodelled schemes (``truth.json`` instances with ``"modelled": false``) against every other unit, and the
  person ranking's for their persons against every other person;
* **with warnings** (every collision model run, its hits as open warnings): the share of the units
  implicated in any planted instance (all schemes) that rank in the top 10 % of units, and the most that
  share can be when more units are implicated than the top 10 % holds;
* per scheme: recall in the top 10 % and ROC AUC of the scheme's units against the units of no instance,
  without and with warnings;
* speed: building features and scoring every unit (the ranking), and one unit's portrait data; with ``--cli``
  also the wall time of the commands themselves on a copy of the store (``graphkit rank --kind unit`` with no
  table cache yet, then ``graphkit portrait --unit`` of a planted unit: HTML the first time on a machine
  (with an empty font cache: it writes the base font, :mod:`graphkit.fonts`), HTML again, HTML and PDF, and
  HTML with ``--no-cache``), each a fresh process, imports included, wall and CPU seconds (``--cli-only``:
  only these, no evaluation).

``--rate`` plants that many instances of each scheme per 10,000 persons (default 5, the models' bench; cities
other than 5 are cached under their own names).  At 5, more units are implicated than the top 10 % can hold
(33 % of 400 units at 10,000 persons, 85 % of 500 at 100,000), so the top-10 % share is bounded by its ceiling;
``--rate 0.1`` plants one instance of each scheme (7-9 % of units implicated).

``--iforest`` compares weights of the Isolation Forest term, ``--z-max`` sets the cap of one deviation;
``--labels`` also fits with the ledger's verified outcomes simulated from the truth (half of the warnings
verified) and reports the change.

``--against DIR`` measures another checkout too (a worktree of main: ``git worktree add --detach DIR main``):
its own ``bench/risk_eval.py`` runs first with the same options on the same cities, then this one, and the
summary and the per-scheme table print both side by side (before → after):

    python bench/risk_eval.py --against /tmp/wt-main
    python bench/risk_eval.py --against /tmp/wt-main --rate 0.1
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _auc(y, s) -> float | None:
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        return None
    return float(roc_auc_score(y, s))


def _hits_as_warnings(hits) -> list[dict]:
    # the model too, as the ledger keeps it: the scorer counts a warning and a feature on one fact once
    return [
        {"model": m, "entities": e, "types": t, "level": lvl, "outcome": None}
        for m, e, t, lvl in zip(hits["model"], hits["entities"], hits["types"], hits["level"], strict=True)
    ]


def cli_times(db: Path, unit: str) -> dict[str, float]:
    """Wall and CPU seconds of ``graphkit rank`` and ``graphkit portrait`` run as commands on a copy of ``db``."""
    import shutil
    import subprocess
    import tempfile

    exe = [sys.executable, "-c", "import sys; from graphkit.cli import main; sys.exit(main())"]
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="risk-eval-") as d:
        copy = Path(d) / "C.db"
        shutil.copy(db, copy)
        if Path(str(db) + ".wal").exists():
            shutil.copy(Path(str(db) + ".wal"), Path(str(copy) + ".wal"))
        spec = f"embedded:{copy}"
        runs = {
            "rank_units_cli": ["rank", "--kind", "unit", "--store", spec, "--top", "20"],
            # the first portrait on a machine also writes the base font (graphkit.fonts) into an empty cache
            "portrait_html_first_cli": ["portrait", "--unit", unit, "--store", spec, "--out", f"{d}/P.html"],
            "portrait_html_cli": ["portrait", "--unit", unit, "--store", spec, "--out", f"{d}/P.html"],
            "portrait_html_pdf_cli": [
                *("portrait", "--unit", unit, "--store", spec, "--out", f"{d}/P.html", "--pdf", f"{d}/P.pdf"),
            ],
            "portrait_html_no_cache_cli": [
                *("portrait", "--unit", unit, "--store", spec, "--out", f"{d}/P.html", "--no-cache"),
            ],
        }
        for key, args in runs.items():
            import resource

            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            env = {**os.environ, "GRAPHKIT_CACHE": f"{d}/cache"}  # empty at first: the bench's own font cache
            subprocess.run([*exe, *args], check=True, capture_output=True, env=env)
            out[key] = round(time.perf_counter() - t0, 2)
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU seconds (user + system): what the command costs, less sensitive than wall time to other jobs
            out[key + "_cpu"] = round(c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime, 2)
    return out


def evaluate(
    db: Path, city: Path, *, iforests: list[float], labels: bool, z_max: float = 6.0, cli: bool = False
) -> dict:
    """All figures for one store."""
    from graphkit import rules as M
    from graphkit.risk.features import GraphFeatures
    from graphkit.risk.portrait import unit_portrait
    from graphkit.risk.scorer import AnomalyScorer
    from graphkit.risk.tables import read_tables
    from graphkit.stores.embedded import EmbeddedStore

    truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
    inst = truth["instances"]
    store = EmbeddedStore(db, read_only=True)
    out: dict = {}
    try:
        store.run("MATCH (n:Organization) RETURN count(n) AS n")
        t0 = time.perf_counter()
        tables = read_tables(store)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        Xu = GraphFeatures(kind="unit").fit_transform(tables)
        t_feat = time.perf_counter() - t0
        t0 = time.perf_counter()
        sc = AnomalyScorer(kind="unit", warnings=False, z_max=z_max).fit(Xu)
        sc.risk(Xu)
        sc.factors(Xu)
        t_score = time.perf_counter() - t0
        t0 = time.perf_counter()
        Xp = GraphFeatures(kind="person").fit_transform(tables)
        sp = AnomalyScorer(kind="person", warnings=False, z_max=z_max).fit(Xp)
        risk_p = sp.risk(Xp)
        t_person = time.perf_counter() - t0
        hits, _ = M.run_all(store)
        warnings = _hits_as_warnings(hits)
        # one unit's portrait data (a planted unit), as `graphkit portrait` builds it
        target = next(u for r in inst if not r["modelled"] for u in r["units"])
        t0 = time.perf_counter()
        unit_portrait(store, target, warnings=warnings)
        t_portrait = time.perf_counter() - t0
    finally:
        store.close()
    unmod_units = {u for r in inst if not r["modelled"] for u in r["units"]}
    unmod_persons = {p for r in inst if not r["modelled"] for p in r["persons"]}
    any_units = {u for r in inst for u in r["units"]}
    yu = Xu.index.isin(list(unmod_units))
    yp = Xp.index.isin(list(unmod_persons))
    out["units"] = len(Xu)
    out["persons"] = len(Xp)
    out["unmodelled_units"] = int(yu.sum())
    out["unmodelled_persons"] = int(yp.sum())
    out["implicated_units"] = int(Xu.index.isin(list(any_units)).sum())
    out["person_auc"] = _auc(yp, risk_p.to_numpy())
    out["seconds"] = {
        "read": round(t_read, 2),
        "unit_features": round(t_feat, 2),
        "unit_scoring": round(t_score, 2),
        "rank_units": round(t_read + t_feat + t_score, 2),
        "person_features_and_scoring": round(t_person, 2),
        "portrait_data": round(t_portrait, 2),
    }
    if cli:
        out["seconds"].update(cli_times(db, target))
    Xw = GraphFeatures(kind="unit", warnings=warnings).fit_transform(tables)
    schemes = sorted({r["scheme"] for r in inst})
    k = max(1, int(round(0.1 * len(Xu))))
    per: dict = {}
    for w in iforests:
        s0 = AnomalyScorer(kind="unit", warnings=False, iforest=w, z_max=z_max).fit(Xu).anomaly_score(Xu)
        s1 = AnomalyScorer(kind="unit", warnings=True, iforest=w, z_max=z_max).fit(Xw).anomaly_score(Xw)
        top1 = set(s1.sort_values(ascending=False, kind="stable").index[:k])
        top0 = set(s0.sort_values(ascending=False, kind="stable").index[:k])
        imp = [u for u in Xu.index if u in any_units]
        rec = {
            "unit_auc": _auc(yu, s0.to_numpy()),
            "top10_share_of_implicated": len(top1 & set(imp)) / max(len(imp), 1),
            "top10_ceiling": min(k, len(imp)) / max(len(imp), 1),
            "top10_precision": len(top1 & set(imp)) / k,
            "schemes": {},
        }
        for scheme in schemes:
            mine = {u for r in inst if r["scheme"] == scheme for u in r["units"]}
            if not mine:
                continue
            y = Xu.index.isin(list(mine))
            neg = ~Xu.index.isin(list(any_units))
            sel = y | neg
            rec["schemes"][scheme] = {
                "modelled": next(r["modelled"] for r in inst if r["scheme"] == scheme),
                "units": int(y.sum()),
                "recall_top10_no_warnings": len(top0 & mine) / len(mine),
                "auc_no_warnings": _auc(y[sel], s0.to_numpy()[sel]),
                "recall_top10_warnings": len(top1 & mine) / len(mine),
                "auc_warnings": _auc(y[sel], s1.to_numpy()[sel]),
            }
        per[str(w)] = rec
    out["by_iforest"] = per
    if labels:
        out["labels"] = _label_gain(Xw, Xu, warnings, truth, yu, z_max)
    return out


def _label_gain(Xw, Xu, warnings, truth, yu, z_max) -> dict:
    """Fit with simulated verified outcomes: half of the warnings verified (true positives, since the models'
    hits all match planted instances here) and, as dismissed, decoy units of a random half of the decoys."""
    from graphkit.risk.scorer import AnomalyScorer

    rng = np.random.default_rng(0)
    y = np.full(len(Xu), np.nan)
    idx = {u: i for i, u in enumerate(Xu.index)}
    for w in warnings:
        if rng.random() < 0.5:
            for e, t in zip(w["entities"], w["types"], strict=True):
                if t == "unit" and e in idx:
                    y[idx[e]] = 1
    inst_units = {u for r in truth["instances"] for u in r["units"]}
    for r in truth["decoys"]:
        if rng.random() < 0.5:
            for u in r["units"]:
                if u in idx and u not in inst_units:
                    y[idx[u]] = 0
    a0 = AnomalyScorer(kind="unit", warnings=False, z_max=z_max).fit(Xu).anomaly_score(Xu)
    a1 = AnomalyScorer(kind="unit", warnings=False, z_max=z_max).fit(Xu, y).anomaly_score(Xu)
    return {
        "labelled_true": int(np.nansum(y == 1)),
        "labelled_false": int(np.nansum(y == 0)),
        "unit_auc_without": _auc(yu, a0.to_numpy()),
        "unit_auc_with": _auc(yu, a1.to_numpy()),
    }


def _f(x) -> str:
    return "   -" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the tables."""
    from models_eval import default_dir, prepare

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 8, 9])
    ap.add_argument("--iforest", type=float, nargs="+", default=[0.0], help="Isolation Forest weights to compare")
    ap.add_argument("--labels", action="store_true", help="also measure fitting with simulated verified outcomes")
    ap.add_argument("--z-max", type=float, default=6.0, help="cap of one feature's deviation (AnomalyScorer z_max)")
    ap.add_argument("--rate", type=float, default=5.0, help="planted instances per scheme per 10,000 persons")
    ap.add_argument("--cli", action="store_true", help="also time graphkit rank and portrait as commands")
    ap.add_argument("--cli-only", action="store_true", help="only time the commands (no evaluation)")
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--against", type=Path, default=None, help="another checkout to measure too, side by side")
    a = ap.parse_args(argv)
    base = (a.dir or default_dir()).resolve()
    before = _run_against(a, base) if a.against is not None and not a.cli_only else None
    results = []
    for scale in a.scales:
        for seed in a.seeds:
            print(f"scale {scale:,} seed {seed}", flush=True)
            city, db = prepare(base, scale, seed, rebuild=a.rebuild, rate=a.rate)
            if a.cli_only:
                truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
                unit = next(u for r in truth["instances"] if not r["modelled"] for u in r["units"])
                print(f"  {json.dumps(cli_times(db, unit))}", flush=True)
                continue
            r = evaluate(db, city, iforests=a.iforest, labels=a.labels, z_max=a.z_max, cli=a.cli)
            r.update(scale=scale, seed=seed)
            results.append(r)
            print(
                f"  units {r['units']:,} (unmodelled {r['unmodelled_units']}, implicated {r['implicated_units']}); "
                f"persons {r['persons']:,} (unmodelled {r['unmodelled_persons']}); person AUC {_f(r['person_auc'])}"
            )
            for w, rec in r["by_iforest"].items():
                print(
                    f"  iforest {w}: unit AUC {_f(rec['unit_auc'])}; with warnings top 10 % holds "
                    f"{rec['top10_share_of_implicated']:.2f} of implicated units (ceiling {rec['top10_ceiling']:.2f}), "
                    f"precision {rec['top10_precision']:.2f}"
                )
            if "labels" in r:
                print(f"  labels: {r['labels']}")
            print(f"  seconds: {r['seconds']}", flush=True)
    if a.cli_only:
        return 0
    w0 = str(a.iforest[0])
    print(
        "\nSummary (minimum over seeds "
        + ", ".join(map(str, a.seeds))
        + f"; iforest {w0}; z_max {a.z_max}; rate {a.rate:g} per scheme per 10,000 persons)"
    )
    print(
        "| persons | unit AUC (no warnings) | person AUC (no warnings) | top 10 % holds (ceiling) | top-10 % precision "
        "| rank units s | portrait data s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for scale in a.scales:
        rs = [r for r in results if r["scale"] == scale]
        recs = [r["by_iforest"][w0] for r in rs]
        print(
            f"| {scale:,} | {min(x['unit_auc'] for x in recs):.3f} | {min(r['person_auc'] for r in rs):.3f} | "
            f"{min(x['top10_share_of_implicated'] for x in recs):.2f} ({min(x['top10_ceiling'] for x in recs):.2f}) | "
            f"{min(x['top10_precision'] for x in recs):.2f} | {max(r['seconds']['rank_units'] for r in rs):.1f} | "
            f"{max(r['seconds']['portrait_data'] for r in rs):.2f} |"
        )
    if a.cli:
        print("\nCommands, wall (CPU) seconds (max over seeds; fresh process each, imports included)")
        keys = (
            "rank_units_cli",
            "portrait_html_first_cli",
            "portrait_html_cli",
            "portrait_html_pdf_cli",
            "portrait_html_no_cache_cli",
        )
        print("| persons | " + " | ".join(keys) + " |")
        print("|---:|" + "---:|" * len(keys))
        for scale in a.scales:
            rs = [r["seconds"] for r in results if r["scale"] == scale]
            print(
                f"| {scale:,} | "
                + " | ".join(f"{max(r[k] for r in rs):.1f} ({max(r[k + '_cpu'] for r in rs):.1f})" for k in keys)
                + " |"
            )
    print("\nPer scheme (minimum over seeds): recall in the top 10 % / ROC AUC, without and with warnings")
    head = "| scheme | modelled |" + "".join(
        f" {s // 1000}k no warnings | {s // 1000}k with warnings |" for s in a.scales
    )
    print(head)
    print("|---|---|" + "---:|---:|" * len(a.scales))
    schemes = sorted({s for r in results for s in r["by_iforest"][w0]["schemes"]})
    for scheme in schemes:
        cells = []
        modelled = None
        for scale in a.scales:
            xs = [r["by_iforest"][w0]["schemes"].get(scheme) for r in results if r["scale"] == scale]
            xs = [x for x in xs if x]
            if not xs:
                cells.append(" - | - |")
                continue
            modelled = xs[0]["modelled"]

            def mn(key, xs=xs):
                v = [x[key] for x in xs if x[key] is not None]
                return min(v) if v else None

            cells.append(
                f" {_f(mn('recall_top10_no_warnings'))} / {_f(mn('auc_no_warnings'))} |"
                f" {_f(mn('recall_top10_warnings'))} / {_f(mn('auc_warnings'))} |"
            )
        print(f"| `{scheme}` | {'yes' if modelled else '**no**'} |" + "".join(cells))
    if before is not None:
        _side_by_side(before, results, a, w0)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def _run_against(a, base: Path) -> list[dict]:
    """The results of ``a.against``'s own bench with the same options on the same cities (a fresh process with
    that checkout first on the path)."""
    import subprocess
    import tempfile

    root = a.against.resolve()
    args = [sys.executable, str(root / "bench" / "risk_eval.py"), "--dir", str(base), "--rate", f"{a.rate:g}"]
    args += ["--scales", *map(str, a.scales), "--seeds", *map(str, a.seeds), "--iforest", *map(str, a.iforest)]
    args += ["--z-max", f"{a.z_max:g}"] + (["--labels"] if a.labels else []) + (["--rebuild"] if a.rebuild else [])
    a.rebuild = False  # built once, by the first run
    with tempfile.TemporaryDirectory(prefix="risk-eval-against-") as d:
        out = Path(d) / "before.json"
        env = {**os.environ, "PYTHONPATH": str(root)}
        print(f"--against {root}: its bench first", flush=True)
        subprocess.run([*args, "--json", str(out)], check=True, env=env, cwd=root)
        return json.loads(out.read_text(encoding="utf-8"))


def _side_by_side(before: list[dict], after: list[dict], a, w0: str) -> None:
    """The summary and the per-scheme table of two checkouts' results, ``before → after`` in each cell."""

    def pair(x, y, fmt="{:.3f}") -> str:
        f = lambda v: "-" if v is None else fmt.format(v)  # noqa: E731
        return f"{f(x)} → {f(y)}"

    def mins(rs, key, scale):
        vals = [r["by_iforest"][w0][key] for r in rs if r["scale"] == scale]
        vals = [v for v in vals if v is not None]
        return min(vals) if vals else None

    print(
        f"\nBefore ({a.against}) → after (this checkout), minimum over seeds {', '.join(map(str, a.seeds))}; "
        f"rate {a.rate:g}; iforest {w0}"
    )
    print(
        "| persons | units implicated | unit AUC (no warnings) | person AUC (no warnings) | top 10 % holds (ceiling) "
        "| top-10 % precision |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for scale in a.scales:
        rb = [r for r in before if r["scale"] == scale]
        ra = [r for r in after if r["scale"] == scale]
        imp = [r["implicated_units"] for r in ra]

        def both(key, fmt="{:.2f}", rb=rb, ra=ra, scale=scale):
            return pair(mins(rb, key, scale), mins(ra, key, scale), fmt)

        person = pair(min(r["person_auc"] for r in rb), min(r["person_auc"] for r in ra))
        print(
            f"| {scale:,} | {min(imp)}-{max(imp)} of {ra[0]['units']:,} | {both('unit_auc', '{:.3f}')} | {person} | "
            f"{both('top10_share_of_implicated')} ({mins(ra, 'top10_ceiling', scale):.2f}) | "
            f"{both('top10_precision')} |"
        )
    print("\nPer scheme (minimum over seeds): recall in the top 10 % / ROC AUC, before → after")
    print(
        "| scheme | modelled |" + "".join(f" {s // 1000}k no warnings | {s // 1000}k with warnings |" for s in a.scales)
    )
    print("|---|---|" + "---:|---:|" * len(a.scales))
    schemes = sorted({s for r in after for s in r["by_iforest"][w0]["schemes"]})
    for scheme in schemes:
        cells, modelled = [], None
        for scale in a.scales:
            got = []
            for rs in (before, after):
                xs = [r["by_iforest"][w0]["schemes"].get(scheme) for r in rs if r["scale"] == scale]
                xs = [x for x in xs if x]
                got.append(xs)
                modelled = xs[0]["modelled"] if xs else modelled

            def mn(xs, key):
                v = [x[key] for x in xs if x[key] is not None]
                return min(v) if v else None

            xb, xa = got
            cells.append(
                f" {pair(mn(xb, 'recall_top10_no_warnings'), mn(xa, 'recall_top10_no_warnings'), '{:.2f}')} / "
                f"{pair(mn(xb, 'auc_no_warnings'), mn(xa, 'auc_no_warnings'), '{:.2f}')} |"
                f" {pair(mn(xb, 'recall_top10_warnings'), mn(xa, 'recall_top10_warnings'), '{:.2f}')} / "
                f"{pair(mn(xb, 'auc_warnings'), mn(xa, 'auc_warnings'), '{:.2f}')} |"
            )
        print(f"| `{scheme}` | {'yes' if modelled else '**no**'} |" + "".join(cells))


if __name__ == "__main__":
    raise SystemExit(main())
