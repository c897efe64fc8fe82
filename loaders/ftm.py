"""Import FollowTheMoney (FtM) entities from a JSON-lines file.

Each line holds one entity ``{"id", "schema", "properties": {name: [values]}}``
as exported by OCCRP Aleph, OpenSanctions or ``ftm``.  The mapping from FtM
schemata onto the model is the table :data:`SCHEMAS`, declared once as data:
a *node* schema becomes a node (and relationships from its reference
properties, e.g. ``addressEntity`` → ``HAS_ADDRESS``), an *interval* schema
(Ownership, Directorship, Family, Employment) becomes one relationship.

The whole file is buffered, so a reference to an entity defined further down
resolves; a reference to an id that is not in the file is looked up in the
store.  Loading is all-or-nothing per line: a malformed line, an unmapped
schema, a value the model cannot hold, or a reference that resolves neither
in the file nor in the store sends the line to the quarantine, and so does a
line whose referenced entity was quarantined.  ``read = loaded + quarantined``.

Writes are bulk: one table per label and one per (relationship type, source
label, target label), through :meth:`GraphStore.upsert_nodes` /
:meth:`GraphStore.upsert_edges`, which skip ids already stored; re-importing a
file creates nothing.

Example
-------
>>> import json, os, tempfile
>>> from graphkit.stores.embedded import EmbeddedStore
>>> d = tempfile.mkdtemp()
>>> lines = [{"id": "p1", "schema": "Person", "properties": {"name": ["Ada  Lovelace"]}},
...          {"id": "c1", "schema": "Company", "properties": {"name": ["Analytical Engines Ltd"]}},
...          {"id": "x1", "schema": "Payment", "properties": {"amountEur": ["1200.50"],
...           "payer": ["p1"], "beneficiary": ["c1"], "date": ["1843-07-01"]}}]
>>> path = os.path.join(d, "tiny.ftm.jsonl")
>>> _ = open(path, "w", encoding="utf-8").write("\\n".join(json.dumps(x) for x in lines))
>>> store = EmbeddedStore(os.path.join(d, "g.db")); store.create_schema()
>>> report = load_ftm(path, store)
>>> report.totals()
{'read': 3, 'loaded': 3, 'quarantined': 0}
>>> report.created()["PAYER"], store.counts()["nodes"]["Payment"]
(1, 1)
>>> store.close()
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm.auto import tqdm

from graphkit.model import Model, ModelError, Property
from graphkit.model.types import normalize_name, normalize_phone, normalize_text
from graphkit.stores.base import GraphStore
from loaders.report import FileReport, LoadError, LoadReport, Quarantined

__all__ = ["load_ftm", "SCHEMAS", "NodeSchema", "IntervalSchema", "RefEdge", "ValueNode", "Given", "SAMPLE"]

#: the FtM sample shipped with the project (German party donations), read in place
SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ftm_party_donations" / "donations.ftm.jsonl"


# --------------------------------------------------------------- the table
@dataclass(frozen=True)
class Given:
    """A source that yields ``value`` when the FtM property ``when`` has a value
    (``currency`` is ``EUR`` when the amount came from ``amountEur``)."""

    when: str
    value: str


Source = str | Given


@dataclass(frozen=True)
class RefEdge:
    """A reference property of a node entity that becomes a relationship.

    The entity is the source and the referenced entity the target; one
    relationship per value, id ``TYPE|from|to``."""

    prop: str
    rtype: str


@dataclass(frozen=True)
class ValueNode:
    """A value property that becomes a shared node keyed by its normalised
    value (``phone`` → ``Phone`` node + ``HAS_PHONE``)."""

    prop: str
    label: str
    rtype: str
    key: Callable[[str], str | None]


@dataclass(frozen=True)
class NodeSchema:
    """FtM schema → node label.

    ``props`` maps a model property to FtM sources, the first with a value
    wins; ``const`` fixes a model property; ``values`` translates FtM values
    to the model's vocabulary."""

    label: str
    props: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)
    const: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    refs: tuple[RefEdge, ...] = ()
    value_nodes: tuple[ValueNode, ...] = ()


