import { describe, expect, it } from 'vitest';
import type { Desired } from '../../src/model/desired.js';
import type { SourceLocation } from '../../src/model/source.js';
import { passwordLookup } from '../../src/plan/passwords.js';
import { makePlan } from '../../src/plan/planner.js';
import { accountIdsToRead } from '../../src/plan/reading.js';
import type { Plan } from '../../src/plan/types.js';
import { harness, statuses } from './harness.js';

const row = (kind: string, number: number): SourceLocation => ({ file: `${kind}.csv`, row: number });

/** New and adopted accounts, departments with channels and status, agents with profiles, limits, passwords and memberships. */
const desired: Desired = {
  accounts: [
    {
      key: 'acme',
      email: 'owner@acme.example',
      mainContact: 'Owner',
      licenseQuantity: 5,
      licenseCode: 'PARTNER_X',
      password: 'Acme-Pass-1',
      source: row('accounts', 2),
    },
    {
      key: 'beta',
      accountId: 500,
      email: 'owner@beta.example',
      mainContact: 'Beta',
      licenseQuantity: 2,
      status: 'inactive',
      source: row('accounts', 3),
    },
  ],
  departments: [
    { account: { key: 'acme' }, name: 'Sales', channels: ['chat', 'video'], source: row('departments', 2) },
    { account: { key: 'acme' }, name: 'Support', status: 'inactive', source: row('departments', 3) },
    { account: { key: 'beta' }, name: 'Ops', description: 'Operations', source: row('departments', 4) },
  ],
  agents: [
    {
      account: { key: 'acme' },
      email: 'ana@acme.example',
      name: 'Ana',
      textLimit: 4,
      departments: ['Sales', 'Support'],
      password: 'Ana-Pass-1',
      source: row('agents', 2),
    },
    {
      account: { key: 'acme' },
      email: 'bia@acme.example',
      name: 'Bia',
      profile: 'ADMIN',
      departments: ['Sales'],
      source: row('agents', 3),
    },
    {
      account: { key: 'beta' },
      email: 'caio@beta.example',
      name: 'Caio',
      departments: ['Ops'],
      source: row('agents', 4),
    },
  ],
  kindsPresent: { accounts: true, departments: true, agents: true },
};

describe('apply against the planner', () => {
  it('applies a plan so that planning again from the state it left gives nothing to do', async () => {
    const { client, store, applyOptions, apply } = harness();
    applyOptions.passwords = passwordLookup(desired);
    // Beta exists in Omnize, unknown to the state store: its agent has an old name and is in no department.
    client.addAgent(500, 'caio@beta.example').name = 'Caio Old';
    client.addDepartment(500, 'Ops');
    const plan = (): Plan =>
      makePlan(
        desired,
        client.observed(accountIdsToRead(desired, store.remembered())),
        store.remembered(),
        {
          prune: false,
          allowDelete: false,
          maxDeactivations: { percent: 100 },
          fingerprint: (plain) => store.fingerprint(plain),
        },
        () => new Date('2026-03-01T02:00:00.000Z'),
      );

    const first = plan();
    expect(first.actions.length).toBeGreaterThan(10);
    const result = await apply(first);
    expect(Object.entries(statuses(result)).filter(([, status]) => status !== 'ok')).toEqual([]);

    expect(plan().actions).toEqual([]);
    const sales = client.departments.find((department) => department.name === 'Sales')!;
    expect(sales.channels).toEqual(['chat', 'video']);
    expect(sales.agentIds.size).toBe(2);
    expect(store.getAccount('beta')).toMatchObject({ accountId: 500, applied: { status: 'inactive' } });
  });
});
