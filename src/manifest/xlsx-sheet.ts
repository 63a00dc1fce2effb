import { columnIndex, columnLetters } from './cell-reference.js';
import {
  COUNT_ROWS_AFTER,
  count,
  MAX_CELL_CHARACTERS,
  MAX_CELL_WRITTEN_CHARACTERS,
  MAX_COLUMNS,
  MAX_ROWS,
} from './limits.js';
import type { RowSink } from './row-sink.js';
import { refuseTooManyRows } from './sheet-rows.js';
import { UnreadableFileError } from './unreadable.js';
import { decodeStringEscapes, RunText, SHEET_PART, scanPart } from './xlsx-parts.js';
import { parseAttributes, type XmlHandler } from './xml.js';
import type { ZipArchive } from './zip.js';

/**
 * Streams one worksheet part to a row sink: each non-blank row with its
 * Excel row number and its cells as text, by column position. Cell values
 * are what Excel shows without formatting: shared and inline strings (rich
 * text joined), the cached result of a formula, numbers in their shortest
 * form at Excel's 15 significant digits, TRUE/FALSE for booleans. Error
 * results (`#N/A`) and formulas with no saved result are reported per cell.
 * A sheet past Excel's last row or column is refused; a sheet that goes
 * past COUNT_ROWS_AFTER rows has its rows counted before reading on.
 */
export async function readSheet(
  archive: ZipArchive,
  part: string,
  sharedStrings: readonly string[],
  sink: RowSink,
): Promise<void> {
  const handler = new SheetHandler(sharedStrings, sink);
  let counted = false;
  await scanPart(archive, part, SHEET_PART, handler, async () => {
    if (counted || handler.rowNumber <= COUNT_ROWS_AFTER) return;
    counted = true;
    await refuseTooManyRows(archive, part);
  });
}

class SheetHandler implements XmlHandler {
  wantsText = false;
  /** The row being read, or the last one read. */
  rowNumber = 0;
  private cells: string[] = [];
  private cellErrors: { column: number; message: string }[] = [];
  private column = 0;
  private cellType = 'n';
  private value = '';
  private hasValue = false;
  private hasFormula = false;
  private inline: RunText | undefined;
  private readonly runText = new RunText();

  constructor(
    private readonly sharedStrings: readonly string[],
    private readonly sink: RowSink,
  ) {}

  open(name: string, attributes: string): void {
    switch (name) {
      case 'row':
        this.startRow(parseAttributes(attributes).r);
        break;
      case 'c':
        this.startCell(parseAttributes(attributes));
        break;
      case 'v':
        this.hasValue = true;
        this.wantsText = true;
        break;
      case 'f':
        this.hasFormula = true;
        break;
      case 'is':
        this.hasValue = true;
        this.inline = this.runText;
        this.inline.reset();
        break;
      default:
        if (this.inline !== undefined) this.wantsText = this.inline.open(name);
    }
  }

  close(name: string): void {
    this.wantsText = false;
    if (name === 'c') this.endCell();
    else if (name === 'row') this.endRow();
    else if (name === 'is') {
      this.value = this.runText.value();
      this.inline = undefined;
    } else if (this.inline !== undefined) this.inline.close(name);
  }

  text(piece: string): void {
    if (this.inline !== undefined) {
      if (!this.inline.append(piece)) throw this.tooLong();
    } else {
      this.value += piece;
      if (this.value.length > MAX_CELL_WRITTEN_CHARACTERS) throw this.tooLong();
    }
  }

  private startRow(reference: string | undefined): void {
    this.rowNumber = reference === undefined ? this.rowNumber + 1 : Number(reference);
    if (!Number.isSafeInteger(this.rowNumber) || this.rowNumber < 1) {
      throw new UnreadableFileError(`is damaged: a row is numbered "${reference}"`);
    }
    if (this.rowNumber > MAX_ROWS) {
      throw new UnreadableFileError(
        `the row is past Excel's last row (${count(MAX_ROWS)}), which no spreadsheet program writes; the rest of the file is not read`,
        this.rowNumber,
      );
    }
    this.cells = [];
    this.cellErrors = [];
    this.column = 0;
  }

  private startCell(attributes: Record<string, string>): void {
    if (attributes.r !== undefined) this.column = columnIndex(attributes.r);
    if (this.column >= MAX_COLUMNS) {
      throw new UnreadableFileError(
        `cell ${this.reference()} is past Excel's last column (${columnLetters(MAX_COLUMNS - 1)}), which no spreadsheet program writes; the rest of the file is not read`,
        this.rowNumber,
      );
    }
    this.cellType = attributes.t ?? 'n';
    this.value = '';
    this.hasValue = false;
    this.hasFormula = false;
  }

  private endCell(): void {
    const text = this.cellText();
    if (text.length > MAX_CELL_CHARACTERS) throw this.tooLong();
    if (text !== '') this.cells[this.column] = text;
    this.column += 1;
  }

  private cellText(): string {
    if (!this.hasValue) {
      if (this.hasFormula) this.cellError('the formula has no saved result: open and save the file in Excel');
      return '';
    }
    switch (this.cellType) {
      case 's':
        return this.sharedString(this.value);
      case 'str':
        return decodeStringEscapes(this.value);
      case 'b':
        return this.value.trim() === '1' ? 'TRUE' : 'FALSE';
      case 'e':
        this.cellError(`the cell holds the error ${this.value.trim()}`);
        return '';
      case 'n':
        return numberText(this.value);
      default:
        return this.value;
    }
  }

  private sharedString(index: string): string {
    const text = this.sharedStrings[Number(index)];
    if (text === undefined) {
      throw new UnreadableFileError(
        `is damaged: a cell refers to shared string ${index.trim()}, which is missing`,
      );
    }
    return text;
  }

  /** The cell being read, as Excel names it: `B12`. */
  private reference(): string {
    return `${columnLetters(this.column)}${this.rowNumber}`;
  }

  private tooLong(): UnreadableFileError {
    return new UnreadableFileError(
      `cell ${this.reference()} is longer than Excel's ${count(MAX_CELL_CHARACTERS)} characters, which no spreadsheet program writes; the rest of the file is not read`,
      this.rowNumber,
    );
  }

  private cellError(message: string): void {
    this.cellErrors.push({ column: this.column, message });
  }

  private endRow(): void {
    const cells = this.cells;
    let blank = true;
    for (let index = 0; index < cells.length; index++) {
      const cell = cells[index];
      if (cell === undefined) cells[index] = '';
      else if (blank && cell.trim() !== '') blank = false;
    }
    if (!blank || this.cellErrors.length > 0) this.sink.row(this.rowNumber, cells, this.cellErrors);
  }
}

/**
 * A number as Excel's General format shows it: at most 15 significant
 * digits (Excel's precision), so a stored 0.30000000000000004 reads 0.3 and
 * a phone number typed as a number keeps all its digits.
 */
export function numberText(stored: string): string {
  const trimmed = stored.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return trimmed;
  return String(Number(value.toPrecision(15)));
}
