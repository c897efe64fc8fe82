"""CPU cost of one small query through the embedded store (``rows("RETURN 1")``), this checkout beside another.

    python bench/query_call_cost.py [--checkout /work/main] [--calls 3000] [--rounds 4]

What graphkit adds around each Ladybug call (the Ctrl-C bookkeeping of ``graphkit.stores.embedded``'s connection,
the statement cache, the row conversion) on the path the hot paths take, one query at a time. Each round runs, in a
fresh process per checkout, alternately, ``--calls`` queries five times and keeps the least CPU time (every thread of
the process, ``time.process_time``): on a shared machine the other work on it changes the figures from one round to
the next, so compare the two checkouts within a round, and the rounds with each other.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, tempfile, time
from pathlib import Path
from graphkit.stores.embedded import EmbeddedStore
s = EmbeddedStore(Path(tempfile.mkdtemp()) / "g.db")
s.create_schema()
s.rows("RETURN 1")
n = int(sys.argv[1])
best = float("inf")
for _ in range(5):
    t = time.process_time()
    for _ in range(n):
        s.rows("RETURN 1")
    best = min(best, time.process_time() - t)
s.close()
print(best / n * 1e6)
"""


def cost(checkout: Path, calls: int) -> float:
    """Microseconds of CPU per query in ``checkout``'s graphkit."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    got = subprocess.run(
        [sys.executable, "-c", CHILD, str(calls)], capture_output=True, text=True, env=env, cwd=checkout, check=True
    )
    return float(got.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkout", type=Path, required=True, help="The other checkout (main, to compare).")
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    for r in range(args.rounds):
        here, there = cost(ROOT, args.calls), cost(args.checkout.resolve(), args.calls)
        print(f"round {r + 1}: this checkout {here:.1f} us, {args.checkout} {there:.1f} us CPU per query")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
