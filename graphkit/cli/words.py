"""click's own words in Chinese: ``Usage:``, ``Error:``, ``Try 'graphkit … -h' for help.``, ``No such option``,
``Missing argument``, the ``--help`` headings (Options, Commands) and the ``[default: …]`` of an option.

click says them through gettext (``from gettext import gettext as _`` in each of its modules, the default domain);
:class:`ClickWords` is a gettext translation of those messages, and :func:`installed` puts it (or, for English,
the messages as click wrote them) in place of click's ``_`` and ``ngettext`` for one command. A gettext catalogue
file and the environment (``LANGUAGE``) would choose by the locale of the machine, not by ``--lang`` /
``GRAPHKIT_LANG``; a child process (``graphkit lab``) keeps its own.

Example
-------
>>> ClickWords().gettext("Usage:"), ClickWords().gettext("no such message")
('用法:', 'no such message')
"""

from __future__ import annotations

import contextlib
import gettext
import importlib
import inspect
import re
from collections.abc import Iterator

import click

from graphkit.cli.helpwords import COMMAND_HELP_ZH, OPTION_HELP_ZH, short_help_zh
from graphkit.rules.words import REFUSAL_ZH, refusal_zh  # where the widgets read them too

__all__ = [
    "CLICK_ZH",
    "CLICK_MODULES",
    "METAVAR_ZH",
    "placeholders_zh",
    "ClickWords",
    "installed",
    "REFUSAL_ZH",
    "refusal_zh",
    "COMMAND_HELP_ZH",
    "OPTION_HELP_ZH",
    "Context",
]

#: click's messages (its msgids, placeholders kept) as a Chinese reader reads them; a singular and its plural
#: (ngettext) each have their line
CLICK_ZH: dict[str, str] = {
    # usage and help
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    # errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少 {param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要用其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "{value!r} is not {choice}.": "{value!r} 不是可选的值 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选的值（{choices}）之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",  # {number_type}: integer, float (English)
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    # {name} is the path's kind as click named it in English when the command was declared (File, Directory):
    # left out
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读（本账户无读权限）。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写（本账户无写权限）。",
    "{name} {filename!r} is not executable.": "{filename!r} 不可执行。",
    # prompts
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不经询问直接确认。",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
}

#: click's placeholders for an option's or a command's value (a type's name, upper-cased: ``--store TEXT``,
#: ``--top INTEGER RANGE``, ``--out FILE``) and the usage line's own (``[OPTIONS]``, ``COMMAND [ARGS]...``) as a
#: Chinese reader reads them (:func:`placeholders_zh`); a command's own metavar (``NAME``, ``SOURCE=FILE``,
#: ``PERIOD``) names what its help then refers to and stays, but for a placeholder word inside it (``SOURCE=文件``);
#: a choice's values (``[zh|en]``) are what the reader types and stay too
METAVAR_ZH: dict[str, str] = {
    "INTEGER RANGE": "整数",
    "FLOAT RANGE": "数值",
    "TEXT": "文本",
    "INTEGER": "整数",
    "FLOAT": "数值",
    "BOOLEAN": "是/否",
    "FILENAME": "文件",
    "FILE": "文件",
    "DIRECTORY": "目录",
    "PATH": "路径",
    "OPTIONS": "选项",
    "COMMAND": "命令",
    "ARGS": "参数",
}
_METAVAR = re.compile(r"(?<![A-Za-z_])(" + "|".join(map(re.escape, METAVAR_ZH)) + r")(?![A-Za-z_])")


def placeholders_zh(text: str) -> str:
    """``text`` (an option's row, a usage line) with click's placeholders in Chinese (:data:`METAVAR_ZH`); an option's
    name (lower case) and a command's own metavar are kept.

    >>> placeholders_zh("-n, --top INTEGER RANGE"), placeholders_zh("[OPTIONS] COMMAND [ARGS]...")
    ('-n, --top 整数', '[选项] 命令 [参数]...')
    >>> placeholders_zh("--as SOURCE=FILE"), placeholders_zh("[SOURCE_DIR]"), placeholders_zh("--market NAME")
    ('--as SOURCE=文件', '[SOURCE_DIR]', '--market NAME')
    """
    return _METAVAR.sub(lambda m: METAVAR_ZH[m[1]], text)


