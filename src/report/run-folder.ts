import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `--report-dir/<UTC timestamp>-<command>/` (CONTRACT §7). The timestamp is ISO 8601 basic
 * format (`20261129T021500Z`), which sorts by time and holds no character a file system
 * refuses; a second run in the same second gets `-2`, `-3`… rather than mixing its files in.
 */
export function createRunFolder(reportDir: string, command: string, startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
  mkdirSync(reportDir, { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    const name = attempt === 1 ? `${stamp}-${command}` : `${stamp}-${command}-${attempt}`;
    const path = join(reportDir, name);
    try {
      mkdirSync(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
