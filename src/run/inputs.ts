import { ManifestError } from '../errors.js';
import { formatProblem, type LoadedManifest, loadManifest } from '../manifest/index.js';
import type { Desired } from '../model/desired.js';
import {
  DEFAULT_MAX_DEACTIVATIONS,
  parseMaxDeactivations,
  type SavedPlan,
  type SavedPlanOptions,
  type StateStoreStamp,
} from '../plan/index.js';
import type { StateStore } from '../state/index.js';

/** The flags `plan` and `apply` share (CONTRACT §5), as typed. */
export interface PlanningFlags {
  prune?: boolean;
  allowDelete?: boolean;
  maxDeactivations?: string;
}

/**
 * The options of one run, decided once. A saved plan runs with the options it was made with;
 * `--allow-delete` given to `apply --plan` may still let its deletes run, never the reverse.
 */
export interface RunOptions extends SavedPlanOptions {
  /** Whether actions marked `requires: 'allow-delete'` run. */
  deletesRun: boolean;
}

export function resolveRunOptions(flags: PlanningFlags, saved: SavedPlan | undefined): RunOptions {
  const allowDeleteFlag = flags.allowDelete === true;
  if (saved !== undefined) {
    return { ...saved.options, deletesRun: saved.options.allowDelete || allowDeleteFlag };
  }
  return {
    prune: flags.prune === true,
    allowDelete: allowDeleteFlag,
    maxDeactivations:
      flags.maxDeactivations === undefined
        ? DEFAULT_MAX_DEACTIVATIONS
        : parseMaxDeactivations(flags.maxDeactivations),
    deletesRun: allowDeleteFlag,
  };
}

/**
 * A valid manifest: which files at which digest, and what they declare. Only these are kept of
 * the load (its tables and warnings are printed and let go).
 */
export interface ValidManifest {
  manifest: Pick<LoadedManifest, 'files' | 'digest'>;
  desired: Desired;
}

/** Loads the manifest and prints its problems to stderr; a ManifestError when any is an error, before any request. */
export async function readValidManifest(
  paths: string[],
  io: { cwd: string; stderr: NodeJS.WritableStream },
): Promise<ValidManifest> {
  const manifest = await loadManifest(paths, { cwd: io.cwd });
  for (const problem of manifest.problems) io.stderr.write(`${formatProblem(problem)}\n`);
  const errors = manifest.problems.filter((problem) => problem.severity === 'error').length;
  if (manifest.desired === undefined || errors > 0) {
    throw new ManifestError(
      `the manifest has ${errors} error${errors === 1 ? '' : 's'} (listed above); nothing was sent to the API`,
    );
  }
  return { manifest: { files: manifest.files, digest: manifest.digest }, desired: manifest.desired };
}

/**
 * The store's identity — an HMAC of a fixed text under the store's own secret key, so two
 * stores (or a store deleted and made anew) never share it — and its serial now.
 */
export function stateStamp(store: StateStore, serial: number): StateStoreStamp {
  return { identity: store.fingerprint('omnize-sync state store identity').slice(0, 32), serial };
}
