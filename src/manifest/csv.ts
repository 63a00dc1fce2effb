import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { columnLetters } from './cell-reference.js';
import { CsvSyntaxError, csvRecordWriter } from './csv-records.js';
import type { FileFacts } from './inspect.js';
import {
  COUNT_ROWS_AFTER,
  count,
  MAX_CELL_CHARACTERS,
  MAX_CSV_ROW_CHARACTERS,
  MAX_ROWS,
  mebibytes,
} from './limits.js';
import type { CellError, RowSink } from './row-sink.js';
import { UnreadableFileError } from './unreadable.js';

const NO_CELL_ERRORS: readonly CellError[] = [];

/**
 * Reads a CSV file as Excel saves it in Brazil or elsewhere: UTF-8 with or
 * without a BOM, or Windows-1252 (chosen when the file is not valid UTF-8;
 * Latin-1 text decodes the same, and cp1252 also gets `€` and curly quotes
 * right); `,` or `;` as the delimiter, whichever the header line has more
 * of outside quotes.
 *
 * Row numbers are the rows Excel shows when it opens the file: it counts
 * records, not lines, so a quoted value holding a line break stays one row,
 * and every blank line is a row of its own.
 *
 * A file Excel could not open whole is refused at the row where it stops
 * fitting: a value longer than a cell holds, more rows than a sheet has, a
 * row longer than MAX_CSV_ROW_CHARACTERS (which the splitting would hold).
 */
export async function readCsv(path: string, facts: FileFacts, sink: RowSink): Promise<void> {
  const { encoding, textStart } = detectEncoding(facts);
  const dialect: Dialect = { encoding, delimiter: sniffDelimiter(facts.head, textStart) };
  const rows = new CsvRows(sink, dialect.delimiter, () => refuseTooManyRows(path, dialect));
  try {
    await parseRecords(path, dialect, (fields, recordNumber) => rows.take(fields, recordNumber));
  } catch (error) {
    throw asUnreadable(error);
  }
  if (!rows.sawHeader) throw new UnreadableFileError('is empty: it has no header row');
}

interface Dialect {
  encoding: 'utf8' | 'win1252';
  delimiter: ',' | ';';
}

/** Hands the file's records to `onRecord` in order, split the same way for reading and for counting rows. */
async function parseRecords(
  path: string,
  { encoding, delimiter }: Dialect,
  onRecord: (fields: string[], recordNumber: number) => void | Promise<void>,
): Promise<void> {
  // Empty lines are kept as records (and skipped as blank rows later): each is a row in Excel, so
  // counting records gives Excel's row numbers.
  const records = csvRecordWriter(delimiter, MAX_CSV_ROW_CHARACTERS, onRecord);
  if (encoding === 'utf8') {
    await pipeline(createReadStream(path, { encoding: 'utf8' }), records);
    return;
  }
  // Loaded only for the files that need it: ~20 ms to load and set up, which a UTF-8 file is spared.
  const { default: iconv } = await import('iconv-lite');
  await pipeline(createReadStream(path), iconv.decodeStream(encoding), records);
}

/**
 * Refuses a file of more rows than an Excel sheet before the rest of it is
 * read: called once COUNT_ROWS_AFTER rows are read, with reading paused, it
 * parses the file again from its start only counting records. Anything
 * else wrong with the file is left to the reading, which says it at its row.
 */
async function refuseTooManyRows(path: string, dialect: Dialect): Promise<void> {
  try {
    await parseRecords(path, dialect, (_fields, recordNumber) => {
      if (recordNumber > MAX_ROWS) throw tooManyRows();
    });
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
  }
}

