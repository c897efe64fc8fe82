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
  no ``.dayOfWeek`` accessor (``date_part('dayofweek', d)`` counts from
  Sunday = 0); interval functions (``to_minutes`` …) take integers only;
* ``'a' + 5`` is an error: convert with ``toString`` first;
* ``null + 'a'`` is ``'a'`` (Neo4j: null): an optional match's missing
  ``x.src_file + ':' + toString(x.src_row)`` gives ``':'``, so guard it with
  ``CASE WHEN x IS NULL THEN NULL ELSE … END`` (``collect`` skips nulls);
* variable-length patterns are walks unless written ``* TRAIL``; shortest
  path is ``[* SHORTEST 1..k]``;
* ``start_node(r)`` / ``end_node(r)`` of a relationship matched without a
  direction give the ends as matched, not as stored: to know a stored
  direction, test ``EXISTS { MATCH (a)-[g:T]->(b) WHERE g.id = r.id }``.

``toString`` of a TIMESTAMP puts a space between date and time where Neo4j's
``toString`` of a ``LocalDateTime`` writes ``T`` (``2024-04-26T18:40:24``):
``toString(x.p)`` of a property ``p`` the model declares ``datetime`` becomes
``replace(to_string(x.p), ' ', 'T')`` (found by the Neo4j parity tests,
``tests/test_parity_neo4j.py``, in ``fuel_gps_mismatch``'s summaries).

Three temporal constructs are rewritten rather than renamed
(:func:`rewrite_temporal`), so canonical text may use them on both stores:
``date(x)`` becomes ``CAST(x AS DATE)``; ``date(x).dayOfWeek`` the ISO day
number (Monday 1 … Sunday 7) from ``date_part``; a duration
``duration({days: $n, minutes: x, ...})`` (years, months, weeks, days, hours,
minutes, seconds) Ladybug's intervals, ``to_days(to_int64($n))`` and, for
hours, minutes and seconds, microseconds so that fractions are kept.

Example
-------
>>> to_ladybug("RETURN toString(n.src_row) AS r, toInteger('5') AS i")
"RETURN to_string(n.src_row) AS r, to_int64('5') AS i"
>>> to_ladybug("MATCH (n) WHERE n.name = 'toString(' RETURN n")   # strings are left alone
"MATCH (n) WHERE n.name = 'toString(' RETURN n"
>>> to_ladybug("RETURN date('2024-01-31') + duration({days: $window}) AS d")
"RETURN CAST('2024-01-31' AS DATE) + to_days(to_int64($window)) AS d"
>>> to_ladybug("RETURN toString(t.time) + ' at ' + toString(t.src_row) AS example")
"RETURN replace(to_string(t.time), ' ', 'T') + ' at ' + to_string(t.src_row) AS example"
>>> to_ladybug("WHERE date(t.time).dayOfWeek >= 6 AND s.time + duration({minutes: s.duration_min}) > t.time")
"WHERE ((date_part('dayofweek', CAST(t.time AS DATE)) + 6) % 7 + 1) >= 6 AND \
s.time + to_microseconds(to_int64((s.duration_min) * 60000000)) > t.time"
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "FUNCTION_RENAMES",
    "DialectError",
    "datetime_properties",
    "rewrite_temporal",
    "rewrite_to_string",
    "to_ladybug",
]

#: Neo4j function name (lower case) → Ladybug function name
FUNCTION_RENAMES: dict[str, str] = {
    "tostring": "to_string",
    "tointeger": "to_int64",
    "tofloat": "to_double",
    "toboolean": "to_bool",
    "datetime": "timestamp",
}

_TOKEN = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*)|(?<![.$\w])([A-Za-z_]\w*)(\s*\()""")


_TEMPORAL = re.compile(
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*)|(?<![.$\w])(date|duration)\s*\(""", re.IGNORECASE
)
_DAY_OF_WEEK = re.compile(r"\s*\.\s*dayOfWeek\b")
#: duration map key → (Ladybug interval function, factor applied to the value first)
_DURATION_UNITS = {
    "years": ("to_years", None),
    "months": ("to_months", None),
    "weeks": ("to_days", 7),
    "days": ("to_days", None),
    "hours": ("to_microseconds", 3_600_000_000),
    "minutes": ("to_microseconds", 60_000_000),
    "seconds": ("to_microseconds", 1_000_000),
}


