"""Explorer: find an entity, grow its neighbourhood, connect two entities, export for the case file.

>>> from graphkit.widgets import Explorer          # doctest: +SKIP
>>> Explorer(store)                                # doctest: +SKIP

One panel, in the order an investigator works:

1. **Find** by name (exact, 繁/简, pinyin), ID number, credit code, plate, phone or key
   (:func:`graphkit.search.find`); the list shows, for each person, birth year, unit and post
   (:func:`graphkit.search.describe`) and masked identifiers. The best match is picked only when it is the
   only best one and the query names it (:func:`graphkit.search.names_it`: the name as written, in 繁/简, in
   pinyin, or an identifier): namesakes with the same score, and names only like the query (章伟 for 张伟, a
   part of a name), are listed and one must be picked by hand.
2. **Neighbourhood** of the picked entity (:func:`graphkit.paths.neighbourhood`): hops, hub cap, "More" for
   a hub's next page. Click a node in the graph to pick it; "Neighbourhood" again grows the view around it
   (nodes already drawn stay where they are). Salary rows, payments and other low-information leaves fold
   into one node per kind ("24 工资发放"), which unfolds on click
   (:func:`graphkit.evidence.fold`). The relationship types shown are toggles with their counts; "Undo"
   goes back one step.
3. **Path** from the picked entity to a second one named in "To" (:func:`graphkit.paths.shortest_path`),
   each hop explained with the source file and line of its link (:func:`graphkit.paths.explain`).
4. **Export** what is shown as a case file (:func:`graphkit.exports.write_case_file`, as ``graphkit export``
   writes them): PDF (A4), PNG, SVG, HTML, GraphML, GEXF or JSON into ``out_dir``, with the case number
   (案卷号, required), the exporter (the identity's ``who``), the time, the masking note, a watermark and the
   appendix of source rows; recorded in the audit log; an existing file is never overwritten (``-2``,
   ``-3`` … is added to the name).

The buttons read Chinese alone (``查找``, ``关系展开`` …), as the status lines do; ``lang="en"`` shows them in English
alone. Every button reports what it did, or what went wrong, in the status line; nothing raises into
the notebook
(a closed store included). The widgets are attributes (``query``, ``results``, ``hops`` …), so a notebook or
a test drives the panel by setting values and calling :meth:`Explorer.find`, :meth:`~Explorer.expand`,
:meth:`~Explorer.connect`, :meth:`~Explorer.undo` and :meth:`~Explorer.export`.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import ipywidgets as W
import networkx as nx
import pandas as pd

from graphkit import paths, search
from graphkit.audit import AuditLog, graph_persons, persons_in, written_files
from graphkit.evidence import fold, unfold
from graphkit.exports import FORMATS, CaseInfo, hubs_named, hubs_note, write_case_file
from graphkit.model import Model
from graphkit.model.mask import mask_caption, mask_key, mask_text
from graphkit.rules.words import case_file_written, check_lang
from graphkit.stores.base import GraphStore
from graphkit.viz import edge_caption, named_keys, node_caption
from graphkit.widgets.base import (
    ActionButton,
    Identity,
    Panel,
    Selection,
    case_in,
    label,
    panel_identity,
    stretch,
)
from graphkit.widgets.graph import GraphView

__all__ = ["Explorer", "candidate_line"]

#: hubs named in the status line after a neighbourhood (the rest counted)
HUBS_SHOWN = 5
#: a panel's tab as a status line names it in Chinese (a pick made there)
TAB_ZH = {"warnings": "预警", "collusion": "围标串标", "risk": "风险与画像", "explorer": "查询与关系"}


def _slug(text: str) -> str:
    """A file name from a title: CJK, letters, digits, '-' and '_' kept, anything else '_'."""
    s = re.sub(r"[^\w\u3400-\u9fff-]+", "_", text).strip("_")
    return s[:80] or "graph"


def _free(path: Path) -> Path:
    """``path``, or when a file is there already the first of ``NAME-2.EXT``, ``NAME-3.EXT`` … that is not."""
    n = 1
    out = path
    while out.exists():
        n += 1
        out = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return out


def _fit() -> W.Layout:
    """A button as wide as its text (``Neighbourhood`` is wider than a button's default width)."""
    return W.Layout(width="auto", min_width="fit-content")


def _kind(label: str, model: Model | None, lang: str) -> str:
    """What a reader calls an entity's label: the model's noun (自然人, 单位, 企业); the label itself for ``lang="en"``
    and for a label the model does not know."""
    model = model or Model.default()
    return model.display_name(label) if lang == "zh" and label in model.labels else label


def _given(x) -> bool:
    """A value to show: not None, NaN (a phone's row beside a person's has NaN birth year, unit and post) nor
    empty."""
    return x is not None and bool(pd.notna(x)) and x != ""


def candidate_line(row, model: Model | None = None, *, unmask: bool = False, lang: str = "zh") -> str:
    """One search result as the list shows it: kind (the model's noun, 自然人; ``lang="en"``: the label, Person),
    name, birth year, unit, post, masked key, how it matched (in Chinese, an identifier in it masked:
    :func:`graphkit.search.matched_word`)."""
    name = row.name if _given(row.name) else ""
    bits = [_kind(row.label, model, lang), name if unmask or not name else mask_caption(row.label, row.id, name, model)]
    born = getattr(row, "born", None)
    if _given(born):
        bits.append(f"{int(born)}年生")
    bits += [x for x in (getattr(row, "unit", None), getattr(row, "post", None)) if _given(x)]
    bits.append(str(row.id) if unmask else mask_key(row.label, row.id, model))
    how = search.matched_word(row.matched, lang=lang, unmask=unmask)
    return " · ".join(str(b) for b in bits if b != "") + f"  ({how}, {row.score:.2f})"


class Explorer(Panel):
    """Search, neighbourhood, path and export on a store, in one notebook panel (see the module doc).

    Parameters
    ----------
    store : GraphStore
        An open store (embedded or Neo4j).
    hops : int, default 2
        Initial hops of a neighbourhood (1-4 on the slider).
    page_size : int, default 50
        Most links listed per node; a node with more is a hub.
    max_hops : int, default 6
        Longest path looked for.
    out_dir : str or Path, default "case_files"
        Folder exports are written to.
    model : Model, optional
        The graph model (names, colours); the default model otherwise.
    lang : {"zh", "en"}, default "zh"
        Language of kinds and relationship names in the graph, of the status lines (``"en"``: English) and of the
        buttons (``"zh"``: ``查找``; ``"en"``: ``Find``).
    selection, identity :
        Shared with the other panels of a :class:`~graphkit.widgets.Workbench`; the identity carries the audit
        log (:mod:`graphkit.audit`) every find, neighbourhood, path and export is appended to.
    by, purpose : str, optional
        Who works and why, for a panel of its own (``GRAPHKIT_USER`` or the login name when ``by`` is not given).
    unmask : bool, default False
        Show ID numbers, phones and bank accounts in clear (needs ``reason``; refused for a viewer,
        ``GRAPHKIT_ROLE=viewer``).
    reason : str, optional
        Why identifiers are shown in clear (audit log).
    audit : AuditLog, optional
        Where actions are recorded; the log beside an embedded store (or ``GRAPHKIT_AUDIT``) otherwise.
    """

    name = "explorer"

    def __init__(
        self,
        store: GraphStore,
        *,
        hops: int = 2,
        page_size: int = 50,
        max_hops: int = 6,
        out_dir: str | Path = "case_files",
        model: Model | None = None,
        lang: str = "zh",
        selection: Selection | None = None,
        identity: Identity | None = None,
        by: str | None = None,
        purpose: str | None = None,
        unmask: bool = False,
        reason: str | None = None,
        audit: AuditLog | None = None,
    ) -> None:
        if identity is None:
            identity = panel_identity(
                store, by=by, purpose=purpose, unmask=unmask, reason=reason, audit=audit, lang=lang
            )
        super().__init__(selection, identity)
        self.store = store
        self.model = model or Model.default()
        self.lang = check_lang(lang)
        self.page_size = page_size
        self.max_hops = max_hops
        self.out_dir = Path(out_dir)
        self.full: nx.MultiDiGraph | None = None  # everything fetched, before folding and filtering
        self.graph: nx.MultiDiGraph | None = None  # what is drawn, all relationship types
        self.visible: nx.MultiDiGraph | None = None  # what is shown: ``graph`` with the types toggled off left out
        self.title = ""
        self._page = 0
        self._seed: tuple[str, str] | None = None
        self._history: list[tuple[nx.MultiDiGraph, str]] = []
        full = W.Layout(width="100%")
        self.query = W.Text(
            placeholder=self.words(
                "姓名 / 拼音 / 身份证号 / 统一社会信用代码 / 车牌 / 电话",
                "name / pinyin / ID number / credit code / plate / phone",
            ),
            description=self.words("查找", "Find"),
            layout=full,
        )
        self.query.add_class("graphkit-query")
        self.find_button = ActionButton(description=label(lang, "查找", "Find"), icon="search", layout=_fit())
        self.results = W.Select(options=[], rows=6, description=self.words("对象", "Entity"), layout=stretch())
        self.results.add_class("graphkit-results")
        self.hops = W.IntSlider(value=hops, min=1, max=4, description=self.words("层数", "Hops"))
        self.expand_button = ActionButton(
            description=label(lang, "关系展开", "Neighbourhood"),
            icon="sitemap",
            tooltip=self.words("以所选对象为中心展开关系", "grow the view"),
            layout=_fit(),
        )
        self.more_button = ActionButton(
            description=label(lang, "下一页", "More"),
            icon="forward",
            disabled=True,
            tooltip=self.words("枢纽节点关系的下一页", "the next page of a hub's links"),
            layout=_fit(),
        )
        self.undo_button = ActionButton(
            description=label(lang, "撤销", "Undo"),
            icon="undo",
            disabled=True,
            layout=_fit(),
        )
        self.type_box = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.target = W.Text(
            placeholder=self.words(
                "第二个对象：姓名、身份证号、统一社会信用代码、车牌 …",
                "second entity: name, ID number, credit code, plate …",
            ),
            description=self.words("至", "To"),
            layout=full,
        )
        self.target.add_class("graphkit-target")
        self.path_button = ActionButton(description=label(lang, "路径", "Path"), icon="link", layout=_fit())
        self.case = W.Text(
            placeholder=self.words("案卷号，如 苏纪2024-017", "case number, e.g. 苏纪2024-017"),
            description=self.words("案卷号", "Case no."),
        )
        self.case.add_class("graphkit-case")
        # the case number the workbench's 事由 names, as the Risk tab's portrait reads it (both read case_in)
        self.case.value = case_in(self.identity.purpose)
        self.identity.observe(self._on_purpose, names="purpose")
        self.export_format = W.Dropdown(options=list(FORMATS), value="pdf", description=self.words("格式", "Format"))
        self.export_button = ActionButton(
            description=label(lang, "导出", "Export"),
            icon="download",
            disabled=True,
            layout=_fit(),
        )
        self.explanation = W.HTML()
        self.view = GraphView(model=self.model, lang=lang, unmask=self.identity.unmask)
        self.find_button.on_click(self.find)
        self.expand_button.on_click(self.expand)
        self.more_button.on_click(self.more)
        self.undo_button.on_click(self.undo)
        self.path_button.on_click(self.connect)
        self.export_button.on_click(self.export)
        self.results.observe(self._on_result, names="value")
        self.view.observe(self._on_click, names="clicks")
        self.selection.observe(self._on_selection, names="id")
        self.widget = W.VBox(
            [
                W.HBox([self.query, self.find_button]),
                self.results,
                W.HBox([self.hops, self.expand_button, self.more_button, self.undo_button]),
                self.type_box,
                W.HBox([self.target, self.path_button]),
                W.HBox([self.case, self.export_format, self.export_button]),
                self.status,
                self.explanation,
                self.view,
            ]
        )
        self.widget.add_class("graphkit-explorer")

    def _on_purpose(self, change) -> None:
        """A purpose given at the workbench's Start: its case number fills 案卷号 (one typed there is kept)."""
        if not self.case.value.strip() or self.case.value.strip() == case_in(change["old"]):
            self.case.value = case_in(change["new"])

    # ------------------------------------------------------------------ picking
    def _on_result(self, change) -> None:
        if change["new"] is not None:
            label, key = change["new"]
            if (self.selection.label, self.selection.id) != (label, key):  # not an echo of another panel's pick
                self.selection.pick(label, key, self.name)

    def _on_selection(self, change) -> None:
        sel = self.selection
        if sel.by == self.name or not sel.id:
            return
        kind = _kind(sel.label, self.model, self.lang)
        # by its name beside its masked key, as the tab it was picked in lists it: the list and the line had shown
        # the masked key alone (自然人 · 3205**********0018), the name the investigator picked it by gone
        try:
            shown = named_keys(self.store, [sel.id], unmask=self.identity.unmask, model=self.model, lang=self.lang)
        except Exception:  # noqa: BLE001 - a store that fails here fails, and is said, on Neighbourhood
            shown = {}
        shown = shown.get(sel.id) or (sel.id if self.identity.unmask else mask_key(sel.label, sel.id, self.model))
        self.results.options = [(f"{kind} · {shown}", (sel.label, sel.id))]
        self.results.value = (sel.label, sel.id)
        self.say(
            self.words(
                f"已在{TAB_ZH.get(sel.by, sel.by)}标签页选中{kind} {shown}：点“关系展开”在此显示其关系",
                f"picked {sel.label} {shown} in the {sel.by} tab: Neighbourhood shows it here",
            )
        )

    @Panel.guarded("选取节点 / Pick")
    def _on_click(self, change=None) -> None:
        node = self.view.picked_key
        if self.graph is None or node not in self.graph:
            return
        a = self.graph.nodes[node]
        if a.get("folded"):
            self._push()
            self._set_graph(unfold(self.graph, self.full, node), self.title, grow=True, origin=node)
            kind = self.model.display_name(a["label"]) if a["label"] in self.model.labels else a["label"]
            self.say(self.words(f"已展开 {a['folded']} 个{kind}节点", f"unfolded {a['folded']} {a['label']} nodes"))
            return
        label = a.get("label", "")
        kind = _kind(label, self.model, self.lang)
        self.results.options = [(f"{kind} · {node_caption(node, a, model=self.model)}", (label, node))]
        self.results.value = (label, node)
        caption = node_caption(node, a, model=self.model)
        self.say(
            self.words(
                f"已选 {caption}：点“关系展开”以其为中心展开",
                f"picked {caption}: Neighbourhood grows the view around it",
            )
        )

    def _picked(self) -> tuple[str, str] | None:
        if self.results.value is None:
            self.say(
                self.words("请先查找并在列表中选中一个对象", "find an entity and pick it in the list first"), error=True
            )
        return self.results.value

    # ------------------------------------------------------------------ actions
    @Panel.action(("查找中", "searching"), what="查找 / Find")
    def find(self, _=None) -> None:
        """Fill the list with the entities matching ``query``, best first; pick the best only when it is alone."""
        q = self.query.value.strip()
        if not q:
            self.say(
                self.words(
                    "请先输入姓名、身份证号、统一社会信用代码、车牌或电话",
                    "type a name, ID number, credit code, plate or phone first",
                ),
                error=True,
            )
            return
        shown = self._shown_pick()
        self.results.options = []  # a search that fails leaves no list of the previous one
        found = search.describe(self.store, search.find(self.store, q, limit=20))
        self.identity.record(
            "find", query=q, persons=persons_in(zip(found["label"], found["id"], strict=True)), result=len(found)
        )
        self.results.options = [
            (candidate_line(r, self.model, unmask=self.identity.unmask, lang=self.lang), (r.label, r.id))
            for r in found.itertuples()
        ]
        if found.empty:
            if shown is None:
                self.say(self._nothing(q), error=True)
                return
            # the graph still shows the entity picked before: it stays picked, so Path and Neighbourhood go on from
            # what the user sees (an emptied list had them say "find and pick one first" beside that drawing)
            caption, ref = shown
            self.results.options = [(caption, ref)]
            self.results.value = ref
            self.say(
                self._nothing(q) + self.words(f"；仍选中图中的 {caption}", f"; still picked: {caption}, as drawn"),
                error=True,
            )
            return
        best = found[found["score"] == found["score"].iloc[0]]
        top = found.iloc[0]
        if not search.names_it(top["matched"]):  # said first: several alike are no more named than one
            self.results.value = None
            closest_name = top["name"] if _given(top["name"]) else top["id"]
            how = search.matched_word(top["matched"], lang=self.lang, unmask=self.identity.unmask)
            if self.lang == "en":
                closest = f"{len(best)} equally close" if len(best) > 1 else f"the closest {closest_name}"
                said = (
                    f"no entity is named {q!r}; {len(found)} like it listed, {closest} "
                    f"({how}): pick {'one' if len(best) > 1 else 'it'} in the list if it is the one meant"
                )
            else:
                closest = f"{len(best)} 个同样接近" if len(best) > 1 else f"最接近的是 {closest_name}"
                said = (
                    f"没有名为“{q}”的对象；列出 {len(found)} 个相近的，{closest}（{how}）：若是要找的，请在列表中选中"
                )
            self.say(said + self._unpicked(shown), error=True)
            return
        if len(best) > 1:
            self.results.value = None
            # namesakes are told apart by birth year, unit and post; a unit and the place of the same name by kind
            people = set(best["label"]) == {"Person"}
            self.say(
                self.words(
                    f"{len(best)} 个对象与“{q}”同样匹配：请在列表中选一个"
                    + ("（出生年份、单位和职务可区分）" if people else "（类别和编号可区分）"),
                    f"{len(best)} entities match {q!r} equally well: pick one in the list "
                    + ("(birth year, unit and post tell them apart)" if people else "(kind and key tell them apart)"),
                )
                + self._unpicked(shown),
            )  # what to do next, not a fault: in the status line's colour, not the errors' red
            return
        self.results.value = self.results.options[0][1]
        self.say(
            self.words(
                f"与“{q}”匹配的有 {len(found)} 个；已选中最佳匹配",
                f"{len(found)} match{'es' if len(found) > 1 else ''} for {q!r}; the best one is picked",
            )
        )

    def _shown_pick(self) -> tuple[str, tuple[str, str]] | None:
        """The list's entry for the entity a drawing is shown around (the one picked, else the seed of the
        neighbourhood drawn), or None when nothing is drawn."""
        if self.graph is None:
            return None
        ref = self.results.value
        if ref is not None:
            return next(((t, v) for t, v in self.results.options if v == ref), None)
        seed = self._seed
        if seed is None or seed[1] not in self.graph:
            return None
        kind = _kind(seed[0], self.model, self.lang)
        return f"{kind} · {node_caption(seed[1], self.graph.nodes[seed[1]], model=self.model)}", seed

    def _unpicked(self, shown: tuple[str, tuple[str, str]] | None) -> str:
        """The words telling that the entity drawn is no longer picked (a new list awaits a pick), or ""."""
        if shown is None:
            return ""
        return self.words(f"；图中的 {shown[0]} 已不再选中", f"; {shown[0]}, as drawn, is no longer picked")

    def _nothing(self, q: str) -> str:
        """What Find and Path say when nothing matches ``q``; a masked identifier copied from the list is told
        what to give instead."""
        if search.is_masked(q):
            return self.words(
                f"“{q}”是脱敏后的号码，不指向任何对象：请填写姓名或完整号码",
                f"nothing matches {q!r}: that is a masked identifier, which names no one; give the name or the "
                "number in full",
            )
        if len(q) == 1 and search._CJK.search(q):
            # a surname alone: names are matched whole or by a part of two characters or more, so 李 found no 李娜
            # and the line said no one matched it, as if the store had no 李
            return self.words(
                f"单字“{q}”不作查找：请输入完整姓名、两个字以上的部分姓名或拼音",
                f"a single character such as {q!r} is not searched: give the whole name, two characters of it or "
                "its pinyin",
            )
        return self.words(
            f"没有与“{q}”匹配的对象（已按姓名、身份证号、统一社会信用代码、车牌、电话和编号查找）",
            f"nothing matches {q!r} (tried name, ID number, credit code, plate, phone and key)",
        )

    @Panel.action(("读取关系中", "reading the neighbourhood"), what="关系展开 / Neighbourhood")
    def expand(self, _=None, *, page: int = 0) -> None:
        """Show the neighbourhood of the picked entity; when it is already drawn, grow the view around it."""
        ref = self._picked()
        if ref is None:
            return
        g = paths.neighbourhood(self.store, ref, hops=self.hops.value, page_size=self.page_size, page=page)
        self.identity.record(
            "neighbours",
            entity=ref[1],
            hops=self.hops.value,
            page=page,
            persons=graph_persons(g),
            result=g.number_of_nodes(),
        )
        self._page, self._seed = page, ref
        seed = g.graph["seed"]
        name = node_caption(seed, g.nodes[seed], model=self.model) if seed in g else ref[1]
        grow = self.full is not None and seed in self.full and page == 0
        self._push()
        if grow:
            full = nx.compose(self.full, g)
            full.graph.update(self.full.graph)
            title = f"{self.title} + {name}"
        else:
            full = g
            # in Chinese as the command line's case file says it (it read "2-hop neighbourhood", in the case file's
            # header and file name too); lang="en" as before
            title = self.words(f"{name}：{self.hops.value} 度关系", f"{name}: {self.hops.value}-hop neighbourhood")
        self.full = full
        self._set_graph(fold(full, keep=[seed]), title, grow=grow)
        hubs = {k: v for k, v in g.graph["hubs"].items() if k != seed}
        self.more_button.disabled = g.graph["next_page"] is None
        n, m, hops, total, pages = (
            self.graph.number_of_nodes(),
            self.graph.number_of_edges(),
            self.hops.value,
            g.graph["total"],
            g.graph["pages"],
        )
        if self.lang == "en":
            parts = [
                f"{n} entities, {m} links shown" + (f" (grown around {name})" if grow else f" within {hops} hops"),
                f"own links {total} (page {page + 1} of {pages})",
            ]
        else:
            parts = [
                f"显示对象 {n} 个、关系 {m} 条" + (f"（围绕 {name} 展开）" if grow else f"（{hops} 层以内）"),
                f"自身关系 {total} 条（第 {page + 1}/{pages} 页）",
            ]
        if hubs:  # each named, as the command line and the case file name them, the most linked first
            named = hubs_named(g, self.words("条", "links"))
            if self.lang == "en":
                more = f" and {len(named) - HUBS_SHOWN} more" if len(named) > HUBS_SHOWN else ""
                parts.append("hubs not expanded: " + ", ".join(named[:HUBS_SHOWN]) + more)
            else:
                more = f" 等 {len(named)} 个" if len(named) > HUBS_SHOWN else ""
                parts.append("未展开的枢纽节点：" + "、".join(named[:HUBS_SHOWN]) + more)
        self.say(self.words("；".join(parts), "; ".join(parts)))

    @Panel.action(("读取下一页中", "reading the next page"), what="下一页 / More")
    def more(self, _=None) -> None:
        """The next page of the picked hub's links (drawn anew)."""
        self.full = None
        self.expand(page=self._page + 1)

    @Panel.action(("查找路径中", "looking for a path"), what="路径 / Path")
    def connect(self, _=None) -> None:
        """Show the shortest path from the picked entity to the one named in ``target``, explained."""
        self.explanation.value = ""  # a path that fails leaves no hops of the previous one under its red line
        ref = self._picked()
        if ref is None:
            return
        text = self.target.value.strip()
        if not text:
            self.say(self.words("请在“至”栏填写第二个对象", "name the second entity in 'To'"), error=True)
            return
        try:
            # a handle NAME#N (one of namesakes, as the list below names them) read as the command line reads it
            handle = re.match(r"^.+#[1-9][0-9]{0,3}$", text) is not None
            other = search.resolve_exact(self.store, text) if handle else search.resolve(self.store, text)
        except search.AmbiguousEntity as exc:
            found = exc.candidates
            tied = found[found["score"] == found["score"].iloc[0]].head(5)
            # each with what to type back to name it (NAME#N for a namesake): the list shows ID numbers masked, and
            # the sentence had asked for the ID number it could not show
            handles = search.handles(self.store, tied)
            listed = "; ".join(
                f"{h}（{candidate_line(r, self.model, unmask=self.identity.unmask, lang=self.lang)}）"
                for h, r in zip(handles, search.describe(self.store, tied).itertuples(), strict=True)
            )
            self.say(
                self.words(
                    f"“{text}”同样匹配 {len(found[found['score'] == found['score'].iloc[0]])} 个对象，无法确定终点："
                    f"请在“至”栏填写其中一个的指称（如 {handles[0]}），或其统一社会信用代码、编号。候选：{listed}",
                    f"{exc}: type one as listed (e.g. {handles[0]}): {listed}",
                ),
                error=True,
            )
            return
        except paths.PathError as exc:  # nothing matches: said as Find says it
            self.say(self._nothing(text) if self.lang == "zh" else str(exc), error=True)
            return
        if (other.label, other.id) == tuple(ref):
            self.say(
                self.words(
                    f"“至”栏所指的就是已选中的对象（{other.name or other.id}）：请填写另一个对象",
                    f"'To' names the picked entity itself ({other.name or other.id}): name another one",
                ),
                error=True,
            )
            return
        path = paths.shortest_path(self.store, ref, (other.label, other.id), max_hops=self.max_hops)
        self.identity.record(
            "path",
            source=ref[1],
            target=other.id,
            persons=persons_in((n.label, n.id) for n in (path.nodes if path is not None else ())),
            result=0 if path is None else len(path),
        )
        if path is None:
            self.say(
                self.words(
                    f"{self.max_hops} 跳以内没有到 {other.name or other.id} 的路径",
                    f"no path of at most {self.max_hops} hops to {other.name or other.id}",
                ),
                error=True,
            )
            return
        lines = paths.explain(path, store=self.store, lang=self.lang)
        self._push()
        self.full = path.graph()
        # drawn from left to right, as the hops are numbered (the start had been drawn on the right)
        ends = (path.nodes[0].id, path.nodes[-1].id)
        self._set_graph(self.full, paths.path_line(path, store=self.store, lang=self.lang), grow=False, ends=ends)
        shown = lines if self.identity.unmask else [mask_text(x) for x in lines]
        self.explanation.value = "<ol>" + "".join(f"<li>{html.escape(x)}</li>" for x in shown) + "</ol>"
        self.more_button.disabled = True
        self.say(
            self.words(
                f"到 {other.name or other.id} 共 {len(path)} 跳；每一跳注明来源行",
                f"{len(path)} hops to {other.name or other.id}; each hop cites its source row",
            )
        )

    @Panel.action(what="撤销 / Undo")
    def undo(self, _=None) -> None:
        """Go back to what was shown before the last change."""
        if not self._history:
            self.say(self.words("没有可撤销的操作", "nothing to undo"), error=True)
            return
        (self.full, graph), title = self._history.pop()
        self._set_graph(graph, title, grow=True, record=False)
        self.undo_button.disabled = not self._history
        self.say(self.words(f"已回到：{title}", f"back to: {title}"))

    def toggled_off(self) -> list[str]:
        """The relationship types switched off in the toggles."""
        return [b.tooltip for b in self.type_box.children if not b.value]

    def shown_graph(self) -> nx.MultiDiGraph | None:
        """What is shown, unfolded: the nodes drawn (a folded node's members in its place) and their links from
        everything fetched, less the relationship types switched off. This is what an export writes (a drawing
        folds the same leaves again; data formats hold every member)."""
        if self.visible is None:
            return None
        full = self.full if self.full is not None else self.visible
        nodes = set()
        for n, a in self.visible.nodes(data=True):
            nodes.update(a["members"] if a.get("folded") and a.get("members") else [n])
        off = set(self.toggled_off())
        g = nx.MultiDiGraph(**full.graph)
        for n in sorted(nodes, key=str):
            g.add_node(n, **(full.nodes[n] if n in full else self.visible.nodes[n]))
        for u, v, k, a in full.edges(keys=True, data=True):
            if u in nodes and v in nodes and a.get("type") not in off:
                g.add_edge(u, v, key=k, **a)
        return g

    @Panel.action(("写入案卷文件中", "writing the case file"), what="导出 / Export")
    def export(self, _=None) -> Path | None:
        """Write what is shown (:meth:`shown_graph`) as a case file in the chosen format into ``out_dir``, with
        the case number (``case``), the exporter (``identity.who``), the time and the masking note; record it in
        the audit log; return the file (a new name when one exists: nothing is overwritten)."""
        g = self.shown_graph()
        if g is None:
            self.say(
                self.words(
                    "尚无可导出的内容：请先展开关系或查找路径",
                    "nothing shown yet: expand a neighbourhood or find a path first",
                ),
                error=True,
            )
            return None
        case = self.case.value.strip()
        if not case:
            self.say(
                self.words(
                    "案卷文件须有案卷号：请填写案卷号（如 苏纪2024-017）后再导出",
                    "a case file needs a case number: fill in 案卷号 (e.g. 苏纪2024-017), then Export",
                ),
                error=True,
            )
            return None
        who = self.identity.who.strip()
        if not who:
            self.say(
                self.words(
                    "请先在工作台的“姓名”栏说明您是谁：案卷文件注明导出人",
                    "say who you are first (the workbench's 'Who'): a case file names who exported it",
                ),
                error=True,
            )
            return None
        fmt = self.export_format.value
        shown_title = self.title if self.identity.unmask else mask_text(self.title)
        target = _free(self.out_dir / f"{_slug(shown_title)}.{fmt}")
        paths.with_properties(self.store, g)
        omitted = self._omitted(g)
        info = CaseInfo(
            case=case,
            by=who,
            subject=self.title,
            masked=not self.identity.unmask,
            reason=self.identity.reason if self.identity.unmask else None,
            omitted=tuple(omitted),
            seeds=tuple(str(x) for x in (g.graph.get("seed"),) if x is not None and x in g),
            lang=self.lang,
        )
        res = write_case_file(g, target, info, fmt=fmt, model=self.model)
        self.identity.record(
            "export",
            via="widgets explorer",
            case=case,
            format=fmt,
            out=str(res.path),
            **written_files(res.path),  # ties the file to its record, as graphkit export does
            formats=[fmt],
            types_off=self.toggled_off(),
            left_out=omitted,
            persons=graph_persons(g),
            result=g.number_of_nodes(),
        )
        # the line every face says of a case file written, as graphkit export says it
        said = case_file_written(res, case, unmask=self.identity.unmask, lang=self.lang)
        self.say(said)
        return res.path

    def _omitted(self, g: nx.MultiDiGraph) -> list[str]:
        """What the case file leaves out, in words (as ``graphkit neighbours --export`` says it): the other
        pages of a hub, hubs not expanded, relationship types switched off in the panel."""
        notes = []
        total, seed = g.graph.get("total"), g.graph.get("seed")
        if seed is not None and total is not None and g.graph.get("pages", 1) > 1:
            page = g.graph.get("page", self._page)
            size, whole = g.graph.get("page_size", self.page_size), f"graphkit export --entity … --max-links {total}"
            notes.append(  # in the panel's language alone, as the file's other words (CaseInfo.lang)
                self.words(
                    f"本文件只含 {seed} 的 {total} 条关系中的第 {page + 1}/{g.graph['pages']} 页（每页 {size} 条）；"
                    f"全部关系用 {whole}",
                    f"this file holds page {page + 1} of {g.graph['pages']} of the {total} links of {seed} (pages "
                    f"of {size}); all of them: {whole}",
                )
            )
        hubs = hubs_note(g, lang=self.lang)  # each hub named, as the command line names them
        if hubs:
            notes.append(hubs)
        off = self.toggled_off()
        if off:
            names = "、".join(edge_caption({"type": t}, model=self.model, lang="zh") for t in off)
            notes.append(
                self.words(f"面板中关闭的关系类型未导出：{names}", f"relationship types toggled off: {', '.join(off)}")
            )
        return notes

    # ------------------------------------------------------------------ drawing
    def _push(self) -> None:
        if self.graph is not None:
            self._history.append(((self.full, self.graph), self.title))
            self.undo_button.disabled = False

    def _set_graph(
        self,
        g: nx.MultiDiGraph,
        title: str,
        *,
        grow: bool,
        record: bool = True,
        origin: str | None = None,
        ends: tuple[str, str] | None = None,
    ) -> None:
        """Show ``g``: drawn anew (``ends``: a path's start and end, the start drawn on the left), or grown in place
        (``origin``: the folded node whose members it unfolds)."""
        self.graph, self.visible, self.title = g, g, title
        self._types_for(g)
        if grow:
            self.view.grow(g, anchor=self.results.value[1] if self.results.value else None, origin=origin)
        else:
            self.view.show(g, ends=ends)
        if record:
            self.explanation.value = ""
        self.export_button.disabled = False

    def _types_for(self, g: nx.MultiDiGraph) -> None:
        counts = Counter(a.get("type", "") for *_, a in g.edges(data=True))
        buttons = []
        for t, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            name = edge_caption({"type": t}, model=self.model, lang=self.lang)
            b = W.ToggleButton(value=True, description=f"{name} {n}", tooltip=t, layout=W.Layout(width="auto"))
            b.observe(self._filter, names="value")
            buttons.append(b)
        self.type_box.children = buttons

    @Panel.guarded("关系类型 / Types")
    def _filter(self, change=None) -> None:
        """Show only the links of the toggled-on types (and the nodes they reach; the seed stays)."""
        if self.graph is None:
            return
        on = {b.tooltip for b in self.type_box.children if b.value}
        base = self.graph
        g = nx.MultiDiGraph(**base.graph)
        seed = base.graph.get("seed")
        for u, v, k, a in base.edges(keys=True, data=True):
            if a.get("type") in on:
                g.add_node(u, **base.nodes[u])
                g.add_node(v, **base.nodes[v])
                g.add_edge(u, v, key=k, **a)
        if seed in base and seed not in g:
            g.add_node(seed, **base.nodes[seed])
        self.visible = g
        self.view.grow(g)
        self.say(
            self.words(
                f"显示 {len(self.type_box.children)} 种关系类型中的 {len(on)} 种：关系 {g.number_of_edges()} 条",
                f"showing {len(on)} of {len(self.type_box.children)} relationship types: {g.number_of_edges()} links",
            )
        )
