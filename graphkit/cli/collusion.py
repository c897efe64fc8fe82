"""``graphkit collusion``: train and apply the tender-collusion scorer.

Commands register on the :data:`collusion` click group; :mod:`graphkit.cli` adds the group to ``main``.
Other modules add their own commands with ``@collusion.command()``.
"""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli.common import OutPath, if_interrupted, lang_option, new_folder, sheet_name, whole_file

#: ``--lang`` of train, adapt and score: the console's lines (the files they write are the same either way)
_LANG = lang_option(
    "The console's lines (notes, warnings, the closing line) in Chinese, or English as before (en); the files "
    "written are the same either way."
)
#: ``--lang`` of score-bids: the console's lines and the headers of the file it writes
_LANG_SCORES = lang_option(
    "The console's lines (notes, warnings, the closing lines) and the --out file's column headers in Chinese "
    "(标段, 风险, 预警, 优先复核, 理由 …), or in English as before (en: tender, risk, flagged, priority, "
    "reasons …); the values are the same either way."
)

#: ``--lang`` of score: the console's lines and the headers of the CSV files it writes
_LANG_REPORTS = lang_option(
    "The console's lines (the progress bar, the closing line) and the column headers of tenders.csv, bidders.csv "
    "and communities.csv in Chinese (标段, 风险, 理由 …, as score-bids --out heads its file), or in English as "
    "before (en: tender, risk, reasons …); the values are the same either way."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def collusion() -> None:
    """Tender collusion (围标串标): bid screens, scorer training and scoring."""


#: the progress bars' words in Chinese (``--lang zh``): the bar's name and its steps
_STEP_ZH: list[tuple[str, str]] = [
    (r"collusion score", "串标评分（知识图谱）"),
    (r"collusion train", "串标模型训练"),
    (r"collusion score-bids", "串标评分"),
    (r"collusion score-bids \(label-free\)", "串标评分（无标签）"),
    (r"collusion score-bids \(adapted\)", "串标评分（调整后的模型）"),
    (r"collusion adapt", "串标模型调整"),
    (r"reading", "读取"),
    (r"features", "特征"),
    (
        r"features of (?P<n>[\d,]+) tenders \(screens, 3-4-bid subgroups\)",
        "计算 {n} 个标段的特征（筛查指标、3-4 家子组）",
    ),
    (r"fitting", "拟合"),
    (r"fitting model (?P<k>\d+) of (?P<n>\d+)", "拟合第 {k}/{n} 个模型"),
    (
        r"fitting threshold fold (?P<f>\d+) of (?P<g>\d+) \(model (?P<k>\d+) of (?P<n>\d+)\)",
        "拟合阈值第 {f}/{g} 折（第 {k}/{n} 个模型）",
    ),
    (r"saving", "保存"),
    (r"screens", "筛查指标"),
    (r"scoring and reasons", "评分与理由"),
    (r"writing", "写入"),
    (r"bidder graph", "投标人关系图"),
    (r"communities", "社区发现"),
    (r"scores", "评分"),
    (r"tender screens", "标段筛查指标"),
    (r"shared identifiers", "共用标识"),
    (r"tender reasons", "标段理由"),
    (r"community scores", "社区评分"),
    (r"bidder scores", "投标人评分"),
    (r"words", "中文理由"),
    (r"opening the store", "打开数据库"),
    (r"reading the store", "读取数据库"),
    (r"bidder links", "投标人关联"),
    (r"reports", "报告"),
    (r"reports: (?P<f>\S+)", "报告：{f}"),
]


def _step(text: str, lang: str) -> str:
    """A progress bar's name or step as ``lang`` says it (Chinese: :data:`_STEP_ZH`; one it lacks as it is)."""
    if lang == "en":
        return text
    from graphkit.collusion.words import worded

    return worded(_STEP_ZH, text)


#: what `score-bids --out` writes, by the suffix
RESULT_SUFFIXES = (".csv", ".xlsx")
#: the columns each scored tender's row adds after its reasons (:func:`tender_facts`)
FACTS = ["bids", "winner", "winning_bid", "currency", "bidders"]
#: the ``currency`` of a tender whose file names none (:attr:`loaders.bids.BidTable.currency`): its amounts are as
#: the file writes them, whatever their currency or unit; said in the file's language, English under --lang en
#: (:data:`CURRENCY_UNSAID_EN`; it was the Chinese in an English file)
CURRENCY_UNSAID = "同原文件（未注明币种）"
CURRENCY_UNSAID_EN = "as in the file (no currency given)"
#: either, as a reader of a score file takes it, whichever language wrote the file
CURRENCY_UNSAID_ANY = frozenset({CURRENCY_UNSAID, CURRENCY_UNSAID_EN})
#: a currency said in Chinese (:attr:`loaders.bids.BidTable.currency`) -> how an English file says it (ISO 4217)
CURRENCY_EN = {"元": "CNY", CURRENCY_UNSAID: CURRENCY_UNSAID_EN}


def _refused_bids(exc: BaseException, lang: str) -> str:
    """A bid file refused whole (a required column missing, two columns read as one, a file that cannot be read) in
    the console's language (:func:`loaders.words.bids_refusal_zh`)."""
    from loaders.words import bids_refusal_zh

    return str(exc) if lang == "en" else bids_refusal_zh(str(exc))


#: a model file refused (graphkit.collusion.scorer.load, graphkit.collusion.adapt.load_any), in Chinese
_MODEL_FILE_ZH = [
    (
        r"(?P<p>.+): no such model file \(train one with `graphkit collusion train`\)",
        "{p}：没有这个模型文件（用 `graphkit collusion train` 训练一个）",
    ),
    (r"(?P<p>.+): not a graphkit collusion model file \((?P<why>.*)\)", "{p}：不是 graphkit 的串标模型文件（{why}）"),
    (
        r"(?P<p>.+): refusing to load types not known to be safe: (?P<t>.+)",
        "{p}：拒绝加载其中不确定安全的类型：{t}",
    ),
    (r"(?P<p>.+): holds an? (?P<t>\S+), not a graphkit collusion model", "{p}：其中是 {t}，不是 graphkit 的串标模型"),
    (r"(?P<p>.+): holds an? (?P<t>\S+), not a CollusionScorer", "{p}：其中是 {t}，不是 CollusionScorer 模型"),
]


def _refused_model(exc: BaseException, lang: str) -> str:
    """A model file that is not there or is no model, in the console's language."""
    from graphkit.model.words import by_rule

    return str(exc) if lang == "en" else by_rule(_MODEL_FILE_ZH, str(exc)) or str(exc)


def tender_facts(bids, currency: dict | None = None):
    """Per tender (and market) what an analyst acts on beside its risk: ``bids`` (how many), ``winner`` (the
    bidder of the winning bid, empty where none is marked), ``winning_bid``, ``currency`` (the currency or unit of
    its amounts as its file says it, ``currency``: file -> :attr:`loaders.bids.BidTable.currency`; where the file
    says none, :data:`CURRENCY_UNSAID`: the winning bid had no unit, and a Japanese file's yen read as yuan) and
    ``bidders`` (``A、B、C``, in bid order); the scores had none of it, so each row was joined back to the bid table
    by hand."""
    import pandas as pd

    b = bids.sort_values("bid", kind="stable")
    keys = ["market", "tender"] if "market" in b.columns else ["tender"]
    won = (b[b["winner"] == 1] if "winner" in b.columns else b.iloc[0:0]).drop_duplicates(keys).set_index(keys)
    g = b.groupby(keys, sort=False)
    out = pd.DataFrame({"bids": g.size()})
    named = "bidder" in b.columns  # a file without bidder ids names no bidder
    out["bidders"] = (
        g["bidder"].agg(lambda x: "、".join(dict.fromkeys(str(v) for v in x if pd.notna(v)))) if named else ""
    )
    out["winner"] = won["bidder"].reindex(out.index) if named else None
    out["winning_bid"] = as_written(won["bid"].reindex(out.index))
    if "src_file" in b.columns:
        said = {f: c for f, c in (currency or {}).items() if c}
        out["currency"] = [said.get(f, CURRENCY_UNSAID) for f in g["src_file"].first().reindex(out.index)]
    else:
        out["currency"] = CURRENCY_UNSAID
    return out[FACTS].reset_index()


def as_written(amounts):
    """Amounts as a bid table gives them: to the fen, a whole amount as an integer (``212000000``, where the float
    column had written ``212000000.0``), a missing one empty; an object column, so a CSV writes each as it is.

    >>> import pandas as pd
    >>> as_written(pd.Series([212000000.0, 1234.5, None, 0.1 + 0.2])).tolist()
    [212000000, 1234.5, None, 0.3]
    """
    import numpy as np

    v = np.round(amounts.to_numpy(dtype=float), 2)
    said = [None if not np.isfinite(x) else int(x) if x == int(x) else float(x) for x in v]
    return amounts.__class__(said, index=amounts.index, dtype=object)


def read_scores(path: Path, **kw):
    """A file `score-bids --out` wrote (CSV, or a workbook's sheet of every tender), its columns by key (tender, risk,
    flagged, priority, reasons …) whichever language headed them (:func:`graphkit.collusion.words.keyed`): a script
    written for the English headers reads the Chinese ones (标段, 风险, 预警, 优先复核, 理由 …) alike. ``kw`` goes to
    the pandas reader (``dtype=`` …, by key too). A ``currency`` reads as the Chinese file writes it whichever
    language wrote it (:data:`CURRENCY_EN` read backwards: CNY is 元, the English "as in the file" is
    :data:`CURRENCY_UNSAID`), so an English file and a Chinese one read back alike."""
    import pandas as pd

    from graphkit.collusion.words import either_header, keyed

    if isinstance(kw.get("dtype"), dict):  # by key: the header it may have been written under too
        kw["dtype"] = either_header(kw["dtype"])
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from graphkit.cli.common import sheet_of

        with pd.ExcelFile(path, engine="openpyxl") as book:  # its sheet of tenders in either language
            frame = pd.read_excel(book, sheet_name=sheet_of(book.sheet_names, "tenders") or TENDERS_SHEET, **kw)
    else:
        frame = pd.read_csv(path, encoding="utf-8-sig", **kw)
    frame = keyed(frame)
    if "currency" in frame.columns:
        frame["currency"] = frame["currency"].replace({en: zh for zh, en in CURRENCY_EN.items()})
    return frame


#: the sheet of a workbook `score-bids --out X.xlsx` puts first: the priority tier (优先复核), riskiest first, by its
#: key in :data:`graphkit.cli.common.SHEETS` (named 优先复核, ``--lang en`` priority)
PRIORITY_SHEET = "priority"
#: the sheet of every scored tender (标段, ``--lang en`` tenders)
TENDERS_SHEET = "tenders"


def write_result(
    result, out: Path, bids=None, lang: str = "zh", priority_note: str | None = None, currency: dict | None = None
) -> Path:
    """The scored tenders as CSV (UTF-8 with a BOM: Excel shows Chinese) or as an XLSX workbook, by the suffix;
    `--out scores.xlsx` had written CSV text under the workbook's name, which Excel will not open. With the bid
    table, each row also says its tender's bids, winner, winning bid, its currency (``currency``: the bid table's
    :attr:`~loaders.bids.BidTable.currency`) and bidders (:func:`tender_facts`). The
    reasons are in Chinese, the English kept as the last column ``reasons_en``
    (:func:`graphkit.collusion.words.bilingual`). Each column is headed by its Chinese name
    (:data:`graphkit.collusion.words.COLUMN_NOTES`: 标段, 风险, 预警, 优先复核, 理由 …), as a notebook shows the
    scores; ``lang="en"``: by its key (tender, risk, flagged, priority, reasons …), as before. A workbook's sheet
    说明 notes names each column's key, Chinese name and meaning; where the result has a ``priority`` column and
    the tier holds a tender, its first sheet (:data:`PRIORITY_SHEET`) is the tier, riskiest first, and
    ``priority_note`` (the tier's rule and size) is among the notes."""
    from graphkit.collusion.words import bilingual, column_notes, headed

    if bids is not None and len(bids):
        facts = tender_facts(bids, currency)
        on = [c for c in ("market", "tender") if c in result.columns and c in facts.columns]
        facts = facts[[*on, *FACTS]]
        for c in on:
            facts[c] = facts[c].astype(str)
        result = result.assign(**{c: result[c].astype(str) for c in on}).merge(facts, on=on, how="left")
        if lang == "en":  # the phrase in the file's language
            result["currency"] = result["currency"].replace(CURRENCY_EN)
    result = bilingual(result)
    keys = list(result.columns)
    result = headed(result, lang)
    if out.suffix.lower() == ".xlsx":
        from graphkit.cli.common import write_workbook

        # one language a file (its rows had read 文件 file, 列名 columns, each column's Chinese name under en)
        if lang == "en":
            notes = [
                (
                    "file",
                    f"tender collusion risk: a tender a row, the riskiest first (graphkit collusion score-bids, "
                    f"{out.name})",
                ),
                ("columns", "the first row is each column's key (--lang en); what each holds below"),
            ]
        else:
            notes = [
                ("文件", f"串标风险评分：每行一个标段，风险最高的在前（graphkit collusion score-bids，{out.name}）"),
                ("列名", "第一行是各列的中文名；各列的英文键、中文名与含义如下"),
            ]
        notes += column_notes(keys, lang="en" if lang == "en" else "zh")
        tier = None
        if "priority" in keys:
            tier = result[result.iloc[:, keys.index("priority")] == 1]
            if priority_note:
                notes.insert(1, ("priority tier" if lang == "en" else "优先复核", priority_note))
        sheets = [(PRIORITY_SHEET, tier)] if tier is not None and len(tier) else []
        write_workbook(result, out, notes, sheet=TENDERS_SHEET, first=sheets, lang=lang)
    else:
        with whole_file(out) as part:  # whole under its name or not at all (a Ctrl-C, a full disk)
            result.to_csv(part, index=False, encoding="utf-8-sig")
    return out


@collusion.command("score")
@click.option("--store", "store_spec", required=True, help="embedded:PATH or neo4j://HOST:PORT")
@click.option(
    "--out",
    "out",
    required=True,
    type=OutPath(folder=True),
    help="Folder for tenders.csv, bidders.csv, communities.csv, communities.html and communities.graphml "
    "(the riskiest communities' evidence for Gephi, yEd or i2).",
)
@click.option(
    "--method",
    type=click.Choice(["leiden", "multilevel", "louvain_nx"]),
    default="leiden",
    show_default=True,
    help="Community detection method.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of community detection.")
@click.option(
    "--resolution",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Modularity resolution (higher: smaller communities).",
)
@click.option(
    "--refine",
    default=0.3,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Split a community again when its own subgraph splits with at least this modularity (0: never).",
)
@click.option(
    "--max-size",
    default=100,
    show_default=True,
    type=click.IntRange(min=0),
    help="Always split communities larger than this (0: never).",
)
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(min=0),
    help="Riskiest communities drawn in communities.html (0: no HTML).",
)
@_LANG_REPORTS
def score(
    store_spec: str,
    out: Path,
    method: str,
    seed: int,
    resolution: float,
    refine: float,
    max_size: int,
    top: int,
    lang: str,
) -> None:
    """Score tenders, bidders and bidder communities of a knowledge graph, each with reasons."""
    from graphkit.cli.audit import check_log
    from graphkit.cli.common import open_for_reading
    from graphkit.collusion.kg import SCORE_STEPS, NoBids, score_store
    from graphkit.progress import tqdm
    from graphkit.reports import write_collusion_reports
    from graphkit.stores import StoreError

    check_log(store_spec)
    steps = ["opening the store", "reading the store", "bidder links", "communities", *SCORE_STEPS, "reports"]
    store = None
    try:
        # the bar first: opening a million-person store and reading its public keys took tens of seconds unsaid
        with tqdm(total=len(steps), unit="step", desc=_step("collusion score", lang)) as bar:

            def step(name: str) -> None:
                if name != steps[0]:  # the previous step is done
                    bar.update(1)
                bar.set_postfix_str(_step(name, lang))

            step("opening the store")
            # read-only: a mistyped path is said, never made an empty store; it holds the store's public plates and
            # addresses (a company's registered address in the reports' evidence is in clear): asked once, where the
            # command asked again (55,536 keys, seconds at a million persons)
            store = open_for_reading(store_spec)
            scores = score_store(
                store,
                method=method,
                seed=seed,
                resolution=resolution,
                refine=refine or None,
                max_size=max_size or None,
                progress=step,
            )
            step("reports")
            with new_folder(out) as made:  # a folder it makes and does not finish is removed, never the user's
                if_interrupted(
                    *(
                        (
                            f"the reports in {out} are incomplete (the store is unchanged): run the command again",
                            f"{out} 中的报告不完整（库未改动）：请重新运行本命令",
                        )
                        if made is None
                        else (
                            f"{made} was removed: this command made it and had not finished the reports (the store "
                            "is unchanged); run the command again",
                            f"{made} 由本命令新建，报告尚未写完，已删除（库未改动）；请重新运行本命令",
                        )
                    )
                )
                paths = write_collusion_reports(
                    scores,
                    out,
                    store=store,
                    top=top,
                    progress=lambda f: bar.set_postfix_str(_step(f"reports: {f}", lang)),
                    lang=lang,
                )
            if_interrupted(
                f"the reports in {out} are written whole (the store is unchanged); the audit log has no record of "
                "this run",
                f"{out} 中的报告已完整写出（库未改动）；审计日志中没有记录本次运行",
            )
            bar.update(1)
    except NoBids as exc:
        raise click.ClickException(
            f"{store_spec}: {exc}"
            if lang == "en"
            else f"{store_spec}：库中没有报价：请用 `graphkit load` 加载采购部门的招标项目和投标记录（tenders.csv、"
            "bids.csv），或用 `graphkit collusion score-bids 文件` 为一张报价表评分"
        ) from exc
    except StoreError as exc:
        raise click.ClickException(
            f"{exc} (is this a graphkit store loaded with `graphkit load`?)"
            if lang == "en"
            else f"{exc}（这是用 `graphkit load` 加载的 graphkit 库吗？）"
        ) from exc
    finally:
        if store is not None:
            store.close()
    t, c = scores.tenders, scores.communities
    single = int(t["single_bid"].sum()) if "single_bid" in t.columns else 0
    risky, part = int((t["risk"] >= 0.5).sum()), scores.partition
    click.echo(
        f"{len(t):,} tenders ({risky:,} at risk ≥ 0.5; {single:,} single-bid, no risk: "
        f"column single_bid), {len(scores.bidders):,} "
        f"bidders, {len(c):,} communities of two or more ({part.method}, "
        f"modularity {part.modularity:.3f})"
        if lang == "en"
        else f"{len(t):,} 个标段（风险 ≥ 0.5 的 {risky:,} 个；仅一家投标、不评风险的 {single:,} 个："
        "见“单一报价”列），"
        f"{len(scores.bidders):,} 家投标企业，两家以上的投标人社区 {len(c):,} 个（{part.method}，模块度 "
        f"{part.modularity:.3f}）"
    )
    from graphkit.cli.audit import record

    record(
        store_spec,
        "collusion score",
        {"out": str(out), "method": method, "seed": seed, "top": top},
        by=None,
        purpose=None,
        result=len(t),
    )
    if_interrupted(
        f"the reports in {out} are written whole and the run is in the audit log; only the list of files was not "
        "printed",
        f"{out} 中的报告已完整写出，本次运行已记入审计日志；只是没有打印完文件清单",
    )
    files_zh = {"tenders": "标段", "bidders": "投标人", "communities": "社区", "html": "社区图", "graphml": "GraphML"}
    for name, p in paths.items():
        click.echo(f"{name}: {p}" if lang == "en" else f"{files_zh.get(name, name)}：{p}")


