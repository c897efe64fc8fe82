"""``search.bulk_handles`` gives every person the handle ``search.handles`` gives it, one search per name: on the
fixture city with namesakes, 繁/简 pairs, aliases, padded and dotted names, Latin names, names that are
identifiers or another node's key, nameless persons and more namesakes than ``exact_matches`` numbers; before
the name index is built (the store answers by equality) and after; on the embedded store and on Neo4j alike."""

from __future__ import annotations

import pandas as pd
import pytest

from graphkit import paths, search
from graphkit.model.types import id_number_check
from graphkit.paths import run_query

A_SHARED = "苏州市工业园区星湖街328号"  # an Address of the fixture city: its key, no name


def pid(n: int) -> str:
    first17 = f"32050819810101{n:03d}"
    return first17 + id_number_check(first17)


def crowd(n: int) -> str:
    first17 = f"320508198202{n // 1000 + 1:02d}{n % 1000:03d}"
    return first17 + id_number_check(first17)


PERSONS = {
    pid(1): ("张伟", None),  # the fixture city's 张伟 too
    pid(2): ("張偉", None),  # the same name in traditional characters
    pid(3): ("張伟", None),  # half of each
    pid(4): ("王芳", None),
    pid(5): ("王芳", "王小芳"),
    pid(6): (" 赵敏", None),  # padded (the fixture city has a 赵敏)
    pid(7): ("阿依古丽•买买提", None),  # another middle dot
    pid(8): ("周杰", "周董\n 陈刚 \n陳剛"),  # aliases: one padded, one traditional
    pid(9): ("陈刚", None),
    pid(10): ("John Smith", "JOHN SMITH"),
    pid(11): ("john smith", None),
    pid(12): ("发财", None),  # 发 has several traditional sources (發, 髮)
    pid(13): ("髮財", None),
    pid(14): (None, None),  # nameless
    pid(15): ("", None),
    pid(16): (pid(1), None),  # another person's ID number as a name
    pid(17): (A_SHARED, None),  # an address's key as a name
    pid(18): ("李娜", None),  # the fixture city's 李娜's namesake
    pid(19): ("张伟（集团）", None),  # full-width brackets: not as loaders store them
    pid(20): ("苏州市城建局", None),  # a unit's name
}
#: more namesakes than exact_matches numbers: the last ones are given their key
CROWD = 1003


def extend(store) -> None:
    """The persons above, the crowd of namesakes, a company and units named as persons are."""
    store.upsert_nodes(
        "Person",
        pd.DataFrame(
            {
                "id": list(PERSONS),
                "name": [n for n, _ in PERSONS.values()],
                "aliases": [a for _, a in PERSONS.values()],
            }
        ),
    )
    store.upsert_nodes("Person", pd.DataFrame({"id": [crowd(i) for i in range(CROWD)], "name": "陈静"}))
    store.upsert_nodes("Company", pd.DataFrame({"id": ["91320500MA9999999X"], "name": ["张伟"], "aliases": ["王芳"]}))
    store.upsert_nodes("Organization", pd.DataFrame({"id": ["11320500MB9999999X"], "name": ["陳靜"]}))


def persons(store) -> pd.DataFrame:
    found = run_query(store, "MATCH (n:Person) RETURN n.id AS id, n.name AS name ORDER BY n.id", {})
    found.insert(0, "label", "Person")
    return found


def compare(store, *, one_by_one_indexed: bool = True) -> list[str]:
    """Bulk and one-by-one handles of every person, before the name index is built and after; the handles.
    Without ``one_by_one_indexed`` the one-by-one handles are read once, before the index (each takes a store
    search: on Neo4j the second reading took 15 s of the suite), and the bulk ones after it are compared with them."""
    found = persons(store)
    assert len(found) > CROWD + 40
    search._INDEXES.pop(store, None)
    bulk = search.bulk_handles(store, found)  # John Smith's handle is searched in the name index it builds
    search._INDEXES.pop(store, None)
    assert bulk == search.handles(store, found)
    search.refresh(store)
    assert search.bulk_handles(store, found) == bulk
    if one_by_one_indexed:
        assert search.handles(store, found) == bulk
    search._INDEXES.pop(store, None)
    return bulk


