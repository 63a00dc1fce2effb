import { describe, expect, it } from 'vitest';
import type { RememberedAgent } from '../../src/model/remembered.js';
import type { Cause, PlannedAction } from '../../src/plan/action.js';
import { actionCause, fieldCause } from '../../src/plan/cause.js';
import { renderPlanText } from '../../src/plan/render.js';
import { only } from './helpers.js';
import { planFor, type World, world } from './world.js';

/** `kind target cause` of every action, for compact expectations. */
function causes(world: World): string[] {
  return planFor(world).actions.map((action) => `${action.kind} ${action.target} ${action.cause}`);
}

/** Sets what the state remembers apply last made of an agent (its row exists: the world made it). */
function recordAgent(world: World, email: string, values: Partial<RememberedAgent>): World {
  const agent = world.remembered.agents.find((row) => row.email === email);
  if (agent === undefined) throw new Error(`no remembered row for ${email}`);
  Object.assign(agent, values);
  return world;
}

/** The Omnize ID the world gave a department of account 100 (acme). */
function departmentId(world: World, name: string): number {
  const department = world.observed.accounts.get(100)?.departments.find((d) => d.name === name);
  if (department === undefined) throw new Error(`no remote department ${name}`);
  return department.id;
}

const acme = () => world().account('acme');

describe('causes: the rule per field and per action', () => {
  it.each<[unknown, unknown, Cause]>([
    ['Ana', undefined, 'new'],
    ['Ana', 'Ana', 'drift'],
    ['Ana', 'Ana Maria', 'manifest'],
    [true, true, 'drift'],
    [false, true, 'manifest'],
  ])('a field wanted as %j, last applied as %j, is %s', (wanted, recorded, cause) => {
    expect(fieldCause(wanted, recorded)).toBe(cause);
  });

  it.each<[Cause[], Cause]>([
    [['drift'], 'drift'],
    [['drift', 'drift'], 'drift'],
    [['drift', 'manifest'], 'manifest'],
    [['new', 'manifest'], 'manifest'],
    [['drift', 'new'], 'new'],
    [['new'], 'new'],
    [[], 'new'],
  ])('an action whose fields are %j is %s', (fields, cause) => {
    expect(actionCause(fields)).toBe(cause);
  });
});

describe('causes: agents', () => {
  it('a name changed in Omnize, the manifest unchanged since apply, is drift', () => {
    const inputs = acme()
      .agent('ana@acme.example', { name: 'Ana' }, { remote: { name: 'Ana Changed' } })
      .build();
    recordAgent(inputs, 'ana@acme.example', { name: 'Ana' });
    const update = only(planFor(inputs), 'agent.update');
    expect(update.cause).toBe('drift');
    expect([update.before, update.after]).toEqual([{ name: 'Ana Changed' }, { name: 'Ana' }]);
  });

  it('a name changed in the manifest since apply is manifest, even if Omnize changed it too', () => {
    const inputs = acme()
      .agent('ana@acme.example', { name: 'Ana Maria' }, { remote: { name: 'Ana X' } })
      .build();
    recordAgent(inputs, 'ana@acme.example', { name: 'Ana' });
    expect(causes(inputs)).toEqual(['agent.update ana@acme.example manifest']);
  });

  it('a name with nothing recorded is new', () => {
    const inputs = acme()
      .agent('ana@acme.example', { name: 'Ana' }, { remote: { name: 'Ana X' } })
      .build();
    expect(causes(inputs)).toEqual(['agent.update ana@acme.example new']);
  });

  it.each<[string, Cause]>([
    ['ADMIN', 'drift'],
    ['AGENT', 'manifest'],
  ])('a profile wanted ADMIN, AGENT in Omnize, last applied as %s, is %s', (last, cause) => {
    const inputs = acme()
      .agent('ana@acme.example', { profile: 'ADMIN' }, { remote: { profile: 'AGENT' } })
      .build();
    recordAgent(inputs, 'ana@acme.example', { profile: last as RememberedAgent['profile'] });
    expect(only(planFor(inputs), 'agent.set_profile').cause).toBe(cause);
  });

  it('a drifted name with a text limit the manifest changed is manifest (not every field is drift)', () => {
    const inputs = acme()
      .agent(
        'ana@acme.example',
        { name: 'Ana', textLimit: 5 },
        { remote: { name: 'X' }, remembered: { textLimit: 3 } },
      )
      .build();
    recordAgent(inputs, 'ana@acme.example', { name: 'Ana' });
    expect(causes(inputs)).toEqual(['agent.update ana@acme.example manifest']);
  });

  it('a new agent is new; one the state remembers but Omnize lost is drift', () => {
    const inputs = acme().agent('new@acme.example', {}, { remote: false }).build();
    expect(causes(inputs)).toEqual(['agent.create new@acme.example new']);
    inputs.remembered.agents.push({
      accountId: 100,
      email: 'new@acme.example',
      name: 'Name of new@acme.example',
    });
    expect(causes(inputs)).toEqual(['agent.create new@acme.example drift']);
  });
});

