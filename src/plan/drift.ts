import type { Plan } from './types.js';

/**
 * How many planned actions are drift (CONTRACT §14): changes that only put back what apply had
 * made, because it was changed in Omnize and the manifest was not. Counted per action, as the
 * readable plan marks lines; a saved plan from before causes counts none.
 */
export function countDrift(plan: Pick<Plan, 'actions'>): number {
  let drift = 0;
  for (const action of plan.actions) if (action.cause === 'drift') drift += 1;
  return drift;
}
