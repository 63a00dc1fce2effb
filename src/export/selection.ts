import { UsageError } from '../errors.js';
import type { AppliedAccountValues, Remembered, RememberedAccount } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';

/**
 * One account to export: its Omnize ID (what is read), and what the state store knows of it.
 * `key` is absent for an account named by `--account-id` that the state store does not know.
 */
export interface ExportAccount {
  accountId: OmnizeId;
  key?: string;
  /** The values last applied; absent for an account the state store does not know. */
  applied?: AppliedAccountValues;
}

/** An account the state store knows that an export of everything leaves out, and why. */
export interface SkippedAccount {
  key: string;
  reason: 'create-outcome-unknown' | 'deleted';
}

/** `--account KEY` / `--account-id ID` as parsed (src/cli/account-selectors.ts). */
export interface ExportSelectors {
  keys: readonly string[];
  ids: readonly OmnizeId[];
}

export interface ExportSelection {
  accounts: ExportAccount[];
  skipped: SkippedAccount[];
}

/**
 * The accounts an export reads (CONTRACT §11): those named by `--account KEY` (a key the state
 * store knows) and `--account-id ID` (any ID), or, with no selector, every account the state
 * store knows, by key. An account the store knows without an Omnize ID (its create's outcome is
 * unknown) or that an earlier run deleted has nothing to read: left out of an export of
 * everything (`skipped`), and a UsageError when named. Throws before any request is sent.
 */
export function selectExportAccounts(
  remembered: Remembered,
  selectors: ExportSelectors | undefined,
): ExportSelection {
  const byKey = new Map(remembered.accounts.map((account) => [account.key, account]));
  const byId = new Map<OmnizeId, RememberedAccount>();
  for (const account of remembered.accounts) {
    if (account.accountId !== null) byId.set(account.accountId, account);
  }
  if (selectors === undefined) return everything(remembered);
  const chosen = new Map<OmnizeId, ExportAccount>();
  for (const key of selectors.keys) {
    const account = byKey.get(key);
    if (account === undefined) {
      throw new UsageError(
        `--account ${key}: the state store knows no account with this key (omnize-sync state list shows them; ` +
          'use --account-id for an account it does not know)',
      );
    }
    const refusal = refusalOf(account);
    if (refusal !== undefined) throw new UsageError(`--account ${key}: ${refusal}`);
    chosen.set(account.accountId!, known(account, account.accountId!));
  }
  for (const accountId of selectors.ids) {
    if (chosen.has(accountId)) continue;
    const account = byId.get(accountId);
    if (account?.applied.status === 'deleted') {
      throw new UsageError(`--account-id ${accountId}: ${refusalOf(account)}`);
    }
    chosen.set(accountId, account === undefined ? { accountId } : known(account, accountId));
  }
  return { accounts: [...chosen.values()], skipped: [] };
}

function everything(remembered: Remembered): ExportSelection {
  const accounts: ExportAccount[] = [];
  const skipped: SkippedAccount[] = [];
  const sorted = [...remembered.accounts].sort((first, second) => compareText(first.key, second.key));
  for (const account of sorted) {
    if (account.accountId === null) skipped.push({ key: account.key, reason: 'create-outcome-unknown' });
    else if (account.applied.status === 'deleted') skipped.push({ key: account.key, reason: 'deleted' });
    else accounts.push(known(account, account.accountId));
  }
  if (accounts.length === 0) {
    const none =
      remembered.accounts.length === 0
        ? 'the state store knows no account'
        : 'the state store knows no account that can be read';
    throw new UsageError(
      `${none}: adopt your existing accounts first (omnize-sync state adopt --from FILE.csv), ` +
        'or name them with --account-id ID',
    );
  }
  return { accounts, skipped };
}

function refusalOf(account: RememberedAccount): string | undefined {
  if (account.accountId === null) {
    return `account ${account.key} has no Omnize ID: its create's outcome was never learnt (omnize-sync state adopt ${account.key} ID)`;
  }
  if (account.applied.status === 'deleted') return `account ${account.key} was deleted by an earlier run`;
  return undefined;
}

function known(account: RememberedAccount, accountId: OmnizeId): ExportAccount {
  return { accountId, key: account.key, applied: account.applied };
}

const COLLATOR = new Intl.Collator('pt-BR', { sensitivity: 'base', numeric: true });

/**
 * The order rows are written in: as a Brazilian reader sorts (`Ábaco` next to `abacate`,
 * `Depto 2` before `Depto 10`), ties broken by code units, so the same live state always gives
 * the same file.
 */
export function compareText(first: string, second: string): number {
  return COLLATOR.compare(first, second) || (first < second ? -1 : first > second ? 1 : 0);
}

/** Why a skipped account is not in the export, for the one line the command prints for it. */
export function describeSkipped(skipped: SkippedAccount): string {
  return skipped.reason === 'deleted'
    ? `account ${skipped.key} is not exported: an earlier run deleted it`
    : `account ${skipped.key} is not exported: it has no Omnize ID yet (its create's outcome is unknown; omnize-sync state adopt ${skipped.key} ID)`;
}
