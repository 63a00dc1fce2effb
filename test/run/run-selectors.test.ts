import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { PlanScope, SavedPlan } from '../../src/plan/index.js';
import { decideRunScope, runSelectors } from '../../src/run/inputs.js';
import { world } from '../plan/world.js';

/** A saved plan made with this scope (null: the whole manifest; undefined: saved before scopes existed). */
function savedWith(scope: PlanScope | null | undefined): SavedPlan {
  const plan = world().account('one').plan();
  if (scope === undefined) delete plan.scope;
  else plan.scope = scope;
  return { plan } as SavedPlan;
}

const ONE: PlanScope = { accounts: ['one'], accountIds: [300], selected: ['one', 'three'] };

describe('run selectors', () => {
  it('are the flags when no saved plan is applied', () => {
    expect(runSelectors({ account: ['one'] }, undefined)).toEqual({ keys: ['one'], ids: [] });
    expect(runSelectors({}, undefined)).toBeUndefined();
  });

  it('take the saved plan’s scope when apply --plan is given no selector', () => {
    expect(runSelectors({}, savedWith(ONE))).toEqual({ keys: ['one'], ids: [300] });
    expect(runSelectors({}, savedWith(null))).toBeUndefined();
    expect(runSelectors({}, savedWith(undefined))).toBeUndefined();
  });

  it('accept the saved plan’s own selectors, in any order', () => {
    expect(runSelectors({ accountId: ['300'], account: ['one'] }, savedWith(ONE))).toEqual({
      keys: ['one'],
      ids: [300],
    });
  });

  it('refuse selectors other than the saved plan’s, naming both scopes', () => {
    const refuse = () => runSelectors({ account: ['two'] }, savedWith(ONE), 'p.json');
    expect(refuse).toThrow(UsageError);
    expect(refuse).toThrow(
      '--plan p.json was made for --account one --account-id 300 only, not --account two: apply it without --account/--account-id (it keeps its own scope), or plan again',
    );
  });

  it('refuse selectors for a saved plan of the whole manifest', () => {
    expect(() => runSelectors({ account: ['one'] }, savedWith(null), 'p.json')).toThrow(
      /^--plan p\.json was made for the whole manifest, not --account one:/,
    );
  });
});

describe('the run scope', () => {
  it('is a UsageError listing every selector that names no account of the manifest, on one line', () => {
    const built = world().account('one').build();
    const decide = () => decideRunScope(built.desired, built.remembered, { keys: ['zeta'], ids: [999] });
    expect(decide).toThrow(UsageError);
    expect(decide).toThrow(
      '--account zeta: the manifest declares no account with this key; --account-id 999: no account of the manifest has this Omnize ID',
    );
  });

  it('is null without selectors', () => {
    const built = world().account('one').build();
    expect(decideRunScope(built.desired, built.remembered, undefined)).toBeNull();
  });
});
