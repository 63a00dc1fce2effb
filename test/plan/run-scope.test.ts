import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OmnizeId } from '../../src/model/vocabulary.js';
import { accountIdsToRead } from '../../src/plan/reading.js';
import { renderPlanJson, renderPlanText } from '../../src/plan/render.js';
import { agentsInScope, decideScope, type PlanScope, type ScopeSelectors } from '../../src/plan/run-scope.js';
import { scenarios } from './arbitraries.js';
import { summary } from './helpers.js';
import { planFor, type World, world } from './world.js';

/** The scope of these selectors in this world; fails the test when a selector names nothing. */
function scopeOf(built: World, selectors: ScopeSelectors): PlanScope {
  const decision = decideScope(built.desired, built.remembered, selectors);
  if (!decision.ok) throw new Error(decision.unmatched.map((selector) => selector.message).join('; '));
  if (decision.scope === null) throw new Error('no scope');
  return decision.scope;
}

/**
 * Three existing accounts (IDs 100, 200, 300) with a change in each — a renamed agent — and,
 * for prune, a department and an agent each that the manifest no longer declares; plus `gone`,
 * remembered (ID 400) but absent from the manifest.
 */
const three = () =>
  world()
    .account('one')
    .department('Vendas')
    .department('Legado', {}, { declared: false })
    .agent('ana@one.example', { departments: ['Vendas'] }, { remote: { name: 'Ana Old' } })
    .agent('old@one.example', {}, { declared: false, remoteDepartments: ['Vendas'] })
    .account('two')
    .department('Vendas')
    .department('Legado', {}, { declared: false })
    .agent('bia@two.example', { departments: ['Vendas'] }, { remote: { name: 'Bia Old' } })
    .agent('old@two.example', {}, { declared: false, remoteDepartments: ['Vendas'] })
    .account('three')
    .department('Vendas')
    .department('Legado', {}, { declared: false })
    .agent('caio@three.example', { departments: ['Vendas'] }, { remote: { name: 'Caio Old' } })
    .agent('old@three.example', {}, { declared: false, remoteDepartments: ['Vendas'] })
    .account('gone', {}, { declared: false });

describe('scope: deciding it from the selectors', () => {
  it('is null without selectors: the whole manifest', () => {
    const built = three().build();
    expect(decideScope(built.desired, built.remembered, undefined)).toEqual({ ok: true, scope: null });
    expect(decideScope(built.desired, built.remembered, { keys: [], ids: [] })).toEqual({
      ok: true,
      scope: null,
    });
  });

  it('selects by manifest key and by the Omnize ID the state store maps, in plan order', () => {
    const built = three().build();
    expect(scopeOf(built, { keys: ['three'], ids: [100] })).toEqual({
      accounts: ['three'],
      accountIds: [100],
      selected: ['one', 'three'],
    });
  });

  it('selects by the account_id column of an account the state store does not know yet', () => {
    const built = world().account('fresh', {}, { state: 'adopt' }).account('other').build();
    expect(scopeOf(built, { keys: [], ids: [100] }).selected).toEqual(['fresh']);
  });

  it('selects an account outside the accounts sheet that rows name by ID', () => {
    const built = world().account('acme').externalAccount(900).agent('x@ext.example').build();
    expect(scopeOf(built, { keys: [], ids: [900] }).selected).toEqual(['#900']);
  });

  it('selects an account still to be created by its key only', () => {
    const built = world().account('newco', {}, { state: 'new' }).account('acme').build();
    expect(scopeOf(built, { keys: ['newco'], ids: [] }).selected).toEqual(['newco']);
  });

  it('refuses a key the manifest does not declare, naming the flag and the key', () => {
    const built = three().build();
    expect(decideScope(built.desired, built.remembered, { keys: ['one', 'zeta'], ids: [] })).toEqual({
      ok: false,
      unmatched: [
        {
          flag: '--account',
          value: 'zeta',
          message: '--account zeta: the manifest declares no account with this key',
        },
      ],
    });
  });

  it('refuses a key only the state store knows: a scoped run never reaches an account the manifest omits', () => {
    const built = three().build();
    const decision = decideScope(built.desired, built.remembered, { keys: ['gone'], ids: [] });
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.unmatched.map((selector) => selector.message)).toEqual([
      '--account gone: the manifest declares no account with this key (the state store knows it, but a scoped run reaches only accounts the manifest names)',
    ]);
  });

  it('refuses an ID no account of the manifest has, and says which key the state store maps it to', () => {
    const built = three().build();
    const decision = decideScope(built.desired, built.remembered, { keys: [], ids: [400, 999] });
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.unmatched).toEqual([
      {
        flag: '--account-id',
        value: '400',
        message:
          '--account-id 400: no account of the manifest has this Omnize ID (the state store knows it as gone, but a scoped run reaches only accounts the manifest names)',
      },
      {
        flag: '--account-id',
        value: '999',
        message: '--account-id 999: no account of the manifest has this Omnize ID',
      },
    ]);
  });
});

