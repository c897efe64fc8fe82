"""Synthetic city generator: source tables with planted schemes and known ground truth.

One prefecture (苏州市, plates 苏E, area code 0512) with ``scale`` persons and
everything else in proportion: units, roster, companies, tenders and bids,
vehicles, fuel cards, GPS stops, car parks, payments, benefits, custody,
village labour, receptions, invoices, 12345 tickets.  Every scheme of the
mission is planted with decoys; ``truth.json`` lists them with the natural
keys of the entities involved, ``dirty.json`` lists the dirty rows.

Example
-------
>>> import tempfile
>>> from graphkit.synth import generate
>>> with tempfile.TemporaryDirectory() as d:
...     summary = generate(d, scale=2000, seed=1, dirty_rate=0)
>>> summary["rows"]["household"]
2000
>>> summary["planted"]["bid_rigging"] >= 1
True
"""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graphkit.model import calendar
from graphkit.model.calendar import HOLIDAY_NAMES, HOLIDAYS, MAKEUP_WORKDAYS, is_working_day
from loaders.contracts import Source

from .plant import RATE, instances_per_scheme
from .schemes import SCHEMES
from .unmodelled import UNMODELLED

__all__ = [
    "HOLIDAYS",
    "HOLIDAY_NAMES",
    "MAKEUP_WORKDAYS",
    "SCHEME_NAMES",
    "UNMODELLED",
    "calendar",
    "generate",
    "instances_per_scheme",
    "is_working_day",
]

#: every modelled scheme name planted (and used in truth.json); :data:`UNMODELLED` names the schemes no model targets
SCHEME_NAMES: tuple[str, ...] = tuple(SCHEMES)
_BOM = b"\xef\xbb\xbf"


def _e1(city) -> np.ndarray:
    """Roster people and their relatives one family hop away."""
    from .people import family_csr

    n = len(city.persons)
    m = np.zeros(n, dtype=bool)
    m[city.roster["person"]] = True
    off, dst, _ = family_csr(city)
    src = np.repeat(np.arange(n), np.diff(off))
    e1 = m.copy()
    e1[dst[m[src]]] = True
    return e1


def build_city(scale: int, seed: int, *, progress: bool = False, rate: float = RATE):
    """The integer city with schemes planted (before strings are made); ``rate``: instances of each scheme per
    10,000 persons."""
    from graphkit.progress import tqdm

    from . import business, checks, people, plant, unmodelled, vehicles, welfare
    from .world import City

    ss = np.random.SeedSequence(seed)
    city = City(scale=scale, seed=seed, rng=np.random.default_rng(ss.spawn(1)[0]), rate=float(rate))
    steps = [
        ("units", people.build_units),
        ("persons", people.build_persons),
        ("family", people.build_family),
        ("roster", people.build_roster),
        ("E1", lambda c: c.extra.__setitem__("E1", _e1(c))),
        ("companies", business.build_companies),
        ("company people", business.build_company_people),
        ("licences", lambda c: business.build_licences(c, c.extra["E1"])),
        ("tenders", business.build_tenders),
        ("clean awards", checks.sanitize_awards),
        ("vehicles", vehicles.build_vehicles),
        ("places", vehicles.build_places),
        ("fuel", vehicles.build_fuel),
        ("gps", vehicles.build_gps),
        ("parking", vehicles.build_parking),
        ("custody", welfare.build_custody),
        ("benefits", welfare.build_benefits),
        ("labour", welfare.build_labour),
        ("receptions", welfare.build_receptions),
        ("hotline", welfare.build_hotline),
        ("plant", lambda c: c.extra.__setitem__("plant_counts", plant.plant_all(c))),
        ("plant unmodelled", unmodelled.plant_unmodelled),
        ("clean awards again", lambda c: checks.sanitize_awards(c, only_background=True)),
        ("contract invoices", welfare.build_contract_invoices),
        ("payments", welfare.build_payments),
        ("unmodelled payments", unmodelled.plant_payments),
    ]
    timings = {}
    for name, fn in tqdm(steps, desc="city", disable=not progress, leave=False):
        t = time.perf_counter()
        fn(city)
        timings[name] = round(time.perf_counter() - t, 2)
    city.extra["timings"] = timings
    return city


def generate(
    out_dir,
    *,
    scale: int,
    seed: int,
    dirty_rate: float = 0.01,
    fmt: str = "csv",
    progress: bool = False,
    rate: float = RATE,
) -> dict:
    """Write one file per source contract, ``truth.json`` and ``dirty.json`` into ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Created if missing; existing files of the same names are overwritten.
    scale : int
        Persons in ``household``; everything else scales with it (1,000 … 10,000,000).
    seed : int
        Same seed → byte-identical files.
    dirty_rate : float
        Share of dirty rows per file (0 disables).
    fmt : {"csv", "parquet"}
        CSV is UTF-8 with BOM and the contracts' Chinese headers.
    progress : bool
        Show tqdm progress bars.
    rate : float
        Instances (and as many decoys) of each scheme per 10,000 persons, at least one each.  The default, 5,
        gives the collision models enough instances to measure; at 0.1 (one instance per scheme up to 100,000
        persons) 7-9 % of units are implicated in some instance, the prevalence a patrol ranking is meant for
        (``bench/risk_eval.py --rate``).

    Returns
    -------
    dict
        ``rows`` per file, ``planted`` / ``decoys`` per scheme, ``dirty`` counts per file and kind, ``files``,
        ``seconds`` and per-step ``timings``.
    """
    if int(scale) < 1000:
        raise ValueError(f"scale must be at least 1,000 persons, got {scale}")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
    if not 0 <= dirty_rate < 0.5:
        raise ValueError(f"dirty_rate must be in [0, 0.5), got {dirty_rate}")
    if not 0 < rate <= 50:
        raise ValueError(f"rate must be in (0, 50] instances per 10,000 persons, got {rate}")
    gc_on = gc.isenabled()
    gc.disable()  # millions of small objects: cyclic GC passes would cost more than the work itself
    try:
        return _generate(
            out_dir, scale=scale, seed=seed, dirty_rate=dirty_rate, fmt=fmt, progress=progress, rate=float(rate)
        )
    finally:
        if gc_on:
            gc.enable()


