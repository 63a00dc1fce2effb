import { formatRow } from '../model/source.js';
import type { ActionKind, PlannedAction } from '../plan/action.js';
import type { ActionOutcome, SkippedMember } from './types.js';

/**
 * What each kind of action does, as a person says it. Reports name actions this way, with the
 * manifest row, never by their plan ID (`agent.create:acme:ana@acme.com` is for the plan's
 * own references, not for people).
 */
const DOING: Record<ActionKind, string> = {
  'account.create': 'creating account',
  'account.update': 'updating account',
  'account.activate': 'activating account',
  'account.deactivate': 'deactivating account',
  'account.delete': 'deleting account',
  'account.set_licenses': 'setting the licenses of account',
  'account.set_license_code': 'setting the license code of account',
  'department.create': 'creating department',
  'department.update': 'updating department',
  'department.activate': 'activating department',
  'department.deactivate': 'deactivating department',
  'department.add_channels': 'adding channels to department',
  'department.remove_channels': 'removing channels from department',
  'department.add_agents': 'adding agents to department',
  'department.remove_agents': 'removing agents from department',
  'agent.create': 'creating agent',
  'agent.update': 'updating agent',
  'agent.set_profile': 'setting the profile of agent',
};

/** Skipped members named in one message; a batch of thousands would otherwise make a cell nobody reads. */
const MEMBERS_IN_MESSAGE = 3;

/** `creating agent ana@acme.com (agents.csv:14)`; without a manifest row, the account says where. */
export function actionInWords(action: PlannedAction): string {
  const where =
    action.source !== undefined
      ? ` (${formatRow(action.source)})`
      : action.kind.startsWith('account.')
        ? ''
        : ` of account ${action.account}`;
  return `${DOING[action.kind]} ${action.target}${where}`;
}

/** How an action ended, to follow its description: `failed`, `was skipped (why)`. */
export function endedInWords(outcome: ActionOutcome | undefined): string {
  switch (outcome?.status) {
    case undefined:
      return 'did not finish';
    case 'ok':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'unknown':
      return 'had an unknown outcome';
    case 'skipped':
      return `was skipped (${outcome.because})`;
  }
}

/** `bia@acme.com (agents.csv:14) skipped: creating the agent failed`, for the first few members. */
export function skippedMembersInWords(members: readonly SkippedMember[]): string {
  const listed = members.slice(0, MEMBERS_IN_MESSAGE).map((member) => {
    const where = member.source === undefined ? '' : ` (${formatRow(member.source)})`;
    return `${member.label}${where} skipped: ${member.because}`;
  });
  const more = members.length - MEMBERS_IN_MESSAGE;
  if (more > 0) listed.push(`… and ${more} more skipped`);
  return listed.join('; ');
}
