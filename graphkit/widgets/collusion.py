"""Collusion: bidder communities by risk with their reasons, one drawn, its tenders with screens and reasons.

"评分" (``lang="en"``: "Score") runs :func:`graphkit.collusion.kg.score_store` on the store (or the panel is given
scores). The list holds the communities of two or more companies, riskiest first, each with its reasons; the picked one
is drawn by :func:`graphkit.evidence.community_graph` (one node per company, co-bidding and shared
identifiers as weighted links, never one node per bid), and the table lists the tenders where it is the
dominant community, with the statistical screens (CV, spread, …), the evidence terms and the reasons.
Each community's entry is whole in the list (:class:`~graphkit.widgets.listbox.ListBox`: wrapped, its whole text
its hover title). Clicking a company says its risk, bids and wins and keeps the sentence on this tab; in a
workbench the button 在关系图中查看 (shown only where there is an Explorer tab) picks it for the other panels and
opens it there. The click itself had switched to the Explorer at once, before the sentence could be read.
The reasons are in Chinese (:mod:`graphkit.collusion.words`), the tender table's columns named in Chinese with
their keys beside them; the buttons read Chinese alone (``评分``), as the status lines do
(``lang="en"``: English alone).
"""

from __future__ import annotations

import html

import ipywidgets as W
import networkx as nx
import pandas as pd

from graphkit.collusion.words import COLUMN_NOTES
from graphkit.evidence import community_graph
from graphkit.model import Model
from graphkit.model.mask import mask_text
from graphkit.rules.words import check_lang
from graphkit.stores.base import GraphStore
from graphkit.viz import named_keys, node_caption
from graphkit.widgets.base import ActionButton, Identity, Panel, Selection, label, stretch
from graphkit.widgets.graph import GraphView
from graphkit.widgets.listbox import ListBox

__all__ = ["Collusion", "TENDER_COLUMNS"]

#: the tender table's columns (those the scores hold)
TENDER_COLUMNS = ("risk", "n_bids", "winner", "CV", "SPD", "DIFFP", "cover_bids", "reasons")


