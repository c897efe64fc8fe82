"""A case file written under ``--lang en`` is English alone: every Chinese character left in its text is data (a
person's, a unit's or a company's name, a masked address, a plate, the case number, the exporter), never the file's
own words. Its amounts had been captioned ``98.0 万元`` and ``3,600 元``, a folded node ``24 工资发放``, the HTML's
tooltips ``自然人 … 来源: household.csv 第2行``, and the entities and paths asked joined by ``；``."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from fixture_city import TABLES, write_city

from graphkit.cli import main
from graphkit.exports import CaseInfo, write_case_file

CASE = "苏纪2024-017"
BY = "王科长"
#: a run of CJK characters and full-width punctuation (，；：（）、。)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make sysdeps")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def html_text(path: Path) -> str:
    """What an HTML case file shows: its page's text, and each node's and link's label and tooltip."""
    page = path.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    shown = [html.unescape(re.sub(r"<[^>]+>", "\n", body))]
    for name in ("nodes", "edges"):
        found = re.search(name + r" = new vis\.DataSet\((.*?)\);", page, re.S)
        assert found, f"no {name} in {path}"
        for x in json.loads(found.group(1)):
            shown += [str(x.get(k, "")) for k in ("label", "caption", "title")]
    return "\n".join(shown)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def data_values(path: Path) -> str:
    """Every value the graph of a JSON case file holds (node keys, properties, links' properties), as written."""
    data = json.loads(path.read_text(encoding="utf-8"))
    said = [CASE, BY]
    for x in data["nodes"] + data["links"]:
        said += [str(v) for v in x.values()]
    return "\n".join(said)


def not_data(text: str, data: str) -> list[str]:
    """The runs of Chinese in ``text`` that no data value holds (a PDF's text has its spaces dropped: so are the
    data's)."""
    flat = data.replace(" ", "")
    return sorted({run for run in CJK.findall(text) if run not in data and run not in flat})


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """One case file of two neighbourhoods and a path, a hub left out of each, under ``--lang en``: html, pdf and
    the json that holds its data."""
    root = tmp_path_factory.mktemp("english")
    city = write_city(root / "city", TABLES)
    spec = f"embedded:{root / 'c.db'}"
    assert run("load", city, "--store", spec).exit_code == 0
    asked = (
        "--entity",
        "张伟",
        "--entity",
        "苏州市城建局",
        "--path",
        "张伟",
        "李娜",
        "--hops",
        "2",
        "--page-size",
        "3",
    )
    out = {}
    for fmt in ("json", "html", "pdf"):
        out[fmt] = root / f"case.{fmt}"
        r = run("--lang", "en", "export", "--store", spec, *asked, "--case", CASE, "--by", BY, "--out", out[fmt])
        assert r.exit_code == 0, r.output
    return out


def test_the_english_html_case_file_holds_no_chinese_but_its_data(english):
    text = html_text(english["html"])
    assert "¥980,000" in text and "万元" not in text  # the contract's amount in English (it read 98.0 万元)
    assert "2-hop neighbourhood; " in text  # the entities asked joined in English (they were joined by ；)
    assert not_data(text, data_values(english["json"])) == []


@needs_poppler
def test_the_english_pdf_case_file_holds_no_chinese_but_its_data(english):
    text = pdf_text(english["pdf"])
    # the contract by its title and its amount (it was named by its amount alone: its label declared no caption)
    flat = text.replace(" ", "")
    assert "人民路改造工程施工合同¥980,000(K1)" in flat and "万元" not in text
    assert not_data(text, data_values(english["json"])) == []


def test_a_chinese_case_file_keeps_its_amounts_in_chinese(tmp_path):
    """The default stays Chinese: ``98.0 万元``."""
    g = nx.MultiDiGraph()
    g.add_node("u", label="Organization", name="某局", hop=0)
    g.add_node("K1", label="Contract", amount=980000.0, hop=1)
    g.add_edge("K1", "u", type="CONTRACTED_BY", src_file="contracts.csv", src_row=2)
    page = write_case_file(g, tmp_path / "c.html", CaseInfo(CASE, BY)).path
    assert "98.0 万元" in html_text(page)


@pytest.mark.parametrize("fmt", ["html", pytest.param("pdf", marks=needs_poppler)])
def test_a_folded_node_is_captioned_in_english_in_an_english_case_file(tmp_path, fmt):
    """A year's salary rows folded into one node: ``24 工资发放`` had captioned it, and each of its rows in the
    appendix (``［归入 24 工资发放］`` in Chinese; ``[folded into 24 工资发放]`` in English, then
    ``24 payment record``: now ``24 payment records``)."""
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="张伟", hop=0)
    g.add_node("u", label="Organization", name="某局", hop=1)
    g.add_edge("p", "u", type="EMPLOYED_BY", src_file="roster.csv", src_row=2)
    for i in range(24):
        g.add_node(f"b{i}", label="Benefit", kind="salary", amount=8000.0 + i, hop=1)
        g.add_edge(f"b{i}", "p", type="PAID_TO", src_file="payroll.csv", src_row=i + 2)
        g.add_edge(f"b{i}", "u", type="PAID_BY", src_file="payroll.csv", src_row=i + 2)
    out = write_case_file(g, tmp_path / f"c.{fmt}", CaseInfo(CASE, BY, lang="en"))
    assert out.folds == 1
    text = html_text(out.path) if fmt == "html" else pdf_text(out.path)
    data = "\n".join([CASE, BY, "张伟", "某局"])
    assert not_data(text, data) == [], "Chinese in an English case file"
    assert "¥8,000" in text.replace(" ", "")  # a salary row's amount (it read 8,000 元)
    assert "24paymentrecords" in text.replace(" ", "")  # the folded node, in the plural
