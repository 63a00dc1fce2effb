import { describe, expect, it } from 'vitest';
import { accountSelectorsOf } from '../../src/cli/account-selectors.js';
import { UsageError } from '../../src/errors.js';

describe('account selectors', () => {
  it('are absent when no flag is given, so the run is not scoped', () => {
    expect(accountSelectorsOf({})).toBeUndefined();
    expect(accountSelectorsOf({ account: [], accountId: [] })).toBeUndefined();
  });

  it('keep keys and IDs once each, trimmed', () => {
    expect(accountSelectorsOf({ account: [' acme', 'acme', 'globex'], accountId: ['12', '12 '] })).toEqual({
      keys: ['acme', 'globex'],
      ids: [12],
    });
  });

  it.each(['0', '-3', '1.5', 'abc', '', '1e3'])('refuse the account ID "%s", naming the flag', (id) => {
    expect(() => accountSelectorsOf({ accountId: [id] })).toThrow(UsageError);
    expect(() => accountSelectorsOf({ accountId: [id] })).toThrow(/^--account-id: /);
  });

  it('refuse an empty key, naming the flag', () => {
    expect(() => accountSelectorsOf({ account: ['  '] })).toThrow(/^--account: must not be empty/);
  });
});
