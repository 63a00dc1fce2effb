/**
 * Cells that begin with `=`, `+`, `-` or `@` are read as formulas by spreadsheet programs
 * (CSV injection). CONTRACT §7 has them neutralised in every CSV and XLSX the program writes:
 * a leading apostrophe makes Excel show the text as text. Tab and carriage return start
 * formulas in some programs too (OWASP's list), so they are neutralised the same way.
 *
 * Here, below both `manifest/` and `report/`, because the reports write what the manifest
 * reader must be able to read back (rejected.xlsx is fed in again as a manifest).
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
