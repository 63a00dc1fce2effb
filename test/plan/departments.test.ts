import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { only, summary } from './helpers.js';
import { world } from './world.js';

const acme = () => world().account('acme');

describe('planner: departments', () => {
  const cases: Array<{ name: string; plan: () => Plan; expected: string[] }> = [
    {
      name: 'a missing department is created, channels in the body and no add_channels',
      plan: () =>
        acme()
          .department('Suporte', { channels: ['chat', 'audio'] }, { remote: false })
          .plan(),
      expected: ['department.create acme/Suporte missing-remote'],
    },
    {
      name: 'names match case-insensitively; a case change is an update',
      plan: () =>
        acme()
          .department('SUPORTE', {}, { remote: { name: 'Suporte' } })
          .plan(),
      expected: ['department.update acme/SUPORTE field-changed'],
    },
    {
      name: 'names match with surrounding spaces trimmed',
      plan: () =>
        acme()
          .department('Suporte', {}, { remote: { name: ' suporte ' } })
          .plan(),
      expected: ['department.update acme/Suporte field-changed'],
    },
    {
      name: 'a managed description that differs is an update',
      plan: () =>
        acme()
          .department('Suporte', { description: 'New' }, { remote: { description: 'Old' } })
          .plan(),
      expected: ['department.update acme/Suporte field-changed'],
    },
    {
      name: 'an unmanaged description is left alone',
      plan: () =>
        acme()
          .department('Suporte', {}, { remote: { description: 'Anything' } })
          .plan(),
      expected: [],
    },
    {
      name: 'status inactive deactivates',
      plan: () =>
        acme()
          .department('Suporte', { status: 'inactive' }, { remote: { active: true } })
          .plan(),
      expected: ['department.deactivate acme/Suporte marked-inactive'],
    },
    {
      name: 'status active activates',
      plan: () =>
        acme()
          .department('Suporte', { status: 'active' }, { remote: { active: false } })
          .plan(),
      expected: ['department.activate acme/Suporte marked-active'],
    },
    {
      name: 'no status column leaves an inactive department alone',
      plan: () =>
        acme()
          .department('Suporte', {}, { remote: { active: false } })
          .plan(),
      expected: [],
    },
    {
      name: 'channels are made exactly what the cell says: one add and one remove',
      plan: () =>
        acme()
          .department('Suporte', { channels: ['chat', 'audio', 'video'] }, { remote: { channels: ['chat'] } })
          .department('Vendas', { channels: ['chat'] }, { remote: { channels: ['chat', 'video', 'audio'] } })
          .plan(),
      expected: [
        'department.add_channels acme/Suporte field-changed',
        'department.remove_channels acme/Vendas field-changed',
      ],
    },
    {
      name: 'an empty channels cell means no channels',
      plan: () =>
        acme()
          .department('Suporte', { channels: [] }, { remote: { channels: ['chat', 'video'] } })
          .plan(),
      expected: ['department.remove_channels acme/Suporte field-changed'],
    },
    {
      name: 'no channels column leaves the channels alone',
      plan: () =>
        acme()
          .department('Suporte', {}, { remote: { channels: ['chat', 'video'] } })
          .plan(),
      expected: [],
    },
    {
      name: 'without --prune an undeclared department is not touched',
      plan: () => acme().department('Legado', {}, { declared: false }).plan(),
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ plan, expected }) => {
    expect(summary(plan())).toEqual(expected);
  });

  it('creates with ativo from the status, the description or empty, and the channels', () => {
    const plan = acme()
      .department('Suporte', { status: 'inactive', channels: ['chat', 'chat', 'video'] }, { remote: false })
      .plan();
    expect(only(plan, 'department.create').params).toEqual({
      accountId: 100,
      name: 'Suporte',
      description: '',
      active: false,
      channels: ['chat', 'video'],
    });
  });

  it('fills the unmanaged fields of an update with the observed ones', () => {
    const plan = acme()
      .department('SUPORTE', {}, { remote: { name: 'Suporte', description: 'Kept', active: false } })
      .plan();
    const update = only(plan, 'department.update');
    expect(update.params).toEqual({
      departmentId: 1000,
      name: 'SUPORTE',
      description: 'Kept',
      active: false,
    });
    expect(update.before).toEqual({ name: 'Suporte' });
    expect(update.after).toEqual({ name: 'SUPORTE' });
  });

  it('sends a status change after the update, carrying the new name', () => {
    const plan = acme()
      .department(
        'Vendas',
        { status: 'inactive', description: 'Novo' },
        { remote: { description: 'Antigo', active: true } },
      )
      .plan();
    const update = only(plan, 'department.update');
    const deactivate = only(plan, 'department.deactivate');
    expect(update.params.active).toBe(true);
    expect(deactivate.dependsOn).toEqual([update.id]);
    expect(deactivate.params).toEqual({
      departmentId: 1000,
      name: 'Vendas',
      description: 'Novo',
      active: false,
    });
  });

  it('lists only the channels to add or remove', () => {
    const plan = acme()
      .department('Suporte', { channels: ['video', 'audio'] }, { remote: { channels: ['chat', 'audio'] } })
      .plan();
    expect(only(plan, 'department.add_channels').params.channels).toEqual(['video']);
    expect(only(plan, 'department.remove_channels').params.channels).toEqual(['chat']);
    expect(only(plan, 'department.add_channels').after).toEqual({ channels: ['chat', 'audio', 'video'] });
  });

  it('gives departments IDs that do not change with the case of the name', () => {
    const lower = acme()
      .department('suporte', { channels: ['chat'] }, { remote: false })
      .plan();
    const upper = acme()
      .department('SUPORTE', { channels: ['chat'] }, { remote: false })
      .plan();
    expect(only(lower, 'department.create').id).toBe('department.create:acme:suporte');
    expect(only(upper, 'department.create').id).toBe('department.create:acme:suporte');
  });
});
