/**
 * bench:newman (issue 10) — what a partner does today with newman against omnize-sync, on the same
 * work: 1,000 agents created in one existing account (adopted by account_id: no account create, no
 * departments), against the sandbox in its own process at 40 ms latency, a fresh sandbox for every
 * run. newman runs a one-request Postman collection over a `,` CSV of the 1,000 rows, one request
 * after another as newman does; omnize-sync runs `apply --yes --concurrency 16 --rate 1000` with a
 * fresh state store; each sandbox answers one read first (`warmUp`). Prints each run's wall time
 * (spawn to exit) and the agents the sandbox holds after it, the medians and their ratio; then as
 * many omnize-sync runs at debug level, whose phase times show where omnize-sync's time beyond the
 * requests goes. Figures only: the goal is issue 10's.
 *
 *   npm run build && npm run bench:newman
 *   NEWMAN_BENCH_RUNS=5 npm run bench:newman            # runs of each tool (default 3)
 *   NEWMAN_BENCH_TIMEOUT_SECONDS=600 npm run bench:newman  # bound on each run (default 300)
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeNow, removeOnExit } from './migration-children.js';
import { median, printPhaseTable } from './newman-figures.js';
import { type RunningSandbox, runTimed, startSandbox, type TimedRun } from './newman-processes.js';
import { ACCOUNT_ID, AGENT_COUNT, type WorkFiles, writeWork } from './newman-work.js';

const LATENCY_MS = 40;
const CONCURRENCY = 16;
const RATE = 1000;
const TOKEN = 'bench-newman-token';
const BIN = new URL('../bin/omnize-sync.js', import.meta.url).pathname;
const NEWMAN = new URL('../node_modules/.bin/newman', import.meta.url).pathname;
const RUNS = positiveWhole('NEWMAN_BENCH_RUNS', 3);
const TIMEOUT_MS = positiveWhole('NEWMAN_BENCH_TIMEOUT_SECONDS', 300) * 1000;

type Tool = 'newman' | 'omnize-sync';

function positiveWhole(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a whole number ≥ 1`);
  return value;
}

interface Measured extends TimedRun {
  /** Agents in the account when the sandbox stopped: both tools did the whole work when it is AGENT_COUNT. */
  agentsCreated: number;
  /** The 1-minute load average before and after: on a shared 2-core machine, what the wall time means. */
  loadAverage: [number, number];
}

/** A fresh sandbox from the seed, the tool run against it, and the agents it holds once stopped. */
async function onFreshSandbox(
  folder: string,
  files: WorkFiles,
  run: (sandbox: RunningSandbox, runFolder: string) => Promise<TimedRun>,
): Promise<Measured> {
  const runFolder = mkdtempSync(join(folder, 'run-'));
  try {
    const dataFile = join(runFolder, 'sandbox.json');
    copyFileSync(files.sandboxSeed, dataFile);
    const sandbox = await startSandbox({ token: TOKEN, latencyMs: LATENCY_MS, dataFile });
    await warmUp(sandbox);
    const loadBefore = loadavg()[0]!;
    let timed: TimedRun;
    try {
      timed = await run(sandbox, runFolder);
    } finally {
      await sandbox.stop();
    }
    const data = JSON.parse(readFileSync(dataFile, 'utf8')) as { agents: { account_id: number }[] };
    const agentsCreated = data.agents.filter((agent) => agent.account_id === ACCOUNT_ID).length;
    return { ...timed, agentsCreated, loadAverage: [loadBefore, loadavg()[0]!] };
  } finally {
    removeNow(runFolder);
  }
}

/**
 * One read before the timed run: a fresh sandbox answers its first request ~15 ms late (its code
 * not yet compiled), which the API the tools stand in for, a server long up, does not. Both tools
 * get a sandbox warmed the same way; the read changes nothing the run counts.
 */
async function warmUp(sandbox: RunningSandbox): Promise<void> {
  const response = await fetch(`${sandbox.baseUrl}/agents?token=${TOKEN}&account_id=${ACCOUNT_ID}`);
  const answer = (await response.json()) as { success?: boolean };
  if (answer.success !== true)
    throw new Error(`the sandbox refused the warm-up read: ${JSON.stringify(answer)}`);
}

function runNewman(files: WorkFiles, sandbox: RunningSandbox, runFolder: string): Promise<TimedRun> {
  const variables = ['--env-var', `baseUrl=${sandbox.baseUrl}`, '--env-var', `token=${TOKEN}`];
  return runTimed({
    command: NEWMAN,
    args: ['run', files.collection, '-d', files.newmanData, ...variables],
    cwd: runFolder,
    env: process.env,
    timeoutMs: TIMEOUT_MS,
  });
}

