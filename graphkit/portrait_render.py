"""Pre-portraits (预画像) as one self-contained HTML file and as a PDF with Chinese text.

The data come from :mod:`graphkit.risk.portrait`; this face lays them out.  ID numbers and phone numbers are
masked (:func:`graphkit.model.mask.mask`) unless ``unmask=True``; warning summaries go through
:func:`graphkit.model.mask.mask_text`.  The HTML carries its styles, the relationship map as an inline PNG
and the interactive map (pyvis, vis.js inlined) in an ``iframe srcdoc``: it makes no network request.  The
PDF is written by matplotlib's PDF backend in Noto Sans CJK SC (from ``mplfonts``, embedded in the file), so
it renders on a machine without Chinese fonts.

Example
-------
>>> p = unit_portrait(store, code, warnings=ledger.warnings())  # doctest: +SKIP
>>> write_html(p, "portrait.html"); write_pdf(p, "portrait.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.cli.common import counted
from graphkit.model import cited_as, money, provenance
from graphkit.model.mask import mask, mask_key, mask_node_key, mask_text, masked_kinds, warning_summary
from graphkit.model.regions import region_words
from graphkit.model.types import id_year_and_sex
from graphkit.risk.portrait import ORANGE_RISK, ORANGE_SCORE, RED_RISK, RED_SCORE, RED_Z, RISK_LEVEL_ZH
from graphkit.risk.portrait import ROLE_ZH as COMPANY_ROLE_ZH
from graphkit.risk.scorer import (
    BAND_ZH,
    BANDS_NOTE_EN,
    BANDS_NOTE_ZH,
    fallback_words_zh,
    peer_name_en,
    peer_name_zh,
    staff_words,
)
from graphkit.rules.words import LEVEL_ZH as WARNING_LEVEL_ZH
from graphkit.rules.words import check_lang, history_line, level_word, local_time, model_title, status_word
from graphkit.stores.base import induced

__all__ = [
    "write_html",
    "write_pdf",
    "write_markdown",
    "write",
    "FORMATS",
    "sections",
    "factor_degree",
    "fact_notes",
    "portrait_file",
]

#: what ``graphkit portrait --out`` writes, by the file's suffix
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".md": "md"}

LEVEL_ZH = {**WARNING_LEVEL_ZH, **RISK_LEVEL_ZH}

#: an English span of a portrait's text (:func:`_en`): said under ``lang="en"`` (``graphkit portrait --lang en``,
#: ``GRAPHKIT_LANG=en``), left out under ``lang="zh"``, the default (the portrait had printed an English line under each
#: Chinese one whatever the console's language); the marks are private-use characters, which ``str.strip`` keeps
_EN_OPEN, _EN_CLOSE = "\ue001", "\ue002"
#: a Chinese span (:func:`_zh`): said under ``lang="zh"`` only; the portrait under ``--lang en`` had kept every
#: Chinese word beside its English one
_ZH_OPEN, _ZH_CLOSE = "\ue003", "\ue004"
_MARKS = frozenset((_EN_OPEN, _EN_CLOSE, _ZH_OPEN, _ZH_CLOSE))
_MARKED = re.compile("([\ue001-\ue004])")


def _en(text: str) -> str:
    """``text`` marked as English: said under ``lang="en"`` only (:func:`speak`)."""
    return f"{_EN_OPEN}{text}{_EN_CLOSE}"


def _zh(text: str) -> str:
    """``text`` marked as Chinese: said under ``lang="zh"`` only (:func:`speak`)."""
    return f"{_ZH_OPEN}{text}{_ZH_CLOSE}"


def _say(zh: str, en: str) -> str:
    """``zh`` under ``lang="zh"``, ``en`` alone under ``lang="en"``, either with the indent ``zh`` opens with.

    >>> speak(_say("    无加油卡记录", "no fuel cards on record")), speak(_say("    无", "none"), "en")
    ('    无加油卡记录', '    none')
    """
    body = zh.lstrip(" 　")
    lead = zh[: len(zh) - len(body)]
    lead = _zh(lead) + _en(lead.replace("　", "  ")) if "　" in lead else lead
    return lead + _zh(body) + _en(en)


def speak(text: str, lang: str = "zh") -> str:
    """A portrait's ``text`` in ``lang``: Chinese alone (``zh``, the default), or English alone (``en``): what is
    marked as the other language's (:func:`_en`, :func:`_zh`, :func:`_say`) left out, what is marked as neither (data:
    names, keys, dates) said in both.

    >>> line = _zh("无加油卡记录") + _en("no fuel cards on record")
    >>> speak(line), speak(line, "en")
    ('无加油卡记录', 'no fuel cards on record')
    """
    if _ZH_OPEN not in text and _EN_OPEN not in text:
        return text.rstrip()
    # spans nest (a Chinese line holding a value said both ways, :func:`_value`): a character is said when no span
    # of the other language holds it
    other = (_ZH_OPEN, _ZH_CLOSE) if check_lang(lang) == "en" else (_EN_OPEN, _EN_CLOSE)
    out, depth = [], 0
    for piece in _MARKED.split(text):
        if piece == other[0]:
            depth += 1
        elif piece == other[1]:
            depth -= 1
        elif piece not in _MARKS and not depth:
            out.append(piece)
    return "".join(out).rstrip()


def _spoken(lines: list[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    """``lines`` in ``lang`` (:func:`speak`); a line left with nothing to say (an English one under ``zh``) left out."""
    said = [(style, speak(text, lang)) for style, text in lines]
    return [(style, text) for style, text in said if text.strip()]


def _shown_at(at: str) -> str:
    """When the portrait was made, as printed: in the office's zone (``GRAPHKIT_TZ``) with its offset."""
    return local_time(at)


def _role_zh(role: Any) -> str:
    """A role in Chinese: a post's as the model names it (``EMPLOYED_BY.role`` in relationships.yaml: official →
    公职人员, as a path's explanation says it), a role in a company as the portrait's data does
    (:data:`graphkit.risk.portrait.ROLE_ZH`), else as it is."""
    from graphkit.model import Model

    return Model.default().value_name("EMPLOYED_BY", "role", role) or COMPANY_ROLE_ZH.get(role, role)


def _value(label: str, prop: str, value: Any) -> str:
    """A value of an enumerated property in Chinese, as the model names it (``values`` in nodes.yaml:
    :meth:`graphkit.model.Model.value_name`), its code beside it under ``lang="en"`` only; a value the model does
    not name as it is. A vehicle's line had said 苏E·A0001 official, a hotline's 状态 unresolved 1, a unit's
    单位类别 政府部门（government）.

    >>> speak(_value("Vehicle", "kind", "official")), speak(_value("Vehicle", "kind", "official"), "en")
    ('公务用车', 'official')
    >>> _value("Vehicle", "kind", "hovercraft")
    'hovercraft'
    """
    from graphkit.model import Model

    name = Model.default().value_name(label, prop, value)
    return str(value if value is not None else "") if name is None else _say(name, str(value))


#: the line a masked portrait carries
MASK_NOTE = _say(masked_kinds() + "已脱敏", masked_kinds("en") + " masked")
#: the line an unmasked portrait carries
UNMASKED_NOTE = _say("未脱敏", "UNMASKED")


_ASCII = "".join(chr(c) for c in range(32, 127))


#: the space between a line's fields: 　 in Chinese, two spaces in English
_SP = _zh("　") + _en("  ")


def _paren(x: Any) -> str:
    """``x`` in brackets: （x） in Chinese, `` (x)`` in English."""
    return _zh(f"（{x}）") + _en(f" ({x})")


def _region(code: Any) -> str:
    """A district as :func:`region_words` says it (昆山市（320583）), in English brackets under ``lang="en"``."""
    words = region_words(code)
    name, _, rest = words.partition("（")
    return _zh(words) + _en(f"{name} ({rest.rstrip('）')})" if rest else words)


def _pid(x: Any, unmask: bool) -> str:
    return str(x) if unmask else mask(x, "id_number")


def _key(label: str, x: Any, unmask: bool) -> str:
    """A node's key as every face shows it: a person's masked, a company's or unit's credit code in clear (whatever
    it starts with: 91 for a company, 31 or 52 for others, 11 for a unit; it had been masked as an ID number)."""
    return str(x) if unmask else mask_node_key(label, x)


def _phone(x: Any, unmask: bool) -> str:
    return str(x) if unmask else mask(x, "phone")


def _plate(x: Any, unmask: bool) -> str:
    """A plate as every face shows it: a private car's masked, an official vehicle's in clear (``mask_key``)."""
    return str(x) if unmask or x is None else mask_key("Vehicle", x)


def _money(v: float | None) -> str:
    """An amount of the pre-portrait, exact (:func:`graphkit.model.money` ``exact=True``: ``12,400 元``, to the 分 when
    there are any): its receptions, suppliers and payments are listed under their totals, and written to 0.1 万 they
    missed them (two receptions of 1.2 万元 under a total of 2.5 万元)."""
    return "—" if v is None else money(float(v), "CNY", "zh", exact=True)


def _money_en(v: float | None) -> str:
    """:func:`_money` in English, to the fen as well (``¥12,400``, ``¥2,248.20``; it was rounded to the yuan)."""
    return "—" if v is None else money(float(v), "CNY", exact=True)


_ROWS = re.compile(r"\d+(,\d+)*")


def cite(source: Any, lang: str = "zh") -> str:
    """A portrait's ``file:row`` source (``；`` between files) in the one form of ``lang`` that the map's list and
    every other face use (:func:`graphkit.model.provenance`): ``units.csv 第155行`` (``lang="en"``:
    ``units.csv line 155``). One portrait had cited ``units.csv:155``, ``[roster.csv:89]`` and
    ``contracts.csv 第113行``.

    >>> cite("units.csv:155"), cite("units.csv:155", "en"), cite("bids.csv:2,5；tenders.csv:7", "en")
    ('units.csv 第155行', 'units.csv line 155', 'bids.csv lines 2, 5; tenders.csv line 7')
    >>> cite("gps_stops.csv"), cite("")
    ('gps_stops.csv', '')
    """
    out = []
    for part in str(source or "").split("；"):
        name, colon, rows = part.rpartition(":")
        out.append(provenance(name, rows, lang) if colon and name and _ROWS.fullmatch(rows) else part)
    return ("；" if check_lang(lang) == "zh" else "; ").join(out)


def cited(source: Any, lang: str = "zh", *, more: tuple[str, ...] = ()) -> str:
    """A portrait's citation of ``source`` (:func:`cite`), and ``more`` files beside it, in the one form a path's
    explanation and the warnings use (:func:`graphkit.paths.explain`): ``〔units.csv 第155行〕`` right after what it
    cites, ``lang="en"``: `` [units.csv line 155]``; nothing when there is nothing to cite. One portrait had cited
    its sources three ways: ``来源 units.csv 第155行``, ``[roster.csv 第89行]`` and ``［fuel_cards.csv 第3行］``.

    >>> cited("units.csv:155"), cited("units.csv:155", "en"), cited("", more=("加油 fills.csv",)), cited(None)
    ('〔units.csv 第155行〕', ' [units.csv line 155]', '〔加油 fills.csv〕', '')
    """
    parts = ([cite(source, lang)] if source else []) + list(more)
    if not parts:
        return ""
    zh = check_lang(lang) == "zh"
    return ("" if zh else " ") + cited_as(("；" if zh else "; ").join(parts), lang)


