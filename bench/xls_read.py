"""Reading a large legacy .xls: ``loaders.read.read_table`` of one checkout against another's, interleaved.

    python bench/xls_read.py --old ../base --new . --rows 60000 --runs 3

Writes one workbook (xlwt, Excel 97-2003) of ``--rows`` rows under the shareholders' headers (a credit code, a holder
type, a holder's ID number, a share formatted as a percentage, a date-time, a remark), then reads it with each
checkout's ``read_table`` in a process of its own (``PYTHONPATH`` set to the checkout), old, new, old, new …, and
prints each run's wall time, the medians of wall and CPU time and whether both read the same cells. An .xls had
been parsed twice per sheet (python-calamine for the cells, xlrd for the formats, hidden rows and date system); it
is parsed once by xlrd. ``--load`` times a whole load of a folder holding it instead (the sheets listed, the header
found and the rows read: python-calamine had parsed it twice more for the first two), with the peak memory:

    python bench/xls_read.py --old ../base --new . --rows 60000 --runs 3 --load
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READ = """
import hashlib, json, sys, time
from pathlib import Path
from loaders.contracts import load_contracts
from loaders.read import read_table
t, c = time.perf_counter(), time.process_time()
rt = read_table(Path(sys.argv[1]), load_contracts()["shareholders"])
took, cpu = time.perf_counter() - t, time.process_time() - c
cells = hashlib.sha256(json.dumps(rt.table.to_pylist(), ensure_ascii=False).encode()).hexdigest()
print(json.dumps({"seconds": took, "cpu": cpu, "rows": rt.table.num_rows, "cells": cells}))
"""


#: ``--load``: the whole load of a folder holding the workbook (its sheets listed, its header found, its rows read and
#: stored), as ``graphkit load`` runs it; the process's CPU and peak memory, and as "cells" the store's shareholdings,
#: the rows read, loaded and quarantined and the quarantine's reasons
LOAD = """
import hashlib, json, resource, sys, tempfile, time
from pathlib import Path
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import load_dir
t, c = time.perf_counter(), time.process_time()
with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "g.db") as s:
    report, _ = load_dir(Path(sys.argv[1]).parent, s)
    got = s.run("MATCH (h)-[r:SHAREHOLDER_OF]->(c) RETURN count(r) AS n, sum(r.percent) AS p")
took, cpu = time.perf_counter() - t, time.process_time() - c
rows = sum(f.read for f in report.files)
said = sorted((q.row, q.column, q.reason) for q in report.quarantine)
counts = [(f.read, f.loaded, f.quarantined) for f in report.files]
cells = hashlib.sha256(repr((int(got["n"][0]), float(got["p"][0] or 0), counts, said)).encode()).hexdigest()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"seconds": took, "cpu": cpu, "rows": rows, "cells": cells, "peak_mib": peak}))
"""


def _write(path: Path, rows: int) -> None:
    from datetime import datetime, timedelta

    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("股东")
    for j, h in enumerate(["统一社会信用代码", "股东类型", "股东证照号码", "持股比例(%)", "登记时间", "备注"]):
        ws.write(0, j, h)
    share = xlwt.easyxf(num_format_str="0.00%")
    when = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    start = datetime(2020, 1, 1, 8, 30)
    for i in range(1, rows + 1):
        ws.write(i, 0, f"91320500MA{i:08d}")
        ws.write(i, 1, "person")
        ws.write(i, 2, f"32050819750312{i % 10_000:04d}")
        ws.write(i, 3, (i % 97) / 100, share)
        ws.write(i, 4, start + timedelta(hours=i), when)
        ws.write(i, 5, f"第{i % 50}批登记")
    wb.save(str(path))


def _run(root: Path, path: Path, script: str = READ) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", script, str(path)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", type=Path, required=True, help="a checkout of the code before (a git worktree)")
    ap.add_argument("--new", type=Path, default=ROOT)
    ap.add_argument("--rows", type=int, default=60_000, help="at most 65,535: an .xls sheet's limit")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--load", action="store_true", help="time a whole load of it (listing, header, rows), not a read")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shareholders.xls"
        _write(path, args.rows)
        got: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(args.runs):
            for which in ("old", "new"):
                got[which].append(_run(getattr(args, which).resolve(), path, LOAD if args.load else READ))
    for which in ("old", "new"):
        secs, cpu = [r["seconds"] for r in got[which]], [r["cpu"] for r in got[which]]
        print(
            f"{which}: wall {', '.join(f'{x:.2f}' for x in secs)} s, median {statistics.median(secs):.2f} s; "
            f"CPU median {statistics.median(cpu):.2f} s ({got[which][0]['rows']:,} rows)"
            + (f"; peak memory {max(r['peak_mib'] for r in got[which]):,} MiB" if args.load else "")
        )
    same = {r["cells"] for r in got["old"] + got["new"]}
    print("same cells in every run" if len(same) == 1 else f"cells differ between runs: {len(same)} digests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
