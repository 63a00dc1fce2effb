import type { ActionKind, ActionOf } from '../../src/plan/action.js';
import type { Plan } from '../../src/plan/types.js';

/** One line per action, `kind account/target reason`, for compact expectations. */
export function summary(plan: Plan): string[] {
  return plan.actions.map((action) => `${action.kind} ${action.account}/${action.target} ${action.reason}`);
}

/** The only action of a kind; fails when there is none or more than one. */
export function only<K extends ActionKind>(plan: Plan, kind: K): ActionOf<K> {
  const found = plan.actions.filter((action) => action.kind === kind);
  if (found.length !== 1)
    throw new Error(`expected one ${kind}, found ${found.length}: ${summary(plan).join('; ')}`);
  return found[0] as ActionOf<K>;
}

export function noticeKinds(plan: Plan): string[] {
  return plan.notices.map((notice) => notice.kind);
}
