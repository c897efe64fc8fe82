"""loaders.bids reads bid tables as the department loaders read theirs: any encoding, broken lines
quarantined with their line, Excel-mangled tender ids refused, counts reconciled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.cli.collusion import read_scores
from loaders.bids import TENDER_ID_DIGITS_LOST, LoadError, read_bids

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


@pytest.mark.parametrize("end", ["\n", ""])
def test_a_quote_never_closed_on_the_last_line_is_quarantined_not_read(tmp_path, end):
    """The fast reader took the final line break into the open value and kept the row ('110\\n' read as 110)."""
    p = tmp_path / "last.csv"
    p.write_text('Tender,Bid_value\nA,100\nA,103\nA,"110' + end, encoding="utf-8")
    t = read_bids(p)
    assert t.report.totals() == {"read": 3, "loaded": 2, "quarantined": 1}
    assert [(q.row, "quote" in q.reason) for q in t.report.quarantine] == [(4, True)]


def test_score_bids_masks_a_phone_number_in_a_broken_line(tmp_path):
    p = tmp_path / "b.csv"
    p.write_text('Tender,Bid_value,Competitors\nA,100,f1\nA,103,f2\nB,"50,13812345678\nB,55,f2\nB,60,f3\n')
    r = CliRunner().invoke(main, ["collusion", "score-bids", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    assert "b.csv 第 4 行：引号不成对" in r.output  # in Chinese, by default
    assert "13812345678" not in r.output and "138****5678" in r.output
    assert "13812345678" in (tmp_path / "o.csv.quarantine.csv").read_text(encoding="utf-8-sig")  # kept as read


def test_a_semicolon_file_is_refused_with_the_separator_named(tmp_path):
    from loaders.bids import LoadError

    p = tmp_path / "semi.csv"
    p.write_text("Tender;Bid_value\nA;100\nA;103\n", encoding="utf-8")
    with pytest.raises(LoadError, match="separated by ';': save it as comma-separated CSV"):
        read_bids(p)


def test_bid_values_read_as_the_department_loaders_read_amounts(tmp_path):
    p = tmp_path / "forms.csv"
    p.write_text(
        'Tender,Bid_value\nA,"1,234"\nA,"1.234,56"\nA,"1234,5"\nA,￥1200.50\nA,１２００元\nA,"1，300"\nA,0.13万元\n'
        "A,１３００\nA,１２３４．５\n",  # full-width digits alone: once a crash (pandas cannot read them)
        encoding="utf-8",
    )
    t = read_bids(p)
    assert list(t.bids["bid"]) == [1234.0, 1234.56, 1234.5, 1200.5, 1200.0, 1300.0, 1300.0, 1300.0, 1234.5]


def _dated(tmp_path, dates: list[str]):
    """ROWS' tenders and bids with ``dates`` in a ``Date`` column, as a CSV file."""
    p = tmp_path / "bids.csv"
    rows = [(t, b, d) for (t, b, _), d in zip(ROWS, dates, strict=True)]
    pd.DataFrame(rows, columns=["Tender", "Bid_value", "Date"]).to_csv(p, index=False)
    return p


DATES = {  # one day written as departments and other systems write it: every form is the same day
    "iso": ("2003-04-17", "2003-04-18"),
    "slashes": ("2003/4/17", "2003/4/18"),
    "chinese": ("2003年4月17日", "2003年04月18日"),
    "full-width": ("２００３－０４－１７", "２００３－０４－１８"),
    "compact": ("20030417", "20030418"),
    "with a time": ("2003-04-17 00:00:00", "2003年4月18日 0:00"),
    "english": ("Apr 17, 2003", "Apr 18, 2003"),
}


@pytest.mark.parametrize("form", list(DATES))
def test_a_tender_date_reads_the_same_in_every_form(tmp_path, form):
    """The period context reads dates: a commission's file with 2003年4月17日 or 20030417 must not lose them."""
    p = tmp_path / "bids.csv"
    first, second = DATES[form]
    rows = [(t, b, d) for (t, b, _), d in zip(ROWS, [first, first, first, second, second], strict=True)]
    pd.DataFrame(rows, columns=["标段编号", "投标报价", "开标日期"]).to_csv(p, index=False, encoding="gbk")
    t = read_bids(p, market="m")
    assert not t.warnings
    day = pd.Timestamp("2003-04-17").timestamp()
    assert list(t.bids["date"]) == [day, day, day, day + 86_400, day + 86_400]


def test_eight_digit_numbers_are_dates_only_when_every_one_is_a_calendar_date(tmp_path):
    dates = ["20030417", "20030417", "20030417", "20031341", "20031341"]
    p = _dated(tmp_path, dates)
    assert list(read_bids(p, market="m").bids["date"]) == [20030417.0] * 3 + [20031341.0] * 2  # a count, as given


def test_dates_with_time_zones_do_not_stop_the_reader(tmp_path):
    dates = ["2003-04-17T10:00:00Z", "2003-04-17 18:00:00+08:00", "2003-04-17T10:00:00Z", "not a date", ""]
    p = _dated(tmp_path, dates)
    t = read_bids(p, market="m")
    # one instant, read in Beijing time as the department loaders read a time with its zone (it was read in UTC)
    six = pd.Timestamp("2003-04-17 18:00").timestamp()
    assert list(t.bids["date"])[:3] == [six, six, six]
    assert t.warnings == {(p.name, "Date", "not a date"): 1}  # the empty cell is no date, not a bad one


def test_a_winner_column_of_words_is_read_not_lost(tmp_path):
    """是/否 and 中标/未中标 are what a Chinese table writes; a word that is neither is counted, not lost silently."""
    p = tmp_path / "bids.csv"
    won = ["是", "否", "未中标", "中标", "待定"]
    rows = [(t, b, w) for (t, b, _), w in zip(ROWS, won, strict=True)]
    pd.DataFrame(rows, columns=["标段编号", "投标报价", "是否中标"]).to_csv(p, index=False, encoding="gbk")
    t = read_bids(p, market="m")
    assert t.bids["winner"].tolist()[:4] == [1.0, 0.0, 0.0, 1.0]
    assert pd.isna(t.bids["winner"].iloc[4])
    assert sum(t.warnings.values()) == 1 and all(k[1] == "是否中标" for k in t.warnings)  # the file's header


