import type { Clock } from '../../limits/request-gate.js';
import { TransientApiError } from '../../omnize/errors.js';
import { isThrottling } from '../failures.js';
import type { Layer } from './pipeline.js';

/** Hears of every HTTP 429: `--rate auto`'s controller. */
export interface ThrottleListener {
  /** A try that started at `startedAt` (ms, the gate's clock) was answered 429 at `now`. */
  throttled(startedAt: number, now: number, retryAfterMs: number | undefined): void;
}

/**
 * The one place the 429 signal reaches the rate controller: just below the gate, so it sees
 * each try that really left, with the moment it left. The retry layer above still retries the
 * try, after its Retry-After.
 */
export function throttleLayer(listener: ThrottleListener, clock: Clock): Layer {
  return async (request, next) => {
    const startedAt = clock.now();
    try {
      return await next(request);
    } catch (error) {
      if (isThrottling(error)) {
        const retryAfterMs = error instanceof TransientApiError ? error.retryAfterMs : undefined;
        listener.throttled(startedAt, clock.now(), retryAfterMs);
      }
      throw error;
    }
  };
}
