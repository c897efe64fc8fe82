"""Every refusal and error line as a Chinese investigator reads it, under the Chinese console (the default); the
English kept under ``--lang en`` / ``GRAPHKIT_LANG=en``. The walk of :func:`test_every_command_refuses_in_chinese`
gives each command what a new user gets wrong (an option that is not there, a value of the wrong kind, a choice
misspelt, a file that is not there, an argument left out) and reads what it says by the rule of
:mod:`test_help_zh` (names may stay Latin, words may not); the tests after it each hold one line that was English.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_help_zh import allowed_words, commands, english_left

from graphkit.cli import main


def run(*args, env: dict | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="graphkit", env=env or {"GRAPHKIT_LANG": None})


def english_in(output: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The English words left in what a command said (the rule of :func:`test_help_zh.english_left`), but for what
    the reader typed (a value quoted back as ``'x'``) and ``names`` (what the file holds: FtM's schema names)."""
    allowed = allowed_words() | names
    return [w for line in output.splitlines() for w in english_left(re.sub(r"'[^']*'", " ", line), allowed)]


def _bad_value(param: click.Parameter) -> str | None:
    """A value a new user might give ``param`` that click refuses, or None for one click takes as it is."""
    t = param.type
    if isinstance(t, click.Choice):
        return "nosuch"
    if isinstance(t, (click.types.IntParamType, click.types.FloatParamType)):
        return "x"
    if isinstance(t, click.Path) and t.exists:
        return "/nonexistent-zh3/f"
    return None


def _walk() -> list[tuple[str, list[str]]]:
    """(command path, arguments) for every command: an unknown option; each typed option or argument given a bad
    value; the command with nothing (a missing argument or option)."""
    out = []
    for path, cmd in commands():
        words = path.split()
        out.append((path, [*words, "--no-such-option"]))
        if not isinstance(cmd, click.Group) and any(p.required for p in cmd.params):
            out.append((path, words))
        for p in cmd.params:
            bad = _bad_value(p)
            if bad is None or p.name in ("help", "lang") or getattr(p, "hidden", False):
                continue
            if isinstance(p, click.Option):
                if p.is_flag or p.count:
                    continue
                out.append((path, [*words, p.opts[-1], bad]))
            elif not p.required:  # an optional argument: alone
                out.append((path, [*words, bad]))
    out.append(("", ["--umask", "999", "stats", "--store", "embedded:x"]))
    return out


@pytest.mark.parametrize("path, args", _walk(), ids=lambda x: " ".join(x) if isinstance(x, list) else None)
def test_every_command_refuses_in_chinese(path, args, tmp_path, monkeypatch):
    """``graphkit --umask 999`` said "is not an octal umask such as 077 or 022" under 错误：'--umask' 的值无效; each
    command's click refusals are walked here for any other English left."""
    import graphkit.cli.lab as lab

    def started(*a):  # a command line click let through would start JupyterLab in place of the tests
        raise AssertionError(f"graphkit {' '.join(args)} started JupyterLab")

    monkeypatch.setattr(lab.os, "execv", started)
    monkeypatch.chdir(tmp_path)
    r = run(*args)
    assert r.exit_code == 2, (args, r.output, r.exception)
    assert r.output.splitlines()[-1].startswith("错误："), r.output
    assert english_in(r.output) == [], r.output


def test_the_umask_refusal_in_either_language():
    """The global ``--umask`` refusal: English under --lang en, Chinese by default (it was English in both)."""
    r = run("--umask", "8", "stats", "--store", "embedded:x")
    assert r.exit_code == 2 and "'8' 不是八进制的权限掩码：写 077（仅本人可读）或 022（所有人可读）" in r.output, (
        r.output
    )
    r = run("--umask", "8", "stats", "--store", "embedded:x", env={"GRAPHKIT_LANG": "en"})
    assert r.exit_code == 2 and "'8' is not an octal umask such as 077 or 022" in r.output, r.output


