#!/usr/bin/env node
// Lint Cypher offline with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support, function lintCypherQuery).
//
// stdin:  a JSON array of query strings, or an object
//         {"queries": [string, ...], "schema": DbSchema}
//         where DbSchema is the package's schema object: labels,
//         relationshipTypes, propertyKeys, graphSchema ([{from, to, relType}]),
//         parameters, ... With labels / relationshipTypes / propertyKeys given,
//         names absent from them are reported as warnings.
// stdout: a JSON array with one entry per query, in order; each entry is an
//         array of diagnostics
//           {"severity": "error" | "warning" | "information" | "hint",
//            "message": string,
//            "line": int, "column": int,           // 1-based start
//            "end_line": int, "end_column": int,   // 1-based end (exclusive column)
//            "start": int, "end": int}             // 0-based offsets into the query (UTF-16 units)
//         "Parameter $x is not defined." errors are dropped unless the schema
//         declares "parameters" (queries take their parameters at run time).
// exit:   0 when every query was linted (whatever the diagnostics),
//         2 when the input is not valid.
import * as lsp from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function fail(message) {
  process.stderr.write(`cypherlint: ${message}\n`);
  process.exit(2);
}

async function readStdin() {
  const parts = [];
  for await (const chunk of process.stdin) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

function convert(d) {
  const range = d.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    severity: SEVERITY[d.severity] ?? 'error',
    message: d.message,
    line: range.start.line + 1,
    column: range.start.character + 1,
    end_line: range.end.line + 1,
    end_column: range.end.character + 1,
    start: d.offsets?.start ?? null,
    end: d.offsets?.end ?? null,
  };
}

function lintOne(query, schema, keepParamErrors) {
  let result;
  try {
    result = lsp.lintCypherQuery(query, schema, { consoleCommandsEnabled: false });
  } catch (err) {
    return [{ severity: 'error', message: `linter crashed: ${err?.message ?? err}`,
              line: 1, column: 1, end_line: 1, end_column: 1, start: 0, end: 0 }];
  }
  // 2.0.0-next.38 returns {diagnostics, symbolTables}; older releases an array
  let diagnostics = Array.isArray(result) ? result : result.diagnostics;
  if (!keepParamErrors) diagnostics = diagnostics.filter(lsp.isNotParamError);
  return diagnostics.map(convert);
}

let input;
try {
  input = JSON.parse(await readStdin());
} catch (err) {
  fail(`stdin is not JSON: ${err.message}`);
}
const queries = Array.isArray(input) ? input : input?.queries;
const schema = (Array.isArray(input) ? {} : input?.schema) ?? {};
if (!Array.isArray(queries) || !queries.every((q) => typeof q === 'string')) {
  fail('expected a JSON array of query strings or {"queries": [...], "schema": {...}}');
}
if (typeof schema !== 'object' || Array.isArray(schema)) fail('"schema" must be an object');
const keepParamErrors = schema.parameters !== undefined;

const out = queries.map((q) => lintOne(q, schema, keepParamErrors));
process.stdout.write(JSON.stringify(out) + '\n');
