"""Department exports whose header is not one plain row, or whose columns are not separated by commas: a group
heading row over the column names (基本信息 / 联系方式), names split over two rows, a units row under the names,
a second title line of two values (填报单位 … 填报日期 …), ``;`` and ``|`` separators. The header is found by the
contract's column names; the lines above it are titles (named in a note, not records); every row keeps the line
or spreadsheet row it has in the file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from fixture_city import P1, P2, TABLES

from graphkit.stores.embedded import EmbeddedStore
from loaders.contracts import load_contracts, split_header
from loaders.engine import LoadError, load_dir
from loaders.words import load_zh

HH = TABLES["household"]
COLS = list(HH[0])  # 公民身份号码 姓名 性别 出生日期 住址 联系电话
BAD_ID = "320508197503120010"  # P1's first 17 digits with a wrong check digit: quarantined, with its line


def _rows() -> list[list[str]]:
    """The fixture's household rows, and a row with a bad ID number third."""
    rows = [list(r.values()) for r in HH]
    return [*rows[:2], [BAD_ID, "错号", "男", "1975-03-12", "", ""], *rows[2:]]


def _write(folder: Path, name: str, lines: list[list], merges: tuple[str, ...] = (), sep: str = ",") -> Path:
    """``lines`` as ``folder/name`` (a CSV with ``sep`` or, for ``.xlsx``, a sheet with the ``merges``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        for line in lines:
            wb.active.append([v if v != "" else None for v in line])
        for m in merges:
            wb.active.merge_cells(m)
        wb.save(path)
    else:
        buf = io.StringIO()
        csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(lines)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _load(folder: Path, tmp_path: Path):
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.create_schema()
        report, _ = load_dir(folder, s)
        persons = s.count("Person")
    return report, persons


def _check(report, persons: int, bad_line: int) -> None:
    """Every record read and loaded, the bad one quarantined at its line in the file; no title line counted."""
    (fr,) = report.files
    assert (fr.read, fr.loaded, fr.quarantined) == (len(HH) + 1, len(HH), 1)
    assert [(q.row, q.column) for q in report.quarantine] == [(bad_line, "id_number")]
    assert persons == len(HH)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_group_heading_row_over_the_column_names_is_read(tmp_path, suffix):
    """Row 1 基本信息 (merged over four columns) and 联系方式 (over two), row 2 the column names: the load stopped with
    "required column 'id_number' (公民身份号码) is missing; the file has 基本信息, , , , 联系方式"."""
    group = ["基本信息", "", "", "", "联系方式", ""]
    folder = tmp_path / "in"
    _write(folder, f"household{suffix}", [group, COLS, *_rows()], ("A1:D1", "E1:F1"))
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=5)  # heading 1, names 2, records 3, 4, then the bad one
    assert report.files[0].title == "基本信息 联系方式"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_column_names_split_over_two_rows_are_joined(tmp_path, suffix):
    """公民身份 over 号码 and 联系 over 电话, the other names merged down over both rows: one header of six names."""
    upper = ["公民身份", "姓名", "性别", "出生日期", "住址", "联系"]
    lower = ["号码", "", "", "", "", "电话"]
    folder = tmp_path / "in"
    _write(folder, f"household{suffix}", [upper, lower, *_rows()], ("B1:B2", "C1:C2", "D1:D2", "E1:E2"))
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=5)
    fr = report.files[0]
    assert fr.title is None and fr.header == "1–2: " + ", ".join(COLS)
    assert f"{fr.file}: header read from two rows (1–2) as 公民身份号码, 姓名," in " ".join(fr.notes())


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_title_line_of_two_values_above_the_header_is_a_title(tmp_path, suffix):
    """填报单位 and 填报日期 in two cells of the second title line: the load took that line for the header."""
    title = [["某区户籍登记表"], ["填报单位：某某局", "", "填报日期：2024-05-01"]]
    folder = tmp_path / "in"
    _write(folder, f"household{suffix}", [*title, COLS, *_rows()], ("A1:F1",))
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=6)
    assert report.files[0].title == "某区户籍登记表 / 填报单位：某某局 填报日期：2024-05-01"


@pytest.mark.parametrize(("sep", "shown"), [(";", "';'"), ("|", "'|'")])
@pytest.mark.parametrize("title", [False, True])
def test_semicolon_and_pipe_separated_exports_are_read_and_named(tmp_path, sep, shown, title):
    """The header was one column '公民身份号码;姓名;…': the load stopped with the missing-column error."""
    folder = tmp_path / "in"
    lines = [["某区户籍登记表"]] * title + [COLS, *_rows()]
    _write(folder, "household.csv", lines, sep=sep)
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=4 + title)
    assert f"household.csv: columns separated by {shown}" in report.files[0].notes()


def test_a_comma_file_with_semicolons_in_its_values_stays_a_comma_file(tmp_path):
    """An address holding ';' in every row does not make ';' the separator: the header's names decide."""
    folder = tmp_path / "in"
    rows = [[*r[:4], f"苏州市;{i}号;2幢", r[5]] for i, r in enumerate(_rows())]
    _write(folder, "household.csv", [COLS, *rows])
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=4)
    assert report.files[0].separator is None and not any("separated" in n for n in report.files[0].notes())