# ------------------------------------------------------------------------------------------ graphkit load: FtM
def _ftm(path: Path, lines: list) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def test_an_ftm_files_refused_lines_are_said_in_chinese(tmp_path):
    """``graphkit load --ftm`` named each refused line in Chinese (``第 3 行``) and why in English: malformed JSON at
    column 2: Expecting property name…, FtM has no schema 'Foo', entity has no id, refers to c9, which is neither in
    the file nor in the store, not a valid FtM date; a second load's note (entities already in the store) too."""
    f = _ftm(
        tmp_path / "e.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["张三"], "birthDate": ["notadate"]}},
            {"id": "p2", "schema": "Foo", "properties": {"name": ["X"]}},
            "{bad json",
            "[1, 2]",
            {"schema": "Person", "properties": {}},
            {"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c9"]}},
            {"id": "o2", "schema": "Ownership", "properties": {"owner": ["p1"]}},
            {"id": "p1", "schema": "Company", "properties": {"name": ["Y"]}},
        ],
    )
    db = f"embedded:{tmp_path / 'g.db'}"
    r = run("load", "--store", db, "--ftm", f)
    assert r.exit_code == 0, r.output
    for line in (
        "  e.ftm.jsonl 第 2 行，schema 列：FtM 中没有名为 'Foo' 的 schema（实体类型）",
        "  e.ftm.jsonl 第 3 行：JSON 格式有误（第 2 列）：属性名须用双引号括起",
        "  e.ftm.jsonl 第 4 行：该行是 JSON，但不是一个实体对象（{…}）",
        "  e.ftm.jsonl 第 5 行，id 列：实体没有 id",
        "  e.ftm.jsonl 第 8 行，schema 列：编号 p1 在 e.ftm.jsonl 第 1 行是 Person；FtM 不能把它与 Company 合并",
        "  e.ftm.jsonl 第 7 行，asset 列：Ownership 缺少 asset：FtM 要求必须有",
        "  e.ftm.jsonl 第 6 行，asset 列：指向 c9，但文件中和库中都没有它",
        "  e.ftm.jsonl 第 1 行，birthDate 列：不是有效的 FtM date 值（Person.birthDate）",
    ):
        assert line in r.output.splitlines(), r.output
    ftm_names = frozenset({"schema", "id", "Person", "Company", "Ownership", "asset", "date", "birthDate", "p1", "c9"})
    assert english_in(r.output, ftm_names) == [], r.output
    again = run("load", "--store", db, "--ftm", f)
    # the entities counted by the model's Chinese name of their label (it read 1 Person among Chinese words)
    assert "注意：e.ftm.jsonl：1 个实体已在库中，保持原样（自然人 1 个；graphkit 不更新库中已有的实体：" in again.output
    assert english_in(again.output, ftm_names) == [], again.output
    en = run("load", "--store", f"embedded:{tmp_path / 'en.db'}", "--ftm", f, "--lang", "en")
    assert "  e.ftm.jsonl line 2, column schema: FtM has no schema 'Foo'" in en.output.splitlines(), en.output


def test_an_ftm_file_that_is_no_ftm_is_refused_in_chinese(tmp_path):
    """A JSON array broken half-way stopped the load with its English (a JSON array that is not valid JSON …)."""
    f = tmp_path / "broken.ftm.json"
    f.write_text('[{"id": "a", "schema": "Person"},\n  {"id": ]\n', encoding="utf-8")
    r = run("load", "--store", f"embedded:{tmp_path / 'g.db'}", "--ftm", f)
    assert r.exit_code == 2, r.output
    assert "错误：broken.ftm.json：JSON 数组不是有效的 JSON（第 2 行第 10 列：缺少值）" in r.output, r.output
    assert english_in(r.output.replace("FtM statements CSV", "")) == [], r.output


