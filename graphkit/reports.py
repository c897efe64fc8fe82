"""Reports written for people from analytics results (faces layer).

:func:`write_collusion_reports` writes the knowledge-graph collusion scores
(:func:`graphkit.collusion.kg.score_store`) as CSV tables for a spreadsheet and, given the store, the
riskiest communities' evidence as an HTML visual and GraphML.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.collusion.kg import KGScores, community_subgraph

if TYPE_CHECKING:
    from collections.abc import Callable

    from graphkit.stores.base import GraphStore

__all__ = ["write_collusion_reports", "read_collusion_report"]


#: columns in yuan, written to the fen
MONEY = frozenset({"budget", "win_price", "price", "amount"})
#: columns holding companies' credit codes (their own keys, shown in clear as everywhere else)
COMPANY_KEYS = frozenset({"company", "winner", "members"})


#: a yes/no column's values in a Chinese report (write_collusion_reports), read back by read_collusion_report
YES_NO_ZH = {True: "是", False: "否"}


def write_collusion_reports(
    scores: KGScores,
    out: str | Path,
    *,
    store: GraphStore | None = None,
    top: int = 5,
    unmask: bool = False,
    progress: Callable[[str], None] | None = None,
    lang: str = "zh",
) -> dict[str, Path]:
    """Write ``tenders.csv``, ``bidders.csv``, ``communities.csv`` (UTF-8 with BOM, so Excel shows Chinese), each
    column headed by its Chinese name (:func:`graphkit.collusion.words.headed`: 标段, 风险, 理由 …, as
    ``score-bids --out`` heads its file), by its key under ``lang="en"`` (tender, risk, reasons …);
    :func:`read_collusion_report` reads either by key. And, given the store, ``communities.html``: the ``top``
    riskiest communities, each company one node with co-bidding and shared identifiers as weighted links
    (:func:`graphkit.evidence.community_graph`: never a node per bid), and ``communities.graphml``: their
    knowledge-graph evidence (identifiers, bids and tenders, every edge with its source row). ID numbers, phones
    and bank accounts in text columns and in the graphs are masked unless ``unmask``.  ``progress`` is called with
    each file's name as it starts (a million-person city's reports take a minute)."""
    import pandas as pd

    from graphkit.collusion.words import headed
    from graphkit.model.mask import mask_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    memo: dict[str, str] = {}  # each distinct text masked once (a city's tenders repeat their words and names)

    def masked(v):
        if not isinstance(v, str):
            return v
        out = memo.get(v)
        if out is None:
            out = memo[v] = mask_text(v)
        return out

    for name, frame in (("tenders", scores.tenders), ("bidders", scores.bidders), ("communities", scores.communities)):
        p = out / f"{name}.csv"
        if progress:
            progress(p.name)
        frame = frame.reset_index()
        if not unmask:
            # text columns whatever pandas calls them (object before pandas 3, ``str`` since): a test
            # of ``dtype == object`` alone masked nothing under pandas 3; a company's credit code is its own key
            # and stays in clear (one of digits only reads like an ID number to the text masker)
            text = [
                c
                for c in frame.columns
                if (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])) and c not in COMPANY_KEYS
            ]
            frame[text] = frame[text].map(masked)
        # money to the fen, other numbers to 6 decimals: "%.6g" wrote a winning bid of 7,701,889.24 as 7.70189e+06
        for c in frame.columns:
            if pd.api.types.is_float_dtype(frame[c]):
                frame[c] = frame[c].round(2 if c in MONEY else 6)
        if lang != "en":  # a yes/no column in the reader's words (单一报价 had read True/False in a Chinese file)
            for c in frame.columns:
                if pd.api.types.is_bool_dtype(frame[c]):
                    frame[c] = frame[c].map(YES_NO_ZH)
        headed(frame, lang).to_csv(p, index=False, encoding="utf-8-sig")
        paths[name] = p
    if store is not None and top > 0 and len(scores.communities):
        from graphkit.viz import to_graphml, to_html

        if progress:
            progress("communities.html")
        g = community_subgraph(scores, store, scores.communities.index[:top].tolist())
        ids = [int(c) for c in scores.communities.index[:top]]  # riskiest first
        view, positions, marks, legend = community_page(scores, ids, lang)
        n = len(ids)
        how = f"{scores.partition.method}, seed {scores.partition.params.get('seed')}"
        title = (  # in the reader's language alone, as the legend beside it (it had set the English after the Chinese)
            f"Top {n} bidder communities by collusion risk ({how})"
            if lang == "en"
            else f"围标风险最高的 {n} 个投标人社区（{how.replace(', seed', '，随机种子')}）"
        )
        paths["html"] = to_html(
            view,
            out / "communities.html",
            title=title,
            unmask=unmask,
            positions=positions,
            marks=marks,
            legend_extra=legend,
            lang=lang,
        )
        paths["graphml"] = to_graphml(g, out / "communities.graphml", unmask=unmask)  # for Gephi, yEd, i2
    return paths


def read_collusion_report(path: str | Path, **kw):
    """A ``tenders.csv``, ``bidders.csv`` or ``communities.csv`` :func:`write_collusion_reports` wrote, its columns
    by key (tender, risk, reasons, members …) whichever language headed them
    (:func:`graphkit.collusion.words.keyed`); ``kw`` goes to :func:`pandas.read_csv` (``dtype=`` by key too)."""
    import pandas as pd

    from graphkit.collusion.words import either_header, keyed

    if isinstance(kw.get("dtype"), dict):  # by key: the header it may have been written under too
        kw["dtype"] = either_header(kw["dtype"])
    frame = keyed(pd.read_csv(path, encoding="utf-8-sig", **kw))
    said = {v: k for k, v in YES_NO_ZH.items()}
    for c in frame.columns:  # 是/否, as a Chinese file writes a yes/no column, read back as True/False
        v = frame[c]
        if (v.dtype == object or pd.api.types.is_string_dtype(v)) and len(v) and v.notna().all() and v.isin(said).all():
            frame[c] = v.map(said).astype(bool)
    return frame


#: how far apart the communities of communities.html are drawn, in units of their own radius
_RING = 2.2


def community_page(scores: KGScores, ids: list[int], lang: str = "zh"):
    """What communities.html draws of the communities ``ids`` (riskiest first): the graph (each company and
    shared value with its ``community`` number, so its tooltip says which one), each node's position, a caption
    per community (``#3 风险 0.94``) above it, and the legend's list of them.

    The riskiest community is drawn in the middle, where the eye lands first, a size that does not depend on
    the others'; the next ones around it, clockwise from the top, in order of risk. The physics layout had put
    the largest cluster in the middle and the riskiest small ones at the edges, with no number to tell which
    drawn cluster was which row of communities.csv."""
    import math

    import networkx as nx

    from graphkit.evidence import community_graph

    graphs = [community_graph(scores, c) for c in ids]
    # a community of more nodes gets more room, the riskiest at least most of the largest one's
    radius = [max(90.0 * math.sqrt(max(len(g), 1)), 250.0) for g in graphs]
    if radius:
        radius[0] = max(radius[0], 0.7 * max(radius))
    local = []
    for g, r in zip(graphs, radius, strict=True):
        pos = nx.spring_layout(nx.Graph(g), seed=0) if len(g) > 1 else {n: (0.0, 0.0) for n in g}
        local.append({n: (float(x) * r, float(y) * r) for n, (x, y) in pos.items()})
    ring = _RING * max(radius, default=0.0)
    positions: dict = {}
    marks = []
    view = nx.MultiDiGraph()
    for k, (c, g, pos, r) in enumerate(zip(ids, graphs, local, radius, strict=True)):
        angle = -math.pi / 2 + 2 * math.pi * (k - 1) / max(len(ids) - 1, 1)
        cx, cy = (0.0, 0.0) if k == 0 else (ring * math.cos(angle), ring * math.sin(angle))
        for n, a in g.nodes(data=True):
            if n not in view:
                view.add_node(n, **a, community=f"#{c}")
                positions[n] = (cx + pos[n][0], cy + pos[n][1])
        view.add_edges_from(g.edges(keys=True, data=True))
        risk = float(scores.communities.loc[c, "risk"])
        # as large as the page is wide when it opens (vis fits every node in): readable without zooming in
        size = max(30.0, 0.07 * ring)
        marks.append((f"#{c} {'risk' if lang == 'en' else '风险'} {risk:.2f}", cx, cy - r - size, size))
    en = lang == "en"  # the legend in the reader's language alone (it had set the English under the Chinese)
    rows = "".join(
        f"<li><b>#{c}</b> {'risk' if en else '风险'} {float(scores.communities.loc[c, 'risk']):.2f} · "
        + (
            f"{int(scores.communities.loc[c, 'size'])} companies{' (centre)' if k == 0 else ''}</li>"
            if en
            else f"{int(scores.communities.loc[c, 'size'])} 家企业{'（居中）' if k == 0 else ''}</li>"
        )
        for k, c in enumerate(ids)
    )
    head = (
        "communities, riskiest first, numbered as communities.csv"
        if en
        else "社区（按风险从高到低，编号同 communities.csv 的“社区”列）"
    )
    legend = f"<div class='head'>{head}</div><ul>{rows}</ul>"
    return view, positions, marks, legend
