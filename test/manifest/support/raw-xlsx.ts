import { writeFile } from 'node:fs/promises';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { deflatedEntry, zipArchive } from '../../../src/report/zip-writer.js';

/** A part already deflated, with what the zip directory says of it. */
export interface PackedPart {
  deflated: Buffer;
  /** The inflated size and CRC-32 of the bytes the deflated stream holds. */
  size: number;
  crc: number;
  /** The inflated size the directory declares, when a test wants it to lie; `size` otherwise. */
  declaredSize?: number;
}

/**
 * Deflates the pieces one after the other into one raw deflate stream, each
 * flushed so the next starts afresh: a piece given again (the same Buffer
 * object) reuses its compressed bytes, so a gigabyte of one repeated piece
 * takes a second and a few kilobytes. `level` 1 keeps large generated parts fast.
 */
export function packPieces(pieces: Iterable<Buffer>, level = constants.Z_DEFAULT_COMPRESSION): PackedPart {
  const deflated: Buffer[] = [];
  let size = 0;
  let crc = 0;
  let previous: { piece: Buffer; packed: Buffer } | undefined;
  for (const piece of pieces) {
    // An empty piece adds nothing, and Node 20's crc32 was seen here returning 0 for one mid-stream.
    if (piece.length === 0) continue;
    if (previous?.piece !== piece) {
      previous = { piece, packed: deflateRawSync(piece, { level, finishFlush: constants.Z_FULL_FLUSH }) };
    }
    deflated.push(previous.packed);
    size += piece.length;
    crc = crc32(piece, crc);
  }
  deflated.push(deflateRawSync(Buffer.alloc(0))); // the final, empty block
  return { deflated: Buffer.concat(deflated), size, crc };
}

function packed(content: string | Buffer | PackedPart): PackedPart {
  if (typeof content !== 'string' && !Buffer.isBuffer(content)) return content;
  return deflatedEntry('', typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
}

/**
 * Writes a zip of the given parts (deflated), so tests can build workbooks
 * with exactly the XML they need: inline strings, namespace prefixes,
 * missing cell references, parts in any order, parts far larger inflated
 * than on disk.
 */
export async function writeZip(
  path: string,
  parts: Record<string, string | Buffer | PackedPart>,
): Promise<void> {
  const entries = Object.entries(parts).map(([name, content]) => {
    const part = packed(content);
    return { name, deflated: part.deflated, crc: part.crc, size: part.declaredSize ?? part.size };
  });
  await writeFile(path, zipArchive(entries));
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * The parts of a minimal workbook: one part per sheet (its `<sheetData>`
 * content given as is), and a shared-strings table when `sharedStrings` is given.
 */
export function workbookParts(
  sheets: { name: string; rows: string }[],
  sharedStrings?: string[],
): Record<string, string> {
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  };
  const relations = sheets.map(
    (_sheet, index) =>
      `<Relationship Id="rId${index + 1}" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`,
  );
  if (sharedStrings !== undefined) {
    relations.push(
      `<Relationship Id="rIdS" Type="${RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>`,
    );
    parts['xl/sharedStrings.xml'] =
      `<?xml version="1.0"?><sst xmlns="${MAIN}">${sharedStrings.map((item) => `<si>${item}</si>`).join('')}</sst>`;
  }
  parts['xl/_rels/workbook.xml.rels'] =
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relations.join('')}</Relationships>`;
  parts['xl/workbook.xml'] =
    `<?xml version="1.0"?><workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets>${sheets
      .map((sheet, index) => `<sheet name="${sheet.name}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`)
      .join('')}</sheets></workbook>`;
  sheets.forEach((sheet, index) => {
    parts[`xl/worksheets/sheet${index + 1}.xml`] =
      `<?xml version="1.0"?><worksheet xmlns="${MAIN}"><sheetData>${sheet.rows}</sheetData></worksheet>`;
  });
  return parts;
}
