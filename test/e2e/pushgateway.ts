import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUSHGATEWAY } from '../real-tools.js';

/** A real Pushgateway (Debian's prometheus-pushgateway) on a free loopback port, in memory only. */
export interface RunningPushgateway {
  url: string;
  /** The gateway's own /metrics: what was pushed, as Prometheus would scrape it. */
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startPushgateway(): Promise<RunningPushgateway> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'omnize-pushgateway-'));
  const child: ChildProcess = spawn(
    PUSHGATEWAY,
    [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'],
    { cwd, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const failedToStart = new Promise<never>((_, reject) => child.on('error', reject));
  // Raced below while starting; a later error must not be an unhandled rejection.
  failedToStart.catch(() => undefined);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await Promise.race([
      fetch(`${url}/-/ready`).then(
        (answer) => answer.ok,
        () => false,
      ),
      failedToStart,
    ]);
    if (ready) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the Pushgateway did not start: ${stderr}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    url,
    async scrape() {
      return (await fetch(`${url}/metrics`)).text();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** The value of one sample of a scrape, e.g. `omnize_sync_last_run_exit_code{command="apply",…}`; undefined when absent. */
export function sampleValue(
  scrape: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const labelText = line.slice(name.length + 1, close);
    const found = Object.fromEntries(
      [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(line.slice(close + 1).trim());
    }
  }
  return undefined;
}
