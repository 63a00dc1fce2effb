import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { StateStore } from '../../src/state/index.js';

let folder: string;
let statePath: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'omnize-widget-'));
  statePath = join(folder, 'state.db');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the CLI in this process with no token and no network settings: widget needs neither. */
async function widget(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  const code = await runCli(['widget', ...args], {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { OMNIZE_STATE: statePath },
    cwd: folder,
  });
  return {
    code,
    stdout: Buffer.concat(chunks.stdout).toString('utf8'),
    stderr: Buffer.concat(chunks.stderr).toString('utf8'),
  };
}

describe('omnize-sync widget (in process)', () => {
  it('prints the snippet for a key the store knows, with one trailing newline', async () => {
    const store = StateStore.open(statePath);
    store.adoptAccount('padaria', 1000);
    store.close();
    const run = await widget('padaria');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('        wOmz.init({id:1000});\n');
    expect(run.stdout.startsWith('<!-- Início do script Omnize -->\n')).toBe(true);
    expect(run.stdout.endsWith('<!-- Fim do script Omnize -->\n')).toBe(true);
  });

  it('explains state adopt for a key whose create outcome is unknown, and exits 1', async () => {
    const store = StateStore.open(statePath);
    store.markAccountCreateUnknown('cafe', { email: 'contato@cafedaesquina.com.br', licenseQuantity: 5 });
    store.close();
    const run = await widget('cafe');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('account "cafe" has no Omnize ID yet');
    expect(run.stderr).toContain('omnize-sync state adopt cafe ID');
  });

  it('takes a numeric ID without a store, and does not create one', async () => {
    const run = await widget('4242');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wOmz.init({id:4242});');
    expect(existsSync(statePath)).toBe(false);
  });

  it('exits 1 for a key when there is no store, without creating one', async () => {
    const run = await widget('padaria');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no state store at ${statePath}, so the key "padaria" is unknown`);
    expect(existsSync(statePath)).toBe(false);
  });

  it('rejects a missing argument as a usage error', async () => {
    const run = await widget();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });
});
