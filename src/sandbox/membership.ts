import type { SandboxAgent } from './data.js';
import { readChannels, readId } from './input.js';
import { SANDBOX_ERRORS } from './messages.js';
import type { DepartmentRecord, SandboxStore } from './store.js';
import { type Answer, agentObject, failure, type Handler, success } from './wire.js';

/**
 * The membership calls validate the whole batch before changing anything: one
 * unknown agent or channel rejects the call and nothing lands, which is what
 * makes the client's "split the batch in halves" strategy necessary.
 */
function agentsOf(
  store: SandboxStore,
  department: DepartmentRecord,
  value: unknown,
): { ok: true; agents: SandboxAgent[] } | { ok: false; error: string } {
  if (!Array.isArray(value) || value.length === 0) return { ok: false, error: SANDBOX_ERRORS.agentsBlank };
  const agents: SandboxAgent[] = [];
  for (const item of value) {
    const agent = store.liveAgent(readId(item));
    if (agent === undefined) return { ok: false, error: SANDBOX_ERRORS.agentNotFound };
    if (agent.account_id !== department.account_id) {
      return { ok: false, error: SANDBOX_ERRORS.agentOfAnotherAccount };
    }
    agents.push(agent);
  }
  return { ok: true, agents };
}

function changeMembers(change: 'add' | 'remove'): Handler {
  return ({ store, id, body, now }): Answer => {
    const department = store.liveDepartment(readId(id));
    if (department === undefined) return failure(SANDBOX_ERRORS.departmentNotFound);
    const named = agentsOf(store, department, body.agents);
    if (!named.ok) return failure(named.error);
    for (const agent of named.agents) {
      if (change === 'add') department.agentIds.add(agent.id);
      else department.agentIds.delete(agent.id);
    }
    department.change_date = now;
    return success(store.membersOf(department).map(agentObject));
  };
}

function changeChannels(change: 'add' | 'remove'): Handler {
  return ({ store, id, body, now }): Answer => {
    const department = store.liveDepartment(readId(id));
    if (department === undefined) return failure(SANDBOX_ERRORS.departmentNotFound);
    if (!Array.isArray(body.channels) || body.channels.length === 0) {
      return failure(SANDBOX_ERRORS.channelsBlank);
    }
    const channels = readChannels(body.channels);
    if (channels === undefined) return failure(SANDBOX_ERRORS.invalidChannel);
    department.channels =
      change === 'add'
        ? [...department.channels, ...channels.filter((channel) => !department.channels.includes(channel))]
        : department.channels.filter((channel) => !channels.includes(channel));
    department.change_date = now;
    return success([...department.channels]);
  };
}

/** POST /departments/:id/add_agents `{token, agents:["123",…]}` → the department's agents after the change. Adding a member again is harmless. */
export const addAgents = changeMembers('add');
/** POST /departments/:id/remove_agents → the department's agents after the change. Removing a non-member is harmless. */
export const removeAgents = changeMembers('remove');
/** POST /departments/:id/add_channels `{token, channels:["audio"]}` → the channel list after the change. */
export const addChannels = changeChannels('add');
/** POST /departments/:id/remove_channels → the channel list after the change. */
export const removeChannels = changeChannels('remove');