def test_a_units_row_under_the_names_gives_their_unit(tmp_path):
    """A row （万元） under 注册资本: the amounts are 万元 (were read as a data row, quarantined, and the amounts as
    the contract's own unit whatever the row said)."""
    folder = tmp_path / "in"
    _write(folder, "household.csv", [COLS, *_rows()])
    comp = TABLES["companies"]
    contract = load_contracts()["companies"].columns
    names = [split_header(contract[c].zh)[0] for c in comp[0]]  # 注册资本(万元) written 注册资本, its unit below
    units = ["(元)" if c == "registered_capital" else "" for c in comp[0]]
    rows = [list(r.values()) for r in comp]
    rows[0][list(comp[0]).index("registered_capital")] = "1500000"  # yuan: 150 万元
    _write(folder, "companies.csv", [names, units, *rows])
    report, got = _capital_loaded(folder, tmp_path, rows[0][0])
    fr = next(f for f in report.files if f.source == "companies")
    assert (fr.read, fr.loaded, fr.quarantined) == (len(comp), len(comp), 0)
    assert got == [150.0]


@pytest.mark.parametrize("sep", [",", ";"])
def test_a_file_where_no_row_names_the_columns_still_names_what_it_has(tmp_path, sep):
    """No row of the first seven names a column of the contract: the missing-column error names the file, the
    column and what the file has, identifiers masked."""
    folder = tmp_path / "in"
    _write(folder, "household.csv", [["编号", "名字", "证件"], ["1", "张伟", P1], ["2", "李娜", P2]], sep=sep)
    with pytest.raises(LoadError) as err:
        _load(folder, tmp_path)
    msg = str(err.value)
    assert "household.csv: required column 'id_number' (公民身份号码) is missing" in msg
    assert ("the file has 编号, 名字, 证件" if sep == "," else "the file has 编号;名字;证件") in msg


def test_a_bid_table_separated_by_semicolons_is_still_refused(tmp_path):
    """The bid reader has no contract to confirm a ';' split, and a ';' export writes 1.234 for 1234 (a decimal
    comma's thousands point), which the amount reader takes as 1.234: it still refuses the file by name."""
    from loaders.bids import read_bids

    p = _write(tmp_path, "bids.csv", [["Tender", "Bid_value"], ["A", "1.234"], ["A", "1.300"]], sep=";")
    with pytest.raises(LoadError, match="separated by ';'"):
        read_bids(p)


@pytest.mark.parametrize("where", ["header", "rows"])
def test_empty_fields_at_the_end_of_the_header_or_the_rows_lose_no_row(tmp_path, where):
    """A header cell merged over three columns leaves ',,' at the end of the header line only (or a tool writes
    ',,' at the end of every record only): every line was quarantined as "6 fields where the header has 8"."""
    folder = tmp_path / "in"
    head, rows = (COLS + ["", ""], _rows()) if where == "header" else (COLS, [r + ["", ""] for r in _rows()])
    _write(folder, "household.csv", [head, *rows])
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=4)


@pytest.mark.parametrize("blank", [",,,,,", ' , ,,"", ,', ";;;;;"], ids=["commas", "spaces-quotes", "semicolons"])
def test_a_line_of_separators_only_is_a_blank_line(tmp_path, blank):
    """An empty spreadsheet row saved as CSV (``,,,,,``) is a blank line, as an empty line is and as an empty XLSX row
    is: it was read as a record and quarantined as "required value is missing"; the records after it keep their
    line numbers."""
    sep = ";" if ";" in blank else ","
    folder = tmp_path / "in"
    _write(folder, "household.csv", [COLS, *_rows()], sep=sep)
    path = folder / "household.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines[:2], blank + "\n", *lines[2:], blank]), encoding="utf-8")
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=5)  # header 1, record 2, blank 3, record 4, the bad one 5


