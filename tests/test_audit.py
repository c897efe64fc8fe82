"""The audit log: hash-chained records, tampering found and named, two processes appending at once, the CLI's
``audit show`` / ``audit verify``, every investigating command recorded, and the viewer role."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner
from fixture_city import P1, P2, write_city

from graphkit.audit import GENESIS, AuditBroken, AuditError, AuditLog, audit_path_for, current_user
from graphkit.cli import main


def _log(tmp_path, n=10) -> AuditLog:
    log = AuditLog(tmp_path / "c.db.audit.jsonl")
    for i in range(n):
        log.append("find", {"query": f"张伟{i}"}, who="王科长", purpose="线索核查", result=i)
    return log


def _lines(log: AuditLog) -> list[bytes]:
    return log.path.read_bytes().splitlines(keepends=True)


def test_records_chain_and_verify(tmp_path):
    log = _log(tmp_path)
    recs = list(log)
    assert [r["seq"] for r in recs] == list(range(1, 11))
    assert recs[0]["prev"] == GENESIS and all(b["prev"] == a["hash"] for a, b in zip(recs, recs[1:], strict=False))
    assert recs[3]["who"] == "王科长" and recs[3]["params"] == {"query": "张伟3"} and recs[3]["result"] == 3
    v = log.verify()
    assert v.ok and v.records == 10 and v.head == recs[-1]["hash"]
    with pytest.raises(AuditError, match="needs a reason"):
        log.append("find", {}, unmasked=True)


def test_every_single_byte_edit_of_a_record_is_found_and_named(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    start = sum(len(x) for x in lines[:4])  # record 5
    original = log.path.read_bytes()
    for i in range(len(lines[4])):
        data = bytearray(original)
        data[start + i] ^= 0x01 if data[start + i] != 0x0B else 0x02
        log.path.write_bytes(bytes(data))
        v = log.verify()
        assert not v.ok and v.bad_line == 5, (i, v)
    log.path.write_bytes(original)
    assert log.verify().ok


def test_a_deleted_or_swapped_record_is_named(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    log.path.write_bytes(b"".join(lines[:4] + lines[5:]))  # record 5 deleted
    v = log.verify()
    assert not v.ok and v.bad_line == 5 and "seq 6 where 5 belongs" in v.problem
    log.path.write_bytes(b"".join(lines[:3] + [lines[6]] + lines[4:6] + [lines[3]] + lines[7:]))  # 4 ⇄ 7
    v = log.verify()
    assert not v.ok and v.bad_line == 4
    log.path.write_bytes(b"".join(lines[:9]))  # the last record cut: the chain is whole, the head is not
    v = log.verify()
    assert not v.ok and v.bad_line == 10 and "ends at record 9" in v.problem
    log.path.write_bytes(b"".join(lines))
    assert log.verify().ok


def test_a_cut_tail_is_not_covered_by_the_next_record(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    log.path.write_bytes(b"".join(lines[:9]))  # the last record cut
    with pytest.raises(AuditBroken, match="ends at record 9 but its head names record 10"):
        log.append("find", {"query": "李娜"})
    assert len(log) == 9 and not log.verify().ok  # nothing appended: the cut still shows
    log.path.write_bytes(b"".join(lines[:9]) + lines[9].replace("张伟9".encode(), "张伟X".encode()))
    with pytest.raises(AuditBroken, match="record 10, the last, does not match its hash"):
        log.append("find", {"query": "李娜"})
    log.path.write_bytes(b"".join(lines))
    log.head_path.unlink()
    with pytest.raises(AuditBroken, match="head is missing"):
        log.append("find", {"query": "李娜"})
    log.path.unlink()  # the whole log gone, its head left
    log.head_path.write_text(json.dumps({"seq": 10, "hash": json.loads(lines[9])["hash"]}))
    with pytest.raises(AuditBroken, match="ends at record 0 but its head names record 10"):
        log.append("find", {"query": "李娜"})
    log.path.write_bytes(b"".join(lines))
    assert log.append("find", {"query": "李娜"})["seq"] == 11 and log.verify().ok


def test_a_command_stopped_between_its_record_and_the_head_does_not_lock_the_log(tmp_path):
    """A writer killed after appending its record but before writing the head leaves the head one record
    behind, the record chained to it and whole: verify says so without calling the log broken, and the next
    record completes the head instead of refusing (a cut or an edit is still refused: the test above)."""
    log = _log(tmp_path)
    lines = _lines(log)
    log.head_path.write_text(json.dumps({"seq": 9, "hash": json.loads(lines[8])["hash"]}))  # head of record 9
    v = log.verify()
    assert v.ok and v.records == 10 and "record 10 was written but not the head" in v.note
    r = CliRunner().invoke(main, ["audit", "verify", "--log", str(log.path)])
    assert r.exit_code == 0 and "注意：第 10 条记录已写入，头文件未更新" in r.output
    r = CliRunner().invoke(main, ["audit", "verify", "--log", str(log.path), "--lang", "en"])
    assert r.exit_code == 0 and "note: record 10 was written but not the head" in r.output
    assert log.append("find", {"query": "李娜"})["seq"] == 11
    v = log.verify()
    assert v.ok and v.records == 11 and not v.note
    # the first record written, no head yet
    first = AuditLog(tmp_path / "new.audit.jsonl")
    first.append("find", {"query": "张伟"})
    first.head_path.unlink()
    assert first.verify().ok and first.append("find", {"query": "李娜"})["seq"] == 2 and first.verify().ok
    # one record behind but not chained to the head: refused as before
    log.head_path.write_text(json.dumps({"seq": 10, "hash": "0" * 64}))
    with pytest.raises(AuditBroken):
        log.append("find", {"query": "李娜"})


def test_audit_verify_exits_non_zero_naming_the_first_bad_record(tmp_path):
    log = _log(tmp_path)
    r = CliRunner().invoke(main, ["audit", "verify", "--log", str(log.path)])
    assert r.exit_code == 0 and "共 10 条记录，哈希链完整" in r.output
    lines = _lines(log)
    lines[6] = lines[6].replace("张伟6".encode(), "张伟X".encode())
    log.path.write_bytes(b"".join(lines))
    r = CliRunner().invoke(main, ["audit", "verify", "--log", str(log.path)])
    assert r.exit_code == 1 and "第 7 行（第 7 条记录）内容与其哈希值不符（被改动过）" in r.output
    r = CliRunner().invoke(main, ["audit", "verify", "--log", str(log.path), "--lang", "en"])
    assert r.exit_code == 1 and "line 7 (record 7)" in r.output and "does not match its hash" in r.output


@pytest.fixture
def zone(monkeypatch):
    """Set the office's time zone (``GRAPHKIT_TZ``) for one test, on a server set to UTC (``TZ``); the process's
    zone is restored after it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()

    def set_zone(name: str | None) -> None:
        if name is None:
            monkeypatch.delenv("GRAPHKIT_TZ", raising=False)
        else:
            monkeypatch.setenv("GRAPHKIT_TZ", name)

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_audit_show_reads_records_of_several_zones_in_the_offices_zone(tmp_path, zone):
    written = iter(  # 01:00, 01:30 and 02:00 UTC, written under TZ=Asia/Shanghai, UTC, Asia/Shanghai
        ["2024-05-01T09:00:00.000000+08:00", "2024-05-01T01:30:00.000000+00:00", "2024-05-01T10:00:00.000000+08:00"]
    )
    log = AuditLog(tmp_path / "c.db.audit.jsonl", clock=lambda: next(written))
    for q in ("甲", "乙", "丙"):
        log.append("find", {"query": q}, who="王科长")
    assert [r["at"][-6:] for r in log] == ["+08:00", "+00:00", "+08:00"]  # written with their offset

    def show(*args):
        r = CliRunner().invoke(main, ["audit", "show", "--log", str(log.path), *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return [line.split()[1:3] for line in r.output.splitlines()[:-1]]

    zone("UTC")
    assert show() == [["2024-05-01", t] for t in ("01:00:00+00:00", "01:30:00+00:00", "02:00:00+00:00")]
    assert len(show("--since", "2024-05-01 01:15")) == 2  # the reader's local time
    # on a server set to UTC, the office's time by default: China's (they had read 01:00:00+00:00)
    for name in (None, "Asia/Shanghai"):
        zone(name)
        assert show() == [["2024-05-01", t] for t in ("09:00:00+08:00", "09:30:00+08:00", "10:00:00+08:00")]
        assert len(show("--since", "2024-05-01 09:15")) == 2
    assert len(show("--since", "2024-05-01T01:45+00:00")) == 1  # an offset given is kept
    assert len(show("--since", "2024-05-01")) == 3


_WRITER = textwrap.dedent(
    """
    import sys
    from graphkit.audit import AuditLog
    log = AuditLog(sys.argv[1])
    for i in range(int(sys.argv[3])):
        log.append("neighbours", {"i": i}, who=sys.argv[2], result=i)
    """
)


def test_two_processes_appending_at_once_leave_one_chain(tmp_path):
    path = tmp_path / "shared.audit.jsonl"
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), f"p{k}", "200"], stderr=subprocess.PIPE)
        for k in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    log = AuditLog(path)
    v = log.verify()
    assert v.ok and v.records == 400, v
    recs = list(log)
    assert sorted(r["params"]["i"] for r in recs if r["who"] == "p0") == list(range(200))
    assert sorted(r["params"]["i"] for r in recs if r["who"] == "p1") == list(range(200))


