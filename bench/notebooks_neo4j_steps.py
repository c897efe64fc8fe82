"""Where the Neo4j server's CPU goes in ``tests/test_notebooks_neo4j.py``: its city loaded, then the calls of notebooks
01 and 02 (their cells' calls, run in this process, not in a kernel), then the models run a second time (as notebook
04 runs them) and the city loaded a second time (``test_loading_twice_into_neo4j_changes_no_count``).

    python bench/notebooks_neo4j_steps.py [--scale 1000] [--seed 13]

Starts a Neo4j of its own (``tools/neo4j/run.sh start --no-plugins``, as the tests' session server: the JIT's
optimising compiler on) and prints, per step, the server's CPU seconds (``/proc/PID/stat``'s utime + stime: Java's
CPU, which ``bench/suite_cpu.py`` shows per test and cannot split within one). A step's figure on a fresh server
includes what the server pays once whatever the data: planning each new query text, and the JIT compiling the code
that runs it. The second run of the models and the second load show what is left once those are paid.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN_SH = ROOT / "tools" / "neo4j" / "run.sh"
TICK = os.sysconf("SC_CLK_TCK")
SCHEME = "relative_wins_tender_1hop"  # notebooks 01 and 02's model


def _cpu(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1000, help="the city's persons (the test's: 1000)")
    ap.add_argument("--seed", type=int, default=13, help="the city's seed (the test's: 13)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nb-neo4j-steps-"))
    run_dir = work / "run"
    os.environ.setdefault("NEO4J_USER", "neo4j")
    os.environ.setdefault("NEO4J_PASSWORD", "graphkit-test")
    start = [str(RUN_SH), "start", "--no-plugins", "--run-dir", str(run_dir)]
    started = subprocess.run(start, capture_output=True, text=True, check=True)
    uri = started.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")
    pid = int((run_dir / "neo4j.pid").read_text().split()[0])
    os.environ["NEO4J_URI"] = uri
    began, last = time.time(), [0.0]

    def step(name: str) -> None:
        now = _cpu(pid)
        print(f"{name:44s} {now - last[0]:7.2f} Java CPU s   (wall {time.time() - began:5.0f} s)", flush=True)
        last[0] = now

    try:
        step("server start")
        _steps(uri, work, args.scale, args.seed, step)
        print(f"{'all':44s} {_cpu(pid):7.2f} Java CPU s")
    finally:
        subprocess.run([str(RUN_SH), "stop", "--run-dir", str(run_dir)], capture_output=True)


def _steps(uri: str, work: Path, scale: int, seed: int, step) -> None:
    from pypinyin import lazy_pinyin

    from graphkit import paths
    from graphkit.notebook import TARGET_ENV, candidates, open_city, work_folder
    from graphkit.rules import run_all
    from graphkit.rules.ledger import Ledger, evidence_links
    from graphkit.stores import open_store
    from graphkit.synth import generate
    from graphkit.widgets import Workbench
    from loaders.engine import load_dir

    generate(work / "city", scale=scale, seed=seed)

    def load() -> None:
        store = open_store(uri)
        try:
            report, _ = load_dir(work / "city", store)
        finally:
            store.close()
        report.write_quarantine(work / "quarantine.csv")

    load()
    step("the city loaded (the module's fixture)")
    Ledger(work / "ledger.sqlite").close()
    os.environ.update(
        GRAPHKIT_STORE=uri,
        GRAPHKIT_LEDGER=str(work / "ledger.sqlite"),
        GRAPHKIT_QUARANTINE=str(work / "quarantine.csv"),
        GRAPHKIT_NOTEBOOK_OUT=str(work / "out"),
        GRAPHKIT_AUDIT=str(work / "audit.jsonl"),
        GRAPHKIT_USER="bench",
    )
    out = work_folder()
    city = open_city("city01", work=out)
    city.load_table()
    city.quarantined(10)
    step("01 open_city, load_table, quarantined")
    city.counts()
    step("01 counts")
    lead = city.lead(SCHEME)
    step("01 lead (its one model run)")
    city.store.subgraph(lead)
    step("01 subgraph")
    city.store.close()

    city = open_city("city02", work=out, ledger=True)
    store = city.store
    official = city.subject(None, scheme=SCHEME)
    company = city.subject(None, scheme=SCHEME, at=2, near=official, setting="TARGET", env=TARGET_ENV)
    step("02 subject and target")
    name = "".join(lazy_pinyin(paths.resolve(store, official).name))
    candidates(store, name)
    step("02 candidates")
    city.path(official, company, max_hops=4, html=out / "path.html")
    step("02 path")
    hits, _ = run_all(store)
    step("02 every model, first run on this server")
    evidence_links(store, hits)
    step("02 evidence links")
    run_all(store)
    step("every model again (as 04 runs them)")
    ledger = city.ledger()
    step("city.ledger() (models, links, recorded)")
    wb = Workbench(store, ledger=ledger, out_dir=out / "case_files", who="bench", purpose="")
    wb.explorer.query.value, wb.explorer.target.value = name, city.shown(company)
    step("02 Workbench")
    store.close()
    load()
    step("the city loaded a second time")


if __name__ == "__main__":
    main()
