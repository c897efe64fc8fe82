"""The graph model, declared once in YAML and loaded by :class:`Model`.

Everything else derives from it: store DDL (Neo4j constraints and indexes,
embedded table definitions), loader typing, Arrow schemas, networkx attribute
names, visual styles and the documentation table.

Example
-------
>>> from graphkit.model import Model
>>> m = Model.default()
>>> m.labels["Person"].properties["name"].type
'string'
>>> sorted(m.relationships["FAMILY"].between)[0]
('Person', 'Person')
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphkit.model.mask import KINDS as MASK_KINDS

__all__ = [
    "Model",
    "Label",
    "RelType",
    "Property",
    "ModelError",
    "PROVENANCE",
    "TYPES",
    "ENTITY_TYPES",
    "money",
    "figure_marks",
    "share",
    "provenance",
    "citation",
    "record_unit",
]

HERE = Path(__file__).parent
#: libyaml's safe parser when PyYAML was built with it (ten times faster than the pure-Python one)
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TYPES = ("string", "int", "float", "bool", "date", "datetime")
#: properties every node and relationship carries besides its own
PROVENANCE = ("src_file", "src_row")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


#: the entity types a warning's hit names (truth.json and the collision models' ``types``) → the model's labels:
#: the ledger reads evidence links by them, the masking reads which entity's key is public by them
ENTITY_TYPES = {
    "person": "Person",
    "company": "Company",
    "unit": "Organization",
    "tender": "Tender",
    "contract": "Contract",
    "card": "FuelCard",
    "txn": "FuelTransaction",
    "vehicle": "Vehicle",
    "licence": "Licence",
    "lot": "ParkingLot",
    "phone": "Phone",
    "ticket": "HotlineTicket",
    "benefit": "Benefit",
    "labour": "LabourPayment",
    "reception": "ReceptionExpense",
    "invoice": "Invoice",
    "bid": "Bid",
    "payment": "Payment",
    "account": "BankAccount",
    "address": "Address",
    "place": "Place",
}


class ModelError(ValueError):
    """The model YAML is inconsistent."""


@dataclass(frozen=True)
class Property:
    """A property of a label or relationship type: name, type, and whether it is required, indexed, or one of fixed
    ``values``."""

    name: str
    type: str = "string"
    required: bool = False
    index: bool = False
    values: tuple[str, ...] | None = None
    #: what each value is called in Chinese (``values`` given as a mapping in the YAML): ``(("salary", "工资发放"), …)``
    value_names: tuple[tuple[str, str], ...] = ()
    #: what a hover text or a table calls the property in Chinese (``zh:`` in the YAML): ``出生日期``
    zh: str | None = None
    #: an amount of money (``money:`` in the YAML), in this currency (ISO 4217) where the record's own ``currency``
    #: is unset: ``CNY`` for the departments' tables, which write yuan and no currency
    money: str | None = None
    #: a share in percent (``share: true`` in the YAML: a shareholding's ``percent``), written by :func:`share`
    share: bool = False


def _with_key_and_provenance(props: dict[str, Property], key_type: str = "string") -> dict[str, Property]:
    return {
        "id": Property("id", key_type, required=True),
        **props,
        "src_file": Property("src_file"),
        "src_row": Property("src_row", "int"),
    }


@dataclass(frozen=True)
class Label:
    """A node label: title, properties, the FtM schema it matches, the format of its key, and whether its
    key is personal data (``personal``)."""

    name: str
    title: str
    properties: dict[str, Property]
    ftm: str | None = None
    key_format: str | None = None
    personal: str | None = None  # id_number | phone | account | plate | address | card | licence: masked (model.mask)
    noun: tuple[str, str] | None = None  # (English, Chinese) name in sentences and legends
    style: tuple[tuple[str, str], ...] = ()  # (("color", "#…"), ("shape", "dot"))
    caption: str | None = None  # the property a visual shows for a node (else its key)
    fold_by: str | None = None  # the property whose value tells folded rows apart (a Benefit's kind)

    @property
    def all_properties(self) -> dict[str, Property]:
        """``id`` first, own properties, then provenance."""
        return _with_key_and_provenance(self.properties)


@dataclass(frozen=True)
class RelType:
    """A relationship type: title, the (source, target) label pairs it joins, its properties and FtM interval."""

    name: str
    title: str
    between: tuple[tuple[str, str], ...]
    properties: dict[str, Property]
    ftm: str | None = None
    phrase: tuple[str, str] | None = None  # how a path reads a hop: (start → end, end → start)
    phrase_when: tuple[tuple[tuple[tuple[str, str], ...], tuple[str, str]], ...] = ()  # ((condition), phrase)
    zh: str | None = None  # the Chinese name visuals and widgets show (lang="zh")
    one_per_source: bool = False  # a source node has at most one (a bid one bidder, a payment one payer)
    to_itself: bool = True  # false: no link from a node to itself (nobody is their own relative)
    phrase_zh: tuple[str, str] | None = None  # ``phrase`` in Chinese (``phrase_zh``, required in the YAML)
    phrase_when_zh: tuple[tuple[tuple[tuple[str, str], ...], tuple[str, str]], ...] = ()  # ``say_zh`` of each entry

    @property
    def all_properties(self) -> dict[str, Property]:
        """``id`` first (an ``int``: :func:`graphkit.model.keys.link_id` of the natural key), own
        properties, then provenance."""
        return _with_key_and_provenance(self.properties, "int")


def _pair(owner: str, what: str, raw, keys: tuple[str, str] | None = None) -> tuple[str, str] | None:
    """A two-string YAML value (a list, or a mapping with ``keys``) as a tuple; ``None`` when absent."""
    if raw is None:
        return None
    if keys and isinstance(raw, dict):
        raw = [raw.get(keys[0]), raw.get(keys[1])]
    if not isinstance(raw, list | tuple) or len(raw) != 2 or not all(isinstance(x, str) for x in raw):
        raise ModelError(f"{owner}: `{what}` must be two strings, got {raw!r}")
    return (raw[0], raw[1])


def _flag(owner: str, what: str, raw) -> bool:
    """A yes/no YAML value."""
    if not isinstance(raw, bool):
        raise ModelError(f"{owner}: `{what}` must be true or false, got {raw!r}")
    return raw


class _Say(string.Formatter):
    """Fills ``{property}`` fields of a link's phrase: numbers formatted as asked, ``{amount:money}`` as an amount
    (:func:`money` in ``lang``) in the link's own ``currency``, else the one its property declares (``money:``),
    underscores in words read as spaces."""

    def __init__(
        self,
        props: Mapping[str, Any],
        names: Mapping[str, Mapping[str, str]] | None = None,
        *,
        currencies: Mapping[str, str | None] | None = None,
        lang: str = "en",
    ) -> None:
        super().__init__()
        self.props = props
        self.names = names or {}
        self.currencies = currencies or {}
        self.lang = lang

    def get_value(self, key, args, kwargs):
        value = super().get_value(key, args, kwargs)
        named = self.names.get(key) if isinstance(key, str) else None
        if named:
            return named.get(str(value), value)
        return _Amount(value, self.currencies[key]) if key in self.currencies else value

    def format_field(self, value, format_spec: str) -> str:
        declared = None
        if isinstance(value, _Amount):
            value, declared = value
        if format_spec == "money":
            currency = self.props.get("currency")
            return money(value, currency if _is_set(currency) else declared, self.lang)
        if format_spec == "share":
            return share(value, self.lang)
        if format_spec and format_spec[-1] in "eEfFgG%":
            return format(float(value), format_spec)
        return format(str(value).replace("_", " "), format_spec)


class _Amount(tuple):
    """A property's value and the currency its property declares (``money:``), as :class:`_Say` reads it."""

    __slots__ = ()

    def __new__(cls, value, currency: str | None):
        return super().__new__(cls, (value, currency))


