import { fieldOf, normalizeHeader } from '../manifest/headers.js';
import type { ManifestRow, ManifestTable } from '../manifest/types.js';
import { splitList } from '../manifest/values.js';
import type { SourceLocation } from '../model/source.js';
import { MANIFEST_KINDS, type ManifestKind } from '../model/vocabulary.js';
import { errorsByRow, rowKey } from './rejected-errors.js';
import type { ResultRow } from './results.js';

/** What rejected.xlsx is made from: the manifest's tables as read (with `keepRows`) and the run's results. */
export interface RejectedInput {
  tables: readonly ManifestTable[];
  results: readonly ResultRow[];
}

/** One sheet of rejected.xlsx: the manifest's own headers (plus `error`), and the rows to hand back. */
export interface RejectedSheet {
  kind: ManifestKind;
  /** The manifest's sheet name for an XLSX manifest; the kind for CSV files. */
  name: string;
  headers: string[];
  /** Columns whose header names the `password` field: written blank. */
  passwordColumns: number[];
  errorColumn: number;
  /** Cells in the order of `headers`, the error cell filled in (empty for a row given as context). */
  rows: string[][];
}

export interface RejectedSelection {
  sheets: RejectedSheet[];
  /** Rows with an error. */
  rejected: number;
  /** Rows without an error that rejected rows refer to (their account, their departments). */
  context: number;
  /** Errors whose manifest row is unknown or not among the tables: not in the workbook, still in results.csv. */
  unplaced: number;
}

interface TableRow {
  table: ManifestTable;
  row: ManifestRow;
}

/**
 * The rows of rejected.xlsx: every manifest row one of whose actions failed, is
 * unknown or was skipped, or that a membership batch names as not landed, with all
 * its errors; and, with an empty error, the account and department rows that those
 * rows refer to, so the workbook validates on its own (CONTRACT §3: references to
 * undeclared accounts or departments are errors). Re-applying a context row changes
 * nothing. Rows keep the manifest's order.
 */
export function selectRejectedRows(input: RejectedInput): RejectedSelection {
  const located = new Map<string, TableRow>();
  for (const table of input.tables) {
    for (const row of table.rows ?? []) {
      if (row?.source !== undefined) located.set(rowKey(row.source), { table, row });
    }
  }
  const errors = errorsByRow(input.results);
  let unplaced = errors.unplaced;
  const chosen = new Map<string, string>();
  for (const [key, messages] of errors.byRow) {
    if (located.has(key)) chosen.set(key, messages.join('; '));
    else unplaced += messages.length;
  }
  const rejected = chosen.size;
  const references = new References(input.tables);
  for (const key of [...chosen.keys()]) {
    for (const source of references.of(located.get(key)!)) {
      const contextKey = rowKey(source);
      if (!chosen.has(contextKey)) chosen.set(contextKey, '');
    }
  }
  return { sheets: buildSheets(input.tables, chosen), rejected, context: chosen.size - rejected, unplaced };
}

/** The account and department rows a department or agent row needs declared beside it. */
class References {
  private readonly accountsByKey = new Map<string, SourceLocation>();
  private readonly keysById = new Map<string, string>();
  private readonly departments = new Map<string, SourceLocation>();

  constructor(tables: readonly ManifestTable[]) {
    for (const table of tables.filter((each) => each.kind === 'accounts')) {
      for (const row of table.rows ?? []) {
        const key = cellOf(table, row, 'key');
        if (key === '' || this.accountsByKey.has(nameKey(key))) continue;
        this.accountsByKey.set(nameKey(key), row.source);
        const id = cellOf(table, row, 'account_id');
        if (id !== '') this.keysById.set(id, nameKey(key));
      }
    }
    for (const table of tables.filter((each) => each.kind === 'departments')) {
      for (const row of table.rows ?? []) {
        const name = departmentKey(this.identity(table, row), cellOf(table, row, 'name'));
        if (!this.departments.has(name)) this.departments.set(name, row.source);
      }
    }
  }

  of({ table, row }: TableRow): SourceLocation[] {
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

function cellOf(table: ManifestTable, row: ManifestRow, field: string): string {
  const index = table.headers.findIndex((header) => fieldOf(table.kind, header) === field);
  return index === -1 ? '' : (row.cells[index] ?? '').trim();
}

/** Keys and names are matched as the manifest's checks match them: trimmed, without case. */
function nameKey(text: string): string {
  return text.trim().toLocaleLowerCase('pt-BR');
}

function departmentKey(identity: string, name: string): string {
  return `${identity}\u0000${nameKey(name)}`;
}

/**
 * One sheet per kind, in the manifest's order. Several CSV files of one kind share a
 * sheet: columns are matched by the field their header names (`E-mail` and `email`
 * are one column), and a column only a later file has is added at the end.
 */
function buildSheets(tables: readonly ManifestTable[], chosen: Map<string, string>): RejectedSheet[] {
  const sheets: RejectedSheet[] = [];
  for (const kind of MANIFEST_KINDS) {
    const ofKind = tables.filter((table) => table.kind === kind);
    const columns: { key: string; header: string }[] = [];
    const rows: string[][] = [];
    for (const table of ofKind) {
      const places = table.headers.map((header, index) =>
        placeOf(kind, header, index, columns, table === ofKind[0]),
      );
      for (const row of table.rows ?? []) {
        const error = chosen.get(rowKey(row.source));
        if (error === undefined) continue;
        const cells: string[] = [];
        places.forEach((place, index) => {
          if (place !== undefined) cells[place] = row.cells[index] ?? '';
        });
        rows.push([...cells, error]);
      }
    }
    if (rows.length === 0) continue;
    sheets.push(finishSheet(kind, ofKind[0]?.sheet ?? kind, columns, rows));
  }
  return sheets;
}

/** The output column of a header: the first table's columns as they are, later ones matched by field. */
function placeOf(
  kind: ManifestKind,
  header: string,
  index: number,
  columns: { key: string; header: string }[],
  first: boolean,
): number | undefined {
  const key =
    header.trim() === '' ? `blank:${index}` : (fieldOf(kind, header) ?? `column:${normalizeHeader(header)}`);
  if (!first && key.startsWith('blank:')) return undefined;
  const existing = first ? -1 : columns.findIndex((column) => column.key === key);
  if (existing !== -1) return existing;
  columns.push({ key, header });
  return columns.length - 1;
}

/** Puts each row's error in the manifest's own `error` column if it has one (a rejected.xlsx fed back), else in a new last one. */
function finishSheet(
  kind: ManifestKind,
  name: string,
  columns: { key: string; header: string }[],
  rows: string[][],
): RejectedSheet {
  const headers = columns.map((column) => column.header);
  const existing = headers.findIndex((header) => normalizeHeader(header) === 'error');
  const errorColumn = existing === -1 ? headers.length : existing;
  if (existing === -1) headers.push('error');
  const width = headers.length;
  const shaped = rows.map((row) => {
    const error = row[row.length - 1] ?? '';
    const cells = Array.from({ length: width }, (_, index) =>
      index < row.length - 1 ? (row[index] ?? '') : '',
    );
    cells[errorColumn] = error;
    return cells;
  });
  const passwordColumns = headers.flatMap((header, index) =>
    fieldOf(kind, header) === 'password' ? [index] : [],
  );
  return { kind, name, headers, passwordColumns, errorColumn, rows: shaped };
}
