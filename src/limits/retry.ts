import type { Clock } from './request-gate.js';
import { systemClock } from './request-gate.js';

/**
 * Retry policy as data (ARCHITECTURE rule 6): which failures are worth another try, how long
 * to wait before it, and how many tries at most. Applied as a wrapper around one request,
 * above the request gate, so every retry waits for its turn under the limits.
 */
export interface RetryPolicy {
  /** Retries after the first try (CONTRACT §8 `--retries`, default 5). */
  retries: number;
  /** Wait before the first retry; doubles each time (exponential backoff). */
  baseDelayMs: number;
  /** No single wait is longer, whatever the backoff or a Retry-After says. */
  maxDelayMs: number;
  /** Says whether a failure is transient and whether the server asked for a wait. */
  classify(error: unknown): { transient: boolean; retryAfterMs?: number };
  /** 0..1: how much of each wait is random ("full jitter" scaled), so clients that failed together do not retry together. */
  jitter: number;
}

/** Defaults: 500 ms, 1 s, 2 s, 4 s, 8 s… capped at 30 s; Retry-After honoured up to the cap. */
export const DEFAULT_BACKOFF = { baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0.5 } as const;

export interface RetryObserver {
  /** Called before each wait, with the try that failed (1-based) and the wait chosen. */
  onRetry?(attempt: number, error: unknown, delayMs: number): void;
}

export interface RetryResult<T> {
  value: T;
  /** Tries made, the successful one included. */
  attempts: number;
}

/** A failure that survived every try; `attempts` says how many were made. */
export class RetriesExhausted extends Error {
  override name = 'RetriesExhausted';
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super(lastError instanceof Error ? lastError.message : String(lastError));
  }
}

export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential * (1 - policy.jitter + policy.jitter * random());
  const wait = retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
  return Math.min(policy.maxDelayMs, Math.round(wait));
}

/**
 * Runs `attempt` until it succeeds, fails permanently, or the retries are spent.
 * A permanent failure is rethrown as it is; spent retries end in RetriesExhausted.
 * `shouldStop` is asked before every wait, so an interrupted run stops retrying at once.
 */
export async function withRetry<T>(
  attempt: (tryNumber: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryObserver & { clock?: Clock; random?: () => number; shouldStop?: () => boolean } = {},
): Promise<RetryResult<T>> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  for (let tryNumber = 1; ; tryNumber += 1) {
    try {
      return { value: await attempt(tryNumber), attempts: tryNumber };
    } catch (error) {
      const { transient, retryAfterMs } = policy.classify(error);
      if (!transient) throw error;
      if (tryNumber > policy.retries || options.shouldStop?.() === true)
        throw new RetriesExhausted(error, tryNumber);
      const delayMs = backoffDelay(policy, tryNumber, retryAfterMs, random);
      options.onRetry?.(tryNumber, error, delayMs);
      await clock.sleep(delayMs);
    }
  }
}
