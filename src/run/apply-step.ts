import { type ApplyEvents, type ApplyResult, startApply } from '../apply/index.js';
import type { ApiSession } from '../cli/api-session.js';
import type { CliIO } from '../cli/command.js';
import { confirmOnTerminal } from '../cli/confirm.js';
import { startProgress } from '../cli/progress.js';
import type { Logger } from '../log/logger.js';
import type { Desired } from '../model/desired.js';
import { type Plan, passwordLookup } from '../plan/index.js';
import type { StateStore } from '../state/index.js';
import type { SignalWatch } from './signals.js';

/** What running a plan needs besides the plan. */
export interface ApplyStepInputs {
  io: CliIO;
  logger: Logger;
  session: ApiSession;
  store: StateStore;
  desired: Desired;
  runId: string;
  deletesRun: boolean;
  signals: SignalWatch;
  /** `--yes`: apply without asking. */
  yes: boolean;
}

/** Asks on a terminal before a plan with changes is applied (CONTRACT §2); `--yes` skips the question. */
export async function confirmApply(
  plan: Plan,
  inputs: Pick<ApplyStepInputs, 'io' | 'yes'>,
): Promise<boolean> {
  if (plan.actions.length === 0 || inputs.yes) return true;
  return confirmOnTerminal(inputs.io, `Apply these ${plan.actions.length} changes?`);
}

/** Runs the plan's actions, with progress shown and signals passed on; resolves with what happened. */
export async function runActions(plan: Plan, inputs: ApplyStepInputs): Promise<ApplyResult> {
  const { session, store, logger } = inputs;
  const progress = trackProgress(plan, inputs);
  const run = startApply(plan, {
    client: session.client,
    store,
    gate: session.gate,
    retryPolicy: session.retryPolicy,
    passwords: passwordLookup(inputs.desired),
    fingerprint: (plain) => store.fingerprint(plain),
    runId: inputs.runId,
    allowDelete: inputs.deletesRun,
    events: progress.events,
  });
  inputs.signals.forward((signal) => run.stop(signal));
  const result = await run.done;
  progress.stop();
  if (result.stoppedBy === undefined) store.recordKindsSeen(kindsIn(inputs.desired));
  logger.debug({ stoppedBy: result.stoppedBy }, 'apply finished');
  return result;
}

/** Turns the executor's events into the progress line or log lines (ARCHITECTURE rule 8). */
function trackProgress(plan: Plan, { io, logger, session }: ApplyStepInputs) {
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

function kindsIn(desired: Desired) {
  return Object.entries(desired.kindsPresent)
    .filter(([, present]) => present)
    .map(([kind]) => kind) as ('accounts' | 'departments' | 'agents')[];
}
