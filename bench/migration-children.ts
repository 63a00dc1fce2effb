/**
 * What bench:migration leaves behind must go away however it ends: a thrown error, a timeout, or
 * Ctrl-C / SIGTERM while a 90-second apply runs. Children still alive are killed and the temporary
 * folders removed, synchronously, on the way out of the process.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const STOP_GRACE_MS = 5_000;
const liveChildren = new Set<ChildProcess>();
const temporaryFolders = new Set<string>();

export function killOnExit(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

export function removeOnExit(folder: string): void {
  temporaryFolders.add(folder);
}

export function removeNow(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  temporaryFolders.delete(folder);
}

/** SIGTERM, then SIGKILL when it has not exited after a grace period; resolves once it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function cleanUpNow(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
}

process.once('exit', cleanUpNow);
for (const [signal, exitCode] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench:migration: ${signal}, stopping the children and removing temporary files\n`);
    process.exit(exitCode);
  });
}
