"""Every loader on good and bad rows; preflight errors; idempotence; provenance."""

from __future__ import annotations

import copy
from collections import Counter

import pandas as pd
import pytest
from fixture_city import C1, C2, P1, P2, TABLES, U1, write_city

from graphkit.model.mask import mask
from loaders.contracts import load_contracts
from loaders.engine import LoadError, _droppable, load_dir

CONTRACTS = load_contracts()

#: a value that must be refused, per column type (None: no value of this type is refused unless required)
BAD = {
    "id_number": lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"),
    "credit_code": lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"),
    "party": lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"),
    "plate": lambda v: "XX-12",
    "date": lambda v: "2024-13-45",
    "datetime": lambda v: "yesterday",
    "amount": lambda v: "-1",
    "int": lambda v: "1.5",
    "bool": lambda v: "maybe",
    "enum": lambda v: "bogus",
    "phone": lambda v: "12",
    "account": lambda v: "12ab",
}


def header_of(src, column):
    c = src.columns[column]
    return c.zh if (c.zh and c.zh in TABLES[src.name][0]) else column


def corruptions(src):
    """(column, bad row dict) for every column of the fixture table that can be made invalid."""
    row = TABLES[src.name][0]
    for name, col in src.columns.items():
        h = header_of(src, name)
        if h not in row:
            continue
        if col.type in BAD and row[h]:
            yield name, {**row, h: BAD[col.type](row[h])}
        elif col.required:
            yield name, {**row, h: ""}


def test_fixture_city_loads_cleanly_with_every_label_and_type(loaded_city):
    _, store, report, unknown = loaded_city
    assert unknown == []
    assert report.quarantine == []
    assert all(f.reconciles for f in report.files)
    counts = store.counts()
    assert counts["nodes"]["Person"] == 38 and counts["nodes"]["Company"] == 5
    # every label and type a source contract makes (the FtM-only ones, Position, Sanction … come from FtM files)
    labels = {n.label for s in load_contracts().values() for n in s.nodes}
    types = {e.type for s in load_contracts().values() for e in s.edges}
    assert all(counts["nodes"][lab] > 0 for lab in labels), counts["nodes"]
    assert all(counts["relationships"][t] > 0 for t in types), counts["relationships"]


@pytest.mark.parametrize("kind", list(CONTRACTS))
def test_each_loader_refuses_bad_rows_and_keeps_good_ones(kind, tmp_path):
    from graphkit.stores.embedded import EmbeddedStore

    src = CONTRACTS[kind]
    bad = list(corruptions(src))
    assert bad, f"{kind}: the fixture exercises no column"
    tables = copy.deepcopy(TABLES)
    tables[kind] = tables[kind] + [r for _, r in bad]
    folder = write_city(tmp_path / "city", tables)
    with EmbeddedStore(tmp_path / "g.db") as store:
        report, _ = load_dir(folder, store)
        fr = next(f for f in report.files if f.source == kind)
    good_rows = len(TABLES[kind])
    assert fr.read == good_rows + len(bad) == fr.loaded + fr.quarantined
    # a bad value in a required or structural column refuses the row; in a column that only gives a property
    # it is dropped and the row stays — unless the row copies a complete row's key: then it is the duplicate
    droppable = _droppable(src)
    expect_q = [(good_rows + 2 + i, c) for i, (c, _) in enumerate(bad) if c not in droppable]
    expect_d = [(good_rows + 2 + i, c) for i, (c, _) in enumerate(bad) if c in droppable]
    q = [x for x in report.quarantine if x.file == f"{kind}.csv"]
    assert [(x.row, x.column) for x in q if not x.reason.startswith("duplicate of line")] == expect_q
    dup_rows = {x.row for x in q if x.reason.startswith("duplicate of line")}
    dropped = [(d.row, d.column) for d in report.dropped if d.file == f"{kind}.csv"]
    assert sorted(dropped + [rc for rc in expect_d if rc[0] in dup_rows]) == sorted(expect_d)
    assert dup_rows <= {r for r, _ in expect_d}
    assert fr.dropped == Counter(c for _, c in dropped)
    assert all(x.reason for x in q)
    others = [x for x in report.quarantine if x.file != f"{kind}.csv"]
    assert others == []


