"""What the commands that write case files share (``export``, ``neighbours --export``, ``path --export``):
naming the subject exactly, the case number, the format of each file, writing and auditing the files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graphkit.audit import written_files
from graphkit.cli.audit import graph_persons, record, shown
from graphkit.cli.common import Steps, refused, said

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

    A name that matches only by pinyin or in part, or that several entities have, stops the command
    (exit 2) with the candidates listed, each with the handle to give instead."""
    from graphkit.paths import PathError
    from graphkit.search import AmbiguousEntity, NotExact, handles, resolve_exact

    try:
        c = resolve_exact(store, text)
    except (AmbiguousEntity, NotExact) as exc:
        print_candidates(str(exc), exc.candidates, unmask)
        sys.exit(2)
    except PathError as exc:
        raise click.ClickException(shown(refused(exc), unmask)) from exc
    import pandas as pd

    (handle,) = handles(store, pd.DataFrame([{"label": c.label, "id": c.id, "name": c.name}]))
    return Subject(c.label, c.id, c.name, handle)


def entity_key(store, text: str, labels: tuple[str, ...], what: str, unmask: bool = False) -> str:
    """The key of the entity ``text`` names, one of ``labels`` (:func:`graphkit.search.resolve_entity`, which the
    notebooks' ``SUBJECT`` reads with too): a name that one entity of those labels has exactly wins over other
    entities of that name (a unit over its building, a Place), else identifiers, names, ``NAME#N``; namesakes and
    similar names are listed (exit 2); an entity of another label is refused, saying it is not ``what``."""
    from graphkit.model.mask import public_keys
    from graphkit.paths import PathError
    from graphkit.search import AmbiguousEntity, NotExact, WrongLabel, resolve_entity

    try:
        return resolve_entity(store, text, labels, what).id
    except (AmbiguousEntity, NotExact) as exc:
        print_candidates(str(exc), exc.candidates, unmask)
        sys.exit(2)
    except WrongLabel as exc:  # '9132…' names a Company, not a person: its credit code as on its node
        keep = public_keys([(exc.found.label, exc.found.id)])
        raise click.ClickException(shown(str(exc), unmask, keep=keep)) from exc
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
    steps, a PDF's pages, stand in for it); closed when the files are written."""
    from graphkit.exports import write_case_file

    steps = steps or Steps("export", len(files))
    echo = steps.echo
    done = []
    try:
        for out, fmt in files:
            steps.start(f"write {out.name}")
            try:
                res = write_case_file(g, out, info, fmt=fmt, max_drawn=max_drawn, progress=steps.part())
            except (OSError, RuntimeError, ValueError) as exc:
                raise click.ClickException(f"{out}: {exc}") from exc
            done.append(res)
            _said(res, fmt, info, unmask, lambda text: echo(text, err=echo_err))
    finally:
        steps.close()
    for note in info.omitted:
        click.echo(shown(said(f"left out of the case file: {note}", f"案卷中未收入：{note}"), unmask), err=True)
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
        },
        by=info.by,
        purpose=purpose,
        result=g.number_of_nodes(),
        unmask=unmask,
        reason=info.reason,
    )
    return done


def _said(res, fmt: str, info, unmask: bool, echo) -> None:
    """The console's line on a case file written: what it holds, what its drawing folds and leaves out
    (:func:`graphkit.rules.words.case_file_written`, as the Explorer says it): in Chinese under the Chinese console
    (``已写出 P.pdf（pdf，案件 苏纪2024-017）：2 个节点，1 条关系；标识已遮蔽``), in English under ``en``."""
    from graphkit.cli.common import console_lang
    from graphkit.rules.words import case_file_written

    echo(case_file_written(res, info.case, unmask=unmask, lang=console_lang()))
