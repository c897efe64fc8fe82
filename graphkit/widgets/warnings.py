"""Warnings: the ledger as a table, a warning's evidence drawn with its source rows, its status changed.

* the table: every warning of the ledger (:class:`graphkit.rules.ledger.Ledger`), filtered by model, level,
  status and unit, sorted by level, model, status, first or last seen; a unit's are those ``rank``, the portrait
  and ``graphkit warnings list --entity`` count for it (:func:`graphkit.risk.features.reached`), a warning naming
  one of its tenders, contracts, fuel cards, receptions or vehicles marked so (〔经本单位的招标项目〕);
* the selected warning: its summary, entities each by its name beside its key (identifiers masked), the links
  among them (named too) with the source file and row of each, its history, and its evidence drawn, the status
  line saying what the drawing's counts count (the warning's entities, what joins them, the links listed)
  (:func:`graphkit.evidence.warning_graph`: a bid-rigging ring with its shared identifiers and bids, a relative
  chain with its tender, a fuel anomaly with its card, vehicle, transaction and GPS stop);
* the status change: dispatch (to whom), verify (true or false positive, with a comment), rectify, written
  to the ledger by :meth:`~graphkit.rules.ledger.Ledger.update` with who (the workbench's identity) and when;
  ``graphkit warnings list --json`` shows it. A change the closed loop forbids (a false positive rectified, a
  warning changed meanwhile) or a viewer's is refused and recorded in the audit log as ``graphkit warnings update``
  records its refusal (:meth:`graphkit.audit.AuditLog.refuse`).

Chinese first (``lang="zh"``, the default): each warning's Chinese summary, its level and status in a case
handler's words (红色, 待核查 … :mod:`graphkit.rules.words`), its model by its Chinese title, the filters and the
status change labelled so (their values stay the ledger's keys), the buttons ``刷新`` and ``提交``, the
status lines in Chinese, each alone; ``lang="en"`` shows them in English alone.
"""

from __future__ import annotations

import html
import os
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path

import ipywidgets as W
import pandas as pd

from graphkit.audit import ROLE_ENV, persons_in, refusal_words, viewer_refusal
from graphkit.evidence import fold, warning_graph
from graphkit.model import Model, cited_as
from graphkit.model.mask import mask_text, warning_summary
from graphkit.risk.features import OWNER_TABLES, VIA_EN, VIA_ZH, reached, record_owners
from graphkit.risk.tables import cached_tables, read_tables, store_stamp
from graphkit.rules.ledger import (
    LEVELS,
    OUTCOMES,
    STATUSES,
    TRANSITIONS,
    TYPE_LABELS,
    Ledger,
    LoopRefused,
    loop_refusal,
)
from graphkit.rules.words import (
    change_line,
    check_lang,
    entity_word,
    history_line,
    level_word,
    link_word,
    local_time,
    model_title,
    no_evidence_note,
    outcome_word,
    source_said,
    sources_said,
    status_word,
)
from graphkit.stores.base import GraphStore
from graphkit.viz import evidence_detail, named_keys
from graphkit.widgets.base import ActionButton, Identity, Panel, Selection, label, stretch
from graphkit.widgets.graph import GraphView
from graphkit.widgets.listbox import ListBox

__all__ = ["Warnings", "SORTS", "owners_of"]

ALL = "(all)"
#: what the status change calls each next status (its value stays the ledger's key)
ACTION_ZH = {
    "dispatched": "交办核查（核查中）",
    "verified": "核查完毕（已核实/已排除）",
    "rectified": "整改完毕（已整改）",
}
#: the same in English (it offered the ledger's keys: dispatched, verified, rectified)
ACTION_EN = {
    "dispatched": "dispatch for checking (being checked)",
    "verified": "checking done (confirmed / excluded)",
    "rectified": "rectification done (rectified)",
}
#: the detail's headings, each in its language alone (zh read 涉及对象 / entities: two languages in one face)
HEADS = {
    "zh": (
        "涉及对象",
        "证据关系（{n}）及来源行",
        "来源",
        "处置记录",
    ),
    "en": ("entities", "evidence links ({n}) and source rows", "sources", "history"),
}
#: sort orders of the table: name → (column, ascending)
SORTS = {
    "level": ("level_rank", True),
    "model": ("model", True),
    "status": ("status_rank", True),
    "first seen": ("first_seen", False),
    "last seen": ("last_seen", False),
}
#: what the sort control calls each order in Chinese (its value stays the name in :data:`SORTS`)
SORT_ZH = {"level": "等级", "model": "模型", "status": "状态", "first seen": "首次发现", "last seen": "最近发现"}


