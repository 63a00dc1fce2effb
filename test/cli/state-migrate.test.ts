import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/state/index.js';
import { PostgresStateStore } from '../../src/state/postgres/store.js';
import { SqliteBackend } from '../../src/state/sqlite-backend.js';
import { CLUSTER_PASSWORD, startCluster, type TestCluster } from '../postgres/cluster.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;

let cluster: TestCluster;
let folder: string;
let statePath: string;
let databases = 0;

beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'omnize-migrate-'));
  statePath = join(folder, 'state.db');
  return () => rmSync(folder, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: folder,
      env: { ...process.env, NO_COLOR: '1', OMNIZE_STATE: '', PGPASSWORD: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** `rows` in the order of `like` (both hold the same rows, or the comparison after fails). */
function sortLike(rows: Record<string, unknown>[], like: unknown[]): Record<string, unknown>[] {
  const key = (row: unknown) => JSON.stringify(row);
  const order = new Map(like.map((row, index) => [key(row), index]));
  return [...rows].sort((a, b) => (order.get(key(a)) ?? -1) - (order.get(key(b)) ?? -1));
}

/** A fresh database's URL with no password in it (the password is given another way). */
async function emptyDatabase(): Promise<string> {
  databases += 1;
  const url = await cluster.createDatabase(`migrate_${process.pid}_${databases}`);
  return url.replace(`:${CLUSTER_PASSWORD}@`, '@');
}

/** A store as a few applies would leave it: known, unknown and deleted accounts, agents, kinds, journal. */
function seedStore(): void {
  const store = StateStore.open(statePath);
  store.recordAccountCreated(
    'acme',
    101,
    { email: 'ops@acme.com', licenseQuantity: 3 },
    store.fingerprint('pw-acme'),
  );
  store.recordAccountCreated('Beta', 202, { status: 'active', phone: '+55 11 5555-0000' });
  store.recordAccountDeleted('Beta');
  store.markAccountCreateUnknown('gamma', { email: 'g@gamma.com' });
  store.recordAgentApplied(101, 'ana@acme.com', {
    textLimit: 3,
    passwordFingerprint: store.fingerprint('pw-ana'),
  });
  store.recordAgentApplied(101, 'Zoe@acme.com', {});
  store.recordAgentApplied(101, 'bia@acme.com', { name: 'Bia Souza', profile: 'ADMIN' });
  store.recordKindsSeen(['accounts', 'agents']);
  // Drift memory (schema version 3): department values and memberships as apply leaves them.
  store.recordDepartmentApplied(101, 9001, { name: 'Vendas', description: 'inbound', active: true });
  store.recordDepartmentApplied(101, 9002, { name: 'Suporte', active: false });
  store.recordDepartmentApplied(202, 9100, {});
  store.recordMemberships({
    accountId: 101,
    departmentId: 9001,
    kind: 'agent',
    members: ['ana@acme.com', 'Zoe@acme.com', 'bia@acme.com'],
    present: true,
  });
  store.recordMemberships({
    accountId: 101,
    departmentId: 9001,
    kind: 'agent',
    members: ['Zoe@acme.com'],
    present: false,
  });
  store.recordMemberships({
    accountId: 101,
    departmentId: 9002,
    kind: 'channel',
    members: ['whatsapp', 'chat'],
    present: true,
  });
  // Run history (version 2): a finished, a notified, a died and a running run, one scoped.
  const here = { host: 'cron-host', pid: 4242, pidScope: 'boot-1' };
  const started = (
    runId: string,
    command: 'plan' | 'apply',
    minute: number,
    scope: string | null = null,
  ) => ({
    runId,
    command,
    ...here,
    startedAt: `2026-12-01T05:${String(minute).padStart(2, '0')}:00.000Z`,
    scope,
  });
  store.recordRunFinished(started('h-1', 'plan', 0), {
    finishedAt: '2026-12-01T05:00:07.250Z',
    exitCode: 2,
    ending: 'planned',
    counts: { 'agent.create': { planned: 1205 } },
    readRequests: 12,
    writeRequests: 0,
    retries: 0,
    driftChanges: 3,
    reportFolder: '/data/reports/20261201T050000Z-plan',
  });
  store.recordRunFinished(started('h-2', 'apply', 10, 'account=acme'), {
    finishedAt: '2026-12-01T05:14:00.000Z',
    exitCode: 3,
    ending: 'applied',
    counts: { 'agent.create': { ok: 1030, failed: 172 }, 'account.create': { ok: 1 } },
    readRequests: 40,
    writeRequests: 1203,
    retries: 17,
    driftChanges: 0,
    reportFolder: null,
  });
  store.recordRunNotified('h-2', new Date('2026-12-01T05:14:01.000Z'));
  store.recordRunStarted(started('h-3', 'apply', 20));
  expect(store.markDiedRuns({ host: 'cron-host', pidScope: 'boot-2' })).toEqual(['h-3']);
  store.recordRunStarted(started('h-4', 'plan', 30));
  // Learned rates (version 4): a whole and a fractional one.
  store.saveLearnedRate('https://partner.omnize.com/api/v1', 37.5);
  store.saveLearnedRate('http://127.0.0.1:8080/api/v1/', 1 / 3);
  for (let index = 0; index < 1_205; index += 1) {
    const entry = store.journalBegin({
      runId: index < 1_200 ? 'run-1' : 'run-2',
      actionId: `agent.create:${index}`,
      kind: 'agent.create',
      accountKey: 'acme',
      target: `agent${index}@acme.com`,
      request: { params: { index } },
    });
    if (index < 1_203)
      store.journalSettle(entry, { outcome: index % 7 === 0 ? 'failed' : 'ok', remoteId: index });
  }
  store.close();
}

describe('omnize-sync state migrate --to postgres://…', () => {
  it('copies the store into an empty database, verified, and the copy reads back as the file does', async () => {
    seedStore();
    const url = await emptyDatabase();
    const migrated = await cli(['state', 'migrate', '--to', url, '--state', statePath], {
      PGPASSWORD: CLUSTER_PASSWORD,
    });
    expect(migrated.stderr.split('\n').filter((line) => line.includes('"level":50'))).toEqual([]);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(
      /^copied the state store .*state\.db to postgres:\/\/omnize@127\.0\.0\.1:\d+\/migrate_\d+_\d+: meta 2, accounts 3, agents 3, kinds_seen 2, journal 1205, runs 4, departments 3, memberships 5, learned_rates 2 rows; every table's row count and digest verified/,
    );
    expect(migrated.stdout + migrated.stderr).not.toContain(CLUSTER_PASSWORD);

    const file = SqliteBackend.open(statePath);
    const copy = await PostgresStateStore.open(url, { env: { PGPASSWORD: CLUSTER_PASSWORD } });
    try {
      expect(await copy.remembered()).toEqual(await file.remembered());
      expect(await copy.listAccounts()).toEqual(await file.listAccounts());
      expect(await copy.listAgents()).toEqual(await file.listAgents());
      expect(await copy.journalOfRun('run-1')).toEqual(await file.journalOfRun('run-1'));
      expect(await copy.unsettledJournal()).toEqual(await file.unsettledJournal());
      expect(copy.fingerprint('pw-ana')).toBe(file.fingerprint('pw-ana'));
      expect(await copy.lockHolder()).toBeUndefined();
      expect(await copy.runs()).toEqual(await file.runs());
      expect(await copy.learnedRate('https://partner.omnize.com/api/v1')).toBe(37.5);
      expect(await copy.learnedRate('http://127.0.0.1:8080/api/v1')).toBe(1 / 3);
      // Every copied table, row for row, read from each side on its own (not the copy's digest).
      const sqlite = new BetterSqlite3(statePath, { readonly: true });
      // bigint columns read as numbers, as better-sqlite3 gives them
      const int8 = 20;
      const client = new pg.Client({
        connectionString: url.replace('omnize@', `omnize:${CLUSTER_PASSWORD}@`),
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            oid === int8 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      await client.connect();
      try {
        for (const [table, columns, orderBy] of [
          [
            'agents',
            'account_id, email, text_limit, password_fingerprint, name, profile',
            'account_id, email',
          ],
          ['runs', '*', 'id'],
          ['departments', '*', 'account_id, department_id'],
          ['memberships', '*', 'account_id, department_id, kind, member'],
          ['learned_rates', '*', 'base_url'],
        ] as const) {
          const expected = sqlite.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${orderBy}`).all();
          expect(expected.length, table).toBeGreaterThan(1);
          const { rows } = await client.query(`SELECT ${columns} FROM ${table}`);
          expect(sortLike(rows, expected), table).toEqual(expected);
        }
        const died = await client.query("SELECT run_id FROM runs WHERE status = 'died'");
        expect(died.rows).toEqual([{ run_id: 'h-3' }]);
      } finally {
        await client.end();
        sqlite.close();
      }
      // The run history's identity continues after the copied IDs.
      await copy.recordRunStarted({
        runId: 'after-the-move',
        command: 'plan',
        host: 'laptop',
        pid: 1,
        pidScope: 'x',
        startedAt: '2026-12-02T00:00:00.000Z',
        scope: null,
      });
      expect((await copy.runs({ limit: 1 }))[0]).toMatchObject({ id: 5, runId: 'after-the-move' });
      const next = await copy.journalBegin({
        runId: 'r',
        actionId: 'a',
        kind: 'k',
        target: 't',
        request: {},
      });
      expect(next).toBe(1_206);
    } finally {
      await copy.close();
      await file.close();
    }
  });

  it('refuses a database that is not empty, in one line that never holds the password', async () => {
    seedStore();
    const url = await emptyDatabase();
    const passwordFile = join(folder, 'pg-password');
    writeFileSync(passwordFile, `${CLUSTER_PASSWORD}\n`);
    const args = [
      'state',
      'migrate',
      '--to',
      url,
      '--state',
      statePath,
      '--state-password-file',
      passwordFile,
    ];
    expect((await cli(args)).code).toBe(0);
    const again = await cli(args);
    expect(again.code).toBe(1);
    const lines = again.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /state migrate: the database postgres:\/\/omnize@127\.0\.0\.1:\d+\/\w+ is not empty \(\d+ relations: accounts, agents, departments, …\); it copies only into an empty database/,
    );
    expect(again.stdout + again.stderr).not.toContain(CLUSTER_PASSWORD);
  });

  it('refuses while a run holds the SQLite store, naming the holder, and leaves the database empty', async () => {
    seedStore();
    const url = await emptyDatabase();
    const holder = StateStore.open(statePath);
    holder.acquireLock({ runId: 'nightly', host: 'cron-host', pid: process.pid, command: 'apply' });
    holder.close();
    const refused = await cli(['state', 'migrate', '--to', url, '--state', statePath], {
      PGPASSWORD: CLUSTER_PASSWORD,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is in use by another run \(apply\): host cron-host/);
    const later = await cli(['state', 'migrate', '--to', url, '--state', statePath], {
      PGPASSWORD: CLUSTER_PASSWORD,
    });
    expect(later.code).toBe(1);
    expect(later.stderr).not.toMatch(/is not empty/);
  });

  it('refuses a wrong password naming the URL without it, and a --to that is not PostgreSQL', async () => {
    seedStore();
    const url = await emptyDatabase();
    const wrong = await cli([
      'state',
      'migrate',
      '--to',
      url.replace('omnize@', 'omnize:Wr0ng-Secret@'),
      '--state',
      statePath,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /cannot open the state store postgres:\/\/omnize:\*\*\*@127\.0\.0\.1:\d+\/\w+: the password was refused/,
    );
    expect(wrong.stderr).not.toContain('Wr0ng-Secret');
    const notPg = await cli(['state', 'migrate', '--to', 'other.db', '--state', statePath]);
    expect(notPg).toMatchObject({ code: 1 });
    expect(notPg.stderr).toMatch(/state migrate --to other\.db: give a postgres:\/\/ URL/);
    const noTo = await cli(['state', 'migrate', '--state', statePath]);
    expect(noTo.stderr).toMatch(/state migrate needs --to/);
  });

  it('every command opens a postgres:// --state: one that cannot be reached ends in one line, its password masked', async () => {
    const url = 'postgres://omnize:Wr0ng-Secret@127.0.0.1:1/x';
    const results = await Promise.all([
      cli(['state', 'list', '--state', url]),
      cli(['widget', 'acme', '--state', url]),
      cli(['history', '--state', url]),
    ]);
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'omnize-sync: cannot open the state store postgres://omnize:***@127.0.0.1:1/x: nothing listens there (ECONNREFUSED); check --state and its password\n',
      );
    }
  });
});
