import { describe, expect, it } from 'vitest';
import { resolveWidgetAccountId, type WidgetAccountStore } from '../../src/cli/widget-account.js';
import { UsageError } from '../../src/errors.js';

const STORE_PATH = '/data/omnize-sync.db';

/** A store that knows these keys; `null` is an account whose create outcome is unknown. */
function storeWith(accounts: Record<string, number | null>): WidgetAccountStore {
  return {
    async getAccount(key) {
      if (!(key in accounts)) return undefined;
      const accountId = accounts[key] ?? null;
      return { key, accountId, createState: accountId === null ? 'unknown' : 'known' };
    },
  };
}

async function failure(run: () => Promise<unknown>): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveWidgetAccountId', () => {
  const store = storeWith({ padaria: 1000, 2024: 1001, cafe: null });

  it('finds a key in the state store, trimmed', async () => {
    expect(await resolveWidgetAccountId('padaria', STORE_PATH, store)).toBe(1000);
    expect(await resolveWidgetAccountId('  padaria ', STORE_PATH, store)).toBe(1000);
  });

  it('prefers a key the store knows over reading an all-digit argument as an ID', async () => {
    expect(await resolveWidgetAccountId('2024', STORE_PATH, store)).toBe(1001);
  });

  it('reads a number the store does not know as the Omnize ID, with or without a store', async () => {
    expect(await resolveWidgetAccountId('4242', STORE_PATH, store)).toBe(4242);
    expect(await resolveWidgetAccountId('4242', STORE_PATH, undefined)).toBe(4242);
  });

  it('explains state adopt for a key whose create outcome is unknown', async () => {
    const error = await failure(() => resolveWidgetAccountId('cafe', STORE_PATH, store));
    expect(error.message).toContain('account "cafe" has no Omnize ID yet');
    expect(error.message).toContain('omnize-sync state adopt cafe ID');
  });

  it('names the store and suggests state list for an unknown key', async () => {
    const error = await failure(() => resolveWidgetAccountId('padoca', STORE_PATH, store));
    expect(error.message).toBe(
      `no account with key "padoca" in the state store ${STORE_PATH}: \`omnize-sync state list\` shows the keys it knows; or give the numeric Omnize account ID`,
    );
  });

  it('says there is no store when a key is given without one', async () => {
    const error = await failure(() => resolveWidgetAccountId('padaria', STORE_PATH, undefined));
    expect(error.message).toContain(`no state store at ${STORE_PATH}, so the key "padaria" is unknown`);
  });

  it('treats digits with a leading zero, zero itself and blanks as keys or usage errors, not IDs', async () => {
    expect((await failure(() => resolveWidgetAccountId('007', STORE_PATH, store))).message).toContain(
      'key "007"',
    );
    expect((await failure(() => resolveWidgetAccountId('0', STORE_PATH, store))).message).toContain(
      'key "0"',
    );
    expect((await failure(() => resolveWidgetAccountId('  ', STORE_PATH, store))).message).toContain(
      'needs an account',
    );
    expect(await resolveWidgetAccountId('007', STORE_PATH, storeWith({ '007': 7007 }))).toBe(7007);
  });

  it('refuses a number beyond the safe integers instead of rounding it', async () => {
    expect(
      (await failure(() => resolveWidgetAccountId('90071992547409930', STORE_PATH, undefined))).message,
    ).toContain('too large');
  });
});
