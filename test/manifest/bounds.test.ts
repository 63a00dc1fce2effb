import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, loadManifest } from '../../src/manifest/index.js';
import { MAX_MARKUP_BYTES } from '../../src/manifest/limits.js';
import { workbookParts, writeZip } from './support/raw-xlsx.js';

/**
 * Files past the bounds of src/manifest/limits.ts, made here and deleted
 * after each test: each is refused with one error naming the file (and the
 * sheet and row where there is one), as `validate` prints it.
 */

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'omnize-bounds-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The problems of a manifest file written by `write`, loaded as `validate` would; the file is deleted after. */
async function problems(name: string, write: (path: string) => Promise<void>): Promise<string[]> {
  const path = join(folder, name);
  await write(path);
  try {
    const loaded = await loadManifest([name], { cwd: folder });
    expect(loaded.desired).toBeUndefined();
    return loaded.problems.map(formatProblem);
  } finally {
    await rm(path, { force: true });
  }
}

/** The header row of an `agents` sheet, so that a sheet's only problem is the one a test makes. */
const HEADER = `<row r="1">${['account', 'email', 'name'].map((name) => `<c t="inlineStr"><is><t>${name}</t></is></c>`).join('')}</row>`;

describe('the XML scanner', () => {
  it('refuses a tag longer than MAX_MARKUP_BYTES (the markup bound)', async () => {
    const rows = `${HEADER}<row r="2" spans="${'1'.repeat(2 * MAX_MARKUP_BYTES)}"></row>`;
    expect(
      await problems('tag.xlsx', (path) => writeZip(path, workbookParts([{ name: 'agents', rows }]))),
    ).toEqual([
      'tag.xlsx:agents: error: is refused: its part xl/worksheets/sheet1.xml has a tag or comment longer than 1 MiB, which no spreadsheet program writes',
    ]);
  });
});
