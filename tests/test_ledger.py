"""The warning ledger: stable ids, re-runs that never duplicate or reset, the closed loop's transitions,
history with who and when, outcomes for scoring, and persistence across a reopen."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.rules.ledger import (
    OUTCOMES,
    STATUSES,
    TRANSITIONS,
    Ledger,
    LedgerError,
    default_path,
    evidence_links,
    warning_id,
)


def hits(*rows) -> pd.DataFrame:
    """Hits as graphkit.rules.run_all returns them."""
    return pd.DataFrame(
        [
            {
                "model": m,
                "key": k,
                "level": lvl,
                "entities": ents,
                "types": types,
                "summary": f"{m} {k}",
                "summary_zh": f"{m}预警{k}",
                "sources": [f"x.csv:{i + 2}"],
            }
            for i, (m, k, lvl, ents, types) in enumerate(rows)
        ]
    )


H1 = (
    "relative_wins_tender_1hop",
    "T1|P1|P2",
    "red",
    ["P1", "P2", "C1", "T1"],
    ["person", "person", "company", "tender"],
)
H2 = ("single_bid_tender", "T2", "orange", ["T2", "U1", "C3"], ["tender", "unit", "company"])
H3 = ("fuel_over_capacity", "CARD9", "yellow", ["CARD9", "苏E·A0001"], ["card", "vehicle"])


class Clock:
    def __init__(self) -> None:
        self.t = itertools.count(1)

    def __call__(self) -> str:
        return f"2024-05-01T09:{next(self.t):02d}:00+08:00"


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path / "c.db.ledger.sqlite", clock=Clock())
    yield led
    led.close()


def test_warning_ids_are_stable_and_distinct():
    assert warning_id("single_bid_tender", "SZZB2023000412") == "Wb7dd2f17fbff"
    assert re.fullmatch(r"W[0-9a-f]{12}", warning_id("m", "k"))
    assert warning_id("a", "bc") != warning_id("ab", "c")
    assert default_path("embedded:/cases/C.db").as_posix() == "/cases/C.db.ledger.sqlite"
    with pytest.raises(LedgerError, match="--ledger"):
        default_path("neo4j://localhost:7687")


def test_a_rerun_never_duplicates_nor_resets(ledger):
    assert ledger.record(hits(H1, H2), by="system") == {"new": 2, "seen_again": 0}
    w1 = warning_id(*H1[:2])
    ledger.update(w1, status="dispatched", by="王科长", to="第三监督检查室")
    changed = (H1[0], H1[1], "orange", H1[3], H1[4])
    assert ledger.record(hits(changed, H2, H3), by="system") == {"new": 1, "seen_again": 2}
    assert len(ledger) == 3
    w = ledger.get(w1)
    assert w["status"] == "dispatched" and w["assignee"] == "第三监督检查室"
    assert w["level"] == "orange" and w["seen"] == 2
    assert (w["first_seen"], w["last_seen"]) == ("2024-05-01T09:01:00+08:00", "2024-05-01T09:03:00+08:00")
    assert [h["to"] for h in w["history"]] == ["generated", "dispatched"]
    assert len(ledger.runs()) == 2 and ledger.runs()["new"].tolist() == [2, 1]


def test_the_closed_loop_and_its_history(ledger):
    ledger.record(hits(H1), by="system")
    wid = warning_id(*H1[:2])
    ledger.update(wid, status="dispatched", by="王科长", to="第三监督检查室", comment="请核查")
    ledger.update(wid, status="dispatched", by="王科长", to="第五监督检查室", comment="改派")
    ledger.update(wid, status="verified", by="李主任", outcome="true_positive", comment="核实属实")
    w = ledger.update(wid, status="rectified", by="李主任", comment="合同已终止，款项追回")
    assert w["status"] == "rectified" and w["outcome"] == "true_positive" and w["assignee"] == "第五监督检查室"
    assert w["history"] == [
        {
            "at": "2024-05-01T09:01:00+08:00",
            "by": "system",
            "from": None,
            "to": "generated",
            "assignee": None,
            "outcome": None,
            "comment": "raised by model relative_wins_tender_1hop",
        },
        {
            "at": "2024-05-01T09:02:00+08:00",
            "by": "王科长",
            "from": "generated",
            "to": "dispatched",
            "assignee": "第三监督检查室",
            "outcome": None,
            "comment": "请核查",
        },
        {
            "at": "2024-05-01T09:03:00+08:00",
            "by": "王科长",
            "from": "dispatched",
            "to": "dispatched",
            "assignee": "第五监督检查室",
            "outcome": None,
            "comment": "改派",
        },
        {
            "at": "2024-05-01T09:04:00+08:00",
            "by": "李主任",
            "from": "dispatched",
            "to": "verified",
            "assignee": None,
            "outcome": "true_positive",
            "comment": "核实属实",
        },
        {
            "at": "2024-05-01T09:05:00+08:00",
            "by": "李主任",
            "from": "verified",
            "to": "rectified",
            "assignee": None,
            "outcome": None,
            "comment": "合同已终止，款项追回",
        },
    ]


@pytest.mark.parametrize(
    "steps,error",
    [
        ([("verified", {"outcome": "true_positive", "comment": "x"})], "is generated: it cannot become verified"),
        ([("rectified", {})], "cannot become rectified"),
        ([("dispatched", {})], "needs whom"),
        ([("dispatched", {"to": "室"}), ("verified", {"comment": "x"})], "needs the outcome"),
        ([("dispatched", {"to": "室"}), ("verified", {"outcome": "true_positive"})], "needs a comment"),
        ([("dispatched", {"to": "室"}), ("verified", {"outcome": "maybe", "comment": "x"})], "needs the outcome"),
        (
            [
                ("dispatched", {"to": "室"}),
                ("verified", {"outcome": "false_positive", "comment": "x"}),
                ("rectified", {}),
            ],
            "only true positives are rectified",
        ),
        (
            [
                ("dispatched", {"to": "室"}),
                ("verified", {"outcome": "true_positive", "comment": "x"}),
                ("rectified", {}),
                ("dispatched", {"to": "室"}),
            ],
            "the loop is closed",
        ),
        ([("closed", {})], "status must be one of"),
        ([("dispatched", {"to": "室", "outcome": "true_positive"})], "not dispatched"),
    ],
)
def test_transitions_the_loop_refuses(ledger, steps, error):
    ledger.record(hits(H2), by="system")
    wid = warning_id(*H2[:2])
    *ok, (status, kw) = steps
    for s, k in ok:
        ledger.update(wid, status=s, by="某人", **k)
    before = ledger.get(wid)
    with pytest.raises(LedgerError, match=error):
        ledger.update(wid, status=status, by="某人", **kw)
    assert ledger.get(wid) == before  # a refused change leaves no trace


def test_who_is_required_and_unknown_ids_are_named(ledger):
    ledger.record(hits(H2), by="system")
    with pytest.raises(LedgerError, match="who made it"):
        ledger.update(warning_id(*H2[:2]), status="dispatched", by="  ", to="室")
    with pytest.raises(LedgerError, match="no warning 'Wnope'"):
        ledger.update("Wnope", status="dispatched", by="某人", to="室")
    with pytest.raises(LedgerError, match="who ran"):
        ledger.record(hits(H1), by="")
    with pytest.raises(LedgerError, match="levels must be one of"):
        ledger.record(hits(("m", "k", "purple", [], [])), by="system")


def test_changes_survive_a_restart(tmp_path):
    path = tmp_path / "c.db.ledger.sqlite"
    with Ledger(path, clock=Clock()) as led:
        led.record(hits(H1, H2, H3), by="system")
        led.update(warning_id(*H3[:2]), status="dispatched", by="王科长", to="机关事务局")
        led.update(warning_id(*H3[:2]), status="verified", by="李主任", outcome="false_positive", comment="洗车费")
    with Ledger(path) as again:
        w = again.get(warning_id(*H3[:2]))
        assert len(again) == 3 and w["status"] == "verified" and w["outcome"] == "false_positive"
        assert [(h["by"], h["to"]) for h in w["history"]] == [
            ("system", "generated"),
            ("王科长", "dispatched"),
            ("李主任", "verified"),
        ]
        assert again.record(hits(H1, H2, H3), by="system") == {"new": 0, "seen_again": 3}
        assert again.get(warning_id(*H3[:2]))["status"] == "verified"


def test_a_ledger_opened_read_only_writes_nothing_and_refuses_what_is_not_a_ledger(tmp_path):
    """``read_only``: a missing file, a file that is not SQLite and an SQLite file of other tables are each a
    LedgerError; nothing is created, no byte changes; writing is refused. A writer leaves a foreign SQLite
    file alone too (it created its tables in any SQLite file given as --ledger)."""
    import sqlite3

    path = tmp_path / "c.db.ledger.sqlite"
    with Ledger(path, clock=Clock()) as led:
        led.record(hits(H1, H2), by="system")
    before = path.read_bytes()
    with Ledger(path, read_only=True) as ro:
        assert len(ro) == 2 and ro.get(warning_id(*H1[:2]))["history"][0]["by"] == "system"
        with pytest.raises(LedgerError, match="read-only"):
            ro.update(warning_id(*H1[:2]), status="dispatched", by="x", to="y")
    assert path.read_bytes() == before
    with pytest.raises(LedgerError, match="no ledger at"):
        Ledger(tmp_path / "typo.sqlite", read_only=True)
    assert not (tmp_path / "typo.sqlite").exists()
    (tmp_path / "load.json").write_text('{"files": []}', encoding="utf-8")
    for read_only in (True, False):
        with pytest.raises(LedgerError, match="not a warning ledger .*not an SQLite database"):
            Ledger(tmp_path / "load.json", read_only=read_only)
    assert (tmp_path / "load.json").read_text(encoding="utf-8") == '{"files": []}'
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE cases (id TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    for read_only in (True, False):
        with pytest.raises(LedgerError, match=r"not a warning ledger \(its tables are cases\)"):
            Ledger(other, read_only=read_only)
    assert other.read_bytes() == before
    (tmp_path / "empty.sqlite").touch()
    with pytest.raises(LedgerError, match="it is empty"):
        Ledger(tmp_path / "empty.sqlite", read_only=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "c.db.ledger.sqlite",
        "empty.sqlite",
        "load.json",
        "other.sqlite",
    ]


def test_outcomes_for_later_scoring(ledger):
    ledger.record(hits(H1, H2, H3), by="system")
    for h, outcome in ((H1, "true_positive"), (H3, "false_positive")):
        wid = warning_id(*h[:2])
        ledger.update(wid, status="dispatched", by="王科长", to="室")
        ledger.update(wid, status="verified", by="李主任", outcome=outcome, comment="核查完毕")
    ledger.update(warning_id(*H1[:2]), status="rectified", by="李主任")
    out = ledger.outcomes()
    assert out[["model", "key", "outcome", "status", "verified_by"]].values.tolist() == [
        ["relative_wins_tender_1hop", "T1|P1|P2", "true_positive", "rectified", "李主任"],
        ["fuel_over_capacity", "CARD9", "false_positive", "verified", "李主任"],
    ]
    assert out["entities"].tolist()[1] == ["CARD9", "苏E·A0001"] and out["verified_at"].notna().all()


def test_listing_filters_and_order(ledger):
    ledger.record(hits(H3, H2, H1), by="system")
    ledger.update(warning_id(*H2[:2]), status="dispatched", by="王科长", to="室")
    assert [w["level"] for w in ledger.warnings()] == ["red", "orange", "yellow"]
    assert [w["model"] for w in ledger.warnings(status="dispatched")] == ["single_bid_tender"]
    assert [w["key"] for w in ledger.warnings(level=["red", "yellow"])] == ["T1|P1|P2", "CARD9"]
    assert ledger.warnings(model="nope") == []
    w = ledger.warnings(level="red")[0]
    assert w["entities"] == H1[3] and w["types"] == H1[4] and w["evidence"]["sources"] == ["x.csv:4"]
    with pytest.raises(LedgerError, match="status must be among"):
        ledger.warnings(status="open")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(STATUSES),
            st.sampled_from([None, "室"]),
            st.sampled_from([None, *OUTCOMES]),
            st.sampled_from([None, "说明"]),
        ),
        max_size=8,
    )
)
def test_any_sequence_of_changes_keeps_the_loop(tmp_path_factory, changes):
    """Whatever is attempted, the status only moves along TRANSITIONS and the history holds each change."""
    with Ledger(tmp_path_factory.mktemp("h") / "l.sqlite") as led:
        led.record(hits(H1), by="system")
        wid = warning_id(*H1[:2])
        done = 0
        for status, to, outcome, comment in changes:
            prev = led.get(wid)["status"]
            try:
                led.update(wid, status=status, by="某人", to=to, outcome=outcome, comment=comment)
            except LedgerError:
                assert led.get(wid)["status"] == prev
                continue
            done += 1
            assert status in TRANSITIONS[prev]
        w = led.get(wid)
        assert len(w["history"]) == done + 1
        assert [h["to"] for h in w["history"]][-1] == w["status"]
        if w["status"] == "rectified":
            assert w["outcome"] == "true_positive"


def test_evidence_links_among_a_hits_entities(loaded_city, tmp_path, monkeypatch):
    from fixture_city import C1, P1, P2, U1

    from graphkit.paths import links_among
    from graphkit.rules.ledger import FIGURES, TYPE_LABELS, _evidence_link

    store = loaded_city[1]
    try:
        found = hits(
            (
                "relative_wins_tender_1hop",
                "T1",
                "red",
                [P1, P2, C1, U1, "T1", "K1"],
                ["person", "person", "company", "unit", "tender", "contract"],
            ),
            ("single_bid_tender", "T1", "orange", ["T1", U1], ["tender", "unit"]),
        )
        asked: list[str] = []
        real = store.rows
        monkeypatch.setattr(store, "rows", lambda q, *a, **kw: asked.append(q) or real(q, *a, **kw))
        links = evidence_links(store, found)
        props = [q for q in asked if "RETURN r.id AS link" in q]
        # the figures kept (the share, the price, the kinship) as a reading of every property gives them, read from
        # the types the model gives a figure only: every property of every link out of the hits' persons filled
        # Ladybug's buffer pool with every table out of Person (models run's peak at a million persons)
        pairs = [(TYPE_LABELS[t], e) for e, t in zip(found["entities"][0], found["types"][0], strict=True)]
        whole = [_evidence_link(lk) for lk in links_among(store, pairs, properties=True)]
        assert links[0] == whole and {"FAMILY", "SHAREHOLDER_OF", "WON"} <= {
            lk["type"] for lk in whole if "figures" in lk
        }
        typed = {t for q in props for m in re.findall(r"-\[r:([\w|]+)\]", q) for t in m.split("|")}
        assert props and all("-[r:" in q for q in props)
        assert typed == {
            t for t in store.model.relationships if set(FIGURES) & store.model.relationship(t).properties.keys()
        } & {lk["type"] for lk in whole}
        assert sorted(lk["type"] for lk in links[0]) == [
            "AWARDED_TO",
            "CONTRACTED_BY",
            "EMPLOYED_BY",
            "FAMILY",
            "ISSUED_BY",
            "LEGAL_REP_OF",
            "SHAREHOLDER_OF",
            "UNDER_TENDER",
            "WON",
        ]
        assert [(lk["type"], lk["start"], lk["end"], lk["source"]) for lk in links[1]] == [
            ("ISSUED_BY", "T1", U1, "tenders.csv:2")
        ]
        with Ledger(tmp_path / "l.sqlite") as led:
            led.record(found, by="system", links=links)
            assert led.get(warning_id("single_bid_tender", "T1"))["evidence"]["links"] == links[1]
    finally:
        store.close()


# ------------------------------------------------------------ two processes at once
_VERIFY = """
import json, sys, time
from datetime import datetime
from graphkit.rules.ledger import Ledger, LedgerError


