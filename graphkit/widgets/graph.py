"""The graph view of every panel: vis-network in an anywidget, clickable, grown in place.

Why this and not an iframe of pyvis's page or ipycytoscape/ipysigma: the panels need a click on a node to
come back to Python (pick it, unfold a folded group) and an expansion to *grow* the view, keeping where
the nodes already are; an iframe cannot talk back, ipycytoscape's last release is from 2022, and ipysigma
draws with WebGL, which headless Chromium without a GPU does not promise. vis-network is the library
pyvis already ships (its ``vis-network.min.js`` is read from the installed pyvis package and sent inline
in the widget's module: no network request). The layout is computed in Python (igraph's
Fruchterman-Reingold, Kamada-Kawai for small graphs) and drawn with physics off, so 2,000 nodes draw at
once instead of stabilising for seconds (``python bench/widget_graph.py`` measures it in headless
Chromium). Nodes added later (a neighbourhood grown, a folded group unfolded) are placed in Python too
(:func:`place`): each group as a disc in the free room nearest the node it hangs off, away from the drawing's
centre, clear of every node drawn; nothing already shown moves (a node the user dragged is where it was dropped).

The state is in traitlets: ``nodes`` and ``edges`` (lists of vis-network items, named by opaque tokens so
no ID number reaches the browser), ``picked`` (the token of the last node clicked; :attr:`GraphView.picked_key`
its key) and ``clicks``; the browser reports ``drawn_ms`` (time from receiving the data to
the end of drawing), ``drawn_nodes`` and the reader's time ``zone``.
"""

from __future__ import annotations

import hashlib
import math
from functools import cache
from pathlib import Path

import anywidget
import networkx as nx
import traitlets as T

from graphkit.model import Model
from graphkit.viz import _style, caption_width, edge_caption, kind_word, link_title, node_caption, tooltip, vis_loop  # noqa: F401 (caption_width: moved to viz, still read here)
from graphkit.viz import unpile as _unpile

__all__ = ["GraphView", "vis_items", "layout", "place", "legend", "module_js", "LABELS_ALWAYS", "LABEL_THRESHOLD"]

#: below this many nodes every caption is drawn at any zoom; above, only once zoomed in enough to read
LABELS_ALWAYS = 200
#: vis-network's ``drawThreshold`` (smallest caption size in screen pixels drawn) of a graph that large
LABEL_THRESHOLD = 7

