import { count, MAX_ROWS } from './limits.js';
import { UnreadableFileError } from './unreadable.js';
import { SHEET_PART } from './xlsx-parts.js';
import { readEntry, type ZipArchive } from './zip.js';

const LESS_THAN = 60;
const COLON = 58;
/** `<row/>`: no sheet of more than MAX_ROWS rows is smaller than this many bytes a row. */
const SMALLEST_ROW = 6;
/** Bytes after a `<` enough to see a row tag's name with a namespace prefix (`<x:row `); longer prefixes go uncounted. */
const NAME_LOOKAHEAD = 32;
const EMPTY = Buffer.alloc(0);

/**
 * Refuses a sheet of more rows than Excel's 1,048,576 before the rest of
 * it is read. Refusing at the 1,048,577th row while reading would first
 * hand a million rows to the checks, at 394 MiB and 9 s for 1,048,576
 * agent rows (measured), where a 256 MiB container has no room. So the
 * part is inflated once more, from its start, and its row tags counted: a
 * search for `<` and a look at the name after it, about a tenth of the
 * cost of reading the sheet. The count is only a way to refuse early: it
 * may miss a row (a name cut where a chunk is very short, a prefix longer
 * than NAME_LOOKAHEAD) but never counts one that is not there, except in
 * comments or CDATA, which no spreadsheet writes. Reading still refuses a
 * row past the limit, numbered or counted.
 */
export async function refuseTooManyRows(archive: ZipArchive, part: string): Promise<void> {
  const entry = archive.entries.get(part);
  if (entry === undefined || entry.size < SMALLEST_ROW * (MAX_ROWS + 1)) return;
  let rows = 0;
  let carry = EMPTY;
  for await (const chunk of readEntry(archive, entry, SHEET_PART)) {
    // A `<` in a chunk's last bytes may start a name the chunk cuts: it is looked at with the next one.
    if (carry.length > 0)
      rows += rowTags(Buffer.concat([carry, chunk.subarray(0, NAME_LOOKAHEAD)]), carry.length);
    const end = Math.max(0, chunk.length - NAME_LOOKAHEAD);
    rows += rowTags(chunk, end);
    if (rows > MAX_ROWS) throw tooManyRows();
    carry = Buffer.from(chunk.subarray(end));
  }
  if (rows + rowTags(carry, carry.length) > MAX_ROWS) throw tooManyRows();
}

/** Row start tags whose `<` is before `end`. */
function rowTags(buffer: Buffer, end: number): number {
  let rows = 0;
  for (let at = buffer.indexOf(LESS_THAN); at >= 0 && at < end; at = buffer.indexOf(LESS_THAN, at + 1)) {
    if (isRowTag(buffer, at + 1)) rows += 1;
  }
  return rows;
}

/** Whether the tag name starting at `from` is `row` or `prefix:row`. */
function isRowTag(buffer: Buffer, from: number): boolean {
  let nameStart = from;
  for (let index = from; index < Math.min(buffer.length, from + NAME_LOOKAHEAD); index++) {
    const byte = buffer[index] ?? 0;
    if (byte === COLON) {
      nameStart = index + 1;
    } else if (byte === 32 || byte === 62 || byte === 47 || byte === 9 || byte === 10 || byte === 13) {
      // The name ends at white space, `>` or `/`.
      return (
        index - nameStart === 3 &&
        buffer[nameStart] === 0x72 && // r
        buffer[nameStart + 1] === 0x6f && // o
        buffer[nameStart + 2] === 0x77 // w
      );
    }
  }
  return false;
}

function tooManyRows(): UnreadableFileError {
  return new UnreadableFileError(
    `the sheet has more rows than Excel's ${count(MAX_ROWS)}, which no spreadsheet program writes; the file is not read`,
  );
}
