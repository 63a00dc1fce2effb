import type { ApplyResult } from '../apply/index.js';
import type { CommandContext } from '../cli/command.js';
import { type Config, requireToken } from '../config/config.js';
import type { RateSummary } from '../limits/auto-rate.js';
import { readObserved } from '../live/read-observed.js';
import type { Logger } from '../log/logger.js';
import {
  accountIdsToRead,
  type CurrentInputs,
  checkSaved,
  describeGuard,
  digestObserved,
  makePlan,
  type Plan,
  renderPlanJson,
  renderPlanText,
  type SavedPlan,
} from '../plan/index.js';
import { StateStore } from '../state/index.js';
import { type ApiSession, openApiSession } from './api-session.js';
import { confirmAndApply, holdForApply, printApplied } from './apply-step.js';
import { assertMayApply } from './confirm.js';
import { endingMessage, guardEnding } from './endings.js';
import {
  type PlanningFlags,
  type RunOptions,
  readValidManifest,
  resolveRunOptions,
  stateStamp,
  type ValidManifest,
} from './inputs.js';
import { checkOutputs, resultRows, writeRecordReport } from './outputs.js';
import { type EndPhase, phaseTimer } from './phases.js';
import type { RequestTally, RunCommand, RunEnding, RunRecord } from './record.js';
import { readSavedPlan, writeSavedPlan } from './saved-plan-file.js';

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

/** What a run has once everything that needs no request is checked. */
interface RunSetup extends ValidManifest {
  request: RunRequest;
  context: CommandContext<unknown>;
  settings: Config;
  logger: Logger;
  startedAt: Date;
  saved: SavedPlan | undefined;
  options: RunOptions;
  endPhase: EndPhase;
}

/**
 * The one run of `plan` and `apply` (ARCHITECTURE "One run, one record"; Terraform's local
 * apply operation): check everything that needs no request, read the inputs, plan or load the
 * saved plan and check it, stop at the guard, confirm, apply under the lock, report. Every
 * ending gives a RunRecord with its report written; errors before a plan exists are thrown.
 */
export async function runPipeline(request: RunRequest, context: CommandContext<unknown>): Promise<RunRecord> {
  const setup = await prepare(request, context);
  const store = StateStore.open(setup.settings.state);
  const hold = request.command === 'apply' ? holdForApply(store, setup.logger) : undefined;
  setup.endPhase('state');
  try {
    const journal = hold === undefined ? undefined : { store, runId: hold.lock.runId };
    const { settings } = setup;
    const learnedRate = settings.rate === 'auto' ? store.learnedRate(settings.baseUrl) : undefined;
    const session = await openApiSession(settings, setup.logger, { state: journal, learnedRate });
    const { plan, current } = await makeOrLoadPlan(setup, store, session);
    showPlan(setup, plan, current);
    let ending = judge(setup, current, plan);
    setup.endPhase('plan');
    let applied: ApplyResult | undefined;
    if (ending.kind === 'applied' && hold !== undefined) {
      const { context, logger, desired, options } = setup;
      ({ ending, applied } = await confirmAndApply(plan, {
        io: context.io,
        logger,
        session,
        store,
        desired,
        deletesRun: options.deletesRun,
        signals: hold.signals,
        yes: request.yes === true,
      }));
      setup.endPhase('apply');
    }
    const record: RunRecord = {
      command: request.command,
      startedAt: setup.startedAt,
      finishedAt: new Date(),
      manifest: { files: setup.manifest.files, digest: setup.manifest.digest },
      planFrom: setup.saved === undefined ? 'fresh' : 'saved',
      plan,
      detailedExitcode: request.detailedExitcode === true,
      ending,
      ...(applied === undefined ? {} : { applied }),
      requests: tally(session),
      rate: keepLearnedRate(session, store, settings.baseUrl),
    };
    const finished = await finish(setup, record);
    setup.endPhase('reports');
    return finished;
  } finally {
    hold?.lock.release();
    hold?.signals.dispose();
    store.close();
  }
}

