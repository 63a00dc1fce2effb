import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { type Config, resolveConfig } from '../../src/config/config.js';
import { configFileKeys, helpText, SETTING_KEYS, SETTINGS } from '../../src/config/settings.js';

const folder = mkdtempSync(join(tmpdir(), 'omnize-settings-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A value most settings refuse and the path-like ones take as given: either way it must be read. */
const ODD_VALUE = 'not a value';

/** What resolving gives: the Config, or the kind of error; so that two sources can be compared. */
function outcome(resolve: () => Config): Config | string {
  try {
    return resolve();
  } catch (error) {
    return (error as Error).name;
  }
}

/** Runs the CLI in this process, capturing what yargs prints (help goes to console.log). */
async function cli(...args: string[]): Promise<{ code: number; output: string }> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: unknown) => printed.push(String(text)));
  const stderr = new PassThrough();
  stderr.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
  try {
    const code = await runCli(args, {
      stdout: new PassThrough(),
      stderr,
      stdin: new PassThrough(),
      env: {},
      cwd: folder,
    });
    return { code, output: printed.join('') };
  } finally {
    log.mockRestore();
  }
}

describe('the settings table', () => {
  it('names each flag as its key in kebab case, since yargs hands commands the camelCase name', () => {
    for (const key of SETTING_KEYS) {
      const camelCase = SETTINGS[key].flag.replace(/-([a-z])/g, (_dash, letter: string) =>
        letter.toUpperCase(),
      );
      expect(camelCase).toBe(key);
    }
  });

  it('gives every setting a flag and an OMNIZE_ environment variable of its own', () => {
    const flags = SETTING_KEYS.map((key) => SETTINGS[key].flag);
    const variables = SETTING_KEYS.map((key) => SETTINGS[key].environment);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(variables).size).toBe(variables.length);
    for (const variable of variables) expect(variable).toMatch(/^OMNIZE_[A-Z_]+$/);
  });

  it('has defaults its own schemas accept unchanged', () => {
    for (const key of SETTING_KEYS) {
      const { schema, default: value } = SETTINGS[key];
      if (value !== undefined) expect(schema.parse(value), key).toEqual(value);
    }
  });

  it('lets the environment and a config file set each setting exactly as its flag does', () => {
    const nothingGiven = resolveConfig({ flags: {}, env: {} });
    for (const key of SETTING_KEYS) {
      const configFile = join(folder, `${key}.json`);
      writeFileSync(configFile, JSON.stringify({ [key]: ODD_VALUE }));
      const fromFlag = outcome(() => resolveConfig({ flags: { [key]: ODD_VALUE }, env: {} }));
      const fromEnvironment = outcome(() =>
        resolveConfig({ flags: {}, env: { [SETTINGS[key].environment]: ODD_VALUE } }),
      );
      const fromFile = outcome(() => resolveConfig({ flags: {}, env: {}, configFile }));
      expect(fromFlag, key).not.toEqual(nothingGiven);
      expect(fromEnvironment, key).toEqual(fromFlag);
      expect(fromFile, key).toEqual(fromFlag);
    }
  });

  it('lets a config file write each setting as its flag (report-dir) or in snake_case (report_dir), read as camelCase', () => {
    for (const key of SETTING_KEYS) {
      const fromFlag = outcome(() => resolveConfig({ flags: { [key]: ODD_VALUE }, env: {} }));
      const { flag } = SETTINGS[key];
      for (const spelling of [flag, flag.replaceAll('-', '_')]) {
        const configFile = join(folder, `${key}-${spelling}.json`);
        writeFileSync(configFile, JSON.stringify({ [spelling]: ODD_VALUE }));
        const fromFile = outcome(() => resolveConfig({ flags: {}, env: {}, configFile }));
        expect(fromFile, spelling).toEqual(fromFlag);
        // A refused value is this setting's refusal (or its token file's), not an unknown key's.
        if (typeof fromFile === 'string') {
          expect(() => resolveConfig({ flags: {}, env: {}, configFile }), spelling).toThrow(
            /^(?!.*unknown setting)/s,
          );
        }
      }
    }
  });

  it('gives no two settings a config-file spelling in common', () => {
    const spellings = SETTING_KEYS.flatMap((key) => [...new Set(configFileKeys(key))]);
    expect(new Set(spellings).size).toBe(spellings.length);
    expect(configFileKeys('reportDir')).toEqual(['reportDir', 'report-dir', 'report_dir']);
    expect(configFileKeys('rate')).toEqual(['rate']);
  });
});

describe('the settings on the command line', () => {
  it('lists every setting under the global options in --help, with its environment variable and default', async () => {
    const { code, output } = await cli('--help');
    expect(code).toBe(0);
    const help = output.replace(/\s+/g, ' ');
    const global = help.slice(
      help.indexOf('Global options (flags > environment > --config file > defaults):'),
    );
    expect(global).toContain('--config JSON config file');
    for (const key of SETTING_KEYS) {
      expect(global).toContain(`--${SETTINGS[key].flag} ${helpText(key)}`);
      expect(helpText(key)).toContain(`[env ${SETTINGS[key].environment}]`);
    }
    expect(helpText('concurrency')).toMatch(/\(default 8\)$/);
    expect(helpText('logFormat')).toMatch(/\(default pretty on a terminal, JSON otherwise\)$/);
  });

  it('hands each flag to the config, which names the flag of a bad value', async () => {
    const refused = SETTING_KEYS.filter((key) => !SETTINGS[key].schema.safeParse(ODD_VALUE).success);
    expect(refused.length).toBeGreaterThan(SETTING_KEYS.length / 2);
    for (const key of refused) {
      const { code, output } = await cli('state', 'list', `--${SETTINGS[key].flag}`, ODD_VALUE);
      expect(code, key).toBe(1);
      expect(output, key).toContain(`flag --${SETTINGS[key].flag}:`);
    }
  });
});
