/**
 * Where a value came from in the partner's manifest, so any line of a plan or
 * report leads back to the cell that caused it.
 */
export interface SourceLocation {
  /** The file as the user named it (path relative to where they ran the command, or as given). */
  file: string;
  /** The worksheet name for XLSX manifests; absent for CSV. */
  sheet?: string;
  /** The row number Excel shows: the header is row 1, the first data row is row 2. */
  row: number;
  /** The column header as written in the file, when the location is one cell. */
  column?: string;
}

/** `agents.csv:14` or `roster.xlsx:agents:14`, the way plans and reports name a row. */
export function formatRow(location: SourceLocation): string {
  return location.sheet === undefined
    ? `${location.file}:${location.row}`
    : `${location.file}:${location.sheet}:${location.row}`;
}
