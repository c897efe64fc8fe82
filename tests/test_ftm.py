"""FtM JSON-lines importer: the German party-donations sample and hand-written edge cases."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.model.keys import link_id
from graphkit.stores.embedded import EmbeddedStore
from loaders.ftm import SAMPLE, load_ftm
from loaders.report import LoadError

SAMPLE_NODES = {"Payment": 290, "Company": 56, "Person": 22, "Organization": 17, "Address": 89}
# addressEntity values in the sample: 24 on people, 69 on companies, 10 on organisations
SAMPLE_RELS = {"PAYER": 290, "BENEFICIARY": 290, "HAS_ADDRESS": 103}

# Petuelring 130, 80788 München: the one address two BMW company records share
BMW_ADDRESS = "71fc57d5789f3a0da3a60cd62960d5d775963da9"
BMW_COMPANIES = {
    "21cc81bf3b960d2847b66c6c862e7aa9b5e4f487": "Bayerische Motorenwerke AG",
    "12570ee94b8dc23bcc080e887539d3742b2a5237": "Bayerische Motorenwerke (BMW) AG",
}


def nonzero(counts: dict[str, dict[str, int]]) -> tuple[dict[str, int], dict[str, int]]:
    return ({k: v for k, v in counts["nodes"].items() if v}, {k: v for k, v in counts["relationships"].items() if v})


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def test_sample_is_read_in_place():
    assert SAMPLE.is_file()
    assert "shared" in SAMPLE.parts and "main" not in SAMPLE.parts


def test_sample_loads_with_exact_counts(store):
    report = load_ftm(SAMPLE, store)
    assert report.ok
    assert report.totals() == {"read": 474, "loaded": 474, "quarantined": 0}
    assert report.quarantine == []
    assert report.files[0].reconciles and report.files[0].file == "donations.ftm.jsonl"
    assert dict(report.created()) == {**SAMPLE_NODES, **SAMPLE_RELS}
    nodes, rels = nonzero(store.counts())
    assert nodes == SAMPLE_NODES
    assert rels == SAMPLE_RELS


def test_every_payment_has_one_payer_and_one_beneficiary(store):
    load_ftm(SAMPLE, store)
    payers = store.run("MATCH (p:Payment)-[:PAYER]->(x) RETURN p.id AS p, label(x) AS lab")
    bens = store.run("MATCH (p:Payment)-[:BENEFICIARY]->(x) RETURN p.id AS p, label(x) AS lab")
    assert len(payers) == 290 and payers["p"].nunique() == 290
    assert len(bens) == 290 and bens["p"].nunique() == 290
    assert payers["lab"].value_counts().to_dict() == {"Company": 200, "Person": 48, "Organization": 42}
    assert bens["lab"].value_counts().to_dict() == {"Organization": 290}
    # line 4 of the file: Frau Lina Dachner gave EUR 100,000 to the MLPD on 2011-12-29
    row = store.run(
        "MATCH (x)<-[:PAYER]-(p:Payment {id: $id})-[:BENEFICIARY]->(b) "
        "RETURN x.name AS payer, b.name AS ben, p.amount AS amount, p.currency AS cur, p.date AS d, "
        "p.src_file AS f, p.src_row AS r",
        id="2216b422a31242fe204654ce194864661f515921",
    )
    assert len(row) == 1
    assert row.iloc[0].to_dict() == {
        "payer": "Frau Lina Dachner",
        "ben": "MLPD",
        "amount": 100000.0,
        "cur": "EUR",
        "d": pd.Timestamp("2011-12-29"),
        "f": "donations.ftm.jsonl",
        "r": 4,
    }


def test_second_import_creates_nothing(store):
    load_ftm(SAMPLE, store)
    before = store.counts()
    again = load_ftm(SAMPLE, store)
    assert again.totals() == {"read": 474, "loaded": 474, "quarantined": 0}
    assert sum(again.created().values()) == 0
    assert store.counts() == before


def test_shared_address_links_two_donors(store):
    load_ftm(SAMPLE, store)
    df = store.run(
        "MATCH (c)-[:HAS_ADDRESS]->(a:Address {id: $a}) RETURN c.id AS id, c.name AS name, "
        "label(c) AS lab, a.full AS full",
        a=BMW_ADDRESS,
    )
    assert len(df) == 2
    assert dict(zip(df["id"], df["name"], strict=True)) == BMW_COMPANIES
    assert set(df["lab"]) == {"Company"} and set(df["full"]) == {"Petuelring 130, 80788 München"}
    donations = store.run(
        "MATCH (p:Payment)-[:PAYER]->(c:Company) WHERE c.id IN $ids RETURN c.id AS id, count(p) AS n",
        ids=list(BMW_COMPANIES),
    )
    assert dict(zip(donations["id"], donations["n"], strict=True)) == {
        "21cc81bf3b960d2847b66c6c862e7aa9b5e4f487": 30,
        "12570ee94b8dc23bcc080e887539d3742b2a5237": 1,
    }


def test_bad_rows_are_quarantined_with_line_numbers(store, tmp_path):
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada  Lovelace"], "addressEntity": ["a1"]}},
            '{"id": "broken", "schema": "Person", "properties": ',  # line 2
            {"id": "v1", "schema": "Starship", "properties": {"name": ["Beagle"]}},  # line 3
            {
                "id": "x1",
                "schema": "Payment",  # line 4
                "properties": {"amountEur": ["10"], "payer": ["p1"], "beneficiary": ["nowhere"]},
            },
            {"id": "a1", "schema": "Address", "properties": {"full": ["1 Lane, London"], "city": ["London"]}},
            "",
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            {
                "id": "x2",
                "schema": "Payment",
                "properties": {"amount": ["5"], "currency": ["GBP"], "payer": ["p1"], "beneficiary": ["c1"]},
            },
        ],
    )
    report = load_ftm(path, store)
    got = [(q.file, q.row, q.column, q.value) for q in report.quarantine]
    assert len(got) == 3
    assert got == [
        ("bad.jsonl", 2, "line", '{"id": "broken", "schema": "Person", "properties": '),
        ("bad.jsonl", 3, "schema", "Starship"),
        ("bad.jsonl", 4, "beneficiary", "nowhere"),
    ]
    assert "malformed JSON" in report.quarantine[0].reason
    assert "FtM has no schema 'Starship'" in report.quarantine[1].reason
    assert "neither in the file nor in the store" in report.quarantine[2].reason
    assert report.totals() == {"read": 7, "loaded": 4, "quarantined": 3}
    assert report.files[0].reconciles
    nodes, rels = nonzero(store.counts())
    assert nodes == {"Person": 1, "Company": 1, "Address": 1, "Payment": 1}
    assert rels == {"HAS_ADDRESS": 1, "PAYER": 1, "BENEFICIARY": 1}
    pay = store.run("MATCH (p:Payment) RETURN p.id AS id, p.amount AS a, p.currency AS c")
    assert pay.to_dict("records") == [{"id": "x2", "a": 5.0, "c": "GBP"}]
    assert store.run("MATCH (p:Person) RETURN p.name AS n")["n"].tolist() == ["Ada Lovelace"]


def test_quarantine_cascades_to_lines_that_refer_to_a_quarantined_entity(store, tmp_path):
    path = write_jsonl(
        tmp_path / "cascade.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"birthDate": ["1815-12-10"]}},  # no name
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            {"id": "e1", "schema": "Employment", "properties": {"employee": ["p1"], "employer": ["c1"]}},
        ],
    )
    report = load_ftm(path, store)
    assert [(q.row, q.column, q.value) for q in report.quarantine] == [(1, "name", ""), (3, "employee", "p1")]
    assert "quarantined (line 1)" in report.quarantine[1].reason
    assert report.totals() == {"read": 3, "loaded": 1, "quarantined": 2}
    assert nonzero(store.counts()) == ({"Company": 1}, {})


def test_reference_resolves_from_the_store(store, tmp_path):
    first = write_jsonl(
        tmp_path / "people.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada Lovelace"]}},
            {"id": "o1", "schema": "PublicBody", "properties": {"name": ["Royal Society"]}},
        ],
    )
    second = write_jsonl(
        tmp_path / "payments.jsonl",
        [{"id": "x1", "schema": "Payment", "properties": {"amountEur": ["7"], "payer": ["o1"], "beneficiary": ["p1"]}}],
    )
    assert load_ftm(first, store).totals()["loaded"] == 2
    report = load_ftm(second, store, progress=True)
    assert report.totals() == {"read": 1, "loaded": 1, "quarantined": 0}
    assert dict(report.created()) == {"Payment": 1, "PAYER": 1, "BENEFICIARY": 1}
    df = store.run(
        "MATCH (o:Organization)<-[:PAYER]-(:Payment)-[:BENEFICIARY]->(p:Person) RETURN o.kind AS kind, p.id AS p"
    )
    assert df.to_dict("records") == [{"kind": "government", "p": "p1"}]


def test_interval_and_value_mappings(store, tmp_path):
    path = write_jsonl(
        tmp_path / "ties.jsonl",
        [
            {
                "id": "own1",
                "schema": "Ownership",
                "properties": {"owner": ["p1"], "asset": ["c1"], "percentage": ["25.5"]},
            },
            {
                "id": "p1",
                "schema": "Person",
                "properties": {
                    "name": ["Ada Lovelace"],
                    "gender": ["female"],
                    "birthDate": ["1815-12-10"],
                    "phone": ["+44 20 7946 0018"],
                },
            },
            {"id": "p2", "schema": "Person", "properties": {"name": ["William King"], "gender": ["male"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"], "phone": ["+44 20 7946 0018"]}},
            {
                "id": "fam1",
                "schema": "Family",
                "properties": {"person": ["p1"], "relative": ["p2"], "relationship": ["Husband"]},
            },
            {
                "id": "dir1",
                "schema": "Directorship",
                "properties": {"director": ["p2"], "organization": ["c1"], "role": ["Chairman"]},
            },
            {
                "id": "emp1",
                "schema": "Employment",
                "properties": {
                    "employee": ["p1"],
                    "employer": ["c1"],
                    "role": ["Analyst"],
                    "startDate": ["1843-01-01"],
                },
            },
            {"id": "b1", "schema": "BankAccount", "properties": {"bankName": ["Coutts"]}},
            {"id": "p3", "schema": "Person", "properties": {"name": ["Charles Babbage"], "birthDate": ["1791"]}},
        ],
    )
    report = load_ftm(path, store)
    assert report.quarantine == [] and report.dropped == []
    assert report.totals() == {"read": 9, "loaded": 9, "quarantined": 0}
    nodes, rels = nonzero(store.counts())
    assert nodes == {"Person": 3, "Company": 1, "Phone": 1, "BankAccount": 1}
    # a year alone is a valid FtM date; the model's date column cannot hold it, ftm_properties keeps it
    babbage = store.run("MATCH (p:Person {id: 'p3'}) RETURN p.birth_date AS b, p.ftm_properties AS f").iloc[0]
    assert babbage["b"] is None or babbage["b"] != babbage["b"]
    assert json.loads(babbage["f"])["birthDate"] == ["1791"]
    assert rels == {"SHAREHOLDER_OF": 1, "FAMILY": 1, "EXECUTIVE_OF": 1, "EMPLOYED_BY": 1, "HAS_PHONE": 2}
    ada = store.run("MATCH (p:Person {id: 'p1'}) RETURN p.gender AS g, p.birth_date AS b").iloc[0].to_dict()
    assert ada == {"g": "女", "b": pd.Timestamp("1815-12-10")}
    ties = store.run(
        "MATCH (a)-[r]->(b) WHERE label(r) IN ['SHAREHOLDER_OF', 'FAMILY', 'EXECUTIVE_OF', "
        "'EMPLOYED_BY'] RETURN r.id AS id, a.id AS a, b.id AS b, r.src_row AS row ORDER BY row"
    )
    assert ties.to_dict("records") == [
        {"id": link_id("own1"), "a": "p1", "b": "c1", "row": 1},  # key: the FtM id
        {"id": link_id("fam1"), "a": "p1", "b": "p2", "row": 5},
        {"id": link_id("dir1"), "a": "p2", "b": "c1", "row": 6},
        {"id": link_id("emp1"), "a": "p1", "b": "c1", "row": 7},
    ]
    props = store.run(
        "MATCH ()-[s:SHAREHOLDER_OF]->() MATCH ()-[f:FAMILY]->() MATCH ()-[e:EXECUTIVE_OF]->() "
        "MATCH ()-[m:EMPLOYED_BY]->() RETURN s.percent AS pct, f.relationship AS rel, "
        "e.title AS title, m.post AS post, m.start_date AS start"
    )
    assert props.iloc[0].to_dict() == {
        "pct": 25.5,
        "rel": "spouse",
        "title": "Chairman",
        "post": "Analyst",
        "start": pd.Timestamp("1843-01-01"),
    }
    phones = store.run("MATCH (x)-[r:HAS_PHONE]->(ph:Phone) RETURN x.id AS xid, ph.id AS ph, r.id AS id ORDER BY xid")
    assert phones.to_dict("records") == [
        {"xid": "c1", "ph": "+442079460018", "id": link_id("HAS_PHONE|c1|+442079460018")},
        {"xid": "p1", "ph": "+442079460018", "id": link_id("HAS_PHONE|p1|+442079460018")},
    ]


def test_relationship_between_undeclared_labels_falls_back_to_the_generic_link(store, tmp_path):
    path = write_jsonl(
        tmp_path / "pair.jsonl",
        [
            {"id": "a1", "schema": "Address", "properties": {"full": ["1 Lane"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            {"id": "own1", "schema": "Ownership", "properties": {"owner": ["c1"], "asset": ["a1"]}},
        ],
    )
    report = load_ftm(path, store)
    assert report.quarantine == []
    assert report.totals() == {"read": 3, "loaded": 3, "quarantined": 0}
    link = store.run("MATCH (c:Company)-[r:FTM_LINK]->(a:Address) RETURN r.ftm_schema AS s, r.id AS id")
    assert link.to_dict("records") == [{"s": "Ownership", "id": link_id("own1")}]


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_unreadable_file_raises_load_error_naming_it(store, tmp_path, kind):
    path = tmp_path / "absent.jsonl"
    if kind == "directory":
        path = tmp_path / "folder.jsonl"
        path.mkdir()
    with pytest.raises(LoadError, match=path.name):
        load_ftm(path, store)
    assert nonzero(store.counts()) == ({}, {})


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_line_order_does_not_change_the_graph(seed):
    lines = [x for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x.strip()]
    random.Random(seed).shuffle(lines)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "shuffled.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        with EmbeddedStore(Path(d) / "g.db") as s:
            s.create_schema()
            report = load_ftm(path, s)
            assert report.totals() == {"read": 474, "loaded": 474, "quarantined": 0}
            assert nonzero(s.counts()) == (SAMPLE_NODES, SAMPLE_RELS)


# --------------------------------------------------------------- every link keeps its FtM block and dates
def test_every_link_from_an_ftm_entity_keeps_its_schema_properties_and_dates(store, tmp_path):
    path = write_jsonl(
        tmp_path / "dated.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada Lovelace"]}},
            {"id": "p2", "schema": "Person", "properties": {"name": ["William King"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            {
                "id": "own1",
                "schema": "Ownership",
                "properties": {
                    "owner": ["p1"],
                    "asset": ["c1"],
                    "startDate": ["1840-01-02"],
                    "endDate": ["1850-03-04"],
                },
            },
            {
                "id": "fam1",
                "schema": "Family",
                "properties": {"person": ["p1"], "relative": ["p2"], "endDate": ["1852-11-27"]},
            },
            {
                "id": "dir1",
                "schema": "Directorship",
                "properties": {"director": ["p2"], "organization": ["c1"], "startDate": ["1841-05-06"]},
            },
            {
                "id": "emp1",
                "schema": "Employment",
                "properties": {"employee": ["p1"], "employer": ["c1"], "role": ["Analyst"]},
            },
        ],
    )
    assert load_ftm(path, store).quarantine == []
    rows = store.run(
        "MATCH ()-[r]->() WHERE label(r) IN ['SHAREHOLDER_OF', 'FAMILY', 'EXECUTIVE_OF', 'EMPLOYED_BY'] "
        "RETURN label(r) AS t, r.ftm_schema AS s, r.ftm_properties AS p, r.start_date AS a, r.end_date AS b ORDER BY t"
    )
    got = {r.t: (r.s, json.loads(r.p), r.a, r.b) for r in rows.itertuples()}
    nat = pd.NaT
    assert {t: (s, a if a == a else nat, b if b == b else nat) for t, (s, _, a, b) in got.items()} == {
        "EMPLOYED_BY": ("Employment", nat, nat),
        "EXECUTIVE_OF": ("Directorship", pd.Timestamp("1841-05-06"), nat),
        "FAMILY": ("Family", nat, pd.Timestamp("1852-11-27")),
        "SHAREHOLDER_OF": ("Ownership", pd.Timestamp("1840-01-02"), pd.Timestamp("1850-03-04")),
    }
    assert got["SHAREHOLDER_OF"][1]["owner"] == ["p1"] and got["EMPLOYED_BY"][1]["role"] == ["Analyst"]


def test_the_table_check_fails_when_a_type_would_drop_the_ftm_block():
    from dataclasses import replace

    from graphkit.model import Model, ModelError
    from loaders.ftm import mapping

    table = mapping()
    table.check(Model.default())
    broken = replace(
        table, edges={**table.edges, "Ownership": replace(table.edges["Ownership"], name="PART_OF", props={})}
    )
    with pytest.raises(
        ModelError, match="relationship PART_OF holds FtM entities but declares no ftm_properties, ftm_schema"
    ):
        broken.check(Model.default())
    broken = replace(
        table, nodes={**table.nodes, "Vehicle": replace(table.nodes["Vehicle"], name="FuelCard", props={})}
    )
    with pytest.raises(ModelError, match="label FuelCard holds FtM entities"):
        broken.check(Model.default())


# --------------------------------------------------------------- several files are one set
def test_files_of_a_folder_load_as_one_set_whatever_their_order(store, tmp_path):
    from loaders.engine import load_dir

    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(
        folder / "a_links.ftm.jsonl",
        [
            {"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c1"]}},
            {"id": "own2", "schema": "Ownership", "properties": {"owner": ["nobody"], "asset": ["c1"]}},
            {"id": "p1", "schema": "Person", "properties": {"birthDate": ["1815-12-10"]}},  # a fragment
        ],
    )
    write_jsonl(
        folder / "b_entities.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada Lovelace"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            "{not json",
        ],
    )
    report, _ = load_dir(folder, store)
    assert [(f.file, f.read, f.loaded, f.quarantined) for f in report.files] == [
        ("a_links.ftm.jsonl", 3, 2, 1),
        ("b_entities.ftm.jsonl", 3, 2, 1),
    ]
    assert all(f.reconciles for f in report.files)
    assert [(q.file, q.row, q.column) for q in report.quarantine] == [
        ("b_entities.ftm.jsonl", 3, "line"),
        ("a_links.ftm.jsonl", 2, "owner"),
    ]
    assert "neither in the files nor in the store" in report.quarantine[1].reason
    nodes, rels = nonzero(store.counts())
    assert nodes == {"Person": 1, "Company": 1} and rels == {"SHAREHOLDER_OF": 1}
    ada = store.run("MATCH (p:Person) RETURN p.name AS n, p.birth_date AS b, p.src_file AS f").iloc[0].to_dict()
    assert ada == {"n": "Ada Lovelace", "b": pd.Timestamp("1815-12-10"), "f": "a_links.ftm.jsonl"}


def test_load_ftm_takes_a_list_of_files(store, tmp_path):
    links = write_jsonl(
        tmp_path / "l.ftm.jsonl", [{"id": "f", "schema": "Family", "properties": {"person": ["a"], "relative": ["b"]}}]
    )
    people = write_jsonl(
        tmp_path / "p.ftm.jsonl",
        [{"id": i, "schema": "Person", "properties": {"name": [f"Person {i}"]}} for i in "ab"],
    )
    report = load_ftm([links, people], store)
    assert report.totals() == {"read": 3, "loaded": 3, "quarantined": 0}
    assert dict(report.created()) == {"Person": 2, "FAMILY": 1}


# --------------------------------------------------------------- re-import: stored entities are left as they are
def test_reimport_says_which_entities_were_left_as_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_LANG", "en")  # the load console's English words
    from click.testing import CliRunner

    from graphkit.cli import main

    first = write_jsonl(
        tmp_path / "v1.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada Lovelace"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            {"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c1"]}},
        ],
    )
    second = write_jsonl(
        tmp_path / "v2.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada King"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            {
                "id": "own1",
                "schema": "Ownership",
                "properties": {"owner": ["p1"], "asset": ["c1"], "percentage": ["60"]},
            },
            {"id": "p2", "schema": "Person", "properties": {"name": ["Charles Babbage"]}},
        ],
    )
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.create_schema()
        load_ftm(first, s)
        report = load_ftm(second, s)
        assert dict(report.files[0].kept) == {"Person": 1, "Company": 1, "SHAREHOLDER_OF": 1}
        assert dict(report.created()) == {"Person": 1}
        assert report.files[0].notes() == [
            "v2.ftm.jsonl: 3 entities already in the store were left as stored (1 Company, 1 Person, "
            "1 SHAREHOLDER_OF; graphkit does not update stored entities: load a newer release into a new store)"
        ]
        assert json.loads(report.to_json())["files"][0]["kept"] == {"Person": 1, "Company": 1, "SHAREHOLDER_OF": 1}
    out = CliRunner().invoke(main, ["load", "--store", f"embedded:{tmp_path / 'g.db'}", "--ftm", str(second)])
    assert out.exit_code == 0, out.output
    assert "note: v2.ftm.jsonl: 4 entities already in the store were left as stored" in out.output


# --------------------------------------------------------------- FtM and a neo4j-admin import folder
def test_ftm_into_a_neo4j_import_folder_is_refused_before_anything_is_written(tmp_path):
    from click.testing import CliRunner

    from graphkit.cli import main
    from loaders.engine import load_dir

    f = write_jsonl(tmp_path / "x.ftm.jsonl", [{"id": "p1", "schema": "Person", "properties": {"name": ["Ada"]}}])
    out_dir = tmp_path / "import"
    out = CliRunner().invoke(main, ["load", "--neo4j-import-dir", str(out_dir), "--ftm", str(f)])
    assert out.exit_code == 2 and out.exception is None or isinstance(out.exception, SystemExit)
    assert "x.ftm.jsonl" in out.output and "FtM 要在库中解析引用" in out.output  # (English: --lang en)
    assert not out_dir.exists()
    out = CliRunner().invoke(main, ["load", "--neo4j-import-dir", str(out_dir), "--ftm", str(f), "--lang", "en"])
    assert "x.ftm.jsonl" in out.output and "FtM needs a store to resolve references" in out.output
    assert not out_dir.exists()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "y.ftm.json").write_bytes(f.read_bytes())
    out = CliRunner().invoke(main, ["load", str(folder), "--neo4j-import-dir", str(out_dir)])
    assert out.exit_code == 2 and "y.ftm.json" in out.output and not out_dir.exists()
    from graphkit.stores.import_dir import Neo4jImportDir

    with Neo4jImportDir(tmp_path / "api") as target, pytest.raises(LoadError, match="neo4j-admin import folder"):
        load_dir(folder, target)


# --------------------------------------------------------------- file shapes
PEOPLE = [
    {"id": "a1", "schema": "Person", "properties": {"name": ["Alice Example"]}},
    {"id": "a2", "schema": "Person", "properties": {"name": ["Bob Example"]}},
]


def test_a_byte_order_mark_on_line_one_is_skipped(store, tmp_path):
    path = tmp_path / "bom.ftm.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(x) for x in PEOPLE).encode())
    report = load_ftm(path, store)
    assert report.quarantine == [] and report.totals() == {"read": 2, "loaded": 2, "quarantined": 0}


@pytest.mark.parametrize("shape", ["pretty", "one_line", "gzip_no_suffix", "gz_suffix_plain", "statements"])
def test_file_shapes_are_sniffed(store, tmp_path, shape):
    import gzip

    lines = "\n".join(json.dumps(x) for x in PEOPLE).encode()
    path = tmp_path / ("x.ftm.jsonl.gz" if shape == "gz_suffix_plain" else "x.ftm.json")
    if shape == "pretty":
        path.write_text(json.dumps(PEOPLE, indent=2), encoding="utf-8")
    elif shape == "one_line":
        path.write_text(json.dumps(PEOPLE), encoding="utf-8")
    elif shape == "gzip_no_suffix":
        path.write_bytes(gzip.compress(lines))
    elif shape == "gz_suffix_plain":
        path.write_bytes(lines)
    else:
        from followthemoney.statement import Statement
        from followthemoney.statement.serialize import CSVStatementWriter

        path = tmp_path / "statements.csv"
        stmts = [Statement(e["id"], "name", "Person", e["properties"]["name"][0], "test") for e in PEOPLE]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = CSVStatementWriter(fh)
            for stmt in stmts:
                writer.write(stmt)
            writer.close()
    report = load_ftm(path, store)
    assert report.quarantine == [], report.quarantine
    assert report.totals() == {"read": 2, "loaded": 2, "quarantined": 0}
    assert nonzero(store.counts())[0] == {"Person": 2}
    if shape in ("pretty", "one_line"):
        assert report.files[0].notes() == ["x.ftm.json: read as a JSON array: rows are element numbers"]
    if shape == "statements":
        assert "statements CSV" in report.files[0].notes()[0]


def test_binary_data_and_a_broken_array_are_one_error_not_a_quarantine(store, tmp_path):
    junk = tmp_path / "junk.ftm.json"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError, match=r"junk\.ftm\.json: binary data, not FtM entities"):
        load_ftm(junk, store)
    broken = tmp_path / "broken.ftm.json"
    broken.write_text(json.dumps(PEOPLE, indent=2)[:-3], encoding="utf-8")
    with pytest.raises(LoadError, match=r"broken\.ftm\.json: a JSON array that is not valid JSON"):
        load_ftm(broken, store)
    assert sum(nonzero(store.counts())[0].values()) == 0


def test_a_gzip_file_cut_short_is_said_so_in_either_language(store, tmp_path):
    """A download cut short: the refusal had ended in zlib's English ("Compressed file ended before the
    end-of-stream marker was reached") inside the Chinese line."""
    import gzip

    from loaders.words import load_zh

    whole = gzip.compress("\n".join(json.dumps(x) for x in PEOPLE * 50).encode())
    path = tmp_path / "cut.ftm.jsonl.gz"
    path.write_bytes(whole[: len(whole) - 20])
    with pytest.raises(LoadError, match=r"cut\.ftm\.jsonl\.gz: its gzip data ends early") as err:
        load_ftm(path, store)
    assert load_zh(str(err.value)).endswith("gzip 压缩数据不完整（下载或复制中途被截断）")
    assert sum(nonzero(store.counts())[0].values()) == 0


