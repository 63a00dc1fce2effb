import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCK_HEARTBEAT_INTERVAL_MS, LOCK_STALE_AFTER_MS } from '../../src/state/index.js';
import { holdLease, LEASE_MARGIN_MS, type LeaseLostReason } from '../../src/state/lease.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A lease on fake timers; `answers` are what each renewal gives: held, lost, a throw, or never answering. */
function leaseWith(answers: ('held' | 'lost' | 'error' | 'hang')[]) {
  vi.useFakeTimers();
  const start = Date.now();
  let beats = 0;
  const lost: LeaseLostReason[] = [];
  const lease = holdLease({
    acquiredAt: 0,
    monotonic: () => Date.now() - start,
    beat: async () => {
      const answer = answers[beats++] ?? 'held';
      if (answer === 'error') throw new Error('Connection terminated unexpectedly');
      if (answer === 'hang') return new Promise<boolean>(() => {});
      return answer === 'held';
    },
  });
  lease.onLeaseLost((reason) => lost.push(reason));
  return { lease, lost, beats: () => beats };
}

describe('the run lock lease', () => {
  it('expires a margin before another run may take over', () => {
    expect(LEASE_MARGIN_MS).toBe(LOCK_HEARTBEAT_INTERVAL_MS);
    expect(LOCK_STALE_AFTER_MS - LEASE_MARGIN_MS).toBe(50_000);
  });

  it('stays valid while renewals succeed, and shrugs off a few failed ones', async () => {
    const { lease, lost } = leaseWith(['held', 'error', 'error', 'held']);
    await vi.advanceTimersByTimeAsync(10 * LOCK_HEARTBEAT_INTERVAL_MS);
    expect(lease.isLeaseValid()).toBe(true);
    expect(lost).toEqual([]);
    lease.stop();
  });

  it('is lost, and says so once, when renewals fail until the lease runs out (a partition)', async () => {
    const { lease, lost } = leaseWith(['held', 'error', 'error', 'error', 'error', 'error', 'error']);
    // Renewed at 10 s; valid until 60 s; another run may take over only after 70 s.
    await vi.advanceTimersByTimeAsync(59_999);
    expect(lease.isLeaseValid()).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(lost).toEqual(['expired']);
    expect(lease.isLeaseValid()).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lost).toEqual(['expired']);
  });

  it('is lost when a renewal hangs (no answer at all), counted from the last renewal sent', async () => {
    const { lease, lost, beats } = leaseWith(['hang']);
    await vi.advanceTimersByTimeAsync(49_999);
    expect(beats()).toBe(1);
    expect(lease.isLeaseValid()).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(lost).toEqual(['expired']);
  });

  it('is lost at once when a renewal finds another run holds the lock', async () => {
    const { lease, lost } = leaseWith(['held', 'lost']);
    await vi.advanceTimersByTimeAsync(2 * LOCK_HEARTBEAT_INTERVAL_MS);
    expect(lost).toEqual(['taken-over']);
    expect(lease.isLeaseValid()).toBe(false);
    const late: LeaseLostReason[] = [];
    lease.onLeaseLost((reason) => late.push(reason));
    expect(late).toEqual(['taken-over']);
  });
});
