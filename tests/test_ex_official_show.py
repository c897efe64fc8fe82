"""`warnings show` for the ex-official model (``ex_official_joins_winner``): its summary says when the official left
(陈前于2022-06-30离任…), and the post it lists among the evidence had said only 任职/参保, with no end date, so the
listed role read as a post still held. The role now carries its end date, as the store keeps it."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from fixture_city import C1, P7, TABLES, U1, write_city

from graphkit.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The fixture city plus a former official: 刘洋 left 处长 at 苏州市城建局 on 2022-06-30 and holds 10% of
    某某建设有限公司, which won T1 (published by the bureau on 2024-01-01)."""
    root = tmp_path_factory.mktemp("ex")
    tables = copy.deepcopy(TABLES)
    tables["roster"].append(
        {
            "id_number": P7,
            "name": "刘洋",
            "unit_id": U1,
            "post": "处长",
            "rank": "正处",
            "role": "official",
            "start_date": "2012-03-01",
            "end_date": "2022-06-30",
        }
    )
    tables["shareholders"].append({"credit_code": C1, "holder_type": "person", "holder_id": P7, "percent": "10"})
    city = write_city(root / "city", tables)
    spec = f"embedded:{root / 'c.db'}"
    assert run("load", str(city), "--store", spec).exit_code == 0
    assert run("models", "run", "--store", spec, "--model", "ex_official_joins_winner").exit_code == 0
    return spec


def _shown(store: str, *lang: str) -> str:
    listed = json.loads(run("warnings", "list", "--store", store, "--json").output)
    wid = next(w["id"] for w in listed if w["model"] == "ex_official_joins_winner")
    return run("warnings", "show", wid, "--store", store, *lang).output


def test_the_listed_role_of_a_former_official_says_when_it_ended(store):
    shown = _shown(store)
    assert "刘洋于2022-06-30离任苏州市城建局处长" in shown, shown
    role = [line for line in shown.splitlines() if "—任职" in line]
    assert len(role) == 1, shown
    assert "—任职/参保·处长（2012-03-01—2022-06-30，已离任）→ 苏州市城建局 (" in role[0], role
    english = _shown(store, "--lang", "en")
    role = [line for line in english.splitlines() if "—employed by" in line]
    assert len(role) == 1, english
    assert "—employed by (处长, 2012-03-01 to 2022-06-30, left)→ 苏州市城建局 (" in role[0], role
