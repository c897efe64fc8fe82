"""How long an investigator waits when naming a subject by its full name: two code trees, runs interleaved.

    git worktree add --detach /tmp/old BASE        # or: git archive BASE | tar -x -C /tmp/old
    python bench/name_lookup.py --store embedded:CITY.db --name 李桂思 --old /tmp/old --repeat 5

Runs, each in a fresh process with ``PYTHONPATH`` set to the tree measured, as a user types them:
``graphkit export --entity NAME --hops 1 --out F.pdf``, ``graphkit neighbours NAME`` and ``graphkit find NAME``,
old then new, repeat after repeat (so a busy spell on a shared machine falls on both), and prints the median
wall-clock and CPU seconds of each with the ratio.  It checks that both trees print the same (``find`` and
``neighbours`` their tables, ``export`` what it wrote; the folder written to is the same name in each) and
exits 1 if not.  Files and the audit log (``GRAPHKIT_AUDIT``) go to a temporary folder; the store is only read.
Wall-clock includes starting Python and importing graphkit, as the user waits for it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_speed import run as timed  # noqa: E402  (one timed CLI run, as the export bench measures it)


def run(tree: Path, args: list[str], env: dict, out: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds and the stdout of one CLI run with ``tree`` first on the path (``{out}`` in
    an argument: a folder of its own, shown as ``{out}`` in the stdout); it must succeed."""
    out.mkdir(parents=True, exist_ok=True)
    wall, used, stdout = timed(tree, [a.replace("{out}", str(out)) for a in args], env)
    return wall, used, stdout.replace(str(out), "{out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="--store spec, e.g. embedded:city.db")
    ap.add_argument("--name", required=True, help="a full name one entity carries (a person's, say)")
    ap.add_argument("--old", type=Path, required=True, help="the code tree before the change")
    ap.add_argument("--new", type=Path, default=Path(__file__).resolve().parent.parent, help="[default: this one]")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each command in each tree; the median is printed")
    a = ap.parse_args()
    trees = {"old": a.old.resolve(), "new": a.new.resolve()}
    jobs = {
        "export --hops 1 --out F.pdf": ["export", "--entity", a.name, "--hops", "1", "--case", "苏纪2026-099"],
        "neighbours NAME": ["neighbours", a.name],
        "find NAME": ["find", a.name],
    }
    jobs["export --hops 1 --out F.pdf"] += ["--out", "{out}/F.pdf"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GRAPHKIT_AUDIT": str(Path(tmp) / "audit.jsonl")}
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {a.repeat} runs each, interleaved")
        print("median seconds, wall-clock (CPU)")
        print(f"{'what':<30}{'old':>14}{'new':>14}{'new / old':>11}  same output")
        same_everywhere = True
        for what, args in jobs.items():
            times: dict[str, list[tuple[float, float]]] = {t: [] for t in trees}
            outputs: set[str] = set()
            for i in range(a.repeat):
                for name, tree in trees.items():
                    wall, cpu, stdout = run(tree, [*args, "--store", a.store], env, Path(tmp) / f"{name}{i}")
                    times[name].append((wall, cpu))
                    outputs.add(stdout)
            med = {
                n: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for n, r in times.items()
            }
            same = len(outputs) == 1
            same_everywhere &= same
            cells = "".join(f"{f'{w:.2f} ({c:.2f})':>14}" for w, c in med.values())
            print(f"{what:<30}{cells}{med['new'][0] / med['old'][0]:>11.2f}  {'yes' if same else 'NO'}", flush=True)
    if not same_everywhere:
        raise SystemExit("the two trees printed different output")


if __name__ == "__main__":
    main()
