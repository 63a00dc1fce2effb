import type {
  AccountRef,
  Desired,
  DesiredAccount,
  DesiredAgent,
  DesiredDepartment,
} from '../model/desired.js';
import type { Remembered, RememberedAccount } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { PlanBuilder } from './builder.js';

/**
 * One account the manifest names — by an accounts row, or by the `account` or
 * `account_id` of department and agent rows — with the rows that belong to it.
 */
export interface AccountScope {
  /** The key, or `#ID` for an account known only by its Omnize ID. */
  label: string;
  key?: string;
  /** The accounts row; absent when only department or agent rows name the account. */
  desired?: DesiredAccount;
  remembered?: RememberedAccount;
  /** The Omnize ID when the account exists: remembered, adopted (`account_id` column) or named by ID. */
  existingId?: OmnizeId;
  departments: DesiredDepartment[];
  agents: DesiredAgent[];
}

/** The accounts a manifest names, in plan order, and what identifies them. */
export interface AccountResolution {
  scopes: AccountScope[];
  /** Remembered keys the manifest names: not "absent from the manifest" for prune. */
  namedKeys: Set<string>;
  namedIds: Set<OmnizeId>;
}

/**
 * Groups the manifest's rows by account. Accounts cannot be read from the API, so
 * an account is known through the manifest and the state store only:
 * - an accounts row is matched with the remembered account of the same key; its
 *   `account_id` column adopts an account the state does not know;
 * - `{key}` names an accounts row, or else a remembered account (a manifest
 *   without an accounts sheet still reaches its accounts);
 * - `{accountId}` names the manifest or remembered account with that ID if there
 *   is one, or else an account outside the manifest, labelled `#ID`.
 * Rows naming a key nobody knows are left out with one notice per key.
 * Order: accounts rows in manifest order, then accounts first named by other rows.
 */
export function resolveAccounts(
  desired: Desired,
  remembered: Remembered,
  builder: PlanBuilder,
): AccountResolution {
  const rememberedByKey = new Map(remembered.accounts.map((account) => [account.key, account]));
  const rememberedById = new Map<OmnizeId, RememberedAccount>();
  for (const account of remembered.accounts) {
    if (account.accountId !== null) rememberedById.set(account.accountId, account);
  }
  const scopes: AccountScope[] = [];
  const byKey = new Map<string, AccountScope>();
  const byId = new Map<OmnizeId, AccountScope>();
  const register = (scope: AccountScope): AccountScope => {
    scopes.push(scope);
    if (scope.key !== undefined) byKey.set(scope.key, scope);
    if (scope.existingId !== undefined && !byId.has(scope.existingId)) byId.set(scope.existingId, scope);
    return scope;
  };
  const fromRemembered = (account: RememberedAccount): AccountScope =>
    register({
      ...emptyScope(account.key),
      key: account.key,
      remembered: account,
      ...knownId(account.accountId),
    });

  for (const account of desired.accounts) {
    const rememberedAccount = rememberedByKey.get(account.key);
    const existingId = rememberedAccount ? rememberedAccount.accountId : (account.accountId ?? null);
    register({
      ...emptyScope(account.key),
      key: account.key,
      desired: account,
      ...(rememberedAccount ? { remembered: rememberedAccount } : {}),
      ...knownId(existingId),
    });
  }

  const unknownKeys = new Set<string>();
  const scopeFor = (ref: AccountRef): AccountScope | undefined => {
    if ('key' in ref) {
      const scope = byKey.get(ref.key);
      if (scope) return scope;
      const rememberedAccount = rememberedByKey.get(ref.key);
      if (rememberedAccount) return fromRemembered(rememberedAccount);
      if (!unknownKeys.has(ref.key)) {
        unknownKeys.add(ref.key);
        builder.notice({
          kind: 'unknown-account',
          account: ref.key,
          message: `account "${ref.key}" is neither in the manifest nor in the state store; its rows are not planned`,
        });
      }
      return undefined;
    }
    const scope = byId.get(ref.accountId);
    if (scope) return scope;
    const rememberedAccount = rememberedById.get(ref.accountId);
    if (rememberedAccount && !byKey.has(rememberedAccount.key)) return fromRemembered(rememberedAccount);
    return register({ ...emptyScope(`#${ref.accountId}`), existingId: ref.accountId });
  };

  for (const department of desired.departments) scopeFor(department.account)?.departments.push(department);
  for (const agent of desired.agents) scopeFor(agent.account)?.agents.push(agent);

  return {
    scopes,
    namedKeys: new Set(byKey.keys()),
    namedIds: new Set(byId.keys()),
  };
}

function emptyScope(label: string): AccountScope {
  return { label, departments: [], agents: [] };
}

function knownId(accountId: OmnizeId | null): { existingId?: OmnizeId } {
  return accountId === null ? {} : { existingId: accountId };
}
