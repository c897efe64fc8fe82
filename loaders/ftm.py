"""Import FollowTheMoney (FtM) entities: OpenSanctions, Aleph and ``ftm`` exports.

A file holds one entity per line, ``{"id", "schema", "properties": {name: [values]}}``, plain or
gzipped (``*.ftm.json``, ``*.ftm.jsonl``, ``*.json.gz`` …; gzip is told by its magic bytes), or one JSON
array of entities, or FtM statements (CSV).  The files of one load are one set: fragments merge and
references resolve across them, and an id in another entity's ``referents`` names that entity.  FtM's
own model, from the ``followthemoney`` library, reads and checks each entity: its schema and the schema's ancestors, the
type of every property (dates, countries, phones, entity references …), which properties are required
and which two properties make an edge schema's ends.  What FtM accepts maps onto the graph model by the
table ``loaders/ftm.yaml`` (data, not code):

- every FtM schema maps somewhere: a listed schema, else its nearest listed ancestor, else a generic
  ``Thing`` node or ``FTM_LINK`` relationship; every node and relationship from FtM keeps its FtM schema
  (``ftm_schema``) and every FtM property (``ftm_properties``, JSON), so nothing read is lost;
- an edge schema (Ownership, Family, Occupancy, Associate, UnknownLink …) becomes one relationship per
  pair of its ends; other entity properties become relationships from the entity to the one it names
  (``addressEntity`` → ``HAS_ADDRESS``, ``Sanction.entity`` → ``SANCTIONS``, anything else ``FTM_REF``);
  a pair of labels the mapped type does not join falls back to the generic type;
- every name value (name, alias, weakAlias, previousName … in any script) is kept: the representative
  one (``rigour``'s ``pick_name``) as ``name``, the others as ``aliases``, one per line;
- a person with topic ``role.pep``/``role.rca``, or holding a post (Occupancy), gets ``pep = true``.

Only what FtM itself refuses, or a reference to nothing, is quarantined, and only that line: a line that
is not JSON, an unknown schema, an edge or a required reference (a Payment's payer, a Sanction's entity)
that names no entity in the file or the store, a node without the name both FtM and the model need.  A
bad value (a phone that is no phone, a date that is no date, a property the schema does not have, an
optional reference to nothing) loses that value only, listed in the report's ``dropped`` (identifiers
masked); the entity and its links load.  Lines with the same id are fragments of one entity and are
merged as FtM merges them.  ``read = loaded + quarantined`` per file.

Writes are bulk (one table per label and per relationship type and label pair, through
:meth:`GraphStore.upsert_nodes` / :meth:`GraphStore.upsert_edges`, which skip ids already stored):
re-importing a file creates nothing, and the entities already stored are counted per label and type
(``FileReport.kept``, a note on the command line): they are left as stored, never updated.

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
>>> with open(path, "w", encoding="utf-8") as f:
...     _ = f.write("\\n".join(json.dumps(x) for x in lines))
>>> store = EmbeddedStore(os.path.join(d, "g.db")); store.create_schema()
>>> report = load_ftm(path, store)
>>> report.totals()
{'read': 3, 'loaded': 3, 'quarantined': 0}
>>> report.created()["PAYER"], store.counts()["nodes"]["Payment"]
(1, 1)
>>> store.close()
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from graphkit.model import YAML_LOADER, Model, ModelError
from graphkit.model.mask import mask, mask_codes, mask_text
from graphkit.model.types import normalize_name, normalize_phone, normalize_text
from graphkit.progress import tqdm
from graphkit.stores.base import GraphStore
from loaders.contracts import vocabularies
from loaders.report import Dropped, FileReport, LoadError, LoadReport, Quarantined

__all__ = [
    "load_ftm",
    "FtmTable",
    "mapping",
    "SAMPLE",
    "SUFFIXES",
    "is_ftm_file",
    "holds_ftm",
    "not_data",
    "sort_folder",
]

#: the FtM sample shipped with the project (German party donations), read in place
SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ftm_party_donations" / "donations.ftm.jsonl"
#: file names an FtM folder load picks up (gzipped or not)
SUFFIXES = (".ftm.json", ".ftm.jsonl")
_TABLE = Path(__file__).with_name("ftm.yaml")
_SEP = "\n"  # between name values in ``aliases`` (a name never holds a line break once normalised)


def is_ftm_file(path: Path) -> bool:
    """Whether a file name says FtM entities (``x.ftm.json``, ``x.ftm.jsonl``, ``x.ftm.jsonl.gz`` …)."""
    name = path.name.lower()
    name = name[: -len(".gz")] if name.endswith(".gz") else name
    return name.endswith(SUFFIXES)


def sort_folder(folder: Path, tables: tuple[str, ...]) -> tuple[list[Path], list[Path], list[tuple[Path, str]]]:
    """The FtM entity files in ``folder``, the files that are neither those nor tables (suffixes ``tables``) nor
    known not to be data, and those known not to be data with what each is (:func:`not_data`); hidden and Office
    lock files (``.x``, ``~$x``) are none of them."""
    ftm, others, skipped = [], [], []
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith((".", "~$")) or path.is_dir():
            continue
        if is_ftm_file(path) or holds_ftm(path):  # FtM by its name, or by what it holds (x.json of entities)
            ftm.append(path)
        elif path.suffix.lower() not in tables:
            kind = not_data(path)
            if kind is None:
                others.append(path)
            else:
                skipped.append((path, kind))
    return ftm, others, skipped


#: suffixes of a file that may hold FtM entities under a name that does not say so (gzipped or not)
_JSON_SUFFIXES = (".json", ".jsonl")


def _entity_like(obj: object) -> bool:
    """Whether a decoded JSON value has the form of an FtM entity: an object with a ``schema`` (a name) and its
    ``properties`` (an object)."""
    return isinstance(obj, dict) and isinstance(obj.get("schema"), str) and isinstance(obj.get("properties"), dict)


def holds_ftm(path: Path) -> bool:
    """Whether a ``.json`` or ``.jsonl`` file whose name does not say FtM holds FtM entities, told by its content as
    followthemoney writes them: its first record (the first line of JSON lines, the first element of a JSON array,
    or the one object the file is) an object with ``schema`` and ``properties``. A file of entities named
    ``x.json`` had been warned as "neither a table nor FtM entities".

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> with open(os.path.join(d, "x.json"), "w") as f:
    ...     _ = f.write('{"id": "p1", "schema": "Person", "properties": {"name": ["常永"]}}\\n')
    >>> holds_ftm(Path(d, "x.json")), holds_ftm(Path(d, "nothing.json"))
    (True, False)
    """
    name = path.name.lower().removesuffix(".gz")
    if not name.endswith(_JSON_SUFFIXES):
        return False
    try:
        with _open(path) as fh:
            head = fh.read(1 << 16)
    except (OSError, EOFError):
        return False
    text = head.removeprefix(_BOM).decode("utf-8", "replace").lstrip()
    try:
        if text.startswith("["):  # a JSON array: its first element
            return _entity_like(json.JSONDecoder().raw_decode(text[1:].lstrip())[0])
        try:
            return _entity_like(json.loads(text.split("\n", 1)[0]))
        except ValueError:  # one object over several lines (read as the loader reads it)
            return text.startswith("{") and _entity_like(_one_object(path, head.removeprefix(_BOM)))
    except (ValueError, OSError, EOFError):
        return False


#: suffixes of documentation a folder comes with (README.md, an FtM sample's SOURCE.md): read by people, no data
DOC_SUFFIXES = (".md", ".markdown", ".rst")
#: a JSON file above this size is not read to tell what it is: it is named in a warning as any unknown file
_JSON_SNIFFED = 64 * 2**20


def not_data(path: Path) -> str | None:
    """What a file that is neither a table nor named as FtM entities is, when its nature says it holds no data to
    load: ``"documentation"`` (Markdown, reStructuredText) or ``"json"`` (a JSON document that is one object with
    no FtM ``schema``: a generator's answer key such as a synthetic city's ``truth.json``, a tool's settings).

    None for anything else, which a load names in a warning: a file of another kind, a JSON array or JSON lines
    of records, JSON that does not parse; and FtM entities under a name without ``.ftm``, which a folder's load
    reads as FtM (:func:`holds_ftm`, :func:`sort_folder`).

    >>> from pathlib import Path
    >>> not_data(Path("SOURCE.md"))
    'documentation'
    """
    suffix = path.suffix.lower()
    if suffix in DOC_SUFFIXES:
        return "documentation"
    if suffix != ".json":
        return None
    try:
        if path.stat().st_size > _JSON_SNIFFED:
            return None
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not one JSON document (JSON lines): said in a warning
        return None
    return "json" if isinstance(doc, dict) and "schema" not in doc else None


# --------------------------------------------------------------- the table
@dataclass(frozen=True)
class _Rule:
    """One listed FtM schema: its label (node) or relationship type (edge) and how properties map."""

    name: str  # the label or relationship type
    edge: bool
    props: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    const: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    given: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class FtmTable:
    """The FtM → model table of ``loaders/ftm.yaml``, checked against both models."""

    nodes: dict[str, _Rule]
    edges: dict[str, _Rule]
    refs: dict[str, str]
    value_nodes: dict[str, tuple[str, str]]
    default_node: str
    default_edge: str
    default_ref: str
    pep_topics: frozenset[str]
    holds: str
    employed_by: Mapping[str, str]

    def rule(self, schema) -> _Rule:
        """The rule for an FtM schema: itself or its nearest listed ancestor (edge rules for FtM edges only)."""
        if self is mapping():
            return _rule_for(schema.name)
        return _nearest(self, schema)

    def check(self, model: Model) -> None:
        """Every schema named exists in FtM; every label, type and property in ``model``.

        Every label and relationship type an FtM entity becomes (the listed schemata, the generic
        ``Thing`` and ``FTM_LINK``, the post holder's and the official's links) must declare
        ``ftm_schema`` and ``ftm_properties``, else the load would drop them silently.  Links made
        from a reference property (``PAYER``, ``HAS_ADDRESS`` …) and value nodes (phones) are not
        entities: the entity's own node keeps the property."""
        from followthemoney import model as ftm

        def fail(msg: str) -> None:
            raise ModelError(f"{_TABLE.name}: {msg}")

        for schema in (*self.nodes, *self.edges):
            if ftm.get(schema) is None:
                fail(f"FtM has no schema {schema!r}")
        for qname in self.refs:
            sname, _, pname = qname.partition(":")
            if ftm.get(sname) is None or ftm.get(sname).get(pname) is None:
                fail(f"FtM has no property {qname!r}")
        for schema, rule in (*self.nodes.items(), *self.edges.items()):
            family = [s for s in ftm.schemata.values() if s.is_a(schema)]
            for srcs in (*rule.props.values(), *rule.given.values()):
                for src in srcs:
                    if not any(s.get(src) is not None for s in family):
                        fail(f"{schema}: no FtM schema of its family has a property {src!r}")
        for rule in self.nodes.values():
            declared = model.label(rule.name).properties
            for p in (*rule.props, *rule.const, *rule.given):
                if p not in declared:
                    fail(f"{rule.name} has no property {p!r}")
        for rule in self.edges.values():
            declared = model.relationship(rule.name).properties
            for p in (*rule.props, *rule.const):
                if p not in declared:
                    fail(f"{rule.name} has no property {p!r}")
        for rtype in (*self.refs.values(), self.default_edge, self.default_ref, self.holds):
            model.relationship(rtype)
        model.label(self.default_node)
        # every node and link an FtM entity becomes keeps its schema and properties (nothing read is lost)
        kept = {"ftm_schema", "ftm_properties"}
        for label in {r.name for r in self.nodes.values()} | {self.default_node}:
            if missing := sorted(kept - set(model.label(label).properties)):
                fail(f"label {label} holds FtM entities but declares no {', '.join(missing)}")
        edge_types = {r.name for r in self.edges.values()} | {self.default_edge, self.holds}
        edge_types |= {self.employed_by["type"]} if self.employed_by else set()
        for rtype in edge_types - {""}:
            if missing := sorted(kept - set(model.relationship(rtype).properties)):
                fail(f"relationship {rtype} holds FtM entities but declares no {', '.join(missing)}")
        for label, rtype in self.value_nodes.values():
            model.label(label)
            model.relationship(rtype)


@functools.cache
def mapping() -> FtmTable:
    """The FtM → model table, read once from ``loaders/ftm.yaml``."""
    raw = yaml.load(_TABLE.read_text(encoding="utf-8"), Loader=YAML_LOADER)

    def rule(spec: dict, edge: bool) -> _Rule:
        values = {k: dict(v) for k, v in (spec.get("values") or {}).items()}
        for prop, vocab in (spec.get("words") or {}).items():  # the Chinese words the contracts accept too
            words = vocabularies()[vocab]
            values.setdefault(prop, {}).update({w.lower(): c for c, ws in words.items() for w in (c, *ws)})
        return _Rule(
            spec["type" if edge else "label"],
            edge,
            {k: tuple(v) for k, v in (spec.get("props") or {}).items()},
            dict(spec.get("const") or {}),
            values,
            {k: dict(v) for k, v in (spec.get("given") or {}).items()},
        )

    pep = raw.get("pep") or {}
    return FtmTable(
        nodes={k: rule(v, False) for k, v in raw["nodes"].items()},
        edges={k: rule(v, True) for k, v in raw["edges"].items()},
        refs=dict(raw.get("refs") or {}),
        value_nodes={k: (v["label"], v["type"]) for k, v in (raw.get("value_nodes") or {}).items()},
        default_node=raw["default_node"],
        default_edge=raw["default_edge"],
        default_ref=raw["default_ref"],
        pep_topics=frozenset(pep.get("topics") or ()),
        holds=pep.get("holds", ""),
        employed_by=dict(pep.get("employed_by") or {}),
    )


@functools.cache
def _rule_for(schema_name: str) -> _Rule:
    from followthemoney import model as ftm

    return _nearest(mapping(), ftm.get(schema_name))


def _nearest(table: FtmTable, schema) -> _Rule:
    seen, queue = set(), [schema]
    while queue:  # breadth first: the nearest listed ancestor
        s = queue.pop(0)
        if s.name in seen:
            continue
        seen.add(s.name)
        if s.name in table.nodes:
            return table.nodes[s.name]
        if schema.edge and s.name in table.edges:
            return table.edges[s.name]
        queue.extend(s.extends)
    if schema.edge:
        return _Rule(table.default_edge, True)
    return _Rule(table.default_node, False)


# --------------------------------------------------------------- values
class _Refused(ValueError):
    """A line cannot be loaded; carries the column and value for the quarantine."""

    def __init__(self, column: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, "" if value is None else str(value), reason


_SECRET_TYPES = {"phone": "phone", "iban": "account", "identifier": "account", "checksum": "account"}


def _shown(ftm_type: str, value: object) -> str:
    """A value as the report may show it: identifiers (phones, ID/passport numbers, IBANs) masked."""
    text = "" if value is None else str(value)[:200]
    kind = _SECRET_TYPES.get(ftm_type)
    return mask(text, kind) if kind and text else text


def _clean(prop, raw: object) -> list[str]:
    """FtM's cleaned form(s) of one raw value ([] when FtM refuses it).

    A phone value holding several numbers (``"+49 30 1234567, +49 30 7654321"``) gives each number when
    FtM accepts every one of them."""
    if raw is None or isinstance(raw, (dict, list)):
        return []
    text = raw if isinstance(raw, str) else str(raw)
    value = prop.type.clean(text)
    if value is not None:
        return [value]
    if prop.type.name == "phone":
        parts = [p for p in re.split(r"\s*(?:[;,/|]|\bor\b|\bund\b)\s*", text) if p.strip()]
        if len(parts) > 1:
            cleaned = [prop.type.clean(p) for p in parts]
            if all(c is not None for c in cleaned):
                return list(dict.fromkeys(cleaned))
    return []


def _to_model(typ: str, text: str) -> Any:
    """One FtM value in the model's type; None when the type cannot hold it (it stays in ftm_properties)."""
    try:
        if typ == "date" or typ == "datetime":
            m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?", text)
            return date.fromisoformat(m.group(1)) if m else None
        if typ == "float" or typ == "int":  # FtM's number type: "1,000.50", "49%", "12 EUR"
            from followthemoney import registry

            number = registry.number.to_number(text)
            if number is None or number != number:
                return None
            return number if typ == "float" else int(number)
        if typ == "bool":
            return {"true": True, "false": False}.get(text.lower())
    except ValueError:
        return None
    return text


def _phone_key(value: str) -> str:
    """A phone node's key: Chinese numbers in the project's form (13812345678), others E.164 (+49…)."""
    try:
        return normalize_phone(value) or value
    except ValueError:
        return value


# --------------------------------------------------------------- parsing
@dataclass
class _Raw:
    """One entity as read: FtM schema, cleaned properties, the lines it came from."""

    row: int
    id: str
    schema: Any
    props: dict[str, list[str]]
    rows: list[tuple[FileReport, int]] = field(default_factory=list)  # (file, line) of every fragment
    referents: list[str] = field(default_factory=list)  # ids merged into this one (OpenSanctions)


@dataclass
class _Edge:
    rtype: str
    id: str
    source: str
    target: str
    prop: str  # the FtM property the far end came from (reported when it names nothing)
    required: bool
    props: dict[str, Any] = field(default_factory=dict)
    fallback: str | None = None  # the generic type when the mapped one does not join the two labels
    fallback_props: dict[str, Any] = field(default_factory=dict)
    entity: bool = False  # the relationship is the FtM entity itself (an edge schema), not a reference


@dataclass
class _Entity:
    row: int
    id: str
    label: str | None  # None for an edge entity (relationships only)
    props: dict[str, Any]
    edges: list[_Edge]
    values: list[tuple[str, str]]  # (label, key) of value nodes
    frep: FileReport | None = None  # the file of its first line
    lost: list[tuple[str, str, str]] = field(default_factory=list)  # (FtM property, value, reason) not read


_GZIP = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_SHAPES = "JSON lines, a JSON array of entities or an FtM statements CSV"


def _open(path: Path):
    """The file's bytes, gunzipped when it starts with gzip's magic bytes (whatever its suffix)."""
    with open(path, "rb") as fh:
        magic = fh.read(2)
    return gzip.open(path, "rb") if magic == _GZIP else open(path, "rb")


def _is_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are no text: a NUL, or many control characters."""
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\f")
    return controls > max(8, len(head) // 20)


def _records(path: Path, frep: FileReport) -> Iterator[tuple[int, object]]:
    """Every entity record of an FtM file: ``(row, decoded JSON)``, or ``(row, _Refused)`` for a line
    that cannot be read.

    The file is sniffed first: gzip by its magic bytes, whatever the suffix; a UTF-8 byte-order mark
    skipped; a file whose first character is ``[`` is one JSON array of entities (row: the element
    number, 1-based); a CSV whose header has ``entity_id``, ``prop`` and ``value`` is FtM statements
    (followthemoney's reader; row: the line of the entity's first statement, the header is line 1);
    anything else is JSON lines (row: the line number).  Binary data, or a JSON array that is not
    valid JSON, raises :class:`LoadError` naming the file.
    """
    name = path.name
    try:
        with _open(path) as fh:
            head = fh.read(1 << 16)
        if head.startswith(_BOM):
            head = head[len(_BOM) :]
        if _is_binary(head):
            raise LoadError(f"{name}: binary data, not FtM entities ({_SHAPES})")
        first = head.lstrip()[:1]
        if first == b"[":
            frep.form = "a JSON array: rows are element numbers"
            with _open(path) as fh:
                text = fh.read().decode("utf-8-sig", "replace")
            try:
                items = json.loads(text)
            except json.JSONDecodeError as exc:
                raise LoadError(
                    f"{name}: a JSON array that is not valid JSON ({exc.msg} at line {exc.lineno}, column "
                    f"{exc.colno}); FtM files hold {_SHAPES}"
                ) from None
            yield from enumerate(items if isinstance(items, list) else [items], start=1)
            return
        header = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
        columns = {c.strip().strip('"') for c in header.split(",")}
        if {"entity_id", "prop", "value"} <= columns:
            frep.form = "FtM statements CSV: rows are the line of each entity's first statement"
            yield from _statement_records(path)
            return
        if first == b"{" and (whole := _one_object(path, head)) is not None:
            frep.form = "one JSON object over several lines: row 1"
            yield 1, whole
            return
        with _open(path) as fh:
            for row, line in enumerate(fh, start=1):
                if row == 1 and line.startswith(_BOM):
                    line = line[len(_BOM) :]
                if not line.strip():
                    continue
                try:
                    text = line.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    shown = line[:200].decode("utf-8", "replace")
                    yield row, _Refused("line", shown, f"not UTF-8: {exc.reason}")
                    continue
                try:
                    yield row, json.loads(text)
                except json.JSONDecodeError as exc:
                    yield row, _Refused("line", text, f"malformed JSON at column {exc.colno}: {exc.msg}")
    except EOFError as exc:  # gzip's "Compressed file ended before the end-of-stream marker was reached"
        raise LoadError(
            f"cannot read FtM file {path}: its gzip data ends early (a download or copy cut short)"
        ) from exc
    except OSError as exc:
        raise LoadError(f"cannot read FtM file {path}: {getattr(exc, 'strerror', None) or exc}") from exc


def _one_object(path: Path, head: bytes) -> dict | None:
    """The one JSON object a file holds written over several lines (an entity as an editor pretty-prints it),
    or None when its first line is a record on its own (JSON lines) or the file is no one object: each of its
    lines had been refused as malformed JSON."""
    try:
        json.loads(head.lstrip().split(b"\n", 1)[0])
        return None
    except ValueError:
        pass
    try:
        if path.stat().st_size > _JSON_SNIFFED:
            return None
        with _open(path) as fh:
            doc = json.loads(fh.read().removeprefix(_BOM).decode("utf-8"))
    except (ValueError, OSError, EOFError):
        return None
    return doc if isinstance(doc, dict) else None


def _statement_records(path: Path) -> Iterator[tuple[int, object]]:
    """FtM statements (CSV, followthemoney's reader) as entity records: one per entity id and schema
    (the fragments are merged as any others), at the line of its first statement."""
    from followthemoney.statement import CSV, read_statements
    from followthemoney.statement.entity import BASE_ID

    entities: dict[tuple[str, str], dict] = {}
    with _open(path) as fh:  # in memory: the reader wraps its file and would leave it unclosed
        data = io.BytesIO(fh.read())
    for line, stmt in enumerate(read_statements(data, CSV), start=2):
        eid = stmt.canonical_id or stmt.entity_id
        obj = entities.setdefault(
            (eid, stmt.schema), {"id": eid, "schema": stmt.schema, "properties": {}, "_row": line}
        )
        if stmt.prop != BASE_ID:
            obj["properties"].setdefault(stmt.prop, []).append(stmt.value)
    for obj in entities.values():
        yield obj.pop("_row"), obj


def _read(obj: object, row: int, frep: FileReport, report: LoadReport) -> _Raw:
    """One decoded line → its schema and FtM-cleaned properties; raises :class:`_Refused`."""
    from followthemoney import model as ftm

    if not isinstance(obj, dict):
        raise _Refused("line", json.dumps(obj, ensure_ascii=False)[:200], "line is JSON but not an object")
    eid, sname, fprops = obj.get("id"), obj.get("schema"), obj.get("properties") or {}
    if not isinstance(eid, str) or not eid.strip():
        raise _Refused("id", eid, "entity has no id")
    schema = ftm.get(sname) if isinstance(sname, str) else None
    if schema is None:
        raise _Refused("schema", sname, f"FtM has no schema {sname!r}")
    if not isinstance(fprops, dict):
        raise _Refused("properties", json.dumps(fprops, ensure_ascii=False)[:200], "properties are not an object")

    def drop(column: str, ftm_type: str, value: object, reason: str) -> None:
        report.dropped.append(Dropped(frep.file, row, column, _shown(ftm_type, value), reason))
        frep.dropped[column] += 1

    props: dict[str, list[str]] = {}
    for name, values in fprops.items():
        values = values if isinstance(values, list) else [values]
        prop = schema.get(name)
        if prop is None or prop.stub:
            why = "a reverse (stub) property" if prop is not None else "not a property"
            for v in values:
                drop(name, "", v, f"{why} of FtM schema {schema.name}")
            continue
        for v in values:
            cleaned = _clean(prop, v)
            if not cleaned:
                if v is not None and str(v).strip():
                    drop(name, prop.type.name, v, f"not a valid FtM {prop.type.name} ({schema.name}.{name})")
                continue
            bucket = props.setdefault(name, [])
            bucket.extend(c for c in cleaned if c not in bucket)
    referents = obj.get("referents") or []
    referents = (
        [r.strip() for r in referents if isinstance(r, str) and r.strip()] if isinstance(referents, list) else []
    )
    return _Raw(row, eid.strip(), schema, props, [(frep, row)], referents)


def _merge(first: _Raw, other: _Raw) -> None:
    """Merge a later fragment of the same entity into the first (FtM's common schema, values united)."""
    from followthemoney import model as ftm

    try:
        schema = ftm.common_schema(first.schema, other.schema)
    except Exception:  # followthemoney raises InvalidData
        raise _Refused(
            "schema",
            other.schema.name,
            f"id {other.id} is a {first.schema.name} on line {first.row} of {first.rows[0][0].file}; FtM cannot "
            f"merge it with a "
            f"{other.schema.name}",
        ) from None
    first.schema = schema
    for name, values in other.props.items():
        bucket = first.props.setdefault(name, [])
        bucket.extend(v for v in values if v not in bucket)
    first.rows += other.rows
    first.referents += [r for r in other.referents if r not in first.referents]


def _model_props(
    rule: _Rule, declared: Mapping, raw: _Raw, lost: list[tuple[str, str, str]] | None = None
) -> dict[str, Any]:
    """Model properties of one entity from its FtM properties: the first value the model's type can
    hold, source by source in the table's order (a name: the representative of all name values).

    A number FtM's number type cannot read is appended to ``lost`` as (FtM property, value, reason)
    when no value of the property could be read; it stays in ``ftm_properties``."""
    from rigour.names import pick_name

    out: dict[str, Any] = {}
    for name, sources in rule.props.items():
        prop = declared[name]
        unread: list[tuple[str, str, str]] = []
        for src in sources:
            vals = raw.props.get(src) or []
            if name == "name" and len(vals) > 1:
                vals = [pick_name(vals)]
            for text in vals:
                text = (normalize_name if name == "name" else normalize_text)(text)
                if text is None:
                    continue
                vocab = rule.values.get(name)
                if vocab is not None:
                    text = vocab.get(text.lower(), vocab.get("_default", text))
                if prop.values is not None and text not in prop.values:
                    continue  # outside the model's vocabulary: kept in ftm_properties
                value = _to_model(prop.type, text)
                if value is not None:
                    out[name] = value
                    break
                if prop.type in ("float", "int"):
                    unread.append((src, text, f"not a number ({rule.name}.{name}); kept in ftm_properties"))
            if name in out:
                break
        if name not in out and lost is not None:
            lost.extend(unread)
        for when, value in rule.given.get(name, {}).items():
            if raw.props.get(when):
                out[name] = value
        vocab = rule.values.get(name)
        if name not in out and vocab and "_default" in vocab and prop.required:
            out[name] = vocab["_default"]
    out.update(rule.const)
    return out


def _ftm_block(raw: _Raw, name: str | None) -> dict[str, Any]:
    from followthemoney import registry

    names = []
    for prop in raw.schema.properties.values():
        if prop.type == registry.name:
            names += raw.props.get(prop.name) or []
    normal = [n for n in (normalize_name(x) for x in dict.fromkeys(names)) if n]
    aliases = [n for n in dict.fromkeys(normal) if n != name]
    return {
        "ftm_schema": raw.schema.name,
        "aliases": _SEP.join(aliases) or None,
        "topics": ";".join(raw.props.get("topics") or []) or None,
        "ftm_properties": json.dumps(raw.props, ensure_ascii=False, sort_keys=True),
    }


def _entity(model: Model, table: FtmTable, raw: _Raw) -> _Entity:
    """A read entity → node and relationships (unresolved); raises :class:`_Refused`."""
    from followthemoney import registry

    schema, eid = raw.schema, raw.id
    rule = table.rule(schema)
    required = set(schema.required)
    if rule.edge:
        ends = (schema.source_prop, schema.target_prop)
        for prop in ends:
            if not raw.props.get(prop.name) and prop.name in required:
                raise _Refused(prop.name, "", f"{schema.name} has no {prop.name}: FtM requires it")
        if not all(raw.props.get(prop.name) for prop in ends):
            # FtM allows an edge with one end (a Debt without creditor): a node linked to the end it names
            rule = table.nodes.get(table.default_node) or _Rule(table.default_node, False)
    if rule.edge:
        rel = model.relationship(rule.name)
        lost: list[tuple[str, str, str]] = []
        props = _model_props(rule, rel.properties, raw, lost)
        generic = _Rule(table.default_edge, True, table.edges.get("Interval", _Rule("", True)).props)
        gprops = _model_props(generic, model.relationship(table.default_edge).properties, raw)
        block = {k: v for k, v in _ftm_block(raw, None).items() if k in ("ftm_schema", "ftm_properties")}
        for target in (rel, model.relationship(table.default_edge)):
            for k, v in block.items():
                if k in target.properties:
                    (props if target is rel else gprops)[k] = v
        src, tgt = schema.source_prop, schema.target_prop
        sources, targets = raw.props.get(src.name) or [], raw.props.get(tgt.name) or []
        pairs = [(s, t) for s in sources for t in targets]
        edges = [
            _Edge(
                rule.name,
                eid if len(pairs) == 1 else f"{eid}|{s}|{t}",
                s,
                t,
                tgt.name,
                True,
                props,
                None if rule.name == table.default_edge else table.default_edge,
                gprops,
                entity=True,
            )
            for s, t in pairs
        ]
        # the source end is checked too: each edge names the property of the end that may be missing
        edges += [_Edge("", "", s, s, src.name, True) for s in dict.fromkeys(sources)]
        return _Entity(raw.row, eid, None, {}, edges, [], lost=lost)

    label = model.label(rule.name)
    lost = []
    props = _model_props(rule, label.properties, raw, lost)
    props.update({k: v for k, v in _ftm_block(raw, props.get("name")).items() if k in label.properties})
    if "pep" in label.properties:
        props["pep"] = bool(table.pep_topics & set(raw.props.get("topics") or ()))
    for name, prop in label.properties.items():
        if prop.required and props.get(name) is None:
            why = "FtM and the model need one" if name in required else "the model needs one"
            raise _Refused(name, "", f"{schema.name} has no {name}: {why}")
    edges: list[_Edge] = []
    values: list[tuple[str, str]] = []
    for prop in schema.properties.values():
        vals = raw.props.get(prop.name) or []
        if not vals or prop.stub:
            continue
        if prop.type == registry.entity:
            rtype = table.refs.get(prop.qname, table.default_ref)
            for tid in vals:
                generic = {"ftm_property": prop.name}
                edges.append(
                    _Edge(
                        rtype,
                        f"{rtype}|{eid}|{tid}" if rtype != table.default_ref else f"{rtype}|{eid}|{prop.name}|{tid}",
                        eid,
                        tid,
                        prop.name,
                        prop.name in required,
                        {} if rtype != table.default_ref else generic,
                        None if rtype == table.default_ref else table.default_ref,
                        generic,
                    )
                )
        elif prop.type.name in table.value_nodes:
            vlabel, rtype = table.value_nodes[prop.type.name]
            if (rule.name, vlabel) not in model.relationship(rtype).between:
                continue  # kept in ftm_properties
            for v in vals:
                key = _phone_key(v) if prop.type.name == "phone" else v
                values.append((vlabel, key))
                edges.append(_Edge(rtype, f"{rtype}|{eid}|{key}", eid, key, prop.name, False))
    return _Entity(raw.row, eid, rule.name, props, edges, values, lost=lost)


# --------------------------------------------------------------- loading
def load_ftm(path: str | Path | Iterable[str | Path], store: GraphStore, *, progress: bool = False) -> LoadReport:
    """Load FtM entity files into ``store`` as one set; return what was read, loaded, quarantined and dropped.

    Parameters
    ----------
    path : str, Path or iterable of them
        Files of FtM entities: JSON lines (plain or gzipped, told by its magic bytes), a JSON array of
        entities or an FtM statements CSV.  Several files are one set: fragments of one id are merged
        across files and references resolve across them, whatever the order of the files.
        ``src_file`` is the file of an entity's first line, ``src_row`` that line (the element
        number in a JSON array).
    store : GraphStore
        Any :class:`~graphkit.stores.base.GraphStore` whose schema exists.
    progress : bool, default False
        Show a progress bar while lines are read.

    Returns
    -------
    LoadReport
        Per file ``read = loaded + quarantined``; ``quarantine`` the refused lines, ``dropped`` the
        values left out of lines that loaded, ``kept`` (per file) the entities already stored, which
        are left as they are (the store never updates an object).

    Raises
    ------
    LoadError
        A file cannot be opened or read, or is no FtM file (binary data, a broken JSON array); nothing
        is written.

    Example
    -------
    >>> from graphkit.stores.embedded import EmbeddedStore
    >>> import tempfile, os
    >>> s = EmbeddedStore(os.path.join(tempfile.mkdtemp(), "g.db")); s.create_schema()
    >>> load_ftm(SAMPLE, s).totals()
    {'read': 474, 'loaded': 474, 'quarantined': 0}
    >>> s.close()
    """
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    model = store.model
    table = mapping()
    table.check(model)
    for p in paths:
        if not p.is_file():
            raise LoadError(f"cannot read FtM file {p}: {'a folder' if p.is_dir() else 'no such file'}")

    report = LoadReport()
    where = "the file" if len(paths) == 1 else "the files"

    def refuse(frep: FileReport, row: int, column: str, value: object, reason: str) -> None:
        # no identifier in clear; a line that could not be parsed has no known fields: every code is masked
        shown = (mask_codes if column in ("line", "properties") else mask_text)(
            "" if value is None else str(value)[:200]
        )
        report.quarantine.append(Quarantined(frep.file, row, column, shown, reason))
        frep.quarantined += 1

    # pass 1: read every file with FtM, merge fragments of one id (across files too)
    raws: dict[str, _Raw] = {}
    refused_rows: dict[str, tuple[FileReport, int]] = {}  # id of a quarantined line's entity -> its line
    for p in paths:
        frep = FileReport(file=p.name, source="ftm")
        report.files.append(frep)
        for row, obj in tqdm(_records(p, frep), desc=p.name, unit="line", disable=not progress):
            frep.read += 1
            try:
                if isinstance(obj, _Refused):
                    raise obj
                raw = _read(obj, row, frep, report)
                if raw.id in raws:
                    _merge(raws[raw.id], raw)
                else:
                    raws[raw.id] = raw
            except _Refused as r:
                refuse(frep, row, r.column, r.value, r.reason)
                eid = obj.get("id") if isinstance(obj, dict) else None
                eid = eid.strip() if isinstance(eid, str) else ""
                if eid and eid not in raws:
                    refused_rows.setdefault(eid, (frep, row))

    # OpenSanctions: an id merged into another (its ``referents``) names that one
    canonical = {ref: raw.id for raw in raws.values() for ref in raw.referents if ref not in raws}
    if canonical:
        _to_canonical(raws, canonical)

    # pass 2: FtM entities → nodes and relationships
    entities: dict[str, _Entity] = {}
    for raw in raws.values():
        try:
            ent = entities[raw.id] = _entity(model, table, raw)
            ent.frep = raw.rows[0][0]
            for column, value, reason in ent.lost:  # a number FtM cannot read: kept in ftm_properties
                report.dropped.append(Dropped(ent.frep.file, raw.row, column, _shown("", value), reason))
                ent.frep.dropped[column] += 1
        except _Refused as r:
            for frep, row in raw.rows:  # every line of an entity given in fragments
                refuse(frep, row, r.column, r.value, r.reason)
            refused_rows[raw.id] = raw.rows[0]
    lines_of = {eid: raws[eid].rows for eid in entities}

    # pass 3: resolve references against the files, then the store.  A required end that names
    # nothing quarantines its line (and the lines that need that one); an optional one drops the value.
    in_store: dict[str, str | None] = {}

    def store_labels(ids: set[str]) -> None:
        todo = sorted(i for i in ids if i not in in_store)
        if todo:
            found = {n: d.get("label") for n, d in store.subgraph(todo).nodes(data=True)}
            in_store.update({i: found.get(i) for i in todo})

    while True:
        valued = {key for e in entities.values() for _, key in e.values}
        wanted = {end for e in entities.values() for ed in e.edges for end in (ed.source, ed.target)}
        store_labels({i for i in wanted if i not in entities and i not in valued})
        dropped = []
        for ent in entities.values():
            try:
                _resolve(model, ent, entities, in_store, refused_rows, report, where)
            except _Refused as r:
                for frep, row in lines_of[ent.id]:
                    refuse(frep, row, r.column, r.value, r.reason)
                dropped.append(ent.id)
        if not dropped:
            break
        for eid in dropped:
            entities.pop(eid)
            refused_rows[eid] = lines_of[eid][0]
    for ent in entities.values():
        for frep, _ in lines_of[ent.id]:
            frep.loaded += 1

    # PEPs: holders of a post; a post at an organisation also makes an EMPLOYED_BY (role official)
    _mark_peps(model, table, entities, in_store)

    # write: per file, one table per label, then one per (type, source label, target label); the
    # entities themselves apart from value nodes and references, so that those already stored are counted
    value_labels = {label for label, _ in table.value_nodes.values()}
    nodes: dict[tuple[str, int], dict[str, dict]] = defaultdict(dict)
    seen: set[tuple[str, str]] = set()
    index = {id(f): i for i, f in enumerate(report.files)}
    for ent in entities.values():
        f = index[id(ent.frep)]
        if ent.label is not None:
            nodes[ent.label, f][ent.id] = {"id": ent.id, **ent.props, "src_file": ent.frep.file, "src_row": ent.row}
        for label, key in ent.values:
            if (label, key) not in seen:
                seen.add((label, key))
                nodes[label, f][key] = {"id": key, "src_file": ent.frep.file, "src_row": ent.row}
    for (label, f), rows in nodes.items():
        arrow = pa.Table.from_pylist(list(rows.values()), schema=model.arrow_schema(label))
        new = store.upsert_nodes(label, arrow)
        report.files[f].created[label] += new
        if label not in value_labels and len(rows) > new:
            report.files[f].kept[label] += len(rows) - new

    edges: dict[tuple[str, str, str, int, bool], dict[str, dict]] = defaultdict(dict)
    taken: set[str] = set()
    for ent in entities.values():
        f = index[id(ent.frep)]
        for ed in ent.edges:
            if not ed.rtype or (ed.rtype, ed.id) in taken:
                continue
            taken.add((ed.rtype, ed.id))
            key = (
                ed.rtype,
                _label_of(ed.source, entities, in_store, ent),
                _label_of(ed.target, entities, in_store, ent),
                f,
                ed.entity,
            )
            edges[key][ed.id] = {
                "from": ed.source,
                "to": ed.target,
                "id": ed.id,
                **ed.props,
                "src_file": ent.frep.file,
                "src_row": ent.row,
            }
    for (rtype, source, target, f, entity), rows in edges.items():
        schema = model.arrow_schema(rtype)  # the id column holds the natural key (the seam hashes it)
        schema = pa.schema(
            [
                pa.field("from", pa.string()),
                pa.field("to", pa.string()),
                *schema.set(schema.get_field_index("id"), pa.field("id", pa.string())),
            ]
        )
        arrow = pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows.values()], schema=schema)
        new = store.upsert_edges(rtype, source, target, arrow)
        report.files[f].created[rtype] += new
        if entity and len(rows) > new:
            report.files[f].kept[rtype] += len(rows) - new
    if table.holds:
        store.query("ftm/mark_peps")  # holders loaded earlier, posts now (or the other way round)
    for frep in report.files:
        frep.created = +frep.created
    return report


def _to_canonical(raws: dict[str, _Raw], canonical: dict[str, str]) -> None:
    """Rewrite every entity reference to an id listed in another entity's ``referents`` to that entity."""
    from followthemoney import registry

    for raw in raws.values():
        for name, values in raw.props.items():
            prop = raw.schema.get(name)
            if prop is not None and prop.type == registry.entity and any(v in canonical for v in values):
                raw.props[name] = list(dict.fromkeys(canonical.get(v, v) for v in values))


def _mark_peps(model: Model, table: FtmTable, entities: dict[str, _Entity], in_store: dict[str, str | None]) -> None:
    emp = table.employed_by
    position_org: dict[str, str] = {}
    for ent in entities.values():
        for ed in ent.edges:
            if ed.rtype == table.default_ref and ed.props.get("ftm_property") == emp.get("position_organization"):
                if ent.label == "Position" and _label_of(ed.target, entities, in_store, ent) == "Organization":
                    position_org[ent.id] = ed.target
    for ent in list(entities.values()):
        extra = []
        for ed in ent.edges:
            if ed.rtype != table.holds:
                continue
            holder = entities.get(ed.source)
            if holder is not None and holder.label == "Person":
                holder.props["pep"] = True
            org = position_org.get(ed.target)
            if emp and org is not None and _label_of(ed.source, entities, in_store, ent) == "Person":
                props = {"role": emp["role"], "post": entities[ed.target].props.get("name")}
                props.update(
                    {
                        k: ed.props[k]
                        for k in ("start_date", "end_date", "ftm_schema", "ftm_properties")
                        if ed.props.get(k) is not None
                    }
                )
                extra.append(_Edge(emp["type"], f"{emp['type']}|{ed.id}", ed.source, org, ed.prop, True, props))
        ent.edges += extra


def _label_of(
    node_id: str, entities: dict[str, _Entity], in_store: dict[str, str | None], owner: _Entity
) -> str | None:
    ent = entities.get(node_id)
    if ent is not None:
        return ent.label
    for label, key in owner.values:
        if key == node_id:
            return label
    return in_store.get(node_id)


def _resolve(
    model: Model,
    ent: _Entity,
    entities: dict[str, _Entity],
    in_store: dict[str, str | None],
    refused_rows: dict[str, tuple[FileReport, int]],
    report: LoadReport,
    where: str = "the file",
) -> None:
    """Check every relationship of ``ent``: both ends exist, and the type joins their labels (else the
    generic type).  An optional reference to nothing is dropped (and reported); a required one refuses."""
    kept = []
    for ed in ent.edges:
        end = ed.target if ed.rtype or ed.source == ed.target else ed.source
        label = _label_of(end, entities, in_store, ent)
        reason = None
        if label is None:
            if end in entities:  # an edge entity is a relationship, not an endpoint
                reason = f"refers to {end}, which is a relationship, not a node"
            elif end in refused_rows:
                frep, row = refused_rows[end]
                at = f"line {row}" if frep is ent.frep else f"{frep.file} line {row}"
                reason = f"refers to {end}, which was quarantined ({at})"
            else:
                reason = f"refers to {end}, which is neither in {where} nor in the store"
        elif ed.rtype:
            source_label = _label_of(ed.source, entities, in_store, ent)
            if source_label is None:
                continue  # the source end's own check (an edge entity) refuses the line
            if not _joins(model, ed.rtype, source_label, label):
                if ed.fallback is not None and _joins(model, ed.fallback, source_label, label):
                    ed.rtype, ed.props, ed.fallback = ed.fallback, ed.fallback_props, None
                else:  # e.g. an FtM entity naming a tender of the department tables
                    reason = f"refers to {end}, a {label}: no relationship of the model joins {source_label} → {label}"
        if reason is None and ed.rtype and ed.source == ed.target and not model.relationship(ed.rtype).to_itself:
            rel = model.relationship(ed.rtype)
            what = f"{ed.rtype} ({rel.zh})" if rel.zh else ed.rtype
            reason = (
                f"{ed.prop} names the link's own other end: "
                f"a {what} link joins two different entities, not one to itself"
            )
        if reason is not None:
            if ed.required:
                raise _Refused(ed.prop, end, reason)
            report.dropped.append(Dropped(ent.frep.file, ent.row, ed.prop, end, reason))
            ent.frep.dropped[ed.prop] += 1
            continue
        kept.append(ed)
    ent.edges = kept


def _joins(model: Model, rtype: str, source: str, target: str) -> bool:
    return (source, target) in model.relationship(rtype).between
