import { describe, expect, it } from 'vitest';
import { BACKENDS, useStorePlace } from './backends.js';

describe.each(BACKENDS)('what apply last made (drift) in the %s state store', (backend) => {
  const place = useStorePlace(backend);

  it('remembers the name and profile sent to an agent beside its other values, undefined ones left as they are', async () => {
    const store = await place.open();
    await store.recordAgentApplied(101, 'Ana@Acme.com', { textLimit: 3, name: 'Ana', profile: 'AGENT' });
    await store.recordAgentApplied(101, 'ana@acme.com', { profile: 'ADMIN' });
    await store.recordAgentApplied(101, 'zoe@acme.com', {});
    expect((await store.remembered()).agents).toEqual([
      { accountId: 101, email: 'ana@acme.com', textLimit: 3, name: 'Ana', profile: 'ADMIN' },
      { accountId: 101, email: 'zoe@acme.com' },
    ]);
  });

  it('remembers department values, merging later writes, and bumps the serial for each', async () => {
    const store = await place.open();
    await store.recordDepartmentApplied(101, 9002, { name: 'Suporte', description: 'N1', active: true });
    await store.recordDepartmentApplied(101, 9002, { active: false });
    await store.recordDepartmentApplied(101, 9001, {});
    await store.recordDepartmentApplied(7, 9100, { description: '' });
    expect((await store.remembered()).departments).toEqual([
      { accountId: 7, departmentId: 9100, description: '' },
      { accountId: 101, departmentId: 9001 },
      { accountId: 101, departmentId: 9002, name: 'Suporte', description: 'N1', active: false },
    ]);
    expect(await store.serial()).toBe(4);
  });

  it('remembers memberships made and undone, one record per member, in byte order', async () => {
    const store = await place.open();
    const change = { accountId: 101, departmentId: 9001, kind: 'agent' as const };
    await store.recordMemberships({
      ...change,
      members: ['zoe@acme.com', 'ana@acme.com', 'Bia@acme.com'],
      present: true,
    });
    await store.recordMemberships({ ...change, members: ['zoe@acme.com', 'zoe@acme.com'], present: false });
    await store.recordMemberships({ ...change, kind: 'channel', members: ['whatsapp'], present: true });
    await store.recordMemberships({ ...change, members: [], present: true });
    const { memberships, serial } = await store.remembered();
    expect(memberships).toEqual([
      { ...change, member: 'Bia@acme.com', present: true },
      { ...change, member: 'ana@acme.com', present: true },
      { ...change, member: 'zoe@acme.com', present: false },
      { ...change, kind: 'channel', member: 'whatsapp', present: true },
    ]);
    expect(serial).toBe(3);
  });

  it('writes department values and memberships that lag with a journal group in its transaction, all or none', async () => {
    const store = await place.open();
    const [entry] = await store.journalGroup({
      begins: [{ runId: 'r', actionId: 'a', kind: 'department.update', target: 'Vendas', request: {} }],
    });
    await store.journalGroup({
      records: [
        { kind: 'department-applied', accountId: 101, departmentId: 9001, values: { name: 'Vendas' } },
        {
          kind: 'memberships',
          change: {
            accountId: 101,
            departmentId: 9001,
            kind: 'agent',
            members: ['ana@acme.com'],
            present: true,
          },
        },
      ],
      settlements: [{ entryId: entry as number, settlement: { outcome: 'ok' } }],
    });
    const after = await store.remembered();
    expect(after.departments).toEqual([{ accountId: 101, departmentId: 9001, name: 'Vendas' }]);
    expect(after.memberships).toEqual([
      { accountId: 101, departmentId: 9001, kind: 'agent', member: 'ana@acme.com', present: true },
    ]);
    // Changed (SQLite bumps it per record, PostgreSQL once per group: a plan only compares it).
    expect(after.serial).toBeGreaterThan(0);
    await expect(
      store.journalGroup({
        records: [
          { kind: 'department-applied', accountId: 101, departmentId: 9001, values: { name: 'Lost' } },
          {
            kind: 'memberships',
            change: {
              accountId: 101,
              departmentId: 9001,
              kind: 'robot' as 'agent',
              members: ['x'],
              present: true,
            },
          },
        ],
      }),
    ).rejects.toThrow(/CHECK|check/);
    expect(await store.remembered()).toEqual(after);
  });

  it('reads the whole of what a plan needs in one snapshot: accounts, agents, departments, memberships', async () => {
    const store = await place.open();
    await store.recordAccountCreated('acme', 101, { email: 'ops@acme.com' });
    await store.recordAgentApplied(101, 'ana@acme.com', { name: 'Ana' });
    await store.recordDepartmentApplied(101, 9001, { name: 'Vendas', active: true });
    await store.recordMemberships({
      accountId: 101,
      departmentId: 9001,
      kind: 'agent',
      members: ['ana@acme.com'],
      present: true,
    });
    await store.recordKindsSeen(['accounts', 'departments', 'agents']);
    expect(await store.remembered()).toEqual({
      accounts: [expect.objectContaining({ key: 'acme', accountId: 101 })],
      agents: [{ accountId: 101, email: 'ana@acme.com', name: 'Ana' }],
      departments: [{ accountId: 101, departmentId: 9001, name: 'Vendas', active: true }],
      memberships: [
        { accountId: 101, departmentId: 9001, kind: 'agent', member: 'ana@acme.com', present: true },
      ],
      kindsSeen: { accounts: true, departments: true, agents: true },
      serial: 5,
    });
  });
});
