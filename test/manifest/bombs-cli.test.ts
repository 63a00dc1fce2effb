import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRowBomb, writeSharedStringBomb } from './support/bombs.js';

/**
 * Issue 10's two bombs through the real CLI, as a partner runs it (so
 * `npm run build` first). Their time and memory are measured by
 * `npm run bench:bombs`, not asserted here.
 */

const CLI = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'omnize-bombs-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** `validate FILE` run from the bomb's folder; the bomb is deleted after. */
async function validate(name: string, write: (path: string) => Promise<void>) {
  const path = join(folder, name);
  await write(path);
  try {
    return await promisify(execFile)(process.execPath, [CLI, 'validate', name], { cwd: folder }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      ({ code, stdout, stderr }: { code: number; stdout: string; stderr: string }) => ({
        code,
        stdout,
        stderr,
      }),
    );
  } finally {
    await rm(path, { force: true });
  }
}

describe('validate refuses the bombs of issue 10', () => {
  it('a workbook whose one shared string inflates to 1.5 GiB: refused by the shared strings bound', async () => {
    expect(await validate('strings.xlsx', (path) => writeSharedStringBomb(path))).toEqual({
      code: 1,
      stdout:
        'strings.xlsx: error: is refused: its part xl/sharedStrings.xml inflates to 1,536 MiB, past the 64 MiB allowed for the shared strings\n' +
        '1 error, 0 warnings in 1 file\n',
      stderr: '',
    });
  });

  it('the same with a directory that lies about its size: refused by the cell bound as it inflates', async () => {
    const lying = (path: string) => writeSharedStringBomb(path, { declaredSize: 1024 * 1024 });
    expect(await validate('lying.xlsx', lying)).toEqual({
      code: 1,
      stdout:
        "lying.xlsx: error: is refused: item 1 of its shared strings (xl/sharedStrings.xml) is longer than Excel's 32,767 characters per cell, which no spreadsheet program writes\n" +
        '1 error, 0 warnings in 1 file\n',
      stderr: '',
    });
  });

  it('a sheet of 2,000,000 valid agent rows: refused by the row count', async () => {
    expect(await validate('rows.xlsx', (path) => writeRowBomb(path))).toEqual({
      code: 1,
      stdout:
        "rows.xlsx:agents: error: the sheet has more rows than Excel's 1,048,576, which no spreadsheet program writes; the file is not read\n" +
        '1 error, 0 warnings in 1 file\n',
      stderr: '',
    });
  });
});
