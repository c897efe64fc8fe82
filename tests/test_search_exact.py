"""A name some entity carries exactly is resolved by asking the store, without building the name index, and
the answer is the index's: the same candidates, order, words, namesakes and refusals.

The store holds what makes an exact lookup hard: namesakes, the same name in traditional characters and in a
mix of both, a name padded with white space or written with another middle dot (stored before loaders
normalised them), other names (aliases) padded or with another dot, a company name with digits and brackets,
a Latin name in two cases.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import pandas as pd
import pytest

from graphkit import search
from graphkit.model.types import id_number_check
from graphkit.paths import PathError
from graphkit.stores.embedded import EmbeddedStore


def pid(n: int) -> str:
    first17 = f"32050819800101{n:03d}"
    return first17 + id_number_check(first17)


PERSONS = {
    pid(1): ("张伟", None),
    pid(2): ("張偉", None),  # the same name in traditional characters
    pid(3): ("張伟", None),  # half of each
    pid(4): ("李桂思", None),  # one of a kind
    pid(5): ("王芳", None),
    pid(6): ("王芳", "王小芳"),  # namesakes
    pid(7): (" 赵敏", None),  # padded: stored before loaders trimmed names
    pid(8): ("阿依古丽•买买提", None),  # another middle dot
    pid(9): ("周杰", "周董\n 陈刚 \n陳剛"),  # aliases: one padded, one traditional
    pid(10): ("吴磊", "古丽•热娜"),  # an alias with another dot
    pid(11): ("John Smith", "JOHN SMITH"),
    pid(12): ("john smith", None),
    pid(13): ("欧阳娜娜", None),
    pid(14): ("发财", None),  # 发 has several traditional sources (發, 髮)
    pid(15): ("髮財", None),
}
COMPANY = "91320500MA00000010"


@pytest.fixture()
def store(tmp_path):
    """A fresh store object for each test: no name index built for it yet."""
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.create_schema()
        s.upsert_nodes(
            "Person",
            pd.DataFrame(
                {
                    "id": list(PERSONS),
                    "name": [n for n, _ in PERSONS.values()],
                    "aliases": [a for _, a in PERSONS.values()],
                }
            ),
        )
        s.upsert_nodes("Company", pd.DataFrame({"id": [COMPANY], "name": ["苏州123建设(集团)有限公司"]}))
        s.upsert_nodes("Organization", pd.DataFrame({"id": ["11320500MB0000001A"], "name": ["苏州市城建局"]}))
        s.upsert_nodes("Vehicle", pd.DataFrame({"id": ["苏E·12345"]}))
        yield s


QUERIES = list(
    dict.fromkeys(
        [
            *(n for n, _ in PERSONS.values()),
            *(a.strip() for _, aliases in PERSONS.values() if aliases for a in aliases.split("\n")),
            "张 伟",
            "張偉",
            "张伟",
            "赵敏",
            "阿依古丽·买买提",
            "阿依古丽 买买提",
            "古丽·热娜",
            "陈刚",
            "陳剛",
            "發財",
            "发财",
            "王芳#2",
            "王芳#3",
            "苏州123建设(集团)有限公司",
            "苏州123建设（集团）有限公司",
            "苏州市城建局",
            "城建局",
            "zhangwei",
            "张",
            "王",
            "无此人",
            "歐陽娜娜",
            pid(4),
            COMPANY.lower(),
            "苏e 12345",
        ]
    )
)


def outcome(fn, *args):
    """What a call gives: its value, or its exception's kind, message and candidates."""
    try:
        r = fn(*args)
    except PathError as exc:
        c = getattr(exc, "candidates", None)
        return (type(exc).__name__, str(exc), None if c is None else c.fillna("").to_dict("records"))
    if isinstance(r, pd.DataFrame):
        return r.to_dict("records")
    return dataclasses.astuple(r) if dataclasses.is_dataclass(r) else r


def test_exact_lookups_answer_as_the_name_index_does(store):
    without = {}
    for q in QUERIES:  # each query first on a store whose index is not built (forgotten after each)
        search._INDEXES.pop(store, None)
        search._UNUSUAL.pop(store, None)
        without[q] = answers_one(store, q)
    search.refresh(store)
    with_index = {q: answers_one(store, q) for q in QUERIES}
    assert len(without) == len(with_index) == len(QUERIES)
    for q in QUERIES:
        assert without[q] == with_index[q], q


def answers_one(s, q) -> tuple:
    return (
        outcome(search.exact_matches, s, q),
        outcome(search.resolve, s, q),
        outcome(search.resolve_exact, s, q),
    )


