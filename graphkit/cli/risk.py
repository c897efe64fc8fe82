"""``graphkit rank`` (anomaly ranking for patrol planning) and ``graphkit portrait`` (预画像 of a unit or a
person, HTML and PDF)."""

from __future__ import annotations

import contextlib
import re
import sys
import time
from pathlib import Path

import click

from graphkit.audit import portrait_persons, written_files
from graphkit.cli.audit import check_unmask, face_options, is_viewer, record
from graphkit.cli.audit import shown as shown_text
from graphkit.cli.common import (
    STORE_HELP,
    OutPath,
    columns,
    console_lang,
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
    said,
    whole_file,
    width,
    wrap,
)
from graphkit.model.clock import now_iso
from graphkit.model.clock import shown as shown_time

#: ``--lang`` of rank and portrait: their console lines (the files and --json are the same either way)
_LANG = lang_option(
    "The console's lines (the table's header and notes, the closing line) and the portrait's file in Chinese, or "
    "English (en: the console in English, the portrait with its English beside the Chinese); --json and rank's "
    "--out are the same either way."
)
#: each kind, counted, in Chinese: 400 个单位, 3,000 名人员, 120 家企业
_KIND_ZH = {"unit": "个单位", "person": "名人员", "company": "家企业"}


def _said(lang: str, en: str, zh: str) -> str:
    """``en`` for ``--lang en``, else ``zh``: a message said in the language the console reads."""
    return en if lang == "en" else zh


def _table_step(bar, lang: str):
    """The callback :func:`graphkit.risk.tables.read_tables` calls before each query: the bar names the table
    (读取表 persons), so a long read says which table it is on (a million-person city's tables take minutes)."""
    word = _said(lang, "tables", _PORTRAIT_STEP_ZH["tables"])
    return lambda name: bar.set_postfix_str(f"{word} {name}")


def _no_ledger(store_spec: str, lang: str = "en") -> str:
    """What the console says when the store has no ledger beside it: the ranking is of anomalies alone."""
    from graphkit.rules.ledger import default_path

    if lang == "zh":
        return (
            f"注意：{default_path(store_spec)} 没有预警台账，不计各模型的预警（运行 `graphkit models run --store "
            f"{store_spec}` 生成台账，或加 --no-warnings 不计预警排名）"
        )
    return (
        f"note: no warning ledger at {default_path(store_spec)}: the models' warnings are not counted (run "
        f"`graphkit models run --store {store_spec}` to fill it, or give --no-warnings to rank without them)"
    )


def _warnings(store_spec: str, ledger: Path | None) -> list[dict] | None:
    """The ledger's warnings with their history, read without writing (SQLite ``mode=ro``); None when no
    ``--ledger`` is given and there is no ledger beside the store yet (the caller says so: a store whose
    models never ran is not a store where they found nothing).  A ``--ledger`` that is missing or is
    not a ledger is an error, as for ``warnings list``: a typo must not rank as if nothing were warned.  So is
    a store that has no place beside it for a ledger (Neo4j) without ``--ledger``: its ranking and portraits
    read "no warnings" where the ledger holds some."""
    from graphkit.rules.ledger import LedgerError, default_path

    if ledger is None:
        try:
            ledger = default_path(store_spec)
        except LedgerError as exc:
            raise click.UsageError(
                said(
                    f"{exc}, or --no-warnings to score without them", f"{refused(exc)}；或加 --no-warnings 不计预警评分"
                )
            ) from exc
        if not ledger.exists():
            return None
    with open_ledger(store_spec, ledger, read_only=True) as led:
        return led.warnings(history=True)


def _plural(kind: str, n: int = 2) -> str:
    """``unit`` → ``units``, ``company`` → ``companies`` (one: the kind itself)."""
    if n == 1:
        return kind
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def _cache(store_spec: str, no_cache: bool) -> Path | None:
    """The folder of table copies beside an embedded store (``<store path>.risk-cache``), or None: with
    ``--no-cache``, for a Neo4j store, and for a viewer (``--read-only``, ``GRAPHKIT_ROLE=viewer``), whose
    commands write nothing beside the store (the cache is written as it is read, and a stale one is dropped)."""
    if no_cache or not store_spec.startswith("embedded:") or is_viewer():
        return None
    return Path(store_spec[len("embedded:") :] + ".risk-cache")


def _feature_step(bar, lang: str):
    """What names each part of the features on the bar (a million persons' took a minute and a half)."""
    from graphkit.risk.features import STEP_ZH

    return lambda name: bar.set_postfix_str(_said(lang, f"features: {name}", f"特征：{STEP_ZH.get(name, name)}"))


#: ``--iforest W`` of ``rank`` and ``portrait``: one scorer, so that a ranking and the portrait opened from it read
#: one score for the entity
_IFOREST = click.option(
    "--iforest",
    type=click.FloatRange(min=0.0),
    default=0.0,
    show_default=True,
    metavar="W",
    help="Add an Isolation Forest term to the score: W × 6 × the entity's Isolation Forest rank in [0, 1] "
    "(0: off; bench/risk_eval.py --iforest measures it). `rank` and `portrait` with the same W give one score.",
)


