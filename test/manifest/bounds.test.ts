import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, loadManifest } from '../../src/manifest/index.js';
import {
  MAX_CELL_CHARACTERS,
  MAX_COLUMNS,
  MAX_CSV_ROW_CHARACTERS,
  MAX_MARKUP_BYTES,
  MAX_OTHER_PART_BYTES,
  MAX_ROWS,
  MAX_SHARED_STRINGS,
  MAX_SHARED_STRINGS_BYTES,
  MAX_SHEET_BYTES,
  RATIO_CHECKED_ABOVE_BYTES,
} from '../../src/manifest/limits.js';
import { writeCsvRows, writePaddedWorkbook, writeRowBomb, writeSharedStringBomb } from './support/bombs.js';
import { workbookParts, writeZip } from './support/raw-xlsx.js';

const MEBIBYTE = 1024 * 1024;

/**
 * Files past the bounds of src/manifest/limits.ts, made here and deleted
 * after each test: each is refused with one error naming the file (and the
 * sheet and row where there is one), as `validate` prints it.
 */

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'omnize-bounds-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The problems of a manifest file written by `write`, loaded as `validate` would; the file is deleted after. */
async function problems(name: string, write: (path: string) => Promise<void>): Promise<string[]> {
  const path = join(folder, name);
  await write(path);
  try {
    const loaded = await loadManifest([name], { cwd: folder });
    expect(loaded.desired).toBeUndefined();
    return loaded.problems.map(formatProblem);
  } finally {
    await rm(path, { force: true });
  }
}

/** The header row of an `agents` sheet, so that a sheet's only problem is the one a test makes. */
const HEADER = row(1, ['account_id', 'email', 'name']);

/** A row of inline strings; `cells` gives each column's text (or its raw `<c>` when it starts with `<`). */
function row(number: number, cells: string[]): string {
  const cell = (text: string) =>
    text.startsWith('<') ? text : `<c t="inlineStr"><is><t>${text}</t></is></c>`;
  return `<row r="${number}">${cells.map(cell).join('')}</row>`;
}

const VALID_ROW = row(2, ['4242', 'ana@acme.com.br', 'Ana']);

describe('the XML scanner', () => {
  it('refuses a tag longer than MAX_MARKUP_BYTES (the markup bound)', async () => {
    const rows = `${HEADER}<row r="2" spans="${'1'.repeat(2 * MAX_MARKUP_BYTES)}"/>`;
    expect(
      await problems('tag.xlsx', (path) => writeZip(path, workbookParts([{ name: 'agents', rows }]))),
    ).toEqual([
      'tag.xlsx:agents: error: is refused: its part xl/worksheets/sheet1.xml has a tag or comment longer than 1 MiB, which no spreadsheet program writes',
    ]);
  });
});

describe('zip parts', () => {
  it('refuses shared strings the directory says inflate past MAX_SHARED_STRINGS_BYTES, before inflating them', async () => {
    const bytes = MAX_SHARED_STRINGS_BYTES + MEBIBYTE;
    expect(
      await problems('strings.xlsx', (path) => writeSharedStringBomb(path, { characters: bytes })),
    ).toEqual([
      'strings.xlsx: error: is refused: its part xl/sharedStrings.xml inflates to 65 MiB, past the 64 MiB allowed for the shared strings',
    ]);
  });

  it('refuses a sheet the directory says inflates past MAX_SHEET_BYTES', async () => {
    const bytes = MAX_SHEET_BYTES + MEBIBYTE;
    expect(await problems('sheet.xlsx', (path) => writePaddedWorkbook(path, 'sheet', bytes))).toEqual([
      'sheet.xlsx:agents: error: is refused: its part xl/worksheets/sheet1.xml inflates to 513 MiB, past the 512 MiB allowed for a sheet',
    ]);
  });

  it('refuses a workbook part the directory says inflates past MAX_OTHER_PART_BYTES', async () => {
    const bytes = MAX_OTHER_PART_BYTES + MEBIBYTE;
    expect(await problems('workbook.xlsx', (path) => writePaddedWorkbook(path, 'workbook', bytes))).toEqual([
      'workbook.xlsx: error: is refused: its part xl/workbook.xml inflates to 17 MiB, past the 16 MiB allowed for the workbook part',
    ]);
  });

  it('refuses a part larger than RATIO_CHECKED_ABOVE_BYTES compressed more than MAX_COMPRESSION_RATIO', async () => {
    const found = await problems('ratio.xlsx', (path) =>
      writePaddedWorkbook(path, 'sheet', RATIO_CHECKED_ABOVE_BYTES + MEBIBYTE),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^ratio\.xlsx:agents: error: is refused: its part xl\/worksheets\/sheet1\.xml inflates to \d+ times its compressed size, past the 100 times of any spreadsheet program \(a zip bomb\?\)$/,
    );
  });

  it('reads a part just under RATIO_CHECKED_ABOVE_BYTES however compressed', async () => {
    const path = join(folder, 'allowed.xlsx');
    await writePaddedWorkbook(path, 'sharedStrings', RATIO_CHECKED_ABOVE_BYTES - MEBIBYTE);
    const loaded = await loadManifest(['allowed.xlsx'], { cwd: folder });
    await rm(path);
    expect(loaded.problems.map(formatProblem)).toEqual([]);
  });

  it('stops inflating a part as soon as it passes the size its directory declares', async () => {
    const lying = (path: string) =>
      writePaddedWorkbook(path, 'sheet', 8 * MEBIBYTE, { declaredSize: MEBIBYTE });
    expect(await problems('lying.xlsx', lying)).toEqual([
      'lying.xlsx:agents: error: is damaged: part xl/worksheets/sheet1.xml inflates past the 1,048,576 bytes its zip directory declares',
    ]);
  });
});

