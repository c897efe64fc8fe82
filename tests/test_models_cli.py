"""The investigator's command line: models list/run into the ledger, warnings list/show/update across
restarts, find, path and neighbours — run as a user runs them, on the fixture city plus one single-bid
tender (T2: an open tender of 苏州市城建局 with one bid, from 苏州丙丁建材有限公司, which won it)."""

from __future__ import annotations

import copy
import json
import re

import pytest
from click.testing import CliRunner
from fixture_city import C3, P1, P2, TABLES, U1, write_city

from graphkit.cli import main
from graphkit.rules import catalog
from graphkit.rules.ledger import Ledger, warning_id


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    tables = copy.deepcopy(TABLES)
    tables["tenders"].append(
        {
            "tender_id": "T2",
            "title": "办公楼维修",
            "unit_id": U1,
            "method": "open",
            "budget": "2000000",
            "publish_date": "2024-03-01",
            "close_date": "2024-03-25",
            "category": "工程",
        }
    )
    tables["bids"].append(
        {**tables["bids"][0], "bid_id": "B3", "tender_id": "T2", "credit_code": C3, "price": "1500000", "agent_id": ""}
    )
    city = write_city(root / "city", tables)
    spec = f"embedded:{root / 'c.db'}"
    r = run("load", str(city), "--store", spec)
    assert r.exit_code == 0, r.output
    return spec


@pytest.mark.parametrize(
    "cmd",
    [
        ["models"],
        ["models", "list"],
        ["models", "run"],
        ["warnings"],
        ["warnings", "list"],
        ["warnings", "show"],
        ["warnings", "update"],
        ["find"],
        ["path"],
        ["neighbours"],
    ],
)
def test_every_command_has_help(cmd):
    r = run(*cmd, "--help")
    assert r.exit_code == 0 and "用法:" in r.output


def test_models_list_shows_the_catalogue():
    r = run("models", "list")
    assert r.exit_code == 0
    assert r.output.strip().endswith(f"共 {len(catalog())} 个模型")
    assert "single_bid_tender" in r.output and "公开招标仅一家投标即授标" in r.output
    # each level rule in Chinese, where a Chinese reader met 'level: red when the budget is at least big_budget'
    assert "分级：红色：预算不低于 big_budget；其余为橙色" in r.output and "level:" not in r.output, r.output
    en = run("models", "list", "--lang", "en")
    assert "level: red when the budget is at least big_budget; orange otherwise" in en.output
    assert en.output.strip().endswith(f"{len(catalog())} models")
    # in English alone: each title had its Chinese before it (single_bid_tender 公开招标仅一家投标即授标  A tender …)
    titles = [ln for ln in en.output.splitlines() if ln[:1].strip()][:-1]
    assert titles == [f"{m.id:<32}{m.title_en}" for m in catalog()], titles[:3]
    listed = json.loads(run("models", "list", "--json").output)
    assert [m["id"] for m in listed] == [m.id for m in catalog()]
    assert {"id", "title_zh", "title_en", "params", "level", "level_zh", "scheme"} <= set(listed[0])


def test_models_list_says_the_value_of_every_parameter_a_level_rule_names():
    """``分级：红色：预算不低于 big_budget`` named a threshold and no command said how much it is (README: "the
    collision models, their parameters and level rules"): each model's parameters follow its rule, with their
    defaults, in the console's language."""
    import re

    for lang, head in (("zh", "参数（默认值）："), ("en", "parameters (defaults): ")):
        lines = run("models", "list", "--lang", lang).output.splitlines()
        for m in (m for m in catalog() if m.params):  # a model with none (fuel_private_plate) has no such line
            at = next(i for i, ln in enumerate(lines) if ln.startswith(f"{m.id} "))
            said = lines[at + 2].strip()
            assert said.startswith(head), (m.id, said)
            values = dict(kv.split("=", 1) for kv in re.split("、|, ", said.removeprefix(head)))
            assert list(values) == list(m.params), (m.id, said)
            for name in re.findall(r"[a-z]+(?:_[a-z]+)+", m.level_zh or ""):
                if name in m.params:
                    d = m.params[name]["default"]
                    want = "/".join(map(str, d)) if isinstance(d, list) else str(d)
                    assert values[name].replace(",", "") == want, (m.id, name, values[name], d)
    assert "big_budget=1,000,000" in run("models", "list").output


def test_every_models_level_rule_in_chinese_says_the_levels_and_parameters_of_its_english():
    """A level rule's Chinese must say what its English says: the same levels (红色 red, 橙色 orange, 黄色
    yellow) and the same parameters, so a changed threshold in one is not left behind in the other."""
    import re

    words = {"red": "红色", "orange": "橙色", "yellow": "黄色"}
    for m in catalog():
        assert m.level_zh, f"{m.id}: no level_zh"
        said = {words[w] for w in re.findall(r"\b(red|orange|yellow)\b", m.level)}
        assert said == set(re.findall("红色|橙色|黄色", m.level_zh)), (m.id, m.level, m.level_zh)
        params = set(m.params)
        assert {p for p in params if p in m.level} == {p for p in params if p in m.level_zh}, m.id


