/** How bench:migration prints its figures: a block per command as it ends, one table at the end. */
import { availableParallelism } from 'node:os';
import type { Measured } from './migration-measure.js';
import type { ServerCounts } from './migration-sandbox.js';

/** One measured command, with what the server and the run's own report say about it. */
export interface RunFigures {
  agents: number;
  command: 'apply' | 'plan';
  measured: Measured;
  server: ServerCounts;
  /** What summary.json says, when the run wrote one. */
  summary: { exitCode?: number; actions?: number; requests?: number } | undefined;
  /** Every file of the run's report folder, by name, in bytes. */
  reportFiles: Map<string, number>;
}

const MEBIBYTE = 1024 * 1024;
const REPORT_FILE_ORDER = ['summary.json', 'results.csv', 'plan.json', 'report.html', 'rejected.xlsx'];

export function printRun(run: RunFigures): void {
  const { measured, server, summary } = run;
  const [loadBefore, loadAfter] = measured.loadAverage.map((load) => load.toFixed(1));
  console.log(
    `\n${run.agents.toLocaleString('en')} agents · ${run.command}: exit ${measured.exit} ` +
      `(load average ${loadBefore} → ${loadAfter} on ${availableParallelism()} cores)`,
  );
  console.log(
    `  wall ${measured.wallSeconds.toFixed(1)} s; ${server.received.toLocaleString('en')} requests at the server ` +
      `(summary.json: ${summary?.requests?.toLocaleString('en') ?? 'none'}), ${requestsPerSecond(run).toFixed(0)} requests/s`,
  );
  console.log(
    `  peak RSS ${mebibytes(measured.peakRssBytes)} MiB; in flight at the server at most ${server.inFlightMax}; ` +
      `actions ${summary?.actions?.toLocaleString('en') ?? '?'}`,
  );
  console.log(
    `  CPU ${measured.cpuSeconds.toFixed(2)} s (last sample ${measured.sampledCpuSeconds.toFixed(2)} s), ` +
      `${cpuMillisecondsPerRequest(run)} ms per request`,
  );
  const files = [...orderedFiles([run])].map((file) => `${file} ${fileSize(run.reportFiles.get(file))}`);
  console.log(`  report files: ${files.length === 0 ? 'none' : files.join(', ')}`);
  // A failure is shown, not hidden: its last words are what explains it.
  if (measured.exit !== '0' && measured.stderrTail !== '') {
    console.log(`  stderr (last lines):\n${indent(measured.stderrTail.trimEnd())}`);
  }
}

export function printTable(runs: RunFigures[]): void {
  const files = [...orderedFiles(runs)];
  const header = [
    'agents',
    'command',
    'exit',
    'wall s',
    'requests',
    'req/s',
    'peak RSS MiB',
    'in flight max',
    'CPU ms/req',
    ...files,
  ];
  const rows = runs.map((run) => [
    run.agents.toLocaleString('en'),
    run.command,
    run.measured.exit,
    run.measured.wallSeconds.toFixed(1),
    run.server.received.toLocaleString('en'),
    requestsPerSecond(run).toFixed(0),
    mebibytes(run.measured.peakRssBytes),
    String(run.server.inFlightMax),
    cpuMillisecondsPerRequest(run),
    ...files.map((file) => fileSize(run.reportFiles.get(file))),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)));
  console.log('');
  console.log(line(header).join('  '));
  for (const row of rows) console.log(line(row).join('  '));
}

function requestsPerSecond(run: RunFigures): number {
  return run.server.received / run.measured.wallSeconds;
}

function cpuMillisecondsPerRequest(run: RunFigures): string {
  if (run.server.received === 0) return '-';
  return ((run.measured.cpuSeconds * 1000) / run.server.received).toFixed(3);
}

/** The report files of the contract first, in its order, then any other file a run wrote. */
function orderedFiles(runs: RunFigures[]): Set<string> {
  const present = new Set(runs.flatMap((run) => [...run.reportFiles.keys()]));
  const known = REPORT_FILE_ORDER.filter((file) => present.has(file));
  return new Set([...known, ...[...present].sort()]);
}

function mebibytes(bytes: number): string {
  return (bytes / MEBIBYTE).toFixed(0);
}

function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} B`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