def test_a_line_with_a_value_beyond_the_header_is_still_quarantined(tmp_path):
    """Only empty fields are fitted to the header: a line with a seventh value is a fault, its value kept."""
    folder = tmp_path / "in"
    rows = _rows()
    rows[0] = [*rows[0], "多出的值"]
    _write(folder, "household.csv", [COLS, *rows])
    report, _ = _load(folder, tmp_path)
    assert [q.row for q in report.quarantine] == [2, 4]
    assert report.quarantine[0].reason == "7 fields where the header has 6"
    assert "多出的值" in report.quarantine[0].value


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_notes_rows_below_the_table_are_quarantined_as_notes(tmp_path, suffix):
    """注：… merged across the last row, 制表人 and 审核人 in two cells of the row after: quarantined as "notes row",
    where they were refused as ID numbers of 18 characters ("ID number '注:本表****…' is not 18 characters")."""
    folder = tmp_path / "in"
    width, n = len(COLS), len(HH) + 3  # the header, the records and the bad one: the note is spreadsheet row n
    notes = [["注：本表数据截至2024年4月30日"] + [""] * (width - 1)]
    notes += [["制表人：王某", "", "审核人：李某"] + [""] * (width - 3)]
    _write(folder, f"household{suffix}", [COLS, *_rows(), *notes], (f"A{n}:F{n}",))
    report, persons = _load(folder, tmp_path)
    fr = report.files[0]
    assert (fr.read, fr.loaded, fr.quarantined) == (len(HH) + 3, len(HH), 3)
    assert [(q.row, q.reason) for q in report.quarantine][1:] == [
        (n, "notes row (注), not a record"),
        (n + 1, "notes row (制表人), not a record"),
    ]
    assert persons == len(HH)


def test_a_record_with_a_remark_is_no_notes_row(tmp_path):
    """A 备注：… in one cell of a record that holds other values is a record (the remark is an unread column)."""
    folder = tmp_path / "in"
    rows = [[*r, "备注：已迁出"] for r in _rows()]
    _write(folder, "household.csv", [[*COLS, "备注"], *rows])
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=4)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_values_in_a_column_with_no_header_are_named_in_the_notes(tmp_path, suffix):
    """联系电话 merged over two columns (mobile, landline): the landline column has no header; its values were left
    out without a word (XLSX: cells right of the last named column were not even read)."""
    folder = tmp_path / "in"
    rows = [[*r, "0512-65000001"] for r in _rows()]
    _write(folder, f"household{suffix}", [[*COLS, ""], *rows], ("F1:G1",))
    report, persons = _load(folder, tmp_path)
    _check(report, persons, bad_line=4)
    assert report.files[0].unread == [f"column 7 (no header; values in {len(HH) + 1} rows)"]


def test_sheets_whose_title_lines_differ_are_each_read(tmp_path):
    """A register a sheet a quarter, each under its own 填报日期 line of two values: the sheets were compared by that
    line (taken for their header), so the second was left out as "other columns" (and the first refused)."""
    folder = tmp_path / "in"
    folder.mkdir()
    wb = openpyxl.Workbook()
    rows = _rows()
    for i, (title, part) in enumerate((("一季度", rows[:3]), ("二季度", rows[3:]))):
        ws = wb.active if i == 0 else wb.create_sheet(title)
        ws.title = title
        ws.append(["填报单位：某某局", None, f"填报日期：2024-0{3 * i + 3}-31"])
        for line in [COLS, *part]:
            ws.append(line)
    wb.save(folder / "household.xlsx")
    report, persons = _load(folder, tmp_path)
    assert [(f.file, f.read, f.loaded) for f in report.files] == [
        ("household.xlsx[一季度]", 3, 2),
        ("household.xlsx[二季度]", len(HH) - 2, len(HH) - 2),
    ]
    assert [(q.file, q.row) for q in report.quarantine] == [("household.xlsx[一季度]", 5)]
    assert persons == len(HH) and not report.warnings


def _city_with(folder: Path, name: str, rows: list[list], sep: str = ";") -> Path:
    """The fixture city with ``name`` rewritten from ``rows`` (header first) separated by ``sep``."""
    from fixture_city import write_city

    write_city(folder)
    return _write(folder, f"{name}.csv", rows, sep=sep)


def _payments(amounts: list[str]) -> list[list[str]]:
    """The fixture's payment, once per amount (PAY1, PAY2 …), with the contract's Chinese column names."""
    (pay,) = TABLES["payments"]
    contract = load_contracts()["payments"].columns
    names = [contract[c].zh for c in pay]
    rows = [
        [f"PAY{i + 1}" if c == "payment_id" else a if c == "amount" else v for c, v in pay.items()]
        for i, a in enumerate(amounts)
    ]
    return [names, *rows]


