import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { JsoncSyntaxError, parseJsonc } from './jsonc.js';

/** Keys that would put the partner token itself in a config file, which is refused. */
const TOKEN_KEY = /^(omnize|partner)?[-_]?token$/i;

/**
 * Reads a `--config` file: a JSON object, comments allowed (see jsonc.ts).
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

function parseObject(path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (error) {
    if (!(error instanceof JsoncSyntaxError)) throw error;
    throw new UsageError(`config file ${path}: not valid JSON (${error.message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(
      `config file ${path}: must be a JSON object of settings, like the examples in config/`,
    );
  }
  return value as Record<string, unknown>;
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
