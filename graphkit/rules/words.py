"""How a warning's level, status, verdict and model are said to a reader: Chinese words for the faces (the command
line, the Warnings tab, the pre-portrait, case files, the demo), English where a face is asked for English
(``lang="en"``, ``--lang en``). The ledger and every file keep the machine keys (``red``, ``generated``,
``bid_rigging``); only what a reader sees is worded here, once for every face.

The statuses are the closed loop's (:data:`graphkit.rules.ledger.STATUSES`) as a 纪检监察 case handler says them:
a warning raised and not yet handed out is 待核查; dispatched to an office or a person it is 核查中; verified it is
已核实 (属实, a true positive) or 已排除 (不属实, a false positive); rectified it is 已整改. In English the same steps
are said in words (:data:`STATUS_EN`): to be checked, being checked, confirmed (substantiated) or excluded
(unsubstantiated), rectified; the English faces had printed the keys themselves (``generated → dispatched``,
``true_positive``). A level's key is its English word (red, orange, yellow).

Example
-------
>>> level_word("red"), status_word("verified", "false_positive"), status_word("dispatched", lang="en")
('红色', '已排除', 'being checked')
>>> model_title("bid_rigging", short=True), model_title("bid_rigging", lang="en")
('围标串标', 'bid rigging')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from graphkit.model.clock import shown

__all__ = [
    "LANGS",
    "LEVEL_ZH",
    "STATUS_ZH",
    "OUTCOME_ZH",
    "STATUS_EN",
    "VERIFIED_EN",
    "OUTCOME_EN",
    "model_words_en",
    "VERIFIED_ZH",
    "level_word",
    "status_word",
    "outcome_word",
    "link_word",
    "entity_word",
    "model_title",
    "history_line",
    "change_line",
    "check_lang",
    "local_time",
    "REFUSAL_ZH",
    "refusal_zh",
    "case_file_written",
]

LANGS = ("zh", "en")
LEVEL_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色"}
#: a status alone; a verified warning is said by its verdict (:data:`VERIFIED_ZH`) where the verdict is known
STATUS_ZH = {"generated": "待核查", "dispatched": "核查中", "verified": "已核查", "rectified": "已整改"}
VERIFIED_ZH = {"true_positive": "已核实", "false_positive": "已排除"}
OUTCOME_ZH = {"true_positive": "属实", "false_positive": "不属实"}
#: the same in English words (the English faces had printed the keys: generated, true_positive)
STATUS_EN = {
    "generated": "to be checked",
    "dispatched": "being checked",
    "verified": "checked",
    "rectified": "rectified",
}
VERIFIED_EN = {"true_positive": "confirmed", "false_positive": "excluded"}
OUTCOME_EN = {"true_positive": "substantiated", "false_positive": "unsubstantiated"}
#: the comment the ledger writes when a model raises a warning (graphkit.rules.ledger.Ledger.record)
_RAISED = re.compile(r"raised by model (\S+)")


def check_lang(lang: str) -> str:
    """``lang`` itself when it is ``zh`` or ``en``; a ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return lang


def level_word(level: Any, lang: str = "zh") -> str:
    """红色 / 橙色 / 黄色 (``lang="en"``: the key itself); an unknown level as it is."""
    s = "" if level is None else str(level)
    return LEVEL_ZH.get(s, s) if check_lang(lang) == "zh" else s


def status_word(status: Any, outcome: Any = None, lang: str = "zh") -> str:
    """A status as a case handler says it; a verified one by its verdict (已核实 / 已排除) when ``outcome`` is
    given (``lang="en"``: in English words, to be checked … confirmed / excluded); an unknown status as it is.

    >>> status_word("generated", lang="en"), status_word("verified", "true_positive", "en")
    ('to be checked', 'confirmed')
    """
    s = "" if status is None else str(status)
    statuses, verified = (STATUS_ZH, VERIFIED_ZH) if check_lang(lang) == "zh" else (STATUS_EN, VERIFIED_EN)
    if s == "verified" and outcome in verified:
        return verified[outcome]
    return statuses.get(s, s)


