"""Tables as departments export them, beyond what ``test_loaders_robust.py`` covers: month columns written every
way a 民政/人社 system writes a month, totals rows with their figure, the headers clerks write for a column."""

from __future__ import annotations

import copy
from datetime import datetime

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from fixture_city import P7, TABLES, write_city

from graphkit.rules.catalog import run as run_model
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import load_dir


def _benefit_rows(periods: list[object]) -> list[dict]:
    base = TABLES["benefits"][0]
    return [{**base, "benefit_id": f"BEN{i}", "period": p} for i, p in enumerate(periods, 1)]


def _xlsx(path, rows: list[dict]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    head = list(rows[0])
    ws.append(head)
    for r in rows:
        ws.append([r[h] for h in head])
    wb.save(path)


def _load_household_book(wb, tmp_path):
    """A workbook saved as a folder's household.xlsx and loaded into a fresh store: the load's report and the
    persons the store holds."""
    folder = tmp_path / "c"
    folder.mkdir()
    wb.save(folder / "household.xlsx")
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        return report, int(s.run("MATCH (p:Person) RETURN count(p) AS n")["n"][0])


# ----------------------------------------------------------------- months
@pytest.mark.parametrize("period", ["2024年3月", "2024年03月份", "202403", "2024/3", "2024.3", "２０２４－０３"])
def test_a_benefit_month_written_as_departments_write_it_is_paid_in_custody(tmp_path, period):
    """发放期间 was a code kept as written: 2024年3月 loaded as valid, and prisoner_paid, which reads YYYY-MM only,
    found no pension paid in custody (0 hits where the city has 2)."""
    tables = copy.deepcopy(TABLES)
    tables["benefits"] = _benefit_rows([period])
    city = write_city(tmp_path / "c", tables)
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(city, s)
        periods = s.run("MATCH (b:Benefit) RETURN b.period AS p")["p"].tolist()
        hits = run_model(s, "prisoner_paid")
    assert report.quarantine == [] and report.dropped == []
    assert periods == ["2024-03"]
    assert len(hits) == 1 and P7 in hits.iloc[0]["entities"]


def test_a_month_that_is_no_month_is_left_out_with_its_reason_and_the_payment_loads(tmp_path):
    tables = copy.deepcopy(TABLES)
    tables["benefits"] = _benefit_rows(["2024-13", "2024年"])
    city = write_city(tmp_path / "c", tables)
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(city, s)
        n = int(s.run("MATCH (b:Benefit) RETURN count(b) AS n")["n"][0])
    assert report.quarantine == [] and n == 2
    assert sorted(d.reason for d in report.dropped) == [
        "not a month (2024-13); expected Y-m (2024-03)",
        "not a month (2024年); expected Y-m (2024-03)",
    ]


def test_excel_month_cells_read_as_their_month_and_a_float_that_reads_two_ways_is_not_guessed(tmp_path):
    """A date cell (Excel turns 2024-03 into 2024-03-01), a date serial, the digits 202403 and 2024.3 are March;
    2024.1 is what Excel keeps of 2024.10 as much as of 2024.1: left out with the reason, not read as January."""
    folder = tmp_path / "c"
    write_city(folder, {k: v for k, v in TABLES.items() if k != "benefits"})
    _xlsx(folder / "benefits.xlsx", _benefit_rows([datetime(2024, 3, 1), 45352, 202403, 2024.3, 2024.1]))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (b:Benefit) RETURN b.id AS id, b.period AS p ORDER BY id")
    assert report.quarantine == []
    assert got["p"].tolist()[:4] == ["2024-03"] * 4 and got["p"].isna().tolist() == [False] * 4 + [True]
    assert [(d.row, d.reason) for d in report.dropped] == [
        (6, "month stored as a number in Excel: 2024.1 reads as 2024-01 and as 2024-10, not guessed")
    ]
    from loaders.words import load_zh  # the Chinese console said it in English

    assert (
        load_zh(report.dropped[0].reason)
        == "月份在 Excel 中存成了数字：2024.1 可读作 2024-01，也可读作 2024-10，不作猜测"
    )


# ----------------------------------------------------------------- totals rows with their figure
@pytest.mark.parametrize(
    ("cell", "word"),
    [("合计：3人", "合计"), ("总计（3人）", "总计"), ("本页小计", "小计"), ("合计 1,200.50元", "合计")],
)
def test_a_totals_row_with_its_figure_is_named_as_such(tmp_path, cell, word):
    """合计：3人 under the IDs was refused as "ID number '***' is not 18 characters": the clerk read of a malformed
    ID number, masked past reading, where the row was the table's total."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    tables["household"] = [*rows, {**dict.fromkeys(rows[0], ""), "公民身份号码": cell}]
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
    assert [(x.row, x.value, x.reason) for x in report.quarantine] == [
        (len(rows) + 2, cell, f"totals row ({word}), not a record")
    ]
    household = next(f for f in report.files if f.file.endswith("household.csv"))
    assert household.loaded == len(rows) and household.reconciles


def test_a_name_that_holds_a_totals_word_is_no_totals_row():
    from loaders.read import totals_word

    assert [totals_word(c) for c in ("合计金额", "张合计", "总计划科", "20")] == [None] * 4


# ----------------------------------------------------------------- headers clerks write
def _household_headed(renames: dict[str, str], extra: dict[str, str] | None = None) -> dict:
    tables = copy.deepcopy(TABLES)
    tables["household"] = [
        {**{renames.get(k, k): v for k, v in row.items()}, **(extra or {})} for row in tables["household"]
    ]
    return tables


def test_a_household_file_headed_手机号码_and_户籍地址_keeps_its_phones_and_addresses(tmp_path):
    """A 公安 export heads the columns 手机号码 and 户籍地址: both were named unread and every person lost their phone
    and address (the links the shared-phone and shared-address paths walk)."""
    ref = write_city(tmp_path / "ref")
    theirs = write_city(tmp_path / "theirs", _household_headed({"联系电话": "手机号码", "住址": "户籍地址"}))
    query = (
        "MATCH (p:Person) OPTIONAL MATCH (p)-[:HAS_PHONE]->(t) OPTIONAL MATCH (p)-[:HAS_ADDRESS]->(a) "
        "RETURN p.id AS person, t.id AS phone, a.id AS address ORDER BY person"
    )
    got = []
    for name, folder in (("a", ref), ("b", theirs)):
        with EmbeddedStore(tmp_path / f"{name}.db") as s:
            report, _ = load_dir(folder, s)
            got.append(s.run(query))
            household = next(f for f in report.files if f.file.endswith("household.csv"))
            assert household.unread == [] and household.absent == [], (household.unread, household.absent)
    assert len(got[0]) == len(got[1]) and got[0].equals(got[1])
    assert got[1]["phone"].notna().sum() > 0 and got[1]["address"].notna().sum() > 0


def test_a_column_s_other_header_beside_its_own_is_left_unread_not_refused_as_a_duplicate(tmp_path):
    """联系电话 (a landline) and 手机号码 in one file: 联系电话 is the column, 手机号码 is named unread; reading both as
    one column would stop the load as a header twice."""
    tables = _household_headed({}, {"手机号码": "13900000001"})
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        phones = set(s.run("MATCH (:Person)-[:HAS_PHONE]->(x) RETURN x.id AS x")["x"])
    household = next(f for f in report.files if f.file.endswith("household.csv"))
    assert household.unread == ["手机号码"] and "13900000001" not in phones


# ----------------------------------------------------------------- FtM lines cut short
def test_an_ftm_line_cut_in_a_string_says_where_in_words_that_read(tmp_path, store):
    """A JSON lines export cut mid-value was refused "Unterminated string starting at at column 41"."""
    from loaders.ftm import load_ftm

    path = tmp_path / "cut.ftm.json"
    path.write_text('{"id": "p1", "schema": "Person", "properties": {"name": ["Ana\n', encoding="utf-8")
    report = load_ftm(path, store)
    assert [q.reason for q in report.quarantine] == ["malformed JSON at column 58: Unterminated string starting at"]


# ----------------------------------------------------------------- a register a sheet a quarter
@pytest.mark.parametrize("change", ["备注 added", "columns reordered", "联系电话 dropped"])
def test_a_quarter_s_sheet_whose_columns_changed_is_still_loaded(tmp_path, change):
    """二季度 added a 备注 column (or wrote the columns in another order, or lost the optional 联系电话): the sheet
    was "under other columns" and not read, its persons missing from every model with only a warning."""
    rows = TABLES["household"]
    head = list(rows[0])
    later = {
        "备注 added": head + ["备注"],
        "columns reordered": head[::-1],
        "联系电话 dropped": [h for h in head if h != "联系电话"],
    }[change]
    wb = openpyxl.Workbook()
    for title, header, part in (("一季度", head, rows[:3]), ("二季度", later, rows[3:])):
        ws = wb.create_sheet(title)
        ws.append(header)
        for r in part:
            ws.append([r.get(h, "迁入") for h in header])
    wb.remove(wb["Sheet"])
    report, n = _load_household_book(wb, tmp_path)
    assert [f.file for f in report.files] == ["household.xlsx[一季度]", "household.xlsx[二季度]"]
    assert report.warnings == [] and report.quarantine == []
    assert n == len(rows) and sum(f.loaded for f in report.files) == len(rows)


# ----------------------------------------------------------------- date-times in words
@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2023年1月4日 9时16分", datetime(2023, 1, 4, 9, 16)),
        ("2023年01月04日09时16分", datetime(2023, 1, 4, 9, 16)),
        ("2023年1月4日 9点16分", datetime(2023, 1, 4, 9, 16)),
        ("2023年1月4日 9点16分5秒", datetime(2023, 1, 4, 9, 16, 5)),
        ("2023年1月4号 9:16", datetime(2023, 1, 4, 9, 16)),  # 号 for the day, as a form filled by hand writes it
    ],
)
def test_a_time_written_in_hours_and_minutes_words_is_read(raw, want):
    """12345 and fuel-card exports write 2023年1月4日 9时16分: a required 来电时间 or 交易时间 so written refused the
    row ("not a date-time"), its ticket or transaction lost."""
    import pyarrow as pa

    from loaders.contracts import Column
    from loaders.validate import check_column

    values, errors = check_column(pa.array([raw]), Column("time", "交易时间", "datetime", required=True))
    assert errors == {} and values.to_pylist() == [want]


def test_an_id_number_whose_check_x_was_typed_as_the_multiplication_sign_loads_as_the_person(tmp_path):
    """11010519491231002× (× sits beside x in a Chinese input method's symbols): the row was refused "not 18
    characters of digits", the person lost with every row naming them; the check digit still has to be right."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    ids = [r["公民身份号码"] for r in rows]
    with_x = next(i for i, v in enumerate(ids) if v.endswith("X"))
    no_x = next(i for i, v in enumerate(ids) if not v.endswith("X"))
    rows[with_x]["公民身份号码"] = ids[with_x][:17] + "×"
    rows[no_x]["公民身份号码"] = ids[no_x][:17] + "×"  # × where the check digit is a digit: a wrong check digit
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        stored = set(s.run("MATCH (p:Person) RETURN p.id AS id")["id"])
    assert ids[with_x] in stored and ids[no_x] not in stored
    refused = [q for q in report.quarantine if q.file == "household.csv"]
    assert [(q.row, q.reason.endswith("has a wrong check digit")) for q in refused] == [(no_x + 2, True)]


@pytest.mark.parametrize("goods", ["92#汽油", "0号柴油", "95＃汽油", "-10#柴油", "CNG"])
def test_a_fuel_grade_as_the_station_till_writes_it_is_fuel(goods):
    """A 石化 export names the grade (92#汽油): every transaction's 商品类别 was left out as "not one of fuel/…", a
    console of dropped values where nothing was wrong."""
    import pyarrow as pa

    from loaders.contracts import load_contracts
    from loaders.validate import check_column

    values, errors = check_column(pa.array([goods]), load_contracts()["fuel_transactions"].columns["goods"])
    assert errors == {} and values.to_pylist() == ["fuel"]


def test_gender_as_the_national_code_reads_as_the_word(tmp_path):
    """户籍 and 人事 systems export 性别 as GB/T 2261.1's code (1 男, 2 女): every value was left out ("not one of
    男/女: 1") and every person loaded without a gender."""
    tables = copy.deepcopy(TABLES)
    for r in tables["household"]:
        r["性别"] = {"男": "1", "女": "2"}.get(r["性别"], r["性别"])
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH (p:Person) RETURN p.id AS id, p.gender AS g")
    want = {r["公民身份号码"]: r["性别"] for r in TABLES["household"]}
    assert report.dropped == [] and len(got) == len(want)
    assert {i: g for i, g in zip(got["id"], got["g"], strict=True)} == want


# ----------------------------------------------------------------- identifiers written in full after a number's trip
def _through_a_number(v: str, how: str) -> str:
    if not v.isdigit():
        return v  # an ID number ending in X was text in the workbook: kept
    return str(round(int(v), -3)) if how == "excel" else str(int(float(v)))


@pytest.mark.parametrize("how", ["excel", "float"])
def test_id_numbers_written_in_full_after_excel_or_a_float_are_refused_not_loaded_as_other_people(tmp_path, how):
    """Excel saved 320508196505050050 as 320508196505050000 (15 significant digits); a program that read the column
    as floats wrote 320508196505050048. About one in eleven passed its check digit and loaded as a person the
    department never named (10 % of a 300-row file of the demo city); the rest were refused "wrong check digit"."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    for r in rows:
        r["公民身份号码"] = _through_a_number(r["公民身份号码"], how)
    for r in tables["family"]:
        for k in ("id_number", "relative_id_number"):
            if k in r:
                r[k] = _through_a_number(r[k], how)
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        stored = set(s.run("MATCH (p:Person) RETURN p.id AS id")["id"])
    typed = {r["公民身份号码"] for r in TABLES["household"]}
    assert stored <= typed  # no person the department did not name
    assert {r["公民身份号码"] for r in rows if r["公民身份号码"].endswith("X")} <= stored
    refused = {q.value for q in report.quarantine if q.file == "household.csv"}
    digits = {r["公民身份号码"] for r in rows if r["公民身份号码"].isdigit()}
    assert refused == digits
    why = "in Excel: digits lost" if how == "excel" else "a binary float's value"
    assert all(why in q.reason for q in report.quarantine if q.file == "household.csv")
    from loaders.words import load_zh  # the Chinese console said it in English

    zh = "Excel 只保留 15 位有效数字" if how == "excel" else "恰是二进制浮点数的值"
    assert all(zh in load_zh(q.reason) for q in report.quarantine if q.file == "household.csv")


def test_a_real_id_number_ending_in_000_alone_in_its_column_loads():
    import pyarrow as pa

    from loaders.read import rounded_identifiers

    real = ["110105194912310021", "320508196505050050", "11010519491231002X", "320583195909117143"]
    assert rounded_identifiers(pa.array(["320583195909117000", *real])) == {}


@pytest.mark.parametrize(
    ("word", "role"), [("参公", "official"), ("参照公务员法管理人员", "official"), ("审判员", "judge")]
)
def test_a_roster_category_as_organisation_departments_write_it_keeps_the_official(tmp_path, word, role):
    """人员类别 参公 (managed as a civil servant) was left out as "not one of official/…": the post loaded with no
    role, and every roster model, which reads officials as EMPLOYED_BY {role: official}, passed the person over."""
    tables = copy.deepcopy(TABLES)
    tables["roster"][0]["role"] = word
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run(
            "MATCH (p:Person)-[e:EMPLOYED_BY]->() WHERE p.id = $p RETURN e.role AS r",
            p=tables["roster"][0]["id_number"],
        )
    assert [d for d in report.dropped if d.file == "roster.csv"] == []
    assert got["r"].tolist() == [role]


@pytest.mark.parametrize("word", ["长子", "次女", "养子"])
def test_a_child_named_by_birth_order_keeps_the_family_tie(tmp_path, word):
    """户籍 writes 长子, 次女: the family row was refused ("not one of spouse/parent/child/…") and the tie that
    relative_wins_tender walks from an official to a relative's company was lost."""
    tables = copy.deepcopy(TABLES)
    tables["family"][0]["relationship"] = word
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH (a:Person)-[f:FAMILY]->(b:Person) RETURN a.id AS a, b.id AS b, f.relationship AS r")
    assert [q for q in report.quarantine if q.file == "family.csv"] == []
    first = tables["family"][0]
    assert (
        (got["a"] == first["id_number"]) & (got["b"] == first["relative_id_number"]) & (got["r"] == "child")
    ).sum() == 1


def test_a_date_saved_as_its_excel_serial_says_so():
    """出生日期 45356 in a CSV (a date column of General format saved from Excel) was refused "not a date (45356);
    expected Y-m-d", which did not tell the clerk what happened; the serial itself is not read (the CSV no longer
    says whether the workbook counted from 1900 or 1904: four years apart)."""
    import pyarrow as pa

    from loaders.contracts import Column
    from loaders.validate import check_column

    values, errors = check_column(pa.array(["45356", "1985-13-45"]), Column("birth_date", "出生日期", "date"))
    assert values.to_pylist() == [None, None]
    assert errors[0].startswith("not a date (45356); expected Y-m-d; an Excel date serial?")
    assert errors[1] == "not a date (1985-13-45); expected Y-m-d"


@pytest.mark.parametrize("word", ["已处理", "办理完毕", "已答复"])
def test_a_hotline_ticket_closed_in_the_centre_s_words_is_resolved(tmp_path, word):
    """12345 centres write 已处理 or 办理完毕: the status was left out ("not one of open/resolved/unresolved"), and
    hotline_manipulation, which counts the tickets a number had closed as resolved, counted none."""
    tables = copy.deepcopy(TABLES)
    tables["hotline"][0]["status"] = word
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH (h:HotlineTicket) RETURN h.status AS st")["st"].tolist()
    assert [d for d in report.dropped if d.file == "hotline.csv"] == [] and got == ["resolved"]


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("手机：13900000001", "13900000001"),
        ("13900000002（本人）", "13900000002"),
        ("电话0512-65123456", "0512-65123456"),
    ],
)
def test_a_phone_with_the_clerk_s_words_around_it_keeps_the_number(tmp_path, raw, want):
    """手机：139… or 139…（本人） was left out ("characters other than digits"), the person's phone and every
    shared-phone link through it lost."""
    tables = copy.deepcopy(TABLES)
    tables["household"][0]["联系电话"] = raw
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run(
            "MATCH (p:Person)-[:HAS_PHONE]->(x) WHERE p.id = $p RETURN x.id AS x",
            p=tables["household"][0]["公民身份号码"],
        )
    assert [d for d in report.dropped if d.file == "household.csv"] == [] and got["x"].tolist() == [want]


