import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  currentPidScope,
  FOREIGN_PLAN_RUN_STALE_MS,
  isRunDead,
  type RunFinish,
  type RunStart,
} from '../../src/state/index.js';
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

  it('marks died a plan left running by a process that is gone, and leaves a live one running', () => {
    const store = openStore();
    const dead = start({ pid: deadPid() });
    const alive = start({ pid: process.ppid });
    store.recordRunStarted(dead);
    store.recordRunStarted(alive);
    expect(store.markDiedRuns(HERE)).toEqual([dead.runId]);
    const status = Object.fromEntries(store.runs().map((run) => [run.runId, run.status]));
    expect(status).toEqual({ [dead.runId]: 'died', [alive.runId]: 'running' });
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

  it('gives a plan on another host, whose pid means nothing here, 24 h', () => {
    const fresh = start({
      startedAt: new Date(Date.parse(now) - FOREIGN_PLAN_RUN_STALE_MS + 1000).toISOString(),
    });
    const old = start({
      startedAt: new Date(Date.parse(now) - FOREIGN_PLAN_RUN_STALE_MS - 1000).toISOString(),
    });
    expect(isRunDead(fresh, undefined, elsewhere, () => true)).toBe(false);
    expect(isRunDead(old, undefined, elsewhere, () => true)).toBe(true);
  });

  it('checks the pid of a plan on the same host and pid space', () => {
    const run = start({ pid: 4242 });
    expect(isRunDead(run, undefined, { ...HERE, now }, () => true)).toBe(false);
    expect(isRunDead(run, undefined, { ...HERE, now }, () => false)).toBe(true);
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
