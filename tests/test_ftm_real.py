"""FtM imports on real exports (../shared/data/ftm_real_samples, read in place), every FtM schema
generated with followthemoney's own model, bad values, PEPs, names in every script and paths."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from followthemoney import model as ftm
from followthemoney import registry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.model import Model
from graphkit.paths import shortest_path, shortest_paths
from graphkit.search import find
from graphkit.stores.embedded import EmbeddedStore
from loaders.engine import LoadError, load_dir
from loaders.ftm import load_ftm, mapping

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ftm_real_samples"
AE = REAL / "ae_local_terrorists.ftm.json"
VE = REAL / "ve_asamblea_nacional.ftm.json"
LUANDA = REAL / "icij_luanda_leaks.aleph.ftm.jsonl"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/ftm_real_samples is not there")

# what each real export gives (SOURCE.md: schema counts; every line loads, no value is refused)
EXPECTED = {
    AE.name: (
        566,
        {"Person": 148, "Organization": 134, "Vehicle": 1, "Sanction": 283},
        {"SANCTIONS": 283},
    ),
    VE.name: (549, {"Person": 274, "Position": 1}, {"HOLDS_POSITION": 274}),
    # 423 companies and 3 persons cite the Table (proof); 2 tables name their workbook as parent and ancestor
    LUANDA.name: (852, {"Company": 423, "Person": 3, "Thing": 3}, {"SHAREHOLDER_OF": 423, "FTM_REF": 430}),
}


def nonzero(counts):
    return ({k: v for k, v in counts["nodes"].items() if v}, {k: v for k, v in counts["relationships"].items() if v})


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("path", [AE, VE, LUANDA], ids=lambda p: p.name)
def test_real_export_loads_with_exact_counts(store, path):
    lines, nodes, rels = EXPECTED[path.name]
    report = load_ftm(path, store)
    assert report.totals() == {"read": lines, "loaded": lines, "quarantined": 0}
    assert report.quarantine == [] and report.dropped == []
    assert report.files[0].reconciles
    assert nonzero(store.counts()) == (nodes, rels)
    assert sum(report.created().values()) == sum(nodes.values()) + sum(rels.values())


def test_every_name_value_of_a_sanctions_export_is_kept(store):
    load_ftm(AE, store)
    raw = [json.loads(x) for x in AE.read_text(encoding="utf-8").splitlines()]
    people = {e["id"]: e for e in raw if e["schema"] == "Person"}
    got = store.run("MATCH (p:Person) RETURN p.id AS id, p.name AS name, p.aliases AS aliases, p.topics AS t")
    assert len(got) == 148
    for row in got.itertuples():
        stored = {row.name, *(row.aliases or "").split("\n")} - {""}
        names = {" ".join(n.split()) for n in people[row.id]["properties"]["name"]}
        assert stored == names, row.id
    assert set(got["t"].dropna()) == {"sanction"}
    assert (got["aliases"].notna()).sum() == 148  # Arabic and Latin on 147 persons, two Latin names on one
    sanctioned = store.run("MATCH (s:Sanction)-[:SANCTIONS]->(x) RETURN label(x) AS lab, count(*) AS n")
    assert dict(zip(sanctioned["lab"], sanctioned["n"], strict=True)) == {
        "Person": 148,
        "Organization": 134,
        "Vehicle": 1,
    }


def test_peps_of_a_pep_export_are_officials_holding_their_post(store):
    load_ftm(VE, store)
    peps = store.run("MATCH (p:Person) WHERE p.pep RETURN count(p) AS n").iloc[0, 0]
    posts = store.run(
        "MATCH (p:Person)-[h:HOLDS_POSITION]->(x:Position) RETURN x.name AS post, h.status AS status, count(*) AS n"
    )
    assert peps == 274
    assert posts.to_dict("records") == [
        {"post": "Member of the National Assembly of Venezuela", "status": "current", "n": 274}
    ]


def test_a_post_loaded_later_still_marks_its_holder(store, tmp_path):
    people = write_jsonl(
        tmp_path / "p.ftm.jsonl", [{"id": "p1", "schema": "Person", "properties": {"name": ["Ana Pop"]}}]
    )
    posts = write_jsonl(
        tmp_path / "o.ftm.jsonl",
        [
            {"id": "pb", "schema": "PublicBody", "properties": {"name": ["Chamber of Deputies"]}},
            {"id": "pos", "schema": "Position", "properties": {"name": ["Deputy"], "organization": ["pb"]}},
            {
                "id": "occ",
                "schema": "Occupancy",
                "properties": {"holder": ["p1"], "post": ["pos"], "startDate": ["2020-12-21"]},
            },
        ],
    )
    load_ftm(people, store)
    assert not store.run("MATCH (p:Person {id: 'p1'}) RETURN p.pep AS pep").iloc[0, 0]
    report = load_ftm(posts, store)
    assert report.totals() == {"read": 3, "loaded": 3, "quarantined": 0}
    assert store.run("MATCH (p:Person {id: 'p1'}) RETURN p.pep AS pep").iloc[0, 0]
    # a post at an organisation: the holder also works there as an official (what the roster models read)
    emp = s_emp = store.run(
        "MATCH (p:Person)-[e:EMPLOYED_BY]->(o:Organization) RETURN p.id AS p, o.kind AS kind, e.role AS role, "
        "e.post AS post, e.start_date AS start"
    )
    assert s_emp.iloc[0][["p", "kind", "role", "post"]].tolist() == ["p1", "government", "official", "Deputy"]
    assert len(emp) == 1 and str(emp.iloc[0]["start"])[:10] == "2020-12-21"


# --------------------------------------------------------------- every FtM schema
_SAMPLES = {
    "country": ["de", "ru", "ae"],
    "language": ["eng", "rus"],
    "gender": ["male", "female"],
    "date": ["2011-12-29", "1791", "2020-05"],
    "number": ["12.5", "3"],
    "phone": ["+49 30 1234567", "+7 495 123 45 67"],
    "email": ["info@example.org"],
    "url": ["https://example.org/a"],
    "ip": ["10.1.2.3"],
    "mimetype": ["text/plain"],
    "checksum": ["da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    "topic": ["role.pep", "sanction", "crime"],
    "json": ['{"a": 1}'],
    "identifier": ["AB123456", "7707083893"],
    "address": ["Petuelring 130, 80788 München"],
    "name": ["Светлана Захарова", "Abd al-Aziz", "عبد العزيز", "張偉", "Ana Pop"],
}


def _schema_entities(draw, schema) -> list[dict]:
    """One entity of ``schema`` with some of its properties, and the entities its references name."""
    ent = {"id": f"e-{schema.name}", "schema": schema.name, "properties": {}}
    others = []
    for prop in schema.properties.values():
        if prop.stub or (prop.name not in schema.required and not draw(st.booleans())):
            continue
        if prop.type == registry.entity:
            target = prop.range if not prop.range.abstract else ftm.get("Person")
            if target.name in ("Interval", "Interest") or target.abstract:
                target = ftm.get("Person")
            ref = {"id": f"r-{schema.name}-{prop.name}", "schema": target.name, "properties": {}}
            for req in target.required:
                if target.get(req).type == registry.entity:
                    continue
                ref["properties"][req] = ["Ref " + req]
            ent["properties"][prop.name] = [ref["id"]]
            others.append(ref)
            continue
        pool = _SAMPLES.get(prop.type.name, ["Some text"])
        ent["properties"][prop.name] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
    return [*others, ent]


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_ftm_schema_loads_and_nothing_is_not_mapped(data):
    lines = []
    for schema in sorted(ftm.schemata.values(), key=lambda s: s.name):
        lines += _schema_entities(data.draw, schema)
    with tempfile.TemporaryDirectory() as d:
        path = write_jsonl(Path(d) / "every.ftm.jsonl", lines)
        with EmbeddedStore(Path(d) / "g.db") as s:
            s.create_schema()
            report = load_ftm(path, s)
            assert report.quarantine == [], report.quarantine[:3]
            assert report.totals() == {"read": len(lines), "loaded": len(lines), "quarantined": 0}
            # every schema is in the graph as itself: a node with its ftm_schema, or a relationship
            stored = set()
            for label, spec in s.model.labels.items():
                if "ftm_schema" in spec.properties:
                    stored |= set(s.run(f"MATCH (n:{label}) RETURN DISTINCT n.ftm_schema AS x")["x"].dropna())
            for rtype, spec in s.model.relationships.items():
                if "ftm_schema" in spec.properties:
                    stored |= set(s.run(f"MATCH ()-[r:{rtype}]->() RETURN DISTINCT r.ftm_schema AS x")["x"].dropna())
            edges = {n for n, sc in ftm.schemata.items() if sc.edge and n != "Payment"}
            assert set(ftm.schemata) - stored <= edges  # Ownership, Directorship, Family … keep no schema column
            for name in edges - stored:
                assert mapping().rule(ftm.get(name)).edge


def test_mapping_names_only_what_ftm_and_the_model_have():
    mapping().check(Model.default())
    for name, schema in ftm.schemata.items():
        rule = mapping().rule(schema)
        assert rule.name, name  # every FtM schema maps somewhere


# --------------------------------------------------------------- bad values lose only themselves
def test_three_phones_in_one_value_and_a_bad_phone_keep_the_company_and_its_links(store, tmp_path):
    path = write_jsonl(
        tmp_path / "co.ftm.jsonl",
        [
            {
                "id": "c1",
                "schema": "Company",
                "properties": {
                    "name": ["Analytical Engines Ltd"],
                    "phone": ["+49 30 1234567, +49 30 7654321; +49 30 1111111", "call us maybe"],
                    "incorporationDate": ["not a date"],
                    "colour": ["blue"],
                },
            },
            {"id": "p1", "schema": "Person", "properties": {"name": ["Ada Lovelace"]}},
            {"id": "p2", "schema": "Person", "properties": {"name": ["Charles Babbage"]}},
            {"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c1"], "percentage": ["60"]}},
            {"id": "d1", "schema": "Directorship", "properties": {"director": ["p2"], "organization": ["c1"]}},
            {
                "id": "d2",
                "schema": "Directorship",
                "properties": {"director": ["p1"], "organization": ["c1"], "proof": ["gone"]},
            },
        ],
    )
    report = load_ftm(path, store)
    assert report.totals() == {"read": 6, "loaded": 6, "quarantined": 0}
    dropped = [(d.row, d.column, d.value) for d in report.dropped]
    # a value with no digit holds no identifier and is shown as written (it was 'cal********be')
    assert dropped == [(1, "phone", "call us maybe"), (1, "incorporationDate", "not a date"), (1, "colour", "blue")]
    assert "not a valid FtM phone" in report.dropped[0].reason
    assert report.files[0].dropped == Counter({"phone": 1, "incorporationDate": 1, "colour": 1})
    nodes, rels = nonzero(store.counts())
    assert nodes == {"Company": 1, "Person": 2, "Phone": 3}
    assert rels == {"SHAREHOLDER_OF": 1, "EXECUTIVE_OF": 2, "HAS_PHONE": 3}
    phones = store.run("MATCH (:Company)-[:HAS_PHONE]->(p:Phone) RETURN p.id AS id ORDER BY id")["id"].tolist()
    assert phones == ["+49301111111", "+49301234567", "+49307654321"]
    assert "call us maybe" in report.to_json()  # no digit in it: no identifier to mask


def test_family_words_are_open_text_and_kept(store, tmp_path):
    path = write_jsonl(
        tmp_path / "fam.ftm.jsonl",
        [
            {"id": "p1", "schema": "Person", "properties": {"name": ["A B"], "topics": ["role.pep"]}},
            {"id": "p2", "schema": "Person", "properties": {"name": ["C D"]}},
            {"id": "p3", "schema": "Person", "properties": {"name": ["E F"]}},
            {
                "id": "f1",
                "schema": "Family",
                "properties": {"person": ["p1"], "relative": ["p2"], "relationship": ["Family member of"]},
            },
            {
                "id": "f2",
                "schema": "Family",
                "properties": {"person": ["p1"], "relative": ["p3"], "relationship": ["Wife"]},
            },
            {
                "id": "a1",
                "schema": "Associate",
                "properties": {"person": ["p2"], "associate": ["p3"], "relationship": ["business partner"]},
            },
            {"id": "u1", "schema": "UnknownLink", "properties": {"subject": ["p3"], "object": ["nowhere"]}},
        ],
    )
    report = load_ftm(path, store)
    assert [(q.row, q.column, q.value) for q in report.quarantine] == [(7, "object", "nowhere")]
    assert report.totals() == {"read": 7, "loaded": 6, "quarantined": 1}
    fam = store.run(
        "MATCH (a)-[f:FAMILY]->(b) RETURN b.id AS b, f.relationship AS r, f.relationship_text AS t ORDER BY b.id"
    )
    assert fam.to_dict("records") == [
        {"b": "p2", "r": "other", "t": "Family member of"},
        {"b": "p3", "r": "spouse", "t": "Wife"},
    ]
    assert store.run("MATCH ()-[a:ASSOCIATE_OF]->() RETURN a.relationship AS r").iloc[0, 0] == "business partner"
    assert store.run("MATCH (p:Person) WHERE p.pep RETURN p.id AS id")["id"].tolist() == ["p1"]


def test_fragments_of_one_entity_are_merged_and_unknown_schemata_refused(store, tmp_path):
    path = write_jsonl(
        tmp_path / "frag.ftm.jsonl",
        [
            {"id": "x", "schema": "LegalEntity", "properties": {"name": ["Acme"]}},
            {"id": "x", "schema": "Company", "properties": {"alias": ["ACME Holdings"]}},
            {"id": "y", "schema": "Spaceship", "properties": {"name": ["Heart of Gold"]}},
            {"id": "x", "schema": "Person", "properties": {"name": ["Acme"]}},
        ],
    )
    report = load_ftm(path, store)
    assert [(q.row, q.column) for q in report.quarantine] == [(3, "schema"), (4, "schema")]
    assert "FtM has no schema 'Spaceship'" in report.quarantine[0].reason
    assert report.totals() == {"read": 4, "loaded": 2, "quarantined": 2}
    got = store.run("MATCH (c:Company) RETURN c.id AS id, c.name AS n, c.aliases AS a, c.ftm_schema AS s")
    assert got.to_dict("records") == [{"id": "x", "n": "Acme", "a": "ACME Holdings", "s": "Company"}]


# --------------------------------------------------------------- names in every script
def _persons(path: Path) -> list[dict]:
    return [e for e in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if e["schema"] == "Person"]


def _script(text: str) -> str:
    if any("\u0600" <= c <= "\u06ff" for c in text):
        return "arabic"
    if any("\u0400" <= c <= "\u04ff" for c in text):
        return "cyrillic"
    return "latin"


@pytest.mark.parametrize("script", ["latin", "arabic"])
def test_find_finds_persons_of_a_real_export_by_a_name_value(store, script):
    """Ten persons (every 14th of the sanctions export, in file order), each by one of its name values
    in the script; at least nine must come back among the top five."""
    load_ftm(AE, store)
    load_ftm(VE, store)
    people = [p for p in _persons(AE) if any(_script(n) == script for n in p["properties"]["name"])][::14][:10]
    assert len(people) == 10
    found = 0
    for p in people:
        value = next(n for n in p["properties"]["name"] if _script(n) == script)
        hits = find(store, value, limit=5)
        found += p["id"] in set(hits["id"])
    assert found == 10, found  # the acceptance asks 9 of 10; bench/ftm_find.py counts all 148 persons


def test_find_matches_order_parts_scripts_and_transliterations(store, tmp_path):
    # no real export at hand has Cyrillic names (SOURCE.md): these three are written here
    path = write_jsonl(
        tmp_path / "names.ftm.jsonl",
        [
            {"id": "sz", "schema": "Person", "properties": {"name": ["Светлана Владимировна Захарова"]}},
            {
                "id": "ka",
                "schema": "Person",
                "properties": {"name": ["Konstantin Abashkin"], "weakAlias": ["Абашкин Константин"]},
            },
            {"id": "aa", "schema": "Person", "properties": {"name": ["Abd al-Aziz"], "alias": ["عبد العزيز"]}},
            {"id": "zw", "schema": "Person", "properties": {"name": ["张伟"]}},
            {
                "id": "pa",
                "schema": "Person",
                "properties": {"name": ["((MOHSEN HASSAN ABADI", "محمد أوهادي (جلال فهدي)"]},
            },
        ],
    )
    load_ftm(path, store)
    for query, expected in [
        ("Abd al-Aziz", "aa"),
        ("abd al aziz", "aa"),
        ("عبد العزيز", "aa"),
        ("Abashkin Konstantin", "ka"),
        ("Константин Абашкин", "ka"),
        ("Светлана Захарова", "sz"),
        ("Svetlana Zakharova", "sz"),
        ("Svetlana Zaharova", "sz"),
        ("張偉", "zw"),
        ("zhangwei", "zw"),
        ("((MOHSEN HASSAN ABADI", "pa"),  # punctuation in a stored name value
        ("محمد أوهادي (جلال فهدي)", "pa"),
        ("Mohsen Abadi", "pa"),
    ]:
        hits = find(store, query, limit=3)
        assert not hits.empty and hits.iloc[0]["id"] == expected, (query, hits.to_dict("records"))


# --------------------------------------------------------------- paths on outside data
def _raw_graph(*paths: Path) -> tuple[nx.Graph, set[str], set[str]]:
    """The FtM files as plain networkx: every edge entity and entity reference one link; flagged persons
    (a topic, or holding a post) and companies."""
    g, flagged, companies = nx.Graph(), set(), set()
    for path in paths:
        for e in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            schema = ftm.get(e["schema"])
            props = e["properties"]
            if schema.edge and schema.name != "Payment":
                for s in props.get(schema.edge_source, []):
                    for t in props.get(schema.edge_target, []):
                        g.add_edge(s, t)
                if schema.name == "Occupancy":
                    flagged.update(props.get("holder", []))
                continue
            g.add_node(e["id"])
            for name, values in props.items():
                prop = schema.get(name)
                if prop is not None and prop.type == registry.entity:
                    for v in values:
                        g.add_edge(e["id"], v)
            if schema.is_a("Person") and props.get("topics"):
                flagged.add(e["id"])
            if schema.is_a("Company"):
                companies.add(e["id"])
    return g, flagged, companies


def test_flagged_person_relative_company_chain_is_found_at_the_networkx_length(store, tmp_path):
    """A PEP from the real PEP export, a relative, and a company of the real Luanda Leaks export joined
    by a Family and a Directorship written here (no real export at hand has Family): graphkit path
    finds the chain at the length plain networkx computes from the raw JSON, and so does every
    flagged person → company pair of the real files."""
    pep = _persons(VE)[0]["id"]
    company = next(e["id"] for e in map(json.loads, LUANDA.read_text().splitlines()) if e["schema"] == "Company")
    ties = write_jsonl(
        tmp_path / "ties.ftm.jsonl",
        [
            {"id": "rel", "schema": "Person", "properties": {"name": ["Relative One"]}},
            {
                "id": "fam",
                "schema": "Family",
                "properties": {"person": [pep], "relative": ["rel"], "relationship": ["brother"]},
            },
            {"id": "dir", "schema": "Directorship", "properties": {"director": ["rel"], "organization": [company]}},
        ],
    )
    files = [VE, LUANDA, ties]
    for f in files:
        assert load_ftm(f, store).totals()["quarantined"] == 0
    g, flagged, companies = _raw_graph(*files)
    assert pep in flagged
    pairs = [(pep, company)] + [
        (f, c) for f in sorted(flagged)[:3] for c in sorted(companies)[:3] if nx.has_path(g, f, c)
    ]
    for a, b in pairs:
        expected = nx.shortest_path_length(g, a, b)
        p = shortest_path(store, a, b, max_hops=6)
        assert p is not None and len(p.links) == expected, (a, b)
    assert nx.shortest_path_length(g, pep, company) == 2
    db = store.path if hasattr(store, "path") else None
    if db is not None:
        from graphkit.cli import main

        store.close()
        out = CliRunner().invoke(main, ["path", pep, company, "--store", f"embedded:{db}", "--json"])
        assert out.exit_code == 0, out.output
        assert len(json.loads(out.output)[0]["links"]) == 2


def test_two_companies_of_one_owner_are_joined_through_the_owner_not_the_companies_list(store, tmp_path):
    """Luanda Leaks: every company and person cites one Aleph document, "Companies list" (428 links), as its
    proof, so two companies of one owner are joined by two paths of two hops: through their owner and through
    the document.  The owner's path comes first for every owner (the document's key sorts before two of the
    three owners' keys, and its path used to come first for them), the document's second."""
    raw = [json.loads(x) for x in LUANDA.read_text(encoding="utf-8").splitlines()]
    names = {e["id"]: e["properties"]["name"][0] for e in raw if e["schema"] in ("Person", "Company")}
    owned: dict[str, list[str]] = {}
    for e in raw:
        if e["schema"] == "Ownership":
            owned.setdefault(e["properties"]["owner"][0], []).append(e["properties"]["asset"][0])
    assert len(owned) == 3 and all(len(v) > 100 for v in owned.values())
    load_ftm(LUANDA, store)
    for owner, assets in sorted(owned.items()):
        a, b = sorted(assets)[:2]
        both = shortest_paths(store, a, b)
        assert [len(p) for p in both] == [2, 2], names[owner]
        assert both[0].ids == (a, owner, b), names[owner]
        assert both[1].nodes[1].properties["name"] == "Companies list"
        assert shortest_path(store, a, b).ids == both[0].ids
    from graphkit.cli import main

    db = store.path
    store.close()
    out = CliRunner().invoke(
        main,
        ["path", "ASCORP - Angola Selling Corporation, SARL", "Angola Cables, S.A.", "--store", f"embedded:{db}"]
        + ["--lang", "en"],
    )
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0] == (
        "path 1 (2 hops): ASCORP - Angola Selling Corporation, SARL — owned by — Isabel dos Santos — "
        "shareholder of — Angola Cables, S.A."
    )


# --------------------------------------------------------------- graphkit load DIR
def test_load_dir_reads_ftm_files_and_names_other_kinds(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ve.ftm.json").write_bytes(VE.read_bytes())
    (folder / "readme.txt").write_text("hello", encoding="utf-8")
    # what a file is decides, not its name: documentation and a JSON object with no FtM schema are no data (noted);
    # FtM entities under a plain .json name (JSON lines, one entity, one entity over several lines) are loaded as
    # FtM, said in a note (they had been warned as "neither a table nor FtM entities"); a .txt is warned of
    (folder / "SOURCE.md").write_text("# where the files come from\n", encoding="utf-8")
    (folder / "settings.json").write_text('{"dataset": "ve"}', encoding="utf-8")
    lines = VE.read_text(encoding="utf-8").splitlines()
    (folder / "one.json").write_text(lines[0], encoding="utf-8")
    (folder / "lines.json").write_text("\n".join(lines[1:3]), encoding="utf-8")
    (folder / "pretty.json").write_text(json.dumps(json.loads(lines[3]), indent=2), encoding="utf-8")
    report, unknown = load_dir(folder, store)
    assert unknown == []
    assert [(f.file, f.read, f.loaded) for f in report.files] == [
        ("lines.json", 2, 2),
        ("one.json", 1, 1),
        ("pretty.json", 1, 1),
        ("ve.ftm.json", 549, 549),
    ]
    assert report.warnings == ["readme.txt: skipped, neither a table (.csv, .xlsx, .xls, .parquet) nor FtM entities"]
    notes = [n for f in report.files for n in f.notes()]
    assert (
        "one.json: read as FtM entities by what it holds (objects with schema and properties); its name does not "
        "say so: name it one.ftm.json to say so"
    ) in notes, notes
    assert not any(n.startswith("ve.ftm.json") for n in notes), notes
    from loaders.words import load_zh

    assert load_zh(next(n for n in notes if n.startswith("one.json"))) == (
        "one.json：按其内容（含 schema 和 properties 的对象）读作 FtM 实体；文件名未表明这一点：可改名为 one.ftm.json"
    )
    assert report.skipped == {"SOURCE.md": "documentation", "settings.json": "json"}
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "a.pdf").write_bytes(b"%PDF")
    (empty / "b.txt").write_text("x", encoding="utf-8")
    with pytest.raises(LoadError, match=r"nothing to load.*a\.pdf, b\.txt"):
        load_dir(empty, store)


def test_cli_load_takes_a_folder_and_ftm_files_elsewhere(tmp_path):
    from graphkit.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    import gzip

    (folder / "ae.ftm.json.gz").write_bytes(gzip.compress(AE.read_bytes()))
    db = tmp_path / "g.db"
    out = CliRunner().invoke(main, ["load", str(folder), "--store", f"embedded:{db}", "--ftm", str(VE)])
    assert out.exit_code == 0, out.output
    assert any(line.startswith("合计") and "1,115" in line for line in out.output.splitlines())  # 566 + 549
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "notes.docx").write_bytes(b"PK")
    out = CliRunner().invoke(main, ["load", str(bad), "--store", f"embedded:{tmp_path / 'h.db'}"])
    assert out.exit_code != 0 and "notes.docx" in out.output


# --------------------------------------------------------------- both stores
def _null(value):
    """A null as None: Neo4j's DataFrames give None, Ladybug's NaN."""
    return None if value is None or value != value else value


def _graph_facts(store) -> tuple[dict, set, set]:
    """Counts, every node (label, id, name, ftm_schema, pep) and every link (type, from, to, ftm_schema)."""
    nodes, links = set(), set()
    for label, spec in store.model.labels.items():
        if "ftm_schema" not in spec.properties:
            continue
        pep = "n.pep" if "pep" in spec.properties else "null"
        name = "n.name" if "name" in spec.properties else "null"
        for row in store.run(
            f"MATCH (n:{label}) RETURN n.id AS id, {name} AS name, n.ftm_schema AS s, {pep} AS pep"
        ).itertuples():
            pep = _null(row.pep)
            nodes.add((label, row.id, _null(row.name), _null(row.s), None if pep is None else bool(pep)))
    for rtype in store.model.relationships:
        for row in store.run(f"MATCH (a)-[r:{rtype}]->(b) RETURN a.id AS a, b.id AS b, r.src_row AS row").itertuples():
            links.add((rtype, row.a, row.b, _null(row.row)))
    return store.counts(), nodes, links


@pytest.mark.neo4j
def test_ftm_import_gives_the_same_graph_on_neo4j_and_embedded(tmp_path, neo4j_empty):
    from graphkit.stores.neo4j import Neo4jStore

    neo = Neo4jStore.from_env(neo4j_empty.uri)
    try:
        neo.create_schema()
        with EmbeddedStore(tmp_path / "g.db") as emb:
            emb.create_schema()
            for path in (AE, VE, LUANDA):
                a, b = load_ftm(path, neo), load_ftm(path, emb)
                assert a.totals() == b.totals() and dict(a.created()) == dict(b.created()), path.name
            assert _graph_facts(neo) == _graph_facts(emb)
    finally:
        if neo4j_empty.owned:
            neo4j_empty.wipe()
        neo.close()


def test_a_reference_the_model_cannot_hold_is_dropped_or_refused_not_a_crash(store, tmp_path):
    import pyarrow as pa

    tender = pa.Table.from_pylist([{"id": "T-1", "title": "Roads"}], schema=store.model.arrow_schema("Tender"))
    store.upsert_nodes("Tender", tender)
    path = write_jsonl(
        tmp_path / "refs.ftm.jsonl",
        [
            {"id": "n1", "schema": "Note", "properties": {"entity": ["T-1"], "description": ["about the tender"]}},
            {"id": "c1", "schema": "Company", "properties": {"name": ["Acme"], "proof": ["T-1"]}},
            {"id": "x", "schema": "Person", "properties": {"birthDate": ["1970"]}},
            {"id": "x", "schema": "Person", "properties": {"nationality": ["de"]}},
        ],
    )
    report = load_ftm(path, store)
    # Note.entity is optional in FtM: the value is dropped; Company.proof too; the nameless person's two
    # fragments are both quarantined, so the counts reconcile
    assert [(q.row, q.column) for q in report.quarantine] == [(3, "name"), (4, "name")]
    assert [(d.row, d.column, d.value) for d in report.dropped] == [(1, "entity", "T-1"), (2, "proof", "T-1")]
    assert "no relationship of the model joins Thing → Tender" in report.dropped[0].reason
    assert report.totals() == {"read": 4, "loaded": 2, "quarantined": 2}
    assert report.files[0].reconciles


# --------------------------------------------------------------- masking a home address in any script
def _with_address(path: Path, schema: str, text: str) -> str:
    """The id of the entity of ``schema`` in a real export whose ``address`` is ``text``."""
    for line in path.read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        if e["schema"] == schema and text in e["properties"].get("address", []):
            return e["id"]
    raise AssertionError(f"no {schema} at {text!r} in {path.name}")


def test_a_home_address_in_any_script_is_masked_in_every_face_and_a_companys_registered_one_is_not(tmp_path):
    """A sanctioned person's address (Arabic free text, FtM ``address``) and a donor's home (a Latin ``Address``
    entity) keep only their city and country in find, neighbours (text and JSON), the seven export formats and
    the explorer panel; Daimler AG's registered address, which no person shares, stays in clear."""
    from test_export_cases import pdf_text

    from graphkit.cli import main
    from graphkit.widgets.explorer import Explorer
    from loaders.ftm import SAMPLE

    spec = f"embedded:{tmp_path / 'g.db'}"

    def run(*args) -> str:
        out = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert out.exit_code == 0, out.output
        return out.output

    run("load", "--store", spec, "--ftm", AE, "--ftm", SAMPLE, "--quarantine", tmp_path / "q.csv")
    karachi = _with_address(AE, "Person", "شارع 30, كراتشي, باكستان")
    istanbul = _with_address(AE, "Person", "إسطنبول, تركيا")  # a city alone, and a passport number
    donor, home, daimler = (
        "f9c295f21b233ac878fbac4d271bb6fd13d7952a",  # Frau Lina Dachner
        "97149caa3aef14e2be5ae6b3974c6882e7536d88",  # her Address entity
        "66ce9f62af8c7d329506da41cb7c36ba058b3d28",  # Daimler AG
    )
    hidden = ("شارع 30", "Schillerstraße", "76135", "618452")  # and the sanctioned person's passport number
    faces = {
        "find": run("find", home, "--store", spec),
        "find --json": run("find", home, "--store", spec, "--json"),
        "neighbours": run("neighbours", donor, "--store", spec, "--hops", 1),
        "neighbours --json": run("neighbours", karachi, "--store", spec, "--hops", 1, "--json")
        + run("neighbours", donor, "--store", spec, "--hops", 1, "--json")
        + run("neighbours", istanbul, "--store", spec, "--hops", 1, "--json"),
    }
    fmts = ("json", "graphml", "gexf", "html", "svg", "pdf", "png")
    for who in (karachi, donor, istanbul):
        run(
            "neighbours",
            who,
            "--store",
            spec,
            "--hops",
            1,
            *(x for f in fmts for x in ("--export", tmp_path / f"{who}.{f}")),
        )
        for f in fmts:
            p = tmp_path / f"{who}.{f}"
            assert p.stat().st_size > 0, p
            if f == "pdf" and shutil.which("pdftotext"):
                faces[p.name] = pdf_text(p)
            elif f != "png" and f != "pdf":  # a PNG is pixels: its drawing is the PDF's and the SVG's
                faces[p.name] = p.read_text(encoding="utf-8")
    store = EmbeddedStore(tmp_path / "g.db", read_only=True)
    try:
        panel = Explorer(store, out_dir=tmp_path / "case", page_size=8)
        panel.query.value = home  # found by its key, the list shows its text
        panel.find()
        panel.hops.value = 1
        panel.expand()
        faces["panel"] = json.dumps(
            [[o[0] for o in panel.results.options], panel.view.nodes, panel.view.edges], ensure_ascii=False
        )
        panel.export_format.value = "graphml"
        panel.case.value = "case-1"
        written = panel.export()
        assert written is not None, panel.status.value
        faces["panel export"] = written.read_text(encoding="utf-8")
    finally:
        store.close()
    for face, text in faces.items():
        assert not any(h in text for h in hidden), (face, [h for h in hidden if h in text])
    assert "****, Karlsruhe" in faces["find"] and "****, Karlsruhe" in faces["neighbours"]
    assert "****, Karlsruhe" in faces["panel"]
    assert "****, كراتشي, باكستان" in faces[f"{karachi}.json"]  # the city and the country stay readable
    assert "إسطنبول, تركيا" in faces[f"{istanbul}.json"]  # nothing below the city: as written
    shown = run("neighbours", daimler, "--store", spec, "--hops", 1)
    assert "Mercedesstraße 137, 70327 Stuttgart" in shown  # a company's registered address, no person there
    clear = run("neighbours", donor, "--store", spec, "--hops", 1, "--unmask", "--reason", "立案审查")
    assert "Schillerstraße 19, 76135 Karlsruhe" in clear


