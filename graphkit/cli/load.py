"""``graphkit synth``, ``graphkit load``, ``graphkit stats`` and ``graphkit model docs``: build a store
from source tables and look at what is in it."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import click

from graphkit.cli.audit import record, refuse_viewer
from graphkit.cli.common import (
    STORE_HELP,
    OutPath,
    console_lang,
    counted,
    finishing,
    if_interrupted,
    lang_option,
    new_folder,
    open_for_reading,
    os_why,
    pad,
    parse_spec,
    refused,
    said,
    whole_file,
    width,
)
from graphkit.model.clock import zone
from graphkit.model.mask import mask_text
from graphkit.stores import StoreError, open_store
from loaders.words import load_zh

#: the exit code of a load that committed but refused every row of a file (as ``--strict`` exits on any refused row
#: or warning): the rows are in the quarantine, not the store
NOTHING_LOADED = 3


@click.command()
@click.option(
    "--scale",
    default=10_000,
    show_default=True,
    type=click.IntRange(1_000, 10_000_000),
    help="Number of persons in the household registry.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed (same seed, same files).")
@click.option(
    "--out",
    "out",
    required=True,
    type=OutPath(folder=True),
    help="Folder to write the source tables, truth.json and dirty.json into.",
)
@click.option(
    "--dirty-rate",
    default=0.01,
    show_default=True,
    type=click.FloatRange(0, 0.5),
    help="Share of rows per table made dirty (bad check digits, duplicates, typos, gaps).",
)
@click.option(
    "--format",
    "fmt",
    default="csv",
    show_default=True,
    type=click.Choice(["csv", "parquet"]),
    help="File format of the tables.",
)
@click.option(
    "--rate",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0, 50, min_open=True),
    help="Planted instances (and as many decoys) of each scheme per 10,000 persons, at least one each.",
)
@lang_option("The closing line in Chinese, or English (en); the files are the same either way.")
def synth(scale: int, seed: int, out: Path, dirty_rate: float, fmt: str, rate: float, lang: str) -> None:
    """Write a synthetic city's source tables with planted schemes and ground truth."""
    from graphkit.synth import generate

    t0 = time.perf_counter()
    with new_folder(out) as made:
        if_interrupted(
            *(
                (
                    f"{out} holds part of the city only: load nothing from it; run the command again",
                    f"{out} 中只有城市的一部分：不要加载它；请重新运行本命令",
                )
                if made is None
                else (
                    f"{made} was removed: this command made it and had not finished the city; run the command again",
                    f"{made} 由本命令新建，城市尚未写完，已删除；请重新运行本命令",
                )
            )
        )
        summary = generate(out, scale=scale, seed=seed, dirty_rate=dirty_rate, fmt=fmt, progress=True, rate=rate)
    if_interrupted(
        f"the city in {out} is written whole; only the summary was not printed",
        f"城市已完整写出到 {out}；只是没有打印完汇总",
    )
    rows = sum(summary.get("rows", {}).values())
    tables, took = len(summary.get("rows", {})), time.perf_counter() - t0
    click.echo(
        f"wrote {rows:,} rows in {tables} tables to {out} in {took:.1f} s; truth: {out / 'truth.json'}"
        if lang == "en"
        else f"已写出 {tables} 张表共 {rows:,} 行到 {out}，用时 {took:.1f} 秒；植入线索的真值：{out / 'truth.json'}"
    )