describe('cells', () => {
  const long = 'x'.repeat(MAX_CELL_CHARACTERS + 1);
  const sheet = (rows: string, strings?: string[]) => (path: string) =>
    writeZip(path, workbookParts([{ name: 'agents', rows: `${HEADER}${rows}` }], strings));

  it('refuses a shared string longer than MAX_CELL_CHARACTERS (the cell bound, in the shared strings)', async () => {
    expect(await problems('strings.xlsx', sheet(VALID_ROW, ['<t>Ana</t>', `<t>${long}</t>`]))).toEqual([
      "strings.xlsx: error: is refused: item 2 of its shared strings (xl/sharedStrings.xml) is longer than Excel's 32,767 characters per cell, which no spreadsheet program writes",
    ]);
  });

  it('refuses shared strings of more than MAX_SHARED_STRINGS items (the item bound)', async () => {
    const emptyItems = (path: string) =>
      writePaddedWorkbook(path, 'sharedStrings', '<si/>'.length * (MAX_SHARED_STRINGS + MEBIBYTE), {
        filler: '<si/>',
      });
    expect(await problems('items.xlsx', emptyItems)).toEqual([
      'items.xlsx: error: is refused: its shared strings (xl/sharedStrings.xml) hold more than 4,194,304 items, which no spreadsheet program writes',
    ]);
  });

  it('counts a cell in the characters it decodes to, not as written', async () => {
    const escaped = '_x0041_'.repeat(MAX_CELL_CHARACTERS); // 32,767 × "A", written 7 characters each
    const path = join(folder, 'escaped.xlsx');
    await sheet(row(2, ['4242', 'ana@acme.com.br', '<c t="s"><v>0</v></c>']), [`<t>${escaped}</t>`])(path);
    const loaded = await loadManifest(['escaped.xlsx'], { cwd: folder });
    await rm(path);
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.desired?.agents[0]?.name).toBe('A'.repeat(MAX_CELL_CHARACTERS));
  });

  it('refuses an inline string longer than MAX_CELL_CHARACTERS at its row (the cell bound, in a sheet)', async () => {
    expect(await problems('inline.xlsx', sheet(`${VALID_ROW}${row(3, ['4242', long])}`))).toEqual([
      "inline.xlsx:agents:3: error: cell B3 is longer than Excel's 32,767 characters, which no spreadsheet program writes; the rest of the file is not read",
    ]);
  });

  it("refuses a formula's saved text longer than MAX_CELL_CHARACTERS (the cell bound, on a value)", async () => {
    const formula = `<c t="str"><f>REPT("x",40000)</f><v>${long}</v></c>`;
    expect(await problems('value.xlsx', sheet(row(2, ['4242', 'ana@acme.com.br', formula])))).toEqual([
      "value.xlsx:agents:2: error: cell C2 is longer than Excel's 32,767 characters, which no spreadsheet program writes; the rest of the file is not read",
    ]);
  });
});

