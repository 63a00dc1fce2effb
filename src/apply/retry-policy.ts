import { DEFAULT_BACKOFF, type RetryPolicy } from '../limits/retry.js';
import { isTransient } from '../omnize/errors.js';

/**
 * The retry policy of CONTRACT §6 for Partner API requests: network errors,
 * timeouts, HTTP 429 and 5xx are transient (`isTransient`) and a `Retry-After`
 * is honoured; a `success: false` answer, an unreadable answer and an invalid
 * token are not. `retries` is `--retries`.
 */
export function partnerApiRetryPolicy(
  retries: number,
  backoff: { baseDelayMs: number; maxDelayMs: number; jitter: number } = DEFAULT_BACKOFF,
): RetryPolicy {
  return {
    retries,
    ...backoff,
    classify: (error) =>
      isTransient(error) ? { transient: true, retryAfterMs: error.retryAfterMs } : { transient: false },
  };
}
