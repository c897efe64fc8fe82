"""``graphkit load --as SOURCE=FILE --column SOURCE.HEADER=FIELD``: a department's file whose name and header words
graphkit does not know (the civil-servant roster exported with 身份号码, 人员姓名, 工作单位) was skipped, and there was
no way to say what it is."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest
from fixture_city import P1, TABLES, write_city

from graphkit.stores.embedded import EmbeddedStore

#: the roster's columns as an organisation department heads them (人员姓名, 工作单位: words no contract has)
THEIR_HEADERS = {
    "id_number": "身份号码",
    "name": "人员姓名",
    "unit_id": "工作单位",
    "post": "职务",
    "rank": "职级",
    "role": "人员类别",
    "start_date": "任职日期",
    "end_date": "离任日期",
}
MAPPING = ["--column", "roster.人员姓名=name", "--column", "roster.工作单位=unit_id"]


def counts(db: Path) -> dict:
    with EmbeddedStore(db, read_only=True) as s:
        return s.counts()


def their_roster(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(THEIR_HEADERS.values())
        for r in rows:
            w.writerow([r[k] for k in THEIR_HEADERS])
    return path


def without_roster(folder: Path) -> Path:
    return write_city(folder, {k: v for k, v in TABLES.items() if k != "roster"})


def test_a_roster_with_other_header_words_loads_as_said_and_the_console_says_how(tmp_path, cli, monkeypatch):
    """The walkthrough's roster, 公务员名册.csv with 身份号码 / 人员姓名 / 工作单位, kept outside the city's folder:
    with ``--as roster=FILE`` and the two headers mapped it loads as roster.csv does (same counts), and the console
    names the table it was read as and the headers mapped."""
    monkeypatch.setenv("GRAPHKIT_LANG", "en")  # the load console's English words
    ref = write_city(tmp_path / "ref")
    city = without_roster(tmp_path / "city")
    theirs = their_roster(tmp_path / "组织部" / "公务员名册.csv", TABLES["roster"])
    r1 = cli("load", ref, "--store", f"embedded:{tmp_path / 'a.db'}")
    r2 = cli(
        "load", city, "--store", f"embedded:{tmp_path / 'b.db'}", "--as", f"roster={theirs}", *MAPPING,
        "--report", tmp_path / "r.json",
    )  # fmt: skip
    assert r1.exit_code == 0 and r2.exit_code == 0, r2.output
    assert counts(tmp_path / "a.db") == counts(tmp_path / "b.db")
    assert f"note: 公务员名册.csv: read as the roster table (--as roster={theirs})" in r2.output
    assert "note: 公务员名册.csv: header(s) read as mapped (--column): 人员姓名 → name, 工作单位 → unit_id" in r2.output
    rep = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    (f,) = [f for f in rep["files"] if f["source"] == "roster"]
    assert (f["file"], f["read"], f["loaded"], f["quarantined"]) == ("公务员名册.csv", 3, 3, 0)
    assert f["mapped"] == {"人员姓名": "name", "工作单位": "unit_id"} and f["named_as"] == f"--as roster={theirs}"
    # the load's audit record keeps how the file was read (it listed the files alone)
    log = [json.loads(x) for x in (tmp_path / "b.db.audit.jsonl").read_text(encoding="utf-8").splitlines()]
    load = next(r for r in reversed(log) if r["command"] == "load")
    assert load["params"]["as"] == [f"roster={theirs}"]
    assert load["params"]["column"] == ["roster.人员姓名=name", "roster.工作单位=unit_id"]


def test_a_mapped_file_still_validates_quarantines_and_reconciles(tmp_path, cli, monkeypatch):
    """Rows of a mapped file are checked as any roster's: a wrong check digit is quarantined under the file's
    own header (身份号码), masked on the console; a name that is not the person's is refused; read = loaded +
    quarantined."""
    monkeypatch.setenv("GRAPHKIT_LANG", "en")  # the load console's English words
    rows = copy.deepcopy(TABLES["roster"])
    rows[0]["id_number"] = P1[:-1] + ("0" if P1[-1] != "0" else "1")
    rows[1]["name"] = "王刚"  # 王强's number under another name
    city = without_roster(tmp_path / "city")
    theirs = their_roster(city / "公务员名册.csv", rows)  # in the folder: read once, as --as says
    r = cli(
        "load", city, "--store", f"embedded:{tmp_path / 'g.db'}", "--as", f"roster={theirs}", *MAPPING,
        "--report", tmp_path / "r.json",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    rep = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    (f,) = [f for f in rep["files"] if f["source"] == "roster"]
    assert (f["read"], f["loaded"], f["quarantined"]) == (3, 1, 2)
    assert all(g["read"] == g["loaded"] + g["quarantined"] for g in rep["files"])
    assert "公务员名册.csv line 2, column 身份号码: ID number" in r.output and P1[:-1] not in r.output
    assert "公务员名册.csv line 3, column 人员姓名" in r.output
    with (tmp_path / "g.db.quarantine.csv").open(encoding="utf-8-sig") as fh:
        assert [(q["line"], q["column"]) for q in csv.DictReader(fh)] == [("2", "身份号码"), ("3", "人员姓名")]


def test_header_mappings_alone_let_a_folder_s_file_be_read_by_its_headers(tmp_path, cli, monkeypatch):
    """Without ``--as``, the mapped headers count when a file is matched by its headers: the roster in the folder
    is read as the roster, where it was skipped; without the mapping it still is skipped."""
    monkeypatch.setenv("GRAPHKIT_LANG", "en")  # the load console's English words
    city = without_roster(tmp_path / "city")
    their_roster(city / "公务员名册.csv", TABLES["roster"])
    before = cli("load", city, "--store", f"embedded:{tmp_path / 'a.db'}")
    assert "skipped 公务员名册.csv: neither its name nor its headers match a source table" in before.output
    assert "--as roster=FILE" in before.output  # the skip says how to read it
    r = cli("load", city, "--store", f"embedded:{tmp_path / 'b.db'}", *MAPPING)
    assert r.exit_code == 0, r.output
    assert "note: 公务员名册.csv: read as the roster table by its headers" in r.output
    assert "skipped" not in r.output
    ref = write_city(tmp_path / "ref")
    assert cli("load", ref, "--store", f"embedded:{tmp_path / 'c.db'}").exit_code == 0
    assert counts(tmp_path / "b.db") == counts(tmp_path / "c.db") != counts(tmp_path / "a.db")


def test_as_without_the_mapping_names_the_missing_column_and_how_to_map_it(tmp_path, cli):
    theirs = their_roster(tmp_path / "公务员名册.csv", TABLES["roster"])
    r = cli("load", "--store", f"embedded:{tmp_path / 'g.db'}", "--as", f"roster={theirs}")
    assert r.exit_code == 2
    assert "缺少必需的列 unit_id（单位代码）" in r.output, r.output
    assert "请用 --column roster.表头=unit_id 指明（表头写该列的列名）" in r.output
    assert not (tmp_path / "g.db").exists()
    r = cli("load", "--store", f"embedded:{tmp_path / 'g.db'}", "--as", f"roster={theirs}", "--lang", "en")
    assert "required column 'unit_id' (单位代码) is missing" in r.output
    assert "say which: --column roster.HEADER=unit_id" in r.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--column", "rostr.工作单位=unit_id"], "no source table 'rostr'; the source tables are household, "),
        (["--column", "roster.工作单位=unit"], "no column 'unit' (for header '工作单位'); its columns are id_number"),
        (["--column", "roster工作单位=unit_id"], "write SOURCE.HEADER=FIELD"),
        (["--as", "rostr={f}"], "no source table 'rostr'; the source tables are household, "),
        (["--as", "roster={f}.xlsx"], "no such file"),
    ],
)
def test_a_mapping_naming_no_table_or_column_is_refused_with_those_there_are(tmp_path, cli, args, said, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_LANG", "en")  # the refusals' English (their Chinese: test_errors_zh)
    f = their_roster(tmp_path / "公务员名册.csv", TABLES["roster"])
    r = cli("load", "--store", f"embedded:{tmp_path / 'g.db'}", *(a.format(f=f) for a in args))
    assert r.exit_code == 2 and said in " ".join(r.output.split()), r.output
    assert not (tmp_path / "g.db").exists()


def test_a_column_mapping_no_file_uses_is_a_warning(tmp_path, cli, monkeypatch):
    """A header mapped with a typo would leave its column unread, unsaid: it is a warning (``--strict`` fails)."""
    monkeypatch.setenv("GRAPHKIT_LANG", "en")  # the load console's English words
    city = write_city(tmp_path / "city")
    r = cli("load", city, "--store", f"embedded:{tmp_path / 'g.db'}", "--column", "roster.所在单位=unit_id", "--strict")
    assert r.exit_code == 3
    assert "warning: --column roster.所在单位=unit_id: no roster file read has a header 所在单位" in r.output


def test_map_headers_reads_a_field_by_its_name_or_chinese_header_and_takes_precedence():
    from loaders.contracts import MappingError, load_contracts, map_headers

    m = map_headers(["roster.工作单位=单位代码", "roster．人员姓名＝name"])  # full-width, as a Chinese IME types them
    roster = m["roster"]
    assert roster.headers == (("工作单位", "unit_id"), ("人员姓名", "name"))
    assert roster.match_header("工作单位") == ("unit_id", 1.0) and roster.mapped("工作单位") == ("工作单位", "unit_id")
    assert roster.match_header("公民身份号码") == ("id_number", 1.0) and roster.mapped("公民身份号码") is None
    assert load_contracts()["roster"].match_header("工作单位") is None  # the contracts themselves are unchanged
    with pytest.raises(MappingError, match="mapped twice"):
        map_headers(["roster.工作单位=unit_id", "roster.工作单位=name"])


def test_a_roster_loaded_alone_into_an_empty_store_says_which_table_makes_its_persons(tmp_path, cli):
    """A newcomer loads the roster first, alone (``--as roster=公务员名册.csv``), into a new store: every row was
    refused as 未知的自然人 …（其来源表和库中都没有）, 0 loaded, and nothing said that persons are made by the
    household table (户籍人口信息) that must be loaded first or with it. Each refusal now says so, on the console
    in Chinese and in the quarantine file in the loader's English; the roster then loads once household is in."""
    theirs = their_roster(tmp_path / "组织部" / "公务员名册.csv", TABLES["roster"])
    db = tmp_path / "g.db"
    r = cli("load", "--store", f"embedded:{db}", "--as", f"roster={theirs}", *MAPPING)
    assert r.exit_code == 3, r.output  # nothing of the roster loaded: exit 3 (it was 0), the file and quarantine named
    assert "错误：公务员名册.csv 的 3 行全部被隔离，一行也没有加载（见 " in r.output
    hint = "库中还没有任何自然人：先加载 household 表（户籍人口信息），或与本表一起加载"
    refused = [line for line in r.output.splitlines() if "未知的自然人" in line]
    assert len(refused) == min(len(TABLES["roster"]), 20) and all(hint in line for line in refused), r.output
    with (tmp_path / "g.db.quarantine.csv").open(encoding="utf-8-sig") as fh:
        reasons = [q["reason"] for q in csv.DictReader(fh)]
    assert len(reasons) == len(TABLES["roster"])
    assert all("no Person is loaded yet: load household first, or with this file" in x for x in reasons), reasons
    # the units are missing too, but a row is refused at its first fault (the person): the hint names household;
    # once persons exist, the hint is not given (a person missing from a loaded household is a fault of the row)
    city = write_city(tmp_path / "city", {k: v for k, v in TABLES.items() if k in ("household",)})
    assert cli("load", city, "--store", f"embedded:{db}").exit_code == 0
    r = cli("load", "--store", f"embedded:{db}", "--as", f"roster={theirs}", *MAPPING)
    assert r.exit_code == 3, r.output  # still no unit: nothing of the roster loaded
    assert "未知的单位" in r.output and "库中还没有任何单位：先加载 units 表（机关事业单位名录）" in r.output, r.output
    assert "库中还没有任何自然人" not in r.output
