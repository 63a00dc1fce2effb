import type { Desired } from '../model/desired.js';
import type { Observed, ObservedAccountContents } from '../model/observed.js';
import type { Remembered, RememberedAgent } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { planAccount, pruneAbsentAccounts } from './accounts.js';
import { ACTION_KINDS, type ActionKind, type PlannedAction } from './action.js';
import { planAgents } from './agents.js';
import { PlanBuilder } from './builder.js';
import { type Confirmed, noneConfirmed } from './confirm.js';
import { type AccountContext, type AccountRecords, membershipKey, NO_RECORDS } from './context.js';
import { planDepartments } from './departments.js';
import { judgeGuard } from './guard.js';
import { planMemberships } from './memberships.js';
import { decidePrune, type PruneScope } from './prune.js';
import { selectsAccount } from './run-scope.js';
import { type AccountScope, resolveAccounts } from './scope.js';
import type { Plan, PlanOptions } from './types.js';

const NOTHING_READ: ObservedAccountContents = { agents: [], departments: [] };

/**
 * Makes the plan: what to write so the live state matches the manifest.
 * Pure: it reads only its arguments (the clock included) and returns a value;
 * the same inputs give the same plan, action IDs and order included.
 *
 * Order: account by account (manifest order, then accounts named only by other
 * rows, then accounts pruned), and inside each: the account's own actions, then
 * departments, agents and memberships — so every action comes after what it
 * depends on. A plan for a world that already matches has no actions.
 *
 * A scoped run (`options.scope`) plans only the accounts the scope selects; the rows of the
 * others are not looked at (nor noticed), no account the manifest omits is pruned, and the
 * guard's percentage counts the entities inside the scope only.
 */
export function makePlan(
  desired: Desired,
  observed: Observed,
  remembered: Remembered,
  options: PlanOptions,
  clock: () => Date,
): Plan {
  return planInto(new PlanBuilder(), desired, observed, remembered, options, clock);
}

/**
 * The plan an apply runs, and the managed values that already match (CONTRACT §14, see
 * `Confirmed`), found in the same pass where the planner compares each field: the same
 * matching (e-mail, department name, renamed departments), the same scope, the same columns.
 */
export function makePlanAndConfirm(
  desired: Desired,
  observed: Observed,
  remembered: Remembered,
  options: PlanOptions,
  clock: () => Date,
): { plan: Plan; confirmed: Confirmed } {
  const builder = new PlanBuilder({ confirmed: noneConfirmed() });
  const plan = planInto(builder, desired, observed, remembered, options, clock);
  return { plan, confirmed: builder.confirmed! };
}

/**
 * Only the values that already match, as `makePlanAndConfirm` finds them, keeping no action: for
 * `apply --plan FILE`, which runs the saved plan but reads the manifest and the live state again.
 */
export function confirmMatching(
  desired: Desired,
  observed: Observed,
  remembered: Remembered,
  options: PlanOptions,
): Confirmed {
  const builder = new PlanBuilder({ confirmed: noneConfirmed(), keepsActions: false });
  planInto(builder, desired, observed, remembered, options, () => new Date(0));
  return builder.confirmed!;
}