# ----------------------------------------------------------------- "Excel" files that are not workbooks
def _household_frame():
    import pandas as pd

    return pd.DataFrame(TABLES["household"])


def test_a_tab_separated_text_saved_as_xls_is_read_as_the_table_it_is(tmp_path):
    """Reporting systems export "Excel" as tab-separated GBK text named .xls: the load stopped on "cannot read the
    file (CalamineError: Cfb error: Invalid OLE (signature …))"."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "household.xls").write_bytes(_household_frame().to_csv(sep="\t", index=False).encode("gbk"))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        n = int(s.run("MATCH (p:Person) RETURN count(p) AS n")["n"][0])
    f = report.files[0]
    assert (f.file, f.encoding, f.read, f.quarantined) == ("household.xls", "gb18030", len(TABLES["household"]), 0)
    assert n == len(TABLES["household"])


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("<html><body>{table}</body></html>", "a web page (an HTML table) saved under an Excel name"),
        (
            '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "an XML Spreadsheet 2003, not a workbook",
        ),
    ],
)
def test_a_web_page_or_xml_saved_as_xls_is_named_for_what_it_is(tmp_path, text, says):
    from loaders.engine import LoadError

    folder = tmp_path / "c"
    folder.mkdir()
    body = text.format(table=_household_frame().to_html(index=False))
    (folder / "household.xls").write_bytes(body.encode("gb18030"))
    with EmbeddedStore(tmp_path / "g.db") as s, pytest.raises(LoadError) as err:
        load_dir(folder, s)
    assert says in str(err.value) and "save it as .xlsx" in str(err.value) and "household.xls" in str(err.value)
    assert "Invalid OLE" not in str(err.value)


def test_a_template_s_required_marks_on_its_headers_are_read_past(tmp_path):
    """An import template heads its required columns *公民身份号码 and 姓名*: the load stopped with "required column
    'id_number' (公民身份号码) is missing" on a file that had it."""
    tables = _household_headed({"公民身份号码": "*公民身份号码", "姓名": "姓名*", "出生日期": "＊出生日期"})
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        n = int(s.run("MATCH (p:Person) WHERE p.birth_date IS NOT NULL RETURN count(p) AS n")["n"][0])
    household = next(f for f in report.files if f.file.endswith("household.csv"))
    assert household.unread == [] and household.quarantined == 0 and household.loaded == len(TABLES["household"])
    assert n == sum(1 for r in TABLES["household"] if r["出生日期"])


