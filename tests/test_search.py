"""Entity search on a hand-drawn store with exact expected candidates.

Persons: 张伟 and the same name in traditional characters 張偉, the homophones 章伟 and 张炜, 张伟宏
(contains 张伟), 曾红琴 (曾 has two readings, céng and zēng) and 单雄 (单 dān / shàn); a company and a unit;
a car 苏E·12345, a phone 13800000001 held by 张伟 and by the unit, a tender T1.
"""

from __future__ import annotations

import pandas as pd
import pytest

from graphkit import search
from graphkit.model.types import id_number_check, normalize_id_number
from graphkit.paths import PathError
from graphkit.stores.embedded import EmbeddedStore


def pid(first17: str) -> str:
    return first17 + id_number_check(first17)


ZW = normalize_id_number("320508750312001")  # 18-digit form of a first-generation number
TRAD, ZHANG, ZHANGW, ZWH = (
    pid("32050819800101002"),
    pid("32050819800101003"),
    pid("32050819800101004"),
    pid("32050819800101005"),
)
ZENG, SHAN = pid("32050819800101006"), pid("32050819800101007")
CODE, UNIT = "91320500MA00000010", "11320500MB0000001A"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = EmbeddedStore(tmp_path_factory.mktemp("search") / "g.db")
    s.create_schema()
    s.upsert_nodes(
        "Person",
        pd.DataFrame(
            {
                "id": [ZW, TRAD, ZHANG, ZHANGW, ZWH, ZENG, SHAN],
                "name": ["张伟", "張偉", "章伟", "张炜", "张伟宏", "曾红琴", "单雄"],
            }
        ),
    )
    s.upsert_nodes("Company", pd.DataFrame({"id": [CODE], "name": ["某某建设有限公司"]}))
    s.upsert_nodes("Organization", pd.DataFrame({"id": [UNIT], "name": ["苏州市城建局"]}))
    s.upsert_nodes("Vehicle", pd.DataFrame({"id": ["苏E·12345"]}))
    s.upsert_nodes("Phone", pd.DataFrame({"id": ["13800000001"]}))
    s.upsert_nodes("Tender", pd.DataFrame({"id": ["T1"], "title": ["人民路改造工程"]}))
    s.upsert_edges("HAS_PHONE", "Person", "Phone", pd.DataFrame({"id": ["p1"], "from": [ZW], "to": ["13800000001"]}))
    s.upsert_edges(
        "HAS_PHONE", "Organization", "Phone", pd.DataFrame({"id": ["p2"], "from": [UNIT], "to": ["13800000001"]})
    )
    search.refresh(s)
    yield s
    s.close()


def rows(df: pd.DataFrame) -> list[tuple]:
    return [(r.label, r.id, r.score, r.matched) for r in df.itertuples()]


def test_exact_traditional_and_sound_alike_names(store):
    assert rows(search.find(store, "张伟")) == [
        ("Person", ZW, 1.0, "exact name"),
        ("Person", TRAD, 0.95, "traditional/simplified"),
        ("Person", ZHANG, 0.85, "same pinyin"),
        ("Person", ZHANGW, 0.85, "same pinyin"),
        ("Person", ZWH, 0.8, "name contains"),
    ]
    assert rows(search.find(store, "張偉"))[:2] == [
        ("Person", TRAD, 1.0, "exact name"),
        ("Person", ZW, 0.95, "traditional/simplified"),
    ]
    assert rows(search.find(store, "张 伟"))[0] == ("Person", ZW, 1.0, "exact name")  # spaces as departments type them


def test_pinyin_queries(store):
    got = search.find(store, "Zhang Wei")
    assert set(got["id"]) == {ZW, TRAD, ZHANG, ZHANGW, ZWH}
    assert set(got.loc[got["score"] == 0.85, "id"]) == {ZW, TRAD, ZHANG, ZHANGW}
    assert rows(got[got["id"] == ZWH]) == [("Person", ZWH, 0.6, "pinyin prefix")]
    assert rows(search.find(store, "zenghongqin")) == [("Person", ZENG, 0.75, "pinyin (another reading)")]
    assert rows(search.find(store, "cenghongqin")) == [("Person", ZENG, 0.85, "pinyin")]
    assert {r[1] for r in rows(search.find(store, "shanxiong"))} == {SHAN}
    assert {r[1] for r in rows(search.find(store, "danxiong"))} == {SHAN}
    assert set(search.find(store, "zw", kind="name")["id"]) == {ZW, TRAD, ZHANG, ZHANGW}


def test_partial_names(store):
    assert rows(search.find(store, "建设")) == [("Company", CODE, round(0.6 + 0.3 * 2 / 8, 3), "name contains")]
    assert search.find(store, "城建局")["id"].tolist() == [UNIT]


