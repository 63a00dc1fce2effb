import type { ApplyResult } from '../apply/index.js';
import { recoverInterruptedRuns } from '../apply/index.js';
import { requireToken } from '../config/config.js';
import { type ApiSession, openApiSession } from '../cli/api-session.js';
import type { CommandContext } from '../cli/command.js';
import { assertMayApply } from '../cli/confirm.js';
import { writeRejectedRows } from '../cli/rejected-report.js';
import { takeRunLock } from '../cli/run-lock.js';
import { readObserved } from '../live/read-observed.js';
import type { Logger } from '../log/logger.js';
import {
  accountIdsToRead,
  checkSaved,
  describeGuard,
  digestObserved,
  makePlan,
  renderPlanJson,
  renderPlanText,
  type SavedPlan,
} from '../plan/index.js';
import { StateStore } from '../state/index.js';
import { confirmApply, runActions } from './apply-step.js';
import { endingMessage, guardEnding } from './endings.js';
import { type PlanningFlags, readValidManifest, resolveRunOptions, stateStamp } from './inputs.js';
import { checkOutputs, resultRows, writeRecordReport } from './outputs.js';
import type { RequestTally, RunCommand, RunEnding, RunRecord } from './record.js';
import { readSavedPlan, writeSavedPlan } from './saved-plan-file.js';
import { type SignalWatch, watchSignals } from './signals.js';

/** What the user asked `plan` or `apply` to do, from its flags. */
export interface RunRequest extends PlanningFlags {
  command: RunCommand;
  manifest: string[];
  /** `apply --plan FILE`. */
  savedPlan?: string;
  /** `plan --out FILE`. */
  out?: string;
  /** `plan --json`. */
  json?: boolean;
  detailedExitcode?: boolean;
  /** `apply --yes`. */
  yes?: boolean;
}

/**
 * The one run of `plan` and `apply` (ARCHITECTURE "One run, one record"; Terraform's local
 * apply operation): check what can be checked without the API, read the inputs, plan or load
 * the saved plan and check it, stop at the guard, confirm, apply under the lock, report. Every
 * ending gives a RunRecord, and its report is written; errors before a plan exists are thrown.
 */
export async function runPipeline(request: RunRequest, context: CommandContext<unknown>): Promise<RunRecord> {
  const { io } = context;
  if (request.command === 'apply') assertMayApply(io, request.yes === true);
  const startedAt = new Date();
  const settings = context.config();
  const logger = context.logger();
  requireToken(settings);
  const saved = request.savedPlan === undefined ? undefined : readSavedPlan(request.savedPlan);
  const options = resolveRunOptions(request, saved);
  const { manifest, desired } = await readValidManifest(request.manifest, io);
  checkOutputs(
    io.cwd,
    settings.reportDir,
    request.out === undefined ? [] : [{ flag: '--out', path: request.out }],
  );
  const store = StateStore.open(settings.state);
  const signals = request.command === 'apply' ? watchSignals(logger) : undefined;
  const lock =
    signals === undefined
      ? undefined
      : takeRunLock(store, request.command, logger, () => {
          logger.error('another run took over the state store lock; stopping');
          signals.raise('SIGTERM');
        });
  try {
    if (lock !== undefined) warnAboutRecovery(recoverInterruptedRuns(store, lock.runId), logger);
    const session = await openApiSession(settings, logger);
    const remembered = store.remembered();
    const observed = await readObserved(accountIdsToRead(desired, remembered), session.client, session.run);
    const current = {
      manifestDigest: manifest.digest,
      state: stateStamp(store, remembered.serial),
      observedDigest: digestObserved(observed),
    };
    const plan =
      saved?.plan ??
      makePlan(
        desired,
        observed,
        remembered,
        { ...options, fingerprint: (plain) => store.fingerprint(plain) },
        () => new Date(),
      );
    io.stdout.write(request.json === true ? renderPlanJson(plan) : renderPlanText(plan));
    if (request.out !== undefined) {
      writeSavedPlan(request.out, {
        ...current,
        options: {
          prune: options.prune,
          allowDelete: options.allowDelete,
          maxDeactivations: options.maxDeactivations,
        },
        plan,
      });
      io.stderr.write(`Plan saved to ${request.out}\n`);
    }
    logger.debug({ guard: describeGuard(plan.guard) }, 'safety guard');
    let ending: RunEnding = judge(request, saved, current, plan);
    let applied: ApplyResult | undefined;
    if (ending.kind === 'applied') {
      const inputs = {
        io,
        logger,
        session,
        store,
        desired,
        runId: lock!.runId,
        deletesRun: options.deletesRun,
        signals: signals!,
        yes: request.yes === true,
      };
      if (signals!.received !== undefined) ending = { kind: 'interrupted', signal: signals!.received };
      else if (!(await confirmApply(plan, inputs))) ending = { kind: 'declined' };
      else applied = await runActions(plan, inputs);
    }
    const record: RunRecord = {
      command: request.command,
      startedAt,
      finishedAt: new Date(),
      manifest: { files: manifest.files, digest: manifest.digest },
      planFrom: saved === undefined ? 'fresh' : 'saved',
      plan,
      detailedExitcode: request.detailedExitcode === true,
      ending,
      ...(applied === undefined ? {} : { applied }),
      requests: tally(session, applied),
    };
    return await finish(record, request, context, settings.reportDir);
  } finally {
    lock?.release();
    signals?.dispose();
    store.close();
  }
}

