import { ApiRejectedError } from '../omnize/errors.js';
import { describeError, RunStopped, unwrap } from './failures.js';
import type { ActionError, ActionOutcome, StopReason } from './types.js';

type WithoutCounts<T> = T extends unknown ? Omit<T, 'attempts' | 'durationMs'> : never;

/** An outcome before its attempts and duration are added. */
export type Settled = WithoutCounts<ActionOutcome>;

/** Why actions left out by a stop are skipped, by stop reason. */
export const SKIPPED_BY_STOP: Record<StopReason, string> = {
  SIGINT: 'interrupted',
  SIGTERM: 'interrupted',
  'invalid-token': 'invalid token',
  'circuit-breaker': 'circuit breaker open',
  'state-store': 'state store error',
};

/** Why an action marked `requires: 'allow-delete'` is skipped in a run without `--allow-delete`. */
export const SKIPPED_NEEDS_ALLOW_DELETE = 'needs --allow-delete';

/** What apply knows of an action that sent something and did not finish: the state its requests left. */
export interface RequestHistory {
  attempts: number;
  /** Some write of the action may have been applied although its answer was lost. */
  mayHaveApplied: boolean;
  /** The failure of its last write try, if one failed. */
  lastError: unknown;
}

/**
 * The outcome of an action whose executor threw. A request refused because the
 * run stopped skips the action when nothing of it was sent; a failure that may
 * have been applied is `unknown`; anything else is `failed`.
 */
export function settledFromError(history: RequestHistory, error: unknown): Settled {
  if (error instanceof RunStopped) {
    return history.attempts === 0
      ? { status: 'skipped', because: SKIPPED_BY_STOP[error.reason] }
      : interrupted(history, error);
  }
  const described = describeError(error);
  return history.mayHaveApplied
    ? { status: 'unknown', error: described }
    : { status: 'failed', error: described };
}

/** An action that sent something and was cut off by a stop before it could finish. */
export function interrupted(history: RequestHistory, stop: RunStopped): Settled {
  const error: ActionError =
    history.lastError === undefined ? describeError(stop) : describeError(history.lastError);
  if (history.mayHaveApplied) return { status: 'unknown', error };
  return {
    status: 'failed',
    error: { ...error, message: `${error.message} (not retried: the run stopped)` },
  };
}

/** The outcome of an action whose request was still in flight when the drain deadline passed. */
export function stillInFlight(): Extract<Settled, { status: 'unknown' }> {
  return {
    status: 'unknown',
    error: {
      kind: 'stopped',
      message: 'the request was still in flight when the run stopped; it may have been applied',
    },
  };
}

/** Whether a failure is the API refusing the request (`success: false`), so splitting a batch can tell who it refuses. */
export function isRejection(error: unknown): boolean {
  return unwrap(error) instanceof ApiRejectedError;
}