function runOmnizeSync(
  files: WorkFiles,
  sandbox: RunningSandbox,
  runFolder: string,
  logging = { OMNIZE_LOG_LEVEL: 'warn', OMNIZE_LOG_FORMAT: 'json' },
): Promise<TimedRun> {
  const limits = ['--concurrency', String(CONCURRENCY), '--rate', String(RATE)];
  return runTimed({
    command: process.execPath,
    args: [BIN, 'apply', files.roster, '--yes', ...limits],
    cwd: runFolder,
    env: {
      ...process.env,
      OMNIZE_TOKEN: TOKEN,
      OMNIZE_BASE_URL: sandbox.baseUrl,
      OMNIZE_AUTH_URL: sandbox.authUrl,
      OMNIZE_STATE: join(runFolder, 'state.db'),
      OMNIZE_REPORT_DIR: join(runFolder, 'reports'),
      ...logging,
    },
    timeoutMs: TIMEOUT_MS,
    keepStderr: logging.OMNIZE_LOG_LEVEL === 'debug',
  });
}

function printRun(round: number, tool: Tool, measured: Measured): void {
  const wall = `${Math.round(measured.wallMs).toLocaleString('en')} ms`.padStart(10);
  console.log(
    `  run ${round}  ${tool.padEnd(11)} ${wall}  exit ${measured.exit}  agents created ${measured.agentsCreated}` +
      `  load ${measured.loadAverage.map((load) => load.toFixed(1)).join(' → ')}`,
  );
  if (measured.exit !== '0')
    console.log(`    stderr, last lines:\n${measured.stderr.trimEnd().slice(-1500)}`);
}

/** The median wall time of the runs that exited 0 having created every agent; undefined when none did. */
function medianOfComplete(runs: Measured[]): number | undefined {
  const complete = runs.filter((run) => run.exit === '0' && run.agentsCreated === AGENT_COUNT);
  return complete.length === 0 ? undefined : median(complete.map((run) => run.wallMs));
}

function printMedians(runs: Record<Tool, Measured[]>): void {
  const newman = medianOfComplete(runs.newman);
  const omnizeSync = medianOfComplete(runs['omnize-sync']);
  const show = (value: number | undefined) =>
    value === undefined ? 'no complete run' : `${Math.round(value).toLocaleString('en')} ms`;
  console.log(`\nmedians (runs that exited 0 with all ${AGENT_COUNT} agents created)`);
  console.log(`  newman       ${show(newman)}`);
  console.log(`  omnize-sync  ${show(omnizeSync)}`);
  if (newman !== undefined && omnizeSync !== undefined) {
    console.log(`  newman ÷ omnize-sync  ${(newman / omnizeSync).toFixed(1)}×`);
  }
  const pureRequestMs = (AGENT_COUNT * LATENCY_MS) / CONCURRENCY;
  console.log(
    `  for scale: ${AGENT_COUNT} × ${LATENCY_MS} ms = ${(AGENT_COUNT * LATENCY_MS).toLocaleString('en')} ms ` +
      `one at a time; ÷ ${CONCURRENCY} = ${pureRequestMs.toLocaleString('en')} ms`,
  );
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'omnize-bench-newman-'));
  removeOnExit(folder);
  try {
    const files = writeWork(folder);
    console.log(
      `bench:newman — ${AGENT_COUNT} agent creates in one adopted account, sandbox at ${LATENCY_MS} ms ` +
        `in its own process; newman run (sequential) vs omnize-sync apply --yes --concurrency ${CONCURRENCY} ` +
        `--rate ${RATE}; ${RUNS} runs each`,
    );
    const runs: Record<Tool, Measured[]> = { newman: [], 'omnize-sync': [] };
    for (let round = 1; round <= RUNS; round += 1) {
      const newman = await onFreshSandbox(folder, files, (sandbox, runFolder) =>
        runNewman(files, sandbox, runFolder),
      );
      printRun(round, 'newman', newman);
      runs.newman.push(newman);
      const omnizeSync = await onFreshSandbox(folder, files, (sandbox, runFolder) =>
        runOmnizeSync(files, sandbox, runFolder),
      );
      printRun(round, 'omnize-sync', omnizeSync);
      runs['omnize-sync'].push(omnizeSync);
    }
    printMedians(runs);
    console.log(
      `\nomnize-sync phases: ${RUNS} more runs at OMNIZE_LOG_LEVEL=debug ` +
        '(which also logs a line per request, so these runs are a little slower)',
    );
    const debugLogging = { OMNIZE_LOG_LEVEL: 'debug', OMNIZE_LOG_FORMAT: 'json' };
    const phased: Measured[] = [];
    for (let round = 1; round <= RUNS; round += 1) {
      phased.push(
        await onFreshSandbox(folder, files, (sandbox, runFolder) =>
          runOmnizeSync(files, sandbox, runFolder, debugLogging),
        ),
      );
    }
    printPhaseTable(phased);
  } finally {
    removeNow(folder);
  }
}

await main();