_TO_STRING_PROPERTY = re.compile(
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*)|(?<![.$\w])toString\s*\(\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*\)""",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def datetime_properties() -> frozenset[str]:
    """Names of the properties the model declares ``datetime`` (each such name is a datetime wherever it is
    used; ``tests/test_dialect.py`` holds the model to that)."""
    from graphkit.model import Model

    m = Model.default()
    return frozenset(
        p.name
        for obj in [*m.labels.values(), *m.relationships.values()]
        for p in obj.all_properties.values()
        if p.type == "datetime"
    )


def rewrite_to_string(query: str) -> str:
    """``toString(x.p)`` of a ``datetime`` property in Neo4j's ISO form (``T`` between date and time).

    Example
    -------
    >>> rewrite_to_string("RETURN toString(t.time), toString(t.date), 'toString(t.time)'")
    "RETURN replace(toString(t.time), ' ', 'T'), toString(t.date), 'toString(t.time)'"
    """
    stamps = datetime_properties()

    def sub(m: re.Match) -> str:
        if m.group(1) is not None or m.group(3) not in stamps:
            return m.group(0)
        return f"replace(toString({m.group(2)}.{m.group(3)}), ' ', 'T')"

    return _TO_STRING_PROPERTY.sub(sub, query)


class DialectError(ValueError):
    """Canonical text uses a temporal form that cannot be given to the embedded store."""


def _skip_literal(text: str, i: int) -> int:
    """Index just past the string / backtick literal or ``//`` comment starting at ``i`` (else ``i``)."""
    ch = text[i]
    if ch in "'\"`":
        j = i + 1
        while j < len(text) and text[j] != ch:
            j += 2 if (text[j] == "\\" and ch != "`") else 1
        return j + 1
    if text.startswith("//", i):
        j = text.find("\n", i)
        return len(text) if j < 0 else j
    return i


def _close(text: str, i: int) -> int:
    """Index of the parenthesis closing the one at ``i`` (literals skipped)."""
    depth, j = 0, i
    while j < len(text):
        k = _skip_literal(text, j)
        if k != j:
            j = k
            continue
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise DialectError(f"unbalanced parenthesis in: {text[i : i + 80]}")


def _split_top(text: str) -> list[str]:
    """Split on commas outside brackets and literals."""
    parts, depth, start, j = [], 0, 0, 0
    while j < len(text):
        k = _skip_literal(text, j)
        if k != j:
            j = k
            continue
        if text[j] in "([{":
            depth += 1
        elif text[j] in ")]}":
            depth -= 1
        elif text[j] == "," and depth == 0:
            parts.append(text[start:j])
            start = j + 1
        j += 1
    parts.append(text[start:])
    return parts


def _duration(arg: str) -> str:
    arg = arg.strip()
    if not (arg.startswith("{") and arg.endswith("}")):
        raise DialectError(f"duration() needs a literal map for the embedded store, got {arg[:60]!r}")
    terms = []
    for part in _split_top(arg[1:-1]):
        key, _, value = part.partition(":")
        unit = _DURATION_UNITS.get(key.strip().lower())
        value = rewrite_temporal(value.strip())
        if unit is None or not value:
            raise DialectError(f"duration(): unsupported component {part.strip()!r}")
        fn, factor = unit
        terms.append(f"{fn}(to_int64(({value}) * {factor}))" if factor else f"{fn}(to_int64({value}))")
    return terms[0] if len(terms) == 1 else "(" + " + ".join(terms) + ")"


def rewrite_temporal(query: str) -> str:
    """Neo4j's ``date(x)``, ``date(x).dayOfWeek`` and ``duration({unit: x, ...})`` in Ladybug's terms.

    ``date(x)`` becomes ``CAST(x AS DATE)`` (strings, dates and TIMESTAMPs all cast), ``date()`` the
    current date; ``.dayOfWeek`` right after a ``date(...)`` call becomes ISO numbering (Monday 1 …
    Sunday 7); a duration becomes a sum of Ladybug intervals.  Literals and comments are left alone.

    Example
    -------
    >>> rewrite_temporal("RETURN date(), date(left(s, 10)) AS d, 'date(x)' AS text")
    "RETURN current_date(), CAST(left(s, 10) AS DATE) AS d, 'date(x)' AS text"
    """
    out, pos = [], 0
    while True:
        m = _TEMPORAL.search(query, pos)
        if m is None:
            out.append(query[pos:])
            return "".join(out)
        if m.group(1) is not None:
            out.append(query[pos : m.end()])
            pos = m.end()
            continue
        open_at = m.end() - 1
        close_at = _close(query, open_at)
        arg = query[open_at + 1 : close_at]
        out.append(query[pos : m.start()])
        pos = close_at + 1
        if m.group(2).lower() == "duration":
            out.append(_duration(arg))
            continue
        inner = rewrite_temporal(arg).strip()
        expr = f"CAST({inner} AS DATE)" if inner else "current_date()"
        dow = _DAY_OF_WEEK.match(query, pos)
        if dow:
            expr = f"((date_part('dayofweek', {expr}) + 6) % 7 + 1)"
            pos = dow.end()
        out.append(expr)


