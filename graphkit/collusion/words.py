"""The Chinese an analyst reads of the tender-collusion outputs: screen and column names, and the reasons.

The scorers (:mod:`~graphkit.collusion.unsupervised`, :mod:`~graphkit.collusion.scorer`,
:mod:`~graphkit.collusion.adapt`, :mod:`~graphkit.collusion.kg`) say their reasons in English, in fixed sentences
that scripts, tests and the bench read. What a person reads (the ``reasons`` column of ``score-bids``' CSV/XLSX,
of ``tenders.csv``, ``bidders.csv``, ``communities.csv`` and ``bid_screens.csv``, the workbench's Collusion tab) is
:func:`zh` of that English, clause by clause; :func:`bilingual` writes the Chinese under ``reasons`` and keeps the
English beside it as ``reasons_en`` (as the pre-portrait's factors keep ``text`` and ``text_en``). A clause no rule
knows stays English rather than being guessed at; ``tests/test_collusion_words.py`` renders every sentence the
scorers write and finds no English left.

Each screen is named by its Chinese name with the literature's abbreviation in brackets the first time a reason
names it (``变异系数（CV）``), by the Chinese name alone after. A ratio screen (RD, ``sub_RD_max``) is said as the
ratio it is, "最低两价之差是其余报价标准差的 351 倍": on a tender of 3 or 4 bids the other bids are only 2 or 3, and
where they are nearly equal the ratio runs into the hundreds; the number is the same, the words say what it counts.

>>> zh("risk in the top 1 % of this market's tenders; CV 0.83 %, lowest 1 % of this market's tenders with 5-6 bids")
'风险居本市场标段前 1%；变异系数（CV）0.83%，在本市场 5-6 家投标的标段中属最低的 1%'
>>> zh("gap of the two lowest bids / spread of the losing bids 351.36, highest 1 % of this market's tenders "
...    "with 3 bids")
'相对距离（RD）351：最低两价之差是其余报价标准差的 351 倍（其余报价几乎相同），在本市场 3 家投标的标段中属最高的 1%'
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from graphkit.model.words import by_rule

__all__ = [
    "SCREEN_ZH",
    "COLUMN_NOTES",
    "NOTES_OF",
    "zh",
    "bilingual",
    "column_notes",
    "COLUMN_NOTES_EN",
    "NOTES_OF_EN",
    "column_note",
    "headed",
    "keyed",
    "either_header",
    "quarantine_zh",
    "dropped_zh",
    "rule_zh",
    "context_zh",
    "listed",
    "JOINER",
]

#: each screen's (and context family's) name in Chinese; the key is the literature's abbreviation, as the
#: columns and the English reasons name it
SCREEN_ZH: dict[str, str] = {
    "CV": "变异系数",
    "SPD": "报价极差率",
    "DIFFP": "最低两价差率",
    "RD": "相对距离",
    "KURT": "峰度",
    "SKEW": "偏度",
    "KSTEST": "与均匀分布的 KS 距离",
    "sub_CV_min": "3-4 家子组最小变异系数",
    "sub_RD_max": "3-4 家子组最大相对距离",
    "tie_share": "相同报价占比",
    "win_pte": "中标价/控制价",
    "pair_meetings": "投标人两两同场次数的对数均值",
    "rot_both_won": "反复同场且双方都中过标的投标人对占比",
    "period": "前后半年内的其他标段",
    "bidders": "其投标人参与的其他标段",
    "segment": "同类合同的其他标段",
}
#: the bidder graph's signals (:data:`graphkit.collusion.bidder_graph.SIGNAL_WORDS`, English) in Chinese
SIGNAL_ZH: dict[str, str] = {
    "tender": "共同投标",
    "phone number": "电话号码",
    "registered address": "注册地址",
    "legal representative": "法定代表人",
    "shareholder": "股东",
    "executive": "高管",
    "bid-document file (same hash)": "投标文件（哈希相同）",
    "bid-upload MAC address": "投标上传设备 MAC 地址",
    "bid-upload IP address": "投标上传 IP 地址",
    "bid-document author": "投标文件作者",
    "bid-bond paying account": "投标保证金缴纳账户",
    "bid agent": "投标代理人",
}
#: a quarantined bid's reason (:mod:`loaders.bids`) in Chinese
_QUARANTINE_ZH: list[tuple[str, str]] = [
    # a broken line of a CSV (loaders.read)
    (r"unbalanced quote", "引号不成对"),
    (
        r"unbalanced quote: a quoted value is never closed on its line \(the next line is a record of its own\)",
        "引号不成对：某个加引号的值在本行没有闭合（下一行是单独的一条记录）",
    ),
    (
        r"unbalanced quote: a quoted value is never closed on its line \(joined with the next (?P<k>\d+) it holds "
        r"(?P<n>\d+) fields, not (?P<h>\d+)\)",
        "引号不成对：某个加引号的值在本行没有闭合（与其后 {k} 行连起来有 {n} 个字段，而不是 {h} 个）",
    ),
    (r"(?P<n>\d+) fields where the header has (?P<h>\d+)", "有 {n} 个字段，而表头有 {h} 个"),
    (r"bid is not a number", "报价不是数字"),
    (r"bid must be a positive finite amount", "报价须为正数"),
    (r"bid withdrawn or disqualified", "报价已撤回或被否决"),
    (
        r"bid in scientific form \((?P<v>[^)]*)\), as Excel shows a number too wide for its column: its other "
        r"digits were lost \(widen the column in the workbook and save again\)",
        "报价是科学计数法写的数（{v}）：Excel 在列宽不够时这样显示，其余数位已丢失（请在工作簿中加宽该列后重新保存）",
    ),
    (r"tender id is missing", "缺标段编号"),
    (
        r"tender id in scientific notation \(its digits were lost in Excel: re-export the column as text from the "
        r"source system, or set the column's format to Text in Excel before the ids are typed or pasted\)",
        "标段编号成了科学计数法（Excel 已丢失其位数：请从源系统把该列按文本重新导出，或在 Excel 中先把该列的格式设为"
        "“文本”再录入或粘贴编号）",
    ),
    (
        r"duplicate bid: same tender, bidder and price as (?P<f>.+) (?:line|row) (?P<n>\d+)",
        "与 {f} 第 {n} 行的标段、投标人、报价都相同的重复报价",
    ),
]

_MARK = "\x00"  # a screen's name before its first mention gets the abbreviation: \x00CV\x00
V = r"(-?[\d,]*\.?\d+(?:e-?\d+)?\s?%?|n/a)"  # a value as the scorers print it (0.83 %, 57.83, 1,234, n/a)


#: the one joiner of a list of items (columns, screens, markets, bidders) on collusion's console, per language: the
#: Chinese lines had listed some with the English ", " (未读取的列：a, b; 陪标筛查指标 DIFFP, RD; 投标人 1492, …)
JOINER = {"zh": "、", "en": ", "}


def listed(items, lang: str = "zh") -> str:
    """``items`` as one list in the console's language: ``a、b、c``; ``lang="en"``: ``a, b, c``.

    >>> listed(["DIFFP", "RD"]), listed(["DIFFP", "RD"], "en")
    ('DIFFP、RD', 'DIFFP, RD')
    """
    return JOINER["en" if lang == "en" else "zh"].join(str(x) for x in items)


def _s(key: str) -> str:
    return f"{_MARK}{key}{_MARK}"


def _v(v: str) -> str:
    """A value as Chinese writes it: ``0.83 %`` -> ``0.83%``, ``n/a`` -> ``无``."""
    v = v.strip()
    return "无" if v == "n/a" else v.replace(" %", "%")


def _times(v: str) -> str:
    """A ratio's multiple: 351.36 -> 351, 5.04 -> 5.0, 0.153 -> 0.15."""
    try:
        x = float(v.replace(",", ""))
    except ValueError:
        return _v(v)
    return f"{x:.0f}" if abs(x) >= 10 else f"{x:.1f}" if abs(x) >= 1 else f"{x:.2f}"


