"""Reading a large .xlsx: the reader's python-calamine path against openpyxl's read-only iteration, one run each.

    python bench/xlsx_read.py --rows 100000

Writes a workbook of ``--rows`` rows (an ID-like code, a name, an address, a phone, an amount, a date), then times
``loaders.read.read_table`` on it (calamine: the rows, the other sheets and the merged ranges) and a bare openpyxl
read-only pass over the same rows (what the reader used before). Prints both in seconds and the rows read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args(argv)
    import openpyxl

    from loaders.read import read_table

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("台账")
        ws.append(["编号", "姓名", "住址", "联系电话", "金额(元)", "日期"])
        for i in range(args.rows):
            ws.append(
                [f"K{i:08d}", f"张{i % 977}", f"苏州市工业园区星湖街{i % 3000}号", f"138{i:08d}", i * 1.5, "2023-01-01"]
            )
        wb.save(path)
        t = time.perf_counter()
        rows = read_table(path).table.num_rows
        ours = time.perf_counter() - t
        t = time.perf_counter()
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        n = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
        book.close()
        theirs = time.perf_counter() - t
    print(
        f"{args.rows:,} rows: read_table (python-calamine) {ours:.2f} s ({rows:,} rows); "
        f"openpyxl read-only {theirs:.2f} s ({n:,} rows)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
