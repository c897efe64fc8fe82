"""Source-table contracts: one YAML file per kind of table a department exports.

A contract declares the columns (canonical English name, the Chinese header
``zh`` departments use, a value type, whether it is required, which label a
key must already exist in) and how a row maps onto the graph (``nodes`` and
``edges``, FollowTheMoney-mapping style).  Contracts are checked against the
model when they are loaded, so a typo in a label or property fails at once.

Value types: ``id_number``, ``credit_code``, ``plate``, ``phone``, ``name``, ``person_name`` (a person's: a
space in a transliterated name is its middle dot),
``address``, ``text``, ``code``, ``account``, ``date``, ``datetime``, ``month`` (``YYYY-MM``: 2024年3月, 202403 and a
whole date read as their month),
``amount`` (non-negative number, optional ``max``), ``int``, ``bool``,
``enum`` (``values``: a list of canonical values, or the name of a vocabulary of
``loaders/vocabularies.yaml`` that also lists the Chinese words for each), ``party`` (an ID number or a
credit code, chosen by ``label_column``).  A column with ``names: COLUMN`` holds the name of the entity COLUMN refers to
(a roster's 姓名 next to its 公民身份号码): a row whose name is not that entity's is refused. ``born`` and ``sex`` tie a
date column and a 男/女 column to the ID number whose digits hold them; ``suffixes`` lists the words a number column's
cells may end in, naming its own unit (升, %).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from graphkit.model import YAML_LOADER, Model, ModelError

__all__ = [
    "Column",
    "NodeMap",
    "EdgeMap",
    "Endpoint",
    "Source",
    "MappingError",
    "load_contracts",
    "map_headers",
    "source_named",
    "vocabularies",
    "VALUE_TYPES",
]

HERE = Path(__file__).parent / "sources"
VOCABULARIES = Path(__file__).with_name("vocabularies.yaml")
VALUE_TYPES = (
    "id_number",
    "credit_code",
    "plate",
    "phone",
    "name",
    "person_name",
    "address",
    "text",
    "code",
    "account",
    "date",
    "datetime",
    "month",
    "amount",
    "int",
    "bool",
    "enum",
    "party",
)


#: an amount's unit named in its header's brackets, in yuan: 合同金额(万元) holds ten-thousands of yuan
HEADER_UNITS = {"元": 1.0, "千元": 1e3, "万元": 1e4, "百万元": 1e6, "亿元": 1e8}


#: words departments write for the same thing in a header, and the word the contracts use (身份证号码 for the
#: 公民身份号码 of GB 11643, 注册资金 for 注册资本); applied to a header's name, not to its unit
HEADER_WORDS = (
    ("身份证号码", "身份号码"),
    ("身份证号", "身份号码"),
    ("注册资金", "注册资本"),
    # a roster's dates as organisation departments head them (任职时间 for 任职日期: left unread, the dates lost)
    ("任职时间", "任职日期"),
    ("离任时间", "离任日期"),
    ("免职时间", "离任日期"),
    ("免职日期", "离任日期"),
)
#: a template's mark in a bracket after a header, 必填 ("required") or 选填 ("optional"): no unit, no part of the name
_TEMPLATE_MARK = re.compile(
    r"[(\[【〔]\s*(?:必填|选填|非必填|可选填?|可不填|必录|选录|必须填写|必填项|选填项)\s*[)\]】〕]$"
)
#: money units written with their currency (万元人民币) read as the unit
_RMB = re.compile(r"^(?:人民币)?(千元|万元|百万元|亿元|元)(?:人民币)?$")


def split_header(header: object) -> tuple[str, str | None]:
    """A header as compared: full-width → half-width, no whitespace, the text of a final bracket apart, the
    departments' synonyms (:data:`HEADER_WORDS`) as the contracts write them and 万元人民币 as 万元.

    >>> split_header("合同金额（万元）"), split_header(" 合同金额 (元)"), split_header("姓名")
    (('合同金额', '万元'), ('合同金额', '元'), ('姓名', None))
    >>> split_header("身份证号码"), split_header("注册资金（万元人民币）"), split_header("任职时间")
    (('公民身份号码', None), ('注册资本', '万元'), ('任职日期', None))
    >>> split_header("*姓名"), split_header("公民身份号码＊")
    (('姓名', None), ('公民身份号码', None))
    >>> split_header("姓\u200b名")  # a zero-width space pasted in
    ('姓名', None)
    >>> split_header("金额（元）（必填）"), split_header("金额【必填】"), split_header("联系电话(选填)")
    (('金额', '元'), ('金额', None), ('联系电话', None))
    """
    return _split_header(str(header))


@functools.lru_cache(maxsize=4096)  # a load compares every header of every file with every contract's (2,000 calls)
def _split_header(header: str) -> tuple[str, str | None]:
    h = re.sub(r"[\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad]+", "", unicodedata.normalize("NFKC", header))
    h = h.strip("*※")  # an import template marks its required columns: *姓名, 姓名*
    h = _TEMPLATE_MARK.sub("", h).strip("*※")  # or in a bracket: 金额(元)(必填), whose (必填) had been read as its unit
    m = re.fullmatch(r"(.+?)\(([^()]*)\)", h)
    base, unit = (m.group(1), m.group(2)) if m else (h, None)
    for word, ours in HEADER_WORDS:
        if word in base and ours not in base:
            base = base.replace(word, ours)
    if base == "身份号码":  # the bare word: the citizen's own number
        base = "公民身份号码"
    if unit and (u := _RMB.match(unit)):
        unit = u.group(1)
    return base, unit


def scale_decimals(factor: float) -> int:
    """How many decimals an amount scaled by ``factor`` keeps: 6, or enough for a fen (0.01 元) when ``factor``
    divides (134.56 元 is 0.013456 万元, not the float product 0.013456000000000001).

    >>> scale_decimals(1e4), scale_decimals(1e-4), scale_decimals(1e-8)
    (6, 6, 10)
    """
    return max(6, 2 + math.ceil(round(math.log10(1 / factor), 9))) if 0 < factor < 1 else 6


#: a cell that names its own unit (12.5万元, 1200元, 伍佰圆) is read in it, whatever its header or title says
OWN_UNIT = "[万亿元圆萬億]"


def unit_factor(header: object, own: str | None = None, title: str | None = None) -> float | None:
    """What one plain number under ``header`` is worth in the column's own unit ``own`` (default 元): the unit in
    the header's final bracket, else the unit the table's title lines declare (单位：万元), else 1. ``None``: a unit
    that is not one of :data:`HEADER_UNITS` (美元), which must not be read as yuan.

    >>> unit_factor("合同金额（万元）"), unit_factor("合同金额", title="万元"), unit_factor("数量", "升", "万元")
    (10000.0, 10000.0, 1.0)
    """
    unit = split_header(header)[1] or (title if (own or "元") in HEADER_UNITS else None)  # a title's 万元: money only
    if unit is None or unit == own:
        return 1.0
    theirs, ours = HEADER_UNITS.get(unit), HEADER_UNITS.get(own or "元")
    return None if theirs is None or ours is None else theirs / ours


@dataclass(frozen=True)
class Column:
    """A source column: English name, the Chinese header departments use, its type and whether it is required."""

    name: str
    zh: str | None
    type: str
    required: bool = False
    ref: str | None = None
    values: tuple[str, ...] | None = None
    label_column: str | None = None
    max: float | None = None
    names: str | None = None  # the column whose entity this one names (a roster's 姓名 names its 公民身份号码's person)
    #: (word, canonical value) for every other word an enum column accepts (配偶 → spouse)
    words: tuple[tuple[str, str], ...] = ()
    #: other headers departments write for this column (手机号码 for a household's 联系电话): read as it where the
    #: file has no header the contract writes for it (:meth:`Source.for_header`)
    also: tuple[str, ...] = ()
    #: the ID-number column whose birth date (its digits 7-14) this date column must be (a household's 出生日期)
    born: str | None = None
    #: the ID-number column whose sex digit (the 17th: odd 男, even 女) this 男/女 column must be (a household's 性别)
    sex: str | None = None
    #: the words a cell of this number column may end in, naming the column's own unit (45.2升 under 数量(升), 60% under
    #: 持股比例(%)): read as the number before them
    suffixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Endpoint:
    """One end of a relationship a row makes: the key column and a fixed label, or a column choosing the label."""

    column: str  # the key column
    label: str | None = None  # fixed label, or
    label_column: str | None = None  # a column whose value picks the label
    label_map: dict[str, str] = field(default_factory=dict)

    def labels(self) -> list[str]:
        """The labels this end can have."""
        return [self.label] if self.label else sorted(set(self.label_map.values()))


@dataclass(frozen=True)
class NodeMap:
    """A node a row makes: its label, the key column and the property columns."""

    label: str
    key: str
    master: bool
    properties: dict[str, object]  # property -> column name or {"value": const}


@dataclass(frozen=True)
class EdgeMap:
    """A relationship a row makes: its type, the two ends, the key and the property columns."""

    type: str
    source: Endpoint
    target: Endpoint
    key: tuple[str, ...] | None
    properties: dict[str, object]
    when: str | None = None


@dataclass(frozen=True)
class Source:
    """A source contract: one kind of table a department exports, its columns and the nodes and relationships each row
    makes."""

    name: str
    title: str
    order: int
    columns: dict[str, Column]
    nodes: tuple[NodeMap, ...]
    edges: tuple[EdgeMap, ...]
    #: (header, column) a user said a file of this kind heads a column with (``graphkit load --column``):
    #: read before the contract's own headers (:meth:`with_headers`)
    headers: tuple[tuple[str, str], ...] = ()

    def header_aliases(self) -> dict[str, str]:
        """Header as found in a file (English or Chinese, or mapped by :meth:`with_headers`) → canonical column
        name."""
        return dict(self._aliases)

    @functools.cached_property
    def _aliases(self) -> dict[str, str]:  # named() asks it of every header cell of every file (2,800 calls a load)
        out = {}
        for c in self.columns.values():
            out[c.name] = c.name
            if c.zh:
                out[c.zh] = c.name
        for c in self.columns.values():
            for h in c.also:
                out.setdefault(h, c.name)
        out.update(self.headers)
        return out

    @functools.cached_property
    def _by_base(self) -> dict[str, Column]:
        out: dict[str, Column] = {split_header(h)[0]: self.columns[c] for h, c in self.headers}
        for c in self.columns.values():
            for h in (c.name, c.zh):
                if h:
                    out.setdefault(split_header(h)[0], c)
        for c in self.columns.values():  # another column's own header comes first
            for h in c.also:
                out.setdefault(split_header(h)[0], c)
        return out

    def for_header(self, header: Iterable[object]) -> Source:
        """This contract for a file with ``header``: a column's other headers (``also``) are read only where the
        file has none of the contract's own headers for it, and the first of them only, so a household file with
        联系电话 and 手机号码 reads 联系电话 and names 手机号码 unread (rather than refuse the two as one column twice).

        >>> from loaders.contracts import load_contracts
        >>> hh = load_contracts()["household"]
        >>> hh.match_header("手机号码"), hh.for_header(["联系电话", "手机号码"]).match_header("手机号码")
        (('phone', 1.0), None)
        """
        if not any(c.also for c in self.columns.values()):
            return self
        own = {c.name: {split_header(h)[0] for h in (c.name, c.zh) if h} for c in self.columns.values()}
        taken: set[str] = {c for h in header if (c := self._own_column(str(h), own))}
        keep: dict[str, tuple[str, ...]] = {}
        for h in header:
            base = split_header(h)[0]
            for c in self.columns.values():
                if c.name not in taken and c.name not in keep and base in {split_header(a)[0] for a in c.also}:
                    keep[c.name] = (str(h).strip(),)
        columns = {n: replace(c, also=keep.get(n, ())) if c.also else c for n, c in self.columns.items()}
        return replace(self, columns=columns)

    def _own_column(self, header: str, own: dict[str, set[str]]) -> str | None:
        """The column ``header`` names by the contract's own name or Chinese header (or a --column mapping)."""
        if (m := self.mapped(header)) is not None:
            return m[1]
        base = split_header(header)[0]
        return next((n for n, bases in own.items() if base in bases), None)

    def named(self, header: object) -> Column | None:
        """The column a header names whatever unit its bracket gives (合同金额(美元) names ``amount``)."""
        h = str(header).strip().lstrip("\ufeff")
        aliases = self._aliases
        return self.columns[aliases[h]] if h in aliases else self._by_base.get(split_header(h)[0])

    def mapped(self, header: object) -> tuple[str, str] | None:
        """The mapping (header, column) of :meth:`with_headers` that reads ``header``, or ``None`` where the
        contract's own headers read it (or nothing does)."""
        h = str(header).strip().lstrip("\ufeff")
        base = split_header(h)[0]
        return next((m for m in self.headers if m[0] == h), None) or next(
            (m for m in self.headers if split_header(m[0])[0] == base), None
        )

    def with_headers(self, mapping: dict[str, str]) -> Source:
        """This contract reading each header of ``mapping`` as the column it names (the column's name, or its
        Chinese header), before its own headers: a department's 工作单位 read as the roster's ``unit_id``. A column
        the contract does not have raises :class:`MappingError` listing those it has.

        >>> from loaders.contracts import load_contracts
        >>> roster = load_contracts()["roster"].with_headers({"人员姓名": "name", "工作单位": "单位代码"})
        >>> roster.match_header("工作单位"), roster.match_header(" 人员姓名"), roster.match_header("姓名")
        (('unit_id', 1.0), ('name', 1.0), ('name', 1.0))
        """
        pairs = dict(self.headers)
        for header, field_ in mapping.items():
            col = self.named(field_) if str(field_).strip() else None
            if col is None:
                raise MappingError(
                    f"the {self.name} table has no column {field_!r} (for header {header!r}); its columns are "
                    + ", ".join(f"{c.name} ({c.zh})" if c.zh else c.name for c in self.columns.values())
                )
            pairs[str(header).strip()] = col.name
        return replace(self, headers=tuple(pairs.items()))

    def match_header(self, header: object, title: str | None = None) -> tuple[str, float] | None:
        """The canonical column a file's header names, and the factor an amount's plain numbers take
        (:func:`unit_factor`): the header as the contract writes it, or with full-width characters, spaces, or
        another unit in its final bracket (合同金额（万元） is 合同金额(元) with values × 10,000; 合同金额 alone is in
        yuan, or in the unit ``title`` lines declared). ``None``: no column, or an amount in a unit that is not one
        of :data:`HEADER_UNITS` (美元), which must not be read as yuan.

        >>> from loaders.contracts import load_contracts
        >>> s = load_contracts()["contracts"]
        >>> s.match_header("合同金额（万元）"), s.match_header("合同金额"), s.match_header("合同金额(美元)")
        (('amount', 10000.0), ('amount', 1.0), None)
        """
        h = str(header).strip().lstrip("\ufeff")
        col = self.named(h)
        if col is None:
            return None
        if col.type != "amount":  # 数量（升） is 数量(升): only money changes unit
            return col.name, 1.0
        factor = unit_factor(h, split_header(col.zh)[1] if col.zh else None, title)
        return None if factor is None else (col.name, factor)

    @functools.cached_property
    def mapped_columns(self) -> frozenset[str]:
        """Columns that nodes and edges read (keys, labels, properties, conditions)."""
        out: set[str] = set()
        for n in self.nodes:
            out.add(n.key)
            out.update(v for v in n.properties.values() if isinstance(v, str))
        for e in self.edges:
            for end in (e.source, e.target):
                out.add(end.column)
                if end.label_column:
                    out.add(end.label_column)
            out.update(e.key or ())
            out.update(v for v in e.properties.values() if isinstance(v, str))
            if e.when:
                out.add(e.when)
        return frozenset(out)

    @property
    def required_columns(self) -> list[Column]:
        """The columns a file of this kind must have."""
        return [c for c in self.columns.values() if c.required]

    def markdown(self) -> str:
        """The contract as a Markdown table (for ``graphkit model docs``)."""
        rows = [
            f"### `{self.name}` — {self.title}",
            "",
            "| column | 中文表头 | type | required | must exist in |",
            "|---|---|---|---|---|",
        ]
        for c in self.columns.values():
            t = c.type + (f" ({'/'.join(c.values)})" if c.values else "")
            zh = (c.zh or "") + (f" (also {', '.join(c.also)})" if c.also else "")
            rows.append(f"| {c.name} | {zh} | {t} | {'yes' if c.required else ''} | {c.ref or ''} |")
        return "\n".join(rows)