def link_word(rel_type: Any, lang: str = "zh", model: Any = None) -> str:
    """A warning's evidence link type as every face says it, ``graphkit warnings show`` and the Warnings tab alike:
    the model's name of the type (:meth:`graphkit.model.Model.display_name`: 中标; ``lang="en"``: won). The command
    had printed the type itself under ``--lang en`` (``—WON→``) where the tab said ``—won→``.

    >>> link_word("WON"), link_word("WON", "en"), link_word("SHAREHOLDER_OF", "en")
    ('中标', 'won', 'shareholder of')
    """
    from graphkit.model import Model

    return (model or Model.default()).display_name(str(rel_type), check_lang(lang))


def entity_word(entity_type: Any, lang: str = "zh", model: Any = None) -> str:
    """A warning's entity type (the ledger's ``unit``, ``txn``) as every face says it: the model's noun of its label
    (单位, 加油记录; ``lang="en"``: unit, fuel transaction); a type the ledger does not know as it is.

    >>> entity_word("unit"), entity_word("unit", "en"), entity_word("nothing")
    ('单位', 'unit', 'nothing')
    """
    from graphkit.model import Model
    from graphkit.rules.ledger import TYPE_LABELS

    t = str(entity_type)
    if t not in TYPE_LABELS:
        return t
    return (model or Model.default()).display_name(TYPE_LABELS[t], check_lang(lang))


def outcome_word(outcome: Any, lang: str = "zh") -> str:
    """属实 / 不属实 (``lang="en"``: substantiated / unsubstantiated); ``None`` gives ``""``."""
    s = "" if outcome is None else str(outcome)
    return (OUTCOME_ZH if check_lang(lang) == "zh" else OUTCOME_EN).get(s, s)


def model_title(model_id: Any, lang: str = "zh", *, short: bool = False) -> str:
    """What a reader calls a model: its ``title_zh`` (``short``: the words before its first ``：``, 围标串标 for
    the bid-rigging model), or for ``lang="en"`` its English words (:func:`model_words_en`: bid rigging; the English
    faces had named a model by its id, ``bid_rigging``); its id for an id the library does not know."""
    from graphkit.rules.catalog import ModelError, get

    mid = "" if model_id is None else str(model_id)
    if check_lang(lang) == "en":
        return model_words_en(mid)
    if not mid:
        return mid
    try:
        title = get(mid).title_zh
    except ModelError:
        return mid
    return title.split("：", 1)[0] if short else title


def model_words_en(model_id: Any) -> str:
    """A model in English words inside a sentence: its declared ``title_en`` (the words before its first ``: `` or
    `` - ``, as :func:`model_title`'s ``short`` cuts the Chinese), its first letter lower-cased; its id where the
    library does not know it. The portrait's score line under ``--lang en`` had named a model by its id alone
    (``fuel_gps_mismatch 4.0``) where the Chinese line said its title.

    >>> model_words_en("bid_rigging"), model_words_en("fuel_holiday"), model_words_en("no_such_model")
    ('bid rigging', 'official car fuelled on statutory holidays', 'no_such_model')
    """
    from graphkit.rules.catalog import ModelError, get

    mid = "" if model_id is None else str(model_id)
    try:
        title = get(mid).title_en if mid else ""
    except ModelError:
        return mid
    title = re.split(r": | - ", title, maxsplit=1)[0].strip()
    if not title:
        return mid
    return title if title[1:2].isupper() else title[0].lower() + title[1:]


def no_evidence_note(w: Mapping[str, Any], lang: str = "zh") -> str | None:
    """What a face says of a warning whose evidence holds no link, or ``None`` when it holds some.

    Warnings recorded before a model named what it counts (``direct_award_share`` its direct contracts and
    ``hotline_manipulation`` the flagged numbers' tickets, commit e09af6f) keep their unit alone, or the unit
    and the phones, until the models run again: opened, such a warning showed one node and no explanation.

    Example
    -------
    >>> no_evidence_note({"evidence": {"nodes": [{"id": "U1", "type": "unit"}], "links": []}})
    '此预警记录于旧版本，证据中没有关系：请重新运行 graphkit models run 补全证据'
    >>> no_evidence_note({"evidence": {"links": [{"type": "WON"}]}}) is None
    True
    """
    evidence = w.get("evidence") or {}
    if evidence.get("links"):
        return None
    if check_lang(lang) == "en":
        return "this warning was recorded by an older version and its evidence holds no link: run graphkit models run"
    return "此预警记录于旧版本，证据中没有关系：请重新运行 graphkit models run 补全证据"


