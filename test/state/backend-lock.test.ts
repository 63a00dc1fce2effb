import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  LOCK_HEARTBEAT_INTERVAL_MS,
  LOCK_STALE_AFTER_MS,
  type LockResult,
  lockTakeoverMessage,
} from '../../src/state/index.js';
import { holdLease, type LeaseLostReason } from '../../src/state/lease.js';
import { BACKENDS, useStorePlace } from './backends.js';
import { deadPid } from './child-process.js';
import { HERE, holderOf, lockRequest } from './lock-requests.js';
import { manualClock } from './temp-store.js';

const request = lockRequest;

describe.each(BACKENDS)('the run lock of the %s state store', (backend) => {
  const place = useStorePlace(backend);

  it('is taken when free, refused to a second run while the first lives, and taken again by its holder', async () => {
    const clock = manualClock();
    const first = await place.open(clock);
    const second = await place.open(clock);
    expect(await first.acquireLock(request('run-1'))).toEqual({ acquired: true });
    clock.advance(5_000);
    const holder = holderOf(await second.acquireLock(request('run-2')));
    expect(holder).toMatchObject({ runId: 'run-1', host: HERE, pid: process.pid, command: 'apply' });
    expect(holder.startedAt).toBe('2026-03-01T02:00:00.000Z');
    expect(await first.acquireLock(request('run-1'))).toEqual({ acquired: true });
    expect((await second.lockHolder())?.startedAt).toBe('2026-03-01T02:00:00.000Z');
  });

  it('goes to exactly one of several clients asking at the same moment, each on its own connection', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => place.open()));
    const results = await Promise.all(
      stores.map((store, index) => store.acquireLock(request(`racer-${index}`, { host: `host-${index}` }))),
    );
    expect(results.filter((result) => result.acquired)).toHaveLength(1);
    const winner = results.findIndex((result) => result.acquired);
    for (const result of results.filter((each) => !each.acquired)) {
      expect(holderOf(result).runId).toBe(`racer-${winner}`);
    }
  });

  it('is taken over from a holder on another host once its heartbeat is stale, and not before', async () => {
    const clock = manualClock();
    const lost = await place.open(clock);
    const next = await place.open(clock);
    await lost.acquireLock(request('lost-container', { host: 'container-7f3a', pid: 1 }));
    for (let beat = 0; beat < 3; beat += 1) {
      clock.advance(LOCK_HEARTBEAT_INTERVAL_MS);
      expect(await lost.heartbeat('lost-container')).toBe(true);
    }
    clock.advance(LOCK_STALE_AFTER_MS);
    expect(holderOf(await next.acquireLock(request('run-2'))).host).toBe('container-7f3a');
    clock.advance(1);
    const result = await next.acquireLock(request('run-2'));
    expect(result).toMatchObject({
      acquired: true,
      tookOverFrom: { runId: 'lost-container', host: 'container-7f3a' },
    });
    if (result.acquired && result.tookOverFrom) {
      expect(lockTakeoverMessage(result.tookOverFrom)).toMatch(
        /host container-7f3a, pid 1, since 2026-03-01T02:00/,
      );
    }
    expect(await lost.heartbeat('lost-container')).toBe(false);
    expect(await lost.releaseLock('lost-container')).toBe(false);
    expect((await lost.lockHolder())?.runId).toBe('run-2');
  });

  it('is taken over at once from a dead process on this host, and free again once released', async () => {
    const store = await place.open();
    const pid = await deadPid();
    await store.acquireLock(request('crashed', { pid }));
    expect(await store.acquireLock(request('run-2'))).toMatchObject({
      acquired: true,
      tookOverFrom: { runId: 'crashed', pid, host: HERE },
    });
    expect(await store.releaseLock('run-2')).toBe(true);
    expect(await store.lockHolder()).toBeUndefined();
  });

  it('tells the holder through its lease when another run took the lock over', async () => {
    const clock = manualClock();
    const holder = await place.open(clock);
    const taker = await place.open(clock);
    await holder.acquireLock(request('stalled', { host: 'other-host' }));
    const lease = holdLease({
      beat: () => holder.heartbeat('stalled'),
      acquiredAt: performance.now(),
      intervalMs: 20,
    });
    const lost = new Promise<LeaseLostReason>((resolve) => lease.onLeaseLost(resolve));
    try {
      clock.advance(LOCK_STALE_AFTER_MS + 1);
      expect(await taker.acquireLock(request('run-2'))).toMatchObject({ acquired: true });
      expect(await lost).toBe('taken-over');
      expect(lease.isLeaseValid()).toBe(false);
    } finally {
      lease.stop();
    }
  });
});

describe('the run lock of the postgres state store across a network partition', () => {
  const place = useStorePlace('postgres');

  it('makes the cut-off holder stop before another run can take over, and the other take over after the timeout', async () => {
    const { startProxy } = await import('../postgres/proxy.js');
    const proxy = await startProxy(place.cluster!.port);
    try {
      const staleAfterMs = 1_500;
      const viaProxy = place.location.replace(`:${place.cluster!.port}/`, `:${proxy.port}/`);
      const holder = await place.open({ url: viaProxy, staleAfterMs });
      const taker = await place.open({ staleAfterMs });
      const acquiredAt = performance.now();
      expect(await holder.acquireLock(request('cut-off', { host: 'laptop' }))).toEqual({ acquired: true });
      const lease = holdLease({
        beat: () => holder.heartbeat('cut-off'),
        acquiredAt,
        intervalMs: 100,
        validForMs: staleAfterMs - 500,
      });
      let lostAt = Number.POSITIVE_INFINITY;
      const lost = new Promise<LeaseLostReason>((resolve) =>
        lease.onLeaseLost((reason) => {
          lostAt = performance.now();
          resolve(reason);
        }),
      );
      await sleep(400);
      expect(lease.isLeaseValid()).toBe(true);
      expect(holderOf(await taker.acquireLock(request('cronjob', { host: 'node-2' }))).runId).toBe('cut-off');
      proxy.cut();
      let takenAt = 0;
      let result: LockResult | undefined;
      for (let attempt = 0; attempt < 100 && !result?.acquired; attempt += 1) {
        result = await taker.acquireLock(request('cronjob', { host: 'node-2' }));
        takenAt = performance.now();
        if (!result.acquired) await sleep(50);
      }
      expect(result).toMatchObject({ acquired: true, tookOverFrom: { runId: 'cut-off', host: 'laptop' } });
      expect(await lost).toBe('expired');
      expect(lostAt).toBeLessThan(takenAt);
      expect(lease.isLeaseValid()).toBe(false);
      lease.stop();
    } finally {
      await proxy.close();
    }
  });
});
