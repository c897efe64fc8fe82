"""``graphkit demo``: synthesise a city → load it into an embedded store →
stats → visuals of planted schemes; everything lands in one folder with an
``index.html`` a person can open."""

from __future__ import annotations

import html
import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphkit.cli.audit import refuse_viewer
from graphkit.model import Model

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["run_demo"]


def run_demo(
    out: Path,
    *,
    scale: int = 3_000,
    seed: int = 7,
    echo: Callable[[str], None] = print,
    max_visuals_per_scheme: int = 1,
) -> Path:
    """Run the whole demo into ``out``; return the path of ``out/index.html``."""
    from graphkit.model.mask import known_public, reset_known_public, set_known_public
    from graphkit.stores.embedded import EmbeddedStore, remove_store
    from graphkit.synth import generate
    from graphkit.viz import to_html
    from loaders.engine import load_dir

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    city, db = out / "city", out / "graph.db"
    t0 = time.perf_counter()
    echo(f"1/7 synthesising a city of {scale:,} persons (seed {seed}) into {city}")
    if city.exists():
        shutil.rmtree(city)
    generate(city, scale=scale, seed=seed, progress=True)
    echo(f"2/7 loading it into the embedded store {db}")
    remove_store(db)
    store = EmbeddedStore(db)
    public, keys = None, frozenset()
    try:
        report, unknown = load_dir(city, store, progress=True)
        # the city's official cars and registered addresses in clear in what follows; private ones masked
        keys = store.public_keys()
        public = set_known_public(keys)
        report.write_quarantine(out / "quarantine.csv")
        (out / "load_report.json").write_text(report.to_json(), encoding="utf-8")
        counts = store.counts()
        (out / "stats.json").write_text(json.dumps(counts, ensure_ascii=False, indent=2), encoding="utf-8")
        t = report.totals()
        echo(
            f"3/7 read {t['read']:,} rows: loaded {t['loaded']:,}, quarantined {t['quarantined']:,}; "
            f"{sum(counts['nodes'].values()):,} nodes, {sum(counts['relationships'].values()):,} relationships"
        )
        echo("4/7 drawing planted schemes from truth.json")
        truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
        visuals, seen = [], Counter()
        for inst in truth.get("instances", []):
            scheme = inst["scheme"]
            if seen[scheme] >= max_visuals_per_scheme:
                continue
            seen[scheme] += 1
            g = store.subgraph(inst["entities"])
            p = to_html(
                g,
                out / "visuals" / f"{scheme}_{seen[scheme]}.html",
                title=f"{scheme}: {g.number_of_nodes()} entities, {g.number_of_edges()} links",
            )
            visuals.append((scheme, p.relative_to(out), g.number_of_nodes(), g.number_of_edges()))
        warnings = _run_models(store, db, out, echo)
        explained = _explain_planted(store, truth, echo, out)
        collusion = _score_collusion(store, out, echo)
    finally:
        if public is not None:
            reset_known_public(public)
        store.close()
    (out / "model.md").write_text(Model.default().markdown_table(), encoding="utf-8")
    with known_public(keys):
        return _index(
            out,
            report,
            counts,
            visuals,
            unknown,
            time.perf_counter() - t0,
            scale,
            seed,
            warnings=warnings,
            explained=explained,
            collusion=collusion,
        )


def _run_models(store, db: Path, out: Path, echo) -> pd.DataFrame:
    """Every collision model → the warning ledger beside the store; ``warnings.csv`` for a spreadsheet."""
    import getpass

    from graphkit.rules import run_all
    from graphkit.rules.ledger import Ledger, default_path, evidence_links

    echo("5/7 running the data-collision models into the warning ledger")
    t0 = time.perf_counter()
    hits, _ = run_all(store, progress=True)
    ledger_path = default_path(f"embedded:{db}")
    for p in (ledger_path,):
        if p.exists():
            p.unlink()
    with Ledger(ledger_path) as led:
        led.record(
            hits,
            by=getpass.getuser(),
            links=evidence_links(store, hits) if len(hits) else {},
            store=f"embedded:{db}",
            seconds=time.perf_counter() - t0,
        )
        rows = led.warnings()
    import pandas as pd

    table = pd.DataFrame(
        [
            {
                "id": w["id"],
                "model": w["model"],
                "level": w["level"],
                "status": w["status"],
                "summary": w.get("summary", ""),
            }
            for w in rows
        ]
    )
    table.to_csv(out / "warnings.csv", index=False, encoding="utf-8-sig")
    echo(
        f"    {len(table):,} warnings from {table['model'].nunique() if len(table) else 0} models; "
        f"ledger {ledger_path.name}"
    )
    return table


def _explain_planted(store, truth: dict, echo, out: Path) -> list[tuple[str, list[str], Path]]:
    """Shortest paths from planted officials to the companies that won their units' tenders, explained,
    each also drawn for the case file (``case_files/path_N.pdf``, sources cited under the drawing)."""
    from graphkit.paths import PathError, explain, path_line, shortest_path
    from graphkit.viz import to_image

    echo("6/7 explaining official → winning company paths (relative_wins_tender_1hop), a PDF each")
    found = []
    for inst in truth.get("instances", []):
        if inst["scheme"] != "relative_wins_tender_1hop":
            continue
        typed = list(zip(inst["types"], inst["entities"], strict=True))
        official = next(e for t, e in typed if t == "person")
        company = next(e for t, e in typed if t == "company")
        try:
            path = shortest_path(store, official, company, max_hops=4)
        except PathError as exc:
            echo(f"    no path {official} → {company}: {exc}")
            continue
        if path is not None:
            line = path_line(path, store=store)
            pdf = to_image(path.graph(), out / "case_files" / f"path_{len(found) + 1}.pdf", title=line)
            found.append((line, explain(path, store=store), pdf.relative_to(out)))
    return found


