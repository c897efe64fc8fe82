"""Workbench: the panels as tabs on one store, sharing one selection and one audit identity.

The identity (who works, and why: 精准授权、严格管理) is asked once, before any tab opens, unless given;
every search, neighbourhood, path, export and ledger change is recorded with it (``identity.actions``),
and the ledger's status changes are signed with ``who``. An entity picked in one tab (a company clicked
in Collusion, a unit in a warning's evidence) opens in the Explorer tab. Every tab reads Chinese alone (its
title ``查询与关系``, its buttons ``查找``, its status lines); ``lang="en"`` makes them English alone.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W

from graphkit.audit import AuditLog
from graphkit.model import Model
from graphkit.rules.ledger import Ledger
from graphkit.rules.words import check_lang
from graphkit.stores.base import GraphStore
from graphkit.widgets.base import Panel, Selection, label, panel_identity
from graphkit.widgets.collusion import Collusion
from graphkit.widgets.explorer import Explorer
from graphkit.widgets.risk import Risk
from graphkit.widgets.warnings import Warnings

__all__ = ["Workbench", "TAB_TITLES"]

#: tab titles (Chinese, English), each shown alone in its language (they read 预警 Warnings under Chinese)
TAB_TITLES = {
    "explorer": ("查询与关系", "Explorer"),
    "warnings": ("预警", "Warnings"),
    "collusion": ("围标串标", "Collusion"),
    "risk": ("风险与画像", "Risk"),
}


class Workbench(Panel):
    """Explorer, Warnings, Collusion and Risk as tabs (see the module doc).

    Parameters
    ----------
    store : GraphStore
    ledger : Ledger or str or Path, optional
        The warning ledger; without one there is no Warnings tab.
    who, purpose : str, optional
        The audit identity; asked in the panel when not given.
    out_dir : str or Path, default "case_files"
        Where the Explorer exports.
    scores : KGScores, optional
        Collusion scores already computed.
    model : Model, optional
    lang : {"zh", "en"}, default "zh"
    unmask, reason, audit :
        Identifiers in clear (with a reason; never for a viewer) and the audit log (beside the store by default),
        as for :class:`~graphkit.widgets.Explorer`.
    """

    name = "workbench"

    def __init__(
        self,
        store: GraphStore,
        *,
        ledger: Ledger | str | Path | None = None,
        who: str | None = None,
        purpose: str | None = None,
        out_dir: str | Path = "case_files",
        scores=None,
        model: Model | None = None,
        lang: str = "zh",
        unmask: bool = False,
        reason: str | None = None,
        audit: AuditLog | None = None,
    ) -> None:
        identity = panel_identity(store, by=who, purpose=purpose, unmask=unmask, reason=reason, audit=audit, lang=lang)
        if not who:
            identity.who = ""  # asked in the panel
        super().__init__(Selection(shown_in=TAB_TITLES["explorer"][0 if lang == "zh" else 1]), identity)
        self.lang = check_lang(lang)
        self.store = store
        model = model or Model.default()
        shared = {"selection": self.selection, "identity": self.identity, "model": model, "lang": lang}
        self.explorer = Explorer(store, out_dir=out_dir, **shared)
        self.warnings = Warnings(store, ledger, **shared) if ledger is not None else None
        self.collusion = Collusion(store, scores=scores, **shared)
        self.risk = Risk(
            store,
            ledger=self.warnings.ledger if self.warnings is not None else None,
            out_dir=out_dir,
            lang=lang,
            selection=self.selection,
            identity=self.identity,
        )
        self.panels = [p for p in (self.explorer, self.warnings, self.collusion, self.risk) if p is not None]
        self.tabs = W.Tab(children=[p.widget for p in self.panels])
        for i, p in enumerate(self.panels):
            self.tabs.set_title(i, TAB_TITLES[p.name][0 if lang == "zh" else 1])
        self.tabs.add_class("graphkit-tabs")
        self.who = W.Text(
            value=self.identity.who,
            description=self.words("姓名", "Who"),
            placeholder=self.words("姓名 / 工号", "name / staff number"),
        )
        self.purpose = W.Text(
            value=self.identity.purpose,
            description=self.words("事由", "Purpose"),
            placeholder=self.words("案件编号或查询事由", "case number or the reason for looking"),
            layout=W.Layout(width="50%"),
        )
        self.start_button = W.Button(
            description=label(lang, "开始", "Start"), icon="play", button_style="primary", layout=W.Layout(width="auto")
        )
        self.start_button.on_click(self.start)
        self.ask = W.HBox([self.who, self.purpose, self.start_button])
        self.selection.observe(self._open_in_explorer, names="id")
        self.widget = W.VBox([self.ask, self.status, self.tabs])
        self.widget.add_class("graphkit-workbench")
        if self.identity.who and self.identity.purpose:
            self.start()
        else:
            self.tabs.layout.display = "none"
            self.say(
                self.words(
                    "请填写姓名和事由（案件编号或查询事由），再点“开始”：每一步操作都记录在案",
                    "say who you are and why you look (a case number or a reason), then Start: every action is "
                    "recorded with it",
                )
            )

    def start(self, _=None) -> None:
        """Take the identity and open the tabs."""
        who, purpose = self.who.value.strip(), self.purpose.value.strip()
        if not who or not purpose:
            self.say(self.words("姓名和事由都须填写", "both who you are and the purpose are needed"), error=True)
            return
        self.identity.who, self.identity.purpose = who, purpose
        self.identity.record("workbench start")
        self.ask.layout.display = "none"
        self.tabs.layout.display = None
        self.say(f"{who} · {purpose}")

    def _open_in_explorer(self, change) -> None:
        if self.selection.by != self.explorer.name and self.selection.id:
            self.tabs.selected_index = self.panels.index(self.explorer)
