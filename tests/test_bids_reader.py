"""loaders.bids reads bid tables as the department loaders read theirs: any encoding, broken lines
quarantined with their line, Excel-mangled tender ids refused, counts reconciled."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.cli import main
from loaders.bids import read_bids

ROWS = [
    ("标段1", "100", "甲建设有限公司"),
    ("标段1", "103", "乙建设有限公司"),
    ("标段1", "110", "丙建设有限公司"),
    ("标段2", "50", "甲建设有限公司"),
    ("标段2", "55", "乙建设有限公司"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_a_bid_table_in_any_department_encoding_reads_the_same(tmp_path, encoding):
    p = tmp_path / f"bids_{encoding}.csv"
    pd.DataFrame(ROWS, columns=["招标编号", "投标报价", "投标人"]).to_csv(p, index=False, encoding=encoding)
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 5, "loaded": 5, "quarantined": 0}
    assert list(t.bids["tender"]) == [r[0] for r in ROWS]
    assert list(t.bids["bidder"]) == [r[2] for r in ROWS]
    assert list(t.bids["bid"]) == [float(r[1]) for r in ROWS]
    assert list(t.bids["src_row"]) == [2, 3, 4, 5, 6]


def test_broken_lines_and_excel_ids_are_quarantined_with_their_line(tmp_path):
    p = tmp_path / "broken.csv"
    p.write_text(
        "Tender,Bid_value,Competitors\n"
        "A,100,f1\nA,103,f2\nA,110,f3\n"
        'B,"50,f1\n'  # line 5: a quote never closed
        "B,55,f2\nB,60,f3\n"
        "C,1,2,3,4\n"  # line 8: five fields under three headers
        "3.20582E+17,70,f1\n3.20582E+17,71,f2\n"  # lines 9-10: ids that lost their digits in Excel
        "D,80,f1\nD,85,f2\n",
        encoding="utf-8",
    )
    t = read_bids(p)
    tot = t.report.totals()
    assert tot == {"read": 11, "loaded": 7, "quarantined": 4}
    assert tot["read"] == tot["loaded"] + tot["quarantined"]
    q = {(x.row, x.column): x.reason for x in t.report.quarantine}
    assert set(q) == {(5, ""), (8, ""), (9, "Tender"), (10, "Tender")}
    assert "quote" in q[(5, "")] and "5 fields" in q[(8, "")] and "scientific notation" in q[(9, "Tender")]
    # the rows after a broken line keep their own line numbers
    assert list(t.bids.loc[t.bids["tender"] == "B", "src_row"]) == [6, 7]
    assert list(t.bids.loc[t.bids["tender"] == "D", "src_row"]) == [11, 12]


def test_score_bids_masks_a_phone_number_in_a_broken_line(tmp_path):
    p = tmp_path / "b.csv"
    p.write_text('Tender,Bid_value,Competitors\nA,100,f1\nA,103,f2\nB,"50,13812345678\nB,55,f2\nB,60,f3\n')
    r = CliRunner().invoke(main, ["collusion", "score-bids", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    assert "b.csv row 4: unbalanced quote" in r.output
    assert "13812345678" not in r.output and "138****5678" in r.output
    assert "13812345678" in (tmp_path / "o.csv.quarantine.csv").read_text(encoding="utf-8")  # kept as read


def test_a_semicolon_file_is_refused_with_the_separator_named(tmp_path):
    from loaders.bids import LoadError

    p = tmp_path / "semi.csv"
    p.write_text("Tender;Bid_value\nA;100\nA;103\n", encoding="utf-8")
    with pytest.raises(LoadError, match="separated by ';': save it as comma-separated CSV"):
        read_bids(p)


def test_bid_values_read_as_the_department_loaders_read_amounts(tmp_path):
    p = tmp_path / "forms.csv"
    p.write_text(
        'Tender,Bid_value\nA,"1,234"\nA,"1.234,56"\nA,"1234,5"\nA,￥1200.50\nA,１２００元\nA,"1，300"\n',
        encoding="utf-8",
    )
    t = read_bids(p)
    assert list(t.bids["bid"]) == [1234.0, 1234.56, 1234.5, 1200.5, 1200.0, 1300.0]
