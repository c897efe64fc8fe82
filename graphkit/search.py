"""Find entities: by name (exact, traditional/simplified, same pinyin, partial), ID number, credit code,
plate, phone or any natural key.

Identifiers are normalised with :mod:`graphkit.model.types` the way the loaders normalise them, so
``苏e 12345`` finds ``苏E·12345``, ``+86 138-0000-0001`` finds ``13800000001``, a 15-digit ID number finds
its 18-digit form.  Names are matched against a name index of every named node (Person, Company,
Organization, ParkingLot, Place) built on first use and kept for the store object (about two seconds at
100,000 persons; :func:`refresh` after a load), and, where a face asks (:func:`keep_index`: ``graphkit``'s
commands on an embedded store), kept beside the store for the next process until the store's files change.
Pinyin comes from ``pypinyin`` with every reading of a polyphonic character (曾 céng/zēng, 单 dān/shàn),
traditional ↔ simplified from ``opencc``.

:func:`resolve`, :func:`resolve_exact`, :func:`exact_matches` and :func:`handles` ask the store first, by
equality, for a Chinese name and its 繁/简 spellings (:func:`_exact_name_search`), and build the index only
when that cannot answer: no entity carries the name exactly (or, for :func:`resolve`, which then lists similar
names too, several do), or the query has letters or spaces.
Until the index is built they read the store as it is now; once it is, they use it as :func:`find` does.

Scores: 1.0 the key or the exact name; 0.95 the same name in traditional or simplified characters;
0.85 the same pronunciation (章伟 for 张伟, or pinyin ``zhangwei``), 0.75 if only through another reading
of a polyphonic character (``zenghongqin`` for 曾红琴, 曾 usually read céng); 0.6-0.9 a name containing the query;
0.6 a name whose first characters the pinyin spells (``zenghong`` for 曾红琴); 0.5 pinyin initials
(``zw``); 0.4 a name whose pinyin (first readings) contains the query.

Example
-------
>>> find(store, "張偉")                                       # doctest: +SKIP
    label                  id name  score                 matched
0  Person  320508197503120018   张伟   0.95  traditional/simplified
>>> find(store, "苏e 12345").iloc[0][["label", "id"]].tolist()   # doctest: +SKIP
['Vehicle', '苏E·12345']
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import weakref
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from math import prod
from pathlib import Path

import pandas as pd

from graphkit.model.mask import mask_text
from graphkit.model.types import (
    NAME_DOTS,
    normalize_credit_code,
    normalize_id_number,
    normalize_name,
    normalize_person_name,
    normalize_phone,
    normalize_plate,
)
from graphkit.paths import PathError, fetch_nodes, locate, query, run_query
from graphkit.stores.base import GraphStore

_log = logging.getLogger(__name__)

__all__ = [
    "find",
    "describe",
    "resolve",
    "resolve_exact",
    "resolve_entity",
    "named_among",
    "SUBJECT_LABELS",
    "exact_matches",
    "handles",
    "bulk_handles",
    "candidates",
    "refresh",
    "keep_index",
    "build_steps",
    "NameIndex",
    "Candidate",
    "AmbiguousEntity",
    "NotExact",
    "WrongLabel",
    "COLUMNS",
    "KINDS",
    "EXACT",
    "NAMED",
    "MATCHED_ZH",
    "names_it",
    "matched_word",
    "is_masked",
    "COLUMNS_ZH",
    "in_words",
]

COLUMNS = ["label", "id", "name", "score", "matched"]
#: how a candidate matched when it is the entity named, not one like it: the key or an identifier, the name
#: (or an alias) as written, or in the other script (繁/简); pinyin, partial and similar spellings are not
EXACT = frozenset(
    {"exact name", "traditional/simplified", "same name", "ID number", "credit code", "plate", "phone", "key"}
)
#: how a candidate matched when the query names it, as written or spelt: :data:`EXACT`, or the whole name in
#: pinyin (in any reading of its characters), transliterated or with its parts in another order; a name that
#: only sounds the same written otherwise (章伟 for 张伟), a part of a name, initials or a near spelling do not
NAMED = EXACT | frozenset({"pinyin", "pinyin (another reading)", "transliteration", "name order"})
#: how a candidate matched (``matched`` of :func:`find`) in the words a Chinese reader reads (:func:`matched_word`)
MATCHED_ZH = {
    "exact name": "名称一致",
    "traditional/simplified": "繁简一致",
    "same name": "名称一致",
    "ID number": "身份证号",
    "credit code": "统一社会信用代码",
    "plate": "车牌",
    "phone": "电话",
    "key": "编号",
    "pinyin": "拼音一致",
    "pinyin (another reading)": "拼音一致（多音字）",
    "transliteration": "音译一致",
    "name order": "姓名顺序不同",
    "name contains": "名称包含",
    "same pinyin": "同音",
    "same pinyin (another reading)": "同音（多音字）",
    "pinyin prefix": "拼音开头",
    "pinyin initials": "拼音首字母",
    "pinyin contains": "拼音包含",
    "has phone": "登记电话",
}
#: the columns of a candidates table (:func:`find`, :func:`describe`, the handles) as a Chinese reader reads them
COLUMNS_ZH = {
    "handle": "指称",
    "label": "类别",
    "id": "编号",
    "name": "名称",
    "score": "得分",
    "matched": "匹配方式",
    "born": "出生年份",
    "gender": "性别",
    "unit": "单位",
    "post": "职务",
}
_HANDLE = re.compile(r"^(?P<name>.+?)#(?P<n>[1-9][0-9]{0,3})$")
KINDS = ("name", "id_number", "credit_code", "plate", "phone", "key")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_OTHER_DOT = "[" + re.escape(NAME_DOTS.replace("·", "")) + "]"  # a middle dot written otherwise than ·
_PHONE_HOLDERS = ("Person", "Company", "Organization")
_FRAME = ("label", "id", "name", "value")  # value: the name value matched (the name, or one of the aliases)
_ALIAS_SEP = "\n"  # between the values of an ``aliases`` property (loaders.ftm)


class AmbiguousEntity(PathError):
    """A query matches several entities equally well; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: pd.DataFrame) -> None:
        super().__init__(message)
        self.candidates = candidates


class NotExact(PathError):
    """A query matches entities only approximately (pinyin, partial, similar spelling); ``candidates`` lists
    them (:func:`resolve_exact` refuses to pick one)."""

    def __init__(self, message: str, candidates: pd.DataFrame) -> None:
        super().__init__(message)
        self.candidates = candidates


class WrongLabel(PathError):
    """A query names exactly one entity, of a label the caller does not take (:func:`resolve_entity`); ``found``
    is that entity (a message may show its key as its node shows it: a company's credit code in clear)."""

    def __init__(self, message: str, found: Candidate) -> None:
        super().__init__(message)
        self.found = found


@dataclass(frozen=True)
class Candidate:
    """One match of a search: label, id, name, score in [0, 1] and what matched."""

    label: str
    id: str
    name: str | None
    score: float
    matched: str


# ------------------------------------------------------------ chinese text helpers
@lru_cache(maxsize=1)
def _converters():
    from opencc import OpenCC

    return OpenCC("t2s"), OpenCC("s2t")


def _t2s(text: str) -> str:
    return _converters()[0].convert(text)


def _s2t(text: str) -> str:
    return _converters()[1].convert(text)