def test_who_and_where(tmp_path, monkeypatch):
    monkeypatch.delenv("GRAPHKIT_AUDIT", raising=False)
    monkeypatch.setenv("GRAPHKIT_USER", "李主任")
    assert current_user("王科长") == "王科长" and current_user(None) == "李主任"
    monkeypatch.delenv("GRAPHKIT_USER")
    assert current_user(None)  # the login name
    assert str(audit_path_for("embedded:/x/c.db")) == "/x/c.db.audit.jsonl"
    monkeypatch.setenv("GRAPHKIT_AUDIT", str(tmp_path / "a.jsonl"))
    assert audit_path_for("neo4j://h:7687") == tmp_path / "a.jsonl"


# ---------------------------------------------------------------- the commands record, and the viewer role
@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit")
    city = write_city(root / "city")
    spec = f"embedded:{root / 'c.db'}"
    r = CliRunner().invoke(main, ["load", str(city), "--store", spec], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return spec


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)


def test_every_investigating_command_is_recorded(store):
    log = AuditLog(audit_path_for(store))
    before = len(log)
    assert run("find", "李娜", "--store", store, "--by", "王科长", "--purpose", "线索 2024-17").exit_code == 0
    assert run("neighbours", "张伟", "--store", store, "--hops", "1").exit_code == 0
    assert run("path", "张伟", "T1", "--store", store).exit_code == 0
    assert run("models", "run", "--store", store, "--model", "single_bid_tender").exit_code == 0
    r = run("find", P2, "--store", store, "--unmask", "--reason", "立案审查")
    assert r.exit_code == 0 and P2 in r.output
    recs = list(log)[before:]
    assert [r["command"] for r in recs] == ["find", "neighbours", "path", "models run", "find"]
    assert recs[0]["who"] == "王科长" and recs[0]["purpose"] == "线索 2024-17" and recs[0]["result"] == 1
    assert recs[-1]["unmasked"] and recs[-1]["reason"] == "立案审查"
    assert log.verify().ok
    shown = run("audit", "show", "--store", store, "--who", "王科长")
    assert "查找实体" in shown.output and "共 1 条记录" in shown.output and "目的：线索 2024-17" in shown.output
    as_json = [json.loads(x) for x in run("audit", "show", "--store", store, "--json").output.splitlines()]
    assert P2 not in json.dumps(as_json, ensure_ascii=False)  # parameters masked when shown
    assert any(P2[:4] in r["params"].get("query", "") for r in as_json)
    assert run("audit", "show", "--store", store, "--since", "2999-01-01").output.startswith("共 0 条记录")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_a_viewer_cannot_load_change_a_warning_or_unmask(store, tmp_path, how):
    pre, env = (["--read-only"], None) if how == "flag" else ([], {"GRAPHKIT_ROLE": "viewer"})
    city = write_city(tmp_path / "city")
    r = run(*pre, "load", str(city), "--store", f"embedded:{tmp_path / 'v.db'}", env=env)
    assert (
        r.exit_code == 3
        and "查看者（只读角色：graphkit --read-only 或 GRAPHKIT_ROLE=viewer）不能向图库加载数据" in (r.output)
    )
    assert not (tmp_path / "v.db").exists()
    r = run(*pre, "models", "run", "--store", store, env=env)
    assert r.exit_code == 3 and "不能把预警写入预警台账" in r.output
    r = run(
        *pre, "warnings", "update", "Wx", "--store", store, "--status", "dispatched", "--by", "x", "--to", "y", env=env
    )
    assert r.exit_code == 3 and "不能修改预警；请由有写权限的分析人员操作" in r.output
    r = run(*pre, "find", "张伟", "--store", store, "--unmask", "--reason", "x", env=env)
    assert r.exit_code == 3 and "不能明文显示身份标识（--unmask）" in r.output and P1 not in r.output
    assert "viewer" not in r.output.replace("GRAPHKIT_ROLE=viewer", "")  # no English inside the Chinese line
    r = run(*pre, "warnings", "list", "--store", store, "--unmask", "--reason", "x", "--lang", "en", env=env)
    assert r.exit_code == 3 and "error: a viewer cannot show identifiers in clear (--unmask)" in r.output
    r = run(*pre, "find", "张伟", "--store", store, env=env)  # a viewer reads, masked
    assert r.exit_code == 0 and P1[:4] in r.output and P1 not in r.output


@pytest.mark.parametrize("how", ["flag", "env"])
def test_a_viewers_refused_unmask_is_recorded_as_refused(store, how):
    """A refused attempt leaves a record: who asked, the command and its parameters, why it was refused;
    nothing shown (result None, unmasked false), the chain whole, ``audit show`` says REFUSED."""
    pre, env = (["--read-only"], None) if how == "flag" else ([], {"GRAPHKIT_ROLE": "viewer"})
    log = AuditLog(audit_path_for(store))
    before = len(log)
    r = run(*pre, "find", P1, "--store", store, "--unmask", "--reason", "核对身份", "--by", "小李", env=env)
    assert r.exit_code == 3 and "（此次被拒绝的操作已记入审计日志）" in r.output
    recs = list(log)[before:]
    assert len(recs) == 1
    rec = recs[0]
    assert (rec["command"], rec["who"], rec["result"], rec["unmasked"], rec["reason"]) == (
        "find",
        "小李",
        None,
        False,
        "核对身份",
    )
    assert rec["params"]["unmask"] is True and rec["params"]["query"] == P1
    assert "lang" not in rec["params"]  # the console's language is no parameter of what was asked
    assert "viewer cannot show identifiers in clear" in rec["params"]["refused"]
    assert log.verify().ok
    # a refusal recorded before kept it (lang=en shown as if a parameter): audit show leaves it out
    log.refuse("find", {"store": store, "query": "张伟", "lang": "en"}, why=rec["params"]["refused"], who="小李")
    shown = run("audit", "show", "--store", store, "--who", "小李").output
    assert "已拒绝：查看者（只读角色：graphkit --read-only 或 GRAPHKIT_ROLE=viewer）不能明文显示身份标识" in shown
    assert P1 not in shown and "a viewer cannot" not in shown
    assert "查询：张伟" in shown and "lang" not in shown, shown
    shown = run("audit", "show", "--store", store, "--who", "小李", "--lang", "en").output
    assert "REFUSED: a viewer cannot show identifiers in clear (--unmask)" in shown
    assert "query=张伟" in shown and "lang=" not in shown, shown


