/**
 * The bounds past which a manifest file is refused rather than read: what
 * no spreadsheet program writes, so a file past them is damaged or made to
 * exhaust the job (a zip bomb). Every bound is checked as the bytes arrive,
 * so reading stops as soon as one is crossed and memory stays bounded
 * whatever the input. The measurements quoted are of files in
 * fixtures/manifests, bench/roster.ts's 100,000-agent roster as exceljs
 * writes it, and the same rows saved by LibreOffice Calc 7.4.
 */

const MEBIBYTE = 1024 * 1024;

/**
 * One tag, comment or CDATA section of a part. The longest in workbooks
 * are a data validation's or conditional format's list of ranges (`sqref`),
 * a few kilobytes; a CDATA section holding a cell at Excel's limit is under
 * 100 KB. Markup is kept whole until it ends: an unfinished one is refused
 * once longer than this, so at most this and one chunk are held.
 */
export const MAX_MARKUP_BYTES = MEBIBYTE;

/** `1,536 MiB`: sizes in messages. */
export function mebibytes(bytes: number): string {
  return `${Math.round(bytes / MEBIBYTE).toLocaleString('en-US')} MiB`;
}
