"""A list to pick one entry from, each entry whole: wrapped in the panel's width, its whole text its hover title.

An ipywidgets ``Select`` draws each entry on one line and cuts it at the box's edge, with no title and no way to
scroll to the rest: a bidder community's reasons ("9 of its 9 joint tenders score risk ≥ 0.5 …; 17 of 28 member
pairs share identifiers: …") could not be read in the list. :class:`ListBox` keeps a ``Select``'s Python face
(``options`` as (label, value) pairs, ``value``, ``rows``; observe ``value``) and draws the entries in an
anywidget: each wraps, carries its whole text as its ``title``, and a click or the arrow keys pick it.

The state is in traitlets: ``labels`` and ``index`` go to the browser (no value does: a value may be a key the
browser needs not see); ``options`` and ``value`` stay in the kernel.
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets as T

__all__ = ["ListBox"]

_JS = r"""
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "graphkit-listbox";
  box.tabIndex = 0;
  box.setAttribute("role", "listbox");
  box.style.cssText =
    "overflow-y:auto;border:1px solid var(--jp-border-color1,#bdbdbd);box-sizing:border-box;width:100%;" +
    "font-size:var(--jp-widgets-font-size,13px);line-height:1.45;outline:none;background:var(--jp-layout-color1,#fff)";
  el.appendChild(box);
  function draw() {
    const index = model.get("index");
    box.style.maxHeight = `${model.get("rows") * 2.2}em`;
    box.replaceChildren(
      ...model.get("labels").map((text, i) => {
        const item = document.createElement("div");
        item.className = "graphkit-listbox-item";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", String(i === index));
        item.dataset.index = String(i);
        item.title = text; // the whole entry on hover, as well as wrapped in the list
        item.textContent = text;
        item.style.cssText =
          "padding:2px 6px;white-space:normal;overflow-wrap:anywhere;cursor:pointer;" +
          "border-bottom:1px solid var(--jp-border-color3,#eee);" +
          (i === index ? "background:var(--jp-brand-color1,#1976d2);color:#fff" : "");
        return item;
      }),
    );
    const picked = box.children[index];
    if (picked) picked.scrollIntoView({ block: "nearest" });
  }
  function pick(i) {
    const n = model.get("labels").length;
    if (i < 0 || i >= n || i === model.get("index")) return;
    model.set("index", i);
    model.save_changes();
  }
  box.addEventListener("click", (e) => {
    const item = e.target.closest(".graphkit-listbox-item");
    if (item) pick(Number(item.dataset.index));
  });
  box.addEventListener("keydown", (e) => {
    const i = model.get("index");
    if (e.key === "ArrowDown") pick(i === null ? 0 : i + 1);
    else if (e.key === "ArrowUp") pick(i === null ? 0 : i - 1);
    else return;
    e.preventDefault();
  });
  model.on("change:labels", draw);
  model.on("change:index", draw);
  model.on("change:rows", draw);
  draw();
}
export default { render };
"""


class ListBox(anywidget.AnyWidget):
    """Pick one of ``options`` ((label, value) pairs), each label shown whole (see the module doc).

    Parameters
    ----------
    options : sequence of (str, object)
        The entries and the value each stands for.
    rows : int, default 8
        About how many one-line entries show before the list scrolls.

    Example
    -------
    >>> box = ListBox(options=[("#1 · risk 0.97 · " + "a long reason; " * 20, 1), ("#2", 2)])
    >>> box.value = 2
    >>> box.index, box.labels[0].endswith("a long reason; ")
    (1, True)
    """

    _esm = _JS
    labels = T.List(T.Unicode()).tag(sync=True)
    index = T.Int(None, allow_none=True).tag(sync=True)
    rows = T.Int(8).tag(sync=True)
    options = T.List()
    value = T.Any(None, allow_none=True)

    def __init__(self, *, options=(), **kwargs) -> None:
        super().__init__(**kwargs)
        self.options = list(options)

    @T.validate("options")
    def _pairs(self, proposal) -> list[tuple[str, Any]]:
        return [(str(label), value) for label, value in proposal["value"]]

    @T.observe("options")
    def _on_options(self, change) -> None:
        values = [v for _, v in change["new"]]
        with self.hold_trait_notifications():
            self.labels = [label for label, _ in change["new"]]
            if self.value in values:  # the entry picked stays picked where it still is one
                self.index = values.index(self.value)
            else:
                self.index, self.value = None, None

    @T.observe("index")
    def _on_index(self, change) -> None:
        i = change["new"]
        value = self.options[i][1] if i is not None and 0 <= i < len(self.options) else None
        if value != self.value:
            self.value = value

    @T.validate("value")
    def _known(self, proposal) -> Any:
        value = proposal["value"]
        if value is not None and value not in [v for _, v in self.options]:
            raise T.TraitError(f"{value!r} is not one of the list's values")
        return value

    @T.observe("value")
    def _on_value(self, change) -> None:
        values = [v for _, v in self.options]
        index = values.index(change["new"]) if change["new"] is not None else None
        if index != self.index:
            self.index = index

    @property
    def label(self) -> str | None:
        """The whole text of the entry picked (``None`` when none is)."""
        return self.labels[self.index] if self.index is not None and self.index < len(self.labels) else None