def _is_set(value) -> bool:
    return value is not None and value == value and value != ""


#: currencies written with their sign; any other is written with its ISO code (``CHF 1,200``)
_CURRENCY_SIGNS = {"CNY": "¥", "RMB": "¥", "EUR": "€", "USD": "$", "GBP": "£"}


def money(amount, currency: str | None = None, lang: str = "en", *, exact: bool = False) -> str:
    """An amount as a reader sees it: thousands grouped, cents only when there are any, the currency's sign; in
    Chinese (``lang="zh"``) an amount in yuan as Chinese documents write it, in 万元 from ten thousand up
    (``806.4 万元``, ``5,064.12 元``: below 万 to the 分, cents only when there are any, so that rows written add up
    to their total written), any other currency with its sign. Every face writes money with this function
    (the portrait's figures, a case file's captions, a map's links, a hover text): the one formatter.

    ``exact=True``: to the 分 in Chinese too (``8,063,659.17 元``), for a face that lists amounts under their total
    (the pre-portrait's receptions, suppliers and payments; a case file's list of links): written to 0.1 万, rows
    could miss their total by the rounding (95,000 + 95,000 元 written 9.5 万元 each under a total of 19.0 万元
    is right; 12,400 + 12,400 written 1.2 万元 each under 2.5 万元 is not). A summary (a warning's sentence, a
    drawing's caption, a hover text) keeps 万元 to one decimal.

    Example
    -------
    >>> money(100000.0, "EUR"), money(113969.15, "eur"), money(980000, "CNY"), money(1200, "CHF"), money(5)
    ('€100,000', '€113,969.15', '¥980,000', 'CHF 1,200', '5')
    >>> money(8063659.17, "CNY", "zh"), money(5064.12, "RMB", "zh"), money(113969.15, "EUR", "zh")
    ('806.4 万元', '5,064.12 元', '€113,969.15')
    >>> money(8063659.17, "CNY", "zh", exact=True), money(12400, "CNY", "zh", exact=True)
    ('8,063,659.17 元', '12,400 元')
    """
    if lang not in ("zh", "en"):
        raise ModelError(f"lang must be 'zh' or 'en', got {lang!r}")
    v = float(amount)
    code = str(currency).strip().upper() if _is_set(currency) else ""
    if lang == "zh" and code in ("CNY", "RMB"):
        if abs(v) >= 1e4 and not exact:
            return f"{v / 1e4:,.1f} 万元"
        # below 万 to the 分 when there are any, as in English: a portrait's receptions listed 2,248 + 1,040 + 5,064
        # 元 (2,248.2, 1,040.4, 5,064.12) under a total of 8,353 元, and a reader adding them got 8,352
        c = round(v, 2)
        return f"{c:,.0f} 元" if c.is_integer() else f"{c:,.2f} 元"
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"
    if not code:
        return text
    sign = _CURRENCY_SIGNS.get(code)
    return f"{sign}{text}" if sign else f"{code} {text}"