class MappingError(ValueError):
    """A table named for a file (``graphkit load --as``) or a header mapping (``--column``) that names a source
    table or a column no contract has; the message lists those there are."""


def source_named(name: str, contracts: dict[str, Source] | None = None, *, given: str = "") -> Source:
    """The contract called ``name``; :class:`MappingError` listing the source tables when there is none."""
    contracts = contracts if contracts is not None else load_contracts()
    src = contracts.get(str(name).strip())
    if src is None:
        raise MappingError(
            f"{given + ': ' if given else ''}no source table {name!r}; the source tables are {', '.join(contracts)}"
        )
    return src


def map_headers(specs: Iterable[str], contracts: dict[str, Source] | None = None) -> dict[str, Source]:
    """The contracts with the header mappings ``SOURCE.HEADER=FIELD`` of ``graphkit load --column`` applied: in
    the SOURCE table's files the column headed HEADER is read as the contract's column FIELD (its name, or its
    Chinese header). A mapping naming no source table, or no column of it, raises :class:`MappingError` listing
    those there are; so does a header mapped to two columns.

    >>> m = map_headers(["roster.工作单位=unit_id", "roster.人员姓名=姓名"])
    >>> m["roster"].headers, m["household"].headers
    ((('工作单位', 'unit_id'), ('人员姓名', 'name')), ())
    """
    contracts = dict(contracts if contracts is not None else load_contracts())
    wanted: dict[str, dict[str, str]] = {}
    for spec in specs:
        text = unicodedata.normalize("NFKC", str(spec)).strip()  # ＝ and ． typed with a Chinese input method
        left, eq, field_ = text.rpartition("=")
        name, dot, header = left.partition(".")
        if not (eq and dot and name.strip() and header.strip() and field_.strip()):
            raise MappingError(f"--column {spec!r}: write SOURCE.HEADER=FIELD (roster.工作单位=unit_id)")
        src = source_named(name, contracts, given=f"--column {spec}")
        header, field_ = header.strip(), field_.strip()
        already = wanted.setdefault(src.name, {})
        if header in already and src.named(already[header]) != src.named(field_):
            raise MappingError(f"--column {spec!r}: header {header!r} of {src.name} is mapped twice")
        already[header] = field_
    for name, mapping in wanted.items():
        contracts[name] = contracts[name].with_headers(mapping)
    return contracts


