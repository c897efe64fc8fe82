"""The part of a notebook that works on its store, for the tests that point the notebooks at a team's store.

Notebook 03's Part 2 reads the labelled cartel data and no store: it shows the same whatever ``GRAPHKIT_STORE``
names and takes minutes (its Swiss scorer), so the store tests run the notebook without it (``test_notebooks``
runs it whole). It comes last, so that a Run All without the data shows Part 1 (the store) before it stops.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

#: how notebook 03's Part 2 (第二部分) heading starts
PART_2 = "## 第二部分"
#: what a cell that works on the store names
_STORE = re.compile(r"\b(store|city|open_city)\b")


def store_part(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without a Part 2 that works on no store: the cells from the heading ``## 第二部分`` (:data:`PART_2`)
    to the end (``nb`` as it is when it has no such heading).

    Raises
    ------
    AssertionError
        A cell left out names the store (``store``, ``city``, ``open_city``): it would go untested.
    """
    heads = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(PART_2)]
    if not heads:
        return nb
    left_out = nb.cells[heads[0] :]
    named = [c.source for c in left_out if c.cell_type == "code" and _STORE.search(c.source)]
    assert not named, f"a cell of Part 2 works on the store and would not be run: {named}"
    out = copy.deepcopy(nb)
    out.cells = nb.cells[: heads[0]]
    return out


def stub_collusion_data(folder: Path) -> Path:
    """A folder ``graphkit.notebook.collusion_data`` accepts (``GRAPHKIT_COLLUSION_DATA``) holding no bids: for a
    run of :func:`store_part`, which reads none."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "DB_Collusion_Japan_processed.csv").write_text("Tender\n", encoding="utf-8")
    return folder
