import type { WriteClient } from '../../src/apply/types.js';
import type { Observed, ObservedAgent } from '../../src/model/observed.js';
import type { Channel, OmnizeId, Profile } from '../../src/model/vocabulary.js';
import {
  ApiProtocolError,
  ApiRejectedError,
  InvalidTokenError,
  TransientApiError,
  type TransientCause,
} from '../../src/omnize/errors.js';
import type {
  AccountChanges,
  AgentChanges,
  DepartmentChanges,
  NewAccount,
  NewAgent,
  NewDepartment,
  RemoteDepartment,
} from '../../src/omnize/types.js';
import type { FakeClock } from '../limits/fake-clock.js';

/** How one scripted request ends. */
export type Reply =
  | 'ok'
  | 'invalid-token'
  | { reject: string }
  | { transient: TransientCause; outcomeUnknown?: boolean; applied?: boolean; retryAfterMs?: number }
  | { protocol: number; applied?: boolean };

/** One scripted answer: how it ends, and how long (virtual ms) it takes. */
export interface Step {
  reply: Reply;
  delayMs?: number;
}

export type Method = keyof WriteClient;

/** One request as the fake saw it. */
export interface LoggedRequest {
  method: Method;
  args: unknown[];
  startedAt: number;
  endedAt?: number;
  /** `ok`, or the error's name. */
  result?: string;
}

const ENDPOINTS: Record<Method, string> = {
  createAccount: 'POST /accounts',
  updateAccount: 'PUT /accounts/:id',
  activateAccount: 'PUT /accounts/:id',
  deactivateAccount: 'PUT /accounts/:id',
  deleteAccount: 'DELETE /accounts/:id',
  setLicenseQuantity: 'PUT /accounts/:id',
  setLicenseCode: 'PUT /accounts/:id',
  createDepartment: 'POST /departments',
  updateDepartment: 'PUT /departments/:id',
  addChannelsToDepartment: 'POST /departments/:id/add_channels',
  removeChannelsFromDepartment: 'POST /departments/:id/remove_channels',
  addAgentsToDepartment: 'POST /departments/:id/add_agents',
  removeAgentsFromDepartment: 'POST /departments/:id/remove_agents',
  createAgent: 'POST /agents',
  updateAgent: 'PUT /agents/:id',
  updateAgentProfile: 'PUT /agents/:id/profile',
  listAgents: 'GET /agents',
  listDepartments: 'GET /departments',
};

interface FakeDepartment extends RemoteDepartment {
  channels: Channel[];
  agentIds: Set<OmnizeId>;
}

/**
 * A scripted Partner API client over a tiny in-memory API. Every call is logged
 * in order with its virtual start and end; `inFlight`/`maxInFlight` count calls
 * being answered. Each call takes `latencyMs` of virtual time and succeeds,
 * unless a scripted step (consumed in order, per method, optionally only for
 * calls `when` matches) says otherwise. A transient step with `applied: true`
 * applies the request and then loses the answer.
 */
export class FakeClient implements WriteClient {
  readonly log: LoggedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  latencyMs = 10;
  /** Called as each request starts, before it is answered (e.g. to stop the run mid-flight). */
  onStart: (request: LoggedRequest) => void = () => undefined;
  readonly accounts = new Map<OmnizeId, NewAccount & { active: boolean; deleted: boolean }>();
  readonly agents: ObservedAgent[] = [];
  readonly departments: FakeDepartment[] = [];
  /** Agent IDs that add_agents/remove_agents reject, with the API's message. */
  readonly refusedMembers = new Map<OmnizeId, string>();
  /** Agent e-mails that add_agents/remove_agents reject (for agents created during the run). */
  readonly refusedEmails = new Map<string, string>();
  private readonly scripts: { method: Method; when?: (args: unknown[]) => boolean; step: Step }[] = [];
  private nextId = 1000;

  constructor(private readonly clock: FakeClock) {}

  /** Queues answers for the next calls of `method` (those `when` accepts). */
  script(method: Method, replies: (Reply | Step)[], when?: (args: unknown[]) => boolean): this {
    for (const reply of replies) {
      const step = typeof reply === 'object' && 'reply' in reply ? reply : { reply };
      this.scripts.push({ method, when, step });
    }
    return this;
  }

