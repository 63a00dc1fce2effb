import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentPidScope, isRunDead, type RunFinish, type RunStart } from '../../src/state/index.js';
import { openStore } from './temp-store.js';

const HERE = { host: hostname(), pidScope: currentPidScope() };

function start(overrides: Partial<RunStart> = {}): RunStart {
  return {
    runId: `run-${Math.random().toString(36).slice(2)}`,
    command: 'plan',
    host: HERE.host,
    pid: process.pid,
    pidScope: HERE.pidScope,
    startedAt: new Date().toISOString(),
    scope: null,
    ...overrides,
  };
}

const FINISH: RunFinish = {
  finishedAt: new Date().toISOString(),
  exitCode: 3,
  ending: 'applied',
  counts: { 'agent.create': { ok: 2, failed: 1 } },
  readRequests: 5,
  writeRequests: 3,
  retries: 1,
  driftChanges: 0,
  reportFolder: 'reports/20261202T000000Z-apply',
};

/** The pid of a process that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return child.pid!;
}

describe('the run history in the state store', () => {
  it('keeps a run written at its start and at its end, newest first, and leaves the serial alone', () => {
    const store = openStore();
    const serial = store.serial();
    const first = start({ command: 'apply' });
    store.recordRunStarted(first);
    expect(store.runs()[0]).toMatchObject({ runId: first.runId, status: 'running', exitCode: null });
    store.recordRunFinished(first, FINISH);
    const second = start();
    store.recordRunFinished(second, { ...FINISH, exitCode: 1, ending: 'ManifestError', reportFolder: null });
    const runs = store.runs();
    expect(runs.map((run) => [run.runId, run.status, run.exitCode])).toEqual([
      [second.runId, 'finished', 1],
      [first.runId, 'finished', 3],
    ]);
    expect(runs[1]).toMatchObject({ counts: FINISH.counts, readRequests: 5, writeRequests: 3, retries: 1 });
    expect(runs[1]?.reportFolder).toBe(FINISH.reportFolder);
    expect(store.runs({ limit: 1 })).toHaveLength(1);
    expect(store.runs({ command: 'apply' }).map((run) => run.runId)).toEqual([first.runId]);
    expect(store.serial()).toBe(serial);
  });

  it('records when a notification was sent about a run', () => {
    const store = openStore();
    const run = start();
    store.recordRunFinished(run, FINISH);
    store.recordRunNotified(run.runId, new Date('2026-12-02T03:00:00.000Z'));
    expect(store.runs()[0]?.notifiedAt).toBe('2026-12-02T03:00:00.000Z');
  });

  // Was "a plan left running by a process that is gone": a plan held no lock then, so its pid
  // decided. A plan takes the run lock now, and its row is judged by the lock as an apply's is.
  it('marks died a plan whose run lock is gone, even with its process alive, not one that holds it', () => {
    const store = openStore();
    const holder = start();
    expect(
      store.acquireLock({ runId: holder.runId, host: HERE.host, pid: process.pid, command: 'plan' }).acquired,
    ).toBe(true);
    const orphan = start({ pid: process.ppid });
    store.recordRunStarted(holder);
    store.recordRunStarted(orphan);
    expect(store.markDiedRuns(HERE)).toEqual([orphan.runId]);
    const status = Object.fromEntries(store.runs().map((run) => [run.runId, run.status]));
    expect(status).toEqual({ [holder.runId]: 'running', [orphan.runId]: 'died' });
    store.releaseLock(holder.runId);
    expect(store.markDiedRuns(HERE)).toEqual([holder.runId]);
  });

  it('lets a run marked died by mistake (a plan of an older omnize-sync, which held no lock) write its end', () => {
    const store = openStore();
    const unlocked = start({ pid: process.ppid });
    store.recordRunStarted(unlocked);
    expect(store.markDiedRuns(HERE)).toEqual([unlocked.runId]);
    store.recordRunFinished(unlocked, { ...FINISH, exitCode: 0, ending: 'planned' });
    expect(store.runs()[0]).toMatchObject({ runId: unlocked.runId, status: 'finished', exitCode: 0 });
  });

  it('marks died an apply whose run lock is gone or taken by another run, not one that holds it', () => {
    const store = openStore();
    const holder = start({ command: 'apply' });
    expect(
      store.acquireLock({ runId: holder.runId, host: HERE.host, pid: process.pid, command: 'apply' })
        .acquired,
    ).toBe(true);
    const orphan = start({ command: 'apply', pid: process.ppid });
    store.recordRunStarted(holder);
    store.recordRunStarted(orphan);
    expect(store.markDiedRuns(HERE)).toEqual([orphan.runId]);
    store.releaseLock(holder.runId);
    expect(store.markDiedRuns(HERE)).toEqual([holder.runId]);
  });

  it('never marks a finished run, nor the run doing the marking', () => {
    const store = openStore();
    const mine = start({ pid: deadPid() });
    store.recordRunStarted(mine);
    expect(store.markDiedRuns(HERE, mine.runId)).toEqual([]);
    store.recordRunFinished(mine, FINISH);
    expect(store.markDiedRuns(HERE)).toEqual([]);
    expect(store.runs()[0]?.status).toBe('finished');
  });
});

describe('whether a run left running is dead (isRunDead)', () => {
  const now = '2026-12-02T12:00:00.000Z';
  const elsewhere = { host: 'other-host', pidScope: 'other', now };

  // Were "gives a plan on another host 24 h" and "checks the pid of a plan on the same host": the
  // rules for a plan that held no lock. Its lock decides now, as an apply's: at once, on any host.
  it('takes a plan on another host for dead as soon as the lock is not its own, and alive while its heartbeat is fresh', () => {
    const run = start({
      host: 'laptop',
      pidScope: 'laptop',
      pid: 4242,
      startedAt: '2026-12-02T11:59:00.000Z',
    });
    const holder = {
      runId: run.runId,
      host: 'laptop',
      pid: 4242,
      pidScope: 'laptop',
      command: 'plan',
      startedAt: run.startedAt,
      heartbeatAt: '2026-12-02T11:59:50.000Z',
      processStartedAt: null,
    };
    expect(isRunDead(run, holder, elsewhere)).toBe(false);
    expect(isRunDead(run, undefined, elsewhere)).toBe(true);
    expect(isRunDead(run, { ...holder, runId: 'another-run' }, elsewhere)).toBe(true);
    expect(isRunDead(run, { ...holder, heartbeatAt: '2026-12-02T11:58:00.000Z' }, elsewhere)).toBe(true);
  });

  it('checks the pid of a plan holding the lock on the same host and pid space', () => {
    const pid = deadPid();
    const run = start({ pid });
    const holder = {
      runId: run.runId,
      host: HERE.host,
      pid,
      pidScope: HERE.pidScope,
      command: 'plan',
      startedAt: now,
      heartbeatAt: now,
      processStartedAt: null,
    };
    expect(isRunDead(run, holder, { ...HERE, now })).toBe(true);
    expect(isRunDead(run, { ...holder, pid: process.ppid }, { ...HERE, now })).toBe(false);
  });

  it('takes an apply on another host for dead once its lock heartbeat is stale', () => {
    const run = start({ command: 'apply', host: 'cron-host', pidScope: 'cron' });
    const holder = {
      runId: run.runId,
      host: 'cron-host',
      pid: 77,
      pidScope: 'cron',
      command: 'apply',
      startedAt: '2026-12-02T11:00:00.000Z',
      heartbeatAt: '2026-12-02T11:59:30.000Z',
      processStartedAt: null,
    };
    expect(isRunDead(run, holder, elsewhere)).toBe(false);
    expect(isRunDead(run, { ...holder, heartbeatAt: '2026-12-02T11:58:00.000Z' }, elsewhere)).toBe(true);
  });
});
