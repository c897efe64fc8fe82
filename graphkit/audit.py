"""The audit log: who searched, expanded, connected, ran, ranked, exported or unmasked what, when and why.

Every search, neighbourhood, path, model run, ranking, portrait, export and unmask appends one record to an
append-only JSON-lines file beside the store (``<store path>.audit.jsonl`` for ``embedded:PATH``, like the
warning ledger). A record holds

``seq`` (1, 2, …), ``at`` (ISO 8601 with offset), ``who``, ``command``, ``params``, ``purpose``,
``result`` (how many things the command returned), ``unmasked`` and ``reason``, ``prev`` (the hash of the
record before it; 64 zeros for the first) and ``hash`` (SHA-256 of the record's canonical JSON without
``hash``).

A refused attempt is recorded too (:meth:`AuditLog.refuse`): a viewer's ``--unmask`` or anything else a
command stops with exit code 3 is a record of the command asked, its parameters and ``params.refused`` (why
it was refused), ``result`` None and ``unmasked`` false. A case file written is tied to its ``export`` record by
the SHA-256 and size of each file (``params.sha256``, ``params.bytes``, in the order of ``params.files``;
:func:`file_digest`): ``sha256sum case.pdf`` gives the value recorded.

So an edited record no longer matches its hash, a deleted or reordered one breaks the ``seq`` and ``prev``
chain, and :meth:`AuditLog.verify` names the first record that does not hold. A truncated tail leaves a
chain that is whole, so the log also keeps its head (last ``seq`` and ``hash``) in ``<log>.head``, written
under the same lock; a log shorter than its head is reported, and :meth:`AuditLog.append` refuses to write
(:class:`AuditBroken`) while the last record is not the one the head names, so the next record cannot cover
the cut. Someone who rewrites the whole file *and* the
head with fresh hashes is not found by the file alone: ``graphkit audit verify`` prints the head hash, and
writing that down elsewhere (a case file, a signed report) anchors everything before it.

Unmasking on approval (查询审批). A store's log may require that identifiers are shown in clear only on a
supervisor's approval: ``graphkit audit policy --store S --unmask-approval`` appends a ``audit policy`` record
(and ``--no-unmask-approval`` one that lifts it); from then on every ``--unmask`` (and a panel opened with
``unmask=True``) needs an ``audit approve`` record for the person asking, written by someone else
(``graphkit audit approve --store S --user NAME --reason … --by SUPERVISOR``), still within its hours
(:data:`APPROVAL_HOURS` by default). The unmask's own record names the approval (``params.approval``, its
``seq``); an unmask asked without one is refused and recorded as refused. Policy and approvals are records of
the same hash chain, so neither can be edited or removed unseen. Names are what ``--by`` or ``GRAPHKIT_USER``
say (the record keeps the operating system's account beside them): the rule that the approver is not the
person asking holds between names; separate accounts, with the log writable only through graphkit, make it
hold between people.

Writers in several processes take an exclusive file lock (:mod:`filelock`) around read-last-record, append,
fsync, so the chain never forks.

Example
-------
>>> log = AuditLog(tmp / "city.db.audit.jsonl")                                         # doctest: +SKIP
>>> log.append("find", {"query": "张伟"}, who="王科长", purpose="线索核查 2024-17", result=3)  # doctest: +SKIP
>>> log.verify().ok                                                                      # doctest: +SKIP
True
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import FileLock

from graphkit.model.clock import shown, zone
from graphkit.model.mask import mask_data, mask_keys_of

__all__ = [
    "AuditLog",
    "AuditError",
    "AuditBroken",
    "Verification",
    "audit_path_for",
    "current_user",
    "record_hash",
    "file_digest",
    "written_files",
    "persons_in",
    "graph_persons",
    "portrait_persons",
    "masked_params",
    "review_rows",
    "REVIEW_COLUMNS",
    "review_headings",
    "PARAM_WORDS_ZH",
    "params_in_words",
    "COMMAND_WORDS_ZH",
    "command_words",
    "command_named",
    "GENESIS",
    "FIELDS",
    "APPROVAL_HOURS",
    "ApprovalRequired",
    "SelfApproval",
    "ROLE_ENV",
    "PANEL_VIEWER_REFUSAL",
    "VIEWER_ACTIONS_ZH",
    "viewer_refusal",
    "refusal_words",
]

#: how long an approval to unmask lasts unless ``--hours`` says otherwise
APPROVAL_HOURS = 24.0

#: ``prev`` of the first record
GENESIS = "0" * 64
#: the fields of a record, in the order they are written
FIELDS = (
    "seq",
    "at",
    "who",
    "login",
    "command",
    "params",
    "purpose",
    "result",
    "unmasked",
    "reason",
    "prev",
    "hash",
)
#: the fields a record may hold: all of them, or all but ``login`` (records written before it was kept; their hash
#: covers what they hold, so removing ``login`` from a later record breaks its hash as any edit does)
_FIELD_SETS = (frozenset(FIELDS), frozenset(FIELDS) - {"login"})


def _fields_ok(rec: Mapping[str, Any]) -> bool:
    return frozenset(rec) in _FIELD_SETS


class AuditError(ValueError):
    """An audit log that cannot be read or appended to (a broken last line, a bad argument)."""


class AuditBroken(AuditError):
    """The log's last record is not the one its head names: records were cut from the end, the last one
    edited, or the head rewritten. Nothing is appended until someone looks (``graphkit audit verify``).
    ``zh`` says it in Chinese (the console's refusal)."""

    def __init__(self, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.zh = zh or message


class SelfApproval(AuditError):
    """Someone approved their own request to show identifiers in clear: refused, and the attempt recorded
    (:meth:`AuditLog.approve`). Its message is what the log keeps (``params.refused``)."""


class ApprovalRequired(AuditError):
    """Identifiers asked in clear where the log requires an approval and the person asking has none in force.
    Its message is what the log keeps (``params.refused``); :func:`refusal_words` says it in Chinese."""


#: the environment variable that makes a run a viewer's (``GRAPHKIT_ROLE=viewer``)
ROLE_ENV = "GRAPHKIT_ROLE"

#: what a viewer may not do, as a command names it (``graphkit.cli.audit.refuse_viewer``), in Chinese
VIEWER_ACTIONS_ZH = {
    "write warnings into the ledger (models run changes the ledger)": "把预警写入预警台账（models run 会修改台账）",
    "change a warning": "修改预警",
    "run the demo (it loads a store)": "运行演示（演示会加载图库）",
    "load into a store": "向图库加载数据",
    "show identifiers in clear (--unmask)": "明文显示身份标识（--unmask）",
    "change the audit log's rules": "修改审计日志的规则",
    "approve showing identifiers in clear": "审批明文显示身份标识",
}

#: why a viewer's panel (a widget opened with ``unmask=True``) is refused, as the log keeps it
PANEL_VIEWER_REFUSAL = f"a viewer cannot show identifiers in clear ({ROLE_ENV}=viewer)"
_PANEL_VIEWER_ZH = f"查看者（{ROLE_ENV}=viewer）不能明文显示身份标识"
_SELF_APPROVAL = "{user} cannot approve their own request: another person approves it"
_SELF_APPROVAL_RE = re.compile(re.escape(_SELF_APPROVAL).replace(re.escape("{user}"), "(?P<user>.+)"))
_VIEWER = "a viewer cannot {action} (read-only role: graphkit --read-only or " + ROLE_ENV + "=viewer)"
_VIEWER_RE = re.compile(re.escape(_VIEWER).replace(re.escape("{action}"), "(?P<action>.+)"))
_APPROVAL = (
    "this store's audit log requires a supervisor's approval to show identifiers in clear, and {why}: "
    'ask for one (graphkit audit approve --user {who} --reason "…" --by SUPERVISOR)'
)
_APPROVAL_WHY = (
    r"(?:no approval is recorded for .+?|the approval of record (?P<seq>\d+) for .+? ended at (?P<until>\S+))"
)
_APPROVAL_RE = re.compile(
    re.escape(_APPROVAL).replace(re.escape("{why}"), _APPROVAL_WHY).replace(re.escape("{who}"), "(?P<who>.+)")
)


def viewer_refusal(action: str) -> str:
    """Why a viewer's attempt at ``action`` is refused, as the log keeps it (English, the same in every log:
    :func:`refusal_words` says it in the reader's language).

    >>> viewer_refusal("change a warning")
    'a viewer cannot change a warning (read-only role: graphkit --read-only or GRAPHKIT_ROLE=viewer)'
    """
    return _VIEWER.format(action=action)


def refusal_words(why: str, lang: str = "zh") -> str:
    """A refusal as the log keeps it (``params.refused``, an :class:`ApprovalRequired`'s message, a
    :func:`viewer_refusal`, a ledger's refusal: :func:`graphkit.rules.words.refusal_zh`) said in ``lang``: Chinese
    for the faces, English as kept; a refusal of another kind as it is.

    >>> refusal_words(viewer_refusal("change a warning"))
    '查看者（只读角色：graphkit --read-only 或 GRAPHKIT_ROLE=viewer）不能修改预警'
    """
    if lang not in ("zh", "en"):
        raise AuditError(f"lang must be 'zh' or 'en', got {lang!r}")
    text = str(why or "")
    if lang == "en":
        return text
    if text == PANEL_VIEWER_REFUSAL:
        return _PANEL_VIEWER_ZH
    m = _VIEWER_RE.fullmatch(text)
    if m:
        action = VIEWER_ACTIONS_ZH.get(m["action"], m["action"])
        return f"查看者（只读角色：graphkit --read-only 或 {ROLE_ENV}=viewer）不能{action}"
    m = _SELF_APPROVAL_RE.fullmatch(text)
    if m:
        return f"{m['user']}不能审批本人的申请：须由他人审批"
    m = _APPROVAL_RE.fullmatch(text)
    if m:
        who = m["who"]
        ended = shown(m["until"])  # in the office's zone (GRAPHKIT_TZ)
        why_zh = f"{who}的审批（第{m['seq']}条记录）已于{ended}到期" if m["seq"] else f"审计日志中没有{who}的审批记录"
        return (
            f"本图库的审计日志规定明文显示身份标识须经领导审批，而{why_zh}：请申请审批"
            f'（graphkit audit approve --user {who} --reason "…" --by 审批人）'
        )
    from graphkit.rules.words import refusal_zh  # the ledger's refusal (a closed loop), as the console says it

    return refusal_zh(text)


def audit_path_for(store_spec: str) -> Path:
    """Where the audit log of a store lives.

    ``GRAPHKIT_AUDIT`` names the file when set; otherwise ``<store path>.audit.jsonl`` for ``embedded:PATH``,
    and ``graphkit.audit.jsonl`` in the working folder for a Neo4j store (set ``GRAPHKIT_AUDIT`` there).

    Parameters
    ----------
    store_spec : str
        The ``--store`` spec.

    Returns
    -------
    Path
        The log's file (it need not exist yet).
    """
    env = os.environ.get("GRAPHKIT_AUDIT")
    if env:
        return Path(env)
    if store_spec.startswith("embedded:"):
        return Path(store_spec[len("embedded:") :] + ".audit.jsonl")
    return Path("graphkit.audit.jsonl")


def current_user(by: str | None = None) -> str:
    """Who is acting: ``by`` when given, else ``GRAPHKIT_USER``, else the login name.

    Parameters
    ----------
    by : str, optional
        The name given on the command line (``--by``).

    Returns
    -------
    str
        The name written in the audit log.
    """
    return (by or "").strip() or os.environ.get("GRAPHKIT_USER", "").strip() or getpass.getuser()


def login_name() -> str:
    """The operating system's account running the command, whatever ``--by`` or ``GRAPHKIT_USER`` say: the
    audit log keeps both, since a name given on the command line is a claim and the account is not.

    >>> login_name() != ""
    True
    """
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # no pwd (Windows), or a uid with no passwd entry
        return getpass.getuser()


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


def _canonical(record: Mapping[str, Any]) -> bytes:
    body = {k: record[k] for k in FIELDS if k != "hash" and k in record}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of a record's canonical JSON, ``hash`` left out.

    Parameters
    ----------
    record : Mapping
        An audit record.

    Returns
    -------
    str
        64 hex digits.
    """
    return hashlib.sha256(_canonical(record)).hexdigest()


def file_digest(path: str | Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size in bytes of a file, as ``sha256sum`` and ``stat`` give them.

    Parameters
    ----------
    path : str or Path
        A file written (a case file).

    Returns
    -------
    (str, int)
        64 hex digits and the number of bytes.
    """
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def written_files(*paths: str | Path | None) -> dict[str, list]:
    """A record's ``files`` (absolute paths), ``sha256`` and ``bytes`` for the files a command wrote (``None``
    skipped): what ties a portrait or a case file to its record (:func:`file_digest`).

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "p.html")
    >>> with open(f, "w") as h:
    ...     _ = h.write("abc")
    >>> written_files(f, None)["sha256"], written_files(f)["bytes"]
    (['ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'], [3])
    """
    # each by where it is, whatever the directory the command ran in: ``out/case.pdf`` named no file to find
    done = [Path(p).resolve() for p in paths if p is not None]
    digests = [file_digest(p) for p in done]
    return {"files": [str(p) for p in done], "sha256": [h for h, _ in digests], "bytes": [n for _, n in digests]}


def _check(raw: bytes, n: int, prev: str) -> tuple[str, str]:
    """What is wrong with line ``n`` of a log whose previous record hashed to ``prev``, in English and in Chinese
    (``('', '')`` when nothing)."""
    try:
        rec = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "not a JSON record (edited or cut)", "不是一条 JSON 记录（被编辑或截断）"
    if not isinstance(rec, dict) or not _fields_ok(rec):
        return "fields missing or added", "字段缺失或多出"
    if rec["seq"] != n:
        return (
            f"holds seq {rec['seq']} where {n} belongs (a record deleted, added or moved)",
            f"存的是第 {rec['seq']} 条记录，此处应为第 {n} 条（有记录被删除、添加或移动）",
        )
    if rec["prev"] != prev:
        return (
            "does not chain to the record before it (a record deleted or moved)",
            "与前一条记录的哈希链接不上（有记录被删除或移动）",
        )
    if record_hash(rec) != rec["hash"]:
        return "its content does not match its hash (edited)", "内容与其哈希值不符（被改动过）"
    return "", ""


@dataclass(frozen=True)
class Verification:
    """What :meth:`AuditLog.verify` found.

    Attributes
    ----------
    ok : bool
        Every record holds and the log is as long as its head says.
    records : int
        Lines read.
    bad_line : int or None
        The 1-based line of the first record that does not hold (``None`` when ``ok``).
    bad_seq : int or None
        The ``seq`` that line should have held.
    problem : str
        What is wrong, in words (empty when ``ok``).
    head : str
        The hash of the last good record (:data:`GENESIS` for an empty log).
    note : str
        Something sound but worth saying (the head one record behind: a command stopped between writing its
        record and the head, which the next record completes).
    problem_zh, note_zh : str
        The same in Chinese, for the supervisor's console.
    """

    ok: bool
    records: int
    bad_line: int | None
    bad_seq: int | None
    problem: str
    head: str
    note: str = ""
    problem_zh: str = ""
    note_zh: str = ""

    def said(self, path: str | Path, lang: str = "zh") -> str:
        """What the check found of the log at ``path``, in one line, as ``graphkit audit verify`` and notebook 05 say
        it: in Chinese, or under ``lang="en"`` in English (a Chinese line had carried the English problem).

        >>> Verification(True, 3, None, None, "", "ab12").said("a.jsonl")
        '审计日志 a.jsonl：共 3 条记录，哈希链完整；链头 ab12'
        >>> bad = Verification(False, 3, 2, 2, "line 2 (record 2): edited", "ab12", problem_zh="第 2 行被改动")
        >>> bad.said("a", "en")
        'audit log a is broken: line 2 (record 2): edited'
        """
        en = lang == "en"
        if not self.ok:
            problem = self.problem if en else self.problem_zh or self.problem
            return f"audit log {path} is broken: {problem}" if en else f"审计日志 {path} 已损坏：{problem}"
        if en:
            many = "record" if self.records == 1 else "records"
            return f"audit log {path}: {self.records} {many}, chain whole; head {self.head}"
        return f"审计日志 {path}：共 {self.records} 条记录，哈希链完整；链头 {self.head}"


class AuditLog:
    """An append-only, hash-chained JSON-lines audit log (see the module doc).

    Parameters
    ----------
    path : str or Path
        The log file (created with its folder on first append).
    clock : callable, optional
        Returns the timestamp of a record (ISO 8601 with the local offset by default).
    """

    def __init__(self, path: str | Path, *, clock=None) -> None:
        self.path = Path(path)
        self.head_path = self.path.with_name(self.path.name + ".head")
        self._lock = FileLock(str(self.path) + ".lock", timeout=60)
        self._clock = clock or _now

    # ------------------------------------------------------------ writing
    def _last(self) -> dict[str, Any] | None:
        """The last record of the file (read from the end), or ``None`` for an empty log."""
        if not self.path.exists():
            return None
        with open(self.path, "rb") as f:
            f.seek(0, os.SEEK_END)
            end = f.tell()
            if end == 0:
                return None
            chunk, pos = b"", end
            while pos > 0:
                step = min(4096, pos)
                pos -= step
                f.seek(pos)
                chunk = f.read(step) + chunk
                lines = chunk.rstrip(b"\n").split(b"\n")
                if len(lines) > 1 or pos == 0:
                    last = lines[-1]
                    break
        try:
            return json.loads(last)
        except json.JSONDecodeError as exc:
            raise AuditError(
                f"{self.path}: the last record is not JSON (column {exc.colno}); run `graphkit audit verify`"
            ) from exc

    def check_head(self) -> dict[str, Any] | None:
        """Check, cheaply, that the log ends where its head says: the last record has the head's ``seq`` and
        ``hash`` and still matches that hash. :meth:`append` does this before every record, so a record cut
        from the end is not covered up by the next one; a command calls it before it does anything it must
        record.

        Returns
        -------
        dict or None
            The last record (``None`` for a new log).

        Raises
        ------
        AuditBroken
            The last record is not the head's (what differs is named); nothing may be appended.
        AuditError
            The last line is not JSON.
        """
        if not self.path.exists() and not self.head_path.exists():
            return None  # a new log (its folder need not exist yet)
        with self._lock:
            return self._check_head()

    def _check_head(self) -> dict[str, Any] | None:
        last = self._last()
        try:
            head = json.loads(self.head_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            head = None
        except (json.JSONDecodeError, UnicodeDecodeError):
            head = "unreadable"
        if last is None and head is None:
            return None  # a new log
        if last is not None and not isinstance(last, dict):
            problem, zh = "the last line is not a record", "最后一行不是一条记录"
        elif self._unsealed(last, head):
            self._write_head(last)  # a writer stopped between its record and the head: finish its write
            return last
        elif head is None:
            problem, zh = f"{self.head_path} is missing", f"头文件 {self.head_path} 缺失"
        elif not isinstance(head, dict):
            problem, zh = f"{self.head_path} is not a head record", f"{self.head_path} 不是头记录"
        else:
            n, h = (last.get("seq"), last.get("hash")) if last is not None else (0, GENESIS)
            if head.get("seq") != n:
                problem = (
                    f"the log ends at record {n} but its head names record {head.get('seq')} "
                    "(records cut from the end, or the head rewritten)"
                )
                zh = f"日志止于第 {n} 条记录，头文件记的却是第 {head.get('seq')} 条（末尾的记录被截去，或头文件被改写）"
            elif head.get("hash") != h:
                problem = f"record {n} is not the one its head names (replaced, or the head rewritten)"
                zh = f"第 {n} 条记录不是头文件所记的那条（被替换，或头文件被改写）"
            elif last is not None and (not _fields_ok(last) or record_hash(last) != h):
                problem = f"record {n}, the last, does not match its hash (edited)"
                zh = f"最后一条记录（第 {n} 条）与其哈希不符（被改动）"
            else:
                return last
        raise AuditBroken(
            f"audit log {self.path} is broken: {problem}; nothing can be recorded until it is looked into "
            "(run `graphkit audit verify`)",
            zh=f"审计日志 {self.path} 已损坏：{zh}；在查明之前不能再记录任何操作（请运行 graphkit audit verify）",
        )

    def append(
        self,
        command: str,
        params: Mapping[str, Any] | None = None,
        *,
        who: str | None = None,
        purpose: str | None = None,
        result: int | None = None,
        unmasked: bool = False,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """Append one record and return it (with its ``seq`` and ``hash``).

        Parameters
        ----------
        command : str
            What was done (``find``, ``neighbours``, ``path``, ``models run``, ``export`` …).
        params : Mapping, optional
            The command's parameters (JSON-serialisable; other values are written as text).
        who : str, optional
            Who did it (:func:`current_user` when omitted).
        purpose : str, optional
            Why (``--purpose``).
        result : int, optional
            How many things the command returned (rows, nodes, warnings …).
        unmasked : bool, default False
            Whether identifiers were shown in clear.
        reason : str, optional
            Why they were shown in clear (required when ``unmasked``).

        Returns
        -------
        dict
            The record as written.

        Raises
        ------
        AuditBroken
            The log does not end where its head says (:meth:`check_head`); nothing is appended.
        """
        if not command:
            raise AuditError("an audit record needs the command")
        if unmasked and not (reason or "").strip():
            raise AuditError("showing identifiers in clear needs a reason (--reason)")
        params = json.loads(json.dumps(dict(params or {}), ensure_ascii=False, default=str))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            last = self._check_head()
            rec: dict[str, Any] = {
                "seq": (last["seq"] + 1) if last else 1,
                "at": self._clock(),
                "who": current_user(who),
                "login": login_name(),
                "command": command,
                "params": params,
                "purpose": (purpose or "").strip() or None,
                "result": None if result is None else int(result),
                "unmasked": bool(unmasked),
                "reason": (reason or "").strip() or None,
                "prev": last["hash"] if last else GENESIS,
            }
            rec["hash"] = record_hash(rec)
            line = json.dumps({k: rec[k] for k in FIELDS}, ensure_ascii=False, separators=(",", ":")) + "\n"
            with open(self.path, "ab") as f:
                f.write(line.encode())
                f.flush()
                os.fsync(f.fileno())
            self._write_head(rec)
        return rec

    def refuse(
        self,
        command: str,
        params: Mapping[str, Any] | None = None,
        *,
        why: str,
        who: str | None = None,
        purpose: str | None = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """Record an attempt that was refused (a viewer's ``--unmask``): the command asked, its parameters
        and ``params.refused`` saying why; nothing was returned (``result`` None) and nothing shown in clear.

        Parameters
        ----------
        command : str
            What was asked (``find``, ``export`` …).
        params : Mapping, optional
            The parameters it was asked with.
        why : str
            Why it was refused.
        who, purpose : str, optional
            Who asked, and the purpose they gave.
        reason : str, optional
            The reason given for unmasking, if any (kept as given).

        Returns
        -------
        dict
            The record as written.
        """
        if not (why or "").strip():
            raise AuditError("a refused attempt's record needs why it was refused")
        return self.append(
            command, {**dict(params or {}), "refused": why.strip()}, who=who, purpose=purpose, reason=reason
        )

    def _write_head(self, rec: dict[str, Any]) -> None:
        tmp = self.head_path.with_name(self.head_path.name + f".{os.getpid()}")
        tmp.write_text(json.dumps({"seq": rec["seq"], "hash": rec["hash"]}) + "\n", encoding="utf-8")
        os.replace(tmp, self.head_path)

    @staticmethod
    def _unsealed(last: dict[str, Any] | None, head: Any) -> bool:
        """Whether the last record is the one right after the head's, chained to it and whole: what a writer
        stopped (killed, power cut) between appending its record and writing the head leaves. That record
        is sound; the head only lags, so the next write finishes it rather than refusing. (Whoever can append
        a record chained this way could rewrite the head as well, so this opens nothing.)"""
        if not isinstance(last, dict) or not (head is None or isinstance(head, dict)):
            return False
        seq, prev = (head.get("seq"), head.get("hash")) if isinstance(head, dict) else (0, GENESIS)
        return (
            isinstance(seq, int)
            and last.get("seq") == seq + 1
            and last.get("prev") == prev
            and _fields_ok(last)
            and record_hash(last) == last.get("hash")
        )

    # ------------------------------------------------------------ reading
    def __iter__(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as f:
            for i, line in enumerate(f, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise AuditError(f"{self.path}, line {i}, column {exc.colno}: not a JSON record") from exc

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        with open(self.path, "rb") as f:
            return sum(1 for _ in f)

    def records(
        self, *, who: str | None = None, since: date | datetime | str | None = None, command: str | None = None
    ) -> list[dict[str, Any]]:
        """The records, oldest first, filtered.

        Parameters
        ----------
        who : str, optional
            Only this person's records: the name given (``who``) or the operating system's account (``login``), so
            that an account's records are found whatever name it typed with ``--by``.
        since : date, datetime or str, optional
            Only records at or after this day or time (``2024-05-01`` or an ISO timestamp); the office's time
            (``GRAPHKIT_TZ``, :mod:`graphkit.model.clock`), in which ``audit show`` prints them, unless it carries an
            offset. Records are compared by the instant they name, whatever zone wrote them.
        command : str, optional
            Only this command's records.

        Returns
        -------
        list of dict
        """
        if isinstance(since, str):
            since = datetime.fromisoformat(since)
        if isinstance(since, date) and not isinstance(since, datetime):
            since = datetime(since.year, since.month, since.day)
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=zone())
        out = []
        for r in self:
            if who is not None and who not in (r.get("who"), r.get("login")):
                continue
            if command is not None and r.get("command") != command:
                continue
            if since is not None and datetime.fromisoformat(r["at"]).astimezone() < since:
                continue
            out.append(r)
        return out

    # ------------------------------------------------------------ approvals
    @staticmethod
    def _rule(r: Mapping[str, Any]) -> bool | None:
        """What an ``audit policy`` record sets (whether unmasking needs an approval), or ``None`` for any other
        record, a refused attempt among them (a viewer's: it set no rule)."""
        params = r.get("params", {})
        if r.get("command") != "audit policy" or "unmask_approval" not in params or "refused" in params:
            return None
        return bool(params["unmask_approval"])

    def unmask_needs_approval(self) -> bool:
        """Whether the log's last ``audit policy`` record requires an approval to show identifiers in clear."""
        needed = False
        for r in self:
            rule = self._rule(r)
            needed = needed if rule is None else rule
        return needed

    def approve(self, user: str, *, by: str | None, reason: str, hours: float = APPROVAL_HOURS) -> dict[str, Any]:
        """Record that ``by`` approves ``user`` showing identifiers in clear for ``hours`` from now.

        Raises
        ------
        SelfApproval
            The approver is the person approved: the attempt is recorded as refused (:meth:`refuse`), as a
            viewer's is, so that a supervisor reading the log sees who tried to approve themselves.
        AuditError
            No reason, no user, hours not positive.
        """
        user, approver = (user or "").strip(), current_user(by)
        if not user:
            raise AuditError("an approval names the person it is for")
        if not (reason or "").strip():
            raise AuditError("an approval needs its reason")
        if not hours > 0:
            raise AuditError("an approval lasts a positive number of hours")
        if approver == user:
            why = _SELF_APPROVAL.format(user=user)
            asked = {"user": user, "scope": "unmask", "hours": float(hours)}
            self.refuse("audit approve", asked, why=why, who=approver, reason=reason)
            raise SelfApproval(why)
        until = datetime.fromisoformat(self._clock()) + timedelta(hours=float(hours))
        return self.append(
            "audit approve",
            {"user": user, "scope": "unmask", "hours": float(hours), "until": until.isoformat(timespec="seconds")},
            who=approver,
            reason=reason,
        )

    def unmask_approval(self, who: str) -> dict[str, Any] | None:
        """The approval in force for ``who`` to show identifiers in clear, or ``None`` where the log requires
        none (its policy, :meth:`unmask_needs_approval`).

        Raises
        ------
        ApprovalRequired
            The log requires an approval and ``who`` has none in force (none written, all expired, or one
            they wrote themselves), with what to do.
        """
        needed, last, expired = False, None, None
        now = datetime.fromisoformat(self._clock())
        for r in self:
            params = r.get("params", {})
            if (rule := self._rule(r)) is not None:
                needed = rule
            elif (
                r.get("command") == "audit approve"
                and "refused" not in params  # a viewer's attempt approved nothing
                and params.get("user") == who
                and r.get("who") != who
            ):
                if datetime.fromisoformat(params["until"]) > now:
                    last = r
                else:
                    expired = r
        if not needed:
            return None
        if last is not None:
            return last
        why = (
            f"the approval of record {expired['seq']} for {who} ended at {expired['params']['until']}"
            if expired is not None
            else f"no approval is recorded for {who}"
        )
        raise ApprovalRequired(_APPROVAL.format(why=why, who=who))

    def verify(self) -> Verification:
        """Check every record's hash and the chain; name the first record that does not hold.

        Returns
        -------
        Verification
        """
        prev, before, n = GENESIS, GENESIS, 0
        if self.path.exists():
            with open(self.path, "rb") as f:
                for n, raw in enumerate(f, start=1):  # noqa: B007 (n is the count after the loop)
                    problem, zh = _check(raw, n, prev)
                    if problem:
                        return Verification(
                            False,
                            n,
                            n,
                            n,
                            f"line {n} (record {n}): {problem}",
                            prev,
                            problem_zh=f"第 {n} 行（第 {n} 条记录）{zh}",
                        )
                    before, prev = prev, json.loads(raw)["hash"]
        unsealed = f"record {n} was written but not the head (a command stopped), which the next record completes"
        unsealed_zh = f"第 {n} 条记录已写入，头文件未更新（命令中途停止），下一条记录写入时补全"
        if self.head_path.exists():
            try:
                head = json.loads(self.head_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                return Verification(
                    False, n, None, None, f"{self.head_path}: not JSON", prev, problem_zh=f"{self.head_path} 不是 JSON"
                )
            if n and head.get("seq") == n - 1 and head.get("hash") == before:
                return Verification(True, n, None, None, "", prev, unsealed, note_zh=unsealed_zh)
            if head.get("seq") != n or head.get("hash") != prev:
                at = n + 1 if head.get("seq", 0) > n else None
                return Verification(
                    False,
                    n,
                    at,
                    at,
                    f"the log ends at record {n} but its head names record {head.get('seq')} "
                    f"(records cut from the end, or the head rewritten)",
                    prev,
                    problem_zh=f"日志止于第 {n} 条记录，头文件记的却是第 {head.get('seq')} 条"
                    "（末尾的记录被截去，或头文件被改写）",
                )
        elif n == 1:
            return Verification(True, n, None, None, "", prev, unsealed, note_zh=unsealed_zh)
        elif n:
            return Verification(
                False, n, None, None, f"{self.head_path} is missing", prev, problem_zh=f"头文件 {self.head_path} 缺失"
            )
        return Verification(True, n, None, None, "", prev)


def persons_in(pairs: Iterable[tuple[Any, Any]]) -> list[str]:
    """The keys of the natural persons (``Person``) among ``(label, key)`` pairs, sorted, each once: what a record
    names as the persons whose data a command showed (``params.persons``), so that ``audit show --about`` answers
    who saw a person's data, where a record had named only what was typed (``entity=常永``: which 常永? and one
    seen as a neighbour or on a path not at all).

    Example
    -------
    >>> persons_in([("Person", "320507197308298690"), ("Organization", "11320509025040352J")])
    ['320507197308298690']
    """
    return sorted({str(k) for label, k in pairs if label == "Person"})


def graph_persons(g: Any) -> list[str]:
    """:func:`persons_in` of a networkx graph's nodes (their ``label``)."""
    return persons_in((a.get("label"), n) for n, a in g.nodes(data=True))


def portrait_persons(p: Mapping[str, Any]) -> list[str]:
    """:func:`persons_in` of a pre-portrait (:mod:`graphkit.risk.portrait`): the person portrayed, the unit's or
    person's personnel, and the persons of its chains' graph (relatives, shareholders), so that a portrait's
    record names whose data it showed as a case file's does.

    Example
    -------
    >>> portrait_persons({"kind": "unit", "id": "U1", "personnel": [{"person": "P2"}, {"person": "P1"}]})
    ['P1', 'P2']
    """
    pairs = [("Person", x.get("person")) for x in p.get("personnel") or [] if x.get("person")]
    if p.get("kind") == "person":
        pairs.append(("Person", p.get("id")))
    g = p.get("graph")
    if g is not None:
        pairs += [(a.get("label"), n) for n, a in g.nodes(data=True)]
    return persons_in(pairs)


def masked_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A record's parameters as ``audit show`` prints them: identifiers masked, file digests as written. The keys of
    the persons the record names (``persons``) are masked as a person's key is, wherever the parameters repeat them
    (``keys``, ``entity``, ``source``): a key with no ID number's form (an FtM id, a passport number) passed the
    free-text rule, and ``audit show`` printed in clear the key that ``neighbours`` had shown masked.

    Example
    -------
    >>> masked_params({"entity": "f9c295f21b233ac878fbac4d271bb6fd13d7952a",
    ...                "persons": ["f9c295f21b233ac878fbac4d271bb6fd13d7952a"]})
    {'entity': 'f9c2**********952a', 'persons': ['f9c2**********952a']}
    """
    keep = {k: params[k] for k in ("sha256", "bytes") if k in params}
    shown = mask_data({k: v for k, v in params.items() if k not in keep})
    persons = params.get("persons")
    if isinstance(persons, list) and persons:
        shown = mask_keys_of(shown, {str(p): "Person" for p in persons if p})
    return {**shown, **keep}


#: a record's parameter by its name as a Chinese reader reads it (``audit show``, its review CSV ``--out`` and notebook
#: 05's table): the names are the commands' options (``tests/test_audit_cli.py`` checks each command's) and what the
#: faces add (``via``, ``face``, a load's counts). A name missing here is shown as it is.
PARAM_WORDS_ZH: dict[str, str] = {
    "about": "涉及",
    "after": "起始关系编号",
    "all": "全部路径",
    "approval": "审批记录",
    "as_json": "输出 JSON",
    "audit": "审计日志",
    "bidder_history": "投标人历史",
    "bids_file": "投标文件",
    "by": "操作人",
    "bytes": "字节数",
    "case": "案卷号",
    "collusion": "串通投标风险",
    "columns": "列对应",
    "command": "命令",
    "comment": "说明",
    "compare": "对比时段",
    "dest": "排名文件",
    "dirty_rate": "做脏比例",
    "encoding": "编码",
    "entities": "实体",
    "entity": "实体",
    "every": "每条最短路径",
    "exports": "案卷文件",
    "face": "界面",
    "files": "文件",
    "first": "投标表",
    "fmt": "格式",
    "format": "格式",
    "formats": "写出格式",  # the files' formats, beside the --format asked (an export read 格式：pdf twice)
    "flag_share": "标记比例",  # adapt --flag-share: the riskiest share of the market flagged
    "ftm_files": "FtM 文件",
    "head": "日志链头",
    "hops": "跳数",
    "hours": "有效小时数",
    "html": "HTML 文件",
    "iforest": "孤立森林权重",
    "import_dir": "导入文件夹",
    "jurisdiction": "辖区",
    "keys": "编号",
    "kind": "类别",
    "labels_file": "标签文件",
    "learn": "按已核查预警加权",
    "ledger": "预警台账",
    "left_out": "略去",
    "level": "等级",
    "lf_segment": "类别列",
    "limit": "最多候选数",
    "list_all": "全部列出",
    "loaded": "加载",
    "log": "审计日志",
    "market": "市场",
    "max_drawn": "最多画出节点数",
    "max_hops": "最多跳数",
    "max_iter": "迭代次数",
    "max_links": "最多关系数",
    "max_size": "社区规模上限",
    "method": "方法",
    "model": "模型",
    "model_ids": "模型",
    "models": "模型",
    "more": "更多投标表",
    "named": "指定来源表",
    "no_browser": "不打开浏览器",
    "no_cache": "不用缓存",
    "no_warnings": "不用预警",
    "normalise": "比较方式",
    "out": "输出",
    "outcome": "核查结论",
    "page": "页",
    "page_size": "每页关系数",
    "pairs": "路径两端",
    "path": "路径",
    "pdf": "PDF 文件",
    "period": "时段",
    "person": "人员",
    "port": "端口",
    "quarantine": "隔离文件",
    "quarantined": "隔离",
    "query": "查询",
    "rate": "植入率",
    "read": "读入",
    "refine": "再拆分模块度",
    "report": "加载报告",
    "resolution": "分辨率",
    "rolled_back": "已回滚",
    "rows_written": "写出行数",
    "scale": "人数",
    "scope": "范围",
    "seed": "随机种子",
    "seeds": "起点实体",
    "segment": "类别列",
    "simple": "简单路径",
    "since": "起始时间",
    "source": "来源",
    "source_dir": "来源文件夹",
    "status": "状态",
    "stopped": "中途停止",
    "strict": "严格",
    "target": "终点",
    "to": "分派给",
    "top": "前几名",
    "types": "关系类型",
    "types_off": "略去的关系类型",
    "unit": "单位",
    "unmask": "明文显示",
    "unmask_approval": "明文显示须经审批",
    "until": "有效期至",
    "user": "被批准人",
    "via": "经由",
    "warning": "预警",
    "warning_id": "预警",
    "who": "操作人",
}

#: a record's command (what was done: a command of the command line, or a panel's action) as a Chinese reader reads
#: it in ``audit show``, its review CSV and notebook 05's table: every command of ``graphkit`` (``tests/test_audit.py``
#: checks each) and what the panels and notebooks record. ``audit show --command`` takes either name. A command
#: missing here is shown as it is.
COMMAND_WORDS_ZH: dict[str, str] = {
    "audit approve": "审批明文显示",
    "audit policy": "设定审批规则",
    "audit show": "查看审计日志",
    "audit verify": "校验审计日志",
    "collusion adapt": "适配新市场",
    "collusion score": "围标串标评分",
    "collusion score-bids": "投标表评分",
    "collusion train": "训练评分模型",
    "demo": "运行演示",
    "export": "导出案卷",
    "find": "查找实体",
    "lab": "打开笔记本",
    "load": "加载数据",
    "model docs": "输出模型文档",
    "models list": "列出模型",
    "models run": "运行模型",
    "neighbours": "查看邻域",
    "path": "查找路径",
    "portrait": "生成预画像",
    "rank": "风险排名",
    "stats": "统计计数",
    "synth": "生成合成城市",
    "warnings list": "列出预警",
    "warnings show": "查看预警",
    "warnings update": "流转预警",
    "workbench start": "打开工作台",
}


def command_words(command: Any, lang: str = "zh") -> str:
    """A record's command as a reader reads it: in Chinese by :data:`COMMAND_WORDS_ZH` (a command it lacks as it
    is), under ``lang="en"`` the command itself.

    >>> command_words("export"), command_words("export", "en"), command_words("unknown")
    ('导出案卷', 'export', 'unknown')
    """
    text = "" if command is None else str(command)
    return text if lang == "en" else COMMAND_WORDS_ZH.get(text, text)


def command_named(word: str) -> str:
    """The command a reader names, in the program's words or in :data:`COMMAND_WORDS_ZH`' (``audit show --command
    导出案卷`` finds the ``export`` records).

    >>> command_named("导出案卷"), command_named("export")
    ('export', 'export')
    """
    text = (word or "").strip()
    return next((c for c, zh in COMMAND_WORDS_ZH.items() if zh == text), text)


#: values a record keeps in the program's words (a face, a kind, a scope, why an export stopped), as a Chinese reader
#: reads them; a warning's level, status and verdict, a model and a relationship type are said as the other faces say
#: them (:mod:`graphkit.rules.words`, the model's ``zh``), a command (``via=export``) by :data:`COMMAND_WORDS_ZH`
_VALUE_WORDS_ZH: dict[str, dict[str, str]] = {
    "face": {"widgets": "Jupyter 小部件"},
    "via": {"notebook": "笔记本", "demo": "演示（graphkit demo）", "widgets explorer": "Jupyter 小部件（探索）"},
    "kind": {"person": "人员", "unit": "单位", "company": "企业"},
    "scope": {"unmask": "明文显示身份标识"},
    "stopped": {"before the other files were written": "其余文件写出之前"},
    "models": {"all": "全部"},
}


def params_in_words(params: Mapping[str, Any], lang: str = "zh", *, leave: Iterable[str] = ()) -> str:
    """A record's parameters as a reader reads them, on one line: in Chinese (``lang="zh"``) each name by
    :data:`PARAM_WORDS_ZH` and each value in words — a list joined with 、, a flag 是 or 否, a notebook named as
    such (笔记本 04) — ``实体：常永、陈敏；最多关系数：500``; in English ``name=value`` as ``audit show`` printed it,
    a status and a verdict in words (``status=being checked``: :func:`_value_en`). What was not given (``None``,
    an empty text or list, a flag left off) is left out; a rule lifted
    (``unmask_approval`` false) is said. ``leave``: names shown elsewhere (the store, the files).

    Example
    -------
    >>> params_in_words({"entities": ["常永", "陈敏"], "types": None, "max_links": 500, "collusion": False,
    ...                  "unmask_approval": False, "via": "notebook 04"})
    '实体：常永、陈敏；最多关系数：500；明文显示须经审批：否；经由：笔记本 04'
    >>> params_in_words({"entities": ["常永"], "types": None, "max_links": 500}, "en")
    "entities=['常永'], max_links=500"
    """
    shown = {
        k: v
        for k, v in params.items()
        if k not in set(leave) and (v not in (None, "", [], (), {}, False) or k == "unmask_approval")
    }
    if lang == "en":  # an approval's end in the office's zone, as the record's own time is printed beside it
        return ", ".join(f"{k}={_value_en(k, v)}" for k, v in shown.items())
    return "；".join(f"{PARAM_WORDS_ZH.get(k, k)}：{_value_words(k, v)}" for k, v in shown.items())


def _value_en(key: str, value: Any) -> str:
    """One parameter's value as ``audit show --lang en`` prints it: an approval's end in the office's zone; a
    warning's status and verdict in the English words every English face says them (being checked, substantiated:
    it printed the ledger's keys, ``status=dispatched``); any other value as it is.

    >>> _value_en("status", "dispatched"), _value_en("outcome", "true_positive"), _value_en("max_links", 500)
    ('being checked', 'substantiated', '500')
    >>> _value_en("status", ["generated"])
    "['to be checked']"
    """
    from graphkit.rules import words as said

    if key == "until":
        return _local_time(value)
    word = {"status": lambda v: said.status_word(v, lang="en"), "outcome": lambda v: said.outcome_word(v, "en")}
    if key in word and isinstance(value, str):
        return word[key](value)
    if key in word and isinstance(value, (list, tuple)):  # warnings list --status generated: ['to be checked']
        return str([word[key](v) if isinstance(v, str) else v for v in value])
    return str(value)


def _local_time(at: Any) -> str:
    from graphkit.rules.words import local_time

    return local_time(at)


def _value_words(key: str, value: Any) -> str:
    """One parameter's value in a Chinese reader's words (:func:`params_in_words`)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():  # an approval's 8 hours, not 8.0
        return str(int(value))
    if isinstance(value, Mapping):
        return "、".join(f"{PARAM_WORDS_ZH.get(str(k), k)}={_value_words(str(k), v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(_value_words(key, v) for v in value if v not in (None, ""))
    if value is None:
        return ""
    text = str(value)
    words = _VALUE_WORDS_ZH.get(key, {})
    if text in words:
        return words[text]
    if key == "via" and text.startswith("notebook "):  # via=notebook 04
        return "笔记本 " + text.removeprefix("notebook ")
    if key in ("via", "command"):  # the command that wrote a case file (export), or audit show --command's
        return command_words(text)
    from graphkit.rules import words as said  # the words the console, the Warnings tab and the portraits use

    if key == "level":
        return said.level_word(text)
    if key == "status":
        return said.status_word(text)
    if key == "outcome":
        return said.outcome_word(text)
    if key in ("model", "models", "model_ids"):  # a model's id by its short title; a model file's path as it is
        return said.model_title(text, short=True)
    if key in ("types", "types_off"):  # relationship types, as the legend names them (--types takes them so too)
        return "、".join(_relationship_words().get(t.strip(), t.strip()) for t in text.split(",") if t.strip())
    if key == "until":  # an approval's end, in the office's zone as every time audit show prints
        return said.local_time(text)
    return text


@functools.lru_cache(maxsize=1)
def _relationship_words() -> dict[str, str]:
    """Each relationship type's Chinese name (the model's ``zh``: 亲属, 股东), as the legends say them."""
    from graphkit.model import Model

    model = Model.default()
    return {name: model.display_name(name, "zh") for name in model.relationships}


#: the columns of a review of the records (``audit show --out``, notebook 05's table): a record's field and its
#: Chinese heading for the reviewer (under ``--lang en`` the field itself heads it, as ``--json`` names it:
#: :func:`review_headings`)
REVIEW_COLUMNS = (
    ("seq", "序号"),
    ("at", "时间"),
    ("who", "操作人"),
    ("login", "登录账号"),
    ("command", "命令"),
    ("purpose", "目的"),
    ("persons", "涉及人员"),
    ("params", "参数"),
    ("result", "结果数"),
    ("unmasked", "明文显示"),
    ("reason", "理由"),
    ("approval", "审批记录"),
    ("refused", "拒绝原因"),
    ("files", "导出文件"),
    ("sha256", "文件SHA-256"),
    ("check", "校验"),
)


def review_headings(lang: str = "zh") -> list[str]:
    """The headings of a review's columns (:data:`REVIEW_COLUMNS`): Chinese, or under ``lang="en"`` each record's
    field as ``--json`` names it.

    >>> review_headings()[:3], review_headings("en")[:3]
    (['序号', '时间', '操作人'], ['seq', 'at', 'who'])
    """
    return [field if lang == "en" else title for field, title in REVIEW_COLUMNS]


def review_rows(
    records: Iterable[Mapping[str, Any]], check: Verification | None = None, lang: str = "zh"
) -> list[dict[str, Any]]:
    """Records as a reviewer reads them, one row a record under :func:`review_headings` (Chinese; ``lang="en"``:
    English): the time in the reader's zone, the command in the reader's words (:func:`command_words`: 导出案卷), the
    persons a command showed, the approval an unmask rests on, why refused, the files written and their SHA-256 in
    columns of their own, the rest of the parameters in the reader's words (:func:`params_in_words`:
    实体：常永；最多关系数：500; ``lang="en"``: as JSON, as before), and the record that fails the chain's ``check``
    marked. The records are written as given: mask them first
    (:func:`masked_params`) unless the reviewer may read identifiers in clear. A field a record lacks is empty,
    never ``NaN`` (a notebook's table showed ``NaN`` under 目的 for exports run with no purpose).

    Example
    -------
    >>> row = review_rows([{"seq": 1, "at": "not a time", "who": "王", "command": "export",
    ...                     "params": {"case": "巡2024-03", "persons": ["P1", "P2"]}}])[0]
    >>> row["涉及人员"], row["参数"], row["目的"]
    ('P1；P2', '案卷号：巡2024-03', '')
    """
    from graphkit.rules.words import local_time

    en = lang == "en"
    joined = "; " if en else "；"
    # lang: the console's language, which earlier refusals' records kept as if a parameter
    apart = ("persons", "approval", "refused", "files", "sha256", "store", "lang")
    rows = []
    for r in records:
        p = r.get("params") or {}
        row = {
            **{k: r.get(k) for k in ("seq", "who", "login", "purpose", "result", "reason")},
            "at": local_time(r["at"]),
            "command": command_words(r.get("command"), lang),
            "persons": joined.join(p.get("persons") or []),
            "params": (
                params_in_words(p, leave=apart)
                if not en
                else json.dumps({k: v for k, v in p.items() if k not in apart}, ensure_ascii=False)
            ),
            "unmasked": ("yes" if en else "是") if r.get("unmasked") else "",
            "approval": p.get("approval", ""),
            "refused": refusal_words(p.get("refused", ""), "en" if en else "zh"),  # kept in English
            "files": joined.join(p.get("files") or []),
            "sha256": joined.join(p.get("sha256") or []),
            "check": ("fails" if en else "未通过")
            if check is not None and not check.ok and r.get("seq") == check.bad_seq
            else "",
        }
        headed = zip(REVIEW_COLUMNS, review_headings(lang), strict=True)
        rows.append({title: "" if row.get(k) is None else row[k] for (k, _), title in headed})
    return rows
