import { restoreNeutralisedCell } from '../model/cells.js';
import type { SourceLocation } from '../model/source.js';
import type { ManifestKind } from '../model/vocabulary.js';
import type { ColumnPlace, DesiredBuilder } from './builder.js';
import { type Field, fieldOf, REQUIRED_FIELDS } from './headers.js';
import { hideSecrets, type ProblemCollector } from './problems.js';
import { type RowCells, readRow } from './row-reader.js';
import type { CellError, RowSink } from './row-sink.js';
import type { LoadManifestOptions, ManifestTable } from './types.js';

export interface TableContext {
  problems: ProblemCollector;
  builder: DesiredBuilder;
  onSecret?: (value: string) => void;
  keepRows?: LoadManifestOptions['keepRows'];
}

/**
 * Turns the rows of one sheet or CSV file into entities: matches the header
 * row to the kind's columns, keeps every row as written, validates each row
 * with the kind's schema and hands what it declares to the builder.
 */
export class TableIntake implements RowSink {
  readonly table: ManifestTable;
  private columns: Map<Field, ColumnPlace> | undefined;
  /** The columns as a plain list, for the per-row loop. */
  private fieldPlaces: { field: Field; index: number }[] = [];
  private validating = false;
  private strayValuesReported = false;

  constructor(
    kind: ManifestKind,
    file: string,
    sheet: string | undefined,
    private readonly context: TableContext,
  ) {
    this.table = { kind, file, sheet, headers: [], rows: [] };
  }

  row(rowNumber: number, cells: string[], cellErrors: readonly CellError[], fieldsMissing = false): void {
    for (let index = 0; index < cells.length; index++) {
      cells[index] = restoreNeutralisedCell((cells[index] ?? '').trim());
    }
    if (this.columns === undefined) {
      if (cells.some((cell) => cell !== '')) this.readHeader(rowNumber, cells);
      return;
    }
    const width = this.table.headers.length;
    const { file, sheet } = this.table;
    const source: SourceLocation =
      sheet === undefined ? { file, row: rowNumber } : { file, sheet, row: rowNumber };
    for (const error of cellErrors) this.cellProblem(source, error.column, error.message);
    this.reportStrayValues(source, cells);
    if (cells.every((cell) => cell === '') && cellErrors.length === 0) return;
    const aligned = widen(cells, width);
    if (this.keeps(source)) this.table.rows.push({ source, cells: aligned });
    if (fieldsMissing) this.context.builder.hideInMessages(source, aligned);
    if (this.validating) this.validate(source, aligned, fieldsMissing, cellErrors);
  }

  private keeps(source: SourceLocation): boolean {
    const keepRows = this.context.keepRows;
    return typeof keepRows === 'function' ? keepRows(this.table.kind, source) : keepRows === true;
  }

  /** True when the table had a header row, i.e. it declares its kind (even with no data rows). */
  get hasHeader(): boolean {
    return this.columns !== undefined;
  }

  private readHeader(rowNumber: number, headers: string[]): void {
    const { kind, file, sheet } = this.table;
    const columns = new Map<Field, ColumnPlace>();
    headers.forEach((header, index) => {
      if (header === '') return;
      const field = fieldOf(kind, header);
      const problem = { file, sheet, row: rowNumber, column: header };
      if (field === undefined) {
        this.context.problems.add(
          { ...problem, severity: 'warning', message: 'unknown column, ignored' },
          index,
        );
      } else if (columns.has(field)) {
        const first = columns.get(field)?.header;
        const message = `repeats the column "${first}" (both are ${field}); this one is ignored`;
        this.context.problems.add({ ...problem, severity: 'error', message }, index);
      } else {
        columns.set(field, { header, index });
      }
    });
    this.table.headers = headers;
    this.columns = columns;
    this.fieldPlaces = [...columns].map(([field, place]) => ({ field, index: place.index }));
    this.context.builder.registerColumns(file, sheet, columns);
    this.validating = this.checkRequiredColumns(rowNumber, columns);
  }

  /**
   * A missing column has no header to point at, so it is located on the header row under
   * its canonical name (CONTRACT §3: `agents.csv:1:email: …`), the name to add it by.
   */
  private checkRequiredColumns(rowNumber: number, columns: Map<Field, ColumnPlace>): boolean {
    const { kind, file, sheet } = this.table;
    const missing: { column: Field; named: string }[] = REQUIRED_FIELDS[kind]
      .filter((field) => !columns.has(field))
      .map((field) => ({ column: field, named: field }));
    if (kind !== 'accounts' && !columns.has('account') && !columns.has('account_id')) {
      missing.push({ column: 'account', named: 'account (or account_id)' });
    }
    for (const { column, named } of missing) {
      this.context.problems.add({
        severity: 'error',
        file,
        sheet,
        row: rowNumber,
        column,
        message: `missing column ${named}`,
      });
    }
    return missing.length === 0;
  }

  /** Issues at a cell the reader already reported (a formula error) are not repeated. */
  private validate(
    source: SourceLocation,
    cells: string[],
    fieldsMissing: boolean,
    cellErrors: readonly CellError[],
  ): void {
    const values: RowCells = { source, shared: this.context.builder.shared };
    for (const { field, index } of this.fieldPlaces) values[field] = cells[index];
    const password = values.password;
    if (password !== undefined && password !== '') this.context.onSecret?.(password);
    const reading = readRow(this.table.kind, values);
    if (reading.entity !== undefined) {
      this.context.builder.add(reading.entity);
      return;
    }
    this.context.builder.noteInvalidRow(this.table.kind, values);
    for (const issue of reading.issues) {
      const place = this.columns?.get(issue.field);
      if (place !== undefined && cellErrors.some((error) => error.column === place.index)) continue;
      const message = hideSecrets(issue.message, fieldsMissing ? cells : [password]);
      this.context.problems.add(
        { severity: 'error', ...source, column: place?.header, message },
        place?.index ?? -1,
      );
    }
  }

  private cellProblem(source: SourceLocation, column: number, message: string): void {
    const header = this.table.headers[column];
    this.context.problems.add(
      { severity: 'error', ...source, column: header === '' ? undefined : header, message },
      column,
    );
  }

  /** Values in a column with no header have nowhere to go: said once per table, at the first such cell. */
  private reportStrayValues(source: SourceLocation, cells: string[]): void {
    if (this.strayValuesReported) return;
    const headers = this.table.headers;
    const column = cells.findIndex((cell, index) => cell !== '' && (headers[index] ?? '') === '');
    if (column < 0) return;
    this.strayValuesReported = true;
    const message = `has values in column ${columnName(column)}, which has no header; they are ignored`;
    this.context.problems.add({ severity: 'warning', ...source, message }, column);
  }
}

/** 0 → A, 27 → AB: the column letters Excel shows. */
export function columnName(index: number): string {
  let name = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  }
  return name;
}

/** Cells aligned with the headers: cut to their count, padded with empty cells. */
function widen(cells: string[], width: number): string[] {
  if (cells.length === width) return cells;
  if (cells.length > width) return cells.slice(0, width);
  return cells.concat(new Array<string>(width - cells.length).fill(''));
}
