import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';
import { action, planOf } from './plans.js';

const update = action('account.set_licenses', 'acme', 'acme', { accountId: 5, licenseQuantity: 20 });

describe('retries', () => {
  it('retries HTTP 5xx with exponential backoff until the request succeeds', async () => {
    const { client, events, apply } = harness({ retries: 3, baseDelayMs: 100 });
    client.script('setLicenseQuantity', [{ transient: 'http-5xx' }, { transient: 'http-5xx' }]);
    const result = await apply(planOf(update));

    expect(result.outcomes.get(update.id)).toMatchObject({ status: 'ok', attempts: 3 });
    expect(result.retries).toBe(2);
    expect(result.requests.writes).toBe(3);
    const retries = events.filter((event) => event.name === 'retryScheduled');
    // random() is 0.5 and jitter 0.5: 75% of 100 ms, then of 200 ms.
    expect(retries.map((event) => [event.args[1], event.args[3]])).toEqual([
      [1, 75],
      [2, 150],
    ]);
    expect(retries[0]!.args[2]).toMatchObject({ kind: 'transient', endpoint: 'PUT /accounts/:id' });
    const [first, second, third] = client.calls('setLicenseQuantity');
    expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(75);
    expect(third!.startedAt - second!.endedAt!).toBeGreaterThanOrEqual(150);
  });

  it('waits as long as Retry-After says after HTTP 429', async () => {
    const { client, apply } = harness({ retries: 3, baseDelayMs: 100 });
    client.script('setLicenseQuantity', [{ transient: 'http-429', retryAfterMs: 2_000 }]);
    const result = await apply(planOf(update));
    expect(result.outcomes.get(update.id)).toMatchObject({ status: 'ok', attempts: 2 });
    const [first, second] = client.calls('setLicenseQuantity');
    expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(2_000);
  });

  it('fails the action when the retries run out, keeping the last error', async () => {
    const { client, apply, store } = harness({ retries: 2 });
    client.script('setLicenseQuantity', [
      { transient: 'network' },
      { transient: 'http-5xx' },
      { transient: 'http-5xx' },
    ]);
    const result = await apply(planOf(update));
    expect(result.outcomes.get(update.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { kind: 'transient', message: expect.stringContaining('HTTP 503') },
    });
    expect(client.calls('setLicenseQuantity')).toHaveLength(3);
    // Each try is journalled and settled with its own answer.
    expect(
      store.journalOfRun('run-1').map(({ actionId, outcome, error }) => ({ actionId, outcome, error })),
    ).toEqual([
      { actionId: update.id, outcome: 'failed', error: expect.stringContaining('network') },
      { actionId: update.id, outcome: 'failed', error: expect.stringContaining('HTTP 503') },
      { actionId: update.id, outcome: 'failed', error: expect.stringContaining('HTTP 503') },
    ]);
  });

  it('calls an update unknown when a try that may have been applied is among those that failed', async () => {
    const { client, apply } = harness({ retries: 1 });
    client.script('setLicenseQuantity', [{ transient: 'timeout' }, { transient: 'http-5xx' }]);
    const result = await apply(planOf(update));
    expect(result.outcomes.get(update.id)).toMatchObject({ status: 'unknown', attempts: 2 });
  });

  it('never retries a rejection', async () => {
    const { client, apply } = harness({ retries: 5 });
    client.script('setLicenseQuantity', [{ reject: 'Quantidade de licenças inválida' }]);
    const result = await apply(planOf(update));
    expect(result.outcomes.get(update.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { kind: 'rejected', message: 'Quantidade de licenças inválida' },
    });
    expect(result.retries).toBe(0);
  });
});
