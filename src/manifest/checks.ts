import type { AccountRef, DesiredAccount, DesiredAgent, DesiredDepartment } from '../model/desired.js';
import { formatRow, type SourceLocation } from '../model/source.js';
import { emailKey, nameKey, type OmnizeId } from '../model/vocabulary.js';
import type { DesiredBuilder } from './builder.js';
import { quote, splitList } from './values.js';

/**
 * The checks across rows (CONTRACT §3): duplicate account keys and IDs,
 * department names per account and agent e-mails; references to accounts
 * and departments nobody declares; more agents than an account's licenses.
 *
 * References are also made canonical as they are resolved: an account key
 * or department name written in another case becomes the declared spelling,
 * and rows naming the same account share one reference object (100k agents,
 * a few hundred accounts).
 */
export function checkManifest(builder: DesiredBuilder): void {
  const accounts = new AccountIndex(builder);
  const departments = checkDepartments(builder, accounts);
  const agentCounts = checkAgents(builder, accounts, departments);
  checkLicenses(builder, accounts, agentCounts);
}

/** Declared accounts by key and ID. */
class AccountIndex {
  private readonly byKey = new Map<string, DesiredAccount>();
  private readonly byId = new Map<OmnizeId, DesiredAccount>();

  constructor(private readonly builder: DesiredBuilder) {
    for (const account of builder.accounts) {
      const first = this.byKey.get(nameKey(account.key));
      if (first !== undefined) {
        builder.report(account.source, 'key', 'error', `account key ${quote(account.key)} ${alsoAt(first)}`);
        continue;
      }
      this.byKey.set(nameKey(account.key), account);
      if (account.accountId === undefined) continue;
      const sameId = this.byId.get(account.accountId);
      if (sameId === undefined) this.byId.set(account.accountId, account);
      else
        builder.report(
          account.source,
          'account_id',
          'error',
          `account_id ${account.accountId} ${alsoAt(sameId)}`,
        );
    }
  }

  /** False for a second row with the same key, already reported. */
  isFirstDeclaration(account: DesiredAccount): boolean {
    return this.byKey.get(nameKey(account.key)) === account;
  }

  /**
   * The identity of the account a row names (`key:acme`, or `id:123` for
   * an account the manifest does not declare), reporting an undeclared key
   * and an account_id that contradicts the accounts sheet. A key written in
   * another case than the accounts sheet's is given the declared spelling.
   */
  resolve(entity: DesiredDepartment | DesiredAgent): string {
    const reference = entity.account;
    if (!('key' in reference)) {
      const declared = this.byId.get(reference.accountId);
      return declared === undefined ? `id:${reference.accountId}` : `key:${nameKey(declared.key)}`;
    }
    const identity = `key:${nameKey(reference.key)}`;
    const declared = this.byKey.get(nameKey(reference.key));
    if (declared === undefined) {
      if (!this.builder.incompleteKinds.has('accounts') && !this.builder.declaredByInvalidRow(identity)) {
        const message = `account ${quote(reference.key)} is not declared in accounts`;
        this.builder.report(entity.source, 'account', 'error', message);
      }
      return identity;
    }
    if (declared.key !== reference.key) entity.account = this.builder.shared.accountByKey(declared.key);
    const stated = this.builder.statedAccountIds.get(entity);
    if (stated !== undefined && declared.accountId !== undefined && stated !== declared.accountId) {
      const message = `account_id ${stated} contradicts account ${quote(declared.key)}, whose account_id is ${declared.accountId}`;
      this.builder.report(entity.source, 'account_id', 'error', message);
    }
    return identity;
  }
}

/** Departments by account identity, then by name key. */
type DepartmentIndex = Map<string, Map<string, DesiredDepartment>>;