def test_a_viewers_refused_unmask_in_a_widget_is_recorded(tmp_path, monkeypatch):
    from graphkit.widgets.base import panel_identity

    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    log = AuditLog(tmp_path / "w.audit.jsonl")
    with pytest.raises(PermissionError, match="此次被拒绝的操作已记入审计日志"):
        panel_identity(None, by="小李", unmask=True, reason="核对", audit=log)
    with pytest.raises(PermissionError, match="recorded in the audit log"):
        panel_identity(None, by="小李", unmask=True, reason="核对", audit=log, lang="en")
    rec = list(log)[0]
    assert rec["who"] == "小李" and "viewer cannot show identifiers" in rec["params"]["refused"]


def test_audit_show_keeps_its_columns_in_line_whoever_ran_a_command(tmp_path, monkeypatch):
    """A record by the account 王科长 and one by an account named in letters: the name column was counted in
    characters, so a Chinese name pushed the command and the parameters three columns right of the others'."""
    import graphkit.audit
    from graphkit.cli.common import width

    log = AuditLog(tmp_path / "c.audit.jsonl")
    for who in ("王科长", "ana3"):  # each its own login account, so no account is printed beside the name
        monkeypatch.setattr(graphkit.audit, "login_name", lambda who=who: who)
        log.append("find", {"q": who}, who=who)
    shown = CliRunner().invoke(main, ["audit", "show", "--log", str(log.path)]).output.splitlines()
    starts = [width(line.split(" 查找实体 ")[0]) for line in shown if " 查找实体 " in line]
    assert len(starts) == 2 and starts[0] == starts[1], shown


def test_unmasking_waits_for_a_supervisors_approval_where_the_log_requires_one(store, tmp_path):
    """查询审批: with `audit policy --unmask-approval`, --unmask needs an approval recorded by someone else, in
    force; a refused attempt is recorded; the unmask's record names the approval; lifting the rule lifts it."""
    env = {"GRAPHKIT_AUDIT": str(tmp_path / "a.audit.jsonl")}  # a log of this test's own, beside the shared store
    log = AuditLog(tmp_path / "a.audit.jsonl")
    ask = ("find", P2, "--store", store, "--by", "王科长", "--unmask", "--reason", "核对身份")
    assert run(*ask, env=env).exit_code == 0  # no rule yet: a reason is enough
    assert "无须审批" in run("audit", "policy", "--store", store, env=env).output
    assert "no approval needed" in run("audit", "policy", "--store", store, "--lang", "en", env=env).output
    r = run("audit", "policy", "--store", store, "--unmask-approval", "--by", "主任", env=env)
    assert r.exit_code == 2 and '修改规则须给出 --reason "理由"' in r.output  # a rule changed says why
    rule = ("audit", "policy", "--store", store, "--by", "主任", "--reason")
    r = run(*rule, "委规 2026-3", "--unmask-approval", env=env)
    assert r.exit_code == 0 and "条记录：自即日起，明文显示身份标识须经领导审批" in r.output
    r = run(*ask, env=env)
    assert r.exit_code == 3 and "审计日志中没有王科长的审批记录" in r.output and P2 not in r.output
    assert "须经领导审批" in r.output and "supervisor" not in r.output
    assert "已记入审计日志" in r.output and "requires a supervisor's approval" in log.records()[-1]["params"].get(
        "refused", ""
    )
    r = run("audit", "approve", "--store", store, "--user", "王科长", "--by", "王科长", "--reason", "x", env=env)
    # a refusal exits 3, as a viewer's and an unapproved --unmask's do, not 2 with a usage message (it had)
    assert r.exit_code == 3 and "Usage:" not in r.output
    assert "错误：王科长不能审批本人的申请：须由他人审批（此次被拒绝的操作已记入审计日志）" in r.output
    # the attempt is in the log, as a viewer's is (it had left no trace), and approves nothing
    tried = log.records()[-1]
    assert tried["command"] == "audit approve" and tried["who"] == "王科长" and tried["params"]["user"] == "王科长"
    assert tried["params"]["refused"] == "王科长 cannot approve their own request: another person approves it"
    shown = run("audit", "show", "--store", store, "--command", "审批明文显示", env=env).output
    assert "已拒绝：王科长不能审批本人的申请：须由他人审批（所给理由：x）" in shown and "  理由：x" not in shown, shown
    assert run(*ask, env=env).exit_code == 3
    r = run(
        "audit",
        "approve",
        "--store",
        store,
        "--user",
        "王科长",
        "--by",
        "王科长",
        "--reason",
        "x",
        "--lang",
        "en",
        env=env,
    )
    assert (
        r.exit_code == 3 and "error: 王科长 cannot approve their own request" in r.output and "Usage:" not in r.output
    )
    # an approval that has ended does not count, and the refusal says when it ended
    AuditLog(tmp_path / "a.audit.jsonl", clock=lambda: "2020-01-01T09:00:00+08:00").approve(
        "王科长", by="李主任", reason="审批单 2019-9", hours=1
    )
    r = run(*ask, env=env)
    assert r.exit_code == 3 and "已于2020-01-01 10:00:00+08:00到期" in r.output and P2 not in r.output
    approve = ("audit", "approve", "--store", store, "--user", "王科长")
    r = run(*approve, "--by", "李主任", "--reason", "审批单 17", env=env)
    assert r.exit_code == 0 and "李主任 批准 王科长 明文显示身份标识，有效期至" in r.output
    seq = log.records(command="audit approve")[-1]["seq"]
    r = run(*ask, env=env)
    assert r.exit_code == 0 and P2 in r.output
    rec = log.records()[-1]
    assert rec["command"] == "find" and rec["unmasked"] and rec["params"]["approval"] == seq
    other = ("find", P2, "--store", store, "--by", "小李", "--unmask", "--reason", "核对")
    assert run(*other, env=env).exit_code == 3  # the approval is 王科长's, not everyone's
    assert run(*ask[:6], env=env).exit_code == 0  # masked work needs no approval
    shown = run("audit", "show", "--store", store, env=env).output
    assert "审批明文显示" in shown and "理由：审批单 17" in shown and f"审批记录：{seq}" in shown
    # a viewer's attempts are refused, recorded, and change nothing
    viewer = {**env, "GRAPHKIT_ROLE": "viewer"}
    assert run(*rule, "x", "--no-unmask-approval", env=viewer).exit_code == 3
    assert run(*approve, "--by", "李主任", "--reason", "x", "--hours", "1", env=viewer).exit_code == 3
    assert [r["params"].get("refused", "")[:15] for r in log.records()[-2:]] == ["a viewer cannot"] * 2
    assert run(*other, env=env).exit_code == 3 and log.unmask_needs_approval()
    r = run(*rule, "试点结束", "--no-unmask-approval", env=env)
    assert r.exit_code == 0 and run(*other, env=env).exit_code == 0
    assert log.verify().ok
    # the rule set, the viewer's refused lifting and the rule lifted each read so in the log (a lifting had printed
    # no parameter at all)
    for lang, (on, off), named in (
        ("zh", ("明文显示须经审批：是", "明文显示须经审批：否"), "设定审批规则"),
        ("en", ("unmask_approval=True", "unmask_approval=False"), "audit policy"),
    ):
        lines = run(
            "audit", "show", "--store", store, "--command", "audit policy", "--lang", lang, env=env
        ).output.splitlines()
        assert [(on in x, off in x) for x in lines if named in x] == [
            (True, False),
            (False, True),
            (False, True),
        ], lines