def slow_clock():  # a busy machine: time passes between reading a status and writing the change
    time.sleep(0.01)
    return datetime.now().isoformat()


path, who, outcome, ids = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
sys.stdin.readline()  # both processes start on the same signal
done, refused = [], []
with Ledger(path, clock=slow_clock) as led:
    for wid in ids:
        try:
            led.update(wid, status="verified", outcome=outcome, by=who, comment=f"checked by {who}")
            done.append(wid)
        except LedgerError as exc:
            refused.append([wid, str(exc)])
print(json.dumps({"done": done, "refused": refused}))
"""


def test_two_processes_verifying_the_same_50_warnings_verify_each_exactly_once(tmp_path):
    import json
    import subprocess
    import sys

    path = tmp_path / "l.sqlite"
    rows = [("single_bid_tender", f"T{i}", "orange", [f"T{i}"], ["tender"]) for i in range(50)]
    with Ledger(path) as led:
        led.record(hits(*rows), by="test")
        ids = [w["id"] for w in led.warnings(history=False)]
        for wid in ids:
            led.update(wid, status="dispatched", by="王科长", to="第三室")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _VERIFY, str(path), who, outcome, json.dumps(ids)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for who, outcome in (("甲", "true_positive"), ("乙", "false_positive"))
    ]
    for p in procs:  # both are running (and have opened the ledger) before either starts
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    done = results[0]["done"] + results[1]["done"]
    assert sorted(done) == sorted(ids)  # each verified by exactly one of them
    for r in results:  # the other was told plainly
        assert all("cannot become verified" in why or "changed meanwhile" in why for _, why in r["refused"])
    with Ledger(path) as led:
        for wid in ids:
            verified = [h for h in led.history(wid) if h["to"] == "verified"]
            assert len(verified) == 1, wid
            w = led.get(wid)
            winner = "甲" if wid in results[0]["done"] else "乙"
            assert verified[0]["by"] == winner
            assert w["outcome"] == ("true_positive" if winner == "甲" else "false_positive")


def test_a_ledger_is_used_from_another_thread_read_write_and_read_only(tmp_path):
    """A notebook's widget handlers run on another thread than the cell that opened the ledger (JupyterLab 4.6
    subshells): reads and writes from a second thread work, as do reads of a read-only ledger, and threads
    writing at once each keep their change."""
    import threading

    path = tmp_path / "c.db.ledger.sqlite"
    led = Ledger(path)
    led.record(
        hits(
            ("m1", "k1", "red", ["E1"], ["person"]),
            ("m1", "k2", "yellow", ["E2"], ["person"]),
        ),
        by="test",
    )
    ids = [w["id"] for w in led.warnings()]
    got, errors = {}, []

    def work(i: int) -> None:
        try:
            got[i] = (len(led), led.update(ids[i], status="dispatched", by=f"t{i}", to="室")["status"])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and got == {0: (2, "dispatched"), 1: (2, "dispatched")}
    assert [h["by"] for h in led.history(ids[1])] == ["test", "t1"]
    led.close()
    with Ledger(path, read_only=True) as ro:
        seen = []
        t = threading.Thread(target=lambda: seen.append([w["status"] for w in ro.warnings()]))
        t.start()
        t.join()
        assert seen == [["dispatched", "dispatched"]]


def test_a_warning_keeps_its_chinese_summary_and_a_rerun_refreshes_it(ledger):
    ledger.record(hits(H1), by="system")
    wid = warning_id(H1[0], H1[1])
    assert ledger.get(wid)["summary_zh"] == f"{H1[0]}预警{H1[1]}"
    again = hits(H1).assign(summary_zh="新的中文摘要")
    ledger.record(again, by="system")
    assert ledger.get(wid)["summary_zh"] == "新的中文摘要"
    assert [w["summary_zh"] for w in ledger.warnings()] == ["新的中文摘要"]
    # hits of a caller that gives no Chinese summary are still written, without one
    ledger.record(hits(H2).drop(columns="summary_zh"), by="system")
    assert ledger.get(warning_id(H2[0], H2[1]))["summary_zh"] is None


#: the warnings table as graphkit wrote it before summary_zh (the ledger's schema had no version)
OLD_WARNINGS = """
CREATE TABLE warnings (
    id TEXT PRIMARY KEY, model TEXT NOT NULL, key TEXT NOT NULL, level TEXT NOT NULL, status TEXT NOT NULL,
    assignee TEXT, outcome TEXT, summary TEXT, entities TEXT NOT NULL, types TEXT NOT NULL, evidence TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, seen INTEGER NOT NULL DEFAULT 1, UNIQUE (model, key)
);
CREATE TABLE history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, warning_id TEXT NOT NULL REFERENCES warnings(id), at TEXT NOT NULL,
    by TEXT NOT NULL, previous TEXT, status TEXT NOT NULL, assignee TEXT, outcome TEXT, comment TEXT
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, by TEXT NOT NULL, store TEXT, models TEXT NOT NULL,
    hits INTEGER NOT NULL, new INTEGER NOT NULL, seconds REAL
);
"""


def _old_ledger(path) -> str:
    """A ledger file of an older graphkit: one dispatched warning with its history, no summary_zh column."""
    import sqlite3

    wid = warning_id(H2[0], H2[1])
    db = sqlite3.connect(path)
    db.executescript(OLD_WARNINGS)
    db.execute(
        "INSERT INTO warnings VALUES (?, ?, ?, 'orange', 'dispatched', '第三室', NULL, 'U1 awarded open tender T2', "
        "'[\"T2\"]', '[\"tender\"]', '{\"nodes\": [], \"links\": [], \"sources\": []}', 't0', 't0', 1)",
        (wid, H2[0], H2[1]),
    )
    db.execute(
        "INSERT INTO history (warning_id, at, by, previous, status) VALUES (?, 't0', 'system', NULL, 'generated')",
        (wid,),
    )
    db.execute(
        "INSERT INTO history (warning_id, at, by, previous, status, assignee) "
        "VALUES (?, 't1', '王科长', 'generated', 'dispatched', '第三室')",
        (wid,),
    )
    db.commit()
    db.close()
    return wid


def test_a_ledger_of_an_older_graphkit_opens_and_gains_the_chinese_summary(tmp_path):
    """A ledger written before summary_zh: read-only it is read as it is (no Chinese summary: None); opened for
    writing it gains the column once, keeps its warnings, statuses and history, and the next run fills it in."""
    import sqlite3

    path = tmp_path / "old.ledger.sqlite"
    wid = _old_ledger(path)
    with Ledger(path, read_only=True) as led:
        [w] = led.warnings()
        assert (w["summary"], w["summary_zh"], w["status"]) == ("U1 awarded open tender T2", None, "dispatched")
    columns = {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(warnings)")}
    assert "summary_zh" not in columns  # reading changed nothing
    with Ledger(path, clock=Clock()) as led:
        w = led.get(wid)
        assert (w["summary_zh"], w["status"], w["assignee"]) == (None, "dispatched", "第三室")
        assert [h["to"] for h in w["history"]] == ["generated", "dispatched"]
        assert led.record(hits(H2), by="system") == {"new": 0, "seen_again": 1}
        w = led.get(wid)
        assert (w["summary_zh"], w["status"]) == (f"{H2[0]}预警{H2[1]}", "dispatched")
    with Ledger(path) as led:  # opened again: nothing more to add
        assert led.get(wid)["summary_zh"] == f"{H2[0]}预警{H2[1]}"
    assert [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(warnings)")].count("summary_zh") == 1


def test_two_processes_opening_an_older_ledger_at_once_add_the_column_once(tmp_path):
    import threading

    path = tmp_path / "old.ledger.sqlite"
    _old_ledger(path)
    errors, barrier = [], threading.Barrier(4)

    def open_it():
        try:
            barrier.wait()
            Ledger(path).close()
        except Exception as exc:  # noqa: BLE001 - the test reports any
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with Ledger(path, read_only=True) as led:
        assert [w["summary_zh"] for w in led.warnings()] == [None]


def test_evidence_links_look_at_a_hits_own_entities_only(monkeypatch):
    """A million-person city's run has 11,981 hits and 167,124 links among their entities: matching every
    link against every hit was 2 billion tests (bench/workflow.py: models run silent for minutes). Each
    hit now reads only the links leaving its own entities, so the links' ends are read a few times each."""
    import graphkit.paths
    from graphkit.paths import Link

    reads = itertools.count()

    class Counted(Link):
        def __getattribute__(self, name):
            if name in ("start", "end"):
                next(reads)
            return super().__getattribute__(name)

    n = 300
    links = [Counted(i, "FAMILY", f"P{i}", f"Q{i}", "family.csv", i + 2) for i in range(n)]
    links.append(Counted(n, "FAMILY", "P0", "Q1", "family.csv", n + 2))  # P0 → Q1: not among hit 0's pair
    monkeypatch.setattr(graphkit.paths, "links_among", lambda store, pairs, progress=None, properties=False: links)
    found = hits(*[("m", f"K{i}", "red", [f"P{i}", f"Q{i}"], ["person", "person"]) for i in range(n)])
    out = evidence_links(object(), found)
    assert len(out) == n
    assert [[lk["id"] for lk in out[i]] for i in range(n)] == [[i] for i in range(n)]
    assert out[7][0] == {"id": 7, "type": "FAMILY", "start": "P7", "end": "Q7", "source": "family.csv:9"}
    assert next(reads) < 10 * len(links)  # before: two reads per (hit, link) pair, 180,000