# ----------------------------------------------------------------- codes that lost their leading zeros
def test_a_code_that_lost_its_leading_zeros_in_a_workbook_is_said_not_split_silently(tmp_path):
    """停车场编号 00031 in the parking records (CSV) and 31 in the whitelist workbook, which held it as a number: two
    car parks were stored, the plate's free exits at 00031 and its whitelist at 31, and nothing said so."""
    folder = tmp_path / "c"
    tables = copy.deepcopy(TABLES)
    tables["parking_records"][0]["lot_id"] = "00031"
    whitelist = tables.pop("parking_whitelist")
    write_city(folder, tables)
    _xlsx(folder / "parking_whitelist.xlsx", [{**whitelist[0], "lot_id": 31}])
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
    said = [w for w in report.warnings if "leading zeros" in w]
    assert said == [
        "parking_records.csv: lot_id 00031 (parking_records.csv) and 31 (parking_whitelist.xlsx) differ only in "
        "leading zeros: kept as 2 ParkingLot nodes where the department may mean 1 (a spreadsheet drops a "
        "number's leading zeros: keep the column as text, or correct one file, and load again)"
    ]
    assert not report.clean  # graphkit load --strict refuses it


def test_codes_that_only_look_alike_are_not_twins(tmp_path):
    tables = copy.deepcopy(TABLES)
    tables["parking_whitelist"][0]["lot_id"] = "310"
    tables["parking_records"][0]["lot_id"] = "31"
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
    assert [w for w in report.warnings if "leading zeros" in w] == []


# ----------------------------------------------------------------- 出生日期 against the ID number
def test_a_birth_date_that_is_not_the_id_number_s_is_left_out_at_its_cell_with_the_number_masked(tmp_path):
    """出生日期 1975-03-13 beside 320508197503120018 (born 1975-03-12), or a first-generation 15-digit number beside
    another date, loaded as written: the person stored with two birth dates in one row and nothing said."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    full = next(i for i, r in enumerate(rows) if r["出生日期"] and not r["公民身份号码"].endswith("X"))
    first = next(i for i, r in enumerate(rows) if r["出生日期"] and i != full and not r["公民身份号码"].endswith("X"))
    rows[full]["出生日期"] = "1901-01-01"
    fifteen = rows[first]["公民身份号码"][:6] + rows[first]["公民身份号码"][8:17]
    rows[first]["公民身份号码"], rows[first]["出生日期"] = fifteen, "1902-02-02"
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH (p:Person) RETURN p.id AS id, p.birth_date AS b")
    born = dict(zip(got["id"], got["b"], strict=True))
    upgraded = TABLES["household"][first]["公民身份号码"]
    assert pd.isna(born[rows[full]["公民身份号码"]]) and pd.isna(born[upgraded])  # the rows and persons load
    said = [(d.row, d.column, d.value, d.reason) for d in report.dropped if d.file == "household.csv"]
    assert [s[:3] for s in said] == [(full + 2, "birth_date", "1901-01-01"), (first + 2, "birth_date", "1902-02-02")]
    assert said[0][3].startswith("出生日期 1901-01-01 is not the birth date in 公民身份号码 '")
    assert "the date is the likelier typo" in said[0][3] and "has no check digit: check both" in said[1][3]
    assert f"'{fifteen[:4]}*******{fifteen[-4:]}'" in said[1][3]  # the 15 digits as written, masked
    assert all(rows[full]["公民身份号码"] not in r and fifteen not in r for *_, r in said)
    household = next(f for f in report.files if f.file == "household.csv")
    assert household.reconciles and household.quarantined == 0 and household.dropped["birth_date"] == 2
    lines = sorted((full + 2, first + 2))
    assert report.warnings == [
        f"household.csv: 出生日期 is not the birth date the row's 公民身份号码 holds in 2 row(s) (lines {lines[0]} and "
        f"{lines[1]}): the date left out, one of the two mistyped: correct the file"
    ]
    assert not report.clean  # graphkit load --strict refuses it


@pytest.mark.parametrize("column", ["出生日期", "性别"])
def test_a_row_without_a_birth_date_or_sex_beside_a_mismatched_one_loads(tmp_path, column):
    """A household file where one row leaves 出生日期 (or 性别) empty and another's contradicts its 公民身份号码: the
    load stopped with pyarrow's 'array_filter must all be the same length' (the mismatched rows were picked from
    the whole column, not from the rows compared), every table of the city with it."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    rows[0][column] = ""
    rows[1][column] = "1901-01-01" if column == "出生日期" else ("女" if int(rows[1]["公民身份号码"][16]) % 2 else "男")
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
    said = [(d.row, d.value) for d in report.dropped if d.file == "household.csv"]
    assert said == [(3, rows[1][column])], said
    household = next(f for f in report.files if f.file == "household.csv")
    assert household.reconciles and household.loaded == household.read


# ----------------------------------------------------------------- 性别 against the ID number's sex digit
def test_a_sex_that_is_not_the_id_number_s_is_left_out_at_its_cell_with_the_number_masked(tmp_path):
    """性别 女 beside 320508197503120018 (its 17th digit 1: 男), or a 15-digit number whose 15th digit says the
    other sex, loaded as written: the person stored as a woman whose own number says a man, and nothing said."""
    from loaders.words import load_zh

    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    full, first = 0, 2  # 张伟 男 (…0018: 17th digit 1), 王强 男 (…0038: 3)
    rows[full]["性别"] = "女"
    fifteen = rows[first]["公民身份号码"][:6] + rows[first]["公民身份号码"][8:17]
    rows[first]["公民身份号码"], rows[first]["性别"] = fifteen, "2"  # GB/T 2261.1's 女
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH (p:Person) RETURN p.id AS id, p.gender AS g")
    sex = dict(zip(got["id"], got["g"], strict=True))
    upgraded = TABLES["household"][first]["公民身份号码"]
    assert len(sex) == len(rows) and pd.isna(sex[rows[full]["公民身份号码"]]) and pd.isna(sex[upgraded])
    assert sum(not pd.isna(g) for g in sex.values()) == len(rows) - 2  # every other sex agrees with its digit
    said = [(d.row, d.column, d.value, d.reason) for d in report.dropped if d.file == "household.csv"]
    assert [s[:3] for s in said] == [(full + 2, "gender", "女"), (first + 2, "gender", "2")]
    whole = rows[full]["公民身份号码"]
    assert said[0][3] == (
        f"性别 女 is not the sex in 公民身份号码 '{whole[:4]}**********{whole[-4:]}' (its 17th digit 1 is 男): one "
        "of the two is mistyped (the number's check digit holds: the 性别 is the likelier typo)"
    )
    shown = f"'{fifteen[:4]}*******{fifteen[-4:]}'"
    assert said[1][3].startswith(f"性别 女 is not the sex in 公民身份号码 {shown} (its 15th")
    assert "has no check digit: check both" in said[1][3]
    assert all(whole not in r and fifteen not in r for *_, r in said)
    assert load_zh(said[0][3]).startswith(f"性别 女 与公民身份号码 '{whole[:4]}**********{whole[-4:]}' 中的性别")
    household = next(f for f in report.files if f.file == "household.csv")
    assert household.reconciles and household.quarantined == 0 and household.dropped["gender"] == 2
    assert report.warnings == [
        f"household.csv: 性别 is not the sex the row's 公民身份号码 holds in 2 row(s) (lines {full + 2} and "
        f"{first + 2}): the value left out, one of the two mistyped: correct the file"
    ]
    assert load_zh(report.warnings[0]).startswith("household.csv：2 行的性别与公民身份号码中的性别")
    assert not report.clean  # graphkit load --strict refuses it


# ----------------------------------------------------------------- a workbook's sheet of instructions
@pytest.mark.parametrize(
    ("title", "lines", "clean"),
    [
        ("填表说明", [["1. 公民身份号码填18位"], ["2. 日期写作 2024-01-31"], ["3. 联系电话填手机"]], True),
        ("目录", [["序号", "表名"], [1, "户籍人口"], [2, "汇总"]], True),
        ("汇总", [["镇", "人数"], ["古里镇", 10], ["锦溪镇", 12]], False),  # rows of other columns: --strict refuses
    ],
)
def test_a_sheet_of_instructions_is_a_note_and_a_sheet_of_other_rows_still_a_warning(tmp_path, title, lines, clean):
    """A template's 填表说明 sheet before the data was "1 sheet(s) hold rows under other columns … not read": a
    warning, so graphkit load --strict refused every workbook sent on the commission's own template."""
    rows = TABLES["household"]
    head = list(rows[0])
    wb = openpyxl.Workbook()
    wb.active.title = title
    for line in lines:
        wb.active.append(line)
    ws = wb.create_sheet("户籍人口")
    ws.append(head)
    for r in rows:
        ws.append([r[h] for h in head])
    report, _ = _load_household_book(wb, tmp_path)
    (f,) = report.files
    assert (f.file, f.loaded, f.quarantined) == ("household.xlsx", len(rows), 0)
    assert report.clean is clean
    said = f"household.xlsx: sheet(s) of instructions not read as records: '{title}' (3 lines)"
    assert [n for n in f.notes() if "instructions" in n] == ([said] if clean else [])
    assert len(report.warnings) == (0 if clean else 1) and all(f"'{title}' (2 rows)" in w for w in report.warnings)


