"""Jupyter widgets: find an entity, expand its neighbourhood, connect two entities, export for the case file.

>>> from graphkit.widgets import Explorer          # doctest: +SKIP
>>> Explorer(store)                                # doctest: +SKIP

One panel, in the order an investigator works:

1. **Find** by name (exact, 繁/简, pinyin), ID number, credit code, plate, phone or key
   (:func:`graphkit.search.find`); the matches fill a list, best first, with how each matched.
2. **Neighbourhood** of the entity picked in the list: hops, relationship types (none picked: all)
   and the hub cap (:func:`graphkit.paths.neighbourhood`). A hub seed is listed a page at a time;
   "More" shows its next page.
3. **Path** from the picked entity to a second one named in "To" (:func:`graphkit.paths.shortest_path`),
   each hop explained with the source file and row of its link (:func:`graphkit.paths.explain`).
4. **Export** what is shown: PDF, PNG, SVG, HTML or GraphML (:func:`graphkit.viz.export`) into
   ``out_dir``.

The graph is drawn with the same self-contained HTML as ``graphkit neighbours --html`` (an iframe,
no network needed). ID numbers, phones and bank accounts are masked in the list, the graph, the
explanations and the exports unless the panel is made with ``unmask=True, reason="…"``
(refused for a viewer, ``GRAPHKIT_ROLE=viewer``); every find, neighbourhood, path and export is recorded in the audit
log beside the store (:mod:`graphkit.audit`) with ``by`` and ``purpose``.
Every button reports what it did, or what went wrong, in the status line; nothing
raises into the notebook. The widgets are attributes (``query``, ``results``, ``hops`` …), so a
notebook or a test can drive the panel by setting values and calling :meth:`Explorer.find`,
:meth:`~Explorer.expand`, :meth:`~Explorer.connect` and :meth:`~Explorer.export`.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import ipywidgets as W
import networkx as nx

from graphkit import paths, search
from graphkit.audit import AuditLog, audit_path_for, current_user
from graphkit.model import Model
from graphkit.model.mask import mask_text
from graphkit.stores.base import GraphStore
from graphkit.viz import FORMATS, export, html_page, node_caption

__all__ = ["Explorer"]

_ERR = "<span style='color:#b00020'>{}</span>"


def _slug(text: str) -> str:
    """A file name from a title: CJK, letters, digits, '-' and '_' kept, anything else '_'."""
    s = re.sub(r"[^\w\u3400-\u9fff-]+", "_", text).strip("_")
    return s[:80] or "graph"


class Explorer:
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
        The graph model (relationship types offered, node styles); the default model otherwise.
    by : str, optional
        Who works in the panel (audit log); ``GRAPHKIT_USER`` or the login name otherwise.
    purpose : str, optional
        Why (audit log).
    unmask : bool, default False
        Show identifiers in clear (needs ``reason``; refused for a viewer).
    reason : str, optional
        Why identifiers are shown in clear (audit log).
    audit : AuditLog, optional
        Where actions are recorded; the log beside an embedded store (or ``GRAPHKIT_AUDIT``) otherwise.
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        hops: int = 2,
        page_size: int = 50,
        max_hops: int = 6,
        out_dir: str | Path = "case_files",
        model: Model | None = None,
        by: str | None = None,
        purpose: str | None = None,
        unmask: bool = False,
        reason: str | None = None,
        audit: AuditLog | None = None,
    ) -> None:
        if unmask and os.environ.get("GRAPHKIT_ROLE", "").strip().lower() == "viewer":
            raise PermissionError("a viewer cannot show identifiers in clear (GRAPHKIT_ROLE=viewer)")
        if unmask and not (reason or "").strip():
            raise ValueError("unmask=True needs a reason (it is recorded in the audit log)")
        self.unmask, self.reason = unmask, reason
        self.by, self.purpose = current_user(by), purpose
        path = getattr(store, "path", None)
        self.audit = audit if audit is not None else AuditLog(audit_path_for(f"embedded:{path}" if path else ""))
        self.store = store
        self.model = model or Model.default()
        self.page_size = page_size
        self.max_hops = max_hops
        self.out_dir = Path(out_dir)
        self.graph: nx.MultiDiGraph | None = None
        self.title = ""
        self._page = 0
        full = W.Layout(width="100%")
        self.query = W.Text(
            placeholder="姓名 / pinyin / 身份证号 / 统一社会信用代码 / 车牌 / 电话", description="Find", layout=full
        )
        self.find_button = W.Button(description="Find", icon="search")
        self.results = W.Select(options=[], rows=6, description="Entity", layout=full)
        self.hops = W.IntSlider(value=hops, min=1, max=4, description="Hops")
        self.types = W.SelectMultiple(
            options=sorted(self.model.relationships), rows=5, description="Types", tooltip="none picked: every type"
        )
        self.expand_button = W.Button(description="Neighbourhood", icon="sitemap")
        self.more_button = W.Button(
            description="More", icon="forward", disabled=True, tooltip="the next page of a hub's links"
        )
        self.target = W.Text(
            placeholder="second entity: name, ID number, credit code, plate …", description="To", layout=full
        )
        self.path_button = W.Button(description="Path", icon="link")
        self.export_format = W.Dropdown(
            options=sorted({s.lstrip(".") for s in FORMATS} - {"htm"}), value="pdf", description="Format"
        )
        self.export_button = W.Button(description="Export", icon="download", disabled=True)
        self.status = W.HTML()
        self.explanation = W.HTML()
        self.view = W.HTML()
        self.find_button.on_click(self.find)
        self.expand_button.on_click(self.expand)
        self.more_button.on_click(self.more)
        self.path_button.on_click(self.connect)
        self.export_button.on_click(self.export)
        self.widget = W.VBox(
            [
                W.HBox([self.query, self.find_button]),
                self.results,
                W.HBox([self.hops, self.types, W.VBox([self.expand_button, self.more_button])]),
                W.HBox([self.target, self.path_button]),
                W.HBox([self.export_format, self.export_button]),
                self.status,
                self.explanation,
                self.view,
            ]
        )

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ actions
    def _shown(self, text: str) -> str:
        return text if self.unmask else mask_text(text)

    def _record(self, command: str, params: dict, result: int) -> None:
        self.audit.append(
            command,
            {"face": "widgets", **params},
            who=self.by,
            purpose=self.purpose,
            result=result,
            unmasked=self.unmask,
            reason=self.reason,
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        text = self._shown(text)
        self.status.value = _ERR.format(html.escape(text)) if error else html.escape(text)

    def find(self, _=None) -> None:
        """Fill the list with the entities matching ``query``, best first."""
        q = self.query.value.strip()
        if not q:
            self._say("type a name, ID number, credit code, plate or phone first", error=True)
            return
        found = search.find(self.store, q, limit=20)
        self._record("find", {"query": q}, len(found))
        self.results.options = [
            (self._shown(f"{r.label} · {r.name or ''} · {r.id}  ({r.matched}, {r.score:.2f})"), (r.label, r.id))
            for r in found.itertuples()
        ]
        if found.empty:
            self._say(f"nothing matches {q!r} (tried name, ID number, credit code, plate, phone and key)", error=True)
            return
        self.results.value = self.results.options[0][1]
        self._say(f"{len(found)} match{'es' if len(found) > 1 else ''} for {q!r}; the best is picked")

    def _picked(self) -> tuple[str, str] | None:
        if self.results.value is None:
            self._say("find an entity and pick it in the list first", error=True)
        return self.results.value

    def expand(self, _=None, *, page: int = 0) -> None:
        """Show the neighbourhood of the picked entity (``page`` of its own links when it is a hub)."""
        ref = self._picked()
        if ref is None:
            return
        try:
            g = paths.neighbourhood(
                self.store,
                ref,
                hops=self.hops.value,
                types=list(self.types.value) or None,
                page_size=self.page_size,
                page=page,
            )
        except paths.PathError as exc:
            self._say(str(exc), error=True)
            return
        self._page = page
        self._record("neighbours", {"entity": ref[1], "hops": self.hops.value, "page": page}, g.number_of_nodes())
        seed = g.graph["seed"]
        name = node_caption(seed, g.nodes[seed]) if seed in g else ref[1]
        self._show(g, f"{name}: {self.hops.value}-hop neighbourhood", "")
        hubs = {k: v for k, v in g.graph["hubs"].items() if k != g.graph["seed"]}
        self.more_button.disabled = g.graph["next_page"] is None
        parts = [
            f"{g.number_of_nodes()} entities, {g.number_of_edges()} links within {self.hops.value} hops",
            f"own links {g.graph['total']} (page {page + 1} of {g.graph['pages']})",
        ]
        if hubs:
            parts.append("hubs not expanded: " + ", ".join(f"{k} ({v} links)" for k, v in list(hubs.items())[:5]))
        self._say("; ".join(parts))

    def more(self, _=None) -> None:
        """The next page of the picked hub's links."""
        self.expand(page=self._page + 1)

    def connect(self, _=None) -> None:
        """Show the shortest path from the picked entity to the one named in ``target``, explained."""
        ref = self._picked()
        if ref is None:
            return
        text = self.target.value.strip()
        if not text:
            self._say("name the second entity in 'To'", error=True)
            return
        try:
            other = search.resolve(self.store, text)
            path = paths.shortest_path(self.store, ref, (other.label, other.id), max_hops=self.max_hops)
        except search.AmbiguousEntity as exc:
            top = exc.candidates.head(5)
            self._say(f"{exc}: " + "; ".join(f"{r.label} {r.name or ''} {r.id}" for r in top.itertuples()), error=True)
            return
        except paths.PathError as exc:
            self._say(str(exc), error=True)
            return
        if path is None:
            self._say(f"no path of at most {self.max_hops} hops to {other.name or other.id}", error=True)
            return
        lines = paths.explain(path, store=self.store)
        self._record("path", {"source": ref[1], "target": text}, len(path))
        self._show(
            path.graph(),
            paths.path_line(path, store=self.store),
            "<ol>" + "".join(f"<li>{html.escape(self._shown(s))}</li>" for s in lines) + "</ol>",
        )
        self.more_button.disabled = True
        self._say(f"{len(path)} hops to {other.name or other.id}; each hop cites its source row")

    def export(self, _=None) -> Path | None:
        """Write what is shown to ``out_dir`` in the chosen format; return the file."""
        if self.graph is None:
            self._say("nothing shown yet: expand a neighbourhood or find a path first", error=True)
            return None
        target = self.out_dir / f"{_slug(self._shown(self.title))}.{self.export_format.value}"
        try:
            p = export(self.graph, target, title=self.title, model=self.model, unmask=self.unmask)
        except (OSError, RuntimeError, ValueError) as exc:
            self._say(f"{target}: {exc}", error=True)
            return None
        self._record("export", {"format": self.export_format.value, "out": str(p)}, self.graph.number_of_nodes())
        self._say(f"wrote {p}")
        return p

    def _show(self, g: nx.MultiDiGraph, title: str, explanation: str) -> None:
        self.graph, self.title = g, title
        page = html_page(g, title=title, model=self.model, height="520px", unmask=self.unmask)
        self.view.value = (
            f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            'style="width:100%;height:600px;border:1px solid #ddd"></iframe>'
        )
        self.explanation.value = explanation
        self.export_button.disabled = False
