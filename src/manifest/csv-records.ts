import { Writable } from 'node:stream';

/** Why a CSV text cannot be split into records: the codes csv-parse gave the same two faults. */
export type CsvFault = 'CSV_QUOTE_NOT_CLOSED' | 'CSV_MAX_RECORD_SIZE';

export class CsvSyntaxError extends Error {
  constructor(
    readonly code: CsvFault,
    /** The record it is in, counting from 1, blank records included: its row in Excel. */
    readonly record: number,
  ) {
    super(code);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
/** A closing quote is judged by the character after it, and a CR after it by the next: two held back. */
const LOOKAHEAD = 2;

type LineEnd = '\r\n' | '\n' | '\r';
enum At {
  FieldStart,
  Unquoted,
  Quoted,
}

/** What a piece of text completed: its records, and the fault that stopped the splitting, if one did. */
export interface Split {
  records: string[][];
  fault?: CsvSyntaxError;
}

/**
 * Splits CSV text into records, a chunk at a time, as the manifest reader had csv-parse do it
 * (`relax_quotes`, `relax_column_count`, `bom`, no trimming, blank lines kept): the same records
 * and the same two faults, checked against csv-parse in test/manifest/csv-records.test.ts. It
 * costs a fraction: csv-parse looks at every byte through several function calls (~15 µs a row
 * before the JIT warms up, a third of a 1,000-agent run's manifest phase; ~270 ms for 100,000
 * rows), where here whole lines with no quote in them are split by String.split, and otherwise the
 * text up to the next special character is found by one regular expression search and taken as
 * one slice.
 *
 * The rules: a field that starts with `"` is quoted, `""` inside it is one `"`, and it ends at a
 * `"` followed by the delimiter, a line end or the end of the text; a `"` followed by anything
 * else is kept, with the one that opened the field, and the field read on as unquoted (Excel
 * does the same with `"Ana" Souza`). A `"` anywhere else is a character. The first line end found
 * outside quotes (`\r\n`, else `\n` or `\r`) is the only one from then on: the others are
 * characters of their field. A record is refused once its text passes `maxRecordCharacters`,
 * before more of it is held.
 */
export class CsvRecordSplitter {
  private readonly special: RegExp;
  private readonly delimiterCode: number;
  private lineEnd: LineEnd | undefined;
  private at = At.FieldStart;
  private fields: string[] = [];
  private field = '';
  /** Characters of the unfinished record in earlier chunks, quotes and delimiters included. */
  private recordLength = 0;
  /** Where the record being split started in the chunk being split (0: in an earlier one). */
  private recordStart = 0;
  /** The end of the last chunk, kept to look ahead from. */
  private held = '';
  private started = false;
  private recordsDone = 0;

  constructor(
    delimiter: ',' | ';',
    private readonly maxRecordCharacters: number,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
    this.special = new RegExp(`[${delimiter}\\r\\n]`, 'g');
  }

  /** Splits the next piece of text; `final`: the text ends with it, and so does its last record. */
  push(text: string, final: boolean): Split {
    let chunk = this.held + text;
    if (!this.started) {
      if (chunk.length === 0 && !final) return { records: [] };
      this.started = true;
      // A UTF-8 byte order mark is no part of the first header.
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const limit = final ? chunk.length : Math.max(0, chunk.length - LOOKAHEAD);
    const records: string[][] = [];
    this.recordStart = 0;
    try {
      const stopped = this.split(chunk, limit, records);
      if (final) {
        this.finish(records, chunk.length);
      } else {
        this.held = chunk.slice(stopped);
        this.recordLength += stopped - this.recordStart;
        if (this.recordLength + this.held.length > this.maxRecordCharacters)
          this.fail('CSV_MAX_RECORD_SIZE', records);
      }
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      return { records, fault: error };
    }
    this.recordsDone += records.length;
    return { records };
  }

  /** Splits `chunk` up to `limit` (past it, only looks ahead); returns where it stopped. */
  private split(chunk: string, limit: number, records: string[][]): number {
    let index = 0;
    while (index < limit) {
      if (this.at === At.FieldStart && this.fields.length === 0) {
        index = this.wholeLines(chunk, index, limit, records);
        if (index >= limit) break;
      }
      if (this.at === At.FieldStart) {
        if (chunk.charCodeAt(index) === QUOTE) {
          this.at = At.Quoted;
          index += 1;
          continue;
        }
        this.at = At.Unquoted;
      }
      index =
        this.at === At.Unquoted
          ? this.unquoted(chunk, index, limit, records)
          : this.quoted(chunk, index, limit, records);
    }
    return index;
  }

  /**
   * At a record's start, once the line end is known: the whole lines up to the next `"` are split
   * by the built-in String.split, a line end then a delimiter, as none of their fields can be
   * quoted. The same records as the field-by-field reading, at a fraction of its cost before the
   * JIT warms up (~7 ms of a 1,000-row file's ~8 ms). Returns where it stopped.
   */
  private wholeLines(chunk: string, from: number, limit: number, records: string[][]): number {
    const lineEnd = this.lineEnd;
    if (lineEnd === undefined) return from;
    const quote = chunk.indexOf('"', from);
    const end = quote === -1 || quote >= limit ? limit : quote;
    if (end - lineEnd.length < from) return from;
    const lastLineEnd = chunk.lastIndexOf(lineEnd, end - lineEnd.length);
    if (lastLineEnd < from) return from;
    const delimiter = String.fromCharCode(this.delimiterCode);
    for (const line of chunk.slice(from, lastLineEnd).split(lineEnd)) {
      if (line.length + lineEnd.length > this.maxRecordCharacters) this.fail('CSV_MAX_RECORD_SIZE', records);
      records.push(line.split(delimiter));
    }
    this.recordStart = lastLineEnd + lineEnd.length;
    return this.recordStart;
  }

  /**
   * Reads on in an unquoted field. A line end that is a character here (a lone `\n` in a `\r\n`
   * file) stays inside the slice: a field is added to once per chunk, never character by
   * character, which would make a row of a million of them a million-piece string.
   */
  private unquoted(chunk: string, from: number, limit: number, records: string[][]): number {
    let scanFrom = from;
    for (;;) {
      this.special.lastIndex = scanFrom;
      const found = this.special.exec(chunk);
      const special = found === null || found.index >= limit ? limit : found.index;
      if (special === limit) {
        this.field += chunk.slice(from, limit);
        return limit;
      }
      if (chunk.charCodeAt(special) === this.delimiterCode) {
        this.field += chunk.slice(from, special);
        this.endField();
        return special + 1;
      }
      const ending = this.lineEndAt(chunk, special);
      if (ending > 0) {
        this.field += chunk.slice(from, special);
        this.endRecord(records, special + ending);
        return special + ending;
      }
      scanFrom = special + 1;
    }
  }

  /** Reads on in a quoted field; its `""` pairs are kept in the slice and made one `"` as it is added. */
  private quoted(chunk: string, from: number, limit: number, records: string[][]): number {
    let scanFrom = from;
    for (;;) {
      const quote = chunk.indexOf('"', scanFrom);
      if (quote === -1 || quote >= limit) {
        this.addQuoted(chunk.slice(from, limit));
        return limit;
      }
      const next = quote + 1;
      if (next < chunk.length && chunk.charCodeAt(next) === QUOTE) {
        scanFrom = next + 1;
        // The pair reaches the look-ahead: end the slice after it, so no pair is ever cut in two.
        if (scanFrom >= limit) {
          this.addQuoted(chunk.slice(from, scanFrom));
          return scanFrom;
        }
        continue;
      }
      this.addQuoted(chunk.slice(from, quote));
      return this.afterQuote(chunk, next, records);
    }
  }

  private addQuoted(raw: string): void {
    // Not replaceAll: V8 builds its result as a string of one piece per replacement (~30 bytes each).
    this.field += raw.includes('""') ? raw.split('""').join('"') : raw;
  }

  /** What follows a quote that is not half of a pair: the field ends, or the quote was a character. */
  private afterQuote(chunk: string, next: number, records: string[][]): number {
    if (next === chunk.length) {
      // Closed by the end of the text (only the last chunk gets here): `finish` ends the record.
      this.at = At.Unquoted;
      return next;
    }
    const after = chunk.charCodeAt(next);
    if (after === this.delimiterCode) {
      this.endField();
      return next + 1;
    }
    const ending = after === CR || after === LF ? this.lineEndAt(chunk, next) : 0;
    if (ending > 0) {
      this.endRecord(records, next + ending);
      return next + ending;
    }
    // Not a closing quote: kept, with the one that opened the field, which reads on unquoted.
    this.field = `"${this.field}"`;
    this.at = At.Unquoted;
    return next;
  }

  /** The length of the line end at `index` (a CR or LF), or 0 when it is a character; the first one found decides. */
  private lineEndAt(chunk: string, index: number): number {
    const code = chunk.charCodeAt(index);
    this.lineEnd ??= code === LF ? '\n' : chunk.charCodeAt(index + 1) === LF ? '\r\n' : '\r';
    if (this.lineEnd === '\r\n') return code === CR && chunk.charCodeAt(index + 1) === LF ? 2 : 0;
    return code === (this.lineEnd === '\n' ? LF : CR) ? 1 : 0;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.at = At.FieldStart;
  }

  private endRecord(records: string[][], endsAt: number): void {
    this.endField();
    if (this.recordLength + endsAt - this.recordStart > this.maxRecordCharacters) {
      this.fail('CSV_MAX_RECORD_SIZE', records);
    }
    records.push(this.fields);
    this.fields = [];
    this.recordLength = 0;
    this.recordStart = endsAt;
  }

  private finish(records: string[][], length: number): void {
    if (this.at === At.Quoted) this.fail('CSV_QUOTE_NOT_CLOSED', records);
    // Text after the last line end makes a record; nothing after it, none.
    if (this.at === At.Unquoted || this.fields.length > 0) this.endRecord(records, length);
  }

  private fail(code: CsvFault, records: string[][]): never {
    throw new CsvSyntaxError(code, this.recordsDone + records.length + 1);
  }
}

/**
 * A writable of CSV text (strings, decoded) that hands each record to `onRecord` in order, with
 * its number; a fault in the text fails it once the records before the fault are handed on.
 * `onRecord` may return a promise, which the writing waits for (reading pauses meanwhile).
 */
export function csvRecordWriter(
  delimiter: ',' | ';',
  maxRecordCharacters: number,
  onRecord: (fields: string[], recordNumber: number) => void | Promise<void>,
): Writable {
  const splitter = new CsvRecordSplitter(delimiter, maxRecordCharacters);
  let recordNumber = 0;
  const take = async (text: string, final: boolean) => {
    const { records, fault } = splitter.push(text, final);
    for (const record of records) {
      recordNumber += 1;
      const waiting = onRecord(record, recordNumber);
      if (waiting !== undefined) await waiting;
    }
    if (fault !== undefined) throw fault;
  };
  return new Writable({
    decodeStrings: false,
    write: (text: string, _encoding, done) => void take(text, false).then(() => done(), done),
    final: (done) => void take('', true).then(() => done(), done),
  });
}
