"""Lint Cypher offline with Neo4j's own parser.

Neo4j does not have to run: ``tools/cypherlint/lint.mjs`` calls
``lintCypherQuery`` from the npm package ``@neo4j-cypher/language-support``
(Neo4j's Cypher parser and semantic analysis, the one behind the VS Code
extension) under Node.  Install it once with ``npm ci --prefix tools/cypherlint``.

One Node process lints a batch (a big batch: one per core, side by side).  Each query gets a list of diagnostics
``{"severity", "message", "line", "column", "end_line", "end_column",
"start", "end"}`` (``severity`` is ``"error"`` for syntax and semantic errors,
``"warning"`` for names absent from the schema, deprecations and impossible
paths; ``line``/``column`` are 1-based, ``start``/``end`` 0-based offsets).

Example
-------
>>> from graphkit.stores.cypherlint import lint, errors
>>> [len(errors(d)) for d in lint(["MATCH (n:Person) RETURN n", "MATCH (n RETURN n"])]  # doctest: +SKIP
[0, 1]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from graphkit.model import Model
from graphkit.stores.base import QUERY_DIR

__all__ = ["CypherLintError", "lint", "lint_files", "errors", "model_schema", "query_files", "TOOL_DIR"]

TOOL_DIR = Path(__file__).resolve().parents[2] / "tools" / "cypherlint"
LINT_SCRIPT = TOOL_DIR / "lint.mjs"
PACKAGE = "@neo4j-cypher/language-support"
INSTALL_HINT = "run `npm ci --prefix tools/cypherlint` (needs Node 20 or newer)"


class CypherLintError(RuntimeError):
    """The linter could not run (no Node, no node_modules, bad output)."""


def model_schema(model: Model | None = None) -> dict[str, Any]:
    """The linter's ``DbSchema`` for a model: labels, relationship types, property keys, label pairs.

    With it, labels, relationship types and property keys absent from the model
    are reported as warnings, and so are paths the model does not allow.

    Example
    -------
    >>> s = model_schema()
    >>> "Person" in s["labels"], "FAMILY" in s["relationshipTypes"], "id" in s["propertyKeys"]
    (True, True, True)
    """
    model = model or Model.default()
    keys: dict[str, None] = {}
    for obj in [*model.labels.values(), *model.relationships.values()]:
        keys.update(dict.fromkeys(obj.all_properties))
    return {
        "labels": list(model.labels),
        "relationshipTypes": list(model.relationships),
        "propertyKeys": list(keys),
        "graphSchema": [
            {"from": a, "to": b, "relType": rel.name} for rel in model.relationships.values() for a, b in rel.between
        ],
    }


def lint(
    queries: Sequence[str], *, schema: dict[str, Any] | None = None, timeout: float = 600, processes: int | None = None
) -> list[list[dict[str, Any]]]:
    """Diagnostics for each query, in order (one Node process for the batch; a big one is split over the cores).

    Parameters
    ----------
    queries : sequence of str
        Cypher texts; a text may hold several statements separated by ``;``.
    schema : dict, optional
        A ``DbSchema`` for the linter; :func:`model_schema` of the default model
        when omitted, ``{}`` for none.  Undeclared-parameter errors are dropped
        unless the schema has ``parameters``.
    timeout : float
        Seconds to wait for Node.
    processes : int, optional
        The most Node processes to split the batch over; by default one per core (each part has at least
        :data:`MIN_PER_PROCESS` queries). Each process loads the linter and warms it up again (a second or more of
        CPU): ``1`` spends the least CPU, where the cores have other work.

    Raises
    ------
    CypherLintError
        Node or the npm package is missing, or the linter failed.

    Example
    -------
    >>> lint(["MATCH (n:Persn) RETURN n"])[0][0]["severity"]  # doctest: +SKIP
    'warning'
    """
    queries = list(queries)
    if any(not isinstance(q, str) for q in queries):
        raise TypeError("lint() takes a list of query strings")
    if not queries:
        return []
    node = _node()
    schema = model_schema() if schema is None else schema
    # a big batch is split over the machine's cores, one Node process per part (each query takes the
    # linter a fraction of a second; parts keep their order)
    if processes is not None and (not isinstance(processes, int) or processes < 1):
        raise ValueError(f"processes must be a positive integer, not {processes!r}")
    parts = max(1, min(processes or os.cpu_count() or 1, len(queries) // MIN_PER_PROCESS))
    # longest first, each to the part with the fewest characters so far (the linter's time grows with them)
    members: list[list[int]] = [[] for _ in range(parts)]
    load = [0] * parts
    for i in sorted(range(len(queries)), key=lambda i: -len(queries[i])):
        k = load.index(min(load))
        members[k].append(i)
        load[k] += len(queries[i])
    members = [sorted(m) for m in members if m]
    chunks = [[queries[i] for i in m] for m in members]
    procs = []
    with tempfile.TemporaryDirectory(prefix="cypherlint-") as work:
        try:
            for i, chunk in enumerate(chunks):
                payload = Path(work) / f"part{i}.json"
                payload.write_text(json.dumps({"queries": chunk, "schema": schema}), encoding="utf-8")
                with open(payload, encoding="utf-8") as stdin:  # the child keeps its own handle
                    procs.append(
                        subprocess.Popen(
                            [node, str(LINT_SCRIPT)],
                            stdin=stdin,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            text=True,
                            encoding="utf-8",
                            cwd=TOOL_DIR,
                        )
                    )
            out: list = [None] * len(queries)
            deadline = time.monotonic() + timeout
            for proc, chunk, index in zip(procs, chunks, members, strict=True):
                try:
                    stdout, stderr = proc.communicate(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired as exc:
                    raise CypherLintError(f"cypherlint: Node did not finish within {timeout} s") from exc
                for i, diags in zip(index, _parse(proc.returncode, stdout, stderr, chunk), strict=True):
                    out[i] = diags
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    return out


#: fewest queries per Node process when a batch is split (starting Node and the linter takes a second)
MIN_PER_PROCESS = 20


def _parse(returncode: int, stdout: str, stderr: str, queries: list[str]) -> list[list[dict[str, Any]]]:
    if returncode != 0:
        raise CypherLintError(f"cypherlint failed (exit {returncode}): {stderr.strip()[:2000]}")
    try:
        out = json.loads(stdout)
    except json.JSONDecodeError as exc:
        raise CypherLintError(f"cypherlint printed no JSON: {stdout[:500]!r}") from exc
    if not isinstance(out, list) or len(out) != len(queries):
        raise CypherLintError(
            f"cypherlint returned {len(out) if isinstance(out, list) else out!r} results for {len(queries)} queries"
        )
    return out


def errors(diagnostics: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The diagnostics of severity ``error``."""
    return [d for d in diagnostics if d.get("severity") == "error"]