@click.command()
@click.argument("source_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--store", "store_spec", default=None, help=STORE_HELP)
@click.option(
    "--neo4j-import-dir",
    "import_dir",
    type=OutPath(folder=True),
    default=None,
    help="Instead of a store: write header + CSV files for neo4j-admin database import full into this new folder "
    "(with import.args and schema.cypher; see tools/neo4j/run.sh import).",
)
@click.option(
    "--ftm",
    "ftm_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An FtM entity file elsewhere (JSON lines, .gz too) to load after the folder; repeatable.",
)
@click.option(
    "--quarantine",
    type=OutPath(),
    default=None,
    help="CSV of refused rows [default: <store path>.quarantine.csv, or ./quarantine.csv for Neo4j].",
)
@click.option(
    "--report",
    type=OutPath(),
    default=None,
    help="Write the load report (per file: encoding, read, loaded, quarantined, dropped values, created) as JSON.",
)
@click.option(
    "--encoding", default=None, help="Text encoding of every CSV file (gb18030, utf-8 …) [default: detected]."
)
@click.option(
    "--as",
    "named",
    multiple=True,
    metavar="SOURCE=FILE",
    help="Read FILE (in SOURCE_DIR or anywhere) as the SOURCE table, whatever its name or headers: "
    "--as roster=公务员名册.xlsx; repeatable.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="SOURCE.HEADER=FIELD",
    help="In the SOURCE table's files, read the column headed HEADER as the contract's FIELD (a column name or "
    "Chinese header `graphkit model docs` lists): --column roster.工作单位=unit_id; repeatable.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit non-zero (3) when any row is quarantined or any warning is given (without it, 3 only when a file "
    "loads none of its rows).",
)
@lang_option(
    "The console's lines (the table's header, the refused rows and why, the notes, the closing line) in Chinese, "
    "or English (en); the report and the quarantine file keep the loader's words either way."
)
def load(
    source_dir: Path | None,
    store_spec: str | None,
    import_dir: Path | None,
    ftm_files: tuple[Path, ...],
    quarantine: Path | None,
    report: Path | None,
    encoding: str | None,
    named: tuple[str, ...],
    columns: tuple[str, ...],
    strict: bool,
    lang: str,  # said by common.said: the console's language, read from the command line before it is parsed
) -> None:
    """Load every source table (CSV, XLSX, Parquet) and FtM entity file (*.ftm.json, *.ftm.jsonl, .gz;
    a .json or .jsonl file that holds FtM entities too) in SOURCE_DIR, the --as files and the --ftm
    files, into a store (or a neo4j-admin import folder); the tables all or nothing.

    A table is read as the source its file name names (household.csv, roster_2024.xlsx), else as the
    one its headers name; a department's file with other words is read with --as and --column, and
    the console says which mapping it used:

    \b
      graphkit load --store embedded:g.db --as roster=公务员名册.csv \\
          --column roster.人员姓名=name --column roster.工作单位=unit_id

    A file that cannot be read, lacks a required column or has a duplicated header stops the
    load before anything is written; bad lines and rows are quarantined and the load goes on;
    a load that fails on the way leaves the store as it was (exit 2), and still writes the
    report and quarantine of what it read. A file of another kind is named in a warning;
    documentation (README.md) and a JSON object that is no FtM entity (a synthetic city's
    truth.json) are noted as skipped; a folder with nothing loadable exits non-zero."""
    from functools import partial

    from loaders.engine import LoadError, load_dir

    if (store_spec is None) == (import_dir is None):
        raise click.UsageError(
            said("give --store or --neo4j-import-dir (one of them)", "请给出 --store 或 --neo4j-import-dir（二者之一）")
        )
    refuse_viewer("load into a store")
    contracts, as_files = _mapping(named, columns)
    if source_dir is None and not ftm_files and not named:
        raise click.UsageError(
            said(
                "give SOURCE_DIR, --as SOURCE=FILE, --ftm FILE, or some of them",
                "请给出 SOURCE_DIR、--as 表名=文件、--ftm 文件，或其中几项",
            )
        )
    loader = partial(load_dir, ftm=ftm_files, named=as_files, contracts=contracts)
    if import_dir is not None:
        from loaders.engine import EXTENSIONS
        from loaders.ftm import sort_folder

        ftm_here = [*(sort_folder(source_dir, EXTENSIONS)[0] if source_dir is not None else []), *ftm_files]
        if ftm_here:  # refused before the folder is made: FtM resolves its references in a store
            names = ", ".join(p.name for p in ftm_here)
            raise click.UsageError(
                said(
                    f"FtM files ({names}) cannot go into a neo4j-admin import folder: FtM needs a store to resolve "
                    "references; import the tables, start Neo4j, then load the FtM files into it (graphkit load "
                    "--store neo4j://… --ftm FILE)",
                    f"FtM 文件（{names}）不能写入 neo4j-admin 导入文件夹：FtM 要在库中解析引用；请先导入各表、启动 "
                    "Neo4j，再把 FtM 文件加载进去（graphkit load --store neo4j://… --ftm 文件）",
                )
            )
        rep = _run_load(
            source_dir, import_dir, quarantine or import_dir / "quarantine.csv", report, loader, LoadError, encoding
        )
        # files, not a database: what to do with them (without schema.cypher the database has no constraint or
        # index, and nothing said so: reading commands scan every node of a label to find one by id)
        args = import_dir / "import.args"
        schema = import_dir / "schema.cypher"
        click.echo(
            said(
                f"next: import the files into a stopped Neo4j (neo4j-admin database import full @{args} neo4j; "
                f"tools/neo4j/run.sh import --data DATA {args}), start it, then run {schema} once for the model's "
                "constraints and indexes (cypher-shell -f; a later graphkit load --store neo4j://… makes them too)",
                f"下一步：把这些文件导入已停止的 Neo4j（`neo4j-admin database import full @{args} neo4j`，或 "
                f"`tools/neo4j/run.sh import --data 数据目录 {args}`），启动它，再运行一次 {schema}，建立模型的"
                "约束和索引（`cypher-shell -f`；之后的 `graphkit load --store neo4j://…` 也会建立）",
            ),
            err=True,
        )
    else:
        # the store is loaded in one transaction (EmbeddedStore.atomic: a staging copy; Neo4j: an undo log), and the
        # quarantine, the report and the audit record are written after it is committed (common.finishing)
        if_interrupted(
            "the store is as it was: the load was taken back whole; no quarantine, report or audit record was "
            "written (an earlier load's quarantine is untouched)",
            "库保持原样：本次加载已整体撤回；没有写隔离文件、加载报告和审计记录（上次加载的隔离文件未动）",
        )
        rep = _run_load(
            source_dir, store_spec, quarantine, report, loader, LoadError, encoding, mapping=(named, columns)
        )
    if not rep.ok:
        sys.exit(1)
    if strict and not rep.clean:
        click.echo(said("strict: quarantined rows or warnings", "strict：有隔离的行或警告"), err=True)
        sys.exit(3)


