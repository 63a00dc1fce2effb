import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/state/index.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;

let folder: string;
let statePath: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'omnize-adopt-from-'));
  statePath = join(folder, 'state.db');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the built CLI the way a partner does (needs `npm run build`); no token anywhere. */
async function state(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', OMNIZE_STATE: '' };
  delete env.OMNIZE_TOKEN;
  delete env.OMNIZE_TOKEN_FILE;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'state', ...args, '--state', statePath], {
      cwd: folder,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function withStore<T>(work: (store: StateStore) => T): T {
  const store = StateStore.open(statePath);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

const mapping = () =>
  withStore((store) =>
    store.listAccounts().map(({ key, accountId, createState }) => [key, accountId, createState]),
  );

describe('omnize-sync state adopt --from FILE', () => {
  it('adopts a Windows-1252, ";", CRLF file with accented keys, in one summary line', async () => {
    withStore((store) => {
      store.adoptAccount('acme', 10);
      store.markAccountCreateUnknown('padaria-são-joão', {});
    });
    const text = ' Key ; ACCOUNT_ID \r\nacme;10\r\n\r\n padaria-são-joão ; 31 \r\nconfeitaria-ção;32\r\n';
    writeFileSync(join(folder, 'ids.csv'), iconv.encode(text, 'win1252'));
    const result = await state('adopt', '--from', 'ids.csv');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'adopted 3 keys from ids.csv: 1 new, 1 already as given, 1 unknown create resolved. ' +
        'Their fields in the manifest will be sent once on the next apply.\n',
    );
    expect(mapping()).toEqual([
      ['acme', 10, 'known'],
      ['confeitaria-ção', 32, 'known'],
      ['padaria-são-joão', 31, 'known'],
    ]);
  });

  it('reads UTF-8 with a BOM and ","', async () => {
    writeFileSync(join(folder, 'ids.csv'), '\uFEFFkey,account_id\nJosé,7\n');
    const result = await state('adopt', '--from', 'ids.csv');
    expect(result.code).toBe(0);
    expect(mapping()).toEqual([['José', 7, 'known']]);
  });

  it('refuses a file with one bad row, naming every problem by row and column, and changes nothing', async () => {
    withStore((store) => {
      store.adoptAccount('acme', 10);
      store.adoptAccount('beta', 20);
    });
    const rows = [
      'key,account_id',
      'gamma,30',
      'acme,11',
      'delta,20',
      'gamma,31',
      'eps,x1',
      ',40',
      'zeta,30',
    ];
    writeFileSync(join(folder, 'ids.csv'), `${rows.join('\n')}\n`);
    const result = await state('adopt', '--from', 'ids.csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^ids\.csv:3:key: error: key "acme" is already Omnize account 10 .*not 11/),
      expect.stringMatching(
        /^ids\.csv:4:account_id: error: Omnize account 20 is already recorded for key "beta"/,
      ),
      'ids.csv:5:key: error: key "gamma" is on rows 2 and 5: give each key once',
      'ids.csv:6:account_id: error: the account_id must be a positive whole number, not "x1"',
      'ids.csv:7:key: error: the key is empty',
      'ids.csv:8:account_id: error: account_id 30 is on rows 2 and 8: give each ID once',
      'omnize-sync: nothing adopted: 6 problems in ids.csv; the state store is unchanged',
      '',
    ]);
    expect(mapping()).toEqual([
      ['acme', 10, 'known'],
      ['beta', 20, 'known'],
    ]);
  });

  it('refuses a missing column, a missing file, a folder, an empty file and UTF-16 in one line each', async () => {
    writeFileSync(join(folder, 'no-id.csv'), 'key;id\r\na;1\r\n');
    writeFileSync(join(folder, 'empty.csv'), '');
    writeFileSync(
      join(folder, 'utf16.csv'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key', 'utf16le')]),
    );
    writeFileSync(join(folder, 'header-only.csv'), 'key,account_id\n');
    const cases: [string, string][] = [
      ['no-id.csv', 'no-id.csv:1: error: the header has no "account_id" column'],
      ['missing.csv', 'omnize-sync: missing.csv: does not exist'],
      ['.', 'omnize-sync: .: is a folder, not a file'],
      ['empty.csv', 'omnize-sync: empty.csv: is empty'],
      ['utf16.csv', 'omnize-sync: utf16.csv: is UTF-16 text'],
      ['header-only.csv', 'omnize-sync: header-only.csv: has no rows below its header'],
    ];
    for (const [file, message] of cases) {
      const result = await state('adopt', '--from', file);
      expect(result.code, file).toBe(1);
      expect(result.stderr, file).toContain(message);
      expect(result.stderr, file).not.toMatch(/\n\s+at /);
    }
  });

  it('is a usage error with KEY or ID, or with another action', async () => {
    writeFileSync(join(folder, 'ids.csv'), 'key,account_id\na,1\n');
    for (const [args, message] of [
      [['adopt', 'a', '--from', 'ids.csv'], /either KEY ID or --from FILE, not both/],
      [['adopt', 'a', '1', '--from', 'ids.csv'], /either KEY ID or --from FILE, not both/],
      [['list', '--from', 'ids.csv'], /state list takes no --from/],
      [['forget', 'a', '--from', 'ids.csv'], /state forget takes no --from/],
    ] as [string[], RegExp][]) {
      const result = await state(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
    }
  });

  it('takes the run lock: refused while another run holds the lock, and nothing changes', async () => {
    writeFileSync(join(folder, 'ids.csv'), 'key,account_id\na,1\n');
    const store = StateStore.open(statePath);
    try {
      store.acquireLock({ runId: 'running-apply', host: hostname(), pid: process.pid, command: 'apply' });
      const result = await state('adopt', '--from', 'ids.csv');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`pid ${process.pid}`);
    } finally {
      store.close();
    }
    expect(mapping()).toEqual([]);
  });
});
