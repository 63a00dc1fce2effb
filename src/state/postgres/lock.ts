import {
  isHolderDead,
  type LockHolder,
  type LockRequest,
  type LockResult,
  type LockRow,
  lockRowValues,
  toHolder,
} from '../lock.js';
import type { Tx } from './pool.js';

/**
 * The run lock across hosts: the lease row `run_lock` (holder: run, host, pid, heartbeat) as in
 * SQLite, taken under a transaction-level advisory lock. Two processes asking at once — on one
 * host or two — serialise on `pg_advisory_xact_lock`, so the second reads the row the first
 * wrote and is refused; the advisory lock ends with the transaction, so a holder that dies
 * leaves only its lease row, whose heartbeat then goes stale and is taken over.
 *
 * Times: with no clock given, "now" is the database's (`SERVER_NOW`), one clock for every host,
 * so a host whose own clock is off can neither take a live lease nor keep a dead one.
 */

/** The advisory lock key of the run lock (any constant; "omnz" in ASCII). */
export const RUN_LOCK_KEY = 0x6f6d6e7a;

/** The database's time as the store writes times: ISO 8601, UTC, milliseconds. */
export const SERVER_NOW = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

type Query = Pick<Tx, 'query'>;

/** Runs inside the caller's transaction; the advisory lock makes checking and taking one step. */
export async function takeLock(
  tx: Query,
  request: LockRequest,
  clockNow: string | undefined,
  staleAfterMs: number,
): Promise<{ result: LockResult; now: string }> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [RUN_LOCK_KEY]);
  const { rows } = await tx.query<LockRow & { server_now: string }>(
    `SELECT l.*, ${SERVER_NOW} AS server_now FROM (SELECT 1) AS one LEFT JOIN run_lock AS l ON l.id = 1`,
  );
  const row = rows[0];
  const now = clockNow ?? (row?.server_now as string);
  const current = row?.run_id == null ? undefined : toHolder(row);
  if (current !== undefined && current.runId !== request.runId) {
    if (!isHolderDead(current, request, now, staleAfterMs)) {
      return { result: { acquired: false, holder: current }, now };
    }
  }
  await tx.query(
    `INSERT INTO run_lock
       (id, run_id, host, pid, pid_scope, command, started_at, heartbeat_at, process_started_at)
     VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, host = excluded.host, pid = excluded.pid,
       pid_scope = excluded.pid_scope, command = excluded.command, started_at = excluded.started_at,
       heartbeat_at = excluded.heartbeat_at, process_started_at = excluded.process_started_at`,
    [...lockRowValues(request, current, now)],
  );
  const result: LockResult =
    current === undefined || current.runId === request.runId
      ? { acquired: true }
      : { acquired: true, tookOverFrom: current };
  return { result, now };
}

/** False when the lease is no longer this run's (taken over): the run must stop writing. */
export async function refreshHeartbeat(
  tx: Query,
  runId: string,
  clockNow: string | undefined,
): Promise<boolean> {
  const result = await tx.query(
    `UPDATE run_lock SET heartbeat_at = coalesce($2::text, ${SERVER_NOW}) WHERE run_id = $1`,
    [runId, clockNow ?? null],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function deleteLock(tx: Query, runId: string): Promise<boolean> {
  const result = await tx.query('DELETE FROM run_lock WHERE run_id = $1', [runId]);
  return (result.rowCount ?? 0) > 0;
}

export async function selectHolder(tx: Query): Promise<LockHolder | undefined> {
  const { rows } = await tx.query<LockRow>('SELECT * FROM run_lock WHERE id = 1');
  return rows[0] === undefined ? undefined : toHolder(rows[0]);
}
