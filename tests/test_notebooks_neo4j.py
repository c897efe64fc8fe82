"""The notebooks of a team that keeps its graph in Neo4j: ``GRAPHKIT_STORE=neo4j://…`` (README, *The Jupyter
workbench*) against the session's real Neo4j (``tests/conftest.py``), and the same city in an embedded store.

One synthetic city is loaded into both, its refused rows written where ``graphkit load`` writes them (beside the
embedded store; ``GRAPHKIT_QUARANTINE`` names Neo4j's); every notebook runs on each (03 without its Part 1, which
reads the cartel data and no store: ``notebook_parts``) and must show the same: every cell's text, every
widget's text, and every file they write (01's lead drawn, the path's page, 03's community reports, the
portrait, the case file as HTML, GraphML and the PDF's text), once the store's name, the folder, the times and
the audit log's hashes are set aside. A server that refuses the password is one sentence in the cell that
opens the store, naming the URI and never the password. Last, ``graphkit load`` of the city into Neo4j a second
time changes no count.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
#: every notebook reads GRAPHKIT_STORE (01 and 03 built their own embedded city whatever it named)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCALE, SEED = 1000, 13


@pytest.fixture(scope="module")
def city(tmp_path_factory, neo4j_server):
    """The city in Neo4j (the database emptied first; a server named by NEO4J_URI that holds data skips) and in
    an embedded store, each with an empty warning ledger and the quarantine of its load, as a team makes them:
    ``graphkit load`` (which writes an embedded store's quarantine beside it)."""
    from graphkit.rules.ledger import Ledger
    from graphkit.stores import open_store
    from graphkit.synth import generate
    from loaders.engine import load_dir

    if neo4j_server.owned:
        neo4j_server.wipe()
    elif neo4j_server.node_count():
        pytest.skip(f"the Neo4j database at {neo4j_server.uri} is not empty; this test loads its own city")
    root = tmp_path_factory.mktemp("team")
    generate(root / "city", scale=SCALE, seed=SEED)
    specs = {"neo4j": neo4j_server.uri, "embedded": f"embedded:{root / 'city.db'}"}
    for name, spec in specs.items():
        store = open_store(spec)
        try:
            report, _ = load_dir(root / "city", store)
        finally:
            store.close()
        assert report.quarantine, "the city plants rows a load refuses"
        report.write_quarantine(root / "city.db.quarantine.csv" if name == "embedded" else root / "quarantine.csv")
        # the report `graphkit load --report` writes (test_loading_twice_into_neo4j_changes_no_count reads it)
        (root / f"{name}.report.json").write_text(report.to_json(), encoding="utf-8")
    for name in specs:
        Ledger(root / f"{name}.ledger.sqlite").close()
    return root, specs


def _run(path: Path, env: dict[str, str], monkeypatch) -> nbformat.NotebookNode:
    """``path`` run with ``env``: the part of it that works on the store (``notebook_parts.store_part``)."""
    from nbclient import NotebookClient
    from notebook_parts import store_part, stub_collusion_data

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    no_bids = stub_collusion_data(Path(env["GRAPHKIT_NOTEBOOK_OUT"]).parent / "no_bids")
    monkeypatch.setenv("GRAPHKIT_COLLUSION_DATA", str(no_bids))
    nb = store_part(nbformat.read(path, as_version=4))
    NotebookClient(
        nb, timeout=300, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    return nb


def _same(text: str, names: dict[str, str]) -> str:
    """``text`` with what may differ between the two runs set aside: names, times, hashes."""
    for old, new in names.items():
        text = text.replace(old, new)
    # to the second (the audit log) or the minute (a case file's stamp, which a run across a minute's end changed)
    text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?", "TIME", text)
    text = re.sub(r"\b[0-9a-f]{12,}\b", "HEX", text)
    # a table pads its columns to their widest cell: a path of the run's own folder (of another length on each
    # run) is shown whole (the notebooks show a cell's text whole) and so pads the rest differently
    return re.sub(r"[ \t]+", " ", text)


def _outputs(nb) -> list[tuple[int, str]]:
    """(cell, text) of every output but those of cells that show the audit log (its records name the store); a
    cell that only appends to it (04's ranking, 05's export) is compared like any other."""
    out = []
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code" or "audit.records" in c.source or "audit.verify" in c.source:
            continue
        for o in _printed_whole(c.get("outputs", [])):
            if o.get("output_type") == "error":
                out.append((i, f"ERROR {o['ename']}: {o['evalue']}"))
            text = o.get("text") or o.get("data", {}).get("text/plain", "")
            text = text if isinstance(text, str) else "".join(text)
            if not _progress(o, text):
                out.append((i, text))
    return out


def _printed_whole(outputs: list) -> list:
    """A cell's outputs with its printed lines (stdout) in a row as one output: the kernel sends what a cell prints
    in as many messages as its flushes fell, so notebook 02's first cell showed its SUBJECT and TARGET lines as one
    output on one store and as two on the other (a loaded machine, CI 2026-12-07), and the runs differed by it."""
    out: list = []
    for o in outputs:
        if o.get("output_type") == "stream" and o.get("name") == "stdout":
            text = o.get("text", "")
            text = text if isinstance(text, str) else "".join(text)
            if out and out[-1].get("output_type") == "stream" and out[-1].get("name") == "stdout":
                out[-1] = {**out[-1], "text": out[-1]["text"] + text}
                continue
            o = {**o, "text": text}
        out.append(o)
    return out


def test_printed_lines_compare_alike_however_the_kernel_sent_them():
    """``_outputs`` of a cell whose two printed lines came as one message and as two: the same."""
    new = nbformat.v4
    lines = ["SUBJECT：某人\n", "TARGET：某企业\n"]
    once = new.new_notebook(cells=[new.new_code_cell("x", outputs=[new.new_output("stream", text="".join(lines))])])
    twice = new.new_notebook(cells=[new.new_code_cell("x", outputs=[new.new_output("stream", text=t) for t in lines])])
    assert _outputs(once) == _outputs(twice) == [(0, "".join(lines))]


def _progress(output: dict, text: str) -> bool:
    """Whether an output is a progress bar (tqdm's notebook bar, or the plain line of a step that ran long): shown
    or not by how long a step took, so on a loaded machine one store's run had an output more than the other's
    (CI: 3 against 4 outputs of notebook 05)."""
    bar = output.get("name") == "stderr" or "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    return bar and re.search(r"\d+/\d+\b.*\[\d+:\d\d", text) is not None


def _widget_text(nb) -> list[str]:
    """Every string a widget holds (values, option labels, HTML), sorted: the widgets' ids differ per run."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    found = []
    for m in state.values():
        for key in ("value", "_options_labels", "description", "placeholder"):
            v = m.get("state", {}).get(key)
            found += [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
    return sorted(found)


def _files(work: Path) -> dict[str, str]:
    """The files a notebook wrote, as text (a PDF through pdftotext)."""
    out = {}
    for p in sorted(work.rglob("*")):
        if not p.is_file() or p.suffix in (".db", ".sqlite", ".jsonl", ".head", ".lock", ".wal"):
            continue
        if p.suffix == ".pdf":
            if shutil.which("pdftotext") is None:
                continue
            # -nodiag: not the diagonal watermark, whose stamp (case, exporter, minute) pdftotext gives in pieces
            # scattered over the page ("4 : 3 5" here, a lone "5" lines below), so that two runs across a minute's
            # end differed where no pattern could set the minute aside; the header line states the same stamp whole
            cmd = ["pdftotext", "-layout", "-nodiag", str(p), "-"]
            text = subprocess.run(cmd, capture_output=True, check=True).stdout
            out[str(p.relative_to(work))] = text.decode("utf-8")
        elif p.suffix in (".html", ".graphml", ".json", ".gexf", ".svg"):
            out[str(p.relative_to(work))] = p.read_text(encoding="utf-8")
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_shows_the_same_on_neo4j_and_on_the_embedded_store(path, city, tmp_path, monkeypatch):
    """Neo4j hands properties back in no order of its own: notebook 02's path page listed a person's birth date
    before the name on Neo4j and after it on the embedded store (``GraphStore.subgraph`` and ``paths`` now put
    them in the model's order). Every other output, widget and file already agreed.

    Notebooks 01 and 03 showed a synthetic city of their own whatever ``GRAPHKIT_STORE`` named; they show the
    team's store, the same on both."""
    root, specs = city
    runs = {}
    for name, spec in specs.items():
        work = tmp_path / name
        nb = _run(
            path,
            {
                "GRAPHKIT_STORE": spec,
                "GRAPHKIT_LEDGER": str(root / f"{name}.ledger.sqlite"),
                # Neo4j's quarantine is where graphkit load ran; the embedded store's is found beside it
                "GRAPHKIT_QUARANTINE": str(root / "quarantine.csv") if name == "neo4j" else "",
                "GRAPHKIT_NOTEBOOK_OUT": str(work),
                "GRAPHKIT_AUDIT": str(tmp_path / f"{name}.audit.jsonl"),
                "GRAPHKIT_USER": "team",
                "GRAPHKIT_SCALE": "1000",  # (a city built here in place of the store would be small)
            },
            monkeypatch,
        )
        names = {str(work): "WORK", spec: "STORE", str(tmp_path / f"{name}.audit.jsonl"): "AUDIT"}
        # 01 names the file holding every quarantined row: beside the embedded store, where the load ran for Neo4j
        names[str(root / ("quarantine.csv" if name == "neo4j" else "city.db.quarantine.csv"))] = "QUARANTINE"
        built = sorted(p.name for p in work.glob("city*"))  # 01 and 03 built one whatever the store named
        assert not built, f"{name}: a city built here in place of the store named: {built}"
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{name}: {[(e['ename'], e['evalue']) for e in errors]}"
        runs[name] = {
            "outputs": [(i, _same(t, names)) for i, t in _outputs(nb)],
            "widgets": [_same(t, names) for t in _widget_text(nb)],
            "files": {k: _same(v, names) for k, v in _files(work).items()},
        }
    neo, emb = runs["neo4j"], runs["embedded"]
    heads = {k: [(i, t[:120]) for i, t in v["outputs"]] for k, v in runs.items()}  # which output one run had more
    assert len(neo["outputs"]) == len(emb["outputs"]) and neo["outputs"], heads
    for a, b in zip(neo["outputs"], emb["outputs"], strict=True):
        assert a == b, f"cell {a[0]} differs:\n--- neo4j\n{a[1][:3000]}\n--- embedded\n{b[1][:3000]}"
    assert neo["widgets"] == emb["widgets"]
    assert sorted(neo["files"]) == sorted(emb["files"]) and neo["files"], (sorted(neo["files"]), sorted(emb["files"]))
    for f, text in neo["files"].items():
        assert text == emb["files"][f], f"{f} differs between Neo4j and the embedded store"


@pytest.mark.parametrize("stem", ["01_quickstart", "03_tender_collusion", "05_case_export"])
def test_a_refused_password_is_one_sentence_naming_the_uri(stem, neo4j_server, neo4j_own_user, tmp_path, monkeypatch):
    """A wrong NEO4J_PASSWORD: the first cell showed a 30-line traceback of the driver, the message buried in
    GQL status codes. It shows one sentence: the URI, the user, what was refused; never the password. The
    notebooks that keep no warnings (02 and 04 ask for the ledger first) say it in the cell that opens the
    store: 01's first, 03's Part 1."""
    user = neo4j_own_user[0]
    nb = _run(
        next(p for p in NOTEBOOKS if p.stem == stem),
        {
            "GRAPHKIT_STORE": neo4j_server.uri,
            "NEO4J_USER": user,
            "NEO4J_PASSWORD": "not-the-pw-4711",
            "GRAPHKIT_NOTEBOOK_OUT": str(tmp_path / "work"),
            "GRAPHKIT_AUDIT": str(tmp_path / "audit.jsonl"),
        },
        monkeypatch,
    )
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "StoreUnavailable", errors  # (the cells after it fail on `store`)
    first = next(c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
    assert "open_city(" in first.source, first.source
    shown = "\n".join(errors[0]["traceback"])
    assert shown.count("\n") == 0 and "Traceback" not in shown, shown
    assert f"{neo4j_server.uri} 的 Neo4j 拒绝了用户 '{user}'" in shown and "gql_status" not in shown, shown
    assert "认证失败" in shown and "unauthorized" not in shown, shown  # the server's reason in Chinese too
    assert "not-the-pw-4711" not in json.dumps(nb, ensure_ascii=False)


def test_loading_twice_into_neo4j_changes_no_count(city, cli, tmp_path, monkeypatch):
    """``graphkit load`` of a city the Neo4j database already holds: the same counts in the database, the same rows
    read, loaded and quarantined per file, nothing created, the same quarantine. Last in the module: on the city
    its notebooks read (the parity tests loaded their 10,000-person city into Neo4j a second time for it)."""
    root, specs = city
    spec = specs["neo4j"]
    monkeypatch.setenv("GRAPHKIT_AUDIT", str(tmp_path / "graphkit.audit.jsonl"))  # (a Neo4j load's: the cwd's)

    def stats() -> dict:
        done = cli("stats", "--store", spec, "--json")
        assert done.exit_code == 0, done.output
        return json.loads(done.output)

    before = stats()
    assert sum(before["nodes"].values()) > 5_000  # the city really is in Neo4j
    again, quarantine = tmp_path / "again.report.json", tmp_path / "again.quarantine.csv"
    done = cli("load", root / "city", "--store", spec, "--quarantine", quarantine, "--report", again)
    assert done.exit_code == 0, done.output
    assert stats() == before
    report = json.loads(again.read_text("utf-8"))
    first = json.loads((root / "neo4j.report.json").read_text("utf-8"))
    assert [(f["file"], f["read"], f["loaded"], f["quarantined"]) for f in report["files"]] == [
        (f["file"], f["read"], f["loaded"], f["quarantined"]) for f in first["files"]
    ]
    assert not any(sum(f["created"].values()) for f in report["files"])  # nothing new the second time
    assert quarantine.read_bytes() == (root / "quarantine.csv").read_bytes()
