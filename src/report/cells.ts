/**
 * Cells that begin with `=`, `+`, `-` or `@` are read as formulas by spreadsheet programs
 * (CSV injection). CONTRACT §7 has them neutralised in every CSV and XLSX the program writes:
 * a leading apostrophe makes Excel show the text as text. Tab and carriage return start
 * formulas in some programs too (OWASP's list), so they are neutralised the same way.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The reverse of `neutraliseCell`, for reading a file this program wrote back as a manifest
 * (rejected.xlsx): `'+55 11 3333-0000` is the phone `+55 11 3333-0000`. A quote before any
 * other character is the partner's own text and stays.
 */
export function restoreNeutralisedCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

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