def reception_line(x: Mapping[str, Any], lang: str = "zh") -> str:
    """One of the largest receptions: date, amount, guests, its official letter and its record. A letter number
    is written in the 〔〕 a citation stands in (``常政办函〔2024〕31号``, data kept as it is): it is named
    (``公函 …``) and set apart from the citation by a space, which had run on into it
    (``常政办函〔2024〕31号〔receptions.csv 第279行〕``).

    >>> x = {"date": "2024-09-29", "amount": 5064, "guests": 12, "letter": "常政办函〔2024〕31号", "source": "r.csv:9"}
    >>> speak(reception_line(x))
    '    2024-09-29 5,064 元 12 人 公函 常政办函〔2024〕31号 〔r.csv 第9行〕'
    >>> speak(reception_line({**x, "letter": ""}))
    '    2024-09-29 5,064 元 12 人 无公函〔r.csv 第9行〕'
    >>> speak(reception_line(x, "en"), "en")
    '    2024-09-29 ¥5,064, 12 guests, letter 常政办函〔2024〕31号 [r.csv line 9]'
    """
    cite = cited(x["source"], lang)
    if x["letter"] and not cite.startswith(" "):  # not run on into the letter's own 〔2024〕
        cite = " " + cite
    letter = (
        _say(f"公函 {x['letter']}", f"letter {x['letter']}") if x["letter"] else _say("无公函", "no official letter")
    )
    return (
        f"    {x['date']} "
        + _say(
            f"{_money(x['amount'])} {x['guests']} 人 ",
            f"{_money_en(x['amount'])}, {counted(x['guests'], 'guest')}, ",
        )
        + f"{letter}{cite}"
    )


def sections(p: dict[str, Any], *, unmask: bool = False, lang: str = "zh") -> list[tuple[str, list[tuple[str, str]]]]:
    """The portrait as titled sections of ``(style, text)`` lines (style: ``h``, ``p``, ``red``, ``orange``,
    ``small``), masked unless ``unmask``, in Chinese (``lang="en"``: with the English beside it, as the console's
    ``--lang en``); both the HTML and the PDF are laid out from these."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    unit = p["kind"] == "unit"
    idn = p["identity"]
    lines: list[tuple[str, str]] = []
    if unit:
        staff = idn["staff"]
        lines.append(("p", f"{idn['name']}{_SP}{_say('统一社会信用代码', 'credit code')} {idn['id']}"))
        lines.append(
            (
                "p",
                f"{_say('单位类别', 'kind')} {_value('Organization', 'kind', idn['kind'])}"
                f"{_SP}{_say('辖区', 'district')} {_region(idn['jurisdiction'])}"
                f"{_SP}{_say(f'在职 {staff} 人', f'{staff} staff')}{cited(idn['source'], lang)}",
            )
        )
        lines.append(("h", _say("主要人员", "Key personnel")))
        if not p["personnel"]:
            lines.append(("p", _say("花名册中无本单位人员", "no one on the roster")))
        limit = _listed(p, "personnel")
        for x in p["personnel"][:limit]:
            until = (
                f"{_say('—', ' to ')}{x['until']}{_say('（已离任）', ' (left)')}"
                if x["until"]
                else _say("至今", " to date")
            )
            lines.append(
                (
                    "p",
                    f"{x['name']}{_paren(_pid(x['person'], unmask))}{_en(' ')}{x['post'] or ''} "
                    f"{_role_words(x['role'])}{_SP}{_say('', 'since ')}{x['since']}{until}{cited(x['source'], lang)}",
                )
            )
        if len(p["personnel"]) > limit:
            lines.append(_left_out(len(p["personnel"]) - limit, len(p["personnel"]), "人", "persons"))
    else:
        born = id_year_and_sex(idn["id"])  # the year only, as the masking keeps it, and the sex: namesakes apart
        sex_en = {"男": "male", "女": "female"}.get(born[1], "") if born else ""
        facts = (
            f"{_SP}{_say('出生年份', 'born')} {born[0]}{_SP}{_say('性别', 'sex')} {_say(born[1], sex_en)}"
            if born
            else ""
        )
        lines.append(("p", f"{idn['name']}{_SP}{_say('身份证号', 'ID number')} {_pid(idn['id'], unmask)}{facts}"))
        for x in p["personnel"]:
            until = f"{_say('—', ' to ')}{x['until']}" if x["until"] else _say("至今", " to date")
            lines.append(
                (
                    "p",
                    f"{x['unit_name']} {x['post'] or ''} {_role_words(x['role'])} {_say('', 'since ')}{x['since']}"
                    f"{until}{cited(x['source'], lang)}",
                )
            )
        if not p["personnel"]:
            lines.append(("p", _say("无任职记录", "no post on the roster")))
    out.append(("一、" + _say("基本情况", "Identity and key personnel"), lines))
    out.append(("二、" + _say("风险评分", "Risk score and factors against peers"), _risk_lines(p)))
    # family business
    lines = _business_lines(p, unmask, lang)
    head = (
        "三、" + _say("亲属经商办企业", "Family business interests (hop by hop)")
        if unit
        else "三、" + _say("本人及亲属经商办企业", "Business interests of the person and relatives (hop by hop)")
    )
    out.append((head, lines))
    if unit:
        out.append(("四、" + _say("采购概况", "Procurement profile"), _procurement_lines(p["procurement"])))
        out.append(("五、" + _say("车辆与加油", "Vehicles and fuel"), _vehicle_lines(p["vehicles"], unmask, lang)))
        rc = p["receptions"]
        lines = [
            (
                "p",
                _say(
                    f"公务接待 {rc['count']} 次，{_money(rc['amount'])}，{rc['guests']} 人次，"
                    f"人均 {_money(rc['per_guest'])}；无公函 {rc['no_letter']} 次",
                    f"{counted(rc['count'], 'reception')}, {_money_en(rc['amount'])}, "
                    f"{counted(rc['guests'], 'guest')}, {_money_en(rc['per_guest'])} per guest; "
                    f"{rc['no_letter']} without an official letter",
                ),
            )
        ]
        if rc["count"] == 0:
            lines = [("p", _say("无公务接待记录", "no receptions on record"))]
        if rc["count"] > len(rc["largest"]):
            lines.append(
                (
                    "small",
                    _say(
                        f"    金额最大的 {len(rc['largest'])} 次（共 {rc['count']} 次）",
                        f"the largest {len(rc['largest'])} of {rc['count']}",
                    ),
                )
            )
        for x in rc["largest"]:
            lines.append(("small", reception_line(x, lang)))
        out.append(("六、" + _say("公务接待", "Receptions"), lines))
        h = p["hotline"]
        if h["tickets"]:
            lines = [
                (
                    "p",
                    _say(
                        f"12345 工单 {h['tickets']} 件，办结 {h['resolved']} 件；状态 ",
                        f"{counted(h['tickets'], 'hotline ticket')}, {h['resolved']} resolved; by status ",
                    )
                    + _say("、", ", ").join(
                        f"{_value('HotlineTicket', 'status', k)} {v}" for k, v in h["statuses"].items()
                    ),
                )
            ]
            for c in h["top_callers"]:
                lines.append(
                    (
                        "small",
                        _say(
                            f"    来电 {_phone(c['phone'], unmask)}：{c['tickets']} 件",
                            f"{counted(c['tickets'], 'ticket')} from {_phone(c['phone'], unmask)}",
                        ),
                    )
                )
        else:
            lines = [("p", _say("无涉及本单位的 12345 工单", "no hotline tickets concern the unit"))]
        out.append(("七、" + _say("12345 热线", "Hotline"), lines))
    else:
        lines = []
        for c in p["companies"]:
            roles = "、".join(_role_zh(x) for x in c["roles"])
            lines.append(
                (
                    "p",
                    f"{c['name']} {c['company']}"
                    + _say(
                        f"：{roles}；合同 {_money(c['contracts'])}，{c['units']} 家单位",
                        f": {', '.join(map(str, c['roles']))}; contracts {_money_en(c['contracts'])} with "
                        f"{counted(c['units'], 'unit')}",
                    ),
                )
            )
        if not lines:
            lines.append(("p", _say("不在任何企业任股东、法定代表人或高管", "holds no company role")))
        for x in p["payments"]:
            purpose = x["purpose"] if isinstance(x["purpose"], str) else ""
            lines.append(
                (
                    "p",
                    _say("收到 ", f"received {counted(int(x['size']), 'payment')}, {_money_en(x['sum'])}, from ")
                    + f"{x['unit_name']} {x['unit']}"
                    + _zh(f" 付款 {int(x['size'])} 笔 {_money(x['sum'])}")
                    + _paren(purpose)
                    + cited(x.get("source"), lang),
                )
            )
        for v in p["vehicles"]:
            plate = _plate(v["vehicle"], unmask)
            parked = v.get("parked", 0)
            parked_en = (
                f"; parked {counted(parked, 'time')}, {v.get('parked_free', 0)} of them let out free" if parked else ""
            )
            parked = f"；停车记录 {parked} 次，其中免费放行 {v.get('parked_free', 0)} 次" if parked else ""
            kind = _value("Vehicle", "kind", v["vehicle_kind"])
            lines.append(
                (
                    "p",
                    _say("名下车辆 ", "car ")
                    + plate
                    + _paren(kind)
                    + _say(
                        f"，免费停车白名单 {v['lots']} 处{parked}",
                        f" on free-parking whitelists of {counted(v['lots'], 'car park')}{parked_en}",
                    ),
                )
            )
            where = []
            if v.get("whitelist_from"):
                where.append(_say("白名单", "whitelist") + " " + _say("、", ", ").join(v["whitelist_from"]))
            if v.get("parking_from"):
                where.append(_say("停车", "parking") + " " + _say("、", ", ").join(v["parking_from"]))
            if where or v.get("source"):
                lines.append(("small", "    " + cited(v.get("source"), lang, more=tuple(where)).lstrip()))
        out.append(("四、" + _say("企业、收款与车辆", "Companies, payments received and vehicles"), lines))
    # warnings
    lines = []
    if p.get("no_ledger"):
        lines.append(
            (
                "p",
                _say(
                    "未找到预警台账，模型预警未计入本画像", "no warning ledger beside the store: warnings not counted"
                ),
            )
        )
    elif not p["warnings"]:
        lines.append(("p", _say("台账中无相关预警", "no warnings in the ledger")))
    for w in p["warnings"]:  # in a case handler's words: 状态 待核查 / 核查中 / 已核实 …, the Chinese summary
        st = status_word(w.get("status", ""), w.get("outcome"))
        lines.append(
            (
                w["level"] if w["level"] in ("red", "orange") else "p",
                # the model by its Chinese name; its id, a handle for `warnings list --model`, once in the note below
                _say(
                    f"[{level_word(w['level'])}] {model_title(w.get('model', ''))}",
                    f"[{level_word(w['level'], 'en')}] {w.get('model', '')}",
                )
                + f" {w.get('id', '')}"
                + _say(f"　状态 {st}", f"  status {status_word(w.get('status', ''), w.get('outcome'), 'en')}")
                + (_paren(w["assignee"]) if w.get("assignee") else ""),
            )
        )
        lines += _summary_lines(w, unmask)
        for hst in w.get("history", []):
            before, after, extra = history_line(hst, w.get("outcome"))
            said_en = history_line(hst, w.get("outcome"), "en")
            lines.append(
                (
                    "small",
                    f"    {local_time(hst['at'])} {hst['by']}"
                    + _say(
                        f"：{before} → {after}" + (f"（{mask_text(extra)}）" if extra else ""),
                        f": {said_en[0]} → {said_en[1]}" + (f" ({mask_text(said_en[2])})" if said_en[2] else ""),
                    ),
                )
            )
    models = list(dict.fromkeys(w.get("model") for w in p["warnings"] if w.get("model")))
    if models:  # each model's id once, for the reader who lists its warnings (it had followed every warning's title)
        handles = "；".join(f"{model_title(m, short=True)} {m}" for m in models)
        lines.append(
            (
                "small",
                _say(
                    "说明：列出某一模型的全部预警用 graphkit warnings list --model 模型编号；"
                    f"本节各模型的编号：{handles}",
                    "list a model's warnings with graphkit warnings list --model ID (the IDs above)",
                ),
            )
        )
    out.append(("八、" + _say("预警及处置", "Warnings and their status history"), lines))
    if unit:
        c = p["collusion"]
        lines = [
            (
                "p",
                _say(
                    f"本单位招标 {c['tenders']} 个，独家投标中标 {c['single_bid']} 个；"
                    f"中标企业涉围标串标预警 {len(c['bid_rigging_warnings'])} 条",
                    f"{counted(c['tenders'], 'tender')} issued, {c['single_bid']} won on a single bid; "
                    f"{counted(len(c['bid_rigging_warnings']), 'bid-rigging warning')} on their winners",
                ),
            )
        ]
        for w in c["bid_rigging_warnings"]:
            said = _summary_lines(w, unmask)
            lines.append(
                (w["level"] if w["level"] in ("red", "orange") else "p", f"    {w['id']} {said[0][1].lstrip()}")
            )
            lines += said[1:]
        out.append(("九、" + _say("围标串标关联", "Collusion exposure"), lines))
    # the sections shown numbered one after another (a person's portrait has no 五 to 七, and 九 only with
    # collusion exposure: it read 一二三四八十十一), and section 二's note points at the warnings' section by the number
    # it is shown under (a person's note said 见八 where its warnings are 五); in English 1, 2, 3 …
    at = next(i for i, (head, _) in enumerate(out) if head.startswith("八、"))
    warned = NUMERALS[at]
    out[1] = (
        out[1][0],
        [
            (style, text.replace("，见八", f"，见{warned}").replace("see section 八", f"see section {at + 1}"))
            for style, text in out[1][1]
        ],
    )
    return [
        (speak(_numbered(i, head.split("、", 1)[1]), lang), _spoken(lines, lang)) for i, (head, lines) in enumerate(out)
    ]


def _numbered(i: int, head: str) -> str:
    """The ``i``-th section's heading (from 0): 一、基本情况 in Chinese, 1. Identity … in English."""
    return _zh(f"{NUMERALS[i]}、") + _en(f"{i + 1}. ") + head


