import ExcelJS from 'exceljs';
import { neutraliseCell } from '../model/cells.js';
import { MANIFEST_KINDS, type ManifestKind } from '../model/vocabulary.js';
import { writeFileInChunks } from '../report/file-writer.js';
import { EXPORT_HEADERS, type ExportCell, type ExportTables } from './rows.js';

/** The file of each kind in an exported folder: what a folder manifest is read from (CONTRACT §3, §11). */
export const CSV_FILES = { accounts: 'accounts.csv', departments: 'departments.csv', agents: 'agents.csv' };

/** What Brazilian Excel writes and opens as it is: UTF-8 with a byte order mark, `;` between fields, CRLF after each line. */
const BOM = '\ufeff';
const DELIMITER = ';';
const LINE_END = '\r\n';

/** One field: neutralised against formulas (CONTRACT §7), quoted when it holds the delimiter, a quote or a line break. */
export function csvField(cell: ExportCell): string {
  const text = typeof cell === 'number' ? String(cell) : neutraliseCell(cell);
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the CSV file of one kind: the header, then its rows, in chunks. */
export function writeCsvFile(path: string, kind: ManifestKind, tables: ExportTables): void {
  writeFileInChunks(path, (writer) => {
    writer.write(BOM);
    writer.write(line(EXPORT_HEADERS[kind]));
    for (const row of tables[kind]) writer.write(line(row));
  });
}

function line(cells: readonly ExportCell[]): string {
  return `${cells.map(csvField).join(DELIMITER)}${LINE_END}`;
}

/**
 * exceljs's streaming writer ignores backpressure: rows queue in front of the compressor until
 * the event loop runs (see src/report/rejected.ts). Yielding this often keeps it flat.
 */
const ROWS_BETWEEN_YIELDS = 50;
const COLUMN_WIDTH = 24;

/**
 * Writes one workbook with the sheets `accounts`, `departments`, `agents`, each with its header
 * row (bold, frozen). Text cells are neutralised; whole numbers are written as numbers, which
 * the manifest reader reads back as the same digits.
 */
export async function writeWorkbook(path: string, tables: ExportTables): Promise<void> {
  // Inline strings: shared strings are held in memory until the commit (see src/report/rejected.ts).
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: true,
  });
  for (const kind of MANIFEST_KINDS) {
    const sheet = workbook.addWorksheet(kind, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = EXPORT_HEADERS[kind].map(() => ({ width: COLUMN_WIDTH }));
    const header = sheet.addRow([...EXPORT_HEADERS[kind]]);
    header.font = { bold: true };
    header.commit();
    let written = 0;
    for (const row of tables[kind]) {
      written += 1;
      if (written % ROWS_BETWEEN_YIELDS === 0) await new Promise((resolve) => setImmediate(resolve));
      sheet.addRow(row.map(xlsxValue)).commit();
    }
    sheet.commit();
  }
  await workbook.commit();
}

/** An empty cell is left out (null), not written as an empty string. */
function xlsxValue(cell: ExportCell): string | number | null {
  if (typeof cell === 'number') return cell;
  return cell === '' ? null : neutraliseCell(cell);
}
