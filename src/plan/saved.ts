import type { MaxDeactivations, Plan } from './types.js';

export const SAVED_PLAN_FORMAT = 'omnize-sync-plan';
export const SAVED_PLAN_FORMAT_VERSION = 1;

/**
 * A plan saved by `plan --out FILE`, with what it was made from (ARCHITECTURE rule 3), so
 * `apply --plan FILE` can refuse it when anything changed since. Holds no secret. Not a plan
 * to re-plan from: `apply --plan` runs `plan.actions` as they are, or nothing.
 */
export interface SavedPlan {
  format: typeof SAVED_PLAN_FORMAT;
  formatVersion: typeof SAVED_PLAN_FORMAT_VERSION;
  /** SHA-256 of the manifest files' bytes. */
  manifestDigest: string;
  /**
   * The `<manifest…>` arguments the plan read, so `apply --plan FILE` can read them again without
   * being told. Absent from plans saved before it was recorded: those need the manifest named.
   */
  manifestPaths?: SavedManifestPath[];
  /** SHA-256 of the live state read for the plan (`digestObserved`). */
  observedDigest: string;
  /** Which state store the plan was made against, and its serial then. */
  state: StateStoreStamp;
  options: SavedPlanOptions;
  plan: Plan;
}

/** One `<manifest…>` argument of `plan --out`: resolved against the cwd then, and as typed (the name its rows' sources carry). */
export interface SavedManifestPath {
  path: string;
  given: string;
}

/** The options a saved plan was made with; `apply --plan` runs with these, not with its own flags. */
export interface SavedPlanOptions {
  prune: boolean;
  allowDelete: boolean;
  maxDeactivations: MaxDeactivations;
}

/**
 * A state store's identity (an HMAC under the store's own key, so two stores never share it)
 * and its serial. A serial of 0 alone cannot tell an empty store from another empty store: the
 * hole Terraform's saved plans have (hashicorp/terraform#24078).
 */
export interface StateStoreStamp {
  identity: string;
  serial: number;
}

/** What a saved plan is checked against: the same things, read now. */
export interface CurrentInputs {
  manifestDigest: string;
  state: StateStoreStamp;
  /**
   * Undefined for a run that neither saves a plan nor applies one: hashing the live state of a
   * 100,000-agent roster costs ~130 ms a run that compares it with nothing. Undefined never
   * matches a saved digest.
   */
  observedDigest: string | undefined;
}

/** The four checks, in the order they are made; the first that fails refuses the plan. */
export const SAVED_PLAN_CHECKS = [
  'manifest-digest',
  'state-identity',
  'state-serial',
  'live-digest',
] as const;

export type SavedPlanCheck = (typeof SAVED_PLAN_CHECKS)[number];

/** `ok`, or which check refused the saved plan and why, in words a person can act on. */
export type SavedPlanVerdict = { ok: true } | { ok: false; refusedBy: SavedPlanCheck; reason: string };

/**
 * Whether a saved plan may be applied now (CONTRACT §5, exit 4 when not): the manifest, the
 * state store (the same one, unchanged) and the live state must all be what the plan was made
 * from. Pure: the caller reads the current inputs.
 */
export function checkSaved(saved: SavedPlan, current: CurrentInputs): SavedPlanVerdict {
  if (saved.manifestDigest !== current.manifestDigest) {
    return refuse('manifest-digest', 'the manifest changed since it was made');
  }
  if (saved.state.identity !== current.state.identity) {
    return refuse('state-identity', 'it was made against another state store');
  }
  if (saved.state.serial !== current.state.serial) {
    return refuse(
      'state-serial',
      `the state store changed since it was made (serial ${saved.state.serial} then, ${current.state.serial} now)`,
    );
  }
  if (current.observedDigest === undefined || saved.observedDigest !== current.observedDigest) {
    return refuse('live-digest', 'the live state in Omnize changed since it was made');
  }
  return { ok: true };
}

function refuse(refusedBy: SavedPlanCheck, reason: string): SavedPlanVerdict {
  return { ok: false, refusedBy, reason };
}