function checkDepartments(builder: DesiredBuilder, accounts: AccountIndex): DepartmentIndex {
  const index: DepartmentIndex = new Map();
  for (const department of builder.departments) {
    const identity = accounts.resolve(department);
    let names = index.get(identity);
    if (names === undefined) {
      names = new Map();
      index.set(identity, names);
    }
    const first = names.get(nameKey(department.name));
    if (first !== undefined) {
      builder.report(
        department.source,
        'name',
        'error',
        `department ${quote(department.name)} ${alsoAt(first)}`,
      );
      continue;
    }
    names.set(nameKey(department.name), department);
    if (splitList(department.name).length !== 1) {
      const message = `the name holds ";", "," or "|", so no agent's departments cell can name this department`;
      builder.report(department.source, 'name', 'warning', message);
    }
  }
  return index;
}

/** Checks agents; returns the number of agents per account identity. */
function checkAgents(builder: DesiredBuilder, accounts: AccountIndex, departments: DepartmentIndex) {
  const byEmail = new Map<string, DesiredAgent>();
  const counts = new Map<string, number>();
  const lists = new DepartmentLists(departments, builder);
  for (const agent of builder.agents) {
    const identity = accounts.resolve(agent);
    counts.set(identity, (counts.get(identity) ?? 0) + 1);
    const first = byEmail.get(emailKey(agent.email));
    if (first === undefined) byEmail.set(emailKey(agent.email), agent);
    else builder.report(agent.source, 'email', 'error', `e-mail ${quote(agent.email)} ${alsoAt(first)}`);
    if (agent.departments === undefined) continue;
    const { names, undeclared } = lists.resolve(identity, agent.departments);
    agent.departments = names;
    for (const name of undeclared) {
      const message = `department ${quote(name)} is not declared for ${describeAccount(agent.account)}`;
      builder.report(agent.source, 'departments', 'error', message);
    }
  }
  return counts;
}

/**
 * An agent's departments, each in its declared spelling, and those nobody
 * declares. Worked out once per account and (shared) list, not per agent.
 */
class DepartmentLists {
  private readonly resolved = new Map<string, { names: string[]; undeclared: string[] }>();

  constructor(
    private readonly departments: DepartmentIndex,
    private readonly builder: DesiredBuilder,
  ) {}

  resolve(identity: string, names: string[]): { names: string[]; undeclared: string[] } {
    const key = `${identity}\u0000${names.join('\u0000')}`;
    let result = this.resolved.get(key);
    if (result === undefined) {
      const declared = this.departments.get(identity);
      const undeclared = names.filter(
        (name) => declared?.get(nameKey(name)) === undefined && this.reportable(identity, name),
      );
      const spelled = names.map((name) => declared?.get(nameKey(name))?.name ?? name);
      const same = spelled.every((name, index) => name === names[index]);
      result = { names: same ? names : (Object.freeze(spelled) as string[]), undeclared };
      this.resolved.set(key, result);
    }
    return result;
  }

  /** Not when the departments could not all be read, nor when the department's own row failed. */
  private reportable(identity: string, name: string): boolean {
    if (this.builder.incompleteKinds.has('departments')) return false;
    if (this.builder.declaredByInvalidRow(`department:${nameKey(name)}`)) return false;
    return !identity.startsWith('key:') || !this.builder.declaredByInvalidRow(identity);
  }
}

function checkLicenses(
  builder: DesiredBuilder,
  accounts: AccountIndex,
  agentCounts: Map<string, number>,
): void {
  for (const account of builder.accounts) {
    if (!accounts.isFirstDeclaration(account)) continue;
    const count = agentCounts.get(`key:${nameKey(account.key)}`) ?? 0;
    if (count > account.licenseQuantity) {
      const message = `${count} agents in this account, more than its license_quantity ${account.licenseQuantity}`;
      builder.report(account.source, 'license_quantity', 'warning', message);
    }
  }
}

function alsoAt(first: { source: SourceLocation }): string {
  return `is already declared at ${formatRow(first.source)}`;
}

function describeAccount(reference: AccountRef): string {
  return 'key' in reference ? `account ${quote(reference.key)}` : `account_id ${reference.accountId}`;
}
