"""Evaluate the tender-collusion scorer on the four labelled markets in ../shared/data/.

    python bench/collusion_eval.py                 # everything below, a table per section
    python bench/collusion_eval.py --skip-speed    # without the 100,000-tender timing
    python bench/collusion_eval.py --city 10000    # also the synthetic city (graphkit.collusion.kg)
    python bench/collusion_eval.py --unseen        # only the unseen-market section (below)
    python bench/collusion_eval.py --unseen --file Ticino=PATH.csv   # plus another labelled market

Sections (tender level; the label is ``Collusive_competitor``; ``Tender`` and ``Date`` only order and
split, never features; the files' precomputed screen columns are never read):

* **period split** per market: train on the earlier ``--split`` share of tenders by ``Date`` (Italy has
  no date: its tender ids, which run in file order, stand in for time), test on the later ones.
  Features of each side come from that side's bids only; the decision threshold is chosen on the
  training side (out-of-fold). Models: *bids only* (screens, subgroup screens, behavioural
  features), *+ bidder record* (also which bidders sat in collusive *training* tenders) where the
  market has firm ids and *+ segment record* (also how often the tender's contract type was
  collusive among the *training* tenders) where it has a contract type (Switzerland's
  ``Contract_type``; :data:`SEGMENTS`);
* **rolling**: ``--blocks`` consecutive time blocks; each block after the first is scored by a model
  trained on all blocks before it; predictions pooled;
* **bidder-disjoint**: firms split at random into halves; a tender belongs to the half most of its
  bidders are in; train on one half, test on the other (no period split; USA, Italy, Japan);
* **cross-market**: train on three markets, test on the fourth (bids only: firm ids mean nothing
  across markets);
* **directions**: the ROC AUC of each screen and feature on its own, per market — whether collusive
  tenders have higher or lower values — which shows why one market's lesson does not carry to another;
* **bid directions**: the same at bid level, against the files' ``Collusive_competitor_original`` (1 when
  the bid came from a convicted cartel member: a truth that means the same in every market, unlike the
  tender label's market-specific share of cartel bids). Read here only, to measure; never a feature;
* **unseen markets** (``--unseen``, run alone): each market in turn is the commission's own, never seen
  by the model: the label-free score (:mod:`graphkit.collusion.unsupervised`, fitted on the market's
  bids, no label) with its label-free threshold, each oriented screen alone, the model trained on the
  other markets (bids only), their blend, the guarded blend (the blend where the model's risk and the
  label-free risk rank the market's tenders alike, Spearman > 0, else the label-free score; the
  correlation is printed) and the default ``score-bids`` uses
  (:data:`graphkit.collusion.adapt.UNSEEN_DEFAULT`); then the learning curve of
  :class:`~graphkit.collusion.adapt.AdaptedScorer`: k = 0, 10, 20, 50, 100 labelled tenders of the market
  drawn at random (``--draws`` draws; both classes in each), ROC AUC on the market's other tenders, for its
  default prior (weights pulled towards the unseen-market default) and, on the same draws, the plain L2
  prior (towards 0) it replaced. ROC AUC
  of every row is over the tenders of two or more bids (a single bid has no screen);
* **speed**: 100,000 tenders resampled from the four markets (their bidders and markets kept), scored
  end to end as ``graphkit collusion score-bids`` does: read CSV, features, risk and reasons, write CSV.

Every row sits next to the majority baseline: always predicting the training majority class
(balanced accuracy 0.5, ROC AUC 0.5).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, balanced_accuracy_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphkit.collusion.adapt import (  # noqa: E402
    UNSEEN_DEFAULT,
    AdaptedScorer,
    model_weight,
    unseen_choice,
    unseen_risk,
    unseen_thresholds,
    within_market_percentile,
)
from graphkit.collusion.features import tender_features, tender_segments  # noqa: E402
from graphkit.collusion.scorer import CollusionScorer, score_tenders  # noqa: E402
from graphkit.collusion.unsupervised import FAMILIES, LabelFreeScorer, _band, oriented_percentiles  # noqa: E402
from loaders.bids import read_bids, tender_labels  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "collusion_garcia_rodriguez_2022"
MARKETS = {
    "USA": "DB_Collusion_America_processed.csv",
    "Italy": "DB_Collusion_Italy_processed.csv",
    "Japan": "DB_Collusion_Japan_processed.csv",
    "Switzerland": "DB_Collusion_Switzerland_GR_and_See-Gaster_processed.csv",
}
#: market -> its column naming the kind of contract (the segment record's key). Japan's ``Site``
#: (370 places, 44 % of the later half's places unseen in the earlier half) was tried: as a segment
#: record alone it ranks the later tenders at ROC AUC 0.54, so it is not used.
SEGMENTS = {"Switzerland": "Contract_type"}


#: market -> file of a labelled market given with ``--file NAME=PATH`` (same column format)
EXTRA: dict[str, Path] = {}


def market_path(name: str, data: Path) -> Path:
    return EXTRA[name] if name in EXTRA else data / MARKETS[name]


def has_column(name: str, data: Path, column: str) -> bool:
    """Whether the market's file has ``column`` (its header only is read)."""
    return column in pd.read_csv(market_path(name, data), nrows=0).columns


def load_market(name: str, data: Path) -> pd.DataFrame:
    path = market_path(name, data)
    segment = SEGMENTS.get(name)
    if name in EXTRA and has_column(name, data, "Contract_type"):
        segment = "Contract_type"  # the format's kind of contract, as in the Swiss file
    t = read_bids(path, market=name, with_label=True, segment=segment)
    bids = t.bids
    if "date" not in bids.columns or bids["date"].isna().all():
        # Italy: no date; the time splits order by id ("order"), the label-free period context reads none
        bids = bids.assign(order=pd.to_numeric(bids["tender"], errors="coerce"))
    return bids


def tender_order(bids: pd.DataFrame) -> pd.Series:
    """Tender key -> time (date, or the tender id as a number without dates; ties broken by the id)."""
    when = "date" if "order" not in bids.columns else "order"
    first = bids.groupby("key", sort=False).agg(date=(when, "first"), tender=("tender", "first"))
    tid = pd.to_numeric(first["tender"], errors="coerce")
    return first.assign(tid=tid).sort_values(["date", "tid"], kind="stable")["date"]


def variants(market: str, bids: pd.DataFrame) -> list[tuple[str, bool, str | None]]:
    """(model label, bidder record?, segment column) for each model the market's columns allow."""
    out = [("bids only", False, None)]
    if "bidder" in bids.columns and bids["bidder"].notna().any():
        out.append(("+ bidder record", True, None))
    if market in SEGMENTS and "segment" in bids.columns:
        out.append((f"+ segment record ({SEGMENTS[market]})", False, SEGMENTS[market]))
    return out