def test_identifiers_in_the_forms_people_type_them(store):
    assert rows(search.find(store, "320508750312001")) == [("Person", ZW, 1.0, "ID number")]
    assert rows(search.find(store, CODE.lower())) == [("Company", CODE, 1.0, "credit code")]
    assert rows(search.find(store, "苏e 12345")) == [("Vehicle", "苏E·12345", 1.0, "plate")]
    assert rows(search.find(store, "苏E12345")) == [("Vehicle", "苏E·12345", 1.0, "plate")]
    assert rows(search.find(store, "+86 138-0000-0001")) == [
        ("Phone", "13800000001", 1.0, "phone"),
        ("Organization", UNIT, 0.9, "has phone 13800000001"),
        ("Person", ZW, 0.9, "has phone 13800000001"),
    ]
    assert rows(search.find(store, "T1")) == [("Tender", "T1", 1.0, "key")]
    assert search.find(store, "T1").loc[0, "name"] == "人民路改造工程"


def test_kind_restricts_the_search(store):
    assert search.find(store, "苏e 12345", kind="name").empty
    assert search.find(store, "张伟", kind="plate").empty
    with pytest.raises(PathError, match="kind must be one of"):
        search.find(store, "张伟", kind="nickname")
    with pytest.raises(PathError, match="empty query"):
        search.find(store, "  ")
    assert search.find(store, "nobody at all").empty


def test_resolve_picks_one_or_says_why_not(store):
    assert search.resolve(store, "張偉") == search.Candidate("Person", TRAD, "張偉", 1.0, "exact name")
    assert search.resolve(store, "苏e 12345").id == "苏E·12345"
    with pytest.raises(search.AmbiguousEntity) as info:
        search.resolve(store, "zhangwei")
    assert set(info.value.candidates.loc[info.value.candidates["score"] == 0.85, "id"]) == {ZW, TRAD, ZHANG, ZHANGW}
    with pytest.raises(PathError, match="nothing matches"):
        search.resolve(store, "nobody at all")


def test_the_index_follows_a_refresh(store):
    store.upsert_nodes("Person", pd.DataFrame({"id": [pid("32050819800101008")], "name": ["欧阳娜娜"]}))
    try:
        assert search.find(store, "欧阳娜娜").empty  # the index is kept until refreshed
        search.refresh(store)
        assert rows(search.find(store, "欧阳娜娜"))[0][1:] == (pid("32050819800101008"), 1.0, "exact name")
    finally:
        store.run("MATCH (p:Person {id: $id}) DELETE p", id=pid("32050819800101008"))
        search.refresh(store)


@pytest.mark.parametrize("stored", ["阿依古丽·买买提", "阿依古丽•买买提"])
def test_every_middle_dot_variant_finds_one_transliterated_name(tmp_path, stored):
    """Loaders store 阿依古丽·买买提 (U+00B7) for every variant; a store loaded before them may hold another dot."""
    pid_ = pid("65010219800101009")
    with EmbeddedStore(tmp_path / "g.db") as s:
        s.create_schema()
        s.upsert_nodes("Person", pd.DataFrame({"id": [pid_], "name": [stored]}))
        search.refresh(s)
        for q in ["阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽．买买提", "阿依古丽 买买提"]:
            assert rows(search.find(s, q))[:1] == [("Person", pid_, 1.0, "exact name")], q
        assert search.resolve(s, "阿依古丽 买买提").id == pid_


def test_find_in_a_store_with_no_named_entity_finds_nothing_without_a_traceback(tmp_path):
    """A store loaded from a units table with no rows: `graphkit find 张伟` stopped with pandas' "Can only use
    .str accessor with string values"."""
    from click.testing import CliRunner

    from graphkit.cli import main
    from graphkit.stores.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "e.db") as s:
        s.create_schema()
    for q in ("张伟", "zhangwei"):
        r = CliRunner().invoke(main, ["find", q, "--store", f"embedded:{tmp_path / 'e.db'}"])
        assert r.exit_code == 0 and r.output.strip() == f"没有与 {q!r} 匹配的实体", r.output


def test_a_masked_identifier_pasted_back_is_told_how_to_name_its_entity():
    """`rank --kind person` prints 3205**********8690; pasted into `portrait --person` it said only "nothing
    matches", not that a masked number names no one and what to give instead."""
    from graphkit.search import _nothing

    for masked in ("3205**********8690", "139****5678", "9132**********2355"):
        assert "that is a masked identifier" in _nothing(masked) and "NAME#N" in _nothing(masked)
    assert _nothing("张伟").endswith("(tried name, ID number, credit code, plate, phone and key)")