def _summary_lines(w: dict[str, Any], unmask: bool) -> list[tuple[str, str]]:
    """A warning's summary: the Chinese one (``summary_zh``), then under ``lang="en"`` the English one the model
    wrote beside it (``summary``), masked alike; the portrait under ``--lang en`` had kept the Chinese alone."""
    zh = warning_summary(w, unmask=unmask)
    en = warning_summary(w, unmask=unmask, lang="en") if w.get("summary") else ""
    return [("small", "    " + _say(zh, en or zh))]


def _role_words(role: Any) -> str:
    """A post's role in Chinese (:func:`_role_zh`), its key beside it under ``lang="en"``: 公职人员 (official)."""
    zh = _role_zh(role)
    return _say(zh, str(role)) if role and zh != role else zh


#: section numbers
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]


def closing_heads(shown: list, lang: str = "zh") -> tuple[str, str]:
    """The headings of the map and of the data sources, numbered after the ``shown`` sections."""
    n = len(shown)
    return (
        speak(_numbered(n, _say("关系图", "Relationship map")), lang),
        speak(_numbered(n + 1, _say("数据来源", "Data sources")), lang),
    )


def _business_lines(p: dict[str, Any], unmask: bool, lang: str = "zh") -> list[tuple[str, str]]:
    """Section 三: what the counts are (the staff or relatives the risk factor counts, how many companies and
    chains), then each company once with its chains hop by hop, each hop with its source; the money a
    company was paid is said once, on the company (its chains are routes to the same company, not payments)."""
    unit = p["kind"] == "unit"
    fb = p["family_business"]
    lines: list[tuple[str, str]] = []
    if not fb:
        who_zh, who_en = ("职工", "the staff") if unit else ("本人", "the person")
        lines.append(
            (
                "p",
                _say(
                    f"未发现{who_zh}及其亲属（3 跳以内）在企业任职持股",
                    f"no business interests of {who_en} or relatives found within 3 hops",
                ),
            )
        )
        return lines
    companies: dict[str, list[dict[str, Any]]] = {}
    for x in fb:
        companies.setdefault(x["company"], []).append(x)
    n_firms, n_chains = len(companies), len(fb)
    if unit:
        fam = {x["staff"] for x in fb if x["hops"] >= 2}
        own = {x["staff"] for x in fb if x["hops"] == 1}
        point_zh, point_en = _pointer(p, "staff_family_business", "在职人员经亲属或所持企业关联企业")
        lines.append(
            (
                "p",
                _say(
                    f"{len(fam)} 名在职人员经亲属或所持企业（2-3 跳）关联企业"
                    f"（{point_zh}），"
                    f"{len(own)} 名本人在企业任职持股（1 跳）；共 {n_firms} 家企业、{n_chains} 条关联链，"
                    "每家企业列一次，其下为各条链；付款额为本单位付给该企业的总额，不随链数重复。",
                    f"staff reaching companies through relatives or their holdings (2-3 hops; {point_en}): "
                    f"{len(fam)}; holding a role themselves (1 hop): {len(own)}; "
                    f"{counted(n_firms, 'company', 'companies')}, {counted(n_chains, 'chain')}; each company once "
                    "with its chains, the amount paid to it once.",
                ),
            )
        )
    else:
        person = p["id"]
        mine = [x for x in fb if x["staff"] == person]
        direct = {x["via"][-1] for x in mine if len(x.get("via", [])) == 1}
        further = {x["via"][-1] for x in mine if len(x.get("via", [])) == 2} - direct
        own = {x["company"] for x in mine if x["hops"] == 1}
        through = {x["staff"] for x in fb if x["staff"] != person}
        point_zh, point_en = _pointer(p, "relatives_in_business", "直接亲属在企业任职")
        lines.append(
            (
                "p",
                _say(
                    f"本人任职持股企业 {len(own)} 家（1 跳）；{len(direct)} 名直接亲属在企业任职持股或持有其股东企业"
                    f"（{point_zh}），另 {len(further)} 名为亲属的亲属（3 跳）；"
                    f"{len(through)} 名在职人员的关联链经过本人；共 {n_firms} 家企业、{n_chains} 条关联链，"
                    "每家企业列一次，付款额不随链数重复。",
                    f"{counted(len(own), 'company', 'companies')} of the person's own (1 hop); "
                    f"{counted(len(direct), 'direct relative')} in business ({point_en}), "
                    f"{counted(len(further), 'relative')} of relatives (3 hops); the chains of "
                    f"{counted(len(through), 'staff member')} through the person; "
                    f"{counted(n_firms, 'company', 'companies')}, {counted(n_chains, 'chain')}.",
                ),
            )
        )
    limit = _listed(p, "companies")
    for c, chains in list(companies.items())[:limit]:
        first = chains[0]
        words = {_paid_words(x, unit) for x in chains}
        paid = max(x["paid"] for x in chains)
        same = _paid_words(first, unit) if len(words) == 1 else ""
        note = (
            _say("（各链指向同一笔款项）", " (its chains lead to the same payments)")
            if len(chains) > 1 and paid and same
            else ""
        )
        lines.append(
            (
                "orange" if paid else "p",
                f"{first['company_name']} {c}{same}{note}"
                + _say(f"：{len(chains)} 条关联链", f": {counted(len(chains), 'chain')}"),
            )
        )
        for i, x in enumerate(chains, 1):
            own_words = "" if same else _paid_words(x, unit)
            lines.append(
                (
                    "p",
                    _say(f"  链 {i}：", f"  chain {i}: ")
                    + f"{x.get('staff_name', '')}{_paren(_pid(x['staff'], unmask))}"
                    + _say(f"，{x['hops']} 跳", f", {counted(x['hops'], 'hop')}")
                    + own_words,
                )
            )
            for h in x["path"]:
                a, b = (_key(h.get(f"{e}_label", "Person"), h[e], unmask) for e in ("from", "to"))
                lines.append(
                    (
                        "small",
                        f"    {h['from_name']}{_paren(a)}{_en(' ')}—{_say(h['what'], h.get('what_en') or h['what'])}→ "
                        f"{h['to_name']}{_paren(b)}"
                        f"{cited(h['source'], lang)}",
                    )
                )
    if len(companies) > limit:
        rest = sum(len(v) for v in list(companies.values())[limit:])
        lines.append(
            _left_out(
                len(companies) - limit,
                len(companies),
                f"家企业（{rest} 条关联链）",
                f"companies ({counted(rest, 'chain')})",
            )
        )
    return lines


def _pointer(p: dict[str, Any], feature: str, words: str) -> tuple[str, str]:
    """What section 三's count says of the risk factor that counts it (Chinese, English): that it is the factor
    section 二 lists, or, where section 二 does not list it (its deviation from the peers under 1, too small to show),
    that it is not listed and why. It had pointed at 第二节风险因素“直接亲属在企业任职” whether or not it was listed."""
    r = p.get("risk") or {}
    if any(f.get("feature") == feature for f in r.get("factors") or []):
        return f"即第二节风险因素“{words}”的人数", "the number the risk factor in section 2 counts"
    return (
        "风险评分按此人数与同类比较，偏离不足 1，第二节未列为风险因素",
        "the risk score compares this number with the peers; it deviates by less than 1, so section 2 does not list it",
    )


#: how many of a long list a portrait shows (``graphkit portrait --list-all`` shows them all)
LISTED = {"personnel": 20, "companies": 15}
#: most nodes the portrait's relationship map draws (``graphkit portrait --max-drawn``; 0 draws every one)
MAX_DRAWN = 60


def _listed(p: dict[str, Any], what: str) -> int:
    """How many of ``what`` the portrait lists: :data:`LISTED`, or all with ``p["_view"]["list_all"]``."""
    return 10**9 if p.get("_view", {}).get("list_all") else LISTED[what]


def _left_out(n: int, total: int, unit_zh: str, unit_en: str) -> tuple[str, str]:
    """The line under a cut list: how many are left out and how to see them."""
    return (
        "small",
        _say(
            f"另有 {n} {unit_zh}未列出（共 {total}）；全部列出：graphkit portrait … --list-all",
            f"{n} more {unit_en} not listed (of {total}); --list-all lists them all",
        ),
    )


