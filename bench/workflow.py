"""Workflow benchmark: the demo's whole job on a big synthetic city, step by step, as a user runs it.

    python bench/workflow.py --scale 100000
    python bench/workflow.py --scale 1000000 --json bench/workflow.json
    python bench/workflow.py --scale 10000 --store neo4j     # a Neo4j server: NEO4J_URI/USER/PASSWORD

Synth and load run as ``bench/load.py`` runs them (its phases, each in its own process; into Neo4j with
``--store neo4j``: ``graphkit load``); then every step is the ``graphkit`` command a user types, in its own
process: wall time, CPU time and peak memory of that process (``ru_utime + ru_stime``, ``ru_maxrss`` from
``wait4``), the longest time it printed nothing (``silent s``: a step silent for a minute gives the user no sign
of life) and its exit code. The load average is printed at the start and after each step: two cores shared
with other work move the walls, not the CPU time, which is the figure to compare code by.

The subjects come from the city itself: the first planted ``relative_wins_tender_1hop`` official and the
company that won (``truth.json``), the official's name (``roster.csv``), and the top unit of
``rank --kind unit``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import load as load_bench  # noqa: E402  (bench/load.py: its synth and load phases)

GRAPHKIT = str(Path(sys.executable).with_name("graphkit"))
#: a step a user waits for longer than this without a word is a fault
PATIENCE = 60.0
CASE = "巡2024-01"


def run_step(args: list[str], env: dict) -> dict:
    """Run one ``graphkit`` command in its own process: wall seconds, peak MiB, longest silence, exit code,
    stdout (for the next step's subject) and stderr."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([GRAPHKIT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stamps: list[float] = [t0]
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def pump(stream, key: str) -> None:
        for line in iter(stream.readline, b""):
            stamps.append(time.perf_counter())
            chunks[key].append(line)

    pumps = [threading.Thread(target=pump, args=(s, k)) for s, k in ((proc.stdout, "out"), (proc.stderr, "err"))]
    for p in pumps:
        p.start()
    _, status, usage = os.wait4(proc.pid, 0)
    end = time.perf_counter()
    for p in pumps:
        p.join()
    proc.stdout.close()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stamps = sorted([*stamps, end])
    return {
        "seconds": end - t0,
        "peak_mib": usage.ru_maxrss / 1024,
        # the process's own CPU: two cores shared with other work move the wall several-fold, not this
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "silent_seconds": max(b - a for a, b in zip(stamps, stamps[1:], strict=False)),
        "rc": proc.returncode,
        "stdout": b"".join(chunks["out"]).decode("utf-8", "replace"),
        "stderr": b"".join(chunks["err"]).decode("utf-8", "replace"),
    }


def subjects(city: Path) -> dict:
    """The planted official, the company that won his unit's tender and the official's name."""
    truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
    inst = next(i for i in truth["instances"] if i["scheme"] == "relative_wins_tender_1hop")
    typed = list(zip(inst["types"], inst["entities"], strict=True))
    official = next(e for t, e in typed if t == "person")  # the official first, the relative after
    company = next(e for t, e in typed if t == "company")
    with (city / "roster.csv").open(encoding="utf-8-sig", newline="") as f:
        name = next(r["姓名"] for r in csv.DictReader(f) if r["公民身份号码"] == official)
    return {"official": official, "company": company, "name": name}


def steps(store: str, city: Path, out: Path, who: dict) -> list[tuple[str, list[str]]]:
    """The user's steps after the load, in the demo's order; ``{top_unit}`` is filled from ``rank --kind unit``."""
    html, pdf, case = str(out / "P.html"), str(out / "P.pdf"), str(out / "case.pdf")
    return [
        ("models run", ["models", "run", "--store", store]),
        ("warnings list", ["warnings", "list", "--store", store]),
        ("rank --kind unit", ["rank", "--kind", "unit", "--store", store, "--json"]),
        ("rank --kind person", ["rank", "--kind", "person", "--store", store]),
        ("portrait (top unit)", ["portrait", "--unit", "{top_unit}", "--store", store, "--out", html, "--pdf", pdf]),
        ("find (name)", ["find", who["name"], "--store", store]),
        ("neighbours", ["neighbours", who["official"], "--store", store]),
        ("path official→company", ["path", who["official"], who["company"], "--store", store]),
        ("collusion score", ["collusion", "score", "--store", store, "--out", str(out / "collusion")]),
        ("collusion score-bids", ["collusion", "score-bids", str(city / "bids.csv"), "--out", str(out / "bids.csv")]),
        ("export (PDF)", ["export", "--store", store, "--entity", who["official"], "--case", CASE, "--out", case]),
    ]


def loadavg() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100_000, help="persons in the city")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    ap.add_argument("--workdir", type=Path, default=None, help="where the city, store and outputs go (default: temp)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--only", nargs="+", default=None, help="run only these steps (by the name printed)")
    ap.add_argument("--reuse", action="store_true", help="reuse the --workdir's city and store (no synth, no load)")
    a = ap.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="graphkit-workflow-"))
    city, db, out = work / "city", work / "city.db", work / "out"
    env = {**os.environ, "GRAPHKIT_PROGRESS": "plain"}
    print(f"{a.scale:,} persons, seed {a.seed}, {a.store} store, load average {loadavg()}", flush=True)
    print(f"{'step':<24} {'wall s':>8} {'cpu s':>7} {'peak MiB':>9} {'silent s':>9} {'rc':>3}  load avg", flush=True)
    results = []
    out.mkdir(parents=True, exist_ok=True)

    def row(name: str, r: dict) -> None:
        results.append({"step": name, **{k: v for k, v in r.items() if k not in ("stdout", "stderr")}})
        if "stdout" in r:  # what the user saw, to read after the run
            text = r["stdout"] + "\n--- stderr\n" + r["stderr"]
            (out / f"{len(results):02d} {name.replace('/', '_')}.txt").write_text(text, encoding="utf-8")
        flag = "  ← silent over a minute" if r.get("silent_seconds", 0) > PATIENCE else ""
        silent = f"{r['silent_seconds']:.1f}" if "silent_seconds" in r else "-"  # synth and load: not watched
        cpu = f"{r['cpu_seconds']:.1f}" if "cpu_seconds" in r else "-"
        print(
            f"{name:<24} {r['seconds']:>8.1f} {cpu:>7} {r['peak_mib']:>9,.0f} {silent:>9} {r.get('rc', 0):>3}  "
            f"{loadavg()}{flag}",
            flush=True,
        )
        if r.get("rc"):
            print("    " + "\n    ".join(r["stderr"].strip().splitlines()[-5:]), flush=True)

    if a.store == "neo4j":
        store = os.environ.get("NEO4J_URI", "neo4j://localhost:7687")
        env.setdefault("GRAPHKIT_LEDGER", str(work / "neo4j.ledger.sqlite"))
    else:
        store = f"embedded:{db}"
    if not a.reuse:
        shutil.rmtree(city, ignore_errors=True)
        for p in (
            db,
            Path(f"{db}.wal"),
            Path(f"{db}.ledger.sqlite"),
            Path(f"{db}.risk-cache"),
            Path(f"{db}.name-index"),
        ):
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        s = load_bench.run_phase("synth", str(city), str(a.scale), str(a.seed))
        row("synth", s)
        if a.store == "neo4j":
            row("load", run_step(["load", str(city), "--store", store], env))
        else:
            row("load", load_bench.run_phase("load", str(city), str(db)))
    who = subjects(city)
    top_unit = None
    for name, args in steps(store, city, out, who):
        if a.only and name not in a.only:
            continue
        if "{top_unit}" in args:
            if top_unit is None:
                rank = run_step(["rank", "--kind", "unit", "--store", store, "--json", "--top", "1"], env)
                top_unit = json.loads(rank["stdout"])[0]["id"]
            args = [top_unit if x == "{top_unit}" else x for x in args]
        r = run_step(args, env)
        if name == "rank --kind unit" and not r["rc"]:
            top_unit = json.loads(r["stdout"])[0]["id"]
        row(name, r)
    if a.json:
        doc = {"persons": a.scale, "seed": a.seed, "store": a.store, "steps": results}
        a.json.write_text(json.dumps(doc, indent=2))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
