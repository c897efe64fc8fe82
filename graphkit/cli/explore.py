"""``graphkit find``, ``graphkit path`` and ``graphkit neighbours``: entity search and relationship
paths for investigators, each hop explained with its source row."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graphkit.cli.audit import check_unmask, face_options, record, shown
from graphkit.cli.common import STORE_HELP, echo_json, open_for_reading


# ================================================================ investigators
def _entity(store, text: str, unmask: bool = False):
    """An entity the user named: a key, an identifier in any common form, or a name that is unambiguous."""
    from graphkit.paths import PathError
    from graphkit.search import AmbiguousEntity, resolve

    try:
        c = resolve(store, text)
    except AmbiguousEntity as exc:
        click.echo(shown(f"{text!r} is ambiguous; candidates:", unmask), err=True)
        click.echo(shown(exc.candidates.to_string(index=False), unmask), err=True)
        sys.exit(2)
    except PathError as exc:
        raise click.ClickException(shown(str(exc), unmask)) from exc
    return (c.label, c.id)


def _types(value: str | None) -> list[str] | None:
    """Relationship types from ``--types``: the model's names, or FollowTheMoney interval names (``OWNERSHIP``,
    ``DIRECTORSHIP``, ``EMPLOYMENT`` …) standing for every type that notes that interval; a name that is neither
    is passed on for :func:`graphkit.paths.check_types` to refuse with the list of types."""
    if not value:
        return None
    from graphkit.model import Model

    rels = Model.default().relationships
    out: list[str] = []
    for t in (x.strip() for x in value.replace("|", ",").split(",")):
        if not t:
            continue
        ftm = [n for n, r in rels.items() if (r.ftm or "").lower() == t.lower()] if t not in rels else []
        out.extend(ftm or [t])
    return list(dict.fromkeys(out))


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
@face_options
def find_cmd(query, store_spec, kind, limit, as_json, by, purpose, unmask, reason) -> None:
    """Find entities by name (exact, 繁/简, pinyin), ID number, credit code, plate, phone or key
    (identifiers masked unless --unmask)."""
    from graphkit.paths import PathError
    from graphkit.search import find

    check_unmask(unmask, reason)
    store = open_for_reading(store_spec)
    try:
        try:
            df = find(store, query, kind=kind, limit=limit)
        except PathError as exc:
            raise click.ClickException(shown(str(exc), unmask)) from exc
    finally:
        store.close()
    record(
        store_spec,
        "find",
        {"query": query, "kind": kind, "limit": limit},
        by=by,
        purpose=purpose,
        result=len(df),
        unmask=unmask,
        reason=reason,
    )
    if as_json:
        echo_json(shown(df.to_dict(orient="records"), unmask))
    elif df.empty:
        click.echo(shown(f"nothing matches {query!r}", unmask))
    else:
        click.echo(shown(df.to_string(index=False), unmask))


def _check_exports(files) -> None:
    """Refuse an unknown export format before any work is done."""
    from graphkit.viz import FORMATS

    bad = [str(f) for f in files if Path(f).suffix.lower() not in FORMATS]
    if bad:
        raise click.UsageError(f"cannot export to {', '.join(bad)}: use {', '.join(sorted(set(FORMATS)))}")


def _export(g, files, title: str, unmask: bool = False) -> None:
    from graphkit.viz import export

    for f in files:
        try:
            click.echo(f"wrote {export(g, f, title=title, unmask=unmask)}", err=True)
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
@face_options
def path_cmd(
    source, target, store_spec, types, max_hops, every, simple, limit, as_json, exports, by, purpose, unmask, reason
) -> None:
    """Shortest path(s) between two entities, each hop explained with its source row (identifiers masked
    unless --unmask)."""
    from graphkit import paths

    check_unmask(unmask, reason)
    _check_exports(exports)
    store = open_for_reading(store_spec)
    try:
        a, b = _entity(store, source, unmask), _entity(store, target, unmask)
        try:
            if simple:
                found = paths.simple_paths(store, a, b, types=_types(types), max_hops=max_hops, limit=limit)
            elif every:
                found = paths.shortest_paths(store, a, b, types=_types(types), max_hops=max_hops, limit=limit)
            else:
                one = paths.shortest_path(store, a, b, types=_types(types), max_hops=max_hops)
                found = [one] if one else []
        except paths.PathError as exc:
            raise click.ClickException(shown(str(exc), unmask)) from exc
        explained = [paths.explain(p, store=store) for p in found]
        lines = [paths.path_line(p, store=store) for p in found]
    finally:
        store.close()
    record(
        store_spec,
        "path",
        {"source": source, "target": target, "types": types, "max_hops": max_hops, "all": every, "simple": simple},
        by=by,
        purpose=purpose,
        result=len(found),
        unmask=unmask,
        reason=reason,
    )
    if found and exports:
        import networkx as nx

        _export(nx.compose_all([p.graph() for p in found]), exports, f"{a[1]} → {b[1]}", unmask)
    if as_json:
        echo_json(
            shown(
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
                ],
                unmask,
            )
        )
        return
    if not found:
        click.echo(shown(f"no path of at most {max_hops} hops between {a[1]} and {b[1]}", unmask))
        sys.exit(1)
    for i, (p, line, ex) in enumerate(zip(found, lines, explained, strict=True), start=1):
        click.echo(shown(f"path {i} ({len(p)} hops): {line}", unmask))
        for sentence in ex:
            click.echo(shown(f"  {sentence}", unmask))


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
@face_options
def neighbours_cmd(
    entity, store_spec, hops, types, page_size, page, after, as_json, html, exports, by, purpose, unmask, reason
) -> None:
    """The neighbourhood of an entity, hubs a page at a time (identifiers masked unless --unmask)."""
    from graphkit import paths

    check_unmask(unmask, reason)
    exports = (*((html,) if html else ()), *exports)
    _check_exports(exports)
    store = open_for_reading(store_spec)
    try:
        ref = _entity(store, entity, unmask)
        try:
            g = paths.neighbourhood(
                store, ref, hops=hops, types=_types(types), page_size=page_size, page=page, after=after
            )
        except paths.PathError as exc:
            raise click.ClickException(shown(str(exc), unmask)) from exc
    finally:
        store.close()
    record(
        store_spec,
        "neighbours",
        {"entity": entity, "hops": hops, "types": types, "page_size": page_size, "page": page, "after": after},
        by=by,
        purpose=purpose,
        result=g.number_of_nodes(),
        unmask=unmask,
        reason=reason,
    )
    meta = {
        k: g.graph[k]
        for k in ("seed", "hops", "types", "page_size", "page", "pages", "next_page", "next_after", "total", "hubs")
    }
    _export(g, exports, f"{ref[1]}: {hops}-hop neighbourhood", unmask)
    if as_json:
        echo_json(
            shown(
                {
                    **meta,
                    "nodes": [{"id": n, **d} for n, d in g.nodes(data=True)],
                    "links": [{"start": u, "end": v, **d} for u, v, d in g.edges(data=True)],
                },
                unmask,
            )
        )
        return
    # the paging cursor is a link id (an 18-digit integer), not an identifier: printed outside the masked text
    # so that it can be passed back as --after
    where = f"page {page + 1} of {g.graph['pages']}" if after is None else f"the page after {after}"
    nxt = [
        f"next --page {g.graph['next_page']}" if g.graph["next_page"] is not None else "",
        f"next --after {g.graph['next_after']}" if g.graph["next_after"] is not None else "",
    ]
    head = shown(
        f"{ref[1]}: {g.number_of_nodes()} nodes, {g.number_of_edges()} links within {hops} hops; "
        f"its own links: {g.graph['total']}",
        unmask,
    )
    click.echo(f"{head} ({'; '.join([where] + [n for n in nxt if n])})")
    for n, d in sorted(g.nodes(data=True), key=lambda x: (x[1]["hop"], x[1]["label"], x[0])):
        hub = (
            f"  [hub: {d['links']} links, open with `graphkit neighbours {n} --hops 1`]"
            if d.get("hub") and n != g.graph["seed"]
            else ""
        )
        click.echo(shown(f"  {d['hop']}  {d['label']:<16}{n:<24}{d.get('name') or ''}{hub}", unmask))


COMMANDS = [find_cmd, path_cmd, neighbours_cmd]
