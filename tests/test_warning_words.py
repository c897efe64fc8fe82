"""How a warning's level, status, verdict, model and history are said on the faces (graphkit.rules.words):
Chinese words a 纪检监察 case handler uses, English words for ``lang="en"`` (the level's key is its word)."""

from __future__ import annotations

import pytest

from graphkit.rules import catalog
from graphkit.rules.ledger import LEVELS, OUTCOMES, STATUSES
from graphkit.rules.words import history_line, level_word, model_title, model_words_en, outcome_word, status_word


def test_every_level_status_and_verdict_has_a_word_in_each_language():
    """The English faces printed the ledger's keys (generated, dispatched, true_positive) where the Chinese said
    待核查, 核查中, 属实: each status and verdict now has its English words too."""
    assert [level_word(lv) for lv in LEVELS] == ["红色", "橙色", "黄色"]
    assert [status_word(s) for s in STATUSES] == ["待核查", "核查中", "已核查", "已整改"]
    assert [status_word("verified", o) for o in OUTCOMES] == ["已核实", "已排除"]
    assert [outcome_word(o) for o in OUTCOMES] == ["属实", "不属实"]
    assert [level_word(lv, "en") for lv in LEVELS] == ["red", "orange", "yellow"]
    assert [status_word(s, lang="en") for s in STATUSES] == ["to be checked", "being checked", "checked", "rectified"]
    assert [status_word("verified", o, "en") for o in OUTCOMES] == ["confirmed", "excluded"]
    assert [outcome_word(o, "en") for o in OUTCOMES] == ["substantiated", "unsubstantiated"]
    assert status_word("no_such_status", lang="en") == "no_such_status" and outcome_word(None, "en") == ""
    with pytest.raises(ValueError, match="lang"):
        level_word("red", "fr")


def test_a_model_is_named_by_its_chinese_title():
    for m in catalog():
        assert model_title(m.id) == m.title_zh and model_title(m.id, "en") == model_words_en(m.id)
        assert model_title(m.id, short=True) and "：" not in model_title(m.id, short=True)
    assert model_title("bid_rigging", short=True) == "围标串标"
    assert model_title("no_such_model") == "no_such_model"


def test_a_history_step_in_words():
    dispatched = {"from": "generated", "to": "dispatched", "assignee": "第三室", "outcome": None, "comment": "请核查"}
    assert history_line(dispatched) == ("待核查", "核查中", "交办第三室；请核查")
    verified = {"from": "dispatched", "to": "verified", "assignee": None, "outcome": "true_positive", "comment": "属实"}
    assert history_line(verified) == ("核查中", "已核实", "属实；属实")
    rectified = {"from": "verified", "to": "rectified", "assignee": None, "outcome": None, "comment": None}
    assert history_line(rectified, "true_positive") == ("已核实", "已整改", "")
    assert history_line({"from": None, "to": "generated"}) == ("—", "待核查", "")
    raised = {"from": None, "to": "generated", "comment": "raised by model bid_rigging"}
    assert history_line(raised) == ("—", "待核查", "由模型生成")
    # as the Chinese says it, not by the model's id (it read raised by model bid_rigging)
    assert history_line(raised, lang="en") == ("—", "to be checked", "raised by the model")
    assert history_line(verified, lang="en") == ("being checked", "confirmed", "substantiated; 属实")
    assert history_line(dispatched, lang="en") == ("to be checked", "being checked", "to 第三室; 请核查")
    assert history_line(rectified, "true_positive", "en") == ("confirmed", "rectified", "")