# --------------------------------------------------------------- OpenSanctions referents
def test_a_reference_to_a_referent_names_the_canonical_entity(store, tmp_path):
    path = write_jsonl(
        tmp_path / "ref.ftm.jsonl",
        [
            {"id": "NK-1", "schema": "Person", "referents": ["ve-old", "Q42"], "properties": {"name": ["María Vera"]}},
            {"id": "p2", "schema": "Person", "properties": {"name": ["Juan Vera"]}},
            {"id": "fam", "schema": "Family", "properties": {"person": ["ve-old"], "relative": ["p2"]}},
        ],
    )
    report = load_ftm(path, store)
    assert report.quarantine == [] and report.totals()["loaded"] == 3
    fam = store.run("MATCH (a:Person)-[:FAMILY]->(b:Person) RETURN a.id AS a, b.id AS b")
    assert fam.to_dict("records") == [{"a": "NK-1", "b": "p2"}]


# --------------------------------------------------------------- values FtM reads
def test_numbers_ftm_reads_are_kept_and_the_others_listed(store, tmp_path):
    path = write_jsonl(
        tmp_path / "num.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada Lovelace"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Engines Ltd"]}},
            {
                "id": "x1",
                "schema": "Payment",
                "properties": {"amount": ["1,000.50"], "payer": ["p1"], "beneficiary": ["c1"]},
            },
            {
                "id": "x2",
                "schema": "Payment",
                "properties": {"amount": ["about a thousand"], "payer": ["p1"], "beneficiary": ["c1"]},
            },
            {
                "id": "o1",
                "schema": "Ownership",
                "properties": {"owner": ["p1"], "asset": ["c1"], "percentage": ["49%"]},
            },
        ],
    )
    report = load_ftm(path, store)
    assert report.quarantine == [] and report.totals()["loaded"] == 5
    amounts = store.run("MATCH (p:Payment) RETURN p.id AS id, p.amount AS a, p.ftm_properties AS f ORDER BY id")
    assert amounts["a"].iloc[0] == 1000.5 and amounts["a"].iloc[1] != amounts["a"].iloc[1]  # NaN: not read
    assert json.loads(amounts["f"].iloc[1])["amount"] == ["about a thousand"]
    assert store.run("MATCH ()-[r:SHAREHOLDER_OF]->() RETURN r.percent AS p")["p"].tolist() == [49.0]
    assert [(d.row, d.column, d.value) for d in report.dropped] == [(4, "amount", "about a thousand")]
    assert "not a number" in report.dropped[0].reason and report.files[0].dropped == {"amount": 1}