def segment_table(train: pd.DataFrame) -> pd.DataFrame:
    """Collusive and all training tenders per segment, and their share."""
    t = pd.DataFrame({"segment": tender_segments(train), "collusive": tender_labels(train)})
    out = t.groupby("segment")["collusive"].agg(collusive="sum", tenders="size")
    return out.assign(share=(out["collusive"] / out["tenders"]).round(3)).astype({"collusive": int})


def metrics(y: np.ndarray, risk: np.ndarray, pred: np.ndarray, train_y: np.ndarray) -> dict:
    majority = int(np.mean(train_y) >= 0.5)
    both = len(np.unique(y)) == 2
    return {
        "n_test": int(len(y)),
        "pos_test": int(np.sum(y)),
        "auc": float(roc_auc_score(y, risk)) if both else float("nan"),
        "bal_acc": float(balanced_accuracy_score(y, pred)) if both else float("nan"),
        "acc": float(accuracy_score(y, pred)),
        "base_acc": float(np.mean(y == majority)),
    }


def fit_predict(
    train: pd.DataFrame, test: pd.DataFrame, *, history: bool, seed: int, segment: str | None = None
) -> tuple[np.ndarray, ...]:
    ftr = tender_features(train, random_state=seed)
    fte = tender_features(test, random_state=seed)
    ytr = tender_labels(train).reindex(ftr.index).to_numpy(dtype=int)
    yte = tender_labels(test).reindex(fte.index).to_numpy(dtype=int)
    s = CollusionScorer(bidder_history=history, segment=segment, random_state=seed).fit(ftr, ytr)
    risk = pd.Series(s.predict_proba(fte)[:, 1], index=fte.index)  # by tender key (see per_segment)
    return yte, risk, s.predict(fte), ytr


def per_segment(test: pd.DataFrame, y: np.ndarray, risk: pd.Series) -> pd.DataFrame:
    """Test tenders, collusive ones and the model's ROC AUC within each segment."""
    seg = tender_segments(test).reindex(risk.index).astype(str).to_numpy()
    rows = {}
    for k in sorted(pd.unique(seg)):
        m = seg == k
        rows[k] = {
            "tenders": int(m.sum()),
            "collusive": int(y[m].sum()),
            "ROC AUC": round(float(roc_auc_score(y[m], risk.to_numpy()[m])), 3)
            if len(np.unique(y[m])) == 2
            else float("nan"),
        }
    return pd.DataFrame(rows).T.astype({"tenders": int, "collusive": int}).rename_axis("segment")


