import type { OmnizeId } from '../model/vocabulary.js';
import type { Sql } from './sql.js';

/**
 * What apply last made of departments and memberships (CONTRACT §14: drift). Written in the
 * transaction that settles the write that made it (see `JournalBatch.later`); never a secret.
 */

/** The department values a successful write sent; undefined ones are left as they are. */
export interface DepartmentAppliedValues {
  name?: string;
  description?: string;
  active?: boolean;
}

export function writeDepartmentApplied(
  sql: Sql,
  accountId: OmnizeId,
  departmentId: OmnizeId,
  values: DepartmentAppliedValues,
): void {
  sql
    .prepare(
      `INSERT INTO departments (account_id, department_id, name, description, active, last_applied_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, department_id) DO UPDATE SET
         name = coalesce(excluded.name, name),
         description = coalesce(excluded.description, description),
         active = coalesce(excluded.active, active),
         last_applied_at = excluded.last_applied_at`,
    )
    .run(
      accountId,
      departmentId,
      values.name ?? null,
      values.description ?? null,
      values.active === undefined ? null : values.active ? 1 : 0,
      sql.now(),
    );
}

/** Members a successful write made present (added, or sent in a create) or not (removed). */
export interface MembershipChange {
  accountId: OmnizeId;
  departmentId: OmnizeId;
  kind: 'agent' | 'channel';
  /** Lower-cased e-mails, or channels. */
  members: readonly string[];
  present: boolean;
}

/** One prepared statement for the whole batch: a department's batch can hold thousands of agents. */
export function writeMemberships(sql: Sql, change: MembershipChange): void {
  const upsert = sql.prepare(
    `INSERT INTO memberships (account_id, department_id, kind, member, present) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, department_id, kind, member) DO UPDATE SET present = excluded.present`,
  );
  const present = change.present ? 1 : 0;
  for (const member of change.members) {
    upsert.run(change.accountId, change.departmentId, change.kind, member, present);
  }
}
