"""The reader against damaged department exports (a tester's repro files, rebuilt here as small generated
fixtures): a quote left open, undecodable bytes, a stray byte in UTF-8, Excel's "Unicode text", old-Mac line
endings, a DOS end-of-file mark, hidden sheets."""

from __future__ import annotations

from pathlib import Path

from fixture_city import pid

from loaders.read import read_table

HEADER = "公民身份号码,姓名,性别,出生日期,住址,联系电话"


def person(i: int, address: str | None = None, phone: str | None = None) -> list[str]:
    """A household line's fields: a valid generated ID number, a name, an address and a phone."""
    return [
        pid(f"3205081990010{i:04d}"),
        f"张{i}",
        "男",
        "1990-01-01",
        address if address is not None else f"苏州市姑苏区平江路{i}号",
        phone if phone is not None else f"1380000{i:04d}",
    ]


def household(n: int, change: dict[int, list[str]] | None = None) -> list[str]:
    """The lines of a household CSV with ``n`` data rows (line 1 the header, row i on line i + 2); ``change`` maps
    a line number to the fields it holds instead."""
    lines = [HEADER]
    for i in range(n):
        fields = (change or {}).get(i + 2) or person(i)
        lines.append(",".join(fields))
    return lines


def write(tmp_path: Path, lines: list[str], name: str = "household.csv", end: str = "\n", **kw) -> Path:
    p = tmp_path / name
    p.write_bytes(end.join(lines).encode(kw.get("encoding", "utf-8")) + end.encode())
    return p


def reconciles(raw, n: int) -> None:
    assert raw.num_rows + len(raw.faults) == n


# ----------------------------------------------------------------- 1. a quote left open
def test_an_unclosed_quote_does_not_swallow_the_complete_records_after_it(tmp_path):
    """Line 11's address opens a quote, line 15's address closes one: lines 11-15 were joined into one row that
    loaded (four persons gone, one person given another's phone), nothing quarantined."""
    change = {
        11: person(9, address='"苏州市常熟市沙家浜镇向锋村3组61号'),
        15: person(13, address='苏州市常熟市梅李镇1号"'),
    }
    raw = read_table(write(tmp_path, household(20, change)))
    reconciles(raw, 20)
    assert [(f.line, "unbalanced quote" in f.reason) for f in raw.faults] == [(11, True)]
    assert list(raw.lines) == [n for n in range(2, 22) if n != 11]
    assert raw.table.column("联系电话").to_pylist()[9:13] == [f"1380000{i:04d}" for i in range(10, 14)]


def test_a_stray_quote_closing_lines_later_faults_one_line_not_five(tmp_path):
    """C1b: the quote opened on line 11 closed by a stray quote at the end of line 15 was one fault for 5 lines."""
    change = {11: person(9, address='"苏州市常熟市沙家浜镇向锋村3组61号'), 15: person(13, phone='1380000013"')}
    raw = read_table(write(tmp_path, household(20, change)))
    reconciles(raw, 20)
    assert [f.line for f in raw.faults] == [11]
    assert len(raw.lines) == 19 and 12 in raw.lines and 15 in raw.lines


def test_a_quoted_value_on_two_lines_is_still_one_row(tmp_path):
    """RFC 4180: a quoted address may hold a line break; its second line is a fragment, not a record."""
    change = {5: person(3, address='"苏州市姑苏区平江路3号\n2幢101室"')}
    raw = read_table(write(tmp_path, household(8, change)))
    reconciles(raw, 8)
    assert raw.faults == []
    assert raw.table.column("住址").to_pylist()[3] == "苏州市姑苏区平江路3号\n2幢101室"
    assert list(raw.lines) == [2, 3, 4, 5, 7, 8, 9, 10]
