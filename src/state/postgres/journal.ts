import { redactSecrets, redactString } from '../../log/redact.js';
import {
  type JournalBeginInput,
  type JournalEntry,
  type JournalRow,
  type JournalSettlement,
  toEntry,
} from '../journal.js';
import type { Tx } from './pool.js';

/** The write journal in PostgreSQL: journal.ts's statements, with the same masking of secrets. */

type Query = Pick<Tx, 'query'>;

/** Inserts the entries of a group in one statement; their IDs come back in the order given. */
export async function insertJournalEntries(
  tx: Query,
  now: string,
  inputs: readonly JournalBeginInput[],
): Promise<number[]> {
  if (inputs.length === 0) return [];
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO journal (run_id, action_id, kind, account_key, target, request, begun_at)
     SELECT run_id, action_id, kind, account_key, target, request, $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         WITH ORDINALITY AS r(run_id, action_id, kind, account_key, target, request, n)
       ORDER BY n
     RETURNING id`,
    [
      inputs.map((input) => input.runId),
      inputs.map((input) => input.actionId),
      inputs.map((input) => input.kind),
      inputs.map((input) => input.accountKey ?? null),
      inputs.map((input) => redactString(input.target)),
      inputs.map((input) => JSON.stringify(redactSecrets(input.request) ?? null)),
      now,
    ],
  );
  // IDs are drawn in the SELECT's order (ORDER BY n), so sorting them gives the inputs' order.
  return rows.map((row) => row.id).sort((left, right) => left - right);
}

export async function settleJournalEntry(
  tx: Query,
  now: string,
  entryId: number,
  settlement: JournalSettlement,
): Promise<boolean> {
  const error = settlement.error === undefined ? null : redactString(settlement.error);
  const result = await tx.query(
    `UPDATE journal SET settled_at = $1, outcome = $2, remote_id = $3, error = $4
     WHERE id = $5 AND settled_at IS NULL`,
    [now, settlement.outcome, settlement.remoteId ?? null, error, entryId],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The settlements of a group in one statement (each entry's first settlement wins, as above). */
export async function settleJournalEntries(
  tx: Query,
  now: string,
  settlements: readonly { entryId: number; settlement: JournalSettlement }[],
): Promise<number> {
  if (settlements.length === 0) return 0;
  const result = await tx.query(
    `UPDATE journal AS j SET settled_at = $1, outcome = s.outcome, remote_id = s.remote_id, error = s.error
     FROM (SELECT DISTINCT ON (id) id, outcome, remote_id, error
             FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY
               AS u(id, outcome, remote_id, error, n)
             ORDER BY id, n) AS s
     WHERE j.id = s.id AND j.settled_at IS NULL`,
    [
      now,
      settlements.map(({ entryId }) => entryId),
      settlements.map(({ settlement }) => settlement.outcome),
      settlements.map(({ settlement }) => settlement.remoteId ?? null),
      settlements.map(({ settlement }) =>
        settlement.error === undefined ? null : redactString(settlement.error),
      ),
    ],
  );
  return result.rowCount ?? 0;
}

export async function selectUnsettled(tx: Query, exceptRunId?: string): Promise<JournalEntry[]> {
  const { rows } = await tx.query<JournalRow>(
    `SELECT * FROM journal
     WHERE settled_at IS NULL AND resolved_at IS NULL AND run_id IS DISTINCT FROM $1
     ORDER BY begun_at, id`,
    [exceptRunId ?? null],
  );
  return rows.map(toEntry);
}

export async function selectRunJournal(tx: Query, runId: string): Promise<JournalEntry[]> {
  const { rows } = await tx.query<JournalRow>('SELECT * FROM journal WHERE run_id = $1 ORDER BY id', [runId]);
  return rows.map(toEntry);
}

export async function resolveJournalEntries(
  tx: Query,
  now: string,
  entryIds: readonly number[],
  resolution: string,
): Promise<number> {
  if (entryIds.length === 0) return 0;
  const result = await tx.query(
    `UPDATE journal SET resolved_at = $1, resolution = $2
     WHERE id = ANY($3::bigint[]) AND resolved_at IS NULL`,
    [now, redactString(resolution), [...entryIds]],
  );
  return result.rowCount ?? 0;
}

export async function pruneJournal(tx: Query, before: Date): Promise<number> {
  const cutoff = before.toISOString();
  const result = await tx.query(
    `DELETE FROM journal
     WHERE (settled_at IS NOT NULL AND settled_at < $1) OR (resolved_at IS NOT NULL AND resolved_at < $1)`,
    [cutoff],
  );
  return result.rowCount ?? 0;
}