function tooManyRows(): UnreadableFileError {
  return new UnreadableFileError(
    `the file has more rows than the ${count(MAX_ROWS)} of an Excel sheet; the rest of the file is not read`,
    MAX_ROWS + 1,
  );
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function detectEncoding(facts: FileFacts): { encoding: 'utf8' | 'win1252'; textStart: number } {
  const { head } = facts;
  if (facts.size === 0) throw new UnreadableFileError('is empty');
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new UnreadableFileError(
      'is UTF-16 text: save it from Excel as "CSV UTF-8" or "CSV (semicolon delimited)"',
    );
  }
  if (head.subarray(0, 4).equals(Buffer.from('PK\u0003\u0004', 'latin1'))) {
    throw new UnreadableFileError('is an XLSX workbook (a zip archive), not CSV text: name it .xlsx');
  }
  if (head.includes(0)) throw new UnreadableFileError('is not a text file');
  if (head.subarray(0, 3).equals(UTF8_BOM)) {
    if (!facts.utf8)
      throw new UnreadableFileError('starts with a UTF-8 mark but holds bytes that are not UTF-8');
    return { encoding: 'utf8', textStart: 3 };
  }
  return { encoding: facts.utf8 ? 'utf8' : 'win1252', textStart: 0 };
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

/** `;` when the header line has more semicolons than commas outside quotes, else `,`. */
export function sniffDelimiter(head: Buffer, start = 0): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let index = start; index < head.length; index++) {
    const byte = head[index];
    if (byte === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (byte === 0x0a || byte === 0x0d) break;
    else if (byte === COMMA) commas += 1;
    else if (byte === SEMICOLON) semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

/** Checks each record's width against the header and hands it on with its Excel row number. */
class CsvRows {
  sawHeader = false;
  private width = 0;
  private namedWidth = 0;

  constructor(
    private readonly sink: RowSink,
    private readonly delimiter: string,
    /** Called, with reading paused, when the file reaches COUNT_ROWS_AFTER rows. */
    private readonly countRows: () => Promise<void>,
  ) {}

  /** One record; at COUNT_ROWS_AFTER, the file's rows are counted before the reading goes on. */
  take(fields: string[], recordNumber: number): Promise<void> | undefined {
    checkBounds(fields, recordNumber);
    this.record(fields, recordNumber);
    return recordNumber === COUNT_ROWS_AFTER ? this.countRows() : undefined;
  }

  private record(fields: string[], rowNumber: number): void {
    if (!this.sawHeader) {
      this.sawHeader = fields.some((field) => field.trim() !== '');
      this.width = fields.length;
      this.namedWidth = fields.findLastIndex((field) => field.trim() !== '') + 1;
      this.sink.row(rowNumber, fields, NO_CELL_ERRORS);
      return;
    }
    const used = fields.findLastIndex((field) => field.trim() !== '') + 1;
    if (used > this.width) {
      throw new UnreadableFileError(
        `this row has ${used} fields but the header has ${this.width}: a "${this.delimiter}" in a value without quotes? ` +
          'The rest of the file is not read',
        rowNumber,
      );
    }
    this.sink.row(rowNumber, fields, NO_CELL_ERRORS, fields.length < this.namedWidth);
  }
}

/** Refuses a row past Excel's last, or a value longer than a cell holds. */
function checkBounds(fields: string[], rowNumber: number): void {
  if (rowNumber > MAX_ROWS) throw tooManyRows();
  const column = fields.findIndex((field) => field.length > MAX_CELL_CHARACTERS);
  if (column >= 0) {
    throw new UnreadableFileError(
      `the value in column ${columnLetters(column)} is longer than the ${count(MAX_CELL_CHARACTERS)} characters ` +
        'an Excel cell holds; the rest of the file is not read',
      rowNumber,
    );
  }
}

function asUnreadable(error: unknown): Error {
  if (error instanceof UnreadableFileError) return error;
  if (error instanceof CsvSyntaxError) return new UnreadableFileError(csvMessage(error.code), error.record);
  if ((error as NodeJS.ErrnoException).syscall !== undefined) {
    return new UnreadableFileError(`cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  return error as Error;
}

function csvMessage(code: CsvSyntaxError['code']): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a value opened with a quote (") is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `this row is longer than ${mebibytes(MAX_CSV_ROW_CHARACTERS)}, far more than a manifest row holds; the rest of the file is not read`;
  }
}
