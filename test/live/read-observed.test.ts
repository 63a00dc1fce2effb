import { describe, expect, it } from 'vitest';
import { type LiveReadClient, readObserved } from '../../src/live/read-observed.js';
import type { ObservedAgent } from '../../src/model/observed.js';

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
});
