import { describe, expect, it } from 'vitest';
import { decideNotification, REMIND_AFTER_MS } from '../../src/run/notify.js';
import type { RunEntry } from '../../src/state/index.js';

const NOW = new Date('2026-12-02T03:00:00.000Z');
const HOUR = 60 * 60 * 1000;

let nextId = 1;
/** A finished apply run; `notifiedAt` when an alert was sent about it. */
function run(exitCode: number | null, overrides: Partial<RunEntry> = {}): RunEntry {
  const id = nextId++;
  return {
    id,
    runId: `run-${id}`,
    command: 'apply',
    status: exitCode === null ? 'died' : 'finished',
    host: 'cron-host',
    pid: 100 + id,
    pidScope: 'scope',
    startedAt: '2026-12-02T02:30:00.000Z',
    finishedAt: exitCode === null ? null : '2026-12-02T02:31:00.000Z',
    exitCode,
    ending: exitCode === 0 ? 'applied' : 'failed',
    counts: { 'agent.create': { ok: 2, failed: exitCode === 3 ? 1 : 0 } },
    readRequests: 4,
    writeRequests: 3,
    retries: 0,
    driftChanges: 0,
    reportFolder: 'reports/20261202T023000Z-apply',
    scope: null,
    notifiedAt: null,
    ...overrides,
  };
}

const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe('when a run calls for a notification', () => {
  it('says nothing for a success after a success, nor for the very first run when it succeeds', () => {
    expect(decideNotification([run(0)], run(0), NOW)).toBeUndefined();
    expect(decideNotification([], run(0), NOW)).toBeUndefined();
  });

  it('announces the change ok → failing, with the JSON of CONTRACT §13', () => {
    const decided = decideNotification([run(0)], run(3), NOW);
    expect(decided?.reason).toBe('started-failing');
    expect(decided?.message).toEqual({
      text: 'omnize-sync apply is failing (exit 3; 2 ok, 1 failed). Report: reports/20261202T023000Z-apply',
      status: 'failing',
      command: 'apply',
      exit_code: 3,
      counts: { ok: 2, failed: 1, skipped: 0, unknown: 0, planned: 0 },
      report: 'reports/20261202T023000Z-apply',
    });
  });

  it('announces a first run that fails', () => {
    expect(decideNotification([], run(1), NOW)?.reason).toBe('started-failing');
  });

  it('stays quiet while failing within 24 h of the last alert', () => {
    const previous = [run(3, { notifiedAt: ago(REMIND_AFTER_MS - HOUR) }), run(0)];
    expect(decideNotification(previous, run(3), NOW)).toBeUndefined();
  });

  it('reminds once 24 h have passed since the last alert of the failing streak', () => {
    const previous = [run(1), run(3, { notifiedAt: ago(REMIND_AFTER_MS) }), run(0)];
    expect(decideNotification(previous, run(3), NOW)?.reason).toBe('still-failing');
  });

  it('reads the alert sent most recently in the streak, not an older one', () => {
    const previous = [
      run(1, { notifiedAt: ago(2 * HOUR) }),
      run(3, { notifiedAt: ago(REMIND_AFTER_MS + HOUR) }),
      run(0),
    ];
    expect(decideNotification(previous, run(3), NOW)).toBeUndefined();
  });

  it('ignores alerts from before the last success (a new streak is announced at once)', () => {
    const previous = [run(0), run(3, { notifiedAt: ago(HOUR) })];
    expect(decideNotification(previous, run(3), NOW)?.reason).toBe('started-failing');
  });

  it('announces failing → recovered', () => {
    const decided = decideNotification([run(3, { notifiedAt: ago(HOUR) }), run(0)], run(0), NOW);
    expect(decided?.reason).toBe('recovered');
    expect(decided?.message.status).toBe('recovered');
    expect(decided?.message.text).toMatch(/^omnize-sync apply has recovered \(exit 0; 2 ok\)/);
  });

  it('alerts on every guard stop (exit 4), even within 24 h of the last alert', () => {
    const previous = [run(4, { notifiedAt: ago(HOUR) }), run(0)];
    const decided = decideNotification(previous, run(4), NOW);
    expect(decided?.reason).toBe('guard-stop');
    expect(decided?.message.text).toContain('was stopped by the safety guard (exit 4');
  });

  it('takes a run that died for failing: the next success recovers, the next failure is no news', () => {
    expect(decideNotification([run(null)], run(0), NOW)?.reason).toBe('recovered');
    expect(decideNotification([run(null, { notifiedAt: ago(HOUR) })], run(1), NOW)).toBeUndefined();
  });

  it('counts plan --detailed-exitcode 2 (changes planned) as a success', () => {
    const plan = (code: number) => run(code, { command: 'plan' });
    expect(decideNotification([plan(0)], plan(2), NOW)).toBeUndefined();
    expect(decideNotification([plan(1)], plan(2), NOW)?.reason).toBe('recovered');
  });

  it('sends exactly two messages over ok → failing → failing → recovered', () => {
    const results = [0, 3, 3, 0];
    const history: RunEntry[] = [];
    const sent: string[] = [];
    for (const code of results) {
      const current = run(code);
      const decided = decideNotification(history, current, NOW);
      if (decided !== undefined) {
        sent.push(decided.reason);
        current.notifiedAt = NOW.toISOString();
      }
      history.unshift(current);
    }
    expect(sent).toEqual(['started-failing', 'recovered']);
  });

  it('names no report when the run ended before writing one', () => {
    const decided = decideNotification([], run(1, { reportFolder: null, counts: {} }), NOW);
    expect(decided?.message.report).toBeNull();
    expect(decided?.message.text).toBe('omnize-sync apply is failing (exit 1; no actions).');
  });
});
