import { loadManifest, type ManifestProblem } from '../manifest/index.js';
import type { Observed } from '../model/observed.js';
import type { Remembered } from '../model/remembered.js';
import { DEFAULT_MAX_DEACTIVATIONS, makePlan, type Plan } from '../plan/index.js';

/** What an export gives when read back as a manifest and planned against what it was made from. */
export interface ReadBack {
  /** Every problem the manifest reader finds (errors and warnings), as `validate` prints them. */
  problems: ManifestProblem[];
  /** The plan of the export against the live state and state store it was made from; absent when it has errors. */
  plan?: Plan;
}

/**
 * Reads the written files back through the manifest reader, as `validate` and `plan` will, and
 * plans them (upsert, no prune) against the live state and the state store the export was made
 * from. The round trip of CONTRACT §11 holds when there is no error and the plan has no action
 * and no notice. A live state can hold what no manifest gives back exactly — a name with spaces
 * around it (cells are trimmed), a department name holding a list separator, two departments of
 * one account whose names differ only in case: this is how the export finds out, and says so.
 */
export async function readBack(
  files: readonly string[],
  cwd: string,
  from: { observed: Observed; remembered: Remembered; fingerprint: (plain: string) => string },
): Promise<ReadBack> {
  const manifest = await loadManifest(files, { cwd });
  if (manifest.desired === undefined) return { problems: manifest.problems };
  const options = {
    prune: false,
    allowDelete: false,
    maxDeactivations: DEFAULT_MAX_DEACTIVATIONS,
    fingerprint: from.fingerprint,
  };
  const plan = makePlan(manifest.desired, from.observed, from.remembered, options, () => new Date());
  return { problems: manifest.problems, plan };
}

/** True when the export reads back with no error and plans to no change at all. */
export function isExact(readBack: ReadBack): boolean {
  const { plan, problems } = readBack;
  return (
    plan !== undefined &&
    !problems.some((problem) => problem.severity === 'error') &&
    plan.actions.length === 0 &&
    plan.notices.length === 0 &&
    (plan.passwordsToRecord ?? []).length === 0
  );
}
