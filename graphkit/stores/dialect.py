"""Neo4j Cypher → Ladybug Cypher, for the differences that are only names.

Query files keep Neo4j's text (canonical, linted by Neo4j's parser).  Where
Ladybug spells a function differently, :func:`to_ladybug` renames the call
before the embedded store runs it, so a model needs no second copy.  What a
rename cannot express (variable-length semantics, shortest paths) goes into a
``NAME.embedded.cypher`` override beside the file.

Measured differences of Ladybug 0.22 that are *not* renames (write the
canonical text so that it avoids them, or override):

* list indexing and ``substring``/``left`` are 1-based (``[1,2][0]`` is an
  error; ``substring('abcdef', 1, 2)`` is ``'ab'``, Neo4j gives ``'bc'``);
* no ``head``/``last``/``reduce``/``split``, no list comprehensions
  (``[x IN l WHERE … | …]``); ``any(x IN l WHERE …)`` works;
* ``date(ts)`` of a TIMESTAMP fails: Ladybug wants ``CAST(ts AS DATE)``;
  ``date_part('hour', ts)`` for the hour; ``date - date`` is a day count;
* ``'a' + 5`` is an error: convert with ``toString`` first;
* variable-length patterns are walks unless written ``* TRAIL``; shortest
  path is ``[* SHORTEST 1..k]``.

Example
-------
>>> to_ladybug("RETURN toString(n.src_row) AS r, toInteger('5') AS i")
"RETURN to_string(n.src_row) AS r, to_int64('5') AS i"
>>> to_ladybug("MATCH (n) WHERE n.name = 'toString(' RETURN n")   # strings are left alone
"MATCH (n) WHERE n.name = 'toString(' RETURN n"
"""
from __future__ import annotations

import re

__all__ = ["FUNCTION_RENAMES", "to_ladybug"]

#: Neo4j function name (lower case) → Ladybug function name
FUNCTION_RENAMES: dict[str, str] = {
    "tostring": "to_string",
    "tointeger": "to_int64",
    "tofloat": "to_double",
    "toboolean": "to_bool",
    "datetime": "timestamp",
}

_TOKEN = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*)|(?<![.$\w])([A-Za-z_]\w*)(\s*\()""")


def to_ladybug(query: str) -> str:
    """Rename Neo4j-only function calls outside string literals, comments and backticks."""
    def sub(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        new = FUNCTION_RENAMES.get(m.group(2).lower())
        return (new or m.group(2)) + m.group(3)
    return _TOKEN.sub(sub, query)