def _risk_lines(p: dict[str, Any]) -> list[tuple[str, str]]:
    """Section 二: the risk (the city-wide percentile), the city rank and the rank within the peer group, then
    the factors in Chinese and English."""
    r = p["risk"]
    lines = []
    style = r["level"] if r["level"] in ("red", "orange") else "p"
    noun_zh, noun_en = {"unit": ("单位", "units"), "person": ("人员", "persons")}.get(p["kind"], ("企业", "companies"))
    d = int(r.get("decimals", 1))
    below = r.get("below")
    # the percentile in counts: "more unusual than 100 %" is what a rounded share says of the top of 400
    one = {"人员": "名", "企业": "家"}.get(noun_zh, "个")  # 名 of persons, 家 of companies
    than_zh = (
        f"高于全市 {r['of']:,} {one}{noun_zh}中的 {below:,} {one}"
        if below is not None
        else f"比全市 {r['risk']:.0f}% 的{noun_zh}更异常"
    )
    than_en = (
        f"above {below:,} of the city's {r['of']:,} {noun_en}"
        if below is not None
        else f"more unusual than {r['risk']:.0f}% of the city's {r['of']} {noun_en}"
    )
    parts = r.get("parts")
    score_zh = score_en = ""
    if parts is not None:
        # every part the score adds (the Isolation Forest's too, when the scorer has one): the headline had left it
        # out, and its sum was not the score it stood beside
        forest_zh = f" + 孤立森林 {parts['iforest']:.2f}" if "iforest" in parts else ""
        forest_en = f" + Isolation Forest {parts['iforest']:.2f}" if "iforest" in parts else ""
        score_zh = f"（得分 {r['score']:.2f} = 异常 {parts['anomaly']:.2f} + 预警 {parts['warnings']:.2f}{forest_zh}）"
        score_en = (
            f" (score {r['score']:.2f} = anomaly {parts['anomaly']:.2f} + warnings {parts['warnings']:.2f}{forest_en})"
        )
    lines.append(
        (
            style,
            _say(
                f"风险分 {r['risk']:.{d}f} / 100（{LEVEL_ZH[r['level']]}）：{than_zh}{score_zh}，"
                f"全市{_tied_zh(r, 'tied')}第 {r['rank']:,} / {r['of']:,}；" + _peer_words(r, "zh", noun_zh, noun_en),
                f"Risk {r['risk']:.{d}f}/100 ({r['level']}): {than_en}{score_en}; "
                f"rank {r['rank']:,}{_tied_en(r, 'tied')} of {r['of']:,}; "
                + _peer_words(r, "en", noun_zh, noun_en)
                + ("" if p.get("use_warnings", True) else " Scored without warnings (--no-warnings).")
                + (" Scored with tender collusion on the graph (--collusion)." if p.get("with_collusion") else ""),
            ),
        )
    )
    if p.get("with_collusion"):
        lines.append(("small", _zh("本评分含图上招标围标风险（--collusion），与 rank --collusion 一致")))
    if p["kind"] == "unit" and str(r.get("group", r["peer"])).split("|")[-1] in BAND_ZH:
        lines.append(("small", _say(BANDS_NOTE_ZH, BANDS_NOTE_EN)))  # (its English was said under zh too)
    if not r["factors"]:
        lines.append(("p", _say("无明显偏离同类的指标", "no factor stands out against peers")))
        lines += _scarce_lines(p)
    z_max = float(r.get("z_max", 6.0))
    which = p.get("warning_words") or {}  # the warnings each warning factor counts, as `rank` names them
    which_en = p.get("warning_words_en") or {}  # the same in English (the English line had said the bare count)
    capped = False
    warned = {t["family"] for t in r.get("warning_terms") or [] if t.get("family")}
    notes = fact_notes(r["factors"], warned, r.get("families") or {})
    for f, (same_zh, same_en) in zip(r["factors"], notes, strict=True):
        ledger = str(f["feature"]).startswith("warnings_")
        fs = _factor_style(f, r["level"])
        capped |= not ledger and f["z"] >= z_max
        named = f"（其中 {which[f['feature']]}）" if ledger and which.get(f["feature"]) else ""
        named_en = f" (of which {which_en[f['feature']]})" if ledger and which_en.get(f["feature"]) else ""
        lines.append(
            (
                fs,
                _say(
                    f"· {f['text']}{named}（{factor_degree(f, z_max)}{same_zh}）",
                    f"· {f['text_en']}{named_en} ({'warning points' if ledger else 'z'} {f['z']:.1f}{same_en})"
                    f" [{f['feature']}]",
                ),
            )
        )
    lines += _method_lines(r)
    if r["factors"]:
        lines.append(
            (
                "small",
                _say(
                    "偏离：与对照组中位数相差几个稳健标准差（1.4826 × 中位数绝对偏差，不小于该指标的最小有意义差值），"
                    f"单项最高计 {z_max:.0f}"
                    + ("，“≥6，封顶”者实际更高" if capped and z_max == 6 else "，封顶者实际更高" if capped else "")
                    + "；预警计分：首条红色 6、橙色 4、黄色 2，同一模型（或同一事实的几个模型）同级每多一条加前一条的"
                    "一半，不同模型的预警各自全计，经核实属实的另加 4，按条数计、不与同类比较，见八",
                    "z: how many robust standard deviations (1.4826 × the median absolute deviation, at least the "
                    f"feature's smallest meaningful difference) above the group's median, counted up to {z_max:.0f}; "
                    "warning points: a level's first warning red 6, orange 4, yellow 2, each further one of the same "
                    "model (or fact) half the last, different models' in full, a confirmed one 4 more, by count, not "
                    "against peers; see section 八",
                ),
            )
        )
    lines.append(("small", level_note()))
    return lines


def _factor_style(f: dict[str, Any], level: str) -> str:
    """A factor line's colour: a warning factor's is its own warnings' level (``warnings_orange`` orange, however
    red the unit: an orange warning's line had printed red under a red unit), a statistic's red where it is a
    red unit's deviation of 4 or more, else plain.

    >>> [_factor_style({"feature": f"warnings_{c}", "z": 8.0}, "red") for c in ("red", "orange", "yellow")]
    ['red', 'orange', 'p']
    >>> [_factor_style({"feature": "split_share", "z": 6.0}, level) for level in ("red", "orange")]
    ['red', 'p']
    """
    own = str(f["feature"]).removeprefix("warnings_")
    if str(f["feature"]).startswith("warnings_") and own in ("red", "orange", "yellow"):
        return own if own in ("red", "orange") else "p"
    return "red" if f["z"] >= 4 and level == "red" else "p"


def level_note() -> str:
    """How the portrait's level (红色 / 橙色 / 一般) is set, as the note under the factors says it: the percentile
    with a factor's size, or the score, whose scale does not depend on the number of peers (the top of a 5-unit city
    is above 4 of them, 80, and read 一般 with 5 open red warnings)."""
    return _say(
        f"等级：风险分 ≥{RED_RISK:.0f}（高于全市 {RED_RISK:.0f}% 的对象）且有一项偏离或预警计分 ≥{RED_Z:.0f}，"
        f"或得分 ≥{RED_SCORE:.0f}（如两项不同事实的红色预警）为红色；风险分 ≥{ORANGE_RISK:.0f} 且有一项 ≥2，"
        f"或得分 ≥{ORANGE_SCORE:.0f}（如一项红色预警）为橙色；其余为一般。得分不随参评对象多少而变，"
        "参评对象少的城市也能达到红色",
        f"level: red at risk ≥{RED_RISK:.0f} with a factor of {RED_Z:.0f} or more, or a score of "
        f"{RED_SCORE:.0f} or more (two red warnings of distinct facts); orange at risk ≥{ORANGE_RISK:.0f} with a "
        f"factor of 2 or more, or a score of {ORANGE_SCORE:.0f} or more (one red warning); else normal. The score "
        "does not depend on how many entities the city has, so a small city's can be red",
    )


def fact_notes(
    factors: list[dict[str, Any]], warned: set[str] | frozenset[str] = frozenset(), words: dict | None = None
) -> list[tuple[str, str]]:
    """Per factor (:meth:`graphkit.risk.AnomalyScorer.factors`, largest first), what is said after it of the fact
    it reads (Chinese, English): a factor of a fact already listed is not counted again (one fact counts once,
    at its largest deviation), one of a fact a model warned of (``warned``: the families of the warning terms)
    counts once with the warning, at the larger of the two, else nothing. ``words``: a family's name → its words
    (Chinese, English). The portrait's factor lines and the Risk tab's factor bars say it alike.

    >>> notes = fact_notes([{"family": "fuel"}, {"family": "fuel"}, {"family": "hotline"}], {"hotline"},
    ...                    {"fuel": ["车辆加油量", "fuel drawn by a car"]})
    >>> [zh for zh, _ in notes]
    ['', '；与上列同属“车辆加油量”一项事实，不另计', '；此项事实另有模型预警，两者只计较大者']
    """
    words = words or {}
    seen: set[str] = set()  # the facts of the factors listed so far (one fact counts once: the first, largest)
    out = []
    for f in factors:
        fam = f.get("family")
        note = ("", "")
        if fam and fam in seen:
            fact = words.get(fam, [fam, fam])
            note = (
                f"；与上列同属“{fact[0]}”一项事实，不另计",
                f"; the same fact as above ({fact[1]}), not counted again",
            )
        elif fam and fam in warned:
            note = (
                "；此项事实另有模型预警，两者只计较大者",
                "; a model warned of this fact too: the larger counts, once",
            )
        if fam:
            seen.add(fam)
        out.append(note)
    return out


def factor_degree(f: dict[str, Any], z_max: float = 6.0) -> str:
    """How far a factor (:meth:`graphkit.risk.AnomalyScorer.factors`) stands out, as the portrait writes it: a
    statistic's deviation from its group in robust spreads, ``≥6，封顶`` at the cap (where it is higher still and
    counted as 6), a warning factor's points.

    >>> factor_degree({"feature": "contracts_direct_share", "z": 6.0}), factor_degree({"feature": "n_staff", "z": 2.26})
    ('偏离 ≥6，封顶', '偏离 2.3')
    >>> factor_degree({"feature": "warnings_red", "z": 6.0})
    '预警计分 6.0'
    """
    if str(f["feature"]).startswith("warnings_"):
        return f"预警计分 {f['z']:.1f}"
    return f"偏离 ≥{z_max:.0f}，封顶" if f["z"] >= z_max else f"偏离 {f['z']:.1f}"


def _peer_words(r: dict[str, Any], lang: str, noun_zh: str = "单位", noun_en: str = "units") -> str:
    """The group the entity was compared with and its rank within it (the risk itself is the city-wide
    percentile): its own peer group, else, when that has fewer than ``min_peers``, its kind across size bands
    or the whole city, saying why; scores kept by an older version have no peer rank, and say the group alone."""
    kind = {"单位": "unit", "人员": "person"}.get(noun_zh, "company")
    name = peer_name_zh(r["peer"], kind)
    # the group in words under --lang en too, as in Chinese (it had read peer group government|large)
    name_en = peer_name_en(r["peer"], kind)
    one = {"person": "名", "company": "家"}.get(kind, "个")  # 在职人员（144 名）, not 144 个
    if r.get("peer_rank") is None:
        return f"对照组 {name}（{r['peers']:,} {one}）。" if lang == "zh" else f"peer group {name_en} ({r['peers']:,})."
    fallback = r.get("fallback")
    if fallback is None:
        if lang == "zh":
            span = staff_words(tuple(r["staff_range"])) if r.get("staff_range") else ""
            return f"对照组 {name}（{r['peers']:,} {one}{span}）中{_tied_zh(r, 'peer_tied')}第 {r['peer_rank']:,} 名"
        lo_hi = tuple(r["staff_range"]) if r.get("staff_range") else None
        span = "" if not lo_hi else f", {lo_hi[0]} staff" if lo_hi[0] == lo_hi[1] else f", {lo_hi[0]}–{lo_hi[1]} staff"
        return (
            f"rank {r['peer_rank']:,}{_tied_en(r, 'peer_tied')} of {r['peers']:,} in peer group {name_en} "
            f"({r['peers']:,} {noun_en}{span})."
        )
    few = r["peer_size"]
    if lang == "zh":
        group, why = fallback_words_zh(
            fallback, r["group"], r["peers"], r["peer"], few, r["min_peers"], noun=f"{one}{noun_zh}", one=one, kind=kind
        )
        return f"对照组 {group}{why}中{_tied_zh(r, 'peer_tied')}第 {r['peer_rank']} 名"
    group = (
        f"all {r['peers']} {noun_en} of the city"
        if fallback == "city"
        else f"all {r['peers']} {r['group'][:-2]} {noun_en}"
    )
    return (
        f"rank {r['peer_rank']}{_tied_en(r, 'peer_tied')} of {r['peers']} compared with {group} "
        f"(its peer group, {name_en}, has only {few}, fewer than {r['min_peers']})."
    )


def _scarce_lines(p: dict[str, Any]) -> list[tuple[str, str]]:
    """A unit with none of the records the score reads (no staff, contract, tender, fuel card or reception)
    read 风险分 0.0（一般）and 无明显偏离同类的指标, as a unit looked at and found ordinary: it says what the store
    holds of it, and that its 0 is no finding."""
    if p["kind"] != "unit" or not all(k in p for k in ("identity", "procurement", "collusion", "vehicles")):
        return []
    held = {
        "在职": (int(p["identity"].get("staff") or 0), "人", "staff"),
        "合同": (int(p["procurement"].get("contracts") or 0), "份", "contract"),
        "招标": (int(p["collusion"].get("tenders") or 0), "个", "tender"),
        "加油卡": (len(p["vehicles"]), "张", "fuel card"),
        "公务接待": (int(p["receptions"].get("count") or 0), "次", "reception"),
        "12345 工单": (int(p["hotline"].get("tickets") or 0), "件", "hotline ticket"),
    }
    if any(n for k, (n, _, _) in held.items() if k != "12345 工单"):
        return []
    zh = "、".join(f"{k} {n} {u}" for k, (n, u, _) in held.items())
    en = ", ".join(f"{n} staff" if w == "staff" else counted(n, w) for n, _, w in held.values())
    return [
        (
            "p",
            _say(
                f"库中本单位可评分的记录极少（{zh}）：风险分低只说明这些记录中无异常，不说明已核查无风险",
                f"the store holds almost nothing the score reads of this unit ({en}): a low risk here is no finding",
            ),
        )
    ]


