"""``graphkit demo`` end to end at the smallest scale: every product of the demo is written and linked."""

from __future__ import annotations

import csv
import json
import re

from click.testing import CliRunner

from graphkit.cli import main


def test_demo_writes_a_folder_a_person_can_open(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["demo", "--out", str(out), "--scale", "1000", "--seed", "7"])
    assert res.exit_code == 0, res.output
    for step in range(1, 8):
        assert f"{step}/7 " in res.output
    page = (out / "index.html").read_text(encoding="utf-8")
    for name in (
        "quarantine.csv",
        "load_report.json",
        "stats.json",
        "model.md",
        "warnings.csv",
        "graph.db.ledger.sqlite",
        "collusion/tenders.csv",
        "collusion/communities.html",
    ):
        assert (out / name).exists(), name
    for href in re.findall(r"href='([^']+)'|href=\"([^\"]+)\"", page):
        target = out / (href[0] or href[1])
        assert target.exists(), target
    # warnings: every planted scheme of the city shows up as a model with hits
    truth = json.loads((out / "city" / "truth.json").read_text(encoding="utf-8"))
    with open(out / "warnings.csv", encoding="utf-8-sig") as f:
        models_hit = {r["model"] for r in csv.DictReader(f)}
    from graphkit.rules import catalog

    schemes = {i["scheme"] for i in truth["instances"]}
    assert {m.id for m in catalog() if m.scheme in schemes} <= models_hit
    # explained paths cite a source row per hop
    assert "Official → winning company" in page
    assert re.search(r"\[family\.csv row \d+\]", page)
    pdfs = sorted((out / "case_files").glob("path_*.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF") for p in pdfs) and "case_files/path_1.pdf" in page
    assert "riskiest bidder communities" in page