@dataclass(frozen=True)
class IntervalSchema:
    """FtM interval schema → one relationship ``source`` → ``target`` whose key is the FtM id."""

    rtype: str
    source: str
    target: str
    props: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _phone_key(value: str) -> str | None:
    """Chinese numbers in the project's form; others as ``+digits`` (E.164 style)."""
    try:
        return normalize_phone(value)
    except ValueError:
        text = normalize_text(value) or ""
        digits = re.sub(r"[\s\-./()（）]", "", text)
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        if re.fullmatch(r"\+?\d{5,15}", digits):
            return digits
        raise ValueError(f"phone {value!r} is not a telephone number") from None


_PARTY_REFS = (RefEdge("addressEntity", "HAS_ADDRESS"),)
_PARTY_VALUES = (ValueNode("phone", "Phone", "HAS_PHONE", _phone_key),)
_ORG_PROPS: Mapping[str, tuple[Source, ...]] = {"name": ("name",), "jurisdiction": ("jurisdiction",)}

#: FtM schema → model.  Extend here; nothing else in the module names a schema.
SCHEMAS: dict[str, NodeSchema | IntervalSchema] = {
    "Person": NodeSchema(
        "Person",
        props={"name": ("name",), "birth_date": ("birthDate",), "gender": ("gender",), "nationality": ("nationality",)},
        values={"gender": {"male": "男", "female": "女", "m": "男", "f": "女"}},
        refs=_PARTY_REFS,
        value_nodes=_PARTY_VALUES,
    ),
    "Company": NodeSchema(
        "Company",
        props={"name": ("name",), "status": ("status",), "registered_date": ("incorporationDate",)},
        refs=_PARTY_REFS,
        value_nodes=_PARTY_VALUES,
    ),
    "Organization": NodeSchema(
        "Organization", props=_ORG_PROPS, const={"kind": "other"}, refs=_PARTY_REFS, value_nodes=_PARTY_VALUES
    ),
    "LegalEntity": NodeSchema(
        "Organization", props=_ORG_PROPS, const={"kind": "other"}, refs=_PARTY_REFS, value_nodes=_PARTY_VALUES
    ),
    "PublicBody": NodeSchema(
        "Organization", props=_ORG_PROPS, const={"kind": "government"}, refs=_PARTY_REFS, value_nodes=_PARTY_VALUES
    ),
    "Address": NodeSchema("Address", props={"full": ("full",), "city": ("city",)}),
    "BankAccount": NodeSchema("BankAccount", props={"bank": ("bankName",)}),
    "Payment": NodeSchema(
        "Payment",
        props={
            "amount": ("amountEur", "amount"),
            "currency": (Given("amountEur", "EUR"), "currency"),
            "date": ("date", "startDate"),
            "purpose": ("purpose", "summary"),
        },
        refs=(
            RefEdge("payer", "PAYER"),
            RefEdge("beneficiary", "BENEFICIARY"),
            RefEdge("payerAccount", "FROM_ACCOUNT"),
            RefEdge("beneficiaryAccount", "TO_ACCOUNT"),
        ),
    ),
    "Ownership": IntervalSchema("SHAREHOLDER_OF", "owner", "asset", props={"percent": ("percentage",)}),
    "Directorship": IntervalSchema("EXECUTIVE_OF", "director", "organization", props={"title": ("role",)}),
    "Employment": IntervalSchema(
        "EMPLOYED_BY",
        "employee",
        "employer",
        props={"post": ("role",), "start_date": ("startDate",), "end_date": ("endDate",)},
    ),
    "Family": IntervalSchema(
        "FAMILY",
        "person",
        "relative",
        props={"relationship": ("relationship",)},
        values={
            "relationship": {
                **dict.fromkeys(["spouse", "wife", "husband", "partner"], "spouse"),
                **dict.fromkeys(["parent", "father", "mother"], "parent"),
                **dict.fromkeys(["child", "son", "daughter"], "child"),
                **dict.fromkeys(["sibling", "brother", "sister"], "sibling"),
                **dict.fromkeys(
                    [
                        "in-law",
                        "in_law",
                        "father-in-law",
                        "mother-in-law",
                        "son-in-law",
                        "daughter-in-law",
                        "brother-in-law",
                        "sister-in-law",
                    ],
                    "in_law",
                ),
            }
        },
    ),
}

#: model properties whose text is a name (normalised with ``normalize_name``)
_NAME_PROPS = frozenset({"name"})


