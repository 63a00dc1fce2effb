import { describe, expect, it } from 'vitest';
import { createRunContext } from '../../src/apply/context.js';
import { partnerApiRetryPolicy } from '../../src/apply/retry-policy.js';
import { createRequestGate } from '../../src/limits/request-gate.js';
import { type LiveReadClient, readObserved } from '../../src/live/read-observed.js';
import type { ObservedAgent } from '../../src/model/observed.js';
import { FakeClock } from '../limits/fake-clock.js';

function fakeClient(departmentsPerAccount: number) {
  const calls: string[] = [];
  const client: LiveReadClient = {
    async listAgents(accountId) {
      calls.push(`agents ${accountId}`);
      const agent: ObservedAgent = {
        id: accountId * 10,
        accountId,
        email: `a${accountId}@x.com`,
        name: 'Ana',
        profile: 'AGENT',
        active: true,
      };
      return [agent];
    },
    async listDepartments(accountId) {
      calls.push(`departments ${accountId}`);
      return Array.from({ length: departmentsPerAccount }, (_, i) => ({
        id: accountId * 100 + i,
        accountId,
        name: `Dep ${i}`,
        description: '',
        active: true,
      }));
    },
    async listDepartmentChannels(departmentId) {
      calls.push(`channels ${departmentId}`);
      return ['chat'];
    },
    async listDepartmentAgents(departmentId) {
      calls.push(`members ${departmentId}`);
      return [departmentId];
    },
  };
  return { client, calls };
}

const direct = <T>(request: () => Promise<T>) => request();

describe('readObserved', () => {
  it('makes exactly 2 GETs per account and 2 per department', async () => {
    const { client, calls } = fakeClient(3);
    const observed = await readObserved([1, 2, 2], client, direct);
    expect(calls).toHaveLength(2 * 2 + 2 * 6);
    expect(observed.accounts.get(2)?.departments.map((d) => d.channels)).toEqual([
      ['chat'],
      ['chat'],
      ['chat'],
    ]);
    expect(observed.accounts.get(1)?.departments[1]?.agentIds).toEqual([101]);
  });

  it('sends every request through the runner it is given', async () => {
    const { client } = fakeClient(2);
    let admitted = 0;
    await readObserved([7], client, (request) => {
      admitted += 1;
      return request();
    });
    expect(admitted).toBe(2 + 2 * 2);
  });

  it('names what it was reading when a GET fails', async () => {
    const { client } = fakeClient(1);
    client.listDepartmentChannels = async () => {
      throw new Error('Department not found');
    };
    await expect(readObserved([5], client, direct)).rejects.toThrow(
      /reading the channels of department 500 \("Dep 0"\) of account 5: Department not found/,
    );
  });

  it('reads through a run context: each GET counted once, under --concurrency', async () => {
    const clock = new FakeClock();
    const { client } = fakeClient(3);
    let inFlight = 0;
    let mostInFlight = 0;
    const slow =
      <T>(read: () => Promise<T>) =>
      async () => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await clock.sleep(40);
        inFlight -= 1;
        return read();
      };
    const context = createRunContext({
      client,
      gate: createRequestGate({ concurrency: 2, rate: 100, clock }),
      retryPolicy: partnerApiRetryPolicy(0),
      clock,
    });
    const observed = readObserved([1, 2], client, (request) => context.read(slow(request)));
    await clock.runUntilIdle();
    expect((await observed).accounts.size).toBe(2);
    expect(context.counters).toMatchObject({ reads: 2 * 2 + 2 * 6, writes: 0, retries: 0 });
    expect(mostInFlight).toBe(2);
  });
});