@click.command("rank")
@click.option(
    "--kind",
    type=click.Choice(["unit", "person", "company"]),
    default="unit",
    show_default=True,
    help="Rank units, persons or companies.",
)
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--top", type=click.IntRange(1, None), default=20, show_default=True, help="How many to list.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, name, kind, risk, factors}.")
@click.option("--no-warnings", is_flag=True, help="Rank on anomaly features alone (no model hits, no ledger).")
@click.option("--collusion", is_flag=True, help="Also score tender collusion on the graph (collusion_exposure).")
@click.option(
    "--learn",
    is_flag=True,
    help="Weight the features by how well they separate the ledger's verified warnings (true vs false positive).",
)
@ledger_option
@click.option("--no-cache", is_flag=True, help="Query the store even if <store>.risk-cache holds its tables.")
@click.option(
    "--jurisdiction",
    default=None,
    metavar="CODE|NAME",
    help="Units of one district only, ranked against the city: its 辖区 code, the start of a code, or the "
    "district's name (320583, 昆山市 or 昆山).",
)
@click.option(
    "--out",
    "dest",
    default=None,
    type=OutPath(),
    help="Also write the whole ranking (every one listed, factors in full) to a .csv or .xlsx for the team.",
)
@click.option(
    "--period",
    default=None,
    callback=lambda ctx, param, v: _period(v, "--period"),
    metavar="PERIOD",
    help="Score on one period's records only: 2024, 2024-03 or 2023-07..2024-06 (tenders, contracts, payments, "
    "receptions and hotline tickets of it; posts held in it; the warnings naming one of its records; fuel-card "
    "and vehicle figures as the store totals them, over all dates).",
)
@click.option(
    "--compare",
    default=None,
    callback=lambda ctx, param, v: _period(v, "--compare"),
    metavar="PERIOD",
    help="With --period: score this earlier period too and show each one's risk then and the change.",
)
@_IFOREST
@_LANG
@face_options
def rank_cmd(
    kind,
    store_spec,
    top,
    as_json,
    no_warnings,
    collusion,
    learn,
    ledger,
    no_cache,
    jurisdiction,
    dest,
    period,
    compare,
    iforest,
    lang,
    by,
    purpose,
    unmask,
    reason,
) -> None:
    """Rank units, persons or companies by anomaly risk (0-100) against their peers, with the top factors.

    Peers: a unit is compared with units of its kind and size band; a band of fewer than 8 units with every
    unit of its kind, and a kind of fewer than 8 with the whole city (the `compared with` column says which);
    a person with staff or non-staff; a company with all companies. One fact counts once: the features that
    read one fact (a contract to a relative's company moves four) count at their largest deviation, and a fact
    a model warned of at the larger of its warning points and that deviation. The score is the anomaly part
    (the three largest deviations of the facts no warning covers, weighted 1, 1/2, 1/4) plus the warnings part
    (each warned fact, and the other open and verified warnings); risk is the share of those scored with a
    lower score. ID numbers are masked unless --unmask.
    """
    from graphkit.model.mask import mask
    from graphkit.progress import tqdm
    from graphkit.risk.features import GraphFeatures, warnings_by_feature
    from graphkit.risk.scorer import AnomalyScorer, with_ties
    from graphkit.risk.tables import QUERIES, UNIT_QUERIES, read_tables

    if dest is not None and dest.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter(
            _said(
                lang,
                f"{dest}: the ranking is written as .csv or .xlsx (by the suffix)",
                f"{dest}：排名按后缀写成 .csv 或 .xlsx",
            ),
            param_hint="--out",
        )
    if jurisdiction is not None and not jurisdiction.strip():
        raise click.BadParameter(
            _said(
                lang,
                "give a 辖区 code or a district's name (320583, 昆山市)",
                "请给出辖区代码或区县名称（320583、昆山市）",
            ),
            param_hint="--jurisdiction",
        )
    if jurisdiction and kind != "unit":
        raise click.UsageError(
            _said(
                lang,
                "--jurisdiction picks units: use it with --kind unit",
                "--jurisdiction 用于筛选单位：请与 --kind unit 一起用",
            )
        )
    if compare and not period:
        raise click.UsageError(
            _said(
                lang,
                "--compare PERIOD compares with the --period scored: give --period too",
                "--compare 期间是与 --period 评分的期间对比：请同时给出 --period",
            )
        )
    if compare and compare[1][1] >= period[1][0]:
        raise click.UsageError(
            _said(
                lang,
                f"--compare {compare[0]} must end before --period {period[0]} starts ({period[1][0].date()}): "
                "it is the earlier period the change is measured from",
                f"--compare {compare[0]} 须在 --period {period[0]} 开始（{period[1][0].date()}）之前结束："
                "它是衡量变化的较早期间",
            )
        )
    check_unmask(unmask, reason)
    t0 = time.perf_counter()
    store = open_for_reading(store_spec)
    try:
        warnings = [] if no_warnings else _warnings(store_spec, ledger)
        if warnings is None:
            click.echo(_no_ledger(store_spec, lang), err=True)
            warnings, no_ledger = [], True
        else:
            no_ledger = False
        names = UNIT_QUERIES if kind == "unit" else QUERIES
        # a bar on stderr: a million-person city's tables and features take minutes, silent before
        bar = tqdm(total=len(names) + 2 + collusion, unit="step", desc=_said(lang, "rank", "排名"), leave=False)
        tick = _table_step(bar, lang)

        def step(name: str) -> None:
            bar.update(1)
            tick(name)

        tables = read_tables(store, names, cache=_cache(store_spec, no_cache), progress=step)
        kg = None
        if collusion:
            from graphkit.collusion.kg import score_store

            bar.update(1)
            bar.set_postfix_str(_said(lang, "collusion", _PORTRAIT_STEP_ZH["collusion"]))
            kg = score_store(store)
    finally:
        store.close()
    bar.update(1)
    bar.set_postfix_str(_said(lang, "features", "特征"))
    whole, every_warning = tables, warnings
    if period:  # the records of one period (registries and undated totals whole)
        from graphkit.risk.tables import warnings_in_period

        tables = _period_tables(whole, period, "--period")
        warnings, undated, outside = warnings_in_period(every_warning, tables)
        click.echo(_period_note(period, tables, whole, (len(warnings), undated, outside), lang), err=True)
    X = GraphFeatures(
        kind=kind, warnings=warnings or None, collusion=kg, progress=_feature_step(bar, lang)
    ).fit_transform(tables)
    y = None
    if learn:
        from graphkit.risk.features import ledger_labels

        y = ledger_labels(_warnings(store_spec, ledger) or [], tables, kind, X.index)
    bar.update(1)
    bar.set_postfix_str(_said(lang, "score", "评分"))
    sc = AnomalyScorer(kind=kind, warnings=not no_warnings, iforest=iforest).fit(X, y)
    bar.close()
    if learn and lang == "zh":
        n = sc.labels_
        click.echo(
            f"--learn：有已核查预警的{_KIND_ZH[kind][1:]} {n['true'] + n['false']:,} {_KIND_ZH[kind][0]}（属实 "
            f"{n['true']:,} 条，不属实 {n['false']:,} 条）："
            + ("据此学得特征权重" if n["used"] else f"两种结论各需至少 {sc.min_labels} 个：用默认权重"),
            err=True,
        )
    elif learn:
        n = sc.labels_
        click.echo(
            f"--learn: {n['true'] + n['false']:,} {_plural(kind, n['true'] + n['false'])} with verified warnings "
            f"({n['true']:,} true, {n['false']:,} false positive): "
            + (
                "feature weights learnt from them"
                if n["used"]
                else f"at least {sc.min_labels} of each needed: default weights used"
            ),
            err=True,
        )
    if kind == "unit" and not collusion and not learn and not period and not iforest:
        from graphkit.risk.portrait import keep_scores

        keep_scores(tables, X, sc, warnings, not no_warnings)  # the portraits that follow read them
    risk = sc.risk(X)
    parts = sc.score_parts(X)
    score = parts["score"]
    _say_empty(tables, kind, score, "the period" if period else "the store", lang)
    before = None
    if compare:  # the earlier period scored as the later one, each against its own city
        t0_ = _period_tables(whole, compare, "--compare")
        w0, _, _ = warnings_in_period(every_warning, t0_)
        X0 = GraphFeatures(kind=kind, warnings=w0 or None, collusion=kg).fit_transform(t0_)
        sc0 = AnomalyScorer(kind=kind, warnings=not no_warnings, iforest=iforest).fit(X0, y)
        s0 = sc0.anomaly_score(X0)
        before = {
            "risk": sc0.risk(X0).reindex(X.index),
            "rank": s0.rank(ascending=False, method="min").astype(int).reindex(X.index),
        }
    ranked = score.sort_values(ascending=False, kind="stable").index
    if jurisdiction:  # ranked against the whole city, listed for one district
        from graphkit.model.regions import region_code, region_words

        codes = tables["units"]["jurisdiction"].dropna().astype(str)
        code = jurisdiction.strip()
        if not code.isdigit():  # a name: 昆山市 or 昆山
            code = region_code(code, codes.unique()) or code
        where = tables["units"].set_index("unit")["jurisdiction"].reindex(ranked).astype("string").fillna("")
        ranked = ranked[where.str.startswith(code).to_numpy()]
        if not len(ranked):
            known = [region_words(j) for j in sorted(set(codes))]
            more = len(known) - 20
            raise click.UsageError(
                f"no unit has jurisdiction {jurisdiction!r}; the store's: {', '.join(known[:20]) or 'none'}"
                + (f" and {more} more" if more > 0 else "")
                if lang == "en"
                else f"没有辖区为 {jurisdiction!r} 的单位；库中的辖区：{'、'.join(known[:20]) or '无'}"
                + (f" 等，另有 {more} 个" if more > 0 else "")
            )
        jurisdiction = code
    # the top rows and any tied with the last of them: three units tied 9th, a top 10 had listed two of them
    order = with_ties(score.loc[ranked], top)
    rank_of = score.rank(ascending=False, method="min").astype(int)
    rows = X.loc[order]
    from graphkit.risk.portrait import risk_levels

    # the level the portrait says (红色 / 橙色 / 一般), beside the risk: only the portrait had said it
    level_of = risk_levels(sc, X, ranked if dest is not None else order, risk, score)
    which = warnings_by_feature(warnings, tables, kind)
    factors = _named_warnings(sc.factors(rows), order, which)

    def shown(i: str) -> str:
        return i if unmask or kind != "person" else mask(i, "id_number")

    names = [str(X.loc[i, "name"]) if isinstance(X.loc[i, "name"], str) else "" for i in order]
    handle = dict(zip(order, names, strict=True))
    units_of = _person_units(tables) if kind == "person" else {}
    if kind == "person" and not unmask and len(order):
        # what to give `portrait --person` (or `find`, `export --entity`) instead of the masked ID number: for
        # the rows listed, and for every row of --out
        handle = _handles(store_spec, ranked if dest is not None else order, X)
    out = [
        {
            "id": shown(i),
            "handle": handle[i] if kind == "person" and not unmask else i,
            "name": str(X.loc[i, "name"]) if isinstance(X.loc[i, "name"], str) else "",
            **({"unit": units_of.get(i, "")} if kind == "person" else {}),
            "kind": kind,
            "risk": float(risk[i]),
            "level": level_of[i],
            "score": round(float(score[i]), 3),
            "parts": {k: round(float(parts.loc[i, k]), 3) for k in parts.columns if k != "score"},
            "rank": int(rank_of[i]),
            "of": len(X),
            "peer": str(X.loc[i, "peer"]),
            "compared_with": sc.comparison(str(X.loc[i, "peer"])),
            # Chinese, and its English apart, as a factor's text and text_en (it read both at once: 同类 …（62 个单位，
            # …）· its peer group government|large (62 units))
            "compared_with_words": sc.comparison_words(str(X.loc[i, "peer"]), lang="zh"),
            "compared_with_words_en": sc.comparison_words(str(X.loc[i, "peer"]), lang="en"),
            "factors": [{k: f[k] for k in ("feature", "value", "peer_median", "z", "text", "text_en")} for f in fs],
            **({"period": period[0]} if period else {}),
            **(
                {
                    "before": {
                        "period": compare[0],
                        "risk": float(before["risk"][i]),
                        "rank": int(before["rank"][i]),
                        "change": round(float(risk[i]) - float(before["risk"][i]), sc.decimals_),
                    }
                }
                if before is not None
                else {}
            ),
        }
        for i, fs in zip(order, factors, strict=True)
    ]
    if dest is not None:
        from graphkit.audit import current_user
        from graphkit.model.mask import masked_kinds

        # one language a file, the console's (the rows had read 辖区 jurisdiction, 全市 the whole city …)
        en = console_lang() == "en"
        warned = (
            ("not counted" if en else "不计")
            if no_warnings or no_ledger
            else (f"{len(warnings):,} from the ledger" if en else f"{len(warnings):,} 条（预警台账）")
        )
        notes = [
            (said("made at", "生成时间"), shown_time(now_iso())),
            (said("by", "导出人"), current_user(by)),
            (said("store", "库"), store_spec),
            (
                said("kind", "类别"),
                {"unit": ("units", "单位"), "person": ("persons", "人员"), "company": ("companies", "企业")}[kind][
                    0 if en else 1
                ],
            ),
            (
                said("jurisdiction", "辖区"),
                (said(_region(jurisdiction).replace("（", " (").replace("）", ")"), _region(jurisdiction)))
                if jurisdiction
                else said("the whole city", "全市"),
            ),
            (said("period", "期间"), period[0] if period else said("all records", "全部记录")),
            *([(said("compared with", "对比期间"), compare[0])] if compare else []),
            (said("warnings", "预警"), warned),
            (
                said("masking", "脱敏"),
                said("UNMASKED: ", "未脱敏：") + (reason or "")
                if unmask
                else said(f"{masked_kinds('en')} masked", f"{masked_kinds()}已脱敏"),  # every kind (mask.KINDS)
            ),
            (said("rows", "行数"), f"{len(ranked):,}"),
            *_column_notes(kind, "en" if en else "zh"),
        ]
        _write_ranking(
            dest,
            ranked,
            X,
            sc,
            risk,
            parts,
            rank_of,
            tables,
            kind,
            shown,
            which,
            before,
            compare,
            notes=notes,
            levels=level_of,
            handle=None if kind != "person" else (lambda i: i) if unmask else handle.__getitem__,
        )
    record(
        store_spec,
        "rank",
        {
            "kind": kind,
            "top": top,
            "no_warnings": no_warnings,
            "collusion": collusion,
            "learn": learn,
            **({"iforest": iforest} if iforest else {}),
            "jurisdiction": jurisdiction,
            "period": period[0] if period else None,
            "compare": compare[0] if compare else None,
            **(written_files(dest) if dest is not None else {}),
            # the rows the file took away (result is what the console listed): 3,000 persons had read '→ 3'
            **({"rows_written": len(ranked)} if dest is not None else {}),
        },
        by=by,
        purpose=purpose,
        result=len(out),
        unmask=unmask,
        reason=reason,
    )
    if as_json:
        echo_json(out)
        return
    with_handle = kind == "person" and not unmask
    table = _rank_table(
        out, sc, with_handle=with_handle, cols=columns(), before=compare[0] if compare else None, lang=lang
    )
    for line in table:
        click.echo(line)
    for line in _tied_lines(out, kind, lang):
        for part in wrap(line, max(columns(), 40)):  # within the terminal, as the table's lines
            click.echo(part)
    if with_handle and out:
        click.echo(
            f"a person's portrait: graphkit portrait --person HANDLE --store {store_spec} --out P.html"
            if lang == "en"
            # the column's word (称呼), not an English placeholder in a Chinese line
            else f"查看某人的预画像：graphkit portrait --person 称呼 --store {store_spec} --out P.html",
            err=True,
        )
    # the closing line, one body for both languages (the words by --lang)
    took, n, shown = time.perf_counter() - t0, len(X), len(order)
    warned = (
        _said(lang, " (anomaly features only)", "仅异常特征")
        if no_warnings
        else _said(lang, " (no ledger: anomaly features only)", "无预警台账：仅异常特征")
        if no_ledger
        else _said(lang, f" ({len(warnings):,} warnings from the ledger)", f"计入台账预警 {len(warnings):,} 条")
    )
    parts = [
        _said(
            lang,
            f"{n:,} {_plural(kind, n)} scored in {took:.1f} s{warned}",
            f"已评分 {n:,} {_KIND_ZH[kind]}，用时 {took:.1f} 秒（{warned}）",
        )
    ]
    if jurisdiction:
        region = _region(jurisdiction)
        parts.append(
            _said(
                lang,
                f"{len(ranked):,} in jurisdiction {region}, {shown:,} listed",
                f"{region}辖区内 {len(ranked):,} 个，列出 {shown:,} 个",
            )
        )
    if period:
        versus = (_said(lang, f", compared with {compare[0]}", f"，对比 {compare[0]}")) if compare else ""
        parts.append(_said(lang, f"period {period[0]}", f"期间 {period[0]}") + versus)
    if dest is not None:
        parts.append(_said(lang, f"wrote {dest}", f"已写入 {dest}"))
    click.echo(_said(lang, "; ", "；").join(parts), err=True)


