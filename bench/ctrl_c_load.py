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

Each trial also times the seconds from the (first) SIGINT to the command's first word of it (the first line on its
stderr naming Ctrl-C: the line saying it was heard, or, where none is said, the last line) and to its end: their
median and largest are printed. ``--city C`` loads a city already made (``graphkit synth --scale 30000 --out C``:
larger files, a longer wait for the one being read when the Ctrl-C comes; ``--window`` to match).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINE = "已中断（Ctrl-C）：库保持原样：本次加载已整体撤回"


def start_load(checkout: Path, city: Path, db: Path, *, stdout: int = subprocess.DEVNULL) -> subprocess.Popen:
    """``python -m graphkit load CITY --store embedded:DB`` of ``checkout``, in Chinese, started as a terminal starts
    it (SIGINT at Python's default, whatever this process does with it), its stderr piped (text); returns once the
    load writes its staging copy (``DB.loading``), or has ended. tests/test_interrupt.py starts its load so too."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "GRAPHKIT_LANG": "zh"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphkit", "load", str(city), "--store", f"embedded:{db}"],
        stdout=stdout,
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
    return proc


def _timed(fd: int, chunks: list[tuple[float, bytes]]) -> None:
    """What the command writes on ``fd``, each piece with the moment it came, until it closes."""
    while piece := os.read(fd, 65536):
        chunks.append((time.monotonic(), piece))


def trial(
    checkout: Path, city: Path, folder: Path, window: float, rng: random.Random, twice: bool
) -> tuple[str, str, float | None, float | None]:
    """One load Ctrl-C'd: its outcome, its stderr, and the seconds from the (first) SIGINT to the first word the
    command said of it (a line naming Ctrl-C) and to its end (None: not sent, the load had ended)."""
    db = folder / "g.db"
    proc = start_load(checkout, city, db)
    assert proc.stderr is not None
    chunks: list[tuple[float, bytes]] = []
    reader = threading.Thread(target=_timed, args=(proc.stderr.fileno(), chunks), daemon=True)
    reader.start()
    sent = None
    if proc.poll() is None:
        time.sleep(rng.uniform(0, window))
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        if twice:
            time.sleep(rng.uniform(0.02, 0.08))
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        reader.join(10)
        return "hung", b"".join(c for _, c in chunks).decode(errors="replace"), None, None
    ended = time.monotonic()
    reader.join(10)
    err = b"".join(c for _, c in chunks).decode(errors="replace")
    heard = None
    if sent is not None:  # the first piece after the SIGINT that completes a mention of Ctrl-C
        text = b""
        for t, c in chunks:
            text += c if t >= sent else b""
            if b"Ctrl-C" in text:
                heard = t - sent
                break
    last = err.strip().splitlines()[-1] if err.strip() else ""
    said = "撤回" if last.startswith(LINE) else "-"
    left = ", store left" if db.exists() or Path(f"{db}.loading").exists() else ""
    what = f"exit {proc.returncode}, {said}{left}{', traceback' if 'Traceback' in err else ''}"
    return what, err, heard, None if sent is None else ended - sent


def _spread(xs: list[float]) -> str:
    """Median and largest of some delays, in seconds."""
    if not xs:
        return "none"
    xs = sorted(xs)
    return f"median {xs[len(xs) // 2]:.2f} s, max {xs[-1]:.2f} s ({len(xs)})"


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
    ap.add_argument("--city", type=Path, help="Load this city (made once by graphkit synth) instead of making one.")
    args = ap.parse_args()
    checkout, rng, counts = args.checkout.resolve(), random.Random(args.seed), Counter()
    heard: list[float] = []
    ended: list[float] = []
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            city = args.city.resolve() if args.city else Path(tmp) / "C"
            if not args.city:
                env = {**os.environ, "PYTHONPATH": str(checkout)}
                synth = ["synth", "--scale", str(args.scale), "--seed", "7", "--out", city]
                subprocess.run(
                    [sys.executable, "-m", "graphkit", *synth], check=True, capture_output=True, env=env, cwd=checkout
                )
            t0 = time.perf_counter()
            for i in range(args.trials):
                with tempfile.TemporaryDirectory(dir=tmp) as one:
                    what, err, to_word, to_end = trial(checkout, city, Path(one), args.window, rng, args.twice)
                counts[what] += 1
                heard += [] if to_word is None else [to_word]
                ended += [] if to_end is None else [to_end]
                if args.show and not what.startswith("exit 130, 撤回"):
                    print(f"--- trial {i}: {what}\n{err}", file=sys.stderr)
    finally:
        for p in busy:
            p.kill()
            p.wait()
    print(
        f"{checkout}: {args.trials} trials ({'twice, ' if args.twice else ''}SIGINT 0-{args.window:g} s into the load, "
        f"{args.busy} busy processes "
        f"beside, {time.perf_counter() - t0:.0f} s): {dict(counts)}\n"
        f"  SIGINT to its first word (a line naming Ctrl-C): {_spread(heard)}; to the end: {_spread(ended)}"
    )


if __name__ == "__main__":
    main()
