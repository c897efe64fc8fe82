"""The model is declared once and everything is derived from it."""

from __future__ import annotations

import pytest
import yaml

from graphkit.model import HERE, Model, ModelError
from loaders.contracts import load_contracts, parse_contract


def test_model_loads_with_every_required_label():
    m = Model.default()
    for label in (
        "Person",
        "Organization",
        "Company",
        "Address",
        "Phone",
        "BankAccount",
        "Tender",
        "Bid",
        "Contract",
        "Vehicle",
        "FuelCard",
        "FuelTransaction",
        "ParkingLot",
        "Place",
        "Payment",
        "Benefit",
        "HotlineTicket",
        "LabourPayment",
        "Licence",
        "ReceptionExpense",
        "Invoice",
        "Position",  # FtM imports: a PEP's post, a sanction, any other FtM entity
        "Sanction",
        "Thing",
    ):
        assert label in m.labels
    assert len(m.labels) == 24 and len(m.relationships) == 49
    assert m.labels["Person"].ftm == "Person" and m.relationships["SHAREHOLDER_OF"].ftm == "Ownership"
    assert set(m.relationships["FAMILY"].properties["relationship"].values) == {
        "spouse",
        "parent",
        "child",
        "sibling",
        "in_law",
        "other",  # FtM's words are open text ("Family member of"); relationship_text keeps them
    }


def test_every_label_and_relationship_carries_id_and_provenance():
    m = Model.default()
    for obj in list(m.labels.values()) + list(m.relationships.values()):
        props = list(obj.all_properties)
        assert props[0] == "id" and props[-2:] == ["src_file", "src_row"]


def test_ddl_is_derived_for_both_stores():
    m = Model.default()
    emb, neo = m.embedded_ddl(), m.neo4j_ddl()
    assert len(emb) == len(m.labels) + len(m.relationships)
    assert any("FROM Person TO Company, FROM Company TO Company" in s for s in emb)
    constraints = [s for s in neo if s.startswith("CREATE CONSTRAINT")]
    assert len(constraints) == len(m.labels)
    assert "CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)" in neo


def test_unknown_label_in_relationship_is_refused():
    nodes = yaml.safe_load((HERE / "nodes.yaml").read_text(encoding="utf-8"))
    with pytest.raises(ModelError, match="Ghost"):
        Model.from_dicts(nodes, {"HAUNTS": {"between": [["Person", "Ghost"]]}})
    with pytest.raises(ModelError, match="unknown type"):
        Model.from_dicts({"A": {"properties": {"x": {"type": "blob"}}}}, {})


def test_a_relationship_type_without_its_chinese_phrase_is_refused():
    """Paths are explained in Chinese first: a type (or a `phrase_when` entry) that says its hop only in English is
    an error of the model, not an English hop in a Chinese case file."""
    nodes = yaml.safe_load((HERE / "nodes.yaml").read_text(encoding="utf-8"))
    rels = yaml.safe_load((HERE / "relationships.yaml").read_text(encoding="utf-8"))
    Model.from_dicts(nodes, rels)  # the committed model says every hop in Chinese
    no_zh = {"KNOWS": {"between": [["Person", "Person"]], "phrase": ["knows", "known by"]}}
    with pytest.raises(ModelError, match="KNOWS: `phrase_zh` is missing"):
        Model.from_dicts(nodes, no_zh)
    half = {"KNOWS": {**no_zh["KNOWS"], "phrase_zh": ["认识"]}}
    with pytest.raises(ModelError, match="phrase_zh"):
        Model.from_dicts(nodes, half)
    when = {
        "KNOWS": {
            **no_zh["KNOWS"],
            "phrase_zh": ["认识", "认识"],
            "phrase_when": [{"if": {"since": "any"}, "say": ["knows since {since}", "known since {since}"]}],
        }
    }
    with pytest.raises(ModelError, match="KNOWS: `phrase_when` entry 1 has no `say_zh`"):
        Model.from_dicts(nodes, when)
    when["KNOWS"]["phrase_when"][0]["say_zh"] = ["自{since}起认识", "自{since}起认识"]
    m = Model.from_dicts(nodes, when)
    assert m.phrase("KNOWS", {"since": 2019}, lang="zh") == "自2019起认识"
    assert m.phrase("KNOWS", {}, forward=False, lang="zh") == "认识"
    assert m.phrase("KNOWS", {"since": 2019}) == "knows since 2019"


