import type { Desired, DesiredAgent } from '../model/desired.js';
import type { Remembered } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { PlanBuilder } from './builder.js';
import { type AccountScope, resolveAccounts } from './scope.js';

/** `--account KEY` / `--account-id ID` as given (CONTRACT §12): manifest keys and Omnize account IDs. */
export interface ScopeSelectors {
  keys: readonly string[];
  ids: readonly OmnizeId[];
}

/**
 * The accounts a scoped run is limited to (CONTRACT §12), as the plan, a saved plan,
 * summary.json and report.html name them. A plan whose `scope` is null (or absent, in a plan
 * saved before scopes existed) covers the whole manifest. Not a list of accounts to write to:
 * the plan's actions are.
 */
export interface PlanScope {
  /** The `--account` keys, in the order given. */
  accounts: string[];
  /** The `--account-id` IDs, in the order given. */
  accountIds: OmnizeId[];
  /** The manifest's accounts they select, as the plan labels them (key, or `#ID`), in plan order. */
  selected: string[];
}

/** A selector that names no account of the manifest: the run stops before any request (exit 1). */
export interface UnmatchedSelector {
  flag: '--account' | '--account-id';
  value: string;
  message: string;
}

export type ScopeDecision =
  | { ok: true; scope: PlanScope | null }
  | { ok: false; unmatched: UnmatchedSelector[] };

/**
 * Decides the scope of a run from the manifest, the state store's accounts and the selectors.
 * Pure. The accounts are those of `resolveAccounts` (the ones the manifest names: its accounts
 * rows, and the accounts its department and agent rows name by key or by ID). `--account KEY`
 * selects the one with that key; `--account-id ID` the one whose Omnize ID is ID (remembered in
 * the state store, an `account_id` column, or rows naming it by ID). A selector that selects
 * nothing is refused, even when the state store knows the account: a scoped run never reaches
 * an account the manifest does not name, so it never prunes one either. No selector: null.
 */
export function decideScope(
  desired: Desired,
  remembered: Remembered,
  selectors: ScopeSelectors | undefined,
): ScopeDecision {
  if (selectors === undefined || (selectors.keys.length === 0 && selectors.ids.length === 0)) {
    return { ok: true, scope: null };
  }
  const scope: PlanScope = { accounts: [...selectors.keys], accountIds: [...selectors.ids], selected: [] };
  const { scopes } = resolveAccounts(desired, remembered, new PlanBuilder());
  const matchedKeys = new Set<string>();
  const matchedIds = new Set<OmnizeId>();
  for (const account of scopes) {
    if (!selectsAccount(scope, account)) continue;
    scope.selected.push(account.label);
    if (account.key !== undefined) matchedKeys.add(account.key);
    if (account.existingId !== undefined) matchedIds.add(account.existingId);
  }
  const unmatched: UnmatchedSelector[] = [
    ...scope.accounts.filter((key) => !matchedKeys.has(key)).map((key) => unmatchedKey(key, remembered)),
    ...scope.accountIds.filter((id) => !matchedIds.has(id)).map((id) => unmatchedId(id, remembered)),
  ];
  return unmatched.length === 0 ? { ok: true, scope } : { ok: false, unmatched };
}

/** Whether a run of this scope reads and plans this account: the one test every step uses. */
export function selectsAccount(scope: PlanScope, account: AccountScope): boolean {
  return (
    (account.key !== undefined && scope.accounts.includes(account.key)) ||
    (account.existingId !== undefined && scope.accountIds.includes(account.existingId))
  );
}

/** The agent rows of the accounts the scope selects, in manifest order: whom a scoped `login-links` asks links for. */
export function agentsInScope(desired: Desired, remembered: Remembered, scope: PlanScope): DesiredAgent[] {
  const selected = new Set<DesiredAgent>();
  for (const account of resolveAccounts(desired, remembered, new PlanBuilder()).scopes) {
    if (!selectsAccount(scope, account)) continue;
    for (const agent of account.agents) selected.add(agent);
  }
  return desired.agents.filter((agent) => selected.has(agent));
}

/** `--account acme --account-id 42`, the way the user wrote it. */
export function describeSelectors(scope: Pick<PlanScope, 'accounts' | 'accountIds'>): string {
  return [
    ...scope.accounts.map((key) => `--account ${key}`),
    ...scope.accountIds.map((id) => `--account-id ${id}`),
  ].join(' ');
}

function unmatchedKey(key: string, remembered: Remembered): UnmatchedSelector {
  const known = remembered.accounts.some((account) => account.key === key);
  const hint = known
    ? ' (the state store knows it, but a scoped run reaches only accounts the manifest names)'
    : '';
  return {
    flag: '--account',
    value: key,
    message: `--account ${key}: the manifest declares no account with this key${hint}`,
  };
}

function unmatchedId(id: OmnizeId, remembered: Remembered): UnmatchedSelector {
  const known = remembered.accounts.find((account) => account.accountId === id);
  const hint =
    known === undefined
      ? ''
      : ` (the state store knows it as ${known.key}, but a scoped run reaches only accounts the manifest names)`;
  return {
    flag: '--account-id',
    value: String(id),
    message: `--account-id ${id}: no account of the manifest has this Omnize ID${hint}`,
  };
}