def _mapping(named: tuple[str, ...], columns: tuple[str, ...]) -> tuple[dict, list]:
    """The contracts with the ``--column`` header mappings, and the ``--as`` files paired with theirs; a usage
    error naming what there is for a source table or column that is not."""
    from loaders.contracts import MappingError, map_headers, source_named
    from loaders.engine import EXTENSIONS, TEXT_TABLES

    try:
        contracts = map_headers(columns)
    except MappingError as exc:
        raise click.BadParameter(said(str(exc), load_zh(str(exc))), param_hint="--column") from exc
    files: dict[Path, tuple[Path, object]] = {}
    for spec in named:
        name, eq, file = spec.partition("=")
        if not (eq and name.strip() and file.strip()):
            raise click.BadParameter(
                said(
                    f"{spec!r}: write SOURCE=FILE (roster=公务员名册.xlsx)",
                    f"{spec!r}：请写作 来源表=文件（如 roster=公务员名册.xlsx）",
                ),
                param_hint="--as",
            )
        try:
            src = source_named(name, contracts, given=f"--as {spec}")
        except MappingError as exc:
            raise click.BadParameter(said(str(exc), load_zh(str(exc))), param_hint="--as") from exc
        path = Path(file.strip())
        if not path.is_file():
            raise click.BadParameter(
                said(f"{spec!r}: no such file {path}", f"{spec!r}：没有文件 {path}"), param_hint="--as"
            )
        if path.suffix.lower() not in EXTENSIONS + TEXT_TABLES:
            kinds = ", ".join(EXTENSIONS + TEXT_TABLES)
            raise click.BadParameter(
                said(f"{spec!r}: {path.name} is not a table ({kinds})", f"{spec!r}：{path.name} 不是表格（{kinds}）"),
                param_hint="--as",
            )
        if files.get(path.resolve(), (path, src))[1] is not src:
            raise click.BadParameter(said(f"{path} is named as two tables", f"{path} 被指为两张表"), param_hint="--as")
        files[path.resolve()] = (path, src)
    return contracts, list(files.values())


#: quarantined rows (and values left out) named on the console after a load, where and why; the quarantine
#: file (the report) has them all
QUARANTINE_SHOWN = 20