_JS = r"""
const module = { exports: {} };
(function (module, exports, define) {
__VIS__
}).call(globalThis, module, module.exports, undefined);
const vis = module.exports;

function render({ model, el }) {
  // the reader's time zone: the panel says times in it (the kernel's may be a server's UTC)
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  if (zone && model.get("zone") !== zone) {
    model.set("zone", zone);
    model.save_changes();
  }
  const box = document.createElement("div");
  box.className = "graphkit-graph";
  box.style.width = "100%";
  box.style.height = model.get("height");
  box.style.border = "1px solid #ddd";
  box.style.boxSizing = "border-box"; // the border inside the 100%: the panel does not scroll sideways
  el.appendChild(box);
  const legend = document.createElement("div");
  legend.className = "graphkit-legend";
  legend.style.cssText = "display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;padding:4px 2px";
  el.appendChild(legend);
  function drawLegend() {
    legend.replaceChildren(
      ...model.get("legend").map((k) => {
        const item = document.createElement("span");
        const dot = document.createElement("span");
        dot.style.cssText =
          `display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:middle;background:${k.color};` +
          (k.shape === "dot" || k.shape === "ellipse" ? "border-radius:50%" : "border-radius:2px");
        item.append(dot, `${k.name} ${k.count}`);
        item.dataset.label = k.label;
        return item;
      }),
    );
  }
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const net = (box.__net = new vis.Network(box, { nodes, edges }, {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, hideEdgesOnDrag: true, tooltipDelay: 150 },
    nodes: {
      size: 12,
      font: { size: 12, strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 7 } },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.4 } },
      color: { color: "#9a9a9a", highlight: "#333333" },
      // horizontal at the link's middle: vis-network 9.1 draws a "middle"-aligned label of a level link at the
      // view's origin (it skips the move when the rotation is 0), on top of whatever node sits there
      font: { size: 9, align: "horizontal", strokeWidth: 3, strokeColor: "#ffffff" },
      smooth: false,
      scaling: { min: 1, max: 8, label: { enabled: false } },
    },
  }));
  function place(item) {
    if (item.x !== undefined && item.x !== null) return item;
    const a = item.anchor && nodes.get(item.anchor) ? net.getPosition(item.anchor) : { x: 0, y: 0 };
    const k = (place.n = (place.n || 0) + 1);
    const r = 90 + 14 * Math.floor(k / 12);
    return { ...item, x: a.x + r * Math.cos(k * 0.52), y: a.y + r * Math.sin(k * 0.52) };
  }
  function sync() {
    const t0 = performance.now();
    const want = model.get("nodes");
    const ids = new Set(want.map((n) => n.id));
    const gone = nodes.getIds().filter((i) => !ids.has(i));
    if (model.get("replace")) { nodes.clear(); edges.clear(); place.n = 0; } else if (gone.length) nodes.remove(gone);
    const fresh = [], kept = [];
    for (const n of want) {
      if (nodes.get(n.id)) { const { x, y, ...rest } = n; kept.push(rest); } else fresh.push(place(n));
    }
    // a large graph: no hover work on every mouse move; captions only once zoomed in enough to read (a small
    // one shows them at any zoom: draw_threshold 0)
    net.setOptions({
      interaction: { hover: want.length <= 300 },
      nodes: { scaling: { label: { drawThreshold: model.get("draw_threshold") } } },
    });
    drawLegend();
    nodes.update(kept);
    nodes.add(fresh);
    const wantE = model.get("edges");
    const eids = new Set(wantE.map((e) => e.id));
    edges.remove(edges.getIds().filter((i) => !eids.has(i)));
    edges.update(wantE);
    net.once("afterDrawing", () => {
      const ms = performance.now() - t0;
      box.dataset.drawnMs = String(ms);
      box.dataset.nodes = String(nodes.length);
      model.set("drawn_ms", ms);
      model.set("drawn_nodes", nodes.length);
      model.save_changes();
    });
    // drawn anew, or grown out of sight (placed beyond the drawing): the whole drawing in view
    const seen = (n) => {
      const p = net.canvasToDOM({ x: n.x, y: n.y });
      return p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight;
    };
    if (model.get("replace") || fresh.length === want.length || !fresh.every(seen))
      net.fit({ animation: false, maxZoomLevel: 1.6 });
    net.redraw();
  }
  // a node dragged elsewhere: Python places what grows later around where it is now
  net.on("dragEnd", (p) => {
    if (!p.nodes.length) return;
    const at = net.getPositions(p.nodes);
    const moved = { ...model.get("moved") };
    for (const [id, xy] of Object.entries(at)) moved[id] = [xy.x, xy.y];
    model.set("moved", moved);
    model.save_changes();
  });
  net.on("click", (p) => {
    if (!p.nodes.length) return;
    model.set("picked", String(p.nodes[0]));
    model.set("clicks", model.get("clicks") + 1);
    model.save_changes();
    box.dataset.picked = String(p.nodes[0]);
  });
  // a view drawn while hidden (another tab) has no size: fit it when it gets one
  let sized = box.clientWidth > 0;
  new ResizeObserver(() => {
    if (box.clientWidth > 0 && !sized) {
      sized = true;
      net.setSize("100%", model.get("height")); // vis-network reads its container's size again
      net.fit({ animation: false, maxZoomLevel: 1.6 });
    } else if (box.clientWidth === 0) sized = false;
  }).observe(box);
  model.on("change:nodes", sync);
  model.on("change:edges", sync);
  sync();
  return () => net.destroy();
}
export default { render };
"""