def test_each_value_of_a_multi_valued_date_is_tried(store, tmp_path):
    path = write_jsonl(
        tmp_path / "dates.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada"], "birthDate": ["1815", "1815-12-10"]}},
            {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "listingDate": ["2022", "2020-06-04"]}},
        ],
    )
    assert load_ftm(path, store).quarantine == []
    assert store.run("MATCH (p:Person) RETURN p.birth_date AS b")["b"].tolist() == [pd.Timestamp("1815-12-10")]
    assert store.run("MATCH (s:Sanction) RETURN s.start_date AS d")["d"].tolist() == [pd.Timestamp("2020-06-04")]


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("妻子", "spouse"),
        ("丈夫", "spouse"),
        ("配偶", "spouse"),
        ("父亲", "parent"),
        ("女儿", "child"),
        ("哥哥", "sibling"),
        ("姐妹", "sibling"),
        ("岳母", "in_law"),
        ("儿媳", "in_law"),
        ("女婿", "in_law"),
    ],
)
def test_chinese_family_words_map_to_the_model_vocabulary(store, tmp_path, word, kind):
    path = write_jsonl(
        tmp_path / "fam.ftm.jsonl",
        [
            {"id": "a", "schema": "Person", "properties": {"name": ["王建国"]}},
            {"id": "b", "schema": "Person", "properties": {"name": ["李娜"]}},
            {"id": "f", "schema": "Family", "properties": {"person": ["a"], "relative": ["b"], "relationship": [word]}},
        ],
    )
    load_ftm(path, store)
    got = store.run("MATCH ()-[r:FAMILY]->() RETURN r.relationship AS k, r.relationship_text AS t").iloc[0].to_dict()
    assert got == {"k": kind, "t": word}


