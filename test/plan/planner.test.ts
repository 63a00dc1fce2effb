import { describe, expect, it } from 'vitest';
import type { Observed } from '../../src/model/observed.js';
import { digestObserved } from '../../src/plan/digest.js';
import { passwordLookup } from '../../src/plan/passwords.js';
import { accountIdsToRead } from '../../src/plan/reading.js';
import { noticeKinds, only, summary } from './helpers.js';
import { planFor, world } from './world.js';

describe('makePlan', () => {
  it('stamps the plan with the clock, the format and the state serial, and counts every kind', () => {
    const plan = world().account('acme').agent('ana@acme.example', {}, { remote: false }).plan();
    expect(plan.formatVersion).toBe(1);
    expect(plan.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(plan.rememberedSerial).toBe(7);
    expect(Object.keys(plan.counts)).toHaveLength(18);
    expect(plan.counts['agent.create']).toBe(1);
    expect(plan.counts['account.create']).toBe(0);
  });

  it('plans rows that name an account outside the manifest by its ID, labelled #ID', () => {
    const plan = world().externalAccount(555).department('Vendas', {}, { remote: false }).plan();
    expect(summary(plan)).toEqual(['department.create #555/Vendas missing-remote']);
    expect(only(plan, 'department.create').id).toBe('department.create:#555:vendas');
    expect(only(plan, 'department.create').params.accountId).toBe(555);
  });

  it('reaches accounts through the state store when the manifest has no accounts sheet', () => {
    const plan = world()
      .account('acme', {}, { declared: false })
      .agent('ana@acme.example', {}, { remote: false })
      .kinds({ accounts: false })
      .plan();
    expect(summary(plan)).toEqual(['agent.create acme/ana@acme.example missing-remote']);
  });

  it('plans nothing inside a remembered account an earlier run deleted, even when only other rows name it', () => {
    const plan = world()
      .account(
        'acme',
        {},
        { declared: false, applied: { email: 'x', mainContact: 'y', licenseQuantity: 1, status: 'deleted' } },
      )
      .agent('ana@acme.example', {}, { remote: false })
      .kinds({ accounts: false })
      .plan();
    expect(plan.actions).toEqual([]);
    expect(noticeKinds(plan)).toEqual(['account-deleted-earlier']);
  });

  it('leaves out rows of an account nobody knows, with one notice', () => {
    const built = world().account('acme').build();
    for (const email of ['a@x.example', 'b@x.example']) {
      built.desired.agents.push({
        account: { key: 'ghost' },
        email,
        name: email,
        source: { file: 'agents.csv', row: 2 },
      });
    }
    const plan = planFor(built);
    expect(plan.actions).toEqual([]);
    expect(noticeKinds(plan)).toEqual(['unknown-account']);
  });

  it('plans nothing inside an existing account whose live state was not read', () => {
    const applied = {
      email: 'owner@acme.example',
      mainContact: 'Owner of acme',
      licenseQuantity: 10,
      status: 'active' as const,
    };
    const plan = world()
      .account('acme', { licenseQuantity: 3 }, { read: false, applied })
      .department('Vendas')
      .plan();
    expect(summary(plan)).toEqual(['account.set_licenses acme/acme field-changed']);
    expect(noticeKinds(plan)).toEqual(['account-not-read']);
  });

  it('orders every action after the actions it depends on, accounts in manifest order', () => {
    const plan = world()
      .account('zeta', {}, { state: 'new' })
      .department('Vendas', { channels: ['chat'] })
      .agent('z@zeta.example', { departments: ['Vendas'] })
      .account('alpha', { status: 'inactive' }, { state: 'new' })
      .agent('a@alpha.example')
      .plan();
    const seen = new Set<string>();
    for (const action of plan.actions) {
      for (const dependency of action.dependsOn) expect(seen.has(dependency)).toBe(true);
      seen.add(action.id);
    }
    expect(plan.actions.map((action) => action.id)).toEqual([
      'account.create:zeta:zeta',
      'department.create:zeta:vendas',
      'agent.create:zeta:z@zeta.example',
      'department.add_agents:zeta:vendas',
      'account.create:alpha:alpha',
      'account.deactivate:alpha:alpha',
      'agent.create:alpha:a@alpha.example',
    ]);
  });

  it('keeps action IDs unique when the API shows two departments of one name', () => {
    const plan = world()
      .account('acme')
      .department('Vendas', {}, { declared: false })
      .department('VENDAS', {}, { declared: false })
      .plan({ prune: true });
    expect(plan.actions.map((action) => action.id)).toEqual([
      'department.deactivate:acme:vendas',
      'department.deactivate:acme:vendas#2',
    ]);
  });
});

describe('accountIdsToRead', () => {
  it('lists existing accounts the manifest names, by key or ID, but not deleted or new ones', () => {
    const built = world()
      .account('acme')
      .account('new', {}, { state: 'new' })
      .account('adopted', {}, { state: 'adopt' })
      .account('gone', { status: 'deleted' })
      .account('remembered', {}, { declared: false })
      .externalAccount(999)
      .department('Vendas')
      .build();
    expect(accountIdsToRead(built.desired, built.remembered).sort()).toEqual([100, 300, 999]);
  });
});

describe('passwordLookup', () => {
  it('finds the manifest password of creates and password changes, and nothing else', () => {
    const built = world()
      .account('acme', { password: 'account-pass' }, { state: 'new' })
      .agent('Ana@Acme.example', { password: 'agent-pass' }, { remote: false })
      .agent('bob@acme.example', {}, { remote: false })
      .build();
    const plan = planFor(built);
    const lookup = passwordLookup(built.desired);
    expect(plan.actions.map(lookup)).toEqual(['account-pass', 'agent-pass', undefined]);
  });
});

describe('digestObserved', () => {
  const observed = (): Observed =>
    world()
      .account('acme')
      .department('Vendas', { channels: ['chat', 'audio'] })
      .agent('a@x.example', { departments: ['Vendas'] })
      .agent('b@x.example', { departments: ['Vendas'] })
      .build().observed;

  it('does not depend on the order the API listed things in', () => {
    const shuffled = observed();
    const contents = shuffled.accounts.get(100)!;
    contents.agents.reverse();
    contents.departments[0]!.channels.reverse();
    contents.departments[0]!.agentIds.reverse();
    expect(digestObserved(shuffled)).toBe(digestObserved(observed()));
  });

  it('changes when the live state changes', () => {
    const changed = observed();
    changed.accounts.get(100)!.agents[0]!.name = 'Renamed';
    expect(digestObserved(changed)).not.toBe(digestObserved(observed()));
    expect(digestObserved(observed())).toMatch(/^[0-9a-f]{64}$/);
  });
});
