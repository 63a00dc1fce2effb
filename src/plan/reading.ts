import type { Desired } from '../model/desired.js';
import type { Remembered } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { PlanBuilder } from './builder.js';
import { type PlanScope, selectsAccount } from './run-scope.js';
import { resolveAccounts } from './scope.js';

/**
 * The existing accounts whose departments and agents the live reader must fetch
 * for `makePlan`: every account the manifest names by key or ID and the state
 * store (or an `account_id` column) gives an ID, except those marked deleted;
 * in a scoped run, only those the scope selects.
 * An account in this list that Observed lacks is not planned inside (a notice
 * says so), so read all of them. Not a list of accounts to write to.
 */
export function accountIdsToRead(
  desired: Desired,
  remembered: Remembered,
  runScope: PlanScope | null = null,
): OmnizeId[] {
  const { scopes } = resolveAccounts(desired, remembered, new PlanBuilder());
  const ids = new Set<OmnizeId>();
  for (const scope of scopes) {
    if (runScope !== null && !selectsAccount(runScope, scope)) continue;
    if (scope.existingId !== undefined && scope.desired?.status !== 'deleted') ids.add(scope.existingId);
  }
  return [...ids];
}