@lru_cache(maxsize=1)
def _t2s_keys() -> tuple[frozenset[str], dict[str, tuple[int, ...]]] | None:
    """The texts OpenCC's t2s conversion rewrites (its dictionaries' keys) and, by each one's first character,
    their lengths: a text none of whose parts is a key is its own simplified form (each dictionary of the chain
    replaces only the keys it finds).  None when the dictionaries are not as expected."""
    try:
        keys = frozenset(k for group in _converters()[0]._dict_chain_data for *_, table in group for k in table)
    except (AttributeError, TypeError, ValueError):
        return None
    lengths: dict[str, set[int]] = {}
    for k in keys:
        if k:
            lengths.setdefault(k[0], set()).add(len(k))
    return keys, {c: tuple(sorted(n)) for c, n in lengths.items()}


def _t2s_unchanged(text: str, keys: tuple[frozenset[str], dict[str, tuple[int, ...]]]) -> bool:
    """Whether no part of ``text`` is a key of OpenCC's t2s dictionaries (:func:`_t2s_keys`): it is then its
    own simplified form.  Only the parts that start with a key's first character, as long as such keys, are
    looked up."""
    words, lengths = keys
    return not any(text[i : i + n] in words for i, c in enumerate(text) for n in lengths.get(c, ()))


def _s2t_all(texts: Iterable[str]) -> dict[str, str]:
    """Each distinct text → its traditional form (:func:`_s2t`), a thousand texts a call, joined by a line break
    no dictionary entry holds (so none spans two texts), as :func:`_t2s_all` converts.

    >>> _s2t_all(["发财", "张伟", "abc"]) == {t: _s2t(t) for t in ("发财", "张伟", "abc")}
    True
    """
    return _convert_all(texts, _s2t, lambda t: not _CJK.search(t))


def _t2s_all(texts: Iterable[str]) -> dict[str, str]:
    """Each distinct text → its simplified form (:func:`_t2s`), for a name index of a million names: a text no
    part of which OpenCC rewrites is itself (no call: a city's names in simplified characters), the others are
    converted a thousand at a time, joined by a line break no dictionary entry holds (so none spans two texts)."""
    keys = _t2s_keys()
    if keys is None:
        return {t: t if not _CJK.search(t) else _t2s(t) for t in dict.fromkeys(texts)}
    return _convert_all(texts, _t2s, lambda t: not _CJK.search(t) or _t2s_unchanged(t, keys))


def _convert_all(texts: Iterable[str], convert, unchanged) -> dict[str, str]:
    """Each distinct text → ``convert(text)``: itself where ``unchanged(text)``, else converted a thousand at a
    time, joined by a line break no dictionary entry holds (a text holding one is converted alone)."""
    out: dict[str, str] = {}
    todo: list[str] = []
    for t in dict.fromkeys(texts):
        if unchanged(t):
            out[t] = t
        elif "\n" in t:
            out[t] = convert(t)
        else:
            todo.append(t)
    for i in range(0, len(todo), 1000):
        chunk = todo[i : i + 1000]
        out.update(zip(chunk, convert("\n".join(chunk)).split("\n"), strict=True))
    return out


@lru_cache(maxsize=50_000)
def _readings(char: str) -> tuple[str, ...]:
    """Every toneless pinyin reading of a character (the character itself when it has none)."""
    from pypinyin import Style, pinyin

    if not _CJK.match(char):
        return (char.lower(),)
    out = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return tuple(dict.fromkeys(r.lower().replace("ü", "v") for r in out)) or (char,)


def _pinyin_query(text: str) -> str:
    """A latin query as pinyin letters: lower case, no spaces, apostrophes or tone digits."""
    return re.sub(r"[\s'’\-·0-9]", "", text.lower().replace("ü", "v"))


def _spells(name: str, q: str, *, prefix: bool = False) -> bool:
    """Whether ``q`` spells ``name`` (or, with ``prefix``, its first characters), one reading per character."""
    ends = {0}
    for ch in name:
        nxt = set()
        for i in ends:
            for r in _readings(ch):
                if q.startswith(r, i):
                    nxt.add(i + len(r))
        if not nxt:
            return False
        if prefix and len(q) in nxt:
            return True
        ends = nxt
    return len(q) in ends


