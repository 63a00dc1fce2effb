import type { ObservedAccountContents, ObservedAgent, ObservedDepartment } from '../../src/model/observed.js';
import type { RememberedAccount } from '../../src/model/remembered.js';
import { emailKey, MANIFEST_KINDS } from '../../src/model/vocabulary.js';
import type { IdRef, PlannedAction } from '../../src/plan/action.js';
import { type ManifestPasswords, type PasswordToRecord, passwordLookup } from '../../src/plan/passwords.js';
import type { Plan } from '../../src/plan/types.js';
import { testFingerprint, type World } from './world.js';

/** IDs the in-memory API gives to what it creates; far from the generators' IDs. */
const FIRST_CREATED_ID = 900_000;

/**
 * An in-memory Partner API plus state store: runs a plan against a copy of the
 * world, the way apply would if every request succeeded, and records in
 * Remembered what apply must record for a second plan to be empty (the
 * fingerprints of `passwordsToRecord` included: the model's run never stops early). Actions
 * waiting for `--allow-delete` are skipped, as apply skips them.
 */
export function applyPlan(world: World, plan: Plan): World {
  const next: World = structuredClone(world);
  const state = new ModelState(next);
  for (const action of plan.actions) {
    if (action.requires === undefined) state.run(action);
  }
  for (const entry of plan.passwordsToRecord ?? []) state.recordPassword(entry);
  for (const kind of MANIFEST_KINDS) {
    next.remembered.kindsSeen[kind] ||= next.desired.kindsPresent[kind];
  }
  next.remembered.serial += 1;
  return next;
}

class ModelState {
  private readonly created = new Map<string, number>();
  private nextId = FIRST_CREATED_ID;
  private readonly passwordOf: ManifestPasswords;

  constructor(private readonly world: World) {
    this.passwordOf = passwordLookup(world.desired);
  }

  run(action: PlannedAction): void {
    if (action.kind.startsWith('account.')) this.runAccount(action);
    else if (action.kind.startsWith('department.')) this.runDepartment(action);
    else this.runAgent(action);
  }

  private runAccount(action: PlannedAction): void {
    if (action.kind === 'account.create') {
      const accountId = this.create(action.id);
      const { password: _password, ...fields } = action.params;
      const password = this.passwordOf(action);
      this.world.remembered.accounts.push({
        key: action.account,
        accountId,
        createState: 'known',
        applied: { ...fields, status: 'active' },
        ...(password === undefined ? {} : { passwordFingerprint: testFingerprint(password) }),
      });
      this.world.observed.accounts.set(accountId, { agents: [], departments: [] });
      return;
    }
    const { accountId: ref, ...values } = action.params as { accountId: IdRef };
    const applied = this.rememberedAccount(action.account, this.resolve(ref)).applied;
    switch (action.kind) {
      case 'account.update':
      case 'account.set_licenses':
      case 'account.set_license_code':
        Object.assign(applied, values);
        return;
      case 'account.activate':
        applied.status = 'active';
        return;
      case 'account.deactivate':
        applied.status = 'inactive';
        return;
      case 'account.delete':
        applied.status = 'deleted';
        this.world.observed.accounts.delete(this.resolve(ref));
        return;
    }
  }

