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
from collections.abc import Iterator

__all__ = ["CLICK_ZH", "CLICK_MODULES", "ClickWords", "installed"]

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
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数（{number_type}）。",
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
