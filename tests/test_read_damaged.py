"""The reader against damaged department exports (a tester's repro files, rebuilt here as small generated
fixtures): a quote left open, undecodable bytes, a stray byte in UTF-8, Excel's "Unicode text", old-Mac line
endings, a DOS end-of-file mark, hidden sheets."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from fixture_city import pid, write_city

from graphkit.model.mask import mask_text
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import load_dir
from loaders.read import read_table
from loaders.report import LoadReport, Quarantined
from loaders.words import load_zh

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
    p.write_bytes((end.join(lines) + end).encode(kw.get("encoding", "utf-8")))
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


def test_a_quoted_value_on_two_lines_is_one_row_under_a_header_merged_over_empty_columns(tmp_path):
    """Under ``联系电话,,`` (a header cell merged over three columns) a record has six fields where the header has
    eight, which a line is fitted to; a quoted address on two lines was refused as an unclosed quote ("joined with
    the next 1 it holds 6 fields, not 8") and its second line as a record of 2 fields: two faults, one person
    lost. And a quote left open swallowed the six-field records after it, which were not taken as whole."""
    lines = household(8, {5: person(3, address='"苏州市姑苏区平江路3号\n2幢101室"')})
    lines[0] += ",,"
    raw = read_table(write(tmp_path, lines))
    reconciles(raw, 8)
    assert raw.faults == []
    assert raw.table.column("住址").to_pylist()[3] == "苏州市姑苏区平江路3号\n2幢101室"
    assert list(raw.lines) == [2, 3, 4, 5, 7, 8, 9, 10]
    lines = household(
        20, {11: person(9, address='"苏州市常熟市沙家浜镇向锋村3组61号'), 15: person(13, phone='1380000013"')}
    )
    lines[0] += ",,"
    raw = read_table(write(tmp_path, lines))
    reconciles(raw, 20)
    assert [f.line for f in raw.faults] == [11]
    assert "the next line is a record of its own" in raw.faults[0].reason  # not joined to the lines after it
    assert len(raw.lines) == 19 and 12 in raw.lines and 15 in raw.lines
    assert raw.table.column("联系电话").to_pylist()[9:12] == [f"1380000{i:04d}" for i in range(10, 13)]


@pytest.mark.parametrize("sep", [",", "\t"])
def test_a_quote_not_doubled_inside_a_quoted_value_is_said_in_words(tmp_path, sep):
    """``"王""小"二"``: the reason was Python's csv's own words, ``badly quoted field ('\t' expected after '"')``
    with a raw tab in it, and the same English inside the Chinese line."""
    lines = household(4, {3: person(1)})
    fields = lines[2].split(",")
    fields[1] = '"王""小"二"'
    lines[2] = ",".join(fields)
    raw = read_table(write(tmp_path, [line.replace(",", sep) for line in lines], "household.txt"))
    reconciles(raw, 4)
    assert [f.line for f in raw.faults] == [3]
    why = raw.faults[0].reason
    assert why.startswith("badly quoted field: a quote inside a quoted value is not doubled") and "\t" not in why
    assert load_zh(why).startswith("字段的引号有误：带引号的值里的引号没有双写")


def test_a_record_broken_over_two_lines_by_an_unquoted_line_break_is_said_to_be_one(tmp_path):
    """An address with a line break that was not quoted: lines 5 and 6 were refused as two unrelated faults
    ("4 fields", "3 fields"), with no word that together they are one record."""
    change = {5: person(3, address="苏州市姑苏区平江路3号\n2幢101室")}
    raw = read_table(write(tmp_path, household(8, change)))
    assert [f.line for f in raw.faults] == [5, 6]
    assert "with line 6 it makes one record" in raw.faults[0].reason
    assert "with line 5 it makes one record" in raw.faults[1].reason
    assert "a line break inside a value that was not quoted" in raw.faults[1].reason


# ----------------------------------------------------------------- 2. undecodable bytes
def test_a_gbk_file_with_a_stray_byte_quarantines_its_line_and_writes_the_quarantine(tmp_path, cli):
    """A byte GBK cannot read crashed the load after the store was committed (UnicodeEncodeError writing the
    quarantine: one row written, no report)."""
    city = write_city(tmp_path / "c")
    path = city / "household.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    data = [x.encode("gbk") for x in lines]
    data[4] = data[4].replace(b",", b"\xff,", 1)  # line 5: a stray byte after the ID number
    path.write_bytes(b"".join(data))
    db, q, rep = tmp_path / "g.db", tmp_path / "q.csv", tmp_path / "r.json"
    r = cli("load", city, "--store", f"embedded:{db}", "--quarantine", q, "--report", rep)
    # the person of line 5 is refused, and with them licences.csv's one row: nothing of that file loaded, exit 3
    assert r.exit_code == 3 and "错误：licences.csv 的 1 行全部被隔离，一行也没有加载" in r.output, r.output
    report = json.loads(rep.read_text(encoding="utf-8"))
    fr = next(f for f in report["files"] if f["file"] == "household.csv")
    assert fr["encoding"] == "gb18030" and fr["read"] == fr["loaded"] + fr["quarantined"] == len(lines) - 1
    rows = [x for x in csv.DictReader(io.StringIO(q.read_text(encoding="utf-8-sig"))) if x["file"] == "household.csv"]
    assert [(x["line"], x["reason"].split(":")[0]) for x in rows] == [("5", "undecodable byte \\xff")]
    assert "\\xff," in rows[0]["value"]
    assert mask_text(rows[0]["reason"]) == rows[0]["reason"]
    # said in Chinese on the console, where it was the one English reason among Chinese ones
    assert re.search(
        r"household.csv 第 5 行：无法解码的字节 \\xff：不是 gb18030 编码的文本（在该行第 \d+ 个字符处）", r.output
    )


def test_a_file_read_in_the_wrong_encoding_still_writes_its_quarantine(tmp_path):
    """``--encoding utf-8`` on a GBK file: every line with Chinese is undecodable, and each is written."""
    p = write(tmp_path, household(6), encoding="gbk")
    raw = read_table(p, encoding="utf-8")
    reconciles(raw, 6)
    assert raw.num_rows == 0 and {f.reason.split(" ")[0] for f in raw.faults} == {"undecodable"}
    report = LoadReport(quarantine=[Quarantined(p.name, f.line, f.column, f.value, f.reason) for f in raw.faults])
    text = report.write_quarantine(tmp_path / "q.csv").read_text(encoding="utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 7 and "\\x" in text
    assert json.loads(report.to_json())["totals"] == {"read": 0, "loaded": 0, "quarantined": 0}


# ----------------------------------------------------------------- 3. a stray byte in a UTF-8 file
@pytest.mark.parametrize("header", [HEADER, "id_number,name,sex,birth_date,address,phone"])
def test_a_stray_byte_in_a_utf8_file_faults_its_line_not_the_file(tmp_path, header):
    """One Latin-1 byte in a name made the whole file GB18030 (a garbled header, or every line refused)."""
    lines = household(60)
    lines[0] = header
    p = tmp_path / "household.csv"
    data = [x.encode() for x in lines]
    data[50] = data[50].replace(b",", b"\xe9,", 1)  # line 51
    p.write_bytes(b"\n".join(data) + b"\n")
    raw = read_table(p)
    reconciles(raw, 60)
    assert raw.encoding == "utf-8" and raw.table.column_names == header.split(",")
    assert [(f.line, f.reason.split(":")[0]) for f in raw.faults] == [(51, "undecodable byte \\xe9")]
    assert raw.table.column("姓名" if "姓名" in header else "name").to_pylist()[:2] == ["张0", "张1"]


# ----------------------------------------------------------------- 4. Excel's "Unicode text": UTF-16, tabs
@pytest.mark.parametrize(("name", "encoding"), [("household.txt", "utf-16"), ("household.csv", "gbk")])
def test_a_tab_separated_export_loads_as_a_comma_separated_one(tmp_path, name, encoding):
    """Excel's "Unicode text" (UTF-16, tabs) as .txt was skipped (3,342 dependent rows quarantined), and as .csv
    refused with "required column missing"."""
    city = write_city(tmp_path / "c")
    path = city / "household.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    path.unlink()
    (city / name).write_bytes("".join("\t".join(r) + "\r\n" for r in rows).encode(encoding))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, unknown = load_dir(city, s)
    fr = next(f for f in report.files if f.file == name)
    assert unknown == [] and not [w for w in report.warnings if name in w]
    assert (fr.read, fr.loaded, fr.quarantined) == (len(rows) - 1, len(rows) - 1, 0)
    assert report.quarantine == []


@pytest.mark.parametrize("padding", [0, 5])
def test_utf16_text_with_no_byte_order_mark_is_read_as_utf16(tmp_path, padding):
    """UTF-16-LE written with no byte-order mark (a system's "Unicode" export) ends in its line feed's zero byte,
    which was taken as NUL padding: the bytes left, one short of whole characters, were read as GB18030, the header
    mojibake and every row quarantined."""
    lines = household(8)
    path = tmp_path / "household.txt"
    path.write_bytes(
        ("".join("\t".join(line.split(",")) + "\r\n" for line in lines)).encode("utf-16-le") + bytes(padding)
    )
    raw = read_table(path)
    assert raw.encoding == "utf-16-le" and raw.faults == []
    assert raw.table.column("姓名").to_pylist() == [f"张{i}" for i in range(8)]


# ----------------------------------------------------------------- 5. old-Mac line endings: CR only
@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_a_file_with_cr_only_line_endings_is_read_line_by_line(tmp_path, encoding):
    """An old-Mac export (each line ended by a CR alone) failed with csv's "new-line character seen in unquoted
    field - do you need to open the file in universal-newline mode?"; each CR ends a line, and line numbers count
    those lines (line 5 holds one field too many)."""
    change = {5: [*person(3), "多余"]}
    raw = read_table(write(tmp_path, household(8, change), end="\r", encoding=encoding))
    reconciles(raw, 8)
    assert raw.table.column_names == HEADER.split(",")
    assert [(f.line, f.reason) for f in raw.faults] == [(5, "7 fields where the header has 6")]
    assert list(raw.lines) == [2, 3, 4, 6, 7, 8, 9]
    assert raw.table.column("联系电话").to_pylist() == [f"1380000{i:04d}" for i in (0, 1, 2, 4, 5, 6, 7)]


def test_a_clean_file_with_cr_only_line_endings_loads_every_row(tmp_path):
    raw = read_table(write(tmp_path, household(5), end="\r"))
    assert raw.faults == [] and list(raw.lines) == [2, 3, 4, 5, 6]
    assert raw.table.column("姓名").to_pylist() == [f"张{i}" for i in range(5)]


# ----------------------------------------------------------------- 6. a DOS end-of-file mark
@pytest.mark.parametrize(
    ("encoding", "end", "tail"),
    [("utf-8", "\n", "\x1a"), ("gbk", "\r\n", "\x1a\r\n"), ("utf-16", "\r\n", "\x1a"), ("utf-8", "\r", "\x1a\r")],
)
def test_a_ctrl_z_at_the_end_of_a_file_is_not_a_row(tmp_path, encoding, end, tail):
    """A Ctrl-Z (0x1A, the DOS end-of-file mark) after the last line was quarantined as a row: "1 fields where the
    header has 6"."""
    p = tmp_path / "household.csv"
    p.write_bytes((end.join(household(6)) + end + tail).encode(encoding))
    raw = read_table(p)
    reconciles(raw, 6)
    assert raw.faults == [] and list(raw.lines) == [2, 3, 4, 5, 6, 7]
    assert raw.table.column("联系电话").to_pylist()[-1] == "13800000005"


def test_a_ctrl_z_inside_the_file_is_still_a_fault(tmp_path):
    """Only a mark at the end is ignored: one on a line of its own before other lines stays a faulty line."""
    lines = household(4)
    lines.insert(3, "\x1a")
    raw = read_table(write(tmp_path, lines))
    reconciles(raw, 5)
    assert [(f.line, f.reason) for f in raw.faults] == [(4, "1 fields where the header has 6")]


# ----------------------------------------------------------------- 7. hidden sheets
def household_xlsx(path: Path, sheets: list[tuple[str, str, list[list]]]) -> Path:
    """A workbook of ``(title, sheet_state, rows)`` sheets, in order."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, state, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        ws.sheet_state = state
    wb.save(path)
    return path


def table_rows(lines: list[str]) -> list[list[str]]:
    return [x.split(",") for x in lines]


def test_a_hidden_sheet_with_the_same_columns_is_not_read_and_is_named(tmp_path):
    """A hidden sheet of stale addresses with the first sheet's columns was loaded as a part of its own (X1: 30
    old addresses, and a person only it held); a very hidden one is a hidden one."""
    from loaders.read import sheet_parts

    stale = household(3)
    p = household_xlsx(
        tmp_path / "household.xlsx",
        [
            ("户籍人口", "visible", table_rows(household(5))),
            ("2023年(旧)", "hidden", table_rows(stale)),
            ("2022年", "veryHidden", table_rows(household(1))),
            ("字典", "hidden", [["代码", "名称"], ["1", "男"], ["2", "女"]]),
        ],
    )
    parts, notes, _ = sheet_parts(p, lambda h: h)
    assert parts == [("household.xlsx", "户籍人口")]
    assert notes == [
        "household.xlsx: sheet '2023年(旧)' is hidden and was not read (3 rows); unhide it to load it",
        "household.xlsx: sheet '2022年' is hidden and was not read (1 row); unhide it to load it",
        "household.xlsx: sheet '字典' is hidden and was not read (2 rows); it holds other columns than sheet "
        "'户籍人口'",
    ]
    assert [load_zh(n) for n in notes] == [  # the Chinese console's words (they were English)
        "household.xlsx：工作表 '2023年(旧)' 已隐藏，未读取（3 行）；取消隐藏即可加载",
        "household.xlsx：工作表 '2022年' 已隐藏，未读取（1 行）；取消隐藏即可加载",
        "household.xlsx：工作表 '字典' 已隐藏，未读取（2 行）；其列与工作表 '户籍人口' 不同",
    ]


def test_a_workbook_whose_first_sheet_is_hidden_reads_its_first_visible_sheet(tmp_path):
    """Without a sheet named, the reader took the first sheet, hidden or not."""
    from loaders.read import read_header, sheet_parts

    p = household_xlsx(
        tmp_path / "household.xlsx",
        [("旧", "hidden", table_rows(household(2))), ("户籍人口", "visible", table_rows(household(4)))],
    )
    raw = read_table(p)
    assert raw.num_rows == 4 and raw.faults == []
    assert raw.notes == [
        "household.xlsx: sheet '旧' is hidden and was not read (2 rows); unhide it to load it",
    ]
    assert read_header(p)[0] == HEADER.split(",")
    assert sheet_parts(p, lambda h: h)[0] == [("household.xlsx", "户籍人口")]


def test_a_hidden_sheet_adds_no_rows_to_a_load(tmp_path):
    """X1 loaded the hidden sheet's rows next to the visible one's: read = loaded + quarantined counted them."""
    city = write_city(tmp_path / "c")
    path = city / "household.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    path.unlink()
    stale = [rows[0], [pid("32050819800101099"), "旧人", "男", "1980-01-01", "苏州市旧地址1号", ""]]
    stale[1] += [""] * (len(rows[0]) - len(stale[1]))
    household_xlsx(city / "household.xlsx", [("户籍人口", "visible", rows), ("2023年(旧)", "hidden", stale)])
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(city, s)
    files = [(f.file, f.read, f.loaded + f.quarantined) for f in report.files if f.file.startswith("household")]
    assert files == [("household.xlsx", len(rows) - 1, len(rows) - 1)]
    assert "household.xlsx: sheet '2023年(旧)' is hidden and was not read (1 row); unhide it to load it" in (
        report.warnings
    )


# ----------------------------------------------------------------- 8. a sheet named with an ID number
def test_a_sheet_title_holding_an_id_number_is_masked_in_the_notes_and_part_names(tmp_path):
    """N3: a per-person sheet titled with an ID number and a name was named in clear in the note on sheets not
    read (and in the report's warnings, which the console masks but the JSON did not)."""
    from loaders.read import sheet_parts

    who = pid("32050519850923341") + "王科"
    shown = mask_text(who)
    assert shown != who
    p = household_xlsx(
        tmp_path / "household.xlsx",
        [
            ("户籍", "visible", table_rows(household(3))),
            (who, "visible", [["项目", "金额"], ["工资", "100"]]),
            (who[:18] + "旧", "hidden", table_rows(household(1))),
        ],
    )
    parts, notes, _ = sheet_parts(p, lambda h: h)
    assert parts == [("household.xlsx", "户籍")]
    assert len(notes) == 2 and not [n for n in notes if who[:18] in n]
    assert f"'{shown}' (1 row)" in notes[0] and f"'{mask_text(who[:18])}旧'" in notes[1]
    raw = read_table(p)  # no sheet named: the note on the other sheets
    assert raw.num_rows == 3 and len(raw.notes) == 2 and not [n for n in raw.notes if who[:18] in n]
    # two sheets of the same columns, one titled with the ID number: the part's name (the report's file)
    same = [("户籍", "visible", table_rows(household(2))), (who, "visible", table_rows(household(1)))]
    q = household_xlsx(tmp_path / "h2.xlsx", same)
    parts, notes, _ = sheet_parts(q, lambda h: h)
    assert parts == [("h2.xlsx[户籍]", "户籍"), (f"h2.xlsx[{shown}]", who)] and notes == []
