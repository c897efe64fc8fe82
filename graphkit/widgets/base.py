"""What every panel shares: the selection, the audit identity, the status line and the guard.

* :class:`Selection` — the entity picked last, by any panel (``label``, ``id``, ``by``: which panel). A
  unit picked in one tab opens in the Explorer of the same :class:`~graphkit.widgets.Workbench`.
* :class:`Identity` — who works and why (``who``, ``purpose``), asked once by the workbench; every action
  is recorded with it (:meth:`Identity.record`), and the ledger's changes carry ``who``.
* :class:`Panel` — a status line whose errors are red, masked (:func:`graphkit.model.mask.mask_text`), and
  :meth:`Panel.guarded`: an action that fails says so in the status line and never raises into the
  notebook (a closed store, an unknown warning, a transition the closed loop forbids). An action of a panel
  with a store shows that store's official plates and registered addresses in clear
  (:meth:`graphkit.stores.base.GraphStore.public_keys`, asked once per panel); every other plate and address
  is masked.
* :meth:`Panel.action` — a button's action: it says what it is doing in the status line, the panel's
  :class:`ActionButton` s are disabled until it is done, and a click the browser sent while the panel was
  working (the second click of a double-click: its message waits in the kernel until the first is done) is
  dropped, so a double-click on *Export* writes one case file, not two.
* :func:`words` and :func:`label` — what a reader sees, in one language: a status line or a button in Chinese
  (``评分``), or in English alone for ``lang="en"`` (``Score``; :meth:`Panel.words`).
"""

from __future__ import annotations

import contextvars
import functools
import html
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import ipywidgets as W
import traitlets as T

from graphkit.model.mask import known_public, mask_text

__all__ = [
    "Selection",
    "Identity",
    "Panel",
    "ActionButton",
    "ERROR_STYLE",
    "stretch",
    "panel_identity",
    "case_in",
    "words",
    "label",
]

ERROR_STYLE = "color:#b00020"


def words(lang: str, zh: str, en: str) -> str:
    """What a reader sees: ``zh``, or ``en`` where the panel is asked for English (``lang="en"``)."""
    return en if lang == "en" else zh


def label(lang: str, zh: str, en: str) -> str:
    """A button's text in the panel's language alone: ``评分``; ``Score`` for ``lang="en"``. It read ``评分 Score``,
    two languages on one face."""
    return words(lang, zh, en)


def stretch() -> W.Layout:
    """The layout of a list that fills its panel's width: ``width: auto`` in a VBox stretches it to the width less
    its margin, where ``100%`` made it the width plus its margin and the panel scrolled sideways."""
    return W.Layout(width="auto")


#: when the browser sent the click being handled (its message's date), while an :class:`ActionButton` handles it
_CLICK_SENT: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("graphkit_click_sent", default=None)


