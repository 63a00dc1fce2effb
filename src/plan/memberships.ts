import { nameKey } from '../model/vocabulary.js';
import type { MemberRef, Reason } from './action.js';
import type { AgentIndex, AgentSlot } from './agents.js';
import type { AccountContext } from './context.js';
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
  const { wanted, namesByAgent } = wantedMembers(context, departments, agents.declared);
  for (const department of departments.slots) {
    const present = new Set(department.observed?.agentIds ?? []);
    const additions: MemberRef[] = [];
    const dependsOn = department.createId === undefined ? [] : [department.createId];
    for (const agent of wanted.get(department) ?? []) {
      if (typeof agent.agentId === 'number' && present.has(agent.agentId)) continue;
      additions.push({
        label: agent.email,
        agentId: agent.agentId,
        reason: 'membership-changed',
        source: agent.desired.source,
      });
      if (agent.createId !== undefined) dependsOn.push(agent.createId);
    }
    const removals: MemberRef[] = [];
    for (const agentId of present) {
      const declared = agents.declaredByRemoteId.get(agentId);
      const label = agents.remote.get(agentId)?.email ?? `#${agentId}`;
      if (declared === undefined) {
        if (context.prune.agents) removals.push({ label, agentId, reason: 'absent-from-manifest' });
        continue;
      }
      const names = namesByAgent.get(declared);
      if (names !== undefined && !names.includes(department.nameKey)) {
        removals.push({ label, agentId, reason: 'membership-changed', source: declared.desired.source });
      }
    }
    addBatch(context, department, 'department.add_agents', additions, dependsOn);
    addBatch(context, department, 'department.remove_agents', removals, []);
  }
}

/** Who each department should hold, and the department names each agent's cell gives (when it has the column). */
function wantedMembers(
  context: AccountContext,
  departments: DepartmentIndex,
  agents: Map<string, AgentSlot>,
) {
  const wanted = new Map<DepartmentSlot, AgentSlot[]>();
  // Arrays, not sets: a cell names one to three departments, and there is one per agent.
  const namesByAgent = new Map<AgentSlot, string[]>();
  // Cells repeat the same few department names thousands of times: normalise each spelling once.
  const keys = new Map<string, string>();
  const keyOf = (name: string) => {
    let key = keys.get(name);
    if (key === undefined) {
      key = nameKey(name);
      keys.set(name, key);
    }
    return key;
  };
  for (const agent of agents.values()) {
    const listed = agent.desired.departments;
    if (listed === undefined) continue;
    const names: string[] = [];
    namesByAgent.set(agent, names);
    for (const name of listed) {
      const key = keyOf(name);
      if (names.includes(key)) continue;
      names.push(key);
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
  }
  return { wanted, namesByAgent };
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
      dependsOn,
      ...(department.desired ? { source: department.desired.source } : {}),
      params: { departmentId: department.departmentId, agents: members },
    },
    department.nameKey,
  );
}
