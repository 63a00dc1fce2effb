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
  const resolver = new AccountResolver(remembered, builder);
  for (const account of desired.accounts) resolver.declare(account);
  // forEach, not for…of: once over every row, where each step of an iterator would allocate.
  desired.departments.forEach((department) => {
    resolver.scopeFor(department.account)?.departments.push(department);
  });
  desired.agents.forEach((agent) => {
    resolver.scopeFor(agent.account)?.agents.push(agent);
  });
  return resolver.resolution();
}

class AccountResolver {
  private readonly rememberedByKey = new Map<string, RememberedAccount>();
  private readonly rememberedById = new Map<OmnizeId, RememberedAccount>();
  private readonly scopes: AccountScope[] = [];
  private readonly byKey = new Map<string, AccountScope>();
  private readonly byId = new Map<OmnizeId, AccountScope>();
  private readonly unknownKeys = new Set<string>();

  constructor(
    remembered: Remembered,
    private readonly builder: PlanBuilder,
  ) {
    for (const account of remembered.accounts) {
      this.rememberedByKey.set(account.key, account);
      if (account.accountId !== null) this.rememberedById.set(account.accountId, account);
    }
  }

  /** An accounts row: the remembered account of its key, or an adoption (`account_id`), or a new account. */
  declare(account: DesiredAccount): void {
    const remembered = this.rememberedByKey.get(account.key);
    const existingId = remembered ? remembered.accountId : (account.accountId ?? null);
    this.register({
      ...emptyScope(account.key),
      key: account.key,
      desired: account,
      ...(remembered ? { remembered } : {}),
      ...knownId(existingId),
    });
  }

  scopeFor(ref: AccountRef): AccountScope | undefined {
    if ('accountId' in ref) {
      const remembered = this.rememberedById.get(ref.accountId);
      return (
        this.byId.get(ref.accountId) ??
        (remembered && !this.byKey.has(remembered.key) ? this.fromRemembered(remembered) : undefined) ??
        this.register({ ...emptyScope(`#${ref.accountId}`), existingId: ref.accountId })
      );
    }
    const scope = this.byKey.get(ref.key);
    if (scope) return scope;
    const remembered = this.rememberedByKey.get(ref.key);
    if (remembered) return this.fromRemembered(remembered);
    if (!this.unknownKeys.has(ref.key)) {
      this.unknownKeys.add(ref.key);
      this.builder.notice({
        kind: 'unknown-account',
        account: ref.key,
        message: `account "${ref.key}" is neither in the manifest nor in the state store; its rows are not planned`,
      });
    }
    return undefined;
  }

  resolution(): AccountResolution {
    return {
      scopes: this.scopes,
      namedKeys: new Set(this.byKey.keys()),
      namedIds: new Set(this.byId.keys()),
    };
  }

  private fromRemembered(account: RememberedAccount): AccountScope {
    return this.register({
      ...emptyScope(account.key),
      key: account.key,
      remembered: account,
      ...knownId(account.accountId),
    });
  }

  private register(scope: AccountScope): AccountScope {
    this.scopes.push(scope);
    if (scope.key !== undefined) this.byKey.set(scope.key, scope);
    if (scope.existingId !== undefined && !this.byId.has(scope.existingId))
      this.byId.set(scope.existingId, scope);
    return scope;
  }
}

function emptyScope(label: string): AccountScope {
  return { label, departments: [], agents: [] };
}

function knownId(accountId: OmnizeId | null): { existingId?: OmnizeId } {
  return accountId === null ? {} : { existingId: accountId };
}