def _tied_zh(r: dict[str, Any], key: str) -> str:
    """``并列`` before a place shared with others (``tied``: how many share it, itself included)."""
    return "并列" if int(r.get(key) or 1) > 1 else ""


def _tied_en(r: dict[str, Any], key: str) -> str:
    n = int(r.get(key) or 1)
    return f" (tied with {n - 1} other{'s' if n > 2 else ''})" if n > 1 else ""


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{x:.1f}"


def _method_lines(r: dict[str, Any]) -> list[tuple[str, str]]:
    """How the score adds up, with this entity's own numbers: one fact counts once (a fact's features at their
    largest deviation; a fact a model warned of at the larger of the warning points and that deviation), the
    anomaly part is the three largest deviations of the facts no warning covers, weighted 1, ½, ¼, and the
    warnings part each warned fact's count and the points of the other warnings. The portrait listed the
    deviations (6.0, 6.0, 4.0 …) and said 异常 10.00 with nothing to get from one to the other; the weights were
    said only in ``rank --help``, in English; and one contract to a relative's company had counted in three
    deviations and a warning."""
    terms, parts = r.get("terms"), r.get("parts")
    if terms is None or parts is None or not r.get("score"):  # scores kept by an older version; nothing to add
        return []
    words = r.get("families") or {}

    def fact(name: str | None, lang: int) -> str:
        if name is None:
            return ("其他预警", "other warnings")[lang]
        return words.get(name, [name, name])[lang]

    times = {1.0: "", 0.5: "×½", 0.25: "×¼"}
    anom_zh = " + ".join(
        f"{fact(t.get('family'), 0)} " + _num(t["z"]) + times.get(t["times"], f"×{t['times']:g}") for t in terms
    )
    anom_en = " + ".join(
        f"{fact(t.get('family'), 1)} " + _num(t["z"]) + times.get(t["times"], f"×{t['times']:g}") for t in terms
    )
    wterms = r.get("warning_terms")
    if wterms is None:  # kept by a version without facts: the points of the warning factors
        points = [f["z"] for f in r["factors"] if str(f["feature"]).startswith("warnings_")]
        warn_zh = warn_en = " + ".join(_num(z) for z in points)
    else:
        models = r.get("models") or {}

        def term(t: dict, lang: int) -> str:
            if t.get("verified"):  # on top of the level's points: a warning an investigator confirmed
                return f"{('核实', 'confirmed')[lang]} +{_num(t['counted'])}"
            if t.get("model"):  # a model of no family: a fact of its own
                return f"{models.get(t['model'], [t['model'], t['model']])[lang]} {_num(t['counted'])}"
            if t.get("family") is None or not t["z"]:
                return f"{fact(t.get('family'), lang)} {_num(t['counted'])}"
            # the count first, as every other term gives it (a reader adds the terms up), then what it is the larger
            # of: the Chinese line had said max(预警 6.0, 偏离 6.0)
            pair = (
                f"{_num(t['counted'])}（预警 {_num(t['points'])}、偏离 {_num(t['z'])} 取较大者）"
                if lang == 0
                else f"max(warning {_num(t['points'])}, deviation {_num(t['z'])})"
            )
            return f"{fact(t['family'], lang)} {pair}"

        warn_zh = " + ".join(term(t, 0) for t in wterms)
        warn_en = " + ".join(term(t, 1) for t in wterms)
    under = any(t["z"] < 1.0 for t in terms)
    zh = (
        "得分算法：同一事实只计一次（同一事实的几项指标取其最大偏离；模型预警与指标指向同一事实时取两者较大者）。"
        f"异常 = 未经预警的事实中最大三项偏离依次乘 1、½、¼ 相加（{anom_zh or '0'} = {parts['anomaly']:.2f}"
        + ("，偏离不足 1 者未列于上" if under else "")
        + "）"
        + ("，偏离已乘以由核实结论学得的权重" if r.get("learnt") else "")
        + f"；预警 = 各项预警事实的计分相加（{warn_zh or '0'} = {parts['warnings']:.2f}）"
        + (
            "：不同模型的预警是不同事实，各自全计；同一模型（或同属一项事实的几个模型）同级的预警首条全计、"
            "每多一条加前一条的一半；经核实属实的预警在其级别计分之外另加 4"
            "（同一事实再多一条加前一条的一半，不同事实各自全计）"
            if wterms
            else ""
        )
        + (f"；另加孤立森林 {parts['iforest']:.2f}" if "iforest" in parts else "")
    )
    en = (
        "score: one fact counts once (a fact's indicators at their largest deviation; a fact a model warned of at "
        "the larger of the two). "
        f"anomaly = the three largest deviations of the facts no warning covers, times 1, ½, ¼ ({anom_en or '0'} = "
        f"{parts['anomaly']:.2f}"
        + (", those under 1 not listed above" if under else "")
        + ")"
        + (", each deviation times the weight learnt from verified warnings" if r.get("learnt") else "")
        + f"; warnings = each warned fact's count ({warn_en or '0'} = {parts['warnings']:.2f})"
        + (
            ": different models' warnings are different facts and count in full; one model's (or one fact's "
            "models') warnings of a level count the first in full and each further one half the last; a warning "
            "confirmed true adds 4 on top of its level's points (each further one of the same fact half the last, "
            "distinct facts in full)"
            if wterms
            else ""
        )
        + (f"; plus the Isolation Forest's {parts['iforest']:.2f}" if "iforest" in parts else "")
    )
    return [("small", _say(zh, en))]


def _paid_words(x: dict[str, Any], unit: bool) -> str:
    """What was paid to the chain's company: by the unit portrayed; for a person, by the units the person
    works or worked for (a chain from the person) or by the staff member's unit (a chain through the person)."""
    paid, paid_en = _money(x["paid"]), _money_en(x["paid"])
    if unit:
        return (
            _say(f"，本单位付款 {paid}", f"; the unit paid it {paid_en}")
            if x["paid"]
            else _say("，本单位未付款", "; the unit paid it nothing")
        )
    if x.get("from_person", True):
        if not x.get("unit_name"):
            return ""
        word = x.get("units_word", "任职单位")
        word_en = "the units the person worked for" if word == "曾任职单位" else "the person's units"
        said = _say(f"，{word}", f"; {word_en}") + _paren(x["unit_name"])
        return said + (_say(f"付款 {paid}", f" paid it {paid_en}") if x["paid"] else _say("未付款", " paid it nothing"))
    return (
        _say("，", "; ")
        + x["unit_name"]
        + (_say(f"付款 {paid}", f" paid it {paid_en}") if x["paid"] else _say("未付款", " paid it nothing"))
    )


def _procurement_lines(pr: dict[str, Any]) -> list[tuple[str, str]]:
    if not pr.get("contracts"):
        return [("p", _say("本单位无采购合同记录", "no procurement on record for this unit"))]
    n, hhi = pr["contracts"], pr["hhi"]
    shared = hhi > 0 and pr["suppliers"] > 1  # (one supplier: HHI 1, "as if 1.0 shared it" says nothing)
    equal_zh = f"（相当于 {1 / hhi:.1f} 家平分）" if shared else ""
    equal_en = f" (as if {1 / hhi:.1f} suppliers shared it equally)" if shared else ""
    opened = pr["open_tenders"]
    single_zh = (
        f"公开招标独家投标 {pr['single_bid_share']:.0%}"
        f"（{opened} 个公开招标中 {pr['single_bid']} 个只有一家投标并中标）"
        if opened
        else "无公开招标"
    )
    single_en = (
        f"single-bid open tenders {pr['single_bid_share']:.0%} ({pr['single_bid']} of {opened} open tenders won on "
        "one bid)"
        if opened
        else "no open tender"
    )
    # each figure says what it is of (HHI 0.43 was never explained; 直接采购 25% did not say by amount or by count)
    lines = [
        (
            "p",
            _say(
                f"合同 {n} 份，金额 {_money(pr['spend'])}，供应商 {pr['suppliers']} 家；"
                f"供应商集中度 HHI {hhi:.2f}{equal_zh}；"
                f"直接采购 {pr['direct_share']:.0%}（按份数，{n} 份中 {pr['direct']} 份）；"
                f"招标 {pr['tenders']} 个，{single_zh}",
                f"{n} contracts, {_money_en(pr['spend'])}, "
                f"{counted(pr['suppliers'], 'supplier')}; supplier concentration HHI {hhi:.2f}"
                f"{equal_en}; direct awards {pr['direct_share']:.0%} (by count, {pr['direct']} of {n} contracts); "
                f"{pr['tenders']} tenders, {single_en}",
            ),
        ),
        (
            "small",
            _say(
                "说明：集中度 HHI 按金额计，为各供应商所得金额占比的平方和，0 到 1，1 为全部付给一家，"
                "越高越集中；其倒数即相当于几家平分",
                "HHI is by amount: the sum of each supplier's squared share of the spend, 0 to 1, 1 when one "
                "supplier was paid it all; its inverse is the number of suppliers sharing it equally it amounts to",
            ),
        ),
        (
            "h",
            _say(
                f"主要供应商（前 {len(pr['top_suppliers'])} 家，共 {pr['suppliers']} 家）",
                f"Top suppliers (top {len(pr['top_suppliers'])} of {pr['suppliers']})",
            ),
        ),
    ]
    for s in pr["top_suppliers"]:
        pr_ = "" if s["price_ratio"] is None else f"，单价为其他单位同类采购中位数的 {s['price_ratio']:.1f} 倍"
        pr_en = (
            ""
            if s["price_ratio"] is None
            else f", unit prices {s['price_ratio']:.1f}× the median of other units' purchases of the kind"
        )
        lines.append(
            (
                "orange" if s["linked"] else "p",
                f"{s['name']} {s['company']}"
                + _say(
                    f"：{_money(s['amount'])}（占金额 {s['share']:.0%}，{s['contracts']} 份）{pr_}"
                    + ("　与职工关联" if s["linked"] else ""),
                    f": {_money_en(s['amount'])} ({s['share']:.0%} of the spend, "
                    f"{counted(s['contracts'], 'contract')}){pr_en}" + ("; linked to staff" if s["linked"] else ""),
                ),
            )
        )
    if pr["linked_winners"]:
        n = len(pr["linked_winners"])
        lines.append(("orange", _say(f"与职工关联的供应商 {n} 家", f"{counted(n, 'supplier')} linked to staff")))
    cats = _say("、", ", ").join(f"{k} {_say(_money(v), _money_en(v))}" for k, v in pr["categories"].items())
    lines.append(("small", _say("采购品类：", "categories: ") + cats))
    return lines


def _vehicle_sources(v: dict[str, Any], lang: str = "zh") -> str:
    """Where a fuel card's line comes from: the card's and the car's rows, the files of its fills and stops."""
    parts = [cite(x, lang) for x in (v.get("vehicle_source"),) if x]
    if v.get("fills_from"):
        parts.append(_say("加油", "fills") + " " + _say("、", ", ").join(v["fills_from"]))
    if v.get("stops_from"):
        parts.append(_say("轨迹", "stops") + " " + _say("、", ", ").join(v["stops_from"]))
    return cited(v.get("source"), lang, more=tuple(parts))


