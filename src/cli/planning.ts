import { ManifestError } from '../errors.js';
import { readObserved } from '../live/read-observed.js';
import { formatProblem, type LoadedManifest, loadManifest } from '../manifest/index.js';
import type { Desired } from '../model/desired.js';
import type { Observed } from '../model/observed.js';
import type { Remembered } from '../model/remembered.js';
import {
  accountIdsToRead,
  DEFAULT_MAX_DEACTIVATIONS,
  makePlan,
  type Plan,
  type PlanOptions,
  parseMaxDeactivations,
} from '../plan/index.js';
import type { StateStore } from '../state/index.js';
import type { ApiSession } from './api-session.js';
import type { CliIO } from './command.js';
import type { PlanningArgs } from './planning-options.js';

/** Everything a plan was made from, kept so apply can check a saved plan and look passwords up. */
export interface PlanningResult {
  manifest: LoadedManifest;
  desired: Desired;
  remembered: Remembered;
  observed: Observed;
  plan: Plan;
  options: PlanOptions;
}

/**
 * Reads the manifest (every problem printed on stderr; exit 1 on errors, before any request),
 * the state store and the live state, and makes the plan. The guard is not applied here:
 * `plan` prints what it would do before stopping.
 */
export async function readAndPlan(
  args: PlanningArgs,
  io: CliIO,
  store: StateStore,
  session: ApiSession,
): Promise<PlanningResult> {
  const { manifest, desired } = await readValidManifest(args.manifest, io);
  const options: PlanOptions = {
    prune: args.prune === true,
    allowDelete: args.allowDelete === true,
    maxDeactivations:
      args.maxDeactivations === undefined
        ? DEFAULT_MAX_DEACTIVATIONS
        : parseMaxDeactivations(args.maxDeactivations),
    fingerprint: (plain) => store.fingerprint(plain),
  };
  const remembered = store.remembered();
  const observed = await readObserved(accountIdsToRead(desired, remembered), session.client, session.run);
  const plan = makePlan(desired, observed, remembered, options, () => new Date());
  return { manifest, desired, remembered, observed, plan, options };
}

/** Loads the manifest and prints its problems to stderr; a ManifestError when any is an error. */
export async function readValidManifest(
  paths: string[],
  io: CliIO,
): Promise<{ manifest: LoadedManifest; desired: Desired }> {
  const manifest = await loadManifest(paths, { cwd: io.cwd });
  for (const problem of manifest.problems) io.stderr.write(`${formatProblem(problem)}\n`);
  const errors = manifest.problems.filter((problem) => problem.severity === 'error').length;
  if (manifest.desired === undefined || errors > 0) {
    throw new ManifestError(
      `the manifest has ${errors} error${errors === 1 ? '' : 's'} (listed above); nothing was sent to the API`,
    );
  }
  return { manifest, desired: manifest.desired };
}
