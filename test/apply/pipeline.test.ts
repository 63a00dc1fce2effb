import { describe, expect, it } from 'vitest';
import { createRunContext } from '../../src/apply/context.js';
import { composeLayers, type Layer } from '../../src/apply/requests/pipeline.js';
import { partnerApiRetryPolicy } from '../../src/apply/retry-policy.js';
import type { RunLease } from '../../src/apply/types.js';
import { InternalError } from '../../src/errors.js';
import { createRequestGate, RATE_WINDOW_MARGIN_MS } from '../../src/limits/request-gate.js';
import { InvalidTokenError } from '../../src/omnize/errors.js';
import { FakeClock } from '../limits/fake-clock.js';
import { FakeClient } from './fake-client.js';
import { harness } from './harness.js';
import { action, planOf } from './plans.js';

/** A run context with no state store, as `plan` and `login-links` have; `plan` passes its lock's lease. */
function readOnlyContext(limits: { concurrency: number; rate: number }, lease?: RunLease) {
  const clock = new FakeClock();
  const client = new FakeClient(clock);
  const context = createRunContext({
    client,
    gate: createRequestGate({ ...limits, clock }),
    retryPolicy: partnerApiRetryPolicy(3, { baseDelayMs: 100, maxDelayMs: 5_000, jitter: 0.5 }),
    clock,
    random: () => 0.5,
    lease,
  });
  return { clock, client, context };
}

describe('the request pipeline', () => {
  it('stacks its layers, the first outermost, around the request', async () => {
    const order: string[] = [];
    const named =
      (name: string): Layer =>
      async (request, next) => {
        order.push(`${name} in`);
        const value = await next(request);
        order.push(`${name} out`);
        return value;
      };
    const send = composeLayers([named('outer'), named('inner')]);
    const value = await send({ kind: 'read', send: async () => order.push('request') });
    expect(value).toBe(3);
    expect(order).toEqual(['outer in', 'inner in', 'request', 'inner out', 'outer out']);
  });

  it('makes a retried read wait its turn in the gate again', async () => {
    const { clock, client, context } = readOnlyContext({ concurrency: 4, rate: 1 });
    client.script('listAgents', [{ transient: 'http-5xx' }], (args) => args[0] === 1);
    const reads = [1, 2].map((accountId) => context.read(() => client.listAgents(accountId)));
    await clock.runUntilIdle();
    await Promise.all(reads);
    // The retry was due 75 ms after the first try, but the next start slot came only after the second read's.
    const window = 1000 + RATE_WINDOW_MARGIN_MS;
    expect(client.log.map((request) => [request.args[0], request.startedAt])).toEqual([
      [1, 0],
      [2, window],
      [1, 2 * window],
    ]);
    expect(context.counters).toMatchObject({ reads: 3, writes: 0, retries: 1 });
  });

  it('counts every request of a run once: live reads, writes, look-ups and retries', async () => {
    const { client, context, clock, apply } = harness();
    const live = context.read(() => client.listAgents(1));
    await clock.runUntilIdle();
    await live;
    client.script('setLicenseQuantity', [{ transient: 'http-5xx' }]);
    const licenses = action('account.set_licenses', '#5', '#5', { accountId: 5, licenseQuantity: 2 });
    const result = await apply(planOf(licenses));
    expect(client.log.map((request) => request.method)).toEqual([
      'listAgents',
      'setLicenseQuantity',
      'setLicenseQuantity',
    ]);
    expect(context.counters).toMatchObject({ requests: 3, reads: 1, writes: 2, retries: 1 });
    expect(context.counters.perSecond.counts.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(result).toMatchObject({ requests: { reads: 1, writes: 2 }, retries: 1 });
  });

  it('stops the run on "Invalid token": reads waiting in the gate are refused with that answer, unsent', async () => {
    const { clock, client, context } = readOnlyContext({ concurrency: 1, rate: 100 });
    client.script('listAgents', ['invalid-token']);
    const reads = [1, 2, 3].map((accountId) =>
      context.read(() => client.listAgents(accountId)).catch((error: unknown) => error),
    );
    await clock.runUntilIdle();
    const errors = await Promise.all(reads);
    expect(client.log).toHaveLength(1);
    expect(context.control.reason).toBe('invalid-token');
    expect(errors.every((error) => error instanceof InvalidTokenError)).toBe(true);
    expect(errors[1]).toBe(errors[0]);
  });

  it('refuses a write in a run with no state store to journal it, sending nothing', async () => {
    const { clock, client, context } = readOnlyContext({ concurrency: 1, rate: 100 });
    const write = context
      .send({ kind: 'write', send: () => client.setLicenseQuantity(5, 2) })
      .catch((error: unknown) => error);
    await clock.runUntilIdle();
    const refusal = await write;
    expect(refusal).toBeInstanceOf(InternalError);
    expect((refusal as Error).message).toBe('a write was sent with no journal to record it');
    expect(client.log).toHaveLength(0);
  });

  it('stops a run with no state store (a plan) once its lock lease is lost: reads not sent yet are refused', async () => {
    let lose: ((reason: 'taken-over' | 'expired') => void) | undefined;
    let valid = true;
    const lease: RunLease = {
      isLeaseValid: () => valid,
      onLeaseLost: (listener) => {
        lose = listener;
      },
    };
    const { clock, client, context } = readOnlyContext({ concurrency: 1, rate: 100 }, lease);
    const first = context.read(() => client.listAgents(1));
    await clock.runUntilIdle();
    await first;
    valid = false;
    lose?.('taken-over');
    const refused = context.read(() => client.listAgents(2)).catch((error: unknown) => error);
    await clock.runUntilIdle();
    expect(context.control.reason).toBe('state-store');
    expect(await refused).toMatchObject({
      name: 'StateStoreWriteError',
      message: 'another run took over the state store lock',
    });
    expect(client.log.map((request) => request.args[0])).toEqual([1]);
  });

  it('refuses a new request once the run has stopped, before it is journalled or queued', async () => {
    const { client, context, timeline, clock } = harness();
    context.control.stop('SIGTERM');
    const read = context.read(() => client.listAgents(1)).catch((error: unknown) => error);
    await clock.runUntilIdle();
    expect(await read).toMatchObject({ name: 'RunStopped', reason: 'SIGTERM' });
    expect(client.log).toHaveLength(0);
    expect(timeline).toEqual([]);
  });
});