def check(bulk: list[str], found: pd.DataFrame) -> None:
    """What the handles say of the hard cases (so the comparison is not of two empty answers)."""
    h = dict(zip(found["id"], bulk, strict=True))
    assert h[pid(2)] == "張偉#1" and h[pid(14)] == pid(14) and h[pid(15)] == pid(15)
    assert {h[pid(4)], h[pid(5)]} == {"王芳#2", "王芳#3"}  # the company's alias 王芳 is #1 (Company < Person)
    assert h[pid(16)] == pid(16)  # its name is another person's ID number: it names that person
    assert h[pid(17)] == A_SHARED + "#2"  # the address is #1 (Address < Person)
    assert h[pid(13)] == "髮財#1" and h[pid(12)] == "发财#1"
    crowd_handles = [h[crowd(i)] for i in range(CROWD)]
    assert crowd_handles[:2] == ["陈静#1", "陈静#2"] and crowd_handles[999] == "陈静#1000"
    assert crowd_handles[1000:] == [crowd(i) for i in range(1000, CROWD)]  # the unit 陳靜 comes after (0.95)
    assert sorted(x for x in bulk if x.startswith("张伟")) == ["张伟#2", "张伟#3"]  # the company is #1
    assert h[pid(19)] == pid(19) and h[pid(6)] == " 赵敏#2" and h[pid(9)] == "陈刚#3"  # #2: 周杰, by an alias


def test_bulk_handles_are_the_handles_one_search_each_gives(loaded_city, monkeypatch):
    with loaded_city[1] as store:  # a copy of the fixture city's store, the test's own
        extend(store)
        bulk = compare(store)
        found = persons(store)
        check(bulk, found)
        # the names read in bulk are not asked one by one what form they have: `rank --kind person --out` of 10,000
        # persons spent a third of its handles' time guessing each name's label twice (paths.candidate_labels)
        # and in the four identifiers' normalisers, which a Chinese name without a digit is none of
        plain = found[[isinstance(n, str) and search._plain_name(n) for n in found["name"]]]
        asked = []
        for module, name in ((paths, "candidate_labels"), (search, "normalize_id_number"), (search, "normalize_phone")):
            fn = getattr(module, name)
            monkeypatch.setattr(module, name, lambda *a, _fn=fn, _name=name, **k: asked.append(_name) or _fn(*a, **k))
        assert len(plain) > CROWD and not asked
        digits = plain.loc[plain["name"].str.contains(r"\d"), "name"].nunique()  # (read as identifiers may be)
        kept = set(plain["id"])
        assert search.bulk_handles(store, plain) == [h for h, p in zip(bulk, found["id"], strict=True) if p in kept]
        assert not [a for a in asked if a == "candidate_labels"] and len(asked) == 2 * digits, (asked, digits)


def test_bulk_handles_of_a_few_or_none():
    """No row, and rows whose names need no store (nameless): the key."""
    assert search.bulk_handles(None, pd.DataFrame(columns=["label", "id", "name"])) == []
    found = pd.DataFrame({"label": ["Person", "Person"], "id": ["a", "b"], "name": [None, " "]})
    assert search.bulk_handles(None, found) == ["a", "b"]


@pytest.mark.neo4j
def test_bulk_handles_are_the_same_on_neo4j(city, tmp_path, neo4j_empty):
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.stores.neo4j import Neo4jStore
    from loaders.engine import load_dir

    neo = Neo4jStore.from_env(neo4j_empty.uri)
    try:
        neo.create_schema()
        load_dir(city, neo)
        extend(neo)
        on_neo4j = compare(neo, one_by_one_indexed=False)  # the embedded test reads both
        found = persons(neo)
    finally:
        if neo4j_empty.owned:
            neo4j_empty.wipe()
        neo.close()
    with EmbeddedStore(tmp_path / "g.db") as emb:
        emb.create_schema()
        load_dir(city, emb)
        extend(emb)
        assert persons(emb).equals(found)
        assert search.bulk_handles(emb, found) == on_neo4j
    check(on_neo4j, found)
