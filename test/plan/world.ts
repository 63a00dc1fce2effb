import { createHmac } from 'node:crypto';
import type {
  AccountRef,
  Desired,
  DesiredAccount,
  DesiredAgent,
  DesiredDepartment,
} from '../../src/model/desired.js';
import type {
  Observed,
  ObservedAccountContents,
  ObservedAgent,
  ObservedDepartment,
} from '../../src/model/observed.js';
import type { AppliedAccountValues, Remembered } from '../../src/model/remembered.js';
import type { SourceLocation } from '../../src/model/source.js';
import { emailKey, type ManifestKind, nameKey } from '../../src/model/vocabulary.js';
import { makePlan } from '../../src/plan/planner.js';
import type { Plan, PlanOptions } from '../../src/plan/types.js';
import { GENERATED_PASSWORD_MARK } from '../../src/state/fingerprint.js';

/** The three inputs of the planner. */
export interface World {
  desired: Desired;
  observed: Observed;
  remembered: Remembered;
}

export const testFingerprint = (plain: string): string =>
  createHmac('sha256', 'test-fingerprint-key').update(plain).digest('base64url');

export const CLOCK = () => new Date('2026-01-02T03:04:05.000Z');

export const DEFAULT_OPTIONS: PlanOptions = {
  prune: false,
  allowDelete: false,
  maxDeactivations: { percent: 10 },
  fingerprint: testFingerprint,
};

export function planFor(world: World, options: Partial<PlanOptions> = {}): Plan {
  return makePlan(world.desired, world.observed, world.remembered, { ...DEFAULT_OPTIONS, ...options }, CLOCK);
}

type AccountFields = Partial<Omit<DesiredAccount, 'key' | 'source'>>;
interface AccountOptions {
  /** `existing` (default): remembered and read; `new`: unknown to state and API; `unknown`: create outcome unknown; `adopt`: `account_id` column, unknown to state. */
  state?: 'existing' | 'new' | 'unknown' | 'adopt';
  /** Values last applied; default: what the manifest says (converged). */
  applied?: AppliedAccountValues;
  /** False: remembered and read, but not in the manifest. */
  declared?: boolean;
  /** False: the live reader did not read it. */
  read?: boolean;
}
type DepartmentFields = Partial<Omit<DesiredDepartment, 'account' | 'name' | 'source'>>;
interface DepartmentOptions {
  /** Remote differences from the declared values, or false when the API does not have it. */
  remote?: Partial<Omit<ObservedDepartment, 'id' | 'accountId' | 'agentIds'>> | false;
  declared?: boolean;
}
type AgentFields = Partial<Omit<DesiredAgent, 'account' | 'email' | 'source'>>;
interface AgentOptions {
  remote?: Partial<Omit<ObservedAgent, 'id' | 'accountId'>> | false;
  declared?: boolean;
  /** Department names the agent is in remotely; default: the declared ones. */
  remoteDepartments?: string[];
  /** What the state remembers; default: the declared text limit and password. */
  /** `generated`: created by apply with a random password (its mark instead of a fingerprint). */
  remembered?: { textLimit?: number; password?: string; generated?: boolean } | false;
}

interface CurrentAccount {
  ref: AccountRef;
  id: number | undefined;
  contents: ObservedAccountContents;
  memberships: Array<{ agentId: number; departments: string[] }>;
}

/** Builds planner inputs that are converged unless told otherwise: `world().account('acme').agent('ana@acme.com')`. */
export function world(workbook?: string): WorldBuilder {
  return new WorldBuilder(workbook);
}

export class WorldBuilder {
  private readonly desired: Desired = {
    accounts: [],
    departments: [],
    agents: [],
    kindsPresent: { accounts: true, departments: true, agents: true },
  };
  private readonly observed: Observed = { accounts: new Map() };
  private readonly remembered: Remembered = {
    accounts: [],
    agents: [],
    kindsSeen: { accounts: false, departments: false, agents: false },
    serial: 7,
  };
  private readonly rows: Record<ManifestKind, number> = { accounts: 1, departments: 1, agents: 1 };
  private readonly accounts: CurrentAccount[] = [];
  private nextAccountId = 100;
  private nextId = 1000;

  constructor(private readonly workbook?: string) {}

