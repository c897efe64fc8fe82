"""Words by rule: a text said in other words by the first pattern of a table matching it whole, its groups filled
in. The load's Chinese (:mod:`loaders.words`) and the tender-collusion outputs' (:mod:`graphkit.collusion.words`)
both word their English so.

>>> by_rule([(r"duplicate of row (?P<n>\\d+)", "与第 {n} 行重复")], "duplicate of row 212")
'与第 212 行重复'
>>> by_rule([(r"duplicate of row (?P<n>\\d+)", "与第 {n} 行重复")], "something else") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["by_rule"]


def by_rule(table: Iterable[tuple[str, str]], text: str) -> str | None:
    """``text`` in the words of the first ``(pattern, words)`` of ``table`` whose pattern it matches whole, the
    pattern's named groups filled in; None when none matches."""
    for pat, words in table:
        m = re.fullmatch(pat, text)
        if m:
            return words.format(**m.groupdict())
    return None
