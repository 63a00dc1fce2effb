import { posix } from 'node:path';
import {
  count,
  MAX_CELL_CHARACTERS,
  MAX_CELL_WRITTEN_CHARACTERS,
  MAX_MARKUP_BYTES,
  MAX_OTHER_PART_BYTES,
  MAX_SHARED_STRINGS,
  MAX_SHARED_STRINGS_BYTES,
  MAX_SHEET_BYTES,
  mebibytes,
} from './limits.js';
import { UnreadableFileError } from './unreadable.js';
import {
  parseAttributes,
  type XmlHandler,
  XmlMarkupTooLongError,
  XmlScanner,
  XmlSyntaxError,
} from './xml.js';
import { type PartBound, readEntry, type ZipArchive } from './zip.js';

/** A worksheet as the workbook lists it, in the workbook's order. */
export interface WorkbookSheet {
  name: string;
  /** The part holding the sheet, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
}

export interface WorkbookParts {
  sheets: WorkbookSheet[];
  sharedStringsPart?: string;
}

/** How far each kind of part may inflate (src/manifest/limits.ts says why). */
export const SHEET_PART: PartBound = { maxBytes: MAX_SHEET_BYTES, what: 'a sheet' };
const SHARED_STRINGS_PART: PartBound = { maxBytes: MAX_SHARED_STRINGS_BYTES, what: 'the shared strings' };
const WORKBOOK_PART: PartBound = { maxBytes: MAX_OTHER_PART_BYTES, what: 'the workbook part' };
const RELATIONSHIPS_PART: PartBound = { maxBytes: MAX_OTHER_PART_BYTES, what: 'a relationships part' };

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const PACKAGE_RELATIONSHIPS = '_rels/.rels';
const DEFAULT_WORKBOOK = 'xl/workbook.xml';

/** Finds the workbook, its worksheets and its shared-strings part through the package's relationships. */
export async function readWorkbookParts(archive: ZipArchive): Promise<WorkbookParts> {
  const packageRelations = await readRelationships(archive, PACKAGE_RELATIONSHIPS);
  const workbook =
    packageRelations.find((relation) => relation.type.endsWith('/officeDocument'))?.target ??
    DEFAULT_WORKBOOK;
  if (!archive.entries.has(workbook)) {
    throw new UnreadableFileError('is a zip archive but not an XLSX workbook (it has no workbook part)');
  }
  const relations = await readRelationships(archive, relationshipsOf(workbook));
  const targets = new Map(relations.map((relation) => [relation.id, relation]));
  const sheets: WorkbookSheet[] = [];
  await scanPart(archive, workbook, WORKBOOK_PART, {
    wantsText: false,
    open(name, attributes) {
      if (name !== 'sheet') return;
      const sheet = parseAttributes(attributes);
      const relation = targets.get(sheet.id ?? '');
      if (sheet.name !== undefined && relation?.type.endsWith('/worksheet')) {
        sheets.push({ name: sheet.name, part: relation.target });
      }
    },
    close() {},
    text() {},
  });
  const sharedStringsPart = relations.find((relation) => relation.type.endsWith('/sharedStrings'))?.target;
  return { sheets, sharedStringsPart };
}

/**
 * The shared-string table: the plain text of each item, rich-text runs
 * joined, phonetic hints (`rPh`) left out, `_xHHHH_` escapes decoded.
 */
export async function readSharedStrings(archive: ZipArchive, part: string): Promise<string[]> {
  const strings: string[] = [];
  const text = new RunText();
  await scanPart(archive, part, SHARED_STRINGS_PART, {
    wantsText: false,
    open(name) {
      if (name === 'si') text.reset();
      else this.wantsText = text.open(name);
    },
    close(name) {
      this.wantsText = false;
      if (name !== 'si') return text.close(name);
      const value = text.value();
      if (value.length > MAX_CELL_CHARACTERS) throw stringTooLong(strings.length, part);
      if (strings.length === MAX_SHARED_STRINGS) throw tooManyStrings(part);
      strings.push(value);
    },
    text(piece) {
      if (!text.append(piece)) throw stringTooLong(strings.length, part);
    },
  });
  return strings;
}

function tooManyStrings(part: string): UnreadableFileError {
  return new UnreadableFileError(
    `is refused: its shared strings (${part}) hold more than ${count(MAX_SHARED_STRINGS)} items, ` +
      'which no spreadsheet program writes',
  );
}

function stringTooLong(index: number, part: string): UnreadableFileError {
  return new UnreadableFileError(
    `is refused: item ${count(index + 1)} of its shared strings (${part}) is longer than Excel's ` +
      `${count(MAX_CELL_CHARACTERS)} characters per cell, which no spreadsheet program writes`,
  );
}

/**
 * Collects the text of a string item (`si` or an inline `is`): every `t`,
 * whether directly inside or inside rich-text runs, except those of
 * phonetic runs.
 */
export class RunText {
  private pieces = '';
  private phoneticDepth = 0;

