"""``graphkit export``: a case file (案卷) of entities' neighbourhoods and paths, masked, audited."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from graphkit.cli.audit import check_unmask, face_options, record
from graphkit.cli.common import STORE_HELP, open_for_reading
from graphkit.cli.explore import _entity, _types
from graphkit.exports import FORMATS, MAX_DRAWN, CaseInfo, write_case_file

__all__ = ["export_cmd", "COMMANDS"]


def _rerun(store_spec, entities, hops, types, path, page_size, case) -> str:
    """The command that writes the whole graph as GraphML (named where a drawing leaves nodes out)."""
    args = ["graphkit", "export", "--store", store_spec]
    for e in entities:
        args += ["--entity", e]
    if entities:
        args += ["--hops", str(hops), "--page-size", str(page_size)]
    if types:
        args += ["--types", types]
    if path:
        args += ["--path", *path]
    args += ["--format", "graphml", "--case", case, "--out", f"{case}.graphml"]
    return shlex.join(args)


@click.command("export")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--entity", "entities", multiple=True, help="An entity whose neighbourhood is exported (repeatable).")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(1, 6), help="Hops around each entity.")
@click.option("--types", default=None, help="Relationship types to follow, comma-separated [default: all].")
@click.option("--path", "path", nargs=2, default=None, help="Also the shortest paths between two entities: A B.")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 10), help="Longest path looked for.")
@click.option(
    "--page-size",
    default=50,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Most links listed per node; a node with more is a hub and is not expanded.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Format [default: the --out file's suffix]."
)
@click.option("--case", "case", required=True, help="The case number (案卷号), printed on every page.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@click.option(
    "--max-drawn",
    default=MAX_DRAWN,
    show_default=True,
    type=click.IntRange(1, 5_000),
    help="Most nodes a drawing (html, pdf, png, svg) shows; the legend names what is left out.",
)
@face_options
def export_cmd(
    store_spec,
    entities,
    hops,
    types,
    path,
    max_hops,
    page_size,
    fmt,
    case,
    out,
    max_drawn,
    by,
    purpose,
    unmask,
    reason,
) -> None:
    """Write a case file: the neighbourhoods of --entity and the paths of --path, with the case number,
    exporter and time, a legend and an appendix citing every relationship's source file and row.
    ID numbers, phones and bank accounts are masked unless --unmask --reason is given (audited)."""
    import networkx as nx

    from graphkit import paths
    from graphkit.audit import current_user

    check_unmask(unmask, reason)
    if not entities and not path:
        raise click.UsageError("name what to export: --entity ID (repeatable) and/or --path A B")
    fmt = fmt or out.suffix.lower().lstrip(".")
    if fmt == "htm":
        fmt = "html"
    if fmt not in FORMATS:
        raise click.UsageError(f"--out {out}: give --format ({', '.join(FORMATS)}) or a file with such a suffix")
    who = current_user(by)
    store = open_for_reading(store_spec)
    parts, subject = [], []
    try:
        for text in entities:
            ref = _entity(store, text)
            try:
                g = paths.neighbourhood(store, ref, hops=hops, types=_types(types), page_size=page_size)
            except paths.PathError as exc:
                raise click.ClickException(str(exc)) from exc
            seed = g.nodes[g.graph["seed"]]
            subject.append(f"{seed.get('name') or ref[1]} ({ref[1]}): {hops} 度关系 {hops}-hop neighbourhood")
            parts.append(g)
        if path:
            a, b = _entity(store, path[0]), _entity(store, path[1])
            try:
                found = paths.shortest_paths(store, a, b, types=_types(types), max_hops=max_hops)
            except paths.PathError as exc:
                raise click.ClickException(str(exc)) from exc
            if not found:
                raise click.ClickException(f"no path of at most {max_hops} hops between the two entities")
            for p in found:
                pg = p.graph()
                for i, n in enumerate(p.nodes):
                    pg.nodes[n.id].setdefault("hop", min(i, len(p.nodes) - 1 - i))
                parts.append(pg)
            names = [p.nodes[0].name or a[1], p.nodes[-1].name or b[1]]
            subject.append(f"路径 path {names[0]} ({a[1]}) → {names[1]} ({b[1]}): {len(found)} 条最短路径")
    finally:
        store.close()
    g = nx.compose_all(parts) if len(parts) > 1 else parts[0]
    info = CaseInfo(
        case=case,
        by=who,
        subject="；".join(subject),
        rerun=_rerun(store_spec, entities, hops, types, path, page_size, case),
        masked=not unmask,
        reason=reason if unmask else None,
    )
    try:
        res = write_case_file(g, out, info, fmt=fmt, max_drawn=max_drawn)
    except (OSError, RuntimeError, ValueError) as exc:
        raise click.ClickException(f"{out}: {exc}") from exc
    record(
        store_spec,
        "export",
        {
            "entities": list(entities),
            "hops": hops,
            "types": types,
            "path": list(path) if path else None,
            "format": fmt,
            "case": case,
            "out": str(out),
        },
        by=who,
        purpose=purpose,
        result=g.number_of_nodes(),
        unmask=unmask,
        reason=reason,
    )
    left = (
        f"; {res.left_out_nodes} nodes and {res.left_out_links} links left out of the drawing"
        if (res.left_out_nodes or res.left_out_links)
        else ""
    )
    folded = f" ({res.folded_nodes} of them drawn as {res.folds} folded nodes)" if res.folds else ""
    click.echo(
        f"wrote {res.path} ({fmt}, case {case}): {res.nodes} nodes{folded}, {res.links} relationships{left}; "
        + ("identifiers masked" if not unmask else "identifiers IN CLEAR (audited)")
    )


COMMANDS = [export_cmd]
