import { UsageError } from '../errors.js';
import type { RememberedAccount } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';

/** What the resolver needs of the state store: a lookup by key. */
export interface WidgetAccountStore {
  getAccount(key: string): Promise<Pick<RememberedAccount, 'key' | 'accountId' | 'createState'> | undefined>;
}

/** An Omnize ID as typed: a positive whole number without leading zeros ("007" stays a key). */
const OMNIZE_ID_TEXT = /^[1-9][0-9]*$/;

/**
 * The Omnize account ID `widget <account>` means. A key the state store knows wins, even when
 * it is all digits (a partner whose keys are numbers means their own key); otherwise an
 * argument that reads as an ID is that ID; anything else is an unknown key (UsageError).
 * A key whose account create has an unknown outcome has no ID yet: a UsageError explains
 * `state adopt`.
 */
export async function resolveWidgetAccountId(
  argument: string,
  /** The store's path or URL (its password masked), for messages. */
  storeDisplay: string,
  /** Undefined when there is no store file at `storeDisplay`. */
  store: WidgetAccountStore | undefined,
): Promise<OmnizeId> {
  const key = argument.trim();
  if (key === '') throw new UsageError('widget needs an account: its key in the manifest or its Omnize ID');
  const account = await store?.getAccount(key);
  if (account !== undefined) {
    if (account.accountId !== null) return account.accountId;
    throw new UsageError(
      `account "${account.key}" has no Omnize ID yet: its create was sent but the outcome is unknown. ` +
        `Find the account in Omnize, record it with \`omnize-sync state adopt ${account.key} ID\`, ` +
        'and run widget again (or give the ID itself: `omnize-sync widget ID`)',
    );
  }
  if (OMNIZE_ID_TEXT.test(key)) {
    const id = Number(key);
    if (Number.isSafeInteger(id)) return id;
    throw new UsageError(`"${key}" is too large to be an Omnize account ID`);
  }
  if (store === undefined) {
    throw new UsageError(
      `no state store at ${storeDisplay}, so the key "${key}" is unknown: ` +
        'point --state (or OMNIZE_STATE) at the store apply uses, or give the numeric Omnize account ID',
    );
  }
  throw new UsageError(
    `no account with key "${key}" in the state store ${storeDisplay}: ` +
      '`omnize-sync state list` shows the keys it knows; or give the numeric Omnize account ID',
  );
}