def test_a_panel_unmasks_only_on_an_approval_where_the_log_requires_one(tmp_path):
    from graphkit.widgets.base import panel_identity

    log = AuditLog(tmp_path / "w.audit.jsonl")
    log.append("audit policy", {"unmask_approval": True}, who="主任", reason="委规")
    with pytest.raises(PermissionError, match="须经领导审批，而审计日志中没有小李的审批记录"):
        panel_identity(None, by="小李", unmask=True, reason="核对", audit=log)
    with pytest.raises(PermissionError, match="no approval is recorded for 小李"):
        panel_identity(None, by="小李", unmask=True, reason="核对", audit=log, lang="en")
    assert "requires a supervisor's approval" in log.records()[-1]["params"]["refused"]
    assert panel_identity(None, by="小李", audit=log).unmask is False  # masked: no approval asked
    rec = log.approve("小李", by="李主任", reason="审批单 3")
    who = panel_identity(None, by="小李", unmask=True, reason="核对", audit=log)
    assert who.unmask and who.approval == rec["seq"]
    who.record("find", result=1, query="x")
    assert log.records()[-1]["params"]["approval"] == rec["seq"] and log.verify().ok


def test_types_take_followthemoney_interval_names(store):
    links = json.loads(
        run("neighbours", "李娜", "--store", store, "--hops", "1", "--types", "OWNERSHIP", "--json").output
    )
    assert {lk["type"] for lk in links["links"]} == {"SHAREHOLDER_OF"}
    both = json.loads(
        run("neighbours", "李娜", "--store", store, "--hops", "1", "--types", "Family,ownership", "--json").output
    )
    assert {lk["type"] for lk in both["links"]} == {"SHAREHOLDER_OF", "FAMILY"}
    bad = run("neighbours", "李娜", "--store", store, "--types", "OWNERSHIP,KNOWS")
    assert bad.exit_code != 0 and "没有关系类型 'KNOWS'" in bad.output, bad.output
    bad = run("neighbours", "李娜", "--store", store, "--types", "OWNERSHIP,KNOWS", "--lang", "en")
    assert bad.exit_code != 0 and "unknown relationship type(s) 'KNOWS'" in bad.output


def test_unmask_needs_a_reason(store):
    r = run("find", "张伟", "--store", store, "--unmask", "--lang", "en")
    assert r.exit_code == 2 and "--unmask needs --reason" in r.output
    r = run("find", "张伟", "--store", store, "--unmask")  # in Chinese by default (it said the English)
    assert r.exit_code == 2 and '--unmask 须同时给出 --reason "为何须显示明文标识"' in r.output, r.output


def test_a_command_whose_record_cannot_be_kept_does_not_run(store, tmp_path):
    log = _log(tmp_path)
    log.path.write_bytes(b"".join(_lines(log)[:9]))
    env = {"GRAPHKIT_AUDIT": str(log.path)}
    r = run("find", "李娜", "--store", store, "--lang", "en", env=env)
    assert r.exit_code == 3 and "ends at record 9 but its head names record 10" in r.output
    assert "graphkit audit verify" in r.output and "李娜" not in r.output  # refused, not run
    r = run("find", "李娜", "--store", store, env=env)  # in Chinese by default (it said the English)
    assert r.exit_code == 3 and "已损坏：日志止于第 9 条记录，头文件记的却是第 10 条" in r.output, r.output
    # in the words `audit verify` says the same cut in (末尾的记录被删 here, 被截去 there)
    assert (
        "（末尾的记录被截去，或头文件被改写）" in r.output
        and "（末尾的记录被截去，或头文件被改写）" in log.verify().problem_zh
    )
    assert "命令未执行" in r.output and "graphkit audit verify" in r.output and "李娜" not in r.output
    out = tmp_path / "n.graphml"
    r = run("neighbours", "李娜", "--store", store, "--export", str(out), env=env)
    assert r.exit_code == 3 and not out.exists()
    assert len(log) == 9
    r = run("audit", "verify", "--log", str(log.path))
    assert r.exit_code == 1 and "日志止于第 9 条记录，头文件记的却是第 10 条" in r.output


