import { LOCK_HEARTBEAT_INTERVAL_MS, LOCK_STALE_AFTER_MS } from './lock.js';

/**
 * The holder's side of the run lock as a lease. Another run takes the lock over once its
 * heartbeat is LOCK_STALE_AFTER_MS old (by the store's clock); so a holder that cannot renew —
 * a network partition between it and a PostgreSQL store, a database that stopped answering —
 * must stop sending before that moment, or two runs would write at once. The lease counts from
 * when each successful renewal was SENT (before the store stamped it, so never later than the
 * store's view) on this process's monotonic clock, and expires LEASE_MARGIN_MS before a taker
 * could take over. The run checks `isLeaseValid()` before each request and stops on `onLeaseLost`.
 */

/** How much earlier than a taker's earliest moment the holder gives up: one missed heartbeat of slack for clock rates and a slow stop. */
export const LEASE_MARGIN_MS = LOCK_HEARTBEAT_INTERVAL_MS;

/** Why a lease ended: another run holds the lock now, or this one could not renew it in time. */
export type LeaseLostReason = 'taken-over' | 'expired';

export interface Lease {
  /** False once the lease was lost; a run must not start a request then. */
  isLeaseValid(): boolean;
  /** Called once, when the lease is lost (at once if it is lost already). */
  onLeaseLost(listener: (reason: LeaseLostReason) => void): void;
  /** Stops renewing (the run ends and releases the lock). */
  stop(): void;
}

export interface LeaseOptions {
  /** Renews the lock; false: it is another run's now. A throw is a missed renewal. */
  beat: () => Promise<boolean>;
  /** When the request that took the lock was sent, on `monotonic`'s clock. */
  acquiredAt: number;
  intervalMs?: number;
  /** How long a renewal keeps the lease; LOCK_STALE_AFTER_MS − LEASE_MARGIN_MS by default. */
  validForMs?: number;
  /** Milliseconds, never going back: performance.now() by default. */
  monotonic?: () => number;
}

export function holdLease(options: LeaseOptions): Lease {
  const intervalMs = options.intervalMs ?? LOCK_HEARTBEAT_INTERVAL_MS;
  const validForMs = options.validForMs ?? LOCK_STALE_AFTER_MS - LEASE_MARGIN_MS;
  const monotonic = options.monotonic ?? (() => performance.now());
  let renewedAt = options.acquiredAt;
  let lost: LeaseLostReason | undefined;
  let stopped = false;
  let beating = false;
  const listeners: ((reason: LeaseLostReason) => void)[] = [];
  let expiry: NodeJS.Timeout | undefined;

  const lose = (reason: LeaseLostReason) => {
    if (lost !== undefined || stopped) return;
    lost = reason;
    clearInterval(timer);
    if (expiry !== undefined) clearTimeout(expiry);
    for (const listener of listeners.splice(0)) listener(reason);
  };
  const expired = () => monotonic() - renewedAt >= validForMs;
  const armExpiry = () => {
    if (expiry !== undefined) clearTimeout(expiry);
    expiry = setTimeout(
      () => (expired() ? lose('expired') : armExpiry()),
      validForMs - (monotonic() - renewedAt),
    );
    expiry.unref();
  };
  const renew = async () => {
    // One renewal at a time: one that hangs (a partition) must not pile up others behind it.
    if (beating || lost !== undefined || stopped) return;
    beating = true;
    const sentAt = monotonic();
    try {
      const held = await options.beat();
      if (!held) lose('taken-over');
      else if (lost === undefined && !stopped) {
        renewedAt = Math.max(renewedAt, sentAt);
        armExpiry();
      }
    } catch {
      // A missed renewal: the expiry timer decides.
    } finally {
      beating = false;
    }
  };
  const timer = setInterval(() => void renew(), intervalMs);
  timer.unref();
  armExpiry();

  return {
    isLeaseValid() {
      if (lost === undefined && !stopped && expired()) lose('expired');
      return lost === undefined;
    },
    onLeaseLost(listener) {
      if (lost !== undefined) listener(lost);
      else listeners.push(listener);
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      if (expiry !== undefined) clearTimeout(expiry);
    },
  };
}
