import { describe, expect, it } from 'vitest';
import { recordPasswords } from '../../src/apply/record-passwords.js';
import { type PasswordToRecord, passwordLookup } from '../../src/plan/passwords.js';
import { makePlan } from '../../src/plan/planner.js';
import type { StateStore } from '../../src/state/index.js';
import { SqliteBackend } from '../../src/state/sqlite-backend.js';
import { summary } from '../plan/helpers.js';
import { CLOCK, DEFAULT_OPTIONS, type World, world } from '../plan/world.js';
import { openStore } from '../state/temp-store.js';

/** Plans against what the real store remembers, with the store's own fingerprints. */
function planWith(built: World, store: StateStore) {
  const options = { ...DEFAULT_OPTIONS, fingerprint: (plain: string) => store.fingerprint(plain) };
  return makePlan(built.desired, built.observed, store.remembered(), options, CLOCK);
}

/** acme exists with two agents the store has no record of (an adopted account); one row has a password. */
function adopted(password: string): World {
  return world()
    .account('acme')
    .agent('Bia@Acme.example', { password }, { remembered: false })
    .agent('caio@acme.example', {}, { remembered: false })
    .build();
}

/** A real store that knows acme's account and applied values, and none of its agents. */
function storeKnowingAccounts(built: World): StateStore {
  const store = openStore();
  for (const account of built.remembered.accounts) {
    store.recordAccountCreated(account.key, account.accountId!, account.applied);
  }
  return store;
}

describe('recording the passwords agents kept', () => {
  it('records the fingerprint of the manifest password, so a later change of it is sent', async () => {
    const store = storeKnowingAccounts(adopted('kept-pass'));
    const first = planWith(adopted('kept-pass'), store);
    expect(first.actions).toEqual([]);
    const recorded = await recordPasswords(
      first.passwordsToRecord,
      new SqliteBackend(store),
      passwordLookup(adopted('kept-pass').desired),
      (plain) => store.fingerprint(plain),
    );
    expect(recorded).toBe(1);
    expect(store.remembered().agents).toEqual([
      { accountId: 100, email: 'bia@acme.example', passwordFingerprint: store.fingerprint('kept-pass') },
    ]);
    expect(planWith(adopted('kept-pass'), store).actions).toEqual([]);
    expect(planWith(adopted('kept-pass'), store).passwordsToRecord).toEqual([]);
    expect(summary(planWith(adopted('changed-pass'), store))).toEqual([
      'agent.update acme/Bia@Acme.example password-changed',
    ]);
  });

  it('records nothing for an agent whose password is not in the manifest at hand, nor for a plan without the list', async () => {
    const store = openStore();
    const entry: PasswordToRecord = {
      account: 'acme',
      accountId: 100,
      email: 'ghost@acme.example',
      agentId: 1000,
      source: { file: 'agents.csv', row: 2 },
    };
    const passwords = passwordLookup(adopted('kept-pass').desired);
    const fingerprint = (plain: string) => store.fingerprint(plain);
    const backend = new SqliteBackend(store);
    expect(await recordPasswords([entry], backend, passwords, fingerprint)).toBe(0);
    expect(await recordPasswords(undefined, backend, passwords, fingerprint)).toBe(0);
    expect(store.remembered().agents).toEqual([]);
    expect(store.serial()).toBe(0);
  });
});