# ----------------------------------------------------------------- rows Excel hides
@pytest.mark.parametrize("filtered", [False, True])
def test_rows_hidden_or_filtered_out_in_excel_load_and_are_named(tmp_path, filtered):
    """A clerk hides rows (or filters the sheet to 男) and a column before saving: python-calamine reads every row
    and column, and the load took the rows and cells no one on the sending side saw with nothing said."""
    rows = TABLES["household"]
    head = list(rows[0])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某县户籍人口信息表"])  # a title line: rows keep their own spreadsheet numbers
    ws.append(head)
    for r in rows:
        ws.append([r[h] for h in head])
    hide = [4, 6]
    if filtered:
        ws.auto_filter.ref = f"A2:F{len(rows) + 2}"
        ws.auto_filter.add_filter_column(2, ["男"])
    for r in hide:
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions["E"].hidden = True  # 住址: read as any column, and said
    report, n = _load_household_book(wb, tmp_path)
    (f,) = report.files
    assert (f.read, f.loaded, n, f.hidden, f.filtered) == (len(rows), len(rows), len(rows), hide, filtered)
    how = "filtered out or hidden" if filtered else "hidden"
    said = [x for x in f.notes() if "row(s)" in x and "in Excel were read" in x]
    assert said == [
        f"household.xlsx: 2 row(s) {how} in Excel were read as every other row (rows 4 and 6)"
        + ("; the sheet has a filter set (筛选): clear it" if filtered else ": unhide them")
        + " to see every row the file holds"
    ]
    assert f.hidden_columns == [head[4]] and (
        f"household.xlsx: column(s) hidden in Excel were read as every other column: {head[4]}" in f.notes()
    )


# ----------------------------------------------------------------- an ID number grouped as the card prints it
@pytest.mark.parametrize("sep", ["-", "－", "–"])
def test_an_id_number_grouped_with_dashes_is_the_person(tmp_path, sep):
    """320508-19750312-0018 (grouped as 6-8-4, the way the card and many forms print it) was refused "not 18
    characters of digits": the person lost with every row naming them, where the same number grouped with spaces
    loaded."""
    tables = copy.deepcopy(TABLES)
    row = tables["household"][0]
    pid = row["公民身份号码"]
    row["公民身份号码"] = sep.join((pid[:6], pid[6:14], pid[14:]))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        stored = set(s.run("MATCH (p:Person) RETURN p.id AS id")["id"])
    assert pid in stored and [q for q in report.quarantine if q.file == "household.csv"] == []


# ----------------------------------------------------------------- two exports run together
def test_a_second_utf8_export_appended_to_the_first_names_its_header_not_a_malformed_id(tmp_path):
    """Two exports of one system joined into one file (copy /b a.csv+b.csv): the second header starts with the
    byte-order mark, and the line was refused "ID number '\\ufeff公民身份号码' is not 18 characters of digits"."""
    import csv
    import io

    rows = TABLES["household"]
    head = list(rows[0])

    def export(part):
        out = io.StringIO()
        w = csv.DictWriter(out, head, lineterminator="\r\n")
        w.writeheader()
        w.writerows(part)
        return out.getvalue().encode("utf-8-sig")

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "household.csv").write_bytes(export(rows[:3]) + export(rows[3:]))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
    assert [(q.row, q.reason) for q in report.quarantine] == [(5, "the header written again, not a record")]
    (f,) = report.files
    assert (f.read, f.loaded, f.quarantined) == (len(rows) + 1, len(rows), 1)


@pytest.mark.parametrize("second", ["某县户籍人口信息", "某县户籍人口信息（续）"])
def test_a_page_s_title_line_above_the_header_written_again_in_a_csv_is_named_as_such(tmp_path, second):
    """A CSV of pages (or of two exports) writes each page's title line above its header: the line was refused
    "1 fields where the header has 6", a broken record where nothing was broken."""
    import csv
    import io

    rows = TABLES["household"]
    head = list(rows[0])

    def page(title, part):
        out = io.StringIO()
        out.write(title + "\r\n")
        w = csv.DictWriter(out, head, lineterminator="\r\n")
        w.writeheader()
        w.writerows(part)
        return out.getvalue()

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "household.csv").write_bytes((page("某县户籍人口信息", rows[:3]) + page(second, rows[3:])).encode("gbk"))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
    assert [(q.row, q.reason) for q in report.quarantine] == [
        (6, "a title line above the header written again, not a record"),
        (7, "the header written again, not a record"),
    ]
    (f,) = report.files
    assert (f.read, f.loaded, f.quarantined) == (len(rows) + 2, len(rows), 2)


@pytest.mark.parametrize(("first", "second"), [("utf-8-sig", "gbk"), ("gbk", "utf-8"), ("gbk", "utf-8-sig")])
def test_two_exports_in_two_encodings_joined_in_one_file_load_every_row(tmp_path, first, second):
    """A UTF-8 export and a GBK one joined into one file (copy /b a.csv+b.csv, one system each): every line of the
    second part was refused as "undecodable bytes … not utf-8 text" (or not gb18030), its persons lost."""
    import csv
    import io

    rows = TABLES["household"]
    head = list(rows[0])

    def export(part, encoding):
        out = io.StringIO()
        w = csv.DictWriter(out, head, lineterminator="\r\n")
        w.writeheader()
        w.writerows(part)
        return out.getvalue().encode(encoding)

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "household.csv").write_bytes(export(rows[:3], first) + export(rows[3:], second))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (p:Person) RETURN p.id AS id, p.name AS name")
    assert [(q.row, q.reason) for q in report.quarantine] == [(5, "the header written again, not a record")]
    want = {r["公民身份号码"]: r["姓名"].replace(" ", "") for r in rows}  # 李 娜 is stored 李娜
    assert len(got) == len(want) and dict(zip(got["id"], got["name"], strict=True)) == want
    (f,) = report.files
    named = {"utf-8-sig": "utf-8", "utf-8": "utf-8", "gbk": "gb18030"}
    assert f.form == (
        f"exports joined in two encodings: {named[second]} from line(s) 5 (the header written again in "
        f"{named[second]}), {named[first]} before"
    )


def test_a_gbk_export_then_a_utf8_one_that_decodes_wholly_as_gb18030_is_read_each_in_its_own(tmp_path):
    """A GBK export, then a UTF-8 one whose Chinese runs all hold an even number of characters (two-character
    names, 性别 as 1/2, no address): the UTF-8 bytes pair up as GB18030's, no byte is undecodable, and the file was
    taken as one encoding (a Cyrillic code page: the load stopped on 公民身份号码 missing, or GB18030: every row of
    the second part loaded with mojibake names, 张伟 as 寮犱紵)."""
    import csv
    import io

    rows = [
        {**r, "性别": {"男": "1", "女": "2"}[r["性别"]], "住址": ""}
        for r in TABLES["household"]
        if len(r["姓名"].replace(" ", "")) % 2 == 0
    ]
    head = list(rows[0])

    def export(part, encoding):
        out = io.StringIO()
        w = csv.DictWriter(out, head, lineterminator="\r\n")
        w.writeheader()
        w.writerows(part)
        return out.getvalue().encode(encoding)

    data = export(rows[:3], "gbk") + export(rows[3:], "utf-8")  # (with a BOM, the BOM's bytes do not decode)
    assert "寮犱紵" not in data.decode("gb18030")  # (the first part's 张伟 is GBK)
    data.decode("gb18030")  # the premise: every byte decodes as GB18030, none says where UTF-8 starts
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "household.csv").write_bytes(data)
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (p:Person) RETURN p.id AS id, p.name AS name")
    assert [(q.row, q.reason) for q in report.quarantine] == [(5, "the header written again, not a record")]
    want = {r["公民身份号码"]: r["姓名"].replace(" ", "") for r in rows}
    assert len(got) == len(want) and dict(zip(got["id"], got["name"], strict=True)) == want
    (f,) = report.files
    assert (f.read, f.loaded, f.quarantined) == (len(rows) + 1, len(rows), 1)
    assert f.form == (
        "exports joined in two encodings: utf-8 from line(s) 5 (the header written again in utf-8), gb18030 before"
    )


# ----------------------------------------------------------------- amounts in Chinese capital numerals (大写)
CAPITALS = [
    ("肆拾玖万元整", 490000.0),
    ("人民币叁拾万元", 300000.0),
    ("伍佰元", 500.0),
    ("叁佰元伍角", 300.5),
    ("壹拾元零伍分", 10.05),
    ("人民币（大写）：壹拾贰万叁仟肆佰伍拾陆元柒角捌分", 123456.78),
    ("一万二千元", 12000.0),
    ("1200元整", 1200.0),
]


