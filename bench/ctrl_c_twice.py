"""Ctrl-C twice in a command's first second: how it ends (exit status, its line), this checkout or another.

    python bench/ctrl_c_twice.py --trials 20 [--checkout /work/main]

Each trial starts ``python -m graphkit stats`` on a store that is not there (the command refuses it once started),
sends SIGINT at a random moment of its first 0.3-1.2 s (its imports, mostly) and a second one 20-80 ms later, as a
user pressing Ctrl-C twice does. Counts the outcomes by exit status and by what the command said last (命令尚未开始:
stopped while it started; 已中断: stopped once started; -: nothing). Exit status -2 is the process killed by the
signal. The child gets SIGINT as a terminal gives it (a process started in the background ignores it).

``--once`` sends the first SIGINT only, at the same moments (the same seed): what a single Ctrl-C gives there.
``--show`` prints, for each trial that did not end with 130, when its SIGINTs were sent and the end of what it
said: an exit -2 where the command said nothing of its own (``-``) is a first Ctrl-C that came while Python was
starting, before any of graphkit's code could answer it (a traceback of no line, or none), whatever the second did.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--checkout", type=Path, default=ROOT, help="The checkout whose graphkit runs (main, to compare).")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--once", action="store_true", help="Send the first SIGINT only.")
    ap.add_argument("--show", action="store_true", help="Print the trials that did not end with 130.")
    args = ap.parse_args()
    checkout, rng, counts = args.checkout.resolve(), random.Random(args.seed), Counter()
    env = {**os.environ, "PYTHONPATH": str(checkout), "GRAPHKIT_LANG": "zh"}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.trials):
            proc = subprocess.Popen(
                [sys.executable, "-m", "graphkit", "stats", "--store", f"embedded:{tmp}/none.db"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=checkout,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )
            first = rng.uniform(0.3, 1.2)
            time.sleep(first)
            proc.send_signal(signal.SIGINT)
            second = rng.uniform(0.02, 0.08)
            time.sleep(second)
            if proc.poll() is None and not args.once:
                proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=120)
            said = "命令尚未开始" if "命令尚未开始" in err else "已中断" if "已中断" in err else "-"
            counts[f"exit {proc.returncode}, {said}{', traceback' if 'Traceback' in err else ''}"] += 1
            if args.show and proc.returncode != 130:
                tail = " | ".join(err.strip().splitlines()[-3:])
                print(f"exit {proc.returncode}: SIGINT at {first:.2f} s (+{second * 1000:.0f} ms): {tail}")
    print(f"{checkout}: {args.trials} trials{' (one Ctrl-C)' if args.once else ''}: {dict(counts)}")


if __name__ == "__main__":
    main()