def test_the_neo4j_import_folder_lines_in_chinese(tmp_path, city):
    """``graphkit load --neo4j-import-dir``: its next step (next: import the files into a stopped Neo4j …), a folder
    already holding files and FtM files refused were English under the Chinese console."""
    out = tmp_path / "imp"
    r = run("load", city, "--neo4j-import-dir", out)
    assert r.exit_code == 0, r.output
    assert f"下一步：把这些文件导入已停止的 Neo4j（`neo4j-admin database import full @{out / 'import.args'} neo4j`" in (
        r.output
    )
    assert english_in(r.output) == [], r.output
    again = run("load", city, "--neo4j-import-dir", out)
    assert again.exit_code == 2 and f"错误：{out / 'nodes'} 里已有文件：新的导入请给出一个空文件夹" in again.output
    f = _ftm(tmp_path / "e.ftm.jsonl", [{"id": "p1", "schema": "Person", "properties": {"name": ["张三"]}}])
    r = run("load", "--neo4j-import-dir", tmp_path / "imp2", "--ftm", f)
    assert r.exit_code == 2 and "错误：FtM 文件（e.ftm.jsonl）不能写入 neo4j-admin 导入文件夹" in r.output, r.output
    assert english_in(r.output) == [], r.output
    en = run("load", "--neo4j-import-dir", tmp_path / "imp3", "--ftm", f, "--lang", "en")
    assert "FtM files (e.ftm.jsonl) cannot go into a neo4j-admin import folder" in en.output, en.output
    en = run("load", city, "--neo4j-import-dir", tmp_path / "imp4", "--lang", "en")
    assert "next: import the files into a stopped Neo4j" in en.output, en.output


# ------------------------------------------------------------------------------------------------- graphkit lab
def test_labs_refusals_in_chinese(tmp_path, monkeypatch):
    """``graphkit lab``'s two refusals (JupyterLab is not installed …, no notebooks folder …) were English under the
    Chinese console; a store named by --store that is not there started JupyterLab, where every notebook's first
    cell then refused it: it is said before, with the command that makes it."""
    import graphkit.cli.lab as lab

    def started(*a):
        raise AssertionError("JupyterLab started")

    monkeypatch.setattr(lab.os, "execv", started)
    monkeypatch.setattr(lab.shutil, "which", lambda *a, **k: None)
    r = run("lab")
    assert r.exit_code == 1, r.output
    assert "错误：没有安装 JupyterLab：运行 make lab（或 pip install -e '.[notebooks]'）" in r.output, r.output
    r = run("lab", "--lang", "en")
    assert "Error: JupyterLab is not installed: make lab" in r.output, r.output
    monkeypatch.setattr(lab.shutil, "which", lambda *a, **k: "/usr/bin/jupyter-lab")
    monkeypatch.setattr(lab, "__file__", str(tmp_path / "site" / "graphkit" / "cli" / "lab.py"))
    r = run("lab")
    nb = tmp_path / "site" / "notebooks"
    assert r.exit_code == 1 and f"错误：{nb}：没有 notebooks/ 文件夹（graphkit lab 须在项目的克隆中运行）" in r.output
    assert english_in(r.output) == [], r.output
    r = run("lab", "--store", f"embedded:{tmp_path / 'typo.db'}")
    db = tmp_path / "typo.db"
    assert r.exit_code == 2, r.output
    assert f"{db} 没有库：先用 `graphkit load SOURCE_DIR --store embedded:{db}` 加载一个" in r.output, r.output
    r = run("lab", "--store", f"embedded:{tmp_path / 'typo.db'}", "--lang", "en")
    assert f"no store at {db}: load one with `graphkit load SOURCE_DIR --store embedded:{db}`" in r.output, r.output


