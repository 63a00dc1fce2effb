import { describe, expect, it } from 'vitest';
import { recoverInterruptedRuns } from '../../src/apply/recovery.js';
import { SqliteBackend } from '../../src/state/sqlite-backend.js';
import { openStore } from '../state/temp-store.js';

const begin = (
  store: ReturnType<typeof openStore>,
  runId: string,
  kind: string,
  accountKey: string,
  params: object,
) =>
  store.journalBegin({
    runId,
    actionId: `${kind}:${accountKey}:x`,
    kind,
    accountKey,
    target: accountKey,
    request: { params },
  });

describe('recoverInterruptedRuns', () => {
  it('marks unanswered account creates unknown and leaves every other unsettled write to the next plan', async () => {
    const store = openStore();
    begin(store, 'crashed', 'account.create', 'acme', {
      email: 'owner@acme.example',
      mainContact: 'Owner',
      licenseQuantity: 3,
      password: 'from-manifest',
    });
    begin(store, 'crashed', 'agent.create', 'beta', { email: 'ana@beta.example' });
    // Its ID was committed before the run died: nothing to do but resolve the entry.
    store.recordAccountCreated('gamma', 9, { email: 'owner@gamma.example' });
    begin(store, 'crashed', 'account.create', 'gamma', { email: 'owner@gamma.example' });
    const settled = begin(store, 'crashed', 'account.update', 'delta', {});
    store.journalSettle(settled, { outcome: 'ok' });
    const own = begin(store, 'run-2', 'account.create', 'own', {});

    const backend = new SqliteBackend(store);
    expect(await recoverInterruptedRuns(backend, 'run-2')).toEqual({
      resolvedEntries: 3,
      unknownAccounts: ['acme'],
    });
    expect(store.getAccount('acme')).toMatchObject({
      accountId: null,
      createState: 'unknown',
      applied: { email: 'owner@acme.example', mainContact: 'Owner', licenseQuantity: 3, status: 'active' },
    });
    expect(store.getAccount('gamma')).toMatchObject({ accountId: 9, createState: 'known' });
    expect(store.unsettledJournal({ exceptRunId: 'run-2' })).toEqual([]);
    expect(store.unsettledJournal().map((entry) => entry.id)).toEqual([own]);
    expect(store.journalOfRun('crashed').map((entry) => entry.resolution !== null)).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(await recoverInterruptedRuns(backend, 'run-2')).toEqual({
      resolvedEntries: 0,
      unknownAccounts: [],
    });
  });
});
