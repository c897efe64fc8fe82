"""Amounts listed under their total add up to it. Written to 0.1 万, two suppliers paid 12,400.40 元 each read
1.2 万元 + 1.2 万元 under a spend of 2.5 万元, and in English ¥12,400 + ¥12,400 under ¥24,801 (rounded to the
yuan). The pre-portrait lists its amounts exact (:func:`graphkit.model.money` ``exact=True``); a summary keeps
万元 to one decimal."""

from __future__ import annotations

import re

from graphkit.model import money
from graphkit.portrait_render import _procurement_lines, speak

ROW = 12_400.40  # each row rounds down to 1.2 万元 (and to ¥12,400), their sum up to 2.5 万元 (¥24,801)
FIGURE = {
    "zh": re.compile(r"(\d[\d,]*(?:\.\d+)?) (万元|元)"),
    "en": re.compile(r"¥(\d[\d,]*(?:\.\d+)?)"),
}


def _amount(text: str, lang: str) -> float:
    m = FIGURE[lang].search(text)
    assert m, text
    value = float(m.group(1).replace(",", ""))
    return value * 1e4 if lang == "zh" and m.group(2) == "万元" else value


def _procurement() -> dict:
    supplier = {"amount": ROW, "share": 0.5, "contracts": 1, "price_ratio": None, "linked": False}
    return {
        "contracts": 2,
        "spend": 2 * ROW,
        "suppliers": 2,
        "hhi": 0.5,
        "direct_share": 1.0,
        "direct": 2,
        "tenders": 0,
        "open_tenders": 0,
        "single_bid_share": 0.0,
        "single_bid": 0,
        "top_suppliers": [
            {**supplier, "name": "苏州甲建设有限公司", "company": "C1"},
            {**supplier, "name": "苏州乙建设有限公司", "company": "C2"},
        ],
        "linked_winners": [],
        "categories": {"工程": ROW, "货物": ROW},
    }


def test_the_rounding_this_guards_against_is_real():
    """The summary form still rounds: its rows miss the total, which is why the pre-portrait does not use it."""
    assert (money(ROW, "CNY", "zh"), money(2 * ROW, "CNY", "zh")) == ("1.2 万元", "2.5 万元")


def test_the_pre_portraits_suppliers_and_categories_add_up_to_the_spend_they_are_listed_under():
    for lang, colon, sep in (("zh", "：", "、"), ("en", ": ", ", ")):
        lines = [speak(t, lang) for _, t in _procurement_lines(_procurement())]
        total = _amount(lines[0], lang)  # 合同 2 份，金额 …
        rows = [_amount(t.split(colon, 1)[1], lang) for t in lines if t.startswith("苏州")]
        assert len(rows) == 2, lines
        assert round(sum(rows), 2) == total == round(2 * ROW, 2), (lang, rows, total, lines)
        cats = next(t for t in lines if t.startswith(("采购品类", "categories")))
        said = [_amount(part, lang) for part in cats.split(colon, 1)[1].split(sep)]
        assert len(said) == 2 and round(sum(said), 2) == total, (lang, cats)
        assert "万元" not in "\n".join(lines), lines  # exact: 24,800.80 元, not 2.5 万元


def test_exact_money_is_to_the_fen_in_both_languages():
    assert money(2 * ROW, "CNY", "zh", exact=True) == "24,800.80 元"
    assert money(2 * ROW, "CNY", exact=True) == "¥24,800.80"
    assert money(980_000, "CNY", "zh", exact=True) == "980,000 元"
