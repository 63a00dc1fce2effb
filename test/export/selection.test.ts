import { describe, expect, it } from 'vitest';
import { selectExportAccounts } from '../../src/export/selection.js';
import type { Remembered, RememberedAccount } from '../../src/model/remembered.js';
import { usageRefusal } from '../usage-refusal.js';

function store(...accounts: RememberedAccount[]): Remembered {
  return { accounts, agents: [], kindsSeen: { accounts: true, departments: true, agents: true }, serial: 1 };
}
const account = (key: string, accountId: number | null, applied: RememberedAccount['applied'] = {}) =>
  ({ key, accountId, createState: accountId === null ? 'unknown' : 'known', applied }) as RememberedAccount;

describe('selectExportAccounts', () => {
  const remembered = store(
    account('zeta', 3),
    account('Ótica', 2, { email: 'a@b.com.br' }),
    account('padaria', 1),
    account('limbo', null),
    account('gone', 4, { status: 'deleted' }),
  );

  it('exports every account the state store can read, in key order, and says which it leaves out', () => {
    const selection = selectExportAccounts(remembered, undefined);
    expect(selection.accounts.map((each) => each.key)).toEqual(['Ótica', 'padaria', 'zeta']);
    expect(selection.accounts[0]).toEqual({ accountId: 2, key: 'Ótica', applied: { email: 'a@b.com.br' } });
    expect(selection.skipped).toEqual([
      { key: 'gone', reason: 'deleted' },
      { key: 'limbo', reason: 'create-outcome-unknown' },
    ]);
  });

  it('takes --account keys the store knows and --account-id IDs it may not know, each once', () => {
    const selection = selectExportAccounts(remembered, { keys: ['zeta'], ids: [3, 1, 777] });
    expect(selection.accounts).toEqual([
      { accountId: 3, key: 'zeta', applied: {} },
      { accountId: 1, key: 'padaria', applied: {} },
      { accountId: 777 },
    ]);
  });

  it('refuses a key the state store does not know, naming the flag and the key', () => {
    expect(usageRefusal(() => selectExportAccounts(remembered, { keys: ['nope'], ids: [] }))).toMatch(
      /^--account nope: the state store knows no account with this key/,
    );
  });

  it('refuses a named account without an Omnize ID, and one an earlier run deleted', () => {
    expect(usageRefusal(() => selectExportAccounts(remembered, { keys: ['limbo'], ids: [] }))).toMatch(
      /^--account limbo: account limbo has no Omnize ID/,
    );
    expect(usageRefusal(() => selectExportAccounts(remembered, { keys: ['gone'], ids: [] }))).toMatch(
      /^--account gone: account gone was deleted by an earlier run/,
    );
    expect(usageRefusal(() => selectExportAccounts(remembered, { keys: [], ids: [4] }))).toMatch(
      /^--account-id 4: account gone was deleted/,
    );
  });

  it('refuses to export everything of a state store that knows nothing readable, pointing at state adopt', () => {
    expect(usageRefusal(() => selectExportAccounts(store(), undefined))).toMatch(
      /^the state store knows no account: adopt .*state adopt --from FILE\.csv.*--account-id ID$/,
    );
    expect(usageRefusal(() => selectExportAccounts(store(account('limbo', null)), undefined))).toMatch(
      /^the state store knows no account that can be read/,
    );
  });
});
