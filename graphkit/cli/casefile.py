"""What the commands that write case files share (``export``, ``neighbours --export``, ``path --export``):
naming the subject exactly, the case number, the format of each file, writing and auditing the files."""

from __future__ import annotations

import dataclasses
import errno
import sys
from pathlib import Path

import click

from graphkit.audit import written_files
from graphkit.cli.audit import graph_persons, record, shown
from graphkit.cli.common import Steps, finishing, if_interrupted, os_why, refused, said, whole_file
from graphkit.model.mask import mask_keys_in, personal_nodes

__all__ = ["Subject", "subject", "print_candidates", "case_number", "file_format", "write_case_files"]


class Subject(tuple):
    """An entity named for a case file: ``(label, id)`` with its ``name`` and ``handle`` (what the user types
    to name it again without its identifier: the name, ``NAME#N`` for a namesake, or a key)."""

    name: str | None
    handle: str

    def __new__(cls, label: str, key: str, name: str | None, handle: str) -> Subject:
        """``Subject(label, key, name, handle)``, equal to the pair ``(label, key)``."""
        self = super().__new__(cls, (label, key))
        self.name, self.handle = name, handle
        return self


def print_candidates(message: str, found, unmask: bool) -> None:
    """The candidates of a name on stderr, each with the handle to pass back (``何露#2``) and what tells
    namesakes apart (birth year, gender, unit, post), identifiers masked unless ``unmask``."""
    from graphkit.cli.common import console_lang
    from graphkit.cli.common import table as aligned
    from graphkit.progress import tqdm
    from graphkit.search import in_words

    cols = [c for c in ("handle", "label", "id", "name", "born", "gender", "unit", "post", "matched") if c in found]
    if console_lang() == "zh":  # headers, kinds and matches in Chinese, aligned by display columns
        words = in_words(found[cols].fillna("").astype(str))
        table = "\n".join(aligned([tuple(words.columns), *words.itertuples(index=False)], indent="  "))
    else:
        table = found[cols].fillna("").to_string(index=False)
    with tqdm.external_write_mode():  # a progress bar running is cleared first
        click.echo(shown(refused(message), unmask), err=True)
        click.echo(shown(table, unmask), err=True)


def subject(store, text: str, unmask: bool = False) -> Subject:
    """The entity a case file is about: named exactly (key, identifier, name or its 繁/简 form, ``NAME#N``).

    A name that one person, company or unit has is that entity, whatever entities of other kinds have it too (a
    unit over the Place of its building), as ``graphkit portrait`` and notebook 05 read it
    (:func:`graphkit.search.resolve_entity`); the others are named in a note, each with the handle that picks it.
    A name that matches only by pinyin or in part, or that several of those entities have, stops the command
    (exit 2) with the candidates listed, each with the handle to give instead."""
    from graphkit.paths import PathError
    from graphkit.search import SUBJECT_LABELS, AmbiguousEntity, NotExact, handles, resolve_entity

    try:
        c = resolve_entity(store, text, SUBJECT_LABELS, "", others=True)
    except (AmbiguousEntity, NotExact) as exc:
        print_candidates(str(exc), exc.candidates, unmask)
        sys.exit(2)
    except PathError as exc:
        raise click.ClickException(shown(refused(exc), unmask)) from exc
    import pandas as pd

    (handle,) = handles(store, pd.DataFrame([{"label": c.label, "id": c.id, "name": c.name}]))
    _also_named(store, text.strip(), c, handle, unmask)
    return Subject(c.label, c.id, c.name, handle)


#: most other entities of a name a note lists by their handles (the candidates' list has them all)
_ALSO_SHOWN = 5


def _also_named(store, text: str, c, handle: str, unmask: bool) -> None:
    """A note on stderr when the name ``text`` was taken as ``c`` while other entities have it too: each other one
    with its kind and the handle that picks it (``苏州市城建局#2（场所）``)."""
    from graphkit.cli.common import console_lang
    from graphkit.model import Model
    from graphkit.progress import tqdm
    from graphkit.search import exact_matches

    if "#" in text or handle == c.id:  # a handle or a key names one entity: nothing else was meant
        return
    exact = exact_matches(store, text)
    rest = exact[~((exact["label"] == c.label) & (exact["id"].astype(str) == str(c.id)))]
    if rest.empty:
        return
    lang, model = console_lang(), Model.default()
    mine = model.noun(c.label, lang)
    listed = [
        (f"{r['name']}#{int(r['no'])}", model.noun(r["label"], lang)) for _, r in rest.head(_ALSO_SHOWN).iterrows()
    ]
    more = len(rest) - len(listed)
    if lang == "zh":
        msg = (
            f"注意：{text!r} 还指向另外 {len(rest):,} 个实体："
            + "、".join(f"{h}（{k}）" for h, k in listed)
            + (" 等" if more else "")
            + f"；已取{mine} {handle}，如要其他实体请用其指称"
        )
    else:
        msg = (
            f"note: {text!r} also names {len(rest):,} other {'entity' if len(rest) == 1 else 'entities'}: "
            + ", ".join(f"{h} ({k})" for h, k in listed)
            + (f" and {more:,} more" if more else "")
            + f"; the {mine} {handle} is taken (give another's handle for it)"
        )
    with tqdm.external_write_mode():  # a progress bar running is cleared first
        click.echo(shown(msg, unmask), err=True)