/** Everything checked before the state store is opened and any request is sent. */
async function prepare(request: RunRequest, context: CommandContext<unknown>): Promise<RunSetup> {
  if (request.command === 'apply') assertMayApply(context.io, request.yes === true);
  const startedAt = new Date();
  const settings = context.config();
  const logger = context.logger();
  const endPhase = phaseTimer(logger);
  requireToken(settings);
  const saved = request.savedPlan === undefined ? undefined : readSavedPlan(request.savedPlan);
  const options = resolveRunOptions(request, saved);
  const manifest = await readValidManifest(request.manifest, context.io);
  const files = request.out === undefined ? [] : [{ flag: '--out', path: request.out }];
  checkOutputs(context.io.cwd, settings.reportDir, files);
  endPhase('manifest');
  return { request, context, settings, logger, startedAt, saved, options, endPhase, ...manifest };
}

/** Reads the state store and the live state; plans, or takes the saved plan as it is. */
async function makeOrLoadPlan(setup: RunSetup, store: StateStore, session: ApiSession) {
  const remembered = store.remembered();
  const observed = await readObserved(
    accountIdsToRead(setup.desired, remembered),
    session.client,
    session.run,
  );
  setup.endPhase('live');
  const current: CurrentInputs = {
    manifestDigest: setup.manifest.digest,
    state: stateStamp(store, remembered.serial),
    observedDigest: digestObserved(observed),
  };
  const fingerprint = (plain: string) => store.fingerprint(plain);
  const plan =
    setup.saved?.plan ??
    makePlan(setup.desired, observed, remembered, { ...setup.options, fingerprint }, () => new Date());
  return { plan, current };
}

/** Prints the plan (`plan --json`: as JSON), and saves it for `plan --out`. */
function showPlan({ request, context, options, logger }: RunSetup, plan: Plan, current: CurrentInputs): void {
  const { io } = context;
  io.stdout.write(request.json === true ? renderPlanJson(plan) : renderPlanText(plan));
  if (request.out !== undefined) {
    const { prune, allowDelete, maxDeactivations } = options;
    writeSavedPlan(request.out, { ...current, options: { prune, allowDelete, maxDeactivations }, plan });
    io.stderr.write(`Plan saved to ${request.out}\n`);
  }
  logger.debug({ guard: describeGuard(plan.guard) }, 'safety guard');
}

/** Whether the run goes on to apply, or ends here: a stale saved plan, the guard, or `plan`'s own end. */
function judge({ request, saved }: RunSetup, current: CurrentInputs, plan: Plan): RunEnding {
  if (saved !== undefined) {
    const verdict = checkSaved(saved, current);
    if (!verdict.ok) {
      const message = `the saved plan ${request.savedPlan} is stale (${verdict.refusedBy}): ${verdict.reason}. Run plan again.`;
      return { kind: 'stale-plan', refusedBy: verdict.refusedBy, message };
    }
  }
  if (plan.guard.exceeded) return guardEnding(plan);
  return request.command === 'plan' ? { kind: 'planned' } : { kind: 'applied' };
}

/** Writes the report folder (and rejected.xlsx after an apply) and tells the user how the run ended. */
async function finish(
  { context, settings, request, logger }: RunSetup,
  record: RunRecord,
): Promise<RunRecord> {
  const { io } = context;
  const results = resultRows(record);
  const folder = writeRecordReport(record, settings.reportDir, results);
  if (record.applied !== undefined) {
    printApplied(io.stderr, record.applied);
    // Loaded here, not at the top: it brings exceljs (~185 ms and ~28 MB resident to load), which a
    // plan, and an apply with nothing to hand back, never use.
    const { writeRejectedRows } = await import('./rejected-report.js');
    await writeRejectedRows(folder, request.manifest, io, record.manifest.digest, results, logger);
  }
  io.stderr.write(`Report: ${folder}\n`);
  const message = endingMessage(record);
  if (message !== undefined) io.stderr.write(`${message}\n`);
  return { ...record, reportFolder: folder };
}

/** Saves what `--rate auto` learned for the next run against this API (CONTRACT §15); gives the rate for summary.json. */
function keepLearnedRate(session: ApiSession, store: StateStore, baseUrl: string): RateSummary {
  const rate = session.rate();
  if (rate.mode === 'auto') store.saveLearnedRate(baseUrl, rate.learned);
  return rate;
}

/** Every request of the run, counted once: reads (live state, look-ups) and writes, from the session's one count. */
function tally(session: ApiSession): RequestTally {
  const { requests, reads, writes, retries, perSecond } = session.counters;
  return { total: requests, reads, writes, retries, perSecond };
}
