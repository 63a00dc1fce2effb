import type { SourceLocation } from '../model/source.js';
import { MANIFEST_KINDS, type ManifestKind } from '../model/vocabulary.js';
import { fieldOf, normalizeHeader } from './headers.js';
import { loadManifest } from './load.js';
import { REFERRED_KINDS, References } from './references.js';
import type { ManifestArgument, ManifestRow, ManifestTable } from './types.js';

/** What went wrong with one manifest row, in the words of whoever asks for it back (the run's report). */
export interface RowError {
  source: SourceLocation;
  error: string;
}

/**
 * One sheet of rows handed back: the manifest's own headers plus a column for the errors, and
 * the rows in the manifest's order. Rows hold passwords as written: the writer blanks
 * `passwordColumns`.
 */
export interface HandBackSheet {
  kind: ManifestKind;
  /** The manifest's sheet name for an XLSX manifest; the kind for CSV files. */
  name: string;
  headers: string[];
  passwordColumns: number[];
  errorColumn: number;
  /** Cells in the order of `headers`, the error cell filled in (empty for a row given as context). Made one at a time, each time it is iterated. */
  rows: Iterable<string[]>;
}

export interface HandBack {
  sheets: HandBackSheet[];
  /** Rows with an error; errors at rows the manifest does not have are left out. */
  rejected: number;
}

/** The column handed-back rows carry their errors in; the manifest reader ignores it when they come back. */
const ERROR_HEADER = 'error';

/** Identifies a manifest row across the manifest's tables and the locations others hold of it. */
export function rowKey(source: SourceLocation): string {
  return `${source.file}\u0000${source.sheet ?? ''}\u0000${source.row}`;
}

/**
 * The rows to hand back for these errors, in the manifest's own sheets and columns: every row
 * with an error, and, with an empty error, the account and department rows they refer to, so
 * the rows validate on their own as a manifest. Re-applying a context row changes nothing. The
 * errors go in an `error` column, the manifest's own one if it has it (rows handed back before
 * and fed in again). The tables must hold their rows (`keepRows`).
 */
export function rowsToHandBack(tables: readonly ManifestTable[], errors: Iterable<RowError>): HandBack {
  const chosen = new Map<string, string>();
  for (const { source, error } of errors) {
    const key = rowKey(source);
    const earlier = chosen.get(key);
    chosen.set(key, earlier === undefined ? error : `${earlier}; ${error}`);
  }
  const context = new Set<string>();
  const references = new References(tables);
  let rejected = 0;
  for (const table of tables) {
    for (const row of table.rows) {
      if (!chosen.has(rowKey(row.source))) continue;
      rejected += 1;
      for (const source of references.of(table, row)) context.add(rowKey(source));
    }
  }
  const errorOf = (row: ManifestRow): string | undefined => {
    const key = rowKey(row.source);
    return chosen.get(key) ?? (context.has(key) ? '' : undefined);
  };
  const sheets = MANIFEST_KINDS.flatMap((kind) => {
    const ofKind = tables.filter((table) => table.kind === kind);
    const handsBackRows = ofKind.some((table) => table.rows.some((row) => errorOf(row) !== undefined));
    return handsBackRows ? [sheetOf(kind, ofKind, errorOf)] : [];
  });
  return { sheets, rejected };
}

/**
 * Reads the manifest again for `rowsToHandBack`, holding only the rows it can need: every
 * account and department row (rows refer to them; there are few) and the agent rows that have
 * an error. `digest` tells whether these are the files a run applied.
 */
export async function readRowsToHandBack(
  paths: readonly ManifestArgument[],
  errors: readonly RowError[],
  options: { cwd?: string } = {},
): Promise<{ digest: string; handBack: HandBack }> {
  const wanted = new Set(errors.map((each) => rowKey(each.source)));
  const manifest = await loadManifest(paths, {
    cwd: options.cwd,
    keepRows: (kind, source) => REFERRED_KINDS.has(kind) || wanted.has(rowKey(source)),
  });
  return { digest: manifest.digest, handBack: rowsToHandBack(manifest.tables, errors) };
}

/**
 * Several CSV files of one kind share a sheet: columns are matched by the field their header
 * names (`E-mail` and `email` are one column), and a column only a later file has is added at
 * the end. The first file's columns stay as they are, a column without a header included.
 */
function sheetOf(
  kind: ManifestKind,
  tables: readonly ManifestTable[],
  errorOf: (row: ManifestRow) => string | undefined,
): HandBackSheet {
  const columns: { key: string; header: string }[] = [];
  const places = tables.map((table, tableIndex) =>
    table.headers.map((header, index) => placeOf(kind, header, index, columns, tableIndex === 0)),
  );
  const headers = columns.map((column) => column.header);
  const own = headers.findIndex((header) => normalizeHeader(header) === ERROR_HEADER);
  const errorColumn = own === -1 ? headers.length : own;
  if (own === -1) headers.push(ERROR_HEADER);
  const passwordColumns = headers.flatMap((header, index) =>
    fieldOf(kind, header) === 'password' ? [index] : [],
  );
  const rows = {
    *[Symbol.iterator]() {
      for (const [tableIndex, table] of tables.entries()) {
        for (const row of table.rows) {
          const error = errorOf(row);
          if (error === undefined) continue;
          const cells = new Array<string>(headers.length).fill('');
          places[tableIndex]?.forEach((place, index) => {
            if (place !== undefined) cells[place] = row.cells[index] ?? '';
          });
          cells[errorColumn] = error;
          yield cells;
        }
      }
    },
  };
  return { kind, name: tables[0]?.sheet ?? kind, headers, passwordColumns, errorColumn, rows };
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
