"""``graphkit demo``: synthesise a city → load it into an embedded store →
stats → visuals of planted schemes; everything lands in one folder with an
``index.html`` a person can open."""
from __future__ import annotations

import html
import json
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from graphkit.model import Model

__all__ = ["run_demo", "remove_store"]


def remove_store(path: Path) -> None:
    """Delete an embedded store (its file or folder and its WAL) so it is rebuilt from the tables."""
    for p in (path, path.with_name(path.name + ".wal")):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def run_demo(out: Path, *, scale: int = 3_000, seed: int = 7, echo: Callable[[str], None] = print,
             max_visuals_per_scheme: int = 1) -> Path:
    """Run the whole demo into ``out``; return the path of ``out/index.html``."""
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.synth import generate
    from graphkit.viz import to_html
    from loaders.engine import load_dir

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    city, db = out / "city", out / "graph.db"
    t0 = time.perf_counter()
    echo(f"1/4 synthesising a city of {scale:,} persons (seed {seed}) into {city}")
    if city.exists():
        shutil.rmtree(city)
    generate(city, scale=scale, seed=seed, progress=True)
    echo(f"2/4 loading it into the embedded store {db}")
    remove_store(db)
    store = EmbeddedStore(db)
    try:
        report, unknown = load_dir(city, store, progress=True)
        report.write_quarantine(out / "quarantine.csv")
        (out / "load_report.json").write_text(report.to_json(), encoding="utf-8")
        counts = store.counts()
        (out / "stats.json").write_text(json.dumps(counts, ensure_ascii=False, indent=2), encoding="utf-8")
        t = report.totals()
        echo(f"3/4 read {t['read']:,} rows: loaded {t['loaded']:,}, quarantined {t['quarantined']:,}; "
             f"{sum(counts['nodes'].values()):,} nodes, {sum(counts['relationships'].values()):,} relationships")
        echo("4/4 drawing planted schemes from truth.json")
        truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
        visuals, seen = [], Counter()
        for inst in truth.get("instances", []):
            scheme = inst["scheme"]
            if seen[scheme] >= max_visuals_per_scheme:
                continue
            seen[scheme] += 1
            g = store.subgraph(inst["entities"])
            p = to_html(g, out / "visuals" / f"{scheme}_{seen[scheme]}.html",
                        title=f"{scheme}: {g.number_of_nodes()} entities, {g.number_of_edges()} links")
            visuals.append((scheme, p.relative_to(out), g.number_of_nodes(), g.number_of_edges()))
    finally:
        store.close()
    (out / "model.md").write_text(Model.default().markdown_table(), encoding="utf-8")
    index = _index(out, report, counts, visuals, unknown, time.perf_counter() - t0, scale, seed)
    return index


def _index(out: Path, report, counts, visuals, unknown, seconds: float, scale: int, seed: int) -> Path:
    e = html.escape
    rows = "".join(f"<tr><td>{e(f.file)}</td><td>{f.read:,}</td><td>{f.loaded:,}</td><td>{f.quarantined:,}</td></tr>"
                   for f in report.files)
    t = report.totals()
    cnt = "".join(f"<tr><td>{e(k)}</td><td>{v:,}</td></tr>" for kind in ("nodes", "relationships")
                  for k, v in counts[kind].items())
    vis = "".join(f"<li><a href='{e(str(p))}'>{e(s)}</a> ({n} entities, {m} links)</li>" for s, p, n, m in visuals)
    skipped = "".join(f"<li>{e(p.name)}</li>" for p in unknown) or "<li>none</li>"
    page = f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>graphkit demo</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:2px 10px;text-align:right}}
td:first-child{{text-align:left}}table{{border-collapse:collapse}}tr:nth-child(even){{background:#f3f3f3}}</style></head><body>
<h1>graphkit demo: synthetic city of {scale:,} persons (seed {seed})</h1>
<p>Built in {seconds:.1f} s. Source tables in <code>city/</code>, ground truth in <code>city/truth.json</code>,
embedded store in <code>graph.db</code>, model in <code>model.md</code>.</p>
<h2>Planted schemes (one visual each; every link's tooltip cites its source file and row)</h2><ul>{vis}</ul>
<h2>Load</h2><table><tr><th>file</th><th>read</th><th>loaded</th><th>quarantined</th></tr>{rows}
<tr><th>total</th><th>{t['read']:,}</th><th>{t['loaded']:,}</th><th>{t['quarantined']:,}</th></tr></table>
<p>Refused rows with file, row, column and reason: <a href="quarantine.csv">quarantine.csv</a>;
full report: <a href="load_report.json">load_report.json</a>. Files no contract matched:</p><ul>{skipped}</ul>
<h2>Graph</h2><table><tr><th>label / type</th><th>count</th></tr>{cnt}</table></body></html>"""
    p = out / "index.html"
    p.write_text(page, encoding="utf-8")
    return p
