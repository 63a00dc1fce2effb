import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentPidScope, type RunFinish, type RunStart } from '../../src/state/index.js';
import { BACKENDS, useStorePlace } from './backends.js';

const HERE = { host: hostname(), pidScope: currentPidScope() };
let runs = 0;

function start(overrides: Partial<RunStart> = {}): RunStart {
  runs += 1;
  return {
    runId: `run-${runs}`,
    command: 'plan',
    host: HERE.host,
    pid: process.pid,
    pidScope: HERE.pidScope,
    startedAt: `2026-12-02T05:00:${String(runs % 60).padStart(2, '0')}.000Z`,
    scope: null,
    ...overrides,
  };
}

const FINISH: RunFinish = {
  finishedAt: '2026-12-02T05:10:00.000Z',
  exitCode: 3,
  ending: 'applied',
  counts: { 'agent.create': { ok: 2, failed: 1 }, 'department.add_agents': { ok: 4 } },
  readRequests: 5,
  writeRequests: 3,
  retries: 1,
  driftChanges: 2,
  reportFolder: 'reports/20261202T050000Z-apply',
};

/** The pid of a process that has just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid!;
}

describe.each(BACKENDS)('the run history of the %s state store', (backend) => {
  const place = useStorePlace(backend);

  it('keeps a run written at its start and at its end, newest first, and leaves the serial alone', async () => {
    const store = await place.open();
    const first = start({ command: 'apply', scope: '--account acme' });
    await store.recordRunStarted(first);
    expect((await store.runs())[0]).toMatchObject({ runId: first.runId, status: 'running', exitCode: null });
    await store.recordRunFinished(first, FINISH);
    const second = start();
    await store.recordRunFinished(second, {
      ...FINISH,
      exitCode: 1,
      ending: 'ManifestError',
      reportFolder: null,
    });
    const all = await store.runs();
    expect(all.map((run) => [run.runId, run.status, run.exitCode])).toEqual([
      [second.runId, 'finished', 1],
      [first.runId, 'finished', 3],
    ]);
    expect(all[1]).toEqual({
      ...first,
      ...FINISH,
      id: all[1]?.id,
      status: 'finished',
      notifiedAt: null,
    });
    expect(all[0]?.id).toBeGreaterThan(all[1]?.id ?? 0);
    expect(await store.runs({ limit: 1 })).toHaveLength(1);
    expect((await store.runs({ command: 'apply' })).map((run) => run.runId)).toEqual([first.runId]);
    expect(await store.serial()).toBe(0);
  });

  it('records when a notification was sent about a run', async () => {
    const store = await place.open();
    const run = start();
    await store.recordRunFinished(run, FINISH);
    await store.recordRunNotified(run.runId, new Date('2026-12-02T03:00:00.000Z'));
    expect((await store.runs())[0]?.notifiedAt).toBe('2026-12-02T03:00:00.000Z');
  });

  // Was "a plan left running by a process that is gone": a plan held no lock then, so its pid
  // decided. A plan takes the run lock now, and its row is judged by the lock as an apply's is.
  it('marks died a plan whose run lock is gone, even with its process alive, not one that holds it', async () => {
    const store = await place.open();
    const holder = start();
    const lock = await store.acquireLock({
      runId: holder.runId,
      host: HERE.host,
      pid: process.pid,
      command: 'plan',
    });
    expect(lock.acquired).toBe(true);
    const orphan = start({ pid: process.ppid });
    await store.recordRunStarted(holder);
    await store.recordRunStarted(orphan);
    const other = await place.open();
    expect(await other.markDiedRuns(HERE)).toEqual([orphan.runId]);
    const status = Object.fromEntries((await store.runs()).map((run) => [run.runId, run.status]));
    expect(status).toEqual({ [holder.runId]: 'running', [orphan.runId]: 'died' });
    await store.releaseLock(holder.runId);
    expect(await other.markDiedRuns(HERE)).toEqual([holder.runId]);
  });

  it('lets a run marked died by mistake (a plan of an older omnize-sync, which held no lock) write its end', async () => {
    const store = await place.open();
    const unlocked = start({ pid: process.ppid });
    await store.recordRunStarted(unlocked);
    expect(await store.markDiedRuns(HERE)).toEqual([unlocked.runId]);
    await store.recordRunFinished(unlocked, { ...FINISH, exitCode: 0, ending: 'planned' });
    expect((await store.runs())[0]).toMatchObject({ runId: unlocked.runId, status: 'finished', exitCode: 0 });
  });

  it('marks died an apply whose run lock is gone or taken by another run, not one that holds it', async () => {
    const store = await place.open();
    const holder = start({ command: 'apply' });
    const lock = await store.acquireLock({
      runId: holder.runId,
      host: HERE.host,
      pid: process.pid,
      command: 'apply',
    });
    expect(lock.acquired).toBe(true);
    const orphan = start({ command: 'apply', pid: process.ppid });
    await store.recordRunStarted(holder);
    await store.recordRunStarted(orphan);
    // Looked at from another connection: the lock's holder is read from the store, not this process.
    const other = await place.open();
    expect(await other.markDiedRuns(HERE)).toEqual([orphan.runId]);
    await store.releaseLock(holder.runId);
    expect(await other.markDiedRuns(HERE)).toEqual([holder.runId]);
  });

  it('never marks a finished run, nor the run doing the marking', async () => {
    const store = await place.open();
    const mine = start({ pid: deadPid() });
    await store.recordRunStarted(mine);
    expect(await store.markDiedRuns(HERE, mine.runId)).toEqual([]);
    await store.recordRunFinished(mine, FINISH);
    expect(await store.markDiedRuns(HERE)).toEqual([]);
    expect((await store.runs())[0]?.status).toBe('finished');
  });

  it('refuses a second start of one run ID, and keeps the first', async () => {
    const store = await place.open();
    const run = start();
    await store.recordRunStarted(run);
    await expect(store.recordRunStarted({ ...run, command: 'apply' })).rejects.toThrow(/unique|UNIQUE/);
    expect((await store.runs()).map((entry) => [entry.runId, entry.command])).toEqual([[run.runId, 'plan']]);
  });
});

describe.each(BACKENDS)('the rate --rate auto learned, in the %s state store', (backend) => {
  const place = useStorePlace(backend);

  it('is kept per base URL and read back after a reopen, the last one saved winning, the serial left alone', async () => {
    const first = await place.open();
    expect(await first.learnedRate('https://partner.omnize.com/api/v1')).toBeUndefined();
    await first.saveLearnedRate('https://partner.omnize.com/api/v1', 12);
    await first.saveLearnedRate('https://partner.omnize.com/api/v1/', 37.5);
    await first.saveLearnedRate('http://127.0.0.1:8080/api/v1', 1 / 3);
    await first.close();
    const second = await place.open();
    expect(await second.learnedRate('https://partner.omnize.com/api/v1')).toBe(37.5);
    expect(await second.learnedRate('http://127.0.0.1:8080/api/v1')).toBe(1 / 3);
    expect(await second.learnedRate('http://127.0.0.1:9090/api/v1')).toBeUndefined();
    expect(await second.serial()).toBe(0);
  });

  it('keys by origin and path only: a credential in the URL is never stored', async () => {
    const store = await place.open();
    await store.saveLearnedRate('https://user:S3cret-pw@partner.omnize.com/api/v1?token=T0ken-x', 20);
    expect(await store.learnedRate('https://partner.omnize.com/api/v1')).toBe(20);
    await store.close();
    const dump = JSON.stringify(await place.query('SELECT * FROM learned_rates'));
    expect(dump).toContain('https://partner.omnize.com/api/v1');
    expect(dump).not.toMatch(/S3cret-pw|T0ken-x|user/);
  });

  it('refuses a rate that is not above zero', async () => {
    const store = await place.open();
    await expect(store.saveLearnedRate('https://partner.omnize.com/api/v1', 0)).rejects.toThrow(
      /CHECK|check/,
    );
  });
});
