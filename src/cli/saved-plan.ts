import { readFileSync, writeFileSync } from 'node:fs';
import { SafetyStop, UsageError } from '../errors.js';
import type { MaxDeactivations, Plan } from '../plan/index.js';
import type { StateStore } from '../state/index.js';

/**
 * A plan saved by `plan --out FILE`, with what it was made from (ARCHITECTURE rule 3), so
 * `apply --plan FILE` can refuse it when anything changed since. Holds no secret.
 */
export interface SavedPlan {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  /** SHA-256 of the manifest files' bytes. */
  manifestDigest: string;
  /** SHA-256 of the live state read for the plan. */
  observedDigest: string;
  /** Which state store the plan was made against, and its serial then. */
  state: { identity: string; serial: number };
  options: { prune: boolean; allowDelete: boolean; maxDeactivations: MaxDeactivations };
  plan: Plan;
}

const FORMAT = 'omnize-sync-plan';
const FORMAT_VERSION = 1;

/**
 * A store's identity: an HMAC of a fixed text under the store's own secret key, so two stores
 * (or a store deleted and made anew) never share it — a serial of 0 alone cannot tell an empty
 * store from another empty store, the hole Terraform's saved plans have (hashicorp/terraform#24078).
 */
export function stateIdentity(store: StateStore): string {
  return store.fingerprint('omnize-sync state store identity').slice(0, 32);
}

export function savePlan(path: string, saved: Omit<SavedPlan, 'format' | 'formatVersion'>): void {
  const document: SavedPlan = { format: FORMAT, formatVersion: FORMAT_VERSION, ...saved };
  try {
    writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(
      `--out ${path}: cannot write the plan (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

export function loadSavedPlan(path: string): SavedPlan {
  let document: Partial<SavedPlan>;
  try {
    document = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedPlan>;
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? 'not valid JSON' : ((error as NodeJS.ErrnoException).code ?? 'error');
    throw new UsageError(`--plan ${path}: cannot read the saved plan (${reason})`);
  }
  if (document.format !== FORMAT || document.plan === undefined || document.state === undefined) {
    throw new UsageError(`--plan ${path}: not a plan saved by omnize-sync plan --out`);
  }
  if (document.formatVersion !== FORMAT_VERSION) {
    throw new UsageError(
      `--plan ${path}: saved in plan format ${String(document.formatVersion)}, this omnize-sync reads format ${FORMAT_VERSION}`,
    );
  }
  return document as SavedPlan;
}

/** What the saved plan is checked against: the same things, read now. */
export interface CurrentInputs {
  manifestDigest: string;
  state: { identity: string; serial: number };
}

/** Refuses (exit 4) a saved plan whose manifest or state store changed since it was made. */
export function assertInputsUnchanged(path: string, saved: SavedPlan, current: CurrentInputs): void {
  if (saved.manifestDigest !== current.manifestDigest) {
    throw new SafetyStop(
      `the saved plan ${path} is stale: the manifest changed since it was made. Run plan again.`,
    );
  }
  if (saved.state.identity !== current.state.identity) {
    throw new SafetyStop(`the saved plan ${path} was made against another state store. Run plan again.`);
  }
  if (saved.state.serial !== current.state.serial) {
    throw new SafetyStop(
      `the saved plan ${path} is stale: the state store changed since it was made (serial ${saved.state.serial} then, ${current.state.serial} now). Run plan again.`,
    );
  }
}

/** Refuses (exit 4) a saved plan whose live state changed since it was made. */
export function assertLiveUnchanged(path: string, saved: SavedPlan, observedDigest: string): void {
  if (saved.observedDigest !== observedDigest) {
    throw new SafetyStop(
      `the saved plan ${path} is stale: the live state in Omnize changed since it was made. Run plan again.`,
    );
  }
}
