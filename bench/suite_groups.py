"""The suite's groups (``tests/conftest.py``'s unit of work on a worker) from a run's ``--durations=0`` output:
the seconds each group took, and the wall time two workers take under each order of handing the groups out.

    pytest -n 2 --dist loadscope --durations=0 > run.log
    python bench/suite_groups.py run.log                 # the 25 longest groups, the two orders' wall times
    python bench/suite_groups.py run.log --workers 2 --top 60

A group's seconds are the sum of its tests' setup, call and teardown as pytest printed them (durations under
0.005 s are hidden by pytest and count as 0). The wall time is a list schedule: each worker, when free, takes the
next group in the order. ``scheduler`` is the order ``tests/conftest.py`` gives (the Neo4j group and the notebooks
first, then by number of tests); ``by count`` is xdist's own ``--loadscope-reorder`` (every group by number of
tests, the collection's order among equals). The counts come from ``pytest --collect-only``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

LINE = re.compile(r"^\s*([0-9.]+)s (setup|call|teardown)\s+(tests/[^:]+\.py)::")


def group_seconds(log: str) -> dict[str, float]:
    """Seconds by group from the text of a ``--durations=0`` report."""
    from conftest import xdist_group_of

    out: dict[str, float] = defaultdict(float)
    for line in log.splitlines():
        m = LINE.match(line)
        if m:
            out[xdist_group_of(Path(m.group(3)).stem)] += float(m.group(1))
    return dict(out)


def collected() -> list[str]:
    """The suite's node ids in the order its collection hook leaves them (``pytest --collect-only -q``)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def orders(ids: list[str]) -> dict[str, list[str]]:
    """The groups in the order each way hands them out."""
    from conftest import xdist_group_of

    groups = [xdist_group_of(Path(i.split("::", 1)[0]).stem) for i in ids]
    counts = Counter(groups)
    seen = list(dict.fromkeys(groups))  # the collection's order (the scheduler's since it turned xdist's off)
    return {"scheduler": seen, "by count": sorted(seen, key=lambda g: -counts[g])}


def wall(order: list[str], seconds: dict[str, float], workers: int) -> tuple[float, list[list[str]]]:
    """The time ``workers`` take when each, when free, takes the next group of ``order``; and what each ran."""
    free = [0.0] * workers
    ran: list[list[str]] = [[] for _ in range(workers)]
    for g in order:
        w = min(range(workers), key=lambda i: free[i])
        free[w] += seconds.get(g, 0.0)
        ran[w].append(g)
    return max(free), ran


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("log", type=Path, help="the output of a pytest run with --durations=0")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--top", type=int, default=25, help="how many groups to list, longest first")
    args = ap.parse_args()
    seconds = group_seconds(args.log.read_text(encoding="utf-8", errors="replace"))
    total = sum(seconds.values())
    print(f"{len(seconds)} groups, {total:.0f} s in all ({total / args.workers:.0f} s per worker if even)")
    for g, s in sorted(seconds.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{s:8.1f} s  {g}")
    for name, order in orders(collected()).items():
        t, ran = wall(order, seconds, args.workers)
        first, last = [r[0] for r in ran], [r[-1] for r in ran]
        print(f"{name}: {t:.0f} s on {args.workers} workers; first on each: {first}, last: {last}")


if __name__ == "__main__":
    main()
