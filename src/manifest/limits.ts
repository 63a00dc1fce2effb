/**
 * The bounds past which a manifest file is refused rather than read: what
 * no spreadsheet program writes, so a file past them is damaged or made to
 * exhaust the job (a zip bomb). Every bound is checked as the bytes arrive,
 * so reading stops as soon as one is crossed and memory stays bounded
 * whatever the input. The measurements quoted are of files in
 * fixtures/manifests, bench/roster.ts's 100,000-agent roster as exceljs
 * writes it, and the same rows saved by LibreOffice Calc 7.4.
 */

import { groupThousands } from '../thousands.js';

/** Excel's specifications and limits: the most characters a cell holds, rows and columns a sheet has. */
export const MAX_CELL_CHARACTERS = 32_767;
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

/**
 * Rows read before a sheet or CSV file has its rows counted, so that one of
 * more than MAX_ROWS is refused without reading a million rows first
 * (394 MiB and 9 s for 1,048,576 agent rows, measured). 150,000 is half as
 * much again as the largest roster planned (issue 10's 100,000-agent
 * migration), so that no real roster pays for the count, and early enough
 * that what was read so far leaves room to count in 256 MiB (the
 * 2,000,000-row bombs of bench/bombs.ts peak at about 170 MiB).
 */
export const COUNT_ROWS_AFTER = 150_000;

/**
 * OOXML writes a character XML cannot hold as `_xHHHH_`, seven characters
 * for one: text longer than this cannot decode to a cell Excel allows, so a
 * cell's text is given up on at this length, before it is decoded.
 */
export const MAX_CELL_WRITTEN_CHARACTERS = MAX_CELL_CHARACTERS * 7;

const MEBIBYTE = 1024 * 1024;

/**
 * A sheet inflated. A full-height (1,048,576-row) agents sheet as
 * LibreOffice writes it, the most verbose writer measured (407 bytes for a
 * row of 7 text cells; exceljs 294), is about 430 MB; 512 MiB leaves room
 * for styles and a column more. Sheets are streamed, so this bounds the
 * time spent on one, not memory.
 */
export const MAX_SHEET_BYTES = 512 * MEBIBYTE;

/**
 * The shared-string table inflated. It is held in memory whole, at about
 * its own size (18 MiB of LibreOffice's strings took 18 MiB of heap), so
 * its bound is a share of a 256 MiB container: 64 MiB is a roster of about
 * 350,000 agents as LibreOffice writes it (191 bytes each) or 500,000 as
 * exceljs does (125), 3.5× the largest migration planned (issue 10).
 */
export const MAX_SHARED_STRINGS_BYTES = 64 * MEBIBYTE;

/**
 * Items in the shared-string table. No item holding a character is shorter
 * than `<si><t>x</t></si>`, 17 bytes, so MAX_SHARED_STRINGS_BYTES holds at
 * most 3.9 million of them: more than 4,194,304 means empty items, which no
 * writer repeats (each text is kept once), and which cost a slot each in
 * memory (13 million in 64 MiB took 334 MiB before this bound, measured).
 */
export const MAX_SHARED_STRINGS = 4_194_304;

/** Any other part read (the workbook, its relationships): about 1 KB in every workbook measured. */
export const MAX_OTHER_PART_BYTES = 16 * MEBIBYTE;

/**
 * Inflated size over compressed size. The most compressible parts measured
 * are LibreOffice's sheets of one value repeated (28:1 for 1,000,000 rows
 * of `1`, 28:1 for 300,000 identical agent rows; exceljs 16:1), and real
 * rosters compress 7–13:1; deflate itself can reach about 1,032:1, which
 * is what a bomb uses. 100:1 leaves 3.5× the most measured.
 */
export const MAX_COMPRESSION_RATIO = 100;

/**
 * The ratio is checked only for parts larger than this: a smaller part is
 * read in well under a second whatever its ratio, and small parts do reach
 * high ratios legitimately (a cell of 32,767 repeated letters: ~1,000:1).
 */
export const RATIO_CHECKED_ABOVE_BYTES = 32 * MEBIBYTE;

/**
 * One tag, comment or CDATA section of a part. The longest in workbooks
 * are a data validation's or conditional format's list of ranges (`sqref`),
 * a few kilobytes; a CDATA section holding a cell at Excel's limit is under
 * 100 KB. Markup is kept whole until it ends: an unfinished one is refused
 * once longer than this, so at most this and one chunk are held.
 */
export const MAX_MARKUP_BYTES = MEBIBYTE;

/**
 * One CSV row's characters (quotes and delimiters included), which the reading
 * holds until the row ends: room for 256 cells at Excel's limit, where a
 * manifest row has about ten short ones. A file with no line break is refused
 * after this much instead of being held whole.
 */
export const MAX_CSV_ROW_CHARACTERS = 8 * MEBIBYTE;

/** `1,536 MiB`: sizes in messages. */
export function mebibytes(bytes: number): string {
  return `${groupThousands(bytes / MEBIBYTE)} MiB`;
}

/** `32,767`: counts in messages. */
export function count(value: number): string {
  return groupThousands(value);
}