def test_no_whole_birth_date_beside_a_masked_id_number(store, tmp_path):
    out = tmp_path / "p.graphml"
    assert run("path", "张伟", "T1", "--store", store, "--export", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert P1 not in text and "1975-03-12" not in text and ">1975<" in text  # 张伟, born 1975-03-12
    clear = tmp_path / "clear.graphml"
    run("path", "张伟", "T1", "--store", store, "--export", str(clear), "--unmask", "--reason", "立案审查")
    assert "1975-03-12" in clear.read_text(encoding="utf-8")
    for args in (("find", "张伟"), ("neighbours", "张伟", "--hops", "1", "--json"), ("path", "张伟", "T1", "--json")):
        r = run(*args, "--store", store)
        assert r.exit_code == 0 and "1975-03-12" not in r.output and P1 not in r.output, args


def test_a_record_keeps_the_account_beside_the_name_given_and_older_records_still_verify(tmp_path):
    """``--by 王科长`` was all a record said of who ran a command: anyone could type any name. The account that
    ran it is now kept beside it and shown where the two differ; a log written before that still verifies and
    takes new records, and dropping ``login`` from a new record breaks its hash like any other edit."""
    import copy

    from graphkit.audit import _canonical, login_name, record_hash

    log = AuditLog(tmp_path / "c.db.audit.jsonl")
    # two records as the version before wrote them: no login field, the hash over what they hold
    prev = GENESIS
    lines = []
    for i in (1, 2):
        rec = {"seq": i, "at": "2026-12-01T09:00:00+08:00", "who": "王科长", "command": "find", "params": {"q": i}}
        rec |= {"purpose": None, "result": 1, "unmasked": False, "reason": None, "prev": prev}
        rec["hash"] = record_hash(rec)
        prev = rec["hash"]
        lines.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    log.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log._write_head(rec)
    assert log.verify().ok
    new = log.append("find", {"q": 3}, who="王科长")
    assert new["who"] == "王科长" and new["login"] == login_name() and new["seq"] == 3
    assert log.verify().ok and log.verify().records == 3
    shown = CliRunner().invoke(main, ["audit", "show", "--log", str(log.path)])
    assert f"王科长（登录账号 {login_name()}）" in shown.output, shown.output
    # the login cannot be taken out of a record without the chain saying so
    stripped = copy.deepcopy(new)
    del stripped["login"]
    assert _canonical(stripped) != _canonical(new) and record_hash(stripped) != new["hash"]
    raw = log.path.read_bytes().splitlines(keepends=True)
    doctored = {k: v for k, v in json.loads(raw[-1]).items() if k != "login"}
    raw[-1] = (json.dumps(doctored, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    log.path.write_bytes(b"".join(raw))
    v = log.verify()
    assert not v.ok and "record 3" in v.problem, v.problem


def test_audit_show_of_a_command_the_log_has_not_got_says_so(tmp_path):
    """`audit show --command exprot` (a typo) printed '0 record(s)' as if nothing of the kind had happened."""
    log = AuditLog(tmp_path / "a.jsonl")
    log.append("export", {"case": "C1"}, who="王科长", result=1)
    log.append("find", {"q": "张伟"}, who="王科长", result=2)
    r = CliRunner().invoke(main, ["audit", "show", "--log", str(log.path), "--command", "exprot"])
    assert r.exit_code == 0 and "共 0 条记录" in r.output
    assert "注意：日志中没有命令 'exprot'（是否要找 '导出案卷'？）；日志中的命令：导出案卷、查找实体" in r.output
    r = CliRunner().invoke(main, ["audit", "show", "--log", str(log.path), "--command", "exprot", "--lang", "en"])
    assert "0 record(s)" in r.output
    assert "note: the log has no command 'exprot' (did you mean 'export'?); its commands: export, find" in r.output
    r = CliRunner().invoke(main, ["audit", "show", "--log", str(log.path), "--command", "export"])
    assert "共 1 条记录" in r.output and "注意" not in r.output


def test_audit_show_where_there_is_no_log_says_where_it_looked(tmp_path, monkeypatch):
    """A Neo4j store's log is ``graphkit.audit.jsonl`` in the folder a command ran in: `audit show --store
    neo4j://…` from another folder printed "0 record(s) in graphkit.audit.jsonl", as if nothing had been recorded.
    It says that no log is there, the full path, and how the log is found (`audit verify` did say "no audit log")."""
    monkeypatch.delenv("GRAPHKIT_AUDIT", raising=False)
    monkeypatch.chdir(tmp_path)
    for sub in ("show", "verify"):
        r = CliRunner().invoke(main, ["audit", sub, "--store", "neo4j://127.0.0.1:7687", "--lang", "en"])
        assert r.exit_code == 1 and "record(s)" not in r.output, r.output
        assert f"no audit log at {tmp_path / 'graphkit.audit.jsonl'}" in r.output and "GRAPHKIT_AUDIT" in r.output
        r = CliRunner().invoke(main, ["audit", sub, "--store", "neo4j://127.0.0.1:7687"])  # Chinese by default
        assert f"{tmp_path / 'graphkit.audit.jsonl'} 处没有审计日志（Neo4j 库的审计日志" in r.output, r.output
    r = CliRunner().invoke(main, ["audit", "show", "--store", f"embedded:{tmp_path / 'g.db'}", "--lang", "en"])
    assert r.exit_code == 1 and f"no audit log at {tmp_path / 'g.db.audit.jsonl'}" in r.output, r.output


def test_audit_show_holds_an_official_cars_plate_in_clear_as_the_exports_do(store):
    """``audit show`` masked every plate in a record's parameters (an export's ``left_out`` named the unit's
    official car 苏E·94W96 as a hub; the show said 苏E·***96) where the case file and the console showed it: an
    official car's plate is public. With ``--store`` the show asks the store, as every face does; a private car
    stays masked, and with the log alone (no store known) every plate is."""
    assert run("neighbours", "苏E·A0001", "--store", store, "--hops", "1", "--by", "巡查员").exit_code == 0
    assert run("neighbours", "苏E·12345", "--store", store, "--hops", "1", "--by", "巡查员").exit_code == 0
    for fmt in ((), ("--json",)):
        shown = run("audit", "show", "--store", store, "--who", "巡查员", *fmt)
        assert shown.exit_code == 0, shown.output
        assert "苏E·A0001" in shown.output and "苏E·***45" in shown.output and "12345" not in shown.output
    log = store.removeprefix("embedded:") + ".audit.jsonl"
    bare = run("audit", "show", "--log", log, "--who", "巡查员").output
    assert "苏E·A0001" not in bare and "苏E·***01" in bare and "12345" not in bare


def test_audit_show_of_an_edited_or_cut_log_says_it_is_broken(tmp_path):
    """``audit show`` listed an edited record (its reason changed from 立案审查) and a log cut at its end as if whole:
    only ``audit verify`` told, and a supervisor reading the records took the edit for the record. The show now
    says the log is broken, where, on stderr and under the records, and marks the record that fails."""
    log = _log(tmp_path, n=5)
    path = log.path
    whole = run("audit", "show", "--log", str(path))
    assert whole.exit_code == 0 and "BROKEN" not in whole.output
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[:2], lines[2].replace(b'"find"', b'"fjnd"'), *lines[3:]]))
    edited = CliRunner().invoke(main, ["audit", "show", "--log", str(path), "--lang", "en"], catch_exceptions=False)
    assert edited.exit_code == 0
    assert "warning: audit log" in edited.stderr and "line 3 (record 3)" in edited.stderr, edited.stderr
    out = edited.stdout.splitlines()
    assert out[-1].endswith("; BROKEN: line 3 (record 3): its content does not match its hash (edited)"), out
    assert [line.split()[0] for line in out if "BROKEN HERE" in line] == ["3"], out
    path.write_bytes(b"".join(lines[:4]))  # the last record cut; the head still names it
    cut = CliRunner().invoke(main, ["audit", "show", "--log", str(path)], catch_exceptions=False)
    said = "；日志已损坏：日志止于第 4 条记录，头文件记的却是第 5 条（末尾的记录被截去，或头文件被改写）"
    assert cut.stdout.splitlines()[-1].endswith(said), cut.stdout
    assert cut.stderr.startswith("警告：审计日志 ") and "其中的记录不可信" in cut.stderr, cut.stderr


def test_audit_show_about_a_person_finds_every_command_that_showed_them(store, tmp_path):
    """ "Who saw this person's data?" A record named only what was typed (``entity=张伟``): a person seen as a
    neighbour of their unit, on a path or in a case file of someone else was in no record, and a search by ID
    number found nothing. Records now name the persons a command showed (``params.persons``) and the keys it
    resolved, and ``audit show --about`` finds them by ID number, or by name with --store; shown masked."""
    from fixture_city import C1, U1

    from graphkit.model.mask import mask_node_key

    assert run("neighbours", U1, "--store", store, "--hops", "1", "--by", "甲").exit_code == 0
    assert run("path", "张伟", C1, "--store", store, "--by", "乙").exit_code == 0
    out = tmp_path / "c1.json"
    assert (
        run(
            "export", "--store", store, "--entity", C1, "--hops", "2", "--out", str(out), "--case", "案1", "--by", "丙"
        ).exit_code
        == 0
    )
    assert run("find", "李娜", "--store", store, "--by", "丁").exit_code == 0
    recs = list(AuditLog(audit_path_for(store)))[-4:]
    assert [r["command"] for r in recs] == ["neighbours", "path", "export", "find"]
    assert recs[0]["params"]["keys"] == [U1] and P1 in recs[0]["params"]["persons"]
    assert P1 in recs[1]["params"]["persons"] and P1 in recs[2]["params"]["persons"]
    assert recs[3]["params"]["persons"] == [P2]
    for about, spec in ((P1, ()), ("张伟", ("--store", store))):
        shown = run(
            "audit", "show", "--log", str(audit_path_for(store)), "--about", about, *spec, "--since", recs[0]["at"]
        )
        assert shown.exit_code == 0, shown.output
        lines = [line for line in shown.output.splitlines() if line[:6].strip().isdigit()]
        assert [line.split()[3].split("（")[0] for line in lines] == ["甲", "乙", "丙"], shown.output
        assert P1 not in shown.output and "涉及人员：" in lines[0]
    as_json = run("audit", "show", "--store", store, "--about", P1, "--json").output
    assert mask_node_key("Person", P1) in as_json and P1 not in as_json
    # the key as a show printed it, masked, finds the same records (and those of any key masked alike)
    again = run("audit", "show", "--store", store, "--about", mask_node_key("Person", P1), "--json").output
    assert [json.loads(x)["seq"] for x in again.splitlines()] == [json.loads(x)["seq"] for x in as_json.splitlines()]


