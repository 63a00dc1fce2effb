import { UsageError } from '../errors.js';
import type { MaxDeactivations } from './types.js';

/** CONTRACT §5: the default limit is 10% of the entities in scope… */
export const DEFAULT_MAX_DEACTIVATIONS: MaxDeactivations = { percent: 10 };

/** …and never below 5, so a small partner can still retire a few entities. Applies to the percent form only. */
export const PERCENT_LIMIT_FLOOR = 5;

const COUNT = /^\d+$/;
const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;

/**
 * Reads the `--max-deactivations` flag: `"25"` is a count, `"10%"` a percentage
 * (0–100, decimals allowed). Anything else is a UsageError naming the flag.
 */
export function parseMaxDeactivations(text: string): MaxDeactivations {
  const trimmed = text.trim();
  if (COUNT.test(trimmed)) return { count: Number(trimmed) };
  const percent = PERCENT.exec(trimmed);
  if (percent !== null) {
    const value = Number(percent[1]);
    if (value <= 100) return { percent: value };
  }
  throw new UsageError(
    `--max-deactivations must be a whole number of entities (e.g. 25) or a percentage from 0% to 100% (e.g. 10%), not "${text}"`,
  );
}

/** `25` or `10%`, the way the user wrote it. */
export function formatMaxDeactivations(setting: MaxDeactivations): string {
  return 'count' in setting ? String(setting.count) : `${setting.percent}%`;
}

/** The limit a setting gives for a number of entities in scope. */
export function deactivationLimit(setting: MaxDeactivations, inScope: number): number {
  if ('count' in setting) return setting.count;
  return Math.max(PERCENT_LIMIT_FLOOR, Math.floor((setting.percent * inScope) / 100));
}
