"""The console in the reader's language: click's own words (Usage, Error, Try … for help, No such option, Missing
argument, the help's headings) and the refusals said while a command line is read, in Chinese by default, in
English under ``--lang en`` or ``GRAPHKIT_LANG=en``."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graphkit.cli import main


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), prog_name="graphkit", env=env or {"GRAPHKIT_LANG": None})


def test_a_missing_option_is_said_in_chinese():
    """``graphkit stats`` with no --store said Usage: / Try 'graphkit stats --help' for help. / Error: Missing
    option '--store'. to a reader of Chinese."""
    r = run("stats")
    assert r.exit_code == 2
    assert r.output.splitlines() == [
        "用法: graphkit stats [选项]",
        "运行 'graphkit stats --help' 查看帮助。",
        "",
        "错误：缺少选项 '--store'.",
    ]


@pytest.mark.parametrize(
    "args, zh",
    [
        (["rank", "--of", "x"], "错误：没有选项 '--of'。 （是否要用其中之一：'--json', '--out', '--top'？）"),
        (["nosuchcmd"], "错误：没有命令 'nosuchcmd'。"),
        (["find"], "错误：缺少参数 'QUERY'."),
        (
            ["rank", "--store", "embedded:x", "--top", "x"],
            "错误：'--top' 的值无效：'x' 不是有效的数字。",
        ),
        (
            ["rank", "--store", "embedded:x", "--lang", "fr"],
            "错误：'--lang' 的值无效：'fr' 不是可选的值（'zh', 'en'）之一。",
        ),
        (
            ["load", "/nonexistent-zhrest", "--store", "embedded:x"],
            "错误：'[SOURCE_DIR]' 的值无效：'/nonexistent-zhrest' 不存在。",
        ),
        (["rank", "--store"], "错误：选项 '--store' 需要一个值。"),
        (["stats", "--store", "embedded:x", "extra"], "错误：多余的参数（extra）"),
    ],
)
def test_click_refusals_in_chinese(args, zh):
    r = run(*args)
    assert r.exit_code == 2 and r.output.splitlines()[-1] == zh, r.output


def test_help_headings_in_chinese_and_english():
    zh = run("rank", "--help").output
    assert zh.startswith("用法: graphkit rank [选项]") and "\n选项:\n" in zh and "[默认：zh]" in zh
    assert "Options:" not in zh and "default: zh" not in zh
    assert "\n命令:\n" in run("--help").output
    en = run("--help", env={"GRAPHKIT_LANG": "en"}).output
    assert en.startswith("Usage: graphkit [OPTIONS]") and "\nCommands:\n" in en and "\nOptions:\n" in en


def test_english_under_lang_en_and_graphkit_lang():
    r = run("rank", "--lang", "en", "--of", "x")
    assert r.output.splitlines()[:2] == ["Usage: graphkit rank [OPTIONS]", "Try 'graphkit rank --help' for help."]
    assert r.output.splitlines()[-1].startswith("Error: No such option '--of'.")
    r = run("stats", env={"GRAPHKIT_LANG": "en"})
    assert r.output.splitlines()[-1] == "Error: Missing option '--store'."
    # --lang on the line wins over the environment, either way
    assert run("rank", "--lang=zh", "--of", "x", env={"GRAPHKIT_LANG": "en"}).output.startswith("用法:")
    assert run("rank", "--lang", "en", "--of", "x", env={"GRAPHKIT_LANG": "zh"}).output.startswith("Usage:")


def test_graphkit_lang_gives_the_lang_option_its_default(city, tmp_path):
    """GRAPHKIT_LANG=en answers a command that has --lang in English without --lang; --lang zh still wins."""
    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", str(city), "--store", db).exit_code == 0
    rank = ("rank", "--store", db, "--no-warnings", "--top", "1")
    assert run(*rank).output.splitlines()[-1].startswith("已评分")
    assert run(*rank, env={"GRAPHKIT_LANG": "en"}).output.splitlines()[-1].startswith("5 units scored")
    assert run(*rank, "--lang", "zh", env={"GRAPHKIT_LANG": "en"}).output.splitlines()[-1].startswith("已评分")


def test_click_is_left_as_it_was_after_a_command():
    """The words are click's again once the command is done: a program that embeds click is not left Chinese."""
    run("stats")
    assert click.exceptions._("Usage:") == "Usage:" and click.formatting._("Usage:") == "Usage:"