def test_run_twice_then_walk_the_loop_across_restarts(store):
    wid = warning_id("single_bid_tender", "T2")
    first = run("models", "run", "--store", store, "--model", "single_bid_tender", "--by", "系统")
    assert first.exit_code == 0, first.output
    assert "新预警 1 条，再次命中 0 条" in first.output
    # each model by its Chinese title beside its id (the table was headed model hits seconds)
    assert re.search(r"^公开招标仅一家投标即授标\S*\s+single_bid_tender\s+1\s+[\d.]+$", first.output, re.M), (
        first.output
    )
    again = run("models", "run", "--store", store, "--model", "single_bid_tender", "--by", "系统")
    assert "新预警 0 条，再次命中 1 条" in again.output and "共有预警 1 条" in again.output
    english = run("models", "run", "--store", store, "--model", "single_bid_tender", "--by", "系统", "--lang", "en")
    assert "0 new warnings, 1 seen again" in english.output and "holds 1 warnings" in english.output
    # each model in English words beside its id, as the Chinese table says its title (it gave the id alone)
    assert re.search(r"^open tender awarded on a single bid\s+single_bid_tender\s+1\s+[\d.]+$", english.output, re.M), (
        english.output
    )

    steps = [
        ["--status", "dispatched", "--by", "王科长", "--to", "第三监督检查室", "--comment", "请核查"],
        ["--status", "verified", "--by", "李主任", "--outcome", "true_positive", "--comment", "核实属实"],
        ["--status", "rectified", "--by", "李主任", "--comment", "已整改"],
    ]
    for step in steps:  # each command opens the ledger afresh
        r = run("warnings", "update", wid, "--store", store, *step)
        assert r.exit_code == 0, r.output
    refused = run("warnings", "update", wid, "--store", store, "--status", "dispatched", "--by", "x", "--to", "y")
    assert (
        refused.exit_code == 3 and "错误：预警" in refused.output and "闭环已结束，不能再改为“核查中”" in refused.output
    )
    # the closed loop's refusal is recorded as a refused attempt and exits 3, as a viewer's does (it had left no
    # trace in the log, exit 1)
    assert "（此次被拒绝的操作已记入审计日志）" in refused.output, refused.output
    from graphkit.audit import AuditLog, audit_path_for

    tried = AuditLog(audit_path_for(store)).records()[-1]
    assert (tried["command"], tried["who"], tried["params"]["warning_id"], tried["params"]["status"]) == (
        "warnings update",
        "x",
        wid,
        "dispatched",
    )
    assert tried["params"]["refused"].endswith("(next: nothing, the loop is closed)") and tried["result"] is None
    shown = run("audit", "show", "--store", store, "--command", "warnings update").output.splitlines()
    assert "已拒绝：预警" in shown[-2] and "闭环已结束，不能再改为“核查中”" in shown[-2], shown[-3:]
    assert "comment" not in shown[-2], shown[-2]

    listed = json.loads(run("warnings", "list", "--store", store, "--json").output)
    assert len(listed) == 1
    w = listed[0]
    assert (w["id"], w["model"], w["level"], w["status"], w["outcome"]) == (
        wid,
        "single_bid_tender",
        "red",
        "rectified",
        "true_positive",
    )
    assert w["entities"] == ["T2", U1, C3] and w["types"] == ["tender", "unit", "company"]
    assert [(h["by"], h["from"], h["to"]) for h in w["history"]] == [
        ("系统", None, "generated"),
        ("王科长", "generated", "dispatched"),
        ("李主任", "dispatched", "verified"),
        ("李主任", "verified", "rectified"),
    ]
    assert all(h["at"] for h in w["history"])
    assert {lk["type"] for lk in w["evidence"]["links"]} == {"ISSUED_BY", "WON"}
    # each change is in the audit log too, as the Warnings tab's are (a viewer's refused attempt was, the change
    # itself was not): a supervisor reads who moved the warning where beside what they looked at
    log = AuditLog(audit_path_for(store))
    changes = [r for r in log if r["command"] == "warnings update" and "refused" not in r["params"]]
    assert [(r["who"], r["params"]["status"]) for r in changes] == [(h["by"], h["to"]) for h in w["history"][1:]]
    read = run("audit", "show", "--store", store, "--command", "流转预警").output
    assert "预警：" + wid + "；状态：核查中；分派给：第三监督检查室  → 1" in read, read
    # the three changes and the refused one
    assert "状态：已核查；核查结论：属实" in read and "状态：已整改" in read and "共 4 条记录" in read, read

    table = run("warnings", "list", "--store", store, "--status", "rectified").output
    assert wid in table and "共 1 条预警" in table and "warning(s)" not in table
    assert "没有符合条件的预警" in run("warnings", "list", "--store", store, "--status", "generated").output
    # a model by its title as the list prints it; a typo of its id is said, not read as "no warnings of it"
    assert wid in run("warnings", "list", "--store", store, "--model", "公开招标仅一家投标即授标").output
    typo = run("warnings", "list", "--store", store, "--model", "single_bid_tendr").output
    assert "注意：没有模型 'single_bid_tendr'（是否要找 'single_bid_tender'？）" in typo, typo
    assert "注意" not in run("warnings", "list", "--store", store, "--model", "single_bid_tender").output
    assert "0 warning(s)" in run("warnings", "list", "--store", store, "--status", "generated", "--lang", "en").output
    # the face speaks a case handler's Chinese: level, status by verdict, the model's title, the Chinese summary
    shown = run("warnings", "show", wid, "--store", store).output
    assert f"{wid}  红色  已整改  模型 公开招标仅一家投标即授标（single_bid_tender）" in shown, shown
    assert "仅苏州丙丁建材有限公司一家投标，仍授予其中标" in shown
    assert "王科长：待核查 → 核查中（交办第三监督检查室；请核查）" in shown
    assert "李主任：核查中 → 已核实（属实；核实属实）" in shown and "李主任：已核实 → 已整改（已整改）" in shown
    # a record as path and the case files write it (it read [bids.csv:4]), a file's records together
    assert "〔bids.csv 第4行〕" in shown and "[bids.csv:4]" not in shown
    assert re.search(r"  来源：bids\.csv 第[0-9,]*4[0-9,]*行；", shown), shown
    # each step's time as audit show and the Warnings tab write it: local, with its offset, no ISO "T"
    from graphkit.rules.words import local_time

    at = local_time(w["history"][1]["at"])
    assert f"  {at}  王科长：待核查 → 核查中" in shown and "T" not in at, shown
    # each evidence key beside its name (an inspector read masked IDs and codes alone): the unit and the company
    unit_name = next(u["name"] for u in TABLES["units"] if u["unit_id"] == U1)
    assert f"  单位      {unit_name} ({U1})" in shown, shown
    # the price the model saw beside the link, as path and the case files write it (it read —中标→ alone)
    assert re.search(rf"\S+ \({re.escape(C3)}\) —中标 150\.0 万元→ ", shown), shown
    # English as before, asked for
    english = run("warnings", "show", wid, "--store", store, "--lang", "en").output
    # each step in words (it read 李主任: dispatched → verified  (true_positive; 核实属实), the ledger's keys)
    assert "李主任: being checked → confirmed  (substantiated; 核实属实)" in english and "[bids.csv line 4]" in english
    assert "王科长: to be checked → being checked  (to 第三监督检查室; 请核查)" in english, english
    assert english.splitlines()[0].startswith(
        f"{wid}  red  rectified  model open tender awarded on a single bid (single_bid_tender)  about "
    ), english
    assert f"  unit      {unit_name} ({U1})" in english, english
    # the link by the model's words, as the Warnings tab says it (it printed the raw type, —WON ¥1,500,000→)
    assert re.search(rf"\S+ \({re.escape(C3)}\) —won ¥1,500,000→ ", english) and "WON" not in english, english
    assert "awarded open tender T2 (办公楼维修) to 苏州丙丁建材有限公司, its only bidder" in english
    table = run("warnings", "list", "--store", store).output
    assert re.search(rf"{wid}  红色  已整改  公开招标仅一家投标即授标 +第三监督检查… 苏州市城建局公开招标项目T2", table)
    assert "共 1 条预警" in table
    table = run("warnings", "list", "--store", store, "--lang", "en").output
    # the model in words, as the Chinese list says its title (it printed the id, single_bid_tender)
    assert re.search(
        rf"{wid}  red     rectified      open tender awarded on a sin… +第三监督检查… 苏州市城建局 ", table
    ), table
    assert "single_bid_tender" not in table, table