def _tied_lines(out: list[dict], kind: str, lang: str) -> list[str]:
    """Under the table, the places the rows listed share (``并列第 9 名：3 个单位得分同为 12.50``): the table
    shows no place, and three units tied 9th read as 9th, 10th and 11th."""
    from collections import Counter

    count = Counter(r["rank"] for r in out)
    score = {r["rank"]: r["score"] for r in out}
    tied = sorted(k for k, n in count.items() if n > 1)
    if not tied:
        return []
    if lang == "en":
        return [
            "tied: "
            + "; ".join(f"{count[k]} {_plural(kind, count[k])} share rank {k} (score {score[k]:.2f})" for k in tied)
        ]
    # 并列第 4 名：5 名人员得分同为 8.00 (it read 并列：第 4 名 5 名人员…, two counts side by side)
    return ["；".join(f"并列第 {k} 名：{count[k]} {_KIND_ZH[kind]}得分同为 {score[k]:.2f}" for k in tied)]


def _handles(store_spec: str, ids, X) -> dict[str, str]:
    """Person → the handle that names them without their ID number (:func:`graphkit.search.handles`: the name, or
    NAME#N among namesakes; a key in it masked): one search per name for a few, else from one read of every name
    (:func:`graphkit.search.bulk_handles`, the same handles: 3,000 persons had taken 100 s one by one)."""
    import pandas as pd

    from graphkit.search import bulk_handles, handles

    ids = list(ids)
    # one lookup of the column (a lookup per person had taken 1.5 s of a ranking of 10,000)
    names = [v if isinstance(v, str) else "" for v in X["name"].loc[ids].tolist()]
    found = pd.DataFrame({"label": "Person", "id": ids, "name": names})
    store = open_for_reading(store_spec)
    try:
        given = (bulk_handles if len(ids) > _ONE_BY_ONE else handles)(store, found)
    finally:
        store.close()
    return dict(zip(ids, (shown_text(h, False) for h in given), strict=True))


