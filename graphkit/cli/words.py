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
import re
from collections.abc import Callable, Iterator

import click

__all__ = [
    "CLICK_ZH",
    "CLICK_MODULES",
    "ClickWords",
    "installed",
    "REFUSAL_ZH",
    "refusal_zh",
    "HELP_ZH",
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

#: ``graphkit --help`` as a Chinese reader reads it: the workbench's line, each command's short help and the
#: group's options (by parameter name); a command's own ``--help`` is still English
HELP_ZH: dict[str, str] = {
    "": "面向纪检监察的图谱化调查工作台（数据碰撞）。",
    # the commands (short: click breaks a line at spaces only, and a Chinese character takes two columns)
    "audit": "审计日志：谁在何时为何查询、导出、明文查看了什么。",
    "collusion": "围标串标：投标筛查、评分模型训练与评分。",
    "demo": "合成小城市并加载、统计、运行全部功能，写出 out/。",
    "export": "写出案卷：实体邻域与路径，附来源、案卷号与导出人。",
    "find": "按名称、拼音、身份证号、信用代码、车牌、电话查找实体。",
    "lab": "按角色在 JupyterLab 中打开笔记本。",
    "load": "把来源表和 FtM 文件加载进库（全部加载或全不加载）。",
    "model": "图模型与来源表约定。",
    "models": "数据碰撞模型库：列出与运行模型。",
    "neighbours": "实体的关系邻域，枢纽节点分页显示。",
    "path": "两个实体之间的最短路径，每一跳注明来源行。",
    "portrait": "为巡察生成单位或人员的预画像。",
    "rank": "按异常风险与同类对比，为单位、人员或企业排名。",
    "stats": "按节点类别和关系类型计数。",
    "synth": "写出合成城市的来源表及植入线索的真值。",
    "warnings": "预警台账：列出预警，按闭环流转。",
    # the group's options
    "verbose": "输出更多日志（-v 信息，-vv 调试）。",
    "umask": "写出文件的权限：077 仅本人可读；022 所有人可读。",
    "read_only": "只读角色（或 GRAPHKIT_ROLE=viewer）：不能加载、改台账或 --unmask。",
}

#: the options every command shares, their help in Chinese (keyed by the English help, as a command's ``--help``
#: lists it); an option not here keeps its English help
OPTION_HELP_ZH: dict[str, str] = {
    "embedded:PATH (Ladybug, in-process) or neo4j://HOST:PORT (NEO4J_USER / NEO4J_PASSWORD from the environment)": (
        "embedded:路径（嵌入式库）或 neo4j://主机:端口（用户名、密码取自环境变量 NEO4J_USER / NEO4J_PASSWORD）"
    ),
    "SQLite file of the warning ledger [default: GRAPHKIT_LEDGER, else <store path>.ledger.sqlite; a Neo4j store "
    "needs one of the two].": (
        "预警台账的 SQLite 文件［默认：GRAPHKIT_LEDGER，否则为 <库路径>.ledger.sqlite；Neo4j 库须给出其一］。"
    ),
    "Who runs this, for the audit log [default: GRAPHKIT_USER or login].": (
        "由谁运行，记入审计日志［默认：GRAPHKIT_USER 或登录名］。"
    ),
    "Why (精准授权): kept in the audit log with the command.": "目的（精准授权）：与命令一并记入审计日志。",
    "Show ID numbers, phones, bank accounts, private plates and home addresses in clear (needs --reason).": (
        "明文显示身份证号、电话、银行账户、私家车牌和住址（须给出 --reason）。"
    ),
    "Why identifiers are shown in clear (kept in the audit log).": "明文显示的理由（记入审计日志）。",
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


#: what a store or a warning ledger says when it cannot be opened (:mod:`graphkit.stores`,
#: :class:`graphkit.rules.ledger.Ledger`), as the Chinese console says it: (pattern matching the whole, words)
REFUSAL_ZH: list[tuple[str, str | Callable[[re.Match], str]]] = [
    (
        r"store spec (?P<s>.+): use embedded:PATH or neo4j://HOST:PORT",
        "库 {s} 的写法不对：写 embedded:路径 或 neo4j://主机:端口",
    ),
    (
        r"store (?P<s>.+) is not embedded: give the path of its (?P<suffix>\S+) file",
        "库 {s} 不是嵌入式库：请给出它的 {suffix} 文件的路径",
    ),
    (r"no store at (?P<p>.+): load one with `(?P<cmd>.+)`", "{p} 没有库：先用 `{cmd}` 加载一个"),
    (
        r"(?P<p>.+) holds no graph \(no tables\): it is not a loaded store; load one with `(?P<cmd>.+)`",
        "{p} 里没有图（没有表），不是加载过的库；先用 `{cmd}` 加载一个",
    ),
    (r"cannot open embedded store (?P<p>.+?): (?P<why>.+)", "无法打开嵌入式库 {p}（{why}）"),
    (
        r"cannot reach Neo4j at (?P<uri>\S+): (?P<why>.+); is it running\?",
        "连不上 {uri} 的 Neo4j（{why}）；它在运行吗？",
    ),
    (
        r"Neo4j at (?P<uri>\S+) has no database (?P<db>.+) \(the store's /DATABASE or NEO4J_DATABASE names it; "
        r"neo4j by default\)",
        "{uri} 的 Neo4j 没有数据库 {db}（数据库名由库地址的 /数据库名 或 NEO4J_DATABASE 给出，默认 neo4j）",
    ),
    (
        r"Neo4j at (?P<uri>\S+) keeps database (?P<db>.+) read-only: .*",
        "{uri} 的 Neo4j 把数据库 {db} 设为只读：可以读，不能写（服务器的 server.databases.read_only）；"
        "请加载到可写的数据库",
    ),
    (
        r"Neo4j at (?P<uri>\S+) asks for a user and password and none was given: .*\((?P<why>.*)\)",
        "{uri} 的 Neo4j 要求用户名和密码，但没有给出：请在环境中设置 NEO4J_PASSWORD（及 NEO4J_USER，默认 neo4j）"
        "（{why}）",
    ),
    (
        r"Neo4j at (?P<uri>\S+) refused user (?P<user>.+) and the password in NEO4J_PASSWORD: (?P<why>.*)",
        "{uri} 的 Neo4j 拒绝了用户 {user} 和 NEO4J_PASSWORD 中的密码：{why}",
    ),
    (
        r"Neo4j at (?P<uri>\S+) locks user (?P<user>.+) for a few seconds: .*",
        "{uri} 的 Neo4j 把用户 {user} 锁定了几秒钟：密码连续被拒次数过多（服务器的 "
        "dbms.security.auth_max_failed_attempts）；请检查 NEO4J_PASSWORD 后再试",
    ),
    (
        r"(?P<p>.+) was built by an older graphkit and lacks what the model has since declared \((?P<what>.+)\); "
        r"a read-only user does not change a store, not even to add them: ask an analyst to open it once "
        r"\(`(?P<cmd>.+)`\)",
        "{p} 由较早版本的 graphkit 建成，缺少模型后来声明的部分（{what}）；只读用户不改动库，补上也不行："
        "请分析人员打开它一次（`{cmd}`）",
    ),
    (
        r"(?P<p>.+) was built by an older graphkit and lacks what the model has since declared \((?P<what>.+)\), "
        r"and this user cannot write it to add them: open it once as its owner \(`(?P<cmd>.+)`\)",
        "{p} 由较早版本的 graphkit 建成，缺少模型后来声明的部分（{what}），当前用户无权写入以补上："
        "请由库的所有者打开它一次（`{cmd}`）",
    ),
    (r"(?P<p>.+) is open read-only", "{p} 以只读方式打开"),
    # the warning ledger
    (r"no ledger at (?P<p>.+)", "{p} 没有预警台账"),
    (
        r"(?P<p>.+) is not a warning ledger \(not an SQLite database: (?P<why>.+)\)",
        "{p} 不是预警台账（不是 SQLite 数据库：{why}）",
    ),
    (r"(?P<p>.+) is not a warning ledger \(it is empty\)", "{p} 不是预警台账（文件是空的）"),
    (r"(?P<p>.+) is not a warning ledger \(its tables are (?P<t>.+)\)", "{p} 不是预警台账（其中的表是 {t}）"),
    (
        r"store (?P<s>.+) is not embedded: give the ledger's path \(--ledger PATH, or GRAPHKIT_LEDGER=PATH once\)",
        "库 {s} 不是嵌入式库：请给出台账的路径（--ledger 路径，或设一次 GRAPHKIT_LEDGER=路径）",
    ),
    (r"the ledger (?P<p>.+) was opened read-only", "台账 {p} 以只读方式打开"),
    # an entity named that the store does not hold, or holds more than once (graphkit.search, graphkit.paths)
    (
        r"nothing matches (?P<q>.+) \(tried name, ID number, credit code, plate, phone and key\)",
        "没有与 {q} 匹配的实体（已按名称、身份证号、统一社会信用代码、车牌、电话和编号查找）",
    ),
    (
        r"nothing matches (?P<q>.+): that is a masked identifier, which names no one; give the handle rank and find "
        r"print \(NAME or NAME#N\), or the number in full",
        "没有与 {q} 匹配的实体：这是遮蔽后的标识，不指向任何人；请给出 rank 和 find 列出的指称（姓名 或 姓名#N），"
        "或完整号码",
    ),
    (
        r"nothing is named exactly (?P<q>.+); similar names \(give one exactly if it is meant\):",
        "没有名称恰为 {q} 的实体；相近的名称如下（如指其一，请准确给出）：",
    ),
    (r"nothing is named exactly (?P<q>.+)", "没有名称恰为 {q} 的实体"),
    (
        r"(?P<q>.+) names (?P<n>\d+) entities; give one as (?P<h>\S+) \(N from the list\)",
        "{q} 指向 {n} 个实体；请写作 {h}（N 取自下表）",
    ),
    (
        r"(?P<q>.+): (?P<name>.+) names (?P<n>\d+) entities, #1 to #(?P<m>\d+)",
        "{q}：{name} 指向 {n} 个实体，只有 #1 至 #{m}",
    ),
    (r"(?P<q>.+) matches (?P<n>\d+) entities equally well; give an id", "{q} 同样匹配 {n} 个实体；请给出编号"),
    (r"no (?P<label>\w+) with id (?P<k>.+) in the store", "库中没有编号为 {k} 的 {label}"),
    (r"source and target are the same entity \((?P<k>.+)\)", "起点和终点是同一个实体（{k}）"),
    (r"empty query", "查询为空"),
    # the model library (graphkit.rules)
    (r"no model (?P<m>\S+); known: (?P<known>.+)", "没有模型 {m}；已有：{known}"),
    # the closed loop (Ledger.update, Ledger.get)
    (r"no warning (?P<w>.+) in (?P<p>.+)", "台账 {p} 中没有预警 {w}"),
    (r"status must be one of (?P<s>.+), got (?P<got>.+)", "状态须为 {s} 之一（--status），而不是 {got}"),
    (r"every change needs who made it \(--by\)", "每次变更都要写明由谁办理（--by）"),
    (
        r"warning (?P<w>\S+) is (?P<cur>\S+): it cannot become (?P<to>\S+) \(next: nothing, the loop is closed\)",
        lambda m: f"预警 {m['w']} 的状态为{_status(m['cur'])}，闭环已结束，不能再改为{_status(m['to'])}",
    ),
    (
        r"warning (?P<w>\S+) is (?P<cur>\S+): it cannot become (?P<to>\S+) \(next: (?P<next>.+)\)",
        lambda m: (
            f"预警 {m['w']} 现为{_status(m['cur'])}，不能改为{_status(m['to'])}（下一步只能是"
            + "或".join(_status(s) for s in m["next"].split(", "))
            + "）"
        ),
    ),
    (r"dispatching needs whom it goes to \(--to\)", "分派要写明交给谁（--to）"),
    (r"an outcome is given when a warning is verified, not dispatched", "核查结论在核实时给出，分派时不给"),
    (r"verifying needs the outcome, one of (?P<o>.+) \(--outcome\)", "核实要给出结论，{o} 之一（--outcome）"),
    (r"verifying needs a comment saying what was found \(--comment\)", "核实要写明查到了什么（--comment）"),
    (
        r"warning (?P<w>\S+) was verified a (?P<r>\S+): only true positives are rectified",
        lambda m: f"预警 {m['w']} 的核查结论是{_outcome(m['r'])}：只有属实的预警才整改",
    ),
    (r"rectifying does not change the verified outcome", "整改不改变核查结论"),
    (r"--to is for dispatching", "--to 只用于分派"),
    (
        r"warning (?P<w>\S+) changed meanwhile \(it is no longer (?P<s>\S+)\): look again",
        lambda m: f"预警 {m['w']} 刚被他人改过（已不是{_status(m['s'])}）：请重新查看",
    ),
]


def _status(key: str) -> str:
    """A status as the case handler says it: ``dispatched`` -> ``核查中`` (:func:`graphkit.rules.words.status_word`)."""
    from graphkit.rules.words import status_word

    return f"“{status_word(key)}”"


def _outcome(key: str) -> str:
    from graphkit.rules.words import outcome_word

    return f"“{outcome_word(key)}”"


def refusal_zh(text: str) -> str:
    """A store's or a ledger's refusal in Chinese (:data:`REFUSAL_ZH`: the words of the first pattern matching it
    whole, its groups filled in, or what a function makes of the match); one no pattern knows as it is.

    >>> refusal_zh("no ledger at /tmp/x.sqlite")
    '/tmp/x.sqlite 没有预警台账'
    >>> refusal_zh("warning W1 is generated: it cannot become rectified (next: dispatched, verified)")
    '预警 W1 现为“待核查”，不能改为“已整改”（下一步只能是“核查中”或“已核查”）'
    """
    for pat, words in REFUSAL_ZH:
        m = re.fullmatch(pat, text)
        if m:
            return words(m) if callable(words) else words.format(**m.groupdict())
    return text


class _Formatter(click.HelpFormatter):
    """click's help formatter, saying the shared options' help in Chinese (:data:`OPTION_HELP_ZH`) when the
    console reads Chinese (``[默认：…]`` after it kept)."""

    def write_dl(self, rows, *args, **kwargs):
        from graphkit.cli.common import console_lang

        if console_lang() == "zh":
            out = []
            for term, text in rows:
                head, sep, tail = text.partition("  [")
                zh = OPTION_HELP_ZH.get(head) or OPTION_HELP_ZH.get(text)
                out.append((term, (zh + (sep + tail if head in OPTION_HELP_ZH else "")) if zh else text))
            rows = out
        return super().write_dl(rows, *args, **kwargs)


class Context(click.Context):
    """The context of every graphkit command: its ``--help`` through :class:`_Formatter`."""

    formatter_class = _Formatter