def test_a_warnings_head_names_what_it_is_about_not_its_raw_key(store):
    """`warnings show` headed a warning with its key, pipe-joined (对象 T1|3205**********0018|3205**********0026):
    raw keys, two of them ID numbers, which no command takes (the warning's id is its handle). The head now names
    the entities the key is made of, each by the model's noun and its name beside its masked key, as the lines below
    it and the Warnings tab do; no ID number in clear, in either language, with the store or the ledger alone."""
    from graphkit.model.mask import mask_node_key

    assert run("models", "run", "--store", store, "--by", "系统").exit_code == 0
    listed = json.loads(run("warnings", "list", "--store", store, "--json").output)
    wid = next(w["id"] for w in listed if w["model"] == "relative_wins_tender_1hop")
    tender = next(t["title"] for t in TABLES["tenders"] if t["tender_id"] == "T1")
    name = {p["公民身份号码"]: "".join(p["姓名"].split()) for p in TABLES["household"]}  # 李 娜 loads as 李娜
    p1, p2 = mask_node_key("Person", P1), mask_node_key("Person", P2)
    assert p1 != P1 and p2 != P2
    shown = run("warnings", "show", wid, "--store", store).output
    head = shown.splitlines()[0]
    assert head.endswith(f"  对象 招标项目 {tender} (T1)、自然人 {name[P1]} ({p1})、自然人 {name[P2]} ({p2})"), head
    assert "|" not in head and P1 not in shown and P2 not in shown
    english = run("warnings", "show", wid, "--store", store, "--lang", "en").output
    head = english.splitlines()[0]
    assert head.endswith(f"  about tender {tender} (T1), person {name[P1]} ({p1}), person {name[P2]} ({p2})"), head
    assert "|" not in head and "key " not in head and P1 not in english and P2 not in english
    # the contract named by its title and its amount in English (it read 98.0 万元 (K1) under --lang en)
    assert "  人民路改造工程施工合同 ¥980,000 (K1) —" in english and "万元" not in english, english
    ledger = store.removeprefix("embedded:") + ".ledger.sqlite"  # no store: the keys alone, masked
    bare = run("warnings", "show", wid, "--ledger", ledger).output
    assert bare.splitlines()[0].endswith(f"  对象 招标项目 T1、自然人 {p1}、自然人 {p2}"), bare
    assert P1 not in bare and P2 not in bare
    # a fuel warning's entities by the model's English nouns, not the truth file's types (txn, card)
    fuel = next(w["id"] for w in listed if w["model"] == "fuel_private_plate")
    english = run("warnings", "show", fuel, "--store", store, "--lang", "en").output.splitlines()
    assert "  fuel transaction " in "\n".join(english) and "  fuel card " in "\n".join(english), english
    assert not any(line.startswith(("  txn ", "  card ")) for line in english), english
    from graphkit.model.mask import mask

    card = TABLES["fuel_cards"][0]["card_no"]  # a card number: masked as the summary and the lines below show it
    assert english[0].endswith(f"  about fuel card {mask(card, 'card')}"), english[0]
    assert card not in "\n".join(english)


