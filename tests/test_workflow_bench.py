"""bench/workflow.py: the subjects it takes from a city and what it measures of a step."""

from __future__ import annotations

import json
import os

from bench_modules import load_bench


def test_subjects_are_the_official_and_the_winning_company_not_the_relative(tmp_path):
    wf = load_bench("workflow")
    inst = {
        "scheme": "relative_wins_tender_1hop",
        "entities": ["320583199511110986", "320585199410013530", "91320507MA6RLWW84G", "11320500051180037U"],
        "types": ["person", "person", "company", "unit"],
    }
    (tmp_path / "truth.json").write_text(json.dumps({"instances": [{"scheme": "x"}, inst]}), encoding="utf-8")
    (tmp_path / "roster.csv").write_text(
        '\ufeff"公民身份号码","姓名","单位代码"\n320583199511110986,刘瑶,11320500051180037U\n', encoding="utf-8"
    )
    assert wf.subjects(tmp_path) == {"official": "320583199511110986", "company": "91320507MA6RLWW84G", "name": "刘瑶"}


def test_a_step_s_wall_peak_silence_and_exit_code():
    wf = load_bench("workflow")
    r = wf.run_step(["models", "list"], dict(os.environ))
    assert r["rc"] == 0 and "single_bid_tender" in r["stdout"]
    assert 0 < r["silent_seconds"] <= r["seconds"] and r["peak_mib"] > 10
    bad = wf.run_step(["path", "A"], dict(os.environ))
    assert bad["rc"] == 2 and "用法" in bad["stderr"]  # click's usage line, in the console's Chinese
