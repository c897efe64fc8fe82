"""Command line for investigators: the model library, the warning ledger, entity search and paths.

``graphkit models list|run``, ``graphkit warnings list|show|update``, ``graphkit find``,
``graphkit path`` and ``graphkit neighbours`` (registered on the root group in :mod:`graphkit.cli`).
"""

from __future__ import annotations

import getpass
import json
import sys
import time
from pathlib import Path
from typing import Any

import click

STORE_HELP = (
    "embedded:PATH (Ladybug, in-process) or neo4j://HOST:PORT (NEO4J_USER / NEO4J_PASSWORD from the environment)"
)
LEDGER_HELP = "SQLite file of the warning ledger [default: <store path>.ledger.sqlite]."


def _open(store_spec: str):
    from graphkit.stores import open_store

    try:
        return open_store(store_spec, read_only=True) if store_spec.startswith("embedded:") else open_store(store_spec)
    except Exception as exc:  # a store that cannot be opened is a user error, said plainly
        raise click.ClickException(f"cannot open store {store_spec}: {exc}") from exc


def _ledger(store_spec: str | None, ledger: Path | None, *, must_exist: bool = False):
    from graphkit.ledger import Ledger, LedgerError, default_path

    if ledger is None:
        if not store_spec:
            raise click.UsageError("give --ledger PATH or the --store the ledger sits beside")
        try:
            ledger = default_path(store_spec)
        except LedgerError as exc:
            raise click.UsageError(str(exc)) from exc
    if must_exist and not Path(ledger).exists():
        raise click.ClickException(f"no ledger at {ledger}: run `graphkit models run --store ...` first")
    return Ledger(ledger)


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _cut(text: Any, n: int) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