def _endpoint(raw: list) -> Endpoint:
    who, column = raw
    if isinstance(who, str):
        return Endpoint(column, label=who)
    return Endpoint(column, label_column=who["column"], label_map=dict(who["map"]))


def _check(src: Source, model: Model) -> None:
    where = f"contract {src.name}"
    for c in src.columns.values():
        if c.type not in VALUE_TYPES:
            raise ModelError(f"{where}: column {c.name} has unknown type {c.type!r}")
        if c.ref:
            model.label(c.ref)
        if c.type == "party" and c.label_column not in src.columns:
            raise ModelError(f"{where}: party column {c.name} needs a label_column")
        if c.names is not None:
            key = src.columns.get(c.names)
            if key is None or not key.ref or "name" not in model.label(key.ref).properties:
                raise ModelError(f"{where}: column {c.name} names column {c.names!r}, which refers to no named label")
        if c.born is not None and (c.type != "date" or getattr(src.columns.get(c.born), "type", None) != "id_number"):
            raise ModelError(f"{where}: date column {c.name}'s born names {c.born!r}, which is no ID-number column")
        if c.suffixes and c.type not in ("amount", "int"):
            raise ModelError(f"{where}: column {c.name} has suffixes but is no number column")
        if c.sex is not None and (
            c.type != "enum"
            or set(c.values or ()) != {"男", "女"}
            or getattr(src.columns.get(c.sex), "type", None) != "id_number"
        ):
            raise ModelError(
                f"{where}: column {c.name}'s sex names {c.sex!r}: it must be a 男/女 column of an ID-number column"
            )

    def col(name: str) -> None:
        if name not in src.columns:
            raise ModelError(f"{where}: mapping names column {name!r}, which the contract does not declare")

    def props(obj, mapping: dict) -> None:
        for prop, source in mapping.items():
            if prop not in obj.properties:
                raise ModelError(f"{where}: {obj.name} has no property {prop!r} in the model")
            if isinstance(source, str):
                col(source)

    for n in src.nodes:
        col(n.key)
        props(model.label(n.label), n.properties)
    for e in src.edges:
        rel = model.relationship(e.type)
        for end in (e.source, e.target):
            col(end.column)
            if end.label_column:
                col(end.label_column)
        for a in e.source.labels():
            for b in e.target.labels():
                model.check_pair(e.type, a, b)
        props(rel, e.properties)
        for k in e.key or ():
            col(k)
        if e.when:
            col(e.when)