  reset(): void {
    this.pieces = '';
    this.phoneticDepth = 0;
  }

  /** Returns whether the element's text belongs to the value. */
  open(name: string): boolean {
    if (name === 'rPh') this.phoneticDepth += 1;
    return name === 't' && this.phoneticDepth === 0;
  }

  close(name: string): void {
    if (name === 'rPh') this.phoneticDepth -= 1;
  }

  /** False once the text is too long for any cell Excel allows (MAX_CELL_WRITTEN_CHARACTERS), before decoding it. */
  append(piece: string): boolean {
    this.pieces += piece;
    return this.pieces.length <= MAX_CELL_WRITTEN_CHARACTERS;
  }

  value(): string {
    return decodeStringEscapes(this.pieces);
  }
}

const STRING_ESCAPE = /_x([0-9a-fA-F]{4})_/g;

/** OOXML writes characters XML cannot hold (e.g. a carriage return) as `_x000D_`. */
export function decodeStringEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(STRING_ESCAPE, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Streams one part through the XML scanner; a damaged part becomes an
 * UnreadableFileError. `afterChunk`, when given, is awaited after each
 * chunk, with the part's inflating paused.
 */
export async function scanPart(
  archive: ZipArchive,
  part: string,
  bound: PartBound,
  handler: XmlHandler,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  const entry = archive.entries.get(part);
  if (entry === undefined) throw new UnreadableFileError(`is damaged: its part ${part} is missing`);
  const scanner = new XmlScanner(handler);
  let first = true;
  try {
    for await (const chunk of readEntry(archive, entry, bound)) {
      scanner.write(first && chunk.subarray(0, 3).equals(UTF8_BOM) ? chunk.subarray(3) : chunk);
      first = false;
      await afterChunk?.();
    }
    scanner.end();
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      throw new UnreadableFileError(`is damaged: its part ${part} is not valid XML (${error.message})`);
    }
    if (error instanceof XmlMarkupTooLongError) {
      throw new UnreadableFileError(
        `is refused: its part ${part} has a tag or comment longer than ${mebibytes(MAX_MARKUP_BYTES)}, which no spreadsheet program writes`,
      );
    }
    throw error;
  }
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

async function readRelationships(archive: ZipArchive, part: string): Promise<Relationship[]> {
  if (!archive.entries.has(part)) return [];
  const base = posix.dirname(posix.dirname(part));
  const relations: Relationship[] = [];
  await scanPart(archive, part, RELATIONSHIPS_PART, {
    wantsText: false,
    open(name, attributes) {
      if (name !== 'Relationship') return;
      const { Id, Type, Target, TargetMode } = parseAttributes(attributes);
      if (Id === undefined || Type === undefined || Target === undefined || TargetMode === 'External') return;
      relations.push({ id: Id, type: Type, target: resolveTarget(base, Target) });
    },
    close() {},
    text() {},
  });
  return relations;
}

/** `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
function relationshipsOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

/** Targets are relative to the folder of the part that names them, or absolute from the package root. */
function resolveTarget(base: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : posix.join(base === '.' ? '' : base, target);
  return posix.normalize(joined).replace(/^\/+/, '');
}
