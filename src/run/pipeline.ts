import { resolve } from 'node:path';
import type { ApplyResult } from '../apply/index.js';
import type { CommandContext } from '../cli/command.js';
import { type Config, requireToken } from '../config/config.js';
import { InternalError, Interrupted } from '../errors.js';
import type { RateSummary } from '../limits/auto-rate.js';
import { readObserved } from '../live/read-observed.js';
import type { Logger } from '../log/logger.js';
import type { ManifestArgument } from '../manifest/index.js';
import type { Desired } from '../model/desired.js';
import type { Remembered } from '../model/remembered.js';
import {
  accountIdsToRead,
  type CurrentInputs,
  checkSaved,
  confirmMatching,
  describeGuard,
  digestObserved,
  makePlan,
  makePlanAndConfirm,
  type Plan,
  type PlanScope,
  type SavedManifestPath,
  type SavedPlan,
  type ScopeSelectors,
  writePlanJson,
  writePlanText,
} from '../plan/index.js';
import { ChunkedWriter } from '../report/file-writer.js';
import { writeNoRejectedWorkbook } from '../report/no-rejected.js';
import { PlanFileDraft } from '../report/plan-file.js';
import type { ResultRow } from '../report/results.js';
import type { StateBackend } from '../state/index.js';
import { openConfiguredState } from '../state/open.js';
import { type ApiSession, openApiSession } from './api-session.js';
import { confirmAndApply, manifestFactsOf, printApplied } from './apply-step.js';
import { assertMayApply } from './confirm.js';
import { endingMessage, guardEnding } from './endings.js';
import {
  decideRunScope,
  type PlanningFlags,
  type RunOptions,
  readValidManifest,
  resolveRunOptions,
  runManifest,
  runSelectors,
  stateStamp,
  type ValidManifest,
} from './inputs.js';
import { checkOutputs, metricsFileWarning, resultRows, writeRecordReport } from './outputs.js';
import { type EndPhase, phaseTimer } from './phases.js';
import type { PublishSettings } from './publish.js';
import type { RequestTally, RunCommand, RunEnding, RunRecord } from './record.js';
import { publishSettingsOf, RunHistory, recordRefusal } from './run-history.js';
import { holdRun, type RunHold } from './run-lock.js';
import { readSavedPlan, writeSavedPlan } from './saved-plan-file.js';
import type { StopSignal } from './signals.js';