@pytest.mark.neo4j
def test_audit_show_reads_a_neo4j_store_as_an_embedded_one(store, neo4j_empty, tmp_path, monkeypatch):
    """The persons a record names, ``--about`` by name and the official car's plate in clear come from the graph:
    the same on Neo4j as on the embedded store (the fixture city loaded into both)."""
    from fixture_city import C1, U1

    monkeypatch.setenv("GRAPHKIT_AUDIT", str(tmp_path / "graphkit.audit.jsonl"))
    uri = neo4j_empty.uri
    quarantine = str(tmp_path / "q.csv")  # a Neo4j load's default is the working folder's quarantine.csv
    assert run("load", str(write_city(tmp_path / "city")), "--store", uri, "--quarantine", quarantine).exit_code == 0
    seen = {}
    for spec in (store, uri):
        monkeypatch.setenv("GRAPHKIT_AUDIT", str(tmp_path / f"{spec.split(':')[0]}.audit.jsonl"))
        log = AuditLog(audit_path_for(spec))
        before = len(log) if log.path.exists() else 0
        assert run("neighbours", U1, "--store", spec, "--hops", "1").exit_code == 0
        assert run("path", "张伟", C1, "--store", spec).exit_code == 0
        assert run("neighbours", "苏E·A0001", "--store", spec, "--hops", "1").exit_code == 0
        recs = list(log)[before:]
        about = run("audit", "show", "--store", spec, "--about", "张伟", "--json").output.splitlines()
        shown = run("audit", "show", "--store", spec, "--command", "neighbours").output
        seen[spec] = (
            [(r["params"].get("keys"), r["params"].get("persons")) for r in recs],
            [json.loads(x)["command"] for x in about],
            "苏E·A0001" in shown,
        )
    assert seen[store] == seen[uri] and seen[uri][2], seen
    assert seen[uri][1] == ["neighbours", "path"]


def test_audit_show_writes_the_records_for_a_review_and_records_that_it_did(store, tmp_path):
    """A supervisor exporting the audit trail for a review had only ``--json`` on the console: no file for the
    reviewer, and the export itself left no trace. ``--out F.csv`` writes the records shown (masked, Chinese
    columns, the persons and files apart), and appends an ``audit show`` record with the file's SHA-256 and the
    log's head; a log that cannot take that record (broken) leaves no file behind."""
    import csv
    import hashlib

    from graphkit.model.mask import mask_node_key

    assert run("find", P1, "--store", store, "--by", "王科长", "--purpose", "复核").exit_code == 0
    out = tmp_path / "review" / "张伟.csv"
    r = run("audit", "show", "--store", store, "--about", P1, "--out", str(out), "--by", "李主任")
    assert r.exit_code == 0 and f"已写出 {out}" in r.output, r.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows and rows[-1]["命令"] == "查找实体" and rows[-1]["目的"] == "复核" and rows[-1]["操作人"] == "王科长"
    assert rows[-1]["涉及人员"] == mask_node_key("Person", P1) and P1 not in out.read_text(encoding="utf-8-sig")
    last = list(AuditLog(audit_path_for(store)))[-1]
    assert last["command"] == "audit show" and last["who"] == "李主任" and last["params"]["about"] == P1
    assert last["params"]["sha256"] == [hashlib.sha256(out.read_bytes()).hexdigest()] and last["result"] == len(rows)
    assert last["params"]["head"] == list(AuditLog(audit_path_for(store)))[-2]["hash"]
    broken = _log(tmp_path / "b", n=3)
    broken.path.write_bytes(b"".join(_lines(broken)[:2]))  # the last record cut
    gone = tmp_path / "gone.csv"
    r = run("audit", "show", "--log", str(broken.path), "--out", str(gone))
    assert r.exit_code == 3 and not gone.exists(), r.output


def test_warnings_list_and_show_name_the_persons_of_the_warnings_they_showed(store):
    """A warning names its persons (the official, the relative) in its summary and entities; ``warnings list`` and
    ``show`` recorded only the filter or the warning id, so ``audit show --about`` missed them."""
    assert run("models", "run", "--store", store, "--by", "系统").exit_code == 0
    from graphkit.rules.ledger import Ledger

    with Ledger(store.removeprefix("embedded:") + ".ledger.sqlite", read_only=True) as led:
        listed = led.warnings()
    about = [w for w in listed if "person" in w["types"]]
    assert about
    assert run("warnings", "list", "--store", store, "--by", "戊").exit_code == 0
    assert run("warnings", "show", about[0]["id"], "--store", store, "--by", "戊").exit_code == 0
    recs = [r for r in AuditLog(audit_path_for(store)) if r["who"] == "戊"]
    assert [r["command"] for r in recs] == ["warnings list", "warnings show"]
    every = {e for w in listed for e, t in zip(w["entities"], w["types"], strict=True) if t == "person"}
    assert set(recs[0]["params"]["persons"]) == every
    mine = [e for e, t in zip(about[0]["entities"], about[0]["types"], strict=True) if t == "person"]
    assert recs[1]["params"]["persons"] == sorted(set(mine))


def test_audit_show_who_finds_an_accounts_records_whatever_name_it_gave(tmp_path):
    """``--by`` is a claim: an account that typed ``--by 李主任`` was found only under 李主任, and ``audit show --who``
    with the account's login found nothing. ``--who`` now matches the name given or the login."""
    log = AuditLog(tmp_path / "a.jsonl")
    log.append("find", {"q": "张伟"}, who="王科长", result=1)
    log.append("find", {"q": "李娜"}, who="李主任", result=1)
    from graphkit.audit import login_name

    mine = login_name()
    r = run("audit", "show", "--log", str(log.path), "--who", mine, "--json")
    assert [json.loads(x)["who"] for x in r.output.splitlines()] == ["王科长", "李主任"], r.output
    r = run("audit", "show", "--log", str(log.path), "--who", "李主任", "--json")
    assert [json.loads(x)["params"]["q"] for x in r.output.splitlines()] == ["李娜"]


def test_every_refusal_a_command_records_is_said_in_chinese():
    """The log keeps why an attempt was refused in English (``params.refused``, as it always did); every reason
    a command gives, a viewer's and an approval's, reads in Chinese, with nothing English left inside it."""
    import re
    from pathlib import Path

    from graphkit.audit import PANEL_VIEWER_REFUSAL, VIEWER_ACTIONS_ZH, refusal_words, viewer_refusal

    src = Path(__file__).resolve().parents[1] / "graphkit"
    asked = {m for f in src.rglob("*.py") for m in re.findall(r'refuse_viewer\("([^"]+)"\)', f.read_text("utf-8"))}
    assert asked and asked <= set(VIEWER_ACTIONS_ZH), asked - set(VIEWER_ACTIONS_ZH)
    for action in asked:
        zh = refusal_words(viewer_refusal(action))
        assert zh.startswith("查看者（只读角色") and not re.search(r"\b(a|cannot|the)\b", zh), zh
        assert refusal_words(viewer_refusal(action), "en") == viewer_refusal(action)
    assert refusal_words(PANEL_VIEWER_REFUSAL) == "查看者（GRAPHKIT_ROLE=viewer）不能明文显示身份标识"
    assert refusal_words("something else") == "something else"


def test_a_record_that_names_only_persons_shows_no_stray_comma(tmp_path):
    """`warnings list` records only the persons it showed: `audit show` printed `warnings list , persons=33`."""
    log = AuditLog(tmp_path / "p.audit.jsonl")
    log.append("warnings list", {"persons": ["320583199001011234", "320583199001015678"]}, who="甲", result=2)
    line = next(x for x in run("audit", "show", "--log", str(log.path)).output.splitlines() if "列出预警" in x)
    assert "列出预警 涉及人员：2 人 → 2" in " ".join(line.split()), line
    assert "；涉及人员" not in line, line
    shown = run("audit", "show", "--log", str(log.path), "--lang", "en").output
    line = next(x for x in shown.splitlines() if "warnings list" in x)
    assert "warnings list persons=2 → 2" in " ".join(line.split()), line
    assert ", persons" not in line, line