def to_ladybug(query: str) -> str:
    """Rewrite temporal forms (:func:`rewrite_temporal`), then rename Neo4j-only function calls, outside
    string literals, comments and backticks."""

    def sub(m: re.Match) -> str:
        if m.group(1) is not None:
            return m.group(1)
        new = FUNCTION_RENAMES.get(m.group(2).lower())
        return (new or m.group(2)) + m.group(3)

    return _TOKEN.sub(sub, rewrite_to_string(rewrite_temporal(query)))


# ---------------------------------------------------------------- relationship isomorphism
#: clause keywords that end a MATCH clause's pattern (or its WHERE)
_CLAUSE = re.compile(
    r"(?<![\w.$])(OPTIONAL\s+MATCH|MATCH|WHERE|WITH|RETURN|UNWIND|CALL|UNION|ORDER\s+BY|SKIP|LIMIT|CREATE|MERGE"
    r"|SET|DELETE|DETACH|REMOVE|FOREACH)(?![\w])",
    re.IGNORECASE,
)
#: a relationship pattern: ``-[r:A|B*1..3 {…}]-`` (either arrow), or a bare ``--`` / ``-->`` / ``<--``
_REL = re.compile(r"<?-\[([^\]]*)\]->?|<?--(?!>)|<?-->")
_REL_INSIDE = re.compile(
    r"^\s*([A-Za-z_]\w*)?\s*(?::\s*([A-Za-z_][\w|:\s]*?))?\s*(\*[^{]*)?\s*(\{.*\})?\s*$", re.DOTALL
)


def _blank_literals(text: str) -> str:
    """``text`` with string literals, backticked names and comments blanked (same length, same offsets)."""
    out, i = [], 0
    while i < len(text):
        j = _skip_literal(text, i)
        if j != i:
            out.append(" " * (min(j, len(text)) - i))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def repeated_relationships(query: str) -> list[tuple[str, str | None, str | None]]:
    """Pairs of relationship patterns in one MATCH clause that may bind the same relationship, with no
    ``r1 <> r2`` in that clause's WHERE: ``(clause, first variable, second variable)``, ``None`` for an
    anonymous pattern.

    Neo4j never binds one relationship twice in a MATCH (relationship isomorphism: the two patterns of
    ``(a)<-[:SUBMITTED_BY]-(x)-[:BID_FOR]->(t)<-[:BID_FOR]-(y)`` are two different BID_FOR links, so ``x``
    and ``y`` are different bids unless a bid has two links to ``t``); Ladybug 0.22 binds whatever matches
    (``recursive_pattern_semantic`` governs variable-length patterns only).  Canonical text therefore names
    both patterns of a pair whose types overlap (or that have no type) and says ``r1 <> r2``, which Neo4j
    already guarantees and Ladybug then honours: the same answer on both stores.
    Variable-length patterns are left out (the path queries have embedded overrides written as TRAILs).

    Example
    -------
    >>> repeated_relationships("MATCH (a)<-[:S]-(x)-[:F]->(t)<-[:F]-(y)-[:S]->(b) WHERE a <> b RETURN a")[0][1:]
    (None, None)
    >>> repeated_relationships("MATCH (x)-[f:F]->(t)<-[g:F]-(y) WHERE f <> g RETURN x")
    []
    """
    text = _blank_literals(query)
    marks = list(_CLAUSE.finditer(text))
    out = []
    for k, m in enumerate(marks):
        if not m.group(1).upper().endswith("MATCH"):
            continue
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        where = ""
        if k + 1 < len(marks) and marks[k + 1].group(1).upper() == "WHERE":
            where_end = marks[k + 2].start() if k + 2 < len(marks) else len(text)
            where = text[marks[k + 1].end() : where_end]
        rels = []
        for r in _REL.finditer(text[m.end() : end]):
            inside = _REL_INSIDE.match(r.group(1) or "")
            if inside is None:
                raise DialectError(f"cannot read the relationship pattern {r.group(0)!r}")
            var, types, star, _ = inside.groups()
            if star:
                continue
            rels.append((var, frozenset(t.strip() for t in re.split(r"[|:]", types) if t.strip()) if types else None))
        for i, (v1, t1) in enumerate(rels):
            for v2, t2 in rels[i + 1 :]:
                if t1 is not None and t2 is not None and not t1 & t2:
                    continue
                guarded = (
                    v1
                    and v2
                    and re.search(rf"(?<![\w.]){v1}\s*<>\s*{v2}(?![\w.])|(?<![\w.]){v2}\s*<>\s*{v1}(?![\w.])", where)
                )
                if not guarded:
                    out.append((" ".join(query[m.start() : end].split()), v1, v2))
    return out
