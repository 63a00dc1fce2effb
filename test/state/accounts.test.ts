import { describe, expect, it } from 'vitest';
import { InternalError, UsageError } from '../../src/errors.js';
import { openStore } from './temp-store.js';

describe('accounts in the state store', () => {
  it('records a create with its ID and exactly the values sent, and merges later updates', () => {
    const store = openStore();
    store.recordAccountCreated('acme', 101, { email: 'ops@acme.com', licenseQuantity: 3, status: 'active' });
    store.recordAccountApplied('acme', { licenseQuantity: 5, licenseCode: 'PARTNER_X' });
    const account = store.getAccount('acme');
    expect(account).toMatchObject({
      key: 'acme',
      accountId: 101,
      createState: 'known',
      applied: { email: 'ops@acme.com', licenseQuantity: 5, licenseCode: 'PARTNER_X', status: 'active' },
    });
    expect(account?.lastAppliedAt).not.toBeNull();
    expect(account?.passwordFingerprint).toBeUndefined();
  });

  it('refuses values for a key it does not know (a bug in the caller), and does not bump the serial', () => {
    const store = openStore();
    expect(() => store.recordAccountApplied('ghost', { phone: '1' })).toThrow(InternalError);
    expect(store.serial()).toBe(0);
  });

  it('keeps a deleted account as a row marked deleted, so the same manifest plans nothing next time', () => {
    const store = openStore();
    store.recordAccountCreated('acme', 101, { status: 'active' });
    store.recordAccountDeleted('acme');
    expect(store.getAccount('acme')).toMatchObject({ accountId: 101, applied: { status: 'deleted' } });
  });

  it('bumps the serial once per change, and not for reads, no-ops, the journal or the lock', () => {
    const store = openStore();
    expect(store.serial()).toBe(0);
    store.recordAccountCreated('acme', 101, {});
    store.recordAccountApplied('acme', { phone: '+55 11 5555' });
    store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 3 });
    store.recordKindsSeen(['accounts']);
    expect(store.serial()).toBe(4);
    store.adoptAccount('acme', 101);
    store.forgetAccount('nobody');
    store.recordKindsSeen(['accounts']);
    store.listAccounts();
    const entry = store.journalBegin({
      runId: 'r',
      actionId: 'a',
      kind: 'account.update',
      target: 'acme',
      request: {},
    });
    store.journalSettle(entry, { outcome: 'ok' });
    store.acquireLock({ runId: 'r', host: 'h', pid: process.pid, command: 'apply' });
    store.heartbeat('r');
    store.releaseLock('r');
    expect(store.serial()).toBe(4);
    expect(store.remembered().serial).toBe(4);
  });

  it('blocks a create whose outcome is unknown until it is adopted', () => {
    const store = openStore();
    store.markAccountCreateUnknown('acme', { email: 'ops@acme.com', licenseQuantity: 2 });
    expect(store.remembered().accounts).toEqual([
      {
        key: 'acme',
        accountId: null,
        createState: 'unknown',
        applied: { email: 'ops@acme.com', licenseQuantity: 2 },
      },
    ]);
    expect(store.adoptAccount('acme', 555)).toBe('resolved-unknown');
    const adopted = store.getAccount('acme');
    expect(adopted).toMatchObject({ accountId: 555, createState: 'known', applied: {} });
    expect(adopted?.lastAppliedAt).toBeNull();
  });

  it('never turns a known account back into an unknown create', () => {
    const store = openStore();
    store.recordAccountCreated('acme', 101, {});
    expect(() => store.markAccountCreateUnknown('acme', {})).toThrow(InternalError);
    expect(store.getAccount('acme')?.accountId).toBe(101);
  });

  it('adopts a new key with empty applied values, so its fields are sent once', () => {
    const store = openStore();
    expect(store.adoptAccount('acme', 42)).toBe('created');
    expect(store.getAccount('acme')).toMatchObject({ accountId: 42, createState: 'known', applied: {} });
    expect(store.adoptAccount('acme', 42)).toBe('unchanged');
  });

  it('re-points a key to another ID, clearing its values and the old ID’s agents', () => {
    const store = openStore();
    store.recordAccountCreated('acme', 101, { email: 'ops@acme.com' }, store.fingerprint('pw-1234'));
    store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 2 });
    expect(store.adoptAccount('acme', 202)).toBe('replaced');
    const account = store.getAccount('acme');
    expect(account).toMatchObject({ accountId: 202, applied: {} });
    expect(account?.passwordFingerprint).toBeUndefined();
    expect(store.listAgents(101)).toEqual([]);
  });

  it('refuses to give one Omnize ID to two keys', () => {
    const store = openStore();
    store.recordAccountCreated('acme', 101, {});
    expect(() => store.adoptAccount('other', 101)).toThrow(UsageError);
    expect(() => store.adoptAccount('other', 101)).toThrow(/already recorded for key "acme"/);
    expect(() => store.recordAccountCreated('other', 101, {})).toThrow(UsageError);
    expect(store.getAccount('other')).toBeUndefined();
  });

  it('forgets an account and the agents of its ID, and says so; an unknown key is reported, not thrown', () => {
    const store = openStore();
    store.recordAccountCreated('acme', 101, {});
    store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 2 });
    store.recordAgentApplied(101, 'bia@acme.com', { textLimit: 4 });
    store.recordAgentApplied(202, 'caio@other.com', { textLimit: 1 });
    const forgotten = store.forgetAccount('acme');
    expect(forgotten?.account.accountId).toBe(101);
    expect(forgotten?.agents).toBe(2);
    expect(store.getAccount('acme')).toBeUndefined();
    expect(store.listAgents().map((agent) => agent.email)).toEqual(['caio@other.com']);
    expect(store.forgetAccount('acme')).toBeUndefined();
  });

  it('lists accounts by key', () => {
    const store = openStore();
    for (const [key, id] of [
      ['zeta', 3],
      ['alpha', 1],
      ['mid', 2],
    ] as const)
      store.recordAccountCreated(key, id, {});
    expect(store.listAccounts().map((account) => account.key)).toEqual(['alpha', 'mid', 'zeta']);
  });
});

