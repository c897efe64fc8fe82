"""What an adapted model's flag says about a market: the share it flags, against the share of cartels.

    python bench/adapted_threshold.py --models-dir /tmp/gk_models     # the models cached for a rerun
    python bench/adapted_threshold.py --no-model                      # adapt from the label-free score alone

``graphkit collusion adapt`` learns from a commission's confirmed tenders, and a commission confirms what it chose
to investigate: about as many collusive tenders as competitive ones, whatever the share of cartels in its market
(Japan 11 %, the USA 13 %). Each market of ../shared/data/ in turn is that commission's (leave one market out, as
``bench/collusion_eval.py --unseen``: the model is trained on the other three, bids only): ``--per-class`` n
collusive and n competitive tenders of two or more bids are drawn at random (``--draws`` draws per n), the model is
adapted to them (:class:`~graphkit.collusion.adapt.AdaptedScorer`) and every threshold rule below is applied to the
same adapted risks. Figures over the market's other tenders of two or more bids (the labelled ones left out):

* ``flagged``: share of the market's scored tenders above the threshold;
* ``bal. acc.``: balanced accuracy of the flag (what the flag is judged by);
* ``precision``: share of the flagged tenders that are collusive (against the market's base rate);
* ``tier``: precision of the priority tier, the riskiest 5 % of the market by the same adapted risk
  (:func:`~graphkit.collusion.unsupervised.priority_tier`; no threshold sets it).

Rules, each on the same adapted risks:

* ``as fitted``: the threshold ``AdaptedScorer.fit`` sets (the code as it is);
* ``labels' best BA``: the threshold of best balanced accuracy on the confirmed tenders (middle of ties), the
  rule the code used with 20 or more of each outcome;
* ``median``: the upper half of the market's adapted risks, the label-free rule;
* ``share = estimate``: the top share the confirmed tenders and the market's risks estimate
  (:func:`graphkit.collusion.adapt.estimate_share`, adjusted count: no held-out label read);
* ``share = base rate``: the top share of the market equal to its true share of collusive tenders: a commission
  that *states* its share (here read from the labels, so a reference, never a choice: nothing is set from it);
* ``oracle best BA``: the threshold of best balanced accuracy on the held-out tenders themselves (a reference:
  what the best flag by balanced accuracy flags).

Nothing here is tuned to the held-out market's labels: the last two rows read them, to show where the others sit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from collusion_eval import DATA, MARKETS, load_market, model_cache_name, versions  # noqa: E402

from graphkit.collusion.adapt import AdaptedScorer  # noqa: E402
from graphkit.collusion.features import tender_features  # noqa: E402
from graphkit.collusion.scorer import CollusionScorer, load  # noqa: E402
from graphkit.collusion.unsupervised import LabelFreeScorer, priority_tier, unscorable  # noqa: E402
from loaders.bids import tender_labels  # noqa: E402

RULES = ("as fitted", "labels' best BA", "median", "share = estimate", "share = base rate", "oracle best BA")


def best_ba_threshold(r: np.ndarray, y: np.ndarray) -> float:
    """The threshold of best balanced accuracy of ``r > t`` on labels ``y`` (the middle of tied ones)."""
    cand = np.unique(r)
    best, lo, hi = -1.0, 0.5, 0.5
    for t in cand[:-1]:
        p = r > t
        ba = (p[y == 1].mean() + (~p[y == 0]).mean()) / 2
        if ba > best + 1e-12:
            best, lo, hi = ba, float(t), float(t)
        elif abs(ba - best) <= 1e-12:
            hi = float(t)
    return (lo + hi) / 2


def top_share(r: np.ndarray, q: float) -> float:
    """The threshold that flags the top ``q`` of ``r``."""
    return float(np.quantile(r, 1 - q)) if q < 1 else -np.inf


def figures(y: np.ndarray, flag: np.ndarray, scored_flag: np.ndarray) -> dict:
    tp = int((flag & (y == 1)).sum())
    return {
        "flagged": float(scored_flag.mean()),
        "bal. acc.": float((flag[y == 1].mean() + (~flag[y == 0]).mean()) / 2),
        "precision": tp / int(flag.sum()) if flag.any() else float("nan"),
    }


def one_market(
    m: str,
    f: pd.DataFrame,
    y: np.ndarray,
    model,
    per_class: list[int],
    draws: int,
    seed: int,
) -> list[dict]:
    from graphkit.collusion.adapt import estimate_share

    scored = ~unscorable(f)
    lf = LabelFreeScorer(random_state=seed).fit(f)
    Z = AdaptedScorer(base=model, label_free=lf, random_state=seed).fit(f, np.full(len(y), -1)).design(f)
    rng = np.random.default_rng(seed)
    pos, neg = np.flatnonzero(scored & (y == 1)), np.flatnonzero(scored & (y == 0))
    base_rate = float(y[scored].mean())
    rows = []
    for n in per_class:
        for d in range(draws):
            pick = np.r_[rng.choice(pos, n, replace=False), rng.choice(neg, n, replace=False)]
            lab = np.full(len(y), -1)
            lab[pick] = y[pick]
            a = AdaptedScorer(base=model, label_free=lf, random_state=seed).fit(f, lab, design=Z)
            r = a.predict_proba(f, design=Z)[:, 1]
            test = scored.copy()
            test[pick] = False
            rs, rl, yl = r[scored], r[pick], y[pick]
            est = estimate_share(rl, yl, rs)
            thr = {
                "as fitted": a.threshold_,
                "labels' best BA": best_ba_threshold(rl, yl),
                "median": float(np.median(rs)),
                "share = estimate": top_share(rs, est),
                "share = base rate": top_share(rs, base_rate),
                "oracle best BA": best_ba_threshold(r[test], y[test]),
            }
            tier = priority_tier(np.where(scored, r, np.nan), f["tender"].astype(str).to_numpy()).astype(bool)
            tier_prec = float(y[tier & test].mean()) if (tier & test).any() else float("nan")
            for rule, t in thr.items():
                rows.append(
                    {
                        "market": m,
                        "per class": n,
                        "draw": d,
                        "rule": rule,
                        "threshold": t,
                        **figures(y[test], r[test] > t, rs > t),
                        "tier": tier_prec,
                        "base rate": base_rate,
                        "estimate": est,
                        "fitted rule": a.threshold_rule_,
                    }
                )
        print(f"  {m}: {n} per class done", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--markets", nargs="*", default=list(MARKETS), choices=list(MARKETS))
    ap.add_argument("--per-class", nargs="*", type=int, default=[10, 20, 50])
    ap.add_argument("--draws", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-model", action="store_true", help="adapt from the label-free score alone (no model)")
    ap.add_argument("--models-dir", type=Path, default=None, help="cache of the trained-elsewhere models")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    markets = {m: load_market(m, a.data) for m in MARKETS}
    feats, ys = {}, {}
    for m, bids in markets.items():
        feats[m] = tender_features(bids, random_state=a.seed)
        ys[m] = tender_labels(bids).reindex(feats[m].index).to_numpy(dtype=int)
        print(f"  features {m} done", file=sys.stderr, flush=True)
    rows = []
    for m in a.markets:
        model = None
        if not a.no_model:
            others = [k for k in MARKETS if k != m]
            cached = a.models_dir / model_cache_name(others, a.seed, a.data) if a.models_dir else None
            if cached is not None and cached.exists():
                model = load(cached)
            else:  # as collusion_eval --unseen trains it (bids only, cv=0)
                model = CollusionScorer(bidder_history=False, cv=0, random_state=a.seed).fit(
                    pd.concat([feats[k] for k in others]), np.concatenate([ys[k] for k in others])
                )
                if cached is not None:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    model.save(cached)
        rows += one_market(m, feats[m], ys[m], model, a.per_class, a.draws, a.seed)
    df = pd.DataFrame(rows)
    start = "the label-free score" if a.no_model else "the model trained on the other three markets"
    print(
        f"\nadapted from {start}; n collusive + n competitive confirmed tenders drawn at random, {a.draws} draws "
        f"(seed {a.seed}); figures on the market's other tenders of 2+ bids, mean (min-max) over the draws\n"
    )
    print("| market | base rate | n per class | rule | flagged | bal. acc. | precision | tier (5 %) |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")

    def cell(s: pd.Series, pct: bool = False) -> str:
        f = (lambda v: f"{v:.0%}") if pct else (lambda v: f"{v:.3f}")
        return f"{f(s.mean())} ({f(s.min())}-{f(s.max())})"

    for (m, n, rule), g in df.groupby(["market", "per class", "rule"], sort=False):
        print(
            f"| {m} | {g['base rate'].iloc[0]:.1%} | {n} | {rule} | {cell(g['flagged'], True)} | "
            f"{cell(g['bal. acc.'])} | {cell(g['precision'])} | {g['tier'].mean():.3f} |"
        )
    est = df[df["rule"] == "as fitted"].groupby(["market", "per class"], sort=False)
    print("\nthe market's share of collusive tenders estimated from the confirmed tenders (adjusted count):\n")
    for (m, n), g in est:
        print(
            f"  {m}, {n} per class: {cell(g['estimate'], True)} (true {g['base rate'].iloc[0]:.1%}); "
            f"as fitted: {g['fitted rule'].iloc[0]}"
        )
    summary = df.groupby(["per class", "rule"], sort=False)[["flagged", "bal. acc.", "precision", "tier"]].mean()
    print("\nmean over the markets:\n")
    print(summary.round(3).to_string())
    print(f"\n({time.perf_counter() - t0:.0f} s wall; {versions()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