def share(percent, lang: str = "en") -> str:
    """A share in percent (a shareholding's ``percent``) as every face writes it, as :func:`money` is for money:
    at most two decimals, none that are zero (``50.85%``, ``60%``, ``33.33%``), the same in Chinese; a share too
    small to show is ``<0.01%``. The portrait had written 持股 50.85 % as 51 % where ``path`` and the case files
    wrote 50.85 %.

    Example
    -------
    >>> share(50.85), share(60.0), share(100 / 3, "zh"), share(0.004), share(0)
    ('50.85%', '60%', '33.33%', '<0.01%', '0%')
    """
    if lang not in ("zh", "en"):
        raise ModelError(f"lang must be 'zh' or 'en', got {lang!r}")
    v = float(percent)
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    if text in ("0", "-0") and v != 0:
        return "<0.01%" if v > 0 else "-<0.01%"
    return f"{text}%"


#: how a query puts a figure into a sentence it writes (a model's summary), so Cypher never formats one itself:
#: ``'{money:' + toString(x.amount) + '}'`` for an amount in yuan, ``'{share:' + toString(pct) + '}'`` for a share in
#: percent (a query had rounded 50.85 % to 51 %); :func:`figure_marks` words each mark by the kind's formatter
FIGURE_MARKS = {
    "money": lambda value, lang: money(value, "CNY", lang),
    "share": share,
}
FIGURE_MARK = re.compile(r"\{(" + "|".join(FIGURE_MARKS) + r"):([^{}]*)\}")


def figure_marks(text: Any, lang: str = "en") -> Any:
    """``text`` with every figure mark (:data:`FIGURE_MARK`: ``{money:AMOUNT}`` in yuan as a query writes it,
    ``2248.2``, ``1.0E7``, worded by :func:`money`; ``{share:PERCENT}`` worded by :func:`share`) written in
    ``lang``; anything that is no text, or a mark whose value is no number, as it is.

    Example
    -------
    >>> figure_marks("花费{money:2248.2}，人均{money:1.5E4}", "zh"), figure_marks("spent {money:2248}")
    ('花费2,248.20 元，人均1.5 万元', 'spent ¥2,248')
    >>> figure_marks("股东（持股{share:50.849999999}）", "zh"), figure_marks("{share:60.0} shareholder")
    ('股东（持股50.85%）', '60% shareholder')
    """
    if not isinstance(text, str) or "{" not in text:
        return text

    def word(m: re.Match) -> str:
        try:
            return FIGURE_MARKS[m.group(1)](float(m.group(2)), lang)
        except ValueError:
            return m.group(0)

    return FIGURE_MARK.sub(word, text)


#: source files whose records are lines of text (the header is line 1): a text table, FtM JSON (lines); a
#: workbook's or a Parquet file's records are rows
LINE_FILES = (".csv", ".txt", ".tsv", ".jsonl", ".json")


