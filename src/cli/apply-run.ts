import { type ApplyEvents, type ApplyResult, recoverInterruptedRuns, startApply } from '../apply/index.js';
import { EXIT, FatalApiError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import {
  assertWithinGuard,
  digestObserved,
  type Plan,
  passwordLookup,
  renderPlanText,
} from '../plan/index.js';
import { appliedRow, plannedRow, type ResultRow } from '../report/results.js';
import { createRunFolder } from '../report/run-folder.js';
import { writeRunReport } from '../report/write-report.js';
import { StateStore } from '../state/index.js';
import { type ApiSession, openApiSession } from './api-session.js';
import type { ApplyArgs } from './apply.js';
import type { CliIO, CommandContext } from './command.js';
import { assertMayApply, confirmOnTerminal } from './confirm.js';
import { type PlanningResult, readAndPlan } from './planning.js';
import { startProgress } from './progress.js';
import { writeRejectedRows } from './rejected-report.js';
import { takeRunLock } from './run-lock.js';
import { assertInputsUnchanged, assertLiveUnchanged, loadSavedPlan, stateIdentity } from './saved-plan.js';

/** `omnize-sync apply`: plan (or check a saved plan), confirm, apply under the lock, report. */
export async function runApply({ args, io, config, logger }: CommandContext<ApplyArgs>): Promise<number> {
  assertMayApply(io, args.yes === true);
  const startedAt = new Date();
  const settings = config();
  const log = logger();
  const store = StateStore.open(settings.state);
  let execution: { stop(reason: 'SIGINT' | 'SIGTERM'): void } | undefined;
  let interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    interruptedBy ??= signal;
    log.warn({ signal }, 'stopping: no new request starts; requests in flight may finish');
    execution?.stop(signal);
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const lock = takeRunLock(store, 'apply', log, () => {
      log.error('another run took over the state store lock; stopping');
      onSignal('SIGTERM');
    });
    try {
      const recovery = recoverInterruptedRuns(store, lock.runId);
      for (const key of recovery.unknownAccounts) {
        log.warn(
          { account: key },
          `a run that died had sent the create of account ${key} and never learnt its outcome: it is not created again until \`omnize-sync state adopt ${key} ID\` names the account (find it in Omnize by its e-mail)`,
        );
      }
      const session = await openApiSession(settings, log, { store, runId: lock.runId });
      const planning = await planForApply(args, io, store, session);
      const { plan } = planning;
      const folder = () => createRunFolder(settings.reportDir, 'apply', startedAt);
      const report = (exitCode: number, results: ResultRow[], result?: ApplyResult) => {
        const where = folder();
        writeRunReport(where, {
          command: 'apply',
          startedAt,
          finishedAt: new Date(),
          exitCode,
          plan,
          results,
          requests: {
            total: session.counters.requests,
            reads: session.counters.reads,
            writes: session.counters.writes,
          },
          retries: session.counters.retries,
          ...(result?.stoppedBy === undefined ? {} : { stoppedBy: result.stoppedBy }),
          manifest: planning.manifest.files,
          requestTimes: session.counters.startedAt,
        });
        io.stderr.write(`Report: ${where}\n`);
        return where;
      };
      io.stdout.write(renderPlanText(plan));
      try {
        assertWithinGuard(plan);
      } catch (error) {
        report(EXIT.safetyStop, plan.actions.map(plannedRow));
        throw error;
      }
      if (interruptedBy !== undefined) return interruptedExit(interruptedBy, report, plan);
      if (plan.actions.length > 0 && args.yes !== true) {
        const confirmed = await confirmOnTerminal(io, `Apply these ${plan.actions.length} changes?`);
        if (!confirmed) {
          io.stderr.write('Nothing was applied.\n');
          return EXIT.failure;
        }
      }
      const progress = trackProgress(plan, io, log, session);
      const run = startApply(plan, session, {
        passwords: passwordLookup(planning.desired),
        allowDelete: planning.allowDelete,
        events: progress.events,
      });
      execution = run;
      if (interruptedBy !== undefined) run.stop(interruptedBy);
      const result = await run.done;
      progress.stop();
      if (result.stoppedBy === undefined) store.recordKindsSeen(kindsIn(planning));
      const exitCode = exitCodeOf(result);
      printOutcome(io, result);
      const results = plan.actions.map((action) => appliedRow(action, result.outcomes.get(action.id)!));
      const where = report(exitCode, results, result);
      await writeRejectedRows(where, args.manifest, io, planning.manifest.digest, results, log);
      if (result.stoppedBy === 'invalid-token' && result.fatalError !== undefined) {
        throw new FatalApiError(result.fatalError.message);
      }
      return exitCode;
    } finally {
      lock.release();
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    store.close();
  }
}

/** The plan to run: made now, or a saved one checked against the manifest, the state store and the live state. */
async function planForApply(
  args: ApplyArgs,
  io: CliIO,
  store: StateStore,
  session: ApiSession,
): Promise<PlanningResult & { allowDelete: boolean }> {
  if (args.plan === undefined) {
    const planning = await readAndPlan(args, io, store, session);
    return { ...planning, allowDelete: args.allowDelete === true };
  }
  const saved = loadSavedPlan(args.plan);
  const planning = await readAndPlan(
    { ...args, prune: saved.options.prune, allowDelete: saved.options.allowDelete },
    io,
    store,
    session,
  );
  assertInputsUnchanged(args.plan, saved, {
    manifestDigest: planning.manifest.digest,
    state: { identity: stateIdentity(store), serial: planning.remembered.serial },
  });
  assertLiveUnchanged(args.plan, saved, digestObserved(planning.observed));
  return {
    ...planning,
    plan: saved.plan,
    allowDelete: saved.options.allowDelete || args.allowDelete === true,
  };
}

/** Turns the executor's events into the progress line or log lines (ARCHITECTURE rule 8). */
function trackProgress(plan: Plan, io: CliIO, logger: Logger, session: ApiSession) {
  let done = 0;
  let failed = 0;
  const display = startProgress(
    () => ({ done, total: plan.actions.length, failed, requests: session.counters.requests }),
    { stderr: io.stderr, logger },
  );
  const events: Partial<ApplyEvents> = {
    actionFinished(_action, outcome) {
      done += 1;
      if (outcome.status === 'failed' || outcome.status === 'unknown') failed += 1;
    },
    runStopped(reason) {
      logger.warn({ reason }, 'the run stopped sending');
    },
  };
  return { events, stop: () => display.stop() };
}

function kindsIn(planning: PlanningResult) {
  return Object.entries(planning.desired.kindsPresent)
    .filter(([, present]) => present)
    .map(([kind]) => kind) as ('accounts' | 'departments' | 'agents')[];
}

/** CONTRACT §10: 0 all applied; 3 some failed or unknown (or the circuit breaker); 1 invalid token; 130/143 signals. */
function exitCodeOf(result: ApplyResult): number {
  switch (result.stoppedBy) {
    case 'SIGINT':
      return EXIT.interrupted;
    case 'SIGTERM':
      return EXIT.terminated;
    case 'invalid-token':
    case 'state-store':
      return EXIT.failure;
    case 'circuit-breaker':
      return EXIT.someActionsFailed;
    default:
      break;
  }
  for (const outcome of result.outcomes.values()) {
    if (outcome.status === 'failed' || outcome.status === 'unknown') return EXIT.someActionsFailed;
  }
  return EXIT.ok;
}

function interruptedExit(
  signal: 'SIGINT' | 'SIGTERM',
  report: (exitCode: number, results: ResultRow[]) => string,
  plan: Plan,
): number {
  const exitCode = signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  report(exitCode, plan.actions.map(plannedRow));
  return exitCode;
}

function printOutcome(io: CliIO, result: ApplyResult): void {
  const counts = { ok: 0, failed: 0, skipped: 0, unknown: 0 };
  for (const outcome of result.outcomes.values()) counts[outcome.status] += 1;
  const stopped = result.stoppedBy === undefined ? '' : ` Stopped early: ${result.stoppedBy}.`;
  io.stderr.write(
    `Applied: ${counts.ok} ok, ${counts.failed} failed, ${counts.unknown} unknown, ${counts.skipped} skipped; ${result.requests.writes} write requests, ${result.retries} retries.${stopped}\n`,
  );
}
