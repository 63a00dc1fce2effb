import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireToken, resolveConfig } from '../../src/config/config.js';
import { UsageError } from '../../src/errors.js';
import { usageRefusal } from '../usage-refusal.js';

const EXAMPLES = fileURLToPath(new URL('../../config/', import.meta.url));

/** CONTRACT §8's defaults, written out so that a changed default in the settings table fails here. */
const CONTRACT_DEFAULTS = {
  token: undefined,
  baseUrl: 'http://partner.omnize.com/api/v1',
  authUrl: 'https://ca1vsqktff.execute-api.us-east-1.amazonaws.com/prod/authentication',
  loginUrl: 'https://login.omnize.com.br',
  state: './omnize-sync.db',
  concurrency: 8,
  rate: 10,
  maxRate: 100,
  retries: 5,
  timeoutMs: 30_000,
  reportDir: './reports',
  logLevel: 'info',
  logFormat: undefined,
};

const dir = mkdtempSync(join(tmpdir(), 'omnize-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('resolveConfig', () => {
  it('uses the contract defaults when nothing is given, and keeps no token file path', () => {
    const config = resolveConfig({ flags: {}, env: {} });
    expect(config).toMatchObject(CONTRACT_DEFAULTS);
    expect(config).toHaveProperty('logFormat', undefined);
    expect(config).not.toHaveProperty('tokenFile');
  });

  it('takes flags over environment over config file over defaults', () => {
    const configFile = file('c.json', JSON.stringify({ rate: 3, concurrency: 2, retries: 1 }));
    const config = resolveConfig({
      flags: { rate: 7 },
      env: { OMNIZE_RATE: '5', OMNIZE_CONCURRENCY: '4' },
      configFile,
    });
    expect(config.rate).toBe(7);
    expect(config.concurrency).toBe(4);
    expect(config.retries).toBe(1);
    expect(config.timeoutMs).toBe(CONTRACT_DEFAULTS.timeoutMs);
  });

  it('reads the token from OMNIZE_TOKEN, or from the file OMNIZE_TOKEN_FILE or --token-file names', () => {
    const tokenFile = file('token', 'from-file-token\n');
    expect(resolveConfig({ flags: {}, env: { OMNIZE_TOKEN: 'env-token' } }).token).toBe('env-token');
    expect(resolveConfig({ flags: {}, env: { OMNIZE_TOKEN_FILE: tokenFile } }).token).toBe('from-file-token');
    expect(resolveConfig({ flags: { tokenFile }, env: { OMNIZE_TOKEN: 'env-token' } }).token).toBe(
      'from-file-token',
    );
  });

  it('names the source and key of a bad value', () => {
    expect(() => resolveConfig({ flags: { concurrency: 'abc' as never }, env: {} })).toThrow(
      /flag --concurrency/,
    );
    expect(() => resolveConfig({ flags: {}, env: { OMNIZE_RATE: '-1' } })).toThrow(/OMNIZE_RATE/);
    const configFile = file('bad.json', JSON.stringify({ retries: 'many', colour: 'blue' }));
    expect(() => resolveConfig({ flags: {}, env: {}, configFile })).toThrow(UsageError);
    expect(() => resolveConfig({ flags: {}, env: {}, configFile })).toThrow(/unknown setting "colour"/);
  });

  it('says clearly when the config file is not JSON or the token file is missing', () => {
    const configFile = file('broken.json', '{ rate: ');
    expect(() => resolveConfig({ flags: {}, env: {}, configFile })).toThrow(/broken.json: not valid JSON/);
    expect(() => resolveConfig({ flags: { tokenFile: join(dir, 'nope') }, env: {} })).toThrow(
      /token file .*nope/,
    );
  });

  it('requires a token for API commands without echoing anything secret', () => {
    const config = resolveConfig({ flags: {}, env: {} });
    expect(() => requireToken(config)).toThrow(/OMNIZE_TOKEN/);
  });

  it('loads the commented example for the nightly job', () => {
    const config = resolveConfig({ flags: {}, env: {}, configFile: join(EXAMPLES, 'nightly.json') });
    expect(config).toMatchObject({
      state: '/data/omnize-sync.db',
      reportDir: '/data/reports',
      logFormat: 'json',
      token: undefined,
    });
    expect(config.concurrency).toBeLessThan(CONTRACT_DEFAULTS.concurrency);
    expect(config.rate).toBeLessThan(CONTRACT_DEFAULTS.rate);
  });

  it('takes --rate auto from a flag or OMNIZE_RATE, with --max-rate (default 100)', () => {
    expect(resolveConfig({ flags: { rate: 'auto' }, env: {} })).toMatchObject({ rate: 'auto', maxRate: 100 });
    expect(resolveConfig({ flags: {}, env: { OMNIZE_RATE: 'auto', OMNIZE_MAX_RATE: '40' } })).toMatchObject({
      rate: 'auto',
      maxRate: 40,
    });
    expect(resolveConfig({ flags: { rate: '25' }, env: { OMNIZE_RATE: 'auto' } }).rate).toBe(25);
  });

  it('refuses a --rate that is neither a number nor auto, naming the flag', () => {
    expect(() => resolveConfig({ flags: { rate: 'fast' }, env: {} })).toThrow(
      'flag --rate: must be a number of requests per second (more than 0, at most 10000) or auto',
    );
    expect(() => resolveConfig({ flags: {}, env: { OMNIZE_MAX_RATE: '0' } })).toThrow(
      /^environment variable OMNIZE_MAX_RATE: /,
    );
  });

  it('loads the commented example for a one-off migration: faster, more patient than the nightly job', () => {
    const nightly = resolveConfig({ flags: {}, env: {}, configFile: join(EXAMPLES, 'nightly.json') });
    const migration = resolveConfig({ flags: {}, env: {}, configFile: join(EXAMPLES, 'migration.json') });
    expect(migration.state).toBe(nightly.state);
    expect(migration.rate).toBeGreaterThan(nightly.rate as number);
    expect(migration.concurrency).toBeGreaterThan(nightly.concurrency);
    expect(migration.retries).toBeGreaterThan(nightly.retries);
    expect(migration.timeoutMs).toBeGreaterThan(nightly.timeoutMs);
  });

  it('lets a flag or the environment override one key of an example file', () => {
    const configFile = join(EXAMPLES, 'nightly.json');
    const config = resolveConfig({ flags: { rate: 2 }, env: { OMNIZE_STATE: '/elsewhere.db' }, configFile });
    expect(config.rate).toBe(2);
    expect(config.state).toBe('/elsewhere.db');
    expect(config.concurrency).toBe(4);
  });

  it('reads comments, URLs holding // and a trailing comma in a config file', () => {
    const configFile = file(
      'commented.json',
      '// test\n{\n  "baseUrl": "http://127.0.0.1:4010/api/v1/", /* sandbox */\n  "retries": 2,\n}\n',
    );
    const config = resolveConfig({ flags: {}, env: {}, configFile });
    expect(config.baseUrl).toBe('http://127.0.0.1:4010/api/v1');
    expect(config.retries).toBe(2);
  });

  it('refuses a token in a config file, points to the token file, and never repeats the token', () => {
    for (const key of ['token', 'OMNIZE_TOKEN', 'partnerToken', 'partner-token', 'omnize_token']) {
      const configFile = file(`with-${key}.json`, JSON.stringify({ rate: 3, [key]: 's3cr3t-partner-token' }));
      const message = usageRefusal(() => resolveConfig({ flags: {}, env: {}, configFile }));
      expect(message).toContain(`key "${key}"`);
      expect(message).toMatch(/token never goes in a config file/);
      expect(message).toMatch(/OMNIZE_TOKEN_FILE/);
      expect(message).not.toContain('s3cr3t');
    }
  });

  it('names the camelCase setting a misspelt key most likely meant', () => {
    const configFile = file(
      'misspelt.json',
      JSON.stringify({ REPORT_DIR: '/r', OMNIZE_RATE: 2, 'Timeout-Ms': 1, colour: 1, 'report-dirs': '/r' }),
    );
    const attempt = () => resolveConfig({ flags: {}, env: {}, configFile });
    expect(attempt).toThrow(/unknown setting "REPORT_DIR" \(did you mean "reportDir"\?\)/);
    expect(attempt).toThrow(/unknown setting "OMNIZE_RATE" \(did you mean "rate"\?\)/);
    expect(attempt).toThrow(/unknown setting "Timeout-Ms" \(did you mean "timeoutMs"\?\)/);
    expect(attempt).toThrow(/unknown setting "colour"(?! \()/);
    expect(attempt).toThrow(/unknown setting "report-dirs"(?! \()/);
  });

  it('reads a setting written as its flag (report-dir) or in snake_case (report_dir) as its camelCase key', () => {
    const camel = file(
      'camel.json',
      JSON.stringify({ reportDir: '/r', timeoutMs: 5000, baseUrl: 'http://127.0.0.1:4010/api', maxRate: 50 }),
    );
    const kebab = file(
      'kebab.json',
      JSON.stringify({
        'report-dir': '/r',
        'timeout-ms': 5000,
        'base-url': 'http://127.0.0.1:4010/api',
        'max-rate': 50,
      }),
    );
    const snake = file(
      'snake.json',
      JSON.stringify({
        report_dir: '/r',
        timeout_ms: 5000,
        base_url: 'http://127.0.0.1:4010/api',
        max_rate: 50,
      }),
    );
    const expected = { reportDir: '/r', timeoutMs: 5000, baseUrl: 'http://127.0.0.1:4010/api', maxRate: 50 };
    for (const configFile of [camel, kebab, snake]) {
      const config = resolveConfig({ flags: {}, env: {}, configFile });
      expect(config, configFile).toMatchObject(expected);
      expect(config).not.toHaveProperty('report-dir');
      expect(config).not.toHaveProperty('report_dir');
    }
    const mixed = file('mixed.json', JSON.stringify({ report_dir: '/r', 'timeout-ms': 5000, retries: 1 }));
    expect(resolveConfig({ flags: {}, env: {}, configFile: mixed })).toMatchObject({
      reportDir: '/r',
      timeoutMs: 5000,
      retries: 1,
    });
  });

  it('names a bad value by the key as the file spells it', () => {
    const configFile = file('bad-snake.json', JSON.stringify({ timeout_ms: 'soon' }));
    expect(() => resolveConfig({ flags: {}, env: {}, configFile })).toThrow(
      new RegExp(`config file ${configFile}: key "timeout_ms": `),
    );
  });

  it('refuses two spellings of one setting in a file, naming both keys and the file, never a value', () => {
    const configFile = file('twice.json', JSON.stringify({ reportDir: '/a-secret-path', report_dir: '/b' }));
    const message = usageRefusal(() => resolveConfig({ flags: {}, env: {}, configFile }));
    expect(message).toBe(
      `config file ${configFile}: keys "reportDir" and "report_dir" are the same setting; keep one`,
    );
    const thrice = file('thrice.json', JSON.stringify({ 'timeout-ms': 1, timeoutMs: 2, timeout_ms: 3 }));
    expect(() => resolveConfig({ flags: {}, env: {}, configFile: thrice })).toThrow(
      `config file ${thrice}: keys "timeout-ms", "timeoutMs" and "timeout_ms" are the same setting; keep one`,
    );
  });

  it('gives the line and column of a syntax error without quoting the file', () => {
    const configFile = file('typo.json', '{\n  "rate": 5\n  "tokenFile": /run/s3cr3t\n}');
    expect(() => resolveConfig({ flags: {}, env: {}, configFile })).toThrow(
      /typo.json: not valid JSON \(line 3, column 3: ',' was expected/,
    );
    const unclosed = file('unclosed.json', '// settings\n{\n  "rate": 1 /* never closed\n}');
    expect(() => resolveConfig({ flags: {}, env: {}, configFile: unclosed })).toThrow(
      /unclosed.json: not valid JSON \(line 3, column 13: a \/\* comment is never closed/,
    );
    const padding = '"retries": 1, '.repeat(20);
    for (const text of [
      '{"tokenFile": s3cr3t}',
      `{${padding}"tokenFile": s3cr3t}`,
      '{"tokenFile": "s3cr3t',
    ]) {
      const unquoted = file('unquoted.json', text);
      expect(() => resolveConfig({ flags: {}, env: {}, configFile: unquoted })).toThrow(/not valid JSON/);
      expect(() => resolveConfig({ flags: {}, env: {}, configFile: unquoted })).toThrow(/^(?!.*s3cr3t)/s);
    }
  });

  it('reads a config file saved with a byte-order mark, as Windows editors do', () => {
    const configFile = file('bom.json', '\uFEFF{ "retries": 3 }');
    expect(resolveConfig({ flags: {}, env: {}, configFile }).retries).toBe(3);
  });

  it('keeps "//" and "/*" inside strings, and refuses an empty entry between commas', () => {
    const configFile = file('slashes.json', '{ "reportDir": "/data//reports/* not a comment */" }');
    expect(resolveConfig({ flags: {}, env: {}, configFile }).reportDir).toBe(
      '/data//reports/* not a comment */',
    );
    const doubled = file('doubled.json', '{ "rate": 1,, "retries": 2 }');
    expect(() => resolveConfig({ flags: {}, env: {}, configFile: doubled })).toThrow(/line 1, column 13/);
  });

  it('treats a "__proto__" key as an unknown setting, never as a way in for the keys under it', () => {
    const configFile = file('proto.json', '{ "__proto__": { "rate": 1, "token": "s3cr3t" } }');
    expect(() => resolveConfig({ flags: {}, env: {}, configFile })).toThrow(/unknown setting "__proto__"/);
  });
});