#: template tokens that stand for an integer (graphkit.paths.render writes a checked one): Neo4j's parser wants
#: an integer where they stand (a variable-length bound), so a query file is linted with 1 in their place
INTEGER_TOKENS = ("__MAX_HOPS__", "__LIMIT__")


def lintable(text: str) -> str:
    """A query file's text as Neo4j's parser reads it: integer template tokens filled with ``1``.

    Example
    -------
    >>> lintable("MATCH p = (a)-[*1..__MAX_HOPS__]-(b) RETURN p")
    'MATCH p = (a)-[*1..1]-(b) RETURN p'
    """
    for token in INTEGER_TOKENS:
        text = text.replace(token, "1")
    return text


def query_files(root: str | Path = QUERY_DIR) -> list[Path]:
    """``root/**/*.cypher`` sent to Neo4j: every file except ``*.embedded.cypher``, sorted."""
    root = Path(root)
    return sorted(p for p in root.rglob("*.cypher") if not p.name.endswith(".embedded.cypher"))


def lint_files(paths: Iterable[str | Path], *, schema: dict[str, Any] | None = None) -> dict[Path, list[dict]]:
    """Diagnostics for each file (one Node process for all of them)."""
    paths = [Path(p) for p in paths]
    texts = [lintable(p.read_text(encoding="utf-8")) for p in paths]
    return dict(zip(paths, lint(texts, schema=schema), strict=True))


def format_diagnostic(where: str, d: dict[str, Any]) -> str:
    """``where:line:column: severity: message`` as compilers print it."""
    return f"{where}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise CypherLintError(f"cypherlint needs Node.js on PATH (`node` not found); install Node, then {INSTALL_HINT}")
    if not (TOOL_DIR / "node_modules" / PACKAGE / "package.json").exists():
        raise CypherLintError(f"cypherlint: {PACKAGE} is not installed in {TOOL_DIR / 'node_modules'}; {INSTALL_HINT}")
    return node


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graphkit.stores.cypherlint [FILE…]``: lint files (default: the Neo4j query files).

    Prints one line per diagnostic; exits 1 if any is an error."""
    args = list(sys.argv[1:] if argv is None else argv)
    paths = [Path(a) for a in args] if args else query_files()
    found = 0
    for path, diags in lint_files(paths).items():
        for d in diags:
            print(format_diagnostic(str(path), d))
        found += len(errors(diags))
    print(f"{len(paths)} file(s) linted, {found} error(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
