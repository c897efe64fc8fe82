"""Small hand-made bid tables for the collusion tests, in the shared markets' column format.

Competitive tenders: 3-8 bidders drawn from 40 firms, bids spread about 8 % around a cost. Collusive
tenders: a ring of four firms (R1-R4) bids together with at most one outsider; the ring's bids sit
0.5-2 % apart, the designated winner rotates through the ring and the others cover just above it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SHARED_MARKETS = Path(__file__).resolve().parents[2] / "shared" / "data" / "collusion_garcia_rodriguez_2022"
MARKET_FILES = {
    "USA": "DB_Collusion_America_processed.csv",
    "Italy": "DB_Collusion_Italy_processed.csv",
    "Japan": "DB_Collusion_Japan_processed.csv",
    "Switzerland": "DB_Collusion_Switzerland_GR_and_See-Gaster_processed.csv",
}


def make_bids(
    n_tenders: int = 120, *, seed: int = 0, collusive_share: float = 0.3, scale: float = 1e6, first_tender: int = 0
) -> pd.DataFrame:
    """One row per bid: Tender, Date, Competitors, Winner, Bid_value, Collusive_competitor."""
    rng = np.random.default_rng(seed)
    rows = []
    ring = ["R1", "R2", "R3", "R4"]
    turn = 0
    for t in range(first_tender, first_tender + n_tenders):
        cost = scale * rng.lognormal(0, 0.5)
        date = 1_000_000 + 86_400 * t
        if rng.random() < collusive_share:
            firms = list(ring) + ([f"F{rng.integers(40)}"] if rng.random() < 0.5 else [])
            winner = ring[turn % 4]
            turn += 1
            base = cost * rng.uniform(1.05, 1.15)
            bids = {}
            steps = np.sort(rng.uniform(0.005, 0.02, 3)).cumsum()
            others = [f for f in ring if f != winner]
            bids[winner] = base
            for f, s in zip(others, steps, strict=True):
                bids[f] = base * (1 + s)
            for f in firms[4:]:
                bids[f] = cost * rng.lognormal(0.1, 0.08)
            label = 1
        else:
            k = int(rng.integers(3, 9))
            firms = [f"F{i}" for i in rng.choice(40, size=k, replace=False)]
            bids = {f: cost * rng.lognormal(0.05, 0.08) for f in firms}
            label = 0
        low = min(bids, key=bids.get)
        for f, b in bids.items():
            rows.append(
                {
                    "Tender": t,
                    "Date": date,
                    "Competitors": f,
                    "Winner": int(f == low),
                    "Bid_value": round(float(b), 2),
                    "Collusive_competitor": label,
                }
            )
    return pd.DataFrame(rows)


def make_segment_bids(
    n_tenders: int = 300, *, seed: int = 0, rates: dict | None = None, first_tender: int = 0
) -> pd.DataFrame:
    """Bids without any pattern (3-6 bids spread ~8 % around a cost, no bidder ids) whose label depends
    only on the tender's ``Contract_type``: collusive with probability ``rates[type]``. Only a record of
    segments can tell these tenders apart; the bids cannot."""
    rng = np.random.default_rng(seed)
    rates = rates or {"1": 0.9, "2": 0.6, "3": 0.15}
    kinds = list(rates)
    rows = []
    for t in range(first_tender, first_tender + n_tenders):
        kind = kinds[int(rng.integers(len(kinds)))]
        label = int(rng.random() < rates[kind])
        cost = 1e5 * rng.lognormal(0, 0.5)
        bids = cost * rng.lognormal(0.05, 0.08, size=int(rng.integers(3, 7)))
        low = int(np.argmin(bids))
        for i, b in enumerate(bids):
            rows.append(
                {
                    "Tender": t,
                    "Date": 1_000 + t,
                    "Winner": int(i == low),
                    "Bid_value": round(float(b), 2),
                    "Contract_type": f"{kind}.0" if i % 2 else kind,
                    "Collusive_competitor": label,
                }
            )
    return pd.DataFrame(rows)
