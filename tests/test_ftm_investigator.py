"""An investigator's work on real FollowTheMoney exports (the German party donations, read in place): what the
command line and the case files show of a donation, a long Latin name and an FtM key."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure

from graphkit.cli import main
from graphkit.exports.printed import _draw, _fit_end
from graphkit.model import Model
from loaders.ftm import SAMPLE

needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"{SAMPLE} missing (../shared/data)")
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make sysdeps")

DONOR = "Frau Lina Dachner"
DONATION = "2216b422a31242fe204654ce194864661f515921"  # her €100,000 to the MLPD on 2011-12-29
MLPD = "6d03aec76fdeec8f9697d8b19954ab6fc2568bc8"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def donations(tmp_path_factory):
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} missing (../shared/data)")
    spec = f"embedded:{tmp_path_factory.mktemp('ftm') / 'g.db'}"
    r = run("load", "--store", spec, "--ftm", SAMPLE)
    assert r.exit_code == 0, r.output
    return spec


@needs_sample
def test_a_donation_on_a_path_reads_as_its_amount_and_date(donations):
    """``Frau Lina Dachner — paid — payment 2216b422a3… — paid to — MLPD``: the donation said nothing but its
    FtM hash; it reads as what it is."""
    r = run("path", DONOR, "MLPD", "--store", donations, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "payment €100,000 2011-12-29 — paid to — MLPD" in r.output, r.output
    assert DONATION not in r.output
    r = run("path", DONOR, "MLPD", "--store", donations)  # Chinese by default
    assert r.exit_code == 0, r.output
    assert "支付 €100,000 2011-12-29 — 收款方为 — MLPD" in r.output, r.output
    assert DONATION not in r.output


def test_a_payment_is_captioned_by_its_amount_currency_and_date():
    m = Model.default()
    assert m.caption("Payment", {"amount": 113969.15, "currency": "EUR", "date": "2011-12-28"}, "f4fc") == (
        "€113,969.15 2011-12-28"
    )
    assert m.caption("Payment", {"amount": 980000.0, "currency": "CNY"}, "P1") == "¥980,000"
    assert m.caption("Payment", {"amount": None}, "P1") == "P1"  # nothing to say: the key, as before


def _captions(g: nx.MultiDiGraph) -> list[str]:
    import matplotlib

    from graphkit.viz import cjk_font

    # in the case file's font, as write_printed draws: _draw measures its captions to place them clear of the links
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        ax = Figure().add_subplot()
        _draw(ax, g, Model.default(), {})
    return [t.get_text() for t in ax.texts]


def test_a_long_latin_name_under_its_node_is_broken_between_words_not_cut_in_one():
    """The PDF's drawing read ``Frau Dr. Irene Ni…``; a Chinese name is still cut at 18 characters."""
    g = nx.MultiDiGraph()
    g.add_node("p", label="Person", name="Frau Dr. Irene Nierstenhöfer", hop=0)
    g.add_node("c", label="Company", name="Economico Fundos de Pensões - Sociedade Gestora de Fundos", hop=1)
    g.add_node("u", label="Organization", name="张家港市教育局2023年审计服务采购项目组", hop=1)
    g.add_edge("p", "c", type="SHAREHOLDER_OF")
    g.add_edge("u", "c", type="FTM_LINK")
    texts = _captions(g)
    assert "Frau Dr. Irene\nNierstenhöfer" in texts, texts
    words = {w for t in texts for w in re.split(r"[\s…]+", t) if w}
    assert words <= set("Frau Dr. Irene Nierstenhöfer Economico Fundos de Pensões - Sociedade Gestora".split()) | {
        "张家港市教育局2023年审计服务采"
    }, words  # every Latin word whole
    assert "张家港市教育局2023年审计服务采…" in texts


def test_an_appendix_end_keeps_a_long_key_s_head_and_tail_and_the_name_whole():
    """``MLPD (6d03aec76fdeec8f9697d8b19954ab6fc2…`` was cut in its key, the rule being never; an 82-character
    Aleph id cannot fit a column, so it keeps its head and tail, and the name what it can of whole words."""
    mlpd = _fit_end(f"MLPD ({MLPD})", 46)
    assert mlpd.startswith("MLPD (6d03aec7") and mlpd.endswith("568bc8)") and "…" in mlpd, mlpd
    person = _fit_end("Frau Dr. Irene Nierstenhöfer (0de4**********11c6)", 46)
    assert person.endswith("11c6)") and person.startswith("Frau Dr. Irene"), person
    assert "Niersten…" not in person  # a word is not cut in its middle
    short = "张家港市教育局2023年审计服务采购项目 (3205**********3414)"  # a key that fits is kept whole, as before
    assert _fit_end(short, 46).endswith("(3205**********3414)")


@needs_sample
@needs_poppler
def test_a_donor_s_case_file_shows_the_donation_and_the_party_s_key(donations, tmp_path):
    out = tmp_path / "d.pdf"
    r = run("export", "--store", donations, "--entity", DONOR, "--hops", "2", "--case", "FTM-1", "--out", out)
    assert r.exit_code == 0, r.output
    raw = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = raw.replace(" ", "")  # pdftotext -raw drops some spaces between words and keeps others
    assert "€100,0002011-12-29" in text, raw
    assert DONATION[:17] + "…" not in text  # drawn as what it is, not its hash cut (the appendix cites the key)
    # the appendix's row of the donation paid to MLPD, its link said in the file's language (收款方, Chinese by default)
    row = next(ln for ln in text.splitlines() if "收款方" in ln and "MLPD" in ln)
    assert "MLPD(6d03aec7" in row and "568bc8)" in row, row


