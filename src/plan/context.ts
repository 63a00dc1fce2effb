import type { ObservedAccountContents } from '../model/observed.js';
import type { RememberedAgent, RememberedDepartment } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { IdRef } from './action.js';
import type { PlanBuilder } from './builder.js';
import type { PruneScope } from './prune.js';
import type { AccountScope } from './scope.js';
import type { PlanOptions } from './types.js';

/** Everything the department, agent and membership planners need about one account. Internal to the planner. */
export interface AccountContext {
  scope: AccountScope;
  /** The account's ID, a reference to its create action when it is new. */
  accountId: IdRef;
  /** The account's create action, which every create inside it depends on. */
  accountCreateId?: string;
  /** What the API shows inside the account; empty for an account to be created. */
  contents: ObservedAccountContents;
  /** Last applied agent values of this account, by lower-cased e-mail. */
  rememberedAgents: Map<string, RememberedAgent>;
  /** What apply last made of this account's departments and memberships (CONTRACT §14). */
  recorded: AccountRecords;
  prune: PruneScope;
  options: PlanOptions;
  builder: PlanBuilder;
}

/** `dependsOn` for a create inside the account: its own create, when the account is new. */
export function accountDependency(context: AccountContext): string[] {
  return context.accountCreateId === undefined ? [] : [context.accountCreateId];
}

/** The department values and memberships apply last made inside one account, for causes. */
export interface AccountRecords {
  departments: Map<OmnizeId, RememberedDepartment>;
  /** Whether apply last made the membership present, by `membershipKey`; absent: never recorded. */
  memberships: Map<string, boolean>;
}

export const NO_RECORDS: AccountRecords = { departments: new Map(), memberships: new Map() };

/** The key of one membership in `AccountRecords.memberships`: an agent by lower-cased e-mail, or a channel. */
export function membershipKey(departmentId: OmnizeId, kind: 'agent' | 'channel', member: string): string {
  return `${departmentId} ${kind} ${member}`;
}
