import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SandboxData } from './data.js';
import { normalizeSandboxData, SandboxDataError } from './normalize.js';

/** Reads and checks a data file; undefined when it does not exist yet (the sandbox then creates it on stop). */
export async function loadSandboxDataFile(path: string, now: string): Promise<SandboxData | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new SandboxDataError(`${path}: cannot be read (${code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SandboxDataError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return normalizeSandboxData(parsed, path, now);
}

/**
 * Writes the data as indented JSON through a temporary file in the same
 * folder and a rename, so a reader (or a crash) never sees half a file.
 */
export async function saveSandboxDataFile(path: string, data: SandboxData): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
