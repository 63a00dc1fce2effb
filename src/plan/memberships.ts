import { emailKey, nameKey, type OmnizeId } from '../model/vocabulary.js';
import type { Cause, IdRef, MemberRef, Reason } from './action.js';
import type { AgentIndex, AgentSlot } from './agents.js';
import { actionCause, fieldCause } from './cause.js';
import { type AccountContext, membershipKey } from './context.js';
import type { DepartmentIndex, DepartmentSlot } from './departments.js';

/**
 * Plans one account's memberships: per department at most one `add_agents` and
 * one `remove_agents`, whatever the number of agents (CONTRACT §5).
 *
 * A department's wanted members are the declared agents whose `departments`
 * cell names it. A remote member is removed when the manifest declares that
 * agent with a `departments` cell that does not name the department (the cell is
 * exact), or, with `--prune`, when the manifest does not declare the agent at
 * all. An agent whose `departments` column is absent keeps its memberships.
 */
export function planMemberships(
  context: AccountContext,
  departments: DepartmentIndex,
  agents: AgentIndex,
): void {
  const keyOf = nameKeys();
  const wanted = wantedMembers(context, departments, agents.declared, keyOf);
  const confirming = context.builder.confirmed !== undefined && typeof context.accountId === 'number';
  const recordedMembers = confirming ? recordedAgentMembers(context) : undefined;
  for (const department of departments.slots) {
    const present = new Set(department.observed?.agentIds ?? []);
    const additions: MemberRef[] = [];
    const dependsOn = department.createId === undefined ? [] : [department.createId];
    const causeOf = (email: string, member: boolean) =>
      memberCause(context, department.departmentId, email, member);
    const matching: string[] | undefined =
      confirming && typeof department.departmentId === 'number' ? [] : undefined;
    for (const agent of wanted.get(department) ?? []) {
      if (typeof agent.agentId === 'number' && present.has(agent.agentId)) {
        if (matching !== undefined) matching.push(emailKey(agent.email));
        continue;
      }
      additions.push({
        label: agent.email,
        agentId: agent.agentId,
        reason: 'membership-changed',
        cause: causeOf(agent.email, true),
        source: agent.desired.source,
      });
      if (agent.createId !== undefined) dependsOn.push(agent.createId);
    }
    const removals: MemberRef[] = [];
    // forEach, not for…of: a department holds thousands of agents (see planAgents).
    present.forEach((agentId) => {
      const declared = agents.declaredByRemoteId.get(agentId);
      if (declared === undefined) {
        if (context.prune.agents) {
          const label = agents.remoteLabel(agentId);
          removals.push({ label, agentId, reason: 'absent-from-manifest', cause: 'manifest' });
        }
        return;
      }
      const listed = declared.desired.departments;
      if (listed !== undefined && !namesKey(listed, listed.length, department.nameKey, keyOf)) {
        const { source } = declared.desired;
        const label = agents.remoteLabel(agentId);
        const cause = causeOf(declared.email, false);
        removals.push({ label, agentId, reason: 'membership-changed', cause, source });
      }
    });
    addBatch(context, department, 'department.add_agents', additions, dependsOn);
    addBatch(context, department, 'department.remove_agents', removals, []);
    if (matching !== undefined) {
      const departmentId = department.departmentId as OmnizeId;
      const absent = (recordedMembers!.get(departmentId) ?? []).filter((email) =>
        absentAsManifestSays(agents, department, present, email, keyOf),
      );
      confirmMembers(context, departmentId, matching, absent);
    }
  }
}

/**
 * What memberships already match (CONTRACT §14): declared members present live and not recorded
 * present, and recorded members the manifest leaves out that are absent live. Only agents with a
 * `departments` column: without it memberships are not managed.
 */
function confirmMembers(
  context: AccountContext,
  departmentId: OmnizeId,
  matching: string[],
  absent: string[],
) {
  const { memberships } = context.recorded;
  const present = matching.filter(
    (email) => memberships.get(membershipKey(departmentId, 'agent', email)) !== true,
  );
  const accountId = context.accountId as OmnizeId;
  const batch = { accountId, departmentId, kind: 'agent' as const };
  const confirmed = context.builder.confirmed!;
  if (present.length > 0) confirmed.memberships.push({ ...batch, members: present, present: true });
  if (absent.length > 0) confirmed.memberships.push({ ...batch, members: absent, present: false });
}

