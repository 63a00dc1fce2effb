import type { OmnizeId, Profile } from '../model/vocabulary.js';

/**
 * Managed values that already matched when apply ran (CONTRACT §14): the manifest's value equals
 * the live value read for the run, and the state store's record of it is missing or differs. An
 * apply records them as if it had made them, so a later change in Omnize is `drift`, not `new`.
 * Never a secret: names, profiles, descriptions, statuses and memberships only.
 */
export interface Confirmed {
  agents: ConfirmedAgent[];
  departments: ConfirmedDepartment[];
  memberships: ConfirmedMemberships[];
}

/** An agent's matching values; each absent when it did not match or is recorded already. */
export interface ConfirmedAgent {
  accountId: OmnizeId;
  /** Lower-cased e-mail, as the store keys agents. */
  email: string;
  name?: string;
  profile?: Profile;
}

export interface ConfirmedDepartment {
  accountId: OmnizeId;
  departmentId: OmnizeId;
  name?: string;
  description?: string;
  active?: boolean;
}

/** Members of one department that are (`present`) or are not members, as the manifest and the live state agree. */
export interface ConfirmedMemberships {
  accountId: OmnizeId;
  departmentId: OmnizeId;
  kind: 'agent' | 'channel';
  /** Lower-cased e-mails, or channels. */
  members: string[];
  present: boolean;
}

export function noneConfirmed(): Confirmed {
  return { agents: [], departments: [], memberships: [] };
}

/** How many values a Confirmed holds (each membership counts one), for logs and tests. */
export function countConfirmed(confirmed: Confirmed): number {
  let count = 0;
  for (const agent of confirmed.agents)
    count += Number(agent.name !== undefined) + Number(agent.profile !== undefined);
  for (const department of confirmed.departments) {
    count +=
      Number(department.name !== undefined) +
      Number(department.description !== undefined) +
      Number(department.active !== undefined);
  }
  for (const batch of confirmed.memberships) count += batch.members.length;
  return count;
}