  private runDepartment(action: PlannedAction): void {
    if (action.kind === 'department.create') {
      const { accountId, ...fields } = action.params;
      const id = this.create(action.id);
      const contents = this.contents(this.resolve(accountId));
      contents.departments.push({ id, accountId: this.resolve(accountId), ...fields, agentIds: [] });
      return;
    }
    if (!('departmentId' in action.params)) throw new Error(`unexpected ${action.kind}`);
    const department = this.department(this.resolve(action.params.departmentId));
    switch (action.kind) {
      case 'department.update':
      case 'department.activate':
      case 'department.deactivate':
        Object.assign(department, {
          name: action.params.name,
          description: action.params.description,
          active: action.params.active,
        });
        return;
      case 'department.add_channels':
        department.channels.push(...action.params.channels.filter((c) => !department.channels.includes(c)));
        return;
      case 'department.remove_channels':
        department.channels = department.channels.filter((c) => !action.params.channels.includes(c));
        return;
      case 'department.add_agents':
        for (const member of action.params.agents) {
          const agentId = this.resolve(member.agentId);
          if (!department.agentIds.includes(agentId)) department.agentIds.push(agentId);
        }
        return;
      case 'department.remove_agents': {
        const leaving = new Set(action.params.agents.map((member) => this.resolve(member.agentId)));
        department.agentIds = department.agentIds.filter((agentId) => !leaving.has(agentId));
        return;
      }
    }
  }

  private runAgent(action: PlannedAction): void {
    const password = this.passwordOf(action);
    switch (action.kind) {
      case 'agent.create': {
        const { accountId: ref, email, name, profile, textLimit } = action.params;
        const accountId = this.resolve(ref);
        const id = this.create(action.id);
        this.contents(accountId).agents.push({ id, accountId, email, name, profile, active: true });
        this.remember(accountId, email, textLimit, password);
        return;
      }
      case 'agent.update': {
        const agent = this.agent(this.resolve(action.params.agentId));
        agent.email = action.params.email;
        agent.name = action.params.name;
        this.remember(agent.accountId, agent.email, action.params.textLimit, password);
        return;
      }
      case 'agent.set_profile':
        this.agent(this.resolve(action.params.agentId)).profile = action.params.profile;
        return;
      default:
        throw new Error(`unexpected ${action.kind}`);
    }
  }

  /** An existing agent with no record keeps its password: apply records only the manifest password's fingerprint. */
  recordPassword(entry: PasswordToRecord): void {
    this.remember(entry.accountId, entry.email, undefined, this.passwordOf.ofRecorded(entry));
  }

  /** Apply records an agent's text limit and manifest password fingerprint when a request carrying them succeeds. */
  private remember(accountId: number, email: string, textLimit?: number, password?: string): void {
    const agents = this.world.remembered.agents;
    let remembered = agents.find((agent) => agent.accountId === accountId && agent.email === emailKey(email));
    if (remembered === undefined) {
      remembered = { accountId, email: emailKey(email) };
      agents.push(remembered);
    }
    if (textLimit !== undefined) remembered.textLimit = textLimit;
    if (password !== undefined) remembered.passwordFingerprint = testFingerprint(password);
  }

  /** An adopted account is recorded on its first successful action. */
  private rememberedAccount(key: string, accountId: number): RememberedAccount {
    const accounts = this.world.remembered.accounts;
    let account = accounts.find((candidate) => candidate.key === key);
    if (account === undefined) {
      account = { key, accountId, createState: 'known', applied: {} };
      accounts.push(account);
    }
    return account;
  }

  private create(actionId: string): number {
    const id = this.nextId++;
    this.created.set(actionId, id);
    return id;
  }

  private resolve(ref: IdRef): number {
    if (typeof ref === 'number') return ref;
    const id = this.created.get(ref.fromAction);
    if (id === undefined) throw new Error(`${ref.fromAction} ran after an action that needs its ID`);
    return id;
  }

  private contents(accountId: number): ObservedAccountContents {
    const contents = this.world.observed.accounts.get(accountId);
    if (contents === undefined) throw new Error(`account ${accountId} is not in the live state`);
    return contents;
  }

  private department(id: number): ObservedDepartment {
    for (const contents of this.world.observed.accounts.values()) {
      const found = contents.departments.find((department) => department.id === id);
      if (found) return found;
    }
    throw new Error(`no department ${id}`);
  }

  private agent(id: number): ObservedAgent {
    for (const contents of this.world.observed.accounts.values()) {
      const found = contents.agents.find((agent) => agent.id === id);
      if (found) return found;
    }
    throw new Error(`no agent ${id}`);
  }
}
