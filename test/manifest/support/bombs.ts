/**
 * Files no spreadsheet program writes, made at test time and never
 * committed: the two bombs of issue 10's table and smaller ones for each
 * bound. A part that repeats one piece is packed from one compressed copy
 * (see `packPieces`), so even 1.5 GiB inflated is a few megabytes on disk
 * and a second to make.
 */
import { writeFile } from 'node:fs/promises';
import { constants } from 'node:zlib';
import { type PackedPart, packPieces, workbookParts, writeZip } from './raw-xlsx.js';

const MEBIBYTE = 1024 * 1024;
/** Stands for the content a bomb fills in, so the rest of a part comes from `workbookParts`. */
const HOLE = '\u0000';

/** `count` times the same Buffer object, which `packPieces` compresses once. */
function* repeated(piece: Buffer, count: number): Generator<Buffer> {
  for (let index = 0; index < count; index++) yield piece;
}

/** The part `workbookParts` would write, with `pieces` where the HOLE is. */
function* around(part: string, pieces: Iterable<Buffer>): Generator<Buffer> {
  const [before = '', after = ''] = part.split(HOLE);
  yield Buffer.from(before);
  yield* pieces;
  yield Buffer.from(after);
}

export interface SharedStringBomb {
  /** Letters in the one shared string; 1.5 GiB by default, as in the issue. */
  characters?: number;
  /** What the zip directory says the part inflates to; the truth by default. */
  declaredSize?: number;
}

/**
 * Issue 10's first bomb: a workbook whose one shared string, the header of
 * an `agents` sheet, inflates to 1.5 GiB of one letter.
 */
export async function writeSharedStringBomb(path: string, bomb: SharedStringBomb = {}): Promise<void> {
  const characters = bomb.characters ?? 1536 * MEBIBYTE;
  const block = Buffer.alloc(Math.min(MEBIBYTE, characters), 'A');
  const blocks = repeated(block, Math.floor(characters / block.length));
  const rest = Buffer.alloc(characters % block.length, 'A');
  const parts = workbookParts(
    [{ name: 'agents', rows: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }],
    [`<t>${HOLE}</t>`],
  );
  const strings = packPieces(around(parts['xl/sharedStrings.xml'] ?? '', [...blocks, rest]));
  await writeZip(path, { ...parts, 'xl/sharedStrings.xml': withDeclaredSize(strings, bomb.declaredSize) });
}

export type PaddedPart = 'sheet' | 'sharedStrings' | 'workbook';

const PADDED_PARTS: Record<PaddedPart, string> = {
  sheet: 'xl/worksheets/sheet1.xml',
  sharedStrings: 'xl/sharedStrings.xml',
  workbook: 'xl/workbook.xml',
};

export interface Padding {
  /** What the directory declares the part inflates to; the truth by default. */
  declaredSize?: number;
  /** What the padding repeats: white space by default; `<si/>` makes empty shared strings. */
  filler?: string;
}

/**
 * A valid workbook (an `agents` sheet with a header) one of whose parts has
 * about `bytes` of padding before its root element ends: well-formed XML,
 * that much larger inflated and about a thousandth of that on disk.
 */
export async function writePaddedWorkbook(
  path: string,
  part: PaddedPart,
  bytes: number,
  { declaredSize, filler = ' ' }: Padding = {},
): Promise<void> {
  const header = ['account', 'email', 'name'].map((_name, index) => `<c t="s"><v>${index}</v></c>`);
  const parts = workbookParts(
    [{ name: 'agents', rows: `<row r="1">${header.join('')}</row>` }],
    ['<t>account</t>', '<t>email</t>', '<t>name</t>'],
  );
  const name = PADDED_PARTS[part];
  const xml = (parts[name] ?? '').replace(/<\/[^<]+>$/, (end) => `${HOLE}${end}`);
  const block = Buffer.from(filler.repeat(Math.floor(MEBIBYTE / filler.length)));
  const pieces = [
    ...repeated(block, Math.floor(bytes / block.length)),
    Buffer.alloc(bytes % block.length, ' '),
  ];
  await writeZip(path, { ...parts, [name]: withDeclaredSize(packPieces(around(xml, pieces)), declaredSize) });
}

export interface RowBomb {
  /** Rows after the header; 2,000,000 by default, as in the issue. */
  rows?: number;
  /** `valid`: a distinct agent on every row; `blank`: rows with nothing in them, which pack far smaller. */
  content?: 'valid' | 'blank';
  /** Write `<row r="…">` references (Excel does); without them rows are counted. */
  references?: boolean;
}

/**
 * Issue 10's second bomb: a workbook whose `agents` sheet has a header and
 * then more rows than Excel's 1,048,576, each a valid agent of an account
 * the `accounts` sheet declares, so nothing but the row count is wrong.
 */
export async function writeRowBomb(path: string, bomb: RowBomb = {}): Promise<void> {
  const accounts =
    rowXml(1, ['key', 'email', 'main_contact', 'license_quantity'], true) +
    rowXml(2, ['acme', 'ti@acme.com.br', 'Ana', '9999999'], true);
  const parts = workbookParts([
    { name: 'accounts', rows: accounts },
    { name: 'agents', rows: HOLE },
  ]);
  const sheet = parts['xl/worksheets/sheet2.xml'] ?? '';
  const rows = rowPieces(bomb.rows ?? 2_000_000, bomb.content ?? 'valid', bomb.references ?? true);
  const packed = packPieces(around(sheet, rows), constants.Z_BEST_SPEED);
  await writeZip(path, { ...parts, 'xl/worksheets/sheet2.xml': packed });
}

const ROWS_PER_PIECE = 10_000;

/** The header row and then `count` rows, in pieces of 10,000 rows (about a megabyte). */
function* rowPieces(count: number, content: 'valid' | 'blank', references: boolean): Generator<Buffer> {
  yield Buffer.from(rowXml(1, ['account', 'email', 'name'], references));
  // Blank rows without references are all alike: one piece, given again, is packed once.
  const alike = content === 'blank' && !references;
  const blankPiece = Buffer.from('<row/>'.repeat(ROWS_PER_PIECE));
  for (let first = 2; first <= count + 1; first += ROWS_PER_PIECE) {
    const last = Math.min(first + ROWS_PER_PIECE - 1, count + 1);
    if (alike && last - first + 1 === ROWS_PER_PIECE) {
      yield blankPiece;
      continue;
    }
    let text = '';
    for (let row = first; row <= last; row++) {
      const cells = content === 'blank' ? [] : ['acme', `agente${row}@acme.com.br`, `Agente ${row}`];
      text += rowXml(row, cells, references);
    }
    yield Buffer.from(text);
  }
}

function rowXml(row: number, cells: string[], references: boolean): string {
  const open = references ? `<row r="${row}"` : '<row';
  if (cells.length === 0) return `${open}/>`;
  return `${open}>${cells.map((text) => `<c t="inlineStr"><is><t>${text}</t></is></c>`).join('')}</row>`;
}

function withDeclaredSize(part: PackedPart, declaredSize: number | undefined): PackedPart {
  return declaredSize === undefined ? part : { ...part, declaredSize };
}

/**
 * An agents CSV file: a header, then `rows` rows given by `row` (blank rows
 * by default, `;;` as Excel saves them). Agents name their account by
 * `account_id`, which needs no accounts file.
 */
export async function writeCsvRows(
  path: string,
  rows: number,
  row = (_index: number) => ';;',
): Promise<void> {
  const lines = ['account_id;email;name'];
  for (let index = 0; index < rows; index++) lines.push(row(index));
  await writeFile(path, `${lines.join('\r\n')}\r\n`);
}
