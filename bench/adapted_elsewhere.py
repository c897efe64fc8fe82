"""A model adapted to one market, scoring a file of another market that names none.

    python bench/adapted_elsewhere.py                      # k = 60 confirmed tenders, seed 0
    python bench/adapted_elsewhere.py --models /tmp/ce31   # reuse collusion_eval's cached trained-elsewhere models

Each of the four labelled markets in turn is the adapted market A: the model trained on the other three (bids
only, as ``collusion_eval.py --unseen`` trains it; cached under ``--models`` by the same name) is adapted to A
with ``--k`` of A's confirmed tenders drawn at random (both outcomes among them), as ``graphkit collusion adapt``
does. Each other market's file B is then scored as ``graphkit collusion score-bids B.csv --model A2.skops`` scores
a file that names no market: every bid put in market A (``_as_market``), the adapted weights. ROC AUC on B's
tenders of two or more bids, and the balanced accuracy at the median of the file's own adapted risks (the
threshold such a file is flagged above):

* *before*: the label-free part read against market A (A's reference distributions, date and bidder context and
  cover-screen decision), as graphkit did until :meth:`AdaptedScorer.in_own_market`;
* *after*: the label-free part read within B's own tenders (``in_own_market``), as an unseen market's is.

The adapted market's own file is scored both ways too: a check that a file known to be market A scores as
before (it is not changed by the rule) and a reference figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import balanced_accuracy_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from collusion_eval import DATA, MARKETS, _auc, _draw, market_path, model_cache_name  # noqa: E402

from graphkit.collusion.adapt import AdaptedScorer  # noqa: E402
from graphkit.collusion.features import tender_features  # noqa: E402
from graphkit.collusion.scorer import CollusionScorer, load  # noqa: E402
from loaders.bids import read_bids, tender_labels  # noqa: E402


def as_market(bids: pd.DataFrame, name: str) -> pd.DataFrame:
    """Every bid in market ``name``, its key market|tender (the CLI's ``_as_market``)."""
    return bids.assign(market=name, key=name + "|" + bids["tender"].astype(str))


def bal_acc_at_median(y: np.ndarray, r: np.ndarray) -> float:
    ok = np.isfinite(r)
    return float(balanced_accuracy_score(y[ok], r[ok] > np.median(r[ok])))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--k", type=int, default=60, help="confirmed tenders of the adapted market")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", type=Path, default=None, help="cache of trained-elsewhere models (collusion_eval's)")
    a = ap.parse_args(argv)
    t0 = time.process_time()
    bids = {m: read_bids(market_path(m, a.data), market=m, with_label=True).bids for m in MARKETS}
    labels = {m: tender_labels(b) for m, b in bids.items()}
    feats = {m: tender_features(b, random_state=a.seed) for m, b in bids.items()}
    rows = []
    for A in MARKETS:
        others = [m for m in MARKETS if m != A]
        cached = a.models / model_cache_name(others, a.seed, a.data) if a.models else None
        if cached is not None and cached.exists():
            base = load(cached)
        else:
            f = pd.concat([feats[m] for m in others])
            y = np.concatenate([labels[m].reindex(feats[m].index).to_numpy(dtype=int) for m in others])
            base = CollusionScorer(cv=0, random_state=a.seed).fit(f, y)
            if cached is not None:
                a.models.mkdir(parents=True, exist_ok=True)
                base.save(cached)
        fA = feats[A]
        yA = labels[A].reindex(fA.index).to_numpy(dtype=int)
        multi = np.flatnonzero(fA["n_bids"].to_numpy() >= 2)
        pick = multi[_draw(yA[multi], a.k, np.random.default_rng(a.seed))]
        lab = np.full(len(yA), -1)
        lab[pick] = yA[pick]
        adapted = AdaptedScorer(base=base, random_state=a.seed).fit(fA, lab)
        print(f"  adapted to {A} ({a.k} confirmed tenders)", file=sys.stderr, flush=True)
        for B in MARKETS:
            b = bids[B] if B == A else as_market(bids[B], A)
            f = fA if B == A else tender_features(b, random_state=a.seed)
            y = tender_labels(b).reindex(f.index).to_numpy(dtype=int)
            ok = f["n_bids"].to_numpy() >= 2
            before = adapted.predict_proba(f)[:, 1]
            after = adapted.in_own_market(f).predict_proba(f)[:, 1]
            rows.append(
                {
                    "adapted to": A,
                    "file": B,
                    "tenders": int(ok.sum()),
                    "before": _auc(y[ok], before[ok]),
                    "after": _auc(y[ok], after[ok]),
                    "bal. acc. before": bal_acc_at_median(y[ok], before[ok]),
                    "bal. acc. after": bal_acc_at_median(y[ok], after[ok]),
                }
            )
    t = pd.DataFrame(rows)
    print(
        f"\n### A model adapted to one market ({a.k} confirmed tenders, seed {a.seed}) scoring a file that names no "
        "market: ROC AUC on its tenders of 2+ bids (balanced accuracy at the file's own median); before = label-free "
        "part read against the adapted market, after = within the file's own market (AdaptedScorer.in_own_market)\n"
    )
    print("| adapted to | file | tenders | ROC AUC before | after | bal. acc. before | after |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        own = " (its own market)" if r["file"] == r["adapted to"] else ""
        print(
            f"| {r['adapted to']} | {r['file']}{own} | {r['tenders']:,} | {r['before']:.3f} | {r['after']:.3f} | "
            f"{r['bal. acc. before']:.3f} | {r['bal. acc. after']:.3f} |"
        )
    other = t[t["file"] != t["adapted to"]]
    print(
        f"\nother markets' files: mean ROC AUC {other['before'].mean():.3f} before, {other['after'].mean():.3f} "
        f"after; higher after in {(other['after'] > other['before']).sum()} of {len(other)}"
    )
    print(f"\n(bench ran in {time.process_time() - t0:.0f} CPU s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