# ------------------------------------------------------------------------------------ graphkit load: refusals
@pytest.mark.parametrize(
    "make, args, zh, en",
    [
        (
            {"household.csv": "公民身份号码,姓名,姓名\n1,2,3\n"},
            [],
            "household.csv：第 2 列和第 3 列的表头都是 '姓名'：只保留其中一列",
            "header '姓名' (column 2) and header '姓名' (column 3) are the same: keep one of them",
        ),
        ({}, [], "：没有可加载的文件（须是以来源表命名或带其表头的表格", "nothing to load"),
        (
            {"notes.txt": "x"},
            [],
            "其中有 notes.txt；请按来源表给表格命名",
            "it holds notes.txt; name a table after its source",
        ),
        (
            {"household.csv": "公民身份号码\n"},
            ["--encoding", "nosuch"],
            "household.csv：未知的编码 'nosuch'（写 gb18030、utf-8 等，或不给 --encoding）",
            "household.csv: unknown encoding 'nosuch'",
        ),
        (
            {"household.csv": "公民身份号码\n"},
            ["--as", "nosuch=x.csv"],
            "--as 的值无效：--as nosuch=x.csv：没有来源表 'nosuch'；来源表有：household, ",
            "--as nosuch=x.csv: no source table 'nosuch'; the source tables are household, ",
        ),
        (
            {"household.csv": "公民身份号码\n"},
            ["--as", "roster"],
            "--as 的值无效：'roster'：请写作 来源表=文件（如 roster=公务员名册.xlsx）",
            "'roster': write SOURCE=FILE (roster=公务员名册.xlsx)",
        ),
        (
            {"household.csv": "公民身份号码\n"},
            ["--column", "roster.工作单位=nosuch"],
            "--column 的值无效：roster 表没有 'nosuch' 列（表头 '工作单位' 要读作的列）；它的列有：id_number",
            "the roster table has no column 'nosuch' (for header '工作单位'); its columns are id_number",
        ),
        (
            {"household.csv": "公民身份号码\n"},
            ["--column", "roster.x"],
            "--column 的值无效：--column 'roster.x'：请写作 来源表.表头=列名（如 roster.工作单位=unit_id）",
            "--column 'roster.x': write SOURCE.HEADER=FIELD (roster.工作单位=unit_id)",
        ),
    ],
    ids=["same-header", "empty-folder", "nothing-loadable", "encoding", "as-table", "as-form", "column", "column-form"],
)
def test_a_load_refused_is_said_in_chinese(make, args, zh, en, tmp_path):
    """A folder with two headers alike, with nothing to load, an unknown --encoding, an --as or --column naming a
    table or column no contract has, or not written SOURCE=FILE: each refusal was English under the Chinese
    console."""
    src = tmp_path / "src"
    src.mkdir()
    for name, text in make.items():
        (src / name).write_text(text, encoding="utf-8")
    r = run("load", src, "--store", f"embedded:{tmp_path / 'g.db'}", *args)
    assert r.exit_code == 2 and zh in r.output and en not in r.output, r.output
    r = run("load", src, "--store", f"embedded:{tmp_path / 'g.db'}", *args, "--lang", "en")
    assert r.exit_code == 2 and en in r.output, r.output


