/**
 * `npm run bench:bombs [-- --timeout SECONDS] [--only FILE-NAME-PART]`: issue 10's two bombs, and
 * the variants that get past the zip directory's sizes, through the real
 * CLI (`node bin/omnize-sync.js validate FILE`, so run `npm run build`
 * first). For each: wall time, peak RSS of the child (VmHWM from
 * /proc/<pid>/status, sampled every 10 ms), exit code and the first problem
 * printed. Goals (issue 10): the shared-string bomb refused within 5 s and
 * the 2,000,000-row sheet within 10 s, both in at most 256 MiB.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCsvRows, writeRowBomb, writeSharedStringBomb } from '../test/manifest/support/bombs.js';

const PROJECT = new URL('../', import.meta.url).pathname;
const CLI = join(PROJECT, 'bin/omnize-sync.js');
const SAMPLE_MILLISECONDS = 10;
const PEAK_GOAL_MEBIBYTES = 256;

interface Bomb {
  label: string;
  /** Seconds allowed by issue 10, for the table's two bombs. */
  goalSeconds?: number;
  write: (path: string) => Promise<void>;
  file: string;
}

const BOMBS: Bomb[] = [
  {
    label: 'one shared string of 1.5 GiB',
    goalSeconds: 5,
    file: 'strings.xlsx',
    write: (path) => writeSharedStringBomb(path),
  },
  {
    label: '  the same, its directory claiming 1 MiB',
    file: 'strings-lying.xlsx',
    write: (path) => writeSharedStringBomb(path, { declaredSize: 1024 * 1024 }),
  },
  {
    label: 'a sheet of 2,000,000 agent rows',
    goalSeconds: 10,
    file: 'rows.xlsx',
    write: (path) => writeRowBomb(path),
  },
  {
    label: '  2,000,000 blank rows, not numbered',
    file: 'rows-blank.xlsx',
    write: (path) => writeRowBomb(path, { content: 'blank', references: false }),
  },
  {
    label: '2,000,000 agent rows in agents.csv',
    file: 'agents.csv',
    write: (path) =>
      writeCsvRows(path, 2_000_000, (index) => `4242;agente${index}@acme.com.br;Agente ${index}`),
  },
];

interface Run {
  seconds: number;
  peakMebibytes: number;
  code: number | null;
  firstLine: string;
  timedOut: boolean;
}

/** Peak RSS so far of a running process, in MiB; undefined once it has gone. */
function highWaterMark(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function validate(path: string, timeoutSeconds: number): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'validate', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  let peakMebibytes = 0;
  const sampler = setInterval(() => {
    peakMebibytes = Math.max(peakMebibytes, highWaterMark(child.pid ?? 0) ?? 0);
  }, SAMPLE_MILLISECONDS);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutSeconds * 1000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, peakMebibytes, code, firstLine: output.split('\n')[0] ?? '', timedOut };
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a number > 0`);
  return value;
}

function report(bomb: Bomb, bytes: number, run: Run): string {
  const size = `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const time = run.timedOut ? `> ${run.seconds.toFixed(0)} s (killed)` : `${run.seconds.toFixed(2)} s`;
  const goal =
    bomb.goalSeconds === undefined
      ? ''
      : run.code === 1 && run.seconds <= bomb.goalSeconds && run.peakMebibytes <= PEAK_GOAL_MEBIBYTES
        ? `  met (≤ ${bomb.goalSeconds} s, ≤ ${PEAK_GOAL_MEBIBYTES} MiB)`
        : `  MISSED (≤ ${bomb.goalSeconds} s, ≤ ${PEAK_GOAL_MEBIBYTES} MiB)`;
  return [
    `${bomb.label.padEnd(46)} ${size.padStart(10)} ${time.padStart(20)} ${run.peakMebibytes.toFixed(0).padStart(5)} MiB  exit ${run.code ?? '-'}${goal}`,
    `    ${run.firstLine.slice(0, 160)}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const timeoutSeconds = argument('timeout', 150);
  const folder = await mkdtemp(join(tmpdir(), 'omnize-bench-bombs-'));
  try {
    process.stdout.write(`${'bomb'.padEnd(46)} ${'on disk'.padStart(10)} ${'wall'.padStart(20)}  peak RSS\n`);
    const only = process.argv.indexOf('--only');
    const chosen =
      only < 0 ? BOMBS : BOMBS.filter((bomb) => bomb.file.includes(process.argv[only + 1] ?? ''));
    for (const bomb of chosen) {
      const path = join(folder, bomb.file);
      await bomb.write(path);
      const { size } = await stat(path);
      process.stdout.write(`${report(bomb, size, await validate(path, timeoutSeconds))}\n`);
      await rm(path);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