def provenance(src_file: Any, src_row: Any = None, lang: str = "en") -> str:
    """Where a node's or link's record is in its source file (:data:`PROVENANCE`), worded as the loader and its
    quarantine word it: a text file's line (``family.csv line 2``; the header is line 1), a workbook's or Parquet
    file's row (``户籍.xlsx row 7``, ``household.xlsx[二季度] row 3``). The stored ``src_row`` is the number either
    way; several numbers (``2,5``) are lines or rows, set apart (``lines 2, 5``, ``第2、5行``: ``第61,998行`` had
    read as one row, 61998).  ``lang="zh"``: either is 第N行 (``family.csv 第2行``).

    Example
    -------
    >>> provenance("family.csv", 2), provenance("户籍.xlsx[二季度]", 7), provenance("p.ftm.jsonl.gz", "3,9")
    ('family.csv line 2', '户籍.xlsx[二季度] row 7', 'p.ftm.jsonl.gz lines 3, 9')
    >>> provenance("family.csv"), provenance(None)
    ('family.csv', 'no source record kept')
    >>> provenance("family.csv", 2, "zh"), provenance("bids.csv", "61,998", "zh"), provenance(None, lang="zh")
    ('family.csv 第2行', 'bids.csv 第61、998行', '未保留来源记录')
    """
    if lang not in ("zh", "en"):
        raise ModelError(f"lang must be 'zh' or 'en', got {lang!r}")
    if not _is_set(src_file) or not str(src_file).strip():
        # a link the store keeps without its record (a fuel card's unit and car)
        return "未保留来源记录" if lang == "zh" else "no source record kept"
    name = str(src_file)
    if not _is_set(src_row) or not str(src_row).strip():
        return name
    rows = [r.strip() for r in str(src_row).split(",") if r.strip()]
    if lang == "zh":  # several rows apart with 、: 第61,998行 read as one row, 61998
        return f"{name} 第{'、'.join(rows)}行"
    return f"{name} {record_unit(name)}{'s' if len(rows) > 1 else ''} {', '.join(rows)}"


def citation(src_file: Any, src_row: Any = None, lang: str = "en") -> str:
    """A record's citation in the one form every face writes beside what it cites: :func:`provenance` in 〔〕 (a
    path's hop, the printed portrait, the hover text of a link or node: ``〔family.csv 第2行〕``), ``lang="en"``
    in square brackets (``[family.csv line 2]``). The hover text had cited bare (``来源：family.csv 第2行``).

    >>> citation("family.csv", 2, "zh"), citation("family.csv", 2)
    ('〔family.csv 第2行〕', '[family.csv line 2]')
    """
    return cited_as(provenance(src_file, src_row, lang), lang)


def cited_as(where: Any, lang: str = "en") -> str:
    """``where`` (a record's place already worded: :func:`provenance`, or several set apart) in the one form every
    face cites a record: ``〔…〕`` in Chinese, ``[…]`` in English (:func:`citation`). Every face that cites a record
    brackets it here: a path's hop, a warning's evidence, the portrait, a case file's hover text and its list of
    links (the hover texts had cited ``source: family.csv line 2`` in English, bare, where the rest wrote
    ``[family.csv line 2]``).

    >>> cited_as("bids.csv 第189、190行；units.csv 第58行", "zh"), cited_as("bids.csv line 326")
    ('〔bids.csv 第189、190行；units.csv 第58行〕', '[bids.csv line 326]')
    """
    if lang not in ("zh", "en"):
        raise ModelError(f"lang must be 'zh' or 'en', got {lang!r}")
    return f"〔{where}〕" if lang == "zh" else f"[{where}]"


def record_unit(src_file: Any) -> str:
    """What a record of ``src_file`` is called: ``line`` in a text file (a gzipped one too), ``row`` in a
    workbook (a sheet ``bids.xlsx[2024]`` too) or a Parquet file (:func:`provenance`).

    >>> record_unit("bids.csv"), record_unit("p.ftm.jsonl.gz"), record_unit("bids.xlsx[2024]")
    ('line', 'line', 'row')
    """
    base = re.sub(r"\.gz$", "", str(src_file).split("[")[0].lower())
    return "line" if base.endswith(LINE_FILES) else "row"


def _props(owner: str, raw: dict | None) -> dict[str, Property]:
    out: dict[str, Property] = {}
    for name, spec in (raw or {}).items():
        spec = spec or {}
        if not _NAME.match(name) or name in ("id",) + PROVENANCE:
            raise ModelError(f"{owner}: property name {name!r} is reserved or not an identifier")
        typ = spec.get("type", "string")
        if typ not in TYPES:
            raise ModelError(f"{owner}.{name}: unknown type {typ!r} (one of {TYPES})")
        values = spec.get("values")
        names = tuple((str(k), str(v)) for k, v in values.items()) if isinstance(values, dict) else ()
        out[name] = Property(
            name,
            typ,
            bool(spec.get("required", False)),
            bool(spec.get("index", False)),
            tuple(values) if values else None,
            names,
            str(spec["zh"]) if spec.get("zh") else None,
            str(spec["money"]).upper() if spec.get("money") else None,
            bool(spec.get("share", False)),
        )
        if (out[name].money or out[name].share) and typ not in ("float", "int"):
            raise ModelError(f"{owner}.{name}: money and shares must be a float or int, not {typ}")
    return out


