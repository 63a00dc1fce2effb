import type { Channel } from '../model/vocabulary.js';
import { emailKey, nameKey } from '../model/vocabulary.js';
import {
  FIRST_IDS,
  type SandboxAccount,
  type SandboxAgent,
  type SandboxData,
  type SandboxDepartment,
} from './data.js';

/** A department as held in memory: members in a Set so membership calls stay cheap with large departments. */
export interface DepartmentRecord extends Omit<SandboxDepartment, 'agent_ids' | 'channels'> {
  channels: Channel[];
  agentIds: Set<number>;
}

type NewAccount = Omit<SandboxAccount, 'id'>;
type NewAgent = Omit<SandboxAgent, 'id'>;
type NewDepartment = Omit<DepartmentRecord, 'id'>;

/**
 * The simulated server's database: objects by id plus the indexes the
 * endpoints need (agent by e-mail, agents and departments by account).
 * Deleted accounts stay in it, as a soft delete; `live*` lookups hide them
 * and everything inside them.
 */
export class SandboxStore {
  private readonly accounts = new Map<number, SandboxAccount>();
  private readonly agents = new Map<number, SandboxAgent>();
  private readonly departments = new Map<number, DepartmentRecord>();
  private readonly agentIdByEmail = new Map<string, number>();
  private readonly agentIdsByAccount = new Map<number, Set<number>>();
  private readonly departmentIdsByAccount = new Map<number, Set<number>>();
  private readonly nextIds = { ...FIRST_IDS } as { account: number; agent: number; department: number };

  /** `data` must be normalised (see normalizeSandboxData); it is copied, not kept. */
  constructor(data: SandboxData) {
    for (const account of data.accounts) this.addAccount({ ...account });
    for (const agent of data.agents) this.addAgent({ ...agent });
    for (const department of data.departments) {
      const { agent_ids, channels, ...fields } = department;
      this.addDepartment({ ...fields, channels: [...channels], agentIds: new Set(agent_ids) });
    }
  }

  /** An account that exists and is not deleted. */
  liveAccount(id: number | undefined): SandboxAccount | undefined {
    const account = id === undefined ? undefined : this.accounts.get(id);
    return account === undefined || account.deleted ? undefined : account;
  }

  /** An agent whose account exists and is not deleted. */
  liveAgent(id: number | undefined): SandboxAgent | undefined {
    const agent = id === undefined ? undefined : this.agents.get(id);
    return agent !== undefined && this.liveAccount(agent.account_id) !== undefined ? agent : undefined;
  }

  liveDepartment(id: number | undefined): DepartmentRecord | undefined {
    const department = id === undefined ? undefined : this.departments.get(id);
    return department !== undefined && this.liveAccount(department.account_id) !== undefined
      ? department
      : undefined;
  }

  /** Any agent holding this e-mail, even in a deleted account: the real server keeps soft-deleted rows. */
  agentByEmail(email: string): SandboxAgent | undefined {
    const id = this.agentIdByEmail.get(emailKey(email));
    return id === undefined ? undefined : this.agents.get(id);
  }

  agentsOfAccount(accountId: number): SandboxAgent[] {
    return [...(this.agentIdsByAccount.get(accountId) ?? [])].map((id) => this.agents.get(id)!);
  }

  departmentsOfAccount(accountId: number): DepartmentRecord[] {
    return [...(this.departmentIdsByAccount.get(accountId) ?? [])].map((id) => this.departments.get(id)!);
  }

  membersOf(department: DepartmentRecord): SandboxAgent[] {
    return [...department.agentIds].map((id) => this.agents.get(id)!);
  }

  /** Whether another department of the account already has this name (case-insensitive, trimmed). */
  departmentNameTaken(accountId: number, name: string, exceptId?: number): boolean {
    const key = nameKey(name);
    return this.departmentsOfAccount(accountId).some(
      (department) => department.id !== exceptId && nameKey(department.name) === key,
    );
  }

  createAccount(fields: NewAccount): SandboxAccount {
    return this.addAccount({ id: this.nextIds.account, ...fields });
  }

  createAgent(fields: NewAgent): SandboxAgent {
    return this.addAgent({ id: this.nextIds.agent, ...fields });
  }

  createDepartment(fields: NewDepartment): DepartmentRecord {
    return this.addDepartment({ id: this.nextIds.department, ...fields });
  }

  /** Changes an agent's e-mail, keeping the e-mail index right. The caller checked it is free. */
  changeAgentEmail(agent: SandboxAgent, email: string): void {
    this.agentIdByEmail.delete(emailKey(agent.email));
    agent.email = email;
    this.agentIdByEmail.set(emailKey(email), agent.id);
  }

  /** A deep copy of everything, in id order per kind: the `--data` file format. */
  snapshot(): SandboxData {
    const byId = (left: { id: number }, right: { id: number }) => left.id - right.id;
    return {
      accounts: [...this.accounts.values()].sort(byId).map((account) => ({ ...account })),
      agents: [...this.agents.values()].sort(byId).map((agent) => ({ ...agent })),
      departments: [...this.departments.values()].sort(byId).map(({ agentIds, channels, ...fields }) => ({
        ...fields,
        channels: [...channels],
        agent_ids: [...agentIds],
      })),
    };
  }

  private addAccount(account: SandboxAccount): SandboxAccount {
    this.accounts.set(account.id, account);
    this.nextIds.account = Math.max(this.nextIds.account, account.id + 1);
    return account;
  }

  private addAgent(agent: SandboxAgent): SandboxAgent {
    this.agents.set(agent.id, agent);
    this.agentIdByEmail.set(emailKey(agent.email), agent.id);
    indexUnder(this.agentIdsByAccount, agent.account_id, agent.id);
    this.nextIds.agent = Math.max(this.nextIds.agent, agent.id + 1);
    return agent;
  }

  private addDepartment(department: DepartmentRecord): DepartmentRecord {
    this.departments.set(department.id, department);
    indexUnder(this.departmentIdsByAccount, department.account_id, department.id);
    this.nextIds.department = Math.max(this.nextIds.department, department.id + 1);
    return department;
  }
}

function indexUnder(index: Map<number, Set<number>>, key: number, id: number): void {
  let ids = index.get(key);
  if (ids === undefined) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(id);
}