#: the click modules that say a message through ``_`` / ``ngettext``
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


class ClickWords(gettext.NullTranslations):
    """A gettext translation of click's messages into Chinese (:data:`CLICK_ZH`); one it lacks as it is."""

    def gettext(self, message: str) -> str:
        """``message`` in Chinese, or as it is."""
        return CLICK_ZH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """The singular's or the plural's Chinese, by ``n``."""
        return self.gettext(msgid1 if n == 1 else msgid2)


@contextlib.contextmanager
def installed(lang: str) -> Iterator[None]:
    """click says its messages in ``lang`` (``zh``: :class:`ClickWords`; ``en``: as click wrote them) while the
    block runs; what click's modules had is put back after."""
    words = ClickWords() if lang == "zh" else gettext.NullTranslations()
    modules = [importlib.import_module(f"click.{name}") for name in CLICK_MODULES]
    before = [(m, {k: getattr(m, k) for k in ("_", "ngettext") if hasattr(m, k)}) for m in modules]
    try:
        for m, had in before:
            if "_" in had:
                m._ = words.gettext
            if "ngettext" in had:
                m.ngettext = words.ngettext
        yield
    finally:
        for m, had in before:
            for k, v in had.items():
                setattr(m, k, v)


class _Formatter(click.HelpFormatter):
    """click's help formatter, saying a command's help, its options' help and its group's list of commands in
    Chinese (:mod:`graphkit.cli.helpwords`) when the console reads Chinese, wrapped by terminal columns (a Chinese
    character takes two; click's wrapper counts it one, and a Chinese line ran past the terminal's edge).
    ``[默认：…]`` after an option's help is kept. :class:`Context` gives it the command whose help it writes."""

    #: the command's path ("collusion score-bids"; "" the graphkit group) and the command, set by Context
    path = ""
    command: click.Command | None = None
    #: the heading of the section being written (click's Options or Commands, said in the console's language)
    _heading = ""

    @staticmethod
    def _zh() -> bool:
        from graphkit.cli.common import console_lang

        return console_lang() == "zh"

    @contextlib.contextmanager
    def section(self, name: str) -> Iterator[None]:
        """A section under ``name`` (the formatter remembers which, to say its rows)."""
        before, self._heading = self._heading, name
        try:
            with super().section(name):
                yield
        finally:
            self._heading = before

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, its placeholders in Chinese where the console reads Chinese (``[选项] 命令 [参数]...``)."""
        super().write_usage(prog, placeholders_zh(args) if self._zh() else args, prefix)

    def write_text(self, text: str) -> None:
        """The command's help in Chinese where the console reads Chinese and the table has it; else as click."""
        zh = None
        if self._zh() and self.command is not None and self.command.help is not None:
            if text == inspect.cleandoc(self.command.help).partition("\f")[0]:
                zh = COMMAND_HELP_ZH.get(self.path)
        if zh is None:
            return super().write_text(text)
        self.write(_wrapped(zh, self.width - self.current_indent, " " * self.current_indent))
        self.write("\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """Options or commands, their help in Chinese where the console reads Chinese (:meth:`_said`)."""
        if not self._zh():
            # click makes a command's --help option once, its help said in the language of the first command line
            # that asked for it (one process running several: a test session, a notebook): said again here
            english = {zh: en for en, zh in CLICK_ZH.items()}
            return super().write_dl([(t, english.get(x, x)) for t, x in rows], col_max, col_spacing)
        from graphkit.cli.common import width

        rows = [(placeholders_zh(term), self._said(term, text)) for term, text in rows]
        first_col = min(max((width(t) for t, _ in rows), default=0), col_max) + col_spacing
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrapped(text, max(self.width - first_col - 2, 10), "").splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")

    def _said(self, term: str, text: str) -> str:
        """A row's help in Chinese: a subcommand's line (:func:`short_help_zh`) in the Commands section, else an
        option's help (:data:`OPTION_HELP_ZH`, keyed by its English help; the ``  [默认：…]`` after it kept); as it
        is where the table lacks it."""
        if self._heading in ("Commands", CLICK_ZH["Commands"]):
            return short_help_zh(f"{self.path} {term}".strip()) or text
        if text in OPTION_HELP_ZH:
            return OPTION_HELP_ZH[text]
        if text in CLICK_ZH:  # --help's own, made once by click (in English, where an English line first asked)
            return CLICK_ZH[text]
        head, sep, tail = text.rpartition("  [")
        if sep and head in OPTION_HELP_ZH:
            return OPTION_HELP_ZH[head] + sep + tail
        return text


#: what no line of Chinese opens with (a line broken before it carries it up) and what none ends with
_NO_START = "，。；：、）］」』！？…]"
_NO_END = "（［「『["
#: a run of characters up to a space or Chinese punctuation (:func:`_lines`)
_NAME = re.compile(r"[^\s，。；：、（）［］「」『』！？…]+")


def _lines(text: str, columns: int) -> list[str]:
    """``text`` as lines of at most ``columns`` terminal columns (a Chinese character taking two), broken at a space
    or between two characters one of which is Chinese, so that no name, number or option (``--as``, ``077``,
    ``roster.工作单位=unit_id``) is cut in two unless it is longer than a line, and no line opens with a comma or a
    closing bracket.

    >>> _lines("把 SOURCE_DIR 中的每张来源表（CSV、XLSX）加载进库", 20)
    ['把 SOURCE_DIR 中的每', '张来源表（CSV、', 'XLSX）加载进库']
    """
    from graphkit.cli.common import width

    def wide(c: str) -> bool:
        return width(c) == 2

    def between(c: str, nxt: str) -> bool:  # a Chinese character and another, or the end or start of a name
        return bool(nxt) and nxt != " " and (wide(c) or wide(nxt))

    lines: list[str] = []
    while width(text) > columns:
        # a name (a run of characters holding a Latin letter, digit or sign, up to a space or Chinese punctuation:
        # <库路径>.quarantine.csv, roster.工作单位=unit_id) is not broken inside
        whole = {i for m in _NAME.finditer(text) if re.search(r"[!-~]", m[0]) for i in range(m.start(), m.end() - 1)}
        used, end, best = 0, len(text), None
        for i, c in enumerate(text):
            if used + width(c) > columns:
                end = i
                break
            used += width(c)
            nxt = text[i + 1 : i + 2]
            if c == " ":
                best = (i, i + 1)
            elif i not in whole and between(c, nxt) and nxt not in _NO_START and c not in _NO_END:
                best = (i + 1, i + 1)
        cut, rest = best if best is not None and best[0] > 0 else (end, end)
        lines.append(text[:cut].rstrip())
        text = text[rest:].lstrip()
    return lines + [text]


def _wrapped(text: str, columns: int, indent: str) -> str:
    """Chinese help as lines of at most ``columns`` terminal columns after ``indent`` (:func:`_lines`), paragraphs
    kept apart; a paragraph opening with ``\\b`` (click's mark for an example) as it is."""
    out = []
    for para in text.split("\n\n"):
        if para.startswith("\b\n"):
            out.append("\n".join(indent + line if line else line for line in para[2:].splitlines()))
        else:
            out.append("\n".join(indent + line for line in _lines(" ".join(para.splitlines()), columns)))
    return "\n\n".join(out)


class Context(click.Context):
    """The context of every graphkit command: its ``--help`` through :class:`_Formatter`, which it tells the
    command being helped and its path (the names from the ``graphkit`` group down)."""

    formatter_class = _Formatter

    def make_formatter(self) -> click.HelpFormatter:
        """click's formatter, told :attr:`command` and its path."""
        formatter = super().make_formatter()
        names, ctx = [], self
        while ctx is not None and not getattr(ctx.command, "console_root", False):  # the graphkit group's path: ""
            names.append(ctx.command.name or "")
            ctx = ctx.parent
        if isinstance(formatter, _Formatter):
            formatter.path = " ".join(reversed(names))
            formatter.command = self.command
        return formatter