@dataclass(frozen=True)
class Model:
    """Node labels and relationship types of the investigation graph."""

    labels: dict[str, Label]
    relationships: dict[str, RelType]
    _styles: dict = field(default_factory=dict, compare=False, repr=False)

    # -- loading --------------------------------------------------------
    @classmethod
    @functools.cache
    def default(cls) -> Model:
        """The project's model, loaded once from ``graphkit/model/*.yaml``."""
        return cls.from_files(HERE / "nodes.yaml", HERE / "relationships.yaml")

    @classmethod
    def from_files(cls, nodes: Path, relationships: Path) -> Model:
        """The model declared in a nodes YAML file and a relationships YAML file."""
        return cls.from_dicts(
            yaml.load(Path(nodes).read_text(encoding="utf-8"), Loader=YAML_LOADER),
            yaml.load(Path(relationships).read_text(encoding="utf-8"), Loader=YAML_LOADER),
        )

    @classmethod
    def from_dicts(cls, nodes: dict, rels: dict) -> Model:
        """The model from parsed YAML; raises :class:`ModelError` on any inconsistency."""
        labels = {}
        for name, spec in nodes.items():
            if not _NAME.match(name):
                raise ModelError(f"label {name!r} is not an identifier")
            labels[name] = Label(
                name,
                spec.get("title", name),
                _props(name, spec.get("properties")),
                spec.get("ftm"),
                spec.get("key_format"),
                spec.get("personal"),
                _pair(name, "noun", spec.get("noun"), keys=("en", "zh")),
                tuple(sorted((str(k), str(v)) for k, v in (spec.get("style") or {}).items())),
                spec.get("caption"),
                spec.get("fold_by"),
            )
            if labels[name].personal is not None and labels[name].personal not in MASK_KINDS:
                raise ModelError(f"{name}: personal {labels[name].personal!r} is not one of {', '.join(MASK_KINDS)}")
            fold_by = labels[name].fold_by
            if fold_by is not None and fold_by not in labels[name].properties:
                raise ModelError(f"{name}: fold_by {fold_by!r} is not one of its properties")
        reltypes = {}
        for name, spec in rels.items():
            if not re.match(r"^[A-Z][A-Z0-9_]*$", name):
                raise ModelError(f"relationship type {name!r} must be UPPER_SNAKE")
            between = tuple(tuple(p) for p in spec.get("between", []))
            if not between:
                raise ModelError(f"{name}: `between` lists no label pair")
            for pair in between:
                if len(pair) != 2:
                    raise ModelError(f"{name}: pair {pair!r} is not (source, target)")
                for lab in pair:
                    if lab not in labels:
                        raise ModelError(f"{name}: label {lab!r} is not declared in nodes.yaml")
            # paths are explained in Chinese first (graphkit.paths.explain): every type says its hop in Chinese
            phrase_zh = _pair(name, "phrase_zh", spec.get("phrase_zh"))
            if phrase_zh is None:
                raise ModelError(f"{name}: `phrase_zh` is missing (how a path reads the hop in Chinese, both ways)")
            when = spec.get("phrase_when") or ()
            for i, w in enumerate(when):
                if not isinstance(w, dict) or w.get("say_zh") is None:
                    raise ModelError(f"{name}: `phrase_when` entry {i + 1} has no `say_zh` (its `say` in Chinese)")
            conds = [tuple(sorted((str(k), str(v)) for k, v in (w.get("if") or {}).items())) for w in when]
            reltypes[name] = RelType(
                name,
                spec.get("title", name),
                between,
                _props(name, spec.get("properties")),
                spec.get("ftm"),
                _pair(name, "phrase", spec.get("phrase")),
                tuple((c, _pair(name, "phrase_when.say", w.get("say"))) for c, w in zip(conds, when, strict=True)),
                spec.get("zh"),
                _flag(name, "one_per_source", spec.get("one_per_source", False)),
                _flag(name, "to_itself", spec.get("to_itself", True)),
                phrase_zh,
                tuple(
                    (c, _pair(name, "phrase_when.say_zh", w.get("say_zh"))) for c, w in zip(conds, when, strict=True)
                ),
            )
        return cls(labels, reltypes)

    # -- lookups --------------------------------------------------------
    def label(self, name: str) -> Label:
        """The label called ``name``; :class:`ModelError` naming the labels there are when unknown."""
        try:
            return self.labels[name]
        except KeyError:
            raise ModelError(f"unknown label {name!r}; the model has {', '.join(self.labels)}") from None

    def relationship(self, name: str) -> RelType:
        """The relationship type called ``name``; :class:`ModelError` when unknown."""
        try:
            return self.relationships[name]
        except KeyError:
            raise ModelError(f"unknown relationship type {name!r}") from None

    def in_order(self, name: str, props: Mapping[str, Any]) -> dict[str, Any]:
        """``props`` of a label or relationship type ``name`` in the order the model declares them (key first,
        provenance last), any property the model does not declare after them by name.

        A store hands properties back in its own order (Neo4j's ``properties(n)`` in none in particular);
        whatever shows them (a hover text, a case file) shows them the same on every store.

        Example
        -------
        >>> Model.default().in_order("Person", {"src_row": 2, "gender": "女", "name": "李娜", "x": 1, "a": 0})
        {'name': '李娜', 'gender': '女', 'src_row': 2, 'a': 0, 'x': 1}
        """
        obj = self.labels.get(name) or self.relationships.get(name)
        declared = list(obj.all_properties) if obj is not None else []
        out = {k: props[k] for k in declared if k in props}
        out.update((k, props[k]) for k in sorted(props, key=str) if k not in out)
        return out

    def check_pair(self, rtype: str, source: str, target: str) -> None:
        """Raise :class:`ModelError` unless ``rtype`` joins ``source`` to ``target`` in the model."""
        if (source, target) not in self.relationship(rtype).between:
            raise ModelError(
                f"{rtype} does not join {source} → {target}; declared pairs: {self.relationship(rtype).between}"
            )

    # -- derived artefacts ----------------------------------------------
    def embedded_columns(self) -> dict[str, list[tuple[str, str]]]:
        """Label or relationship type -> its columns in the embedded (Ladybug) store, ``(name, TYPE)``."""
        kind = {
            "string": "STRING",
            "int": "INT64",
            "float": "DOUBLE",
            "bool": "BOOLEAN",
            "date": "DATE",
            "datetime": "TIMESTAMP",
        }
        objs = [*self.labels.values(), *self.relationships.values()]
        return {o.name: [(p.name, kind[p.type]) for p in o.all_properties.values()] for o in objs}

    def embedded_ddl(self) -> list[str]:
        """``CREATE NODE/REL TABLE`` statements for the embedded (Ladybug) store."""
        columns = self.embedded_columns()
        out = []
        for lab in self.labels.values():
            cols = ", ".join(f"{n} {t}" for n, t in columns[lab.name])
            out.append(f"CREATE NODE TABLE IF NOT EXISTS {lab.name}({cols}, PRIMARY KEY(id))")
        for rel in self.relationships.values():
            pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.between)
            cols = ", ".join(f"{n} {t}" for n, t in columns[rel.name])
            out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}({pairs}, {cols})")
        return out

    def neo4j_ddl(self) -> list[str]:
        """Constraints and indexes for Neo4j 5 (community edition)."""
        out = []
        for lab in self.labels.values():
            low = _snake(lab.name)
            out.append(f"CREATE CONSTRAINT {low}_id IF NOT EXISTS FOR (n:{lab.name}) REQUIRE n.id IS UNIQUE")
            for p in lab.properties.values():
                if p.index:
                    out.append(f"CREATE INDEX {low}_{p.name} IF NOT EXISTS FOR (n:{lab.name}) ON (n.{p.name})")
        for rel in self.relationships.values():
            out.append(f"CREATE INDEX rel_{rel.name.lower()}_id IF NOT EXISTS FOR ()-[r:{rel.name}]-() ON (r.id)")
        return out

    def arrow_schema(self, name: str):
        """pyarrow schema of a label's or relationship type's property columns."""
        import pyarrow as pa

        kind = {
            "string": pa.string(),
            "int": pa.int64(),
            "float": pa.float64(),
            "bool": pa.bool_(),
            "date": pa.date32(),
            "datetime": pa.timestamp("us"),
        }
        obj = self.labels.get(name) or self.relationship(name)
        return pa.schema([(p.name, kind[p.type]) for p in obj.all_properties.values()])

    def style(self, label: str) -> dict:
        """Colour and shape of a label in every visual: ``style`` in nodes.yaml; a label declared without
        one (added by an import) gets a colour of a fixed palette, stable per label."""
        spec = self.labels.get(label)
        if spec is not None and spec.style:
            return {"color": "#999999", "shape": "dot", **dict(spec.style)}
        palette = [
            "#4e79a7",
            "#f28e2b",
            "#e15759",
            "#76b7b2",
            "#59a14f",
            "#edc948",
            "#b07aa1",
            "#ff9da7",
            "#9c755f",
            "#bab0ac",
            "#1f77b4",
            "#2ca02c",
            "#d62728",
            "#9467bd",
        ]
        shapes = {
            "Person": "dot",
            "Organization": "square",
            "Company": "diamond",
            "Tender": "triangle",
            "Vehicle": "star",
        }
        i = list(self.labels).index(label)
        return {"color": palette[i % len(palette)], "shape": shapes.get(label, "dot")}

    def display_name(self, name: str, lang: str = "zh") -> str:
        """What a visual calls a label or a relationship type: a label's ``noun``, a type's ``zh`` name
        (``lang="zh"``) or the type in words (``lang="en"``).

        Example
        -------
        >>> m = Model.default()
        >>> m.display_name("SHAREHOLDER_OF"), m.display_name("SHAREHOLDER_OF", "en"), m.display_name("Person")
        ('股东', 'shareholder of', '自然人')
        """
        if lang not in ("zh", "en"):
            raise ModelError(f"lang must be 'zh' or 'en', got {lang!r}")
        if name in self.labels:
            return self.noun(name, lang)
        rel = self.relationships.get(name)
        if lang == "zh" and rel is not None and rel.zh:
            return rel.zh
        return name.lower().replace("_", " ")

    def property_name(self, label: str, prop: str, lang: str = "zh") -> str:
        """What a hover text calls a label's property: its ``zh`` name (``lang="zh"``, where the YAML gives one),
        else the property's own name.

        Example
        -------
        >>> m = Model.default()
        >>> m.property_name("Person", "birth_date"), m.property_name("Person", "birth_date", "en")
        ('出生日期', 'birth_date')
        """
        spec = self.labels[label].properties.get(prop) if label in self.labels else None
        return spec.zh if lang == "zh" and spec is not None and spec.zh else prop

    def caption(self, label: str, props: dict, key: str, lang: str = "en") -> str:
        """What a visual shows for a node: its ``caption`` property (nodes.yaml) when set, followed by its amount
        where it has one (a contract: its title and its amount); else, for a node that
        has an amount (a payment, an invoice …), the amount in its currency (:meth:`money_text`) and its date, which
        say what it is where its key (an FtM hash) says nothing; else its ``name`` where the label declares a caption
        (FtM's name of any thing: a tender drawn from a ring's bids has its name alone, and a case file captioned it
        by its key, SZZB…, where the drawings named it); else its key.

        Example
        -------
        >>> m = Model.default()
        >>> m.caption("Payment", {"amount": 113969.15, "currency": "EUR", "date": "2011-12-28"}, "f4fc242b39db")
        '€113,969.15 2011-12-28'
        >>> m.caption("Payment", {}, "f4fc242b39db"), m.caption("Person", {"name": "王伟"}, "k")
        ('f4fc242b39db', '王伟')
        >>> c = {"amount": 8063659.17}
        >>> m.caption("Contract", c, "HT1"), m.caption("Contract", c, "HT1", "zh")
        ('¥8,063,659.17', '806.4 万元')
        >>> m.caption("Contract", {**c, "title": "绿化养护服务合同"}, "HT1", "zh")  # its title first where it has one
        '绿化养护服务合同 806.4 万元'
        >>> m.caption("Tender", {"name": "某河道整治工程"}, "SZZB2023000010")
        '某河道整治工程'
        """
        spec = self.labels.get(label)
        prop = spec.caption if spec is not None else None
        value = props.get(prop) if prop else None
        amount = spec is not None and "amount" in spec.properties and _is_set(props.get("amount"))
        shown = (
            (self.money_text(label, "amount", props, lang) or money(props["amount"], props.get("currency"), lang))
            if amount
            else ""
        )
        if _is_set(value):
            # a titled contract keeps its amount beside its title: a case file shows the caption alone
            return f"{value} {shown}" if shown else str(value)
        if amount:
            when = props.get("date")
            return shown + (f" {str(when)[:10]}" if _is_set(when) else "")
        if prop and _is_set(props.get("name")) and str(props["name"]).strip():
            return str(props["name"])
        return str(key)

    def money_text(self, name: str, prop: str, props: Mapping[str, Any], lang: str = "en") -> str | None:
        """A label's or relationship type's property ``prop`` of ``props`` written as money (:func:`money`) when the
        model declares it an amount (``money:`` in the YAML), in the record's ``currency`` or else the declared one;
        None for a property that is no amount, or unset.

        Example
        -------
        >>> m = Model.default()
        >>> m.money_text("Contract", "amount", {"amount": 2248.2}, "zh"), m.money_text("Person", "name", {"name": "x"})
        ('2,248.20 元', None)
        """
        obj = self.labels.get(name) or self.relationships.get(name)
        spec = obj.properties.get(prop) if obj is not None else None
        value = props.get(prop)
        if spec is None or not spec.money or not _is_set(value):
            return None
        currency = props.get("currency")
        return money(value, currency if _is_set(currency) else spec.money, lang)

    def share_text(self, name: str, prop: str, props: Mapping[str, Any], lang: str = "en") -> str | None:
        """A label's or relationship type's property ``prop`` of ``props`` written as a share (:func:`share`) when
        the model declares it one (``share: true`` in the YAML); None for any other property, or unset.

        Example
        -------
        >>> m = Model.default()
        >>> m.share_text("SHAREHOLDER_OF", "percent", {"percent": 50.8472}), m.share_text("BID", "price", {"price": 1})
        ('50.85%', None)
        """
        obj = self.labels.get(name) or self.relationships.get(name)
        spec = obj.properties.get(prop) if obj is not None else None
        value = props.get(prop)
        if spec is None or not spec.share or not _is_set(value):
            return None
        return share(value, lang)

    def kind_name(self, label: str, value) -> str | None:
        """The Chinese name of a node's kind: the value of its label's ``fold_by`` property named in nodes.yaml
        (``values`` as a mapping), None when the label has none or the value is not named.

        Example
        -------
        >>> Model.default().kind_name("Benefit", "salary"), Model.default().kind_name("Person", "x")
        ('工资发放', None)
        """
        spec = self.labels.get(label)
        if spec is None or spec.fold_by is None:
            return None
        return dict(spec.properties[spec.fold_by].value_names).get(str(value)) if _is_set(value) else None

    def value_name(self, name: str, prop: str, value) -> str | None:
        """The Chinese name of ``value`` of property ``prop`` of a label or relationship type ``name`` (its
        ``values`` given as a mapping in the YAML), None when it has none.

        Example
        -------
        >>> m = Model.default()
        >>> m.value_name("EMPLOYED_BY", "role", "official"), m.value_name("FAMILY", "relationship", "x")
        ('公职人员', None)
        """
        obj = self.labels.get(name) or self.relationships.get(name)
        spec = obj.properties.get(prop) if obj is not None else None
        if spec is None or not _is_set(value):
            return None
        return dict(spec.value_names).get(str(value))

    def noun(self, label: str, lang: str = "en") -> str:
        """What a label is called in a sentence or a legend (``noun`` in nodes.yaml), ``lang`` en or zh."""
        spec = self.labels.get(label)
        if spec is None or spec.noun is None:
            return label if lang == "zh" else label.lower()
        return spec.noun[1 if lang == "zh" else 0]

    def phrase(self, rtype: str, props: dict, forward: bool = True, lang: str = "en") -> str:
        """How a path reads one hop of type ``rtype`` (``phrase`` / ``phrase_when`` in relationships.yaml).

        Parameters
        ----------
        rtype : str
            The relationship type.
        props : dict
            The link's properties (a ``phrase_when`` entry whose conditions hold is used first).
        forward : bool
            Read from the link's start to its end (else from the end back to the start).
        lang : str
            ``"en"`` (``phrase`` / ``say``) or ``"zh"`` (``phrase_zh`` / ``say_zh``: a predicate, "A 子女为 B",
            a property's value in Chinese where its ``values`` name it).

        Example
        -------
        >>> m = Model.default()
        >>> m.phrase("WON", {"price": 980000.0}), m.phrase("WON", {"price": 2e6, "currency": "USD"}, forward=False)
        ('won (¥980,000)', 'won by ($2,000,000)')
        >>> m.phrase("AWARDED_TO", {"amount": 100000.0, "currency": "EUR"}, forward=False)
        'was awarded (€100,000)'
        >>> m.phrase("WON", {"price": 980000.0}, lang="zh"), m.phrase("EMPLOYED_BY", {"role": "official"}, lang="zh")
        ('中标（98.0 万元）', '任公职人员于')
        """
        if lang not in ("zh", "en"):
            raise ModelError(f"lang must be 'zh' or 'en', got {lang!r}")
        spec = self.relationships.get(rtype)
        if spec is None:
            return rtype if lang == "zh" else rtype.lower().replace("_", " ")
        zh = lang == "zh"
        for cond, say in spec.phrase_when_zh if zh else spec.phrase_when:
            if all(_is_set(props.get(k)) and (v == "any" or str(props.get(k)) == v) for k, v in cond):
                names = {p.name: dict(p.value_names) for p in spec.properties.values() if p.value_names} if zh else {}
                currencies = {p.name: p.money for p in spec.properties.values() if p.money}
                return _Say(props, names, currencies=currencies, lang=lang).format(say[0 if forward else 1], **props)
        phrase = spec.phrase_zh if zh else spec.phrase
        if phrase is None:
            word = (spec.zh or rtype) if zh else rtype.lower().replace("_", " ")
            return word if forward else (f"{word}（反向）" if zh else f"{word} (reverse)")
        return phrase[0 if forward else 1]

    def markdown_table(self) -> str:
        """A documentation table of every label and relationship type."""
        lines = ["| label | FtM | title | properties |", "|---|---|---|---|"]
        for lab in self.labels.values():
            props = ", ".join(f"{p.name}: {p.type}" for p in lab.properties.values())
            lines.append(f"| {lab.name} | {lab.ftm or ''} | {lab.title} | id (key), {props} |")
        lines += ["", "| relationship | FtM | between | title | properties |", "|---|---|---|---|---|"]
        for rel in self.relationships.values():
            pairs = "; ".join(f"{a}→{b}" for a, b in rel.between)
            if not rel.to_itself:
                pairs += " (never from a node to itself)"
            if rel.one_per_source:
                pairs += " (one per source node)"
            props = ", ".join(f"{p.name}: {p.type}" for p in rel.properties.values())
            lines.append(f"| {rel.name} | {rel.ftm or ''} | {pairs} | {rel.title} | {props} |")
        lines += [
            "",
            "Every node and relationship also carries its provenance, `src_file` and `src_row`. A node's `id` "
            "is its natural key (a string); a relationship's `id` is an `int`, the 64-bit hash of its natural "
            "key `TYPE|key1|key2…` (`graphkit.model.keys`).",
        ]
        return "\n".join(lines)

    def node_labels(self) -> Iterable[str]:
        """The label names, in declaration order."""
        return self.labels.keys()


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
