import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { PlanFileDraft } from '../report/plan-file.js';
import { appliedRow, plannedRow, type ResultRow } from '../report/results.js';
import { createRunFolder } from '../report/run-folder.js';
import { writeRunReport } from '../report/write-report.js';
import { exitCode } from './exit-code.js';
import type { RunRecord } from './record.js';

/**
 * Checks, before the first request, that everything the run needs to write can be written: the
 * report folder (made if missing) and any file named by a flag. A run that could not write its
 * report would send every write and then lose what it did.
 */
export function checkOutputs(cwd: string, reportDir: string, files: { flag: string; path: string }[]): void {
  const folder = resolve(cwd, reportDir);
  try {
    mkdirSync(folder, { recursive: true });
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(`--report-dir ${reportDir}: cannot write reports there (${reasonOf(error)})`);
  }
  checkWritableFiles(cwd, files);
}

/** Checks, before the first request, that each file named by a flag can be written (its folder exists and takes files). */
export function checkWritableFiles(cwd: string, files: { flag: string; path: string }[]): void {
  for (const { flag, path } of files) {
    const problem = unwritableBecause(resolve(cwd, path));
    if (problem !== undefined) throw new UsageError(`${flag} ${path}: cannot write it (${problem})`);
  }
}

/**
 * The one warning for a `--metrics-file` that cannot be written, before the first request;
 * undefined when it can. CONTRACT §13: a metrics file never stops a run or changes its exit code,
 * so it is not refused like `--out` and the report folder, which the run needs.
 */
export function metricsFileWarning(cwd: string, path: string): string | undefined {
  const problem = unwritableBecause(resolve(cwd, path));
  return problem === undefined
    ? undefined
    : `--metrics-file ${path}: cannot write it (${problem}); the metrics will not be written, the exit code is not affected`;
}

function unwritableBecause(absolute: string): string | undefined {
  try {
    const parent = dirname(absolute);
    if (!statSync(parent).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(parent, constants.W_OK);
    const existing = statSync(absolute, { throwIfNoEntry: false });
    if (existing?.isDirectory() === true) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    return undefined;
  } catch (error) {
    return reasonOf(error);
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file stands where a folder should be';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'its folder does not exist';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** One row per action of the plan: what apply did with it, or `planned` when it did not run. */
export function resultRows(record: RunRecord): ResultRow[] {
  const outcomes = record.applied?.outcomes;
  return record.plan.actions.map((action) => {
    const outcome = outcomes?.get(action.id);
    return outcome === undefined ? plannedRow(action) : appliedRow(action, outcome);
  });
}

/**
 * Writes the run's report folder from the record (CONTRACT §7) and returns where. The folder
 * was checked before the first request; a write that fails now (a full disk) is still a
 * one-line error naming the folder, never a stack trace.
 */
export function writeRecordReport(
  record: RunRecord,
  reportDir: string,
  results: ResultRow[],
  planDraft?: PlanFileDraft,
): string {
  try {
    const folder = createRunFolder(reportDir, record.command, record.startedAt);
    writeRunReport(
      folder,
      {
        command: record.command,
        startedAt: record.startedAt,
        finishedAt: record.finishedAt,
        exitCode: exitCode(record),
        plan: record.plan,
        results,
        requests: {
          total: record.requests.total,
          reads: record.requests.reads,
          writes: record.requests.writes,
        },
        retries: record.requests.retries,
        ...stoppedBy(record),
        manifest: record.manifest.files,
        requestsPerSecond: record.requests.perSecond,
        ...(record.rate === undefined ? {} : { rate: record.rate }),
      },
      planDraft,
    );
    return folder;
  } catch (error) {
    throw new UsageError(`--report-dir ${reportDir}: the report could not be written (${reasonOf(error)})`);
  }
}

function stoppedBy(record: RunRecord): { stoppedBy?: string; savedPlanRefusedBy?: string } {
  const { ending } = record;
  if (ending.kind === 'guard') return { stoppedBy: 'safety-guard' };
  if (ending.kind === 'stale-plan') return { stoppedBy: 'stale-plan', savedPlanRefusedBy: ending.refusedBy };
  if (ending.kind === 'interrupted') return { stoppedBy: ending.signal };
  if (ending.kind === 'declined') return { stoppedBy: 'declined' };
  const byApply = record.applied?.stoppedBy;
  return byApply === undefined ? {} : { stoppedBy: byApply };
}