def _list_rows(rows: list, title: str, whole: str) -> None:
    """The first :data:`QUARANTINE_SHOWN` refused rows (or values left out) on stderr, each where the clerk finds
    it and why, masked (in Chinese unless the console reads English: :func:`loaders.words.load_zh`); with more,
    how many each file's column has, so a load of many files shows them all."""
    if not rows:
        return
    shown = rows[:QUARANTINE_SHOWN]
    if len(rows) > len(shown):
        head = said(f"first {len(shown)} of {len(rows):,}", f"共 {len(rows):,} 条，列出前 {len(shown)} 条")
    else:
        head = said(f"{len(shown):,}", f"{len(shown):,} 条")
    click.echo(said(f"{title} ({head}; {whole}):", f"{title}（{head}；{whole}）："), err=True)
    for row in shown:
        where, why = mask_text(row.where), mask_text(row.reason)
        click.echo(said(f"  {where}: {why}", f"  {_where_zh(row)}：{load_zh(why)}"), err=True)
    if len(rows) > len(shown):
        by_file: dict[str, Counter] = {}
        whole_line = said("whole line", "整行")
        for row in rows:  # in the files' load order
            column = row.header or row.column
            by_file.setdefault(row.file, Counter())[whole_line if column in ("", "line") else column] += 1
        click.echo(
            said(f"  all {len(rows):,}, by file and column:", f"  全部 {len(rows):,} 条，按文件和列："), err=True
        )
        for file, counts in by_file.items():  # 公民身份号码 22 条、姓名 2 条 (it read 公民身份号码 22, 姓名 2)
            click.echo(
                said(
                    f"    {mask_text(file)}: " + ", ".join(f"{c} {n:,}" for c, n in counts.items()),
                    f"    {mask_text(file)}：" + "、".join(f"{c} {n:,} 条" for c, n in counts.items()),
                ),
                err=True,
            )


def _where_zh(row) -> str:
    """``household.csv 第 111 行，公民身份号码列`` (``household.csv line 111, column 公民身份号码``), masked."""
    column = row.header or row.column
    at = f"{mask_text(row.file)} 第 {row.row} 行" if row.row else mask_text(row.file)
    return at if column in ("", "line") else f"{at}，{mask_text(column)} 列"


def _keep_earlier(q: Path) -> Path | None:
    """An earlier load's quarantine at ``q`` renamed by its time (``g.db.quarantine.20261206-071502.csv``), so a
    second load into the same store does not write over the rows the first refused. One that holds no row (its
    header alone) is written over: each load of clean files had left another empty copy beside the store, and
    said so (注意：上次加载的隔离文件另存为 …), six loads six files of a header each."""
    if not q.is_file() or _no_rows(q):
        return None
    stamp = datetime.fromtimestamp(q.stat().st_mtime, zone()).strftime("%Y%m%d-%H%M%S")
    kept = q.with_name(f"{q.stem}.{stamp}{q.suffix}")
    n = 1
    while kept.exists():
        n += 1
        kept = q.with_name(f"{q.stem}.{stamp}-{n}{q.suffix}")
    q.rename(kept)
    return kept


def _no_rows(q: Path) -> bool:
    """Whether a quarantine file holds its header alone (or nothing): no row refused."""
    try:
        with open(q, encoding="utf-8-sig", errors="replace") as f:
            f.readline()
            return not f.readline().strip()
    except OSError:
        return False


