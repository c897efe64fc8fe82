"""Run every command-line example of the README on a real synthetic city, and say which fail.

    python tools/readme_examples.py              # in a temporary folder
    python tools/readme_examples.py --keep DIR   # keep the folder (city, stores, outputs) to look at

The README's ``bash`` blocks (all but the first, which holds the ``make`` targets) are read line by line:
continuation lines are joined, comments cut, an optional ``[--flag]`` is run with the flag. The README's
placeholders become real values of the city the first example writes (10,000 persons, seed 7: the same seed gives
the same files, so it is written once beforehand to read its truth): ``C`` its folder, ``ID_NUMBER`` the official
planted for ``relative_wins_tender_1hop``, ``CREDIT_CODE`` the company that official's relative owns, ``A`` / ``B``
in an export two planted persons, a unit credit code, a plate, a warning id from the city and its ledger, and for
the namesakes `何露#N` a name two persons of the city have. The bid
tables (``A.csv``, ``B.csv``, ``CH.csv``, ``bids.csv``, ``city.csv``, ``confirmed.csv``) are cut from the shared
labelled markets in ``../shared/data/`` (a few hundred tenders each, so training takes seconds); ``名册.csv`` is
the city's roster headed 工作单位 where the contract reads 单位代码 (for ``load --as … --column …``). A Neo4j example
runs against ``NEO4J_URI`` when it is set, else against a server ``tools/neo4j/run.sh`` starts (skipped, with the
reason, when Java or Maven is missing). Exit 1 when any example fails.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MARKETS = ROOT.parent / "shared" / "data" / "collusion_garcia_rodriguez_2022"


def examples(readme: Path) -> list[str]:
    """The command lines of every ``bash`` block but the first, continuations joined, comments cut."""
    blocks = re.findall(r"```bash\n(.*?)```", readme.read_text("utf-8"), flags=re.S)[1:]
    out = []
    for block in blocks:
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            line = re.sub(r"\s{2,}#.*$", "", line).strip()
            if line and not line.startswith("#"):
                out.append(re.sub(r"\[(--[^\]]+)\]", r"\1", line))
    return out


def _cut_market(src: Path, dest: Path, tenders: int, label: bool = True) -> None:
    """The first ``tenders`` tenders of a labelled market file (every bid of each), optionally unlabelled."""
    with src.open(newline="", encoding="utf-8") as f, dest.open("w", newline="", encoding="utf-8") as g:
        reader = csv.DictReader(f)
        fields = [c for c in reader.fieldnames if label or not c.startswith("Collusive")]
        writer = csv.DictWriter(g, fields, extrasaction="ignore")
        writer.writeheader()
        seen: list[str] = []
        for row in reader:
            if row["Tender"] not in seen:
                if len(seen) == tenders:
                    break
                seen.append(row["Tender"])
            writer.writerow(row)


def _labels(src: Path, dest: Path, n: int) -> None:
    """``n`` confirmed tenders of both classes (tender, collusive) from a labelled market file."""
    by_class: dict[str, list[str]] = {"0": [], "1": []}
    with src.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cls = row["Collusive_competitor"]
            if row["Tender"] not in by_class[cls]:
                by_class[cls].append(row["Tender"])
    with dest.open("w", newline="", encoding="utf-8") as g:
        g.write("Tender,Collusive_competitor\n")
        for cls, ids in by_class.items():
            for t in ids[: n // 2]:
                g.write(f"{t},{cls}\n")


def _run(cmd: str, cwd: Path, env: dict, timeout: int = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def prepare(work: Path, env: dict) -> dict[str, str]:
    """The city and the bid tables; the placeholders' values."""
    g = str(BIN / "graphkit")
    subprocess.run(
        [g, "synth", "--scale", "1000", "--seed", "7", "--out", str(work / "C")],
        check=True,
        env=env,
        capture_output=True,
    )
    subprocess.run(
        [g, "load", str(work / "C"), "--store", f"embedded:{work / 'C.db'}"], check=True, env=env, capture_output=True
    )
    truth = json.loads((work / "C" / "truth.json").read_text("utf-8"))
    inst = next(i for i in truth["instances"] if i["scheme"] == "relative_wins_tender_1hop")
    official = inst["persons"][0]
    company = next(e for e, t in zip(inst["entities"], inst["types"], strict=True) if t == "company")
    other = next(i["persons"][0] for i in truth["instances"] if i["persons"] and i["persons"][0] != official)
    with (work / "C" / "vehicles.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows)  # the header
        plate = next(rows)[0]
    with (work / "C" / "household.csv").open(encoding="utf-8-sig", newline="") as f:
        names = collections.Counter(row[1] for row in list(csv.reader(f))[1:])
    namesake = min(n for n, k in names.items() if k == 2)  # a name two persons have: NAME#2 picks the second
    # a department's roster headed in its own words (--as roster=名册.csv --column roster.工作单位=unit_id):
    # the city's roster with 工作单位 where the contract reads 单位代码
    with (work / "C" / "roster.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows[0] = ["工作单位" if h == "单位代码" else h for h in rows[0]]
    with (work / "名册.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows[:50])
    values = {
        "NAMESAKE": namesake,
        "ID_NUMBER": official,
        "CREDIT_CODE": company,
        "A": official,
        "B": other,
        "PLATE": plate,
        "UNIT": inst["units"][0],
    }
    if MARKETS.is_dir():
        files = {p.name.split("_")[2]: p for p in MARKETS.glob("DB_Collusion_*_processed.csv")}
        _cut_market(files["Italy"], work / "A.csv", 150)
        _cut_market(files["Japan"], work / "B.csv", 300)
        _cut_market(files["Italy"], work / "A_2025.csv", 278)
        _cut_market(files["Switzerland"], work / "CH.csv", 400)
        _cut_market(files["America"], work / "bids.csv", 400)
        _cut_market(files["Japan"], work / "city.csv", 400, label=False)
        _labels(files["Japan"], work / "confirmed.csv", 30)
    return values


def substitute(cmd: str, v: dict[str, str], work: Path, neo4j_uri: str | None) -> str:
    """The README's placeholders in ``cmd`` replaced by the city's values."""
    cmd = re.sub(r"(?<![\w.])C(?=\.db|\s|$)", str(work / "C"), cmd)
    cmd = cmd.replace("--unit CREDIT_CODE", f"--unit {v['UNIT']}")  # a unit's credit code
    cmd = cmd.replace("ID_NUMBER", v["ID_NUMBER"]).replace("CREDIT_CODE", v["CREDIT_CODE"])
    cmd = re.sub(r"--entity A\b", f"--entity {v['A']}", cmd)
    cmd = re.sub(r"--entity B\b", f"--entity {v['B']}", cmd)
    cmd = re.sub(r"--path A\b", f"--path {v['A']}", cmd)
    cmd = cmd.replace("苏E·12345", v["PLATE"]).replace("11320508018165391U", v["UNIT"])
    cmd = cmd.replace("何露#", f"{v['NAMESAKE']}#")  # the README's namesakes: two persons of one name here
    if "WARNING_ID" in cmd:
        cmd = cmd.replace("WARNING_ID", v.get("WARNING_ID", "WARNING_ID"))
    if neo4j_uri:
        cmd = cmd.replace("neo4j://localhost:7687", neo4j_uri)
    return cmd


def main() -> int:
    """Run the README's examples; 0 when every one ran (or was skipped with its reason), else 1."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="graphkit-readme-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "GRAPHKIT_USER": "readme-check"}
    started_neo4j = None
    try:
        values = prepare(work, env)
        neo4j_uri = os.environ.get("NEO4J_URI")
        cmds = examples(ROOT / "README.md")
        if not neo4j_uri and any("neo4j://" in c for c in cmds):
            if shutil.which("java") and shutil.which("mvn"):
                env.setdefault("NEO4J_PASSWORD", "graphkit-test")
                run_dir = work / "neo4j-run"
                out = subprocess.run(
                    [str(ROOT / "tools/neo4j/run.sh"), "start", "--run-dir", str(run_dir)],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if out.returncode == 0:
                    neo4j_uri, started_neo4j = out.stdout.strip().splitlines()[-1].split("=", 1)[1], run_dir
                    env["NEO4J_URI"] = neo4j_uri
        failed, skipped = [], []
        for raw in cmds:
            if "WARNING_ID" in raw and "WARNING_ID" not in values:
                listed = _run(f"graphkit warnings list --store embedded:{work / 'C.db'} --json", work, env)
                rows = json.loads(listed.stdout or "[]")
                if rows:
                    values["WARNING_ID"] = str(rows[0]["id"])
            if "neo4j://" in raw and not neo4j_uri:
                skipped.append((raw, "no Neo4j: NEO4J_URI unset and no java/mvn to start one"))
                continue
            if re.search(r"\b(A|B|CH|bids|city|confirmed|A_2025)\.csv\b", raw) and not MARKETS.is_dir():
                skipped.append((raw, f"no {MARKETS}"))
                continue
            cmd = substitute(raw, values, work, neo4j_uri)
            t0 = time.perf_counter()
            done = _run(cmd, work, env)
            took = time.perf_counter() - t0
            ok = done.returncode == 0
            print(f"{'ok  ' if ok else 'FAIL'} {took:6.1f} s  {raw}", flush=True)
            if not ok:
                failed.append(raw)
                tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-6:])
                print("       " + tail.replace("\n", "\n       "), flush=True)
        for raw, why in skipped:
            print(f"skip          {raw}  ({why})")
        print(
            f"{len(cmds) - len(failed) - len(skipped)} ran, {len(failed)} failed, {len(skipped)} skipped "
            f"(of {len(cmds)} README examples)"
        )
        return 1 if failed else 0
    finally:
        if started_neo4j is not None:
            subprocess.run(
                [str(ROOT / "tools/neo4j/run.sh"), "stop", "--run-dir", str(started_neo4j)],
                env=env,
                capture_output=True,
            )
        if a.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