def _vehicle_lines(vs: list[dict[str, Any]], unmask: bool = False, lang: str = "zh") -> list[tuple[str, str]]:
    """One line per fuel card; the card number as every face shows it (:func:`mask_node_key`): a unit's official
    card is not personal and is in clear, as in `warnings list` and the case files (it had been masked here as a
    bank account, so the card a warning named could not be found in the portrait)."""
    if not vs:
        return [("p", _say("无加油卡记录", "no fuel cards on record"))]
    lines = []
    for v in vs:
        card = v["card"] if unmask else mask_node_key("FuelCard", v["card"])
        plate = _plate(v["vehicle"], unmask) if v["vehicle"] else "（未绑定）"
        # what each figure is of (the line said 1.5 倍（扣除行驶轨迹后 1.2 倍）and left the reader to guess)
        ratio = ratio_en = ""
        if v["class_ratio"] == v["class_ratio"]:
            tanks = f"，合 {v['litres'] / v['tank']:.1f} 箱" if v["tank"] else ""
            ratio = f"{tanks}，按箱数为同类车辆中位数的 {v['class_ratio']:.1f} 倍"
            tanks_en = f", {v['litres'] / v['tank']:.1f} tanks' worth" if v["tank"] else ""
            ratio_en = f"{tanks_en}, {v['class_ratio']:.1f}× the median car of its kind in tanks"
        unexp = unexp_en = ""
        if v["unexplained"] == v["unexplained"] and v["unexplained"] > 0:
            # (two places: 1.5 divided by 1.25 had read 1.5 倍 … 1.2 倍 … 扣除后仍为 1.2 倍)
            driving = round(v["class_ratio"] / v["unexplained"], 2)
            unexp = (
                f"，按行驶量（GPS 停留次数为同类中位数的 {_num(driving)} 倍）扣除后仍为 {v['unexplained']:.1f} 倍"
                if round(driving, 1) > 1
                else "，GPS 停留次数不多于同类中位数，无行驶量可扣除"
            )
            unexp_en = (
                f", still {v['unexplained']:.1f}× after its driving (GPS stops {_num(driving)}× its kind's median)"
                if round(driving, 1) > 1
                else ", GPS stops no more than its kind's median: no driving to take off"
            )
        style = "orange" if v["class_ratio"] == v["class_ratio"] and v["unexplained"] >= 1.5 else "p"
        lines.append(
            (
                style,
                _say(
                    f"卡 {card} 车辆 {plate} {_value('Vehicle', 'kind', v['kind'])} 油箱 {v['tank'] or '—'} 升："
                    f"{v['fills']} 次 {v['litres']:,.0f} 升{ratio}{unexp}；GPS 停留 {v['stops']} 次",
                    f"card {card}, car {plate if v['vehicle'] else '(none bound)'} "
                    f"{_value('Vehicle', 'kind', v['kind'])}, tank {v['tank'] or '—'} l: "
                    f"{counted(v['fills'], 'fill')}, {v['litres']:,.0f} l{ratio_en}{unexp_en}; "
                    f"{counted(v['stops'], 'GPS stop')}",
                )
                + _vehicle_sources(v, lang),
            )
        )
    lines.append(
        (
            "small",
            _say(
                "说明：倍数按箱数计（加油升数 ÷ 油箱容积），与同一车辆类别各车的中位数相比；扣除行驶量后的倍数"
                "再除以本车 GPS 停留次数与同类中位数之比（不足 1 倍按 1 计），多跑的路可以解释的油不计在内",
                "ratios are in tanks' worth (litres drawn ÷ tank capacity) against the median car of the same "
                "kind; the ratio after driving is that divided by the car's GPS stops against its kind's median "
                "(at least 1), so the fuel that more driving explains is not counted",
            ),
        )
    )
    return lines


def _masked_graph(g: nx.MultiDiGraph, unmask: bool) -> nx.MultiDiGraph:
    if unmask:
        return g
    mapping = {}
    seen: set[str] = set()
    for n, a in g.nodes(data=True):
        label = a.get("label")
        # keys as every face shows them: personal ones masked (a fuel card, a licence too), public registration
        # numbers (a credit code, an invoice) in clear
        m = mask_node_key(label, n) if label else str(n)
        while m in seen:
            m += "′"
        seen.add(m)
        mapping[n] = m
    return nx.relabel_nodes(g, mapping, copy=True)


#: resolution of the relationship map drawn into the PDF (and the HTML's fallback)
MAP_DPI = 200
#: the map's width in inches, as it is put across an A4 page (0.92 of its width, less the image's margins), so its
#: type prints at the size it is set in: drawn 6-12 inches wide by its number of nodes and shrunk onto the page, its
#: link numbers and names printed at 4-5 pt
MAP_WIDTH = 0.92 * 8.27 - 0.4


def _png(g: nx.MultiDiGraph, title: str, lang: str = "zh") -> tuple[bytes, list[str]]:
    """The map as a PNG without its list of links, and the list's lines (how many numbers were left off, then each
    numbered link's source), which the PDF sets under the map and on the next page where it is long: drawn into the
    image, a long list had made it taller and the map was shrunk to fit its page."""
    from graphkit.viz import to_image

    listed: list[str] = []
    with tempfile.TemporaryDirectory() as d:
        # 200 dpi: at 110 the map's names and the numbered list under it blurred at any zoom of the PDF
        path = to_image(g, Path(d) / "map.png", title=title, dpi=MAP_DPI, width=MAP_WIDTH, listed=listed, lang=lang)
        return path.read_bytes(), listed


def _map(p: dict[str, Any], unmask: bool, lang: str = "zh") -> tuple[nx.MultiDiGraph, tuple[bytes, list[str]] | None]:
    """The (masked) relationship graph and its PNG drawing with the lines of its list of links (for the PDF), drawn
    once per portrait and masking."""
    g = _map_graph(p, unmask)
    cache = p.setdefault("_maps", {})
    if (unmask, lang) not in cache:  # its list of links in ``lang``, as the HTML's and the Markdown's
        cache[unmask, lang] = _png(g, p["name"], lang) if g.number_of_edges() else None
    return g, cache[unmask, lang]


def _map_graph(p: dict[str, Any], unmask: bool) -> nx.MultiDiGraph:
    """The relationship graph as drawn (:func:`map_part`): personal keys masked unless ``unmask``."""
    cache = p.setdefault("_map_graphs", {})
    if unmask not in cache:
        cache[unmask] = _masked_graph(map_part(p), unmask)
    return cache[unmask]


def map_part(p: dict[str, Any]) -> nx.MultiDiGraph:
    """The part of the portrait's graph its map draws: all of it up to ``max_drawn`` nodes (``p["_view"]``,
    default :data:`MAX_DRAWN`; 0: no limit), else the subject, then whole chains of the companies in the order
    section 三 lists them (the most paid first), then the subject's other neighbours (officials, fuel cards),
    then theirs (cars), up to the limit (a map of 1,006 links is a tangle no one reads)."""
    g = p["graph"]
    limit = int(p.get("_view", {}).get("max_drawn", MAX_DRAWN))
    if limit <= 0 or g.number_of_nodes() <= limit:
        return g
    keep: dict[Any, None] = {p["id"]: None} if p["id"] in g else {}
    for x in p["family_business"]:
        new = list(dict.fromkeys(n for h in x["path"] for n in (h["from"], h["to"]) if n in g and n not in keep))
        if len(keep) + len(new) > limit:
            break
        keep.update(dict.fromkeys(new))
    ring = list(keep)
    while len(keep) < limit and ring:
        nxt = sorted(
            {m for n in ring for m in nx.all_neighbors(g, n) if m not in keep},
            key=lambda m: (str(g.nodes[m].get("label", "")), str(m)),
        )
        for m in nxt[: limit - len(keep)]:
            keep[m] = None
        ring = nxt
    return induced(g, keep)


def map_note(p: dict[str, Any], lang: str = "zh") -> tuple[str, str] | None:
    """The line under a map that leaves part of the graph out: the unit's suppliers beyond the
    :data:`graphkit.risk.portrait.MAP_SUPPLIERS` most paid, how much of the graph, and how to draw it all (in
    ``lang``: :func:`speak`)."""
    note = _map_note(p)
    return None if note is None else (note[0], speak(note[1], lang))


def _map_note(p: dict[str, Any]) -> tuple[str, str] | None:
    g, drawn = p["graph"], map_part(p)
    sup = p.get("map_suppliers") or {}
    left = int(sup.get("others", 0)) - int(sup.get("drawn", 0))
    said = (
        _say(
            f"另有 {left} 家供应商未画出（与职工无关联的供应商共 {sup['others']} 家，画出付款最多的 {sup['drawn']} 家，"
            f"见四、采购概况）",
            f"{left} more suppliers not drawn (of {sup['others']} not linked to staff, the "
            f"{sup['drawn']} paid most are drawn; see section 4, Procurement profile)",
        )
        if left > 0
        else ""
    )
    if drawn.number_of_nodes() == g.number_of_nodes():
        return ("small", said) if said else None
    return (
        "small",
        (said + _say("；", "; ") if said else "")
        + _say(
            f"图中画出 {g.number_of_nodes()} 个节点中的 {drawn.number_of_nodes()} 个、{g.number_of_edges()} 条关系中的 "
            f"{drawn.number_of_edges()} 条（本单位或本人、付款最多的企业及其关联链优先）；"
            "全部画出：graphkit portrait … --max-drawn 0",
            f"the map draws {drawn.number_of_nodes()} of {g.number_of_nodes()} nodes and "
            f"{drawn.number_of_edges()} of {g.number_of_edges()} links; --max-drawn 0 draws them all",
        ),
    )


FONT_FAMILY = "GraphkitNotoCJK"


def font_face(text: str) -> str:
    """A CSS ``@font-face`` carrying Noto Sans CJK SC cut down to the characters of ``text`` (fontTools
    subsetting; a few tens of kilobytes), so the page shows Chinese on a machine without a Chinese font."""
    from graphkit.fonts import subset_font

    data = base64.b64encode(subset_font(set(text))).decode()
    return f"@font-face{{font-family:'{FONT_FAMILY}';src:url(data:font/otf;base64,{data}) format('opentype');}}"


_CSS = """
body{font-family:"GraphkitNotoCJK","Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:980px;color:#222;line-height:1.5}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.15em;border-bottom:2px solid #345;padding-bottom:.2em;
margin-top:1.6em} h3{font-size:1em;margin:.8em 0 .2em}
p{margin:.2em 0} .small{font-size:.85em;color:#555;margin:.1em 0 .1em 1em;white-space:pre-wrap}
.level-red{color:#b00020;font-weight:bold} .level-orange{color:#c25e00}
.meta{color:#666;font-size:.85em} iframe{width:100%;height:640px;border:1px solid #ccc}
figure.map{margin:0;border:1px solid #ddd}
"""


def _hanging(text: str, base: float = 0.0) -> tuple[str, str]:
    """An HTML line's indent as CSS, and its text without it: a line indented with spaces (a warning's summary
    under its title) or opened by a bullet (``· ``) keeps its indent on every line it wraps to. The spaces had been
    kept in the text (``white-space:pre-wrap``), so the first line was indented and the rest wrapped back to the
    margin. ``base``: the line's own left margin in em (the ``small`` class's 1em), kept under the indent.

    >>> _hanging("    苏州市城建局加油卡…", 1.0), _hanging("合同 1 份")
    (('margin-left:3em', '苏州市城建局加油卡…'), ('', '合同 1 份'))
    >>> _hanging("· 未核销红色预警 5 条")
    ('padding-left:1em;text-indent:-1em', '· 未核销红色预警 5 条')
    """
    body = text.lstrip(" 　")
    lead = text[: len(text) - len(body)]
    em = lead.count(" ") * 0.5 + lead.count("　")  # a space is half a Chinese character's width, 　 one
    css = [f"margin-left:{em + base:g}em"] if em else []
    if body.startswith("· "):
        css.append("padding-left:1em;text-indent:-1em")
    return ";".join(css), body


def _sources(p: dict[str, Any]) -> str:
    """The source files the portrait cites, one list (、 between them in Chinese, commas in English)."""
    return _say("、", ", ").join(p["sources"])


def _stamp(case: str, by: str) -> str:
    """The case number and who exported, as the PDF's header says them (the HTML and Markdown carried
    neither, so a printed page went to a visit unmarked)."""
    # (it said 案卷号 未编案卷号 without one)
    said = _say("案卷号 ", "case ") + case.strip() if case.strip() else _say("未编案卷号", "no case number")
    return said + (f" · {_say('导出人', 'by')} {by}" if by else "")


