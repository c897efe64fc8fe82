"""What every command module shares: the store spec option's help, opening a store for reading with a
plain error, the ledger beside a store, JSON output."""

from __future__ import annotations

import contextlib
import json
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from graphkit.stores import GraphStore, StoreSpec, StoreUnavailable, open_store

STORE_HELP = (
    "embedded:PATH (Ladybug, in-process) or neo4j://HOST:PORT (NEO4J_USER / NEO4J_PASSWORD from the environment)"
)
LEDGER_HELP = (
    "SQLite file of the warning ledger [default: GRAPHKIT_LEDGER, else <store path>.ledger.sqlite; a Neo4j store "
    "needs one of the two]."
)
#: the environment variable naming the ledger, as for the notebooks (``graphkit.notebook.LEDGER_ENV``)
LEDGER_ENV = "GRAPHKIT_LEDGER"
#: ``--ledger`` of every command that reads or writes the warning ledger: a team on Neo4j names its ledger once
#: (``GRAPHKIT_LEDGER``) for the command line as for the notebooks, not on every command
ledger_option = click.option(
    "--ledger", type=click.Path(dir_okay=False, path_type=Path), default=None, envvar=LEDGER_ENV, help=LEDGER_HELP
)


#: the environment variable choosing the console's language for every command (``zh`` or ``en``): a command's
#: ``--lang`` where it has one, and click's own words (Usage, Error, Options) in every command
LANG_ENV = "GRAPHKIT_LANG"
#: the language of the command running now (:func:`console_lang`), set by :func:`graphkit.cli.Console.main`
_CONSOLE_LANG = ["zh"]


def lang_option(help: str):
    """``--lang zh|en`` of a face that reads Chinese first (:data:`graphkit.rules.words.LANGS`): ``help`` says what
    each gives; ``GRAPHKIT_LANG`` (:data:`LANG_ENV`) gives it when the command line does not."""
    from graphkit.rules.words import LANGS

    return click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, envvar=LANG_ENV, help=help)


def lang_of(args: list[str], env: str | None = None) -> str:
    """The console's language for a command line: its ``--lang en|zh`` (or ``--lang=…``), else ``env`` (the value of
    ``GRAPHKIT_LANG``) when it names one, else Chinese. Read before click parses the line, so that a refusal said
    while parsing (a bad ``--period``, a missing option) is in the language the command would have answered in.

    >>> lang_of(["rank", "--lang", "en"]), lang_of(["rank", "--lang=en"]), lang_of(["stats"], "en"), lang_of([])
    ('en', 'en', 'en', 'zh')
    """
    from graphkit.rules.words import LANGS

    args = [str(a) for a in args]  # click takes numbers on a line given from Python
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg.partition("=")[2]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGS:
            return value
    return env if env in LANGS else "zh"


def console_lang() -> str:
    """``zh`` or ``en``: the language the running command answers in (:func:`lang_of` its command line)."""
    return _CONSOLE_LANG[0]


def refused(exc: BaseException | str) -> str:
    """A store's or a ledger's refusal as the console reads: its own text under ``en``, in Chinese otherwise
    (:func:`graphkit.rules.words.refusal_zh`)."""
    from graphkit.rules.words import refusal_zh

    return said(str(exc), refusal_zh(str(exc)))


def os_why(exc: OSError) -> str:
    """What the operating system said of a file (``exc.strerror``: No space left on device, Permission denied …),
    in Chinese under the Chinese console (:func:`graphkit.model.words.os_error_zh`: 磁盘空间不足, 本账户无权访问 …),
    as it said it under ``en``; no path (the line names it).

    >>> import errno
    >>> os_why(OSError(errno.ENOSPC, "No space left on device"))
    '磁盘空间不足'
    """
    from graphkit.model.words import os_error_zh

    why = exc.strerror or str(exc)
    if console_lang() == "en" or exc.errno is None:
        return why
    zh = os_error_zh(f"[Errno {exc.errno}] {why}")
    return zh if not zh.startswith("[Errno") else why


def said(en: str, zh: str) -> str:
    """``zh`` when the console reads Chinese (:func:`console_lang`), else ``en``: a refusal or a note said in the
    language of the command running."""
    return en if console_lang() == "en" else zh