@needs_sample
def test_a_person_met_as_a_hub_is_named_masked_in_the_file_and_on_the_console(donations, tmp_path):
    """A case file names the hubs it lists without their links; a person among them (here the donor, of 2 links over
    --page-size 1) was named with her FtM key in clear, in the file's ``omitted`` and on the console, where her
    node and ``neighbours`` show it masked."""
    out = tmp_path / "hub.json"
    r = run("export", "--store", donations, "--entity", DONATION, "--hops", "2", "--page-size", "1", "--case", "F-5",
            "--out", out)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Frau Lina Dachner (f9c2" in r.output and DONOR_KEY not in r.output, r.output
    text = out.read_text(encoding="utf-8")
    assert "Frau Lina Dachner (f9c2" in text and DONOR_KEY not in text


def test_the_load_table_stays_in_columns_with_a_long_file_name(tmp_path):
    """``icij_luanda_leaks.aleph.ftm.jsonl`` (33 characters) pushed its row 10 columns right of the header."""
    f = tmp_path / "icij_luanda_leaks.aleph.ftm.jsonl"
    f.write_text('{"id": "c1", "schema": "Company", "properties": {"name": ["Unitel S.A."]}}\n', encoding="utf-8")
    r = run("load", "--store", f"embedded:{tmp_path / 'g.db'}", "--ftm", f, "--lang", "en")  # the English header
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    head = next(ln for ln in lines if ln.startswith("file"))
    row = next(ln for ln in lines if ln.startswith(f.name))
    total = next(ln for ln in lines if ln.startswith("total"))
    end = head.index("read") + len("read")
    assert row[:end].endswith(" 1") and total[:end].endswith(" 1"), (head, row, total)
    assert len(row) == len(head) == len(total)


DONOR_KEY = "f9c295f21b233ac878fbac4d271bb6fd13d7952a"


@needs_sample
def test_find_and_neighbours_json_mask_a_person_s_key_as_neighbours_and_the_explorer_do(donations):
    """``neighbours`` and the Explorer showed a donor's FtM key masked, ``find`` (text and JSON) and
    ``neighbours --json`` (seed, hubs, nodes, links) and ``path --json`` in clear: one face undid what another
    masked."""
    for args in (
        ("find", DONOR),
        ("find", DONOR, "--json"),
        ("neighbours", DONOR, "--json"),
        ("path", DONOR, "MLPD", "--json"),
    ):
        r = run(*args, "--store", donations)
        assert r.exit_code == 0, r.output
        assert DONOR_KEY not in r.stdout and "f9c2" in r.stdout and "952a" in r.stdout, (args, r.stdout)
    party = run("neighbours", "MLPD", "--store", donations, "--hops", "1", "--json")
    assert party.exit_code == 0 and MLPD in party.stdout  # an organisation's key stays in clear
    past = run("neighbours", DONOR, "--store", donations, "--page", "9")
    assert past.exit_code != 0 and "超出了最后一页" in past.output and DONOR_KEY not in past.output
    # the audit log's reader sees the key as these commands showed it: `audit show` printed it in clear in the
    # records' keys, the entity typed and (--json, --out) their persons; a path not found had named no person
    mine = run("neighbours", DONOR_KEY, "--store", donations, "--hops", "1")
    nopath = run("path", DONOR, "MLPD", "--store", donations, "--max-hops", "1")
    assert mine.exit_code == 0 and nopath.exit_code == 1 and DONOR_KEY not in mine.output + nopath.output
    review = donations.split(":", 1)[1] + ".review.csv"
    for args in ((), ("--json",), ("--out", review)):
        r = run("audit", "show", "--store", donations, *args)
        assert r.exit_code == 0 and "f9c2" in r.stdout, (args, r.output)
        assert DONOR_KEY not in r.stdout and DONOR_KEY not in r.output, (args, r.stdout)
    text = Path(review).read_text(encoding="utf-8-sig")
    assert "f9c2" in text and DONOR_KEY not in text


def test_a_case_file_does_not_name_a_masked_person_key_in_another_entity_s_properties(store, tmp_path):
    """The Luanda Leaks ownership's ``ftm_properties`` (``owner``) and the person's Aleph URL carried Isabel dos
    Santos's key in clear in a case file whose nodes showed it masked; a graph attribute keyed by it (``hubs``)
    too."""
    from graphkit import paths
    from graphkit.exports import CaseInfo, write_case_file
    from loaders.ftm import load_ftm

    key = "dfa01f04a87a4ce0f1e0f96a85d260a3249ab64a.55a9dce8b39b75b175aa04258f1cb35e7a42d2ee"
    f = tmp_path / "l.ftm.jsonl"
    lines = [
        {
            "id": key,
            "schema": "Person",
            "properties": {
                "name": ["Isabel dos Santos"],
                "alephUrl": [f"https://aleph.occrp.org/api/2/entities/{key}"],
            },
        },
        {"id": "c1", "schema": "Company", "properties": {"name": ["Unitel S.A."]}},
        {"id": "o1", "schema": "Ownership", "properties": {"owner": [key], "asset": ["c1"], "percentage": ["25"]}},
    ]
    f.write_text("\n".join(__import__("json").dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert load_ftm(f, store).ok
    g = paths.with_properties(store, paths.neighbourhood(store, ("Company", "c1"), hops=1))
    g.graph["hubs"] = {key: 109}
    for fmt in ("json", "graphml", "gexf"):
        write_case_file(g, tmp_path / f"c.{fmt}", CaseInfo("FTM-4", "王科长"))
        text = (tmp_path / f"c.{fmt}").read_text(encoding="utf-8")
        assert "Isabel dos Santos" in text and key not in text and key[:40] not in text, fmt
