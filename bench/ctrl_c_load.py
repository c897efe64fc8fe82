"""How often a Ctrl-C sent to ``graphkit load`` is lost (the load runs on to its end, exit 0), this checkout or another.

    python bench/ctrl_c_load.py --trials 40 [--checkout /work/main] [--busy 2]

Makes a synthetic city once (``--scale``, default 3,000), then each trial starts ``python -m graphkit load CITY
--store embedded:DB`` as a terminal starts it (SIGINT at Python's default), waits until the load writes its staging
copy (``DB.loading``), then sends SIGINT at a random moment of the next ``--window`` seconds (default 0-3 s: the
tables validated, written by the writer thread, the counts asked on the main thread), as test_interrupt.py's
test_a_real_ctrl_c_in_graphkit_load does at 0.3 s. Counts the outcomes by exit status and by what the command said
last (撤回: the line saying the load was taken back; -: another), and how many left the store or its staging copy
behind. ``--busy N`` runs N CPU-bound processes beside the trials (a machine under load, as in a full suite run,
where the test failed). ``--twice`` sends a second SIGINT 20-80 ms after the first, as a user pressing Ctrl-C twice
does. ``--show`` prints the stderr of each trial that did not end with 130.
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
LINE = "已中断（Ctrl-C）：库保持原样：本次加载已整体撤回"


def trial(checkout: Path, city: Path, folder: Path, window: float, rng: random.Random, twice: bool) -> tuple[str, str]:
    db = folder / "g.db"
    env = {**os.environ, "PYTHONPATH": str(checkout), "GRAPHKIT_LANG": "zh"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphkit", "load", str(city), "--store", f"embedded:{db}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=checkout,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a terminal starts it
    )
    staging = Path(f"{db}.loading")
    deadline = time.monotonic() + 120
    while not staging.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if proc.poll() is None:
        time.sleep(rng.uniform(0, window))
        proc.send_signal(signal.SIGINT)
        if twice:
            time.sleep(rng.uniform(0.02, 0.08))
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        return "hung", err
    last = err.strip().splitlines()[-1] if err.strip() else ""
    said = "撤回" if last.startswith(LINE) else "-"
    left = ", store left" if db.exists() or staging.exists() else ""
    return f"exit {proc.returncode}, {said}{left}{', traceback' if 'Traceback' in err else ''}", err


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--checkout", type=Path, default=ROOT, help="The checkout whose graphkit runs (main, to compare).")
    ap.add_argument("--scale", type=int, default=3_000)
    ap.add_argument("--window", type=float, default=3.0, help="SIGINT sent this many seconds at most into the load.")
    ap.add_argument("--busy", type=int, default=0, help="CPU-bound processes run beside the trials.")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--twice", action="store_true", help="Ctrl-C twice: a second SIGINT 20-80 ms after the first.")
    ap.add_argument("--show", action="store_true", help="Print the stderr of each trial that did not end with 130.")
    args = ap.parse_args()
    checkout, rng, counts = args.checkout.resolve(), random.Random(args.seed), Counter()
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            city = Path(tmp) / "C"
            env = {**os.environ, "PYTHONPATH": str(checkout)}
            subprocess.run(
                [sys.executable, "-m", "graphkit", "synth", "--scale", str(args.scale), "--seed", "7", "--out", city],
                check=True,
                capture_output=True,
                env=env,
                cwd=checkout,
            )
            t0 = time.perf_counter()
            for i in range(args.trials):
                with tempfile.TemporaryDirectory(dir=tmp) as one:
                    what, err = trial(checkout, city, Path(one), args.window, rng, args.twice)
                counts[what] += 1
                if args.show and not what.startswith("exit 130, 撤回"):
                    print(f"--- trial {i}: {what}\n{err}", file=sys.stderr)
    finally:
        for p in busy:
            p.kill()
            p.wait()
    print(
        f"{checkout}: {args.trials} trials ({'twice, ' if args.twice else ''}SIGINT 0-{args.window:g} s into the load, "
        f"{args.busy} busy processes "
        f"beside, {time.perf_counter() - t0:.0f} s): {dict(counts)}"
    )


if __name__ == "__main__":
    main()
