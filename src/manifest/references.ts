import type { SourceLocation } from '../model/source.js';
import { type ManifestKind, nameKey } from '../model/vocabulary.js';
import { type Field, fieldOf } from './headers.js';
import type { ManifestRow, ManifestTable } from './types.js';
import { splitList } from './values.js';

/**
 * The kinds whose rows other rows refer to: an agent or department row names its account, an agent
 * row its departments. Nothing refers to an agent row, so agent rows can be left unread.
 */
export const REFERRED_KINDS: ReadonlySet<ManifestKind> = new Set(['accounts', 'departments']);

/**
 * The account and department rows a department or agent row needs declared beside it, so that
 * rows handed back validate on their own (CONTRACT §3: references to undeclared accounts or
 * departments are errors). Matched as the manifest's checks match them: keys and names trimmed
 * and without case, an `account_id` that a declared account has standing for that account.
 */
export class References {
  private readonly accountsByKey = new Map<string, SourceLocation>();
  private readonly keysById = new Map<string, string>();
  private readonly departments = new Map<string, SourceLocation>();

  constructor(tables: readonly ManifestTable[]) {
    for (const table of tables.filter((each) => each.kind === 'accounts')) {
      for (const row of table.rows) {
        const key = cellOf(table, row, 'key');
        if (key === '' || this.accountsByKey.has(nameKey(key))) continue;
        this.accountsByKey.set(nameKey(key), row.source);
        const id = cellOf(table, row, 'account_id');
        if (id !== '') this.keysById.set(id, nameKey(key));
      }
    }
    for (const table of tables.filter((each) => each.kind === 'departments')) {
      for (const row of table.rows) {
        const name = departmentKey(this.identity(table, row), cellOf(table, row, 'name'));
        if (!this.departments.has(name)) this.departments.set(name, row.source);
      }
    }
  }

  /** Where the rows are that this row refers to (its account, an agent's departments), when declared. */
  of(table: ManifestTable, row: ManifestRow): SourceLocation[] {
    if (table.kind === 'accounts') return [];
    const identity = this.identity(table, row);
    const needed: SourceLocation[] = [];
    const account = identity.startsWith('key:') ? this.accountsByKey.get(identity.slice(4)) : undefined;
    if (account !== undefined) needed.push(account);
    if (table.kind === 'agents') {
      for (const name of splitList(cellOf(table, row, 'departments'))) {
        const department = this.departments.get(departmentKey(identity, name));
        if (department !== undefined) needed.push(department);
      }
    }
    return needed;
  }

  /** `key:acme` for a row naming a declared account (by key or by its ID), `id:123` otherwise. */
  private identity(table: ManifestTable, row: ManifestRow): string {
    const key = cellOf(table, row, 'account');
    if (key !== '') return `key:${nameKey(key)}`;
    const id = cellOf(table, row, 'account_id');
    const declared = this.keysById.get(id);
    return declared === undefined ? `id:${id}` : `key:${declared}`;
  }
}

function departmentKey(identity: string, name: string): string {
  return `${identity}\u0000${nameKey(name)}`;
}

/** Each table's first column for each field, found once: matching headers on every row would be slow at 100k rows. */
const columnsOfTables = new WeakMap<ManifestTable, Map<Field, number>>();

function cellOf(table: ManifestTable, row: ManifestRow, field: Field): string {
  let columns = columnsOfTables.get(table);
  if (columns === undefined) {
    columns = new Map();
    for (const [index, header] of table.headers.entries()) {
      const named = fieldOf(table.kind, header);
      if (named !== undefined && !columns.has(named)) columns.set(named, index);
    }
    columnsOfTables.set(table, columns);
  }
  const index = columns.get(field);
  return index === undefined ? '' : (row.cells[index] ?? '').trim();
}
