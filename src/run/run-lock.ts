import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log/logger.js';
import {
  holdLease,
  type Lease,
  type LeaseLostReason,
  lockHeldError,
  lockTakeoverMessage,
  type StateBackend,
} from '../state/index.js';

/** A held run lock; `release` stops renewing the lease and frees the lock. */
export interface HeldLock {
  runId: string;
  /** Valid while this run may write; the run's request pipeline checks it before each request. */
  lease: Lease;
  release(): Promise<void>;
}

/**
 * Takes the state store's run lock for this process (CONTRACT §6): a live holder makes this
 * throw LockHeldError naming it (exit 1); a dead one is taken over with a warning. The lease
 * renews the lock; `onLost` is called once if another run took it over or it could not be renewed
 * in time (lease.ts), and the run must stop sending.
 */
export async function takeRunLock(
  store: Pick<StateBackend, 'acquireLock' | 'heartbeat' | 'releaseLock' | 'display'>,
  command: string,
  logger: Logger,
  onLost: (reason: LeaseLostReason) => void,
): Promise<HeldLock> {
  const runId = randomUUID();
  const acquiredAt = performance.now();
  const result = await store.acquireLock({ runId, host: hostname(), pid: process.pid, command });
  if (!result.acquired) throw lockHeldError(result.holder, store.display);
  if (result.tookOverFrom !== undefined) logger.warn(lockTakeoverMessage(result.tookOverFrom));
  const lease = holdLease({ beat: () => store.heartbeat(runId), acquiredAt });
  lease.onLeaseLost(onLost);
  return {
    runId,
    lease,
    async release() {
      lease.stop();
      await store.releaseLock(runId);
    },
  };
}
