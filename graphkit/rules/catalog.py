"""The data-collision model library: one Cypher file per model under ``queries/models/``.

A model file opens with a header of ``//`` comment lines that hold YAML::

    // id: fuel_over_capacity
    // title_zh: 加油量超过油箱容量
    // title_en: Fuel bought above the tank's capacity
    // detects: >
    //   A fill whose litres exceed the tank capacity of the vehicle the card is bound to.
    // params:
    //   tolerance: {default: 1.0, doc: ratio of the tank capacity a fill may reach}
    //   holidays: {default: "@holidays", doc: statutory holidays (ISO dates)}
    // needs: [fuel_transactions, fuel_cards, vehicles]
    // level: red when litres > 1.3 × tank; orange when > 1.1 × tank; yellow otherwise
    // scheme: fuel_over_capacity
    // match: card

then the query.  ``scheme`` names the ``truth.json`` scheme the model answers and
``match`` the entity type (in ``truth.json``'s vocabulary: person, company, unit,
tender, contract, card, vehicle, licence, phone, benefit, labour, reception, ...)
whose key identifies one instance.  An optional ``roles: N`` (default 1) says how
many leading entities of a hit are its roles, listed in the query's order (the
official, the relative, the company …); the entities after them are records the
query collected (transactions, benefits, contracts), listed by type and key so
that every store gives one order (:func:`canonical_entities`).  A default written ``@name`` is filled in
at run time from :data:`SPECIAL_DEFAULTS` (the holiday calendar and the like, as
lists of :class:`datetime.date`, which both stores bind as DATE values).

A model too big for one query names its first parts in ``steps: [models/bid_rigging/pairs, …]``: queries under
``queries/`` (each with its ``.embedded.cypher`` override where one is needed) run in that order before the model's
own query, each given the rows of the one before as ``$rows`` (a list of maps) and the model's parameters it uses;
the model's query gets the last step's rows. The store lets go of what each step held before the next one runs
(:meth:`GraphStore.let_go`): one query holds every hash table it built until it ends, so a model in one piece
holds the sum of its parts, in steps only the largest.

Every model returns one row per hit with the columns of :data:`HIT_COLUMNS`:
``key`` (what makes the hit one hit, stable across runs), ``level``
(red/orange/yellow), ``entities`` and ``types`` (parallel lists: natural keys
and their types, as ``truth.json`` writes them), ``summary`` (one readable
line in English), ``summary_zh`` (the same in Chinese, as an investigator writes
it: every face shows it first; an amount in either is written ``'{money:' + toString(amount) + '}'`` and worded
by :func:`graphkit.model.figure_marks`, ``2,248.20 元`` / ``806.4 万元``) and ``sources`` (``"file:row"`` of the records
behind it).

Example
-------
>>> [m.id for m in catalog()][:1]  # doctest: +SKIP
['banquet_no_letter']
>>> hits = run(store, "fuel_over_capacity", {"tolerance": 1.05})  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from graphkit.model import YAML_LOADER, figure_marks
from graphkit.model.mask import mask_text
from graphkit.stores.base import QUERY_DIR, GraphStore

__all__ = [
    "ModelSpec",
    "ModelError",
    "catalog",
    "get",
    "run",
    "run_all",
    "HIT_COLUMNS",
    "SPECIAL_DEFAULTS",
    "MODEL_DIR",
    "body_params",
]

MODEL_DIR = QUERY_DIR / "models"
HIT_COLUMNS = ["key", "level", "entities", "types", "summary", "summary_zh", "sources"]
LEVELS = ("red", "orange", "yellow")
REQUIRED = ("id", "title_zh", "title_en", "detects", "params", "needs", "level", "scheme", "match")


class ModelError(ValueError):
    """A model file is malformed, or a run was asked for an unknown model or parameter."""


def _holidays() -> list[date]:
    from graphkit.model.calendar import HOLIDAYS

    return sorted(HOLIDAYS)


def _makeup_workdays() -> list[date]:
    from graphkit.model.calendar import MAKEUP_WORKDAYS

    return sorted(MAKEUP_WORKDAYS)


#: defaults written ``@name`` in a header, computed when a model runs
SPECIAL_DEFAULTS: dict[str, Callable[[], Any]] = {
    "@holidays": _holidays,
    "@makeup_workdays": _makeup_workdays,
}


@dataclass(frozen=True)
class ModelSpec:
    """One model: its header and its query text (the Neo4j text; a store picks its own override)."""

    id: str
    title_zh: str
    title_en: str
    detects: str
    params: dict[str, dict[str, Any]]
    needs: list[str]
    level: str
    scheme: str
    match: str
    path: Path
    header: dict[str, Any] = field(repr=False, default_factory=dict)
    roles: int = 1
    #: the level rule in Chinese (``level_zh:``; a model of one's own may leave it out: its ``level`` is shown)
    level_zh: str = ""
    #: queries run before the model's own, each handing its rows to the next as ``$rows`` (``steps:``)
    steps: tuple[str, ...] = ()

    @property
    def query_name(self) -> str:
        """Name for :meth:`GraphStore.query` (``models/<file stem>``)."""
        return f"models/{self.path.name[: -len('.cypher')]}"

    def defaults(self) -> dict[str, Any]:
        """Parameter values with ``@special`` defaults resolved."""
        out = {}
        for name, p in self.params.items():
            d = p.get("default")
            out[name] = SPECIAL_DEFAULTS[d]() if isinstance(d, str) and d in SPECIAL_DEFAULTS else d
        return out


_HEADER_LINE = re.compile(r"^//( ?)(.*)$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def parse_header(text: str, path: Path | str = "<text>") -> dict[str, Any]:
    """The YAML held in a file's leading ``//`` lines."""
    lines = []
    for line in text.splitlines():
        m = _HEADER_LINE.match(line)
        if not m:
            break
        lines.append(m.group(2))
    try:
        header = yaml.load("\n".join(lines), Loader=YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise ModelError(f"{path}: header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict):
        raise ModelError(f"{path}: header must be a YAML mapping")
    return header


def body_params(text: str) -> set[str]:
    """``$params`` used in the body of a query (comments excluded)."""
    body = "\n".join(line.split("//", 1)[0] if not line.lstrip().startswith("//") else "" for line in text.splitlines())
    return set(_PARAM.findall(body))


def _spec(path: Path) -> ModelSpec:
    text = path.read_text(encoding="utf-8")
    h = parse_header(text, path)
    missing = [k for k in REQUIRED if k not in h]
    if missing:
        raise ModelError(f"{path}: header lacks {', '.join(missing)}")
    if h["id"] != path.name[: -len(".cypher")]:
        raise ModelError(f"{path}: id {h['id']!r} differs from the file name")
    params = h["params"] or {}
    if not isinstance(params, dict) or not all(
        isinstance(p, dict) and "default" in p and "doc" in p for p in params.values()
    ):
        raise ModelError(f"{path}: each parameter needs {{default: ..., doc: ...}}")
    needs = h["needs"] if isinstance(h["needs"], list) else [h["needs"]]
    roles = h.get("roles", 1)
    if not isinstance(roles, int) or isinstance(roles, bool) or roles < 1:
        raise ModelError(f"{path}: roles must be a whole number of 1 or more, got {roles!r}")
    steps = h.get("steps") or []
    if not isinstance(steps, list) or not all(isinstance(x, str) and x for x in steps):
        raise ModelError(f"{path}: steps must be a list of query names (models/{h['id']}/…), got {steps!r}")
    for name in steps:
        if not (QUERY_DIR / f"{name}.cypher").is_file():
            raise ModelError(f"{path}: step {name!r} has no query file {QUERY_DIR / name}.cypher")
    return ModelSpec(
        id=h["id"],
        title_zh=str(h["title_zh"]),
        title_en=str(h["title_en"]),
        detects=" ".join(str(h["detects"]).split()),
        params=params,
        needs=needs,
        level=" ".join(str(h["level"]).split()),
        scheme=str(h["scheme"]),
        match=str(h["match"]),
        path=path,
        header=h,
        roles=roles,
        level_zh=" ".join(str(h.get("level_zh") or "").split()),
        steps=tuple(steps),
    )


@lru_cache(maxsize=4)
def _catalog(model_dir: Path) -> tuple[ModelSpec, ...]:
    files = sorted(p for p in model_dir.glob("*.cypher") if p.name.count(".") == 1)
    return tuple(_spec(p) for p in files)


def catalog(model_dir: Path | str | None = None) -> list[ModelSpec]:
    """Every model under ``queries/models/`` (dialect overrides are not models of their own)."""
    return list(_catalog(Path(model_dir or MODEL_DIR).resolve()))


def get(model_id: str, model_dir: Path | str | None = None) -> ModelSpec:
    """The model with this id; :class:`ModelError` naming the ids there are when unknown."""
    for m in catalog(model_dir):
        if m.id == model_id:
            return m
    known = ", ".join(m.id for m in catalog(model_dir))
    raise ModelError(f"no model {model_id!r}; known: {known}")


def _text(store: GraphStore, spec: ModelSpec) -> str:
    override = spec.path.with_name(f"{spec.id}.{store.dialect}.cypher")
    return (override if override.exists() else spec.path).read_text(encoding="utf-8")


def _source_order(src: str) -> tuple[str, int]:
    name, _, row = src.rpartition(":")
    return (name, int(row)) if row.isdigit() else (src, -1)


def canonical_entities(entities: list[str], types: list[str], roles: int = 1) -> list[tuple[str, str]]:
    """A hit's (entity, type) pairs in an order that is the same on every store.

    The first ``roles`` pairs are the hit's roles (the official, then the relative …) and keep the query's
    order; the pairs after them are records the query collected, whose order no store defines (Ladybug and
    Neo4j return one hit's transactions in different orders): they are listed by type, then key, each once.

    >>> canonical_entities(["c1", "u1", "t9", "t2", "u1"], ["card", "unit", "txn", "txn", "unit"], roles=2)
    [('c1', 'card'), ('u1', 'unit'), ('t2', 'txn'), ('t9', 'txn')]
    """
    pairs = list(zip(entities, types, strict=True))
    head = pairs[:roles]
    seen = set(head)
    tail = sorted({p for p in pairs[roles:] if p not in seen}, key=lambda p: (p[1], p[0]))
    return head + tail


def run(store: GraphStore, model: ModelSpec | str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run one model; return its hits (columns ``model`` + :data:`HIT_COLUMNS`)."""
    spec = get(model) if isinstance(model, str) else model
    params = dict(params or {})
    unknown = set(params) - set(spec.params)
    if unknown:
        raise ModelError(
            f"model {spec.id}: unknown parameter(s) {', '.join(sorted(unknown))}; "
            f"it takes {', '.join(spec.params) or 'none'}"
        )
    values = {**spec.defaults(), **params}
    rows: list[dict[str, Any]] | None = None
    for name in spec.steps:
        step = store.query_text(name)
        given = {k: v for k, v in values.items() if k in body_params(step)}
        # records of Python values (pandas boxes numbers as int and float), which both stores bind as a list of maps
        rows = store.run(step, given if rows is None else {**given, "rows": rows}).to_dict("records")
        store.let_go()  # what the step held is not kept under the next one
        if not rows:  # nothing to hand on is no hit (and Ladybug types an empty list as STRING[], not maps)
            break
    if rows == []:
        out = pd.DataFrame(columns=HIT_COLUMNS)
    else:
        text = _text(store, spec)
        given = {k: v for k, v in values.items() if k in body_params(text)}
        out = store.run(text, given if rows is None else {**given, "rows": rows})
    missing = [c for c in HIT_COLUMNS if c not in out.columns]
    if missing:
        raise ModelError(f"model {spec.id}: query returns no column(s) {', '.join(missing)}")
    out = out[HIT_COLUMNS].copy()
    bad = ~out["level"].isin(LEVELS)
    if bad.any():
        raise ModelError(f"model {spec.id}: level must be one of {LEVELS}, got {sorted(set(out.loc[bad, 'level']))}")
    # a query marks the amounts and shares it writes ({money:2248.2}, {share:50.85}); they are worded here, as
    # every face writes money and shares
    out["summary"] = out["summary"].map(lambda t: figure_marks(t, "en"))
    out["summary_zh"] = out["summary_zh"].map(lambda t: figure_marks(t, "zh"))
    for col in ("entities", "types", "sources"):
        out[col] = out[col].map(lambda v: [str(x) for x in v if x is not None] if v is not None else [])
    uneven = out["entities"].map(len) != out["types"].map(len)
    if uneven.any():
        first = out[uneven].iloc[0]
        raise ModelError(
            f"model {spec.id}: entities and types must be parallel lists; {int(uneven.sum())} hit(s) differ, "
            f"e.g. key {mask_text(str(first['key']))}: {len(first['entities'])} entities, {len(first['types'])} types"
        )
    # collect() has no defined order in either store: sources in a stable order, each once; entities keep
    # the query's order for the hit's roles and list the records collected after them by type and key
    out["sources"] = out["sources"].map(lambda v: sorted(set(v), key=_source_order))
    if len(out):
        pairs = [canonical_entities(e, t, spec.roles) for e, t in zip(out["entities"], out["types"], strict=True)]
        out["entities"] = [[e for e, _ in p] for p in pairs]
        out["types"] = [[t for _, t in p] for p in pairs]
    out["key"] = out["key"].astype(str)
    if out["key"].duplicated().any():
        # a key returned twice keeps the same row on every store (the least by its contents), not whichever
        # row the store happened to return first
        rank = [json.dumps(r, ensure_ascii=False, default=str) for r in out.drop(columns="key").values.tolist()]
        out = out.assign(_rank=rank).sort_values("_rank", kind="stable").drop_duplicates("key").sort_index()
        out = out.drop(columns="_rank")
    out = out.reset_index(drop=True)
    out.insert(0, "model", spec.id)
    return out


def run_all(
    store: GraphStore,
    ids: Iterable[str] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    progress: bool = False,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Run several models (all by default); return all hits and seconds per model."""
    specs = [get(i) for i in ids] if ids else catalog()
    params = params or {}
    frames, seconds = [], {}
    it = specs
    if progress:
        from graphkit.progress import tqdm

        it = tqdm(specs, desc="models", unit="model")
    for spec in it:
        if progress:  # the model running named: one takes a minute at a million persons (plain lines name it)
            it.set_postfix_str(spec.id)
        t0 = time.perf_counter()
        frames.append(run(store, spec, params.get(spec.id)))
        # what the model's query left in the store's memory is not kept under the next one (bid_rigging's 1.9 GB
        # at a million persons was under every model after it and the evidence step)
        store.let_go()
        seconds[spec.id] = time.perf_counter() - t0
    hits = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["model", *HIT_COLUMNS])
    return hits, seconds
