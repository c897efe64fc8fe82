"""Command line: ``graphkit audit show|verify``, and what every investigating command shares —
who acts (``--by``), why (``--purpose``), unmasking (``--unmask --reason``), the viewer role
(``graphkit --read-only`` or ``GRAPHKIT_ROLE=viewer``) and the record each command appends to the audit log.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from graphkit.audit import (
    APPROVAL_HOURS,
    ROLE_ENV,
    ApprovalRequired,
    AuditBroken,
    AuditError,
    AuditLog,
    SelfApproval,
    audit_path_for,
    command_named,
    command_words,
    current_user,
    graph_persons,
    masked_params,
    params_in_words,
    persons_in,
    refusal_words,
    review_headings,
    review_rows,
    viewer_refusal,
    written_files,
)
from graphkit.cli.common import OutPath, console_lang, pad
from graphkit.cli.common import said as _say  # (said: the words of a function below)
from graphkit.cli.helpwords import UNMASK_HELP
from graphkit.model.mask import mask_data, mask_text
from graphkit.rules.words import local_time

__all__ = [
    "audit_group",
    "face_options",
    "is_viewer",
    "refuse_viewer",
    "record_refusal",
    "check_unmask",
    "check_log",
    "record",
    "persons_in",
    "graph_persons",
    "shown",
    "ROLE_ENV",
]

_READ_ONLY = "graphkit.read_only"
_APPROVAL = "graphkit.approval"


def set_read_only(ctx: click.Context, read_only: bool) -> None:
    """Remember ``graphkit --read-only`` for the commands under this context."""
    ctx.meta[_READ_ONLY] = bool(read_only)


def is_viewer() -> bool:
    """Whether this run is a viewer's: ``graphkit --read-only`` or ``GRAPHKIT_ROLE=viewer``."""
    ctx = click.get_current_context(silent=True)
    flag = bool(ctx and ctx.meta.get(_READ_ONLY))
    return flag or os.environ.get(ROLE_ENV, "").strip().lower() == "viewer"


#: what a refusal on the console says around its reason (:func:`graphkit.audit.refusal_words`), by language
_REFUSED = {
    "zh": {
        "error": "错误：{}",
        "viewer": "错误：{}；请由有写权限的分析人员操作{}",
        "recorded": "（此次被拒绝的操作已记入审计日志）",
        "not_recorded": "（此次被拒绝的操作未能记入审计日志：{}）",
    },
    "en": {
        "error": "error: {}",
        "viewer": "error: {}; ask an analyst with write rights{}",
        "recorded": " (the refused attempt is recorded in the audit log)",
        "not_recorded": " (the refused attempt could not be recorded: {})",
    },
}


def refuse_viewer(action: str) -> None:
    """Stop with exit code 3 and a plain message when a viewer asks for ``action``: in Chinese, in English under
    ``--lang en``; the log keeps the reason in English (:func:`graphkit.audit.viewer_refusal`), as it always did.

    Parameters
    ----------
    action : str
        What was asked (``load a store``, ``change a warning`` …), a key of
        :data:`graphkit.audit.VIEWER_ACTIONS_ZH`.
    """
    if is_viewer():
        why = viewer_refusal(action)
        lang = console_lang()
        noted = _record_refusal(why, lang)
        click.echo(_REFUSED[lang]["viewer"].format(refusal_words(why, lang), noted), err=True)
        sys.exit(3)


def record_refusal(why: str, store_spec: str | None = None) -> str:
    """Record that what the running command acts on refused it (the ledger's closed loop: ``warnings update`` of a
    rectified warning), as a viewer's attempt is recorded; returns what to add to the error message, in the
    console's language. ``store_spec`` names the store whose log takes the record where the command's ``--store``
    does not (a ledger given by ``--ledger`` alone)."""
    return _record_refusal(why, console_lang(), store_spec=store_spec)


