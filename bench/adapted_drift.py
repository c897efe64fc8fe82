"""How often the drift check of an adapted model fires: on a later file of its own market, and on another market's
file given its market's name.

    python bench/adapted_drift.py

``graphkit collusion adapt`` keeps what the market's tenders look like (:func:`graphkit.collusion.adapt.
market_profile`: the scale of the amounts, the bids per tender, three scale-free screens; no label), and
``score-bids --model`` compares a file it is told is that market's with it (:func:`graphkit.collusion.adapt.drift`,
fires above :data:`~graphkit.collusion.adapt.DRIFT_MAX`). On the four labelled markets in ../shared/data/:

* *same market* (should not fire): each market's tenders split in halves, by date (Italy has no date: its tender
  ids, which run in file order, stand in for time) and by tender id (even / odd); the profile kept of one half, the
  other half's file checked, each way: 4 markets x 2 splits x 2 directions = 16 checks;
* *a small later file of the same market* (should not fire): the profile kept of the even half by tender id, ``--draws``
  files of 10 and of 30 tenders drawn from the odd half, per market (a week's or a month's tenders: the fewer, the
  further their distribution may lie from the market's by chance);
* *another market named wrong* (should fire): the profile kept of one whole market, another whole market's file
  checked: 4 x 3 = 12 checks.

Each half's and each file's features come from its own bids only, as a file scored on its own has them. The
distances of every quantity are printed, and the quantities that fired.
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

from collusion_eval import DATA, MARKETS, market_path  # noqa: E402

from graphkit.collusion.adapt import DRIFT_MAX, PROFILE, drift, market_profile  # noqa: E402
from graphkit.collusion.features import tender_features  # noqa: E402
from loaders.bids import read_bids  # noqa: E402


def halves(bids: pd.DataFrame, how: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bids of the earlier and later half of the tenders (``how="date"``), or of even and odd positions in the
    tenders' id order (``how="id"``)."""
    key = bids["key"].astype(str)
    if how == "date" and "date" in bids.columns and pd.to_numeric(bids["date"], errors="coerce").notna().any():
        order = pd.to_numeric(bids["date"], errors="coerce").groupby(key).median().sort_values(kind="stable").index
    else:
        t = bids.drop_duplicates("key").set_index("key")["tender"]
        num = pd.to_numeric(t, errors="coerce")
        order = (num if num.notna().all() else t.astype(str)).sort_values(kind="stable").index.astype(str)
    if how == "date":
        first = set(order[: len(order) // 2])
    else:
        first = set(order[::2])
    inside = key.isin(first).to_numpy()
    return bids[inside], bids[~inside]


def check(kept: pd.DataFrame, file: pd.DataFrame, seed: int) -> pd.DataFrame:
    fk, ff = tender_features(kept, random_state=seed), tender_features(file, random_state=seed)
    return drift(market_profile(kept, fk), file, ff)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--draws", type=int, default=20, help="small files drawn per market and size")
    a = ap.parse_args(argv)
    t0 = time.time()
    bids = {m: read_bids(market_path(m, a.data), market=m, with_label=False).bids for m in MARKETS}
    rows = []
    for m, b in bids.items():
        for how in ("date", "id"):
            h1, h2 = halves(b, how)
            for name, (kept, file) in (("1st->2nd", (h1, h2)), ("2nd->1st", (h2, h1))):
                d = check(kept, file, a.seed)
                rows.append(("same market", f"{m} halves by {how} {name}", d))
    rng = np.random.default_rng(a.seed)
    small: dict[str, list[int]] = {}
    for m, b in bids.items():
        h1, h2 = halves(b, "id")
        kept = market_profile(h1, tender_features(h1, random_state=a.seed))
        keys = h2["key"].astype(str).unique()
        for size in (10, 30):
            for _ in range(a.draws):
                pick = h2[h2["key"].astype(str).isin(rng.choice(keys, size=size, replace=False))]
                d = drift(kept, pick, tender_features(pick, random_state=a.seed))
                small.setdefault(f"{m}, files of {size} tenders", []).append(int(d["drifted"].any()))
    feats = {m: tender_features(b, random_state=a.seed) for m, b in bids.items()}
    profiles = {m: market_profile(bids[m], feats[m]) for m in MARKETS}
    for m in MARKETS:
        for n in MARKETS:
            if n != m:
                rows.append(("another market", f"{n} named {m}", drift(profiles[m], bids[n], feats[n])))
    cols = list(PROFILE)
    print(f"drift check: fires where a quantity's KS distance > {DRIFT_MAX}")
    print(f"{'case':<36} " + " ".join(f"{c:>7}" for c in cols) + "  fired on (median kept -> file's)")
    count: dict[str, list[int]] = {}
    for kind, case, d in rows:
        fired = [q for q in d.index if d.loc[q, "drifted"]]
        count.setdefault(kind, []).append(int(bool(fired)))
        dist = " ".join(f"{d.loc[c, 'distance']:>7.3f}" if c in d.index else f"{'-':>7}" for c in cols)
        said = ", ".join(f"{q} {d.loc[q, 'kept']:.3g} -> {d.loc[q, 'file']:.3g}" for q in fired)
        print(f"{case:<36} {dist}  {said or '-'}")
    for case, fired in small.items():
        print(f"small later file of the same market, {case}: fired on {sum(fired)} of {len(fired)}")
    for kind, fired in count.items():
        print(f"{kind}: fired on {sum(fired)} of {len(fired)} checks")
    print(f"({time.time() - t0:.0f} s wall; numpy {np.__version__}, pandas {pd.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
