import type { Cause } from './action.js';

/**
 * The cause of one changed field (CONTRACT §14): `new` when apply never recorded a value of it,
 * `drift` when the manifest still wants the value apply last made (so it changed in Omnize),
 * else `manifest`. Only for a field the plan changes: an unchanged one has no cause.
 */
export function fieldCause<T>(wanted: T, recorded: T | undefined): Cause {
  if (recorded === undefined) return 'new';
  return wanted === recorded ? 'drift' : 'manifest';
}

/**
 * The cause of an action from its changed fields' causes: `drift` when every one is drift (the
 * whole change only puts back what apply made), else `manifest` when any is (the manifest is what
 * the change sends), else `new`. No field at all (a create, a prune) is `new`.
 */
export function actionCause(causes: readonly Cause[]): Cause {
  let drift = 0;
  let manifest = false;
  for (const cause of causes) {
    if (cause === 'drift') drift += 1;
    else if (cause === 'manifest') manifest = true;
  }
  if (drift > 0 && drift === causes.length) return 'drift';
  return manifest ? 'manifest' : 'new';
}

/** Folds one more field's cause into an action's, as `actionCause` would the list. */
export function joinCause(earlier: Cause | undefined, next: Cause): Cause {
  return earlier === undefined ? next : actionCause([earlier, next]);
}
