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
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as W
import traitlets as T

from graphkit.model.mask import known_public, mask_text

__all__ = ["Selection", "Identity", "Panel", "ERROR_STYLE", "panel_identity"]

ERROR_STYLE = "color:#b00020"


class Selection(T.HasTraits):
    """The entity picked last: ``label`` and ``id`` (its natural key), and ``by``, the panel that picked it."""

    label = T.Unicode("")
    id = T.Unicode("")
    by = T.Unicode("")

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
                {"face": "widgets", **params},
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

    def __init__(self, selection: Selection | None = None, identity: Identity | None = None) -> None:
        self.selection = selection if selection is not None else Selection()
        self.identity = identity if identity is not None else Identity()
        self.status = W.HTML(layout=W.Layout(min_height="1.6em"))
        self.status.add_class("graphkit-status")
        self.widget: W.Widget = W.VBox()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

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

    @staticmethod
    def guarded(fn: Callable) -> Callable:
        """Wrap an action: any exception becomes a red status line naming what failed; plates and addresses
        are masked as the panel's store says (:meth:`public_keys`)."""

        @functools.wraps(fn)
        def run(self, *args, **kwargs):
            try:
                with known_public(self.public_keys):
                    return fn(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a panel reports, never raises into the notebook
                self.say(f"{fn.__name__.strip('_')} failed: {exc}", error=True)
                return None

        return run


def panel_identity(
    store,
    *,
    by: str | None = None,
    purpose: str | None = None,
    unmask: bool = False,
    reason: str | None = None,
    audit=None,
) -> Identity:
    """The identity of a panel or workbench: who (``by``, ``GRAPHKIT_USER`` or the login name), why, whether
    identifiers show in clear (a reason needed, refused for a viewer) and the audit log beside the store.

    Raises
    ------
    PermissionError
        ``unmask`` for a viewer (``GRAPHKIT_ROLE=viewer``).
    ValueError
        ``unmask`` without a reason.
    """
    import os

    from graphkit.audit import AuditError, AuditLog, audit_path_for, current_user

    if audit is None:
        path = getattr(store, "path", None)
        audit = AuditLog(audit_path_for(f"embedded:{path}" if path else ""))
    if unmask and os.environ.get("GRAPHKIT_ROLE", "").strip().lower() == "viewer":
        why = "a viewer cannot show identifiers in clear (GRAPHKIT_ROLE=viewer)"
        try:
            audit.refuse("widgets open", {"unmask": True}, why=why, who=by, purpose=purpose, reason=reason)
            noted = " (the refused attempt is recorded in the audit log)"
        except (AuditError, OSError, TimeoutError) as exc:  # refused all the same
            noted = f" (the refused attempt could not be recorded: {exc})"
        raise PermissionError(why + noted)
    if unmask and not (reason or "").strip():
        raise ValueError("unmask=True needs a reason (it is recorded in the audit log)")
    return Identity(
        audit=audit,
        who=current_user(by),
        purpose=purpose or "",
        unmask=bool(unmask),
        reason=reason or "",
    )
