import { describe, expect, it } from 'vitest';
import type { RememberedMembership } from '../../src/model/remembered.js';
import { countConfirmed } from '../../src/plan/confirm.js';
import { confirmMatching, makePlanAndConfirm } from '../../src/plan/planner.js';
import type { PlanOptions } from '../../src/plan/types.js';
import { CLOCK, DEFAULT_OPTIONS, planFor, type World, world } from './world.js';

function confirm(inputs: World, options: Partial<PlanOptions> = {}) {
  return makePlanAndConfirm(
    inputs.desired,
    inputs.observed,
    inputs.remembered,
    { ...DEFAULT_OPTIONS, ...options },
    CLOCK,
  );
}

function departmentId(inputs: World, name: string, accountId = 100): number {
  const department = inputs.observed.accounts.get(accountId)?.departments.find((d) => d.name === name);
  if (department === undefined) throw new Error(`no remote department ${name}`);
  return department.id;
}

const acme = () => world().account('acme');

describe('confirmed values: agents', () => {
  it('an adopted agent whose name and profile match live is confirmed with both, under its lower-cased e-mail', () => {
    const inputs = acme().agent('Ana@Acme.example', { name: 'Ana', profile: 'ADMIN' }).build();
    const { plan, confirmed } = confirm(inputs);
    expect(plan.actions).toEqual([]);
    expect(confirmed.agents).toEqual([
      { accountId: 100, email: 'ana@acme.example', name: 'Ana', profile: 'ADMIN' },
    ]);
  });

  it('matches by e-mail case-insensitively, as the planner does', () => {
    const inputs = acme()
      .agent('ANA@acme.example', { name: 'Ana' }, { remote: { email: 'ana@ACME.example' } })
      .build();
    expect(confirm(inputs).confirmed.agents).toEqual([
      { accountId: 100, email: 'ana@acme.example', name: 'Ana' },
    ]);
  });

  it('a manifest without a profile column confirms the name only', () => {
    const inputs = acme()
      .agent('ana@acme.example', { name: 'Ana' }, { remote: { profile: 'ADMIN' } })
      .build();
    expect(confirm(inputs).confirmed.agents).toEqual([
      { accountId: 100, email: 'ana@acme.example', name: 'Ana' },
    ]);
  });

  it('a name the plan changes is not confirmed (its write records it); the matching profile is', () => {
    const inputs = acme()
      .agent('ana@acme.example', { name: 'Ana', profile: 'AGENT' }, { remote: { name: 'Ana X' } })
      .build();
    const { plan, confirmed } = confirm(inputs);
    expect(plan.actions.map((action) => action.kind)).toEqual(['agent.update']);
    expect(confirmed.agents).toEqual([{ accountId: 100, email: 'ana@acme.example', profile: 'AGENT' }]);
  });

  it('values already recorded equal are not written again; one recorded different is', () => {
    const inputs = acme().agent('ana@acme.example', { name: 'Ana', profile: 'ADMIN' }).build();
    inputs.remembered.agents[0]!.name = 'Ana';
    inputs.remembered.agents[0]!.profile = 'AGENT';
    expect(confirm(inputs).confirmed.agents).toEqual([
      { accountId: 100, email: 'ana@acme.example', profile: 'ADMIN' },
    ]);
    inputs.remembered.agents[0]!.profile = 'ADMIN';
    expect(confirm(inputs).confirmed).toEqual({ agents: [], departments: [], memberships: [] });
  });

  it('an agent to be created confirms nothing', () => {
    const inputs = acme().agent('new@acme.example', {}, { remote: false }).build();
    expect(confirm(inputs).confirmed.agents).toEqual([]);
  });
});

