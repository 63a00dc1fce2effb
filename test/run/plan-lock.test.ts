import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { type LockHolder, StateStore } from '../../src/state/index.js';
import { DEMO_SEED, FIXTURES, TOKEN } from '../e2e/harness.js';
import { tempFolder } from '../state/temp-store.js';

/**
 * `plan` takes the run lock as `apply` does (CONTRACT §6, §16), run in this process against the
 * sandbox on loopback and a real SQLite file: refused while a live run holds it (no request),
 * taking over a dead holder's, holding it while it reads, and freeing it however it ends.
 */

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

interface Place {
  folder: string;
  statePath: string;
  sandbox: RunningSandbox;
}

async function place(latencyMs = 0): Promise<Place> {
  const folder = tempFolder();
  cpSync(join(FIXTURES, 'demo'), join(folder, 'demo'), { recursive: true });
  sandbox = await startSandbox({ port: 0, token: TOKEN, seed: DEMO_SEED, latencyMs });
  return { folder, statePath: join(folder, 'state.db'), sandbox };
}

async function cli(where: Place, args: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  const code = await runCli(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {
      OMNIZE_TOKEN: TOKEN,
      OMNIZE_BASE_URL: where.sandbox.baseUrl,
      OMNIZE_AUTH_URL: where.sandbox.authUrl,
      OMNIZE_STATE: where.statePath,
      OMNIZE_REPORT_DIR: join(where.folder, 'reports'),
      OMNIZE_LOG_FORMAT: 'json',
      ...env,
    },
    cwd: where.folder,
  });
  return {
    code,
    stdout: Buffer.concat(chunks.stdout).toString('utf8'),
    stderr: Buffer.concat(chunks.stderr).toString('utf8'),
  };
}

/** Another run's lock, written as its process would: `pid` alive (our parent) or gone. */
function lockBy(statePath: string, pid: number, command = 'apply'): void {
  const store = StateStore.open(statePath);
  try {
    expect(store.acquireLock({ runId: 'other-run', host: hostname(), pid, command }).acquired).toBe(true);
  } finally {
    store.close();
  }
}

function holderOf(statePath: string): LockHolder | undefined {
  const store = StateStore.open(statePath);
  try {
    return store.lockHolder();
  } finally {
    store.close();
  }
}

function runsOf(statePath: string) {
  const store = StateStore.open(statePath);
  try {
    return store.runs();
  } finally {
    store.close();
  }
}

/** The pid of a process that has just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid!;
}

describe('plan under the run lock (in process)', () => {
  it.each([
    { flags: [] },
    { flags: ['--json'] },
    { flags: ['--out', 'saved.json'] },
    { flags: ['--detailed-exitcode'] },
    { flags: ['--account', 'padaria'] },
  ])(
    'plan $flags while a live run holds the lock: exit 1 naming it, as apply says, and no request',
    async ({ flags }) => {
      const where = await place();
      lockBy(where.statePath, process.ppid);
      // A relative --out would land in this process's folder: runCli's cwd is only the run's.
      const args = flags.map((flag) => (flag === 'saved.json' ? join(where.folder, flag) : flag));
      const plan = await cli(where, ['plan', 'demo', ...args]);
      const apply = await cli(where, ['apply', 'demo', '--yes']);
      expect(plan.code).toBe(1);
      expect(plan.stdout).toBe('');
      expect(plan.stderr).toBe(apply.stderr);
      expect(plan.stderr.split('\n')).toHaveLength(2);
      expect(plan.stderr).toMatch(
        new RegExp(
          `^omnize-sync: the state store .* is in use by another run \\(apply\\): host ${hostname()}, pid ${process.ppid}, since \\d{4}-`,
        ),
      );
      expect(where.sandbox.requests).toEqual([]);
      expect(holderOf(where.statePath)?.runId).toBe('other-run');
    },
  );

  it('takes over the lock of a run whose process is gone, with the warning apply gives, and frees it', async () => {
    const where = await place();
    lockBy(where.statePath, deadPid(), 'plan');
    const plan = await cli(where, ['plan', 'demo']);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(
      'took over the state store lock of a run that is no longer alive (plan: host',
    );
    expect(plan.stdout).toContain('Plan:');
    expect(where.sandbox.requests.length).toBeGreaterThan(0);
    expect(where.sandbox.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(holderOf(where.statePath)).toBeUndefined();
  });

  it('holds the lock while it reads, under the run ID its history row has, and frees it at the end', async () => {
    const where = await place(100);
    const running = cli(where, ['plan', 'demo']);
    let seen: LockHolder | undefined;
    const deadline = Date.now() + 10_000;
    while (seen === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (where.sandbox.requests.length > 0) seen = holderOf(where.statePath);
    }
    const plan = await running;
    expect(plan.code).toBe(0);
    expect(seen).toMatchObject({ command: 'plan', pid: process.pid, host: hostname() });
    expect(runsOf(where.statePath).map((run) => [run.runId, run.command, run.status])).toEqual([
      [seen?.runId, 'plan', 'finished'],
    ]);
    expect(holderOf(where.statePath)).toBeUndefined();
  });

  it('frees the lock when the safety guard stops it (exit 4)', async () => {
    const where = await place();
    expect((await cli(where, ['apply', 'demo', '--yes', '--rate', '50'])).code).toBe(0);
    const departments = join(where.folder, 'demo', 'departments.csv');
    writeFileSync(
      departments,
      readFileSync(departments, 'utf8').replace('Entregas no bairro;active', 'Entregas no bairro;inactive'),
    );
    const guarded = await cli(where, ['plan', 'demo', '--max-deactivations', '0']);
    expect(guarded.code).toBe(4);
    expect(guarded.stderr).toContain('omnize-sync: stopped: ');
    expect(holderOf(where.statePath)).toBeUndefined();
  });

  it('frees the lock when it fails (an invalid token, exit 1)', async () => {
    const where = await place();
    const failed = await cli(where, ['plan', 'demo'], { OMNIZE_TOKEN: 'not-the-token' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Invalid token/i);
    expect(holderOf(where.statePath)).toBeUndefined();
    expect(runsOf(where.statePath).map((run) => [run.command, run.status, run.exitCode])).toEqual([
      ['plan', 'finished', 1],
    ]);
  });
});
