import { closeSync, openSync, writeSync } from 'node:fs';

/** Bytes gathered before one write: large enough for few syscalls, small enough to stay flat in memory. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Gathers small writes into chunks for `emit`: report files of a 100,000-agent run are tens of
 * megabytes, and building each as one string held it (and its copies) in memory at once.
 */
export class ChunkedWriter {
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(private readonly emit: (text: string) => void) {}

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= CHUNK_BYTES) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    this.emit(text);
  }
}

/** A file written piece by piece. Synchronous, so the report is complete when the run says so. */
export class ChunkedFileWriter extends ChunkedWriter {
  constructor(private readonly fd: number) {
    super((text) => writeSync(fd, text));
  }

  static open(path: string): ChunkedFileWriter {
    return new ChunkedFileWriter(openSync(path, 'w'));
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Opens `path`, lets `fill` write into it, and closes it even when `fill` throws. */
export function writeFileInChunks(path: string, fill: (writer: ChunkedFileWriter) => void): void {
  const writer = ChunkedFileWriter.open(path);
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
