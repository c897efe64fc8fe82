"""graphkit/stores/dialect.py: the rewrites that make one Cypher text answer alike on both stores."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from graphkit.model import Model
from graphkit.stores.dialect import datetime_properties, rewrite_to_string, to_ladybug


def test_a_datetime_property_name_is_a_datetime_wherever_the_model_uses_it():
    # rewrite_to_string goes by the property's name, so a name must not mean a datetime in one place only
    m = Model.default()
    types: dict[str, set[str]] = {}
    for obj in [*m.labels.values(), *m.relationships.values()]:
        for p in obj.all_properties.values():
            types.setdefault(p.name, set()).add(p.type)
    stamps = datetime_properties()
    assert stamps == {name for name, t in types.items() if "datetime" in t}
    assert all(types[name] == {"datetime"} for name in stamps)


def test_to_string_of_a_timestamp_is_iso_on_the_embedded_store(store):
    text = "RETURN toString(t.time) AS a, toString(t.src_row) AS b, 'toString(t.time)' AS c"
    assert rewrite_to_string("RETURN toString(t.date)") == "RETURN toString(t.date)"
    store.upsert_nodes(
        "FuelTransaction",
        pd.DataFrame(
            {"id": ["t1"], "time": [dt.datetime(2024, 4, 26, 18, 40, 24)], "src_file": ["f.csv"], "src_row": [2]}
        ),
    )
    got = store.run("MATCH (t:FuelTransaction) " + text).to_dict("records")
    # Neo4j 5: toString(localdatetime('2024-04-26T18:40:24')) = '2024-04-26T18:40:24' (tests/test_parity_neo4j.py)
    assert got == [{"a": "2024-04-26T18:40:24", "b": "2", "c": "toString(t.time)"}]
    assert "replace(to_string(t.time), ' ', 'T')" in to_ladybug(text)
