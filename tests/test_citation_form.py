"""Every face cites a record one way: ``〔family.csv 第2行〕`` in Chinese, ``[family.csv line 2]`` in English
(:func:`graphkit.model.citation`, bracketed by :func:`graphkit.model.cited_as`). A path's hop, the pre-portrait, the
warnings and the case file's list of links did; the hover texts of a link in English cited it bare
(``source: family.csv line 2`` on a map and an HTML case file, ``family.csv line 2`` as a link's title)."""

from __future__ import annotations

import json
import re

import networkx as nx

from graphkit.model import citation
from graphkit.paths import Link, Node, Path, explain
from graphkit.portrait_render import cited
from graphkit.viz import citations, link_title, to_html, tooltip

ZH, EN = citation("family.csv", 2, "zh"), citation("family.csv", 2, "en")
#: a record cited in round brackets, or in none after a colon: the forms no face may write
ROUND = re.compile(
    r"[（(][^（）()]*\.(?:csv|xlsx|jsonl|parquet)[^（）()]* (?:第\d[\d、]*行|(?:line|row)s? \d)[^（）()]*[）)]"
)
BARE = re.compile(r"source: \S+\.(?:csv|xlsx)")


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟")
    g.add_node("q", label="Person", name="李娜", src_file="household.csv", src_row=3)
    g.add_edge("p", "q", type="FAMILY", relationship="spouse", src_file="family.csv", src_row=2)
    return g


def test_the_one_form_is_the_bracketed_provenance():
    assert (ZH, EN) == ("〔family.csv 第2行〕", "[family.csv line 2]")


def test_a_links_hover_text_cites_its_record_as_every_face_does():
    attrs = dict(_graph().edges["p", "q", 0])
    assert link_title(attrs) == "来源" + ZH
    assert link_title(attrs, lang="en") == "source " + EN  # it was family.csv line 2, bare
    assert tooltip("q", dict(_graph().nodes["q"])).endswith("来源" + citation("household.csv", 3, "zh"))


def test_a_maps_hover_text_cites_its_record_in_brackets_in_both_languages(tmp_path):
    for lang, said in (("zh", "来源" + ZH), ("en", "source " + EN)):
        page = to_html(_graph(), tmp_path / f"m_{lang}.html", lang=lang).read_text(encoding="utf-8")
        edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page).group(1))
        tips = [e["title"].splitlines()[-1] for e in edges if e.get("title")]
        assert tips == [said], tips  # it was "source: family.csv line 2" in English
        assert not ROUND.search(page) and not BARE.search(page)


def test_a_paths_hops_the_portrait_and_a_case_files_links_cite_alike():
    path = Path(
        (Node("p", "Person", {"name": "张伟"}), Node("q", "Person", {"name": "李娜"})),
        (Link(1, "FAMILY", "p", "q", "family.csv", 2, {"relationship": "spouse"}),),
    )
    (hop,) = explain(path)
    (hop_en,) = explain(path, lang="en")
    assert hop.endswith(ZH) and hop_en.endswith("  " + EN), (hop, hop_en)
    assert cited("family.csv:2") == ZH and cited("family.csv:2", "en") == " " + EN
    (line,) = citations(_graph())
    (line_en,) = citations(_graph(), lang="en")
    assert line.endswith(ZH) and line_en.endswith(" " + EN), (line, line_en)
    for said in (hop, hop_en, line, line_en, cited("family.csv:2")):
        assert not ROUND.search(said) and not BARE.search(said), said