def entity_key(store, text: str, labels: tuple[str, ...], what: str, unmask: bool = False) -> str:
    """The key of the entity ``text`` names, one of ``labels`` (:func:`graphkit.search.resolve_entity`, which the
    notebooks' ``SUBJECT`` reads with too): a name that one entity of those labels has exactly wins over other
    entities of that name (a unit over its building, a Place), else identifiers, names, ``NAME#N``; namesakes and
    similar names are listed (exit 2); an entity of another label is refused, saying it is not ``what``."""
    return entity_found(store, text, labels, what, unmask).id


def entity_found(store, text: str, labels: tuple[str, ...], what: str, unmask: bool = False):
    """The entity ``text`` names (:class:`graphkit.search.Candidate`: its label and key), as :func:`entity_key`
    reads it."""
    from graphkit.model.mask import public_keys
    from graphkit.paths import PathError
    from graphkit.search import AmbiguousEntity, NotExact, WrongLabel, resolve_entity

    try:
        return resolve_entity(store, text, labels, what)
    except (AmbiguousEntity, NotExact) as exc:
        found = exc.candidates
        if isinstance(exc, NotExact) and "label" in found:  # similar names of the kind asked for, where there are:
            mine = found[found["label"].isin(labels)]  # `portrait --unit 桃源镇` offered a Place's handle it refused
            found = mine if len(mine) else found
        print_candidates(str(exc), found, unmask)
        sys.exit(2)
    except WrongLabel as exc:  # '9132…' names a Company, not a person: its credit code as on its node
        keep = public_keys([(exc.found.label, exc.found.id)])
        raise click.ClickException(shown(refused(exc), unmask, keep=keep)) from exc  # in the console's language
    except PathError as exc:
        raise click.ClickException(shown(refused(exc), unmask)) from exc


def case_number(case: str | None, *, required: bool) -> str:
    """``--case`` stripped; an empty or blank one refused (a case file needs a case number)."""
    if case is None and not required:
        return ""
    if not (case or "").strip():
        raise click.UsageError(
            said(
                "--case: a case file needs a case number (案卷号), e.g. --case 苏纪2024-017",
                "--case：案卷须有案卷号，如 --case 苏纪2024-017",
            )
        )
    return case.strip()


def file_format(out: Path, fmt: str | None = None) -> str:
    """The case-file format of ``out``: ``fmt`` when given (refused if the suffix names another format),
    else the suffix's."""
    from graphkit.exports import FORMATS

    suffix = out.suffix.lower().lstrip(".")
    suffix = "html" if suffix == "htm" else suffix
    if fmt is None:
        if suffix not in FORMATS:
            raise click.UsageError(
                said(
                    f"cannot export to {out}: give --format or a suffix ({', '.join(FORMATS)})",
                    f"无法导出到 {out}：请给出 --format 或文件后缀（{'、'.join(FORMATS)}）",
                )
            )
        return suffix
    if suffix in FORMATS and suffix != fmt:
        raise click.UsageError(
            said(
                f"--format {fmt} but --out {out} names a .{suffix} file: make them agree",
                f"--format 为 {fmt}，而 --out {out} 是 .{suffix} 文件：两者须一致",
            )
        )
    return fmt


