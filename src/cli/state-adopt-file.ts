import { UsageError } from '../errors.js';
import { readCsv } from '../manifest/csv.js';
import { inspectFile } from '../manifest/inspect.js';
import type { CellError, RowSink } from '../manifest/row-sink.js';
import { UnreadableFileError } from '../manifest/unreadable.js';
import { type AdoptionLine, type AdoptionRefusal, adoptionHeader } from '../state/index.js';

/** What a `state adopt --from` file holds: its rows, or the problems of its header. */
export interface AdoptionFile {
  lines: AdoptionLine[];
  refusals: AdoptionRefusal[];
}

/**
 * Reads a `key,account_id` CSV file the way manifest CSV files are read
 * (readCsv: UTF-8 with or without BOM or Windows-1252, `,` or `;`, Excel's
 * row numbers). A file that cannot be read at all is a UsageError of one
 * line naming it (`display`) and, when known, its row.
 */
export async function readAdoptionFile(path: string, display: string): Promise<AdoptionFile> {
  const sink = new AdoptionSink();
  try {
    const facts = await inspectFile(path, true);
    await readCsv(path, facts, sink);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    throw new UsageError(`${display}${error.row > 0 ? `:${error.row}` : ''}: ${error.message}`);
  }
  if (sink.refusals.length === 0 && sink.lines.length === 0) {
    throw new UsageError(`${display}: has no rows below its header: nothing to adopt`);
  }
  return { lines: sink.lines, refusals: sink.refusals };
}

/** Takes the first non-blank row as the header, then one line per non-blank row. */
class AdoptionSink implements RowSink {
  readonly lines: AdoptionLine[] = [];
  refusals: AdoptionRefusal[] = [];
  private columns: { key: number; accountId: number } | undefined;
  private headerRefused = false;

  row(rowNumber: number, cells: string[], _cellErrors: readonly CellError[]): void {
    if (this.headerRefused || cells.every((cell) => cell.trim() === '')) return;
    if (this.columns === undefined) {
      const header = adoptionHeader(rowNumber, cells);
      if ('refusals' in header) {
        this.refusals = header.refusals;
        this.headerRefused = true;
      } else this.columns = header;
      return;
    }
    this.lines.push({
      row: rowNumber,
      key: (cells[this.columns.key] ?? '').trim(),
      accountId: (cells[this.columns.accountId] ?? '').trim(),
    });
  }
}