def history_line(h: Mapping[str, Any], outcome: Any = None, lang: str = "zh") -> tuple[str, str, str]:
    """One history step's from, to and what came with it (to whom, verdict, comment), worded; ``outcome`` is the
    warning's verdict, for a step that leaves ``verified`` (the step records none)."""
    if check_lang(lang) == "en":  # in words, as the Chinese is (it gave the keys: generated, true_positive)
        # the ledger's own comment as the Chinese says it (由模型生成): it named the model by its id
        comment = "raised by the model" if _RAISED.fullmatch(h.get("comment") or "") else h.get("comment") or ""
        extra = "; ".join(
            x
            for x in (
                f"to {h['assignee']}" if h.get("assignee") else "",
                outcome_word(h.get("outcome"), "en") if h.get("outcome") else "",
                comment,
            )
            if x
        )
        before = status_word(h["from"], outcome, "en") if h.get("from") else "—"
        return before, status_word(h.get("to"), h.get("outcome") or outcome, "en"), extra
    comment = h.get("comment") or ""
    raised = _RAISED.fullmatch(comment)  # the ledger's own words when a model raises a warning
    if raised:
        comment = "由模型生成"
    extra = "；".join(
        x
        for x in (
            f"交办{h['assignee']}" if h.get("assignee") else "",
            outcome_word(h.get("outcome")) if h.get("outcome") else "",
            comment,
        )
        if x
    )
    before = status_word(h["from"], outcome, "zh") if h.get("from") else "—"
    return before, status_word(h.get("to"), h.get("outcome") or outcome, "zh"), extra


def change_line(w: Mapping[str, Any], lang: str = "zh", *, zone: str | None = None) -> str:
    """Warning ``w``'s last change (its history's last step) in one line, as the Warnings tab and ``graphkit
    warnings update`` say it: ``W1：待核查 → 核查中，王科长 于 2024-05-06 10:16:58+08:00 变更`` (``lang="en"``:
    ``W1: to be checked → being checked by 王科长 at …``), the time in the reader's zone (``zone``: see
    :func:`local_time`).

    >>> w = {"id": "W1", "outcome": None, "history": [
    ...     {"from": "generated", "to": "dispatched", "by": "王科长", "at": "not a time", "assignee": "第三室"}]}
    >>> change_line(w)
    'W1：待核查 → 核查中，王科长 于 not a time 变更'
    """
    last = w["history"][-1]
    before, after, _ = history_line(last, w.get("outcome"), check_lang(lang))
    if lang == "en":
        return f"{w['id']}: {before} → {after} by {last['by']} at {local_time(last['at'], zone)}"
    return f"{w['id']}：{before} → {after}，{last['by']} 于 {local_time(last['at'], zone)} 变更"


def local_time(at: Any, zone: str | None = None) -> str:
    """A stored time (ISO, any offset) in the reader's zone, with its offset: ``2024-05-01 09:00:00+08:00`` for
    ``2024-05-01T01:00:00+00:00`` read in China; anything that is no ISO time as it is. The reader's zone is
    ``zone`` (an IANA name, such as a notebook's browser reports: ``Asia/Shanghai``) when given and known, else the
    office's (``GRAPHKIT_TZ``, default ``Asia/Shanghai``: :mod:`graphkit.model.clock`), as ``graphkit audit show``
    reads its records (it had read them in the server's zone, UTC on most servers).

    >>> local_time("2024-05-01T01:00:00+00:00", "Asia/Shanghai"), local_time("not a time")
    ('2024-05-01 09:00:00+08:00', 'not a time')
    """
    if zone:
        try:
            return shown(at, zone)
        except ValueError:
            pass  # a zone this machine does not know: the office's
    return shown(at)


