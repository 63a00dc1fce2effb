import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { noticeKinds, only, summary } from './helpers.js';
import { world } from './world.js';

const acme = () => world().account('acme');

describe('planner: memberships', () => {
  const cases: Array<{ name: string; plan: () => Plan; expected: string[] }> = [
    {
      name: 'an agent whose cell names a department joins it',
      plan: () =>
        acme()
          .department('Vendas')
          .agent('ana@acme.example', { departments: ['Vendas'] }, { remoteDepartments: [] })
          .plan(),
      expected: ['department.add_agents acme/Vendas membership-changed'],
    },
    {
      name: 'department names in the cell match case-insensitively',
      plan: () =>
        acme()
          .department('Vendas')
          .agent('ana@acme.example', { departments: [' VENDAS '] })
          .plan(),
      expected: [],
    },
    {
      name: 'an agent whose cell no longer names a department leaves it',
      plan: () =>
        acme()
          .department('Vendas')
          .department('Suporte')
          .agent(
            'ana@acme.example',
            { departments: ['Suporte'] },
            { remoteDepartments: ['Vendas', 'Suporte'] },
          )
          .plan(),
      expected: ['department.remove_agents acme/Vendas membership-changed'],
    },
    {
      name: 'an empty departments cell takes the agent out of every department',
      plan: () =>
        acme()
          .department('Vendas')
          .department('Suporte')
          .agent('ana@acme.example', { departments: [] }, { remoteDepartments: ['Vendas', 'Suporte'] })
          .plan(),
      expected: [
        'department.remove_agents acme/Vendas membership-changed',
        'department.remove_agents acme/Suporte membership-changed',
      ],
    },
    {
      name: 'no departments column leaves memberships alone',
      plan: () =>
        acme()
          .department('Vendas')
          .agent('ana@acme.example', {}, { remoteDepartments: ['Vendas'] })
          .plan(),
      expected: [],
    },
    {
      name: 'a declared agent leaves an undeclared department its cell does not name, even without --prune',
      plan: () =>
        acme()
          .department('Legado', {}, { declared: false })
          .agent('ana@acme.example', { departments: [] }, { remoteDepartments: ['Legado'] })
          .plan(),
      expected: ['department.remove_agents acme/Legado membership-changed'],
    },
    {
      name: 'without --prune an undeclared agent keeps its memberships',
      plan: () =>
        acme()
          .department('Vendas')
          .agent('old@acme.example', {}, { declared: false, remoteDepartments: ['Vendas'] })
          .plan(),
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ plan, expected }) => {
    expect(summary(plan())).toEqual(expected);
  });

  it('batches all additions and all removals of a department into one call each', () => {
    let builder = acme().department('Vendas');
    for (let index = 0; index < 40; index += 1) {
      const joins = index % 2 === 0;
      builder = builder.agent(
        `agent${index}@acme.example`,
        { departments: joins ? ['Vendas'] : [] },
        { remoteDepartments: joins ? [] : ['Vendas'], ...(index % 4 === 0 ? { remote: false } : {}) },
      );
    }
    const plan = builder.plan();
    expect(only(plan, 'department.add_agents').params.agents).toHaveLength(20);
    expect(only(plan, 'department.remove_agents').params.agents).toHaveLength(20);
    expect(plan.counts['agent.create']).toBe(10);
  });

  it('refers to agents and departments created in the same run by their create actions', () => {
    const plan = acme()
      .department('Vendas', {}, { remote: false })
      .agent('new@acme.example', { departments: ['Vendas'] }, { remote: false })
      .agent('old@acme.example', { departments: ['vendas'] })
      .plan();
    const add = only(plan, 'department.add_agents');
    const departmentCreate = only(plan, 'department.create');
    const agentCreate = only(plan, 'agent.create');
    expect(add.params.departmentId).toEqual({ fromAction: departmentCreate.id });
    expect(add.params.agents.map((agent) => agent.agentId)).toEqual([{ fromAction: agentCreate.id }, 1000]);
    expect(add.dependsOn).toEqual([departmentCreate.id, agentCreate.id]);
    expect(add.params.agents[0]?.source).toEqual({ file: 'agents.csv', row: 2 });
    expect(plan.actions.indexOf(add)).toBeGreaterThan(plan.actions.indexOf(agentCreate));
  });

  it('names the member and the department rows on each batch', () => {
    const plan = acme()
      .department('Vendas')
      .agent('ana@acme.example', { departments: [] }, { remoteDepartments: ['Vendas'] })
      .plan();
    const remove = only(plan, 'department.remove_agents');
    expect(remove.source).toEqual({ file: 'departments.csv', row: 2 });
    expect(remove.params.agents).toEqual([
      {
        label: 'ana@acme.example',
        agentId: 1001,
        reason: 'membership-changed',
        cause: 'new',
        source: { file: 'agents.csv', row: 2 },
      },
    ]);
    expect(remove.before).toEqual({ agents: ['ana@acme.example'] });
  });

  it('raises a notice for a department name nobody has, and plans the rest', () => {
    const plan = acme()
      .department('Vendas')
      .agent('ana@acme.example', { departments: ['Vendas', 'Nowhere'] }, { remoteDepartments: [] })
      .plan();
    expect(summary(plan)).toEqual(['department.add_agents acme/Vendas membership-changed']);
    expect(noticeKinds(plan)).toEqual(['unknown-department']);
    expect(plan.notices[0]?.source).toEqual({ file: 'agents.csv', row: 2 });
  });

  it('reaches departments that exist only remotely by name', () => {
    const plan = acme()
      .department('Remoto', {}, { declared: false })
      .agent('ana@acme.example', { departments: ['remoto'] }, { remoteDepartments: [] })
      .kinds({ departments: false })
      .plan();
    expect(only(plan, 'department.add_agents').params.departmentId).toBe(1000);
  });
});
