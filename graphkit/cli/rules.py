"""``graphkit models list|run`` (the data-collision model library) and ``graphkit warnings
list|show|update`` (the warning ledger and its closed loop)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from graphkit.cli.audit import (
    check_log,
    check_unmask,
    face_options,
    persons_in,
    record,
    record_refusal,
    refuse_viewer,
    shown,
)
from graphkit.cli.common import (
    STORE_HELP,
    OutPath,
    cut,
    echo_json,
    finishing,
    if_interrupted,
    lang_option,
    ledger_option,
    open_for_reading,
    open_ledger,
    pad,
    refused,
    table,
)
from graphkit.cli.common import said as _say  # (said: the words of a function below)


# ================================================================ models
@click.group("models")
def models_group() -> None:
    """The data-collision model library (queries/models/*.cypher)."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print every model's header as JSON.")
@lang_option("zh: each model's Chinese title and its level rule in Chinese; en: the English title and rule.")
def models_list(as_json: bool, lang: str) -> None:
    """Every model: id, level rule, title, the truth.json scheme it answers."""
    from graphkit.rules import ModelError, catalog

    try:
        specs = catalog()
    except ModelError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(
            [
                {
                    "id": m.id,
                    "title_zh": m.title_zh,
                    "title_en": m.title_en,
                    "detects": m.detects,
                    "params": m.params,
                    "needs": m.needs,
                    "level": m.level,
                    "level_zh": m.level_zh,
                    "scheme": m.scheme,
                    "match": m.match,
                }
                for m in specs
            ]
        )
        return
    for m in specs:
        if lang == "zh":
            click.echo(f"{m.id:<32}{m.title_zh}")
            click.echo(f"{'':<32}分级：{m.level_zh or m.level}")
        else:
            click.echo(f"{m.id:<32}{m.title_en}")  # English alone (it gave the Chinese title first)
            click.echo(f"{'':<32}level: {cut(m.level, 100)}")
        # the values the rule's names stand for (it read 红色：预算不低于 big_budget, and no command said how much)
        if m.params:
            click.echo(
                f"{'':<32}{'参数（默认值）：' if lang == 'zh' else 'parameters (defaults): '}{_defaults(m, lang)}"
            )
    click.echo(f"共 {len(specs)} 个模型" if lang == "zh" else f"{len(specs)} models")


def _defaults(m, lang: str) -> str:
    """A model's parameters and their defaults on one line: ``red_share=0.9、orange_share=0.8`` (a list's items
    joined with /)."""

    def value(v) -> str:
        return "/".join(map(str, v)) if isinstance(v, (list, tuple)) else f"{v:,}" if isinstance(v, int) else str(v)

    return ("、" if lang == "zh" else ", ").join(f"{k}={value(p.get('default'))}" for k, p in m.params.items())


def _evidence(store, hits) -> dict[int, list[dict]]:
    """The hits' evidence links (:func:`graphkit.rules.ledger.evidence_links`) under a bar naming the label read:
    a million-person city's 12,000 hits take minutes here, after the models' bar has ended."""
    from graphkit.cli.common import console_lang
    from graphkit.model import Model
    from graphkit.progress import tqdm
    from graphkit.rules.ledger import TYPE_LABELS, evidence_links

    labels = {TYPE_LABELS[t] for types in hits["types"] for t in types if t in TYPE_LABELS}
    with tqdm(total=len(labels), desc="evidence", unit="label", leave=False) as bar:

        def step(label: str) -> None:
            bar.update(1)
            bar.set_postfix_str(label if console_lang() == "en" else Model.default().display_name(label))

        return evidence_links(store, hits, progress=step)


@models_group.command("run")
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--model", "model_ids", multiple=True, help="Run only this model (repeat for several) [default: all].")
@ledger_option
@click.option("--by", default=None, help="Who runs the models, kept in the ledger [default: the login name].")
@click.option("--purpose", default=None, help="Why, kept in the audit log.")
@lang_option("The table (each model by its Chinese title) and the closing line in Chinese, or English (en).")
def models_run(
    store_spec: str, model_ids: tuple[str, ...], ledger: Path | None, by: str | None, purpose: str | None, lang: str
) -> None:
    """Run models against a store and write their hits into the warning ledger.

    A warning's id is stable (model id + the hit's key): running again refreshes its evidence and
    last-seen time and never duplicates it or resets its status."""
    from graphkit.audit import current_user
    from graphkit.rules import ModelError, run_all
    from graphkit.rules.ledger import LedgerError

    refuse_viewer("write warnings into the ledger (models run changes the ledger)")
    check_log(store_spec)
    by = current_user(by)
    led = open_ledger(store_spec, ledger)
    if_interrupted(
        f"no warning was written: the ledger {led.path} and the audit log are as they were",
        f"没有写入任何预警：台账 {led.path} 和审计日志都和之前一样",
    )
    store = open_for_reading(store_spec)
    try:
        t0 = time.perf_counter()
        try:
            hits, seconds = run_all(store, list(model_ids) or None, progress=True)
        except ModelError as exc:
            raise click.ClickException(refused(exc)) from exc
        links = _evidence(store, hits) if len(hits) else {}
        took = time.perf_counter() - t0
        # the warnings and the run's audit record written together: a Ctrl-C waits for both (one transaction
        # in the ledger, one line in the log)
        with finishing(
            f"the warnings are in the ledger {led.path} and the run in the audit log; only the summary was not printed",
            f"预警已写入台账 {led.path}，本次运行已记入审计日志；只是没有打印完汇总",
        ):
            try:
                counts = led.record(hits, by=by, links=links, store=store_spec, seconds=took)
            except LedgerError as exc:
                raise click.ClickException(refused(exc)) from exc
            record(
                store_spec,
                "models run",
                {"models": list(model_ids) or "all", "ledger": str(led.path)},
                by=by,
                purpose=purpose,
                result=len(hits),
            )
        per_model = hits.groupby("model").size().to_dict() if len(hits) else {}
        if lang == "en":  # the model in words beside its id (it gave the id alone, bid_rigging)
            from graphkit.rules.words import model_words_en

            rows = [("model", "", "hits", "seconds")] + [
                (cut(model_words_en(mid), 40), mid, f"{per_model.get(mid, 0):,}", f"{sec:.2f}")
                for mid, sec in seconds.items()
            ]
            for line in table(rows, indent=""):
                click.echo(line)
            click.echo(
                f"{len(hits)} hits in {took:.1f} s: {counts['new']} new warnings, {counts['seen_again']} seen "
                f"again; ledger {led.path} holds {len(led)} warnings"
            )
            return
        from graphkit.rules.words import model_title

        rows = [("模型", "", "命中", "用时（秒）")] + [
            (cut(model_title(mid, short=True), 24), mid, f"{per_model.get(mid, 0):,}", f"{sec:.2f}")
            for mid, sec in seconds.items()
        ]
        for line in table(rows, indent=""):
            click.echo(line)
        click.echo(
            f"命中 {len(hits):,} 条，用时 {took:.1f} 秒：新预警 {counts['new']:,} 条，"
            f"再次命中 {counts['seen_again']:,} 条；台账 {led.path} 共有预警 {len(led):,} 条"
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
    ledger_option,
]


def _ledger_spec(store_spec, ledger) -> str | None:
    """The store whose audit log records a command on the ledger: the store, or the one beside the ledger file."""
    if not store_spec and ledger is not None:
        return "embedded:" + str(ledger).removesuffix(".ledger.sqlite")
    return store_spec


def _audit_ledger(store_spec, ledger, command, params, result, by, purpose, unmask, reason) -> None:
    """Record a look at the ledger (or a change to it) in the audit log beside the store (or beside the ledger
    file)."""
    spec = _ledger_spec(store_spec, ledger)
    record(spec, command, params, by=by, purpose=purpose, result=result, unmask=unmask, reason=reason)


def _persons(warnings: list[dict]) -> list[str]:
    """The persons the warnings name among their entities (``params.persons`` of the command's record)."""
    from graphkit.rules.ledger import TYPE_LABELS

    pairs = ((TYPE_LABELS.get(t), e) for w in warnings for e, t in zip(w["entities"], w["types"], strict=True))
    return persons_in(pairs)


def _with_ledger(f):
    for opt in reversed(_ledger_options):
        f = opt(f)
    return f


_lang_option = lang_option(
    "Chinese words (the Chinese summary, 红色, 待核查, the model's Chinese title), or English as before (en). "
    "--json keeps the keys and both summaries either way.",
)


@warnings_group.command("list")
@_with_ledger
@click.option(
    "--status",
    multiple=True,
    type=click.Choice(["generated", "dispatched", "verified", "rectified"]),
    help="Only warnings in this status (repeat for several).",
)
@click.option("--level", multiple=True, type=click.Choice(["red", "orange", "yellow"]), help="Only this level.")
@click.option(
    "--model",
    multiple=True,
    help="Only this model's warnings: its id, as `models list` shows it, or its Chinese title as the list shows it.",
)
@click.option(
    "--entity",
    "entity",
    default=None,
    help="Only the warnings about one unit, person or company: its key, its exact name or the handle rank and "
    "find print (NAME#N) — an inspection team's unit before a visit.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON: id, model id, level, status with its history (who, when), summary (English) and summary_zh "
    "(Chinese), entities' natural keys, evidence.",
)
@_lang_option
@face_options
def warnings_list(store_spec, ledger, status, level, model, entity, as_json, lang, by, purpose, unmask, reason) -> None:
    """Warnings, red first: level, status, model and summary in Chinese (--lang en: English); identifiers masked
    unless --unmask."""
    check_unmask(unmask, reason)
    model = tuple(_model_named(m) for m in model)  # 围标串标 as bid_rigging: a model as the list names it
    key, owner = _entity_key(store_spec, entity, unmask) if entity else (None, {})
    led = open_ledger(store_spec, ledger, read_only=True)
    try:
        found = led.warnings(status=status, level=level, model=model, history=as_json)
    finally:
        led.close()
    _unknown_models(model, found)
    via: dict[str, str] = {}  # a warning that names one of the unit's records, not the unit: the record's type
    excluded: list[dict] = []  # the entity's warnings verified false (listed only under --status verified)
    if key is not None:
        # the warnings naming the entity among theirs (a unit's, a person's, a company's), and a unit's that
        # name one of its tenders, contracts, fuel cards, receptions or vehicles, as rank and the portrait count
        # them: a bid-rigging warning names the tenders, and the unit a ranking had listed with one red warning
        # of it had none here (没有符合条件的预警)
        from graphkit.risk.features import reached

        kept = []
        for w in found:
            if key in [str(e) for e in w["entities"]]:
                kept.append(w)
            elif owner and key in (how := reached(w, owner, "unit")):
                via[w["id"]] = how[key]
                kept.append(w)
        # a warning verified false (已排除) is not counted by rank and the portrait (risk.features.warned): it is
        # listed for the entity only when --status verified asks for the verified ones, and said when left out
        # (the list had counted one more warning for a unit than its rank)
        excluded = [w for w in kept if w.get("outcome") == "false_positive"]
        if "verified" not in status:
            kept = [w for w in kept if w.get("outcome") != "false_positive"]
            via = {k: v for k, v in via.items() if k not in {w["id"] for w in excluded}}
        found = kept
    _audit_ledger(
        store_spec,
        ledger,
        "warnings list",
        {"status": status, "level": level, "model": model, "entity": key, "persons": _persons(found)},
        len(found),
        by,
        purpose,
        unmask,
        reason,
    )
    _hold_public(store_spec, unmask)
    found = shown(found, unmask)
    from graphkit.risk.features import VIA_EN, VIA_ZH

    left_out = len(excluded) if "verified" not in status else 0
    if as_json:  # a warning reaching the unit through its record says which kind of record (via)
        echo_json([{**w, "via": via[w["id"]]} if w["id"] in via else w for w in found])
        if left_out:
            click.echo(_excluded_note(left_out, 0, lang), err=True)
        return
    if lang == "en":
        from graphkit.rules.words import model_words_en, status_word

        # the status and the model in words, as the Chinese list says them (it printed the keys: generated)
        click.echo(f"{'id':<15}{'level':<8}{'status':<15}{'model':<30}{'assignee':<14}summary")
        for w in found:
            through = f"[through {VIA_EN[via[w['id']]]}] " if w["id"] in via else ""
            status = status_word(w["status"], w["outcome"], "en")
            click.echo(
                f"{w['id']:<15}{w['level']:<8}{status:<15}{cut(model_words_en(w['model']), 29):<30}"
                f"{pad(cut(w['assignee'] or '', 13), 14)}{cut(through + w['summary'], 90)}"
            )
        click.echo(f"{len(found)} warning(s)")
        if via:
            click.echo(
                f"{len(via)} of them name not the unit but {', '.join(sorted({VIA_EN[v] for v in via.values()}))}"
                " and count for it, as in rank and the portrait"
            )
        if excluded:
            click.echo(_excluded_note(left_out, len(excluded) - left_out, lang))
        return
    from graphkit.rules.words import level_word, model_title, status_word

    click.echo(f"{pad('编号', 15)}{pad('级别', 6)}{pad('状态', 8)}{pad('模型', 30)}{pad('承办', 14)}摘要")
    for w in found:  # the summary as warning_summary words it: the Chinese one, the English where a warning has none
        through = f"〔经{VIA_ZH[via[w['id']]]}〕" if w["id"] in via else ""
        click.echo(
            f"{w['id']:<15}{pad(level_word(w['level']), 6)}{pad(status_word(w['status'], w['outcome']), 8)}"
            f"{pad(cut(model_title(w['model'], short=True), 29), 30)}{pad(cut(w['assignee'] or '', 13), 14)}"
            f"{cut(through + (w['summary_zh'] or w['summary']), 90)}"
        )
    # Chinese alone (it read 0 条预警 / 0 warning(s)); a list that is empty says so
    click.echo(f"共 {len(found):,} 条预警" if found else "没有符合条件的预警")
    if via:
        records = "、".join(sorted({VIA_ZH[v] for v in via.values()}))
        click.echo(f"其中 {len(via):,} 条预警所列对象中没有本单位，经{records}计入本单位，与 rank 和预画像的计数一致")
    if excluded:
        click.echo(_excluded_note(left_out, len(excluded) - left_out, lang))


def _excluded_note(left_out: int, listed: int, lang: str) -> str:
    """What ``warnings list --entity`` says of the entity's warnings verified false (已排除), which rank and the
    portrait do not count: ``left_out`` of them not listed (say ``--status verified`` to see them), ``listed`` of
    them listed (under ``--status verified``) but not counted."""
    if lang == "en":
        if left_out:
            return (
                f"{left_out} more verified a false positive (excluded) not listed: rank and the portrait do not "
                "count them (--status verified lists them)"
            )
        return f"{listed} of them verified a false positive (excluded): rank and the portrait do not count them"
    if left_out:
        return (
            f"另有 {left_out:,} 条预警经核查已排除（不属实），未列出，rank 和预画像不计入"
            "（加 --status verified 可列出）"
        )
    return f"其中 {listed:,} 条预警经核查已排除（不属实），rank 和预画像不计入"


def _model_named(text: str) -> str:
    """The model ``--model`` names: its id, or its Chinese title, whole or as ``warnings list`` shortens it (围标串标);
    anything else as it is."""
    from graphkit.rules.catalog import catalog

    for spec in catalog():
        if text.strip() in (spec.id, spec.title_zh, spec.title_zh.split("：", 1)[0]):
            return spec.id
    return text


def _unknown_models(model: tuple[str, ...], found: list) -> None:
    """Say on stderr a ``--model`` that names no model of the library, when nothing was found: a typo
    (``bid_riging``) read as "this model raised no warning"."""
    import difflib

    from graphkit.rules.catalog import catalog

    ids = [spec.id for spec in catalog()]
    for m in model:
        if found or m in ids:
            continue
        near = difflib.get_close_matches(m, ids, n=1)
        click.echo(
            _say(
                f"note: no model {m!r}"
                + (f" (did you mean {near[0]!r}?)" if near else "")
                + "; graphkit models list gives the ids",
                f"注意：没有模型 {m!r}"
                + (f"（是否要找 {near[0]!r}？）" if near else "")
                + "；模型编号见 graphkit models list",
            ),
            err=True,
        )


def _entity_key(store_spec: str | None, text: str, unmask: bool) -> tuple[str, dict[str, dict[str, str]]]:
    """The key ``--entity`` names: read from the store (a name, a handle NAME#N, an identifier), or the text as
    a key where no store is given (a ledger alone names entities by key); and for a unit, the owners of the
    records a warning may name instead of the unit (:func:`graphkit.risk.features.record_owners`, read from the
    store's risk tables, through the table cache ``rank`` keeps beside an embedded store), else ``{}``."""
    if not store_spec:
        return text.strip(), {}
    from graphkit.cli.casefile import entity_found

    store = open_for_reading(store_spec)
    try:  # a unit and its building (a Place) of one name: the unit is meant, as for portrait
        found = entity_found(store, text, ("Organization", "Person", "Company"), "a unit, person or company", unmask)
        if found.label != "Organization":
            return found.id, {}
        from graphkit.cli.risk import _cache
        from graphkit.risk.features import OWNER_TABLES, record_owners
        from graphkit.risk.tables import read_tables

        return found.id, record_owners(read_tables(store, OWNER_TABLES, cache=_cache(store_spec, False)))
    finally:
        store.close()


def _hold_public(store_spec: str | None, unmask: bool) -> None:
    """Ask the store behind the ledger which plates and addresses are public (an official vehicle's plate, a
    company's registered address: shown in clear in a warning); with no store, or one that cannot be read, every
    plate and address is masked, and a note says why."""
    if unmask or not store_spec:
        return
    try:
        store = open_for_reading(store_spec)
    except click.ClickException as exc:
        click.echo(
            _say(f"note: {exc.message}; every plate and address is masked", f"注意：{exc.message}；车牌和地址一律遮蔽"),
            err=True,
        )
        return
    store.close()


@warnings_group.command("show")
@click.argument("warning_id")
@_with_ledger
@click.option("--json", "as_json", is_flag=True, help="Print the warning as JSON.")
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=OutPath(),
    help="Draw the evidence the model used as a case file (.html .pdf .png .svg .graphml .gexf .json by suffix; "
    "repeat for several; needs --store).",
)
@click.option(
    "--case",
    "case",
    default=None,
    help="The case number (案卷号) printed on every page of an --export file (omitted: the file says it has none).",
)
@_lang_option
@face_options
def warnings_show(warning_id, store_spec, ledger, as_json, exports, case, lang, by, purpose, unmask, reason) -> None:
    """One warning: its summary, entities, evidence links with their source rows, and its history, in Chinese
    (--lang en: English); identifiers masked unless --unmask; --export draws its evidence."""
    from graphkit.cli.explore import _check_exports, _export
    from graphkit.rules.ledger import LedgerError

    check_unmask(unmask, reason)
    files, case = _check_exports(exports, case)
    if exports and not store_spec:
        raise click.UsageError(
            _say("--export draws the evidence from the store: give --store", "--export 从库中读取证据：请给出 --store")
        )
    led = open_ledger(store_spec, ledger, read_only=True)
    try:
        w = led.get(warning_id)
    except LedgerError as exc:
        raise click.ClickException(refused(exc)) from exc
    finally:
        led.close()
    _audit_ledger(
        store_spec,
        ledger,
        "warnings show",
        {"warning": warning_id, "persons": _persons([w])},
        1,
        by,
        purpose,
        unmask,
        reason,
    )
    if exports:
        from graphkit.evidence import fold, warning_graph

        store = open_for_reading(store_spec)
        try:
            g = warning_graph(store, w)
        finally:
            store.close()
        _export(
            fold(g, keep=g.graph.get("entities", [])),
            files,
            case,
            _subject(w, lang),
            store_spec=store_spec,
            command="warnings show",
            params={"warning": warning_id, "seeds": list(w.get("entities") or [])},
            by=by,
            purpose=purpose,
            unmask=unmask,
            reason=reason,
        )
    if not exports:  # an export opened the store: its plates and addresses are known
        _hold_public(store_spec, unmask)
    raw = w
    w = shown(w, unmask)
    if as_json:
        echo_json(w)
        return
    names = _evidence_names(store_spec, raw, unmask, lang) if store_spec else {}

    def said(raw_key: str, key: str) -> str:  # 陈敏 (3205**********9405): the name beside the key as shown
        return names.get(str(raw_key), key)

    from graphkit.model import Model, cited_as
    from graphkit.rules.words import (
        entity_word,
        history_line,
        level_word,
        link_word,
        local_time,
        model_title,
        model_words_en,
        no_evidence_note,
        source_said,
        sources_said,
        status_word,
    )

    model = Model.default()

    # a warning's entity type and link type as the Warnings tab says them, by one table (the model's names:
    # 单位, 中标; en: unit, won): --lang en had printed the link's type itself (—WON→) where the tab said —won→
    def kind(t: str) -> str:
        return entity_word(t, lang, model)

    def link(t: str) -> str:
        return link_word(t, lang, model)

    if lang == "en":  # the entities by the model's nouns, the status in words (it printed the key: generated)
        head = (
            f"{w['id']}  {level_word(w['level'], lang)}  {status_word(w['status'], w['outcome'], lang)}  "
            f"model {model_words_en(w['model'])} ({w['model']})  about {_about(raw, w, said, lang)}"
        )
        summary = w["summary"]

        def where(src: str) -> str:  # [bids.csv line 326], as path and the case files write a record in English
            return "  " + cited_as(source_said(src, lang), lang)

        def sources_line(srcs: list) -> str:
            return "sources: " + sources_said(srcs, lang)

        def history(h: dict) -> str:  # each step in words: to be checked → being checked (it gave the keys)
            before, after, extra = history_line(h, w["outcome"], lang)
            return f"{local_time(h['at'])}  {h['by']}: {before} → {after}" + (f"  ({extra})" if extra else "")

    else:
        head = (
            f"{w['id']}  {level_word(w['level'])}  {status_word(w['status'], w['outcome'])}  "
            f"模型 {model_title(w['model'])}（{w['model']}）  对象 {_about(raw, w, said, lang)}"
        )
        summary = w["summary_zh"] or w["summary"]

        def where(src: str) -> str:  # bids.csv 第326行, as path and the case files write a record
            return cited_as(source_said(src), "zh")

        def sources_line(srcs: list) -> str:  # a file's records together: bids.csv 第189、190行；units.csv 第58行
            return "来源：" + sources_said(srcs)

        def history(h: dict) -> str:
            before, after, extra = history_line(h, w["outcome"])
            return f"{local_time(h['at'])}  {h['by']}：{before} → {after}" + (f"（{extra}）" if extra else "")

    click.echo(head)
    click.echo(f"  {summary}")
    note = no_evidence_note(w, lang)
    if note:
        click.echo(f"  note: {note}" if lang == "en" else f"  注意：{note}")
    for rn, n in zip(raw["evidence"]["nodes"], w["evidence"]["nodes"], strict=True):
        click.echo(f"  {pad(kind(n['type']), 10)}{said(rn['id'], n['id'])}")
    from graphkit.viz import evidence_detail

    for rl, lk in zip(raw["evidence"]["links"], w["evidence"]["links"], strict=True):
        # the figures the model used, as path and the case files write them (持股50.85%, 中标 98.0 万元), a post
        # with its dates (·处长（2012-03-01—2022-06-30，已离任）)
        figures = evidence_detail(lk, lang=lang, model=model)
        click.echo(
            f"  {said(rl['start'], lk['start'])} —{link(lk['type'])}{figures}→ {said(rl['end'], lk['end'])}"
            f"{where(lk['source'])}"
        )
    click.echo(f"  {sources_line(w['evidence']['sources'])}")
    for h in w["history"]:
        click.echo(f"  {history(h)}")


def _about(raw: dict, w: dict, said, lang: str) -> str:
    """What a warning is about, as its head says it: each part of its key (``raw``, as the ledger holds it; ``w``,
    as shown: masked unless --unmask) that is one of its entities by the model's noun and its name beside its key
    as shown (``said``: 招标项目 人民路改造工程 (T1)、自然人 张伟 (3205**********0018)), any other part (a date) as
    shown. The head printed the key itself, pipe-joined (``T1|3205…|3205…``), which no command takes (the warning's
    id is its handle)."""
    from graphkit.model import Model
    from graphkit.rules.ledger import TYPE_LABELS

    model = Model.default()
    typed = {str(e): t for e, t in zip(raw["entities"], raw["types"], strict=True)}
    keys, masked = str(raw["key"]).split("|"), str(w["key"]).split("|")
    if len(masked) != len(keys):  # the masking never joins nor splits a key's parts; masked alone if it did
        masked = [shown(k, False) for k in keys]
    parts = []
    for part, as_shown in zip(keys, masked, strict=True):
        t = typed.get(part)
        if t is None:
            parts.append(as_shown)
            continue
        noun = model.display_name(TYPE_LABELS[t], lang) if t in TYPE_LABELS else t
        parts.append(f"{noun} {said(part, as_shown)}")
    return ("、" if lang == "zh" else ", ").join(parts)


def _subject(w: dict, lang: str) -> str:
    """What a case file of a warning's evidence says it is about (masked by the case file): the warning, its model
    and its summary, in Chinese (``en``: in English alone, the model in words)."""
    from graphkit.rules.words import level_word, model_title, no_evidence_note

    note = no_evidence_note(w, lang)
    if lang == "en":
        said = f"warning {w['id']} ({level_word(w['level'], 'en')}) {model_title(w['model'], 'en')}: {w['summary']}"
        return said + (f" ({note})" if note else "")  # English alone (it read 预警 warning W… bid_rigging: …)
    said = w["summary_zh"] or w["summary"]
    return f"预警 {w['id']}（{level_word(w['level'])}）{model_title(w['model'], short=True)}：{said}" + (
        f"（{note}）" if note else ""
    )


def _evidence_names(store_spec: str, w: dict, unmask: bool, lang: str = "zh") -> dict[str, str]:
    """Each evidence key of ``w`` as a list shows its entity, name beside key (:func:`graphkit.viz.named_keys`):
    `warnings show` listed masked ID numbers and codes with no name, so an inspector could not read the evidence
    without unmasking it."""
    from graphkit.rules.ledger import TYPE_LABELS
    from graphkit.viz import named_keys

    keys = [str(n["id"]) for n in w["evidence"]["nodes"]] + [str(e) for e in w["entities"]]
    keys += [str(lk[end]) for lk in w["evidence"]["links"] for end in ("start", "end")]
    typed = {str(e): TYPE_LABELS.get(t, "") for e, t in zip(w["entities"], w["types"], strict=True)}
    store = open_for_reading(store_spec)
    try:
        return named_keys(store, keys, labels=typed, unmask=unmask, lang=lang)
    finally:
        store.close()


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
@lang_option("The line saying the change (and a refusal) in Chinese (待核查 → 核查中), or English as before (en).")
def warnings_update(warning_id, store_spec, ledger, status, by, comment, to, outcome, lang) -> None:
    """Move a warning along the closed loop; the change is kept with who and when."""
    from graphkit.rules.ledger import LedgerError, LoopRefused

    refuse_viewer("change a warning")
    # the change is recorded in the audit log, as the Warnings tab's is (a viewer's refused attempt was, and the
    # change itself was not): a log that cannot take the record stops the change before it is made
    check_log(_ledger_spec(store_spec, ledger))
    led = open_ledger(store_spec, ledger, must_exist=True)
    try:
        w = led.update(warning_id, status=status, by=by, comment=comment, to=to, outcome=outcome)
    except LoopRefused as exc:
        # the attempt is recorded as refused and exits 3, as a viewer's does: a closed loop reopened had left no trace
        # in the log (exit 1)
        noted = record_refusal(str(exc), _ledger_spec(store_spec, ledger))
        click.echo(_say("error: ", "错误：") + refused(exc) + noted, err=True)
        sys.exit(3)
    except LedgerError as exc:
        raise click.ClickException(refused(exc)) from exc
    finally:
        led.close()
    changed = {"warning_id": warning_id, "status": status, "to": to, "outcome": outcome}
    _audit_ledger(store_spec, ledger, "warnings update", changed, 1, by, None, False, None)
    from graphkit.rules.words import change_line

    # as the Warnings tab says it; the time in the office's zone (GRAPHKIT_TZ) in English too
    click.echo(change_line(w, "en" if lang == "en" else "zh"))


COMMANDS = [models_group, warnings_group]
