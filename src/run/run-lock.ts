import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log/logger.js';
import { lockHeldError, lockTakeoverMessage, type StateStore, startHeartbeat } from '../state/index.js';

/** A held run lock; `release` stops the heartbeat and frees the lock. */
export interface HeldLock {
  runId: string;
  release(): void;
}

/**
 * Takes the state store's run lock for this process (CONTRACT §6): a live holder makes this
 * throw LockHeldError naming it (exit 1); a dead one is taken over with a warning. The
 * heartbeat keeps the lock visibly alive; `onLost` is called if another run took it over.
 */
export function takeRunLock(
  store: StateStore,
  command: string,
  logger: Logger,
  onLost: () => void,
): HeldLock {
  const runId = randomUUID();
  const result = store.acquireLock({ runId, host: hostname(), pid: process.pid, command });
  if (!result.acquired) throw lockHeldError(result.holder, store.path);
  if (result.tookOverFrom !== undefined) logger.warn(lockTakeoverMessage(result.tookOverFrom));
  const stopHeartbeat = startHeartbeat(() => store.heartbeat(runId), onLost);
  return {
    runId,
    release() {
      stopHeartbeat();
      store.releaseLock(runId);
    },
  };
}