# ---------------------------------------------------------------------------------------------------
# bid tables: train a scorer on labelled markets, score any bid table
# ---------------------------------------------------------------------------------------------------
_SHOW = 20  # malformed rows printed on the terminal; all of them go to the quarantine CSV


_MARKET_HELP = (
    "Market the bids belong to [default: the file's market column, else the file's name]. Screens are "
    "compared within a market, and bidder ids and segments keep their record per market: give a later "
    "file of the same market the name its model was trained under."
)


def _read(
    paths: list[Path],
    *,
    with_label: bool,
    quarantine: Path,
    bar,
    segment: str | None = None,
    segment_required: bool = True,
    market: str | None = None,
    lang: str = "zh",
    segment_hint: bool = False,
) -> object:
    """The bid files read, each fault, warning and note said in ``lang``, and the count line; ``segment_hint``: an
    unread column that reads like the tenders' kind (:func:`loaders.bids.segment_like`, by its values) is said
    with the option that would use it, ``--segment COLUMN`` (the commands that have it)."""
    from loaders.bids import LoadError, read_bids

    try:
        table = read_bids(
            paths, market=market, with_label=with_label, segment=segment, segment_required=segment_required
        )
    except LoadError as exc:
        raise click.ClickException(_refused_bids(exc, lang)) from exc
    bar.update(1)
    rep = table.report
    import shlex
    import sys

    from graphkit.collusion.words import dropped_zh, listed, quarantine_zh, read_note_zh
    from graphkit.model import record_unit
    from graphkit.model.mask import mask_text
    from graphkit.progress import tqdm
    from loaders.report import LINES_SHOWN, lines_of
    from loaders.words import load_zh

    def say(line: str) -> None:
        tqdm.write(line, file=sys.stderr)  # above the progress bar, not on its line

    for q in rep.quarantine[:_SHOW]:
        # a faulty line is quoted whole: an ID number, phone or account in it is masked (the quarantine
        # file, private to the case, keeps the line as read); a CSV's record is a line, a workbook's a row
        unit = record_unit(q.file)
        if lang == "en":
            where = f", column {q.column}" if q.column else ""
            say(f"{q.file} {unit} {q.row}{where}: {q.reason} ({mask_text(q.value)!r}); {unit} left out")
        else:
            where = f"，{q.column} 列" if q.column else ""
            say(f"{q.file} 第 {q.row} 行{where}：{quarantine_zh(q.reason)}（{mask_text(q.value)!r}），该行未用")
    if len(rep.quarantine) > _SHOW:
        units = {record_unit(q.file) for q in rep.quarantine[_SHOW:]}
        more = len(rep.quarantine) - _SHOW
        say(
            f"… and {more:,} more malformed {'lines' if units == {'line'} else 'records'}"
            if lang == "en"
            else f"……另有 {more:,} 行格式有误"
        )
    rows: dict[tuple, list[int]] = {}
    for d in rep.dropped:  # each bad optional value with its line
        rows.setdefault((d.file, d.header or d.column, d.reason), []).append(d.row)
    for (file, column, reason), n in sorted(table.warnings.items()):
        if lang == "en":
            at = f", {lines_of(file, rows[(file, column, reason)])}" if (file, column, reason) in rows else ""
            say(f"{file}{at}, column {column}: {n:,} value{'s' if n > 1 else ''} {reason}; treated as missing")
            continue
        at = ""
        if (file, column, reason) in rows:
            lines = sorted(set(rows[(file, column, reason)]))
            at = "，第 " + "、".join(map(str, lines[:LINES_SHOWN])) + " 行"
            at += f"等 {len(lines):,} 行" if len(lines) > LINES_SHOWN else ""
        say(f"{file}{at}，{column} 列：{n:,} 个值{dropped_zh(reason)}，按缺失处理")
    for note in rep.warnings:  # a workbook's other sheets left out; a bidder bidding twice in one tender
        say(f"warning: {mask_text(note)}" if lang == "en" else f"注意：{read_note_zh(mask_text(note))}")
    for f in rep.files if segment_hint else ():
        for column, k, some in f.segment_like:
            said = listed((mask_text(v) for v in some), lang) + (" …" if k > len(some) else "")
            option = f"--segment {shlex.quote(column)}"
            say(
                f"hint: {f.file}: column {column} looks like the tenders' kind ({k} values: {said}; the same on "
                f"every bid of a tender): if it is the contract type, {option} uses it"
                if lang == "en"
                else f"提示：{f.file} 的 {column} 列看来是标段的类别（{k} 种取值：{said}；"
                f"同一标段的各份报价取值相同）：若它是合同类型，加 {option} 即可使用它"
            )
    for note in (n for f in rep.files for n in f.notes()):  # said in English alone, as `graphkit load` says it
        say(f"note: {note}" if lang == "en" else f"注意：{load_zh(note)}")
    rep.write_quarantine(quarantine)
    t = rep.totals()
    sheets_read = f" ({len(rep.files)} sheets)" if len(rep.files) > len(paths) else ""
    if lang == "en":
        read = (
            f"read {t['read']:,} bids from {len(paths)} file(s){sheets_read}: {t['loaded']:,} used, "
            f"{t['quarantined']:,} quarantined ({quarantine})"
        )
    else:
        sheets = f"（共 {len(rep.files)} 个工作表）" if sheets_read else ""
        read = (
            f"从 {len(paths)} 个文件{sheets}读取 {t['read']:,} 条报价：采用 {t['loaded']:,} 条，"
            f"隔离 {t['quarantined']:,} 条（{quarantine}）"
        )
    tqdm.write(read, file=sys.stdout)
    if table.bids.empty:
        raise click.ClickException("no usable bid left to work on" if lang == "en" else "没有可用的报价")
    return table


