import { describe, expect, it } from 'vitest';
import { SafetyStop } from '../../src/errors.js';
import { assertWithinGuard } from '../../src/plan/guard.js';
import { parseMaxDeactivations } from '../../src/plan/options.js';
import type { Plan } from '../../src/plan/types.js';
import { noticeKinds, only, summary } from './helpers.js';
import { planFor, world } from './world.js';

/** acme with a declared department and agent, and an undeclared department and agent. */
const mixed = () =>
  world()
    .account('acme')
    .department('Vendas')
    .department('Legado', {}, { declared: false })
    .department('Arquivo', {}, { declared: false, remote: { active: false } })
    .agent('ana@acme.example', { departments: ['Vendas'] })
    .agent('old@acme.example', {}, { declared: false, remoteDepartments: ['Vendas', 'Legado'] });

describe('planner: --prune', () => {
  const cases: Array<{ name: string; plan: () => Plan; expected: string[] }> = [
    {
      name: 'upsert touches nothing undeclared',
      plan: () => mixed().plan(),
      expected: [],
    },
    {
      name: 'prune deactivates undeclared active departments and takes undeclared agents out',
      plan: () => mixed().plan({ prune: true }),
      expected: [
        'department.deactivate acme/Legado absent-from-manifest',
        'department.remove_agents acme/Vendas absent-from-manifest',
        'department.remove_agents acme/Legado absent-from-manifest',
      ],
    },
    {
      name: 'prune deactivates remembered accounts the manifest no longer names',
      plan: () =>
        world()
          .account('acme')
          .account('gone', {}, { declared: false })
          .account('retired', {}, { declared: false, applied: { status: 'inactive' } })
          .plan({ prune: true }),
      expected: ['account.deactivate gone/gone absent-from-manifest'],
    },
    {
      name: 'an account named only by department rows is not absent',
      plan: () => world().account('acme', {}, { declared: false }).department('Vendas').plan({ prune: true }),
      expected: [],
    },
    {
      name: 'an account named only by its Omnize ID is not absent',
      plan: () => {
        const built = world().account('acme', {}, { declared: false }).build();
        built.desired.agents.push({
          account: { accountId: 100 },
          email: 'x@acme.example',
          name: 'X',
          source: { file: 'agents.csv', row: 2 },
        });
        return planFor(built, { prune: true });
      },
      expected: ['agent.create acme/x@acme.example missing-remote'],
    },
    {
      name: 'an empty manifest never prunes',
      plan: () =>
        world()
          .account('acme', {}, { declared: false })
          .department('Vendas', {}, { declared: false })
          .plan({ prune: true }),
      expected: [],
    },
    {
      name: 'a manifest that lost a sheet earlier runs had never prunes',
      plan: () => mixed().kinds({ departments: false }).seen({ departments: true }).plan({ prune: true }),
      expected: [],
    },
    {
      name: 'a kind the manifest never had a sheet for is not pruned',
      plan: () => mixed().kinds({ agents: false }).plan({ prune: true }),
      expected: ['department.deactivate acme/Legado absent-from-manifest'],
    },
    {
      name: 'a remote member the account does not list is removed by prune',
      plan: () => {
        const built = world().account('acme').department('Vendas').build();
        built.observed.accounts.get(100)!.departments[0]!.agentIds.push(4242);
        return planFor(built, { prune: true });
      },
      expected: ['department.remove_agents acme/Vendas absent-from-manifest'],
    },
  ];

  it.each(cases)('$name', ({ plan, expected }) => {
    expect(summary(plan())).toEqual(expected);
  });

  it('lists undeclared agents as still active, since the API cannot deactivate them', () => {
    const plan = mixed().plan({ prune: true });
    expect(noticeKinds(plan)).toEqual(['agent-still-active']);
    expect(plan.notices[0]).toMatchObject({ account: 'acme', target: 'old@acme.example' });
    expect(plan.notices[0]?.message).toContain('cannot deactivate agents');
  });

  it('says why prune was switched off', () => {
    const empty = world().account('acme', {}, { declared: false }).plan({ prune: true });
    expect(noticeKinds(empty)).toEqual(['prune-disabled']);
    expect(empty.notices[0]?.message).toContain('no rows');
    const lost = mixed().kinds({ agents: false }).seen({ agents: true }).plan({ prune: true });
    expect(noticeKinds(lost)).toEqual(['prune-disabled']);
    expect(lost.notices[0]?.message).toContain('no agents sheet');
  });
});

