import { closeSync, openSync, writeSync } from 'node:fs';

/** Bytes gathered before one write: large enough for few syscalls, small enough to stay flat in memory. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes a file piece by piece: report files of a 100,000-agent run are tens of megabytes, and
 * building each as one string held it (and its copies) in memory at once. Synchronous, so the
 * report is complete when the run says so.
 */
export class ChunkedFileWriter {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= CHUNK_BYTES) this.flush();
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** Opens `path`, lets `fill` write into it, and closes it even when `fill` throws. */
export function writeFileInChunks(path: string, fill: (writer: ChunkedFileWriter) => void): void {
  const writer = new ChunkedFileWriter(path);
  let failed = true;
  try {
    fill(writer);
    failed = false;
  } finally {
    if (failed) closeQuietly(writer);
    else writer.close();
  }
}

function closeQuietly(writer: ChunkedFileWriter): void {
  try {
    writer.close();
  } catch {
    // The first error is the one to report.
  }
}
