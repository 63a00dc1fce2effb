import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/apply/recorder.js';
import { JournalBatch, SETTLEMENT_LAG_MS } from '../../src/apply/requests/journal-batch.js';
import type { ApplyStateStore } from '../../src/apply/types.js';
import type { JournalBeginInput } from '../../src/state/journal.js';
import { SqliteBackend } from '../../src/state/sqlite-backend.js';
import { openStore } from '../state/temp-store.js';

function entryOf(target: string, kind = 'agent.create'): JournalBeginInput {
  return { runId: 'run-1', actionId: `${kind}:${target}`, kind, accountKey: 'acme', target, request: {} };
}

/** A real store whose group commits are counted, and the failures its recorder reported. */
function batchOnStore() {
  const store = openStore();
  const groups: boolean[] = [];
  const backend = new SqliteBackend(store);
  const counted = Object.create(backend) as ApplyStateStore;
  counted.journalGroup = (group) => {
    groups.push(group.durable === true);
    return backend.journalGroup(group);
  };
  const failures: string[] = [];
  const batch = new JournalBatch(new Recorder(counted, (error) => failures.push(error.message)));
  return { store, counted, groups, failures, batch };
}

describe('the journal group commit', () => {
  it('writes the entries of requests that reach the gate together in one commit, before any is released', async () => {
    const { store, groups, batch } = batchOnStore();
    const released: number[] = [];
    const begun = ['ana', 'bia', 'caio'].map((name) =>
      batch.begin(entryOf(`${name}@acme.example`)).then((entry) => {
        // Released only once its entry is in the store, for any process to read.
        expect(store.unsettledJournal().some((open) => open.id === entry)).toBe(true);
        released.push(entry!);
      }),
    );
    expect(store.unsettledJournal()).toEqual([]);
    await Promise.all(begun);
    expect(groups).toEqual([false]);
    expect(released).toHaveLength(3);
  });

  it('with an asynchronous store, releases an entry only once its group resolved, and writes one group at a time', async () => {
    const backend = new SqliteBackend(openStore());
    const commits: (() => void)[] = [];
    const groups: number[] = [];
    const slow = Object.create(backend) as ApplyStateStore;
    slow.journalGroup = (group) => {
      groups.push(group.begins?.length ?? 0);
      return new Promise((resolve) => commits.push(() => resolve(backend.journalGroup(group))));
    };
    const batch = new JournalBatch(new Recorder(slow, () => undefined));
    const released: string[] = [];
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const first = batch.begin(entryOf('ana@acme.example')).then(() => released.push('ana'));
    await turn();
    const others = ['bia', 'caio'].map((name) =>
      batch.begin(entryOf(`${name}@acme.example`)).then(() => released.push(name)),
    );
    await turn();
    await turn();
    // The first group is still committing: nothing is released, the others wait for the next group.
    expect(groups).toEqual([1]);
    expect(released).toEqual([]);
    commits.shift()!();
    await first;
    await turn();
    expect(released).toEqual(['ana']);
    expect(groups).toEqual([1, 2]);
    commits.shift()!();
    await Promise.all(others);
    expect(released).toEqual(['ana', 'bia', 'caio']);
  });

  it('lets an entry begun ahead wait up to SETTLEMENT_LAG_MS for company, then writes all in one group', async () => {
    const { store, groups, batch } = batchOnStore();
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const begun = ['ana', 'bia'].map((name) => batch.begin(entryOf(`${name}@acme.example`), 'ahead'));
    await turn();
    await turn();
    expect(groups).toEqual([]);
    expect(store.unsettledJournal()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, SETTLEMENT_LAG_MS + 20));
    expect(await Promise.all(begun)).toHaveLength(2);
    expect(groups).toEqual([false]);
    expect(store.unsettledJournal()).toHaveLength(2);
  });

  it('writes an entry begun ahead in this turn of the event loop once hurried (its request holds a slot)', async () => {
    const { store, groups, batch } = batchOnStore();
    const ahead = batch.begin(entryOf('ana@acme.example'), 'ahead');
    batch.hurry();
    await new Promise((resolve) => setImmediate(resolve));
    const entry = await ahead;
    expect(store.unsettledJournal().map((open) => open.id)).toEqual([entry]);
    expect(groups).toEqual([false]);
  });

  it('lets settlements wait for the next group, and flushes them with it', async () => {
    const { store, groups, batch } = batchOnStore();
    const first = await batch.begin(entryOf('ana@acme.example'));
    batch.settle(first!, { outcome: 'ok', remoteId: 7 });
    expect(store.journalOfRun('run-1')[0]?.outcome).toBeNull();
    await batch.begin(entryOf('bia@acme.example'));
    expect(groups).toEqual([false, false]);
    expect(store.journalOfRun('run-1').map((entry) => entry.outcome)).toEqual(['ok', null]);
  });

  it('writes a record that may lag with the next group, in its one transaction, before the settlements', async () => {
    const { store, groups, batch } = batchOnStore();
    const entry = await batch.begin(entryOf('ana@acme.example'));
    const order: string[] = [];
    const recordAgentApplied = store.recordAgentApplied.bind(store);
    store.recordAgentApplied = (...args) => {
      order.push(`record, entry settled: ${store.journalOfRun('run-1')[0]?.outcome !== null}`);
      recordAgentApplied(...args);
    };
    batch.settle(entry!, { outcome: 'ok', remoteId: 7 });
    batch.later({ kind: 'agent-applied', accountId: 7, email: 'ana@acme.example', values: { textLimit: 3 } });
    expect(store.listAgents(7)).toEqual([]);
    await batch.flush();
    expect(order).toEqual(['record, entry settled: false']);
    expect(store.listAgents(7)).toEqual([
      expect.objectContaining({ email: 'ana@acme.example', textLimit: 3 }),
    ]);
    expect(groups).toEqual([false, false]);
  });

  it('writes a settlement alone after SETTLEMENT_LAG_MS when no entry comes', async () => {
    const { store, batch } = batchOnStore();
    const entry = await batch.begin(entryOf('ana@acme.example'));
    batch.settle(entry!, { outcome: 'failed', error: 'E-mail has already been taken' });
    await new Promise((resolve) => setTimeout(resolve, SETTLEMENT_LAG_MS + 20));
    expect(store.journalOfRun('run-1')[0]).toMatchObject({ outcome: 'failed' });
  });

  it("writes an account create's settlement at once, and its entry durably", async () => {
    const { store, groups, batch } = batchOnStore();
    const entry = await batch.begin(entryOf('acme', 'account.create'));
    batch.settle(entry!, { outcome: 'failed', error: 'E-mail has already been taken' }, true);
    // Written at once: in the group started now, not after SETTLEMENT_LAG_MS.
    await Promise.resolve();
    await Promise.resolve();
    expect(store.journalOfRun('run-1')[0]).toMatchObject({ outcome: 'failed' });
    expect(groups).toEqual([true, false]);
  });

  it('releases no entry when the store refuses the group, and reports it once', async () => {
    const { counted, failures, batch } = batchOnStore();
    counted.journalGroup = () => {
      throw new Error('database or disk is full');
    };
    const entries = await Promise.all([
      batch.begin(entryOf('ana@acme.example')),
      batch.begin(entryOf('bia')),
    ]);
    expect(entries).toEqual([undefined, undefined]);
    expect(failures).toEqual([
      'the journal could not record agent.create:ana@acme.example: database or disk is full',
    ]);
  });
});
