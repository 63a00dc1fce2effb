import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { FileFacts } from './inspect.js';
import type { CellError, RowSink } from './row-sink.js';

const NO_CELL_ERRORS: readonly CellError[] = [];

import { UnreadableFileError } from './unreadable.js';

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
 */
export async function readCsv(path: string, facts: FileFacts, sink: RowSink): Promise<void> {
  const { encoding, textStart } = detectEncoding(facts);
  const delimiter = sniffDelimiter(facts.head, textStart);
  // Empty lines are kept as records (and skipped as blank rows later): each is a row in Excel, so
  // counting records gives Excel's row numbers. csv-parse's `info` would too, but its object per
  // record, queued through the stream, doubled peak memory on a 100k-row file.
  const parser = parse({
    delimiter,
    relax_column_count: true,
    // Excel reads a quote inside an unquoted value (`Ana "Nina" Souza`) as a character: so do we.
    relax_quotes: true,
  });
  const rows = new CsvRows(sink, delimiter);
  try {
    await pipeline(createReadStream(path), iconv.decodeStream(encoding), parser, rows.writable());
  } catch (error) {
    throw asUnreadable(error, rows.count + 1);
  }
  if (!rows.sawHeader) throw new UnreadableFileError('is empty: it has no header row');
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
  /** Records so far, blank ones included: the last one's Excel row number. */
  count = 0;
  private width = 0;
  private namedWidth = 0;

  constructor(
    private readonly sink: RowSink,
    private readonly delimiter: string,
  ) {}

  writable(): Writable {
    return new Writable({
      objectMode: true,
      write: (record: string[], _encoding, done) => {
        try {
          this.count += 1;
          this.record(record, this.count);
          done();
        } catch (error) {
          done(error as Error);
        }
      },
    });
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

function asUnreadable(error: unknown, row: number): Error {
  if (error instanceof UnreadableFileError) return error;
  const csvError = error as Partial<CsvError>;
  if ((error as NodeJS.ErrnoException).syscall !== undefined) {
    return new UnreadableFileError(`cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  if (typeof csvError.code !== 'string' || !csvError.code.startsWith('CSV_')) return error as Error;
  const message =
    csvError.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a value opened with a quote (") is never closed'
      : `is not valid CSV (${csvError.code})`;
  return new UnreadableFileError(message, row);
}
