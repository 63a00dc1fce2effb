import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;

/** Runs the built CLI the way a partner does, through the package's bin entry. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

async function cliWith(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runProgram(BIN, { env: { ...process.env, NO_COLOR: '1', ...env } }, args);
}

/** Runs the program at `bin` from the folder `cwd`. */
async function cliIn(
  bin: string,
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runProgram(bin, { cwd }, args);
}

async function runProgram(
  bin: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], options);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('omnize-sync --help', () => {
  it('lists every command of the contract', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    for (const command of ['validate', 'plan', 'apply', 'sandbox', 'login-links', 'widget', 'state']) {
      expect(stdout).toMatch(new RegExp(`omnize-sync ${command}\\b`));
    }
  });

  it.each(['plan', 'apply', 'login-links'])(
    'lists --account and --account-id for %s (CONTRACT §12)',
    async (command) => {
      const { code, stdout } = await cli(command, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(/--account\s.*manifest key \(repeatable\)/);
      expect(stdout).toMatch(/--account-id\s.*Omnize account ID \(repeatable\)/);
    },
  );

  it("speaks English on a Brazilian machine: yargs' own messages do not follow LANG", async () => {
    const { code, stderr } = await cliWith({ LANG: 'pt_BR.UTF-8', LC_ALL: 'pt_BR.UTF-8' }, 'plan');
    expect(code).toBe(1);
    expect(stderr).toBe('omnize-sync: Not enough non-option arguments: got 0, need at least 1\n');
  });

  it('rejects an unknown command with exit 1', async () => {
    const { code, stderr } = await cli('frobnicate');
    expect(code).toBe(1);
    expect(stderr).toMatch(/frobnicate/);
  });

  it('has no --token flag: a token on the command line would leak into process listings', async () => {
    const { code, stderr } = await cli('validate', 'x.csv', '--token', 'abcd');
    expect(code).toBe(1);
    expect(stderr).toMatch(/Unknown argument/i);
  });

  it('prints its own version, not that of the project it is run from, installed or not', async () => {
    const ours = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    const folder = mkdtempSync(join(tmpdir(), 'omnize-version-'));
    try {
      const project = join(folder, 'partner-scripts');
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'partner-scripts', version: '9.9.9' }),
      );
      expect(await cliIn(BIN, project, '--version')).toEqual({ code: 0, stdout: `${ours}\n`, stderr: '' });
      // As `npm install -g` lays it out: the package inside a node_modules folder whose parent has no package.json.
      const installed = join(folder, 'lib/node_modules/omnize-sync');
      for (const part of ['bin', 'dist/bundle', 'package.json']) {
        cpSync(new URL(`../../${part}`, import.meta.url), join(installed, part), { recursive: true });
      }
      symlinkSync(new URL('../../node_modules', import.meta.url).pathname, join(installed, 'node_modules'));
      const installedBin = join(installed, 'bin/omnize-sync.js');
      expect(await cliIn(installedBin, project, '--version')).toEqual({
        code: 0,
        stdout: `${ours}\n`,
        stderr: '',
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
