import { spawn } from 'node:child_process';
import { once } from 'node:events';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LockHeldError } from '../../src/errors.js';
import {
  LOCK_HEARTBEAT_INTERVAL_MS,
  LOCK_STALE_AFTER_MS,
  type LockResult,
  lockHeldError,
  lockTakeoverMessage,
} from '../../src/state/index.js';
import { deadPid, startStoreChild } from './child-process.js';
import { HERE, holderOf, lockRequest } from './lock-requests.js';
import { manualClock, openStore, tempStorePath } from './temp-store.js';

const request = lockRequest;

describe('the run lock', () => {
  it('is taken when free, and refused to a second run while the first lives, naming the holder', () => {
    const clock = manualClock();
    const store = openStore(undefined, clock);
    expect(store.acquireLock(request('run-1'))).toEqual({ acquired: true });
    clock.advance(5_000);
    const holder = holderOf(store.acquireLock(request('run-2')));
    expect(holder).toMatchObject({ runId: 'run-1', host: HERE, pid: process.pid, command: 'apply' });
    expect(holder.startedAt).toBe('2026-03-01T02:00:00.000Z');
    const error = lockHeldError(holder, '/srv/omnize-sync.db');
    expect(error).toBeInstanceOf(LockHeldError);
    expect(error.message).toContain(`host ${HERE}`);
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain('since 2026-03-01T02:00:00.000Z');
    expect(error.message).toContain('/srv/omnize-sync.db');
  });

  it('is taken again by the run that holds it, keeping its start time', () => {
    const clock = manualClock();
    const store = openStore(undefined, clock);
    store.acquireLock(request('run-1'));
    clock.advance(1_000);
    expect(store.acquireLock(request('run-1'))).toEqual({ acquired: true });
    expect(store.lockHolder()?.startedAt).toBe('2026-03-01T02:00:00.000Z');
  });

  it('names its timing constants, the stale limit several heartbeats long', () => {
    expect(LOCK_HEARTBEAT_INTERVAL_MS).toBe(10_000);
    expect(LOCK_STALE_AFTER_MS).toBe(60_000);
    expect(LOCK_STALE_AFTER_MS / LOCK_HEARTBEAT_INTERVAL_MS).toBeGreaterThanOrEqual(3);
  });

  it('is taken over from a holder on another host once its heartbeat is stale, and not before', () => {
    const clock = manualClock();
    const store = openStore(undefined, clock);
    store.acquireLock(request('lost-container', { host: 'container-7f3a', pid: 1 }));
    clock.advance(LOCK_STALE_AFTER_MS);
    expect(holderOf(store.acquireLock(request('run-2'))).host).toBe('container-7f3a');
    clock.advance(1);
    const result = store.acquireLock(request('run-2'));
    expect(result).toMatchObject({
      acquired: true,
      tookOverFrom: { runId: 'lost-container', host: 'container-7f3a' },
    });
    expect(store.lockHolder()?.runId).toBe('run-2');
    if (result.acquired && result.tookOverFrom) {
      expect(lockTakeoverMessage(result.tookOverFrom)).toMatch(
        /host container-7f3a, pid 1, since 2026-03-01T02:00/,
      );
    }
  });

  it('stays with a holder that keeps its heartbeat fresh', () => {
    const clock = manualClock();
    const store = openStore(undefined, clock);
    store.acquireLock(request('run-1', { host: 'other-host' }));
    for (let beat = 0; beat < 12; beat += 1) {
      clock.advance(LOCK_HEARTBEAT_INTERVAL_MS);
      expect(store.heartbeat('run-1')).toBe(true);
    }
    clock.advance(LOCK_STALE_AFTER_MS - 1);
    expect(holderOf(store.acquireLock(request('run-2'))).heartbeatAt).toBe('2026-03-01T02:02:00.000Z');
  });

  it('tells a run whose lock was taken over that it is no longer the holder', () => {
    const clock = manualClock();
    const store = openStore(undefined, clock);
    store.acquireLock(request('stalled', { host: 'other-host' }));
    clock.advance(LOCK_STALE_AFTER_MS + 1);
    store.acquireLock(request('run-2'));
    expect(store.heartbeat('stalled')).toBe(false);
    expect(store.releaseLock('stalled')).toBe(false);
    expect(store.lockHolder()?.runId).toBe('run-2');
  });

  it('is free again once released', () => {
    const store = openStore();
    store.acquireLock(request('run-1'));
    expect(store.releaseLock('run-1')).toBe(true);
    expect(store.lockHolder()).toBeUndefined();
    expect(store.acquireLock(request('run-2'))).toEqual({ acquired: true });
  });

  it('is taken over at once from a dead process on this host, heartbeat fresh or not', async () => {
    const store = openStore();
    const pid = await deadPid();
    store.acquireLock(request('crashed', { pid }));
    const result = store.acquireLock(request('run-2'));
    expect(result).toMatchObject({ acquired: true, tookOverFrom: { runId: 'crashed', pid, host: HERE } });
  });

  it('is not taken from a live process on this host', async () => {
    const store = openStore();
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(sleeper, 'spawn');
    try {
      store.acquireLock(request('alive', { pid: sleeper.pid! }));
      expect(holderOf(store.acquireLock(request('run-2'))).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('does not judge a pid from another pid namespace (containers sharing a host name)', async () => {
    const store = openStore();
    const pid = await deadPid();
    store.acquireLock(request('neighbour', { pid, pidScope: 'boot-x/pid:[4026532999]' }));
    expect(holderOf(store.acquireLock(request('run-2'))).runId).toBe('neighbour');
  });

  it('is taken over from an earlier process that had our own pid (a restarted container)', () => {
    const path = tempStorePath();
    const store = openStore(path);
    store.acquireLock(request('before-restart'));
    const raw = new BetterSqlite3(path);
    raw
      .prepare('UPDATE run_lock SET process_started_at = ?')
      .run(new Date(Date.now() - 3_600_000).toISOString());
    raw.close();
    expect(store.acquireLock(request('after-restart'))).toMatchObject({
      acquired: true,
      tookOverFrom: { runId: 'before-restart' },
    });
  });

  it('is taken over from a run killed with kill -9 in another process', async () => {
    const path = tempStorePath();
    openStore(path).close();
    const child = await startStoreChild(path);
    expect(await child.send({ op: 'acquire', runId: 'child-run' })).toEqual({ acquired: true });
    const refused = openStore(path).acquireLock(request('run-2'));
    expect(holderOf(refused).pid).toBe(child.pid);
    await child.crash();
    const result = openStore(path).acquireLock(request('run-2'));
    expect(result).toMatchObject({ acquired: true, tookOverFrom: { runId: 'child-run', pid: child.pid } });
  });

  it('goes to exactly one of several processes asking at the same moment', async () => {
    const path = tempStorePath();
    openStore(path).close();
    const children = await Promise.all([1, 2, 3].map(() => startStoreChild(path)));
    try {
      const results = (await Promise.all(
        children.map((child, index) => child.send({ op: 'acquire', runId: `racer-${index}` })),
      )) as LockResult[];
      expect(results.filter((result) => result.acquired)).toHaveLength(1);
      const winner = children[results.findIndex((result) => result.acquired)];
      for (const result of results.filter((each) => !each.acquired))
        expect(holderOf(result).pid).toBe(winner?.pid);
    } finally {
      await Promise.all(children.map((child) => child.finish()));
    }
  });
});
