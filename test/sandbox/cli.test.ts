import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { jsonOf } from './helpers.js';

// The running-server tests use the built CLI (`npm run build` first; `npm test` does it).
const BIN = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;

/** The environment without any OMNIZE_* setting of the machine running the tests. */
function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OMNIZE_')) env[key] = value;
  return { ...env, ...extra };
}

interface Started {
  child: ChildProcessWithoutNullStreams;
  baseUrl: string;
  authUrl: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts `omnize-sync sandbox …` and resolves once it printed its URL line. */
function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnvironment()): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const line = /^OMNIZE_BASE_URL=(\S+) OMNIZE_AUTH_URL=(\S+)\n/.exec(stdout);
      if (line !== null) resolve({ child, baseUrl: line[1]!, authUrl: line[2]!, stderr: () => stderr, exit });
    });
    void exit.then((code) => reject(new Error(`sandbox exited with ${code} before it listened: ${stderr}`)));
  });
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'omnize-sandbox-cli-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('omnize-sync sandbox', () => {
  it('prints its URLs, serves the API with --token, and on SIGTERM saves --data and exits 0', async () => {
    const data = join(folder, 'data.json');
    const token = 'cli-sandbox-token-91f3';
    const sandbox = await startCli(['--port', '0', '--data', data, '--token', token, '--log-level', 'debug']);
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(sandbox.authUrl).toBe(sandbox.baseUrl.replace('/api/v1', '/authentication'));
    const created = await fetch(`${sandbox.baseUrl}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token,
        license_quantity: 3,
        account: { email: 'cli@acme.com.br', main_contact: 'Cláudia' },
      }),
    });
    expect((await jsonOf(created)).data).toMatchObject({ id: 1000, ativo: 1 });
    const listed = await fetch(`${sandbox.baseUrl}/departments?token=${token}&account_id=1000`);
    expect(await jsonOf(listed)).toEqual({ status: 200, success: true, data: [] });
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exit).toBe(0);
    const saved = JSON.parse(await readFile(data, 'utf8'));
    expect(saved.accounts[0]).toMatchObject({ id: 1000, main_contact: 'Cláudia', license_quantity: 3 });
    // Requests are logged at debug, without the token.
    expect(sandbox.stderr()).toContain('/api/v1/departments?account_id=1000');
    expect(sandbox.stderr()).not.toContain(token);
  });

  it('accepts OMNIZE_TOKEN when --token is not given, and stops on SIGINT too', async () => {
    const sandbox = await startCli(
      ['--port', '0'],
      cleanEnvironment({ OMNIZE_TOKEN: 'from-the-environment' }),
    );
    const answer = await fetch(`${sandbox.baseUrl}/agents?token=from-the-environment&account_id=1`);
    expect((await jsonOf(answer)).errors).toBe('Account not found');
    sandbox.child.kill('SIGINT');
    expect(await sandbox.exit).toBe(0);
  });

  it('answers "Invalid token" to anything but sandbox-token when no token is configured', async () => {
    const sandbox = await startCli(['--port', '0']);
    const wrong = await fetch(`${sandbox.baseUrl}/agents?token=other&account_id=1`);
    const right = await fetch(`${sandbox.baseUrl}/agents?token=sandbox-token&account_id=1`);
    expect((await jsonOf(wrong)).errors).toBe('Invalid token');
    expect((await jsonOf(right)).errors).toBe('Account not found');
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exit).toBe(0);
  });

  it.each([
    [['--port', '70000'], /--port: must be a whole number from 0 to 65535/],
    [['--port', 'abc'], /--port/],
    [['--fail-rate', '1.5'], /--fail-rate: must be a number from 0 to 1/],
    [['--latency-ms', '-5'], /--latency-ms/],
    [['--rate-limit', '2.5'], /--rate-limit/],
    [['--token', ''], /--token/],
  ])('refuses %j with exit 1', async (args, message) => {
    const { code, stderr } = await runInProcess(['sandbox', ...args]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it('refuses a --data file that is not a valid data set, with exit 1', async () => {
    const data = join(folder, 'broken.json');
    await writeFile(data, JSON.stringify({ accounts: [{ id: 'x' }] }));
    const { code, stderr } = await runInProcess(['sandbox', '--port', '0', '--data', data]);
    expect(code).toBe(1);
    expect(stderr).toContain('accounts[0].id');
  });
});

/** Runs the CLI in this process (for refusals, which return before anything listens). */
async function runInProcess(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await runCli(argv, {
    stdout: sink(() => {}),
    stderr: sink((text) => {
      stderr += text;
    }),
    stdin: Readable.from([]),
    env: cleanEnvironment(),
    cwd: folder,
  });
  return { code, stderr };
}