def _generate(out_dir, *, scale: int, seed: int, dirty_rate: float, fmt: str, progress: bool, rate: float) -> dict:
    from graphkit.progress import tqdm
    from loaders.contracts import load_contracts

    from .dirty import ERROR_KINDS, FIXABLE_KINDS
    from .output import SOURCE_OF, prepare, resolve_truth

    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    contracts = load_contracts()
    missing = set(contracts) - set(SOURCE_OF)
    if missing:
        raise RuntimeError(f"no generator for source contracts {sorted(missing)}")
    city = build_city(int(scale), int(seed), progress=progress, rate=rate)
    t1 = time.perf_counter()
    ctx = prepare(city, int(seed))
    truth = resolve_truth(ctx)
    timings = dict(city.extra["timings"], prepare=round(time.perf_counter() - t1, 2))
    rows: dict[str, int] = {}
    dirty: dict[str, dict] = {}
    files: dict[str, str] = {}
    for i, kind in enumerate(tqdm(sorted(contracts), desc="files", disable=not progress)):
        t2 = time.perf_counter()
        path = out / f"{kind}.{fmt}"
        n, report = _write_kind(ctx, kind, contracts[kind], path, fmt, dirty_rate, int(seed), i)
        rows[kind] = n
        files[kind] = str(path)
        dirty[kind] = report
        timings[f"write {kind}"] = round(time.perf_counter() - t2, 2)
    counts = city.extra["plant_counts"]
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    dirty_doc = {
        "seed": int(seed),
        "scale": int(scale),
        "dirty_rate": dirty_rate,
        "error_kinds": list(ERROR_KINDS),
        "fixable_kinds": list(FIXABLE_KINDS),
        "row_numbering": "spreadsheet: header = row 1, first data row = row 2",
        "files": {
            k: {"rows": rows[k], "counts": {d: len(v) for d, v in r.items()}, "dirty": r} for k, r in dirty.items()
        },
    }
    (out / "dirty.json").write_text(json.dumps(dirty_doc, ensure_ascii=False), encoding="utf-8")
    return {
        "out_dir": str(out),
        "seed": int(seed),
        "scale": int(scale),
        "rate": rate,
        "format": fmt,
        "files": files,
        "rows": rows,
        "planted": {k: v["instances"] for k, v in counts.items()},
        "decoys": {k: v["decoys"] for k, v in counts.items()},
        "skipped": {k: v["skipped"] for k, v in counts.items() if v["skipped"]},
        "dirty": {k: {d: len(v) for d, v in r.items()} for k, r in dirty.items()},
        "seconds": round(time.perf_counter() - t0, 2),
        "timings": timings,
    }


CHUNK_ROWS = 1_000_000


def _write_kind(
    ctx, kind: str, spec: Source, path: Path, fmt: str, rate: float, seed: int, index: int
) -> tuple[int, dict]:
    """Write one source table chunk by chunk; returns (rows written, dirty report)."""
    from .dirty import inject
    from .output import BUILDERS, SOURCE_OF, protect

    name = SOURCE_OF[kind]
    order = ctx.order[name]
    guard = protect(ctx, kind)[order]
    zh = [c.zh for c in spec.columns.values()]
    styles = ("none", "needed") if fmt == "csv" else (None,)
    for style in styles:  # CSV: unquoted unless a value holds a comma, quote or newline
        rng = np.random.default_rng([seed, 2, index])
        report: dict[str, list] = {}
        written = 0
        writer = None
        sink = pa.OSFile(str(path), "wb")
        try:
            if fmt == "csv":
                sink.write(_BOM)
            starts = range(0, max(len(order), 1), CHUNK_ROWS)
            for a in starts:
                rows = order[a : a + CHUNK_ROWS]
                cols = BUILDERS[kind](ctx, rows)
                table, rep = inject(cols, guard[a : a + CHUNK_ROWS], spec, rng, rate, row_offset=written)
                table = table.rename_columns(zh)
                if writer is None:
                    schema = table.schema
                    writer = (
                        pacsv.CSVWriter(sink, schema, write_options=pacsv.WriteOptions(quoting_style=style))
                        if fmt == "csv"
                        else pq.ParquetWriter(sink, schema)
                    )
                else:
                    table = table.cast(schema)
                writer.write_table(table)
                written += table.num_rows
                for k, v in rep.items():
                    report.setdefault(k, []).extend(v)
            writer.close()
            sink.close()
            return written, report
        except pa.ArrowInvalid:
            sink.close()
            if style != "none":
                raise
    raise AssertionError("unreachable")  # pragma: no cover
