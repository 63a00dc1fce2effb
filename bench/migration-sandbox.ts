/**
 * The sandbox of bench:migration: the real `omnize-sync sandbox` in its own process (so its CPU is
 * not billed to the product), with migration-server-counter.ts loaded into it to count the requests
 * it receives and how many are in flight at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killOnExit, stopChild } from './migration-children.js';

const BIN = new URL('../bin/omnize-sync.js', import.meta.url).pathname;
const COUNTER = new URL('./migration-server-counter.ts', import.meta.url).href;
const READY_TIMEOUT_MS = 20_000;
const COUNTS_TIMEOUT_MS = 10_000;

export interface ServerCounts {
  received: number;
  inFlightMax: number;
}

export interface CountedSandbox {
  baseUrl: string;
  authUrl: string;
  /** The counts since the previous call (or the start), then counting starts afresh. */
  takeCounts(): Promise<ServerCounts>;
  stop(): Promise<void>;
}

export async function startCountedSandbox(token: string): Promise<CountedSandbox> {
  // tsx only loads the TypeScript counter; the sandbox itself runs from the built dist/ as in production.
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      '--import',
      COUNTER,
      BIN,
      'sandbox',
      '--port',
      '0',
      '--token',
      token,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OMNIZE_LOG_LEVEL: 'warn' } },
  );
  killOnExit(child);
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((counts: ServerCounts) => void)[] = [];
  const urls = new Promise<{ baseUrl: string; authUrl: string }>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the sandbox exited (${code ?? signal})`)));
    lines.on('line', (line) => {
      const ready = /^OMNIZE_BASE_URL=(\S+) OMNIZE_AUTH_URL=(\S+)/.exec(line);
      if (ready !== null) resolve({ baseUrl: ready[1]!, authUrl: ready[2]! });
      const counts = /^SERVER_COUNTS received=(\d+) in_flight_max=(\d+)/.exec(line);
      if (counts !== null) waiting.shift()?.({ received: Number(counts[1]), inFlightMax: Number(counts[2]) });
    });
  });
  try {
    const { baseUrl, authUrl } = await withTimeout(urls, READY_TIMEOUT_MS, 'the sandbox did not start');
    return {
      baseUrl,
      authUrl,
      takeCounts: () => requestCounts(child, waiting),
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

function requestCounts(
  child: ChildProcess,
  waiting: ((counts: ServerCounts) => void)[],
): Promise<ServerCounts> {
  const answer = new Promise<ServerCounts>((resolve) => waiting.push(resolve));
  child.kill('SIGUSR2');
  return withTimeout(answer, COUNTS_TIMEOUT_MS, 'the sandbox did not report its counts');
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${milliseconds / 1000} s`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