def test_a_vessel_is_found_by_name_and_a_plate_still_by_plate(store, tmp_path):
    import pyarrow as pa

    from graphkit.search import find

    plate = pa.Table.from_pylist([{"id": "苏E·12345", "kind": "official"}], schema=store.model.arrow_schema("Vehicle"))
    store.upsert_nodes("Vehicle", plate)
    path = write_jsonl(
        tmp_path / "v.ftm.jsonl",
        [{"id": "v1", "schema": "Vessel", "properties": {"name": ["LIGHT MOON"], "imoNumber": ["9123456"]}}],
    )
    assert load_ftm(path, store).quarantine == []
    hits = find(store, "LIGHT MOON")
    assert hits[["label", "id"]].head(1).values.tolist() == [["Vehicle", "v1"]]
    assert find(store, "苏E·12345")[["label", "id"]].head(1).values.tolist() == [["Vehicle", "苏E·12345"]]


# --------------------------------------------------------------- masking
def test_an_unparsable_line_carries_no_identifier_and_the_report_lists_dropped_values_masked(store, tmp_path):
    path = write_jsonl(
        tmp_path / "mask.ftm.jsonl",
        [
            '{"id":"m2","schema":"Person","properties":{"passportNumber":["E12345678"],"phone":["13912345678"],,}',
            {"id": "m3", "schema": "Person", "properties": {"name": ["张三"], "phone": ["13812345678x"]}},
        ],
    )
    report = load_ftm(path, store)
    assert [(q.row, q.column) for q in report.quarantine] == [(1, "line")]
    shown = report.quarantine[0].value
    assert "E12345678" not in shown and "13912345678" not in shown and "E*******8" in shown
    dropped = json.loads(report.to_json())["dropped"]
    assert [(d["row"], d["column"]) for d in dropped] == [(2, "phone")]
    assert dropped[0]["value"] and "13812345678" not in dropped[0]["value"]


