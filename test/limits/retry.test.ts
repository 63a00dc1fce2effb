import { describe, expect, it } from 'vitest';
import { backoffDelay, RetriesExhausted, type RetryPolicy, withRetry } from '../../src/limits/retry.js';
import { FakeClock } from './fake-clock.js';

class Flaky extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('flaky');
  }
}

const policy: RetryPolicy = {
  retries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  jitter: 0,
  classify: (error) =>
    error instanceof Flaky ? { transient: true, retryAfterMs: error.retryAfterMs } : { transient: false },
};

async function run<T>(attempt: (n: number) => Promise<T>, overrides: Partial<RetryPolicy> = {}) {
  const clock = new FakeClock();
  const waits: number[] = [];
  const result = withRetry(
    attempt,
    { ...policy, ...overrides },
    { clock, onRetry: (_n, _e, delay) => waits.push(delay) },
  );
  const settled = result.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await clock.runUntilIdle();
  return { outcome: await settled, waits };
}

describe('withRetry', () => {
  it('retries transient failures with exponential backoff and reports the attempts', async () => {
    const { outcome, waits } = await run(async (n) => {
      if (n < 3) throw new Flaky();
      return 'done';
    });
    expect(outcome).toEqual({ value: { value: 'done', attempts: 3 } });
    expect(waits).toEqual([100, 200]);
  });

  it('never retries a permanent failure', async () => {
    let tries = 0;
    const { outcome } = await run(async () => {
      tries += 1;
      throw new Error('E-mail can be blank');
    });
    expect(tries).toBe(1);
    expect((outcome as { error: Error }).error.message).toBe('E-mail can be blank');
  });

  it('gives up after the configured retries', async () => {
    let tries = 0;
    const { outcome, waits } = await run(async () => {
      tries += 1;
      throw new Flaky();
    });
    expect(tries).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
    expect((outcome as { error: unknown }).error).toBeInstanceOf(RetriesExhausted);
    expect((outcome as { error: RetriesExhausted }).error.attempts).toBe(4);
  });

  it('honours Retry-After when it asks for longer than the backoff, capped by the maximum', async () => {
    const { waits } = await run(async (n) => {
      if (n === 1) throw new Flaky(700);
      if (n === 2) throw new Flaky(5000);
      return 'ok';
    });
    expect(waits).toEqual([700, 1000]);
  });
});

describe('backoffDelay', () => {
  it('stays within the jitter band', () => {
    const jittery = { ...policy, jitter: 0.5 };
    expect(backoffDelay(jittery, 3, undefined, () => 0)).toBe(200);
    expect(backoffDelay(jittery, 3, undefined, () => 0.999999)).toBe(400);
  });
});