describe('causes: departments', () => {
  it('a department renamed in Omnize behind the tool is renamed back: one drift update, no create', () => {
    const inputs = acme()
      .department('Vendas', {}, { remote: { name: 'Sales' } })
      .build();
    const id = departmentId(inputs, 'Sales');
    inputs.remembered.departments = [{ accountId: 100, departmentId: id, name: 'Vendas', description: '' }];
    const plan = planFor(inputs);
    expect(plan.actions.map((action) => `${action.kind} ${action.target} ${action.cause}`)).toEqual([
      'department.update Vendas drift',
    ]);
    const update = only(plan, 'department.update');
    expect(update.params.departmentId).toBe(id);
    expect([update.before, update.after]).toEqual([{ name: 'Sales' }, { name: 'Vendas' }]);
  });

  it('without a record, the same rename plans a create (name matching alone), cause new', () => {
    const inputs = acme()
      .department('Vendas', {}, { remote: { name: 'Sales' } })
      .build();
    expect(causes(inputs)).toEqual(['department.create Vendas new']);
  });

  it('a name changed in the manifest is one manifest change', () => {
    const inputs = acme()
      .department('VENDAS', {}, { remote: { name: 'Vendas' } })
      .build();
    const id = departmentId(inputs, 'Vendas');
    inputs.remembered.departments = [{ accountId: 100, departmentId: id, name: 'Vendas' }];
    expect(causes(inputs)).toEqual(['department.update VENDAS manifest']);
  });

  it('a department deleted in Omnize that apply had made is created again as drift', () => {
    const inputs = acme().department('Vendas', {}, { remote: false }).build();
    inputs.remembered.departments = [{ accountId: 100, departmentId: 999, name: 'Vendas' }];
    expect(causes(inputs)).toEqual(['department.create Vendas drift']);
  });

  it('a status and a description changed in Omnize are drift; a status with no record is new', () => {
    const inputs = acme()
      .department(
        'Vendas',
        { status: 'active', description: 'Team' },
        { remote: { active: false, description: 'Other' } },
      )
      .build();
    const id = departmentId(inputs, 'Vendas');
    expect(causes(inputs)).toEqual(['department.update Vendas new', 'department.activate Vendas new']);
    inputs.remembered.departments = [
      { accountId: 100, departmentId: id, name: 'Vendas', description: 'Team', active: true },
    ];
    expect(causes(inputs)).toEqual(['department.update Vendas drift', 'department.activate Vendas drift']);
  });

  it('each channel is judged on its own: put back is drift, added by the manifest is manifest', () => {
    const inputs = acme()
      .department('Vendas', { channels: ['video', 'audio'] }, { remote: { channels: ['chat'] } })
      .build();
    const id = departmentId(inputs, 'Vendas');
    const channel = (member: string, present: boolean) =>
      ({ accountId: 100, departmentId: id, kind: 'channel', member, present }) as const;
    inputs.remembered.memberships = [channel('video', true), channel('audio', true), channel('chat', false)];
    expect(causes(inputs)).toEqual([
      'department.add_channels Vendas drift',
      'department.remove_channels Vendas drift',
    ]);
    inputs.remembered.memberships = [channel('video', true), channel('audio', false), channel('chat', true)];
    expect(causes(inputs)).toEqual([
      'department.add_channels Vendas manifest',
      'department.remove_channels Vendas manifest',
    ]);
  });

  it('a department the manifest omits, with --prune, is deactivated as manifest', () => {
    const inputs = acme().department('Vendas').department('Old', {}, { declared: false }).build();
    const plan = planFor(inputs, { prune: true, maxDeactivations: { count: 10 } });
    expect(only(plan, 'department.deactivate').cause).toBe('manifest');
  });
});