@pytest.mark.neo4j
def test_home_and_registered_addresses_mask_alike_on_neo4j_and_embedded(tmp_path, neo4j_empty):
    from graphkit.model.mask import known_public, mask_graph
    from graphkit.paths import neighbourhood
    from graphkit.stores.neo4j import Neo4jStore
    from loaders.ftm import SAMPLE

    def shown(store) -> list:
        out = []
        with known_public(store.public_keys()):
            for seed in ("f9c295f21b233ac878fbac4d271bb6fd13d7952a", "66ce9f62af8c7d329506da41cb7c36ba058b3d28"):
                g = mask_graph(neighbourhood(store, ("Person" if seed[0] == "f" else "Company", seed), hops=1))
                out.append(sorted((n, a.get("name"), a.get("full"), a.get("city")) for n, a in g.nodes(data=True)))
        return out

    neo = Neo4jStore.from_env(neo4j_empty.uri)
    try:
        neo.create_schema()
        with EmbeddedStore(tmp_path / "g.db") as emb:
            emb.create_schema()
            for s in (neo, emb):
                load_ftm(SAMPLE, s)
            a, b = shown(neo), shown(emb)
        assert a == b
        assert any(x[1] == "****, Karlsruhe" for x in a[0]) and "Schillerstraße" not in repr(a)
        assert any(x[1] == "Mercedesstraße 137, 70327 Stuttgart" for x in a[1])
    finally:
        if neo4j_empty.owned:
            neo4j_empty.wipe()
        neo.close()