def test_an_amount_in_capital_numerals_reads_as_its_figure_and_one_that_reads_two_ways_is_refused(tmp_path):
    """A finance export writes 金额 in capitals (壹万贰仟元整, 人民币叁拾万元): every such payment was quarantined "not
    a number", its payee's money lost to the models. 两万五 (said for 25,000; 20,005 read digit by digit) and 伍佰叁仟元
    read as no one figure: refused with the reason, never a figure guessed."""
    from loaders.words import load_zh

    tables = copy.deepcopy(TABLES)
    (pay,) = tables["payments"]
    bad = ["两万五", "伍佰叁仟元"]
    tables["payments"] = [
        {**pay, "payment_id": f"PAY{i}", "amount": written} for i, written in enumerate([w for w, _ in CAPITALS] + bad)
    ]
    k = tables["contracts"][0]
    tables["contracts"] = [{**k, "amount": "玖拾捌"}]  # under 合同金额（万元）: 98 万元
    with EmbeddedStore(tmp_path / "g.db") as s:
        folder = write_city(tmp_path / "c", tables)
        text = (folder / "contracts.csv").read_text(encoding="utf-8").replace("amount", "合同金额（万元）", 1)
        (folder / "contracts.csv").write_text(text, encoding="utf-8")
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (p:Payment) RETURN p.id AS id, p.amount AS a")
        contract = s.run("MATCH (k:Contract) RETURN k.amount AS a")
    paid = dict(zip(got["id"], got["a"], strict=True))
    assert paid == {f"PAY{i}": figure for i, (_, figure) in enumerate(CAPITALS)}
    assert list(contract["a"]) == [980000.0]
    refused = [(q.row, q.value, q.reason) for q in report.quarantine if q.file == "payments.csv"]
    n = len(CAPITALS)
    assert refused == [
        (
            n + 2 + i,
            w,
            f"not a number: {w} (Chinese numerals that read as no one amount: not guessed; write it in digits)",
        )
        for i, w in enumerate(bad)
    ]
    assert load_zh(refused[0][2]) == "不是数字：两万五（中文数字读不成一个确定的金额：不作猜测；请用阿拉伯数字填写）"
    payments = next(f for f in report.files if f.file == "payments.csv")
    assert payments.reconciles and (payments.read, payments.loaded) == (n + 2, n)


# ----------------------------------------------------------------- characters that show as nothing
def test_zero_width_characters_pasted_with_values_are_taken_out_and_said(tmp_path):
    """An ID number pasted from a web page or a chat message with a zero-width space (U+200B), a word joiner or a
    byte-order mark around it was refused "not 18 characters of digits" (the person lost, and every row of the
    other files naming them: 7 rows in 6 files of the fixture city); a name with a zero-width joiner inside was
    another name (the roster's 王强 refused as not the registered name); a header with one was no column; a phone
    written as an en dash (–) was refused where — and - read as empty."""
    from loaders.words import load_zh

    tables = copy.deepcopy(TABLES)
    hh = tables["household"]
    hh[0]["公民身份号码"] = "\u200b" + hh[0]["公民身份号码"]
    hh[3]["公民身份号码"] = hh[3]["公民身份号码"][:6] + "\u2060" + hh[3]["公民身份号码"][6:]
    hh[5]["公民身份号码"] = "\ufeff" + hh[5]["公民身份号码"] + "\u200e"
    hh[2]["姓名"] = "王\u200d强"
    hh[4]["姓名"] = "陈刚\x00"  # a NUL a system padded the field with: stored as part of the name
    hh[1]["联系电话"] = "–"
    with EmbeddedStore(tmp_path / "g.db") as s:
        folder = write_city(tmp_path / "c", tables)
        text = (folder / "household.csv").read_text(encoding="utf-8").replace("出生日期", "出生\u200b日期", 1)
        (folder / "household.csv").write_text(text, encoding="utf-8")
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (p:Person) RETURN p.id AS id, p.name AS name, p.birth_date AS b")
    assert report.quarantine == [] and report.dropped == []
    want = {r["公民身份号码"]: r["姓名"].replace(" ", "") for r in TABLES["household"]}
    assert len(got) == len(want) and dict(zip(got["id"], got["name"], strict=True)) == want
    assert got["b"].notna().all()  # 出生​日期 read as 出生日期
    (f,) = [f for f in report.files if f.file == "household.csv"]
    assert dict(f.invisible) == {"公民身份号码": 3, "姓名": 2} and f.no_value["联系电话"] == 1
    said = "household.csv: 5 cell(s) held characters that show as nothing (a zero-width space, U+200B …) taken out: "
    (note,) = [n for n in f.notes() if n.startswith(said)]
    assert note == said + "公民身份号码 3, 姓名 2"
    assert (
        load_zh(note) == "household.csv：5 个单元格含不可见字符（零宽空格 U+200B 等），已去除：公民身份号码 3, 姓名 2"
    )


# ----------------------------------------------------------------- a number with its unit written in the cell
def test_a_quantity_written_with_its_unit_reads_as_the_number(tmp_path):
    """A station's till writes 数量 as 45.2升 or 45.2L, a register 持股比例 as 60% (what Excel shows of a percent cell
    saved as CSV), a GPS log 停留时长 as 180分钟, a village 工日 as 10个工日 and a reception 接待人数 as 8人: every such
    value was left out ("not a number: 60%"), the fuel-over-tank and the relative's-company models blind to it."""
    tables = copy.deepcopy(TABLES)
    tables["vehicles"][0]["tank_capacity"] += "升"
    tables["fuel_transactions"][0]["litres"] += "L"
    for r in tables["shareholders"]:
        r["percent"] += "%"
    tables["gps_stops"][0]["duration_min"] += "分钟"
    tables["village_labour"][0]["days"] += "个工日"
    tables["receptions"][0]["guests"] += "人"
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        tank = s.run("MATCH (v:Vehicle) WHERE v.tank_capacity IS NOT NULL RETURN v.tank_capacity AS x")["x"]
        litres = s.run("MATCH (t:FuelTransaction) RETURN t.litres AS x")["x"]
        shares = s.run("MATCH ()-[h:SHAREHOLDER_OF]->() RETURN h.percent AS x ORDER BY x")["x"]
    assert report.dropped == [] and report.quarantine == []
    assert sorted(tank) == sorted(float(r["tank_capacity"]) for r in TABLES["vehicles"])
    assert sorted(litres) == sorted(float(r["litres"]) for r in TABLES["fuel_transactions"])
    assert list(shares) == sorted(float(r["percent"]) for r in TABLES["shareholders"])


def test_a_unit_word_is_read_only_after_a_number():
    from loaders.contracts import load_contracts
    from loaders.validate import check_column

    col = load_contracts()["gps_stops"].columns["duration_min"]
    values, errors = check_column(pa.array(["35分", "1小时5分", "分钟"]), col)
    assert values.to_pylist() == [35.0, None, None]
    assert errors == {1: "not a number: 1小时5分", 2: "not a number: 分钟"}  # as written, never a part of it


@pytest.mark.parametrize("fmt", ["0%", "0.00%", '0.0"%"'])
def test_a_share_excel_shows_as_a_percentage_is_stored_as_that_percentage(tmp_path, fmt):
    """持股比例(%) in a workbook whose cells are formatted as percentages: the cell shows 60% and holds 0.6, and the
    share loaded as 0.6 (per cent), a hundred times too small, with nothing said; a cell of General format holding
    40 is 40. A format that writes % as text ('0.0"%"', the number itself shown with a % after it) is no percentage."""
    tables = copy.deepcopy(TABLES)
    shares = tables.pop("shareholders")
    folder = write_city(tmp_path / "c", tables)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "股东类型", "股东证照号码", "持股比例(%)"])
    first, second = shares
    ws.append([first["credit_code"], first["holder_type"], first["holder_id"], 0.6 if "%" == fmt[-1] else 60])
    ws.cell(2, 4).number_format = fmt
    ws.append([second["credit_code"], second["holder_type"], second["holder_id"], 40])
    wb.save(folder / "shareholders.xlsx")
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (h)-[r:SHAREHOLDER_OF]->() RETURN h.id AS h, r.percent AS x")
    assert report.dropped == [] and report.quarantine == []
    assert dict(zip(got["h"], got["x"], strict=True)) == {first["holder_id"]: 60.0, second["holder_id"]: 40.0}


@pytest.mark.parametrize("fmt", ["0%", "0.00%", '0.0"%"'])
def test_a_share_an_old_excel_xls_shows_as_a_percentage_is_stored_as_that_percentage(tmp_path, fmt):
    """The same in a legacy .xls (Excel 97-2003, what many registry systems still export): 持股比例 shown 60% holds
    0.6 and loaded as 0.6 per cent, a hundred times too small, with nothing said, where the .xlsx path read it as
    60. python-calamine gives the number without its format: xlrd reads the cell's number format."""
    import xlwt

    tables = copy.deepcopy(TABLES)
    shares = tables.pop("shareholders")
    folder = write_city(tmp_path / "c", tables)
    wb = xlwt.Workbook()
    ws = wb.add_sheet("股东")
    for j, h in enumerate(["统一社会信用代码", "股东类型", "股东证照号码", "持股比例(%)"]):
        ws.write(0, j, h)
    first, second = shares
    for i, (r, v) in enumerate([(first, 0.6 if "%" == fmt[-1] else 60), (second, 40)], 1):
        for j, k in enumerate(["credit_code", "holder_type", "holder_id"]):
            ws.write(i, j, r[k])
        ws.write(i, 3, v, xlwt.easyxf(num_format_str=fmt) if i == 1 else xlwt.Style.default_style)
    wb.save(str(folder / "shareholders.xls"))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (h)-[r:SHAREHOLDER_OF]->() RETURN h.id AS h, r.percent AS x")
    assert report.dropped == [] and report.quarantine == []
    assert dict(zip(got["h"], got["x"], strict=True)) == {first["holder_id"]: 60.0, second["holder_id"]: 40.0}