def test_a_hop_reads_its_vocabulary_in_chinese():
    """A property the model names in Chinese (`values` as a mapping) reads in Chinese in a Chinese phrase; its keys
    stay the vocabulary the loaders check."""
    m = Model.default()
    assert m.relationship("EMPLOYED_BY").properties["role"].values[0] == "official"
    assert m.phrase("EMPLOYED_BY", {"role": "village_cadre"}, lang="zh") == "任村干部于"
    assert m.phrase("EMPLOYED_BY", {"role": "village_cadre"}) == "village cadre at"
    assert m.phrase("FAMILY", {"relationship": "child"}, lang="zh") == "子女为"
    assert m.phrase("FAMILY", {"relationship": "child"}, forward=False, lang="zh") == "父母为"
    assert m.phrase("SHAREHOLDER_OF", {"percent": 50.85}, lang="zh") == "持股50.85%"
    with pytest.raises(ModelError, match="lang"):
        m.phrase("WON", {}, lang="fr")


def test_every_relationship_type_has_a_source_contract():
    """Nothing in the model is unreachable from the loaders (the source contracts and the FtM table)."""
    from loaders.ftm import mapping

    ftm = mapping()
    made = {e.type for s in load_contracts().values() for e in s.edges}
    made |= {r.name for r in ftm.edges.values()} | set(ftm.refs.values()) | {t for _, t in ftm.value_nodes.values()}
    made |= {ftm.default_edge, ftm.default_ref, ftm.holds, ftm.employed_by["type"]}
    made_nodes = {n.label for s in load_contracts().values() for n in s.nodes}
    made_nodes |= {r.name for r in ftm.nodes.values()} | {lab for lab, _ in ftm.value_nodes.values()}
    assert set(Model.default().relationships) == made
    assert set(Model.default().labels) == made_nodes


def test_contract_with_a_typo_fails_at_once():
    raw = {"columns": {"k": {"type": "code"}}, "nodes": [{"label": "Persn", "key": "k"}]}
    with pytest.raises(ModelError, match="Persn"):
        parse_contract("bad", raw, Model.default())
    raw = {
        "columns": {"k": {"type": "code"}},
        "edges": [{"type": "FAMILY", "from": ["Person", "k"], "to": ["Company", "k"]}],
    }
    with pytest.raises(ModelError, match="does not join"):
        parse_contract("bad", raw, Model.default())


def test_docs_table_lists_everything():
    md = Model.default().markdown_table()
    for name in list(Model.default().labels) + list(Model.default().relationships):
        assert f"| {name} |" in md


def test_committed_model_docs_are_current():
    """docs/model.md is generated by `graphkit model docs`; regenerate it when the YAML changes."""
    from click.testing import CliRunner

    from graphkit.cli import main

    committed = (HERE.parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
    assert CliRunner().invoke(main, ["model", "docs"]).output == committed, "run: graphkit model docs > docs/model.md"


def test_every_node_property_has_a_chinese_name():
    """Hover texts named properties by their code (birth_date, registered_capital): each node property declares
    what a Chinese reader calls it (``zh:`` in nodes.yaml), read with ``Model.property_name``."""
    from graphkit.model import Model

    m = Model.default()
    missing = [f"{lab.name}.{p}" for lab in m.labels.values() for p, spec in lab.properties.items() if not spec.zh]
    assert missing == [], missing
    assert m.property_name("Person", "name") == "姓名" and m.property_name("Company", "name") == "名称"
    assert m.property_name("Person", "name", "en") == "name" and m.property_name("Person", "nope") == "nope"


def test_yuan_below_wan_add_up_to_their_total_as_written():
    """A portrait's receptions listed 2,248 + 1,040 + 5,064 元 (2,248.2, 1,040.4, 5,064.12) under a total of 8,353 元:
    a reader adding the rows got 8,352. Below 万 an amount is written to the 分 when it has any, as in English."""
    from decimal import Decimal

    from graphkit.model import money

    rows = [2248.2, 1040.4, 5064.12]

    def read(text: str) -> Decimal:
        assert text.endswith(" 元") and "万" not in text, text
        return Decimal(text.removesuffix(" 元").replace(",", ""))

    assert [money(r, "CNY", "zh") for r in rows] == ["2,248.20 元", "1,040.40 元", "5,064.12 元"]
    assert sum(read(money(r, "CNY", "zh")) for r in rows) == read(money(sum(rows), "CNY", "zh"))
    assert money(6000.0, "CNY", "zh") == "6,000 元" and money(5064.12, "CNY", "en") == "¥5,064.12"  # one rule
    assert money(99.999, "CNY", "zh") == "100 元"  # rounded to the 分 before its cents are judged
