/**
 * The few error classes the program raises; the CLI maps each to an exit code
 * in one place (src/cli/exit.ts). Messages are shown to the user as they are:
 * they must never contain a token or a password.
 */

export const EXIT = {
  ok: 0,
  failure: 1,
  planHasChanges: 2,
  someActionsFailed: 3,
  safetyStop: 4,
  interrupted: 130,
  terminated: 143,
} as const;

/** Wrong flags, wrong arguments, a bad config file: exit 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A manifest that cannot be read or is not valid: exit 1. The message names the file. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** The API refused the whole run (e.g. "Invalid token"): exit 1. */
export class FatalApiError extends Error {
  override name = 'FatalApiError';
}

/** Another run holds the state store's lock: exit 1. */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

/** The safety guard stopped a plan, or a saved plan is stale: exit 4. */
export class SafetyStop extends Error {
  override name = 'SafetyStop';
}

/** SIGINT/SIGTERM ended a run before it had a plan to report (a plan's live reading): exit 130/143. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal} while reading the live state; no plan was made`);
  }
}

/** Something that cannot happen did: a bug in omnize-sync, exit 1. */
export class InternalError extends Error {
  override name = 'InternalError';
}