def _per_row_index(frame: pd.DataFrame) -> pd.DataFrame:
    """The name index's columns as they were computed before, one name at a time (the definition)."""
    values = frame["value"].astype(str)
    first = {c: search._readings(c)[0] for c in set("".join(values))}
    return pd.DataFrame(
        {
            "simplified": [search._t2s(n) if search._CJK.search(n) else n for n in values],
            "pinyin": ["".join(first[c] for c in n) for n in values],
            "initials": ["".join(first[c][0] for c in n if search._CJK.match(c)) for n in values],
        }
    )


def test_a_name_index_of_namesakes_converts_each_name_once_with_the_same_answers(monkeypatch):
    """A city's name index holds many namesakes: each distinct name is converted (繁→简, OpenCC) and tokenised
    once, and the index is the one built name by name: the same columns, the same candidates."""
    names = ["張偉", "张伟", "乾隆", "後來", "臺灣銀行", "王芳", "Светлана Захарова", "Svetlana", "欧阳娜娜", "单田芳"]
    values = [names[i % len(names)] for i in range(300)] + ["云 南\n雲南"]  # a line break: converted alone
    frame = pd.DataFrame({"label": "Person", "id": [f"p{i}" for i in range(len(values))], "name": values})
    frame["value"] = frame["name"]
    expected = _per_row_index(frame)
    converted, tokenised = [], []
    real_t2s, real_tokens = search._t2s, search._name_tokens
    monkeypatch.setattr(search, "_t2s", lambda t: converted.append(t) or real_t2s(t))
    monkeypatch.setattr(search, "_name_tokens", lambda t: tokenised.append(t) or real_tokens(t))
    index = search.NameIndex(frame)
    assert len(converted) < len(set(values)) and len(tokenised) == len(set(values))
    pd.testing.assert_frame_equal(index.frame[expected.columns].reset_index(drop=True), expected)
    assert index._tokens.tokens == [real_tokens(v) for v in values]
    for q in ("张伟", "張偉", "zhangwei", "zw", "svetlana zakharova", "Svetlana", "天芳", "云南"):
        got = index.search(q)
        monkeypatch.setattr(search, "_t2s_keys", lambda: None)  # no fast path: every name converted alone
        alone = search.NameIndex(frame).search(q)
        monkeypatch.undo()
        pd.testing.assert_frame_equal(got, alone)
    assert index.search("张伟").set_index("id").loc["p0", "matched"] == "traditional/simplified"


def test_a_text_no_part_of_which_opencc_rewrites_is_its_own_simplified_form():
    """The name index converts (繁→简) only a name with a part OpenCC's dictionaries rewrite; every other is
    what OpenCC gives for it: on texts drawn from the dictionaries' characters, their phrases and plain names."""
    import random

    keys = search._t2s_keys()
    assert keys is not None
    words, _ = keys
    rng = random.Random(0)
    pool = sorted(set("".join(words)))[:400] + list("张伟王芳李娜刘洋陈静杨勇赵磊周敏")
    phrases = sorted(w for w in words if len(w) > 1)[:200]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    texts += [rng.choice(pool) + p + rng.choice(pool) for p in rng.sample(phrases, 100)]
    unchanged = [t for t in texts if search._t2s_unchanged(t, keys)]
    assert 100 < len(unchanged) < len(texts)  # both kinds were drawn
    assert [search._t2s(t) for t in unchanged] == unchanged
    assert search._t2s_all(texts) == {t: search._t2s(t) for t in texts}


def test_find_lists_candidates_in_chinese_unless_asked_for_english(tmp_path):
    """`graphkit find` printed label/id/name/score/matched and Person, exact name, same pinyin to a Chinese
    investigator; it says 类别 编号 名称 得分 匹配方式 and 自然人, 名称一致, 同音 now (--lang en as before)."""
    from click.testing import CliRunner

    from graphkit.cli import main

    with EmbeddedStore(tmp_path / "e.db") as s:
        s.create_schema()
        s.upsert_nodes("Person", pd.DataFrame({"id": [ZW, ZHANG], "name": ["张伟", "章伟"]}))
    store = f"embedded:{tmp_path / 'e.db'}"
    zh = CliRunner().invoke(main, ["find", "张伟", "--store", store])
    assert zh.exit_code == 0, zh.output
    lines = zh.output.splitlines()
    assert lines[0].split() == ["类别", "编号", "名称", "得分", "匹配方式"] and len(lines) == 3
    assert lines[1].split()[0] == "自然人" and lines[1].split()[-1] == "名称一致" and lines[2].split()[-1] == "同音"
    assert ZW not in zh.output and "Person" not in zh.output  # the ID number masked as before
    en = CliRunner().invoke(main, ["find", "张伟", "--store", store, "--lang", "en"])
    assert en.exit_code == 0 and en.output.split()[:5] == ["label", "id", "name", "score", "matched"], en.output


