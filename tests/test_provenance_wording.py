"""Where a fact came from in a source file is worded one way: ``graphkit path`` cited ``[family.csv row 2]`` and the
case file's appendix ``family.csv:2`` under "source file:row", where the loader and its quarantine say ``family.csv
line 2`` (a text file's line, the header line 1) and ``户籍.xlsx row 7`` (a workbook's row). Every face now words it
as the loader does (:func:`graphkit.model.provenance`); what is stored (``src_file``, ``src_row``) is unchanged."""

from __future__ import annotations

import copy
import html
import re
import subprocess

import pytest
from fixture_city import C1, P1, TABLES, write_city

from graphkit.stores.embedded import EmbeddedStore


@pytest.mark.parametrize(
    ("file", "row", "said"),
    [
        ("family.csv", 2, "family.csv line 2"),
        ("户籍.txt", 3, "户籍.txt line 3"),
        ("people.ftm.jsonl", 4, "people.ftm.jsonl line 4"),
        ("people.ftm.jsonl.gz", 4, "people.ftm.jsonl.gz line 4"),
        ("户籍.xlsx", 7, "户籍.xlsx row 7"),
        ("household.xlsx[二季度]", 3, "household.xlsx[二季度] row 3"),
        ("household.parquet", 5, "household.parquet row 5"),
    ],
)
def test_a_record_is_cited_as_the_loader_cites_it(file, row, said):
    from graphkit.model import provenance
    from loaders.report import where

    assert provenance(file, row) == said == where(file, row, "")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The fixture city, with one family row refused (a wrong check digit) so that the loader cites a line too."""
    tables = copy.deepcopy(TABLES)
    bad = dict(tables["family"][0], relative_id_number=P1[:-1] + ("1" if P1[-1] != "1" else "2"))
    tables["family"].append(bad)
    root = tmp_path_factory.mktemp("prov")
    db = root / "c.db"
    from loaders.engine import load_dir

    with EmbeddedStore(db) as s:
        report, _ = load_dir(write_city(root / "city", tables), s)
    return db, report


def test_path_cites_lines_as_the_loader_does(loaded, cli):
    db, report = loaded
    (q,) = [q for q in report.quarantine if q.file == "family.csv"]
    assert q.where.startswith(f"family.csv line {len(TABLES['family']) + 2}")  # the loader: a CSV's line
    r = cli("path", P1, C1, "--store", f"embedded:{db}", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "[family.csv line 2]" in r.output and "[shareholders.csv line 2]" in r.output, r.output
    assert not re.search(r"\.csv row \d", r.output)
    r = cli("path", P1, C1, "--store", f"embedded:{db}")  # Chinese: a line and a row are both 第N行
    assert r.exit_code == 0, r.output
    assert "〔family.csv 第2行〕" in r.output and "〔shareholders.csv 第2行〕" in r.output, r.output


def test_the_case_file_appendix_cites_lines_as_the_loader_does(loaded, cli, tmp_path):
    db, _ = loaded
    out = tmp_path / "case.html"
    r = cli("export", "--entity", P1, "--hops", "1", "--case", "T-1", "--store", f"embedded:{db}", "--out", out)
    assert r.exit_code == 0, r.output
    page = html.unescape(out.read_text(encoding="utf-8"))
    # in Chinese as the page around it and the path's explanation (it read family.csv line 2 among Chinese cells)
    # the appendix's heading in the page's language alone (it had read 来源 source file, line/row)
    assert "<td>family.csv 第2行</td>" in page and "<th>来源</th>" in page and "source file" not in page
    assert "<td>family.csv line 2</td>" not in page
    assert not re.search(r"\.csv:\d|\.csv row \d|source file:row", page)  # the drawing's tooltips too
    pdf = tmp_path / "case.pdf"
    r = cli("export", "--entity", P1, "--hops", "1", "--case", "T-1", "--store", f"embedded:{db}", "--out", pdf)
    assert r.exit_code == 0, r.output
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace(" ", "")  # pdftotext -raw runs a cell's words together
    assert "family.csv第2行" in flat and "family.csv:2" not in flat and "来源" in flat
    assert "sourcefile" not in flat.lower()
    assert "family.csvline2" not in flat


def test_a_long_file_name_is_cut_in_the_appendix_before_its_line_number():
    from graphkit.exports.printed import _FILE_W, _fit_source, _units

    cut = _fit_source("fuel_transactions_2024_export.csv line 123456", _FILE_W)
    assert cut.endswith("… line 123456") and _units(cut) <= _FILE_W
    assert _fit_source("family.csv line 2", _FILE_W) == "family.csv line 2"
    cut = _fit_source("fuel_transactions_2024_export.csv 第123456行", _FILE_W)  # as the appendix words it
    assert cut.endswith("… 第123456行") and _units(cut) <= _FILE_W
    assert _fit_source("family.csv 第2行", _FILE_W) == "family.csv 第2行"
