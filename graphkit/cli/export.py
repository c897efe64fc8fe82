"""``graphkit export``: a case file (案卷) of entities' neighbourhoods and paths, masked, audited."""

from __future__ import annotations

import shlex

import click

from graphkit.cli.audit import check_unmask, face_options, shown
from graphkit.cli.casefile import Subject, case_number, file_format, write_case_files
from graphkit.cli.casefile import subject as _subject
from graphkit.cli.common import STORE_HELP, OutPath, Steps, console_lang, counted, open_for_reading
from graphkit.cli.common import said as _say  # (said: the words of a function below)
from graphkit.cli.explore import _called, _types
from graphkit.exports import FORMATS, MAX_DRAWN, CaseInfo, neighbourhood_subject, omitted_notes, path_subject
from graphkit.model.mask import mask_text, public_keys
from graphkit.paths import MAX_LINKS

__all__ = ["export_cmd", "COMMANDS"]


def _rerun(store_spec, entities, hops, types, pairs, page_size, max_links, case) -> str:
    """The command that writes the whole graph as GraphML (named where a drawing leaves nodes out); entities
    by what the user may type back with identifiers masked (:attr:`Subject.handle` where a key is personal)."""
    args = ["graphkit", "export", "--store", store_spec]
    for e in entities:
        args += ["--entity", _passable(e)]
    if entities:
        args += ["--hops", str(hops), "--page-size", str(page_size), "--max-links", str(max_links)]
    if types:
        args += ["--types", types]
    for a, b in pairs:
        args += ["--path", _passable(a), _passable(b)]
    args += ["--format", "graphml", "--case", case, "--out", f"{case}.graphml"]
    return shlex.join(args)


def _passable(s: Subject) -> str:
    """How an entity is named in a command printed in a masked file: its key when masking leaves it whole,
    else its handle (the name, or ``NAME#N``)."""
    return s[1] if mask_text(s[1]) == s[1] else s.handle