@pytest.mark.parametrize(
    ("first", "second", "n"),
    [
        ("gbk", "utf-8", 20),
        ("utf-8-sig", "gbk", 20),
        ("utf-8", "gbk", 20),
        ("gbk", "utf-8-sig", 3),
        ("utf-8", "gbk", 3),
    ],
)
def test_two_exports_in_two_encodings_under_an_ascii_header_are_each_read_in_its_own(tmp_path, first, second, n):
    """A GBK export and a UTF-8 one joined into one file under a header all in ASCII (id_number,name,…: a system
    that names its columns in English): the header written again is the same bytes in both, so nothing told where
    the second encoding starts. Every line of the second part was refused as "undecodable bytes" (its persons
    lost), or the file was read whole in the second part's encoding ("from line(s) 1", the note naming the wrong
    part). Each part is now read in the encoding its bytes decode in, from the header written again."""
    import csv
    import io

    rows = TABLES["household"]
    english = ["id_number", "name", "gender", "birth_date", "address", "phone"]

    def export(part, encoding):
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(english)
        w.writerows(r.values() for r in part)
        return out.getvalue().encode(encoding)

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "household.csv").write_bytes(export(rows[:n], first) + export(rows[n:], second))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (p:Person) RETURN p.id AS id, p.name AS name")
    assert [(q.row, q.reason) for q in report.quarantine] == [(n + 2, "the header written again, not a record")]
    want = {r["公民身份号码"]: r["姓名"].replace(" ", "") for r in rows}
    assert len(got) == len(want) and dict(zip(got["id"], got["name"], strict=True)) == want
    (f,) = report.files
    assert (f.read, f.loaded, f.quarantined) == (len(rows) + 1, len(rows), 1)
    named = {"utf-8-sig": "utf-8", "utf-8": "utf-8", "gbk": "gb18030"}
    assert f.form == (
        f"exports joined in two encodings: {named[second]} from line(s) {n + 2} (the header written again, in "
        f"ASCII: the lines after it decode as {named[second]} only), {named[first]} before"
    )
    from loaders.words import load_zh

    assert load_zh(f"household.csv: read as {f.form}") == (
        f"household.csv：两份不同编码的导出拼在一起：第 {n + 2} 行起为 {named[second]}（表头在此重写），之前为 "
        f"{named[first]}"
    )


# ----------------------------------------------------------------- a file padded with NUL bytes
@pytest.mark.parametrize(("encoding", "pad"), [("utf-8", 512), ("gbk", 4093), ("utf-16", 7), ("utf-8", 1)])
def test_nul_bytes_padding_the_end_of_a_file_are_no_row_and_are_said(tmp_path, encoding, pad):
    """A file a system wrote to a fixed block size (or a copy cut short and padded) ends in NUL bytes: they were one
    line read as a record, quarantined as "1 fields where the header has 6" (or "undecodable byte \\x00" in UTF-16),
    so read counted one row the department never wrote and --strict failed. The padding is no row: left out and
    counted in a note."""
    import csv
    import io

    from loaders.words import load_zh

    rows = TABLES["household"]
    out = io.StringIO()
    w = csv.DictWriter(out, list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "household.csv").write_bytes(out.getvalue().encode(encoding) + b"\x00" * pad)
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        n = int(s.run("MATCH (p:Person) RETURN count(p) AS n")["n"][0])
    assert report.quarantine == [] and n == len(rows)
    (f,) = report.files
    assert (f.read, f.loaded, f.quarantined) == (len(rows), len(rows), 0)
    said = f"household.csv: {pad:,} NUL byte(s) padding the end of the file left out (no row)"
    assert said in f.notes()
    assert load_zh(said) == f"household.csv：文件末尾用于填充的 {pad:,} 个 NUL 字节已略去（不是记录）"


# ----------------------------------------------------------------- an amount Excel wrote in scientific form
def test_an_amount_excel_wrote_in_scientific_form_is_refused_not_read_as_its_rounded_figure(tmp_path):
    """Excel shows a number too wide for its column in scientific form and saves a CSV as it shows it: a payment of
    1,234,567 yuan became 1.23E+06 and loaded as 1,230,000 with nothing said (a registered capital likewise). The
    digits are lost before the file came: the payment is refused with the reason (an optional amount is left
    out), never loaded as the rounded figure."""
    from loaders.words import load_zh

    tables = copy.deepcopy(TABLES)
    (pay,) = tables["payments"]
    tables["payments"] = [
        {**pay, "payment_id": "PAY1", "amount": "1.23E+06"},
        {**pay, "payment_id": "PAY2", "amount": "490000"},
    ]
    tables["companies"][0]["registered_capital"] = "5E+02"
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        paid = s.run("MATCH (p:Payment) RETURN p.id AS id, p.amount AS a")
        capital = s.run("MATCH (c:Company) WHERE c.id = $c RETURN c.registered_capital AS x", c=pay["payee_id"])
    why = (
        "number in scientific form ({v}), as Excel shows a number too wide for its column: its other digits are "
        "lost; widen the column (or format it as a number) in the workbook and save again"
    )
    assert [(q.file, q.row, q.reason) for q in report.quarantine] == [("payments.csv", 2, why.format(v="1.23E+06"))]
    assert dict(zip(paid["id"], paid["a"], strict=True)) == {"PAY2": 490000.0}
    assert [(d.file, d.reason) for d in report.dropped] == [("companies.csv", why.format(v="5E+02"))]
    assert capital["x"].isna().all()
    payments = next(f for f in report.files if f.file == "payments.csv")
    assert payments.reconciles and (payments.read, payments.loaded, payments.quarantined) == (2, 1, 1)
    assert load_zh(why.format(v="1.23E+06")) == (
        "科学计数法写的数（1.23E+06）：Excel 在列宽不够时这样显示，其余数位已丢失；"
        "请在工作簿中加宽该列（或设为数值格式）后重新保存"
    )


