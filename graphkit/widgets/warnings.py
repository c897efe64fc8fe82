"""Warnings: the ledger as a table, a warning's evidence drawn with its source rows, its status changed.

* the table: every warning of the ledger (:class:`graphkit.rules.ledger.Ledger`), filtered by model, level,
  status and unit, sorted by level, model, status, first or last seen;
* the selected warning: its summary, entities each by its name beside its key (identifiers masked), the links
  among them (named too) with the source file and row of each, its history, and its evidence drawn
  (:func:`graphkit.evidence.warning_graph`: a bid-rigging ring with its shared identifiers and bids, a relative
  chain with its tender, a fuel anomaly with its card, vehicle, transaction and GPS stop);
* the status change: dispatch (to whom), verify (true or false positive, with a comment), rectify, written
  to the ledger by :meth:`~graphkit.rules.ledger.Ledger.update` with who (the workbench's identity) and when;
  ``graphkit warnings list --json`` shows it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from pathlib import Path

import ipywidgets as W
import pandas as pd

from graphkit.evidence import fold, warning_graph
from graphkit.model import Model
from graphkit.model.mask import mask_text, warning_summary
from graphkit.rules.ledger import LEVELS, OUTCOMES, STATUSES, TRANSITIONS, TYPE_LABELS, Ledger
from graphkit.stores.base import GraphStore
from graphkit.viz import named_keys
from graphkit.widgets.base import ActionButton, Identity, Panel, Selection, stretch
from graphkit.widgets.graph import GraphView
from graphkit.widgets.listbox import ListBox

__all__ = ["Warnings", "SORTS"]

ALL = "(all)"
#: sort orders of the table: name → (column, ascending)
SORTS = {
    "level": ("level_rank", True),
    "model": ("model", True),
    "status": ("status_rank", True),
    "first seen": ("first_seen", False),
    "last seen": ("last_seen", False),
}


def _esc(x) -> str:
    return html.escape(mask_text("" if x is None else str(x)))


class Warnings(Panel):
    """The warning ledger of a store (see the module doc).

    Parameters
    ----------
    store : GraphStore
        The store the warnings were raised on (for their evidence graphs and unit names).
    ledger : Ledger or str or Path
        The ledger, or its SQLite file.
    model : Model, optional
    lang : {"zh", "en"}, default "zh"
    selection, identity :
        Shared with the other panels of a :class:`~graphkit.widgets.Workbench`; ``identity.who`` signs every
        status change.
    """

    name = "warnings"

    def __init__(
        self,
        store: GraphStore,
        ledger: Ledger | str | Path,
        *,
        model: Model | None = None,
        lang: str = "zh",
        selection: Selection | None = None,
        identity: Identity | None = None,
    ) -> None:
        super().__init__(selection, identity)
        self.store = store
        self.ledger = ledger if isinstance(ledger, Ledger) else Ledger(ledger)
        self.model = model or Model.default()
        self.frame = pd.DataFrame()
        self.current: dict | None = None
        self.model_filter = W.Dropdown(options=[ALL], description="Model")
        self.level_filter = W.Dropdown(options=[ALL, *LEVELS], description="Level")
        self.status_filter = W.Dropdown(options=[ALL, *STATUSES], description="Status")
        self.unit_filter = W.Dropdown(options=[ALL], description="Unit")
        self.sort = W.Dropdown(options=list(SORTS), value="level", description="Sort by")
        self.refresh_button = ActionButton(description="Refresh", icon="refresh")
        # each warning whole, wrapped (a Select cut its summary at 110 characters and at the box's edge)
        self.table = ListBox(options=[], rows=10, layout=stretch())
        self.table.add_class("graphkit-warnings-table")
        self.detail = W.HTML()
        self.next_status = W.Dropdown(options=[], description="Move to")
        self.to = W.Text(placeholder="dispatch to (office or person)", description="To")
        self.outcome = W.Dropdown(options=[None, *OUTCOMES], description="Verdict")
        self.comment = W.Textarea(placeholder="what was done or found", description="Comment")
        self.apply_button = ActionButton(description="Apply", icon="check", button_style="primary", disabled=True)
        self.view = GraphView(model=self.model, lang=lang, height="460px")
        for w in (self.model_filter, self.level_filter, self.status_filter, self.unit_filter, self.sort):
            w.observe(self._refilter, names="value")
        self.refresh_button.on_click(self.refresh)
        self.table.observe(self._on_pick, names="value")
        self.apply_button.on_click(self.apply)
        self.view.observe(self._on_click, names="clicks")
        self.widget = W.VBox(
            [
                W.HBox([self.model_filter, self.level_filter, self.status_filter]),
                W.HBox([self.unit_filter, self.sort, self.refresh_button]),
                self.table,
                self.status,
                self.detail,
                W.HBox([self.next_status, self.to, self.outcome]),
                W.HBox([self.comment, self.apply_button]),
                self.view,
            ]
        )
        self.widget.add_class("graphkit-warnings")
        self.refresh()

    # ------------------------------------------------------------------ table
    @Panel.action(what="刷新 / Refresh")
    def refresh(self, _=None) -> None:
        """Read the ledger again and redraw the table."""
        rows = self.ledger.warnings(history=False)
        units = sorted(
            {e for w in rows for e, t in zip(w["entities"], w["types"], strict=True) if t == "unit"}, key=str
        )
        names = self._unit_names(units)
        self.frame = pd.DataFrame(
            [
                {
                    "id": w["id"],
                    "model": w["model"],
                    "level": w["level"],
                    "status": w["status"],
                    "assignee": w["assignee"],
                    "summary": warning_summary(w, unmask=self.identity.unmask),
                    "first_seen": w["first_seen"],
                    "last_seen": w["last_seen"],
                    "units": [e for e, t in zip(w["entities"], w["types"], strict=True) if t == "unit"],
                }
                for w in rows
            ],
            columns=["id", "model", "level", "status", "assignee", "summary", "first_seen", "last_seen", "units"],
        )
        self.frame["level_rank"] = self.frame["level"].map({lv: i for i, lv in enumerate(LEVELS)})
        self.frame["status_rank"] = self.frame["status"].map({s: i for i, s in enumerate(STATUSES)})
        keep = self.model_filter.value, self.unit_filter.value
        self.model_filter.options = [ALL, *sorted(set(self.frame["model"]))]
        self.unit_filter.options = [(ALL, ALL)] + [(f"{names.get(u, u)}", u) for u in units]
        self.model_filter.value = keep[0] if keep[0] in self.model_filter.options else ALL
        self.unit_filter.value = keep[1] if keep[1] in units else ALL
        self._refilter()

    def _unit_names(self, units: list[str]) -> dict[str, str]:
        if not units:
            return {}
        from graphkit.paths import locate

        return {k: (n.name or k) for k, n in locate(self.store, units).items()}

    def shown(self) -> pd.DataFrame:
        """The warnings the table shows, filtered and sorted as the controls say."""
        f = self.frame
        if f.empty:
            return f
        for col, w in (("model", self.model_filter), ("level", self.level_filter), ("status", self.status_filter)):
            if w.value != ALL:
                f = f[f[col] == w.value]
        if self.unit_filter.value != ALL:
            f = f[f["units"].map(lambda us: self.unit_filter.value in us)]
        col, asc = SORTS[self.sort.value]
        return f.sort_values([col, "model", "id"], ascending=[asc, True, True], kind="stable")

    def _refilter(self, change=None) -> None:
        f = self.shown()
        keep = self.table.value
        self.table.options = [
            (
                # fields apart by a separator: spaces padding them align nothing in a proportional font, and a
                # model name of 28 characters or more ran into the summary
                f"{r.level} · {r.status} · {r.model} · {r.summary or ''}",  # whole: the list wraps it
                r.id,
            )
            for r in f.itertuples()
        ]
        self.table.value = keep if keep in set(f["id"]) else None
        self.say(f"{len(f)} of {len(self.frame)} warnings shown")

    # ------------------------------------------------------------------ one warning
    def _on_pick(self, change) -> None:
        if change["new"]:
            self.show(change["new"])
        else:
            self._forget()

    def _forget(self) -> None:
        """No warning shown: the detail, the status change and the drawing belong to none (so a pick that fails
        never leaves the previous warning's detail and Apply under the new one highlighted in the table)."""
        self.current = None
        self.detail.value = ""
        self.next_status.options = []
        self.apply_button.disabled = True
        self.view.clear()

    @Panel.guarded("预警 / Warning")
    def show(self, wid: str) -> None:
        """Show one warning: summary, entities, evidence links with source rows, history; draw its evidence.
        Whatever was shown before goes first: if reading this one fails, nothing stale remains."""
        self._forget()
        w = self.ledger.get(wid)
        self.current = w
        self.identity.record("warnings show", warning=wid, result=1)
        typed = {str(e): TYPE_LABELS.get(t, "") for e, t in zip(w["entities"], w["types"], strict=True)}
        ends = [str(lk[end]) for lk in w["evidence"]["links"] for end in ("start", "end")]
        named = self._named([*typed, *ends], typed)
        ents = "".join(
            f"<li>{html.escape(t)} {named[str(e)]}</li>" for e, t in zip(w["entities"], w["types"], strict=True)
        )
        links = "".join(
            f"<li>{named[str(lk['start'])]} —{html.escape(lk['type'])}→ {named[str(lk['end'])]} "
            f"<code>[{html.escape(lk['source'])}]</code></li>"
            for lk in w["evidence"]["links"]
        )
        hist = "".join(
            "<tr>"
            + "".join(
                f"<td>{_esc(x)}</td>"
                for x in (
                    h["at"],
                    h["by"],
                    f"{h['from'] or '—'} → {h['to']}",
                    h["assignee"],
                    h["outcome"],
                    h["comment"],
                )
            )
            + "</tr>"
            for h in w["history"]
        )
        self.detail.value = (
            f"<b>{html.escape(w['id'])}</b> · {html.escape(w['level'])} · {html.escape(w['status'])} · "
            f"{html.escape(w['model'])}<br>{html.escape(warning_summary(w, unmask=self.identity.unmask))}"
            f"<details open><summary>entities</summary><ul>{ents}</ul></details>"
            f"<details><summary>evidence links ({len(w['evidence']['links'])}) and source rows</summary>"
            f"<ul>{links}</ul><p>sources: {_esc(', '.join(w['evidence']['sources']))}</p></details>"
            f"<details open><summary>history</summary><table>{hist}</table></details>"
        )
        allowed = TRANSITIONS[w["status"]]
        self.next_status.options = list(allowed)
        self.next_status.value = allowed[0] if allowed else None
        self.apply_button.disabled = not allowed
        g = warning_graph(self.store, w)
        self.view.show(fold(g, keep=g.graph.get("entities", [])))
        self.say(
            f"{w['id']}: {g.number_of_nodes()} entities and {g.number_of_edges()} links of evidence drawn; "
            f"next: {', '.join(allowed) or 'nothing, the loop is closed'}"
        )

    def _named(self, keys: Iterable[str], labels: Mapping[str, str]) -> dict[str, str]:
        """Each key as the detail shows an entity, escaped HTML (:func:`graphkit.viz.named_keys`):
        ``张伟 (3205**********3414)``. ``labels``: the label of a key the warning types."""
        named = named_keys(self.store, keys, labels=dict(labels), unmask=self.identity.unmask, model=self.model)
        return {k: html.escape(v) for k, v in named.items()}

    def _on_click(self, change=None) -> None:
        g = self.view.graph
        node = self.view.picked_key
        if g is not None and node in g and not g.nodes[node].get("folded"):
            self.selection.pick(g.nodes[node].get("label", ""), node, self.name)

    @Panel.action("writing the change to the ledger", what="状态变更 / Apply")
    def apply(self, _=None) -> dict | None:
        """Write the status change to the ledger with who (the identity) and when; return the warning."""
        if self.current is None:
            self.say("pick a warning in the table first", error=True)
            return None
        who = self.identity.who.strip()
        if not who:
            self.say("say who you are first (the workbench's 'Who'): every change is kept with who made it", error=True)
            return None
        status = self.next_status.value
        w = self.ledger.update(
            self.current["id"],
            status=status,
            by=who,
            comment=self.comment.value or None,
            to=(self.to.value or None) if status == "dispatched" else None,
            outcome=self.outcome.value if status == "verified" else None,
        )
        self.identity.record("warnings update", warning=w["id"], status=status, result=1)
        last = w["history"][-1]
        self.comment.value = ""
        self.refresh()
        self.table.value = w["id"]
        self.show(w["id"])
        self.say(f"{w['id']}: {last['from']} → {last['to']} by {last['by']} at {last['at']}")
        return w
