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
  path is ``[* SHORTEST 1..k]``;
* ``start_node(r)`` / ``end_node(r)`` of a relationship matched without a
  direction give the ends as matched, not as stored: to know a stored
  direction, test ``EXISTS { MATCH (a)-[g:T]->(b) WHERE g.id = r.id }``.

One construct is rewritten rather than renamed: a duration of one unit,
``duration({days: $n})`` (years, months, days, hours, minutes, seconds),
becomes Ladybug's interval ``to_days($n)``, so ``d + duration({days: 30})``
runs on both stores.

Example
-------
>>> to_ladybug("RETURN toString(n.src_row) AS r, toInteger('5') AS i")
"RETURN to_string(n.src_row) AS r, to_int64('5') AS i"
>>> to_ladybug("MATCH (n) WHERE n.name = 'toString(' RETURN n")   # strings are left alone
"MATCH (n) WHERE n.name = 'toString(' RETURN n"
>>> to_ladybug("RETURN date('2024-01-31') + duration({days: $window}) AS d")
"RETURN date('2024-01-31') + to_days($window) AS d"
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


#: ``duration({unit: expr})`` with one unit Ladybug has a ``to_<unit>`` interval function for
_DURATION = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*)"""
                       r"""|(?<![.$\w])duration\s*\(\s*\{\s*(years|months|days|hours|minutes|seconds)\s*:"""
                       r"""\s*([^{}()'",:]+?)\s*\}\s*\)""", re.IGNORECASE)


def to_ladybug(query: str) -> str:
    """Rename Neo4j-only function calls (and rewrite one-unit durations) outside strings, comments and backticks."""
    def sub(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        new = FUNCTION_RENAMES.get(m.group(2).lower())
        return (new or m.group(2)) + m.group(3)

    def duration(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        return f"to_{m.group(2).lower()}({m.group(3)})"
    return _TOKEN.sub(sub, _DURATION.sub(duration, query))