def _record_refusal(why: str, lang: str = "zh", *, store_spec: str | None = None) -> str:
    """Append a refused attempt of the running command to its store's audit log (who, the command and its
    parameters, why refused: :meth:`graphkit.audit.AuditLog.refuse`); returns what to add to the error
    message, in ``lang``. A command with no store (no log to name) or a log that cannot be written is refused all
    the same, and the message says the attempt was not recorded. An ``audit`` command's log is its ``--log`` when
    given (a viewer's ``audit policy --log L`` had been refused unrecorded)."""
    ctx = click.get_current_context(silent=True)
    params = dict(ctx.params) if ctx else {}
    store_spec, log = store_spec or params.get("store_spec"), params.get("log")
    if not store_spec and not log and not os.environ.get("GRAPHKIT_AUDIT"):
        return ""
    command = " ".join(ctx.command_path.split()[1:]) if ctx else ""
    asked = {
        k: v
        for k, v in params.items()
        # the console's language (--lang) is how the command spoke, not what was asked: no parameter
        if k not in ("by", "purpose", "reason", "store_spec", "log", "lang") and v not in (None, (), [])
    }
    path = log or audit_path_for(store_spec or "")
    try:
        AuditLog(path).refuse(
            command or "unknown",
            {"store": store_spec, **asked},
            why=why,
            who=params.get("by"),
            purpose=params.get("purpose"),
            reason=params.get("reason"),
        )
    except (AuditError, OSError, TimeoutError) as exc:
        en, zh = _why(exc, path)
        return _REFUSED[lang]["not_recorded"].format(f"{path}：{zh}" if lang == "zh" else f"{path}: {en}")
    return _REFUSED[lang]["recorded"]


def check_unmask(unmask: bool, reason: str | None) -> None:
    """Refuse ``--unmask`` without a reason, for a viewer, or where the store's audit log requires a
    supervisor's approval and the person asking has none in force (exit code 3, the attempt recorded:
    :meth:`graphkit.audit.AuditLog.unmask_approval`). The approval found is named in the command's record."""
    if not unmask:
        return
    refuse_viewer("show identifiers in clear (--unmask)")
    if not (reason or "").strip():
        raise click.UsageError(
            _say(
                '--unmask needs --reason "why identifiers must be shown in clear" (it is audited)',
                '--unmask 须同时给出 --reason "为何须显示明文标识"（记入审计日志）',
            )
        )
    ctx = click.get_current_context(silent=True)
    params = dict(ctx.params) if ctx else {}
    path = params.get("log") or audit_path_for(params.get("store_spec") or "")
    try:
        approval = AuditLog(path).unmask_approval(current_user(params.get("by")))
    except ApprovalRequired as exc:
        lang = console_lang()
        noted = _record_refusal(str(exc), lang)
        click.echo(_REFUSED[lang]["error"].format(refusal_words(str(exc), lang)) + noted, err=True)
        sys.exit(3)
    except (AuditError, OSError) as exc:
        raise click.ClickException(_log_error(path, exc)) from exc
    if approval is not None and ctx is not None:
        ctx.meta[_APPROVAL] = approval["seq"]


def _why(exc: BaseException, path=None) -> tuple[str, str]:
    """Why a file could not be used, in English and in Chinese: what the operating system said (``Permission
    denied``, 本账户无权访问), and the file it said it of where that is not ``path`` (the log's lock, its head), no
    ``[Errno 13] Permission denied: '…'`` as Python words it; another error as it is."""
    from graphkit.model.words import os_error_zh

    if not isinstance(exc, OSError) or exc.errno is None:
        return str(exc), os_error_zh(str(exc))
    en = (exc.strerror or str(exc)).lower()
    zh = os_error_zh(f"[Errno {exc.errno}] {exc.strerror}")
    zh = zh if not zh.startswith("[Errno") else en
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and exc.filename and Path(exc.filename).is_file():
        en = "a file is in the way of its folder"  # mkdir of a parent that is a file says File exists
        zh = os_error_zh("[Errno 20] Not a directory")
    if exc.filename and str(exc.filename) != str(path):
        en, zh = f"{en} ({exc.filename})", f"{zh}（{exc.filename}）"
    return en, zh


def _log_error(path, exc: BaseException) -> str:
    """An audit log that cannot be read or written, in the console's language, as a sentence naming it and why
    (:func:`_why`: the operating system's words, ``[Errno 17] File exists`` 已存在). Under ``--lang en`` it had said
    ``audit log L: [Errno 13] Permission denied: 'L.lock'``.

    >>> import errno
    >>> _log_error("/x/a.jsonl", PermissionError(errno.EACCES, "Permission denied", "/x/a.jsonl.lock"))
    '无法读写审计日志 /x/a.jsonl：本账户无权访问（/x/a.jsonl.lock）'
    """
    en, zh = _why(exc, path)
    return _say(f"cannot read or write the audit log {path}: {en}", f"无法读写审计日志 {path}：{zh}")