def test_ledger_errors_are_plain(store, tmp_path):
    r = run("warnings", "list", "--ledger", str(tmp_path / "none.sqlite"))
    assert r.exit_code != 0 and "none.sqlite 没有预警台账" in r.output
    r = run("warnings", "list", "--store", "neo4j://localhost:7687")
    assert r.exit_code == 2 and "请给出台账的路径（--ledger 路径" in r.output
    r = run("warnings", "update", "Wnope", "--store", store, "--status", "dispatched", "--by", "x", "--to", "y")
    assert r.exit_code != 0 and "中没有预警 'Wnope'" in r.output


def test_find_path_and_neighbours(store):
    found = json.loads(run("find", "李娜", "--store", store, "--json").output)
    masked = P2[:4] + "*" * 10 + P2[-4:]
    assert found[0] == {"label": "Person", "id": masked, "name": "李娜", "score": 1.0, "matched": "exact name"}
    clear = json.loads(run("find", "李娜", "--store", store, "--json", "--unmask", "--reason", "核查").output)
    assert clear[0]["id"] == P2
    r = run("path", "张伟", "T1", "--store", store, "--types", "FAMILY,SHAREHOLDER_OF,WON", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "path 1 (3 hops): 张伟 (official, 苏州市城建局) — spouse of — 李娜 — 60% shareholder of — 某某建设有限公司 — "
        "won (¥980,000) — tender T1 (人民路改造工程) issued by 苏州市城建局",
        "  张伟 (official, 苏州市城建局) — spouse of — 李娜  [family.csv line 2]",
        "  李娜 — 60% shareholder of — 某某建设有限公司  [shareholders.csv line 2]",
        "  某某建设有限公司 — won (¥980,000) — tender T1 (人民路改造工程) issued by 苏州市城建局  [bids.csv line 2]",
    ]
    # Chinese by default: as the investigator files it
    r = run("path", "张伟", "T1", "--store", store, "--types", "FAMILY,SHAREHOLDER_OF,WON")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "路径 1（3 跳）：张伟（公职人员，苏州市城建局） — 配偶为 — 李娜 — 持股60% — 某某建设有限公司 — "
        "中标（98.0 万元） — 招标项目 T1（人民路改造工程，招标人：苏州市城建局）",
        "  张伟（公职人员，苏州市城建局） — 配偶为 — 李娜〔family.csv 第2行〕",
        "  李娜 — 持股60% — 某某建设有限公司〔shareholders.csv 第2行〕",
        "  某某建设有限公司 — 中标（98.0 万元） — 招标项目 T1（人民路改造工程，招标人：苏州市城建局）"
        "〔bids.csv 第2行〕",
    ]
    said = json.loads(
        run("path", "张伟", "T1", "--store", store, "--types", "FAMILY,SHAREHOLDER_OF,WON", "--json").output
    )
    assert said[0]["explain"][0] == "张伟（公职人员，苏州市城建局） — 配偶为 — 李娜〔family.csv 第2行〕"
    both = json.loads(run("path", P1, "某某建设有限公司", "--store", store, "--all", "--json").output)
    assert sorted(p["links"][-1]["type"] for p in both) == ["LEGAL_REP_OF", "SHAREHOLDER_OF"]
    none = run("path", "孤立", "张伟", "--store", store, "--lang", "en")
    assert none.exit_code == 1 and "no path of at most 6 hops" in none.output
    none = run("path", "孤立", "张伟", "--store", store)
    assert none.exit_code == 1 and "之间没有 6 跳以内的路径" in none.output
    bad = run("path", "张伟", "T1", "--store", store, "--types", "FAMILY,KNOWS")
    assert bad.exit_code != 0 and "没有关系类型 'KNOWS'" in bad.output, bad.output
    bad = run("path", "张伟", "T1", "--store", store, "--types", "FAMILY,KNOWS", "--lang", "en")
    assert bad.exit_code != 0 and "unknown relationship type(s) 'KNOWS'" in bad.output

    hub = json.loads(
        run(
            "neighbours",
            "苏州市姑苏区宿舍路1号",
            "--store",
            store,
            "--hops",
            "1",
            "--page-size",
            "8",
            "--page",
            "4",
            "--json",
        ).output
    )
    assert (hub["total"], hub["pages"], hub["page"], hub["next_page"], hub["next_after"]) == (30, 4, 4, None, None)
    # the dormitory is 30 persons' home address: cut after its district, as every face shows it (PIPL)
    assert len(hub["links"]) == 6 and hub["hubs"] == {"苏州市姑苏区****": 30}
    first = json.loads(
        run("neighbours", "苏州市姑苏区宿舍路1号", "--store", store, "--hops", "1", "--page-size", "8", "--json").output
    )
    second = json.loads(
        run(
            "neighbours",
            "苏州市姑苏区宿舍路1号",
            "--store",
            store,
            "--hops",
            "1",
            "--page-size",
            "8",
            "--after",
            first["next_after"],
            "--json",
        ).output
    )
    assert first["next_page"] == 2 and second["page"] is None and len(second["links"]) == 8
    assert {lk["id"] for lk in first["links"]}.isdisjoint(lk["id"] for lk in second["links"])
    assert max(lk["id"] for lk in first["links"]) == first["next_after"] < min(lk["id"] for lk in second["links"])
    text = run("neighbours", "张伟", "--store", store, "--hops", "2", "--page-size", "8", "--lang", "en").output
    # headed by the name, the key masked beside it (a unit's head was its credit code alone)
    assert text.startswith(f"张伟 ({P1[:4]}**********{P1[-4:]}): ") and "[hub: 11 links" in text and P1 not in text
    # in Chinese by default: the counts, the page, the kinds and the hub's hint (it was English in a Chinese face)
    text = run("neighbours", "张伟", "--store", store, "--hops", "2", "--page-size", "8").output
    head = text.splitlines()[0]
    assert (
        head.startswith(f"张伟（{P1[:4]}**********{P1[-4:]}）：2 跳内 ") and "个节点、" in head and "自身关系 " in head
    ), head
    assert head.endswith("（第 1 页，共 1 页）") and "[枢纽：11 条关系，用 `graphkit neighbours" in text
    assert "  自然人  " in text and "Person" not in text and P1 not in text
    unit = json.loads(run("neighbours", "苏州市城建局", "--store", store, "--hops", "1", "--json").output)["seed"]
    for lang, (opened, closed) in (("zh", ("（", "）：")), ("en", (" (", "): "))):
        head = run("neighbours", "苏州市城建局", "--store", store, "--hops", "1", "--lang", lang).output.splitlines()[0]
        assert head.startswith(f"苏州市城建局{opened}{unit}{closed}"), head
    # an address is its own key: said once
    head = run("neighbours", "苏州市姑苏区宿舍路1号", "--store", store, "--hops", "1").output.splitlines()[0]
    assert "（" not in head.split("：")[0], head