@collusion.command("train", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--bids",
    "first",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled bid table(s) (column Collusive_competitor); more files may follow: --bids A.csv B.csv",
)
@click.argument("more", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=OutPath(),
    help="Model file to write (skops format).",
)
@click.option(
    "--normalise",
    type=click.Choice(["rank", "zscore", "none"]),
    default="rank",
    show_default=True,
    help="How screens are compared within a market (each file is a market unless it has a market column).",
)
@click.option(
    "--bidder-history/--no-bidder-history",
    default=True,
    show_default=True,
    help="Learn which bidders sat in collusive training tenders (helps only where the same firms bid again: a "
    "later file of a training market; for markets it was not trained on, --no-bidder-history).",
)
@click.option(
    "--segment",
    default=None,
    metavar="COLUMN",
    help="Column naming each tender's kind of contract or work (e.g. Contract_type): the model keeps a "
    "record of how often each kind was collusive in its market's training tenders, and score-bids "
    "reads the same column.",
)
@click.option("--market", default=None, metavar="NAME", help=_MARKET_HELP)
@click.option(
    "--quarantine",
    type=OutPath(),
    default=None,
    help="CSV of malformed rows [default: <out>.quarantine.csv].",
)
@click.option(
    "--max-iter",
    default=300,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Boosting iterations (fewer: faster training, coarser model).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed of the model.")
@_LANG
def train(
    first: Path,
    more: tuple[Path, ...],
    out: Path,
    normalise: str,
    bidder_history: bool,
    segment: str | None,
    market: str | None,
    quarantine: Path | None,
    max_iter: int,
    seed: int,
    lang: str,
) -> None:
    """Train a tender-collusion scorer on labelled bid tables.

    The label is the tender-level Collusive_competitor column; screens are computed from Bid_value
    (the tables' precomputed screen columns are not read), and Tender and Date are never features."""
    import re

    from graphkit.collusion.features import tender_features
    from graphkit.collusion.scorer import CollusionScorer
    from graphkit.progress import tqdm
    from loaders.bids import tender_labels

    paths = [first, *more]
    q = quarantine or out.with_name(out.name + ".quarantine.csv")
    # steps: reading, features, each model fit (the final model and one per threshold fold: the long part,
    # so the bar moves per fit rather than standing still through all of them), saving
    with tqdm(total=4, unit="step", desc=_step("collusion train", lang)) as bar:

        def fitting(stage: str) -> None:
            """The scorer's 'model k of n' moves the bar one step per model fitted."""
            m = re.search(r"model (\d+) of (\d+)", stage)
            if m:
                bar.total = 3 + int(m[2])
                bar.n = 2 + int(m[1]) - 1  # reading and features done, the fits before this one
            bar.set_postfix_str(_step(f"fitting {stage}", lang))  # refreshes the bar with the new count

        bar.set_postfix_str(_step("reading", lang))
        table = _read(
            paths, with_label=True, quarantine=q, bar=bar, segment=segment, market=market, lang=lang, segment_hint=True
        )
        bar.set_postfix_str(
            _step(f"features of {table.bids['key'].nunique():,} tenders (screens, 3-4-bid subgroups)", lang)
        )
        feats = tender_features(table.bids, random_state=seed)
        y = tender_labels(table.bids).reindex(feats.index)
        keep = y.notna()
        if (~keep).any():
            n = int((~keep).sum())
            _say(
                f"{n:,} tenders without a label left out of training"
                if lang == "en"
                else f"{n:,} 个标段无标签，未用于训练"
            )
        feats, y = feats[keep], y[keep].astype(int)
        if y.nunique() < 2:
            found = int(y.iloc[0]) if len(y) else None
            raise click.ClickException(
                "training needs both collusive and competitive tenders "
                f"(found only label {'none' if found is None else found})"
                if lang == "en"
                else "训练需要串标和非串标两种标段（" + ("没有标签" if found is None else f"只有标签 {found}") + "）"
            )
        bar.update(1)
        bar.set_postfix_str(_step("fitting", lang))
        scorer = CollusionScorer(
            normalise=normalise, bidder_history=bidder_history, segment=segment, max_iter=max_iter, random_state=seed
        ).fit(feats, y, progress=fitting)
        bar.n = bar.total - 1  # every fit done
        bar.set_postfix_str(_step("saving", lang))
        with whole_file(out) as part:  # whole under its name or not at all (a Ctrl-C, a full disk)
            scorer.save(part)
        bar.update(1)
    for m, grp in feats.groupby("market", sort=False):
        yy = y[grp.index]
        click.echo(
            f"  {m}: {len(grp):,} tenders, {int(yy.sum()):,} collusive"
            if lang == "en"
            else f"  {m}：{len(grp):,} 个标段，其中串标 {int(yy.sum()):,} 个"
        )
    click.echo(
        f"model: {out} (threshold {scorer.threshold_:.3f}, chosen on training data; {len(scorer.columns_)} features)"
        if lang == "en"
        else f"模型：{out}（阈值 {scorer.threshold_:.3f}，按训练数据选定；{len(scorer.columns_)} 个特征）"
    )


@collusion.command("score-bids", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("bids_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--model",
    "model",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Model file from `graphkit collusion train` or `adapt` [default: none, the label-free screen score].",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=OutPath(),
    help="CSV or XLSX to write (by the suffix): one row per tender, columns tender, risk (0-1), flagged, "
    "priority (the short list to review first), reasons; riskiest first.",
)
@click.option("--market", default=None, metavar="NAME", help=_MARKET_HELP)
@click.option(
    "--segment",
    "lf_segment",
    default=None,
    metavar="COLUMN",
    help="Column naming each tender's kind of contract (e.g. Contract_type) for the label-free score: screens "
    "are then ranked within the kind as well as within the number of bids, and each tender is read next to "
    "the other tenders of its kind. With --model it serves the label-free score of a market the model was "
    "not trained on (a model trained with --segment reads its own column).",
)
@click.option(
    "--quarantine",
    type=OutPath(),
    default=None,
    help="CSV of malformed rows [default: <out>.quarantine.csv].",
)
@_LANG_SCORES
def score_bids(
    bids_file: Path,
    model: Path | None,
    out: Path,
    market: str | None,
    lf_segment: str | None,
    quarantine: Path | None,
    lang: str,
) -> None:
    """Score every tender of a bid table (Tender, Bid_value; Competitors, Winner, PTE, Number_bids used
    when present; Date is checked but, like Tender, never a feature) with a trained model, or without
    one from the label-free screen score (published screens oriented by theory, ranked within the
    file's own market; README, tender collusion: no labelled past).

    Malformed rows (no tender, a bid that is not a positive number) are reported with file, row and
    column, written to the quarantine CSV and left out; the other bids are scored.

    Screens are compared within the market (the file, or its market column) and the bidders'
    behaviour (rotation, losers who never win, how many tenders they enter) is read from the file
    itself: score a market's tenders together, with their history, rather than a handful at a time.

    A model trained with --segment COLUMN reads that column too; a file without it is scored with
    each tender rated like its market on that point (and a warning).

    The bidders' and segments' record applies within the market it was learned in. A file whose
    market the model does not know (by default the market is the file's name) is scored without it,
    and a warning names the markets the model knows: pass --market NAME for a later file of one."""
    from graphkit.collusion.adapt import AdaptedScorer, load_any
    from graphkit.collusion.features import tender_features
    from graphkit.collusion.scorer import score_tenders
    from graphkit.progress import tqdm

    if out.suffix.lower() not in RESULT_SUFFIXES:  # before any work: CSV text named .xlsx is a broken workbook
        raise click.BadParameter(
            f"{out}: the scores are written as {' or '.join(RESULT_SUFFIXES)} (by the suffix)"
            if lang == "en"
            else f"{out}：评分结果按后缀写成 {' 或 '.join(RESULT_SUFFIXES)}",
            param_hint="--out",
        )
    q = quarantine or out.with_name(out.name + ".quarantine.csv")
    if model is None:
        _score_label_free(bids_file, out, market, lf_segment, q, lang)
        return
    try:
        scorer = load_any(model)
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(_refused_model(exc, lang)) from exc
    if isinstance(scorer, AdaptedScorer):
        _score_adapted(bids_file, scorer, out, market, q, lang)
        return
    with tqdm(total=4, unit="step", desc=_step("collusion score-bids", lang)) as bar:
        bar.set_postfix_str(_step("reading", lang))
        segment = getattr(scorer, "segment", None) if getattr(scorer, "segment_stats_", None) is not None else None
        if lf_segment and segment and lf_segment != segment:
            raise click.ClickException(
                f"--segment {lf_segment} names another column than the one {model.name} was trained with "
                f"({segment}): leave --segment out, or give {segment}"
                if lang == "en"
                else f"--segment {lf_segment} 与 {model.name} 训练时用的列（{segment}）不同：请不加 --segment，"
                f"或给出 {segment}"
            )
        table = _read(
            [bids_file],
            with_label=False,
            quarantine=q,
            bar=bar,
            segment=segment or lf_segment,
            segment_required=segment is None,  # a column the user names must be there; the model's may be missing
            market=market,
            lang=lang,
            segment_hint=segment is None,  # a model with a segment of its own refuses another
        )
        if segment and "segment" not in table.bids.columns:
            _say(
                f"{bids_file.name} has no column {segment!r}, which the model keeps a record of: every tender "
                f"is rated like its market on that point"
                if lang == "en"
                else f"{bids_file.name} 没有模型有记录的 {segment!r} 列：每个标段在这一点上按其市场的一般情况评定"
            )
        records = ["bidders"] if scorer.firm_stats_ is not None else []
        if segment:
            records.append(f"{segment}s")
        unknown = [m for m in table.markets if m not in scorer.markets_]
        from graphkit.collusion.adapt import UNSEEN_DEFAULT

        if unknown and lang != "en":
            _say(_unseen_zh(scorer, unknown, segment))
        elif unknown:
            without = f"its {' and '.join(records)} are scored without the model's record of them. " if records else ""
            if scorer.firm_stats_ is not None:  # trees that learned with a record no firm of this market has
                without += (
                    "For markets it was not trained on, a model trained with --no-bidder-history is the one the "
                    f"bench measures there ({_README_UNSEEN_EN}). "
                )
            use = {
                "model": "it is scored by the model all the same",
                "label-free": "it is scored by the label-free screen score instead of the model",
                "blend": "it is scored by the mean of the model's and the label-free screen score's within-market "
                "percentiles",
                "guarded": "it is scored by the label-free screen score with the model's within-market percentile "
                "as one more family (weighing what one family of screens weighs) if the two rank its tenders "
                "alike (Spearman correlation above 0), else by the label-free screen score alone (a model that "
                "ranks against the theory-oriented screens has not carried over)",
            }[UNSEEN_DEFAULT]
            _say(  # above the progress bar, not on its line
                f"market {', '.join(map(repr, unknown))} is not one the model was trained on "
                f"({', '.join(map(repr, scorer.markets_))}): {without}A model learned on other markets carries "
                f"poorly to a new one, so {use} ({_README_UNSEEN_EN}). With 10-50 "
                f"confirmed tenders of this market, `graphkit collusion adapt`. For a later file of a market the "
                f"model knows, pass --market NAME."
            )
        bar.set_postfix_str(_step("features", lang))
        feats = tender_features(table.bids, random_state=scorer.random_state)
        bar.update(1)
        bar.set_postfix_str(_step("scoring and reasons", lang))
        try:
            result = score_tenders(feats, scorer, progress=bar.update)
            used, lf_thresholds = {}, {}
            if unknown and UNSEEN_DEFAULT != "model":
                result, used, lf_thresholds = _unseen_result(feats, scorer, result, set(unknown), UNSEEN_DEFAULT, lang)
        except ValueError as exc:
            said = f"{model} cannot score {bids_file.name}" if lang == "en" else f"{model} 无法为 {bids_file.name} 评分"
            raise click.ClickException(f"{said}: {exc}") from exc
        from graphkit.collusion.unsupervised import note_dropped, rank_scores

        if "flagged" not in result.columns:  # every tender of a market the model knows: its own threshold
            import numpy as np

            flagged = (np.nan_to_num(result["risk"].to_numpy(dtype=float), nan=-1.0) > scorer.threshold_).astype(int)
            result.insert(result.columns.get_loc("risk") + 1, "flagged", flagged)
        # the priority tier on the risk written, as without a model (a model's scores had none)
        result = note_dropped(rank_scores(result), feats, table.dropped)
        bar.set_postfix_str(_step("writing", lang))
        out.parent.mkdir(parents=True, exist_ok=True)
        note = _priority_line(result, out, lang)
        write_result(result, out, table.bids, lang=lang, priority_note=note, currency=table.currency)
        bar.update(1)
    # each unseen market's label-free threshold by its value and rule, as the label-free score's line gives them
    # (the line had said "本市场的无标签阈值" with no number)
    from graphkit.collusion.words import rule_zh

    # a market scored by the label-free score alone has the label-free threshold; one the model joins, the same
    # rule on the combined risk (adapt.unseen_thresholds): the line says which, where it had called both the
    # label-free threshold
    if lang != "en":
        flag = f"高于模型阈值 {scorer.threshold_:.3f}"
        if lf_thresholds:
            thr = "；".join(f"{m}：风险 {t:.3f}，{rule_zh(r)}" for m, (t, r) in lf_thresholds.items())
            flag = f"高于所在市场的阈值（模型未训练过的市场；{thr}）" + (
                f"，或在模型已知的市场{flag}" if set(unknown) != set(table.markets) else ""
            )
    elif lf_thresholds:
        thr = "; ".join(f"{m} {t:.3f}, {r}" for m, (t, r) in lf_thresholds.items())
        flag = f"above its market's threshold (unseen market; {thr})"
        if set(unknown) != set(table.markets):
            flag += f", or the model's threshold {scorer.threshold_:.3f} in the markets it knows"
    else:
        flag = f"above the model's threshold {scorer.threshold_:.3f}"
    _summary(result, feats, out, how=_how_unseen(used, unknown, table.markets, lang), flag=flag, lang=lang)


#: where the README says how an unseen market is scored, for a Chinese line: the README is English, so the section
#: and paragraph by their own titles, in a Chinese sentence (the line had ended on the English pointer alone)
_README_UNSEEN_ZH = "见 README 的“Tender collusion (围标串标)”一节中“Unseen markets with a model”一段"
#: the same pointer for --lang en, by the same titles (it had read "README, tender collusion: unseen markets", which
#: is no title of the README's)
_README_UNSEEN_EN = "README, section 'Tender collusion (围标串标)', paragraph 'Unseen markets with a model'"


def _unseen_zh(scorer, unknown: list[str], segment: str | None) -> str:
    """The warning that a market is not one the model was trained on, and what scores it instead, in Chinese."""
    from graphkit.collusion.adapt import UNSEEN_DEFAULT
    from graphkit.collusion.words import listed

    records = (["投标人"] if scorer.firm_stats_ is not None else []) + ([f"{segment} 类别"] if segment else [])
    without = f"该市场的{'和'.join(records)}评分时没有模型对它们的记录。" if records else ""
    if scorer.firm_stats_ is not None:
        without += f"对未训练过的市场，基准测试衡量的是用 --no-bidder-history 训练的模型（{_README_UNSEEN_ZH}）。"
    use = {
        "model": "仍用该模型评分",
        "label-free": "改用无标签筛查评分，不用该模型",
        "blend": "按模型与无标签筛查评分各自的市场内百分位的均值评分",
        "guarded": "用无标签筛查评分；若模型与它对该市场标段的排序一致（Spearman 相关系数大于 0），把模型的市场内"
        "百分位作为又一个指标族（与一族筛查指标同权）并入，否则只用无标签筛查评分（与按理论定向的筛查指标排序相反"
        "的模型没有移用过来）",
    }[UNSEEN_DEFAULT]
    return (
        f"市场 {listed(map(repr, unknown))} 不是模型训练过的市场"
        f"（{listed(map(repr, scorer.markets_))}）：{without}"
        f"在其他市场学到的模型移用到新市场效果差，因此{use}（{_README_UNSEEN_ZH}）。"
        f"有本市场 10-50 个已核实标段时，可用 `graphkit collusion adapt` 调整模型。若是模型已知市场的后续文件，"
        f"请加 --market NAME。"
    )


def _how_unseen(used: dict, unknown: list[str], markets: list[str], lang: str = "en") -> str:
    """What scored the tenders, for the closing line: the model, or in a market it was not trained on what the
    unseen-market default used there (``used``: market -> (Spearman correlation, "blend" or "label-free")): the
    model as one family of the label-free score, or the label-free score alone, where the model scored none of
    the market's tenders. One body for both languages, the words by ``lang``."""
    from graphkit.collusion.adapt import UNSEEN_DEFAULT
    from graphkit.collusion.words import listed

    en = lang == "en"
    model = "with the model" if en else "用模型"
    if not unknown:
        return model
    if UNSEEN_DEFAULT == "blend":
        blend = (
            "the mean of the model's and the label-free screen score's within-market percentiles"
            if en
            else "模型与无标签筛查评分各自市场内百分位的均值"
        )
    else:
        blend = (
            "the label-free screen score with the model as one more family"
            if en
            else "无标签筛查评分（模型作为又一个指标族）"
        )
    parts = (
        []
        if len(unknown) == len(markets)
        else ["with the model in the markets it knows" if en else "在模型已知的市场用模型"]
    )
    for what, words in (
        ("model", model),
        ("blend", f"by {blend}" if en else f"按{blend}"),
        (
            "label-free",
            "by the label-free screen score alone (the model does not rank the tenders as the screens do)"
            if en
            else "仅按无标签筛查评分，模型对标段的排序与筛查指标不一致",
        ),
    ):
        ms = [m for m in unknown if used.get(m, (None, "model"))[1] == what]
        if not ms:
            continue
        if len(ms) == len(markets):
            parts.append(words)
        else:
            named = listed(map(repr, ms), lang)
            parts.append(f"{words} in {named}" if en else f"在市场 {named} {words}")
    return ("; " if en else "；").join(parts) or model


def _say(line: str) -> None:
    """A warning on stderr above the progress bar (tqdm.write), never on the bar's own line."""
    import sys

    from graphkit.progress import tqdm

    tqdm.write(line, file=sys.stderr)


def _say_cover(label_free, markets=None, lang: str = "en") -> None:
    """The one line naming the cover screens the label-free score left out (of ``markets``, default all) and why:
    the share of tenders the lowest bid wins there (:func:`graphkit.collusion.unsupervised.cover_note`)."""
    from graphkit.collusion.unsupervised import cover_note

    note = cover_note(label_free, markets, lang=lang)
    if note:
        _say(note)


#: a market with fewer scored tenders than this is said to be too small to rank within
SMALL_MARKET = 20


def _summary(result, feats, out: Path, *, how: str, flag: str, lang: str = "en") -> None:
    """The one closing line of `score-bids` in every mode: tenders scored, flagged, and those left unscored with
    their reason (one bid; every bid quarantined; no screen defined), which add up to the rows written."""
    import numpy as np

    from graphkit.collusion.unsupervised import unscorable

    single = int(unscorable(feats).sum())
    lost = len(result) - len(feats)  # tenders that lost every bid: note_dropped adds one row each
    other = int(result["risk"].isna().sum()) - single - lost
    scored = len(result) - single - lost - other
    en = lang == "en"
    left = (
        [f"{single:,} single-bid", f"{lost:,} without a usable bid"]
        if en
        else [f"{single:,} 个仅一家投标", f"{lost:,} 个无可用报价"]
    )
    if other:
        left.append(f"{other:,} with no screen defined" if en else f"{other:,} 个没有可计算的筛查指标")
    markets = feats["market"] if "market" in feats.columns else None
    if markets is not None:
        few = markets[~np.asarray(unscorable(feats))].value_counts()
        for m, k in few[few < SMALL_MARKET].items():
            if not en:
                click.echo(
                    f"注意：市场 {m} 只有 {k:,} 个已评分标段，在这么少的标段中排名说明不了什么（“本市场最低的 25%”是 "
                    f"{k} 个中的排名）；请把该文件与本市场的其余标段（一年的标段，或其项目的其他标段）一起评分",
                    err=True,
                )
                continue
            click.echo(
                f"warning: market {m} has {k:,} scored tender{'s' if k > 1 else ''}: a rank among so few says little "
                f'("lowest 25 % of this market\'s tenders" is one of {k}); score the file with the rest of the '
                "market's tenders (a year of them, or the other lots of its projects)",
                err=True,
            )
    flagged = int(result["flagged"].sum())
    click.echo(
        f"scored {scored:,} tenders {how}: {flagged:,} flagged {flag}; "
        f"{', '.join(left[:-1])} and {left[-1]} left unscored with the reason; wrote {out}"
        if en
        else f"已评分 {scored:,} 个标段（{how}）：{flagged:,} 个标记为可疑，{flag}；{'、'.join(left)}，未评分，"
        f"已注明原因；已写入 {out}"
    )
    line = _priority_line(result, out, "en" if en else "zh")
    if line:
        click.echo(line)


def _priority_line(result, out: Path, lang: str = "zh") -> str | None:
    """The priority tier's closing line (and a workbook's note): how many tenders it holds, of how many scored, in
    which column or sheet, and its rule (:func:`graphkit.collusion.unsupervised.priority_rule`); ``None`` where the
    result has no tier."""
    from graphkit.collusion.unsupervised import priority_rule

    if "priority" not in result.columns:
        return None
    n, scored = int(result["priority"].sum()), int(result["risk"].notna().sum())
    per = ""
    if "market" in result.columns and result["market"].nunique() > 1:
        g = result.groupby("market", sort=False)
        counts = g["priority"].sum().astype(int)
        of = g["risk"].count()
        sep = "；" if lang == "zh" else "; "
        per = sep.join(f"{m} {counts[m]:,}/{of[m]:,}" for m in counts.index)
        per = f"（{per}）" if lang == "zh" else f" ({per})"
    xlsx = out.suffix.lower() == ".xlsx"
    if lang == "zh":
        where = f"工作簿第一页“{sheet_name(PRIORITY_SHEET)}”" if xlsx and n else "“优先复核”列为 1 的行"
        return f"优先复核：{n:,} 个标段（已评分 {scored:,} 个）{per}，见{where}；规则：{priority_rule('zh')}" + (
            "；本次没有已评分的标段" if not n else ""
        )
    where = (
        f"the workbook's first sheet '{sheet_name(PRIORITY_SHEET, 'en')}'" if xlsx and n else "the rows with priority 1"
    )
    return f"priority tier: {n:,} of {scored:,} scored tenders{per}, in {where}; rule: {priority_rule('en')}" + (
        "; no tender was scored here" if not n else ""
    )


def _unseen_result(feats, scorer, result, unknown: set, how: str, lang: str = "en"):
    """Replace the model's risk of tenders of unknown markets by the unseen-market default (adapt.UNSEEN_DEFAULT);
    with what scored each market and each market's label-free threshold (value, rule) its tenders are flagged above."""
    import sys

    import numpy as np
    import pandas as pd

    from graphkit.collusion.adapt import model_weight, unseen_choice, unseen_thresholds
    from graphkit.collusion.unsupervised import LabelFreeScorer
    from graphkit.progress import tqdm

    lf = LabelFreeScorer(random_state=scorer.random_state).fit(feats)
    _say_cover(lf, unknown, lang)
    lf_risk, lf_reasons = lf.explain(feats)
    risk, used = unseen_choice(feats, scorer, how=how, label_free=lf, label_free_risk=lf_risk)
    mk0 = result["market"].astype(str).to_numpy() if "market" in result.columns else None
    for m in sorted(unknown):
        rho, what = used[m]
        model_risks = (result["risk"][mk0 == m] if mk0 is not None else result["risk"]).dropna()
        said = {
            "blend": "the mean of the two"
            if how == "blend"
            else f"the label-free screen score with the model's percentile as one more family (weight "
            f"{model_weight(lf, m):.2f})",
            "label-free": "the label-free screen score alone",
        }[what]
        if np.isfinite(rho):
            agree = f"rank its tenders with Spearman correlation {rho:.2f}"
        elif len(model_risks) >= 3 and model_risks.nunique() == 1:  # nothing to correlate: the model says one thing
            agree = (
                f"cannot be compared: the model gives all {len(model_risks):,} tenders the same risk "
                f"({model_risks.iloc[0]:.2g}; what it learnt does not vary here"
                + (", a bidders' record no firm of a new market has" if scorer.firm_stats_ is not None else "")
                + ")"
            )
        else:
            agree = "cannot be compared (fewer than 3 tenders both score)"
        if lang != "en":
            line = _unseen_choice_zh(m, rho, what, how, model_risks, lf, scorer)
        else:
            read = ", ".join(lf.context_used_.get(m, [])) or "no context family"
            line = (
                f"market {m!r}: the model's risk and the label-free screen score {agree}; scored by {said} "
                f"(the label-free score reads the screens and {read})"
            )
        tqdm.write(line, file=sys.stderr)  # above the progress bar, not on its line
    market = feats["market"].astype(str).to_numpy()
    # each market's threshold on the risk it is scored by (a blended market's is cut on the blended risk; the
    # label-free threshold applied to it had flagged another share than its rule says)
    thresholds = unseen_thresholds(risk, market, {m: used[m] for m in unknown}, lf)
    thr = np.array([thresholds.get(m, (0.5, ""))[0] for m in market], dtype=float)
    mk = result["market"].astype(str) if "market" in result.columns else pd.Series(market[0], index=result.index)
    key_model = dict(zip(zip(mk, result["tender"].astype(str), strict=True), result["reasons"], strict=True))
    tenders = feats["tender"].astype(str).to_numpy()
    rows = []
    for i in range(len(feats)):
        m, t = market[i], tenders[i]
        if m not in unknown:
            continue
        reason = lf_reasons[i]
        if used[m][1] == "blend" and np.isfinite(risk[i]):
            said = key_model.get((m, t), "")
            if said.startswith("all ") and reason.startswith("all "):  # "all N bids identical": said once
                said = said.split("; ", 1)[1] if "; " in said else ""
            reason = f"{reason} | model trained on other markets: {said}"
        rows.append((m, t, risk[i], int(np.nan_to_num(risk[i], nan=-1.0) > thr[i]), reason))
    new = pd.DataFrame(rows, columns=["market", "tender", "risk", "flagged", "reasons"])
    new["risk"] = new["risk"].round(4)
    if "market" not in result.columns:
        new = new.drop(columns="market")
    keep = result[~mk.isin(unknown).to_numpy()]
    out = pd.concat([keep.assign(flagged=(keep["risk"] > scorer.threshold_).astype(int)), new], ignore_index=True)[
        new.columns
    ]
    out = out.sort_values("risk", ascending=False, kind="stable", na_position="last").reset_index(drop=True)
    return out, {m: used[m] for m in unknown}, dict(sorted(thresholds.items()))


def _unseen_choice_zh(m: str, rho: float, what: str, how: str, model_risks, lf, scorer) -> str:
    """What scored the tenders of market ``m`` the model was not trained on, and why, in Chinese (the English is
    :func:`_unseen_result`'s)."""
    import numpy as np

    from graphkit.collusion.adapt import model_weight
    from graphkit.collusion.words import context_zh

    said = {
        "blend": "风险取两者的均值"
        if how == "blend"
        else f"风险取无标签筛查评分，并以模型的百分位作为又一个指标族（权重 {model_weight(lf, m):.2f}）",
        "label-free": "风险只取无标签筛查评分",
    }[what]
    if np.isfinite(rho):
        agree = f"对其标段排序的 Spearman 相关系数为 {rho:.2f}"
    elif len(model_risks) >= 3 and model_risks.nunique() == 1:
        agree = (
            f"无法比较：模型给全部 {len(model_risks):,} 个标段相同的风险（{model_risks.iloc[0]:.2g}；其所学在此没有变化"
            + ("，是新市场的企业都没有的投标人记录" if scorer.firm_stats_ is not None else "")
            + "）"
        )
    else:
        agree = "无法比较（两者都评分的标段不足 3 个）"
    read = "、".join(context_zh(c) for c in lf.context_used_.get(m, [])) or "无背景指标族"
    return f"市场 {m!r}：模型的风险与无标签筛查评分{agree}；{said}（无标签评分读取筛查指标和{read}）"


def _score_label_free(
    bids_file: Path, out: Path, market: str | None, segment: str | None, q: Path, lang: str = "en"
) -> None:
    """score-bids without a model: the label-free screen score (graphkit.collusion.unsupervised)."""
    import numpy as np

    from graphkit.collusion.features import tender_features
    from graphkit.collusion.unsupervised import LabelFreeScorer, note_dropped, score_label_free
    from graphkit.progress import tqdm

    with tqdm(total=4, unit="step", desc=_step("collusion score-bids (label-free)", lang)) as bar:
        bar.set_postfix_str(_step("reading", lang))
        table = _read(
            [bids_file],
            with_label=False,
            quarantine=q,
            bar=bar,
            segment=segment,
            market=market,
            lang=lang,
            segment_hint=True,
        )
        bar.set_postfix_str(_step("features", lang))
        feats = tender_features(table.bids)
        bar.update(1)
        bar.set_postfix_str(_step("screens", lang))
        scorer = LabelFreeScorer().fit(feats)
        _say_cover(scorer, lang=lang)
        result = note_dropped(score_label_free(feats, scorer), feats, table.dropped)
        bar.update(1)
        bar.set_postfix_str(_step("writing", lang))
        out.parent.mkdir(parents=True, exist_ok=True)
        note = _priority_line(result, out, lang)
        write_result(result, out, table.bids, lang=lang, priority_note=note, currency=table.currency)
        bar.update(1)
    if lang != "en":
        how, flag = _label_free_words_zh(scorer)
        _summary(result, feats, out, how=how, flag=flag, lang=lang)
        return
    rules = getattr(scorer, "threshold_rule_", {})
    thr = "; ".join(f"{m}: risk {t:.3f}, {rules.get(m, 'set without labels')}" for m, t in scorer.threshold_.items())
    said = {
        "period": "the tenders within half a year of it (dates)",
        "bidders": "its bidders' other tenders (bidder ids)",
        "segment": "the other tenders of its segment (the segment column)",
    }
    used = sorted({c for cs in scorer.context_used_.values() for c in cs}, key=list(said).index)
    rhos = {k.replace(chr(31), " in "): v for k, v in getattr(scorer, "context_rho_", {}).items()}
    ps = {k.replace(chr(31), " in "): v for k, v in getattr(scorer, "context_p_", {}).items()}

    def clustering(k: str, v: float) -> str:
        if not np.isfinite(v):
            return f"{k}: too few tenders"
        p = ps.get(k, float("nan"))
        return f"{k} {v:+.2f}" + (f", p {p:.2f}" if np.isfinite(p) else "")

    # a context read and left out is said even when another counts: a file's dates read and dropped had been
    # said nowhere when its bidders' context counted
    left = {k: v for k, v in rhos.items() if k.split(" in ")[0] not in used}
    why = (
        "tenders do not resemble their neighbours' beyond chance (rank correlation with them: "
        + "; ".join(clustering(k, v) for k, v in left.items())
        + ")"
    )
    if used:
        context = "each read next to " + " and ".join(said[c] for c in used)
        if left:
            gone = sorted({k.split(" in ")[0] for k in left}, key=lambda c: list(said).index(c) if c in said else 9)
            context += f"; {', '.join(gone)} context read and left out: {why}"
    elif scorer.context_:
        if not any(np.isfinite(v) for v in rhos.values()):
            context = "context left out: too few tenders to tell whether they resemble their neighbours"
        else:
            context = f"context left out: {why}"
    else:
        context = "no date, bidder or segment column: no context read"
    _summary(
        result,
        feats,
        out,
        how=f"from the screens alone (no model, no label; {context})",
        flag=f"above the market's label-free threshold ({thr})",
    )


def _label_free_words_zh(scorer) -> tuple[str, str]:
    """How the label-free score scored a file and what it flagged, in Chinese, for :func:`_summary` (the English
    is :func:`_score_label_free`'s): each tender read next to which context, a context read and left out and why,
    each market's threshold and how it was set."""
    import numpy as np

    from graphkit.collusion.words import CONTEXT_ZH, context_zh, rule_zh

    rules = getattr(scorer, "threshold_rule_", {})
    thr = "；".join(
        f"{m}：风险 {t:.3f}，{rule_zh(rules.get(m, 'set without labels'))}" for m, t in scorer.threshold_.items()
    )
    used = sorted({c for cs in scorer.context_used_.values() for c in cs}, key=list(CONTEXT_ZH).index)

    def named(key: str) -> str:  # period\x1fbids: bids 市场的前后半年内的其他标段
        family, _, m = key.partition(chr(31))
        return f"{m} 市场的{context_zh(family)}" if m else context_zh(family)

    def clustering(k: str, v: float) -> str:
        if not np.isfinite(v):
            return f"{named(k)}：标段太少"
        p = getattr(scorer, "context_p_", {}).get(k, float("nan"))
        return f"{named(k)} {v:+.2f}" + (f"，p {p:.2f}" if np.isfinite(p) else "")

    rhos = getattr(scorer, "context_rho_", {})
    left = {k: v for k, v in rhos.items() if k.split(chr(31))[0] not in used}
    why = (
        "标段与其相邻标段的相似不超出偶然（与之的秩相关：" + "；".join(clustering(k, v) for k, v in left.items()) + "）"
    )
    if used:
        context = "每个标段与" + "、".join(CONTEXT_ZH[c] for c in used) + "对照"
        if left:
            gone = sorted(
                {k.split(chr(31))[0] for k in left}, key=lambda c: list(CONTEXT_ZH).index(c) if c in CONTEXT_ZH else 9
            )
            context += f"；读取了{'、'.join(context_zh(c) for c in gone)}但未采用：{why}"
    elif scorer.context_:
        if not any(np.isfinite(v) for v in rhos.values()):
            context = "未采用背景：标段太少，无从判断是否与相邻标段相似"
        else:
            context = f"未采用背景：{why}"
    else:
        context = "没有日期、投标人或类别列：未读取背景"
    return f"仅凭报价筛查指标，无模型、无标签；{context}", f"高于本市场的无标签阈值（{thr}）"


def _score_adapted(bids_file: Path, scorer, out: Path, market: str | None, q: Path, lang: str = "en") -> None:
    """score-bids with a model from `adapt`: the market it was adapted to, scored with its weights."""
    import numpy as np
    import pandas as pd

    from graphkit.collusion.features import tender_features
    from graphkit.collusion.unsupervised import note_dropped, rank_scores
    from graphkit.collusion.words import listed
    from graphkit.progress import tqdm

    with tqdm(total=4, unit="step", desc=_step("collusion score-bids (adapted)", lang)) as bar:
        bar.set_postfix_str(_step("reading", lang))
        table = _read([bids_file], with_label=False, quarantine=q, bar=bar, market=market, lang=lang)
        other = [m for m in table.markets if m not in scorer.market_]
        by_name = table.markets == [bids_file.stem] and bids_file.stem in table.by_file_name  # nothing else names it
        assumed = bool(other and by_name and len(scorer.market_) == 1)
        if assumed:
            # the file's name is no fact about its bids: a copy renamed, or next year's file of the same market,
            # had been refused (or, scored as another market, misjudged) for its name alone. Nor is it a fact that
            # they are that market's: the threshold set when adapted applies to that market's tenders, so such a
            # file is flagged as a market the model has not seen is, above the median of its own risks (the
            # adapt-time threshold had flagged 7 % to 41 % of other markets' files and was called their median), and
            # its label-free part is read within the file itself (AdaptedScorer.in_own_market, below)
            _say(
                f"{bids_file.name} names no market (no market column, no --market): scored as market "
                f"{scorer.market_[0]!r}, the one this model was adapted to, not as a market named after the file "
                f"({bids_file.stem!r}), with that market's weights but its screens, dates and bidders read within "
                f"the file itself, and flagged above the median of its own adapted risks, not above the "
                f"threshold set for that market ({scorer.threshold_:.3f}); if its bids are another market's, adapt a "
                f"model to that market; if they are that market's, pass --market {scorer.market_[0]!r}"
                if lang == "en"
                else f"{bids_file.name} 未指明市场（没有市场列，也没有 --market）：按本模型调整所针对的市场 "
                f"{scorer.market_[0]!r} 的权重评分，而不是按以文件名命名的市场（{bids_file.stem!r}），"
                f"筛查指标、日期和投标人按本文件自身衡量，并以本文件调整后风险的"
                f"中位数为阈值，不沿用为该市场设定的阈值（{scorer.threshold_:.3f}）；若其报价属于另一市场，请针对该市场"
                f"调整模型；若属于该市场，请加 --market {scorer.market_[0]!r}"
            )
            table, other = _as_market(table, scorer.market_[0]), []
        if other:
            said = "--market" if market is not None else "its market column"
            raise click.ClickException(
                f"this model was adapted to market {', '.join(map(repr, scorer.market_))}, and {bids_file.name} "
                f"names market {', '.join(map(repr, other))} ({said}): pass --market "
                f"{scorer.market_[0]!r} for a file of the market it was adapted to, or score with the model it "
                f"was adapted from"
                if lang == "en"
                else f"本模型是针对市场 {listed(map(repr, scorer.market_))} 调整的，而 {bids_file.name} "
                f"指明的市场是 {listed(map(repr, other))}（{'--market' if market is not None else '其市场列'}）："
                f"若是该模型所针对市场的文件，请加 --market {scorer.market_[0]!r}；否则请用调整前的模型评分"
            )
        bar.set_postfix_str(_step("features", lang))
        feats = tender_features(table.bids, random_state=scorer.random_state)
        bar.update(1)
        bar.set_postfix_str(_step("scoring and reasons", lang))  # the bar had ended on "features"
        # a file said to be the adapted market's (--market, its market column) whose tenders look nothing like that
        # market's (another currency's amounts, another number of bids per tender, another country's file under
        # the wrong name) had been scored against that market in silence: it is scored as an unseen market is
        drift = None if assumed else scorer.drift(table.bids, feats)
        drifted = drift is not None and bool(drift["drifted"].any())
        if drifted:
            _say(_drift_warning(drift, scorer, bids_file.name, "--market" if market is not None else None, lang))
        if assumed or drifted:  # its label-free part within its own market, as an unseen market's (in_own_market)
            scorer = scorer.in_own_market(feats)
        _say_cover(scorer.label_free_, lang=lang)
        risk, reasons = scorer.explain(feats)
        threshold, rule = scorer.threshold_, getattr(scorer, "threshold_rule_", "set when adapted")
        if assumed and np.isfinite(risk).any():  # not known to be the market: the file's own upper half
            threshold = float(np.median(risk[np.isfinite(risk)]))
            rule = "median of this file's adapted risks (it names no market: the upper half of the file)"
        elif drifted and np.isfinite(risk).any():  # not like the market it names: the file's own upper half
            threshold = float(np.median(risk[np.isfinite(risk)]))
            rule = (
                "median of this file's adapted risks (its tenders are unlike the market's: the upper half of the file)"
            )
        result = pd.DataFrame(
            {
                "tender": feats["tender"].to_numpy(),
                "risk": np.round(risk, 4),
                "flagged": (np.nan_to_num(risk, nan=-1.0) > threshold).astype(int),
                "reasons": reasons,
            }
        )
        result = note_dropped(rank_scores(result), feats, table.dropped)  # the priority tier, as in every mode
        bar.update(1)
        bar.set_postfix_str(_step("writing", lang))
        out.parent.mkdir(parents=True, exist_ok=True)
        note = _priority_line(result, out, lang)
        write_result(result, out, table.bids, lang=lang, priority_note=note, currency=table.currency)
        bar.update(1)
    if lang == "en":
        how = f"with the model adapted to {scorer.n_labelled_:,} confirmed tenders"
        flag = f"above the threshold {threshold:.3f} ({rule})"
    else:
        from graphkit.collusion.words import rule_zh

        how = f"用按 {scorer.n_labelled_:,} 个已核实标段调整的模型"
        flag = f"高于阈值 {threshold:.3f}（{rule_zh(rule)}）"
    _summary(result, feats, out, how=how, flag=flag, lang=lang)


#: what each quantity an adapted model keeps of its market is (graphkit.collusion.adapt.PROFILE), per language
_DRIFT_WHAT = {
    "value": ("median bid of a tender", "标段报价中位数"),
    "n_bids": ("bids per tender (median)", "每标段报价份数（中位数）"),
    "CV": ("coefficient of variation CV (median)", "变异系数 CV（中位数）"),
    "SPD": ("spread SPD (median)", "报价极差率 SPD（中位数）"),
    "DIFFP": ("difference of the two lowest bids DIFFP (median)", "最低两价差率 DIFFP（中位数）"),
}


def _figure(q: str, v: float) -> str:
    """A median of :data:`_DRIFT_WHAT` as a person reads it: an amount with thousands separators, a count whole."""
    if q == "value":
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    if q == "n_bids":
        return f"{v:g}"
    return f"{v:.3g}"


def _drift_warning(drift, scorer, file_name: str, said: str | None, lang: str) -> str:
    """The warning that a file said to be the adapted market's does not look like it (``drift``: the rows of
    :func:`graphkit.collusion.adapt.drift`), with the figures, and what is done: it is scored as an unseen market."""
    from graphkit.collusion.adapt import DRIFT_MAX

    m = scorer.market_[0]
    rows = drift[drift["drifted"]]
    en = lang == "en"
    parts = [
        (
            f"{_DRIFT_WHAT[q][0]} {_figure(q, r['file'])} here, {_figure(q, r['kept'])} when adapted "
            f"(distance {r['distance']:.3f})"
            if en
            else f"{_DRIFT_WHAT[q][1]}：本文件 {_figure(q, r['file'])}，调整时 {_figure(q, r['kept'])}"
            f"（分布差距 {r['distance']:.3f}）"
        )
        for q, r in rows.iterrows()
    ]
    if en:
        by = said or "its market column"
        return (
            f"warning: {file_name} is said to be market {m!r} ({by}), but its tenders do not look like that market's "
            f"when the model was adapted to it: {'; '.join(parts)} (Kolmogorov-Smirnov distance above {DRIFT_MAX}; "
            f"amounts in the file's own unit). Scored as a market the model has not seen: the adapted weights, its "
            f"screens, dates and bidders read within the file itself, flagged above the median of its own adapted "
            f"risks, not above the threshold set for {m!r} ({scorer.threshold_:.3f}). If the file is another "
            f"market's, adapt a model to that market; if another currency or unit, convert its amounts"
        )
    by = said or "其市场列"
    return (
        f"注意：{file_name} 指明为市场 {m!r}（{by}），但其标段与模型调整时该市场的标段明显不同："
        f"{'；'.join(parts)}（Kolmogorov-Smirnov 分布差距超过 {DRIFT_MAX}；金额按原文件的单位）。"
        f"按模型未见过的市场评分：沿用调整后的权重，筛查指标、日期和投标人按本文件自身衡量，并以本文件调整后风险的"
        f"中位数为阈值，不沿用为 {m!r} 设定的阈值（{scorer.threshold_:.3f}）。若本文件属于另一市场，请针对该市场"
        f"调整模型；若币种或金额单位不同，请先换算"
    )


def _as_market(table, name: str):
    """``table`` with every bid (and every quarantined bid) in market ``name``: its key is market|tender."""
    import dataclasses

    def renamed(frame):
        if frame is None or not len(frame):
            return frame
        return frame.assign(market=name, key=name + "|" + frame["tender"].astype(str))

    return dataclasses.replace(
        table, bids=renamed(table.bids), dropped=renamed(table.dropped), by_file_name=frozenset()
    )


def _read_labels(
    path: Path,
    tenders: set[str],
    lang: str = "en",
    *,
    quarantined: dict[str, int] | None = None,
    quarantine: Path | None = None,
) -> dict[str, int]:
    """Tender -> 0/1 from a CSV/XLSX of confirmed tenders (columns Tender and Collusive_competitor).

    ``quarantined``: tender -> bids of it the bid file held but quarantined, all of them for a tender not in
    ``tenders``, whose label is then said to be of a tender whose bids were all quarantined (in ``quarantine``),
    not of a tender the bid file lacks."""
    from graphkit.collusion.words import listed, quarantine_zh
    from graphkit.model import record_unit
    from graphkit.model.mask import mask_text
    from loaders.bids import ALIASES, LABEL, LoadError, one_column_each, read_flag, read_raw, summary_rows

    en = lang == "en"

    try:
        raw, rt = read_raw(path)
    except LoadError as exc:
        raise click.ClickException(_refused_bids(exc, lang)) from exc
    lines, faults = rt.lines, rt.faults
    unit = record_unit(path.name)  # a CSV's line, a workbook's row
    for note in rt.notes:  # a workbook's other sheets
        click.echo(f"warning: {note}" if en else f"注意：{note}", err=True)
    named = list(raw.columns)
    skip = summary_rows(raw, rt.title, rt.table)  # 合计, 制表人：…, the title or header again: no label
    for i, (col, cell, why) in sorted(skip.items()):
        why = why.replace("not a bid", "not a label")
        click.echo(
            f"{path.name} {unit} {int(lines[i])}, column {col}: {why} ({mask_text(cell)!r}); {unit} left out"
            if en
            else f"{path.name} 第 {int(lines[i])} 行，{col} 列：{why}（{mask_text(cell)!r}），该行未用",
            err=True,
        )
    try:  # 项目编号 and 标段编号: the tender is the pair, as the bid file's (P1/B1)
        raw = one_column_each(raw, {}, path.name)[0]
    except LoadError as exc:
        raise click.ClickException(_refused_bids(exc, lang)) from exc
    if "Tender" not in raw.columns and "tender" in raw.columns:  # score-bids' own file under --lang en, labelled
        raw = raw.rename(columns={"tender": "Tender"})
    missing = [c for c in ("Tender", LABEL) if c not in raw.columns]
    if missing:
        said = {c: "/".join(k for k, v in ALIASES.items() if v == c) for c in missing}
        raise click.ClickException(
            f"{path.name}: missing column {', '.join(f'{c!r} (or {said[c]})' for c in missing)}; labels need Tender "
            f"and {LABEL} (1 or 是: collusive, 0 or 否: not); found {', '.join(map(str, named)) or 'no columns'}"
            if en
            else f"{path.name}：缺少列 {'、'.join(f'{c!r}（或 {said[c]}）' for c in missing)}；标签需要 Tender 和 "
            f"{LABEL} 两列（1 或 是：串标，0 或 否：非串标）；找到的列：{listed(named) or '无'}"
        )
    labels: dict[str, int] = {}
    problems = [
        f"{path.name} line {f.line}: {f.reason}" if en else f"{path.name} 第 {f.line} 行：{quarantine_zh(f.reason)}"
        for f in faults
    ]
    flag = read_flag(raw[LABEL]).to_numpy()  # 1/0, 是/否, yes/no
    for i, (t, v) in enumerate(
        zip(raw["Tender"].astype(str).str.strip(), raw[LABEL].astype(str).str.strip(), strict=True)
    ):
        row = int(lines[i])
        if i in skip:
            continue
        at = f"{path.name} {unit} {row}, column" if en else f"{path.name} 第 {row} 行，"
        if flag[i] not in (0.0, 1.0):
            problems.append(
                f"{at} {LABEL}: {v!r} is not 0 or 1 (or yes/no, 是/否)"
                if en
                else f"{at}{LABEL} 列：{v!r} 不是 0 或 1（或 yes/no、是/否）"
            )
        elif t not in tenders and (quarantined or {}).get(t):
            n = quarantined[t]
            problems.append(
                f"{at} Tender: in the bid file, but all {n:,} of its bids were quarantined (see {quarantine})"
                if en
                else f"{at}Tender 列：报价文件中有这个标段，但它的 {n:,} 条报价全部被隔离（见 {quarantine}）"
            )
        elif t not in tenders:
            problems.append(
                f"{at} Tender: no such tender in the bid file" if en else f"{at}Tender 列：报价文件中没有这个标段"
            )
        elif t in labels and labels[t] != int(flag[i]):
            problems.append(
                f"{at} {LABEL}: contradicts an earlier {unit} of the same tender"
                if en
                else f"{at}{LABEL} 列：与同一标段前面的一行矛盾"
            )
        else:
            labels[t] = int(flag[i])
    if problems:
        shown = "\n".join(problems[:_SHOW])
        k = len(problems) - _SHOW
        if en:
            more = f"\n… and {k:,} more" if k > 0 else ""
            raise click.ClickException(f"{len(problems):,} label {unit}s cannot be used:\n{shown}{more}")
        more = f"\n……另有 {k:,} 行" if k > 0 else ""
        raise click.ClickException(f"{len(problems):,} 行标签无法使用：\n{shown}{more}")
    return labels


#: ``adapt --flag-share``: the share of the market its flag takes (graphkit.collusion.adapt.AdaptedScorer, flag_share)
_FLAG_SHARE_HELP = (
    "Flag the riskiest share Q of the market (0 < Q < 1: the share of rigged tenders the commission expects, or "
    "its review capacity) [default: the threshold of best balanced accuracy, which flags a third to a half of a "
    "market or more, whatever its share of rigged tenders]."
)


@collusion.command("adapt", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--bids",
    "bids_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Every bid of the new market (labelled tenders or not: all are the screens' reference).",
)
@click.option(
    "--labels",
    "labels_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Confirmed tenders of that market: columns Tender and Collusive_competitor (1 collusive, 0 not).",
)
@click.option(
    "--model",
    "model",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Model trained on other markets (`graphkit collusion train`) [default: start from the label-free score].",
)
@click.option("--out", "out", required=True, type=OutPath(), help="Model file to write.")
@click.option("--market", default=None, metavar="NAME", help=_MARKET_HELP)
@click.option(
    "--flag-share",
    "flag_share",
    default=None,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    metavar="Q",
    help=_FLAG_SHARE_HELP,
)
@click.option(
    "--quarantine",
    type=OutPath(),
    default=None,
    help="CSV of malformed rows [default: <out>.quarantine.csv].",
)
@_LANG
def adapt(
    bids_file: Path,
    labels_file: Path,
    model: Path | None,
    out: Path,
    market: str | None,
    flag_share: float | None,
    quarantine: Path | None,
    lang: str,
) -> None:
    """Adapt to a new market from a few of its confirmed tenders (10-50).

    Learns which way each screen points in this market (a logistic regression on the screens' oriented
    within-market percentiles and the unseen-market default score, its weights pulled towards that default:
    a few labels that disagree leave the ranking near it), fitted on the confirmed tenders only;
    `score-bids --model OUT` then scores the market's files with it. The README's learning curve (tender
    collusion: a few labels) says how many confirmed tenders it takes to beat the label-free score."""
    import numpy as np

    from graphkit.collusion.adapt import AdaptedScorer, raw_direction
    from graphkit.collusion.features import tender_features
    from graphkit.collusion.scorer import load
    from graphkit.collusion.unsupervised import unscorable
    from graphkit.progress import tqdm

    base = None
    if model is not None:
        try:
            base = load(model)
        except (ValueError, FileNotFoundError) as exc:
            raise click.ClickException(_refused_model(exc, lang)) from exc
    q = quarantine or out.with_name(out.name + ".quarantine.csv")
    with tqdm(total=4, unit="step", desc=_step("collusion adapt", lang)) as bar:
        table = _read([bids_file], with_label=False, quarantine=q, bar=bar, market=market, lang=lang)
        feats = tender_features(table.bids)
        bar.update(1)
        lost = table.dropped["tender"].astype(str).value_counts().to_dict()  # quarantined bids of known tenders
        labels = _read_labels(labels_file, set(feats["tender"].astype(str)), lang, quarantined=lost, quarantine=q)
        y = feats["tender"].astype(str).map(labels).fillna(-1).to_numpy(dtype=int)
        alone = unscorable(feats)  # a confirmed tender of one bid has no screen to learn from
        n1, n0 = int(((y == 1) & ~alone).sum()), int(((y == 0) & ~alone).sum())
        if n1 == 0 or n0 == 0:
            lone = int((np.isin(y, [0, 1]) & alone).sum())
            raise click.ClickException(
                f"{labels_file.name}: adapting needs confirmed collusive and competitive tenders of two or more "
                f"bids (found {n1} and {n0}; {lone} of one bid, which no screen compares)"
                if lang == "en"
                else f"{labels_file.name}：调整模型需要两家以上投标的已核实串标标段和非串标标段"
                f"（找到 {n1} 个和 {n0} 个；另有 {lone} 个仅一家投标，无从比较）"
            )
        # what its market looks like, kept with it: score-bids checks a file said to be this market against it
        scorer = AdaptedScorer(base=base, flag_share=flag_share).fit(feats, y).keep_market(table.bids, feats)
        _say_cover(scorer.label_free_, lang=lang)
        bar.update(1)
        with whole_file(out) as part:  # whole under its name or not at all (a Ctrl-C, a full disk)
            scorer.save(part)
        bar.update(1)
    w = scorer.weights().drop(["default", "label-free", "model"], errors="ignore")
    top = w.reindex(w.abs().sort_values(ascending=False).index)[:3]
    rule = getattr(scorer, "threshold_rule_", "set on the confirmed tenders")
    if lang != "en":
        from graphkit.collusion.words import SCREEN_ZH, rule_zh

        said = "、".join(
            f"{SCREEN_ZH.get(s, '')}（{s}，{'越高越可疑' if raw_direction(s, v) > 0 else '越低越可疑'}）"
            for s, v in top.items()
            if np.isfinite(v) and v != 0
        )
        if scorer.n_unscorable_labels_:
            click.echo(
                f"{scorer.n_unscorable_labels_:,} 个仅一家投标的已核实标段未使用：单一报价无从比较"
                "（这类标段也从不评分）",
                err=True,
            )
        click.echo(
            f"已按 {scorer.n_labelled_:,} 个已核实标段（其中串标 {n1:,} 个）"
            f"把模型调整到市场 {'、'.join(scorer.market_)}；"
            f"在此权重最大的筛查指标：{said or '无'}；模型：{out}（阈值 {scorer.threshold_:.3f}：{rule_zh(rule)}）"
        )
        click.echo(_adapt_flag_line(scorer, n1, "zh"))
        return
    said = ", ".join(
        f"{s} {'higher' if raw_direction(s, v) > 0 else 'lower'} is riskier"
        for s, v in top.items()
        if np.isfinite(v) and v != 0
    )
    if scorer.n_unscorable_labels_:
        click.echo(
            f"{scorer.n_unscorable_labels_:,} confirmed tenders of one bid not used: no screen compares a single "
            f"bid (they are never scored either)",
            err=True,
        )
    click.echo(
        f"adapted to market {', '.join(scorer.market_)} from {scorer.n_labelled_:,} confirmed tenders "
        f"({n1:,} collusive); "
        f"screens that weigh most here: {said or 'none'}; model: {out} (threshold {scorer.threshold_:.3f}: {rule})"
    )
    click.echo(_adapt_flag_line(scorer, n1, "en"))


def _adapt_flag_line(scorer, n1: int, lang: str) -> str:
    """What an adapted model's flag takes of its market and what that share is not: how many of the market's scored
    tenders its threshold flags, that balanced accuracy (or the share given) sets it, not the share of rigged
    tenders, which the confirmed tenders do not tell either, and the priority tier as the short list."""
    from graphkit.collusion.unsupervised import PRIORITY_CAP

    n, k = scorer.n_scored_, scorer.n_flagged_
    share, cap = k / n if n else float("nan"), f"{PRIORITY_CAP * 100:.0f}"
    given = scorer.flag_share is not None
    if lang == "en":
        head = f"flags {k:,} of the market's {n:,} scored tenders ({share:.0%})"
        short = f"the priority tier, the riskiest {cap} %, is the list to start from"
        if given:
            return f"{head}: the share given with --flag-share; {short}"
        return (
            f"{head}: a flag counts a missed collusive tender and a false alarm by their outcome's share (balanced "
            "accuracy, as the label-free score's half of a market), so it takes a third to a half of a market or more "
            "whatever the share of rigged tenders, and is no estimate of it; nor do the confirmed tenders tell that "
            f"share (their own, {n1:,} of {scorer.n_labelled_:,}, is the commission's choice); {short}; where the "
            "commission knows its share, --flag-share Q flags the riskiest share Q instead"
        )
    head = f"按此阈值标记本市场已评分的 {n:,} 个标段中的 {k:,} 个（{share:.0%}）"
    short = f"优先复核（风险最高的 {cap}%）是应先查看的名单"
    if given:
        return f"{head}：这是 --flag-share 给定的份额；{short}"
    return (
        f"{head}：漏掉一个串标标段与误报一个非串标标段，各按其所属结论的份额计（平衡准确率，与无标签评分标记市场的一半"
        "同理），所以无论串标标段占多少，都标记市场的三分之一到一半甚至更多，这不是串标标段所占份额的估计；已核实标段"
        f"也说明不了该份额（其中属实的比例，{scorer.n_labelled_:,} 个中 {n1:,} 个，是核查时选定的）；{short}；"
        "若已知本市场串标标段所占份额，可用 --flag-share Q 改为标记风险最高的 Q 份额"
    )


COMMANDS = [collusion]