  account(key: string, fields: AccountFields = {}, options: AccountOptions = {}): this {
    const state = options.state ?? 'existing';
    const id = state === 'new' || state === 'unknown' ? undefined : (fields.accountId ?? this.nextAccountId);
    this.nextAccountId += 100;
    const account: DesiredAccount = {
      key,
      email: `owner@${key}.example`,
      mainContact: `Owner of ${key}`,
      licenseQuantity: 10,
      ...fields,
      ...(state === 'adopt' ? { accountId: id } : {}),
      source: this.source('accounts'),
    };
    if (options.declared !== false) this.desired.accounts.push(account);
    if (state === 'existing' || state === 'unknown') {
      const { email, mainContact, phone, url, licenseQuantity, licenseCode } = account;
      const converged = { email, mainContact, phone, url, licenseQuantity, licenseCode };
      this.remembered.accounts.push({
        key,
        accountId: id ?? null,
        createState: state === 'unknown' ? 'unknown' : 'known',
        applied: options.applied ?? { ...converged, status: account.status ?? 'active' },
      });
    }
    return this.enter({ key }, id, options.read !== false && id !== undefined);
  }

  /** An account outside the manifest, which the following rows name by Omnize ID. */
  externalAccount(id: number, options: { read?: boolean } = {}): this {
    return this.enter({ accountId: id }, id, options.read !== false);
  }

  department(name: string, fields: DepartmentFields = {}, options: DepartmentOptions = {}): this {
    const current = this.current();
    const declared: DesiredDepartment = {
      account: current.ref,
      name,
      ...fields,
      source: this.source('departments'),
    };
    if (options.declared !== false) this.desired.departments.push(declared);
    if (options.remote === false || current.id === undefined) return this;
    current.contents.departments.push({
      id: this.nextId++,
      accountId: current.id,
      name,
      description: fields.description ?? '',
      active: fields.status !== 'inactive',
      channels: [...(fields.channels ?? [])],
      agentIds: [],
      ...options.remote,
    });
    return this;
  }

  agent(email: string, fields: AgentFields = {}, options: AgentOptions = {}): this {
    const current = this.current();
    const declared: DesiredAgent = {
      account: current.ref,
      email,
      name: `Name of ${email}`,
      ...fields,
      source: this.source('agents'),
    };
    if (options.declared !== false) this.desired.agents.push(declared);
    if (options.remote === false || current.id === undefined) return this;
    const agentId = this.nextId++;
    const remote = {
      email,
      name: declared.name,
      profile: fields.profile ?? 'AGENT',
      active: true,
      ...options.remote,
    };
    current.contents.agents.push({ id: agentId, accountId: current.id, ...remote });
    current.memberships.push({ agentId, departments: options.remoteDepartments ?? fields.departments ?? [] });
    if (options.remembered !== false) {
      const { textLimit, password } = options.remembered ?? fields;
      const generated = options.remembered !== undefined && options.remembered.generated === true;
      const passwordFingerprint = generated
        ? GENERATED_PASSWORD_MARK
        : password === undefined
          ? undefined
          : testFingerprint(password);
      this.remembered.agents.push({
        accountId: current.id,
        email: emailKey(email),
        ...(textLimit === undefined ? {} : { textLimit }),
        ...(passwordFingerprint === undefined ? {} : { passwordFingerprint }),
      });
    }
    return this;
  }

  /** Which sheets the manifest has; all three unless told. */
  kinds(present: Partial<Record<ManifestKind, boolean>>): this {
    Object.assign(this.desired.kindsPresent, present);
    return this;
  }

  /** Which sheets earlier runs saw; none unless told. */
  seen(kinds: Partial<Record<ManifestKind, boolean>>): this {
    Object.assign(this.remembered.kindsSeen, kinds);
    return this;
  }

  build(): World {
    for (const account of this.accounts) {
      for (const { agentId, departments } of account.memberships) {
        for (const name of departments) {
          const department = account.contents.departments.find((d) => nameKey(d.name) === nameKey(name));
          department?.agentIds.push(agentId);
        }
      }
      account.memberships = [];
    }
    return { desired: this.desired, observed: this.observed, remembered: this.remembered };
  }

  plan(options: Partial<PlanOptions> = {}): Plan {
    return planFor(this.build(), options);
  }

  private enter(ref: AccountRef, id: number | undefined, read: boolean): this {
    const contents: ObservedAccountContents = { agents: [], departments: [] };
    if (read && id !== undefined) this.observed.accounts.set(id, contents);
    this.accounts.push({ ref, id: read ? id : undefined, contents, memberships: [] });
    return this;
  }

  private current(): CurrentAccount {
    const current = this.accounts.at(-1);
    if (current === undefined) throw new Error('world(): declare an account first');
    return current;
  }

  private source(kind: ManifestKind): SourceLocation {
    this.rows[kind] += 1;
    return this.workbook === undefined
      ? { file: `${kind}.csv`, row: this.rows[kind] }
      : { file: this.workbook, sheet: kind, row: this.rows[kind] };
  }
}
