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
    from graphkit.stores.base import GraphStore

__all__ = ["write_collusion_reports"]


#: columns in yuan, written to the fen
MONEY = frozenset({"budget", "win_price", "price", "amount"})
#: columns holding companies' credit codes (their own keys, shown in clear as everywhere else)
COMPANY_KEYS = frozenset({"company", "winner", "members"})


def write_collusion_reports(
    scores: KGScores, out: str | Path, *, store: GraphStore | None = None, top: int = 5, unmask: bool = False
) -> dict[str, Path]:
    """Write ``tenders.csv``, ``bidders.csv``, ``communities.csv`` (UTF-8 with BOM, so Excel shows Chinese)
    and, given the store, ``communities.html``: the ``top`` riskiest communities, each company one node with
    co-bidding and shared identifiers as weighted links (:func:`graphkit.evidence.community_graph`: never a
    node per bid), and ``communities.graphml``: their knowledge-graph evidence (identifiers, bids and tenders,
    every edge with its source row). ID numbers, phones and bank accounts in text columns and in the graphs are
    masked unless ``unmask``."""
    import pandas as pd

    from graphkit.model.mask import mask_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, frame in (("tenders", scores.tenders), ("bidders", scores.bidders), ("communities", scores.communities)):
        p = out / f"{name}.csv"
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
            frame[text] = frame[text].map(lambda v: mask_text(v) if isinstance(v, str) else v)
        # money to the fen, other numbers to 6 decimals: "%.6g" wrote a winning bid of 7,701,889.24 as 7.70189e+06
        for c in frame.columns:
            if pd.api.types.is_float_dtype(frame[c]):
                frame[c] = frame[c].round(2 if c in MONEY else 6)
        frame.to_csv(p, index=False, encoding="utf-8-sig")
        paths[name] = p
    if store is not None and top > 0 and len(scores.communities):
        import networkx as nx

        from graphkit.evidence import community_graph
        from graphkit.viz import to_graphml, to_html

        g = community_subgraph(scores, store, scores.communities.index[:top].tolist())
        view = nx.compose_all([community_graph(scores, int(c)) for c in scores.communities.index[:top]])
        n = min(top, len(scores.communities))
        title = (  # in Chinese first, as the legend beside it (the page's title had been English alone)
            f"围标风险最高的 {n} 个投标人社区 Top {n} bidder communities by collusion risk "
            f"({scores.partition.method}, seed {scores.partition.params.get('seed')})"
        )
        paths["html"] = to_html(view, out / "communities.html", title=title, unmask=unmask)
        paths["graphml"] = to_graphml(g, out / "communities.graphml", unmask=unmask)  # for Gephi, yEd, i2
    return paths