describe('scope: planning inside it', () => {
  it('plans only the scoped account: the changes of the other two are not planned', () => {
    const built = three().build();
    const whole = planFor(built);
    expect(new Set(whole.actions.map((action) => action.account))).toEqual(new Set(['one', 'two', 'three']));
    const scoped = planFor(built, { scope: scopeOf(built, { keys: ['one'], ids: [] }) });
    expect(summary(scoped)).toEqual(['agent.update one/ana@one.example field-changed']);
    expect(scoped.scope).toEqual({ accounts: ['one'], accountIds: [], selected: ['one'] });
    expect(whole.scope).toBeNull();
  });

  it('prunes inside the scope only, and never an account the manifest omits', () => {
    const built = three().build();
    const whole = planFor(built, { prune: true, maxDeactivations: { count: 100 } });
    expect(summary(whole)).toContain('account.deactivate gone/gone absent-from-manifest');
    const scoped = planFor(built, {
      prune: true,
      maxDeactivations: { count: 100 },
      scope: scopeOf(built, { keys: ['one'], ids: [] }),
    });
    expect(summary(scoped)).toEqual([
      'department.deactivate one/Legado absent-from-manifest',
      'agent.update one/ana@one.example field-changed',
      'department.remove_agents one/Vendas absent-from-manifest',
    ]);
    expect(scoped.notices.map((notice) => notice.message)).toContain(
      '--prune deactivates no account the manifest omits in a scoped run: only the accounts of --account/--account-id are planned',
    );
  });

  it('takes the guard percentage of the entities inside the scope only', () => {
    // one: 6 departments the manifest omits; two: 60 converged agents that make the whole manifest large.
    let built = world().account('one');
    for (let index = 0; index < 6; index += 1)
      built = built.department(`Old ${index}`, {}, { declared: false });
    built = built.account('two');
    for (let index = 0; index < 60; index += 1) built = built.agent(`agent${index}@two.example`);
    const inputs = built.build();
    const whole = planFor(inputs, { prune: true });
    expect(whole.guard).toMatchObject({ destructive: 6, inScope: 68, limit: 6, exceeded: false });
    const scoped = planFor(inputs, { prune: true, scope: scopeOf(inputs, { keys: ['one'], ids: [] }) });
    expect(scoped.guard).toMatchObject({ destructive: 6, inScope: 7, limit: 5, exceeded: true });
  });

  it('leaves out the notices about rows of accounts outside the scope', () => {
    const built = three().build();
    built.desired.agents.push({
      account: { key: 'nobody' },
      email: 'x@nobody.example',
      name: 'X',
      source: { file: 'agents.csv', row: 99 },
    });
    expect(planFor(built).notices.map((notice) => notice.kind)).toContain('unknown-account');
    const scoped = planFor(built, { scope: scopeOf(built, { keys: ['two'], ids: [] }) });
    expect(scoped.notices).toEqual([]);
  });

  it('reads only the scoped accounts', () => {
    const built = three().build();
    expect(accountIdsToRead(built.desired, built.remembered)).toEqual([100, 200, 300]);
    const scope = scopeOf(built, { keys: ['two'], ids: [300] });
    expect(accountIdsToRead(built.desired, built.remembered, scope)).toEqual([200, 300]);
  });

  it('gives login-links the agents of the scoped accounts, in manifest order', () => {
    const built = three().build();
    const scope = scopeOf(built, { keys: ['three'], ids: [100] });
    expect(agentsInScope(built.desired, built.remembered, scope).map((agent) => agent.email)).toEqual([
      'ana@one.example',
      'caio@three.example',
    ]);
  });

  it('names the scope on the readable plan’s first line and in its JSON', () => {
    const built = three().build();
    const scoped = planFor(built, { scope: scopeOf(built, { keys: ['one'], ids: [300] }) });
    expect(renderPlanText(scoped).split('\n')[0]).toBe(
      'Scope: 2 accounts one, three (--account one --account-id 300); other accounts are not read or planned.',
    );
    expect(JSON.parse(renderPlanJson(scoped)).scope).toEqual({
      accounts: ['one'],
      accountIds: [300],
      selected: ['one', 'three'],
    });
    expect(renderPlanText(planFor(built)).startsWith('Scope')).toBe(false);
  });
});

/** Every selector a world offers: its manifest keys and the IDs of the accounts it names. */
function selectorsOffered(built: World): { keys: string[]; ids: OmnizeId[] } {
  const refs = [...built.desired.departments, ...built.desired.agents].map((row) => row.account);
  const keys = new Set([
    ...built.desired.accounts.map((account) => account.key),
    ...refs.flatMap((ref) => ('key' in ref ? [ref.key] : [])),
  ]);
  const ids = new Set([
    ...built.desired.accounts.flatMap((account) =>
      account.accountId === undefined ? [] : [account.accountId],
    ),
    ...built.remembered.accounts.flatMap((account) =>
      account.accountId === null ? [] : [account.accountId],
    ),
    ...refs.flatMap((ref) => ('accountId' in ref ? [ref.accountId] : [])),
  ]);
  return { keys: [...keys], ids: [...ids] };
}

describe('scope properties', () => {
  it('a scoped plan is the whole plan of its accounts, and nothing of any other account', () => {
    fc.assert(
      fc.property(scenarios, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (scenario, mask) => {
        const { world: built, options } = scenario;
        const offered = selectorsOffered(built);
        const selectors = {
          keys: offered.keys.filter((_, index) => mask[index]),
          ids: offered.ids.filter((_, index) => mask[6 + index]),
        };
        const decision = decideScope(built.desired, built.remembered, selectors);
        fc.pre(decision.ok && decision.scope !== null);
        if (!decision.ok || decision.scope === null) return;
        const scope = decision.scope;
        const whole = planFor(built, options);
        const scoped = planFor(built, { ...options, scope });
        const inside = new Set(scope.selected);
        expect(scoped.actions.every((action) => inside.has(action.account))).toBe(true);
        // Accounts are planned one by one: the scope's are planned as in the whole plan, IDs included.
        expect(scoped.actions).toEqual(whole.actions.filter((action) => inside.has(action.account)));
        expect(scoped.guard.inScope).toBeLessThanOrEqual(whole.guard.inScope);
      }),
      { numRuns: 500 },
    );
  });
});
