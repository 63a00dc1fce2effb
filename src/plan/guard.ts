import { SafetyStop } from '../errors.js';
import type { PlannedAction } from './action.js';
import { deactivationLimit, formatMaxDeactivations, PERCENT_LIMIT_FLOOR } from './options.js';
import type { GuardVerdict, MaxDeactivations, Plan } from './types.js';

/**
 * How many entities that exist now the actions would deactivate, delete or take
 * out of a department. A delete waiting for `--allow-delete` will not run, and an
 * account created inactive in the same run was never live: neither counts.
 */
export function countDestructive(actions: readonly PlannedAction[]): number {
  let count = 0;
  for (const action of actions) {
    if (action.requires !== undefined) continue;
    switch (action.kind) {
      case 'account.deactivate':
      case 'account.delete':
        if (typeof action.params.accountId === 'number') count += 1;
        break;
      case 'department.deactivate':
        count += 1;
        break;
      case 'department.remove_agents':
        count += action.params.agents.length;
        break;
      default:
        break;
    }
  }
  return count;
}

/** The guard's verdict for a set of actions, given the entities in scope and the `--max-deactivations` setting. */
export function judgeGuard(
  actions: readonly PlannedAction[],
  inScope: number,
  maxDeactivations: MaxDeactivations,
): GuardVerdict {
  const destructive = countDestructive(actions);
  const limit = deactivationLimit(maxDeactivations, inScope);
  return { destructive, limit, inScope, maxDeactivations, exceeded: destructive > limit };
}

/** The reason and the numbers, in words a person can act on. */
export function describeGuard(guard: GuardVerdict): string {
  const setting = guard.maxDeactivations;
  const basis =
    'count' in setting
      ? `--max-deactivations ${setting.count}`
      : `--max-deactivations ${formatMaxDeactivations(setting)} of ${guard.inScope} entities in scope, at least ${PERCENT_LIMIT_FLOOR}`;
  const verdict = guard.exceeded ? 'more than' : 'within';
  return `the plan would deactivate, delete or remove ${guard.destructive} entities, ${verdict} the limit of ${guard.limit} (${basis})`;
}

/**
 * Throws `SafetyStop` (exit 4) when the plan exceeds the guard. The planner only
 * records the verdict, so `plan` can still print what it would have done.
 */
export function assertWithinGuard(plan: Plan): void {
  if (!plan.guard.exceeded) return;
  throw new SafetyStop(
    `${describeGuard(plan.guard)}. Check the manifest, or raise --max-deactivations if this is intended.`,
  );
}