def test_a_records_parameters_read_in_the_readers_words(tmp_path):
    """``audit show``, its review CSV and notebook 05's table printed a record's parameters as the program names
    them: ``entities=['常永', '陈敏'], max_links=500, via=notebook 04, face=widgets``. A Chinese supervisor reads
    Chinese names, lists joined with 、, flags as 是/否, nothing for what was not given; ``--lang en`` as before; the
    record itself unchanged."""
    import csv

    log = AuditLog(tmp_path / "w.audit.jsonl")
    asked = {"entities": ["常永", "陈敏"], "types": None, "max_links": 500, "all": True, "collusion": False}
    log.append("export", {**asked, "via": "notebook 04", "face": "widgets"}, who="甲", result=1)
    kept = (tmp_path / "w.audit.jsonl").read_bytes()
    out = tmp_path / "review.csv"
    r = run("audit", "show", "--log", str(log.path), "--out", str(out), "--by", "李主任")
    line = next(x for x in r.output.splitlines() if " 导出案卷 " in x)
    said = "实体：常永、陈敏；最多关系数：500；全部路径：是；经由：笔记本 04；界面：Jupyter 小部件"
    assert said in line, line
    for programmer in ("entities", "max_links", "types", "null", "None", "via", "face", "[", "collusion"):
        assert programmer not in line, (programmer, line)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["参数"] == said, rows[0]
    assert (tmp_path / "w.audit.jsonl").read_bytes().startswith(kept)  # the record as it was (the show appended)
    en = run("audit", "show", "--log", str(log.path), "--lang", "en").output
    assert "entities=['常永', '陈敏'], max_links=500, all=True, via=notebook 04, face=widgets" in en, en


def test_audit_show_in_english_says_a_warnings_status_and_verdict_in_words(tmp_path):
    """``audit show --lang en`` printed a status change's parameters as the ledger keys them
    (``status=dispatched``, ``outcome=true_positive``) where the Chinese says 核查中 and every English face says the
    status in words (being checked, substantiated)."""
    log = AuditLog(tmp_path / "w.audit.jsonl")
    log.append("warnings update", {"warning": "W1", "status": "dispatched", "to": "第三室"}, who="甲", result=1)
    log.append("warnings update", {"warning": "W1", "status": "verified", "outcome": "true_positive"}, who="甲")
    en = run("audit", "show", "--log", str(log.path), "--lang", "en").output
    assert "status=being checked" in en and "status=checked, outcome=substantiated" in en, en
    assert "dispatched" not in en and "true_positive" not in en, en
    zh = run("audit", "show", "--log", str(log.path)).output
    assert "核查中" in zh and "属实" in zh, zh


def test_an_export_records_parameters_each_read_under_its_own_name():
    """``audit show`` read an export's record ``…；格式：pdf；…；格式：pdf``: the ``--format`` asked and the formats of
    the files written (``formats``, which ``export``, ``neighbours --export`` and the demo record) had one name."""
    from graphkit.audit import params_in_words

    said = params_in_words({"entities": ["雷婉"], "format": "pdf", "out": "case.pdf", "formats": ["pdf", "graphml"]})
    names = [part.split("：", 1)[0] for part in said.split("；")]
    assert len(names) == 4 and len(set(names)) == len(names), said


