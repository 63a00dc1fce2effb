import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/plan/action.js';
import type { FakeClient } from './fake-client.js';
import { harness } from './harness.js';
import { action, agentCreate, planOf } from './plans.js';

/** Most requests started in any sliding one-second window. */
function busiestSecond(starts: number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let busiest = 0;
  for (const [index, start] of sorted.entries()) {
    const inWindow = sorted.slice(index).filter((time) => time < start + 1000).length;
    busiest = Math.max(busiest, inWindow);
  }
  return busiest;
}

/** 20 license updates and 10 agent creates; a third fail once (5xx, 429, lost answers), forcing retries and lookups. */
function flakyWork(client: FakeClient): PlannedAction[] {
  const updates = Array.from({ length: 20 }, (_, index) =>
    action('account.set_licenses', `#${index + 1}`, `#${index + 1}`, {
      accountId: index + 1,
      licenseQuantity: 2,
    }),
  );
  for (const accountId of [2, 5, 8, 11, 14, 17, 20]) {
    const reply =
      accountId % 2 === 0
        ? { transient: 'http-5xx' as const }
        : { transient: 'http-429' as const, retryAfterMs: 300 };
    client.script('setLicenseQuantity', [reply], (args) => args[0] === accountId);
  }
  const creates = Array.from({ length: 10 }, (_, index) => agentCreate(100, `agent${index}@acme.example`));
  client.script('createAgent', [
    { transient: 'timeout', applied: true },
    { transient: 'timeout' },
    { transient: 'network', outcomeUnknown: false },
  ]);
  return [...updates, ...creates];
}

describe('limits during retries', () => {
  it('never has more requests in flight than --concurrency', async () => {
    const { client, gate, apply } = harness({ concurrency: 3, rate: 100, baseDelayMs: 50 });
    client.latencyMs = 200;
    const result = await apply(planOf(...flakyWork(client)));
    expect([...result.outcomes.values()].every((outcome) => outcome.status === 'ok')).toBe(true);
    expect(result.retries).toBeGreaterThanOrEqual(10);
    expect(result.requests.reads).toBe(2);
    expect(client.maxInFlight).toBe(3);
    expect(gate.inFlight).toBe(0);
  });

  it('never starts more than --rate requests in any one-second window', async () => {
    const { client, apply } = harness({ concurrency: 10, rate: 5, baseDelayMs: 50 });
    const result = await apply(planOf(...flakyWork(client)));
    expect([...result.outcomes.values()].every((outcome) => outcome.status === 'ok')).toBe(true);
    const starts = client.log.map((request) => request.startedAt);
    expect(starts.length).toBe(result.requests.reads + result.requests.writes);
    expect(busiestSecond(starts)).toBe(5);
  });
});
