/**
 * Runs one product command as a child process and measures it from outside through /proc, so the
 * measuring costs the product nothing and the figures are the whole process's (all its threads).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { killOnExit } from './migration-children.js';

const SAMPLE_INTERVAL_MS = 50;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
const STDERR_TAIL_BYTES = 4_000;

export interface Measured {
  /** The exit code, or the signal name when a signal ended it ('timeout' when we ended it). */
  exit: string;
  wallSeconds: number;
  /** The last VmHWM sampled: the high-water mark of the resident set, so the peak up to that sample. */
  peakRssBytes: number;
  /**
   * User + system CPU of the child. Exact from our own cutime + cstime, which the kernel adds the
   * child's CPU to when it is reaped; the sandbox, our only other child, is reaped only at the end.
   */
  cpuSeconds: number;
  /** utime + stime at the last sample, a check on `cpuSeconds` (it misses at most one interval). */
  sampledCpuSeconds: number;
  stderrTail: string;
  /** The 1-minute load average at the start and at the end: on a shared machine, what the wall time means. */
  loadAverage: [number, number];
}

export interface CommandToMeasure {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export async function runMeasured(command: CommandToMeasure): Promise<Measured> {
  const loadBefore = loadavg()[0]!;
  const reapedBefore = reapedChildrenCpuSeconds();
  const started = performance.now();
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: command.env,
    // stdout holds the readable plan of 100k actions: not ours to keep; stderr is kept to explain a failure.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  killOnExit(child);
  let stderrTail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  let peakRssBytes = 0;
  let sampledCpuSeconds = 0;
  const sample = () => {
    const figures = readProcess(child.pid!);
    if (figures === undefined) return;
    peakRssBytes = Math.max(peakRssBytes, figures.highWaterRssBytes);
    sampledCpuSeconds = figures.cpuSeconds;
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_INTERVAL_MS);
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, command.timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearTimeout(killer);
  return {
    exit: timedOut ? 'timeout' : String(code ?? signal),
    wallSeconds,
    peakRssBytes,
    cpuSeconds: reapedChildrenCpuSeconds() - reapedBefore,
    sampledCpuSeconds,
    stderrTail,
    loadAverage: [loadBefore, loadavg()[0]!],
  };
}

/** VmHWM and utime + stime of a live process; undefined once it has exited. */
function readProcess(pid: number): { highWaterRssBytes: number; cpuSeconds: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const highWater = /^VmHWM:\s+(\d+) kB/m.exec(status);
    // A zombie has no memory lines left; its last live sample stands.
    if (highWater === null) return undefined;
    const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const cpuTicks = Number(fields[14]) + Number(fields[15]);
    return { highWaterRssBytes: Number(highWater[1]) * 1024, cpuSeconds: cpuTicks / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** cutime + cstime of this process: the CPU of its children that have exited and been reaped. */
function reapedChildrenCpuSeconds(): number {
  const fields = statFields(readFileSync('/proc/self/stat', 'utf8'));
  return (Number(fields[16]) + Number(fields[17])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * The fields of /proc/<pid>/stat by their 1-based number in proc(5). The command name (field 2)
 * may hold spaces and parentheses, so the split starts after its last ')'.
 */
function statFields(stat: string): string[] {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ['', '', '', ...rest];
}
