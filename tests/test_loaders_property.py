"""Property tests: random malformed household files (CSV in several encodings, XLSX) never crash the loader,
counts reconcile, no loaded ID number differs from what was typed, and the store is either fully updated
or left as it was."""

from __future__ import annotations

import codecs
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from fixture_city import TABLES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import loaders.read as read
from graphkit.model.types import normalize_id_number
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import LoadError, load_dir

ROWS = [r for r in TABLES["household"] if r["公民身份号码"].isdigit()][:12]
HEAD = list(ROWS[0])
ID = HEAD.index("公民身份号码")
SMALL_FIELD = 2_000  # the oversized-field limit during these tests, so a "huge" field stays small


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A store holding the first three persons, built once; each example loads into a copy of it."""
    folder = tmp_path_factory.mktemp("base")
    city = folder / "city"
    city.mkdir()
    _write_csv(city / "household.csv", [HEAD] + [[r[h] for h in HEAD] for r in ROWS[:3]], "utf-8")
    db = folder / "base.db"
    with EmbeddedStore(db) as s:
        load_dir(city, s)
        before = s.counts()
    return db, before


def _write_csv(path: Path, rows: list[list[str]], encoding: str, truncate: int = 0) -> None:
    def cell(v: str) -> str:
        return f'"{v}"' if ("," in v and not v.startswith('"')) else v

    text = "\n".join(",".join(cell(v) for v in r) for r in rows) + "\n"
    data = text.encode(encoding)
    path.write_bytes(data[: len(data) - truncate] if truncate else data)


row_fault = st.sampled_from(["none", "none", "none", "extra", "missing", "quote", "huge", "bad_check", "numeric"])


@st.composite
def files(draw):
    fmt = draw(st.sampled_from(["csv", "csv", "xlsx"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
    picks = draw(st.lists(st.integers(0, len(ROWS) - 1), min_size=1, max_size=8))
    faults = [draw(row_fault) for _ in picks]
    dup_header = draw(st.booleans().filter(lambda b: True)) and draw(st.integers(0, 9)) == 0
    truncate = draw(st.integers(0, 12)) if fmt == "csv" and draw(st.integers(0, 3)) == 0 else 0
    return fmt, encoding, picks, faults, dup_header, truncate


def _build(folder: Path, spec) -> dict[int, str | None]:
    """Write the file; return, per spreadsheet row / line, the ID number as typed (None: not typed exactly)."""
    fmt, encoding, picks, faults, dup_header, truncate = spec
    head = HEAD + (["公民身份号码"] if dup_header else [])
    rows: list[list[object]] = [head]
    typed: dict[int, str | None] = {}
    for line, (i, fault) in enumerate(zip(picks, faults, strict=True), start=2):
        cells: list[object] = [ROWS[i][h] for h in HEAD] + ([ROWS[i]["公民身份号码"]] if dup_header else [])
        pid = ROWS[i]["公民身份号码"]
        typed[line] = pid
        if fault == "extra":
            cells.append("x")
        elif fault == "missing":
            cells = cells[:-1]
        elif fault == "quote":
            cells[1] = '"' + str(cells[1])
        elif fault == "huge":
            cells[4] = "地" * SMALL_FIELD
        elif fault == "bad_check":
            cells[ID] = pid[:-1] + str((int(pid[-1]) + 1) % 10)
            typed[line] = cells[ID]
        elif fault == "numeric":
            cells[ID] = float(pid) if fmt == "xlsx" else f"{float(pid):.5E}"
            typed[line] = None
        rows.append(cells)
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(list(r))
        wb.save(folder / "household.xlsx")
    else:
        _write_csv(folder / "household.csv", [[str(v) for v in r] for r in rows], encoding, truncate)
    return typed


@settings(max_examples=25, deadline=30_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=files())
@example(spec=("csv", "utf-8", [0], ["missing"], False, 2))  # a UTF-8 file cut inside its last character
def test_malformed_files_never_crash_and_never_load_a_wrong_identifier(base, monkeypatch, spec):
    monkeypatch.setattr(read, "MAX_FIELD", SMALL_FIELD)
    base_db, before = base
    work = Path(tempfile.mkdtemp(prefix="gk-prop-"))
    try:
        city = work / "city"
        city.mkdir()
        typed = _build(city, spec)
        db = work / "g.db"
        shutil.copyfile(base_db, db)
        with EmbeddedStore(db) as s:
            try:
                report, _ = load_dir(city, s)
            except LoadError as exc:  # only a whole-file fault: the duplicated header
                assert spec[4] and "公民身份号码" in str(exc)
                assert s.counts() == before  # left as it was
                return
            after = s.counts()
            persons = s.run(
                "MATCH (p:Person) WHERE p.src_file STARTS WITH 'household.' RETURN p.id AS id, p.src_row AS row"
            )
        fr = report.files[0]
        assert fr.read == fr.loaded + fr.quarantined
        assert fr.read <= len(spec[2]) and fr.read >= len(spec[2]) - (1 if spec[5] else 0) - 0
        # fully updated: before + what the report says it created
        created = report.created()
        for kind in ("nodes", "relationships"):
            for name, n in after[kind].items():
                assert n == before[kind][name] + created.get(name, 0), name
        # every Person of this file has the ID number typed on its row, exactly
        for pid, row in zip(persons["id"], persons["row"], strict=True):
            if row in typed and pid not in {r["公民身份号码"] for r in ROWS[:3]}:
                assert typed[row] is not None and normalize_id_number(typed[row]) == pid, (row, pid)
        assert all(q.reason for q in report.quarantine)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_detect_encoding_answers_for_any_bytes():
    @settings(max_examples=200, deadline=2_000)
    @given(st.binary(max_size=400))
    def check(data):
        name, bom = read.detect_encoding(data)
        assert codecs.lookup(name) and 0 <= bom <= 4

    check()
