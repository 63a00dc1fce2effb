import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnIndex, columnLetters } from '../../src/manifest/cell-reference.js';
import { formatProblem, loadManifest } from '../../src/manifest/index.js';
import type { CellError } from '../../src/manifest/row-sink.js';
import { UnreadableFileError } from '../../src/manifest/unreadable.js';
import { readSharedStrings, readWorkbookParts } from '../../src/manifest/xlsx-parts.js';
import { numberText, readSheet } from '../../src/manifest/xlsx-sheet.js';
import { openZip } from '../../src/manifest/zip.js';
import { workbookParts, writeZip } from './support/raw-xlsx.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'omnize-xlsx-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

interface ReadRow {
  row: number;
  cells: string[];
  errors: readonly CellError[];
}

/** Every sheet's rows as the reader gives them, by sheet name. */
async function readAll(path: string): Promise<Record<string, ReadRow[]>> {
  const archive = await openZip(path);
  const { sheets, sharedStringsPart } = await readWorkbookParts(archive);
  const strings = sharedStringsPart === undefined ? [] : await readSharedStrings(archive, sharedStringsPart);
  const result: Record<string, ReadRow[]> = {};
  for (const sheet of sheets) {
    const rows: ReadRow[] = [];
    await readSheet(archive, sheet.part, strings, {
      row: (row, cells, errors) => rows.push({ row, cells, errors }),
    });
    result[sheet.name] = rows;
  }
  return result;
}

async function rawWorkbook(name: string, parts: Record<string, string>): Promise<string> {
  const path = join(folder, name);
  await writeZip(path, parts);
  return path;
}

describe('reading an XLSX workbook', () => {
  it('reads what exceljs writes: formulas as their cached result, rich text and hyperlinks as plain text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Agents');
    sheet.addRow(['name', 'email', 'text_limit', 'active']);
    sheet.addRow([
      { richText: [{ text: 'José ' }, { font: { bold: true }, text: 'Araújo' }] },
      { text: 'jose@acme.com.br', hyperlink: 'mailto:jose@acme.com.br' },
      { formula: '2*5', result: 10 },
      true,
    ]);
    sheet.addRow([]);
    sheet.addRow([{ formula: '"Conce"&"ição"', result: 'Conceição' }, 'x@acme.com.br', 0.1 + 0.2, false]);
    const path = join(folder, 'exceljs.xlsx');
    await workbook.xlsx.writeFile(path);

    expect(await readAll(path)).toEqual({
      Agents: [
        { row: 1, cells: ['name', 'email', 'text_limit', 'active'], errors: [] },
        { row: 2, cells: ['José Araújo', 'jose@acme.com.br', '10', 'TRUE'], errors: [] },
        { row: 4, cells: ['Conceição', 'x@acme.com.br', '0.3', 'FALSE'], errors: [] },
      ],
    });
  });

  it('reads inline strings, prefixed elements, cells and rows without references, and escaped characters', async () => {
    const rows =
      '<row r="1"><c r="A1" t="inlineStr"><is><t>nome</t></is></c><c t="inlineStr"><is><r><t>e-</t></r><r><t>mail</t></r></is></c></row>' +
      '<row><c t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row>' +
      '<row r="7"><c r="B7"><v>11987654321</v></c><c r="D7"><v>1E-3</v></c></row>';
    const path = await rawWorkbook('raw.xlsx', {
      ...workbookParts(
        [{ name: 'agentes', rows }],
        [
          '<t>Ana_x000D_Maria</t><rPh><t>ふりがな</t></rPh>',
          '<r><rPr/><t xml:space="preserve">Luíza </t></r><r><t>Brandão</t></r>',
        ],
      ),
    });
    expect(await readAll(path)).toEqual({
      agentes: [
        { row: 1, cells: ['nome', 'e-mail'], errors: [] },
        { row: 2, cells: ['Ana\rMaria', '', 'Luíza Brandão'], errors: [] },
        { row: 7, cells: ['', '11987654321', '', '0.001'], errors: [] },
      ],
    });
  });

  it('reads a namespace-prefixed sheet and shared strings placed after the sheets', async () => {
    const parts = workbookParts([{ name: 'accounts', rows: '' }], ['<t>key</t>']);
    const sheet = parts['xl/worksheets/sheet1.xml'] ?? '';
    const prefixed = sheet
      .replace('<worksheet xmlns=', '<x:worksheet xmlns:x=')
      .replace(
        '<sheetData></sheetData></worksheet>',
        '<x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>',
      );
    const { 'xl/sharedStrings.xml': strings = '', ...rest } = parts;
    const path = await rawWorkbook('prefixed.xlsx', {
      ...rest,
      'xl/worksheets/sheet1.xml': prefixed,
      'xl/sharedStrings.xml': strings,
    });
    expect(await readAll(path)).toEqual({ accounts: [{ row: 1, cells: ['key'], errors: [] }] });
  });

  it('reports error results and formulas saved without a result, per cell', async () => {
    const rows =
      '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>' +
      '<row r="2"><c r="A2" t="e"><f>NA()</f><v>#N/A</v></c><c r="B2"><f>1+1</f></c></row>';
    const path = await rawWorkbook('errors.xlsx', workbookParts([{ name: 'agents', rows }]));
    const [, second] = (await readAll(path)).agents ?? [];
    expect(second).toEqual({
      row: 2,
      cells: [],
      errors: [
        { column: 0, message: 'the cell holds the error #N/A' },
        { column: 1, message: 'the formula has no saved result: open and save the file in Excel' },
      ],
    });
  });
});