# ================================================================ models
@click.group("models")
def models_group() -> None:
    """The data-collision model library (queries/models/*.cypher)."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print every model's header as JSON.")
def models_list(as_json: bool) -> None:
    """Every model: id, level rule, title, the truth.json scheme it answers."""
    from graphkit.models import ModelError, catalog

    try:
        specs = catalog()
    except ModelError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        _echo_json(
            [
                {
                    "id": m.id,
                    "title_zh": m.title_zh,
                    "title_en": m.title_en,
                    "detects": m.detects,
                    "params": m.params,
                    "needs": m.needs,
                    "level": m.level,
                    "scheme": m.scheme,
                    "match": m.match,
                }
                for m in specs
            ]
        )
        return
    for m in specs:
        click.echo(f"{m.id:<32}{m.title_zh}  {m.title_en}")
        click.echo(f"{'':<32}level: {_cut(m.level, 100)}")
    click.echo(f"{len(specs)} models")


@models_group.command("run")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--model", "model_ids", multiple=True, help="Run only this model (repeat for several) [default: all].")
@click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path), default=None, help=LEDGER_HELP)
@click.option("--by", default=None, help="Who runs the models, kept in the ledger [default: the login name].")
def models_run(store_spec: str, model_ids: tuple[str, ...], ledger: Path | None, by: str | None) -> None:
    """Run models against a store and write their hits into the warning ledger.

    A warning's id is stable (model id + the hit's key): running again refreshes its evidence and
    last-seen time and never duplicates it or resets its status."""
    from graphkit.ledger import LedgerError, evidence_links
    from graphkit.models import ModelError, run_all

    led = _ledger(store_spec, ledger)
    store = _open(store_spec)
    try:
        t0 = time.perf_counter()
        try:
            hits, seconds = run_all(store, list(model_ids) or None, progress=True)
        except ModelError as exc:
            raise click.ClickException(str(exc)) from exc
        links = evidence_links(store, hits) if len(hits) else {}
        took = time.perf_counter() - t0
        try:
            counts = led.record(hits, by=by or getpass.getuser(), links=links, store=store_spec, seconds=took)
        except LedgerError as exc:
            raise click.ClickException(str(exc)) from exc
        per_model = hits.groupby("model").size().to_dict() if len(hits) else {}
        click.echo(f"{'model':<32}{'hits':>6}{'seconds':>10}")
        for mid, sec in seconds.items():
            click.echo(f"{mid:<32}{per_model.get(mid, 0):>6}{sec:>10.2f}")
        click.echo(
            f"{len(hits)} hits in {took:.1f} s: {counts['new']} new warnings, {counts['seen_again']} seen "
            f"again; ledger {led.path} holds {len(led)} warnings"
        )
    finally:
        store.close()
        led.close()


# ================================================================ warnings
@click.group("warnings")
def warnings_group() -> None:
    """The warning ledger: list warnings and move them through the closed loop."""


_ledger_options = [
    click.option("--store", "store_spec", default=None, help="The store the ledger sits beside (" + STORE_HELP + ")."),
    click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path), default=None, help=LEDGER_HELP),
]


def _with_ledger(f):
    for opt in reversed(_ledger_options):
        f = opt(f)
    return f


@warnings_group.command("list")
@_with_ledger
@click.option(
    "--status",
    multiple=True,
    type=click.Choice(["generated", "dispatched", "verified", "rectified"]),
    help="Only warnings in this status (repeat for several).",
)
@click.option("--level", multiple=True, type=click.Choice(["red", "orange", "yellow"]), help="Only this level.")
@click.option("--model", multiple=True, help="Only this model's warnings.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON: id, model id, level, status with its history (who, when), entities' natural keys, evidence.",
)
def warnings_list(store_spec, ledger, status, level, model, as_json) -> None:
    """Warnings, red first."""
    led = _ledger(store_spec, ledger, must_exist=True)
    try:
        found = led.warnings(status=status, level=level, model=model, history=as_json)
    finally:
        led.close()
    if as_json:
        _echo_json(found)
        return
    click.echo(f"{'id':<15}{'level':<8}{'status':<12}{'model':<30}{'assignee':<14}summary")
    for w in found:
        click.echo(
            f"{w['id']:<15}{w['level']:<8}{w['status']:<12}{_cut(w['model'], 29):<30}"
            f"{_cut(w['assignee'] or '', 13):<14}{_cut(w['summary'], 90)}"
        )
    click.echo(f"{len(found)} warning(s)")


@warnings_group.command("show")
@click.argument("warning_id")
@_with_ledger
@click.option("--json", "as_json", is_flag=True, help="Print the warning as JSON.")
def warnings_show(warning_id, store_spec, ledger, as_json) -> None:
    """One warning: entities, evidence links with their source rows, and its history."""
    from graphkit.ledger import LedgerError

    led = _ledger(store_spec, ledger, must_exist=True)
    try:
        w = led.get(warning_id)
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        led.close()
    if as_json:
        _echo_json(w)
        return
    click.echo(f"{w['id']}  {w['level']}  {w['status']}  model {w['model']}  key {w['key']}")
    click.echo(f"  {w['summary']}")
    for n in w["evidence"]["nodes"]:
        click.echo(f"  {n['type']:<10}{n['id']}")
    for lk in w["evidence"]["links"]:
        click.echo(f"  {lk['start']} —{lk['type']}→ {lk['end']}  [{lk['source']}]")
    click.echo(f"  sources: {', '.join(w['evidence']['sources'])}")
    for h in w["history"]:
        extra = "; ".join(
            x for x in (f"to {h['assignee']}" if h["assignee"] else "", h["outcome"] or "", h["comment"] or "") if x
        )
        click.echo(f"  {h['at']}  {h['by']}: {h['from'] or '—'} → {h['to']}" + (f"  ({extra})" if extra else ""))


@warnings_group.command("update")
@click.argument("warning_id")
@_with_ledger
@click.option(
    "--status",
    required=True,
    type=click.Choice(["dispatched", "verified", "rectified"]),
    help="The new status (generated → dispatched → verified → rectified).",
)
@click.option("--by", required=True, help="Who makes the change.")
@click.option("--comment", default=None, help="What was done or found (required to verify).")
@click.option("--to", "to", default=None, help="Whom the warning is dispatched to (required to dispatch).")
@click.option(
    "--outcome",
    type=click.Choice(["true_positive", "false_positive"]),
    default=None,
    help="What verification found (required to verify).",
)
def warnings_update(warning_id, store_spec, ledger, status, by, comment, to, outcome) -> None:
    """Move a warning along the closed loop; the change is kept with who and when."""
    from graphkit.ledger import LedgerError

    led = _ledger(store_spec, ledger, must_exist=True)
    try:
        w = led.update(warning_id, status=status, by=by, comment=comment, to=to, outcome=outcome)
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        led.close()
    last = w["history"][-1]
    click.echo(f"{w['id']}: {last['from']} → {last['to']} by {last['by']} at {last['at']}")


# ================================================================ investigators
def _entity(store, text: str):
    """An entity the user named: a key, an identifier in any common form, or a name that is unambiguous."""
    from graphkit.paths import PathError
    from graphkit.search import AmbiguousEntity, resolve

    try:
        c = resolve(store, text)
    except AmbiguousEntity as exc:
        click.echo(f"{text!r} is ambiguous; candidates:", err=True)
        click.echo(exc.candidates.to_string(index=False), err=True)
        sys.exit(2)
    except PathError as exc:
        raise click.ClickException(str(exc)) from exc
    return (c.label, c.id)


def _types(value: str | None) -> list[str] | None:
    return [t for t in value.replace("|", ",").split(",") if t.strip()] if value else None


@click.command("find")
@click.argument("query")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option(
    "--kind",
    type=click.Choice(["name", "id_number", "credit_code", "plate", "phone", "key"]),
    default=None,
    help="Search only this way [default: every way the query's form allows].",
)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print candidates as JSON.")
def find_cmd(query, store_spec, kind, limit, as_json) -> None:
    """Find entities by name (exact, 繁/简, pinyin), ID number, credit code, plate, phone or key."""
    from graphkit.paths import PathError
    from graphkit.search import find

    store = _open(store_spec)
    try:
        try:
            df = find(store, query, kind=kind, limit=limit)
        except PathError as exc:
            raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    if as_json:
        _echo_json(df.to_dict(orient="records"))
    elif df.empty:
        click.echo(f"nothing matches {query!r}")
    else:
        click.echo(df.to_string(index=False))


def _check_exports(files) -> None:
    """Refuse an unknown export format before any work is done."""
    from graphkit.viz import FORMATS

    bad = [str(f) for f in files if Path(f).suffix.lower() not in FORMATS]
    if bad:
        raise click.UsageError(f"cannot export to {', '.join(bad)}: use {', '.join(sorted(set(FORMATS)))}")


def _export(g, files, title: str) -> None:
    from graphkit.viz import export

    for f in files:
        try:
            click.echo(f"wrote {export(g, f, title=title)}", err=True)
        except (OSError, RuntimeError) as exc:
            raise click.ClickException(f"{f}: {exc}") from exc


@click.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--types", default=None, help="Relationship types to follow, comma-separated [default: all].")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 10))
@click.option("--all", "every", is_flag=True, help="Every shortest path, not just one.")
@click.option("--simple", is_flag=True, help="Every simple path up to --max-hops (at most 6), shortest first.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Most paths printed.")
@click.option("--json", "as_json", is_flag=True, help="Print paths (nodes, links, explanation) as JSON.")
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the paths found, drawn together, to FILE: .html, .png, .svg, .pdf or .graphml by suffix "
    "(repeatable).",
)
def path_cmd(source, target, store_spec, types, max_hops, every, simple, limit, as_json, exports) -> None:
    """Shortest path(s) between two entities, each hop explained with its source row."""
    from graphkit import paths

    _check_exports(exports)
    store = _open(store_spec)
    try:
        a, b = _entity(store, source), _entity(store, target)
        try:
            if simple:
                found = paths.simple_paths(store, a, b, types=_types(types), max_hops=max_hops, limit=limit)
            elif every:
                found = paths.shortest_paths(store, a, b, types=_types(types), max_hops=max_hops, limit=limit)
            else:
                one = paths.shortest_path(store, a, b, types=_types(types), max_hops=max_hops)
                found = [one] if one else []
        except paths.PathError as exc:
            raise click.ClickException(str(exc)) from exc
        explained = [paths.explain(p, store=store) for p in found]
        lines = [paths.path_line(p, store=store) for p in found]
    finally:
        store.close()
    if found and exports:
        import networkx as nx

        _export(nx.compose_all([p.graph() for p in found]), exports, f"{a[1]} → {b[1]}")
    if as_json:
        _echo_json(
            [
                {
                    "nodes": [{"id": n.id, "label": n.label, "name": n.name} for n in p.nodes],
                    "links": [
                        {"id": lk.id, "type": lk.type, "start": lk.start, "end": lk.end, "source": lk.source}
                        for lk in p.links
                    ],
                    "line": line,
                    "explain": ex,
                }
                for p, line, ex in zip(found, lines, explained, strict=True)
            ]
        )
        return
    if not found:
        click.echo(f"no path of at most {max_hops} hops between {a[1]} and {b[1]}")
        sys.exit(1)
    for i, (p, line, ex) in enumerate(zip(found, lines, explained, strict=True), start=1):
        click.echo(f"path {i} ({len(p)} hops): {line}")
        for sentence in ex:
            click.echo(f"  {sentence}")


@click.command("neighbours")
@click.argument("entity")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--hops", default=2, show_default=True, type=click.IntRange(1, 6))
@click.option("--types", default=None, help="Relationship types to follow, comma-separated [default: all].")
@click.option(
    "--page-size",
    default=50,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Most links listed per node; a node with more is a hub, shown a page at a time.",
)
@click.option("--page", default=0, show_default=True, type=click.IntRange(0), help="Page of the entity's own links.")
@click.option(
    "--after",
    type=click.IntRange(-(2**63), 2**63 - 1),
    default=None,
    help="Cursor instead of --page: the page after this link id (printed as 'next --after').",
)
@click.option("--json", "as_json", is_flag=True, help="Print nodes, links and hubs as JSON.")
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the neighbourhood as a self-contained HTML visual (the same as --export FILE.html).",
)
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the neighbourhood to FILE: .html, .png, .svg, .pdf or .graphml by suffix (repeatable).",
)
def neighbours_cmd(entity, store_spec, hops, types, page_size, page, after, as_json, html, exports) -> None:
    """The neighbourhood of an entity, hubs a page at a time."""
    from graphkit import paths

    exports = (*((html,) if html else ()), *exports)
    _check_exports(exports)
    store = _open(store_spec)
    try:
        ref = _entity(store, entity)
        try:
            g = paths.neighbourhood(
                store, ref, hops=hops, types=_types(types), page_size=page_size, page=page, after=after
            )
        except paths.PathError as exc:
            raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    meta = {
        k: g.graph[k]
        for k in ("seed", "hops", "types", "page_size", "page", "pages", "next_page", "next_after", "total", "hubs")
    }
    _export(g, exports, f"{ref[1]}: {hops}-hop neighbourhood")
    if as_json:
        _echo_json(
            {
                **meta,
                "nodes": [{"id": n, **d} for n, d in g.nodes(data=True)],
                "links": [{"start": u, "end": v, **d} for u, v, d in g.edges(data=True)],
            }
        )
        return
    where = f"page {page + 1} of {g.graph['pages']}" if after is None else f"the page after {after}"
    nxt = [
        f"next --page {g.graph['next_page']}" if g.graph["next_page"] is not None else "",
        f"next --after {g.graph['next_after']}" if g.graph["next_after"] is not None else "",
    ]
    click.echo(
        f"{ref[1]}: {g.number_of_nodes()} nodes, {g.number_of_edges()} links within {hops} hops; "
        f"its own links: {g.graph['total']} ({'; '.join([where] + [n for n in nxt if n])})"
    )
    for n, d in sorted(g.nodes(data=True), key=lambda x: (x[1]["hop"], x[1]["label"], x[0])):
        hub = (
            f"  [hub: {d['links']} links, open with `graphkit neighbours {n} --hops 1`]"
            if d.get("hub") and n != g.graph["seed"]
            else ""
        )
        click.echo(f"  {d['hop']}  {d['label']:<16}{n:<24}{d.get('name') or ''}{hub}")