def source_said(src: Any, lang: str = "zh") -> str:
    """An evidence link's source as the ledger keeps it (``bids.csv:326``), as path and the case files write a
    record (:func:`graphkit.model.provenance`; ``lang="en"``: ``bids.csv line 326``, where ``warnings show --lang
    en`` and the English tab had printed the ledger's ``bids.csv:326``); anything else as it is.

    >>> source_said("bids.csv:326"), source_said("户籍.xlsx[二季度]:7"), source_said("fuel_cards.csv")
    ('bids.csv 第326行', '户籍.xlsx[二季度] 第7行', 'fuel_cards.csv')
    >>> source_said("bids.csv:326", "en")
    'bids.csv line 326'
    """
    from graphkit.model import provenance

    name, _, row = str(src).rpartition(":")
    return provenance(name, row, check_lang(lang)) if name and row.isdigit() else str(src)


def sources_said(srcs: Any, lang: str = "zh") -> str:
    """A warning's sources, a file's records together (``bids.csv 第189、190行；units.csv 第58行``; ``lang="en"``:
    ``bids.csv lines 189, 190; units.csv line 58``), as ``graphkit warnings show`` and the Warnings tab list them.

    >>> sources_said(["bids.csv:189", "units.csv:58", "bids.csv:190"])
    'bids.csv 第189、190行；units.csv 第58行'
    >>> sources_said(["bids.csv:189", "units.csv:58", "bids.csv:190"], "en")
    'bids.csv lines 189, 190; units.csv line 58'
    """
    from graphkit.model import provenance

    rows: dict[str, list[str]] = {}
    for src in srcs:
        name, _, row = str(src).rpartition(":")
        if name and row.isdigit():
            rows.setdefault(name, []).append(row)
        else:
            rows.setdefault(str(src), [])
    return ("；" if check_lang(lang) == "zh" else "; ").join(
        provenance(f, ",".join(r), lang) if r else f for f, r in rows.items()
    )


def case_file_written(res: Any, case: str | None, *, unmask: bool = False, lang: str = "zh") -> str:
    """The line every face says when it has written a case file (``graphkit export``, ``neighbours --export``,
    ``warnings show --export``, the Explorer's 导出 button): the file, its format and case, what it holds, what its
    drawing folds and leaves out, and whether identifiers are masked. ``res`` is what
    :func:`graphkit.exports.write_case_file` returns (its ``path``, ``format``, ``nodes``, ``links``, ``folded_nodes``,
    ``folds``, ``left_out_nodes``, ``left_out_links``).

    >>> from types import SimpleNamespace as R
    >>> res = R(path="P.pdf", format="pdf", nodes=2, links=1, folded_nodes=0, folds=0, left_out_nodes=0,
    ...         left_out_links=0)
    >>> case_file_written(res, "苏纪2024-017")
    '已写出 P.pdf（pdf，案卷号 苏纪2024-017）：2 个节点，1 条关系；标识已遮蔽'
    >>> case_file_written(res, "苏纪2024-017", unmask=True, lang="en")
    'wrote P.pdf (pdf, case 苏纪2024-017): 2 nodes, 1 relationship; identifiers IN CLEAR (audited)'
    """

    def counted(n: int, word: str, plural: str | None = None) -> str:  # 1 relationship, 2 relationships
        return f"{n:,} {word if n == 1 else plural or word + 's'}"

    cut = res.left_out_nodes or res.left_out_links
    if check_lang(lang) == "en":
        left = (
            f"; {counted(res.left_out_nodes, 'node')} and {counted(res.left_out_links, 'link')} left out of the drawing"
            if cut
            else ""
        )
        folded = f" ({res.folded_nodes:,} of them drawn as {counted(res.folds, 'folded node')})" if res.folds else ""
        return (
            f"wrote {res.path} ({res.format}{f', case {case}' if case else ''}): {counted(res.nodes, 'node')}{folded}, "
            f"{counted(res.links, 'relationship')}{left}; "
            + ("identifiers IN CLEAR (audited)" if unmask else "identifiers masked")
        )
    left = f"；图中略去 {res.left_out_nodes:,} 个节点、{res.left_out_links:,} 条关系" if cut else ""
    folded = f"（其中 {res.folded_nodes:,} 个合并画作 {res.folds:,} 个节点）" if res.folds else ""
    return (
        f"已写出 {res.path}（{res.format}{f'，案卷号 {case}' if case else ''}）：{res.nodes:,} 个节点{folded}，"
        f"{res.links:,} 条关系{left}；" + ("标识为明文（已记入审计日志）" if unmask else "标识已遮蔽")
    )