describe('confirmed values: departments', () => {
  it('name, description and status that match live are confirmed when the file has their columns', () => {
    const inputs = acme().department('Vendas', { description: 'Team', status: 'inactive' }).build();
    const id = departmentId(inputs, 'Vendas');
    expect(confirm(inputs).confirmed.departments).toEqual([
      { accountId: 100, departmentId: id, name: 'Vendas', description: 'Team', active: false },
    ]);
  });

  it('without description and status columns only the name is confirmed', () => {
    const inputs = acme()
      .department('Vendas', {}, { remote: { description: 'Said in Omnize', active: false } })
      .build();
    const id = departmentId(inputs, 'Vendas');
    expect(confirm(inputs).confirmed.departments).toEqual([
      { accountId: 100, departmentId: id, name: 'Vendas' },
    ]);
  });

  it('matched by trimmed case-insensitive name: the differing spelling is planned, the matching description confirmed', () => {
    const inputs = acme()
      .department('VENDAS', { description: 'Team' }, { remote: { name: 'Vendas' } })
      .build();
    const id = departmentId(inputs, 'Vendas');
    const { plan, confirmed } = confirm(inputs);
    expect(plan.actions.map((action) => action.kind)).toEqual(['department.update']);
    expect(confirmed.departments).toEqual([{ accountId: 100, departmentId: id, description: 'Team' }]);
  });

  it('a department renamed in Omnize, matched by its recorded ID, confirms its matching description on that ID', () => {
    const inputs = acme()
      .department('Vendas', { description: 'Team' }, { remote: { name: 'Sales' } })
      .build();
    const id = departmentId(inputs, 'Sales');
    inputs.remembered.departments = [{ accountId: 100, departmentId: id, name: 'Vendas' }];
    expect(confirm(inputs).confirmed.departments).toEqual([
      { accountId: 100, departmentId: id, description: 'Team' },
    ]);
  });

  it('values recorded equal are not rewritten', () => {
    const inputs = acme().department('Vendas', { description: 'Team', status: 'active' }).build();
    const id = departmentId(inputs, 'Vendas');
    inputs.remembered.departments = [
      { accountId: 100, departmentId: id, name: 'Vendas', description: 'Team', active: true },
    ];
    expect(confirm(inputs).confirmed.departments).toEqual([]);
  });

  it('channels: each matching one present; one left out, absent live and recorded present, absent', () => {
    const inputs = acme()
      .department('Vendas', { channels: ['chat', 'video'] })
      .build();
    const id = departmentId(inputs, 'Vendas');
    const channel = (member: string, present: boolean): RememberedMembership => ({
      accountId: 100,
      departmentId: id,
      kind: 'channel',
      member,
      present,
    });
    inputs.remembered.departments = [{ accountId: 100, departmentId: id, name: 'Vendas' }];
    inputs.remembered.memberships = [channel('video', true), channel('audio', true)];
    expect(confirm(inputs).confirmed.memberships).toEqual([
      { accountId: 100, departmentId: id, kind: 'channel', members: ['chat'], present: true },
      { accountId: 100, departmentId: id, kind: 'channel', members: ['audio'], present: false },
    ]);
    // An absence never recorded present is not confirmed: apply never made that channel.
    inputs.remembered.memberships = [channel('video', true)];
    expect(confirm(inputs).confirmed.memberships).toEqual([
      { accountId: 100, departmentId: id, kind: 'channel', members: ['chat'], present: true },
    ]);
  });

  it('a department without a channels column confirms no channel', () => {
    const inputs = acme()
      .department('Vendas', {}, { remote: { channels: ['chat'] } })
      .build();
    expect(confirm(inputs).confirmed.memberships).toEqual([]);
  });

  it('a channel the plan adds is not confirmed', () => {
    const inputs = acme()
      .department('Vendas', { channels: ['chat', 'video'] }, { remote: { channels: ['chat'] } })
      .build();
    const id = departmentId(inputs, 'Vendas');
    const { plan, confirmed } = confirm(inputs);
    expect(plan.actions.map((action) => action.kind)).toEqual(['department.add_channels']);
    expect(confirmed.memberships).toEqual([
      { accountId: 100, departmentId: id, kind: 'channel', members: ['chat'], present: true },
    ]);
  });
});

