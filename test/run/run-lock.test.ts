import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { LockHeldError } from '../../src/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { takeRunLock } from '../../src/run/run-lock.js';
import { LOCK_HEARTBEAT_INTERVAL_MS } from '../../src/state/index.js';
import { SqliteBackend } from '../../src/state/sqlite-backend.js';
import { manualClock, openStore } from '../state/temp-store.js';

const logger = createLogger({ level: 'silent', destination: new PassThrough() });

describe('takeRunLock', () => {
  it('renews the lock through its lease until released, and frees it on release', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      const clock = manualClock();
      const store = new SqliteBackend(openStore(undefined, clock));
      const lock = await takeRunLock(store, 'apply', logger, () => undefined);
      expect(lock.lease.isLeaseValid()).toBe(true);
      clock.advance(LOCK_HEARTBEAT_INTERVAL_MS);
      await vi.advanceTimersByTimeAsync(LOCK_HEARTBEAT_INTERVAL_MS);
      expect((await store.lockHolder())?.heartbeatAt).toBe('2026-03-01T02:00:10.000Z');
      await lock.release();
      expect(await store.lockHolder()).toBeUndefined();
      clock.advance(LOCK_HEARTBEAT_INTERVAL_MS);
      await vi.advanceTimersByTimeAsync(LOCK_HEARTBEAT_INTERVAL_MS);
      expect(await store.lockHolder()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells the run when another run took the lock over', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      const store = new SqliteBackend(openStore());
      const lost: string[] = [];
      const lock = await takeRunLock(store, 'apply', logger, (reason) => lost.push(reason));
      // What a taker leaves: the lock row is another run's.
      await store.releaseLock(lock.runId);
      await store.acquireLock({ runId: 'other', host: 'h', pid: 1, command: 'apply' });
      await vi.advanceTimersByTimeAsync(LOCK_HEARTBEAT_INTERVAL_MS);
      expect(lost).toEqual(['taken-over']);
      expect(lock.lease.isLeaseValid()).toBe(false);
      await lock.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses while a live run holds it, naming the holder and the store', async () => {
    const store = new SqliteBackend(openStore());
    const first = await takeRunLock(store, 'apply', logger, () => undefined);
    const second = takeRunLock(store, 'apply', logger, () => undefined);
    await expect(second).rejects.toBeInstanceOf(LockHeldError);
    await expect(second).rejects.toThrow(`pid ${process.pid}`);
    await expect(second).rejects.toThrow(store.display);
    await first.release();
  });
});