def test_five_corrupted_ids_are_named_and_counts_reconcile(tmp_path, store):
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    hit = [10, 12, 14, 16, 18]  # hub residents: nothing else refers to them
    for i in hit:
        v = rows[i]["公民身份号码"]
        rows[i]["公民身份号码"] = BAD["id_number"](v)
    folder = write_city(tmp_path / "city", tables)
    report, _ = load_dir(folder, store)
    hh = next(f for f in report.files if f.file == "household.csv")
    assert (hh.read, hh.loaded, hh.quarantined) == (38, 33, 5)
    q = [x for x in report.quarantine if x.file == "household.csv"]
    assert [x.row for x in q] == [i + 2 for i in hit]
    assert {x.column for x in q} == {"id_number"} and all("check digit" in x.reason for x in q)
    for f in report.files:
        assert f.read == f.loaded + f.quarantined, f


def test_missing_required_column_names_file_and_column_and_writes_nothing(tmp_path, store):
    tables = copy.deepcopy(TABLES)
    tables["bids"] = [{k: v for k, v in r.items() if k != "price"} for r in tables["bids"]]
    folder = write_city(tmp_path / "city", tables)
    with pytest.raises(LoadError, match=r"bids\.csv.*'price'"):
        load_dir(folder, store)
    assert sum(store.counts()["nodes"].values()) == 0


def test_unreadable_file_is_named(tmp_path, store):
    folder = write_city(tmp_path / "city")
    (folder / "vehicles.csv").unlink()
    (folder / "vehicles.xlsx").write_bytes(b"\x00not a workbook")
    with pytest.raises(LoadError, match=r"vehicles\.xlsx"):
        load_dir(folder, store)
    assert sum(store.counts()["nodes"].values()) == 0


def test_second_load_changes_no_count(city, store, monkeypatch):
    """And a load's fixed cost: every load (a hundred-row folder too) asked Ladybug to count each of the model's
    73 tables, one statement each (3 ms a relationship table), a tenth of a small load's CPU. A bulk session now
    counts them in two statements; a store of more than ``COUNT_RELS_AT_ONCE`` nodes (0 here, so the second load)
    still has its relationship tables counted one at a time, as the load writes them, and finds what it holds."""
    import re

    from graphkit.stores import embedded

    monkeypatch.setattr(embedded, "COUNT_RELS_AT_ONCE", 0)  # the empty store's counted at once, the loaded one not
    sent: list[str] = []
    for hook in ("_execute", "_rows"):
        real = getattr(store, hook)
        monkeypatch.setattr(store, hook, lambda q, p, real=real: sent.append(q) or real(q, p))
    load_dir(city, store)
    one_table = [
        q for q in sent if re.search(r"MATCH \(\)-\[n:\w+\]->\(\) RETURN count|MATCH \(n:\w+\) RETURN count", q)
    ]
    assert one_table == [] and len([q for q in sent if "count(*)" in q]) == 2, sent
    before = store.counts()
    monkeypatch.setattr(embedded, "COUNT_RELS_AT_ONCE", 10**9)  # the two statements count what one a table does
    kinds = {"node": "nodes", "rel": "relationships"}
    assert store._all_counts() == {(k, t): n for k, key in kinds.items() for t, n in before[key].items()}
    monkeypatch.setattr(embedded, "COUNT_RELS_AT_ONCE", 0)
    sent.clear()
    report, _ = load_dir(city, store)
    assert store.counts() == before
    assert sum(report.created().values()) == 0
    assert len([q for q in sent if "count(*)" in q]) == 1 and any("]->() RETURN count(n)" in q for q in sent), sent


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_store(request, tmp_path):
    if request.param == "embedded":
        yield request.getfixturevalue("store")
        return
    from graphkit.stores.neo4j import Neo4jStore

    s = Neo4jStore.from_env(request.getfixturevalue("neo4j_empty").uri)
    s.create_schema()
    yield s
    s.close()


