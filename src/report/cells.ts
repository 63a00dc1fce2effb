import { neutraliseCell } from '../model/cells.js';

/** One CSV field: neutralised, then quoted when it holds a delimiter, a quote or a line break. */
export function csvField(value: unknown): string {
  const text = neutraliseCell(value === undefined || value === null ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document: a header line, then one line per row, CRLF-terminated as RFC 4180 and Excel expect. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows]
    .map((row) => row.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n');
}
