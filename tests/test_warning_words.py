"""How a warning's level, status, verdict, model and history are said on the faces (graphkit.rules.words):
Chinese words a 纪检监察 case handler uses, the machine keys for ``lang="en"``."""

from __future__ import annotations

import pytest

from graphkit.rules import catalog
from graphkit.rules.ledger import LEVELS, OUTCOMES, STATUSES
from graphkit.rules.words import history_line, level_word, model_title, outcome_word, status_word


def test_every_level_status_and_verdict_has_its_chinese_word_and_english_keeps_the_key():
    assert [level_word(lv) for lv in LEVELS] == ["红色", "橙色", "黄色"]
    assert [status_word(s) for s in STATUSES] == ["待核查", "核查中", "已核查", "已整改"]
    assert [status_word("verified", o) for o in OUTCOMES] == ["已核实", "已排除"]
    assert [outcome_word(o) for o in OUTCOMES] == ["属实", "不属实"]
    for key in (*LEVELS, *STATUSES, *OUTCOMES):
        assert level_word(key, "en") == status_word(key, lang="en") == outcome_word(key, "en") == key
    with pytest.raises(ValueError, match="lang"):
        level_word("red", "fr")


def test_a_model_is_named_by_its_chinese_title():
    for m in catalog():
        assert model_title(m.id) == m.title_zh and model_title(m.id, "en") == m.id
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
    assert history_line(raised, lang="en") == ("—", "generated", "raised by model bid_rigging")
    assert history_line(verified, lang="en") == ("dispatched", "verified", "true_positive; 属实")
