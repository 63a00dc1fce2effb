import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/state/index.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;

let folder: string;
let statePath: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'omnize-state-cli-'));
  statePath = join(folder, 'state.db');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the built CLI the way a partner does (needs `npm run build`). */
async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: folder,
      env: { ...process.env, NO_COLOR: '1', OMNIZE_STATE: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const state = (...args: string[]) => cli(['state', ...args, '--state', statePath]);

/** Prepares the store through its own API, as an apply would have left it. */
function withStore(work: (store: StateStore) => void): void {
  const store = StateStore.open(statePath);
  try {
    work(store);
  } finally {
    store.close();
  }
}

describe('omnize-sync state', () => {
  it('lists nothing, and creates no file, when the store does not exist yet', async () => {
    const text = await state('list');
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/no state store at .*state\.db yet/);
    const json = await state('list', '--json');
    expect(JSON.parse(json.stdout)).toEqual([]);
    expect(existsSync(statePath)).toBe(false);
  });

  it('adopts a new key, noting that its fields are sent once, and lists it', async () => {
    const adopted = await state('adopt', '007', '4242');
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toMatch(/key "007" is now Omnize account 4242/);
    expect(adopted.stdout).toMatch(/sent once on the next apply/);
    const listed = await state('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^KEY\s+OMNIZE ID\s+CREATE STATE\s+LICENSES\s+STATUS\s+LAST APPLIED AT$/m);
    expect(listed.stdout).toMatch(/^007\s+4242\s+known\s+-\s+-\s+-$/m);
    expect(JSON.parse((await state('list', '--json')).stdout)).toMatchObject([
      { key: '007', accountId: 4242, createState: 'known', applied: {}, password: 'not set' },
    ]);
  });

  it('refuses an ID that is not a positive whole number', async () => {
    const result = await state('adopt', 'acme', '12abc');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ID must be a positive whole number, not "12abc"/);
  });

  it('shows every remembered value, the password only as set or not', async () => {
    let fingerprint = '';
    withStore((store) => {
      fingerprint = store.fingerprint('Secret-Pw-123');
      store.recordAccountCreated(
        'acme',
        101,
        {
          email: 'ops@acme.com',
          mainContact: 'Ana',
          licenseQuantity: 5,
          licenseCode: 'PARTNER_X',
          status: 'active',
        },
        fingerprint,
      );
      store.recordAgentApplied(101, 'bia@acme.com', {
        textLimit: 3,
        passwordFingerprint: store.fingerprint('x-y-z-w'),
      });
    });
    const shown = await state('show', 'acme');
    expect(shown.code).toBe(0);
    for (const line of [/^Omnize id\s+101$/m, /^e-mail\s+ops@acme\.com$/m, /^license quantity\s+5$/m]) {
      expect(shown.stdout).toMatch(line);
    }
    expect(shown.stdout).toMatch(/^license code\s+PARTNER_X$/m);
    expect(shown.stdout).toMatch(/^password\s+set$/m);
    expect(shown.stdout).toMatch(/^bia@acme\.com\s+3\s+set$/m);
    const json = await state('show', 'acme', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      key: 'acme',
      password: 'set',
      applied: { mainContact: 'Ana' },
      agents: [{ email: 'bia@acme.com', textLimit: 3, password: 'set' }],
    });
    for (const output of [shown.stdout, json.stdout]) {
      expect(output).not.toContain(fingerprint.slice('hmac-sha256:'.length));
      expect(output).not.toContain('hmac-sha256');
    }
  });

  it('explains an account create of unknown outcome, and adopt resolves it', async () => {
    withStore((store) =>
      store.markAccountCreateUnknown('acme', { email: 'ops@acme.com', licenseQuantity: 2 }),
    );
    const listed = await state('list');
    expect(listed.stdout).toMatch(/^acme\s+-\s+unknown\s+2\s+-\s+-$/m);
    const shown = await state('show', 'acme');
    expect(shown.stdout).toMatch(/outcome is unknown/);
    expect(shown.stdout).toContain('omnize-sync state adopt acme ID');
    const adopted = await state('adopt', 'acme', '555');
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toMatch(/create of unknown outcome is resolved/);
    withStore((store) =>
      expect(store.getAccount('acme')).toMatchObject({ accountId: 555, createState: 'known' }),
    );
  });

  it('forgets a key with a warning about what the next apply does; an unknown key exits 1', async () => {
    withStore((store) => {
      store.recordAccountCreated('acme', 101, {});
      store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 1 });
    });
    const forgotten = await state('forget', 'acme');
    expect(forgotten.code).toBe(0);
    expect(forgotten.stdout).toMatch(/forgot key "acme" \(Omnize account 101\) and 1 remembered agent\./);
    expect(forgotten.stdout).toMatch(/unless its row gives account_id 101/);
    const again = await state('forget', 'acme');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no account with key "acme" in the state store/);
    expect((await state('show', 'acme')).code).toBe(1);
  });

  it('refuses show and forget on a store that does not exist, without creating it', async () => {
    for (const action of ['show', 'forget']) {
      const result = await state(action, 'acme');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no state store at/);
    }
    expect(existsSync(statePath)).toBe(false);
  });

  it('will not adopt or forget while a run holds the lock, naming host, pid and start time', async () => {
    withStore((store) => store.recordAccountCreated('acme', 101, {}));
    const store = StateStore.open(statePath);
    try {
      store.acquireLock({ runId: 'running-apply', host: hostname(), pid: process.pid, command: 'apply' });
      const since = store.lockHolder()?.startedAt ?? '';
      for (const args of [
        ['adopt', 'other', '202'],
        ['forget', 'acme'],
      ]) {
        const result = await state(...args);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`host ${hostname()}, pid ${process.pid}, since ${since}`);
      }
      expect((await state('list')).code).toBe(0);
    } finally {
      store.close();
    }
    withStore((after) => expect(after.getAccount('acme')?.accountId).toBe(101));
  });

  it('finds the store through OMNIZE_STATE, relative to the working folder', async () => {
    await cli(['state', 'adopt', 'acme', '9'], { OMNIZE_STATE: 'nested/s.db' });
    expect(existsSync(join(folder, 'nested', 's.db'))).toBe(true);
    const listed = await cli(['state', 'list'], { OMNIZE_STATE: 'nested/s.db' });
    expect(listed.stdout).toMatch(/^acme\s+9\s+known/m);
  });
});