def _same_index(a: search.NameIndex, b: search.NameIndex) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a._tokens.tokens == b._tokens.tokens and a._tokens.postings == b._tokens.postings
    assert a._tokens.latin_vocab == b._tokens.latin_vocab and a._by_reading == b._by_reading


def test_a_name_index_kept_on_disk_reads_back_as_built(tmp_path):
    """The index kept beside a store (NameIndex.save) is the one built: rows, tokens, postings, the same
    candidates; kept for other files (another stamp), it is not read."""
    names = ["張偉", "张伟", "乾隆", "王芳", "Светлана Захарова", "Svetlana", "欧阳娜娜", "单田芳", "阿依古丽·买买提"]
    values = [names[i % len(names)] for i in range(100)]
    frame = pd.DataFrame({"label": "Person", "id": [f"p{i}" for i in range(len(values))], "name": values})
    frame["value"] = frame["name"]
    alias = pd.DataFrame({"label": "Company", "id": "c1", "name": "某某公司", "value": ["某某公司", "Mou Mou Gongsi"]})
    built = search.NameIndex(pd.concat([frame, alias], ignore_index=True))
    built.save(tmp_path / "kept", "g.db:1:2")
    assert search.NameIndex.load(tmp_path / "kept", "g.db:1:3") is None  # the store changed since
    assert search.NameIndex.load(tmp_path / "nothing", "g.db:1:2") is None
    read = search.NameIndex.load(tmp_path / "kept", "g.db:1:2")
    _same_index(read, built)
    for q in (
        "张伟",
        "張偉",
        "zhangwei",
        "zw",
        "svetlana zakharova",
        "Svetlana",
        "天芳",
        "阿依古丽 买买提",
        "某某",
        "mou gongsi",
    ):
        pd.testing.assert_frame_equal(read.search(q), built.search(q))


def test_find_reads_the_index_kept_beside_the_store_until_the_store_changes(tmp_path, monkeypatch):
    """`graphkit find` built the name index of the whole store in every process (9 s of CPU at a million
    persons) though the store had not changed. It is kept beside the store now (<store>.name-index) and read by
    the next command; a load since builds it again, and the bar says so (名称索引 … 库已变更，重建)."""
    from click.testing import CliRunner

    from graphkit.cli import main

    db = tmp_path / "e.db"
    with EmbeddedStore(db) as s:
        s.create_schema()
        s.upsert_nodes("Person", pd.DataFrame({"id": [ZW, ZHANG, TRAD], "name": ["张伟", "章伟", "張偉"]}))
    store = f"embedded:{db}"
    runs = []
    real = search.NameIndex.build.__func__
    monkeypatch.setattr(search.NameIndex, "build", classmethod(lambda c, s, **kw: runs.append(1) or real(c, s, **kw)))
    monkeypatch.setenv("GRAPHKIT_PROGRESS", "bar")  # the bar drawn, off a terminal too

    def find(q: str, *more: str):
        r = CliRunner().invoke(main, ["find", q, "--store", store, *more])
        assert r.exit_code == 0, r.output
        return r

    first = find("张伟", "--json")
    assert runs == [1] and (tmp_path / "e.db.name-index" / "stamp.json").is_file()
    assert "名称索引" in first.stderr and "首次建立" in first.stderr
    again = find("张伟", "--json")  # another command: the kept index, not built again, the same candidates
    assert runs == [1] and again.stdout == first.stdout and "名称索引" not in again.stderr
    assert find("zhangwei").stdout.count("自然人") == 3 and runs == [1]
    with EmbeddedStore(db) as s:  # a load since
        s.upsert_nodes("Person", pd.DataFrame({"id": [ZWH], "name": ["欧阳娜娜"]}))
    changed = find("欧阳娜娜", "--lang", "en")
    assert runs == [1, 1] and "the store changed: rebuilding" in changed.stderr
    assert changed.stdout.splitlines()[1].split()[-3:] == ["1.0", "exact", "name"]
    find("欧阳娜娜")
    assert runs == [1, 1]


def test_a_viewer_reads_a_kept_name_index_and_keeps_none(tmp_path, monkeypatch):
    """A viewer (GRAPHKIT_ROLE=viewer) writes nothing beside the store: its search builds the index and keeps none."""
    from click.testing import CliRunner

    from graphkit.cli import main

    db = tmp_path / "e.db"
    with EmbeddedStore(db) as s:
        s.create_schema()
        s.upsert_nodes("Person", pd.DataFrame({"id": [ZW], "name": ["张伟"]}))
    monkeypatch.setenv("GRAPHKIT_ROLE", "viewer")
    r = CliRunner().invoke(main, ["find", "zhangwei", "--store", f"embedded:{db}"])
    assert r.exit_code == 0 and "自然人" in r.stdout, r.output
    assert not (tmp_path / "e.db.name-index").exists()  # a viewer's command writes nothing beside the store