def test_a_person_named_as_their_own_relative_is_quarantined_as_the_csv_loader_does(store, tmp_path):
    """A Family whose relative is its person (an id copied into both properties) was loaded as a FAMILY link from
    the person to themselves; FAMILY is declared ``to_itself: false``, so the line goes to the quarantine with the
    reason, as a family table's row does. A company holding its own shares (Ownership, allowed) still loads."""
    path = write_jsonl(
        tmp_path / "fam.ftm.jsonl",
        [
            {"id": "a", "schema": "Person", "properties": {"name": ["王建国"]}},
            {"id": "b", "schema": "Person", "properties": {"name": ["李娜"]}},
            {"id": "c", "schema": "Company", "properties": {"name": ["某某建设有限公司"]}},
            {"id": "f1", "schema": "Family", "properties": {"person": ["a"], "relative": ["b"]}},
            {"id": "f2", "schema": "Family", "properties": {"person": ["a"], "relative": ["a"]}},
            {"id": "o1", "schema": "Ownership", "properties": {"owner": ["c"], "asset": ["c"], "percentage": ["5"]}},
        ],
    )
    report = load_ftm(path, store)
    assert report.totals() == {"read": 6, "loaded": 5, "quarantined": 1}
    (q,) = report.quarantine
    assert q.row == 5 and q.column == "relative" and "joins two different entities, not one to itself" in q.reason
    family = store.run("MATCH (a)-[r:FAMILY]->(b) RETURN a.id AS a, b.id AS b").to_dict("records")
    assert family == [{"a": "a", "b": "b"}]
    assert store.run("MATCH (c)-[:SHAREHOLDER_OF]->(d) RETURN c.id = d.id AS same")["same"].tolist() == [True]


@pytest.mark.parametrize(
    ("schema", "props", "column"),
    [
        ("Associate", {"person": ["a"], "associate": ["a"]}, "associate"),
        ("Membership", {"member": ["o"], "organization": ["o"]}, "organization"),
    ],
)
def test_an_associate_or_member_of_itself_is_quarantined(store, tmp_path, schema, props, column):
    """FtM's Associate joins two people and a Membership a member to another organisation: one entity at both
    ends is a slip in the data (ASSOCIATE_OF and MEMBER_OF are ``to_itself: false``), quarantined with its line."""
    path = write_jsonl(
        tmp_path / "x.ftm.jsonl",
        [
            {"id": "a", "schema": "Person", "properties": {"name": ["王建国"]}},
            {"id": "o", "schema": "Organization", "properties": {"name": ["某协会"]}},
            {"id": "x", "schema": schema, "properties": props},
        ],
    )
    report = load_ftm(path, store)
    assert report.totals() == {"read": 3, "loaded": 2, "quarantined": 1}
    (q,) = report.quarantine
    assert (q.row, q.column) == (3, column) and "not one to itself" in q.reason