class Collusion(Panel):
    """Bidder communities and tenders of a store by collusion risk (see the module doc).

    Parameters
    ----------
    store : GraphStore
    scores : KGScores, optional
        Scores already computed; otherwise "评分" (Score) computes them.
    model : Model, optional
    lang : {"zh", "en"}, default "zh"
    selection, identity :
        Shared with the other panels of a :class:`~graphkit.widgets.Workbench`.
    """

    name = "collusion"

    def __init__(
        self,
        store: GraphStore,
        *,
        scores=None,
        model: Model | None = None,
        lang: str = "zh",
        selection: Selection | None = None,
        identity: Identity | None = None,
    ) -> None:
        super().__init__(selection, identity)
        self.store = store
        self.model = model or Model.default()
        self.lang = check_lang(lang)
        self.scores = None
        self.score_button = ActionButton(
            description=label(lang, "评分", "Score"),
            icon="calculator",
            tooltip=self.words("为标段、投标人和社区评分", "score tenders and communities"),
            layout=W.Layout(width="auto"),
        )
        self.with_tenders = W.Checkbox(value=False, description=self.words("画出标段", "draw tenders"))
        self.communities = ListBox(rows=8, layout=stretch())
        self.communities.add_class("graphkit-communities")
        self.reasons = W.HTML()
        self.tenders = W.HTML()
        self.view = GraphView(model=self.model, lang=lang, height="480px")
        self.picked: tuple[str, str] | None = None  # (label, key) of the node clicked last
        self.open_button = ActionButton(
            description=label(lang, "在关系图中查看", "open in Explorer"),
            icon="sitemap",
            disabled=True,
            layout=W.Layout(width="auto"),
            tooltip=self.words(
                "在关系探索标签页中查看所点企业的关系", "show the clicked company's relationships in the Explorer tab"
            ),
        )
        self.open_button.on_click(self.open_in_explorer)
        # only where a workbench has that tab: notebook 03 shows this panel alone
        if not self.selection.shown_in:
            self.open_button.layout.display = "none"
        self.score_button.on_click(self.score)
        self.communities.observe(self._on_pick, names="value")
        self.with_tenders.observe(lambda _: self.show(self.communities.value), names="value")
        self.view.observe(self._on_click, names="clicks")
        self.widget = W.VBox(
            [
                W.HBox([self.score_button, self.with_tenders]),
                self.communities,
                self.status,
                self.open_button,  # right under the sentence it acts on
                self.reasons,
                self.view,
                self.tenders,
            ]
        )
        self.widget.add_class("graphkit-collusion")
        if scores is not None:
            self._set_scores(scores)

    @Panel.action(what="串通投标评分 / Score")
    def score(self, _=None) -> None:
        """Score the store's tenders, bidders and communities (:func:`graphkit.collusion.kg.score_store`)."""
        from graphkit.collusion.kg import score_store

        self.say(self.words("评分中：投标人关系图、社区、标段 …", "scoring: bidder graph, communities, tenders …"))
        self._set_scores(score_store(self.store))
        self.identity.record("collusion score", result=len(self.scores.communities))

    def _set_scores(self, scores) -> None:
        self.scores = scores
        c = scores.communities
        self.communities.options = [
            (
                self.words(
                    f"#{cid} · 风险 {r['risk']:.2f} · {int(r['size'])} 家企业 · {mask_text(r['reasons'])}",
                    f"#{cid} · risk {r['risk']:.2f} · {int(r['size'])} companies · {mask_text(r['reasons'])}",
                ),
                int(cid),
            )
            for cid, r in c.iterrows()
        ]
        self.say(
            self.words(
                f"两家及以上企业的社区 {len(c)} 个，已评分标段 {len(scores.tenders)} 个",
                f"{len(c)} communities of two or more companies, {len(scores.tenders)} tenders scored",
            )
        )
        if len(c):
            self.communities.value = int(c.index[0])

    def _on_pick(self, change) -> None:
        if change["new"] is not None:
            self.show(change["new"])

    @Panel.guarded("社区 / Community")
    def show(self, community: int | None) -> None:
        """Draw one community and list its tenders."""
        if community is None or self.scores is None:
            return
        r = self.scores.communities.loc[community]
        self.picked, self.open_button.disabled = None, True  # a company clicked in the drawing before
        g = community_graph(self.scores, community, tenders=self.with_tenders.value)
        self.view.show(g)
        self.reasons.value = (
            f"<b>社区 community #{community}</b>，风险 risk {r['risk']:.2f}：{html.escape(mask_text(r['reasons']))}"
        )
        t = self.scores.tenders
        # the tenders where two or more of its members bid, as the drawing's 共同投标 links count them: a tender
        # whose dominant community is another (more of its bidders there) had been left out, so a community
        # drawn with 共同投标 ×1 was said to bid together in 0 tenders
        members = set(self.scores.bidders.index[self.scores.bidders["community"] == community])
        bids = self.scores.graph.bids
        ours = bids[bids["company"].isin(members)].drop_duplicates(["tender", "company"])
        together = ours.groupby("tender").size()
        mine = t.loc[t.index.intersection(together.index[together >= 2])]
        mine = mine.sort_values("risk", ascending=False, kind="stable").head(30)
        cols = [c for c in TENDER_COLUMNS if c in mine.columns]
        # each tender and winner by its name beside its key, as the Warnings tab lists them: the table had shown
        # SZZB2023000089 and 91320585MAM5FN3118 alone, which an investigator had to look up one by one
        keys = [*mine.index, *(mine["winner"].dropna() if "winner" in mine.columns else ())]
        named = (
            named_keys(self.store, keys, unmask=self.identity.unmask, model=self.model, lang=self.lang) if keys else {}
        )
        self.tenders.value = self._table(mine[cols], named)
        n_co = sum(1 for _, a in g.nodes(data=True) if a.get("label") == "Company")
        # the button under this sentence stays grey until a company is clicked: a user clicked it and nothing
        # happened, with no word of what it waits for
        where = self.selection.shown_in
        self.say(
            self.words(
                f"社区 #{community}：企业 {n_co} 家，其他节点 {g.number_of_nodes() - n_co} 个，"
                f"关系 {g.number_of_edges()} 条；共同投标的标段 {len(mine)} 个"
                + (f"；点图中的一家企业，再点“在关系图中查看”在{where}标签页中打开它" if where else ""),
                f"community #{community}: {n_co} companies, {g.number_of_nodes() - n_co} other nodes, "
                f"{g.number_of_edges()} links; {len(mine)} tenders where it bids together"
                + (
                    f"; click a company in the drawing, then open in Explorer opens it in the {where} tab"
                    if where
                    else ""
                ),
            )
        )

    def _table(self, df: pd.DataFrame, named: dict[str, str] | None = None) -> str:
        """The tenders as an HTML table, each column named in Chinese beside its key; a tender and a winner by
        ``named`` (key → ``name (key)``) where given."""
        named = named or {}
        if df.empty:
            return (
                "<p>"
                + self.words("没有两家及以上成员共同投标的标段", "no tender where two or more members bid")
                + "</p>"
            )

        def cell(v):
            if isinstance(v, float):
                return f"{v:.3g}"
            if isinstance(v, str) and v in named:
                return html.escape(named[v])  # masked already, a credit code kept in clear
            return html.escape(mask_text("" if v is None else str(v)))

        def th(c: str) -> str:  # the column's Chinese name, its key beside it, what it holds on hover
            name, means = COLUMN_NOTES.get(c, (c, ""))
            shown = name if c in name else f"{name} {c}"
            return f"<th title='{html.escape(means)}'>{html.escape(shown)}</th>"

        head = "".join(th(c) for c in ["tender", *df.columns])
        rows = "".join(
            f"<tr><td>{cell(str(i))}</td>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>"
            for i, r in zip(df.index, df.itertuples(index=False), strict=True)
        )
        return f"<table class='graphkit-tenders'><tr>{head}</tr>{rows}</table>"

    def _on_click(self, change=None) -> None:
        """Say what the drawing knows of the node clicked, on this tab; the Explorer opens it on the button."""
        g = self.view.graph
        node = self.view.picked_key
        if g is not None and node in g:
            self.picked = (g.nodes[node].get("label", ""), node)
            self.open_button.disabled = False
            where = self.selection.shown_in
            caption = node_caption(node, g.nodes[node], model=self.model)
            self.say(
                self.words(
                    f"已选 {caption}：{self._about(g, node)}"
                    + (f"；点“在关系图中查看”在{where}标签页中打开" if where else ""),
                    f"picked {caption}: {self._about(g, node)}"
                    + (f"; open in Explorer opens it in the {where} tab" if where else ""),
                )
            )

    def open_in_explorer(self, _=None) -> None:
        """Pick the node clicked last for the other panels: a workbench opens it in its Explorer tab."""
        if self.picked is None:
            self.say(self.words("请先在图中点选一家企业", "click a company in the drawing first"), error=True)
            return
        self.selection.pick(*self.picked, self.name)

    def _about(self, g: nx.MultiDiGraph, node: str) -> str:
        """What the drawing says of a clicked node: a company's risk, bids and wins; a shared value's or a
        tender's companies in the community."""
        a = g.nodes[node]
        kind = a.get("label", "")
        if kind == "Company":
            if self.lang == "en":
                parts = [f"risk {a['risk']:.2f}" if a.get("risk") is not None else "not scored"]
                if a.get("bids") is not None:
                    parts.append(f"{a['bids']} bid{'' if a['bids'] == 1 else 's'}, {a.get('wins') or 0} won")
                return ", ".join(parts)
            parts = [f"风险 {a['risk']:.2f}" if a.get("risk") is not None else "未评分"]
            if a.get("bids") is not None:
                parts.append(f"投标 {a['bids']} 次，中标 {a.get('wins') or 0} 次")
            return "，".join(parts)
        n = len({v for v in nx.all_neighbors(g, node) if g.nodes[v].get("label") == "Company"})
        noun = self.model.display_name(kind, self.lang) if kind in self.model.labels else kind
        if kind == "Tender":
            return self.words(f"本社区 {n} 家企业投标的标段", f"tender bid for by {n} of the community's companies")
        return self.words(f"本社区 {n} 家企业共有的{noun}", f"{noun} shared by {n} of the community's companies")