def _amounts(tmp_path: Path, folder: Path, label: str = "Payment") -> tuple:
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.create_schema()
        report, _ = load_dir(folder, s)
        got = s.run(f"MATCH (p:{label}) RETURN p.id AS id, p.amount AS v ORDER BY id")
    return report, dict(zip(got["id"], got["v"], strict=True))


def test_decimal_commas_of_a_semicolon_file_are_read_and_said(tmp_path):
    """A ';' export from a spreadsheet set to a European locale writes 1234.50 as '1.234,50': every amount of
    the column is read with a decimal comma (the thousands point of '490.000' too), and the notes say so."""
    folder = tmp_path / "in"
    _city_with(folder, "payments", _payments(["1.234,50", "12,5", "490.000", "300", "2.000.000,00"]))
    report, got = _amounts(tmp_path, folder)
    fr = next(f for f in report.files if f.source == "payments")
    assert (fr.read, fr.loaded, fr.quarantined) == (5, 5, 0)
    assert got == {"PAY1": 1234.5, "PAY2": 12.5, "PAY3": 490000.0, "PAY4": 300.0, "PAY5": 2000000.0}
    (note,) = [n for n in fr.notes() if "decimal comma read in 金额(元) (3 values)" in n]
    assert load_zh(note).endswith(  # the Chinese console said it in English
        "：金额(元)（3 个值）按小数逗号读取（分号分隔的文件，来自设为欧洲区域格式的电子表格：1.234,50 即 1234.50）"
    )


@pytest.mark.parametrize(
    ("amounts", "why"),
    [
        (["490.000", "1.234", "300"], "no decimal comma or decimal point"),  # 490000 or 490?
        (["490.000", "12,5", "12.50"], "both decimal commas and decimal points"),  # a column of two habits
    ],
)
def test_amounts_that_read_two_ways_in_a_semicolon_file_are_quarantined_not_guessed(tmp_path, amounts, why):
    """'490.000' alone in a ';' file is 490000 (a European thousands point) or 490: the rows are quarantined,
    each at its line and column, and the counts reconcile; the unambiguous amounts load."""
    folder = tmp_path / "in"
    _city_with(folder, "payments", _payments(amounts))
    report, got = _amounts(tmp_path, folder)
    fr = next(f for f in report.files if f.source == "payments")
    ambiguous = [i for i, a in enumerate(amounts) if a in ("490.000", "1.234")]
    assert (fr.read, fr.loaded, fr.quarantined) == (3, 3 - len(ambiguous), len(ambiguous)) and fr.reconciles
    q = [x for x in report.quarantine if x.file == "payments.csv"]
    assert [(x.row, x.column) for x in q] == [(i + 2, "amount") for i in ambiguous]
    assert all("reads two ways" in x.reason and why in x.reason for x in q), q
    assert set(got) == {f"PAY{i + 1}" for i in range(3) if i not in ambiguous}
    assert not any("decimal comma read" in n for n in fr.notes())


def test_an_optional_amount_that_reads_two_ways_is_dropped_and_the_company_loads(tmp_path):
    """注册资本 is optional: its ambiguous value is left out (listed in the report's dropped values), the row loads."""
    folder = tmp_path / "in"
    comp = TABLES["companies"]
    contract = load_contracts()["companies"].columns
    rows = [list(r.values()) for r in comp]
    at = list(comp[0]).index("registered_capital")
    rows[0][at] = "1.500"
    _city_with(folder, "companies", [[contract[c].zh for c in comp[0]], *rows])
    report, got = _capital_loaded(folder, tmp_path, rows[0][0])
    fr = next(f for f in report.files if f.source == "companies")
    assert (fr.read, fr.loaded, fr.quarantined) == (len(comp), len(comp), 0)
    assert [(d.file, d.row, d.column, d.value) for d in report.dropped] == [
        ("companies.csv", 2, "registered_capital", "1.500")
    ]
    assert len(got) == 1 and (got[0] is None or got[0] != got[0])  # no 1.5 (nor 1,500) stored


def test_a_comma_file_keeps_reading_1_234_as_before(tmp_path):
    """Only a ';' file is asked which decimal mark it writes: a comma file's quoted '1.234' stays 1.234."""
    folder = tmp_path / "in"
    _city_with(folder, "payments", _payments(["1.234", "490000"]), sep=",")
    report, got = _amounts(tmp_path, folder)
    assert got == {"PAY1": 1.234, "PAY2": 490000.0} and not report.quarantine


def _capital_loaded(folder: Path, tmp_path: Path, company: str) -> tuple:
    """The load report of ``folder`` into a fresh embedded store, and the registered capital stored for
    ``company``."""
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.create_schema()
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (c:Company {id: $id}) RETURN c.registered_capital AS v", id=company)["v"].tolist()
    return report, got
