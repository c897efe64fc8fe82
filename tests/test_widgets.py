"""The notebook panel, driven as an investigator drives it (values set, buttons clicked) on the fixture city."""

from __future__ import annotations

import html

import networkx as nx
import pytest
from fixture_city import A_DORM, C1, P1, P2, write_city

from graphkit.stores.embedded import EmbeddedStore
from graphkit.widgets import Explorer
from loaders.engine import load_dir


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("widgets")
    s = EmbeddedStore(root / "c.db")
    load_dir(write_city(root / "city"), s)
    yield s
    s.close()


@pytest.fixture()
def panel(store, tmp_path):
    return Explorer(store, out_dir=tmp_path / "case", page_size=8)


def test_find_pick_expand_and_export(panel, tmp_path):
    panel.query.value = "lina"  # pinyin finds 李娜
    panel.find_button.click()
    assert panel.results.value == ("Person", P2) and "pinyin" in panel.results.options[0][0]
    panel.hops.value = 1
    panel.expand_button.click()
    assert C1 in panel.graph and panel.graph.graph["seed"] == P2
    assert panel.status.value.startswith(f"{panel.graph.number_of_nodes()} entities, ")
    assert panel.view.value.startswith("<iframe srcdoc=") and "vis-network" in html.unescape(panel.view.value)
    panel.export_format.value = "graphml"
    panel.export_button.click()
    out = tmp_path / "case" / "李娜_1-hop_neighbourhood.graphml"
    assert panel.status.value == html.escape(f"wrote {out}")
    assert nx.read_graphml(out, force_multigraph=True).number_of_edges() == panel.graph.number_of_edges()


def test_path_is_explained_hop_by_hop_and_exports_as_pdf(panel):
    panel.query.value = "张伟"
    panel.find()
    panel.target.value = "某某建设有限公司"
    panel.types.value = ()
    panel.path_button.click()
    assert set(panel.graph) >= {P1, P2, C1}
    text = html.unescape(panel.explanation.value)
    assert "[family.csv row 2]" in text and "[shareholders.csv row 2]" in text
    assert panel.export().read_bytes().startswith(b"%PDF")


def test_a_hub_is_paged(panel):
    panel.query.value = A_DORM
    panel.find()
    panel.hops.value = 1
    panel.expand()
    assert "page 1 of 4" in panel.status.value and not panel.more_button.disabled
    first = set(panel.graph)
    panel.more_button.click()
    assert "page 2 of 4" in panel.status.value and set(panel.graph) != first


def test_every_mistake_is_said_not_raised(panel):
    panel.export()
    assert "nothing shown yet" in panel.status.value
    panel.expand()
    assert "find an entity and pick it" in panel.status.value
    panel.query.value = "  "
    panel.find()
    assert "type a name" in panel.status.value
    panel.query.value = "查无此人"
    panel.find()
    assert "nothing matches" in panel.status.value and panel.results.options == ()
    panel.query.value = "张伟"
    panel.find()
    panel.target.value = "孤立"
    panel.connect()
    assert "no path of at most 6 hops" in panel.status.value
    panel.target.value = "住户"
    panel.connect()
    assert "equally well" in panel.status.value
    assert "color:#b00020" in panel.status.value


def test_identifiers_are_masked_and_every_action_audited(store, tmp_path):
    from graphkit.audit import AuditLog

    log = AuditLog(tmp_path / "audit.jsonl")
    panel = Explorer(store, out_dir=tmp_path / "case", page_size=8, audit=log, by="王科长", purpose="线索核查")
    panel.query.value = "李娜"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    panel.export_format.value = "html"
    out = panel.export()
    shown = panel.results.options[0][0] + html.unescape(panel.view.value) + out.read_text(encoding="utf-8")
    assert P2 not in shown and P2[:4] + "*" * 10 + P2[-4:] in shown
    assert [r["command"] for r in log] == ["find", "neighbours", "export"] and log.verify().ok
    assert {r["who"] for r in log} == {"王科长"} and not any(r["unmasked"] for r in log)
    clear = Explorer(store, out_dir=tmp_path / "clear", audit=log, unmask=True, reason="立案审查")
    clear.query.value = "李娜"
    clear.find()
    assert P2 in clear.results.options[0][0] and list(log)[-1]["reason"] == "立案审查"
    with pytest.raises(ValueError, match="needs a reason"):
        Explorer(store, unmask=True, audit=log)


def test_a_viewer_cannot_unmask_in_the_panel(store, monkeypatch, tmp_path):
    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    with pytest.raises(PermissionError, match="viewer"):
        Explorer(store, unmask=True, reason="x", audit=None)
