"""``collusion score`` step by step: each step's wall, CPU and memory, in one process, as the command runs them.

    python bench/collusion_steps.py embedded:/path/city.db /tmp/out
    GRAPHKIT_QUERY_LOG=1 python bench/collusion_steps.py embedded:/path/city.db /tmp/out   # each store query too

A step's line is printed when the next one starts: its wall seconds, the process's CPU seconds in it (all threads,
``ru_utime + ru_stime``: two shared cores move the wall, not this), the resident memory after it and the peak so
far (``VmRSS``, ``VmHWM``, MiB). The steps are the command's bar's (:data:`graphkit.collusion.kg.SCORE_STEPS`,
then each report file).
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _mem() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) // 1024
    return out


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    spec, out = sys.argv[1], sys.argv[2]
    if os.environ.get("GRAPHKIT_QUERY_LOG"):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("    query: %(message)s"))
        log = logging.getLogger("graphkit.store")
        log.setLevel(logging.DEBUG)
        log.addHandler(handler)
    t0 = time.perf_counter()
    last = [t0, 0.0, "imports"]

    def step(name: str) -> None:
        now, cpu, m = time.perf_counter(), _cpu(), _mem()
        print(
            f"{last[2]:<28} wall {now - last[0]:7.2f}  cpu {cpu - last[1]:7.2f}  rss {m['VmRSS']:6,d}  "
            f"peak {m['VmHWM']:6,d}",
            flush=True,
        )
        last[:] = [now, cpu, name]

    from graphkit.cli.common import open_for_reading
    from graphkit.collusion.kg import score_store
    from graphkit.reports import write_collusion_reports

    step("opening the store")
    store = open_for_reading(spec)  # as the command: read-only, the store's public plates and addresses held
    scores = score_store(store, progress=step)
    step("reports")
    write_collusion_reports(scores, out, store=store, top=5, progress=lambda f: step(f"report {f}"))
    step("end")
    store.close()
    print(f"total wall {time.perf_counter() - t0:.1f} s, cpu {_cpu():.1f} s, peak {_mem()['VmHWM']:,} MiB")


if __name__ == "__main__":
    main()
