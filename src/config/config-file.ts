import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ParseError, printParseErrorCode } from 'jsonc-parser';
import { UsageError } from '../errors.js';

/** jsonc-parser, loaded when a config file is read: most runs have none, and startup counts. */
function jsonc(): typeof import('jsonc-parser') {
  return createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
}

/** Keys that would put the partner token itself in a config file, which is refused. */
const TOKEN_KEY = /^(omnize|partner)?[-_]?token$/i;

/**
 * Reads a `--config` file: a JSON object; `//` and `/* *\/` comments and
 * trailing commas are allowed, as the commented examples in config/ need.
 * Refuses a token in the file and names every unknown key, with the setting
 * it most likely meant (`report-dir` → `reportDir`). Values are checked by
 * the caller's schema; no message here quotes a value from the file.
 */
export function readConfigFile(path: string, knownKeys: readonly string[]): Record<string, unknown> {
  const settings = parseObject(path, readText(path));
  const problems: string[] = [];
  for (const key of Object.keys(settings)) {
    if (TOKEN_KEY.test(key)) {
      problems.push(
        `config file ${path}: key "${key}": the token never goes in a config file; put it in a file of its own and name that file with "tokenFile", --token-file or OMNIZE_TOKEN_FILE, or set OMNIZE_TOKEN`,
      );
    } else if (!knownKeys.includes(key)) {
      const meant = likelyKey(key, knownKeys);
      const hint = meant === undefined ? '' : ` (did you mean "${meant}"?)`;
      problems.push(`config file ${path}: unknown setting "${key}"${hint}`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return settings;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `config file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** What each syntax error means, in words; never the text itself, which may hold a secret. */
const SYNTAX_ERROR: Record<ReturnType<typeof printParseErrorCode>, string> = {
  InvalidSymbol: 'unexpected characters (a string needs double quotes)',
  InvalidNumberFormat: 'a number is written wrongly',
  PropertyNameExpected: 'a key in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: "':' was expected after the key",
  CommaExpected: "',' was expected between two entries",
  CloseBraceExpected: "'}' was expected",
  CloseBracketExpected: "']' was expected",
  EndOfFileExpected: 'the file goes on after the object ends',
  InvalidCommentToken: 'a comment is written wrongly',
  UnexpectedEndOfComment: 'a /* comment is never closed with */',
  UnexpectedEndOfString: 'a string is never closed with "',
  UnexpectedEndOfNumber: 'a number ends too early',
  InvalidUnicode: 'a \\u escape is not four hexadecimal digits',
  InvalidEscapeCharacter: 'a \\ escape is not one JSON allows',
  InvalidCharacter: 'a string holds a control character (a line break or tab must be escaped)',
  '<unknown ParseErrorCode>': 'not valid JSON',
};

function parseObject(path: string, text: string): Record<string, unknown> {
  // Windows editors save a byte-order mark, which is not JSON; an editor shows no column for it.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const { getNodeValue, parseTree, printParseErrorCode } = jsonc();
  const errors: ParseError[] = [];
  const tree = parseTree(json, errors, { allowTrailingComma: true, disallowComments: false });
  const [first] = errors;
  // Only the first error: the ones after it are mostly the parser losing its way.
  if (first !== undefined) {
    const { line, column } = lineAndColumn(json, first.offset);
    throw new UsageError(
      `config file ${path}: not valid JSON (line ${line}, column ${column}: ${SYNTAX_ERROR[printParseErrorCode(first.error)]})`,
    );
  }
  if (tree?.type !== 'object') {
    throw new UsageError(
      `config file ${path}: must be a JSON object of settings, like the examples in config/`,
    );
  }
  // getNodeValue builds objects without a prototype; parse() would assign a "__proto__" key as
  // the prototype, and the keys under it would slip past the unknown-key and token checks.
  return getNodeValue(tree) as Record<string, unknown>;
}

/** 1-based line and column of an offset, as an editor shows them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The known key spelled the same once case, `-`, `_` and an `OMNIZE_` prefix are ignored (flag or env names). */
function likelyKey(key: string, knownKeys: readonly string[]): string | undefined {
  const normalise = (name: string) =>
    name
      .toLowerCase()
      .replace(/[-_]/g, '')
      .replace(/^omnize/, '');
  const wanted = normalise(key);
  return knownKeys.find((known) => normalise(known) === wanted);
}
