import { describe, expect, it } from 'vitest';
import { type AdoptionLine, adoptionHeader, type StateStore } from '../../src/state/index.js';
import { openStore, tempStorePath } from './temp-store.js';

const line = (row: number, key: string, accountId: string): AdoptionLine => ({ row, key, accountId });

/** The store as `state list --json` would show its mapping: key, Omnize ID, create state. */
function contents(store: StateStore) {
  return store.listAccounts().map(({ key, accountId, createState }) => ({ key, accountId, createState }));
}

/** A store holding acme → 10, beta → 20 and an unknown create for gamma. */
function seeded(): StateStore {
  const store = openStore(tempStorePath());
  store.adoptAccount('acme', 10);
  store.adoptAccount('beta', 20);
  store.markAccountCreateUnknown('gamma', { email: 'g@example.com' });
  return store;
}

describe('adoptAccounts: all or nothing', () => {
  it('adopts new keys, keeps those already as given, resolves unknown creates, in one change', () => {
    const store = seeded();
    const serial = store.serial();
    const result = store.adoptAccounts([
      line(2, 'acme', '10'),
      line(3, 'gamma', '30'),
      line(4, 'delta', '40'),
    ]);
    expect(result).toEqual({ adopted: true, counts: { created: 1, unchanged: 1, 'resolved-unknown': 1 } });
    expect(contents(store)).toEqual([
      { key: 'acme', accountId: 10, createState: 'known' },
      { key: 'beta', accountId: 20, createState: 'known' },
      { key: 'delta', accountId: 40, createState: 'known' },
      { key: 'gamma', accountId: 30, createState: 'known' },
    ]);
    expect(store.serial()).toBe(serial + 1);
  });

  it('changes nothing, not even the serial, when only what is recorded is given', () => {
    const store = seeded();
    const serial = store.serial();
    expect(store.adoptAccounts([line(2, 'acme', '10')])).toMatchObject({ adopted: true });
    expect(store.serial()).toBe(serial);
  });

  const refusals: {
    name: string;
    lines: AdoptionLine[];
    expected: [number, string | undefined, string][];
  }[] = [
    {
      name: 'a key mapped to another ID',
      lines: [line(2, 'acme', '11')],
      expected: [[2, 'key', 'key-mapped']],
    },
    {
      name: 'an ID mapped to another key',
      lines: [line(2, 'new', '20')],
      expected: [[2, 'account_id', 'id-mapped']],
    },
    {
      name: 'the same key twice',
      lines: [line(2, 'x', '1'), line(3, 'y', '2'), line(5, 'x', '3')],
      expected: [[5, 'key', 'duplicate-key']],
    },
    {
      name: 'the same ID twice',
      lines: [line(2, 'x', '7'), line(4, 'y', '7')],
      expected: [[4, 'account_id', 'duplicate-id']],
    },
    {
      name: 'IDs that are not positive whole numbers',
      lines: [
        line(2, 'a', 'abc'),
        line(3, 'b', '0'),
        line(4, 'c', '-5'),
        line(5, 'd', '1.5'),
        line(6, 'e', ''),
      ],
      expected: [
        [2, 'account_id', 'bad-id'],
        [3, 'account_id', 'bad-id'],
        [4, 'account_id', 'bad-id'],
        [5, 'account_id', 'bad-id'],
        [6, 'account_id', 'bad-id'],
      ],
    },
    { name: 'an empty key', lines: [line(2, '', '5')], expected: [[2, 'key', 'empty-key']] },
    {
      name: 'several problems on one row',
      lines: [line(2, 'acme', '20')],
      expected: [
        [2, 'key', 'key-mapped'],
        [2, 'account_id', 'id-mapped'],
      ],
    },
  ];

  for (const { name, lines, expected } of refusals) {
    it(`refuses ${name}, naming the row and the check, and writes nothing`, () => {
      const store = seeded();
      const before = contents(store);
      const serial = store.serial();
      const result = store.adoptAccounts(lines);
      expect(result.adopted).toBe(false);
      if (result.adopted) return;
      expect(result.refusals.map(({ row, column, check }) => [row, column, check])).toEqual(expected);
      expect(contents(store)).toEqual(before);
      expect(store.serial()).toBe(serial);
    });
  }

  it('names both rows of a duplicate', () => {
    const result = seeded().adoptAccounts([line(2, 'x', '1'), line(7, 'x', '2')]);
    expect(result.adopted ? [] : result.refusals.map((refusal) => refusal.message)).toEqual([
      'key "x" is on rows 2 and 7: give each key once',
    ]);
  });

  it('one bad row among many good ones changes nothing', () => {
    const store = seeded();
    const before = contents(store);
    const lines = Array.from({ length: 500 }, (_, index) =>
      line(index + 2, `k${index}`, String(1000 + index)),
    );
    lines.splice(250, 0, line(252, 'bad', '20'));
    const result = store.adoptAccounts(lines);
    expect(result.adopted ? [] : result.refusals.map((refusal) => [refusal.row, refusal.check])).toEqual([
      [252, 'id-mapped'],
    ]);
    expect(contents(store)).toEqual(before);
  });
});

describe('adoptionHeader', () => {
  it('finds the columns whatever their case, order and padding, ignoring others', () => {
    expect(adoptionHeader(1, ['email', ' Account_ID ', 'KEY'])).toEqual({ key: 2, accountId: 1 });
  });

  it('refuses a missing or doubled column', () => {
    expect(adoptionHeader(1, ['key', 'id'])).toEqual({
      refusals: [
        expect.objectContaining({
          row: 1,
          check: 'missing-column',
          message: expect.stringMatching(/"account_id"/),
        }),
      ],
    });
    expect(adoptionHeader(1, ['key', 'account_id', 'Key'])).toMatchObject({
      refusals: [{ row: 1, column: 'key', check: 'missing-column' }],
    });
  });
});
