"""``graphkit find``, ``graphkit path`` and ``graphkit neighbours``: entity search and relationship
paths for investigators, each hop explained with its source row."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graphkit.cli.audit import check_unmask, face_options, graph_persons, persons_in, record, shown
from graphkit.cli.common import (
    STORE_HELP,
    OutPath,
    Steps,
    console_lang,
    counted,
    echo_json,
    lang_option,
    open_for_reading,
    refused,
    said,
    table,
)
from graphkit.cli.common import said as _say  # (said: the words of a function below)
from graphkit.model.mask import mask_caption, mask_graph, mask_node_key, mask_text, public_keys


# ================================================================ investigators
def _entity(store, text: str, unmask: bool = False, *, exact: bool = False):
    """An entity the user named: a key, an identifier in any common form, a name that is unambiguous, or
    ``NAME#N`` (the N-th namesake as the candidates list numbers them); a name one person, company or unit has
    exactly is that one where entities of other kinds have it too. ``exact`` (a case file is written): only the key,
    an identifier or the exact name (:func:`graphkit.cli.casefile.subject`)."""
    from graphkit.cli.casefile import Subject, print_candidates, subject
    from graphkit.paths import PathError
    from graphkit.search import _HANDLE, SUBJECT_LABELS, AmbiguousEntity, candidates, named_among, resolve

    if exact or _HANDLE.match(text.strip()):
        return subject(store, text, unmask)
    try:
        c = resolve(store, text)
    except AmbiguousEntity as exc:
        if named_among(store, text, SUBJECT_LABELS) is not None:  # a unit and the Place of its building: the unit
            return subject(store, text, unmask)  # as export, portrait and the notebooks take it (the others noted)
        print_candidates(
            said(
                f"{text!r} is ambiguous; candidates: (give one by its handle)",
                f"{text!r} 指向不止一个实体；候选如下（请用其指称之一）：",
            ),
            candidates(store, exc.candidates),
            unmask,
        )
        sys.exit(2)
    except PathError as exc:
        raise click.ClickException(shown(refused(exc), unmask)) from exc
    return Subject(c.label, c.id, c.name, text)  # as typed: it named the entity once


def _called(s, unmask: bool) -> str:
    """An entity as a message names it: its name and its key as its node shows it (``雷婉 (3205**********272X)``),
    the key alone where it has no name; the key in clear with ``unmask``."""
    key = s[1] if unmask else mask_node_key(*s)
    name = getattr(s, "name", None)
    return f"{name} ({key})" if name and name != s[1] else key


def _types(value: str | None) -> list[str] | None:
    """Relationship types from ``--types``: the model's names, or FollowTheMoney interval names (``OWNERSHIP``,
    ``DIRECTORSHIP``, ``EMPLOYMENT`` …) standing for every type that notes that interval; a name that is neither
    is passed on for :func:`graphkit.paths.check_types` to refuse with the list of types."""
    if not value:
        return None
    from graphkit.model import Model

    model = Model.default()
    rels = model.relationships
    # a type as the legend prints it (亲属, 股东) or in any case (shareholder_of): `family` was read (as FtM's
    # Family) and `shareholder_of` refused
    named = {n.upper(): n for n in rels} | {model.display_name(n, "zh"): n for n in rels}
    out: list[str] = []
    for t in (x.strip() for x in value.replace("|", ",").replace("，", ",").split(",")):
        if not t:
            continue
        if t in named or t.upper() in named:
            out.append(named.get(t) or named[t.upper()])
            continue
        ftm = [n for n, r in rels.items() if (r.ftm or "").lower() == t.lower()]
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
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Most candidates listed.")
@click.option("--json", "as_json", is_flag=True, help="Print candidates as JSON.")
@lang_option(
    "The table's header, each kind (自然人, 单位) and how it matched (拼音一致) in Chinese, or English (en); --json "
    "is the same either way."
)
@face_options
def find_cmd(query, store_spec, kind, limit, as_json, lang, by, purpose, unmask, reason) -> None:
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
            raise click.ClickException(shown(refused(exc), unmask)) from exc
    finally:
        store.close()
    record(
        store_spec,
        "find",
        {"query": query, "kind": kind, "limit": limit, "persons": persons_in(zip(df["label"], df["id"], strict=True))},
        by=by,
        purpose=purpose,
        result=len(df),
        unmask=unmask,
        reason=reason,
    )
    as_shown: frozenset[str] = frozenset()
    if not unmask and not df.empty:  # a person's key masked as neighbours shows it (an FtM id, a passport number)
        df = df.assign(id=[mask_node_key(la, i) for la, i in zip(df["label"], df["id"], strict=True)])
        # the keys as mask_node_key leaves them: one public by its type (an invoice's number) is not masked again
        as_shown = frozenset(str(i) for i in df["id"])
    if as_json:
        echo_json(shown(df.to_dict(orient="records"), unmask))
    elif df.empty:
        click.echo(shown(said(f"nothing matches {query!r}", f"没有与 {query!r} 匹配的实体"), unmask))
    else:
        from graphkit.search import in_words

        if not unmask:  # an address's text (its name) is masked as its key is, in any script
            df = df.assign(
                name=[mask_caption(la, i, x) for la, i, x in zip(df["label"], df["id"], df["name"], strict=True)]
            )
        if lang == "zh":  # aligned by display columns (pandas counts a Chinese character as one)
            words = in_words(df.assign(score=[f"{x:.2f}" for x in df["score"]]))
            text = "\n".join(table([tuple(words.columns), *words.astype(str).itertuples(index=False)], indent=""))
        else:
            text = df.to_string(index=False)
        click.echo(text if unmask else mask_text(text, keep=as_shown))


def _check_exports(files, case: str | None = None) -> tuple[list[tuple[Path, str]], str]:
    """The case files asked for, with their formats by suffix, and the case number: an unknown format or a
    blank ``--case`` refused before any work is done."""
    from graphkit.cli.casefile import case_number, file_format
    from graphkit.exports import FORMATS

    bad = [str(f) for f in files if Path(f).suffix.lower().lstrip(".") not in (*FORMATS, "htm")]
    if bad:
        raise click.UsageError(
            said(
                f"cannot export to {', '.join(bad)}: use .{', .'.join(FORMATS)}",
                f"无法导出到 {'、'.join(bad)}：请用 .{'、.'.join(FORMATS)} 文件",
            )
        )
    return [(Path(f), file_format(Path(f))) for f in files], case_number(case, required=False)


def _export(
    g, files, case: str, subject: str, *, store_spec, command, params, by, purpose, unmask, reason, steps=None
) -> None:
    """Write ``g`` to each file as a case file (:func:`graphkit.cli.casefile.write_case_files`: header, legend,
    appendix, masking note, folding; an ``export`` audit record naming the files). ``steps``: the progress bar
    the command started (:class:`graphkit.cli.common.Steps`), with a step left for the properties and one a
    file."""
    if not files:
        return
    from graphkit import paths
    from graphkit.audit import current_user
    from graphkit.cli.casefile import write_case_files
    from graphkit.exports import MAX_DRAWN, CaseInfo, hubs_note

    # the properties, then a step a file (a PDF's pages stand in for it)
    steps = steps or Steps("export", 1 + len(files))
    steps.start("properties")
    store = open_for_reading(store_spec)
    try:
        paths.with_properties(store, g)
    except BaseException:
        steps.close()
        raise
    finally:
        store.close()
    steps.done()
    omitted = []  # in the console's language alone, the file's as the console's (the file's had English after Chinese)
    total, seed = g.graph.get("total"), g.graph.get("seed")
    if seed is not None and total is not None and g.graph.get("pages", 1) > 1:
        page = g.graph.get("page")
        where = f"第 {page + 1}/{g.graph['pages']} 页" if page is not None else "游标所指的一页"
        whole = f"graphkit export --entity … --max-links {total}"
        which = f"page {page + 1} of {g.graph['pages']}" if page is not None else "the page of the cursor"
        omitted.append(
            said(
                f"this file holds {which} of the {total} links of {seed} (pages of {g.graph['page_size']}); all of "
                f"them: {whole}",
                f"本文件只含 {seed} 的 {total} 条关系中的{where}（每页 {g.graph['page_size']} 条）；全部关系用 {whole}",
            )
        )
    hubs = hubs_note(g, lang=console_lang())  # each hub named (the file said how many, not which)
    if hubs:
        omitted.append(hubs)
    info = CaseInfo(
        case=case,
        by=current_user(by),
        subject=subject,
        masked=not unmask,
        reason=reason if unmask else None,
        omitted=tuple(omitted),
        seeds=tuple(x for x in params.get("seeds", ()) if x),
        lang=console_lang(),  # its 未编案卷号 (no --case) in the console's language
    )
    write_case_files(
        g,
        files,
        info,
        store_spec=store_spec,
        command=command,
        params=params,
        purpose=purpose,
        max_drawn=MAX_DRAWN,
        unmask=unmask,
        echo_err=True,
        steps=steps,
    )


@click.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--types", default=None, help="Relationship types to follow, comma-separated [default: all].")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 10), help="Longest path looked for.")
@click.option("--all", "every", is_flag=True, help="Every shortest path, not just one.")
@click.option("--simple", is_flag=True, help="Every simple path up to --max-hops (at most 6), shortest first.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Most paths printed.")
@click.option("--json", "as_json", is_flag=True, help="Print paths (nodes, links, explanation) as JSON.")
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=OutPath(),
    help="Also write the paths found, drawn together, as a case file: .html .pdf .png .svg .graphml .gexf .json "
    "by suffix (repeatable; entities then named exactly).",
)
@click.option(
    "--case",
    "case",
    default=None,
    help="The case number (案卷号) printed on every page of an --export file (omitted: the file says it has none).",
)
@lang_option(
    "Each hop explained in Chinese (配偶为, 持股60%, 第2行), or English as before (en); --json too.",
)
@face_options
def path_cmd(
    source,
    target,
    store_spec,
    types,
    max_hops,
    every,
    simple,
    limit,
    as_json,
    exports,
    case,
    lang,
    by,
    purpose,
    unmask,
    reason,
) -> None:
    """Shortest path(s) between two entities, each hop explained with its source row, in Chinese (--lang en:
    English); identifiers masked unless --unmask."""
    from graphkit import paths
    from graphkit.exports import path_subject

    check_unmask(unmask, reason)
    files, case = _check_exports(exports, case)
    store = open_for_reading(store_spec)
    try:
        a, b = _entity(store, source, unmask, exact=bool(files)), _entity(store, target, unmask, exact=bool(files))
        try:
            if simple:
                found = paths.simple_paths(store, a, b, types=_types(types), max_hops=max_hops, limit=limit)
            elif every:
                found = paths.shortest_paths(store, a, b, types=_types(types), max_hops=max_hops, limit=limit)
            else:
                one = paths.shortest_path(store, a, b, types=_types(types), max_hops=max_hops)
                found = [one] if one else []
        except paths.PathError as exc:
            raise click.ClickException(shown(refused(exc), unmask)) from exc
        explained = [paths.explain(p, store=store, lang=lang) for p in found]
        lines = [paths.path_line(p, store=store, lang=lang) for p in found]
    finally:
        store.close()
    record(
        store_spec,
        "path",
        {
            "source": source,
            "target": target,
            "types": types,
            "max_hops": max_hops,
            "all": every,
            "simple": simple,
            "keys": [a[1], b[1]],
            # the two ends too: a path not found still named them (by name and masked key) on the console
            "persons": persons_in([a, b, *((n.label, n.id) for p in found for n in p.nodes)]),
        },
        by=by,
        purpose=purpose,
        result=len(found),
        unmask=unmask,
        reason=reason,
    )
    if found and files:
        import networkx as nx

        g = nx.compose_all([p.graph() for p in found])
        for p in found:
            for i, n in enumerate(p.nodes):
                g.nodes[n.id]["hop"] = min(g.nodes[n.id].get("hop", i), i, len(p.nodes) - 1 - i)
        names = (found[0].nodes[0], found[0].nodes[-1])
        _export(
            g,
            files,
            case,
            path_subject(
                f"{names[0].name or a[1]} ({a[1]})",
                f"{names[1].name or b[1]} ({b[1]})",
                len(found),
                console_lang(),
                shortest=not simple,
            ),
            store_spec=store_spec,
            command="path",
            params={"source": source, "target": target, "types": types, "max_hops": max_hops, "seeds": [a[1], b[1]]},
            by=by,
            purpose=purpose,
            unmask=unmask,
            reason=reason,
        )
    if as_json:
        # keys as neighbours shows them: a person's key masked (an FtM id, a passport number)
        labels = {n.id: n.label for p in found for n in p.nodes}
        key = (lambda k: k) if unmask else (lambda k: mask_node_key(labels.get(k, ""), k))  # noqa: E731
        echo_json(
            shown(
                [
                    {
                        "nodes": [{"id": key(n.id), "label": n.label, "name": n.name} for n in p.nodes],
                        "links": [
                            {
                                "id": lk.id,
                                "type": lk.type,
                                "start": key(lk.start),
                                "end": key(lk.end),
                                "source": lk.source,
                            }
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
        ends = (_called(a, unmask), _called(b, unmask))  # by name too: a masked key alone said not whom
        said = (
            f"{ends[0]} 与 {ends[1]} 之间没有 {max_hops} 跳以内的路径"
            if lang == "zh"
            else f"no path of at most {counted(max_hops, 'hop')} between {ends[0]} and {ends[1]}"
        )
        click.echo(shown(said, unmask, keep=public_keys([a, b])))  # a company's credit code as on its node
        sys.exit(1)
    for i, (p, line, ex) in enumerate(zip(found, lines, explained, strict=True), start=1):
        head = f"路径 {i}（{len(p)} 跳）：" if lang == "zh" else f"path {i} ({counted(len(p), 'hop')}): "
        click.echo(shown(head + line, unmask))
        for sentence in ex:
            click.echo(shown(f"  {sentence}", unmask))


@click.command("neighbours")
@click.argument("entity")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--hops", default=2, show_default=True, type=click.IntRange(1, 6), help="Hops around the entity.")
@click.option("--types", default=None, help="Relationship types to follow, comma-separated [default: all].")
@click.option(
    "--page-size",
    default=50,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Most links listed per node; a node with more is a hub, shown a page at a time.",
)
@click.option(
    "--page",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Page of the entity's own links, counting from 1 (the first page is --page 1).",
)
@click.option(
    "--after",
    type=click.IntRange(-(2**63), 2**63 - 1),
    default=None,
    help="Cursor instead of --page: the page after this link id (printed as 'next --after').",
)
@click.option("--json", "as_json", is_flag=True, help="Print nodes, links and hubs as JSON.")
@click.option(
    "--html",
    type=OutPath(),
    default=None,
    help="Also write the neighbourhood as a self-contained HTML visual (the same as --export FILE.html).",
)
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=OutPath(),
    help="Also write the neighbourhood as a case file: .html .pdf .png .svg .graphml .gexf .json by suffix "
    "(repeatable; the entity then named exactly).",
)
@click.option(
    "--case",
    "case",
    default=None,
    help="The case number (案卷号) printed on every page of an --export file (omitted: the file says it has none).",
)
@face_options
@lang_option("The table in Chinese (kinds 自然人, 企业 …; an amount in 万元), or in English as before (en).")
def neighbours_cmd(
    entity,
    store_spec,
    hops,
    types,
    page_size,
    page,
    after,
    as_json,
    html,
    exports,
    case,
    by,
    purpose,
    unmask,
    reason,
    lang,
) -> None:
    """The neighbourhood of an entity, hubs a page at a time (identifiers masked unless --unmask)."""
    from graphkit import paths
    from graphkit.exports import neighbourhood_subject

    check_unmask(unmask, reason)
    exports = (*((html,) if html else ()), *exports)
    files, case = _check_exports(exports, case)
    # the case files of a unit's two hops take 5-20 s in a 30,000-person city: a bar from the start
    steps = Steps("export", 2 + len(files)) if files else None
    if steps:
        steps.start("neighbourhood")
    store = open_for_reading(store_spec)
    try:
        ref = _entity(store, entity, unmask, exact=bool(files))
        if after is not None and page != 1:
            raise click.UsageError(
                _say("give --page or --after (a cursor), not both", "--page 和 --after（游标）只能给出其一")
            )
        try:  # paths counts pages from 0, the command line from 1
            g = paths.neighbourhood(
                store, ref, hops=hops, types=_types(types), page_size=page_size, page=page - 1, after=after
            )
        except paths.PageOutOfRange as exc:
            who = ref[1] if unmask else mask_node_key(*ref)
            raise click.ClickException(
                shown(
                    _say(
                        f"page {page} is past the last page: {who} has {exc.total} link(s), {exc.pages} page(s) of "
                        f"{page_size} (--page 1 to {exc.pages})",
                        f"第 {page} 页超出了最后一页：{who} 有 {exc.total} 条关系，每页 {page_size} 条，共 "
                        f"{exc.pages} 页（--page 1 至 {exc.pages}）",
                    ),
                    unmask,
                    keep=public_keys([ref]),
                )
            ) from exc
        except paths.PathError as exc:
            raise click.ClickException(shown(refused(exc), unmask)) from exc
        rows_said = {} if as_json else _rows_said(store, g, lang, unmask)
    except BaseException:
        if steps:
            steps.close()  # the bar off the console before the error is said
        raise
    finally:
        store.close()
    if steps:
        steps.done()
    record(
        store_spec,
        "neighbours",
        {
            "entity": entity,
            "hops": hops,
            "types": types,
            "page_size": page_size,
            "page": page,
            "after": after,
            "keys": [ref[1]],
            "persons": graph_persons(g),
        },
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
    for k in ("page", "next_page"):  # pages count from 1 on the command line, in its text and its JSON alike
        meta[k] = None if meta[k] is None else meta[k] + 1
    seed = g.nodes[g.graph["seed"]]
    _export(
        g,
        files,
        case,
        neighbourhood_subject(f"{seed.get('name') or ref[1]} ({ref[1]})", hops, console_lang()),
        store_spec=store_spec,
        command="neighbours",
        params={"entity": entity, "hops": hops, "types": types, "page": page, "after": after, "seeds": [ref[1]]},
        by=by,
        purpose=purpose,
        unmask=unmask,
        reason=reason,
        steps=steps,
    )
    if as_json:
        # keys as the text shows them: a person's key masked wherever it is named (nodes, links, seed, hubs)
        view = g if unmask else mask_graph(g)
        echo_json(
            shown(
                {
                    **meta,
                    "seed": view.graph["seed"],
                    "hubs": view.graph["hubs"],
                    "nodes": [{"id": n, **d} for n, d in view.nodes(data=True)],
                    "links": [{"start": u, "end": v, **d} for u, v, d in view.edges(data=True)],
                },
                unmask,
            )
        )
        return
    # the paging cursor is a link id (an 18-digit integer), not an identifier: printed outside the masked text
    # so that it can be passed back as --after
    said = _NEIGHBOURS[lang]
    where = said["page"].format(meta["page"], g.graph["pages"]) if after is None else said["after"].format(after)
    nxt = [
        said["next_page"].format(meta["next_page"]) if meta["next_page"] is not None else "",
        said["next_after"].format(g.graph["next_after"]) if g.graph["next_after"] is not None else "",
    ]
    if lang == "en":
        counts = (
            f": {counted(g.number_of_nodes(), 'node')}, {counted(g.number_of_edges(), 'link')} within "
            f"{counted(hops, 'hop')}; its own links: {g.graph['total']}"
        )
    else:
        counts = (
            f"：{hops} 跳内 {g.number_of_nodes():,} 个节点、{g.number_of_edges():,} 条关系；"
            f"自身关系 {g.graph['total']:,} 条"
        )
    # headed by the name, the key beside it masked as in the rows (a unit's head was its credit code alone, its
    # name on the next line); an address is its own key: said once
    key = ref[1] if unmask else mask_node_key(ref[0], ref[1])
    name = str(seed.get("name") or "")
    if name and name != str(ref[1]):
        name = shown(name if unmask else mask_caption(ref[0], ref[1], name), unmask)
        key = f"{name} ({key})" if lang == "en" else f"{name}（{key}）"
    head = key + shown(counts, unmask)
    click.echo(f"{head}{said['open']}{said['sep'].join([where] + [n for n in nxt if n])}{said['close']}")
    from graphkit.model import Model

    model = Model.default()
    rows = []
    for n, d in sorted(g.nodes(data=True), key=lambda x: (x[1]["hop"], x[1]["label"], x[0])):
        name = str(d.get("name") or "")
        key = str(n) if unmask else mask_node_key(d["label"], n)  # a licence number masked too
        # a hub is opened by its key, or by its name where its key is shown masked (an FtM person's id)
        handle = str(n) if key == str(n) or not name else repr(name)
        hub = said["hub"].format(d["links"], handle) if d.get("hub") and n != g.graph["seed"] else ""
        if not name:  # a payment record, an invoice, a bid: its kind, amount, date (and payee), else its caption
            caption = rows_said.get(str(n)) or model.caption(d["label"], d, str(n), lang)
            name = "" if caption == str(n) else caption
        name = "" if name == str(n) else name  # an address is its own key: said once
        # masked cell by cell, before the columns are measured (a masked key is as wide as it is shown)
        name = name if unmask else mask_caption(d["label"], n, name)  # an address's text in any script
        kind = d["label"] if lang == "en" else model.display_name(d["label"])
        rows.append((str(d["hop"]), kind, key, *(shown(str(c), unmask) for c in (name, hub))))
    for line in table(rows):
        click.echo(line)


def _rows_said(store, g, lang: str, unmask: bool) -> dict[str, str]:
    """What each row of ``g`` without a name (a label with an amount: a payment record, a payment, an invoice, a
    bid …) is, as its line in ``neighbours`` says it: its kind, its amount, its date and, for a benefit or a labour
    fee, the person it was paid to, their key masked unless ``unmask`` (``养老金发放 3,200 元 2024-03，发放对象为
    刘洋 (3205**********0071)``); the table had the row's key alone. Read from the store: one query per label for
    the rows' properties, one for their payees (:func:`graphkit.paths.paid_to`)."""
    from graphkit import paths

    model = store.model
    rows = {
        str(n): d["label"]
        for n, d in g.nodes(data=True)
        if not d.get("name")
        and d.get("label") in model.labels
        and any(p.money for p in model.labels[d["label"]].properties.values())
    }
    if not rows:
        return {}
    rel = model.relationships["PAID_TO"]
    paid = paths.paid_to(store, {k: lab for k, lab in rows.items() if lab in {a for a, _ in rel.between}})
    out = {}
    for key, node in paths.fetch_nodes(store, rows).items():
        label, props = rows[key], node.properties
        specs = model.labels[label].properties
        given = {n for n, v in props.items() if v is not None and v == v and str(v).strip() != ""}
        parts = [
            (model.value_name(label, n, props[n]) if lang == "zh" else None) or str(props[n])
            for n, p in specs.items()
            if p.value_names and n in given
        ]
        parts += [model.money_text(label, n, props, lang) for n, p in specs.items() if p.money and n in given][:1]
        dated = [(n, p) for n, p in specs.items() if p.type in ("date", "datetime") and n in given]
        parts += [str(props[n])[: 16 if p.type == "datetime" else 10] for n, p in dated[:1]]
        parts += [str(props["period"])] if not dated and "period" in given else []
        text = " ".join(parts)
        if key in paid:
            who, name = paid[key]
            who = who if unmask else mask_node_key("Person", who)
            if lang == "zh":
                text += f"，{rel.phrase_zh[0]} " + (f"{name}（{who}）" if name else who)
            else:
                text += f", {rel.phrase[0]} " + (f"{name} ({who})" if name else who)
        if text:
            out[key] = text
    return out


#: what ``neighbours`` says around its table, in Chinese (``--lang en``: as before)
_NEIGHBOURS = {
    "zh": {
        "page": "第 {} 页，共 {} 页",
        "after": "链接 {} 之后的一页",
        "next_page": "下一页 --page {}",
        "next_after": "下一页 --after {}",
        "hub": "[枢纽：{} 条关系，用 `graphkit neighbours {} --hops 1` 展开]",
        "open": "（",
        "sep": "；",
        "close": "）",
    },
    "en": {
        "page": "page {} of {}",
        "after": "the page after {}",
        "next_page": "next --page {}",
        "next_after": "next --after {}",
        "hub": "[hub: {} links, open with `graphkit neighbours {} --hops 1`]",
        "open": " (",
        "sep": "; ",
        "close": ")",
    },
}


COMMANDS = [find_cmd, path_cmd, neighbours_cmd]
