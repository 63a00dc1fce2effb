import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, requireToken, resolveConfig } from '../../src/config/config.js';
import { UsageError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'omnize-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('resolveConfig', () => {
  it('uses the contract defaults when nothing is given', () => {
    const config = resolveConfig({ flags: {}, env: {} });
    expect(config).toMatchObject({ ...DEFAULTS, token: undefined, logFormat: undefined });
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
    expect(config.timeoutMs).toBe(DEFAULTS.timeoutMs);
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
});