def test_a_load_that_fails_on_the_way_says_why_in_chinese(tmp_path, city):
    """A store under a file: the load failed with "the load failed ([Errno 20] Not a directory: …); the store is
    left as it was" and "audit log …: [Errno 17] File exists: …" under the Chinese console."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    db = tmp_path / "afile" / "g.db"
    r = run("load", city, "--store", f"embedded:{db}")
    assert r.exit_code == 1, r.output
    assert f"错误：加载失败（路径中有一段是文件，不是文件夹：'{db}.loading'）；库保持原样" in r.output, r.output
    said = f"错误：无法读写审计日志 {db}.audit.jsonl：路径中有一段是文件，不是文件夹（{tmp_path / 'afile'}）"
    assert said in r.output, r.output
    assert "Errno" not in r.output and "the load failed" not in r.output, r.output
    r = run("load", city, "--store", f"embedded:{db}", "--lang", "en")
    assert "the load failed ([Errno 20] Not a directory" in r.output, r.output


# ------------------------------------------------------------------------------ reading commands: refusals
def test_a_page_past_the_last_and_an_unknown_type_are_refused_in_chinese(tmp_path, city):
    """``neighbours --page 999`` said "page 999 is past the last page: … has 3 link(s), 1 page(s) of 50", and
    ``--types NOSUCH`` "unknown relationship type(s) 'NOSUCH'; the model has …", under the Chinese console."""
    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", city, "--store", db).exit_code == 0
    r = run("neighbours", "张伟", "--store", db, "--page", "999")
    assert r.exit_code == 1 and re.search(
        r"错误：第 999 页超出了最后一页：\S+ 有 \d+ 条关系，每页 50 条，共 1 页", r.output
    )
    assert "3205" not in r.output.replace("3205**********", ""), "the ID number masked"
    assert "past the last page" in run("neighbours", "张伟", "--store", db, "--page", "999", "--lang", "en").output
    for cmd in (["neighbours", "张伟"], ["path", "张伟", "李娜"]):
        r = run(*cmd, "--store", db, "--types", "NOSUCH")
        assert r.exit_code == 1 and "错误：没有关系类型 'NOSUCH'；图模型中的关系类型有：FAMILY, " in r.output, r.output
        r = run(*cmd, "--store", db, "--types", "NOSUCH", "--lang", "en")
        assert "unknown relationship type(s) 'NOSUCH'; the model has FAMILY" in r.output, r.output


def test_a_portrait_of_an_entity_of_another_kind_is_refused_in_chinese(tmp_path, city):
    """``portrait --unit 某某建设有限公司`` (a company) and ``--unit 苏州市…#2`` (a Place sharing a unit's name, as
    the candidates list offers it) said "'…' names a Company, not a unit" under the Chinese console."""
    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", city, "--store", db).exit_code == 0
    out = tmp_path / "p.html"
    r = run("portrait", "--unit", "某某建设有限公司", "--store", db, "--out", out)
    assert r.exit_code == 1 and "错误：'某某建设有限公司' 指向的是企业，不是单位" in r.output, r.output
    assert not english_in(r.output.replace("'某某建设有限公司'", "")), r.output
    r = run("portrait", "--person", "苏州市城建局", "--store", db, "--out", out)
    assert r.exit_code == 1 and "错误：'苏州市城建局' 指向的是单位，不是自然人" in r.output, r.output
    r = run("portrait", "--unit", "某某建设有限公司", "--store", db, "--out", out, "--lang", "en")
    assert "'某某建设有限公司' names a Company, not a unit" in r.output, r.output
    assert not out.exists()
    # a name in part lists the similar units alone: the companies it listed too were refused once picked
    r = run("portrait", "--unit", "苏州", "--store", db, "--out", out)
    rows = [ln.split() for ln in r.output.splitlines() if re.match(r"\s+苏州", ln)]
    assert r.exit_code == 2 and len(rows) >= 3 and {x[1] for x in rows} == {"单位"}, r.output


def test_a_store_spec_holding_a_password_is_refused_in_chinese():
    """``--store neo4j://user:pw@host`` was refused in English (a user or password in the URI is not accepted …),
    the password never shown either way."""
    r = run("stats", "--store", "neo4j://neo4j:s3cret@127.0.0.1:7687")
    assert r.exit_code == 2 and "s3cret" not in r.output, r.output
    assert "库 neo4j://neo4j:…@127.0.0.1:7687：库地址中不能写用户名或密码（会被打印和记入日志）；请写 " in r.output
    assert english_in(r.output) == [], r.output
    r = run("stats", "--store", "neo4j://neo4j:s3cret@127.0.0.1:7687", "--lang", "en")
    assert "a user or password in the URI is not accepted" in r.output and "s3cret" not in r.output, r.output


# ------------------------------------------------------------------------------------- graphkit collusion
def test_a_bid_file_or_model_file_refused_in_chinese(tmp_path):
    """``collusion score-bids`` on a file with no tender or price column said "missing required column 'Tender',
    'Bid_value' (a bid table needs …; found …; headers read: Tender as Tender or 招标编号 …)", and on a file that is
    no model "not a graphkit collusion model file (BadZipFile: …)", under the Chinese console."""
    bids = tmp_path / "b.csv"
    bids.write_text("名称,金额\nA,1\n", encoding="utf-8")
    r = run("collusion", "score-bids", bids, "--out", tmp_path / "o.csv")
    assert r.exit_code == 1, r.output
    assert (
        "错误：b.csv：缺少必需的列 'Tender', 'Bid_value'（报价表需要 Tender, Bid_value；文件中的列：名称, 金额；"
        in (r.output)
    )
    assert "各列可用的表头：Tender 可写作 Tender、招标编号、" in r.output, r.output
    assert "missing required column" not in r.output and " or " not in r.output, r.output
    r = run("collusion", "score-bids", bids, "--out", tmp_path / "o.csv", "--lang", "en")
    assert "b.csv: missing required column 'Tender', 'Bid_value' (a bid table needs" in r.output, r.output
    bids.write_text("Tender,Bid_value,Winner\nT1,100,1\nT1,120,0\n", encoding="utf-8")
    model = tmp_path / "m.skops"
    model.write_text("not a model", encoding="utf-8")
    r = run("collusion", "score-bids", bids, "--out", tmp_path / "o.csv", "--model", model)
    assert r.exit_code == 1 and f"错误：{model}：不是 graphkit 的串标模型文件（" in r.output, r.output
    r = run("collusion", "score-bids", bids, "--out", tmp_path / "o.csv", "--model", model, "--lang", "en")
    assert f"{model}: not a graphkit collusion model file (" in r.output, r.output


# ------------------------------------------------------------------------------------------------ stores
def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_store_that_cannot_be_opened_is_said_in_chinese(tmp_path):
    """``--store embedded:FOLDER`` said Ladybug's "Runtime exception: Database path cannot be a directory", and a
    Neo4j that is down the driver's "Unable to retrieve routing information ([Errno 111] Connection refused)",
    inside the Chinese sentence."""
    r = run("stats", "--store", f"embedded:{tmp_path}")
    assert r.exit_code == 1, r.output
    assert f"{tmp_path} 是文件夹，不是嵌入式库：库是一个文件，请写 embedded:文件夹/库名.db" in r.output, r.output
    assert english_in(r.output) == [], r.output
    for scheme in ("neo4j", "bolt"):
        uri = f"{scheme}://127.0.0.1:{_closed_port()}"
        r = run("stats", "--store", uri)
        assert r.exit_code == 1 and f"错误：连不上 {uri} 的 Neo4j（" in r.output, r.output
        assert "连接被拒绝" in r.output and "Connection refused" not in r.output and "Unable" not in r.output, r.output
        r = run("stats", "--store", uri, "--lang", "en")
        assert f"cannot reach Neo4j at {uri}: " in r.output and "Connection refused" in r.output, r.output


# ------------------------------------------------------------------------- warnings, export, audit: refusals
def test_a_ledger_a_case_number_and_an_audit_log_refused_in_chinese(tmp_path, city):
    """Half English under the Chinese console: a ledger that is no SQLite file (…（不是 SQLite 数据库：file is not a
    database）), export --case "" (--case: a case file needs a case number …), audit show of a log that is not
    one (…, line 1, column 1: not a JSON record), and warnings list's last line (0 条预警 / 0 warning(s))."""
    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", city, "--store", db).exit_code == 0
    bad = tmp_path / "bad.sqlite"
    bad.write_text("garbage", encoding="utf-8")
    r = run("models", "run", "--store", db, "--ledger", bad)
    assert r.exit_code == 1 and r.output.strip() == f"错误：{bad} 不是预警台账（不是 SQLite 数据库文件）", r.output
    r = run("export", "--store", db, "--case", " ", "--out", tmp_path / "x.pdf", "--entity", "张伟")
    assert r.exit_code == 2 and "错误：--case：案卷须有案卷号，如 --case 苏纪2024-017" in r.output, r.output
    r = run("export", "--store", db, "--case", " ", "--out", tmp_path / "x.pdf", "--entity", "张伟", "--lang", "en")
    assert "--case: a case file needs a case number (案卷号)" in r.output, r.output
    r = run("audit", "show", "--log", bad)
    assert r.exit_code == 1 and f"错误：{bad} 第 1 行第 1 列：不是一条 JSON 记录（被编辑或截断）" in r.output, r.output
    assert f"{bad}, line 1, column 1: not a JSON record" in run("audit", "show", "--log", bad, "--lang", "en").output
    assert run("models", "run", "--store", db).exit_code == 0
    r = run("warnings", "list", "--store", db, "--model", "nosuch")
    assert r.exit_code == 0 and r.output.splitlines()[-1] == "没有符合条件的预警", r.output
    r = run("warnings", "list", "--store", db)
    assert re.fullmatch(r"共 \d+ 条预警", r.output.splitlines()[-1]) and "warning(s)" not in r.output, r.output
    assert run("warnings", "list", "--store", db, "--lang", "en").output.splitlines()[-1].endswith(" warning(s)")