def test_the_japanese_market_as_a_chinese_commission_sends_it_scores_the_same(tmp_path):
    """The shared Japanese file rewritten with Chinese headers, GBK, dates as 2003年04月17日 and winners as 是/否:
    score-bids reads the dates (period context), the estimate and the winners, and gives every tender the same
    risk as from the original file."""
    from collusion_data import MARKET_FILES, SHARED_MARKETS

    src = SHARED_MARKETS / MARKET_FILES["Japan"]
    if not src.exists():
        pytest.skip(f"shared labelled markets not found at {SHARED_MARKETS}")
    d = pd.read_csv(src)
    keep = ["Tender", "Date", "Competitors", "Winner", "Bid_value", "Pre-Tender Estimate (PTE)"]
    d[keep].to_csv(tmp_path / "jp.csv", index=False)
    cn = d[keep].rename(
        columns={
            "Tender": "标段编号",
            "Date": "开标日期",
            "Competitors": "投标单位",
            "Winner": "是否中标",
            "Bid_value": "投标报价",
            "Pre-Tender Estimate (PTE)": "控制价",
        }
    )
    cn["开标日期"] = pd.to_datetime(d["Date"], unit="s").dt.strftime("%Y年%m月%d日")
    cn["是否中标"] = np.where(d["Winner"] == 1, "是", "否")
    cn.to_csv(tmp_path / "jp_cn.csv", index=False, encoding="gbk")
    out = {}
    for name in ("jp", "jp_cn"):
        res = CliRunner().invoke(
            main,
            [
                "collusion",
                "score-bids",
                "--lang",
                "en",
                str(tmp_path / f"{name}.csv"),
                "--out",
                str(tmp_path / f"{name}_o.csv"),
            ],
        )
        assert res.exit_code == 0, res.output
        assert "not a date" not in res.output and "within half a year of it (dates)" in res.output
        out[name] = pd.read_csv(tmp_path / f"{name}_o.csv").set_index("tender").sort_index()
    assert len(out["jp"]) == 1080
    pd.testing.assert_series_equal(out["jp"]["risk"], out["jp_cn"]["risk"])
    pd.testing.assert_series_equal(out["jp"]["flagged"], out["jp_cn"]["flagged"])


def test_one_firm_written_two_ways_is_one_bidder(tmp_path):
    """Full-width brackets and digits, spaces between characters: the same firm, so its tenders are linked."""
    p = tmp_path / "bids.csv"
    rows = [
        ("1", "100", "中铁（北京）建设有限公司"),
        ("1", "104", "乙建设 有限公司"),
        ("2", "200", "中铁(北京)建设有限公司"),
        ("2", "205", "乙建设有限公司"),
        ("2", "210", "丙公司１号"),
        ("2", "215", ""),
    ]
    pd.DataFrame(rows, columns=["标段编号", "投标报价", "投标单位"]).to_csv(p, index=False, encoding="gbk")
    b = read_bids(p, market="m").bids["bidder"].tolist()
    assert b[0] == b[2] == "中铁(北京)建设有限公司" and b[1] == b[3] == "乙建设有限公司"
    assert b[4] == "丙公司1号" and pd.isna(b[5])


def test_headers_with_their_unit_are_read_and_the_unit_applied(tmp_path):
    """投标报价（万元） beside 控制价(元): bids in ten-thousands of yuan, the winner-to-estimate ratio kept."""
    p = tmp_path / "bids.csv"
    rows = [("1", "95.5", "1000000"), ("1", "98", "1000000"), ("2", "12.5万元", "200000")]
    pd.DataFrame(rows, columns=["标段编号", "投标报价（万元）", "控制价(元)"]).to_csv(p, index=False, encoding="gbk")
    b = read_bids(p, market="m").bids
    assert b["bid"].tolist() == [955000.0, 980000.0, 125000.0]  # a cell naming its own unit is read in it
    assert b["pte"].tolist() == [1e6, 1e6, 2e5]


def test_a_bid_scaled_to_yuan_has_no_float_noise(tmp_path):
    p = tmp_path / "bids.csv"
    pd.DataFrame([("1", "0.07"), ("1", "1.1")], columns=["标段编号", "投标报价（万元）"]).to_csv(p, index=False)
    assert read_bids(p, market="m").bids["bid"].tolist() == [700.0, 11000.0]  # 0.07 × 10⁴ is 700.0000000000001


def test_a_workbook_of_bids_is_read_sheet_by_sheet(tmp_path):
    """Bids split by year over sheets are read whole, each row named by its sheet; a sheet with other columns
    (a note, a summary) is named on the console with its rows, not read and not dropped silently."""
    import openpyxl

    p = tmp_path / "bids.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2023"
    for row in [("标段编号", "投标报价"), ("1", 100), ("1", 104)]:
        ws.append(row)
    ws2 = wb.create_sheet("2024")
    for row in [("标段编号", "投标报价（元）"), ("2", 200), ("2", "x"), ("2", 230)]:  # the same columns, a unit
        ws2.append(row)
    ws3 = wb.create_sheet("汇总")
    for row in [("年份", "标段数"), ("2023", 1), ("2024", 1)]:
        ws3.append(row)
    wb.create_sheet("说明")  # an empty sheet is not named
    wb.save(p)
    t = read_bids(p, market="m")
    assert t.bids["bid"].tolist() == [100.0, 104.0, 200.0, 230.0]
    assert t.bids["src_file"].tolist() == ["bids.xlsx[2023]"] * 2 + ["bids.xlsx[2024]"] * 2
    assert [(q.file, q.row) for q in t.report.quarantine] == [("bids.xlsx[2024]", 3)]
    assert t.report.totals() == {"read": 5, "loaded": 4, "quarantined": 1}
    assert t.report.warnings == [
        "bids.xlsx: 1 sheet(s) hold rows under other columns than sheet '2023' and were not read: '汇总' (2 rows) "
        "(save each as its own file)"
    ]
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 0, res.output
    assert "warning: bids.xlsx: 1 sheet(s) hold rows under other columns" in res.output
    assert "read 5 bids from 1 file(s) (2 sheets)" in res.output


def test_a_legacy_xls_workbook_reads_like_its_xlsx(tmp_path, monkeypatch):
    """Excel 97-2003 files (.xls), as many government systems export: read with xlrd, every sheet as for .xlsx; the
    file parsed once for its sheets' listing and every sheet's rows (it was opened once more per sheet)."""
    import xlrd

    xlwt = pytest.importorskip("xlwt")
    opened: list[str] = []
    real_open = xlrd.open_workbook
    monkeypatch.setattr(xlrd, "open_workbook", lambda *a, **k: opened.append("xlrd") or real_open(*a, **k))
    book = xlwt.Workbook(encoding="utf-8")
    for title, rows in (("2023", [("1", 100), ("1", 104)]), ("2024", [("2", 200), ("2", 230)])):
        ws = book.add_sheet(title)
        for j, h in enumerate(("标段编号", "投标报价")):
            ws.write(0, j, h)
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                ws.write(i, j, v)
    p = tmp_path / "bids.xls"
    book.save(str(p))
    t = read_bids(p, market="m")
    assert t.bids["bid"].tolist() == [100.0, 104.0, 200.0, 230.0]
    assert t.bids["tender"].tolist() == ["1", "1", "2", "2"]
    assert t.bids["src_file"].tolist() == ["bids.xls[2023]"] * 2 + ["bids.xls[2024]"] * 2
    assert t.report.totals() == {"read": 4, "loaded": 4, "quarantined": 0}
    assert opened == ["xlrd"]


