import { describe, expect, it } from 'vitest';
import { recordConfirmed } from '../../src/apply/record-confirmed.js';
import type { Confirmed } from '../../src/plan/confirm.js';
import { makePlanAndConfirm } from '../../src/plan/planner.js';
import { CLOCK, DEFAULT_OPTIONS, planFor, world } from '../plan/world.js';
import { BACKENDS, useStorePlace } from './backends.js';

const FINGERPRINT = `hmac-sha256:${'f'.repeat(64)}`;

describe.each(BACKENDS)('values that already matched at an apply, in the %s state store', (backend) => {
  const place = useStorePlace(backend);

  it('are written in groups, merged with what is on record, with no secret, bumping the serial', async () => {
    const store = await place.open();
    await store.recordAgentApplied(101, 'ana@acme.com', {
      textLimit: 3,
      passwordFingerprint: FINGERPRINT,
    });
    const before = await store.serial();
    const confirmed: Confirmed = {
      agents: [
        { accountId: 101, email: 'ana@acme.com', name: 'Ana', profile: 'ADMIN' },
        { accountId: 101, email: 'bia@acme.com', name: 'Bia' },
        { accountId: 101, email: 'cris@acme.com', profile: 'AGENT' },
      ],
      departments: [{ accountId: 101, departmentId: 9001, name: 'Vendas', description: '', active: true }],
      memberships: [
        {
          accountId: 101,
          departmentId: 9001,
          kind: 'agent',
          members: ['ana@acme.com', 'bia@acme.com'],
          present: true,
        },
        { accountId: 101, departmentId: 9001, kind: 'channel', members: ['audio'], present: false },
      ],
    };
    const groups: number[] = [];
    const counting = {
      journalGroup: (group: Parameters<typeof store.journalGroup>[0]) => {
        groups.push(group.records?.length ?? 0);
        return store.journalGroup(group);
      },
    };
    expect(await recordConfirmed(confirmed, counting, 2)).toBe(6);
    expect(groups).toEqual([2, 2, 2]);
    const remembered = await store.remembered();
    expect(remembered.agents).toEqual([
      {
        accountId: 101,
        email: 'ana@acme.com',
        textLimit: 3,
        passwordFingerprint: FINGERPRINT,
        name: 'Ana',
        profile: 'ADMIN',
      },
      { accountId: 101, email: 'bia@acme.com', name: 'Bia' },
      { accountId: 101, email: 'cris@acme.com', profile: 'AGENT' },
    ]);
    expect(remembered.departments).toEqual([
      { accountId: 101, departmentId: 9001, name: 'Vendas', description: '', active: true },
    ]);
    const member = { accountId: 101, departmentId: 9001 };
    expect(remembered.memberships).toEqual([
      { ...member, kind: 'agent', member: 'ana@acme.com', present: true },
      { ...member, kind: 'agent', member: 'bia@acme.com', present: true },
      { ...member, kind: 'channel', member: 'audio', present: false },
    ]);
    expect(remembered.serial).toBeGreaterThan(before);
  });

  it('nothing confirmed writes nothing', async () => {
    const store = await place.open();
    const before = await store.serial();
    expect(await recordConfirmed({ agents: [], departments: [], memberships: [] }, store)).toBe(0);
    expect(await recordConfirmed(undefined, store)).toBe(0);
    expect(await store.serial()).toBe(before);
  });

  it('an adopted roster that already matched plans its later changes in Omnize as drift', async () => {
    const store = await place.open();
    const inputs = world()
      .account('acme')
      .department('Vendas', { description: 'Team' })
      .agent('ana@acme.example', { name: 'Ana', departments: ['Vendas'] }, { remembered: false })
      .build();
    const { plan, confirmed } = makePlanAndConfirm(
      inputs.desired,
      inputs.observed,
      { ...inputs.remembered, agents: [] },
      DEFAULT_OPTIONS,
      CLOCK,
    );
    expect(plan.actions).toEqual([]);
    await recordConfirmed(confirmed, store);
    // The account itself is the world's; what the store holds is what apply recorded inside it.
    const { agents, departments, memberships } = await store.remembered();
    const contents = inputs.observed.accounts.get(100)!;
    contents.agents[0]!.name = 'Ana (renamed in Omnize)';
    contents.departments[0]!.description = 'Changed in Omnize';
    contents.departments[0]!.agentIds = [];
    const later = planFor({
      ...inputs,
      remembered: { ...inputs.remembered, agents, departments, memberships },
    });
    expect(later.actions.map((action) => `${action.kind} ${action.cause}`)).toEqual([
      'department.update drift',
      'agent.update drift',
      'department.add_agents drift',
    ]);
  });
});
