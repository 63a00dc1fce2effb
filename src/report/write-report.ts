import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RateSummary } from '../limits/auto-rate.js';
import type { Plan } from '../plan/index.js';
import { csvLine } from './cells.js';
import { writeFileInChunks } from './file-writer.js';
import { writeHtmlReport } from './html/index.js';
import type { RequestsPerSecond } from './html/rate-chart.js';
import { type PlanFileDraft, writePlanFile } from './plan-file.js';
import { RESULT_COLUMNS, type ResultOutcome, type ResultRow, resultColumns } from './results.js';

/** What one plan or apply run did, as its report files tell it. */
export interface RunReport {
  command: 'plan' | 'apply';
  startedAt: Date;
  finishedAt: Date;
  exitCode: number;
  plan: Plan;
  results: ResultRow[];
  requests: { total: number; reads: number; writes: number };
  retries: number;
  /** Why the run stopped before the end, when it did: a signal, the circuit breaker, an invalid token. */
  stoppedBy?: string;
  /** Which check refused a saved plan (`stoppedBy: 'stale-plan'`): manifest-digest, state-identity, state-serial or live-digest. */
  savedPlanRefusedBy?: string;
  /** The manifest files the run read. */
  manifest: string[];
  /** API requests started in each second of the run, for the requests-per-second chart. */
  requestsPerSecond: RequestsPerSecond;
  /** The rate limit kept to: `{mode:'fixed', rate}`, or `--rate auto`'s start, learned rate and maximum. */
  rate?: RateSummary;
}

export const REPORT_FILES = { summary: 'summary.json', results: 'results.csv', plan: 'plan.json' } as const;

/** Writes summary.json, results.csv, plan.json and report.html into the run's folder (CONTRACT §7). */
export function writeRunReport(folder: string, report: RunReport, planDraft?: PlanFileDraft): void {
  const planFile = join(folder, REPORT_FILES.plan);
  if (planDraft?.plan === report.plan) planDraft.write(planFile);
  else writePlanFile(planFile, report.plan);
  // Row by row: 100,000 rows joined into one string (and the arrays before it) were held at once.
  writeFileInChunks(join(folder, REPORT_FILES.results), (writer) => {
    writer.write(csvLine(RESULT_COLUMNS));
    for (const row of report.results) writer.write(csvLine(resultColumns(row)));
  });
  writeFileSync(join(folder, REPORT_FILES.summary), `${JSON.stringify(summaryOf(report), null, 2)}\n`);
  writeHtmlReport(folder, report);
}

export function summaryOf(report: RunReport) {
  const byKind: Record<string, number> = {};
  const byOutcome: Record<ResultOutcome, number> = { ok: 0, failed: 0, skipped: 0, unknown: 0, planned: 0 };
  const byKindAndOutcome: Record<string, Partial<Record<ResultOutcome, number>>> = {};
  let drift = 0;
  for (const row of report.results) {
    if (row.cause === 'drift') drift += 1;
    byKind[row.action] = (byKind[row.action] ?? 0) + 1;
    byOutcome[row.outcome] += 1;
    byKindAndOutcome[row.action] ??= {};
    const cell = byKindAndOutcome[row.action]!;
    cell[row.outcome] = (cell[row.outcome] ?? 0) + 1;
  }
  return {
    command: report.command,
    startedAt: report.startedAt.toISOString(),
    finishedAt: report.finishedAt.toISOString(),
    durationMs: report.finishedAt.getTime() - report.startedAt.getTime(),
    exitCode: report.exitCode,
    ...(report.stoppedBy === undefined ? {} : { stoppedBy: report.stoppedBy }),
    ...(report.savedPlanRefusedBy === undefined
      ? {}
      : { savedPlan: { refusedBy: report.savedPlanRefusedBy } }),
    manifest: report.manifest,
    // CONTRACT §12: the accounts a scoped run was limited to; null for the whole manifest.
    scope: report.plan.scope ?? null,
    actions: report.results.length,
    counts: { byKind, byOutcome, byKindAndOutcome },
    // Planned changes that put back what was changed in Omnize (CONTRACT §14).
    drift: { changes: drift },
    requests: report.requests,
    retries: report.retries,
    ...(report.rate === undefined ? {} : { rate: report.rate }),
    notices: report.plan.notices.map((notice) => ({
      kind: notice.kind,
      account: notice.account,
      target: notice.target,
      message: notice.message,
    })),
    guard: report.plan.guard,
  };
}
