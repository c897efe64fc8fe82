"""How often a Ctrl-C is lost while the embedded store runs queries, or leaves the store unable to close.

    python bench/ctrl_c_lost.py --trials 40 [--checkout /work/main]

Each trial starts a child process that opens an embedded store and runs small queries (``rows("RETURN 1")``) in a
loop for a few seconds, and sends it SIGINT at a random moment of the loop. The interrupt is *raised* when the child
stops with KeyboardInterrupt and then closes the store, as a command does; *lost* when the child runs its loop to the
end (Ladybug's binding dropped it: it calls Python before each query to check the SIGINT handler, and reports a
KeyboardInterrupt raised during that call as unraisable, ``Exception ignored in: 'checking the SIGINT handler before
a query'``); *hung* when the store's close has not returned 20 s after the interrupt (the Ctrl-C was raised inside
Ladybug's count of the calls in flight, which then kept an ended call, and its close waits for it: the child is
killed). Prints the counts, and how many children printed that line. ``--checkout`` runs another checkout's
graphkit (main, to compare). The child sets SIGINT as a terminal does: started in the background, it ignores it.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal (a background job ignores SIGINT)
from graphkit.stores.embedded import EmbeddedStore
s = EmbeddedStore(sys.argv[1])
s.create_schema()
s.rows("RETURN 1")
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
try:
    while time.monotonic() < end:
        s.rows("RETURN 1")
    print("lost", flush=True)
except KeyboardInterrupt:
    s.close()
    print("raised", flush=True)
"""


def trial(checkout: Path, folder: Path, seconds: float, rng: random.Random) -> tuple[str, bool]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder / "g.db"), str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=checkout,
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        out, err = proc.communicate()
        raise SystemExit(f"the child did not start: {err}")
    time.sleep(rng.uniform(0.05, seconds / 2))
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=seconds + 20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return "hung", False
    if "Exception ignored" in err and os.environ.get("SHOW"):
        print(err, file=sys.stderr)
    return out.strip() or f"rc {proc.returncode}", "Exception ignored" in err


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--seconds", type=float, default=2.0, help="How long each child runs its queries.")
    ap.add_argument("--checkout", type=Path, default=ROOT, help="The checkout whose graphkit the children run.")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counts: dict[str, int] = {}
    ignored = 0
    for _ in range(args.trials):
        with tempfile.TemporaryDirectory() as tmp:
            what, said = trial(args.checkout.resolve(), Path(tmp), args.seconds, rng)
        counts[what] = counts.get(what, 0) + 1
        ignored += said
    print(f"{args.checkout}: {args.trials} trials: {counts}; 'Exception ignored' printed in {ignored}")


if __name__ == "__main__":
    main()
