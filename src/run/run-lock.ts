import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { recoverInterruptedRuns } from '../apply/index.js';
import type { Logger } from '../log/logger.js';
import {
  holdLease,
  type Lease,
  type LeaseLostReason,
  lockHeldError,
  lockTakeoverMessage,
  type StateBackend,
} from '../state/index.js';
import type { RunCommand } from './record.js';
import { type SignalWatch, watchSignals } from './signals.js';

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

/** What `plan` and `apply` hold while they run: the state store's lock and the signal watch. */
export interface RunHold {
  lock: HeldLock;
  signals: SignalWatch;
}

/**
 * The run lock for `plan` and `apply` alike (CONTRACT §6, §16: a laptop's plan and the CronJob's
 * apply never overlap): a live holder is an error naming it, a dead one is taken over with a
 * warning. Signals are watched from before the lock is taken, so one that comes meanwhile still
 * ends the run cleanly and frees the lock. An apply also settles what a run that died left in the
 * journal; a plan leaves that to the next apply, since it changes nothing in the store.
 */
export async function holdRun(store: StateBackend, command: RunCommand, logger: Logger): Promise<RunHold> {
  const signals = watchSignals(logger);
  let lock: HeldLock | undefined;
  try {
    // The run stops sending on its own (the request pipeline checks the lease: stop reason `state-store`).
    lock = await takeRunLock(store, command, logger, (reason) => {
      logger.error(
        reason === 'taken-over'
          ? 'another run took over the state store lock; stopping'
          : 'the state store lock could not be renewed in time; stopping before another run may take it over',
      );
    });
    if (command === 'apply') warnAboutRecovery(await recoverInterruptedRuns(store, lock.runId), logger);
    return { lock, signals };
  } catch (error) {
    await lock?.release().catch(() => undefined);
    signals.dispose();
    throw error;
  }
}

function warnAboutRecovery(recovery: { unknownAccounts: string[] }, logger: Logger): void {
  for (const key of recovery.unknownAccounts) {
    logger.warn(
      { account: key },
      `a run that died had sent the create of account ${key} and never learnt its outcome: it is not created again until \`omnize-sync state adopt ${key} ID\` names the account (find it in Omnize by its e-mail)`,
    );
  }
}
