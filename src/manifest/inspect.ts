import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UnreadableFileError } from './unreadable.js';

/** What one pass over a file's bytes tells before it is parsed. */
export interface FileFacts {
  size: number;
  /** SHA-256 (hex) of the whole file. */
  sha256: string;
  /** The first bytes, for sniffing the format, the encoding and the delimiter. */
  head: Buffer;
  /** Whether every byte sequence is valid UTF-8 (checked only when asked). */
  utf8: boolean;
}

const HEAD_SIZE = 64 * 1024;

/**
 * Reads the file once as a stream: its digest, its size, its first bytes
 * and, for text, whether it is valid UTF-8 — deciding the encoding from the
 * whole file, not from a sample that an accented name on row 90 000 would
 * contradict.
 */
export async function inspectFile(path: string, checkUtf8: boolean): Promise<FileFacts> {
  const hash = createHash('sha256');
  const utf8 = checkUtf8 ? new Utf8Check() : undefined;
  let size = 0;
  const headChunks: Buffer[] = [];
  let headSize = 0;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (headSize < HEAD_SIZE) {
        headChunks.push(chunk);
        headSize += chunk.length;
      }
      utf8?.update(chunk);
    }
  } catch (error) {
    throw unreadable(error);
  }
  const head = Buffer.concat(headChunks).subarray(0, HEAD_SIZE);
  return { size, sha256: hash.digest('hex'), head, utf8: utf8?.valid() ?? false };
}

/** Checks UTF-8 chunk by chunk without decoding, carrying a character cut at a chunk's end to the next. */
class Utf8Check {
  private ok = true;
  private carry = Buffer.alloc(0);

  update(chunk: Buffer): void {
    if (!this.ok) return;
    const bytes = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const complete = completeLength(bytes);
    this.ok = isUtf8(bytes.subarray(0, complete));
    this.carry = Buffer.from(bytes.subarray(complete));
  }

  valid(): boolean {
    return this.ok && this.carry.length === 0;
  }
}

/** The length of `bytes` without a multi-byte character whose last bytes are still to come. */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function unreadable(error: unknown): UnreadableFileError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new UnreadableFileError('does not exist');
    case 'EACCES':
    case 'EPERM':
      return new UnreadableFileError('cannot be read: permission denied');
    case 'EISDIR':
      return new UnreadableFileError('is a folder, not a file');
    default:
      return new UnreadableFileError(`cannot be read (${code ?? (error as Error).message})`);
  }
}