#: each store's record owners (:func:`owners_of`): store → (its files' stamp, the owners)
_OWNERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def owners_of(store: GraphStore, *, again: bool = False) -> dict[str, dict[str, str]]:
    """Which unit owns each tender, contract, fuel card, reception and vehicle of ``store``
    (:func:`graphkit.risk.features.record_owners`), read once per store: every tab and workbench opened on it
    after the first takes them as read (each had run the five risk queries again, :data:`OWNER_TABLES`). An
    embedded store's are read again when its files change (:func:`graphkit.risk.tables.store_stamp`), and taken
    from the copies ``graphkit rank`` keeps beside it when they are fresh (``<store>.risk-cache``: read, never
    written); a store without files (Neo4j) is read again when ``again`` (the Refresh button)."""
    stamp = store_stamp(store)
    known = _OWNERS.get(store)
    if known is not None and known[0] == stamp and not (again and stamp is None):
        return known[1]
    path = getattr(store, "path", None)
    tables = cached_tables(store, OWNER_TABLES, f"{path}.risk-cache") if path is not None else None
    owners = record_owners(tables if tables is not None else read_tables(store, OWNER_TABLES))
    _OWNERS[store] = (stamp, owners)
    return owners


def _plural(noun: str, n: int) -> str:
    """An English noun of the model counted ``n``: ``account``, ``2 accounts``, ``addresses``, ``FtM entities``."""
    if n == 1:
        return noun
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


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
        self.lang = check_lang(lang)
        self.frame = pd.DataFrame()
        self.current: dict | None = None
        self._form_for: str | None = None  # the warning the status change's fields were filled for
        self.model_filter = W.Dropdown(options=[self._all], description=self.words("模型", "Model"))
        self.level_filter = W.Dropdown(
            options=[self._all, *((level_word(v, self.lang), v) for v in LEVELS)],
            description=self.words("等级", "Level"),
        )
        self.status_filter = W.Dropdown(
            options=[self._all, *((self._status_label(v), v) for v in STATUSES)],
            description=self.words("状态", "Status"),
        )
        self.unit_filter = W.Dropdown(options=[self._all], description=self.words("单位", "Unit"))
        self.sort = W.Dropdown(
            options=[(SORT_ZH[k] if self.lang == "zh" else k, k) for k in SORTS],
            value="level",
            description=self.words("排序", "Sort by"),
        )
        self.refresh_button = ActionButton(
            description=label(lang, "刷新", "Refresh"), icon="refresh", layout=W.Layout(width="auto")
        )
        # each warning whole, wrapped (a Select cut its summary at 110 characters and at the box's edge)
        self.table = ListBox(options=[], rows=10, layout=stretch())
        self.table.add_class("graphkit-warnings-table")
        self.detail = W.HTML()
        self.next_status = W.Dropdown(options=[], description=self.words("变更为", "Move to"))
        self.to = W.Text(
            placeholder=self.words("交办给（部门或个人）", "dispatch to (office or person)"),
            description=self.words("交办", "To"),
        )
        # "—" (no verdict yet) is a value of its own: a Dropdown whose value is None has no index, and the browser
        # showed the field empty, as if nothing could be chosen
        self.outcome = W.Dropdown(
            options=[("—", ""), *((outcome_word(v, self.lang), v) for v in OUTCOMES)],
            value="",
            description=self.words("核查结论", "Verdict"),
        )
        self.comment = W.Textarea(
            placeholder=self.words("做了什么、查到什么", "what was done or found"),
            description=self.words("说明", "Comment"),
        )
        self.apply_button = ActionButton(
            description=label(lang, "提交", "Apply"),
            icon="check",
            button_style="primary",
            disabled=True,
            layout=W.Layout(width="auto"),
        )
        self.view = GraphView(model=self.model, lang=lang, height="460px")
        for w in (self.model_filter, self.level_filter, self.status_filter, self.unit_filter, self.sort):
            w.observe(self._refilter, names="value")
        self.refresh_button.on_click(self.refresh)
        self.table.observe(self._on_pick, names="value")
        self.apply_button.on_click(self.apply)
        self.view.observe(self._on_click, names="clicks")
        self.view.observe(self._on_zone, names="zone")
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

    # ------------------------------------------------------------------ words
    @property
    def _all(self) -> tuple[str, str]:
        """The filters' first option: every warning (its value :data:`ALL`)."""
        return ("（全部）" if self.lang == "zh" else ALL, ALL)

    def _status_label(self, status: str) -> str:
        """A status as the status filter names it (a verified warning is 已核实 or 已排除 by its verdict)."""
        if status == "verified":
            return self.words("已核实/已排除", "confirmed / excluded")
        return status_word(status, lang=self.lang)

    def _action_label(self, status: str) -> str:
        """A next status as the status change offers it: 交办核查（核查中）; dispatch for checking (being checked)."""
        return (ACTION_ZH if self.lang == "zh" else ACTION_EN).get(status, status)

    # ------------------------------------------------------------------ table
    @Panel.action(what="刷新 / Refresh")
    def refresh(self, _=None) -> None:
        """Read the ledger again and redraw the table."""
        rows = self.ledger.warnings(history=False)
        # the units each warning counts for, as rank, the portrait and `graphkit warnings list --entity` count them
        # (graphkit.risk.features.reached): its own and, for one naming a unit's tender, contract, fuel card,
        # reception or vehicle, that unit (a bid-rigging warning names the tenders: the unit filter left it out).
        # Refresh clicked (``_`` the button) reads a Neo4j store's owners again; an embedded store's are read again
        # whenever its files changed
        owner = self._record_owners(rows, again=_ is not None)
        reach = [reached(w, owner, "unit") for w in rows]
        units = sorted({u for r in reach for u in r}, key=str)
        names = self._unit_names(units)
        self.frame = pd.DataFrame(
            [
                {
                    "id": w["id"],
                    "model": w["model"],
                    "level": w["level"],
                    "status": w["status"],
                    "outcome": w["outcome"],
                    "assignee": w["assignee"],
                    "summary": warning_summary(w, unmask=self.identity.unmask, lang=self.lang),
                    "first_seen": w["first_seen"],
                    "last_seen": w["last_seen"],
                    "units": list(r),
                    "via": {u: how for u, how in r.items() if how != "unit"},  # unit → the record type it is reached by
                }
                for w, r in zip(rows, reach, strict=True)
            ],
            columns=[
                "id",
                "model",
                "level",
                "status",
                "outcome",
                "assignee",
                "summary",
                "first_seen",
                "last_seen",
                "units",
                "via",
            ],
        )
        self.frame["level_rank"] = self.frame["level"].map({lv: i for i, lv in enumerate(LEVELS)})
        self.frame["status_rank"] = self.frame["status"].map({s: i for i, s in enumerate(STATUSES)})
        keep = self.model_filter.value, self.unit_filter.value
        models = sorted(set(self.frame["model"]))
        self.model_filter.options = [self._all, *((model_title(m, self.lang, short=True), m) for m in models)]
        self.unit_filter.options = [self._all] + [(f"{names.get(u, u)}", u) for u in units]
        self.model_filter.value = keep[0] if keep[0] in models else ALL
        self.unit_filter.value = keep[1] if keep[1] in units else ALL
        self._refilter()

    def _record_owners(self, rows: list[dict], *, again: bool = False) -> dict[str, dict[str, str]]:
        """Which unit owns each record a warning may name instead of the unit (:func:`owners_of`), and only when
        some warning names such a record; ``again``: read again from a store without files (Neo4j)."""
        if not any(t in VIA_ZH for w in rows for t in w["types"]):
            return {}
        return owners_of(self.store, again=again)

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
            if self.status_filter.value != "verified":
                # a unit's warnings are those its rank counts: one verified false (已排除) is not counted there
                # (graphkit.risk.features.warned), so it is listed only when the status filter asks for the verified
                # ones, and the status line says how many are left out (the tab had counted them for the unit)
                f = f[f["outcome"] != "false_positive"]
        col, asc = SORTS[self.sort.value]
        return f.sort_values([col, "model", "id"], ascending=[asc, True, True], kind="stable")

    def _through(self, via: Mapping[str, str]) -> str:
        """How a row reaches the unit filtered by, when not by naming it: 〔经本单位的招标项目〕 as
        ``graphkit warnings list --entity`` marks it (``--lang en``: [through the unit's tender]); else ``""``."""
        how = via.get(self.unit_filter.value) if self.unit_filter.value != ALL else None
        if how is None:
            return ""
        return f"〔经{VIA_ZH[how]}〕" if self.lang == "zh" else f"[through {VIA_EN[how]}] "

    def _refilter(self, change=None) -> None:
        f = self.shown()
        keep = self.table.value
        self.table.options = [
            (
                # fields apart by a separator: spaces padding them align nothing in a proportional font, and a
                # model name of 28 characters or more ran into the summary
                f"{level_word(r.level, self.lang)} · {status_word(r.status, r.outcome, self.lang)} · "
                f"{model_title(r.model, self.lang, short=True)} · {self._through(r.via)}{r.summary or ''}",
                r.id,
            )
            for r in f.itertuples()
        ]
        self.table.value = keep if keep in set(f["id"]) else None
        # the rows that count for the unit through one of its records, said as the command line says them
        via = [r[self.unit_filter.value] for r in f["via"] if self.unit_filter.value in r] if len(f) else []
        zh = f"显示 {len(f)} 条，共 {len(self.frame)} 条预警"
        en = f"{len(f)} of {len(self.frame)} warnings shown"
        if via:
            zh += f"；其中 {len(via)} 条所列对象中没有本单位，经{'、'.join(sorted({VIA_ZH[v] for v in via}))}计入本单位"
            en += f"; {len(via)} of them name not the unit but {', '.join(sorted({VIA_EN[v] for v in via}))}"
        listed, left_out = self._excluded(f)
        if left_out:
            zh += f"；另有 {left_out} 条经核查已排除（不属实），未列出，不计入本单位（状态选“已核实/已排除”可查看）"
            en += f"; {left_out} more verified a false positive (excluded): not listed, not counted for the unit"
        elif listed:
            zh += f"；其中 {listed} 条经核查已排除（不属实），不计入本单位"
            en += f"; {listed} of them verified a false positive (excluded): not counted for the unit"
        self.say(self.words(zh, en))

    def _excluded(self, f: pd.DataFrame) -> tuple[int, int]:
        """Under a unit filter, the unit's warnings verified false (已排除), which its rank does not count: how many
        the table ``f`` lists (under the status filter 已核实/已排除), and how many it leaves out; ``(0, 0)``
        unfiltered (the whole ledger lists every warning)."""
        unit = self.unit_filter.value
        if unit == ALL or self.frame.empty:
            return 0, 0
        listed = int((f["outcome"] == "false_positive").sum()) if len(f) else 0
        if self.status_filter.value == "verified":
            return listed, 0
        if self.status_filter.value != ALL:  # another status: no warning verified false is asked for
            return 0, 0
        mine = self.frame[self.frame["units"].map(lambda us: unit in us) & (self.frame["outcome"] == "false_positive")]
        for col, w in (("model", self.model_filter), ("level", self.level_filter)):
            if w.value != ALL:
                mine = mine[mine[col] == w.value]
        return 0, len(mine)

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
        if wid != self._form_for:  # another warning: the form starts blank (it kept the last one's assignee)
            self._clear_form()
        self._form_for = wid
        w = self.ledger.get(wid)
        self.current = w
        persons = persons_in((TYPE_LABELS.get(t), e) for e, t in zip(w["entities"], w["types"], strict=True))
        self.identity.record("warnings show", warning=wid, persons=persons, result=1)
        self.detail.value = self._detail_html(w)
        note = no_evidence_note(w, self.lang)  # a warning recorded before its model named what it counts
        zh = self.lang == "zh"
        # a warning verified false is at the loop's end: the ledger rectifies true positives only, and the tab
        # offered 整改完毕 for it, a step refused whenever applied
        excluded = w["status"] == "verified" and w["outcome"] == "false_positive"
        allowed = () if excluded else TRANSITIONS[w["status"]]
        self.next_status.options = [(self._action_label(s), s) for s in allowed]
        # the loop's next step (a dispatched warning offered 交办 again first, as if the step just done were to repeat)
        self.next_status.value = next((x for x in allowed if x != w["status"]), allowed[0]) if allowed else None
        self.apply_button.disabled = not allowed
        found = warning_graph(self.store, w)
        g = fold(found, keep=found.graph.get("entities", []))
        self.view.show(g)
        self.say(
            self.words(
                f"{w['id']}：{self._drawn_words(w, g)}；下一步："
                + ("、".join(self._action_label(s) for s in allowed) or "无，闭环已完成"),
                f"{w['id']}: {self._drawn_words(w, g)}; next: "
                + ("; ".join(self._action_label(s) for s in allowed) or "nothing, the loop is closed"),
            )
            + (f"（{note}）" if note and zh else f" ({note})" if note else "")
        )

    def _drawn_words(self, w: dict, g) -> str:
        """What the drawing ``g`` of warning ``w`` holds (as drawn: folded), each count saying what it counts: the
        warning's own entities, the nodes drawn beside them because they join them (a bond account two of a ring's
        companies paid from, a shared address: :func:`graphkit.evidence.warning_graph`) by kind, and the links, of
        which so many are the evidence links the detail lists under 证据关系（n）. It said 对象 7 个、关系 11 条
        above a detail of 证据关系（8）, and a bank account drawn with no word of why."""
        zh = self.lang == "zh"
        ents = sum(1 for _, a in g.nodes(data=True) if a.get("entity"))
        others: dict[str, int] = {}
        folded = False  # like records drawn as one node (graphkit.evidence.fold): counted by their members
        for _, a in g.nodes(data=True):
            if not a.get("entity"):
                lab = a.get("label", "")
                # the model's noun of the label, in the panel's language (en: "account", not the label BankAccount)
                kind = self.model.display_name(lab, self.lang) if lab in self.model.labels else lab
                others[kind] = others.get(kind, 0) + int(a.get("folded") or 1)
                folded = folded or bool(a.get("folded"))
        listed = [str(lk["id"]) for lk in w["evidence"]["links"]]
        drawn = {str(a.get("id")) for *_, a in g.edges(data=True)}
        among = sum(1 for x in listed if x in drawn)
        links = g.number_of_edges()
        kinds = sorted(others.items(), key=lambda x: (-x[1], x[0]))  # the most first
        if zh:
            said = f"已画出证据：预警所列对象 {ents} 个"
            if others:
                said += f"，另有连接这些对象的{'、'.join(f'{k} {n} 个' for k, n in kinds)}"
                said += "（同类记录归并为一个节点画出）" if folded else ""
            said += f"；关系 {links} 条，其中 {among} 条即下方“证据关系（{len(listed)}）”所列"
            return said + ("，其余为图中这些对象之间的其他关系" if links > among else "")
        said = f"evidence drawn: the warning's {ents} entities"
        if others:
            said += f" and {', '.join(f'{n} {_plural(k, n)}' for k, n in kinds)} joining them"
            said += " (like records drawn as one node)" if folded else ""
        said += f"; {links} links, {among} of them the evidence links listed below ({len(listed)})"
        return said + (", the rest other links among them" if links > among else "")

    def _detail_html(self, w: dict) -> str:
        """The detail of warning ``w`` (shown and audited by :meth:`show`): summary, entities, evidence links with
        their source rows, and its history with times in the reader's zone."""
        typed = {str(e): TYPE_LABELS.get(t, "") for e, t in zip(w["entities"], w["types"], strict=True)}
        ends = [str(lk[end]) for lk in w["evidence"]["links"] for end in ("start", "end")]
        named = self._named([*typed, *ends], typed)
        zh = self.lang == "zh"

        # the model's noun of the entity's label and its name of a link's type, in the panel's language (自然人,
        # 亲属; person, family), by the table `graphkit warnings show` says them by: en had shown the ledger's raw
        # words, "txn" and "WON"
        def kind(t: str) -> str:
            return entity_word(t, self.lang, self.model)

        def link(t: str) -> str:
            return link_word(t, self.lang, self.model)

        ents = "".join(
            f"<li>{html.escape(kind(t))} {named[str(e)]}</li>" for e, t in zip(w["entities"], w["types"], strict=True)
        )

        def figures(lk: dict) -> str:  # the share held, the price won, as warnings show and path write them
            return evidence_detail(lk, lang=self.lang, model=self.model)  # a post with its dates too

        def where(src: str) -> str:
            return cited_as(html.escape(source_said(src, self.lang)), self.lang)  # the one form (model.cited_as)

        links = "".join(
            f"<li>{named[str(lk['start'])]} —{html.escape(link(lk['type']))}"
            f"{html.escape(figures(lk))}→ {named[str(lk['end'])]} {where(lk['source'])}</li>"
            for lk in w["evidence"]["links"]
        )
        # each record in Chinese as `graphkit warnings show`, path and the case files name it (〔family.csv 第2行〕;
        # the tab had said [family.csv:2] and 来源: family.csv:2, bids.csv:264 in a Chinese detail)
        sources = (
            f"{HEADS['zh'][2]}：{_esc(sources_said(w['evidence']['sources']))}"
            if zh
            else f"{HEADS['en'][2]}: {_esc(sources_said(w['evidence']['sources'], 'en'))}"
        )

        zone = self.view.zone  # the reader's, as the browser reports it (the kernel's may be a server's UTC)

        def step(h: dict) -> tuple:
            # each step in words in either language (English had shown the keys: generated → dispatched, true_positive)
            before, after, extra = history_line(h, w["outcome"], self.lang)
            return (local_time(h["at"], zone), h["by"], f"{before} → {after}", extra)

        hist = "".join("<tr>" + "".join(f"<td>{_esc(x)}</td>" for x in step(h)) + "</tr>" for h in w["history"])
        heads = HEADS[self.lang]
        note = no_evidence_note(w, self.lang)  # a warning recorded before its model named what it counts
        # the model's words beside its id in either language (English had given the id alone)
        title = (
            f"{model_title(w['model'])}（{w['model']}）" if zh else f"{model_title(w['model'], 'en')} ({w['model']})"
        )
        return (
            f"<b>{html.escape(w['id'])}</b> · {html.escape(level_word(w['level'], self.lang))} · "
            f"{html.escape(status_word(w['status'], w['outcome'], self.lang))} · {html.escape(title)}<br>"
            f"{html.escape(warning_summary(w, unmask=self.identity.unmask, lang=self.lang))}"
            + (f'<p class="graphkit-note"><b>{html.escape(note)}</b></p>' if note else "")
            + f"<details open><summary>{heads[0]}</summary><ul>{ents}</ul></details>"
            f"<details><summary>{heads[1].format(n=len(w['evidence']['links']))}</summary>"
            f"<ul>{links}</ul><p>{sources}</p></details>"
            f"<details open><summary>{heads[3]}</summary><table>{hist}</table></details>"
        )

    def _on_zone(self, change=None) -> None:
        """The browser told the reader's time zone: the warning shown says its history's times in it. Only the
        detail is written again: the warning was read and recorded once, and its drawing stays as the reader left it
        (showing it again wrote a second ``warnings show`` audit record and redrew the graph)."""
        if self.current is not None:
            self.detail.value = self._detail_html(self.current)

    def _clear_form(self) -> None:
        """The status change blank: no assignee, no verdict (“—”), no comment."""
        self.to.value = ""
        self.outcome.value = ""
        self.comment.value = ""

    def _named(self, keys: Iterable[str], labels: Mapping[str, str]) -> dict[str, str]:
        """Each key as the detail shows an entity, escaped HTML (:func:`graphkit.viz.named_keys`):
        ``张伟 (3205**********3414)``. ``labels``: the label of a key the warning types."""
        named = named_keys(
            self.store, keys, labels=dict(labels), unmask=self.identity.unmask, model=self.model, lang=self.lang
        )
        return {k: html.escape(v) for k, v in named.items()}

    def _on_click(self, change=None) -> None:
        g = self.view.graph
        node = self.view.picked_key
        if g is not None and node in g and not g.nodes[node].get("folded"):
            self.selection.pick(g.nodes[node].get("label", ""), node, self.name)

    def _loop_words(self, now: str, status: str) -> str:
        """The closed loop's refusal of the warning shown, now ``now``, becoming ``status``, in the panel's words."""
        allowed = TRANSITIONS[now]
        return self.words(
            f"预警 {self.current['id']} 现为“{self._status_label(now)}”，"
            f"不能变更为“{self._action_label(status)}”；下一步："
            + ("、".join(self._action_label(x) for x in allowed) or "无，闭环已完成"),
            f"warning {self.current['id']} is “{self._status_label(now)}”: it cannot become "
            f"“{self._action_label(status)}”; next: "
            + ("; ".join(self._action_label(x) for x in allowed) or "nothing, the loop is closed"),
        )

    def _refuse(self, status: str, why: str, said: str) -> None:
        """Refuse the change of the warning shown to ``status``, red in the status line (``said``), and record the
        attempt in the audit log as ``graphkit warnings update`` records its refusal (:meth:`graphkit.audit.AuditLog
        .refuse`: command ``warnings update``, the warning, the status and what came with it, ``params.refused``
        the reason ``why`` in the ledger's English, who and why): the tab had said it only, and the log kept no
        trace of an attempt the command line's log shows. A log that cannot take the record refuses all the same,
        and says so."""
        from graphkit.audit import AuditError

        asked = {
            "to": self.to.value.strip() if status == "dispatched" else "",
            "outcome": self.outcome.value if status == "verified" else "",
            "comment": self.comment.value.strip(),
        }
        params = {
            "face": "widgets",
            "warning_id": self.current["id"],
            "ledger": str(self.ledger.path),
            "status": status,
        }
        params |= {k: v for k, v in asked.items() if v}
        noted = ""
        if self.identity.audit is not None:
            try:
                self.identity.audit.refuse(
                    "warnings update",
                    params,
                    why=why,
                    who=self.identity.who.strip() or None,
                    purpose=self.identity.purpose or None,
                    reason=self.identity.reason or None,
                )
                noted = self.words(
                    "（此次被拒绝的操作已记入审计日志）", " (the refused attempt is recorded in the audit log)"
                )
            except (AuditError, OSError, TimeoutError) as exc:
                noted = self.words(
                    f"（此次被拒绝的操作未能记入审计日志：{exc}）",
                    f" (the refused attempt could not be recorded: {exc})",
                )
        self.say(said + noted, error=True)

    def _missing(self, status: str) -> str:
        """What the change to ``status`` still needs, named by the panel's own fields (the ledger's rule said as
        the command line says it, ``verifying needs the outcome … (--outcome)``); ``""`` when nothing is."""
        if status == "dispatched" and not self.to.value.strip():
            return self.words("交办需在“交办”栏填写交给哪个部门或谁", "dispatching needs whom it goes to ('To')")
        if status == "verified" and self.outcome.value not in OUTCOMES:
            return self.words(
                "核查完毕需在“核查结论”中选择属实或不属实",
                "verifying needs the verdict ('Verdict': true or false positive)",
            )
        if status == "verified" and not self.comment.value.strip():
            return self.words("核查完毕需在“说明”栏写明查到什么", "verifying needs a comment saying what was found")
        return ""

    @Panel.action(("正在写入预警台账", "writing the change to the ledger"), what="状态变更 / Apply")
    def apply(self, _=None) -> dict | None:
        """Write the status change to the ledger with who (the identity) and when; return the warning."""
        if self.current is None:
            self.say(self.words("请先在列表中选一条预警", "pick a warning in the table first"), error=True)
            return None
        who = self.identity.who.strip()
        if not who:
            self.say(
                self.words(
                    "请先在工作台的“姓名”栏说明您是谁：每次变更都记录变更人",
                    "say who you are first (the workbench's 'Who'): every change is kept with who made it",
                ),
                error=True,
            )
            return None
        status = self.next_status.value
        if os.environ.get(ROLE_ENV, "").strip().lower() == "viewer":  # as `graphkit warnings update` refuses one
            why = viewer_refusal("change a warning")
            self._refuse(status, why, refusal_words(why, self.lang))
            return None
        # a status the warning cannot move to now (changed meanwhile, in another tab or on the command line)
        now = self.ledger.get(self.current["id"])["status"]
        if status not in TRANSITIONS[now]:
            self._refuse(status, loop_refusal(self.current["id"], now, status), self._loop_words(now, status))
            return None
        missing = self._missing(status)
        if missing:
            self.say(missing, error=True)
            return None
        try:
            w = self.ledger.update(
                self.current["id"],
                status=status,
                by=who,
                comment=self.comment.value or None,
                to=(self.to.value or None) if status == "dispatched" else None,
                outcome=self.outcome.value if status == "verified" else None,
            )
        except LoopRefused as exc:  # a false positive rectified: the loop forbids it, refused and recorded
            self._refuse(status, str(exc), self.failed("状态变更 / Apply", exc))
            return None
        self.identity.record("warnings update", warning=w["id"], status=status, result=1)
        self._clear_form()  # the next step starts blank: it kept the assignee and the action just applied
        self.refresh()
        self.table.value = w["id"]
        self.show(w["id"])
        self.say(change_line(w, self.lang, zone=self.view.zone))
        return w
