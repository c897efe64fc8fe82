"""The command line as a user runs it."""

from __future__ import annotations

import copy
import csv
import json

import pytest
from click.testing import CliRunner
from fixture_city import TABLES, write_city

from graphkit.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("cmd", [[], ["synth"], ["load"], ["stats"], ["demo"], ["model"], ["model", "docs"]])
def test_every_command_has_help(cmd):
    r = run(*cmd, "--help")
    assert r.exit_code == 0 and "用法:" in r.output


def test_load_then_stats_json_and_reload_unchanged(city, tmp_path):
    db = tmp_path / "c.db"
    r = run("load", str(city), "--store", f"embedded:{db}", "--report", str(tmp_path / "rep.json"))
    assert r.exit_code == 0, r.output
    s1 = json.loads(run("stats", "--store", f"embedded:{db}", "--json").output)
    assert set(s1) == {"nodes", "relationships"} and s1["nodes"]["Person"] == 38
    rep = json.loads((tmp_path / "rep.json").read_text())
    assert rep["totals"] == {"read": 79, "loaded": 79, "quarantined": 0}
    assert run("load", str(city), "--store", f"embedded:{db}").exit_code == 0
    assert json.loads(run("stats", "--store", f"embedded:{db}", "--json").output) == s1


def test_missing_column_exits_non_zero_naming_file_and_column(tmp_path):
    tables = copy.deepcopy(TABLES)
    tables["tenders"] = [{k: v for k, v in r.items() if k != "unit_id"} for r in tables["tenders"]]
    city = write_city(tmp_path / "city", tables)
    r = CliRunner().invoke(main, ["load", str(city), "--store", f"embedded:{tmp_path / 'x.db'}"])
    assert r.exit_code != 0
    assert "tenders.csv" in r.output and "unit_id" in r.output


