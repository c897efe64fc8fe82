"""The graph view at 2,000 nodes in JupyterLab in headless Chromium: time to draw, and a click answered.

    python bench/widget_graph.py [--scale 3000] [--nodes 2000]

Builds a synthetic city, takes the 2-hop neighbourhood of its largest unit (hub cap lifted) cut to
``--nodes`` nodes nearest the seed, and shows it in :class:`graphkit.widgets.GraphView` in a notebook run
by JupyterLab, driven by ``tools/browser/drive.mjs`` (playwright-core, Debian's ``/usr/bin/chromium``).
Prints, as JSON: nodes and links drawn; ``layout_s`` (Python: igraph layout and vis items); ``drawn_ms``
(browser: from the view receiving the data to the end of its first drawing, physics off); a click on a
node: ``click_to_pick_ms`` (the browser's pick) and ``click_to_kernel_ms`` (the kernel's answer shown in
the status line).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOTEBOOK = [
    """import json, time
from pathlib import Path
import ipywidgets as W
import networkx as nx
from graphkit import paths
from graphkit.stores.embedded import EmbeddedStore
from graphkit.widgets.graph import GraphView, layout, vis_items
store = EmbeddedStore(Path("DB"), read_only=True)
unit = store.run("MATCH (o:Organization)-[r]-() RETURN o.id AS id, count(r) AS n ORDER BY n DESC LIMIT 1")["id"][0]
g = paths.neighbourhood(store, ("Organization", unit), hops=2, page_size=10_000)
keep = sorted(g, key=lambda n: (g.nodes[n].get("hop", 9), str(n)))[:NODES]
g = g.subgraph(keep).copy()
t0 = time.perf_counter(); pos = layout(g); items = vis_items(g, positions=pos); layout_s = time.perf_counter() - t0
print(json.dumps({"nodes": g.number_of_nodes(), "links": g.number_of_edges(), "layout_s": round(layout_s, 3)}))""",
    """view = GraphView(height="700px")
status = W.HTML()
status.add_class("graphkit-status")
view.observe(lambda c: setattr(status, "value", "picked " + view.picked), names="clicks")
view.show(g)
W.VBox([status, view])""",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--nodes", type=int, default=2000)
    args = ap.parse_args()
    from graphkit.stores.embedded import EmbeddedStore
    from graphkit.synth import generate
    from loaders.engine import load_dir

    with tempfile.TemporaryDirectory(prefix="graphkit-widget-bench-") as tmp:
        work = Path(tmp)
        generate(work / "city", scale=args.scale, seed=args.seed)
        with EmbeddedStore(work / "c.db") as s:
            load_dir(work / "city", s)
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [
            nbformat.v4.new_code_cell(
                c.replace('Path("DB")', f"Path({str(work / 'c.db')!r})").replace("NODES", str(args.nodes))
            )
            for c in NOTEBOOK
        ]
        nbformat.write(nb, work / "bench.ipynb")
        settings = work / "settings" / "@jupyterlab" / "docmanager-extension"
        settings.mkdir(parents=True)
        (settings / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        token = os.urandom(16).hex()
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_RUNTIME_DIR": str(work / "rt")}
        cmd = [
            str(Path(sys.executable).parent / "jupyter-lab"),
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={work / 'settings'}",
            f"--LabApp.workspaces_dir={work / 'ws'}",
            "--LabApp.news_url=",
        ] + (["--allow-root"] if os.geteuid() == 0 else [])
        with open(work / "lab.log", "w") as log:
            lab = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 180
                while True:
                    try:
                        with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                            break
                    except OSError:
                        if lab.poll() is not None or time.monotonic() > deadline:
                            tail = (work / "lab.log").read_text()[-1500:]
                            raise SystemExit(f"JupyterLab did not start: {tail}") from None
                        time.sleep(0.5)
                cfg = {"base": base, "token": token, "out": str(work), "bench": {"notebook": "bench.ipynb"}}
                (work / "cfg.json").write_text(json.dumps(cfg))
                res = subprocess.run(
                    ["node", str(ROOT / "tools" / "browser" / "drive.mjs"), str(work / "cfg.json")],
                    capture_output=True,
                    text=True,
                    timeout=900,
                )
            finally:
                lab.terminate()
                lab.wait(timeout=30)
        out = json.loads(res.stdout)
        shot = out["bench"].get("screenshot")
        if shot and Path(shot).exists():
            keep = ROOT / "out" / "bench_widget_graph.png"
            keep.parent.mkdir(exist_ok=True)
            keep.write_bytes(Path(shot).read_bytes())
            out["bench"]["screenshot"] = str(keep)
        print(json.dumps({"scale": args.scale, **out["bench"], "console_errors": out["console_errors"]}, indent=1))
        if "error" in out:
            raise SystemExit(out["error"])


if __name__ == "__main__":
    main()
