import { type ApplyEvents, type ApplyResult, startApply } from '../apply/index.js';
import { countStatuses } from '../apply/outcome-table.js';
import { recordConfirmed } from '../apply/record-confirmed.js';
import { recordPasswords } from '../apply/record-passwords.js';
import type { CliIO } from '../cli/command.js';
import type { Logger } from '../log/logger.js';
import type { Desired } from '../model/desired.js';
import { type Confirmed, type ManifestPasswords, type Plan, passwordLookup } from '../plan/index.js';
import type { StateBackend } from '../state/index.js';
import type { ApiSession } from './api-session.js';
import { confirmOnTerminal } from './confirm.js';
import { startProgress } from './progress.js';
import type { RunEnding } from './record.js';
import type { SignalWatch } from './signals.js';

/** What running a plan needs besides the plan. */
export interface ApplyStepInputs {
  io: CliIO;
  logger: Logger;
  session: ApiSession;
  store: StateBackend;
  /** What apply needs of the manifest's model, taken from it before it is let go. */
  manifestFacts: ManifestFacts;
  /** The managed values that already matched, recorded once the actions are done (CONTRACT §14). */
  confirmed: Confirmed | undefined;
  deletesRun: boolean;
  signals: SignalWatch;
  /** `--yes`: apply without asking. */
  yes: boolean;
}

/** Asks on a terminal before a plan with changes is applied (CONTRACT §2); `--yes` skips the question. */
async function confirmApply(plan: Plan, inputs: Pick<ApplyStepInputs, 'io' | 'yes'>): Promise<boolean> {
  if (plan.actions.length === 0 || inputs.yes) return true;
  return confirmOnTerminal(inputs.io, `Apply these ${plan.actions.length} changes?`);
}

/** Runs the plan's actions, with progress shown and signals passed on; resolves with what happened. */
async function runActions(plan: Plan, inputs: ApplyStepInputs): Promise<ApplyResult> {
  const { session, store, logger } = inputs;
  const progress = trackProgress(plan, inputs);
  const { passwords } = inputs.manifestFacts;
  const run = startApply(plan, session, {
    passwords,
    allowDelete: inputs.deletesRun,
    events: progress.events,
  });
  inputs.signals.forward((signal) => run.stop(signal));
  const result = await run.done;
  progress.stop();
  if (result.stoppedBy === undefined) await store.recordKindsSeen(inputs.manifestFacts.kindsPresent);
  // A kept password is a fact of the live state the plan was read from, whatever stopped the run;
  // only a store that refuses writes cannot take it.
  if (result.stoppedBy !== 'state-store') {
    await recordPasswords(plan.passwordsToRecord, store, passwords, (plain) => store.fingerprint(plain));
    // Facts of the live state read for this run like kept passwords: they stand whatever stopped it.
    const recorded = await recordConfirmed(inputs.confirmed, store);
    logger.debug({ recorded }, 'values that already matched recorded');
  }
  logger.debug({ stoppedBy: result.stoppedBy }, 'apply finished');
  return result;
}

/** Turns the executor's events into the progress line or log lines (ARCHITECTURE rule 8). */
function trackProgress(plan: Plan, { io, logger, session }: ApplyStepInputs) {
  let done = 0;
  let failed = 0;
  const auto = session.rate().mode === 'auto';
  const display = startProgress(
    () => ({
      done,
      total: plan.actions.length,
      failed,
      requests: session.counters.requests,
      ...(auto ? { rateInForce: session.rateInForce() } : {}),
    }),
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

/**
 * What apply needs of the manifest's model: its passwords (a saved plan holds none) and which
 * kinds it declares. The model itself — ~40 MB for 100,000 agents — is let go once the plan is
 * made, so it does not stay in memory while the plan runs.
 */
export interface ManifestFacts {
  passwords: ManifestPasswords;
  kindsPresent: ('accounts' | 'departments' | 'agents')[];
}

export function manifestFactsOf(desired: Desired): ManifestFacts {
  const kindsPresent = Object.entries(desired.kindsPresent)
    .filter(([, present]) => present)
    .map(([kind]) => kind) as ManifestFacts['kindsPresent'];
  return { passwords: passwordLookup(desired), kindsPresent };
}

/** A signal before the start ends the run; a "no" on the terminal too; otherwise the plan runs. */
export async function confirmAndApply(
  plan: Plan,
  inputs: ApplyStepInputs,
): Promise<{ ending: RunEnding; applied?: ApplyResult }> {
  const { received } = inputs.signals;
  if (received !== undefined) return { ending: { kind: 'interrupted', signal: received } };
  if (!(await confirmApply(plan, inputs))) return { ending: { kind: 'declined' } };
  return { ending: { kind: 'applied' }, applied: await runActions(plan, inputs) };
}

export function printApplied(stderr: NodeJS.WritableStream, result: ApplyResult): void {
  const counts = countStatuses(result.outcomes);
  const stopped = result.stoppedBy === undefined ? '' : ` Stopped early: ${result.stoppedBy}.`;
  stderr.write(
    `Applied: ${counts.ok} ok, ${counts.failed} failed, ${counts.unknown} unknown, ${counts.skipped} skipped; ${result.requests.writes} write requests, ${result.retries} retries.${stopped}\n`,
  );
}