describe('rows and columns', () => {
  const sheet = (rows: string) => (path: string) =>
    writeZip(path, workbookParts([{ name: 'agents', rows: `${HEADER}${VALID_ROW}${rows}` }]));

  it('refuses a row numbered past MAX_ROWS at that row (the row bound, as rows are read)', async () => {
    expect(await problems('numbered.xlsx', sheet(row(MAX_ROWS + 1, ['4242'])))).toEqual([
      "numbered.xlsx:agents:1048577: error: the row is past Excel's last row (1,048,576), which no spreadsheet program writes; the rest of the file is not read",
    ]);
  });

  it('counts the rows of a sheet that goes past COUNT_ROWS_AFTER and refuses more than MAX_ROWS (the row count)', async () => {
    // The header, then MAX_ROWS blank rows with no numbers: one row too many.
    const write = (path: string) =>
      writeRowBomb(path, { rows: MAX_ROWS, content: 'blank', references: false });
    expect(await problems('counted.xlsx', write)).toEqual([
      "counted.xlsx:agents: error: the sheet has more rows than Excel's 1,048,576, which no spreadsheet program writes; the file is not read",
    ]);
  });

  it('reads a sheet of exactly MAX_ROWS rows', async () => {
    const path = join(folder, 'full.xlsx');
    await writeRowBomb(path, { rows: MAX_ROWS - 1, content: 'blank', references: false });
    const loaded = await loadManifest(['full.xlsx'], { cwd: folder });
    await rm(path);
    expect(loaded.problems.map(formatProblem)).toEqual([]);
  });

  it('refuses a cell past the last of MAX_COLUMNS columns (the column bound)', async () => {
    expect(await problems('far.xlsx', sheet(row(3, ['<c r="XFE3"><v>1</v></c>'])))).toEqual([
      "far.xlsx:agents:3: error: cell XFE3 is past Excel's last column (XFD), which no spreadsheet program writes; the rest of the file is not read",
    ]);
    expect(await problems('wide.xlsx', sheet(row(3, Array(MAX_COLUMNS + 1).fill('<c/>'))))).toEqual([
      "wide.xlsx:agents:3: error: cell XFE3 is past Excel's last column (XFD), which no spreadsheet program writes; the rest of the file is not read",
    ]);
  });

  it('says a sheet whose row is not numbered with a whole number is damaged', async () => {
    expect(await problems('letters.xlsx', sheet('<row r="abc"/>'))).toEqual([
      'letters.xlsx:agents: error: is damaged: a row is numbered "abc"',
    ]);
  });
});

describe('CSV files', () => {
  const csv = (rows: number, row?: (index: number) => string) => (path: string) =>
    writeCsvRows(path, rows, row);

  it('refuses a value longer than MAX_CELL_CHARACTERS at its row (the cell bound, in CSV)', async () => {
    const long = 'x'.repeat(MAX_CELL_CHARACTERS + 1);
    const rows = (index: number) => (index === 0 ? '4242;ana@acme.com.br;Ana' : `4242;${long};Bia`);
    expect(await problems('agents.csv', csv(2, rows))).toEqual([
      'agents.csv:3: error: the value in column B is longer than the 32,767 characters an Excel cell holds; the rest of the file is not read',
    ]);
  });

  it('reads a value of exactly MAX_CELL_CHARACTERS', async () => {
    const path = join(folder, 'agents.csv');
    await writeCsvRows(path, 1, () => `4242;ana@acme.com.br;${'a'.repeat(MAX_CELL_CHARACTERS)}`);
    const loaded = await loadManifest(['agents.csv'], { cwd: folder });
    await rm(path);
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.desired?.agents[0]?.name).toHaveLength(MAX_CELL_CHARACTERS);
  });

  it('counts the rows of a file past COUNT_ROWS_AFTER and refuses more than MAX_ROWS (the row count, in CSV)', async () => {
    expect(await problems('agents.csv', csv(MAX_ROWS))).toEqual([
      'agents.csv:1048577: error: the file has more rows than the 1,048,576 of an Excel sheet; the rest of the file is not read',
    ]);
  });

  it('reads a file of exactly MAX_ROWS rows', async () => {
    const path = join(folder, 'agents.csv');
    await writeCsvRows(path, MAX_ROWS - 1);
    const loaded = await loadManifest(['agents.csv'], { cwd: folder });
    await rm(path);
    expect(loaded.problems.map(formatProblem)).toEqual([]);
  });

  it('refuses a row longer than MAX_CSV_ROW_CHARACTERS before buffering the rest of it (the row size bound)', async () => {
    const line = 'x'.repeat(2 * MAX_CSV_ROW_CHARACTERS);
    expect(
      await problems(
        'agents.csv',
        csv(1, () => line),
      ),
    ).toEqual([
      'agents.csv:2: error: this row is longer than 8 MiB, far more than a manifest row holds; the rest of the file is not read',
    ]);
  });
});
