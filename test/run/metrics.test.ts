import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { latestPerCommand, renderMetrics } from '../../src/run/metrics.js';
import type { RunEntry } from '../../src/state/index.js';
import { PROMTOOL, runsHere } from '../real-tools.js';

let nextId = 100;
function run(
  command: 'plan' | 'apply',
  exitCode: number,
  finishedAt: string,
  overrides: Partial<RunEntry> = {},
): RunEntry {
  const id = nextId--;
  return {
    id,
    runId: `run-${id}`,
    command,
    status: 'finished',
    host: 'h',
    pid: 1,
    pidScope: 's',
    startedAt: new Date(Date.parse(finishedAt) - 90_500).toISOString(),
    finishedAt,
    exitCode,
    ending: 'applied',
    counts: { 'agent.create': { ok: 5, failed: 1 }, 'department.add_agents': { ok: 2 } },
    readRequests: 12,
    writeRequests: 8,
    retries: 3,
    driftChanges: 0,
    reportFolder: 'reports/x',
    scope: null,
    notifiedAt: null,
    ...overrides,
  };
}

/** Newest first, as the store gives it: a failed apply after a successful one, and a plan. */
const HISTORY = [
  run('apply', 3, '2026-12-02T02:31:30.000Z'),
  run('plan', 0, '2026-12-01T18:00:00.000Z', {
    counts: { 'agent.create': { planned: 6 } },
    writeRequests: 0,
  }),
  run('apply', 0, '2026-12-01T02:31:00.000Z'),
  run('apply', 0, '2026-11-30T02:31:00.000Z'),
];

const NAMES = [
  'omnize_sync_last_run_timestamp_seconds',
  'omnize_sync_last_success_timestamp_seconds',
  'omnize_sync_last_run_duration_seconds',
  'omnize_sync_last_run_exit_code',
  'omnize_sync_last_run_actions',
  'omnize_sync_last_run_requests',
  'omnize_sync_last_run_retries',
  'omnize_sync_last_run_drift_changes',
];

/** `name{labels} value` lines, as a map. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

describe('the Prometheus metrics of CONTRACT §13', () => {
  it('are exactly the names of the contract, each a gauge with HELP and TYPE', async () => {
    const text = await renderMetrics(latestPerCommand(HISTORY));
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1], match[2]]);
    expect(types).toEqual(NAMES.map((name) => [name, 'gauge']));
    const helps = [...text.matchAll(/^# HELP (\S+) \S/gm)].map((match) => match[1]);
    expect(helps).toEqual(NAMES);
  });

  it("carry each command's last run, with the last success from the history: a failed run does not reset it", async () => {
    const values = samples(await renderMetrics(latestPerCommand(HISTORY)));
    expect(values.get('omnize_sync_last_run_exit_code{command="apply"}')).toBe(3);
    expect(values.get('omnize_sync_last_run_timestamp_seconds{command="apply"}')).toBe(
      Date.parse('2026-12-02T02:31:30.000Z') / 1000,
    );
    expect(values.get('omnize_sync_last_success_timestamp_seconds{command="apply"}')).toBe(
      Date.parse('2026-12-01T02:31:00.000Z') / 1000,
    );
    expect(values.get('omnize_sync_last_run_duration_seconds{command="apply"}')).toBe(90.5);
    expect(
      values.get('omnize_sync_last_run_actions{command="apply",kind="agent.create",outcome="failed"}'),
    ).toBe(1);
    expect(
      values.get('omnize_sync_last_run_actions{command="apply",kind="department.add_agents",outcome="ok"}'),
    ).toBe(2);
    expect(values.get('omnize_sync_last_run_requests{command="apply",type="read"}')).toBe(12);
    expect(values.get('omnize_sync_last_run_requests{command="apply",type="write"}')).toBe(8);
    expect(values.get('omnize_sync_last_run_retries{command="apply"}')).toBe(3);
    expect(values.get('omnize_sync_last_run_drift_changes{command="apply"}')).toBe(0);
    expect(values.get('omnize_sync_last_run_exit_code{command="plan"}')).toBe(0);
    expect(
      values.get('omnize_sync_last_run_actions{command="plan",kind="agent.create",outcome="planned"}'),
    ).toBe(6);
  });

  it('leave the last success out for a command that never succeeded, and skip runs that died', async () => {
    const died = run('apply', 0, '2026-12-03T00:00:00.000Z', {
      status: 'died',
      exitCode: null,
      finishedAt: null,
    });
    const values = samples(
      await renderMetrics(latestPerCommand([died, run('apply', 1, '2026-12-02T00:00:00.000Z')])),
    );
    expect(values.get('omnize_sync_last_run_exit_code{command="apply"}')).toBe(1);
    expect(
      [...values.keys()].some((key) => key.startsWith('omnize_sync_last_success_timestamp_seconds')),
    ).toBe(false);
  });
});

describe.runIf(runsHere(PROMTOOL))('the metrics text against promtool', () => {
  it('passes `promtool check metrics` (lint included)', async () => {
    const text = await renderMetrics(latestPerCommand(HISTORY));
    const checked = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(checked.error).toBeUndefined();
    expect(`${checked.stdout}${checked.stderr}`).toBe('');
    expect(checked.status).toBe(0);
  });

  it('fails promtool when a HELP line is missing (the check is real)', () => {
    const checked = spawnSync(PROMTOOL, ['check', 'metrics'], {
      input: '# TYPE omnize_sync_x gauge\nomnize_sync_x 1\n',
      encoding: 'utf8',
    });
    expect(checked.status).not.toBe(0);
  });
});