@pytest.mark.parametrize("kind", ["csv", "csv-commas", "xlsx"])
def test_title_lines_above_the_header_are_skipped_and_their_unit_applied(tmp_path, kind):
    """A merged title and "单位：万元" above the header, as Chinese tables are exported: the header is found below
    them, rows keep their own line numbers, and the declared unit applies to amounts whose header names none."""
    rows = [("1", "98.5", "100"), ("1", "x", "100"), ("1", "99", "100")]
    head = ("标段编号", "投标报价", "控制价（元）")
    title = [("某市2023年工程招标投标明细表",), ("单位：万元",)]
    p = tmp_path / f"bids.{kind.split('-')[0]}"
    if kind == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        for r in [*title, head, *rows]:
            wb.active.append(r)
        wb.save(p)
    else:
        pad = ",," if kind == "csv-commas" else ""  # Excel writes a merged title as one value and empty cells
        text = "".join(t[0] + pad + "\n" for t in title) + "\n".join(",".join(r) for r in [head, *rows]) + "\n"
        p.write_text(text, encoding="gbk")
    t = read_bids(p, market="m")
    assert t.bids["bid"].tolist() == [985000.0, 990000.0]  # 万元
    assert t.bids["pte"].tolist() == [100.0, 100.0]  # its header says 元
    assert [(q.row, q.column) for q in t.report.quarantine] == [(5, "投标报价")]  # the file's own line and header
    assert t.report.files[0].title == "某市2023年工程招标投标明细表 / 单位：万元"
    res = CliRunner().invoke(main, ["collusion", "score-bids", str(p), "--out", str(tmp_path / "o.csv")])
    # in Chinese, as `graphkit load` says it (the note had been English alone on the Chinese console)
    assert f"注意：{p.name}：已跳过表头上方的标题（某市2023年工程招标投标明细表 / 单位：万元）" in res.output, (
        res.output
    )
    if kind == "xlsx":
        en = CliRunner().invoke(
            main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "e.csv")]
        )
        assert (
            "note: bids.xlsx: title above the header skipped (某市2023年工程招标投标明细表 / 单位：万元)" in en.output
        )


def test_a_one_column_table_has_no_title():
    from loaders.read import _title_lines

    assert _title_lines([["姓名"], ["张伟"], ["李娜"], ["王芳"], ["刘洋"], ["陈静"], ["杨帆"]]) == 0


def test_a_tender_id_merged_over_its_bids_rows_gives_every_bid_its_tender(tmp_path):
    """标段编号 merged over the rows of its bids, as tender ledgers are formatted: no bid quarantined as tenderless."""
    import openpyxl

    p = tmp_path / "bids.xlsx"
    wb = openpyxl.Workbook()
    for r in [
        ("标段编号", "投标单位", "投标报价"),
        ("1", "甲", 100),
        (None, "乙", 104),
        (None, "丙", 110),
        ("2", "甲", 200),
    ]:
        wb.active.append(r)
    wb.active.append((None, "丙", 220))
    wb.active.merge_cells("A2:A4")
    wb.active.merge_cells("A5:A6")
    wb.save(p)
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 5, "loaded": 5, "quarantined": 0}
    assert t.bids["tender"].tolist() == ["1", "1", "1", "2", "2"]
    assert t.report.files[0].merged == 2


def test_a_sheet_of_instructions_before_the_bids_does_not_hide_them(tmp_path):
    import openpyxl

    p = tmp_path / "bids.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "填表说明"
    for line in ("1. 每行一个投标", "2. 报价单位：元", "3. 是否中标填 是/否"):
        wb.active.append([line])
    ws = wb.create_sheet("投标明细")
    for r in [("标段编号", "投标报价"), ("1", 100), ("1", 104)]:
        ws.append(r)
    wb.save(p)
    t = read_bids(p, market="m")
    assert t.bids["bid"].tolist() == [100.0, 104.0]
    assert t.bids["src_file"].tolist() == ["bids.xlsx", "bids.xlsx"]
    assert t.report.warnings == []  # a note, not a warning: it holds no bid
    said = "bids.xlsx: sheet(s) of instructions not read as records: '填表说明' (3 lines)"
    assert t.report.files[0].notes() == [said]


def test_a_bid_exported_twice_is_quarantined_as_a_duplicate_not_counted_again(tmp_path):
    """The same tender, bidder and price twice is one bid written twice: the repeat would otherwise make two
    identical prices and raise the tender's risk. The same bidder twice at different prices is kept, with a
    warning counted on the console."""
    rows = [
        (t, b, p)
        for t, bids in (("T1", [100, 107, 115, 122]), ("T2", [50, 56, 61]))
        for b, p in zip(["甲", "乙", "丙", "丁"], bids, strict=False)
    ]
    clean = pd.DataFrame(rows, columns=["Tender", "Competitors", "Bid_value"])
    doubled = pd.concat([clean, clean.iloc[[1]]], ignore_index=True)  # T1, 乙, 107 again: line 9
    doubled.loc[len(doubled)] = ["T2", "甲", 52]  # 甲 bids twice in T2 at another price: kept, warned
    p = tmp_path / "export.csv"
    doubled.to_csv(p, index=False)
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 9, "loaded": 8, "quarantined": 1}
    (q,) = t.report.quarantine
    assert (q.file, q.row) == ("export.csv", 9)
    assert q.reason == "duplicate bid: same tender, bidder and price as export.csv line 3"
    assert len(t.bids[t.bids["tender"] == "T1"]) == 4 and len(t.bids[t.bids["tender"] == "T2"]) == 4
    assert t.report.warnings == [
        "export.csv: 1 bidder bid twice or more at different prices in one tender (tender T2, bidder 甲); bids kept"
    ]
    # the score of T1 is that of the file without the repeated line, and its reason says a bid was left out
    doubled.drop(index=len(clean)).to_csv(tmp_path / "clean.csv", index=False)
    out = {}
    for name in ("export", "clean"):
        res = CliRunner().invoke(
            main,
            [
                "collusion",
                "score-bids",
                str(tmp_path / f"{name}.csv"),
                "--market",
                "m",
                "--out",
                str(tmp_path / f"{name}.out.csv"),
            ],
        )
        assert res.exit_code == 0, res.output
        out[name] = read_scores(tmp_path / f"{name}.out.csv").set_index("tender")
    assert out["export"].loc["T1", "risk"] == out["clean"].loc["T1", "risk"]
    assert out["export"].loc["T1", "reasons_en"].startswith("1 of 5 bids quarantined (duplicate bid")