def test_a_records_values_and_command_read_in_the_readers_words(tmp_path):
    """``audit show`` printed a record's command and enumerated values in the program's words: ``warnings update
    状态：dispatched``, ``等级：red``, ``模型：all``, ``范围：unmask``, ``中途停止：before the other files were
    written``, ``关系类型：FAMILY``. They read as the other faces say them (核查中, 红色, 围标串标, 亲属), the command
    too (流转预警, which ``--command`` takes as well as ``warnings update``); ``--lang en`` and the review CSV under
    ``--lang en`` (English headings) as the program names them; the stored records unchanged."""
    import csv

    log = AuditLog(tmp_path / "v.audit.jsonl")
    log.append("warnings update", {"face": "widgets", "warning": "W1", "status": "dispatched"}, who="甲", result=1)
    log.append("warnings list", {"status": ["generated"], "level": ["red"], "model": "bid_rigging"}, who="甲")
    log.append("models run", {"models": "all"}, who="甲", result=3)
    until = "2024-05-01T01:00:00+00:00"
    log.append("audit approve", {"user": "乙", "scope": "unmask", "hours": 8.0, "until": until}, who="丙", reason="批")
    stopped = {"via": "neighbours", "case": "C1", "stopped": "before the other files were written"}
    log.append("export", {**stopped, "types": "FAMILY,EMPLOYED_BY"}, who="甲", result=2)
    log.append("audit show", {"command": "warnings update"}, who="丙", result=1)  # what a supervisor looked for
    kept = log.path.read_bytes()
    r = run("audit", "show", "--log", str(log.path), env={"GRAPHKIT_TZ": "Asia/Shanghai"})
    lines = [" ".join(x.split()) for x in r.output.splitlines() if x[:6].strip().isdigit()]
    assert "流转预警 界面：Jupyter 小部件；预警：W1；状态：核查中 → 1" in lines[0], lines
    assert "列出预警 状态：待核查；等级：红色；模型：围标串标 → -" in lines[1], lines
    assert "运行模型 模型：全部 → 3" in lines[2], lines
    approved = "被批准人：乙；范围：明文显示身份标识；有效小时数：8；有效期至：2024-05-01 09:00:00+08:00"
    assert f"审批明文显示 {approved}" in lines[3], lines
    stopped_zh = "经由：查看邻域；案卷号：C1；中途停止：其余文件写出之前；关系类型：亲属、任职/参保"
    assert f"导出案卷 {stopped_zh}" in lines[4], lines
    assert "查看审计日志 命令：流转预警 → 1" in lines[5], lines
    for programmer in ("warnings", "dispatched", "generated", "red", "all", "unmask", "before", "export", "FAMILY"):
        assert not any(programmer in x for x in lines), (programmer, lines)
    picked = run("audit", "show", "--log", str(log.path), "--command", "流转预警", "--json").output.splitlines()
    assert [json.loads(x)["seq"] for x in picked] == [1], picked
    en = run("audit", "show", "--log", str(log.path), "--lang", "en").output
    # a status in words, as every English face says it (it read status=dispatched, the ledger's key)
    assert "warnings update face=widgets, warning=W1, status=being checked" in " ".join(en.split()), en
    assert "warnings list status=['to be checked'], level=['red']" in " ".join(en.split()), en
    assert "models run models=all" in " ".join(en.split()) and "模型" not in en, en
    # an approval's end in the office's zone, as the record's own time beside it (it read T01:00:00+00:00)
    assert "until=2024-05-01 09:00:00+08:00" in en, en
    zh_csv, en_csv = tmp_path / "zh.csv", tmp_path / "en.csv"
    assert run("audit", "show", "--log", str(log.path), "--out", str(zh_csv), "--by", "丁").exit_code == 0
    assert run("audit", "show", "--log", str(log.path), "--out", str(en_csv), "--lang", "en").exit_code == 0
    rows = list(csv.DictReader(zh_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["命令"] == "流转预警" and rows[0]["参数"] == "界面：Jupyter 小部件；预警：W1；状态：核查中", rows[0]
    rows = list(csv.DictReader(en_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert list(rows[0])[:5] == ["seq", "at", "who", "login", "command"], list(rows[0])
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(rows[0])), list(rows[0])  # no Chinese heading
    assert rows[0]["command"] == "warnings update" and json.loads(rows[0]["params"])["status"] == "dispatched"
    assert log.path.read_bytes().startswith(kept)  # the records as they were (the two --out appended theirs)


def test_a_viewers_refused_rule_change_is_recorded_in_the_log_named_and_files_are_said_once(tmp_path):
    """A viewer's ``audit policy --log L --unmask-approval`` was refused and recorded nowhere (only a store's log or
    GRAPHKIT_AUDIT was written): it is recorded in L. An export's files were listed in its line and again, with
    their SHA-256, under it: once, under it."""
    log = AuditLog(tmp_path / "l.audit.jsonl")
    done = {"case": "C1", "files": ["/cases/c.pdf"], "sha256": ["ab" * 32], "bytes": [9]}
    log.append("export", done, who="甲", result=1)
    r = run(
        "audit",
        "policy",
        "--log",
        str(log.path),
        "--unmask-approval",
        "--by",
        "乙",
        "--reason",
        "x",
        env={"GRAPHKIT_ROLE": "viewer"},
    )
    assert r.exit_code == 3 and "（此次被拒绝的操作已记入审计日志）" in r.output, r.output
    last = log.records()[-1]
    assert last["command"] == "audit policy" and last["who"] == "乙" and "log" not in last["params"], last
    assert last["params"]["refused"].startswith("a viewer cannot change the audit log's rules")
    assert not log.unmask_needs_approval() and log.verify().ok
    shown = run("audit", "show", "--log", str(log.path)).output
    assert shown.count("/cases/c.pdf") == 1 and f"文件 /cases/c.pdf  sha256 {'ab' * 32}  9 字节" in shown, shown


def test_notebook_05s_review_table_reads_in_the_notebooks_language(tmp_path):
    """Notebook 05's table of the export records kept Chinese headings (序号, 命令 …) and caption under
    ``GRAPHKIT_LANG=en``, and its chain line printed the English problem inside a Chinese sentence. Its table reads
    in the notebook's language (``LANG = notebook_lang()``) as ``audit show --out`` writes it, its line as ``audit
    verify`` says it."""
    from pathlib import Path

    from graphkit.audit import review_rows
    from graphkit.notebook import review_table

    log = AuditLog(tmp_path / "n.audit.jsonl")
    log.append("export", {"case": "C1", "via": "notebook 05"}, who="甲", result=2)
    en = review_table(review_rows(list(log), log.verify(), lang="en"), lang="en")
    assert list(en.data.columns)[:3] == ["seq", "at", "who"] and en.data["command"].tolist() == ["export"]
    assert en.caption.startswith("columns empty in every record: ") and "login" not in en.caption, en.caption
    zh = review_table(review_rows(list(log), log.verify()))
    assert zh.data["命令"].tolist() == ["导出案卷"] and zh.caption.startswith("各条记录均为空的列：")
    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "05_case_export.ipynb").read_text("utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "LANG = notebook_lang()" in code and "lang=LANG)[-6:], lang=LANG)" in code, code
    assert "verify().said(audit.path, LANG)" in code and "check.problem}" not in code, code
    assert log.verify().said("a", "en").startswith("audit log a: 1 record, chain whole")


def test_every_command_has_its_chinese_words():
    """Every command of ``graphkit`` (a refused one is recorded too, whichever it is) has its words in
    :data:`graphkit.audit.COMMAND_WORDS_ZH`, each word once so that ``--command`` takes it back."""
    import click

    from graphkit.audit import COMMAND_WORDS_ZH, command_named

    def leaves(cmd, path=()):
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from leaves(sub, (*path, name))
        else:
            yield " ".join(path)

    commands = set(leaves(main))
    assert "warnings update" in commands and not commands - set(COMMAND_WORDS_ZH), commands - set(COMMAND_WORDS_ZH)
    assert len(set(COMMAND_WORDS_ZH.values())) == len(COMMAND_WORDS_ZH)
    assert all(command_named(zh) == c for c, zh in COMMAND_WORDS_ZH.items())


def test_every_option_a_command_records_has_its_chinese_name():
    """A record's parameters are the options of the command that wrote it: each has a name in
    :data:`graphkit.audit.PARAM_WORDS_ZH`, or ``audit show`` reads it in the program's words."""
    import click

    from graphkit.audit import PARAM_WORDS_ZH

    unsaid = set()

    def walk(cmd):
        if isinstance(cmd, click.Group):  # a group's options (--verbose, --read-only) are no command's parameters
            for sub in cmd.commands.values():
                walk(sub)
            return
        # what a record never keeps as a parameter: the store, who and why (their own fields), the console's language
        unsaid.update(
            p.name
            for p in cmd.params
            if p.name not in PARAM_WORDS_ZH and p.name not in ("store_spec", "purpose", "reason", "lang")
        )

    walk(main)
    assert not unsaid, sorted(unsaid)


def test_an_approval_the_audit_log_cannot_take_is_an_io_failure_naming_the_file(store, tmp_path, monkeypatch):
    """``audit approve`` with a log it cannot write had said ``错误：[Errno 17] File exists: '…'`` under a usage line
    and exited 2, the usage-error code: it names the log, what is wrong with it and that nothing was approved, and
    exits 1 as any command does that cannot write its file (``graphkit.cli.Console.invoke``)."""
    import errno

    in_the_way = tmp_path / "a_file"
    in_the_way.write_text("", encoding="utf-8")
    log = in_the_way / "a.audit.jsonl"  # its folder is a file
    approve = ("audit", "approve", "--store", store, "--log", str(log), "--user", "王科长", "--by", "李主任")
    r = run(*approve, "--reason", "审批单 17")
    assert r.exit_code == 1, r.output
    assert r.output.strip() == f"错误：无法写入审计日志 {log}（{in_the_way}：路径中有一段是文件，不是文件夹）；未作批准"
    r = run(*approve, "--reason", "审批单 17", "--lang", "en")
    assert r.exit_code == 1 and "Usage" not in r.output and "Errno" not in r.output, r.output
    assert f"cannot write the audit log {log} ({in_the_way}: a file is in the way of its folder)" in r.output
    # a log this account may not write (root writes anywhere: the refusal is the system's, stood in for here)
    writable = tmp_path / "b.audit.jsonl"

    def refused(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.path))

    monkeypatch.setattr(AuditLog, "approve", refused)
    r = run(
        "audit",
        "approve",
        "--store",
        store,
        "--log",
        str(writable),
        "--user",
        "王科长",
        "--by",
        "李主任",
        "--reason",
        "x",
    )
    assert r.exit_code == 1 and r.output.strip() == f"错误：无法写入审计日志 {writable}（本账户无权访问）；未作批准"
    assert P1 not in r.output and P2 not in r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_audit_log_the_account_may_not_use_is_said_in_a_sentence_naming_the_file(store, tmp_path, monkeypatch, lang):
    """``audit policy`` on a log whose lock this account may not open had said ``Error: audit log L: [Errno 13]
    Permission denied: 'L.lock'`` under ``--lang en``: a sentence in the command's language naming the log, the
    file refused and why (root writes anywhere: the system's refusal is stood in for here)."""
    import errno

    log = tmp_path / "c.audit.jsonl"
    lock = f"{log}.lock"

    def refused(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", lock)

    monkeypatch.setattr(AuditLog, "append", refused)
    policy = ("audit", "policy", "--log", str(log), "--unmask-approval", "--reason", "审批单 18", "--by", "李主任")
    r = run(*policy, "--lang", lang)
    assert r.exit_code == 1, r.output
    assert "Errno" not in r.output and "Permission denied:" not in r.output, r.output
    said = {
        "zh": f"错误：无法读写审计日志 {log}：本账户无权访问（{lock}）",
        "en": f"Error: cannot read or write the audit log {log}: permission denied ({lock})",
    }
    assert r.output.strip() == said[lang], r.output
