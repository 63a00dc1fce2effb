import type { RememberedAgent, RememberedDepartment, RememberedMembership } from '../../model/remembered.js';
import type { Profile } from '../../model/vocabulary.js';
import type { DepartmentAppliedValues, MembershipChange } from '../departments.js';
import { rateKey } from '../learned-rate.js';
import type { Tx } from './pool.js';

/**
 * What apply last made of agents, departments and memberships (drift, CONTRACT §14) and the rate
 * `--rate auto` learned, in PostgreSQL: departments.ts, remembered.ts and learned-rate.ts (the
 * SQLite store's) statement for statement. Text keys are ordered as SQLite does (bytes, "C").
 */

type Query = Pick<Tx, 'query'>;

export async function writeDepartmentApplied(
  tx: Query,
  now: string,
  accountId: number,
  departmentId: number,
  values: DepartmentAppliedValues,
): Promise<void> {
  await tx.query(
    `INSERT INTO departments AS d (account_id, department_id, name, description, active, last_applied_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (account_id, department_id) DO UPDATE SET
       name = coalesce(excluded.name, d.name),
       description = coalesce(excluded.description, d.description),
       active = coalesce(excluded.active, d.active),
       last_applied_at = excluded.last_applied_at`,
    [
      accountId,
      departmentId,
      values.name ?? null,
      values.description ?? null,
      values.active === undefined ? null : values.active ? 1 : 0,
      now,
    ],
  );
}

/** One statement for the whole batch (a department's batch can hold thousands of agents). */
export async function writeMemberships(tx: Query, change: MembershipChange): Promise<void> {
  if (change.members.length === 0) return;
  // DISTINCT: a member twice in one batch would otherwise be a second update of one row, an error here.
  await tx.query(
    `INSERT INTO memberships AS m (account_id, department_id, kind, member, present)
     SELECT DISTINCT $1::bigint, $2::bigint, $3, member, $5::smallint FROM unnest($4::text[]) AS r(member)
     ON CONFLICT (account_id, department_id, kind, member) DO UPDATE SET present = excluded.present`,
    [change.accountId, change.departmentId, change.kind, change.members, change.present ? 1 : 0],
  );
}

export async function selectRememberedAgents(tx: Query): Promise<RememberedAgent[]> {
  const { rows } = await tx.query<{
    account_id: number;
    email: string;
    text_limit: number | null;
    password_fingerprint: string | null;
    name: string | null;
    profile: Profile | null;
  }>(
    'SELECT account_id, email, text_limit, password_fingerprint, name, profile FROM agents ORDER BY account_id, email COLLATE "C"',
  );
  return rows.map((row) => {
    const agent: RememberedAgent = { accountId: row.account_id, email: row.email };
    if (row.text_limit !== null) agent.textLimit = row.text_limit;
    if (row.password_fingerprint !== null) agent.passwordFingerprint = row.password_fingerprint;
    if (row.name !== null) agent.name = row.name;
    if (row.profile !== null) agent.profile = row.profile;
    return agent;
  });
}

export async function selectRememberedDepartments(tx: Query): Promise<RememberedDepartment[]> {
  const { rows } = await tx.query<{
    account_id: number;
    department_id: number;
    name: string | null;
    description: string | null;
    active: number | null;
  }>(
    'SELECT account_id, department_id, name, description, active FROM departments ORDER BY account_id, department_id',
  );
  return rows.map((row) => {
    const department: RememberedDepartment = { accountId: row.account_id, departmentId: row.department_id };
    if (row.name !== null) department.name = row.name;
    if (row.description !== null) department.description = row.description;
    if (row.active !== null) department.active = row.active === 1;
    return department;
  });
}

export async function selectRememberedMemberships(tx: Query): Promise<RememberedMembership[]> {
  const { rows } = await tx.query<{
    account_id: number;
    department_id: number;
    kind: 'agent' | 'channel';
    member: string;
    present: number;
  }>(
    `SELECT account_id, department_id, kind, member, present FROM memberships
     ORDER BY account_id, department_id, kind COLLATE "C", member COLLATE "C"`,
  );
  return rows.map((row) => ({
    accountId: row.account_id,
    departmentId: row.department_id,
    kind: row.kind,
    member: row.member,
    present: row.present === 1,
  }));
}

export async function selectLearnedRate(tx: Query, baseUrl: string): Promise<number | undefined> {
  const { rows } = await tx.query<{ rate: number }>('SELECT rate FROM learned_rates WHERE base_url = $1', [
    rateKey(baseUrl),
  ]);
  return rows[0]?.rate;
}

export async function writeLearnedRate(tx: Query, now: string, baseUrl: string, rate: number): Promise<void> {
  await tx.query(
    `INSERT INTO learned_rates (base_url, rate, learned_at) VALUES ($1, $2, $3)
     ON CONFLICT (base_url) DO UPDATE SET rate = excluded.rate, learned_at = excluded.learned_at`,
    [rateKey(baseUrl), rate, now],
  );
}