describe('causes: memberships', () => {
  function membershipWorld(recorded: boolean | undefined): { plan: PlannedAction[]; inputs: World } {
    const inputs = acme()
      .department('Vendas')
      .agent('ana@acme.example', { departments: ['Vendas'] }, { remoteDepartments: [] })
      .agent('bia@acme.example', { departments: [] }, { remoteDepartments: ['Vendas'] })
      .build();
    const id = departmentId(inputs, 'Vendas');
    if (recorded !== undefined) {
      inputs.remembered.memberships = [
        { accountId: 100, departmentId: id, kind: 'agent', member: 'ana@acme.example', present: recorded },
        { accountId: 100, departmentId: id, kind: 'agent', member: 'bia@acme.example', present: !recorded },
      ];
    }
    return { plan: planFor(inputs).actions, inputs };
  }

  it('an agent removed in Omnize is added back as drift; one added in Omnize is removed as drift', () => {
    const { plan } = membershipWorld(true);
    expect(plan.map((action) => `${action.kind} ${action.cause}`)).toEqual([
      'department.add_agents drift',
      'department.remove_agents drift',
    ]);
    const add = plan[0] as Extract<PlannedAction, { kind: 'department.add_agents' }>;
    expect(add.params.agents.map((member) => member.cause)).toEqual(['drift']);
  });

  it('memberships the manifest changed since apply are manifest; with no record, new', () => {
    expect(membershipWorld(false).plan.map((action) => action.cause)).toEqual(['manifest', 'manifest']);
    expect(membershipWorld(undefined).plan.map((action) => action.cause)).toEqual(['new', 'new']);
  });
});

describe('causes: the readable plan', () => {
  it('marks drift lines (changed in Omnize) and counts them in the summary line', () => {
    const inputs = acme()
      .agent('ana@acme.example', { name: 'Ana' }, { remote: { name: 'Ana Changed' } })
      .agent('bia@acme.example', { name: 'Bia Nova' }, { remote: { name: 'Bia' } })
      .build();
    recordAgent(inputs, 'ana@acme.example', { name: 'Ana' });
    recordAgent(inputs, 'bia@acme.example', { name: 'Bia' });
    const lines = renderPlanText(planFor(inputs)).trimEnd().split('\n');
    expect(lines).toEqual([
      'account acme',
      '  ~ agent ana@acme.example: name: "Ana Changed" → "Ana" (changed in Omnize)   agents.csv:2',
      '  ~ agent bia@acme.example: name: "Bia" → "Bia Nova"   agents.csv:3',
      'Plan: 0 to create, 2 to update, 0 to deactivate or remove, 0 to delete. 1 of them changed in Omnize.',
    ]);
  });

  it('marks the drift part of a merged department line, and says nothing of drift when there is none', () => {
    const inputs = acme()
      .department('Vendas')
      .agent('ana@acme.example', { departments: ['Vendas'] }, { remoteDepartments: [] })
      .build();
    const id = departmentId(inputs, 'Vendas');
    expect(renderPlanText(planFor(inputs))).not.toContain('changed in Omnize');
    inputs.remembered.memberships = [
      { accountId: 100, departmentId: id, kind: 'agent', member: 'ana@acme.example', present: true },
    ];
    expect(renderPlanText(planFor(inputs))).toContain(
      '  ~ department Vendas: + 1 agent (ana@acme.example) (changed in Omnize)   departments.csv:2\n',
    );
  });
});
