"""Notebooks 02 (relationship explorer) and 05 (case export) started from a model's first hit, with no way to say
whom to look at: a ``SUBJECT`` setting in their first cell (and ``GRAPHKIT_SUBJECT``), read as ``graphkit portrait
--person`` and ``warnings list --entity`` read a name (:func:`graphkit.search.resolve_entity`); 02's path ends at
its ``TARGET`` (``GRAPHKIT_TARGET``)."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from fixture_city import C1, P1, P8, TABLES, pid, write_city

from graphkit.model.mask import mask
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import load_dir

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MODEL = "relative_wins_tender_1hop"
#: a second 张伟, so that the name alone names two people
NAMESAKE = pid("32050819881111009")


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """The fixture city loaded into a store, with a namesake of the planted official (张伟)."""
    tables = copy.deepcopy(TABLES)
    tables["household"].append({**tables["household"][0], "公民身份号码": NAMESAKE, "出生日期": "1988-11-11"})
    root = tmp_path_factory.mktemp("subject")
    db = root / "store" / "team.db"
    with EmbeddedStore(db) as s:
        load_dir(write_city(root / "city", tables), s)
    return db


@pytest.fixture()
def city(team, tmp_path, monkeypatch):
    from graphkit.notebook import open_city

    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{team}")
    for env in ("GRAPHKIT_SUBJECT", "GRAPHKIT_TARGET", "GRAPHKIT_LEDGER"):
        monkeypatch.delenv(env, raising=False)
    c = open_city("city02", work=tmp_path / "out")
    yield c
    c.store.close()


def test_the_subject_is_named_by_the_setting_the_environment_or_the_model_s_first_hit(city, monkeypatch, capsys):
    assert city.subject(None, scheme=MODEL) == P1  # no setting: the official of the first hit, as before
    said = capsys.readouterr().out
    assert f"SUBJECT：张伟（自然人 {mask(P1, 'id_number')}），取自模型 {MODEL} 的第一条命中" in said
    assert city.subject("孙丽", scheme=MODEL) == P8  # an exact name
    assert "SUBJECT：孙丽（自然人 3205**********0083），按 SUBJECT 所填" in capsys.readouterr().out
    assert city.subject("某某建设有限公司", scheme=MODEL) == C1 == city.subject(C1, scheme=MODEL)  # a name, a key
    assert city.subject("张伟#2", scheme=MODEL) in (P1, NAMESAKE)  # a handle of one of namesakes
    monkeypatch.setenv("GRAPHKIT_SUBJECT", "孙丽")
    assert city.subject(None, scheme=MODEL) == P8  # the environment, when the cell sets none
    assert "按 GRAPHKIT_SUBJECT 所填" in capsys.readouterr().out
    assert city.subject("某某建设有限公司", scheme=MODEL) == C1  # the cell's setting first
    assert P1 not in capsys.readouterr().out + "".join(map(str, city._named.values()))


def test_the_target_defaults_to_the_company_of_the_subject_s_lead(city, capsys):
    assert city.subject(None, scheme=MODEL, at=2, near=P1, setting="TARGET") == C1
    assert f"TARGET：某某建设有限公司（企业 {C1}），取自模型 {MODEL} 中含 张伟 的命中" in capsys.readouterr().out
    # a subject in no hit of the model: the first hit's company
    assert city.subject(None, scheme=MODEL, at=2, near=P8, setting="TARGET") == C1
    assert "的第一条命中" in capsys.readouterr().out
    # what a widget's box may hold: a company's credit code, a person's name (never their ID number)
    assert city.shown(C1) == C1 and city.shown(P8) == "孙丽"
    assert city.named(P8) == "孙丽 (3205**********0083)" and city.named(C1) == f"某某建设有限公司 ({C1})"


@pytest.mark.parametrize(
    ("given", "said", "lang"),
    [
        (
            "查无此人",
            "SUBJECT: nothing matches '查无此人' (tried name, ID number, credit code, plate, phone and key) in ",
            "en",
        ),
        (pid("11010119900307451"), "SUBJECT: nothing matches '1101**********", "en"),  # an ID number: masked
        ("张伟", "SUBJECT: '张伟' names 2 entities; give one as 张伟#N (N from the list) 张伟#1 (Person, ", "en"),
        ("苏州监狱", None, "en"),  # a unit: taken
        ("苏E·12345", "SUBJECT: '苏E·***45' names a Vehicle, not a person, company or unit; name a person", "en"),
        # the same in Chinese, the notebooks' default (each sentence was English under the Chinese cells)
        (
            "查无此人",
            "SUBJECT：没有与 '查无此人' 匹配的实体（已按名称、身份证号、统一社会信用代码、车牌、电话和编号查找）（",
            "zh",
        ),
        (pid("11010119900307451"), "SUBJECT：没有与 '1101**********", "zh"),
        ("张伟", "SUBJECT：'张伟' 指向 2 个实体；请写作 张伟#N（N 取自下表） 张伟#1（自然人，", "zh"),
        ("苏E·12345", "SUBJECT：'苏E·***45' 指向的是车辆，不是自然人、企业或单位；请按 `graphkit find` 列出", "zh"),
    ],
)
def test_a_subject_that_names_no_one_says_so_in_one_sentence(city, given, said, lang, monkeypatch):
    from graphkit.notebook import NoSubject

    monkeypatch.setenv("GRAPHKIT_LANG", lang)
    if said is None:
        assert city.subject(given, scheme=MODEL)
        return
    with pytest.raises(NoSubject) as err:
        city.subject(given, scheme=MODEL)
    (text,) = err.value._render_traceback_()  # IPython shows the sentence alone
    assert text.startswith(said) and "\n" not in text, text
    assert given not in text or not any(ch.isdigit() for ch in given)
    assert NAMESAKE not in text and P1 not in text


def test_a_path_that_does_not_exist_is_one_sentence(city, capsys, tmp_path):
    assert city.path(P8, C1, max_hops=2, html=tmp_path / "p.html", lang="en") is None
    assert capsys.readouterr().out == "no path of at most 2 hops between 孙丽 and 某某建设有限公司\n"
    assert not (tmp_path / "p.html").exists()
    assert len(city.path(P1, C1, max_hops=4, html=tmp_path / "p.html", lang="en")) == 2
    out = capsys.readouterr().out
    assert out.startswith("张伟 (official, 苏州市城建局) — spouse of — 李娜") and (tmp_path / "p.html").is_file()


def test_a_path_is_printed_in_chinese_by_default(city, capsys, tmp_path):
    """The notebook prints a path as the investigator files it: Chinese, each hop citing its record as 第N行."""
    assert city.path(P8, C1, max_hops=2) is None
    assert capsys.readouterr().out == "孙丽 与 某某建设有限公司 之间没有 2 跳以内的路径\n"
    assert len(city.path(P1, C1, max_hops=4, html=tmp_path / "p.html")) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("张伟（公职人员，苏州市城建局） — 配偶为 — 李娜 — ")
    assert out[1].startswith("  张伟（公职人员，苏州市城建局） — 配偶为 — 李娜〔family.csv 第2行〕"), out


def _run(stem: str, team: Path, work: Path, monkeypatch, **env: str):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{team}")
    monkeypatch.setenv("GRAPHKIT_NOTEBOOK_OUT", str(work))
    monkeypatch.delenv("GRAPHKIT_LEDGER", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    path = NOTEBOOKS / f"{stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parents[1])}}
    )
    try:  # Run All stops at the first cell that fails, as in JupyterLab
        client.execute()
    except CellExecutionError:
        pass
    outs = [o for c in nb.cells for o in c.get("outputs", [])]
    errors = [(o["ename"], o["evalue"]) for o in outs if o["output_type"] == "error"]
    text = "".join(o.get("text", "") if isinstance(o.get("text"), str) else "" for o in outs)
    return nb, errors, text


def test_notebook_05_exports_the_subject_it_is_given(team, tmp_path, monkeypatch):
    """GRAPHKIT_SUBJECT=孙丽 (a village cadre, in no hit of the starting model): the case file is hers, where it was
    the first hit's official whatever was asked; the first cell says whom it exports, masked."""
    _, errors, text = _run("05_case_export", team, tmp_path / "w", monkeypatch, GRAPHKIT_SUBJECT="孙丽")
    assert not errors, errors
    assert "SUBJECT：孙丽（自然人 3205**********0083），按 GRAPHKIT_SUBJECT 所填" in text, text
    # in the notebook's language alone (it read 2 度关系 2-hop neighbourhood)
    assert "孙丽 (3205**********0083): 2 度关系 ·" in text and "2-hop" not in text and P8 not in text
    html = next((tmp_path / "w" / "case_files").glob("*.html")).read_text(encoding="utf-8")
    assert "孙丽" in html