#: most persons whose handles are searched one by one (some 34 ms each on the demo's store); more are read in bulk
_ONE_BY_ONE = 50


#: what the ``handle`` column of a ranking of persons means (after ``rank / of`` in its 说明 notes sheet)
_HANDLE_NOTE = {
    "zh": (
        "handle",
        "不用身份证号即可指明此人的称呼：姓名，同名者为 姓名#N，可交给 graphkit portrait --person；未脱敏时为身份证号",
    ),
    "en": (
        "handle",
        "what names the person without the ID number: the name, NAME#N among namesakes (portrait --person takes "
        "it; the ID number when unmasked)",
    ),
}


#: the tables a feature is drawn from, as a user loads them (``graphkit load``'s source tables)
_EMPTY_WORDS = {
    "posts": "posts (roster)",
    "family": "family ties (household)",
    "shareholders": "shareholdings",
    "directors": "company officers",
    "contracts": "contracts",
    "tenders": "tenders",
    "person_payments": "payments to persons",
    "fuel_cards": "fuel cards",
    "vehicle_stops": "vehicle records",
    "receptions": "receptions",
    "hotline": "12345 hotline tickets",
}


#: :data:`_EMPTY_WORDS` in Chinese
_EMPTY_ZH = {
    "posts": "任职记录（花名册）",
    "family": "亲属关系（户籍）",
    "shareholders": "股东记录",
    "directors": "企业高管",
    "contracts": "合同",
    "tenders": "招标项目",
    "person_payments": "对个人的付款",
    "fuel_cards": "加油卡",
    "vehicle_stops": "车辆记录",
    "receptions": "公务接待",
    "hotline": "12345 热线工单",
}


def _say_empty(tables: dict, kind: str, score, holder: str = "the store", lang: str = "en") -> None:
    """Say which tables the store holds no rows of, so that features drawn from them read 0: a store of units
    alone ranked every unit at risk 0 without a word, as if all had been looked at and found ordinary."""
    zh = lang == "zh"
    empty = [words for q, words in (_EMPTY_ZH if zh else _EMPTY_WORDS).items() if q in tables and len(tables[q]) == 0]
    store = holder == "the store"
    where = ("库中" if store else "该期间") if zh else holder
    lacks = f"{where}没有{'、'.join(empty)}" if zh else f"{holder} holds no {', '.join(empty)}"
    if len(score) and bool((score <= 0).all()):
        said = (
            f"注意：每个{_KIND_ZH[kind][1:]}的得分都是 0，本排名说明不了什么"
            if zh
            else f"note: every {kind} scores 0, so this ranking says nothing"
        )
        if not empty:
            said += "：没有任何特征偏离同类" if zh else ": no feature departs from its peers"
        else:
            said += ("：" if zh else ": ") + lacks
            if store:
                said += (
                    "；请加载各部门的表（graphkit load DIR）"
                    if zh
                    else "; load the departments' tables (graphkit load DIR)"
                )
        click.echo(said, err=True)
    elif empty:
        click.echo(
            f"注意：{lacks}，由这些表得出的特征都为 0" if zh else f"note: {lacks}: the features drawn from them read 0",
            err=True,
        )


def _period(text: str | None, option: str):
    """``--period`` / ``--compare``: (the text, (first day, last day)), or None; a text that is no period is a
    usage error naming the forms taken."""
    if not text:
        return None
    from graphkit.risk.tables import parse_period

    try:
        return text.strip(), parse_period(text)
    except ValueError as exc:
        zh = (
            f"{text!r}：期间的结束早于开始"
            if "ends before it starts" in str(exc)
            else f"{text!r} 不是期间：写年份（2024）、月份（2024-03）、日期（2024-03-15），"
            "或用 .. 连起两个（2023-07..2024-06）"
        )
        raise click.BadParameter(said(str(exc), zh), param_hint=option) from exc


def _period_tables(whole: dict, period, option: str) -> dict:
    """The tables of one period (:func:`graphkit.risk.tables.in_period`); a period with no dated record of the
    store is a usage error (``--period 1990`` had ranked units on their undated figures alone)."""
    from graphkit.risk.tables import PERIOD_DATES, in_period

    tables = in_period(whole, *period[1])
    if not any(len(tables[n]) for n in PERIOD_DATES if n in tables):
        raise click.UsageError(
            said(
                f"{option} {period[0]}: the store holds no dated record of that period",
                f"{option} {period[0]}：库中没有该期间的带日期记录",
            )
        )
    return tables


def _period_note(period, tables: dict, whole: dict, counted: tuple[int, int, int], lang: str = "en") -> str:
    """What ``--period`` scored on: the dated records of the period out of all, what is counted whole, and the
    warnings that belong to the period."""
    from graphkit.risk.tables import PERIOD_DATES, UNDATED

    text, (start, end) = period
    if lang == "zh":
        n, undated_w, outside = counted
        kept = "，".join(
            f"{_EMPTY_ZH.get(t, t)} {len(whole[t]):,} 条中的 {len(tables[t]):,} 条" for t in PERIOD_DATES if t in whole
        )
        undated = "、".join(_EMPTY_ZH.get(t, t) for t in UNDATED if t in whole)
        return (
            f"期间 {text}（{start.date()} 至 {end.date()}）：{kept}；任职按该期间在任计"
            + (f"；{undated}按库中全部日期的合计计" if undated else "")
            + f"；计入涉及该期间记录的预警 {n:,} 条"
            + (
                f"，未计其他期间的 {outside:,} 条和不涉及带日期记录（加油卡、车辆）的 {undated_w:,} 条"
                if outside or undated_w
                else ""
            )
        )
    kept = ", ".join(
        f"{len(tables[n]):,} of {len(whole[n]):,} {_EMPTY_WORDS.get(n, n)}" for n in PERIOD_DATES if n in whole
    )
    undated = ", ".join(_EMPTY_WORDS.get(n, n) for n in UNDATED if n in whole)
    n, undated_w, outside = counted
    return (
        f"period {text} ({start.date()} to {end.date()}): {kept}; posts held in it"
        + (f"; {undated} counted as the store totals them, over all dates" if undated else "")
        + f"; {n:,} warnings naming a record of the period counted"
        + (
            f", {outside:,} of other periods and {undated_w:,} naming no dated record (a fuel card's, a vehicle's) "
            "left out"
            if outside or undated_w
            else ""
        )
    )


def _person_units(tables: dict) -> dict[str, str]:
    """Person → the units of their current posts (``苏州市财政局、苏州市审计局``), else ``原 `` and the unit of
    their latest post: `rank --kind person` had no unit column, so a team could not tell whom a row is at."""
    posts = tables.get("posts")
    if posts is None or not len(posts):
        return {}
    name = tables["units"].drop_duplicates("unit").set_index("unit")["name"]
    p = posts.assign(unit_name=posts["unit"].map(name).fillna(posts["unit"]).astype(str))
    current = p[p["end_date"].isna()]
    out = current.groupby("person")["unit_name"].agg(lambda x: "、".join(dict.fromkeys(x))).to_dict()
    former = p[~p["person"].isin(out)].sort_values("end_date", kind="stable").groupby("person")["unit_name"].last()
    out.update({k: f"原 {v}" for k, v in former.items()})
    return out


def _named_warnings(factors: list[list[dict]], ids, which: dict) -> list[list[dict]]:
    """The factors, a warning factor naming the warnings it counts (:func:`graphkit.risk.features.named_warnings`)."""
    from graphkit.risk.features import named_warnings

    return named_warnings(factors, ids, which)


