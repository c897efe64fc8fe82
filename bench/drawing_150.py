"""CPU seconds and peak memory of drawing a unit's 150 nodes for print, one checkout against another, side by side in
one run: the case file's first page (:func:`graphkit.exports.printed._first_page`, A4) and a portrait's map
(:func:`graphkit.viz.to_image` at the portrait's width, ``MAP_WIDTH``), with how many of the drawing's texts (names,
numbers, links' labels) overlap another and how many nodes are numbered.

    python bench/drawing_150.py                          # this checkout
    python bench/drawing_150.py --against /work/main     # that checkout first, then this one
    python bench/drawing_150.py --rounds 3

Each round runs in a fresh interpreter with the checkout first on ``PYTHONPATH``; its CPU (user + sys) and peak
resident memory are its own (``resource.getrusage(RUSAGE_SELF)``), imports included; the drawing's CPU is the time
from the drawing's start until it is measured (before a PNG is written). A machine shared
with other work changes the wall times, not much the CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, re, sys, tempfile, time
from itertools import combinations
from pathlib import Path

import matplotlib
import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from graphkit.exports import CaseInfo, drawing
from graphkit.exports.printed import A4, _first_page
from graphkit.model import Model
from graphkit.portrait_render import MAP_WIDTH
from graphkit.viz import cjk_font, to_image

# a unit (the subject), its 50 employees, their 50 companies and 49 phones: 150 nodes
g = nx.MultiDiGraph()
unit = "11320582MB0000000X"
g.add_node(unit, label="Organization", name="张家港市教育局", hop=0)
for k in range(50):
    person, phone, co = f"3205821980010{k:04d}", f"1391234{k:04d}", f"91320582MA{k:04d}XXXX"
    g.add_node(person, label="Person", name=f"{'王李张刘陈杨黄赵周吴'[k % 10]}{'伟芳娜敏静'[k % 5]}{k}", hop=1)
    g.add_edge(person, unit, type="EMPLOYED_BY", src_file="roster.csv", src_row=2 + k)
    g.add_node(co, label="Company", name=f"张家港{'锦盛辉德昌'[k % 5]}{k}贸易有限公司", hop=2)
    g.add_edge(person, co, type="SHAREHOLDER_OF", src_file="shareholders.csv", src_row=2 + k)
    if k < 49:
        g.add_node(phone, label="Phone", hop=2)
        g.add_edge(person, phone, type="HAS_PHONE", src_file="persons.csv", src_row=2 + k)


def measure(fig, ax):
    renderer = FigureCanvasAgg(fig).get_renderer()
    texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    numbered = sum(bool(re.fullmatch(r"#\d+", t.get_text())) for t in texts if isinstance(t, Annotation))
    return int(sum(a.overlaps(b) for a, b in combinations(boxes, 2))), numbered


what = sys.argv[1]
out = {}
t = time.process_time()
if what == "case_file":
    with matplotlib.rc_context({"font.family": [cjk_font(), "DejaVu Sans"]}):
        fig = Figure(figsize=A4)
        _first_page(fig, drawing(g), CaseInfo("苏纪2024-017", "王科长"), Model.default(), A4[1])
        out["draw_cpu"] = time.process_time() - t
        out["overlaps"], out["numbered"] = measure(fig, max(fig.axes, key=lambda a: len(a.texts)))
else:
    real = Figure.savefig

    def keep(fig, *args, **kwargs):
        out["draw_cpu"] = time.process_time() - t
        out["overlaps"], out["numbered"] = measure(fig, fig.axes[0])
        return real(fig, *args, **kwargs)

    Figure.savefig = keep
    with tempfile.TemporaryDirectory() as d:
        to_image(g, Path(d) / "map.png", title="张家港市教育局", dpi=200, width=MAP_WIDTH, listed=[])
import resource

use = resource.getrusage(resource.RUSAGE_SELF)
out["cpu"], out["peak_mib"] = use.ru_utime + use.ru_stime, use.ru_maxrss / 1024
print(json.dumps(out))
"""


def run(checkout: Path, what: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, what], env=env, cwd=checkout, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", type=Path, help="another checkout, measured first (e.g. /work/main)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    checkouts = ([args.against.resolve()] if args.against else []) + [ROOT]
    print("checkout\tdrawing\tround\tCPU s (process)\tCPU s (drawing)\tpeak MiB\toverlapping texts\tnumbered")
    for what in ("case_file", "portrait_map"):
        for r in range(args.rounds):
            for c in checkouts:
                x = run(c, what)
                print(
                    f"{c}\t{what}\t{r + 1}\t{x['cpu']:.2f}\t{x['draw_cpu']:.2f}\t{x['peak_mib']:.0f}\t"
                    f"{x['overlaps']}\t{x['numbered']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