describe('planner: safety guard', () => {
  /** An account with `retired` undeclared active departments and `kept` declared ones. */
  const retiring = (retired: number, kept: number) => {
    let builder = world().account('acme');
    for (let index = 0; index < kept; index += 1) builder = builder.department(`Kept ${index}`);
    for (let index = 0; index < retired; index += 1)
      builder = builder.department(`Old ${index}`, {}, { declared: false });
    return builder;
  };

  it.each([
    { setting: '3', retired: 3, kept: 0, limit: 3, exceeded: false },
    { setting: '3', retired: 4, kept: 0, limit: 3, exceeded: true },
    { setting: '10%', retired: 5, kept: 10, limit: 5, exceeded: false },
    { setting: '10%', retired: 6, kept: 10, limit: 5, exceeded: true },
    { setting: '10%', retired: 6, kept: 93, limit: 10, exceeded: false },
    { setting: '10%', retired: 11, kept: 93, limit: 10, exceeded: true },
    { setting: '50%', retired: 6, kept: 3, limit: 5, exceeded: true },
  ])('$setting with $retired of $kept+$retired retired: limit $limit, exceeded $exceeded', (row) => {
    const plan = retiring(row.retired, row.kept).plan({
      prune: true,
      maxDeactivations: parseMaxDeactivations(row.setting),
    });
    expect(plan.guard).toMatchObject({ destructive: row.retired, limit: row.limit, exceeded: row.exceeded });
    expect(plan.guard.inScope).toBe(1 + row.retired + row.kept);
  });

  it('counts each agent taken out of a department, and account deactivations and deletes', () => {
    const plan = mixed()
      .account(
        'beta',
        { status: 'deleted' },
        { applied: { email: 'x', mainContact: 'y', licenseQuantity: 1 } },
      )
      .plan({ prune: true, allowDelete: true });
    expect(plan.guard.destructive).toBe(1 + 2 + 1);
  });

  it('does not count a delete waiting for --allow-delete, nor an account created inactive', () => {
    const plan = world()
      .account(
        'beta',
        { status: 'deleted' },
        { applied: { email: 'x', mainContact: 'y', licenseQuantity: 1 } },
      )
      .account('gamma', { status: 'inactive' }, { state: 'new' })
      .plan();
    expect(summary(plan)).toContain('account.deactivate gamma/gamma marked-inactive');
    expect(plan.guard.destructive).toBe(0);
  });

  it('stops with SafetyStop, giving the reason and the numbers', () => {
    const plan = retiring(6, 10).plan({ prune: true });
    expect(() => assertWithinGuard(plan)).toThrow(SafetyStop);
    expect(() => assertWithinGuard(plan)).toThrow(
      /deactivate, delete or remove 6 entities, more than the limit of 5 \(--max-deactivations 10% of 17 entities in scope, at least 5\)/,
    );
    expect(() => assertWithinGuard(retiring(5, 10).plan({ prune: true }))).not.toThrow();
  });

  it('counts a department deactivated by its status like one pruned', () => {
    const plan = world()
      .account('acme')
      .department('Vendas', { status: 'inactive' }, { remote: { active: true } })
      .plan();
    expect(only(plan, 'department.deactivate').reason).toBe('marked-inactive');
    expect(plan.guard.destructive).toBe(1);
  });
});

describe('parseMaxDeactivations', () => {
  it.each([
    ['25', { count: 25 }],
    [' 0 ', { count: 0 }],
    ['10%', { percent: 10 }],
    ['12.5 %', { percent: 12.5 }],
    ['100%', { percent: 100 }],
  ])('reads %j', (text, expected) => {
    expect(parseMaxDeactivations(text)).toEqual(expected);
  });

  it.each(['', 'ten', '-3', '2.5', '101%', '%', '10%%'])('rejects %j with a clear message', (text) => {
    expect(() => parseMaxDeactivations(text)).toThrow(
      /--max-deactivations must be a whole number .* or a percentage/,
    );
  });
});
