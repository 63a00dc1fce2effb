import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseAccountId } from '../../src/cli/state-run.js';
import { UsageError } from '../../src/errors.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'omnize-state-args-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the CLI in this process with captured streams (argument checks need no child process). */
async function state(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  const code = await runCli(['state', ...args, '--state', join(folder, 's.db')], {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
    cwd: folder,
  });
  return {
    code,
    stdout: Buffer.concat(chunks.stdout).toString(),
    stderr: Buffer.concat(chunks.stderr).toString(),
  };
}

describe('omnize-sync state arguments', () => {
  it('takes only positive whole numbers as Omnize IDs', () => {
    expect(parseAccountId('4242')).toBe(4242);
    expect(parseAccountId(' 7 ')).toBe(7);
    for (const text of ['0', '-3', 'abc', '12abc', '1.5', '1e3', '0x10', '', '99999999999999999999']) {
      expect(() => parseAccountId(text)).toThrow(UsageError);
    }
  });

  it('rejects an unknown action and misplaced or missing arguments with exit 1', async () => {
    const cases: [string[], RegExp][] = [
      [['purge'], /Invalid values|Choices/i],
      [['list', 'acme'], /state list takes no KEY/],
      [['show'], /state show needs a KEY/],
      [['forget', '  '], /state forget needs a KEY/],
      [['adopt', 'acme'], /state adopt needs an ID/],
      [['forget', 'acme', '5'], /state forget takes no ID/],
      [['adopt', 'acme', '0'], /ID must be a positive whole number/],
    ];
    for (const [args, message] of cases) {
      const result = await state(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});