def _ratio(key: str, v: str) -> str:
    """RD and sub_RD_max said as the ratio they are (module doc)."""
    t = _times(v)
    where = "某 3-4 家报价中，" if key == "sub_RD_max" else ""
    if t == "无":
        return f"{_s(key)} 无"
    said = f"{_s(key)} {t}：{where}最低两价之差是其余报价标准差的 {t} 倍"
    try:
        if float(v.replace(",", "")) >= 10:
            said += "（其余报价几乎相同）"
    except ValueError:
        pass
    return said


#: English name of each label-free screen (unsupervised._LABELS) -> its key
def _label_free_names() -> dict[str, str]:
    from graphkit.collusion.screens import SCREEN_NAMES

    return {en: key for key, en in SCREEN_NAMES.items()}


def _screen_value(key: str, v: str) -> str:
    if key in ("RD", "sub_RD_max"):
        return _ratio(key, v)
    if key == "win_pte":
        return f"中标价为控制价的 {_v(v)}（{_s(key)}）"
    return f"{_s(key)} {_v(v)}"


def _place(low: str, share: str, where: str) -> str:
    return f"在{where}中属最{'低' if low == 'lowest' else '高'}的 {share}%"


def _where(bids: str | None, seg: str | None) -> str:
    if bids and seg:
        return f"本市场 {bids} 家投标、合同类型 {seg} 的标段"
    if bids:
        return f"本市场 {bids} 家投标的标段"
    if seg:
        return f"本市场合同类型 {seg} 的标段"
    return "本市场标段"


def _look(look: str) -> str:
    return "呈串标特征" if look == "collusion-like" else "呈正常竞争特征"


def _of(k: str, n: str, unit: str, noun: str) -> str:
    """``6 家投标人中 4 家`` (``k`` of ``n``), ``6 家投标人全部`` where they are all."""
    return f"{n} {unit}{noun}全部" if k == n else f"{n} {unit}{noun}中 {k} {unit}"


def _signal(words: str) -> str:
    return "、".join(SIGNAL_ZH.get(w.strip(), w.strip()) for w in words.split(", "))


def worded(table: list[tuple[str, str]], text: str) -> str:
    """``text`` in the words of the first pattern of ``table`` it matches whole, its groups filled in; as it is
    where none matches."""
    said = by_rule(table, text)
    return text if said is None else said


def quarantine_zh(reason: str) -> str:
    """A quarantined bid's reason (:mod:`loaders.bids`) in Chinese; one no rule knows as it is.

    >>> quarantine_zh("tender id is missing")
    '缺标段编号'
    """
    return worded(_QUARANTINE_ZH, reason)


#: why a bid's optional value was treated as missing (:mod:`loaders.bids`, the bid kept) in Chinese
_DROPPED_ZH: list[tuple[str, str]] = [
    (r"not a date", "不是日期"),
    (r"not 0 or 1 \(or yes/no, 是/否, ✓/✗, 中标/未中标\)", "不是 0 或 1（或 是/否、✓/✗、中标/未中标）"),
    (r"not a positive amount", "不是正数金额"),
    (
        r"an Excel formula's error \(#REF!, #N/A …\), not a bidder: the bid is scored without its bidder",
        "是 Excel 公式错误（#REF!、#N/A 等），不是投标人：该报价按无投标人计分",
    ),
    (
        r"in Excel's scientific form \(1\.23E\+06 for 1,234,567\): its other digits were lost \(widen the column "
        r"in the workbook and save again\)",
        "是 Excel 的科学计数法（1,234,567 显示为 1.23E+06）：其余数位已丢失（请在工作簿中加宽该列后重新保存）",
    ),
    (
        r"label missing or not 0/1 \(bid kept, tender label from its other bids\)",
        "标签缺失或不是 0/1（报价保留，标段标签取自其他报价）",
    ),
]


def dropped_zh(reason: str) -> str:
    """Why a bid's optional value was treated as missing, in Chinese; one no rule knows as it is.

    >>> dropped_zh("not a date")
    '不是日期'
    """
    return worded(_DROPPED_ZH, reason)


#: the bid reader's warnings (:mod:`loaders.bids`) in Chinese; the others stay as they are
_READ_NOTE_ZH: list[tuple[str, str]] = [
    (r"(?P<f>.+?): column\(s\) not read: (?P<c>.+) and (?P<k>[\d,]+) more", "{f}：未读取的列：{c}，另有 {k} 列"),
    (r"(?P<f>.+?): column\(s\) not read: (?P<c>.+)", "{f}：未读取的列：{c}"),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) bidders? bid twice or more at different prices in one tender "
        r"\(tender (?P<t>.+?), bidder (?P<b>.+?)(?P<more>, …)?\); bids kept",
        "{f}：{n} 家投标人在同一标段以不同价格投标两次以上（如标段 {t} 的投标人 {b}{more}）；报价保留",
    ),
]