def test_every_chinese_message_is_one_click_says():
    """Each key of the catalogue is a message click's source passes to ``_`` or ``ngettext`` (a click release that
    rewords one is caught here, not by a reader meeting English), and keeps its placeholders' names."""
    from graphkit.cli.words import CLICK_MODULES, CLICK_ZH

    said: set[str] = set()
    root = Path(click.__file__).parent
    for name in CLICK_MODULES:
        for node in ast.walk(ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                said |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    # "[required]" reaches ``_`` through a variable: extra["required"] = "required", then _(extra["required"])
    if 'extra["required"] = "required"' in (root / "core.py").read_text(encoding="utf-8"):
        said.add("required")
    assert sorted(set(CLICK_ZH) - said) == []
    import string

    for en, zh in CLICK_ZH.items():
        names = {f[1] for f in string.Formatter().parse(zh) if f[1]}
        assert names <= {f[1] for f in string.Formatter().parse(en) if f[1]}, en


@pytest.mark.parametrize(
    "period, zh, en",
    [
        (
            "2024-13",
            "错误：--period 的值无效：'2024-13' 不是期间：写年份（2024）、月份（2024-03）、日期（2024-03-15），"
            "或用 .. 连起两个（2023-07..2024-06）",
            "Error: Invalid value for --period: month must be in 1..12: 2024-13",
        ),
        (
            "2024..2023",
            "错误：--period 的值无效：'2024..2023'：期间的结束早于开始",
            "Error: Invalid value for --period: '2024..2023': the period ends before it starts",
        ),
    ],
)
def test_a_bad_period_is_refused_in_the_readers_language(period, zh, en):
    """``rank --period 2024-13`` said pandas' English (month must be in 1..12) under the Chinese Usage lines."""
    r = run("rank", "--store", "embedded:x", "--period", period)
    assert r.exit_code == 2 and r.output.splitlines()[-1] == zh, r.output
    r = run("rank", "--store", "embedded:x", "--period", period, "--lang", "en")
    assert r.exit_code == 2 and r.output.splitlines()[-1] == en, r.output


def test_store_refusals_in_the_readers_language(tmp_path):
    missing, empty = tmp_path / "none.db", tmp_path / "empty.db"
    empty.touch()
    r = run("stats", "--store", f"embedded:{missing}")
    assert r.exit_code == 1
    assert r.output.strip() == (
        f"错误：无法打开库 embedded:{missing}：{missing} 没有库：先用 "
        f"`graphkit load SOURCE_DIR --store embedded:{missing}` 加载一个"
    )
    r = run("stats", "--store", f"embedded:{missing}", env={"GRAPHKIT_LANG": "en"})
    assert r.output.startswith(f"Error: cannot open store embedded:{missing}: no store at {missing}: load one with")
    r = run("find", "张伟", "--store", f"embedded:{empty}")
    assert f"{empty} 里没有图（没有表），不是加载过的库" in r.output, r.output
    r = run("stats", "--store", "foo")
    assert (
        r.output.splitlines()[-1]
        == "错误：--store 的值无效：库 'foo' 的写法不对：写 embedded:路径 或 neo4j://主机:端口"
    )


def test_ledger_refusals_in_the_readers_language(tmp_path, city):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("garbage")
    store = f"embedded:{tmp_path / 'g.db'}"
    none = tmp_path / "none.sqlite"
    r = run("warnings", "list", "--store", store, "--ledger", str(none))
    # the command as it must be typed (it said `graphkit models run --store ...`, which a Neo4j store refuses)
    make = f"graphkit models run --store {store} --ledger {none}"
    assert r.output.strip() == f"错误：{none} 没有预警台账：先运行 `{make}`"
    r = run("warnings", "list", "--store", "neo4j://127.0.0.1:1", "--ledger", str(none))
    assert f"先运行 `graphkit models run --store neo4j://127.0.0.1:1 --ledger {none}`" in r.output, r.output
    r = run("warnings", "list", "--store", store, "--ledger", str(bad))
    assert r.output.strip() == f"错误：{bad} 不是预警台账（不是 SQLite 数据库文件）"  # SQLite's English said too
    r = run("warnings", "list", "--store", store, "--ledger", str(bad), "--lang", "en")
    assert r.output.strip() == f"Error: {bad} is not a warning ledger (not an SQLite database: file is not a database)"
    assert run("load", str(city), "--store", store).exit_code == 0
    assert run("models", "run", "--store", store).exit_code == 0
    ledger = f"{tmp_path / 'g.db'}.ledger.sqlite"
    r = run("warnings", "update", "Wnope", "--store", store, "--status", "dispatched", "--by", "x", "--to", "y")
    assert r.output.strip() == f"错误：台账 {ledger} 中没有预警 'Wnope'"
    from graphkit.rules.ledger import Ledger

    with Ledger(ledger, read_only=True) as led:
        wid = led.warnings()[0]["id"]
    # the English list says each status in words, as the Chinese one does (its status column printed generated)
    listed = run("warnings", "list", "--store", store, "--lang", "en").output
    assert re.search(rf"^{wid}  \S+ +to be checked +\S", listed, re.M) and "generated" not in listed, listed
    r = run("warnings", "update", wid, "--store", store, "--status", "rectified", "--by", "x")
    # a change the closed loop forbids is recorded as refused, and says so; an incomplete one (no --to) is not
    assert r.output.strip() == (
        f"错误：预警 {wid} 现为“待核查”，不能改为“已整改”（下一步只能是“核查中”）（此次被拒绝的操作已记入审计日志）"
    )
    assert r.exit_code == 3
    r = run("warnings", "update", wid, "--store", store, "--status", "rectified", "--by", "x", "--lang", "en")
    assert r.exit_code == 3 and r.output.strip() == (
        f"error: warning {wid} is generated: it cannot become rectified (next: dispatched)"
        " (the refused attempt is recorded in the audit log)"
    )
    from graphkit.audit import AuditLog, audit_path_for

    before = len(AuditLog(audit_path_for(store)))
    r = run("warnings", "update", wid, "--store", store, "--status", "dispatched", "--by", "x")
    assert r.output.strip() == "错误：分派要写明交给谁（--to）"
    assert len(AuditLog(audit_path_for(store))) == before
    # the change made, as the Warnings tab says it (it said W…: generated → dispatched by 王科长 at …)
    r = run("warnings", "update", wid, "--store", store, "--status", "dispatched", "--by", "王科长", "--to", "第三室")
    assert re.fullmatch(rf"{wid}：待核查 → 核查中，王科长 于 \S+ \S+ 变更", r.output.strip()), r.output
    verify = ("--status", "verified", "--by", "李主任", "--outcome", "true_positive", "--comment", "属实")
    r = run("warnings", "update", wid, "--store", store, *verify, "--lang", "en")
    # (the time in the office's zone with its offset, as in Chinese: 2024-05-01 09:00:00+08:00)
    # the statuses in words, as the Chinese (it said dispatched → verified, the ledger's keys)
    assert re.fullmatch(rf"{wid}: being checked → confirmed by 李主任 at \S+ \S+\+08:00", r.output.strip()), r.output
    r = run("warnings", "update", wid, "--store", store, "--status", "rectified", "--by", "李主任")
    assert re.fullmatch(rf"{wid}：已核实 → 已整改，李主任 于 \S+ \S+ 变更", r.output.strip()), r.output
    # stats: each label and type with its Chinese name
    out = run("stats", "--store", store).output.splitlines()
    assert out[0].startswith("节点：") and re.fullmatch(r"  自然人\s+Person\s+38", out[1]), out[:2]
    assert any(re.fullmatch(r"  亲属\s+FAMILY\s+[\d,]+", line) for line in out), out
    assert run("stats", "--store", store, "--lang", "en").output.startswith("nodes: ")


def test_the_load_console_in_chinese_and_in_english(tmp_path):
    """``graphkit load``'s table header, its refused rows and why, the folder's warnings and its closing line were
    English (file encoding read loaded …, quarantined rows (…), required value is missing, created N nodes …)."""
    import copy
    import csv

    from fixture_city import TABLES, write_city

    tables = copy.deepcopy(TABLES)
    tables["bids"][1]["price"] = "abc"
    city = write_city(tmp_path / "city", tables)
    (city / "notes.pdf").write_bytes(b"%PDF")  # a file of another kind: warned of
    (city / "README.md").write_text("# 说明\n", encoding="utf-8")  # documentation: noted once, no warning
    zh = run("load", str(city), "--store", f"embedded:{tmp_path / 'zh.db'}")
    assert zh.exit_code == 0, zh.output
    lines = zh.output.splitlines()
    assert lines[0].split() == ["文件", "编码", "读取", "加载", "隔离", "舍弃值"]
    from graphkit.cli.common import width

    head = lines[0]
    assert width(head[: head.index("编码") + 2]) == lines[1].index("utf-8") + len("utf-8")  # right-aligned
    assert f"被隔离的行（1 条；每一条及其单元格见 {tmp_path / 'zh.db.quarantine.csv'}）：" in lines
    assert "  bids.csv 第 3 行，price 列：不是数字：abc" in lines
    assert "警告：notes.pdf：已跳过，既不是表格（.csv, .xlsx, .xls, .parquet）也不是 FtM 实体文件" in lines
    assert "注意：跳过 1 个非数据文件：README.md（说明文档）" in lines
    assert lines[-1].startswith("已创建 ") and f"；隔离文件：{tmp_path / 'zh.db.quarantine.csv'}（1 行）" in lines[-1]
    # the nodes and the relationships apart, as `graphkit stats` counts them (it said 1,157 个节点和关系 in one sum)
    stats = json.loads(run("stats", "--store", f"embedded:{tmp_path / 'zh.db'}", "--json").output)
    n, m = (sum(stats[k].values()) for k in ("nodes", "relationships"))
    assert n and m and lines[-1].startswith(f"已创建 {n:,} 个节点、{m:,} 条关系，"), (lines[-1], n, m)
    assert not [line for line in lines if re.search(r"\b(quarantined|created|warning|note|total)\b", line)], lines
    # the quarantine file keeps the loader's words: scripts read it and compare loads
    with (tmp_path / "zh.db.quarantine.csv").open(encoding="utf-8-sig") as fh:
        assert [r["reason"] for r in csv.DictReader(fh)] == ["not a number: abc"]
    en = run("load", str(city), "--store", f"embedded:{tmp_path / 'en.db'}", "--lang", "en")
    assert en.exit_code == 0, en.output
    lines = en.output.splitlines()
    assert lines[0].split() == ["file", "encoding", "read", "loaded", "quarantined", "dropped"]
    assert "  bids.csv line 3, column price: not a number: abc" in lines
    assert "note: 1 file skipped, no data to load: README.md (documentation)" in lines
    assert lines[-1].startswith("created ")


@pytest.mark.parametrize(
    "en, zh",
    [
        ("required value is missing", "必填值缺失"),
        ("ID number '3205**********0524' has a wrong check digit", "身份号码 '3205**********0524' 校验位不对"),
        (
            "credit code '11320500066128314A' has check character A, expected X",
            "统一社会信用代码 '11320500066128314A' 的校验位是 A，应为 X",
        ),
        (
            "not a date-time (2023-02-30 10:15:00); expected Y-m-d H:M:S",
            "不是日期时间（2023-02-30 10:15:00）；应为 年-月-日 时:分:秒",
        ),
        ("negative amount -12.5", "金额为负：-12.5"),
        (
            "plate '苏E·***23' is not a Chinese plate (a province's character, the office's letter, then 5 or 6 "
            "letters and digits)",
            "号牌 '苏E·***23' 不是我国号牌的写法（如 苏E·12345）",
        ),
        ("totals row (合计), not a record", "合计行（合计），不是记录"),
        # the refusal of a file without a required column, clause by clause
        (
            "/tmp/x/household.csv: required column 'id_number' (公民身份号码) is missing; the file has 姓名, 性别; "
            "where one of them holds it, say which: --column household.HEADER=id_number",
            "/tmp/x/household.csv：缺少必需的列 id_number（公民身份号码）；文件中的列：姓名, 性别；"
            "若其中某列就是它，请用 --column household.表头=id_number 指明（表头写该列的列名）",
        ),
        ("/tmp/x/nope: no such file", "/tmp/x/nope：没有这个文件"),
        (
            "j.csv: read as exports joined in two encodings: gb18030 from line(s) 12 (the header written again in "
            "gb18030), utf-8 before",
            "j.csv：两份不同编码的导出拼在一起：第 12 行起为 gb18030（表头在此重写），之前为 utf-8",
        ),
        # the notes and warnings of the messy files' second round: hidden rows, instructions, birth dates
        (
            "h.xlsx: 2 row(s) hidden in Excel were read as every other row (rows 4 and 7): unhide them to see every "
            "row the file holds",
            "h.xlsx：Excel 中隐藏的 2 行照常读取（第 4、7 行）：取消隐藏即可看到文件的每一行",
        ),
        (
            "t.xlsx: sheet(s) of instructions not read as records: '填表说明' (12 lines)",
            "t.xlsx：说明类工作表不作为记录读取：'填表说明'（12 行）",
        ),
        (
            "household.csv: 出生日期 is not the birth date the row's 公民身份号码 holds in 2 row(s) (lines 3, 5 and "
            "9 more): the date left out, one of the two mistyped: correct the file",
            "household.csv：2 行的出生日期与公民身份号码中的出生日期不符（第 3、5 行等，另 9 行）："
            "日期未加载，二者必有一处写错，请更正文件",
        ),
        (
            "出生日期 1901-01-01 is not the birth date in 公民身份号码 '3205**********0018' (1975-03-12): one of "
            "the two is mistyped (the number's check digit holds: the date is the likelier typo)",
            "出生日期 1901-01-01 与公民身份号码 '3205**********0018' 中的出生日期（1975-03-12）不符：二者必有一处写错"
            "（号码校验位无误：更可能是日期写错）",
        ),
        # said in English on the Chinese console until the walkthrough of s33
        ("units.csv: the units table has a header but no data rows", "units.csv：units 表只有表头，没有数据行"),
        (
            "b.xlsx: only its first sheet '2023' was read; 2 other sheet(s) hold rows and were not: '2024' (3 rows), "
            "'2025' (1 row) (save each sheet as its own file to read it)",
            "b.xlsx：只读取了第一个工作表 '2023'；另有 2 个工作表有数据行，未读取：'2024'（3 行）, '2025'（1 行）"
            "（请把每个工作表另存为单独的文件再加载）",
        ),
        ("something no rule knows", "something no rule knows"),
    ],
)
def test_load_words(en, zh):
    from loaders.words import load_zh

    assert load_zh(en) == zh


def test_find_and_notebook_02_list_candidates_in_chinese(city, tmp_path):
    """``graphkit find`` and notebook 02's search table were headed label, id, name, score, matched (born, unit,
    post), each kind Person and each match pinyin."""
    from graphkit.notebook import candidates
    from graphkit.stores import open_store

    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", str(city), "--store", db).exit_code == 0
    r = run("find", "zhangwei", "--store", db, "--limit", "1")
    assert r.exit_code == 0, r.output
    head, first = r.output.splitlines()[:2]
    assert head.split() == ["类别", "编号", "名称", "得分", "匹配方式"], head
    assert first.split() == ["自然人", "3205**********0018", "张伟", "0.85", "拼音一致"], first
    r = run("find", "zhangwei", "--store", db, "--limit", "1", "--lang", "en")
    assert r.output.split()[:5] == ["label", "id", "name", "score", "matched"]
    store = open_store(db, read_only=True)
    try:
        zh = candidates(store, "zhangwei", limit=1)
        assert zh.columns.tolist() == ["类别", "编号", "名称", "得分", "匹配方式", "出生年份", "单位", "职务"]
        assert zh.iloc[0][["类别", "编号", "匹配方式"]].tolist() == ["自然人", "3205**********0018", "拼音一致"]
        # a company has no birth year, unit or post: empty cells, where the table showed NaN and None
        firm = candidates(store, "某某建设有限公司", limit=1)
        assert firm.iloc[0]["类别"] == "企业" and firm.iloc[0][["出生年份", "单位", "职务"]].tolist() == ["", "", ""]
        en = candidates(store, "zhangwei", limit=1, lang="en")
        assert en.columns.tolist()[:5] == ["label", "id", "name", "score", "matched"]
    finally:
        store.close()


def test_a_viewers_refusal_in_the_readers_language(city, tmp_path):
    """A viewer's refused load said 'error: a viewer cannot load into a store …' to a reader of Chinese; the audit
    log keeps the English reason, as every record it holds."""
    db = f"embedded:{tmp_path / 'v.db'}"
    r = run("load", str(city), "--store", db, env={"GRAPHKIT_ROLE": "viewer"})
    assert r.exit_code == 3
    assert r.output.strip() == (
        "错误：查看者（只读角色：graphkit --read-only 或 GRAPHKIT_ROLE=viewer）不能向图库加载数据；"
        "请由有写权限的分析人员操作（此次被拒绝的操作已记入审计日志）"
    )
    # GRAPHKIT_LANG gives a command with no --lang of its own the English too
    r = run("load", str(city), "--store", db, env={"GRAPHKIT_ROLE": "viewer", "GRAPHKIT_LANG": "en"})
    assert r.output.startswith("error: a viewer cannot load into a store (read-only role:"), r.output
    r = run("load", str(city), "--store", db, "--lang", "en", env={"GRAPHKIT_ROLE": "viewer"})
    assert r.output.startswith("error: a viewer cannot load into a store (read-only role:")
    from graphkit.audit import AuditLog, audit_path_for

    refused = [rec["params"].get("refused", "") for rec in AuditLog(audit_path_for(db)).records()]
    assert refused and all(x.startswith("a viewer cannot load into a store") for x in refused), refused


def test_an_entity_or_model_that_is_not_there_is_said_in_chinese(city, tmp_path):
    """``path``, ``portrait`` and ``export`` said 'nothing matches … (tried name, ID number, …)' and ``models run``
    'no model …; known: …' under the Chinese 错误："""
    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", str(city), "--store", db).exit_code == 0
    r = run("path", "查无此人", "张伟", "--store", db)
    assert r.exit_code == 1 and r.output.strip() == (
        "错误：没有与 '查无此人' 匹配的实体（已按名称、身份证号、统一社会信用代码、车牌、电话和编号查找）"
    )
    r = run("path", "3205**********0018", "张伟", "--store", db)
    assert r.output.startswith("错误：没有与 '3205**********0018' 匹配的实体：这是遮蔽后的标识"), r.output
    r = run("path", "查无此人", "张伟", "--store", db, "--lang", "en")
    assert r.output.strip() == (
        "Error: nothing matches '查无此人' (tried name, ID number, credit code, plate, phone and key)"
    )
    r = run("models", "run", "--store", db, "--model", "nosuch")
    assert r.exit_code == 1 and r.output.startswith("错误：没有模型 'nosuch'；已有：banquet_no_letter, "), r.output


def test_synth_closes_in_chinese(tmp_path):
    """``graphkit synth`` closed with 'wrote N rows in 25 tables to … in … s; truth: …'."""
    r = run("synth", "--scale", "1000", "--out", str(tmp_path / "c"))
    assert r.exit_code == 0, r.output
    assert re.fullmatch(
        rf"已写出 25 张表共 [\d,]+ 行到 {re.escape(str(tmp_path / 'c'))}，用时 [\d.]+ 秒；植入线索的真值："
        rf"{re.escape(str(tmp_path / 'c' / 'truth.json'))}",
        r.output.splitlines()[-1],
    ), r.output
    r = run("synth", "--scale", "1000", "--out", str(tmp_path / "e"), "--lang", "en")
    assert r.output.splitlines()[-1].startswith("wrote ")


def test_graphkit_help_lists_the_commands_in_chinese():
    """``graphkit --help`` said the workbench, its options and every command in English."""
    import click as _click

    from graphkit.cli.helpwords import short_help_zh

    out = run("--help").output
    assert "  面向纪检监察的图谱化调查工作台（数据碰撞）。" in out.splitlines()
    names = main.list_commands(_click.Context(main))
    assert [n for n in names if short_help_zh(n) is None] == []  # a new command gets its Chinese line
    for name in names:
        assert re.search(rf"^  {name}\s+{re.escape(short_help_zh(name))}$", out, re.M), (name, out)
    assert "  --read-only    只读角色" in out and "[默认：077]" in out
    assert not re.search(r"[a-z]{4,} [a-z]{4,}", out.replace("graphkit", "")), out  # no English sentence left
    en = run("--help", env={"GRAPHKIT_LANG": "en"}).output
    assert "Graph-native investigation workbench" in en and "  stats       Counts per node label" in en


def test_the_shared_options_help_is_chinese_in_every_command():
    """A command's --help listed --store, --ledger, --by, --purpose, --unmask and --reason in English."""
    import click as _click

    from graphkit.cli.words import OPTION_HELP_ZH

    helps: set[str] = set()

    def walk(cmd: _click.Command) -> None:
        helps.update(p.help for p in cmd.params if isinstance(p, _click.Option) and p.help)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(main)
    assert sorted(set(OPTION_HELP_ZH) - helps) == []  # each is an option's help as the command declares it
    out = run("find", "--help").output
    flat = re.sub(r"\n +", "", out)  # the help as one line (a Chinese line breaks between two characters)
    assert "由谁运行，记入审计日志［默认：GRAPHKIT_USER 或登录名］。" in flat, out
    assert "embedded:路径（嵌入式库）" in flat, out
    assert "Who runs this" not in out
    en = run("find", "--help", env={"GRAPHKIT_LANG": "en"}).output
    assert "Who runs this, for the audit log" in en and "由谁运行" not in en


@pytest.mark.parametrize(
    "args, zh, en",
    [
        (
            ["export", "--store", "embedded:nowhere.db", "--case", "苏纪2024-017", "--out", "x.pdf"],
            "请指明导出什么：--entity 编号（可重复）和/或 --path A B（可重复）",
            "name what to export: --entity ID (repeatable) and/or --path A B (repeatable)",
        ),
        (
            ["warnings", "show", "W1", "--case", "苏纪2024-017", "--export", "w.pdf"],
            "--export 从库中读取证据：请给出 --store",
            "--export draws the evidence from the store: give --store",
        ),
        (
            ["audit", "show"],
            "请给出 --store（审计日志在库旁）、--log 路径或 GRAPHKIT_AUDIT=路径",
            "give --store (the log sits beside it), --log PATH or GRAPHKIT_AUDIT=PATH",
        ),
        (
            ["audit", "show", "--log", "a.jsonl", "--since", "May"],  # (a.jsonl made below)
            "--since 'May'：请写日期（2024-05-01）或 ISO 时间",
            "--since 'May': give a date (2024-05-01) or an ISO time",
        ),
    ],
    ids=["export", "warnings-show-export", "audit-show", "audit-since"],
)
def test_a_misused_command_is_refused_in_chinese(args, zh, en, tmp_path, monkeypatch):
    """A command given too little (export naming nothing, ``warnings show --export`` without a store, ``audit show``
    with no log) or a bad ``--since`` was refused in English under the Chinese console."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GRAPHKIT_AUDIT", raising=False)
    (tmp_path / "a.jsonl").write_text("", encoding="utf-8")
    r = run(*args)
    assert r.exit_code == 2 and zh in r.output and en not in r.output, r.output
    r = run(*args, env={"GRAPHKIT_LANG": "en"})
    assert r.exit_code == 2 and en in r.output, r.output


def test_neighbours_refuses_a_page_and_a_cursor_in_chinese(city, tmp_path):
    """``neighbours --page 2 --after …`` said 'give --page or --after (a cursor), not both' to a reader of Chinese;
    ``warnings list`` of a store that will not open noted 'every plate and address is masked' in English."""
    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", str(city), "--store", db).exit_code == 0
    r = run("neighbours", "张伟", "--store", db, "--page", "2", "--after", "1")
    assert r.exit_code == 2 and "--page 和 --after（游标）只能给出其一" in r.output, r.output
    r = run("neighbours", "张伟", "--store", db, "--page", "2", "--after", "1", "--lang", "en")
    assert r.exit_code == 2 and "give --page or --after (a cursor), not both" in r.output, r.output
    # a benefit row was listed by its key alone (BEN1): its kind, amount, period and payee (masked) are said
    r = run("neighbours", "苏州市人民政府", "--store", db, "--hops", "1")
    assert r.exit_code == 0, r.output
    (row,) = [line for line in r.output.splitlines() if "BEN1" in line]
    assert row.split(None, 3)[3] == "养老金发放 3,200 元 2024-03，发放对象为 刘洋（3205**********0071）", row
    r = run("neighbours", "苏州市城建局", "--store", db, "--hops", "1", "--lang", "en")
    assert re.search(r"Payment +PAY1 +¥490,000 2024-03-01$", r.output, re.M), r.output
    r = run("neighbours", "苏州市人民政府", "--store", db, "--hops", "1", "--lang", "en")
    assert re.search(r"BEN1 +pension ¥3,200 2024-03, paid to 刘洋 \(3205\*{10}0071\)$", r.output, re.M), r.output
    from graphkit.rules.ledger import Ledger

    Ledger(tmp_path / "w.sqlite").close()
    gone = f"embedded:{tmp_path / 'gone.db'}"  # a ledger whose store is not there: every plate masked, and why
    r = run("warnings", "list", "--store", gone, "--ledger", str(tmp_path / "w.sqlite"))
    assert "注意：" in r.output and "车牌和地址一律遮蔽" in r.output and "every plate" not in r.output, r.output
    r = run("warnings", "list", "--store", gone, "--ledger", str(tmp_path / "w.sqlite"), "--lang", "en")
    assert "every plate and address is masked" in r.output, r.output


def test_a_portrait_of_a_unit_or_person_not_in_the_store_is_refused_in_the_readers_language(tmp_path, city):
    """``portrait --unit CODE`` for a unit the store does not hold printed English under the Chinese console
    (错误：no unit with credit code … in the store); the person's refusal too."""
    store = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", str(city), "--store", store).exit_code == 0
    code = "91320500MA0000NONE"
    r = run("portrait", "--unit", code, "--store", store, "--out", str(tmp_path / "p.html"))
    assert r.exit_code == 1 and r.output.splitlines()[-1] == f"错误：库中没有统一社会信用代码 {code} 的单位", r.output
    en = run("portrait", "--unit", code, "--store", store, "--out", str(tmp_path / "p.html"), "--lang", "en")
    assert en.output.splitlines()[-1] == f"Error: no unit with credit code {code} in the store", en.output
    r = run("portrait", "--person", "320500199001010000", "--store", store, "--out", str(tmp_path / "q.html"))
    assert r.exit_code == 1 and r.output.splitlines()[-1] == "错误：库中没有该身份证号的人员", r.output
