"""Every command's ``--help`` as a Chinese investigator reads it: the command's help, its options' help and its
group's list of commands in Chinese under the Chinese console (the default), the English the commands declare under
``--lang en`` or ``GRAPHKIT_LANG=en`` (:mod:`graphkit.cli.helpwords`).

The rule for what may stay Latin in the Chinese (:func:`english_left`): names only, that is

* what the reader types or sees named: an option (``--store``), a command (``score-bids``), an option's value
  (``en``, ``generated``, ``html``), anything in backticks (```graphkit model docs```, a column ```Tender```);
* a file, path, spec, variable or number: a word holding a digit or one of ``- _ . / : = < > # * [ ]``
  (``truth.json``, ``embedded:路径``, ``NEO4J_USER``, ``NAME#N``, ``SHA-256``, ``i2``);
* an upper-case word (CSV, XLSX, JSON, PDF, ISO, README, a command's own metavar such as SOURCE or NAME), but for
  click's placeholders of a value's type and of the usage line (TEXT, INTEGER RANGE, FILE, DIRECTORY, PATH,
  OPTIONS, COMMAND, ARGS: :data:`PLACEHOLDERS`), said in Chinese (文本, 整数, 文件, 目录, 路径, 选项…);
* a product or format named by its own name (:data:`NAMES`).

Any other Latin word is English left in the Chinese help.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.cli.helpwords import COMMAND_HELP_ZH, OPTION_HELP_ZH, short_help_zh
from graphkit.cli.words import _lines

#: products and formats the Chinese help names by their own names
NAMES = {"graphkit", "FtM", "Ladybug", "JupyterLab", "SQLite", "Parquet", "Markdown", "Excel", "Gephi", "yEd", "skops"}
#: click's placeholders (a value's type, the usage line's): English, however upper-case
PLACEHOLDERS = {"TEXT", "INTEGER", "FLOAT", "RANGE", "BOOLEAN", "FILENAME", "FILE", "DIRECTORY", "PATH"}
PLACEHOLDERS |= {"OPTIONS", "COMMAND", "ARGS"}
#: a word: a run up to a space or punctuation (Chinese, or an English sentence's)
WORD = re.compile(r"[^\s，。；：、（）［］「」『』！？…“”,;()!?'\"]+")


def commands(cmd: click.Command = main, path: str = "") -> list[tuple[str, click.Command]]:
    """Every command of the graphkit group, groups too, with its path (``""`` the group itself), recursively."""
    out = [(path, cmd)]
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        out += commands(sub, f"{path} {name}".strip())
    return out


def allowed_words() -> set[str]:
    """Names of commands and options' values, anywhere in the CLI (the reader types them)."""
    out = {"zh", "en"}
    for path, cmd in commands():
        out.update(path.split())
        for p in cmd.params:
            if isinstance(p.type, click.Choice):
                out.update(str(c) for c in p.type.choices)
    return out


def english_left(text: str, allowed: set[str]) -> list[str]:
    """The Latin words of ``text`` that are not names (the module doc's rule), in order."""
    text = re.sub(r"`[^`]*`", " ", text)
    left = []
    for word in WORD.findall(text):
        if not re.search(r"[A-Za-z]", word) or re.search(r"[-_./:=<>#*\[\]\d]", word):
            continue
        if (word.isupper() and word not in PLACEHOLDERS) or word in allowed or word in NAMES:
            continue
        left.append(word)
    return left


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), prog_name="graphkit", env=env or {"GRAPHKIT_LANG": None})


def test_the_rule_finds_english_and_passes_names():
    allowed = allowed_words()
    assert english_left("Who runs this, for the audit log", allowed) == ["Who", "runs", "this", "for", "the", "log"]
    names = "由谁运行（--by），写入 <库路径>.ledger.sqlite，FtM 文件，NAME#N，`graphkit model docs`"
    assert english_left(names, allowed) == []
    assert english_left("新的状态（generated → dispatched），或英文（en）；CSV 或 XLSX", allowed) == []
    assert english_left("列为 tender、risk", allowed) == ["tender", "risk"]  # a column not in backticks
    # click's placeholders, in the options' rows and the usage line
    assert english_left("--top INTEGER RANGE  --out FILE  --as SOURCE=FILE  --market NAME", allowed) == [
        "INTEGER",
        "RANGE",
        "FILE",
    ]
    assert english_left(" OPTIONS  COMMAND  ARGS ...", allowed) == ["OPTIONS", "COMMAND", "ARGS"]  # brackets taken off
    assert english_left("--top 整数  --out 文件  [选项] 命令 [参数]...", allowed) == []


