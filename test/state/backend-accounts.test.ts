import { describe, expect, it } from 'vitest';
import { InternalError, UsageError } from '../../src/errors.js';
import type { AdoptionLine } from '../../src/state/index.js';
import { BACKENDS, useStorePlace } from './backends.js';

const line = (row: number, key: string, accountId: string): AdoptionLine => ({ row, key, accountId });

describe.each(BACKENDS)('accounts and agents in the %s state store', (backend) => {
  const place = useStorePlace(backend);

  it('records a create with its ID and exactly the values sent, and merges later updates', async () => {
    const store = await place.open();
    await store.recordAccountCreated('acme', 101, {
      email: 'ops@acme.com',
      licenseQuantity: 3,
      status: 'active',
    });
    await store.recordAccountApplied('acme', { licenseQuantity: 5, licenseCode: 'PARTNER_X' });
    const account = await store.getAccount('acme');
    expect(account).toMatchObject({
      key: 'acme',
      accountId: 101,
      createState: 'known',
      applied: { email: 'ops@acme.com', licenseQuantity: 5, licenseCode: 'PARTNER_X', status: 'active' },
    });
    expect(account?.lastAppliedAt).not.toBeNull();
    expect(account?.passwordFingerprint).toBeUndefined();
  });

  it('keeps what it holds across a close and a second open: rows, serial, fingerprint key', async () => {
    const first = await place.open();
    await first.recordAccountCreated('acme', 101, { email: 'ops@acme.com' });
    const fingerprint = first.fingerprint('hunter22');
    const serial = await first.serial();
    await first.close();
    const second = await place.open();
    expect((await second.getAccount('acme'))?.accountId).toBe(101);
    expect(await second.serial()).toBe(serial);
    expect(second.fingerprint('hunter22')).toBe(fingerprint);
    expect(fingerprint).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  });

  it('refuses values for a key it does not know, and does not bump the serial', async () => {
    const store = await place.open();
    await expect(store.recordAccountApplied('ghost', { phone: '1' })).rejects.toThrow(InternalError);
    expect(await store.serial()).toBe(0);
  });

  it('bumps the serial once per change, and not for reads, no-ops, the journal or the lock', async () => {
    const store = await place.open();
    await store.recordAccountCreated('acme', 101, {});
    await store.recordAccountApplied('acme', { phone: '+55 11 5555' });
    await store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 3 });
    await store.recordKindsSeen(['accounts']);
    expect(await store.serial()).toBe(4);
    await store.adoptAccount('acme', 101);
    await store.forgetAccount('nobody');
    await store.recordKindsSeen(['accounts']);
    await store.listAccounts();
    const entry = await store.journalBegin({
      runId: 'r',
      actionId: 'a',
      kind: 'account.update',
      target: 'acme',
      request: {},
    });
    await store.journalSettle(entry, { outcome: 'ok' });
    await store.acquireLock({ runId: 'r', host: 'h', pid: process.pid, command: 'apply' });
    await store.heartbeat('r');
    await store.releaseLock('r');
    expect(await store.serial()).toBe(4);
    expect((await store.remembered()).serial).toBe(4);
  });

  it('blocks a create whose outcome is unknown until it is adopted, and never turns a known one back', async () => {
    const store = await place.open();
    await store.markAccountCreateUnknown('acme', { email: 'ops@acme.com', licenseQuantity: 2 });
    expect((await store.remembered()).accounts).toEqual([
      {
        key: 'acme',
        accountId: null,
        createState: 'unknown',
        applied: { email: 'ops@acme.com', licenseQuantity: 2 },
      },
    ]);
    expect(await store.adoptAccount('acme', 555)).toBe('resolved-unknown');
    expect(await store.getAccount('acme')).toMatchObject({
      accountId: 555,
      createState: 'known',
      applied: {},
    });
    await expect(store.markAccountCreateUnknown('acme', {})).rejects.toThrow(InternalError);
    expect((await store.getAccount('acme'))?.accountId).toBe(555);
  });

  it('re-points a key to another ID, clearing its values and the old ID’s agents', async () => {
    const store = await place.open();
    await store.recordAccountCreated('acme', 101, { email: 'ops@acme.com' }, store.fingerprint('pw-1234'));
    await store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 2 });
    expect(await store.adoptAccount('acme', 101)).toBe('unchanged');
    expect(await store.adoptAccount('acme', 202)).toBe('replaced');
    const account = await store.getAccount('acme');
    expect(account).toMatchObject({ accountId: 202, applied: {} });
    expect(account?.passwordFingerprint).toBeUndefined();
    expect(await store.listAgents(101)).toEqual([]);
  });

  it('refuses to give one Omnize ID to two keys, naming the key that has it', async () => {
    const store = await place.open();
    await store.recordAccountCreated('acme', 101, {});
    await expect(store.adoptAccount('other', 101)).rejects.toThrow(UsageError);
    await expect(store.adoptAccount('other', 101)).rejects.toThrow(/already recorded for key "acme"/);
    await expect(store.recordAccountCreated('other', 101, {})).rejects.toThrow(UsageError);
    expect(await store.getAccount('other')).toBeUndefined();
  });

  it('forgets an account and the agents of its ID; an unknown key gives undefined', async () => {
    const store = await place.open();
    await store.recordAccountCreated('acme', 101, {});
    await store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 2 });
    await store.recordAgentApplied(101, 'bia@acme.com', { textLimit: 4 });
    await store.recordAgentApplied(202, 'caio@other.com', { textLimit: 1 });
    const forgotten = await store.forgetAccount('acme');
    expect(forgotten?.account.accountId).toBe(101);
    expect(forgotten?.agents).toBe(2);
    expect((await store.listAgents()).map((agent) => agent.email)).toEqual(['caio@other.com']);
    expect(await store.forgetAccount('acme')).toBeUndefined();
  });

  it('lists accounts by key in byte order, and deleted accounts stay as rows', async () => {
    const store = await place.open();
    for (const [key, id] of [
      ['zeta', 3],
      ['alpha', 1],
      ['Mid', 2],
      ['mid', 4],
    ] as const) {
      await store.recordAccountCreated(key, id, {});
    }
    await store.recordAccountDeleted('zeta');
    const listed = await store.listAccounts();
    expect(listed.map((account) => account.key)).toEqual(['Mid', 'alpha', 'mid', 'zeta']);
    expect(listed[3]).toMatchObject({ accountId: 3, applied: { status: 'deleted' } });
  });

  it('keeps agent values under the lower-cased e-mail and merges what later writes leave out', async () => {
    const store = await place.open();
    await store.recordAgentApplied(101, 'Ana@ACME.com', {
      textLimit: 3,
      passwordFingerprint: store.fingerprint('pw-1'),
    });
    await store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 5 });
    expect((await store.remembered()).agents).toEqual([
      { accountId: 101, email: 'ana@acme.com', textLimit: 5, passwordFingerprint: store.fingerprint('pw-1') },
    ]);
    expect(await store.forgetAgent(101, 'ANA@acme.com')).toBe(true);
    expect(await store.forgetAgent(101, 'ana@acme.com')).toBe(false);
  });

  it('records kept passwords in one change, keeping fingerprints already there', async () => {
    const store = await place.open();
    await store.recordAgentApplied(101, 'ana@acme.com', { textLimit: 3 });
    await store.recordAgentApplied(101, 'bia@acme.com', {
      passwordFingerprint: store.fingerprint('sent-pw'),
    });
    const serial = await store.serial();
    await store.recordKeptPasswords([
      { accountId: 101, email: 'Ana@ACME.com', passwordFingerprint: store.fingerprint('kept-1') },
      { accountId: 101, email: 'bia@acme.com', passwordFingerprint: store.fingerprint('kept-2') },
      { accountId: 202, email: 'caio@other.com', passwordFingerprint: store.fingerprint('kept-3') },
      { accountId: 202, email: 'caio@other.com', passwordFingerprint: store.fingerprint('kept-4') },
    ]);
    expect(await store.serial()).toBe(serial + 1);
    expect((await store.remembered()).agents).toEqual([
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

  it('refuses a value that is not a fingerprint, and records none of the batch', async () => {
    const store = await place.open();
    const batch = [
      { accountId: 101, email: 'ana@acme.com', passwordFingerprint: store.fingerprint('kept-1') },
      { accountId: 101, email: 'bia@acme.com', passwordFingerprint: 'plain-password' },
    ];
    await expect(store.recordKeptPasswords(batch)).rejects.toThrow(InternalError);
    await expect(store.recordAgentApplied(1, 'a@b.c', { passwordFingerprint: 'x' })).rejects.toThrow(
      InternalError,
    );
    expect((await store.remembered()).agents).toEqual([]);
    expect(await store.serial()).toBe(0);
  });

  it('remembers which manifest kinds were applied, and never forgets one', async () => {
    const store = await place.open();
    expect((await store.remembered()).kindsSeen).toEqual({
      accounts: false,
      departments: false,
      agents: false,
    });
    await store.recordKindsSeen(['accounts', 'agents']);
    await store.recordKindsSeen(['accounts']);
    expect((await store.remembered()).kindsSeen).toEqual({
      accounts: true,
      departments: false,
      agents: true,
    });
  });

  it('adopts many keys all or nothing, naming the check that refused each row', async () => {
    const store = await place.open();
    await store.adoptAccount('acme', 10);
    await store.markAccountCreateUnknown('gamma', { email: 'g@example.com' });
    const serial = await store.serial();
    const refused = await store.adoptAccounts([line(2, 'delta', '40'), line(3, 'acme', '11')]);
    expect(refused).toMatchObject({
      adopted: false,
      refusals: [{ row: 3, column: 'key', check: 'key-mapped' }],
    });
    expect(await store.getAccount('delta')).toBeUndefined();
    expect(await store.serial()).toBe(serial);
    const result = await store.adoptAccounts([
      line(2, 'acme', '10'),
      line(3, 'gamma', '30'),
      line(4, 'delta', '40'),
    ]);
    expect(result).toEqual({ adopted: true, counts: { created: 1, unchanged: 1, 'resolved-unknown': 1 } });
    expect(await store.serial()).toBe(serial + 1);
  });
});
