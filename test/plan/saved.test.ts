import { describe, expect, it } from 'vitest';
import {
  type CurrentInputs,
  checkSaved,
  type SAVED_PLAN_CHECKS,
  SAVED_PLAN_FORMAT,
  SAVED_PLAN_FORMAT_VERSION,
  type SavedPlan,
} from '../../src/plan/index.js';
import { planFor, world } from './world.js';

const plan = planFor(world().account('acme').agent('ana@acme.com').build());

const saved: SavedPlan = {
  format: SAVED_PLAN_FORMAT,
  formatVersion: SAVED_PLAN_FORMAT_VERSION,
  manifestDigest: 'manifest-1',
  observedDigest: 'live-1',
  state: { identity: 'store-a', serial: 7 },
  options: { prune: false, allowDelete: false, maxDeactivations: { percent: 10 } },
  plan,
};

const unchanged: CurrentInputs = {
  manifestDigest: 'manifest-1',
  observedDigest: 'live-1',
  state: { identity: 'store-a', serial: 7 },
};

describe('checkSaved: which check refuses a saved plan', () => {
  it('accepts a plan whose four inputs are all unchanged', () => {
    expect(checkSaved(saved, unchanged)).toEqual({ ok: true });
  });

  // One input changed at a time: each case fails if its own check is removed.
  const cases: [string, CurrentInputs, (typeof SAVED_PLAN_CHECKS)[number], RegExp][] = [
    ['the manifest', { ...unchanged, manifestDigest: 'manifest-2' }, 'manifest-digest', /manifest changed/],
    [
      'the state store (another one)',
      { ...unchanged, state: { identity: 'store-b', serial: 7 } },
      'state-identity',
      /another state store/,
    ],
    [
      'the state store (written since)',
      { ...unchanged, state: { identity: 'store-a', serial: 8 } },
      'state-serial',
      /serial 7 then, 8 now/,
    ],
    ['the live state', { ...unchanged, observedDigest: 'live-2' }, 'live-digest', /live state in Omnize/],
    // A run that hashed no live state (it was not meant to compare it) never passes for an unchanged one.
    ['the live state (not hashed)', { ...unchanged, observedDigest: undefined }, 'live-digest', /live state/],
  ];
  it.each(cases)('refuses when %s changed, naming its check', (_what, current, check, reason) => {
    const verdict = checkSaved(saved, current);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.refusedBy).toBe(check);
    expect(verdict.reason).toMatch(reason);
  });

  it('names the first check in order when several inputs changed', () => {
    const everything: CurrentInputs = {
      manifestDigest: 'manifest-2',
      observedDigest: 'live-2',
      state: { identity: 'store-b', serial: 0 },
    };
    expect(checkSaved(saved, everything)).toMatchObject({ ok: false, refusedBy: 'manifest-digest' });
    expect(checkSaved(saved, { ...everything, manifestDigest: 'manifest-1' })).toMatchObject({
      refusedBy: 'state-identity',
    });
  });

  it('an empty store made anew is another store, though its serial is 0 again (hashicorp/terraform#24078)', () => {
    const fromEmpty = { ...saved, state: { identity: 'store-a', serial: 0 } };
    expect(checkSaved(fromEmpty, { ...unchanged, state: { identity: 'store-c', serial: 0 } })).toMatchObject({
      refusedBy: 'state-identity',
    });
  });
});
