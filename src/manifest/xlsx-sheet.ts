import { columnIndex, columnLetters } from './cell-reference.js';
import { count, MAX_CELL_CHARACTERS, MAX_CELL_WRITTEN_CHARACTERS } from './limits.js';
import type { RowSink } from './row-sink.js';
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
 */
export async function readSheet(
  archive: ZipArchive,
  part: string,
  sharedStrings: readonly string[],
  sink: RowSink,
): Promise<void> {
  await scanPart(archive, part, SHEET_PART, new SheetHandler(sharedStrings, sink));
}

class SheetHandler implements XmlHandler {
  wantsText = false;
  private rowNumber = 0;
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
    this.cells = [];
    this.cellErrors = [];
    this.column = 0;
  }

  private startCell(attributes: Record<string, string>): void {
    if (attributes.r !== undefined) this.column = columnIndex(attributes.r);
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

  private tooLong(): UnreadableFileError {
    const cell = `${columnLetters(this.column)}${this.rowNumber}`;
    return new UnreadableFileError(
      `cell ${cell} is longer than Excel's ${count(MAX_CELL_CHARACTERS)} characters, which no spreadsheet program writes; the rest of the file is not read`,
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
