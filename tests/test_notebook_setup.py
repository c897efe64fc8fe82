"""The notebooks' first cell: an existing store named by GRAPHKIT_STORE is used as it is and never deleted;
notebook 03's cartel data, when missing, is said plainly (where it is expected, what it is)."""

from __future__ import annotations

import re

import pytest
from fixture_city import C1, P1, P2

from graphkit.notebook import DataMissing, collusion_data, open_city
from graphkit.rules.ledger import Ledger
from graphkit.stores.embedded import EmbeddedStore


@pytest.fixture()
def existing(tmp_path, _city_loaded_once):
    """A store holding the fixture city: a copy of the worker's one load of it (``conftest.loaded_city``)."""
    from conftest import copy_loaded_city

    return copy_loaded_city(_city_loaded_once, tmp_path / "case" / "c.db")


def test_an_existing_store_is_used_and_never_deleted(existing, tmp_path, monkeypatch):
    before = sorted(p.name for p in existing.parent.iterdir())
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{existing}")
    monkeypatch.delenv("GRAPHKIT_LEDGER", raising=False)
    city = open_city("city02", work=tmp_path / "out", ledger=True)
    try:
        assert not city.demo and city.spec == f"embedded:{existing}"
        assert city.ledger_path == existing.with_name("c.db.ledger.sqlite")
        official, relative, company, *_ = city.lead("relative_wins_tender_1hop")
        assert (official, relative, company) == (P1, P2, C1)
    finally:
        city.store.close()
    assert sorted(p.name for p in existing.parent.iterdir()) == before, "nothing deleted or added"
    assert not (tmp_path / "out").exists(), "no demo city generated"
    # a ledger named by GRAPHKIT_LEDGER is used as it is
    ledger = tmp_path / "elsewhere.sqlite"
    Ledger(ledger).close()
    monkeypatch.setenv("GRAPHKIT_LEDGER", str(ledger))
    city = open_city("city02", work=tmp_path / "out", ledger=True)
    city.store.close()
    assert city.ledger_path == ledger and ledger.is_file()


def test_a_store_or_ledger_that_is_not_there_is_said(tmp_path, monkeypatch, existing):
    monkeypatch.delenv("GRAPHKIT_LANG", raising=False)
    typo = tmp_path / "typo.db"
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{typo}")
    # in Chinese (it was English under the notebooks' Chinese cells), with the command that makes the store
    with pytest.raises(FileNotFoundError, match=f"{typo} 没有库：先用 `graphkit load SOURCE_DIR --store embedded:"):
        open_city("city02")
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    with pytest.raises(FileNotFoundError, match="no store at"):
        open_city("city02")
    monkeypatch.delenv("GRAPHKIT_LANG")
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{existing}")
    monkeypatch.setenv("GRAPHKIT_LEDGER", str(tmp_path / "typo.sqlite"))
    with pytest.raises(FileNotFoundError, match="那里没有预警台账；`graphkit models run --store "):  # (a DataMissing)
        open_city("city02")
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    with pytest.raises(FileNotFoundError, match="no ledger there"):
        open_city("city02")


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_a_neo4j_store_without_a_ledger_is_said_before_it_is_opened(tmp_path, monkeypatch):
    """GRAPHKIT_STORE=neo4j://… alone, as the README's line reads: notebook 02 opened the store, ran every model
    and then failed in its ledger cell with ``TypeError: expected str, bytes or os.PathLike object, not
    NoneType``. It is said at once (no server needed to say it), what to set and how to make the ledger; a
    ledger file that is not there says how to make it too. In a notebook each is its message alone."""
    uri = f"neo4j://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("GRAPHKIT_STORE", uri)
    monkeypatch.delenv("GRAPHKIT_LEDGER", raising=False)
    monkeypatch.delenv("GRAPHKIT_LANG", raising=False)
    with pytest.raises(DataMissing) as err:
        open_city("city02", work=tmp_path / "out", ledger=True)
    (text,) = err.value._render_traceback_()
    assert "GRAPHKIT_LEDGER=文件" in text and f"graphkit models run --store {uri} --ledger 文件" in text, text
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    with pytest.raises(DataMissing) as err:
        open_city("city02", work=tmp_path / "out", ledger=True)
    (text,) = err.value._render_traceback_()
    assert "GRAPHKIT_LEDGER=FILE" in text and f"graphkit models run --store {uri} --ledger FILE" in text, text
    monkeypatch.setenv("GRAPHKIT_LEDGER", str(tmp_path / "team.ledger.sqlite"))
    with pytest.raises(DataMissing, match=r"no ledger there; `graphkit models run --store .* --ledger FILE`"):
        open_city("city02", work=tmp_path / "out", ledger=True)
    monkeypatch.delenv("GRAPHKIT_LANG")
    made = f"`graphkit models run --store {uri} --ledger {tmp_path / 'team.ledger.sqlite'}`"
    with pytest.raises(DataMissing, match=re.escape(f"那里没有预警台账；{made} 会建立台账")):
        open_city("city02", work=tmp_path / "out", ledger=True)
    assert not (tmp_path / "out").exists()