def _write_ranking(
    dest: Path,
    ranked,
    X,
    sc,
    risk,
    parts,
    rank_of,
    tables,
    kind: str,
    shown,
    which,
    before=None,
    compare=None,
    notes: list[tuple[str, str]] | None = None,
    handle=None,
    levels: dict[str, str] | None = None,
) -> Path:
    """The whole ranking as a spreadsheet for the team (UTF-8 with a BOM for Excel, or XLSX): rank in the city,
    id (an ID number masked unless --unmask), name, for a unit its kind and jurisdiction, risk, the score and its
    parts, the group compared with and every factor, in the console's words; for a person (``handle``: id → what
    names them) the handle to give ``portrait --person`` after the id."""
    import pandas as pd

    from graphkit.model.regions import region_name
    from graphkit.portrait_render import LEVEL_ZH
    from graphkit.risk.scorer import UNIT_KIND_ZH

    factors = _named_warnings(sc.factors(X.loc[ranked], top=len(sc.features_)), ranked, which)  # all, as said
    units_of = _person_units(tables) if kind == "person" else {}
    units = tables["units"].set_index("unit") if kind == "unit" and "units" in tables else None
    # each column read once in the ranking's order, then its values one by one as Python numbers (the same
    # rounding, the same text): a lookup per row and column (X.loc[i, …]) had been most of `rank --out`'s time
    rows = X.loc[ranked]
    names = rows["name"].to_numpy()
    peers = [str(p) for p in rows["peer"].to_numpy()]
    # in Chinese, as the factors column beside it (it read 同类 …（62 个单位，…）· its peer group government|large …)
    compared = {p: sc.comparison_words(p, lang="zh") for p in set(peers)}
    risks = risk.loc[ranked].to_numpy()
    P = parts.loc[ranked]

    def rounded(values, digits: int) -> list[float]:
        return [round(float(v), digits) for v in values]

    frame = pd.DataFrame(
        {
            "rank": [int(r) for r in rank_of.loc[ranked].to_numpy()],
            "of": len(X),
            "id": [shown(i) for i in ranked],
            **({"handle": [handle(i) for i in ranked]} if handle is not None else {}),
            "name": [str(v) if isinstance(v, str) else "" for v in names],
            **({"unit": [units_of.get(i, "") for i in ranked]} if kind == "person" else {}),
            **(
                {
                    "kind": units["kind"].reindex(ranked).to_numpy(),
                    "kind_zh": [UNIT_KIND_ZH.get(k, k) for k in units["kind"].reindex(ranked).fillna("")],
                    "jurisdiction": units["jurisdiction"].reindex(ranked).to_numpy(),
                    "jurisdiction_name": [region_name(j) or "" for j in units["jurisdiction"].reindex(ranked)],
                }
                if units is not None
                else {}
            ),
            "risk": rounded(risks, sc.decimals_),
            **(
                {"level": [levels[i] for i in ranked], "level_zh": [LEVEL_ZH[levels[i]] for i in ranked]}
                if levels is not None
                else {}
            ),
            "score": rounded(P["score"].to_numpy(), 3),
            **{k: rounded(P[k].to_numpy(), 3) for k in parts.columns if k != "score"},
            "peer": peers,
            "compared_with": [compared[p] for p in peers],
            **(
                {
                    f"risk {compare[0]}": [float(v) for v in before["risk"].loc[ranked].to_numpy()],
                    f"rank {compare[0]}": [int(v) for v in before["rank"].loc[ranked].to_numpy()],
                    "change": [
                        round(float(a) - float(b), sc.decimals_)
                        for a, b in zip(risks, before["risk"].loc[ranked].to_numpy(), strict=True)
                    ],
                }
                if before is not None
                else {}
            ),
            # — as on the console; in its language (text_en under --lang en: the file's factors had been Chinese)
            "factors": [said("; ", "；").join(f[said("text_en", "text")] for f in fs) or "—" for fs in factors],
        }
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    keys = frame
    frame = ranking_headed(frame, console_lang())  # headers in the command's language, as score-bids' are
    if dest.suffix.lower() == ".xlsx":
        _workbook(frame, dest, notes or [])
    else:
        with whole_file(dest) as part:  # whole under its name or not at all (a Ctrl-C, a full disk)
            frame.to_csv(part, index=False, encoding="utf-8-sig")
        long = int(keys["id"].astype(str).str.fullmatch(r"\d{16,}").sum())
        if long:  # Excel opens such a cell as a number and rounds it past 15 digits (1.13206E+17)
            click.echo(  # in the console's language (it said "note: …" in English under the Chinese console)
                said(
                    f"note: {long:,} ids of {dest.name} are 16 or more digits, which Excel opens as numbers rounded "
                    "past the 15th digit: write .xlsx (kept as text), or import the CSV in Excel with that column as "
                    "text",
                    f"注意：{dest.name} 中有 {long:,} 个编号为 16 位以上的数字，Excel 会把它们当作数字打开，"
                    "第 15 位之后被舍入：请写出 .xlsx（编号保留为文本），或在 Excel 中导入此 CSV 时把该列设为文本",
                ),
                err=True,
            )
    return dest


#: a ranking file's columns (``rank --out``, the demo's ``units.csv``) by key, their Chinese headers: a file is headed
#: in the command's language (Chinese by default, the keys under ``--lang en``), as ``score-bids --out`` is; it had
#: English headers whatever the language, where score-bids' were Chinese
RANKING_HEADS = {
    "rank": "名次",
    "of": "参评数",
    "id": "编号",
    "handle": "称呼",
    "name": "名称",
    "unit": "任职单位",
    "kind": "单位类别代码",
    "kind_zh": "单位类别",
    "jurisdiction": "辖区代码",
    "jurisdiction_name": "辖区",
    "risk": "风险",
    "level": "等级代码",
    "level_zh": "等级",
    "score": "得分",
    "anomaly": "异常",
    "warnings": "预警",
    "iforest": "孤立森林",
    "peer": "对照组代码",
    "compared_with": "对照组",
    "change": "变化",
    "factors": "因素",
    "credit_code": "统一社会信用代码",
    "peers": "对照组简称",
}
_BEFORE = {"risk": "风险", "rank": "名次"}  # a compared period's columns: risk 2023 → 风险 2023


def ranking_headed(frame, lang: str = "zh"):
    """``frame`` (columns by key) headed in ``lang``: Chinese (:data:`RANKING_HEADS`), or its keys under ``en``.

    >>> import pandas as pd
    >>> list(ranking_headed(pd.DataFrame(columns=["rank", "id", "risk 2023", "factors"])).columns)
    ['名次', '编号', '风险 2023', '因素']
    """
    if lang == "en":
        return frame

    def head(key: str) -> str:
        word, _, period = str(key).partition(" ")
        return f"{_BEFORE[word]} {period}" if period and word in _BEFORE else RANKING_HEADS.get(key, key)

    return frame.rename(columns=head)


def ranking_keyed(frame):
    """A ranking file's ``frame`` with its columns by key whichever language headed them (:func:`ranking_headed`):
    a reader written for the keys reads a Chinese-headed file alike.

    >>> import pandas as pd
    >>> list(ranking_keyed(pd.DataFrame(columns=["名次", "编号", "风险 2023", "credit_code"])).columns)
    ['rank', 'id', 'risk 2023', 'credit_code']
    """
    keys = {zh: key for key, zh in RANKING_HEADS.items()}
    before = {zh: key for key, zh in _BEFORE.items()}

    def key(head: str) -> str:
        word, _, period = str(head).partition(" ")
        return f"{before[word]} {period}" if period and word in before else keys.get(head, head)

    return frame.rename(columns=key)


def read_ranking(path, **kw):
    """A ranking file (``rank --out`` CSV or workbook, the demo's ``units.csv``) with its columns by key, whichever
    language headed it; ``kw`` to the pandas reader (``dtype=`` by key too)."""
    import pandas as pd

    from graphkit.cli.common import sheet_of

    if isinstance(kw.get("dtype"), dict):
        kw["dtype"] = {**kw["dtype"], **{RANKING_HEADS[k]: v for k, v in kw["dtype"].items() if k in RANKING_HEADS}}
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheet = sheet_of(book.sheet_names, "ranking") or sheet_of(book.sheet_names, "units") or 0
            return ranking_keyed(pd.read_excel(book, sheet_name=sheet, **kw))
    return ranking_keyed(pd.read_csv(path, encoding="utf-8-sig", **kw))


def _workbook(frame, dest: Path, notes: list[tuple[str, str]]) -> None:
    """The ranking as a workbook a team can hand round (:func:`graphkit.cli.common.write_workbook`), its sheets
    named in the command's language."""
    from graphkit.cli.common import write_workbook

    write_workbook(frame, dest, notes, sheet="ranking", lang=console_lang())


#: what each column of the ranking file means (its 说明 notes sheet), by language: one language a file (the rows
#: had read both, 全市名次 / 参评总数 the city-wide rank, of how many)
_COLUMN_NOTES = {
    "zh": [
        ("rank / of", "全市名次 / 参评总数"),
        ("risk", "风险分 0-100：全市得分低于它的比例"),
        (
            "level / level_zh",
            "等级（红色、橙色、一般），同预画像：风险分 ≥95 且有一项 ≥4 或得分 ≥12 为红色，"
            "风险分 ≥85 且有一项 ≥2 或得分 ≥6 为橙色",
        ),
        (
            "score",
            "得分 = anomaly（未经预警的事实中三项最大偏离加权 1, ½, ¼）+ warnings（预警计分；预警与指标指向同一事实"
            "时取两者较大者）；同一事实的几项指标只计最大偏离",
        ),
        ("peer / compared_with", "对照组的键与文字（人数分组：按在职人数在同类中的三分位点分组）"),
        ("factors", "偏离对照组的全部因素（偏离 ≥ 1 个稳健标准差），预警因素列出所计预警"),
    ],
    "en": [
        ("rank / of", "the city-wide rank, of how many"),
        ("risk", "risk 0-100: the share of those scored with a lower score"),
        (
            "level / level_zh",
            "the portrait's level (red, orange, normal): red at risk ≥95 with one part ≥4 or a score ≥12, orange "
            "at risk ≥85 with one part ≥2 or a score ≥6",
        ),
        (
            "score",
            "score = anomaly (the three largest departures among facts no warning covers, weighted 1, ½, ¼) + "
            "warnings (warning points; where a warning and a measure point at the same fact, the larger of the "
            "two); one fact counts once, by its largest departure",
        ),
        (
            "peer / compared_with",
            "the peer group's key and words (staff-size groups: by the terciles of staff within the kind)",
        ),
        (
            "factors",
            "every factor that departs from the peer group (by ≥ 1 robust SD); a warning factor counts its warnings",
        ),
    ],
}


def _column_notes(kind: str, lang: str) -> list[tuple[str, str]]:
    """The ranking file's column rows of its notes sheet in ``lang`` (a person's ranking adds ``handle``)."""
    cols = _COLUMN_NOTES[lang]
    return [*cols[:1], *([_HANDLE_NOTE[lang]] if kind == "person" else []), *cols[1:]]


def _region(code: str) -> str:
    from graphkit.model.regions import region_words

    return region_words(code)


#: the header of ``rank``'s table in Chinese (``lang="zh"``); a key not here is said as it is
_HEAD_ZH = {
    "risk": "风险",
    "level": "等级",
    "was": "此前",
    "change": "变化",
    "score": "得分",
    "=anom": "=异常",
    "+warn": "+预警",
    "+forest": "+孤立森林",
    "id": "编号",
    "handle": "称呼",
    "name": "名称",
    "unit": "单位",
    "compared with": "对照组",  # as the portrait and the factors name the group compared with
    "top factor": "首要因素",
}


def _rank_table(
    out: list[dict], sc, *, with_handle: bool, cols: int, before: str | None = None, lang: str = "en"
) -> list[str]:
    """The lines of ``rank``'s table for a terminal of ``cols`` columns, nothing of the group cut.

    The ``compared with`` cell holds the group compared with: the peer group in words (``社区·人数较多``), or for
    a fallback the short words and a mark (``社区（各规模） all community [1]``) that the legend under the table
    explains in full (the peer group, its size and why it fell back); a line under the table says how the size
    bands are made. What does not fit the terminal beside the row (the cell on a
    narrow one, the top factor) goes on the next line, indented and wrapped by display width."""
    from graphkit.risk.scorer import BAND_ZH, BANDS_NOTE_EN, BANDS_NOTE_ZH

    d = sc.decimals_
    w = 4 + d
    zh = lang == "zh"
    # the peer groups' words and the top factor in the console's language alone (under --lang en the cell read
    # 政府部门·人数居中 and the factor Chinese, though each has its English)
    said = "zh" if zh else "en"

    def h(key: str) -> str:
        if zh and key == "name" and sc.kind == "person":
            return "姓名"
        return _HEAD_ZH.get(key, key) if zh else key

    def right(key: str, n: int) -> str:  # right-aligned by display width (a Chinese character takes two columns)
        return " " * max(n - width(h(key)), 0) + h(key)

    marks: dict[str, int] = {}
    cells = []
    for r in out:
        c = r["compared_with"]
        if c["fallback"] is None:
            cells.append(sc.comparison_words(c["peer"], short=True, lang=said))
        else:
            n = marks.setdefault(c["peer"], len(marks) + 1)
            cells.append(f"{sc.comparison_words(c['peer'], short=True, lang=said)} [{n}]")
    cell_w = max([width(h("compared with")), *(width(x) for x in cells)])
    was = f"{right('was', w)} {right('change', w + 1)} " if before else ""  # the earlier period's risk and the change
    forest = any("iforest" in r["parts"] for r in out)  # its term too, so that the parts add up to the score
    from graphkit.portrait_render import LEVEL_ZH

    # the portrait's level beside the risk (红色 / 橙色 / 一般; --lang en: red / orange / normal)
    said_level = {k: (LEVEL_ZH[k] if zh else k) for k in LEVEL_ZH}
    level_w = max(width(h("level")), *(width(said_level[r["level"]]) for r in out)) if out else width(h("level"))
    # the id and handle columns as wide as what they hold (20 and 12 had left room the level column now takes)
    id_w = min(20, max([width(h("id")), *(width(r["id"]) for r in out)]))
    handle_w = min(12, max([width(h("handle")), *(width(r["handle"]) for r in out)]))
    head = (
        f"{right('risk', w)} {pad(h('level'), level_w)} {was}{right('score', 6)} {right('=anom', 6)} "
        f"{right('+warn', 6)} "
        + (f"{right('+forest', 9 if zh else 7)} " if forest else "")
        + f" {pad(h('id'), id_w)} "
        + (f"{pad(h('handle'), handle_w)} " if with_handle else "")
    )
    # a name whole where the terminal has room (松平社区 and 松马社区 of one 街道 were both cut to …横泾街道松…)
    longest = max([width(r["name"]) for r in out] or [24])
    with_unit = any("unit" in r for r in out)  # a person's unit, to tell whom the row is at
    if with_unit:  # the handle is the name (NAME#N among namesakes): the unit takes the name's place
        name_w = 0 if with_handle else max(8, min(longest, 16))
        head += pad(h("name"), name_w) + " " if name_w else ""
        room = cols - width(head) - cell_w - 2 - len(" top factor")  # the header line stays within the terminal
        if room < 8:  # no room for the cell beside the row: it goes under it, and the unit takes its room
            room = cols - width(head) - 1
        unit_w = max(4, min(max(width(r["unit"]) for r in out), 36, max(room, 8)))
        head += pad(h("unit"), unit_w) + " "
    else:
        name_w = max(24, min(longest, cols - width(head) - cell_w - 2 - 20))
        head += pad(h("name"), name_w) + " "
    # the cell beside the row, else under it; the header's `top factor` too within the terminal (the English
    # cell, `persons holding no post`, is wider than 非在职人员: the header had run to 107 columns of 100)
    inline = width(head) + cell_w + 1 + width(h("top factor")) <= cols
    indent = " " * (w + 2)
    if inline:
        lines = [head + pad(h("compared with"), cell_w) + " " + h("top factor")]
    else:
        lines = [head.rstrip(), indent + h("compared with") + " · " + h("top factor")]
    for r, cell in zip(out, cells, strict=True):
        first = r["factors"][0]["text" if zh else "text_en"] if r["factors"] else "—"
        if with_unit and width(r.get("unit", "")) > unit_w:  # a unit cut in its cell is said whole under the row
            first = f"{r['unit']} · {first}"
        then = (
            f"{r['before']['risk']:>{w}.{d}f} {r['before']['change']:>+{w + 1}.{d}f} "
            if before and "before" in r
            else ""
        )
        row = (
            f"{r['risk']:>{w}.{d}f} {pad(said_level[r['level']], level_w)} {then}{r['score']:>6.2f} "
            f"{r['parts']['anomaly']:>6.2f} "
            f"{r['parts']['warnings']:>6.2f} "
            + (f"{r['parts'].get('iforest', 0.0):>{9 if zh else 7}.2f} " if forest else "")
            + f" {pad(r['id'], id_w)} "
            + (f"{pad(cut(r['handle'], handle_w), handle_w)} " if with_handle else "")
            + (f"{pad(cut(r['name'], name_w), name_w)} " if name_w else "")
            + (f"{pad(cut(r.get('unit', ''), unit_w), unit_w)} " if with_unit else "")
        )
        if inline:
            row += pad(cell, cell_w) + " "
            if width(row) + width(first) <= cols:
                lines.append(row + first)
                continue
            lines.append(row.rstrip())
            rest = first
        else:
            lines.append(row.rstrip())
            rest = f"{cell} · {first}"
        lines += [indent + x for x in wrap(rest, max(cols - len(indent), 20))]
    for peer, n in marks.items():
        lines += wrap(f"[{n}] {sc.comparison_words(peer, lang=said)}", max(cols, 40))
    if before:
        lines += wrap(
            f"此前：{before} 的风险，按同样方法与该期间的全市对比得出；变化：现在的风险 − 此前"
            if zh
            else f"was: the risk in {before}, scored the same way against that period's city; change: risk now − was",
            max(cols, 40),
        )
    if sc.kind == "unit" and any(r["compared_with"]["group"].split("|")[-1] in BAND_ZH for r in out):
        lines += wrap(BANDS_NOTE_ZH if zh else BANDS_NOTE_EN, max(cols, 40))
    if out:
        lines += wrap(_risk_note(out[0]["of"], sc.kind, lang=lang), max(cols, 40))
        lines += wrap(_score_note(sc.top, forest=forest, lang=lang), max(cols, 40))
    return lines


def _risk_note(n: int, kind: str, *, lang: str = "zh") -> str:
    """The line under ``rank``'s table that says what its 风险 is and of how many: the column read 99.8 with
    nothing saying of what, which a reader takes for a 99.8 % chance (the share was in ``rank --help`` alone).

    >>> print(_risk_note(400, "unit"))
    风险 = 全市 400 个单位中得分低于它的所占百分比（是排位，不是发生的概率）
    >>> print(_risk_note(3000, "person", lang="en"))
    risk = the share of the city's 3,000 persons that score lower, in % (a rank, not a probability)
    """
    if lang == "zh":
        return f"风险 = 全市 {n:,} {_KIND_ZH[kind]}中得分低于它的所占百分比（是排位，不是发生的概率）"
    noun = {"unit": "units", "person": "persons", "company": "companies"}[kind]
    return f"risk = the share of the city's {n:,} {noun} that score lower, in % (a rank, not a probability)"


def _score_note(top: int, *, forest: bool = False, lang: str = "zh") -> str:
    """The line under ``rank``'s table that says how a row's parts make its score, as the portrait's 得分算法 does
    with its numbers (the table had said 得分 = 异常 + 预警 and no more: the weights were in ``rank --help`` alone).

    >>> print(_score_note(3))  # doctest: +NORMALIZE_WHITESPACE
    得分 = 异常（最大 3 项偏离依次乘 1、½、¼ 相加）+
    预警（各项预警计分相加），同一事实只计一次；逐项算式见预画像第二节
    >>> print(_score_note(3, forest=True, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    score = anomaly (3 largest deviations × 1, ½, ¼) + warnings (their points) + forest, each fact once; see
    the portrait
    """
    said = {1.0: "1", 0.5: "½", 0.25: "¼", 0.125: "⅛"}
    times = [said.get(0.5**k, f"{0.5**k:g}") for k in range(top)]
    if lang == "zh":
        return (
            f"得分 = 异常（最大 {top} 项偏离依次乘 {'、'.join(times)} 相加）+ 预警（各项预警计分相加）"
            + ("+ 孤立森林" if forest else "")
            + "，同一事实只计一次；逐项算式见预画像第二节"
        )
    return (
        f"score = anomaly ({top} largest deviations × {', '.join(times)}) + warnings (their points)"
        + (" + forest" if forest else "")
        + ", each fact once; see the portrait"
    )


def _of_the_other_kind(text: str | None, label: str) -> None:
    """Refuse the other kind's identifier, said before any work: a unit's credit code given to --person had
    read 'no person with that ID number' after the tables were read (an ID number is not echoed)."""
    from graphkit.model.types import is_valid_credit_code, is_valid_id_number

    text = (text or "").strip()
    if label == "Person" and is_valid_credit_code(text) and not is_valid_id_number(text):
        raise click.UsageError(
            said(
                f"{text} is a unified social credit code, not an ID number: give it to --unit",
                f"{text} 是统一社会信用代码，不是身份证号：请用 --unit",
            )
        )
    if label == "Organization" and is_valid_id_number(text):
        raise click.UsageError(
            said(
                "that is an ID number, not a unit's credit code: give it to --person",
                "这是身份证号，不是单位的统一社会信用代码：请用 --person",
            )
        )


def _named(store, text: str, label: str, unmask: bool) -> str:
    """The key of the ``label`` entity ``text`` names: an identifier as given, else a name named exactly
    (繁/简 alike) or a handle ``NAME#N`` (:func:`graphkit.cli.casefile.subject`: namesakes and near misses stop
    the command with the candidates and their handles), so a person ranked with a masked ID number is reached
    without unmasking it."""
    from graphkit.cli.casefile import entity_key
    from graphkit.model.types import is_valid_credit_code, is_valid_id_number

    text = (text or "").strip()
    if (label == "Person" and is_valid_id_number(text)) or (label == "Organization" and is_valid_credit_code(text)):
        return text
    _of_the_other_kind(text, label)
    if re.fullmatch(r"[0-9A-Za-z]{15,18}", text):  # an identifier, if a wrong one: the portrait says it is not there
        return text
    return entity_key(store, text, (label,), "a person" if label == "Person" else "a unit", unmask)


#: the portrait's progress steps in Chinese (``write FORMAT``: 写入 FORMAT)
_PORTRAIT_STEP_ZH = {
    "opening the store": "打开数据库",
    "tables": "读取表",
    "collusion": "串标评分",
    "portrait data": "画像数据",
}


@click.command("portrait")
@click.option(
    "--unit",
    "unit",
    default=None,
    help="The unit: its unified social credit code or its exact name (NAME#N for namesakes).",
)
@click.option(
    "--person",
    "person",
    default=None,
    help="The person: ID number, exact name, or the handle `rank --kind person` and `find` print (NAME#N).",
)
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option(
    "--out",
    "out",
    required=True,
    type=OutPath(),
    help="The portrait: .html (self-contained), .pdf or .md, by the suffix.",
)
@click.option("--pdf", "pdf", default=None, type=OutPath(), help="Also a PDF.")
@click.option(
    "--case",
    "case",
    default="",
    help="Case or inspection number printed on every page of the PDF and under the title of the HTML and Markdown "
    "(巡2024-03) [default: none, said so].",
)
@click.option("--no-warnings", is_flag=True, help="Score risk on anomaly features alone (warnings still listed).")
@ledger_option
@click.option("--no-cache", is_flag=True, help="Query the store even if <store>.risk-cache holds its tables.")
@click.option(
    "--list-all",
    is_flag=True,
    help="List every key person and every linked company (else the first 20 and 15, saying how many are left out).",
)
@click.option(
    "--max-drawn",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Most nodes the relationship map draws: the subject, the most paid companies' chains first (0: all).",
)
@click.option(
    "--collusion",
    is_flag=True,
    help="Score the risk with tender collusion on the graph (collusion_exposure), as `rank --collusion` ranks.",
)
@_IFOREST
@_LANG
@face_options
def portrait_cmd(
    unit,
    person,
    store_spec,
    out,
    pdf,
    case,
    no_warnings,
    ledger,
    no_cache,
    list_all,
    max_drawn,
    collusion,
    iforest,
    lang,
    by,
    purpose,
    unmask,
    reason,
) -> None:
    """A pre-portrait (预画像) of a unit or a person for an inspection team: identity and key personnel, risk
    against peers, family business interests hop by hop with sources, procurement, vehicles and fuel,
    receptions, hotline, warnings with their history, collusion exposure, a relationship map, data sources.
    """
    from graphkit.audit import current_user
    from graphkit.portrait_render import FORMATS, write, write_pdf
    from graphkit.progress import echo, tqdm
    from graphkit.risk.portrait import PortraitError, person_portrait, unit_portrait
    from graphkit.risk.tables import QUERIES, UNIT_QUERIES, read_tables

    if bool(unit) == bool(person):
        raise click.UsageError(
            _said(
                lang,
                "give exactly one of --unit CREDIT_CODE or --person ID_NUMBER",
                "请给出 --unit 统一社会信用代码 或 --person 身份证号，二者只给一个",
            )
        )
    _of_the_other_kind(unit or person, "Organization" if unit else "Person")
    # said before any work: HTML written into P.pdf opens as a broken PDF
    if out.suffix.lower() not in FORMATS:
        formats = ", ".join(sorted(set(FORMATS)))
        raise click.BadParameter(
            _said(
                lang,
                f"{out}: a portrait is written as {formats} (by the suffix)",
                f"{out}：预画像按后缀写成 {formats}",
            ),
            param_hint="--out",
        )
    if pdf and pdf.suffix.lower() != ".pdf":
        raise click.BadParameter(
            _said(lang, f"{pdf}: give a .pdf file", f"{pdf}：请给出 .pdf 文件"), param_hint="--pdf"
        )
    if case and not case.strip():  # as export refuses one: a blank number would print as 未编案卷号
        raise click.BadParameter(
            _said(
                lang,
                "a blank case number: give one (巡2024-03) or leave --case out",
                "案卷号为空：请给出案卷号（巡2024-03），或不加 --case",
            ),
            param_hint="--case",
        )
    check_unmask(unmask, reason)
    t0 = time.perf_counter()
    steps = (
        ["opening the store", "tables"]
        + (["collusion"] if collusion else [])
        + ["portrait data", f"write {out.suffix.lstrip('.').lower()}"]
        + (["write pdf"] if pdf else [])
    )
    # long steps (a portrait of a unit of hundreds of staff takes tens of seconds): a progress bar on stderr
    desc = "portrait" if lang == "en" else "预画像"
    bar = tqdm(total=len(steps), unit="step", desc=desc, file=sys.stderr, leave=False)

    def step(name: str) -> None:
        if name != steps[0]:
            bar.update(1)
        if lang == "zh":  # write md -> 写入 md
            name = _PORTRAIT_STEP_ZH.get(name) or name.replace("write ", "写入 ")
        bar.set_postfix_str(name)

    # the bar before the store: opening a million-person store took tens of seconds with nothing on the screen
    step("opening the store")
    try:
        store = open_for_reading(store_spec)
    except BaseException:
        bar.close()
        raise
    try:
        step("tables")
        if unit:
            unit = _named(store, unit, "Organization", unmask)
        else:
            person = _named(store, person, "Person", unmask)
        warnings = [] if no_warnings else _warnings(store_spec, ledger)
        if warnings is None:
            echo(_no_ledger(store_spec, lang), err=True)
        names, cache = UNIT_QUERIES if unit else QUERIES, _cache(store_spec, no_cache)
        tables = read_tables(store, names, cache=cache, progress=_table_step(bar, lang))
        kw = {"warnings": warnings or [], "use_warnings": not no_warnings, "store_name": store_spec, "tables": tables}
        kw["iforest"] = iforest  # scored as `rank --iforest` scores
        if collusion:  # scored as `rank --collusion` ranks: the collusion_exposure feature counts
            from graphkit.collusion.kg import score_store

            step("collusion")
            kw["collusion"] = score_store(store)
        step("portrait data")
        try:
            p = unit_portrait(store, unit, **kw) if unit else person_portrait(store, person, **kw)
        except PortraitError as exc:
            bar.close()
            raise click.ClickException(refused(exc)) from exc  # in the console's language
    finally:
        store.close()
    p["_view"] = {"list_all": list_all, "max_drawn": max_drawn}
    if warnings is None:  # said in the portrait too: 台账中无相关预警 would read as "the models found nothing"
        p["no_ledger"] = True
    step(steps[-2] if pdf else steps[-1])
    files = f"{out}" + (f", {pdf}" if pdf else "")
    if_interrupted(
        f"{files} not written (no half-written file is left); no portrait recorded in the audit log",
        f"没有写出 {files}（也没有留下写了一半的文件）；审计日志中没有记录本次预画像",
    )
    # written under other names and renamed when whole (a Ctrl-C or a full disk half way through the PDF left a
    # file that opened as a portrait); both files then the record, together
    written = None
    try:
        with whole_file(out) as part, whole_file(pdf) if pdf else contextlib.nullcontext() as part_pdf:
            if out.suffix.lower() == ".pdf":
                write_pdf(p, part, unmask=unmask, by=current_user(by), reason=reason or "", case=case, lang=lang)
            else:
                write(p, part, unmask=unmask, case=case or "", by=current_user(by), lang=lang)
            written = pdf
            if pdf:
                step("write pdf")
                write_pdf(p, part_pdf, unmask=unmask, by=current_user(by), reason=reason or "", case=case, lang=lang)
    except OSError as exc:
        from graphkit.cli.casefile import unwritten

        bar.close()
        raise click.ClickException(unwritten(written or out, exc)) from exc
    bar.update(1)
    bar.close()
    with finishing(
        f"{files} written whole and recorded in the audit log; only the closing line was not printed",
        f"{files} 已完整写出并记入审计日志；只是没有打印最后一行",
    ):
        _record_portrait(p, out, pdf, store_spec, unit, person, case, collusion, iforest, by, purpose, unmask, reason)
    risk = f"{p['risk']['risk']:.{p['risk'].get('decimals', 1)}f}"
    took = time.perf_counter() - t0
    if lang == "zh":
        from graphkit.portrait_render import LEVEL_ZH

        level = LEVEL_ZH.get(p["risk"]["level"], p["risk"]["level"])
        click.echo(f"{p['name']} 的预画像（风险 {risk}，{level}）→ {files}，用时 {took:.1f} 秒")
        return
    click.echo(f"portrait of {p['name']} (risk {risk}, {p['risk']['level']}) → {files} in {took:.1f} s", err=False)


def _record_portrait(
    p, out, pdf, store_spec, unit, person, case, collusion, iforest, by, purpose, unmask, reason
) -> None:
    """The portrait's audit record: the files written (with their SHA-256), the persons it shows, and how it was
    scored (``collusion``, ``iforest``: a portrait scored with ``--iforest W`` says W, as `rank`'s record does; it
    had been left out, so the record did not say which score the file carries)."""
    record(
        store_spec,
        "portrait",
        {
            "unit": unit,
            "person": person,
            "out": str(out),
            "pdf": str(pdf) if pdf else None,
            "case": case or None,
            "collusion": collusion,
            **({"iforest": iforest} if iforest else {}),
            **written_files(out, pdf),
            "persons": portrait_persons(p),
        },
        by=by,
        purpose=purpose,
        result=1,
        unmask=unmask,
        reason=reason,
    )


COMMANDS = [rank_cmd, portrait_cmd]