  calls(method?: Method): LoggedRequest[] {
    return method === undefined ? this.log : this.log.filter((request) => request.method === method);
  }

  /** The live state of some accounts, as the live reader would give it to the planner. */
  observed(accountIds: Iterable<OmnizeId>): Observed {
    const accounts: Observed['accounts'] = new Map();
    for (const accountId of accountIds) {
      accounts.set(accountId, {
        agents: this.agents.filter((agent) => agent.accountId === accountId).map((agent) => ({ ...agent })),
        departments: this.departments
          .filter((department) => department.accountId === accountId)
          .map((department) => ({
            ...department,
            channels: [...department.channels],
            agentIds: [...department.agentIds],
          })),
      });
    }
    return { accounts };
  }

  addAgent(accountId: OmnizeId, email: string, profile: Profile = 'AGENT'): ObservedAgent {
    const agent = { id: this.nextId++, accountId, email, name: email, profile, active: true };
    this.agents.push(agent);
    return agent;
  }

  addDepartment(accountId: OmnizeId, name: string): FakeDepartment {
    const department = {
      id: this.nextId++,
      accountId,
      name,
      description: '',
      active: true,
      channels: [],
      agentIds: new Set<OmnizeId>(),
    };
    this.departments.push(department);
    return department;
  }

  createAccount(account: NewAccount) {
    return this.call('createAccount', [account], () => {
      const id = this.nextId++;
      this.accounts.set(id, { ...account, active: true, deleted: false });
      return { id };
    });
  }
  updateAccount(accountId: OmnizeId, changes: AccountChanges) {
    return this.call('updateAccount', [accountId, changes], () => undefined);
  }
  activateAccount(accountId: OmnizeId) {
    return this.call('activateAccount', [accountId], () => undefined);
  }
  deactivateAccount(accountId: OmnizeId) {
    return this.call('deactivateAccount', [accountId], () => undefined);
  }
  deleteAccount(accountId: OmnizeId) {
    return this.call('deleteAccount', [accountId], () => undefined);
  }
  setLicenseQuantity(accountId: OmnizeId, licenseQuantity: number) {
    return this.call('setLicenseQuantity', [accountId, licenseQuantity], () => undefined);
  }
  setLicenseCode(accountId: OmnizeId, licenseCode: string) {
    return this.call('setLicenseCode', [accountId, licenseCode], () => undefined);
  }
  createDepartment(department: NewDepartment) {
    return this.call('createDepartment', [department], () => {
      const created = this.addDepartment(department.accountId, department.name);
      Object.assign(created, { description: department.description, active: department.active });
      created.channels = [...department.channels];
      const { channels: _channels, agentIds: _agentIds, ...remote } = created;
      return remote;
    });
  }
  updateDepartment(departmentId: OmnizeId, changes: DepartmentChanges) {
    return this.call('updateDepartment', [departmentId, changes], () => {
      Object.assign(this.department(departmentId), changes);
    });
  }
  addChannelsToDepartment(departmentId: OmnizeId, channels: Channel[]) {
    return this.call('addChannelsToDepartment', [departmentId, channels], () => {
      const department = this.department(departmentId);
      department.channels = [...new Set([...department.channels, ...channels])];
    });
  }
  removeChannelsFromDepartment(departmentId: OmnizeId, channels: Channel[]) {
    return this.call('removeChannelsFromDepartment', [departmentId, channels], () => {
      const department = this.department(departmentId);
      department.channels = department.channels.filter((channel) => !channels.includes(channel));
    });
  }
  addAgentsToDepartment(departmentId: OmnizeId, agentIds: OmnizeId[]) {
    return this.call('addAgentsToDepartment', [departmentId, agentIds], () => {
      this.refuseMembers(agentIds, 'addAgentsToDepartment');
      for (const id of agentIds) this.department(departmentId).agentIds.add(id);
    });
  }
  removeAgentsFromDepartment(departmentId: OmnizeId, agentIds: OmnizeId[]) {
    return this.call('removeAgentsFromDepartment', [departmentId, agentIds], () => {
      this.refuseMembers(agentIds, 'removeAgentsFromDepartment');
      for (const id of agentIds) this.department(departmentId).agentIds.delete(id);
    });
  }
  createAgent(agent: NewAgent) {
    return this.call('createAgent', [agent], () => {
      const created = this.addAgent(agent.accountId, agent.email, agent.profile);
      created.name = agent.name;
      return { ...created };
    });
  }
  updateAgent(agentId: OmnizeId, changes: AgentChanges) {
    return this.call('updateAgent', [agentId, changes], () => {
      const agent = this.agent(agentId);
      agent.email = changes.email;
      agent.name = changes.name;
    });
  }
  updateAgentProfile(agentId: OmnizeId, profile: Profile) {
    return this.call('updateAgentProfile', [agentId, profile], () => {
      this.agent(agentId).profile = profile;
    });
  }
  listAgents(accountId: OmnizeId) {
    return this.call('listAgents', [accountId], () =>
      this.agents.filter((agent) => agent.accountId === accountId).map((agent) => ({ ...agent })),
    );
  }
  listDepartments(accountId: OmnizeId) {
    return this.call('listDepartments', [accountId], () =>
      this.departments
        .filter((department) => department.accountId === accountId)
        .map(({ channels: _channels, agentIds: _agentIds, ...remote }) => ({ ...remote })),
    );
  }