def test_the_hard_cases_are_answered_as_before(store):
    """The answers themselves, so the comparison above compares something."""
    assert search.exact_matches(store, "张伟")[["id", "score", "matched"]].values.tolist() == [
        [pid(1), 1.0, "exact name"],
        [pid(2), 0.95, "traditional/simplified"],
        [pid(3), 0.95, "traditional/simplified"],
    ]
    with pytest.raises(search.AmbiguousEntity) as info:
        search.resolve_exact(store, "张伟")
    assert info.value.candidates["handle"].tolist() == ["张伟#1", "張偉#1", "張伟#1"]  # each names all three
    assert search.resolve(store, "张伟").id == pid(1)
    assert search.resolve(store, "赵敏") == search.Candidate("Person", pid(7), " 赵敏", 1.0, "same name")
    assert search.resolve_exact(store, "阿依古丽 买买提").id == pid(8)
    assert search.resolve_exact(store, "陈刚") == search.Candidate("Person", pid(9), "周杰", 1.0, "same name:  陈刚 ")
    assert search.resolve_exact(store, "古丽·热娜").id == pid(10)
    assert search.exact_matches(store, "发财")["id"].tolist() == [pid(14), pid(15)]
    assert search.resolve_exact(store, "王芳#2").id == pid(6)
    with pytest.raises(search.NotExact):
        search.resolve_exact(store, "城建局")


def test_an_exact_name_resolves_without_building_the_index(store, monkeypatch):
    """export --entity, neighbours, path and portrait with a person's full name, an ID number or a credit code
    (the subject's handle is its name) read a few rows, not every name of the store."""
    built = []
    monkeypatch.setattr(search.NameIndex, "build", classmethod(lambda cls, s, **kw: built.append(s) or pytest.fail()))
    assert search.resolve_exact(store, "李桂思").id == pid(4)
    assert search.resolve(store, "李桂思").id == pid(4)
    assert search.resolve_exact(store, "歐陽娜娜") == search.Candidate(
        "Person", pid(13), "欧阳娜娜", 0.95, "traditional/simplified"
    )
    assert search.resolve_exact(store, pid(4)).id == pid(4)
    assert search.resolve_exact(store, COMPANY).name == "苏州123建设(集团)有限公司"
    assert search.handles(store, search.exact_matches(store, "王芳")) == ["王芳#1", "王芳#2"]
    with pytest.raises(search.AmbiguousEntity) as info:  # namesakes listed with their handles, births, units
        search.resolve_exact(store, "王芳")
    assert info.value.candidates["handle"].tolist() == ["王芳#1", "王芳#2"]
    assert search.resolve_exact(store, "王芳#2").id == pid(6)
    assert built == []


def test_queries_the_store_cannot_answer_by_equality_build_the_index(store, monkeypatch):
    built = []
    real = search.NameIndex.build.__func__
    monkeypatch.setattr(
        search.NameIndex, "build", classmethod(lambda cls, s, **kw: built.append(1) or real(cls, s, **kw))
    )
    with pytest.raises(search.NotExact):  # only similar names: the candidates a fuzzy search gives
        search.resolve_exact(store, "zhangwei")
    assert len(built) == 1
    with pytest.raises(search.AmbiguousEntity):  # letters: john smith has the same tokens
        search.resolve_exact(store, "John Smith")
    assert len(built) == 1  # built once, kept for the store object


def test_every_spelling_opencc_simplifies_to_a_name_is_looked_up():
    """t2s writes each character in place (every dictionary entry as long as what it writes), so the spellings
    of a name are a product of characters: every text that simplifies to it is among them."""
    for written in ["張偉", "髮財", "發財", "乾隆", "臺灣颱風", "張伟", "歐陽娜娜", "劉德華"]:
        q = search._t2s(written)
        spellings = search._spellings(q, q)
        assert written in spellings and q in spellings, written
    assert search._t2s_sources() is not None


def test_no_other_character_folds_to_one_of_a_plain_query():
    """A query of Chinese characters, digits, brackets, hyphens and middle dots has no other case: no character
    case-folds to one of them, so a name with the same tokens is the query with white space around it."""
    plain = search._PLAIN
    for cp in range(0x110000):
        c = chr(cp)
        folded = c.casefold()
        if folded != c and unicodedata.category(c) != "Cs":
            assert not any(plain.fullmatch(x) for x in folded), hex(cp)
    assert all(not chr(cp).isspace() for cp in range(0x3001, 0x110000))  # str.split's white space is below


def test_names_stored_otherwise_are_read_once_per_store(store):
    first = search._unusual_names(store)
    assert set(first["id"]) == {pid(7), pid(8)}
    assert search._unusual_names(store) is first
    search.refresh(store)
    assert search._unusual_names(store) is not first
