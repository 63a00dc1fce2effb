import { describe, expect, it } from 'vitest';
import type { StateBackend } from '../../src/state/backend.js';
import { JOURNAL_RETENTION_DAYS, type JournalBeginInput } from '../../src/state/index.js';
import { BACKENDS, useStorePlace } from './backends.js';
import { manualClock } from './temp-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const input = (runId: string, target: string): JournalBeginInput => ({
  runId,
  actionId: `agent.create:${target}`,
  kind: 'agent.create',
  accountKey: 'acme',
  target,
  request: { agent: { email: target, name: 'Ana' } },
});

const begin = (store: StateBackend, runId: string, target: string) =>
  store.journalBegin(input(runId, target));

describe.each(BACKENDS)('the write journal of the %s state store', (backend) => {
  const place = useStorePlace(backend);

  it('records a request before it is sent and its outcome after; the first settlement wins', async () => {
    const store = await place.open();
    const first = await begin(store, 'run-1', 'ana@acme.com');
    const second = await begin(store, 'run-1', 'bia@acme.com');
    expect(second).toBeGreaterThan(first);
    expect(await store.journalSettle(first, { outcome: 'ok', remoteId: 9001 })).toBe(true);
    expect(await store.journalSettle(second, { outcome: 'failed', error: 'E-mail já existe' })).toBe(true);
    expect(await store.journalSettle(first, { outcome: 'failed', error: 'late' })).toBe(false);
    const [ana, bia] = await store.journalOfRun('run-1');
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

  it('masks secrets in what it stores, whatever the caller passed', async () => {
    const store = await place.open();
    const id = await store.journalBegin({
      ...input('run-1', 'ana@acme.com'),
      request: { password: 'hunter22-pw' },
    });
    await store.journalSettle(id, { outcome: 'failed', error: `bad digest ${'ab'.repeat(32)}` });
    const [entry] = await store.journalOfRun('run-1');
    expect(entry?.request).toEqual({ password: '[REDACTED]' });
    expect(entry?.error).toBe('bad digest [REDACTED]');
  });

  it('finds, from another connection, the entries begun and never settled', async () => {
    const store = await place.open();
    const settled = await begin(store, 'crashed-run', 'ana@acme.com');
    await store.journalSettle(settled, { outcome: 'ok', remoteId: 1 });
    const unknown = await begin(store, 'crashed-run', 'bia@acme.com');
    await store.journalSettle(unknown, { outcome: 'unknown' });
    const open = await begin(store, 'crashed-run', 'caio@acme.com');
    await store.close();
    const next = await place.open();
    const unsettled = await next.unsettledJournal();
    expect(unsettled.map((entry) => entry.id)).toEqual([open]);
    expect(unsettled[0]).toMatchObject({ runId: 'crashed-run', target: 'caio@acme.com', settledAt: null });
  });

  it('leaves out the current run’s own entries when asked, and resolved ones always', async () => {
    const store = await place.open();
    const old = await begin(store, 'crashed-run', 'ana@acme.com');
    const mine = await begin(store, 'this-run', 'bia@acme.com');
    expect((await store.unsettledJournal({ exceptRunId: 'this-run' })).map((entry) => entry.id)).toEqual([
      old,
    ]);
    expect(await store.markJournalResolved([old], 'found by e-mail: agent 77')).toBe(1);
    expect(await store.markJournalResolved([old], 'again')).toBe(0);
    expect((await store.unsettledJournal()).map((entry) => entry.id)).toEqual([mine]);
    expect((await store.journalOfRun('crashed-run'))[0]).toMatchObject({
      resolution: 'found by e-mail: agent 77',
    });
  });

  it('commits a group (records, settlements, entries) in one transaction before it resolves, visible to another connection', async () => {
    const store = await place.open();
    const other = await place.open();
    const first = await begin(store, 'run-1', 'ana@acme.com');
    const serial = await store.serial();
    const ids = await store.journalGroup({
      records: [{ kind: 'agent-applied', accountId: 101, email: 'Ana@acme.com', values: { textLimit: 4 } }],
      settlements: [{ entryId: first, settlement: { outcome: 'ok', remoteId: 1 } }],
      begins: [
        input('run-1', 'bia@acme.com'),
        input('run-1', 'caio@acme.com'),
        input('run-1', 'dora@acme.com'),
      ],
      durable: true,
    });
    expect(ids).toHaveLength(3);
    expect(ids).toEqual([...ids].sort((left, right) => left - right));
    const seen = await other.journalOfRun('run-1');
    expect(seen.map((entry) => [entry.id, entry.target, entry.outcome])).toEqual([
      [first, 'ana@acme.com', 'ok'],
      [ids[0], 'bia@acme.com', null],
      [ids[1], 'caio@acme.com', null],
      [ids[2], 'dora@acme.com', null],
    ]);
    expect(await other.listAgents(101)).toMatchObject([{ email: 'ana@acme.com', textLimit: 4 }]);
    expect(await other.serial()).toBe(serial + 1);
  });

  it('keeps the first of two settlements of one entry in a group, and never settles one twice', async () => {
    const store = await place.open();
    const [first, second] = await store.journalGroup({
      begins: [input('run-1', 'ana@acme.com'), input('run-1', 'bia@acme.com')],
    });
    await store.journalSettle(second!, { outcome: 'ok', remoteId: 5 });
    await store.journalGroup({
      settlements: [
        { entryId: first!, settlement: { outcome: 'failed', error: 'first' } },
        { entryId: first!, settlement: { outcome: 'ok', remoteId: 9 } },
        { entryId: second!, settlement: { outcome: 'unknown' } },
      ],
    });
    const entries = await store.journalOfRun('run-1');
    expect(entries.map((entry) => [entry.outcome, entry.error, entry.remoteId])).toEqual([
      ['failed', 'first', null],
      ['ok', null, 5],
    ]);
  });

  it('writes none of a group when any of it fails', async () => {
    const store = await place.open();
    const first = await begin(store, 'run-1', 'ana@acme.com');
    const broken = { ...input('run-1', 'bia@acme.com'), runId: null as unknown as string };
    await expect(
      store.journalGroup({
        records: [{ kind: 'agent-applied', accountId: 101, email: 'ana@acme.com', values: { textLimit: 4 } }],
        settlements: [{ entryId: first, settlement: { outcome: 'ok' } }],
        begins: [input('run-1', 'caio@acme.com'), broken],
      }),
    ).rejects.toThrow(/NOT NULL|null value/i);
    expect((await store.journalOfRun('run-1')).map((entry) => entry.outcome)).toEqual([null]);
    expect(await store.listAgents()).toEqual([]);
    expect(await store.serial()).toBe(0);
  });

  it(`drops entries finished over ${JOURNAL_RETENTION_DAYS} days ago when a run takes the lock, never open ones`, async () => {
    const clock = manualClock();
    const store = await place.open(clock);
    const oldSettled = await begin(store, 'old', 'ana@acme.com');
    await store.journalSettle(oldSettled, { outcome: 'ok' });
    const oldOpen = await begin(store, 'old', 'bia@acme.com');
    clock.advance((JOURNAL_RETENTION_DAYS - 1) * DAY_MS);
    const recent = await begin(store, 'recent', 'caio@acme.com');
    await store.journalSettle(recent, { outcome: 'ok' });
    clock.advance(2 * DAY_MS);
    // A plan writes no entry: it leaves the pruning (a scan of the whole journal) to the next apply.
    await store.acquireLock({ runId: 'plan', host: 'h', pid: process.pid, command: 'plan' });
    expect((await store.journalOfRun('old')).map((entry) => entry.id)).toEqual([oldSettled, oldOpen]);
    await store.releaseLock('plan');
    await store.acquireLock({ runId: 'new', host: 'h', pid: process.pid, command: 'apply' });
    expect((await store.journalOfRun('old')).map((entry) => entry.id)).toEqual([oldOpen]);
    expect((await store.journalOfRun('recent')).map((entry) => entry.id)).toEqual([recent]);
  });
});
