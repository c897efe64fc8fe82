"""The model is declared once and everything is derived from it."""
from __future__ import annotations

import pytest
import yaml

from graphkit.model import HERE, Model, ModelError
from loaders.contracts import load_contracts, parse_contract


def test_model_loads_with_every_required_label():
    m = Model.default()
    for label in ("Person", "Organization", "Company", "Address", "Phone", "BankAccount", "Tender", "Bid",
                  "Contract", "Vehicle", "FuelCard", "FuelTransaction", "ParkingLot", "Place", "Payment",
                  "Benefit", "HotlineTicket", "LabourPayment", "Licence", "ReceptionExpense", "Invoice"):
        assert label in m.labels
    assert len(m.labels) == 21 and len(m.relationships) == 43
    assert m.labels["Person"].ftm == "Person" and m.relationships["SHAREHOLDER_OF"].ftm == "Ownership"
    assert set(m.relationships["FAMILY"].properties["relationship"].values) == {
        "spouse", "parent", "child", "sibling", "in_law"}


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


def test_every_relationship_type_has_a_source_contract():
    """Nothing in the model is unreachable from the loaders."""
    made = {e.type for s in load_contracts().values() for e in s.edges}
    made_nodes = {n.label for s in load_contracts().values() for n in s.nodes}
    assert set(Model.default().relationships) == made
    assert set(Model.default().labels) == made_nodes


def test_contract_with_a_typo_fails_at_once():
    raw = {"columns": {"k": {"type": "code"}}, "nodes": [{"label": "Persn", "key": "k"}]}
    with pytest.raises(ModelError, match="Persn"):
        parse_contract("bad", raw, Model.default())
    raw = {"columns": {"k": {"type": "code"}}, "edges": [{"type": "FAMILY", "from": ["Person", "k"], "to": ["Company", "k"]}]}
    with pytest.raises(ModelError, match="does not join"):
        parse_contract("bad", raw, Model.default())


def test_docs_table_lists_everything():
    md = Model.default().markdown_table()
    for name in list(Model.default().labels) + list(Model.default().relationships):
        assert f"| {name} |" in md