def write_html(
    p: dict[str, Any], path: str | Path, *, unmask: bool = False, case: str = "", by: str = "", lang: str = "zh"
) -> Path:
    """Write the portrait as one self-contained HTML file (no network request) and return its path; ``case``
    and ``by`` are printed under the title, as the PDF prints them on every page; in Chinese (``lang="en"``: with
    the English beside it)."""
    from graphkit.viz import CITED_LINKS, citations, html_page, layout_positions, page_positions, to_svg

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = speak(_say("预画像：", "Pre-portrait: ") + p["name"], lang)
    body = [f"<h1>{html.escape(title)}</h1>"]
    kind = _say("单位", "unit") if p["kind"] == "unit" else _say("人员", "person")
    body.append(
        f"<p class='meta'>{kind} · {html.escape(_stamp(case, by))} · "
        f"{_say('生成于', 'made')} {html.escape(_shown_at(p['made_at']))} · "
        f"{UNMASKED_NOTE if unmask else MASK_NOTE}</p>"
    )
    cls = {
        "h": "h3",
        "p": "p",
        "red": "p class='level-red'",
        "orange": "p class='level-orange'",
        "small": "p class='small'",
    }
    shown = sections(p, unmask=unmask, lang=lang)
    map_head, src_head = closing_heads(shown, lang)
    for head, lines in shown:
        body.append(f"<h2>{html.escape(head)}</h2>")
        for style, text in lines:
            tag = cls.get(style, "p")
            name = tag.split()[0]
            lead, text = _hanging(text, 1.0 if style == "small" else 0.0)
            if lead:
                tag += f" style='{lead}'"
            body.append(f"<{tag}>{html.escape(text)}</{name}>")
    tail = [
        f"<h2>{src_head}</h2>",
        f"<p>{_say('库：', 'store: ')}{html.escape(p['store'] or '')}</p>",
        f"<p>{_say('引用的源文件：', 'files cited: ')}{html.escape(_sources(p)) or '—'}</p>",
        f"<p>{_say('生成时间：', 'made at: ')}{html.escape(_shown_at(p['made_at']))}{_paren('graphkit portrait')}</p>",
    ]
    g = _map_graph(p, unmask)
    # laid out once for the static map and the interactive one (each had laid the same graph out again)
    layout = layout_positions(g) if g.number_of_edges() else {}
    # the static map: SVG text in the page's own font (no matplotlib, searchable in a printed page)
    svg = (
        to_svg(g, font_family=FONT_FAMILY, unmask=unmask, layout=layout, lang=check_lang(lang))
        if g.number_of_edges()
        else None
    )
    labels = " ".join(f"{n} {a.get('name', '')} {a.get('label', '')}" for n, a in g.nodes(data=True))
    labels += " " + " ".join(str(a.get("type", "")) for _, _, a in g.edges(data=True))
    cited = citations(g, lang=lang) if 0 < g.number_of_edges() <= CITED_LINKS else []
    note = map_note(p, lang)
    text = html.unescape("".join(body + tail)) + title + labels + (svg or "") + "".join(cited) + (note or ("", ""))[1]
    text += map_head + "交互式无可绘制的静态图" + _ASCII
    text = speak(text, lang)
    faces: list[str] = []

    def face_of(shown: str) -> str:
        """One subset for the page and the interactive map inside it (subsetting takes a second or more)."""
        faces.append(font_face(text + shown))
        return faces[-1]

    body.append(f"<h2>{map_head}</h2>")
    if svg is not None:
        if note:
            body.append(f"<p class='small'>{html.escape(note[1])}</p>")
        body.append(f"<figure class='map'>{svg}</figure>")
        if cited:
            body.append("<p class='small'>" + html.escape("\n".join(cited)) + "</p>")
        # laid out as the static map above (and the demo's pages), not by the page's physics, which packed the
        # unit's suppliers into a ball with their names and the links' amounts written over one another
        at = page_positions(g, layout=layout)
        inner = html_page(g, title="", height="600px", font=(FONT_FAMILY, face_of), positions=at, lang=lang)
        face = faces[0]  # the inner page carries it too
        inner = inner.replace(
            "</body>",
            f'<script>document.fonts.load("12px {FONT_FAMILY}")'
            f".then(function(){{if(typeof network!=='undefined'){{network.setOptions({{nodes:{{font:{{face:"
            f"'{FONT_FAMILY}'}}}},edges:{{font:{{face:'{FONT_FAMILY}'}}}}}});}}}});</script></body>",
            1,
        )
        body.append(
            f'<h3>{_say("交互式", "Interactive")}</h3><iframe srcdoc="{html.escape(inner, quote=True)}"></iframe>'
        )
    else:
        face = face_of("")
        body.append("<p>" + _say("无可绘制的关系", "nothing to draw") + "</p>")
    page = (
        f"<!DOCTYPE html><html lang='{'en' if check_lang(lang) == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{face}{_CSS}</style>"
        "</head><body>" + "\n".join(body + tail) + "</body></html>"
    )
    page = speak(page, lang)  # (the title, the stamp and the sources: the sections are said in lang already)
    path.write_text(page, encoding="utf-8")
    return path


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


#: what a line may break between: a number of a number (``第 1 / 5``, ``80.0 / 100``: it was set ``全市第 1 /`` at
#: a line's end and ``5；…`` on the next), a figure with its measure and the (up to four) characters that name it
#: (``偏离 1.9``, ``预警计分 6.0``, ``位数的 1.5 倍``: the PDF set ``（偏离`` or ``（预警`` at a line's end and
#: ``1.9）`` or ``计分 3.5）`` on the next; in English ``(z 6.0``, ``median 0%``: it set ``(z`` / ``6.0; …``), one CJK
#: character, a run of other characters without a space (a source citation ``shareholders.csv:2988``, a number, a
#: word), a run of spaces
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
#: a figure's measure or what it counts (``1.5 倍``, ``806.4 万元``, ``3 名``: never parted from its number)
_MEASURE = "万元|倍|元|升|箱|人|名|个|家|条|次|份|跳"
#: a figure: a number and what follows it up to a space or a CJK character (``1–3``, ``5%``, ``6.0;``), ``1 / 5``,
#: then its measure
_NUMBER = rf"[≥≤]?\d[^\s{_CJK}]*(?: / \d[\d,.]*)?(?: ?(?:{_MEASURE}))?"
#: a source citation (:func:`cite`): a file and its line or row, ``family.csv 第2763行``, ``bids.xlsx[2024] rows 3, 7``
#: with the brackets it may stand in (``[roster.csv 第89行]``: the bracket had gone with the file name, the row apart)
_CITED = (
    r"[\[［〔]?[^\s\u3000-\u303f\uff00-\uffef\[\]]*\.[A-Za-z0-9.]+(?:\[[^\]\s]*\])? "
    r"(?:第\d+(?:、\d+)*行|(?:line|row)s? \d+(?:, \d+)*)[\]］〕]?"
)
_TOKENS = re.compile(
    rf"{_CITED}|[\u4e00-\u9fff]{{1,4}} {_NUMBER}|\(?[A-Za-z]{{1,8}} {_NUMBER}"
    rf"|\d[\d,.]* / \d[\d,.]*|\d[\d,.]*%? ?(?:{_MEASURE})"
    rf"|[{_CJK}]|[^\s{_CJK}]+|\s+"
)


#: marks that never start a line (a closing bracket or quote, a comma, a full stop …) and marks that never end one (an
#: opening bracket or quote), as Chinese typesetting keeps them (避头尾): the PDF set ）, 0 名… at a line's head and
#: （ at a line's end, its contents on the next line
_NO_HEAD = set("）」』】》〉〕”’，。、；：！？…%·")
_NO_TAIL = set("（「『【《〈〔“‘")


def _wrap(s: str, width: int) -> list[str]:
    """``s`` in lines of at most ``width`` half-em units, broken between tokens (:data:`_TOKENS`): a source
    citation or a number is never cut across two lines (it read ``shareholders.cs`` / ``v:2988``) unless it is
    wider than a line itself; a closing mark never starts a line and an opening mark never ends one (the token
    before the one goes down with it, :data:`_NO_HEAD`, :data:`_NO_TAIL`)."""
    indent = "    " if s.startswith("    ") else ""
    out: list[str] = []
    toks: list[str] = []  # the line being set, token by token
    w = 0
    for tok in _TOKENS.findall(s):
        tw = _width(tok)
        if w + tw > width and "".join(toks).strip():
            if tok.isspace():
                continue  # a break instead of the space
            k = len(toks)
            if tok[0] in _NO_HEAD:  # the closing marks before it and the token before them go down with it
                while k > 1 and not toks[k - 1].isspace() and toks[k - 1][0] in _NO_HEAD:
                    k -= 1
                if k > 1 and not toks[k - 1].isspace():
                    k -= 1
            while k > 1 and toks[k - 1][-1] in _NO_TAIL:
                k -= 1  # an opening mark goes down with what it opens
            if not "".join(toks[:k]).strip():
                k = len(toks)  # (nothing would be left on the line: broken where it is full)
            out.append("".join(toks[:k]).rstrip())
            toks = ([indent] if indent else []) + toks[k:]
            w = sum(_width(t) for t in toks)
        if w + tw > width:  # a token wider than a line: cut it where it must be
            cur = "".join(toks)
            for c in tok:
                cw = _width(c)
                if w + cw > width and cur.strip():
                    out.append(cur)
                    cur, w = indent, len(indent)
                cur += c
                w += cw
            toks = [cur]
            continue
        toks.append(tok)
        w += tw
    cur = "".join(toks)
    out.append(cur.rstrip() if out else cur)
    return out


#: how far down the pen moves after a line of each style (a fraction of the A4 page's height)
_STEP = {"title": 0.034, "section": 0.028, "h": 0.022, "small": 0.0145, "cite": 0.0118}
#: the styles that head what follows them: a section, a sub-heading, the title
_HEADS = ("title", "section", "h")
#: the styles of an item that heads its own detail lines (a company and its chains, a supplier, a warning)
_ITEMS = ("red", "orange")


#: most of the page (a fraction of its height) the last page of text may fill and be set above the map instead
CARRIED = 0.25


def _step(style: str) -> float:
    return _STEP.get(style, 0.0165)


def _height(page: list[tuple[str, str]]) -> float:
    return sum(_step(style) for style, _ in page)