# ----------------------------------------------------------------- formulas a program wrote and nothing calculated
def test_a_formula_cell_with_no_saved_value_is_named_not_read_as_empty(tmp_path):
    """A workbook a system writes (Apache POI, openpyxl) may hold formulas with no value saved (=数量*单价 never
    calculated: Excel calculates on opening, a reader does not): the cell read as empty. A payment's amount was
    refused as "required value is missing" for a cell that holds a formula; a company's registered capital and a
    phone (a shared phone joins bidders) were lost with nothing said. The formula's row is now refused, or its
    optional value left out, saying so; a formula whose saved value is an empty text ("") is empty."""
    tables = copy.deepcopy(TABLES)
    (pay,) = tables.pop("payments")
    companies = tables.pop("companies")
    folder = write_city(tmp_path / "c", tables)
    wb = openpyxl.Workbook()
    ws = wb.active
    head = list(pay)
    ws.append(head)
    ws.append([pay[h] for h in head])
    ws.append([{"payment_id": "PAY2", "amount": "=1000*2"}.get(h, pay[h]) for h in head])
    wb.save(folder / "payments.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    head = list(companies[0])
    ws.append(head)
    for i, c in enumerate(companies):
        ws.append([{0: {"registered_capital": "=250*2"}, 1: {"phone": '="0512-"&"65000002"'}}.get(i, {}).get(h, c[h])
                   for h in head])  # fmt: skip
    wb.save(folder / "companies.xlsx")
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        paid = s.run("MATCH (p:Payment) RETURN p.id AS id")["id"].tolist()
    why = (
        "a formula with no value saved (a workbook written by a program and never calculated): open it in Excel or "
        "WPS and save it again"
    )
    assert [(q.file, q.row, q.column, q.reason) for q in report.quarantine] == [("payments.xlsx", 3, "amount", why)]
    assert paid == ["PAY1"]
    assert sorted((d.file, d.row, d.column, d.reason) for d in report.dropped) == [
        ("companies.xlsx", 2, "registered_capital", why),
        ("companies.xlsx", 3, "phone", why),
    ]
    from loaders.words import load_zh

    assert load_zh(why) == "公式没有保存计算结果（由程序生成、从未计算过的工作簿）：请用 Excel 或 WPS 打开后重新保存"


def test_rows_and_columns_hidden_in_an_old_excel_xls_are_named_and_its_1904_serials_are_its_dates(tmp_path):
    """The same in a legacy .xls: rows and a column the clerk hid loaded with nothing said (the note was for .xlsx
    only). And a workbook from old Mac Excel counts its date serials from 1904: a 出生日期 typed as a number (a
    General cell) was read from 1900, four years and a day early (1971-03-11 for 1975-03-12), a payment's date as
    wrong with nothing said."""
    import xlwt

    rows = TABLES["household"]
    head = list(rows[0])
    wb = xlwt.Workbook()
    wb.dates_1904 = True
    ws = wb.add_sheet("户籍")
    ws.write(0, 0, "某县户籍人口信息表")
    for j, h in enumerate(head):
        ws.write(1, j, h)
    born = datetime(1975, 3, 12)  # the first person's, as the ID number holds it
    for i, r in enumerate(rows, 2):
        for j, h in enumerate(head):
            ws.write(i, j, (born - datetime(1904, 1, 1)).days if (i, h) == (2, "出生日期") else r[h])
    hide = [4, 6]
    for r in hide:
        ws.row(r - 1).hidden = True
    ws.col(4).hidden = True  # 住址
    folder = tmp_path / "c"
    folder.mkdir()
    wb.save(str(folder / "household.xls"))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (p:Person) WHERE p.id = $p RETURN p.birth_date AS b", p=rows[0]["公民身份号码"])
    (f,) = report.files
    assert report.quarantine == [] and report.dropped == [] and str(got["b"][0])[:10] == "1975-03-12"
    assert (f.read, f.loaded, f.hidden) == (len(rows), len(rows), hide)
    assert (
        "household.xls: 2 row(s) hidden in Excel were read as every other row (rows 4 and 6): unhide them to see "
        "every row the file holds"
    ) in f.notes()
    assert f"household.xls: column(s) hidden in Excel were read as every other column: {head[4]}" in f.notes()


# ----------------------------------------------------------------- a code Excel shows with its leading zeros
@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_code_excel_shows_zero_padded_is_read_with_its_zeros(tmp_path, suffix):
    """An invoice number is eight digits, 00012345: a finance clerk's workbook holds it as the number 12345 with the
    number format 00000000, and Excel shows (and saves to CSV) 00012345. The cell was read as 12345: the reception
    that names it was refused as naming an invoice that exists nowhere (the invoices' CSV has 00012345), and a
    workbook of invoices alone stored every number without its zeros. The zeros the format shows are read."""
    import xlwt

    tables = copy.deepcopy(TABLES)
    tables["invoices"][0]["invoice_no"] = "00012345"
    (rec,) = tables.pop("receptions")
    folder = write_city(tmp_path / "c", tables)
    head = list(rec)
    row = [12345 if h == "invoice_no" else rec[h] for h in head]
    k = head.index("invoice_no")
    if suffix == ".xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(head)
        ws.append(row)
        ws.cell(2, k + 1).number_format = "00000000"
        wb.save(folder / "receptions.xlsx")
    else:
        wb = xlwt.Workbook()
        ws = wb.add_sheet("接待")
        for j, h in enumerate(head):
            ws.write(0, j, h)
            ws.write(1, j, row[j], xlwt.easyxf(num_format_str="00000000") if j == k else xlwt.Style.default_style)
        wb.save(str(folder / "receptions.xls"))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (r:ReceptionExpense)-[:SUPPORTED_BY]->(i:Invoice) RETURN r.id AS r, i.id AS i")
    assert report.quarantine == [] and report.dropped == []
    assert list(zip(got["r"], got["i"], strict=True)) == [("REC1", "00012345")]


# ----------------------------------------------------------------- a printed export's page marks
@pytest.mark.parametrize(
    ("cell", "word"),
    [
        ("第1页 共3页", "页码"),
        ("第 1 页，共 3 页", "页码"),
        ("共3页 第1页", "页码"),
        ("Page 1 of 3", "页码"),
        ("以下空白", "以下空白"),
        ("-- 以下空白 --", "以下空白"),
        ("打印时间：2024-05-01 10:00", "打印时间"),
        ("第１页 共３页", "页码"),  # full-width digits, as a Chinese input method types them
        ("第　1　页　共　3　页", "页码"),  # ideographic spaces
        ("共３页／第１页", "页码"),
        ("导出时间：2024-05-01", "导出时间"),
    ],
)
def test_a_printed_export_s_page_mark_is_a_notes_row_not_a_malformed_id(tmp_path, cell, word):
    """An export printed page by page writes 第1页 共3页 under each page, a form 以下空白 ("blank below") under its
    last line, a system 打印时间：… at the foot: each was refused as "ID number '******' is not 18 characters", a
    masked malformed ID number the clerk could not place, where the row is no record."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    tables["household"] = [*rows[:10], {**dict.fromkeys(rows[0], ""), "公民身份号码": cell}, *rows[10:]]
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
    assert [(q.row, q.value, q.reason) for q in report.quarantine] == [(12, cell, f"notes row ({word}), not a record")]
    household = next(f for f in report.files if f.file == "household.csv")
    assert household.reconciles and (household.read, household.loaded) == (len(rows) + 1, len(rows))


# ----------------------------------------------------------------- an old .xls with a filter set
def _xls_filter(ws, columns: int) -> None:
    """Give an xlwt sheet the records Excel writes for a filter set on it (筛选): FILTERMODE (rows are filtered),
    AUTOFILTERINFO (the buttons over ``columns`` columns) and an AUTOFILTER condition on the third column; xlwt
    writes none of them."""
    import struct

    write = ws.get_biff_data

    def with_filter() -> bytes:
        data = write()
        at = 4 + struct.unpack_from("<H", data, 2)[0]  # after the sheet's BOF
        cond = struct.pack("<HH", 2, 0) + bytes(20)  # column 2, no condition flags: its values listed
        extra = struct.pack("<HH", 0x9B, 0) + struct.pack("<HHH", 0x9D, 2, columns)
        return data[:at] + extra + struct.pack("<HH", 0x9E, len(cond)) + cond + data[at:]

    ws.get_biff_data = with_filter


@pytest.mark.parametrize("filtered", [False, True])
def test_rows_an_old_excel_xls_filters_out_are_named_as_filtered_not_hidden(tmp_path, filtered):
    """A clerk filters a legacy .xls to 男 before saving: the rows the filter leaves out were named as rows "hidden in
    Excel: unhide them", where the officer must clear the filter (筛选) to see them, as an .xlsx's note says."""
    import xlwt

    rows = TABLES["household"]
    head = list(rows[0])
    wb = xlwt.Workbook()
    ws = wb.add_sheet("户籍")
    for j, h in enumerate(head):
        ws.write(0, j, h)
    for i, r in enumerate(rows, 1):
        for j, h in enumerate(head):
            ws.write(i, j, r[h])
    hide = [3, 5]
    for r in hide:
        ws.row(r - 1).hidden = True
    if filtered:
        _xls_filter(ws, len(head))
    folder = tmp_path / "c"
    folder.mkdir()
    wb.save(str(folder / "household.xls"))
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
    (f,) = report.files
    assert (f.read, f.loaded, f.hidden, f.filtered) == (len(rows), len(rows), hide, filtered)
    how = "filtered out or hidden" if filtered else "hidden"
    assert [x for x in f.notes() if "row(s)" in x] == [
        f"household.xls: 2 row(s) {how} in Excel were read as every other row (rows 3 and 5)"
        + ("; the sheet has a filter set (筛选): clear it" if filtered else ": unhide them")
        + " to see every row the file holds"
    ]


def test_an_old_excel_xls_sheet_is_parsed_once_by_one_reader(tmp_path, monkeypatch):
    """Reading a sheet of a legacy .xls parsed the file twice: python-calamine for its cells, then xlrd for what
    calamine does not say (cell formats, hidden rows, the date system, a filter). xlrd alone reads it now, once, and
    the cells read as they did: text, numbers, dates, a time of day, a share shown as 60% and a merged cell."""
    import python_calamine
    import xlrd
    import xlwt

    from loaders.contracts import load_contracts
    from loaders.read import read_table

    opened: list[str] = []
    real_open, real_book = xlrd.open_workbook, python_calamine.CalamineWorkbook

    class Counted:
        @staticmethod
        def from_path(path):
            opened.append("calamine")
            return real_book.from_path(path)

    monkeypatch.setattr(xlrd, "open_workbook", lambda *a, **k: opened.append("xlrd") or real_open(*a, **k))
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Counted)
    first, second = TABLES["shareholders"]
    wb = xlwt.Workbook()
    ws = wb.add_sheet("股东")
    for j, h in enumerate(["统一社会信用代码", "股东类型", "股东证照号码", "持股比例(%)", "登记时间", "备注"]):
        ws.write(0, j, h)
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for i, (r, v) in enumerate([(first, 0.6), (second, 40)], 1):
        for j, k in enumerate(["credit_code", "holder_type", "holder_id"]):
            ws.write(i, j, r[k])
        ws.write(i, 3, v, xlwt.easyxf(num_format_str="0%") if i == 1 else xlwt.Style.default_style)
        ws.write(i, 4, datetime(2024, 5, 1, 8, 30), day)
    ws.write_merge(1, 2, 5, 5, "同一笔登记")
    path = tmp_path / "shareholders.xls"
    wb.save(str(path))
    rt = read_table(path, load_contracts()["shareholders"])
    assert opened == ["xlrd"]
    assert rt.table.to_pylist() == [
        {
            "统一社会信用代码": r["credit_code"],
            "股东类型": r["holder_type"],
            "股东证照号码": r["holder_id"],
            "持股比例(%)": share,
            "登记时间": "2024-05-01 08:30:00",
            "备注": "同一笔登记",
        }
        for r, share in ((first, "60"), (second, "40"))
    ]
    # a full load parses it once too: it listed the sheets and found the header by python-calamine (which may see
    # other sheets and rows than xlrd: a sheet's visibility, a date cell), then xlrd read the rows, three parses
    # and its cells are converted once (the two 登记时间 date cells), where the listing, the header and the read of
    # the kept book had each converted the whole sheet again
    opened.clear()
    dated: list[float] = []
    real_date = xlrd.xldate.xldate_as_datetime
    monkeypatch.setattr(xlrd.xldate, "xldate_as_datetime", lambda v, m: dated.append(v) or real_date(v, m))
    folder = tmp_path / "c"
    folder.mkdir()
    path.rename(folder / path.name)
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
    assert [f.read for f in report.files] == [2] and opened == ["xlrd"] and len(dated) == 2


# ----------------------------------------------------------------- a share written as a fraction of one
def _load_shares(tmp_path, percents: list[str], parquet: bool = False):
    """The fixture city with its two shareholders' 持股比例 written as ``percents`` (CSV, or Parquet floats): the
    load's report and the stored shares by holder and company."""
    tables = copy.deepcopy(TABLES)
    tables["shareholders"] = [{**r, "percent": p} for r, p in zip(tables["shareholders"], percents, strict=True)]
    folder = write_city(tmp_path / "c", tables)
    if parquet:
        frame = pd.read_csv(folder / "shareholders.csv", dtype=str)
        frame["percent"] = [float(p) for p in percents]
        (folder / "shareholders.csv").unlink()
        frame.to_parquet(folder / "shareholders.parquet")
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(folder, s)
        got = s.run("MATCH (h)-[r:SHAREHOLDER_OF]->(c) RETURN h.id AS h, c.id AS c, r.percent AS x")
    return report, {(h, c): x for h, c, x in zip(got["h"], got["c"], got["x"], strict=True)}


@pytest.mark.parametrize("parquet", [False, True])
def test_shares_written_as_fractions_of_one_are_read_as_percentages_and_said(tmp_path, parquet):
    """A registry system that keeps a share as a fraction exports 0.6 for 60 %: every share loaded a hundred times too
    small with nothing said (CSV and Parquet; a workbook's percent-formatted cells were already read). A column with
    no value above 1 writes fractions: read × 100, and a note says so."""
    from loaders.words import load_zh

    first, second = TABLES["shareholders"]
    report, got = _load_shares(tmp_path, ["0.6", "0.4"], parquet)
    assert report.quarantine == [] and report.dropped == []
    assert got == {(first["holder_id"], first["credit_code"]): 60.0, (second["holder_id"], second["credit_code"]): 40.0}
    name = "shareholders.parquet" if parquet else "shareholders.csv"
    (f,) = [f for f in report.files if f.file == name]
    said = f"{name}: percent read as fractions of one (2 value(s): 0.6 is 60 %), no value in the column being above 1"
    assert said in f.notes()
    assert load_zh(said) == f"{name}：percent 按小数读取（2 个值：0.6 即 60%），该列没有大于 1 的值"