def test_a_later_file_naming_another_bidder_for_a_stored_bid_is_quarantined(city, tmp_path, any_store):
    """A bid has one bidder (SUBMITTED_BY is one_per_source): a later file that reuses a stored bid id with
    another company added a second SUBMITTED_BY, so the bid counted for both companies in every model."""
    store = any_store
    load_dir(city, store)
    before = store.counts()["relationships"]
    first = TABLES["bids"][0]
    assert first["credit_code"] == C1
    later = {
        "bids": [
            {**first, "credit_code": C2},  # the stored bid with another bidder
            {**first, "bid_id": "B-NEW", "credit_code": C2},  # a new bid
        ]
    }
    report, _ = load_dir(write_city(tmp_path / "later", later), store)
    q = [(x.file, x.row, x.column, x.reason) for x in report.quarantine]
    assert q == [
        (
            "bids.csv",
            2,
            "credit_code",
            "Bid B1 is already loaded from bids.csv line 2 with another 投标人代码: one SUBMITTED_BY per Bid; "
            "the stored one is kept",
        )
    ]
    f = report.files[0]
    assert (f.read, f.loaded, f.quarantined) == (2, 1, 1)
    after = store.counts()["relationships"]
    assert after["SUBMITTED_BY"] == before["SUBMITTED_BY"] + 1
    got = store.run("MATCH (b:Bid)-[:SUBMITTED_BY]->(c:Company) WHERE b.id = 'B1' RETURN c.id AS c")
    assert got["c"].tolist() == [C1]


def test_duplicates_are_quarantined_as_such(tmp_path, store):
    tables = copy.deepcopy(TABLES)
    tables["household"].append(dict(tables["household"][0]))
    report, _ = load_dir(write_city(tmp_path / "city", tables), store)
    q = [x for x in report.quarantine if x.file == "household.csv"]
    assert len(q) == 1 and q[0].reason == "duplicate of line 2" and q[0].row == 40


def test_a_duplicate_is_refused_even_when_its_key_first_appears_in_a_refused_row(tmp_path, store):
    tables = copy.deepcopy(TABLES)
    first = tables["household"][0]
    tables["household"] = [{**first, "姓名": ""}] + tables["household"] + [dict(first)]
    report, _ = load_dir(write_city(tmp_path / "city", tables), store)
    hh = next(f for f in report.files if f.file == "household.csv")
    q = [(x.row, x.column, x.reason) for x in report.quarantine if x.file == "household.csv"]
    assert q == [(2, "name", "required value is missing"), (41, "id_number", "duplicate of line 3")]
    assert (hh.read, hh.loaded, hh.quarantined) == (40, 38, 2)
    assert hh.created["Person"] == hh.loaded


def test_a_person_named_as_their_own_relative_is_quarantined_not_linked_to_themselves(tmp_path, store):
    """A 亲属身份号码 copied from 公民身份号码 loaded a FAMILY link from a person to themselves (the model declares
    FAMILY ``to_itself: false``): the row is refused with a reason that names both columns and no number."""
    tables = copy.deepcopy(TABLES)
    first = tables["family"][0]
    own = next(v for k, v in first.items() if k in ("公民身份号码", "id_number"))
    relative = next(k for k in first if k in ("亲属身份号码", "relative_id_number"))
    tables["family"].append({**first, relative: own})
    report, _ = load_dir(write_city(tmp_path / "city", tables), store)
    fam = next(f for f in report.files if f.file == "family.csv")
    q = [x for x in report.quarantine if x.file == "family.csv"]
    assert [(x.row, x.column) for x in q] == [(len(tables["family"]) + 1, "relative_id_number")]
    assert q[0].reason == (
        "亲属身份号码 is the row's own 公民身份号码: a FAMILY (亲属) link joins two different entities, "
        "not one to itself"
    )
    assert (fam.read, fam.loaded, fam.quarantined) == (len(tables["family"]), len(tables["family"]) - 1, 1)
    assert store.run("MATCH (a:Person)-[r:FAMILY]->(a) RETURN count(r) AS n")["n"][0] == 0
    assert store.run("MATCH (:Person)-[r:FAMILY]->(:Person) RETURN count(r) AS n")["n"][0] == fam.loaded


