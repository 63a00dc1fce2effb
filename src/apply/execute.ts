import type { PlannedAction } from '../plan/action.js';
import { appliedByCreate, markCreateUnknown } from './accounts.js';
import type { ActionRun } from './action-run.js';
import { executorOf } from './executors.js';
import { RunStopped } from './failures.js';
import { interrupted, type Settled, SKIPPED_BY_STOP, settledFromError, stillInFlight } from './outcome.js';
import type { StopReason } from './types.js';

/** Runs one action whose dependencies succeeded and turns whatever it threw into an outcome. */
export async function execute(run: ActionRun): Promise<Settled> {
  try {
    return await executorOf(run.action.kind)(run);
  } catch (error) {
    return settledFromError(run, error);
  }
}

/**
 * The outcome of an action the drain deadline caught unfinished: one whose
 * request is still in flight may yet be applied (`unknown`; an account create
 * is marked so in the state store, then the request's journal entry is settled
 * so); one that sent something and was waiting is settled from what it sent;
 * one that sent nothing is skipped.
 */
export function settleCutOff(action: PlannedAction, run: ActionRun | undefined, reason: StopReason): Settled {
  if (run !== undefined && run.inFlight > 0) {
    const settled = stillInFlight();
    if (action.kind === 'account.create') markCreateUnknown(run, action, appliedByCreate(action.params));
    run.context.journal.settleOpen(action, { outcome: 'unknown', error: settled.error?.message });
    return settled;
  }
  if (run !== undefined && run.attempts > 0) return interrupted(run, new RunStopped(reason));
  return { status: 'skipped', because: SKIPPED_BY_STOP[reason] };
}
