"""A refused record is named by the same number and the same word everywhere: the line of a CSV file it starts on
(the header is line 1; a quoted value over two lines counts both), as the console's ``household.csv line 4`` says.
The quarantine file headed that number ``row`` and a duplicate's reason said ``duplicate of row 4`` of the record
the console called line 4."""

from __future__ import annotations

import copy
import csv

from fixture_city import TABLES, write_city

from loaders.engine import load_dir
from loaders.report import where


def test_a_duplicate_names_the_line_its_first_starts_on_and_the_quarantine_heads_it_line(tmp_path, store):
    tables = copy.deepcopy(TABLES)
    hh = tables["household"]
    hh[0]["住址"] = "苏州市姑苏区人民路1号\n2幢"  # record 1 takes lines 2 and 3: record 2 starts on line 4
    hh.append(dict(hh[1]))
    city = write_city(tmp_path / "city", tables)
    lines = (city / "household.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[3].startswith(hh[1]["公民身份号码"])  # (the file as said: record 2 on line 4)
    report, _ = load_dir(city, store)
    (q,) = [x for x in report.quarantine if x.file == "household.csv"]
    assert q.reason == "duplicate of line 4"
    assert q.row == len(hh) + 2 and lines[q.row - 1].startswith(hh[1]["公民身份号码"])
    assert q.where.startswith(f"household.csv line {q.row}")  # the console's words for it
    assert where("household.csv", 4, "") == "household.csv line 4"
    path = report.write_quarantine(tmp_path / "q.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        (rec,) = [r for r in csv.DictReader(fh) if r["file"] == "household.csv"]
    assert rec["line"] == str(q.row) and rec["reason"] == "duplicate of line 4" and "row" not in rec