def read_note_zh(note: str) -> str:
    """A warning of the bid reader in Chinese, its lists joined by 、 (:func:`listed`); one no rule knows as it is.

    >>> read_note_zh("x.csv: 1 bidder bid twice or more at different prices in one tender (tender 1, bidder B); "
    ...              "bids kept")
    'x.csv：1 家投标人在同一标段以不同价格投标两次以上（如标段 1 的投标人 B）；报价保留'
    >>> read_note_zh("x.csv: column(s) not read: Site, CV, Capital")
    'x.csv：未读取的列：Site、CV、Capital'
    """
    for pat, words in _READ_NOTE_ZH:
        m = re.fullmatch(pat, note)
        if m:
            g = m.groupdict()
            if g.get("c"):  # the reader's list of columns, joined by ", "
                g["c"] = listed(g["c"].split(", "))
            if "more" in g:  # one pair named of several
                g["more"] = " 等" if g["more"] else ""
            return words.format(**g)
    return note


def _quarantine_why(text: str) -> str:
    """``bid is not a number, rows 452, 453`` -> ``报价不是数字，第 452、453 行``."""
    out = []
    for part in _split(text, "; "):
        m = re.fullmatch(r"(?P<r>.+?), (?:row|line)s? (?P<rows>[\d, ]+(?: …)?)", part)
        reason, rows = (m["r"], m["rows"]) if m else (part, "")
        reason = quarantine_zh(reason)
        out.append((f"第 {rows.replace(', ', '、')} 行：" if rows else "") + reason)
    return "；".join(out)


# the rules: a clause (no "; " outside brackets) that matches one whole is said in Chinese by its function
_Rule = tuple[re.Pattern, Callable[[re.Match], str]]


