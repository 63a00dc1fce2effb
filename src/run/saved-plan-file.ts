import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { SAVED_PLAN_FORMAT, SAVED_PLAN_FORMAT_VERSION, type SavedPlan } from '../plan/index.js';
import { writePlanFile } from '../report/plan-file.js';

/** Writes `plan --out FILE`; a file that cannot be written is a UsageError naming it. */
export function writeSavedPlan(path: string, saved: Omit<SavedPlan, 'format' | 'formatVersion'>): void {
  const { plan, ...digests } = saved;
  try {
    // Streamed and compact: a 100,000-agent plan pretty-printed in one string was 134 MB.
    writePlanFile(path, plan, {
      format: SAVED_PLAN_FORMAT,
      formatVersion: SAVED_PLAN_FORMAT_VERSION,
      ...digests,
    });
  } catch (error) {
    throw new UsageError(
      `--out ${path}: cannot write the plan (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Reads `apply --plan FILE`: a file that is not a plan this version saved is a UsageError naming it. */
export function readSavedPlan(path: string): SavedPlan {
  let document: Partial<SavedPlan>;
  try {
    document = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedPlan>;
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? 'not valid JSON' : ((error as NodeJS.ErrnoException).code ?? 'error');
    throw new UsageError(`--plan ${path}: cannot read the saved plan (${reason})`);
  }
  if (document.format !== SAVED_PLAN_FORMAT || document.plan === undefined || document.state === undefined) {
    throw new UsageError(`--plan ${path}: not a plan saved by omnize-sync plan --out`);
  }
  if (document.formatVersion !== SAVED_PLAN_FORMAT_VERSION) {
    throw new UsageError(
      `--plan ${path}: saved in plan format ${String(document.formatVersion)}, this omnize-sync reads format ${SAVED_PLAN_FORMAT_VERSION}`,
    );
  }
  return document as SavedPlan;
}