@pytest.mark.parametrize("path", [p for p, _ in commands()], ids=lambda p: p or "graphkit")
def test_every_command_helps_in_chinese(path):
    """``graphkit load --help``, ``graphkit collusion score-bids --help`` … read their help and every option's help
    in English under the Chinese console."""
    cmd = dict(commands())[path]
    r = run(*path.split(), "--help")
    assert r.exit_code == 0, r.output
    out = r.output
    allowed = allowed_words()
    assert path in COMMAND_HELP_ZH, f"{path!r}: no Chinese help in graphkit.cli.helpwords.COMMAND_HELP_ZH"
    for p in cmd.params:
        if isinstance(p, click.Option) and not p.hidden and p.name != "help":
            assert p.help, f"{path} {p.opts[-1]}: no help at all (the reader sees only its default)"
        if isinstance(p, click.Option) and p.help and not p.hidden:
            assert p.help in OPTION_HELP_ZH, f"{path} {p.opts[-1]}: no Chinese help for {p.help!r}"
            assert not english_left(OPTION_HELP_ZH[p.help], allowed), (p.help, OPTION_HELP_ZH[p.help])
    # the help as the reader sees it: no English sentence left but the options' names (an option's placeholder, the
    # ``TEXT`` of ``--store TEXT``, is said in Chinese: the rows are checked as shown)
    usage, body = out.split("\n", 1)
    assert english_left(body, allowed) == [], out
    assert english_left(re.sub(r"[\[\]]", " ", usage), allowed) == [], usage  # [OPTIONS] COMMAND [ARGS]...
    assert english_left(COMMAND_HELP_ZH[path], allowed) == []
    # each line fits the 80-column terminal click formats for (a Chinese character takes two columns)
    from graphkit.cli.common import width

    too_wide = [line for line in out.splitlines() if width(line) > 80 and " " in line.strip()]
    assert too_wide == [], too_wide


def test_the_help_in_english_under_lang_en():
    """The English the commands declare, under ``GRAPHKIT_LANG=en`` and under ``--lang en`` on any command (one
    without a ``--lang`` of its own refused it as an unknown option)."""
    en = run("load", "--help", env={"GRAPHKIT_LANG": "en"}).output
    assert "Load every source table (CSV, XLSX, Parquet)" in en and "Exit non-zero (3) when any row" in en
    assert "加载" not in en.replace("公务员名册", "")
    for args in (["load", "--lang", "en", "--help"], ["lab", "--lang", "en", "--help"], ["--lang", "en", "--help"]):
        r = run(*args)
        assert r.exit_code == 0 and r.output.startswith("Usage: graphkit"), (args, r.output)
    assert "Adapt to a new market" in run("collusion", "--lang", "en", "--help").output
    zh = run("collusion", "--help").output
    assert re.search(r"^  adapt\s+用新市场的少量已确认标段（10-50 个）使模型适应该市场。$", zh, re.M), zh
    assert "Adapt to" not in zh


def test_help_is_said_in_the_language_asked_whatever_was_asked_first():
    """click makes a command's --help option once: asked first in English (``GRAPHKIT_LANG=en``), ``-h, --help`` of
    ``warnings list`` read 'Show this message and exit.' under the Chinese console later in the same process."""
    import graphkit.cli.rules as rules

    for cmd in rules.COMMANDS:
        for sub in [cmd, *getattr(cmd, "commands", {}).values()]:
            sub._help_option = None  # made afresh below, as by a process that asks first in English
    assert "Show this message and exit." in run("warnings", "show", "--help", env={"GRAPHKIT_LANG": "en"}).output
    zh = run("warnings", "show", "--help").output
    assert "显示本帮助并退出。" in zh and "Show this" not in zh, zh
    assert "Show this message and exit." in run("warnings", "show", "--help", env={"GRAPHKIT_LANG": "en"}).output


def test_the_tables_hold_no_stale_entry():
    """Every entry is a command's path or an option's help as the commands declare it now (an English help changed
    without its Chinese leaves the option English, caught above; a command renamed leaves its entry here)."""
    paths = {p for p, _ in commands()}
    helps = {p.help for _, c in commands() for p in c.params if isinstance(p, click.Option) and p.help}
    assert sorted(set(COMMAND_HELP_ZH) - paths) == []
    assert sorted(set(OPTION_HELP_ZH) - helps) == []


def test_a_chinese_line_breaks_between_characters_not_inside_a_name():
    """click wrapped Chinese by characters (a line of 78 characters took 156 columns) and broke ``077`` and
    ``<库路径>.quarantine.csv`` in two."""
    assert _lines("被拒绝行的 CSV 文件［默认：<库路径>.quarantine.csv，Neo4j 为 ./quarantine.csv］。", 30) == [
        "被拒绝行的 CSV 文件［默认：",
        "<库路径>.quarantine.csv，",
        "Neo4j 为 ./quarantine.csv］。",
    ]
    assert _lines("写出的文件的权限：077 仅本人可读", 18) == ["写出的文件的权限：", "077 仅本人可读"]
    assert short_help_zh("load") == "把来源表和 FtM 文件加载进库（全部加载或全不加载）。"
