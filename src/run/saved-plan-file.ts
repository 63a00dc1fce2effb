import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { UsageError } from '../errors.js';
import {
  SAVED_PLAN_FORMAT,
  SAVED_PLAN_FORMAT_VERSION,
  type SavedManifestPath,
  type SavedPlan,
} from '../plan/index.js';
import { PlanFormatError, planFromDocument } from '../report/plan-expand.js';
import { writePlanFile } from '../report/plan-file.js';
import { COMPACT_PLAN_FORMAT_VERSION } from '../report/plan-format.js';

/** The saved-plan formats `apply --plan` reads: 1 (the plan as `plan --json` prints it) and 2 (compact). */
const READABLE_VERSIONS: readonly unknown[] = [SAVED_PLAN_FORMAT_VERSION, COMPACT_PLAN_FORMAT_VERSION];

/** Writes `plan --out FILE`; a file that cannot be written is a UsageError naming it. */
export function writeSavedPlan(path: string, saved: Omit<SavedPlan, 'format' | 'formatVersion'>): void {
  const { plan, ...digests } = saved;
  try {
    // Streamed, in format 2: a 100,000-agent plan pretty-printed in one string was 134 MB.
    writePlanFile(path, plan, {
      format: SAVED_PLAN_FORMAT,
      formatVersion: COMPACT_PLAN_FORMAT_VERSION,
      ...digests,
    });
  } catch (error) {
    throw new UsageError(
      `--out ${path}: cannot write the plan (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/**
 * Reads `apply --plan FILE`: a file that is not a plan this version saved is a UsageError naming
 * it. The plan comes back as the planner made it, whichever format the file was saved in.
 */
export function readSavedPlan(path: string): SavedPlan {
  let document: Partial<Omit<SavedPlan, 'formatVersion'>> & { formatVersion?: unknown };
  try {
    document = JSON.parse(readFileSync(path, 'utf8')) as typeof document;
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? 'not valid JSON' : ((error as NodeJS.ErrnoException).code ?? 'error');
    throw new UsageError(`--plan ${path}: cannot read the saved plan (${reason})`);
  }
  if (document.format !== SAVED_PLAN_FORMAT || document.plan === undefined || document.state === undefined) {
    throw new UsageError(`--plan ${path}: not a plan saved by omnize-sync plan --out`);
  }
  if (!READABLE_VERSIONS.includes(document.formatVersion)) {
    throw new UsageError(
      `--plan ${path}: saved in plan format ${String(document.formatVersion)}, this omnize-sync reads formats ${READABLE_VERSIONS.join(' and ')}`,
    );
  }
  if (document.manifestPaths !== undefined && !isManifestPaths(document.manifestPaths)) {
    throw new UsageError(`--plan ${path}: the saved plan is damaged (manifestPaths is not a list of paths)`);
  }
  try {
    const plan = planFromDocument(document.plan);
    return { ...document, formatVersion: SAVED_PLAN_FORMAT_VERSION, plan } as SavedPlan;
  } catch (error) {
    if (!(error instanceof PlanFormatError)) throw error;
    throw new UsageError(`--plan ${path}: the saved plan is damaged (${error.message})`);
  }
}

/** A relative path would be read against whatever cwd `apply` runs in: not the file the plan read. */
function isManifestPaths(value: unknown): value is SavedManifestPath[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (entry: Partial<SavedManifestPath> | null) =>
        typeof entry?.path === 'string' && isAbsolute(entry.path) && typeof entry.given === 'string',
    )
  );
}
