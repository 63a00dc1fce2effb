import type { DesiredAgent } from '../model/desired.js';
import type { ObservedAgent } from '../model/observed.js';
import type { RememberedAgent } from '../model/remembered.js';
import { emailKey, type OmnizeId } from '../model/vocabulary.js';
import type { Cause, FieldValues, IdRef } from './action.js';
import { fieldCause, joinCause } from './cause.js';
import { type AccountContext, accountDependency } from './context.js';
import { definedOnly } from './fields.js';

/** One declared agent of an account, as memberships see it. */
export interface AgentSlot {
  email: string;
  agentId: IdRef;
  /** The agent's create action in this plan, when it is new. */
  createId?: string;
  desired: DesiredAgent;
}

/** Shown instead of a password in `before`/`after`. */
const PASSWORD_CHANGED = '(changed)';

/** An account's agents as memberships see them. */
export interface AgentIndex {
  /** Declared agents by lower-cased e-mail. */
  declared: Map<string, AgentSlot>;
  /** The declared agent each remote agent is, by remote ID; undeclared agents are absent. */
  declaredByRemoteId: Map<OmnizeId, AgentSlot>;
  /** The e-mail the API shows for an agent ID (`#ID` for one it does not list), for removals. */
  remoteLabel(agentId: OmnizeId): string;
}

/**
 * Plans one account's declared agents. Agents are matched by e-mail,
 * case-insensitively. The GET does not return `text_limit` or passwords, so
 * those are compared with the values last applied; passwords through their
 * keyed fingerprints only (see `passwordDecision`). With `--prune`, undeclared active agents become
 * notices: the API cannot deactivate agents.
 */
export function planAgents(context: AccountContext): AgentIndex {
  const remoteKeys = context.contents.agents.map((agent) => emailKey(agent.email));
  const remoteByEmail = new Map<string, ObservedAgent>();
  context.contents.agents.forEach((agent, index) => {
    const key = remoteKeys[index]!;
    if (!remoteByEmail.has(key)) remoteByEmail.set(key, agent);
  });
  const declared = new Map<string, AgentSlot>();
  // Indexed loops and forEach, not for…of: these run once per account over thousands of agents,
  // mostly before the optimiser steps in, where every step of an iterator allocates its result.
  const wanted = context.scope.agents;
  for (let index = 0; index < wanted.length; index += 1) {
    const desired = wanted[index]!;
    const key = emailKey(desired.email);
    if (declared.has(key)) continue;
    const observed = remoteByEmail.get(key);
    if (observed === undefined) {
      const createId = createAgent(context, desired, key);
      declared.set(key, { email: desired.email, agentId: { fromAction: createId }, createId, desired });
      continue;
    }
    updateAgent(context, desired, observed, key);
    declared.set(key, { email: desired.email, agentId: observed.id, desired });
  }
  const declaredByRemoteId = new Map<OmnizeId, AgentSlot>();
  let undeclared = 0;
  context.contents.agents.forEach((agent, index) => {
    const slot = declared.get(remoteKeys[index]!);
    if (slot !== undefined) {
      declaredByRemoteId.set(agent.id, slot);
      return;
    }
    undeclared += 1;
    if (context.prune.agents && agent.active) {
      context.builder.notice({
        kind: 'agent-still-active',
        account: context.scope.label,
        target: agent.email,
        message: `agent ${agent.email} is not in the manifest but stays active: the API cannot deactivate agents`,
      });
    }
  });
  context.builder.inScope += declared.size + undeclared;
  return { declared, declaredByRemoteId, remoteLabel: remoteLabels(context.contents.agents) };
}

/** Labels of remote agents by ID; indexed on first use, as most accounts have no member to remove. */
function remoteLabels(agents: readonly ObservedAgent[]): (agentId: OmnizeId) => string {
  let emails: Map<OmnizeId, string> | undefined;
  return (agentId) => {
    if (emails === undefined) {
      emails = new Map();
      // The last agent listed with an ID wins, should the API list one twice.
      for (const agent of agents) emails.set(agent.id, agent.email);
    }
    return emails.get(agentId) ?? `#${agentId}`;
  };
}

function createAgent(context: AccountContext, desired: DesiredAgent, key: string): string {
  const params = definedOnly({
    accountId: context.accountId,
    email: desired.email,
    name: desired.name,
    profile: desired.profile ?? 'AGENT',
    textLimit: desired.textLimit,
    password: desired.password === undefined ? ('generated' as const) : ('from-manifest' as const),
  });
  const after: FieldValues = { email: desired.email, name: desired.name, profile: params.profile };
  if (desired.textLimit !== undefined) after.textLimit = desired.textLimit;
  return context.builder.add(
    {
      kind: 'agent.create',
      account: context.scope.label,
      target: desired.email,
      before: {},
      after,
      reason: 'missing-remote',
      // A record of the agent means it existed: it was deleted in Omnize.
      cause: context.rememberedAgents.has(key) ? 'drift' : 'new',
      dependsOn: accountDependency(context),
      source: desired.source,
      params,
    },
    key,
  );
}