def test_a_unit_named_as_its_own_parent_keeps_its_row_and_loses_only_that_reference(tmp_path, any_store):
    """A 上级单位代码 copied from the unit's own 统一社会信用代码 loaded a PART_OF link from the unit to itself;
    refusing the row (as for a person named as their own relative) would lose the unit and every row that names
    it. PART_OF is ``to_itself: false`` and 上级单位代码 names nothing else, so only the reference is left out,
    said as a value left out (the row loads; read = loaded + quarantined holds)."""
    store = any_store
    tables = copy.deepcopy(TABLES)
    unit = tables["units"][1]
    unit["parent_unit_id"] = unit["unit_id"]
    report, _ = load_dir(write_city(tmp_path / "city", tables), store)
    units = next(f for f in report.files if f.file == "units.csv")
    assert (units.read, units.loaded, units.quarantined) == (len(tables["units"]), len(tables["units"]), 0)
    assert [(d.file, d.row, d.column) for d in report.dropped] == [("units.csv", 3, "parent_unit_id")]
    assert report.dropped[0].reason == (
        "上级单位代码 is the row's own 统一社会信用代码: a PART_OF (上级单位) link joins two different entities, "
        "not one to itself"
    )
    assert store.run("MATCH (u:Organization)-[r:PART_OF]->(u) RETURN count(r) AS n")["n"][0] == 0
    assert store.run("MATCH (u:Organization {id: $id}) RETURN u.name AS n", id=unit["unit_id"])["n"].tolist() == [
        unit["name"]
    ]


def test_a_bad_optional_value_drops_the_value_not_the_row(tmp_path, store):
    tables = copy.deepcopy(TABLES)
    tables["household"][0]["出生日期"] = "2024-13-45"
    report, _ = load_dir(write_city(tmp_path / "city", tables), store)
    assert report.quarantine == []
    assert [(d.file, d.row, d.column) for d in report.dropped] == [("household.csv", 2, "birth_date")]
    assert "not a date" in report.dropped[0].reason
    df = store.run("MATCH (p:Person {id: $id}) RETURN p.birth_date AS b", id=TABLES["household"][0]["公民身份号码"])
    assert len(df) == 1 and pd.isna(df["b"][0])
    assert '"dropped"' in report.to_json()


def test_a_failed_background_write_leaves_the_store_as_it_was(city, store, monkeypatch):
    from graphkit.stores.base import StoreError

    real = type(store)._bulk_edges

    def failing(self, rtype, source, target, table):
        if rtype == "FAMILY":
            raise StoreError("COPY into FAMILY failed: disk full")
        return real(self, rtype, source, target, table)

    monkeypatch.setattr(type(store), "_bulk_edges", failing)
    with pytest.raises(LoadError, match="FAMILY failed.*left as it was") as err:
        load_dir(city, store)
    assert err.value.report.rolled_back and err.value.report.files
    counts = store.counts()  # the store answers and holds nothing of the failed load
    assert sum(counts["nodes"].values()) == 0 and sum(counts["relationships"].values()) == 0
    monkeypatch.setattr(type(store), "_bulk_edges", real)
    report, _ = load_dir(city, store)  # and a reload completes it
    assert report.created()["FAMILY"] == 2 and report.created()["Person"] == 38


def test_entities_resolve_across_sources_and_values_normalise(loaded_city):
    store = loaded_city[1]
    df = store.run("MATCH (p:Person {id: $id})-[:HAS_PHONE]->(ph:Phone) RETURN p.name AS name, ph.id AS phone", id=P2)
    assert df.to_dict("records") == [{"name": "李娜", "phone": "13800000002"}]
    # the official from the roster is the same node as the household registry's person
    df = store.run(
        "MATCH (p:Person {id: $p})-[e:EMPLOYED_BY]->(u:Organization {id: $u}) RETURN p.name AS name, e.post AS post",
        p=P1,
        u=U1,
    )
    assert df.to_dict("records") == [{"name": "张伟", "post": "局长"}]