__all__ = [
    "lang_option",
    "LANG_ENV",
    "lang_of",
    "console_lang",
    "said",
    "os_why",
    "refused",
    "STORE_HELP",
    "LEDGER_HELP",
    "LEDGER_ENV",
    "ledger_option",
    "parse_spec",
    "open_for_reading",
    "open_ledger",
    "echo_json",
    "cut",
    "pad",
    "width",
    "table",
    "Steps",
    "INTERRUPTED",
    "if_interrupted",
    "interrupted_line",
    "finishing",
    "whole_file",
    "new_folder",
]


#: the exit code of a command stopped by Ctrl-C: 128 + SIGINT, what a shell reports for any program it interrupts
INTERRUPTED = 130
#: where a command keeps what it would say if Ctrl-C stopped it now (``ctx.meta``, shared by the nested contexts)
_IF_INTERRUPTED = "graphkit.if_interrupted"
#: what a command that has written nothing says when it is interrupted (every reading command)
_NOTHING_CHANGED = (
    "nothing was changed or written: the store, the ledger and the audit log are as they were",
    "没有改动也没有写出任何东西：库、台账和审计日志都和之前一样",
)


def if_interrupted(en: str, zh: str) -> None:
    """What the running command has kept and what not, said in one line if Ctrl-C stops it from here on
    (:func:`interrupted_line`); a command sets it again at each step that changes the answer (the store committed,
    a file written whole). A command that never sets it writes nothing, and says so."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_IF_INTERRUPTED] = (en, zh)


def interrupted_line(ctx: click.Context | None = None) -> str:
    """The one line a command stopped by Ctrl-C ends with: what it kept and what not (:func:`if_interrupted`)."""
    ctx = ctx or click.get_current_context(silent=True)
    en, zh = (ctx.meta.get(_IF_INTERRUPTED) if ctx is not None else None) or _NOTHING_CHANGED
    return said(f"interrupted (Ctrl-C): {en}", f"已中断（Ctrl-C）：{zh}")


@contextlib.contextmanager
def finishing(en: str, zh: str) -> Iterator[None]:
    """Hold a Ctrl-C back while the block writes what must be whole together (a load's quarantine, report and
    audit record once the store is committed; the ledger's warnings and their audit record): the block ends, then
    the interrupt is raised, saying ``zh`` (``en``): what is now kept. A second Ctrl-C is held back too (a line
    says the command is finishing). Only the main thread receives signals: elsewhere the block runs as it is."""
    from graphkit.stores.base import held_interrupts

    def notice() -> None:
        click.echo(
            said("\nfinishing what must be written whole; a moment…", "\n正在写完必须完整写出的内容，请稍候…"), err=True
        )

    with held_interrupts(notice, lambda: if_interrupted(en, zh)):
        yield


@contextlib.contextmanager
def whole_file(path: Path) -> Iterator[Path]:
    """A name beside ``path`` to write the file under (``.NAME.partial-PID.EXT``: the same folder, the same suffix
    for a writer that reads the format from it), renamed to ``path`` when the block ends well; on an error or a
    Ctrl-C it is removed. So no half-written file is ever left under the name a reader opens, and a file that was
    there before stays whole until the new one is."""
    path = Path(path)
    partial = path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # missing folders are made (OutPath)
        yield partial
        os.replace(partial, path)
    except OSError as exc:  # said of the file the user named, not of the name it was written under
        if exc.filename not in (str(partial), partial):
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        partial.unlink(missing_ok=True)


@contextlib.contextmanager
def new_folder(path: Path) -> Iterator[Path | None]:
    """A folder the block writes many files into (``synth --out``, ``collusion score --out``,
    ``load --neo4j-import-dir``): when it is not there yet, the command makes it, and a Ctrl-C or an error in the
    block removes it whole (with any missing folder above it the command made), so that no half-written city,
    report set or import folder is left to load, read or import from. Yields the folder that would be removed
    (None: the user had it, and it is never removed; the command says what is in it instead)."""
    import shutil

    from graphkit.stores.base import held_interrupts

    path, top = Path(path), None
    while not path.exists() and path != path.parent:
        top, path = path, path.parent
    try:
        yield top
    except BaseException:
        if top is not None:
            with held_interrupts(lambda: None):  # removed whole: a second Ctrl-C waits for it
                shutil.rmtree(top, ignore_errors=True)
        raise


def parse_spec(store_spec: str) -> StoreSpec:
    """The parsed ``--store`` value, or a usage error saying what is accepted.

    Parameters
    ----------
    store_spec : str
        ``embedded:PATH`` or ``neo4j://HOST:PORT``.

    Returns
    -------
    StoreSpec
    """
    try:
        return StoreSpec.parse(store_spec)
    except ValueError as exc:
        raise click.BadParameter(refused(exc), param_hint="--store") from exc


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``n`` and the word, singular for one: ``1 hop``, ``2 hops``, ``1,204 rows`` (``1 links within 1 hops``
    was how the console read).

    >>> counted(1, "hop"), counted(2, "hop"), counted(1204, "row"), counted(2, "entity", "entities")
    ('1 hop', '2 hops', '1,204 rows', '2 entities')
    """
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


class OutPath(click.Path):
    """A file (or, with ``folder``, a folder) a command writes, checked when the command line is read: a path
    under a file (``--out P.pdf/x.html``) or in a folder this account cannot write is said before any work, not as
    a ``FileExistsError`` traceback once a portrait or a model is done. Missing folders are made when writing."""

    def __init__(self, *, folder: bool = False) -> None:
        super().__init__(file_okay=not folder, dir_okay=folder, path_type=Path)
        self.folder = folder

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        above = Path(path) if self.folder else Path(path).parent
        while not above.exists() and above != above.parent:
            above = above.parent
        if not above.is_dir():
            self.fail(
                said(f"{path}: {above} is a file, not a folder", f"{path}：{above} 是文件，不是文件夹"), param, ctx
            )
        if not os.access(above, os.W_OK | os.X_OK):
            self.fail(
                said(f"{path}: this account cannot write in {above}", f"{path}：本账户无权在 {above} 中写入"),
                param,
                ctx,
            )
        return path


def open_for_reading(store_spec: str) -> GraphStore:
    """Open a store to read it (an embedded store read-only); a store that cannot be opened is a user
    error, said plainly.

    Parameters
    ----------
    store_spec : str
        ``embedded:PATH`` or ``neo4j://HOST:PORT``.

    Returns
    -------
    GraphStore
    """
    from graphkit.cli.audit import is_viewer

    spec = parse_spec(store_spec)
    try:
        # a viewer's command changes nothing in the store, not even an older store's schema
        store = open_store(
            spec, read_only=True, **({"upgrade": False} if spec.kind == "embedded" and is_viewer() else {})
        )
        added = getattr(store, "upgraded", None)
        if added:
            from graphkit.stores.embedded import _added

            what = ", ".join(_added(a) for a in added)
            click.echo(
                said(
                    f"note: {store_spec} was built by an older graphkit; added what the model has since declared "
                    f"({what}; empty in the rows already there)",
                    f"注意：{store_spec} 由较早版本的 graphkit 建成；已补上模型后来声明的部分（{what}；"
                    "已有的行中为空）",
                ),
                err=True,
            )
        hold_public(store)
        if spec.kind == "embedded":
            keep_names(store, spec.beside(NAMES_SUFFIX), is_viewer())
        return store
    except StoreUnavailable as exc:  # "cannot reach Neo4j at …; is it running?" says it all
        raise click.ClickException(refused(exc)) from exc
    except Exception as exc:  # a store that cannot be opened is a user error, said plainly
        raise click.ClickException(
            said(f"cannot open store {store_spec}: {exc}", f"无法打开库 {store_spec}：{refused(exc)}")
        ) from exc


#: the folder beside an embedded store where its name index is kept (:func:`keep_names`)
NAMES_SUFFIX = ".name-index"


#: the steps of building the name index (:func:`graphkit.search.build_steps`) in Chinese
_NAME_STEPS_ZH = {
    "names": "读取名称",
    "aliases": "读取别名",
    "simplified": "繁简转换",
    "pinyin": "拼音",
    "tokens": "分词",
    "keep": "保存索引",
}


def keep_names(store: GraphStore, folder: Path, viewer: bool = False) -> None:
    """Keep the embedded store's name index in ``folder`` beside it (``<store path>.name-index``,
    :func:`graphkit.search.keep_index`): a search in the next
    command reads it instead of building it again (seconds of CPU at a million persons) while the store is as
    it was.  When it is built, a bar says so and why (库已变更, a load since; 首次建立), step by step; a long
    build prints a line off a terminal as every bar does.  A viewer reads a kept index and writes none."""
    import contextlib

    from graphkit.search import build_steps, keep_index

    @contextlib.contextmanager
    def building(why: str):
        steps = build_steps(store, kept=not viewer)
        cause = (
            said("the store changed: rebuilding", "库已变更，重建")
            if why == "changed"
            else said("building", "首次建立")
        )
        bar = Steps(said("name index", "名称索引"), len(steps))
        first = [True]

        def step(name: str) -> None:
            if not first[0]:
                bar.done()
            first[0] = False
            what, _, label = name.partition(" ")
            if console_lang() == "zh":
                what = _NAME_STEPS_ZH.get(what, what)
                label = store.model.display_name(label) if label in store.model.labels else label
            bar.start(
                f"{cause}: {what} {label}".rstrip() if console_lang() == "en" else f"{cause}：{what} {label}".rstrip()
            )

        try:
            yield step
            bar.done()
        finally:
            bar.close()

    keep_index(store, folder, write=not viewer, building=building)


def hold_public(store: GraphStore) -> None:
    """Show the store's official plates and registered addresses in clear (:meth:`GraphStore.public_keys`) for
    the rest of the command: every other plate and address is masked (:func:`graphkit.model.mask.known_public`).
    Asked now (commands close the store before they print), undone when the command ends."""
    from graphkit.model.mask import reset_known_public, set_known_public

    token = set_known_public(store.public_keys())
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(lambda: reset_known_public(token))


def open_ledger(store_spec: str | None, ledger: Path | None, *, must_exist: bool = False, read_only: bool = False):
    """The warning ledger given by ``--ledger``, or the one beside ``--store``; a file that is missing (when
    it must exist) or is not a ledger is a plain error.

    Parameters
    ----------
    store_spec : str or None
        The ``--store`` value.
    ledger : Path or None
        The ``--ledger`` value.
    must_exist : bool
        Refuse a ledger file that is not there yet (``warnings update``).
    read_only : bool
        Open it to read only (SQLite ``mode=ro``; implies ``must_exist``): nothing is created or written.

    Returns
    -------
    graphkit.rules.ledger.Ledger
    """
    from graphkit.rules.ledger import Ledger, LedgerError, default_path

    # the command that makes the ledger, as this user must type it: a Neo4j store's ledger is named (`models run
    # --store neo4j://…` alone is refused), and the hint said `graphkit models run --store ...` whatever the store
    make = f"graphkit models run --store {store_spec or '...'}" + ("" if ledger is None else f" --ledger {ledger}")
    if ledger is None:
        if not store_spec:
            raise click.UsageError(
                said(
                    "give --ledger PATH or the --store the ledger sits beside",
                    "请给出 --ledger 路径，或台账所在的 --store",
                )
            )
        parse_spec(store_spec)
        try:
            ledger = default_path(store_spec)
        except LedgerError as exc:
            raise click.UsageError(refused(exc)) from exc
    if (must_exist or read_only) and not Path(ledger).exists():
        raise click.ClickException(
            said(
                f"no ledger at {ledger}: run `{make}` first",
                f"{ledger} 没有预警台账：先运行 `{make}`",
            )
        )
    try:
        return Ledger(ledger, read_only=read_only)
    except LedgerError as exc:
        raise click.ClickException(refused(exc)) from exc


def echo_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON, Chinese as it is."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cut(text: Any, n: int) -> str:
    """``text`` as a string of at most ``n`` terminal columns, a Chinese character counting two (an ellipsis marks
    a cut): a name of 14 characters cut at 24 *characters* took 28 columns and pushed its row's next columns out
    of line under :func:`pad`'s header.

    >>> cut("苏州市虎丘区浒墅关镇人民政府", 24), cut("Suzhou", 24)
    ('苏州市虎丘区浒墅关镇人…', 'Suzhou')
    """
    s = "" if text is None else str(text)
    if width(s) <= n:
        return s
    out, used = [], 0
    for c in s:
        w = width(c)
        if used + w > n - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


_NO_LINE_START = frozenset("，。；：、）》」』！？")
_NO_LINE_END = frozenset("（《「『")


def wrap(text: Any, n: int) -> list[str]:
    """``text`` as lines of at most ``n`` terminal columns (a Chinese character counting two), broken at a space
    where one is near the end of a line, else between any two characters (Chinese has no spaces); nothing is cut.

    >>> wrap("本单位 93% 的采购额流向职工及其亲属关联企业", 16)
    ['本单位 93%', '的采购额流向职工', '及其亲属关联企业']
    >>> wrap("compared with all 41 community units", 20)
    ['compared with all 41', 'community units']
    """
    words = str("" if text is None else text)
    lines: list[str] = []
    while width(words) > n:
        used, end = 0, 0
        for i, c in enumerate(words):
            if used + width(c) > n:
                break
            used += width(c)
            end = i + 1
        space = words.rfind(" ", 0, end + 1)
        if space > end // 2:  # a space in the second half of the line: break there
            end = space
        # Chinese typesetting (避头尾): no line starts with a closing mark (；，。…) or ends with an opening one
        # (（《): the character before goes down with it (the rank's note had a line starting with ；)
        while 1 < end < len(words) and (words[end] in _NO_LINE_START or words[end - 1] in _NO_LINE_END):
            end -= 1
        lines.append(words[: max(end, 1)].rstrip())
        words = words[max(end, 1) :].lstrip()
    return lines + ([words] if words or not lines else [])


def columns() -> int:
    """The terminal's width in columns (``COLUMNS`` if set; 120 when the output is not a terminal)."""
    import shutil

    return shutil.get_terminal_size((120, 24)).columns


def width(text: str) -> int:
    """How many terminal columns ``text`` takes, a Chinese (wide or full-width) character counting two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width_: int) -> str:
    """``text`` left-aligned in ``width_`` terminal columns, a Chinese character counting two (``f"{text:<24}"``
    counts it one, and a table of Chinese file names goes out of line)."""
    used = width(text)
    return text + " " * max(width_ - used, 1 if used >= width_ else 0)


def table(rows: list[tuple[str, ...]], *, indent: str = "  ", gap: int = 2) -> list[str]:
    """Rows of cells as aligned lines: each column but the last as wide as its widest cell (Chinese
    characters counting two), ``gap`` spaces between columns, so no two cells run together.

    Example
    -------
    >>> table([("1", "ReceptionExpense", "JD1"), ("2", "Address", "苏州市")])
    ['  1  ReceptionExpense  JD1', '  2  Address           苏州市']
    """
    if not rows:
        return []
    n = max(len(r) for r in rows)
    widths = [max((width(r[i]) for r in rows if i < len(r)), default=0) for i in range(n)]
    out = []
    for r in rows:
        cells = [pad(c, widths[i] + gap) if i < len(r) - 1 else c for i, c in enumerate(r)]
        out.append((indent + "".join(cells)).rstrip())
    return out


class Steps:
    """A progress bar on stderr (tqdm, as the other long commands show) over steps whose count grows as they
    become known: a command plans its steps, and a writer that counts its own (a PDF's pages) stands in for one
    of them through :meth:`part`.

    Example
    -------
    >>> import io
    >>> bar = Steps("export", 2, file=io.StringIO())
    >>> bar.start("read")
    >>> bar.done()
    >>> report = bar.part()
    >>> report(0, 3, "page 1/3"); report(3, 3, "")
    >>> bar.bar.n, bar.bar.total
    (4, 4)
    >>> bar.close()
    """

    def __init__(self, desc: str, total: int, *, file=None) -> None:
        import sys

        from graphkit.progress import tqdm

        # every step shown (a few dozen at most, each a second or so): no rate limit on refreshing
        self.bar = tqdm(total=total, unit="step", desc=desc, file=file or sys.stderr, leave=False, mininterval=0)

    def start(self, what: str) -> None:
        """Say which step is running (after the bar)."""
        self.bar.set_postfix_str(what)

    def done(self, n: int = 1) -> None:
        """``n`` steps finished."""
        self.bar.update(n)

    def part(self):
        """A :data:`graphkit.exports.Progress` callback for a writer's own steps, which stand in for one step
        of this bar: ``report(done, total, what)``."""
        base, planned = self.bar.n, [1]

        def report(done: int, total: int, what: str) -> None:
            if total != planned[0]:
                self.bar.total += total - planned[0]
                planned[0] = total
            self.bar.set_postfix_str(what, refresh=False)
            self.bar.update(base + done - self.bar.n)  # (update, not n =: the rate and the time left follow)

        return report

    def echo(self, text: str, *, err: bool = False) -> None:
        """A line on the console with the bar cleared first (never after the bar on its line)."""
        with self.bar.external_write_mode():
            click.echo(text, err=err)

    def close(self) -> None:
        """Take the bar off the console."""
        self.bar.close()


#: a workbook's sheets by what they hold (:func:`write_workbook`), named in one language a file, the command's
#: (``--lang``; Chinese by default): they had been named both ways in one name (说明 notes, 优先复核 priority) beside
#: English ones (ranking, tenders)
SHEETS = {
    "notes": ("说明", "notes"),
    "ranking": ("排名", "ranking"),
    "units": ("单位", "units"),
    "tenders": ("标段", "tenders"),
    "priority": ("优先复核", "priority"),
}


def sheet_name(key: str, lang: str = "zh") -> str:
    """The name of the sheet :data:`SHEETS` keys as ``key`` in ``lang``.

    >>> sheet_name("notes"), sheet_name("notes", "en"), sheet_name("priority")
    ('说明', 'notes', '优先复核')
    """
    return SHEETS[key][1 if lang == "en" else 0]


def sheet_of(names: list[str], key: str) -> str | None:
    """Which of a workbook's sheet ``names`` is the :data:`SHEETS` ``key`` one, in either language or as an older
    version named it (``说明 notes``, ``优先复核 priority``); None when it has none.

    >>> sheet_of(["标段", "说明"], "tenders"), sheet_of(["tenders", "说明 notes"], "notes"), sheet_of(["x"], "units")
    ('标段', '说明 notes', None)
    """
    zh, en = SHEETS[key]
    return next((n for n in names if n in (zh, en, f"{zh} {en}")), None)


def write_workbook(frame, dest: Path, notes: list[tuple[str, str]], *, sheet: str, first=(), lang: str = "zh") -> None:
    """``frame`` as a workbook a team can hand round: the header row frozen and filtered, columns as wide as
    their text (up to 60), and a sheet 说明 (``lang="en"``: notes) of (item, note) rows: what the file holds, when,
    by whom, and what each column means (``rank --out X.xlsx`` and ``collusion score-bids --out X.xlsx`` write it; the
    files had been one bare sheet of English headers). ``sheet``: the :data:`SHEETS` key of ``frame``'s sheet;
    ``first``: (key, frame) sheets written before ``frame``'s, in order (``score-bids``' priority tier leads its
    workbook). Every sheet is named in ``lang`` (:func:`sheet_name`)."""
    import pandas as pd
    from openpyxl.utils import get_column_letter

    heads = ["item", "note"] if lang == "en" else ["项目", "说明"]
    with whole_file(dest) as part, pd.ExcelWriter(part, engine="openpyxl") as xw:  # whole or not at all
        for name, part_frame in first:
            part_frame.to_excel(xw, index=False, sheet_name=sheet_name(name, lang))
        frame.to_excel(xw, index=False, sheet_name=sheet_name(sheet, lang))
        pd.DataFrame(notes, columns=heads).to_excel(xw, index=False, sheet_name=sheet_name("notes", lang))
        for ws in xw.sheets.values():
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
            for col in ws.iter_cols(min_row=1, max_row=min(ws.max_row, 200)):
                widest = max((width(str(c.value)) for c in col if c.value is not None), default=8)
                ws.column_dimensions[get_column_letter(col[0].column)].width = min(max(widest + 2, 8), 60)
