import {
  isRunDead,
  type Onlooker,
  type RunEntry,
  type RunFinish,
  type RunRow,
  type RunStart,
  runFinishValues,
  toEntry,
} from '../runs.js';
import { selectHolder } from './lock.js';
import type { Tx } from './pool.js';

/** The run history in PostgreSQL: runs.ts (the SQLite store's) statement for statement, in the caller's transaction. */

type Query = Pick<Tx, 'query'>;

export async function insertRunStart(tx: Query, start: RunStart): Promise<void> {
  await tx.query(
    `INSERT INTO runs (run_id, command, status, host, pid, pid_scope, started_at, scope)
     VALUES ($1, $2, 'running', $3, $4, $5, $6, $7)`,
    [start.runId, start.command, start.host, start.pid, start.pidScope, start.startedAt, start.scope],
  );
}

/** Writes the end of a run; a run that was never started (refused before it could be) is inserted whole. */
export async function writeRunFinish(tx: Query, start: RunStart, finish: RunFinish): Promise<void> {
  await tx.query(
    `INSERT INTO runs (run_id, command, status, host, pid, pid_scope, started_at, scope)
     VALUES ($1, $2, 'running', $3, $4, $5, $6, $7) ON CONFLICT (run_id) DO NOTHING`,
    [start.runId, start.command, start.host, start.pid, start.pidScope, start.startedAt, start.scope],
  );
  await tx.query(
    `UPDATE runs SET status = 'finished', finished_at = $1, exit_code = $2, ending = $3, counts = $4,
       read_requests = $5, write_requests = $6, retries = $7, drift_changes = $8, report_folder = $9
     WHERE run_id = $10`,
    [...runFinishValues(start, finish)],
  );
}

export async function writeRunNotified(tx: Query, runId: string, at: string): Promise<void> {
  await tx.query('UPDATE runs SET notified_at = $1 WHERE run_id = $2', [at, runId]);
}

export async function selectRuns(
  tx: Query,
  options: { limit?: number; command?: string } = {},
): Promise<RunEntry[]> {
  const limit = options.limit ?? null;
  const { rows } =
    options.command === undefined
      ? await tx.query<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT $1', [limit])
      : await tx.query<RunRow>('SELECT * FROM runs WHERE command = $1 ORDER BY id DESC LIMIT $2', [
          options.command,
          limit,
        ]);
  return rows.map(toEntry);
}

/**
 * Marks `died` every running run that is not alive any more (runs.ts `isRunDead`); returns
 * their IDs. The running rows are locked FOR UPDATE, so a run finishing meanwhile waits and
 * is then left alone (`status = 'running'` in the UPDATE).
 */
export async function markDiedRuns(tx: Query, onlooker: Onlooker, exceptRunId?: string): Promise<string[]> {
  const { rows } = await tx.query<RunRow>(
    "SELECT * FROM runs WHERE status = 'running' ORDER BY id FOR UPDATE",
  );
  if (rows.length === 0) return [];
  const holder = await selectHolder(tx);
  const died = rows
    .map(toEntry)
    .filter((run) => run.runId !== exceptRunId && isRunDead(run, holder, onlooker));
  if (died.length === 0) return [];
  await tx.query("UPDATE runs SET status = 'died' WHERE run_id = ANY($1::text[]) AND status = 'running'", [
    died.map((run) => run.runId),
  ]);
  return died.map((run) => run.runId);
}