function updateAgent(
  context: AccountContext,
  desired: DesiredAgent,
  observed: ObservedAgent,
  key: string,
): void {
  // Runs once per existing agent (100k in the benchmark): compare first, build the action only on a change.
  const remembered = context.rememberedAgents.get(key);
  const nameChanged = desired.name !== observed.name;
  const limitChanged = desired.textLimit !== undefined && desired.textLimit !== remembered?.textLimit;
  const password = passwordDecision(context, desired, remembered);
  const passwordChanged = password === 'send';
  if (password === 'record') recordPassword(context, desired, observed);
  if (context.builder.confirmed !== undefined) confirmAgent(context, desired, observed, key, remembered);
  if (nameChanged || limitChanged || passwordChanged) {
    const before: FieldValues = {};
    const after: FieldValues = {};
    let cause: Cause | undefined;
    if (nameChanged) {
      [before.name, after.name] = [observed.name, desired.name];
      cause = fieldCause(desired.name, remembered?.name);
    }
    if (limitChanged) {
      [before.textLimit, after.textLimit] = [remembered?.textLimit ?? null, desired.textLimit!];
      // Never drift: the GET does not show it, so it is compared with the value last applied only.
      cause = joinCause(cause, fieldCause(desired.textLimit, remembered?.textLimit));
    }
    if (passwordChanged) {
      after.password = PASSWORD_CHANGED;
      cause = joinCause(cause, remembered?.passwordFingerprint === undefined ? 'new' : 'manifest');
    }
    const params = definedOnly({
      agentId: observed.id,
      email: desired.email,
      name: desired.name,
      textLimit: desired.textLimit,
      password: passwordChanged ? ('from-manifest' as const) : undefined,
    });
    const reason = nameChanged || limitChanged ? 'field-changed' : 'password-changed';
    const common = {
      account: context.scope.label,
      target: desired.email,
      dependsOn: [],
      source: desired.source,
    };
    context.builder.add(
      { ...common, kind: 'agent.update', before, after, reason, cause: cause!, params },
      key,
    );
  }
  if (desired.profile !== undefined && desired.profile !== observed.profile) {
    const params = { agentId: observed.id, profile: desired.profile };
    const common = {
      account: context.scope.label,
      target: desired.email,
      dependsOn: [],
      source: desired.source,
    };
    const [before, after] = [{ profile: observed.profile }, { profile: desired.profile }];
    const cause = fieldCause(desired.profile, remembered?.profile);
    context.builder.add(
      { ...common, kind: 'agent.set_profile', before, after, reason: 'field-changed', cause, params },
      key,
    );
  }
}

/**
 * What to do with an existing agent's manifest password (CONTRACT §3): `send` it
 * only when it differs from the one last applied. An agent whose password the state
 * store has no fingerprint of was never given one by this tool (its account was
 * adopted, or it is on record only for values that already matched), and may have
 * changed the one it has: it keeps it, and only the fingerprint is recorded
 * (`record`). An agent this tool created has a fingerprint of the manifest's
 * password, or the mark of the random one it generated (never equal to a
 * fingerprint), so a manifest password that differs is sent.
 */
function passwordDecision(
  context: AccountContext,
  desired: DesiredAgent,
  remembered: RememberedAgent | undefined,
): 'none' | 'unchanged' | 'send' | 'record' {
  if (desired.password === undefined) return 'none';
  if (remembered?.passwordFingerprint === undefined) return 'record';
  return context.options.fingerprint(desired.password) === remembered.passwordFingerprint
    ? 'unchanged'
    : 'send';
}

function recordPassword(context: AccountContext, desired: DesiredAgent, observed: ObservedAgent): void {
  // An observed agent lives in an account that exists, so its ID is a number, never a reference.
  if (typeof context.accountId !== 'number') return;
  context.builder.passwordsToRecord.push({
    account: context.scope.label,
    accountId: context.accountId,
    email: desired.email,
    agentId: observed.id,
    source: desired.source,
  });
}

/** The agent's name and profile that already match live and are not recorded so (CONTRACT §14). */
function confirmAgent(
  context: AccountContext,
  desired: DesiredAgent,
  observed: ObservedAgent,
  key: string,
  remembered: RememberedAgent | undefined,
): void {
  if (typeof context.accountId !== 'number') return;
  const name = desired.name === observed.name && desired.name !== remembered?.name ? desired.name : undefined;
  const profile =
    desired.profile !== undefined &&
    desired.profile === observed.profile &&
    desired.profile !== remembered?.profile
      ? desired.profile
      : undefined;
  if (name === undefined && profile === undefined) return;
  context.builder.confirmed!.agents.push(
    definedOnly({ accountId: context.accountId, email: key, name, profile }),
  );
}