def _score_collusion(store, out: Path, echo) -> pd.DataFrame:
    """Bid-rigging risk of tenders, bidders and communities from the knowledge graph."""
    from graphkit.collusion.kg import score_store
    from graphkit.reports import write_collusion_reports

    echo("7/7 scoring tender collusion (bidder graph, communities)")
    scores = score_store(store)
    write_collusion_reports(scores, out / "collusion", store=store)
    return scores.communities


def _index(
    out: Path,
    report,
    counts,
    visuals,
    unknown,
    seconds: float,
    scale: int,
    seed: int,
    *,
    warnings=None,
    explained=(),
    collusion=None,
) -> Path:
    e = html.escape
    warn_html = ""
    if warnings is not None and len(warnings):
        by = warnings.groupby(["model", "level"]).size().unstack(fill_value=0)
        levels = [lv for lv in ("red", "orange", "yellow") if lv in by.columns]
        trs = "".join(
            f"<tr><td>{e(m)}</td>" + "".join(f"<td>{int(r[lv])}</td>" for lv in levels) + "</tr>"
            for m, r in by.iterrows()
        )
        warn_html = (
            f"<h2>Warnings ({len(warnings):,}) from the collision models</h2><p>All in "
            f"<a href='warnings.csv'>warnings.csv</a> and in the ledger <code>graph.db.ledger.sqlite</code> "
            f"(<code>graphkit warnings list --store embedded:{e(str(out / 'graph.db'))}</code>).</p>"
            f"<table><tr><th>model</th>" + "".join(f"<th>{lv}</th>" for lv in levels) + f"</tr>{trs}</table>"
        )
    paths_html = "".join(
        f"<li><b>{e(line)}</b> (<a href='{e(pdf.as_posix())}'>PDF</a>)<ul>"
        + "".join(f"<li>{e(h)}</li>" for h in hops)
        + "</ul></li>"
        for line, hops, pdf in explained
    )
    if paths_html:
        paths_html = f"<h2>Official → winning company: the paths, with a source row per hop</h2><ol>{paths_html}</ol>"
    col_html = ""
    if collusion is not None and len(collusion):
        top = collusion.head(5)
        reason = "reasons" if "reasons" in top.columns else None
        trs = "".join(
            f"<tr><td>{e(str(i))}</td><td>{float(r['risk']):.2f}</td><td style='text-align:left'>"
            f"{e(str(r[reason])) if reason else ''}</td></tr>"
            for i, r in top.iterrows()
        )
        col_html = (
            "<h2>Tender collusion: riskiest bidder communities</h2><p>Tenders, bidders and communities "
            "with reasons in <a href='collusion/'>collusion/</a>; "
            "<a href='collusion/communities.html'>communities.html</a> draws them.</p>"
            f"<table><tr><th>community</th><th>risk</th><th>reasons</th></tr>{trs}</table>"
        )
    rows = "".join(
        f"<tr><td>{e(f.file)}</td><td>{f.read:,}</td><td>{f.loaded:,}</td><td>{f.quarantined:,}</td></tr>"
        for f in report.files
    )
    t = report.totals()
    cnt = "".join(
        f"<tr><td>{e(k)}</td><td>{v:,}</td></tr>"
        for kind in ("nodes", "relationships")
        for k, v in counts[kind].items()
    )
    vis = "".join(f"<li><a href='{e(str(p))}'>{e(s)}</a> ({n} entities, {m} links)</li>" for s, p, n, m in visuals)
    skipped = "".join(f"<li>{e(p.name)}</li>" for p in unknown) or "<li>none</li>"
    page = f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>graphkit demo</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:2px 10px;text-align:right}}
td:first-child{{text-align:left}}table{{border-collapse:collapse}}tr:nth-child(even){{background:#f3f3f3}}</style></head><body>
<h1>graphkit demo: synthetic city of {scale:,} persons (seed {seed})</h1>
<p>Built in {seconds:.1f} s. Source tables in <code>city/</code>, ground truth in <code>city/truth.json</code>,
embedded store in <code>graph.db</code>, model in <code>model.md</code>.</p>
{warn_html}{paths_html}{col_html}
<h2>Planted schemes (one visual each; every link's tooltip cites its source file and row)</h2><ul>{vis}</ul>
<h2>Load</h2><table><tr><th>file</th><th>read</th><th>loaded</th><th>quarantined</th></tr>{rows}
<tr><th>total</th><th>{t["read"]:,}</th><th>{t["loaded"]:,}</th><th>{t["quarantined"]:,}</th></tr></table>
<p>Refused rows with file, row, column and reason: <a href="quarantine.csv">quarantine.csv</a>;
full report: <a href="load_report.json">load_report.json</a>. Files no contract matched:</p><ul>{skipped}</ul>
<h2>Graph</h2><table><tr><th>label / type</th><th>count</th></tr>{cnt}</table></body></html>"""
    p = out / "index.html"
    p.write_text(page, encoding="utf-8")
    return p


@click.command("demo")
@click.option(
    "--out",
    "out",
    default=Path("out"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo's city, store, reports and visuals.",
)
@click.option(
    "--scale",
    default=3_000,
    show_default=True,
    type=click.IntRange(1_000, 1_000_000),
    help="Persons in the synthetic city.",
)
@click.option("--seed", default=7, show_default=True, type=int)
def demo_cmd(out: Path, scale: int, seed: int) -> None:
    """Synthesise a small city, load it into an embedded store, print stats, write out/."""

    refuse_viewer("run the demo (it loads a store)")
    index = run_demo(out, scale=scale, seed=seed, echo=click.echo)
    click.echo(f"open {index}")


COMMANDS = [demo_cmd]