def _rules() -> list[_Rule]:
    names = _label_free_names()
    screen = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    R: list[tuple[str, Callable[[re.Match], str]]] = [
        # ---- every mode
        (r"single bid", lambda m: "单一报价（仅 1 家投标，无从比较）"),
        (r"all (?P<n>\d+) bids identical", lambda m: f"{m['n']} 家报价完全相同"),
        (r"no screen defined for this tender", lambda m: "本标段没有可计算的筛查指标"),
        (
            r"(?P<b>\d+) of (?P<n>\d+) bids quarantined \((?P<why>.+)\)",
            lambda m: f"{m['n']} 份报价中 {m['b']} 份被隔离（{_quarantine_why(m['why'])}）",
        ),
        (r"scored on the other (?P<o>\d+)", lambda m: f"按其余 {m['o']} 份报价评分"),
        (
            r"no usable bid: (?P<n>\d+) bids? quarantined \((?P<why>.+)\)",
            lambda m: f"无可用报价：{m['n']} 份报价均被隔离（{_quarantine_why(m['why'])}）",
        ),
        # ---- label-free score (unsupervised.LabelFreeScorer.explain)
        (r"risk in the top (?P<k>\d+) % of this market's tenders", lambda m: f"风险居本市场标段前 {m['k']}%"),
        (
            rf"(?P<s>{screen}) {V}, (?P<low>lowest|highest) (?P<share>\d+) % of this market's tenders"
            r"(?: with (?P<b>[\d+-]+) bids)?(?: of segment (?P<seg>.+))?",
            lambda m: f"{_screen_value(names[m['s']], m[2])}，{_place(m['low'], m['share'], _where(m['b'], m['seg']))}",
        ),
        (
            r"the other tenders of its segment (?P<seg>.+) look (?P<look>competitive|collusion-like) on the screens "
            r"\((?P<k>\d+)(?:st|nd|rd|th) of this market's (?P<of>\d+) segments\)",
            lambda m: f"合同类型 {m['seg']} 的其他标段{_look(m['look'])}（本市场 {m['of']} 类中排第 {m['k']}）",
        ),
        (
            rf"(?P<s>{screen}) look (?P<look>competitive|collusion-like) on the screens "
            r"\((?P<low>lowest|highest) (?P<share>\d+) % of this market's tenders\)",
            lambda m: f"{_s(names[m['s']])}{_look(m['look'])}（{_place(m['low'], m['share'], '本市场标段')}）",
        ),
        # ---- adapted model (adapt.AdaptedScorer.explain)
        # 已核实 as `adapt` and the thresholds say it: a confirmed tender is one whose outcome, collusive or not, was
        # verified; 已查实 (said here before) is said of collusion proven, not of a tender found competitive
        (r"adapted to (?P<n>[\d,]+) confirmed tenders of this market", lambda m: f"按本市场 {m['n']} 个已核实标段调整"),
        (
            r"(?P<w>unseen-market default|label-free screen score|model trained on other markets): (?P<p>\d+)% of "
            r"the way up this market's tenders",
            lambda m: f"{_ADAPT_INPUT[m['w']]}居本市场标段由低到高的 {m['p']}% 处",
        ),
        # ---- a model trained on labelled markets (scorer._say)
        (rf"CV {V} vs market {V}", lambda m: f"{_s('CV')} {_v(m[1])}，本市场中位数 {_v(m[2])}"),
        (rf"spread of bids {V} vs market {V}", lambda m: f"{_s('SPD')} {_v(m[1])}，本市场中位数 {_v(m[2])}"),
        (
            rf"two lowest bids {V} apart vs market {V}",
            lambda m: f"{_s('DIFFP')} {_v(m[1])}（最低两价相差 {_v(m[1])}），本市场中位数 {_v(m[2])}",
        ),
        (
            rf"gap between the two lowest bids {V}× the spread of the losing bids \(market {V}×\)",
            lambda m: f"{_ratio('RD', m[1])}，本市场中位数 {_times(m[2])} 倍",
        ),
        (
            rf"kurtosis {V}, skewness {V} \(market {V}, {V}\)",
            lambda m: f"{_s('KURT')} {m[1]}、{_s('SKEW')} {m[2]}（本市场中位数 {m[3]}、{m[4]}）",
        ),
        (rf"KS statistic {V} vs market {V}", lambda m: f"{_s('KSTEST')} {m[1]}，本市场中位数 {m[2]}"),
        (
            rf"tightest 3-4 bids have CV {V} \(market {V}\)",
            lambda m: f"{_s('sub_CV_min')} {_v(m[1])}（本市场中位数 {_v(m[2])}）",
        ),
        (rf"{V} bids \(market median {V}\)", lambda m: f"{m[1]} 家投标（本市场中位数 {m[2]} 家）"),
        (rf"mean bid {V} \(market median {V}\)", lambda m: f"平均报价 {m[1]}（本市场中位数 {m[2]}）"),
        (
            rf"winning bid {V} of the pre-tender estimate \(market {V}\)",
            lambda m: f"中标价为控制价的 {_v(m[1])}（{_s('win_pte')}；本市场中位数 {_v(m[2])}）",
        ),
        (rf"{V} of the reported bids are missing from the table", lambda m: f"公布的报价中有 {_v(m[1])} 不在表内"),
        (
            r"(?P<k>\d+) of (?P<n>\d+) bids identical in price(?P<low>, which lowers this model's risk)?",
            lambda m: f"{m['n']} 家中 {m['k']} 家报价相同" + ("（本模型据此调低风险）" if m["low"] else ""),
        ),
        (
            r"(?P<k>\d+) bids in arithmetic progression \(equal price steps\)",
            lambda m: f"{m['k']} 家报价成等差数列（价差相等）",
        ),
        (
            rf"(?P<k>\d+) of (?P<n>\d+) losing bids within {V} above the winner",
            lambda m: f"{m['n']} 份落标报价中 {m['k']} 份仅比中标价高 {_v(m[3])} 以内",
        ),
        (r"no losing bid within 3% above the winner", lambda m: "没有落标报价在中标价之上 3% 以内"),
        (r"winner was the lowest bid", lambda m: "中标的是最低价"),
        (
            r"winner was not the lowest bid \(rank (?P<k>\d+) of (?P<n>\d+)\)",
            lambda m: f"中标的不是最低价（{m['n']} 家中报价第 {m['k']} 低）",
        ),
        (
            r"(?P<k>\d+) of (?P<n>\d+) losing bidders never win \(3\+ bids each\)",
            lambda m: f"{m['n']} 家落标人中 {m['k']} 家从未中标（各投 3 次以上）",
        ),
        (rf"losing bidders win {V} of their bids", lambda m: f"落标人的中标率 {_v(m[1])}"),
        (rf"winner wins {V} of its other bids", lambda m: f"中标人在其他投标中的中标率 {_v(m[1])}"),
        (
            r"winner and rival (?P<r>.+) met in (?P<j>\d+) tenders and one of the two won (?P<i>\d+) "
            r"\((?P<a>\d+) and (?P<b>\d+)\)",
            lambda m: (
                f"中标人与对手 {m['r']} 同场 {m['j']} 次，其中 {m['i']} 次由二者之一中标（分别 {m['a']}、{m['b']} 次）"
            ),
        ),
        (
            rf"{V} of bidder pairs met in 2\+ other tenders",
            lambda m: f"{_v(m[1])} 的投标人对在另外 2 个以上标段中同场",
        ),
        (
            rf"its bidders entered {V} tenders each \(geometric mean; market {V}\) and bid {V} above the lowest bid "
            rf"on average \(market {V}\)",
            lambda m: (
                f"其投标人平均各投 {m[1]} 个标段（几何均值；本市场 {m[2]}），报价平均高出最低价 {_v(m[3])}"
                f"（本市场 {_v(m[4])}）"
            ),
        ),
        (
            r"(?P<w>.+?): no training tender of this kind \(rated like its market\)",
            lambda m: f"{m['w']}：训练数据中没有此类标段（按本市场整体评）",
        ),
        (
            r"(?P<w>.+?): only (?P<b>\d+) training tenders of this kind, (?P<a>\d+) collusive "
            r"\(rated like its market\)",
            lambda m: f"{m['w']}：训练数据中此类标段仅 {m['b']} 个，{m['a']} 个串标（按本市场整体评）",
        ),
        (
            rf"(?P<w>.+?): (?P<a>[\d,]+) of (?P<b>[\d,]+) training tenders of this kind were collusive \({V}\)",
            lambda m: f"{m['w']}：训练数据中此类标段 {m['b']} 个，{m['a']} 个串标（{_v(m[4])}）",
        ),
        (
            r"(?P<k>\d+) of (?P<n>\d+) bidders were mostly in tenders found collusive before "
            r"\(bidder (?P<t>.+): (?P<a>\d+) of (?P<b>\d+)\)",
            lambda m: (
                f"{m['n']} 家投标人中 {m['k']} 家以往多在查实串标的标段中出现"
                f"（投标人 {m['t']}：{m['b']} 次中 {m['a']} 次）"
            ),
        ),
        (
            r"bidder (?P<t>.+) was in (?P<a>\d+) of its (?P<b>\d+) earlier tenders found collusive",
            lambda m: f"投标人 {m['t']} 以往 {m['b']} 个标段中 {m['a']} 个查实串标",
        ),
        (r"nothing unusual for its market", lambda m: "与本市场相比无异常"),
        (r"several small signals together", lambda m: "多项小信号叠加"),
        # ---- knowledge graph (kg): tenders
        (
            rf"bids unusually close: CV {V} vs {V} typical of (?:(?P<cat>.+) )?tenders here",
            lambda m: f"报价异常接近：{_s('CV')} {_v(m[1])}，本地{m['cat'] or ''}标段通常为 {_v(m[2])}",
        ),
        (
            rf"(?P<k>\d+) of (?P<n>\d+) losing bids? priced {V}-{V} above the winning price",
            lambda m: f"{_of(m['k'], m['n'], '份', '落标报价')}仅比中标价高 {_v(m[3])}-{_v(m[4])}（陪标价）",
        ),
        (
            r"(?P<k>\d+) of (?P<n>\d+) bidders share one (?P<s>.+)",
            lambda m: f"{_of(m['k'], m['n'], '家', '投标人')}共用同一{_signal(m['s'])}",
        ),
        (r"bidders share identifiers \((?P<n>\d+) bids\)", lambda m: f"投标人共用标识（{m['n']} 份报价）"),
        (
            r"winner rotates: (?P<g>\d+) of its bidders met in (?P<j>\d+) tenders and won (?P<w>\d+), (?P<d>\d+) "
            r"different winners?, the winner changed (?P<c>\d+) times?",
            lambda m: (
                f"轮流中标：其中 {m['g']} 家投标人同场 {m['j']} 次、中标 {m['w']} 次，先后 {m['d']} 家中标，"
                f"中标人换了 {m['c']} 次"
            ),
        ),
        (
            r"(?P<k>\d+) of (?P<n>\d+) bidders belong to one bidder community of (?P<s>\d+) companies "
            r"\(community (?P<c>\d+)\)",
            lambda m: f"{_of(m['k'], m['n'], '家', '投标人')}属于同一投标人社区（社区 #{m['c']}，共 {m['s']} 家企业）",
        ),
        # ---- knowledge graph: communities
        (
            r"(?P<i>\d+) of (?P<p>\d+) member pairs share identifiers: (?P<top>.+)",
            lambda m: f"{_of(m['i'], m['p'], '对', '成员')}共用标识：{_signal_pairs(m['top'])}",
        ),
        (
            r"members bid together in (?P<j>\d+) tenders and won (?P<w>\d+), (?P<d>\d+) different winners",
            lambda m: f"成员共同投标 {m['j']} 次、中标 {m['w']} 次，先后 {m['d']} 家中标",
        ),
        (r"a typical pair met in (?P<k>[\d.]+) tenders", lambda m: f"成员两两同场次数中位数为 {m['k']}"),
        (
            rf"(?P<h>\d+) of its (?P<j>\d+) joint tenders score risk ≥ 0.5 \(mean {V}\)",
            lambda m: f"{_of(m['h'], m['j'], '个', '共同投标的标段')}风险 ≥ 0.5（平均 {m[3]}）",
        ),
        # ---- knowledge graph: bidders
        (
            rf"member of bidder community (?P<c>\d+) \((?P<s>\d+) companies, risk {V}\)",
            lambda m: f"属投标人社区 #{m['c']}（{m['s']} 家企业，风险 {m[3]}）",
        ),
        (
            rf"bid in (?P<n>\d+) tenders? scoring risk ≥ 0.5 \(highest {V}\)",
            lambda m: f"参与 {m['n']} 个风险 ≥ 0.5 的标段（最高 {m[2]}）",
        ),
        (
            r"shares (?P<w>.+) with (?P<n>\d+) compan(?:y|ies) it bid against",
            lambda m: f"与同场竞标的 {m['n']} 家企业共用{_signal(m['w'])}",
        ),
        (
            rf"(?P<n>\d+) losing bids? {V}-{V} above the winner",
            lambda m: f"{m['n']} 次落标报价仅比中标价高 {_v(m[2])}-{_v(m[3])}（陪标价）",
        ),
    ]
    return [(re.compile(p), f) for p, f in R]