# ------------------------------------------------------------------ the store's, the readers' and the system's words
def test_a_file_that_is_no_store_and_a_store_in_use_are_said_in_chinese(tmp_path, city):
    """Ladybug's own English inside the Chinese sentence: "Runtime exception: Unable to open database. The file is
    not a valid Lbug database file!" for a file that is no store, "IO exception: Could not set lock on file : … See
    the docs: https://… for more information." for a store another process has open."""
    import subprocess
    import sys

    bad = tmp_path / "notes.db"
    bad.write_bytes(b"these are notes, not a graph" * 400)
    r = run("stats", "--store", f"embedded:{bad}")
    assert (
        r.exit_code == 1 and "这个文件不是嵌入式图库（不是 Ladybug 数据库文件）：--store 是否指错了文件？" in r.output
    )
    assert english_in(r.output) == [] and "exception" not in r.output, r.output
    assert "not a valid Lbug database file" in run("stats", "--store", f"embedded:{bad}", "--lang", "en").output
    db = tmp_path / "g.db"
    assert run("load", city, "--store", f"embedded:{db}").exit_code == 0
    holder = subprocess.Popen(  # another process holds the store open for writing (a notebook's kernel)
        [
            sys.executable,
            "-c",
            f"import ladybug, sys; d = ladybug.Database({str(db)!r}); print('open', flush=True); sys.stdin.read()",
        ],  # fmt: skip
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:  # a second writer is refused the lock (a reader is not)
        assert holder.stdout.readline().strip() == "open"
        from graphkit.rules.words import refusal_zh
        from graphkit.stores import StoreError
        from graphkit.stores.embedded import EmbeddedStore

        store = EmbeddedStore(db)
        with pytest.raises(StoreError) as err:
            store.counts()
        said = refusal_zh(str(err.value))
        assert "Could not set lock" in str(err.value) and said == (
            f"无法打开嵌入式库 {db}：另一个进程正打开着这个库（另一条 graphkit 命令、笔记本或 JupyterLab 内核）："
            "等它结束或关掉它后再试"
        ), said
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


@pytest.mark.parametrize(
    "content, zh, en",
    [
        (
            b"PK\x03\x04 a workbook cut short by a broken download",
            "不是完好的 Excel 工作簿（文件已损坏或不完整，打不开）",
            "cannot read the file (BadZipFile: File is not a zip file",
        ),
        (
            b"<html><body><table><tr><td>a</td></tr></table></body></html>",
            "这是以 Excel 文件名保存的网页（HTML 表格），不是工作簿",
            "a web page (an HTML table) saved under an Excel name",
        ),
    ],
    ids=["damaged-xlsx", "web-page"],
)
def test_a_workbook_the_readers_cannot_open_is_said_in_chinese(content, zh, en, tmp_path):
    """A damaged .xlsx said the reader's "cannot read the file (ZipError: invalid Zip archive: Could not find
    EOCD)", and a web page saved as .xlsx the reader's English, under 错误：; English kept under --lang en."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "roster.xlsx").write_bytes(content)
    store = f"embedded:{tmp_path / 'g.db'}"
    r = run("load", src, "--store", store)
    assert r.exit_code == 2 and zh in r.output, r.output
    assert english_in(r.output) == [] and "Zip" not in r.output, r.output
    assert en in run("load", src, "--store", store, "--lang", "en").output
    # the same file as a bid table (collusion score-bids reads it with the same readers)
    r = run("collusion", "score-bids", src / "roster.xlsx", "--out", tmp_path / "t.csv")
    assert r.exit_code != 0 and zh in r.output and english_in(r.output) == [], r.output


def test_a_ranking_the_disk_cannot_take_is_said_in_chinese(tmp_path, city, monkeypatch):
    """``rank --out R.csv`` on a full disk ended in a traceback (OSError: [Errno 28] No space left on device); now one
    Chinese line naming the file, and nothing left under its name."""
    import errno

    import pandas as pd

    db = f"embedded:{tmp_path / 'g.db'}"
    assert run("load", city, "--store", db).exit_code == 0
    out = tmp_path / "r.csv"

    def full(self, path, *a, **kw):
        Path(path).write_text("id,risk\n", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    r = run("rank", "--kind", "unit", "--store", db, "--out", out)
    assert r.exit_code == 1 and r.output.strip().splitlines()[-1] == f"错误：{out}：磁盘空间不足", r.output
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
    r = run("rank", "--kind", "unit", "--store", db, "--out", out, "--lang", "en")
    assert r.output.strip().splitlines()[-1] == f"Error: {out}: No space left on device", r.output
