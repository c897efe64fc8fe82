"""Names in every script on real outside data: how many persons of a real FtM export `find` returns
among its top five when asked for one of their own name values, per script.

    python bench/ftm_find.py                     # the real samples in ../shared/data/ftm_real_samples

Loads the UAE terrorist list and Venezuela's National Assembly PEPs (both OpenSanctions exports, read in
place) into a temporary embedded store; for each person of the UAE list with a name value in Latin or
Arabic script, asks `graphkit.search.find` for that value and counts the person among the first five.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL = ROOT.parent / "shared" / "data" / "ftm_real_samples"


def script(text: str) -> str:
    if any("\u0600" <= c <= "\u06ff" for c in text):
        return "arabic"
    if any("\u0400" <= c <= "\u04ff" for c in text):
        return "cyrillic"
    return "latin"


def main() -> None:
    from graphkit.search import find
    from graphkit.stores.embedded import EmbeddedStore
    from loaders.ftm import load_ftm

    sanctions = REAL / "ae_local_terrorists.ftm.json"
    people = [e for e in map(json.loads, sanctions.read_text(encoding="utf-8").splitlines()) if e["schema"] == "Person"]
    with tempfile.TemporaryDirectory() as d, EmbeddedStore(Path(d) / "g.db") as store:
        store.create_schema()
        for f in (sanctions, REAL / "ve_asamblea_nacional.ftm.json"):
            load_ftm(f, store)
        print(f"{'script':<10}{'persons':>9}{'top 5':>8}{'first':>8}")
        for sc in ("latin", "arabic"):
            asked = top5 = first = 0
            for p in people:
                value = next((n for n in p["properties"]["name"] if script(n) == sc), None)
                if value is None:
                    continue
                hits = find(store, value, limit=5)
                asked += 1
                top5 += p["id"] in set(hits["id"])
                first += not hits.empty and hits.iloc[0]["id"] == p["id"]
            print(f"{sc:<10}{asked:>9}{top5:>8}{first:>8}")


if __name__ == "__main__":
    main()