@cache
def module_js() -> str:
    """The widget's JavaScript module: vis-network (from the installed pyvis) and the view's code."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return _JS.replace("__VIS__", lib.read_text(encoding="utf-8"))


def layout(
    g: nx.MultiDiGraph,
    *,
    seed: int = 0,
    spacing: float = 110.0,
    captions: dict[str, str] | None = None,
    ends: tuple[str, str] | None = None,
) -> dict[str, tuple[float, float]]:
    """Node positions in pixels: Kamada-Kawai up to 150 nodes, Fruchterman-Reingold above (igraph, seeded),
    scaled so that neighbours sit about ``spacing`` pixels apart (room for their captions); with ``ends`` (a path's
    start and end) turned so that the start is on the left and the end level with it on the right, as the path's
    numbered explanation reads; with ``captions`` (key → the caption drawn under the node) and fewer than
    :data:`LABELS_ALWAYS` nodes, nodes whose captions would overlap are pushed apart (:func:`_unpile`)."""
    xy = _laid_out(g, seed=seed, spacing=spacing)
    if ends is not None and ends[0] in xy and ends[1] in xy and ends[0] != ends[1]:
        xy = _left_to_right(xy, *ends)
    if captions and 1 < len(xy) < LABELS_ALWAYS:
        xy = _unpile(xy, captions)
    return xy


def _left_to_right(xy: dict[str, tuple[float, float]], start: str, end: str) -> dict[str, tuple[float, float]]:
    """``xy`` turned about ``start`` so that ``end`` lies level on its right (distances kept). A path had been
    drawn with its start on the right, reversing the numbered explanation above it."""
    (x0, y0), (x1, y1) = xy[start], xy[end]
    a = -math.atan2(y1 - y0, x1 - x0)
    c, s = math.cos(a), math.sin(a)
    return {k: (x0 + (x - x0) * c - (y - y0) * s, y0 + (x - x0) * s + (y - y0) * c) for k, (x, y) in xy.items()}


def _laid_out(g: nx.MultiDiGraph, *, seed: int = 0, spacing: float = 110.0) -> dict[str, tuple[float, float]]:
    """:func:`layout` before captions are made room for."""
    import random

    import igraph as ig

    nodes = list(g)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in g.edges() if u != v}
    h = ig.Graph(n=len(nodes), edges=sorted(pairs))
    random.seed(seed)
    coords = h.layout_kamada_kawai() if len(nodes) <= 150 else h.layout_fruchterman_reingold(niter=300)
    xy = [tuple(c) for c in coords]
    if pairs:
        mean = sum(math.dist(xy[a], xy[b]) for a, b in pairs) / len(pairs)
    else:
        mean = 1.0
    if len(nodes) <= 40:  # a small graph has room: wider apart, for its captions
        spacing *= 1.6
    s = spacing / mean if mean > 0 else spacing
    # and room for every node: a hub's hundreds of leaves spread over about spacing² each, not packed in a disc
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    side = max(max(xs) - min(xs), max(ys) - min(ys))
    if side > 0:
        s = max(s, spacing * math.sqrt(len(nodes)) / side)
    return {n: (xy[i][0] * s, xy[i][1] * s) for n, i in index.items()}


#: the golden angle: consecutive points of a sunflower spiral turn by it, so none lines up with another
_GOLDEN = math.pi * (3 - math.sqrt(5))
#: nearest-neighbour distance of the unit sunflower spiral (points at radius sqrt(k + 0.5), angle k·golden angle)
_SUNFLOWER_STEP = 1.546


def place(
    drawn: dict[str, tuple[float, float]],
    groups: dict[str | None, list[str]],
    *,
    at: dict[str, tuple[float, float]] | None = None,
    gap: float = 100.0,
) -> dict[str, tuple[float, float]]:
    """Positions for nodes added to a drawing, nothing drawn moved.

    Each group (the key of the node it hangs off → the new nodes) is laid out as a sunflower disc, its nodes about
    ``gap`` pixels apart, in the free room nearest that node: on the side away from the drawing's centre where
    there is room, else turned round it or further out, so that no new node comes within ``0.9 * gap`` of a node
    drawn or placed before. The unfolded members of a folded node had been drawn in one ring 90 px round the centre
    (the next twelve 14 px further out at nearly the same angles), on top of each other, their captions one blot.

    Parameters
    ----------
    drawn : dict
        Where the nodes that stay are (key → x, y): the obstacles.
    groups : dict
        The new nodes per anchor (``None``: the drawing's centre).
    at : dict, optional
        Where anchors not in ``drawn`` were (a folded node just unfolded, gone from the drawing).
    gap : float
        Distance kept between nodes, in pixels (room for a caption).

    Example
    -------
    >>> xy = place({"a": (0.0, 0.0), "b": (200.0, 0.0)}, {"b": ["c", "d"]})
    >>> sorted(xy), all(x > 200 for x, _ in xy.values())  # beyond b, away from the centre
    (['c', 'd'], True)
    """
    import numpy as np

    obstacles = np.array(list(drawn.values()), dtype=float).reshape(-1, 2)
    centre = obstacles.mean(axis=0) if len(obstacles) else np.zeros(2)
    known = {**(at or {}), **drawn}
    c = gap / _SUNFLOWER_STEP
    placed: dict[str, tuple[float, float]] = {}
    for anchor, new in groups.items():
        if not new:
            continue
        a = np.array(known.get(anchor, tuple(centre)) if anchor is not None else centre, dtype=float)
        k = np.arange(len(new))
        disc = np.c_[np.cos(k * _GOLDEN), np.sin(k * _GOLDEN)] * (c * np.sqrt(k + 0.5))[:, None]
        radius = c * math.sqrt(len(new))
        out = a - centre
        base = math.atan2(out[1], out[0]) if math.hypot(*out) > 1 else 0.0
        # the sixteen directions round the anchor, the one away from the centre first
        turns = sorted(
            (base + i * math.pi / 8 for i in range(16)), key=lambda t: abs(math.remainder(t - base, math.tau))
        )
        pts = disc + a
        for step in range(60):  # further out, half a gap at a time, until a turn has room
            d = radius + gap * (1 + step / 2)
            for t in turns:
                pts = disc + a + d * np.array([math.cos(t), math.sin(t)])
                if _clear(pts, obstacles, 0.9 * gap):
                    break
            else:
                continue
            break
        placed.update({key: (float(x), float(y)) for key, (x, y) in zip(new, pts, strict=True)})
        obstacles = np.vstack([obstacles, pts])
    return placed


def _clear(pts, obstacles, dist: float) -> bool:
    """Whether no point of ``pts`` is within ``dist`` of an obstacle (those outside the points' box looked past)."""
    import numpy as np

    if not len(obstacles):
        return True
    lo, hi = pts.min(axis=0) - dist, pts.max(axis=0) + dist
    near = obstacles[np.all((obstacles >= lo) & (obstacles <= hi), axis=1)]
    if not len(near):
        return True
    d2 = ((pts[:, None, :] - near[None, :, :]) ** 2).sum(axis=2)
    return bool(d2.min() >= dist * dist)


def vis_items(
    g: nx.MultiDiGraph,
    *,
    model: Model | None = None,
    lang: str = "zh",
    unmask: bool = False,
    token=str,
    positions: dict[str, tuple[float, float]] | None = None,
    anchors: dict[str, str] | None = None,
) -> tuple[list[dict], list[dict]]:
    """vis-network nodes and edges for ``g``: captions and link names in ``lang`` from the model, one colour
    and shape per kind, personal keys masked, weighted links wider, positions where given. ``token`` names a
    node for the browser (the view passes opaque tokens, so no key leaves the kernel)."""
    model = model or Model.default()
    nodes = []
    for n, a in g.nodes(data=True):
        label = a.get("label", "")
        style = _style(model, label)
        item = {
            "id": token(n),
            "label": node_caption(n, a, model=model, lang=lang, unmask=unmask),
            "title": tooltip(n, a, model=model, lang=lang, unmask=unmask),
            "color": style["color"],
            "shape": style["shape"],
            "group": label,
        }
        if a.get("folded"):
            # dark and larger: white on the light colours of salary or payment rows could not be read
            item.update(shape="box", borderWidth=2, font={"color": "#222222", "size": 15, "strokeWidth": 0})
        if a.get("hop") == 0 or a.get("entity"):
            item.update(size=18, borderWidth=3)
        if positions and n in positions:
            item["x"], item["y"] = positions[n]
        elif anchors and n in anchors and anchors[n] is not None:
            item["anchor"] = token(anchors[n])
        nodes.append(item)
    edges, loops = [], {}
    for u, v, k, a in g.edges(keys=True, data=True):
        item = {
            "id": f"{token(u)}|{token(v)}|{hashlib.sha1(str(k).encode()).hexdigest()[:12]}",
            "from": token(u),
            "to": token(v),
            "label": edge_caption(a, model=model, lang=lang),
            "title": link_title(a, lang=lang),
        }
        if a.get("weight"):
            item["value"] = float(a["weight"])
        item.update(vis_loop(u, v, loops))
        edges.append(item)
    return nodes, edges


def legend(g: nx.MultiDiGraph, *, model: Model | None = None, lang: str = "zh") -> list[dict]:
    """The kinds of node in ``g``, most first: ``label``, ``name`` (in ``lang``), ``color`` and ``shape`` as
    drawn, and ``count`` (a folded node counts its members)."""
    model = model or Model.default()
    counts: dict[str, int] = {}
    for _, a in g.nodes(data=True):
        label = a.get("label", "")
        counts[label] = counts.get(label, 0) + int(a.get("folded") or 1)
    out = []
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        style = _style(model, label)
        name = kind_word(label, lang, model)  # a bid document's trace in lang alone too
        out.append({"label": label, "name": name, "color": style["color"], "shape": style["shape"], "count": n})
    return out


class GraphView(anywidget.AnyWidget):
    """A clickable graph (see the module doc); :meth:`show` draws a graph anew, :meth:`grow` adds to it.

    Parameters
    ----------
    height : str, default "560px"
        CSS height of the drawing.
    model : Model, optional
        The graph model (names, colours).
    lang : {"zh", "en"}, default "zh"
        Language of captions and link names.
    """

    _esm = module_js()
    nodes = T.List(T.Dict()).tag(sync=True)
    edges = T.List(T.Dict()).tag(sync=True)
    replace = T.Bool(True).tag(sync=True)
    height = T.Unicode("560px").tag(sync=True)
    picked = T.Unicode("").tag(sync=True)
    clicks = T.Int(0).tag(sync=True)
    drawn_ms = T.Float(0.0).tag(sync=True)
    drawn_nodes = T.Int(0).tag(sync=True)
    draw_threshold = T.Int(LABEL_THRESHOLD).tag(sync=True)
    legend = T.List(T.Dict()).tag(sync=True)
    #: nodes the user dragged (token → [x, y]), reported by the browser
    moved = T.Dict().tag(sync=True)
    #: the reader's time zone (IANA name, ``Asia/Shanghai``), reported by the browser; "" before it is drawn
    zone = T.Unicode("").tag(sync=True)

    def __init__(
        self, *, height: str = "560px", model: Model | None = None, lang: str = "zh", unmask: bool = False, **kwargs
    ) -> None:
        super().__init__(height=height, **kwargs)
        self.model = model or Model.default()
        self.lang = lang
        self.unmask = unmask
        self.graph: nx.MultiDiGraph | None = None
        self._tokens: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self._xy: dict[str, tuple[float, float]] = {}  # where each node drawn so far is (or was last)
        self.observe(self._on_moved, names="moved")

    def _on_moved(self, change) -> None:
        for token, xy in (change["new"] or {}).items():
            key = self._keys.get(token)
            if key is not None and isinstance(xy, list | tuple) and len(xy) == 2:
                self._xy[key] = (float(xy[0]), float(xy[1]))

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Where each node of the drawing is, by key (as laid out, placed or dragged)."""
        return {n: self._xy[n] for n in (self.graph or ()) if n in self._xy}

    def __repr__(self) -> str:
        # what a notebook's text/plain holds: stable between runs and stores (no memory address)
        return f"GraphView({len(self.nodes)} nodes, {len(self.edges)} links)"

    def token(self, key) -> str:
        """The opaque name of a node in the browser (``n0``, ``n1`` …): no key leaves the kernel."""
        key = str(key)
        t = self._tokens.get(key)
        if t is None:
            t = self._tokens[key] = f"n{len(self._tokens)}"
            self._keys[t] = key
        return t

    def key(self, token: str) -> str | None:
        """The node key behind a token (``picked`` holds a token)."""
        return self._keys.get(token)

    @property
    def picked_key(self) -> str | None:
        """The key of the node clicked last."""
        return self.key(self.picked)

    def show(self, g: nx.MultiDiGraph, *, ends: tuple[str, str] | None = None) -> None:
        """Draw ``g`` anew, laid out in Python (a path's ``ends``, start and end: the start on the left)."""
        self.graph = g
        nodes, edges = vis_items(g, model=self.model, lang=self.lang, unmask=self.unmask, token=self.token)
        # laid out with room for each node's caption (the captions vis_items drew, in the graph's order)
        captions = {n: item["label"] for n, item in zip(g.nodes, nodes, strict=True)}
        positions = layout(g, captions=captions, ends=ends)
        self._xy = dict(positions)
        for n, item in zip(g.nodes, nodes, strict=True):
            item["x"], item["y"] = positions[n]
        with self.hold_sync():
            self.replace = True
            self._dressing(g)
            self.nodes, self.edges = nodes, edges

    def _dressing(self, g: nx.MultiDiGraph) -> None:
        """The legend of ``g`` and its caption threshold (every caption drawn for a small graph)."""
        self.legend = legend(g, model=self.model, lang=self.lang)
        self.draw_threshold = 0 if g.number_of_nodes() < LABELS_ALWAYS else LABEL_THRESHOLD

    def grow(self, g: nx.MultiDiGraph, anchor: str | None = None, *, origin: str | None = None) -> None:
        """Show ``g`` keeping the nodes already drawn where they are; new nodes are placed (:func:`place`) next to
        the neighbour they were reached from (else ``anchor``), or, for the members of a folded node unfolded, where
        that node was (``origin``). A node drawn before and shown again (a relationship type toggled back on) comes
        back where it was."""
        old = self.graph
        if old is None:
            self.show(g)
            return
        stay = {n: self._xy[n] for n in g if n in old and n in self._xy}
        back = {n: self._xy[n] for n in g if n not in old and n in self._xy and origin is None}
        groups: dict[str | None, list[str]] = {}
        anchors = {}
        for n in g:
            if n in stay or n in back:
                continue
            near = next((m for m in nx.all_neighbors(g, n) if m in old), None)
            anchors[n] = near if near is not None else anchor
            groups.setdefault(origin if origin in self._xy else anchors[n], []).append(n)
        placed = place({**stay, **back}, groups, at=self._xy)
        self._xy.update(back | placed)
        self.graph = g
        nodes, edges = vis_items(
            g,
            model=self.model,
            lang=self.lang,
            unmask=self.unmask,
            positions={**back, **placed},
            anchors=anchors,
            token=self.token,
        )
        with self.hold_sync():
            self.replace = False
            self._dressing(g)
            self.nodes, self.edges = nodes, edges

    def clear(self) -> None:
        """Draw nothing."""
        self.graph = None
        with self.hold_sync():
            self.replace = True
            self.legend = []
            self.nodes, self.edges = [], []