  private async call<T>(method: Method, args: unknown[], apply: () => T): Promise<T> {
    const request: LoggedRequest = { method, args, startedAt: this.clock.now() };
    this.log.push(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const step = this.takeStep(method, args);
    try {
      this.onStart(request);
      await this.clock.sleep(step.delayMs ?? this.latencyMs);
      const value = this.answer(method, step.reply, apply);
      request.result = 'ok';
      return value;
    } catch (error) {
      request.result = (error as Error).name;
      throw error;
    } finally {
      this.inFlight -= 1;
      request.endedAt = this.clock.now();
    }
  }

  private answer<T>(method: Method, reply: Reply, apply: () => T): T {
    const endpoint = ENDPOINTS[method];
    if (reply === 'ok') return apply();
    if (reply === 'invalid-token') throw new InvalidTokenError(endpoint, 'Invalid token');
    if ('reject' in reply) throw new ApiRejectedError(endpoint, reply.reject);
    if (reply.applied === true) apply();
    if ('protocol' in reply) throw new ApiProtocolError(endpoint, reply.protocol, 'the answer has no data');
    const httpStatus =
      reply.transient === 'http-429' ? 429 : reply.transient === 'http-5xx' ? 503 : undefined;
    throw new TransientApiError(endpoint, {
      cause: reply.transient,
      outcomeUnknown: reply.outcomeUnknown ?? (reply.transient === 'timeout' || reply.applied === true),
      retryAfterMs: reply.retryAfterMs,
      httpStatus,
    });
  }

  private takeStep(method: Method, args: unknown[]): Step {
    const index = this.scripts.findIndex(
      (script) => script.method === method && (script.when === undefined || script.when(args)),
    );
    if (index < 0) return { reply: 'ok' };
    const [script] = this.scripts.splice(index, 1);
    return script!.step;
  }

  private refuseMembers(agentIds: OmnizeId[], method: Method): void {
    for (const id of agentIds) {
      const email = this.agents.find((agent) => agent.id === id)?.email ?? '';
      const message = this.refusedMembers.get(id) ?? this.refusedEmails.get(email);
      if (message !== undefined) throw new ApiRejectedError(ENDPOINTS[method], message);
    }
  }

  private department(id: OmnizeId): FakeDepartment {
    const found = this.departments.find((department) => department.id === id);
    if (found === undefined) throw new ApiRejectedError('PUT /departments/:id', 'Department not found');
    return found;
  }

  private agent(id: OmnizeId): ObservedAgent {
    const found = this.agents.find((agent) => agent.id === id);
    if (found === undefined) throw new ApiRejectedError('PUT /agents/:id', 'Agent not found');
    return found;
  }
}