def test_a_share_column_that_mixes_fractions_and_percentages_refuses_the_fraction_not_guessed(tmp_path):
    """Two exports joined: 60 beside 0.4 for the same company (40 % written as a fraction). Read as written the second
    holder had 0.4 %; the column writes both forms, so 0.4 reads two ways and is left out at its cell, the holder's
    link kept; a holder of 0.5 % beside one of 99.5 % (the company's shares add up to 100) is a percentage."""
    from loaders.words import load_zh

    first, second = TABLES["shareholders"]
    report, got = _load_shares(tmp_path, ["60", "0.4"])
    why = (
        "0.4 reads two ways in a column that also writes percentages above 1 (such as 60): 0.4 % or, as a fraction "
        "of one, 40 %; not guessed"
    )
    assert report.quarantine == [] and [(d.file, d.row, d.value, d.reason) for d in report.dropped] == [
        ("shareholders.csv", 3, "0.4", why)
    ]
    assert got[(first["holder_id"], first["credit_code"])] == 60.0
    assert pd.isna(got[(second["holder_id"], second["credit_code"])])
    assert load_zh(why) == "0.4 有两种读法（该列也写有大于 1 的百分数，如 60）：0.4%，或按小数读作 40%；不作猜测"
    report, got = _load_shares(tmp_path / "sum", ["99.5", "0.5"])
    assert report.dropped == [] and sorted(got.values()) == [0.5, 99.5]


# ----------------------------------------------------------------- a date with its zone or its weekday
def test_a_time_with_its_zone_or_a_date_with_its_weekday_is_read(tmp_path):
    """A system's API export writes 2024-10-01T02:00:00Z (UTC) or 2024-03-04T09:10:00+08:00, a clerk's sheet
    2024年3月4日 星期一: each was refused as not a date-time, the fuel transaction lost (and the holiday model blind
    to it). A time with its zone is read in Beijing time, the time the departments' other times are in; a weekday
    that is the date's own is left out; one that is not (星期三 beside a Monday) is refused, not guessed."""
    from loaders.words import load_zh

    tables = copy.deepcopy(TABLES)
    f1, f2 = tables["fuel_transactions"]
    forms = ["2024-03-04T09:10:00+08:00", "2024年3月4日 星期一 09:10", "2024-03-04 (周一) 09:10:00"]
    tables["fuel_transactions"] = [
        *({**f1, "txn_id": f"F1{k}", "time": t} for k, t in enumerate(forms)),
        {**f2, "time": "2024-10-01T02:00:00Z"},  # 10:00 in Beijing, on the National Day holiday
        {**f1, "txn_id": "F9", "time": "2024年3月4日 星期三 09:10"},
    ]
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH (t:FuelTransaction) RETURN t.id AS id, t.time AS t")
    times = {i: str(t) for i, t in zip(got["id"], got["t"], strict=True)}
    assert times == {
        "F10": "2024-03-04 09:10:00",
        "F11": "2024-03-04 09:10:00",
        "F12": "2024-03-04 09:10:00",
        "F2": "2024-10-01 10:00:00",
    }
    why = (
        "2024年3月4日 星期三 09:10: 2024-03-04 is a Monday (星期一), not the 星期三 written beside it: the date or the "
        "weekday is wrong, not guessed"
    )
    assert [(q.file, q.row, q.reason) for q in report.quarantine] == [("fuel_transactions.csv", 6, why)]
    assert load_zh(why) == (
        "2024年3月4日 星期三 09:10：2024-03-04 是星期一，不是旁边写的星期三：日期或星期写错了，不作猜测"
    )
    # the time moved from UTC to Beijing's is said once for its column (it was converted with nothing said); the
    # +08:00 one, read as written, is not
    (fuel,) = [f for f in report.files if f.file == "fuel_transactions.csv"]
    zoned = [n for n in fuel.notes() if "time zone" in n]
    assert zoned == [
        "fuel_transactions.csv: 1 time(s) written in another time zone (…Z, +00:00) read in Beijing time (UTC+8): "
        "time 1"
    ]
    assert (
        load_zh(zoned[0])
        == "fuel_transactions.csv：1 个以其他时区写的时间（…Z、+00:00）已换算为北京时间（UTC+8）：time 1"
    )


# ----------------------------------------------------------------- a cell whose formula failed
def test_a_cell_whose_formula_failed_is_no_value_not_a_shared_address(tmp_path):
    """A household sheet whose 住址 was filled by a lookup formula into a sheet since deleted: Excel shows (and saves to
    CSV) #REF! in every such cell. Read as text, #REF! was an address: the two persons "lived at the same address",
    a link the investigator's path search and the collusion screens take for a real one. A formula's error is left
    out at its cell with why (a required value refuses its row), never loaded as a value; so is the ######## Excel
    shows of a date too wide for its column (it had been "not a date (########)", the cause unsaid)."""
    from loaders.words import load_zh

    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    rows[2]["住址"] = "#REF!"
    rows[3]["住址"] = "#REF!"
    rows[4]["出生日期"] = "########"  # a date in a column too narrow, saved as Excel showed it
    rows[5]["联系电话"] = "#VALUE!"
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        shared = s.run("MATCH (a:Address) WHERE a.full STARTS WITH '#' RETURN count(a) AS n")["n"][0]
        phones = s.run("MATCH (p:Phone) WHERE p.id STARTS WITH '#' RETURN count(p) AS n")["n"][0]
    why = (
        "Excel formula error {v}: the formula that filled this cell failed, so the file holds no value here; correct "
        "it in the workbook and save again"
    )
    hashes = (
        "######## is what Excel shows of a number or a date too wide for its column, and the file was saved as shown: "
        "its value is lost; widen the column in the workbook and save again"
    )
    assert (shared, phones, report.quarantine) == (0, 0, [])
    assert [(d.file, d.row, d.value, d.reason) for d in report.dropped if d.file == "household.csv"] == [
        ("household.csv", 4, "#REF!", why.format(v="#REF!")),
        ("household.csv", 5, "#REF!", why.format(v="#REF!")),
        ("household.csv", 6, "########", hashes),
        ("household.csv", 7, "#VALUE!", why.format(v="#VALUE!")),
    ]
    assert load_zh(why.format(v="#REF!")) == (
        "Excel 公式错误（#REF!）：填写该单元格的公式出错，文件中此处没有值；请在工作簿中改正后重新保存"
    )


# ----------------------------------------------------------------- a time on a twelve-hour clock
@pytest.mark.parametrize(
    ("written", "want"),
    [
        ("2024/3/4 上午9:10", "2024-03-04 09:10:00"),
        ("2024/3/4 下午1:05", "2024-03-04 13:05:00"),
        ("2024年3月4日 下午1时05分", "2024-03-04 13:05:00"),
        ("2024-03-04 1:05:00 PM", "2024-03-04 13:05:00"),
        ("2024-03-04 12:30 AM", "2024-03-04 00:30:00"),
        ("2024/3/4 中午12:10", "2024-03-04 12:10:00"),
    ],
)
def test_a_time_on_a_twelve_hour_clock_is_read(tmp_path, written, want):
    """Chinese Excel's built-in date-time formats show 2024/3/4 下午1:05 (上午/下午h:mm) and save a CSV so; a system
    in English writes 1:05:00 PM. Each was refused as not a date-time, the fuel transaction lost."""
    tables = copy.deepcopy(TABLES)
    tables["fuel_transactions"][0]["time"] = written
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH (t:FuelTransaction) WHERE t.id = 'F1' RETURN t.time AS t")
    assert report.quarantine == [] and str(got["t"][0]) == want


# ----------------------------------------------------------------- a time as a system's database keeps it
@pytest.mark.parametrize("unit", [1, 1000])
def test_a_time_kept_as_seconds_since_1970_is_read_in_beijing_time(tmp_path, unit):
    """A vehicle-monitoring platform exports a GPS stop's time as its database keeps it, seconds (or milliseconds)
    since 1970: 1727841600 for 12:00 on 2 October 2024 in Beijing. It was refused as not a date-time, the stop at a
    hotel on a holiday lost to the sensitive-place model."""
    from datetime import UTC

    tables = copy.deepcopy(TABLES)
    noon = datetime(2024, 10, 2, 4, tzinfo=UTC)  # 12:00 in Beijing
    tables["gps_stops"][0]["time"] = str(int(noon.timestamp()) * unit)
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        got = s.run("MATCH ()-[r:STOPPED_AT]->() RETURN r.time AS t")
    assert report.quarantine == [] and [str(t) for t in got["t"]] == ["2024-10-02 12:00:00"]


# ----------------------------------------------------------------- a template's marks after its headers
def test_a_template_s_required_mark_in_a_bracket_after_an_amount_s_header_is_no_unit(tmp_path):
    """The commission's own import template heads each column with its mark, 支付流水号（必填）, 用途（选填）,
    金额（元）（必填）: the bracket after 金额 was read as its unit, 必填 no money unit, so the payments' amount column
    was "a unit that is not one of 元, 万元 …" and the load stopped (金额（必填） alike). A template's mark in a bracket
    is no unit and no part of the name."""
    from loaders.contracts import load_contracts

    src = load_contracts()["payments"]
    tables = copy.deepcopy(TABLES)
    mark = {"amount": "金额（元）（必填）", "purpose": "用途（选填）"}
    heads = {k: mark.get(k, f"{src.columns[k].zh}（必填）") for k in tables["payments"][0]}
    tables["payments"] = [{heads[k]: v for k, v in r.items()} for r in tables["payments"]]
    with EmbeddedStore(tmp_path / "g.db") as s:
        report, _ = load_dir(write_city(tmp_path / "c", tables), s)
        paid = s.run("MATCH (p:Payment) RETURN p.amount AS a")
    payments = next(f for f in report.files if f.file == "payments.csv")
    assert report.quarantine == [] and payments.unread == [] and payments.loaded == len(TABLES["payments"])
    assert paid["a"].tolist() == [float(r["amount"]) for r in TABLES["payments"]]
