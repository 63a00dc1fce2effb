import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RunningSandbox,
  type SandboxDataInput,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.js';

/**
 * End-to-end tests drive the real CLI (the package's bin entry, as a partner runs it) against
 * the real sandbox on loopback, with a real SQLite state file in a temp folder.
 */
export const BIN = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;
export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
export const TOKEN = 'e2e-partner-token-0123456789';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface World {
  dir: string;
  sandbox: RunningSandbox;
  env: NodeJS.ProcessEnv;
  statePath: string;
  reportDir: string;
  /** Runs the CLI to its end, in the world's folder unless `cwd` says otherwise. */
  cli(args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string }): Promise<CliRun>;
  /** Starts the CLI and hands the child back, for signal tests. */
  spawnCli(
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; cwd?: string },
  ): { child: ChildProcess; done: Promise<CliRun> };
  /** Copies a fixture (file or folder) into the world's folder and returns its path there. */
  fixture(relativePath: string): string;
  /** The run folders under the report dir, oldest first. */
  reports(): string[];
  close(): Promise<void>;
}

export async function createWorld(options: Partial<SandboxOptions> = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'omnize-e2e-'));
  const sandbox = await startSandbox({ port: 0, token: TOKEN, ...options });
  const statePath = join(dir, 'state.db');
  const reportDir = join(dir, 'reports');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    OMNIZE_TOKEN: TOKEN,
    OMNIZE_BASE_URL: sandbox.baseUrl,
    OMNIZE_AUTH_URL: sandbox.authUrl,
    OMNIZE_STATE: statePath,
    OMNIZE_REPORT_DIR: reportDir,
    OMNIZE_LOG_FORMAT: 'json',
  };
  const spawnCli: World['spawnCli'] = (args, runOptions = {}) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: runOptions.cwd ?? dir,
      env: { ...env, ...runOptions.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const done = new Promise<CliRun>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    return { child, done };
  };
  return {
    dir,
    sandbox,
    env,
    statePath,
    reportDir,
    spawnCli,
    async cli(args, runOptions = {}) {
      const { child, done } = spawnCli(args, runOptions);
      child.stdin?.end(runOptions.input ?? '');
      return done;
    },
    fixture(relativePath) {
      const target = join(dir, relativePath.split('/').at(-1)!);
      cpSync(join(FIXTURES, relativePath), target, { recursive: true });
      return target;
    },
    reports() {
      try {
        return readdirSync(reportDir)
          .sort()
          .map((name) => join(reportDir, name));
      } catch {
        return [];
      }
    },
    async close() {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The write requests (POST/PUT/DELETE) the sandbox received. */
export function writesOf(sandbox: RunningSandbox) {
  return sandbox.requests.filter((request) => request.method !== 'GET');
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The sandbox data of fixtures/sandbox/demo.json: the live state the demo roster was written against. */
export const DEMO_SEED = readJson<SandboxDataInput>(join(FIXTURES, 'sandbox/demo.json'));

/** A world whose sandbox holds the demo data and whose folder holds the demo roster as `demo/`. */
export async function createDemoWorld(options: Partial<SandboxOptions> = {}): Promise<World> {
  const world = await createWorld({ seed: DEMO_SEED, ...options });
  world.fixture('demo');
  return world;
}