def test_quarantine_file_is_written_next_to_the_store(tmp_path):
    tables = copy.deepcopy(TABLES)
    tables["bids"][1]["price"] = "abc"
    city = write_city(tmp_path / "city", tables)
    db = tmp_path / "q.db"
    r = run("load", str(city), "--store", f"embedded:{db}")
    assert r.exit_code == 0
    with (tmp_path / "q.db.quarantine.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows == [{"file": "bids.csv", "line": "3", "column": "price", "value": "abc", "reason": "not a number: abc"}]


def test_model_docs_lists_labels_and_contracts():
    out = run("model", "docs").output
    assert "| Person |" in out and "### `bids`" in out and "公民身份号码" in out


def test_python_m_graphkit_runs_the_command_line():
    """``python -m graphkit`` (a venv whose scripts folder is not on the PATH) failed: 'No module named
    graphkit.__main__'."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "graphkit", "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("用法: graphkit ")


def test_a_cut_cell_takes_its_columns_not_its_characters():
    """`rank` cut a unit's name at 24 characters: 苏州市虎丘区浒墅关镇人民政府 (14 characters, 28 columns) pushed the
    row's 'compared with' and factor columns out of line under the header."""
    from graphkit.cli.common import cut, pad, width

    name = "苏州市虎丘区浒墅关镇人民政府"
    assert width(pad(cut(name, 24), 24)) == 24 and cut(name, 24).endswith("…")
    assert cut("昆山市交通运输局", 24) == "昆山市交通运输局" and cut("x" * 30, 24) == "x" * 23 + "…"


@pytest.mark.parametrize(
    "args",
    [
        ["portrait", "--unit", "X", "--store", "embedded:{db}", "--out", "{f}/p.html"],
        ["collusion", "score", "--store", "embedded:{db}", "--out", "{f}/reports"],
        ["collusion", "score-bids", "{bids}", "--out", "{f}/s.csv"],
        ["export", "--entity", "X", "--case", "C1", "--store", "embedded:{db}", "--out", "{f}/c.pdf"],
        ["load", "{city}", "--store", "embedded:{db}", "--report", "{f}/r.json"],
        ["synth", "--out", "{f}/city"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_an_output_under_a_file_is_refused_before_any_work(args, tmp_path):
    """``portrait --out P.pdf/x.html`` (P.pdf a file) ended in a FileExistsError traceback once the portrait was
    made; every file or folder a command writes is now checked when the command line is read."""
    f = tmp_path / "P.pdf"
    f.write_text("a file", encoding="utf-8")
    bids = tmp_path / "bids.csv"
    bids.write_text("Tender,Bid_value\nA,1\nA,2\n", encoding="utf-8")
    names = {"db": tmp_path / "none.db", "f": f, "bids": bids, "city": tmp_path}
    r = CliRunner().invoke(main, [a.format(**names) for a in args])
    assert r.exit_code == 2 and f"{f} 是文件，不是文件夹" in r.output, r.output
    assert not (tmp_path / "none.db").exists()


def test_types_are_read_in_any_case_and_by_the_names_the_legend_prints():
    """``--types family,shareholder_of`` read family (as FtM's interval Family) and refused shareholder_of;
    ``--types 亲属,股东``, the names the case file's legend prints, were refused too."""
    from graphkit.cli.explore import _types

    assert _types("family,shareholder_of") == ["FAMILY", "SHAREHOLDER_OF"]
    assert _types("亲属，股东") == ["FAMILY", "SHAREHOLDER_OF"] == _types("FAMILY|SHAREHOLDER_OF")
    assert _types("nonsense") == ["nonsense"]  # refused later, with the list of types (graphkit.paths.check_types)


def test_lab_points_the_notebooks_at_a_store_given_on_its_command_line(tmp_path, monkeypatch):
    """A team on Neo4j had to know four environment variables (README) to point the notebooks at its server;
    `graphkit lab --help` named none. `--store`, `--ledger`, `--audit`, `--quarantine` set them for JupyterLab,
    files as absolute paths (the notebooks run in notebooks/, not where the command ran); a URI holding a
    password is refused before JupyterLab starts."""
    import os

    import graphkit.cli.lab as lab

    names = ("GRAPHKIT_STORE", "GRAPHKIT_LEDGER", "GRAPHKIT_AUDIT", "GRAPHKIT_QUARANTINE")
    for name in names:  # set, then removed: monkeypatch restores each after the test, whatever lab set
        monkeypatch.setenv(name, "x")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    started: list[tuple[list[str], dict]] = []

    class Started(Exception):
        pass

    def execv(exe, args):
        started.append((args, {n: os.environ.get(n) for n in names}))
        raise Started

    monkeypatch.setattr(lab.shutil, "which", lambda *a, **k: "/usr/bin/jupyter-lab")
    monkeypatch.setattr(lab.os, "execv", execv)
    r = CliRunner().invoke(main, ["lab", "--no-browser", "--store", "neo4j://db.example:7687", "--ledger", "t.sqlite",
                                  "--audit", "t.audit.jsonl", "--quarantine", "q.csv"])  # fmt: skip
    assert isinstance(r.exception, Started), r.output
    assert started[-1][1] == {
        "GRAPHKIT_STORE": "neo4j://db.example:7687",
        "GRAPHKIT_LEDGER": str(tmp_path / "t.sqlite"),
        "GRAPHKIT_AUDIT": str(tmp_path / "t.audit.jsonl"),
        "GRAPHKIT_QUARANTINE": str(tmp_path / "q.csv"),
    }
    assert "--no-browser" in started[-1][0]
    r = CliRunner().invoke(main, ["lab", "--store", "embedded:city.db"])  # not there: said before JupyterLab starts
    assert r.exit_code == 2 and "city.db" in r.output and len(started) == 1, r.output
    (tmp_path / "city.db").write_bytes(b"")
    r = CliRunner().invoke(main, ["lab", "--store", "embedded:city.db"])
    assert isinstance(r.exception, Started) and started[-1][1]["GRAPHKIT_STORE"] == f"embedded:{tmp_path / 'city.db'}"
    r = CliRunner().invoke(main, ["lab", "--store", "neo4j://neo4j:s3cret@db.example:7687"])
    assert r.exit_code == 2 and "s3cret" not in r.output and len(started) == 2, r.output


def test_a_wrapped_chinese_line_never_starts_with_a_closing_mark():
    """``rank``'s note under its table, wrapped to a 120-column terminal, began its second line with ``；``
    (``…不代表单位规模大小`` / ``；人数相同者同组``): Chinese typesetting (避头) never starts a line with ，。；：、）
    and never ends one with （《; the character before the mark goes down with it, nothing is cut or lost."""
    from graphkit.cli.common import width, wrap
    from graphkit.risk.scorer import BANDS_NOTE_ZH

    factor = "本单位 59% 的采购额流向职工及其亲属关联企业（3 跳以内），同类单位中位数 0%；另见《预画像》第二节"
    texts = [BANDS_NOTE_ZH, factor]
    for text in texts:
        for n in range(20, 130):
            lines = wrap(text, n)
            assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (n, lines)
            assert all(width(x) <= n for x in lines), (n, lines)
            assert not any(x[0] in "，。；：、）》」』！？" for x in lines[1:]), (n, lines)
            assert not any(x[-1] in "（《「『" for x in lines[:-1]), (n, lines)