describe('workbooks that cannot be read', () => {
  async function failure(path: string): Promise<string> {
    const error = await readAll(path).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnreadableFileError);
    return (error as Error).message;
  }

  it('says a truncated workbook is cut short', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('agents').addRow(['email']);
    const whole = join(folder, 'whole.xlsx');
    await workbook.xlsx.writeFile(whole);
    const bytes = await readFile(whole);
    const path = join(folder, 'truncated.xlsx');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await failure(path)).toBe('is damaged: the end of the zip archive is missing (truncated?)');
  });

  it('says a text file is not a workbook', async () => {
    const path = join(folder, 'text.xlsx');
    await writeFile(path, 'key;email\nacme;a@acme.com\n');
    expect(await failure(path)).toBe('is not an XLSX workbook (not a zip archive)');
  });

  it('recognises an old .xls or password-protected workbook', async () => {
    const path = join(folder, 'old.xlsx');
    await writeFile(
      path,
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]),
    );
    expect(await failure(path)).toMatch(/old-style \.xls workbook or a password-protected one/);
  });

  it('detects a damaged part by its checksum instead of reading garbage', async () => {
    const path = await rawWorkbook(
      'crc.xlsx',
      workbookParts([{ name: 'agents', rows: '<row r="1"><c r="A1"><v>1</v></c></row>' }]),
    );
    const bytes = await readFile(path);
    const directory = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(0xdeadbeef, directory + 16); // the last part's CRC in the directory
    await writeFile(path, bytes);
    expect(await failure(path)).toMatch(/^is damaged: part xl\/worksheets\/sheet1\.xml fails its checksum$/);
  });

  it('reports a sheet it cannot read before its first row once, not also as empty', async () => {
    const path = await rawWorkbook('damaged-sheet.xlsx', workbookParts([{ name: 'agents', rows: '' }]));
    const bytes = await readFile(path);
    const directory = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(0xdeadbeef, directory + 16); // the sheet's CRC in the directory
    await writeFile(path, bytes);
    const loaded = await loadManifest([path]);
    expect(loaded.problems.map(formatProblem)).toEqual([
      `${path}:agents: error: is damaged: part xl/worksheets/sheet1.xml fails its checksum`,
    ]);
  });

  it('says a zip that is not a workbook is not one', async () => {
    const path = await rawWorkbook('other.xlsx', { 'readme.txt': 'hello' });
    expect(await failure(path)).toBe('is a zip archive but not an XLSX workbook (it has no workbook part)');
  });
});

describe('cell helpers', () => {
  it('turns column letters into positions and back', () => {
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA10'), columnIndex('xfd1')]).toEqual([
      0, 25, 26, 16383,
    ]);
    expect([columnLetters(0), columnLetters(25), columnLetters(26), columnLetters(16383)]).toEqual([
      'A',
      'Z',
      'AA',
      'XFD',
    ]);
  });

  it('shows numbers as Excel does, at 15 significant digits', () => {
    expect([
      numberText('0.30000000000000004'),
      numberText('1.1987654321E10'),
      numberText(' 10 '),
      numberText('abc'),
    ]).toEqual(['0.3', '11987654321', '10', 'abc']);
  });
});
