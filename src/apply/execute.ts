import type { PlannedAction } from '../plan/action.js';
import { runAccountAction } from './accounts.js';
import type { ActionRun } from './action-run.js';
import { runAgentAction } from './agents.js';
import { runDepartmentAction } from './departments.js';
import type { ActionEnvironment } from './environment.js';
import { runMembership } from './membership.js';
import { type Settled, settledFromError } from './outcome.js';

/** Runs one action whose dependencies succeeded, turns whatever it threw into an outcome, and settles its journal entry. */
export async function execute(run: ActionRun, env: ActionEnvironment): Promise<Settled> {
  let settled: Settled;
  try {
    settled = await dispatch(run, env, run.action);
  } catch (error) {
    settled = settledFromError(run, error);
  }
  run.settleJournal(settled);
  return settled;
}

function dispatch(run: ActionRun, env: ActionEnvironment, action: PlannedAction): Promise<Settled> {
  switch (action.kind) {
    case 'account.create':
    case 'account.update':
    case 'account.activate':
    case 'account.deactivate':
    case 'account.delete':
    case 'account.set_licenses':
    case 'account.set_license_code':
      return runAccountAction(run, env, action);
    case 'department.create':
    case 'department.update':
    case 'department.activate':
    case 'department.deactivate':
    case 'department.add_channels':
    case 'department.remove_channels':
      return runDepartmentAction(run, env, action);
    case 'department.add_agents':
    case 'department.remove_agents':
      return runMembership(run, env, action);
    case 'agent.create':
    case 'agent.update':
    case 'agent.set_profile':
      return runAgentAction(run, env, action);
  }
}