def test_notebook_05_with_a_subject_that_names_no_one_stops_with_one_sentence(team, tmp_path, monkeypatch):
    nb, errors, _ = _run("05_case_export", team, tmp_path / "w", monkeypatch, GRAPHKIT_SUBJECT="查无此人")
    assert [e[0] for e in errors] == ["NoSubject"], errors
    assert errors[0][1].startswith("GRAPHKIT_SUBJECT：没有与 '查无此人' 匹配的实体"), errors
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert any(o["output_type"] == "error" for o in first["outputs"])  # said in the cell that names it


def test_notebook_02_starts_from_its_subject_and_draws_the_path_to_its_target(team, tmp_path, monkeypatch):
    """GRAPHKIT_SUBJECT names a company and GRAPHKIT_TARGET the planted official: the notebook finds the company,
    draws the path from it to the official, and fills the workbench with them, no ID number in clear."""
    nb, errors, text = _run(
        "02_relationship_explorer", team, tmp_path / "w", monkeypatch, GRAPHKIT_SUBJECT=C1, GRAPHKIT_TARGET="张伟#1"
    )
    assert not errors, errors
    assert f"SUBJECT：某某建设有限公司（企业 {C1}），按 GRAPHKIT_SUBJECT 所填" in text, text
    assert "TARGET：张伟（自然人 3205**********" in text and "按 GRAPHKIT_TARGET 所填" in text
    assert "某某建设有限公司 — " in text and (tmp_path / "w" / "path.html").is_file()  # the path, from the company
    widgets = str(nb.metadata.get("widgets", {}))
    assert P1 not in text + widgets and NAMESAKE not in text + widgets