def test_the_printed_cursor_is_in_clear_and_pages_on(store):
    hub = ["neighbours", "苏州市姑苏区宿舍路1号", "--store", store, "--hops", "1", "--page-size", "8", "--lang", "en"]
    first = run(*hub)
    cursor = json.loads(run(*hub, "--json").output)["next_after"]  # a link id: a 64-bit integer
    assert first.exit_code == 0 and f"next --after {cursor})" in first.output.splitlines()[0]  # a link id, not masked
    second = run(*hub, "--after", str(cursor))
    assert second.exit_code == 0 and f"(the page after {cursor};" in second.output.splitlines()[0]


def test_neighbours_pages_count_from_1_in_the_text_the_json_and_the_errors(store):
    """The first page is --page 1 and says so, its next is --page 2; the last page (4 of 4) is listed, the one
    after is refused naming the range; --page 0 is a usage error; the cursor still pages on."""
    hub = ["neighbours", "苏州市姑苏区宿舍路1号", "--store", store, "--hops", "1", "--page-size", "8", "--lang", "en"]
    first = run(*hub).output.splitlines()[0]
    assert "(page 1 of 4; next --page 2;" in first, first
    assert run(*hub, "--page", "1").output.splitlines()[0] == first
    pages = [json.loads(run(*hub, "--page", str(n), "--json").output) for n in (1, 2, 3, 4)]
    assert [(p["page"], p["next_page"]) for p in pages] == [(1, 2), (2, 3), (3, 4), (4, None)]
    ids = [lk["id"] for p in pages for lk in p["links"]]
    assert len(ids) == len(set(ids)) == 30
    last = run(*hub, "--page", "4")
    assert last.exit_code == 0 and "(page 4 of 4" in last.output.splitlines()[0] and "next --page" not in last.output
    past = run(*hub, "--page", "5")
    assert past.exit_code == 1 and "page 5 is past the last page" in past.output and "--page 1 to 4" in past.output
    past = run(*hub[:-2], "--page", "5")  # the Chinese console's (it was English)
    assert past.exit_code == 1 and "第 5 页超出了最后一页" in past.output and "（--page 1 至 4）" in past.output
    assert run(*hub, "--page", "0").exit_code == 2
    both = run(*hub, "--page", "2", "--after", str(pages[0]["next_after"]))
    assert both.exit_code == 2 and "not both" in both.output
    after = json.loads(run(*hub, "--after", str(pages[0]["next_after"]), "--json").output)
    assert [lk["id"] for lk in after["links"]] == [lk["id"] for lk in pages[1]["links"]]


def test_the_neighbours_table_keeps_its_columns_apart_and_says_an_address_once(store):
    """Each column starts at the same terminal column on every line (Chinese characters counting two), at
    least two spaces after the one before (ReceptionExpense ran into its key), and an address, whose name is
    its key, is printed once."""
    import unicodedata

    from graphkit.model import Model

    def cols(text):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    out = run("neighbours", "张伟", "--store", store, "--hops", "2", "--page-size", "50", "--lang", "en")
    out = out.output.splitlines()[1:]
    labels = set(Model.default().labels)
    starts = set()
    for line in out:
        cells = re.split(r" {2,}", line.strip())
        assert len(cells) >= 3 and cells[1] in labels, line
        starts.add((cols(line[: line.index(cells[1])]), cols(line[: line.index(cells[2], len(cells[1]))])))
        if cells[1] == "Address":
            assert line.count(cells[2]) == 1 and len(cells) == 3, line
    assert len(starts) == 1, starts
    assert any(re.split(r" {2,}", ln.strip())[1] == "Address" for ln in out)
    longest = max(len(lab) for lab in labels)
    assert next(iter(starts))[1] - next(iter(starts))[0] >= min(longest, max(len(ln.split()[1]) for ln in out)) + 2


def test_an_ambiguous_name_lists_candidates(store):
    r = CliRunner().invoke(main, ["path", "住户", "张伟", "--store", store], catch_exceptions=False)
    assert r.exit_code == 2 and "'住户' 指向不止一个实体；候选如下" in r.output
    # the candidates' headers and how each matched in Chinese (handle label id … matched, exact name before)
    assert re.search(r"^  指称\s+类别\s+编号\s+名称", r.output, re.M) and "名称包含" in r.output, r.output


