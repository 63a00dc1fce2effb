import { Gauge, Registry } from 'prom-client';
import type { RunEntry } from '../state/index.js';

/**
 * The Prometheus metrics of CONTRACT §13, all gauges labelled `command`, made from the run
 * history: each command's last finished run, and its last success. Built from the history rather
 * than from this run alone, so one metrics file (or one Pushgateway group, which a PUT replaces
 * whole) carries `plan` and `apply` side by side, and a failed run never resets the last success.
 */

/** The exit codes of a run that did its job: 0, and 2 (`plan --detailed-exitcode`: the plan has changes). */
export function isSuccess(exitCode: number | null): boolean {
  return exitCode === 0 || exitCode === 2;
}

/** Per command: its last finished run and the time of its last success, from the history (newest first). */
export function latestPerCommand(history: readonly RunEntry[]): MetricsInput[] {
  const byCommand = new Map<string, MetricsInput>();
  for (const run of history) {
    if (run.status !== 'finished') continue;
    let input = byCommand.get(run.command);
    if (input === undefined) {
      input = { last: run, lastSuccessAt: undefined };
      byCommand.set(run.command, input);
    }
    if (input.lastSuccessAt === undefined && isSuccess(run.exitCode)) input.lastSuccessAt = run.finishedAt;
  }
  return [...byCommand.values()];
}

export interface MetricsInput {
  /** The command's last finished run. */
  last: RunEntry;
  /** ISO 8601 finish of its last successful run, if it ever had one. */
  lastSuccessAt: string | null | undefined;
}

/** A registry of its own (not prom-client's global one), with no default process metrics. */
export function metricsRegistry(inputs: readonly MetricsInput[]): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames: ['command', ...labelNames], registers: [registry] });
  const lastRun = gauge('omnize_sync_last_run_timestamp_seconds', 'When the last run finished, Unix time.');
  const lastSuccess = gauge(
    'omnize_sync_last_success_timestamp_seconds',
    'When the last successful run (exit 0, or 2 for plan --detailed-exitcode) finished, Unix time.',
  );
  const duration = gauge('omnize_sync_last_run_duration_seconds', 'How long the last run took.');
  const exitCode = gauge(
    'omnize_sync_last_run_exit_code',
    'Exit code of the last run: 0 ok, 1 error, 3 some actions failed, 4 safety stop, 130/143 signal.',
  );
  const actions = gauge('omnize_sync_last_run_actions', 'Actions of the last run per kind and outcome.', [
    'kind',
    'outcome',
  ]);
  const requests = gauge('omnize_sync_last_run_requests', 'API requests of the last run, reads and writes.', [
    'type',
  ]);
  const retries = gauge('omnize_sync_last_run_retries', 'Retried requests of the last run.');
  const drift = gauge(
    'omnize_sync_last_run_drift_changes',
    'Planned changes of the last run that undo a change made in Omnize outside omnize-sync.',
  );
  for (const { last, lastSuccessAt } of inputs) {
    const command = { command: last.command };
    const finishedAt = Date.parse(last.finishedAt ?? last.startedAt);
    lastRun.set(command, finishedAt / 1000);
    if (lastSuccessAt !== undefined && lastSuccessAt !== null) {
      lastSuccess.set(command, Date.parse(lastSuccessAt) / 1000);
    }
    duration.set(command, (finishedAt - Date.parse(last.startedAt)) / 1000);
    exitCode.set(command, last.exitCode ?? 1);
    for (const [kind, outcomes] of Object.entries(last.counts)) {
      for (const [outcome, count] of Object.entries(outcomes)) {
        actions.set({ ...command, kind, outcome }, count);
      }
    }
    requests.set({ ...command, type: 'read' }, last.readRequests ?? 0);
    requests.set({ ...command, type: 'write' }, last.writeRequests ?? 0);
    retries.set(command, last.retries ?? 0);
    drift.set(command, last.driftChanges ?? 0);
  }
  return registry;
}

/** The metrics in Prometheus' text format. */
export function renderMetrics(inputs: readonly MetricsInput[]): Promise<string> {
  return metricsRegistry(inputs).metrics();
}