def test_the_console_names_a_duplicate_bid_and_a_bidder_bidding_twice(tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text("Tender,Competitors,Bid_value\nA,f1,100\nA,f2,103\nA,f3,110\nA,f2,103\nA,f3,111\n")
    res = CliRunner().invoke(
        main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 0, res.output
    assert "dup.csv line 5: duplicate bid: same tender, bidder and price as dup.csv line 3" in res.output
    assert "warning: dup.csv: 1 bidder bid twice or more at different prices in one tender" in res.output
    assert "read 5 bids from 1 file(s): 4 used, 1 quarantined" in res.output


def test_a_winner_ticked_with_a_check_mark_is_read(tmp_path):
    """A platform's XLSX ticks the winner with ✓ (U+2713) or ✔, and crosses a loser with ✗ / ✘: every winner of
    the file was counted as 'not 0 or 1' and lost (193 of a 387-tender export)."""
    import openpyxl

    p = tmp_path / "bids.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["标段编号", "投标报价", "是否中标"])
    for (t, b, _), w in zip(ROWS, ["✓", "✗", "", "✔", "✘"], strict=True):
        ws.append([t, float(b), w])
    wb.save(p)
    t = read_bids(p, market="m")
    assert not t.warnings
    assert t.bids["winner"].tolist()[:2] == [1.0, 0.0] and t.bids["winner"].tolist()[3:] == [1.0, 0.0]
    assert pd.isna(t.bids["winner"].iloc[2])  # no mark: not said


def test_excel_serial_dates_among_written_dates_are_dates_too(tmp_path):
    """A workbook's 开标日期 column holds date cells, dates typed as text (2023年4月17日) and dates that lost their
    format and show as Excel serial numbers (45033 = 2023-04-17). The serials were kept as numbers beside the
    others' seconds since 1970, so a third of the tenders sat in January 1970 and the period context was lost."""
    import datetime as dt

    import openpyxl

    p = tmp_path / "bids.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["标段编号", "投标报价", "开标日期"])
    cells = [dt.datetime(2023, 4, 17), "2023年4月17日", 45033, 45034, "2023/4/18"]
    for (t, b, _), d in zip(ROWS, cells, strict=True):
        ws.append([t, float(b), d])
    wb.save(p)
    t = read_bids(p, market="m")
    assert not t.warnings
    day = pd.Timestamp("2023-04-17").timestamp()
    assert list(t.bids["date"]) == [day, day, day, day + 86_400, day + 86_400]


def test_a_bad_cell_is_named_by_the_column_header_of_the_file(tmp_path):
    """The analyst's file says 投标报价(万元) and 标段编号: the console and the quarantine named the reader's own
    names (Bid_value, Tender), which the file has no column of; and a repeated bid's value was shown in yuan
    (26200000) where the file says 2,620.0000 万元: it is shown in the file's unit."""
    p = tmp_path / "export.csv"
    p.write_text(
        '标段编号,投标人,投标报价(万元)\nT1,甲,"1,000.5000"\nT1,乙,x\n,丙,99\nT1,甲,"1,000.5000"\nT1,丁,1003\n',
        encoding="gbk",
    )
    t = read_bids(p, market="m")
    got = [(q.row, q.column, q.value) for q in t.report.quarantine]
    assert got == [(3, "投标报价(万元)", "x"), (4, "标段编号", ""), (5, "", "1000.5")]
    r = CliRunner().invoke(main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")])
    assert "export.csv line 3, column 投标报价(万元): bid is not a number ('x')" in r.output
    assert "export.csv line 4, column 标段编号: tender id is missing" in r.output
    assert "export.csv line 5: duplicate bid: same tender, bidder and price as export.csv line 2 ('1000.5')" in r.output


def test_a_withdrawn_or_disqualified_bid_is_left_out_with_its_reason(tmp_path):
    """A platform's export lists every bid opened, the withdrawn and the disqualified ones too, and says so in a
    remark (备注 废标：…, 无效标), a status column (投标状态 撤回) or the price cell itself (废标). Such a bid was
    scored as an offer that competed (or, in the price cell, reported as 'bid is not a number'); it is now left
    out with its reason, counted, and named next to its tender's score."""
    rows = [
        ("T1", "100", "有效", ""),
        ("T1", "103", "有效", "废标：未按要求提供投标保证金"),  # line 3
        ("T1", "110", "撤回", ""),  # line 4
        ("T1", "108", "有效", ""),
        ("T2", "50", "有效", ""),
        ("T2", "废标", "", ""),  # line 7
        ("T2", "55", "有效", "无效标"),  # line 8
        ("T2", "56", "有效", "资格审查合格"),
        ("T2", "57", "有效", ""),
    ]
    p = tmp_path / "export.csv"
    pd.DataFrame(rows, columns=["标段编号", "投标报价", "投标状态", "备注"]).to_csv(p, index=False, encoding="gbk")
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 9, "loaded": 5, "quarantined": 4}
    q = {x.row: (x.column, x.value, x.reason) for x in t.report.quarantine}
    assert q == {
        3: ("备注", "废标：未按要求提供投标保证金", "bid withdrawn or disqualified"),
        4: ("投标状态", "撤回", "bid withdrawn or disqualified"),
        7: ("投标报价", "废标", "bid withdrawn or disqualified"),
        8: ("备注", "无效标", "bid withdrawn or disqualified"),
    }
    assert sorted(t.bids["bid"]) == [50, 56, 57, 100, 108]
    r = CliRunner().invoke(main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    out = pd.read_csv(tmp_path / "o.csv").set_index("tender")
    assert "export.csv line 3, column 备注: bid withdrawn or disqualified ('废标：未按要求提供投标保证金')" in r.output
    assert out.loc["T1", "reasons_en"].startswith("2 of 4 bids quarantined (bid withdrawn or disqualified, lines 3, 4)")
    assert out.loc["T1", "reasons"].startswith("4 份报价中 2 份被隔离（第 3、4 行：报价已撤回或被否决）")


def test_a_remark_that_mentions_a_void_word_in_passing_keeps_its_bid(tmp_path):
    """备注 is free text: a remark that opens with 废标 or 【无效标】 says the bid was void; one that mentions such a
    word in passing (无不合格记录, 曾放弃2019年同类项目) says nothing of this bid
    and must not drop it from the screens."""
    rows = [
        ("T1", "100", "【无效标】未签字"),  # line 2: void
        ("T1", "103", "无不合格记录"),
        ("T1", "110", "曾放弃2019年同类项目"),
        ("T1", "108", ""),
    ]
    p = tmp_path / "export.csv"
    pd.DataFrame(rows, columns=["标段编号", "投标报价", "备注"]).to_csv(p, index=False, encoding="utf-8")
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 4, "loaded": 3, "quarantined": 1}
    assert [x.row for x in t.report.quarantine] == [2]
    assert sorted(t.bids["bid"]) == [103, 108, 110]


@pytest.mark.parametrize(
    ("dates", "said"),
    [  # (the five bids' dates, a note the console gives or None); 8 May 2003 and 9 May 2003 in each
        (["08/05/2003", "08/05/2003", "17/04/2003", "09/05/2003", "09/05/2003"], None),
        (["05/08/2003", "05/08/2003", "04/17/2003", "05/09/2003", "05/09/2003"], None),
        (["08.05.2003", "08.05.2003", "17.04.2003", "09.05.2003 10:30", "09.05.2003 10:30"], None),
        (["08/05/2003", "08/05/2003", "08/05/2003", "09/05/2003", "09/05/2003"], "read day first (8 May 2003)"),
        (["08/05/03", "08/05/03", "17/04/03", "09/05/03", "09/05/03"], "have a two-digit year"),
        (["03/05/08", "03/05/08", "99/04/17", "03/05/09", "03/05/09"], "read year, month, day (99/04/17 shows"),
    ],
)
def test_day_and_month_before_the_year_are_read_in_the_order_the_whole_column_shows(tmp_path, dates, said):
    """17/04/2003 shows the day comes first, so 08/05/2003 in the same column is 8 May, not 5 August (pandas'
    parser, value by value, read it month first while reading 17/04/2003 day first); 04/17/2003 shows the month
    comes first. The period context compares tenders' dates, so a date moved by three months moves the tender."""
    p = _dated(tmp_path, dates)
    t = read_bids(p, market="m")
    may8, may9 = pd.Timestamp("2003-05-08").timestamp(), pd.Timestamp("2003-05-09").timestamp()
    apr17 = pd.Timestamp("2003-04-17").timestamp()
    got = list(t.bids["date"])
    assert got[:2] == [may8, may8] and got[2] in (apr17, may8, pd.Timestamp("1999-04-17").timestamp())
    assert got[3] == got[4] == (may9 + (37_800 if "10:30" in dates[3] else 0))
    assert not t.warnings
    notes = [w for w in t.report.warnings if "Date" in w]
    assert (said is None and not notes) or (said is not None and any(said in n for n in notes)), notes


def test_a_column_written_both_day_first_and_month_first_leaves_the_undecidable_dates_unread(tmp_path):
    dates = ["17/04/2003", "17/04/2003", "04/18/2003", "08/05/2003", "08/05/2003"]
    p = _dated(tmp_path, dates)
    t = read_bids(p, market="m")
    got = t.bids["date"].to_numpy()
    assert got[0] == pd.Timestamp("2003-04-17").timestamp() and got[2] == pd.Timestamp("2003-04-18").timestamp()
    assert np.isnan(got[3:]).all()
    assert t.warnings == {(p.name, "Date", "not a date"): 2}
    assert any("both day first (17/04/2003) and month first (04/18/2003)" in w for w in t.report.warnings)


def test_a_column_written_with_decimal_commas_reads_its_thousands_points_in_every_value(tmp_path):
    """In a column of 98.765,00 and 1.234.567,89 (thousands with points, as an Italian or Swiss export writes
    them), 123.456 is 123,456: read on its own it was 123.456, a bid a thousand times below its tender's others,
    and the tender's screens (spread, CV) said nothing true."""
    p = tmp_path / "bids.csv"
    p.write_text(
        'Tender,Bid_value\nA,"98.765,00"\nA,123.456\nA,"99.100,5"\nB,"1.234.567,89"\nB,1.250.000\nB,"1,234"\n',
        encoding="utf-8",
    )
    t = read_bids(p)
    # 1,234 keeps its reading as 1234: one slip must not turn a column's thousands commas into decimals
    assert list(t.bids["bid"]) == [98765.0, 123456.0, 99100.5, 1234567.89, 1250000.0, 1234.0]
    assert not [w for w in t.report.warnings if "Bid_value" in w]


def test_values_that_read_two_ways_are_read_with_a_point_and_the_console_says_so(tmp_path):
    p = tmp_path / "bids.csv"
    p.write_text("Tender,Bid_value\nA,1.234\nA,2.500\nA,3.000元\n", encoding="utf-8")
    t = read_bids(p)
    assert list(t.bids["bid"]) == [1.234, 2.5, 3.0]
    (note,) = [w for w in t.report.warnings if "Bid_value" in w]
    assert "3 values such as 1.234 are read with a decimal point" in note


def test_amounts_with_a_currency_beside_them_or_thousands_apostrophes_are_read(tmp_path):
    """A Swiss export writes 1'234'567.50, others CHF 1'234.50, 1 234,56 € or $1,234: the bids of a tender are in
    one currency and the screens compare them with each other, so the amount is read and the currency left."""
    p = tmp_path / "bids.csv"
    p.write_text(
        "Tender,Bid_value\nA,CHF 1'234.50\nA,1’250.00\nA,1'234'567.50\n"
        'B,"1 234,56 €"\nB,"€ 1.250,00"\nB,"$1,300"\nC,USD 1200\nC,1200 USD\n',
        encoding="utf-8",
    )
    t = read_bids(p)
    assert list(t.bids["bid"]) == [1234.5, 1250.0, 1234567.5, 1234.56, 1250.0, 1300.0, 1200.0, 1200.0]
    assert not t.report.quarantine


def test_a_bid_excel_wrote_in_scientific_form_is_refused_not_read_as_its_rounded_figure(tmp_path):
    """Excel shows a bid too wide for its column as 1.23E+06 and saves the CSV as it shows it: the bid reader read
    it as 1,230,000, a price the bidder never offered, with nothing said (the department loaders refuse it). The
    bid is quarantined with the reason, a PTE in that form left out, as the department loaders leave out an
    optional amount."""
    from graphkit.collusion.words import dropped_zh, quarantine_zh

    p = tmp_path / "bids.csv"
    p.write_text(
        "标段编号,投标人,投标报价(元),控制价(元)\n"
        "T1,甲,1.23E+06,1300000\nT1,乙,1250000,1300000\nT1,丙,1262000,1.3E+06\nT1,丁,1.2e+06,1300000\n",
        encoding="gbk",
    )
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 4, "loaded": 3, "quarantined": 1}
    why = (
        "bid in scientific form (1.23E+06), as Excel shows a number too wide for its column: its other digits were "
        "lost (widen the column in the workbook and save again)"
    )
    assert [(q.row, q.column, q.value, q.reason) for q in t.report.quarantine] == [(2, "投标报价(元)", "1.23E+06", why)]
    # a program's 1.2e+06 (lower-case e) is a number written so, not Excel's display of one
    assert t.bids["bid"].tolist() == [1250000.0, 1262000.0, 1200000.0]
    assert t.bids["pte"].tolist()[1] != t.bids["pte"].tolist()[1]  # NaN: left out, not 1,300,000
    left = (
        "in Excel's scientific form (1.23E+06 for 1,234,567): its other digits were lost (widen the column in the "
        "workbook and save again)"
    )
    assert [(d.row, d.value, d.reason) for d in t.report.dropped] == [(4, "1.3E+06", left)]
    assert quarantine_zh(why) == (
        "报价是科学计数法写的数（1.23E+06）：Excel 在列宽不够时这样显示，"
        "其余数位已丢失（请在工作簿中加宽该列后重新保存）"
    )
    assert dropped_zh(left) == (
        "是 Excel 的科学计数法（1,234,567 显示为 1.23E+06）：其余数位已丢失（请在工作簿中加宽该列后重新保存）"
    )
    r = CliRunner().invoke(main, ["collusion", "score-bids", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    assert "报价是科学计数法写的数（1.23E+06）" in r.output


def test_an_opening_date_with_its_weekday_or_its_zone_is_read(tmp_path):
    """A platform's bid-opening export writes 2024年5月1日 星期三, or an API's 2024-05-01T09:30:00+08:00: pandas'
    parser, the bid reader's fallback, read neither (or the zone into UTC, a day early before 08:00) and the period
    context lost the dates. They are read as the department loaders read them."""
    p = tmp_path / "bids.csv"
    p.write_text(
        "标段编号,投标报价,开标日期\n"
        "T1,100,2024年5月1日 星期三\nT1,103,2024年5月1日（周三）\nT1,104,2024-05-01T07:30:00+08:00\n"
        "T2,50,2024-05-06T23:30:00Z\n",
        encoding="utf-8",
    )
    t = read_bids(p, market="m")
    assert not t.report.dropped and not t.report.quarantine
    days = pd.to_datetime(t.bids["date"], unit="s").dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2024-05-01", "2024-05-01", "2024-05-01", "2024-05-07"]  # 23:30 UTC is 07:30 in Beijing


def test_a_bidder_cell_whose_lookup_formula_failed_is_no_bidder(tmp_path):
    """A bid table whose 投标人 was filled by a lookup of the bidders' codes: where the lookup failed, Excel shows and
    saves #N/A or #REF!. Read as a name, every such bid had one bidder, #N/A, who "met" the same rivals tender after
    tender and lifted the conduct screens of every tender it sat in. The bid is kept without its bidder, said."""
    from graphkit.collusion.words import dropped_zh

    p = tmp_path / "bids.csv"
    p.write_text(
        "标段编号,投标人,投标报价\nT1,甲公司,100\nT1,#N/A,103\nT2,乙公司,50\nT2,#REF!,52\nT2, #n/a ,55\n",
        encoding="utf-8",
    )
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 5, "loaded": 5, "quarantined": 0}
    assert t.bids["bidder"].isna().tolist() == [False, True, False, True, True]  # as an empty cell: no bidder
    why = "an Excel formula's error (#REF!, #N/A …), not a bidder: the bid is scored without its bidder"
    assert [(d.row, d.value, d.reason) for d in t.report.dropped] == [
        (3, "#N/A", why),
        (5, "#REF!", why),
        (6, " #n/a ", why),
    ]
    assert dropped_zh(why) == "是 Excel 公式错误（#REF!、#N/A 等），不是投标人：该报价按无投标人计分"


def test_a_tender_named_by_its_project_and_its_lot_is_the_pair(tmp_path):
    """A platform's bid-opening export writes 项目编号 and 标段编号: both are tender ids to the reader, and the
    frame had two Tender columns, so score-bids stopped with a pandas traceback. The lot repeats from project
    to project (标段1 of P1 is not 标段1 of P2): the tender is the pair, lot last wherever the file puts it."""
    p = tmp_path / "kaibiao.csv"
    p.write_text(
        "标段编号,项目编号,投标单位,投标报价(万元)\n"
        "标段1,P1,甲,100\n标段1,P1,乙,101\n标段2,P1,甲,50\n标段2,P1,乙,52\n"
        "标段1,P2,甲,10\n标段1,P2,乙,11\n"
        ",P3,甲,7\n,P3,乙,8\n"  # a project without lots
        "标段1,,甲,9\n"  # no project: the lot alone would merge bids of P1, P2 …
        "标段1,3.20582E+17,乙,9\n",  # a project number Excel rounded
        encoding="gbk",
    )
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 10, "loaded": 8, "quarantined": 2}
    assert list(t.bids["tender"]) == ["P1/标段1"] * 2 + ["P1/标段2"] * 2 + ["P2/标段1"] * 2 + ["P3"] * 2
    got = [(q.row, q.column, q.reason) for q in t.report.quarantine]
    assert got == [
        (10, "项目编号 + 标段编号", "tender id is missing"),
        (11, "项目编号 + 标段编号", TENDER_ID_DIGITS_LOST),
    ]
    # the reason says how to fix the column, not only that its digits were lost
    assert TENDER_ID_DIGITS_LOST.startswith("tender id in scientific notation (its digits were lost in Excel: ")
    assert "re-export the column as text" in TENDER_ID_DIGITS_LOST and "format to Text" in TENDER_ID_DIGITS_LOST
    r = CliRunner().invoke(main, ["collusion", "score-bids", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    assert (
        "标段编号成了科学计数法（Excel 已丢失其位数：请从源系统把该列按文本重新导出，或在 Excel 中先把该列的格式设为"
        "“文本”再录入或粘贴编号）" in r.output
    ), r.output
    # headed in Chinese by default (标段 where it had been tender)
    assert set(pd.read_csv(tmp_path / "o.csv")["标段"]) == {"P1/标段1", "P1/标段2", "P2/标段1", "P3"}


def test_two_columns_read_as_the_bid_are_refused_with_both_named(tmp_path):
    p = tmp_path / "two.csv"
    p.write_text("招标编号,报价,投标报价(元),投标人\nT1,100,100,甲\nT1,103,103,乙\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"two.csv: 报价 and 投标报价\(元\) are both read as Bid_value"):
        read_bids(p, market="m")


@pytest.mark.parametrize("which", [0, 1])
def test_a_remarks_column_written_twice_is_read_twice(tmp_path, which):
    """Two columns headed 备注: a 废标 in either leaves the bid out (the frame had two columns of one name, and
    the reader stopped)."""
    remarks = [["", ""], ["", ""], ["", ""]]
    remarks[1][which] = "废标：未按要求签字"
    rows = "".join(f"T1,{b},{f},{r[0]},{r[1]}\n" for b, f, r in zip((100, 103, 104), "甲乙丙", remarks, strict=True))
    p = tmp_path / "dup.csv"
    p.write_text("招标编号,投标报价,投标人,备注,备注\n" + rows, encoding="utf-8")
    t = read_bids(p, market="m")
    assert list(t.bids["bid"]) == [100.0, 104.0]
    assert [(q.row, q.column, q.reason) for q in t.report.quarantine] == [(3, "备注", "bid withdrawn or disqualified")]


def test_totals_and_notes_rows_are_left_out_as_such_not_scored_as_a_lone_bid(tmp_path):
    """An export that sums each tender (小计), the whole table (合计) and signs it off (制表人：…): the totals row
    with 合计 in the tender column was scored as a tender of one bid, a red flag of its own, and the others were
    quarantined as bids without a tender. They are left out as what they are, as the department loaders do."""
    p = tmp_path / "kb.csv"
    p.write_text(
        "招标编号,投标单位,投标报价(元)\n"
        "T1,甲,100\nT1,乙,103\nT1,丙,105\n小 计:,,308\n"
        "T2,甲,50\nT2,乙,52\n小计,,102\n"
        "合计,,410\n"
        "制表人：王某,,审核人：李某\n",
        encoding="gbk",
    )
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 9, "loaded": 5, "quarantined": 4}
    assert sorted(t.bids["tender"].unique()) == ["T1", "T2"]
    got = [(q.row, q.column, q.reason) for q in t.report.quarantine]
    assert got == [
        (5, "招标编号", "totals row (小计), not a bid"),
        (8, "招标编号", "totals row (小计), not a bid"),
        (9, "招标编号", "totals row (合计), not a bid"),
        (10, "招标编号", "notes row (制表人), not a bid"),
    ]
    r = CliRunner().invoke(main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    assert "0 single-bid" in r.output and set(pd.read_csv(tmp_path / "o.csv")["tender"]) == {"T1", "T2"}


def test_a_notes_line_under_the_table_reads_the_same_from_a_csv_as_from_a_workbook(tmp_path):
    """制表人：张三 under the bids: a workbook holds it as one cell of a row and read it as a notes row; a CSV line of
    that one value (no commas after it, as a program that drops empty fields writes it) was a broken record, "1
    fields where the header has 4". Both are now a notes row (and 合计 on a short line a totals row), not a bid."""
    import openpyxl

    from loaders.read import read_table

    head = ["Tender", "Bid_value", "Competitors", "Date"]
    rows = [["T1", "100", "A", "2003-01-05"], ["T1", "110", "B", "2003-01-05"], ["T2", "200", "A", "2003-02-01"]]
    rows += [["T2", "210", "C", "2003-02-01"]]
    csv = tmp_path / "b.csv"
    csv.write_text("\n".join(",".join(r) for r in [head, *rows]) + "\n合计,610\n制表人：张三\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    for r in [head, *rows, ["合计", "610"], ["制表人：张三"]]:
        wb.active.append(r)
    xlsx = tmp_path / "b.xlsx"
    wb.save(xlsx)
    got = {}
    for f in (csv, xlsx):
        t = read_bids(f, market="m")
        assert t.report.totals() == {"read": 6, "loaded": 4, "quarantined": 2}, f.name
        got[f.suffix] = [(q.row, q.column, q.value, q.reason) for q in t.report.quarantine]
    assert (
        got[".csv"]
        == got[".xlsx"]
        == [
            (6, "Tender", "合计", "totals row (合计), not a bid"),
            (7, "Tender", "制表人：张三", "notes row (制表人), not a bid"),
        ]
    )
    assert read_table(csv).faults == []  # the department loaders read the line as their layout row too
    # a short line that is neither stays a broken record
    csv.write_text("\n".join(",".join(r) for r in [head, *rows]) + "\nT3,300\n", encoding="utf-8")
    assert [q.reason for q in read_bids(csv, market="m").report.quarantine] == ["2 fields where the header has 4"]


def test_values_left_out_of_an_optional_column_are_named_by_file_and_line(tmp_path):
    """The console said "bids.csv, column Date: 2 values not a date; treated as missing", and a clerk had to look
    through the file for them. It names the lines, as the loader's other messages do: the first five, then how many
    more (a workbook's rows as rows)."""
    dates = ["2003-01-05", "x", "2003-01-06", "y", "2003-01-07", "z1", "z2", "z3", "z4", "z5", "2003-01-08"]
    rows = [(f"T{i // 2}", str(100 + i), f"F{i}", d) for i, d in enumerate(dates)]
    frame = pd.DataFrame(rows, columns=["Tender", "Bid_value", "Competitors", "Date"])
    few = tmp_path / "few.csv"
    frame.iloc[:5].to_csv(few, index=False)
    many = tmp_path / "many.csv"
    frame.to_csv(many, index=False)
    book = tmp_path / "few.xlsx"
    frame.iloc[:5].to_excel(book, index=False)
    said = {}
    for p in (few, many, book):
        r = CliRunner().invoke(
            main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")]
        )
        assert r.exit_code == 0, r.output
        said[p.name] = [line for line in r.output.splitlines() if "not a date" in line]
    assert said["few.csv"] == ["few.csv, lines 3 and 5, column Date: 2 values not a date; treated as missing"]
    assert said["few.xlsx"] == ["few.xlsx, rows 3 and 5, column Date: 2 values not a date; treated as missing"]
    assert said["many.csv"] == [
        "many.csv, lines 3, 5, 7, 8, 9 and 2 more, column Date: 7 values not a date; treated as missing"
    ]
    t = read_bids(many, market="m")
    assert [(d.row, d.value) for d in t.report.dropped] == [(i + 2, v) for i, v in enumerate(dates) if v[0] in "xyz"]


def test_the_header_written_again_is_left_out_as_such_not_scored_as_a_tender(tmp_path):
    """An export printed page by page repeats its title and header: the header row became a tender named 招标编号
    'without a usable bid' in the scores, the title a bid without a tender."""
    p = tmp_path / "pages.csv"
    p.write_text(
        "某市开标记录表,,\n招标编号,投标单位,投标报价(元)\nT1,甲,100\nT1,乙,103\nT1,丙,105\n"
        "某市开标记录表,,\n招标编号,投标单位,投标报价(元)\nT2,甲,50\nT2,乙,52\n",
        encoding="utf-8",
    )
    t = read_bids(p, market="m")
    assert t.report.totals() == {"read": 7, "loaded": 5, "quarantined": 2}
    assert [(q.row, q.column, q.reason) for q in t.report.quarantine] == [
        (6, "招标编号", "the title written again, not a bid"),
        (7, "招标编号", "the header written again, not a bid"),
    ]
    r = CliRunner().invoke(main, ["collusion", "score-bids", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    assert set(read_scores(tmp_path / "o.csv")["tender"]) == {"T1", "T2"}


def test_the_projects_own_bid_table_is_read_with_its_bidders_codes_and_dates(tmp_path):
    """The 投标记录 table graphkit loads (loaders/sources/bids.yaml) names bidders by 投标人代码 and dates bids by
    递交时间: score-bids read neither ("no date, bidder or segment column"), so it had no bidder context, no
    conduct screens and no duplicate-bid check. Beside a name or an opening date, the code and the opening date
    are read and the console says which column was left."""
    code = ["91320509MAX79KK1W7", "913205094139070448", "91320505MA1MXYK34B"]
    rows = [
        ("TB1", "P1", code[0], "100", "2023-02-14 11:03:28"),
        ("TB2", "P1", code[1], "103", "2023-02-16 10:43:54"),
        ("TB3", "P1", code[2], "104", "2023-02-15 09:00:00"),
        ("TB4", "P2", code[0], "50", "2023-05-02 09:00:00"),
        ("TB5", "P2", code[1], "52", "2023-05-03 09:00:00"),
    ]
    own = pd.DataFrame(rows, columns=["投标编号", "项目编号", "投标人代码", "投标报价(元)", "递交时间"])
    p = tmp_path / "bids.csv"
    own.to_csv(p, index=False, encoding="utf-8-sig")
    t = read_bids(p, market="m")
    assert list(t.bids["bidder"]) == [code[0], code[1], code[2], code[0], code[1]]
    assert t.bids["date"].notna().all() and t.report.warnings == []
    # a name beside the code, an opening date beside the submission time: the code and the opening date are read
    both = own.assign(投标人=["甲", "乙", "丙", "甲", "乙"], 开标日期=["2023-02-20"] * 3 + ["2023-05-10"] * 2)
    both.to_csv(p, index=False, encoding="utf-8-sig")
    t = read_bids(p, market="m")
    assert list(t.bids["bidder"]) == [code[0], code[1], code[2], code[0], code[1]]
    assert t.bids.groupby("tender")["date"].nunique().eq(1).all()  # the tender's opening date, not each bid's
    assert t.report.warnings == [
        "bids.csv: 投标人 not read: bidder read from 投标人代码",
        "bids.csv: 递交时间 not read: date read from 开标日期",
    ]
    # two names of the bidder, neither read before the other: refused with both named
    own.drop(columns="投标人代码").assign(投标人="甲", 投标单位="甲").to_csv(p, index=False)
    with pytest.raises(LoadError, match="投标人 and 投标单位 are both read as Competitors"):
        read_bids(p, market="m")


def test_a_totals_row_is_left_out_whichever_column_says_it(tmp_path):
    """An export that fills the project and lot on its 合计 row writes the word under 投标人: that row was read as
    one more bid (CV 121 %, "spread of bids 647 %"), by a bidder named 合计 who met every other firm."""
    p = tmp_path / "bids.csv"
    p.write_text(
        "序号,项目编号,标段编号,投标人,投标报价(元)\n1,P1,标段1,甲公司,100\n2,P1,标段1,乙公司,101\n3,P1,标段1,丙公司,103\n"
        ",P1,标段1,合  计,304\n4,P2,标段1,甲公司,200\n5,P2,标段1,乙公司,230\n,P2,标段1,小计,430\n",
        encoding="utf-8",
    )
    t = read_bids(p, market="m")
    assert sorted(t.bids["bidder"].unique()) == ["丙公司", "乙公司", "甲公司"]
    assert t.bids.groupby("tender").size().to_dict() == {"P1/标段1": 3, "P2/标段1": 2}
    assert [(q.row, q.reason) for q in t.report.quarantine] == [
        (5, "totals row (合计), not a bid"),
        (8, "totals row (小计), not a bid"),
    ]


def test_a_government_procurement_export_reads_its_lots_suppliers_and_award(tmp_path):
    """政府采购 exports name a lot 包号, a bidder 供应商名称 and the award 是否成交: none was read, so the two lots of
    a project were one tender of five bids, with no bidder and no winner, and the console named no column left."""
    p = tmp_path / "zfcg.csv"
    p.write_text(
        "项目编号,包号,供应商名称,响应报价(万元),是否成交,序号,联系人\n"
        "ZF1,1,甲,100,成交,1,王\nZF1,1,乙,103,未成交,2,李\nZF1,1,丙,104,否,3,张\nZF1,2,甲,200,否,4,王\nZF1,2,乙,190,是,5,李\n",
        encoding="gbk",
    )
    t = read_bids(p, market="m")
    b = t.bids.sort_values(["tender", "bid"])
    assert b["tender"].tolist() == ["ZF1/1", "ZF1/1", "ZF1/1", "ZF1/2", "ZF1/2"]
    assert b["bidder"].tolist() == ["甲", "乙", "丙", "乙", "甲"]
    assert b["winner"].tolist() == [1.0, 0.0, 0.0, 1.0, 0.0]
    assert b["bid"].tolist()[0] == 1_000_000.0
    assert "zfcg.csv: column(s) not read: 联系人" in t.report.warnings  # 序号 numbers the rows: not said


def test_the_columns_not_read_are_named_rather_than_one_counted(tmp_path):
    """Of 13 columns not read the console named 12 and said ``另有 1 列`` (the Italian file's 13th,
    ``Collusive_competitor_original``, a label the analyst should know was left): a name is no longer than
    the count. Past 13, the first 12 and how many more."""
    for n, named, more in ((13, 13, ""), (14, 12, " and 2 more")):
        extra = [f"列{i:02d}" for i in range(n)]
        p = tmp_path / f"b{n}.csv"
        p.write_text(
            "项目编号,投标人,投标报价,"
            + ",".join(extra)
            + "\n"
            + "".join(
                f"{t},{b},{v}," + ",".join("x" * len(extra)) + "\n" for t, b, v in (("A", "甲", 100), ("A", "乙", 103))
            ),
            encoding="utf-8",
        )
        said = [w for w in read_bids(p, market="m").report.warnings if "not read" in w]
        assert said == [f"{p.name}: column(s) not read: " + ", ".join(extra[:named]) + more], said


def test_score_bids_says_when_a_market_is_too_small_to_rank_within(tmp_path):
    p = tmp_path / "v.csv"
    p.write_text("项目编号,投标人,投标报价\nA,甲,100\nA,乙,103\nB,甲,200\nB,乙,190\nB,丙,210\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["collusion", "score-bids", "--lang", "en", str(p), "--out", str(tmp_path / "o.csv")])
    assert r.exit_code == 0, r.output
    assert "warning: market v has 2 scored tenders: a rank among so few says little" in r.output
    zh = CliRunner().invoke(main, ["collusion", "score-bids", str(p), "--out", str(tmp_path / "o.csv")])
    assert (
        "注意：市场 v 只有 2 个已评分标段，在这么少的标段中排名说明不了什么（“本市场最低的 25%”是 2 个中的排名）"
        in zh.output
    )


def test_a_quarantined_bid_is_named_by_line_in_a_csv_and_by_row_in_a_workbook(tmp_path):
    """The bid readers said "row N" of a CSV's line, where every other face says "line N" of a text file's record
    and "row N" of a workbook's (graphkit.model.record_unit): on the console, in a tender's reason and in a
    duplicate's reason alike."""
    df = pd.DataFrame(
        {
            "Tender": ["T1"] * 5 + ["T2"] * 3,
            "Competitors": ["a", "b", "c", "d", "a", "a", "b", "c"],
            "Bid_value": ["100", "x", "103", "104", "100", "50", "52", "53"],
        }
    )
    df.to_csv(tmp_path / "bids.csv", index=False)
    df.to_excel(tmp_path / "bids.xlsx", index=False)
    for name, unit in (("bids.csv", "line"), ("bids.xlsx", "row")):
        out = tmp_path / f"{name}.out.csv"
        r = CliRunner().invoke(
            main, ["collusion", "score-bids", "--lang", "en", str(tmp_path / name), "--out", str(out)]
        )
        assert r.exit_code == 0, r.output
        assert f"{name} {unit} 3, column Bid_value: bid is not a number ('x'); {unit} left out" in r.output, r.output
        assert f"{name} {unit} 6: duplicate bid: same tender, bidder and price as {name} {unit} 2" in r.output
        reason = pd.read_csv(out).set_index("tender").loc["T1", "reasons_en"]
        assert reason.startswith(f"2 of 5 bids quarantined (bid is not a number, {unit} 3; duplicate bid"), reason


def test_bids_in_rows_excel_hides_are_read_and_named(tmp_path):
    """A bid table filtered to one tender before it was saved: every bid is read (the screens need every price),
    and the rows no one saw on the sending side are named, as graphkit load names them."""
    import openpyxl

    p = tmp_path / "bids.xlsx"
    wb = openpyxl.Workbook()
    for r in [("标段编号", "投标报价"), ("1", 100), ("1", 104), ("2", 90)]:
        wb.active.append(r)
    wb.active.row_dimensions[4].hidden = True
    wb.save(p)
    t = read_bids(p, market="m")
    assert t.bids["bid"].tolist() == [100.0, 104.0, 90.0] and t.report.files[0].hidden == [4]
    assert "bids.xlsx: 1 row(s) hidden in Excel were read as every other row (row 4)" in t.report.files[0].notes()[0]