def period_split(bids: pd.DataFrame, frac: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    order = tender_order(bids)
    cut = set(order.index[: int(round(len(order) * frac))])
    m = bids["key"].isin(cut)
    return bids[m], bids[~m]


def rolling(bids: pd.DataFrame, blocks: int, *, history: bool, seed: int, segment: str | None = None) -> dict:
    order = tender_order(bids)
    block = pd.Series(np.minimum(np.arange(len(order)) * blocks // len(order), blocks - 1), index=order.index)
    ys, rs, ps, trs = [], [], [], []
    for k in range(1, blocks):
        tr = bids[bids["key"].map(block) < k]
        te = bids[bids["key"].map(block) == k]
        if tender_labels(tr).nunique() < 2:
            continue
        y, r, p, ytr = fit_predict(tr, te, history=history, seed=seed, segment=segment)
        ys.append(y), rs.append(r), ps.append(p), trs.append(ytr)
    return metrics(np.concatenate(ys), np.concatenate(rs), np.concatenate(ps), np.concatenate(trs))


def bidder_disjoint(bids: pd.DataFrame, *, history: bool, seed: int) -> dict | None:
    if "bidder" not in bids.columns or bids["bidder"].isna().all():
        return None
    firms = pd.unique(bids["bidder"].dropna())
    rng = np.random.default_rng(seed)
    half = set(rng.choice(firms, size=len(firms) // 2, replace=False))
    share = bids.assign(a=bids["bidder"].isin(half)).groupby("key")["a"].mean()
    train_keys = set(share.index[share > 0.5])
    m = bids["key"].isin(train_keys)
    if tender_labels(bids[m]).nunique() < 2 or tender_labels(bids[~m]).nunique() < 2:
        return None
    return metrics(*fit_predict(bids[m], bids[~m], history=history, seed=seed))


def resample(markets: dict[str, pd.DataFrame], n: int, seed: int) -> pd.DataFrame:
    """n tenders drawn with replacement from the markets (in proportion to their tenders)."""
    rng = np.random.default_rng(seed)
    pool = pd.concat(markets.values(), ignore_index=True)
    keys = pd.unique(pool["key"])
    pick = rng.choice(len(keys), size=n, replace=True)
    groups = pool.groupby("key", sort=False).indices
    idx = np.concatenate([groups[keys[i]] for i in pick])
    reps = np.repeat(np.arange(n), [len(groups[keys[i]]) for i in pick])
    out = pool.iloc[idx]
    src = pd.DataFrame(
        {
            "market": out["market"].to_numpy(),
            "Tender": [f"S{r:06d}" for r in reps],
            "Competitors": out["bidder"].to_numpy() if "bidder" in out else None,
            "Winner": out["winner"].to_numpy(),
            "Bid_value": out["bid"].to_numpy(),
            "Pre-Tender Estimate (PTE)": out["pte"].to_numpy() if "pte" in out else None,
        }
    )
    return src


def speed(markets: dict[str, pd.DataFrame], n: int, seed: int) -> dict:
    allbids = pd.concat(markets.values(), ignore_index=True)
    f = tender_features(allbids, random_state=seed)
    y = tender_labels(allbids).reindex(f.index).astype(int)
    model = CollusionScorer(random_state=seed).fit(f, y)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "bids.csv"
        resample(markets, n, seed).to_csv(src, index=False)
        out = Path(d) / "tenders.csv"
        t0 = time.perf_counter()
        table = read_bids(src)
        t1 = time.perf_counter()
        feats = tender_features(table.bids, random_state=seed)
        t2 = time.perf_counter()
        res = score_tenders(feats, model)
        t3 = time.perf_counter()
        res.to_csv(out, index=False)
        t4 = time.perf_counter()
        from graphkit.collusion.unsupervised import score_label_free

        lf = score_label_free(feats)  # no model: the label-free screens with their bidders context
        t5 = time.perf_counter()
    return {
        "tenders": int(len(res)),
        "bids": int(len(table.bids)),
        "read_s": t1 - t0,
        "features_s": t2 - t1,
        "score_and_reasons_s": t3 - t2,
        "write_s": t4 - t3,
        "total_s": t4 - t0,
        "label_free_s": t5 - t4,
        "label_free_tenders": int(lf["risk"].notna().sum()),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


DIRECTION_FEATURES = (
    "CV",
    "SPD",
    "DIFFP",
    "RD",
    "KURT",
    "SKEW",
    "KSTEST",
    "sub_CV_min",
    "n_bids",
    "bid_level",
    "cover_1pct",
    "win_pte",
    "never_win_share",
    "rot_inside",
    "pair_meetings",
)


def directions(markets: dict[str, pd.DataFrame], seed: int) -> pd.DataFrame:
    """ROC AUC of each feature on its own, per market (all tenders): above 0.5, higher values go with
    collusive tenders; below 0.5, lower values do. Empty where the market lacks the data."""
    out = {}
    for m, bids in markets.items():
        f = tender_features(bids, random_state=seed)
        y = tender_labels(bids).reindex(f.index).to_numpy(dtype=int)
        col = {}
        for c in DIRECTION_FEATURES:
            x = f[c].to_numpy(dtype=float)
            ok = ~np.isnan(x)
            if ok.sum() >= 30 and len(np.unique(y[ok])) == 2 and len(np.unique(x[ok])) > 1:
                col[c] = roc_auc_score(y[ok], x[ok])
        out[m] = col
    return pd.DataFrame(out).reindex(list(DIRECTION_FEATURES))


def bid_truth(name: str, data: Path, bids: pd.DataFrame) -> pd.Series:
    """Each usable bid's ``Collusive_competitor_original`` (bid from a convicted cartel member), read
    from the source row the bid came from."""
    raw = pd.read_csv(market_path(name, data), usecols=["Collusive_competitor_original"])
    return pd.Series(raw["Collusive_competitor_original"].to_numpy()[bids["src_row"].to_numpy() - 2], index=bids.index)


BID_DIRECTION_FEATURES = (
    "bid rank in tender",
    "above lowest bid",
    "bids in tender",
    "firm: tenders bid",
    "firm: win rate",
    "firm: top partner share",
)


def bid_features(bids: pd.DataFrame) -> pd.DataFrame:
    """Label-free bid-level features: where the bid sits in its tender, and (with firm ids) what its
    firm does across the market."""
    g = bids.groupby("key")["bid"]
    n = g.transform("size")
    out = pd.DataFrame(
        {
            "bid rank in tender": (g.rank(method="average") - 1) / (n - 1).clip(lower=1),
            "above lowest bid": bids["bid"] / g.transform("min") - 1,
            "bids in tender": n.astype(float),
        },
        index=bids.index,
    )
    if "bidder" in bids.columns and bids["bidder"].notna().any():
        b = bids[["key", "bidder"]].dropna()
        tenders = b.groupby("bidder")["key"].nunique()
        pairs = b.merge(b, on="key")
        pairs = pairs[pairs["bidder_x"] != pairs["bidder_y"]]
        top = pairs.groupby(["bidder_x", "bidder_y"]).size().groupby(level=0).max()
        out["firm: tenders bid"] = bids["bidder"].map(tenders).astype(float)
        if "winner" in bids.columns:
            out["firm: win rate"] = bids["bidder"].map(bids.groupby("bidder")["winner"].mean()).astype(float)
        out["firm: top partner share"] = bids["bidder"].map(top / tenders).astype(float)
    return out.reindex(columns=list(BID_DIRECTION_FEATURES))


def bid_directions(markets: dict[str, pd.DataFrame], data: Path) -> pd.DataFrame:
    """ROC AUC of each bid-level feature alone against the bid-level truth, per market."""
    out = {}
    for m, bids in markets.items():
        if not has_column(m, data, "Collusive_competitor_original"):
            continue  # a market given with --file may have no bid-level truth
        y = bid_truth(m, data, bids).to_numpy()
        f = bid_features(bids)
        col = {}
        for c in f.columns:
            x = f[c].to_numpy(dtype=float)
            ok = ~np.isnan(x) & ~np.isnan(y)
            if ok.sum() >= 30 and len(np.unique(y[ok])) == 2 and len(np.unique(x[ok])) > 1:
                col[c] = roc_auc_score(y[ok].astype(int), x[ok])
        out[m] = col
    return pd.DataFrame(out).reindex(list(BID_DIRECTION_FEATURES))


def print_directions(title: str, d: pd.DataFrame) -> None:
    print(f"\n### {title}\n")
    print("| feature | " + " | ".join(d.columns) + " |")
    print("|---|" + "---:|" * len(d.columns))
    for c, row in d.iterrows():
        print(f"| {c} | " + " | ".join(fmt(v) for v in row) + " |")


def _p(p: float) -> str:
    """A context's p-value and the separator before whether it counts; nothing where it was not tested."""
    if not np.isfinite(p):
        return ""
    return f"p {p:.3f}; " if p >= 0.001 else "p < 0.001; "


def fmt(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.3f}"


def print_rows(title: str, rows: list[dict]) -> None:
    print(f"\n### {title}\n")
    print("| market | model | test tenders | collusive | ROC AUC | balanced acc. | accuracy | majority acc. |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['market']} | {r['model']} | {r['n_test']:,} | {r['pos_test']:,} | {fmt(r['auc'])} | "
            f"{fmt(r['bal_acc'])} | {fmt(r['acc'])} | {fmt(r['base_acc'])} |"
        )


LEARNING_K = (0, 10, 20, 50, 100)
#: AdaptedScorer priors of the learning curve: the default one first, then the earlier L2-towards-0 one
PRIORS = ("default", "zero")
#: the issue's goal for a market never seen, from bids alone: ROC AUC and balanced accuracy at least these
GOAL_AUC, GOAL_BAL_ACC = 0.80, 0.75
#: fixed weights of the model's percentile the bench tries beside the default (none is used by score-bids)
FIXED_WEIGHTS = (0.1, 0.2, 0.3)


def other_defaults(f: pd.DataFrame, lf: LabelFreeScorer, r_lf: np.ndarray, r_model: np.ndarray) -> dict:
    """Other ways to add the trained-elsewhere model to the label-free score of one market, beside the default
    (none is what ``score-bids`` uses; the bench prints them so that "no simple rule holds on every market" is
    a figure anyone can rerun, not a scratch run's).

    * ``weight w``: the model's within-market percentile at a fixed weight ``w`` (the guarded default's
      weight is 1 / (families + 1)).
    * ``band level``: the label-free score ranks a tender within its band of bids and so says nothing on
      how the bands compare; the model does. Here the model speaks only there: each tender's model part is
      the mean of the model's percentile over its band, weighed as one family (percentile mix), or
      ``band level, in the mean``: added as one more family to the label-free score's mean of families
      (rank-standardised like a family, ``2p - 1``).
    """
    market = f["market"].astype(str).to_numpy() if "market" in f.columns else np.full(len(f), "all")
    m = str(market[0])
    pm = within_market_percentile(r_model, market)
    multi = np.isfinite(r_lf)
    band = _band(f["n_bids"].to_numpy(dtype=float))
    bm = pd.Series(np.where(multi, pm, np.nan)).groupby(band).transform("mean").to_numpy()
    w1, k = model_weight(lf, m), lf.family_count(m)
    out = {f"weight {w:g}": (1 - w) * r_lf + w * pm for w in FIXED_WEIGHTS}
    out["band level"] = (1 - w1) * r_lf + w1 * bm
    out["band level, in the mean"] = (k * lf.decision_function(f) + (2 * bm - 1)) / (k + 1)
    return out


def _auc(y: np.ndarray, r: np.ndarray) -> float:
    ok = ~np.isnan(r)
    return float(roc_auc_score(y[ok], r[ok])) if ok.sum() >= 10 and len(np.unique(y[ok])) == 2 else float("nan")


def _auc_within(y: np.ndarray, r: np.ndarray, group: np.ndarray) -> float:
    """ROC AUC over the pairs of tenders in the same group only (the groups' AUCs weighted by their pairs)."""
    num = den = 0.0
    for g in pd.unique(group):
        m = (group == g) & ~np.isnan(r)
        pos = int(y[m].sum())
        pairs = pos * (int(m.sum()) - pos)
        if pairs:
            num += roc_auc_score(y[m], r[m]) * pairs
            den += pairs
    return num / den if den else float("nan")


def _draw(y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k positions drawn at random with both classes among them (redrawn until so)."""
    for _ in range(1000):
        pick = rng.choice(len(y), size=k, replace=False)
        if len(np.unique(y[pick])) == 2:
            return pick
    raise RuntimeError("cannot draw both classes")


#: inputs left out of the market-distance check: prices and firm volumes in the market's own currency
SCALE_COLUMNS = ("bid_level", "bidder_volume_mean", "bidder_volume_max", "bidder_volume_min")


def market_distance(feats: dict[str, pd.DataFrame], held_out: str, columns: list[str], seed: int) -> float:
    """ROC AUC of a classifier telling the held-out market's tenders from the other markets' (five folds).

    Inputs: the model's scale-free ``columns`` that the held-out market defines for most tenders. Near 0.5:
    the market looks like the training markets; near 1: it lies outside them, where a trained model's
    guarantees say nothing (Ben-David et al. 2010, the proxy A-distance). No collusion label is read.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import cross_val_predict

    cols = [c for c in columns if c not in SCALE_COLUMNS and feats[held_out][c].notna().mean() > 0.5]
    others = [k for k in feats if k != held_out]
    X = pd.concat([feats[k][cols] for k in [*others, held_out]]).to_numpy(dtype=float)
    d = np.r_[np.zeros(sum(len(feats[k]) for k in others)), np.ones(len(feats[held_out]))]
    clf = HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    p = cross_val_predict(clf, X, d, cv=5, method="predict_proba")[:, 1]
    return float(roc_auc_score(d, p))


def versions() -> str:
    """The libraries the trained models' figures depend on, as the run used them: a newer scikit-learn (or
    numpy, pandas, scipy) grows other trees from the same data, so a table read in the README names them.

    >>> versions().startswith("scikit-learn ")
    True
    """
    from importlib.metadata import version

    return ", ".join(f"{p} {version(p)}" for p in ("scikit-learn", "numpy", "scipy", "pandas"))


def model_cache_name(train: list[str], seed: int, data: Path | None, history: bool = False) -> str:
    """File name of a cached trained-elsewhere model: the training markets by name, and a digest of their files
    (path, size, modification time) and of the feature and scorer code, so that a rerun with another set of
    markets (``--file``), another file under a name or changed code trains anew instead of reusing a stale model."""
    import hashlib

    h = hashlib.sha256()
    for k in sorted(train):
        path = market_path(k, data) if data is not None else Path(k)
        st = path.stat() if path.exists() else None
        h.update(f"{k}|{path}|{st.st_size if st else ''}|{st.st_mtime_ns if st else ''}\n".encode())
    for code in ("features.py", "scorer.py", "screens.py"):
        h.update((ROOT / "graphkit" / "collusion" / code).read_bytes())
    return f"trained_on_{'+'.join(sorted(train))}_seed{seed}{'_history' if history else ''}_{h.hexdigest()[:12]}.skops"


def context_chance(f: pd.DataFrame, y: np.ndarray, multi: np.ndarray, draws: int, seed: int) -> dict:
    """How far chance alone moves each context family's ROC AUC on one market.

    Every tender gets the screens of another tender of its market with as many bids (a permutation within
    each band of bids), its date, bidders and segment kept: the context families then average screens that
    carry no information about the tender's cartel, and their AUC shows what the grouping of tenders by time,
    firm or kind of work does by itself (collusive tenders cluster in each, so one lucky draw moves many
    tenders at once).

    Returns
    -------
    dict
        Context family -> {"rho" (rank correlation of the tenders' own screen scores and their context's, for
        segment the intraclass correlation, read without a label), "p" (its permutation test's, for segment the
        analysis of variance's), "counts" (whether the family counts in the
        market), "observed",
        "mean", "p05", "p95", "share_at_least"} over ``draws`` permutations.
    """
    from graphkit.collusion.unsupervised import DIRECTIONS

    lf = LabelFreeScorer(random_state=seed).fit(f)
    if not lf.context_:
        return {}
    market = f["market"].astype(str).to_numpy(dtype=object)
    raw = lf._context_raw(f, market)  # before the market's guard: the family as it is, used there or not
    observed = {c: _auc(y[multi], raw[c].to_numpy()[multi]) for c in lf.context_}
    cols = [c for c in DIRECTIONS if c in f.columns]
    band = _band(f["n_bids"].to_numpy(dtype=float))
    groups = [np.flatnonzero(band == b) for b in np.unique(band)]
    rng = np.random.default_rng(seed)
    null: dict[str, list[float]] = {c: [] for c in lf.context_}
    values = f[cols].to_numpy(dtype=float)
    for _ in range(draws):
        perm = np.arange(len(f))
        for g in groups:
            perm[g] = rng.permutation(g)
        g_f = f.copy()
        g_f[cols] = values[perm]
        s = LabelFreeScorer(random_state=seed).fit(g_f)
        rn = s._context_raw(g_f, market)
        for c in lf.context_:
            null[c].append(_auc(y[multi], rn[c].to_numpy()[multi]))
    out = {}
    name = str(market[0]) if len(market) else ""
    for c, v in null.items():
        a = np.asarray(v, dtype=float)
        out[c] = {
            "rho": lf.context_rho_.get(f"{c}\x1f{name}", float("nan")),
            "p": lf.context_p_.get(f"{c}\x1f{name}", float("nan")),
            "counts": c in lf.context_used_.get(name, []),
            "observed": observed[c],
            "mean": float(np.nanmean(a)),
            "p05": float(np.nanquantile(a, 0.05)),
            "p95": float(np.nanquantile(a, 0.95)),
            "share_at_least": float(np.mean(a >= observed[c])),
        }
    return out


def unseen(
    markets: dict[str, pd.DataFrame],
    *,
    seed: int,
    draws: int,
    chance_draws: int = 50,
    models_dir: Path | None = None,
    label_free_only: bool = False,
    data: Path | None = None,
    history: bool = False,
) -> dict:
    """Leave-one-market-out: label-free, single screens, trained-elsewhere, blend, default, learning curve
    (``label_free_only``: the label-free score and the single screens, no model trained; ``history``: the
    trained-elsewhere model learns its bidders' record, as ``graphkit collusion train`` does by default, which
    no firm of the unseen market has)."""
    from graphkit.collusion.scorer import load

    feats, ys, any_cartel = {}, {}, {}
    for m, bids in markets.items():
        f = tender_features(bids, random_state=seed)
        feats[m] = f
        ys[m] = tender_labels(bids).reindex(f.index).to_numpy(dtype=int)
        if data is not None and has_column(m, data, "Collusive_competitor_original"):
            # share of tenders whose label says no more than "a convicted cartel member bid here"
            member = bid_truth(m, data, bids).groupby(bids["key"].to_numpy()).max().reindex(f.index)
            any_cartel[m] = float((member.to_numpy() == ys[m]).mean())
        print(f"  unseen: features {m} done", file=sys.stderr, flush=True)
    rows, screens, curve, chance = [], {}, [], {}
    for m in markets:
        f, y = feats[m], ys[m]
        multi = f["n_bids"].to_numpy() >= 2
        lf = LabelFreeScorer(random_state=seed).fit(f)
        r_lf = lf.predict_proba(f)[:, 1]
        p_lf = lf.predict(f)
        yy = y[multi]
        r_scr = LabelFreeScorer(context=False, random_state=seed).fit(f).predict_proba(f)[:, 1]
        row = {
            "market": m,
            "tenders": int(multi.sum()),
            "collusive": int(yy.sum()),
            "screens only": _auc(yy, r_scr[multi]),
            "context": list(lf.context_used_.get(m, [])),
            "label-free": _auc(yy, r_lf[multi]),
            "label-free bal. acc.": float(balanced_accuracy_score(yy, p_lf[multi])),
            "flagged": float(p_lf[multi].mean()),
        }
        # the priority tier score-bids writes (LabelFreeScorer.priority): its size and the share of collusive tenders
        # in it, next to the market's base rate; a figure to read, not a target (no label chose the rule)
        tier = lf.priority(f, r_lf).astype(bool)[multi]
        row |= {
            "priority": int(tier.sum()),
            "priority collusive": int(yy[tier].sum()),
            "priority precision": float(yy[tier].mean()) if tier.any() else float("nan"),
            "base rate": float(yy.mean()),
        }
        p_mix = LabelFreeScorer(threshold="mixture", random_state=seed).fit(f).predict(f)
        row["mixture bal. acc."] = float(balanced_accuracy_score(yy, p_mix[multi]))
        row["mixture flagged"] = float(p_mix[multi].mean())
        if chance_draws:
            chance[m] = context_chance(f, y, multi, chance_draws, seed)
            print(f"  unseen {m}: context chance done", file=sys.stderr, flush=True)
        D = oriented_percentiles(f, lf)
        screens[m] = {s: _auc(yy, D[s].to_numpy()[multi]) for s in D.columns}
        if label_free_only:
            rows.append(row)
            continue
        others = [k for k in markets if k != m]
        cached = models_dir / model_cache_name(others, seed, data, history) if models_dir else None
        if cached is not None and cached.exists():
            model = load(cached)
        else:
            # cv=0: the same trees `train` builds, without its out-of-fold threshold search (five more fits;
            # ROC AUC does not depend on it, and the balanced accuracy below is at the threshold 0.5)
            model = CollusionScorer(bidder_history=history, cv=0, random_state=seed).fit(
                pd.concat([feats[k] for k in others]), np.concatenate([ys[k] for k in others])
            )
            if cached is not None:
                model.save(cached)
        print(f"  unseen {m}: model trained on {', '.join(others)}", file=sys.stderr, flush=True)
        r_model = model.predict_proba(f)[:, 1]
        r_blend = unseen_risk(f, model, how="blend", label_free=lf)
        r_guard, used = unseen_choice(f, model, how="guarded", label_free=lf)
        row |= {
            "model": _auc(yy, r_model[multi]),
            "model, all tenders": _auc(y, r_model),
            "model bal. acc.": float(balanced_accuracy_score(yy, model.predict(f)[multi])),
            "blend": _auc(yy, r_blend[multi]),
            "spearman model ~ label-free": used[m][0],
            "market distance": market_distance(feats, m, list(model.base_columns_), seed),
            "guarded uses": used[m][1],
            "guarded": _auc(yy, r_guard[multi]),
            # flagged as score-bids flags an unseen market: the label-free rule on the risk it is scored by
            "guarded bal. acc.": float(
                balanced_accuracy_score(yy, (r_guard > unseen_thresholds(r_guard, f["market"], used, lf)[m][0])[multi])
            ),
            "spearman model ~ family": {
                fam: float(pd.Series(r_model).corr(pd.Series(D[cols].mean(axis=1).to_numpy()), method="spearman"))
                for fam, screens_of in FAMILIES.items()
                if (cols := [c for c in screens_of if c in D.columns and D[c].notna().any()])
            },
        }
        row["other defaults"] = {name: _auc(yy, r[multi]) for name, r in other_defaults(f, lf, r_lf, r_model).items()}
        band = _band(f["n_bids"].to_numpy(dtype=float))[multi]
        row["n_bids alone"] = _auc(yy, f["n_bids"].to_numpy(dtype=float)[multi])
        row["label is any cartel bid"] = any_cartel.get(m, float("nan"))
        row["within band"] = {
            how: _auc_within(yy, r[multi], band)
            for how, r in (("label-free", r_lf), ("model", r_model), ("guarded", r_guard))
        }
        best = max(row["label-free"], row["model"])
        row["best of label-free and model"] = best
        for how in ("label-free", "model", "blend", "guarded"):
            row[f"{how} holds"] = bool(row[how] >= best - 0.02)
        row["default"] = row[UNSEEN_DEFAULT]
        rows.append(row)
        print(f"  unseen {m}: label-free {row['label-free']:.3f}, model {row['model']:.3f}", file=sys.stderr)
        rng = np.random.default_rng(seed)
        idx = np.flatnonzero(multi)
        Z = AdaptedScorer(base=model, label_free=lf, random_state=seed).fit(f, np.full(len(y), -1)).design(f)
        for k in LEARNING_K:
            aucs: dict[str, list[float]] = {p: [] for p in PRIORS}
            for _ in range(draws if k else 1):
                lab = np.full(len(y), -1)
                test = np.ones(len(y), dtype=bool)
                if k:
                    pick = idx[_draw(y[idx], k, rng)]
                    lab[pick] = y[pick]
                    test[pick] = False
                t = test & multi
                for p in PRIORS:  # the same draw for both priors: a side-by-side comparison
                    a = AdaptedScorer(base=model, label_free=lf, prior=p, random_state=seed).fit(f, lab, design=Z)
                    aucs[p].append(_auc(y[t], a.predict_proba(f, design=Z)[:, 1][t]))
            for p in PRIORS:
                curve.append(
                    {
                        "market": m,
                        "prior": p,
                        "k": k,
                        "auc_mean": float(np.mean(aucs[p])),
                        "auc_min": float(np.min(aucs[p])),
                        "auc_max": float(np.max(aucs[p])),
                        "draws": len(aucs[p]),
                    }
                )
            print(f"  unseen {m}: adapt k={k} done", file=sys.stderr, flush=True)
    return {
        "default": UNSEEN_DEFAULT,
        "bidder_history": history,
        "rows": rows,
        "screens": screens,
        "curve": curve,
        "chance": chance,
    }


def print_goal(rows: list[dict]) -> None:
    """One line per score: in how many markets it meets the goal for markets never seen (ROC AUC and balanced
    accuracy from bids alone), with each market's pair of figures."""
    print()
    scores = [("label-free", "label-free", "label-free bal. acc.")]
    if all("guarded" in r for r in rows):
        scores.append(("default (guarded, with the model)", "guarded", "guarded bal. acc."))
    for name, auc, acc in scores:
        met = [r for r in rows if r[auc] >= GOAL_AUC and r[acc] >= GOAL_BAL_ACC]
        print(
            f"goal for a market never seen (ROC AUC >= {GOAL_AUC:.2f} and balanced accuracy >= {GOAL_BAL_ACC:.2f}): "
            f"{name} meets it in {len(met)} of {len(rows)} markets ("
            + ", ".join(f"{r['market']} {fmt(r[auc])} / {fmt(r[acc])}" for r in rows)
            + ")"
        )


def print_unseen(res: dict) -> None:
    print(
        "\n### Unseen market (leave one market out): ROC AUC on its tenders of 2+ bids; "
        f"default = {res['default']}; ✓ = within 0.02 of the better of label-free and model; trained elsewhere "
        f"{'with' if res.get('bidder_history') else 'without'} its bidders' record (`train "
        f"{'--bidder-history' if res.get('bidder_history') else '--no-bidder-history'}`)\n"
    )
    print(
        "| market | tenders | collusive | screens only | label-free (context read) | label-free bal. acc. (flagged) "
        "| mixture threshold bal. acc. (flagged) | trained elsewhere (bal. acc.) | blend | Spearman model ~ label-free "
        "| guarded (uses) | default |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in res["rows"]:
        ctx = f" ({', '.join(r['context'])})" if r["context"] else ""
        if "model" not in r:  # --label-free-only
            print(
                f"| {r['market']} | {r['tenders']:,} | {r['collusive']:,} | {fmt(r['screens only'])} | "
                f"{fmt(r['label-free'])}{ctx} | {fmt(r['label-free bal. acc.'])} ({r['flagged']:.0%}) | "
                f"{fmt(r['mixture bal. acc.'])} ({r['mixture flagged']:.0%}) | | | | | |"
            )
            continue
        ok = {h: " ✓" if r[f"{h} holds"] else " ✗" for h in ("label-free", "model", "blend", "guarded")}
        print(
            f"| {r['market']} | {r['tenders']:,} | {r['collusive']:,} | {fmt(r['screens only'])} | "
            f"{fmt(r['label-free'])}{ok['label-free']}{ctx} | "
            f"{fmt(r['label-free bal. acc.'])} ({r['flagged']:.0%}) | "
            f"{fmt(r['mixture bal. acc.'])} ({r['mixture flagged']:.0%}) | {fmt(r['model'])}{ok['model']} "
            f"({fmt(r['model bal. acc.'])}) | {fmt(r['blend'])}{ok['blend']} | "
            f"{r['spearman model ~ label-free']:+.3f} | {fmt(r['guarded'])}{ok['guarded']} ({r['guarded uses']}) | "
            f"{fmt(r['default'])} |"
        )
    print(
        "\nThe priority tier (优先复核, `LabelFreeScorer.priority`: the riskiest 5 % of the market's scored tenders, "
        "rounded up): its size and the share of collusive tenders in it (precision) against the market's base rate "
        "(no label chose the rule)\n"
    )
    print("| market | tenders | flagged (median rule) | priority tier | collusive in it | precision | base rate |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in res["rows"]:
        print(
            f"| {r['market']} | {r['tenders']:,} | {round(r['flagged'] * r['tenders']):,} | {r['priority']:,} | "
            f"{r['priority collusive']:,} | {fmt(r['priority precision'])} | {fmt(r['base rate'])} |"
        )
    full = [r for r in res["rows"] if "model" in r]
    if full:
        print()
        for how in ("label-free", "model", "blend", "guarded"):
            short = max(r["best of label-free and model"] - r[how] for r in full)
            holds = all(r[f"{how} holds"] for r in full)
            print(
                f"{how}: worst shortfall from the better of label-free and model {short:+.3f}; "
                f"within 0.02 on every market: {'yes' if holds else 'no'}"
            )
    print_goal(res["rows"])
    if full:
        names = list(full[0]["other defaults"])
        print(
            "\n### Other ways to add the model (none is the default): ROC AUC; ✓ = within 0.02 of the better of "
            "label-free and model; 'band level': the model speaks only on how the bands of bids compare, which "
            "the label-free score leaves open (bench's other_defaults)\n"
        )
        print("| market | " + " | ".join(names) + " |")
        print("|---|" + "---:|" * len(names))
        for r in full:
            best = r["best of label-free and model"]
            cells = [f"{fmt(a)}{' ✓' if a >= best - 0.02 else ' ✗'}" for a in r["other defaults"].values()]
            print(f"| {r['market']} | " + " | ".join(cells) + " |")
        print()
        for name in names:
            short = max(r["best of label-free and model"] - r["other defaults"][name] for r in full)
            print(f"{name}: worst shortfall {short:+.3f}")
        print(
            "\nmarket distance (ROC AUC of a classifier telling the market's tenders from the training markets', "
            "scale-free model inputs, no label): "
            + ", ".join(f"{r['market']} {r['market distance']:.3f}" for r in full)
        )
        print(
            "\n### The number of bids: tenders whose label equals 'a convicted cartel member bid here' (the bid-level "
            "truth), ROC AUC of the number of bids alone, and of each score over pairs of tenders in the same band "
            "of bids only\n"
        )
        print(
            "| market | label = any cartel bid | number of bids alone | label-free, within band | model, within band "
            "| guarded, within band |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for r in full:
            w = r["within band"]
            share = r["label is any cartel bid"]
            print(
                f"| {r['market']} | {'—' if np.isnan(share) else f'{share:.1%}'} | {fmt(r['n_bids alone'])} | "
                f"{fmt(w['label-free'])} | {fmt(w['model'])} | {fmt(w['guarded'])} |"
            )
        fam = pd.DataFrame({r["market"]: r["spearman model ~ family"] for r in full})
        print_directions("Spearman correlation of the model's risk with each screen family's mean (no label read)", fam)
    d = pd.DataFrame(res["screens"])
    print_directions(
        "Each oriented screen alone on the unseen market (ROC AUC; > 0.5: the literature's direction holds there)", d
    )
    ch = res.get("chance") or {}
    if any(ch.values()):
        print(
            "\n### Context families against chance: rank correlation of the tenders' own screen scores and their "
            "context's (no label; the family counts in the market only above 0 and at a permutation test's "
            "p <= 0.05, 99 shuffles of the screen scores within bands; for segment the intraclass "
            "correlation, which counts above 0 where the analysis of variance gives p < 0.05), ROC AUC of each "
            "context family alone, and its range when every tender's screens are swapped with another tender's "
            "of the same band of bids (dates, bidders and segments kept); share of draws at least as high\n"
        )
        print(
            "| market | context | own ~ context (p; counts) | observed | chance mean | chance 5-95 % "
            "| draws at least as high |"
        )
        print("|---|---|---:|---:|---:|---:|---:|")
        for m, fams in ch.items():
            for c, v in fams.items():
                print(
                    f"| {m} | {c} | {v['rho']:+.3f} ({_p(v['p'])}{'yes' if v['counts'] else 'no'}) | "
                    f"{fmt(v['observed'])} | "
                    f"{fmt(v['mean'])} | {fmt(v['p05'])}-{fmt(v['p95'])} | {v['share_at_least']:.0%} |"
                )
    c = pd.DataFrame(res["curve"])
    if c.empty:
        return
    print(
        "\n### Learning curve: adapted model, ROC AUC on the market's other tenders (mean of draws, min-max); "
        "prior 'default': weights pulled towards the unseen-market default (graphkit's default), "
        "'zero': towards 0 (plain L2); same draws for both\n"
    )
    ks = sorted(c["k"].unique())
    print("| market | prior | " + " | ".join(f"k = {k}" for k in ks) + " |")
    print("|---|---|" + "---:|" * len(ks))
    for (m, p), g in c.groupby(["market", "prior"], sort=False):
        g = g.set_index("k")
        cells = [
            fmt(g.loc[k, "auc_mean"])
            if g.loc[k, "draws"] == 1
            else f"{fmt(g.loc[k, 'auc_mean'])} ({fmt(g.loc[k, 'auc_min'])}-{fmt(g.loc[k, 'auc_max'])})"
            for k in ks
        ]
        print(f"| {m} | {p} | " + " | ".join(cells) + " |")
    wide = c.pivot_table(index=["market", "k"], columns="prior", values="auc_mean").reset_index()
    print()
    for k in ks:
        if k == 0:
            continue
        w = wide[wide["k"] == k]
        print(
            f"k = {k}: mean over markets {w['default'].mean():.3f} (prior 'default') against "
            f"{w['zero'].mean():.3f} ('zero'); worst market {w['default'].min():.3f} against {w['zero'].min():.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DATA, help="folder with the four market CSVs")
    ap.add_argument("--markets", nargs="*", default=list(MARKETS), choices=list(MARKETS))
    ap.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="another labelled market in the same column format (Tender, Bid_value, Collusive_competitor, ...); "
        "it joins the markets above (repeat for more; with --unseen, each is in turn the unseen one)",
    )
    ap.add_argument("--split", type=float, default=0.5, help="share of tenders (earliest first) used for training")
    ap.add_argument("--blocks", type=int, default=5, help="time blocks of the rolling evaluation")
    ap.add_argument("--n-score", type=int, default=100_000, help="tenders to score in the speed test")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["period", "rolling", "disjoint", "cross", "directions", "bid-directions"],
        help="sections to leave out",
    )
    ap.add_argument(
        "--city",
        type=int,
        default=None,
        metavar="SCALE",
        help="also run evaluate_city(SCALE, seed) of bench/collusion_graph.py on a synthetic city",
    )
    ap.add_argument("--city-seed", type=int, default=7)
    ap.add_argument("--json", type=Path, default=None, help="write every figure as JSON")
    ap.add_argument("--unseen", action="store_true", help="run only the unseen-market section")
    ap.add_argument("--draws", type=int, default=5, help="random draws per k of the learning curve (--unseen)")
    ap.add_argument(
        "--chance-draws",
        type=int,
        default=50,
        help="--unseen: permutations per market for the context families' chance range (0: skip)",
    )
    ap.add_argument(
        "--label-free-only", action="store_true", help="--unseen: only the label-free score and single screens"
    )
    ap.add_argument(
        "--models-dir",
        type=Path,
        default=None,
        help="--unseen: keep the trained-elsewhere models here and reuse them on a rerun (training is the slow part)",
    )
    ap.add_argument(
        "--bidder-history",
        action="store_true",
        help="--unseen: the trained-elsewhere models learn their bidders' record, as `graphkit collusion train` does "
        "by default (else as `train --no-bidder-history`)",
    )
    a = ap.parse_args(argv)
    if not a.data.exists():
        print(f"error: no labelled markets at {a.data}", file=sys.stderr)
        return 2
    t_start = time.perf_counter()
    for spec in a.file:
        name, sep, path = spec.partition("=")
        if not sep or not name or not Path(path).is_file():
            print(f"error: --file takes NAME=PATH of a CSV, not {spec!r}", file=sys.stderr)
            return 2
        EXTRA[name] = Path(path)
    markets = {m: load_market(m, a.data) for m in [*a.markets, *EXTRA]}
    report: dict = {"split": a.split, "blocks": a.blocks, "seed": a.seed, "versions": versions()}
    if a.unseen:
        res = unseen(
            markets,
            seed=a.seed,
            draws=a.draws,
            chance_draws=a.chance_draws,
            models_dir=a.models_dir,
            label_free_only=a.label_free_only,
            data=a.data,
            history=a.bidder_history,
        )
        print_unseen(res)
        print(f"\n(bench ran in {time.perf_counter() - t_start:.0f} s; {versions()})")
        if a.json:
            a.json.write_text(
                json.dumps({"unseen": res, "versions": versions()}, ensure_ascii=False, indent=2, default=str),
                encoding="utf-8",
            )
        return 0

    if "period" not in a.skip:
        rows, within = [], {}
        for m, bids in markets.items():
            tr, te = period_split(bids, a.split)
            for label, hist, seg in variants(m, bids):
                y, risk, pred, ytr = fit_predict(tr, te, history=hist, seed=a.seed, segment=seg)
                rows.append({"market": m, "model": label, **metrics(y, risk, pred, ytr)})
                if seg is not None:
                    within[m] = per_segment(te, y, risk)
                print(f"  period {m} {label}: done", file=sys.stderr, flush=True)
        print_rows(
            f"Within market, period split (train on the earliest {a.split:.0%} of tenders, test on the rest)", rows
        )
        for m, bids in markets.items():
            if m in within:
                print(f"\n{m}, the segment record the model learns ({SEGMENTS[m]}, training tenders):\n")
                print(segment_table(period_split(bids, a.split)[0]).to_string())
                print(f"\n{m}, test tenders of each segment and the + segment record model's ROC AUC within it:\n")
                print(within[m].to_string())
        report["period_within_segment"] = {m: d.to_dict(orient="index") for m, d in within.items()}
        report["period"] = rows

    if "rolling" not in a.skip:
        rows = []
        for m, bids in markets.items():
            for label, hist, seg in variants(m, bids):
                rows.append(
                    {"market": m, "model": label, **rolling(bids, a.blocks, history=hist, seed=a.seed, segment=seg)}
                )
                print(f"  rolling {m} {label}: done", file=sys.stderr, flush=True)
        print_rows(f"Rolling: {a.blocks} time blocks, each scored by a model of all earlier blocks (pooled)", rows)
        report["rolling"] = rows

    if "disjoint" not in a.skip:
        rows = []
        for m, bids in markets.items():
            for label, hist, _ in variants(m, bids)[:2]:
                r = bidder_disjoint(bids, history=hist, seed=a.seed)
                if r is not None:
                    rows.append({"market": m, "model": label, **r})
            print(f"  disjoint {m}: done", file=sys.stderr, flush=True)
        print_rows("Bidder-disjoint: train on tenders of one half of the firms, test on the other half", rows)
        report["disjoint"] = rows

    if "cross" not in a.skip and len(markets) > 1:
        rows = []
        for m in markets:
            tr = pd.concat([b for k, b in markets.items() if k != m], ignore_index=True)
            rows.append(
                {
                    "market": m,
                    "model": "bids only, trained on the others",
                    **metrics(*fit_predict(tr, markets[m], history=False, seed=a.seed)),
                }
            )
            print(f"  cross {m}: done", file=sys.stderr, flush=True)
        print_rows("Cross-market: train on the other markets, test on this one", rows)
        report["cross"] = rows

    if "directions" not in a.skip:
        d = directions(markets, a.seed)
        print_directions(
            "Which way each feature points, per market (ROC AUC of the feature alone, all tenders; "
            "> 0.5: higher in collusive tenders)",
            d,
        )
        report["directions"] = d.to_dict()

    if "bid-directions" not in a.skip:
        d = bid_directions(markets, a.data)
        print_directions(
            "The same at bid level: ROC AUC of each feature alone against Collusive_competitor_original "
            "(bid from a convicted cartel member; > 0.5: higher for cartel bids)",
            d,
        )
        report["bid_directions"] = d.to_dict()

    if not a.skip_speed:
        s = speed(markets, a.n_score, a.seed)
        print(f"\n### Speed: {s['tenders']:,} tenders ({s['bids']:,} bids) resampled from the markets\n")
        print("| read | features | risk + reasons | write | total | peak RSS |")
        print("|---:|---:|---:|---:|---:|---:|")
        print(
            f"| {s['read_s']:.1f} s | {s['features_s']:.1f} s | {s['score_and_reasons_s']:.1f} s | "
            f"{s['write_s']:.1f} s | {s['total_s']:.1f} s | {s['peak_rss_mib']:,.0f} MiB |"
        )
        print(
            f"\nlabel-free (no model; the same features, screens and bidders context, risk + reasons): "
            f"{s['label_free_s']:.1f} s for {s['label_free_tenders']:,} scored tenders"
        )
        report["speed"] = s

    if a.city is not None:
        from collusion_graph import evaluate_city  # bench/collusion_graph.py, beside this script

        res = evaluate_city(a.city, a.city_seed)
        print(f"\n### Synthetic city (scale {a.city:,}, seed {a.city_seed}): bench/collusion_graph.py evaluate_city\n")
        print(json.dumps(res, ensure_ascii=False, indent=2, default=str))
        report["city"] = res
    print(f"\n(bench ran in {time.perf_counter() - t_start:.0f} s; {versions()})")
    if a.json:
        a.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