def test_every_node_and_relationship_keeps_its_provenance(loaded_city):
    store = loaded_city[1]
    for label in store.model.labels:
        df = store.run(f"MATCH (n:{label}) WHERE n.src_file IS NULL OR n.src_row IS NULL RETURN count(n) AS n")
        assert df["n"][0] == 0, label
    for rel in store.model.relationships:
        df = store.run(f"MATCH ()-[r:{rel}]->() WHERE r.src_file IS NULL OR r.src_row IS NULL RETURN count(r) AS n")
        assert df["n"][0] == 0, rel
    df = store.run(
        "MATCH (a:Person)-[r:FAMILY]->(b:Person) RETURN a.name AS a, b.name AS b, r.src_file AS f, "
        "r.src_row AS row ORDER BY row"
    )
    assert df.to_dict("records") == [
        {"a": "张伟", "b": "李娜", "f": "family.csv", "row": 2},
        {"a": "王强", "b": "赵敏", "f": "family.csv", "row": 3},
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_xlsx_and_parquet_read_like_csv(tmp_path, fmt):
    from graphkit.stores.embedded import EmbeddedStore

    csv_city = write_city(tmp_path / "a")
    other = write_city(tmp_path / "b")
    for name in ("household", "companies", "bids"):
        df = pd.read_csv(other / f"{name}.csv", dtype=str, keep_default_na=False)
        (other / f"{name}.csv").unlink()
        if fmt == "xlsx":
            df.to_excel(other / f"{name}.xlsx", index=False)
        else:
            df.to_parquet(other / f"{name}.parquet", index=False)
    with EmbeddedStore(tmp_path / "a.db") as s1, EmbeddedStore(tmp_path / "b.db") as s2:
        load_dir(csv_city, s1)
        report, _ = load_dir(other, s2)
        assert report.quarantine == []
        assert s1.counts() == s2.counts()


def test_load_then_read_back_is_identity(loaded_city):
    store = loaded_city[1]
    df = store.run("MATCH (c:Company) RETURN c.id AS id, c.name AS name, c.registered_capital AS cap ORDER BY id")
    src = pd.DataFrame(TABLES["companies"]).sort_values("credit_code")
    assert df["id"].tolist() == src["credit_code"].tolist()
    assert df["name"].tolist() == src["name"].tolist()
    assert [None if pd.isna(x) else x for x in df["cap"]] == [
        float(x) if x else None for x in src["registered_capital"]
    ]


def test_a_roster_row_whose_name_is_not_its_id_number_s_person_is_quarantined(tmp_path, store):
    """A roster row saying 杨芳佳 with 张伟's ID number gave 张伟 the post, without a word (the roster's 姓名 was
    read and never used). Spellings of one name pass: 繁体, spaces, middle dots; so does a roster loaded
    later against the register already in the store."""
    tables = copy.deepcopy(TABLES)
    first = tables["roster"][0]
    assert first["name"] == "张伟"
    tables["roster"] = [{**first, "name": "杨芳佳"}, {**first, "name": "張 偉", "post": "党组书记"}]
    report, _ = load_dir(write_city(tmp_path / "c", tables), store)
    q = [(x.file, x.row, x.column, x.reason) for x in report.quarantine]
    assert q == [
        (
            "roster.csv",
            2,
            "name",
            f"姓名 杨芳佳 is not the name 公民身份号码 {mask(P1, 'id_number')} is registered under (张伟): "
            "the row would be given to another person",
        )
    ]
    posts = store.run("MATCH (p:Person)-[e:EMPLOYED_BY]->() WHERE p.id = $p RETURN e.post AS post", p=P1)
    assert posts["post"].tolist() == ["党组书记"]
    later = {"roster": [{**first, "name": "杨芳佳", "post": "副局长"}, {**first, "post": "纪检组长"}]}
    report, _ = load_dir(write_city(tmp_path / "later", later), store)
    assert [(x.row, x.column) for x in report.quarantine] == [(2, "name")]
    assert report.files[0].loaded == 1


# ----------------------------------------------------------------- category columns in Chinese
def _cjk(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


def _enum_columns():
    return [(s, c) for s in CONTRACTS.values() for c in s.columns.values() if c.type == "enum"]


def test_every_enum_column_accepts_a_chinese_word_for_each_value():
    columns = _enum_columns()
    assert len(columns) == 16  # every enum column of every contract, vehicles and payments two each (bids: currency)
    for src, col in columns:
        words = {}
        for w, c in col.words:
            words.setdefault(c, []).append(w)
        missing = [v for v in col.values if not _cjk(v) and not any(_cjk(w) for w in words.get(v, []))]
        assert missing == [], f"{src.name}.{col.name}: no Chinese word for {missing}"
        assert len({w for w, _ in col.words}) == len(col.words), f"{src.name}.{col.name}: a word twice"


def test_kinship_words_read_from_the_persons_side():
    """子女 is the relative being the person's child: FAMILY {child} reads 'person parent of relative'."""
    from graphkit.model import Model

    words = dict(CONTRACTS["family"].columns["relationship"].words)
    assert (words["子女"], words["儿子"], words["父母"], words["母亲"], words["配偶"]) == (
        "child",
        "child",
        "parent",
        "parent",
        "spouse",
    )
    phrases = {cond: say for cond, say in Model.default().relationship("FAMILY").phrase_when}
    assert phrases[(("relationship", "child"),)][0] == "parent of"  # person → relative
    assert phrases[(("relationship", "parent"),)][0] == "child of"


def _graph(store):
    g = store.subgraph(store.run("MATCH (n) RETURN n.id AS id")["id"].tolist())
    nodes = sorted((n, sorted(d.items())) for n, d in g.nodes(data=True))
    edges = sorted((a, b, sorted(d.items())) for a, b, d in g.edges(data=True))
    return nodes, edges


def test_chinese_category_words_load_the_same_store_as_english(tmp_path):
    from graphkit.stores.embedded import EmbeddedStore

    zh_tables = copy.deepcopy(TABLES)
    changed = 0
    for src, col in _enum_columns():
        first = {}
        for w, c in col.words:
            first.setdefault(c, w)
        h = header_of(src, col.name)
        for row in zh_tables.get(src.name, []):
            if row.get(h) in first:
                row[h], changed = f" {first[row[h]]} ", changed + 1
    assert changed > 40
    en, zh = write_city(tmp_path / "en"), write_city(tmp_path / "zh", zh_tables)
    with EmbeddedStore(tmp_path / "en.db") as s1, EmbeddedStore(tmp_path / "zh.db") as s2:
        r1, _ = load_dir(en, s1)
        r2, _ = load_dir(zh, s2)
        assert r2.quarantine == r1.quarantine == []
        assert s1.counts() == s2.counts()
        assert _graph(s1) == _graph(s2)


# ----------------------------------------------------------------- numbers in identifier columns
def test_parquet_float_identifiers_read_as_digits_or_are_refused_as_lost(tmp_path):
    """pandas writes a phone column with blanks as floats (13912345678.0): read as its digits; an ID number as a
    float lost its last digits (a float holds 15-16): a cell error, never loaded."""
    from loaders.read import NUMBER_DIGITS_LOST, read_table

    df = pd.DataFrame(
        {
            "公民身份号码": [float(P1), float(P2), None],
            "姓名": ["张伟", "李娜", "王强"],
            "联系电话": [13912345678.0, None, 13912345678.5],
        }
    )
    df.to_parquet(tmp_path / "household.parquet", index=False)
    raw = read_table(tmp_path / "household.parquet", CONTRACTS["household"])
    assert raw.table.column("联系电话").to_pylist() == ["13912345678", None, "13912345678.5"]
    assert raw.cell_errors == {"公民身份号码": {0: NUMBER_DIGITS_LOST, 1: NUMBER_DIGITS_LOST}}
    from loaders.words import load_zh  # the Chinese console said it in English

    # the reason says how to fix the column (it had said only that the digits were lost)
    assert load_zh(NUMBER_DIGITS_LOST) == (
        "标识号存成了数字：后几位已丢失（请在生成该文件的程序中把该列写成文本：丢失的位数不在本文件中）"
    )
    assert NUMBER_DIGITS_LOST.endswith(
        "(write the column as text in the program that made the file: the lost digits are not in this file)"
    )


def test_a_parquet_phone_column_with_blanks_loads_like_csv(tmp_path):
    from graphkit.stores.embedded import EmbeddedStore

    tables = copy.deepcopy(TABLES)
    for i, row in enumerate(tables["household"]):
        row["联系电话"] = f"139{i:08d}" if i % 3 else ""  # mobiles and blanks: pandas makes the column float64
    a, b = write_city(tmp_path / "a", tables), write_city(tmp_path / "b", tables)
    df = pd.read_csv(b / "household.csv", dtype=str, keep_default_na=False)
    df["联系电话"] = pd.to_numeric(df["联系电话"].replace("", None))
    assert df["联系电话"].dtype == "float64"
    df.to_parquet(b / "household.parquet", index=False)
    (b / "household.csv").unlink()
    with EmbeddedStore(tmp_path / "a.db") as s1, EmbeddedStore(tmp_path / "b.db") as s2:
        load_dir(a, s1)
        report, _ = load_dir(b, s2)
        assert report.quarantine == []
        assert s1.counts() == s2.counts()
        assert s2.counts()["nodes"]["Phone"] > 20


def test_the_title_and_header_written_again_are_quarantined_as_such(tmp_path, store):
    """An export printed page by page writes its title and header again: the header was found at the repeat and
    the rows above it dropped as title lines, with nothing said (the first three persons lost, and their family
    and roster rows quarantined as unknown persons). Both are named for what they are; counts reconcile."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    city = write_city(tmp_path / "c", tables)
    p = city / "household.csv"
    lines = p.read_text(encoding="utf-8-sig").splitlines()
    title = "某区户籍登记表" + "," * (len(rows[0]) - 1)
    p.write_text("\n".join([title, lines[0], *lines[1:4], title, lines[0], *lines[4:]]) + "\n", encoding="utf-8")
    report, _ = load_dir(city, store)
    q = [(x.row, x.column, x.value, x.reason) for x in report.quarantine]
    assert q == [
        (6, "id_number", "某区户籍登记表", "the title written again, not a record"),
        (7, "id_number", "公民身份号码", "the header written again, not a record"),
    ]
    household = next(f for f in report.files if f.file.endswith("household.csv"))
    assert (household.read, household.loaded, household.quarantined) == (len(rows) + 2, len(rows), 2)


# ----------------------------------------------------------------- totals rows
def test_a_totals_row_is_quarantined_as_such_and_counts_reconcile(tmp_path, store):
    """合计 in the ID column was refused "ID number '**' is not 18 characters": the word masked as if an identifier.
    A totals row (合计/总计/小计 in its first cells) is named for what it is, still quarantined so counts reconcile."""
    tables = copy.deepcopy(TABLES)
    rows = tables["household"]
    blank = dict.fromkeys(rows[0], "")
    tables["household"] = [
        *rows,
        {**blank, "公民身份号码": "合计", "姓名": str(len(rows))},
        {**blank, "公民身份号码": "总 计：", "姓名": "", "性别": "男"},
    ]
    report, _ = load_dir(write_city(tmp_path / "c", tables), store)
    q = [(x.row, x.column, x.value, x.reason) for x in report.quarantine]
    n = len(rows)
    assert q == [
        (n + 2, "id_number", "合计", "totals row (合计), not a record"),
        (n + 3, "id_number", "总 计：", "totals row (总计), not a record"),
    ]
    household = next(f for f in report.files if f.file.endswith("household.csv"))
    assert (household.read, household.loaded, household.quarantined) == (n + 2, n, 2) and household.reconciles
