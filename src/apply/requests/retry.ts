import { type RetryPolicy, withRetry } from '../../limits/retry.js';
import type { RunControl } from '../control.js';
import type { Emit } from '../events.js';
import { describeError, mayHaveApplied, RunStopped } from '../failures.js';
import type { Layer, LookUp, PartnerRequest, Send } from './pipeline.js';

export interface RetryLayerOptions {
  /** See `partnerApiRetryPolicy`. */
  policy: RetryPolicy;
  /** Its clock makes the waits, which a stop cuts short. */
  control: RunControl;
  /** 0..1 for the backoff jitter. */
  random: () => number;
  emit: Emit;
}

type Observer = NonNullable<Parameters<typeof withRetry>[2]>;

/**
 * The retry policy as a wrapper (ARCHITECTURE rule 6), above the journal and the gate: each
 * try goes down through both again, so it is journalled and waits its turn. A stopped run is
 * never retried, and no try follows a stop. A try whose outcome is unknown is sent again, not
 * at all, or only after a look-up, as the request's `ifOutcomeUnknown` says.
 */
export function retryLayer({ policy, control, random, emit }: RetryLayerOptions): Layer {
  const retried: RetryPolicy = {
    ...policy,
    classify: (error) => (error instanceof RunStopped ? { transient: false } : policy.classify(error)),
  };
  const neverAfterUnknown: RetryPolicy = {
    ...retried,
    classify: (error) => (mayHaveApplied(error) ? { transient: false } : retried.classify(error)),
  };
  return async (request, next) => {
    const observer: Observer = {
      clock: control.retryClock,
      random,
      shouldStop: () => control.stopped,
      onRetry: (attempt, error, delayMs) =>
        emit(
          'retryScheduled',
          { kind: request.kind, action: request.owner?.action },
          attempt,
          describeError(error),
          delayMs,
        ),
    };
    const ifUnknown = request.ifOutcomeUnknown ?? 'send-again';
    if (typeof ifUnknown === 'object') {
      return sendWithLookUp(request, ifUnknown.lookUp, next, retried, observer);
    }
    const chosen = ifUnknown === 'give-up' ? neverAfterUnknown : retried;
    return (await withRetry(() => next(request), chosen, observer)).value;
  };
}

/**
 * A create that can be looked up: after a try whose outcome is unknown, the next try looks the
 * entity up first and takes it if it is there. When the tries run out after such a try, one
 * last look-up (with retries of its own) decides; if it cannot be made, the create's error is
 * thrown and the outcome stays unknown.
 */
async function sendWithLookUp<T>(
  request: PartnerRequest<T>,
  lookUp: LookUp<T>,
  next: Send,
  policy: RetryPolicy,
  observer: Observer,
): Promise<T> {
  const lookUpRequest: PartnerRequest<T | undefined> = { kind: 'read', owner: request.owner, send: lookUp };
  const find = async (): Promise<T | undefined> => {
    const found = await next(lookUpRequest);
    request.owner?.lookedUp(found !== undefined);
    return found;
  };
  let outcomeUnknown = false;
  const attempt = async (): Promise<T> => {
    if (outcomeUnknown) {
      const found = await find();
      if (found !== undefined) return found;
      outcomeUnknown = false;
    }
    try {
      return await next(request);
    } catch (error) {
      outcomeUnknown = mayHaveApplied(error);
      throw error;
    }
  };
  try {
    return (await withRetry(attempt, policy, observer)).value;
  } catch (error) {
    if (!outcomeUnknown) throw error;
    let found: T | undefined;
    try {
      found = (await withRetry(find, policy, observer)).value;
    } catch {
      throw error;
    }
    if (found === undefined) throw error;
    return found;
  }
}
