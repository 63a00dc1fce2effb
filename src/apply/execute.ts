import type { PlannedAction } from '../plan/action.js';
import { appliedByCreate, markCreateUnknown, runAccountAction } from './accounts.js';
import type { ActionRun } from './action-run.js';
import { runAgentAction } from './agents.js';
import { runDepartmentAction } from './departments.js';
import { RunStopped } from './failures.js';
import { runMembership } from './membership.js';
import { interrupted, type Settled, SKIPPED_BY_STOP, settledFromError, stillInFlight } from './outcome.js';
import type { StopReason } from './types.js';

/** Runs one action whose dependencies succeeded and turns whatever it threw into an outcome. */
export async function execute(run: ActionRun): Promise<Settled> {
  try {
    return await dispatch(run, run.action);
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
    run.context.journal.settleOpen(action.id, { outcome: 'unknown', error: settled.error?.message });
    return settled;
  }
  if (run !== undefined && run.attempts > 0) return interrupted(run, new RunStopped(reason));
  return { status: 'skipped', because: SKIPPED_BY_STOP[reason] };
}

function dispatch(run: ActionRun, action: PlannedAction): Promise<Settled> {
  switch (action.kind) {
    case 'account.create':
    case 'account.update':
    case 'account.activate':
    case 'account.deactivate':
    case 'account.delete':
    case 'account.set_licenses':
    case 'account.set_license_code':
      return runAccountAction(run, action);
    case 'department.create':
    case 'department.update':
    case 'department.activate':
    case 'department.deactivate':
    case 'department.add_channels':
    case 'department.remove_channels':
      return runDepartmentAction(run, action);
    case 'department.add_agents':
    case 'department.remove_agents':
      return runMembership(run, action);
    case 'agent.create':
    case 'agent.update':
    case 'agent.set_profile':
      return runAgentAction(run, action);
  }
}