def test_neighbours_html(store, tmp_path):
    out = tmp_path / "n.html"
    r = run("neighbours", "李娜", "--store", store, "--html", str(out))
    page = out.read_text(encoding="utf-8")
    assert r.exit_code == 0 and json.dumps("某某建设有限公司") in page and "shareholders.csv 第2行" in page


def test_neighbours_and_path_export_for_the_case_file(store, tmp_path):
    import networkx as nx

    r = run(
        "neighbours",
        "李娜",
        "--store",
        store,
        "--export",
        str(tmp_path / "n.pdf"),
        "--export",
        str(tmp_path / "n.graphml"),
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF")
    back = nx.read_graphml(tmp_path / "n.graphml", force_multigraph=True)
    assert "某某建设有限公司" in {d.get("name") for _, d in back.nodes(data=True)}
    r = run(
        "path",
        "张伟",
        "T1",
        "--store",
        store,
        "--types",
        "FAMILY,SHAREHOLDER_OF,WON",
        "--export",
        str(tmp_path / "p.png"),
        "--export",
        str(tmp_path / "p.graphml"),
    )
    assert r.exit_code == 0 and f"已写出 {tmp_path / 'p.png'}（png）" in r.output, r.output
    p = nx.read_graphml(tmp_path / "p.graphml", force_multigraph=True)
    assert sorted(d["type"] for *_, d in p.edges(data=True)) == ["FAMILY", "SHAREHOLDER_OF", "WON"]
    bad = CliRunner().invoke(main, ["neighbours", "李娜", "--store", store, "--export", str(tmp_path / "n.doc")])
    assert bad.exit_code == 2 and "无法导出到" in bad.output and not (tmp_path / "n.doc").exists()


def test_a_warning_s_evidence_exports_as_a_case_file(store, tmp_path):
    """`warnings show ID --export F` crashed with a TypeError on every warning (the export helper had gained the
    case file's arguments); it writes a case file with its case number and an audit record naming the file."""
    import networkx as nx

    wid = warning_id("single_bid_tender", "T2")
    r = run("models", "run", "--store", store, "--model", "single_bid_tender", "--by", "系统")
    assert r.exit_code == 0, r.output
    out = tmp_path / "w.graphml"
    r = run("warnings", "show", wid, "--store", store, "--export", str(out), "--case", "苏纪2026-001", "--by", "王科长")
    assert r.exit_code == 0, r.output
    g = nx.read_graphml(out, force_multigraph=True)
    assert {"T2", U1, C3} <= set(g.nodes)
    assert "苏纪2026-001" in out.read_text(encoding="utf-8")
    shown = run("audit", "show", "--store", store, "--json").output
    assert str(out) in shown and "warnings show" in shown
    # the case file says what it is about in Chinese (the warning, its level, its model, its summary); --lang en
    # in English alone (it read 预警 warning W… single_bid_tender: …)
    for lang, said in (
        ("zh", f"预警 {wid}（红色）公开招标仅一家投标即授标：苏州市城建局公开招标项目T2（办公楼维修）仅"),
        (
            "en",
            f"warning {wid} (red) open tender awarded on a single bid: 苏州市城建局 awarded open tender T2",
        ),
    ):
        data = tmp_path / f"w_{lang}.json"
        r = run("warnings", "show", wid, "--store", store, "--export", str(data), "--lang", lang)
        assert r.exit_code == 0, r.output
        assert json.loads(data.read_text(encoding="utf-8"))["graph"]["subject"].startswith(said)


def test_a_private_car_and_a_home_address_are_masked_in_every_command_and_shown_with_a_reason(store):
    """PIPL: 张伟's private car 苏E·12345 and his home 苏州市姑苏区人民路1号 are masked in find, neighbours, path
    and their --json (苏E·***45, 苏州市姑苏区****), found when typed in full; the unit's official car 苏E·A0001
    is in clear; --unmask --reason shows them."""
    found = run("find", "苏E12345", "--store", store)
    assert found.exit_code == 0 and "苏E·***45" in found.output and "12345" not in found.output
    hood = run("neighbours", "张伟", "--store", store, "--hops", "1", "--json").output
    assert "12345" not in hood and "人民路1号" not in hood and "苏E·***45" in hood and "苏州市姑苏区****" in hood
    text = run("neighbours", "张伟", "--store", store, "--hops", "1").output
    assert "12345" not in text and "人民路1号" not in text and "苏E·***45" in text and "苏州市姑苏区****" in text
    path = run("path", "张伟", "苏E·12345", "--store", store, "--lang", "en").output
    assert "vehicle 苏E·***45" in path and "12345" not in path
    path = run("path", "张伟", "苏E·12345", "--store", store).output  # Chinese, masked alike
    assert "拥有车辆 — 车辆 苏E·***45〔vehicles.csv 第3行〕" in path and "12345" not in path
    assert "苏E·A0001" in run("neighbours", "苏E·A0001", "--store", store, "--hops", "1").output
    clear = run("neighbours", "张伟", "--store", store, "--hops", "1", "--unmask", "--reason", "核对车辆住址").output
    assert "苏E·12345" in clear and "苏州市姑苏区人民路1号" in clear


def test_a_warning_masks_a_private_plate_and_shows_an_official_one(store):
    """``warnings show`` and ``--json``: the official car 苏E·A0001 of a fuel warning in clear (the store behind
    the ledger says it is official), the private car 苏E·12345 masked; with no store known every plate is."""
    assert run("models", "run", "--store", store, "--by", "系统").exit_code == 0
    listed = json.loads(run("warnings", "list", "--store", store, "--json").output)
    shown = json.dumps(listed, ensure_ascii=False)
    assert "12345" not in shown and "private car 苏E·***45 of 张伟" in shown  # privileged_vehicle, fuel_private_plate
    assert "私家车苏E·***45（车主张伟" in shown  # the Chinese summary, masked alike
    official = [w for w in listed if "苏E·A0001" in w["summary"] or "苏E·A0001" in w["entities"]]
    assert official, shown
    one = run("warnings", "show", official[0]["id"], "--store", store).output
    assert "苏E·A0001" in one and "12345" not in one
    table = run("warnings", "list", "--store", store).output  # the console's Chinese summaries
    assert "苏E·***45（车主张伟" in table and "12345" not in table and "苏E·A0001" in table
    ledger = store.removeprefix("embedded:") + ".ledger.sqlite"
    bare = run("warnings", "list", "--ledger", ledger, "--json").output  # no store: nothing known to be public
    assert "苏E·A0001" not in bare and "苏E·***01" in bare and "12345" not in bare


def test_warnings_list_picks_the_warnings_about_one_unit(tmp_path):
    """An inspection team reading up on a unit before a visit had no way to list its warnings from the command
    line (`warnings list --unit` was refused as no such option; only the Warnings panel filtered)."""
    spec = f"embedded:{tmp_path / 'c.db'}"
    assert run("load", str(write_city(tmp_path / "city")), "--store", spec).exit_code == 0
    assert run("models", "run", "--store", spec).exit_code == 0
    every = json.loads(run("warnings", "list", "--store", spec, "--json").output)
    about = [w["id"] for w in every if U1 in w["entities"]]
    assert about and len(about) < len(every)
    for given in (U1, "苏州市城建局"):  # its credit code, or its exact name
        r = run("warnings", "list", "--store", spec, "--entity", given, "--json")
        assert r.exit_code == 0, r.output
        assert [w["id"] for w in json.loads(r.output)] == about
    table = run("warnings", "list", "--store", spec, "--entity", "苏州市城建局").output
    assert f"共 {len(about)} 条预警" in table
    assert run("warnings", "list", "--store", spec, "--entity", "查无此单位").exit_code != 0


def test_warnings_list_of_the_top_unit_counts_what_its_rank_counts(tmp_path):
    """A warning of the unit verified false (已排除) is not counted by rank, and `warnings list --entity UNIT` listed
    it all the same: one more warning than the unit's ranking counts. It is listed only under --status verified,
    and the list says how many it leaves out."""
    from graphkit.risk import GraphFeatures
    from graphkit.risk.tables import read_tables
    from graphkit.stores.embedded import EmbeddedStore

    spec = f"embedded:{tmp_path / 'c.db'}"
    assert run("load", str(write_city(tmp_path / "city")), "--store", spec).exit_code == 0
    assert run("models", "run", "--store", spec).exit_code == 0
    ranked = run("rank", "--kind", "unit", "--store", spec, "--top", "1", "--json")
    assert ranked.exit_code == 0, ranked.output
    top = json.loads(ranked.stdout)[0]["id"]
    listed = json.loads(run("warnings", "list", "--store", spec, "--entity", top, "--json").stdout)
    assert len(listed) >= 2
    wid = listed[0]["id"]
    for step in (("--status", "dispatched", "--to", "第三纪检监察室"), ("--status", "verified")):
        extra = ("--outcome", "false_positive", "--comment", "核查不属实") if "verified" in step else ()
        assert run("warnings", "update", wid, "--store", spec, "--by", "王科长", *step, *extra).exit_code == 0
    with Ledger(tmp_path / "c.db.ledger.sqlite", read_only=True) as led:
        warnings = led.warnings()
    s = EmbeddedStore(tmp_path / "c.db", read_only=True)
    try:
        X = GraphFeatures(kind="unit", warnings=warnings).fit_transform(read_tables(s))
    finally:
        s.close()
    counted = int(X.loc[top, ["warnings_red", "warnings_orange", "warnings_yellow"]].sum())
    assert counted == len(listed) - 1
    r = run("warnings", "list", "--store", spec, "--entity", top, "--json")
    now = [w["id"] for w in json.loads(r.stdout)]
    assert len(now) == counted and wid not in now
    table = run("warnings", "list", "--store", spec, "--entity", top).stdout
    assert f"共 {counted} 条预警" in table and "另有 1 条预警经核查已排除（不属实），未列出" in table, table
    asked = run("warnings", "list", "--store", spec, "--entity", top, "--status", "verified").stdout
    assert wid in asked and "其中 1 条预警经核查已排除（不属实），rank 和预画像不计入" in asked, asked
    english = run("warnings", "list", "--store", spec, "--entity", top, "--lang", "en").stdout
    assert f"{counted} warning(s)" in english and "1 more verified a false positive (excluded) not listed" in english


def test_a_warning_recorded_with_no_evidence_link_says_to_run_the_models_again(store, tmp_path):
    """Ledgers written before e09af6f keep direct_award_share and hotline_manipulation warnings with no evidence
    link (the unit alone) until ``models run`` runs again: ``warnings show`` printed the unit and nothing to say
    why, and its ``--export`` drew one node. Both now say the warning was recorded by an older version and to run
    the models again; a warning with its links says nothing of the kind."""
    import shutil
    import sqlite3

    assert run("models", "run", "--store", store, "--by", "系统").exit_code == 0
    old = tmp_path / "old.ledger.sqlite"
    shutil.copy(store.removeprefix("embedded:") + ".ledger.sqlite", old)
    listed = json.loads(run("warnings", "list", "--ledger", str(old), "--json").output)
    stale, whole = listed[0]["id"], listed[1]["id"]
    with sqlite3.connect(old) as db:  # as a ledger written before the model named what it counts
        (evidence,) = db.execute("SELECT evidence FROM warnings WHERE id = ?", (stale,)).fetchone()
        db.execute(
            "UPDATE warnings SET evidence = ? WHERE id = ?", (json.dumps({**json.loads(evidence), "links": []}), stale)
        )
    note = "此预警记录于旧版本，证据中没有关系：请重新运行 graphkit models run 补全证据"
    said = run("warnings", "show", stale, "--store", store, "--ledger", str(old))
    assert said.exit_code == 0 and f"注意：{note}" in said.output.splitlines()[2], said.output
    assert "run graphkit models run" in run("warnings", "show", stale, "--ledger", str(old), "--lang", "en").output
    assert "旧版本" not in run("warnings", "show", whole, "--store", store, "--ledger", str(old)).output
    data = tmp_path / "stale.json"
    r = run("warnings", "show", stale, "--store", store, "--ledger", str(old), "--export", str(data))
    assert r.exit_code == 0, r.output
    assert json.loads(data.read_text(encoding="utf-8"))["graph"]["subject"].endswith(f"（{note}）")


def test_models_run_shows_its_evidence_step(store, tmp_path, monkeypatch):
    """After the models' bar, reading the hits' evidence links was silent: 169 s at 1,000,000 persons
    (bench/workflow.py). Its bar names each label read; the evidence itself is unchanged."""
    monkeypatch.setenv("GRAPHKIT_PROGRESS", "bar")  # the bar as a terminal shows it
    ledger = tmp_path / "l.sqlite"
    r = CliRunner().invoke(
        main, ["models", "run", "--store", store, "--model", "single_bid_tender", "--ledger", str(ledger)]
    )
    assert r.exit_code == 0, r.output
    # in the console's language: the bar, its unit and the label read (招标项目: Tender)
    assert "读取证据" in r.stderr and "类/秒" in r.stderr and "招标项目" in r.stderr, r.stderr
    assert "证据" not in r.stdout
    # the models' bar names the model running (one of them ran a minute at 1,000,000 persons, silent)
    assert "single_bid_tender]" in r.stderr, r.stderr
    en = CliRunner().invoke(
        main, ["models", "run", "--store", store, "--model", "single_bid_tender", "--ledger", str(ledger)],
        env={"GRAPHKIT_LANG": "en"},
    )  # fmt: skip
    assert "evidence:" in en.stderr and "Tender" in en.stderr and "label/s" in en.stderr, en.stderr
    w = run("warnings", "show", warning_id("single_bid_tender", "T2"), "--ledger", str(ledger), "--json")
    assert [lk["type"] for lk in json.loads(w.output)["evidence"]["links"]] == ["ISSUED_BY", "WON"]


def test_a_share_held_reads_the_same_on_every_face(tmp_path):
    """A relative's 50.85 % of the winning company: the model's summary and the portrait wrote 51 % (the query and
    the portrait rounded it) where path wrote 50.85 %, and ``warnings show`` listed the shareholding with no share
    at all. Every face now writes it with one function (``graphkit.model.share``)."""
    from graphkit.risk.portrait import unit_portrait
    from graphkit.stores import open_store

    tables = copy.deepcopy(TABLES)
    held = next(r for r in tables["shareholders"] if r["holder_id"] == P2)
    held["percent"] = "50.85"
    city = write_city(tmp_path / "city", tables)
    spec = f"embedded:{tmp_path / 'c.db'}"
    assert run("load", str(city), "--store", spec).exit_code == 0
    assert run("models", "run", "--store", spec).exit_code == 0
    listed = run("warnings", "list", "--store", spec, "--json", "--model", "relative_wins_tender_1hop").output
    listed = json.loads(listed)
    assert len(listed) == 1
    w = listed[0]
    assert "股东（持股50.85%）" in w["summary_zh"] and "50.85% shareholder" in w["summary"], w
    shown = run("warnings", "show", w["id"], "--store", spec).output
    assert re.search(r" —股东 50\.85%→ ", shown), shown
    english = run("warnings", "show", w["id"], "--store", spec, "--lang", "en").output
    assert re.search(r" —shareholder of 50\.85%→ ", english), english  # as the Warnings tab says it
    assert "持股50.85%" in run("path", P2, held["credit_code"], "--store", spec).output
    store = open_store(spec, read_only=True)
    try:
        p = unit_portrait(store, U1)
    finally:
        store.close()
    hops = [h for fb in p["family_business"] for h in fb["path"]]
    said = [h["what"] for h in hops if h["type"] == "SHAREHOLDER_OF" and h["from"] == P2]
    assert said and all(x == "股东 50.85%" for x in said), said  # Chinese alone (its English is what_en)
    # the chain's hops in the portrait's language: they said —亲属（配偶） family: spouse→, —股东 50.85% shareholder→
    from graphkit.portrait_render import sections

    zh, en = ("\n".join(t for _, lines in sections(p, lang=lang) for _, t in lines) for lang in ("zh", "en"))
    assert "—股东 50.85%→" in zh and "—亲属（配偶）→" in zh and " shareholder→" not in zh and "family: " not in zh
    # English alone under en, the share said as warnings show --lang en says it (the English hop had dropped it)
    assert "—shareholder of 50.85%→" in en and "—family: spouse→" in en and "股东" not in en
