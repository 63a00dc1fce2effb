import { InternalError } from '../errors.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { selectAccounts, writeAdoption } from './accounts.js';
import type { Sql } from './sql.js';

/** One row of a `state adopt --from` file: its Excel row number and its two cells, trimmed. */
export interface AdoptionLine {
  row: number;
  key: string;
  accountId: string;
}

/** Which check refused a row. */
export type AdoptionCheck =
  | 'missing-column'
  | 'empty-key'
  | 'bad-id'
  | 'duplicate-key'
  | 'duplicate-id'
  | 'key-mapped'
  | 'id-mapped';

/** A row refused: `column` is the header it is about (absent for a row or the header as a whole). */
export interface AdoptionRefusal {
  row: number;
  column?: 'key' | 'account_id';
  check: AdoptionCheck;
  message: string;
}

/** How many rows of each outcome of `writeAdoption` (`replaced` cannot happen: it is refused). */
export interface AdoptionCounts {
  created: number;
  unchanged: number;
  'resolved-unknown': number;
}

export type AdoptManyResult =
  | { adopted: true; counts: AdoptionCounts }
  | { adopted: false; refusals: AdoptionRefusal[] };

export const ADOPTION_COLUMNS = ['key', 'account_id'] as const;

/**
 * Where the `key` and `account_id` columns are in a header row (names
 * trimmed, case-insensitive; other columns are ignored), or why not.
 */
export function adoptionHeader(
  row: number,
  cells: readonly string[],
): { key: number; accountId: number } | { refusals: AdoptionRefusal[] } {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  const refusals: AdoptionRefusal[] = [];
  const indices = ADOPTION_COLUMNS.map((column) => {
    const index = names.indexOf(column);
    if (index < 0) {
      refusals.push({
        row,
        check: 'missing-column',
        message: `the header has no "${column}" column (it needs key and account_id)`,
      });
    } else if (names.indexOf(column, index + 1) >= 0) {
      refusals.push({
        row,
        column,
        check: 'missing-column',
        message: `the header has two "${column}" columns`,
      });
    }
    return index;
  });
  if (refusals.length > 0) return { refusals };
  return { key: indices[0] ?? -1, accountId: indices[1] ?? -1 };
}

/**
 * Adopts every line, all or nothing, in the caller's transaction: all
 * checks run first against the file and the store as it is, and if any
 * row is refused nothing is written. A key already tied to another Omnize
 * ID is refused (unlike the single `state adopt`, which replaces it): a
 * bulk file must not silently re-point accounts.
 */
export function adoptMany(sql: Sql, lines: readonly AdoptionLine[]): AdoptManyResult {
  const refusals = checkAdoptions(sql, lines);
  if (refusals.length > 0) return { adopted: false, refusals };
  const counts: AdoptionCounts = { created: 0, unchanged: 0, 'resolved-unknown': 0 };
  for (const line of lines) {
    const outcome = writeAdoption(sql, line.key, Number(line.accountId));
    if (outcome === 'replaced') throw new InternalError(`key "${line.key}" was re-pointed after its check`);
    counts[outcome] += 1;
  }
  return { adopted: true, counts };
}

/** Every problem of every line, in row order (a row's key before its ID). */
export function checkAdoptions(sql: Sql, lines: readonly AdoptionLine[]): AdoptionRefusal[] {
  return checkAdoptionLines(selectAccounts(sql), lines);
}

/** The checks of `checkAdoptions` against the accounts the store holds (any backend's). */
export function checkAdoptionLines(
  stored: readonly { key: string; accountId: OmnizeId | null }[],
  lines: readonly AdoptionLine[],
): AdoptionRefusal[] {
  const idOfKey = new Map(stored.map((account) => [account.key, account.accountId]));
  const keyOfId = new Map<OmnizeId, string>();
  for (const account of stored) if (account.accountId !== null) keyOfId.set(account.accountId, account.key);
  const rowOfKey = new Map<string, number>();
  const rowOfId = new Map<OmnizeId, number>();
  const refusals: AdoptionRefusal[] = [];
  const refuse = (row: number, column: 'key' | 'account_id', check: AdoptionCheck, message: string) =>
    refusals.push({ row, column, check, message });

  for (const { row, key, accountId: text } of lines) {
    const id = parseId(text);
    if (key === '') refuse(row, 'key', 'empty-key', 'the key is empty');
    else {
      const first = rowOfKey.get(key);
      if (first !== undefined) {
        refuse(
          row,
          'key',
          'duplicate-key',
          `key "${key}" is on rows ${first} and ${row}: give each key once`,
        );
      } else rowOfKey.set(key, row);
      const mapped = idOfKey.get(key);
      if (mapped != null && mapped !== id && id !== undefined) {
        refuse(
          row,
          'key',
          'key-mapped',
          `key "${key}" is already Omnize account ${mapped} in the state store, not ${id}; ` +
            `if that is wrong, run \`omnize-sync state adopt ${key} ${id}\` on its own`,
        );
      }
    }
    if (id === undefined) {
      refuse(
        row,
        'account_id',
        'bad-id',
        text === ''
          ? 'the account_id is empty'
          : `the account_id must be a positive whole number, not "${text}"`,
      );
      continue;
    }
    const first = rowOfId.get(id);
    if (first !== undefined) {
      refuse(
        row,
        'account_id',
        'duplicate-id',
        `account_id ${id} is on rows ${first} and ${row}: give each ID once`,
      );
    } else rowOfId.set(id, row);
    const holder = keyOfId.get(id);
    if (holder !== undefined && holder !== key && key !== '') {
      refuse(
        row,
        'account_id',
        'id-mapped',
        `Omnize account ${id} is already recorded for key "${holder}" in the state store; ` +
          `if that is wrong, run \`omnize-sync state forget ${holder}\` first`,
      );
    }
  }
  return refusals;
}

/** Omnize IDs are positive whole numbers (as `state adopt KEY ID` takes them). */
function parseId(text: string): OmnizeId | undefined {
  if (!/^[1-9][0-9]*$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}