def write_case_files(
    g,
    files: list[tuple[Path, str]],
    info,
    *,
    store_spec: str,
    command: str,
    params: dict,
    purpose: str | None,
    max_drawn: int,
    unmask: bool,
    echo_err: bool = False,
    steps: Steps | None = None,
) -> list:
    """Write ``g`` as a case file to each ``(path, format)`` with :func:`graphkit.exports.write_case_file`,
    say on the console what each holds and what was left out (``info.omitted`` too), and append one
    ``export`` audit record naming every file written (``params`` say what was asked, ``command`` which
    command asked it). ``steps``: the command's progress bar, one planned step a file (the writer's own
    steps, a PDF's pages, stand in for it); closed when the files are written. What the graph leaves out
    (``info.omitted``) is said in the console's language, as the file says it (:attr:`CaseInfo.lang`)."""
    from graphkit.exports import write_case_file

    steps = steps or Steps("export", len(files))
    echo = steps.echo
    done = []

    def recorded(stopped: bool = False) -> None:
        """One ``export`` record naming the files written (``stopped``: the command stopped before the rest)."""
        record(
            store_spec,
            "export",
            {
                **params,
                "via": command,
                "case": info.case,
                **written_files(*(r.path for r in done)),  # ties each file to this record: sha256sum gives the same
                "formats": [r.format for r in done],
                "left_out": list(info.omitted),
                "persons": graph_persons(g),
                **({"stopped": "before the other files were written"} if stopped else {}),
            },
            by=info.by,
            purpose=purpose,
            result=g.number_of_nodes(),
            unmask=unmask,
            reason=info.reason,
        )

    try:
        for out, fmt in files:
            steps.start(f"write {out.name}")
            # each file whole under its name or not at all: a Ctrl-C or a full disk half way through a PDF left a
            # file a case officer could open and file as complete
            _if_interrupted(done)
            try:
                with whole_file(out) as part:
                    res = write_case_file(g, part, info, fmt=fmt, max_drawn=max_drawn, progress=steps.part())
                res = dataclasses.replace(res, path=out)
            except OSError as exc:
                raise click.ClickException(unwritten(out, exc)) from exc
            except (RuntimeError, ValueError) as exc:
                raise click.ClickException(said(f"{out}: {exc}", f"无法写出 {out}：{exc}")) from exc
            done.append(res)
            _said(res, fmt, info, unmask, lambda text: echo(text, err=echo_err))
    except BaseException:
        if done:  # the files written are in the audit log, as every file a command writes
            with finishing(*_kept(done)):
                recorded(stopped=True)
        raise
    finally:
        steps.close()
    for note in info.omitted:
        said_ = said(f"left out of the case file: {note}", f"案卷中未收入：{note}")
        # a person's key the free-text rule misses (an FtM id, a passport number) as the file shows it: a hub's
        # and the subject's were printed in clear
        click.echo(said_ if unmask else shown(mask_keys_in(said_, personal_nodes(g)), unmask), err=True)
    with finishing(*_kept(done)):
        recorded()
    return done


def _said(res, fmt: str, info, unmask: bool, echo) -> None:
    """The console's line on a case file written: what it holds, what its drawing folds and leaves out
    (:func:`graphkit.rules.words.case_file_written`, as the Explorer says it): in Chinese under the Chinese console
    (``已写出 P.pdf（pdf，案卷号 苏纪2024-017）：2 个节点，1 条关系；标识已遮蔽``), in English under ``en``."""
    from graphkit.cli.common import console_lang
    from graphkit.rules.words import case_file_written

    echo(case_file_written(res, info.case, unmask=unmask, lang=console_lang()))


def unwritten(out: Path, exc: OSError) -> str:
    """Why ``out`` could not be written, as a case officer reads it: the disk is full, this account may not write
    there, a folder is in the way of the file (``--out`` names a folder), or what the system said otherwise; in
    Chinese under the Chinese console (it was ``P.pdf: [Errno 28] No space left on device: '…'``). Nothing of the
    file is left: it is written under another name and renamed when whole (:func:`graphkit.cli.common.whole_file`).

    >>> unwritten(Path("案卷/张三.pdf"), OSError(errno.ENOSPC, "No space left on device"))
    '无法写出 案卷/张三.pdf：磁盘空间不足；没有留下不完整的文件'
    """
    if exc.errno == errno.EISDIR or out.is_dir():
        return said(
            f"cannot write {out}: a folder of that name is in the way; name a file (such as {out / 'case.pdf'})",
            f"无法写出 {out}：那里是一个同名的文件夹；请写文件名（如 {out / '案卷.pdf'}）",
        )
    return said(
        f"cannot write {out}: {os_why(exc)}; no partial file is left",
        f"无法写出 {out}：{os_why(exc)}；没有留下不完整的文件",
    )


def _kept(done: list) -> tuple[str, str]:
    """What is kept once ``done`` are written and recorded (said if Ctrl-C stops the command now)."""
    names = [str(r.path) for r in done]
    return (
        f"written whole and recorded in the audit log: {', '.join(names)}; no file is left half-written",
        f"已完整写出并记入审计日志：{'、'.join(names)}；没有留下写了一半的文件",
    )


def _if_interrupted(done: list) -> None:
    """What a Ctrl-C leaves while case files are written: the files finished (each whole, and recorded in the
    audit log as the command stops), none half-written."""
    if not done:
        if_interrupted(
            "no case file was written (none is left half-written) and no export recorded",
            "没有写出案卷文件（也没有留下写了一半的文件），审计日志中没有记录导出",
        )
        return
    if_interrupted(*_kept(done))
