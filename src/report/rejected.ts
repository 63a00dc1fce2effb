import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { HandBack, HandBackSheet } from '../manifest/index.js';
import { neutraliseCell } from '../model/cells.js';
import { REJECTED_FILE } from './no-rejected.js';

export { rowErrors } from './rejected-errors.js';

/** On the `error` header: what the file is for and how to use it safely. */
export const ERROR_COLUMN_NOTE = [
  'Every error of this row, action by action.',
  'Fix the cells and run `omnize-sync apply rejected.xlsx`.',
  'Rows with an empty error are here because a rejected row refers to them (its account, its departments): applying them again changes nothing.',
  'Do not use --prune with this file: it holds only some of your rows.',
].join('\n');

/** On a password header: why the column is empty and what that does. */
export const PASSWORD_COLUMN_NOTE = [
  'Passwords are never written to a report, so this column is blank.',
  'Left blank, an agent created from this row gets a random password (never written anywhere), and an account is created without one; an existing agent keeps its password.',
  'Type a password here if the row needs a known one.',
].join('\n');

/**
 * exceljs's streaming writer ignores backpressure: committed rows queue in front of the
 * compressor until the event loop runs, so a loop that never yields holds them all (300,000
 * rows: 269 MiB). Yielding this often lets it keep up (bench:rejected: 142 MiB, flat).
 */
const ROWS_BETWEEN_YIELDS = 50;

/** Wide enough for an e-mail; the error column wider. Excel's unit is one character. */
const COLUMN_WIDTH = 22;
const ERROR_COLUMN_WIDTH = 80;

/**
 * Writes rejected.xlsx (CONTRACT §7) into the run's folder: the rows manifest/
 * hands back for the run's errors (`rowsToHandBack` of `rowErrors`), in the
 * manifest's own sheets and columns plus an `error` column, ready to fix and
 * feed back as a manifest. Every cell is neutralised against formulas and
 * password cells are left blank. Rows are written as they are made, one at a
 * time, and handed to the compressor as they go. Writes nothing and answers
 * false when no row was rejected (or none could be placed).
 */
export async function writeRejectedWorkbook(folder: string, rows: HandBack): Promise<boolean> {
  if (rows.rejected === 0) return false;
  const path = join(folder, REJECTED_FILE);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path,
      // Shared strings are kept in memory until commit: 100,000 rows of distinct errors peaked
      // at ~400 MiB. Inline strings keep the writer flat in rows (bench:rejected).
      useSharedStrings: false,
      useStyles: true,
    });
    for (const sheet of rows.sheets) await writeSheet(workbook, sheet);
    await workbook.commit();
  } catch (error) {
    // A half-written workbook would be read as a damaged manifest: leave none.
    if (existsSync(path)) rmSync(path, { force: true });
    throw error;
  }
  return true;
}

async function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: HandBackSheet): Promise<void> {
  const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.headers.map((_, index) => ({
    width: index === sheet.errorColumn ? ERROR_COLUMN_WIDTH : COLUMN_WIDTH,
  }));
  const header = worksheet.addRow(sheet.headers.map(neutraliseCell));
  header.font = { bold: true };
  header.getCell(sheet.errorColumn + 1).note = ERROR_COLUMN_NOTE;
  for (const column of sheet.passwordColumns) header.getCell(column + 1).note = PASSWORD_COLUMN_NOTE;
  header.commit();
  const blank = new Set(sheet.passwordColumns);
  let written = 0;
  for (const cells of sheet.rows) {
    written += 1;
    if (written % ROWS_BETWEEN_YIELDS === 0) await new Promise((resolve) => setImmediate(resolve));
    const row = worksheet.addRow(cells.map((cell, index) => (blank.has(index) ? '' : neutraliseCell(cell))));
    if (cells[sheet.errorColumn] !== '')
      row.getCell(sheet.errorColumn + 1).font = { color: { argb: 'FFB34700' } };
    row.commit();
  }
  worksheet.commit();
}