# ---------------------------------------------------------- conversion
class _Refused(ValueError):
    """A line cannot be loaded; carries the column and value for the quarantine."""

    def __init__(self, column: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, "" if value is None else str(value), reason


def _to_date(text: str) -> date:
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?", text)
    if not m:
        raise ValueError(f"{text!r} is not a whole date YYYY-MM-DD (the model stores whole dates)")
    return date.fromisoformat(m.group(1))


def _to_datetime(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def _to_bool(text: str) -> bool:
    low = text.lower()
    if low in ("true", "yes", "1"):
        return True
    if low in ("false", "no", "0"):
        return False
    raise ValueError(f"{text!r} is not true/false")


_CONVERT: dict[str, Callable[[str], Any]] = {
    "string": str,
    "int": int,
    "float": lambda t: float(t.rstrip("%").replace(",", "")),
    "bool": _to_bool,
    "date": _to_date,
    "datetime": _to_datetime,
}


def _convert(prop: Property, ftm_prop: str, raw: object, values: Mapping[str, str] | None) -> Any:
    """One FtM value → the model's type, vocabulary checked; raises :class:`_Refused`."""
    text = (normalize_name if prop.name in _NAME_PROPS else normalize_text)(raw)
    if text is None:
        return None
    if values:
        text = values.get(text.lower(), text)
    if prop.values is not None and text not in prop.values:
        raise _Refused(ftm_prop, raw, f"{text!r} is not one of {list(prop.values)} for {prop.name}")
    try:
        return _CONVERT[prop.type](text)
    except ValueError as exc:
        raise _Refused(ftm_prop, raw, f"{prop.name} ({prop.type}): {exc}") from None


def _properties(
    owner: str,
    declared: Mapping[str, Property],
    sources: Mapping[str, tuple[Source, ...]],
    values: Mapping[str, Mapping[str, str]],
    fprops: Mapping[str, list],
) -> dict[str, Any]:
    """Model properties of one entity from its FtM properties (first source with a value wins)."""
    out: dict[str, Any] = {}
    for name, srcs in sources.items():
        prop = declared[name]
        for src in srcs:
            if isinstance(src, Given):
                if fprops.get(src.when):
                    out[name] = _convert(prop, src.when, src.value, values.get(name))
                    break
                continue
            vals = [v for v in fprops.get(src) or [] if normalize_text(v) is not None]
            if vals:
                out[name] = _convert(prop, src, vals[0], values.get(name))
                break
    for name, prop in declared.items():
        if prop.required and out.get(name) is None:
            raise _Refused(name, "", f"{owner}.{name} is required and the entity has none")
    return out


def _check_table(model: Model) -> None:
    """Every label, relationship type and property the table names exists in the model."""
    for schema, rule in SCHEMAS.items():
        try:
            if isinstance(rule, NodeSchema):
                declared = model.label(rule.label).properties
                for rel in (*rule.refs, *rule.value_nodes):
                    model.relationship(rel.rtype)
                for vn in rule.value_nodes:
                    model.label(vn.label)
            else:
                declared = model.relationship(rule.rtype).properties
            for name in (*rule.props, *getattr(rule, "const", {})):
                if name not in declared:
                    raise ModelError(f"property {name!r} is not declared")
        except ModelError as exc:
            raise ModelError(f"FtM mapping of {schema}: {exc}") from None


# --------------------------------------------------------------- parsing
@dataclass
class _Edge:
    rtype: str
    id: str
    source: str
    target: str
    columns: tuple[str, str]  # FtM properties the two ends came from
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Entity:
    row: int
    id: str
    label: str | None  # None for an interval entity (a relationship only)
    props: dict[str, Any]
    edges: list[_Edge]
    values: list[tuple[str, str, str, str]]  # (label, key, rtype, FtM property) of value nodes


def _parse(model: Model, obj: object) -> _Entity:
    """One decoded line → entity; raises :class:`_Refused`."""
    if not isinstance(obj, dict):
        raise _Refused("line", json.dumps(obj)[:200], "line is JSON but not an object")
    eid, schema, fprops = obj.get("id"), obj.get("schema"), obj.get("properties") or {}
    if not isinstance(eid, str) or not eid.strip():
        raise _Refused("id", eid, "entity has no id")
    eid = eid.strip()
    if not isinstance(fprops, dict) or not all(isinstance(v, list) for v in fprops.values()):
        raise _Refused("properties", json.dumps(fprops)[:200], "properties are not lists of values")
    rule = SCHEMAS.get(schema) if isinstance(schema, str) else None
    if rule is None:
        raise _Refused(
            "schema",
            schema,
            f"FtM schema {schema!r} is not mapped onto the model (mapped: {', '.join(sorted(SCHEMAS))})",
        )

    def refs(prop: str) -> list[str]:
        return [v.strip() for v in fprops.get(prop) or [] if isinstance(v, str) and v.strip()]

    if isinstance(rule, IntervalSchema):
        rel = model.relationship(rule.rtype)
        props = _properties(rule.rtype, rel.properties, rule.props, rule.values, fprops)
        ends = {}
        for prop in (rule.source, rule.target):
            ids = refs(prop)
            if len(ids) != 1:
                raise _Refused(prop, ", ".join(ids), f"{schema} needs exactly one {prop}, has {len(ids)}")
            ends[prop] = ids[0]
        edge = _Edge(rule.rtype, eid, ends[rule.source], ends[rule.target], (rule.source, rule.target), props)
        return _Entity(0, eid, None, {}, [edge], [])
    label = model.label(rule.label)
    props = _properties(rule.label, label.properties, rule.props, rule.values, fprops)
    props.update(rule.const)
    edges = [
        _Edge(r.rtype, f"{r.rtype}|{eid}|{tid}", eid, tid, ("id", r.prop))
        for r in rule.refs
        for tid in dict.fromkeys(refs(r.prop))
    ]
    values = []
    for vn in rule.value_nodes:
        for raw in fprops.get(vn.prop) or []:
            try:
                key = vn.key(raw)
            except ValueError as exc:
                raise _Refused(vn.prop, raw, str(exc)) from None
            if key is not None:
                values.append((vn.label, key, vn.rtype, vn.prop))
                edges.append(_Edge(vn.rtype, f"{vn.rtype}|{eid}|{key}", eid, key, ("id", vn.prop)))
    return _Entity(0, eid, rule.label, props, edges, values)


# --------------------------------------------------------------- loading
def load_ftm(path: str | Path, store: GraphStore, *, progress: bool = False) -> LoadReport:
    """Load an FtM JSON-lines file into ``store``; return what was read, loaded and quarantined.

    Parameters
    ----------
    path
        A ``.jsonl`` file, one FtM entity per line.  ``src_file`` is its name,
        ``src_row`` the 1-based line number.
    store
        Any :class:`~graphkit.stores.base.GraphStore` whose schema exists.
    progress
        Show a progress bar while lines are parsed.

    Raises
    ------
    LoadError
        The file cannot be opened or read; nothing is written.

    Example
    -------
    >>> from graphkit.stores.embedded import EmbeddedStore
    >>> import tempfile, os
    >>> s = EmbeddedStore(os.path.join(tempfile.mkdtemp(), "g.db")); s.create_schema()
    >>> load_ftm(SAMPLE, s).totals()
    {'read': 474, 'loaded': 474, 'quarantined': 0}
    >>> s.close()
    """
    path = Path(path)
    model = store.model
    _check_table(model)
    try:
        raw_lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise LoadError(f"cannot read FtM file {path}: {exc.strerror or exc}") from exc

    fname = path.name
    report = LoadReport()
    frep = FileReport(file=fname, source="ftm")
    report.files.append(frep)

    def refuse(row: int, column: str, value: object, reason: str) -> None:
        report.quarantine.append(Quarantined(fname, row, column, "" if value is None else str(value)[:200], reason))
        frep.quarantined += 1

    # pass 1: parse every line, convert values, buffer the entities
    entities: dict[str, _Entity] = {}
    refused_rows: dict[str, int] = {}  # id of a quarantined entity -> its line
    for row, raw in enumerate(tqdm(raw_lines, desc=fname, unit="line", disable=not progress), start=1):
        if not raw.strip():
            continue
        frep.read += 1
        obj = None
        try:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _Refused("line", raw[:200].decode("utf-8", "replace"), f"not UTF-8: {exc.reason}") from None
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise _Refused("line", text[:200], f"malformed JSON: {exc.msg} at column {exc.colno}") from None
            ent = _parse(model, obj)
        except _Refused as r:
            refuse(row, r.column, r.value, r.reason)
            eid = obj.get("id") if isinstance(obj, dict) else None
            eid = eid.strip() if isinstance(eid, str) else ""
            if eid and eid not in entities:
                refused_rows.setdefault(eid, row)
            continue
        ent.row = row
        if ent.id in entities:
            refuse(row, "id", ent.id, f"duplicate id, first defined on line {entities[ent.id].row}")
            continue
        entities[ent.id] = ent

    # pass 2: resolve references against the file, then the store; a line whose
    # reference does not resolve is quarantined, and so are lines referring to it
    in_store: dict[str, str | None] = {}

    def store_labels(ids: set[str]) -> None:
        todo = sorted(i for i in ids if i not in in_store)
        if todo:
            found = {n: d.get("label") for n, d in store.subgraph(todo).nodes(data=True)}
            in_store.update({i: found.get(i) for i in todo})

    while True:
        valued = {key for e in entities.values() for _, key, _, _ in e.values}
        wanted = {end for e in entities.values() for ed in e.edges for end in (ed.source, ed.target)}
        store_labels({i for i in wanted if i not in entities and i not in valued})
        dropped = []
        for ent in entities.values():
            try:
                _resolve(model, ent, entities, in_store, refused_rows)
            except _Refused as r:
                refuse(ent.row, r.column, r.value, r.reason)
                dropped.append(ent.id)
        if not dropped:
            break
        for eid in dropped:
            refused_rows[eid] = entities.pop(eid).row
    frep.loaded = len(entities)

    # write: one table per label, then one per (type, source label, target label)
    nodes: dict[str, dict[str, dict]] = defaultdict(dict)
    for ent in entities.values():
        if ent.label is not None:
            nodes[ent.label][ent.id] = {"id": ent.id, **ent.props, "src_file": fname, "src_row": ent.row}
        for label, key, _, _ in ent.values:
            nodes[label].setdefault(key, {"id": key, "src_file": fname, "src_row": ent.row})
    created: Counter = Counter()
    for label, rows in nodes.items():
        table = pa.Table.from_pylist(list(rows.values()), schema=model.arrow_schema(label))
        created[label] += store.upsert_nodes(label, table)

    edges: dict[tuple[str, str, str], dict[str, dict]] = defaultdict(dict)
    for ent in entities.values():
        for ed in ent.edges:
            key = (
                ed.rtype,
                _label_of(ed.source, entities, in_store, ent),
                _label_of(ed.target, entities, in_store, ent),
            )
            edges[key].setdefault(
                ed.id,
                {"from": ed.source, "to": ed.target, "id": ed.id, **ed.props, "src_file": fname, "src_row": ent.row},
            )
    for (rtype, source, target), rows in edges.items():
        schema = model.arrow_schema(rtype)  # the id column holds the natural key (the seam hashes it)
        schema = pa.schema(
            [
                pa.field("from", pa.string()),
                pa.field("to", pa.string()),
                *schema.set(schema.get_field_index("id"), pa.field("id", pa.string())),
            ]
        )
        table = pa.Table.from_pylist(list(rows.values()), schema=schema)
        created[rtype] += store.upsert_edges(rtype, source, target, table)
    frep.created = +created
    return report


def _label_of(
    node_id: str, entities: dict[str, _Entity], in_store: dict[str, str | None], owner: _Entity
) -> str | None:
    ent = entities.get(node_id)
    if ent is not None:
        return ent.label
    for label, key, _, _ in owner.values:
        if key == node_id:
            return label
    return in_store.get(node_id)


def _resolve(
    model: Model,
    ent: _Entity,
    entities: dict[str, _Entity],
    in_store: dict[str, str | None],
    refused_rows: dict[str, int],
) -> None:
    """Check that every relationship of ``ent`` has both ends and a declared label pair."""
    for ed in ent.edges:
        labels = []
        for end, column in zip((ed.source, ed.target), ed.columns, strict=True):
            label = _label_of(end, entities, in_store, ent)
            if label is None:
                if end in entities:  # an interval entity is a relationship, not an endpoint
                    reason = f"refers to {end}, which is a relationship, not a node"
                elif end in refused_rows:
                    reason = f"refers to {end}, which was quarantined (line {refused_rows[end]})"
                else:
                    reason = f"refers to {end}, which is neither in the file nor in the store"
                raise _Refused(column, end, reason)
            labels.append(label)
        try:
            model.check_pair(ed.rtype, *labels)
        except ModelError as exc:
            raise _Refused(ed.columns[1], f"{ed.source} → {ed.target}", str(exc)) from None