#: the inputs of an adapted model that are scores, not screens (adapt.AdaptedScorer.explain)
_ADAPT_INPUT = {
    "unseen-market default": "新市场默认评分",
    "label-free screen score": "无标签筛查评分",
    "model trained on other markets": "其他市场训练的模型",
}


def _signal_pairs(text: str) -> str:
    """``bid agent (15 pairs), phone number (1 pair)`` -> ``投标代理人（15 对）、电话号码（1 对）``."""
    out = []
    for part in _split(text, ", "):
        m = re.fullmatch(r"(?P<s>.+) \((?P<k>\d+) pairs?\)", part)
        out.append(f"{SIGNAL_ZH.get(m['s'], m['s'])}（{m['k']} 对）" if m else part)
    return "、".join(out)


def _split(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside brackets: ``a (b; c); d`` -> ``['a (b; c)', 'd']``."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(sep, i):
            out.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    out.append(text[start:])
    return out


_compiled: list[_Rule] | None = None


def _clause(text: str) -> str:
    global _compiled
    if _compiled is None:
        _compiled = _rules()
    t = text.strip()
    if t.startswith("looks competitive: "):
        return "看似正常竞争：" + _clause(t[len("looks competitive: ") :])
    for pat, say in _compiled:
        m = pat.fullmatch(t)
        if m:
            return say(m)
    m = re.fullmatch(r"(?P<c>.+) \((?P<dir>raises|lowers) the risk here\)", t)  # an adapted model's input
    if m:
        return f"{_clause(m['c'])}（在本市场{'调高' if m['dir'] == 'raises' else '调低'}风险）"
    return t


def _name_screens(text: str) -> str:
    """Each screen's marker as its Chinese name, with the abbreviation in brackets the first time only."""
    seen: set[str] = set()

    def name(m: re.Match) -> str:
        key, space = m[1], m[2]
        first = key not in seen
        seen.add(key)
        zh_name = SCREEN_ZH.get(key, key)
        if first and key not in ("period", "bidders", "segment"):
            return f"{zh_name}（{key}）"  # a value right after the bracket: 变异系数（CV）0.83%
        return zh_name + space  # 变异系数 0.83%

    return re.sub(f"{_MARK}([^{_MARK}]+){_MARK}( ?)", name, text)


def zh(text: str | None) -> str | None:
    """A reason string in Chinese (module doc); ``None``, NaN and ``""`` as they are.

    >>> zh("looks competitive: spread of bids 23 %, highest 26 % of this market's tenders with 5-6 bids")
    '看似正常竞争：报价极差率（SPD）23%，在本市场 5-6 家投标的标段中属最高的 26%'
    >>> zh("6 of 6 bidders share one bid agent; winner rotates: 6 of its bidders met in 7 tenders and won 7, "
    ...    "6 different winners, the winner changed 6 times")
    '6 家投标人全部共用同一投标代理人；轮流中标：其中 6 家投标人同场 7 次、中标 7 次，先后 6 家中标，中标人换了 6 次'
    """
    if not isinstance(text, str) or not text:
        return text
    groups = []
    for group in text.split(" | model trained on other markets: "):
        groups.append("；".join(_clause(c) for c in _split(group, "; ") if c.strip()))
    said = " | 其他市场训练的模型：".join(groups)
    return _name_screens(said)


def bilingual(frame: pd.DataFrame, column: str = "reasons") -> pd.DataFrame:
    """``frame`` with ``column`` in Chinese (:func:`zh`) and the English as a last column ``<column>_en`` (last:
    every other column keeps its place for a script that reads by position); a frame that has ``<column>_en``
    already, or no ``column``, as it is."""
    en = f"{column}_en"
    if column not in frame.columns or en in frame.columns:
        return frame
    return frame.assign(**{column: [zh(v) for v in frame[column]], en: frame[column]})


#: what each column of the tender-collusion outputs is, for a person reading it (an XLSX's 说明 notes sheet, the
#: README's table): column key -> (Chinese name, what it holds)
COLUMN_NOTES: dict[str, tuple[str, str]] = {
    "market": ("市场", "标段所属市场（文件的 market 列，或 --market，或文件名）"),
    "tender": ("标段", "标段编号（项目编号/标段编号）"),
    "risk": ("风险", "串标风险 0-1，越高越可疑；单一报价的标段为空（不是 0）"),
    "flagged": ("预警", "1：风险高于该市场的阈值，需核查"),
    "priority": (
        "优先复核",
        "1：优先复核的短名单（规则见“优先复核”一行；不是用标签选定的，也不是串标的判定）",
    ),
    "reasons": ("理由", "风险的理由（中文），最可疑的在前"),
    "reasons_en": ("理由（英文）", "同一理由的英文原文，供脚本读取"),
    "bids": ("报价数", "该标段的有效报价份数"),
    "winner": ("中标人", "中标报价的投标人（未标明中标者为空）"),
    "winning_bid": ("中标价", "中标报价（单位见“中标价币种”列）"),
    "currency": (
        "中标价币种",
        "中标价的币种或单位，按文件所写：表头、表头上方或金额中写明元、万元等的为元（已换算为元），"
        "写明 CHF、EUR 等的为该币种；文件未写明的为“同原文件（未注明币种）”（--lang en 写的文件为 "
        "“as in the file (no currency given)”），金额与原文件相同",
    ),
    "bidders": ("投标人", "按报价从低到高列出的投标人"),
    "single_bid": ("单一报价", "只有一家投标：无风险分，本身即为需关注的信号"),
    "n_bids": ("报价份数", "该标段的报价份数"),
    "category": ("品目", "标段的采购品目"),
    "publish_date": ("发布日期", "标段公告日期"),
    "budget": ("预算", "标段预算（元）"),
    "winner_name": ("中标人名称", "中标企业名称"),
    "win_price": ("中标金额", "中标报价（元，精确到分）"),
    "CV": ("变异系数 CV", "报价标准差/平均报价；越小报价越接近，串标时常偏低"),
    "SPD": ("报价极差率 SPD", "（最高价-最低价）/最低价"),
    "DIFFP": ("最低两价差率 DIFFP", "（次低价-最低价）/最低价"),
    "RD": ("相对距离 RD", "最低两价之差/其余报价的标准差；3-4 家投标时其余报价只有 2-3 个，比值可达数百"),
    "KURT": ("峰度 KURT", "报价分布的超额峰度；串标时常偏高"),
    "SKEW": ("偏度 SKEW", "报价分布的偏度；串标时常为负（最低价远离其余报价）"),
    "KSTEST": ("KS 距离 KSTEST", "报价与均匀分布的 Kolmogorov-Smirnov 距离"),
    "market_cv": ("同类变异系数", "本地同品目标段变异系数的典型值"),
    "cv_z": ("变异系数偏离", "变异系数相对同品目标段的偏离（稳健 z 值，负值为更接近）"),
    "losers": ("落标数", "落标报价份数"),
    "cover_bids": ("陪标价数", "仅比中标价高 0.5%-3% 的落标报价数"),
    "community": ("社区", "投标人社区编号（与 communities.csv、communities.html 的编号相同）"),
    "community_size": ("社区规模", "所属社区的企业数"),
    "community_bidders": ("社区内投标人", "该标段投标人中属于同一社区的家数"),
    "group": ("轮流组规模", "反复同场的投标人组的家数"),
    "joint_tenders": ("共同投标数", "该组（社区）共同投标的标段数"),
    "group_wins": ("组内中标数", "该组在共同投标中中标的次数"),
    "distinct_winners": ("不同中标人数", "共同投标中先后中标的不同企业数"),
    "winner_changes": ("中标人更替次数", "按时间顺序中标人换了几次"),
    "e_screens": ("证据：报价筛查", "报价筛查（变异系数偏低）的证据强度 0-1"),
    "e_cover_bids": ("证据：陪标价", "陪标报价的证据强度 0-1"),
    "e_shared_ids": ("证据：共用标识", "投标人共用电话、地址、人员、账户等标识的证据强度 0-1"),
    "e_community": ("证据：同一社区", "投标人同属一个社区的证据强度 0-1"),
    "e_rotation": ("证据：轮流中标", "轮流中标的证据强度 0-1"),
    "e_tenders": ("证据：共同投标风险", "社区共同投标标段的平均风险"),
    "name": ("企业名称", "投标企业名称"),
    "company": ("统一社会信用代码", "投标企业的统一社会信用代码"),
    "wins": ("中标数", "中标次数"),
    "community_risk": ("社区风险", "所属社区的风险"),
    "tender_risk": ("标段风险", "其参与风险最高的两个标段的平均风险"),
    "risky_tenders": ("高风险标段数", "参与的风险 ≥ 0.5 的标段数"),
    "max_tender_risk": ("最高标段风险", "参与标段中的最高风险"),
    "linked_cobidders": ("关联对手数", "与其共用标识的同场竞标企业数"),
    "size": ("规模", "社区的企业数"),
    "members": ("成员", "成员的统一社会信用代码"),
    "member_names": ("成员名称", "成员企业名称"),
    "identifier_pairs": ("共用标识的成员对", "共用至少一个标识的成员对数"),
    "pairs": ("成员对", "成员两两配对的总数"),
    "signals": ("标识类型", "各类共用标识涉及的成员对数（JSON）"),
    "median_meetings": ("同场次数中位数", "成员两两同场投标次数的中位数"),
    "member_wins": ("成员中标数", "共同投标中由成员中标的次数"),
    "method": ("方法", "社区发现方法"),
    "params": ("参数", "社区发现参数（JSON）"),
}


#: what a column holds where it is not what :data:`COLUMN_NOTES` says, by output (``bidders`` for bidders.csv,
#: ``communities`` for communities.csv): the same key names a company's count there and a tender's in
#: score-bids' file (``bids`` is a tender's bids there, a company's here), so its note is said per output; the
#: Chinese header is one per key all the same
NOTES_OF: dict[str, dict[str, str]] = {
    "bidders": {
        "risk": "该企业的串标风险 0-1，越高越可疑：所属社区的风险与其标段风险中较高者",
        "bids": "该企业投出的报价份数",
        "cover_bids": "该企业仅比中标价高 0.5%-3% 的落标报价数",
        "community": "该企业所属的投标人社区编号（与 communities.csv、communities.html 的编号相同）",
        "community_size": "该企业所属社区的企业数",
        "tender_risk": (
            "其参与风险最高的两个标段的平均风险；该企业既不属于标段的主导社区、也不与其投标人共用标识时，"
            "那个标段的风险按一半计"
        ),
    },
    "communities": {
        "risk": "社区的串标风险 0-1，越高越可疑（共用标识、轮流中标、共同投标标段的风险合成）",
        "community": "投标人社区编号（与 communities.html 及 tenders.csv、bidders.csv 的“社区”列相同）",
        "joint_tenders": "两家及以上成员共同投标的标段数",
        "distinct_winners": "共同投标中由成员中标的不同企业数",
        "e_shared_ids": "共用至少一个标识的成员对占全部成员对的比例 0-1",
        "e_rotation": "成员轮流中标的证据强度 0-1",
    },
}


#: :data:`NOTES_OF` in English, the same outputs and keys: an English reader of bidders.csv had been told its
#: ``bids`` were the tender's valid bids, its ``risk`` a tender's, as :data:`COLUMN_NOTES_EN` says them
NOTES_OF_EN: dict[str, dict[str, str]] = {
    "bidders": {
        "risk": (
            "the company's collusion risk 0-1, higher is more suspect: its community's risk or its tenders' risk, "
            "whichever is higher"
        ),
        "bids": "the bids the company made",
        "cover_bids": "the company's losing bids only 0.5%-3% above the winning bid",
        "community": "the number of the company's bidder community (as in communities.csv and communities.html)",
        "community_size": "the companies of the company's community",
        "tender_risk": (
            "the mean risk of its two riskiest tenders; a tender counts at half its risk where the company is "
            "neither in that tender's leading community nor shares an identifier with its bidders"
        ),
    },
    "communities": {
        "risk": (
            "the community's collusion risk 0-1, higher is more suspect (shared identifiers, rotating wins and the "
            "risk of the tenders bid on together, combined)"
        ),
        "community": (
            "the bidder community's number (as in communities.html and the community column of tenders.csv and "
            "bidders.csv)"
        ),
        "joint_tenders": "the tenders two or more members bid on together",
        "distinct_winners": "the different members that won the joint tenders",
        "e_shared_ids": "the share of member pairs that share at least one identifier, 0-1",
        "e_rotation": "evidence of members taking turns to win, 0-1",
    },
}


def column_note(key: str, of: str | None = None, lang: str = "zh") -> str:
    """What column ``key`` holds in output ``of`` (:data:`NOTES_OF`), else as :data:`COLUMN_NOTES` says; ``""``
    for a column no note names. ``lang="en"``: in English (:data:`NOTES_OF_EN`, else :data:`COLUMN_NOTES_EN`).

    >>> column_note("bids"), column_note("bids", of="bidders")
    ('该标段的有效报价份数', '该企业投出的报价份数')
    >>> column_note("bids", of="bidders", lang="en")
    'the bids the company made'
    """
    if lang == "en":
        said = NOTES_OF_EN.get(of or "", {}).get(key)
        return COLUMN_NOTES_EN.get(key, "") if said is None else said
    said = NOTES_OF.get(of or "", {}).get(key)
    if said is None:
        said = COLUMN_NOTES[key][1] if key in COLUMN_NOTES else ""
    return said


#: each Chinese header back to its key (no two keys share a Chinese name: tests/test_collusion_words.py)
_KEY_OF: dict[str, str] = {name: key for key, (name, _) in COLUMN_NOTES.items()}


def headed(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``frame`` with each column :data:`COLUMN_NOTES` knows headed by its Chinese name (标段, 风险, 理由 …), the
    headers every tender-collusion file an analyst opens is written with; ``lang="en"``: by its key, as it is. A
    column no note names keeps its key.

    >>> list(headed(pd.DataFrame(columns=["tender", "risk", "x"])).columns)
    ['标段', '风险', 'x']
    """
    if lang == "en":
        return frame
    return frame.rename(columns={c: COLUMN_NOTES[c][0] for c in frame.columns if c in COLUMN_NOTES})


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` read from a file :func:`headed` wrote, its columns by key whichever language headed them: a script
    written for the English keys reads the Chinese headers alike.

    >>> list(keyed(pd.DataFrame(columns=["标段", "风险", "risk_x"])).columns)
    ['tender', 'risk', 'risk_x']
    """
    return frame.rename(columns={c: _KEY_OF[c] for c in frame.columns if c in _KEY_OF})


def either_header(by_key: dict) -> dict:
    """``by_key`` (a reader's ``dtype=`` by key) with the same value under each key's Chinese header too, for a file
    written in either language.

    >>> either_header({"tender": str})
    {'tender': <class 'str'>, '标段': <class 'str'>}
    """
    return by_key | {COLUMN_NOTES[k][0]: v for k, v in by_key.items() if k in COLUMN_NOTES}


#: what each column of :data:`COLUMN_NOTES` holds, in English: an ``--lang en`` workbook's notes sheet says it in
#: English alone (it said the Chinese name and meaning under English headers)
COLUMN_NOTES_EN: dict[str, str] = {
    "market": "the tender's market (the file's market column, or --market, or the file's name)",
    "tender": "the tender's number (project or lot number)",
    "risk": "collusion risk 0-1, higher is more suspect; empty (not 0) for a tender with a single bid",
    "flagged": "1: risk above the market's threshold, to be checked",
    "priority": (
        "1: the short list to review first (its rule in the 'priority tier' row; not chosen by labels, and not a "
        "finding of collusion)"
    ),
    "reasons": "the reasons for the risk (in Chinese), the most suspect first",
    "reasons_en": "the same reasons in English, for scripts",
    "bids": "the tender's valid bids",
    "winner": "the bidder of the winning bid (empty where no winner is marked)",
    "winning_bid": "the winning bid (its unit in the currency column)",
    "currency": (
        "the winning bid's currency or unit as the file says it: yuan where the header, the line above it or the "
        "amount names yuan, ten-thousand yuan … (converted to yuan), that currency where it says CHF, EUR …; "
        "'as in the file (no currency given)' where the file says none, the amounts as in the file"
    ),
    "bidders": "the bidders, from the lowest bid to the highest",
    "single_bid": "a single bidder: no risk score, itself a signal to look at",
    "n_bids": "the tender's bids",
    "category": "the tender's procurement category",
    "publish_date": "the tender's notice date",
    "budget": "the tender's budget (yuan)",
    "winner_name": "the winning company's name",
    "win_price": "the winning bid (yuan, to the fen)",
    "CV": "coefficient of variation: the bids' standard deviation / their mean; lower is closer, often low when rigged",
    "SPD": "spread: (highest bid - lowest) / lowest",
    "DIFFP": "the gap between the two lowest bids: (second lowest - lowest) / lowest",
    "RD": (
        "relative distance: the gap between the two lowest bids / the standard deviation of the others; with 3-4 "
        "bidders the others are 2-3 bids and the ratio can reach hundreds"
    ),
    "KURT": "the bids' excess kurtosis; often high in collusion",
    "SKEW": "the bids' skewness; often negative in collusion (the lowest bid far from the others)",
    "KSTEST": "the Kolmogorov-Smirnov distance of the bids from a uniform distribution",
    "market_cv": "the typical coefficient of variation of local tenders of the category",
    "cv_z": "the coefficient of variation's departure from the category's tenders (robust z; negative is closer)",
    "losers": "the losing bids",
    "cover_bids": "losing bids only 0.5%-3% above the winning bid",
    "community": "the bidder community's number (as in communities.csv and communities.html)",
    "community_size": "the companies of its community",
    "community_bidders": "the tender's bidders in one community",
    "group": "the companies of the group that keeps bidding together",
    "joint_tenders": "the tenders the group (community) bid on together",
    "group_wins": "the group's wins among them",
    "distinct_winners": "the different companies that won them",
    "winner_changes": "how many times the winner changed, in time order",
    "e_screens": "evidence from the bid screens (low coefficient of variation), 0-1",
    "e_cover_bids": "evidence from cover bids, 0-1",
    "e_shared_ids": "evidence from bidders sharing phones, addresses, staff, accounts …, 0-1",
    "e_community": "evidence from bidders in one community, 0-1",
    "e_rotation": "evidence from rotating wins, 0-1",
    "e_tenders": "the mean risk of the tenders the community bid on together",
    "name": "the bidding company's name",
    "company": "the bidding company's unified social credit code",
    "wins": "its wins",
    "community_risk": "its community's risk",
    "tender_risk": "the mean risk of its two riskiest tenders",
    "risky_tenders": "its tenders of risk ≥ 0.5",
    "max_tender_risk": "the highest risk of its tenders",
    "linked_cobidders": "the co-bidders it shares an identifier with",
    "size": "the community's companies",
    "members": "the members' unified social credit codes",
    "member_names": "the members' names",
    "identifier_pairs": "the member pairs sharing at least one identifier",
    "pairs": "all member pairs",
    "signals": "the member pairs per kind of shared identifier (JSON)",
    "median_meetings": "the median of how often two members bid on one tender",
    "member_wins": "the members' wins among the joint tenders",
    "method": "the community detection method",
    "params": "the community detection parameters (JSON)",
}


def column_notes(columns, of: str | None = None, lang: str = "zh") -> list[tuple[str, str]]:
    """(column, its Chinese name and meaning in output ``of``: :func:`column_note`) for each of ``columns`` this
    module knows, in their order: the rows of an XLSX's 说明 notes sheet; ``lang="en"``: its meaning in English
    (:func:`column_note` in English: :data:`NOTES_OF_EN`, :data:`COLUMN_NOTES_EN`), one language a file.

    >>> column_notes(["tender", "x"]), column_notes(["tender"], lang="en")
    ([('tender', '标段：标段编号（项目编号/标段编号）')], [('tender', "the tender's number (project or lot number)")])
    """
    if lang == "en":
        return [(c, column_note(c, of, "en")) for c in columns if c in COLUMN_NOTES_EN]
    return [(c, f"{COLUMN_NOTES[c][0]}：{column_note(c, of)}") for c in columns if c in COLUMN_NOTES]


#: how a scorer's threshold was set (``threshold_rule_`` of :class:`~graphkit.collusion.unsupervised.LabelFreeScorer`
#: and :class:`~graphkit.collusion.adapt.AdaptedScorer`, English in the model file) as the console says it
_RULE_ZH: list[tuple[str, str]] = [
    (r"median \(no scored tender\)", "中位数（无已评分标段）"),
    (r"top (?P<p>[\d.]+%) of the market", "本市场风险最高的 {p}"),
    (r"median \(the upper half of the market\)", "中位数（本市场风险较高的一半）"),
    (
        r"median \(fewer than (?P<n>\d+) tenders to look for a second group\)",
        "中位数（标段不足 {n} 个，无从寻找第二组）",
    ),
    (r"median \(the scores show no second group\)", "中位数（评分中没有第二组）"),
    (
        r"median \(the mixture's two groups overlap: Ashman's D (?P<d>[\d.]+), not above (?P<m>[\d.]+)\)",
        "中位数（混合模型的两组重叠：Ashman D 为 {d}，不高于 {m}）",
    ),
    (r"median \(the mixture's two groups do not overlap the scores\)", "中位数（混合模型的两组不在评分范围内）"),
    (r"two-component mixture of the market's scores", "本市场评分的双组分混合模型"),
    (
        r"median of the market's adapted risks when adapted \((?P<k>[\d,]+) tenders; fewer than (?P<n>\d+) "
        r"confirmed tenders of each outcome\)",
        "调整时本市场 {k} 个标段调整后风险的中位数（属实、不属实的已核实标段各不足 {n} 个）",
    ),
    (  # a model adapted before the count was kept
        r"median of the market's adapted risks \(fewer than (?P<n>\d+) confirmed tenders of each outcome\)",
        "调整时本市场调整后风险的中位数（属实、不属实的已核实标段各不足 {n} 个）",
    ),
    (
        r"median of this file's adapted risks \(it names no market: the upper half of the file\)",
        "本文件调整后风险的中位数（文件未指明市场：取本文件风险较高的一半）",
    ),
    (
        r"median of this file's adapted risks \(its tenders are unlike the market's: the upper half of the file\)",
        "本文件调整后风险的中位数（其标段与该市场的明显不同：取本文件风险较高的一半）",
    ),
    (r"best balanced accuracy on the confirmed tenders", "已核实标段上平衡准确率最高处"),
    (
        r"the top (?P<p>[\d.]+%) of the market's adapted risks when adapted \((?P<k>[\d,]+) tenders; the share given\)",
        "调整时本市场 {k} 个标段中调整后风险最高的 {p}（给定的份额）",
    ),
    (
        r"the label-free market threshold \(no confirmed tenders of both outcomes\)",
        "本市场的无标签阈值（已核实标段没有属实、不属实两种结论）",
    ),
    (
        r"median of the market's combined risks \(the upper half of the market\)",
        "本市场综合风险（无标签评分并入模型）的中位数（本市场风险较高的一半）",
    ),
    (
        r"the label-free rule's share of the market, the top (?P<p>[\d.]+%), on the combined risks",
        "无标签规则标记的本市场比例：综合风险最高的 {p}",
    ),
    (r"set without labels", "无标签设定"),
    (r"set when adapted", "调整时设定"),
    (r"set on the confirmed tenders", "按已核实标段设定"),
]


def rule_zh(rule: str) -> str:
    """How a threshold was set, in Chinese; a rule no pattern knows as it is.

    >>> rule_zh("median (the upper half of the market)")
    '中位数（本市场风险较高的一半）'
    """
    return worded(_RULE_ZH, rule)


#: the label-free score's context families as the console says what each tender is read next to
CONTEXT_ZH = {
    "period": "前后半年内的其他标段（日期）",
    "bidders": "其投标人参与的其他标段（投标人编号）",
    "segment": "同类合同的其他标段（类别列）",
}


def context_zh(family: str) -> str:
    """A context family (``period``, ``bidders``, ``segment``) by its Chinese name: 前后半年内的其他标段."""
    return SCREEN_ZH.get(family, family)