def _unwritten_log(path, exc: BaseException) -> str:
    """Why an approval could not be recorded in the audit log ``path``, in the console's language: the file, what the
    system said of it (:func:`graphkit.cli.common.os_why`), the part of its path in the way when that is another
    (a file where a folder should be), and that nothing was approved. ``audit approve`` had said
    ``Error: [Errno 17] File exists: '…'`` under its usage line, with exit code 2 (a usage error).

    >>> import errno
    >>> _unwritten_log(Path("/x/a.jsonl"), OSError(errno.ENOTDIR, "Not a directory", "/x"))
    '无法写入审计日志 /x/a.jsonl（/x：路径中有一段是文件，不是文件夹）；未作批准'
    """
    from graphkit.cli.common import os_why
    from graphkit.model.words import os_error_zh

    if isinstance(exc, TimeoutError) or not isinstance(exc, OSError):
        why_en = why_zh = str(exc)
    else:
        why_en = why_zh = os_why(exc)
        if exc.errno in (errno.EEXIST, errno.ENOTDIR) and exc.filename and Path(exc.filename).is_file():
            why_en = "a file is in the way of its folder"  # mkdir of a parent that is a file says File exists
            why_zh = os_error_zh("[Errno 20] Not a directory")
        if exc.filename and str(exc.filename) != str(path):
            why_en, why_zh = f"{exc.filename}: {why_en}", f"{exc.filename}：{why_zh}"
    return _say(
        f"cannot write the audit log {path} ({why_en}); nothing was approved",
        f"无法写入审计日志 {path}（{why_zh}）；未作批准",
    )


def _unread(exc: BaseException) -> str:
    """A log that cannot be read to its end (a line that is no JSON record: edited or cut), in the console's
    language; another error as it is."""
    import re

    m = re.fullmatch(r"(?P<p>.+), line (?P<i>\d+), column (?P<c>\d+): not a JSON record", str(exc))
    if m is None:
        return str(exc)
    return _say(str(exc), f"{m['p']} 第 {m['i']} 行第 {m['c']} 列：不是一条 JSON 记录（被编辑或截断）")


def _refuse_broken(exc: AuditBroken) -> None:
    """Stop with exit code 3 (a refusal, as for a viewer): an action that cannot be recorded does not run."""
    click.echo(_say(f"error: {exc}; the command was not run", f"错误：{exc.zh}；命令未执行"), err=True)
    sys.exit(3)


def check_log(store_spec: str | None) -> None:
    """Before a command does anything it must record: stop it (exit code 3) when the store's audit log does
    not end where its head says (:meth:`graphkit.audit.AuditLog.check_head`), or with exit code 1 when the
    log cannot be read.

    Parameters
    ----------
    store_spec : str or None
        The ``--store`` the command runs on.
    """
    path = audit_path_for(store_spec or "")
    try:
        AuditLog(path).check_head()
    except AuditBroken as exc:
        _refuse_broken(exc)
    except (AuditError, OSError, TimeoutError) as exc:
        raise click.ClickException(_log_error(path, exc)) from exc