/** Whether the run goes on to apply, or ends here: the guard, a stale saved plan, or `plan`'s own end. */
function judge(
  request: RunRequest,
  saved: SavedPlan | undefined,
  current: Parameters<typeof checkSaved>[1],
  plan: RunRecord['plan'],
): RunEnding {
  if (saved !== undefined) {
    const verdict = checkSaved(saved, current);
    if (!verdict.ok) {
      return {
        kind: 'stale-plan',
        refusedBy: verdict.refusedBy,
        message: `the saved plan ${request.savedPlan} is stale (${verdict.refusedBy}): ${verdict.reason}. Run plan again.`,
      };
    }
  }
  if (plan.guard.exceeded) return guardEnding(plan);
  return request.command === 'plan' ? { kind: 'planned' } : { kind: 'applied' };
}

/** Writes the report folder (and rejected.xlsx after an apply) and tells the user how the run ended. */
async function finish(
  record: RunRecord,
  request: RunRequest,
  { io, logger }: CommandContext<unknown>,
  reportDir: string,
): Promise<RunRecord> {
  const results = resultRows(record);
  const folder = writeRecordReport(record, reportDir, results);
  if (record.applied !== undefined) {
    printApplied(io.stderr, record.applied);
    await writeRejectedRows(folder, request.manifest, io, record.manifest.digest, results, logger());
  }
  io.stderr.write(`Report: ${folder}\n`);
  const message = endingMessage(record);
  if (message !== undefined) io.stderr.write(`${message}\n`);
  return { ...record, reportFolder: folder };
}

/** Every request of the run, counted once: reads (live state, look-ups) and writes. */
function tally(session: ApiSession, applied: ApplyResult | undefined): RequestTally {
  const writes = applied?.requests.writes ?? 0;
  return {
    total: session.counters.requests,
    reads: session.counters.requests - writes,
    writes,
    retries: session.counters.retries + (applied?.retries ?? 0),
    startedAt: session.counters.startedAt,
  };
}

function warnAboutRecovery(recovery: { unknownAccounts: string[] }, logger: Logger): void {
  for (const key of recovery.unknownAccounts) {
    logger.warn(
      { account: key },
      `a run that died had sent the create of account ${key} and never learnt its outcome: it is not created again until \`omnize-sync state adopt ${key} ID\` names the account (find it in Omnize by its e-mail)`,
    );
  }
}

function printApplied(stderr: NodeJS.WritableStream, result: ApplyResult): void {
  const counts = { ok: 0, failed: 0, skipped: 0, unknown: 0 };
  for (const outcome of result.outcomes.values()) counts[outcome.status] += 1;
  const stopped = result.stoppedBy === undefined ? '' : ` Stopped early: ${result.stoppedBy}.`;
  stderr.write(
    `Applied: ${counts.ok} ok, ${counts.failed} failed, ${counts.unknown} unknown, ${counts.skipped} skipped; ${result.requests.writes} write requests, ${result.retries} retries.${stopped}\n`,
  );
}

export type { SignalWatch };