def _sent(msg: dict) -> datetime | None:
    """The date a front-end message was sent (jupyter_client gives a datetime; a string is parsed)."""
    date = (msg.get("header") or {}).get("date")
    if isinstance(date, str):
        try:
            date = datetime.fromisoformat(date.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(date, datetime):
        return None
    return date if date.tzinfo is not None else date.replace(tzinfo=UTC)


class ActionButton(W.Button):
    """A button its panel disables while an action runs (``busy``); ``disabled`` is what the panel asks for
    (kept while busy and shown once free) or ``busy``. A click's handler runs knowing when the browser sent
    the click, so the panel can drop one made while it was working (:meth:`Panel.action`)."""

    busy = T.Bool(False)

    def __init__(self, **kwargs) -> None:
        self._wanted = bool(kwargs.get("disabled", False))
        super().__init__(**kwargs)

    @T.validate("disabled")
    def _or_busy(self, proposal) -> bool:
        self._wanted = bool(proposal["value"])
        return self._wanted or self.busy

    @T.observe("busy")
    def _on_busy(self, change) -> None:
        self.disabled = self._wanted

    @property
    def wanted(self) -> bool:
        """Whether the panel wants the button disabled (what ``disabled`` shows once the panel is free)."""
        return self._wanted

    def _handle_msg(self, msg) -> None:
        token = _CLICK_SENT.set(_sent(msg))
        try:
            super()._handle_msg(msg)
        finally:
            _CLICK_SENT.reset(token)


class Selection(T.HasTraits):
    """The entity picked last: ``label`` and ``id`` (its natural key), and ``by``, the panel that picked it;
    ``shown_in``: the title of the tab a pick opens in (a workbench's Explorer), ``""`` where nothing opens it (a
    panel shown on its own), so a panel names that tab only where there is one."""

    label = T.Unicode("")
    id = T.Unicode("")
    by = T.Unicode("")
    shown_in = T.Unicode("")

    def pick(self, label: str, key: str, by: str) -> None:
        """Pick an entity (observers of ``id`` hear it once, with every field set)."""
        with self.hold_trait_notifications():
            self.label, self.by, self.id = str(label), str(by), str(key)


class Identity(T.HasTraits):
    """Who works (``who``) and why (``purpose``), the actions done so far (``actions``), and the audit log
    every action is appended to (``audit``: :class:`graphkit.audit.AuditLog`, hash-chained), with whether
    identifiers were shown in clear (``unmask``) and why (``reason``)."""

    who = T.Unicode("")
    purpose = T.Unicode("")
    actions = T.List()
    unmask = T.Bool(False)
    reason = T.Unicode("")
    approval = T.Int(0)  # the audit record of the approval the unmask rests on, where the log requires one

    def __init__(self, audit=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.audit = audit

    def record(self, action: str, *, result: int | None = None, **params: Any) -> dict:
        """Keep one action with who, why and when (and append it to the audit log); returns the record."""
        rec = {
            "at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "who": self.who,
            "purpose": self.purpose,
            "action": action,
            "params": {k: mask_text(v) if isinstance(v, str) and not self.unmask else v for k, v in params.items()},
        }
        self.actions = [*self.actions, rec]
        if self.audit is not None:
            self.audit.append(
                action,
                {"face": "widgets", **params, **({"approval": self.approval} if self.unmask and self.approval else {})},
                who=self.who or None,
                purpose=self.purpose or None,
                result=result,
                unmasked=self.unmask,
                reason=self.reason or None,
            )
        return rec


class Panel:
    """A panel's status line and guard (see the module doc).

    Parameters
    ----------
    selection : Selection, optional
        Shared with the other panels of a workbench; a panel of its own otherwise.
    identity : Identity, optional
        Who works and why; a blank one otherwise.
    """

    name = "panel"
    #: the language of the panel's status lines and labels (:func:`words`); a panel with ``lang`` sets its own
    lang = "zh"

    def __init__(self, selection: Selection | None = None, identity: Identity | None = None) -> None:
        self.selection = selection if selection is not None else Selection()
        self.identity = identity if identity is not None else Identity()
        self.status = W.HTML(layout=W.Layout(min_height="1.6em"))
        self.status.add_class("graphkit-status")
        self.widget: W.Widget = W.VBox()
        self._work = threading.RLock()  # one action at a time (JupyterLab may run a handler on another thread)
        self._depth = 0  # actions under way in this thread (an action may call another: More calls Neighbourhood)
        self._free_from: datetime | None = None  # by the browser's clock, when the last clicked action ended

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def words(self, zh: str, en: str) -> str:
        """``zh``, or ``en`` for a panel in English (:func:`words`)."""
        return words(self.lang, zh, en)

    def failed(self, what: str, exc: BaseException | str) -> str:
        """An action's failure as the status line says it, ``what`` being the action as its button says it
        (``路径 / Path``): a refusal the stores, the ledger, the search or the audit log say, in Chinese
        (:func:`graphkit.rules.words.refusal_zh`, :func:`graphkit.audit.refusal_words`: ``路径：没有与 'x' 匹配的实体
        …``); any other error with its own text (``查找未能完成：store gone``); for ``lang="en"`` the English half and
        the error as raised (``Path: nothing matches 'x' …``). The status line had said ``路径 / Path: nothing
        matches …`` in English to a Chinese reader."""
        from graphkit.audit import refusal_words
        from graphkit.rules.words import refusal_zh

        zh, _, en = what.partition(" / ")
        text = str(exc)
        if self.lang == "en":
            return f"{en or zh}: {text}"
        said = refusal_words(refusal_zh(text))
        return f"{zh}：{said}" if said != text else f"{zh}未能完成：{text}"

    def say(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` in the status line (masked unless the identity unmasks; red when ``error``)."""
        body = html.escape(text if self.identity.unmask else mask_text(text))
        self.status.value = f"<span style='{ERROR_STYLE}'>{body}</span>" if error else body

    def public_keys(self) -> frozenset[str]:
        """The plates and addresses of the panel's store shown in clear (none without a store); asked once."""
        known = getattr(self, "_public_keys", None)
        if known is None:
            store = getattr(self, "store", None)
            known = frozenset() if store is None else store.public_keys()
            self._public_keys = known
        return known

    def buttons(self) -> Iterator[ActionButton]:
        """The panel's action buttons (those in its widget tree)."""
        todo = [self.widget]
        while todo:
            w = todo.pop()
            if isinstance(w, ActionButton):
                yield w
            todo.extend(getattr(w, "children", ()) or ())

    @property
    def busy(self) -> bool:
        """Whether an action is under way."""
        return self._depth > 0

    @staticmethod
    def action(progress: tuple[str, str] | str | None = None, *, what: str) -> Callable[[Callable], Callable]:
        """Wrap a button's action (see the module doc): ``progress`` (Chinese, English: :meth:`words`) in the
        status line while it works, the
        panel's buttons disabled until it is done, a click sent while the panel was working dropped, any
        exception a red status line opening with ``what`` (:meth:`guarded`)."""

        def wrap(fn: Callable) -> Callable:
            guarded = Panel.guarded(what)(fn)

            @functools.wraps(fn)
            def run(self, *args, **kwargs):
                sent = _CLICK_SENT.get()
                if sent is not None and self._free_from is not None and sent < self._free_from:
                    return None  # clicked while the panel was working (a double-click's second click)
                if not self._work.acquire(blocking=False):
                    return None  # another thread's action is under way; its buttons show disabled
                t0 = time.monotonic()
                self._depth += 1
                buttons = list(self.buttons()) if self._depth == 1 else []
                try:
                    for b in buttons:
                        b.busy = True
                    if progress:
                        # a plain string (a caller written before the two languages) is said as it is
                        said = progress if isinstance(progress, str) else self.words(*progress)
                        self.say(said + " …")
                    return guarded(self, *args, **kwargs)
                finally:
                    self._depth -= 1
                    for b in buttons:
                        b.busy = False
                    if sent is not None and self._depth == 0:
                        self._free_from = sent + timedelta(seconds=time.monotonic() - t0)
                    self._work.release()

            return run

        return wrap

    @staticmethod
    def guarded(what: str) -> Callable[[Callable], Callable]:
        """Wrap an action: any exception becomes a red status line opening with ``what``, the action in the
        user's words as its button or control says it (``路径 / Path: nothing matches …``, not the method's
        name); plates and addresses are masked as the panel's store says (:meth:`public_keys`)."""

        def wrap(fn: Callable) -> Callable:
            @functools.wraps(fn)
            def run(self, *args, **kwargs):
                try:
                    with known_public(self.public_keys):
                        return fn(self, *args, **kwargs)
                except Exception as exc:  # noqa: BLE001 - a panel reports, never raises into the notebook
                    self.say(self.failed(what, exc), error=True)
                    return None

            return run

        return wrap


#: a case number as case officers write them: a year of four digits with a dash, 〔〕 or 号 in one token
#: (苏纪2024-017, 巡2024-03, 2026-纪-0415, 苏纪〔2024〕17号); a purpose in words (线索核查, 2024年巡察) is none
_CASE_NUMBER = re.compile(r"^(?=\S*\d{4})(?=\S*[-〔〕号])[\w\u3400-\u9fff〔〕\[\]()（）-]+$")


def case_in(purpose: str) -> str:
    """The case number a purpose names (its first word, as the workbench's 事由 field holds "案件编号或查询事由"),
    or "" when it names none.

    >>> case_in("苏纪2024-017 初核"), case_in("巡2024-03：预画像"), case_in("线索核查")
    ('苏纪2024-017', '巡2024-03', '')
    """
    first = re.split(r"[\s:：,，;；]+", (purpose or "").strip(), maxsplit=1)[0]
    return first if _CASE_NUMBER.match(first) else ""


def panel_identity(
    store,
    *,
    by: str | None = None,
    purpose: str | None = None,
    unmask: bool = False,
    reason: str | None = None,
    audit=None,
    lang: str = "zh",
) -> Identity:
    """The identity of a panel or workbench: who (``by``, ``GRAPHKIT_USER`` or the login name), why, whether
    identifiers show in clear (a reason needed, refused for a viewer) and the audit log beside the store. A refusal
    is said in ``lang`` (Chinese, or English for ``"en"``); the audit log keeps its English either way.

    Raises
    ------
    PermissionError
        ``unmask`` for a viewer (``GRAPHKIT_ROLE=viewer``), or where the store's audit log requires a
        supervisor's approval and ``by`` has none in force (:meth:`graphkit.audit.AuditLog.unmask_approval`).
    ValueError
        ``unmask`` without a reason.
    """
    import os

    from graphkit.audit import AuditError, AuditLog, audit_path_for, current_user

    if audit is None:
        path = getattr(store, "path", None)
        audit = AuditLog(audit_path_for(f"embedded:{path}" if path else ""))
    from graphkit.audit import PANEL_VIEWER_REFUSAL, ApprovalRequired, refusal_words
    from graphkit.rules.words import check_lang

    check_lang(lang)

    def refused(why: str) -> PermissionError:
        """The refusal, its attempt recorded in the audit log (refused all the same where it cannot be)."""
        try:
            audit.refuse("widgets open", {"unmask": True}, why=why, who=by, purpose=purpose, reason=reason)
            noted = words(
                lang, "（此次被拒绝的操作已记入审计日志）", " (the refused attempt is recorded in the audit log)"
            )
        except (AuditError, OSError, TimeoutError) as exc:
            noted = words(
                lang,
                f"（此次被拒绝的操作未能记入审计日志：{exc}）",
                f" (the refused attempt could not be recorded: {exc})",
            )
        return PermissionError(refusal_words(why, lang) + noted)

    if unmask and os.environ.get("GRAPHKIT_ROLE", "").strip().lower() == "viewer":
        raise refused(PANEL_VIEWER_REFUSAL)
    if unmask and not (reason or "").strip():
        raise ValueError(
            words(
                lang,
                "unmask=True 须给出理由 reason（理由记入审计日志）",
                "unmask=True needs a reason (it is recorded in the audit log)",
            )
        )
    approval = None
    if unmask:  # where the log requires a supervisor's approval (graphkit audit policy), one in force
        try:
            approval = audit.unmask_approval(current_user(by))
        except ApprovalRequired as exc:
            raise refused(str(exc)) from exc
    return Identity(
        audit=audit,
        who=current_user(by),
        purpose=purpose or "",
        unmask=bool(unmask),
        reason=reason or "",
        approval=approval["seq"] if approval else 0,
    )