def face_options(f):
    """``--by``, ``--purpose``, ``--unmask``, ``--reason`` on an investigating command; the command checks
    its store's audit log (:func:`check_log`) before it runs."""

    command = f

    @functools.wraps(command)
    def checked(*args, **kwargs):
        check_log(kwargs.get("store_spec"))
        return command(*args, **kwargs)

    f = checked
    opts = [
        click.option("--by", default=None, help="Who runs this, for the audit log [default: GRAPHKIT_USER or login]."),
        click.option("--purpose", default=None, help="Why (精准授权): kept in the audit log with the command."),
        click.option(
            "--unmask",
            is_flag=True,
            help=UNMASK_HELP,
        ),
        click.option("--reason", default=None, help="Why identifiers are shown in clear (kept in the audit log)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def shown(obj: Any, unmask: bool, *, keep: frozenset[str] = frozenset()) -> Any:
    """Text or data as the user may see it: identifiers masked unless ``unmask``; ``keep``, keys known to be
    public (:func:`graphkit.model.mask.public_keys`: the credit code of a company or unit the text names), in
    clear as on their nodes."""
    if unmask:
        return obj
    return mask_text(obj, keep=keep) if isinstance(obj, str) else mask_data(obj, keep=keep or None)


def record(
    store_spec: str | None,
    command: str,
    params: Mapping[str, Any],
    *,
    by: str | None,
    purpose: str | None,
    result: int | None,
    unmask: bool = False,
    reason: str | None = None,
) -> None:
    """Append one record to the store's audit log; a log that cannot be written stops the command (exit
    code 3 when the log is broken, :class:`graphkit.audit.AuditBroken`, else 1).

    Parameters
    ----------
    store_spec : str or None
        The ``--store`` the command ran on (its log is :func:`graphkit.audit.audit_path_for`).
    command : str
    params : Mapping
    by, purpose : str or None
    result : int or None
        How many things the command returned.
    unmask : bool
    reason : str or None
    """
    path = audit_path_for(store_spec or "")
    ctx = click.get_current_context(silent=True)
    if unmask and ctx is not None and _APPROVAL in ctx.meta:  # the approval this unmask rests on
        params = {**params, "approval": ctx.meta[_APPROVAL]}
    try:
        AuditLog(path).append(
            command,
            {"store": store_spec, **params},
            who=by,
            purpose=purpose,
            result=result,
            unmasked=unmask,
            reason=reason,
        )
    except AuditBroken as exc:
        _refuse_broken(exc)
    except (AuditError, OSError, TimeoutError) as exc:
        raise click.ClickException(_log_error(path, exc)) from exc


# ================================================================ audit show / verify
@click.group("audit")
def audit_group() -> None:
    """The audit log: who searched, exported or unmasked what, when and why (hash-chained)."""


def _log(store_spec: str | None, log: str | None) -> AuditLog:
    if not log and not store_spec and not os.environ.get("GRAPHKIT_AUDIT"):
        raise click.UsageError(
            _say(
                "give --store (the log sits beside it), --log PATH or GRAPHKIT_AUDIT=PATH",
                "请给出 --store（审计日志在库旁）、--log 路径或 GRAPHKIT_AUDIT=路径",
            )
        )
    return AuditLog(log or audit_path_for(store_spec))


def _no_log(store_spec: str | None, log: str | None, path: Path) -> click.ClickException:
    """A log that is not there, said with the folder it was looked for in: a Neo4j store's log is by default in the
    folder a command ran in, so from another folder ``audit show`` printed "0 record(s)" as if nothing had been
    recorded."""
    where = _say(f"no audit log at {path.resolve()}", f"{path.resolve()} 处没有审计日志")
    if not log and not os.environ.get("GRAPHKIT_AUDIT") and store_spec and not store_spec.startswith("embedded:"):
        where += _say(
            " (a Neo4j store's log is graphkit.audit.jsonl in the folder each command ran in unless GRAPHKIT_AUDIT "
            "names one file for all of them: run from that folder, or give --log PATH)",
            "（Neo4j 库的审计日志是每条命令运行所在文件夹中的 graphkit.audit.jsonl，除非 GRAPHKIT_AUDIT "
            "为所有命令指定同一个文件：请在该文件夹中运行，或给出 --log 路径）",
        )
    return click.ClickException(where)


_log_options = [
    click.option("--store", "store_spec", default=None, help="The store whose log to read (<store>.audit.jsonl)."),
    click.option("--log", default=None, help="The audit log file itself."),
]


def _with_log(f):
    for opt in reversed(_log_options):
        f = opt(f)
    return f


def _local(at: str) -> str:
    """A record's time in the office's zone (``GRAPHKIT_TZ``), with its offset (``2024-05-01 09:00:00+08:00``):
    records written in several zones read in one order."""
    return local_time(at)


#: what ``audit show`` and ``audit verify`` say, in Chinese for the supervisor (``--lang en``: as before)
_WORDS = {
    "zh": {
        "broken": "审计日志 {path} 已损坏：{problem}；其中的记录不可信",
        "warning": "警告：{broken}（graphkit audit verify）",
        "purpose": "  目的：{}",
        "unmasked": "  明文显示：{}",
        "reason": "  理由：{}",
        "refused": "  已拒绝：{}",
        "given": "（所给理由：{}）",
        "here": "  此条记录未通过校验",
        "login": "{}（登录账号 {}）",
        "file": "文件 {}  sha256 {}  {} 字节",
        "count": "共 {} 条记录，见 {}",
        "count_broken": "；日志已损坏：{}",
        "no_command": "注意：日志中没有命令 {!r}",
        "did_you_mean": "（是否要找 {!r}？）",
        "its_commands": "；日志中的命令：{}",
        "note": "注意：{}",
        "wrote": "已写出 {}（{} 条记录；本次导出已记入审计日志）",
    },
    "en": {
        "broken": "audit log {path} is broken: {problem}; its records cannot be trusted",
        "warning": "warning: {broken} (graphkit audit verify)",
        "purpose": "  purpose: {}",
        "unmasked": "  UNMASKED: {}",
        "reason": "  reason: {}",
        "refused": "  REFUSED: {}",
        "given": " (reason given: {})",
        "here": "  BROKEN HERE: this record fails the check",
        "login": "{} (login {})",
        "file": "file {}  sha256 {}  {} bytes",
        "count": "{} record(s) in {}",
        "count_broken": "; BROKEN: {}",
        "no_command": "note: the log has no command {!r}",
        "did_you_mean": " (did you mean {!r}?)",
        "its_commands": "; its commands: {}",
        "note": "note: {}",
        "wrote": "wrote {} ({} records; the writing is recorded in the audit log)",
    },
}


#: what ``audit policy`` and ``audit approve`` say, in Chinese for the supervisor (``--lang en``: as before)
_RULE = {
    "zh": {
        "needed": "明文显示身份标识须经领导审批（graphkit audit approve）",
        "free": "凭 --unmask --reason 即可明文显示身份标识，无须审批",
        "no_reason": '修改规则须给出 --reason "理由"（记入审计日志）',
        "set": "第 {} 条记录：自即日起，{}",
        "now_needed": "明文显示身份标识须经领导审批（graphkit audit approve）",
        "now_free": "凭 --unmask --reason 即可明文显示身份标识，无须审批",
        "approved": "第 {} 条记录：{} 批准 {} 明文显示身份标识，有效期至 {}",
    },
    "en": {
        "needed": "identifiers are shown in clear on a supervisor's approval (graphkit audit approve)",
        "free": "identifiers are shown in clear with --unmask --reason, no approval needed",
        "no_reason": 'changing the rule needs --reason "why" (it is kept in the audit log)',
        "set": "record {}: from now on {}",
        "now_needed": "identifiers are shown in clear only on a supervisor's approval (graphkit audit approve)",
        "now_free": "--unmask --reason shows identifiers in clear without an approval",
        "approved": "record {}: {} approves {} showing identifiers in clear until {}",
    },
}


def _lang(f):
    from graphkit.cli.common import lang_option

    return lang_option("Chinese words for the supervisor, or English as before (en); --json is the same in both.")(f)


@audit_group.command("show")
@_with_log
@click.option(
    "--who", default=None, help="Only this person's records: the name given (--by) or the login account that ran them."
)
@click.option(
    "--since",
    default=None,
    help="Only records from this day or time on (2024-05-01 or ISO time, in GRAPHKIT_TZ unless it has an offset).",
)
@click.option(
    "--command",
    "command",
    default=None,
    help="Only this command's records: its name (find, export …) or its words as audit show prints them (查找实体, "
    "导出案卷 …).",
)
@click.option(
    "--about",
    default=None,
    help="Only records about this entity: what was asked and the persons a command showed (params.persons). A key or "
    "identifier (an ID number), or as a show printed it masked (3205**********8690); with --store also an exact "
    "name or NAME#N.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON lines.")
@click.option(
    "--out",
    type=OutPath(),
    default=None,
    help="Also write the records shown to this CSV file for a review (Chinese columns, English under --lang en; "
    "opens in Excel); the writing is itself recorded, with the file's SHA-256 and the log's head.",
)
@click.option("--unmask", is_flag=True, help="Show identifiers in the parameters in clear (needs --reason).")
@click.option("--reason", default=None, help="Why (kept in the audit log).")
@click.option("--by", default=None, help="Who reads the log (recorded when unmasking or writing --out).")
@_lang
def audit_show(store_spec, log, who, since, command, about, as_json, out, unmask, reason, by, lang) -> None:
    """The audit log's records, oldest first, times in the office's zone (``GRAPHKIT_TZ``) with their offset
    (identifiers in parameters masked)."""
    check_unmask(unmask, reason)
    alog = _log(store_spec, log)
    if not alog.path.exists():
        raise _no_log(store_spec, log, alog.path)
    try:
        if since:
            datetime.fromisoformat(since)
    except ValueError as exc:
        raise click.UsageError(
            _say(
                f"--since {since!r}: give a date (2024-05-01) or an ISO time",
                f"--since {since!r}：请写日期（2024-05-01）或 ISO 时间（2024-05-01T09:30）",
            )
        ) from exc
    said = _WORDS[lang]
    check = alog.verify()  # a reader of an edited or cut log is told before reading it, not only by `verify`
    problem = check.problem if lang == "en" else check.problem_zh
    broken = "" if check.ok else said["broken"].format(path=alog.path, problem=problem)
    if broken:
        click.echo(said["warning"].format(broken=broken), err=True)
    command = command_named(command) if command is not None else None  # --command 导出案卷 as --command export
    try:
        recs = alog.records(who=who, since=since, command=command)
    except AuditError as exc:
        raise click.ClickException(_unread(exc)) from exc
    if about is not None:
        masked = "*" in about  # a key as a show printed it (3205**********8690): matched as the records are shown
        wanted = {about.strip().upper()} if masked else _about(store_spec, about, unmask)
        recs = [
            r
            for r in recs
            if wanted & {x.upper() for x in _strings(masked_params(r["params"]) if masked else r["params"])}
        ]
    if store_spec and not unmask:  # an official car's plate and a unit's registered address in clear, as in exports
        _hold_public_of(store_spec)
    if out is not None:
        _review_file(out, recs if unmask else [{**r, "params": masked_params(r["params"])} for r in recs], check, lang)
    if unmask or out is not None:
        ctx = click.get_current_context()
        approval = {"approval": ctx.meta[_APPROVAL]} if unmask and _APPROVAL in ctx.meta else {}
        asked = {"who": who, "since": since, "command": command, "about": about}
        written = {**written_files(out), "head": check.head} if out is not None else {}
        try:
            alog.append(
                "audit show",
                {**{k: v for k, v in asked.items() if v is not None}, **approval, **written},
                who=by,
                result=len(recs),
                unmasked=unmask,
                reason=reason,
            )
        except AuditBroken as exc:
            if out is not None:
                out.unlink(missing_ok=True)  # what cannot be recorded does not leave
            _refuse_broken(exc)
    for r in recs:
        r = r if unmask else {**r, "params": masked_params(r["params"])}
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        # in the reader's words (实体：常永；最多关系数：500), not the program's (entities=['常永'], max_links=500);
        # lang: the console's language, which earlier refusals' records kept as if a parameter
        apart = ("store", "refused", "sha256", "bytes", "persons", "lang")
        # files with their digests are printed under the record, each once (they were also listed in the line)
        params = params_in_words(r["params"], lang, leave=apart + (("files",) if _digests(r["params"]) else ()))
        if r["params"].get("persons"):  # how many persons a command showed; --json (and --about) name them
            n = len(r["params"]["persons"])
            many = f"persons={n}" if lang == "en" else f"涉及人员：{n} 人"
            params = ("；" if lang != "en" else ", ").join(x for x in (params, many) if x)
        extra = said["purpose"].format(r["purpose"]) if r.get("purpose") else ""
        if r.get("unmasked"):
            extra += said["unmasked"].format(r["reason"])
        refused = r["params"].get("refused")
        if (
            r.get("reason")
            and not r.get("unmasked")
            and not refused
            and r["command"] in ("audit policy", "audit approve")
        ):
            extra += said["reason"].format(r["reason"])  # a refused one's is said with the refusal (所给理由)
        if refused:
            extra += said["refused"].format(refusal_words(refused, lang))
            extra += said["given"].format(r["reason"]) if r.get("reason") else ""
        if broken and r["seq"] == check.bad_seq:
            extra += said["here"]
        who = r["who"]
        if r.get("login") and r["login"] != who:  # the name given (--by, GRAPHKIT_USER) and the account that ran it
            who = said["login"].format(who, r["login"])
        click.echo(  # the command in the reader's words (导出案卷, not export; --lang en: export)
            f"{r['seq']:>6}  {_local(r['at'])}  {pad(who, 10)} {pad(command_words(r['command'], lang), 13)}"
            f"{params}  → {r['result'] if r['result'] is not None else '-'}{extra}"
        )
        for f, digest, size in _digests(r["params"]):
            click.echo(f"{'':>8}" + said["file"].format(f, digest, size))
    if out is not None:
        click.echo(said["wrote"].format(out, len(recs)), err=as_json)
    if not as_json:
        click.echo(
            said["count"].format(len(recs), alog.path) + (said["count_broken"].format(problem) if broken else "")
        )
    if command and not recs:  # a typo (exprot) read as "nothing of that kind happened"
        seen = sorted({r["command"] for r in alog.records()})
        if command not in seen:
            import difflib

            # a typo of the name (exprot) or of the words (导出案件); named back in the reader's words
            by_words = {command_words(c): c for c in seen} | {c: c for c in seen}
            near = [by_words[x] for x in difflib.get_close_matches(command, list(by_words), n=1)]
            named = [command_words(c, lang) for c in seen]  # in the reader's words, each taken by --command
            click.echo(
                said["no_command"].format(command)
                + (said["did_you_mean"].format(command_words(near[0], lang)) if near else "")
                + said["its_commands"].format(("、" if lang != "en" else ", ").join(named) or "-"),
                err=True,
            )


def _review_file(out: Path, recs: list[dict[str, Any]], check: Any, lang: str = "zh") -> None:
    """Write records (as shown: masked unless ``--unmask``) to a CSV for a review, one row a record
    (:func:`graphkit.audit.review_rows`: the columns notebook 05 shows too)."""
    import csv

    from graphkit.cli.common import whole_file

    out.parent.mkdir(parents=True, exist_ok=True)
    # whole under its name or not at all (a Ctrl-C, a full disk); a BOM: Excel shows the Chinese
    with whole_file(out) as part, open(part, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.DictWriter(f, fieldnames=review_headings(lang))  # Chinese; --lang en: English
        w.writeheader()
        w.writerows(review_rows(recs, check, lang))


def _about(store_spec: str | None, text: str, unmask: bool) -> set[str]:
    """What ``audit show --about TEXT`` looks for in a record, upper-cased: the text as typed (a record keeps what
    was asked: ``entity=常永``) and, with a store, the key of the entity it names exactly (an ID number, a name,
    ``NAME#N``), which the records of the commands that showed the person hold (``keys``, ``persons``)."""
    wanted = {text.strip().upper()}
    if store_spec:
        from graphkit.cli.casefile import subject
        from graphkit.cli.common import open_for_reading

        store = open_for_reading(store_spec)
        try:
            wanted.add(str(subject(store, text, unmask)[1]).upper())
        finally:
            store.close()
    return wanted


def _strings(value: Any) -> Iterable[str]:
    """Every string in a record's parameters, in lists and mappings too."""
    if isinstance(value, str):
        yield value.strip()
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _hold_public_of(store_spec: str) -> None:
    """Hold the store's public plates and addresses in clear for the rest of the command, as every face that
    reads the store does (:func:`graphkit.cli.common.hold_public`): a record names what the case file named, and
    ``audit show`` masked an official car's plate that the export itself had shown. The store is opened only
    when a plate or an address is met; one that cannot be opened leaves every plate and address masked, said
    on stderr."""
    from graphkit.cli.common import open_for_reading
    from graphkit.model.mask import reset_known_public, set_known_public

    def public() -> frozenset[str]:
        try:
            store = open_for_reading(store_spec)
        except click.ClickException as exc:
            click.echo(
                _say(
                    f"note: {exc.message}; every plate and address is masked",
                    f"注意：{exc.message}；车牌和地址一律遮蔽",
                ),
                err=True,
            )
            return frozenset()
        try:
            return store.public_keys()
        finally:
            store.close()

    token = set_known_public(public)
    click.get_current_context().call_on_close(lambda: reset_known_public(token))


def _digests(params: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """An export record's files with their SHA-256 and size (``params.files``, ``sha256``, ``bytes``)."""
    files, digests = params.get("files") or [], params.get("sha256") or []
    sizes = params.get("bytes") or [None] * len(digests)
    return list(zip(files, digests, sizes, strict=False))


@audit_group.command("policy")
@_with_log
@click.option(
    "--unmask-approval/--no-unmask-approval",
    default=None,
    help="Require a supervisor's approval (graphkit audit approve) before anyone shows identifiers in clear; or "
    "lift that rule. Without either: print the rule in force.",
)
@click.option("--by", default=None, help="Who sets the rule [default: GRAPHKIT_USER or login].")
@click.option("--reason", default=None, help="Why (kept in the audit log; needed to change the rule).")
@_lang
def audit_policy(store_spec, log, unmask_approval, by, reason, lang) -> None:
    """The store's rule for showing identifiers in clear (查询审批): with --unmask-approval, every --unmask, and
    every panel opened with unmask=True, needs an approval recorded by someone else (`graphkit audit approve`)."""
    alog = _log(store_spec, log)
    if unmask_approval is None:
        try:
            needed = alog.unmask_needs_approval()
        except AuditError as exc:
            raise click.ClickException(_unread(exc)) from exc
        click.echo(_RULE[lang]["needed" if needed else "free"])
        return
    refuse_viewer("change the audit log's rules")
    if not (reason or "").strip():
        raise click.UsageError(_RULE[lang]["no_reason"])
    try:
        rec = alog.append("audit policy", {"unmask_approval": bool(unmask_approval)}, who=by, reason=reason)
    except AuditBroken as exc:
        _refuse_broken(exc)
    except (AuditError, OSError, TimeoutError) as exc:
        raise click.ClickException(_log_error(alog.path, exc)) from exc
    click.echo(_RULE[lang]["set"].format(rec["seq"], _RULE[lang]["now_needed" if unmask_approval else "now_free"]))


@audit_group.command("approve")
@_with_log
@click.option("--user", required=True, help="Who may show identifiers in clear (their --by or GRAPHKIT_USER).")
@click.option("--reason", required=True, help="Why, e.g. the case and the approval document (kept in the log).")
@click.option("--by", default=None, help="Who approves: not the person approved [default: GRAPHKIT_USER or login].")
@click.option(
    "--hours",
    type=click.FloatRange(min=0, min_open=True),
    default=APPROVAL_HOURS,
    show_default=True,
    help="How long the approval lasts.",
)
@_lang
def audit_approve(store_spec, log, user, reason, by, hours, lang) -> None:
    """Approve USER showing identifiers in clear (--unmask) for some hours, where the store's rule requires it
    (`graphkit audit policy --unmask-approval`); the approval is a record of the hash-chained log."""
    refuse_viewer("approve showing identifiers in clear")
    alog = _log(store_spec, log)
    try:
        rec = alog.approve(user, by=by, reason=reason, hours=hours)
    except AuditBroken as exc:
        _refuse_broken(exc)
    except SelfApproval as exc:  # refused and recorded, and exit code 3, as a viewer's attempt is (it had exited 2)
        click.echo(_REFUSED[lang]["error"].format(refusal_words(str(exc), lang)) + _REFUSED[lang]["recorded"], err=True)
        sys.exit(3)
    except (OSError, TimeoutError) as exc:  # an I/O failure (exit 1), no usage error: it had exited 2, Errno and all
        raise click.ClickException(_unwritten_log(alog.path, exc)) from exc
    except AuditError as exc:
        if "not a JSON record" in str(exc):  # a log that cannot be read to its end: file, line and column
            raise click.ClickException(_unread(exc)) from exc
        raise click.UsageError(refusal_words(str(exc), lang)) from exc
    click.echo(_RULE[lang]["approved"].format(rec["seq"], rec["who"], user, _local(rec["params"]["until"])))


@audit_group.command("verify")
@_with_log
@_lang
def audit_verify(store_spec, log, lang) -> None:
    """Check every record's hash and the chain; exit 1 naming the first bad record."""
    alog = _log(store_spec, log)
    if not alog.path.exists():
        raise _no_log(store_spec, log, alog.path)
    v = alog.verify()
    said = _WORDS[lang]
    if not v.ok:
        click.echo(v.said(alog.path, lang), err=True)
        sys.exit(1)
    click.echo(v.said(alog.path, lang))  # as notebook 05 says it
    if v.note:
        click.echo(said["note"].format(v.note if lang == "en" else v.note_zh))


__all__ += ["set_read_only", "current_user", "COMMANDS"]

COMMANDS = [audit_group]