# ------------------------------------------------------------ names in every script
def _name_tokens(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A name's tokens (rigour: case folded, punctuation split, marks dropped) and, for names outside
    Chinese script, the tokens of its ASCII transliteration (rigour, normality: Светлана → svetlana)."""
    if _CJK.search(value):  # Chinese names: pypinyin and OpenCC match them (NameIndex.search)
        return tuple(value.casefold().split()), ()
    from rigour.names import tokenize_name
    from rigour.text.translit import ascii_text

    tokens = tuple(tokenize_name(value.casefold()))
    return tokens, tuple(tokenize_name(ascii_text(value).casefold()))


class _TokenIndex:
    """Token postings of every name value, for queries in any script: whole names in another order
    (``Abashkin Konstantin``), parts of names (``Светлана Захарова`` in a longer name), transliterations
    (``Svetlana Zakharova``) and near spellings (one edit in five letters, rigour's Levenshtein)."""

    def __init__(
        self, names: Iterable[str], tokens: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None
    ) -> None:
        names = list(names)
        # a name is tokenised once however many carry it (namesakes: a city holds many)
        rows: dict[str, list[int]] = {}
        for i, n in enumerate(names):
            rows.setdefault(n, []).append(i)
        if tokens is None:  # else each name's tokens as kept (NameIndex.load): _name_tokens of it
            tokens = {n: _name_tokens(n) for n in rows}
        else:
            tokens = {n: tokens[n] for n in rows}
        #: each distinct name's tokens (what NameIndex.save keeps)
        self.by_name = tokens
        self.tokens: list[tuple[tuple[str, ...], tuple[str, ...]]] = [tokens[n] for n in names]
        postings: dict[str, list[list[int]]] = {}
        for n, (orig, latin) in tokens.items():
            for t in set(orig) | set(latin):
                postings.setdefault(t, []).append(rows[n])
        self.postings: dict[str, list[int]] = {
            t: parts[0] if len(parts) == 1 else sorted(i for part in parts for i in part)
            for t, parts in postings.items()
        }
        self.latin_vocab = sorted({t for _, latin in tokens.values() for t in latin if len(t) >= 4})

    def _similar(self, token: str) -> set[str]:
        from rigour.text.distance import levenshtein

        if len(token) < 4 or not token.isascii():
            return set()
        edits = 1 if len(token) < 8 else 2
        return {
            v
            for v in self.latin_vocab
            if abs(len(v) - len(token)) <= edits and levenshtein(token, v, max_edits=edits) <= edits
        }

    def search(self, query: str) -> list[tuple[float, str, list[int]]]:
        """(score, how, row positions) for a name query; empty when it has no token."""
        q_orig, q_latin = _name_tokens(query)
        if not q_orig:
            return []
        exact_sets = []
        for t, lt in zip(q_orig, q_latin or q_orig, strict=False):
            exact_sets.append({t, lt})
        if len(q_latin) != len(q_orig):
            exact_sets = [{t} for t in q_orig]
        fuzzy_sets = [ts | set().union(*(self._similar(t) for t in ts)) for ts in exact_sets]

        def rows_with(sets: list[set[str]]) -> set[int]:
            out: set[int] | None = None
            for ts in sets:
                rows = {i for t in ts for i in self.postings.get(t, ())}
                out = rows if out is None else out & rows
                if not out:
                    return set()
            return out or set()

        exact_rows = rows_with(exact_sets)
        fuzzy_rows = rows_with(fuzzy_sets) - exact_rows
        qo, ql = sorted(q_orig), sorted(q_latin)
        groups: dict[tuple[float, str], list[int]] = {}
        for i in sorted(exact_rows):
            orig, latin = self.tokens[i]
            if orig == q_orig:
                key = (1.0, "same name")
            elif latin and latin == q_latin:
                key = (0.9, "transliteration")
            elif sorted(orig) == qo or (latin and sorted(latin) == ql):
                key = (0.88, "name order")
            else:
                share = len(q_orig) / max(len(orig), 1)
                key = (round(0.6 + 0.25 * min(share, 1.0), 3), "name contains")
            groups.setdefault(key, []).append(i)
        for i in sorted(fuzzy_rows):
            orig, _ = self.tokens[i]
            share = len(q_orig) / max(len(orig), 1)
            groups.setdefault((round(0.5 + 0.2 * min(share, 1.0), 3), "similar spelling"), []).append(i)
        return [(score, how, rows) for (score, how), rows in groups.items()]


# ------------------------------------------------------------ the name index
def _named_labels(store: GraphStore) -> list[str]:
    return [lk for lk, spec in store.model.labels.items() if "name" in spec.properties]


def _aliased_labels(store: GraphStore) -> list[str]:
    return [lk for lk in _named_labels(store) if "aliases" in store.model.labels[lk].properties]


def _name_frame(store: GraphStore, names: dict[str, pd.DataFrame], aliases: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of a name index (:data:`_FRAME`) from each label's named nodes (``id``, ``name``) and nodes
    with aliases (``id``, ``name``, ``aliases``), label by label in the model's order: a node's name first,
    then its other name values."""
    frames = []
    for lab in _named_labels(store):
        df = names.get(lab)
        if df is not None and not df.empty:
            frames.append(df.assign(label=lab, value=df["name"])[list(_FRAME)])
        df = aliases.get(lab)
        if df is not None and not df.empty:  # one row per other name value (FtM aliases, names in other scripts)
            df = df.assign(value=df["aliases"].str.split(_ALIAS_SEP)).explode("value")
            frames.append(df.assign(label=lab)[list(_FRAME)])
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(_FRAME))
    frame["name"] = frame["name"].fillna(frame["value"])
    return frame


#: an identifier as graphkit masks it (3205**********8690, 139****5678): pasted back, it can match nothing
_MASKED = re.compile(r"^\s*[0-9A-Z]{2,6}\*{3,}[0-9A-Z]{2,4}\s*$")


def is_masked(query: str) -> bool:
    """Whether ``query`` is an identifier as graphkit masks it (``3205**********8690``, ``139****5678``), which
    names no one: pasted back from a list, it matches nothing.

    >>> is_masked("3205**********8690"), is_masked("张伟")
    (True, False)
    """
    return bool(_MASKED.match(str(query)))


def _nothing(query: str) -> str:
    """What a lookup that found nothing says; a masked identifier pasted back is told how to name its entity.

    >>> _nothing("3205**********8690")[:77]
    "nothing matches '3205**********8690': that is a masked identifier, which name"
    """
    if is_masked(query):
        return (
            f"nothing matches {query!r}: that is a masked identifier, which names no one; give the handle rank and "
            "find print (NAME or NAME#N), or the number in full"
        )
    return f"nothing matches {query!r} (tried name, ID number, credit code, plate, phone and key)"


def _indexed(frame: pd.DataFrame) -> pd.DataFrame:
    """Name-index rows as matched: middle dots as loaders write them, and each value's simplified form."""
    frame = frame.reset_index(drop=True)
    if "value" not in frame:
        frame["value"] = frame["name"]
    # a name stored with another middle dot (阿依古丽•买买提, loaded before ·) is indexed as loaders store it now
    for col in ("name", "value"):
        dotted = frame[col].astype(str).str.contains(_OTHER_DOT, regex=True) & frame[col].notna()
        if dotted.any():
            frame.loc[dotted, col] = frame.loc[dotted, col].map(normalize_name)
    values = frame["value"].astype(str).tolist()  # a list: iterating an Arrow-backed column is slow
    simplified = _t2s_all(values)  # once per distinct name
    frame["simplified"] = [simplified[n] for n in values]
    return frame


def _add(hits: list[pd.DataFrame], f: pd.DataFrame, mask_or_frame, score, how: str) -> None:
    """Append the rows of ``f`` a mask picks (or a part of ``f``) to ``hits`` as candidates that matched ``how``."""
    sub = mask_or_frame if isinstance(mask_or_frame, pd.DataFrame) else f[mask_or_frame]
    if not sub.empty:
        s = sub[["label", "id", "name"]].copy()
        s["score"] = score if not callable(score) else [score(n) for n in sub["value"]]
        # a match on another name value (an alias, a name in another script) says which
        s["matched"] = [how if v == n else f"{how}: {v}" for v, n in zip(sub["value"], sub["name"], strict=True)]
        hits.append(s)


def _best(hits: list[pd.DataFrame]) -> pd.DataFrame:
    """Candidates (:data:`COLUMNS`) from ``hits``, best first, each entity once with its best match."""
    if not hits:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(hits, ignore_index=True)
    return (
        out.sort_values(["score", "label", "id"], ascending=[False, True, True])
        .drop_duplicates(["label", "id"])
        .reset_index(drop=True)[COLUMNS]
    )


def _exactly_named(f: pd.DataFrame, query: str, q: str) -> list[pd.DataFrame]:
    """The rows of ``f`` (:func:`_indexed`) that carry a Chinese name query ``q`` (``normalize_name(query)``)
    as written or in the other script (繁/简): the first matches :meth:`NameIndex.search` lists."""
    hits: list[pd.DataFrame] = []
    # 阿依古丽 买买提 is a person's 阿依古丽·买买提 as loaders store it (and 苏州 城建局 a unit's 苏州城建局)
    qp = normalize_person_name(query)
    if qp != q:
        _add(hits, f, f["value"] == qp, 1.0, "exact name")
    qs = _t2s(q)
    _add(hits, f, f["value"] == q, 1.0, "exact name")
    other_script = (f["value"] != q) & ((f["simplified"] == qs) | (f["value"] == _s2t(q)))
    _add(hits, f, other_script, 0.95, "traditional/simplified")
    return hits


class NameIndex:
    """Every named node of a store: label, id, name, with simplified form, default pinyin and initials."""

    def __init__(self, frame: pd.DataFrame, *, progress: Callable[[str], None] | None = None) -> None:
        step = progress or (lambda name: None)
        step("simplified")
        self.frame = _indexed(frame)
        names = self.frame["value"].astype(str).tolist()
        step("pinyin")
        distinct = list(dict.fromkeys(names))  # each name's readings once, however many carry it
        first = {c: _readings(c)[0] for c in set("".join(distinct))}
        pinyin = {n: "".join(first[c] for c in n) for n in distinct}
        initials = {n: "".join(first[c][0] for c in n if _CJK.match(c)) for n in distinct}
        self.frame["pinyin"] = [pinyin[n] for n in names]
        self.frame["initials"] = [initials[n] for n in names]
        self.frame["first"] = [n[:1] for n in names]
        step("tokens")
        self._tokens = _TokenIndex(names)
        self._by_reading = self._firsts_by_reading(self.frame["first"].unique().tolist())

    @staticmethod
    def _firsts_by_reading(firsts: Iterable[str]) -> dict[str, set[str]]:
        """Readings → the first characters that have them, for pinyin and sound-alike lookups."""
        out: dict[str, set[str]] = {}
        for c in set(firsts):
            for r in _readings(c) if c else ():
                out.setdefault(r, set()).add(c)
        return out

    def save(self, folder: str | Path, stamp: str) -> Path:
        """Keep the index in ``folder`` (its rows and each name's tokens, Parquet) for the store whose files are
        ``stamp`` (:func:`graphkit.risk.tables.store_stamp`): :meth:`load` reads it back while they are.  Written
        beside and then moved into place, so a reader never sees half of it."""
        folder = Path(folder)
        by_name = self._tokens.by_name
        if any(not t or " " in t for both in by_name.values() for part in both for t in part):
            raise ValueError("a name's token is empty or holds a space: its tokens cannot be kept as one text")
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        self.frame.to_parquet(tmp / "names.parquet", index=False)
        # tokens never hold white space (split on it): a name's tokens as one text, a space between them
        pd.DataFrame(
            {
                "name": list(by_name),
                "tokens": [" ".join(t) for t, _ in by_name.values()],
                "latin": [" ".join(t) for _, t in by_name.values()],
            }
        ).to_parquet(tmp / "tokens.parquet", index=False)
        (tmp / "stamp.json").write_text(
            json.dumps({"stamp": stamp, "format": _KEPT_FORMAT, "rows": len(self.frame)}), encoding="utf-8"
        )
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
        return folder

    @classmethod
    def load(cls, folder: str | Path, stamp: str) -> NameIndex | None:
        """The index :meth:`save` kept in ``folder`` for the store whose files are ``stamp``; None when there is
        none, or it was kept for the store as it was before (another stamp) or by another version of it."""
        folder = Path(folder)
        try:
            mark = json.loads((folder / "stamp.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if mark != {"stamp": stamp, "format": _KEPT_FORMAT, "rows": mark.get("rows")}:
            return None
        try:
            frame = pd.read_parquet(folder / "names.parquet")
            kept = pd.read_parquet(folder / "tokens.parquet")
        except (OSError, ValueError):
            return None
        if len(frame) != mark["rows"]:
            return None
        tokens = {
            n: (tuple(t.split(" ")) if t else (), tuple(lt.split(" ")) if lt else ())
            for n, t, lt in zip(kept["name"].tolist(), kept["tokens"].tolist(), kept["latin"].tolist(), strict=True)
        }
        index = cls.__new__(cls)
        index.frame = frame
        index._tokens = _TokenIndex(frame["value"].astype(str).tolist(), tokens)
        index._by_reading = cls._firsts_by_reading(frame["first"].unique().tolist())
        return index

    @classmethod
    def build(cls, store: GraphStore, *, progress: Callable[[str], None] | None = None) -> NameIndex:
        """Read every named node of the store into the index (simplified, traditional and pinyin readings);
        ``progress`` is called with each of :func:`build_steps` as it starts."""
        step = progress or (lambda name: None)
        names, aliases = {}, {}
        for lab in _named_labels(store):
            step(f"names {lab}")
            names[lab] = run_query(store, query(store, "search/names", labels={"LABEL": lab}), {})
            if lab in _aliased_labels(store):
                step(f"aliases {lab}")
                aliases[lab] = run_query(store, query(store, "search/aliases", labels={"LABEL": lab}), {})
        return cls(_name_frame(store, names, aliases), progress=step)

    def __len__(self) -> int:
        return len(self.frame)

    def _starting_with(self, chars: Iterable[str]) -> pd.DataFrame:
        return self.frame[self.frame["first"].isin(set(chars))]

    def search(self, query: str) -> pd.DataFrame:
        """Candidates for a name query (columns :data:`COLUMNS`, best first per id)."""
        f = self.frame
        if f.empty:  # a store with no named entity yet: no candidate (its columns hold no text to match)
            return pd.DataFrame(columns=COLUMNS)
        hits: list[pd.DataFrame] = []

        def add(mask_or_frame, score, how):
            _add(hits, f, mask_or_frame, score, how)

        q = normalize_name(query) or ""
        if not q:
            return pd.DataFrame(columns=COLUMNS)
        if _CJK.search(q):
            hits.extend(_exactly_named(f, query, q))
            qs = _t2s(q)
            firsts = {c for r in _readings(qs[0]) for c in self._by_reading.get(r, ())}
            near = self._starting_with(firsts)
            near = near[near["value"].str.len() == len(qs)]
            qpy = "".join(_readings(c)[0] for c in qs)
            add(near[near["pinyin"] == qpy], 0.85, "same pinyin")
            same = [
                all(set(_readings(a)) & set(_readings(b)) for a, b in zip(n, qs, strict=True))
                for n in near["simplified"]
            ]
            add(near[same], 0.75, "same pinyin (another reading)")
            if len(qs) >= 2:
                part = f["simplified"].str.contains(qs, regex=False) & (f["simplified"] != qs)
                add(part, lambda n: round(0.6 + 0.3 * len(qs) / max(len(n), 1), 3), "name contains")
        else:
            add(f["value"] == q, 1.0, "exact name")
            py = _pinyin_query(q)
            if py.isascii() and py.isalpha():  # pinyin for Chinese names; other names by their tokens below
                firsts = {c for r, cs in self._by_reading.items() if py.startswith(r) for c in cs}
                near = self._starting_with(firsts)
                add(near[near["pinyin"] == py], 0.85, "pinyin")
                add(near[[_spells(n, py) for n in near["value"]]], 0.75, "pinyin (another reading)")
                add(near[[_spells(n, py, prefix=True) for n in near["value"]]], 0.6, "pinyin prefix")
                if len(py) >= 2:
                    add(f["initials"] == py, 0.5, "pinyin initials")
                if len(py) >= 4:
                    add(f["pinyin"].str.contains(py, regex=False), 0.4, "pinyin contains")
        for score, how, rows in self._tokens.search(q):
            add(f.iloc[rows], score, how)
        return _best(hits)


_INDEXES: weakref.WeakKeyDictionary[GraphStore, NameIndex] = weakref.WeakKeyDictionary()
#: what a kept name index's files are (:meth:`NameIndex.save`): one kept in another form is built again
_KEPT_FORMAT = 1


@dataclass(frozen=True)
class _Kept:
    """Where a store's name index is kept between processes (:func:`keep_index`)."""

    folder: Path
    write: bool
    building: Callable[[str], AbstractContextManager[Callable[[str], None]]] | None


_KEPT: weakref.WeakKeyDictionary[GraphStore, _Kept] = weakref.WeakKeyDictionary()


def keep_index(
    store: GraphStore,
    folder: str | Path,
    *,
    write: bool = True,
    building: Callable[[str], AbstractContextManager[Callable[[str], None]]] | None = None,
) -> None:
    """Keep the name index of an embedded store in ``folder`` from one process to the next.

    A million persons' index takes seconds of CPU to build; kept, the first search of the next process reads
    it instead, as long as the store's files are as they were when it was built
    (:func:`graphkit.risk.tables.store_stamp`: their sizes and modification times).  When they are not (a load
    since), or nothing is kept yet, the index is built again from the store inside ``building("changed")`` or
    ``building("new")``, a context giving the callback told each of :func:`build_steps` (a face shows a bar that
    says which), and with ``write`` it is kept for the next search (a viewer's
    command writes nothing beside the store: ``write=False`` reads a kept index only).  A store without files of
    its own (Neo4j) keeps none: its index is built in each process, as before.
    """
    _KEPT[store] = _Kept(Path(folder), write, building)


def _stamp(store: GraphStore) -> str | None:
    from graphkit.risk.tables import store_stamp

    return store_stamp(store)


def build_steps(store: GraphStore, *, kept: bool = False) -> list[str]:
    """The steps of building a store's name index, as :meth:`NameIndex.build` names them to ``progress``: each
    label's names (and aliases), then ``simplified`` (繁→简), ``pinyin``, ``tokens``; and ``keep`` (written where
    :func:`keep_index` says) with ``kept``."""
    out = []
    for lab in _named_labels(store):
        out.append(f"names {lab}")
        if lab in _aliased_labels(store):
            out.append(f"aliases {lab}")
    return out + ["simplified", "pinyin", "tokens"] + (["keep"] if kept else [])


def refresh(store: GraphStore, *, progress: Callable[[str], None] | None = None) -> NameIndex:
    """(Re)build the name index of a store, e.g. after loading more data (and keep it where
    :func:`keep_index` says); ``progress`` is called with each of :func:`build_steps` as it starts."""
    _UNUSUAL.pop(store, None)
    kept = _KEPT.get(store)
    stamp = _stamp(store) if kept is not None and kept.write else None  # before reading: a load during is missed
    _INDEXES[store] = index = NameIndex.build(store, progress=progress)
    if kept is not None and stamp is not None:
        if progress is not None:
            progress("keep")
        try:
            index.save(kept.folder, stamp)
        except (OSError, ValueError) as exc:  # a full disk, a folder not ours: the search answers, the next builds
            _log.warning("the name index is not kept in %s: %s", kept.folder, exc)
    return index


def _index(store: GraphStore) -> NameIndex:
    index = _INDEXES.get(store)
    if index is not None:
        return index
    kept = _KEPT.get(store)
    stamp = _stamp(store) if kept is not None else None
    if kept is None or stamp is None:
        return refresh(store)
    index = NameIndex.load(kept.folder, stamp)
    if index is not None:
        _UNUSUAL.pop(store, None)
        _INDEXES[store] = index
        return index
    if kept.building is None:
        return refresh(store)
    with kept.building("changed" if (kept.folder / "stamp.json").exists() else "new") as step:
        return refresh(store, progress=step)


# ------------------------------------------------------------ a name carried exactly, without the index
#: a name query the store can answer by equality: Chinese characters (one at least), digits, brackets, hyphens
#: and middle dots; no letter (a name in other case has the same tokens) and no space (nor other tokens)
_PLAIN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff0-9()\-·]+")
#: an ASCII digit (what every identifier a plain name could be read as holds)
_DIGIT = re.compile(r"[0-9]")
#: most spellings of one query looked up by equality (its 繁/简 forms); a query with more goes to the name index
_SPELLINGS = 256
#: the names of a store that are not as loaders store them (read once per store object, as the index is)
_UNUSUAL: weakref.WeakKeyDictionary[GraphStore, pd.DataFrame] = weakref.WeakKeyDictionary()


@lru_cache(maxsize=1)
def _t2s_sources() -> dict[str, frozenset[str]] | None:
    """Each character OpenCC's t2s conversion writes → the characters it writes it for, at the same place (every
    entry of its dictionaries is as long as what it writes, the rest of a text is copied), so ``t2s(v) == s``
    only if each character of ``v`` is ``s``'s at its place or one of its sources.  None when the dictionaries
    are not as expected (the name index answers then)."""
    out: dict[str, set[str]] = {}
    try:
        for group in _converters()[0]._dict_chain_data:
            for _longest, _shortest, table in group:
                for key, value in table.items():
                    written = value.split(" ")[0]  # OpenCC writes the first of several
                    if len(written) != len(key):
                        return None
                    for k, w in zip(key, written, strict=True):
                        out.setdefault(w, set()).add(k)
    except (AttributeError, TypeError, ValueError):
        return None
    return {w: frozenset(ks) for w, ks in out.items()}


def _spellings(text: str, q: str) -> list[str] | None:
    """Every text a stored name may be for :func:`_exactly_named` to take it for the Chinese name query ``q``
    (``normalize_name(text)``): ``q`` itself, its person form, its traditional form and every text OpenCC
    simplifies to ``q``'s simplified form; None past :data:`_SPELLINGS` or without OpenCC's dictionaries."""
    qs, sources = _t2s(q), _t2s_sources()
    if sources is None or len(qs) != len(q):
        return None
    choices = [sorted({c} | sources.get(c, frozenset())) for c in qs]
    if prod(len(c) for c in choices) > _SPELLINGS:
        return None
    out = {"".join(p) for p in product(*choices)} | {q, qs, _s2t(q), normalize_person_name(text) or q}
    return sorted(out)


@lru_cache(maxsize=1)
def _unusual() -> tuple[str, str]:
    """Regular expressions (Neo4j's and Ladybug's alike, matching a whole value) of a stored name the index does
    not compare as stored: white space before or after it (its tokens are the name's) or another middle dot
    (normalised); and of an aliases value with another middle dot (white space around one of its names is
    found by :file:`search/named_aliases` as the name it contains)."""

    def chars(cs: Iterable[str]) -> str:
        return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in cs) + "]"

    space = chars(c for c in map(chr, range(0x3001)) if c.isspace())  # str.split's white space
    dots = chars(NAME_DOTS.replace("·", ""))
    return f"(?s)(?:{space}.*|.*{space}|.*{dots}.*)", f"(?s).*{dots}.*"


def _unusual_names(store: GraphStore) -> pd.DataFrame:
    rows = _UNUSUAL.get(store)
    if rows is None:
        text = query(store, "search/unusual_names", union=_named_labels(store))
        rows = _UNUSUAL[store] = run_query(store, text, {"unusual": _unusual()[0]})
    return rows


def _exact_name_search(store: GraphStore, text: str) -> pd.DataFrame | None:
    """The candidates :meth:`NameIndex.search` gives that carry the name exactly (:data:`EXACT`: as written, in
    the other script, the same tokens), in its order and with its words, read from the store by equality on the
    name (``queries/search/named.cypher``: an index seek on Neo4j) without building the index; None for a query
    only the index answers (letters, spaces, too many spellings).

    Every other candidate the index gives scores less (0.9 at most), so a caller that needs only these, or
    only the one best, asks here first (:func:`exact_matches`, :func:`resolve`)."""
    q = normalize_name(text) or ""
    if not _PLAIN.fullmatch(q) or not _CJK.search(q):
        return None
    names = _spellings(text, q)
    if names is None:
        return None
    found = run_query(store, query(store, "search/named", union=_named_labels(store)), {"names": names})
    found = pd.concat([found, _unusual_names(store)], ignore_index=True).drop_duplicates(["label", "id"])
    aliases = pd.DataFrame(columns=["id", "label", "name", "aliases"])
    if _aliased_labels(store):
        text_ = query(store, "search/named_aliases", union=_aliased_labels(store))
        aliases = run_query(store, text_, {"names": names, "unusual": _unusual()[1]})
    f = _indexed(
        _name_frame(
            store,
            {lab: df for lab, df in found.groupby("label", sort=False)},
            {lab: df for lab, df in aliases.groupby("label", sort=False)},
        )
    )
    hits = _exactly_named(f, text, q)
    tokens = _name_tokens(q)[0]
    same = pd.Series([_name_tokens(v)[0] == tokens for v in f["value"].astype(str)], index=f.index, dtype=bool)
    _add(hits, f, same, 1.0, "same name")
    return _best(hits)


# ------------------------------------------------------------ identifiers
def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def _by_key(store: GraphStore, keys: dict[str, str], labels: Iterable[str] | None = None) -> pd.DataFrame:
    """Exact natural keys (``keys``: key → how it matched), optionally only in some labels."""
    if labels is not None:
        found = {}
        for lab in labels:
            found.update(fetch_nodes(store, {k: lab for k in keys}))
    else:
        found = locate(store, keys)
    return _frame(
        [{"label": n.label, "id": n.id, "name": n.name, "score": 1.0, "matched": keys[k]} for k, n in found.items()]
    )


def _normalised(fn, query: str) -> str | None:
    try:
        return fn(query)
    except ValueError:
        return None


def _phone(store: GraphStore, phone: str) -> pd.DataFrame:
    rows = _by_key(store, {phone: "phone"}, ["Phone"])
    if rows.empty:
        return rows
    text = query(store, "search/phone_holders", union=_PHONE_HOLDERS)
    holders = run_query(store, text, {"phone": phone})
    extra = _frame(
        [
            {"label": lk, "id": i, "name": n, "score": 0.9, "matched": f"has phone {phone}"}
            for i, lk, n in zip(holders["id"], holders["label"], holders["name"], strict=True)
        ]
    )
    return pd.concat([rows, extra], ignore_index=True)


def find(store: GraphStore, query: str, *, kind: str | None = None, limit: int = 10) -> pd.DataFrame:
    """Entities matching ``query``, best first.

    Parameters
    ----------
    store : GraphStore
    query : str
        A name, ID number, credit code, plate, phone or any natural key (tender id, contract id …).
    kind : {"name", "id_number", "credit_code", "plate", "phone", "key"}, optional
        Search only this way; by default every way the query's form allows.
    limit : int, default 10
        Most candidates returned.

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``id``, ``name``, ``score`` (0..1), ``matched`` (how it matched).
    """
    return _find(store, query, kind=kind, limit=limit)[0]


def _find(
    store: GraphStore, query: str, *, kind: str | None = None, limit: int = 10, exact: bool = False
) -> tuple[pd.DataFrame, bool]:
    """:func:`find`, and whether the name index was searched.  With ``exact``, names are looked up without the
    index where the store can answer (:func:`_exact_name_search`): the candidates are then :func:`find`'s that
    score 0.95 or more (those :data:`EXACT` names), and any identifier's (with a phone's holders)."""
    if kind is not None and kind not in KINDS:
        raise PathError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    q = (query or "").strip()
    if not q:
        raise PathError("empty query")

    def want(k: str) -> bool:
        return kind is None or kind == k

    parts: list[pd.DataFrame] = []
    idn = _normalised(normalize_id_number, q) if want("id_number") else None
    if idn:
        parts.append(_by_key(store, {idn: "ID number"}, ["Person"]))
    code = _normalised(normalize_credit_code, q) if want("credit_code") else None
    if code:
        parts.append(_by_key(store, {code: "credit code"}, ["Company", "Organization"]))
    plate = _normalised(normalize_plate, q) if want("plate") else None
    if plate:
        parts.append(_by_key(store, {plate: "plate"}, ["Vehicle"]))
    phone = _normalised(normalize_phone, q) if want("phone") and not idn and not code else None
    if phone:
        parts.append(_phone(store, phone))
    if want("key") and not any(not p.empty for p in parts):
        parts.append(_by_key(store, {q: "key"}))
    searched = False
    if want("name") and not idn and not code and not plate:
        # an index already built answers as before; else the store, by equality, when it can
        names = _exact_name_search(store, q) if exact and store not in _INDEXES else None
        if names is None:
            names, searched = _index(store).search(q), True
        parts.append(names)
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS), searched
    out = pd.concat(parts, ignore_index=True)
    out = (
        out.sort_values(["score", "label", "id"], ascending=[False, True, True], kind="stable")
        .drop_duplicates(["label", "id"])
        .head(limit)
        .reset_index(drop=True)
    )
    out["score"] = out["score"].astype(float)
    return out[COLUMNS], searched


def describe(store: GraphStore, found: pd.DataFrame) -> pd.DataFrame:
    """What tells namesakes apart: ``found`` (as :func:`find` returns it) with ``born`` (birth year),
    ``unit`` and ``post`` (the person's current post, else the latest) for every Person row.

    Two candidates with the same name and score differ here; a face shows these columns and never picks
    one of them silently.

    Parameters
    ----------
    store : GraphStore
    found : pandas.DataFrame
        Candidates with ``label`` and ``id`` columns.

    Returns
    -------
    pandas.DataFrame
        A copy with ``born`` (int or ``None``), ``unit`` and ``post`` (text or ``None``) added.
    """
    out = found.copy()
    out["born"], out["unit"], out["post"] = None, None, None
    persons = [str(i) for i, lab in zip(found["id"], found["label"], strict=True) if lab == "Person"]
    if not persons:
        return out
    nodes = fetch_nodes(store, {p: "Person" for p in persons})
    posts: dict[str, tuple[str | None, str | None]] = {}
    df = store.query("paths/person_posts", {"ids": persons})
    for pid, role, post, unit in df[["id", "role", "post", "unit"]].itertuples(index=False, name=None):
        posts.setdefault(str(pid), (post if isinstance(post, str) else role, unit))  # current posts come first
    born, units, titles = [], [], []
    for i, lab in zip(out["id"], out["label"], strict=True):
        node = nodes.get(str(i)) if lab == "Person" else None
        d = node.properties.get("birth_date") if node is not None else None
        born.append(int(str(d)[:4]) if d is not None and str(d)[:4].isdigit() else None)
        post, unit = posts.get(str(i), (None, None))
        units.append(unit)
        titles.append(post)
    out["born"], out["unit"], out["post"] = born, units, titles
    return out


def resolve(store: GraphStore, query: str, *, kind: str | None = None) -> Candidate:
    """The one entity a query means: the best candidate when it scores higher than the next one.

    Raises
    ------
    PathError
        Nothing matches.
    AmbiguousEntity
        Several candidates share the best score (``exc.candidates`` lists them).
    """
    found, searched = _find(store, query, kind=kind, limit=20, exact=True)
    one = not found.empty and found["score"].iloc[0] >= 0.95 and (found["score"] == found["score"].iloc[0]).sum() == 1
    if not searched and not one:  # no name carried exactly, or several: the candidates a fuzzy search gives
        found = find(store, query, kind=kind, limit=20)
    if found.empty:
        raise PathError(_nothing(query))
    top = found[found["score"] == found["score"].iloc[0]]
    if len(top) > 1:
        raise AmbiguousEntity(f"{query!r} matches {len(top)} entities equally well; give an id", found)
    r = found.iloc[0]
    return Candidate(r["label"], r["id"], r["name"], float(r["score"]), r["matched"])


def names_it(matched: str) -> bool:
    """Whether a candidate that matched this way (``matched`` of :func:`find`) is the entity the query names
    (:data:`NAMED`), not only one like it: a face may pick such a candidate when it is the only best one.

    >>> names_it("pinyin"), names_it("traditional/simplified"), names_it("same pinyin"), names_it("name contains")
    (True, True, False, False)
    """
    return str(matched).split(":", 1)[0] in NAMED


def matched_word(matched: str, *, lang: str = "zh", unmask: bool = False) -> str:
    """How a candidate matched as a list shows it: in Chinese (:data:`MATCHED_ZH`; ``lang="en"`` as :func:`find`
    says it) and with the identifier it carries masked (``has phone 13800000001`` names the phone searched),
    unless ``unmask``.

    >>> matched_word("has phone 13800000001"), matched_word("pinyin"), matched_word("pinyin", lang="en")
    ('登记电话 138****0001', '拼音一致', 'pinyin')
    """
    text = str(matched)
    if lang == "zh":
        how = max((h for h in MATCHED_ZH if text == h or text.startswith((h + " ", h + ":"))), key=len, default=None)
        if how is not None:
            text = MATCHED_ZH[how] + text[len(how) :]
    return text if unmask else mask_text(text)


def in_words(found: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """A candidates table as a reader reads it: under ``lang="zh"`` each kind by the model's noun (自然人, 单位),
    how it matched in Chinese (:func:`matched_word`, its identifier masked) and the headers in Chinese
    (:data:`COLUMNS_ZH`); ``found`` itself for ``lang="en"``. Keys, names and other cells are as given: mask them
    as the face does.

    >>> row = {"label": "Person", "id": "P1", "name": "王伟", "score": 0.85, "matched": "pinyin"}
    >>> t = in_words(pd.DataFrame([row]))
    >>> t.columns.tolist(), t.iloc[0, [0, 4]].tolist()
    (['类别', '编号', '名称', '得分', '匹配方式'], ['自然人', '拼音一致'])
    """
    from graphkit.model import Model

    if lang == "en":
        return found
    model = Model.default()
    out = found.copy()
    if "label" in out:
        out["label"] = [model.display_name(x) if x in model.labels else x for x in out["label"]]
    if "matched" in out:
        out["matched"] = [matched_word(x) for x in out["matched"]]
    return out.rename(columns=COLUMNS_ZH)


def _is_exact(matched: str) -> bool:
    return str(matched).split(":", 1)[0] in EXACT


def exact_matches(store: GraphStore, query: str) -> pd.DataFrame:
    """The entities ``query`` names exactly (:data:`EXACT`), numbered 1, 2 … in a stable order.

    The order is :func:`find`'s (score, then label, then key), so namesakes keep their numbers as long as
    the data does not change, and ``NAME#N`` (:func:`resolve_exact`) picks the same entity every time
    without the caller seeing or typing an identifier.

    Parameters
    ----------
    store : GraphStore
    query : str
        A name, an identifier or a key.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS` and ``no`` (1-based), exact matches only.
    """
    found = _find(store, query, limit=1000, exact=True)[0]  # the store answers a Chinese name without the index
    out = found[found["matched"].map(_is_exact).astype(bool)].reset_index(drop=True)
    out.insert(0, "no", range(1, len(out) + 1))
    return out


def handles(store: GraphStore, found: pd.DataFrame) -> list[str]:
    """What a user types to name each candidate of ``found`` exactly without its identifier: the name when
    it names one entity, else ``NAME#N`` (:func:`exact_matches` numbering); the key of a nameless node."""
    out: list[str] = []
    cache: dict[str, pd.DataFrame] = {}
    for lab, key, name in zip(found["label"], found["id"], found["name"], strict=True):
        if not isinstance(name, str) or not name.strip():
            out.append(str(key))
            continue
        same = cache.get(name)
        if same is None:
            same = cache[name] = exact_matches(store, name)
        hit = same[(same["label"] == lab) & (same["id"] == key)]
        if hit.empty:  # the name does not lead back to it (an alias matched): the key
            out.append(str(key))
        else:
            out.append(name if len(same) == 1 else f"{name}#{int(hit['no'].iloc[0])}")
    return out


#: most namesakes :func:`exact_matches` numbers (its search's limit): one past them gets its key as handle
_NUMBERED = 1000


def _plain_name(name: str) -> bool:
    """Whether :func:`exact_matches` of ``name`` is only the entities carrying it by name (as written, in the
    other script, the same single token) or as a key: a Chinese name as loaders store it (trimmed, normalised,
    no letter or space) that no identifier reads."""
    if not (name == name.strip() and _PLAIN.fullmatch(name) and _CJK.search(name)):
        return False
    if normalize_name(name) != name or normalize_person_name(name) != name:
        return False
    if not _DIGIT.search(name):
        # an ID number and a phone need digits, a credit code is 0-9A-Z alone (a plain name has a Chinese
        # character) and a plate needs a Latin letter (none of _PLAIN's characters is one, NFKC making none): no
        # normaliser reads a plain name without a digit (asked, each formatted a masked refusal: a third of the
        # handles' time)
        return True
    for fn in (normalize_id_number, normalize_credit_code, normalize_plate, normalize_phone):
        if _normalised(fn, name):
            return False
    return True


def _name_rows(store: GraphStore) -> pd.DataFrame:
    """The name index's rows (:func:`_indexed`): the index's own if it is built (the searches read it then,
    as it was built), else read from the store now without keeping them."""
    index = _INDEXES.get(store)
    if index is not None:
        return index.frame[["label", "id", "name", "value", "simplified"]]
    names, aliases = {}, {}
    for lab in _named_labels(store):
        names[lab] = run_query(store, query(store, "search/names", labels={"LABEL": lab}), {})
        if lab in _aliased_labels(store):
            aliases[lab] = run_query(store, query(store, "search/aliases", labels={"LABEL": lab}), {})
    return _indexed(_name_frame(store, names, aliases))


def bulk_handles(store: GraphStore, found: pd.DataFrame) -> list[str]:
    """:func:`handles` of many candidates at once: the same handle for each, from one read of the name index's
    rows (and one lookup of the names as keys) instead of one search per name.

    A Chinese name as loaders store it (:func:`_plain_name`) names exactly, as :func:`exact_matches` finds them:
    the entities with a name value equal to it or whose one token it is (1.0), the others with its simplified
    form or equal to its traditional form (0.95, 繁/简), and a node whose key it is (1.0); numbered by score,
    label and key, the first :data:`_NUMBERED`.  Any other name (letters, spaces, an identifier, a name stored
    otherwise) is asked :func:`handles` one by one."""
    labels, keys = list(found["label"]), list(found["id"])
    names = [n if isinstance(n, str) else None for n in found["name"]]
    out: list[str | None] = [None] * len(names)
    plain: dict[str, bool] = {}
    for i, (key, name) in enumerate(zip(keys, names, strict=True)):
        if name is None or not name.strip():
            out[i] = str(key)
        elif name not in plain:
            plain[name] = _plain_name(name)
    queries = [n for n, ok in plain.items() if ok]
    if queries:
        rows = _name_rows(store)
        tokens = [v.casefold().split() for v in rows["value"].astype(str)]
        rows = rows.assign(token=[t[0] if len(t) == 1 else None for t in tokens])
        q = pd.DataFrame({"q": queries})
        simplified, traditional = _t2s_all(queries), _s2t_all(queries)  # a thousand names a call, not one
        q["qs"] = [simplified[n] for n in queries]
        q["qt"] = [traditional[n] for n in queries]
        cols = ["q", "label", "id", "score"]
        parts = [
            q.merge(rows, left_on="q", right_on="value").assign(score=1.0)[cols],
            q.merge(rows, left_on="q", right_on="token").assign(score=1.0)[cols],
        ]
        for on in (("qs", "simplified"), ("qt", "value")):  # the other script: not the name as written
            m = q.merge(rows, left_on=on[0], right_on=on[1])
            parts.append(m[m["value"] != m["q"]].assign(score=0.95)[cols])
        # the names as keys, located as each name alone is (in the label its form suggests first): a name of no
        # identifier's form (_plain_name: every normaliser refuses it) is looked up in the model's first label
        # first, as candidate_labels says of each (asked twice per name, it had taken a third of the time)
        by_key = locate(store, queries, likely=list(store.model.labels)[:1])
        parts.append(pd.DataFrame([(n, node.label, node.id, 1.0) for n, node in by_key.items()], columns=cols))
        hits = pd.concat([p for p in parts if not p.empty] or [pd.DataFrame(columns=cols)], ignore_index=True)
        hits = (
            hits.sort_values(["q", "score", "label", "id"], ascending=[True, False, True, True], kind="stable")
            .drop_duplicates(["q", "label", "id"])
            .reset_index(drop=True)
        )
        hits["no"] = hits.groupby("q", sort=False).cumcount() + 1
        hits = hits[hits["no"] <= _NUMBERED]
        count = hits.groupby("q", sort=False)["no"].max().to_dict()
        numbered = dict(zip(zip(hits["q"], hits["label"], hits["id"], strict=True), hits["no"], strict=True))
        for i, (lab, key, name) in enumerate(zip(labels, keys, names, strict=True)):
            if out[i] is None and plain.get(name):
                no = numbered.get((name, lab, key))
                out[i] = str(key) if no is None else name if count[name] == 1 else f"{name}#{int(no)}"
    rest = [i for i, h in enumerate(out) if h is None]
    if rest:
        for i, h in zip(rest, handles(store, found.iloc[rest]), strict=True):
            out[i] = h
    return [str(h) for h in out]


def candidates(store: GraphStore, found: pd.DataFrame) -> pd.DataFrame:
    """``found`` as a face lists it for the user to choose: ``handle`` (what to type back,
    :func:`handles`), label, id, name, score, matched, ``born``, ``unit``, ``post`` (:func:`describe`) and
    ``gender``: what tells namesakes apart without their identifiers."""
    out = describe(store, found.drop(columns=["no"], errors="ignore"))
    out.insert(0, "handle", handles(store, found))
    persons = {str(i): "Person" for i, lab in zip(out["id"], out["label"], strict=True) if lab == "Person"}
    nodes = fetch_nodes(store, persons) if persons else {}
    out["gender"] = [nodes[str(i)].properties.get("gender") if str(i) in nodes else None for i in out["id"]]
    return out


def resolve_exact(store: GraphStore, query: str) -> Candidate:
    """The one entity ``query`` names exactly: its key or an identifier, its name (繁/简 alike) when only one
    entity has it, or ``NAME#N``, the N-th of the namesakes :func:`exact_matches` numbers.

    Raises
    ------
    PathError
        Nothing matches, or ``#N`` is past the last namesake.
    AmbiguousEntity
        Several entities have the name (``exc.candidates``: :func:`candidates`, with their ``NAME#N``).
    NotExact
        Only other names match (pinyin, partial, similar spelling; ``exc.candidates`` lists them).
    """
    q = (query or "").strip()
    m = _HANDLE.match(q)
    exact = exact_matches(store, m.group("name") if m else q)
    if m:
        n = int(m.group("n"))
        if not 1 <= n <= len(exact):
            if exact.empty:
                raise PathError(f"nothing is named exactly {m.group('name')!r}")
            raise AmbiguousEntity(
                f"{q!r}: {m.group('name')!r} names {len(exact)} entities, #1 to #{len(exact)}",
                candidates(store, exact),
            )
        r = exact.iloc[n - 1]
    elif len(exact) == 1:
        r = exact.iloc[0]
    elif len(exact) > 1:
        raise AmbiguousEntity(
            f"{q!r} names {len(exact)} entities; give one as {q}#N (N from the list)", candidates(store, exact)
        )
    else:
        found = find(store, q, limit=20)
        if found.empty:
            raise PathError(_nothing(q))
        raise NotExact(
            f"nothing is named exactly {q!r}; similar names (give one exactly if it is meant):",
            candidates(store, found),
        )
    return Candidate(r["label"], r["id"], r["name"], float(r["score"]), r["matched"])


#: the labels a name shared with other entities is first looked up among: a person, a company, a unit (a unit over
#: its building, a Place, of the same name), as ``graphkit export``, ``neighbours`` and the notebooks' ``SUBJECT``
#: read a name (:func:`resolve_entity`)
SUBJECT_LABELS = ("Person", "Company", "Organization")


def named_among(store: GraphStore, query: str, labels: Iterable[str]) -> Candidate | None:
    """The one entity of ``labels`` that has the name ``query`` exactly (繁/简 alike), whatever other entities have
    it; None when none or several of those labels have it, or ``query`` is a handle (``NAME#N``)."""
    q = (query or "").strip()
    if "#" in q:
        return None
    exact = exact_matches(store, q)
    mine = exact[exact["label"].isin(tuple(labels))]
    if len(mine) != 1:
        return None
    r = mine.iloc[0]
    return Candidate(r["label"], str(r["id"]), r["name"], float(r["score"]), r["matched"])


def resolve_entity(
    store: GraphStore, query: str, labels: Iterable[str], what: str, *, others: bool = False
) -> Candidate:
    """The one entity of ``labels`` that ``query`` names, as ``graphkit portrait --person``, ``warnings list
    --entity`` and the notebooks' ``SUBJECT`` read one: a name that one entity of those labels has exactly wins
    over other entities of that name (a unit over its building, a Place: :func:`named_among`); else
    :func:`resolve_exact` (a key or an identifier, a name one entity has, ``NAME#N`` for one of namesakes).

    With ``others`` an entity of another label is taken too (``graphkit export`` of a Place by its key or
    ``NAME#N``): the labels only say which entity a shared name means.

    Raises
    ------
    PathError
        Nothing matches (or ``#N`` is past the last namesake).
    AmbiguousEntity, NotExact
        As :func:`resolve_exact` (``exc.candidates`` with their handles).
    WrongLabel
        The entity named is of another label (not with ``others``): the message says it is not ``what``
        (``"a person"``).
    """
    q = (query or "").strip()
    labels = tuple(labels)
    if (mine := named_among(store, q, labels)) is not None:
        return mine
    found = resolve_exact(store, q)
    if found.label not in labels and not others:
        raise WrongLabel(f"{q!r} names a {found.label}, not {what}", found)
    return found