def test_a_neo4j_server_that_is_down_is_one_sentence_in_a_notebook(tmp_path, monkeypatch):
    """Neo4j down: the first cell of notebooks 02, 04 and 05 showed a 21-line traceback of the driver around
    the sentence; IPython now shows the sentence alone (``_render_traceback_``), naming the URI."""
    from graphkit.stores import StoreUnavailable

    uri = f"neo4j://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("GRAPHKIT_STORE", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw")
    monkeypatch.delenv("GRAPHKIT_LEDGER", raising=False)
    monkeypatch.delenv("GRAPHKIT_LANG", raising=False)
    with pytest.raises(StoreUnavailable) as err:
        open_city("city05", work=tmp_path / "out")
    (text,) = err.value._render_traceback_()
    assert text.startswith(f"StoreUnavailable: 连不上 {uri} 的 Neo4j（") and "s3cret-pw" not in text, text
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    with pytest.raises(StoreUnavailable) as err:
        open_city("city05", work=tmp_path / "out")
    (text,) = err.value._render_traceback_()
    assert text.startswith(f"StoreUnavailable: cannot reach Neo4j at {uri}: ") and "s3cret-pw" not in text, text


def test_missing_cartel_data_says_where_and_what(tmp_path, monkeypatch):
    monkeypatch.delenv("GRAPHKIT_COLLUSION_DATA", raising=False)
    monkeypatch.delenv("GRAPHKIT_LANG", raising=False)
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    with pytest.raises(DataMissing) as err:
        collusion_data(start=project / "notebooks")
    (text,) = err.value._render_traceback_()  # what IPython shows instead of a traceback
    # in Chinese, as the notebook's cells (it was English)
    assert text.startswith("带标签的串标数据不在这里：已查找 ") and "García Rodríguez" in text, text
    assert str(tmp_path / "shared" / "data" / "collusion_garcia_rodriguez_2022") in text
    assert "GRAPHKIT_COLLUSION_DATA=文件夹" in text and "第 1 部分" in text and "Part 1" not in text, text
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    with pytest.raises(DataMissing) as err:
        collusion_data(start=project / "notebooks")
    (text,) = err.value._render_traceback_()
    assert "García Rodríguez" in text and "GRAPHKIT_COLLUSION_DATA" in text and "Part 1" in text
    data = tmp_path / "shared" / "data" / "collusion_garcia_rodriguez_2022"
    data.mkdir(parents=True)
    (data / "DB_Collusion_Japan_processed.csv").write_text("Tender\n", encoding="utf-8")
    assert collusion_data(start=project) == data == collusion_data(start=project / "notebooks")
    monkeypatch.setenv("GRAPHKIT_COLLUSION_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(DataMissing, match="nowhere"):
        collusion_data(start=project)


def test_an_existing_stores_refused_rows_are_read_from_its_quarantine_file(existing, tmp_path, monkeypatch, capsys):
    """Notebook 01 on a team's store: the store was loaded before, so its load table is a sentence saying so, and
    the rows its load refused come from the quarantine file (beside an embedded store, or GRAPHKIT_QUARANTINE),
    masked; where there is none, a sentence says where it was looked for and how to name it."""
    from fixture_city import P1

    from graphkit.notebook import Note
    from loaders.report import LoadReport, Quarantined

    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{existing}")
    monkeypatch.delenv("GRAPHKIT_QUARANTINE", raising=False)
    city = open_city("city01", work=tmp_path / "out")
    try:
        said = city.load_table(lang="en")
        assert isinstance(said, Note) and repr(said).startswith(f"embedded:{existing}: a store loaded before"), said
        assert repr(city.load_table()).startswith(f"embedded:{existing}：此前已加载的库")
        none = city.quarantined(lang="en")
        assert isinstance(none, Note) and f"no quarantine file beside the store ({existing}.quarantine.csv)" in repr(
            none
        )
        assert f"库旁没有隔离文件（{existing}.quarantine.csv）" in repr(city.quarantined())
        rows = [Quarantined("household.csv", 9, "公民身份号码", P1, "duplicate of line 2")] * 3
        LoadReport(quarantine=rows).write_quarantine(f"{existing}.quarantine.csv")
        # notebook 01's table: headers and reasons in Chinese, the ID number masked
        assert (
            city.quarantined(2).to_dict("records")
            == [
                {
                    "文件": "household.csv",
                    "行": 9,
                    "列": "公民身份号码",
                    "值": "3205**********0018",
                    "原因": "与第 2 行重复",
                }
            ]
            * 2
        )
        # how many there are in all and the file holding them, above the table (it showed 2 and said no more)
        assert capsys.readouterr().out == (
            f"加载共隔离 3 行，下表列出前 2 行；全部隔离行（标识未遮蔽）在 {existing}.quarantine.csv\n"
        )
        assert len(city.quarantined(5)) == 3 and "全部列于下表；" in capsys.readouterr().out
        shown = city.quarantined(2, lang="en")
        assert capsys.readouterr().out.startswith("The load quarantined 3 rows in all; the first 2 below; every ")
        assert shown.to_dict("records") == [
            {
                "file": "household.csv",
                "line": 9,
                "column": "公民身份号码",
                "value": "3205**********0018",
                "reason": r.reason,
            }
            for r in rows[:2]
        ]
        elsewhere = tmp_path / "team.quarantine.csv"
        LoadReport().write_quarantine(elsewhere)
        monkeypatch.setenv("GRAPHKIT_QUARANTINE", str(elsewhere))
        assert repr(city.quarantined(lang="en")) == f"The load refused no row ({elsewhere})."
        assert repr(city.quarantined()) == f"加载未隔离任何行（{elsewhere}）。"
        # a quarantine file written before its number was headed ``line`` (it said ``row``) reads as one written now
        legacy = tmp_path / "legacy.quarantine.csv"
        legacy.write_text(
            "file,row,column,value,reason\nhousehold.csv,9,姓名,,required value is missing\n", encoding="utf-8-sig"
        )
        monkeypatch.setenv("GRAPHKIT_QUARANTINE", str(legacy))
        assert city.quarantined().to_dict("records") == [
            {"文件": "household.csv", "行": 9, "列": "姓名", "值": "", "原因": "必填值缺失"}
        ]
        monkeypatch.setenv("GRAPHKIT_QUARANTINE", str(tmp_path / "typo.csv"))
        assert repr(city.quarantined(lang="en")).startswith(
            f"GRAPHKIT_QUARANTINE={tmp_path / 'typo.csv'}: no file there."
        )
    finally:
        city.store.close()


def test_a_notebook_records_the_models_hits_as_its_user_and_a_viewer_only_reads_the_ledger(
    existing, tmp_path, monkeypatch
):
    """Notebooks 02 and 04 ran the models on a team's store and wrote their hits into its ledger as "notebook
    02" / "notebook 04", for a viewer too (the command line refuses a viewer that), and no audit record said so.
    The hits are now signed by GRAPHKIT_USER and recorded as a ``models run``; a viewer's notebook reads the
    ledger as it is and writes nothing."""
    import json

    from graphkit.audit import audit_path_for

    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{existing}")
    monkeypatch.delenv("GRAPHKIT_LEDGER", raising=False)
    monkeypatch.delenv("GRAPHKIT_AUDIT", raising=False)
    monkeypatch.setenv("GRAPHKIT_USER", "王科长")
    monkeypatch.delenv("GRAPHKIT_ROLE", raising=False)
    city = open_city("city04", work=tmp_path / "out", ledger=True)
    try:
        warnings = city.warnings()
    finally:
        city.store.close()
    assert warnings and {h["by"] for w in warnings for h in w["history"]} == {"王科长"}
    log = audit_path_for(city.spec)
    (rec,) = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert (rec["command"], rec["who"], rec["result"]) == ("models run", "王科长", len(warnings))
    before = {p.name: p.read_bytes() for p in existing.parent.iterdir() if p.is_file()}
    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    monkeypatch.setenv("GRAPHKIT_USER", "李四")
    city = open_city("city04", work=tmp_path / "out", ledger=True)
    try:
        seen = city.warnings()
    finally:
        city.store.close()
    assert [w["id"] for w in seen] == [w["id"] for w in warnings]
    assert {p.name: p.read_bytes() for p in existing.parent.iterdir() if p.is_file()} == before, "a viewer wrote"


def test_a_viewer_on_a_store_without_a_ledger_is_told_and_writes_none(existing, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{existing}")
    monkeypatch.delenv("GRAPHKIT_LEDGER", raising=False)
    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    monkeypatch.delenv("GRAPHKIT_LANG", raising=False)
    city = open_city("city04", work=tmp_path / "out", ledger=True)
    try:
        assert city.warnings() == []
        assert f"{existing}.ledger.sqlite 没有预警台账：不计入各模型的预警" in capsys.readouterr().out
        monkeypatch.setenv("GRAPHKIT_LANG", "en")
        assert city.warnings() == []
    finally:
        city.store.close()
    assert "No warning ledger at" in capsys.readouterr().out
    assert not existing.with_name("c.db.ledger.sqlite").exists()


def test_a_store_where_the_starting_model_finds_nothing_is_one_sentence(tmp_path, monkeypatch):
    from graphkit.notebook import NoLead

    db = tmp_path / "empty.db"
    with EmbeddedStore(db) as s:
        s.create_schema()
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{db}")
    monkeypatch.delenv("GRAPHKIT_LANG", raising=False)
    city = open_city("city02", work=tmp_path / "out")
    try:
        with pytest.raises(NoLead) as err:
            city.lead("relative_wins_tender_1hop")
        (text,) = err.value._render_traceback_()
        assert "（relative_wins_tender_1hop）在 embedded:" in text and "中没有命中" in text, text
        assert f"`graphkit find 姓名 --store embedded:{db}`" in text, text
        monkeypatch.setenv("GRAPHKIT_LANG", "en")
        with pytest.raises(NoLead) as err:
            city.lead("relative_wins_tender_1hop")
    finally:
        city.store.close()
    (text,) = err.value._render_traceback_()
    assert "finds nothing" in text and "graphkit find NAME" in text


def test_a_viewers_notebook_does_not_upgrade_an_older_store(existing, tmp_path, monkeypatch):
    """As the commands: a viewer's notebook refuses a store built by an older graphkit, saying who can
    upgrade it, and leaves the file as it was; the analyst's notebook upgrades it."""
    import hashlib

    from graphkit.stores.base import StoreError

    s = EmbeddedStore(existing)
    s.run("ALTER TABLE Vehicle DROP name")
    s.close()
    digest = hashlib.sha256(existing.read_bytes()).hexdigest()
    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{existing}")
    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    with pytest.raises(StoreError, match=r"older graphkit.*Vehicle\.name.*a read-only user does not change"):
        open_city("city02", work=tmp_path / "out")
    assert hashlib.sha256(existing.read_bytes()).hexdigest() == digest
    monkeypatch.delenv("GRAPHKIT_ROLE")
    city = open_city("city02", work=tmp_path / "out")
    try:
        assert [a.split(" ADD ")[1].split()[0] for a in city.store.upgraded] == ["name"]
    finally:
        city.store.close()


def test_a_notebooks_tables_show_the_reasons_whole(existing, tmp_path, monkeypatch):
    """Notebook 03's tables cut the reasons at pandas' 50 characters ('15 of 15 member pairs share identifiers:
    bid-b...'): the reasons are what an analyst reads a score for."""
    import pandas as pd

    monkeypatch.setenv("GRAPHKIT_STORE", f"embedded:{existing}")
    with pd.option_context("display.max_colwidth", 50):
        city = open_city("city03", work=tmp_path / "out")
        try:
            long = "15 of 15 member pairs share identifiers: bid-bond paying account (15 pairs), MAC (15 pairs)"
            assert long in pd.DataFrame({"reasons": [long]}).to_string()
        finally:
            city.store.close()


@pytest.mark.parametrize("spec", ["neo4j://neo4j:s3cret-pw@db.example:7687", "http://db.example:7474"])
def test_a_store_spec_that_is_not_one_is_a_sentence_without_the_password(spec, tmp_path, monkeypatch):
    """A GRAPHKIT_STORE that is no store spec was a ValueError and its traceback in the notebook's first cell (and a
    URI holding a password went to the driver, which printed it whole). It is one sentence, the password left out."""
    monkeypatch.setenv("GRAPHKIT_STORE", spec)
    monkeypatch.setenv("GRAPHKIT_LANG", "en")
    with pytest.raises(DataMissing) as err:
        open_city("city02", work=tmp_path / "out")
    said = err.value._render_traceback_()
    assert len(said) == 1 and said[0].startswith("GRAPHKIT_STORE: store spec ") and "s3cret-pw" not in said[0], said
    monkeypatch.delenv("GRAPHKIT_LANG")
    with pytest.raises(DataMissing) as err:
        open_city("city02", work=tmp_path / "out")
    said = err.value._render_traceback_()
    assert len(said) == 1 and said[0].startswith("GRAPHKIT_STORE：库 ") and "s3cret-pw" not in said[0], said
    assert "store spec" not in said[0], said
    assert not (tmp_path / "out").exists(), "no demo city generated"


def test_every_notebook_writes_into_the_one_folder_work_folder_names(monkeypatch):
    """01 wrote to ``out/notebook``, 02 to 05 to ``notebook_out``: one folder now, named in graphkit.notebook."""
    import json
    from pathlib import Path

    from graphkit.notebook import OUT_DEFAULT, work_folder

    monkeypatch.delenv("GRAPHKIT_NOTEBOOK_OUT", raising=False)
    assert work_folder() == Path(OUT_DEFAULT)
    monkeypatch.setenv("GRAPHKIT_NOTEBOOK_OUT", " /tmp/elsewhere ")
    assert work_folder() == Path("/tmp/elsewhere")
    notebooks = sorted((Path(__file__).parents[1] / "notebooks").glob("0*.ipynb"))
    assert len(notebooks) == 5
    for path in notebooks:
        cells = json.loads(path.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert "WORK = work_folder()" in code, f"{path.name} names its own folder"
        assert "GRAPHKIT_NOTEBOOK_OUT" not in code and "out/notebook" not in code, path.name
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert f"by default `notebooks/{OUT_DEFAULT}`" in readme, "the README names the one folder"
