import type { Desired } from '../model/desired.js';
import type { SourceLocation } from '../model/source.js';
import type { ManifestKind } from '../model/vocabulary.js';

/**
 * One thing wrong (or worth a look) in a manifest, located the way the user
 * sees it in Excel. `row` is 0 for a problem of the whole file or sheet
 * (unreadable, empty, ignored). Messages never quote a password cell.
 */
export interface ManifestProblem {
  severity: 'error' | 'warning';
  file: string;
  sheet?: string;
  row: number;
  /**
   * The column header as written in the file, when the problem is one cell; for a
   * required column the file lacks, its canonical name (`email`).
   */
  column?: string;
  message: string;
}

/**
 * A row as the partner wrote it: every cell, trimmed, in the order of its
 * table's `headers`. Needed to hand rows back in the manifest's own columns
 * (rejected.xlsx). Holds passwords: never log it.
 */
export interface ManifestRow {
  source: SourceLocation;
  cells: string[];
}

/** One sheet of a workbook or one CSV file: its headers as written and (with `keepRows`) its non-blank rows, or those kept. */
export interface ManifestTable {
  kind: ManifestKind;
  file: string;
  sheet?: string;
  headers: string[];
  rows: ManifestRow[];
}

/**
 * One `<manifest…>` argument: a path as the user typed it (resolved against `cwd`), or one a
 * saved plan recorded (`path` absolute, `given` as it was typed then). The file is shown as
 * `given`, so its rows carry the names the saved plan's sources carry (rejected.xlsx matches them).
 */
export type ManifestArgument = string | { path: string; given: string };

export interface LoadManifestOptions {
  /** Where relative paths are resolved from; defaults to process.cwd(). Paths are shown as given. */
  cwd?: string;
  /**
   * Called once for every non-empty password read, e.g. with `registerSecret`
   * so a logger masks it. Not called by default: a 100k-row roster would make
   * every redaction scan 100k values.
   */
  onSecret?: (value: string) => void;
  /**
   * Keep every row's cells in `tables[].rows` (for writing rows back in the
   * manifest's own columns), or, given a function, the rows it answers true
   * for. Off by default: on a 100k-agent roster the rows cost about as much
   * memory as the Desired model. Reading the files again later with it on,
   * and comparing `digest`, gives the same rows.
   */
  keepRows?: boolean | ((kind: ManifestKind, source: SourceLocation) => boolean);
}

export interface LoadedManifest {
  /** Present only when no problem is an error. Holds passwords: never log it as a whole. */
  desired?: Desired;
  /** Every problem, errors and warnings, in file/sheet/row/column order. */
  problems: ManifestProblem[];
  /** The manifest files read (as the user named them, folders expanded). */
  files: string[];
  /** SHA-256 (hex) over the manifest files' bytes, in the order of their names: names a manifest version, not a secret. */
  digest: string;
  /** Every sheet or file read, with its headers; with `keepRows`, also its rows as written. */
  tables: ManifestTable[];
}

/** A row's cells keyed by the headers as written (`{E-mail: 'ana@acme.com.br', …}`); columns without a header are left out. */
export function cellsByHeader(table: ManifestTable, row: ManifestRow): Record<string, string> {
  const cells: Record<string, string> = {};
  table.headers.forEach((header, index) => {
    if (header !== '') cells[header] = row.cells[index] ?? '';
  });
  return cells;
}
