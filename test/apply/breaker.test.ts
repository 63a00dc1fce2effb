import { describe, expect, it } from 'vitest';
import { BREAKER_FIRST_WRITES, BREAKER_MIN_WRITES } from '../../src/apply/breaker.js';
import { harness } from './harness.js';
import { action, planOf } from './plans.js';

const licenses = (accountId: number) =>
  action('account.set_licenses', `#${accountId}`, `#${accountId}`, { accountId, licenseQuantity: 3 });

const ids = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

/** Rejects the writes to these account IDs. */
function rejectFor(client: ReturnType<typeof harness>['client'], accountIds: number[]): void {
  for (const accountId of accountIds) {
    client.script('setLicenseQuantity', [{ reject: 'Conta inativa' }], (args) => args[0] === accountId);
  }
}

function countStatuses(outcomes: Iterable<{ status: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of outcomes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('circuit breaker', () => {
  it('stops sending when the first 20 writes all fail', async () => {
    const { client, events, apply } = harness({ concurrency: 1 });
    rejectFor(client, ids(30));
    const result = await apply(planOf(...ids(30).map(licenses)));
    expect(client.log).toHaveLength(BREAKER_FIRST_WRITES);
    expect(result.stoppedBy).toBe('circuit-breaker');
    expect(result.fatalError).toBeUndefined();
    expect(countStatuses(result.outcomes.values())).toEqual({ failed: 20, skipped: 10 });
    expect(result.outcomes.get(licenses(21).id)).toMatchObject({ because: 'circuit breaker open' });
    expect(events.filter((event) => event.name === 'runStopped').map((event) => event.args[0])).toEqual([
      'circuit-breaker',
    ]);
  });

  it('bounds what is in flight when it trips under concurrency', async () => {
    const { client, apply } = harness({ concurrency: 4 });
    rejectFor(client, ids(60));
    const result = await apply(planOf(...ids(60).map(licenses)));
    expect(result.stoppedBy).toBe('circuit-breaker');
    expect(client.log.length).toBeGreaterThanOrEqual(BREAKER_FIRST_WRITES);
    expect(client.log.length).toBeLessThanOrEqual(BREAKER_FIRST_WRITES + 4);
  });

  it('stops when more than half of the writes failed once 20 were sent', async () => {
    const { client, apply } = harness({ concurrency: 1 });
    // One in three succeeds, starting with the first: the first 20 do not all fail.
    rejectFor(
      client,
      ids(40).filter((id) => id % 3 !== 1),
    );
    const result = await apply(planOf(...ids(40).map(licenses)));
    expect(client.log).toHaveLength(BREAKER_MIN_WRITES);
    expect(result.stoppedBy).toBe('circuit-breaker');
  });

  it('keeps going while at most half of the writes fail', async () => {
    const { client, apply } = harness({ concurrency: 1 });
    rejectFor(
      client,
      ids(40).filter((id) => id % 2 === 0),
    );
    const result = await apply(planOf(...ids(40).map(licenses)));
    expect(result.stoppedBy).toBeUndefined();
    expect(countStatuses(result.outcomes.values())).toEqual({ ok: 20, failed: 20 });
  });

  it('counts every failed try, retries included', async () => {
    const { client, apply } = harness({ concurrency: 1, retries: 3 });
    for (const accountId of ids(10)) {
      const failing = Array.from({ length: 3 }, () => ({ transient: 'http-5xx' as const }));
      client.script('setLicenseQuantity', failing, (args) => args[0] === accountId);
    }
    const result = await apply(planOf(...ids(10).map(licenses)));
    expect(result.stoppedBy).toBe('circuit-breaker');
    expect(client.log.length).toBe(BREAKER_MIN_WRITES);
  });

  it('does not count HTTP 429: the API asked to slow down, not that writes fail', async () => {
    const { client, apply } = harness({ concurrency: 1, retries: 3 });
    for (const accountId of ids(30)) {
      client.script(
        'setLicenseQuantity',
        [{ transient: 'http-429', retryAfterMs: 10 }],
        (args) => args[0] === accountId,
      );
    }
    const result = await apply(planOf(...ids(30).map(licenses)));
    expect(result.stoppedBy).toBeUndefined();
    expect(client.log).toHaveLength(60);
    expect(countStatuses(result.outcomes.values())).toEqual({ ok: 30 });
  });
});
