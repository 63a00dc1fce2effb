import { hostname } from 'node:os';
import { UsageError } from '../errors.js';
import { type CommandResult, DONE } from '../run/exit-code.js';
import { outcomeTotals } from '../run/notify.js';
import { currentPidScope, type RunEntry } from '../state/index.js';
import { missingStateFile, openConfiguredState } from '../state/open.js';
import type { CommandContext } from './command.js';
import type { HistoryArgs } from './history.js';

type Context = CommandContext<HistoryArgs>;

/** Runs `history` (see history.ts): runs left `running` by a process that is gone are marked died first. */
export async function runHistory(context: Context): Promise<CommandResult> {
  const { json } = context.args;
  const last = lastOf(context.args.last);
  const config = context.config();
  const missing = missingStateFile(config.state, context.io.cwd);
  if (missing !== undefined) {
    if (json === true) context.io.stdout.write('[]\n');
    else context.io.stderr.write(`no state store at ${missing} yet: no run recorded\n`);
    return DONE;
  }
  const store = await openConfiguredState(config, context.io);
  try {
    await store.markDiedRuns({ host: hostname(), pidScope: currentPidScope() });
    const runs = await store.runs(last === undefined ? {} : { limit: last });
    context.io.stdout.write(
      json === true ? `${JSON.stringify(runs.map(publicRun), null, 2)}\n` : table(runs),
    );
    return DONE;
  } finally {
    await store.close();
  }
}

function lastOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--last ${text}: must be a whole number of runs, 1 or more`);
  }
  return Number(text);
}

/** A run as `history --json` prints it: what a person or a script asks of it, no process bookkeeping. */
function publicRun(run: RunEntry) {
  return {
    runId: run.runId,
    command: run.command,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationSeconds: durationOf(run),
    exitCode: run.exitCode,
    ending: run.ending,
    actions: outcomeTotals(run),
    counts: run.counts,
    requests: { read: run.readRequests, write: run.writeRequests },
    retries: run.retries,
    driftChanges: run.driftChanges,
    reportFolder: run.reportFolder,
    scope: run.scope,
    host: run.host,
    pid: run.pid,
  };
}

function durationOf(run: RunEntry): number | null {
  if (run.finishedAt === null) return null;
  return (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
}

const HEADER = [
  'started (UTC)',
  'command',
  'duration',
  'exit',
  'ok',
  'failed',
  'skipped',
  'unknown',
  'planned',
  'reads',
  'writes',
  'report',
];

/** One line per run, columns aligned; a run not finished shows its status where the exit code goes. */
function table(runs: readonly RunEntry[]): string {
  if (runs.length === 0) return 'no run recorded yet\n';
  const rows = runs.map((run) => {
    const totals = outcomeTotals(run);
    const duration = durationOf(run);
    return [
      run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      run.command,
      duration === null ? '-' : `${duration.toFixed(1)}s`,
      run.status === 'finished' ? String(run.exitCode) : run.status,
      ...['ok', 'failed', 'skipped', 'unknown', 'planned'].map((outcome) => String(totals[outcome] ?? 0)),
      run.readRequests === null ? '-' : String(run.readRequests),
      run.writeRequests === null ? '-' : String(run.writeRequests),
      run.reportFolder ?? '-',
    ];
  });
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `${cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()}\n`;
  return [HEADER, ...rows].map(line).join('');
}
