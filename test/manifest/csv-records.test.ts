import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter, type Split } from '../../src/manifest/csv-records.js';

const LARGE = 1_000_000;

/** The text split in pieces of the given lengths (the rest as the last piece), then ended. */
function splitInPieces(text: string, delimiter: ',' | ';', pieces: number[] = [], max = LARGE) {
  const splitter = new CsvRecordSplitter(delimiter, max);
  const records: string[][] = [];
  let fault: Split['fault'];
  let at = 0;
  for (const length of [...pieces, Number.POSITIVE_INFINITY]) {
    const piece = text.slice(at, at + length);
    at += piece.length;
    const final = at >= text.length && length === Number.POSITIVE_INFINITY;
    const split = splitter.push(piece, final);
    records.push(...split.records);
    fault = split.fault;
    if (fault !== undefined || final) break;
  }
  return { records, fault: fault === undefined ? undefined : { code: fault.code, record: fault.record } };
}

/** What csv-parse, with the options the manifest reader gave it, makes of the text. */
function byCsvParse(text: string, delimiter: ',' | ';') {
  const records: string[][] = [];
  try {
    parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      bom: true,
      max_record_size: LARGE,
      on_record: (record: string[]) => {
        records.push(record);
        return record;
      },
    });
    return { records, fault: undefined };
  } catch (error) {
    return { records, fault: { code: (error as { code: string }).code, record: records.length + 1 } };
  }
}

describe('splitting CSV text into records', () => {
  it('reads quoted fields, doubled quotes, line breaks inside quotes and blank lines as Excel writes them', () => {
    const text = 'nome;obs\r\n"Silva; Ana";"diz ""oi"""\r\n\r\n"linha 1\r\nlinha 2";x\r\n';
    expect(splitInPieces(text, ';')).toEqual({
      records: [['nome', 'obs'], ['Silva; Ana', 'diz "oi"'], [''], ['linha 1\r\nlinha 2', 'x']],
      fault: undefined,
    });
  });

  it('keeps a quote that does not close its field, and a quote inside an unquoted value, as characters', () => {
    expect(splitInPieces('"Ana" Souza;Ana "Nina" Souza\n', ';').records).toEqual([
      ['"Ana" Souza', 'Ana "Nina" Souza'],
    ]);
  });

  it('takes the first line end found outside quotes as the only one', () => {
    expect(splitInPieces('a;b\nc\rd;e\n', ';').records).toEqual([
      ['a', 'b'],
      ['c\rd', 'e'],
    ]);
    expect(splitInPieces('a;b\r\nc\nd;e\r\n', ';').records).toEqual([
      ['a', 'b'],
      ['c\nd', 'e'],
    ]);
    expect(splitInPieces('a;b\rc;d', ';').records).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('leaves out a UTF-8 byte order mark and makes no record of nothing after the last line end', () => {
    expect(splitInPieces('\uFEFFa;b\r\n', ';').records).toEqual([['a', 'b']]);
    expect(splitInPieces('', ';').records).toEqual([]);
    expect(splitInPieces('a;\n;', ';').records).toEqual([
      ['a', ''],
      ['', ''],
    ]);
  });

  it('refuses a quote never closed (the unclosed-quote check), naming the record it opened in', () => {
    expect(splitInPieces('a;b\r\nc;"d\r\ne;f\r\n', ';')).toEqual({
      records: [['a', 'b']],
      fault: { code: 'CSV_QUOTE_NOT_CLOSED', record: 2 },
    });
  });

  it('refuses a record longer than the bound (the record size check) as soon as it passes it, holding no more', () => {
    const max = 1000;
    const splitter = new CsvRecordSplitter(';', max);
    const records = splitter.push('a;b\r\n', false).records;
    let fault: Split['fault'];
    let pushed = 0;
    while (fault === undefined && pushed < 100) {
      const split = splitter.push('x'.repeat(300), false);
      records.push(...split.records);
      fault = split.fault;
      pushed += 1;
    }
    expect(records).toEqual([['a', 'b']]);
    expect(fault).toMatchObject({ code: 'CSV_MAX_RECORD_SIZE', record: 2 });
    expect(pushed).toBe(4);
    // A record that ends within the bound passes, however it is cut.
    expect(splitInPieces(`${'y'.repeat(max - 2)}\r\nz`, ';', [7, 300, 300], max).records).toEqual([
      ['y'.repeat(max - 2)],
      ['z'],
    ]);
    // Whole lines split at once (no quote in them) are held to the same bound, their line end included.
    expect(splitInPieces(`a\r\n${'y'.repeat(max - 2)}\r\nb\r\n`, ';', [], max).records).toHaveLength(3);
    expect(splitInPieces(`a\r\n${'y'.repeat(max - 1)}\r\nb\r\n`, ';', [], max)).toEqual({
      records: [['a']],
      fault: { code: 'CSV_MAX_RECORD_SIZE', record: 2 },
    });
    expect(splitInPieces(`q;${'y'.repeat(max)}\r\n`, ';', [500], max).fault).toEqual({
      code: 'CSV_MAX_RECORD_SIZE',
      record: 1,
    });
  });

  it('reads a long run of doubled quotes or of line ends that are characters, cut anywhere, in one piece', () => {
    const pairs = `"${'""'.repeat(300_000)}";x\r\n`;
    expect(splitInPieces(pairs, ';', Array(50_000).fill(7), 10_000_000).records).toEqual([
      ['"'.repeat(300_000), 'x'],
    ]);
    const lineFeeds = `a;b\r\n${'y\n'.repeat(300_000)};z\r\n`;
    expect(splitInPieces(lineFeeds, ';', Array(50_000).fill(5), 10_000_000).records).toEqual([
      ['a', 'b'],
      ['y\n'.repeat(300_000), 'z'],
    ]);
  });

  it('holds a long field as a few pieces, not one per doubled quote or line-end character (the heap it keeps)', () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const fields = {
      pairs: `"${'""'.repeat(3_000_000)}"\r\n`,
      lineFeeds: `a\r\n${'y\n'.repeat(3_000_000)}\r\n`,
    };
    for (const text of Object.values(fields)) {
      collect();
      const before = process.memoryUsage().heapUsed;
      const { records } = splitInPieces(text, ';', Array(200).fill(65_536), 8 * 1024 * 1024);
      collect();
      const kept = process.memoryUsage().heapUsed - before;
      expect(records.at(-1)![0]!.length).toBe(3_000_000 * (text === fields.pairs ? 1 : 2));
      // The field is 3 or 6 MB of text; a piece per character cost 97 and 189 MiB.
      expect(kept).toBeLessThan(32 * 1024 * 1024);
    }
  });

  it('gives what csv-parse gave for the same text, however the text is cut into pieces (5,000 generated texts)', () => {
    const characters = fc.constantFrom('a', 'b', 'é', ' ', ';', ',', '"', '"', '\r', '\n', '\r\n');
    fc.assert(
      fc.property(
        fc.constantFrom<',' | ';'>(';', ','),
        fc.boolean(),
        fc.array(characters, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 8 }),
        (delimiter, withMark, text, pieces) => {
          const csv = `${withMark ? '\uFEFF' : ''}${text.join('')}`;
          const expected = byCsvParse(csv, delimiter);
          expect(splitInPieces(csv, delimiter)).toEqual(expected);
          expect(splitInPieces(csv, delimiter, pieces)).toEqual(expected);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
