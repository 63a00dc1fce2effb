import { describe, expect, it } from 'vitest';
import { JOURNAL_RETENTION_DAYS } from '../../src/state/index.js';
import { startStoreChild } from './child-process.js';
import { manualClock, openStore, tempStorePath } from './temp-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function begin(store: ReturnType<typeof openStore>, runId: string, target: string): number {
  return store.journalBegin({
    runId,
    actionId: `agent.create:${target}`,
    kind: 'agent.create',
    accountKey: 'acme',
    target,
    request: { agent: { email: target, name: 'Ana' } },
  });
}

describe('the write journal', () => {
  it('records a request before it is sent and its outcome after; the first settlement wins', () => {
    const store = openStore();
    const first = begin(store, 'run-1', 'ana@acme.com');
    const second = begin(store, 'run-1', 'bia@acme.com');
    expect(second).toBeGreaterThan(first);
    expect(store.journalSettle(first, { outcome: 'ok', remoteId: 9001 })).toBe(true);
    expect(store.journalSettle(second, { outcome: 'failed', error: 'E-mail já existe' })).toBe(true);
    expect(store.journalSettle(first, { outcome: 'failed', error: 'late' })).toBe(false);
    const [ana, bia] = store.journalOfRun('run-1');
    expect(ana).toMatchObject({
      kind: 'agent.create',
      accountKey: 'acme',
      outcome: 'ok',
      remoteId: 9001,
      error: null,
    });
    expect(ana?.request).toEqual({ agent: { email: 'ana@acme.com', name: 'Ana' } });
    expect(ana?.settledAt).not.toBeNull();
    expect(bia).toMatchObject({ outcome: 'failed', error: 'E-mail já existe', remoteId: null });
  });

  it('finds, after a crash, the entries that were begun and never settled', () => {
    const path = tempStorePath();
    const store = openStore(path);
    const settled = begin(store, 'crashed-run', 'ana@acme.com');
    store.journalSettle(settled, { outcome: 'ok', remoteId: 1 });
    const unknown = begin(store, 'crashed-run', 'bia@acme.com');
    store.journalSettle(unknown, { outcome: 'unknown' });
    const open = begin(store, 'crashed-run', 'caio@acme.com');
    store.close();

    const next = openStore(path);
    const unsettled = next.unsettledJournal();
    expect(unsettled.map((entry) => entry.id)).toEqual([open]);
    expect(unsettled[0]).toMatchObject({ runId: 'crashed-run', target: 'caio@acme.com', settledAt: null });
  });

  it('leaves out the current run’s own entries when asked, and resolved ones always', () => {
    const store = openStore();
    const old = begin(store, 'crashed-run', 'ana@acme.com');
    const mine = begin(store, 'this-run', 'bia@acme.com');
    expect(store.unsettledJournal({ exceptRunId: 'this-run' }).map((entry) => entry.id)).toEqual([old]);
    expect(store.markJournalResolved([old], 'found by e-mail: agent 77')).toBe(1);
    expect(store.markJournalResolved([old], 'again')).toBe(0);
    expect(store.unsettledJournal().map((entry) => entry.id)).toEqual([mine]);
    expect(store.journalOfRun('crashed-run')[0]).toMatchObject({ resolution: 'found by e-mail: agent 77' });
  });

  it('writes a group of entries and settlements in one transaction, all or none', () => {
    const store = openStore();
    const first = begin(store, 'run-1', 'ana@acme.com');
    const [second, third] = store.journalGroup(() => {
      store.journalSettle(first, { outcome: 'ok', remoteId: 1 });
      return [begin(store, 'run-1', 'bia@acme.com'), begin(store, 'run-1', 'caio@acme.com')];
    });
    expect(store.unsettledJournal().map((entry) => entry.id)).toEqual([second, third]);
    expect(() =>
      store.journalGroup(() => {
        store.journalSettle(second!, { outcome: 'ok' });
        begin(store, 'run-1', 'dora@acme.com');
        throw new Error('disk full');
      }, true),
    ).toThrow('disk full');
    expect(store.journalOfRun('run-1').map((entry) => entry.outcome)).toEqual(['ok', null, null]);
  });

  it('keeps the entry of a process killed with kill -9 mid-request', async () => {
    const path = tempStorePath();
    openStore(path).close();
    const child = await startStoreChild(path);
    const { entryId } = (await child.send({ op: 'begin', runId: 'killed-run' })) as { entryId: number };
    await child.crash();
    const [entry] = openStore(path).unsettledJournal();
    expect(entry).toMatchObject({
      id: entryId,
      runId: 'killed-run',
      kind: 'account.create',
      accountKey: 'acme',
    });
  });

  it(`drops entries finished over ${JOURNAL_RETENTION_DAYS} days ago when a run takes the lock, never open ones`, () => {
    const clock = manualClock();
    const store = openStore(undefined, clock);
    const oldSettled = begin(store, 'old', 'ana@acme.com');
    store.journalSettle(oldSettled, { outcome: 'ok' });
    const oldOpen = begin(store, 'old', 'bia@acme.com');
    clock.advance((JOURNAL_RETENTION_DAYS - 1) * DAY_MS);
    const recent = begin(store, 'recent', 'caio@acme.com');
    store.journalSettle(recent, { outcome: 'ok' });
    clock.advance(2 * DAY_MS);
    store.acquireLock({ runId: 'new', host: 'h', pid: process.pid, command: 'apply' });
    expect(store.journalOfRun('old').map((entry) => entry.id)).toEqual([oldOpen]);
    expect(store.journalOfRun('recent').map((entry) => entry.id)).toEqual([recent]);
  });
});
