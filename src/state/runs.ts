import { isHolderDead, type LockHolder, selectHolder } from './lock.js';
import type { Sql } from './sql.js';

/**
 * The run history (CONTRACT §13): one row per `plan`/`apply`, written when the run starts
 * (`running`) and again when it ends (`finished`, with its exit code and counts). A run that
 * died — kill -9, a lost container — never writes its end; the next run finds its row still
 * `running` while its lock is gone, another run's, or its holder's (heartbeat stale, process
 * gone), and marks it `died`.
 */

export type RunStatus = 'running' | 'finished' | 'died';

/** Outcomes per action kind: `{ 'agent.create': { ok: 3, failed: 1 } }`. */
export type ActionCounts = Record<string, Record<string, number>>;

/** Who is running, written when the run starts. */
export interface RunStart {
  runId: string;
  command: 'plan' | 'apply';
  host: string;
  pid: number;
  pidScope: string;
  /** ISO 8601. */
  startedAt: string;
  /** The scoped run's selectors as text; null for the whole manifest. */
  scope: string | null;
}

/** How the run ended, written when it ends. */
export interface RunFinish {
  /** ISO 8601. */
  finishedAt: string;
  exitCode: number;
  /** How it ended: `applied`, `planned`, `guard`, `stale-plan`, `interrupted`, `declined`, or the error's class. */
  ending: string;
  counts: ActionCounts;
  readRequests: number;
  writeRequests: number;
  retries: number;
  driftChanges: number;
  /** The run's report folder; null when it ended before writing one. */
  reportFolder: string | null;
}

/** One row of the history. The finish fields are null while running and for a run that died. */
export interface RunEntry extends RunStart {
  id: number;
  status: RunStatus;
  finishedAt: string | null;
  exitCode: number | null;
  ending: string | null;
  counts: ActionCounts;
  readRequests: number | null;
  writeRequests: number | null;
  retries: number | null;
  driftChanges: number | null;
  reportFolder: string | null;
  /** When a notification about this run was sent (`--notify-url`); the dedup of alerts reads it. */
  notifiedAt: string | null;
}

export interface RunRow {
  id: number;
  run_id: string;
  command: 'plan' | 'apply';
  status: RunStatus;
  host: string;
  pid: number;
  pid_scope: string;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  ending: string | null;
  counts: string | null;
  read_requests: number | null;
  write_requests: number | null;
  retries: number | null;
  drift_changes: number | null;
  report_folder: string | null;
  scope: string | null;
  notified_at: string | null;
}

export function insertRunStart(sql: Sql, start: RunStart): void {
  sql
    .prepare(
      `INSERT INTO runs (run_id, command, status, host, pid, pid_scope, started_at, scope)
       VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
    )
    .run(start.runId, start.command, start.host, start.pid, start.pidScope, start.startedAt, start.scope);
}

/**
 * The values of a run's end, in the order of both backends' UPDATE (finished_at, exit_code,
 * ending, counts, read_requests, write_requests, retries, drift_changes, report_folder, run_id).
 */
export function runFinishValues(start: RunStart, finish: RunFinish) {
  return [
    finish.finishedAt,
    finish.exitCode,
    finish.ending,
    JSON.stringify(finish.counts),
    finish.readRequests,
    finish.writeRequests,
    finish.retries,
    finish.driftChanges,
    finish.reportFolder,
    start.runId,
  ] as const;
}

/** Writes the end of a run; a run that was never started (refused before it could be) is inserted whole. */
export function writeRunFinish(sql: Sql, start: RunStart, finish: RunFinish): void {
  const exists = sql.prepare('SELECT 1 FROM runs WHERE run_id = ?').pluck().get(start.runId) !== undefined;
  if (!exists) insertRunStart(sql, start);
  sql
    .prepare(
      `UPDATE runs SET status = 'finished', finished_at = ?, exit_code = ?, ending = ?, counts = ?,
         read_requests = ?, write_requests = ?, retries = ?, drift_changes = ?, report_folder = ?
       WHERE run_id = ?`,
    )
    .run(...runFinishValues(start, finish));
}

export function writeRunNotified(sql: Sql, runId: string, at: string): void {
  sql.prepare('UPDATE runs SET notified_at = ? WHERE run_id = ?').run(at, runId);
}

/** Newest first; `command` limits to one command's runs. */
export function selectRuns(sql: Sql, options: { limit?: number; command?: string } = {}): RunEntry[] {
  const limit = options.limit ?? -1;
  const rows = (
    options.command === undefined
      ? sql.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit)
      : sql
          .prepare('SELECT * FROM runs WHERE command = ? ORDER BY id DESC LIMIT ?')
          .all(options.command, limit)
  ) as RunRow[];
  return rows.map(toEntry);
}

/** Where the run looking is: its host and pid space, and the time now (ISO 8601). */
export interface Onlooker {
  host: string;
  pidScope: string;
  now: string;
}

/**
 * Marks `died` every running run that is not alive any more; returns their IDs. Runs in the
 * store's write transaction, so a run finishing meanwhile cannot be taken for dead.
 */
export function markDiedRuns(sql: Sql, onlooker: Onlooker, exceptRunId?: string): string[] {
  const running = sql.prepare("SELECT * FROM runs WHERE status = 'running'").all() as RunRow[];
  if (running.length === 0) return [];
  const holder = selectHolder(sql);
  const died = running
    .map(toEntry)
    .filter((run) => run.runId !== exceptRunId && isRunDead(run, holder, onlooker));
  const mark = sql.prepare("UPDATE runs SET status = 'died' WHERE run_id = ? AND status = 'running'");
  for (const run of died) mark.run(run.runId);
  return died.map((run) => run.runId);
}

/**
 * Whether a run still marked `running` is gone. A `plan` and an `apply` alike hold the run lock
 * from before their row is written until after their end is: a row outlives its run only if the
 * lock is no longer the run's own or its holder is dead (heartbeat, pid; lock.ts).
 *
 * Rows of plans written before plans took the lock are judged the same way, with no pid rule
 * kept for them: such a row still `running` is a plan that died (found at once now, where its pid
 * could not be checked from another host for 24 h before), or one of an older omnize-sync still
 * running beside this one, which shows as died until its own end overwrites the row.
 */
export function isRunDead(run: RunStart, holder: LockHolder | undefined, onlooker: Onlooker): boolean {
  if (holder === undefined || holder.runId !== run.runId) return true;
  return isHolderDead(
    holder,
    { runId: '', host: onlooker.host, pid: 0, command: '', pidScope: onlooker.pidScope },
    onlooker.now,
  );
}

export function toEntry(row: RunRow): RunEntry {
  return {
    id: row.id,
    runId: row.run_id,
    command: row.command,
    status: row.status,
    host: row.host,
    pid: row.pid,
    pidScope: row.pid_scope,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    exitCode: row.exit_code,
    ending: row.ending,
    counts: row.counts === null ? {} : (JSON.parse(row.counts) as ActionCounts),
    readRequests: row.read_requests,
    writeRequests: row.write_requests,
    retries: row.retries,
    driftChanges: row.drift_changes,
    reportFolder: row.report_folder,
    scope: row.scope,
    notifiedAt: row.notified_at,
  };
}
