import { emailKey, type OmnizeId } from '../model/vocabulary.js';
import type { ActionOf, MemberRef } from '../plan/action.js';
import type { ActionRun } from './action-run.js';
import type { Executors } from './executors.js';
import { describeError, mayHaveApplied, RunStopped } from './failures.js';
import { isRejection, type Settled } from './outcome.js';
import type { ActionError, MemberFailure, SkippedMember } from './types.js';
import { endedInWords, skippedMembersInWords } from './words.js';

/**
 * The most agents one add_agents/remove_agents request carries; larger batches
 * are sent in chunks of this size. The document gives no limit; 500 IDs keep a
 * body near 5 KB, and a rejected chunk needs at most 2·log2(500) ≈ 18 more
 * requests to isolate one agent.
 */
export const MEMBERSHIP_BATCH_LIMIT = 500;

/** Failures named in an outcome's message; the rest are in `memberFailures`. */
const FAILURES_IN_MESSAGE = 3;

type MembershipKind = 'department.add_agents' | 'department.remove_agents';

interface Member {
  ref: MemberRef;
  agentId: OmnizeId;
}

/**
 * Sends one department's membership batch, in chunks. A chunk the API rejects
 * is split in halves, and each half sent again, until the agent it chokes on
 * is isolated; everything else lands. A member whose own create did not
 * succeed is held back alone, as a `skippedMembers` entry: its failure is the
 * create's, counted once there, so it does not fail the batch. `ok` when every
 * member sent landed; otherwise `memberFailures` names each one that did not.
 */
async function runMembership(run: ActionRun<ActionOf<MembershipKind>>): Promise<Settled> {
  const { action } = run;
  const { client } = run.context;
  const departmentId = run.resolve(action.params.departmentId);
  const send =
    action.kind === 'department.add_agents'
      ? (ids: OmnizeId[]) => client.addAgentsToDepartment(departmentId, ids)
      : (ids: OmnizeId[]) => client.removeAgentsFromDepartment(departmentId, ids);
  const { members, skipped } = resolveMembers(run, action.params.agents);
  if (members.length === 0) {
    const because = skipped.length === 0 ? 'no member to send' : skippedMembersInWords(skipped);
    return { status: 'skipped', because: `nothing to send: ${because}` };
  }
  const failures: MemberFailure[] = [];
  for (let start = 0; start < members.length; start += MEMBERSHIP_BATCH_LIMIT) {
    await sendBatch(run, send, members.slice(start, start + MEMBERSHIP_BATCH_LIMIT), failures);
  }
  await recordLanded(run, departmentId, members, failures);
  return settleMembership(action, members.length, failures, skipped);
}

/** add_agents and remove_agents: one batch per department. */
export const membershipExecutors: Pick<Executors, MembershipKind> = {
  'department.add_agents': runMembership,
  'department.remove_agents': runMembership,
};

/**
 * Remembers the members that landed, by lower-cased e-mail (CONTRACT §14: drift); a member the
 * account's agent list did not show (`#ID`) has no e-mail to be remembered by.
 */
async function recordLanded(
  run: ActionRun<ActionOf<MembershipKind>>,
  departmentId: OmnizeId,
  members: readonly Member[],
  failures: readonly MemberFailure[],
): Promise<void> {
  const accountId = await run.accountId();
  if (accountId === undefined) return;
  const failed = new Set(failures.map((failure) => failure.agentId));
  const landed: string[] = [];
  for (const member of members) {
    if (failed.has(member.agentId) || member.ref.label.startsWith('#')) continue;
    landed.push(emailKey(member.ref.label));
  }
  if (landed.length === 0) return;
  const present = run.action.kind === 'department.add_agents';
  run.recordLater({
    kind: 'memberships',
    change: { accountId, departmentId, kind: 'agent', members: landed, present },
  });
}

function resolveMembers(
  run: ActionRun,
  refs: readonly MemberRef[],
): { members: Member[]; skipped: SkippedMember[] } {
  const members: Member[] = [];
  const skipped: SkippedMember[] = [];
  for (const ref of refs) {
    if (typeof ref.agentId === 'number') {
      members.push({ ref, agentId: ref.agentId });
      continue;
    }
    const createId = ref.agentId.fromAction;
    const outcome = run.outcomeOf(createId);
    if (outcome?.status === 'ok' && outcome.remoteId !== undefined) {
      members.push({ ref, agentId: outcome.remoteId });
      continue;
    }
    skipped.push({ ...named(ref), because: `creating the agent ${endedInWords(outcome)}` });
  }
  return { members, skipped };
}

async function sendBatch(
  run: ActionRun,
  send: (ids: OmnizeId[]) => Promise<void>,
  batch: Member[],
  failures: MemberFailure[],
): Promise<void> {
  try {
    await run.write(() => send(batch.map((member) => member.agentId)));
  } catch (error) {
    // Nothing of the action was sent: let it be skipped like any action the stop caught first.
    if (error instanceof RunStopped && run.attempts === 0) throw error;
    if (isRejection(error) && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await sendBatch(run, send, batch.slice(0, half), failures);
      await sendBatch(run, send, batch.slice(half), failures);
      return;
    }
    const status = error instanceof RunStopped ? 'skipped' : mayHaveApplied(error) ? 'unknown' : 'failed';
    const described = describeError(error);
    for (const member of batch) {
      failures.push({ ...named(member.ref), agentId: member.agentId, status, error: described });
    }
  }
}

/** `ok` when every member sent landed; the members left out because their create failed do not fail it. */
function settleMembership(
  action: ActionOf<MembershipKind>,
  sent: number,
  failures: MemberFailure[],
  skipped: SkippedMember[],
): Settled {
  const left = skipped.length === 0 ? {} : { skippedMembers: skipped };
  if (failures.length === 0) return { status: 'ok', ...left };
  const verb = action.kind === 'department.add_agents' ? 'added to' : 'removed from';
  const listed = failures
    .slice(0, FAILURES_IN_MESSAGE)
    .map((failure) => `${failure.label}: ${failure.error.message}`);
  if (failures.length > FAILURES_IN_MESSAGE) listed.push('…');
  const error: ActionError = {
    kind: failures[0]!.error.kind,
    message: `${failures.length} of ${sent} agents not ${verb} ${action.target}: ${listed.join('; ')}`,
  };
  const definite = failures.some((failure) => failure.status !== 'unknown');
  return definite
    ? { status: 'failed', error, memberFailures: failures, ...left }
    : { status: 'unknown', error, memberFailures: failures, ...left };
}

function named(ref: MemberRef): Pick<MemberFailure, 'label' | 'source'> {
  return ref.source === undefined ? { label: ref.label } : { label: ref.label, source: ref.source };
}
