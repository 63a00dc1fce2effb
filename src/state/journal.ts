import { redactSecrets, redactString } from '../log/redact.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { Sql } from './sql.js';

/**
 * The write journal: every write request is recorded before it is sent and
 * settled after, so a run that died in between leaves entries that the next
 * run can find (`unsettledJournal`) and look up before sending again.
 */

/** Settled and resolved entries older than this are dropped when a run takes the lock; a nightly job would otherwise grow the file forever. */
export const JOURNAL_RETENTION_DAYS = 90;

export type JournalOutcome = 'ok' | 'failed' | 'unknown';

export interface JournalBeginInput {
  runId: string;
  /** The plan's ID of the action this request belongs to. */
  actionId: string;
  /** The action kind, e.g. `account.create`. */
  kind: string;
  accountKey?: string;
  /** What the request acts on, for people: an e-mail, a department name, an account key. */
  target: string;
  /** A summary of the request; secrets are masked again here before it is stored, but callers should leave them out. */
  request: unknown;
}

export interface JournalSettlement {
  outcome: JournalOutcome;
  remoteId?: OmnizeId;
  error?: string;
}

export interface JournalEntry {
  id: number;
  runId: string;
  actionId: string;
  kind: string;
  accountKey: string | null;
  target: string;
  request: unknown;
  begunAt: string;
  /** Null while the request's outcome has not been recorded (in flight, or the run died). */
  settledAt: string | null;
  outcome: JournalOutcome | null;
  remoteId: OmnizeId | null;
  error: string | null;
  /** Set when a later run has dealt with an entry its own run never settled. */
  resolvedAt: string | null;
  resolution: string | null;
}

export interface JournalRow {
  id: number;
  run_id: string;
  action_id: string;
  kind: string;
  account_key: string | null;
  target: string;
  request: string;
  begun_at: string;
  settled_at: string | null;
  outcome: JournalOutcome | null;
  remote_id: number | null;
  error: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

export function insertJournalEntry(sql: Sql, input: JournalBeginInput): number {
  const result = sql
    .prepare(
      `INSERT INTO journal (run_id, action_id, kind, account_key, target, request, begun_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      input.runId,
      input.actionId,
      input.kind,
      input.accountKey ?? null,
      redactString(input.target),
      JSON.stringify(redactSecrets(input.request) ?? null),
      sql.now(),
    );
  return Number(result.lastInsertRowid);
}

/** Returns false when the entry does not exist or was settled already (the first settlement wins). */
export function settleJournalEntry(sql: Sql, entryId: number, settlement: JournalSettlement): boolean {
  const error = settlement.error === undefined ? null : redactString(settlement.error);
  return (
    sql
      .prepare(
        `UPDATE journal SET settled_at = ?, outcome = ?, remote_id = ?, error = ?
         WHERE id = ? AND settled_at IS NULL`,
      )
      .run(sql.now(), settlement.outcome, settlement.remoteId ?? null, error, entryId).changes > 0
  );
}

/** Entries begun and never settled nor resolved, oldest first; `exceptRunId` leaves out the current run's own. */
export function selectUnsettled(sql: Sql, exceptRunId?: string): JournalEntry[] {
  const rows = sql
    .prepare(
      `SELECT * FROM journal WHERE settled_at IS NULL AND resolved_at IS NULL AND run_id IS NOT ?
       ORDER BY begun_at, id`,
    )
    .all(exceptRunId ?? null) as JournalRow[];
  return rows.map(toEntry);
}

export function selectRunJournal(sql: Sql, runId: string): JournalEntry[] {
  return (sql.prepare('SELECT * FROM journal WHERE run_id = ? ORDER BY id').all(runId) as JournalRow[]).map(
    toEntry,
  );
}

/** Marks entries as dealt with by a later run; returns how many were still open. */
export function resolveJournalEntries(sql: Sql, entryIds: readonly number[], resolution: string): number {
  const statement = sql.prepare(
    'UPDATE journal SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL',
  );
  let resolved = 0;
  for (const id of entryIds) resolved += statement.run(sql.now(), redactString(resolution), id).changes;
  return resolved;
}

/** Drops entries finished before `before` (settled or resolved); open ones are kept whatever their age. */
export function pruneJournal(sql: Sql, before: Date): number {
  const cutoff = before.toISOString();
  return sql
    .prepare(
      `DELETE FROM journal
       WHERE (settled_at IS NOT NULL AND settled_at < ?) OR (resolved_at IS NOT NULL AND resolved_at < ?)`,
    )
    .run(cutoff, cutoff).changes;
}

export function toEntry(row: JournalRow): JournalEntry {
  return {
    id: row.id,
    runId: row.run_id,
    actionId: row.action_id,
    kind: row.kind,
    accountKey: row.account_key,
    target: row.target,
    request: JSON.parse(row.request) as unknown,
    begunAt: row.begun_at,
    settledAt: row.settled_at,
    outcome: row.outcome,
    remoteId: row.remote_id,
    error: row.error,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  };
}
