"""What a ``graphkit`` command pays after its last line: the time from the last byte it wrote to the process's exit.

    python bench/cli_exit.py --store embedded:C.db --path SOURCE TARGET            # this worktree, fast exit on/off
    python bench/cli_exit.py --store embedded:C.db --checkout /work/main --runs 7  # another checkout beside this one

Runs ``python -m graphkit`` (``--help``, ``stats --store``, ``path --store SOURCE TARGET`` when ``--path`` is given)
``--runs`` times each, the variants interleaved run by run so that the machine's load falls on each alike, and prints
per command and variant the median wall time of the whole run, the median time from the last output (stdout or
stderr, read through pipes) to the process's exit, and the median CPU time of the whole run (user + system, every
thread: less swayed by the machine's load than the wall times), with the exit codes seen. The variants: this worktree
with ``GRAPHKIT_FAST_EXIT=0`` (Python's own shutdown; the switch of the fast exit of commit 7a533c8, which this
branch reverted: without it the two are the same code) and as it is; with ``--checkout DIR`` also DIR's code
(``PYTHONPATH=DIR``, run in DIR). The machine's load average is printed with the figures: on a shared machine a
wall time includes waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def one(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int, float]:
    """(wall seconds, seconds from the last output to exit, exit code, CPU seconds of the process) of one run."""
    start = time.perf_counter()
    # run in the tree: ``python -m`` puts the working folder first on the path, before PYTHONPATH
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    sel.register(proc.stderr, selectors.EVENT_READ)
    last = start
    open_pipes = 2
    while open_pipes:
        for key, _ in sel.select():
            data = os.read(key.fileobj.fileno(), 65536)
            if data:
                last = time.perf_counter()
            else:
                sel.unregister(key.fileobj)
                open_pipes -= 1
    # both pipes closed: the process has closed its ends (at exit); wait for its status
    _, status, usage = os.wait4(proc.pid, 0)
    end = time.perf_counter()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    return end - start, end - last, code, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="embedded:PATH of a small city's store")
    ap.add_argument("--path", nargs=2, metavar=("SOURCE", "TARGET"), help="two entities for graphkit path")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--checkout", type=Path, help="another checkout to run beside this one (PYTHONPATH=DIR)")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()

    commands = {"--help": ["--help"], "stats": ["stats", "--store", args.store]}
    if args.path:
        commands["path"] = ["path", "--store", args.store, *args.path]
    variants = {
        "python exit": (HERE, {"GRAPHKIT_FAST_EXIT": "0"}),
        "this tree": (HERE, {}),
    }
    if args.checkout:
        variants[f"{args.checkout}"] = (args.checkout.resolve(), {})

    results: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for _ in range(args.runs):
        for cname, cargs in commands.items():
            for vname, (tree, extra) in variants.items():
                env = {**os.environ, "PYTHONPATH": str(tree), **extra}
                if not extra:
                    env.pop("GRAPHKIT_FAST_EXIT", None)
                results.setdefault((cname, vname), []).append(one([args.python, "-m", "graphkit", *cargs], env, tree))

    print(f"load average {os.getloadavg()[0]:.1f} (cores {os.cpu_count()}); {args.runs} runs each, medians")
    print(f"{'command':10} {'variant':28} {'wall s':>8} {'after last output s':>20} {'CPU s':>7}  exit codes")
    for (cname, vname), rows in results.items():
        wall = statistics.median(r[0] for r in rows)
        tail = statistics.median(r[1] for r in rows)
        cpu = statistics.median(r[3] for r in rows)
        codes = sorted({r[2] for r in rows})
        print(f"{cname:10} {vname:28} {wall:8.2f} {tail:20.2f} {cpu:7.2f}  {codes}")


if __name__ == "__main__":
    main()