describe('confirmed values: agent memberships', () => {
  it('a declared member present live is confirmed present; one the cell leaves out, absent live, recorded present, absent', () => {
    const inputs = acme()
      .department('Vendas', {}, { remote: { name: 'vendas' } })
      .department('Suporte')
      .agent('Ana@acme.example', { departments: ['VENDAS '] })
      .agent('bia@acme.example', { departments: [] })
      .build();
    const vendas = departmentId(inputs, 'vendas');
    inputs.remembered.memberships = [
      { accountId: 100, departmentId: vendas, kind: 'agent', member: 'bia@acme.example', present: true },
    ];
    const { plan, confirmed } = confirm(inputs);
    expect(plan.actions.map((action) => action.kind)).toEqual(['department.update']);
    expect(confirmed.memberships).toEqual([
      { accountId: 100, departmentId: vendas, kind: 'agent', members: ['ana@acme.example'], present: true },
      { accountId: 100, departmentId: vendas, kind: 'agent', members: ['bia@acme.example'], present: false },
    ]);
  });

  it('memberships recorded equal are not rewritten; a member the plan adds or removes is not confirmed', () => {
    const inputs = acme()
      .department('Vendas')
      .agent('ana@acme.example', { departments: ['Vendas'] })
      .agent('bia@acme.example', { departments: ['Vendas'] }, { remoteDepartments: [] })
      .agent('cris@acme.example', { departments: [] }, { remoteDepartments: ['Vendas'] })
      .build();
    const id = departmentId(inputs, 'Vendas');
    inputs.remembered.memberships = [
      { accountId: 100, departmentId: id, kind: 'agent', member: 'ana@acme.example', present: true },
    ];
    const { plan, confirmed } = confirm(inputs);
    expect(plan.actions.map((action) => action.kind)).toEqual([
      'department.add_agents',
      'department.remove_agents',
    ]);
    expect(confirmed.memberships).toEqual([]);
  });

  it('an agent without a departments column confirms no membership, present or absent', () => {
    const inputs = acme()
      .department('Vendas')
      .agent('ana@acme.example', {}, { remoteDepartments: ['Vendas'] })
      .agent('bia@acme.example')
      .build();
    const id = departmentId(inputs, 'Vendas');
    inputs.remembered.memberships = [
      { accountId: 100, departmentId: id, kind: 'agent', member: 'bia@acme.example', present: true },
    ];
    expect(confirm(inputs).confirmed.memberships).toEqual([]);
  });
});

describe('confirmed values: the run', () => {
  it('respects the run scope: an account outside it confirms nothing', () => {
    const inputs = world()
      .account('one')
      .agent('ana@one.example', { name: 'Ana' })
      .account('two')
      .agent('bia@two.example', { name: 'Bia' })
      .build();
    const scope = { accounts: ['two'], accountIds: [], selected: ['two'] };
    expect(confirm(inputs, { scope }).confirmed.agents).toEqual([
      { accountId: 200, email: 'bia@two.example', name: 'Bia' },
    ]);
  });

  it('the plan is the one makePlan makes; confirmMatching finds the same values and keeps no action', () => {
    const inputs = acme()
      .department('Vendas', { description: 'Team', channels: ['chat'] })
      .agent('ana@acme.example', { name: 'Ana', departments: ['Vendas'] }, { remote: { name: 'X' } })
      .build();
    const { plan, confirmed } = confirm(inputs);
    expect(plan).toEqual(planFor(inputs));
    expect(plan.actions.length).toBe(1);
    expect(confirmMatching(inputs.desired, inputs.observed, inputs.remembered, DEFAULT_OPTIONS)).toEqual(
      confirmed,
    );
    // Department name, description, one channel and one membership.
    expect(countConfirmed(confirmed)).toBe(4);
  });
});