@functools.cache
def vocabularies() -> dict[str, dict[str, tuple[str, ...]]]:
    """The vocabularies of ``loaders/vocabularies.yaml``: name → {canonical value: the other words for it}.

    Words are read NFKC (full-width → half-width), as cells are; a word under two values of one vocabulary
    is an error.

    >>> vocabularies()["kinship"]["child"][:2]
    ('子女', '儿子')
    """
    raw = yaml.load(VOCABULARIES.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, values in raw.items():
        seen: dict[str, str] = {}
        out[name] = {}
        for canonical, words in values.items():
            canonical = str(canonical)
            normalised = tuple(unicodedata.normalize("NFKC", str(w)).strip() for w in words or ())
            for w in (canonical, *normalised):
                if seen.setdefault(w, canonical) != canonical:
                    raise ModelError(f"vocabulary {name}: {w!r} is listed under both {seen[w]} and {canonical}")
            out[name][canonical] = normalised
    return out


def _enum_values(where: str, values: object) -> tuple[tuple[str, ...] | None, tuple[tuple[str, str], ...]]:
    """A column's ``values``: a list of canonical values, or the name of a vocabulary (its values and words)."""
    if not values:
        return None, ()
    if isinstance(values, str):
        vocab = vocabularies().get(values)
        if vocab is None:
            raise ModelError(f"{where}: no vocabulary {values!r} in {VOCABULARIES.name}")
        return tuple(vocab), tuple((w, c) for c, words in vocab.items() for w in words)
    return tuple(str(v) for v in values), ()


def parse_contract(name: str, raw: dict, model: Model) -> Source:
    columns = {}
    for cname, spec in raw["columns"].items():
        values, words = _enum_values(f"contract {name}: column {cname}", spec.get("values"))
        columns[cname] = Column(
            cname,
            spec.get("zh"),
            spec["type"],
            bool(spec.get("required", False)),
            spec.get("ref"),
            values,
            spec.get("label_column"),
            spec.get("max"),
            spec.get("names"),
            words,
            tuple(spec.get("also") or ()),
            spec.get("born"),
            spec.get("sex"),
            tuple(str(w) for w in spec.get("suffixes") or ()),
        )
    nodes = tuple(
        NodeMap(n["label"], n["key"], bool(n.get("master", False)), dict(n.get("properties") or {}))
        for n in raw.get("nodes") or []
    )
    edges = tuple(
        EdgeMap(
            e["type"],
            _endpoint(e["from"]),
            _endpoint(e["to"]),
            tuple(e["key"]) if e.get("key") else None,
            dict(e.get("properties") or {}),
            e.get("when"),
        )
        for e in raw.get("edges") or []
    )
    src = Source(name, raw.get("title", name), int(raw.get("order", 50)), columns, nodes, edges)
    _check(src, model)
    return src


@functools.cache
def load_contracts(folder: str | None = None) -> dict[str, Source]:
    """Every contract in ``loaders/sources/`` (or ``folder``), in load order."""
    model = Model.default()
    out = []
    for path in sorted(Path(folder or HERE).glob("*.yaml")):
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        out.append(parse_contract(path.stem, raw, model))
    return {s.name: s for s in sorted(out, key=lambda s: (s.order, s.name))}
