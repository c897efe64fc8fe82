"""The notebook panels, driven as an investigator drives them (values set, buttons clicked) on the fixture city."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from fixture_city import A_DORM, C1, P1, P2, U1, write_city

from graphkit import rules as models
from graphkit.rules.ledger import Ledger, evidence_links
from graphkit.stores.embedded import EmbeddedStore
from graphkit.widgets import Collusion, Explorer, Risk, Warnings, Workbench
from graphkit.widgets.base import ERROR_STYLE
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
    assert panel.results.value == ("Person", P2) and "拼音一致" in panel.results.options[0][0]
    # what tells namesakes apart is shown, the ID number masked
    assert "1978年生" in panel.results.options[0][0] and P2 not in panel.results.options[0][0]
    assert panel.results.options[0][0].startswith("自然人 · 李娜 · "), panel.results.options[0][0]  # not "Person"
    panel.hops.value = 1
    panel.expand_button.click()
    assert C1 in panel.graph and panel.graph.graph["seed"] == P2
    assert panel.status.value.startswith(f"显示对象 {panel.graph.number_of_nodes()} 个、")
    assert {panel.view.key(n["id"]) for n in panel.view.nodes} == set(panel.graph) and panel.view.replace
    assert all("x" in n for n in panel.view.nodes), "a first view is laid out in Python"
    assert not any(P2 in n["label"] or P2 in n["title"] for n in panel.view.nodes), "keys masked in the view"
    panel.export_format.value = "graphml"
    panel.case.value = "苏纪2024-017"
    panel.export_button.click()
    out = tmp_path / "case" / "李娜_1_度关系.graphml"
    said = panel.status.value
    # one wording for one act: the console's closing line of `graphkit export` (graphkit.rules.words), not
    # 已写入 …（…，案卷号 …）…；个人信息已脱敏 as the Explorer worded it apart
    n, m = panel.graph.number_of_nodes(), panel.graph.number_of_edges()
    wrote = f"已写出 {out}（graphml，案卷号 苏纪2024-017）：{n} 个节点，{m} 条关系；标识已遮蔽"
    assert said == html.escape(wrote), said
    assert nx.read_graphml(out, force_multigraph=True).number_of_edges() == panel.graph.number_of_edges()


def test_click_picks_and_expand_grows_in_place_and_undo(panel):
    panel.query.value = "lina"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    first = set(panel.graph)
    panel.view.picked = panel.view.token(C1)  # a click in the browser sets these two
    panel.view.clicks += 1
    assert panel.results.value == ("Company", C1) and "已选" in panel.status.value
    panel.expand()
    assert set(panel.graph) > first and "围绕" in panel.status.value
    assert not panel.view.replace, "the view grows: nodes already drawn keep their place"
    grown = [n for n in panel.view.nodes if panel.view.key(n["id"]) not in first]
    assert grown and all("x" in n and "y" in n for n in grown)  # placed in Python, clear of the nodes drawn
    panel.undo_button.click()
    assert set(panel.graph) == first and panel.undo_button.disabled


def _drawn_at(view) -> dict:
    """Where the browser draws each node: the position sent with it when it was first drawn (a node kept in place is
    sent again without one)."""
    return {view.key(n["id"]): (n["x"], n["y"]) for n in view.nodes if "x" in n}


def test_an_unfolded_group_is_drawn_clear_of_every_node_and_of_each_other():
    """A folded node's 24 members, unfolded by a click, were drawn in the browser in one ring 90 px round the
    centre, the next twelve 14 px further out at nearly the same angles: on top of each other and of the centre's
    links, their captions one blot. They are placed in Python now, next to where the folded node was, each at
    least 90 px from every node; nothing drawn before moves."""
    from graphkit.widgets.graph import GraphView

    g = nx.MultiDiGraph(seed="S")
    g.add_node("S", label="Person", name="刘瑶", hop=0)
    for i in range(8):
        g.add_node(f"P{i}", label="Person", name=f"亲属{i}", hop=1)
        g.add_edge("S", f"P{i}", type="RELATIVE_OF")
    members = [f"FF{i:04d}" for i in range(24)]
    g.add_node("folded:Benefit", label="Benefit", folded=24, members=members, hop=1)
    g.add_edge("folded:Benefit", "S", type="PAID_TO")
    view = GraphView()
    view.show(g)
    before = _drawn_at(view)
    unfolded = g.copy()
    unfolded.remove_node("folded:Benefit")
    for m in members:
        unfolded.add_node(m, label="Benefit", hop=1)
        unfolded.add_edge(m, "S", type="PAID_TO")
    view.grow(unfolded, origin="folded:Benefit")
    assert not view.replace
    placed = _drawn_at(view)
    assert sorted(placed) == sorted(members), placed  # the others are kept where they were: sent without one
    where = {**{k: v for k, v in before.items() if k in unfolded}, **placed}
    assert sorted(where) == sorted(unfolded) and view.positions == where
    for m in members:
        nearest = min(((where[m][0] - x) ** 2 + (where[m][1] - y) ** 2) ** 0.5 for k, (x, y) in where.items() if k != m)
        assert nearest >= 90, (m, nearest)
    # next to where the folded node was, not across the drawing
    fx, fy = before["folded:Benefit"]
    assert min(((x - fx) ** 2 + (y - fy) ** 2) ** 0.5 for x, y in placed.values()) < 250


def test_a_dense_communitys_company_names_are_drawn_clear_of_each_other():
    """The Collusion tab drew a community of five companies that all bid together with their long names over each
    other ('虎丘茂盛市政工程有限公司' across '虎丘昌裕建设工程有限公司'): the layout spaced the nodes, not their
    captions. Nodes whose captions would overlap are pushed apart before the drawing is sent."""
    import itertools

    from graphkit.widgets.graph import GraphView, caption_width

    g = nx.MultiDiGraph()
    names = [
        "虎丘茂盛市政工程有限公司",
        "虎丘昌裕建设工程有限公司",
        "虎丘泰安市政工程有限公司",
        "虎丘新裕装饰工程有限公司",
    ]
    names += ["虎丘优润建筑工程有限公司", "江苏嘉众贸易有限公司"]
    for i, name in enumerate(names):
        g.add_node(f"C{i}", label="Company", name=name)
    g.add_node("A", label="Address", name="苏州市虎丘区合胜路492号10幢1315室")
    for a, b in itertools.combinations(range(5), 2):
        g.add_edge(f"C{a}", f"C{b}", type="CO_BID")
    for i in range(5):
        g.add_edge(f"C{i}", "A", type="HAS_ADDRESS")
    g.add_edge("C5", "C0", type="CO_BID")
    view = GraphView()
    view.show(g)
    xy, caption = view.positions, {view.key(n["id"]): n["label"] for n in view.nodes}
    assert sorted(xy) == sorted(g), xy
    piled = []
    for a, b in itertools.combinations(xy, 2):
        room = (max(caption_width(caption[a]), 26) + max(caption_width(caption[b]), 26)) / 2
        if abs(xy[a][0] - xy[b][0]) < room and abs(xy[a][1] - xy[b][1]) < 40:
            piled.append((caption[a], caption[b]))
    assert not piled, piled


def test_a_drawing_reads_the_same_in_a_notebooks_text_every_run():
    """A drawing shown by a cell (notebook 01's lead) kept '<graphkit.widgets.graph.GraphView object at 0x7f…>' as
    its text: a memory address, different at every run, so a notebook's text differed between two runs and two
    stores. It says what it draws."""
    from graphkit.widgets.graph import GraphView

    g = nx.MultiDiGraph()
    g.add_node("a", label="Person", name="张伟")
    g.add_node("b", label="Company", name="某某建设有限公司")
    g.add_edge("a", "b", type="SHAREHOLDER_OF")
    view = GraphView()
    view.show(g)
    bundle = view._repr_mimebundle_()
    text = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/plain"]
    assert text == "GraphView(2 nodes, 1 links)", text


def test_a_node_dragged_in_the_browser_is_where_the_next_growth_is_placed_round(panel):
    """A node the user dragged is where Python places the next nodes round it (the browser reports the drop)."""
    panel.query.value = "lina"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    panel.view.moved = {panel.view.token(C1): [5000.0, 5000.0]}
    assert panel.view.positions[C1] == (5000.0, 5000.0)
    first = set(panel.graph)
    panel.view.picked = panel.view.token(C1)
    panel.view.clicks += 1
    panel.expand()
    grown = [xy for k, xy in _drawn_at(panel.view).items() if k not in first]
    assert grown and all(abs(x - 5000) < 800 and abs(y - 5000) < 800 for x, y in grown), grown


def test_relationship_type_toggles_with_counts(panel):
    panel.query.value = "zhangwei"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    names = [b.description for b in panel.type_box.children]
    assert any(d.startswith("亲属 ") for d in names), names  # Chinese names from the model, with counts
    family = next(b for b in panel.type_box.children if b.tooltip == "FAMILY")
    family.value = False
    assert P2 not in {panel.view.key(n["id"]) for n in panel.view.nodes}
    family.value = True
    assert P2 in {panel.view.key(n["id"]) for n in panel.view.nodes}


def test_path_is_explained_hop_by_hop_and_exports_as_pdf(panel, store, tmp_path):
    panel.query.value = "张伟"
    panel.find()
    panel.target.value = "某某建设有限公司"
    panel.path_button.click()
    assert set(panel.graph) >= {P1, P2, C1}
    text = html.unescape(panel.explanation.value)
    # in Chinese, as the tab's other words (graphkit.paths.explain's default)
    assert "〔family.csv 第2行〕" in text and "〔shareholders.csv 第2行〕" in text, text
    panel.case.value = "苏纪2024-017"
    assert panel.export().read_bytes().startswith(b"%PDF"), panel.status.value
    # an English tab explains its path in English: the tab's language reaches the explanation
    en = Explorer(store, out_dir=tmp_path / "case_en", page_size=8, lang="en")
    en.query.value = "张伟"
    en.find()
    en.target.value = "某某建设有限公司"
    en.path_button.click()
    text = html.unescape(en.explanation.value)
    assert "[family.csv line 2]" in text and "[shareholders.csv line 2]" in text, text


def test_a_path_that_fails_is_said_in_chinese_and_leaves_no_hops_of_the_last_one(panel):
    """After a path was shown, a second 'Path' to no one (a masked ID number copied from the list too), to several
    or to the picked entity itself said so in English ('路径 / Path: nothing matches …', '… matches 10 entities
    equally well; give an id', 'source and target are the same entity') and left the first path's hops listed
    under it, as if they led to the new target."""
    panel.query.value = "张伟"
    panel.find()
    panel.target.value = "某某建设有限公司"
    panel.connect()
    assert "〔family.csv 第2行〕" in html.unescape(panel.explanation.value)
    for target, said in (
        ("查无此人", "没有与“查无此人”匹配的对象"),
        ("3205**********0018", "“3205**********0018”是脱敏后的号码，不指向任何对象"),  # copied from the list
        ("住户", "“住户”同样匹配 10 个对象"),
        ("张伟", "“至”栏所指的就是已选中的对象（张伟）"),
        ("孤立", "6 跳以内没有到"),
    ):
        panel.target.value = target
        panel.connect()
        status = html.unescape(panel.status.value)
        assert ERROR_STYLE in panel.status.value and said in status, status
        assert not re.search(r"nothing matches|equally well|source and target", status), status
        assert panel.explanation.value == "", (target, panel.explanation.value)


def test_a_paths_end_among_namesakes_is_named_by_the_handle_the_sentence_gives(tmp_path):
    """'Path' to a name two persons bear asked for 'its ID number', listing the two with their ID numbers masked:
    nothing the investigator could type. The sentence gives each its handle (张伟#1, 张伟#2), and 'To' takes one."""
    import copy

    from fixture_city import TABLES, pid

    tables = copy.deepcopy(TABLES)
    twin = {**tables["household"][0], "公民身份号码": pid("32050819880101009"), "出生日期": "1988-01-01"}
    tables["household"].append(twin)
    s = EmbeddedStore(tmp_path / "c.db")
    try:
        load_dir(write_city(tmp_path / "city", tables), s)
        p = Explorer(s, out_dir=tmp_path / "case")
        p.query.value = "某某建设有限公司"
        p.find()
        p.target.value = "张伟"
        p.connect()
        said = html.unescape(p.status.value)
        assert ERROR_STYLE in p.status.value and "“张伟”同样匹配 2 个对象" in said, said
        assert "张伟#1（自然人" in said and "张伟#2（自然人" in said and "身份证号" not in said, said
        mine = "张伟#1" if "张伟#1（自然人 · 张伟 · 1975年生" in said else "张伟#2"
        p.target.value = mine
        p.connect()
        assert "共 2 跳" in p.status.value and P1 in p.graph, p.status.value
    finally:
        s.close()


def test_a_hub_is_paged(panel):
    panel.query.value = A_DORM
    panel.find()
    panel.hops.value = 1
    panel.expand()
    assert "第 1/4 页" in panel.status.value and not panel.more_button.disabled
    first = set(panel.graph)
    panel.more_button.click()
    assert "第 2/4 页" in panel.status.value and set(panel.graph) != first


def test_names_only_like_the_query_are_never_picked_silently(panel):
    """住户 is a part of ten residents' names (住户0 … 住户9), each as close as the others. The status line said
    '10 entities match '住户' equally well: pick one (birth year, unit and post tell them apart)', as if ten
    entities had that name; it says no entity has it, as it does for one name only like the query."""
    panel.query.value = "住户"
    panel.find()
    assert panel.results.value is None and len(panel.results.options) >= 10
    status = html.unescape(panel.status.value)
    assert "没有名为“住户”的对象" in status and "10 个同样接近（名称包含）" in status, status
    assert "同样匹配" not in status
    panel.expand()
    assert "请先查找并在列表中选中" in panel.status.value


def test_a_surname_alone_is_not_said_to_match_no_one(panel):
    """An investigator typing the surname 李 of 李娜 was told '没有与“李”匹配的对象', as if the store held no 李: a
    single character is never searched, and the line says so and what to give instead."""
    panel.query.value = "李"
    panel.find()
    status = html.unescape(panel.status.value)
    assert "没有与" not in status and "单字“李”不作查找" in status and "完整姓名" in status, status
    assert ERROR_STYLE in panel.status.value


def test_a_phone_search_lists_its_holders_with_the_phone_masked_and_in_chinese(panel):
    """A search by phone lists the phone's holders as 'has phone 13800000001': the mobile in clear in the list,
    the match said in English. It reads '登记电话 138****0001'."""
    panel.query.value = "13800000001"
    panel.find()
    lines = [text for text, _ in panel.results.options]
    assert len(lines) == 2, lines  # the phone and its holder
    assert not any("13800000001" in x for x in lines), lines
    assert sum("登记电话 138****0001" in x for x in lines) == 1, lines
    assert not any("phone" in x for x in lines), lines
    assert "13800000001" not in panel.status.value


def test_a_unit_and_a_place_of_one_name_are_told_apart_by_kind(panel, monkeypatch):
    """A unit's exact name that a place (a GPS stop) also bears said 'pick one in the list (birth year, unit and
    post tell them apart)', words for namesakes that neither has; it says their kind and key tell them apart."""
    from graphkit import search

    tied = pd.DataFrame(
        [
            ("Organization", U1, "苏州市城建局", 1.0, "exact name"),
            ("Place", "PL0000001", "苏州市城建局", 1.0, "exact name"),
        ],
        columns=search.COLUMNS,
    )
    monkeypatch.setattr(search, "find", lambda *a, **k: tied)
    panel.query.value = "苏州市城建局"
    panel.find()
    said = html.unescape(panel.status.value)
    assert "2 个对象与“苏州市城建局”同样匹配" in said and "（类别和编号可区分）" in said, said
    assert "出生年份" not in said and panel.results.value is None


def test_every_mistake_is_said_not_raised(panel):
    panel.export()
    assert "尚无可导出的内容" in panel.status.value
    panel.expand()
    assert "请先查找并在列表中选中" in panel.status.value
    panel.query.value = "  "
    panel.find()
    assert "请先输入姓名" in panel.status.value
    panel.query.value = "查无此人"
    panel.find()
    assert "没有与“查无此人”匹配的对象" in panel.status.value and panel.results.options == ()
    panel.query.value = "张伟"
    panel.find()
    panel.target.value = "孤立"
    panel.connect()
    assert "6 跳以内没有到" in panel.status.value
    panel.target.value = "住户"
    panel.connect()
    said = html.unescape(panel.status.value)
    assert "“住户”同样匹配 10 个对象，无法确定终点" in said and "equally well" not in said, said
    assert "color:#b00020" in panel.status.value


def test_an_action_on_a_closed_store_is_said_in_the_status_line(loaded_city, tmp_path):
    s = loaded_city[1]
    p = Explorer(s, out_dir=tmp_path / "case")
    p.query.value = "张伟"
    p.find()
    s.close()
    p.expand()  # must not raise
    assert "the store is closed" in p.status.value and "color:#b00020" in p.status.value
    p.find()
    assert "the store is closed" in p.status.value


# ------------------------------------------------------------------------------------------- warnings
@pytest.fixture(scope="module")
def ledger_path(store, tmp_path_factory):
    path = tmp_path_factory.mktemp("ledger") / "c.db.ledger.sqlite"
    hits, _ = models.run_all(store)
    with Ledger(path) as led:
        led.record(hits, by="test", links=evidence_links(store, hits))
    return path


def test_the_risk_tab_lists_tied_rows_together_and_names_a_warning_factor_s_warnings(store, ledger_path):
    """The tab cut its top between equal scores (a tied row left out unsaid), showed no place, said a warning
    factor as 未核销红色预警 1 条 (z 6.0) where `rank` and the portrait name its warnings and say 预警计分 6.0."""
    wb = Workbench(store, ledger=ledger_path, who="a", purpose="b")
    r = wb.risk
    r.rank(top=1000)
    every = {x["id"]: x["rank"] for x in r.ranked}
    # a factor of a fact already listed is marked 不另计 (its bar grey), one of a fact a model warned of says the
    # two count once, as the portrait says them (graphkit.portrait_render.fact_notes): the bars had shown two
    # factors of one contract and its warning as three findings
    twice = next(x for x in r.ranked if len({f["family"] for f in x["factors"]}) < len(x["factors"]))
    r.table.value = twice["id"]
    fact = twice["families"]["conflict"][0]
    assert f"；与上列同属“{fact}”一项事实，不另计)" in r.factors.value and "background:#bab0ac" in r.factors.value
    assert "；此项事实另有模型预警，两者只计较大者)" in r.factors.value, r.factors.value
    shared = [k for k in set(every.values()) if list(every.values()).count(k) > 1]
    assert shared, "the fixture has tied rows"
    place = min(shared)
    n = list(every.values()).count(place)
    r.rank(top=place)  # the cut falls on the first of the tied rows
    assert len(r.ranked) == place + n - 1 and [x["rank"] for x in r.ranked][-n:] == [place] * n
    # counted by the kind's word, the rows past the top said to be ties (it read 已评分单位 45 个；列出风险最高的 …)
    said = f"列出风险最高的 {place + n - 1} 个（含与第 {place} 名得分并列者）"
    assert r.status.value.startswith(f"已评分 {len(every):,} 个单位；") and said in r.status.value, r.status.value
    assert all(o[0].startswith(f"{x['rank']:>3}. ") for o, x in zip(r.table.options, r.ranked, strict=True))
    warned = next(x for x in r.ranked if any(f["feature"].startswith("warnings_") for f in x["factors"]))
    r.table.value = warned["id"]
    f = next(f for f in warned["factors"] if f["feature"].startswith("warnings_"))
    assert "（其中 " in f["text"] and f"预警计分 {f['z']:.1f}" in r.factors.value, r.factors.value
    # a count scored from zero, not `1 vs 0` as if compared with the peers' median
    assert "不与同类比较" in f["text"] and f"{f['value']:.0f} 条，不与同类比较 (预警计分" in r.factors.value


def test_the_risk_tab_never_writes_a_portrait_over_an_earlier_one(store, tmp_path):
    """A person's portrait was written to portrait_<masked ID>.html: masked ID numbers coincide (11,500 of a
    20,000-person city share theirs), so a second person's portrait overwrote the first, whose audit record's
    SHA-256 then matched no file. The name is in the file's name, and an existing file is never overwritten."""
    from graphkit.audit import AuditLog, file_digest
    from graphkit.widgets.base import Identity

    log = AuditLog(tmp_path / "a.jsonl")
    # (scored with the Isolation Forest's term, as `rank --iforest 0.5`: the records say so)
    r = Risk(store, out_dir=tmp_path / "case", identity=Identity(audit=log, who="a", purpose="b"), iforest=0.5)
    r.kind.value = "person"
    r.rank()
    r.table.value = r.table.options[0][1]
    first = r.show_portrait()
    second = r.show_portrait()
    assert first is not None and second is not None and first != second and first.exists(), (first, second)
    row = next(x for x in r.ranked if x["id"] == r.table.value)
    assert row["name"] and row["name"] in first.name and r.table.value not in first.name
    recs = [x for x in log.records() if x["command"] == "portrait"]
    assert [x["params"]["sha256"][0] for x in recs] == [file_digest(first)[0], file_digest(second)[0]]
    assert [x["params"].get("iforest") for x in log.records() if x["command"] in ("rank", "portrait")] == [0.5] * 3
    assert "孤立森林" in first.read_text(encoding="utf-8")


def test_warning_status_change_reaches_the_cli_with_who_and_when(store, ledger_path):
    from graphkit.cli import main

    wb = Workbench(store, ledger=ledger_path, who="王科长", purpose="专项检查 2026-01")
    w = wb.warnings
    wid = w.shown()["id"].iloc[0]
    w.table.value = wid
    # the status change named in a case handler's words, its value the ledger's key
    assert w.next_status.options == (("交办核查（核查中）", "dispatched"),) and "已画出证据" in w.status.value
    w.to.value = "第三纪检监察室"
    w.comment.value = "请核查"
    w.apply_button.click()
    assert f"{wid}：待核查 → 核查中，王科长 于 " in w.status.value, w.status.value
    res = CliRunner().invoke(main, ["warnings", "list", "--ledger", str(ledger_path), "--json"])
    assert res.exit_code == 0, res.output
    got = next(x for x in json.loads(res.output) if x["id"] == wid)
    last = got["history"][-1]
    assert got["status"] == "dispatched" and got["assignee"] == "第三纪检监察室"
    assert last["by"] == "王科长" and last["at"] and last["comment"] == "请核查"
    assert {"action": "warnings update", "who": "王科长"}.items() <= next(
        a for a in wb.identity.actions if a["action"] == "warnings update"
    ).items()
    # and the audit log beside the store holds it, with who and why, in a chain that verifies
    recs = [r for r in wb.identity.audit if r["command"] == "warnings update"]
    assert recs and recs[-1]["who"] == "王科长" and recs[-1]["purpose"] == "专项检查 2026-01"
    assert wb.identity.audit.verify().ok
    # the loop's rules are said, not raised
    w.next_status.options = ["rectified"]
    w.apply()
    said = html.unescape(w.status.value)
    assert "现为“核查中”，不能变更为“整改完毕（已整改）”" in said and "color:#b00020" in w.status.value, said


def test_the_tabs_closed_loop_refusals_are_recorded_as_the_command_lines_are(store, ledger_path, tmp_path, monkeypatch):
    """`graphkit warnings update` records a change the closed loop forbids as a refused attempt in the audit log;
    the tab refused it in its status line only, and the log kept no trace of a false positive the tab tried to
    rectify, of a warning changed meanwhile moved on from its old status, or of a viewer's change (which the tab
    even wrote). Each is refused and recorded in the command line's shape: command, who, the warning, the status
    asked, params.refused in the ledger's words, no result."""
    import shutil

    from graphkit.audit import AuditLog, audit_path_for
    from graphkit.cli import main
    from graphkit.widgets.base import Identity

    path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
    log = AuditLog(audit_path_for(f"embedded:{tmp_path / 'c.db'}"))  # the log beside the ledger, as the CLI's
    w = Warnings(store, path, identity=Identity(audit=log, who="王科长", purpose="专项检查"))
    wid, other = [x for x in w.shown()["id"] if w.ledger.get(x)["status"] == "generated"][:2]
    with Ledger(path) as led:  # verified a false positive: the tab still offers 整改完毕
        led.update(wid, status="dispatched", by="王科长", to="第三纪检监察室")
        led.update(wid, status="verified", by="王科长", outcome="false_positive", comment="核查不属实")
    w.refresh()
    w.table.value = wid
    # the loop ends there: nothing is offered (整改完毕 was, and refused whenever applied)
    assert w.next_status.options == () and w.apply_button.disabled and "下一步：无，闭环已完成" in w.status.value
    w.next_status.options = [("整改完毕（已整改）", "rectified")]  # asked all the same: refused by the ledger
    w.next_status.value = "rectified"
    w.apply()
    said = html.unescape(w.status.value)
    assert ERROR_STYLE in w.status.value and "（此次被拒绝的操作已记入审计日志）" in said, said
    assert w.ledger.get(wid)["status"] == "verified"
    tab = log.records()[-1]
    assert (tab["command"], tab["who"], tab["purpose"], tab["result"]) == (
        "warnings update",
        "王科长",
        "专项检查",
        None,
    )
    assert {k: v for k, v in tab["params"].items() if k != "face"} == {
        "warning_id": wid,
        "ledger": str(path),
        "status": "rectified",
        "refused": f"warning {wid} was verified a false_positive: only true positives are rectified",
    }
    # the command line's refusal of the same change: the same record but for the face and the store named
    r = CliRunner().invoke(
        main, ["warnings", "update", wid, "--ledger", str(path), "--status", "rectified", "--by", "王科长"]
    )
    assert r.exit_code == 3, r.output
    cli = log.records()[-1]
    assert cli["command"] == tab["command"] and cli["who"] == tab["who"] and cli["result"] is None
    assert {k: v for k, v in cli["params"].items() if k != "store"} == {
        k: v for k, v in tab["params"].items() if k != "face"
    }
    # changed meanwhile on the command line: the tab's 交办 of a warning now 核查中 is a step the loop forbids
    w.table.value = other
    with Ledger(path) as led:
        led.update(other, status="dispatched", by="李四", to="第一室")
        led.update(other, status="verified", by="李四", outcome="true_positive", comment="属实")
    w.to.value = "第三纪检监察室"
    w.apply()
    said = html.unescape(w.status.value)
    assert "现为“已核实/已排除”，不能变更为“交办核查（核查中）”" in said and "已记入审计日志" in said, said
    tried = log.records()[-1]
    assert tried["params"]["refused"] == f"warning {other} is verified: it cannot become dispatched (next: rectified)"
    assert (tried["params"]["status"], tried["params"]["to"], tried["result"]) == ("dispatched", "第三纪检监察室", None)
    # a viewer's change is refused and recorded, as `warnings update` refuses one (the tab wrote it)
    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    w.refresh()
    w.table.value = other
    w.apply()
    assert w.ledger.get(other)["status"] == "verified" and "查看者" in html.unescape(w.status.value)
    assert log.records()[-1]["params"]["refused"].startswith("a viewer cannot change a warning")
    assert log.verify().ok


def test_a_status_change_missing_what_it_needs_is_said_by_the_panels_own_fields(store, ledger_path, tmp_path):
    """Verify with the verdict left at '—' said 'verifying needs the outcome, one of true_positive, false_positive
    (--outcome)': English, the ledger's keys and a command-line option the panel does not have. Each missing field
    is named as the panel names it, in Chinese, and nothing is written."""
    import shutil

    path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
    w = Warnings(store, path, lang="zh")
    w.identity.who = "王科长"
    wid = next(x for x in w.shown()["id"] if w.ledger.get(x)["status"] == "generated")
    w.table.value = wid

    def said() -> str:
        text = html.unescape(w.status.value)
        assert ERROR_STYLE in w.status.value and not re.search(r"--\w|needs|outcome", text), text
        return text

    w.apply()
    assert "交办需在“交办”栏填写" in said() and w.ledger.get(wid)["status"] == "generated"
    w.to.value = "第三纪检监察室"
    w.apply()
    assert w.ledger.get(wid)["status"] == "dispatched", w.status.value
    w.next_status.value = "verified"
    w.apply()
    assert "核查完毕需在“核查结论”中选择属实或不属实" in said()
    w.outcome.value = "true_positive"
    w.apply()
    assert "核查完毕需在“说明”栏写明查到什么" in said() and w.ledger.get(wid)["status"] == "dispatched"
    w.comment.value = "属实，已移送"
    w.apply()
    assert w.ledger.get(wid)["status"] == "verified" and ERROR_STYLE not in w.status.value, w.status.value


def test_a_warnings_times_are_in_the_readers_zone(store, ledger_path, tmp_path, monkeypatch):
    """The history and the status line gave the ledger's UTC time as stored ('2024-05-01T01:00:00+00:00'): a
    commission in China read a change made at 09:00 as made at 01:00. They read 2024-05-01 09:00:00+08:00, as
    `graphkit audit show` reads its records."""
    import shutil
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
        w = Warnings(store, Ledger(path, clock=lambda: "2024-05-01T01:00:00+00:00"))
        w.identity.who = "王科长"
        wid = next(x for x in w.shown()["id"] if w.ledger.get(x)["status"] == "generated")
        w.table.value = wid
        w.to.value = "第三纪检监察室"
        w.apply()
        assert "王科长 于 2024-05-01 09:00:00+08:00 变更" in w.status.value, w.status.value
        assert "2024-05-01 09:00:00+08:00" in w.detail.value and "T01:00:00" not in w.detail.value, w.detail.value
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def _in_thread(fn):
    """Run ``fn`` on a second thread, as JupyterLab 4.6 runs widget handlers after the first (subshells)."""
    import threading

    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0] if out else None


def test_warnings_picked_in_turn_and_applied_from_another_thread(store, ledger_path, tmp_path):
    """Handlers on another thread than the one that opened the ledger: picks, the change and a portrait
    (which reads the ledger) work, and Apply changes the warning picked last."""
    import shutil

    path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
    wb = Workbench(store, ledger=path, out_dir=tmp_path / "case", who="王科长", purpose="专项检查")
    w = wb.warnings
    first, second = [x for x in w.shown()["id"] if w.ledger.get(x)["status"] == "generated"][:2]

    def drive():
        w.table.value = first
        assert first in w.detail.value, w.status.value
        w.to.value = "第一纪检监察室"
        w.table.value = second
        assert second in w.detail.value and first not in w.detail.value, w.status.value
        assert w.to.value == "", "a field filled for the first warning is not carried to the second"
        w.to.value = "第一纪检监察室"
        return w.apply()

    got = _in_thread(drive)
    assert got is not None and got["id"] == second, w.status.value
    assert w.ledger.get(second)["status"] == "dispatched" and w.ledger.get(first)["status"] == "generated"
    _in_thread(wb.risk.rank)
    assert "列出风险最高的" in wb.risk.status.value, wb.risk.status.value
    wb.risk.table.value = wb.risk.table.options[0][1]
    assert _in_thread(wb.risk.show_portrait) is not None, wb.risk.status.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refusal_is_said_in_the_panels_language(store, ledger_path, tmp_path, monkeypatch, lang):
    """A ledger's refusal (another case officer changed the warning meanwhile) read '状态变更 / Apply: warning W…
    changed meanwhile (it is no longer generated): look again' to a Chinese reader: it is Chinese, under the
    action's Chinese name, and English (as raised) for ``lang="en"``."""
    import shutil

    from graphkit.rules.ledger import LedgerError

    path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
    w = Warnings(store, path, identity=None, lang=lang)
    w.identity.who = "王科长"
    first = next(iter(w.shown()["id"]))
    w.table.value = first
    w.next_status.value = "dispatched"
    w.to.value = "第一监督检查室"

    def update(wid, **kw):
        raise LedgerError(f"warning {wid} changed meanwhile (it is no longer generated): look again")

    monkeypatch.setattr(w.ledger, "update", update)
    assert w.apply() is None and ERROR_STYLE in w.status.value
    if lang == "zh":
        said = f"状态变更：预警 {first} 刚被他人改过（已不是“待核查”）：请重新查看"
    else:
        said = f"Apply: warning {first} changed meanwhile (it is no longer generated): look again"
    assert html.unescape(w.status.value).endswith(f">{said}</span>"), w.status.value


def test_a_failure_is_said_in_the_panels_language():
    """Panel.failed: a refusal the store, search or audit log says, in Chinese; any other error with its own text
    under '… 未能完成'; the English half of the action and the error as raised for ``lang="en"``."""
    from graphkit.audit import viewer_refusal
    from graphkit.widgets.base import Panel

    zh, en = Panel(), Panel()
    en.lang = "en"
    nothing = "nothing matches 'x' (tried name, ID number, credit code, plate, phone and key)"
    assert zh.failed("路径 / Path", nothing).startswith("路径：没有与 'x' 匹配的实体（已按名称")
    assert en.failed("路径 / Path", nothing) == f"Path: {nothing}"
    assert zh.failed("刷新 / Refresh", viewer_refusal("change a warning")).startswith("刷新：查看者（只读角色")
    assert zh.failed("查找 / Find", RuntimeError("store gone")) == "查找未能完成：store gone"
    assert en.failed("查找 / Find", RuntimeError("store gone")) == "Find: store gone"


def test_a_failed_pick_leaves_no_stale_detail_nor_apply(store, ledger_path, tmp_path, monkeypatch):
    import shutil

    path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
    w = Warnings(store, path, identity=None)
    w.identity.who = "王科长"
    first, second = list(w.shown()["id"])[:2]
    before = w.ledger.get(first)["history"]
    w.table.value = first
    assert first in w.detail.value and not w.apply_button.disabled
    real = w.ledger.get

    def get(wid):
        if wid == second:
            raise OSError("disk")
        return real(wid)

    monkeypatch.setattr(w.ledger, "get", get)
    w.table.value = second
    assert "预警未能完成：disk" in w.status.value and w.current is None  # an error of no known kind: its own text
    assert w.detail.value == "" and w.apply_button.disabled and w.view.nodes == []
    assert w.apply() is None and "请先在列表中选一条预警" in w.status.value
    assert w.ledger.get(first)["history"] == before


def test_warnings_table_filters_and_sorts(store, ledger_path):
    w = Warnings(store, ledger_path)
    everything = len(w.shown())
    w.level_filter.value = "red"
    assert set(w.shown()["level"]) <= {"red"} and len(w.table.options) == len(w.shown())
    w.level_filter.value = "(all)"
    w.unit_filter.value = U1
    assert 0 < len(w.shown()) < everything and all(U1 in us for us in w.shown()["units"])
    w.sort.value = "model"
    assert list(w.shown()["model"]) == sorted(w.shown()["model"])


@pytest.fixture()
def ring_ledger(store, ledger_path, tmp_path):
    """The fixture ledger and a bid-rigging warning of the fixture's two bidders on T1 (U1's tender), which names
    the companies and the tender, not the unit: (the ledger's path, the warning's id)."""
    import shutil

    path = shutil.copy(ledger_path, tmp_path / "ring.db.ledger.sqlite")
    hits = models.run(store, "bid_rigging", {"min_tenders": 1, "min_winners": 1})
    assert len(hits) == 1 and "T1" in hits.iloc[0]["entities"] and U1 not in hits.iloc[0]["entities"]
    with Ledger(path) as led:
        led.record(hits, by="test", links=evidence_links(store, hits))
        ring = next(w["id"] for w in led.warnings(model="bid_rigging"))
    return path, ring


def test_the_warnings_tabs_unit_filter_lists_every_warning_its_rank_counts(store, ring_ledger):
    """A bid-rigging warning names the tenders, not the unit that issued them; rank, the portrait and `graphkit
    warnings list --entity` count it for that unit, marked 〔经本单位的招标项目〕, and the Warnings tab filtered by
    the unit left it out (it kept the warnings whose entities name the unit)."""
    from graphkit.risk.features import OWNER_TABLES, warned
    from graphkit.risk.tables import read_tables

    path, ring = ring_ledger
    with Ledger(path, read_only=True) as led:
        warnings = led.warnings()
    counted = {w["id"]: how for e, w, how in warned(warnings, read_tables(store, OWNER_TABLES), "unit") if e == U1}
    assert counted[ring] == "tender"
    w = Warnings(store, path)
    w.unit_filter.value = U1
    assert sorted(w.shown()["id"]) == sorted(counted) and len(w.table.options) == len(counted)
    marked = [v for label, v in w.table.options if "〔经本单位的招标项目〕" in label]
    assert marked == [ring], w.table.options
    assert "其中 1 条所列对象中没有本单位，经本单位的招标项目计入本单位" in w.status.value, w.status.value
    w.unit_filter.value = "(all)"  # unfiltered, no row is marked: it reaches no unit chosen
    assert not any("〔经" in label for label, _ in w.table.options)
    en = Warnings(store, path, lang="en")
    en.unit_filter.value = U1
    assert [v for label, v in en.table.options if "[through the unit's tender] " in label] == [ring]
    assert "1 of them name not the unit but the unit's tender" in html.unescape(en.status.value), en.status.value


def _rank_counts(store, path, kind: str = "unit") -> pd.Series:
    """The warnings `graphkit rank` counts for each entity of ``kind``: the sum of its features warnings_red,
    warnings_orange and warnings_yellow, built from the ledger as rank builds them."""
    from graphkit.risk import GraphFeatures
    from graphkit.risk.tables import read_tables

    with Ledger(path, read_only=True) as led:
        warnings = led.warnings()
    X = GraphFeatures(kind=kind, warnings=warnings).fit_transform(read_tables(store))
    return X[["warnings_red", "warnings_orange", "warnings_yellow"]].sum(axis=1)


def test_the_warnings_tabs_unit_filter_counts_what_rank_counts_for_the_top_unit(store, ledger_path, tmp_path):
    """A warning of the unit verified false (已排除) is not counted by rank, and the tab filtered by the unit listed
    it all the same: its count for the unit was one more than the ranking's. It is listed only under the status
    filter asking for the verified ones, and the status line says it is left out."""
    import shutil

    path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
    wb = Workbench(store, ledger=path, who="王科长", purpose="专项检查")
    wb.risk.rank(top=1)
    top = wb.risk.ranked[0]["id"]
    w = wb.warnings
    w.unit_filter.value = top
    before = list(w.shown()["id"])
    assert len(before) >= 2 and len(before) == _rank_counts(store, path)[top]
    wid = before[0]
    with Ledger(path) as led:  # dispatched, verified a false positive: 已排除
        led.update(wid, status="dispatched", by="王科长", to="第三纪检监察室")
        led.update(wid, status="verified", by="王科长", outcome="false_positive", comment="核查不属实")
    w.refresh()
    counted = int(_rank_counts(store, path)[top])
    assert counted == len(before) - 1
    assert len(w.shown()) == counted and wid not in set(w.shown()["id"]) and len(w.table.options) == counted
    said = html.unescape(w.status.value)
    assert f"显示 {counted} 条" in said and "另有 1 条经核查已排除（不属实），未列出，不计入本单位" in said, said
    w.status_filter.value = "verified"  # asked for: listed, said to count for nothing
    said = html.unescape(w.status.value)
    assert wid in set(w.shown()["id"]) and "其中 1 条经核查已排除（不属实），不计入本单位" in said, said
    w.status_filter.value = "(all)"
    w.unit_filter.value = "(all)"  # the whole ledger lists every warning, the excluded one too
    assert wid in set(w.shown()["id"]) and "已排除" not in html.unescape(w.status.value)
    en = Warnings(store, path, lang="en")
    en.unit_filter.value = top
    said = html.unescape(en.status.value)
    assert len(en.shown()) == counted and "1 more verified a false positive (excluded): not listed" in said, said


def test_the_warnings_tab_reads_its_stores_record_owners_once(ring_ledger, tmp_path):
    """Each Warnings tab opened (a second workbench on the store, a refresh after a change) ran the five risk
    queries of the record owners again (risk/tenders … risk/vehicle_stops). They are read once per store, from the
    copies rank keeps beside it when fresh (read, never written), and again when the store's files change; the
    unit filter's answer is the same as read from the store."""
    import shutil

    from graphkit.risk.features import OWNER_TABLES, record_owners
    from graphkit.risk.tables import read_tables

    path, ring = ring_ledger
    s = EmbeddedStore(tmp_path / "own.db")
    load_dir(write_city(tmp_path / "city"), s)
    ran: list[str] = []
    query = s.query

    def counted(name, *a, **kw):
        ran.append(name)
        return query(name, *a, **kw)

    s.query = counted
    first = Warnings(s, path)
    risk = [q for q in ran if q.startswith("risk/")]
    assert sorted(risk) == sorted(f"risk/{n}" for n in OWNER_TABLES)
    ran.clear()
    second = Warnings(s, path)
    second.refresh()
    assert not [q for q in ran if q.startswith("risk/")], ran
    second.unit_filter.value = U1
    assert ring in set(second.shown()["id"]) and list(second.frame["units"]) == list(first.frame["units"])
    # the store written: its owners are read again
    s.run("MATCH (u:Organization {id: $u}) SET u.name = u.name", u=U1)
    ran.clear()
    Warnings(s, path)
    assert [q for q in ran if q.startswith("risk/")], "the store changed"
    s.close()
    # a fresh copy beside the store (as rank keeps them) is read instead of the queries, and a stale one left alone
    s = EmbeddedStore(tmp_path / "own.db", read_only=True)
    folder = tmp_path / "own.db.risk-cache"
    whole = read_tables(s, OWNER_TABLES, cache=folder)
    fresh = Warnings(s, path)  # a new store object: nothing known of it yet
    assert list(fresh.frame["units"]) == list(first.frame["units"])
    s.close()
    s = EmbeddedStore(tmp_path / "own.db", read_only=True)
    plain = s.query

    def no_risk(name, *a, **kw):
        assert not name.startswith("risk/"), f"{name} run where the copies are fresh"
        return plain(name, *a, **kw)

    s.query = no_risk
    again = Warnings(s, path)
    assert list(again.frame["units"]) == list(first.frame["units"])
    from graphkit.widgets.warnings import owners_of

    assert owners_of(s) == record_owners({k: v for k, v in whole.items() if k in OWNER_TABLES})
    s.close()
    (folder / "stamp.json").write_text('{"stamp": "old"}', encoding="utf-8")
    s = EmbeddedStore(tmp_path / "own.db", read_only=True)
    ran.clear()
    query = s.query
    s.query = counted
    Warnings(s, path)
    assert [q for q in ran if q.startswith("risk/")] and (folder / "stamp.json").read_text() == '{"stamp": "old"}'
    s.close()
    shutil.rmtree(folder)


def test_a_warnings_drawing_says_what_its_counts_count(store, ring_ledger):
    """The tab's status said 对象 6 个、关系 15 条 for a ring whose detail heads 证据关系（2）, and drew a bank
    account and an address beside the two companies and the tender without saying why. It names the warning's
    own entities, the kinds drawn beside them as joining them, and how many of the links the detail lists."""
    path, ring = ring_ledger
    w = Warnings(store, path)
    w.table.value = ring
    n = len(w.ledger.get(ring)["evidence"]["links"])
    assert f"证据关系（{n}）" in w.detail.value
    said = html.unescape(w.status.value)
    drawn = len(w.view.edges)
    assert said.startswith(f"{ring}：已画出证据：预警所列对象 3 个，另有连接这些对象的"), said
    assert "银行账户 1 个" in said and "地址 1 个" in said, said
    assert f"；关系 {drawn} 条，其中 {n} 条即下方“证据关系（{n}）”所列，其余为图中这些对象之间的其他关系" in said, said
    en = Warnings(store, path, lang="en")
    en.table.value = ring
    said = html.unescape(en.status.value)
    assert said.startswith(f"{ring}: evidence drawn: the warning's 3 entities and "), said
    # each kind by the model's English noun (nodes.yaml), not its graph label: it said 1 BankAccount, 1 Address
    assert "1 account" in said and "1 address" in said and not re.search(r"\b[A-Z][a-z]+[A-Z]\w*", said), said
    assert "Address" not in said
    from graphkit.widgets.warnings import _plural

    assert [_plural(k, 2) for k in ("account", "address", "FtM entity", "fuel card")] == [
        "accounts",
        "addresses",
        "FtM entities",
        "fuel cards",
    ]
    assert f"; {drawn} links, {n} of them the evidence links listed below ({n})" in said, said


def test_relative_wins_tender_evidence_is_drawn_with_the_tender(store, ledger_path):
    w = Warnings(store, ledger_path)
    wid = next(x["id"] for x in w.ledger.warnings(model="relative_wins_tender_1hop"))
    w.show(wid)
    drawn = {w.view.key(n["id"]) for n in w.view.nodes}
    assert {P1, P2, C1, "T1"} <= drawn
    # each link's record and the sources line in Chinese, as `graphkit warnings show` says them: the detail said
    # [family.csv:2] and 来源: family.csv:2, … (it passed on any mention of family.csv)
    detail = html.unescape(w.detail.value)
    assert "〔family.csv 第2行〕" in detail and "来源：" in detail and "family.csv:2" not in detail, detail
    assert P1 not in w.detail.value, "ID numbers masked in the detail"
    en = Warnings(store, ledger_path, lang="en")
    en.show(wid)
    # in English as path and the case files write a record ([family.csv line 2]), not the ledger's family.csv:2
    detail = html.unescape(en.detail.value)
    assert "[family.csv line 2]" in detail and "sources: " in detail and "family.csv:2" not in detail, detail


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tab_and_warnings_show_say_a_warnings_links_and_records_by_one_table(store, ledger_path, lang):
    """`graphkit warnings show --lang en` printed each evidence link by its raw type (—WON ¥980,000→) and each
    record as the ledger keeps it ([bids.csv:2]) while the Warnings tab said —won ¥980,000→: two word tables. Every
    link and record of every warning is now said alike by both, in either language, and no type raw."""
    from graphkit.cli import main
    from graphkit.model import Model

    tab = Warnings(store, ledger_path, lang=lang)
    types = {t for t in Model.default().relationships}
    seen = 0
    for wid in tab.frame.drop_duplicates("model")["id"]:  # a warning of each model: each kind of evidence
        tab.show(wid)
        detail = html.unescape(re.sub(r"<[^>]+>", "", tab.detail.value))
        r = CliRunner().invoke(main, ["warnings", "show", wid, "--ledger", str(ledger_path), "--lang", lang])
        assert r.exit_code == 0, r.output
        links = [lk["type"] for lk in tab.ledger.get(wid)["evidence"]["links"]]
        said_tab, said_cli = re.findall(r" —(\S.*?)→ ", detail), re.findall(r" —(\S.*?)→ ", r.output)
        assert len(said_tab) == len(said_cli) == len(links), (wid, said_tab, said_cli, links)
        assert said_tab == said_cli, (wid, said_tab, said_cli)
        assert not {w.split(" ")[0] for w in said_cli} & types, said_cli  # no WON, FAMILY …
        marks = r"〔(.+?)〕" if lang == "zh" else r"\[(\S+ (?:line|lines|row|rows) [\d, ]+)\]"
        assert re.findall(marks, detail) == re.findall(marks, r.output) and ":" not in "".join(
            re.findall(marks, r.output)
        ), (wid, r.output)
        seen += len(links)
    assert seen > 5, seen


def test_without_identity_a_change_is_refused(store, ledger_path):
    wb = Workbench(store, ledger=ledger_path)
    assert wb.tabs.layout.display == "none" and "请填写姓名和事由" in wb.status.value
    wb.start()
    assert "姓名和事由都须填写" in wb.status.value
    wb.who.value, wb.purpose.value = "李主任", "线索核查"
    wb.start()
    assert wb.tabs.layout.display is None and wb.identity.who == "李主任"


def test_a_pick_in_another_tab_opens_in_the_explorer(store, ledger_path):
    wb = Workbench(store, ledger=ledger_path, who="a", purpose="b")
    wb.tabs.selected_index = 2
    wb.selection.pick("Organization", U1, "collusion")
    assert wb.tabs.selected_index == 0 and wb.explorer.results.value == ("Organization", U1)


def test_the_notebooks_name_the_workbenchs_tabs_and_buttons_as_they_read(store, ledger_path):
    """Notebooks 02 and 04 tell the investigator which tab and button to use: by English names and Chinese ones the
    workbench does not show (*Neighbourhood*（关系圈）, *Explorer*（探查）, "三个标签页" of four), so a Chinese
    reader looked for a 关系圈 button. Each one they name in *…* is a tab title or a button as the workbench reads,
    and 02 names its four tabs."""
    from pathlib import Path

    import ipywidgets as W

    wb = Workbench(store, ledger=ledger_path, who="a", purpose="b")
    tabs = [wb.tabs.get_title(i) for i in range(len(wb.tabs.children))]

    def buttons(w):
        yield from [w.description] if isinstance(w, W.Button) else []
        for c in getattr(w, "children", ()):
            yield from buttons(c)

    shown = set(tabs) | set(buttons(wb.widget))
    assert {"关系展开", "路径", "导出", "排名", "开始"} <= shown, shown
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    for name in ("02_relationship_explorer", "04_pre_portrait"):
        cells = json.loads((notebooks / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        # (the title cell's *…* is its English summary); read as JSON: nbformat's validation cost 3 s here
        prose = "\n".join("".join(c["source"]) for c in cells[1:] if c["cell_type"] == "markdown")
        named = re.findall(r"(?<!\*)\*([^*\n]+)\*(?!\*)", prose)
        assert [n for n in named if n not in shown] == [] and (name != "02_relationship_explorer" or named), named
        if name == "02_relationship_explorer":
            assert all(f"*{t}*" in prose for t in tabs), tabs


def test_a_warnings_entities_and_links_name_each_beside_its_masked_key(store, ledger_path):
    """The Warnings tab listed a warning's entities and the ends of its evidence links by key alone ("person
    3205**********0018", "1132…0001A —EMPLOYED_BY→ …"): who they were took a search in the Explorer. Each is now
    named beside its key, the key masked as every face masks it: an ID number never in clear."""
    import re

    from graphkit.model.mask import mask_node_key
    from graphkit.rules.words import model_words_en

    w = Warnings(store, ledger_path, lang="en")
    wid, mid = next((r.id, r.model) for r in w.shown().itertuples() if r.model.startswith("relative_wins_tender"))
    w.table.value = wid
    shown = w.detail.value
    # the model in English words beside its id, as the Chinese detail gives its title (it gave the id alone)
    assert f" · {model_words_en(mid)} ({mid})<br>" in html.unescape(shown), shown
    ents = html.unescape(re.search(r"<summary>entities</summary><ul>(.*?)</ul>", shown).group(1))
    links = html.unescape(re.search(r"source rows</summary><ul>(.*?)</ul>", shown).group(1))
    p1, p2 = mask_node_key("Person", P1), mask_node_key("Person", P2)
    assert f"<li>person 张伟 ({p1})</li>" in ents and f"<li>person 李娜 ({p2})</li>" in ents, ents
    assert f"<li>company 某某建设有限公司 ({C1})</li>" in ents and f"<li>unit 苏州市城建局 ({U1})</li>" in ents, ents
    # with the figures the model used, as warnings show and path write them (the kinship, the share held)
    assert f"<li>张伟 ({p1}) —family (spouse)→ 李娜 ({p2}) " in links, links
    assert f"<li>李娜 ({p2}) —shareholder of 60%→ 某某建设有限公司 ({C1}) " in links, links
    assert P1 not in shown and P2 not in shown and p1 != P1
    # the same in Chinese, the default: the model's nouns and link names
    w = Warnings(store, ledger_path)
    w.table.value = wid
    shown = w.detail.value
    ents = html.unescape(re.search(r"<summary>涉及对象</summary><ul>(.*?)</ul>", shown).group(1))
    links = html.unescape(re.search(r"及来源行</summary><ul>(.*?)</ul>", shown).group(1))
    assert f"<li>自然人 张伟 ({p1})</li>" in ents and f"<li>单位 苏州市城建局 ({U1})</li>" in ents, ents
    assert f"<li>企业 某某建设有限公司 ({C1})</li>" in ents, ents
    assert f"<li>张伟 ({p1}) —亲属·配偶→ 李娜 ({p2}) " in links, links
    assert f"<li>李娜 ({p2}) —股东 60%→ 某某建设有限公司 ({C1}) " in links, links
    assert P1 not in shown and P2 not in shown


def test_a_warnings_detail_says_kinds_and_links_in_the_panels_language_alone(store, ledger_path):
    """Under lang="en" the Warnings tab's detail listed a fuel warning's entities by the truth file's types ("txn",
    "card") and its links by their raw types ("FILLED_AT", "EMPLOYED_BY"), where the model declares English words
    (its nouns, a type in words); under zh it headed the Chinese detail in two languages (涉及对象 / entities).
    Each language now reads its own words alone, as the model names them."""
    import re

    from graphkit.model import Model
    from graphkit.rules.ledger import TYPE_LABELS

    m = Model.default()
    wid = next(x["id"] for x in Ledger(ledger_path).warnings() if "txn" in x["types"] and "card" in x["types"])
    raw = Ledger(ledger_path).get(wid)
    types = sorted({lk["type"] for lk in raw["evidence"]["links"]})
    assert len(types) >= 3 and all(re.fullmatch(r"[A-Z_]+", t) for t in types), types
    for lang in ("en", "zh"):
        w = Warnings(store, ledger_path, lang=lang)
        w.table.value = wid
        shown = html.unescape(w.detail.value)
        heads = re.findall(r"<summary>(.*?)</summary>", shown)
        lists = re.findall(r"</summary><ul>(.*?)</ul>", shown)
        assert len(heads) == 3 and len(lists) == 2, shown
        ents, links = (re.findall(r"<li>(.*?)</li>", x) for x in lists)
        assert len(ents) == len(raw["entities"]) and len(links) == len(raw["evidence"]["links"]), shown
        # each entity headed by the model's noun of its label in the panel's language, never the ledger's type
        for li, t in zip(ents, raw["types"], strict=True):
            assert li.startswith(m.display_name(TYPE_LABELS[t], lang) + " "), (li, t)
        said = {t: m.display_name(t, lang) for t in types}
        for li, lk in zip(links, raw["evidence"]["links"], strict=True):
            assert f" —{said[lk['type']]}" in li and lk["type"] not in li, (li, lk["type"])
        if lang == "en":
            at = raw["types"].index
            assert ents[at("txn")].startswith("fuel transaction ") and ents[at("card")].startswith("fuel card "), ents
            assert not any(re.search(r"[\u4e00-\u9fff]", h) for h in heads), heads
        else:
            assert all(re.search(r"[\u4e00-\u9fff]", h) and not re.search(r"[A-Za-z]", h) for h in heads), heads
            assert not re.search(r"—[^→]*[A-Za-z][^→]*→", "".join(links)), links


def test_the_workbench_risk_tab_counts_the_ledger_warnings(store, ledger_path):
    wb = Workbench(store, ledger=ledger_path, who="a", purpose="b")
    assert wb.risk.warnings == wb.warnings.ledger.warnings(history=True) and wb.risk.warnings
    wb.risk.rank()
    assert wb.risk.ranked and "已评分" in wb.risk.status.value, wb.risk.status.value
    features = {f["feature"] for r in wb.risk.ranked for f in r["factors"]}
    assert any(f.startswith("warnings_") for f in features), features
    alone = Risk(store)
    alone.rank()
    assert alone.warnings is None
    assert not any(f["feature"].startswith("warnings_") for r in alone.ranked for f in r["factors"])
    # the Explorer button only where there is an Explorer tab (notebook 04 shows the panel alone)
    assert alone.open_button.layout.display == "none" and wb.risk.open_button.layout.display != "none"
    # the list's numbers are named above it, in the order a row gives them, in the panel's language alone
    head = alone.heading.value
    assert head.index("风险分") < head.index("得分") < head.index("名称") and alone.heading in alone.widget.children
    head = Risk(store, lang="en").heading.value
    assert head.index("risk") < head.index("score") < head.index("name") and not _CJK.search(head), head


def test_collusion_panel_draws_a_community_without_bid_nodes(store):
    c = Collusion(store)
    c.score()
    if not c.communities.options:
        pytest.skip("the fixture city has no bidder community")
    labels = {n["group"] for n in c.view.nodes}
    assert "Bid" not in labels and "Company" in labels
    assert isinstance(c.scores.tenders, pd.DataFrame)


def test_a_company_clicked_in_collusion_names_the_explorer_tab_only_where_there_is_one(store, ledger_path):
    """Notebook 03 shows the Collusion panel on its own, and a company clicked in it said 'the Explorer tab shows
    it' of a tab that notebook does not have. On its own the panel now says what the drawing knows of the company
    (its risk, bids and wins); in a workbench it names the workbench's Explorer tab too, and its button opens it
    there (test_a_company_clicked_in_collusion_stays_on_collusion_until_opened_in_the_explorer)."""
    from graphkit.widgets.workbench import TAB_TITLES

    alone = Collusion(store)
    alone.score()
    g = alone.view.graph
    assert g is not None and C1 in g, alone.status.value
    alone.view.picked = alone.view.token(C1)  # a click in the browser sets these two
    alone.view.clicks += 1
    said = html.unescape(alone.status.value)
    assert alone.picked == ("Company", C1) and alone.open_button.layout.display == "none"
    assert said.startswith(f"已选 {g.nodes[C1]['name']}：风险 {g.nodes[C1]['risk']:.2f}，投标 1 次，"), said
    assert "Explorer" not in said and "标签页" not in said, said
    shared = next(n for n, a in g.nodes(data=True) if a.get("label") == "Address")
    alone.view.picked = alone.view.token(shared)
    alone.view.clicks += 1
    said = html.unescape(alone.status.value)
    assert "本社区 2 家企业共有的地址" in said and "标签页" not in said, said

    wb = Workbench(store, ledger=ledger_path, who="a", purpose="b")
    wb.collusion.score()
    # the community drawn: the button is grey until a company is clicked, and the sentence above it says so (a
    # user clicked the grey button and nothing happened)
    said = html.unescape(wb.collusion.status.value)
    assert wb.collusion.open_button.disabled, said
    assert said.endswith(f"；点图中的一家企业，再点“在关系图中查看”在{TAB_TITLES['explorer'][0]}标签页中打开它"), said
    wb.collusion.view.picked = wb.collusion.view.token(C1)
    wb.collusion.view.clicks += 1
    said = html.unescape(wb.collusion.status.value)
    assert said.endswith(f"；点“在关系图中查看”在{TAB_TITLES['explorer'][0]}标签页中打开"), said


def test_a_company_clicked_in_collusion_stays_on_collusion_until_opened_in_the_explorer(store, ledger_path):
    """A company clicked in the Collusion drawing switched to the Explorer tab at once, before the sentence the
    click wrote (its risk, bids and wins) could be read. The tab now stays, the sentence stays, and the button
    在关系图中查看 beside it opens the company in the Explorer."""
    wb = Workbench(store, ledger=ledger_path, who="a", purpose="b")
    here = wb.panels.index(wb.collusion)
    wb.tabs.selected_index = here
    wb.collusion.score()
    assert wb.collusion.open_button.disabled and wb.collusion.open_button.layout.display != "none"
    wb.collusion.view.picked = wb.collusion.view.token(C1)
    wb.collusion.view.clicks += 1
    said = html.unescape(wb.collusion.status.value)
    assert wb.tabs.selected_index == here and said.startswith("已选 "), (wb.tabs.selected_index, said)
    assert wb.selection.id == "" and not wb.collusion.open_button.disabled
    wb.collusion.open_button.click()
    assert wb.tabs.selected_index == wb.panels.index(wb.explorer)
    assert (wb.selection.label, wb.selection.id, wb.selection.by) == ("Company", C1, "collusion")
    assert wb.explorer.results.value == ("Company", C1)
    # another community drawn: the company clicked in the old drawing is no longer what the button opens
    wb.collusion.show(wb.collusion.communities.value)
    assert wb.collusion.open_button.disabled and wb.collusion.picked is None


def test_the_collusion_tab_reads_in_chinese(store):
    """The Collusion tab showed the reasons in English and the tender table's columns by their internal names
    (CV, SPD, DIFFP, cover_bids); the reasons are Chinese now, each column named in Chinese beside its key."""
    c = Collusion(store)
    c.score()
    cid = c.communities.value
    assert cid is not None
    assert "共用标识" in c.reasons.value or "共同投标" in c.reasons.value, c.reasons.value
    assert f"社区 community #{cid}" in c.reasons.value
    heads = re.findall(r"<th[^>]*>(.*?)</th>", c.tenders.value)
    assert "变异系数 CV" in heads and "陪标价数 cover_bids" in heads, heads
    assert "理由 reasons" in heads and "risk" not in heads, heads


def test_the_collusion_tabs_tenders_are_named_with_their_winners(store):
    """The tender table listed each tender by its number and its winner by credit code alone (SZZB2023000089,
    91320585MAM5FN3118): an investigator looked each up. Each is named beside its key now, as the Warnings tab
    names a warning's entities."""
    from fixture_city import C1

    c = Collusion(store)
    c.score()
    rows = re.findall(r"<tr>(.*?)</tr>", c.tenders.value)[1:]
    cells = [re.findall(r"<td>(.*?)</td>", r) for r in rows]
    assert cells and cells[0][0] == "人民路改造工程 (T1)", cells
    heads = re.findall(r"<th[^>]*>(.*?)</th>", c.tenders.value)
    winner = cells[0][heads.index("中标人 winner")]
    assert winner == f"某某建设有限公司 ({C1})", winner


def test_hover_texts_of_the_collusion_and_explorer_drawings_read_in_chinese(store, panel):
    """The Collusion drawing's hover texts read 'risk: 0.97 / bids: 8 / wins: 1', 'signal: agent' and, on a link,
    'tenders: 7 weight: 3.1166666666666667'; the Explorer's links 'family.csv line 2'. They read 风险, 投标次数,
    共用标识: 投标代理人, 共同投标标段: 7 权重: 3.12 and 'family.csv 第2行'."""
    c = Collusion(store)
    c.score()
    assert c.communities.value is not None
    tips = [n["title"] for n in c.view.nodes] + [e["title"] for e in c.view.edges]
    assert tips and not any(re.search(r"\b(risk|bids|wins|signal|tenders|weight): ", t) for t in tips), tips
    assert any("投标次数: " in t and "中标次数: " in t for t in tips), tips
    links = [e["title"] for e in c.view.edges if e["title"].startswith("共同投标标段: ")]
    assert links and all(re.fullmatch(r"共同投标标段: \d+ 权重: \d+(\.\d{1,2})?", t) for t in links), links
    panel.query.value = "lina"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    sources = [e["title"] for e in panel.view.edges if ".csv" in e["title"]]
    assert sources and all(re.search(r"^来源〔[^〔〕]+\.csv 第\d+行〕$", t) for t in sources), sources


def test_a_long_community_entry_is_whole_in_the_collusion_list(store):
    """A community's entry (its reasons) was cut at 120 characters and again at the list's edge, with no title
    and no way to read the rest. The list (ListBox) keeps each entry whole: the browser wraps it and shows it as
    the entry's hover title."""
    from graphkit.model.mask import mask_text

    c = Collusion(store)
    c.score()
    cid, r = next(iter(c.scores.communities.iterrows()))
    whole = mask_text(r["reasons"])
    from graphkit.cli.common import width

    assert width(whole) > 120  # display columns (the reasons are Chinese now: a character takes two)
    entry = c.communities.options[0][0]
    assert entry.endswith(whole) and entry.startswith(f"#{cid} · 风险 "), entry
    from graphkit.widgets.listbox import _JS, ListBox

    assert c.communities.labels == [label for label, _ in c.communities.options] and c.communities.label == entry
    # what the browser draws from them: every entry wrapped and titled with its whole text
    assert "item.title = text" in _JS and "white-space:normal" in _JS
    # a Select's Python face: value and index follow each other; new options keep the picked value where they can
    box = ListBox(options=[("a", 1), ("b", 2)])
    assert box.value is None and box.index is None
    box.value = 2
    assert box.index == 1 and box.label == "b"
    box.index = 0
    assert box.value == 1
    box.options = [("c", 3), ("a", 1)]
    assert box.index == 1 and box.value == 1
    box.options = [("d", 4)]
    assert box.value is None and box.index is None
    with pytest.raises(Exception, match="not one of"):
        box.value = 9


def test_identifiers_are_masked_and_every_action_audited(store, tmp_path):
    from graphkit.audit import AuditLog

    log = AuditLog(tmp_path / "audit.jsonl")
    panel = Explorer(store, out_dir=tmp_path / "case", page_size=8, audit=log, by="王科长", purpose="线索核查")
    panel.query.value = "李娜"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    panel.export_format.value = "html"
    panel.case.value = "苏纪2024-017"
    out = panel.export()
    shown = (
        panel.results.options[0][0] + json.dumps(panel.view.nodes, ensure_ascii=False) + out.read_text(encoding="utf-8")
    )
    assert P2 not in shown and P2[:4] + "*" * 10 + P2[-4:] in shown
    assert [r["command"] for r in log] == ["find", "neighbours", "export"] and log.verify().ok
    assert {r["who"] for r in log} == {"王科长"} and not any(r["unmasked"] for r in log)
    clear = Explorer(store, out_dir=tmp_path / "clear", audit=log, unmask=True, reason="立案审查")
    clear.query.value = "李娜"
    clear.find()
    assert P2 in clear.results.options[0][0] and list(log)[-1]["reason"] == "立案审查"
    with pytest.raises(ValueError, match="须给出理由"):
        Explorer(store, unmask=True, audit=log)
    with pytest.raises(ValueError, match="needs a reason"):
        Explorer(store, unmask=True, audit=log, lang="en")


def test_a_viewer_cannot_unmask_in_the_panel(store, monkeypatch, tmp_path):
    """The refusal was English to a Chinese reader (a viewer cannot show identifiers in clear …)."""
    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    with pytest.raises(PermissionError, match=r"^查看者（GRAPHKIT_ROLE=viewer）不能明文显示身份标识（此次被拒绝的操作"):
        Explorer(store, unmask=True, reason="x", audit=None)
    with pytest.raises(PermissionError, match="^a viewer cannot show identifiers in clear"):
        Explorer(store, unmask=True, reason="x", audit=None, lang="en")


def test_risk_ranks_units_with_factor_bars_and_shows_a_portrait(store, tmp_path):
    from graphkit.widgets import Risk

    r = Risk(store, out_dir=tmp_path / "case")
    r.rank()
    assert r.table.options and re.search(r"已评分 [\d,]+ 个单位", r.status.value), r.status.value
    r.table.value = r.table.options[0][1]
    assert "graphkit-factors" in r.factors.value and r.selection.id == ""
    r.open_button.click()
    assert (r.selection.label, r.selection.id, r.selection.by) == ("Organization", r.table.value, "risk")
    out = r.show_portrait()
    assert out is not None and out.exists() and "<iframe srcdoc=" in r.portrait.value, r.status.value
    # the row and the factors say the level the portrait's header says (only the portrait had said it)
    level = {"red": "红色", "orange": "橙色", "normal": "一般"}[r.ranked[0]["level"]]
    assert f"  {level}  " in r.table.options[0][0] and f"（{level}）· 对照组" in r.factors.value, r.factors.value
    assert f"/ 100（{level}）" in out.read_text(encoding="utf-8")


def test_risk_names_the_group_compared_with_in_the_tabs_language(store, tmp_path):
    """The factors' heading said "对照组：同类 政府部门·小规模（…）· its peer group government|small (…)": the English
    half and the group's key under a Chinese heading; each language now reads its own half."""
    from graphkit.widgets import Risk

    for lang, own, other in (("zh", "同类 ", "its peer group"), ("en", "its peer group", "同类")):
        r = Risk(store, out_dir=tmp_path / lang, lang=lang)
        r.rank()
        said = [x["compared_with_words"] for x in r.ranked]
        assert said and all(own in w or "全市" in w or "whole city" in w for w in said), said
        assert not any(other in w for w in said), said
        assert not any("|" in w for w in said), said  # the group in words in English too (it read government|mid)
        r.table.value = r.table.options[0][1]
        assert html.escape(said[0]) in r.factors.value
        # the factors' sentences in the tab's language (under "en" they were the Chinese ones)
        fs = next(x for x in r.ranked if x["id"] == r.table.value)["factors"]
        mine, theirs = ("text", "text_en") if lang == "zh" else ("text_en", "text")
        assert fs and all(html.escape(f[mine]) in r.factors.value for f in fs), r.factors.value
        assert not any(html.escape(f[theirs]) in r.factors.value for f in fs), r.factors.value
        assert ("<th>factor</th>" in r.factors.value) == (lang == "en"), r.factors.value
        # the portrait it writes too: Chinese alone (it had an English line under each Chinese one), English beside
        # it under "en", as `graphkit portrait --lang`
        page = r.show_portrait().read_text(encoding="utf-8")
        assert ("Identity and key personnel" in page) == ("Pre-portrait" in page) == (lang == "en"), lang


def test_risk_changing_the_kind_clears_the_ranking(store, tmp_path):
    """A unit picked and Kind set to person without ranking again: the table is cleared and Portrait disabled
    (it looked the unit's credit code up as an ID number: 'no person with that ID number')."""
    from graphkit.widgets import Risk

    r = Risk(store, out_dir=tmp_path / "case")
    r.rank()
    r.table.value = r.table.options[0][1]
    assert not r.portrait_button.disabled
    r.kind.value = "person"
    assert r.table.options == () and r.table.value is None and r.ranked == []
    assert r.portrait_button.disabled and r.factors.value == "" and "请点“排名”" in r.status.value
    assert r.show_portrait() is None and "请先排名并选中" in r.status.value
    r.rank()
    r.table.value = r.table.options[0][1]
    assert not r.portrait_button.disabled
    r.open_in_explorer()
    assert r.selection.label == "Person"
    assert r.show_portrait() is not None, r.status.value


def test_a_person_opened_from_the_risk_tab_is_named_in_the_explorer(store, ledger_path, tmp_path):
    """A person ranked in the Risk tab by name and opened in Explorer was listed and said as
    '自然人 · 3205**********0018' alone: the name the investigator picked it by was gone. Both name it beside its
    masked key, as the Risk tab does; nothing in clear."""
    wb = Workbench(store, ledger=ledger_path, who="调查员", purpose="初核", out_dir=tmp_path / "case")
    wb.risk.kind.value = "person"
    wb.risk.rank()
    wb.risk.table.value = wb.risk.table.options[0][1]
    wb.risk.open_in_explorer()
    key = wb.selection.id
    name = store.run("MATCH (p:Person {id: $k}) RETURN p.name AS n", {"k": key})["n"].iloc[0]
    (entry, ref), said = wb.explorer.results.options[0], html.unescape(wb.explorer.status.value)
    assert ref == ("Person", key) and f"自然人 · {name} (" in entry, entry
    assert f"选中自然人 {name} (" in said and "点“关系展开”" in said, said
    assert key not in entry and key not in said


def test_graph_tooltips_keep_only_the_birth_year_beside_a_masked_id_number(panel):
    """A masked ID number keeps its last 4 characters: with the whole birth date beside it the number is
    nearly rebuilt, so the hover text of a person keeps the year only, as exports do (mask_record)."""
    import re

    from graphkit.widgets.graph import vis_items

    g = nx.MultiDiGraph()
    g.add_node("411522198207266754", label="Person", name="王某", birth_date="1982-07-26", phone="13812345678")
    (node,), _ = vis_items(g)
    assert "出生日期: 1982" in node["title"] and "07-26" not in node["title"] and "0726" not in node["title"]
    assert "4115**********6754" in node["title"] and "13812345678" not in node["title"]
    (clear,), _ = vis_items(g, unmask=True)
    assert "出生日期: 1982-07-26" in clear["title"]
    # and in the Explorer's drawing of a path (whose nodes carry every property) in the fixture city
    panel.query.value = "张伟"
    panel.find()
    panel.target.value = "某某建设有限公司"
    panel.connect()
    people = [n for n in panel.view.nodes if n["group"] == "Person"]
    assert people and any("出生日期: 19" in n["title"] for n in people)
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", n["title"]) for n in people), [n["title"] for n in people]


def test_a_nodes_hover_text_reads_in_chinese(panel):
    """A node's hover text read 'name: 李娜 / hop: 0 / links: 3 / hub: False', a folded node's began with its
    internal key 'folded:Benefit:…' and listed 'anchors: [...]', a path's nodes 'birth_date: 1978' and
    'src_file: household.csv / src_row: 3'. In Chinese they read 姓名, 距中心层数, 关系数, 出生日期 and
    '来源〔household.csv 第3行〕' (cited as every face cites a record); a folded node says how many rows it holds;
    lang="en" as before."""
    from graphkit.widgets.graph import vis_items

    panel.query.value = "lina"
    panel.find()
    panel.hops.value = 2
    panel.expand()
    tips = [n["title"] for n in panel.view.nodes]
    assert tips and not any(re.search(r"^(name|hop|links|hub|anchors|folded):", t, re.M) for t in tips), tips
    assert any("姓名: 李娜" in t and "距中心层数: 0" in t for t in tips), tips
    assert not any("False" in t or "folded:" in t for t in tips), tips
    g = nx.MultiDiGraph()
    g.add_node("folded:Benefit:FF1", label="Benefit", folded=24, members=["FF1", "FF2"], anchors=[P2], hop=1)
    g.add_node(P2, label="Person", name="李娜", birth_date="1978-01-01", hub=True, src_file="household.csv", src_row=3)
    (folded, person), _ = vis_items(g)
    assert folded["title"].splitlines()[0] == "发放记录 24 条（已归并，点击展开）", folded["title"]
    assert "anchors" not in folded["title"] and P2[:4] not in folded["title"], folded["title"]
    lines = person["title"].splitlines()
    assert "出生日期: 1978" in lines and "来源〔household.csv 第3行〕" in lines, lines
    assert "枢纽（关系过多，分页展开）: 是" in lines, lines
    (_, en), _ = vis_items(g, lang="en")
    assert "birth_date: 1978" in en["title"] and "src_row: 3" in en["title"], en["title"]


def test_find_by_phone_lists_the_phone_and_its_owner(panel, monkeypatch):
    """A phone matches a Phone node (no birth year, unit or post: NaN) and its owner: both listed; a search
    that fails clears the list of the previous one."""
    panel.query.value = "13800000008"
    panel.find()
    lines = [o[0] for o in panel.results.options]
    assert len(lines) == 2 and ERROR_STYLE not in panel.status.value, panel.status.value
    assert lines[0].startswith("电话 · 138****0008") and "nan" not in lines[0] and "年生" not in lines[0]
    assert "孙丽 · 1968年生 · 姑苏区新村村民委员会 · 村委会主任" in lines[1] and panel.results.value[0] == "Phone"
    from graphkit import search

    def broken(*a, **k):
        raise RuntimeError("store gone")

    monkeypatch.setattr(search, "find", broken)
    panel.query.value = "孙丽"
    panel.find()
    assert "查找未能完成：store gone" in panel.status.value
    assert panel.results.options == () and panel.results.value is None


def test_export_writes_what_is_shown_not_the_types_toggled_off(panel, tmp_path):
    """A relationship type switched off is left out of the export, as it is of the drawing and the count."""
    panel.query.value = "zhangwei"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    everything = panel.graph.number_of_edges()
    family = next(b for b in panel.type_box.children if b.tooltip == "FAMILY")
    family.value = False
    shown = len(panel.view.edges)
    assert shown < everything and f"：关系 {shown} 条" in panel.status.value
    panel.export_format.value = "graphml"
    panel.case.value = "苏纪2024-017"
    out = panel.export()
    assert out is not None, panel.status.value
    got = nx.read_graphml(out, force_multigraph=True)
    assert got.number_of_edges() == shown
    assert "FAMILY" not in {a.get("type") for *_, a in got.edges(data=True)}


def test_export_is_a_case_file_with_case_number_exporter_and_audit(store, tmp_path):
    """The Explorer writes case files as ``graphkit export`` does: a case number is required, the exporter is
    the panel's who, the file says both and the masking, the export is in the audit log, and a second export
    of the same view gets a new name instead of overwriting the first."""
    from graphkit.audit import AuditLog

    log = AuditLog(tmp_path / "audit.jsonl")
    p = Explorer(store, out_dir=tmp_path / "case", audit=log, by="王科长", purpose="线索核查")
    p.query.value = "lina"
    p.find()
    p.hops.value = 1
    p.expand()
    p.export_format.value = "json"
    assert p.export() is None and "须有案卷号" in p.status.value and "color:#b00020" in p.status.value
    assert not (tmp_path / "case").exists()
    p.case.value = "  苏纪2024-017 "
    first = p.export()
    assert first is not None and first.name == "李娜_1_度关系.json", p.status.value
    doc = json.loads(first.read_text(encoding="utf-8"))
    meta = doc["graph"]
    assert meta["case"] == "苏纪2024-017" and meta["exported_by"] == "王科长" and meta["masked"] is True
    assert P2 not in first.read_text(encoding="utf-8")
    second = p.export()
    assert second.name == "李娜_1_度关系-2.json" and first.read_text(encoding="utf-8")
    recs = [r for r in log if r["command"] == "export"]
    assert len(recs) == 2 and recs[0]["who"] == "王科长" and recs[0]["purpose"] == "线索核查"
    assert recs[0]["params"]["case"] == "苏纪2024-017" and recs[0]["params"]["files"] == [str(first)]
    assert recs[1]["params"]["files"] == [str(second)] and log.verify().ok
    p.export_format.value = "pdf"
    pdf = p.export()
    assert pdf.read_bytes().startswith(b"%PDF") and "（pdf，案卷号 苏纪2024-017）" in p.status.value


def test_a_pick_in_the_risk_ranking_stays_on_risk_until_opened_in_the_explorer(store, ledger_path, tmp_path):
    """Picking a ranked row shows its factors and enables Portrait on the Risk tab (it switched to the Explorer
    tab, hiding both); the Explorer opens it only on the explicit button."""
    wb = Workbench(store, ledger=ledger_path, out_dir=tmp_path / "case", who="a", purpose="b")
    risk = wb.panels.index(wb.risk)
    wb.tabs.selected_index = risk
    wb.risk.rank()
    assert wb.risk.open_button.disabled
    second, first = wb.risk.table.options[1][1], wb.risk.table.options[0][1]
    wb.risk.table.value = second
    wb.risk.table.value = first
    assert wb.tabs.selected_index == risk and "graphkit-factors" in wb.risk.factors.value
    assert not wb.risk.portrait_button.disabled and not wb.risk.open_button.disabled
    assert wb.risk.show_portrait() is not None and wb.tabs.selected_index == risk, wb.risk.status.value
    wb.risk.open_button.click()
    assert wb.tabs.selected_index == wb.panels.index(wb.explorer)
    assert wb.explorer.results.value == ("Organization", first)


def test_small_graphs_show_every_caption_and_a_legend_of_the_kinds_drawn(panel):
    """A 1-hop neighbourhood's captions are drawn at any zoom (drawThreshold 0 below 200 nodes; 7 hid them at
    the default zoom), and a legend names each kind of node drawn, in the colour it is drawn in."""
    from graphkit.widgets.graph import LABEL_THRESHOLD, GraphView

    panel.query.value = "zhangwei"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    assert panel.view.draw_threshold == 0
    kinds = {k["label"]: k for k in panel.view.legend}
    drawn = {n["group"]: n["color"] for n in panel.view.nodes}
    assert set(kinds) == set(drawn) and all(kinds[g]["color"] == c for g, c in drawn.items())
    assert kinds["Person"]["name"] == "自然人" and sum(k["count"] for k in kinds.values()) >= len(drawn)
    big = nx.MultiDiGraph()
    big.add_nodes_from((f"n{i}", {"label": "Company", "name": f"c{i}"}) for i in range(250))
    view = GraphView()
    view.show(big)
    assert view.draw_threshold == LABEL_THRESHOLD and view.legend[0]["count"] == 250
    view.clear()
    assert view.legend == []


def test_a_private_car_and_a_home_address_are_masked_in_the_panel_and_an_official_car_is_not(store, tmp_path):
    """PIPL: 张伟's private car (苏E·12345) and his home (苏州市姑苏区人民路1号) are masked in the drawing, its hover
    texts, the find list and an export; the unit's official car (苏E·A0001) is in clear, as the store says; the
    address three companies share with 陈刚's home stays masked (a person lives there)."""
    from fixture_city import A_SHARED, C1

    panel = Explorer(store, out_dir=tmp_path / "case", page_size=8)

    def shown() -> str:
        labels = [o[0] for o in panel.results.options]  # what the list shows (its values are the keys)
        return json.dumps([labels, panel.view.nodes, panel.view.edges, panel.status.value], ensure_ascii=False)

    panel.query.value = "张伟"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    assert "苏E·12345" in {str(n) for n in panel.graph}  # drawn, masked
    text = shown()
    assert "12345" not in text and "人民路1号" not in text, text
    assert "苏E·***45" in text and "苏州市姑苏区****" in text
    panel.export_format.value = "graphml"
    panel.case.value = "苏纪2024-017"
    out = panel.export().read_text(encoding="utf-8")
    assert "苏E·***45" in out and "12345" not in out and "人民路1号" not in out
    panel.query.value = "苏E12345"  # typed in full, it is found, and shown masked
    panel.find()
    assert panel.results.value == ("Vehicle", "苏E·12345") and "12345" not in shown()
    panel.query.value = U1
    panel.find()
    panel.expand()
    assert "苏E·A0001" in shown()  # an official car: in clear
    panel.query.value = C1
    panel.find()
    panel.expand()
    assert A_SHARED in set(panel.graph) and A_SHARED not in shown() and "星湖街" not in shown()


def test_buttons_are_disabled_and_the_status_says_what_runs_while_an_action_works(panel, monkeypatch):
    """An investigator sees what runs (a neighbourhood of a city takes seconds) and cannot start another action
    meanwhile, from this thread or another (JupyterLab runs widget handlers on another thread too)."""
    import threading

    from graphkit.widgets import explorer as ex_mod

    real = ex_mod.paths.neighbourhood
    seen = {}

    def slow(*args, **kwargs):
        seen["status"] = panel.status.value
        seen["disabled"] = {b.description: b.disabled for b in panel.buttons()}
        other = threading.Thread(target=panel.find)  # a second action while this one works
        other.start()
        other.join()
        seen["results_after_other"] = panel.results.value
        return real(*args, **kwargs)

    monkeypatch.setattr(ex_mod.paths, "neighbourhood", slow)
    panel.query.value = "lina"
    panel.find()
    panel.query.value = "zhangwei"  # the other thread's find would pick 张伟 instead of 李娜
    panel.hops.value = 1
    panel.expand_button.click()
    assert seen["status"] == "读取关系中 …", seen
    assert seen["disabled"] and all(seen["disabled"].values()), seen["disabled"]
    assert seen["results_after_other"] == ("Person", P2), "the other thread's action did not run"
    assert "显示对象" in panel.status.value
    shown = {b.description: b.disabled for b in panel.buttons()}
    assert shown["查找"] is False and shown["关系展开"] is False and shown["导出"] is False
    assert shown["下一页"] is True, "what the panel asked for while busy is shown once it is done"


def test_a_double_click_on_export_writes_one_case_file(panel, tmp_path, monkeypatch):
    """The second click of a double-click reaches the kernel while the first export works; it is dropped (a
    click sent after the export ended still writes a new file, as a deliberate second export does)."""
    import time
    from datetime import datetime, timedelta

    from graphkit.widgets import explorer as ex_mod

    real = ex_mod.write_case_file

    def slow(*args, **kwargs):
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(ex_mod, "write_case_file", slow)
    panel.query.value = "lina"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    panel.case.value = "苏纪2024-017"
    panel.export_format.value = "json"

    def click(sent):
        msg = {"header": {"date": sent}, "content": {"data": {"method": "custom", "content": {"event": "click"}}}}
        panel.export_button._handle_msg({**msg, "buffers": []})

    t0 = datetime.now(UTC)
    click(t0)
    click(t0 + timedelta(milliseconds=120))  # the double-click's second click, handled after the first
    written = sorted(p.name for p in (tmp_path / "case").iterdir())
    assert written == ["李娜_1_度关系.json"], written
    click((t0 + timedelta(seconds=5)).isoformat())  # a later click: a second file, the first kept
    assert len(list((tmp_path / "case").iterdir())) == 2


def test_a_name_only_like_the_query_is_listed_not_picked(panel):
    """章伟 is not in the city; 张伟 sounds the same. The Explorer listed 张伟 and picked him as "the best one",
    so a Neighbourhood drew another person than the one asked for; now nothing is picked and the status says
    so. A name the query spells (pinyin, 繁體) is still picked."""
    for q in ("章伟", "建设"):  # the same pinyin written otherwise; a part of a company's name
        panel.query.value = q
        panel.find()
        assert panel.results.value is None and len(panel.results.options) == 1, (q, panel.status.value)
        assert f"没有名为“{q}”的对象" in panel.status.value, panel.status.value
    panel.expand()
    assert "请先查找并在列表中选中" in panel.status.value and panel.graph is None
    for q in ("zhangwei", "張偉", "张伟"):
        panel.query.value = q
        panel.find()
        assert panel.results.value is not None and panel.results.value[0] == "Person", (q, panel.status.value)
        assert "已选中最佳匹配" in panel.status.value


def test_each_warning_row_keeps_its_fields_apart(store, ledger_path):
    """The list padded level, status and model with spaces, which align nothing in a proportional font, and
    a model name of 28 characters or more (relative_wins_tender_executive) ran into the summary."""
    w = Warnings(store, ledger_path, lang="en")
    w.frame.loc[w.frame.index[0], "model"] = "relative_wins_tender_executive"
    w._refilter()
    from graphkit.rules.words import model_words_en, status_word

    rows = {wid: label for label, wid in w.table.options}
    for r in w.shown().itertuples():  # the status and the model in words (to be checked; bid rigging, not its id)
        said = f"{r.level} · {status_word(r.status, r.outcome, 'en')} · {model_words_en(r.model)} · "
        assert rows[r.id].startswith(said) and f" · {r.model} · " not in rows[r.id], rows[r.id]
    assert (model_words_en("prisoner_paid"), "prisoner_paid") in w.model_filter.options, w.model_filter.options


def test_each_warning_row_says_its_level_status_and_model_in_chinese(store, ledger_path):
    """Chinese first: 红色 · 待核查 · the model's title · the Chinese summary; the filters name levels, statuses and
    models so, and still filter by the ledger's keys."""
    import re

    from graphkit.rules import get

    w = Warnings(store, ledger_path)
    words = {"red": "红色", "orange": "橙色", "yellow": "黄色"}
    statuses = {"generated": "待核查", "dispatched": "核查中"}  # another test of the module dispatches one
    rows = {wid: label for label, wid in w.table.options}
    for r in w.shown().itertuples():
        title = get(r.model).title_zh.split("：")[0]
        assert rows[r.id].startswith(f"{words[r.level]} · {statuses[r.status]} · {title} · "), rows[r.id]
        assert re.search(r"[\u4e00-\u9fff]", rows[r.id].rsplit(" · ", 1)[1])
    assert ("红色", "red") in w.level_filter.options and ("待核查", "generated") in w.status_filter.options
    title = "服刑（羁押）人员仍领取养老金、工资或救助"
    assert (title, "prisoner_paid") in w.model_filter.options
    w.model_filter.value = "prisoner_paid"
    assert set(w.shown()["model"]) == {"prisoner_paid"} and all(f" · {title} · " in o[0] for o in w.table.options)


def test_each_warning_is_listed_whole_and_a_fuel_card_as_warnings_list_shows_it(store, ledger_path):
    """The list cut a summary at 110 characters (and at the box's edge): the Warnings tab now lists each summary
    whole in a wrapping list and masks it as the command does; an ID number and a fuel card stay masked."""
    from graphkit.model.mask import known_public, mask, mask_data
    from graphkit.widgets.listbox import ListBox

    with Ledger(ledger_path, read_only=True) as led:
        raw = {x["id"]: x for x in led.warnings(history=False)}
    assert max(len(x["summary"]) for x in raw.values()) > 110  # the fixture has summaries the list used to cut
    for lang, col in (("zh", "summary_zh"), ("en", "summary")):  # the Chinese summary first; English when asked
        w = Warnings(store, ledger_path, lang=lang)
        assert isinstance(w.table, ListBox)
        rows = {wid: label for label, wid in w.table.options}
        with known_public(store.public_keys()):  # an official car's plate in clear, as every face shows it
            for wid, x in raw.items():
                want = mask_data({"summary": x[col], "entities": x["entities"], "types": x["types"]})["summary"]
                assert rows[wid].endswith(want), (rows[wid], want)
        cards = [x for x in raw.values() if "card" in x["types"]]
        for x in cards:
            card = x["entities"][x["types"].index("card")]
            assert card not in rows[x["id"]] and (card not in x[col] or mask(card, "card") in rows[x["id"]])
            w.show(x["id"])
            assert card not in w.detail.value


def test_risk_factor_values_read_as_money_and_counts_and_the_city_group_is_named(store, tmp_path):
    """The factor table showed raw floats (980000.0 vs 0.0 for money paid through a chain) and a row compared
    with the whole city said 'compared with *': values read as the factor's sentence reads them (万元, counts
    without decimals) and the comparison group is named (全市 … the whole city) with why."""
    from graphkit.risk.features import FEATURES, format_value

    r = Risk(store, out_dir=tmp_path / "case")
    r.kind.value = "person"
    r.rank()
    fmt = {f.name: f.fmt for f in FEATURES["person"]}
    seen = set()
    for key in [o[1] for o in r.table.options[:5]]:
        r.table.value = key
        row = next(x for x in r.ranked if x["id"] == key)
        for f in row["factors"]:
            if f["feature"].startswith("warnings_"):
                continue
            value, med = (format_value(f[k], fmt[f["feature"]]) for k in ("value", "peer_median"))
            cell = f"{value}，对照组中位数 {med}"  # in Chinese words (it read 98.0 万元 vs 0 元)
            assert html.escape(cell) in r.factors.value, (cell, r.factors.value)
            if fmt[f["feature"]] == "money" and f["value"] >= 1e4:
                assert " 万元，" in cell and f"{f['value']}，" not in r.factors.value
            seen.add(fmt[f["feature"]])
        assert " vs " not in r.factors.value and "取值与对照组中位数" in r.factors.value, r.factors.value
        assert "compared with *" not in r.factors.value
        if row["compared_with"].startswith("全市"):  # why, in the tab's language
            assert "全市" in r.factors.value and "不足" in r.factors.value
    assert "money" in seen and "count" in seen, seen
    assert not any(o[0].endswith(" · *") for o in r.table.options)
    # the group in the tab's language alone (a Chinese list said 全市 whole city)
    assert any(o[0].endswith("全市") for o in r.table.options)
    assert not any("whole city" in o[0] for o in r.table.options), r.table.options
    # English alone under lang="en": `vs` and the money in English words (it read 98.0 万元 vs 0 元 there too)
    en = Risk(store, out_dir=tmp_path / "case_en", lang="en")
    en.kind.value = "person"
    en.rank()
    for key in [o[1] for o in en.table.options[:5]]:
        en.table.value = key
        row = next(x for x in en.ranked if x["id"] == key)
        for f in row["factors"]:
            if f["feature"].startswith("warnings_"):
                continue
            value, med = (format_value(f[k], fmt[f["feature"]], "en") for k in ("value", "peer_median"))
            assert html.escape(f"{value} vs {med}") in en.factors.value, (value, med, en.factors.value)
        assert "万元" not in en.factors.value and "对照组" not in en.factors.value, en.factors.value


def test_an_error_says_which_action_failed_in_the_users_words(panel, store, tmp_path):
    """An error opened with the method's name ('connect failed: nothing matches …', '_filter failed: …'): it
    opens with the action as its button says it, in every panel."""
    panel.query.value = "lina"
    panel.find()
    panel.target.value = "无此人无此单位"
    panel.store = None  # a store gone: an error no step of Path says in its own words
    panel.connect()
    assert ERROR_STYLE in panel.status.value and "路径未能完成：" in panel.status.value, panel.status.value
    assert "connect" not in panel.status.value and "failed" not in panel.status.value
    r = Risk(store, out_dir=tmp_path / "case")
    r.store = None  # a store gone
    r.rank()
    assert "风险排名未能完成：" in r.status.value and "rank failed" not in r.status.value, r.status.value
    r = Risk(store, out_dir=tmp_path / "case", lang="en")
    r.store = None
    r.rank()
    assert "Rank: " in r.status.value and "风险排名" not in r.status.value, r.status.value


def test_a_hub_left_unexpanded_is_named_with_its_code_in_brackets(panel):
    """'hubs not expanded: 11320500MB0000001A (10 links)' named a unit by its code alone: it is named as the
    command line's hubs note names it, 苏州市城建局 (11320500MB0000001A) 10 links."""
    panel.query.value = "zhangwei"
    panel.find()
    panel.hops.value = 2
    panel.expand()
    hubs = {h: n for h, n in panel.graph.graph["hubs"].items() if h != panel.graph.graph["seed"]}
    assert hubs == {U1: 10}, hubs
    assert f"未展开的枢纽节点：苏州市城建局 ({U1}) 10 条" in panel.status.value, panel.status.value


def test_a_communitys_tenders_are_those_where_two_of_its_members_bid(store):
    """A community drawn with 共同投标 ×1 between its two companies was said to bid together in '0 tenders':
    the list took the tenders whose dominant community it was, and that tender's was another. It now lists the
    tenders where two or more of its members bid, as the drawing's co-bid links count them."""
    c = Collusion(store)
    c.score()
    if not c.communities.options:
        pytest.skip("the fixture city has no bidder community")
    bids = c.scores.graph.bids
    # as in the demo city: the tenders where a small community's two members meet are dominated by another
    # community (more of their bidders are there), which is what the tender table's `community` names
    first = c.communities.options[0][1]
    members = set(c.scores.bidders.index[c.scores.bidders["community"] == first])
    met = bids[bids["company"].isin(members)].drop_duplicates(["tender", "company"]).groupby("tender").size()
    met = met.index[met >= 2].intersection(c.scores.tenders.index)
    assert len(met), "the first community bids together somewhere"
    c.scores.tenders.loc[met, "community"] = -1
    for _, community in c.communities.options:
        members = set(c.scores.bidders.index[c.scores.bidders["community"] == community])
        ours = bids[bids["company"].isin(members)].drop_duplicates(["tender", "company"])
        n = int((ours.groupby("tender").size() >= 2).sum())
        c.show(community)
        assert f"；共同投标的标段 {min(n, 30)} 个" in c.status.value, (community, c.status.value)
        from graphkit.evidence import community_graph

        g = community_graph(c.scores, community)
        co = sum(1 for _, _, a in g.edges(data=True) if a.get("type") == "CO_BID")
        assert (co > 0) == (n > 0)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _faces(wb) -> dict[str, str]:
    """Everything a reader of a workbench sees before acting: the tab titles, and each widget's description,
    placeholder, tooltip and HTML text (the Risk tab's heading, the status lines), keyed by where it is."""
    import ipywidgets as W

    seen = {f"tab {i}": wb.tabs.get_title(i) for i in range(len(wb.tabs.children))}
    todo = [wb.widget]
    while todo:
        w = todo.pop()
        todo.extend(getattr(w, "children", ()) or ())
        if isinstance(w, W.ToggleButton):  # the relationship types: the model's names, tested elsewhere
            continue
        for attr in ("description", "placeholder", "tooltip", "value"):
            text = getattr(w, attr, None)
            if attr == "value" and not isinstance(w, W.HTML):
                continue
            if isinstance(text, str) and text:
                seen[f"{type(w).__name__}.{attr}:{text[:40]}"] = re.sub(r"<[^>]+>", " ", html.unescape(text))
    return seen


#: a case number's example (data, written so under either language)
_EXAMPLE = "苏纪2024-017"


def test_every_tab_reads_chinese_alone_on_its_titles_buttons_and_fields(store, ledger_path):
    """The buttons read 评分 Score, 开始 Start, the tab titles 预警 Warnings, the Risk tab's heading 风险分 risk (0-100)
    · 等级 level …: two languages on one face. Chinese is now alone (a button 评分, a tab 预警, a field 模型)."""
    wb = Workbench(store, ledger=ledger_path)
    english = {k: t for k, t in _faces(wb).items() if re.search(r"[A-Za-z]{2,}", t)}
    assert english == {}, english
    assert [wb.tabs.get_title(i) for i in range(4)] == ["查询与关系", "预警", "围标串标", "风险与画像"]
    assert wb.collusion.score_button.description == "评分"
    assert wb.collusion.with_tenders.description == "画出标段"
    assert wb.warnings.apply_button.description == "提交" and wb.warnings.model_filter.description == "模型"
    assert ("最近发现", "last seen") in wb.warnings.sort.options
    assert wb.explorer.find_button.description == "查找" and wb.explorer.target.description == "至"
    assert wb.risk.rank_button.description == "排名" and ("单位", "unit") in wb.risk.kind.options
    assert wb.start_button.description == "开始" and wb.who.description == "姓名"
    assert wb.selection.shown_in == "查询与关系"


def test_every_tab_reads_english_alone_with_lang_en(store, ledger_path):
    """``lang="en"`` keeps every tab's titles, buttons, fields and status lines English alone: the placeholders had
    stayed Chinese (姓名 / 工号, 案件编号或查询事由, 姓名 / pinyin / 身份证号 …), the first status line said
    (案件编号或事由) inside English, and the Risk tab's heading was bilingual."""
    wb = Workbench(store, ledger=ledger_path, lang="en")
    chinese = {k: t for k, t in _faces(wb).items() if _CJK.search(t.replace(_EXAMPLE, ""))}
    assert chinese == {}, chinese
    assert [wb.tabs.get_title(i) for i in range(4)] == ["Explorer", "Warnings", "Collusion", "Risk"]
    assert wb.collusion.score_button.description == "Score" and wb.risk.rank_button.description == "Rank"
    assert wb.explorer.export_button.description == "Export" and wb.start_button.description == "Start"
    assert "say who you are" in wb.status.value and wb.risk.lang == "en"


def test_the_collusion_tab_says_its_status_in_chinese_and_english_with_lang_en(store):
    """The Collusion tab's status lines ('12 communities of two or more companies, …', 'picked …: risk 0.85, 1 bid,
    1 won', 'community #3: …') and its list entries ('#3 · risk 0.85 · 2 companies') were English."""
    zh, en = Collusion(store), Collusion(store, lang="en")
    for c in (zh, en):
        c.score_button.click()
    said = html.unescape(zh.status.value)
    assert said.startswith(f"社区 #{zh.communities.value}：企业 ") and "共同投标的标段" in said, said
    assert re.match(r"#\d+ · 风险 [\d.]+ · \d+ 家企业 · ", zh.communities.options[0][0])
    assert "communities" not in said and "companies" not in zh.communities.options[0][0]
    said = html.unescape(en.status.value)
    assert said.startswith(f"community #{en.communities.value}: ") and "tenders where it bids together" in said
    assert re.match(r"#\d+ · risk [\d.]+ · \d+ companies · ", en.communities.options[0][0])
    for c in (zh, en):
        c.view.picked = c.view.token(C1)
        c.view.clicks += 1
    assert html.unescape(zh.status.value).startswith("已选 ") and "投标 1 次" in html.unescape(zh.status.value)
    assert html.unescape(en.status.value).startswith("picked ") and ", 1 bid, " in html.unescape(en.status.value)
    zh.picked = en.picked = None
    zh.open_in_explorer()
    en.open_in_explorer()
    assert "请先在图中点选一家企业" in zh.status.value and "click a company in the drawing first" in en.status.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_warnings_status_lines_are_chinese_and_english_with_lang_en(store, ledger_path, tmp_path, lang):
    """The Warnings tab said 'N of M warnings shown', 'W…: 5 entities and 4 links of evidence drawn; next:
    dispatched' and 'generated → dispatched by 王科长 at …' to a case handler who reads 待核查 → 核查中 everywhere
    else. Each language on a copy of the ledger of its own (a test per language: the English half ran only where
    the Chinese one passed)."""
    import shutil

    path = shutil.copy(ledger_path, tmp_path / f"{lang}.db.ledger.sqlite")
    w = Warnings(store, path, lang=lang)
    w.identity.who = "王科长"
    n = len(w.frame)
    shown = html.unescape(w.status.value)
    assert shown == (f"显示 {n} 条，共 {n} 条预警" if lang == "zh" else f"{n} of {n} warnings shown"), shown
    wid = next(x for x in w.shown()["id"] if w.ledger.get(x)["status"] == "generated")
    w.table.value = wid
    said = html.unescape(w.status.value)
    if lang == "zh":
        assert said.startswith(f"{wid}：已画出证据：预警所列对象 ") and said.endswith("下一步：交办核查（核查中）"), (
            said
        )
    else:
        assert said.startswith(f"{wid}: evidence drawn: the warning's ") and said.endswith(
            "; next: dispatch for checking (being checked)"
        ), said
    w.to.value = "第三纪检监察室"
    w.apply_button.click()
    said = html.unescape(w.status.value)
    if lang == "zh":
        assert said.startswith(f"{wid}：待核查 → 核查中，王科长 于 ") and said.endswith(" 变更"), said
    else:
        # in words, as the Chinese (it said generated → dispatched, the ledger's keys)
        assert f"{wid}: to be checked → being checked by 王科长 at " in said, said
        assert ("being checked", "dispatched") in w.status_filter.options, w.status_filter.options
        assert dict(w.next_status.options) == {
            "dispatch for checking (being checked)": "dispatched",
            "checking done (confirmed / excluded)": "verified",
        }, w.next_status.options
        hist = re.findall(r"<td>(.*?)</td>", html.unescape(w.detail.value))
        assert "— → to be checked" in hist and "to be checked → being checked" in hist, hist
        assert not {"generated", "dispatched", "verified"} & set(" ".join(hist).split()), hist


def test_the_explorer_and_risk_say_their_status_in_english_with_lang_en(store, tmp_path):
    """What the Explorer and the Risk tab said before (English) is what they say with ``lang="en"``."""
    p = Explorer(store, out_dir=tmp_path / "case", lang="en")
    p.export()
    assert "nothing shown yet" in p.status.value
    p.query.value = "lina"
    p.find()
    assert "the best one is picked" in p.status.value
    assert p.results.options[0][0].startswith("Person · "), p.results.options
    p.hops.value = 1
    p.expand()
    assert p.status.value.startswith(f"{p.graph.number_of_nodes()} entities, ") and "page 1 of 1" in p.status.value
    p.case.value = "苏纪2024-017"
    p.export_format.value = "json"
    out = p.export()
    assert p.status.value.startswith(html.escape(f"wrote {out} (json, case 苏纪2024-017)")), p.status.value
    assert p.status.value.endswith("identifiers masked")
    assert p.title == "李娜: 1-hop neighbourhood" and out.name == "李娜_1-hop_neighbourhood.json"  # as before
    r = Risk(store, out_dir=tmp_path / "case", lang="en")
    r.rank()
    assert "units scored; the" in r.status.value and "riskiest listed" in r.status.value, r.status.value
    r.kind.value = "person"
    assert "Kind is person: press Rank" in r.status.value


def test_the_explorers_neighbourhood_is_titled_in_chinese_in_its_case_file_and_file_name(store, tmp_path):
    """The Explorer titled a neighbourhood "李娜: 1-hop neighbourhood", and its case file carried that English in
    its header and its file name, where ``graphkit export`` says ``1 度关系``."""
    p = Explorer(store, out_dir=tmp_path / "case", by="王科长")
    p.query.value = "lina"
    p.find()
    p.hops.value = 1
    p.expand()
    assert p.title == "李娜：1 度关系", p.title
    p.case.value = "苏纪2024-017"
    p.export_format.value = "json"
    out = p.export()
    assert out.name == "李娜_1_度关系.json" and json.loads(out.read_text(encoding="utf-8"))["graph"]["subject"] == (
        "李娜：1 度关系"
    )


def test_a_warning_recorded_with_no_evidence_link_says_so_in_the_tab(store, tmp_path):
    """A warning of a ledger written before its model named what it counts (e09af6f: direct_award_share,
    hotline_manipulation) has no evidence link: the tab drew its unit alone with no word of why. The detail and
    the status line now say it was recorded by an older version and to run the models again."""
    hits, _ = models.run_all(store)
    old = tmp_path / "old.ledger.sqlite"
    with Ledger(old) as led:
        led.record(hits, by="test")  # no links: as an older version recorded them
    w = Warnings(store, old)
    w.table.value = w.shown()["id"].iloc[0]
    note = "此预警记录于旧版本，证据中没有关系：请重新运行 graphkit models run 补全证据"
    assert note in html.unescape(w.detail.value) and note in w.status.value
    current = tmp_path / "new.ledger.sqlite"
    with Ledger(current) as led:
        led.record(hits, by="test", links=evidence_links(store, hits))
    w = Warnings(store, current)
    w.table.value = w.shown()["id"].iloc[0]
    assert "旧版本" not in w.detail.value and "旧版本" not in w.status.value


def test_the_explorers_records_name_the_persons_it_showed(store, tmp_path):
    """The Explorer's records named the entity picked and how many nodes came back: a person seen as a neighbour
    or written into a case file was in no record, so ``audit show --about`` could not say who saw them. The
    find, neighbourhood, path and export records name the persons shown (``params.persons``), as the CLI's do."""
    from fixture_city import U1

    from graphkit.audit import AuditLog

    log = AuditLog(tmp_path / "audit.jsonl")
    panel = Explorer(store, out_dir=tmp_path / "case", page_size=8, audit=log, by="王科长")
    panel.query.value = U1
    panel.find()
    panel.hops.value = 1
    panel.expand()
    panel.export_format.value = "json"
    panel.case.value = "苏纪2024-017"
    panel.export()
    recs = {r["command"]: r["params"] for r in log}
    assert recs["find"]["persons"] == []  # the unit alone was found
    assert P1 in recs["neighbours"]["persons"] and recs["export"]["persons"] == recs["neighbours"]["persons"]
    assert all(p.isalnum() and len(p) == 18 for p in recs["neighbours"]["persons"])


def test_a_find_with_no_match_keeps_the_entity_drawn_picked(panel):
    """A Find with no match emptied the list while the graph still showed 李娜: Path and Neighbourhood then said
    "请先查找并在列表中选中一个对象" beside her drawing. She stays picked, and the status line says so."""
    panel.query.value = "lina"
    panel.find()
    panel.hops.value = 1
    panel.expand()
    panel.query.value = "查无此人"
    panel.find()
    said = html.unescape(panel.status.value)
    assert "没有与“查无此人”匹配的对象" in said and "仍选中图中的" in said and "李娜" in said, said
    assert panel.results.value == ("Person", P2) and len(panel.results.options) == 1
    panel.target.value = "张伟"
    panel.connect()
    assert "请先查找并在列表中选中" not in panel.status.value
    panel.expand()
    assert panel.graph.graph["seed"] == P2 and "请先查找并在列表中选中" not in panel.status.value
    # a list awaiting a pick says that the entity drawn is no longer picked
    panel.query.value = "住户"
    panel.find()
    assert panel.results.value is None and "已不再选中" in html.unescape(panel.status.value)


def test_a_portrait_from_the_risk_tab_carries_the_case_number_the_purpose_holds(store, ledger_path, tmp_path):
    """A portrait opened from the Risk tab said "未编案卷号" although the workbench's 事由 held a case number; it now
    reads it as the Explorer's export does (its 案卷号 filled from the same purpose), with who made it."""
    from graphkit.audit import AuditLog

    log = AuditLog(tmp_path / "audit.jsonl")
    wb = Workbench(store, ledger=Ledger(ledger_path), out_dir=tmp_path / "case", audit=log)
    wb.who.value, wb.purpose.value = "王科长", "苏纪2024-017 初核"
    wb.start()
    assert wb.explorer.case.value == "苏纪2024-017"
    wb.risk.rank()
    wb.risk.table.value = wb.risk.table.options[0][1]
    out = wb.risk.show_portrait()
    page = out.read_text(encoding="utf-8")
    assert "案卷号 苏纪2024-017" in page and "未编案卷号" not in page and "王科长" in page
    assert [r for r in log if r["command"] == "portrait"][-1]["params"]["case"] == "苏纪2024-017"
    # a purpose in words names no case number: the export still asks for one
    words = Workbench(store, ledger=Ledger(ledger_path), out_dir=tmp_path / "case", who="王科长", purpose="线索核查")
    assert words.explorer.case.value == ""


def test_after_a_dispatch_the_status_change_is_blank_for_the_next_step(store, ledger_path, tmp_path):
    """After 交办 the form kept the assignee and the comment's step, and 核查结论 showed nothing selected (a
    Dropdown whose value is None has no index, and the browser draws it empty). The form is reset to the warning's
    next step: 核查完毕 offered, no assignee, the verdict at "—" (index 0), no comment; and a warning picked next
    starts blank too."""
    import shutil

    path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
    w = Warnings(store, path, lang="zh")
    w.identity.who = "王科长"
    assert w.outcome.index == 0 and w.outcome.get_state("index")["index"] == 0
    first, second = [x for x in w.shown()["id"] if w.ledger.get(x)["status"] == "generated"][:2]
    w.table.value = first
    w.to.value, w.comment.value = "第三纪检监察室", "请核查"
    w.apply()
    assert w.ledger.get(first)["status"] == "dispatched", w.status.value
    # the next step, not 交办 again (still offered)
    assert w.next_status.value == "verified" and w.next_status.label == "核查完毕（已核实/已排除）"
    assert [v for _, v in w.next_status.options] == ["dispatched", "verified"]
    assert (w.to.value, w.comment.value, w.outcome.value) == ("", "", "")
    assert w.outcome.get_state("index")["index"] == 0 and w.outcome.options[0][0] == "—"
    w.to.value = "第二纪检监察室"
    w.outcome.value = "true_positive"
    w.table.value = second
    assert w.next_status.value == "dispatched" and (w.to.value, w.outcome.value) == ("", "")


def test_finds_pick_one_of_the_namesakes_is_an_instruction_not_an_error(panel, monkeypatch):
    """Find's "pick one of the namesakes" showed in red, as if the search had failed: it tells what to do next."""
    from graphkit import search

    find = search.find
    tied = pd.DataFrame(
        [("Person", P1, "张伟", 1.0, "exact name"), ("Person", P2, "张伟", 1.0, "exact name")], columns=search.COLUMNS
    )
    monkeypatch.setattr(search, "find", lambda store, q, **k: tied if q == "张伟" else find(store, q, **k))
    panel.query.value = "张伟"
    panel.find()
    said = html.unescape(panel.status.value)
    assert "个对象与“张伟”同样匹配：请在列表中选一个" in said and panel.results.value is None, said
    assert ERROR_STYLE not in panel.status.value
    panel.query.value = "查无此人"  # a search that finds nothing is still said in red
    panel.find()
    assert ERROR_STYLE in panel.status.value


@pytest.mark.parametrize(("start", "end"), [("张伟", "某某建设有限公司"), ("某某建设有限公司", "张伟")])
def test_a_path_is_drawn_from_its_start_on_the_left(panel, start, end):
    """A path was drawn right to left, the start person on the right, reversing the numbered explanation above it.
    Either way round, the start is drawn leftmost and the end level with it, rightmost."""
    panel.query.value = start
    panel.find()
    panel.target.value = end
    panel.connect()
    assert "跳" in panel.status.value and panel.explanation.value, panel.status.value
    a, b = (
        panel.results.value[1],
        next(
            n
            for n in panel.graph
            if panel.graph.in_degree(n) + panel.graph.out_degree(n) == 1 and n != panel.results.value[1]
        ),
    )
    at = _drawn_at(panel.view)
    assert sorted(at) == sorted(panel.graph)
    xs = sorted(x for x, _ in at.values())
    assert at[a][0] == xs[0] and at[b][0] == xs[-1] and xs[0] < xs[-1], at
    assert abs(at[a][1] - at[b][1]) < 1e-6, at
    # and so is the case file exported from it (the exported drawing had kept its own layout, any way round)
    panel.case.value = "苏纪2024-017"
    panel.export_format.value = "html"
    page = panel.export().read_text("utf-8")
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)[1])
    x = {n["label"]: n["x"] for n in nodes}
    assert x[start] == min(x.values()) and x[end] == max(x.values()) and x[start] < x[end], x


def test_a_warnings_times_are_in_the_browsers_zone_where_the_kernel_runs_in_utc(
    store, ledger_path, tmp_path, monkeypatch
):
    """On a server whose kernel runs in UTC, the history read '2024-05-01 01:00:00+00:00' to a reader in China. The
    browser reports its zone (GraphView.zone) and the tab says the times in it, with its offset; its arrival
    rewrote the whole warning, a second ``warnings show`` in the audit log and the drawing redrawn. Before it (or
    for a zone this machine does not know) the office's zone (GRAPHKIT_TZ: UTC here, to tell the two apart)."""
    import shutil
    import time

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("GRAPHKIT_TZ", "UTC")
    time.tzset()
    try:
        path = shutil.copy(ledger_path, tmp_path / "c.db.ledger.sqlite")
        w = Warnings(store, Ledger(path, clock=lambda: "2024-05-01T01:00:00+00:00"))
        w.identity.who = "王科长"
        wid = next(x for x in w.shown()["id"] if w.ledger.get(x)["status"] == "generated")
        w.table.value = wid
        w.to.value = "第三纪检监察室"
        w.apply()
        assert "2024-05-01 01:00:00+00:00" in w.detail.value  # no zone reported yet: the office's
        shown = [r for r in w.identity.actions if r["action"] == "warnings show"]
        drawn = w.view.graph
        w.view.zone = "Asia/Shanghai"  # as the browser reports it on drawing
        assert "2024-05-01 09:00:00+08:00" in w.detail.value and "+00:00" not in w.detail.value, w.detail.value
        # the zone's arrival rewrites the times only: no second audit record of one reading, the drawing kept
        assert [r for r in w.identity.actions if r["action"] == "warnings show"] == shown
        assert w.view.graph is drawn
        w.next_status.value = "dispatched"
        w.to.value = "第二纪检监察室"
        w.apply()
        assert "王科长 于 2024-05-01 09:00:00+08:00 变更" in w.status.value, w.status.value
        w.view.zone = "Not/AZone"  # a zone this machine does not know: the office's
        assert "2024-05-01 01:00:00+00:00" in w.detail.value
    finally:
        monkeypatch.delenv("TZ")
        monkeypatch.delenv("GRAPHKIT_TZ")
        time.tzset()


def test_an_english_face_names_a_contract_by_its_amount_in_english(store, ledger_path):
    """A contract is named by its amount beside its key (:func:`graphkit.viz.named_keys`), which wrote the amount
    in Chinese under ``lang="en"`` too: ``98.0 万元 (K1)`` in the English Warnings tab and `warnings show --lang
    en`. The English face now writes it as English money does (``¥980,000 (K1)``), the Chinese one as before."""
    from graphkit.model import money
    from graphkit.viz import named_keys

    # named by its title and its amount (contracts.csv's 合同名称 is its caption)
    title = "人民路改造工程施工合同"
    assert named_keys(store, ["K1"])["K1"] == f"{title} {money(980000, 'CNY', 'zh')} (K1)" == f"{title} 98.0 万元 (K1)"
    en = named_keys(store, ["K1"], lang="en")["K1"]
    assert en == f"{title} {money(980000, 'CNY', 'en')} (K1)" == f"{title} ¥980,000 (K1)"
    tab = Warnings(store, ledger_path, lang="en")
    details = []
    for wid in tab.shown()["id"]:
        tab.table.value = wid
        details.append(html.unescape(tab.detail.value))
    assert any("(K1)" in d for d in details), "no warning of the fixture names the contract"
    assert not any("万元" in d for d in details), [d for d in details if "万元" in d][0]
