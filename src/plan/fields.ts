import type { FieldValues } from './action.js';

type FieldValue = FieldValues[string];

/** The fields whose wanted value differs from the current one, as `before`/`after` of an action. */
export interface FieldChanges {
  before: FieldValues;
  after: FieldValues;
  count: number;
}

/**
 * Compares wanted values with current ones, field by field. A wanted value of
 * `undefined` is not managed and never a change; a current value of `undefined`
 * is unknown, so any wanted value differs from it (shown as `null`).
 */
export function changedFields(current: object, wanted: Record<string, FieldValue | undefined>): FieldChanges {
  const known = current as Record<string, FieldValue | undefined>;
  const changes: FieldChanges = { before: {}, after: {}, count: 0 };
  for (const [field, value] of Object.entries(wanted)) {
    if (value === undefined) continue;
    const earlier = known[field];
    if (earlier === value) continue;
    changes.before[field] = earlier ?? null;
    changes.after[field] = value;
    changes.count += 1;
  }
  return changes;
}

/** The members of `wanted` missing from `current`, in `wanted`'s order, without repeats. */
export function missingFrom<T>(wanted: readonly T[], current: readonly T[]): T[] {
  const have = new Set(current);
  const missing: T[] = [];
  for (const item of wanted) {
    if (have.has(item)) continue;
    have.add(item);
    missing.push(item);
  }
  return missing;
}

/** A copy of `record` without its `undefined` entries, so optional fields stay absent in JSON. */
export function definedOnly<T extends object>(record: T): T {
  // Built key by key rather than copied and `delete`d: deleting keys makes objects slow, and this runs per agent.
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) copy[key] = value;
  }
  return copy as T;
}
