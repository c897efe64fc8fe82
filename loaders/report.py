"""What a load did: rows read, loaded and quarantined per file; nodes and
relationships created.  Counts always reconcile: read = loaded + quarantined."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Quarantined", "FileReport", "LoadReport", "LoadError"]


class LoadError(RuntimeError):
    """A whole file cannot be loaded (unreadable, or a required column is missing).

    The message names the file (and the column); the store is left untouched."""


@dataclass(frozen=True)
class Quarantined:
    """One bad row: where it is, which column, what was there and why it was refused."""

    file: str
    row: int  # spreadsheet row number: the header is row 1, the first data row is row 2
    column: str
    value: str
    reason: str


@dataclass
class FileReport:
    """What became of one file: rows read, loaded and quarantined, objects created, or the error that stopped it."""

    file: str
    source: str  # source kind (contract name), e.g. "household"
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    created: Counter = field(default_factory=Counter)  # label / rel type -> new objects
    error: str | None = None

    @property
    def reconciles(self) -> bool:
        """Whether rows read = rows loaded + rows quarantined (or the file failed as a whole)."""
        return self.error is not None or self.read == self.loaded + self.quarantined


@dataclass
class LoadReport:
    """The report of one load: a :class:`FileReport` per file and every quarantined row."""

    files: list[FileReport] = field(default_factory=list)
    quarantine: list[Quarantined] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether no file failed as a whole."""
        return all(f.error is None for f in self.files)

    def totals(self) -> dict[str, int]:
        """Rows read, loaded and quarantined over all files."""
        return {k: sum(getattr(f, k) for f in self.files) for k in ("read", "loaded", "quarantined")}

    def created(self) -> Counter:
        """Nodes and relationships created, per label and type, over all files."""
        out: Counter = Counter()
        for f in self.files:
            out.update(f.created)
        return out

    def write_quarantine(self, path: str | Path) -> Path:
        """Write the quarantined rows as CSV (file, row, column, value, reason)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "row", "column", "value", "reason"])
            for q in self.quarantine:
                w.writerow([q.file, q.row, q.column, q.value, q.reason])
        return path

    def to_json(self) -> str:
        """The report as JSON (files, totals, created, quarantined rows)."""
        return json.dumps(
            {
                "files": [{**asdict(f), "created": dict(f.created)} for f in self.files],
                "totals": self.totals(),
                "created": dict(self.created()),
            },
            ensure_ascii=False,
            indent=2,
        )
