import type { AccountRef, DesiredAccount } from '../../src/model/desired.js';
import type { ObservedAccountContents } from '../../src/model/observed.js';
import type { AppliedAccountValues } from '../../src/model/remembered.js';
import { emailKey, type ManifestKind } from '../../src/model/vocabulary.js';
import type { AccountSpec, Columns, ContentsSpec } from './arbitraries.js';
import { testFingerprint, type World } from './world.js';

/** A member ID no agent of the account has: someone removed from the account, or from another one. */
const FOREIGN_MEMBER = 77_777;
const EXTERNAL_ACCOUNT_ID = 900;

/** What the arbitraries drew, before it is made consistent (a manifest validation would accept) and built. */
export interface WorldSpec {
  accounts: AccountSpec[];
  external: ContentsSpec | undefined;
  kindsPresent: Record<ManifestKind, boolean>;
  kindsSeen: Record<ManifestKind, boolean>;
  columns: Columns;
}

export function buildWorld(spec: WorldSpec): World {
  const world: World = {
    desired: { accounts: [], departments: [], agents: [], kindsPresent: spec.kindsPresent },
    observed: { accounts: new Map() },
    remembered: { accounts: [], agents: [], kindsSeen: spec.kindsSeen, serial: 1 },
  };
  const builder = new ScenarioBuilder(world, spec.columns);
  spec.accounts.forEach((accountSpec, index) => {
    builder.account(`k${index}`, 100 * (index + 1), accountSpec);
  });
  if (spec.external)
    builder.contents({ accountId: EXTERNAL_ACCOUNT_ID }, EXTERNAL_ACCOUNT_ID, spec.external, false);
  return world;
}

class ScenarioBuilder {
  private nextId = 1000;
  private readonly rows: Record<ManifestKind, number> = { accounts: 1, departments: 1, agents: 1 };
  /** E-mails are unique in a manifest (validation). */
  private readonly usedEmails = new Set<string>();

  constructor(
    private readonly world: World,
    private readonly columns: Columns,
  ) {}

  account(key: string, id: number, spec: AccountSpec): void {
    const kindsPresent = this.world.desired.kindsPresent;
    let mode = spec.mode;
    if (!kindsPresent.accounts) {
      if (mode === 'new' || mode === 'adopt') return;
      if (mode === 'existing') mode = 'remembered';
    }
    if (mode !== 'remembered')
      this.world.desired.accounts.push(this.desiredAccount(key, id, spec, mode === 'adopt'));
    if (mode === 'existing' || mode === 'remembered' || mode === 'unknown') {
      const known = mode !== 'unknown';
      this.world.remembered.accounts.push({
        key,
        accountId: known ? id : null,
        createState: known ? 'known' : 'unknown',
        applied: known ? (spec.applied as AppliedAccountValues) : {},
      });
    }
    const exists = mode === 'existing' || mode === 'remembered' || mode === 'adopt';
    const byId = exists && spec.refById;
    this.contents(byId ? { accountId: id } : { key }, exists ? id : undefined, spec, mode !== 'adopt');
  }

  private desiredAccount(key: string, id: number, spec: AccountSpec, adopt: boolean): DesiredAccount {
    const { fields } = spec;
    const { columns } = this;
    return {
      key,
      email: fields.email,
      mainContact: fields.mainContact,
      licenseQuantity: fields.licenseQuantity,
      ...(adopt ? { accountId: id } : {}),
      ...(columns.phone && fields.phone !== undefined ? { phone: fields.phone } : {}),
      ...(columns.url && fields.url !== undefined ? { url: fields.url } : {}),
      ...(columns.licenseCode && fields.licenseCode !== undefined ? { licenseCode: fields.licenseCode } : {}),
      ...(columns.accountStatus && fields.status !== undefined ? { status: fields.status } : {}),
      source: this.source('accounts'),
    };
  }

  /** The account's live contents (when it exists) and its department and agent rows. */
  contents(ref: AccountRef, id: number | undefined, spec: ContentsSpec, remembersAgents: boolean): void {
    const remoteNames = id === undefined ? [] : spec.remoteDepartments.map((department) => department.name);
    if (id !== undefined) this.world.observed.accounts.set(id, this.remote(id, spec, remembersAgents));
    const { columns } = this;
    const { kindsPresent } = this.world.desired;
    const declaredNames = kindsPresent.departments ? spec.desiredDepartments.map((d) => d.name) : [];
    for (const department of kindsPresent.departments ? spec.desiredDepartments : []) {
      this.world.desired.departments.push({
        account: ref,
        name: department.name,
        ...(columns.description && department.description !== undefined
          ? { description: department.description }
          : {}),
        ...(columns.departmentStatus && department.status !== undefined ? { status: department.status } : {}),
        ...(columns.channels ? { channels: department.channels } : {}),
        source: this.source('departments'),
      });
    }
    const names = [...declaredNames, ...remoteNames];
    for (const agent of kindsPresent.agents ? spec.desiredAgents : []) {
      if (this.usedEmails.has(emailKey(agent.email))) continue;
      this.usedEmails.add(emailKey(agent.email));
      const listed = agent.departments.map(([pick, upper]) => {
        const name = (names[pick % names.length] ?? '').trim();
        return upper ? name.toUpperCase() : name;
      });
      this.world.desired.agents.push({
        account: ref,
        email: agent.email,
        name: agent.name,
        ...(columns.profile && agent.profile !== undefined ? { profile: agent.profile } : {}),
        ...(columns.textLimit && agent.textLimit !== undefined ? { textLimit: agent.textLimit } : {}),
        ...(columns.departments ? { departments: names.length === 0 ? [] : listed } : {}),
        ...(columns.password && agent.password !== undefined ? { password: agent.password } : {}),
        source: this.source('agents'),
      });
    }
  }

  private remote(accountId: number, spec: ContentsSpec, remembersAgents: boolean): ObservedAccountContents {
    const agents = spec.remoteAgents.map((agent) => {
      const id = this.nextId++;
      if (remembersAgents) {
        this.world.remembered.agents.push({
          accountId,
          email: emailKey(agent.email),
          ...(agent.textLimit === undefined ? {} : { textLimit: agent.textLimit }),
          ...(agent.password === undefined ? {} : { passwordFingerprint: testFingerprint(agent.password) }),
        });
      }
      return {
        id,
        accountId,
        email: agent.email,
        name: agent.name,
        profile: agent.profile,
        active: agent.active,
      };
    });
    const departments = spec.remoteDepartments.map((department) => {
      const members = department.members.flatMap((pick) =>
        agents.length === 0 ? [] : [agents[pick % agents.length]!.id],
      );
      if (department.foreignMember) members.push(FOREIGN_MEMBER);
      return {
        id: this.nextId++,
        accountId,
        name: department.name,
        description: department.description,
        active: department.active,
        channels: [...department.channels],
        agentIds: [...new Set(members)],
      };
    });
    return { agents, departments };
  }

  private source(kind: ManifestKind) {
    this.rows[kind] += 1;
    return { file: `${kind}.csv`, row: this.rows[kind] };
  }
}
