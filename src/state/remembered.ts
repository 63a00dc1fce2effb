import type { RememberedAgent, RememberedDepartment, RememberedMembership } from '../model/remembered.js';
import type { Profile } from '../model/vocabulary.js';
import type { Sql } from './sql.js';

/** One agents row as `selectRememberedAgents` reads it. */
type RememberedAgentRow = [
  accountId: number,
  email: string,
  textLimit: number | null,
  fingerprint: string | null,
  name: string | null,
  profile: Profile | null,
];

const REMEMBERED_AGENTS =
  'SELECT account_id, email, text_limit, password_fingerprint, name, profile FROM agents ORDER BY account_id, email';

/**
 * Every agent row as the planner needs it, in one pass: rows come as plain arrays straight into
 * the records kept. At 100,000 agents, reading row objects first and copying them twice to drop
 * columns took ~300 ms CPU and left three arrays of garbage; this takes ~110 ms.
 */
export function selectRememberedAgents(sql: Sql): RememberedAgent[] {
  // The statement is this function's own (sql.prepare caches it by text), so raw mode stays with it.
  const rows = sql.prepare(REMEMBERED_AGENTS).raw(true).iterate() as Iterable<RememberedAgentRow>;
  const agents: RememberedAgent[] = [];
  for (const [accountId, email, textLimit, fingerprint, name, profile] of rows) {
    const agent: RememberedAgent = { accountId, email };
    if (textLimit !== null) agent.textLimit = textLimit;
    if (fingerprint !== null) agent.passwordFingerprint = fingerprint;
    if (name !== null) agent.name = name;
    if (profile !== null) agent.profile = profile;
    agents.push(agent);
  }
  return agents;
}

type RememberedDepartmentRow = [
  accountId: number,
  departmentId: number,
  name: string | null,
  description: string | null,
  active: 0 | 1 | null,
];

const REMEMBERED_DEPARTMENTS =
  'SELECT account_id, department_id, name, description, active FROM departments ORDER BY account_id, department_id';

/** The department values apply last made (CONTRACT §14), as the planner needs them. */
export function selectRememberedDepartments(sql: Sql): RememberedDepartment[] {
  const rows = sql.prepare(REMEMBERED_DEPARTMENTS).raw(true).iterate() as Iterable<RememberedDepartmentRow>;
  const departments: RememberedDepartment[] = [];
  for (const [accountId, departmentId, name, description, active] of rows) {
    const department: RememberedDepartment = { accountId, departmentId };
    if (name !== null) department.name = name;
    if (description !== null) department.description = description;
    if (active !== null) department.active = active === 1;
    departments.push(department);
  }
  return departments;
}

type RememberedMembershipRow = [
  accountId: number,
  departmentId: number,
  kind: 'agent' | 'channel',
  member: string,
  present: 0 | 1,
];

const REMEMBERED_MEMBERSHIPS =
  'SELECT account_id, department_id, kind, member, present FROM memberships ORDER BY account_id, department_id, kind, member';

/** The memberships apply last made or undid, one record per agent or channel of a department. */
export function selectRememberedMemberships(sql: Sql): RememberedMembership[] {
  const rows = sql.prepare(REMEMBERED_MEMBERSHIPS).raw(true).iterate() as Iterable<RememberedMembershipRow>;
  const memberships: RememberedMembership[] = [];
  for (const [accountId, departmentId, kind, member, present] of rows) {
    memberships.push({ accountId, departmentId, kind, member, present: present === 1 });
  }
  return memberships;
}