/** What the user asked `plan` or `apply` to do, from its flags. */
export interface RunRequest extends PlanningFlags {
  command: RunCommand;
  /** `<manifest…>`; `apply --plan FILE` may go without (the saved plan names its manifest). */
  manifest?: string[];
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
 * What a run has once everything that needs no request is checked. `desired`, the manifest's
 * model, is only there until the plan is made (see `ManifestFacts`).
 */
interface RunSetup extends Omit<ValidManifest, 'desired'> {
  desired: Desired | undefined;
  request: RunRequest;
  context: CommandContext<unknown>;
  settings: Config;
  /** What the run's end publishes: without a metrics file found unwritable before the first request. */
  publish: PublishSettings;
  logger: Logger;
  startedAt: Date;
  saved: SavedPlan | undefined;
  /** What the run reads as its manifest: `<manifest…>`, or the paths the saved plan recorded. */
  manifestArguments: ManifestArgument[];
  options: RunOptions;
  /** `--account`/`--account-id`, or the saved plan's; the scope is decided from them once the state store is open. */
  selectors: ScopeSelectors | undefined;
  endPhase: EndPhase;
}

/**
 * The one run of `plan` and `apply` (ARCHITECTURE "One run, one record"; Terraform's local
 * apply operation): check everything that needs no request, read the inputs, plan or load the
 * saved plan and check it, stop at the guard, confirm, apply, report — all under the run lock. Every
 * ending gives a RunRecord with its report written; errors before a plan exists are thrown.
 */
export async function runPipeline(request: RunRequest, context: CommandContext<unknown>): Promise<RunRecord> {
  const startedAt = new Date();
  let setup: RunSetup;
  try {
    setup = await prepare(request, context, startedAt);
  } catch (error) {
    await recordRefusal(request.command, context, startedAt, error);
    throw error;
  }
  const { publish } = setup;
  const store = await openStore(setup, publish);
  const history = new RunHistory(request.command, startedAt, store, setup.logger);
  let hold: RunHold | undefined;
  let session: ApiSession | undefined;
  let planDraft: PlanFileDraft | undefined;
  try {
    await history.markDied();
    // plan too (CONTRACT §6, §16): taken before any request, so a run refused sends none.
    hold = await holdRun(store, request.command, setup.logger);
    const { lock, signals } = hold;
    setup.endPhase('state');
    // Decided once, before any request: what is read, planned, pruned and guarded (CONTRACT §12).
    const remembered = await store.remembered();
    const scope = decideRunScope(setup.desired!, remembered, setup.selectors);
    await history.begin(lock.runId, scope);
    // Only apply journals and may write; a plan's session refuses writes.
    const journal = request.command === 'apply' ? { store, runId: lock.runId } : undefined;
    const { settings } = setup;
    const learnedRate = settings.rate === 'auto' ? await store.learnedRate(settings.baseUrl) : undefined;
    const opened = await openApiSession(settings, setup.logger, {
      state: journal,
      lease: lock.lease,
      learnedRate,
    });
    session = opened;
    // A plan's reads stop at a signal (an apply's reading runs on, and its apply does not start).
    if (request.command === 'plan') signals.forward((signal) => opened.control.stop(signal));
    const { plan, current, confirmed } = await makeOrLoadPlan(setup, setup.desired!, store, opened, {
      remembered,
      scope,
    });
    const manifestFacts = manifestFactsOf(setup.desired!);
    setup.desired = undefined;
    showPlan(setup, plan, current);
    let ending = judge(setup, current, plan, signals.received);
    setup.endPhase('plan');
    let applied: ApplyResult | undefined;
    if (ending.kind === 'applied') {
      // Rendered while the apply waits on the API; written with the report.
      planDraft = PlanFileDraft.begin(plan);
      const { context, logger, options } = setup;
      ({ ending, applied } = await confirmAndApply(plan, {
        io: context.io,
        logger,
        session,
        store,
        manifestFacts,
        confirmed,
        deletesRun: options.deletesRun,
        signals,
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
      rate: await keepLearnedRate(session, store, settings.baseUrl),
    };
    const { finished, results } = await finish(setup, record, planDraft);
    setup.endPhase('reports');
    await history.finished(finished, publish, results);
    return finished;
  } catch (thrown) {
    const error = interruptedBy(thrown, hold, session);
    await history.failed(error, publish, session === undefined ? undefined : tally(session));
    throw error;
  } finally {
    // A lock that cannot be freed (the database gone) goes stale and is taken over: the run's own ending stands.
    await hold?.lock
      .release()
      .catch((error: unknown) =>
        setup.logger.warn({ err: error }, 'the state store lock could not be released'),
      );
    hold?.signals.dispose();
    planDraft?.stop();
    await store.close();
  }
}

/** Opens the state store; one that cannot be opened still ends the run in the metrics and the alert. */
async function openStore(setup: RunSetup, publish: PublishSettings): Promise<StateBackend> {
  try {
    return await openConfiguredState(setup.settings, setup.context.io);
  } catch (error) {
    await new RunHistory(setup.request.command, setup.startedAt, undefined, setup.logger).failed(
      error,
      publish,
    );
    throw error;
  }
}

/** Everything checked before the state store is opened and any request is sent. */
async function prepare(
  request: RunRequest,
  context: CommandContext<unknown>,
  startedAt: Date,
): Promise<RunSetup> {
  if (request.command === 'apply') assertMayApply(context.io, request.yes === true);
  const settings = context.config();
  const logger = context.logger();
  const endPhase = phaseTimer(logger);
  requireToken(settings);
  const saved = request.savedPlan === undefined ? undefined : readSavedPlan(request.savedPlan);
  const options = resolveRunOptions(request, saved);
  const selectors = runSelectors(request, saved, request.savedPlan);
  const manifestArguments = runManifest(request.manifest, saved, request.savedPlan);
  const manifest = await readValidManifest(manifestArguments, context.io);
  const files = request.out === undefined ? [] : [{ flag: '--out', path: request.out }];
  checkOutputs(context.io.cwd, settings.reportDir, files);
  const publish = publishSettingsOf(settings, context.io.cwd);
  const metricsWarning =
    settings.metricsFile === undefined ? undefined : metricsFileWarning(context.io.cwd, settings.metricsFile);
  if (metricsWarning !== undefined) {
    logger.warn(metricsWarning);
    // Not tried again at the end: the user was told it will not be written, and a second
    // warning about a temporary file in the same missing folder would only repeat it.
    publish.metricsFile = undefined;
  }
  endPhase('manifest');
  return {
    request,
    context,
    settings,
    publish,
    logger,
    startedAt,
    saved,
    manifestArguments,
    options,
    selectors,
    endPhase,
    ...manifest,
  };
}

/** Reads the live state of the scope's accounts; plans, or takes the saved plan as it is. */
async function makeOrLoadPlan(
  setup: RunSetup,
  desired: Desired,
  store: StateBackend,
  session: ApiSession,
  { remembered, scope }: { remembered: Remembered; scope: PlanScope | null },
) {
  const observed = await readObserved(
    accountIdsToRead(desired, remembered, scope),
    session.client,
    session.run,
  );
  setup.endPhase('live');
  const current: CurrentInputs = {
    manifestDigest: setup.manifest.digest,
    state: stateStamp(store, remembered.serial),
    observedDigest:
      setup.request.out !== undefined || setup.saved !== undefined ? digestObserved(observed) : undefined,
  };
  const fingerprint = (plain: string) => store.fingerprint(plain);
  const options = { ...setup.options, scope, fingerprint };
  const clock = () => new Date();
  if (setup.request.command !== 'apply') {
    return { plan: setup.saved?.plan ?? makePlan(desired, observed, remembered, options, clock), current };
  }
  // An apply also records what already matches (CONTRACT §14); a saved plan's run finds it in the
  // manifest and live state read again for this run, as the saved plan holds neither.
  if (setup.saved !== undefined) {
    const confirmed = confirmMatching(desired, observed, remembered, options);
    return { plan: setup.saved.plan, current, confirmed };
  }
  return { ...makePlanAndConfirm(desired, observed, remembered, options, clock), current };
}

function digestObservedMissing(): never {
  throw new InternalError('plan --out has no digest of the live state to save');
}

/** Prints the plan (`plan --json`: as JSON), and saves it for `plan --out`. */
function showPlan(
  { request, context, options, logger, manifestArguments }: RunSetup,
  plan: Plan,
  current: CurrentInputs,
): void {
  const { io } = context;
  const out = new ChunkedWriter((text) => io.stdout.write(text));
  if (request.json === true) writePlanJson(out, plan);
  else writePlanText(out, plan);
  out.flush();
  if (request.out !== undefined) {
    const { prune, allowDelete, maxDeactivations } = options;
    writeSavedPlan(request.out, {
      manifestDigest: current.manifestDigest,
      manifestPaths: manifestPaths(manifestArguments, io.cwd),
      observedDigest: current.observedDigest ?? digestObservedMissing(),
      state: current.state,
      options: { prune, allowDelete, maxDeactivations },
      plan,
    });
    io.stderr.write(`Plan saved to ${request.out}\n`);
  }
  logger.debug({ guard: describeGuard(plan.guard) }, 'safety guard');
}

/** The manifest as `plan --out` records it: each argument resolved against the cwd, and as typed. */
function manifestPaths(manifestArguments: readonly ManifestArgument[], cwd: string): SavedManifestPath[] {
  return manifestArguments.map((argument) =>
    typeof argument === 'string' ? { path: resolve(cwd, argument), given: argument } : argument,
  );
}

/**
 * A plan's reads refused because a signal stopped them end the run as that signal (exit 130/143),
 * not as the read that was refused.
 */
function interruptedBy(error: unknown, hold: RunHold | undefined, session: ApiSession | undefined): unknown {
  const signal = hold?.signals.received;
  if (signal === undefined || session?.control.reason !== signal) return error;
  return new Interrupted(signal);
}

/**
 * Whether the run goes on to apply, or ends here: a stale saved plan, the guard, or `plan`'s own
 * end (a signal that came once its reading was done: 130/143, as an apply stopped before it starts).
 */
function judge(
  { request, saved }: RunSetup,
  current: CurrentInputs,
  plan: Plan,
  signal: StopSignal | undefined,
): RunEnding {
  if (saved !== undefined) {
    const verdict = checkSaved(saved, current);
    if (!verdict.ok) {
      const message = `the saved plan ${request.savedPlan} is stale (${verdict.refusedBy}): ${verdict.reason}. Run plan again.`;
      return { kind: 'stale-plan', refusedBy: verdict.refusedBy, message };
    }
  }
  if (plan.guard.exceeded) return guardEnding(plan);
  if (request.command === 'apply') return { kind: 'applied' };
  return signal === undefined ? { kind: 'planned' } : { kind: 'interrupted', signal };
}

/** Writes the report folder (rejected.xlsx with the rows an apply hands back) and tells the user how the run ended. */
async function finish(
  { context, settings, logger, manifestArguments }: RunSetup,
  record: RunRecord,
  planDraft: PlanFileDraft | undefined,
): Promise<{ finished: RunRecord; results: ResultRow[] }> {
  const { io } = context;
  const results = resultRows(record);
  const folder = writeRecordReport(record, settings.reportDir, results, planDraft);
  if (record.applied !== undefined) {
    printApplied(io.stderr, record.applied);
    // Loaded here, not at the top: it brings exceljs (~185 ms and ~28 MB resident to load), which a
    // plan, and an apply with nothing to hand back, never use.
    const { writeRejectedRows } = await import('./rejected-report.js');
    await writeRejectedRows(folder, manifestArguments, io, record.manifest.digest, results, logger);
  } else {
    // A plan (or a run stopped before applying) hands no row back; its folder still holds the file.
    writeNoRejectedWorkbook(folder);
  }
  io.stderr.write(`Report: ${folder}\n`);
  const message = endingMessage(record);
  if (message !== undefined) io.stderr.write(`${message}\n`);
  return { finished: { ...record, reportFolder: folder }, results };
}

/** Saves what `--rate auto` learned for the next run against this API (CONTRACT §15); gives the rate for summary.json. */
async function keepLearnedRate(
  session: ApiSession,
  store: StateBackend,
  baseUrl: string,
): Promise<RateSummary> {
  const rate = session.rate();
  if (rate.mode === 'auto') await store.saveLearnedRate(baseUrl, rate.learned);
  return rate;
}

/** Every request of the run, counted once: reads (live state, look-ups) and writes, from the session's one count. */
function tally(session: ApiSession): RequestTally {
  const { requests, reads, writes, retries, perSecond } = session.counters;
  return { total: requests, reads, writes, retries, perSecond };
}
