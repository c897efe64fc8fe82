"""How a warning's level, status, verdict and model are said to a reader: Chinese words for the faces (the command
line, the Warnings tab, the pre-portrait, case files, the demo), English where a face is asked for English
(``lang="en"``, ``--lang en``). The ledger and every file keep the machine keys (``red``, ``generated``,
``bid_rigging``); only what a reader sees is worded here, once for every face.

The statuses are the closed loop's (:data:`graphkit.rules.ledger.STATUSES`) as a 纪检监察 case handler says them:
a warning raised and not yet handed out is 待核查; dispatched to an office or a person it is 核查中; verified it is
已核实 (属实, a true positive) or 已排除 (不属实, a false positive); rectified it is 已整改.

Example
-------
>>> level_word("red"), status_word("verified", "false_positive"), status_word("dispatched", lang="en")
('红色', '已排除', 'dispatched')
>>> model_title("bid_rigging", short=True), model_title("bid_rigging", lang="en")
('围标串标', 'bid_rigging')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = [
    "LANGS",
    "LEVEL_ZH",
    "STATUS_ZH",
    "OUTCOME_ZH",
    "VERIFIED_ZH",
    "level_word",
    "status_word",
    "outcome_word",
    "model_title",
    "history_line",
    "change_line",
    "check_lang",
    "local_time",
]

LANGS = ("zh", "en")
LEVEL_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色"}
#: a status alone; a verified warning is said by its verdict (:data:`VERIFIED_ZH`) where the verdict is known
STATUS_ZH = {"generated": "待核查", "dispatched": "核查中", "verified": "已核查", "rectified": "已整改"}
VERIFIED_ZH = {"true_positive": "已核实", "false_positive": "已排除"}
OUTCOME_ZH = {"true_positive": "属实", "false_positive": "不属实"}
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
    given (``lang="en"``: the key itself)."""
    s = "" if status is None else str(status)
    if check_lang(lang) == "en":
        return s
    if s == "verified" and outcome in VERIFIED_ZH:
        return VERIFIED_ZH[outcome]
    return STATUS_ZH.get(s, s)


def outcome_word(outcome: Any, lang: str = "zh") -> str:
    """属实 / 不属实 (``lang="en"``: the key itself); ``None`` gives ``""``."""
    s = "" if outcome is None else str(outcome)
    return OUTCOME_ZH.get(s, s) if check_lang(lang) == "zh" else s


def model_title(model_id: Any, lang: str = "zh", *, short: bool = False) -> str:
    """What a reader calls a model: its ``title_zh`` (``short``: the words before its first ``：``, 围标串标 for
    the bid-rigging model), or its id for ``lang="en"`` and for an id the library does not know."""
    from graphkit.rules.catalog import ModelError, get

    mid = "" if model_id is None else str(model_id)
    if check_lang(lang) == "en" or not mid:
        return mid
    try:
        title = get(mid).title_zh
    except ModelError:
        return mid
    return title.split("：", 1)[0] if short else title


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
    if check_lang(lang) == "en":
        extra = "; ".join(
            x
            for x in (
                f"to {h['assignee']}" if h.get("assignee") else "",
                h.get("outcome") or "",
                h.get("comment") or "",
            )
            if x
        )
        return h.get("from") or "—", str(h.get("to") or ""), extra
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


def change_line(w: Mapping[str, Any], lang: str = "zh") -> str:
    """Warning ``w``'s last change (its history's last step) in one line, as the Warnings tab and ``graphkit
    warnings update`` say it: ``W1：待核查 → 核查中，王科长 于 2024-05-06 10:16:58+08:00 变更`` (``lang="en"``:
    ``W1: generated → dispatched by 王科长 at …``), the time in the reader's zone.

    >>> w = {"id": "W1", "outcome": None, "history": [
    ...     {"from": "generated", "to": "dispatched", "by": "王科长", "at": "not a time", "assignee": "第三室"}]}
    >>> change_line(w)
    'W1：待核查 → 核查中，王科长 于 not a time 变更'
    """
    last = w["history"][-1]
    if check_lang(lang) == "en":
        return f"{w['id']}: {last['from']} → {last['to']} by {last['by']} at {local_time(last['at'])}"
    before, after, _ = history_line(last, w.get("outcome"))
    return f"{w['id']}：{before} → {after}，{last['by']} 于 {local_time(last['at'])} 变更"


def local_time(at: Any) -> str:
    """A stored time (ISO, UTC) in the reader's zone, with its offset: ``2024-05-01 09:00:00+08:00`` for
    ``2024-05-01T01:00:00+00:00`` read in China; anything that is no ISO time as it is.

    >>> local_time("not a time")
    'not a time'
    """
    try:
        t = datetime.fromisoformat(str(at))
    except (TypeError, ValueError):
        return str(at)
    return t.astimezone().isoformat(sep=" ", timespec="seconds")