def paginate(
    rows: list[tuple[str, str]], widths: dict[str, int], *, top: float = 0.9, bottom: float = 0.04
) -> list[list[tuple[str, str]]]:
    """The rows of a portrait, each wrapped to its style's width (:func:`_wrap`), set on pages from ``top``
    down to ``bottom`` (fractions of the page's height), a page broken where it keeps together:

    * a heading (``title``, ``section``, ``h``) with the first two lines under it, an item (``red``,
      ``orange``: a company, a supplier, a warning) with its first detail line;
    * the first two and the last two lines of a wrapped row (no single line of a paragraph alone at the foot
      or the head of a page);
    * a section's last line with the one before it (a page never holds the lone end of a section).

    What cannot be kept (a run of kept lines longer than a page) is broken where the page is full.

    Parameters
    ----------
    rows : list of (style, text)
        ``("section", head)`` starts a section.
    widths : dict
        Style → line width in half-em units (96 for a style not named).
    top, bottom : float, optional

    Returns
    -------
    list of pages, each a list of (style, line)

    Example
    -------
    A page holds a section's heading and 50 lines; a section of 51 lines leaves two for the next page, not one:

    >>> rows = [("section", "一、甲")] + [("p", f"行{i}") for i in range(51)] + [("section", "二、乙"), ("p", "完")]
    >>> [len(page) for page in paginate(rows, {})]
    [50, 4]
    """
    lines: list[tuple[str, str, int, int]] = []  # style, text, row, section
    section = 0
    for r, (style, text) in enumerate(rows):
        section += style == "section"
        lines += [(style, piece, r, section) for piece in _wrap(text, widths.get(style, 96))]
    n = len(lines)
    glued = [False] * n  # glued[i]: line i stays on the page of line i - 1

    def heads(i: int) -> bool:
        return lines[i][0] in _HEADS

    for i in range(1, n):
        style, _, row, sec = lines[i]
        prev_style, _, prev_row, prev_sec = lines[i - 1]
        same_row = row == prev_row
        first_two = same_row and (i < 2 or lines[i - 2][2] != row)
        last_two = same_row and (i + 1 == n or lines[i + 1][2] != row)
        under_head = prev_style in _HEADS or (i >= 2 and lines[i - 2][0] in _HEADS and not heads(i))
        under_item = prev_style in _ITEMS and style not in (*_HEADS, *_ITEMS)
        ends_section = sec == prev_sec and (i + 1 == n or lines[i + 1][3] != sec) and not heads(i)
        glued[i] = first_two or last_two or under_head or under_item or ends_section
    pages: list[list[tuple[str, str]]] = []
    start = 0
    while start < n:
        y, end = top, start
        while end < n and (end == start or y - _step(lines[end][0]) >= bottom):
            y -= _step(lines[end][0])
            end += 1
        if end < n:  # break before a line not glued to the one above it, the last such on the page
            cut = end
            while cut > start and glued[cut]:
                cut -= 1
            end = cut if cut > start + 1 else end  # (a page of kept lines, or of one line: broken where full)
        pages.append([(st, text) for st, text, _, _ in lines[start:end]])
        start = end
    return pages


def write_pdf(
    p: dict[str, Any],
    path: str | Path,
    *,
    unmask: bool = False,
    by: str = "",
    reason: str = "",
    case: str = "",
    lang: str = "zh",
) -> Path:
    """Write the portrait as a PDF (A4, Noto Sans CJK SC embedded) and return its path.

    Every page carries the header, the page number and the watermark of a case file
    (:func:`graphkit.exports.printed.page_header`, :func:`graphkit.exports.printed.watermark_page`): the
    subject, who exported it (``by``) and when, whether identifiers are masked (``reason``: why not) and the case
    number (``case``: 巡2024-03; "未编案卷号" without one); in Chinese (``lang="en"``: with the English beside it)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from graphkit.exports import CaseInfo
    from graphkit.exports.printed import A4, page_header, watermark_page
    from graphkit.viz import cjk_font

    family = cjk_font()
    info = CaseInfo(
        case=case.strip(),
        by=by or "—",
        at=p["made_at"],
        subject=speak(_say("预画像：", "Pre-portrait: ") + p["name"], lang),
        masked=not unmask,
        reason=reason or "",
        lang=lang,  # the header's and the watermark's 未编案卷号 in the portrait's language
    )
    top = 0.9  # under the header (1.0 inch of 11.69)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    size = {"h": 10.5, "p": 9.0, "red": 9.0, "orange": 9.0, "small": 7.5, "title": 15, "section": 11.5, "meta": 7.5}
    color = {"red": "#b00020", "orange": "#c25e00", "small": "#555555", "meta": "#666666"}
    width = {"p": 104, "red": 100, "orange": 104, "h": 92, "small": 128, "section": 84, "title": 62, "meta": 128}
    rows: list[tuple[str, str]] = [("title", info.subject)]
    rows.append(
        (
            "meta",
            speak(
                f"{_say('生成于', 'made')} {_shown_at(p['made_at'])} · " + (UNMASKED_NOTE if unmask else MASK_NOTE),
                lang,
            ),
        )
    )
    shown = sections(p, unmask=unmask, lang=lang)
    map_head, src_head = closing_heads(shown, lang)
    for head, lines in shown:
        rows.append(("section", head))
        rows.extend(lines)
    _, drawing = _map(p, unmask, lang)
    # the map before the sources as in the page: the drawing has a page of its own, with the sources under it;
    # with nothing to draw, the map's section says so in the text as the page does
    tail = [
        ("section", src_head),
        (
            "p",
            f"{_say('库：', 'store: ')}{p['store']}{_say('；引用的源文件：', '; files cited: ')}{_sources(p) or '—'}",
        ),
        ("p", f"{_say('生成时间：', 'made at: ')}{_shown_at(p['made_at'])}{_paren('graphkit portrait')}"),
    ]
    tail = _spoken(tail, lang)
    if drawing is None:
        rows += [("section", map_head), ("p", speak(_say("无可绘制的关系", "nothing to draw"), lang)), *tail]

    def flat(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(style, piece) for style, text in rows for piece in _wrap(text, width.get(style, 96))]

    size["cite"], width["cite"], color["cite"] = 6.5, 148, "#333333"  # the map's list of links (小六)

    def put(fig, y: float, style: str, text: str) -> float:
        fig.text(0.06, y, text, fontsize=size.get(style, 9), family=family, color=color.get(style, "#222222"), va="top")
        return y - _step(style)

    pages = paginate(rows, width, top=top)
    # a short last page of text (the end of a section, a short section) goes above the map, not on a page of
    # its own
    carried = pages.pop() if drawing is not None and len(pages) > 1 and _height(pages[-1]) <= CARRIED else []
    figs = []
    for page in pages:
        fig = Figure(figsize=A4)
        figs.append(fig)
        y = top
        for style, text in page:
            y = put(fig, y, style, text)
    if drawing is not None:
        figs += _map_pages(drawing, carried, map_head, flat, put, top, map_note(p, lang), tail, lang)
    # the header and the watermark are set in the figure's default font: the CJK one
    with (
        matplotlib.rc_context({"font.family": [family, "DejaVu Sans"]}),
        PdfPages(path, metadata={"Title": info.subject, "Creator": "graphkit"}) as pdf,
    ):
        total = len(figs)

        def save(fig, n: int) -> None:
            """Header, page number and watermark, as on a case file's pages, then the page."""
            page_header(
                fig, info, A4[1], 0.0, speak(_say("预画像", "pre-portrait"), lang), lines=1
            )  # its pages are laid out under one line
            fig.text(0.96, 0.015, f"{n} / {total}", fontsize=6.5, ha="right", family=family)
            watermark_page(fig, info, A4[1])
            pdf.savefig(fig)

        for n, fig in enumerate(figs, 1):
            save(fig, n)
    return path


#: the foot of a portrait page's text (a fraction of the A4 page's height, above the page number)
_FOOT = 0.04


def _map_pages(drawing, carried, map_head, flat, put, top, note, tail, lang: str = "zh") -> list:
    """The map's page (the text ``carried`` over, the map's heading, the map across the page at the width it was drawn
    for) with its list of links, the ``note`` and the ``tail`` (the sources) under it, flowing onto the pages after
    it where they are long: set under the map in the image, a long list had shrunk the map to fit the page."""
    import io

    import matplotlib.image as mpimg
    from matplotlib.figure import Figure

    from graphkit.exports.printed import A4

    png, listed = drawing
    img = mpimg.imread(io.BytesIO(png), format="png")
    fig = Figure(figsize=A4)
    figs = [fig]
    y = top
    for style, text in carried:
        y = put(fig, y, style, text)
    y = put(fig, y, "section", map_head) - 0.004
    # the map at the page's width, as tall as its image is for that width (its type prints at the size it was set in)
    w = 0.92
    h = w * A4[0] / A4[1] * img.shape[0] / img.shape[1]
    h = min(h, y - _FOOT)  # (never past the page: a map taller than a page is shrunk to fit it)
    ax = fig.add_axes((0.04, y - h, w, h))
    ax.imshow(img, interpolation="none")  # embedded as drawn (resampled to the page's 100 dpi, it blurred)
    ax.axis("off")
    y -= h + 0.01
    for style, text in flat([("cite", x) for x in listed] + ([note] if note else []) + tail):
        if y - _step(style) < _FOOT:  # the rest on the next page, the list under its heading again
            fig = Figure(figsize=A4)
            figs.append(fig)
            y = top
            if style == "cite":
                y = put(fig, y, "h", map_head + speak(_say("（续）", " (continued)"), lang))
        y = put(fig, y, style, text)
    return figs


def _md(text: str) -> str:
    """``text`` as Markdown text: the characters that would start markup escaped."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text.strip())


def write_markdown(
    p: dict[str, Any], path: str | Path, *, unmask: bool = False, case: str = "", by: str = "", lang: str = "zh"
) -> Path:
    """Write the portrait as Markdown (the case number and who exported, the sections' text, the relationships
    on the map one a line with their source, then the data sources) and return its path; in Chinese
    (``lang="en"``: with the English beside it)."""
    from graphkit.viz import citations

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = [
        "# " + _say("预画像：", "Pre-portrait: ") + _md(p["name"]),
        "",
        f"{_md(_stamp(case, by))} · {_say('生成于', 'made')} {_shown_at(p['made_at'])} · "
        + (UNMASKED_NOTE if unmask else MASK_NOTE),
    ]
    shown = sections(p, unmask=unmask, lang=lang)
    map_head, src_head = closing_heads(shown, lang)
    for head, lines in shown:
        out += ["", f"## {_md(head)}", ""]
        for style, text in lines:
            # one paragraph a line (a blank line between: a line after a quote would join the quote)
            t = _md(text)
            out += [{"h": f"### {t}", "small": f"> {t}", "red": f"**{t}**", "orange": f"**{t}**"}.get(style, t), ""]
    g = _map_graph(p, unmask)
    out += ["", f"## {map_head}", ""]
    note = map_note(p, lang)
    if note:
        out += [f"> {_md(note[1])}", ""]
    out += [f"- {_md(c)}" for c in citations(g, lang=lang)] or [_say("无可绘制的关系", "nothing to draw")]
    out += ["", f"## {src_head}", ""]
    out += [_say("库：", "store: ") + _md(p["store"] or ""), ""]
    out += [_say("引用的源文件：", "files cited: ") + (_md(_sources(p)) or "—"), ""]
    out.append(f"{_say('生成时间：', 'made at: ')}{_shown_at(p['made_at'])}{_paren('graphkit portrait')}")
    path.write_text(speak("\n".join(out), lang) + "\n", encoding="utf-8")
    return path


def portrait_file(folder: str | Path, name: str, key: str, suffix: str = ".html") -> Path:
    """Where a new portrait of ``name`` (its ``key`` as shown: a person's ID number masked) goes in ``folder``:
    ``portrait_<name>_<key>.html``, never over an earlier file (``-2``, ``-3`` … after it, as the Explorer's exports):
    a case officer's earlier portrait stays, and the SHA-256 its audit record names still finds its file.

    Example
    -------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> first = portrait_file(d, "市交通局", "U0007")
    >>> _ = first.write_text("…")
    >>> first.name, portrait_file(d, "市交通局", "U0007").name, portrait_file(d, "何露", "3205**********1234").name
    ('portrait_市交通局_U0007.html', 'portrait_市交通局_U0007-2.html', 'portrait_何露_3205__________1234.html')
    """
    slug = re.sub(r"[^\w\u3400-\u9fff-]+", "_", str(name or "")).strip("_")[:80]
    stem = f"portrait_{slug + '_' if slug else ''}{str(key).replace('*', '_')}"
    first = Path(folder) / f"{stem}{suffix}"
    out, n = first, 1
    while out.exists():
        n += 1
        out = first.with_name(f"{stem}-{n}{suffix}")
    return out


def write(
    p: dict[str, Any], path: str | Path, *, unmask: bool = False, case: str = "", by: str = "", lang: str = "zh"
) -> Path:
    """Write the portrait in the format its file's suffix names (:data:`FORMATS`), with the case number and who
    exported, in Chinese (``lang="en"``: with the English beside it); another suffix is a ``ValueError``."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: a portrait is written as {', '.join(sorted(set(FORMATS)))} (by the suffix)")
    return {"html": write_html, "pdf": write_pdf, "md": write_markdown}[fmt](
        p, path, unmask=unmask, case=case, by=by, lang=lang
    )
