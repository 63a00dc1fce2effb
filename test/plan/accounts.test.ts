import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { noticeKinds, only, summary } from './helpers.js';
import { planFor, world } from './world.js';

describe('planner: accounts', () => {
  const cases: Array<{ name: string; plan: () => Plan; expected: string[] }> = [
    {
      name: 'a converged world plans nothing',
      plan: () =>
        world()
          .account('acme', { phone: '11 5555', url: 'acme.example', licenseCode: 'P_X', status: 'active' })
          .department('Suporte', { description: 'Help', channels: ['chat'], status: 'active' })
          .agent('ana@acme.example', {
            profile: 'ADMIN',
            textLimit: 3,
            departments: ['Suporte'],
            password: 'pw-1',
          })
          .plan({ prune: true }),
      expected: [],
    },
    {
      name: 'a new account is created, then its license code and status follow',
      plan: () =>
        world().account('acme', { licenseCode: 'P_X', status: 'inactive' }, { state: 'new' }).plan(),
      expected: [
        'account.create acme/acme missing-remote',
        'account.set_license_code acme/acme missing-remote',
        'account.deactivate acme/acme marked-inactive',
      ],
    },
    {
      name: 'a changed e-mail is one update',
      plan: () =>
        world()
          .account('acme', { email: 'new@acme.example' }, { applied: appliedWith({}) })
          .plan(),
      expected: ['account.update acme/acme field-changed'],
    },
    {
      name: 'a changed license quantity and code',
      plan: () =>
        world()
          .account(
            'acme',
            { licenseQuantity: 20, licenseCode: 'B' },
            { applied: appliedWith({ licenseCode: 'A' }) },
          )
          .plan(),
      expected: [
        'account.set_licenses acme/acme field-changed',
        'account.set_license_code acme/acme field-changed',
      ],
    },
    {
      name: 'status inactive deactivates an active account',
      plan: () =>
        world()
          .account('acme', { status: 'inactive' }, { applied: appliedWith({}) })
          .plan(),
      expected: ['account.deactivate acme/acme marked-inactive'],
    },
    {
      name: 'status active activates an inactive account',
      plan: () =>
        world()
          .account('acme', { status: 'active' }, { applied: appliedWith({ status: 'inactive' }) })
          .plan(),
      expected: ['account.activate acme/acme marked-active'],
    },
    {
      name: 'no status column leaves an inactive account alone',
      plan: () =>
        world()
          .account('acme', {}, { applied: appliedWith({ status: 'inactive' }) })
          .plan(),
      expected: [],
    },
    {
      name: 'no phone or url column leaves the remembered ones alone',
      plan: () =>
        world()
          .account('acme', {}, { applied: appliedWith({ phone: '11 1111', url: 'old.example' }) })
          .plan(),
      expected: [],
    },
    {
      name: 'adoption sends every managed field once',
      plan: () =>
        world()
          .account('acme', { licenseCode: 'P_X', status: 'active', phone: '1' }, { state: 'adopt' })
          .plan(),
      expected: [
        'account.update acme/acme adopted',
        'account.set_licenses acme/acme adopted',
        'account.set_license_code acme/acme adopted',
        'account.activate acme/acme adopted',
      ],
    },
    {
      name: 'a create whose outcome is unknown is not planned again, nor anything inside it',
      plan: () =>
        world()
          .account('acme', {}, { state: 'unknown' })
          .department('Suporte')
          .agent('ana@acme.example')
          .plan(),
      expected: [],
    },
    {
      name: 'a new account marked deleted is not created',
      plan: () => world().account('acme', { status: 'deleted' }, { state: 'new' }).plan(),
      expected: [],
    },
    {
      name: 'an account deleted earlier and still marked deleted plans nothing',
      plan: () =>
        world()
          .account('acme', { status: 'deleted' }, { applied: appliedWith({ status: 'deleted' }) })
          .plan({ allowDelete: true }),
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ plan, expected }) => {
    expect(summary(plan())).toEqual(expected);
  });

  it('sends the full managed field set on update, but shows only the changed fields', () => {
    const plan = world()
      .account(
        'acme',
        { email: 'new@acme.example', phone: '11 2222' },
        { applied: appliedWith({ phone: '11 2222' }) },
      )
      .plan();
    const update = only(plan, 'account.update');
    expect(update.params).toEqual({
      accountId: 100,
      email: 'new@acme.example',
      mainContact: 'Owner of acme',
      phone: '11 2222',
    });
    expect(update.before).toEqual({ email: 'owner@acme.example' });
    expect(update.after).toEqual({ email: 'new@acme.example' });
    expect(update.source).toEqual({ file: 'accounts.csv', row: 2 });
  });

  it('makes the creates inside a new account depend on the account create', () => {
    const plan = world()
      .account('acme', { password: 'secret-1' }, { state: 'new' })
      .department('Suporte', { channels: ['chat'] })
      .agent('ana@acme.example', { departments: ['Suporte'] })
      .plan();
    const create = only(plan, 'account.create');
    expect(create.id).toBe('account.create:acme:acme');
    expect(create.params.password).toBe('from-manifest');
    expect(only(plan, 'department.create').params.accountId).toEqual({ fromAction: create.id });
    expect(only(plan, 'department.create').dependsOn).toEqual([create.id]);
    expect(only(plan, 'agent.create').dependsOn).toEqual([create.id]);
  });

  it('explains an unknown create outcome with the command that repairs it', () => {
    const plan = world().account('acme', {}, { state: 'unknown' }).department('Suporte').plan();
    expect(noticeKinds(plan)).toEqual(['create-outcome-unknown']);
    expect(plan.notices[0]?.message).toContain('omnize-sync state adopt acme ID');
  });

  it('plans a delete that waits for --allow-delete, and plans nothing inside the account', () => {
    const build = () =>
      world()
        .account('acme', { status: 'deleted' }, { applied: appliedWith({}) })
        .department('Suporte', {}, { remote: false })
        .agent('a@x.example', {}, { remote: false });
    const waiting = build().plan();
    expect(summary(waiting)).toEqual(['account.delete acme/acme marked-deleted']);
    expect(only(waiting, 'account.delete').requires).toBe('allow-delete');
    expect(noticeKinds(waiting)).toEqual(['needs-allow-delete']);
    const allowed = build().plan({ allowDelete: true });
    expect(only(allowed, 'account.delete').requires).toBeUndefined();
    expect(allowed.notices).toEqual([]);
  });

  it('refuses to plan an account whose account_id disagrees with the state store', () => {
    const built = world()
      .account('acme', { email: 'new@acme.example' })
      .department('Suporte', {}, { remote: false })
      .build();
    built.desired.accounts[0]!.accountId = 999;
    const plan = planFor(built);
    expect(plan.actions).toEqual([]);
    expect(noticeKinds(plan)).toEqual(['account-id-conflict']);
    expect(plan.notices[0]?.message).toMatch(/account_id 999 .* knows it as 100/);
  });

  it('refuses to plan inside an account an earlier run deleted', () => {
    const plan = world()
      .account('acme', { status: 'active' }, { applied: appliedWith({ status: 'deleted' }) })
      .department('Suporte', {}, { remote: false })
      .plan();
    expect(plan.actions).toEqual([]);
    expect(noticeKinds(plan)).toEqual(['account-deleted-earlier']);
    expect(plan.notices[0]?.message).toContain('omnize-sync state forget acme');
  });
});

/** Remembered values of a world-built account `acme` (defaults), with some changed. */
function appliedWith(changes: Record<string, unknown>) {
  return {
    email: 'owner@acme.example',
    mainContact: 'Owner of acme',
    licenseQuantity: 10,
    status: 'active' as const,
    ...changes,
  };
}