/** Whether the declared agent `email` is out of the department in the manifest (its cell does not name it) and live. */
function absentAsManifestSays(
  agents: AgentIndex,
  department: DepartmentSlot,
  present: Set<OmnizeId>,
  email: string,
  keyOf: (name: string) => string,
): boolean {
  const declared = agents.declared.get(email);
  const listed = declared?.desired.departments;
  if (listed === undefined) return false;
  if (namesKey(listed, listed.length, department.nameKey, keyOf)) return false;
  return typeof declared!.agentId !== 'number' || !present.has(declared!.agentId);
}

/** The agents recorded present in each department of the account, by department ID. Apply only. */
function recordedAgentMembers(context: AccountContext): Map<OmnizeId, string[]> {
  const byDepartment = new Map<OmnizeId, string[]>();
  context.recorded.memberships.forEach((present, key) => {
    if (!present) return;
    // membershipKey: `departmentId kind member`; an e-mail holds no space, a department ID neither.
    const [id, kind, member] = key.split(' ', 3) as [string, string, string];
    if (kind !== 'agent') return;
    const departmentId = Number(id);
    const members = byDepartment.get(departmentId);
    if (members === undefined) byDepartment.set(departmentId, [member]);
    else members.push(member);
  });
  return byDepartment;
}

/** The cause of making `email` a member of the department (`member`) or not, from what apply last made. */
function memberCause(context: AccountContext, departmentId: IdRef, email: string, member: boolean): Cause {
  const { memberships } = context.recorded;
  // A department created in this run has no record; nor has an account without any.
  if (typeof departmentId !== 'number' || memberships.size === 0) return 'new';
  return fieldCause(member, memberships.get(membershipKey(departmentId, 'agent', emailKey(email))));
}

/** `nameKey` of each spelling, worked out once: cells repeat the same few names thousands of times. */
function nameKeys(): (name: string) => string {
  const keys = new Map<string, string>();
  return (name) => {
    let key = keys.get(name);
    if (key === undefined) {
      key = nameKey(name);
      keys.set(name, key);
    }
    return key;
  };
}

/**
 * Who each department should hold: the declared agents whose `departments` cell names it. Nothing
 * is kept per agent (the cell is read again for removals): 100,000 agents with a list of names
 * each cost ~30 MB of garbage.
 */
function wantedMembers(
  context: AccountContext,
  departments: DepartmentIndex,
  agents: Map<string, AgentSlot>,
  keyOf: (name: string) => string,
): Map<DepartmentSlot, AgentSlot[]> {
  const wanted = new Map<DepartmentSlot, AgentSlot[]>();
  agents.forEach((agent) => {
    const listed = agent.desired.departments;
    if (listed === undefined) return;
    for (let index = 0; index < listed.length; index += 1) {
      const name = listed[index]!;
      const key = keyOf(name);
      if (namesKey(listed, index, key, keyOf)) continue;
      const department = departments.byName.get(key);
      if (department === undefined) {
        context.builder.notice({
          kind: 'unknown-department',
          account: context.scope.label,
          target: agent.email,
          message: `agent ${agent.email} names department "${name}", which neither the manifest nor the account has; that membership is not planned`,
          source: agent.desired.source,
        });
        continue;
      }
      const members = wanted.get(department);
      if (members === undefined) wanted.set(department, [agent]);
      else members.push(agent);
    }
  });
  return wanted;
}

/** Whether one of the first `count` names of a cell has `key` (a loop: this runs per agent). */
function namesKey(listed: readonly string[], count: number, key: string, keyOf: (name: string) => string) {
  for (let index = 0; index < count; index += 1) if (keyOf(listed[index]!) === key) return true;
  return false;
}

function addBatch(
  context: AccountContext,
  department: DepartmentSlot,
  kind: 'department.add_agents' | 'department.remove_agents',
  members: MemberRef[],
  dependsOn: string[],
): void {
  if (members.length === 0) return;
  const labels = members.map((member) => member.label);
  const reason: Reason = members.some((member) => member.reason === 'membership-changed')
    ? 'membership-changed'
    : 'absent-from-manifest';
  context.builder.add(
    {
      kind,
      account: context.scope.label,
      target: department.name,
      before: kind === 'department.add_agents' ? {} : { agents: labels },
      after: kind === 'department.add_agents' ? { agents: labels } : {},
      reason,
      cause: actionCause(members.map((member) => member.cause)),
      dependsOn,
      ...(department.desired ? { source: department.desired.source } : {}),
      params: { departmentId: department.departmentId, agents: members },
    },
    department.nameKey,
  );
}
