import { neutraliseCell } from '../model/cells.js';

/** One CSV field: neutralised, then quoted when it holds a delimiter, a quote or a line break. */
export function csvField(value: unknown): string {
  const text = neutraliseCell(value === undefined || value === null ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document: a header line, then one line per row, CRLF-terminated as RFC 4180 and Excel expect. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map(csvLine).join('');
}

/** One CSV line, CRLF-terminated: for writers that stream a CSV row by row rather than join it. */
export function csvLine(row: readonly unknown[]): string {
  return `${row.map(csvField).join(',')}\r\n`;
}
