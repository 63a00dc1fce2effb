import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { LockHeldError } from '../errors.js';
import type { Sql } from './sql.js';

/**
 * The run lock: one row in the store, taken atomically (BEGIN IMMEDIATE), so
 * two runs against one store never overlap. Its holder refreshes a heartbeat;
 * a holder that died (crash, `kill -9`, a lost container) stops refreshing it,
 * and its lock is taken over with a warning. There is no manual unlock.
 */

/** How often a holder refreshes its heartbeat. */
export const LOCK_HEARTBEAT_INTERVAL_MS = 10_000;
/** A heartbeat older than this means the holder is dead: six missed beats, room for a busy event loop or a slow disk. */
export const LOCK_STALE_AFTER_MS = 60_000;
/** Slack when comparing process start times: `Date.now() - process.uptime()` drifts by a few milliseconds between calls. */
const SAME_PID_SLACK_MS = 1_000;

/** Who holds (or held) the lock. */
export interface LockHolder {
  runId: string;
  host: string;
  pid: number;
  /** Which process ID space `pid` belongs to (see `currentPidScope`). */
  pidScope: string;
  command: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601, refreshed every LOCK_HEARTBEAT_INTERVAL_MS while the holder lives. */
  heartbeatAt: string;
  /** When the holder's process started (wall clock), when it took the lock for itself; tells pid reuse apart. */
  processStartedAt: string | null;
}

export interface LockRequest {
  runId: string;
  host: string;
  pid: number;
  /** e.g. `apply`, `state adopt`. */
  command: string;
  /** Defaults to this process's (`currentPidScope()`). */
  pidScope?: string;
}

/**
 * Whether taking the lock for `request` also drops old journal entries (a scan of the whole
 * journal: ~45 ms at 100,000 entries). A plan writes no entry, so it leaves that to the next apply.
 */
export function prunesJournal(request: LockRequest): boolean {
  return request.command !== 'plan';
}

export type LockResult =
  | { acquired: true; tookOverFrom?: LockHolder }
  | { acquired: false; holder: LockHolder };

export interface LockRow {
  run_id: string;
  host: string;
  pid: number;
  pid_scope: string;
  command: string;
  started_at: string;
  heartbeat_at: string;
  process_started_at: string | null;
}

/**
 * Identifies the space a pid means something in: the boot and the pid
 * namespace on Linux. Two containers can share a host name (a fixed
 * `hostname:` in compose) and a state file, yet not see each other's
 * processes; a pid is only checked where it is meaningful.
 */
export function currentPidScope(): string {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return `host:${hostname()}`;
  }
}

/** True unless the system says no such process exists (EPERM: it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The lock row a taker writes, in the column order of both backends' INSERT (run_id, host, pid,
 * pid_scope, command, started_at, heartbeat_at, process_started_at): a renewal by the same run
 * keeps its start.
 */
export function lockRowValues(request: LockRequest, current: LockHolder | undefined, now: string) {
  return [
    request.runId,
    request.host,
    request.pid,
    request.pidScope ?? currentPidScope(),
    request.command,
    current?.runId === request.runId ? current.startedAt : now,
    now,
    request.pid === process.pid ? processStartedAt().toISOString() : null,
  ] as const;
}

/** Runs inside the store's IMMEDIATE transaction, so checking and taking are one step. */
export function takeLock(sql: Sql, request: LockRequest): LockResult {
  const current = selectHolder(sql);
  if (current !== undefined && current.runId !== request.runId) {
    if (!isHolderDead(current, request, sql.now())) return { acquired: false, holder: current };
  }
  const now = sql.now();
  sql
    .prepare(
      `INSERT OR REPLACE INTO run_lock
         (id, run_id, host, pid, pid_scope, command, started_at, heartbeat_at, process_started_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(...lockRowValues(request, current, now));
  return current === undefined || current.runId === request.runId
    ? { acquired: true }
    : { acquired: true, tookOverFrom: current };
}

/** False when the lock is no longer this run's (taken over after a stall): the run must stop writing. */
export function refreshHeartbeat(sql: Sql, runId: string): boolean {
  return (
    sql.prepare('UPDATE run_lock SET heartbeat_at = ? WHERE run_id = ?').run(sql.now(), runId).changes > 0
  );
}

export function deleteLock(sql: Sql, runId: string): boolean {
  return sql.prepare('DELETE FROM run_lock WHERE run_id = ?').run(runId).changes > 0;
}

export function selectHolder(sql: Sql): LockHolder | undefined {
  const row = sql.prepare('SELECT * FROM run_lock WHERE id = 1').get() as LockRow | undefined;
  return row === undefined ? undefined : toHolder(row);
}

export function toHolder(row: LockRow): LockHolder {
  return {
    runId: row.run_id,
    host: row.host,
    pid: row.pid,
    pidScope: row.pid_scope,
    command: row.command,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    processStartedAt: row.process_started_at,
  };
}

/**
 * Dead when its heartbeat is stale, or — where its pid can be checked (same
 * host and pid space) — when no process has that pid, or the pid is ours but
 * belonged to an earlier process (a restarted container reuses pids).
 */
export function isHolderDead(
  holder: LockHolder,
  request: LockRequest,
  now: string,
  staleAfterMs = LOCK_STALE_AFTER_MS,
): boolean {
  if (Date.parse(now) - Date.parse(holder.heartbeatAt) > staleAfterMs) return true;
  const pidScope = request.pidScope ?? currentPidScope();
  if (holder.host !== request.host || holder.pidScope !== pidScope) return false;
  if (holder.pid === process.pid) {
    if (holder.processStartedAt === null) return false;
    return Math.abs(Date.parse(holder.processStartedAt) - processStartedAt().getTime()) > SAME_PID_SLACK_MS;
  }
  return !isProcessAlive(holder.pid);
}

/** Wall-clock start of this process: with the pid, it names one process even across pid reuse. */
export function processStartedAt(): Date {
  return new Date(Math.round(Date.now() - process.uptime() * 1000));
}

/** The refusal a second run prints (exit 1): who holds the lock, since when, and why no unlock is needed. */
export function lockHeldError(holder: LockHolder, statePath: string): LockHeldError {
  return new LockHeldError(
    `the state store ${statePath} is in use by another run (${holder.command}): ` +
      `host ${holder.host}, pid ${holder.pid}, since ${holder.startedAt} (last heartbeat ${holder.heartbeatAt}). ` +
      `Wait for it to finish; if it died, its lock is taken over once its heartbeat is older than ${LOCK_STALE_AFTER_MS / 1000} s.`,
  );
}

/** The warning a run logs when it takes over the lock of a dead one. */
export function lockTakeoverMessage(holder: LockHolder): string {
  return (
    `took over the state store lock of a run that is no longer alive (${holder.command}: host ${holder.host}, ` +
    `pid ${holder.pid}, since ${holder.startedAt}, last heartbeat ${holder.heartbeatAt}); ` +
    'writes it left unsettled are checked before anything is sent again'
  );
}
