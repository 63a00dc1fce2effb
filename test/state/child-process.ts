import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface, type Interface } from 'node:readline';

const CHILD = new URL('./store-child.ts', import.meta.url).pathname;

/** A store-child process and a way to talk to it, one JSON line each way. */
export interface StoreChild {
  pid: number;
  send(command: object): Promise<unknown>;
  /** Ends the child the hard way (kill -9) and waits until the system has reaped it. */
  crash(): Promise<void>;
  /** Closes its stdin and waits for it to exit. */
  finish(): Promise<void>;
}

export async function startStoreChild(statePath: string): Promise<StoreChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, statePath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async () => JSON.parse(((await iterator.next()).value as string) ?? 'null') as unknown;
  await next();
  return {
    pid: child.pid!,
    async send(command) {
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      return next();
    },
    crash: () => end(child, lines, () => child.kill('SIGKILL')),
    finish: () => end(child, lines, () => child.stdin!.end()),
  };
}

async function end(child: ChildProcess, lines: Interface, stop: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  stop();
  await exited;
  lines.close();
}

/** The pid of a process that has exited and been reaped: certainly not alive. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}
