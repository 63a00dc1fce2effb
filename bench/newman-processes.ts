/**
 * The processes of bench:newman: the sandbox in its own process at the bench's latency (so its
 * CPU is not billed to either tool), and one timed command, spawn to exit. Children still alive
 * and temporary folders go away however the bench ends (migration-children.ts).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killOnExit, stopChild } from './migration-children.js';

const BIN = new URL('../bin/omnize-sync.js', import.meta.url).pathname;
const READY_TIMEOUT_MS = 20_000;
const OUTPUT_TAIL_BYTES = 4_000;
const DRAIN_TIMEOUT_MS = 5_000;

export interface RunningSandbox {
  baseUrl: string;
  authUrl: string;
  /** SIGTERM: the sandbox saves its data file, then exits. */
  stop(): Promise<void>;
}

export async function startSandbox(options: {
  token: string;
  latencyMs: number;
  dataFile: string;
}): Promise<RunningSandbox> {
  const flags = ['--port', '0', '--latency-ms', String(options.latencyMs), '--token', options.token];
  const child = spawn(process.execPath, [BIN, 'sandbox', ...flags, '--data', options.dataFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OMNIZE_LOG_LEVEL: 'warn' },
  });
  killOnExit(child);
  const lines = createInterface({ input: child.stdout! });
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<{ baseUrl: string; authUrl: string }>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the sandbox did not start within 20 s')), READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => reject(new Error(`the sandbox exited (${code ?? signal})`)));
    lines.on('line', (line) => {
      const urls = /^OMNIZE_BASE_URL=(\S+) OMNIZE_AUTH_URL=(\S+)/.exec(line);
      if (urls !== null) resolve({ baseUrl: urls[1]!, authUrl: urls[2]! });
    });
  });
  try {
    const urls = await ready;
    return { ...urls, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export interface TimedCommand {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Keep all of standard error (the debug run's log lines); otherwise only its tail, to explain a failure. */
  keepStderr?: boolean;
}

export interface TimedRun {
  /** The exit code, the signal's name, or 'timeout' when the bench ended it. */
  exit: string;
  wallMs: number;
  stderr: string;
}

/** Runs the command from spawn to exit; standard output (the plan, newman's report) is not kept. */
export async function runTimed(command: TimedCommand): Promise<TimedRun> {
  const started = performance.now();
  const child = spawn(command.command, command.args, {
    cwd: command.cwd,
    env: command.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  killOnExit(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
    if (command.keepStderr !== true) stderr = stderr.slice(-OUTPUT_TAIL_BYTES);
  });
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, command.timeoutMs);
  const [code, signal, wallMs] = await new Promise<[number | null, NodeJS.Signals | null, number]>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, exitSignal) => {
        const ended: [number | null, NodeJS.Signals | null, number] = [
          exitCode,
          exitSignal,
          performance.now() - started,
        ];
        // The last of standard error may still be on its way after 'exit': wait for 'close', a bounded while.
        const drained = setTimeout(() => resolve(ended), DRAIN_TIMEOUT_MS);
        child.once('close', () => {
          clearTimeout(drained);
          resolve(ended);
        });
      });
    },
  ).finally(() => clearTimeout(killer));
  return { exit: timedOut ? 'timeout' : String(code ?? signal), wallMs, stderr };
}