def _run_load(source_dir, store_spec, quarantine, report, load_dir, LoadError, encoding=None, mapping=((), ())):
    t0 = time.perf_counter()
    failed = None
    # an import folder the load makes is removed if the load stops half way (a Ctrl-C, an error): never one the
    # user had, which is said to be incomplete instead
    with new_folder(store_spec) if isinstance(store_spec, Path) else contextlib.nullcontext() as made:
        if isinstance(store_spec, Path):  # --neo4j-import-dir
            from graphkit.stores.import_dir import Neo4jImportDir

            if_interrupted(
                *(
                    (
                        f"the import folder {store_spec} is incomplete: import nothing from it; delete it and run the "
                        "command again",
                        f"导入文件夹 {store_spec} 不完整：不要用它导入；删除它后重新运行本命令",
                    )
                    if made is None
                    else (
                        f"the import folder {made} was removed: this command made it and had not finished it; run "
                        "the command again",
                        f"导入文件夹 {made} 由本命令新建，尚未写完，已删除；请重新运行本命令",
                    )
                )
            )
            try:
                store = Neo4jImportDir(store_spec)
            except StoreError as exc:
                raise click.UsageError(refused(exc)) from exc
        else:
            try:
                store = open_store(parse_spec(store_spec))
            except StoreError as exc:  # a Neo4j server that is down: one line, no traceback
                raise click.ClickException(refused(exc)) from exc
        try:
            try:
                rep, unknown = load_dir(source_dir, store, progress=said("load", "加载"), encoding=encoding)
                if isinstance(store_spec, str):
                    if_interrupted(
                        "the load is committed; its quarantine, report and audit record were not written (the "
                        "earlier load's quarantine is untouched)",
                        "加载已提交，但没有写隔离文件、加载报告和审计记录（上次加载的隔离文件未动）",
                    )
            except LoadError as exc:
                click.echo(said(f"error: {mask_text(exc)}", f"错误：{load_zh(_store_zh(mask_text(exc)))}"), err=True)
                if exc.report is None:  # preflight: nothing read, nothing written
                    sys.exit(2)
                failed, rep, unknown = exc, exc.report, []
        finally:
            store.close()
    if isinstance(store_spec, Path):
        if_interrupted(
            f"the import folder {store_spec} is {'incomplete' if failed else 'whole'}; the quarantine and the report "
            "were not written",
            f"导入文件夹 {store_spec} {'不完整' if failed else '已完整写出'}；没有写隔离文件和加载报告",
        )
    for p in unknown:
        click.echo(
            said(
                f"skipped {p.name}: neither its name nor its headers match a source table (name it after one: "
                "household.csv, roster_2024.xlsx …, or say which and how its headers read: --as roster=FILE --column "
                "roster.HEADER=FIELD; `graphkit model docs` lists them and their headers)",
                f"已跳过 {p.name}：文件名和表头都对不上任何来源表（按表名命名：household.csv、roster_2024.xlsx …，"
                "或用 --as roster=文件 --column roster.表头=字段 说明它是哪张表、表头怎么读；"
                "`graphkit model docs` 列出各表及其表头）",
            ),
            err=True,
        )
    q = Path(quarantine or parse_spec(store_spec).beside(".quarantine.csv", default="quarantine.csv"))
    if isinstance(store_spec, Path):  # --neo4j-import-dir: files, no store and no audit log
        done = (
            f"the import folder {store_spec} is {'incomplete' if failed else 'whole'}; the quarantine {q} and the "
            "report are written whole; only the summary was not printed",
            f"导入文件夹 {store_spec} {'不完整' if failed else '已完整写出'}；隔离文件 {q} 和加载报告也已完整写出；"
            "只是没有打印完汇总",
        )
    else:
        done = (
            f"the load is {'rolled back' if failed else 'committed'}; the quarantine {q}, the report and the audit "
            "record are written whole; only the summary was not printed",
            f"加载已{'撤回' if failed else '提交'}；隔离文件 {q}、加载报告和审计记录都已完整写出；只是没有打印完汇总",
        )
    with finishing(*done):
        unwritten, kept, untouched = _write_after(rep, q, report, failed, store_spec, source_dir, mapping)
    # the file column as wide as the longest name (icij_luanda_leaks.aleph.ftm.jsonl pushed its row out of line)
    fw = max([24] + [width(f.file) + 2 for f in rep.files])
    if console_lang() == "en":
        click.echo(f"{pad('file', fw)}{'encoding':>10}{'read':>10}{'loaded':>10}{'quarantined':>13}{'dropped':>9}")
    else:  # each heading as wide as the English one, in display columns
        heads = [("编码", 10), ("读取", 10), ("加载", 10), ("隔离", 13), ("舍弃值", 9)]
        click.echo(pad("文件", fw) + "".join(" " * (w - width(h)) + h for h, w in heads))
    for f in rep.files:
        click.echo(
            f"{pad(f.file, fw)}{f.encoding or '':>10}{f.read:>10,}{f.loaded:>10,}{f.quarantined:>13,}"
            f"{sum(f.dropped.values()):>9,}"
        )
    t = rep.totals()
    for note in (mask_text(n) for f in rep.files for n in f.notes()):
        click.echo(said(f"note: {note}", f"注意：{load_zh(note)}"), err=True)
    if rep.skipped:  # a folder's README.md, a synthetic city's truth.json: noted once, counted, not warned
        en = {"documentation": "documentation", "json": "a JSON object, no FtM entity"}
        zh = {"documentation": "说明文档", "json": "JSON 对象，不含 FtM 实体"}
        names = [mask_text(n) for n in rep.skipped]
        click.echo(
            said(
                f"note: {counted(len(names), 'file')} skipped, no data to load: "
                + ", ".join(f"{n} ({en[k]})" for n, k in zip(names, rep.skipped.values(), strict=True)),
                f"注意：跳过 {len(names):,} 个非数据文件："
                + "、".join(f"{n}（{zh[k]}）" for n, k in zip(names, rep.skipped.values(), strict=True)),
            ),
            err=True,
        )
    if kept is not None:
        click.echo(
            said(f"note: the earlier load's quarantine is kept as {kept}", f"注意：上次加载的隔离文件另存为 {kept}"),
            err=True,
        )
    click.echo(
        f"{pad(said('total', '合计'), fw)}{'':>10}{t['read']:>10,}{t['loaded']:>10,}{t['quarantined']:>13,}"
        f"{len(rep.dropped):>9,}"
    )
    # where and why, by the file's own line and header; the cell itself stays in the quarantine file
    _list_rows(
        rep.quarantine,
        said("quarantined rows", "被隔离的行"),
        said(f"every one, with its cell, in {q}", f"每一条及其单元格见 {q}"),
    )
    # values left out of rows that loaded: listed nowhere else without --report
    if report:
        whole = said(f"every one in {report}", f"每一条见 {report}")
    else:
        whole = said("every one in the report: --report R.json", "每一条见加载报告：--report R.json")
    _list_rows(
        rep.dropped, said("bad optional values left out, their rows loaded", "舍弃的非必填错值（其行已加载）"), whole
    )
    for w in (mask_text(w) for w in rep.warnings):
        click.echo(said(f"warning: {w}", f"警告：{load_zh(w)}"), err=True)
    for what in unwritten:
        click.echo(said(f"error: could not write the {what}", f"错误：无法写入 {what}"), err=True)
    if failed is not None and not rep.rolled_back:  # the server went away before the load could be taken back
        click.echo(
            said(
                "the store may hold part of this load (it could not be taken back); "
                + (f"quarantine unchanged: {q}" if untouched else f"quarantine so far: {q}"),
                "库中可能留有本次加载的一部分（无法撤回）；"
                + (f"隔离文件未变：{q}" if untouched else f"目前的隔离文件：{q}"),
            ),
            err=True,
        )
        sys.exit(2)
    if failed is not None:
        click.echo(
            said(
                "nothing written: the store is as it was; "
                + (f"quarantine unchanged: {q}" if untouched else f"quarantine so far: {q}"),
                "未写入任何内容：库保持原样；" + (f"隔离文件未变：{q}" if untouched else f"目前的隔离文件：{q}"),
            ),
            err=True,
        )
        sys.exit(2)
    created = rep.created()
    # nodes and relationships apart, as `graphkit stats` and the demo count them (it said 1,157 个节点和关系 in one)
    from graphkit.model import Model

    labels = Model.default().labels
    nodes = sum(n for k, n in created.items() if k in labels)
    links = sum(created.values()) - nodes
    if console_lang() == "zh":
        made = f"{nodes:,} 个节点、{links:,} 条关系"
        click.echo(
            ("已写入导入文件 " + made if isinstance(store_spec, Path) else "已创建 " + made)
            + f"，用时 {time.perf_counter() - t0:.1f} 秒；隔离文件：{q}（{t['quarantined']:,} 行）"
            + (f"；舍弃非必填错值 {len(rep.dropped):,} 个（见上）" if rep.dropped else "")
        )
    else:
        click.echo(
            ("wrote " if isinstance(store_spec, Path) else "created ")  # an import folder holds files, not a graph
            + f"{counted(nodes, 'node')} and {counted(links, 'relationship')}"
            + (" into import files" if isinstance(store_spec, Path) else "")
            + " in "
            f"{time.perf_counter() - t0:.1f} s; quarantine: {q} ({counted(t['quarantined'], 'row')})"
            + (
                f"; {len(rep.dropped):,} bad optional value{'s' if len(rep.dropped) > 1 else ''} left out (above)"
                if rep.dropped
                else ""
            )
        )
    if unwritten:  # loaded, but what was refused is not on disk
        sys.exit(2)
    # a file whose every row was refused loaded nothing: a script running loads saw exit 0 and never learnt it
    # (only --strict said); a partial quarantine stays exit 0
    if none := [f for f in rep.files if f.read and not f.loaded]:
        for f in none:
            click.echo(
                said(
                    f"error: nothing loaded from {mask_text(f.file)}: "
                    + (f"all {f.read:,} rows" if f.read > 1 else "its one row")
                    + f" quarantined (see {q})",
                    f"错误：{mask_text(f.file)} 的 {f.read:,} 行全部被隔离，一行也没有加载（见 {q}）",
                ),
                err=True,
            )
        sys.exit(NOTHING_LOADED)
    return rep


