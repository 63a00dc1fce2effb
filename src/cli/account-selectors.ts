import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';

/** Which accounts a run is limited to (CONTRACT §11, §12): manifest keys and Omnize account IDs. */
export interface AccountSelectors {
  keys: readonly string[];
  ids: readonly number[];
}

/** The flags as yargs gives them (repeatable, so arrays). */
export interface AccountSelectorFlags {
  account?: string[];
  accountId?: string[];
}

/** `--account KEY` / `--account-id ID`, repeatable, on plan, apply, login-links and export. */
export function accountSelectorFlags<T>(yargs: Argv<T>): Argv<T> {
  return yargs
    .option('account', {
      type: 'string',
      array: true,
      requiresArg: true,
      describe: 'limit the run to the account with this manifest key (repeatable)',
    })
    .option('account-id', {
      type: 'string',
      array: true,
      requiresArg: true,
      describe: 'limit the run to the account with this Omnize account ID (repeatable)',
    });
}

/** The selectors of a command line; an empty key or an ID that is not a positive whole number is a UsageError. */
export function accountSelectorsOf(flags: AccountSelectorFlags): AccountSelectors | undefined {
  const keys = (flags.account ?? []).map((key) => {
    const trimmed = String(key).trim();
    if (trimmed === '') throw new UsageError('--account: must not be empty');
    return trimmed;
  });
  const ids = (flags.accountId ?? []).map((text) => {
    const trimmed = String(text).trim();
    if (!/^[1-9][0-9]{0,14}$/.test(trimmed)) {
      throw new UsageError(`--account-id: must be a positive whole number (got "${text}")`);
    }
    return Number(trimmed);
  });
  if (keys.length === 0 && ids.length === 0) return undefined;
  return { keys: [...new Set(keys)], ids: [...new Set(ids)] };
}
