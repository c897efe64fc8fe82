"""Reading a large legacy .xls: ``loaders.read.read_table`` of one checkout against another's, interleaved.

    python bench/xls_read.py --old ../base --new . --rows 60000 --runs 3

Writes one workbook (xlwt, Excel 97-2003) of ``--rows`` rows under the shareholders' headers (a credit code, a holder
type, a holder's ID number, a share formatted as a percentage, a date-time, a remark), then reads it with each
checkout's ``read_table`` in a process of its own (``PYTHONPATH`` set to the checkout), old, new, old, new …, and
prints each run's wall time, the medians of wall and CPU time and whether both read the same cells. An .xls had
been parsed twice per sheet (python-calamine for the cells, xlrd for the formats, hidden rows and date system); it
is parsed once by xlrd.
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


def _run(root: Path, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", READ, str(path)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", type=Path, required=True, help="a checkout of the code before (a git worktree)")
    ap.add_argument("--new", type=Path, default=ROOT)
    ap.add_argument("--rows", type=int, default=60_000, help="at most 65,535: an .xls sheet's limit")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shareholders.xls"
        _write(path, args.rows)
        got: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(args.runs):
            for which in ("old", "new"):
                got[which].append(_run(getattr(args, which).resolve(), path))
    for which in ("old", "new"):
        secs, cpu = [r["seconds"] for r in got[which]], [r["cpu"] for r in got[which]]
        print(
            f"{which}: wall {', '.join(f'{x:.2f}' for x in secs)} s, median {statistics.median(secs):.2f} s; "
            f"CPU median {statistics.median(cpu):.2f} s ({got[which][0]['rows']:,} rows)"
        )
    same = {r["cells"] for r in got["old"] + got["new"]}
    print("same cells in every run" if len(same) == 1 else f"cells differ between runs: {len(same)} digests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