def _store_zh(text: str) -> str:
    """A load's error with the store's own sentence in it (``the load failed (companies.csv: lost Neo4j at … during
    the command: …; is it still running?) …``) with that sentence in Chinese (:func:`refused`); the rest is
    :func:`load_zh`'s."""
    import re

    from graphkit.rules.words import refusal_zh

    m = re.search(r"(?:lost|cannot reach) Neo4j at \S+ .*?; is it (?:still )?running\?", text)
    return text if m is None else text.replace(m[0], refusal_zh(m[0]))


def _write_after(rep, q: Path, report, failed, store_spec, source_dir, mapping) -> tuple[list[str], Path | None, bool]:
    """After the load (committed, or taken back): the quarantine at ``q``, the report and the audit record, each
    file written whole under its name or not at all (:func:`whole_file`); return what could not be written, where
    the earlier quarantine was kept, and whether the quarantine was left as it was."""
    unwritten = []  # the store is committed by now: a file that cannot be written is said, not a traceback
    kept = None
    # a load that failed before it read a row (a read-only database) refused nothing: the earlier load's
    # quarantine, which still describes the store, stays where it is (it was renamed and an empty one put there)
    untouched = failed is not None and rep.totals()["read"] == 0
    try:
        if not untouched:
            kept = _keep_earlier(q)
            with whole_file(q) as part:
                rep.write_quarantine(part)
    except OSError as exc:
        unwritten.append(said(f"quarantine {q} ({exc.strerror or exc})", f"隔离文件 {q}（{os_why(exc)}）"))
    if report:
        try:
            with whole_file(Path(report)) as part:
                part.write_text(rep.to_json(), encoding="utf-8")
        except OSError as exc:
            unwritten.append(said(f"report {report} ({exc.strerror or exc})", f"加载报告 {report}（{os_why(exc)}）"))
    if isinstance(store_spec, str):  # who loaded what into the store, as every reading command is recorded
        totals = rep.totals()
        record(
            store_spec,
            "load",
            {
                "source": str(source_dir) if source_dir is not None else None,
                "files": [mask_text(f.file) for f in rep.files],
                # how files graphkit could not name were read (--as, --column): the record said the files alone
                **({"as": list(mapping[0])} if mapping[0] else {}),
                **({"column": list(mapping[1])} if mapping[1] else {}),
                **totals,
                "quarantine": str(q),
                "rolled_back": failed is not None and rep.rolled_back,
            },
            by=None,
            purpose=None,
            result=totals["loaded"],
        )
    return unwritten, kept, untouched