@click.command("export")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option(
    "--entity",
    "entities",
    multiple=True,
    help="An entity whose neighbourhood is exported (repeatable): a key, an identifier, or an exact name "
    "(繁/简 alike); NAME#N for the N-th namesake as the candidates list numbers them.",
)
@click.option("--hops", default=2, show_default=True, type=click.IntRange(1, 6), help="Hops around each entity.")
@click.option("--types", default=None, help="Relationship types to follow, comma-separated [default: all].")
@click.option(
    "--path",
    "pairs",
    nargs=2,
    multiple=True,
    help="Also the shortest paths between two entities: A B (repeatable; named as --entity is).",
)
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 10), help="Longest path looked for.")
@click.option(
    "--page-size",
    default=50,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Most links listed per node other than an --entity; a node with more is a hub and is not expanded "
    "(the case file names it).",
)
@click.option(
    "--max-links",
    default=MAX_LINKS,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Most of an --entity's own links taken (all of them up to this); the case file names the rest.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Format [default: the --out file's suffix]."
)
@click.option("--case", "case", required=True, help="The case number (案卷号), printed on every page.")
@click.option("--out", "out", required=True, type=OutPath(), help="The file to write.")
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
    pairs,
    max_hops,
    page_size,
    max_links,
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
    Entities are named exactly (a name matching only by pinyin or in part is refused, with the candidates).
    IDs, phones, accounts, private plates, addresses, fuel cards and lawyer licences are masked
    unless --unmask --reason is given (audited)."""

    from graphkit import paths
    from graphkit.audit import current_user

    check_unmask(unmask, reason)
    if not entities and not pairs:
        raise click.UsageError(
            _say(
                "name what to export: --entity ID (repeatable) and/or --path A B (repeatable)",
                "请指明导出什么：--entity 编号（可重复）和/或 --path A B（可重复）",
            )
        )
    case = case_number(case, required=True)
    fmt = file_format(out, fmt)
    who = current_user(by)
    store = open_for_reading(store_spec)
    parts, subject, seeds, omitted = [], [], [], []
    named, routes = [], []
    # a step each entity, path and the properties, then one each file (a PDF's pages stand in for it): the
    # case file of a unit's 2 hops in a 30,000-person city takes 5-20 s
    steps = Steps("export", len(entities) + len(pairs) + 2)
    try:
        for i, text in enumerate(entities, 1):
            steps.start(f"neighbourhood {i}/{len(entities)}")
            ref = _subject(store, text, unmask)
            named.append(ref)
            try:
                g = paths.whole_neighbourhood(
                    store, ref, hops=hops, types=_types(types), page_size=page_size, max_links=max_links
                )
            except paths.PathError as exc:
                raise click.ClickException(shown(str(exc), unmask)) from exc
            seed = g.nodes[g.graph["seed"]]
            subject.append(neighbourhood_subject(f"{seed.get('name') or ref[1]} ({ref[1]})", hops, console_lang()))
            seeds.append(ref[1])
            parts.append(g)
            steps.done()
        # another --entity met as a hub is no hub left out: the file holds its neighbourhood (a company and its
        # shareholder exported together each named the other "only listed, its links not expanded")
        for g, ref in zip(parts, named, strict=True):
            others = frozenset(r[1] for r in named if r != ref)
            # the file's words as the console's, in its language alone (the file's had its English after the Chinese)
            omitted += omitted_notes(g, expanded=others, lang=console_lang())
        for pa, pb in pairs:
            steps.start("path")
            a, b = _subject(store, pa, unmask), _subject(store, pb, unmask)
            routes.append((a, b))
            try:
                found = paths.shortest_paths(store, a, b, types=_types(types), max_hops=max_hops)
            except paths.PathError as exc:
                raise click.ClickException(shown(str(exc), unmask)) from exc
            if not found:
                ends = (_called(a, unmask), _called(b, unmask))  # by name too: a masked key alone said not whom
                said = f"no path of at most {counted(max_hops, 'hop')} between {ends[0]} and {ends[1]}"
                raise click.ClickException(shown(said, unmask, keep=public_keys([a, b])))
            for p in found:
                pg = p.graph()
                for i, n in enumerate(p.nodes):
                    pg.nodes[n.id]["hop"] = min(i, len(p.nodes) - 1 - i)
                parts.append(pg)
            seeds += [x for x in (a[1], b[1]) if x not in seeds]
            ends = (f"{a.name or a[1]} ({a[1]})", f"{b.name or b[1]} ({b[1]})")
            subject.append(path_subject(*ends, len(found), console_lang()))
            steps.done()
        steps.start("properties")
        g = _merge(parts)
        paths.with_properties(store, g)
        steps.done()
    except BaseException:
        steps.close()  # the bar off the console before the error is said
        raise
    finally:
        store.close()
    info = CaseInfo(
        case=case,
        by=who,
        subject=("; " if console_lang() == "en" else "；").join(subject),  # joined in its language (it was ；)
        rerun=_rerun(store_spec, named, hops, types, routes, page_size, max_links, case),
        masked=not unmask,
        reason=reason if unmask else None,
        omitted=tuple(omitted),
        seeds=tuple(dict.fromkeys(seeds)),
        lang=console_lang(),  # its headings, legend and appendix in the console's language alone
    )
    write_case_files(
        g,
        [(out, fmt)],
        info,
        store_spec=store_spec,
        command="export",
        params={
            "entities": list(entities),
            "hops": hops,
            "types": types,
            "path": [list(p) for p in pairs] or None,
            "max_links": max_links,
            "format": fmt,
            "out": str(out),
        },
        purpose=purpose,
        max_drawn=max_drawn,
        unmask=unmask,
        steps=steps,
    )


def _merge(parts):
    """The parts of a case file as one graph; a node keeps its smallest ``hop`` (it is a seed if any part
    has it as one); the paths' ends (``path_ends``) are kept, each pair once."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for part in parts:
        # each path's start and end, so its drawing runs from the start on the left (graphkit.viz.layout_positions)
        for pair in part.graph.get("path_ends", ()):
            if list(pair) not in g.graph.setdefault("path_ends", []):
                g.graph["path_ends"].append(list(pair))
        for v, a in part.nodes(data=True):
            if v in g:
                hop = min(g.nodes[v].get("hop", 99), a.get("hop", 99))
                g.nodes[v].update({k: val for k, val in a.items() if g.nodes[v].get(k) is None})
                g.nodes[v]["hop"] = hop
            else:
                g.add_node(v, **a)
        for u, v, k, a in part.edges(keys=True, data=True):
            if not g.has_edge(u, v, key=k):
                g.add_edge(u, v, key=k, **a)
    return g


COMMANDS = [export_cmd]
