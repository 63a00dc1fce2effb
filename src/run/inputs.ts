import { existsSync } from 'node:fs';
import { type AccountSelectorFlags, accountSelectorsOf } from '../cli/account-selectors.js';
import { MISSING_MANIFEST } from '../cli/manifest-argument.js';
import { ManifestError, UsageError } from '../errors.js';
import {
  formatProblem,
  type LoadedManifest,
  loadManifest,
  type ManifestArgument,
} from '../manifest/index.js';
import type { Desired } from '../model/desired.js';
import type { Remembered } from '../model/remembered.js';
import {
  DEFAULT_MAX_DEACTIVATIONS,
  decideScope,
  describeSelectors,
  type PlanScope,
  parseMaxDeactivations,
  type SavedPlan,
  type SavedPlanOptions,
  type ScopeSelectors,
  type StateStoreStamp,
} from '../plan/index.js';
import type { StateBackend } from '../state/index.js';

/** The flags `plan` and `apply` share (CONTRACT §5, §12), as typed. */
export interface PlanningFlags extends AccountSelectorFlags {
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
  paths: readonly ManifestArgument[],
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
 * The manifest a run reads: the `<manifest…>` arguments, or, for `apply --plan FILE` given none,
 * the paths the saved plan recorded (it still needs the manifest: a saved plan holds no password,
 * and its digest is checked against these files). A saved plan that recorded none, or a recorded
 * path gone since, is a UsageError (exit 1) before any request.
 */
export function runManifest(
  given: readonly string[] | undefined,
  saved: SavedPlan | undefined,
  savedPath?: string,
): ManifestArgument[] {
  if (given !== undefined && given.length > 0) return [...given];
  if (saved === undefined) throw new UsageError(MISSING_MANIFEST);
  const recorded = saved.manifestPaths;
  const asIn = `name the manifest, as in: apply <manifest…> --plan ${savedPath ?? 'FILE'}`;
  if (recorded === undefined) {
    throw new UsageError(
      `--plan ${savedPath ?? 'FILE'} does not record its manifest (saved by an older omnize-sync): ${asIn}`,
    );
  }
  const gone = recorded.find((entry) => !existsSync(entry.path));
  if (gone !== undefined) {
    throw new UsageError(
      `--plan ${savedPath ?? 'FILE'} was made from ${gone.path}, which no longer exists: ${asIn}`,
    );
  }
  return recorded.map(({ path, given: typed }) => ({ path, given: typed }));
}

/**
 * The store's identity — an HMAC of a fixed text under the store's own secret key, so two
 * stores (or a store deleted and made anew) never share it — and its serial now.
 */
export function stateStamp(store: Pick<StateBackend, 'fingerprint'>, serial: number): StateStoreStamp {
  return { identity: store.fingerprint('omnize-sync state store identity').slice(0, 32), serial };
}

/**
 * The selectors of a run: its `--account`/`--account-id` flags, or, for `apply --plan FILE`,
 * those the saved plan was made with. A saved plan applies exactly its own scope: flags naming
 * another scope are a UsageError (exit 1, before any request); no flags take the saved scope.
 */
export function runSelectors(
  flags: AccountSelectorFlags,
  saved: SavedPlan | undefined,
  savedPath?: string,
): ScopeSelectors | undefined {
  const given = accountSelectorsOf(flags);
  if (saved === undefined) return given;
  const savedScope = saved.plan.scope ?? null;
  if (given === undefined) {
    return savedScope === null ? undefined : { keys: savedScope.accounts, ids: savedScope.accountIds };
  }
  if (savedScope === null || !sameSelectors(given, savedScope)) {
    const madeFor = savedScope === null ? 'the whole manifest' : `${describeSelectors(savedScope)} only`;
    throw new UsageError(
      `--plan ${savedPath ?? 'FILE'} was made for ${madeFor}, not ${describeSelectors({ accounts: [...given.keys], accountIds: [...given.ids] })}: apply it without --account/--account-id (it keeps its own scope), or plan again`,
    );
  }
  return given;
}

/**
 * The run's scope, decided once from the manifest, the state store's accounts and the
 * selectors (`decideScope`); a selector naming no account of the manifest is a UsageError
 * (exit 1), thrown before any request.
 */
export function decideRunScope(
  desired: Desired,
  remembered: Remembered,
  selectors: ScopeSelectors | undefined,
): PlanScope | null {
  const decision = decideScope(desired, remembered, selectors);
  if (decision.ok) return decision.scope;
  throw new UsageError(decision.unmatched.map((selector) => selector.message).join('; '));
}

function sameSelectors(given: ScopeSelectors, saved: PlanScope): boolean {
  const sameSet = <T>(left: readonly T[], right: readonly T[]) =>
    left.length === right.length && left.every((value) => right.includes(value));
  return sameSet(given.keys, saved.accounts) && sameSet(given.ids, saved.accountIds);
}