@click.command()
@click.option("--store", "store_spec", required=True, help=STORE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {nodes: {label: n}, relationships: {type: n}}.")
@lang_option(
    "Each label and relationship type with its Chinese name beside it (自然人 Person, 亲属 FAMILY), or the model's "
    "names alone (en); --json is the same either way."
)
def stats(store_spec: str, as_json: bool, lang: str) -> None:
    """Counts per node label and relationship type (every one in the model, zeros included)."""
    from graphkit.model import Model

    store = open_for_reading(store_spec)
    try:
        counts = store.counts()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    model = Model.default()

    def word(kind: str, name: str) -> str:
        rel = model.relationships.get(name) if kind == "relationships" else None
        return (rel.zh if rel is not None else None) or (model.display_name(name) if name in model.labels else "")

    ww = max(width(word(k, n)) for k in ("nodes", "relationships") for n in counts[k]) + 2
    for kind, zh in (("nodes", "节点"), ("relationships", "关系")):
        total = f"{sum(counts[kind].values()):,}"
        click.echo(f"{kind}: {total}" if lang == "en" else f"{zh}：{total}")
        for name, n in counts[kind].items():
            click.echo(f"  {name:<20}{n:>12,}" if lang == "en" else f"  {pad(word(kind, name), ww)}{name:<20}{n:>12,}")


@click.group()
def model() -> None:
    """The graph model and the source-table contracts."""


@model.command("docs")
def model_docs() -> None:
    """Print the model and every source contract as Markdown tables."""
    from graphkit.model import Model
    from loaders.contracts import load_contracts

    click.echo("## Graph model\n\n" + Model.default().markdown_table() + "\n\n## Source tables\n")
    for src in load_contracts().values():
        click.echo(src.markdown() + "\n")


COMMANDS = [synth, load, stats, model]
