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

/** A config file's settings, each under its camelCase key whichever spelling the file used. */
export interface ConfigFileSettings {
  values: Record<string, unknown>;
  /** Each setting's key as the file spells it, for a message about its value. */
  written: Record<string, string>;
}

/**
 * Reads a `--config` file: a JSON object; `//` and `/* *\/` comments and
 * trailing commas are allowed, as the commented examples in config/ need.
 * `spellings` maps every key a setting may be written as (`reportDir`,
 * `report-dir`, `report_dir`) to its camelCase key. Refuses a token in the
 * file, a setting written twice in two spellings, and names every unknown key
 * with the setting it most likely meant (`REPORT_DIR` → `reportDir`). Values
 * are checked by the caller's schema; no message here quotes a value from the file.
 */
export function readConfigFile(path: string, spellings: ReadonlyMap<string, string>): ConfigFileSettings {
  const settings = parseObject(path, readText(path));
  const problems: string[] = [];
  const keysOf = new Map<string, string[]>();
  for (const key of Object.keys(settings)) {
    const setting = spellings.get(key);
    if (TOKEN_KEY.test(key)) {
      problems.push(
        `config file ${path}: key "${key}": the token never goes in a config file; put it in a file of its own and name that file with "tokenFile", --token-file or OMNIZE_TOKEN_FILE, or set OMNIZE_TOKEN`,
      );
    } else if (setting === undefined) {
      const meant = likelyKey(key, new Set(spellings.values()));
      const hint = meant === undefined ? '' : ` (did you mean "${meant}"?)`;
      problems.push(`config file ${path}: unknown setting "${key}"${hint}`);
    } else {
      keysOf.set(setting, [...(keysOf.get(setting) ?? []), key]);
    }
  }
  const values: Record<string, unknown> = {};
  const written: Record<string, string> = {};
  for (const [setting, keys] of keysOf) {
    if (keys.length > 1) {
      const named = keys.map((key) => `"${key}"`);
      problems.push(
        `config file ${path}: keys ${named.slice(0, -1).join(', ')} and ${named.at(-1)} are the same setting; keep one`,
      );
    }
    values[setting] = settings[keys[0]!];
    written[setting] = keys[0]!;
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { values, written };
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

/** The setting spelled the same once case, `-`, `_` and an `OMNIZE_` prefix are ignored (flag or env names). */
function likelyKey(key: string, settings: ReadonlySet<string>): string | undefined {
  const normalise = (name: string) =>
    name
      .toLowerCase()
      .replace(/[-_]/g, '')
      .replace(/^omnize/, '');
  const wanted = normalise(key);
  return [...settings].find((known) => normalise(known) === wanted);
}