describe('agents and kinds in the state store', () => {
  it('keeps agent values under the lower-cased e-mail and merges what later writes leave out', () => {
    const store = openStore();
    store.recordAgentApplied(101, 'Ana@ACME.com', {
      textLimit: 3,
      passwordFingerprint: store.fingerprint('pw-1'),
    });
    store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 5 });
    expect(store.remembered().agents).toEqual([
      { accountId: 101, email: 'ana@acme.com', textLimit: 5, passwordFingerprint: store.fingerprint('pw-1') },
    ]);
    expect(store.forgetAgent(101, 'ANA@acme.com')).toBe(true);
    expect(store.forgetAgent(101, 'ana@acme.com')).toBe(false);
    expect(store.remembered().agents).toEqual([]);
  });

  it('records kept passwords in one change, under the lower-cased e-mail, keeping values already there', () => {
    const store = openStore();
    store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 3 });
    store.recordAgentApplied(101, 'bia@acme.com', { passwordFingerprint: store.fingerprint('sent-pw') });
    const serial = store.serial();
    store.recordKeptPasswords([
      { accountId: 101, email: 'Ana@ACME.com', passwordFingerprint: store.fingerprint('kept-1') },
      { accountId: 101, email: 'bia@acme.com', passwordFingerprint: store.fingerprint('kept-2') },
      { accountId: 202, email: 'caio@other.com', passwordFingerprint: store.fingerprint('kept-3') },
    ]);
    expect(store.serial()).toBe(serial + 1);
    expect(store.remembered().agents).toEqual([
      {
        accountId: 101,
        email: 'ana@acme.com',
        textLimit: 3,
        passwordFingerprint: store.fingerprint('kept-1'),
      },
      { accountId: 101, email: 'bia@acme.com', passwordFingerprint: store.fingerprint('sent-pw') },
      { accountId: 202, email: 'caio@other.com', passwordFingerprint: store.fingerprint('kept-3') },
    ]);
  });

  it('gives the planner every agent row, by account and e-mail, with only the fields it compares', () => {
    const store = openStore();
    store.recordAgentApplied(202, 'Zoe@other.com', { textLimit: 0 });
    store.recordAgentApplied(101, 'bia@acme.com', {});
    store.recordAgentApplied(101, 'ana@acme.com', { passwordFingerprint: store.fingerprint('pw') });
    const remembered = store.remembered().agents;
    expect(remembered).toEqual([
      { accountId: 101, email: 'ana@acme.com', passwordFingerprint: store.fingerprint('pw') },
      { accountId: 101, email: 'bia@acme.com' },
      { accountId: 202, email: 'zoe@other.com', textLimit: 0 },
    ]);
    // toEqual overlooks keys set to undefined: the records hold no key for a value never applied.
    expect(Object.keys(remembered[1]!)).toEqual(['accountId', 'email']);
    expect(remembered).toEqual(store.listAgents().map(({ lastAppliedAt, ...agent }) => agent));
  });

  it('refuses a kept password that is not a fingerprint, and records none of the batch', () => {
    const store = openStore();
    const batch = [
      { accountId: 101, email: 'ana@acme.com', passwordFingerprint: store.fingerprint('kept-1') },
      { accountId: 101, email: 'bia@acme.com', passwordFingerprint: 'plain-password' },
    ];
    expect(() => store.recordKeptPasswords(batch)).toThrow(InternalError);
    expect(store.remembered().agents).toEqual([]);
    expect(store.serial()).toBe(0);
  });

  it('remembers which manifest kinds were applied, and never forgets one', () => {
    const store = openStore();
    expect(store.remembered().kindsSeen).toEqual({ accounts: false, departments: false, agents: false });
    store.recordKindsSeen(['accounts', 'agents']);
    store.recordKindsSeen(['accounts']);
    expect(store.remembered().kindsSeen).toEqual({ accounts: true, departments: false, agents: true });
  });
});