function planInto(
  builder: PlanBuilder,
  desired: Desired,
  observed: Observed,
  remembered: Remembered,
  options: PlanOptions,
  clock: () => Date,
): Plan {
  const runScope = options.scope ?? null;
  const prune = decidePrune(desired, remembered, options.prune, builder);
  // In a scoped run, the notices about other accounts' rows are not this plan's.
  const resolution = resolveAccounts(desired, remembered, runScope === null ? builder : new PlanBuilder());
  const rememberedAgents = rememberedAgentsByAccount(remembered);
  const records = recordsByAccount(remembered);
  for (const scope of resolution.scopes) {
    if (runScope !== null && !selectsAccount(runScope, scope)) continue;
    builder.inScope += 1;
    const access = planAccount(scope, builder, options.allowDelete);
    if (access === undefined) continue;
    const contents = contentsOf(scope, access.accountId, observed, prune, builder);
    if (contents === undefined) continue;
    const context: AccountContext = {
      scope,
      accountId: access.accountId,
      ...(access.createId === undefined ? {} : { accountCreateId: access.createId }),
      contents,
      rememberedAgents:
        typeof access.accountId === 'number'
          ? (rememberedAgents.get(access.accountId) ?? new Map())
          : new Map(),
      recorded:
        typeof access.accountId === 'number' ? (records.get(access.accountId) ?? NO_RECORDS) : NO_RECORDS,
      prune,
      options,
      builder,
    };
    const departments = planDepartments(context);
    const agents = planAgents(context);
    planMemberships(context, departments, agents);
  }
  if (prune.accounts && runScope === null) pruneAbsentAccounts(remembered, resolution, builder);
  if (prune.accounts && runScope !== null) {
    builder.notice({
      kind: 'prune-kind-skipped',
      message:
        '--prune deactivates no account the manifest omits in a scoped run: only the accounts of --account/--account-id are planned',
    });
  }
  return {
    formatVersion: 1,
    createdAt: clock().toISOString(),
    rememberedSerial: remembered.serial,
    scope: runScope,
    actions: builder.actions,
    notices: builder.notices,
    passwordsToRecord: builder.passwordsToRecord,
    counts: countByKind(builder.actions),
    guard: judgeGuard(builder.actions, builder.inScope, options.maxDeactivations),
  };
}

/**
 * What the API showed inside an existing account, or empty for one to be created.
 * An existing account nobody read is left alone when the plan needs its contents:
 * planning it as empty would create every department and agent a second time.
 */
function contentsOf(
  scope: AccountScope,
  accountId: AccountContext['accountId'],
  observed: Observed,
  prune: PruneScope,
  builder: PlanBuilder,
): ObservedAccountContents | undefined {
  if (typeof accountId !== 'number') return NOTHING_READ;
  const contents = observed.accounts.get(accountId);
  if (contents !== undefined) return contents;
  const needed = scope.departments.length + scope.agents.length > 0 || prune.departments || prune.agents;
  if (needed) {
    builder.notice({
      kind: 'account-not-read',
      account: scope.label,
      message: `the live state of account ${scope.label} (ID ${accountId}) was not read; its departments and agents are not planned`,
    });
  }
  return undefined;
}

function rememberedAgentsByAccount(remembered: Remembered): Map<OmnizeId, Map<string, RememberedAgent>> {
  const byAccount = new Map<OmnizeId, Map<string, RememberedAgent>>();
  // An indexed loop: it runs once over every agent, mostly before the optimiser steps in, where
  // each step of an iterator would allocate its result.
  for (let index = 0; index < remembered.agents.length; index += 1) {
    const agent = remembered.agents[index]!;
    let agents = byAccount.get(agent.accountId);
    if (agents === undefined) {
      agents = new Map();
      byAccount.set(agent.accountId, agents);
    }
    agents.set(agent.email, agent);
  }
  return byAccount;
}

/** Department values and memberships apply last made, by account (CONTRACT §14). */
function recordsByAccount(remembered: Remembered): Map<OmnizeId, AccountRecords> {
  const byAccount = new Map<OmnizeId, AccountRecords>();
  const of = (accountId: OmnizeId) => {
    let records = byAccount.get(accountId);
    if (records === undefined) {
      records = { departments: new Map(), memberships: new Map() };
      byAccount.set(accountId, records);
    }
    return records;
  };
  for (const department of remembered.departments ?? []) {
    of(department.accountId).departments.set(department.departmentId, department);
  }
  const memberships = remembered.memberships ?? [];
  for (let index = 0; index < memberships.length; index += 1) {
    const { accountId, departmentId, kind, member, present } = memberships[index]!;
    of(accountId).memberships.set(membershipKey(departmentId, kind, member), present);
  }
  return byAccount;
}

function countByKind(actions: readonly PlannedAction[]): Record<ActionKind, number> {
  const counts = Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>;
  for (const action of actions) counts[action.kind] += 1;
  return counts;
}
