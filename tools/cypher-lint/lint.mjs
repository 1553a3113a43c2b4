#!/usr/bin/env node
// Lint Neo4j-dialect Cypher files with Neo4j's own front end
// (@neo4j-cypher/language-support: the parser plus Neo4j's semantic analysis).
//
// Usage: node lint.mjs <file-or-dir>...
//   A directory contributes every *.cypher file directly inside it
//   (non-recursive); a file argument is linted whatever its extension.
//
// Output: one line per diagnostic,
//   errors:   file:line:col: message
//   warnings: file:line:col: warning: message   (or info:/hint:)
// then a summary line "linted N files, E errors, W warnings".
//
// Exit status: 0 clean (warnings allowed), 1 at least one error,
//              2 usage error, unreadable path, or no files to lint.
//
// Runs offline: everything needed is in node_modules (no network at lint time).

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The pinned version's ESM build uses extension-less relative imports that
// Node's ESM loader rejects, so load the package's CommonJS build instead.
const require = createRequire(import.meta.url);
const { lintCypherQuery } = require('@neo4j-cypher/language-support');

// The statement's own terminating ';', i.e. one followed only by whitespace and
// comments. The linter accepts a trailing ';' on its own, but reports an error
// when a comment comes after it (it sees a second, empty statement), so lintFile
// blanks this ';' out (with a space, keeping every line:col position unchanged).
const TRAILING_SEMICOLON = /;(?=(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*$)/;

// LSP DiagnosticSeverity values: 1 = Error; 2, 3, 4 = Warning, Information,
// Hint (printed with that label, never fatal).
const SEVERITY_ERROR = 1;
const LABELS = { 2: 'warning', 3: 'info', 4: 'hint' };

// Database schema handed to the linter. Only the Cypher version is set: with
// no labels/functions/procedures/parameters listed, the linter checks syntax and
// Neo4j semantics but not what exists in a particular database.
const DB_SCHEMA = { defaultLanguage: 'CYPHER 5' };

// The only diagnostic ignored: queries take their $parameters at run time, and
// the linter, having none declared, reports each one as
// "Parameter $name is not defined."
const MISSING_PARAM = /^Parameter \$\S+ is not defined\.$/;

function usage(message) {
  if (message) console.error(`cypher-lint: ${message}`);
  console.error('usage: node lint.mjs <file-or-dir>...');
  process.exit(2);
}

// Expand the command-line arguments into a list of files to lint.
function collectFiles(args) {
  const files = [];
  for (const arg of args) {
    let stats;
    try {
      stats = statSync(arg);
    } catch {
      usage(`no such file or directory: ${arg}`);
    }
    if (stats.isDirectory()) {
      const names = readdirSync(arg).filter((n) => n.endsWith('.cypher')).sort();
      for (const name of names) {
        const path = join(arg, name);
        if (statSync(path).isFile()) files.push(path);
      }
    } else {
      files.push(arg);
    }
  }
  return files;
}

// Lint one file (one or more statements); return its problems as {severity, line, col, message}
// with 1-based line and column numbers.
function lintFile(path) {
  const text = readFileSync(path, 'utf8').replace(TRAILING_SEMICOLON, ' ');

  if (text.trim() === '') {
    return [{ severity: SEVERITY_ERROR, line: 1, col: 1, message: 'file contains no Cypher statement' }];
  }
  const problems = [];

  // Third argument: consoleCommandsEnabled = false, so a stray ":param ..."
  // (a cypher-shell/Browser command, not Cypher) is reported as an error.
  for (const d of lintCypherQuery(text, DB_SCHEMA, false)) {
    if (MISSING_PARAM.test(d.message)) continue;
    problems.push({
      severity: d.severity,
      line: d.range.start.line + 1,
      col: d.range.start.character + 1,
      message: d.message,
    });
  }
  return problems;
}

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('-h') || args.includes('--help')) usage();

const files = collectFiles(args);
if (files.length === 0) usage('no .cypher files found');

let errors = 0;
let warnings = 0;
for (const file of files) {
  for (const p of lintFile(file)) {
    if (p.severity === SEVERITY_ERROR) {
      errors += 1;
      console.log(`${file}:${p.line}:${p.col}: ${p.message}`);
    } else {
      warnings += 1;
      console.log(`${file}:${p.line}:${p.col}: ${LABELS[p.severity] ?? 'warning'}: ${p.message}`);
    }
  }
}

console.log(`linted ${files.length} files, ${errors} errors, ${warnings} warnings`);
process.exit(errors > 0 ? 1 : 0);
