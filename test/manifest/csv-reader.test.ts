import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, sniffDelimiter } from '../../src/manifest/csv.js';
import { inspectFile } from '../../src/manifest/inspect.js';
import { UnreadableFileError } from '../../src/manifest/unreadable.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'omnize-csv-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

interface ReadRow {
  row: number;
  cells: string[];
  fieldsMissing: boolean;
}

async function read(name: string, bytes: Buffer | string): Promise<ReadRow[]> {
  const path = join(folder, name);
  await writeFile(path, bytes);
  const rows: ReadRow[] = [];
  await readCsv(path, await inspectFile(path, true), {
    row: (row, cells, _errors, fieldsMissing = false) => rows.push({ row, cells, fieldsMissing }),
  });
  return rows;
}

async function failure(name: string, bytes: Buffer | string): Promise<UnreadableFileError> {
  const error = await read(name, bytes).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnreadableFileError);
  return error as UnreadableFileError;
}

const NAMES = 'nome;e-mail\r\nJoão Conceição;joao@acme.com.br\r\nLuíza “Lu” Araújo – €;luiza@acme.com.br\r\n';
const EXPECTED = [
  { row: 1, cells: ['nome', 'e-mail'], fieldsMissing: false },
  { row: 2, cells: ['João Conceição', 'joao@acme.com.br'], fieldsMissing: false },
  { row: 3, cells: ['Luíza “Lu” Araújo – €', 'luiza@acme.com.br'], fieldsMissing: false },
];

describe('reading CSV as Excel saves it', () => {
  it('decodes Windows-1252, including the characters it has beyond Latin-1', async () => {
    expect(await read('cp1252.csv', iconv.encode(NAMES, 'win1252'))).toEqual(EXPECTED);
  });

  it('decodes UTF-8 with and without a BOM to the same text', async () => {
    expect(
      await read('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NAMES)])),
    ).toEqual(EXPECTED);
    expect(await read('plain.csv', NAMES)).toEqual(EXPECTED);
  });

  it('sniffs the delimiter from the header line, ignoring quoted ones', async () => {
    expect(await read('comma.csv', 'nome,"e-mail; ou telefone"\nAna,ana@x.com\n')).toEqual([
      { row: 1, cells: ['nome', 'e-mail; ou telefone'], fieldsMissing: false },
      { row: 2, cells: ['Ana', 'ana@x.com'], fieldsMissing: false },
    ]);
    expect(sniffDelimiter(Buffer.from('a;b,c;d\n1,2,3,4,5'))).toBe(';');
    expect(sniffDelimiter(Buffer.from('"a;b;c",d\n'))).toBe(',');
    expect(sniffDelimiter(Buffer.from('\ufeffnome'), 3)).toBe(',');
  });

  it('decides the encoding from the whole file, not from its first bytes', async () => {
    const ascii = `nome;e-mail\n${'Ana;ana@x.com\n'.repeat(10_000)}`;
    const rows = await read(
      'late.csv',
      Buffer.concat([Buffer.from(ascii), iconv.encode('Conceição;c@x.com\n', 'win1252')]),
    );
    expect(rows.at(-1)?.cells).toEqual(['Conceição', 'c@x.com']);
  });

  it('keeps a UTF-8 character cut by a chunk boundary', async () => {
    const padding = 'x'.repeat(64 * 1024 - 1);
    const facts = await inspectAt('boundary.csv', Buffer.from(`${padding}ç\n`));
    expect(facts.utf8).toBe(true);
  });

  it('numbers rows as Excel shows them: a quoted line break stays in its row, blank lines count', async () => {
    const rows = await read('rows.csv', 'nome;obs\r\nAna;"linha 1\r\nlinha 2"\r\n\r\n;\r\nBia;ok\r\n');
    expect(rows.map(({ row, cells }) => [row, cells])).toEqual([
      [1, ['nome', 'obs']],
      [2, ['Ana', 'linha 1\r\nlinha 2']],
      [3, ['']],
      [4, ['', '']],
      [5, ['Bia', 'ok']],
    ]);
  });

  it('reads a row with fewer fields than the header, flagging that values may be shifted', async () => {
    const rows = await read('short.csv', 'a;b;c\n1;2\n1;2;3\n');
    expect(rows.map((row) => row.fieldsMissing)).toEqual([false, true, false]);
  });

  it('reads a quote inside an unquoted value as a character, as Excel does', async () => {
    const rows = await read('quote.csv', 'nome;e-mail\nAna "Nina" Souza;ana@x.com\n');
    expect(rows[1]?.cells).toEqual(['Ana "Nina" Souza', 'ana@x.com']);
  });
});

describe('CSV files that cannot be read', () => {
  it('stops at a row with more fields than the header, naming the row', async () => {
    const error = await failure('ragged.csv', 'nome;e-mail\nAna;ana@x.com\nBia;Souza;bia@x.com\n');
    expect([error.row, error.message]).toEqual([
      3,
      'this row has 3 fields but the header has 2: a ";" in a value without quotes? The rest of the file is not read',
    ]);
  });

  it('accepts trailing empty fields beyond the header', async () => {
    expect((await read('trailing.csv', 'a;b\n1;2;;\n'))[1]?.cells).toEqual(['1', '2', '', '']);
  });

  it('names the row where a quoted value is never closed', async () => {
    const error = await failure('quote-open.csv', 'a;b\n1;2\n\n3;"4\n5;6\n');
    expect([error.row, error.message]).toEqual([4, 'a value opened with a quote (") is never closed']);
  });

  it.each([
    ['empty.csv', Buffer.alloc(0), 'is empty'],
    ['blank.csv', Buffer.from('\ufeff\r\n\r\n'), 'is empty: it has no header row'],
    ['utf16.csv', Buffer.from([0xff, 0xfe, 0x41, 0x00]), /^is UTF-16 text/],
    [
      'workbook.csv',
      Buffer.from('PK\u0003\u0004rest'),
      'is an XLSX workbook (a zip archive), not CSV text: name it .xlsx',
    ],
    ['binary.csv', Buffer.from([0x41, 0x00, 0x42]), 'is not a text file'],
  ])('refuses %s', async (name, bytes, message) => {
    expect((await failure(name, bytes)).message).toMatch(message);
  });

  it('says a file that does not exist does not exist', async () => {
    const error = await inspectFile(join(folder, 'missing.csv'), true).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toEqual(new UnreadableFileError('does not exist'));
  });
});

async function inspectAt(name: string, bytes: Buffer) {
  const path = join(folder, name);
  await writeFile(path, bytes);
  return inspectFile(path, true);
}
