"""Relationship-path latency on the synthetic city, embedded store.

    python bench/paths.py                      # 100,000 persons, seed 7, 100 samples
    python bench/paths.py --scale 10000 --samples 50 --json out.json

Builds the city and its store once under --work (reused when present), opens the store read-only and
measures, after a warm-up of --warmup calls of each kind (Ladybug prepares each distinct query text
once per connection, as an investigator's session would):

* the 3-hop neighbourhood (page size 50) of --samples random persons: median and 90th percentile
  latency, median and largest node count;
* the shortest path (any type, at most 6 hops) between --samples random pairs of persons, between
  random pairs of entities of any of Person / Company / Organization (most such pairs are more than 6
  hops apart, so the search runs to its limit), and between pairs known to be joined within 3 hops;
* the hub cap on the node with the most links: pages 0, a middle one (by page number and by cursor)
  and the last (50 links each), and its 2-hop neighbourhood on page 0;
* the acceptance path: every planted relative_wins_tender_1hop official to the company that won the
  official's unit's tender, found and explained with the source row of each hop.

Timings are wall-clock per call (time.perf_counter), including building the networkx graph, with the
CPU time the call used (time.process_time, every thread of this process).  The machine's load average
is printed with the figures: on a shared machine the wall-clock time includes waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphkit import paths  # noqa: E402
from graphkit.stores.embedded import EmbeddedStore  # noqa: E402


def build(work: Path, scale: int, seed: int) -> tuple[Path, Path]:
    city, db = work / f"city-{scale}-{seed}", work / f"city-{scale}-{seed}.db"
    if not (city / "truth.json").exists():
        from graphkit.synth import generate

        t0 = time.perf_counter()
        generate(city, scale=scale, seed=seed)
        print(f"synth {scale:,} persons: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if not db.exists():
        from loaders.engine import load_dir

        t0 = time.perf_counter()
        store = EmbeddedStore(db)
        try:
            load_dir(city, store, progress=True)
        finally:
            store.close()
        print(f"load: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return city, db


CPU: list[float] = []  # CPU seconds (all threads of this process) of each timed call, in order


def timed(fn, *args, **kw):
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn(*args, **kw)
    CPU.append((time.process_time() - c0) * 1000)
    return (time.perf_counter() - t0) * 1000, out


def summary(ms: list[float]) -> dict:
    cpu = CPU[-len(ms) :]
    ms = sorted(ms)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p90_ms": round(ms[min(len(ms) - 1, int(0.9 * len(ms)))], 2),
        "max_ms": round(ms[-1], 2),
        "median_cpu_ms": round(statistics.median(cpu), 2),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path("/tmp/graphkit-bench/paths"))
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--json", type=Path, default=None, help="Also write the figures as JSON.")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    city, db = build(args.work, args.scale, args.seed)
    store = EmbeddedStore(db, read_only=True)
    rng = random.Random(args.seed)
    out: dict = {
        "scale": args.scale,
        "seed": args.seed,
        "samples": args.samples,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        # sorted: a scan on several threads returns the ids in varying order, and the samples must not vary
        persons = sorted(store.run("MATCH (p:Person) RETURN p.id AS id")["id"].tolist())
        firms = sorted(store.run("MATCH (c:Company) RETURN c.id AS id")["id"].tolist())
        units = sorted(store.run("MATCH (u:Organization) RETURN u.id AS id")["id"].tolist())
        mixed = (
            [("Person", p) for p in persons] + [("Company", c) for c in firms] + [("Organization", u) for u in units]
        )

        # ---- 3-hop neighbourhoods
        for p in rng.sample(persons, args.warmup):
            paths.neighbourhood(store, ("Person", p), hops=3)
        ms, sizes = [], []
        for p in rng.sample(persons, args.samples):
            t, g = timed(paths.neighbourhood, store, ("Person", p), hops=3, page_size=50)
            ms.append(t)
            sizes.append(g.number_of_nodes())
        out["neighbourhood_3hop_persons"] = {
            **summary(ms),
            "median_nodes": statistics.median(sizes),
            "max_nodes": max(sizes),
        }

        # ---- shortest paths
        for _ in range(args.warmup):
            paths.shortest_path(store, ("Person", rng.choice(persons)), ("Person", rng.choice(persons)))
        for name, pool in (
            ("shortest_path_person_pairs", [("Person", p) for p in persons]),
            ("shortest_path_mixed_pairs", mixed),
        ):
            ms, found, lengths = [], 0, []
            for _ in range(args.samples):
                a, b = rng.sample(pool, 2)
                t, p = timed(paths.shortest_path, store, a, b, max_hops=6)
                ms.append(t)
                if p is not None:
                    found += 1
                    lengths.append(len(p))
                out[name] = {
                    **summary(ms),
                    "found": found,
                    "median_hops": statistics.median(lengths) if lengths else None,
                }

        # pairs known to be joined within 3 hops: a random person and a person, company or unit drawn
        # from the far edge of its 3-hop neighbourhood (hubs are not crossed, so the pair is not trivial)
        ms, lengths, tried = [], [], 0
        while len(ms) < args.samples and tried < 20 * args.samples:
            tried += 1
            a = rng.choice(persons)
            g = paths.neighbourhood(store, ("Person", a), hops=3)
            far = sorted(
                n
                for n, d in g.nodes(data=True)
                if d["hop"] >= 2 and d["label"] in ("Person", "Company", "Organization")
            )
            if not far:
                continue
            b = rng.choice(far)
            t, p = timed(paths.shortest_path, store, ("Person", a), (g.nodes[b]["label"], b), max_hops=6)
            ms.append(t)
            lengths.append(len(p))
        out["shortest_path_connected_pairs"] = {
            **summary(ms),
            "found": len(lengths),
            "median_hops": statistics.median(lengths),
        }

        # ---- the hub cap
        hub = store.run(
            "MATCH (u:Organization)-[r]-() WITH u, count(r) AS links ORDER BY links DESC LIMIT 1 "
            "RETURN u.id AS id, u.name AS name, u.kind AS kind, links"
        )
        hid, hname, hkind, hlinks = (
            hub.iloc[0]["id"],
            hub.iloc[0]["name"],
            hub.iloc[0]["kind"],
            int(hub.iloc[0]["links"]),
        )
        g0 = paths.neighbourhood(store, ("Organization", hid), hops=1, page_size=50)
        pages = g0.graph["pages"]
        hub_out = {
            "label": "Organization",
            "id": hid,
            "name": hname,
            "kind": hkind,
            "links": hlinks,
            "pages_of_50": pages,
            "types": {},
        }
        types = store.run(
            "MATCH (u:Organization {id: $id})-[r]-() RETURN label(r) AS type, count(*) AS n ORDER BY n DESC", id=hid
        )
        hub_out["types"] = dict(zip(types["type"], map(int, types["n"]), strict=True))
        for label, page in (("first page", 0), ("middle page", pages // 2), ("last page", pages - 1)):
            ms = []
            for _ in range(max(5, args.samples // 10)):
                t, g = timed(paths.neighbourhood, store, ("Organization", hid), hops=1, page_size=50, page=page)
                ms.append(t)
            hub_out[label] = {
                **summary(ms),
                "page": page,
                "links_listed": g.number_of_edges(),
                "total_reported": g.graph["total"],
            }
        # the middle page again, reached by cursor (the last link id of the page before it)
        before = paths.neighbourhood(store, ("Organization", hid), hops=1, page_size=50, page=pages // 2 - 1)
        ms = []
        for _ in range(max(5, args.samples // 10)):
            t, g = timed(
                paths.neighbourhood,
                store,
                ("Organization", hid),
                hops=1,
                page_size=50,
                after=before.graph["next_after"],
            )
            ms.append(t)
        hub_out["middle page by cursor"] = {
            **summary(ms),
            "page": pages // 2,
            "links_listed": g.number_of_edges(),
            "total_reported": g.graph["total"],
        }
        ms = []
        for _ in range(max(5, args.samples // 10)):
            t, g = timed(paths.neighbourhood, store, ("Organization", hid), hops=2, page_size=50, page=0)
            ms.append(t)
        hub_out["2-hop, first page"] = {**summary(ms), "nodes": g.number_of_nodes(), "links": g.number_of_edges()}
        out["hub"] = hub_out

        # ---- the acceptance path
        truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
        planted = [i for i in truth["instances"] if i["scheme"] == "relative_wins_tender_1hop"]
        acc = []
        for inst in planted:
            official = inst["entities"][inst["types"].index("person")]
            company = inst["entities"][inst["types"].index("company")]
            t, p = timed(paths.shortest_path, store, ("Person", official), ("Company", company), max_hops=4)
            acc.append(
                {
                    "official": official,
                    "company": company,
                    "ms": round(t, 2),
                    "hops": len(p) if p else None,
                    "explain": paths.explain(p, store=store) if p else None,
                }
            )
        out["planted_official_to_winner"] = acc
    finally:
        store.close()
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    report(out)
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def report(o: dict) -> None:
    print(
        f"## Paths at {o['scale']:,} persons (seed {o['seed']}, {o['samples']} samples, {o['cpus']} cpus, "
        f"load average {o['load_before'][0]} before, {o['load_after'][0]} after)\n"
    )
    print("| query | median ms | p90 ms | max ms | median CPU ms | notes |\n|---|---:|---:|---:|---:|---|")

    def row(what, s, notes):
        print(f"| {what} | {s['median_ms']} | {s['p90_ms']} | {s['max_ms']} | {s['median_cpu_ms']} | {notes} |")

    n = o["neighbourhood_3hop_persons"]
    row(
        "3-hop neighbourhood, random persons (page 50)",
        n,
        f"median {n['median_nodes']} nodes, largest {n['max_nodes']}",
    )
    for key, what in (
        ("shortest_path_person_pairs", "shortest path, random person pairs (≤ 6 hops)"),
        ("shortest_path_mixed_pairs", "shortest path, random person/company/unit pairs (≤ 6 hops)"),
        ("shortest_path_connected_pairs", "shortest path, pairs joined within 3 hops (≤ 6 hops)"),
    ):
        s = o[key]
        row(what, s, f"found {s['found']}/{s['n']}, median {s['median_hops']} hops")
    h = o["hub"]
    for k in ("first page", "middle page", "middle page by cursor", "last page"):
        s = h[k]
        row(
            f"hub, {k} (page {s['page']} of {h['pages_of_50']})",
            s,
            f"{s['links_listed']} links listed, total {s['total_reported']} reported",
        )
    s = h["2-hop, first page"]
    row("hub, 2 hops on page 0", s, f"{s['nodes']} nodes, {s['links']} links")
    print(
        f"\nhub: {h['label']} {h['id']} {h['name']} ({h['kind']}), {h['links']:,} links: "
        + ", ".join(f"{t} {n:,}" for t, n in h["types"].items())
    )
    print("\n### Planted officials → the company that won their unit's tender\n")
    for a in o["planted_official_to_winner"]:
        print(f"{a['official']} → {a['company']}: {a['hops']} hops in {a['ms']} ms")
        for line in a["explain"] or ["NOT FOUND"]:
            print(f"    {line}")


if __name__ == "__main__":
    main()