#: what a store or a warning ledger says when it cannot be opened (:mod:`graphkit.stores`,
#: :class:`graphkit.rules.ledger.Ledger`), as the Chinese console says it: (pattern matching the whole, words)
REFUSAL_ZH: list[tuple[str, str | Callable[[re.Match], str]]] = [
    (
        r"store spec (?P<s>.+): use embedded:PATH or neo4j://HOST:PORT",
        "库 {s} 的写法不对：写 embedded:路径 或 neo4j://主机:端口",
    ),
    (
        r"store spec (?P<s>\S+): a user or password in the URI is not accepted \(it would be printed and logged\); "
        r"use (?P<u>\S+) and set NEO4J_USER and NEO4J_PASSWORD in the environment",
        "库 {s}：库地址中不能写用户名或密码（会被打印和记入日志）；请写 {u}，并在环境中设置 NEO4J_USER 和 "
        "NEO4J_PASSWORD",
    ),
    (
        r"store spec (?P<s>.+): the path after (?P<h>\S+) names the database, and (?P<p>.+) is no Neo4j database name "
        r"\(.*\)",
        "库 {s}：{h} 之后的路径是数据库名，而 {p} 不是有效的 Neo4j 数据库名（字母开头，其后为字母、数字、点或短横；"
        "3 至 63 个字符）",
    ),
    (
        r"the URI names database (?P<a>.+) but NEO4J_DATABASE names (?P<b>.+): name one \(or the same in both\)",
        "库地址指明的数据库是 {a}，而 NEO4J_DATABASE 指明的是 {b}：只写一处（或两处写成一样）",
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
    (
        r"cannot open embedded store (?P<p>.+?): Runtime exception: Database path cannot be a directory: .*",
        "{p} 是文件夹，不是嵌入式库：库是一个文件，请写 embedded:文件夹/库名.db",
    ),
    (
        r"cannot open embedded store (?P<p>.+?): (?P<why>(?s:.+))",  # Ladybug's text runs over lines
        lambda m: f"无法打开嵌入式库 {m['p']}：{_ladybug_zh(m['why'])}",
    ),
    (  # graphkit.stores.neo4j: a port that takes the connection and never answers; a query past its timeout
        r"cannot connect to Neo4j at (?P<uri>\S+): no answer in (?P<s>\S+) s \(.*NEO4J_CONNECTION_TIMEOUT sets the "
        r"wait\)",
        "无法连接 {uri} 上的 Neo4j：{s} 秒内没有应答（那里可能不是 Neo4j、服务器已卡住或网络不通；等待秒数由 "
        "NEO4J_CONNECTION_TIMEOUT 设定）",
    ),
    (
        r"Neo4j at (?P<uri>\S+) did not finish the query in (?P<s>\S+) s and the server ended it \(.*\)",
        "{uri} 上的 Neo4j 在 {s} 秒内没有答完查询，服务器已中止它（图太大、服务器过忙，或查询本身太慢；等待秒数由 "
        "NEO4J_QUERY_TIMEOUT 设定）",
    ),
    (
        r"Neo4j at (?P<uri>\S+) gave no answer in (?P<s>\S+) s: the query was given up \(.*\)",
        "{uri} 上的 Neo4j 在 {s} 秒内没有应答，已放弃这条查询（会话已建立，服务器可能已卡住或网络中断；等待秒数由 "
        "NEO4J_QUERY_TIMEOUT 设定）",
    ),
    (  # graphkit.stores.neo4j: the server went away once the command had begun
        r"lost Neo4j at (?P<uri>\S+) during the command: (?P<why>.+); is it still running\?",
        lambda m: f"命令进行中失去了 {m['uri']} 上的 Neo4j（{_driver_zh(m['why'])}）；它还在运行吗？",
    ),
    (
        r"cannot reach Neo4j at (?P<uri>\S+): (?P<why>.+); is it running\?",
        lambda m: f"连不上 {m['uri']} 的 Neo4j（{_driver_zh(m['why'])}）；它在运行吗？",
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
        lambda m: f"{m['uri']} 的 Neo4j 拒绝了用户 {m['user']} 和 NEO4J_PASSWORD 中的密码：{_driver_zh(m['why'])}",
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
    # a neo4j-admin import folder (graphkit.stores.import_dir)
    (
        r"(?P<d>.+) already holds files; give an empty folder for a new import",
        "{d} 里已有文件：新的导入请给出一个空文件夹",
    ),
    (r"a neo4j-admin import folder is written, not queried", "neo4j-admin 导入文件夹只能写入，不能查询"),
    # the warning ledger
    (r"no ledger at (?P<p>.+)", "{p} 没有预警台账"),
    (
        r"(?P<p>.+) is not a warning ledger \(not an SQLite database: file is not a database\)",
        "{p} 不是预警台账（不是 SQLite 数据库文件）",
    ),
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
    # graphkit.risk.portrait: a pre-portrait asked of a unit or person the store does not hold
    (r"no unit with credit code (?P<k>\S+) in the store", "库中没有统一社会信用代码 {k} 的单位"),
    (r"no person with that ID number in the store", "库中没有该身份证号的人员"),
    (
        r"(?P<q>.+) names an? (?P<label>\w+), not a person, company or unit",
        lambda m: f"{m['q']} 指向的是{_label(m['label'])}，不是自然人、企业或单位",
    ),
    # portrait --unit / --person given a handle of another kind (it said '…#2' names a Place, not a unit)
    (
        r"(?P<q>.+) names an? (?P<label>\w+), not an? (?P<what>person|unit|company)",
        lambda m: (
            f"{m['q']} 指向的是{_label(m['label'])}，不是"
            + {"person": "自然人", "unit": "单位", "company": "企业"}[m["what"]]
        ),
    ),
    (r"source and target are the same entity \((?P<k>.+)\)", "起点和终点是同一个实体（{k}）"),
    (r"empty query", "查询为空"),
    (
        r"unknown relationship type(?:\(s\))? (?P<u>.+); the model has (?P<all>.+)",
        "没有关系类型 {u}；图模型中的关系类型有：{all}",
    ),
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
    """A status as the case handler says it: ``dispatched`` -> ``核查中`` (:func:`status_word`)."""
    return f"“{status_word(key)}”"


#: the Neo4j driver's words for a server it cannot reach, in Chinese (:func:`_driver_zh`)
_DRIVER_ZH = {
    "Unable to retrieve routing information": "取不到路由信息",
    "Couldn't connect to": "无法连接到",
    "Failed to establish connection to ": "无法建立连接：",
    "resolved to": "解析为",
    "reason ": "原因：",
    "Connection refused": "连接被拒绝",
    "timed out": "超时",
    "The client is unauthorized due to authentication failure.": "认证失败（用户名或密码不对）。",
}


def _ladybug_zh(why: str) -> str:
    from graphkit.model.words import ladybug_zh

    return ladybug_zh(why)


def _driver_zh(why: str) -> str:
    """Why the Neo4j driver could not reach a server, in Chinese where it says it in words a table knows
    (``Unable to retrieve routing information`` 取不到路由信息, ``[Errno 111] Connection refused`` 连接被拒绝); an
    address as it is."""
    from graphkit.model.words import os_error_zh

    said = os_error_zh(why)
    for en, zh in _DRIVER_ZH.items():
        said = said.replace(en, zh)
    return said


def _label(label: str) -> str:
    """A label as the model names it in Chinese (``Vehicle`` -> ``车辆``); one it does not know as it is."""
    from graphkit.model import Model

    model = Model.default()
    return model.display_name(label) if label in model.labels else label


def _outcome(key: str) -> str:
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
