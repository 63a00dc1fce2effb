import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { count, MAX_COMPRESSION_RATIO, mebibytes, RATIO_CHECKED_ABOVE_BYTES } from './limits.js';
import { UnreadableFileError } from './unreadable.js';

/**
 * Just enough of the zip format to read an XLSX part by part: the central
 * directory at the end of the file says where each part is, so parts can be
 * read in any order (sharedStrings before the sheets, whatever order the
 * writer chose) and each is inflated as a stream, never held whole.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
}

/** How far one part may inflate, and what the part is, for a message: `a sheet`, `the shared strings`. */
export interface PartBound {
  maxBytes: number;
  what: string;
}

export interface ZipArchive {
  path: string;
  entries: Map<string, ZipEntry>;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY_SIZE = 22;
/** The end record may be followed by a comment of up to 65535 bytes. */
const END_SEARCH_SPAN = END_OF_DIRECTORY_SIZE + 0xffff;
const ZIP64_MARKER = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;
/** Compound-file signature: legacy .xls workbooks and password-protected .xlsx files. */
const COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const ZIP_START = Buffer.from('PK\u0003\u0004', 'latin1');

/** Reads the central directory; throws UnreadableFileError when the file is not a readable zip. */
export async function openZip(path: string): Promise<ZipArchive> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = await readAt(handle, 0, Math.min(4, size));
    const tailStart = Math.max(0, size - END_SEARCH_SPAN);
    const tail = await readAt(handle, tailStart, size - tailStart);
    const endOffset = findEndOfDirectory(tail);
    if (endOffset < 0) throw notAZip(head);
    const count = tail.readUInt16LE(endOffset + 10);
    const directorySize = tail.readUInt32LE(endOffset + 12);
    const directoryOffset = tail.readUInt32LE(endOffset + 16);
    if (directoryOffset === ZIP64_MARKER || directorySize === ZIP64_MARKER) {
      throw new UnreadableFileError('is a ZIP64 archive, which is not supported for workbooks');
    }
    if (directoryOffset + directorySize > tailStart + endOffset)
      throw damaged('its zip directory is cut short');
    const directory = await readAt(handle, directoryOffset, directorySize);
    return { path, entries: parseDirectory(directory, count) };
  } finally {
    await handle.close();
  }
}

/**
 * The inflated bytes of one entry, chunk by chunk. Checks the size and CRC
 * the directory declares, so a damaged part is an error, not a silent cut;
 * refuses before inflating anything a part declared larger than `bound` or
 * more compressed than any spreadsheet program writes, and stops as soon as
 * a part inflates past what it declared.
 */
export async function* readEntry(
  archive: ZipArchive,
  entry: ZipEntry,
  bound: PartBound,
): AsyncGenerator<Buffer> {
  checkDeclaredSize(entry, bound);
  const dataStart = await locateData(archive.path, entry);
  if (entry.compressedSize === 0) {
    if (entry.size !== 0) throw damaged(`part ${entry.name} is empty`);
    return;
  }
  const raw = createReadStream(archive.path, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  const bytes = entry.method === DEFLATED ? raw.pipe(createInflateRaw()) : raw;
  raw.on('error', (error) => bytes.destroy(error));
  let length = 0;
  let checksum = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > entry.size) {
        throw damaged(
          `part ${entry.name} inflates past the ${count(entry.size)} bytes its zip directory declares`,
        );
      }
      checksum = crc32(chunk, checksum);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw damaged(`part ${entry.name} does not decompress (${(error as Error).message})`);
  } finally {
    raw.destroy();
    bytes.destroy();
  }
  if (length !== entry.size || checksum !== entry.crc) throw damaged(`part ${entry.name} fails its checksum`);
}

/** The directory's word on a part is checked before inflating it; `readEntry` holds the part to that word. */
function checkDeclaredSize(entry: ZipEntry, bound: PartBound): void {
  if (entry.size > bound.maxBytes) {
    throw new UnreadableFileError(
      `is refused: its part ${entry.name} inflates to ${mebibytes(entry.size)}, past the ${mebibytes(bound.maxBytes)} allowed for ${bound.what}`,
    );
  }
  const ratio = entry.size / Math.max(1, entry.compressedSize);
  if (entry.size > RATIO_CHECKED_ABOVE_BYTES && ratio > MAX_COMPRESSION_RATIO) {
    throw new UnreadableFileError(
      `is refused: its part ${entry.name} inflates to ${Math.round(ratio)} times its compressed size, ` +
        `past the ${MAX_COMPRESSION_RATIO} times of any spreadsheet program (a zip bomb?)`,
    );
  }
}

function parseDirectory(directory: Buffer, count: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let offset = 0;
  for (let index = 0; index < count; index++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== DIRECTORY_ENTRY) {
      throw damaged('its zip directory is malformed');
    }
    const flags = directory.readUInt16LE(offset + 8);
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const entry: ZipEntry = {
      name: directory.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: directory.readUInt16LE(offset + 10),
      crc: directory.readUInt32LE(offset + 16),
      compressedSize: directory.readUInt32LE(offset + 20),
      size: directory.readUInt32LE(offset + 24),
      localHeaderOffset: directory.readUInt32LE(offset + 42),
    };
    if ((flags & 1) !== 0) throw new UnreadableFileError('is encrypted; save it without a password');
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw new UnreadableFileError(`uses zip compression method ${entry.method}, which is not supported`);
    }
    entries.set(entry.name, entry);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function locateData(path: string, entry: ZipEntry): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const header = await readAt(handle, entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) {
      throw damaged(`part ${entry.name} is missing`);
    }
    return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

function findEndOfDirectory(tail: Buffer): number {
  for (let offset = tail.length - END_OF_DIRECTORY_SIZE; offset >= 0; offset--) {
    if (tail.readUInt32LE(offset) === END_OF_DIRECTORY) return offset;
  }
  return -1;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function notAZip(head: Buffer): UnreadableFileError {
  if (head.equals(ZIP_START)) return damaged('the end of the zip archive is missing (truncated?)');
  if (head.equals(COMPOUND_FILE)) {
    return new UnreadableFileError(
      'is an old-style .xls workbook or a password-protected one; save it as .xlsx without a password',
    );
  }
  return new UnreadableFileError('is not an XLSX workbook (not a zip archive)');
}

function damaged(detail: string): UnreadableFileError {
  return new UnreadableFileError(`is damaged: ${detail}`);
}
